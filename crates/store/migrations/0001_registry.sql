-- weihua schema v1: place hierarchy, registry, users, sessions, API tokens, audit chain.
-- Portable SQL: runs unchanged on SQLite (>= 3.35) and PostgreSQL (>= 13).
-- Ids are UUIDv7 text; instants are UTC epoch milliseconds (BIGINT); JSON is TEXT.

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_code TEXT REFERENCES regions(code)
);

CREATE TABLE parks (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    address     TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE enterprises (
    id           TEXT PRIMARY KEY,
    credit_code  TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    region_code  TEXT NOT NULL REFERENCES regions(code),
    park_id      TEXT REFERENCES parks(id),
    industry     TEXT,
    address      TEXT,
    legal_representative TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX enterprises_region ON enterprises(region_code);
CREATE INDEX enterprises_park ON enterprises(park_id);

CREATE TABLE installations (
    id             TEXT PRIMARY KEY,
    enterprise_id  TEXT NOT NULL REFERENCES enterprises(id),
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    description    TEXT,
    people_within_500m BIGINT NOT NULL DEFAULT 0,
    grade          BIGINT,
    guardians      TEXT NOT NULL DEFAULT '{}',
    latitude       DOUBLE PRECISION,
    longitude      DOUBLE PRECISION,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (enterprise_id, code)
);
CREATE INDEX installations_enterprise ON installations(enterprise_id);

CREATE TABLE units (
    id              TEXT PRIMARY KEY,
    enterprise_id   TEXT NOT NULL REFERENCES enterprises(id),
    installation_id TEXT NOT NULL REFERENCES installations(id),
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (installation_id, name)
);
CREATE INDEX units_enterprise ON units(enterprise_id);

CREATE TABLE equipment (
    id              TEXT PRIMARY KEY,
    enterprise_id   TEXT NOT NULL REFERENCES enterprises(id),
    installation_id TEXT NOT NULL REFERENCES installations(id),
    unit_id         TEXT NOT NULL REFERENCES units(id),
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    design_volume_m3 DOUBLE PRECISION,
    design_pressure_mpa DOUBLE PRECISION,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (enterprise_id, code)
);
CREATE INDEX equipment_enterprise ON equipment(enterprise_id);

CREATE TABLE points (
    id              TEXT PRIMARY KEY,
    enterprise_id   TEXT NOT NULL REFERENCES enterprises(id),
    installation_id TEXT NOT NULL REFERENCES installations(id),
    equipment_id    TEXT REFERENCES equipment(id),
    tag             TEXT NOT NULL,
    name            TEXT NOT NULL,
    indicator       TEXT NOT NULL,
    unit            TEXT NOT NULL,
    range_low       DOUBLE PRECISION NOT NULL,
    range_high      DOUBLE PRECISION NOT NULL,
    limit_ll        DOUBLE PRECISION,
    limit_l         DOUBLE PRECISION,
    limit_h         DOUBLE PRECISION,
    limit_hh        DOUBLE PRECISION,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (enterprise_id, tag)
);
CREATE INDEX points_enterprise ON points(enterprise_id);
CREATE INDEX points_installation ON points(installation_id);
CREATE INDEX points_tag ON points(tag);

CREATE TABLE chemicals (
    id          TEXT PRIMARY KEY,
    cas         TEXT UNIQUE,
    name_zh     TEXT NOT NULL UNIQUE,
    name_en     TEXT,
    aliases     TEXT NOT NULL DEFAULT '[]',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE inventories (
    id              TEXT PRIMARY KEY,
    enterprise_id   TEXT NOT NULL REFERENCES enterprises(id),
    installation_id TEXT NOT NULL REFERENCES installations(id),
    unit_id         TEXT NOT NULL REFERENCES units(id),
    chemical_id     TEXT NOT NULL REFERENCES chemicals(id),
    design_max_quantity_t DOUBLE PRECISION NOT NULL,
    note            TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (unit_id, chemical_id)
);
CREATE INDEX inventories_enterprise ON inventories(enterprise_id);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    scope         TEXT NOT NULL,
    -- enterprise the user belongs to (enterprise roles), for scoping user lists
    enterprise_id TEXT REFERENCES enterprises(id),
    disabled      BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    csrf_token  TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    purpose       TEXT NOT NULL,
    name          TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX api_tokens_enterprise ON api_tokens(enterprise_id);

-- Append-only hash chain. Each entry's hash covers its fields and the previous hash.
CREATE TABLE audit_log (
    seq           BIGINT PRIMARY KEY,
    ts            BIGINT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity_type   TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    enterprise_id TEXT,
    region_code   TEXT,
    before_json   TEXT,
    after_json    TEXT,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
CREATE INDEX audit_enterprise ON audit_log(enterprise_id);

-- The head of the chain. Every audited write transaction updates this row first,
-- which serialises writers on both backends (row lock on PostgreSQL, the write
-- lock on SQLite) so the chain never forks.
CREATE TABLE audit_head (
    id    BIGINT PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
