//! Range, bucket and latest queries over chunks and heads.
//!
//! A query gathers its *sources* under the state lock (overlapping chunk
//! references and copies of the in-range head samples), releases the lock, and
//! then reads chunks one at a time. When the sources do not overlap in time
//! (the normal case) they are streamed in order and no more than one decoded
//! chunk is held at once; overlapping sources (late samples compacted into a
//! second chunk) are merged, the newest write winning on equal timestamps:
//! active head > frozen head > chunk with the higher sequence.

use crate::chunk::ChunkMeta;
use crate::error::Result;
use crate::state::{ChunkRef, State};
use crate::types::{Bucket, Point, SeriesId};

const PRIO_ACTIVE: u64 = u64::MAX;
const PRIO_FROZEN: u64 = u64::MAX - 1;

pub(crate) enum Source {
    Chunk(ChunkRef),
    Mem { points: Vec<Point>, prio: u64 },
}

impl Source {
    fn lo(&self) -> i64 {
        match self {
            Source::Chunk(c) => c.meta.min_ts,
            Source::Mem { points, .. } => points.first().map_or(i64::MAX, |p| p.ts),
        }
    }
    fn hi(&self) -> i64 {
        match self {
            Source::Chunk(c) => c.meta.max_ts,
            Source::Mem { points, .. } => points.last().map_or(i64::MIN, |p| p.ts),
        }
    }
}

fn slice_in(points: &[Point], from: i64, to: i64) -> Vec<Point> {
    let a = points.partition_point(|p| p.ts < from);
    let b = points.partition_point(|p| p.ts < to);
    points[a..b.max(a)].to_vec()
}

/// Gathers the sources of `[from, to)`, sorted by their first timestamp.
pub(crate) fn sources(state: &State, series: SeriesId, from: i64, to: i64) -> Vec<Source> {
    let mut out = Vec::new();
    if let Some(chunks) = state.chunks.get(&series) {
        for c in chunks {
            if c.meta.min_ts < to && c.meta.max_ts >= from {
                out.push(Source::Chunk(c.clone()));
            }
        }
    }
    if let Some(head) = state.heads.get(&series) {
        if let Some(f) = &head.frozen {
            let points = slice_in(&f.points, from, to);
            if !points.is_empty() {
                out.push(Source::Mem {
                    points,
                    prio: PRIO_FROZEN,
                });
            }
        }
        let points = slice_in(&head.active, from, to);
        if !points.is_empty() {
            out.push(Source::Mem {
                points,
                prio: PRIO_ACTIVE,
            });
        }
    }
    out.sort_by_key(Source::lo);
    out
}

/// Receives the points of a query in timestamp order.
pub(crate) trait Sink {
    fn point(&mut self, ts: i64, value: f64, quality: u8);
    /// Offered a whole chunk lying inside `[from, to)` before it is decoded;
    /// returns true if it used the chunk's summary instead.
    fn whole_chunk(&mut self, _meta: &ChunkMeta) -> bool {
        false
    }
}

/// Feeds every point of `[from, to)` to `sink` in timestamp order.
pub(crate) fn visit(sources: &[Source], from: i64, to: i64, sink: &mut impl Sink) -> Result<()> {
    let disjoint = sources.windows(2).all(|w| w[0].hi() < w[1].lo());
    if disjoint {
        for s in sources {
            match s {
                Source::Chunk(c) => {
                    if c.meta.min_ts >= from && c.meta.max_ts < to && sink.whole_chunk(&c.meta) {
                        continue;
                    }
                    let d = c.file.read_chunk(&c.meta)?;
                    let a = d.ts.partition_point(|t| *t < from);
                    let b = d.ts.partition_point(|t| *t < to).max(a);
                    for i in a..b {
                        sink.point(d.ts[i], d.values[i], d.quality[i]);
                    }
                }
                Source::Mem { points, .. } => {
                    for p in points {
                        sink.point(p.ts, p.value, p.quality);
                    }
                }
            }
        }
        return Ok(());
    }
    // Overlapping sources: merge, the highest priority winning per timestamp.
    let mut all: Vec<(i64, u64, f64, u8)> = Vec::new();
    for s in sources {
        match s {
            Source::Chunk(c) => {
                let d = c.file.read_chunk(&c.meta)?;
                let a = d.ts.partition_point(|t| *t < from);
                let b = d.ts.partition_point(|t| *t < to).max(a);
                all.extend((a..b).map(|i| (d.ts[i], c.meta.seq, d.values[i], d.quality[i])));
            }
            Source::Mem { points, prio } => {
                all.extend(points.iter().map(|p| (p.ts, *prio, p.value, p.quality)));
            }
        }
    }
    all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    all.dedup_by_key(|e| e.0);
    for (ts, _, v, q) in all {
        sink.point(ts, v, q);
    }
    Ok(())
}

/// Collects points.
pub(crate) struct Collect(pub Vec<Point>);

impl Sink for Collect {
    fn point(&mut self, ts: i64, value: f64, quality: u8) {
        self.0.push(Point { ts, value, quality });
    }
}

#[derive(Clone, Copy)]
struct Agg {
    count: u64,
    min: f64,
    max: f64,
    sum: f64,
    last: f64,
}

/// Accumulates `n` equal buckets over `[from, to)`. Bucket `i` starts at
/// `from + ceil(i * span / n)`; a timestamp falls into `floor((ts - from) * n / span)`.
pub(crate) struct Buckets {
    from: i128,
    span: i128,
    n: i128,
    cur: Option<(i128, Agg)>,
    /// Exclusive end of the current bucket: points before it need no division.
    cur_end: i64,
    pub out: Vec<Bucket>,
}

impl Buckets {
    pub(crate) fn new(from: i64, to: i64, n: usize) -> Self {
        Buckets {
            from: i128::from(from),
            span: i128::from(to) - i128::from(from),
            n: n as i128,
            cur: None,
            cur_end: i64::MIN,
            out: Vec::new(),
        }
    }

    fn index(&self, ts: i64) -> i128 {
        (i128::from(ts) - self.from) * self.n / self.span
    }

    fn start(&self, i: i128) -> i64 {
        // ceil(i * span / n) for non-negative operands.
        let off = (i * self.span + self.n - 1) / self.n;
        (self.from + off) as i64
    }

    fn add(&mut self, i: i128, a: Agg) {
        match &mut self.cur {
            Some((ci, c)) if *ci == i => {
                c.count += a.count;
                if a.min < c.min {
                    c.min = a.min;
                }
                if a.max > c.max {
                    c.max = a.max;
                }
                c.sum += a.sum;
                c.last = a.last;
            }
            _ => {
                self.flush();
                self.cur = Some((i, a));
                self.cur_end = self.start(i + 1);
            }
        }
    }

    fn flush(&mut self) {
        if let Some((i, a)) = self.cur.take() {
            self.out.push(Bucket {
                start_ms: self.start(i),
                end_ms: self.start(i + 1),
                min: a.min,
                max: a.max,
                avg: a.sum / a.count as f64,
                last: a.last,
                count: a.count,
            });
        }
    }

    pub(crate) fn finish(mut self) -> Vec<Bucket> {
        self.flush();
        self.out
    }
}

impl Sink for Buckets {
    fn point(&mut self, ts: i64, value: f64, _quality: u8) {
        // Points arrive in time order: stay in the current bucket while we can.
        let cur_end = self.cur_end;
        if let Some((_, c)) = self.cur.as_mut().filter(|_| ts < cur_end) {
            c.count += 1;
            if value < c.min {
                c.min = value;
            }
            if value > c.max {
                c.max = value;
            }
            c.sum += value;
            c.last = value;
            return;
        }
        let i = self.index(ts);
        self.add(
            i,
            Agg {
                count: 1,
                min: value,
                max: value,
                sum: value,
                last: value,
            },
        );
    }

    fn whole_chunk(&mut self, meta: &ChunkMeta) -> bool {
        let i = self.index(meta.min_ts);
        if i != self.index(meta.max_ts) {
            return false;
        }
        self.add(
            i,
            Agg {
                count: u64::from(meta.count),
                min: meta.min,
                max: meta.max,
                sum: meta.sum,
                last: meta.last_value,
            },
        );
        true
    }
}

/// The newest sample of a series, from the index and heads only (no I/O).
pub(crate) fn latest(state: &State, series: SeriesId) -> Option<(i64, f64, u8)> {
    let mut best: Option<(i64, u64, f64, u8)> = None;
    let mut offer = |ts: i64, prio: u64, v: f64, q: u8| {
        if best.is_none_or(|b| (ts, prio) > (b.0, b.1)) {
            best = Some((ts, prio, v, q));
        }
    };
    if let Some(chunks) = state.chunks.get(&series) {
        for c in chunks {
            offer(
                c.meta.max_ts,
                c.meta.seq,
                c.meta.last_value,
                c.meta.last_quality,
            );
        }
    }
    if let Some(head) = state.heads.get(&series) {
        if let Some(p) = head.frozen.as_ref().and_then(|f| f.points.last()) {
            offer(p.ts, PRIO_FROZEN, p.value, p.quality);
        }
        if let Some(p) = head.active.last() {
            offer(p.ts, PRIO_ACTIVE, p.value, p.quality);
        }
    }
    best.map(|(ts, _, v, q)| (ts, v, q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_boundaries_partition_the_range() {
        for (from, to, n) in [
            (0i64, 10i64, 3usize),
            (-7, 1000, 7),
            (5, 6, 4),
            (0, 86_400_000, 1000),
        ] {
            let b = Buckets::new(from, to, n);
            assert_eq!(b.start(0), from);
            assert_eq!(b.start(n as i128), to);
            for ts in [from, to - 1, (from + to) / 2] {
                let i = b.index(ts);
                assert!(
                    b.start(i) <= ts && ts < b.start(i + 1),
                    "{from} {to} {n} {ts}"
                );
            }
        }
    }
}
