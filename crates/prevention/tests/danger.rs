//! Hidden-danger closed loop: every state × action pair (table), the acceptance,
//! major-danger and supervision rules, escalation boundaries, and property tests.

use proptest::prelude::*;
use weihua_prevention::calendar::DAY_MS;
use weihua_prevention::codes::{
    DangerLevel, DangerManageType, DangerSrc, DangerState, HazardDangerType,
};
use weihua_prevention::danger::{
    ActionKind, Actor, DangerAction, DangerStatus, EscalationConfig, EscalationLevel, HiddenDanger,
    NewDanger, RectificationPlan, RefusalCode, apply, overdue,
};

const T0: i64 = 1_717_200_000_000; // 2024-06-01T00:00Z
const MIN: i64 = 60_000;

fn new_danger() -> NewDanger {
    NewDanger {
        id: "D-1".into(),
        name: "储罐区可燃气体检测器失灵".into(),
        description: "GT-101 无响应".into(),
        source: DangerSrc::Routine,
        danger_type: HazardDangerType::Instrumentation,
        risk_measure_id: Some("M-1".into()),
        record_id: Some("R-1".into()),
    }
}

fn ent(id: &str) -> Actor {
    Actor::enterprise(id)
}

fn ok(d: &HiddenDanger, a: &Actor, act: DangerAction, at: i64) -> HiddenDanger {
    apply(d, a, &act, at).unwrap_or_else(|r| panic!("{:?} refused: {r}", act.kind()))
}

fn err(d: &HiddenDanger, a: &Actor, act: DangerAction, at: i64) -> RefusalCode {
    let r = apply(d, a, &act, at).expect_err("should be refused");
    assert!(!r.zh.is_empty() && !r.en.is_empty());
    assert!(r.to_string().contains(" / "));
    r.code
}

fn plan(owner: &str, deadline: i64) -> RectificationPlan {
    RectificationPlan {
        owner: owner.into(),
        funds_yuan: 12_000.0,
        measures: "更换检测器并标定".into(),
        deadline_ms: deadline,
    }
}

fn grade(level: DangerLevel, manage_type: DangerManageType) -> DangerAction {
    DangerAction::Grade { level, manage_type }
}

fn reported() -> HiddenDanger {
    HiddenDanger::report(new_danger(), &ent("reporter"), T0).unwrap()
}

fn graded(level: DangerLevel, mt: DangerManageType) -> HiddenDanger {
    ok(&reported(), &ent("grader"), grade(level, mt), T0 + MIN)
}

fn planned(level: DangerLevel) -> HiddenDanger {
    ok(
        &graded(level, DangerManageType::ByDeadline),
        &ent("planner"),
        DangerAction::Plan {
            plan: plan("owner", T0 + 10 * DAY_MS),
        },
        T0 + 2 * MIN,
    )
}

fn rectifying(level: DangerLevel) -> HiddenDanger {
    ok(
        &planned(level),
        &ent("worker"),
        DangerAction::StartRectification,
        T0 + 3 * MIN,
    )
}

fn pending(level: DangerLevel) -> HiddenDanger {
    ok(
        &rectifying(level),
        &ent("worker"),
        DangerAction::SubmitForAcceptance,
        T0 + 4 * MIN,
    )
}

fn accepted() -> HiddenDanger {
    ok(
        &pending(DangerLevel::General),
        &ent("acceptor"),
        DangerAction::Accept {
            comment: "合格".into(),
        },
        T0 + 5 * MIN,
    )
}

fn withdrawn() -> HiddenDanger {
    ok(
        &reported(),
        &ent("reporter"),
        DangerAction::Withdraw {
            reason: "误报".into(),
        },
        T0 + MIN,
    )
}

fn invalid() -> HiddenDanger {
    ok(
        &reported(),
        &ent("grader"),
        DangerAction::MarkInvalid {
            reason: "重复".into(),
            duplicate_of: Some("D-0".into()),
        },
        T0 + MIN,
    )
}

/// A well-formed action of each kind with an actor entitled to it.
fn good_action(kind: ActionKind) -> (Actor, DangerAction) {
    match kind {
        ActionKind::Grade => (
            ent("grader"),
            grade(DangerLevel::General, DangerManageType::ByDeadline),
        ),
        ActionKind::Plan => (
            ent("planner"),
            DangerAction::Plan {
                plan: plan("owner", T0 + 10 * DAY_MS),
            },
        ),
        ActionKind::StartRectification => (ent("worker"), DangerAction::StartRectification),
        ActionKind::FixOnSpot => (
            ent("worker"),
            DangerAction::FixOnSpot {
                measures: "紧固法兰".into(),
            },
        ),
        ActionKind::SubmitForAcceptance => (ent("worker"), DangerAction::SubmitForAcceptance),
        ActionKind::Accept => (
            ent("acceptor"),
            DangerAction::Accept {
                comment: "合格".into(),
            },
        ),
        ActionKind::Return => (
            ent("acceptor"),
            DangerAction::Return {
                comment: "未标定".into(),
            },
        ),
        ActionKind::Withdraw => (
            ent("reporter"),
            DangerAction::Withdraw {
                reason: "误报".into(),
            },
        ),
        ActionKind::MarkInvalid => (
            ent("grader"),
            DangerAction::MarkInvalid {
                reason: "重复".into(),
                duplicate_of: None,
            },
        ),
        ActionKind::ReportToRegulator => (
            ent("safety"),
            DangerAction::ReportToRegulator {
                authority: "某区应急管理局".into(),
                reference: None,
            },
        ),
        ActionKind::Supervise => (
            Actor::regulator("reg"),
            DangerAction::Supervise {
                notice_number: "应急督〔2024〕1号".into(),
                deadline_ms: T0 + 20 * DAY_MS,
                authority: "某市应急管理局".into(),
            },
        ),
        ActionKind::SupervisionClose => (
            Actor::regulator("reg"),
            DangerAction::SupervisionClose {
                comment: "同意销号".into(),
            },
        ),
    }
}

fn outcome(d: &HiddenDanger, kind: ActionKind) -> String {
    let (actor, action) = good_action(kind);
    match apply(d, &actor, &action, T0 + DAY_MS) {
        Ok(n) => {
            // Every success keeps the danger's identity and moves the clock.
            assert_eq!(n.id, d.id);
            assert_eq!(n.updated_at_ms, T0 + DAY_MS);
            serde_json::to_value(n.status)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        }
        Err(r) => serde_json::to_value(r.code)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string(),
    }
}

#[test]
fn every_state_and_action_pair() {
    const X: &str = "illegal_transition";
    // Columns: Grade, Plan, StartRectification, FixOnSpot, SubmitForAcceptance, Accept,
    // Return, Withdraw, MarkInvalid, ReportToRegulator, Supervise, SupervisionClose.
    let table: Vec<(&str, HiddenDanger, [&str; 12])> = vec![
        (
            "reported",
            reported(),
            [
                "graded",
                X,
                X,
                X,
                X,
                X,
                X,
                "withdrawn",
                "invalid",
                X,
                "reported",
                X,
            ],
        ),
        (
            "graded (fix on the spot)",
            graded(DangerLevel::General, DangerManageType::FixOnSpot),
            [
                "graded",
                "wrong_handling",
                X,
                "pending_acceptance",
                X,
                X,
                X,
                "withdrawn",
                "invalid",
                "not_major",
                "graded",
                X,
            ],
        ),
        (
            "graded (by deadline)",
            graded(DangerLevel::General, DangerManageType::ByDeadline),
            [
                "graded",
                "planned",
                X,
                "wrong_handling",
                X,
                X,
                X,
                "withdrawn",
                "invalid",
                "not_major",
                "graded",
                X,
            ],
        ),
        (
            "graded (major)",
            graded(DangerLevel::Major, DangerManageType::ByDeadline),
            [
                "graded",
                "planned",
                X,
                "wrong_handling",
                X,
                X,
                X,
                "withdrawn",
                "invalid",
                "graded",
                "graded",
                X,
            ],
        ),
        (
            "planned",
            planned(DangerLevel::General),
            [
                X,
                X,
                "rectifying",
                X,
                X,
                X,
                X,
                "withdrawn",
                "invalid",
                "not_major",
                "planned",
                X,
            ],
        ),
        (
            "rectifying",
            rectifying(DangerLevel::General),
            [
                X,
                X,
                X,
                X,
                "pending_acceptance",
                X,
                X,
                X,
                X,
                "not_major",
                "rectifying",
                X,
            ],
        ),
        (
            "pending acceptance",
            pending(DangerLevel::General),
            [
                X,
                X,
                X,
                X,
                X,
                "accepted",
                "rectifying",
                X,
                X,
                "not_major",
                "pending_acceptance",
                "not_supervised",
            ],
        ),
        (
            "pending acceptance (major, not reported)",
            pending(DangerLevel::Major),
            [
                X,
                X,
                X,
                X,
                X,
                "major_not_reported",
                "rectifying",
                X,
                X,
                "pending_acceptance",
                "pending_acceptance",
                "not_supervised",
            ],
        ),
        ("accepted", accepted(), [X; 12]),
        ("withdrawn", withdrawn(), [X; 12]),
        ("invalid", invalid(), [X; 12]),
    ];
    // Every status is exercised.
    for s in DangerStatus::ALL {
        assert!(table.iter().any(|(_, d, _)| d.status == s), "{s:?} missing");
    }
    for (name, d, expected) in &table {
        for (kind, want) in ActionKind::ALL.iter().zip(expected) {
            assert_eq!(outcome(d, *kind), *want, "state {name}, action {kind:?}");
        }
    }
}

#[test]
fn danger_state_codes() {
    let map: Vec<(DangerStatus, Option<u8>)> = DangerStatus::ALL
        .iter()
        .map(|s| (*s, s.danger_state().map(DangerState::code)))
        .collect();
    assert_eq!(
        map,
        [
            (DangerStatus::Reported, Some(0)),
            (DangerStatus::Graded, Some(0)),
            (DangerStatus::Planned, Some(0)),
            (DangerStatus::Rectifying, Some(0)),
            (DangerStatus::PendingAcceptance, Some(1)),
            (DangerStatus::Accepted, Some(9)),
            (DangerStatus::Withdrawn, None),
            (DangerStatus::Invalid, None),
        ]
    );
    assert_eq!(accepted().danger_state(), Some(DangerState::Accepted));
    for s in DangerStatus::ALL {
        assert!(!s.label_zh().is_empty() && !s.label_en().is_empty());
    }
    for k in ActionKind::ALL {
        assert!(!k.label_zh().is_empty() && !k.label_en().is_empty());
    }
}

#[test]
fn report_requires_id_and_name() {
    let mut n = new_danger();
    n.name = "  ".into();
    let r = HiddenDanger::report(n, &ent("reporter"), T0).unwrap_err();
    assert_eq!(r.code, RefusalCode::InvalidInput);
    let mut n = new_danger();
    n.id = String::new();
    assert!(HiddenDanger::report(n, &ent("reporter"), T0).is_err());
    // A park inspector may report (园区检查).
    let d = HiddenDanger::report(new_danger(), &Actor::park("park-1"), T0).unwrap();
    assert_eq!(d.reporter, "park-1");
    assert_eq!(d.status, DangerStatus::Reported);
    assert_eq!(d.danger_state(), Some(DangerState::Rectifying));
}

#[test]
fn full_loop_by_deadline_with_a_return() {
    let d = pending(DangerLevel::General);
    assert_eq!(d.rectifier.as_deref(), Some("worker"));
    let d = ok(
        &d,
        &ent("acceptor"),
        DangerAction::Return {
            comment: "未标定".into(),
        },
        T0 + 5 * MIN,
    );
    assert_eq!(d.status, DangerStatus::Rectifying);
    assert_eq!(d.return_count, 1);
    assert_eq!(d.last_return_comment.as_deref(), Some("未标定"));
    let d = ok(
        &d,
        &ent("worker2"),
        DangerAction::SubmitForAcceptance,
        T0 + 6 * MIN,
    );
    assert_eq!(d.rectifier.as_deref(), Some("worker2"));
    let d = ok(
        &d,
        &ent("acceptor"),
        DangerAction::Accept {
            comment: "合格".into(),
        },
        T0 + 7 * MIN,
    );
    assert_eq!(d.status, DangerStatus::Accepted);
    let acc = d.acceptance.as_ref().unwrap();
    assert_eq!((acc.person.as_str(), acc.at_ms), ("acceptor", T0 + 7 * MIN));
}

#[test]
fn fix_on_the_spot_skips_the_plan() {
    let d = graded(DangerLevel::General, DangerManageType::FixOnSpot);
    let d = ok(
        &d,
        &ent("worker"),
        DangerAction::FixOnSpot {
            measures: "紧固法兰".into(),
        },
        T0 + 2 * MIN,
    );
    assert_eq!(d.status, DangerStatus::PendingAcceptance);
    assert!(d.plan.is_none());
    assert_eq!(d.deadline_ms(), None);
    assert_eq!(
        err(
            &d,
            &ent("worker"),
            DangerAction::Accept {
                comment: String::new()
            },
            T0 + 3 * MIN
        ),
        RefusalCode::AcceptorIsRectifier
    );
    // For a general danger the reporter may accept.
    let d = ok(
        &d,
        &ent("reporter"),
        DangerAction::Accept {
            comment: String::new(),
        },
        T0 + 3 * MIN,
    );
    assert_eq!(d.status, DangerStatus::Accepted);
    // Empty measures are refused.
    let g = graded(DangerLevel::General, DangerManageType::FixOnSpot);
    assert_eq!(
        err(
            &g,
            &ent("worker"),
            DangerAction::FixOnSpot {
                measures: " ".into()
            },
            T0 + 2 * MIN
        ),
        RefusalCode::InvalidInput
    );
}

#[test]
fn major_danger_cannot_be_fixed_on_the_spot() {
    assert_eq!(
        err(
            &reported(),
            &ent("grader"),
            grade(DangerLevel::Major, DangerManageType::FixOnSpot),
            T0 + MIN
        ),
        RefusalCode::MajorRequiresDeadline
    );
}

#[test]
fn acceptor_must_not_be_rectifier_or_plan_owner() {
    let d = pending(DangerLevel::General);
    let accept = || DangerAction::Accept {
        comment: String::new(),
    };
    assert_eq!(
        err(&d, &ent("worker"), accept(), T0 + 5 * MIN),
        RefusalCode::AcceptorIsRectifier
    );
    assert_eq!(
        err(&d, &ent("owner"), accept(), T0 + 5 * MIN),
        RefusalCode::AcceptorIsRectifier
    );
    // The rectifier cannot return their own work either.
    assert_eq!(
        err(
            &d,
            &ent("worker"),
            DangerAction::Return {
                comment: "x".into()
            },
            T0 + 5 * MIN
        ),
        RefusalCode::AcceptorIsRectifier
    );
    // General: the reporter may accept.
    assert!(apply(&d, &ent("reporter"), &accept(), T0 + 5 * MIN).is_ok());
}

#[test]
fn major_danger_needs_regulator_report_and_a_third_person() {
    let d = pending(DangerLevel::Major);
    let accept = || DangerAction::Accept {
        comment: String::new(),
    };
    assert_eq!(
        err(&d, &ent("acceptor"), accept(), T0 + 5 * MIN),
        RefusalCode::MajorNotReported
    );
    let report = DangerAction::ReportToRegulator {
        authority: "某区应急管理局".into(),
        reference: Some("回执 123".into()),
    };
    assert_eq!(
        err(&d, &Actor::regulator("reg"), report.clone(), T0 + 5 * MIN),
        RefusalCode::WrongRole
    );
    let d = ok(&d, &ent("safety"), report.clone(), T0 + 5 * MIN);
    let rep = d.regulator_report.as_ref().unwrap();
    assert_eq!(rep.reported_by, "safety");
    assert_eq!(
        err(&d, &ent("safety"), report, T0 + 6 * MIN),
        RefusalCode::AlreadyReported
    );
    assert_eq!(
        err(&d, &ent("reporter"), accept(), T0 + 6 * MIN),
        RefusalCode::AcceptorIsReporter
    );
    assert_eq!(
        err(&d, &ent("worker"), accept(), T0 + 6 * MIN),
        RefusalCode::AcceptorIsRectifier
    );
    let d = ok(&d, &ent("acceptor"), accept(), T0 + 6 * MIN);
    assert_eq!(d.status, DangerStatus::Accepted);
    // A report is refused before grading (illegal) and for an empty authority.
    let g = graded(DangerLevel::Major, DangerManageType::ByDeadline);
    assert_eq!(
        err(
            &g,
            &ent("safety"),
            DangerAction::ReportToRegulator {
                authority: "".into(),
                reference: None
            },
            T0 + 2 * MIN
        ),
        RefusalCode::InvalidInput
    );
}

#[test]
fn supervised_danger_is_closed_only_by_the_regulator() {
    let d = pending(DangerLevel::Major);
    let (reg, supervise) = good_action(ActionKind::Supervise);
    assert_eq!(
        err(&d, &ent("safety"), supervise.clone(), T0 + 5 * MIN),
        RefusalCode::WrongRole
    );
    assert_eq!(
        err(&d, &Actor::park("park"), supervise.clone(), T0 + 5 * MIN),
        RefusalCode::WrongRole
    );
    let d = ok(&d, &reg, supervise.clone(), T0 + 5 * MIN);
    let s = d.supervision.as_ref().unwrap();
    assert_eq!((s.issued_by.as_str(), s.closed_by.as_ref()), ("reg", None));
    assert_eq!(
        d.deadline_ms(),
        Some(T0 + 10 * DAY_MS),
        "the earlier deadline"
    );
    assert_eq!(
        err(&d, &reg, supervise, T0 + 6 * MIN),
        RefusalCode::AlreadySupervised
    );
    // The enterprise cannot accept it, even with the regulator informed.
    assert_eq!(
        err(
            &d,
            &ent("acceptor"),
            DangerAction::Accept {
                comment: String::new()
            },
            T0 + 6 * MIN
        ),
        RefusalCode::SupervisionCloseRequired
    );
    let close = DangerAction::SupervisionClose {
        comment: "同意销号".into(),
    };
    assert_eq!(
        err(&d, &ent("acceptor"), close.clone(), T0 + 6 * MIN),
        RefusalCode::WrongRole
    );
    assert_eq!(
        err(&d, &Actor::park("park"), close.clone(), T0 + 6 * MIN),
        RefusalCode::WrongRole
    );
    // The regulator may return it for rework.
    let back = ok(
        &d,
        &Actor::regulator("reg"),
        DangerAction::Return {
            comment: "整改不彻底".into(),
        },
        T0 + 6 * MIN,
    );
    assert_eq!(back.status, DangerStatus::Rectifying);
    // A park user may not return it.
    assert_eq!(
        err(
            &d,
            &Actor::park("park"),
            DangerAction::Return {
                comment: "x".into()
            },
            T0 + 6 * MIN
        ),
        RefusalCode::WrongRole
    );
    let closed = ok(&d, &Actor::regulator("reg2"), close, T0 + 7 * MIN);
    assert_eq!(closed.status, DangerStatus::Accepted);
    let s = closed.supervision.as_ref().unwrap();
    assert_eq!(
        (s.closed_by.as_deref(), s.closed_at_ms),
        (Some("reg2"), Some(T0 + 7 * MIN))
    );
    assert_eq!(closed.acceptance.as_ref().unwrap().person, "reg2");
}

#[test]
fn supervision_checks_its_fields() {
    let d = rectifying(DangerLevel::General);
    let reg = Actor::regulator("reg");
    let sup = |n: &str, dl: i64| DangerAction::Supervise {
        notice_number: n.into(),
        deadline_ms: dl,
        authority: "某市应急管理局".into(),
    };
    assert_eq!(
        err(&d, &reg, sup("N-1", T0), T0 + DAY_MS),
        RefusalCode::DeadlineNotInFuture
    );
    assert_eq!(
        err(&d, &reg, sup("", T0 + 9 * DAY_MS), T0 + DAY_MS),
        RefusalCode::InvalidInput
    );
    // A regulator cannot return an unsupervised danger.
    let p = pending(DangerLevel::General);
    assert_eq!(
        err(
            &p,
            &reg,
            DangerAction::Return {
                comment: "x".into()
            },
            T0 + DAY_MS
        ),
        RefusalCode::WrongRole
    );
}

#[test]
fn plan_is_validated() {
    let g = graded(DangerLevel::General, DangerManageType::ByDeadline);
    let try_plan = |p: RectificationPlan| {
        err(
            &g,
            &ent("planner"),
            DangerAction::Plan { plan: p },
            T0 + DAY_MS,
        )
    };
    assert_eq!(
        try_plan(plan("", T0 + 9 * DAY_MS)),
        RefusalCode::InvalidInput
    );
    let mut p = plan("owner", T0 + 9 * DAY_MS);
    p.measures = String::new();
    assert_eq!(try_plan(p), RefusalCode::InvalidInput);
    let mut p = plan("owner", T0 + 9 * DAY_MS);
    p.funds_yuan = -1.0;
    assert_eq!(try_plan(p), RefusalCode::InvalidInput);
    let mut p = plan("owner", T0 + 9 * DAY_MS);
    p.funds_yuan = f64::NAN;
    assert_eq!(try_plan(p), RefusalCode::InvalidInput);
    assert_eq!(
        try_plan(plan("owner", T0 + DAY_MS)),
        RefusalCode::DeadlineNotInFuture
    );
}

#[test]
fn roles_and_identity_rules() {
    let r = reported();
    assert_eq!(
        err(
            &r,
            &ent("someone"),
            DangerAction::Withdraw { reason: "x".into() },
            T0 + MIN
        ),
        RefusalCode::NotReporter
    );
    assert_eq!(
        err(
            &r,
            &Actor::park("p"),
            grade(DangerLevel::General, DangerManageType::ByDeadline),
            T0 + MIN
        ),
        RefusalCode::WrongRole
    );
    assert_eq!(
        err(
            &r,
            &Actor::regulator("reg"),
            DangerAction::MarkInvalid {
                reason: "x".into(),
                duplicate_of: None
            },
            T0 + MIN
        ),
        RefusalCode::WrongRole
    );
    assert_eq!(
        err(
            &r,
            &ent("g"),
            DangerAction::MarkInvalid {
                reason: "dup".into(),
                duplicate_of: Some("D-1".into())
            },
            T0 + MIN
        ),
        RefusalCode::InvalidInput
    );
    assert_eq!(
        err(
            &r,
            &ent("g"),
            grade(DangerLevel::General, DangerManageType::ByDeadline),
            T0 - 1
        ),
        RefusalCode::ClockBeforeLastChange
    );
    // Regrading before planning is allowed and recorded.
    let g = graded(DangerLevel::General, DangerManageType::ByDeadline);
    let g2 = ok(
        &g,
        &ent("chief"),
        grade(DangerLevel::Major, DangerManageType::ByDeadline),
        T0 + 2 * MIN,
    );
    assert!(g2.is_major());
    assert_eq!(g2.grading.as_ref().unwrap().graded_by, "chief");
}

#[test]
fn action_json_is_tagged() {
    let a: DangerAction =
        serde_json::from_str(r#"{"action":"grade","level":"major","manage_type":"by_deadline"}"#)
            .unwrap();
    assert_eq!(a.kind(), ActionKind::Grade);
    let a: DangerAction = serde_json::from_str(r#"{"action":"start_rectification"}"#).unwrap();
    assert_eq!(a, DangerAction::StartRectification);
    let r = apply(&accepted(), &ent("x"), &a, T0 + DAY_MS).unwrap_err();
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["code"], "illegal_transition");
    assert!(j["zh"].as_str().unwrap().contains("已验收"));
    assert!(j["en"].as_str().unwrap().contains("accepted"));
    let d = accepted();
    let back: HiddenDanger = serde_json::from_value(serde_json::to_value(&d).unwrap()).unwrap();
    assert_eq!(back, d);
}

// ------------------------------------------------------------- overdue and escalation

#[test]
fn escalation_boundaries() {
    let c = EscalationConfig::default();
    let d = rectifying(DangerLevel::General);
    let dl = T0 + 10 * DAY_MS;
    assert_eq!(d.deadline_ms(), Some(dl));
    assert_eq!(overdue(&d, dl - 1, &c), None);
    assert_eq!(overdue(&d, dl, &c), None, "at the deadline is not late");
    let esc = |now: i64| overdue(&d, now, &c).map(|o| (o.late_ms, o.escalation));
    assert_eq!(esc(dl + 1), Some((1, EscalationLevel::Workshop)));
    assert_eq!(
        esc(dl + 3 * DAY_MS),
        Some((3 * DAY_MS, EscalationLevel::Workshop))
    );
    assert_eq!(
        esc(dl + 3 * DAY_MS + 1).map(|e| e.1),
        Some(EscalationLevel::Company)
    );
    assert_eq!(
        esc(dl + 7 * DAY_MS).map(|e| e.1),
        Some(EscalationLevel::Company)
    );
    assert_eq!(
        esc(dl + 7 * DAY_MS + 1).map(|e| e.1),
        Some(EscalationLevel::Regulator)
    );
    // A major danger goes to the regulator at once …
    let m = rectifying(DangerLevel::Major);
    assert_eq!(
        overdue(&m, dl + 1, &c).map(|o| o.escalation),
        Some(EscalationLevel::Regulator)
    );
    // … unless configured otherwise.
    let c2 = EscalationConfig {
        major_to_regulator: false,
        ..EscalationConfig::default()
    };
    assert_eq!(
        overdue(&m, dl + 1, &c2).map(|o| o.escalation),
        Some(EscalationLevel::Workshop)
    );
    // Awaiting acceptance past the deadline is still overdue; accepted is not.
    let p = pending(DangerLevel::General);
    assert!(overdue(&p, dl + 1, &c).is_some());
    assert_eq!(overdue(&accepted(), dl + 100 * DAY_MS, &c), None);
    assert_eq!(overdue(&withdrawn(), i64::MAX, &c), None);
    // No deadline, never overdue.
    assert_eq!(overdue(&reported(), i64::MAX, &c), None);
    assert_eq!(
        overdue(
            &graded(DangerLevel::General, DangerManageType::FixOnSpot),
            i64::MAX,
            &c
        ),
        None
    );
    // Extreme now does not overflow.
    assert!(overdue(&d, i64::MAX, &c).is_some());
    assert_eq!(overdue(&d, i64::MIN, &c), None);
    for l in [
        EscalationLevel::Workshop,
        EscalationLevel::Company,
        EscalationLevel::Regulator,
    ] {
        assert!(!l.label_zh().is_empty() && !l.label_en().is_empty());
    }
}

#[test]
fn supervision_deadline_counts_when_earlier() {
    let d = rectifying(DangerLevel::General);
    let d = ok(
        &d,
        &Actor::regulator("reg"),
        DangerAction::Supervise {
            notice_number: "N-1".into(),
            deadline_ms: T0 + 5 * DAY_MS,
            authority: "某市应急管理局".into(),
        },
        T0 + DAY_MS,
    );
    assert_eq!(d.deadline_ms(), Some(T0 + 5 * DAY_MS));
    let o = overdue(&d, T0 + 6 * DAY_MS, &EscalationConfig::default()).unwrap();
    assert_eq!(o.deadline_ms, T0 + 5 * DAY_MS);
    assert_eq!(o.late_ms, DAY_MS);
}

#[test]
fn escalation_config_validation() {
    assert!(EscalationConfig::default().validate().is_ok());
    let bad = EscalationConfig {
        workshop_max_late_ms: 5,
        company_max_late_ms: 5,
        major_to_regulator: true,
    };
    assert_eq!(bad.validate().unwrap_err().code, RefusalCode::InvalidInput);
    let bad = EscalationConfig {
        workshop_max_late_ms: 0,
        ..EscalationConfig::default()
    };
    assert!(bad.validate().is_err());
}

// ------------------------------------------------------------- properties

fn actor_strategy() -> impl Strategy<Value = Actor> {
    let ids = prop::sample::select(vec![
        "reporter", "grader", "worker", "owner", "acceptor", "reg",
    ]);
    (ids, 0u8..3).prop_map(|(id, r)| match r {
        0 => Actor::enterprise(id),
        1 => Actor::park(id),
        _ => Actor::regulator(id),
    })
}

fn action_strategy() -> impl Strategy<Value = DangerAction> {
    let text = prop::sample::select(vec!["", " ", "ok", "措施"]).prop_map(String::from);
    prop_oneof![
        (any::<bool>(), any::<bool>()).prop_map(|(m, d)| DangerAction::Grade {
            level: if m {
                DangerLevel::Major
            } else {
                DangerLevel::General
            },
            manage_type: if d {
                DangerManageType::ByDeadline
            } else {
                DangerManageType::FixOnSpot
            },
        }),
        (text.clone(), any::<f64>(), any::<i64>(), text.clone()).prop_map(|(o, f, dl, m)| {
            DangerAction::Plan {
                plan: RectificationPlan {
                    owner: o,
                    funds_yuan: f,
                    measures: m,
                    deadline_ms: dl,
                },
            }
        }),
        Just(DangerAction::StartRectification),
        text.clone()
            .prop_map(|m| DangerAction::FixOnSpot { measures: m }),
        Just(DangerAction::SubmitForAcceptance),
        text.clone()
            .prop_map(|c| DangerAction::Accept { comment: c }),
        text.clone()
            .prop_map(|c| DangerAction::Return { comment: c }),
        text.clone()
            .prop_map(|r| DangerAction::Withdraw { reason: r }),
        (text.clone(), prop::option::of(text.clone())).prop_map(|(r, d)| {
            DangerAction::MarkInvalid {
                reason: r,
                duplicate_of: d,
            }
        }),
        (text.clone(), prop::option::of(text.clone())).prop_map(|(a, r)| {
            DangerAction::ReportToRegulator {
                authority: a,
                reference: r,
            }
        }),
        (text.clone(), any::<i64>(), text.clone()).prop_map(|(n, dl, a)| {
            DangerAction::Supervise {
                notice_number: n,
                deadline_ms: dl,
                authority: a,
            }
        }),
        text.prop_map(|c| DangerAction::SupervisionClose { comment: c }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Random walks never panic, and every accepted danger satisfies the closing rules.
    #[test]
    fn random_walks_keep_the_rules(
        steps in prop::collection::vec((actor_strategy(), action_strategy(), 0i64..(5 * DAY_MS)), 0..40),
        now_probe in any::<i64>(),
    ) {
        let mut d = reported();
        let mut now = T0;
        for (actor, action, dt) in steps {
            now += dt;
            let before = d.clone();
            match apply(&d, &actor, &action, now) {
                Ok(n) => {
                    // A transition is one of the legal edges.
                    let legal = matches!(
                        (before.status, n.status),
                        (a, b) if a == b
                    ) || matches!(
                        (before.status, n.status),
                        (DangerStatus::Reported, DangerStatus::Graded)
                            | (DangerStatus::Graded, DangerStatus::Planned)
                            | (DangerStatus::Graded, DangerStatus::PendingAcceptance)
                            | (DangerStatus::Planned, DangerStatus::Rectifying)
                            | (DangerStatus::Rectifying, DangerStatus::PendingAcceptance)
                            | (DangerStatus::PendingAcceptance, DangerStatus::Accepted)
                            | (DangerStatus::PendingAcceptance, DangerStatus::Rectifying)
                            | (DangerStatus::Reported | DangerStatus::Graded | DangerStatus::Planned,
                               DangerStatus::Withdrawn | DangerStatus::Invalid)
                    );
                    prop_assert!(legal, "{:?} -> {:?}", before.status, n.status);
                    d = n;
                }
                Err(r) => {
                    prop_assert!(!r.zh.is_empty() && !r.en.is_empty());
                    prop_assert_eq!(&d, &before);
                }
            }
            if d.status == DangerStatus::Accepted {
                let acc = d.acceptance.clone().unwrap();
                prop_assert!(d.rectifier.as_deref() != Some(acc.person.as_str()));
                prop_assert!(d.plan.as_ref().is_none_or(|p| p.owner != acc.person));
                if d.is_major() {
                    prop_assert!(acc.person != d.reporter);
                    prop_assert!(d.regulator_report.is_some() || d.supervision.is_some());
                }
                if let Some(s) = &d.supervision {
                    prop_assert_eq!(s.closed_by.as_deref(), Some(acc.person.as_str()));
                }
            }
            if d.grading.as_ref().is_some_and(|g| g.level == DangerLevel::Major) {
                prop_assert_eq!(d.grading.as_ref().map(|g| g.manage_type), Some(DangerManageType::ByDeadline));
            }
            let _ = overdue(&d, now_probe, &EscalationConfig::default());
        }
    }
}
