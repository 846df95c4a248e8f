//! 报告 — the input record and the output of the KPI computation.

use serde::{Deserialize, Serialize};
use weihua_core::{AlarmKind, AlarmPriority};

/// 报警激活记录 — one annunciated activation of an alarm, from the alarm
/// journal (报警日志). One record per activation: an alarm that chatters five
/// times gives five records with the same `alarm_key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AlarmOccurrence {
    /// 报警标识 — stable id of the alarm definition (point + kind + limit).
    pub alarm_key: String,
    /// 报警名称 — shown to people, e.g. "GT-101 高报".
    pub label: String,
    /// 企业 — the enterprise the alarm belongs to.
    pub enterprise_id: String,
    /// 操作岗位 — the operator position (console) that annunciates the alarm.
    pub position: String,
    /// 优先级
    pub priority: AlarmPriority,
    /// 报警类型
    pub kind: AlarmKind,
    /// 报警时间 — when the alarm was annunciated (UTC epoch ms).
    pub raised_at_ms: i64,
    /// 恢复时间 — when it returned to normal, if it has.
    #[serde(default)]
    pub cleared_at_ms: Option<i64>,
    /// 确认时间 — when the operator acknowledged it, if they have.
    #[serde(default)]
    pub acked_at_ms: Option<i64>,
}

/// 报警负荷等级 — the average rate judged against ISA-18.2 / EEMUA 191.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LoadLevel {
    /// 可接受 — at most ~1 alarm per 10 min.
    Acceptable,
    /// 可管理 — at most ~2 alarms per 10 min.
    Manageable,
    /// 超负荷 — more than that: very likely over-demanding.
    Overloaded,
}

/// 报警泛滥事件 — one flood episode: it starts when a sliding period holds
/// more than `flood_above` activations and ends when it holds fewer than
/// `flood_end_below`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FloodEpisode {
    /// 开始 — the first activation of the sliding period that went into flood.
    pub start_ms: i64,
    /// 结束 — the instant the sliding count fell below `flood_end_below`,
    /// or `to_ms` when the window ended during the flood.
    pub end_ms: i64,
    /// 报警数 — activations raised in `[start_ms, end_ms)`.
    pub activations: u64,
    /// 峰值 — the largest sliding-period count during the episode.
    pub peak_per_period: u64,
    /// 未结束 — the window ended while still in flood.
    pub ongoing: bool,
}

/// 振荡报警 — an alarm with at least `chatter_min_activations` activations
/// inside one chattering window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatteringAlarm {
    pub alarm_key: String,
    pub label: String,
    /// 窗口内最多激活次数 — most activations in any one chattering window.
    pub max_in_window: u64,
    /// 总激活次数 — activations of this alarm in the report window.
    pub activations: u64,
}

/// 常驻报警 — still active at the end of the window and older than
/// `stale_after_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaleAlarm {
    pub alarm_key: String,
    pub label: String,
    /// 激活起始 — raised at (the earliest still-active activation of this key).
    pub active_since_ms: i64,
    /// 持续时长 — `to_ms − active_since_ms`.
    pub active_for_ms: i64,
}

/// 高频报警 — one of the top-N most frequent alarms.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopContributor {
    /// 排名 — 1 for the most frequent.
    pub rank: usize,
    pub alarm_key: String,
    pub label: String,
    /// 激活次数
    pub count: u64,
    /// 占比 — % of all activations in the window.
    pub share_pct: f64,
}

/// 优先级分布 — activations of one priority.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriorityShare {
    pub priority: AlarmPriority,
    pub count: u64,
    /// 占比 — % of all activations in the window (0 when there are none).
    pub pct: f64,
}

/// 结论等级 — how a finding judges the alarm system; ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 达标
    Ok,
    /// 需关注 — within the maximum, or needs an action plan.
    Warning,
    /// 不达标
    Violation,
}

/// 考核项代码 — machine code of a finding; stable, for filters and i18n.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FindingCode {
    /// 平均报警率可接受
    RateAcceptable,
    /// 平均报警率可管理
    RateManageable,
    /// 平均报警率超负荷
    RateOverloaded,
    /// 泛滥时段占比达标
    FloodPeriodsOk,
    /// 泛滥时段占比过高
    FloodPeriodsExcessive,
    /// 单时段峰值达标
    PeakPeriodOk,
    /// 单时段峰值过高
    PeakPeriodExcessive,
    /// 前 N 名占比达标
    TopShareOk,
    /// 前 N 名占比过高
    TopShareHigh,
    /// 无振荡报警
    NoChattering,
    /// 存在振荡报警
    ChatteringPresent,
    /// 无瞬时报警
    NoFleeting,
    /// 存在瞬时报警
    FleetingPresent,
    /// 常驻报警数达标
    StaleOk,
    /// 常驻报警过多
    StaleExcessive,
    /// 紧急报警占比达标
    EmergencyShareOk,
    /// 紧急报警占比过高
    EmergencyShareHigh,
    /// 优先级分布达标
    PriorityMixOk,
    /// 优先级分布偏离目标
    PriorityMixDeviates,
    /// 窗口内无报警
    NoActivations,
}

/// 考核项 — one finding of the assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub code: FindingCode,
    pub verdict: Verdict,
    /// 实际值 — the measured figure.
    pub value: f64,
    /// 目标值 — the target it was compared with.
    pub target: f64,
    /// 中文说明
    pub zh: String,
    /// English explanation
    pub en: String,
}

/// 评估 — the report judged against the ISA-18.2 targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    /// 报警负荷等级 — from the average rate per 10 min.
    pub load: LoadLevel,
    /// 最差结论 — the worst verdict of all findings.
    pub overall: Verdict,
    pub findings: Vec<Finding>,
}

/// 报警系统绩效报告 — ISA-18.2 / EEMUA 191 KPIs of one window.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KpiReport {
    /// 窗口起点 (inclusive, UTC epoch ms)
    pub from_ms: i64,
    /// 窗口终点 (exclusive)
    pub to_ms: i64,
    /// 统计时段长度 (ms)
    pub period_ms: i64,
    /// 报警总数 — activations raised in `[from_ms, to_ms)`.
    pub total_activations: u64,
    /// 报警种类数 — distinct `alarm_key`s among them.
    pub distinct_alarms: u64,
    /// 平均每 10 分钟
    pub avg_per_10min: f64,
    /// 平均每小时
    pub avg_per_hour: f64,
    /// 平均每天
    pub avg_per_day: f64,
    /// 时段数 — periods in the window (the last may be partial).
    pub periods: u64,
    /// 单时段最大报警数 — most activations in any one period.
    pub max_per_period: u64,
    /// 泛滥时段数 — periods with more than `flood_above` activations.
    pub periods_in_flood: u64,
    /// 泛滥时段占比 (%)
    pub pct_periods_in_flood: f64,
    /// 报警泛滥事件
    pub flood_episodes: Vec<FloodEpisode>,
    /// 泛滥总时长 (ms) — the episodes' durations added up.
    pub time_in_flood_ms: i64,
    /// 泛滥时间占比 (%)
    pub pct_time_in_flood: f64,
    /// 振荡报警 — most chattering first.
    pub chattering: Vec<ChatteringAlarm>,
    /// 瞬时报警数 — activations cleared within `fleeting_max_ms`.
    pub fleeting_count: u64,
    /// 常驻报警 — oldest first.
    pub stale: Vec<StaleAlarm>,
    /// 前 N 名高频报警
    pub top: Vec<TopContributor>,
    /// 前 N 名合计占比 (%)
    pub top_share_pct: f64,
    /// 优先级分布 — one entry per priority, most urgent first.
    pub priority_distribution: Vec<PriorityShare>,
    /// 不一致记录数 — records whose clear or acknowledge time lies before the
    /// raise time; those times were ignored.
    pub inconsistent_records: u64,
    /// 评估
    pub assessment: Assessment,
}
