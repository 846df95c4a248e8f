//! Grouping, throttling, repeat, resolution, routing, escalation and config
//! validation, each with hand-computed times.

use weihua_core::{AlarmKind, AlarmPriority, GuardianRole, LimitName};
use weihua_notify::{
    AlarmNotice, ConfigError, Contact, Escalation, Notification, NotificationStatus, Notifier,
    NotifyConfig, NotifyReason, Outgoing, rfc3339_utc, webhook_body,
};

const S: i64 = 1000;
const MIN: i64 = 60 * S;
const HOUR: i64 = 60 * MIN;

fn notice(id: &str, at: i64) -> AlarmNotice {
    AlarmNotice {
        alarm_id: id.into(),
        point_id: format!("pt-{id}"),
        tag: id.into(),
        enterprise_id: "E1".into(),
        park_id: Some("PARK1".into()),
        region_code: "320506".into(),
        installation_id: Some("INST1".into()),
        kind: AlarmKind::Limit,
        limit: Some(LimitName::H),
        priority: AlarmPriority::Medium,
        active: true,
        acked: false,
        raised_at_ms: at,
        summary_zh: format!("{id} 高报"),
        summary_en: format!("{id} high"),
        at_ms: at,
    }
}

fn cleared(id: &str, raised: i64, at: i64) -> AlarmNotice {
    AlarmNotice {
        active: false,
        raised_at_ms: raised,
        at_ms: at,
        ..notice(id, raised)
    }
}

/// One console receiver, one catch-all route grouped by enterprise, no escalation.
fn simple() -> Notifier {
    let cfg = NotifyConfig::from_json(
        r#"{
          "receivers": [{"id": "console", "kind": {"type": "console"}}],
          "routes": [{"name": "all", "receiver": "console", "group_by": ["enterprise"]}],
          "escalation": []
        }"#,
    )
    .unwrap();
    Notifier::new(cfg).unwrap()
}

fn notifications(out: Vec<Outgoing>) -> Vec<Notification> {
    out.into_iter()
        .filter_map(|o| match o {
            Outgoing::Notification(n) => Some(n),
            Outgoing::Escalation(_) => None,
        })
        .collect()
}

fn escalations(out: Vec<Outgoing>) -> Vec<Escalation> {
    out.into_iter()
        .filter_map(|o| match o {
            Outgoing::Escalation(e) => Some(e),
            Outgoing::Notification(_) => None,
        })
        .collect()
}

fn ids(list: &[weihua_notify::AlarmSummary]) -> Vec<&str> {
    list.iter().map(|a| a.alarm_id.as_str()).collect()
}

#[test]
fn group_wait_batches_two_alarms_into_one_notification() {
    let mut n = simple();
    n.observe(notice("A", 0));
    n.observe(notice("B", 10 * S));
    assert_eq!(n.next_deadline(), Some(30 * S));
    assert!(n.tick(30 * S - 1).is_empty());
    let sent = notifications(n.tick(30 * S));
    assert_eq!(sent.len(), 1);
    let m = &sent[0];
    assert_eq!(m.reason, NotifyReason::First);
    assert_eq!(m.status, NotificationStatus::Firing);
    assert_eq!(ids(&m.firing), ["A", "B"]);
    assert!(m.resolved.is_empty());
    assert_eq!(m.receiver, "console");
    assert_eq!(m.route, "all");
    assert_eq!(m.group_key, r#"all:{enterprise_id="E1"}"#);
    assert_eq!(m.group_labels["enterprise_id"], "E1");
    assert_eq!(m.at_ms, 30 * S);
    // Nothing more until the repeat.
    assert!(n.tick(31 * S).is_empty());
    assert_eq!(n.next_deadline(), Some(30 * S + 4 * HOUR));
}

#[test]
fn group_interval_throttles_later_changes() {
    let mut n = simple();
    n.observe(notice("A", 0));
    assert_eq!(notifications(n.tick(30 * S)).len(), 1);
    // A change 30 s after the first notification waits for group_interval.
    n.observe(notice("B", 60 * S));
    assert_eq!(n.next_deadline(), Some(30 * S + 5 * MIN));
    assert!(n.tick(30 * S + 5 * MIN - 1).is_empty());
    let sent = notifications(n.tick(30 * S + 5 * MIN));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].reason, NotifyReason::Update);
    assert_eq!(ids(&sent[0].firing), ["A", "B"]);
    // After a quiet spell a change waits only group_wait.
    n.observe(notice("C", HOUR));
    assert_eq!(n.next_deadline(), Some(HOUR + 30 * S));
    let sent = notifications(n.tick(HOUR + 30 * S));
    assert_eq!(sent[0].reason, NotifyReason::Update);
    assert_eq!(ids(&sent[0].firing), ["A", "B", "C"]);
}

#[test]
fn unchanged_firing_group_repeats_every_repeat_interval() {
    let mut n = simple();
    n.observe(notice("A", 0));
    n.tick(30 * S);
    assert!(n.tick(30 * S + 4 * HOUR - 1).is_empty());
    let sent = notifications(n.tick(30 * S + 4 * HOUR));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].reason, NotifyReason::Repeat);
    assert_eq!(ids(&sent[0].firing), ["A"]);
    assert_eq!(n.next_deadline(), Some(30 * S + 8 * HOUR));
    // Acknowledging is not a change: the repeat still comes, showing the ack.
    n.observe(AlarmNotice {
        acked: true,
        at_ms: 5 * HOUR,
        ..notice("A", 0)
    });
    let sent = notifications(n.tick(30 * S + 8 * HOUR));
    assert_eq!(sent[0].reason, NotifyReason::Repeat);
    assert!(sent[0].firing[0].acked);
}

#[test]
fn resolved_sends_a_final_message_and_drops_the_group() {
    let mut n = simple();
    n.observe(notice("A", 0));
    n.observe(notice("B", 0));
    n.tick(30 * S);
    // A clears: an update lists B firing and A resolved.
    n.observe(cleared("A", 0, 10 * MIN));
    assert_eq!(n.stats().active_alarms, 1);
    let sent = notifications(n.tick(10 * MIN + 30 * S));
    assert_eq!(sent[0].reason, NotifyReason::Update);
    assert_eq!(sent[0].status, NotificationStatus::Firing);
    assert_eq!(ids(&sent[0].firing), ["B"]);
    assert_eq!(ids(&sent[0].resolved), ["A"]);
    assert_eq!(sent[0].resolved[0].resolved_at_ms, Some(10 * MIN));
    // B clears 1 min later: the final message respects group_interval.
    n.observe(cleared("B", 0, 11 * MIN));
    assert_eq!(n.stats().active_alarms, 0);
    assert_eq!(n.stats().groups, 1);
    assert_eq!(n.next_deadline(), Some(15 * MIN + 30 * S));
    let sent = notifications(n.tick(15 * MIN + 30 * S));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].reason, NotifyReason::Resolved);
    assert_eq!(sent[0].status, NotificationStatus::Resolved);
    assert!(sent[0].firing.is_empty());
    assert_eq!(ids(&sent[0].resolved), ["B"]);
    assert_eq!(n.stats().groups, 0);
    assert_eq!(n.next_deadline(), None);
    assert!(n.tick(10 * HOUR).is_empty());
}

#[test]
fn alarm_cleared_before_first_notification_is_dropped_silently() {
    let mut n = simple();
    n.observe(notice("A", 0));
    n.observe(cleared("A", 0, 5 * S));
    assert_eq!(n.stats().groups, 0);
    assert_eq!(n.next_deadline(), None);
    assert!(n.tick(HOUR).is_empty());

    // Joined and cleared between two notifications: not an update.
    n.observe(notice("B", HOUR));
    n.tick(HOUR + 30 * S);
    n.observe(notice("C", HOUR + MIN));
    n.observe(cleared("C", HOUR + MIN, HOUR + 2 * MIN));
    assert_eq!(n.next_deadline(), Some(HOUR + 30 * S + 4 * HOUR));
}

#[test]
fn cleared_and_raised_again_before_the_update_is_no_change() {
    let mut n = simple();
    n.observe(notice("A", 0));
    n.tick(30 * S);
    n.observe(cleared("A", 0, MIN));
    n.observe(notice("A", 2 * MIN));
    assert_eq!(n.next_deadline(), Some(30 * S + 4 * HOUR));
}

#[test]
fn out_of_order_notice_is_ignored() {
    let mut n = simple();
    n.observe(notice("A", 10 * S));
    n.observe(cleared("A", 10 * S, 5 * S));
    assert_eq!(n.stats().active_alarms, 1);
}

fn routing_config(json: &str) -> Notifier {
    Notifier::new(NotifyConfig::from_json(json).unwrap()).unwrap()
}

const ROUTES: &str = r#"{
  "receivers": [
    {"id": "suzhou", "kind": {"type": "webhook", "url": "https://suzhou.example/hook"}},
    {"id": "urgent", "kind": {"type": "console"}},
    {"id": "data", "kind": {"type": "console"}},
    {"id": "rest", "kind": {"type": "console"}}
  ],
  "routes": [
    {"name": "urgent", "receiver": "urgent", "matchers": {"min_priority": "high"},
     "group_wait_ms": 0, "continue_matching": true},
    {"name": "data-quality", "receiver": "data",
     "matchers": {"kinds": ["interruption", "bad_quality"]}},
    {"name": "suzhou", "receiver": "suzhou", "matchers": {"region_prefix": "3205"}},
    {"name": "rest", "receiver": "rest"}
  ],
  "escalation": []
}"#;

fn receivers_at(n: &mut Notifier, t: i64) -> Vec<String> {
    let mut r: Vec<String> = notifications(n.tick(t))
        .into_iter()
        .map(|m| m.receiver)
        .collect();
    r.sort();
    r
}

#[test]
fn routing_by_region_prefix_priority_kind_and_continue() {
    // Medium limit alarm in Suzhou (3205xx): the suzhou route only.
    let mut n = routing_config(ROUTES);
    n.observe(notice("A", 0));
    assert_eq!(receivers_at(&mut n, 30 * S), ["suzhou"]);

    // Same in Nanjing (3201xx): falls through to rest.
    let mut n = routing_config(ROUTES);
    n.observe(AlarmNotice {
        region_code: "320106".into(),
        ..notice("A", 0)
    });
    assert_eq!(receivers_at(&mut n, 30 * S), ["rest"]);

    // High in Suzhou: urgent (continue) and suzhou. Urgent has group_wait 0.
    let mut n = routing_config(ROUTES);
    n.observe(AlarmNotice {
        priority: AlarmPriority::High,
        ..notice("A", 0)
    });
    assert_eq!(receivers_at(&mut n, 0), ["urgent"]);
    assert_eq!(receivers_at(&mut n, 30 * S), ["suzhou"]);
    assert_eq!(n.stats().memberships, 2);

    // Emergency counts as "at least high".
    let mut n = routing_config(ROUTES);
    n.observe(AlarmNotice {
        priority: AlarmPriority::Emergency,
        region_code: "110101".into(),
        ..notice("A", 0)
    });
    assert_eq!(receivers_at(&mut n, 30 * S), ["rest", "urgent"]);

    // An interruption in Suzhou stops at data-quality (no continue).
    let mut n = routing_config(ROUTES);
    n.observe(AlarmNotice {
        kind: AlarmKind::Interruption,
        ..notice("A", 0)
    });
    assert_eq!(receivers_at(&mut n, 30 * S), ["data"]);
}

#[test]
fn no_matching_route_means_no_notification() {
    let mut n = routing_config(
        r#"{
          "receivers": [{"id": "c", "kind": {"type": "console"}}],
          "routes": [{"name": "park2", "receiver": "c",
                      "matchers": {"park_ids": ["PARK2"], "installation_ids": ["INST1"]}}],
          "escalation": []
        }"#,
    );
    n.observe(notice("A", 0));
    // Without a park the park list never matches either.
    n.observe(AlarmNotice {
        park_id: None,
        ..notice("B", 0)
    });
    assert_eq!(n.stats().groups, 0);
    assert!(n.tick(HOUR).is_empty());
    n.observe(AlarmNotice {
        park_id: Some("PARK2".into()),
        ..notice("C", 0)
    });
    assert_eq!(receivers_at(&mut n, HOUR), ["c"]);
}

#[test]
fn group_by_splits_groups_and_priority_change_moves_the_alarm() {
    let mut n = routing_config(
        r#"{
          "receivers": [{"id": "c", "kind": {"type": "console"}}],
          "routes": [{"name": "r", "receiver": "c", "group_by": ["enterprise", "priority"]}],
          "escalation": []
        }"#,
    );
    n.observe(notice("A", 0));
    n.observe(AlarmNotice {
        enterprise_id: "E2".into(),
        ..notice("B", 0)
    });
    let sent = notifications(n.tick(30 * S));
    let keys: Vec<_> = sent.iter().map(|m| m.group_key.as_str()).collect();
    assert_eq!(
        keys,
        [
            r#"r:{enterprise_id="E1",priority="medium"}"#,
            r#"r:{enterprise_id="E2",priority="medium"}"#
        ]
    );
    // A becomes high: resolved in the medium group, firing in a new high group.
    n.observe(AlarmNotice {
        priority: AlarmPriority::High,
        at_ms: MIN,
        ..notice("A", 0)
    });
    assert_eq!(n.stats().groups, 3);
    let sent = notifications(n.tick(MIN + 30 * S));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].reason, NotifyReason::First);
    assert!(sent[0].group_key.contains(r#"priority="high""#));
    let sent = notifications(n.tick(30 * S + 5 * MIN));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].reason, NotifyReason::Resolved);
    assert_eq!(ids(&sent[0].resolved), ["A"]);
    assert_eq!(n.stats().groups, 2);
}

/// No routes; the default escalation policy.
fn escalating() -> Notifier {
    Notifier::new(NotifyConfig::from_json(r#"{"receivers": [], "routes": []}"#).unwrap()).unwrap()
}

fn high(id: &str, at: i64) -> AlarmNotice {
    AlarmNotice {
        priority: AlarmPriority::High,
        ..notice(id, at)
    }
}

#[test]
fn escalation_steps_fire_at_after_ms_and_not_before() {
    let mut n = escalating();
    n.observe(high("A", 0));
    assert_eq!(n.next_deadline(), Some(5 * MIN));
    assert!(n.tick(5 * MIN - 1).is_empty());
    let e = escalations(n.tick(5 * MIN));
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].step, 1);
    assert_eq!(e[0].policy, "default");
    assert_eq!(e[0].contact, Contact::Guardian(GuardianRole::Operational));
    assert_eq!(e[0].alarm_id, "A");
    assert_eq!(e[0].installation_id.as_deref(), Some("INST1"));
    assert_eq!(e[0].summary_zh, "A 高报");
    assert_eq!(e[0].at_ms, 5 * MIN);
    // Each step once.
    assert!(n.tick(5 * MIN).is_empty());
    assert!(n.tick(15 * MIN - 1).is_empty());
    let e = escalations(n.tick(15 * MIN));
    assert_eq!(e[0].step, 2);
    assert_eq!(e[0].contact, Contact::Guardian(GuardianRole::Technical));
    let e = escalations(n.tick(30 * MIN));
    assert_eq!(e[0].step, 3);
    assert_eq!(e[0].contact, Contact::Guardian(GuardianRole::Principal));
    assert!(n.tick(10 * HOUR).is_empty());
    assert_eq!(n.next_deadline(), None);
}

#[test]
fn late_tick_fires_every_overdue_step_once_in_order() {
    let mut n = escalating();
    n.observe(high("A", 0));
    let e = escalations(n.tick(HOUR));
    let steps: Vec<_> = e.iter().map(|e| e.step).collect();
    assert_eq!(steps, [1, 2, 3]);
}

#[test]
fn acknowledgement_stops_escalation() {
    let mut n = escalating();
    n.observe(high("A", 0));
    assert_eq!(escalations(n.tick(5 * MIN)).len(), 1);
    n.observe(AlarmNotice {
        acked: true,
        at_ms: 6 * MIN,
        ..high("A", 0)
    });
    assert_eq!(n.next_deadline(), None);
    assert!(n.tick(HOUR).is_empty());
    // A lost acknowledgement in the same activation does not restart it.
    n.observe(AlarmNotice {
        at_ms: 61 * MIN,
        ..high("A", 0)
    });
    assert!(n.tick(2 * HOUR).is_empty());
    // A new activation (new raise time) starts over.
    n.observe(high("A", 3 * HOUR));
    assert!(n.tick(3 * HOUR + 5 * MIN - 1).is_empty());
    assert_eq!(escalations(n.tick(3 * HOUR + 5 * MIN)).len(), 1);
}

#[test]
fn clearing_stops_escalation() {
    let mut n = escalating();
    n.observe(high("A", 0));
    n.observe(cleared("A", 0, 4 * MIN));
    assert_eq!(n.stats().active_alarms, 0);
    assert!(n.tick(HOUR).is_empty());
}

#[test]
fn escalation_respects_priority_and_first_matching_policy() {
    let mut n = escalating();
    n.observe(notice("M", 0)); // medium: below the default's high
    assert!(n.tick(HOUR).is_empty());

    let mut n = routing_config(
        r#"{
          "receivers": [], "routes": [],
          "escalation": [
            {"name": "emergency", "min_priority": "emergency",
             "steps": [{"after_ms": 60000, "contact": {"user": "duty-officer"}}]},
            {"name": "park1", "min_priority": "medium", "matchers": {"park_ids": ["PARK1"]},
             "steps": [{"after_ms": 120000, "contact": {"guardian": "technical"}}]}
          ]
        }"#,
    );
    n.observe(AlarmNotice {
        priority: AlarmPriority::Emergency,
        ..notice("E", 0)
    });
    n.observe(notice("M", 0));
    let e = escalations(n.tick(2 * MIN));
    let got: Vec<_> = e
        .iter()
        .map(|e| (e.alarm_id.as_str(), e.policy.as_str(), e.contact.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("E", "emergency", Contact::User("duty-officer".into())),
            ("M", "park1", Contact::Guardian(GuardianRole::Technical)),
        ]
    );
}

#[test]
fn next_deadline_is_the_earliest_of_groups_and_escalations() {
    let mut n = Notifier::new(
        NotifyConfig::from_json(
            r#"{"receivers": [{"id": "c", "kind": {"type": "console"}}],
                "routes": [{"name": "r", "receiver": "c", "group_wait_ms": 600000}]}"#,
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(n.next_deadline(), None);
    n.observe(high("A", 0));
    assert_eq!(n.next_deadline(), Some(5 * MIN));
    n.tick(5 * MIN);
    assert_eq!(n.next_deadline(), Some(10 * MIN));
}

fn invalid_path(json: &str) -> String {
    match NotifyConfig::from_json(json) {
        Err(ConfigError::Invalid { path, zh, en }) => {
            assert!(!zh.is_empty() && !en.is_empty());
            path
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn config_validation_names_the_bad_field() {
    let rc = r#""receivers": [{"id": "c", "kind": {"type": "console"}}]"#;
    assert_eq!(
        invalid_path(&format!(
            r#"{{{rc}, "routes": [{{"name": "r", "receiver": "nobody"}}]}}"#
        )),
        "routes[0].receiver"
    );
    assert_eq!(
        invalid_path(&format!(
            r#"{{{rc}, "routes": [{{"name": "r", "receiver": "c", "group_interval_ms": 0}}]}}"#
        )),
        "routes[0].group_interval_ms"
    );
    assert_eq!(
        invalid_path(&format!(
            r#"{{{rc}, "routes": [{{"name": "r", "receiver": "c", "repeat_interval_ms": 0}}]}}"#
        )),
        "routes[0].repeat_interval_ms"
    );
    assert_eq!(
        invalid_path(&format!(
            r#"{{{rc}, "routes": [{{"name": "r", "receiver": "c", "group_wait_ms": -1}}]}}"#
        )),
        "routes[0].group_wait_ms"
    );
    assert_eq!(
        invalid_path(&format!(
            r#"{{{rc}, "routes": [{{"name": "r", "receiver": "c"}}, {{"name": "r", "receiver": "c"}}]}}"#
        )),
        "routes[1].name"
    );
    assert_eq!(
        invalid_path(&format!(
            r#"{{{rc}, "routes": [{{"name": "r", "receiver": "c", "matchers": {{"region_prefix": "32a"}}}}]}}"#
        )),
        "routes[0].matchers.region_prefix"
    );
    assert_eq!(
        invalid_path(&format!(
            r#"{{{rc}, "routes": [{{"name": "r", "receiver": "c", "group_by": ["point", "point"]}}]}}"#
        )),
        "routes[0].group_by"
    );
    assert_eq!(
        invalid_path(
            r#"{"receivers": [{"id": "w", "kind": {"type": "webhook", "url": "ftp://x"}}]}"#
        ),
        "receivers[0].kind.url"
    );
    assert_eq!(
        invalid_path(
            r#"{"receivers": [{"id": "c", "kind": {"type": "console"}}, {"id": "c", "kind": {"type": "console"}}]}"#
        ),
        "receivers[1].id"
    );
    assert_eq!(
        invalid_path(r#"{"escalation": [{"name": "x", "steps": []}]}"#),
        "escalation[0].steps"
    );
    assert_eq!(
        invalid_path(
            r#"{"escalation": [{"name": "x", "steps": [
                {"after_ms": 600000, "contact": {"guardian": "operational"}},
                {"after_ms": 300000, "contact": {"guardian": "technical"}}]}]}"#
        ),
        "escalation[0].steps[1].after_ms"
    );
    // Zero intervals built in code are refused by Notifier::new too.
    let mut cfg = NotifyConfig::from_json(&format!(
        r#"{{{rc}, "routes": [{{"name": "r", "receiver": "c"}}]}}"#
    ))
    .unwrap();
    cfg.routes[0].group_interval_ms = 0;
    let err = Notifier::new(cfg).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("无效") && text.contains("invalid"), "{text}");
}

#[test]
fn unknown_fields_and_bad_json_are_refused() {
    for bad in [
        r#"{"receivers": [], "rutes": []}"#,
        r#"{"receivers": [{"id": "c", "kind": {"type": "console", "url": "x"}}]}"#,
        r#"{"routes": [{"name": "r", "receiver": "c", "matchers": {"region": "32"}}]}"#,
        r#"{"receivers": [{"id": "c", "kind": {"type": "sms"}}]}"#,
        "not json",
    ] {
        let err = NotifyConfig::from_json(bad).unwrap_err();
        assert!(matches!(err, ConfigError::Json(_)), "{bad}: {err:?}");
        assert!(err.to_string().contains("JSON"));
    }
}

#[test]
fn defaults_are_alertmanagers_and_the_assumed_escalation() {
    let cfg = NotifyConfig::from_json(
        r#"{"receivers": [{"id": "c", "kind": {"type": "console"}}],
            "routes": [{"name": "r", "receiver": "c"}]}"#,
    )
    .unwrap();
    let r = &cfg.routes[0];
    assert_eq!(
        (r.group_wait_ms, r.group_interval_ms, r.repeat_interval_ms),
        (30_000, 300_000, 14_400_000)
    );
    assert!(r.group_by.is_empty() && !r.continue_matching);
    assert_eq!(cfg.escalation.len(), 1);
    let p = &cfg.escalation[0];
    assert_eq!(p.min_priority, AlarmPriority::High);
    let steps: Vec<_> = p
        .steps
        .iter()
        .map(|s| (s.after_ms, s.contact.clone()))
        .collect();
    assert_eq!(
        steps,
        [
            (5 * MIN, Contact::Guardian(GuardianRole::Operational)),
            (15 * MIN, Contact::Guardian(GuardianRole::Technical)),
            (30 * MIN, Contact::Guardian(GuardianRole::Principal)),
        ]
    );
    assert_eq!(NotifyConfig::default().escalation, cfg.escalation);
    // Round trip.
    let back: NotifyConfig = serde_json::from_str(&serde_json::to_string(&cfg).unwrap()).unwrap();
    assert_eq!(back, cfg);
}

#[test]
fn rfc3339_from_milliseconds() {
    assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(rfc3339_utc(-1), "1969-12-31T23:59:59.999Z");
    assert_eq!(rfc3339_utc(1_700_000_000_000), "2023-11-14T22:13:20.000Z");
    assert_eq!(rfc3339_utc(1_709_164_800_123), "2024-02-29T00:00:00.123Z");
    assert_eq!(rfc3339_utc(951_782_400_000), "2000-02-29T00:00:00.000Z");
    assert_eq!(rfc3339_utc(4_102_444_799_999), "2099-12-31T23:59:59.999Z");
    assert_eq!(rfc3339_utc(-62_135_596_800_000), "0001-01-01T00:00:00.000Z");
    // Never panics at the extremes.
    assert!(rfc3339_utc(i64::MIN).starts_with('-'));
    assert!(rfc3339_utc(i64::MAX).starts_with('+'));
}

#[test]
fn webhook_body_looks_like_alertmanagers() {
    let mut n = simple();
    n.observe(notice("A", 1_700_000_000_000));
    n.observe(AlarmNotice {
        installation_id: None,
        ..notice("B", 1_700_000_000_000)
    });
    let first = notifications(n.tick(1_700_000_030_000)).remove(0);
    let v = webhook_body(&first);
    assert_eq!(v["version"], "4");
    assert_eq!(v["status"], "firing");
    assert_eq!(v["receiver"], "console");
    assert_eq!(v["groupKey"], r#"all:{enterprise_id="E1"}"#);
    assert_eq!(v["groupLabels"]["enterprise_id"], "E1");
    assert_eq!(v["reason"], "first");
    assert_eq!(v["sentAt"], "2023-11-14T22:13:50.000Z");
    let a = &v["alerts"][0];
    assert_eq!(a["status"], "firing");
    assert_eq!(a["labels"]["alarm_id"], "A");
    assert_eq!(a["labels"]["priority"], "medium");
    assert_eq!(a["labels"]["limit"], "H");
    assert_eq!(a["labels"]["region_code"], "320506");
    assert_eq!(a["annotations"]["summary_zh"], "A 高报");
    assert_eq!(a["annotations"]["summary_en"], "A high");
    assert_eq!(a["startsAt"], "2023-11-14T22:13:20.000Z");
    assert_eq!(a["endsAt"], "0001-01-01T00:00:00Z");
    // Common labels: what both alerts share.
    assert_eq!(v["commonLabels"]["enterprise_id"], "E1");
    assert!(v["commonLabels"].get("alarm_id").is_none());
    assert!(v["commonLabels"].get("installation_id").is_none());

    n.observe(cleared("A", 1_700_000_000_000, 1_700_000_060_000));
    n.observe(cleared("B", 1_700_000_000_000, 1_700_000_060_000));
    let last = notifications(n.tick(1_700_001_000_000)).remove(0);
    let v = webhook_body(&last);
    assert_eq!(v["status"], "resolved");
    assert_eq!(v["alerts"][0]["status"], "resolved");
    assert_eq!(v["alerts"][0]["endsAt"], "2023-11-14T22:14:20.000Z");
    // Outgoing serialises with a type tag.
    let o = serde_json::to_value(Outgoing::Notification(last)).unwrap();
    assert_eq!(o["type"], "notification");
    assert_eq!(o["reason"], "resolved");
}

#[test]
fn priority_dropping_and_rising_again_does_not_repeat_a_step() {
    let mut n = escalating();
    n.observe(high("A", 0));
    assert_eq!(escalations(n.tick(5 * MIN)).len(), 1);
    // Drops below high: no escalation while medium.
    n.observe(AlarmNotice {
        at_ms: 6 * MIN,
        ..notice("A", 0)
    });
    assert!(n.tick(20 * MIN).is_empty());
    // High again in the same activation: only the steps not yet sent.
    n.observe(AlarmNotice {
        at_ms: 21 * MIN,
        ..high("A", 0)
    });
    let steps: Vec<_> = escalations(n.tick(21 * MIN))
        .iter()
        .map(|e| e.step)
        .collect();
    assert_eq!(steps, [2]);
}
