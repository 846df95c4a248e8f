//! One test per rule of the default model `weihua-risk-1` (docs/risk-model.md), each
//! checking the points, the level and the reason text it produces.

use weihua_core::{AlarmKind, AlarmPriority, Indicator, LimitName, MajorHazardGrade, RiskLevel};
use weihua_risk::{
    ActiveAlarm, ColourCounts, DEFAULT_V1_JSON, InstallationRiskInput, RiskAssessment, RiskModel,
    RiskModelConfig, level_label_zh,
};

fn model() -> RiskModel {
    RiskModel::default_v1()
}

fn alarm(
    kind: AlarmKind,
    limit: Option<LimitName>,
    indicator: Indicator,
    tag: &str,
    value: f64,
    unit: &str,
) -> ActiveAlarm {
    ActiveAlarm {
        kind,
        limit,
        priority: AlarmPriority::Medium,
        indicator,
        tag: tag.to_string(),
        point_name: String::new(),
        value: Some(value),
        unit: unit.to_string(),
    }
}

fn gas(limit: LimitName, tag: &str, value: f64) -> ActiveAlarm {
    alarm(
        AlarmKind::Limit,
        Some(limit),
        Indicator::FlammableGas,
        tag,
        value,
        "%LEL",
    )
}

fn with_priority(mut a: ActiveAlarm, p: AlarmPriority) -> ActiveAlarm {
    a.priority = p;
    a
}

fn not_major(alarms: Vec<ActiveAlarm>) -> InstallationRiskInput {
    InstallationRiskInput {
        alarms,
        ..Default::default()
    }
}

fn graded(grade: MajorHazardGrade, alarms: Vec<ActiveAlarm>) -> InstallationRiskInput {
    InstallationRiskInput {
        grade: Some(grade),
        is_major_hazard: true,
        alarms,
        ..Default::default()
    }
}

fn codes(a: &RiskAssessment) -> Vec<&str> {
    a.reasons.iter().map(|r| r.code.as_str()).collect()
}

fn reason<'a>(a: &'a RiskAssessment, code: &str) -> &'a weihua_risk::RiskReason {
    a.reasons
        .iter()
        .find(|r| r.code == code)
        .unwrap_or_else(|| panic!("no reason {code} in {:?}", codes(a)))
}

/// Points one alarm adds (the reasons other than the inherent one).
fn points_of(a: ActiveAlarm) -> f64 {
    let a = model().assess(&not_major(vec![a]));
    assert_eq!(reason(&a, "inherent_not_major").points, 5.0);
    a.reasons
        .iter()
        .filter(|r| !r.code.starts_with("inherent_"))
        .map(|r| r.points)
        .sum()
}

#[test]
fn inherent_points_follow_gb18218_grade() {
    let m = model();
    for (g, pts, level) in [
        (MajorHazardGrade::Grade1, 40.0, RiskLevel::Yellow),
        (MajorHazardGrade::Grade2, 30.0, RiskLevel::Yellow),
        (MajorHazardGrade::Grade3, 20.0, RiskLevel::Blue),
        (MajorHazardGrade::Grade4, 10.0, RiskLevel::Blue),
    ] {
        let a = m.assess(&graded(g, vec![]));
        assert_eq!(a.score, pts, "{g:?}");
        assert_eq!(a.level, level, "{g:?}");
        assert_eq!(a.reasons.len(), 1);
        assert_eq!(
            a.reasons[0].code,
            format!("inherent_grade_{}", g.as_number())
        );
        assert_eq!(a.reasons[0].points, pts);
    }
    let ungraded = m.assess(&InstallationRiskInput {
        is_major_hazard: true,
        ..Default::default()
    });
    assert_eq!(ungraded.score, 5.0);
    assert_eq!(ungraded.reasons[0].code, "inherent_ungraded");
    let none = m.assess(&InstallationRiskInput::default());
    assert_eq!(none.score, 5.0);
    assert_eq!(none.level, RiskLevel::Blue);
    assert_eq!(none.reasons[0].zh, "非重大危险源");
    assert_eq!(none.model_version, "weihua-risk-1");
}

#[test]
fn inherent_reason_shows_grade_and_r() {
    let a = model().assess(&InstallationRiskInput {
        grade: Some(MajorHazardGrade::Grade1),
        is_major_hazard: true,
        r_value: Some(123.4),
        ..Default::default()
    });
    assert_eq!(a.reasons[0].zh, "重大危险源一级 (R=123.4)");
    assert_eq!(
        a.reasons[0].en,
        "major hazard installation grade 1 (R=123.4)"
    );
}

#[test]
fn missing_grade_is_derived_from_r_by_table_6() {
    let m = model();
    for (r, grade, pts) in [
        (150.0, 1, 40.0),
        (50.0, 2, 30.0),
        (10.0, 3, 20.0),
        (9.99, 4, 10.0),
    ] {
        let a = m.assess(&InstallationRiskInput {
            is_major_hazard: true,
            r_value: Some(r),
            ..Default::default()
        });
        assert_eq!(a.score, pts, "R={r}");
        assert_eq!(a.reasons[0].code, format!("inherent_grade_{grade}"));
        assert!(a.reasons[0].zh.contains("推定"), "{}", a.reasons[0].zh);
        assert!(
            a.reasons[0].en.contains("derived from R="),
            "{}",
            a.reasons[0].en
        );
    }
    // An unusable R leaves the installation ungraded.
    let a = m.assess(&InstallationRiskInput {
        is_major_hazard: true,
        r_value: Some(f64::NAN),
        ..Default::default()
    });
    assert_eq!(a.reasons[0].code, "inherent_ungraded");
}

#[test]
fn a_grade_on_an_installation_marked_not_major_still_counts() {
    let a = model().assess(&InstallationRiskInput {
        grade: Some(MajorHazardGrade::Grade2),
        is_major_hazard: false,
        ..Default::default()
    });
    assert_eq!(a.score, 30.0);
    assert!(a.reasons[0].zh.contains("输入标记为非重大危险源"));
}

#[test]
fn gas_alarm_level_2_is_40_points() {
    use LimitName::*;
    assert_eq!(points_of(gas(HH, "GT-101", 55.0)), 40.0);
    assert_eq!(
        points_of(alarm(
            AlarmKind::Limit,
            Some(HH),
            Indicator::ToxicGas,
            "AT-1",
            30.0,
            "ppm"
        )),
        40.0
    );
    for l in [HH, LL] {
        assert_eq!(
            points_of(alarm(
                AlarmKind::Limit,
                Some(l),
                Indicator::Oxygen,
                "OT-1",
                18.0,
                "%VOL"
            )),
            40.0,
            "oxygen {l:?}"
        );
    }
    let a = model().assess(&not_major(vec![gas(HH, "GT-101", 55.0)]));
    assert_eq!(codes(&a), ["gas_alarm_2", "inherent_not_major"]);
    assert_eq!(a.level, RiskLevel::Yellow);
}

#[test]
fn gas_alarm_level_1_is_20_points() {
    use LimitName::*;
    assert_eq!(points_of(gas(H, "GT-101", 25.0)), 20.0);
    assert_eq!(
        points_of(alarm(
            AlarmKind::Limit,
            Some(H),
            Indicator::ToxicGas,
            "AT-1",
            12.0,
            "ppm"
        )),
        20.0
    );
    for l in [H, L] {
        assert_eq!(
            points_of(alarm(
                AlarmKind::Limit,
                Some(l),
                Indicator::Oxygen,
                "OT-1",
                19.8,
                "%VOL"
            )),
            20.0,
            "oxygen {l:?}"
        );
    }
    let a = model().assess(&not_major(vec![gas(H, "GT-101", 25.0)]));
    assert_eq!(a.reasons[0].code, "gas_alarm_1");
    assert!(
        a.reasons[0]
            .zh
            .starts_with("一级报警: GT-101 可燃气体 25 %LEL")
    );
}

#[test]
fn process_limit_alarms_are_15_and_5_points() {
    use LimitName::*;
    for ind in [
        Indicator::Level,
        Indicator::Temperature,
        Indicator::Pressure,
        Indicator::Flow,
    ] {
        for (l, pts, code) in [
            (HH, 15.0, "process_hh_ll"),
            (LL, 15.0, "process_hh_ll"),
            (H, 5.0, "process_h_l"),
            (L, 5.0, "process_h_l"),
        ] {
            let a = model().assess(&not_major(vec![alarm(
                AlarmKind::Limit,
                Some(l),
                ind,
                "LT-1",
                1.0,
                "m",
            )]));
            assert_eq!(a.score, 5.0 + pts, "{ind:?} {l:?}");
            assert_eq!(reason(&a, code).points, pts);
        }
    }
}

#[test]
fn limit_alarm_without_a_limit_counts_as_the_lesser_class() {
    let a = model().assess(&not_major(vec![alarm(
        AlarmKind::Limit,
        None,
        Indicator::FlammableGas,
        "GT-9",
        30.0,
        "%LEL",
    )]));
    assert_eq!(a.reasons[0].code, "gas_alarm_1");
    assert!(a.reasons[0].zh.contains("报警限未知"));
    assert!(a.reasons[0].en.contains("limit unknown"));
}

#[test]
fn rate_of_change_and_deviation_are_5_points() {
    let roc = alarm(
        AlarmKind::RateOfChange,
        None,
        Indicator::Pressure,
        "PT-1",
        1.2,
        "MPa",
    );
    let dev = alarm(
        AlarmKind::Deviation,
        None,
        Indicator::Temperature,
        "TT-1",
        80.0,
        "°C",
    );
    assert_eq!(points_of(roc.clone()), 5.0);
    assert_eq!(points_of(dev.clone()), 5.0);
    // Same tag: a rate-of-change and a limit alarm are different conditions, both count.
    let hh = alarm(
        AlarmKind::Limit,
        Some(LimitName::HH),
        Indicator::Pressure,
        "PT-1",
        1.2,
        "MPa",
    );
    let a = model().assess(&not_major(vec![roc, hh, dev]));
    assert_eq!(a.score, 5.0 + 5.0 + 15.0 + 5.0);
    assert!(
        reason(&a, "rate_of_change")
            .zh
            .starts_with("变化率报警: PT-1 压力 1.2 MPa")
    );
    assert!(
        reason(&a, "deviation")
            .en
            .starts_with("deviation alarm: TT-1 temperature 80 °C")
    );
}

#[test]
fn data_quality_alarms_are_3_points_each_capped_at_15() {
    let dq = |i: usize, kind| alarm(kind, None, Indicator::Level, &format!("LT-{i}"), 1.0, "m");
    let three = vec![
        dq(1, AlarmKind::Frozen),
        dq(2, AlarmKind::BadQuality),
        dq(3, AlarmKind::Interruption),
    ];
    let a = model().assess(&not_major(three));
    assert_eq!(a.score, 5.0 + 9.0);
    let r = reason(&a, "data_quality");
    assert_eq!(r.points, 9.0);
    assert!(r.zh.starts_with("数据质量报警 3 个: "), "{}", r.zh);
    assert!(r.zh.contains("LT-1 数值冻结") && r.zh.contains("LT-2 坏质量"));
    assert!(r.en.contains("LT-3 interruption"), "{}", r.en);
    assert!(!r.zh.contains("上限"));

    let many: Vec<_> = (0..12).map(|i| dq(i, AlarmKind::Interruption)).collect();
    let a = model().assess(&not_major(many));
    let r = reason(&a, "data_quality");
    assert_eq!(r.points, 15.0);
    assert!(r.zh.contains("(上限 15 分)"), "{}", r.zh);
    assert!(r.en.contains("(capped at 15 points)"), "{}", r.en);
    assert!(r.en.contains("and 4 more"), "{}", r.en);
    assert_eq!(a.score, 20.0);
}

#[test]
fn one_point_with_several_data_quality_alarms_counts_once() {
    let a = model().assess(&not_major(vec![
        alarm(AlarmKind::Frozen, None, Indicator::Level, "LT-1", 1.0, "m"),
        alarm(
            AlarmKind::BadQuality,
            None,
            Indicator::Level,
            "LT-1",
            1.0,
            "m",
        ),
    ]));
    assert_eq!(reason(&a, "data_quality").points, 3.0);
}

#[test]
fn low_alarm_on_a_gas_detector_is_data_quality() {
    let a = model().assess(&not_major(vec![gas(LimitName::LL, "GT-7", -3.0)]));
    let r = reason(&a, "data_quality");
    assert_eq!(r.points, 3.0);
    assert!(r.zh.contains("GT-7 可燃气体低低报"), "{}", r.zh);
    assert!(!codes(&a).contains(&"gas_alarm_2"));
}

#[test]
fn enterprise_interruption_is_20_points_counted_once() {
    let flag = InstallationRiskInput {
        enterprise_interrupted: true,
        ..Default::default()
    };
    let a = model().assess(&flag);
    assert_eq!(a.score, 25.0);
    assert_eq!(reason(&a, "enterprise_interruption").points, 20.0);

    let ent = alarm(
        AlarmKind::EnterpriseInterruption,
        None,
        Indicator::Level,
        "",
        0.0,
        "",
    );
    let by_alarm = model().assess(&not_major(vec![ent.clone(), ent.clone()]));
    assert_eq!(by_alarm.score, 25.0);
    let both = model().assess(&InstallationRiskInput {
        enterprise_interrupted: true,
        alarms: vec![ent],
        ..Default::default()
    });
    assert_eq!(both.score, 25.0);
}

#[test]
fn special_work_is_5_each_capped_at_15() {
    let m = model();
    let at = |n| {
        m.assess(&InstallationRiskInput {
            active_special_work: n,
            ..Default::default()
        })
    };
    assert_eq!(at(0).score, 5.0);
    assert_eq!(at(2).score, 15.0);
    let a = at(5);
    assert_eq!(a.score, 20.0);
    let r = reason(&a, "special_work");
    assert_eq!(r.zh, "进行中的特殊作业 5 项 (上限 15 分)");
    assert_eq!(
        r.en,
        "5 special-work permits in progress (capped at 15 points)"
    );
}

#[test]
fn hidden_dangers_major_15_each_general_2_each_capped_at_10() {
    let m = model();
    let a = m.assess(&InstallationRiskInput {
        open_hidden_dangers_major: 3,
        ..Default::default()
    });
    assert_eq!(reason(&a, "hidden_danger_major").points, 45.0);
    assert_eq!(a.score, 50.0);
    let a = m.assess(&InstallationRiskInput {
        open_hidden_dangers_general: 4,
        ..Default::default()
    });
    assert_eq!(reason(&a, "hidden_danger_general").points, 8.0);
    let a = m.assess(&InstallationRiskInput {
        open_hidden_dangers_general: 9,
        ..Default::default()
    });
    assert_eq!(reason(&a, "hidden_danger_general").points, 10.0);
    assert!(
        reason(&a, "hidden_danger_general")
            .zh
            .starts_with("未整改一般隐患 9 项")
    );
}

#[test]
fn priority_multiplies_alarm_points() {
    let g = || gas(LimitName::HH, "GT-101", 55.0);
    assert_eq!(
        points_of(with_priority(g(), AlarmPriority::Emergency)),
        60.0
    );
    assert_eq!(points_of(with_priority(g(), AlarmPriority::High)), 48.0);
    assert_eq!(points_of(with_priority(g(), AlarmPriority::Medium)), 40.0);
    assert_eq!(points_of(with_priority(g(), AlarmPriority::Low)), 24.0);
    let dq = with_priority(
        alarm(AlarmKind::Frozen, None, Indicator::Flow, "FT-1", 3.0, "t/h"),
        AlarmPriority::High,
    );
    assert_eq!(points_of(dq), 3.6);
    let a = model().assess(&not_major(vec![with_priority(
        g(),
        AlarmPriority::Emergency,
    )]));
    assert!(
        a.reasons[0].zh.contains("优先级紧急 ×1.5"),
        "{}",
        a.reasons[0].zh
    );
    assert!(
        a.reasons[0].en.contains("emergency priority ×1.5"),
        "{}",
        a.reasons[0].en
    );
}

#[test]
fn score_is_capped_at_100_but_reasons_keep_every_point() {
    let alarms = (0..4)
        .map(|i| {
            with_priority(
                gas(LimitName::HH, &format!("GT-{i}"), 60.0),
                AlarmPriority::Emergency,
            )
        })
        .collect();
    let a = model().assess(&graded(MajorHazardGrade::Grade1, alarms));
    assert_eq!(a.uncapped_score, 40.0 + 4.0 * 60.0);
    assert_eq!(a.score, 100.0);
    assert_eq!(a.level, RiskLevel::Red);
    let sum: f64 = a.reasons.iter().map(|r| r.points).sum();
    assert_eq!(sum, a.uncapped_score);
}

#[test]
fn level_thresholds_are_80_55_30() {
    let m = model();
    // 40 + 40 = 80: red.
    let a = m.assess(&graded(
        MajorHazardGrade::Grade1,
        vec![gas(LimitName::HH, "GT-1", 50.0)],
    ));
    assert_eq!((a.score, a.level), (80.0, RiskLevel::Red));
    assert_eq!(a.floor, None);
    // 40 + 15 = 55: orange.
    let hh = alarm(
        AlarmKind::Limit,
        Some(LimitName::HH),
        Indicator::Level,
        "LT-1",
        9.5,
        "m",
    );
    let a = m.assess(&graded(MajorHazardGrade::Grade1, vec![hh.clone()]));
    assert_eq!((a.score, a.level), (55.0, RiskLevel::Orange));
    // 20 + 15 = 35: yellow; 20 + 5 = 25: blue.
    let a = m.assess(&graded(MajorHazardGrade::Grade3, vec![hh]));
    assert_eq!((a.score, a.level), (35.0, RiskLevel::Yellow));
    let h = alarm(
        AlarmKind::Limit,
        Some(LimitName::H),
        Indicator::Level,
        "LT-1",
        9.0,
        "m",
    );
    let a = m.assess(&graded(MajorHazardGrade::Grade3, vec![h]));
    assert_eq!((a.score, a.level), (25.0, RiskLevel::Blue));
    let t = &m.config().thresholds;
    assert_eq!(t.level_of(79.99), RiskLevel::Orange);
    assert_eq!(t.level_of(54.99), RiskLevel::Yellow);
    assert_eq!(t.level_of(29.99), RiskLevel::Blue);
}

#[test]
fn floor_two_gas_level_2_alarms_make_red() {
    // 10 + 2 × 24 = 58 is orange by score; the floor makes it red.
    let alarms = vec![
        with_priority(gas(LimitName::HH, "GT-101", 32.0), AlarmPriority::Low),
        with_priority(
            alarm(
                AlarmKind::Limit,
                Some(LimitName::HH),
                Indicator::ToxicGas,
                "AT-102",
                20.0,
                "ppm",
            ),
            AlarmPriority::Low,
        ),
    ];
    let a = model().assess(&graded(MajorHazardGrade::Grade4, alarms));
    assert_eq!(a.score, 58.0);
    assert_eq!(a.score_level, RiskLevel::Orange);
    assert_eq!(a.level, RiskLevel::Red);
    assert_eq!(a.floor.as_deref(), Some("floor_gas_alarm_2_multiple"));
    let last = a.reasons.last().map(|r| (r.code.as_str(), r.points));
    assert_eq!(last, Some(("floor_gas_alarm_2_multiple", 0.0)));
    let r = reason(&a, "floor_gas_alarm_2_multiple");
    assert!(r.zh.contains("二级气体报警 2 个 (规则: ≥ 2)"), "{}", r.zh);
    assert!(
        r.zh.ends_with(&format!("至少{}", level_label_zh(RiskLevel::Red))),
        "{}",
        r.zh
    );
    assert!(r.en.contains("at least red/major risk"), "{}", r.en);
}

#[test]
fn two_alarms_on_one_detector_are_one_gas_level_2() {
    // HH twice and H on the same tag: counted once, by the alarm worth most points.
    let alarms = vec![
        with_priority(gas(LimitName::HH, "GT-101", 32.0), AlarmPriority::Low),
        with_priority(gas(LimitName::HH, "GT-101", 32.0), AlarmPriority::Low),
        with_priority(gas(LimitName::H, "GT-101", 32.0), AlarmPriority::Low),
    ];
    let a = model().assess(&graded(MajorHazardGrade::Grade4, alarms));
    assert_eq!(a.score, 10.0 + 24.0);
    assert_eq!(a.floor, None);
    assert_eq!(a.level, RiskLevel::Yellow);
    // An oxygen HH on the same tag is another indicator, so another point.
    let alarms = vec![
        with_priority(gas(LimitName::HH, "GT-101", 32.0), AlarmPriority::Low),
        with_priority(
            alarm(
                AlarmKind::Limit,
                Some(LimitName::LL),
                Indicator::Oxygen,
                "GT-101",
                17.0,
                "%VOL",
            ),
            AlarmPriority::Low,
        ),
    ];
    let a = model().assess(&graded(MajorHazardGrade::Grade4, alarms));
    assert_eq!(a.level, RiskLevel::Red);
}

#[test]
fn floor_gas_level_2_at_grade_1_or_2_makes_orange() {
    let low_hh = || with_priority(gas(LimitName::HH, "GT-101", 32.0), AlarmPriority::Low);
    // 30 + 24 = 54: yellow by score, orange by the floor.
    let a = model().assess(&graded(MajorHazardGrade::Grade2, vec![low_hh()]));
    assert_eq!((a.score, a.score_level), (54.0, RiskLevel::Yellow));
    assert_eq!(a.level, RiskLevel::Orange);
    assert_eq!(a.floor.as_deref(), Some("floor_gas_alarm_2_grade_1_2"));
    let r = reason(&a, "floor_gas_alarm_2_grade_1_2");
    assert!(
        r.zh.contains("重大危险源二级 (规则: 一级/二级)"),
        "{}",
        r.zh
    );
    // Grade 3: 20 + 24 = 44 stays yellow.
    let a = model().assess(&graded(MajorHazardGrade::Grade3, vec![low_hh()]));
    assert_eq!((a.score, a.level), (44.0, RiskLevel::Yellow));
    assert_eq!(a.floor, None);
    // A level-1 gas alarm does not trigger it.
    let a = model().assess(&graded(
        MajorHazardGrade::Grade2,
        vec![with_priority(
            gas(LimitName::H, "GT-101", 22.0),
            AlarmPriority::Low,
        )],
    ));
    assert_eq!(a.level, RiskLevel::Yellow);
}

#[test]
fn floor_enterprise_interruption_at_grade_1_makes_yellow() {
    // With v1 weights 40 + 20 = 60 is orange already; the floor is a safety net for
    // configs with lower weights. Show it with inherent and interruption points at 0.
    let json = DEFAULT_V1_JSON
        .replacen("\"grade_1\": 40", "\"grade_1\": 0", 1)
        .replacen("\"grade_2\": 30", "\"grade_2\": 0", 1)
        .replacen("\"grade_3\": 20", "\"grade_3\": 0", 1)
        .replacen("\"grade_4\": 10", "\"grade_4\": 0", 1)
        .replacen(
            "\"enterprise_interruption\": 20",
            "\"enterprise_interruption\": 0",
            1,
        );
    let m = RiskModel::from_json(&json).unwrap_or_else(|e| panic!("{e}"));
    let input = |g| InstallationRiskInput {
        grade: Some(g),
        is_major_hazard: true,
        enterprise_interrupted: true,
        ..Default::default()
    };
    let a = m.assess(&input(MajorHazardGrade::Grade1));
    assert_eq!((a.score, a.score_level), (0.0, RiskLevel::Blue));
    assert_eq!(a.level, RiskLevel::Yellow);
    assert_eq!(
        a.floor.as_deref(),
        Some("floor_enterprise_interruption_grade_1")
    );
    assert!(
        reason(&a, "floor_enterprise_interruption_grade_1")
            .zh
            .contains("企业数据中断")
    );
    let a = m.assess(&input(MajorHazardGrade::Grade2));
    assert_eq!(a.level, RiskLevel::Blue);

    let v1 = model().assess(&input(MajorHazardGrade::Grade1));
    assert_eq!((v1.score, v1.level), (60.0, RiskLevel::Orange));
}

#[test]
fn the_most_severe_floor_decides_and_only_it_is_listed() {
    // Grade 2 with two low-priority gas HH: both gas floors fire; red wins.
    let alarms = vec![
        with_priority(gas(LimitName::HH, "GT-1", 30.0), AlarmPriority::Low),
        with_priority(gas(LimitName::HH, "GT-2", 30.0), AlarmPriority::Low),
    ];
    let a = model().assess(&graded(MajorHazardGrade::Grade2, alarms));
    assert_eq!(a.level, RiskLevel::Red);
    assert_eq!(a.floor.as_deref(), Some("floor_gas_alarm_2_multiple"));
    assert_eq!(
        codes(&a).iter().filter(|c| c.starts_with("floor_")).count(),
        1
    );
}

#[test]
fn reason_text_names_tag_value_unit_and_point() {
    let mut a = gas(LimitName::HH, "GT-101", 32.0);
    a.point_name = "1#罐区东北角".into();
    let r = &model().assess(&not_major(vec![a])).reasons[0];
    assert_eq!(r.code, "gas_alarm_2");
    assert_eq!(
        r.zh,
        "二级报警: GT-101 可燃气体 32 %LEL (高高报, 优先级中, 1#罐区东北角)"
    );
    assert_eq!(
        r.en,
        "gas alarm 2: GT-101 flammable gas 32 %LEL (HH, medium priority, 1#罐区东北角)"
    );
    assert_eq!(r.points, 40.0);

    let mut no_value = alarm(
        AlarmKind::Limit,
        Some(LimitName::H),
        Indicator::ToxicGas,
        "AT-3",
        0.0,
        "ppm",
    );
    no_value.value = None;
    let r = &model().assess(&not_major(vec![no_value])).reasons[0];
    assert!(r.zh.contains("AT-3 有毒气体 无读数"), "{}", r.zh);
    assert!(r.en.contains("AT-3 toxic gas no reading"), "{}", r.en);

    let decimals = alarm(
        AlarmKind::Limit,
        Some(LimitName::LL),
        Indicator::Oxygen,
        "OT-2",
        18.456,
        "%VOL",
    );
    let r = &model().assess(&not_major(vec![decimals])).reasons[0];
    assert!(r.zh.contains("OT-2 氧含量 18.46 %VOL (低低报"), "{}", r.zh);
}

#[test]
fn reasons_are_sorted_by_points() {
    let a = model().assess(&InstallationRiskInput {
        grade: Some(MajorHazardGrade::Grade3),
        is_major_hazard: true,
        r_value: Some(12.0),
        alarms: vec![
            alarm(
                AlarmKind::Limit,
                Some(LimitName::H),
                Indicator::Level,
                "LT-1",
                8.0,
                "m",
            ),
            gas(LimitName::HH, "GT-1", 50.0),
            alarm(
                AlarmKind::Limit,
                Some(LimitName::HH),
                Indicator::Pressure,
                "PT-1",
                2.0,
                "MPa",
            ),
        ],
        active_special_work: 1,
        ..Default::default()
    });
    assert_eq!(
        codes(&a),
        [
            "gas_alarm_2",
            "inherent_grade_3",
            "process_hh_ll",
            "process_h_l",
            "special_work"
        ]
    );
    assert_eq!(a.score, 40.0 + 20.0 + 15.0 + 5.0 + 5.0);
}

#[test]
fn untagged_alarms_are_not_merged() {
    let a = model().assess(&not_major(vec![
        gas(LimitName::HH, "", 30.0),
        gas(LimitName::HH, " ", 31.0),
    ]));
    assert_eq!(a.score, 85.0);
    assert_eq!(a.level, RiskLevel::Red);
    assert!(a.reasons[0].zh.contains("(无位号)"));
}

#[test]
fn model_version_comes_from_the_config() {
    let json = DEFAULT_V1_JSON.replacen("weihua-risk-1", "park-x-2025-01", 1);
    let m = RiskModel::from_json(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.version(), "park-x-2025-01");
    assert_eq!(
        m.assess(&InstallationRiskInput::default()).model_version,
        "park-x-2025-01"
    );
}

#[test]
fn input_and_output_are_json() {
    let input: InstallationRiskInput = serde_json::from_str(
        r#"{"grade":"Grade1","is_major_hazard":true,"r_value":123.4,
            "alarms":[{"kind":"limit","limit":"HH","priority":"high","indicator":"toxic_gas",
                       "tag":"AT-7","value":25,"unit":"ppm"}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(input.active_special_work, 0, "hooks default to 0");
    let a = model().assess(&input);
    assert_eq!(a.score, 40.0 + 48.0);
    let json = serde_json::to_string(&a).unwrap_or_default();
    assert!(json.contains(r#""level":"red""#), "{json}");
    let back: RiskAssessment = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, a);
    assert!(serde_json::from_str::<InstallationRiskInput>(r#"{"grde":"Grade1"}"#).is_err());

    let counts = ColourCounts::from_levels([a.level]);
    assert_eq!(counts.worst(), Some(RiskLevel::Red));
}

#[test]
fn config_is_public_json() {
    let c: RiskModelConfig =
        serde_json::from_str(DEFAULT_V1_JSON).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.floors.len(), 3);
    assert_eq!(c.thresholds.red, 80.0);
}

#[test]
fn within_one_point_the_alarm_worth_most_points_counts() {
    // H at emergency (20 × 1.5 = 30) outweighs HH at low (40 × 0.6 = 24): adding the HH
    // must not lower the score, yet the point does count as a level-2 gas alarm.
    let h = with_priority(gas(LimitName::H, "GT-101", 30.0), AlarmPriority::Emergency);
    let hh = with_priority(gas(LimitName::HH, "GT-101", 52.0), AlarmPriority::Low);
    let other = with_priority(gas(LimitName::HH, "GT-102", 52.0), AlarmPriority::Low);
    let m = model();
    let before = m.assess(&graded(
        MajorHazardGrade::Grade4,
        vec![h.clone(), other.clone()],
    ));
    let after = m.assess(&graded(MajorHazardGrade::Grade4, vec![h, hh, other]));
    assert_eq!(before.score, 10.0 + 30.0 + 24.0);
    assert_eq!(after.score, before.score);
    assert_eq!(reason(&after, "gas_alarm_1").points, 30.0);
    assert_eq!(before.level, RiskLevel::Orange);
    assert_eq!(
        after.level,
        RiskLevel::Red,
        "GT-101 and GT-102 are both in level-2 alarm"
    );
}
