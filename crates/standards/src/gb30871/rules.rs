//! 规则引擎 — given a permit, an action and the facts, says whether the action is
//! allowed and, if not, every reason, each naming its clause and the fact that failed.

use super::approvals::{ChainStep, sign_off_chain};
use super::calendar::{DAY_MS, HOUR_MS, HolidayCalendar, MINUTE_MS, Window, format_duration};
use super::checklist::{ChecklistContext, Requirement, checklist};
use super::gas::{
    GasRegime, GasTest, MONITORING_RECORD_INTERVAL_MS, SAMPLE_MAX_AGE_MS, evaluate_gas_test,
    latest_per_point,
};
use super::kinds::{
    CertificateKind, Change, OtherPermit, Permit, Weather, Work, WorkKind, WorkerRole,
};
use super::levels::{
    EscalationPolicy, HotWorkContext, HotWorkLevel, LevelReason, PermitLevel, derive_height_level,
    derive_hot_work_level, derive_lifting_level,
};
use super::lifecycle::{Action, ActionKind, PermitState, transition};
use serde::{Deserialize, Serialize};

/// Clause text for rules that belong to weihua's lifecycle, not to the standard.
pub const LIFECYCLE_CLAUSE: &str = "weihua permit lifecycle (not a GB 30871-2022 clause)";
/// Clause text for the online report to the regulator.
pub const REGULATOR_REPORT_CLAUSE: &str =
    "regulator online report (regional rule, not a GB 30871-2022 clause)";
/// Clause text for limits an enterprise configured where the standard sets none.
pub const ENTERPRISE_RULE_CLAUSE: &str = "enterprise rule (configured, not a GB 30871-2022 clause)";

/// 不允许的理由 — one reason an action is refused.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refusal {
    /// The clause, e.g. `GB 30871-2022 5.3.1 c)`, or a marked non-standard rule.
    pub clause: &'static str,
    /// Stable snake_case id, e.g. `gas_sample_too_old`.
    pub code: &'static str,
    /// The fact that failed, with its value, e.g. `gas sample age = 31 min > 30 min`.
    pub fact: String,
    /// 中文说明.
    pub message_zh: String,
    /// English explanation.
    pub message_en: String,
}

impl Refusal {
    /// A refusal.
    pub fn new(
        clause: &'static str,
        code: &'static str,
        fact: String,
        message_zh: String,
        message_en: String,
    ) -> Self {
        Self {
            clause,
            code,
            fact,
            message_zh,
            message_en,
        }
    }
}

/// 判定 — the answer for one action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// The action judged.
    pub action: ActionKind,
    /// The permit's state.
    pub from: PermitState,
    /// Whether it is allowed (no refusals).
    pub allowed: bool,
    /// The state it leads to, when allowed.
    pub to: Option<PermitState>,
    /// Every reason it is refused (empty when allowed).
    pub refusals: Vec<Refusal>,
}

impl Decision {
    /// Whether a refusal with this code is present.
    pub fn has(&self, code: &str) -> bool {
        self.refusals.iter().any(|r| r.code == code)
    }
}

/// Which certificate a role needs (4.9 special-trade workers, 4.10 guardians).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateRequirement {
    /// The kind of work, or `None` for every kind.
    pub kind: Option<WorkKind>,
    /// The role.
    pub role: WorkerRole,
    /// The certificate it needs.
    pub certificate: CertificateKind,
}

/// The default certificate requirements. **Assumed** mapping: GB 30871-2022 4.9 only
/// says "相应资格证书" (the forms record 动火人证书编号 and 电工证号; Table A.5 row 11
/// asks lifting personnel for statutory certificates), 4.10 says guardians hold a
/// training certificate.
pub fn default_certificate_requirements() -> Vec<CertificateRequirement> {
    use CertificateKind as C;
    use WorkerRole as W;
    let req = |kind, role, certificate| CertificateRequirement {
        kind,
        role,
        certificate,
    };
    vec![
        req(Some(WorkKind::HotWork), W::HotWorker, C::WeldingAndCutting),
        req(
            Some(WorkKind::TemporaryPower),
            W::Electrician,
            C::Electrician,
        ),
        req(Some(WorkKind::Lifting), W::CraneOperator, C::CraneOperator),
        req(Some(WorkKind::Lifting), W::Signaller, C::CraneSignaller),
        req(None, W::Scaffolder, C::WorkAtHeight),
        req(None, W::Guardian, C::GuardianTraining),
    ]
}

/// A maximum validity an enterprise sets for a kind (hours). For kinds the standard
/// limits, only a stricter value has an effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindValidity {
    /// The kind.
    pub kind: WorkKind,
    /// Maximum validity in hours.
    pub max_hours: u32,
}

/// 配置 — what the standard leaves to the enterprise or region. Every default is marked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleConfig {
    /// Work may start only after the online report to the regulator (default true;
    /// regional rule, not GB 30871-2022).
    pub require_regulator_report: bool,
    /// Hot work starts only after the shift leader checked the ticket (default true;
    /// Table A.1 "动火前，岗位当班班长验票").
    pub require_shift_leader_check: bool,
    /// How escalation causes combine (default one step; **assumed**).
    pub escalation: EscalationPolicy,
    /// Permits within this distance (m) count as the same place for cross-work, when
    /// both have coordinates (default 30 m; **assumed**, taken from 7.6's 30 m).
    pub cross_work_radius_m: f64,
    /// Maximum age of the flammable-gas sample before connecting temporary power in a
    /// hazardous area (default 30 min; **assumed**: 10.1 gives no interval, 30 min
    /// follows 5.3.1 c).
    pub temporary_power_gas_max_age_min: u32,
    /// Enterprise validity limits (default none: GB 30871-2022 sets no limit for
    /// blinding, lifting, excavation and road closure).
    pub extra_validity: Vec<KindValidity>,
    /// Certificates by kind and role (default [`default_certificate_requirements`]).
    pub certificate_requirements: Vec<CertificateRequirement>,
}

impl Default for RuleConfig {
    fn default() -> Self {
        Self {
            require_regulator_report: true,
            require_shift_leader_check: true,
            escalation: EscalationPolicy::OneStep,
            cross_work_radius_m: 30.0,
            temporary_power_gas_max_age_min: 30,
            extra_validity: Vec::new(),
            certificate_requirements: default_certificate_requirements(),
        }
    }
}

/// 事实 — everything the engine needs besides the permit. Time is passed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// 当前时间 — now, UTC epoch ms.
    pub now_ms: i64,
    /// Holidays, rest days, night and the local UTC offset.
    #[serde(default)]
    pub calendar: HolidayCalendar,
    /// Weather now.
    #[serde(default)]
    pub weather: Weather,
    /// Other permits (open or not; the engine filters).
    #[serde(default)]
    pub other_permits: Vec<OtherPermit>,
    /// 最近一次气体报警 — when the last gas alarm at the work place went off, active or
    /// cleared (5.2.6, 6.5). With gas analysis, a passing test after it is needed.
    #[serde(default)]
    pub last_gas_alarm_ms: Option<i64>,
    /// 气体报警未消除 — a gas alarm at the work place is active now: work stops (4.8,
    /// 5.2.6, 6.5) whatever the kind.
    #[serde(default)]
    pub gas_alarm_active: bool,
    /// Changes since the permit was issued (see [`super::changes_between`]).
    #[serde(default)]
    pub changes_since_issue: Vec<Change>,
    /// Configuration.
    #[serde(default)]
    pub config: RuleConfig,
}

impl Facts {
    /// Facts at `now_ms` with the default calendar (China, Sat/Sun, night 18:00–06:00)
    /// and configuration, no weather, no other permits.
    pub fn at(now_ms: i64) -> Self {
        Self {
            now_ms,
            calendar: HolidayCalendar::default(),
            weather: Weather::default(),
            other_permits: Vec::new(),
            last_gas_alarm_ms: None,
            gas_alarm_active: false,
            changes_since_issue: Vec::new(),
            config: RuleConfig::default(),
        }
    }
}

// ───────────── retention ─────────────

/// 保存期限 — how long a closed permit and its video must be kept (Annex B.3: tickets
/// at least one year, process video at least one month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Retention {
    /// The ticket may be purged from this instant (UTC epoch ms), not before.
    pub ticket_until_ms: i64,
    /// The process video may be purged from this instant, not before.
    pub video_until_ms: i64,
    /// `GB 30871-2022 附录B B.3`.
    pub clause: &'static str,
}

/// When a permit closed at `closed_at_ms` (local calendar of `cal`) may be purged: one
/// calendar year and one calendar month later (Annex B.3, informative).
pub fn retention(closed_at_ms: i64, cal: &HolidayCalendar) -> Retention {
    Retention {
        ticket_until_ms: cal.add_months_at_least(closed_at_ms, 12),
        video_until_ms: cal.add_months_at_least(closed_at_ms, 1),
        clause: "GB 30871-2022 附录B B.3",
    }
}

// ───────────── levels ─────────────

/// The level a permit is managed at, with the refusals and reasons behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelAssessment {
    /// Derived from the inputs (None for kinds without levels, or not derivable).
    pub derived: Option<PermitLevel>,
    /// The level used by the rules: the more severe of declared and derived.
    pub effective: Option<PermitLevel>,
    /// Why the level is what it is.
    pub reasons: Vec<LevelReason>,
    /// Problems with the level.
    pub refusals: Vec<Refusal>,
}

fn hot_ctx<'a>(p: &Permit, f: &'a Facts, window: Window) -> HotWorkContext<'a> {
    HotWorkContext {
        window,
        outdoor: p.outdoor,
        calendar: &f.calendar,
        wind_force: f.weather.wind_force,
        policy: f.config.escalation,
    }
}

/// Derives the permit's level over its planned window and compares it with the
/// declared one (5.1, 8.1, 9.1; the approver checks it, 4.11 b).
pub fn assess_level(p: &Permit, f: &Facts) -> LevelAssessment {
    let mut out = LevelAssessment {
        derived: None,
        effective: None,
        reasons: Vec::new(),
        refusals: Vec::new(),
    };
    let (derived, clause) = match &p.work {
        Work::HotWork(c) => match derive_hot_work_level(c, &hot_ctx(p, f, p.planned)) {
            Ok(d) => {
                out.reasons = d.reasons;
                (Some(PermitLevel::HotWork(d.level)), "GB 30871-2022 5.1.1")
            }
            Err(e) => {
                out.refusals.push(Refusal::new(
                    e.clause,
                    e.code,
                    e.fact,
                    e.message_zh,
                    e.message_en,
                ));
                (None, e.clause)
            }
        },
        Work::Height(c) => match derive_height_level(c) {
            Ok(d) => {
                out.reasons = d.reasons;
                (Some(PermitLevel::Height(d.level)), "GB 30871-2022 8.1.3")
            }
            Err(e) => {
                out.refusals.push(Refusal::new(
                    e.clause,
                    e.code,
                    e.fact,
                    e.message_zh,
                    e.message_en,
                ));
                (None, e.clause)
            }
        },
        Work::Lifting(l) => match derive_lifting_level(l.mass_t, l.complex_load) {
            Ok(d) => {
                out.reasons = d.reasons;
                (Some(PermitLevel::Lifting(d.level)), "GB 30871-2022 9.1")
            }
            Err(e) => {
                out.refusals.push(Refusal::new(
                    e.clause,
                    e.code,
                    e.fact,
                    e.message_zh,
                    e.message_en,
                ));
                (None, e.clause)
            }
        },
        _ => (None, "GB 30871-2022 第6、7、10、11、12章"),
    };
    out.derived = derived;
    out.effective = derived;
    let kind = p.kind();
    match (p.declared_level, derived) {
        (None, _) => {}
        (Some(d), _) if !level_fits_kind(d, kind) => out.refusals.push(Refusal::new(
            clause,
            "level_not_applicable",
            format!("declared_level = {d:?}, kind = {kind:?}"),
            format!("申报级别“{}”不适用于{}", d.zh(), kind.zh()),
            format!(
                "the declared level '{}' does not apply to {}",
                d.en(),
                kind.en()
            ),
        )),
        (Some(d), Some(der)) if d.rank() < der.rank() => out.refusals.push(Refusal::new(
            clause,
            "level_below_required",
            format!("declared_level = {d:?} < derived {der:?}"),
            format!(
                "申报级别为{}，按作业场所、条件和时间应为{}",
                d.zh(),
                der.zh()
            ),
            format!(
                "the permit is declared {}, but the place, conditions and time make it {}",
                d.en(),
                der.en()
            ),
        )),
        (Some(d), Some(der)) => {
            if d.rank() > der.rank() {
                out.effective = Some(d);
            }
        }
        (Some(d), None) => out.effective = Some(d),
    }
    out
}

fn level_fits_kind(l: PermitLevel, k: WorkKind) -> bool {
    matches!(
        (l, k),
        (PermitLevel::HotWork(_), WorkKind::HotWork)
            | (PermitLevel::Height(_), WorkKind::Height)
            | (PermitLevel::Lifting(_), WorkKind::Lifting)
    )
}

/// The level the rules use for a permit.
pub fn effective_level(p: &Permit, f: &Facts) -> Option<PermitLevel> {
    assess_level(p, f).effective
}

fn hot_level(level: Option<PermitLevel>) -> HotWorkLevel {
    match level {
        Some(PermitLevel::HotWork(l)) => l,
        _ => HotWorkLevel::Special,
    }
}

// ───────────── validity ─────────────

/// The maximum validity of a permit in ms and the clause that sets it: 特级/一级 hot work
/// 8 h, 二级 72 h (5.1.5); confined space 24 h (6.10); height 7 d (8.2.11); temporary
/// power 15 d, 30 d in special cases (10.8); others only by enterprise rule. A hot-work
/// permit whose level is unknown gets the stricter 8 h.
pub fn max_validity(
    p: &Permit,
    level: Option<PermitLevel>,
    config: &RuleConfig,
) -> Option<(i64, &'static str)> {
    let kind = p.kind();
    let standard: Option<(i64, &'static str)> = match &p.work {
        Work::HotWork(_) => Some(match level {
            Some(PermitLevel::HotWork(HotWorkLevel::Two)) => (72 * HOUR_MS, "GB 30871-2022 5.1.5"),
            _ => (8 * HOUR_MS, "GB 30871-2022 5.1.5"),
        }),
        Work::ConfinedSpace(_) => Some((24 * HOUR_MS, "GB 30871-2022 6.10")),
        Work::Height(_) => Some((7 * DAY_MS, "GB 30871-2022 8.2.11")),
        Work::TemporaryPower(t) => Some(if t.special_case {
            (30 * DAY_MS, "GB 30871-2022 10.8")
        } else {
            (15 * DAY_MS, "GB 30871-2022 10.8")
        }),
        _ => None,
    };
    let configured = config
        .extra_validity
        .iter()
        .filter(|v| v.kind == kind)
        .map(|v| i64::from(v.max_hours).saturating_mul(HOUR_MS))
        .min()
        .map(|ms| (ms, ENTERPRISE_RULE_CLAUSE));
    match (standard, configured) {
        (Some(s), Some(c)) if c.0 < s.0 => Some(c),
        (Some(s), _) => Some(s),
        (None, c) => c,
    }
}

fn check_window(p: &Permit, level: Option<PermitLevel>, f: &Facts, out: &mut Vec<Refusal>) {
    let cal = &f.calendar;
    let w = p.planned;
    if !w.is_valid() {
        out.push(Refusal::new(
            "GB 30871-2022 附录A（作业实施时间）",
            "window_invalid",
            format!("planned = [{}, {})", w.start_ms, w.end_ms),
            format!(
                "作业实施时间无效：结束 {} 不晚于开始 {}",
                cal.format(w.end_ms),
                cal.format(w.start_ms)
            ),
            format!(
                "the planned window is invalid: the end {} is not after the start {}",
                cal.format(w.end_ms),
                cal.format(w.start_ms)
            ),
        ));
        return;
    }
    if let Some((max, clause)) = max_validity(p, level, &f.config) {
        let d = w.duration_ms();
        if d > max {
            let what_zh = match level {
                Some(l) => l.zh(),
                None => p.kind().zh().to_string(),
            };
            let what_en = match level {
                Some(l) => l.en(),
                None => p.kind().en().to_string(),
            };
            out.push(Refusal::new(
                clause,
                "validity_exceeds_max",
                format!(
                    "planned duration = {} > {}",
                    format_duration(d),
                    format_duration(max)
                ),
                format!(
                    "{what_zh}安全作业票有效期不应超过{}，计划时长为{}",
                    format_duration(max),
                    format_duration(d)
                ),
                format!(
                    "a {what_en} permit is valid for at most {}; the planned window is {}",
                    format_duration(max),
                    format_duration(d)
                ),
            ));
        }
    }
}

fn check_now_in_window(p: &Permit, f: &Facts, out: &mut Vec<Refusal>) {
    let cal = &f.calendar;
    let now = f.now_ms;
    if now < p.planned.start_ms {
        out.push(Refusal::new(
            "GB 30871-2022 4.10 a)",
            "not_yet_valid",
            format!("now {} < planned start {}", now, p.planned.start_ms),
            format!(
                "尚未到作业实施时间（自 {} 起），安全作业票尚未生效",
                cal.format(p.planned.start_ms)
            ),
            format!(
                "the planned window starts at {}; the permit is not valid yet",
                cal.format(p.planned.start_ms)
            ),
        ));
    } else if now >= p.planned.end_ms {
        out.push(Refusal::new(
            "GB 30871-2022 4.16",
            "validity_expired",
            format!("now {} ≥ planned end {}", now, p.planned.end_ms),
            format!(
                "安全作业票已于 {} 超过有效期限，应重新办理安全作业票",
                cal.format(p.planned.end_ms)
            ),
            format!(
                "the permit expired at {}; a new permit is required",
                cal.format(p.planned.end_ms)
            ),
        ));
    }
}

// ───────────── people ─────────────

fn check_people(p: &Permit, f: &Facts, out: &mut Vec<Refusal>) {
    let kind = p.kind();
    let cal = &f.calendar;
    if p.with_role(WorkerRole::Guardian).next().is_none() {
        out.push(Refusal::new(
            "GB 30871-2022 4.10",
            "guardian_missing",
            "workers with role guardian = 0".into(),
            "作业期间应设监护人，作业票未指定监护人".into(),
            "a guardian is required during the work and none is named".into(),
        ));
    }
    for g in p.with_role(WorkerRole::Guardian) {
        if let Some(r) = g.roles.iter().find(|r| r.is_hands_on()) {
            out.push(Refusal::new(
                "GB 30871-2022 4.10 f)",
                "guardian_has_other_duty",
                format!("guardian {} also has role {r:?}", g.name),
                format!(
                    "监护人{}同时担任{}，监护人不应从事与监护无关的事",
                    g.name,
                    r.zh()
                ),
                format!(
                    "guardian {} is also the {}; a guardian must do nothing but watch",
                    g.name,
                    r.en()
                ),
            ));
        }
    }
    let mut needed: Vec<(WorkerRole, &'static str)> = Vec::new();
    match kind {
        WorkKind::Lifting => {
            needed.push((WorkerRole::Signaller, "GB 30871-2022 9.2.6"));
            needed.push((WorkerRole::CraneOperator, "GB 30871-2022 附录A 表A.5"));
        }
        _ => needed.push((WorkerRole::WorkLeader, "GB 30871-2022 附录A")),
    }
    match kind {
        WorkKind::HotWork => needed.push((WorkerRole::HotWorker, "GB 30871-2022 附录A 表A.1")),
        WorkKind::TemporaryPower => {
            needed.push((WorkerRole::Electrician, "GB 30871-2022 附录A 表A.6"))
        }
        _ => {}
    }
    for (role, clause) in needed {
        if p.with_role(role).next().is_none() {
            out.push(Refusal::new(
                clause,
                "role_missing",
                format!("workers with role {role:?} = 0"),
                format!("{}安全作业票应填写{}", kind.zh(), role.zh()),
                format!("a {} permit must name its {}", kind.en(), role.en()),
            ));
        }
    }
    for req in &f.config.certificate_requirements {
        if req.kind.is_some_and(|k| k != kind) {
            continue;
        }
        let clause = if req.role == WorkerRole::Guardian {
            "GB 30871-2022 4.10"
        } else {
            "GB 30871-2022 4.9"
        };
        for w in p.with_role(req.role) {
            let best = w
                .certificates
                .iter()
                .filter(|c| c.kind == req.certificate && !c.number.trim().is_empty())
                .max_by_key(|c| c.expires_ms);
            match best {
                None => out.push(Refusal::new(
                    clause,
                    "certificate_missing",
                    format!("{} ({:?}) has no {:?}", w.name, req.role, req.certificate),
                    format!("{}{}未持有{}", req.role.zh(), w.name, req.certificate.zh()),
                    format!(
                        "{} {} holds no {}",
                        req.role.en(),
                        w.name,
                        req.certificate.en()
                    ),
                )),
                Some(c) if c.expires_ms < p.planned.end_ms => out.push(Refusal::new(
                    clause,
                    "certificate_expired",
                    format!(
                        "{} {:?} {} expires {} < planned end {}",
                        w.name, req.certificate, c.number, c.expires_ms, p.planned.end_ms
                    ),
                    format!(
                        "{}{}的{}（{}）于 {} 到期，早于作业结束时间 {}",
                        req.role.zh(),
                        w.name,
                        req.certificate.zh(),
                        c.number,
                        cal.format(c.expires_ms),
                        cal.format(p.planned.end_ms)
                    ),
                    format!(
                        "the {} of {} {} ({}) expires at {}, before the planned end {}",
                        req.certificate.en(),
                        req.role.en(),
                        w.name,
                        c.number,
                        cal.format(c.expires_ms),
                        cal.format(p.planned.end_ms)
                    ),
                )),
                Some(_) => {}
            }
        }
    }
}

// ───────────── kind-specific form rules ─────────────

fn check_kind_rules(p: &Permit, level: Option<PermitLevel>, f: &Facts, out: &mut Vec<Refusal>) {
    match &p.work {
        Work::HotWork(c) => {
            if hot_level(level) == HotWorkLevel::Special && !c.plan_approved {
                out.push(Refusal::new(
                    "GB 30871-2022 5.4.2 a)",
                    "special_hot_work_plan_missing",
                    "plan_approved = false".into(),
                    "特级动火作业应预先制定作业方案，落实安全防火防爆及应急措施".into(),
                    "special hot work needs a written work plan with its fire, explosion and emergency measures".into(),
                ));
            }
            if c.self_decomposing_material {
                out.push(Refusal::new(
                    "GB 30871-2022 5.4.2 c)",
                    "hot_work_on_self_decomposing_material",
                    "self_decomposing_material = true".into(),
                    "存在受热分解爆炸、自爆物料的管道和设备设施上不应进行动火作业".into(),
                    "no hot work on lines or equipment holding material that explodes when heated"
                        .into(),
                ));
            }
            if c.hot_tapping_without_purge && c.unit_unstable {
                out.push(Refusal::new(
                    "GB 30871-2022 5.4.2 d)",
                    "hot_tapping_on_unstable_unit",
                    "hot_tapping_without_purge = true, unit_unstable = true".into(),
                    "生产装置运行不稳定时，不应进行带压不置换动火作业".into(),
                    "no hot tapping without purge while the unit runs unstably".into(),
                ));
            }
        }
        Work::Blinding(b) => {
            if b.plates.len() != 1 || b.action.is_none() {
                out.push(Refusal::new(
                    "GB 30871-2022 7.11",
                    "blinding_one_plate_one_action",
                    format!("plates = {}, action = {:?}", b.plates.len(), b.action),
                    format!(
                        "一张盲板抽堵安全作业票只能进行一块盲板的一项作业（抽或堵）；本票有{}块盲板{}",
                        b.plates.len(),
                        if b.action.is_none() { "，且未指明抽或堵" } else { "" }
                    ),
                    format!(
                        "one blinding permit covers one plate and one action (install or remove); this one has {} plate(s){}",
                        b.plates.len(),
                        if b.action.is_none() { " and no action" } else { "" }
                    ),
                ));
            }
            if b.pipeline_id.trim().is_empty() {
                out.push(Refusal::new(
                    "GB 30871-2022 7.10",
                    "pipeline_missing",
                    "pipeline_id = \"\"".into(),
                    "应填写设备、管道名称，以判定同一管道上是否同时有其他盲板抽堵作业".into(),
                    "the equipment or pipeline must be named, to rule out a second blinding job on the same line".into(),
                ));
            }
        }
        Work::Lifting(l) => {
            if let Ok(d) = derive_lifting_level(l.mass_t, l.complex_load)
                && d.plan_required
                && !l.plan_approved
            {
                out.push(Refusal::new(
                    "GB 30871-2022 9.2.1",
                    "lifting_plan_missing",
                    format!(
                        "mass_t = {}, level = {:?}, plan_approved = false",
                        l.mass_t, d.level
                    ),
                    format!("{}吊装作业应编制吊装作业方案并经审批", d.level.zh()),
                    format!("{} lifting needs an approved lifting plan", d.level.en()),
                ));
            }
        }
        Work::TemporaryPower(t) => {
            if let Some(id) = t
                .serves_permit_id
                .as_deref()
                .filter(|s| !s.trim().is_empty())
            {
                match f.other_permits.iter().find(|o| o.id == id) {
                    None => out.push(Refusal::new(
                        "GB 30871-2022 10.8",
                        "served_permit_unknown",
                        format!("serves_permit_id = {id} not among the other permits"),
                        format!("临时用电服务的作业票 {id} 未找到，无法核对用电时间"),
                        format!("the permit {id} this temporary power serves is not known, so its time cannot be checked"),
                    )),
                    Some(o) if !matches!(o.kind, WorkKind::HotWork | WorkKind::ConfinedSpace) => {
                        out.push(Refusal::new(
                            "GB 30871-2022 10.8",
                            "served_permit_wrong_kind",
                            format!("served permit {id} kind = {:?}", o.kind),
                            format!("作业票 {id} 为{}，10.8仅约束用于动火、受限空间作业的临时用电", o.kind.zh()),
                            format!("permit {id} is {}; 10.8 ties temporary power to hot-work or confined-space permits only", o.kind.en()),
                        ))
                    }
                    Some(o) => {
                        if p.planned.start_ms < o.planned.start_ms || p.planned.end_ms > o.planned.end_ms {
                            let cal = &f.calendar;
                            out.push(Refusal::new(
                                "GB 30871-2022 10.8",
                                "temporary_power_outlasts_served_permit",
                                format!(
                                    "planned [{}, {}) not within served [{}, {})",
                                    p.planned.start_ms, p.planned.end_ms, o.planned.start_ms, o.planned.end_ms
                                ),
                                format!(
                                    "用于{}的临时用电时间应和相应作业时间一致（{} 至 {}）",
                                    o.kind.zh(),
                                    cal.format(o.planned.start_ms),
                                    cal.format(o.planned.end_ms)
                                ),
                                format!(
                                    "temporary power for {} must keep to that permit's time ({} to {})",
                                    o.kind.en(),
                                    cal.format(o.planned.start_ms),
                                    cal.format(o.planned.end_ms)
                                ),
                            ));
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

// ───────────── checklist ─────────────

fn hazardous_area(p: &Permit) -> bool {
    match &p.work {
        Work::HotWork(c) => c.fire_explosion_hazard_area,
        Work::Blinding(b) => b.fire_explosion_hazard_area,
        Work::TemporaryPower(t) => t.fire_explosion_hazard_area,
        Work::Excavation(e) => e.hazardous_area,
        _ => false,
    }
}

/// The context that decides which checklist rows a permit must answer "applicable".
pub fn checklist_context(p: &Permit, level: Option<PermitLevel>, f: &Facts) -> ChecklistContext {
    ChecklistContext {
        special_hot_work: matches!(p.work, Work::HotWork(_))
            && hot_level(level) == HotWorkLevel::Special,
        height_m: match &p.work {
            Work::Height(h) => Some(h.height_m),
            _ => None,
        },
        outdoor: p.outdoor,
        lifting_plan_required: match &p.work {
            Work::Lifting(l) => derive_lifting_level(l.mass_t, l.complex_load)
                .map(|d| d.plan_required)
                .unwrap_or(true),
            _ => false,
        },
        hazardous_area: hazardous_area(p),
        deep_excavation: matches!(&p.work, Work::Excavation(e) if e.as_confined_space()),
        night: f.calendar.special_times(&p.planned, None).night,
    }
}

fn check_checklist(p: &Permit, level: Option<PermitLevel>, f: &Facts, out: &mut Vec<Refusal>) {
    let kind = p.kind();
    let list = checklist(kind);
    let ctx = checklist_context(p, level, f);
    for m in &p.measures {
        if !list.iter().any(|i| i.no == m.no) {
            out.push(Refusal::new(
                "GB 30871-2022 4.18",
                "measure_unknown",
                format!("measures.no = {}", m.no),
                format!("{}没有第{}项安全措施", kind.form(), m.no),
                format!("{} has no safety measure no. {}", kind.form(), m.no),
            ));
        }
    }
    for item in list {
        let answer = p.measures.iter().rev().find(|m| m.no == item.no);
        let confirmed = answer
            .and_then(|a| a.confirmed_by.as_deref())
            .is_some_and(|c| !c.trim().is_empty());
        if item.requirement == Requirement::OtherMeasures {
            if let Some(a) = answer.filter(|a| a.applicable == Some(true)) {
                let text = a.text.as_deref().is_some_and(|t| !t.trim().is_empty());
                let author = a.author.as_deref().is_some_and(|t| !t.trim().is_empty());
                if !text || !author || !confirmed {
                    out.push(Refusal::new(
                        "GB 30871-2022 附录A",
                        "other_measures_incomplete",
                        format!("measures[{}]: text = {text}, author = {author}, confirmed = {confirmed}", item.no),
                        format!("第{}项“其他安全措施”应写明措施内容、编制人和确认人", item.no),
                        format!("row {} 'other safety measures' needs its text, its author and who confirmed it", item.no),
                    ));
                }
            }
            continue;
        }
        match answer.and_then(|a| a.applicable) {
            None => out.push(Refusal::new(
                "GB 30871-2022 4.11 c)",
                "measure_unanswered",
                format!("measures[{}].applicable = none", item.no),
                format!("安全措施第{}项“{}”未确认是否涉及", item.no, item.zh),
                format!("safety measure {} '{}' is not answered (applicable or not)", item.no, item.en),
            )),
            Some(false) if item.required(&ctx) => out.push(Refusal::new(
                item.clause,
                "measure_required",
                format!("measures[{}].applicable = false, required ({:?})", item.no, item.requirement),
                format!("安全措施第{}项“{}”为本作业必须落实的措施，不能选“不涉及”", item.no, item.zh),
                format!("safety measure {} '{}' is required for this work and cannot be 'not applicable'", item.no, item.en),
            )),
            Some(true) if !confirmed => out.push(Refusal::new(
                "GB 30871-2022 4.11 c)",
                "measure_unconfirmed",
                format!("measures[{}].confirmed_by = none", item.no),
                format!("安全措施第{}项“{}”涉及但无确认人", item.no, item.zh),
                format!("safety measure {} '{}' applies but nobody confirmed it", item.no, item.en),
            )),
            _ => {}
        }
    }
}

// ───────────── gas ─────────────

/// Which gas rules apply: hot work (5.3), confined space (6.3–6.5), deep excavation as a
/// confined space (11.10), temporary power in a hazardous area (10.1); none otherwise.
pub fn gas_regime(p: &Permit, level: Option<PermitLevel>) -> Option<GasRegime> {
    match &p.work {
        Work::HotWork(c) => Some(GasRegime::HotWork {
            level: hot_level(level),
            oxygen_equipment: c.oxygen_equipment,
        }),
        Work::ConfinedSpace(c) => Some(GasRegime::ConfinedSpace {
            oxygen_enriched: c.oxygen_enriched,
            via_excavation: false,
        }),
        Work::Excavation(e) if e.as_confined_space() => Some(GasRegime::ConfinedSpace {
            oxygen_enriched: false,
            via_excavation: true,
        }),
        Work::TemporaryPower(t) if t.fire_explosion_hazard_area => Some(GasRegime::TemporaryPower),
        _ => None,
    }
}

fn sample_max_age(regime: GasRegime, config: &RuleConfig) -> i64 {
    match regime {
        GasRegime::TemporaryPower => {
            i64::from(config.temporary_power_gas_max_age_min).saturating_mul(MINUTE_MS)
        }
        _ => SAMPLE_MAX_AGE_MS,
    }
}

fn tests_until(p: &Permit, now: i64) -> impl Iterator<Item = &GasTest> {
    p.gas_tests.iter().filter(move |t| t.taken_at_ms <= now)
}

fn check_gas_results<'a>(
    tests: impl IntoIterator<Item = &'a GasTest>,
    regime: GasRegime,
    f: &Facts,
    out: &mut Vec<Refusal>,
) {
    for t in latest_per_point(tests) {
        out.extend(evaluate_gas_test(t, regime, &f.calendar));
    }
}

/// Before approval: a gas analysis exists and the latest result of every point passes.
fn check_gas_analysed(p: &Permit, regime: GasRegime, f: &Facts, out: &mut Vec<Refusal>) {
    if tests_until(p, f.now_ms).next().is_none() {
        out.push(Refusal::new(
            regime.sample_clause(),
            "gas_test_missing",
            "gas_tests (taken ≤ now) = 0".into(),
            "作业前应进行气体分析，尚无分析记录".into(),
            "a gas analysis is required before the work and there is none".into(),
        ));
        return;
    }
    check_gas_results(tests_until(p, f.now_ms), regime, f, out);
}

/// A reason a fresh gas test is needed now, with the earliest instant a test counts.
struct Trigger {
    not_before: i64,
    clause: &'static str,
    code: &'static str,
    fact: String,
    zh: String,
    en: String,
}

/// Tests that count now: taken in `[max(now − max_age, not_before), now]`.
fn fresh(p: &Permit, now: i64, max_age: i64, not_before: i64) -> Vec<&GasTest> {
    let lo = now.saturating_sub(max_age).max(not_before);
    p.gas_tests
        .iter()
        .filter(|t| t.taken_at_ms >= lo && t.taken_at_ms <= now)
        .collect()
}

fn check_fresh_gas(
    p: &Permit,
    regime: GasRegime,
    triggers: Vec<Trigger>,
    f: &Facts,
    out: &mut Vec<Refusal>,
) {
    if triggers.is_empty() {
        return;
    }
    let now = f.now_ms;
    let max_age = sample_max_age(regime, &f.config);
    let mut lo = i64::MIN;
    let mut unmet = false;
    for t in &triggers {
        lo = lo.max(t.not_before);
        if fresh(p, now, max_age, t.not_before).is_empty() {
            unmet = true;
            out.push(Refusal::new(
                t.clause,
                t.code,
                t.fact.clone(),
                t.zh.clone(),
                t.en.clone(),
            ));
        }
    }
    if !unmet {
        check_gas_results(fresh(p, now, max_age, lo), regime, f, out);
    }
}

fn latest_test_at(p: &Permit, now: i64) -> Option<i64> {
    tests_until(p, now).map(|t| t.taken_at_ms).max()
}

/// The start rule: the sample is at most 30 min old (5.3.1 c, 6.3 a).
fn start_trigger(p: &Permit, regime: GasRegime, f: &Facts) -> Trigger {
    let now = f.now_ms;
    let max_age = sample_max_age(regime, &f.config);
    let cal = &f.calendar;
    match latest_test_at(p, now) {
        None => Trigger {
            not_before: i64::MIN,
            clause: regime.sample_clause(),
            code: "gas_test_missing",
            fact: "gas_tests (taken ≤ now) = 0".into(),
            zh: format!(
                "作业前{}内应进行气体分析，尚无分析记录",
                format_duration(max_age)
            ),
            en: format!(
                "a gas sample taken at most {} before the start is required and there is none",
                format_duration(max_age)
            ),
        },
        Some(at) => {
            let age = now.saturating_sub(at);
            Trigger {
                not_before: i64::MIN,
                clause: regime.sample_clause(),
                code: "gas_sample_too_old",
                fact: format!(
                    "gas sample age = {} > {}",
                    format_duration(age),
                    format_duration(max_age)
                ),
                zh: format!(
                    "气体分析取样时间（{}）与作业开始时间间隔{}，超过{}，应重新取样分析",
                    cal.format(at),
                    format_duration(age),
                    format_duration(max_age)
                ),
                en: format!(
                    "the gas sample of {} is {} old, more than {} before the start; take a new sample",
                    cal.format(at),
                    format_duration(age),
                    format_duration(max_age)
                ),
            }
        }
    }
}

/// The last gas alarm (≤ now) after which no gas test was taken, if any.
fn alarm_since_last_test(p: &Permit, f: &Facts) -> Option<i64> {
    let a = f.last_gas_alarm_ms.filter(|a| *a <= f.now_ms)?;
    let retested = p
        .gas_tests
        .iter()
        .any(|t| t.taken_at_ms > a && t.taken_at_ms <= f.now_ms);
    (!retested).then_some(a)
}

fn alarm_clause(p: &Permit, regime: Option<GasRegime>) -> &'static str {
    match (&p.work, regime) {
        (Work::HotWork(_), _) => "GB 30871-2022 5.2.6",
        (_, Some(GasRegime::ConfinedSpace { .. })) => "GB 30871-2022 6.5",
        _ => "GB 30871-2022 4.8",
    }
}

fn alarm_trigger(p: &Permit, regime: Option<GasRegime>, f: &Facts) -> Option<Trigger> {
    regime?;
    let a = alarm_since_last_test(p, f)?;
    Some(Trigger {
        not_before: a.saturating_add(1),
        clause: alarm_clause(p, regime),
        code: "retest_after_gas_alarm",
        fact: format!("gas alarm at {a}, no gas test since"),
        zh: format!(
            "{} 发生气体浓度超限报警，应停止作业、处理后重新检测合格方可恢复",
            f.calendar.format(a)
        ),
        en: format!(
            "a gas alarm went off at {}; stop, deal with it and pass a new gas test before working again",
            f.calendar.format(a)
        ),
    })
}

fn check_alarm_active(p: &Permit, regime: Option<GasRegime>, f: &Facts, out: &mut Vec<Refusal>) {
    if f.gas_alarm_active {
        out.push(Refusal::new(
            alarm_clause(p, regime),
            "gas_alarm_active",
            "gas_alarm_active = true".into(),
            "作业现场气体报警未消除，应立即停止作业、撤离人员并处理".into(),
            "a gas alarm is active at the work place: stop, evacuate and deal with it".into(),
        ));
    }
}

fn check_continuous_monitoring(p: &Permit, regime: Option<GasRegime>, out: &mut Vec<Refusal>) {
    let needed = match regime {
        Some(GasRegime::HotWork {
            level: HotWorkLevel::Special,
            ..
        }) => Some((
            "GB 30871-2022 5.3.1 d)",
            "特级动火作业期间应连续进行监测",
            "special hot work must be monitored continuously",
        )),
        Some(GasRegime::ConfinedSpace { .. }) => Some((
            "GB 30871-2022 6.5",
            "受限空间作业时应配置移动式气体检测报警仪，连续检测可燃气体、有毒气体及氧气浓度",
            "a confined space needs a portable gas detector monitoring flammable gas, toxic gas and oxygen continuously",
        )),
        _ => None,
    };
    if let Some((clause, zh, en)) = needed
        && !p.continuous_monitoring
    {
        out.push(Refusal::new(
            clause,
            "continuous_monitoring_required",
            "continuous_monitoring = false".into(),
            zh.into(),
            en.into(),
        ));
    }
}

fn check_monitoring_records(
    p: &Permit,
    regime: Option<GasRegime>,
    f: &Facts,
    out: &mut Vec<Refusal>,
) {
    if !matches!(regime, Some(GasRegime::ConfinedSpace { .. })) {
        return;
    }
    let now = f.now_ms;
    let Some(started) = p.started_at_ms.filter(|s| *s <= now) else {
        return;
    };
    let last = p
        .monitoring_records_ms
        .iter()
        .copied()
        .chain(p.gas_tests.iter().map(|t| t.taken_at_ms))
        .filter(|t| *t >= started && *t <= now)
        .max()
        .unwrap_or(started);
    let gap = now.saturating_sub(last);
    if gap > MONITORING_RECORD_INTERVAL_MS {
        let cal = &f.calendar;
        out.push(Refusal::new(
            "GB 30871-2022 6.5",
            "monitoring_record_overdue",
            format!("time since last record = {} > 2 h", format_duration(gap)),
            format!(
                "受限空间连续检测应每2 h记录1次，上次记录为 {}，已间隔{}",
                cal.format(last),
                format_duration(gap)
            ),
            format!(
                "confined-space monitoring must be recorded every 2 h; the last record was at {}, {} ago",
                cal.format(last),
                format_duration(gap)
            ),
        ));
    }
}

// ───────────── conflicts ─────────────

fn same_place(a: &super::kinds::Location, b: &super::kinds::Location, radius_m: f64) -> bool {
    if let (Some(ca), Some(cb)) = (a.coordinates, b.coordinates)
        && let Some(d) = ca.distance_m(&cb)
        && d <= radius_m
    {
        return true;
    }
    let ia = a.installation_id.trim();
    if ia.is_empty() || ia != b.installation_id.trim() {
        return false;
    }
    match (a.equipment_id.as_deref(), b.equipment_id.as_deref()) {
        (Some(x), Some(y)) => x.trim() == y.trim(),
        _ => true,
    }
}

fn check_conflicts(p: &Permit, f: &Facts, out: &mut Vec<Refusal>) {
    let me = p.summary();
    let cal = &f.calendar;
    let radius = if f.config.cross_work_radius_m.is_finite() {
        f.config.cross_work_radius_m.max(0.0)
    } else {
        30.0
    };
    for o in &f.other_permits {
        if o.id == p.id || !o.state.is_open() || !o.planned.overlaps(&p.planned) {
            continue;
        }
        let label = if o.number.trim().is_empty() {
            o.id.as_str()
        } else {
            o.number.as_str()
        };
        let when = format!(
            "{} – {}",
            cal.format(o.planned.start_ms),
            cal.format(o.planned.end_ms)
        );
        if me.kind == WorkKind::Blinding
            && o.kind == WorkKind::Blinding
            && me.pipeline_id.is_some()
            && o.pipeline_id.as_deref().map(str::trim) == me.pipeline_id.as_deref().map(str::trim)
        {
            out.push(Refusal::new(
                "GB 30871-2022 7.10",
                "blinding_same_pipeline",
                format!("permit {label} blinds pipeline {:?} in an overlapping window", o.pipeline_id),
                format!("同一管道上已有盲板抽堵作业 {label}（{when}），不应同时进行两处及以上盲板抽堵"),
                format!("blinding job {label} ({when}) is on the same line; two blinding jobs on one line at once are not allowed"),
            ));
            continue;
        }
        let blinding_hazard =
            |b: &Permit| matches!(&b.work, Work::Blinding(d) if d.fire_explosion_hazard_area);
        let hot_near_blinding = (blinding_hazard(p) && o.kind == WorkKind::HotWork)
            || (me.kind == WorkKind::HotWork && o.kind == WorkKind::Blinding);
        if hot_near_blinding && same_place(&me.location, &o.location, 30.0) {
            out.push(Refusal::new(
                "GB 30871-2022 7.6",
                "hot_work_within_30m_of_blinding",
                format!("permit {label} ({:?}) within 30 m in an overlapping window", o.kind),
                format!("在火灾爆炸危险场所进行盲板抽堵作业时，距作业地点30 m内不应有动火作业；冲突作业票 {label}（{when}）"),
                format!("no hot work within 30 m of blinding in a fire or explosion hazardous area; conflicting permit {label} ({when})"),
            ));
            continue;
        }
        if same_place(&me.location, &o.location, radius) {
            let linked = p
                .linked_permits
                .iter()
                .any(|l| l == &o.id || (!o.number.is_empty() && l == &o.number));
            let coordinated = p
                .cross_work_coordinator
                .as_deref()
                .is_some_and(|c| !c.trim().is_empty());
            if !linked || !coordinated {
                out.push(Refusal::new(
                    "GB 30871-2022 4.7",
                    "cross_work_uncoordinated",
                    format!(
                        "overlapping {:?} permit {label} at the same place; linked = {linked}, coordinator = {coordinated}",
                        o.kind
                    ),
                    format!(
                        "同一地点同一时间有{}作业票 {label}（{when}），交叉作业应指定专人统一协调并在作业票中关联（4.6）",
                        o.kind.zh()
                    ),
                    format!(
                        "{} permit {label} ({when}) is at the same place at the same time; cross-work needs a named coordinator and the permits linked to each other (4.6)",
                        o.kind.en()
                    ),
                ));
            }
        }
    }
}

// ───────────── weather and escalation at run time ─────────────

fn check_weather(p: &Permit, f: &Facts, out: &mut Vec<Refusal>) {
    let w = &f.weather;
    let wind = w.wind_force.unwrap_or(0);
    match &p.work {
        Work::HotWork(c) if p.outdoor && wind >= 5 && !c.production_necessity_in_wind => {
            out.push(Refusal::new(
                "GB 30871-2022 5.2.15",
                "hot_work_in_wind_force_5",
                format!("wind_force = {wind} ≥ 5, outdoor, production_necessity_in_wind = false"),
                format!("遇{wind}级风（五级以上），禁止露天动火作业；因生产确需动火的，应升级管理"),
                format!("wind of force {wind} (5 or more): no outdoor hot work; if production truly needs it, it must be raised one level"),
            ));
        }
        Work::Height(_) if p.outdoor && (wind >= 5 || w.dense_fog) => out.push(Refusal::new(
            "GB 30871-2022 8.2.6",
            "height_bad_weather",
            format!("wind_force = {wind}, dense_fog = {}", w.dense_fog),
            "遇五级风以上（含五级风）、浓雾等恶劣天气，不应进行高处作业".into(),
            "no work at height in wind of force 5 or more, dense fog or similar weather".into(),
        )),
        Work::Lifting(_) if p.outdoor && (wind >= 6 || w.heavy_snow || w.heavy_rain || w.dense_fog) => {
            out.push(Refusal::new(
                "GB 30871-2022 9.2.4",
                "lifting_bad_weather",
                format!(
                    "wind_force = {wind}, heavy_snow = {}, heavy_rain = {}, dense_fog = {}",
                    w.heavy_snow, w.heavy_rain, w.dense_fog
                ),
                "大雪、暴雨、大雾、六级及以上大风时，不应露天吊装作业".into(),
                "no outdoor lifting in heavy snow, heavy rain, dense fog or wind of force 6 or more".into(),
            ))
        }
        _ => {}
    }
}

fn check_escalation_now(
    p: &Permit,
    effective: Option<PermitLevel>,
    f: &Facts,
    out: &mut Vec<Refusal>,
) {
    let Work::HotWork(c) = &p.work else {
        return;
    };
    let Some(PermitLevel::HotWork(have)) = effective else {
        return;
    };
    let mut any_time = c.clone();
    any_time.work_hours = None;
    let now = Window::new(f.now_ms, f.now_ms.saturating_add(1));
    if let Ok(d) = derive_hot_work_level(&any_time, &hot_ctx(p, f, now))
        && d.level.rank() > have.rank()
    {
        out.push(Refusal::new(
            "GB 30871-2022 5.1.1",
            "level_escalation_required",
            format!("level now = {:?} > permit level {have:?}", d.level),
            format!(
                "当前（{}）动火应按{}管理（节假日、公休日、夜间或大风升级），本票为{}",
                f.calendar.format(f.now_ms),
                d.level.zh(),
                have.zh()
            ),
            format!(
                "hot work now ({}) must be managed as {} (raised for a holiday, rest day, night or wind); this permit is {}",
                f.calendar.format(f.now_ms),
                d.level.en(),
                have.en()
            ),
        ));
    }
}

fn check_changes(f: &Facts, out: &mut Vec<Refusal>) {
    for c in &f.changes_since_issue {
        out.push(reissue(*c));
    }
}

fn reissue(c: Change) -> Refusal {
    Refusal::new(
        c.clause(),
        "reissue_required",
        format!("change = {c:?}"),
        format!("{}，应重新办理安全作业票", c.zh()),
        format!("{}; a new permit is required", c.en()),
    )
}

// ───────────── approvals ─────────────

fn signed(p: &Permit, step: &ChainStep) -> bool {
    p.approvals
        .iter()
        .any(|a| a.step == step.step && a.role == step.role && !a.by.trim().is_empty())
}

fn next_step(p: &Permit, chain: &[ChainStep]) -> Option<ChainStep> {
    chain.iter().find(|s| !signed(p, s)).copied()
}

fn check_chain_complete(p: &Permit, chain: &[ChainStep], out: &mut Vec<Refusal>) {
    for s in chain {
        if !signed(p, s) {
            out.push(Refusal::new(
                "GB 30871-2022 4.6",
                "approvals_incomplete",
                format!("missing sign-off {:?} by {:?}", s.step, s.role),
                format!("审批手续不齐全：缺少{}（{}）", s.step.zh(), s.role.zh()),
                format!(
                    "approval is incomplete: the {} by the {} is missing",
                    s.step.en(),
                    s.role.en()
                ),
            ));
        }
    }
}

// ───────────── the engine ─────────────

fn lifecycle_refusal(p: &Permit, a: ActionKind) -> Refusal {
    Refusal::new(
        LIFECYCLE_CLAUSE,
        "invalid_transition",
        format!("state = {:?}, action = {a:?}", p.state),
        format!("作业票处于“{}”状态，不能{}", p.state.zh(), a.zh()),
        format!(
            "a permit that is {} cannot be used to {}",
            p.state.en(),
            a.en()
        ),
    )
}

/// Everything checked before a permit may be approved: window and validity, level,
/// people and certificates, the kind's own rules, the checklist, the gas analysis.
fn pre_approval(p: &Permit, f: &Facts, la: &LevelAssessment, out: &mut Vec<Refusal>) {
    let level = la.effective;
    out.extend(la.refusals.iter().cloned());
    check_window(p, level, f, out);
    check_people(p, f, out);
    check_kind_rules(p, level, f, out);
    check_checklist(p, level, f, out);
    if let Some(regime) = gas_regime(p, level) {
        check_gas_analysed(p, regime, f, out);
    }
}

/// Checks common to start, resume and continue.
fn at_work(p: &Permit, f: &Facts, la: &LevelAssessment, out: &mut Vec<Refusal>) {
    check_now_in_window(p, f, out);
    check_changes(f, out);
    check_weather(p, f, out);
    check_escalation_now(p, la.effective, f, out);
    let regime = gas_regime(p, la.effective);
    check_alarm_active(p, regime, f, out);
    check_continuous_monitoring(p, regime, out);
}

/// 判定 — whether `action` is allowed on `permit` given `facts`, with every reason if not.
/// Pure and total: never panics, whatever the input.
pub fn check(action: &Action, p: &Permit, f: &Facts) -> Decision {
    let kind = action.kind();
    let mut out = Vec::new();
    let mut to = transition(p.state, kind);
    // Amending an issued permit gets its own answer (4.16–4.18), not a lifecycle one.
    if let Action::Amend { changes } = action
        && to.is_none()
        && p.state.is_issued_or_later()
        && !p.state.is_terminal()
        && !matches!(p.state, PermitState::Completed | PermitState::Accepted)
    {
        for c in changes {
            out.push(reissue(*c));
        }
        out.push(Refusal::new(
            "GB 30871-2022 4.18",
            "permit_must_not_be_altered",
            format!("state = {:?}", p.state),
            "安全作业票已进入审批，不得涂改；变更内容应取消本票并重新办理安全作业票".into(),
            "a permit in approval or later must not be altered; cancel it and issue a new permit for the change".into(),
        ));
        return decision(kind, p.state, None, out);
    }
    if to.is_none() {
        out.push(lifecycle_refusal(p, kind));
        return decision(kind, p.state, None, out);
    }
    let la = assess_level(p, f);
    let level = la.effective;
    let regime = gas_regime(p, level);
    let chain = sign_off_chain(p.kind(), level);
    match action {
        Action::SubmitForGasAnalysis
        | Action::Suspend
        | Action::Complete
        | Action::Close
        | Action::Cancel
        | Action::Void
        | Action::Amend { .. } => {}
        Action::SubmitForApproval => {
            if p.state == PermitState::Draft && regime.is_some() {
                out.push(Refusal::new(
                    regime.map_or(LIFECYCLE_CLAUSE, |r| r.sample_clause()),
                    "gas_analysis_step_required",
                    format!("state = Draft, gas regime = {regime:?}"),
                    format!("{}作业前应进行气体分析，请先提交气体分析", p.kind().zh()),
                    format!(
                        "{} needs a gas analysis first; submit it for gas analysis",
                        p.kind().en()
                    ),
                ));
            }
            pre_approval(p, f, &la, &mut out);
        }
        Action::Approve {
            step,
            role,
            by,
            on_site,
        } => match next_step(p, &chain) {
            None => out.push(Refusal::new(
                LIFECYCLE_CLAUSE,
                "approvals_already_complete",
                "every sign-off row is signed".into(),
                "审批签字已齐全".into(),
                "every sign-off is already given".into(),
            )),
            Some(next) => {
                if next.step != *step {
                    out.push(Refusal::new(
                        next.clause,
                        "sign_off_out_of_order",
                        format!("step = {step:?}, next = {:?}", next.step),
                        format!(
                            "应先由{}签署{}，而不是{}",
                            next.role.zh(),
                            next.step.zh(),
                            step.zh()
                        ),
                        format!(
                            "the next sign-off is the {} by the {}, not the {}",
                            next.step.en(),
                            next.role.en(),
                            step.en()
                        ),
                    ));
                } else if next.role != *role {
                    out.push(Refusal::new(
                        next.clause,
                        "approver_role_mismatch",
                        format!(
                            "role = {role:?}, required = {:?} (level {:?})",
                            next.role, level
                        ),
                        format!(
                            "{}应由{}签署{}，签字人角色为{}",
                            match level {
                                Some(l) => l.zh(),
                                None => p.kind().zh().to_string(),
                            },
                            next.role.zh(),
                            next.step.zh(),
                            role.zh()
                        ),
                        format!(
                            "for {} the {} must be given by the {}, not by the {}",
                            match level {
                                Some(l) => l.en(),
                                None => p.kind().en().to_string(),
                            },
                            next.step.en(),
                            next.role.en(),
                            role.en()
                        ),
                    ));
                }
                if by.trim().is_empty() {
                    out.push(Refusal::new(
                        "GB 30871-2022 4.6",
                        "signer_missing",
                        "by = \"\"".into(),
                        "审批签字人为空".into(),
                        "the signer is empty".into(),
                    ));
                }
                if next.approving && !*on_site {
                    out.push(Refusal::new(
                        "GB 30871-2022 4.11 a)",
                        "approval_not_on_site",
                        "on_site = false".into(),
                        "作业审批人应在作业现场完成审批工作".into(),
                        "the approver must approve at the work site".into(),
                    ));
                }
                if chain.iter().filter(|s| !signed(p, s)).count() == 1 {
                    to = Some(PermitState::Approved);
                }
                pre_approval(p, f, &la, &mut out);
                if next.approving {
                    check_conflicts(p, f, &mut out);
                }
            }
        },
        Action::ReportToRegulator => {
            check_chain_complete(p, &chain, &mut out);
            if f.now_ms >= p.planned.end_ms {
                check_now_in_window(p, f, &mut out);
            }
        }
        Action::Start { ticket_checked_by } => {
            if p.state == PermitState::Approved && f.config.require_regulator_report {
                out.push(Refusal::new(
                    REGULATOR_REPORT_CLAUSE,
                    "regulator_report_required",
                    "state = Approved, require_regulator_report = true".into(),
                    "作业票审批后应先完成线上报备，方可开始作业".into(),
                    "the approved permit must be reported online to the regulator before work starts".into(),
                ));
            }
            check_chain_complete(p, &chain, &mut out);
            if matches!(p.work, Work::HotWork(_))
                && f.config.require_shift_leader_check
                && ticket_checked_by
                    .as_deref()
                    .is_none_or(|b| b.trim().is_empty())
            {
                out.push(Refusal::new(
                    "GB 30871-2022 附录A 表A.1",
                    "shift_leader_check_missing",
                    "ticket_checked_by = none".into(),
                    "动火前，应由岗位当班班长验票".into(),
                    "before ignition the shift leader on duty must check the ticket".into(),
                ));
            }
            out.extend(la.refusals.iter().cloned());
            check_window(p, level, f, &mut out);
            at_work(p, f, &la, &mut out);
            check_people(p, f, &mut out);
            check_conflicts(p, f, &mut out);
            if let Some(r) = regime {
                let mut triggers = vec![start_trigger(p, r, f)];
                triggers.extend(alarm_trigger(p, regime, f));
                check_fresh_gas(p, r, triggers, f, &mut out);
            }
        }
        Action::Continue => {
            at_work(p, f, &la, &mut out);
            check_monitoring_records(p, regime, f, &mut out);
            if let Some(t) = alarm_trigger(p, regime, f) {
                out.push(Refusal::new(
                    t.clause,
                    "gas_alarm_stop_work",
                    t.fact,
                    t.zh,
                    t.en,
                ));
            }
            if let (Some(r), Some(started)) = (regime, p.started_at_ms) {
                // The latest reading of each point during the work must still pass.
                let during = p
                    .gas_tests
                    .iter()
                    .filter(|t| t.taken_at_ms >= started && t.taken_at_ms <= f.now_ms);
                check_gas_results(during, r, f, &mut out);
            }
        }
        Action::Resume {
            conditions_reconfirmed,
        } => {
            at_work(p, f, &la, &mut out);
            check_conflicts(p, f, &mut out);
            if matches!(p.work, Work::Height(_)) && !*conditions_reconfirmed {
                out.push(Refusal::new(
                    "GB 30871-2022 8.2.11",
                    "height_reconfirmation_required",
                    "conditions_reconfirmed = false".into(),
                    "高处作业中断后，再次作业前应重新对环境条件和安全措施进行确认".into(),
                    "after an interruption of work at height, the conditions and measures must be re-confirmed before resuming".into(),
                ));
            }
            if let Some(r) = regime {
                let mut triggers = Vec::new();
                let cal = &f.calendar;
                if let Some(limit) = r.retest_after_break_ms() {
                    let since = p.suspended_at_ms.filter(|s| *s <= f.now_ms);
                    let gap = since.map(|s| f.now_ms.saturating_sub(s));
                    if gap.is_none_or(|g| g > limit) {
                        let not_before = since.unwrap_or(i64::MIN);
                        let (gap_zh, gap_en) = match gap {
                            Some(g) => (
                                format!("中断{}", format_duration(g)),
                                format!("a break of {}", format_duration(g)),
                            ),
                            None => (
                                "中断开始时间未知".to_string(),
                                "a break of unknown length".to_string(),
                            ),
                        };
                        triggers.push(Trigger {
                            not_before,
                            clause: r.retest_clause(),
                            code: "retest_after_break_required",
                            fact: format!(
                                "break = {} > {}; no gas test since the break began",
                                gap.map_or("unknown".to_string(), format_duration),
                                format_duration(limit)
                            ),
                            zh: format!(
                                "{gap_zh}，超过{}，应重新进行气体分析（中断后{}内取样）",
                                format_duration(limit),
                                format_duration(sample_max_age(r, &f.config))
                            ),
                            en: format!(
                                "{gap_en}, more than {}: a new gas analysis is required (sampled after the break, at most {} ago)",
                                format_duration(limit),
                                format_duration(sample_max_age(r, &f.config))
                            ),
                        });
                    }
                }
                if let GasRegime::HotWork { .. } = r {
                    let today = cal.local_day(f.now_ms);
                    let last_day = latest_test_at(p, f.now_ms).map(|t| cal.local_day(t));
                    if last_day != Some(today) {
                        let day_start = today.saturating_mul(DAY_MS).saturating_sub(
                            i64::from(cal.utc_offset_minutes).saturating_mul(MINUTE_MS),
                        );
                        triggers.push(Trigger {
                            not_before: day_start,
                            clause: "GB 30871-2022 5.3.1 d)",
                            code: "daily_gas_test_required",
                            fact: format!(
                                "last gas test on local day {last_day:?}, today = {today}"
                            ),
                            zh: "每日动火前均应进行气体分析，今日尚无分析".into(),
                            en: "a gas analysis is required before hot work every day and there is none today".into(),
                        });
                    }
                }
                triggers.extend(alarm_trigger(p, regime, f));
                check_fresh_gas(p, r, triggers, f, &mut out);
            }
        }
        Action::Accept { by } => {
            if by.trim().is_empty() {
                out.push(Refusal::new(
                    "GB 30871-2022 4.15",
                    "acceptance_signer_missing",
                    "by = \"\"".into(),
                    "作业完毕应及时进行验收确认，验收人为空".into(),
                    "completion must be accepted by a named person; the acceptor is empty".into(),
                ));
            }
        }
    }
    decision(kind, p.state, to, out)
}

fn decision(
    action: ActionKind,
    from: PermitState,
    to: Option<PermitState>,
    refusals: Vec<Refusal>,
) -> Decision {
    let allowed = refusals.is_empty() && to.is_some();
    Decision {
        action,
        from,
        allowed,
        to: if allowed { to } else { None },
        refusals,
    }
}

/// 下一步 — every action the state machine offers from the permit's state, each judged
/// as if done by the right person (the next signer, on site; the shift leader checking a
/// hot-work ticket; conditions re-confirmed on resume), so only the facts decide.
pub fn next_actions(p: &Permit, f: &Facts) -> Vec<Decision> {
    let level = effective_level(p, f);
    let chain = sign_off_chain(p.kind(), level);
    ActionKind::ALL
        .iter()
        .filter(|k| transition(p.state, **k).is_some())
        .map(|k| {
            let action = match k {
                ActionKind::SubmitForGasAnalysis => Action::SubmitForGasAnalysis,
                ActionKind::SubmitForApproval => Action::SubmitForApproval,
                ActionKind::Approve => match next_step(p, &chain) {
                    Some(s) => Action::Approve {
                        step: s.step,
                        role: s.role,
                        by: "(next signer)".into(),
                        on_site: true,
                    },
                    None => Action::Approve {
                        step: super::kinds::SignOff::Approver,
                        role: super::kinds::ApproverRole::SeniorManager,
                        by: "(next signer)".into(),
                        on_site: true,
                    },
                },
                ActionKind::ReportToRegulator => Action::ReportToRegulator,
                ActionKind::Start => Action::Start {
                    ticket_checked_by: Some("(shift leader)".into()),
                },
                ActionKind::Continue => Action::Continue,
                ActionKind::Suspend => Action::Suspend,
                ActionKind::Resume => Action::Resume {
                    conditions_reconfirmed: true,
                },
                ActionKind::Complete => Action::Complete,
                ActionKind::Accept => Action::Accept {
                    by: "(acceptor)".into(),
                },
                ActionKind::Close => Action::Close,
                ActionKind::Cancel => Action::Cancel,
                ActionKind::Void => Action::Void,
                ActionKind::Amend => Action::Amend {
                    changes: Vec::new(),
                },
            };
            check(&action, p, f)
        })
        .collect()
}
