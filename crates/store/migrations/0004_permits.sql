-- 特殊作业票 — GB 30871-2022 special work permits, their history, and the
-- positions of detectors (for the gas-alarm interlock of permits).

-- 检测器位置 — where a point (e.g. a gas detector) is, when registered.
ALTER TABLE points ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE points ADD COLUMN longitude DOUBLE PRECISION;

-- One row per permit: the columns that are searched on, and the whole permit
-- as the rule engine sees it (JSON of weihua_standards::gb30871::Permit).
CREATE TABLE permits (
    id              TEXT PRIMARY KEY,
    number          TEXT NOT NULL,
    enterprise_id   TEXT NOT NULL REFERENCES enterprises(id),
    installation_id TEXT,
    equipment_id    TEXT,
    kind            TEXT NOT NULL,
    level           TEXT,
    state           TEXT NOT NULL,
    contractor      BIGINT NOT NULL,
    latitude        DOUBLE PRECISION,
    longitude       DOUBLE PRECISION,
    planned_start   BIGINT NOT NULL,
    planned_end     BIGINT NOT NULL,
    reported_at     BIGINT,
    public_token    TEXT NOT NULL,
    doc_json        TEXT NOT NULL,
    version         BIGINT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX permits_number ON permits (enterprise_id, number);
CREATE UNIQUE INDEX permits_public_token ON permits (public_token);
CREATE INDEX permits_enterprise_state ON permits (enterprise_id, state);
CREATE INDEX permits_state ON permits (state);
CREATE INDEX permits_planned ON permits (planned_start);

-- 作业票记录 — every step of every permit, in order (kept with the permit;
-- tickets are kept at least a year, GB 30871-2022 附录B.3).
CREATE TABLE permit_events (
    permit_id   TEXT NOT NULL REFERENCES permits(id),
    n           BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    action      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    detail_json TEXT NOT NULL,
    PRIMARY KEY (permit_id, n)
);
