//! weihua-kpi — 报警系统绩效指标: ISA-18.2 / IEC 62682 / EEMUA 191 alarm-system
//! KPIs computed from the alarm journal (报警日志).
//!
//! Pure: no IO, no clock. The caller passes the activations
//! ([`AlarmOccurrence`], one per annunciated activation), a window
//! `[from_ms, to_ms)` and a [`KpiConfig`]; [`compute`] returns a
//! [`KpiReport`] with:
//!
//! - 报警率 — total activations, averages per 10 min / hour / day;
//! - 报警泛滥 — max per period, periods in flood, flood episodes;
//! - 振荡 / 瞬时 / 常驻报警 — chattering, fleeting and stale alarms;
//! - 高频报警 — the top-N contributors and their combined share;
//! - 优先级分布 — the priority distribution;
//! - 评估 — an [`Assessment`] against the ISA-18.2 targets, as machine codes
//!   plus Chinese and English text.
//!
//! [`compute_grouped`] does the same per enterprise (企业) or per operator
//! position (操作岗位). Every threshold is configuration; the defaults are
//! assumed (see `docs/alarm-kpis-and-notifications.md`).
//!
//! Cost: one pass, two sorts and linear sliding windows — O(n log n); one
//! million records take well under a second in a release build.
//!
//! ```
//! use weihua_core::{AlarmKind, AlarmPriority};
//! use weihua_kpi::{compute, AlarmOccurrence, KpiConfig};
//!
//! let rec = AlarmOccurrence {
//!     alarm_key: "GT-101/limit/H".into(),
//!     label: "GT-101 高报".into(),
//!     enterprise_id: "E1".into(),
//!     position: "中控室1号岗".into(),
//!     priority: AlarmPriority::High,
//!     kind: AlarmKind::Limit,
//!     raised_at_ms: 60_000,
//!     cleared_at_ms: Some(120_000),
//!     acked_at_ms: None,
//! };
//! let report = compute(&[rec], 0, 3_600_000, &KpiConfig::default()).unwrap();
//! assert_eq!(report.total_activations, 1);
//! assert_eq!(report.periods, 6);
//! ```

mod assess;
mod compute;
mod config;
mod error;
mod report;

pub use compute::{GroupBy, compute, compute_grouped};
pub use config::{DAY_MS, HOUR_MS, KpiConfig, KpiTargets, PriorityTargets, TEN_MINUTES_MS};
pub use error::KpiError;
pub use report::{
    AlarmOccurrence, Assessment, ChatteringAlarm, Finding, FindingCode, FloodEpisode, KpiReport,
    LoadLevel, PriorityShare, StaleAlarm, TopContributor, Verdict,
};
