//! Heads, chunks and queries of the 历史库 (historian): compaction, restart,
//! buckets, latest, retention, catalog.

mod common;

use std::collections::BTreeMap;

use common::*;
use proptest::prelude::*;
use weihua_historian::{Bucket, DAY_MS, Error, Historian, HistorianConfig, Lsn, Sample, SeriesId};

/// Applies `batches` in order with optional flushes, like the server would.
fn write(h: &Historian, rt: &tokio::runtime::Runtime, batches: &[(Vec<Sample>, bool)]) {
    rt.block_on(async {
        for (b, flush) in batches {
            if let Err(e) = h.append(b.clone()).await {
                panic!("append: {e}");
            }
            let flushed = if *flush {
                h.flush_all().await.map(|_| ())
            } else {
                Ok(())
            };
            if let Err(e) = flushed {
                panic!("flush: {e}");
            }
        }
    });
}

/// The expected content: last write per timestamp wins.
fn model(batches: &[(Vec<Sample>, bool)]) -> BTreeMap<i64, (f64, u8)> {
    let mut m = BTreeMap::new();
    for (b, _) in batches {
        for s in b {
            m.insert(s.ts_ms, (s.value, s.quality));
        }
    }
    m
}

fn bits(v: &[(i64, f64, u8)]) -> Vec<(i64, u64, u8)> {
    v.iter().map(|(t, x, q)| (*t, x.to_bits(), *q)).collect()
}

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("NaN is never stored", |v| !v.is_nan()),
        (-10_000i32..10_000).prop_map(|x| f64::from(x) / 100.0),
        Just(0.0),
        Just(-0.0),
    ]
}

/// Batches of one series: timestamps mostly increasing with jumps back (out of
/// order) and repeats (duplicates), random flushes in between.
fn batches() -> impl Strategy<Value = Vec<(Vec<Sample>, bool)>> {
    let sample = (
        -20i64..60,
        value(),
        prop_oneof![9 => Just(0u8), 1 => any::<u8>()],
    );
    prop::collection::vec(
        (prop::collection::vec(sample, 1..20), any::<bool>(), 0i64..3),
        1..12,
    )
    .prop_map(|raw| {
        let mut base = 0i64;
        raw.into_iter()
            .map(|(samples, flush, step)| {
                base += step * 20;
                let b = samples
                    .into_iter()
                    .map(|(dt, v, q)| Sample {
                        series: SeriesId(7),
                        ts_ms: base + dt,
                        value: v,
                        quality: q,
                    })
                    .collect();
                (b, flush)
            })
            .collect()
    })
}

fn small_chunks() -> HistorianConfig {
    HistorianConfig {
        chunk_max_samples: 8,
        wal_segment_bytes: 4096,
        ..HistorianConfig::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Compaction + query equals the raw data (last write per timestamp wins),
    /// before and after a restart, for out-of-order and duplicate input.
    #[test]
    fn compaction_then_range_equals_the_raw_data(b in batches(), from in -100i64..200, len in 0i64..300) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let rt = rt();
        let want = model(&b);
        let want_all: Vec<(i64, f64, u8)> = want.iter().map(|(t, (v, q))| (*t, *v, *q)).collect();
        let want_sub: Vec<(i64, f64, u8)> = want
            .range(from..from + len)
            .map(|(t, (v, q))| (*t, *v, *q))
            .collect();
        for round in 0..2 {
            let h = open(dir.path(), small_chunks());
            if round == 0 {
                write(&h, &rt, &b);
            }
            let got = h.range_with_quality(SeriesId(7), i64::MIN, i64::MAX);
            let got = got.unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(bits(&got), bits(&want_all), "round {}", round);
            let sub = h.range_with_quality(SeriesId(7), from, from + len);
            let sub = sub.unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(bits(&sub), bits(&want_sub));
            let latest = h.latest(&[SeriesId(7), SeriesId(8)]).unwrap_or_else(|e| panic!("{e}"));
            let want_latest = want.iter().next_back().map(|(t, (v, q))| (*t, v.to_bits(), *q));
            prop_assert_eq!(latest[0].map(|(t, v, q)| (t, v.to_bits(), q)), want_latest);
            prop_assert_eq!(latest[1], None);
        }
    }

    /// Buckets agree with a naive implementation over the raw data.
    #[test]
    fn buckets_agree_with_a_naive_implementation(
        b in batches(),
        from in -40i64..100,
        len in 1i64..400,
        n in 1usize..40,
    ) {
        // Bounded values: sums must not overflow differently in the two orders.
        let b: Vec<(Vec<Sample>, bool)> = b
            .into_iter()
            .map(|(s, f)| {
                let s = s
                    .into_iter()
                    .map(|mut x| {
                        if !x.value.is_finite() || x.value.abs() > 1e6 {
                            x.value = (x.ts_ms % 97) as f64 * 0.5;
                        }
                        x
                    })
                    .collect();
                (s, f)
            })
            .collect();
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let rt = rt();
        let h = open(dir.path(), HistorianConfig { chunk_max_samples: 4, ..small_chunks() });
        write(&h, &rt, &b);
        let to = from + len;
        let got = h.buckets(SeriesId(7), from, to, n).unwrap_or_else(|e| panic!("{e}"));
        let want = naive_buckets(&model(&b), from, to, n);
        prop_assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            prop_assert_eq!((g.start_ms, g.end_ms, g.count), (w.start_ms, w.end_ms, w.count));
            prop_assert_eq!((g.min, g.max, g.last), (w.min, w.max, w.last));
            prop_assert!((g.avg - w.avg).abs() <= 1e-9 * (1.0 + w.avg.abs()), "{} vs {}", g.avg, w.avg);
        }
    }
}

fn naive_buckets(m: &BTreeMap<i64, (f64, u8)>, from: i64, to: i64, n: usize) -> Vec<Bucket> {
    let span = i128::from(to - from);
    let n128 = n as i128;
    let start = |i: i128| from + ((i * span + n128 - 1) / n128) as i64;
    let mut groups: BTreeMap<i128, Vec<f64>> = BTreeMap::new();
    for (t, (v, _)) in m.range(from..to) {
        let i = i128::from(t - from) * n128 / span;
        groups.entry(i).or_default().push(*v);
    }
    groups
        .into_iter()
        .map(|(i, vs)| Bucket {
            start_ms: start(i),
            end_ms: start(i + 1),
            min: vs.iter().copied().fold(f64::INFINITY, f64::min),
            max: vs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            avg: vs.iter().sum::<f64>() / vs.len() as f64,
            last: vs[vs.len() - 1],
            count: vs.len() as u64,
        })
        .collect()
}

#[test]
fn a_late_sample_after_compaction_overrides_the_chunk_and_queries_merge() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rt = rt();
    {
        let h = open(dir.path(), no_auto_compaction());
        rt.block_on(async {
            assert!(h.append(batch(1, 0..100)).await.is_ok());
            assert!(h.flush_all().await.is_ok());
            let late = vec![
                Sample::good(SeriesId(1), 50, -1.5),
                Sample::good(SeriesId(1), 200, 7.0),
            ];
            assert!(h.append(late).await.is_ok());
        });
        let check = |h: &Historian| {
            let got = all_of(h, 1);
            assert_eq!(got.len(), 101);
            assert_eq!(got[50], (50, -1.5));
            assert_eq!(got[49], (49, value_of(1, 49)));
            assert_eq!(got[100], (200, 7.0));
            let b = h
                .buckets(SeriesId(1), 0, 100, 2)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(b.len(), 2);
            assert_eq!((b[1].count, b[1].min), (50, -1.5));
            assert_eq!(
                h.latest(&[SeriesId(1)]).unwrap_or_else(|e| panic!("{e}")),
                vec![Some((200, 7.0, 0))]
            );
        };
        check(&h);
        // The late samples become a second chunk that overlaps the first.
        assert!(rt.block_on(h.flush_all()).is_ok());
        assert_eq!(h.stats().chunks, 2);
        check(&h);
        drop(h);
        let h = open(dir.path(), no_auto_compaction());
        check(&h);
    }
}

#[test]
fn latest_returns_the_newest_sample_of_each_series_from_head_or_chunk() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rt = rt();
    let h = open(dir.path(), no_auto_compaction());
    rt.block_on(async {
        assert!(h.append(batch(1, [10, 30, 20])).await.is_ok());
        assert!(h.flush_all().await.is_ok());
        let mut s = Sample::good(SeriesId(2), 5, 2.5);
        s.quality = 3;
        assert!(h.append(vec![s]).await.is_ok());
    });
    let got = h
        .latest(&[SeriesId(1), SeriesId(2), SeriesId(3)])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        got,
        vec![Some((30, value_of(1, 30), 0)), Some((5, 2.5, 3)), None]
    );
}

#[test]
fn restart_after_compaction_finds_everything() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rt = rt();
    let cfg = HistorianConfig {
        chunk_max_samples: 100,
        ..HistorianConfig::default()
    };
    {
        let h = open(dir.path(), cfg.clone());
        rt.block_on(async {
            for i in 0..30i64 {
                for s in 0..3u32 {
                    assert!(h.append(batch(s, i * 25..i * 25 + 25)).await.is_ok());
                }
            }
            assert!(h.flush_all().await.is_ok());
            for s in 0..3u32 {
                assert!(h.append(batch(s, 750..800)).await.is_ok());
            }
        });
        let st = h.stats();
        assert!(st.chunks >= 3 * 7, "{} chunks", st.chunks);
        assert_eq!(st.head_samples, 150);
    }
    let h = open(dir.path(), cfg);
    let r = h.recovery_report();
    assert!(r.chunks >= 21);
    assert!(r.truncations.is_empty());
    for s in 0..3u32 {
        let want: Vec<(i64, f64)> = (0..800).map(|t| (t, value_of(s, t))).collect();
        assert_eq!(all_of(&h, s), want, "series {s}");
    }
    assert_eq!(
        h.stats().head_samples,
        150,
        "only the unflushed tail is replayed"
    );
}

#[test]
fn compaction_starts_by_itself_when_a_head_is_full() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rt = rt();
    let h = open(
        dir.path(),
        HistorianConfig {
            chunk_max_samples: 50,
            ..HistorianConfig::default()
        },
    );
    rt.block_on(async {
        assert!(h.append(batch(1, 0..120)).await.is_ok());
        // Full heads are compacted by the Due job the writer sends; compact_due
        // (which also takes due heads) waits for the compactor either way.
        assert!(h.compact_due(0).await.is_ok());
    });
    let st = h.stats();
    assert_eq!(st.chunk_samples, 120);
    assert!(st.chunks >= 3);
    assert!(
        st.chunks <= 3,
        "split into chunks of at most 50: {}",
        st.chunks
    );
    assert_eq!(all_of(&h, 1).len(), 120);
}

#[test]
fn compact_due_flushes_heads_older_than_the_head_age() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rt = rt();
    let h = open(dir.path(), no_auto_compaction());
    let hour = 3_600_000;
    rt.block_on(async {
        assert!(h.append(batch(1, [0, 1000])).await.is_ok());
        assert!(h.append(batch(2, [3 * hour])).await.is_ok());
        let r = h
            .compact_due(3 * hour)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.series, r.samples), (1, 2));
    });
    assert_eq!(h.stats().head_samples, 1);
}

#[test]
fn retention_removes_only_chunks_older_than_the_retention() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rt = rt();
    let cfg = HistorianConfig {
        retention_ms: 400 * DAY_MS,
        ..no_auto_compaction()
    };
    let now = 1000 * DAY_MS;
    let old = now - 401 * DAY_MS;
    let young = now - 399 * DAY_MS;
    {
        let h = open(dir.path(), cfg.clone());
        rt.block_on(async {
            // File 1: only old chunks (series 1). File 2: old series 2 and young
            // series 3 together. File 3: young series 1.
            assert!(h.append(batch(1, old..old + 10)).await.is_ok());
            assert!(h.flush_all().await.is_ok());
            assert!(h.append(batch(2, old..old + 10)).await.is_ok());
            assert!(h.append(batch(3, young..young + 10)).await.is_ok());
            assert!(h.flush_all().await.is_ok());
            assert!(h.append(batch(1, young..young + 10)).await.is_ok());
            assert!(h.flush_all().await.is_ok());
        });
        assert_eq!(chunk_files(dir.path()).len(), 3);
        // Nothing is old enough yet.
        let r = rt
            .block_on(h.run_retention(now - 2 * DAY_MS))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.chunks_removed, 0);
        let r = rt
            .block_on(h.run_retention(now))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.cutoff_ms, now - 400 * DAY_MS);
        assert_eq!((r.chunks_removed, r.samples_removed), (2, 20));
        assert_eq!((r.files_deleted, r.files_rewritten), (1, 1));
        assert_eq!(chunk_files(dir.path()).len(), 2);
        let check = |h: &Historian| {
            assert_eq!(all_of(h, 1).len(), 10);
            assert_eq!(all_of(h, 1)[0].0, young);
            assert!(
                all_of(h, 2).is_empty(),
                "{:?} {:?}",
                all_of(h, 2),
                h.stats()
            );
            assert_eq!(all_of(h, 3).len(), 10);
        };
        check(&h);
        // Samples older than the applied cutoff are refused, not stored and lost.
        match rt.block_on(h.append(batch(2, [old + 20]))) {
            Err(Error::Expired { cutoff_ms, .. }) => assert_eq!(cutoff_ms, now - 400 * DAY_MS),
            other => panic!("expected Expired, got {other:?}"),
        }
        drop(h);
        let h = open(dir.path(), cfg);
        check(&h);
        assert_eq!(h.stats().chunks, 2);
        assert_eq!(
            h.recovery_report().samples_expired,
            10,
            "series 2 stays deleted"
        );
        assert!(
            rt.block_on(h.append(batch(2, [old + 20]))).is_err(),
            "the cutoff persists"
        );
    }
}

#[test]
fn retention_shorter_than_the_legal_30_days_is_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cfg = HistorianConfig {
        retention_ms: 29 * DAY_MS,
        ..HistorianConfig::default()
    };
    match Historian::open(dir.path(), cfg) {
        Err(Error::Config(m)) => assert!(m.contains("30 days"), "{m}"),
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn catalog_ids_are_stable_across_restarts() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<SeriesId> = {
        let h = open(dir.path(), no_auto_compaction());
        ["TI-101", "LT-201", "GT-301.%LEL", "储罐区/PT-1"]
            .iter()
            .map(|p| h.series_id(p).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    };
    assert_eq!(
        ids,
        vec![SeriesId(0), SeriesId(1), SeriesId(2), SeriesId(3)]
    );
    let h = open(dir.path(), no_auto_compaction());
    assert_eq!(h.series_id("LT-201").ok(), Some(SeriesId(1)));
    assert_eq!(h.lookup_series("储罐区/PT-1"), Some(SeriesId(3)));
    assert_eq!(h.point_id(SeriesId(2)).as_deref(), Some("GT-301.%LEL"));
    assert_eq!(h.series_id("FT-401").ok(), Some(SeriesId(4)));
    assert_eq!(h.lookup_series("nope"), None);
    assert!(matches!(h.series_id(""), Err(Error::InvalidPointId { .. })));
    assert!(matches!(
        h.series_id("a\nb"),
        Err(Error::InvalidPointId { .. })
    ));
    assert_eq!(h.stats().catalog_series, 5);
}

#[test]
fn a_torn_catalog_record_is_cut_and_the_ids_before_it_kept() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    {
        let h = open(dir.path(), no_auto_compaction());
        assert!(h.series_id("TI-101").is_ok());
        assert!(h.series_id("TI-102").is_ok());
    }
    let path = dir.path().join("catalog.log");
    let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("{e}"));
    f.set_len(len - 2).unwrap_or_else(|e| panic!("{e}"));
    drop(f);
    let h = open(dir.path(), no_auto_compaction());
    assert_eq!(h.lookup_series("TI-101"), Some(SeriesId(0)));
    assert_eq!(h.lookup_series("TI-102"), None);
    assert_eq!(h.series_id("TI-103").ok(), Some(SeriesId(1)));
}

#[test]
fn a_damaged_chunk_is_reported_by_the_query_not_a_panic() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rt = rt();
    {
        let h = open(dir.path(), no_auto_compaction());
        rt.block_on(async {
            assert!(h.append(batch(1, 0..100)).await.is_ok());
            assert!(h.flush_all().await.is_ok());
        });
    }
    let files = chunk_files(dir.path());
    assert_eq!(files.len(), 1);
    let mut data = std::fs::read(&files[0]).unwrap_or_else(|e| panic!("{e}"));
    data[20] ^= 0xff; // inside the first blob
    std::fs::write(&files[0], data).unwrap_or_else(|e| panic!("{e}"));
    let h = open(dir.path(), no_auto_compaction());
    match h.range(SeriesId(1), 0, 100) {
        Err(Error::CorruptChunk { reason, .. }) => assert!(reason.contains("checksum"), "{reason}"),
        other => panic!("expected CorruptChunk, got {other:?}"),
    }
    // The index summary still answers latest.
    assert_eq!(
        h.latest(&[SeriesId(1)]).unwrap_or_else(|e| panic!("{e}"))[0].map(|p| p.0),
        Some(99)
    );
}

#[test]
fn bucket_queries_validate_their_arguments() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let h = open(dir.path(), no_auto_compaction());
    assert!(matches!(
        h.buckets(SeriesId(1), 0, 10, 0),
        Err(Error::InvalidQuery(_))
    ));
    assert_eq!(h.buckets(SeriesId(1), 10, 10, 5).ok(), Some(vec![]));
    assert_eq!(h.range(SeriesId(1), 10, 0).ok(), Some(vec![]));
    assert_eq!(h.durable_lsn(), Lsn(0));
    // The full i64 range does not overflow.
    assert_eq!(
        h.buckets(SeriesId(1), i64::MIN, i64::MAX, 1000).ok(),
        Some(vec![])
    );
}

#[test]
fn catalog_registers_many_points_at_once_in_order_and_without_duplicates() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<String> = (0..2000).map(|i| format!("P-{i:04}")).collect();
    {
        let h = open(dir.path(), no_auto_compaction());
        assert_eq!(h.series_id("P-0007").ok(), Some(SeriesId(0)));
        let mut refs: Vec<&str> = names.iter().map(String::as_str).collect();
        refs.push("P-0001"); // a repeat in the same call
        let ids = h.series_ids(&refs).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ids[7], SeriesId(0), "an existing point keeps its id");
        assert_eq!(ids[0], SeriesId(1));
        assert_eq!(ids[2000], ids[1], "a repeat gets the same id");
        assert_eq!(h.stats().catalog_series, 2000);
        // An invalid id refuses the whole call and registers nothing.
        assert!(matches!(
            h.series_ids(&["Q-1", ""]),
            Err(Error::InvalidPointId { .. })
        ));
        assert_eq!(h.lookup_series("Q-1"), None);
    }
    let h = open(dir.path(), no_auto_compaction());
    assert_eq!(h.lookup_series("P-1999"), Some(SeriesId(1999)));
    assert_eq!(h.point_id(SeriesId(0)).as_deref(), Some("P-0007"));
    assert_eq!(h.series_id("new").ok(), Some(SeriesId(2000)));
}
