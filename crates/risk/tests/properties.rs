//! Properties of the risk model that hold for any input, and (for monotonicity) for any
//! valid config: the score stays in 0..=100, the reasons add up, and more trouble never
//! means a lower score or a milder colour.

use proptest::prelude::*;
use weihua_core::{AlarmKind, AlarmPriority, Indicator, LimitName, MajorHazardGrade, RiskLevel};
use weihua_risk::{
    ActiveAlarm, AlarmPoints, CappedPoints, FloorRule, InherentPoints, InstallationRiskInput,
    LevelThresholds, PriorityMultipliers, RiskAssessment, RiskModel, RiskModelConfig,
};

fn kind() -> impl Strategy<Value = AlarmKind> {
    prop::sample::select(AlarmKind::ALL.to_vec())
}
fn limit() -> impl Strategy<Value = Option<LimitName>> {
    prop::option::weighted(0.9, prop::sample::select(LimitName::ALL.to_vec()))
}
fn priority() -> impl Strategy<Value = AlarmPriority> {
    prop::sample::select(AlarmPriority::ALL.to_vec())
}
fn indicator() -> impl Strategy<Value = Indicator> {
    prop::sample::select(Indicator::ALL.to_vec())
}
fn grade() -> impl Strategy<Value = Option<MajorHazardGrade>> {
    prop::option::of(prop::sample::select(vec![
        MajorHazardGrade::Grade1,
        MajorHazardGrade::Grade2,
        MajorHazardGrade::Grade3,
        MajorHazardGrade::Grade4,
    ]))
}
fn value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        8 => (-100.0f64..1000.0).prop_map(Some),
        1 => Just(None),
        1 => Just(Some(f64::NAN)),
    ]
}

fn alarm() -> impl Strategy<Value = ActiveAlarm> {
    (
        kind(),
        limit(),
        priority(),
        indicator(),
        prop::sample::select(vec![
            "GT-101", "GT-102", "AT-201", "LT-301", "PT-401", "", "OT-5",
        ]),
        value(),
    )
        .prop_map(
            |(kind, limit, priority, indicator, tag, value)| ActiveAlarm {
                kind,
                limit,
                priority,
                indicator,
                tag: tag.to_string(),
                point_name: String::new(),
                value,
                unit: indicator.allowed_units()[0].to_string(),
            },
        )
}

fn count() -> impl Strategy<Value = u32> {
    prop_oneof![9 => 0u32..8, 1 => Just(u32::MAX)]
}

fn input() -> impl Strategy<Value = InstallationRiskInput> {
    (
        grade(),
        any::<bool>(),
        prop::option::of(-10.0f64..300.0),
        prop::collection::vec(alarm(), 0..16),
        any::<bool>(),
        count(),
        count(),
        count(),
    )
        .prop_map(
            |(grade, is_major_hazard, r_value, alarms, ent, sw, hdm, hdg)| InstallationRiskInput {
                grade,
                is_major_hazard,
                r_value,
                alarms,
                enterprise_interrupted: ent,
                active_special_work: sw,
                open_hidden_dangers_major: hdm,
                open_hidden_dangers_general: hdg,
            },
        )
}

/// Weights with at most two decimals, as people write them (serde_json's default float
/// parser round-trips those exactly, not every 17-digit double).
fn q(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn w() -> impl Strategy<Value = f64> {
    (0.0f64..50.0).prop_map(q)
}

fn capped() -> impl Strategy<Value = CappedPoints> {
    (w(), prop::option::of((0.0f64..60.0).prop_map(q)))
        .prop_map(|(points, cap)| CappedPoints { points, cap })
}

/// Any valid config: orderings are built in, everything else random.
fn config() -> impl Strategy<Value = RiskModelConfig> {
    let inherent = prop::array::uniform4(0.0f64..25.0).prop_map(|d| {
        // grade 4 ≤ grade 3 ≤ grade 2 ≤ grade 1 ≤ 100
        let g4 = q(d[0]);
        let g3 = q(g4 + d[1]);
        let g2 = q(g3 + d[2]);
        let g1 = q(g2 + d[3]);
        InherentPoints {
            grade_1: g1,
            grade_2: g2,
            grade_3: g3,
            grade_4: g4,
            ungraded_major_hazard: q(d[1]),
            not_major_hazard: q(d[2]),
        }
    });
    let alarms = prop::array::uniform4(w()).prop_map(|d| AlarmPoints {
        gas_alarm_2: q(d[0] + d[1]),
        gas_alarm_1: d[1],
        process_hh_ll: q(d[2] + d[3]),
        process_h_l: d[3],
        rate_of_change: d[0],
        deviation: d[2],
    });
    let mult = prop::array::uniform4(0.0f64..1.0).prop_map(|d| PriorityMultipliers {
        low: q(d[0]),
        medium: q(d[0] + d[1]),
        high: q(d[0] + d[1] + d[2]),
        emergency: q(d[0] + d[1] + d[2] + d[3]),
    });
    let thresholds =
        (1.0f64..30.0, 1.0f64..30.0, 1.0f64..30.0).prop_map(|(a, b, c)| LevelThresholds {
            yellow: q(a),
            orange: q(a + b),
            red: q(a + b + c),
        });
    let floor = (
        prop::sample::select(vec![RiskLevel::Red, RiskLevel::Orange, RiskLevel::Yellow]),
        prop::option::of(prop::sample::subsequence(vec![1u8, 2, 3, 4], 1..=4)),
        0u32..4,
        any::<bool>(),
        0u32..3,
    );
    let floors = prop::collection::vec(floor, 0..4).prop_map(|fs| {
        fs.into_iter()
            .enumerate()
            .map(|(i, (level, grades, gas, ent, hd))| FloorRule {
                code: format!("floor_{i}"),
                level,
                grades: if gas == 0 && !ent && hd == 0 {
                    Some(grades.unwrap_or_else(|| vec![1]))
                } else {
                    grades
                },
                min_gas_alarm_2: gas,
                enterprise_interrupted: ent,
                min_hidden_danger_major: hd,
            })
            .collect()
    });
    (
        inherent,
        alarms,
        (capped(), w(), capped(), capped(), capped()),
        mult,
        thresholds,
        floors,
    )
        .prop_map(
            |(
                inherent,
                alarm_points,
                (dq, ent, sw, hdm, hdg),
                priority_multiplier,
                thresholds,
                floors,
            )| {
                RiskModelConfig {
                    version: "prop".into(),
                    notes: None,
                    inherent,
                    alarm_points,
                    data_quality: dq,
                    enterprise_interruption: ent,
                    special_work: sw,
                    hidden_danger_major: hdm,
                    hidden_danger_general: hdg,
                    priority_multiplier,
                    thresholds,
                    floors,
                }
            },
        )
}

fn model_of(c: RiskModelConfig) -> Result<RiskModel, TestCaseError> {
    RiskModel::from_config(c)
        .map_err(|e| TestCaseError::fail(format!("generated config invalid: {e}")))
}

/// Everything that must hold for every assessment.
fn check_invariants(m: &RiskModel, a: &RiskAssessment) -> Result<(), TestCaseError> {
    prop_assert!(
        a.score.is_finite() && (0.0..=100.0).contains(&a.score),
        "score {}",
        a.score
    );
    prop_assert!(a.uncapped_score >= a.score);
    let sum: f64 = a.reasons.iter().map(|r| r.points).sum();
    prop_assert!(
        (sum - a.uncapped_score).abs() <= 1e-6 * a.uncapped_score.max(1.0),
        "reasons sum {} != uncapped {}",
        sum,
        a.uncapped_score
    );
    prop_assert!(
        a.reasons
            .iter()
            .all(|r| r.points.is_finite() && r.points >= 0.0)
    );
    prop_assert!(
        a.reasons.windows(2).all(|p| p[0].points >= p[1].points),
        "sorted"
    );
    prop_assert_eq!(a.score_level, m.config().thresholds.level_of(a.score));
    prop_assert!(a.level <= a.score_level, "a floor only raises the level");
    match &a.floor {
        None => prop_assert_eq!(a.level, a.score_level),
        Some(code) => {
            prop_assert!(a.level < a.score_level);
            prop_assert!(a.reasons.iter().any(|r| &r.code == code && r.points == 0.0));
        }
    }
    prop_assert!(a.reasons.iter().any(|r| r.code.starts_with("inherent_")));
    prop_assert!(
        a.reasons
            .iter()
            .all(|r| !r.zh.is_empty() && !r.en.is_empty() && !r.code.is_empty())
    );
    prop_assert_eq!(&a.model_version, m.version());
    Ok(())
}

fn no_milder(before: &RiskAssessment, after: &RiskAssessment) -> Result<(), TestCaseError> {
    prop_assert!(
        after.score >= before.score,
        "score {} -> {}",
        before.score,
        after.score
    );
    prop_assert!(after.uncapped_score >= before.uncapped_score);
    prop_assert!(
        after.level <= before.level,
        "level {:?} -> {:?}",
        before.level,
        after.level
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn default_model_invariants(inp in input()) {
        let m = RiskModel::default_v1();
        let a = m.assess(&inp);
        check_invariants(&m, &a)?;
    }

    #[test]
    fn adding_an_alarm_never_lowers_score_or_level(inp in input(), extra in alarm(), at in any::<prop::sample::Index>()) {
        let m = RiskModel::default_v1();
        let before = m.assess(&inp);
        let mut more = inp.clone();
        let i = at.index(more.alarms.len() + 1);
        more.alarms.insert(i, extra);
        let after = m.assess(&more);
        check_invariants(&m, &after)?;
        no_milder(&before, &after)?;
    }

    #[test]
    fn more_hooks_or_an_interruption_never_lower_score_or_level(
        inp in input(), sw in 0u32..5, hdm in 0u32..5, hdg in 0u32..5, ent in any::<bool>(),
    ) {
        let m = RiskModel::default_v1();
        let before = m.assess(&inp);
        let mut more = inp.clone();
        more.active_special_work = more.active_special_work.saturating_add(sw);
        more.open_hidden_dangers_major = more.open_hidden_dangers_major.saturating_add(hdm);
        more.open_hidden_dangers_general = more.open_hidden_dangers_general.saturating_add(hdg);
        more.enterprise_interrupted |= ent;
        no_milder(&before, &m.assess(&more))?;
    }

    #[test]
    fn monotonic_for_any_valid_config(c in config(), inp in input(), extra in alarm()) {
        let m = model_of(c)?;
        let before = m.assess(&inp);
        check_invariants(&m, &before)?;
        let mut more = inp.clone();
        more.alarms.push(extra);
        more.active_special_work = more.active_special_work.saturating_add(1);
        let after = m.assess(&more);
        check_invariants(&m, &after)?;
        no_milder(&before, &after)?;
    }

    #[test]
    fn order_of_alarms_does_not_matter(inp in input()) {
        let m = RiskModel::default_v1();
        let a = m.assess(&inp);
        let mut rev = inp.clone();
        rev.alarms.reverse();
        let b = m.assess(&rev);
        prop_assert_eq!(a.score, b.score);
        prop_assert_eq!(a.level, b.level);
        prop_assert_eq!(&a.floor, &b.floor);
        let codes = |x: &RiskAssessment| {
            let mut c: Vec<(String, u64)> = x.reasons.iter().map(|r| (r.code.clone(), r.points.to_bits())).collect();
            c.sort();
            c
        };
        prop_assert_eq!(codes(&a), codes(&b));
    }

    #[test]
    fn every_process_and_gas_alarm_is_named_in_a_reason(inp in input()) {
        let a = RiskModel::default_v1().assess(&inp);
        for al in &inp.alarms {
            let gas_low = matches!(al.indicator, Indicator::FlammableGas | Indicator::ToxicGas)
                && matches!(al.limit, Some(LimitName::L | LimitName::LL));
            let named_singly = matches!(al.kind, AlarmKind::Limit | AlarmKind::RateOfChange | AlarmKind::Deviation)
                && !gas_low
                && !al.tag.is_empty();
            if named_singly {
                prop_assert!(
                    a.reasons.iter().any(|r| r.zh.contains(&format!("{} {}", al.tag, al.indicator.label_zh()))),
                    "tag {} not in reasons", al.tag
                );
            }
        }
    }

    #[test]
    fn valid_configs_round_trip_through_json(c in config()) {
        let json = serde_json::to_string(&c).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let m = RiskModel::from_json(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(m.config(), &c);
    }

    #[test]
    fn invalid_weights_are_rejected_naming_the_field(c in config(), bad in prop_oneof![Just(-1.0), Just(f64::NAN), Just(f64::INFINITY)], which in 0usize..4) {
        let mut c = c;
        let field = match which {
            0 => { c.alarm_points.deviation = bad; "alarm_points.deviation" }
            1 => { c.enterprise_interruption = bad; "enterprise_interruption" }
            2 => { c.special_work.points = bad; "special_work.points" }
            _ => { c.hidden_danger_general.cap = Some(bad); "hidden_danger_general.cap" }
        };
        let e = RiskModel::from_config(c).err().ok_or_else(|| TestCaseError::fail("accepted"))?;
        prop_assert_eq!(e.field.as_str(), field);
        prop_assert!(e.en.contains(field) && e.zh.contains(field));
    }
}
