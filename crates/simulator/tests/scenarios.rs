//! Behaviour of the simulator over simulated hours and days.

mod common;

use common::{T0, park, quiet, round_to, run, unit_points};
use std::collections::HashMap;
use weihua_core::{Indicator, Limits};
use weihua_simulator::{
    FaultKind, PointSpec, QUALITY_BAD, QUALITY_GOOD, ScenarioConfig, SimError, SimEvent,
    SimEventKind, SimSample, Simulator,
};

fn by_id(specs: &[PointSpec]) -> HashMap<String, PointSpec> {
    specs.iter().map(|s| (s.id.clone(), s.clone())).collect()
}

type Series = HashMap<String, Vec<(i64, f64, u8)>>;

/// Samples per point over the run, as (ts, value, quality).
fn index(steps: &[Vec<SimSample>]) -> Series {
    let mut out: Series = HashMap::new();
    for s in steps.iter().flatten() {
        out.entry(s.point_id.clone())
            .or_default()
            .push((s.ts_ms, s.value, s.quality));
    }
    out
}

/// Samples of one point with `from <= ts <= to`.
fn window(series: &Series, id: &str, from: i64, to: i64) -> Vec<(i64, f64, u8)> {
    series[id]
        .iter()
        .copied()
        .filter(|(t, _, _)| *t >= from && *t <= to)
        .collect()
}

#[test]
fn same_seed_and_times_give_the_same_output() {
    let specs = park(8);
    let cfg = ScenarioConfig {
        leak_mean_interval_s: Some(120.0),
        fault_mean_interval_s: Some(120.0),
        gateway_silence_mean_interval_s: Some(300.0),
        overfill_mean_interval_s: Some(300.0),
        ..ScenarioConfig::default()
    };
    // Irregular times: repeated, backwards, a jump.
    let mut times: Vec<i64> = (0..1500).map(|k| T0 + k * 1000).collect();
    times[100] = times[99];
    times[200] = times[150];
    times[1200] += 7_200_000;
    let go = |seed| {
        let mut sim = Simulator::new(specs.clone(), cfg.clone(), seed).unwrap();
        let samples: Vec<Vec<SimSample>> = times.iter().map(|&t| sim.step(t)).collect();
        (samples, sim.events().to_vec())
    };
    let (a, ea) = go(42);
    let (b, eb) = go(42);
    assert_eq!(a, b);
    assert_eq!(ea, eb);
    assert!(!ea.is_empty());
    let (c, _) = go(43);
    assert_ne!(a, c);
}

#[test]
fn healthy_values_stay_in_range_over_a_day_at_one_second() {
    // A handful of points (one unit), 86 400 one-second steps, all episodes on.
    let specs = unit_points(0);
    let cfg = ScenarioConfig {
        leak_mean_interval_s: Some(1800.0),
        overfill_mean_interval_s: Some(7200.0),
        fault_mean_interval_s: Some(3600.0),
        gateway_silence_mean_interval_s: Some(7200.0),
        ..ScenarioConfig::default()
    };
    let ids = by_id(&specs);
    let mut sim = Simulator::new(specs, cfg, 1).unwrap();
    let mut n = 0usize;
    for k in 0..86_400 {
        for s in sim.step(T0 + k * 1000) {
            let p = &ids[&s.point_id];
            assert!(s.value.is_finite());
            if s.quality == QUALITY_GOOD {
                assert!(
                    s.value >= p.range_low && s.value <= p.range_high,
                    "{} = {} outside [{}, {}]",
                    s.tag,
                    s.value,
                    p.range_low,
                    p.range_high
                );
            }
            n += 1;
        }
    }
    assert!(n > 12 * 80_000, "{n}");
    assert!(sim.events().len() > 30, "{}", sim.events().len());
}

#[test]
fn healthy_values_stay_in_range_for_the_demo_park_over_a_day() {
    // 768 points, 720 two-minute steps, default (demo) episode rates.
    let specs = park(64);
    let ids = by_id(&specs);
    let mut sim = Simulator::new(specs, ScenarioConfig::default(), 2).unwrap();
    let mut bad = 0;
    for k in 0..720 {
        for s in sim.step(T0 + k * 120_000) {
            let p = &ids[&s.point_id];
            if s.quality == QUALITY_GOOD {
                assert!(s.value >= p.range_low && s.value <= p.range_high, "{s:?}");
            } else {
                bad += 1;
            }
        }
    }
    assert!(bad > 0, "some faults report bad quality over a day");
}

#[test]
fn quiet_signals_stay_inside_their_alarm_limits() {
    // Without episodes a healthy park raises no alarm.
    let specs = park(16);
    let ids = by_id(&specs);
    let mut sim = Simulator::new(specs, quiet(), 3).unwrap();
    for k in 0..1440 {
        for s in sim.step(T0 + k * 60_000) {
            let l: Limits = ids[&s.point_id].limits;
            for (name, lim) in [("LL", l.ll), ("L", l.l)] {
                if let Some(v) = lim {
                    assert!(s.value > v, "{} {} below {name} {v}", s.tag, s.value);
                }
            }
            for (name, lim) in [("H", l.h), ("HH", l.hh)] {
                if let Some(v) = lim {
                    assert!(s.value < v, "{} {} above {name} {v}", s.tag, s.value);
                }
            }
        }
    }
    assert!(sim.events().is_empty());
}

#[test]
fn values_are_quantized_to_the_instrument_resolution() {
    let specs = park(8);
    let ids = by_id(&specs);
    let cfg = ScenarioConfig {
        fault_mean_interval_s: Some(300.0),
        leak_mean_interval_s: Some(300.0),
        ..ScenarioConfig::default()
    };
    let mut sim = Simulator::new(specs, cfg, 4).unwrap();
    let mut seen = HashMap::new();
    for k in 0..720 {
        for s in sim.step(T0 + k * 10_000) {
            let p = &ids[&s.point_id];
            let dec = p.decimals();
            assert_eq!(round_to(s.value, dec), s.value, "{} {}", s.tag, s.value);
            *seen.entry((p.unit.clone(), dec)).or_insert(0) += 1;
        }
    }
    assert!(seen.contains_key(&("°C".to_string(), 1)));
    assert!(seen.contains_key(&("MPa".to_string(), 3)));
    assert!(seen.contains_key(&("%LEL".to_string(), 1)));
    assert!(seen.contains_key(&("ppm".to_string(), 2)));
    // Printed as short decimals: "23.4", not "23.400000000000002".
    let text = weihua_simulator::line_protocol(&sim.step(T0 + 720 * 10_000));
    for line in text.lines() {
        let v = line.split(' ').nth(1).unwrap();
        let v = v.trim_start_matches("value=").split(',').next().unwrap();
        assert!(v.len() <= 9, "{line}");
    }
}

fn leaks(events: &[SimEvent]) -> Vec<&SimEvent> {
    events
        .iter()
        .filter(|e| matches!(e.kind, SimEventKind::Leak { .. }))
        .collect()
}

#[test]
fn leaks_occur_at_about_the_configured_rate() {
    let cfg = ScenarioConfig {
        leak_mean_interval_s: Some(600.0),
        ..quiet()
    };
    // The count does not depend on the step: five-minute steps over the
    // 384 gas detectors of the demo-sized park.
    let gas = || -> Vec<PointSpec> {
        park(64)
            .into_iter()
            .filter(|s| matches!(s.indicator, Indicator::FlammableGas | Indicator::ToxicGas))
            .collect()
    };
    let mut sim = Simulator::new(gas(), cfg, 5).unwrap();
    run(&mut sim, 24 * 12, 300_000);
    // 24 h / 10 min = 144 expected (Poisson, σ = 12).
    let n = leaks(sim.events()).len();
    assert!((100..=190).contains(&n), "{n} leaks in a day");
    assert_eq!(sim.events().len(), n, "only leaks are on");

    // The default: a few an hour across the park.
    let cfg = ScenarioConfig {
        fault_mean_interval_s: None,
        gateway_silence_mean_interval_s: None,
        ..ScenarioConfig::default()
    };
    let mut sim = Simulator::new(gas(), cfg, 5).unwrap();
    run(&mut sim, 6 * 12, 300_000);
    let n = leaks(sim.events()).len();
    assert!((8..=32).contains(&n), "{n} leaks in 6 h");
}

#[test]
fn the_first_leak_can_be_pinned_to_one_gateway_and_later_ones_are_anywhere() {
    let gas: Vec<PointSpec> = park(32)
        .into_iter()
        .filter(|s| matches!(s.indicator, Indicator::FlammableGas | Indicator::ToxicGas))
        .collect();
    let gateway_of: HashMap<String, String> = gas
        .iter()
        .map(|s| (s.id.clone(), s.gateway.clone()))
        .collect();
    let mut elsewhere = 0;
    for seed in 0..8 {
        let cfg = ScenarioConfig {
            leak_mean_interval_s: Some(120.0),
            leak_first_after_s: Some(1.0),
            leak_first_gateway: Some("E3".into()),
            ..quiet()
        };
        let mut sim = Simulator::new(gas.clone(), cfg, seed).unwrap();
        run(&mut sim, 3 * 360, 10_000);
        let all = leaks(sim.events());
        assert!(all.len() > 5, "{} leaks", all.len());
        let source = |e: &SimEvent| match &e.kind {
            SimEventKind::Leak { source, .. } => gateway_of[source].clone(),
            _ => unreachable!(),
        };
        assert_eq!(source(all[0]), "E3", "seed {seed}: the first leak");
        elsewhere += all[1..].iter().filter(|e| source(e) != "E3").count();
    }
    assert!(elsewhere > 0, "later leaks are not pinned");

    // A gateway without gas detectors is refused, not ignored.
    let cfg = ScenarioConfig {
        leak_first_gateway: Some("nowhere".into()),
        ..quiet()
    };
    match Simulator::new(gas, cfg, 1) {
        Err(SimError::InvalidConfig { field, .. }) => assert_eq!(field, "leak_first_gateway"),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("an unknown gateway was accepted"),
    }
}

#[test]
fn leaks_pass_alarm_one_on_the_source_and_reach_neighbours_later_and_lower() {
    // The gas detectors of 16 units, so that most leaks do not overlap.
    let specs: Vec<PointSpec> = park(16)
        .into_iter()
        .filter(|s| matches!(s.indicator, Indicator::FlammableGas | Indicator::ToxicGas))
        .collect();
    let ids = by_id(&specs);
    let cfg = ScenarioConfig {
        leak_mean_interval_s: Some(600.0),
        ..quiet()
    };
    let mut sim = Simulator::new(specs, cfg, 6).unwrap();
    let hours = 6;
    // Two-second steps: neighbours start at least 5 s after the source.
    let steps = index(&run(&mut sim, hours * 1800, 2000));
    let all = leaks(sim.events());
    assert!(all.len() >= 20, "{}", all.len());
    let group = |id: &str| ids[id].group.clone();
    let (mut checked, mut with_neighbours, mut level2) = (0, 0, 0);
    for (k, e) in all.iter().enumerate() {
        let SimEventKind::Leak {
            source,
            peak,
            alarm1,
            alarm2,
            reaches_alarm2,
            neighbours,
            ..
        } = &e.kind
        else {
            unreachable!()
        };
        // Skip leaks overlapping another one in the same group, and the last ones.
        let overlaps = all.iter().enumerate().any(|(j, o)| {
            let SimEventKind::Leak { source: os, .. } = &o.kind else {
                unreachable!()
            };
            j != k && group(os) == group(source) && o.start_ms < e.end_ms && e.start_ms < o.end_ms
        });
        if overlaps || e.end_ms > T0 + hours as i64 * 3_600_000 {
            continue;
        }
        checked += 1;
        let during = |id: &str| window(&steps, id, e.start_ms, e.end_ms);
        let src = during(source);
        let src_max = src.iter().map(|x| x.1).fold(f64::MIN, f64::max);
        assert!(src_max > *alarm1, "{e}: source max {src_max}");
        if *reaches_alarm2 {
            level2 += 1;
            assert!(src_max > *alarm2, "{e}: source max {src_max}");
        }
        let ceiling = match ids[source].indicator {
            Indicator::FlammableGas => 1.0,
            _ => 0.25,
        };
        for n in neighbours {
            assert!(n.peak < *peak);
            assert_eq!(group(&n.point_id), group(source));
            let x = ceiling + 0.25 * n.peak;
            let first = |s: &[(i64, f64, u8)]| s.iter().find(|p| p.1 > x).map(|p| p.0);
            let (Some(ts), Some(tn)) = (first(&src), first(&during(&n.point_id))) else {
                panic!("{e}: neighbour {} never rose above {x}", n.tag);
            };
            assert!(
                tn > ts,
                "{e}: neighbour {} rose at {tn}, source at {ts}",
                n.tag
            );
            let n_max = during(&n.point_id)
                .iter()
                .map(|x| x.1)
                .fold(f64::MIN, f64::max);
            assert!(n_max < src_max, "{e}: neighbour {} max {n_max}", n.tag);
            with_neighbours += 1;
        }
        // Back to the baseline after the episode.
        let after = steps[source.as_str()]
            .iter()
            .copied()
            .find(|(t, _, _)| *t >= e.end_ms + 1000);
        if let Some((_, v, _)) = after {
            let busy = all
                .iter()
                .any(|o| o.start_ms <= e.end_ms + 1000 && o.end_ms > e.end_ms && o.seq != e.seq);
            if !busy {
                assert!(v <= ceiling + 0.05 * peak, "{e}: after {v}");
            }
        }
    }
    assert!(checked >= 10, "{checked}");
    assert!(with_neighbours >= 10, "{with_neighbours}");
    assert!(level2 >= 1, "some leaks pass alarm 2");
}

#[test]
fn a_silent_gateway_sends_nothing_during_its_episode() {
    let specs = park(4);
    let ids = by_id(&specs);
    let cfg = ScenarioConfig {
        gateway_silence_mean_interval_s: Some(600.0),
        ..quiet()
    };
    let mut sim = Simulator::new(specs.clone(), cfg, 7).unwrap();
    let hours = 3;
    let steps = run(&mut sim, hours * 3600, 1000);
    let silences: Vec<(String, i64, i64, usize)> = sim
        .events()
        .iter()
        .map(|e| match &e.kind {
            SimEventKind::GatewaySilence { gateway, points } => {
                (gateway.clone(), e.start_ms, e.end_ms, *points)
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(silences.len() >= 10, "{}", silences.len());
    let per_gateway = |gw: &str| specs.iter().filter(|s| s.gateway == gw).count();
    let silent_at = |gw: &str, ts: i64| {
        silences
            .iter()
            .any(|(g, s, e, _)| g == gw && *s <= ts && ts < *e)
    };
    for (k, step) in steps.iter().enumerate() {
        let ts = T0 + k as i64 * 1000;
        let missing: usize = sim
            .gateways()
            .filter(|g| silent_at(g, ts))
            .map(per_gateway)
            .sum();
        assert_eq!(step.len(), specs.len() - missing, "at {ts}");
        for s in step {
            assert_eq!(s.ts_ms, ts);
            assert!(
                !silent_at(&ids[&s.point_id].gateway, ts),
                "{} sent at {ts}",
                s.tag
            );
        }
    }
    let end_of_run = T0 + hours as i64 * 3_600_000;
    let sent_at = |gw: &str, ts: i64| {
        let k = ((ts - T0) / 1000) as usize;
        steps[k].iter().any(|s| ids[&s.point_id].gateway == gw)
    };
    for (gw, start, end, points) in &silences {
        assert_eq!(*points, per_gateway(gw));
        assert!((120_000..=600_000).contains(&(end - start)));
        // It sent at the step before and sends again at the first step after.
        let before = T0 + ((start - 1 - T0).div_euclid(1000)) * 1000;
        if before >= T0 && !silent_at(gw, before) {
            assert!(sent_at(gw, before), "{gw} before {start}");
        }
        let after = T0 + ((end - T0 + 999).div_euclid(1000)) * 1000;
        if after < end_of_run && !silent_at(gw, after) {
            assert!(sent_at(gw, after), "{gw} after {end}");
        }
    }
}

#[test]
fn overfills_fill_a_tank_past_its_high_alarm() {
    let specs: Vec<PointSpec> = park(16)
        .into_iter()
        .filter(|s| s.indicator == Indicator::Level)
        .collect();
    let ids = by_id(&specs);
    let cfg = ScenarioConfig {
        overfill_mean_interval_s: Some(1800.0),
        overfill_hh_probability: 0.5,
        ..quiet()
    };
    let mut sim = Simulator::new(specs, cfg, 8).unwrap();
    let steps = index(&run(&mut sim, 24 * 120, 30_000));
    let mut beyond = 0;
    let mut checked = 0;
    for e in sim.events() {
        let SimEventKind::Overfill {
            point_id,
            target,
            beyond_hh,
            ..
        } = &e.kind
        else {
            panic!("{e}")
        };
        assert!(point_id.ends_with('A'), "the A gauge leads: {point_id}");
        let p = &ids[point_id];
        assert!(*target > p.limits.h.unwrap() && *target < p.range_high);
        if e.end_ms > T0 + 24 * 3_600_000 {
            continue;
        }
        checked += 1;
        let max = |id: &str| {
            window(&steps, id, e.start_ms, e.end_ms + 600_000)
                .iter()
                .map(|x| x.1)
                .fold(f64::MIN, f64::max)
        };
        let a = max(point_id);
        let twin = format!("{}B", point_id.trim_end_matches('A'));
        assert!(a > 80.0, "{e}: max {a}");
        assert!(max(&twin) > 79.0, "{e}: twin max {}", max(&twin));
        if *beyond_hh {
            beyond += 1;
            assert!(a > 90.0, "{e}: max {a}");
        }
    }
    assert!(checked >= 20, "{checked}");
    assert!(beyond >= 3, "{beyond}");
}

#[test]
fn faults_drift_freeze_or_report_bad_quality() {
    let specs = park(4);
    let ids = by_id(&specs);
    let cfg = ScenarioConfig {
        fault_mean_interval_s: Some(300.0),
        ..quiet()
    };
    let mut sim = Simulator::new(specs, cfg, 9).unwrap();
    let steps = run(&mut sim, 6 * 360, 10_000);
    let series = index(&steps);
    let mut kinds = HashMap::new();
    let in_bad_window = |id: &str, t: i64, events: &[SimEvent]| {
        events.iter().any(|e| {
            matches!(&e.kind, SimEventKind::Fault { point_id, fault, .. }
                if point_id == id
                    && matches!(fault, FaultKind::BadQuality | FaultKind::OutOfRange)
                    && e.start_ms <= t && t < e.end_ms)
        })
    };
    for s in steps.iter().flatten() {
        if s.quality == QUALITY_BAD {
            assert!(in_bad_window(&s.point_id, s.ts_ms, sim.events()), "{s:?}");
        }
    }
    for e in sim.events() {
        let SimEventKind::Fault {
            point_id, fault, ..
        } = &e.kind
        else {
            panic!("{e}")
        };
        *kinds.entry(*fault).or_insert(0) += 1;
        let p = &ids[point_id];
        let during = window(&series, point_id, e.start_ms, e.end_ms - 1);
        if during.is_empty() {
            continue;
        }
        let first = during[0].1;
        for (_, v, q) in &during {
            match fault {
                FaultKind::Stuck => assert!(*v == first && *q == QUALITY_GOOD, "{e}"),
                FaultKind::BadQuality => assert!(*v == first && *q == QUALITY_BAD, "{e}"),
                FaultKind::OutOfRange => {
                    assert!(*v < p.range_low && *q == QUALITY_BAD, "{e}: {v}")
                }
                FaultKind::Drift => assert!(
                    *q == QUALITY_GOOD && *v >= p.range_low && *v <= p.range_high,
                    "{e}: {v}"
                ),
            }
        }
    }
    for k in [
        FaultKind::Drift,
        FaultKind::Stuck,
        FaultKind::BadQuality,
        FaultKind::OutOfRange,
    ] {
        assert!(kinds.get(&k).copied().unwrap_or(0) >= 2, "{k:?}: {kinds:?}");
    }
}

#[test]
fn signals_look_like_their_indicator() {
    let specs = unit_points(0);
    let mut sim = Simulator::new(specs, quiet(), 10).unwrap();
    let series = index(&run(&mut sim, 1440, 60_000));
    let values = |id: &str| -> Vec<f64> { series[id].iter().map(|x| x.1).collect() };
    let stats = |v: &[f64]| {
        let min = v.iter().copied().fold(f64::MAX, f64::min);
        let max = v.iter().copied().fold(f64::MIN, f64::max);
        (min, max, v.iter().sum::<f64>() / v.len() as f64)
    };
    // Temperature: a day-night swing of 2 × (2–5) °C, warmest in the afternoon.
    let tt = &series["E0-TT-1101"];
    let (min, max, _) = stats(&values("E0-TT-1101"));
    assert!((3.0..=14.0).contains(&(max - min)), "{min}..{max}");
    let warmest = tt.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap().0;
    let local_h = ((warmest - T0) / 3_600_000) % 24;
    assert!((11..=18).contains(&local_h), "warmest at {local_h}:00");
    // Level: moves slowly (≤ 0.5 % a minute), both gauges agree.
    let (a, b) = (values("E0-LT-1101A"), values("E0-LT-1101B"));
    for w in a.windows(2) {
        assert!((w[1] - w[0]).abs() < 0.6, "{w:?}");
    }
    for (x, y) in a.iter().zip(&b) {
        assert!((x - y).abs() < 1.0, "{x} vs {y}");
    }
    let (min, max, _) = stats(&a);
    assert!(max - min > 20.0, "level swings {min}..{max}");
    // Gas detectors near zero.
    let (_, max, _) = stats(&values("E0-GT-101"));
    assert!(max <= 1.0, "{max}");
    let (_, max, _) = stats(&values("E0-AT-101"));
    assert!(max <= 0.5, "{max}");
    // Oxygen 20.9 %VOL.
    let (min, max, mean) = stats(&values("E0-AT-103"));
    assert!(
        (mean - 20.9).abs() < 0.1 && min > 20.5 && max < 21.3,
        "{min} {mean} {max}"
    );
    // Batch flow: idle at zero, running well above.
    let ft = values("E0-FT-1101A");
    assert!(ft.contains(&0.0) && ft.iter().any(|v| *v > 30.0));
    // Pump on / off: pressure visits two levels.
    let (min, max, _) = stats(&values("E0-PT-1101"));
    assert!(max - min > 0.15, "{min}..{max}");
}

#[test]
fn construction_rejects_bad_specs_and_configs() {
    let good = unit_points(0);
    let with = |f: &dyn Fn(&mut PointSpec)| {
        let mut specs = good.clone();
        f(&mut specs[3]);
        Simulator::new(specs, ScenarioConfig::default(), 0).map(|_| ())
    };
    assert!(matches!(
        with(&|s| s.limits.h = Some(f64::NAN)),
        Err(SimError::NonFiniteLimit { limit: "H", .. })
    ));
    assert!(matches!(
        with(&|s| s.limits.ll = Some(f64::NEG_INFINITY)),
        Err(SimError::NonFiniteLimit { limit: "LL", .. })
    ));
    assert!(matches!(
        with(&|s| s.range_low = f64::NAN),
        Err(SimError::NonFiniteRange { .. })
    ));
    assert!(matches!(
        with(&|s| {
            s.range_low = -f64::MAX;
            s.range_high = f64::MAX;
        }),
        Err(SimError::NonFiniteRange { .. })
    ));
    assert!(matches!(
        with(&|s| s.range_low = 5.0),
        Err(SimError::InvertedRange { .. })
    ));
    assert!(matches!(
        with(&|s| s.id = good[0].id.clone()),
        Err(SimError::DuplicatePoint { .. })
    ));
    // Degenerate range: accepted, reads its only value.
    let mut specs = good.clone();
    specs[3].range_low = 1.0;
    specs[3].range_high = 1.0;
    let mut sim = Simulator::new(specs, ScenarioConfig::default(), 0).unwrap();
    assert_eq!(sim.step(T0)[3].value, 1.0);

    for cfg in [
        ScenarioConfig {
            leak_mean_interval_s: Some(0.0),
            ..ScenarioConfig::default()
        },
        ScenarioConfig {
            leak_alarm2_probability: 1.5,
            ..ScenarioConfig::default()
        },
        ScenarioConfig {
            leak_rise_s: weihua_simulator::between(10.0, 1.0),
            ..ScenarioConfig::default()
        },
        ScenarioConfig {
            temperature_noise: f64::NAN,
            ..ScenarioConfig::default()
        },
    ] {
        assert!(matches!(
            Simulator::new(good.clone(), cfg, 0),
            Err(SimError::InvalidConfig { .. })
        ));
    }
}

#[test]
fn events_print_and_serialize() {
    let cfg = ScenarioConfig {
        leak_mean_interval_s: Some(60.0),
        fault_mean_interval_s: Some(60.0),
        gateway_silence_mean_interval_s: Some(60.0),
        overfill_mean_interval_s: Some(60.0),
        ..ScenarioConfig::default()
    };
    let mut sim = Simulator::new(park(4), cfg, 11).unwrap();
    run(&mut sim, 60, 10_000);
    let mut kinds = std::collections::HashSet::new();
    for e in sim.events() {
        let text = e.to_string();
        assert!(text.contains('#'), "{text}");
        let json = serde_json::to_value(e).unwrap();
        kinds.insert(json["kind"]["kind"].as_str().unwrap().to_string());
        let back: SimEvent = serde_json::from_value(json).unwrap();
        assert_eq!(&back, e);
    }
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    // The config round-trips too (for a CLI flag or a file).
    let c = ScenarioConfig::default();
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(serde_json::from_str::<ScenarioConfig>(&json).unwrap(), c);
}

#[test]
fn line_protocol_carries_every_sample() {
    let mut sim = Simulator::new(park(2), ScenarioConfig::default(), 12).unwrap();
    let samples = sim.step(T0);
    let text = weihua_simulator::line_protocol(&samples);
    assert_eq!(text.lines().count(), samples.len());
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("sim,point=LT-1101A value="), "{first}");
    assert!(first.ends_with(&format!(" {T0}")), "{first}");
}
