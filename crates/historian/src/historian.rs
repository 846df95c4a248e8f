//! The 历史库 (historian) handle: open/recovery, group-commit writer thread,
//! compactor thread, queries.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock, RwLockReadGuard, mpsc};
use std::thread::JoinHandle;

use tokio::sync::{broadcast, oneshot};

use crate::chunk::{self, EncodedChunk};
use crate::config::HistorianConfig;
use crate::error::{Error, IoContext, Result};
use crate::fsutil::{DirLock, ensure_dir, sync_dir};
use crate::query::{self, Buckets, Collect};
use crate::state::{ChunkRef, Frozen, State};
use crate::types::{Bucket, CommittedBatch, Lsn, Sample, SeriesId};
use crate::wal::{self, SegmentInfo, WalTruncation, WalWriter};

/// What `open` found and repaired.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecoveryReport {
    /// Write-ahead-log records replayed.
    pub wal_records: u64,
    /// Samples in them.
    pub wal_samples: u64,
    /// Of those, samples skipped because durable chunks already hold them.
    pub samples_already_in_chunks: u64,
    /// Of those, samples skipped because they are older than the last
    /// retention cutoff (retention already deleted their chunks).
    pub samples_expired: u64,
    /// Damaged tails cut off the last segment (bytes kept in the quarantine).
    pub truncations: Vec<WalTruncation>,
    /// Chunk files loaded.
    pub chunk_files: usize,
    /// Chunks in them.
    pub chunks: usize,
    /// LSN the next appended batch gets.
    pub next_lsn: Lsn,
}

/// Outcome of a compaction (head → chunks) and the checkpoint after it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompactionReport {
    /// Series whose head was compacted.
    pub series: usize,
    /// Chunks written.
    pub chunks: usize,
    /// Samples in them.
    pub samples: u64,
    /// Bytes of chunk data written (blobs, without index).
    pub bytes: u64,
    /// Write-ahead-log segments deleted because chunks now hold all their samples.
    pub wal_segments_deleted: usize,
}

/// Outcome of [`Historian::run_retention`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Chunks whose newest sample is older than this were removed.
    pub cutoff_ms: i64,
    /// Chunks removed.
    pub chunks_removed: usize,
    /// Samples in them.
    pub samples_removed: u64,
    /// Chunk files deleted outright.
    pub files_deleted: usize,
    /// Chunk files rewritten without their expired chunks.
    pub files_rewritten: usize,
    /// Samples older than the cutoff dropped from the in-memory heads (late
    /// arrivals not yet compacted).
    pub head_samples_removed: u64,
}

/// Counters and gauges for `/metrics`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistorianStats {
    /// LSN of the newest durable batch (0: none yet).
    pub durable_lsn: Lsn,
    /// Samples acknowledged since open.
    pub appended_samples: u64,
    /// Batches acknowledged since open.
    pub appended_batches: u64,
    /// Group commits (one `fdatasync` each) since open.
    pub wal_syncs: u64,
    /// Bytes now waiting for the writer.
    pub pending_bytes: u64,
    /// Highest `pending_bytes` seen since open (never above `max_pending_bytes`).
    pub peak_pending_bytes: u64,
    /// Appends refused with [`Error::Overloaded`].
    pub overloaded_rejections: u64,
    /// Samples held in memory (heads).
    pub head_samples: u64,
    /// Chunks in the index.
    pub chunks: u64,
    /// Samples in chunks.
    pub chunk_samples: u64,
    /// Write-ahead-log segments on disk.
    pub wal_segments: usize,
    /// Their bytes.
    pub wal_bytes: u64,
    /// Successful compactions since open.
    pub compactions: u64,
    /// Failed compactions since open (their samples stay in memory and log).
    pub compaction_failures: u64,
    /// Series in the catalog.
    pub catalog_series: usize,
}

struct AppendRequest {
    samples: Vec<Sample>,
    bytes: u64,
    reply: oneshot::Sender<Result<Lsn>>,
}

enum Job {
    Due,
    WalPressure,
    FlushAll(oneshot::Sender<Result<CompactionReport>>),
    CompactDue(i64, oneshot::Sender<Result<CompactionReport>>),
    Retention(i64, oneshot::Sender<Result<RetentionReport>>),
}

#[derive(Default)]
struct Counters {
    appended_samples: AtomicU64,
    appended_batches: AtomicU64,
    wal_syncs: AtomicU64,
    overloaded: AtomicU64,
    compactions: AtomicU64,
    compaction_failures: AtomicU64,
}

struct Shared {
    cfg: HistorianConfig,
    wal_dir: PathBuf,
    chunk_dir: PathBuf,
    dir: PathBuf,
    state: RwLock<State>,
    segments: Mutex<Vec<SegmentInfo>>,
    pending_bytes: AtomicU64,
    peak_pending_bytes: AtomicU64,
    durable_lsn: AtomicU64,
    /// Newest retention cutoff persisted; older samples are refused.
    retention_cutoff: AtomicI64,
    failed: OnceLock<String>,
    events: broadcast::Sender<Arc<CommittedBatch>>,
    counters: Counters,
    catalog: crate::catalog::Catalog,
    due_signalled: AtomicBool,
    pressure_signalled: AtomicBool,
}

impl Shared {
    fn read(&self) -> Result<RwLockReadGuard<'_, State>> {
        self.state.read().map_err(|_| Error::Poisoned)
    }
}

struct Inner {
    shared: Arc<Shared>,
    wal_tx: Option<mpsc::Sender<AppendRequest>>,
    jobs_tx: Option<mpsc::Sender<Job>>,
    writer: Option<JoinHandle<()>>,
    compactor: Option<JoinHandle<()>>,
    recovery: RecoveryReport,
    _lock: DirLock,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Closing the queue lets the writer finish what was submitted.
        self.wal_tx.take();
        if let Some(h) = self.writer.take() {
            let _ = h.join();
        }
        self.jobs_tx.take();
        if let Some(h) = self.compactor.take() {
            let _ = h.join();
        }
    }
}

/// An embedded 历史库 (historian). Cheap to clone; all clones share one
/// directory, one writer thread and one compactor thread. Dropping the last
/// clone waits for both threads to finish what was already submitted.
#[derive(Clone)]
pub struct Historian {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Historian {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Historian")
            .field("wal_dir", &self.inner.shared.wal_dir)
            .finish_non_exhaustive()
    }
}

enum Submitted {
    Done(Lsn),
    Wait(oneshot::Receiver<Result<Lsn>>),
}

impl Historian {
    /// Opens (or creates) the historian in `dir`: locks the directory, loads the
    /// catalog and chunk index, replays the 预写日志 (write-ahead log) into the
    /// heads (cutting off a torn tail, see "Recovery policy" in the crate docs)
    /// and starts the writer and compactor threads. Blocking; call it from
    /// `spawn_blocking` or before the server starts.
    pub fn open(dir: impl AsRef<Path>, config: HistorianConfig) -> Result<Historian> {
        config.validate()?;
        let dir = dir.as_ref().to_path_buf();
        ensure_dir(&dir)?;
        let lock = DirLock::acquire(&dir)?;
        let wal_dir = dir.join("wal");
        let chunk_dir = dir.join("chunks");
        ensure_dir(&wal_dir)?;
        ensure_dir(&chunk_dir)?;
        let catalog = crate::catalog::Catalog::open(&dir)?;
        let cutoff = crate::fsutil::read_cutoff(&dir)?;

        let mut state = State::default();
        let mut flushed: HashMap<SeriesId, u64> = HashMap::new();
        let (mut max_seq, mut max_file_id, mut max_lsn_hi) = (0u64, 0u64, 0u64);
        let mut recovery = RecoveryReport::default();
        // Retention rewrites copy chunks into a new file before deleting the old
        // one; after a crash in between, the same (series, seq) is in both and
        // the newer file's copy is used.
        let mut by_key: HashMap<(SeriesId, u64), ChunkRef> = HashMap::new();
        let mut files = Vec::new();
        for (id, path) in chunk::list_files(&chunk_dir)? {
            let (file, metas) = chunk::open_file(&path, id)?;
            max_file_id = max_file_id.max(id);
            for meta in metas {
                max_seq = max_seq.max(meta.seq);
                max_lsn_hi = max_lsn_hi.max(meta.lsn_hi);
                let f = flushed.entry(meta.series).or_default();
                *f = (*f).max(meta.lsn_hi);
                by_key.insert(
                    (meta.series, meta.seq),
                    ChunkRef {
                        meta,
                        file: file.clone(),
                    },
                );
            }
            files.push(file);
        }
        for file in files {
            if !by_key.values().any(|c| c.file.id == file.id) {
                tracing::info!(path = %file.path.display(), "removing a chunk file superseded by a rewrite");
                std::fs::remove_file(&file.path).at(&file.path)?;
            } else {
                recovery.chunk_files += 1;
            }
        }
        recovery.chunks = by_key.len();
        for (_, r) in by_key {
            state.add_chunk(r);
        }

        let (max_samples, max_span) = (config.chunk_max_samples, config.chunk_max_span_ms);
        let (mut skipped, mut expired) = (0u64, 0u64);
        let mut any_due = false;
        let replay = wal::replay(&wal_dir, |lsn, samples| {
            for s in samples {
                if flushed.get(&s.series).is_some_and(|f| lsn <= *f) {
                    skipped += 1;
                } else if s.ts_ms < cutoff {
                    expired += 1;
                } else {
                    any_due |= state.apply_sample(lsn, s, max_samples, max_span);
                }
            }
        })?;
        let next_lsn = replay.next_lsn.max(max_lsn_hi + 1);
        let mut segments = replay.segments;
        let mut reuse = None;
        let empty_last = if replay.last_segment_records == 0 {
            segments.pop()
        } else {
            None
        };
        if let Some(last) = empty_last {
            if last.first_lsn == next_lsn {
                reuse = Some(last);
            } else {
                // An empty segment below LSNs already in chunks: drop it.
                std::fs::remove_file(&last.path).at(&last.path)?;
                sync_dir(&wal_dir)?;
            }
        }
        let (writer, active) =
            WalWriter::open(&wal_dir, next_lsn, reuse.as_ref(), config.wal_segment_bytes)?;
        segments.push(active);
        state.applied_next_lsn = next_lsn;

        recovery.wal_records = replay.records;
        recovery.wal_samples = replay.samples;
        recovery.samples_already_in_chunks = skipped;
        recovery.samples_expired = expired;
        recovery.truncations = replay.truncations;
        recovery.next_lsn = Lsn(next_lsn);
        let wal_bytes: u64 = segments.iter().map(|s| s.bytes).sum();
        tracing::info!(
            dir = %dir.display(),
            wal_records = recovery.wal_records,
            wal_samples = recovery.wal_samples,
            skipped_in_chunks = skipped,
            truncations = recovery.truncations.len(),
            chunk_files = recovery.chunk_files,
            chunks = recovery.chunks,
            next_lsn,
            "historian opened"
        );

        let (events, _) = broadcast::channel(config.subscriber_capacity);
        let shared = Arc::new(Shared {
            dir: dir.clone(),
            wal_dir,
            chunk_dir,
            state: RwLock::new(state),
            segments: Mutex::new(segments),
            pending_bytes: AtomicU64::new(0),
            peak_pending_bytes: AtomicU64::new(0),
            durable_lsn: AtomicU64::new(next_lsn - 1),
            retention_cutoff: AtomicI64::new(cutoff),
            failed: OnceLock::new(),
            events,
            counters: Counters::default(),
            catalog,
            due_signalled: AtomicBool::new(false),
            pressure_signalled: AtomicBool::new(false),
            cfg: config,
        });
        let (wal_tx, wal_rx) = mpsc::channel();
        let (jobs_tx, jobs_rx) = mpsc::channel();
        let writer_thread = {
            let shared = shared.clone();
            let jobs = jobs_tx.clone();
            std::thread::Builder::new()
                .name("historian-wal".into())
                .spawn(move || writer_loop(&shared, writer, &wal_rx, &jobs))
                .at(&dir)?
        };
        let compactor_thread = {
            let shared = shared.clone();
            let seqs = (max_seq + 1, max_file_id + 1, cutoff);
            std::thread::Builder::new()
                .name("historian-compact".into())
                .spawn(move || compactor_loop(&shared, &jobs_rx, seqs))
                .at(&dir)?
        };
        if any_due && !shared.due_signalled.swap(true, Ordering::SeqCst) {
            let _ = jobs_tx.send(Job::Due);
        }
        if wal_bytes > shared.cfg.wal_max_bytes
            && !shared.pressure_signalled.swap(true, Ordering::SeqCst)
        {
            let _ = jobs_tx.send(Job::WalPressure);
        }
        Ok(Historian {
            inner: Arc::new(Inner {
                shared,
                wal_tx: Some(wal_tx),
                jobs_tx: Some(jobs_tx),
                writer: Some(writer_thread),
                compactor: Some(compactor_thread),
                recovery,
                _lock: lock,
            }),
        })
    }

    /// Appends a batch to the 预写日志 (write-ahead log). Resolves only after
    /// the batch is durable (written and fsynced as part of a group commit) and
    /// visible to queries; the returned [`Lsn`] identifies it.
    ///
    /// Refuses at once, writing nothing, when a value is NaN
    /// ([`Error::NanValue`]), when a sample is older than the retention cutoff
    /// already applied ([`Error::Expired`]), when the batch is too large
    /// ([`Error::BatchTooLarge`]) or when too many bytes already wait for the
    /// writer ([`Error::Overloaded`], with a `retry_after`). An empty batch
    /// resolves at once with the newest durable LSN.
    ///
    /// Samples may arrive out of order; a sample with the timestamp of an
    /// earlier one of the same series replaces it (the last write wins).
    pub async fn append(&self, batch: Vec<Sample>) -> Result<Lsn> {
        match self.submit(batch)? {
            Submitted::Done(lsn) => Ok(lsn),
            Submitted::Wait(rx) => match rx.await {
                Ok(r) => r,
                Err(_) => Err(self.stopped_error()),
            },
        }
    }

    fn stopped_error(&self) -> Error {
        match self.inner.shared.failed.get() {
            Some(reason) => Error::WriterFailed {
                reason: reason.clone(),
            },
            None => Error::Closed,
        }
    }

    fn submit(&self, batch: Vec<Sample>) -> Result<Submitted> {
        let sh = &self.inner.shared;
        if sh.failed.get().is_some() {
            return Err(self.stopped_error());
        }
        if batch.is_empty() {
            return Ok(Submitted::Done(Lsn(sh.durable_lsn.load(Ordering::SeqCst))));
        }
        if let Some((index, s)) = batch.iter().enumerate().find(|(_, s)| s.value.is_nan()) {
            return Err(Error::NanValue {
                index,
                series: s.series,
                ts_ms: s.ts_ms,
            });
        }
        let cutoff_ms = sh.retention_cutoff.load(Ordering::SeqCst);
        if let Some((index, s)) = batch.iter().enumerate().find(|(_, s)| s.ts_ms < cutoff_ms) {
            return Err(Error::Expired {
                index,
                series: s.series,
                ts_ms: s.ts_ms,
                cutoff_ms,
            });
        }
        let bytes = wal::record_bytes(batch.len());
        if bytes > sh.cfg.max_batch_bytes {
            return Err(Error::BatchTooLarge {
                samples: batch.len(),
                bytes,
                max_bytes: sh.cfg.max_batch_bytes,
            });
        }
        let limit = sh.cfg.max_pending_bytes;
        let mut cur = sh.pending_bytes.load(Ordering::SeqCst);
        loop {
            if cur + bytes > limit {
                sh.counters.overloaded.fetch_add(1, Ordering::Relaxed);
                return Err(Error::Overloaded {
                    retry_after: sh.cfg.overload_retry_after,
                    pending_bytes: cur,
                    limit_bytes: limit,
                });
            }
            match sh.pending_bytes.compare_exchange_weak(
                cur,
                cur + bytes,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => break,
                Err(actual) => cur = actual,
            }
        }
        sh.peak_pending_bytes
            .fetch_max(cur + bytes, Ordering::Relaxed);
        let (reply, rx) = oneshot::channel();
        let req = AppendRequest {
            samples: batch,
            bytes,
            reply,
        };
        let sent = match &self.inner.wal_tx {
            Some(tx) => tx.send(req).is_ok(),
            None => false,
        };
        if !sent {
            sh.pending_bytes.fetch_sub(bytes, Ordering::SeqCst);
            return Err(self.stopped_error());
        }
        Ok(Submitted::Wait(rx))
    }

    /// The persisted id of a monitoring point (位号), assigning the next free id
    /// (fsynced before it is returned) if the point is new. Ids are stable
    /// across restarts.
    pub fn series_id(&self, point_id: &str) -> Result<SeriesId> {
        self.inner.shared.catalog.series_id(point_id)
    }

    /// Ids for many points at once, with one `fsync` for all new ones
    /// (blocking: call from `spawn_blocking` in async code).
    pub fn series_ids(&self, point_ids: &[&str]) -> Result<Vec<SeriesId>> {
        self.inner.shared.catalog.series_ids(point_ids)
    }

    /// The id of a point if it is in the catalog (never assigns one).
    pub fn lookup_series(&self, point_id: &str) -> Option<SeriesId> {
        self.inner.shared.catalog.lookup(point_id)
    }

    /// The point id a series id was assigned to.
    pub fn point_id(&self, series: SeriesId) -> Option<String> {
        self.inner.shared.catalog.point_id(series)
    }

    fn points(
        &self,
        series: SeriesId,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<crate::types::Point>> {
        if from_ms >= to_ms {
            return Ok(Vec::new());
        }
        let sources = query::sources(&*self.inner.shared.read()?, series, from_ms, to_ms);
        let mut c = Collect(Vec::new());
        query::visit(&sources, from_ms, to_ms, &mut c)?;
        Ok(c.0)
    }

    /// Every sample of `series` with `from_ms <= ts < to_ms`, in time order, as
    /// `(ts_ms, value)`; chunks and the in-memory head merged. Reads chunk files
    /// (blocking, usually from the page cache).
    pub fn range(&self, series: SeriesId, from_ms: i64, to_ms: i64) -> Result<Vec<(i64, f64)>> {
        Ok(self
            .points(series, from_ms, to_ms)?
            .into_iter()
            .map(|p| (p.ts, p.value))
            .collect())
    }

    /// Like [`range`](Self::range), with quality codes: `(ts_ms, value, quality)`.
    pub fn range_with_quality(
        &self,
        series: SeriesId,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<(i64, f64, u8)>> {
        Ok(self
            .points(series, from_ms, to_ms)?
            .into_iter()
            .map(|p| (p.ts, p.value, p.quality))
            .collect())
    }

    /// Downsamples `[from_ms, to_ms)` into `n` equal buckets (bucket `i` starts
    /// at `from_ms + ceil(i·(to_ms−from_ms)/n)`) and returns the non-empty ones
    /// in order with min, max, avg, last and count over all samples (every
    /// quality). Streams one chunk at a time; a chunk that lies inside one
    /// bucket is taken from its index summary without decoding.
    pub fn buckets(
        &self,
        series: SeriesId,
        from_ms: i64,
        to_ms: i64,
        n: usize,
    ) -> Result<Vec<Bucket>> {
        if n == 0 {
            return Err(Error::InvalidQuery(
                "bucket count n must be at least 1".into(),
            ));
        }
        if from_ms >= to_ms {
            return Ok(Vec::new());
        }
        let sources = query::sources(&*self.inner.shared.read()?, series, from_ms, to_ms);
        let mut b = Buckets::new(from_ms, to_ms, n);
        query::visit(&sources, from_ms, to_ms, &mut b)?;
        Ok(b.finish())
    }

    /// The newest sample `(ts_ms, value, quality)` of each series, `None` for a
    /// series without samples. Memory only (heads and the chunk index).
    pub fn latest(&self, series: &[SeriesId]) -> Result<Vec<Option<(i64, f64, u8)>>> {
        let st = self.inner.shared.read()?;
        Ok(series.iter().map(|s| query::latest(&st, *s)).collect())
    }

    /// Subscribes to durable batches (for the alarm engine). Each batch is sent
    /// once it is durable, before `append` resolves, in LSN order, so every
    /// sample is seen in write order per series. Batches replayed at open are
    /// not sent. A subscriber that falls more than `subscriber_capacity`
    /// batches behind receives `RecvError::Lagged(n)` and must re-read the gap
    /// with [`range`](Self::range); consecutive [`CommittedBatch::lsn`]s show a
    /// gap too.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<CommittedBatch>> {
        self.inner.shared.events.subscribe()
    }

    async fn job<T>(&self, make: impl FnOnce(oneshot::Sender<Result<T>>) -> Job) -> Result<T> {
        let (tx, rx) = oneshot::channel();
        let sent = match &self.inner.jobs_tx {
            Some(jobs) => jobs.send(make(tx)).is_ok(),
            None => false,
        };
        if !sent {
            return Err(Error::Closed);
        }
        rx.await.map_err(|_| Error::Closed)?
    }

    /// Compacts every non-empty head into chunks, then deletes the log segments
    /// they covered. For shutdown, tests and operators.
    pub async fn flush_all(&self) -> Result<CompactionReport> {
        self.job(Job::FlushAll).await
    }

    /// Compacts the heads that are full (`chunk_max_samples`, `chunk_max_span_ms`)
    /// or whose oldest sample is older than `now_ms - head_max_age_ms`, then
    /// checkpoints the log. The server calls it on an interval (no clock inside).
    pub async fn compact_due(&self, now_ms: i64) -> Result<CompactionReport> {
        self.job(|tx| Job::CompactDue(now_ms, tx)).await
    }

    /// Deletes chunks whose newest sample is older than `now_ms - retention_ms`
    /// (files holding only such chunks are deleted, mixed files rewritten
    /// without them). The server schedules it; `now_ms` is passed in.
    pub async fn run_retention(&self, now_ms: i64) -> Result<RetentionReport> {
        self.job(|tx| Job::Retention(now_ms, tx)).await
    }

    /// What `open` replayed and repaired.
    pub fn recovery_report(&self) -> &RecoveryReport {
        &self.inner.recovery
    }

    /// LSN of the newest durable batch (0 before the first).
    pub fn durable_lsn(&self) -> Lsn {
        Lsn(self.inner.shared.durable_lsn.load(Ordering::SeqCst))
    }

    /// Counters and gauges.
    pub fn stats(&self) -> HistorianStats {
        let sh = &self.inner.shared;
        let c = &sh.counters;
        let mut s = HistorianStats {
            durable_lsn: self.durable_lsn(),
            appended_samples: c.appended_samples.load(Ordering::Relaxed),
            appended_batches: c.appended_batches.load(Ordering::Relaxed),
            wal_syncs: c.wal_syncs.load(Ordering::Relaxed),
            pending_bytes: sh.pending_bytes.load(Ordering::SeqCst),
            peak_pending_bytes: sh.peak_pending_bytes.load(Ordering::Relaxed),
            overloaded_rejections: c.overloaded.load(Ordering::Relaxed),
            compactions: c.compactions.load(Ordering::Relaxed),
            compaction_failures: c.compaction_failures.load(Ordering::Relaxed),
            catalog_series: sh.catalog.len(),
            ..HistorianStats::default()
        };
        if let Ok(segs) = sh.segments.lock() {
            s.wal_segments = segs.len();
            s.wal_bytes = segs.iter().map(|x| x.bytes).sum();
        }
        if let Ok(st) = sh.state.read() {
            for h in st.heads.values() {
                s.head_samples += h.active.len() as u64;
                s.head_samples += h.frozen.as_ref().map_or(0, |f| f.points.len() as u64);
            }
            for cs in st.chunks.values() {
                s.chunks += cs.len() as u64;
                s.chunk_samples += cs.iter().map(|c| u64::from(c.meta.count)).sum::<u64>();
            }
        }
        s
    }
}

// ---------------------------------------------------------------- writer thread

fn writer_loop(
    sh: &Shared,
    mut wal: WalWriter,
    rx: &mpsc::Receiver<AppendRequest>,
    jobs: &mpsc::Sender<Job>,
) {
    let mut buf = Vec::new();
    while let Ok(first) = rx.recv() {
        let mut group_bytes = first.bytes;
        let mut group = vec![first];
        while group_bytes < sh.cfg.max_group_bytes {
            match rx.try_recv() {
                Ok(r) => {
                    group_bytes += r.bytes;
                    group.push(r);
                }
                Err(_) => break,
            }
        }
        if let Err(e) = commit_group(sh, &mut wal, &mut buf, group, group_bytes, jobs) {
            tracing::error!(error = %e, "write-ahead log writer failed; refusing further appends");
        }
    }
}

fn fail_group(sh: &Shared, group: Vec<AppendRequest>, group_bytes: u64, reason: &str) {
    for r in group {
        let _ = r.reply.send(Err(Error::WriterFailed {
            reason: reason.to_string(),
        }));
    }
    sh.pending_bytes.fetch_sub(group_bytes, Ordering::SeqCst);
}

fn commit_group(
    sh: &Shared,
    wal: &mut WalWriter,
    buf: &mut Vec<u8>,
    group: Vec<AppendRequest>,
    group_bytes: u64,
    jobs: &mpsc::Sender<Job>,
) -> Result<()> {
    if let Some(reason) = sh.failed.get() {
        fail_group(sh, group, group_bytes, reason);
        return Ok(());
    }
    let first_lsn = wal.next_lsn;
    buf.clear();
    for (i, r) in group.iter().enumerate() {
        wal::encode_record(buf, first_lsn + i as u64, &r.samples);
    }
    let mut rotated = None;
    let written = (|| -> Result<()> {
        if wal.needs_rotation() {
            rotated = Some(wal.rotate()?);
        }
        wal.write_group(buf, group.len() as u64)
    })();
    if let Err(e) = written {
        // After a failed write or fsync the file's state is unknown: stop here.
        let reason = e.to_string();
        let _ = sh.failed.set(reason.clone());
        fail_group(sh, group, group_bytes, &reason);
        return Err(e);
    }
    sh.counters.wal_syncs.fetch_add(1, Ordering::Relaxed);
    let wal_bytes = match sh.segments.lock() {
        Ok(mut segs) => {
            if let Some(info) = rotated {
                segs.push(info);
            }
            if let Some(last) = segs.last_mut() {
                last.bytes = wal.segment_bytes();
            }
            segs.iter().map(|s| s.bytes).sum()
        }
        Err(_) => 0,
    };
    let last_lsn = first_lsn + group.len() as u64 - 1;
    let due = match sh.state.write() {
        Ok(mut st) => {
            let mut due = false;
            for (i, r) in group.iter().enumerate() {
                due |= st.apply(
                    first_lsn + i as u64,
                    &r.samples,
                    sh.cfg.chunk_max_samples,
                    sh.cfg.chunk_max_span_ms,
                );
            }
            st.applied_next_lsn = last_lsn + 1;
            due
        }
        Err(_) => {
            let reason = "state lock poisoned".to_string();
            let _ = sh.failed.set(reason.clone());
            fail_group(sh, group, group_bytes, &reason);
            return Err(Error::Poisoned);
        }
    };
    sh.durable_lsn.store(last_lsn, Ordering::SeqCst);
    let publish = sh.events.receiver_count() > 0;
    let mut samples_n = 0u64;
    let batches = group.len() as u64;
    let mut replies = Vec::with_capacity(group.len());
    for (i, r) in group.into_iter().enumerate() {
        let lsn = Lsn(first_lsn + i as u64);
        samples_n += r.samples.len() as u64;
        if publish {
            let _ = sh.events.send(Arc::new(CommittedBatch {
                lsn,
                samples: r.samples,
            }));
        }
        replies.push((r.reply, lsn));
    }
    sh.counters
        .appended_samples
        .fetch_add(samples_n, Ordering::Relaxed);
    sh.counters
        .appended_batches
        .fetch_add(batches, Ordering::Relaxed);
    sh.pending_bytes.fetch_sub(group_bytes, Ordering::SeqCst);
    for (reply, lsn) in replies {
        let _ = reply.send(Ok(lsn));
    }
    if due && !sh.due_signalled.swap(true, Ordering::SeqCst) {
        let _ = jobs.send(Job::Due);
    }
    if wal_bytes > sh.cfg.wal_max_bytes && !sh.pressure_signalled.swap(true, Ordering::SeqCst) {
        let _ = jobs.send(Job::WalPressure);
    }
    Ok(())
}

// ------------------------------------------------------------- compactor thread

enum Select {
    Due,
    All,
    DueOrOlderThan(i64),
}

struct Compactor<'a> {
    sh: &'a Shared,
    next_seq: u64,
    next_file_id: u64,
    /// The newest retention cutoff persisted in `retention.cutoff`.
    cutoff: i64,
}

fn compactor_loop(
    sh: &Shared,
    rx: &mpsc::Receiver<Job>,
    (next_seq, next_file_id, cutoff): (u64, u64, i64),
) {
    let mut c = Compactor {
        sh,
        next_seq,
        next_file_id,
        cutoff,
    };
    while let Ok(job) = rx.recv() {
        match job {
            Job::Due => {
                sh.due_signalled.store(false, Ordering::SeqCst);
                if let Err(e) = c.compact(&Select::Due) {
                    tracing::error!(error = %e, "compaction failed; samples stay in memory and in the log");
                }
            }
            Job::WalPressure => {
                sh.pressure_signalled.store(false, Ordering::SeqCst);
                if let Err(e) = c.compact(&Select::All) {
                    tracing::error!(error = %e, "compaction (log size) failed; samples stay in memory and in the log");
                }
            }
            Job::FlushAll(reply) => {
                let _ = reply.send(c.compact(&Select::All));
            }
            Job::CompactDue(now, reply) => {
                let _ = reply.send(c.compact(&Select::DueOrOlderThan(now)));
            }
            Job::Retention(now, reply) => {
                let _ = reply.send(c.retention(now));
            }
        }
    }
}

impl Compactor<'_> {
    fn write_state(&self) -> Result<std::sync::RwLockWriteGuard<'_, State>> {
        self.sh.state.write().map_err(|_| Error::Poisoned)
    }

    fn compact(&mut self, select: &Select) -> Result<CompactionReport> {
        let cfg = &self.sh.cfg;
        let frozen: Vec<(SeriesId, Arc<Frozen>)> = {
            let mut st = self.write_state()?;
            let mut out = Vec::new();
            for (id, head) in st.heads.iter_mut() {
                let pick = match select {
                    Select::All => true,
                    Select::Due => head.is_due(cfg.chunk_max_samples, cfg.chunk_max_span_ms),
                    Select::DueOrOlderThan(now) => {
                        head.is_due(cfg.chunk_max_samples, cfg.chunk_max_span_ms)
                            || head
                                .active
                                .first()
                                .is_some_and(|p| p.ts <= now.saturating_sub(cfg.head_max_age_ms))
                    }
                };
                if !pick {
                    continue;
                }
                if let Some(f) = head.freeze() {
                    out.push((*id, f));
                }
            }
            out
        };
        let mut report = CompactionReport::default();
        if !frozen.is_empty() {
            match self.write_chunks(&frozen, &mut report) {
                Ok(()) => {
                    self.sh.counters.compactions.fetch_add(1, Ordering::Relaxed);
                }
                Err(e) => {
                    self.sh
                        .counters
                        .compaction_failures
                        .fetch_add(1, Ordering::Relaxed);
                    let mut st = self.write_state()?;
                    for (id, _) in &frozen {
                        if let Some(h) = st.heads.get_mut(id) {
                            h.unfreeze();
                        }
                    }
                    return Err(e);
                }
            }
        }
        report.wal_segments_deleted = self.checkpoint()?;
        if report.chunks > 0 || report.wal_segments_deleted > 0 {
            tracing::info!(
                series = report.series,
                chunks = report.chunks,
                samples = report.samples,
                bytes = report.bytes,
                wal_segments_deleted = report.wal_segments_deleted,
                "compacted heads into chunks"
            );
        }
        Ok(report)
    }

    fn write_chunks(
        &mut self,
        frozen: &[(SeriesId, Arc<Frozen>)],
        report: &mut CompactionReport,
    ) -> Result<()> {
        let max = self.sh.cfg.chunk_max_samples;
        let codec = self.sh.cfg.codec;
        let mut encoded = Vec::new();
        let mut seq = self.next_seq;
        for (id, f) in frozen {
            let parts = f.points.len().div_ceil(max);
            let per = f.points.len().div_ceil(parts);
            for part in f.points.chunks(per) {
                encoded.push(chunk::encode_chunk(codec, *id, seq, f.max_lsn, part)?);
                seq += 1;
            }
        }
        let file_id = self.next_file_id;
        report.series = frozen.len();
        report.chunks = encoded.len();
        report.samples = encoded
            .iter()
            .map(|c: &EncodedChunk| u64::from(c.meta.count))
            .sum();
        report.bytes = encoded.iter().map(|c| c.blob.len() as u64).sum();
        let (file, metas) = chunk::write_file(&self.sh.chunk_dir, file_id, encoded)?;
        self.next_seq = seq;
        self.next_file_id = file_id + 1;
        let mut st = self.write_state()?;
        for meta in metas {
            st.add_chunk(ChunkRef {
                meta,
                file: file.clone(),
            });
        }
        for (id, _) in frozen {
            if let Some(h) = st.heads.get_mut(id) {
                h.frozen = None;
            }
        }
        st.heads
            .retain(|_, h| !h.active.is_empty() || h.frozen.is_some());
        Ok(())
    }

    /// Deletes closed log segments whose records are all in durable chunks.
    fn checkpoint(&self) -> Result<usize> {
        let ckpt = self.sh.read()?.checkpoint_lsn();
        let mut segs = self.sh.segments.lock().map_err(|_| Error::Poisoned)?;
        let mut deleted = 0;
        while segs.len() >= 2 && segs[1].first_lsn <= ckpt {
            let seg = segs.remove(0);
            std::fs::remove_file(&seg.path).at(&seg.path)?;
            deleted += 1;
        }
        if deleted > 0 {
            sync_dir(&self.sh.wal_dir)?;
        }
        Ok(deleted)
    }

    fn retention(&mut self, now_ms: i64) -> Result<RetentionReport> {
        let cutoff = now_ms.saturating_sub(self.sh.cfg.retention_ms);
        let mut report = RetentionReport {
            cutoff_ms: cutoff,
            ..RetentionReport::default()
        };
        // Persist the cutoff first: replay at open skips older samples, so
        // samples whose chunks are deleted below never come back from the log.
        if cutoff > self.cutoff {
            crate::fsutil::write_cutoff(&self.sh.dir, cutoff)?;
            self.cutoff = cutoff;
            self.sh.retention_cutoff.store(cutoff, Ordering::SeqCst);
        }
        {
            let mut st = self.write_state()?;
            for h in st.heads.values_mut() {
                let before = h.active.len();
                h.active.retain(|p| p.ts >= cutoff);
                report.head_samples_removed += (before - h.active.len()) as u64;
            }
            st.heads
                .retain(|_, h| !h.active.is_empty() || h.frozen.is_some());
        }
        // Group the index by file.
        let mut by_file: HashMap<u64, (Arc<chunk::ChunkFile>, Vec<chunk::ChunkMeta>)> =
            HashMap::new();
        {
            let st = self.sh.read()?;
            for cs in st.chunks.values() {
                for c in cs {
                    by_file
                        .entry(c.file.id)
                        .or_insert_with(|| (c.file.clone(), Vec::new()))
                        .1
                        .push(c.meta.clone());
                }
            }
        }
        let mut ids: Vec<u64> = by_file.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            let Some((file, metas)) = by_file.remove(&id) else {
                continue;
            };
            let (expired, keep): (Vec<_>, Vec<_>) =
                metas.into_iter().partition(|m| m.max_ts < cutoff);
            if expired.is_empty() {
                continue;
            }
            let replacement = if keep.is_empty() {
                None
            } else {
                // Copy the surviving blobs verbatim (sequence numbers kept).
                let mut survivors = Vec::with_capacity(keep.len());
                for m in &keep {
                    let blob = file.read_blob(m)?;
                    survivors.push(EncodedChunk {
                        meta: m.clone(),
                        blob,
                    });
                }
                let new_id = self.next_file_id;
                let written = chunk::write_file(&self.sh.chunk_dir, new_id, survivors)?;
                self.next_file_id = new_id + 1;
                Some(written)
            };
            {
                let mut st = self.write_state()?;
                for m in &expired {
                    if let Some(cs) = st.chunks.get_mut(&m.series) {
                        cs.retain(|c| !(c.file.id == id && c.meta.seq == m.seq));
                    }
                }
                if let Some((new_file, new_metas)) = &replacement {
                    for m in new_metas {
                        if let Some(cs) = st.chunks.get_mut(&m.series) {
                            for c in cs.iter_mut() {
                                if c.file.id == id && c.meta.seq == m.seq {
                                    c.meta = m.clone();
                                    c.file = new_file.clone();
                                }
                            }
                        }
                    }
                }
                st.chunks.retain(|_, cs| !cs.is_empty());
            }
            std::fs::remove_file(&file.path).at(&file.path)?;
            sync_dir(&self.sh.chunk_dir)?;
            report.chunks_removed += expired.len();
            report.samples_removed += expired.iter().map(|m| u64::from(m.count)).sum::<u64>();
            if replacement.is_some() {
                report.files_rewritten += 1;
            } else {
                report.files_deleted += 1;
            }
        }
        if report.chunks_removed > 0 || report.head_samples_removed > 0 {
            tracing::info!(
                head_samples_removed = report.head_samples_removed,
                cutoff_ms = cutoff,
                chunks_removed = report.chunks_removed,
                samples_removed = report.samples_removed,
                files_deleted = report.files_deleted,
                files_rewritten = report.files_rewritten,
                "retention removed expired chunks"
            );
        }
        Ok(report)
    }
}
