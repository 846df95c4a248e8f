//! KPI 配置 — thresholds of the alarm-system KPIs. Every default is *assumed*
//! (taken from ISA-18.2 / EEMUA 191 as quoted by secondary sources) and can be
//! changed per site in its alarm philosophy (报警管理策略).

use serde::{Deserialize, Serialize};

use crate::KpiError;

/// Ten minutes in milliseconds: the ISA-18.2 rate unit.
pub const TEN_MINUTES_MS: i64 = 600_000;
/// One hour in milliseconds.
pub const HOUR_MS: i64 = 3_600_000;
/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// KPI 配置 — how the alarm-system KPIs are computed and judged.
///
/// Deserialises with every field optional (`{}` gives the defaults) and
/// refuses unknown fields. All defaults are assumed, see the field docs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KpiConfig {
    /// 统计时段 — length of one rate period in ms (assumed 600 000 = 10 min).
    /// Periods are aligned on `from_ms`; the last one may be partial. The
    /// same length is the sliding window of the flood-episode rule.
    pub period_ms: i64,
    /// 报警泛滥阈值 — a period with **more than** this many activations is in
    /// flood, and a flood episode starts when a sliding period holds more than
    /// this many (assumed 10).
    pub flood_above: u32,
    /// 泛滥结束阈值 — a flood episode ends when the sliding period holds
    /// **fewer than** this many activations (assumed 5).
    pub flood_end_below: u32,
    /// 振荡报警 — an alarm is chattering when it has at least this many
    /// activations inside one `chatter_window_ms` (assumed 3).
    pub chatter_min_activations: u32,
    /// 振荡窗口 — the chattering window in ms (assumed 60 000 = 1 min).
    pub chatter_window_ms: i64,
    /// 瞬时报警 — an activation cleared **less than** this many ms after it was
    /// raised is fleeting (assumed 10 000 = 10 s).
    pub fleeting_max_ms: i64,
    /// 常驻报警 — an alarm still active at `to_ms` that has been active for
    /// **more than** this many ms is stale (assumed 86 400 000 = 24 h).
    pub stale_after_ms: i64,
    /// 前 N 名 — how many of the most frequent alarms are listed (assumed 10).
    pub top_n: usize,
    /// 目标值 — the targets the report is judged against.
    pub targets: KpiTargets,
}

impl Default for KpiConfig {
    fn default() -> Self {
        Self {
            period_ms: TEN_MINUTES_MS,
            flood_above: 10,
            flood_end_below: 5,
            chatter_min_activations: 3,
            chatter_window_ms: 60_000,
            fleeting_max_ms: 10_000,
            stale_after_ms: DAY_MS,
            top_n: 10,
            targets: KpiTargets::default(),
        }
    }
}

/// 考核目标 — ISA-18.2-2016 §16 / EEMUA 191 targets (all assumed defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KpiTargets {
    /// 可接受 — average activations per 10 min at or below which the load is
    /// "very likely acceptable" (assumed 1).
    pub acceptable_per_10min: f64,
    /// 最大可管理 — average per 10 min at or below which the load is
    /// "maximum manageable"; above it the operator is overloaded (assumed 2).
    pub manageable_per_10min: f64,
    /// 泛滥时段占比上限 — % of periods in flood must stay **below** this (assumed 1 %).
    pub max_pct_periods_in_flood: f64,
    /// 单时段峰值 — the busiest period should hold at most this many (assumed 10).
    pub max_per_period: u64,
    /// 前 N 名占比上限 — the combined share of the top-N alarms should be at
    /// most this % (ISA-18.2: ~1–5 %; assumed 5).
    pub max_top_n_share_pct: f64,
    /// 常驻报警上限 — fewer than this many stale alarms is acceptable (assumed 5).
    pub stale_below: u64,
    /// 优先级分布目标 — target % per priority (assumed 1 / 5 / 15 / 80).
    pub priority_pct: PriorityTargets,
    /// 优先级分布容差 — how many percentage points the high, medium and low
    /// shares may differ from target (assumed 5).
    pub priority_tolerance_pct: f64,
}

impl Default for KpiTargets {
    fn default() -> Self {
        Self {
            acceptable_per_10min: 1.0,
            manageable_per_10min: 2.0,
            max_pct_periods_in_flood: 1.0,
            max_per_period: 10,
            max_top_n_share_pct: 5.0,
            stale_below: 5,
            priority_pct: PriorityTargets::default(),
            priority_tolerance_pct: 5.0,
        }
    }
}

/// 优先级分布目标 — target share of each priority in %. Emergency is a cap
/// (its share must stay **below** it); the others are aims within the tolerance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct PriorityTargets {
    /// 紧急 — cap, assumed 1 %.
    pub emergency: f64,
    /// 高 — assumed 5 %.
    pub high: f64,
    /// 中 — assumed 15 %.
    pub medium: f64,
    /// 低 — assumed 80 %.
    pub low: f64,
}

impl Default for PriorityTargets {
    fn default() -> Self {
        Self {
            emergency: 1.0,
            high: 5.0,
            medium: 15.0,
            low: 80.0,
        }
    }
}

impl KpiConfig {
    /// Checks every field; the error names the field and says in Chinese and
    /// English what is wrong.
    pub fn validate(&self) -> Result<(), KpiError> {
        if self.period_ms <= 0 {
            return Err(KpiError::config(
                "period_ms",
                format!("统计时段须大于 0 毫秒，当前为 {}", self.period_ms),
                format!(
                    "the period must be longer than 0 ms, got {}",
                    self.period_ms
                ),
            ));
        }
        if self.flood_above == 0 {
            return Err(KpiError::config(
                "flood_above",
                "报警泛滥阈值须至少为 1",
                "the flood threshold must be at least 1",
            ));
        }
        if self.flood_end_below == 0 || self.flood_end_below > self.flood_above.saturating_add(1) {
            return Err(KpiError::config(
                "flood_end_below",
                format!(
                    "泛滥结束阈值须在 1 至 {} 之间，当前为 {}",
                    self.flood_above.saturating_add(1),
                    self.flood_end_below
                ),
                format!(
                    "the flood-end threshold must be between 1 and {}, got {}",
                    self.flood_above.saturating_add(1),
                    self.flood_end_below
                ),
            ));
        }
        if self.chatter_min_activations < 2 {
            return Err(KpiError::config(
                "chatter_min_activations",
                "振荡报警的最少激活次数须至少为 2",
                "a chattering alarm needs at least 2 activations",
            ));
        }
        if self.chatter_window_ms <= 0 {
            return Err(KpiError::config(
                "chatter_window_ms",
                "振荡窗口须大于 0 毫秒",
                "the chattering window must be longer than 0 ms",
            ));
        }
        if self.fleeting_max_ms < 0 {
            return Err(KpiError::config(
                "fleeting_max_ms",
                "瞬时报警时长不能为负（0 表示不统计）",
                "the fleeting duration cannot be negative (0 turns it off)",
            ));
        }
        if self.stale_after_ms <= 0 {
            return Err(KpiError::config(
                "stale_after_ms",
                "常驻报警时长须大于 0 毫秒",
                "the stale duration must be longer than 0 ms",
            ));
        }
        if self.top_n == 0 {
            return Err(KpiError::config(
                "top_n",
                "前 N 名的 N 须至少为 1",
                "top_n must be at least 1",
            ));
        }
        self.targets.validate()
    }
}

impl KpiTargets {
    fn validate(&self) -> Result<(), KpiError> {
        let pct_fields: [(&'static str, f64); 7] = [
            (
                "targets.max_pct_periods_in_flood",
                self.max_pct_periods_in_flood,
            ),
            ("targets.max_top_n_share_pct", self.max_top_n_share_pct),
            (
                "targets.priority_tolerance_pct",
                self.priority_tolerance_pct,
            ),
            (
                "targets.priority_pct.emergency",
                self.priority_pct.emergency,
            ),
            ("targets.priority_pct.high", self.priority_pct.high),
            ("targets.priority_pct.medium", self.priority_pct.medium),
            ("targets.priority_pct.low", self.priority_pct.low),
        ];
        for (field, v) in pct_fields {
            if !(0.0..=100.0).contains(&v) {
                return Err(KpiError::config(
                    field,
                    format!("百分比须在 0 至 100 之间，当前为 {v}"),
                    format!("a percentage must be between 0 and 100, got {v}"),
                ));
            }
        }
        let rate_ok = |v: f64| v.is_finite() && v >= 0.0;
        if !rate_ok(self.acceptable_per_10min) || !rate_ok(self.manageable_per_10min) {
            return Err(KpiError::config(
                "targets.acceptable_per_10min",
                "报警率目标须为非负有限数",
                "alarm-rate targets must be finite and not negative",
            ));
        }
        if self.acceptable_per_10min > self.manageable_per_10min {
            return Err(KpiError::config(
                "targets.manageable_per_10min",
                format!(
                    "最大可管理报警率（{}）不能低于可接受报警率（{}）",
                    self.manageable_per_10min, self.acceptable_per_10min
                ),
                format!(
                    "the manageable rate ({}) cannot be below the acceptable rate ({})",
                    self.manageable_per_10min, self.acceptable_per_10min
                ),
            ));
        }
        Ok(())
    }
}
