//! Decode speed of the ingest hot path (行协议解码速度).
//!
//! Prints lines/s for 100 000 typical lines, next to the target (≥ 1 M lines/s per
//! core) and a baseline measured in the same run: the same body only split into
//! lines and checked as UTF-8, i.e. the cost floor any decoder pays.

use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use std::time::Instant;
use weihua_ingest::{DecodeLimits, Precision, decode_json_samples, decode_line_protocol};

const LINES: usize = 100_000;
const NOW_MS: i64 = 1_732_860_000_000;
const TARGET_LINES_PER_S: f64 = 1_000_000.0;

/// `m,point=TT-1101 value=23.5 1732860000000000000`, with 1 000 different tags and
/// values that change on every line.
fn line_body() -> Vec<u8> {
    let mut s = String::with_capacity(LINES * 48);
    for i in 0..LINES {
        let ts = (NOW_MS - 100_000 + i as i64) * 1_000_000;
        let v = 20.0 + (i % 997) as f64 * 0.05;
        s.push_str(&format!(
            "m,point=TT-{} value={v:.2} {ts}\n",
            1000 + i % 1000
        ));
    }
    s.into_bytes()
}

fn json_body() -> Vec<u8> {
    let mut s = String::from("[");
    for i in 0..LINES {
        if i > 0 {
            s.push(',');
        }
        let ts = NOW_MS - 100_000 + i as i64;
        let v = 20.0 + (i % 997) as f64 * 0.05;
        s.push_str(&format!(
            r#"{{"point":"TT-{}","ts":{ts},"value":{v:.2},"quality":0}}"#,
            1000 + i % 1000
        ));
    }
    s.push(']');
    s.into_bytes()
}

/// The floor: split into lines and validate UTF-8, nothing else.
fn baseline(body: &[u8]) -> usize {
    body.split(|&b| b == b'\n')
        .filter(|l| std::str::from_utf8(l).is_ok_and(|s| !s.is_empty()))
        .count()
}

/// Best of `runs` timings, in lines per second.
fn lines_per_s(runs: usize, mut f: impl FnMut() -> usize) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        let n = black_box(f());
        assert_eq!(n, LINES);
        best = best.min(t.elapsed().as_secs_f64());
    }
    LINES as f64 / best
}

fn bench(c: &mut Criterion) {
    let limits = DecodeLimits::default();
    let lp = line_body();
    let js = json_body();

    let decode_lp =
        || decode_line_protocol(black_box(&lp), Precision::Nanoseconds, NOW_MS, &limits);
    let decode_js = || decode_json_samples(black_box(&js), NOW_MS, &limits);
    assert_eq!(decode_lp().samples.len(), LINES);
    assert_eq!(decode_js().samples.len(), LINES);

    let lp_rate = lines_per_s(20, || decode_lp().samples.len());
    let base_rate = lines_per_s(20, || baseline(black_box(&lp)));
    let js_rate = lines_per_s(10, || decode_js().samples.len());
    println!(
        "line protocol: {:.2} M lines/s (target {:.1} M/s: {}); baseline split+UTF-8: {:.2} M lines/s; decode costs {:.1}x the baseline",
        lp_rate / 1e6,
        TARGET_LINES_PER_S / 1e6,
        if lp_rate >= TARGET_LINES_PER_S {
            "met"
        } else {
            "NOT met"
        },
        base_rate / 1e6,
        base_rate / lp_rate,
    );
    println!(
        "json batch:    {:.2} M elements/s ({} bytes per body)",
        js_rate / 1e6,
        js.len()
    );

    let mut g = c.benchmark_group("decode_100k");
    g.throughput(Throughput::Elements(LINES as u64));
    g.bench_function("line_protocol", |b| b.iter(decode_lp));
    g.bench_function("baseline_split_utf8", |b| {
        b.iter(|| baseline(black_box(&lp)))
    });
    g.bench_function("json", |b| b.iter(decode_js));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
