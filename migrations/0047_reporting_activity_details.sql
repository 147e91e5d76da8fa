-- The read model keeps each activity's description and DAC 5-digit sectors, which the activity events carry
-- from now on (their ActivityState gained `description` and `dacSectors`), so the IATI export can write the
-- description a coordinator wrote instead of repeating the title, and the sectors they chose. NULL means no
-- event stated it yet: the events published before carried neither, and `stedenband activities restate`
-- publishes one per described activity that does.
ALTER TABLE reporting.activities ADD COLUMN description text, ADD COLUMN dac_sectors text[];
