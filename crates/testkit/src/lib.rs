//! weihua-testkit — fresh stores for tests, on both backends.
//!
//! PostgreSQL comes from `WEIHUA_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); each call creates its own
//! database and drops it when the returned [`Backing`] is dropped. Where no
//! server answers, [`postgres`] prints "SKIPPED" and returns `None` — unless
//! `CI` or `WEIHUA_REQUIRE_PG` is set, where it panics so the run fails.

use sqlx::Connection;
use weihua_store::Store;

/// Keeps the test's database alive; drops it at the end.
pub enum Backing {
    Sqlite(tempfile::TempDir),
    Postgres(PgDatabase),
}

/// A throw-away PostgreSQL database.
pub struct PgDatabase {
    admin_url: String,
    db: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let db = self.db.clone();
        // The test's runtime may be shutting down: drop the database on a fresh one.
        let _ = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                rt.block_on(async {
                    if let Ok(mut c) = sqlx::PgConnection::connect(&admin_url).await {
                        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                            .execute(&mut c)
                            .await;
                    }
                });
            }
        })
        .join();
    }
}

/// Register regions (parents first) inside `tx`: `&[("320000", "江苏省"), …]`.
pub async fn upsert_regions(
    store: &Store,
    tx: &mut weihua_store::WriteTx,
    regions: &[(&str, &str)],
) {
    for (code, name) in regions {
        let input = weihua_store::registry::RegionInput {
            code: weihua_core::RegionCode::parse(code).expect("test region code"),
            name: (*name).to_string(),
        };
        store
            .upsert_region(tx, &input)
            .await
            .expect("upsert region");
    }
}

/// A fresh embedded store in a temporary directory.
pub async fn sqlite() -> (Store, Backing) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_sqlite(dir.path()).await.expect("open sqlite");
    (store, Backing::Sqlite(dir))
}

fn pg_required() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
        || std::env::var("WEIHUA_REQUIRE_PG").is_ok()
}

/// A fresh PostgreSQL store in its own database, or `None` (with a SKIPPED
/// line) when no server answers and PostgreSQL is not required.
pub async fn postgres(test: &str) -> Option<(Store, Backing)> {
    let admin_url = std::env::var("WEIHUA_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
    let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
        Ok(c) => c,
        Err(e) => {
            if pg_required() {
                panic!("PostgreSQL is required here but not reachable at {admin_url}: {e}");
            }
            eprintln!("SKIPPED {test} on PostgreSQL: no server at {admin_url} ({e})");
            return None;
        }
    };
    let db = format!("weihua_test_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .expect("WEIHUA_TEST_PG_URL ends in /DATABASE");
    let store = Store::connect(&format!("{base}/{db}"))
        .await
        .expect("connect postgres");
    Some((store, Backing::Postgres(PgDatabase { admin_url, db })))
}

/// Generate one `#[tokio::test]` per backend for each `async fn NAME(Store)`
/// in scope: `sqlite_backend::NAME` and `postgres_backend::NAME`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite_backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (store, _b) = $crate::sqlite().await;
                    super::$name(store).await;
                }
            )*
        }
        mod postgres_backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some((store, _b)) = $crate::postgres(stringify!($name)).await else { return };
                    super::$name(store.clone()).await;
                    store.close().await;
                }
            )*
        }
    };
}
