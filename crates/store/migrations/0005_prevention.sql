-- 双重预防 — dual prevention: the risk register (objects → units → events →
-- control measures), inspection tasks and their records, hidden dangers with
-- their history, and attachments (content-addressed). Field names follow the
-- provincial interface (HAZARD_CODE, RISK_CLASS, DATA_SRC, CHECK_CYCLE …, see
-- docs/dual-prevention.md); each row also keeps its whole JSON document.

-- 风险分析对象 — a major hazard installation, equipment, process or operation.
CREATE TABLE risk_objects (
    id              TEXT PRIMARY KEY,
    enterprise_id   TEXT NOT NULL REFERENCES enterprises(id),
    installation_id TEXT,
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    doc_json        TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX risk_objects_code ON risk_objects (enterprise_id, code);

-- 风险分析单元 / 风险事件 / 管控措施 — the rest of the chain; `parent_id`
-- is the object, unit or event above.
CREATE TABLE risk_items (
    id            TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    item_kind     TEXT NOT NULL,
    parent_id     TEXT NOT NULL,
    name          TEXT NOT NULL,
    risk_class    BIGINT,
    doc_json      TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX risk_items_parent ON risk_items (parent_id);
CREATE INDEX risk_items_enterprise ON risk_items (enterprise_id, item_kind);

-- 隐患排查任务 — generated from a control measure on its cycle.
CREATE TABLE inspection_tasks (
    id            TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    measure_id    TEXT NOT NULL REFERENCES risk_items(id),
    active        BIGINT NOT NULL,
    doc_json      TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX inspection_tasks_enterprise ON inspection_tasks (enterprise_id, active);

-- 隐患排查记录 — one per task window (CHECK_STATUS 0 normal, 1 hidden danger,
-- 2 not inspected, 3 other).
CREATE TABLE inspection_records (
    id            TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    task_id       TEXT NOT NULL REFERENCES inspection_tasks(id),
    window_start  BIGINT NOT NULL,
    window_end    BIGINT NOT NULL,
    check_status  BIGINT NOT NULL,
    check_time    BIGINT,
    doc_json      TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX inspection_records_window ON inspection_records (task_id, window_start);
CREATE INDEX inspection_records_enterprise ON inspection_records (enterprise_id, window_start);

-- 隐患 — hidden dangers and their closed loop.
CREATE TABLE hidden_dangers (
    id            TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    name          TEXT NOT NULL,
    danger_level  BIGINT,
    state         TEXT NOT NULL,
    deadline      BIGINT,
    supervised    BIGINT NOT NULL,
    registered_at BIGINT NOT NULL,
    closed_at     BIGINT,
    doc_json      TEXT NOT NULL,
    version       BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX hidden_dangers_enterprise ON hidden_dangers (enterprise_id, state);
CREATE INDEX hidden_dangers_supervised ON hidden_dangers (supervised, state);

CREATE TABLE danger_events (
    danger_id   TEXT NOT NULL REFERENCES hidden_dangers(id),
    n           BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    action      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    detail_json TEXT NOT NULL,
    PRIMARY KEY (danger_id, n)
);

-- 附件 — photos and files, stored once per content (SHA-256).
CREATE TABLE attachments (
    id            TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    owner_type    TEXT NOT NULL,
    owner_id      TEXT NOT NULL,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size          BIGINT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX attachments_owner ON attachments (owner_type, owner_id);
