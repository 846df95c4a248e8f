//! weihua-historian: the embedded 历史库 (historian) of weihua.
//!
//! Stores monitoring samples (`series, ts_ms, value, quality`) durably and
//! answers range, downsampling (bucket) and latest-value queries. A sample is
//! never lost once [`Historian::append`] has resolved: the server acknowledges
//! HTTP 204 only after that.
//!
//! # Data flow
//!
//! ```text
//! append(batch) ──admission (NaN, expiry, size, queue bytes)──► queue ─► writer thread
//!   writer: take all queued batches ─► one write + one fdatasync (group commit)
//!           ─► apply to heads ─► broadcast to subscribers ─► resolve every waiter
//!   compactor thread: full heads (N samples / span) ─► frozen ─► chunk file (fsync,
//!           rename, dir fsync) ─► index ─► delete WAL segments now covered (checkpoint)
//!   run_retention(now) ─► persist cutoff ─► delete / rewrite expired chunk files
//! ```
//!
//! Two OS threads per historian (`historian-wal`, `historian-compact`); no
//! tokio runtime is needed inside (append and the maintenance calls are
//! `async` only to wait for their thread). Queries are synchronous and read
//! chunk files with `pread`; call them from `spawn_blocking` if the page cache
//! may be cold. Unix only (`flock`, `pread`).
//!
//! # Directory layout and file formats
//!
//! All integers little-endian.
//!
//! * `LOCK`: `flock`ed while open; a second open fails with [`Error::Locked`].
//! * `catalog.log`: point id (位号) → [`SeriesId`]; magic `WHCAT\0\0\x01`, then
//!   records `len u32 | crc32 u32 | id u32 | UTF-8 point id`. Ids are consecutive
//!   from 0 and fsynced before they are returned, so they are stable across restarts.
//! * `wal/<first LSN, 20 digits>.wal`: the 预写日志 (write-ahead log). Magic
//!   `WHWAL\0\0\x01`, then records `len u32 | crc32 u32 | payload`, where the
//!   payload (covered by the CRC) is `kind u8 (=1) | lsn u64 | count u32 |
//!   count × (series u32 | ts_ms i64 | value bits u64 | quality u8)`: 21 bytes per
//!   sample plus 21 per batch. One record per appended batch; LSNs are
//!   consecutive across segments. A segment is closed at
//!   [`HistorianConfig::wal_segment_bytes`] (64 MiB), always between groups.
//! * `wal/quarantine/`: bytes cut off a damaged last segment, kept for analysis.
//! * `chunks/<file id, 16 digits>.chk`: immutable chunk files, one per
//!   compaction round: magic `WHCHUNK1`, compressed blobs, an index of 92-byte
//!   entries (`series, codec, count, blob offset/len/crc32, chunk seq, min_ts,
//!   max_ts, min, max, sum, last value, last quality, lsn_hi`), and a footer
//!   (`index offset u64 | entries u32 | index crc32 u32 | WHCHKEND`). A blob is
//!   three length-prefixed columns: timestamps and values with the chunk's
//!   [`Codec`], quality codes run-length encoded. Files are written as `.tmp`,
//!   fsynced, renamed, and the directory fsynced; the index is loaded at open.
//! * `retention.cutoff`: the newest retention cutoff applied (`WHRET\0\0\x01 |
//!   cutoff i64 | crc32`), written atomically before chunks are deleted.
//!
//! # Durability and checkpoints
//!
//! `append` resolves after the group's `fdatasync` (new segments and chunk
//! files also fsync their directory). A WAL segment is deleted only when it is
//! closed and every record in it has an LSN below the *checkpoint*: the lowest
//! LSN still held only in memory by any head (frozen heads included), i.e. all
//! its samples are in chunk files that were fsynced before. At open, chunk
//! entries carry `lsn_hi`, the highest LSN they contain per series, so replayed
//! records already in chunks are skipped rather than stored twice.
//!
//! If a write or fsync of the log fails, the writer stops (after a failed fsync
//! the file's state is unknown): the group's waiters and every later append get
//! [`Error::WriterFailed`]; restart to recover from disk.
//!
//! # Recovery policy
//!
//! * **Last segment**: replay stops at the first bad record (short header, torn
//!   payload, impossible length, CRC mismatch, unexpected LSN). Everything from
//!   there is copied to `wal/quarantine/<segment>.at-<offset>.bad` (fsynced), the
//!   segment is truncated, a warning is logged and the cut is reported in
//!   [`Historian::recovery_report`] ([`WalTruncation`]). A torn tail holds only
//!   unacknowledged bytes (a record is acknowledged after its fsync); damage in
//!   the middle (media error) may drop acknowledged records, which is why their
//!   bytes are kept.
//! * **Older segments** were complete and fsynced before the next was started,
//!   so damage there is media corruption with acknowledged records behind it:
//!   open fails with [`Error::CorruptWal`] and an operator decides.
//! * **Chunk files** with a bad header, footer or index fail the open
//!   ([`Error::CorruptChunk`]); a bad blob checksum fails the query that reads
//!   it. Unfinished `.chk.tmp` files are deleted. After a crash during a
//!   retention rewrite the newer copy of a chunk is used and the old file removed.
//! * **Catalog**: a torn last record is cut (its id was never returned); other
//!   damage is [`Error::CorruptCatalog`].
//!
//! # Back-pressure
//!
//! Bytes waiting for the writer are counted at admission; above
//! [`HistorianConfig::max_pending_bytes`] (64 MiB, assumed) `append` returns
//! [`Error::Overloaded`] at once with `retry_after` (1 s, assumed) and writes
//! nothing, so memory for queued batches stays bounded (the peak is in
//! [`HistorianStats::peak_pending_bytes`]). The server maps it to 429/503 with
//! `Retry-After`.
//!
//! # Order, duplicates, late samples
//!
//! A head keeps its samples sorted; out-of-order samples are sorted in, and a
//! sample with the timestamp of an earlier one of the same series replaces it
//! (last write wins). Nothing is refused for being late: a sample older than the
//! series' compacted data lands in a later chunk that overlaps the earlier one,
//! and queries merge with the newest write winning per timestamp (active head >
//! frozen head > chunk with the higher sequence number). Samples older than the
//! last applied retention cutoff are refused with [`Error::Expired`] (they would
//! be deleted at once). NaN is refused ([`Error::NanValue`]); infinities are stored.
//!
//! # Compaction and retention
//!
//! A head becomes a chunk when it holds [`HistorianConfig::chunk_max_samples`]
//! (7,200) samples or spans [`HistorianConfig::chunk_max_span_ms`] (2 h), by
//! itself after each group commit; [`Historian::compact_due`] (called by the
//! server on an interval, with `now_ms`) also compacts heads older than
//! [`HistorianConfig::head_max_age_ms`] so slow series do not pin the log, and
//! [`Historian::flush_all`] compacts everything. If the log exceeds
//! [`HistorianConfig::wal_max_bytes`] (1 GiB) all heads are compacted.
//! [`Historian::run_retention`] deletes chunks whose newest sample is older than
//! `now_ms − retention_ms` (default 400 days, assumed; at least the legal 30
//! days, checked by [`HistorianConfig::validate`]): files holding only such
//! chunks are deleted, mixed files rewritten without them. There is no clock
//! inside the crate; `now_ms` must come from a trustworthy clock (a clock far in
//! the future deletes data).
//!
//! # Subscriptions
//!
//! [`Historian::subscribe`] returns a `tokio::sync::broadcast` receiver of
//! [`CommittedBatch`]es, sent in LSN order after each group is durable and
//! before the waiters resolve. A subscriber more than
//! [`HistorianConfig::subscriber_capacity`] batches behind gets `Lagged(n)`
//! (and sees an LSN gap) and must re-read with [`Historian::range`]. Replayed
//! batches are not sent.
//!
//! # Codec choice (measured; `benches/codec.rs`)
//!
//! One day of 1 Hz data per signal ([`synth`]), bytes per sample including
//! timestamp, value and quality, against 16 B raw and Gorilla's published 1.37 B:
//!
//! | signal (chunk = 7,200) | pco | Gorilla | zstd-3 on raw bytes |
//! |---|---|---|---|
//! | temperature, daily cycle + noise, 0.01 | **1.04** | 6.25 | 3.78 |
//! | same, timestamps jittered ±20 ms | **1.81** | 7.24 | 3.97 |
//! | tank level ramp, 0.01 | **0.43** | 5.05 | 3.95 |
//! | gas detector near 0, rare spikes, 0.1 | **0.27** | 4.61 | 2.96 |
//! | flat | **0.012** | 0.25 | 1.87 |
//!
//! With one-day chunks (86,400) pco reaches 0.69 / 1.45 / 0.40 / 0.26 / 0.001.
//! Encode / decode of one 7,200-sample chunk, millions of samples per second,
//! on the 2-core machine under load from other builds (temperature, jitter,
//! tank, gas, flat): pco encode 8.4 / 7.2 / 12.3 / 11.8 / 23, decode 69 / 45 /
//! 62 / 80 / 255; Gorilla encode 38 / 33 / 43 / 33 / 158, decode 28 / 31 / 45 /
//! 25 / 87; zstd-3 encode 9–14, decode 25–36. pco is the default
//! ([`Codec::Pco`]): 4–20× smaller than Gorilla on quantized noisy signals, with
//! the fastest decode; its slower encode runs on the compactor thread, off the
//! write path.
//!
//! # Measured performance
//!
//! Queries (same bench, release): one day of 1 Hz data (86,400 samples in 13
//! chunks) into 1,000 buckets in 2.0 ms (target < 5 ms); the full-day `range`
//! in 2.0 ms; `latest` of one series in about 0.1 µs. Append throughput with
//! group commit (`benches/append.rs`, every append waiting for its fsync of
//! about 3–4 ms on this disk): 1 writer × 100-sample batches 24 k samples/s
//! (the no-grouping baseline); 64 writers × 100 → 0.9 M samples/s (41 batches
//! per fsync); 8 writers × 1,000 → 3.5 M samples/s.
//!
//! Gorilla stays available per chunk ([`HistorianConfig::codec`]). All codecs
//! round-trip bit-exactly (tests `codec.rs`).

mod catalog;
mod chunk;
pub mod codec;
mod config;
mod error;
mod fsutil;
mod historian;
mod query;
mod state;
pub mod synth;
mod types;
mod wal;

pub use catalog::MAX_POINT_ID_BYTES;
pub use codec::Codec;
pub use config::{DAY_MS, HistorianConfig, MIN_RETENTION_MS};
pub use error::{Error, Result};
pub use historian::{CompactionReport, Historian, HistorianStats, RecoveryReport, RetentionReport};
pub use types::{Bucket, CommittedBatch, Lsn, Sample, SeriesId};
pub use wal::WalTruncation;
