//! # GB 30871-2022 《危险化学品企业特殊作业安全规范》 — special-work permits
//!
//! A pure rule engine for the 8 kinds of special work (特殊作业): 动火 hot work,
//! 受限空间 confined space, 盲板抽堵 blinding, 高处 height, 吊装 lifting, 临时用电
//! temporary power, 动土 excavation, 断路 road closure. No IO, no clock, no randomness:
//! time comes in as [`Facts::now_ms`] (UTC epoch ms) with a fixed local offset in
//! [`HolidayCalendar::utc_offset_minutes`] (default +480, China).
//!
//! - Levels: [`derive_hot_work_level`] (5.1, one level up on holidays, rest days, at
//!   night 5.1.1 and in wind ≥ 5 outdoors 5.2.15), [`derive_height_level`] (8.1, Table 2
//!   plus the Annex B situations), [`derive_lifting_level`] (9.1).
//! - Forms: [`checklist`] gives each kind's standard safety-measure list (Annex A).
//! - Approvals: [`sign_off_chain`] and [`required_approver`] (Annex A rows, Table B.1).
//! - The engine: [`check`] judges one [`Action`] on a [`Permit`] with [`Facts`] and
//!   returns a [`Decision`]: allowed (with the next state) or every [`Refusal`], each
//!   naming its clause, a stable code, the fact that failed, in Chinese and English.
//!   [`next_actions`] judges every action the state machine offers.
//!
//! Clause numbers are those of the full text of GB 30871-2022 (see
//! `shared/reference/permits-gb30871.md` and `docs/permits.md`). Rules that are not in
//! the standard say so in their clause text ([`LIFECYCLE_CLAUSE`],
//! [`REGULATOR_REPORT_CLAUSE`], [`ENTERPRISE_RULE_CLAUSE`]); values the standard leaves
//! open are in [`RuleConfig`] and [`HolidayCalendar`], each default marked "assumed".
//!
//! ```
//! use weihua_standards::gb30871::*;
//!
//! let permit: Permit = serde_json::from_str(r#"{
//!     "id": "p1",
//!     "work": {"kind": "hot_work", "fire_explosion_hazard_area": true},
//!     "planned": {"start_ms": 1727740800000, "end_ms": 1727769600000},
//!     "state": "draft"
//! }"#)?;
//! // 2024-10-01 08:00–16:00 (UTC+8), a holiday: 一级 raised to 特级.
//! let mut facts = Facts::at(1727740800000);
//! facts.calendar.holidays.push(LocalDate::parse("2024-10-01")?);
//! assert_eq!(effective_level(&permit, &facts), Some(PermitLevel::HotWork(HotWorkLevel::Special)));
//! let d = check(&Action::SubmitForApproval, &permit, &facts);
//! assert!(!d.allowed);
//! assert!(d.refusals.iter().all(|r| !r.clause.is_empty() && !r.message_zh.is_empty()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod approvals;
mod calendar;
mod checklist;
mod gas;
mod kinds;
mod levels;
mod lifecycle;
mod rules;

pub use approvals::{ChainStep, required_approver, sign_off_chain};
pub use calendar::{
    CHINA_UTC_OFFSET_MINUTES, CalendarError, ClockTime, DAY_MS, DailyInterval, DayKind, HOUR_MS,
    HolidayCalendar, LocalDate, MAX_CALENDAR_DAYS, MINUTE_MS, SpecialTimes, Weekday, Window,
    default_night, format_duration,
};
pub use checklist::{
    BLINDING, CONFINED_SPACE, ChecklistContext, ChecklistItem, EXCAVATION, HEIGHT, HOT_WORK,
    LIFTING, ROAD_CLOSURE, Requirement, TEMPORARY_POWER, checklist,
};
pub use gas::{
    FLAMMABLE_LIMIT_HIGH_LEL_PCT_VOL, FLAMMABLE_LIMIT_LOW_LEL_PCT_VOL, GasRegime, GasTest,
    LEL_THRESHOLD_PCT_VOL, MONITORING_RECORD_INTERVAL_MS, OXYGEN_ENRICHED_MAX_PCT_VOL,
    OXYGEN_MAX_PCT_VOL, OXYGEN_MIN_PCT_VOL, SAMPLE_MAX_AGE_MS, evaluate_gas_test,
    flammable_limit_pct_vol, latest_per_point,
};
pub use kinds::{
    Approval, ApproverRole, BlindingAction, BlindingDetails, Certificate, CertificateKind, Change,
    ConfinedSpaceDetails, Coordinates, ExcavationDetails, LiftingDetails, Location, MeasureCheck,
    OtherPermit, Permit, RoadClosureDetails, SignOff, TemporaryPowerDetails, Weather, Work,
    WorkKind, Worker, WorkerRole, changes_between,
};
pub use levels::{
    EscalationPolicy, HeightConditions, HeightHazardFactor, HeightLevel, HeightLevelDerivation,
    HeightSituation, HotWorkConditions, HotWorkContext, HotWorkLevel, HotWorkLevelDerivation,
    LIFTING_PERMIT_MIN_T, LevelError, LevelReason, LiftingLevel, LiftingLevelDerivation,
    PermitLevel, derive_height_level, derive_hot_work_level, derive_lifting_level,
};
pub use lifecycle::{Action, ActionKind, PermitState, TRANSITIONS, Transition, transition};
pub use rules::{
    CertificateRequirement, Decision, ENTERPRISE_RULE_CLAUSE, Facts, KindValidity,
    LIFECYCLE_CLAUSE, LevelAssessment, REGULATOR_REPORT_CLAUSE, Refusal, Retention, RuleConfig,
    assess_level, check, checklist_context, default_certificate_requirements, effective_level,
    gas_regime, max_validity, next_actions, retention,
};
