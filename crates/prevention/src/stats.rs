//! 双重预防统计 — statistics over slices of evaluated windows and hidden dangers, overall
//! or grouped by any key the caller supplies (enterprise, park, region …).
//!
//! Definitions (see `docs/dual-prevention.md`; to be aligned with the MEM guide, assumed):
//! - 任务完成率 = done windows ÷ (done + missed windows); pending and upcoming windows are
//!   not yet due and count in neither;
//! - 未排查数 = missed windows (`CHECK_STATUS` 2);
//! - 隐患数 (found) = registered dangers except withdrawn and invalid ones;
//! - 整改率 = accepted ÷ found; 按期整改率 = accepted by the deadline ÷ found (a danger
//!   without a deadline, e.g. fixed on the spot, is on time when accepted);
//! - 逾期 = open and now > deadline.
//!
//! A rate whose denominator is 0 has `value: None`, never NaN.

use crate::codes::{DangerLevel, DangerSrc, HazardDangerType};
use crate::danger::{DangerStatus, HiddenDanger};
use crate::schedule::{WindowState, WindowStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// 比率 — a fraction with its parts; `value` is `None` when the denominator is 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    /// 分子
    pub numerator: u64,
    /// 分母
    pub denominator: u64,
    /// numerator ÷ denominator, in 0 … 1 when numerator ≤ denominator
    pub value: Option<f64>,
}

impl Rate {
    /// `numerator / denominator`, `None` for a zero denominator.
    pub fn new(numerator: u64, denominator: u64) -> Self {
        Self {
            numerator,
            denominator,
            value: (denominator != 0).then(|| numerator as f64 / denominator as f64),
        }
    }
}

/// 排查任务统计
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionStats {
    /// 应排查 — windows due (done + missed)
    pub due: u64,
    /// 已完成
    pub done: u64,
    /// 未排查 (`CHECK_STATUS` 2)
    pub not_inspected: u64,
    /// 进行中
    pub pending: u64,
    /// 未开始
    pub upcoming: u64,
    /// 任务完成率 = done ÷ due
    pub completion_rate: Rate,
}

/// 排查任务统计 — over evaluated windows.
pub fn inspection_stats<'a>(
    statuses: impl IntoIterator<Item = &'a WindowStatus>,
) -> InspectionStats {
    let (mut done, mut missed, mut pending, mut upcoming) = (0u64, 0u64, 0u64, 0u64);
    for s in statuses {
        match s.state {
            WindowState::Done => done += 1,
            WindowState::Missed => missed += 1,
            WindowState::Pending => pending += 1,
            WindowState::Upcoming => upcoming += 1,
        }
    }
    InspectionStats {
        due: done + missed,
        done,
        not_inspected: missed,
        pending,
        upcoming,
        completion_rate: Rate::new(done, done + missed),
    }
}

/// 隐患统计输入 — the facts of one danger the statistics need (build it from a
/// [`HiddenDanger`] with `From`, or from stored rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DangerFacts {
    /// `DANGER_LEVEL`, `None` while ungraded
    pub level: Option<DangerLevel>,
    /// `HAZARD_DANGER_TYPE`
    pub danger_type: HazardDangerType,
    /// `DANGER_SRC`
    pub source: DangerSrc,
    /// status
    pub status: DangerStatus,
    /// effective deadline
    pub deadline_ms: Option<i64>,
    /// acceptance time, once accepted
    pub accepted_at_ms: Option<i64>,
}

impl From<&HiddenDanger> for DangerFacts {
    fn from(d: &HiddenDanger) -> Self {
        Self {
            level: d.level(),
            danger_type: d.danger_type,
            source: d.source,
            status: d.status,
            deadline_ms: d.deadline_ms(),
            accepted_at_ms: d.acceptance.as_ref().map(|a| a.at_ms),
        }
    }
}

/// 隐患计数
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DangerCounts {
    /// 发现 — found (excluding withdrawn and invalid)
    pub found: u64,
    /// 已整改（验收）— accepted
    pub fixed: u64,
    /// 按期整改 — accepted by the deadline (or without a deadline)
    pub fixed_on_time: u64,
    /// 未整改 — open
    pub open: u64,
    /// 逾期 — open past the deadline
    pub overdue: u64,
}

impl DangerCounts {
    fn add(&mut self, f: &DangerFacts, now_ms: i64) {
        if matches!(f.status, DangerStatus::Withdrawn | DangerStatus::Invalid) {
            return;
        }
        self.found += 1;
        if f.status == DangerStatus::Accepted {
            self.fixed += 1;
            let on_time = match (f.deadline_ms, f.accepted_at_ms) {
                (Some(dl), Some(at)) => at <= dl,
                (None, _) => true,
                (Some(_), None) => false,
            };
            if on_time {
                self.fixed_on_time += 1;
            }
        } else {
            self.open += 1;
            if f.deadline_ms.is_some_and(|dl| now_ms > dl) {
                self.overdue += 1;
            }
        }
    }
}

/// 分项 — counts for one value of a breakdown key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown<K> {
    /// the value (level, type or source)
    pub key: K,
    /// its counts
    pub counts: DangerCounts,
}

/// 隐患统计
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DangerStats {
    /// 合计
    pub total: DangerCounts,
    /// 未分级 — found but not yet graded
    pub ungraded: u64,
    /// 重大隐患未整改 — open major dangers
    pub major_open: u64,
    /// 按等级
    pub by_level: Vec<Breakdown<DangerLevel>>,
    /// 按类型
    pub by_type: Vec<Breakdown<HazardDangerType>>,
    /// 按来源
    pub by_source: Vec<Breakdown<DangerSrc>>,
    /// 隐患整改率 = fixed ÷ found
    pub rectification_rate: Rate,
    /// 按期整改率 = fixed on time ÷ found
    pub on_time_rate: Rate,
}

fn breakdown<K: Ord + Copy>(map: BTreeMap<K, DangerCounts>) -> Vec<Breakdown<K>> {
    map.into_iter()
        .map(|(key, counts)| Breakdown { key, counts })
        .collect()
}

/// 隐患统计 — over danger facts at `now_ms` (for overdue).
pub fn danger_stats<'a>(
    items: impl IntoIterator<Item = &'a DangerFacts>,
    now_ms: i64,
) -> DangerStats {
    let mut total = DangerCounts::default();
    let mut ungraded = 0u64;
    let mut major_open = 0u64;
    let mut by_level: BTreeMap<DangerLevel, DangerCounts> = BTreeMap::new();
    let mut by_type: BTreeMap<HazardDangerType, DangerCounts> = BTreeMap::new();
    let mut by_source: BTreeMap<DangerSrc, DangerCounts> = BTreeMap::new();
    for f in items {
        if matches!(f.status, DangerStatus::Withdrawn | DangerStatus::Invalid) {
            continue;
        }
        total.add(f, now_ms);
        match f.level {
            Some(l) => by_level.entry(l).or_default().add(f, now_ms),
            None => ungraded += 1,
        }
        if f.level == Some(DangerLevel::Major) && f.status.is_open() {
            major_open += 1;
        }
        by_type.entry(f.danger_type).or_default().add(f, now_ms);
        by_source.entry(f.source).or_default().add(f, now_ms);
    }
    DangerStats {
        total,
        ungraded,
        major_open,
        by_level: breakdown(by_level),
        by_type: breakdown(by_type),
        by_source: breakdown(by_source),
        rectification_rate: Rate::new(total.fixed, total.found),
        on_time_rate: Rate::new(total.fixed_on_time, total.found),
    }
}

/// 分组结果 — statistics of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group<K, S> {
    /// the group key (enterprise, park, region …)
    pub key: K,
    /// the group's statistics
    pub stats: S,
}

/// Groups items by `key`, in key order, keeping each group's items in input order.
fn group<T, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> BTreeMap<K, Vec<&T>> {
    let mut map: BTreeMap<K, Vec<&T>> = BTreeMap::new();
    for it in items {
        map.entry(key(it)).or_default().push(it);
    }
    map
}

/// 分组排查统计 — [`inspection_stats`] per key, in key order.
pub fn inspection_stats_by<T, K: Ord>(
    items: &[T],
    key: impl Fn(&T) -> K,
    status: impl Fn(&T) -> &WindowStatus,
) -> Vec<Group<K, InspectionStats>> {
    group(items, key)
        .into_iter()
        .map(|(key, members)| Group {
            key,
            stats: inspection_stats(members.into_iter().map(&status)),
        })
        .collect()
}

/// 分组隐患统计 — [`danger_stats`] per key, in key order.
pub fn danger_stats_by<T, K: Ord>(
    items: &[T],
    key: impl Fn(&T) -> K,
    facts: impl Fn(&T) -> &DangerFacts,
    now_ms: i64,
) -> Vec<Group<K, DangerStats>> {
    group(items, key)
        .into_iter()
        .map(|(key, members)| Group {
            key,
            stats: danger_stats(members.into_iter().map(&facts), now_ms),
        })
        .collect()
}
