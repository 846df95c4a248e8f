//! weihua-notify — 报警通知: routing, grouping, repeat and escalation of alarm
//! notifications, in the style of Prometheus Alertmanager.
//!
//! Pure: no IO, no clock. The caller
//!
//! 1. builds a [`Notifier`] from a validated [`NotifyConfig`] (receivers 接收方,
//!    routes 路由, escalation policies 升级策略);
//! 2. passes every alarm change as an [`AlarmNotice`] to [`Notifier::observe`];
//! 3. calls [`Notifier::tick`] with the current time — at the latest at
//!    [`Notifier::next_deadline`] — and delivers each [`Outgoing`]: a group
//!    [`Notification`] to its receiver (for a webhook, POST
//!    [`webhook_body`]), or an [`Escalation`] call to a 包保责任人.
//!
//! ## Semantics
//!
//! - **Routing** — routes are tried in order; the first whose [`Matcher`]
//!   fits takes the alarm, unless it sets `continue_matching`, in which case
//!   later routes are tried too. An alarm no route takes is not notified
//!   (escalation still applies).
//! - **Grouping** — alarms of a route with equal `group_by` labels form a
//!   group (分组). A new group waits `group_wait_ms` before its first
//!   notification, so alarms raised together arrive together.
//! - **Changes** — alarms joining or clearing are sent `group_wait_ms` after
//!   the change, but never sooner than `group_interval_ms` after the group's
//!   previous notification. (Alertmanager checks only on `group_interval`
//!   ticks; weihua sends a change after a quiet spell sooner.)
//! - **Repeat** — a group still firing without change is re-sent every
//!   `repeat_interval_ms`.
//! - **Resolved** — when every alarm of a group has cleared, one final
//!   "resolved" notification goes out (same throttling as a change) and the
//!   group is dropped. Alarms that clear before the receiver heard they fire
//!   are dropped silently, as in Alertmanager.
//! - **Escalation** (升级) — an alarm at or above the policy's `min_priority`
//!   that is still active and unacknowledged `after_ms` after it was raised
//!   calls that step's contact, each step once. Acknowledgement or clearing
//!   stops further steps. The first matching policy applies.
//!
//! Defaults (assumed): group_wait 30 s, group_interval 5 min, repeat 4 h;
//! escalation for high and above: 操作负责人 after 5 min, 技术负责人 after
//! 15 min, 主要负责人 after 30 min. See `docs/alarm-kpis-and-notifications.md`.
//!
//! ```
//! use weihua_core::{AlarmKind, AlarmPriority};
//! use weihua_notify::{AlarmNotice, Notifier, NotifyConfig, Outgoing};
//!
//! let cfg = NotifyConfig::from_json(r#"{
//!   "receivers": [{"id": "console", "kind": {"type": "console"}}],
//!   "routes": [{"name": "all", "receiver": "console", "group_by": ["enterprise"]}]
//! }"#).unwrap();
//! let mut n = Notifier::new(cfg).unwrap();
//! n.observe(AlarmNotice {
//!     alarm_id: "GT-101/limit/H".into(), point_id: "p1".into(), tag: "GT-101".into(),
//!     enterprise_id: "E1".into(), park_id: None, region_code: "320506".into(),
//!     installation_id: None, kind: AlarmKind::Limit, limit: None,
//!     priority: AlarmPriority::High, active: true, acked: false, raised_at_ms: 0,
//!     summary_zh: "可燃气体浓度高报".into(), summary_en: "combustible gas high".into(),
//!     at_ms: 0,
//! });
//! assert_eq!(n.next_deadline(), Some(30_000));
//! assert!(matches!(n.tick(30_000).as_slice(), [Outgoing::Notification(_)]));
//! ```

mod config;
mod engine;
mod types;
mod webhook;

pub use config::{
    ConfigError, Contact, DEFAULT_GROUP_INTERVAL_MS, DEFAULT_GROUP_WAIT_MS,
    DEFAULT_REPEAT_INTERVAL_MS, EscalationPolicy, EscalationStep, GroupLabel, Matcher,
    NotifyConfig, Receiver, ReceiverKind, Route,
};
pub use engine::Notifier;
pub use types::{
    AlarmNotice, AlarmSummary, Escalation, Notification, NotificationStatus, NotifierStats,
    NotifyReason, Outgoing,
};
pub use webhook::{rfc3339_utc, webhook_body};
