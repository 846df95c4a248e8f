//! Typed errors of the 历史库 (historian).

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::types::SeriesId;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the historian.
///
/// The server maps [`Error::Overloaded`] to HTTP 429/503 with `Retry-After`,
/// [`Error::NanValue`], [`Error::BatchTooLarge`], [`Error::InvalidPointId`] and
/// [`Error::InvalidQuery`] to 4xx, and everything else to 5xx.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Too many bytes are waiting for the 预写日志 (write-ahead log); the batch
    /// was not accepted and nothing of it was written. Retry later.
    #[error(
        "historian overloaded: {pending_bytes} bytes are waiting for the write-ahead log \
         (limit {limit_bytes}); nothing was written, retry after {retry_after:?}"
    )]
    Overloaded {
        /// How long the caller should wait before retrying (configured, "assumed").
        retry_after: Duration,
        /// Bytes queued for the write-ahead log when the batch was refused.
        pending_bytes: u64,
        /// The configured limit (`HistorianConfig::max_pending_bytes`).
        limit_bytes: u64,
    },
    /// A single batch is larger than the largest accepted one; split it.
    #[error(
        "a batch of {samples} samples ({bytes} bytes in the write-ahead log) exceeds the \
         largest accepted batch of {max_bytes} bytes; split it into smaller batches"
    )]
    BatchTooLarge {
        /// Samples in the refused batch.
        samples: usize,
        /// Its encoded size.
        bytes: u64,
        /// `HistorianConfig::max_batch_bytes`.
        max_bytes: u64,
    },
    /// A sample's value is NaN; NaN is never stored. Nothing of the batch was written.
    #[error(
        "sample {index} of the batch (series {series}, ts_ms {ts_ms}) has a NaN value; \
         NaN is never stored, send a bad quality code with a finite value instead; \
         nothing of the batch was written"
    )]
    NanValue {
        /// Position of the offending sample in the batch.
        index: usize,
        /// Its series.
        series: SeriesId,
        /// Its timestamp.
        ts_ms: i64,
    },
    /// A sample is older than the retention cutoff already applied by
    /// `run_retention`: it would be deleted at once, so it is refused. Nothing
    /// of the batch was written.
    #[error(
        "sample {index} of the batch (series {series}, ts_ms {ts_ms}) is older than the \
         retention cutoff {cutoff_ms}; nothing of the batch was written"
    )]
    Expired {
        /// Position of the offending sample in the batch.
        index: usize,
        /// Its series.
        series: SeriesId,
        /// Its timestamp.
        ts_ms: i64,
        /// The newest retention cutoff applied.
        cutoff_ms: i64,
    },
    /// The configuration is not acceptable.
    #[error("invalid historian configuration: {0}")]
    Config(String),
    /// A query's arguments are not acceptable.
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// A point id cannot be put into the catalog.
    #[error("invalid point id {point_id:?}: {reason}")]
    InvalidPointId {
        /// The refused id.
        point_id: String,
        /// Why.
        reason: &'static str,
    },
    /// All 2^32 series ids are taken.
    #[error("the series catalog is full (2^32 series)")]
    CatalogFull,
    /// An operating-system I/O error, with the path it happened on.
    #[error("I/O error on {}: {source}", path.display())]
    Io {
        /// File or directory involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A write-ahead-log segment other than the last one is damaged. Records after
    /// the damage may have been acknowledged, so the historian refuses to open
    /// rather than silently dropping them (see the crate docs, "Recovery policy").
    #[error(
        "write-ahead log segment {} is corrupt at byte {offset}: {reason}; it is not the \
         last segment, so acknowledged records may follow: refusing to open. Copy the \
         directory for analysis, then move the segment aside to accept the loss",
        path.display()
    )]
    CorruptWal {
        /// The damaged segment.
        path: PathBuf,
        /// Byte offset of the first bad record.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// A chunk file (immutable, compressed samples) is damaged.
    #[error("chunk file {} is corrupt: {reason}", path.display())]
    CorruptChunk {
        /// The damaged file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The series catalog is damaged somewhere other than a torn last record.
    #[error("series catalog {} is corrupt at byte {offset}: {reason}", path.display())]
    CorruptCatalog {
        /// The catalog file.
        path: PathBuf,
        /// Byte offset of the bad record.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// A small state file (the retention cutoff) is damaged.
    #[error("{} is corrupt: {reason}", path.display())]
    CorruptFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The numeric codec failed.
    #[error("codec error: {0}")]
    Codec(String),
    /// Another process (or another handle in this one) has the directory open.
    #[error(
        "historian directory {} is already open by another process or handle",
        path.display()
    )]
    Locked {
        /// The directory.
        path: PathBuf,
    },
    /// The write-ahead-log writer stopped after an I/O failure (for example a
    /// failed fsync). After a failed fsync the state of the file is unknown, so
    /// nothing more is accepted; restart the process to recover from disk.
    #[error(
        "the write-ahead log writer stopped after an I/O failure ({reason}); nothing \
         more is accepted, restart to recover from disk"
    )]
    WriterFailed {
        /// The original failure.
        reason: String,
    },
    /// The historian is shutting down.
    #[error("the historian is shutting down")]
    Closed,
    /// An internal lock was poisoned because a historian thread panicked.
    #[error("internal state lock poisoned (a historian thread panicked); restart to recover")]
    Poisoned,
}

impl Error {
    pub(crate) fn io(path: impl AsRef<Path>, source: io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }
}

/// Attaches a path to an `io::Result`.
pub(crate) trait IoContext<T> {
    fn at(self, path: impl AsRef<Path>) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn at(self, path: impl AsRef<Path>) -> Result<T> {
        self.map_err(|e| Error::io(path, e))
    }
}
