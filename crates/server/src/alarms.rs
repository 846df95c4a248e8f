//! 报警服务 — the alarm service: the IO edge around the pure alarm engine.
//!
//! One task owns the [`Engine`]. It receives every durable batch from the
//! historian (in LSN order), operator commands from the API and a clock tick;
//! it writes each change to the store (alarm row + journal entry, one
//! transaction, committed before anything is shown), recomputes the risk
//! level of the installations concerned, and only then publishes the journal
//! entries on the live stream. The journal's sequence number is the stream's
//! event id, so a client that reconnects with `Last-Event-ID` loses nothing.
//!
//! After a restart the stored alarm states are restored and the last
//! [`Engine::replay_window_ms`] of each point's history is replayed, so an
//! on-delay that was running resumes where it was (delays run on sample time).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, RwLock};

use tokio::sync::{broadcast, mpsc, oneshot};
use weihua_alarm::{
    AlarmRef, AlarmState, Change, Command, Engine, EngineOptions, PointAlarmSettings, PointBasics,
    Transition, effective_config, gas_alarm_level,
};
use weihua_core::{
    AlarmKind, Guardians, Indicator, LimitName, MajorHazardGrade, RegionCode, Scope,
};
use weihua_historian::{CommittedBatch, Historian, SeriesId};
use weihua_notify::{AlarmNotice, Contact, Notifier, NotifyConfig, Outgoing, ReceiverKind};
use weihua_risk::{ActiveAlarm, InstallationRiskInput, RiskModel};
use weihua_store::alarms::{AlarmBatch, AlarmEvent, AlarmRecord, InstallationRisk};
use weihua_store::registry::ListFilter;
use weihua_store::{Actor, Paging, Store, StoreError, now_ms};

/// Options of the alarm service.
#[derive(Debug, Clone)]
pub struct AlarmServiceConfig {
    pub engine: EngineOptions,
    pub risk_model: RiskModel,
    /// Clock tick for interruptions, shelving expiry and notifications.
    pub tick: std::time::Duration,
    /// Capacity of the live stream (slow subscribers re-read the journal).
    pub stream_capacity: usize,
    /// Notification routing, grouping and escalation.
    pub notify: NotifyConfig,
    /// 报警日志保存期 — the journal is kept this many days (assumed 400;
    /// never under 30: ISA-18.2 KPIs need 30 days of history).
    pub journal_retention_days: i64,
}

impl Default for AlarmServiceConfig {
    fn default() -> Self {
        AlarmServiceConfig {
            engine: EngineOptions::default(),
            risk_model: RiskModel::default_v1(),
            tick: std::time::Duration::from_secs(1),
            stream_capacity: 16_384,
            notify: default_notify_config(),
            journal_retention_days: 400,
        }
    }
}

/// The default notification set-up (assumed): every alarm of medium priority
/// or above goes to the console, grouped per installation (30 s wait, 5 min
/// interval, 4 h repeat); unacknowledged high-priority alarms escalate to the
/// installation's 操作负责人 after 5 min, 技术负责人 after 15 min and 主要负责人
/// after 30 min.
pub fn default_notify_config() -> NotifyConfig {
    let json = r#"{
        "receivers": [{"id": "console", "kind": {"type": "console"}}],
        "routes": [{
            "name": "console",
            "receiver": "console",
            "matchers": {"min_priority": "medium"},
            "group_by": ["enterprise", "installation"]
        }]
    }"#;
    NotifyConfig::from_json(json).unwrap_or_default()
}

/// What the engine and the stream need to know of a point.
#[derive(Debug, Clone)]
pub struct PointInfo {
    pub id: String,
    pub tag: String,
    pub name: String,
    pub unit: String,
    pub indicator: Indicator,
    pub enterprise_id: String,
    pub installation_id: String,
    pub position: Option<String>,
}

#[derive(Debug, Clone)]
pub struct InstallationInfo {
    pub id: String,
    pub name: String,
    pub enterprise_id: String,
    pub grade: Option<i64>,
    pub is_major_hazard: Option<bool>,
    pub r_value: Option<f64>,
    pub guardians: Guardians,
}

#[derive(Debug, Clone)]
pub struct EnterpriseInfo {
    pub name: String,
    pub region_code: String,
    pub park_id: Option<String>,
}

impl From<weihua_store::registry::Installation> for InstallationInfo {
    fn from(i: weihua_store::registry::Installation) -> Self {
        InstallationInfo {
            id: i.id,
            name: i.name,
            enterprise_id: i.enterprise_id,
            grade: i.grade,
            is_major_hazard: i.is_major_hazard,
            r_value: i.r_value,
            guardians: i.guardians,
        }
    }
}

impl From<weihua_store::registry::Enterprise> for EnterpriseInfo {
    fn from(e: weihua_store::registry::Enterprise) -> Self {
        EnterpriseInfo {
            name: e.name,
            region_code: e.region_code,
            park_id: e.park_id,
        }
    }
}

/// The places the alarm service knows, for scoping the stream in memory.
#[derive(Debug, Default)]
pub struct Directory {
    pub points: HashMap<String, PointInfo>,
    pub installations: HashMap<String, InstallationInfo>,
    pub enterprises: HashMap<String, EnterpriseInfo>,
}

impl Directory {
    /// Whether an enterprise's events are visible in `scope` (the same rule as
    /// `weihua_store::scope::filter_enterprise`).
    pub fn visible(&self, scope: &Scope, enterprise_id: &str) -> bool {
        match scope {
            Scope::National => true,
            Scope::Enterprise(id) => id == enterprise_id,
            Scope::Park(p) => self
                .enterprises
                .get(enterprise_id)
                .is_some_and(|e| e.park_id.as_deref() == Some(p.as_str())),
            Scope::Region(code) => self
                .enterprises
                .get(enterprise_id)
                .is_some_and(|e| e.region_code.starts_with(code.prefix())),
        }
    }
}

/// Errors of an alarm command, mapped to HTTP by the API.
#[derive(Debug, thiserror::Error)]
pub enum AlarmError {
    #[error("alarm not found")]
    NotFound,
    #[error("{en}")]
    NotApplicable { zh: String, en: String },
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("the alarm service has stopped")]
    Stopped,
}

impl From<weihua_alarm::CommandError> for AlarmError {
    fn from(e: weihua_alarm::CommandError) -> Self {
        match e {
            weihua_alarm::CommandError::UnknownAlarm(_) => AlarmError::NotFound,
            weihua_alarm::CommandError::NotApplicable { zh, en } => {
                AlarmError::NotApplicable { zh, en }
            }
        }
    }
}

/// An operator's request.
pub enum Request {
    Command {
        alarm_id: String,
        command: Command,
        actor: Actor,
        reason: Option<String>,
        reply: oneshot::Sender<Result<AlarmRecord, AlarmError>>,
    },
    Comment {
        alarm_id: String,
        actor: Actor,
        text: String,
        reply: oneshot::Sender<Result<AlarmEvent, AlarmError>>,
    },
    SuppressPoint {
        point_id: String,
        on: bool,
        actor: Actor,
        reason: Option<String>,
        reply: oneshot::Sender<Result<Vec<AlarmRecord>, AlarmError>>,
    },
    /// Another service's event for the journal, the live stream and every
    /// webhook receiver (e.g. a work permit suspended by the gas interlock).
    Announce {
        event: AlarmEvent,
        reply: oneshot::Sender<()>,
    },
    /// A point was created or changed (limits, settings): reload it.
    ReloadPoint {
        point_id: String,
        reply: Option<oneshot::Sender<()>>,
    },
    /// Answer once every batch durable before this request has been evaluated.
    Barrier { reply: oneshot::Sender<()> },
    /// The enterprise owning an alarm (for the API's scope check).
    Owner {
        alarm_id: String,
        reply: oneshot::Sender<Option<String>>,
    },
}

/// Counters for benchmarks and health.
#[derive(Debug, Default)]
pub struct AlarmStats {
    pub samples: std::sync::atomic::AtomicU64,
    pub transitions: std::sync::atomic::AtomicU64,
    pub resyncs: std::sync::atomic::AtomicU64,
}

/// The handle the API holds.
pub struct AlarmHandle {
    requests: mpsc::Sender<Request>,
    pub stream: broadcast::Sender<Arc<AlarmEvent>>,
    pub directory: Arc<RwLock<Directory>>,
    pub stats: Arc<AlarmStats>,
    /// The risk model's version (shown with every roll-up).
    pub risk_model_version: String,
}

impl AlarmHandle {
    async fn ask<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<T>) -> Request,
    ) -> Result<T, AlarmError> {
        let (tx, rx) = oneshot::channel();
        self.requests
            .send(make(tx))
            .await
            .map_err(|_| AlarmError::Stopped)?;
        rx.await.map_err(|_| AlarmError::Stopped)
    }

    pub async fn command(
        &self,
        alarm_id: &str,
        command: Command,
        actor: Actor,
        reason: Option<String>,
    ) -> Result<AlarmRecord, AlarmError> {
        self.ask(|reply| Request::Command {
            alarm_id: alarm_id.to_string(),
            command,
            actor,
            reason,
            reply,
        })
        .await?
    }

    pub async fn comment(
        &self,
        alarm_id: &str,
        actor: Actor,
        text: String,
    ) -> Result<AlarmEvent, AlarmError> {
        self.ask(|reply| Request::Comment {
            alarm_id: alarm_id.to_string(),
            actor,
            text,
            reply,
        })
        .await?
    }

    pub async fn suppress_point(
        &self,
        point_id: &str,
        on: bool,
        actor: Actor,
        reason: Option<String>,
    ) -> Result<Vec<AlarmRecord>, AlarmError> {
        self.ask(|reply| Request::SuppressPoint {
            point_id: point_id.to_string(),
            on,
            actor,
            reason,
            reply,
        })
        .await?
    }

    /// Reload a point's configuration and wait until it is in effect.
    pub async fn reload_point(&self, point_id: &str) -> Result<(), AlarmError> {
        self.ask(|reply| Request::ReloadPoint {
            point_id: point_id.to_string(),
            reply: Some(reply),
        })
        .await
    }

    /// Journal and publish another service's event (its `seq` and `at` are
    /// set here), and post it to every webhook receiver as
    /// `{"version": "4", "status": <event>, "event": …}`.
    pub async fn announce(&self, event: AlarmEvent) -> Result<(), AlarmError> {
        self.ask(|reply| Request::Announce { event, reply }).await
    }

    /// Wait until every batch made durable before this call has been evaluated
    /// and its changes written and published.
    pub async fn barrier(&self) -> Result<(), AlarmError> {
        self.ask(|reply| Request::Barrier { reply }).await
    }

    /// The enterprise that owns an alarm, if the alarm exists.
    pub async fn owner(&self, alarm_id: &str) -> Result<Option<String>, AlarmError> {
        self.ask(|reply| Request::Owner {
            alarm_id: alarm_id.to_string(),
            reply,
        })
        .await
    }
}

struct Service {
    store: Store,
    historian: Historian,
    engine: Engine,
    model: RiskModel,
    directory: Arc<RwLock<Directory>>,
    stream: broadcast::Sender<Arc<AlarmEvent>>,
    stats: Arc<AlarmStats>,
    /// series id → engine point index (u32::MAX: not a point of ours).
    series_to_point: Vec<u32>,
    point_series: Vec<SeriesId>,
    seq: i64,
    acked_by: HashMap<String, String>,
    /// Counting alarms per installation.
    counting: HashMap<String, BTreeSet<String>>,
    interrupted_enterprises: HashSet<String>,
    risk: HashMap<String, (String, f64)>,
    last_lsn: u64,
    notifier: Notifier,
    webhook: WebhookClient,
    retention_days: i64,
    last_refresh: i64,
    last_prune: i64,
}

/// One point's replayed history: engine index, last sample time, samples.
type Replayed = (u32, Option<i64>, Vec<(i64, f64, u8)>);

/// A series that belongs to no configured point (deleted).
const NOT_OURS: u32 = u32::MAX - 1;

fn lock_err<T>(_: T) -> AlarmError {
    AlarmError::Store(StoreError::Corrupt("directory lock poisoned".into()))
}

/// 报警摘要 — one line for people: "二级报警 GT-101 可燃气体浓度 32 %LEL".
pub fn summary(
    def_kind: AlarmKind,
    limit: Option<LimitName>,
    p: Option<&PointInfo>,
    value: Option<f64>,
) -> (String, String) {
    let v = |value: Option<f64>, unit: &str| match value {
        Some(v) => format!(" {} {unit}", fmt_value(v)),
        None => String::new(),
    };
    match (def_kind, p) {
        (AlarmKind::EnterpriseInterruption, _) | (_, None) => (
            "企业数据中断：所有点位均无数据".to_string(),
            "enterprise data interruption: no point is reporting".to_string(),
        ),
        (AlarmKind::Limit, Some(p)) => {
            let level = limit.and_then(|l| gas_alarm_level(p.indicator, l));
            let (zh, en) = match (level, limit) {
                (Some(1), _) => ("一级报警".to_string(), "gas alarm 1".to_string()),
                (Some(_), _) => ("二级报警".to_string(), "gas alarm 2".to_string()),
                (None, Some(l)) => (l.label_zh().to_string(), format!("{} alarm", l.as_str())),
                (None, None) => ("限值报警".to_string(), "limit alarm".to_string()),
            };
            (
                format!("{zh} {} {}{}", p.tag, p.name, v(value, &p.unit)),
                format!(
                    "{en} {} {}{}",
                    p.tag,
                    p.indicator.as_str(),
                    v(value, &p.unit)
                ),
            )
        }
        (k, Some(p)) => (
            format!("{} {} {}{}", k.label_zh(), p.tag, p.name, v(value, &p.unit)),
            format!(
                "{} {} {}{}",
                k.as_str(),
                p.tag,
                p.indicator.as_str(),
                v(value, &p.unit)
            ),
        ),
    }
}

fn fmt_value(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn grade_of(n: Option<i64>) -> Option<MajorHazardGrade> {
    n.and_then(MajorHazardGrade::from_number)
}

impl Service {
    fn point_info(&self, id: &str) -> Option<PointInfo> {
        self.directory.read().ok()?.points.get(id).cloned()
    }

    fn enterprise_of(&self, r: AlarmRef) -> (String, Option<String>, Option<PointInfo>) {
        let def = self.engine.def(r);
        if def.kind == AlarmKind::EnterpriseInterruption {
            return (def.owner.clone(), None, None);
        }
        match self.point_info(&def.owner) {
            Some(p) => (
                p.enterprise_id.clone(),
                Some(p.installation_id.clone()),
                Some(p),
            ),
            None => (String::new(), None, None),
        }
    }

    fn record(&self, r: AlarmRef, now: i64) -> AlarmRecord {
        let def = self.engine.def(r);
        let s = self.engine.state(r);
        let (enterprise, installation, p) = self.enterprise_of(r);
        let position = p.as_ref().and_then(|p| {
            p.position.clone().or_else(|| {
                self.directory.read().ok().and_then(|d| {
                    d.installations
                        .get(&p.installation_id)
                        .map(|i| i.name.clone())
                })
            })
        });
        AlarmRecord {
            id: def.id.clone(),
            point: p.as_ref().map(|p| p.tag.clone()),
            point_id: p.as_ref().map(|p| p.id.clone()),
            point_name: p.as_ref().map(|p| p.name.clone()),
            unit: p.as_ref().map(|p| p.unit.clone()),
            enterprise,
            installation,
            kind: def.kind.as_str().to_string(),
            limit: def.limit.map(|l| l.as_str().to_string()),
            priority: def.priority.as_str().to_string(),
            position,
            state: s.isa(now).as_str().to_string(),
            active: s.active,
            acked: s.acked,
            latched: s.latched,
            suppressed: s.suppressed,
            out_of_service: s.out_of_service,
            value: s.value,
            raised_at: s.raised_at,
            acked_at: s.acked_at,
            acked_by: self.acked_by.get(&def.id).cloned(),
            shelved_until: s.shelved_until,
            cleared_at: s.cleared_at,
            open: !s.is_normal() || s.shelved_until.is_some() || s.suppressed || s.out_of_service,
            updated_at: now,
        }
    }

    fn event(
        &mut self,
        rec: &AlarmRecord,
        event: &str,
        at: i64,
        actor: Option<&Actor>,
        reason: Option<String>,
    ) -> AlarmEvent {
        self.seq += 1;
        let r = self.engine.alarm_ref(&rec.id);
        let (zh, en) = match r {
            Some(r) => {
                let def = self.engine.def(r);
                let p = rec.point_id.as_deref().and_then(|id| self.point_info(id));
                summary(def.kind, def.limit, p.as_ref(), rec.value)
            }
            None => (rec.id.clone(), rec.id.clone()),
        };
        let mut payload = serde_json::to_value(rec).unwrap_or(serde_json::Value::Null);
        if let Some(o) = payload.as_object_mut() {
            o.insert("summary_zh".into(), zh.into());
            o.insert("summary_en".into(), en.into());
        }
        AlarmEvent {
            seq: self.seq,
            at,
            event: event.to_string(),
            alarm_id: Some(rec.id.clone()),
            enterprise_id: rec.enterprise.clone(),
            installation_id: rec.installation.clone(),
            actor: actor.map(|a| a.username.clone()),
            reason,
            payload,
        }
    }

    /// Turns engine transitions into rows and journal entries, and notes the
    /// installations whose risk must be recomputed.
    fn absorb(
        &mut self,
        transitions: &[Transition],
        now: i64,
        batch: &mut AlarmBatch,
        dirty: &mut BTreeSet<String>,
    ) {
        let mut rows: HashMap<String, usize> = HashMap::new();
        for t in transitions {
            if t.change == Change::Activated && t.state.raised_at == Some(t.at_ms) {
                self.acked_by.remove(&self.engine.def(t.alarm).id);
            }
            let rec = self.record(t.alarm, now.max(t.at_ms));
            let ev = self.event(&rec, t.change.as_str(), t.at_ms, None, None);
            self.track(t.alarm, &rec, now, dirty);
            batch.events.push(ev);
            match rows.get(&rec.id) {
                Some(i) => batch.alarms[*i] = rec,
                None => {
                    rows.insert(rec.id.clone(), batch.alarms.len());
                    batch.alarms.push(rec);
                }
            }
        }
    }

    /// Keeps the per-installation set of counting alarms up to date, and
    /// tells the notifier.
    fn track(&mut self, r: AlarmRef, rec: &AlarmRecord, now: i64, dirty: &mut BTreeSet<String>) {
        self.notice(r, rec, now);
        let def = self.engine.def(r);
        let counts = self.engine.state(r).counts(now);
        if def.kind == AlarmKind::EnterpriseInterruption {
            let changed = if counts {
                self.interrupted_enterprises.insert(def.owner.clone())
            } else {
                self.interrupted_enterprises.remove(&def.owner)
            };
            if changed && let Ok(d) = self.directory.read() {
                dirty.extend(
                    d.installations
                        .values()
                        .filter(|i| i.enterprise_id == def.owner)
                        .map(|i| i.id.clone()),
                );
            }
            return;
        }
        if let Some(inst) = &rec.installation {
            let set = self.counting.entry(inst.clone()).or_default();
            let changed = if counts {
                set.insert(def.id.clone())
            } else {
                set.remove(&def.id)
            };
            if changed || counts {
                dirty.insert(inst.clone());
            }
        }
    }

    fn notice(&mut self, r: AlarmRef, rec: &AlarmRecord, now: i64) {
        let def = self.engine.def(r);
        let st = self.engine.state(r);
        let (park_id, region_code) = self
            .directory
            .read()
            .ok()
            .and_then(|d| {
                d.enterprises
                    .get(&rec.enterprise)
                    .map(|e| (e.park_id.clone(), e.region_code.clone()))
            })
            .unwrap_or_default();
        let p = rec.point_id.as_deref().and_then(|id| self.point_info(id));
        let (zh, en) = summary(def.kind, def.limit, p.as_ref(), st.value);
        self.notifier.observe(AlarmNotice {
            alarm_id: def.id.clone(),
            point_id: rec.point_id.clone().unwrap_or_default(),
            tag: rec.point.clone().unwrap_or_default(),
            enterprise_id: rec.enterprise.clone(),
            park_id,
            region_code,
            installation_id: rec.installation.clone(),
            kind: def.kind,
            limit: def.limit,
            priority: def.priority,
            // Shelved, suppressed and out-of-service alarms notify nobody.
            active: st.counts(now),
            acked: st.acked,
            raised_at_ms: st.raised_at.unwrap_or(now),
            summary_zh: zh,
            summary_en: en,
            at_ms: now,
        });
    }

    /// Delivers what the notifier has due: console notifications and
    /// escalations go to the journal (and so to the live stream); webhooks are
    /// posted in the background, their failures journalled.
    fn notifications(&mut self, now: i64, batch: &mut AlarmBatch) {
        for out in self.notifier.tick(now) {
            match out {
                Outgoing::Notification(n) => {
                    let receiver = self.notifier.receiver(&n.receiver).map(|r| r.kind.clone());
                    match receiver {
                        Some(ReceiverKind::Webhook { url }) => {
                            let body = weihua_notify::webhook_body(&n);
                            self.webhook.post(url, body);
                        }
                        Some(ReceiverKind::Console) | None => {
                            let enterprise = n
                                .firing
                                .first()
                                .or(n.resolved.first())
                                .map(|a| a.enterprise_id.clone())
                                .unwrap_or_default();
                            let installation = n
                                .firing
                                .first()
                                .or(n.resolved.first())
                                .and_then(|a| a.installation_id.clone());
                            self.seq += 1;
                            batch.events.push(AlarmEvent {
                                seq: self.seq,
                                at: now,
                                event: "notified".into(),
                                alarm_id: None,
                                enterprise_id: enterprise,
                                installation_id: installation,
                                actor: None,
                                reason: None,
                                payload: serde_json::to_value(&n).unwrap_or_default(),
                            });
                        }
                    }
                }
                Outgoing::Escalation(e) => {
                    let person = match &e.contact {
                        Contact::Guardian(role) => self.directory.read().ok().and_then(|d| {
                            let i = d.installations.get(e.installation_id.as_deref()?)?;
                            let g = match role {
                                weihua_core::GuardianRole::Principal => i.guardians.principal.clone(),
                                weihua_core::GuardianRole::Technical => i.guardians.technical.clone(),
                                weihua_core::GuardianRole::Operational => i.guardians.operational.clone(),
                            }?;
                            Some(serde_json::json!({"name": g.name, "title": g.title, "phone": g.phone}))
                        }),
                        Contact::User(id) => Some(serde_json::json!({"user_id": id})),
                    };
                    let mut payload = serde_json::to_value(&e).unwrap_or_default();
                    if let Some(o) = payload.as_object_mut() {
                        o.insert("person".into(), person.unwrap_or(serde_json::Value::Null));
                    }
                    self.seq += 1;
                    batch.events.push(AlarmEvent {
                        seq: self.seq,
                        at: now,
                        event: "escalated".into(),
                        alarm_id: Some(e.alarm_id.clone()),
                        enterprise_id: e.enterprise_id.clone(),
                        installation_id: e.installation_id.clone(),
                        actor: None,
                        reason: Some(format!("{} / {}", e.summary_zh, e.summary_en)),
                        payload: payload.clone(),
                    });
                    // Every webhook receiver hears escalations too.
                    let urls: Vec<String> = self
                        .notifier
                        .config()
                        .receivers
                        .iter()
                        .filter_map(|r| match &r.kind {
                            ReceiverKind::Webhook { url } => Some(url.clone()),
                            ReceiverKind::Console => None,
                        })
                        .collect();
                    for url in urls {
                        let body = serde_json::json!({"version": "4", "status": "escalation", "escalation": payload});
                        self.webhook.post(url, body);
                    }
                }
            }
        }
    }

    fn risk_input(&self, installation_id: &str) -> Option<InstallationRiskInput> {
        let d = self.directory.read().ok()?;
        let inst = d.installations.get(installation_id)?;
        let mut alarms = Vec::new();
        for id in self.counting.get(installation_id).into_iter().flatten() {
            let Some(r) = self.engine.alarm_ref(id) else {
                continue;
            };
            let def = self.engine.def(r);
            let Some(p) = d.points.get(&def.owner) else {
                continue;
            };
            alarms.push(ActiveAlarm {
                kind: def.kind,
                limit: def.limit,
                priority: def.priority,
                indicator: p.indicator,
                tag: p.tag.clone(),
                point_name: p.name.clone(),
                value: self.engine.state(r).value,
                unit: p.unit.clone(),
            });
        }
        Some(InstallationRiskInput {
            grade: grade_of(inst.grade),
            is_major_hazard: inst.is_major_hazard.unwrap_or(false),
            r_value: inst.r_value,
            alarms,
            enterprise_interrupted: self.interrupted_enterprises.contains(&inst.enterprise_id),
            ..Default::default()
        })
    }

    /// Recomputes the risk of the installations; a changed level or score is
    /// stored and journalled.
    fn reassess(&mut self, dirty: &BTreeSet<String>, now: i64, batch: &mut AlarmBatch) {
        for inst in dirty {
            let Some(input) = self.risk_input(inst) else {
                continue;
            };
            let a = self.model.assess(&input);
            let level = weihua_risk::level_as_str(a.level).to_string();
            let same = self
                .risk
                .get(inst)
                .is_some_and(|(l, s)| *l == level && (*s - a.score).abs() < 1e-9);
            if same {
                continue;
            }
            let enterprise_id = self
                .directory
                .read()
                .ok()
                .and_then(|d| d.installations.get(inst).map(|i| i.enterprise_id.clone()))
                .unwrap_or_default();
            let previous = self.risk.get(inst).map(|(l, _)| l.clone());
            self.risk.insert(inst.clone(), (level.clone(), a.score));
            let reasons = serde_json::to_value(&a.reasons).unwrap_or_default();
            batch.risks.push(InstallationRisk {
                installation_id: inst.clone(),
                enterprise_id: enterprise_id.clone(),
                level: level.clone(),
                score: a.score,
                reasons: reasons.clone(),
                model_version: a.model_version.clone(),
                updated_at: now,
            });
            self.seq += 1;
            batch.events.push(AlarmEvent {
                seq: self.seq,
                at: now,
                event: "risk".into(),
                alarm_id: None,
                enterprise_id,
                installation_id: Some(inst.clone()),
                actor: None,
                reason: None,
                payload: serde_json::json!({
                    "installation_id": inst,
                    "level": level,
                    "previous_level": previous,
                    "score": a.score,
                    "reasons": reasons,
                    "model_version": a.model_version,
                }),
            });
        }
    }

    async fn commit(&mut self, batch: AlarmBatch) {
        if batch.is_empty() {
            return;
        }
        // Durable before shown. A failed write is retried: the journal must not have holes.
        let mut delay = std::time::Duration::from_millis(50);
        loop {
            match self.store.record_alarm_changes(&batch).await {
                Ok(()) => break,
                Err(e) => {
                    tracing::error!(error = %e, "cannot store alarm changes; retrying");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(std::time::Duration::from_secs(5));
                }
            }
        }
        self.publish(batch.events);
    }

    fn publish(&self, events: Vec<AlarmEvent>) {
        for e in events {
            let _ = self.stream.send(Arc::new(e));
        }
    }

    async fn load_directory(store: &Store) -> Result<Directory, StoreError> {
        let all = Scope::National;
        let f = ListFilter::default();
        let mut d = Directory::default();
        for e in store.list_enterprises(&all, &f, Paging::all()).await?.items {
            d.enterprises.insert(e.id.clone(), EnterpriseInfo::from(e));
        }
        for i in store
            .list_installations(&all, &f, Paging::all())
            .await?
            .items
        {
            d.installations
                .insert(i.id.clone(), InstallationInfo::from(i));
        }
        for p in store.list_points(&all, &f, Paging::all()).await?.items {
            d.points.insert(p.id.clone(), point_info(&p, None));
        }
        Ok(d)
    }

    fn configure(
        &mut self,
        p: &weihua_store::registry::Point,
        settings: Option<&str>,
        now: i64,
    ) -> Option<u32> {
        let parsed: PointAlarmSettings = match settings.map(serde_json::from_str).transpose() {
            Ok(s) => s.unwrap_or_default(),
            Err(e) => {
                tracing::error!(point = %p.id, error = %e, "stored alarm settings unreadable; using defaults");
                PointAlarmSettings::default()
            }
        };
        let basics = PointBasics {
            indicator: p.indicator,
            range_low: p.range_low,
            range_high: p.range_high,
            limits: p.limits,
        };
        let config = match effective_config(&basics, &parsed) {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(point = %p.id, error = %e, "alarm settings invalid; using defaults");
                effective_config(&basics, &PointAlarmSettings::default()).ok()?
            }
        };
        if let Ok(mut d) = self.directory.write() {
            d.points
                .insert(p.id.clone(), point_info(p, parsed.position.clone()));
        }
        Some(
            self.engine
                .upsert_point(&p.id, &p.enterprise_id, config, now),
        )
    }

    fn map_series(&mut self, idx: u32, series: SeriesId) {
        let s = series.0 as usize;
        if self.series_to_point.len() <= s {
            self.series_to_point.resize(s + 1, u32::MAX);
        }
        self.series_to_point[s] = idx;
        let i = idx as usize;
        if self.point_series.len() <= i {
            self.point_series.resize(i + 1, SeriesId(u32::MAX));
        }
        self.point_series[i] = series;
    }

    async fn reload_point(
        &mut self,
        point_id: &str,
        dirty: &mut BTreeSet<String>,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        match self.store.get_point(&Scope::National, point_id).await {
            Ok(p) => {
                let settings = self
                    .store
                    .point_alarm_settings(&Scope::National, point_id)
                    .await?;
                // Refresh the installation (its grade may have changed) and enterprise.
                if let Ok(i) = self
                    .store
                    .get_installation(&Scope::National, &p.installation_id)
                    .await
                    && let Ok(mut d) = self.directory.write()
                {
                    d.installations
                        .insert(i.id.clone(), InstallationInfo::from(i));
                }
                if let Ok(e) = self
                    .store
                    .get_enterprise(&Scope::National, &p.enterprise_id)
                    .await
                    && let Ok(mut d) = self.directory.write()
                {
                    d.enterprises.insert(e.id.clone(), EnterpriseInfo::from(e));
                }
                if let Some(idx) = self.configure(&p, settings.as_deref(), now) {
                    let historian = self.historian.clone();
                    let id = p.id.clone();
                    if let Ok(Ok(series)) =
                        tokio::task::spawn_blocking(move || historian.series_id(&id)).await
                    {
                        self.map_series(idx, series);
                    }
                }
                dirty.insert(p.installation_id.clone());
                Ok(())
            }
            Err(StoreError::NotFound { .. }) => {
                self.engine.remove_point(point_id);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    async fn on_batches(&mut self, batches: &[Arc<CommittedBatch>]) {
        let now = now_ms();
        let mut out = Vec::new();
        let mut unknown: Vec<(SeriesId, i64, f64, u8)> = Vec::new();
        let mut n = 0u64;
        for b in batches {
            self.last_lsn = b.lsn.0;
            for s in &b.samples {
                n += 1;
                match self.series_to_point.get(s.series.0 as usize) {
                    Some(&idx) if idx < NOT_OURS => self
                        .engine
                        .evaluate(idx, s.ts_ms, s.value, s.quality, &mut out),
                    Some(&NOT_OURS) => {}
                    _ => unknown.push((s.series, s.ts_ms, s.value, s.quality)),
                }
            }
        }
        let mut dirty = BTreeSet::new();
        if !unknown.is_empty() {
            // Points created after start-up: learn them, then evaluate their samples.
            let mut seen = HashSet::new();
            for (series, ..) in &unknown {
                if seen.insert(*series)
                    && let Some(point_id) = self.historian.point_id(*series)
                    && let Err(e) = self.reload_point(&point_id, &mut dirty).await
                {
                    tracing::warn!(error = %e, "cannot load a new point for alarms");
                }
            }
            for (series, ts, v, q) in unknown {
                match self.series_to_point.get(series.0 as usize) {
                    Some(&idx) if idx < NOT_OURS => self.engine.evaluate(idx, ts, v, q, &mut out),
                    _ => {
                        // Not a point of ours (deleted): stop looking it up.
                        let i = series.0 as usize;
                        if self.series_to_point.len() <= i {
                            self.series_to_point.resize(i + 1, u32::MAX);
                        }
                        self.series_to_point[i] = NOT_OURS;
                    }
                }
            }
        }
        self.stats
            .samples
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        self.finish(out, now, dirty).await;
    }

    async fn finish(&mut self, out: Vec<Transition>, now: i64, mut dirty: BTreeSet<String>) {
        if out.is_empty() && dirty.is_empty() {
            return;
        }
        self.stats
            .transitions
            .fetch_add(out.len() as u64, std::sync::atomic::Ordering::Relaxed);
        // A flood is written and published in slices, so the first alarms are
        // on screens while the rest are still being written.
        const SLICE: usize = 1_000;
        if out.is_empty() {
            let mut batch = AlarmBatch::default();
            self.reassess(&dirty, now, &mut batch);
            self.commit(batch).await;
            return;
        }
        for slice in out.chunks(SLICE) {
            let mut batch = AlarmBatch::default();
            self.absorb(slice, now, &mut batch, &mut dirty);
            self.reassess(&dirty, now, &mut batch);
            dirty.clear();
            self.commit(batch).await;
        }
    }

    async fn on_tick(&mut self) {
        let now = now_ms();
        let mut out = Vec::new();
        self.engine.tick(now, &mut out);
        self.finish(out, now, BTreeSet::new()).await;
        let mut batch = AlarmBatch::default();
        self.notifications(now, &mut batch);
        self.commit(batch).await;
        if now - self.last_refresh >= 60_000 {
            self.last_refresh = now;
            self.refresh_places().await;
        }
        if now - self.last_prune >= 3_600_000 {
            self.last_prune = now;
            let cutoff = now - self.retention_days * 86_400_000;
            match self.store.prune_alarm_events(cutoff).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "alarm journal retention"),
                Err(e) => tracing::warn!(error = %e, "alarm journal retention failed"),
            }
        }
    }

    /// Re-reads installations and enterprises (grades follow GB 18218
    /// re-assessments; guardians and parks change) and re-assesses the risk
    /// of installations whose inherent inputs changed.
    async fn refresh_places(&mut self) {
        let fresh = match Self::load_directory(&self.store).await {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "cannot refresh places for alarms");
                return;
            }
        };
        let mut dirty = BTreeSet::new();
        if let Ok(mut d) = self.directory.write() {
            for (id, i) in &fresh.installations {
                let changed = d.installations.get(id).is_none_or(|old| {
                    old.grade != i.grade
                        || old.r_value != i.r_value
                        || old.is_major_hazard != i.is_major_hazard
                });
                if changed {
                    dirty.insert(id.clone());
                }
            }
            d.installations = fresh.installations;
            d.enterprises = fresh.enterprises;
        }
        self.finish(Vec::new(), now_ms(), dirty).await;
    }

    /// The historian dropped batches for us (we were too slow): re-read every
    /// point's samples since its last evaluated one.
    async fn resync(&mut self) {
        self.stats
            .resyncs
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tracing::warn!("alarm service lagged behind the historian; re-reading recent samples");
        let historian = self.historian.clone();
        let series = self.point_series.clone();
        let since = now_ms() - 600_000;
        let read = tokio::task::spawn_blocking(move || {
            series
                .iter()
                .enumerate()
                .filter(|(_, s)| s.0 != u32::MAX)
                .map(|(i, s)| {
                    (
                        i as u32,
                        historian
                            .range_with_quality(*s, since, i64::MAX)
                            .unwrap_or_default(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_default();
        let mut out = Vec::new();
        for (idx, samples) in read {
            for (ts, v, q) in samples {
                self.engine.evaluate(idx, ts, v, q, &mut out);
            }
        }
        self.finish(out, now_ms(), BTreeSet::new()).await;
    }

    async fn command(
        &mut self,
        alarm_id: &str,
        command: Command,
        actor: &Actor,
        reason: Option<String>,
    ) -> Result<AlarmRecord, AlarmError> {
        let now = now_ms();
        let r = self
            .engine
            .alarm_ref(alarm_id)
            .ok_or(AlarmError::NotFound)?;
        let before_state = self.engine.state(r).clone();
        let before = self.record(r, now);
        let t = self.engine.command(alarm_id, command, now)?;
        let prev_acker = self.acked_by.get(alarm_id).cloned();
        if matches!(t.change, Change::Acked | Change::Reset) && t.state.acked && !before_state.acked
        {
            self.acked_by
                .insert(alarm_id.to_string(), actor.username.clone());
        }
        let after = self.record(r, now);
        let event = self.event(&after, t.change.as_str(), now, Some(actor), reason);
        let written = async {
            let mut tx = self.store.write(actor).await?;
            self.store
                .record_alarm_command(&mut tx, Some(&before), &after, &event)
                .await?;
            tx.commit().await
        }
        .await;
        if let Err(e) = written {
            // Undo: the engine must not hold a state the store does not.
            self.engine.restore(alarm_id, before_state);
            match prev_acker {
                Some(a) => self.acked_by.insert(alarm_id.to_string(), a),
                None => self.acked_by.remove(alarm_id),
            };
            self.seq -= 1;
            return Err(e.into());
        }
        let mut dirty = BTreeSet::new();
        self.track(r, &after, now, &mut dirty);
        self.publish(vec![event]);
        let mut batch = AlarmBatch::default();
        self.reassess(&dirty, now, &mut batch);
        self.commit(batch).await;
        Ok(after)
    }

    async fn comment(
        &mut self,
        alarm_id: &str,
        actor: &Actor,
        text: String,
    ) -> Result<AlarmEvent, AlarmError> {
        let now = now_ms();
        let r = self
            .engine
            .alarm_ref(alarm_id)
            .ok_or(AlarmError::NotFound)?;
        let rec = self.record(r, now);
        let event = self.event(&rec, "commented", now, Some(actor), Some(text));
        let written = async {
            let mut tx = self.store.write(actor).await?;
            self.store
                .record_alarm_command(&mut tx, None, &rec, &event)
                .await?;
            tx.commit().await
        }
        .await;
        if let Err(e) = written {
            self.seq -= 1;
            return Err(e.into());
        }
        self.publish(vec![event.clone()]);
        Ok(event)
    }

    async fn handle(&mut self, req: Request) {
        match req {
            Request::Command {
                alarm_id,
                command,
                actor,
                reason,
                reply,
            } => {
                let r = self.command(&alarm_id, command, &actor, reason).await;
                let _ = reply.send(r);
            }
            Request::Comment {
                alarm_id,
                actor,
                text,
                reply,
            } => {
                let r = self.comment(&alarm_id, &actor, text).await;
                let _ = reply.send(r);
            }
            Request::SuppressPoint {
                point_id,
                on,
                actor,
                reason,
                reply,
            } => {
                // Every alarm of the point, including those in the normal state.
                let all = self
                    .engine
                    .point_index(&point_id)
                    .and_then(|idx| self.engine.point_config(idx))
                    .map(|cfg| alarm_ids_of(&point_id, cfg))
                    .unwrap_or_default();
                if all.is_empty() {
                    let _ = reply.send(Err(AlarmError::NotFound));
                    return;
                }
                let mut out = Vec::new();
                let mut err = None;
                for id in all {
                    match self
                        .command(&id, Command::Suppress(on), &actor, reason.clone())
                        .await
                    {
                        Ok(r) => out.push(r),
                        Err(AlarmError::NotApplicable { .. }) => {}
                        Err(e) => {
                            err = Some(e);
                            break;
                        }
                    }
                }
                let _ = reply.send(match err {
                    Some(e) => Err(e),
                    None => Ok(out),
                });
            }
            Request::ReloadPoint { point_id, reply } => {
                let mut dirty = BTreeSet::new();
                if let Err(e) = self.reload_point(&point_id, &mut dirty).await {
                    tracing::warn!(error = %e, "cannot reload point for alarms");
                }
                self.finish(Vec::new(), now_ms(), dirty).await;
                if let Some(r) = reply {
                    let _ = r.send(());
                }
            }
            Request::Announce { mut event, reply } => {
                let now = now_ms();
                self.seq += 1;
                event.seq = self.seq;
                event.at = now;
                let body =
                    serde_json::json!({"version": "4", "status": event.event, "event": event});
                let mut batch = AlarmBatch::default();
                batch.events.push(event);
                self.commit(batch).await;
                let urls: Vec<String> = self
                    .notifier
                    .config()
                    .receivers
                    .iter()
                    .filter_map(|r| match &r.kind {
                        ReceiverKind::Webhook { url } => Some(url.clone()),
                        ReceiverKind::Console => None,
                    })
                    .collect();
                for url in urls {
                    self.webhook.post(url, body.clone());
                }
                let _ = reply.send(());
            }
            Request::Barrier { reply } => {
                let _ = reply.send(());
            }
            Request::Owner { alarm_id, reply } => {
                let owner = self
                    .engine
                    .alarm_ref(&alarm_id)
                    .map(|r| self.enterprise_of(r).0);
                let _ = reply.send(owner);
            }
        }
    }
}

/// The ids of every alarm a configuration defines for a point.
fn alarm_ids_of(point_id: &str, cfg: &weihua_alarm::PointAlarmConfig) -> Vec<String> {
    let mut ids: Vec<String> = cfg
        .limits
        .iter()
        .map(|l| weihua_alarm::alarm_id(point_id, AlarmKind::Limit, Some(l.name)))
        .collect();
    for (on, kind) in [
        (cfg.rate.is_some(), AlarmKind::RateOfChange),
        (cfg.deviation.is_some(), AlarmKind::Deviation),
        (cfg.frozen.is_some(), AlarmKind::Frozen),
        (cfg.bad_quality.is_some(), AlarmKind::BadQuality),
        (cfg.interruption.is_some(), AlarmKind::Interruption),
    ] {
        if on {
            ids.push(weihua_alarm::alarm_id(point_id, kind, None));
        }
    }
    ids
}

fn point_info(p: &weihua_store::registry::Point, position: Option<String>) -> PointInfo {
    PointInfo {
        id: p.id.clone(),
        tag: p.tag.clone(),
        name: p.name.clone(),
        unit: p.unit.clone(),
        indicator: p.indicator,
        enterprise_id: p.enterprise_id.clone(),
        installation_id: p.installation_id.clone(),
        position,
    }
}

fn state_of(rec: &AlarmRecord) -> AlarmState {
    AlarmState {
        active: rec.active,
        acked: rec.acked,
        latched: rec.latched,
        shelved_until: rec.shelved_until,
        suppressed: rec.suppressed,
        out_of_service: rec.out_of_service,
        raised_at: rec.raised_at,
        acked_at: rec.acked_at,
        cleared_at: rec.cleared_at,
        value: rec.value,
    }
}

/// Starts the alarm service: loads points and stored states, replays recent
/// history, and spawns the task. Returns once the engine is ready.
pub async fn start(
    store: Store,
    historian: Historian,
    config: AlarmServiceConfig,
) -> anyhow::Result<Arc<AlarmHandle>> {
    let started = std::time::Instant::now();
    for r in &config.notify.receivers {
        if let ReceiverKind::Webhook { url } = &r.kind
            && !url.starts_with("http://")
        {
            anyhow::bail!(
                "通知接收方 {} 的地址必须以 http:// 开头（HTTPS 请经本地 TLS 代理） / webhook receiver {}: the URL must start with http:// (put a local TLS proxy in front for HTTPS): {url}",
                r.id,
                r.id
            );
        }
    }
    // Subscribe first, so no batch made durable from now on is missed.
    let mut sub = historian.subscribe();
    let directory = Arc::new(RwLock::new(Service::load_directory(&store).await?));
    let (stream, _) = broadcast::channel(config.stream_capacity);
    let stats = Arc::new(AlarmStats::default());
    let mut svc = Service {
        store: store.clone(),
        historian: historian.clone(),
        engine: Engine::new(config.engine.clone()),
        model: config.risk_model.clone(),
        directory: directory.clone(),
        stream: stream.clone(),
        stats: stats.clone(),
        series_to_point: Vec::new(),
        point_series: Vec::new(),
        seq: store.max_alarm_event_seq().await?,
        acked_by: HashMap::new(),
        counting: HashMap::new(),
        interrupted_enterprises: HashSet::new(),
        risk: HashMap::new(),
        last_lsn: 0,
        notifier: Notifier::new(config.notify.clone())?,
        webhook: WebhookClient::new(),
        retention_days: config.journal_retention_days.max(30),
        last_refresh: now_ms(),
        last_prune: 0,
    };
    let now = now_ms();
    let settings: HashMap<String, String> = store
        .all_point_alarm_settings()
        .await?
        .into_iter()
        .collect();
    let points = store
        .list_points(&Scope::National, &ListFilter::default(), Paging::all())
        .await?
        .items;
    let mut indexed = Vec::new();
    for p in &points {
        if let Some(idx) = svc.configure(p, settings.get(&p.id).map(String::as_str), now) {
            indexed.push((idx, p.id.clone()));
        }
    }
    let ids: Vec<String> = indexed.iter().map(|(_, id)| id.clone()).collect();
    let h = historian.clone();
    let series = tokio::task::spawn_blocking(move || {
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        h.series_ids(&refs)
    })
    .await??;
    for ((idx, _), s) in indexed.iter().zip(series) {
        svc.map_series(*idx, s);
    }
    // Restore stored states.
    for rec in store.open_alarms_system().await? {
        if !svc.engine.restore(&rec.id, state_of(&rec)) {
            tracing::info!(alarm = %rec.id, "stored alarm no longer configured");
        }
        if let Some(by) = &rec.acked_by {
            svc.acked_by.insert(rec.id.clone(), by.clone());
        }
    }
    for r in store.list_installation_risk(&Scope::National).await? {
        svc.risk
            .insert(r.installation_id.clone(), (r.level, r.score));
    }
    // Replay the recent history of every point (rebuilds running delays).
    let replay: Vec<(u32, SeriesId, i64)> = indexed
        .iter()
        .map(|(idx, _)| {
            (
                *idx,
                svc.point_series[*idx as usize],
                svc.engine.replay_window_ms(*idx),
            )
        })
        .collect();
    let h = historian.clone();
    let history = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<Replayed>> {
        let mut out = Vec::with_capacity(replay.len());
        for (idx, s, window) in replay {
            let latest = h
                .latest(&[s])?
                .into_iter()
                .next()
                .flatten()
                .map(|(ts, ..)| ts);
            let samples = match latest {
                Some(ts) if window > 0 => h.range_with_quality(s, ts - window, ts + 1)?,
                Some(ts) => h.range_with_quality(s, ts, ts + 1)?,
                None => Vec::new(),
            };
            out.push((idx, latest, samples));
        }
        Ok(out)
    })
    .await??;
    let mut out = Vec::new();
    for (idx, latest, samples) in history {
        for (ts, v, q) in samples {
            svc.engine.evaluate(idx, ts, v, q, &mut out);
        }
        if let Some(ts) = latest {
            svc.engine.restore_last_sample(idx, ts);
        }
    }
    // Every open alarm counts toward risk; every installation gets a level.
    let mut dirty: BTreeSet<String> = directory
        .read()
        .map_err(lock_err)?
        .installations
        .keys()
        .cloned()
        .collect();
    let open: Vec<AlarmRef> = svc.engine.open_alarms().map(|(r, ..)| r).collect();
    for r in open {
        let rec = svc.record(r, now);
        svc.track(r, &rec, now, &mut dirty);
    }
    svc.finish(out, now, dirty).await;
    tracing::info!(
        points = points.len(),
        alarms = svc.engine.alarm_count(),
        ms = started.elapsed().as_millis() as u64,
        "alarm engine ready"
    );

    let (tx, mut rx) = mpsc::channel::<Request>(1024);
    let tick_every = config.tick;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(tick_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                biased;
                b = sub.recv() => match b {
                    Ok(first) => {
                        // Coalesce what is already queued into one store write.
                        let mut batches = vec![first];
                        while batches.len() < 256 {
                            match sub.try_recv() {
                                Ok(b) => batches.push(b),
                                Err(broadcast::error::TryRecvError::Lagged(_)) => {
                                    svc.on_batches(&batches).await;
                                    batches.clear();
                                    svc.resync().await;
                                    break;
                                }
                                Err(_) => break,
                            }
                        }
                        svc.on_batches(&batches).await;
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => svc.resync().await,
                    Err(broadcast::error::RecvError::Closed) => break,
                },
                req = rx.recv() => match req {
                    Some(req) => {
                        // A barrier must see every batch durable before it was sent.
                        if let Request::Barrier { .. } = req {
                            let mut batches = Vec::new();
                            while let Ok(b) = sub.try_recv() {
                                batches.push(b);
                            }
                            svc.on_batches(&batches).await;
                        }
                        svc.handle(req).await;
                    }
                    None => break,
                },
                _ = tick.tick() => svc.on_tick().await,
            }
        }
        tracing::info!("alarm service stopped");
    });
    Ok(Arc::new(AlarmHandle {
        risk_model_version: config.risk_model.version().to_string(),
        requests: tx,
        stream,
        directory,
        stats,
    }))
}

/// Parses a region code leniently for scope checks in tests and tools.
pub fn region(code: &str) -> Option<RegionCode> {
    RegionCode::parse(code).ok()
}

/// Posts webhook bodies in the background (plain HTTP; three tries with
/// back-off). A final failure is logged; the notification stays in the
/// journal only for console receivers.
#[derive(Clone)]
struct WebhookClient {
    client: hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        http_body_util::Full<axum::body::Bytes>,
    >,
}

impl WebhookClient {
    fn new() -> Self {
        let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
        connector.set_connect_timeout(Some(std::time::Duration::from_secs(5)));
        WebhookClient {
            client: hyper_util::client::legacy::Client::builder(
                hyper_util::rt::TokioExecutor::new(),
            )
            .build(connector),
        }
    }

    fn post(&self, url: String, body: serde_json::Value) {
        let client = self.client.clone();
        tokio::spawn(async move {
            let bytes = axum::body::Bytes::from(body.to_string());
            let mut delay = std::time::Duration::from_millis(500);
            for attempt in 1..=3 {
                let req = match hyper::Request::post(&url)
                    .header("content-type", "application/json")
                    .body(http_body_util::Full::new(bytes.clone()))
                {
                    Ok(r) => r,
                    Err(e) => {
                        tracing::error!(url = %url, error = %e, "webhook URL is not valid");
                        return;
                    }
                };
                let sent =
                    tokio::time::timeout(std::time::Duration::from_secs(10), client.request(req))
                        .await;
                match sent {
                    Ok(Ok(resp)) if resp.status().is_success() => return,
                    Ok(Ok(resp)) => {
                        tracing::warn!(url = %url, status = %resp.status(), attempt, "webhook refused")
                    }
                    Ok(Err(e)) => tracing::warn!(url = %url, error = %e, attempt, "webhook failed"),
                    Err(_) => tracing::warn!(url = %url, attempt, "webhook timed out"),
                }
                tokio::time::sleep(delay).await;
                delay *= 4;
            }
            tracing::error!(url = %url, "webhook gave up after 3 attempts");
        });
    }
}
