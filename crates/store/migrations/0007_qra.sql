-- 定量风险评估 — quantitative risk assessments (GB/T 37243-2019): the site
-- input as submitted and the result as computed (individual-risk contours,
-- F-N curve, external safety distances), kept together so a study can always
-- be reproduced and shown as it was.
CREATE TABLE qra_studies (
    id              TEXT PRIMARY KEY,
    enterprise_id   TEXT NOT NULL REFERENCES enterprises(id),
    installation_id TEXT REFERENCES installations(id),
    name            TEXT NOT NULL,
    input_json      TEXT NOT NULL,
    summary_json    TEXT NOT NULL,
    result_json     TEXT NOT NULL,
    engine_version  TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX qra_studies_enterprise ON qra_studies (enterprise_id, created_at);
