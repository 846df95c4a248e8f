//! Helpers shared by the historian's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use weihua_historian::{Historian, HistorianConfig, Sample, SeriesId};

/// A multi-threaded runtime like the server's.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"))
}

/// Never compacts by itself (large thresholds), small WAL segments.
pub fn no_auto_compaction() -> HistorianConfig {
    HistorianConfig {
        chunk_max_samples: 1 << 22,
        chunk_max_span_ms: i64::MAX,
        ..HistorianConfig::default()
    }
}

pub fn open(dir: &Path, cfg: HistorianConfig) -> Historian {
    Historian::open(dir, cfg).unwrap_or_else(|e| panic!("open {}: {e}", dir.display()))
}

pub fn batch(series: u32, ts: impl IntoIterator<Item = i64>) -> Vec<Sample> {
    ts.into_iter()
        .map(|t| Sample::good(SeriesId(series), t, value_of(series, t)))
        .collect()
}

/// The value the tests write for a (series, ts).
pub fn value_of(series: u32, ts: i64) -> f64 {
    (f64::from(series) * 1_000_000.0 + ts as f64) * 0.25
}

pub fn wal_segments(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join("wal"))
        .unwrap_or_else(|e| panic!("read wal dir: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wal"))
        .collect();
    v.sort();
    v
}

pub fn chunk_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join("chunks"))
        .unwrap_or_else(|e| panic!("read chunk dir: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "chk"))
        .collect();
    v.sort();
    v
}

/// The full range query of a series.
pub fn all_of(h: &Historian, series: u32) -> Vec<(i64, f64)> {
    h.range(SeriesId(series), i64::MIN, i64::MAX)
        .unwrap_or_else(|e| panic!("range: {e}"))
}
