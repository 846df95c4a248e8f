//! weihua-risk — 重大危险源动态风险等级: the explainable live risk level
//! (红/橙/黄/蓝 = 重大/较大/一般/低) of each major hazard installation, and roll-ups.
//!
//! The national rule for this level is not public, so the model is weihua's own:
//! versioned, configurable JSON ([`RiskModelConfig`]), every default "assumed"
//! (see `docs/risk-model.md`). Each level comes with its reasons ([`RiskReason`]),
//! because regulators act on it.
//!
//! ```
//! use weihua_core::{AlarmKind, AlarmPriority, Indicator, LimitName, MajorHazardGrade, RiskLevel};
//! use weihua_risk::{ActiveAlarm, InstallationRiskInput, RiskModel};
//!
//! let model = RiskModel::default_v1();
//! let input = InstallationRiskInput {
//!     grade: Some(MajorHazardGrade::Grade2),
//!     is_major_hazard: true,
//!     r_value: Some(62.5),
//!     alarms: vec![ActiveAlarm {
//!         kind: AlarmKind::Limit,
//!         limit: Some(LimitName::HH),
//!         priority: AlarmPriority::Medium,
//!         indicator: Indicator::FlammableGas,
//!         tag: "GT-101".into(),
//!         point_name: String::new(),
//!         value: Some(32.0),
//!         unit: "%LEL".into(),
//!     }],
//!     ..Default::default()
//! };
//! let a = model.assess(&input);
//! assert_eq!(a.score, 70.0); // 二级 30 + gas alarm 2 40
//! assert_eq!(a.level, RiskLevel::Orange);
//! assert_eq!(a.reasons[0].zh, "二级报警: GT-101 可燃气体 32 %LEL (高高报, 优先级中)");
//! ```
//!
//! Invariants: no IO, no clock, no network; `assess` is a pure function of the model and
//! its input and never panics; a [`RiskModel`] always holds a validated config.

mod assess;
mod config;
mod counts;
mod labels;

pub use assess::{ActiveAlarm, InstallationRiskInput, RiskAssessment, RiskReason};
pub use config::{
    AlarmPoints, CappedPoints, DEFAULT_V1_JSON, FloorRule, InherentPoints, LevelThresholds,
    MAX_SCORE, PriorityMultipliers, RiskConfigError, RiskModel, RiskModelConfig,
};
pub use counts::ColourCounts;
pub use labels::{level_as_str, level_colour_zh, level_label_en, level_label_zh, worse};
