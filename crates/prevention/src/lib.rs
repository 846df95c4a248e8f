//! weihua-prevention — 双重预防机制 (dual prevention mechanism): 安全风险分级管控
//! (risk grading and control) and 隐患排查治理 (hidden-danger investigation and
//! rectification), as pure functions.
//!
//! Pure: no IO, no clock (instants are UTC epoch milliseconds passed in), no randomness.
//! Field names and code lists follow the provincial platform interfaces (`RISK_CLASS`,
//! `DATA_SRC`, `CHECK_CYCLE`, `CHECK_STATUS`, `DANGER_LEVEL`, `DANGER_SRC`,
//! `DANGER_STATE` …); every coded enum has `code()` / `from_code` and zh/en labels.
//!
//! - [`codes`] — the interface code lists;
//! - [`risk`] — risk matrix (L × S) and LEC (D = L × E × C) grading into 重大/较大/一般/低
//!   with the control level (管控层级);
//! - [`schedule`] — due windows of inspection tasks in China time, and their evaluation
//!   against inspection records (missed → `CHECK_STATUS` 2);
//! - [`danger`] — the hidden-danger closed loop (登记 → 分级 → 方案 → 整改 → 验收销号),
//!   supervision (督办), overdue and escalation;
//! - [`monitoring_link`] — failure of automated-monitoring control measures from point
//!   alarms, proposing a hidden danger (`DANGER_SRC` 9);
//! - [`stats`] — completion, rectification and on-time rates, grouped by any key.
//!
//! Every default a public source does not fix is configuration and marked "assumed"
//! (see `docs/dual-prevention.md`).
//!
//! ```
//! use weihua_prevention::risk::{assess_matrix, RiskConfig};
//! use weihua_prevention::codes::{ControlLevel, RiskLevel};
//!
//! let a = assess_matrix(4, 5, &RiskConfig::default()).unwrap();
//! assert_eq!(a.level, RiskLevel::Major);
//! assert_eq!(a.level.code(), 1); // RISK_CLASS
//! assert_eq!(a.control_level, ControlLevel::Company);
//! ```

pub mod calendar;
pub mod codes;
pub mod danger;
pub mod monitoring_link;
pub mod risk;
pub mod schedule;
pub mod stats;

pub use codes::{
    CheckCycleUnit, CheckMethod, CheckStatus, Classify1, Classify2, ControlLevel, DangerLevel,
    DangerManageType, DangerSrc, DangerState, DataSrc, HazardDangerType, ManagementClassification,
    OccurrenceLink, RiskLevel,
};
