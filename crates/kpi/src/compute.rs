//! 计算 — one pass over the records, one sort of the activation times, one
//! sort of (alarm, time) pairs, then sliding windows. O(n log n) overall.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};
use weihua_core::AlarmPriority;

use crate::assess::assess;
use crate::config::{DAY_MS, HOUR_MS, TEN_MINUTES_MS};
use crate::{
    AlarmOccurrence, ChatteringAlarm, FloodEpisode, KpiConfig, KpiError, KpiReport, PriorityShare,
    StaleAlarm, TopContributor,
};

/// 分组方式 — how [`compute_grouped`] splits the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// 按企业 — by `enterprise_id`.
    Enterprise,
    /// 按操作岗位 — by `position` (operator console); ISA-18.2 measures per console.
    Position,
}

/// 计算报警系统绩效 — computes the KPIs of `records` over the window
/// `[from_ms, to_ms)`.
///
/// Activations raised outside the window are ignored, except that an alarm
/// raised before `from_ms` and still active at `to_ms` can be stale. The
/// records need not be sorted. Runs in O(n log n).
///
/// # Errors
/// [`KpiError::InvalidWindow`] when `from_ms >= to_ms`;
/// [`KpiError::InvalidConfig`] when `cfg` does not validate.
pub fn compute(
    records: &[AlarmOccurrence],
    from_ms: i64,
    to_ms: i64,
    cfg: &KpiConfig,
) -> Result<KpiReport, KpiError> {
    check(from_ms, to_ms, cfg)?;
    let refs: Vec<&AlarmOccurrence> = records.iter().collect();
    Ok(compute_refs(&refs, from_ms, to_ms, cfg))
}

/// 分组计算 — [`compute`] for each enterprise or each operator position.
///
/// A group appears when at least one of its records was raised before `to_ms`
/// (so a group with only stale alarms still gets a report).
///
/// # Errors
/// As [`compute`].
pub fn compute_grouped(
    records: &[AlarmOccurrence],
    from_ms: i64,
    to_ms: i64,
    cfg: &KpiConfig,
    by: GroupBy,
) -> Result<BTreeMap<String, KpiReport>, KpiError> {
    check(from_ms, to_ms, cfg)?;
    let mut groups: FastMap<&str, Vec<&AlarmOccurrence>> = FastMap::default();
    for r in records.iter().filter(|r| r.raised_at_ms < to_ms) {
        let key = match by {
            GroupBy::Enterprise => r.enterprise_id.as_str(),
            GroupBy::Position => r.position.as_str(),
        };
        groups.entry(key).or_default().push(r);
    }
    Ok(groups
        .into_iter()
        .map(|(k, recs)| (k.to_string(), compute_refs(&recs, from_ms, to_ms, cfg)))
        .collect())
}

fn check(from_ms: i64, to_ms: i64, cfg: &KpiConfig) -> Result<(), KpiError> {
    if from_ms >= to_ms {
        return Err(KpiError::InvalidWindow { from_ms, to_ms });
    }
    cfg.validate()
}

fn priority_index(p: AlarmPriority) -> usize {
    match p {
        AlarmPriority::Emergency => 0,
        AlarmPriority::High => 1,
        AlarmPriority::Medium => 2,
        AlarmPriority::Low => 3,
    }
}

fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// A small, fast, non-cryptographic hasher for the alarm-key maps (FxHash's
/// multiply-rotate step). The keys come from our own journal, so hash
/// flooding is not a concern and SipHash's cost is not worth paying.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Per distinct alarm key seen in the window.
struct KeyInfo<'a> {
    key: &'a str,
    label: &'a str,
    label_at: i64,
    count: u64,
}

fn compute_refs(
    records: &[&AlarmOccurrence],
    from_ms: i64,
    to_ms: i64,
    cfg: &KpiConfig,
) -> KpiReport {
    let duration = i128::from(to_ms) - i128::from(from_ms);
    let mut times: Vec<i64> = Vec::with_capacity(records.len());
    let mut key_ids: FastMap<&str, u32> = FastMap::default();
    let mut keys: Vec<KeyInfo<'_>> = Vec::new();
    let mut pairs: Vec<(u32, i64)> = Vec::with_capacity(records.len());
    let mut prio_counts = [0u64; 4];
    let mut fleeting_count = 0u64;
    let mut inconsistent_records = 0u64;
    let mut stale: FastMap<&str, (i64, &str)> = FastMap::default();

    for r in records {
        let raised = r.raised_at_ms;
        if raised >= to_ms {
            continue;
        }
        let inconsistent = r.cleared_at_ms.is_some_and(|c| c < raised)
            || r.acked_at_ms.is_some_and(|a| a < raised);
        if inconsistent {
            inconsistent_records += 1;
        }
        // 常驻报警: still active at to_ms and active for longer than stale_after_ms.
        let active_at_end = r.cleared_at_ms.is_none_or(|c| c > to_ms);
        if !inconsistent
            && active_at_end
            && i128::from(to_ms) - i128::from(raised) > i128::from(cfg.stale_after_ms)
        {
            let e = stale
                .entry(r.alarm_key.as_str())
                .or_insert((raised, &r.label));
            if raised < e.0 {
                *e = (raised, &r.label);
            }
        }
        if raised < from_ms {
            continue;
        }
        times.push(raised);
        prio_counts[priority_index(r.priority)] += 1;
        if !inconsistent
            && r.cleared_at_ms.is_some_and(|c| {
                i128::from(c) - i128::from(raised) < i128::from(cfg.fleeting_max_ms)
            })
        {
            fleeting_count += 1;
        }
        let id = *key_ids.entry(r.alarm_key.as_str()).or_insert_with(|| {
            keys.push(KeyInfo {
                key: &r.alarm_key,
                label: &r.label,
                label_at: raised,
                count: 0,
            });
            (keys.len() - 1) as u32
        });
        let info = &mut keys[id as usize];
        info.count += 1;
        if raised >= info.label_at {
            info.label = &r.label;
            info.label_at = raised;
        }
        pairs.push((id, raised));
    }

    let total = times.len() as u64;
    times.sort_unstable();

    // Aligned periods: [from + k·period, from + (k+1)·period).
    let period = i128::from(cfg.period_ms);
    let periods = ((duration + period - 1) / period) as u64;
    let mut max_per_period = 0u64;
    let mut periods_in_flood = 0u64;
    let mut i = 0;
    while i < times.len() {
        let idx = (i128::from(times[i]) - i128::from(from_ms)) / period;
        let mut j = i;
        while j < times.len() && (i128::from(times[j]) - i128::from(from_ms)) / period == idx {
            j += 1;
        }
        let count = (j - i) as u64;
        max_per_period = max_per_period.max(count);
        if count > u64::from(cfg.flood_above) {
            periods_in_flood += 1;
        }
        i = j;
    }

    let flood_episodes = flood_episodes(&times, to_ms, cfg);
    let time_in_flood: i128 = flood_episodes
        .iter()
        .map(|e| i128::from(e.end_ms) - i128::from(e.start_ms))
        .sum();

    // Per alarm key: chattering, top-N.
    pairs.sort_unstable();
    let mut chattering = Vec::new();
    let window = cfg.chatter_window_ms;
    let mut i = 0;
    while i < pairs.len() {
        let id = pairs[i].0;
        let mut j = i;
        while j < pairs.len() && pairs[j].0 == id {
            j += 1;
        }
        let ts = &pairs[i..j];
        let mut lo = 0;
        let mut max_in_window = 0usize;
        for hi in 0..ts.len() {
            while ts[lo].1.saturating_add(window) <= ts[hi].1 {
                lo += 1;
            }
            max_in_window = max_in_window.max(hi - lo + 1);
        }
        if max_in_window >= cfg.chatter_min_activations as usize {
            let info = &keys[id as usize];
            chattering.push(ChatteringAlarm {
                alarm_key: info.key.to_string(),
                label: info.label.to_string(),
                max_in_window: max_in_window as u64,
                activations: info.count,
            });
        }
        i = j;
    }
    chattering.sort_by(|a, b| {
        b.max_in_window
            .cmp(&a.max_in_window)
            .then_with(|| a.alarm_key.cmp(&b.alarm_key))
    });

    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        keys[b]
            .count
            .cmp(&keys[a].count)
            .then_with(|| keys[a].key.cmp(keys[b].key))
    });
    let top: Vec<TopContributor> = order
        .iter()
        .take(cfg.top_n)
        .enumerate()
        .map(|(rank, &k)| TopContributor {
            rank: rank + 1,
            alarm_key: keys[k].key.to_string(),
            label: keys[k].label.to_string(),
            count: keys[k].count,
            share_pct: pct(keys[k].count, total),
        })
        .collect();
    let top_share_pct = pct(top.iter().map(|t| t.count).sum(), total);

    let mut stale: Vec<StaleAlarm> = stale
        .into_iter()
        .map(|(key, (since, label))| StaleAlarm {
            alarm_key: key.to_string(),
            label: label.to_string(),
            active_since_ms: since,
            active_for_ms: to_ms.saturating_sub(since),
        })
        .collect();
    stale.sort_by(|a, b| {
        a.active_since_ms
            .cmp(&b.active_since_ms)
            .then_with(|| a.alarm_key.cmp(&b.alarm_key))
    });

    let priority_distribution: Vec<PriorityShare> = AlarmPriority::ALL
        .into_iter()
        .map(|p| {
            let count = prio_counts[priority_index(p)];
            PriorityShare {
                priority: p,
                count,
                pct: pct(count, total),
            }
        })
        .collect();

    let per = |unit: i64| total as f64 * unit as f64 / duration as f64;
    let mut report = KpiReport {
        from_ms,
        to_ms,
        period_ms: cfg.period_ms,
        total_activations: total,
        distinct_alarms: keys.len() as u64,
        avg_per_10min: per(TEN_MINUTES_MS),
        avg_per_hour: per(HOUR_MS),
        avg_per_day: per(DAY_MS),
        periods,
        max_per_period,
        periods_in_flood,
        pct_periods_in_flood: pct(periods_in_flood, periods),
        flood_episodes,
        time_in_flood_ms: i64::try_from(time_in_flood).unwrap_or(i64::MAX),
        pct_time_in_flood: time_in_flood as f64 * 100.0 / duration as f64,
        chattering,
        fleeting_count,
        stale,
        top,
        top_share_pct,
        priority_distribution,
        inconsistent_records,
        assessment: crate::Assessment {
            load: crate::LoadLevel::Acceptable,
            overall: crate::Verdict::Ok,
            findings: Vec::new(),
        },
    };
    report.assessment = assess(&report, cfg);
    report
}

/// 报警泛滥事件 — sliding window of `period_ms` over the sorted activation
/// times. A flood starts when the window `(t − period, t]` holds more than
/// `flood_above` activations; it ends at the first instant `T` at which the
/// window `(T − period, T]` holds fewer than `flood_end_below`. Activations
/// arriving exactly at `T` do not belong to the ended episode.
fn flood_episodes(times: &[i64], to_ms: i64, cfg: &KpiConfig) -> Vec<FloodEpisode> {
    let w = cfg.period_ms;
    let above = cfg.flood_above as usize;
    let end_below = cfg.flood_end_below as usize;
    let n = times.len();
    let mut episodes = Vec::new();
    let (mut lo, mut hi) = (0usize, 0usize);
    // Episodes are disjoint: one starts no earlier than the previous one ended.
    let mut floor = i64::MIN;
    while hi < n {
        let t = times[hi];
        hi += 1;
        while times[lo].saturating_add(w) <= t {
            lo += 1;
        }
        if hi - lo <= above {
            continue;
        }
        let start_idx = lo.max(times.partition_point(|&x| x < floor));
        let mut peak = hi - lo;
        let end = loop {
            // lo < hi here: the count is at least end_below ≥ 1.
            let next_remove = times[lo].saturating_add(w);
            match times.get(hi) {
                Some(&ta) if ta < next_remove => {
                    hi += 1;
                    peak = peak.max(hi - lo);
                }
                _ => {
                    let now = next_remove;
                    if now >= to_ms {
                        break None;
                    }
                    while lo < hi && times[lo].saturating_add(w) <= now {
                        lo += 1;
                    }
                    let mut arriving = 0;
                    while times.get(hi + arriving) == Some(&now) {
                        arriving += 1;
                    }
                    if hi + arriving - lo < end_below {
                        break Some(now);
                    }
                    hi += arriving;
                    peak = peak.max(hi - lo);
                }
            }
        };
        episodes.push(FloodEpisode {
            start_ms: times[start_idx],
            end_ms: end.unwrap_or(to_ms),
            activations: (hi - start_idx) as u64,
            peak_per_period: peak as u64,
            ongoing: end.is_none(),
        });
        match end {
            Some(e) => floor = e,
            None => break,
        }
    }
    episodes
}
