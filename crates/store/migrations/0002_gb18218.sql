-- GB 18218-2018 identification and grading, stored with its inputs.

-- What the engine needs to know about a chemical of the catalogue.
ALTER TABLE chemicals ADD COLUMN table1_no BIGINT;
ALTER TABLE chemicals ADD COLUMN hazard_categories TEXT NOT NULL DEFAULT '[]';
ALTER TABLE chemicals ADD COLUMN gb18218_excluded BIGINT NOT NULL DEFAULT 0;

-- The latest assessment, on the installation.
ALTER TABLE installations ADD COLUMN is_major_hazard BIGINT;
ALTER TABLE installations ADD COLUMN r_value DOUBLE PRECISION;
ALTER TABLE installations ADD COLUMN assessed_at BIGINT;
ALTER TABLE installations ADD COLUMN assessment_error TEXT;

-- Every distinct assessment (grade history), with the exact input and output.
CREATE TABLE installation_assessments (
    id               TEXT PRIMARY KEY,
    installation_id  TEXT NOT NULL REFERENCES installations(id),
    enterprise_id    TEXT NOT NULL REFERENCES enterprises(id),
    computed_at      BIGINT NOT NULL,
    reason           TEXT NOT NULL,
    table_version    TEXT NOT NULL,
    is_major_hazard  BIGINT,
    grade            BIGINT,
    r_value          DOUBLE PRECISION,
    error_zh         TEXT,
    error_en         TEXT,
    input_json       TEXT NOT NULL,
    output_json      TEXT
);
CREATE INDEX installation_assessments_installation ON installation_assessments(installation_id, computed_at);
CREATE INDEX installation_assessments_enterprise ON installation_assessments(enterprise_id);
