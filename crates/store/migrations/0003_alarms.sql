-- 报警与风险 — alarm states, the alarm/event journal, per-point alarm settings,
-- and the live risk level per installation.

-- Per-point overrides of the alarm defaults (JSON of weihua_alarm::PointAlarmSettings).
CREATE TABLE point_alarm_settings (
    point_id      TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    settings_json TEXT NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- One row per alarm (point + kind + limit), holding its current state.
CREATE TABLE alarms (
    id              TEXT PRIMARY KEY,
    enterprise_id   TEXT NOT NULL,
    installation_id TEXT,
    point_id        TEXT,
    tag             TEXT,
    point_name      TEXT,
    unit            TEXT,
    kind            TEXT NOT NULL,
    limit_name      TEXT,
    priority        TEXT NOT NULL,
    position        TEXT,
    state           TEXT NOT NULL,
    active          BIGINT NOT NULL,
    acked           BIGINT NOT NULL,
    latched         BIGINT NOT NULL,
    suppressed      BIGINT NOT NULL,
    out_of_service  BIGINT NOT NULL,
    shelved_until   BIGINT,
    value           DOUBLE PRECISION,
    raised_at       BIGINT,
    acked_at        BIGINT,
    acked_by        TEXT,
    cleared_at      BIGINT,
    is_open         BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX alarms_enterprise_open ON alarms (enterprise_id, is_open);
CREATE INDEX alarms_installation ON alarms (installation_id);

-- 报警日志 — the journal: every alarm change and risk change, in order. `seq`
-- is the event id of the live stream (resume with Last-Event-ID).
CREATE TABLE alarm_events (
    seq             BIGINT PRIMARY KEY,
    at              BIGINT NOT NULL,
    event           TEXT NOT NULL,
    alarm_id        TEXT,
    enterprise_id   TEXT NOT NULL,
    installation_id TEXT,
    actor           TEXT,
    reason          TEXT,
    payload         TEXT NOT NULL
);
CREATE INDEX alarm_events_enterprise ON alarm_events (enterprise_id, seq);
CREATE INDEX alarm_events_at ON alarm_events (at);

-- 动态风险等级 — the current risk level of each installation with its reasons.
CREATE TABLE installation_risk (
    installation_id TEXT PRIMARY KEY,
    enterprise_id   TEXT NOT NULL,
    level           TEXT NOT NULL,
    score           DOUBLE PRECISION NOT NULL,
    reasons_json    TEXT NOT NULL,
    model_version   TEXT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX installation_risk_enterprise ON installation_risk (enterprise_id);
