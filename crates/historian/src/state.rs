//! In-memory state: per-series heads (recent samples) and the chunk index.

use std::collections::HashMap;
use std::sync::Arc;

use crate::chunk::{ChunkFile, ChunkMeta};
use crate::types::{Point, Sample, SeriesId};

/// Samples of a head taken out for compaction; still visible to queries until
/// the chunk is durable and installed.
#[derive(Debug)]
pub(crate) struct Frozen {
    pub points: Vec<Point>,
    pub min_lsn: u64,
    pub max_lsn: u64,
}

/// The recent, not yet compacted samples of one series.
#[derive(Debug, Default)]
pub(crate) struct SeriesHead {
    /// Sorted by timestamp, no duplicate timestamps.
    pub active: Vec<Point>,
    /// Lowest / highest LSN of a record that contributed to `active`.
    pub active_min_lsn: u64,
    pub active_max_lsn: u64,
    pub frozen: Option<Arc<Frozen>>,
}

impl SeriesHead {
    /// Inserts a point: appended when newest, otherwise sorted in; an equal
    /// timestamp replaces the earlier sample (the last write wins).
    pub(crate) fn insert(&mut self, lsn: u64, p: Point) {
        if self.active.is_empty() {
            self.active_min_lsn = lsn;
        }
        self.active_max_lsn = self.active_max_lsn.max(lsn);
        match self.active.last() {
            Some(last) if last.ts >= p.ts => {
                match self.active.binary_search_by_key(&p.ts, |q| q.ts) {
                    Ok(i) => self.active[i] = p,
                    Err(i) => self.active.insert(i, p),
                }
            }
            _ => self.active.push(p),
        }
    }

    /// Lowest LSN whose samples are still only in memory (and the log).
    pub(crate) fn min_lsn(&self) -> Option<u64> {
        let a = (!self.active.is_empty()).then_some(self.active_min_lsn);
        let f = self.frozen.as_ref().map(|f| f.min_lsn);
        match (a, f) {
            (Some(a), Some(f)) => Some(a.min(f)),
            (a, f) => a.or(f),
        }
    }

    pub(crate) fn is_due(&self, max_samples: usize, max_span_ms: i64) -> bool {
        match (self.active.first(), self.active.last()) {
            (Some(first), Some(last)) => {
                self.active.len() >= max_samples
                    || (last.ts as i128 - first.ts as i128) >= i128::from(max_span_ms)
            }
            _ => false,
        }
    }

    /// Moves `active` into `frozen` (there must be no frozen part yet).
    pub(crate) fn freeze(&mut self) -> Option<Arc<Frozen>> {
        if self.active.is_empty() || self.frozen.is_some() {
            return None;
        }
        let f = Arc::new(Frozen {
            points: std::mem::take(&mut self.active),
            min_lsn: self.active_min_lsn,
            max_lsn: self.active_max_lsn,
        });
        self.active_max_lsn = 0;
        self.frozen = Some(f.clone());
        Some(f)
    }

    /// Puts a frozen part back after a failed compaction; samples written
    /// since keep precedence.
    pub(crate) fn unfreeze(&mut self) {
        let Some(f) = self.frozen.take() else { return };
        let newer = std::mem::take(&mut self.active);
        let newer_lsns = (self.active_min_lsn, self.active_max_lsn);
        self.active = f.points.clone();
        self.active_min_lsn = f.min_lsn;
        self.active_max_lsn = f.max_lsn;
        for p in newer {
            self.insert(newer_lsns.1, p);
        }
    }
}

/// A chunk and the file that holds it.
#[derive(Clone, Debug)]
pub(crate) struct ChunkRef {
    pub meta: ChunkMeta,
    pub file: Arc<ChunkFile>,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub heads: HashMap<SeriesId, SeriesHead>,
    /// Per series, sorted by (min_ts, seq).
    pub chunks: HashMap<SeriesId, Vec<ChunkRef>>,
    /// LSN after the last record applied to the heads.
    pub applied_next_lsn: u64,
}

impl State {
    /// Applies one durable record; returns true if a touched head is due for
    /// compaction.
    pub(crate) fn apply(
        &mut self,
        lsn: u64,
        samples: &[Sample],
        max_samples: usize,
        max_span_ms: i64,
    ) -> bool {
        let mut due = false;
        for s in samples {
            due |= self.apply_sample(lsn, s, max_samples, max_span_ms);
        }
        due
    }

    /// Applies one sample of a durable record; returns true if its head is due.
    pub(crate) fn apply_sample(
        &mut self,
        lsn: u64,
        s: &Sample,
        max_samples: usize,
        max_span_ms: i64,
    ) -> bool {
        let head = self.heads.entry(s.series).or_default();
        head.insert(
            lsn,
            Point {
                ts: s.ts_ms,
                value: s.value,
                quality: s.quality,
            },
        );
        head.is_due(max_samples, max_span_ms)
    }

    pub(crate) fn add_chunk(&mut self, r: ChunkRef) {
        let v = self.chunks.entry(r.meta.series).or_default();
        let key = (r.meta.min_ts, r.meta.seq);
        let i = v.partition_point(|c| (c.meta.min_ts, c.meta.seq) < key);
        v.insert(i, r);
    }

    /// Records with an LSN below this are all in durable chunks.
    pub(crate) fn checkpoint_lsn(&self) -> u64 {
        self.heads
            .values()
            .filter_map(SeriesHead::min_lsn)
            .min()
            .unwrap_or(self.applied_next_lsn)
            .min(self.applied_next_lsn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(ts: i64, v: f64) -> Point {
        Point {
            ts,
            value: v,
            quality: 0,
        }
    }

    #[test]
    fn out_of_order_is_sorted_and_duplicates_keep_the_last() {
        let mut h = SeriesHead::default();
        for (lsn, (ts, v)) in [(3, 1.0), (1, 2.0), (2, 3.0), (1, 4.0), (5, 5.0)]
            .into_iter()
            .enumerate()
        {
            h.insert(lsn as u64 + 1, p(ts, v));
        }
        assert_eq!(h.active, vec![p(1, 4.0), p(2, 3.0), p(3, 1.0), p(5, 5.0)]);
        assert_eq!(h.min_lsn(), Some(1));
    }

    #[test]
    fn unfreeze_keeps_newer_samples_on_top() {
        let mut h = SeriesHead::default();
        h.insert(1, p(1, 1.0));
        h.insert(1, p(2, 1.0));
        let f = h.freeze();
        assert!(f.is_some());
        h.insert(2, p(2, 9.0));
        h.insert(2, p(3, 9.0));
        h.unfreeze();
        assert_eq!(h.active, vec![p(1, 1.0), p(2, 9.0), p(3, 9.0)]);
        assert_eq!(h.min_lsn(), Some(1));
        assert!(h.frozen.is_none());
    }
}
