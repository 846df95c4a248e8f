//! Hand-computed cases, one per figure of the report.

use weihua_core::{AlarmKind, AlarmPriority};
use weihua_kpi::{
    AlarmOccurrence, FindingCode, GroupBy, KpiConfig, KpiError, LoadLevel, Verdict, compute,
    compute_grouped,
};

const MIN: i64 = 60_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;

fn occ(key: &str, raised: i64) -> AlarmOccurrence {
    AlarmOccurrence {
        alarm_key: key.to_string(),
        label: format!("{key} 高报"),
        enterprise_id: "E1".into(),
        position: "P1".into(),
        priority: AlarmPriority::Low,
        kind: AlarmKind::Limit,
        raised_at_ms: raised,
        cleared_at_ms: Some(raised.saturating_add(MIN)),
        acked_at_ms: None,
    }
}

fn cfg() -> KpiConfig {
    KpiConfig::default()
}

fn has(report: &weihua_kpi::KpiReport, code: FindingCode) -> bool {
    report.assessment.findings.iter().any(|f| f.code == code)
}

#[test]
fn empty_or_inverted_window_is_refused_in_both_languages() {
    for (from, to) in [(0, 0), (10, 5)] {
        let err = compute(&[], from, to, &cfg()).unwrap_err();
        assert_eq!(
            err,
            KpiError::InvalidWindow {
                from_ms: from,
                to_ms: to
            }
        );
        let text = err.to_string();
        assert!(
            text.contains("统计窗口") && text.contains("inverted window"),
            "{text}"
        );
        assert!(err.zh().contains("统计窗口") && err.en().contains("window"));
    }
}

#[test]
fn bad_config_names_the_field() {
    let cases: Vec<(KpiConfig, &str)> = vec![
        (
            KpiConfig {
                period_ms: 0,
                ..cfg()
            },
            "period_ms",
        ),
        (
            KpiConfig {
                flood_above: 0,
                ..cfg()
            },
            "flood_above",
        ),
        (
            KpiConfig {
                flood_end_below: 0,
                ..cfg()
            },
            "flood_end_below",
        ),
        (
            KpiConfig {
                flood_end_below: 12,
                ..cfg()
            },
            "flood_end_below",
        ),
        (
            KpiConfig {
                chatter_min_activations: 1,
                ..cfg()
            },
            "chatter_min_activations",
        ),
        (
            KpiConfig {
                chatter_window_ms: 0,
                ..cfg()
            },
            "chatter_window_ms",
        ),
        (
            KpiConfig {
                fleeting_max_ms: -1,
                ..cfg()
            },
            "fleeting_max_ms",
        ),
        (
            KpiConfig {
                stale_after_ms: 0,
                ..cfg()
            },
            "stale_after_ms",
        ),
        (KpiConfig { top_n: 0, ..cfg() }, "top_n"),
    ];
    for (c, field) in cases {
        match compute(&[], 0, HOUR, &c) {
            Err(KpiError::InvalidConfig { field: f, zh, en }) => {
                assert_eq!(f, field);
                assert!(!zh.is_empty() && !en.is_empty());
            }
            other => panic!("{field}: expected a config error, got {other:?}"),
        }
    }
    let mut c = cfg();
    c.targets.priority_pct.low = 101.0;
    assert!(matches!(
        c.validate(),
        Err(KpiError::InvalidConfig {
            field: "targets.priority_pct.low",
            ..
        })
    ));
    let mut c = cfg();
    c.targets.acceptable_per_10min = 3.0;
    assert!(c.validate().is_err());
    let mut c = cfg();
    c.targets.max_top_n_share_pct = f64::NAN;
    assert!(c.validate().is_err());
}

#[test]
fn config_json_defaults_and_unknown_fields() {
    let c: KpiConfig = serde_json::from_str("{}").unwrap();
    assert_eq!(c, KpiConfig::default());
    assert_eq!(c.period_ms, 600_000);
    assert_eq!((c.flood_above, c.flood_end_below), (10, 5));
    assert_eq!(
        (c.chatter_min_activations, c.chatter_window_ms),
        (3, 60_000)
    );
    assert_eq!(
        (c.fleeting_max_ms, c.stale_after_ms, c.top_n),
        (10_000, DAY, 10)
    );
    let c: KpiConfig =
        serde_json::from_str(r#"{"period_ms": 300000, "targets": {"stale_below": 3}}"#).unwrap();
    assert_eq!(c.period_ms, 300_000);
    assert_eq!(c.targets.stale_below, 3);
    assert_eq!(c.targets.max_per_period, 10);
    assert!(serde_json::from_str::<KpiConfig>(r#"{"perod_ms": 1}"#).is_err());
}

#[test]
fn six_per_hour_is_one_per_ten_minutes() {
    let recs: Vec<_> = (0..6).map(|i| occ("A", i * 10 * MIN)).collect();
    let r = compute(&recs, 0, HOUR, &cfg()).unwrap();
    assert_eq!(r.total_activations, 6);
    assert_eq!(r.distinct_alarms, 1);
    assert!((r.avg_per_10min - 1.0).abs() < 1e-12);
    assert!((r.avg_per_hour - 6.0).abs() < 1e-12);
    assert!((r.avg_per_day - 144.0).abs() < 1e-9);
    assert_eq!(r.periods, 6);
    assert_eq!(r.max_per_period, 1);
    assert_eq!(r.assessment.load, LoadLevel::Acceptable);
    assert!(has(&r, FindingCode::RateAcceptable));
}

#[test]
fn rate_levels_at_their_boundaries() {
    // 12 in an hour = 2 per 10 min: manageable; 13 = overloaded.
    let recs: Vec<_> = (0..12)
        .map(|i| occ(&format!("K{i}"), i * 5 * MIN))
        .collect();
    let r = compute(&recs, 0, HOUR, &cfg()).unwrap();
    assert_eq!(r.assessment.load, LoadLevel::Manageable);
    assert!(has(&r, FindingCode::RateManageable));
    let mut recs = recs;
    recs.push(occ("K99", 59 * MIN));
    let r = compute(&recs, 0, HOUR, &cfg()).unwrap();
    assert_eq!(r.assessment.load, LoadLevel::Overloaded);
    assert!(has(&r, FindingCode::RateOverloaded));
    assert_eq!(r.assessment.overall, Verdict::Violation);
}

#[test]
fn window_is_half_open_and_last_period_may_be_partial() {
    let recs = vec![
        occ("A", -1),
        occ("A", 0),
        occ("A", 25 * MIN - 1),
        occ("A", 25 * MIN),
    ];
    let r = compute(&recs, 0, 25 * MIN, &cfg()).unwrap();
    assert_eq!(r.total_activations, 2);
    assert_eq!(r.periods, 3);
    assert_eq!(r.max_per_period, 1);
}

#[test]
fn flood_period_needs_more_than_ten_alarms() {
    // Exactly 10 in the first period: not in flood.
    let mut recs: Vec<_> = (0..10).map(|i| occ(&format!("K{i}"), i * 50_000)).collect();
    let r = compute(&recs, 0, HOUR, &cfg()).unwrap();
    assert_eq!(r.max_per_period, 10);
    assert_eq!(r.periods_in_flood, 0);
    assert_eq!(r.pct_periods_in_flood, 0.0);
    assert!(r.flood_episodes.is_empty());
    assert!(has(&r, FindingCode::PeakPeriodOk));
    assert!(has(&r, FindingCode::FloodPeriodsOk));
    // The 11th in the same period: one period of six in flood.
    recs.push(occ("K10", 9 * MIN + 59_999));
    let r = compute(&recs, 0, HOUR, &cfg()).unwrap();
    assert_eq!(r.max_per_period, 11);
    assert_eq!(r.periods_in_flood, 1);
    assert!((r.pct_periods_in_flood - 100.0 / 6.0).abs() < 1e-9);
    assert!(has(&r, FindingCode::PeakPeriodExcessive));
    assert!(has(&r, FindingCode::FloodPeriodsExcessive));
    // The 11th just past the period boundary: two periods, neither in flood.
    recs.pop();
    recs.push(occ("K10", 10 * MIN));
    let r = compute(&recs, 0, HOUR, &cfg()).unwrap();
    assert_eq!(r.periods_in_flood, 0);
}

#[test]
fn flood_episode_starts_above_ten_and_ends_below_five() {
    // 11 alarms one second apart: the sliding 10-min window holds 11.
    let recs: Vec<_> = (0..11).map(|i| occ(&format!("K{i}"), i * 1000)).collect();
    let r = compute(&recs, 0, HOUR, &cfg()).unwrap();
    assert_eq!(r.flood_episodes.len(), 1);
    let e = &r.flood_episodes[0];
    assert_eq!(e.start_ms, 0);
    // The window drops to 4 when the 7th alarm (raised at 6 s) leaves it.
    assert_eq!(e.end_ms, 6_000 + 10 * MIN);
    assert_eq!(e.activations, 11);
    assert_eq!(e.peak_per_period, 11);
    assert!(!e.ongoing);
    assert_eq!(r.time_in_flood_ms, 606_000);
    assert!((r.pct_time_in_flood - 606_000.0 * 100.0 / HOUR as f64).abs() < 1e-9);

    // Ten in a sliding window is not a flood.
    let r = compute(&recs[..10], 0, HOUR, &cfg()).unwrap();
    assert!(r.flood_episodes.is_empty());

    // A window that ends during the flood leaves the episode open.
    let r = compute(&recs, 0, 5 * MIN, &cfg()).unwrap();
    let e = &r.flood_episodes[0];
    assert!(e.ongoing);
    assert_eq!(e.end_ms, 5 * MIN);

    // The flood-start window need not be aligned on a period: 6 at the end of
    // one period and 5 at the start of the next.
    let mut recs: Vec<_> = (0..6)
        .map(|i| occ(&format!("A{i}"), 9 * MIN + i * 1000))
        .collect();
    recs.extend((0..5).map(|i| occ(&format!("B{i}"), 10 * MIN + i * 1000)));
    let r = compute(&recs, 0, HOUR, &cfg()).unwrap();
    assert_eq!(r.periods_in_flood, 0);
    assert_eq!(r.flood_episodes.len(), 1);
    assert_eq!(r.flood_episodes[0].start_ms, 9 * MIN);
}

#[test]
fn flood_episode_continues_while_alarms_keep_coming() {
    // 11 in the first second, then one every 2 min for 40 min: the sliding
    // count stays ≥ 5 until the 2-min trickle alone holds the window (5 per
    // 10 min); it ends only after the trickle stops.
    let mut recs: Vec<_> = (0..11).map(|i| occ(&format!("K{i}"), i * 10)).collect();
    recs.extend((1..=20).map(|i| occ(&format!("T{i}"), i * 2 * MIN)));
    let r = compute(&recs, 0, 2 * HOUR, &cfg()).unwrap();
    assert_eq!(r.flood_episodes.len(), 1);
    let e = &r.flood_episodes[0];
    // The last trickle alarm is at 40 min; the window (t − 10 min, t] holds
    // 32, 34, 36, 38, 40 until 32 leaves at 42 min → 4 < 5.
    assert_eq!(e.end_ms, 42 * MIN);
    assert_eq!(e.activations, 31);
}

#[test]
fn two_flood_episodes_are_counted_separately() {
    let mut recs: Vec<_> = (0..11).map(|i| occ(&format!("K{i}"), i)).collect();
    recs.extend((0..12).map(|i| occ(&format!("L{i}"), HOUR + i)));
    let r = compute(&recs, 0, 3 * HOUR, &cfg()).unwrap();
    assert_eq!(r.flood_episodes.len(), 2);
    assert_eq!(r.flood_episodes[0].activations, 11);
    assert_eq!(r.flood_episodes[1].activations, 12);
    assert_eq!(r.flood_episodes[1].start_ms, HOUR);
    assert_eq!(r.flood_episodes[1].end_ms, HOUR + 7 + 10 * MIN);
    assert_eq!(r.periods_in_flood, 2);
}

#[test]
fn chattering_needs_three_activations_inside_sixty_seconds() {
    let two = vec![occ("C", 0), occ("C", 30_000)];
    let r = compute(&two, 0, HOUR, &cfg()).unwrap();
    assert!(r.chattering.is_empty());
    assert!(has(&r, FindingCode::NoChattering));

    let three = vec![occ("C", 0), occ("C", 30_000), occ("C", 59_999)];
    let r = compute(&three, 0, HOUR, &cfg()).unwrap();
    assert_eq!(r.chattering.len(), 1);
    assert_eq!(r.chattering[0].alarm_key, "C");
    assert_eq!(r.chattering[0].label, "C 高报");
    assert_eq!(r.chattering[0].max_in_window, 3);
    assert_eq!(r.chattering[0].activations, 3);
    assert!(has(&r, FindingCode::ChatteringPresent));

    // 60 s apart end to end is outside one 60-s window.
    let spread = vec![occ("C", 0), occ("C", 30_000), occ("C", 60_000)];
    let r = compute(&spread, 0, HOUR, &cfg()).unwrap();
    assert!(r.chattering.is_empty());

    // Three activations of different alarms are not chattering.
    let mixed = vec![occ("A", 0), occ("B", 1), occ("C", 2)];
    assert!(
        compute(&mixed, 0, HOUR, &cfg())
            .unwrap()
            .chattering
            .is_empty()
    );

    // The most chattering alarm comes first.
    let mut recs: Vec<_> = (0..5).map(|i| occ("X", HOUR / 2 + i)).collect();
    recs.extend(three);
    let r = compute(&recs, 0, HOUR, &cfg()).unwrap();
    let keys: Vec<_> = r.chattering.iter().map(|c| c.alarm_key.as_str()).collect();
    assert_eq!(keys, ["X", "C"]);
    assert_eq!(r.chattering[0].max_in_window, 5);
}

#[test]
fn fleeting_is_cleared_within_ten_seconds() {
    let mut a = occ("A", 0);
    a.cleared_at_ms = Some(9_999);
    let mut b = occ("B", 0);
    b.cleared_at_ms = Some(10_000);
    let mut c = occ("C", 0);
    c.cleared_at_ms = None;
    let r = compute(&[a, b, c], 0, HOUR, &cfg()).unwrap();
    assert_eq!(r.fleeting_count, 1);
    assert!(has(&r, FindingCode::FleetingPresent));
}

#[test]
fn stale_is_active_for_more_than_24_hours_at_window_end() {
    let to = 2 * DAY;
    let mk = |key: &str, raised: i64, cleared: Option<i64>| AlarmOccurrence {
        cleared_at_ms: cleared,
        ..occ(key, raised)
    };
    let recs = vec![
        mk("over", to - DAY - 1, None),
        mk("exact", to - DAY, None),
        mk("under", to - DAY + 1, None),
        mk("cleared_at_end", to - 2 * DAY + 5, Some(to)),
        mk("cleared_after_end", to - DAY - 10, Some(to + 1)),
        // Raised long before the window and never cleared.
        mk("ancient", -30 * DAY, None),
        // Raised after the window: ignored.
        mk("future", to + 1, None),
    ];
    let r = compute(&recs, DAY, to, &cfg()).unwrap();
    let keys: Vec<_> = r.stale.iter().map(|s| s.alarm_key.as_str()).collect();
    assert_eq!(keys, ["ancient", "cleared_after_end", "over"]);
    assert_eq!(r.stale[2].active_since_ms, to - DAY - 1);
    assert_eq!(r.stale[2].active_for_ms, DAY + 1);
    assert_eq!(r.stale[0].label, "ancient 高报");
    // Only "exact" and "under" were raised inside [DAY, 2·DAY).
    assert_eq!(r.total_activations, 2);
    assert!(has(&r, FindingCode::StaleOk));

    // Five stale alarms break the "fewer than 5" target.
    let many: Vec<_> = (0..5).map(|i| mk(&format!("S{i}"), 0, None)).collect();
    let r = compute(&many, DAY, to, &cfg()).unwrap();
    assert_eq!(r.stale.len(), 5);
    assert!(has(&r, FindingCode::StaleExcessive));
}

#[test]
fn stale_alarm_is_listed_once_per_key_with_its_earliest_activation() {
    let mut a = occ("A", 0);
    a.cleared_at_ms = None;
    let mut b = occ("A", 10);
    b.cleared_at_ms = None;
    let r = compute(&[b, a], 2 * DAY, 3 * DAY, &cfg()).unwrap();
    assert_eq!(r.stale.len(), 1);
    assert_eq!(r.stale[0].active_since_ms, 0);
}

#[test]
fn top_ten_contributors_and_their_share() {
    // Key Kk has k activations, k = 1..=12: 78 in all. The top ten are
    // K12..K3 with 75 of 78.
    let mut recs = Vec::new();
    for k in 1..=12i64 {
        for j in 0..k {
            recs.push(occ(&format!("K{k:02}"), k * 100_000 + j * 61_000));
        }
    }
    let r = compute(&recs, 0, DAY, &cfg()).unwrap();
    assert_eq!(r.total_activations, 78);
    assert_eq!(r.distinct_alarms, 12);
    assert_eq!(r.top.len(), 10);
    assert_eq!(r.top[0].rank, 1);
    assert_eq!(r.top[0].alarm_key, "K12");
    assert_eq!(r.top[0].count, 12);
    assert!((r.top[0].share_pct - 12.0 * 100.0 / 78.0).abs() < 1e-9);
    assert_eq!(r.top[9].alarm_key, "K03");
    assert!((r.top_share_pct - 75.0 * 100.0 / 78.0).abs() < 1e-9);
    assert!(has(&r, FindingCode::TopShareHigh));

    // Ties are broken by key so the report is deterministic.
    let recs = vec![occ("B", 0), occ("A", 1)];
    let c = KpiConfig { top_n: 1, ..cfg() };
    let r = compute(&recs, 0, HOUR, &c).unwrap();
    assert_eq!(r.top[0].alarm_key, "A");
    assert!((r.top_share_pct - 50.0).abs() < 1e-12);
}

#[test]
fn top_share_within_five_percent_is_ok() {
    // 200 alarms once each: top 10 = 5 %.
    let recs: Vec<_> = (0..200)
        .map(|i| occ(&format!("K{i:03}"), i * 1000))
        .collect();
    let r = compute(&recs, 0, 30 * DAY, &cfg()).unwrap();
    assert!((r.top_share_pct - 5.0).abs() < 1e-9);
    assert!(has(&r, FindingCode::TopShareOk));
}

#[test]
fn label_is_the_latest_one_in_the_window() {
    let mut old = occ("A", 0);
    old.label = "old".into();
    let mut new = occ("A", 10);
    new.label = "new".into();
    let r = compute(&[new, old], 0, HOUR, &cfg()).unwrap();
    assert_eq!(r.top[0].label, "new");
}

fn with_priority(key: &str, t: i64, p: AlarmPriority) -> AlarmOccurrence {
    AlarmOccurrence {
        priority: p,
        ..occ(key, t)
    }
}

#[test]
fn priority_distribution_in_percent() {
    // 1 emergency, 4 high, 15 medium, 80 low.
    let mut recs = vec![with_priority("E", 0, AlarmPriority::Emergency)];
    let mut t = 1;
    for (p, n) in [
        (AlarmPriority::High, 4),
        (AlarmPriority::Medium, 15),
        (AlarmPriority::Low, 80),
    ] {
        for _ in 0..n {
            recs.push(with_priority(&format!("K{t}"), t * 1000, p));
            t += 1;
        }
    }
    let r = compute(&recs, 0, 30 * DAY, &cfg()).unwrap();
    let d: Vec<_> = r
        .priority_distribution
        .iter()
        .map(|s| (s.priority, s.count, s.pct))
        .collect();
    assert_eq!(
        d,
        vec![
            (AlarmPriority::Emergency, 1, 1.0),
            (AlarmPriority::High, 4, 4.0),
            (AlarmPriority::Medium, 15, 15.0),
            (AlarmPriority::Low, 80, 80.0),
        ]
    );
    // Emergency must stay *below* 1 %.
    assert!(has(&r, FindingCode::EmergencyShareHigh));
    // High is 1 point off 5 %: within the 5-point tolerance.
    assert!(has(&r, FindingCode::PriorityMixOk));

    // Half high, half low: far off 80/15/5.
    let recs = vec![
        with_priority("A", 0, AlarmPriority::High),
        with_priority("B", 1, AlarmPriority::Low),
    ];
    let r = compute(&recs, 0, HOUR, &cfg()).unwrap();
    assert!(has(&r, FindingCode::EmergencyShareOk));
    let mix = r
        .assessment
        .findings
        .iter()
        .find(|f| f.code == FindingCode::PriorityMixDeviates)
        .unwrap();
    assert!((mix.value - 45.0).abs() < 1e-9);
    assert_eq!(mix.verdict, Verdict::Warning);
}

#[test]
fn empty_window_reports_zeros_and_no_activations() {
    let r = compute(&[], 0, HOUR, &cfg()).unwrap();
    assert_eq!(r.total_activations, 0);
    assert_eq!(r.avg_per_10min, 0.0);
    assert_eq!(r.periods, 6);
    assert!(r.top.is_empty());
    assert_eq!(r.top_share_pct, 0.0);
    assert!(r.priority_distribution.iter().all(|s| s.pct == 0.0));
    assert!(has(&r, FindingCode::NoActivations));
    assert_eq!(r.assessment.overall, Verdict::Ok);
    // Serialises with snake_case codes.
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["assessment"]["load"], "acceptable");
    assert_eq!(v["assessment"]["findings"][0]["code"], "rate_acceptable");
}

#[test]
fn inconsistent_times_are_counted_and_ignored() {
    let mut a = occ("A", 100);
    a.cleared_at_ms = Some(50);
    let mut b = occ("B", 100);
    b.acked_at_ms = Some(99);
    let r = compute(&[a, b], 0, 3 * DAY, &cfg()).unwrap();
    assert_eq!(r.inconsistent_records, 2);
    assert_eq!(r.total_activations, 2);
    assert_eq!(r.fleeting_count, 0);
    assert!(r.stale.is_empty());
}

#[test]
fn grouped_by_enterprise_and_by_position() {
    let mut recs = Vec::new();
    for (i, (ent, pos)) in [("E1", "P1"), ("E1", "P2"), ("E2", "P2"), ("E2", "P2")]
        .into_iter()
        .enumerate()
    {
        let mut r = occ(&format!("K{i}"), i as i64 * 1000);
        r.enterprise_id = ent.into();
        r.position = pos.into();
        recs.push(r);
    }
    // A stale-only enterprise still gets a report; a future-only one does not.
    let mut old = occ("OLD", -3 * DAY);
    old.enterprise_id = "E3".into();
    old.cleared_at_ms = None;
    recs.push(old);
    let mut fut = occ("FUT", 2 * HOUR);
    fut.enterprise_id = "E4".into();
    recs.push(fut);

    let by_ent = compute_grouped(&recs, 0, HOUR, &cfg(), GroupBy::Enterprise).unwrap();
    assert_eq!(by_ent.keys().collect::<Vec<_>>(), ["E1", "E2", "E3"]);
    assert_eq!(by_ent["E1"].total_activations, 2);
    assert_eq!(by_ent["E2"].total_activations, 2);
    assert_eq!(by_ent["E3"].total_activations, 0);
    assert_eq!(by_ent["E3"].stale.len(), 1);

    let by_pos = compute_grouped(&recs, 0, HOUR, &cfg(), GroupBy::Position).unwrap();
    assert_eq!(by_pos["P1"].total_activations, 3 - 2); // K0 only; OLD and FUT are P1 too
    assert_eq!(by_pos["P2"].total_activations, 3);
    assert!(compute_grouped(&recs, 5, 5, &cfg(), GroupBy::Position).is_err());
}

#[test]
fn extreme_timestamps_do_not_overflow() {
    let recs = vec![occ("A", i64::MIN), occ("A", i64::MAX - 1), occ("B", 0)];
    let r = compute(&recs, i64::MIN, i64::MAX, &cfg()).unwrap();
    assert_eq!(r.total_activations, 3);
    assert!(r.periods > 0);
    let c = KpiConfig {
        period_ms: i64::MAX,
        chatter_window_ms: i64::MAX,
        ..cfg()
    };
    let r = compute(&recs, i64::MIN, i64::MAX, &c).unwrap();
    assert_eq!(r.periods, 3);
}

#[test]
fn one_million_records_are_computed_quickly() {
    // 1 M activations of 5 000 alarms over 30 days.
    let n = 1_000_000i64;
    let span = 30 * DAY;
    let recs: Vec<AlarmOccurrence> = (0..n)
        .map(|i| {
            let key = (i * 7919) % 5000;
            let t = (i * 2_591_993) % span; // scattered, unsorted
            AlarmOccurrence {
                alarm_key: format!("K{key}"),
                label: format!("K{key}"),
                enterprise_id: format!("E{}", key % 10),
                position: format!("P{}", key % 40),
                priority: AlarmPriority::ALL[(key % 4) as usize],
                kind: AlarmKind::Limit,
                raised_at_ms: t,
                cleared_at_ms: Some(t + (i % 30_000)),
                acked_at_ms: None,
            }
        })
        .collect();
    let start = std::time::Instant::now();
    let r = compute(&recs, 0, span, &cfg()).unwrap();
    let took = start.elapsed();
    assert_eq!(r.total_activations, n as u64);
    assert_eq!(r.distinct_alarms, 5000);
    println!("1 M records: {took:?} (target: well under 1 s in release)");
    if !cfg!(debug_assertions) {
        assert!(took.as_millis() < 1000, "took {took:?}");
    }
}
