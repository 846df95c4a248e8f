//! The historian's vocabulary: series ids, samples, log sequence numbers, buckets.

use std::fmt;

/// A series in the 历史库 (historian). The server maps each monitoring point id
/// (位号) to one series id through the persisted catalog
/// ([`Historian::series_id`](crate::Historian::series_id)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SeriesId(pub u32);

impl fmt::Display for SeriesId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One measured value of one series.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// The series.
    pub series: SeriesId,
    /// Measurement instant, UTC epoch milliseconds.
    pub ts_ms: i64,
    /// The value, in the point's unit. NaN is refused at append time.
    pub value: f64,
    /// Quality code; 0 = good. Other codes are stored and returned unchanged.
    pub quality: u8,
}

impl Sample {
    /// A sample of good quality (0).
    pub fn good(series: SeriesId, ts_ms: i64, value: f64) -> Self {
        Sample {
            series,
            ts_ms,
            value,
            quality: 0,
        }
    }
}

/// Log sequence number: the position of an appended batch (one record) in the
/// 预写日志 (write-ahead log). Strictly increasing, never reused, starting at 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lsn(pub u64);

impl fmt::Display for Lsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A batch that has become durable, as delivered to subscribers
/// ([`Historian::subscribe`](crate::Historian::subscribe)).
#[derive(Clone, Debug, PartialEq)]
pub struct CommittedBatch {
    /// The batch's log sequence number. Consecutive batches have consecutive
    /// numbers, so a subscriber can detect a gap.
    pub lsn: Lsn,
    /// The samples, exactly as appended.
    pub samples: Vec<Sample>,
}

/// One time bucket of a downsampling query
/// ([`Historian::buckets`](crate::Historian::buckets)). Only buckets that hold
/// at least one sample are returned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bucket {
    /// First millisecond of the bucket (inclusive).
    pub start_ms: i64,
    /// End of the bucket (exclusive).
    pub end_ms: i64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Arithmetic mean.
    pub avg: f64,
    /// Value of the latest sample in the bucket.
    pub last: f64,
    /// Number of samples (all qualities).
    pub count: u64,
}

/// A stored point of one series (internal).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Point {
    pub ts: i64,
    pub value: f64,
    pub quality: u8,
}
