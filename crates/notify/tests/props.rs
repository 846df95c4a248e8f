//! Property tests: any sequence of notices and ticks never panics, keeps
//! state bounded, respects the timing rules, and `next_deadline` is exact.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use weihua_core::{AlarmKind, AlarmPriority};
use weihua_notify::{
    AlarmNotice, NotificationStatus, Notifier, NotifyConfig, NotifyReason, Outgoing,
};

#[derive(Debug, Clone)]
enum Op {
    Notice {
        alarm: u8,
        active: bool,
        acked: bool,
        priority: usize,
        enterprise: u8,
        region: u8,
        kind: usize,
        new_activation: bool,
    },
    Tick(i64),
    /// Tick exactly at next_deadline().
    TickDeadline,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u8..6, any::<bool>(), any::<bool>(), 0usize..4, 0u8..3, 0u8..2, 0usize..3, prop::bool::weighted(0.2))
            .prop_map(|(alarm, active, acked, priority, enterprise, region, kind, new_activation)| Op::Notice {
                alarm, active, acked, priority, enterprise, region, kind, new_activation
            }),
        2 => (0i64..400_000).prop_map(Op::Tick),
        1 => Just(Op::TickDeadline),
    ]
}

fn config(continue_matching: bool) -> NotifyConfig {
    let json = format!(
        r#"{{
      "receivers": [{{"id": "a", "kind": {{"type": "console"}}}},
                    {{"id": "b", "kind": {{"type": "webhook", "url": "http://b.example"}}}}],
      "routes": [
        {{"name": "urgent", "receiver": "a", "matchers": {{"min_priority": "high"}},
          "group_by": ["priority"], "group_wait_ms": 0, "group_interval_ms": 60000,
          "repeat_interval_ms": 300000, "continue_matching": {continue_matching}}},
        {{"name": "suzhou", "receiver": "b", "matchers": {{"region_prefix": "3205"}},
          "group_by": ["enterprise", "kind"], "group_wait_ms": 30000,
          "group_interval_ms": 120000, "repeat_interval_ms": 600000}},
        {{"name": "rest", "receiver": "a", "group_wait_ms": 10000,
          "group_interval_ms": 50000, "repeat_interval_ms": 200000}}
      ],
      "escalation": [
        {{"name": "fast", "min_priority": "high",
          "steps": [{{"after_ms": 60000, "contact": {{"guardian": "operational"}}}},
                    {{"after_ms": 180000, "contact": {{"guardian": "principal"}}}}]}}
      ]
    }}"#
    );
    NotifyConfig::from_json(&json).unwrap()
}

fn interval_of(route: &str) -> i64 {
    match route {
        "urgent" => 60_000,
        "suzhou" => 120_000,
        _ => 50_000,
    }
}

fn run(ops: Vec<Op>, continue_matching: bool) -> Result<(), TestCaseError> {
    let mut n = Notifier::new(config(continue_matching)).unwrap();
    let mut now = 0i64;
    let mut raised: BTreeMap<u8, i64> = BTreeMap::new();
    let mut active: BTreeSet<u8> = BTreeSet::new();
    let mut acked_in_activation: BTreeSet<u8> = BTreeSet::new();
    let mut last_sent: BTreeMap<String, i64> = BTreeMap::new();
    let mut steps_sent: BTreeSet<(String, i64, usize)> = BTreeSet::new();
    let routes = 3;

    let check_out = |out: &[Outgoing],
                     now: i64,
                     last_sent: &mut BTreeMap<String, i64>,
                     steps_sent: &mut BTreeSet<(String, i64, usize)>,
                     active: &BTreeSet<u8>,
                     acked: &BTreeSet<u8>|
     -> Result<(), TestCaseError> {
        for o in out {
            match o {
                Outgoing::Notification(m) => {
                    prop_assert_eq!(m.at_ms, now);
                    prop_assert_eq!(
                        m.firing.is_empty(),
                        m.status == NotificationStatus::Resolved
                    );
                    prop_assert_eq!(
                        m.reason == NotifyReason::Resolved,
                        m.status == NotificationStatus::Resolved
                    );
                    let f: BTreeSet<_> = m.firing.iter().map(|a| &a.alarm_id).collect();
                    prop_assert!(m.resolved.iter().all(|a| !f.contains(&a.alarm_id)));
                    if m.reason == NotifyReason::Repeat {
                        prop_assert!(m.resolved.is_empty());
                    }
                    let key = format!("{}/{}", m.route, m.group_key);
                    if let Some(prev) = last_sent.get(&key) {
                        prop_assert!(m.reason != NotifyReason::First);
                        prop_assert!(
                            now - prev >= interval_of(&m.route),
                            "{} sent at {} and {}",
                            key,
                            prev,
                            now
                        );
                    } else {
                        prop_assert_eq!(m.reason, NotifyReason::First);
                    }
                    if m.status == NotificationStatus::Resolved {
                        last_sent.remove(&key);
                    } else {
                        last_sent.insert(key, now);
                    }
                }
                Outgoing::Escalation(e) => {
                    let id: u8 = e.alarm_id.parse().unwrap();
                    prop_assert!(active.contains(&id) && !acked.contains(&id));
                    prop_assert!(e.priority.at_least(AlarmPriority::High));
                    prop_assert!(e.raised_at_ms + e.after_ms <= now);
                    prop_assert!(
                        steps_sent.insert((e.alarm_id.clone(), e.raised_at_ms, e.step)),
                        "step sent twice"
                    );
                }
            }
        }
        Ok(())
    };

    for op in ops {
        match op {
            Op::Notice {
                alarm,
                active: is_active,
                acked,
                priority,
                enterprise,
                region,
                kind,
                new_activation,
            } => {
                now += 1000;
                let r = if !active.contains(&alarm) || new_activation {
                    acked_in_activation.remove(&alarm);
                    now
                } else {
                    raised[&alarm]
                };
                if is_active {
                    raised.insert(alarm, r);
                    active.insert(alarm);
                    if acked {
                        acked_in_activation.insert(alarm);
                    }
                } else {
                    active.remove(&alarm);
                    acked_in_activation.remove(&alarm);
                }
                n.observe(AlarmNotice {
                    alarm_id: alarm.to_string(),
                    point_id: format!("p{alarm}"),
                    tag: format!("T-{alarm}"),
                    enterprise_id: format!("E{enterprise}"),
                    park_id: None,
                    region_code: ["320506", "110101"][region as usize].into(),
                    installation_id: None,
                    kind: [AlarmKind::Limit, AlarmKind::Interruption, AlarmKind::Frozen][kind],
                    limit: None,
                    priority: AlarmPriority::ALL[priority],
                    active: is_active,
                    acked,
                    raised_at_ms: r,
                    summary_zh: String::new(),
                    summary_en: String::new(),
                    at_ms: now,
                });
            }
            Op::Tick(dt) => {
                let before = n.clone();
                now += dt;
                let out = n.tick(now);
                // Nothing is sent before the announced deadline.
                match before.next_deadline() {
                    Some(d) if d <= now => prop_assert!(!out.is_empty()),
                    _ => prop_assert!(out.is_empty()),
                }
                check_out(
                    &out,
                    now,
                    &mut last_sent,
                    &mut steps_sent,
                    &active,
                    &acked_in_activation,
                )?;
            }
            Op::TickDeadline => {
                if let Some(d) = n.next_deadline() {
                    now = now.max(d);
                    if d > now - 1 {
                        prop_assert!(n.clone().tick(d - 1).is_empty());
                    }
                    let out = n.tick(now);
                    prop_assert!(!out.is_empty());
                    check_out(
                        &out,
                        now,
                        &mut last_sent,
                        &mut steps_sent,
                        &active,
                        &acked_in_activation,
                    )?;
                }
            }
        }
        let s = n.stats();
        prop_assert_eq!(s.active_alarms, active.len());
        prop_assert!(s.firing_groups <= s.memberships);
        prop_assert!(s.memberships <= s.active_alarms * routes);
        if !continue_matching {
            // Each alarm is in at most one group.
            prop_assert!(s.memberships <= s.active_alarms);
            prop_assert!(s.firing_groups <= s.active_alarms);
        }
    }

    // Clear everything; after the longest wait every group is gone.
    for a in active.clone() {
        now += 1;
        n.observe(AlarmNotice {
            alarm_id: a.to_string(),
            point_id: String::new(),
            tag: String::new(),
            enterprise_id: String::new(),
            park_id: None,
            region_code: String::new(),
            installation_id: None,
            kind: AlarmKind::Limit,
            limit: None,
            priority: AlarmPriority::Low,
            active: false,
            acked: false,
            raised_at_ms: raised[&a],
            summary_zh: String::new(),
            summary_en: String::new(),
            at_ms: now,
        });
    }
    prop_assert_eq!(n.stats().active_alarms, 0);
    prop_assert_eq!(n.stats().firing_groups, 0);
    let out = n.tick(now + 1_000_000);
    prop_assert!(out.iter().all(
        |o| matches!(o, Outgoing::Notification(m) if m.status == NotificationStatus::Resolved)
    ));
    prop_assert_eq!(n.stats().groups, 0);
    prop_assert_eq!(n.next_deadline(), None);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_sequence_is_safe_and_bounded(ops in prop::collection::vec(op(), 0..120)) {
        run(ops, false)?;
    }

    #[test]
    fn any_sequence_is_safe_with_continue_matching(ops in prop::collection::vec(op(), 0..120)) {
        run(ops, true)?;
    }
}
