//! Codec comparison on realistic plant signals, and the downsampling query.
//!
//! Prints, before the timed runs, the compressed size in bytes per sample
//! (timestamp + value + quality) of each codec on one day of 1 Hz data, in
//! chunks of 7,200 samples (the default chunk size) and of 86,400 (one day per
//! chunk), against the 16 bytes of a raw (i64, f64) pair and the 1.37 bytes per
//! point of the Gorilla paper. Then criterion times encode and decode of one
//! 7,200-sample chunk, and `buckets` over one day into 1,000 buckets (target
//! < 5 ms).
//!
//! Run: `CARGO_TARGET_DIR=/work/target-historian cargo bench -p weihua-historian --bench codec`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use weihua_historian::codec::{self, Codec};
use weihua_historian::synth::{self, Signal};
use weihua_historian::{Historian, HistorianConfig, Sample, SeriesId};

const START_MS: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const DAY: usize = 86_400;
const CHUNK: usize = 7_200;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Which {
    Pco,
    Gorilla,
    Zstd,
}

const ALL: [Which; 3] = [Which::Pco, Which::Gorilla, Which::Zstd];

fn name(w: Which) -> &'static str {
    match w {
        Which::Pco => "pco",
        Which::Gorilla => "gorilla",
        Which::Zstd => "zstd-3 raw",
    }
}

fn encode(w: Which, ts: &[i64], values: &[f64]) -> Vec<Vec<u8>> {
    let q = vec![0u8; ts.len()];
    match w {
        Which::Pco | Which::Gorilla => {
            let c = if w == Which::Pco {
                Codec::Pco
            } else {
                Codec::Gorilla
            };
            vec![
                codec::encode_timestamps(c, ts).unwrap_or_default(),
                codec::encode_values(c, values).unwrap_or_default(),
                codec::encode_quality(&q),
            ]
        }
        Which::Zstd => {
            let mut raw = Vec::with_capacity(ts.len() * 17);
            for t in ts {
                raw.extend_from_slice(&t.to_le_bytes());
            }
            for v in values {
                raw.extend_from_slice(&v.to_bits().to_le_bytes());
            }
            raw.extend_from_slice(&q);
            vec![zstd::bulk::compress(&raw, 3).unwrap_or_default()]
        }
    }
}

fn decode(w: Which, cols: &[Vec<u8>], n: usize) -> (Vec<i64>, Vec<f64>) {
    match w {
        Which::Pco | Which::Gorilla => {
            let c = if w == Which::Pco {
                Codec::Pco
            } else {
                Codec::Gorilla
            };
            let ts = codec::decode_timestamps(c, &cols[0], n).unwrap_or_default();
            let v = codec::decode_values(c, &cols[1], n).unwrap_or_default();
            let _q = codec::decode_quality(&cols[2], n).unwrap_or_default();
            (ts, v)
        }
        Which::Zstd => {
            let raw = zstd::bulk::decompress(&cols[0], n * 17).unwrap_or_default();
            let mut ts = Vec::with_capacity(n);
            let mut v = Vec::with_capacity(n);
            for c in raw[..n * 8].chunks_exact(8) {
                let mut a = [0u8; 8];
                a.copy_from_slice(c);
                ts.push(i64::from_le_bytes(a));
            }
            for c in raw[n * 8..n * 16].chunks_exact(8) {
                let mut a = [0u8; 8];
                a.copy_from_slice(c);
                v.push(f64::from_bits(u64::from_le_bytes(a)));
            }
            (ts, v)
        }
    }
}

fn bytes_per_sample(w: Which, s: &Signal, chunk: usize) -> f64 {
    let mut total = 0usize;
    for (ts, v) in s.ts.chunks(chunk).zip(s.values.chunks(chunk)) {
        let cols = encode(w, ts, v);
        let (dts, dv) = decode(w, &cols, ts.len());
        assert_eq!(dts, ts, "{} timestamps do not round-trip", name(w));
        assert!(
            dv.iter().zip(v).all(|(a, b)| a.to_bits() == b.to_bits()),
            "{} values do not round-trip",
            name(w)
        );
        total += cols.iter().map(Vec::len).sum::<usize>();
    }
    total as f64 / s.ts.len() as f64
}

fn print_sizes(signals: &[Signal]) {
    println!();
    println!("codec sizes, one day of 1 Hz data (bytes per sample: timestamp + value + quality)");
    println!("baseline: 16 B raw (i64 + f64); Gorilla paper 1.37 B on Facebook metrics");
    for chunk in [CHUNK, DAY] {
        println!("chunk = {chunk} samples");
        print!("  {:<20}", "signal");
        for w in ALL {
            print!("{:>12}", name(w));
        }
        println!();
        for s in signals {
            print!("  {:<20}", s.name);
            for w in ALL {
                print!("{:>12.3}", bytes_per_sample(w, s, chunk));
            }
            println!();
        }
    }
    println!();
}

fn codecs(c: &mut Criterion) {
    let signals = synth::all(START_MS, DAY);
    print_sizes(&signals);
    let mut g = c.benchmark_group("codec");
    g.throughput(Throughput::Elements(CHUNK as u64));
    for s in &signals {
        let ts = &s.ts[..CHUNK];
        let v = &s.values[..CHUNK];
        for w in ALL {
            let cols = encode(w, ts, v);
            g.bench_function(format!("encode/{}/{}", name(w), s.name), |b| {
                b.iter(|| encode(w, black_box(ts), black_box(v)))
            });
            g.bench_function(format!("decode/{}/{}", name(w), s.name), |b| {
                b.iter(|| decode(w, black_box(&cols), CHUNK))
            });
        }
    }
    g.finish();
}

/// One day of 1 Hz temperature in a historian (compacted into 12 chunks of
/// 7,200), downsampled to 1,000 buckets.
fn query(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let h = Historian::open(dir.path(), HistorianConfig::default())
        .unwrap_or_else(|e| panic!("open: {e}"));
    let s = synth::temperature(START_MS, DAY, 1);
    let series = SeriesId(1);
    rt.block_on(async {
        for (ts, v) in s.ts.chunks(3_600).zip(s.values.chunks(3_600)) {
            let batch = ts
                .iter()
                .zip(v)
                .map(|(t, x)| Sample::good(series, *t, *x))
                .collect();
            h.append(batch)
                .await
                .unwrap_or_else(|e| panic!("append: {e}"));
        }
        h.flush_all().await.unwrap_or_else(|e| panic!("flush: {e}"));
    });
    let to = START_MS + DAY as i64 * 1000;
    let check = h
        .buckets(series, START_MS, to, 1000)
        .unwrap_or_else(|e| panic!("buckets: {e}"));
    assert_eq!(check.len(), 1000);
    assert_eq!(check.iter().map(|b| b.count).sum::<u64>(), DAY as u64);
    println!(
        "query: one day at 1 Hz = {DAY} samples in {} chunks; target < 5 ms for 1,000 buckets",
        h.stats().chunks
    );
    c.bench_function("query/buckets_1day_1hz_to_1000", |b| {
        b.iter(|| h.buckets(series, black_box(START_MS), black_box(to), 1000))
    });
    c.bench_function("query/range_1day_1hz", |b| {
        b.iter(|| h.range(series, black_box(START_MS), black_box(to)))
    });
    c.bench_function("query/latest_1_series", |b| {
        b.iter(|| h.latest(black_box(&[series])))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    targets = codecs, query
}
criterion_main!(benches);
