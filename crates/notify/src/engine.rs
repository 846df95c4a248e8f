//! 通知引擎 — grouping, throttling, repeat and escalation. Pure: the caller
//! passes every alarm change to [`Notifier::observe`] and the current time to
//! [`Notifier::tick`], and delivers what `tick` returns.

use std::collections::BTreeMap;

use crate::{
    AlarmNotice, AlarmSummary, ConfigError, Escalation, Notification, NotificationStatus,
    NotifierStats, NotifyConfig, NotifyReason, Outgoing, Receiver, Route,
};

/// (route index, group key)
type GroupId = (usize, String);

#[derive(Debug, Clone)]
struct Member {
    summary: AlarmSummary,
    /// The receiver has been told this alarm is firing.
    notified: bool,
}

#[derive(Debug, Clone)]
struct Group {
    labels: BTreeMap<String, String>,
    firing: BTreeMap<String, Member>,
    /// Cleared after the receiver was told they fire; not yet told they cleared.
    resolved: BTreeMap<String, AlarmSummary>,
    created_ms: i64,
    last_sent_ms: Option<i64>,
    /// When the oldest change not yet sent happened.
    changed_ms: Option<i64>,
}

impl Group {
    fn has_unsent_change(&self) -> bool {
        !self.resolved.is_empty() || self.firing.values().any(|m| !m.notified)
    }

    fn is_empty(&self) -> bool {
        self.firing.is_empty() && self.resolved.is_empty()
    }

    /// When this group next wants to send, if ever.
    fn due(&self, r: &Route) -> Option<i64> {
        match self.last_sent_ms {
            None => {
                (!self.firing.is_empty()).then(|| self.created_ms.saturating_add(r.group_wait_ms))
            }
            Some(last) if self.has_unsent_change() => {
                let changed = self.changed_ms.unwrap_or(last);
                Some(
                    last.saturating_add(r.group_interval_ms)
                        .max(changed.saturating_add(r.group_wait_ms)),
                )
            }
            Some(last) => {
                (!self.firing.is_empty()).then(|| last.saturating_add(r.repeat_interval_ms))
            }
        }
    }
}

#[derive(Debug, Clone)]
struct AlarmState {
    notice: AlarmNotice,
    groups: Vec<GroupId>,
    /// The escalation policy that applies now; None when none does or the
    /// alarm has been acknowledged in this activation.
    policy: Option<usize>,
    /// Per policy, the index of its next step to fire in this activation, so
    /// a step fires once even if the priority drops and rises again.
    progress: BTreeMap<usize, usize>,
    /// Acknowledged during this activation: no more steps even if the ack is lost.
    ack_seen: bool,
}

impl AlarmState {
    fn next_step(&self) -> Option<(usize, usize)> {
        let p = self.policy?;
        Some((p, self.progress.get(&p).copied().unwrap_or(0)))
    }
}

/// 通知器 — Alertmanager-style routing, grouping and repeat, plus escalation
/// of unacknowledged alarms to the 包保责任人.
///
/// State is bounded: it holds the active alarms and the live groups only.
/// A cleared alarm is forgotten at once; a group is dropped after its final
/// "resolved" notification (or at once when no notification was ever sent).
#[derive(Debug, Clone)]
pub struct Notifier {
    config: NotifyConfig,
    alarms: BTreeMap<String, AlarmState>,
    groups: BTreeMap<GroupId, Group>,
}

impl Notifier {
    /// Validates `config` and starts with no alarms.
    ///
    /// # Errors
    /// The first problem [`NotifyConfig::validate`] finds.
    pub fn new(config: NotifyConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self {
            config,
            alarms: BTreeMap::new(),
            groups: BTreeMap::new(),
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &NotifyConfig {
        &self.config
    }

    /// Looks up a receiver by id (to find a webhook's URL).
    pub fn receiver(&self, id: &str) -> Option<&Receiver> {
        self.config.receivers.iter().find(|r| r.id == id)
    }

    /// Sizes of the state.
    pub fn stats(&self) -> NotifierStats {
        NotifierStats {
            active_alarms: self.alarms.len(),
            groups: self.groups.len(),
            firing_groups: self
                .groups
                .values()
                .filter(|g| !g.firing.is_empty())
                .count(),
            memberships: self.alarms.values().map(|a| a.groups.len()).sum(),
        }
    }

    /// The groups (route index, key) an active notice belongs to, with labels.
    fn route(&self, n: &AlarmNotice) -> Vec<(GroupId, BTreeMap<String, String>)> {
        let mut out = Vec::new();
        for (i, r) in self.config.routes.iter().enumerate() {
            if !r.matchers.matches(n) {
                continue;
            }
            let labels: BTreeMap<String, String> = r
                .group_by
                .iter()
                .map(|l| (l.as_str().to_string(), l.value(n)))
                .collect();
            let body: Vec<String> = labels
                .iter()
                .map(|(k, v)| format!("{k}={}", serde_json::Value::String(v.clone())))
                .collect();
            out.push(((i, format!("{}:{{{}}}", r.name, body.join(","))), labels));
            if !r.continue_matching {
                break;
            }
        }
        out
    }

    /// Takes one alarm change. Notices must come in order per alarm; one
    /// older (`at_ms`) than the last seen for the same active alarm is ignored.
    pub fn observe(&mut self, notice: AlarmNotice) {
        let at = notice.at_ms;
        let id = notice.alarm_id.clone();
        if let Some(prev) = self.alarms.get(&id)
            && at < prev.notice.at_ms
        {
            return;
        }
        if !notice.active {
            if let Some(state) = self.alarms.remove(&id) {
                let mut summary = AlarmSummary::from_notice(&notice);
                summary.resolved_at_ms = Some(at);
                for gid in state.groups {
                    self.leave(&gid, &id, &summary, at);
                }
            }
            return;
        }

        let targets = self.route(&notice);
        let summary = AlarmSummary::from_notice(&notice);
        let prev = self.alarms.remove(&id);
        if let Some(prev) = &prev {
            for gid in &prev.groups {
                if !targets.iter().any(|(t, _)| t == gid) {
                    // Its labels or priority changed: it no longer belongs here.
                    let mut s = AlarmSummary::from_notice(&prev.notice);
                    s.resolved_at_ms = Some(at);
                    self.leave(gid, &id, &s, at);
                }
            }
        }
        let mut groups = Vec::with_capacity(targets.len());
        for (gid, labels) in targets {
            self.join(&gid, labels, summary.clone(), at);
            groups.push(gid);
        }

        // Same raise time: the same activation, whose escalation goes on.
        let (ack_seen, progress) = match prev {
            Some(p) if p.notice.raised_at_ms == notice.raised_at_ms => {
                (p.ack_seen || notice.acked, p.progress)
            }
            _ => (notice.acked, BTreeMap::new()),
        };
        let policy = if ack_seen {
            None
        } else {
            self.config
                .escalation
                .iter()
                .position(|p| p.matches(&notice))
        };
        self.alarms.insert(
            id,
            AlarmState {
                notice,
                groups,
                policy,
                progress,
                ack_seen,
            },
        );
    }

    fn join(&mut self, gid: &GroupId, labels: BTreeMap<String, String>, s: AlarmSummary, at: i64) {
        let g = self.groups.entry(gid.clone()).or_insert_with(|| Group {
            labels,
            firing: BTreeMap::new(),
            resolved: BTreeMap::new(),
            created_ms: at,
            last_sent_ms: None,
            changed_ms: None,
        });
        let id = s.alarm_id.clone();
        if let Some(m) = g.firing.get_mut(&id) {
            m.summary = s;
            return;
        }
        // Cleared and raised again before the receiver heard it cleared: for
        // the receiver it never stopped firing.
        let notified = g.resolved.remove(&id).is_some();
        g.firing.insert(
            id,
            Member {
                summary: s,
                notified,
            },
        );
        if notified {
            if !g.has_unsent_change() {
                g.changed_ms = None;
            }
        } else {
            g.changed_ms = Some(g.changed_ms.map_or(at, |c| c.min(at)));
        }
    }

    fn leave(&mut self, gid: &GroupId, id: &str, s: &AlarmSummary, at: i64) {
        let Some(g) = self.groups.get_mut(gid) else {
            return;
        };
        if let Some(m) = g.firing.remove(id)
            && m.notified
        {
            g.resolved.insert(id.to_string(), s.clone());
            g.changed_ms = Some(g.changed_ms.map_or(at, |c| c.min(at)));
        }
        if g.is_empty() {
            self.groups.remove(gid);
        } else if !g.has_unsent_change() {
            g.changed_ms = None;
        }
    }

    /// Sends what is due at `now_ms`: group notifications first (in route and
    /// group-key order), then escalations (in alarm-id and step order).
    pub fn tick(&mut self, now_ms: i64) -> Vec<Outgoing> {
        let mut out = Vec::new();
        let mut dropped = Vec::new();
        for (gid, g) in &mut self.groups {
            let route = &self.config.routes[gid.0];
            if g.due(route).is_none_or(|d| d > now_ms) {
                continue;
            }
            let reason = if g.last_sent_ms.is_none() {
                NotifyReason::First
            } else if !g.has_unsent_change() {
                NotifyReason::Repeat
            } else if g.firing.is_empty() {
                NotifyReason::Resolved
            } else {
                NotifyReason::Update
            };
            let firing: Vec<AlarmSummary> = g
                .firing
                .values_mut()
                .map(|m| {
                    m.notified = true;
                    m.summary.clone()
                })
                .collect();
            let resolved: Vec<AlarmSummary> =
                std::mem::take(&mut g.resolved).into_values().collect();
            let status = if firing.is_empty() {
                NotificationStatus::Resolved
            } else {
                NotificationStatus::Firing
            };
            g.last_sent_ms = Some(now_ms);
            g.changed_ms = None;
            if firing.is_empty() {
                dropped.push(gid.clone());
            }
            out.push(Outgoing::Notification(Notification {
                receiver: route.receiver.clone(),
                route: route.name.clone(),
                group_key: gid.1.clone(),
                group_labels: g.labels.clone(),
                status,
                firing,
                resolved,
                reason,
                at_ms: now_ms,
            }));
        }
        for gid in dropped {
            self.groups.remove(&gid);
        }

        for a in self.alarms.values_mut() {
            let Some((p, mut next)) = a.next_step() else {
                continue;
            };
            let policy = &self.config.escalation[p];
            let n = &a.notice;
            while let Some(step) = policy.steps.get(next) {
                if n.raised_at_ms.saturating_add(step.after_ms) > now_ms {
                    break;
                }
                next += 1;
                a.progress.insert(p, next);
                out.push(Outgoing::Escalation(Escalation {
                    policy: policy.name.clone(),
                    alarm_id: n.alarm_id.clone(),
                    point_id: n.point_id.clone(),
                    tag: n.tag.clone(),
                    enterprise_id: n.enterprise_id.clone(),
                    installation_id: n.installation_id.clone(),
                    priority: n.priority,
                    step: next,
                    after_ms: step.after_ms,
                    contact: step.contact.clone(),
                    raised_at_ms: n.raised_at_ms,
                    summary_zh: n.summary_zh.clone(),
                    summary_en: n.summary_en.clone(),
                    at_ms: now_ms,
                }));
            }
        }
        out
    }

    /// The earliest time a [`tick`](Self::tick) would send something, so the
    /// caller can sleep until then. None: nothing is pending.
    pub fn next_deadline(&self) -> Option<i64> {
        let groups = self
            .groups
            .iter()
            .filter_map(|(gid, g)| g.due(&self.config.routes[gid.0]));
        let escalations = self.alarms.values().filter_map(|a| {
            let (p, next) = a.next_step()?;
            let step = self.config.escalation[p].steps.get(next)?;
            Some(a.notice.raised_at_ms.saturating_add(step.after_ms))
        });
        groups.chain(escalations).min()
    }
}
