//! 通知配置 — receivers, routes and escalation policies, read from JSON and
//! validated with bilingual errors.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use weihua_core::{AlarmKind, AlarmPriority, GuardianRole};

use crate::AlarmNotice;

/// Default `group_wait_ms`: 30 s (Alertmanager's default; assumed).
pub const DEFAULT_GROUP_WAIT_MS: i64 = 30_000;
/// Default `group_interval_ms`: 5 min (Alertmanager's default; assumed).
pub const DEFAULT_GROUP_INTERVAL_MS: i64 = 300_000;
/// Default `repeat_interval_ms`: 4 h (Alertmanager's default; assumed).
pub const DEFAULT_REPEAT_INTERVAL_MS: i64 = 14_400_000;

/// 配置错误 — why a [`NotifyConfig`] was refused. Bilingual: Chinese, then English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// 无法解析 — the JSON does not parse or has unknown fields.
    #[error("通知配置 JSON 无法解析：{0} / notification config JSON does not parse: {0}")]
    Json(String),
    /// 配置无效 — a value is out of range or refers to something missing.
    #[error("通知配置 {path} 无效：{zh} / invalid notification config at {path}: {en}")]
    Invalid {
        /// Where, e.g. `routes[1].receiver`.
        path: String,
        /// 中文说明
        zh: String,
        /// English explanation
        en: String,
    },
}

fn invalid(path: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        path: path.into(),
        zh: zh.into(),
        en: en.into(),
    }
}

/// 通知配置 — the whole notification set-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotifyConfig {
    /// 接收方 — where notifications go.
    #[serde(default)]
    pub receivers: Vec<Receiver>,
    /// 路由 — which alarms go to which receiver, in order.
    #[serde(default)]
    pub routes: Vec<Route>,
    /// 升级策略 — who is called when an alarm stays unacknowledged. Omitted:
    /// the assumed default ([`EscalationPolicy::default_policy`]); `[]`: none.
    #[serde(default = "default_escalation")]
    pub escalation: Vec<EscalationPolicy>,
}

fn default_escalation() -> Vec<EscalationPolicy> {
    vec![EscalationPolicy::default_policy()]
}

impl Default for NotifyConfig {
    fn default() -> Self {
        Self {
            receivers: Vec::new(),
            routes: Vec::new(),
            escalation: default_escalation(),
        }
    }
}

/// 接收方 — a named destination for notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Receiver {
    /// 标识 — referred to by [`Route::receiver`].
    pub id: String,
    pub kind: ReceiverKind,
}

/// 接收方类型 — how the caller delivers a notification.
///
/// JSON: `{"type": "console"}` or `{"type": "webhook", "url": "https://…"}`;
/// any other field is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", try_from = "ReceiverKindRepr")]
pub enum ReceiverKind {
    /// 控制台 — shown in the weihua console.
    Console,
    /// Webhook — POST [`webhook_body`](crate::webhook_body) to `url`.
    Webhook { url: String },
}

/// The wire form of [`ReceiverKind`], so unknown fields are refused for
/// every variant (serde ignores them on unit variants of tagged enums).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReceiverKindRepr {
    #[serde(rename = "type")]
    kind: String,
    url: Option<String>,
}

impl TryFrom<ReceiverKindRepr> for ReceiverKind {
    type Error = String;
    fn try_from(r: ReceiverKindRepr) -> Result<Self, String> {
        match (r.kind.as_str(), r.url) {
            ("console", None) => Ok(Self::Console),
            ("console", Some(_)) => {
                Err("控制台接收方没有 url 字段 / a console receiver has no url".into())
            }
            ("webhook", Some(url)) => Ok(Self::Webhook { url }),
            ("webhook", None) => {
                Err("webhook 接收方需要 url 字段 / a webhook receiver needs a url".into())
            }
            (other, _) => Err(format!(
                "未知的接收方类型“{other}”，应为 console 或 webhook / unknown receiver type '{other}', expected console or webhook"
            )),
        }
    }
}

/// 匹配条件 — which alarms a route or escalation policy applies to. Every
/// non-empty field must match (AND); inside a list any entry may match (OR);
/// an empty field matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Matcher {
    /// 企业
    pub enterprise_ids: Vec<String>,
    /// 化工园区 — an alarm without a park never matches a non-empty list.
    pub park_ids: Vec<String>,
    /// 行政区划代码前缀 — GB/T 2260 prefix, e.g. "32" (江苏省) or "3205" (苏州市).
    pub region_prefix: Option<String>,
    /// 装置 / 重大危险源 — an alarm without one never matches a non-empty list.
    pub installation_ids: Vec<String>,
    /// 最低优先级 — the alarm must be at least this urgent.
    pub min_priority: Option<AlarmPriority>,
    /// 报警类型
    pub kinds: Vec<AlarmKind>,
}

impl Matcher {
    /// Whether `n` satisfies every non-empty condition.
    pub fn matches(&self, n: &AlarmNotice) -> bool {
        let in_list = |list: &[String], v: Option<&str>| {
            list.is_empty() || v.is_some_and(|v| list.iter().any(|x| x == v))
        };
        in_list(&self.enterprise_ids, Some(&n.enterprise_id))
            && in_list(&self.park_ids, n.park_id.as_deref())
            && in_list(&self.installation_ids, n.installation_id.as_deref())
            && self
                .region_prefix
                .as_deref()
                .is_none_or(|p| n.region_code.starts_with(p))
            && self.min_priority.is_none_or(|p| n.priority.at_least(p))
            && (self.kinds.is_empty() || self.kinds.contains(&n.kind))
    }

    fn validate(&self, path: &str) -> Result<(), ConfigError> {
        if let Some(p) = &self.region_prefix
            && (p.is_empty() || p.len() > 6 || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(invalid(
                format!("{path}.region_prefix"),
                format!("行政区划代码前缀“{p}”应为1至6位数字"),
                format!("region prefix '{p}' must be 1 to 6 digits"),
            ));
        }
        for (name, list) in [
            ("enterprise_ids", &self.enterprise_ids),
            ("park_ids", &self.park_ids),
            ("installation_ids", &self.installation_ids),
        ] {
            if list.iter().any(|s| s.trim().is_empty()) {
                return Err(invalid(
                    format!("{path}.{name}"),
                    "列表中不能有空标识",
                    "the list must not contain an empty id",
                ));
            }
        }
        Ok(())
    }
}

/// 分组标签 — alarms of a route with equal values of these labels are sent
/// together in one notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupLabel {
    /// 企业
    Enterprise,
    /// 装置 / 重大危险源
    Installation,
    /// 监测点位
    Point,
    /// 报警类型
    Kind,
    /// 优先级
    Priority,
}

impl GroupLabel {
    /// The label name used in group keys and webhook bodies.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enterprise => "enterprise_id",
            Self::Installation => "installation_id",
            Self::Point => "point_id",
            Self::Kind => "kind",
            Self::Priority => "priority",
        }
    }

    /// This label's value for a notice ("" when the notice has none).
    pub fn value(self, n: &AlarmNotice) -> String {
        match self {
            Self::Enterprise => n.enterprise_id.clone(),
            Self::Installation => n.installation_id.clone().unwrap_or_default(),
            Self::Point => n.point_id.clone(),
            Self::Kind => n.kind.as_str().to_string(),
            Self::Priority => n.priority.as_str().to_string(),
        }
    }
}

fn default_group_wait() -> i64 {
    DEFAULT_GROUP_WAIT_MS
}
fn default_group_interval() -> i64 {
    DEFAULT_GROUP_INTERVAL_MS
}
fn default_repeat_interval() -> i64 {
    DEFAULT_REPEAT_INTERVAL_MS
}

/// 通知路由 — sends matching alarms, grouped, to one receiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// 名称 — unique; part of every group key.
    pub name: String,
    /// 匹配条件 — omitted: every alarm.
    #[serde(default)]
    pub matchers: Matcher,
    /// 接收方 — a [`Receiver::id`].
    pub receiver: String,
    /// 分组标签 — empty: all alarms of the route form one group.
    #[serde(default)]
    pub group_by: Vec<GroupLabel>,
    /// 分组等待 — a new group waits this long before its first notification,
    /// and a change waits this long to collect companions (default 30 s,
    /// assumed; 0 sends at once).
    #[serde(default = "default_group_wait")]
    pub group_wait_ms: i64,
    /// 分组间隔 — at least this long between two notifications of a group
    /// (default 5 min, assumed).
    #[serde(default = "default_group_interval")]
    pub group_interval_ms: i64,
    /// 重复间隔 — a group still firing without change is re-sent after this
    /// long (default 4 h, assumed).
    #[serde(default = "default_repeat_interval")]
    pub repeat_interval_ms: i64,
    /// 继续匹配 — also try the routes after this one when it matches.
    #[serde(default)]
    pub continue_matching: bool,
}

/// 联系人 — whom an escalation step calls.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Contact {
    /// 包保责任人 — the installation's guardian in this role; the caller looks
    /// up the person.
    Guardian(GuardianRole),
    /// 指定用户 — a user id.
    User(String),
}

/// 升级步骤 — call `contact` when the alarm is still active and
/// unacknowledged `after_ms` after it was raised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EscalationStep {
    pub after_ms: i64,
    pub contact: Contact,
}

fn default_min_priority() -> AlarmPriority {
    AlarmPriority::High
}

/// 升级策略 — escalation of unacknowledged alarms. The first policy whose
/// `min_priority` and `matchers` fit an alarm applies to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EscalationPolicy {
    /// 名称 — unique.
    pub name: String,
    /// 最低优先级 — default high (assumed).
    #[serde(default = "default_min_priority")]
    pub min_priority: AlarmPriority,
    #[serde(default)]
    pub matchers: Matcher,
    /// 步骤 — strictly increasing `after_ms`.
    pub steps: Vec<EscalationStep>,
}

impl EscalationPolicy {
    /// 默认升级策略 (assumed): high and above; 操作负责人 after 5 min,
    /// 技术负责人 after 15 min, 主要负责人 after 30 min.
    pub fn default_policy() -> Self {
        let step = |min: i64, role| EscalationStep {
            after_ms: min * 60_000,
            contact: Contact::Guardian(role),
        };
        Self {
            name: "default".into(),
            min_priority: AlarmPriority::High,
            matchers: Matcher::default(),
            steps: vec![
                step(5, GuardianRole::Operational),
                step(15, GuardianRole::Technical),
                step(30, GuardianRole::Principal),
            ],
        }
    }

    /// Whether this policy applies to `n`.
    pub fn matches(&self, n: &AlarmNotice) -> bool {
        n.priority.at_least(self.min_priority) && self.matchers.matches(n)
    }
}

impl NotifyConfig {
    /// Parses JSON (unknown fields refused) and validates it.
    ///
    /// # Errors
    /// [`ConfigError::Json`] or the first [`ConfigError::Invalid`].
    pub fn from_json(json: &str) -> Result<Self, ConfigError> {
        let cfg: Self = serde_json::from_str(json).map_err(|e| ConfigError::Json(e.to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Checks ids, references and intervals.
    ///
    /// # Errors
    /// The first problem found, with its path.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut ids = BTreeSet::new();
        for (i, r) in self.receivers.iter().enumerate() {
            let path = format!("receivers[{i}]");
            if r.id.trim().is_empty() {
                return Err(invalid(
                    format!("{path}.id"),
                    "接收方标识不能为空",
                    "the receiver id must not be empty",
                ));
            }
            if !ids.insert(r.id.as_str()) {
                return Err(invalid(
                    format!("{path}.id"),
                    format!("接收方标识“{}”重复", r.id),
                    format!("receiver id '{}' is used twice", r.id),
                ));
            }
            if let ReceiverKind::Webhook { url } = &r.kind {
                let rest = url
                    .strip_prefix("https://")
                    .or_else(|| url.strip_prefix("http://"));
                if rest.is_none_or(|h| h.is_empty() || h.contains(char::is_whitespace)) {
                    return Err(invalid(
                        format!("{path}.kind.url"),
                        format!("Webhook 地址“{url}”应以 http:// 或 https:// 开头且不含空白"),
                        format!(
                            "webhook url '{url}' must start with http:// or https:// and contain no spaces"
                        ),
                    ));
                }
            }
        }

        let mut names = BTreeSet::new();
        for (i, r) in self.routes.iter().enumerate() {
            let path = format!("routes[{i}]");
            if r.name.trim().is_empty() {
                return Err(invalid(
                    format!("{path}.name"),
                    "路由名称不能为空",
                    "the route name must not be empty",
                ));
            }
            if !names.insert(r.name.as_str()) {
                return Err(invalid(
                    format!("{path}.name"),
                    format!("路由名称“{}”重复", r.name),
                    format!("route name '{}' is used twice", r.name),
                ));
            }
            if !ids.contains(r.receiver.as_str()) {
                return Err(invalid(
                    format!("{path}.receiver"),
                    format!("路由“{}”引用了不存在的接收方“{}”", r.name, r.receiver),
                    format!(
                        "route '{}' refers to unknown receiver '{}'",
                        r.name, r.receiver
                    ),
                ));
            }
            if r.group_wait_ms < 0 {
                return Err(invalid(
                    format!("{path}.group_wait_ms"),
                    "分组等待时间不能为负",
                    "group_wait_ms cannot be negative",
                ));
            }
            for (field, v) in [
                ("group_interval_ms", r.group_interval_ms),
                ("repeat_interval_ms", r.repeat_interval_ms),
            ] {
                if v <= 0 {
                    return Err(invalid(
                        format!("{path}.{field}"),
                        format!("{field} 须大于 0，当前为 {v}"),
                        format!("{field} must be greater than 0, got {v}"),
                    ));
                }
            }
            let mut seen = BTreeSet::new();
            if let Some(dup) = r.group_by.iter().find(|l| !seen.insert(**l)) {
                return Err(invalid(
                    format!("{path}.group_by"),
                    format!("分组标签“{}”重复", dup.as_str()),
                    format!("group label '{}' is listed twice", dup.as_str()),
                ));
            }
            r.matchers.validate(&format!("{path}.matchers"))?;
        }

        let mut names = BTreeSet::new();
        for (i, p) in self.escalation.iter().enumerate() {
            let path = format!("escalation[{i}]");
            if p.name.trim().is_empty() {
                return Err(invalid(
                    format!("{path}.name"),
                    "升级策略名称不能为空",
                    "the escalation policy name must not be empty",
                ));
            }
            if !names.insert(p.name.as_str()) {
                return Err(invalid(
                    format!("{path}.name"),
                    format!("升级策略名称“{}”重复", p.name),
                    format!("escalation policy name '{}' is used twice", p.name),
                ));
            }
            if p.steps.is_empty() {
                return Err(invalid(
                    format!("{path}.steps"),
                    "升级策略至少需要一个步骤",
                    "an escalation policy needs at least one step",
                ));
            }
            let mut prev: Option<i64> = None;
            for (j, s) in p.steps.iter().enumerate() {
                let spath = format!("{path}.steps[{j}]");
                if s.after_ms < 0 {
                    return Err(invalid(
                        format!("{spath}.after_ms"),
                        "升级时间不能为负",
                        "after_ms cannot be negative",
                    ));
                }
                if prev.is_some_and(|p| s.after_ms <= p) {
                    return Err(invalid(
                        format!("{spath}.after_ms"),
                        "升级步骤的时间须严格递增",
                        "the steps' after_ms must strictly increase",
                    ));
                }
                prev = Some(s.after_ms);
                if let Contact::User(u) = &s.contact
                    && u.trim().is_empty()
                {
                    return Err(invalid(
                        format!("{spath}.contact"),
                        "联系人用户标识不能为空",
                        "the contact user id must not be empty",
                    ));
                }
            }
            p.matchers.validate(&format!("{path}.matchers"))?;
        }
        Ok(())
    }
}
