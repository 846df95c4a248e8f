//! Property tests: the fast sliding-window figures agree with brute force,
//! and the report is internally consistent.

use proptest::prelude::*;
use weihua_core::{AlarmKind, AlarmPriority};
use weihua_kpi::{AlarmOccurrence, GroupBy, KpiConfig, compute, compute_grouped};

const MIN: i64 = 60_000;

fn record() -> impl Strategy<Value = AlarmOccurrence> {
    (
        0u8..8,
        0usize..4,
        -40 * MIN..100 * MIN,
        prop::option::of(-1000i64..30 * MIN),
        0u8..3,
    )
        .prop_map(|(key, prio, raised, clear_after, ent)| AlarmOccurrence {
            alarm_key: format!("K{key}"),
            label: format!("K{key} 高报"),
            enterprise_id: format!("E{ent}"),
            position: format!("P{}", key % 2),
            priority: AlarmPriority::ALL[prio],
            kind: AlarmKind::Limit,
            raised_at_ms: raised,
            cleared_at_ms: clear_after.map(|d| raised + d),
            acked_at_ms: None,
        })
}

fn small_cfg() -> KpiConfig {
    // Short windows so that small random sets hit every branch.
    KpiConfig {
        period_ms: 2 * MIN,
        flood_above: 4,
        flood_end_below: 2,
        chatter_min_activations: 3,
        chatter_window_ms: MIN,
        fleeting_max_ms: 10_000,
        stale_after_ms: 30 * MIN,
        top_n: 3,
        ..KpiConfig::default()
    }
}

/// The flood rule evaluated at every instant where the sliding count changes.
fn brute_force_floods(
    inside: &[&AlarmOccurrence],
    to: i64,
    cfg: &KpiConfig,
) -> Vec<(i64, i64, bool)> {
    let w = cfg.period_ms;
    let ts: Vec<i64> = inside.iter().map(|x| x.raised_at_ms).collect();
    let mut instants: Vec<i64> = ts
        .iter()
        .flat_map(|&t| [t, t + w])
        .filter(|&t| t < to)
        .collect();
    instants.sort_unstable();
    instants.dedup();
    let mut out = Vec::new();
    let mut start: Option<i64> = None;
    let mut last_end = i64::MIN;
    for now in instants {
        let in_window: Vec<i64> = ts
            .iter()
            .copied()
            .filter(|&t| t > now - w && t <= now)
            .collect();
        let c = in_window.len();
        match start {
            None if c > cfg.flood_above as usize => {
                start = in_window.iter().copied().filter(|&t| t >= last_end).min()
            }
            Some(s) if c < cfg.flood_end_below as usize => {
                out.push((s, now, false));
                last_end = now;
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, to, true));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn report_is_consistent_and_matches_brute_force(
        recs in prop::collection::vec(record(), 0..80),
        from in -10 * MIN..10 * MIN,
        len in 1i64..90 * MIN,
    ) {
        let cfg = small_cfg();
        let to = from + len;
        let r = compute(&recs, from, to, &cfg).unwrap();
        let inside: Vec<&AlarmOccurrence> =
            recs.iter().filter(|x| x.raised_at_ms >= from && x.raised_at_ms < to).collect();

        // Total equals the records in the window.
        prop_assert_eq!(r.total_activations, inside.len() as u64);
        // Periods.
        prop_assert_eq!(r.periods, ((len + cfg.period_ms - 1) / cfg.period_ms) as u64);
        prop_assert!(r.periods_in_flood <= r.periods);
        prop_assert!(r.max_per_period <= r.total_activations);
        let mut per_period = std::collections::BTreeMap::new();
        for x in &inside {
            *per_period.entry((x.raised_at_ms - from) / cfg.period_ms).or_insert(0u64) += 1;
        }
        prop_assert_eq!(r.max_per_period, per_period.values().copied().max().unwrap_or(0));
        prop_assert_eq!(
            r.periods_in_flood,
            per_period.values().filter(|&&c| c > u64::from(cfg.flood_above)).count() as u64
        );

        // Shares sum to ~100 %.
        if r.total_activations > 0 {
            let s: f64 = r.priority_distribution.iter().map(|p| p.pct).sum();
            prop_assert!((s - 100.0).abs() < 1e-9, "priority shares sum to {}", s);
            let top: f64 = r.top.iter().map(|t| t.share_pct).sum();
            prop_assert!((top - r.top_share_pct).abs() < 1e-9);
            prop_assert!(r.top_share_pct <= 100.0 + 1e-9);
        } else {
            prop_assert!(r.top.is_empty());
        }
        let counts: u64 = r.priority_distribution.iter().map(|p| p.count).sum();
        prop_assert_eq!(counts, r.total_activations);
        prop_assert!(r.top.len() <= cfg.top_n);
        prop_assert!(r.top.windows(2).all(|w| w[0].count >= w[1].count));

        // Chattering against brute force (half-open window of chatter_window_ms).
        let mut keys: Vec<&str> = inside.iter().map(|x| x.alarm_key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        prop_assert_eq!(r.distinct_alarms, keys.len() as u64);
        let mut expect_chatter = Vec::new();
        for k in &keys {
            let ts: Vec<i64> = inside.iter().filter(|x| x.alarm_key == *k).map(|x| x.raised_at_ms).collect();
            let best = ts
                .iter()
                .map(|&a| ts.iter().filter(|&&b| b >= a && b < a + cfg.chatter_window_ms).count())
                .max()
                .unwrap_or(0) as u64;
            if best >= u64::from(cfg.chatter_min_activations) {
                expect_chatter.push((k.to_string(), best));
            }
        }
        let mut got: Vec<(String, u64)> =
            r.chattering.iter().map(|c| (c.alarm_key.clone(), c.max_in_window)).collect();
        got.sort();
        prop_assert_eq!(got, expect_chatter);

        // Fleeting and stale against brute force.
        let fleeting = inside
            .iter()
            .filter(|x| x.cleared_at_ms.is_some_and(|c| c >= x.raised_at_ms && c - x.raised_at_ms < cfg.fleeting_max_ms))
            .count() as u64;
        prop_assert_eq!(r.fleeting_count, fleeting);
        let mut stale_keys: Vec<String> = recs
            .iter()
            .filter(|x| x.raised_at_ms < to
                && x.cleared_at_ms.is_none_or(|c| c > to && c >= x.raised_at_ms)
                && to - x.raised_at_ms > cfg.stale_after_ms)
            .map(|x| x.alarm_key.clone())
            .collect();
        stale_keys.sort();
        stale_keys.dedup();
        let mut got: Vec<String> = r.stale.iter().map(|s| s.alarm_key.clone()).collect();
        got.sort();
        prop_assert_eq!(got, stale_keys);

        // Flood episodes: ordered, disjoint, inside the window, each holding
        // more than flood_above activations; together no more than the total.
        let mut sum = 0;
        let mut last_end = i64::MIN;
        for e in &r.flood_episodes {
            prop_assert!(e.start_ms >= last_end && e.start_ms < e.end_ms && e.end_ms <= to);
            prop_assert!(e.activations > u64::from(cfg.flood_above));
            prop_assert!(e.peak_per_period > u64::from(cfg.flood_above));
            let in_ep = inside.iter().filter(|x| x.raised_at_ms >= e.start_ms && x.raised_at_ms < e.end_ms).count();
            prop_assert_eq!(e.activations, in_ep as u64);
            last_end = e.end_ms;
            sum += e.activations;
        }
        prop_assert!(sum <= r.total_activations);
        prop_assert_eq!(
            r.flood_episodes.iter().map(|e| (e.start_ms, e.end_ms, e.ongoing)).collect::<Vec<_>>(),
            brute_force_floods(&inside, to, &cfg)
        );
        prop_assert!(r.pct_time_in_flood <= 100.0 + 1e-9);
        // A flood period implies a flood episode.
        if r.periods_in_flood > 0 {
            prop_assert!(!r.flood_episodes.is_empty());
        }
    }

    #[test]
    fn groups_add_up_to_the_whole(
        recs in prop::collection::vec(record(), 0..60),
        from in -10 * MIN..10 * MIN,
        len in 1i64..90 * MIN,
    ) {
        let cfg = KpiConfig::default();
        let whole = compute(&recs, from, from + len, &cfg).unwrap();
        for by in [GroupBy::Enterprise, GroupBy::Position] {
            let g = compute_grouped(&recs, from, from + len, &cfg, by).unwrap();
            let total: u64 = g.values().map(|r| r.total_activations).sum();
            prop_assert_eq!(total, whole.total_activations);
            let stale: usize = g.values().map(|r| r.stale.len()).sum();
            prop_assert!(stale >= whole.stale.len());
        }
    }
}
