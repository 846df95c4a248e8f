//! The engine's promises, rule by rule.

use proptest::prelude::*;
use weihua_alarm::config::{
    BadQualityAlarm, DeviationAlarm, FrozenAlarm, InterruptionAlarm, LimitAlarm, PointAlarmConfig,
    RateAlarm,
};
use weihua_alarm::{
    Change, Command, Engine, EngineOptions, IsaState, PointAlarmSettings, PointBasics, Transition,
    effective_config,
};
use weihua_core::{AlarmKind, AlarmPriority, Indicator, LimitName, Limits};

const S: i64 = 1_000;

fn lim(name: LimitName, setpoint: f64, deadband: f64, on: i64, off: i64) -> LimitAlarm {
    LimitAlarm {
        name,
        setpoint,
        deadband,
        on_delay_ms: on,
        off_delay_ms: off,
        priority: AlarmPriority::High,
        latching: false,
    }
}

fn only_limits(limits: Vec<LimitAlarm>) -> PointAlarmConfig {
    PointAlarmConfig {
        limits,
        ..Default::default()
    }
}

/// A flammable gas detector as GB/T 50493 sets it: 25 / 50 %LEL, the assumed
/// gas defaults (2 % FSD deadband, 2 s delays).
fn gas_detector() -> PointAlarmConfig {
    effective_config(
        &PointBasics {
            indicator: Indicator::FlammableGas,
            range_low: 0.0,
            range_high: 100.0,
            limits: Limits {
                h: Some(25.0),
                hh: Some(50.0),
                ..Default::default()
            },
        },
        &PointAlarmSettings::default(),
    )
    .unwrap()
}

fn feed(e: &mut Engine, p: u32, samples: &[(i64, f64)]) -> Vec<Transition> {
    let mut out = Vec::new();
    for &(t, v) in samples {
        e.evaluate(p, t, v, 0, &mut out);
    }
    out
}

fn changes(e: &Engine, out: &[Transition]) -> Vec<(String, &'static str, i64)> {
    out.iter()
        .map(|t| (e.def(t.alarm).id.clone(), t.change.as_str(), t.at_ms))
        .collect()
}

#[test]
fn gb50493_5_5_2_a_detector_crossing_25_lel_for_the_on_delay_raises_alarm_1_and_50_raises_alarm_2()
{
    let mut e = Engine::new(EngineOptions::default());
    let p = e.upsert_point("GT-101", "ent", gas_detector(), 0);
    // 24.9 %LEL never alarms; 25 for 1 s (less than the 2 s on-delay) does not either.
    let out = feed(
        &mut e,
        p,
        &[
            (S, 24.9),
            (2 * S, 25.0),
            (3 * S, 24.0),
            (4 * S, 26.0),
            (5 * S, 26.5),
        ],
    );
    assert!(out.is_empty(), "{:?}", changes(&e, &out));
    // Held from 4 s: at 6 s the 2 s on-delay has passed.
    let out = feed(&mut e, p, &[(6 * S, 32.0)]);
    assert_eq!(
        changes(&e, &out),
        [("GT-101:limit:H".to_string(), "activated", 6 * S)]
    );
    assert_eq!(out[0].state.value, Some(32.0));
    assert_eq!(out[0].state.isa(6 * S), IsaState::Unacknowledged);
    let out = feed(&mut e, p, &[(7 * S, 51.0), (8 * S, 55.0), (9 * S, 60.0)]);
    assert_eq!(
        changes(&e, &out),
        [("GT-101:limit:HH".to_string(), "activated", 9 * S)]
    );
    let hh = e.alarm_ref("GT-101:limit:HH").unwrap();
    assert_eq!(e.def(hh).priority, AlarmPriority::Emergency);
}

#[test]
fn return_to_normal_needs_the_deadband_and_the_off_delay() {
    let mut e = Engine::new(EngineOptions::default());
    let p = e.upsert_point("GT-101", "ent", gas_detector(), 0);
    feed(&mut e, p, &[(0, 30.0), (2 * S, 30.0)]);
    let h = e.alarm_ref("GT-101:limit:H").unwrap();
    assert!(e.state(h).active);
    // Below the set point but inside the 2 %LEL deadband: stays active.
    let out = feed(
        &mut e,
        p,
        &[(3 * S, 24.0), (4 * S, 23.5), (5 * S, 23.1), (10 * S, 23.01)],
    );
    assert!(out.is_empty(), "{:?}", changes(&e, &out));
    // Past the deadband (< 23): the off-delay of 2 s must pass too.
    let out = feed(&mut e, p, &[(11 * S, 22.9), (12 * S, 22.0)]);
    assert!(out.is_empty());
    let out = feed(&mut e, p, &[(13 * S, 21.0)]);
    assert_eq!(
        changes(&e, &out),
        [("GT-101:limit:H".to_string(), "cleared", 13 * S)]
    );
    assert_eq!(out[0].state.isa(13 * S), IsaState::RtnUnacknowledged);
}

#[test]
fn deadband_and_delays_prevent_chattering_on_a_noisy_signal() {
    // A level hovering around its H limit of 8 m with ±0.15 m noise, 1 s samples.
    let noisy: Vec<(i64, f64)> = (0..600)
        .map(|i| {
            let noise = ((i * 7919) % 31) as f64 / 100.0 - 0.15;
            (i * S, 8.0 + noise)
        })
        .collect();
    let raw = {
        let mut e = Engine::new(EngineOptions::default());
        let p = e.upsert_point(
            "LT",
            "ent",
            only_limits(vec![lim(LimitName::H, 8.0, 0.0, 0, 0)]),
            0,
        );
        feed(&mut e, p, &noisy)
            .iter()
            .filter(|t| t.change == Change::Activated)
            .count()
    };
    let tuned = {
        let mut e = Engine::new(EngineOptions::default());
        // 0.5 m deadband (5 % of a 10 m span) and a 60 s on/off delay: the level defaults.
        let p = e.upsert_point(
            "LT",
            "ent",
            only_limits(vec![lim(LimitName::H, 8.0, 0.5, 60 * S, 60 * S)]),
            0,
        );
        feed(&mut e, p, &noisy)
    };
    assert!(raw >= 50, "the raw signal chatters: {raw} activations");
    let activations = tuned
        .iter()
        .filter(|t| t.change == Change::Activated)
        .count();
    let clears = tuned.iter().filter(|t| t.change == Change::Cleared).count();
    assert!(
        activations <= 1 && clears == 0,
        "tuned: {activations} activations, {clears} clears"
    );
}

#[test]
fn isa_state_machine_ack_before_and_after_return() {
    let mut e = Engine::new(EngineOptions::default());
    let p = e.upsert_point(
        "PT",
        "ent",
        only_limits(vec![lim(LimitName::H, 10.0, 1.0, 0, 0)]),
        0,
    );
    let id = "PT:limit:H";
    assert!(
        e.command(id, Command::Ack, 0).is_err(),
        "nothing to ack while normal"
    );
    feed(&mut e, p, &[(S, 11.0)]);
    let t = e.command(id, Command::Ack, 2 * S).unwrap();
    assert_eq!(t.state.isa(2 * S), IsaState::Acknowledged);
    assert_eq!(t.state.acked_at, Some(2 * S));
    assert!(
        e.command(id, Command::Ack, 3 * S).is_err(),
        "acknowledged twice"
    );
    let out = feed(&mut e, p, &[(4 * S, 8.0)]);
    assert_eq!(
        out[0].state.isa(4 * S),
        IsaState::Normal,
        "acked then returned: normal"
    );
    // Return first, then ack.
    feed(&mut e, p, &[(5 * S, 12.0), (6 * S, 5.0)]);
    let r = e.alarm_ref(id).unwrap();
    assert_eq!(e.state(r).isa(6 * S), IsaState::RtnUnacknowledged);
    assert_eq!(
        e.state(r).raised_at,
        Some(5 * S),
        "a new occurrence starts from normal"
    );
    let t = e.command(id, Command::Ack, 7 * S).unwrap();
    assert!(t.state.is_normal());
}

#[test]
fn latching_holds_until_reset() {
    let mut cfg = lim(LimitName::HH, 10.0, 0.0, 0, 0);
    cfg.latching = true;
    let mut e = Engine::new(EngineOptions::default());
    let p = e.upsert_point("PT", "ent", only_limits(vec![cfg]), 0);
    let id = "PT:limit:HH";
    feed(&mut e, p, &[(S, 11.0)]);
    assert!(
        e.command(id, Command::Reset, 2 * S).is_err(),
        "cannot reset while abnormal"
    );
    e.command(id, Command::Ack, 2 * S).unwrap();
    let out = feed(&mut e, p, &[(3 * S, 1.0)]);
    assert_eq!(out[0].state.isa(3 * S), IsaState::LatchedAcknowledged);
    let t = e.command(id, Command::Reset, 4 * S).unwrap();
    assert_eq!(t.change, Change::Reset);
    assert!(t.state.is_normal());
}

#[test]
fn shelving_expires() {
    let mut e = Engine::new(EngineOptions::default());
    let p = e.upsert_point(
        "PT",
        "ent",
        only_limits(vec![lim(LimitName::H, 10.0, 0.0, 0, 0)]),
        0,
    );
    let id = "PT:limit:H";
    feed(&mut e, p, &[(S, 11.0)]);
    assert!(
        e.command(id, Command::Shelve { until_ms: S }, 2 * S)
            .is_err(),
        "in the past"
    );
    assert!(
        e.command(
            id,
            Command::Shelve {
                until_ms: 2 * S + 25 * 3_600_000
            },
            2 * S
        )
        .is_err(),
        "over 24 h"
    );
    let t = e
        .command(id, Command::Shelve { until_ms: 60 * S }, 2 * S)
        .unwrap();
    assert_eq!(t.state.isa(2 * S), IsaState::Shelved);
    assert!(!t.state.annunciated(2 * S));
    let mut out = Vec::new();
    e.tick(59 * S, &mut out);
    assert!(
        out.iter()
            .all(|t| t.change != Change::Unshelved { expired: true })
    );
    e.tick(60 * S, &mut out);
    let unshelved: Vec<_> = out
        .iter()
        .filter(|t| matches!(t.change, Change::Unshelved { expired: true }))
        .collect();
    assert_eq!(unshelved.len(), 1);
    assert_eq!(
        unshelved[0].state.isa(60 * S),
        IsaState::Unacknowledged,
        "still abnormal: annunciated again"
    );
    // Manual unshelve.
    e.command(id, Command::Shelve { until_ms: 200 * S }, 100 * S)
        .unwrap();
    let t = e.command(id, Command::Unshelve, 101 * S).unwrap();
    assert_eq!(t.change, Change::Unshelved { expired: false });
    assert!(e.command(id, Command::Unshelve, 102 * S).is_err());
}

#[test]
fn data_interruption_is_raised_and_cleared_per_point_and_per_enterprise() {
    let cfg = PointAlarmConfig {
        interruption: Some(InterruptionAlarm {
            expected_interval_ms: 10 * S,
            multiple: 3,
            priority: AlarmPriority::Low,
        }),
        ..Default::default()
    };
    let mut e = Engine::new(EngineOptions {
        enterprise_interruption_ms: 60 * S,
        ..Default::default()
    });
    let a = e.upsert_point("A", "ent", cfg.clone(), 0);
    let b = e.upsert_point("B", "ent", cfg, 0);
    let mut out = Vec::new();
    e.evaluate(a, 0, 1.0, 0, &mut out);
    e.evaluate(b, 0, 1.0, 0, &mut out);
    e.tick(30 * S, &mut out);
    assert!(
        out.is_empty(),
        "exactly 3 intervals is not yet an interruption"
    );
    e.evaluate(b, 25 * S, 1.0, 0, &mut out);
    e.tick(30 * S + 1, &mut out);
    assert_eq!(
        changes(&e, &out),
        [("A:interruption".to_string(), "activated", 30 * S + 1)]
    );
    out.clear();
    e.tick(86 * S, &mut out);
    let ids: Vec<_> = changes(&e, &out).into_iter().map(|c| c.0).collect();
    assert_eq!(ids, ["B:interruption", "ent:enterprise_interruption"]);
    out.clear();
    e.evaluate(a, 90 * S, 1.0, 0, &mut out);
    let c = changes(&e, &out);
    assert_eq!(
        c,
        [
            ("A:interruption".to_string(), "cleared", 90 * S),
            ("ent:enterprise_interruption".to_string(), "cleared", 90 * S)
        ]
    );
}

#[test]
fn a_point_that_never_reports_is_interrupted() {
    let cfg = PointAlarmConfig {
        interruption: Some(InterruptionAlarm {
            expected_interval_ms: S,
            multiple: 5,
            priority: AlarmPriority::Low,
        }),
        ..Default::default()
    };
    let mut e = Engine::new(EngineOptions::default());
    e.upsert_point("A", "ent", cfg, 100 * S);
    let mut out = Vec::new();
    e.tick(105 * S, &mut out);
    assert!(out.is_empty());
    e.tick(106 * S, &mut out);
    assert_eq!(out.len(), 1);
}

#[test]
fn restart_mid_delay_raises_at_the_same_instant() {
    let cfg = only_limits(vec![lim(LimitName::H, 8.0, 0.5, 60 * S, 60 * S)]);
    let samples: Vec<(i64, f64)> = (0..120)
        .map(|i| (i * S, if i >= 10 { 9.0 } else { 7.0 }))
        .collect();
    // Uninterrupted: raised at 70 s.
    let mut e = Engine::new(EngineOptions::default());
    let p = e.upsert_point("LT", "ent", cfg.clone(), 0);
    let out = feed(&mut e, p, &samples);
    let reference = changes(&e, &out);
    assert_eq!(reference, [("LT:limit:H".to_string(), "activated", 70 * S)]);
    // Crash at 40 s (30 s into the delay). A new engine restores the stored
    // states (none here) and replays the replay window from history.
    let mut e2 = Engine::new(EngineOptions::default());
    let p2 = e2.upsert_point("LT", "ent", cfg, 45 * S);
    let window = e2.replay_window_ms(p2);
    assert_eq!(window, 60 * S);
    let history: Vec<_> = samples
        .iter()
        .copied()
        .filter(|(t, _)| *t <= 40 * S && *t >= 40 * S - window)
        .collect();
    let replayed = feed(&mut e2, p2, &history);
    assert!(replayed.is_empty());
    let live: Vec<_> = samples
        .iter()
        .copied()
        .filter(|(t, _)| *t > 40 * S)
        .collect();
    let out = feed(&mut e2, p2, &live);
    assert_eq!(changes(&e2, &out), reference);
}

#[test]
fn restored_active_alarm_is_not_raised_twice() {
    let cfg = only_limits(vec![lim(LimitName::H, 8.0, 0.0, 0, 0)]);
    let mut e = Engine::new(EngineOptions::default());
    let p = e.upsert_point("LT", "ent", cfg.clone(), 0);
    feed(&mut e, p, &[(S, 9.0)]);
    let r = e.alarm_ref("LT:limit:H").unwrap();
    let stored = e.state(r).clone();
    let mut e2 = Engine::new(EngineOptions::default());
    let p2 = e2.upsert_point("LT", "ent", cfg, 0);
    assert!(e2.restore("LT:limit:H", stored));
    assert!(!e2.restore("LT:limit:HH", Default::default()));
    assert!(feed(&mut e2, p2, &[(2 * S, 9.5)]).is_empty());
}

#[test]
fn rate_of_change_deviation_frozen_and_bad_quality() {
    let mut e = Engine::new(EngineOptions::default());
    let cfg = PointAlarmConfig {
        rate: Some(RateAlarm {
            max_per_min: 6.0,
            period_ms: 10 * S,
            on_delay_ms: 0,
            priority: AlarmPriority::Medium,
        }),
        deviation: Some(DeviationAlarm {
            other_point_id: "TT-B".into(),
            max_abs: 5.0,
            deadband: 1.0,
            on_delay_ms: 0,
            off_delay_ms: 0,
            priority: AlarmPriority::Medium,
        }),
        frozen: Some(FrozenAlarm {
            window_ms: 30 * S,
            min_samples: 5,
            tolerance: 0.0,
            priority: AlarmPriority::Low,
        }),
        bad_quality: Some(BadQualityAlarm {
            on_delay_ms: 2 * S,
            priority: AlarmPriority::Low,
        }),
        ..Default::default()
    };
    let a = e.upsert_point("TT-A", "ent", cfg, 0);
    let b = e.upsert_point("TT-B", "ent", PointAlarmConfig::default(), 0);
    let mut out = Vec::new();
    // Rate: +0.5 per 10 s = 3 /min is fine; +2 per 10 s = 12 /min alarms.
    e.evaluate(b, 0, 20.0, 0, &mut out);
    for (t, v) in [(0, 20.0), (10, 20.5), (20, 22.5)] {
        e.evaluate(a, t * S, v, 0, &mut out);
    }
    assert_eq!(
        changes(&e, &out),
        [("TT-A:rate_of_change".to_string(), "activated", 20 * S)]
    );
    out.clear();
    // Deviation: TT-B at 20, TT-A at 26 → 6 > 5.
    e.evaluate(b, 25 * S, 20.0, 0, &mut out);
    e.evaluate(a, 26 * S, 26.0, 0, &mut out);
    assert!(changes(&e, &out).contains(&("TT-A:deviation".to_string(), "activated", 26 * S)));
    out.clear();
    // 24.5 is within max − deadband (4 < 5 − 1 is false at 4.5): stays; 23.9 clears.
    e.evaluate(a, 27 * S, 24.5, 0, &mut out);
    assert!(!changes(&e, &out).iter().any(|c| c.0 == "TT-A:deviation"));
    e.evaluate(a, 28 * S, 23.9, 0, &mut out);
    assert!(
        changes(&e, &out)
            .iter()
            .any(|c| c.0 == "TT-A:deviation" && c.1 == "cleared")
    );
    out.clear();
    // Frozen: 23.9 held exactly from 28 s; at 58 s (30 s, ≥ 5 samples) it alarms.
    for t in (30..=58).step_by(5) {
        e.evaluate(a, t * S, 23.9, 0, &mut out);
    }
    e.evaluate(a, 58 * S + 1, 23.9, 0, &mut out);
    assert!(
        changes(&e, &out)
            .iter()
            .any(|c| c.0 == "TT-A:frozen" && c.1 == "activated"),
        "{:?}",
        changes(&e, &out)
    );
    out.clear();
    e.evaluate(a, 60 * S, 24.0, 0, &mut out);
    assert!(
        changes(&e, &out)
            .iter()
            .any(|c| c.0 == "TT-A:frozen" && c.1 == "cleared")
    );
    out.clear();
    // Bad quality for 2 s; a bad sample's value is not judged against limits.
    e.evaluate(a, 61 * S, 999.0, 1, &mut out);
    e.evaluate(a, 63 * S, 999.0, 1, &mut out);
    let c = changes(&e, &out);
    assert_eq!(
        c,
        [("TT-A:bad_quality".to_string(), "activated", 63 * S)],
        "only bad quality: {c:?}"
    );
    out.clear();
    e.evaluate(a, 64 * S, 24.0, 0, &mut out);
    assert_eq!(
        changes(&e, &out)[0],
        ("TT-A:bad_quality".to_string(), "cleared", 64 * S)
    );
}

#[test]
fn late_and_duplicate_samples_are_ignored() {
    let mut e = Engine::new(EngineOptions::default());
    let p = e.upsert_point(
        "PT",
        "ent",
        only_limits(vec![lim(LimitName::H, 10.0, 0.0, 0, 0)]),
        0,
    );
    assert!(feed(&mut e, p, &[(10 * S, 5.0), (5 * S, 50.0), (10 * S, 50.0)]).is_empty());
    let mut out = Vec::new();
    e.evaluate(p, 11 * S, f64::NAN, 0, &mut out);
    assert!(out.is_empty());
}

#[test]
fn reconfiguring_keeps_the_state_of_alarms_that_remain() {
    let mut e = Engine::new(EngineOptions::default());
    let p = e.upsert_point(
        "PT",
        "ent",
        only_limits(vec![lim(LimitName::H, 10.0, 0.0, 0, 0)]),
        0,
    );
    feed(&mut e, p, &[(S, 11.0)]);
    let p2 = e.upsert_point(
        "PT",
        "ent",
        only_limits(vec![
            lim(LimitName::HH, 20.0, 0.0, 0, 0),
            lim(LimitName::H, 12.0, 0.0, 0, 0),
        ]),
        2 * S,
    );
    assert_eq!(p, p2);
    let r = e.alarm_ref("PT:limit:H").unwrap();
    assert!(e.state(r).active);
    // Now 11.5 is below the new H of 12: it clears.
    let out = feed(&mut e, p, &[(3 * S, 11.5)]);
    assert_eq!(
        changes(&e, &out),
        [("PT:limit:H".to_string(), "cleared", 3 * S)]
    );
    e.remove_point("PT");
    assert!(e.alarm_ref("PT:limit:H").is_none());
    assert!(feed(&mut e, p, &[(4 * S, 100.0)]).is_empty());
}

#[test]
fn suppression_by_design_takes_every_alarm_of_a_point_off_the_display() {
    let mut e = Engine::new(EngineOptions::default());
    let p = e.upsert_point("GT", "ent", gas_detector(), 0);
    let ts = e.suppress_point("GT", true, 0);
    assert_eq!(ts.len(), 4, "H, HH, bad quality, interruption");
    feed(&mut e, p, &[(0, 60.0), (5 * S, 60.0)]);
    let r = e.alarm_ref("GT:limit:HH").unwrap();
    assert!(e.state(r).active, "the process condition is still tracked");
    assert_eq!(e.state(r).isa(5 * S), IsaState::Suppressed);
    assert!(!e.state(r).counts(5 * S));
    e.suppress_point("GT", false, 6 * S);
    assert_eq!(e.state(r).isa(6 * S), IsaState::Unacknowledged);
    let t = e
        .command("GT:limit:HH", Command::OutOfService(true), 7 * S)
        .unwrap();
    assert_eq!(t.state.isa(7 * S), IsaState::OutOfService);
    assert!(
        e.command("GT:limit:HH", Command::OutOfService(true), 7 * S)
            .is_err()
    );
    assert_eq!(e.def(r).kind, AlarmKind::Limit);
}

proptest! {
    /// Whatever the signal, an alarm alternates activated / cleared, with the
    /// on-delay respected: the condition held for at least `on` before each activation.
    #[test]
    fn activations_and_clears_alternate(values in proptest::collection::vec(0.0f64..20.0, 1..300), on in 0i64..5, db in 0.0f64..3.0) {
        let mut e = Engine::new(EngineOptions::default());
        let p = e.upsert_point("P", "ent", only_limits(vec![lim(LimitName::H, 10.0, db, on * S, 0)]), 0);
        let samples: Vec<(i64, f64)> = values.iter().enumerate().map(|(i, v)| (i as i64 * S, *v)).collect();
        let out = feed(&mut e, p, &samples);
        let mut active = false;
        for t in &out {
            match t.change {
                Change::Activated => {
                    prop_assert!(!active);
                    active = true;
                    let i = (t.at_ms / S) as usize;
                    prop_assert!(samples[i].1 >= 10.0);
                    let start = i.saturating_sub(on as usize);
                    prop_assert!(samples[start..=i].iter().all(|s| s.1 >= 10.0), "held through the on-delay");
                }
                Change::Cleared => {
                    prop_assert!(active);
                    active = false;
                    prop_assert!(samples[(t.at_ms / S) as usize].1 < 10.0 - db);
                }
                _ => prop_assert!(false),
            }
        }
    }

    /// Arbitrary commands never panic and never leave an inconsistent state.
    #[test]
    fn commands_never_break_the_state(ops in proptest::collection::vec((0u8..7, 0.0f64..20.0), 0..200)) {
        let mut cfg = lim(LimitName::H, 10.0, 1.0, 0, 0);
        cfg.latching = true;
        let mut e = Engine::new(EngineOptions::default());
        let p = e.upsert_point("P", "ent", only_limits(vec![cfg]), 0);
        let mut out = Vec::new();
        for (i, (op, v)) in ops.iter().enumerate() {
            let now = i as i64 * S;
            let cmd = match op {
                0 => { e.evaluate(p, now, *v, 0, &mut out); continue; }
                1 => Command::Ack,
                2 => Command::Reset,
                3 => Command::Shelve { until_ms: now + 5 * S },
                4 => Command::Unshelve,
                5 => Command::Suppress(*v > 10.0),
                _ => { e.tick(now, &mut out); continue; }
            };
            let _ = e.command("P:limit:H", cmd, now);
            let r = e.alarm_ref("P:limit:H").unwrap();
            let s = e.state(r);
            prop_assert!(!(s.active && s.latched), "latched only after return");
            if s.is_normal() { prop_assert!(s.acked); }
        }
    }
}
