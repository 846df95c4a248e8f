//! 输入与输出 — the alarm change notice that goes in, and the notifications
//! and escalations that come out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use weihua_core::{AlarmKind, AlarmPriority, LimitName};

use crate::Contact;

/// 报警变化通知 — sent to [`Notifier::observe`](crate::Notifier::observe) on
/// every change of an alarm (raised, acknowledged, cleared, re-prioritised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AlarmNotice {
    /// 报警标识 — one id per alarm (point + kind + limit), stable across activations.
    pub alarm_id: String,
    /// 监测点位
    pub point_id: String,
    /// 位号
    pub tag: String,
    /// 企业
    pub enterprise_id: String,
    /// 化工园区
    #[serde(default)]
    pub park_id: Option<String>,
    /// 行政区划代码 (GB/T 2260, 6 digits)
    pub region_code: String,
    /// 装置 / 重大危险源
    #[serde(default)]
    pub installation_id: Option<String>,
    pub kind: AlarmKind,
    #[serde(default)]
    pub limit: Option<LimitName>,
    pub priority: AlarmPriority,
    /// 激活 — false: the alarm has cleared (returned to normal).
    pub active: bool,
    /// 已确认
    pub acked: bool,
    /// 报警时间 — when this activation was raised; a new value starts a new
    /// activation (escalation starts over).
    pub raised_at_ms: i64,
    pub summary_zh: String,
    pub summary_en: String,
    /// 变化时间 — when this change happened (UTC epoch ms).
    pub at_ms: i64,
}

/// 报警摘要 — one alarm inside a notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlarmSummary {
    pub alarm_id: String,
    pub point_id: String,
    pub tag: String,
    pub enterprise_id: String,
    pub park_id: Option<String>,
    pub region_code: String,
    pub installation_id: Option<String>,
    pub kind: AlarmKind,
    pub limit: Option<LimitName>,
    pub priority: AlarmPriority,
    pub acked: bool,
    pub raised_at_ms: i64,
    /// 恢复时间 — set for resolved alarms.
    pub resolved_at_ms: Option<i64>,
    pub summary_zh: String,
    pub summary_en: String,
}

impl AlarmSummary {
    pub(crate) fn from_notice(n: &AlarmNotice) -> Self {
        Self {
            alarm_id: n.alarm_id.clone(),
            point_id: n.point_id.clone(),
            tag: n.tag.clone(),
            enterprise_id: n.enterprise_id.clone(),
            park_id: n.park_id.clone(),
            region_code: n.region_code.clone(),
            installation_id: n.installation_id.clone(),
            kind: n.kind,
            limit: n.limit,
            priority: n.priority,
            acked: n.acked,
            raised_at_ms: n.raised_at_ms,
            resolved_at_ms: None,
            summary_zh: n.summary_zh.clone(),
            summary_en: n.summary_en.clone(),
        }
    }
}

/// 通知状态 — whether any alarm of the group is still firing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationStatus {
    /// 告警中
    Firing,
    /// 已恢复 — every alarm of the group has cleared; the group is dropped.
    Resolved,
}

/// 发送原因 — why this notification was sent now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotifyReason {
    /// 首次 — the group's first notification, after `group_wait`.
    First,
    /// 变化 — alarms joined or cleared since the last notification.
    Update,
    /// 重复 — nothing changed for `repeat_interval`; still firing.
    Repeat,
    /// 恢复 — the group's final notification.
    Resolved,
}

/// 通知 — one message for one receiver about one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    /// 接收方 — a [`Receiver::id`](crate::Receiver::id).
    pub receiver: String,
    /// 路由名称
    pub route: String,
    /// 分组键 — `route:{label="value",…}`.
    pub group_key: String,
    /// 分组标签 — the `group_by` labels and their values.
    pub group_labels: BTreeMap<String, String>,
    pub status: NotificationStatus,
    /// 告警中 — every alarm of the group still firing.
    pub firing: Vec<AlarmSummary>,
    /// 新恢复 — alarms cleared since the last notification (only those the
    /// receiver had been told were firing).
    pub resolved: Vec<AlarmSummary>,
    pub reason: NotifyReason,
    /// 发送时间 — the `now_ms` of the tick.
    pub at_ms: i64,
}

/// 升级呼叫 — an alarm has stayed unacknowledged too long: call `contact`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Escalation {
    /// 升级策略名称
    pub policy: String,
    pub alarm_id: String,
    pub point_id: String,
    pub tag: String,
    pub enterprise_id: String,
    pub installation_id: Option<String>,
    pub priority: AlarmPriority,
    /// 步骤 — 1 for the policy's first step.
    pub step: usize,
    /// The step's `after_ms`.
    pub after_ms: i64,
    pub contact: Contact,
    pub raised_at_ms: i64,
    pub summary_zh: String,
    pub summary_en: String,
    /// 发送时间 — the `now_ms` of the tick.
    pub at_ms: i64,
}

/// 待发送 — what [`Notifier::tick`](crate::Notifier::tick) asks the caller to deliver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outgoing {
    Notification(Notification),
    Escalation(Escalation),
}

/// 运行统计 — sizes of the notifier's state, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotifierStats {
    /// 活动报警数 — active alarms known to the notifier.
    pub active_alarms: usize,
    /// 分组数 — live groups, including those waiting to send their final
    /// "resolved" message.
    pub groups: usize,
    /// 告警中分组数 — groups with at least one firing alarm.
    pub firing_groups: usize,
    /// 路由成员数 — (alarm, group) memberships of active alarms; equals the
    /// active alarms when no route sets `continue_matching`.
    pub memberships: usize,
}
