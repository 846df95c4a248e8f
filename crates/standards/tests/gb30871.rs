//! GB 30871-2022 clause by clause: one test per rule, named after its clause, with the
//! passing side, the failing side and the boundary; then properties (proptest).

use proptest::prelude::*;
use weihua_standards::gb30871::*;

// ───────────── fixtures ─────────────

/// UTC ms of a local (UTC+8) date and time, e.g. `at("2024-10-09", "09:00")`.
fn at(date: &str, hm: &str) -> i64 {
    let d = match LocalDate::parse(date) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let t = match ClockTime::parse(hm) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    d.days_since_epoch() * DAY_MS + i64::from(t.minute_of_day()) * MINUTE_MS - 8 * HOUR_MS
}

/// A Wednesday, a working day in the default calendar.
const DAY: &str = "2024-10-09";

fn cert(kind: CertificateKind) -> Certificate {
    Certificate {
        kind,
        number: format!("{kind:?}-001"),
        expires_ms: at("2030-01-01", "00:00"),
    }
}

fn person(name: &str, roles: &[WorkerRole], certs: &[CertificateKind]) -> Worker {
    Worker {
        id: name.into(),
        name: name.into(),
        roles: roles.to_vec(),
        certificates: certs.iter().map(|c| cert(*c)).collect(),
    }
}

fn answer_all(kind: WorkKind) -> Vec<MeasureCheck> {
    checklist(kind)
        .iter()
        .filter(|i| i.requirement != Requirement::OtherMeasures)
        .map(|i| MeasureCheck {
            no: i.no,
            applicable: Some(true),
            confirmed_by: Some("确认人".into()),
            ..Default::default()
        })
        .collect()
}

fn work(kind: WorkKind) -> Work {
    match kind {
        WorkKind::HotWork => Work::HotWork(HotWorkConditions {
            method: "电焊".into(),
            ..Default::default()
        }),
        WorkKind::ConfinedSpace => Work::ConfinedSpace(ConfinedSpaceDetails {
            space_name: "T-101".into(),
            former_medium: "甲醇".into(),
            oxygen_enriched: false,
        }),
        WorkKind::Blinding => Work::Blinding(BlindingDetails {
            action: Some(BlindingAction::Install),
            plates: vec!["B-01".into()],
            pipeline_id: "L-100".into(),
            ..Default::default()
        }),
        WorkKind::Height => Work::Height(HeightConditions {
            height_m: 4.0,
            ..Default::default()
        }),
        WorkKind::Lifting => Work::Lifting(LiftingDetails {
            mass_t: 20.0,
            ..Default::default()
        }),
        WorkKind::TemporaryPower => Work::TemporaryPower(TemporaryPowerDetails::default()),
        WorkKind::Excavation => Work::Excavation(ExcavationDetails {
            depth_m: 1.0,
            ..Default::default()
        }),
        WorkKind::RoadClosure => Work::RoadClosure(RoadClosureDetails::default()),
    }
}

fn workers(kind: WorkKind) -> Vec<Worker> {
    use CertificateKind as C;
    use WorkerRole as R;
    let guardian = person("监护人", &[R::Guardian], &[C::GuardianTraining]);
    match kind {
        WorkKind::Lifting => vec![
            person("指挥", &[R::Signaller], &[C::CraneSignaller]),
            person("司机", &[R::CraneOperator], &[C::CraneOperator]),
            guardian,
        ],
        WorkKind::HotWork => vec![
            person("负责人", &[R::WorkLeader], &[]),
            person("焊工", &[R::HotWorker], &[C::WeldingAndCutting]),
            guardian,
        ],
        WorkKind::TemporaryPower => vec![
            person("负责人", &[R::WorkLeader], &[]),
            person("电工", &[R::Electrician], &[C::Electrician]),
            guardian,
        ],
        _ => vec![
            person("负责人", &[R::WorkLeader], &[]),
            person("作业人", &[R::Worker], &[]),
            guardian,
        ],
    }
}

/// A complete draft permit of `kind` for 09:00–16:00 on a working day.
fn permit(kind: WorkKind) -> Permit {
    Permit {
        id: format!("p-{kind:?}"),
        number: format!("N-{kind:?}"),
        work: work(kind),
        declared_level: None,
        content: "检修".into(),
        location: Location {
            installation_id: "I1".into(),
            equipment_id: Some("E1".into()),
            place: "E1 顶部".into(),
            coordinates: None,
        },
        outdoor: false,
        planned: Window::new(at(DAY, "09:00"), at(DAY, "16:00")),
        workers: workers(kind),
        approvals: Vec::new(),
        gas_tests: Vec::new(),
        measures: answer_all(kind),
        linked_permits: Vec::new(),
        cross_work_coordinator: None,
        continuous_monitoring: true,
        monitoring_records_ms: Vec::new(),
        monitor_point: None,
        state: PermitState::Draft,
        started_at_ms: None,
        suspended_at_ms: None,
    }
}

fn gas(taken_at_ms: i64) -> GasTest {
    GasTest {
        taken_at_ms,
        substance: "甲烷".into(),
        lel_pct_vol: Some(5.0),
        measured_pct_vol: Some(0.1),
        oxygen_pct_vol: Some(20.9),
        analyst: "分析人".into(),
        ..Default::default()
    }
}

fn facts(now_ms: i64) -> Facts {
    Facts::at(now_ms)
}

/// Signs every row of the chain for the permit's level.
fn sign_all(p: &mut Permit, f: &Facts) {
    for s in sign_off_chain(p.kind(), effective_level(p, f)) {
        p.approvals.push(Approval {
            step: s.step,
            role: s.role,
            by: format!("{:?}", s.role),
            at_ms: f.now_ms,
            on_site: true,
        });
    }
}

/// The permit approved and reported, ready to start at 09:10 with a gas test at 09:00.
fn ready(kind: WorkKind) -> (Permit, Facts) {
    let mut p = permit(kind);
    p.gas_tests.push(gas(at(DAY, "09:00")));
    let f = facts(at(DAY, "09:10"));
    sign_all(&mut p, &f);
    p.state = PermitState::Reported;
    (p, f)
}

/// The permit in progress since 09:10.
fn working(kind: WorkKind) -> (Permit, Facts) {
    let (mut p, f) = ready(kind);
    p.state = PermitState::InProgress;
    p.started_at_ms = Some(at(DAY, "09:10"));
    (p, f)
}

fn start() -> Action {
    Action::Start {
        ticket_checked_by: Some("班长".into()),
    }
}

fn resume() -> Action {
    Action::Resume {
        conditions_reconfirmed: true,
    }
}

fn codes(d: &Decision) -> Vec<&'static str> {
    d.refusals.iter().map(|r| r.code).collect()
}

#[track_caller]
fn allowed(d: &Decision) {
    assert!(
        d.allowed,
        "expected allowed, got {:#?}",
        d.refusals
            .iter()
            .map(|r| (r.clause, r.code, &r.fact))
            .collect::<Vec<_>>()
    );
}

#[track_caller]
fn refused(d: &Decision, code: &str, clause: &str) {
    assert!(!d.allowed, "expected refusal {code}, got allowed");
    let r = d.refusals.iter().find(|r| r.code == code);
    let Some(r) = r else {
        panic!("expected {code}, got {:?}", codes(d));
    };
    assert_eq!(r.clause, clause, "{code}: {}", r.message_en);
    assert!(!r.fact.is_empty() && !r.message_zh.is_empty() && !r.message_en.is_empty());
}

fn hot(c: HotWorkConditions) -> Work {
    Work::HotWork(HotWorkConditions {
        method: "电焊".into(),
        ..c
    })
}

fn special_hot() -> HotWorkConditions {
    HotWorkConditions {
        fire_explosion_hazard_area: true,
        on_operating_equipment: true,
        plan_approved: true,
        ..Default::default()
    }
}

fn hot_level_of(c: HotWorkConditions, window: Window, cal: &HolidayCalendar) -> HotWorkLevel {
    let ctx = HotWorkContext {
        window,
        outdoor: false,
        calendar: cal,
        wind_force: None,
        policy: EscalationPolicy::OneStep,
    };
    match derive_hot_work_level(&c, &ctx) {
        Ok(d) => d.level,
        Err(e) => panic!("{}", e.message_en),
    }
}

fn day_window() -> Window {
    Window::new(at(DAY, "09:00"), at(DAY, "16:00"))
}

// ───────────── the whole lifecycle ─────────────

#[test]
fn lifecycle_draft_to_closed_for_every_kind() {
    for kind in WorkKind::ALL {
        let mut p = permit(kind);
        let mut f = facts(at(DAY, "08:30"));
        let needs_gas = gas_regime(&p, effective_level(&p, &f)).is_some();
        if needs_gas {
            let d = check(&Action::SubmitForGasAnalysis, &p, &f);
            allowed(&d);
            assert_eq!(d.to, Some(PermitState::GasAnalysis));
            p.state = PermitState::GasAnalysis;
            p.gas_tests.push(gas(at(DAY, "08:40")));
            f.now_ms = at(DAY, "08:45");
        }
        let d = check(&Action::SubmitForApproval, &p, &f);
        allowed(&d);
        p.state = PermitState::Approving;
        let chain = sign_off_chain(kind, effective_level(&p, &f));
        for (i, s) in chain.iter().enumerate() {
            let a = Action::Approve {
                step: s.step,
                role: s.role,
                by: "签字人".into(),
                on_site: true,
            };
            let d = check(&a, &p, &f);
            allowed(&d);
            let last = i + 1 == chain.len();
            assert_eq!(
                d.to,
                Some(if last {
                    PermitState::Approved
                } else {
                    PermitState::Approving
                }),
                "{kind:?}"
            );
            p.approvals.push(Approval {
                step: s.step,
                role: s.role,
                by: "签字人".into(),
                at_ms: f.now_ms,
                on_site: true,
            });
        }
        p.state = PermitState::Approved;
        allowed(&check(&Action::ReportToRegulator, &p, &f));
        p.state = PermitState::Reported;
        f.now_ms = at(DAY, "09:05");
        if needs_gas {
            p.gas_tests.push(gas(at(DAY, "09:00")));
        }
        let d = check(&start(), &p, &f);
        allowed(&d);
        assert_eq!(d.to, Some(PermitState::InProgress));
        p.state = PermitState::InProgress;
        p.started_at_ms = Some(f.now_ms);
        allowed(&check(&Action::Continue, &p, &f));
        allowed(&check(&Action::Suspend, &p, &f));
        p.state = PermitState::Suspended;
        p.suspended_at_ms = Some(f.now_ms);
        f.now_ms = at(DAY, "09:20");
        allowed(&check(&resume(), &p, &f));
        p.state = PermitState::InProgress;
        p.suspended_at_ms = None;
        allowed(&check(&Action::Complete, &p, &f));
        p.state = PermitState::Completed;
        allowed(&check(
            &Action::Accept {
                by: "验收人".into(),
            },
            &p,
            &f,
        ));
        p.state = PermitState::Accepted;
        let d = check(&Action::Close, &p, &f);
        allowed(&d);
        assert_eq!(d.to, Some(PermitState::Closed));
    }
}

#[test]
fn lifecycle_transitions_only_from_the_right_state() {
    let (mut p, f) = ready(WorkKind::Height);
    for state in PermitState::ALL {
        p.state = state;
        for kind in ActionKind::ALL {
            let a = match kind {
                ActionKind::SubmitForGasAnalysis => Action::SubmitForGasAnalysis,
                ActionKind::SubmitForApproval => Action::SubmitForApproval,
                ActionKind::Approve => Action::Approve {
                    step: SignOff::WorkLeader,
                    role: ApproverRole::WorkLeader,
                    by: "x".into(),
                    on_site: true,
                },
                ActionKind::ReportToRegulator => Action::ReportToRegulator,
                ActionKind::Start => start(),
                ActionKind::Continue => Action::Continue,
                ActionKind::Suspend => Action::Suspend,
                ActionKind::Resume => resume(),
                ActionKind::Complete => Action::Complete,
                ActionKind::Accept => Action::Accept { by: "x".into() },
                ActionKind::Close => Action::Close,
                ActionKind::Cancel => Action::Cancel,
                ActionKind::Void => Action::Void,
                ActionKind::Amend => Action::Amend { changes: vec![] },
            };
            let d = check(&a, &p, &f);
            match transition(state, kind) {
                None if kind == ActionKind::Amend
                    && state.is_issued_or_later()
                    && !state.is_terminal()
                    && !matches!(state, PermitState::Completed | PermitState::Accepted) =>
                {
                    refused(&d, "permit_must_not_be_altered", "GB 30871-2022 4.18")
                }
                None => refused(&d, "invalid_transition", LIFECYCLE_CLAUSE),
                Some(_) => assert!(!d.has("invalid_transition"), "{state:?} {kind:?}"),
            }
        }
    }
}

#[test]
fn lifecycle_stopping_work_is_never_refused_and_cancel_only_before_work() {
    let (mut p, mut f) = working(WorkKind::ConfinedSpace);
    // Even with everything wrong (expired, alarm, no monitoring) work may stop.
    f.now_ms = at(DAY, "23:00");
    f.last_gas_alarm_ms = Some(at(DAY, "22:00"));
    p.continuous_monitoring = false;
    allowed(&check(&Action::Suspend, &p, &f));
    allowed(&check(&Action::Complete, &p, &f));
    allowed(&check(&Action::Void, &p, &f));
    refused(
        &check(&Action::Cancel, &p, &f),
        "invalid_transition",
        LIFECYCLE_CLAUSE,
    );
    p.state = PermitState::Suspended;
    allowed(&check(&Action::Complete, &p, &f));
    for s in [
        PermitState::Draft,
        PermitState::GasAnalysis,
        PermitState::Approving,
        PermitState::Approved,
        PermitState::Reported,
    ] {
        p.state = s;
        allowed(&check(&Action::Cancel, &p, &f));
    }
    for s in [
        PermitState::Closed,
        PermitState::Cancelled,
        PermitState::Voided,
    ] {
        p.state = s;
        for a in [Action::Void, Action::Cancel, Action::Close, Action::Suspend] {
            refused(&check(&a, &p, &f), "invalid_transition", LIFECYCLE_CLAUSE);
        }
    }
}

#[test]
fn lifecycle_kinds_with_gas_analysis_go_through_it() {
    let p = permit(WorkKind::HotWork);
    let f = facts(at(DAY, "08:00"));
    let d = check(&Action::SubmitForApproval, &p, &f);
    refused(&d, "gas_analysis_step_required", "GB 30871-2022 5.3.1 c)");
    // Height needs none: straight to approval.
    allowed(&check(
        &Action::SubmitForApproval,
        &permit(WorkKind::Height),
        &f,
    ));
}

#[test]
fn regulator_online_report_before_start_is_configurable() {
    let (mut p, mut f) = ready(WorkKind::Height);
    p.state = PermitState::Approved;
    refused(
        &check(&start(), &p, &f),
        "regulator_report_required",
        REGULATOR_REPORT_CLAUSE,
    );
    f.config.require_regulator_report = false;
    allowed(&check(&start(), &p, &f));
}

#[test]
fn next_actions_say_what_is_allowed_and_why_not() {
    let (p, mut f) = ready(WorkKind::HotWork);
    f.now_ms = at(DAY, "09:45"); // gas sample 45 min old
    let next = next_actions(&p, &f);
    let kinds: Vec<ActionKind> = next.iter().map(|d| d.action).collect();
    assert_eq!(
        kinds,
        vec![ActionKind::Start, ActionKind::Cancel, ActionKind::Void]
    );
    let s = &next[0];
    refused(s, "gas_sample_too_old", "GB 30871-2022 5.3.1 c)");
    assert!(next[1].allowed && next[2].allowed);
}

// ───────────── 5.1 hot-work levels ─────────────

#[test]
fn clause_5_1_2_operating_equipment_hot_tapping_and_tank_farm_dike_are_special_hot_work() {
    let cal = HolidayCalendar::default();
    let w = day_window();
    for c in [
        HotWorkConditions {
            fire_explosion_hazard_area: true,
            on_operating_equipment: true,
            ..Default::default()
        },
        HotWorkConditions {
            hot_tapping_without_purge: true,
            ..Default::default()
        },
        HotWorkConditions {
            major_hazard_tank_farm_dike: true,
            ..Default::default()
        },
    ] {
        assert_eq!(hot_level_of(c, w, &cal), HotWorkLevel::Special);
    }
    // Operating equipment outside a hazardous area is not 特级 by 5.1.2.
    let c = HotWorkConditions {
        on_operating_equipment: true,
        ..Default::default()
    };
    assert_eq!(hot_level_of(c, w, &cal), HotWorkLevel::Two);
}

#[test]
fn clause_5_1_3_hazardous_area_and_pipe_rack_are_level_1() {
    let cal = HolidayCalendar::default();
    let w = day_window();
    let c = HotWorkConditions {
        fire_explosion_hazard_area: true,
        ..Default::default()
    };
    assert_eq!(hot_level_of(c, w, &cal), HotWorkLevel::One);
    let c = HotWorkConditions {
        pipe_rack: true,
        ..Default::default()
    };
    assert_eq!(hot_level_of(c, w, &cal), HotWorkLevel::One);
}

#[test]
fn clause_5_1_4_other_hot_work_is_level_2_and_a_shut_down_unit_may_be_downgraded() {
    let cal = HolidayCalendar::default();
    let w = day_window();
    assert_eq!(
        hot_level_of(HotWorkConditions::default(), w, &cal),
        HotWorkLevel::Two
    );
    let c = HotWorkConditions {
        fire_explosion_hazard_area: true,
        shutdown_downgrade_approved: true,
        ..Default::default()
    };
    assert_eq!(hot_level_of(c, w, &cal), HotWorkLevel::Two);
    // A downgrade contradicting an operating unit does not apply.
    let c = HotWorkConditions {
        hot_tapping_without_purge: true,
        shutdown_downgrade_approved: true,
        ..Default::default()
    };
    assert_eq!(hot_level_of(c, w, &cal), HotWorkLevel::Special);
}

#[test]
fn clause_5_1_1_hot_work_goes_one_level_up_on_holidays_rest_days_and_at_night() {
    let mut cal = HolidayCalendar::default();
    let two = HotWorkConditions::default;
    let one = || HotWorkConditions {
        fire_explosion_hazard_area: true,
        ..Default::default()
    };
    // Working day, daytime: no escalation.
    assert_eq!(hot_level_of(two(), day_window(), &cal), HotWorkLevel::Two);
    // Saturday (rest day).
    let sat = Window::new(at("2024-10-12", "09:00"), at("2024-10-12", "16:00"));
    assert_eq!(hot_level_of(two(), sat, &cal), HotWorkLevel::One);
    assert_eq!(hot_level_of(one(), sat, &cal), HotWorkLevel::Special);
    // …unless it is a make-up working day (调休上班).
    cal.make_up_workdays
        .push(LocalDate::parse("2024-10-12").unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(hot_level_of(two(), sat, &cal), HotWorkLevel::Two);
    // A public holiday on a weekday.
    cal.holidays
        .push(LocalDate::parse(DAY).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(hot_level_of(two(), day_window(), &cal), HotWorkLevel::One);
    let cal = HolidayCalendar::default();
    // Night (default 18:00–06:00, assumed): boundary at 18:00 exactly.
    let until_18 = Window::new(at(DAY, "16:00"), at(DAY, "18:00"));
    assert_eq!(hot_level_of(two(), until_18, &cal), HotWorkLevel::Two);
    let past_18 = Window::new(at(DAY, "16:00"), at(DAY, "18:00") + 1);
    assert_eq!(hot_level_of(two(), past_18, &cal), HotWorkLevel::One);
    let from_06 = Window::new(at(DAY, "06:00"), at(DAY, "08:00"));
    assert_eq!(hot_level_of(two(), from_06, &cal), HotWorkLevel::Two);
    let before_06 = Window::new(at(DAY, "06:00") - 1, at(DAY, "08:00"));
    assert_eq!(hot_level_of(two(), before_06, &cal), HotWorkLevel::One);
    // Several causes raise one level only (assumed default), and 特级 stays 特级.
    let sat_night = Window::new(at("2024-10-12", "20:00"), at("2024-10-12", "22:00"));
    assert_eq!(hot_level_of(two(), sat_night, &cal), HotWorkLevel::One);
    let special = HotWorkConditions {
        hot_tapping_without_purge: true,
        ..Default::default()
    };
    assert_eq!(
        hot_level_of(special, sat_night, &cal),
        HotWorkLevel::Special
    );
}

#[test]
fn clause_5_1_1_night_is_configurable_and_daily_work_hours_limit_the_window() {
    // A 72 h level-2 window touches nights …
    let w = Window::new(
        at("2024-10-10", "08:00"),
        at("2024-10-10", "08:00") + 72 * HOUR_MS,
    );
    let weekdays = Window::new(
        at("2024-10-07", "08:00"),
        at("2024-10-07", "08:00") + 72 * HOUR_MS,
    );
    let cal = HolidayCalendar::default();
    assert_eq!(
        hot_level_of(HotWorkConditions::default(), weekdays, &cal),
        HotWorkLevel::One
    );
    // … unless hot work is done only in day hours (08:00–17:00) on working days.
    let hours = DailyInterval {
        start: ClockTime::parse("08:00").unwrap_or_else(|e| panic!("{e}")),
        end: ClockTime::parse("17:00").unwrap_or_else(|e| panic!("{e}")),
    };
    let c = HotWorkConditions {
        work_hours: Some(hours),
        ..Default::default()
    };
    assert_eq!(hot_level_of(c.clone(), weekdays, &cal), HotWorkLevel::Two);
    // Thu–Sun: the Saturday still raises it.
    assert_eq!(hot_level_of(c, w, &cal), HotWorkLevel::One);
    // An enterprise that defines night as 22:00–06:00.
    let late = HolidayCalendar {
        night: Some(DailyInterval {
            start: ClockTime::parse("22:00").unwrap_or_else(|e| panic!("{e}")),
            end: ClockTime::parse("06:00").unwrap_or_else(|e| panic!("{e}")),
        }),
        ..Default::default()
    };
    let evening = Window::new(at(DAY, "18:00"), at(DAY, "22:00"));
    assert_eq!(
        hot_level_of(HotWorkConditions::default(), evening, &late),
        HotWorkLevel::Two
    );
    assert_eq!(
        hot_level_of(HotWorkConditions::default(), evening, &cal),
        HotWorkLevel::One
    );
}

#[test]
fn clause_5_1_1_hot_work_at_night_under_a_day_permit_is_refused_at_start() {
    let (mut p, mut f) = ready(WorkKind::HotWork);
    p.work = hot(HotWorkConditions {
        work_hours: Some(DailyInterval {
            start: ClockTime::parse("08:00").unwrap_or_else(|e| panic!("{e}")),
            end: ClockTime::parse("17:00").unwrap_or_else(|e| panic!("{e}")),
        }),
        ..Default::default()
    });
    p.planned = Window::new(at(DAY, "08:00"), at(DAY, "08:00") + 48 * HOUR_MS);
    p.declared_level = Some(PermitLevel::HotWork(HotWorkLevel::Two));
    f.now_ms = at(DAY, "19:00");
    p.gas_tests.push(gas(at(DAY, "18:50")));
    let d = check(&start(), &p, &f);
    refused(&d, "level_escalation_required", "GB 30871-2022 5.1.1");
    f.now_ms = at("2024-10-10", "09:00");
    p.gas_tests.push(gas(at("2024-10-10", "08:50")));
    allowed(&check(&start(), &p, &f));
}

#[test]
fn clause_5_1_1_declared_level_below_the_derived_one_is_refused() {
    let mut p = permit(WorkKind::HotWork);
    p.work = hot(HotWorkConditions {
        fire_explosion_hazard_area: true,
        ..Default::default()
    });
    p.declared_level = Some(PermitLevel::HotWork(HotWorkLevel::Two));
    p.state = PermitState::GasAnalysis;
    p.gas_tests.push(gas(at(DAY, "08:40")));
    let f = facts(at(DAY, "08:45"));
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "level_below_required",
        "GB 30871-2022 5.1.1",
    );
    // Declaring higher than needed is allowed and is the level used.
    p.declared_level = Some(PermitLevel::HotWork(HotWorkLevel::Special));
    assert_eq!(
        effective_level(&p, &f),
        Some(PermitLevel::HotWork(HotWorkLevel::Special))
    );
    // A level on a kind without levels.
    let mut c = permit(WorkKind::ConfinedSpace);
    c.declared_level = Some(PermitLevel::Height(HeightLevel::One));
    c.state = PermitState::GasAnalysis;
    c.gas_tests.push(gas(at(DAY, "08:40")));
    assert!(check(&Action::SubmitForApproval, &c, &f).has("level_not_applicable"));
}

#[test]
fn clause_5_1_1_fixed_hot_work_area_has_no_level() {
    let cal = HolidayCalendar::default();
    let ctx = HotWorkContext {
        window: day_window(),
        outdoor: false,
        calendar: &cal,
        wind_force: None,
        policy: EscalationPolicy::OneStep,
    };
    let e = derive_hot_work_level(
        &HotWorkConditions {
            fixed_hot_work_area: true,
            ..Default::default()
        },
        &ctx,
    );
    assert_eq!(
        e.err().map(|e| e.code),
        Some("fixed_hot_work_area_has_no_level")
    );
}

#[test]
fn clause_5_2_15_outdoor_hot_work_in_wind_of_force_5_is_refused_or_raised() {
    let cal = HolidayCalendar::default();
    let lvl = |wind: u8, outdoor: bool, policy| {
        let ctx = HotWorkContext {
            window: day_window(),
            outdoor,
            calendar: &cal,
            wind_force: Some(wind),
            policy,
        };
        derive_hot_work_level(&HotWorkConditions::default(), &ctx)
            .map(|d| d.level)
            .ok()
    };
    assert_eq!(
        lvl(4, true, EscalationPolicy::OneStep),
        Some(HotWorkLevel::Two)
    );
    assert_eq!(
        lvl(5, true, EscalationPolicy::OneStep),
        Some(HotWorkLevel::One)
    );
    assert_eq!(
        lvl(5, false, EscalationPolicy::OneStep),
        Some(HotWorkLevel::Two)
    );
    // Wind at night: one step by default, two with PerClause.
    let night = Window::new(at(DAY, "19:00"), at(DAY, "20:00"));
    let ctx = |policy| HotWorkContext {
        window: night,
        outdoor: true,
        calendar: &cal,
        wind_force: Some(6),
        policy,
    };
    let d = |policy| {
        derive_hot_work_level(&HotWorkConditions::default(), &ctx(policy))
            .map(|d| d.level)
            .ok()
    };
    assert_eq!(d(EscalationPolicy::OneStep), Some(HotWorkLevel::One));
    assert_eq!(d(EscalationPolicy::PerClause), Some(HotWorkLevel::Special));
    // At work: refused without a declared production necessity.
    let (mut p, mut f) = ready(WorkKind::HotWork);
    p.outdoor = true;
    p.declared_level = Some(PermitLevel::HotWork(HotWorkLevel::One));
    f.weather.wind_force = Some(5);
    refused(
        &check(&start(), &p, &f),
        "hot_work_in_wind_force_5",
        "GB 30871-2022 5.2.15",
    );
    p.work = hot(HotWorkConditions {
        production_necessity_in_wind: true,
        ..Default::default()
    });
    p.approvals.clear();
    sign_all(&mut p, &f);
    allowed(&check(&start(), &p, &f));
    // Declared 二级 in that wind: the level is too low.
    p.declared_level = Some(PermitLevel::HotWork(HotWorkLevel::Two));
    assert!(check(&start(), &p, &f).has("level_below_required"));
}

// ───────────── 8.1 height, 9.1 lifting ─────────────

#[test]
fn clause_8_1_3_table_2_height_level_by_band_and_hazard_factor() {
    let lvl = |h: f64, b: bool| {
        let c = HeightConditions {
            height_m: h,
            hazard_factors: if b {
                vec![HeightHazardFactor::SlipperySurface]
            } else {
                vec![]
            },
            situations: vec![],
        };
        derive_height_level(&c).map(|d| d.level).ok()
    };
    use HeightLevel::*;
    for (h, a, b) in [
        (2.0, One, Two),
        (5.0, One, Two),
        (5.000_001, Two, Three),
        (15.0, Two, Three),
        (15.5, Three, Four),
        (30.0, Three, Four),
        (30.01, Four, Four),
        (120.0, Four, Four),
    ] {
        assert_eq!(lvl(h, false), Some(a), "A {h}");
        assert_eq!(lvl(h, true), Some(b), "B {h}");
    }
}

#[test]
fn clause_8_1_annex_b_situations_set_minimum_height_levels() {
    let lvl = |s: HeightSituation| {
        derive_height_level(&HeightConditions {
            height_m: 3.0,
            hazard_factors: vec![],
            situations: vec![s],
        })
        .map(|d| d.level)
        .ok()
    };
    assert_eq!(
        lvl(HeightSituation::SlopeOver45Degrees),
        Some(HeightLevel::One)
    );
    assert_eq!(lvl(HeightSituation::InsideVessel), Some(HeightLevel::Two));
    assert_eq!(lvl(HeightSituation::Suspended), Some(HeightLevel::Four));
}

#[test]
fn clause_3_8_below_2_m_is_not_work_at_height() {
    for h in [1.99, -1.0, f64::NAN, f64::INFINITY] {
        assert!(
            derive_height_level(&HeightConditions {
                height_m: h,
                ..Default::default()
            })
            .is_err(),
            "{h}"
        );
    }
}

#[test]
fn clause_9_1_lifting_level_by_load_mass() {
    let lvl = |m: f64| derive_lifting_level(m, false).map(|d| d.level).ok();
    assert_eq!(lvl(100.000_1), Some(LiftingLevel::One));
    assert_eq!(lvl(100.0), Some(LiftingLevel::Two));
    assert_eq!(lvl(40.0), Some(LiftingLevel::Two));
    assert_eq!(lvl(39.999), Some(LiftingLevel::Three));
    assert_eq!(lvl(-1.0), None);
    assert_eq!(lvl(f64::NAN), None);
    // Under 10 t no lifting permit is needed (Annex B note 3).
    assert_eq!(
        derive_lifting_level(9.99, false)
            .map(|d| d.permit_required)
            .ok(),
        Some(false)
    );
    assert_eq!(
        derive_lifting_level(10.0, false)
            .map(|d| d.permit_required)
            .ok(),
        Some(true)
    );
}

// ───────────── validity ─────────────

fn submit_with_window(kind: WorkKind, w: Window, f: &Facts) -> Decision {
    let mut p = permit(kind);
    p.planned = w;
    if gas_regime(&p, effective_level(&p, f)).is_some() {
        p.state = PermitState::GasAnalysis;
        p.gas_tests.push(gas(f.now_ms));
    }
    check(&Action::SubmitForApproval, &p, f)
}

#[test]
fn clause_5_1_5_special_and_level_1_hot_work_are_valid_for_at_most_8_h() {
    let f = facts(at(DAY, "08:00"));
    let mut p = permit(WorkKind::HotWork);
    p.work = hot(special_hot());
    p.state = PermitState::GasAnalysis;
    p.gas_tests.push(gas(f.now_ms));
    p.planned = Window::new(at(DAY, "09:00"), at(DAY, "17:00")); // exactly 8 h, no night
    allowed(&check(&Action::SubmitForApproval, &p, &f));
    p.planned.end_ms += 1;
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "validity_exceeds_max",
        "GB 30871-2022 5.1.5",
    );
    p.work = hot(HotWorkConditions {
        fire_explosion_hazard_area: true,
        ..Default::default()
    });
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "validity_exceeds_max",
        "GB 30871-2022 5.1.5",
    );
}

#[test]
fn clause_5_1_5_level_2_hot_work_is_valid_for_at_most_72_h() {
    let mut f = facts(at("2024-10-07", "07:00"));
    f.calendar.night = None; // an enterprise without night work rules, Mon–Thu
    let w = Window::new(
        at("2024-10-07", "08:00"),
        at("2024-10-07", "08:00") + 72 * HOUR_MS,
    );
    allowed(&submit_with_window(WorkKind::HotWork, w, &f));
    let w = Window::new(w.start_ms, w.end_ms + 1);
    refused(
        &submit_with_window(WorkKind::HotWork, w, &f),
        "validity_exceeds_max",
        "GB 30871-2022 5.1.5",
    );
}

#[test]
fn clause_6_10_confined_space_is_valid_for_at_most_24_h() {
    let f = facts(at(DAY, "08:00"));
    let w = Window::new(at(DAY, "09:00"), at(DAY, "09:00") + 24 * HOUR_MS);
    allowed(&submit_with_window(WorkKind::ConfinedSpace, w, &f));
    let w = Window::new(w.start_ms, w.end_ms + 1);
    refused(
        &submit_with_window(WorkKind::ConfinedSpace, w, &f),
        "validity_exceeds_max",
        "GB 30871-2022 6.10",
    );
}

#[test]
fn clause_8_2_11_height_is_valid_for_at_most_7_days() {
    let f = facts(at(DAY, "08:00"));
    let w = Window::new(at(DAY, "09:00"), at(DAY, "09:00") + 7 * DAY_MS);
    allowed(&submit_with_window(WorkKind::Height, w, &f));
    let w = Window::new(w.start_ms, w.end_ms + 1);
    refused(
        &submit_with_window(WorkKind::Height, w, &f),
        "validity_exceeds_max",
        "GB 30871-2022 8.2.11",
    );
}

#[test]
fn clause_10_8_temporary_power_is_valid_for_15_days_or_30_in_special_cases() {
    let f = facts(at(DAY, "08:00"));
    let w15 = Window::new(at(DAY, "09:00"), at(DAY, "09:00") + 15 * DAY_MS);
    allowed(&submit_with_window(WorkKind::TemporaryPower, w15, &f));
    let over = Window::new(w15.start_ms, w15.end_ms + 1);
    refused(
        &submit_with_window(WorkKind::TemporaryPower, over, &f),
        "validity_exceeds_max",
        "GB 30871-2022 10.8",
    );
    let mut p = permit(WorkKind::TemporaryPower);
    p.work = Work::TemporaryPower(TemporaryPowerDetails {
        special_case: true,
        ..Default::default()
    });
    p.planned = Window::new(w15.start_ms, w15.start_ms + 30 * DAY_MS);
    allowed(&check(&Action::SubmitForApproval, &p, &f));
    p.planned.end_ms += 1;
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "validity_exceeds_max",
        "GB 30871-2022 10.8",
    );
}

#[test]
fn clause_10_8_temporary_power_for_hot_work_keeps_to_that_permits_time() {
    let mut f = facts(at(DAY, "08:00"));
    let mut hot_permit = permit(WorkKind::HotWork);
    hot_permit.id = "hot-1".into();
    hot_permit.state = PermitState::Approved;
    hot_permit.location.equipment_id = Some("E9".into());
    f.other_permits.push(hot_permit.summary());
    let mut p = permit(WorkKind::TemporaryPower);
    p.work = Work::TemporaryPower(TemporaryPowerDetails {
        serves_permit_id: Some("hot-1".into()),
        ..Default::default()
    });
    allowed(&check(&Action::SubmitForApproval, &p, &f));
    p.planned.end_ms += 1;
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "temporary_power_outlasts_served_permit",
        "GB 30871-2022 10.8",
    );
    p.work = Work::TemporaryPower(TemporaryPowerDetails {
        serves_permit_id: Some("nope".into()),
        ..Default::default()
    });
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "served_permit_unknown",
        "GB 30871-2022 10.8",
    );
}

#[test]
fn enterprise_validity_rule_applies_where_the_standard_sets_none() {
    let mut f = facts(at(DAY, "08:00"));
    let w = Window::new(at(DAY, "09:00"), at(DAY, "09:00") + 30 * DAY_MS);
    allowed(&submit_with_window(WorkKind::Blinding, w, &f));
    f.config.extra_validity.push(KindValidity {
        kind: WorkKind::Blinding,
        max_hours: 24,
    });
    refused(
        &submit_with_window(WorkKind::Blinding, w, &f),
        "validity_exceeds_max",
        ENTERPRISE_RULE_CLAUSE,
    );
    // A looser enterprise value never relaxes the standard.
    f.config.extra_validity.push(KindValidity {
        kind: WorkKind::ConfinedSpace,
        max_hours: 48,
    });
    let w = Window::new(at(DAY, "09:00"), at(DAY, "09:00") + 25 * HOUR_MS);
    refused(
        &submit_with_window(WorkKind::ConfinedSpace, w, &f),
        "validity_exceeds_max",
        "GB 30871-2022 6.10",
    );
}

#[test]
fn clause_4_16_an_expired_permit_cannot_start_or_continue() {
    let (mut p, mut f) = ready(WorkKind::Height);
    f.now_ms = p.planned.end_ms - 1;
    allowed(&check(&start(), &p, &f));
    f.now_ms = p.planned.end_ms;
    refused(
        &check(&start(), &p, &f),
        "validity_expired",
        "GB 30871-2022 4.16",
    );
    p.state = PermitState::InProgress;
    p.started_at_ms = Some(p.planned.start_ms);
    refused(
        &check(&Action::Continue, &p, &f),
        "validity_expired",
        "GB 30871-2022 4.16",
    );
    f.now_ms = p.planned.start_ms - 1;
    p.state = PermitState::Reported;
    refused(
        &check(&start(), &p, &f),
        "not_yet_valid",
        "GB 30871-2022 4.10 a)",
    );
}

#[test]
fn annex_a_planned_window_must_end_after_it_starts() {
    let f = facts(at(DAY, "08:00"));
    let w = Window::new(at(DAY, "09:00"), at(DAY, "09:00"));
    refused(
        &submit_with_window(WorkKind::Height, w, &f),
        "window_invalid",
        "GB 30871-2022 附录A（作业实施时间）",
    );
}

// ───────────── 5.3 hot-work gas analysis ─────────────

#[test]
fn clause_5_3_1_c_hot_work_gas_sample_older_than_30_min_is_refused() {
    let (mut p, mut f) = ready(WorkKind::HotWork);
    p.gas_tests = vec![gas(at(DAY, "09:00"))];
    f.now_ms = at(DAY, "09:30"); // exactly 30 min
    allowed(&check(&start(), &p, &f));
    f.now_ms = at(DAY, "09:30") + 1;
    let d = check(&start(), &p, &f);
    refused(&d, "gas_sample_too_old", "GB 30871-2022 5.3.1 c)");
    assert!(
        d.refusals[0].fact.contains("30 min 0.001 s"),
        "{}",
        d.refusals[0].fact
    );
    p.gas_tests.clear();
    refused(
        &check(&start(), &p, &f),
        "gas_test_missing",
        "GB 30871-2022 5.3.1 c)",
    );
    // A test taken after "now" does not count.
    p.gas_tests = vec![gas(f.now_ms + 1)];
    refused(
        &check(&start(), &p, &f),
        "gas_test_missing",
        "GB 30871-2022 5.3.1 c)",
    );
}

#[test]
fn clause_5_3_1_a_every_sampling_point_must_pass() {
    let (mut p, f) = ready(WorkKind::HotWork);
    let point = |name: &str, v: f64| GasTest {
        point: Some(name.into()),
        measured_pct_vol: Some(v),
        ..gas(at(DAY, "09:00"))
    };
    p.gas_tests = vec![point("上", 0.1), point("中", 0.1), point("下", 0.6)];
    refused(
        &check(&start(), &p, &f),
        "flammable_over_limit",
        "GB 30871-2022 5.3.2 a)",
    );
    // A later re-test of the failing point replaces it.
    p.gas_tests.push(GasTest {
        taken_at_ms: at(DAY, "09:05"),
        ..point("下", 0.1)
    });
    allowed(&check(&start(), &p, &f));
}

fn evaluate(t: &GasTest, regime: GasRegime) -> Vec<&'static str> {
    evaluate_gas_test(t, regime, &HolidayCalendar::default())
        .iter()
        .map(|r| r.code)
        .collect()
}

const HOT2: GasRegime = GasRegime::HotWork {
    level: HotWorkLevel::Two,
    oxygen_equipment: false,
};

#[test]
fn clause_5_3_2_a_lel_at_least_4_pct_passes_at_most_0_5_pct_vol() {
    let t = |lel: f64, m: f64| GasTest {
        lel_pct_vol: Some(lel),
        measured_pct_vol: Some(m),
        ..gas(0)
    };
    assert!(evaluate(&t(4.0, 0.5), HOT2).is_empty()); // LEL exactly 4 %, exactly 0.5 %vol
    assert_eq!(
        evaluate(&t(4.0, 0.500_01), HOT2),
        vec!["flammable_over_limit"]
    );
    assert!(evaluate(&t(5.0, 0.5), HOT2).is_empty());
    let r = evaluate_gas_test(&t(5.0, 0.6), HOT2, &HolidayCalendar::default());
    assert_eq!(r[0].clause, "GB 30871-2022 5.3.2 a)");
    assert_eq!(flammable_limit_pct_vol(Some(4.0)), 0.5);
}

#[test]
fn clause_5_3_2_b_lel_below_4_pct_passes_at_most_0_2_pct_vol() {
    let t = |lel: Option<f64>, m: f64| GasTest {
        lel_pct_vol: lel,
        measured_pct_vol: Some(m),
        ..gas(0)
    };
    assert!(evaluate(&t(Some(3.99), 0.2), HOT2).is_empty());
    assert_eq!(
        evaluate(&t(Some(3.99), 0.21), HOT2),
        vec!["flammable_over_limit"]
    );
    let r = evaluate_gas_test(&t(Some(1.2), 0.3), HOT2, &HolidayCalendar::default());
    assert_eq!(r[0].clause, "GB 30871-2022 5.3.2 b)");
    // Unknown LEL: the stricter limit (assumed).
    assert_eq!(evaluate(&t(None, 0.3), HOT2), vec!["flammable_over_limit"]);
    assert!(evaluate(&t(None, 0.2), HOT2).is_empty());
    // Not a measurement.
    assert_eq!(
        evaluate(&t(Some(5.0), f64::NAN), HOT2),
        vec!["gas_value_invalid"]
    );
    assert_eq!(
        evaluate(&t(Some(5.0), -0.1), HOT2),
        vec!["gas_value_invalid"]
    );
    assert_eq!(
        evaluate(
            &GasTest {
                measured_pct_vol: None,
                ..gas(0)
            },
            HOT2
        ),
        vec!["flammable_result_missing"]
    );
}

#[test]
fn clause_5_2_7_hot_work_on_oxygen_equipment_needs_oxygen_at_most_23_5_pct() {
    let r = GasRegime::HotWork {
        level: HotWorkLevel::One,
        oxygen_equipment: true,
    };
    let t = |o: Option<f64>| GasTest {
        oxygen_pct_vol: o,
        ..gas(0)
    };
    assert!(evaluate(&t(Some(23.5)), r).is_empty());
    assert_eq!(evaluate(&t(Some(23.51)), r), vec!["oxygen_out_of_range"]);
    assert_eq!(evaluate(&t(None), r), vec!["oxygen_result_missing"]);
    // Without oxygen equipment hot work has no oxygen limit.
    assert!(evaluate(&t(Some(23.51)), HOT2).is_empty());
}

#[test]
fn clause_5_3_1_d_retest_after_a_break_over_30_min_for_special_and_level_1() {
    let (mut p, mut f) = working(WorkKind::HotWork);
    p.work = hot(HotWorkConditions {
        fire_explosion_hazard_area: true,
        ..Default::default()
    });
    p.approvals.clear();
    sign_all(&mut p, &f);
    p.state = PermitState::Suspended;
    p.suspended_at_ms = Some(at(DAY, "10:00"));
    f.now_ms = at(DAY, "10:30"); // exactly 30 min
    allowed(&check(&resume(), &p, &f));
    f.now_ms += 1;
    refused(
        &check(&resume(), &p, &f),
        "retest_after_break_required",
        "GB 30871-2022 5.3.1 d)",
    );
    // A test during the break counts only if taken after the break began and ≤ 30 min old.
    p.gas_tests.push(gas(at(DAY, "10:10")));
    allowed(&check(&resume(), &p, &f));
    f.now_ms = at(DAY, "10:40") + 1;
    refused(
        &check(&resume(), &p, &f),
        "retest_after_break_required",
        "GB 30871-2022 5.3.1 d)",
    );
}

#[test]
fn clause_5_3_1_d_retest_after_a_break_over_60_min_for_level_2() {
    let (mut p, mut f) = working(WorkKind::HotWork);
    p.state = PermitState::Suspended;
    p.suspended_at_ms = Some(at(DAY, "10:00"));
    f.now_ms = at(DAY, "11:00");
    allowed(&check(&resume(), &p, &f));
    f.now_ms += 1;
    refused(
        &check(&resume(), &p, &f),
        "retest_after_break_required",
        "GB 30871-2022 5.3.1 d)",
    );
    p.gas_tests.push(gas(at(DAY, "10:55")));
    allowed(&check(&resume(), &p, &f));
    // A failing re-test does not clear it.
    p.gas_tests.push(GasTest {
        measured_pct_vol: Some(0.9),
        ..gas(at(DAY, "10:58"))
    });
    refused(
        &check(&resume(), &p, &f),
        "flammable_over_limit",
        "GB 30871-2022 5.3.2 a)",
    );
}

#[test]
fn clause_5_3_1_d_hot_work_needs_a_gas_analysis_every_day() {
    let (mut p, mut f) = working(WorkKind::HotWork);
    f.calendar.night = None;
    p.planned = Window::new(at(DAY, "09:00"), at(DAY, "09:00") + 48 * HOUR_MS);
    p.state = PermitState::Suspended;
    p.suspended_at_ms = Some(at("2024-10-10", "07:30"));
    f.now_ms = at("2024-10-10", "08:00"); // 30 min break, but a new day
    refused(
        &check(&resume(), &p, &f),
        "daily_gas_test_required",
        "GB 30871-2022 5.3.1 d)",
    );
    p.gas_tests.push(gas(at("2024-10-10", "07:50")));
    allowed(&check(&resume(), &p, &f));
}

#[test]
fn clause_5_3_1_d_special_hot_work_is_monitored_continuously() {
    let (mut p, f) = ready(WorkKind::HotWork);
    p.work = hot(special_hot());
    p.approvals.clear();
    sign_all(&mut p, &f);
    allowed(&check(&start(), &p, &f));
    p.continuous_monitoring = false;
    refused(
        &check(&start(), &p, &f),
        "continuous_monitoring_required",
        "GB 30871-2022 5.3.1 d)",
    );
    // 二级 needs none.
    let (mut q, f) = ready(WorkKind::HotWork);
    q.continuous_monitoring = false;
    allowed(&check(&start(), &q, &f));
}

#[test]
fn clause_5_2_6_gas_alarm_during_hot_work_stops_it_until_retested() {
    let (p, mut f) = working(WorkKind::HotWork);
    f.now_ms = at(DAY, "10:00");
    f.last_gas_alarm_ms = Some(at(DAY, "09:50"));
    refused(
        &check(&Action::Continue, &p, &f),
        "gas_alarm_stop_work",
        "GB 30871-2022 5.2.6",
    );
    // An alarm before the last test is cleared by it.
    f.last_gas_alarm_ms = Some(at(DAY, "08:59"));
    allowed(&check(&Action::Continue, &p, &f));
}

#[test]
fn clause_5_4_2_special_hot_work_plan_and_prohibitions() {
    let mut p = permit(WorkKind::HotWork);
    p.state = PermitState::GasAnalysis;
    let f = facts(at(DAY, "08:45"));
    p.gas_tests.push(gas(at(DAY, "08:40")));
    p.work = hot(HotWorkConditions {
        plan_approved: false,
        ..special_hot()
    });
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "special_hot_work_plan_missing",
        "GB 30871-2022 5.4.2 a)",
    );
    p.work = hot(HotWorkConditions {
        self_decomposing_material: true,
        ..special_hot()
    });
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "hot_work_on_self_decomposing_material",
        "GB 30871-2022 5.4.2 c)",
    );
    p.work = hot(HotWorkConditions {
        hot_tapping_without_purge: true,
        unit_unstable: true,
        ..special_hot()
    });
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "hot_tapping_on_unstable_unit",
        "GB 30871-2022 5.4.2 d)",
    );
    p.work = hot(special_hot());
    allowed(&check(&Action::SubmitForApproval, &p, &f));
}

// ───────────── 6 confined space ─────────────

#[test]
fn clause_6_3_a_confined_space_gas_test_within_30_min_before_entry() {
    let (p, mut f) = ready(WorkKind::ConfinedSpace);
    f.now_ms = at(DAY, "09:30");
    allowed(&check(&start(), &p, &f));
    f.now_ms += 1;
    refused(
        &check(&start(), &p, &f),
        "gas_sample_too_old",
        "GB 30871-2022 6.3 a)",
    );
}

#[test]
fn clause_6_4_a_confined_space_oxygen_19_5_to_21_pct_or_23_5_when_enriched() {
    let normal = GasRegime::ConfinedSpace {
        oxygen_enriched: false,
        via_excavation: false,
    };
    let enriched = GasRegime::ConfinedSpace {
        oxygen_enriched: true,
        via_excavation: false,
    };
    let t = |o: f64| GasTest {
        oxygen_pct_vol: Some(o),
        ..gas(0)
    };
    assert!(evaluate(&t(19.5), normal).is_empty());
    assert_eq!(evaluate(&t(19.49), normal), vec!["oxygen_out_of_range"]);
    assert!(evaluate(&t(21.0), normal).is_empty());
    assert_eq!(evaluate(&t(21.01), normal), vec!["oxygen_out_of_range"]);
    assert!(evaluate(&t(23.5), enriched).is_empty());
    assert_eq!(evaluate(&t(23.51), enriched), vec!["oxygen_out_of_range"]);
    assert_eq!(evaluate(&t(19.49), enriched), vec!["oxygen_out_of_range"]);
    assert_eq!(
        evaluate(
            &GasTest {
                oxygen_pct_vol: None,
                ..gas(0)
            },
            normal
        ),
        vec!["oxygen_result_missing"]
    );
    let r = evaluate_gas_test(&t(18.0), normal, &HolidayCalendar::default());
    assert_eq!(r[0].clause, "GB 30871-2022 6.4 a)");
    // On the permit.
    let (mut p, f) = ready(WorkKind::ConfinedSpace);
    p.gas_tests = vec![GasTest {
        oxygen_pct_vol: Some(19.4),
        ..gas(at(DAY, "09:00"))
    }];
    refused(
        &check(&start(), &p, &f),
        "oxygen_out_of_range",
        "GB 30871-2022 6.4 a)",
    );
}

#[test]
fn clause_6_4_b_toxic_gas_at_most_its_occupational_exposure_limit() {
    let r = GasRegime::ConfinedSpace {
        oxygen_enriched: false,
        via_excavation: false,
    };
    let t = |ppm: f64, oel: Option<f64>| GasTest {
        toxic_substance: "硫化氢".into(),
        toxic_ppm: Some(ppm),
        toxic_oel_ppm: oel,
        ..gas(0)
    };
    assert!(evaluate(&t(6.6, Some(6.6)), r).is_empty());
    assert_eq!(evaluate(&t(6.7, Some(6.6)), r), vec!["toxic_over_oel"]);
    assert_eq!(evaluate(&t(1.0, None), r), vec!["toxic_oel_missing"]);
}

#[test]
fn clause_6_4_c_confined_space_flammables_follow_5_3_2() {
    let r = GasRegime::ConfinedSpace {
        oxygen_enriched: false,
        via_excavation: false,
    };
    let t = GasTest {
        lel_pct_vol: Some(1.4),
        measured_pct_vol: Some(0.21),
        ..gas(0)
    };
    assert_eq!(evaluate(&t, r), vec!["flammable_over_limit"]);
    // In a confined space the flammable result may be absent (no flammable medium).
    assert!(
        evaluate(
            &GasTest {
                measured_pct_vol: None,
                ..gas(0)
            },
            r
        )
        .is_empty()
    );
}

#[test]
fn clause_6_3_f_confined_space_retest_after_a_break_over_60_min() {
    let (mut p, mut f) = working(WorkKind::ConfinedSpace);
    p.state = PermitState::Suspended;
    p.suspended_at_ms = Some(at(DAY, "10:00"));
    f.now_ms = at(DAY, "11:00");
    allowed(&check(&resume(), &p, &f));
    f.now_ms += 1;
    refused(
        &check(&resume(), &p, &f),
        "retest_after_break_required",
        "GB 30871-2022 6.3 f)",
    );
    // Unknown break start: re-test required (conservative).
    p.suspended_at_ms = None;
    f.now_ms = at(DAY, "10:05");
    refused(
        &check(&resume(), &p, &f),
        "retest_after_break_required",
        "GB 30871-2022 6.3 f)",
    );
}

#[test]
fn clause_6_5_confined_space_is_monitored_continuously_and_recorded_every_2_h() {
    let (mut p, mut f) = working(WorkKind::ConfinedSpace);
    p.continuous_monitoring = false;
    refused(
        &check(&Action::Continue, &p, &f),
        "continuous_monitoring_required",
        "GB 30871-2022 6.5",
    );
    p.continuous_monitoring = true;
    p.monitoring_records_ms = vec![at(DAY, "10:00")];
    f.now_ms = at(DAY, "12:00"); // exactly 2 h after the last record
    allowed(&check(&Action::Continue, &p, &f));
    f.now_ms += 1;
    refused(
        &check(&Action::Continue, &p, &f),
        "monitoring_record_overdue",
        "GB 30871-2022 6.5",
    );
    // A gas test during the work is a record too.
    p.gas_tests.push(gas(at(DAY, "11:30")));
    allowed(&check(&Action::Continue, &p, &f));
}

#[test]
fn clause_6_5_gas_alarm_in_a_confined_space_stops_work_until_retested() {
    let (mut p, mut f) = working(WorkKind::ConfinedSpace);
    f.now_ms = at(DAY, "10:00");
    f.last_gas_alarm_ms = Some(at(DAY, "09:40"));
    refused(
        &check(&Action::Continue, &p, &f),
        "gas_alarm_stop_work",
        "GB 30871-2022 6.5",
    );
    p.state = PermitState::Suspended;
    p.suspended_at_ms = Some(at(DAY, "09:40"));
    refused(
        &check(&resume(), &p, &f),
        "retest_after_gas_alarm",
        "GB 30871-2022 6.5",
    );
    p.gas_tests.push(gas(at(DAY, "09:55")));
    allowed(&check(&resume(), &p, &f));
    // The last reading during the work fails: stop.
    p.state = PermitState::InProgress;
    p.gas_tests.push(GasTest {
        oxygen_pct_vol: Some(18.0),
        ..gas(at(DAY, "09:58"))
    });
    refused(
        &check(&Action::Continue, &p, &f),
        "oxygen_out_of_range",
        "GB 30871-2022 6.4 a)",
    );
}

#[test]
fn clause_4_8_an_active_gas_alarm_stops_any_work() {
    let (p, mut f) = working(WorkKind::Height);
    // A past alarm does not concern work without gas analysis …
    f.last_gas_alarm_ms = Some(at(DAY, "09:00"));
    allowed(&check(&Action::Continue, &p, &f));
    // … an active one stops any work.
    f.gas_alarm_active = true;
    refused(
        &check(&Action::Continue, &p, &f),
        "gas_alarm_active",
        "GB 30871-2022 4.8",
    );
    let (q, mut f) = ready(WorkKind::HotWork);
    f.gas_alarm_active = true;
    refused(
        &check(&start(), &q, &f),
        "gas_alarm_active",
        "GB 30871-2022 5.2.6",
    );
    allowed(&check(&Action::Cancel, &q, &f));
}

#[test]
fn annex_b3_tickets_are_kept_a_year_and_video_a_month() {
    let cal = HolidayCalendar::default();
    let r = retention(at("2024-01-31", "10:00"), &cal);
    assert_eq!(r.clause, "GB 30871-2022 附录B B.3");
    assert_eq!(r.ticket_until_ms, at("2025-01-31", "10:00"));
    // February has no 31st: at least a month is 1 March.
    assert_eq!(r.video_until_ms, at("2024-03-01", "10:00"));
    let r = retention(at("2024-02-29", "23:30"), &cal);
    assert_eq!(r.ticket_until_ms, at("2025-03-01", "23:30"));
    assert_eq!(r.video_until_ms, at("2024-03-29", "23:30"));
    let r = retention(at("2024-12-15", "00:00"), &cal);
    assert_eq!(r.video_until_ms, at("2025-01-15", "00:00"));
    for t in [i64::MIN, -1, 0, i64::MAX] {
        let r = retention(t, &cal);
        assert!(r.ticket_until_ms >= r.video_until_ms || t == i64::MIN);
    }
}

// ───────────── 10.1 temporary power, 11.10 excavation ─────────────

#[test]
fn clause_10_1_temporary_power_in_a_hazardous_area_needs_a_flammable_analysis() {
    let (mut p, f) = ready(WorkKind::TemporaryPower);
    p.gas_tests.clear();
    allowed(&check(&start(), &p, &f)); // not in a hazardous area: no analysis
    p.work = Work::TemporaryPower(TemporaryPowerDetails {
        fire_explosion_hazard_area: true,
        ..Default::default()
    });
    refused(
        &check(&start(), &p, &f),
        "gas_test_missing",
        "GB 30871-2022 10.1",
    );
    p.gas_tests.push(GasTest {
        measured_pct_vol: Some(0.3),
        lel_pct_vol: Some(2.1),
        ..gas(at(DAY, "09:00"))
    });
    refused(
        &check(&start(), &p, &f),
        "flammable_over_limit",
        "GB 30871-2022 5.3.2 b)",
    );
    p.gas_tests.push(gas(at(DAY, "09:05")));
    allowed(&check(&start(), &p, &f));
}

#[test]
fn clause_11_10_deep_excavation_with_buried_hazardous_lines_follows_confined_space_rules() {
    let deep = |d: f64| {
        Work::Excavation(ExcavationDetails {
            depth_m: d,
            hazardous_area: true,
            buried_hazardous_lines: true,
        })
    };
    let (mut p, f) = ready(WorkKind::Excavation);
    p.gas_tests.clear();
    p.work = deep(1.2); // exactly 1.2 m: not "more than"
    allowed(&check(&start(), &p, &f));
    p.work = deep(1.21);
    refused(
        &check(&start(), &p, &f),
        "gas_test_missing",
        "GB 30871-2022 11.10, 6.3 a)",
    );
    p.gas_tests.push(gas(at(DAY, "09:00")));
    allowed(&check(&start(), &p, &f));
}

// ───────────── approvals (Annex B Table B.1, Annex A, 4.11) ─────────────

#[test]
fn clause_b1_hot_work_approver_by_level() {
    use ApproverRole as R;
    let f = facts(at(DAY, "08:45"));
    for (c, approver) in [
        (special_hot(), R::SeniorManager),
        (
            HotWorkConditions {
                fire_explosion_hazard_area: true,
                ..Default::default()
            },
            R::SafetyDepartment,
        ),
        (HotWorkConditions::default(), R::OwningUnit),
    ] {
        let mut p = permit(WorkKind::HotWork);
        p.work = hot(c);
        p.gas_tests.push(gas(at(DAY, "08:40")));
        p.state = PermitState::Approving;
        let chain = sign_off_chain(WorkKind::HotWork, effective_level(&p, &f));
        for s in &chain[..3] {
            p.approvals.push(Approval {
                step: s.step,
                role: s.role,
                by: "x".into(),
                at_ms: 0,
                on_site: true,
            });
        }
        assert_eq!(chain[3].role, approver);
        let ok = Action::Approve {
            step: SignOff::Approver,
            role: approver,
            by: "审批人".into(),
            on_site: true,
        };
        let d = check(&ok, &p, &f);
        allowed(&d);
        assert_eq!(d.to, Some(PermitState::Approved));
        let wrong = if approver == R::SeniorManager {
            R::SafetyDepartment
        } else {
            R::SeniorManager
        };
        let bad = Action::Approve {
            step: SignOff::Approver,
            role: wrong,
            by: "审批人".into(),
            on_site: true,
        };
        refused(
            &check(&bad, &p, &f),
            "approver_role_mismatch",
            "GB 30871-2022 附录B 表B.1",
        );
    }
}

#[test]
fn clause_b1_approvers_of_the_other_kinds() {
    use ApproverRole as R;
    let h = |l| Some(PermitLevel::Height(l));
    let l = |l| Some(PermitLevel::Lifting(l));
    assert_eq!(
        required_approver(WorkKind::ConfinedSpace, None),
        R::OwningUnit
    );
    assert_eq!(required_approver(WorkKind::Blinding, None), R::OwningUnit);
    assert_eq!(
        required_approver(WorkKind::Height, h(HeightLevel::One)),
        R::OwningUnit
    );
    assert_eq!(
        required_approver(WorkKind::Height, h(HeightLevel::Two)),
        R::SpecialistDepartment
    );
    assert_eq!(
        required_approver(WorkKind::Height, h(HeightLevel::Three)),
        R::SpecialistDepartment
    );
    assert_eq!(
        required_approver(WorkKind::Height, h(HeightLevel::Four)),
        R::PlantManagerOrChiefEngineer
    );
    assert_eq!(
        required_approver(WorkKind::Lifting, l(LiftingLevel::One)),
        R::PlantManagerOrChiefEngineer
    );
    assert_eq!(
        required_approver(WorkKind::Lifting, l(LiftingLevel::Two)),
        R::SpecialistDepartment
    );
    assert_eq!(
        required_approver(WorkKind::Lifting, l(LiftingLevel::Three)),
        R::SpecialistDepartment
    );
    assert_eq!(
        required_approver(WorkKind::TemporaryPower, None),
        R::PowerDistributionUnit
    );
    assert_eq!(
        required_approver(WorkKind::Excavation, None),
        R::SpecialistDepartment
    );
    assert_eq!(
        required_approver(WorkKind::RoadClosure, None),
        R::SpecialistDepartment
    );
    // On a permit: a 40 m height job is Ⅳ, approved by the plant manager.
    let f = facts(at(DAY, "08:00"));
    let mut p = permit(WorkKind::Height);
    p.work = Work::Height(HeightConditions {
        height_m: 40.0,
        ..Default::default()
    });
    p.state = PermitState::Approving;
    let chain = sign_off_chain(WorkKind::Height, effective_level(&p, &f));
    for s in &chain[..3] {
        p.approvals.push(Approval {
            step: s.step,
            role: s.role,
            by: "x".into(),
            at_ms: 0,
            on_site: true,
        });
    }
    let a = |role| Action::Approve {
        step: SignOff::Approver,
        role,
        by: "y".into(),
        on_site: true,
    };
    allowed(&check(&a(R::PlantManagerOrChiefEngineer), &p, &f));
    refused(
        &check(&a(R::SpecialistDepartment), &p, &f),
        "approver_role_mismatch",
        "GB 30871-2022 附录B 表B.1",
    );
}

#[test]
fn annex_a_sign_offs_follow_the_forms_order() {
    let mut p = permit(WorkKind::HotWork);
    p.state = PermitState::Approving;
    p.gas_tests.push(gas(at(DAY, "08:40")));
    let f = facts(at(DAY, "08:45"));
    let a = Action::Approve {
        step: SignOff::SafetyDepartment,
        role: ApproverRole::SafetyDepartment,
        by: "x".into(),
        on_site: true,
    };
    refused(
        &check(&a, &p, &f),
        "sign_off_out_of_order",
        "GB 30871-2022 附录A 表A.1",
    );
    let a = Action::Approve {
        step: SignOff::WorkLeader,
        role: ApproverRole::WorkLeader,
        by: " ".into(),
        on_site: true,
    };
    refused(&check(&a, &p, &f), "signer_missing", "GB 30871-2022 4.6");
}

#[test]
fn clause_4_11_a_the_approver_approves_on_site() {
    let mut p = permit(WorkKind::ConfinedSpace);
    p.state = PermitState::Approving;
    p.gas_tests.push(gas(at(DAY, "08:40")));
    let f = facts(at(DAY, "08:45"));
    p.approvals.push(Approval {
        step: SignOff::WorkLeader,
        role: ApproverRole::WorkLeader,
        by: "x".into(),
        at_ms: 0,
        on_site: false,
    });
    let a = |on_site| Action::Approve {
        step: SignOff::OwningUnit,
        role: ApproverRole::OwningUnit,
        by: "y".into(),
        on_site,
    };
    refused(
        &check(&a(false), &p, &f),
        "approval_not_on_site",
        "GB 30871-2022 4.11 a)",
    );
    allowed(&check(&a(true), &p, &f));
}

#[test]
fn clause_4_6_work_starts_only_with_every_sign_off() {
    let (mut p, f) = ready(WorkKind::Lifting);
    p.approvals.pop();
    refused(
        &check(&start(), &p, &f),
        "approvals_incomplete",
        "GB 30871-2022 4.6",
    );
    p.state = PermitState::Approved;
    refused(
        &check(&Action::ReportToRegulator, &p, &f),
        "approvals_incomplete",
        "GB 30871-2022 4.6",
    );
}

#[test]
fn annex_a_table_a1_shift_leader_checks_the_hot_work_ticket_before_ignition() {
    let (p, mut f) = ready(WorkKind::HotWork);
    let no_check = Action::Start {
        ticket_checked_by: None,
    };
    refused(
        &check(&no_check, &p, &f),
        "shift_leader_check_missing",
        "GB 30871-2022 附录A 表A.1",
    );
    allowed(&check(&start(), &p, &f));
    f.config.require_shift_leader_check = false;
    allowed(&check(&no_check, &p, &f));
}

// ───────────── people (4.9, 4.10) ─────────────

#[test]
fn clause_4_9_special_trade_workers_hold_certificates_valid_until_the_planned_end() {
    let (mut p, f) = ready(WorkKind::HotWork);
    let end = p.planned.end_ms;
    let welder = |expires_ms| Worker {
        certificates: vec![Certificate {
            kind: CertificateKind::WeldingAndCutting,
            number: "T1".into(),
            expires_ms,
        }],
        ..person("焊工", &[WorkerRole::HotWorker], &[])
    };
    p.workers[1] = welder(end);
    allowed(&check(&start(), &p, &f));
    p.workers[1] = welder(end - 1);
    refused(
        &check(&start(), &p, &f),
        "certificate_expired",
        "GB 30871-2022 4.9",
    );
    p.workers[1] = person("焊工", &[WorkerRole::HotWorker], &[]);
    refused(
        &check(&start(), &p, &f),
        "certificate_missing",
        "GB 30871-2022 4.9",
    );
    // Temporary power needs the electrician's certificate; lifting the crane certificates.
    let (mut q, f) = ready(WorkKind::TemporaryPower);
    q.workers[1].certificates.clear();
    refused(
        &check(&start(), &q, &f),
        "certificate_missing",
        "GB 30871-2022 4.9",
    );
    let (mut l, f) = ready(WorkKind::Lifting);
    l.workers[1].certificates.clear();
    refused(
        &check(&start(), &l, &f),
        "certificate_missing",
        "GB 30871-2022 4.9",
    );
}

#[test]
fn clause_4_10_a_certified_guardian_who_does_nothing_else() {
    let (mut p, f) = ready(WorkKind::Height);
    p.workers[2].certificates.clear();
    refused(
        &check(&start(), &p, &f),
        "certificate_missing",
        "GB 30871-2022 4.10",
    );
    p.workers[2] = person(
        "监护人",
        &[WorkerRole::Guardian, WorkerRole::Worker],
        &[CertificateKind::GuardianTraining],
    );
    refused(
        &check(&start(), &p, &f),
        "guardian_has_other_duty",
        "GB 30871-2022 4.10 f)",
    );
    p.workers.remove(2);
    refused(
        &check(&start(), &p, &f),
        "guardian_missing",
        "GB 30871-2022 4.10",
    );
}

#[test]
fn annex_a_forms_name_their_people() {
    let (mut p, f) = ready(WorkKind::HotWork);
    p.workers
        .retain(|w| !w.roles.contains(&WorkerRole::HotWorker));
    refused(
        &check(&start(), &p, &f),
        "role_missing",
        "GB 30871-2022 附录A 表A.1",
    );
    let (mut l, f) = ready(WorkKind::Lifting);
    l.workers
        .retain(|w| !w.roles.contains(&WorkerRole::Signaller));
    refused(
        &check(&start(), &l, &f),
        "role_missing",
        "GB 30871-2022 9.2.6",
    );
}

// ───────────── conflicts (4.7, 7.6, 7.10) ─────────────

fn other(kind: WorkKind, w: Window) -> OtherPermit {
    let mut o = permit(kind);
    o.id = "other".into();
    o.number = "N-other".into();
    o.planned = w;
    o.state = PermitState::InProgress;
    o.summary()
}

#[test]
fn clause_4_7_cross_work_at_the_same_place_and_time_needs_a_coordinator_and_links() {
    let (mut p, mut f) = ready(WorkKind::Height);
    f.other_permits.push(other(WorkKind::Lifting, p.planned));
    refused(
        &check(&start(), &p, &f),
        "cross_work_uncoordinated",
        "GB 30871-2022 4.7",
    );
    p.linked_permits.push("other".into());
    refused(
        &check(&start(), &p, &f),
        "cross_work_uncoordinated",
        "GB 30871-2022 4.7",
    );
    p.cross_work_coordinator = Some("协调人".into());
    allowed(&check(&start(), &p, &f));
    // Touching windows do not overlap; other equipment is another place; closed permits do not count.
    p.linked_permits.clear();
    f.other_permits = vec![other(
        WorkKind::Lifting,
        Window::new(p.planned.start_ms - HOUR_MS, p.planned.start_ms),
    )];
    allowed(&check(&start(), &p, &f));
    let mut o = other(WorkKind::Lifting, p.planned);
    o.location.equipment_id = Some("E2".into());
    f.other_permits = vec![o];
    allowed(&check(&start(), &p, &f));
    let mut o = other(WorkKind::Lifting, p.planned);
    o.state = PermitState::Closed;
    f.other_permits = vec![o];
    allowed(&check(&start(), &p, &f));
}

#[test]
fn clause_7_10_no_two_blinding_jobs_on_one_pipeline_at_once() {
    let (p, mut f) = ready(WorkKind::Blinding);
    let mut o = other(WorkKind::Blinding, p.planned);
    o.location.installation_id = "I2".into();
    f.other_permits.push(o.clone());
    refused(
        &check(&start(), &p, &f),
        "blinding_same_pipeline",
        "GB 30871-2022 7.10",
    );
    o.pipeline_id = Some("L-200".into());
    f.other_permits = vec![o];
    allowed(&check(&start(), &p, &f));
}

#[test]
fn clause_7_6_no_hot_work_within_30_m_of_blinding_in_a_hazardous_area() {
    let (mut p, mut f) = ready(WorkKind::Blinding);
    p.work = Work::Blinding(BlindingDetails {
        action: Some(BlindingAction::Remove),
        plates: vec!["B-02".into()],
        pipeline_id: "L-100".into(),
        fire_explosion_hazard_area: true,
        ..Default::default()
    });
    p.location = Location {
        installation_id: "I1".into(),
        equipment_id: None,
        place: String::new(),
        coordinates: Some(Coordinates {
            lat: 30.0,
            lon: 120.0,
        }),
    };
    // ~1.11 m per 1e-5 degree of latitude: 29 m and 31 m away, in another installation.
    let hot_at = |dlat: f64| {
        let mut o = other(WorkKind::HotWork, p.planned);
        o.location = Location {
            installation_id: "I9".into(),
            equipment_id: None,
            place: String::new(),
            coordinates: Some(Coordinates {
                lat: 30.0 + dlat,
                lon: 120.0,
            }),
        };
        o
    };
    f.other_permits = vec![hot_at(29.0 / 111_195.0)];
    refused(
        &check(&start(), &p, &f),
        "hot_work_within_30m_of_blinding",
        "GB 30871-2022 7.6",
    );
    f.other_permits = vec![hot_at(31.0 / 111_195.0)];
    allowed(&check(&start(), &p, &f));
}

#[test]
fn clause_7_11_one_blinding_permit_one_plate_one_action() {
    let f = facts(at(DAY, "08:00"));
    let mut p = permit(WorkKind::Blinding);
    allowed(&check(&Action::SubmitForApproval, &p, &f));
    p.work = Work::Blinding(BlindingDetails {
        action: Some(BlindingAction::Install),
        plates: vec!["B-01".into(), "B-02".into()],
        pipeline_id: "L".into(),
        ..Default::default()
    });
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "blinding_one_plate_one_action",
        "GB 30871-2022 7.11",
    );
    p.work = Work::Blinding(BlindingDetails {
        action: None,
        plates: vec!["B-01".into()],
        pipeline_id: "L".into(),
        ..Default::default()
    });
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "blinding_one_plate_one_action",
        "GB 30871-2022 7.11",
    );
}

// ───────────── re-issue (4.16, 4.17, 4.18) ─────────────

#[test]
fn clause_4_16_change_of_content_scope_or_place_requires_a_new_permit() {
    let (mut p, mut f) = ready(WorkKind::Height);
    let amend = Action::Amend {
        changes: vec![Change::LocationMoved],
    };
    let d = check(&amend, &p, &f);
    refused(&d, "reissue_required", "GB 30871-2022 4.16");
    refused(&d, "permit_must_not_be_altered", "GB 30871-2022 4.18");
    // Before approval the draft may be edited.
    p.state = PermitState::Draft;
    allowed(&check(&amend, &p, &f));
    // A change detected after issue blocks the start.
    p.state = PermitState::Reported;
    let mut moved = p.clone();
    moved.location.equipment_id = Some("E7".into());
    moved.content = "更换法兰".into();
    f.changes_since_issue = changes_between(&p, &moved);
    assert_eq!(
        f.changes_since_issue,
        vec![Change::Content, Change::LocationMoved]
    );
    refused(
        &check(&start(), &p, &f),
        "reissue_required",
        "GB 30871-2022 4.16",
    );
    let mut longer = p.clone();
    longer.planned.end_ms += 1;
    assert_eq!(changes_between(&p, &longer), vec![Change::ValidityExtended]);
}

#[test]
fn clause_4_17_change_of_conditions_or_method_requires_a_new_permit() {
    let (p, mut f) = working(WorkKind::HotWork);
    let mut q = p.clone();
    q.work = Work::HotWork(HotWorkConditions {
        method: "气割".into(),
        ..Default::default()
    });
    assert_eq!(changes_between(&p, &q), vec![Change::WorkMethod]);
    q.outdoor = true;
    q.work = hot(HotWorkConditions {
        pipe_rack: true,
        ..Default::default()
    });
    assert_eq!(
        changes_between(&p, &q),
        vec![Change::WorkConditions, Change::Environment]
    );
    f.changes_since_issue = vec![Change::ProcessConditions];
    refused(
        &check(&Action::Continue, &p, &f),
        "reissue_required",
        "GB 30871-2022 4.17",
    );
    // Records are not changes.
    let mut r = p.clone();
    r.gas_tests.push(gas(at(DAY, "10:00")));
    r.state = PermitState::Suspended;
    assert!(changes_between(&p, &r).is_empty());
}

// ───────────── checklist (Annex A, 4.11 c) ─────────────

#[test]
fn clause_4_11_c_every_measure_is_answered_and_confirmed_before_approval() {
    let f = facts(at(DAY, "08:00"));
    let mut p = permit(WorkKind::RoadClosure);
    allowed(&check(&Action::SubmitForApproval, &p, &f));
    p.measures.retain(|m| m.no != 2);
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "measure_unanswered",
        "GB 30871-2022 4.11 c)",
    );
    p.measures = answer_all(WorkKind::RoadClosure);
    p.measures[1].confirmed_by = None;
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "measure_unconfirmed",
        "GB 30871-2022 4.11 c)",
    );
    // Row 3 (night warning lamps) may be "not applicable" by day, not at night.
    p.measures = answer_all(WorkKind::RoadClosure);
    p.measures[2] = MeasureCheck {
        no: 3,
        applicable: Some(false),
        ..Default::default()
    };
    allowed(&check(&Action::SubmitForApproval, &p, &f));
    p.planned.end_ms = at(DAY, "19:00");
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "measure_required",
        "GB 30871-2022 12.4",
    );
    // An unknown row and an incomplete "other measures" row.
    let mut q = permit(WorkKind::RoadClosure);
    q.measures.push(MeasureCheck {
        no: 9,
        applicable: Some(true),
        ..Default::default()
    });
    refused(
        &check(&Action::SubmitForApproval, &q, &f),
        "measure_unknown",
        "GB 30871-2022 4.18",
    );
    let mut q = permit(WorkKind::RoadClosure);
    q.measures.push(MeasureCheck {
        no: 4,
        applicable: Some(true),
        text: Some("专人指挥".into()),
        ..Default::default()
    });
    refused(
        &check(&Action::SubmitForApproval, &q, &f),
        "other_measures_incomplete",
        "GB 30871-2022 附录A",
    );
}

#[test]
fn annex_a_mandatory_measures_cannot_be_marked_not_applicable() {
    let f = facts(at(DAY, "08:45"));
    let mut p = permit(WorkKind::HotWork);
    p.work = hot(special_hot());
    p.state = PermitState::GasAnalysis;
    p.gas_tests.push(gas(at(DAY, "08:40")));
    // Row 14, the explosion-proof camera, is required for 特级 (5.2.11).
    p.measures[13] = MeasureCheck {
        no: 14,
        applicable: Some(false),
        ..Default::default()
    };
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "measure_required",
        "GB 30871-2022 5.2.11",
    );
    // …but not for 二级.
    p.work = hot(HotWorkConditions::default());
    allowed(&check(&Action::SubmitForApproval, &p, &f));
    // Height ≥ 30 m needs communication (8.2.1), at 29.9 m it may be n/a.
    let mut h = permit(WorkKind::Height);
    h.measures[10] = MeasureCheck {
        no: 11,
        applicable: Some(false),
        ..Default::default()
    };
    h.work = Work::Height(HeightConditions {
        height_m: 29.9,
        ..Default::default()
    });
    allowed(&check(&Action::SubmitForApproval, &h, &f));
    h.work = Work::Height(HeightConditions {
        height_m: 30.0,
        ..Default::default()
    });
    refused(
        &check(&Action::SubmitForApproval, &h, &f),
        "measure_required",
        "GB 30871-2022 8.2.1",
    );
}

#[test]
fn annex_a_each_form_has_its_standard_measures_in_both_languages() {
    let counts = [16, 15, 11, 15, 20, 14, 11, 4];
    for (kind, n) in WorkKind::ALL.into_iter().zip(counts) {
        let list = checklist(kind);
        assert_eq!(list.len(), n, "{kind:?} {}", kind.form());
        assert!(list.iter().all(|i| !i.zh.is_empty() && !i.en.is_empty()));
    }
}

// ───────────── plans and weather ─────────────

#[test]
fn clause_9_2_1_level_1_and_2_lifting_needs_an_approved_plan() {
    let f = facts(at(DAY, "08:00"));
    let mut p = permit(WorkKind::Lifting);
    p.work = Work::Lifting(LiftingDetails {
        mass_t: 40.0,
        ..Default::default()
    });
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "lifting_plan_missing",
        "GB 30871-2022 9.2.1",
    );
    p.work = Work::Lifting(LiftingDetails {
        mass_t: 40.0,
        plan_approved: true,
        ..Default::default()
    });
    allowed(&check(&Action::SubmitForApproval, &p, &f));
    p.work = Work::Lifting(LiftingDetails {
        mass_t: 39.0,
        complex_load: true,
        ..Default::default()
    });
    refused(
        &check(&Action::SubmitForApproval, &p, &f),
        "lifting_plan_missing",
        "GB 30871-2022 9.2.1",
    );
}

#[test]
fn clause_8_2_6_no_outdoor_work_at_height_in_wind_of_force_5_or_fog() {
    let (mut p, mut f) = ready(WorkKind::Height);
    p.outdoor = true;
    f.weather.wind_force = Some(4);
    allowed(&check(&start(), &p, &f));
    f.weather.wind_force = Some(5);
    refused(
        &check(&start(), &p, &f),
        "height_bad_weather",
        "GB 30871-2022 8.2.6",
    );
    f.weather = Weather {
        dense_fog: true,
        ..Default::default()
    };
    refused(
        &check(&start(), &p, &f),
        "height_bad_weather",
        "GB 30871-2022 8.2.6",
    );
}

#[test]
fn clause_9_2_4_no_outdoor_lifting_in_wind_of_force_6_snow_rain_or_fog() {
    let (mut p, mut f) = ready(WorkKind::Lifting);
    p.outdoor = true;
    f.weather.wind_force = Some(5);
    allowed(&check(&start(), &p, &f));
    for w in [
        Weather {
            wind_force: Some(6),
            ..Default::default()
        },
        Weather {
            heavy_snow: true,
            ..Default::default()
        },
        Weather {
            heavy_rain: true,
            ..Default::default()
        },
        Weather {
            dense_fog: true,
            ..Default::default()
        },
    ] {
        f.weather = w;
        refused(
            &check(&start(), &p, &f),
            "lifting_bad_weather",
            "GB 30871-2022 9.2.4",
        );
    }
}

#[test]
fn clause_8_2_11_work_at_height_reconfirms_conditions_before_resuming() {
    let (mut p, f) = working(WorkKind::Height);
    p.state = PermitState::Suspended;
    p.suspended_at_ms = Some(at(DAY, "09:10"));
    let no = Action::Resume {
        conditions_reconfirmed: false,
    };
    refused(
        &check(&no, &p, &f),
        "height_reconfirmation_required",
        "GB 30871-2022 8.2.11",
    );
    allowed(&check(&resume(), &p, &f));
}

#[test]
fn clause_4_15_completed_work_is_accepted_by_a_named_person() {
    let (mut p, f) = working(WorkKind::Excavation);
    p.state = PermitState::Completed;
    refused(
        &check(&Action::Accept { by: "".into() }, &p, &f),
        "acceptance_signer_missing",
        "GB 30871-2022 4.15",
    );
    allowed(&check(
        &Action::Accept {
            by: "验收人".into(),
        },
        &p,
        &f,
    ));
}

// ───────────── serde ─────────────

#[test]
fn permit_facts_and_actions_read_and_write_snake_case_json() {
    let (p, f) = ready(WorkKind::HotWork);
    let text = serde_json::to_string(&p).unwrap_or_default();
    assert!(text.contains("\"kind\":\"hot_work\""), "{text}");
    assert!(text.contains("\"state\":\"reported\""), "{text}");
    let back: Permit = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, p);
    let ft = serde_json::to_string(&f).unwrap_or_default();
    let fb: Facts = serde_json::from_str(&ft).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fb, f);
    let a: Action = serde_json::from_str(r#"{"action":"approve","step":"approver","role":"senior_manager","by":"u1","on_site":true}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.kind(), ActionKind::Approve);
    // Unknown fields and impossible dates are refused, not ignored.
    assert!(serde_json::from_str::<HolidayCalendar>(r#"{"holidays":["2023-02-29"]}"#).is_err());
    assert!(
        serde_json::from_str::<Action>(r#"{"action":"start","ticket_checked_by":"x","extra":1}"#)
            .is_err()
    );
    assert!(serde_json::from_str::<Work>(r#"{"kind":"height","height_m":3,"hight":1}"#).is_err());
    let cal: HolidayCalendar = serde_json::from_str(
        r#"{"holidays":["2024-10-01"],"night":{"start":"20:00","end":"06:00"}}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cal.utc_offset_minutes, 480);
    assert_eq!(cal.weekend, vec![Weekday::Saturday, Weekday::Sunday]);
    let d = check(&Action::Continue, &p, &f);
    let dj = serde_json::to_value(&d).unwrap_or_default();
    assert_eq!(dj["refusals"][0]["code"], "invalid_transition");
}

// ───────────── properties ─────────────

fn arb_time() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => at("2024-01-01", "00:00")..at("2025-01-01", "00:00"),
        1 => any::<i64>(),
        1 => Just(i64::MIN),
        1 => Just(i64::MAX),
    ]
}

fn arb_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => -1.0..120.0f64,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => prop::sample::select(vec![0.2, 0.5, 4.0, 19.5, 21.0, 23.5, 2.0, 5.0, 15.0, 30.0, 40.0, 100.0]),
    ]
}

fn arb_kind() -> impl Strategy<Value = WorkKind> {
    prop::sample::select(WorkKind::ALL.to_vec())
}

fn arb_state() -> impl Strategy<Value = PermitState> {
    prop::sample::select(PermitState::ALL.to_vec())
}

fn arb_work() -> impl Strategy<Value = Work> {
    (
        arb_kind(),
        arb_f64(),
        prop::collection::vec(any::<bool>(), 12),
        0usize..4,
    )
        .prop_map(|(kind, x, b, n)| match kind {
            WorkKind::HotWork => Work::HotWork(HotWorkConditions {
                method: "电焊".into(),
                fixed_hot_work_area: b[0] && b[1] && b[2],
                fire_explosion_hazard_area: b[1],
                on_operating_equipment: b[2],
                hot_tapping_without_purge: b[3],
                major_hazard_tank_farm_dike: b[4],
                pipe_rack: b[5],
                shutdown_downgrade_approved: b[6],
                other_special_circumstance: b[7],
                production_necessity_in_wind: b[8],
                oxygen_equipment: b[9],
                plan_approved: b[10],
                ..Default::default()
            }),
            WorkKind::ConfinedSpace => Work::ConfinedSpace(ConfinedSpaceDetails {
                oxygen_enriched: b[0],
                ..Default::default()
            }),
            WorkKind::Blinding => Work::Blinding(BlindingDetails {
                action: if b[0] {
                    Some(BlindingAction::Remove)
                } else {
                    None
                },
                plates: (0..n).map(|i| format!("B{i}")).collect(),
                pipeline_id: if b[1] { "L1".into() } else { String::new() },
                fire_explosion_hazard_area: b[2],
                ..Default::default()
            }),
            WorkKind::Height => Work::Height(HeightConditions {
                height_m: x,
                hazard_factors: if b[0] {
                    vec![HeightHazardFactor::PoorLight]
                } else {
                    vec![]
                },
                situations: if b[1] {
                    vec![HeightSituation::Rain]
                } else {
                    vec![]
                },
            }),
            WorkKind::Lifting => Work::Lifting(LiftingDetails {
                mass_t: x,
                complex_load: b[0],
                plan_approved: b[1],
                ..Default::default()
            }),
            WorkKind::TemporaryPower => Work::TemporaryPower(TemporaryPowerDetails {
                fire_explosion_hazard_area: b[0],
                special_case: b[1],
                serves_permit_id: if b[2] { Some("other".into()) } else { None },
                ..Default::default()
            }),
            WorkKind::Excavation => Work::Excavation(ExcavationDetails {
                depth_m: x,
                hazardous_area: b[0],
                buried_hazardous_lines: b[1],
            }),
            WorkKind::RoadClosure => Work::RoadClosure(RoadClosureDetails::default()),
        })
}

fn arb_gas() -> impl Strategy<Value = GasTest> {
    (
        arb_time(),
        prop::option::of(arb_f64()),
        prop::option::of(arb_f64()),
        prop::option::of(arb_f64()),
        prop::option::of(arb_f64()),
        prop::option::of(arb_f64()),
    )
        .prop_map(|(t, lel, m, o, tox, oel)| GasTest {
            taken_at_ms: t,
            lel_pct_vol: lel,
            measured_pct_vol: m,
            oxygen_pct_vol: o,
            toxic_ppm: tox,
            toxic_oel_ppm: oel,
            ..Default::default()
        })
}

fn arb_permit() -> impl Strategy<Value = Permit> {
    (
        arb_work(),
        arb_state(),
        arb_time(),
        prop_oneof![
            Just(8 * HOUR_MS),
            Just(72 * HOUR_MS),
            0i64..40 * DAY_MS,
            any::<i64>()
        ],
        prop::collection::vec(arb_gas(), 0..4),
        any::<bool>(),
        prop::option::of(arb_time()),
        prop::option::of(arb_time()),
        0usize..5,
    )
        .prop_map(
            |(w, state, start, len, gas_tests, outdoor, started, suspended, signed)| {
                let kind = w.kind();
                let mut p = permit(kind);
                p.work = w;
                p.state = state;
                p.outdoor = outdoor;
                p.planned = Window::new(start, start.saturating_add(len));
                p.gas_tests = gas_tests;
                p.started_at_ms = started;
                p.suspended_at_ms = suspended;
                for s in sign_off_chain(kind, None).into_iter().take(signed) {
                    p.approvals.push(Approval {
                        step: s.step,
                        role: s.role,
                        by: "x".into(),
                        at_ms: 0,
                        on_site: true,
                    });
                }
                p
            },
        )
}

fn arb_facts() -> impl Strategy<Value = Facts> {
    (
        arb_time(),
        any::<i32>(),
        prop::option::of(0u8..13),
        prop::option::of(arb_time()),
        any::<bool>(),
        arb_kind(),
        arb_state(),
    )
        .prop_map(|(now, off, wind, alarm, other_permit, okind, ostate)| {
            let mut f = Facts::at(now);
            f.calendar.utc_offset_minutes = off % (15 * 60);
            f.weather.wind_force = wind;
            f.last_gas_alarm_ms = alarm;
            f.gas_alarm_active = other_permit && wind.is_some_and(|w| w > 10);
            if other_permit {
                let mut o = permit(okind);
                o.id = "other".into();
                o.state = ostate;
                o.planned = Window::new(now.saturating_sub(HOUR_MS), now.saturating_add(HOUR_MS));
                f.other_permits.push(o.summary());
            }
            f
        })
}

fn arb_action() -> impl Strategy<Value = Action> {
    (
        prop::sample::select(ActionKind::ALL.to_vec()),
        any::<bool>(),
        0usize..4,
    )
        .prop_map(|(k, b, i)| match k {
            ActionKind::SubmitForGasAnalysis => Action::SubmitForGasAnalysis,
            ActionKind::SubmitForApproval => Action::SubmitForApproval,
            ActionKind::Approve => {
                let steps = [
                    SignOff::WorkLeader,
                    SignOff::OwningUnit,
                    SignOff::SafetyDepartment,
                    SignOff::Approver,
                ];
                let roles = [
                    ApproverRole::WorkLeader,
                    ApproverRole::OwningUnit,
                    ApproverRole::SafetyDepartment,
                    ApproverRole::SeniorManager,
                ];
                Action::Approve {
                    step: steps[i],
                    role: roles[i],
                    by: if b { "x".into() } else { String::new() },
                    on_site: b,
                }
            }
            ActionKind::ReportToRegulator => Action::ReportToRegulator,
            ActionKind::Start => Action::Start {
                ticket_checked_by: b.then(|| "班长".into()),
            },
            ActionKind::Continue => Action::Continue,
            ActionKind::Suspend => Action::Suspend,
            ActionKind::Resume => Action::Resume {
                conditions_reconfirmed: b,
            },
            ActionKind::Complete => Action::Complete,
            ActionKind::Accept => Action::Accept {
                by: if b { "x".into() } else { String::new() },
            },
            ActionKind::Close => Action::Close,
            ActionKind::Cancel => Action::Cancel,
            ActionKind::Void => Action::Void,
            ActionKind::Amend => Action::Amend {
                changes: if b { vec![Change::Content] } else { vec![] },
            },
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// No input makes the engine panic; every refusal names a clause, a code, the fact and
    /// both messages; an allowed decision follows the transition table.
    #[test]
    fn check_is_total_and_every_refusal_is_complete(a in arb_action(), p in arb_permit(), f in arb_facts()) {
        let d = check(&a, &p, &f);
        prop_assert_eq!(d.allowed, d.refusals.is_empty());
        for r in &d.refusals {
            prop_assert!(r.clause.starts_with("GB 30871-2022") || r.clause == LIFECYCLE_CLAUSE
                || r.clause == REGULATOR_REPORT_CLAUSE || r.clause == ENTERPRISE_RULE_CLAUSE, "{}", r.clause);
            prop_assert!(!r.code.is_empty() && r.code.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()), "{}", r.code);
            prop_assert!(!r.fact.is_empty() && !r.message_zh.is_empty() && !r.message_en.is_empty());
        }
        if d.allowed {
            let to = d.to;
            prop_assert!(to.is_some());
            let expected = transition(p.state, a.kind());
            prop_assert!(to == expected || (a.kind() == ActionKind::Approve && to == Some(PermitState::Approved)));
        }
        let _ = next_actions(&p, &f);
        let _ = serde_json::to_string(&d);
    }

    /// Terminal states never transition.
    #[test]
    fn terminal_states_refuse_every_action(a in arb_action(), mut p in arb_permit(), f in arb_facts(),
        s in prop::sample::select(vec![PermitState::Closed, PermitState::Cancelled, PermitState::Voided])) {
        p.state = s;
        let d = check(&a, &p, &f);
        prop_assert!(!d.allowed);
        prop_assert!(d.to.is_none());
    }

    /// A permit that may be submitted or approved is never longer than its kind's maximum.
    #[test]
    fn validity_never_exceeds_the_kinds_maximum(mut p in arb_permit(), f in arb_facts(), approve in any::<bool>()) {
        p.state = if approve { PermitState::Approving } else { PermitState::GasAnalysis };
        let level = effective_level(&p, &f);
        let a = if approve {
            match sign_off_chain(p.kind(), level).into_iter().find(|s| !p.approvals.iter().any(|x| x.step == s.step && x.role == s.role)) {
                Some(s) => Action::Approve { step: s.step, role: s.role, by: "x".into(), on_site: true },
                None => return Ok(()),
            }
        } else {
            Action::SubmitForApproval
        };
        let d = check(&a, &p, &f);
        if d.allowed {
            prop_assert!(p.planned.is_valid());
            if let Some((max, _)) = max_validity(&p, level, &f.config) {
                prop_assert!(p.planned.duration_ms() <= max);
            }
            let hard = match p.kind() {
                WorkKind::HotWork => Some(72 * HOUR_MS),
                WorkKind::ConfinedSpace => Some(24 * HOUR_MS),
                WorkKind::Height => Some(7 * DAY_MS),
                WorkKind::TemporaryPower => Some(30 * DAY_MS),
                _ => None,
            };
            if let Some(h) = hard {
                prop_assert!(p.planned.duration_ms() <= h);
            }
        }
    }

    /// Escalation raises the hot-work level by at most one step (one-step policy) and never
    /// lowers it.
    #[test]
    fn escalation_is_at_most_one_step_and_never_lowers(w in arb_work(), start in arb_time(), len in 0i64..5 * DAY_MS, wind in prop::option::of(0u8..13), outdoor in any::<bool>()) {
        let Work::HotWork(c) = w else { return Ok(()); };
        let cal = HolidayCalendar::default();
        let ctx = HotWorkContext { window: Window::new(start, start.saturating_add(len)), outdoor, calendar: &cal, wind_force: wind, policy: EscalationPolicy::OneStep };
        if let Ok(d) = derive_hot_work_level(&c, &ctx) {
            prop_assert!(d.level.rank() >= d.base.rank());
            prop_assert!(d.level.rank() <= d.base.rank() + 1);
        }
    }

    /// The height level never falls as the height rises.
    #[test]
    fn height_level_is_monotone_in_height(h1 in 2.0..200.0f64, h2 in 2.0..200.0f64, b in any::<bool>()) {
        let f = |h| derive_height_level(&HeightConditions { height_m: h, hazard_factors: if b { vec![HeightHazardFactor::PoorLight] } else { vec![] }, situations: vec![] }).map(|d| d.level).ok();
        let (lo, hi) = if h1 <= h2 { (h1, h2) } else { (h2, h1) };
        prop_assert!(f(lo) <= f(hi));
    }

    /// A flammable result passes exactly when it is at most the 5.3.2 limit for its LEL.
    #[test]
    fn flammable_pass_iff_at_most_the_limit(lel in 0.5..20.0f64, m in 0.0..2.0f64) {
        let t = GasTest { lel_pct_vol: Some(lel), measured_pct_vol: Some(m), ..gas(0) };
        let limit = if lel >= 4.0 { 0.5 } else { 0.2 };
        prop_assert_eq!(evaluate(&t, HOT2).is_empty(), m <= limit);
    }
}
