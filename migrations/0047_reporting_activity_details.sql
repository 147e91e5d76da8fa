-- The read model keeps each activity's description, which the activity events carry from now on (its
-- ActivityState gained `description`), so the IATI export can write the description a coordinator wrote instead
-- of repeating the title. NULL means no event stated it yet: the events published before carried none, and
-- `stedenband activities restate` publishes one per activity that does.
ALTER TABLE reporting.activities ADD COLUMN description text;
