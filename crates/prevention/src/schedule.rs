//! 隐患排查任务排期 — due windows of an inspection task (隐患排查任务) from its
//! `CHECK_CYCLE` + `CHECK_CYCLE_UNIT`, in China time (UTC+08:00, no daylight saving), and
//! the evaluation of a window against inspection records (隐患排查记录).
//!
//! Window rules (see `docs/dual-prevention.md`):
//! - 天/周/月/季/半年/年: windows start on local calendar boundaries — midnight, Monday
//!   00:00, the 1st of a month, 1 Jan/Apr/Jul/Oct, 1 Jan/Jul, 1 Jan. A cycle of N units
//!   groups N consecutive periods, counted from the period that contains the anchor
//!   (e.g. every 3 years anchored in 2023: 2023–2025, 2026–2028, …).
//! - 小时: a cycle of h hours (decimals allowed, ≥ 1 min, whole seconds) of at most 24 h
//!   restarts at every local midnight: every 2 h gives 00:00–02:00, 02:00–04:00, …; when
//!   h does not divide 24 h, the last window of the day ends at midnight (assumed). A cycle
//!   over 24 h runs back to back from the local midnight of the anchor's day (assumed).
//! - 班: shifts from a [`ShiftPattern`] (default 00:00 / 08:00 / 16:00, assumed); a cycle of
//!   N shifts groups N consecutive shifts counted from the anchor's shift.
//!
//! Windows are half-open `[start, end)`, never overlap, and without an active window or
//! suspensions they cover the queried range without gaps. A window that lies wholly in a
//! suspension (装置停用/检维修) or outside the task's active period is not due; one that
//! is only partly suspended is due and flagged.

use crate::calendar::{
    DAY_MS, HOUR_MS, MAX_INSTANT_MS, MIN_INSTANT_MS, MINUTE_MS, civil_from_days, days_from_civil,
    to_local, to_utc,
};
use crate::codes::{CheckCycleUnit, CheckStatus};
use serde::{Deserialize, Serialize};

/// Largest N for calendar and shift cycles (assumed bound, keeps arithmetic small).
pub const MAX_CYCLE_COUNT: u32 = 1_000;
/// Largest hour cycle: ten years of hours (assumed bound).
pub const MAX_CYCLE_HOURS: f64 = 87_600.0;
/// Largest "at least N per window" requirement (assumed bound).
pub const MAX_REQUIRED_COUNT: u32 = 10_000;
/// Default bound on the windows one query may produce.
pub const DEFAULT_MAX_WINDOWS: u64 = 100_000;

/// 排期错误 — why windows could not be produced. `Display` is "中文 / English".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum ScheduleError {
    /// 排查周期无效 — `CHECK_CYCLE` / `CHECK_CYCLE_UNIT` unusable.
    #[error("{} / {}", self.zh(), self.en())]
    InvalidCycle {
        /// 中文说明
        zh: String,
        /// English explanation
        en: String,
    },
    /// 查询区间为空或倒置 — `from_ms` is not before `to_ms`.
    #[error("{} / {}", self.zh(), self.en())]
    InvalidRange {
        /// start
        from_ms: i64,
        /// end
        to_ms: i64,
    },
    /// 时间超出支持范围 — an instant outside 1900-01-01 … 9999-12-31 (UTC).
    #[error("{} / {}", self.zh(), self.en())]
    InstantOutOfRange {
        /// which field
        field: String,
        /// the value given
        value_ms: i64,
    },
    /// 窗口过多 — the query would produce more windows than allowed.
    #[error("{} / {}", self.zh(), self.en())]
    TooManyWindows {
        /// windows the query would produce
        count: u64,
        /// the configured bound
        max: u64,
    },
    /// 任务或配置无效 — a task field or a [`ScheduleConfig`] field is invalid.
    #[error("{} / {}", self.zh(), self.en())]
    InvalidSetting {
        /// the field, e.g. `required_count` or `shifts.start_minutes`
        field: String,
        /// 中文说明
        zh: String,
        /// English explanation
        en: String,
    },
}

impl ScheduleError {
    /// Machine code (snake_case variant name).
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidCycle { .. } => "invalid_cycle",
            Self::InvalidRange { .. } => "invalid_range",
            Self::InstantOutOfRange { .. } => "instant_out_of_range",
            Self::TooManyWindows { .. } => "too_many_windows",
            Self::InvalidSetting { .. } => "invalid_setting",
        }
    }

    /// 中文说明
    pub fn zh(&self) -> String {
        match self {
            Self::InvalidCycle { zh, .. } => format!("排查周期无效：{zh}"),
            Self::InvalidRange { from_ms, to_ms } => {
                format!("查询区间为空或倒置：起点 {from_ms} 必须早于终点 {to_ms}")
            }
            Self::InstantOutOfRange { field, value_ms } => format!(
                "{field} 的时间 {value_ms} 超出支持范围（1900-01-01 至 9999-12-31，UTC 毫秒）"
            ),
            Self::TooManyWindows { count, max } => {
                format!("查询将产生 {count} 个排查窗口，超过上限 {max}，请缩小查询区间")
            }
            Self::InvalidSetting { field, zh, .. } => format!("设置项 {field} 无效：{zh}"),
        }
    }

    /// English explanation
    pub fn en(&self) -> String {
        match self {
            Self::InvalidCycle { en, .. } => format!("invalid inspection cycle: {en}"),
            Self::InvalidRange { from_ms, to_ms } => {
                format!("empty or inverted range: from_ms {from_ms} must be before to_ms {to_ms}")
            }
            Self::InstantOutOfRange { field, value_ms } => format!(
                "{field} {value_ms} is outside the supported range (1900-01-01 to 9999-12-31, UTC ms)"
            ),
            Self::TooManyWindows { count, max } => format!(
                "the query would produce {count} inspection windows, more than the limit {max}; narrow the range"
            ),
            Self::InvalidSetting { field, en, .. } => format!("invalid setting {field}: {en}"),
        }
    }

    fn cycle(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::InvalidCycle {
            zh: zh.into(),
            en: en.into(),
        }
    }

    fn setting(field: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::InvalidSetting {
            field: field.to_string(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// 排查周期 — `CHECK_CYCLE` (a positive number; decimals only for hours) and
/// `CHECK_CYCLE_UNIT`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cycle {
    /// `CHECK_CYCLE` — every how many units
    pub value: f64,
    /// `CHECK_CYCLE_UNIT`
    pub unit: CheckCycleUnit,
}

impl Cycle {
    /// A cycle of `value` units (validated when used).
    pub fn new(value: f64, unit: CheckCycleUnit) -> Self {
        Self { value, unit }
    }

    /// From the interface fields: `CHECK_CYCLE` and the `CHECK_CYCLE_UNIT` word (小时, 天, …).
    pub fn from_interface(check_cycle: f64, check_cycle_unit: &str) -> Result<Self, ScheduleError> {
        let unit = CheckCycleUnit::from_code(check_cycle_unit.trim()).ok_or_else(|| {
            ScheduleError::cycle(
                format!("未知的周期单位「{check_cycle_unit}」（应为 小时/班/天/周/月/季/半年/年）"),
                format!(
                    "unknown cycle unit '{check_cycle_unit}' (expected 小时/班/天/周/月/季/半年/年)"
                ),
            )
        })?;
        let c = Self::new(check_cycle, unit);
        c.validate()?;
        Ok(c)
    }

    /// Checks the value: finite and positive; for hours at least one minute, whole seconds
    /// and at most [`MAX_CYCLE_HOURS`]; for other units a whole number 1 … [`MAX_CYCLE_COUNT`].
    pub fn validate(&self) -> Result<(), ScheduleError> {
        self.resolve().map(|_| ())
    }

    /// Hour length in ms, or the whole count for other units.
    fn resolve(&self) -> Result<Resolved, ScheduleError> {
        let v = self.value;
        if !v.is_finite() || v <= 0.0 {
            return Err(ScheduleError::cycle(
                format!("周期值必须是正数，当前为 {v}"),
                format!("the cycle value must be a positive number, got {v}"),
            ));
        }
        if self.unit == CheckCycleUnit::Hour {
            if v > MAX_CYCLE_HOURS {
                return Err(ScheduleError::cycle(
                    format!("小时周期不得超过 {MAX_CYCLE_HOURS} 小时，当前为 {v}"),
                    format!("an hour cycle must not exceed {MAX_CYCLE_HOURS} h, got {v}"),
                ));
            }
            let ms = v * HOUR_MS as f64;
            let rounded = ms.round();
            if (ms - rounded).abs() > 1e-3 || rounded < MINUTE_MS as f64 || rounded % 1000.0 != 0.0
            {
                return Err(ScheduleError::cycle(
                    format!("小时周期 {v} 必须不短于 1 分钟且为整秒"),
                    format!("an hour cycle of {v} must be at least one minute and whole seconds"),
                ));
            }
            return Ok(Resolved::HourMs(rounded as i64));
        }
        if v.fract() != 0.0 || v > f64::from(MAX_CYCLE_COUNT) {
            return Err(ScheduleError::cycle(
                format!(
                    "以「{}」为单位的周期必须是 1 至 {MAX_CYCLE_COUNT} 的整数，当前为 {v}（小数周期请用小时）",
                    self.unit.label_zh()
                ),
                format!(
                    "a cycle in {}s must be a whole number 1 to {MAX_CYCLE_COUNT}, got {v} (use hours for fractions)",
                    self.unit.label_en()
                ),
            ));
        }
        Ok(Resolved::Count(v as i64))
    }
}

enum Resolved {
    HourMs(i64),
    Count(i64),
}

/// 班次 — the start times of the shifts of a day, in minutes after local midnight,
/// strictly increasing. A shift ends where the next starts; the last one ends at the
/// first start of the next day. Default 00:00, 08:00, 16:00 (three 8-hour shifts, assumed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftPattern {
    /// 每班开始时间（当日分钟数）— shift start times, minutes after 00:00 local
    pub start_minutes: Vec<u32>,
}

impl Default for ShiftPattern {
    fn default() -> Self {
        Self {
            start_minutes: vec![0, 8 * 60, 16 * 60],
        }
    }
}

impl ShiftPattern {
    /// Non-empty, at most 48 shifts, each start in 0 … 1439, strictly increasing.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        let s = &self.start_minutes;
        let field = "shifts.start_minutes";
        if s.is_empty() || s.len() > 48 {
            return Err(ScheduleError::setting(
                field,
                "班次数必须为 1 至 48",
                "there must be 1 to 48 shifts",
            ));
        }
        if s.iter().any(|m| *m >= 24 * 60) {
            return Err(ScheduleError::setting(
                field,
                "班次开始时间必须在 0 至 1439 分钟之间",
                "shift start times must be 0 to 1439 minutes after midnight",
            ));
        }
        if s.windows(2).any(|w| w[0] >= w[1]) {
            return Err(ScheduleError::setting(
                field,
                "班次开始时间必须严格递增",
                "shift start times must be strictly increasing",
            ));
        }
        Ok(())
    }
}

/// 排期配置 — shift pattern and the bound on windows per query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleConfig {
    /// 班次
    #[serde(default)]
    pub shifts: ShiftPattern,
    /// 单次查询最多窗口数 (default 100 000, assumed)
    #[serde(default = "default_max_windows")]
    pub max_windows: u64,
}

fn default_max_windows() -> u64 {
    DEFAULT_MAX_WINDOWS
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        Self {
            shifts: ShiftPattern::default(),
            max_windows: DEFAULT_MAX_WINDOWS,
        }
    }
}

impl ScheduleConfig {
    /// Valid shifts and `max_windows` ≥ 1.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        self.shifts.validate()?;
        if self.max_windows == 0 {
            return Err(ScheduleError::setting(
                "max_windows",
                "必须至少为 1",
                "must be at least 1",
            ));
        }
        Ok(())
    }
}

/// 时间区间 — a half-open interval `[start_ms, end_ms)` of UTC epoch ms, e.g. a unit's
/// out-of-service period (`STOP_START_TIME` … `STOP_END_TIME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    /// start (inclusive)
    pub start_ms: i64,
    /// end (exclusive)
    pub end_ms: i64,
}

/// 任务排期 — the scheduling part of an inspection task (隐患排查任务).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskSchedule {
    /// 排查周期
    pub cycle: Cycle,
    /// 每个周期至少排查次数 — at least this many records per window (e.g. ≥ 2 per day); default 1
    #[serde(default = "one")]
    pub required_count: u32,
    /// 锚点 — fixes the phase of multi-unit cycles (the window containing it starts the count)
    pub anchor_ms: i64,
    /// 启用时间 — no window is due before this (inclusive)
    #[serde(default)]
    pub active_from_ms: Option<i64>,
    /// 停用时间 — no window is due from this on (exclusive)
    #[serde(default)]
    pub active_until_ms: Option<i64>,
    /// 装置停用/检维修区间 — suspensions; a window wholly inside them is not due
    #[serde(default)]
    pub suspensions: Vec<Interval>,
}

fn one() -> u32 {
    1
}

impl TaskSchedule {
    /// A task with one check per cycle, anchored at `anchor_ms`, always active.
    pub fn new(cycle: Cycle, anchor_ms: i64) -> Self {
        Self {
            cycle,
            required_count: 1,
            anchor_ms,
            active_from_ms: None,
            active_until_ms: None,
            suspensions: Vec::new(),
        }
    }
}

/// 排查窗口 — one due window `[start_ms, end_ms)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueWindow {
    /// 序号 — window number counted from the anchor's window (0), negative before it
    pub seq: i64,
    /// start, UTC epoch ms (inclusive)
    pub start_ms: i64,
    /// end, UTC epoch ms (exclusive)
    pub end_ms: i64,
    /// 要求次数 — records required within the window
    pub required_count: u32,
    /// 部分停用 — part of the window is suspended or outside the active period
    pub partially_suspended: bool,
}

fn check_instant(field: &str, v: i64) -> Result<(), ScheduleError> {
    if (MIN_INSTANT_MS..=MAX_INSTANT_MS).contains(&v) {
        Ok(())
    } else {
        Err(ScheduleError::InstantOutOfRange {
            field: field.to_string(),
            value_ms: v,
        })
    }
}

/// The period grid of a unit, in local ms. `boundary(k)` is strictly increasing in k and
/// `boundary(index_of(t)) <= t < boundary(index_of(t) + 1)`.
enum Grid {
    /// hours of at most a day, restarting at each local midnight
    HourInDay {
        len: i64,
        per_day: i64,
    },
    /// hours over a day, back to back from `origin` (local midnight of the anchor's day)
    HourContinuous {
        len: i64,
        origin: i64,
    },
    /// shifts: start offsets within the day (ms), strictly increasing
    Shift {
        starts: Vec<i64>,
    },
    Day,
    Week,
    /// months per period: 1 month, 3 quarter, 6 half year, 12 year
    Months(i64),
}

impl Grid {
    fn index_of(&self, local: i64) -> i64 {
        let days = local.div_euclid(DAY_MS);
        let in_day = local.rem_euclid(DAY_MS);
        match self {
            Grid::HourInDay { len, per_day } => days * per_day + in_day / len,
            Grid::HourContinuous { len, origin } => (local - origin).div_euclid(*len),
            Grid::Shift { starts } => {
                let n = starts.len() as i64;
                // number of starts at or before in_day
                let after = starts.partition_point(|s| *s <= in_day) as i64;
                days * n + after - 1
            }
            Grid::Day => days,
            // 1970-01-05 (day 4) was a Monday, so week k starts on day 7k − 3.
            Grid::Week => (days + 3).div_euclid(7),
            Grid::Months(per) => {
                let (y, m, _) = civil_from_days(days);
                (y * 12 + i64::from(m) - 1).div_euclid(*per)
            }
        }
    }

    fn boundary(&self, k: i64) -> i64 {
        match self {
            Grid::HourInDay { len, per_day } => {
                k.div_euclid(*per_day) * DAY_MS + (k.rem_euclid(*per_day) * len).min(DAY_MS)
            }
            Grid::HourContinuous { len, origin } => origin + k * len,
            Grid::Shift { starts } => {
                let n = starts.len() as i64;
                let i = k.rem_euclid(n) as usize;
                k.div_euclid(n) * DAY_MS + starts.get(i).copied().unwrap_or(0)
            }
            Grid::Day => k * DAY_MS,
            Grid::Week => (7 * k - 3) * DAY_MS,
            Grid::Months(per) => {
                let mi = k * per;
                let y = mi.div_euclid(12);
                let m = mi.rem_euclid(12) as u32 + 1;
                days_from_civil(y, m, 1) * DAY_MS
            }
        }
    }
}

/// Grid and step (periods per window) of a cycle.
fn plan(
    cycle: &Cycle,
    anchor_local: i64,
    shifts: &ShiftPattern,
) -> Result<(Grid, i64), ScheduleError> {
    let resolved = cycle.resolve()?;
    let grid_and_step = match (cycle.unit, resolved) {
        (CheckCycleUnit::Hour, Resolved::HourMs(len)) => {
            if len <= DAY_MS {
                let per_day = (DAY_MS + len - 1) / len;
                (Grid::HourInDay { len, per_day }, 1)
            } else {
                let origin = anchor_local.div_euclid(DAY_MS) * DAY_MS;
                (Grid::HourContinuous { len, origin }, 1)
            }
        }
        (CheckCycleUnit::Shift, Resolved::Count(n)) => (
            Grid::Shift {
                starts: shifts
                    .start_minutes
                    .iter()
                    .map(|m| i64::from(*m) * MINUTE_MS)
                    .collect(),
            },
            n,
        ),
        (CheckCycleUnit::Day, Resolved::Count(n)) => (Grid::Day, n),
        (CheckCycleUnit::Week, Resolved::Count(n)) => (Grid::Week, n),
        (CheckCycleUnit::Month, Resolved::Count(n)) => (Grid::Months(1), n),
        (CheckCycleUnit::Quarter, Resolved::Count(n)) => (Grid::Months(3), n),
        (CheckCycleUnit::HalfYear, Resolved::Count(n)) => (Grid::Months(6), n),
        (CheckCycleUnit::Year, Resolved::Count(n)) => (Grid::Months(12), n),
        // resolve() returns HourMs exactly for Hour.
        _ => {
            return Err(ScheduleError::cycle(
                "周期单位与取值不匹配",
                "cycle unit and value do not match",
            ));
        }
    };
    Ok(grid_and_step)
}

/// Sorted, merged (disjoint, non-adjacent) suspensions.
fn merge(intervals: &[Interval]) -> Vec<Interval> {
    let mut v: Vec<Interval> = intervals.to_vec();
    v.sort_by_key(|i| (i.start_ms, i.end_ms));
    let mut out: Vec<Interval> = Vec::with_capacity(v.len());
    for i in v {
        match out.last_mut() {
            Some(last) if i.start_ms <= last.end_ms => last.end_ms = last.end_ms.max(i.end_ms),
            _ => out.push(i),
        }
    }
    out
}

/// (wholly covered, touched at all) of `[s, e)` by merged intervals.
fn coverage(s: i64, e: i64, merged: &[Interval]) -> (bool, bool) {
    let idx = merged.partition_point(|iv| iv.end_ms <= s);
    match merged.get(idx) {
        Some(iv) if iv.start_ms < e => (iv.start_ms <= s && iv.end_ms >= e, true),
        _ => (false, false),
    }
}

/// 计算排查窗口 — the due windows of `task` that overlap `[from_ms, to_ms)`, in order.
///
/// Refuses (without allocating) a query that would produce more than
/// `config.max_windows` windows, an invalid cycle, task or config, and instants outside
/// 1900 … 9999. Windows wholly outside the task's active period or wholly inside its
/// suspensions are left out.
pub fn due_windows(
    task: &TaskSchedule,
    from_ms: i64,
    to_ms: i64,
    config: &ScheduleConfig,
) -> Result<Vec<DueWindow>, ScheduleError> {
    config.validate()?;
    check_instant("from_ms", from_ms)?;
    check_instant("to_ms", to_ms)?;
    check_instant("anchor_ms", task.anchor_ms)?;
    if from_ms >= to_ms {
        return Err(ScheduleError::InvalidRange { from_ms, to_ms });
    }
    if task.required_count == 0 || task.required_count > MAX_REQUIRED_COUNT {
        return Err(ScheduleError::setting(
            "required_count",
            format!("必须为 1 至 {MAX_REQUIRED_COUNT}"),
            format!("must be 1 to {MAX_REQUIRED_COUNT}"),
        ));
    }
    if let Some(v) = task.active_from_ms {
        check_instant("active_from_ms", v)?;
    }
    if let Some(v) = task.active_until_ms {
        check_instant("active_until_ms", v)?;
    }
    if let (Some(a), Some(b)) = (task.active_from_ms, task.active_until_ms)
        && a >= b
    {
        return Err(ScheduleError::setting(
            "active_until_ms",
            "停用时间必须晚于启用时间",
            "active_until_ms must be after active_from_ms",
        ));
    }
    for (i, s) in task.suspensions.iter().enumerate() {
        check_instant("suspensions.start_ms", s.start_ms)?;
        check_instant("suspensions.end_ms", s.end_ms)?;
        if s.start_ms >= s.end_ms {
            return Err(ScheduleError::setting(
                &format!("suspensions[{i}]"),
                "停用区间的结束时间必须晚于开始时间",
                "a suspension must end after it starts",
            ));
        }
    }

    let active_from = task.active_from_ms.unwrap_or(i64::MIN);
    let active_until = task.active_until_ms.unwrap_or(i64::MAX);
    let lo = from_ms.max(active_from);
    let hi = to_ms.min(active_until);
    if lo >= hi {
        return Ok(Vec::new());
    }

    let anchor_local = to_local(task.anchor_ms);
    let (grid, step) = plan(&task.cycle, anchor_local, &config.shifts)?;
    let a = grid.index_of(anchor_local);
    let j0 = (grid.index_of(to_local(lo)) - a).div_euclid(step);
    let j1 = (grid.index_of(to_local(hi - 1)) - a).div_euclid(step);
    // j1 ≥ j0 because index_of is monotonic.
    let count = (j1 - j0 + 1).max(0) as u64;
    if count > config.max_windows {
        return Err(ScheduleError::TooManyWindows {
            count,
            max: config.max_windows,
        });
    }

    let merged = merge(&task.suspensions);
    // `count` is bounded by `max_windows`, which the caller may set very high: reserve little.
    let mut out = Vec::with_capacity(count.min(4_096) as usize);
    for j in j0..=j1 {
        let start_ms = to_utc(grid.boundary(a + j * step));
        let end_ms = to_utc(grid.boundary(a + (j + 1) * step));
        let act_s = start_ms.max(active_from);
        let act_e = end_ms.min(active_until);
        if act_s >= act_e {
            continue;
        }
        let (whole, touched) = coverage(act_s, act_e, &merged);
        if whole {
            continue;
        }
        out.push(DueWindow {
            seq: j,
            start_ms,
            end_ms,
            required_count: task.required_count,
            partially_suspended: touched || act_s > start_ms || act_e < end_ms,
        });
    }
    Ok(out)
}

/// 排查记录 — the part of an inspection record (隐患排查记录) a window needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionRecord {
    /// `CHECK_TIME`, UTC epoch ms
    pub check_time_ms: i64,
    /// `CHECK_STATUS`; a record with 2 (未排查) does not count as an inspection
    pub check_status: CheckStatus,
}

/// 窗口状态 — what a window's records say at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowState {
    /// 未开始 — the window has not started and is not yet done
    Upcoming,
    /// 进行中 — open and short of the required count
    Pending,
    /// 已完成 — the required count of records is in the window
    Done,
    /// 未排查 — ended short of the required count (`CHECK_STATUS` 2)
    Missed,
}

/// 窗口评价 — a window's state with the records counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowStatus {
    /// 状态
    pub state: WindowState,
    /// records counted in the window (`CHECK_STATUS` 0, 1 or 3)
    pub done: u32,
    /// records required
    pub required: u32,
}

impl WindowStatus {
    /// `CHECK_STATUS` 2 (未排查) for a missed window; `None` otherwise (the records
    /// themselves carry 0, 1 or 3).
    pub fn check_status(&self) -> Option<CheckStatus> {
        (self.state == WindowState::Missed).then_some(CheckStatus::NotInspected)
    }
}

fn counts(status: CheckStatus) -> bool {
    status != CheckStatus::NotInspected
}

fn status_of(window: &DueWindow, done: u32, now_ms: i64) -> WindowStatus {
    let required = window.required_count;
    let state = if done >= required {
        WindowState::Done
    } else if now_ms < window.start_ms {
        WindowState::Upcoming
    } else if now_ms < window.end_ms {
        WindowState::Pending
    } else {
        WindowState::Missed
    };
    WindowStatus {
        state,
        done,
        required,
    }
}

/// 评价窗口 — counts the records with `start_ms ≤ CHECK_TIME < end_ms` (except
/// `CHECK_STATUS` 2) and says whether the window is done, pending, missed or upcoming at
/// `now_ms`. O(records).
pub fn evaluate_window(
    window: &DueWindow,
    records: &[InspectionRecord],
    now_ms: i64,
) -> WindowStatus {
    let n = records
        .iter()
        .filter(|r| {
            counts(r.check_status)
                && r.check_time_ms >= window.start_ms
                && r.check_time_ms < window.end_ms
        })
        .count();
    status_of(window, u32::try_from(n).unwrap_or(u32::MAX), now_ms)
}

/// 批量评价 — [`evaluate_window`] for many windows in O((w + r) log r).
pub fn evaluate_windows(
    windows: &[DueWindow],
    records: &[InspectionRecord],
    now_ms: i64,
) -> Vec<WindowStatus> {
    let mut times: Vec<i64> = records
        .iter()
        .filter(|r| counts(r.check_status))
        .map(|r| r.check_time_ms)
        .collect();
    times.sort_unstable();
    windows
        .iter()
        .map(|w| {
            let a = times.partition_point(|t| *t < w.start_ms);
            let b = times.partition_point(|t| *t < w.end_ms);
            let n = b.saturating_sub(a);
            status_of(w, u32::try_from(n).unwrap_or(u32::MAX), now_ms)
        })
        .collect()
}
