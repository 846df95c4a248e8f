//! Evaluation cost of the alarm engine per sample, next to a naive baseline.
//!
//! 10,000 points in one engine, a realistic mix (gas detectors with H/HH;
//! levels, pressures and temperatures with LL/L/H/HH), every configuration from
//! [`effective_config`] with the default settings (deadbands, on/off delays,
//! frozen, bad-quality and interruption detection). The samples are ten
//! seconds at 1 Hz: values near the middle of the normal band with noise, and
//! 1 point in 211 above H for five of the ten seconds (gas detectors
//! alarm after their 2 s on-delay and clear again; process points, with
//! 15–60 s delays, never do). Points arrive in blocks of 200 (a gateway),
//! the blocks in a different random order every second.
//!
//! Timed: `Engine::evaluate` over the 100,000 samples (timestamps advance by
//! ten seconds on each pass, so every sample is new to the engine), against
//! the baseline of a plain `if value >= H` over the same samples (no state,
//! no delays, no deadband).
//!
//! Run: `CARGO_TARGET_DIR=/work/target-bench cargo bench -p weihua-alarm --bench engine`
//! The 600,000-point figure is `weihua bench alarm`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use weihua_alarm::{
    Engine, EngineOptions, PointAlarmConfig, PointAlarmSettings, PointBasics, Transition,
    effective_config,
};
use weihua_core::{Indicator, Limits};

const POINTS: usize = 10_000;
const STEPS: usize = 10;
const GATEWAY: usize = 200;
const START_MS: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const SPAN_MS: i64 = STEPS as i64 * 1_000;

/// splitmix64: deterministic noise without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Indicator, range, limits, normal value, noise and an excursion value
/// between H and HH, for the i-th point (the same mix as `weihua bench alarm`).
fn shape(i: usize) -> (PointBasics, f64, f64, f64) {
    let lim = |ll, l, h, hh| Limits { ll, l, h, hh };
    let (indicator, low, high, limits, normal, noise, over) = match i % 10 {
        0..=2 => (
            Indicator::FlammableGas,
            0.0,
            100.0,
            lim(None, None, Some(20.0), Some(40.0)),
            0.5,
            0.5,
            30.0,
        ),
        3 => (
            Indicator::ToxicGas,
            0.0,
            100.0,
            lim(None, None, Some(10.0), Some(20.0)),
            0.3,
            0.3,
            15.0,
        ),
        4 | 5 => (
            Indicator::Level,
            0.0,
            100.0,
            lim(Some(10.0), Some(20.0), Some(80.0), Some(90.0)),
            50.0,
            1.0,
            85.0,
        ),
        6 | 7 => (
            Indicator::Pressure,
            0.0,
            2.5,
            lim(Some(0.2), Some(0.4), Some(1.6), Some(2.0)),
            0.8,
            0.02,
            1.8,
        ),
        _ => (
            Indicator::Temperature,
            -20.0,
            120.0,
            lim(Some(0.0), Some(5.0), Some(60.0), Some(80.0)),
            35.0,
            0.5,
            70.0,
        ),
    };
    (
        PointBasics {
            indicator,
            range_low: low,
            range_high: high,
            limits,
        },
        normal,
        noise,
        over,
    )
}

fn config(i: usize) -> PointAlarmConfig {
    match effective_config(&shape(i).0, &PointAlarmSettings::default()) {
        Ok(c) => c,
        Err(e) => panic!("the bench's point shape {} is invalid: {}", i % 10, e.en),
    }
}

struct Setup {
    engine: Engine,
    /// (point, timestamp within the first pass, value)
    samples: Vec<(u32, i64, f64)>,
    /// H of each point, for the baseline.
    high: Vec<f64>,
}

fn setup() -> Setup {
    let mut engine = Engine::new(EngineOptions::default());
    let configs: Vec<PointAlarmConfig> = (0..10).map(config).collect();
    let mut high = Vec::with_capacity(POINTS);
    for i in 0..POINTS {
        let id = format!("0190f3a2-{i:08x}-7000-8000-00000000bench");
        let idx = engine.upsert_point(&id, "ent-bench", configs[i % 10].clone(), START_MS);
        assert_eq!(idx as usize, i);
        high.push(shape(i).0.limits.h.unwrap_or(f64::INFINITY));
    }
    let mut rng = Rng(20_260_101);
    let gateways = POINTS.div_ceil(GATEWAY);
    let mut order: Vec<usize> = (0..gateways).collect();
    let mut samples = Vec::with_capacity(POINTS * STEPS);
    for step in 0..STEPS {
        for k in (1..order.len()).rev() {
            order.swap(k, rng.below(k + 1));
        }
        for &g in &order {
            let jitter = (g as i64 * 7_919) % 1_000;
            for i in g * GATEWAY..((g + 1) * GATEWAY).min(POINTS) {
                let (_, normal, noise, over) = shape(i);
                let excursion = i % 211 == 7 && step < STEPS / 2;
                let v = if excursion {
                    over
                } else {
                    (normal + noise * rng.unit()).max(0.0)
                };
                samples.push((i as u32, START_MS + step as i64 * 1_000 + jitter, v));
            }
        }
    }
    Setup {
        engine,
        samples,
        high,
    }
}

fn bench(c: &mut Criterion) {
    let Setup {
        mut engine,
        samples,
        high,
    } = setup();
    let mut out: Vec<Transition> = Vec::new();
    let mut pass = 0i64;
    // One untimed pass: the excursions raise their first alarms.
    for &(p, ts, v) in &samples {
        engine.evaluate(p, ts, v, 0, &mut out);
    }
    println!(
        "{} points, {} alarms configured; first pass of {} samples: {} transitions",
        engine.point_count(),
        engine.alarm_count(),
        samples.len(),
        out.len()
    );

    let mut g = c.benchmark_group("alarm_evaluate_10k_points");
    g.throughput(Throughput::Elements(samples.len() as u64));
    g.bench_function("engine_evaluate", |b| {
        b.iter(|| {
            pass += 1;
            let off = pass * SPAN_MS;
            out.clear();
            for &(p, ts, v) in &samples {
                engine.evaluate(p, ts + off, v, 0, &mut out);
            }
            black_box(out.len())
        })
    });
    g.bench_function("baseline_if_value_ge_h", |b| {
        b.iter(|| {
            let mut n = 0u64;
            for &(p, ts, v) in black_box(&samples) {
                if v >= high[p as usize] {
                    n += 1;
                }
                black_box(ts);
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
