//! Monitoring-linked measure failure, statistics, and no-panic properties of the risk
//! functions.

use proptest::prelude::*;
use weihua_prevention::codes::{
    DangerLevel, DangerManageType, DangerSrc, DataSrc, HazardDangerType, ManagementClassification,
    RiskLevel,
};
use weihua_prevention::danger::{
    Actor, DangerAction, DangerStatus, HiddenDanger, NewDanger, apply,
};
use weihua_prevention::monitoring_link::{
    LinkConfig, LinkError, MonitoredMeasure, PointAlarm, evaluate_measure,
};
use weihua_prevention::risk::{RiskConfig, assess_lec, assess_matrix};
use weihua_prevention::schedule::{WindowState, WindowStatus};
use weihua_prevention::stats::{
    DangerFacts, Rate, danger_stats, danger_stats_by, inspection_stats, inspection_stats_by,
};

const MIN: i64 = 60_000;
const T0: i64 = 1_717_200_000_000;

fn measure() -> MonitoredMeasure {
    MonitoredMeasure {
        measure_id: "M-7".into(),
        description: "储罐液位高高联锁".into(),
        data_src: DataSrc::AutomatedMonitoring,
        hazard_code: Some("HZ-01".into()),
        point_ids: vec!["P-2".into(), "P-1".into()],
    }
}

fn alarm(point: &str, start: i64, active: bool) -> PointAlarm {
    PointAlarm {
        point_id: point.into(),
        label: Some(format!("{point}-LT")),
        started_at_ms: start,
        active,
    }
}

#[test]
fn measure_fails_after_the_grace_period() {
    let c = LinkConfig::default();
    let alarms = [
        alarm("P-1", T0, true),
        alarm("P-1", T0 - 10 * MIN, false), // cleared: ignored
        alarm("P-9", T0 - 100 * MIN, true), // other point: ignored
    ];
    let e = evaluate_measure(&measure(), &alarms, T0 + 30 * MIN - 1, &c).unwrap();
    assert!(!e.failed);
    assert_eq!(e.points_in_grace, ["P-1"]);
    assert!(e.proposal.is_none());
    let e = evaluate_measure(&measure(), &alarms, T0 + 30 * MIN, &c).unwrap();
    assert!(
        e.failed,
        "exactly at the grace period the measure has failed"
    );
    assert_eq!(e.failed_since_ms, Some(T0 + 30 * MIN));
    assert_eq!(e.failing_points[0].alarm_since_ms, T0);
    let p = e.proposal.unwrap();
    assert_eq!(p.source, DangerSrc::ControlMeasureFailure);
    assert_eq!(p.source.code(), 9);
    assert_eq!(p.risk_measure_id, "M-7");
    assert_eq!(p.hazard_code.as_deref(), Some("HZ-01"));
    assert_eq!(p.danger_type, HazardDangerType::Instrumentation);
    assert_eq!(
        p.management_classification,
        ManagementClassification::UnsafeCondition
    );
    assert!(p.name_zh.contains("储罐液位高高联锁"));
    assert!(p.name_en.starts_with("Control measure failed"));
    assert!(p.description_zh.contains("P-1-LT") && p.description_zh.contains("30 分钟"));
    assert!(p.description_en.contains("P-1-LT") && p.description_en.contains("30 min"));
}

#[test]
fn failure_since_is_the_earliest_failing_point() {
    let alarms = [
        alarm("P-2", T0 - 50 * MIN, true),
        alarm("P-1", T0 - 40 * MIN, true),
        alarm("P-2", T0 - 45 * MIN, true),
    ];
    let e = evaluate_measure(&measure(), &alarms, T0, &LinkConfig::default()).unwrap();
    assert_eq!(e.failed_since_ms, Some(T0 - 20 * MIN));
    let ids: Vec<&str> = e
        .failing_points
        .iter()
        .map(|f| f.point_id.as_str())
        .collect();
    assert_eq!(ids, ["P-2", "P-1"]);
    assert_eq!(e.failing_points[0].alarm_since_ms, T0 - 50 * MIN);
    let p = e.proposal.unwrap();
    assert!(p.description_zh.contains("P-2-LT、P-1-LT"));
    assert_eq!(p.failed_since_ms, T0 - 20 * MIN);
}

#[test]
fn zero_grace_and_label_fallback_and_errors() {
    let c = LinkConfig {
        grace_ms: 0,
        ..LinkConfig::default()
    };
    let mut a = alarm("P-1", T0, true);
    a.label = None;
    let e = evaluate_measure(&measure(), &[a], T0, &c).unwrap();
    assert!(e.failed);
    assert_eq!(e.failing_points[0].label, "P-1");

    let mut m = measure();
    m.data_src = DataSrc::Inspection;
    let err = evaluate_measure(&m, &[], T0, &c).unwrap_err();
    assert!(matches!(err, LinkError::NotAutomated { .. }));
    assert!(err.to_string().contains(" / "));
    let mut m = measure();
    m.point_ids.clear();
    assert!(matches!(
        evaluate_measure(&m, &[], T0, &c).unwrap_err(),
        LinkError::NoPoints { .. }
    ));
    let bad = LinkConfig {
        grace_ms: -1,
        ..LinkConfig::default()
    };
    assert!(matches!(
        evaluate_measure(&measure(), &[], T0, &bad).unwrap_err(),
        LinkError::InvalidGrace { .. }
    ));
    // No alarms: not failed.
    let e = evaluate_measure(&measure(), &[], T0, &LinkConfig::default()).unwrap();
    assert!(!e.failed && e.failing_points.is_empty() && e.points_in_grace.is_empty());
}

#[test]
fn proposal_registers_as_a_danger() {
    let e = evaluate_measure(
        &measure(),
        &[alarm("P-1", T0 - 60 * MIN, true)],
        T0,
        &LinkConfig::default(),
    )
    .unwrap();
    let p = e.proposal.unwrap();
    let d = HiddenDanger::report(
        NewDanger {
            id: "D-9".into(),
            name: p.name_zh.clone(),
            description: p.description_zh.clone(),
            source: p.source,
            danger_type: p.danger_type,
            risk_measure_id: Some(p.risk_measure_id.clone()),
            record_id: None,
        },
        &Actor::enterprise("system:monitoring-link"),
        T0,
    )
    .unwrap();
    assert_eq!(d.source, DangerSrc::ControlMeasureFailure);
}

// ----------------------------------------------------------------- stats

fn ws(state: WindowState) -> WindowStatus {
    WindowStatus {
        state,
        done: 0,
        required: 1,
    }
}

#[test]
fn rates_never_nan() {
    assert_eq!(Rate::new(0, 0).value, None);
    assert_eq!(Rate::new(1, 4).value, Some(0.25));
    let s = inspection_stats(&[]);
    assert_eq!(s.completion_rate.value, None);
    assert_eq!(s.due, 0);
    let j = serde_json::to_value(s).unwrap();
    assert!(j["completion_rate"]["value"].is_null());
}

#[test]
fn completion_rate_counts_only_due_windows() {
    let list = [
        ws(WindowState::Done),
        ws(WindowState::Done),
        ws(WindowState::Done),
        ws(WindowState::Missed),
        ws(WindowState::Pending),
        ws(WindowState::Upcoming),
    ];
    let s = inspection_stats(&list);
    assert_eq!(
        (s.due, s.done, s.not_inspected, s.pending, s.upcoming),
        (4, 3, 1, 1, 1)
    );
    assert_eq!(s.completion_rate.value, Some(0.75));
    // Grouped by enterprise.
    let items: Vec<(&str, WindowStatus)> = vec![
        ("E2", ws(WindowState::Missed)),
        ("E1", ws(WindowState::Done)),
        ("E2", ws(WindowState::Done)),
        ("E3", ws(WindowState::Pending)),
    ];
    let g = inspection_stats_by(&items, |i| i.0, |i| &i.1);
    let keys: Vec<&str> = g.iter().map(|g| g.key).collect();
    assert_eq!(keys, ["E1", "E2", "E3"]);
    assert_eq!(g[0].stats.completion_rate.value, Some(1.0));
    assert_eq!(g[1].stats.completion_rate.value, Some(0.5));
    assert_eq!(g[2].stats.completion_rate.value, None);
}

fn facts(
    level: Option<DangerLevel>,
    status: DangerStatus,
    deadline: Option<i64>,
    accepted: Option<i64>,
) -> DangerFacts {
    DangerFacts {
        level,
        danger_type: HazardDangerType::Process,
        source: DangerSrc::Routine,
        status,
        deadline_ms: deadline,
        accepted_at_ms: accepted,
    }
}

#[test]
fn danger_counts_and_rates() {
    use DangerStatus as S;
    let now = 1_000;
    let mut items = vec![
        // accepted on time
        facts(
            Some(DangerLevel::General),
            S::Accepted,
            Some(500),
            Some(400),
        ),
        // accepted late
        facts(
            Some(DangerLevel::General),
            S::Accepted,
            Some(500),
            Some(600),
        ),
        // fixed on the spot, no deadline → on time
        facts(Some(DangerLevel::General), S::Accepted, None, Some(10)),
        // open, overdue, major
        facts(Some(DangerLevel::Major), S::Rectifying, Some(999), None),
        // open, not yet due, major
        facts(Some(DangerLevel::Major), S::Planned, Some(1_000), None),
        // ungraded
        facts(None, S::Reported, None, None),
        // not counted
        facts(Some(DangerLevel::General), S::Withdrawn, None, None),
        facts(None, S::Invalid, None, None),
    ];
    items[3].danger_type = HazardDangerType::Electrical;
    items[3].source = DangerSrc::ControlMeasureFailure;
    let s = danger_stats(&items, now);
    assert_eq!(s.total.found, 6);
    assert_eq!(s.total.fixed, 3);
    assert_eq!(s.total.fixed_on_time, 2);
    assert_eq!(s.total.open, 3);
    assert_eq!(s.total.overdue, 1);
    assert_eq!(s.ungraded, 1);
    assert_eq!(s.major_open, 2);
    assert_eq!(s.rectification_rate.value, Some(0.5));
    assert_eq!(s.on_time_rate.value, Some(2.0 / 6.0));
    let lv: Vec<(DangerLevel, u64, u64)> = s
        .by_level
        .iter()
        .map(|b| (b.key, b.counts.found, b.counts.overdue))
        .collect();
    assert_eq!(
        lv,
        [(DangerLevel::General, 3, 0), (DangerLevel::Major, 2, 1)]
    );
    let ty: Vec<(HazardDangerType, u64)> =
        s.by_type.iter().map(|b| (b.key, b.counts.found)).collect();
    assert_eq!(
        ty,
        [
            (HazardDangerType::Process, 5),
            (HazardDangerType::Electrical, 1)
        ]
    );
    let src: Vec<(DangerSrc, u64)> = s.by_source.iter().map(|b| (b.key, b.counts.open)).collect();
    assert_eq!(
        src,
        [
            (DangerSrc::Routine, 2),
            (DangerSrc::ControlMeasureFailure, 1)
        ]
    );
    // Empty: rates are None.
    let e = danger_stats(&[], now);
    assert_eq!(e.rectification_rate.value, None);
    assert_eq!(e.on_time_rate.value, None);
    // Grouped by park.
    let keyed: Vec<(String, DangerFacts)> = items
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                if i % 2 == 0 { "park-a" } else { "park-b" }.to_string(),
                f.clone(),
            )
        })
        .collect();
    let g = danger_stats_by(&keyed, |k| k.0.clone(), |k| &k.1, now);
    assert_eq!(g.len(), 2);
    assert_eq!(
        g.iter().map(|g| g.stats.total.found).sum::<u64>(),
        s.total.found
    );
    let j = serde_json::to_value(&g).unwrap();
    assert_eq!(j[0]["key"], "park-a");
}

#[test]
fn facts_from_a_hidden_danger() {
    let d = HiddenDanger::report(
        NewDanger {
            id: "D".into(),
            name: "n".into(),
            description: String::new(),
            source: DangerSrc::Seasonal,
            danger_type: HazardDangerType::Fire,
            risk_measure_id: None,
            record_id: None,
        },
        &Actor::enterprise("r"),
        T0,
    )
    .unwrap();
    let d = apply(
        &d,
        &Actor::enterprise("g"),
        &DangerAction::Grade {
            level: DangerLevel::General,
            manage_type: DangerManageType::FixOnSpot,
        },
        T0 + 1,
    )
    .unwrap();
    let f = DangerFacts::from(&d);
    assert_eq!(f.level, Some(DangerLevel::General));
    assert_eq!(f.source, DangerSrc::Seasonal);
    assert_eq!(f.status, DangerStatus::Graded);
    assert_eq!(f.deadline_ms, None);
}

// ----------------------------------------------------------------- no panics

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn risk_functions_never_panic(l in any::<u8>(), s in any::<u8>(),
                                  lf in any::<f64>(), ef in any::<f64>(), cf in any::<f64>(),
                                  major in any::<u32>(), sig in any::<u32>(), gn in any::<u32>(),
                                  dm in any::<f64>(), ds in any::<f64>(), dg in any::<f64>()) {
        let mut c = RiskConfig::default();
        let _ = assess_matrix(l, s, &c);
        let _ = assess_lec(lf, ef, cf, &c);
        c.cutoffs.matrix.major = major;
        c.cutoffs.matrix.significant = sig;
        c.cutoffs.matrix.general = gn;
        c.cutoffs.lec.major = dm;
        c.cutoffs.lec.significant = ds;
        c.cutoffs.lec.general = dg;
        if c.validate().is_ok() {
            // A valid config maps every product to one level, monotonically.
            let mut last = RiskLevel::Low;
            for r in 1..=25u32 {
                let lvl = weihua_prevention::risk::matrix_level(r, &c.cutoffs.matrix);
                prop_assert!(lvl.code() <= last.code());
                last = lvl;
            }
        }
        let _ = assess_matrix(l, s, &c);
        let _ = assess_lec(lf, ef, cf, &c);
    }

    #[test]
    fn link_never_panics(start in any::<i64>(), now in any::<i64>(), grace in any::<i64>(), active in any::<bool>()) {
        let c = LinkConfig { grace_ms: grace, ..LinkConfig::default() };
        let alarms = [alarm("P-1", start, active)];
        if let Ok(e) = evaluate_measure(&measure(), &alarms, now, &c) {
            prop_assert_eq!(e.failed, e.proposal.is_some());
        }
    }

    #[test]
    fn stats_never_panic(rows in prop::collection::vec(
        (any::<bool>(), 0usize..8, prop::option::of(any::<i64>()), prop::option::of(any::<i64>()), any::<u8>()), 0..50),
        now in any::<i64>()) {
        let items: Vec<(u8, DangerFacts)> = rows.iter().map(|(major, st, dl, acc, k)| {
            (*k % 4, facts(Some(if *major { DangerLevel::Major } else { DangerLevel::General }),
                   DangerStatus::ALL[*st], *dl, *acc))
        }).collect();
        let g = danger_stats_by(&items, |i| i.0, |i| &i.1, now);
        for grp in &g {
            let t = grp.stats.total;
            prop_assert_eq!(t.found, t.fixed + t.open);
            prop_assert!(t.fixed_on_time <= t.fixed && t.overdue <= t.open);
            if let Some(v) = grp.stats.rectification_rate.value {
                prop_assert!((0.0..=1.0).contains(&v));
            }
        }
    }
}
