//! Property tests: `step` never panics and keeps its invariants for arbitrary
//! specs and times; non-finite limits are refused at construction.

mod common;

use proptest::prelude::*;
use weihua_core::{Indicator, Limits};
use weihua_simulator::{PointSpec, QUALITY_GOOD, ScenarioConfig, SimError, Simulator};

fn finite() -> impl Strategy<Value = f64> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    prop_oneof![
        3 => -1e6..1e6f64,
        1 => POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO,
    ]
}

fn limit() -> impl Strategy<Value = Option<f64>> {
    proptest::option::of(finite())
}

fn spec() -> impl Strategy<Value = PointSpec> {
    (
        (
            0..Indicator::ALL.len(),
            prop::sample::select(vec![
                "%", "°C", "MPa", "kPa", "m3/h", "%LEL", "ppm", "%VOL", "", "??",
            ]),
        ),
        finite(),
        prop_oneof![
            Just(0.0),
            0.0..1e-6f64,
            0.0..1e3f64,
            0.0..1e12f64,
            Just(f64::MAX)
        ],
        (limit(), limit(), limit(), limit()),
        ("[A-Z]{1,2}-[0-9]{1,4}[AB]?", 0..3u8, 0..3u8),
    )
        .prop_map(
            |((ind, unit), low, span, (ll, l, h, hh), (tag, group, gw))| PointSpec {
                id: String::new(),
                tag,
                indicator: Indicator::ALL[ind],
                unit: unit.to_string(),
                range_low: low,
                range_high: low + span,
                limits: Limits { ll, l, h, hh },
                group: format!("G{group}"),
                gateway: format!("E{gw}"),
            },
        )
}

fn with_ids(mut specs: Vec<PointSpec>) -> Vec<PointSpec> {
    for (i, s) in specs.iter_mut().enumerate() {
        s.id = format!("p{i}");
    }
    specs
}

fn times() -> impl Strategy<Value = Vec<i64>> {
    prop_oneof![
        // Mostly forward, a few seconds apart, sometimes back or far ahead.
        (
            common::T0 - 1_000_000_000..common::T0 + 1_000_000_000,
            prop::collection::vec(
                prop_oneof![
                   8 => 0..5_000i64,
                   1 => -100_000..0i64,
                   1 => 0..1_000_000_000_000i64,
                ],
                1..60
            )
        )
            .prop_map(|(t0, deltas)| {
                deltas
                    .iter()
                    .scan(t0, |t, d| {
                        *t = t.saturating_add(*d);
                        Some(*t)
                    })
                    .collect()
            }),
        prop::collection::vec(any::<i64>(), 1..20),
    ]
}

fn busy_config() -> impl Strategy<Value = ScenarioConfig> {
    (
        1.0..200.0f64,
        1.0..200.0f64,
        1.0..200.0f64,
        1.0..200.0f64,
        0..6usize,
    )
        .prop_map(
            |(leak, fault, silence, overfill, neighbours)| ScenarioConfig {
                leak_mean_interval_s: Some(leak),
                fault_mean_interval_s: Some(fault),
                gateway_silence_mean_interval_s: Some(silence),
                overfill_mean_interval_s: Some(overfill),
                leak_max_neighbours: neighbours,
                ..ScenarioConfig::default()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn step_never_panics_and_keeps_good_values_in_range(
        specs in prop::collection::vec(spec(), 0..12),
        times in times(),
        config in busy_config(),
        seed in any::<u64>(),
    ) {
        let specs = with_ids(specs);
        let finite_span = specs.iter().all(|s| s.range_high.is_finite() && (s.range_high - s.range_low).is_finite());
        let sim = Simulator::new(specs.clone(), config, seed);
        let mut sim = match sim {
            Ok(sim) => sim,
            Err(SimError::NonFiniteRange { .. }) if !finite_span => return Ok(()),
            Err(e) => panic!("{e}"),
        };
        prop_assert!(finite_span);
        for t in times {
            let samples = sim.step(t);
            prop_assert!(samples.len() <= specs.len());
            for s in &samples {
                let p = specs.iter().find(|p| p.id == s.point_id).unwrap();
                prop_assert_eq!(s.ts_ms, t);
                prop_assert!(s.value.is_finite(), "{:?}", s);
                if s.quality == QUALITY_GOOD {
                    prop_assert!(s.value >= p.range_low && s.value <= p.range_high, "{:?} {:?}", s, p);
                }
            }
            let _ = weihua_simulator::line_protocol(&samples);
        }
        for e in sim.events() {
            let _ = e.to_string();
        }
    }

    #[test]
    fn non_finite_limits_are_refused(
        specs in prop::collection::vec(spec(), 1..6),
        which in 0..4usize,
        bad in prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY]),
    ) {
        let mut specs = with_ids(specs);
        for s in &mut specs {
            // Keep the ranges valid so that the limit is what gets refused.
            s.range_low = 0.0;
            s.range_high = 100.0;
        }
        let l = &mut specs[0].limits;
        let slot = [&mut l.ll, &mut l.l, &mut l.h, &mut l.hh].into_iter().nth(which).unwrap();
        *slot = Some(bad);
        let expected = ["LL", "L", "H", "HH"][which];
        match Simulator::new(specs, ScenarioConfig::default(), 0) {
            Err(SimError::NonFiniteLimit { point_id, limit, .. }) => {
                prop_assert_eq!(point_id, "p0");
                prop_assert_eq!(limit, expected);
            }
            other => prop_assert!(false, "{:?}", other.map(|_| ())),
        }
    }
}
