-- Activities' descriptions for the IATI export, from `activities.activity_described.v1` events: published
-- beside the shipped events at the same version, so a description keeps a version of its own. Activities
-- recorded before this event existed have none (''), and the export uses their title, as it did until now.
ALTER TABLE reporting.activities
    ADD COLUMN description text NOT NULL DEFAULT '',
    ADD COLUMN description_version integer NOT NULL DEFAULT 0;
