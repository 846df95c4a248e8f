//! Configuration of the 历史库 (historian). Every default that no regulation
//! fixes is marked "assumed".

use std::time::Duration;

use crate::codec::Codec;
use crate::error::{Error, Result};

/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// The legal minimum retention for major-hazard monitoring records (≥ 30 days).
pub const MIN_RETENTION_MS: i64 = 30 * DAY_MS;

/// Configuration of a [`Historian`](crate::Historian).
#[derive(Clone, Debug)]
pub struct HistorianConfig {
    /// Size at which a 预写日志 (write-ahead log) segment is closed and a new one
    /// started. Default 64 MiB (assumed).
    pub wal_segment_bytes: u64,
    /// When all write-ahead-log segments together exceed this, every head is
    /// compacted so that segments can be deleted. Default 1 GiB (assumed).
    pub wal_max_bytes: u64,
    /// Bytes (as encoded in the write-ahead log) that may wait for the writer.
    /// Above it `append` returns [`Error::Overloaded`] at once. Default 64 MiB
    /// (assumed).
    pub max_pending_bytes: u64,
    /// Largest single batch (encoded bytes). Must be ≤ `max_pending_bytes`.
    /// Default 16 MiB (≈ 800,000 samples) (assumed).
    pub max_batch_bytes: u64,
    /// The `retry_after` reported with [`Error::Overloaded`]. Default 1 s (assumed).
    pub overload_retry_after: Duration,
    /// Most bytes written by one group commit (one fsync). Default 16 MiB (assumed).
    pub max_group_bytes: u64,
    /// A series' head is compacted into a chunk once it holds this many samples.
    /// Default 7,200 (2 h at 1 Hz) (assumed).
    pub chunk_max_samples: usize,
    /// ... or once its samples span this long. Default 2 h (assumed).
    pub chunk_max_span_ms: i64,
    /// `compact_due(now_ms)` also compacts heads whose oldest sample is older than
    /// `now_ms - head_max_age_ms`, so slow series do not pin the write-ahead log.
    /// Default 2 h (assumed).
    pub head_max_age_ms: i64,
    /// Chunks whose newest sample is older than `now_ms - retention_ms` are
    /// deleted by `run_retention`. Default 400 days (assumed); must be ≥ 30 days.
    pub retention_ms: i64,
    /// Codec for new chunks. Default [`Codec::Pco`] (measured, see crate docs).
    pub codec: Codec,
    /// Capacity, in batches, of the subscription channel. A subscriber that
    /// falls further behind gets `RecvError::Lagged`. Default 65,536 (assumed).
    pub subscriber_capacity: usize,
}

impl Default for HistorianConfig {
    fn default() -> Self {
        HistorianConfig {
            wal_segment_bytes: 64 << 20,
            wal_max_bytes: 1 << 30,
            max_pending_bytes: 64 << 20,
            max_batch_bytes: 16 << 20,
            overload_retry_after: Duration::from_secs(1),
            max_group_bytes: 16 << 20,
            chunk_max_samples: 7_200,
            chunk_max_span_ms: 2 * 3_600_000,
            head_max_age_ms: 2 * 3_600_000,
            retention_ms: 400 * DAY_MS,
            codec: Codec::Pco,
            subscriber_capacity: 65_536,
        }
    }
}

impl HistorianConfig {
    /// Checks the configuration; every error names the field.
    pub fn validate(&self) -> Result<()> {
        let fail = |m: String| Err(Error::Config(m));
        if self.wal_segment_bytes < 4096 {
            return fail(format!(
                "wal_segment_bytes = {} must be at least 4096",
                self.wal_segment_bytes
            ));
        }
        if self.max_batch_bytes < 64 {
            return fail(format!(
                "max_batch_bytes = {} must be at least 64",
                self.max_batch_bytes
            ));
        }
        if self.max_batch_bytes > crate::wal::MAX_RECORD_BYTES as u64 {
            return fail(format!(
                "max_batch_bytes = {} must be at most {}",
                self.max_batch_bytes,
                crate::wal::MAX_RECORD_BYTES
            ));
        }
        if self.max_pending_bytes < self.max_batch_bytes {
            return fail(format!(
                "max_pending_bytes = {} must be at least max_batch_bytes = {}",
                self.max_pending_bytes, self.max_batch_bytes
            ));
        }
        if self.max_group_bytes == 0 {
            return fail("max_group_bytes must be positive".into());
        }
        if self.chunk_max_samples == 0 || self.chunk_max_samples > 1 << 22 {
            return fail(format!(
                "chunk_max_samples = {} must be in 1..=4194304",
                self.chunk_max_samples
            ));
        }
        if self.chunk_max_span_ms <= 0 {
            return fail("chunk_max_span_ms must be positive".into());
        }
        if self.head_max_age_ms <= 0 {
            return fail("head_max_age_ms must be positive".into());
        }
        if self.retention_ms < MIN_RETENTION_MS {
            return fail(format!(
                "retention_ms = {} is shorter than the legal minimum of 30 days ({} ms)",
                self.retention_ms, MIN_RETENTION_MS
            ));
        }
        if self.subscriber_capacity == 0 {
            return fail("subscriber_capacity must be positive".into());
        }
        Ok(())
    }
}
