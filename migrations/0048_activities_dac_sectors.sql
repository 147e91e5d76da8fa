-- An activity's DAC 5-digit sectors (IATI's sector vocabulary 1): what it works on, as funders classify it.
-- At most ten; the codes are checked against the shipped codelist by the service, as SDG targets are.
ALTER TABLE activities.activities
    ADD COLUMN dac_sectors text[] NOT NULL DEFAULT '{}' CHECK (cardinality(dac_sectors) <= 10);
