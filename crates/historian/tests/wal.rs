//! 预写日志 (write-ahead log): durability, group commit, recovery, overload.

mod common;

use std::collections::HashSet;
use std::fs::OpenOptions;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use weihua_historian::{Error, HistorianConfig, Lsn, Sample, SeriesId};

#[test]
fn wal_round_trip_replays_every_batch() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rt = rt();
    {
        let h = open(dir.path(), no_auto_compaction());
        rt.block_on(async {
            for i in 0..20i64 {
                let lsn = h.append(batch(1, i * 10..i * 10 + 10)).await;
                assert_eq!(lsn.ok(), Some(Lsn(i as u64 + 1)));
            }
            // Samples carry their quality through the log.
            let mut s = Sample::good(SeriesId(2), 5, -0.0);
            s.quality = 192;
            assert!(h.append(vec![s]).await.is_ok());
        });
        assert_eq!(h.durable_lsn(), Lsn(21));
    }
    let h = open(dir.path(), no_auto_compaction());
    let r = h.recovery_report();
    assert_eq!((r.wal_records, r.wal_samples), (21, 201));
    assert!(r.truncations.is_empty());
    assert_eq!(r.next_lsn, Lsn(22));
    let got = all_of(&h, 1);
    assert_eq!(got.len(), 200);
    assert!(got.iter().all(|(t, v)| *v == value_of(1, *t)));
    let q = h
        .range_with_quality(SeriesId(2), 0, 10)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(q.len(), 1);
    assert_eq!(
        (q[0].0, q[0].1.to_bits(), q[0].2),
        (5, (-0.0f64).to_bits(), 192)
    );
    // New appends continue the LSN sequence.
    let lsn = rt.block_on(h.append(batch(1, [1000])));
    assert_eq!(lsn.ok(), Some(Lsn(22)));
}

#[test]
fn group_commit_many_concurrent_appenders_all_acknowledged_and_replayed() {
    const TASKS: u32 = 64;
    const PER_TASK: i64 = 20;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rt = rt();
    {
        let h = open(dir.path(), no_auto_compaction());
        let lsns = rt.block_on(async {
            let mut tasks = Vec::new();
            for k in 0..TASKS {
                let h = h.clone();
                tasks.push(tokio::spawn(async move {
                    let mut lsns = Vec::new();
                    for i in 0..PER_TASK {
                        match h.append(batch(k, i * 10..i * 10 + 10)).await {
                            Ok(lsn) => lsns.push(lsn),
                            Err(e) => panic!("append failed: {e}"),
                        }
                    }
                    lsns
                }));
            }
            let mut all = Vec::new();
            for t in tasks {
                all.extend(t.await.unwrap_or_else(|e| panic!("{e}")));
            }
            all
        });
        let total = u64::from(TASKS) * PER_TASK as u64;
        let distinct: HashSet<Lsn> = lsns.iter().copied().collect();
        assert_eq!(distinct.len() as u64, total, "every batch has its own LSN");
        assert!(lsns.iter().all(|l| (1..=total).contains(&l.0)));
        let st = h.stats();
        assert_eq!(st.appended_batches, total);
        assert_eq!(st.appended_samples, total * 10);
        assert!(
            st.wal_syncs < total,
            "group commit: {} fsyncs for {total} batches",
            st.wal_syncs
        );
        assert_eq!(st.pending_bytes, 0);
    }
    let h = open(dir.path(), no_auto_compaction());
    assert_eq!(
        h.recovery_report().wal_samples,
        u64::from(TASKS) * PER_TASK as u64 * 10
    );
    for k in 0..TASKS {
        let got = all_of(&h, k);
        let want: Vec<(i64, f64)> = (0..PER_TASK * 10).map(|t| (t, value_of(k, t))).collect();
        assert_eq!(got, want, "series {k}");
    }
}

/// Appends `n` batches of 10 samples of series 1 (ts 10·i ..) and closes.
fn write_batches(dir: &std::path::Path, cfg: HistorianConfig, n: i64) {
    let h = open(dir, cfg);
    rt().block_on(async {
        for i in 0..n {
            assert!(h.append(batch(1, i * 10..i * 10 + 10)).await.is_ok());
        }
    });
}

#[test]
fn torn_tail_is_truncated_and_earlier_records_survive() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write_batches(dir.path(), no_auto_compaction(), 10);
    let segs = wal_segments(dir.path());
    let last = segs.last().unwrap_or_else(|| panic!("no segment"));
    let len = std::fs::metadata(last).map(|m| m.len()).unwrap_or(0);
    let f = OpenOptions::new()
        .write(true)
        .open(last)
        .unwrap_or_else(|e| panic!("{e}"));
    f.set_len(len - 3).unwrap_or_else(|e| panic!("{e}"));
    drop(f);

    let h = open(dir.path(), no_auto_compaction());
    let r = h.recovery_report().clone();
    assert_eq!(r.wal_records, 9, "the torn 10th record is dropped");
    assert_eq!(r.truncations.len(), 1);
    let t = &r.truncations[0];
    assert_eq!(t.dropped_bytes, 21 + 10 * 21 - 3);
    assert!(t.reason.contains("torn"), "{}", t.reason);
    assert!(t.quarantined_to.as_ref().is_some_and(|p| p.exists()));
    let got = all_of(&h, 1);
    assert_eq!(got.len(), 90);
    assert_eq!(got.last().map(|p| p.0), Some(89));
    // The log continues right after the last intact record.
    assert_eq!(rt().block_on(h.append(batch(1, [500]))).ok(), Some(Lsn(10)));
    drop(h);
    let h = open(dir.path(), no_auto_compaction());
    assert!(h.recovery_report().truncations.is_empty());
    assert_eq!(all_of(&h, 1).len(), 91);
}

/// Flips one byte at `offset` of `path`.
fn flip(path: &std::path::Path, offset: usize) {
    let mut data = std::fs::read(path).unwrap_or_else(|e| panic!("{e}"));
    data[offset] ^= 0x40;
    std::fs::write(path, data).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn crc_corruption_in_the_last_segment_stops_replay_there_and_quarantines_the_rest() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write_batches(dir.path(), no_auto_compaction(), 10);
    let segs = wal_segments(dir.path());
    let last = segs.last().unwrap_or_else(|| panic!("no segment"));
    let record = 8 + 13 + 10 * 21; // framed size of one batch of 10
    let fifth = 8 + 4 * record; // start of the 5th record
    flip(last, fifth + 8 + 13 + 12); // a value byte inside its payload
    let h = open(dir.path(), no_auto_compaction());
    let r = h.recovery_report().clone();
    assert_eq!(r.wal_records, 4, "policy: stop at the first damaged record");
    assert_eq!(r.truncations.len(), 1);
    let t = &r.truncations[0];
    assert_eq!(t.offset, fifth as u64);
    assert_eq!(t.dropped_bytes, 6 * record as u64);
    assert!(t.reason.contains("checksum"), "{}", t.reason);
    let kept = std::fs::read(
        t.quarantined_to
            .as_ref()
            .unwrap_or_else(|| panic!("no quarantine")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        kept.len(),
        6 * record,
        "the dropped records are kept for forensics"
    );
    assert_eq!(all_of(&h, 1).len(), 40);
}

#[test]
fn crc_corruption_in_an_older_segment_refuses_to_open() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cfg = HistorianConfig {
        wal_segment_bytes: 4096,
        ..no_auto_compaction()
    };
    write_batches(dir.path(), cfg.clone(), 60);
    let segs = wal_segments(dir.path());
    assert!(segs.len() >= 3, "{} segments", segs.len());
    flip(&segs[0], 8 + 8 + 13 + 30);
    match weihua_historian::Historian::open(dir.path(), cfg) {
        Err(Error::CorruptWal {
            path,
            offset,
            reason,
        }) => {
            assert_eq!(path, segs[0]);
            assert_eq!(offset, 8);
            assert!(reason.contains("checksum"), "{reason}");
        }
        other => panic!("expected CorruptWal, got {other:?}"),
    }
}

#[test]
fn segments_rotate_and_a_checkpoint_deletes_the_segments_chunks_cover() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cfg = HistorianConfig {
        wal_segment_bytes: 4096,
        ..no_auto_compaction()
    };
    let rt = rt();
    let h = open(dir.path(), cfg.clone());
    rt.block_on(async {
        for i in 0..60i64 {
            assert!(
                h.append(batch(1 + (i % 3) as u32, i * 10..i * 10 + 10))
                    .await
                    .is_ok()
            );
        }
    });
    let before = wal_segments(dir.path()).len();
    assert!(before >= 3, "{before} segments");
    let rep = rt
        .block_on(h.flush_all())
        .unwrap_or_else(|e| panic!("flush: {e}"));
    assert_eq!(rep.samples, 600);
    assert_eq!(rep.wal_segments_deleted, before - 1);
    assert_eq!(
        wal_segments(dir.path()).len(),
        1,
        "only the active segment stays"
    );
    assert_eq!(h.stats().wal_segments, 1);
    drop(h);
    let h = open(dir.path(), cfg);
    let r = h.recovery_report();
    assert_eq!(
        r.wal_samples, r.samples_already_in_chunks,
        "nothing replayed twice"
    );
    for s in 1..=3 {
        assert_eq!(all_of(&h, s).len(), 200);
    }
}

#[test]
fn overload_returns_the_error_at_once_and_pending_bytes_stay_bounded() {
    let limit = 64 * 1024;
    let cfg = HistorianConfig {
        max_pending_bytes: limit,
        max_batch_bytes: limit,
        overload_retry_after: Duration::from_millis(250),
        ..no_auto_compaction()
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let h = open(dir.path(), cfg);
    let rt = rt();
    let (mut acked, mut refused) = (0u64, 0u64);
    // Each task writes its own series with ts = batch number; a refused batch
    // must leave nothing behind, an acknowledged one must be complete.
    let results = rt.block_on(async {
        let mut tasks = Vec::new();
        for k in 0..16u32 {
            let h = h.clone();
            tasks.push(tokio::spawn(async move {
                let mut out = Vec::new();
                for i in 0..40i64 {
                    let b: Vec<Sample> = (0..1000)
                        .map(|j| Sample::good(SeriesId(k), i * 1000 + j, 1.0))
                        .collect();
                    let r = h.append(b).await;
                    out.push((i, r));
                }
                out
            }));
        }
        let mut all = Vec::new();
        for (k, t) in tasks.into_iter().enumerate() {
            all.push((k as u32, t.await.unwrap_or_else(|e| panic!("{e}"))));
        }
        all
    });
    for (k, rs) in &results {
        let got = all_of(&h, *k);
        let mut want = 0;
        for (i, r) in rs {
            match r {
                Ok(_) => {
                    acked += 1;
                    want += 1000;
                    assert!(got.iter().any(|p| p.0 == i * 1000 + 999));
                }
                Err(Error::Overloaded {
                    retry_after,
                    pending_bytes,
                    limit_bytes,
                }) => {
                    refused += 1;
                    assert_eq!(*retry_after, Duration::from_millis(250));
                    assert_eq!(*limit_bytes, limit);
                    assert!(*pending_bytes <= limit);
                    assert!(!got.iter().any(|p| p.0 == i * 1000));
                }
                Err(e) => panic!("unexpected error {e}"),
            }
        }
        assert_eq!(got.len(), want);
    }
    let st = h.stats();
    assert!(
        refused > 0,
        "16 writers against a 3-batch queue were never refused"
    );
    assert!(acked > 0);
    assert_eq!(st.overloaded_rejections, refused);
    assert!(
        st.peak_pending_bytes <= limit,
        "queue grew to {} bytes, limit {limit}",
        st.peak_pending_bytes
    );
    assert_eq!(st.pending_bytes, 0);
}

#[test]
fn nan_and_oversized_batches_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cfg = HistorianConfig {
        max_batch_bytes: 1024,
        ..no_auto_compaction()
    };
    let h = open(dir.path(), cfg);
    let rt = rt();
    let mut b = batch(1, 0..5);
    b[3].value = f64::NAN;
    match rt.block_on(h.append(b)) {
        Err(Error::NanValue {
            index,
            series,
            ts_ms,
        }) => {
            assert_eq!((index, series, ts_ms), (3, SeriesId(1), 3));
        }
        other => panic!("expected NanValue, got {other:?}"),
    }
    assert!(matches!(
        rt.block_on(h.append(batch(1, 0..100))),
        Err(Error::BatchTooLarge { samples: 100, .. })
    ));
    assert!(all_of(&h, 1).is_empty());
    assert_eq!(h.durable_lsn(), Lsn(0));
    // Infinities are values like any other.
    let mut b = batch(1, 0..2);
    b[0].value = f64::INFINITY;
    b[1].value = f64::NEG_INFINITY;
    assert_eq!(rt.block_on(h.append(b)).ok(), Some(Lsn(1)));
    // An empty batch writes nothing and reports the newest durable LSN.
    assert_eq!(rt.block_on(h.append(Vec::new())).ok(), Some(Lsn(1)));
}

#[test]
fn a_second_open_of_the_same_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let h = open(dir.path(), no_auto_compaction());
    assert!(matches!(
        weihua_historian::Historian::open(dir.path(), no_auto_compaction()),
        Err(Error::Locked { .. })
    ));
    drop(h);
    assert!(weihua_historian::Historian::open(dir.path(), no_auto_compaction()).is_ok());
}

#[test]
fn subscribers_see_every_durable_batch_in_lsn_order() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let h = open(dir.path(), no_auto_compaction());
    let mut rx = h.subscribe();
    let rt = rt();
    rt.block_on(async {
        let mut tasks = Vec::new();
        for k in 0..8u32 {
            let h = h.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..25i64 {
                    let r = h.append(batch(k, [i * 2, i * 2 + 1])).await;
                    assert!(r.is_ok());
                }
            }));
        }
        for t in tasks {
            t.await.unwrap_or_else(|e| panic!("{e}"));
        }
        let mut last_ts = [-1i64; 8];
        for next in 1..=200u64 {
            let b: Arc<weihua_historian::CommittedBatch> =
                rx.recv().await.unwrap_or_else(|e| panic!("recv: {e}"));
            assert_eq!(b.lsn, Lsn(next), "consecutive LSNs");
            for s in &b.samples {
                let k = s.series.0 as usize;
                assert!(s.ts_ms > last_ts[k], "per-series order kept");
                last_ts[k] = s.ts_ms;
            }
        }
        assert!(last_ts.iter().all(|t| *t == 49));
        assert!(rx.try_recv().is_err());
    });
}
