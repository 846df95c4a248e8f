//! weihua-store — relational persistence for weihua.
//!
//! One code path serves both backends through `sqlx::Any`: SQLite (one file,
//! WAL, `synchronous=FULL`) is the embedded default, PostgreSQL the scale-out
//! backend. SQL is written in the portable subset both accept; placeholders are
//! `$1, $2, …` (sqlx-sqlite maps them by number).
//!
//! Architecture invariants:
//! - every read of tenant data takes the caller's [`Scope`] and filters by it
//!   in SQL ([`scope::filter`]); no public function returns rows outside it;
//! - every write goes through a [`WriteTx`], which appends the change to the
//!   hash-chained audit log in the same transaction;
//! - a transaction is committed (and, on SQLite, fsync'd) before any function
//!   here returns success.

pub mod alarms;
pub mod audit;
pub mod auth;
pub mod gb18218;
pub mod permits;
pub mod prevention;
pub mod qra;
pub mod registry;
pub mod scope;
pub mod secrets;
mod sql;

use serde::Serialize;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use weihua_core::{Role, Scope};

pub use sql::{Sql, Val};

/// Errors of the store, typed so the server can map them to HTTP statuses.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The object does not exist or is outside the caller's scope (the two are
    /// deliberately indistinguishable).
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    /// A uniqueness rule was broken.
    #[error("conflict: {en}")]
    Conflict {
        field: String,
        zh: String,
        en: String,
    },
    /// Input that passed decoding but breaks a rule of the data.
    #[error("invalid {field}: {en}")]
    Invalid {
        field: String,
        zh: String,
        en: String,
    },
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn invalid(field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Who is acting: recorded in the audit log and used to scope the change.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actor {
    pub user_id: Option<String>,
    pub username: String,
    pub role: Option<Role>,
    pub scope: Scope,
}

impl Actor {
    /// The local operator at the command line (`weihua admin …`, `weihua import`):
    /// national scope, recorded under the given name.
    pub fn system(name: &str) -> Self {
        Self {
            user_id: None,
            username: name.to_string(),
            role: None,
            scope: Scope::National,
        }
    }
}

/// A page of a list: `{ "items": [...], "total": N }`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// Paging parameters, clamped to sane bounds.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub limit: i64,
    pub offset: i64,
}

impl Default for Paging {
    fn default() -> Self {
        Self {
            limit: 100,
            offset: 0,
        }
    }
}

impl Paging {
    pub const MAX_LIMIT: i64 = 1000;
    pub fn new(limit: Option<i64>, offset: Option<i64>) -> Self {
        Self {
            limit: limit.unwrap_or(100).clamp(1, Self::MAX_LIMIT),
            offset: offset.unwrap_or(0).max(0),
        }
    }
    /// Everything (used by export).
    pub fn all() -> Self {
        Self {
            limit: i64::MAX / 2,
            offset: 0,
        }
    }
}

/// The store: a connection pool plus the backend kind.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

static MIGRATION_0001: &str = include_str!("../migrations/0001_registry.sql");
static MIGRATION_0002: &str = include_str!("../migrations/0002_gb18218.sql");
static MIGRATION_0003: &str = include_str!("../migrations/0003_alarms.sql");
static MIGRATION_0004: &str = include_str!("../migrations/0004_permits.sql");
static MIGRATION_0005: &str = include_str!("../migrations/0005_prevention.sql");
static MIGRATION_0006: &str = include_str!("../migrations/0006_records_per_window.sql");
static MIGRATION_0007: &str = include_str!("../migrations/0007_qra.sql");

fn migrator() -> sqlx::migrate::Migrator {
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    Migrator {
        migrations: Cow::Owned(vec![
            Migration::new(
                1,
                Cow::Borrowed("registry"),
                MigrationType::Simple,
                Cow::Borrowed(MIGRATION_0001),
                false,
            ),
            Migration::new(
                2,
                Cow::Borrowed("gb18218"),
                MigrationType::Simple,
                Cow::Borrowed(MIGRATION_0002),
                false,
            ),
            Migration::new(
                3,
                Cow::Borrowed("alarms"),
                MigrationType::Simple,
                Cow::Borrowed(MIGRATION_0003),
                false,
            ),
            Migration::new(
                4,
                Cow::Borrowed("permits"),
                MigrationType::Simple,
                Cow::Borrowed(MIGRATION_0004),
                false,
            ),
            Migration::new(
                5,
                Cow::Borrowed("prevention"),
                MigrationType::Simple,
                Cow::Borrowed(MIGRATION_0005),
                false,
            ),
            Migration::new(
                6,
                Cow::Borrowed("records_per_window"),
                MigrationType::Simple,
                Cow::Borrowed(MIGRATION_0006),
                false,
            ),
            Migration::new(
                7,
                Cow::Borrowed("qra"),
                MigrationType::Simple,
                Cow::Borrowed(MIGRATION_0007),
                false,
            ),
        ]),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    }
}

/// Current time as UTC epoch milliseconds. The store is an IO edge and may read the clock.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A new globally unique id (UUIDv7: time-ordered, safe to replicate up the hierarchy).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Store {
    /// Open (creating if needed) the embedded SQLite store in `data_dir/weihua.db`
    /// and apply migrations.
    pub async fn open_sqlite(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            StoreError::Corrupt(format!("cannot create {}: {e}", data_dir.display()))
        })?;
        let path = data_dir.join("weihua.db");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        Self::connect(&url).await
    }

    /// Connect to `sqlite://…` or `postgres://…` and apply migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let opts = AnyConnectOptions::from_str(url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 16 })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL for concurrent readers; FULL so that a committed
                        // transaction is on disk before we acknowledge it.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await?;
        let store = Self { pool, backend };
        migrator().run(&store.pool).await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Close the pool. On SQLite the WAL is first checkpointed into the main
    /// file and truncated, so the database file alone holds everything.
    pub async fn close(&self) {
        if self.backend == Backend::Sqlite
            && let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await
        {
            tracing::warn!(error = %e, "WAL checkpoint on close failed");
        }
        self.pool.close().await;
    }

    /// Begin an audited write transaction. It takes the audit-chain lock first,
    /// so concurrent writers queue instead of forking the chain.
    pub async fn write(&self, actor: &Actor) -> Result<WriteTx> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        Ok(WriteTx {
            tx,
            actor: actor.clone(),
        })
    }

    /// Whether the database holds no enterprise yet (used by `weihua demo`).
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM enterprises")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }
}

/// An open write transaction with its actor. Drop without `commit` rolls back.
pub struct WriteTx {
    pub(crate) tx: sqlx::Transaction<'static, sqlx::Any>,
    pub(crate) actor: Actor,
}

impl WriteTx {
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// Map a database error on insert/update to a typed conflict when it is a
/// uniqueness violation.
pub(crate) fn map_unique(e: sqlx::Error, field: &str, zh: &str, en: &str) -> StoreError {
    if let sqlx::Error::Database(db) = &e
        && db.is_unique_violation()
    {
        return StoreError::Conflict {
            field: field.to_string(),
            zh: zh.to_string(),
            en: en.to_string(),
        };
    }
    StoreError::Db(e)
}
