//! 报警与风险的持久化 — alarm states, the alarm journal, per-point alarm
//! settings and the live risk level of installations.
//!
//! The alarm service (server) is the only writer of alarm states and of the
//! journal; it assigns journal sequence numbers in order. Engine transitions
//! are written with [`Store::record_alarm_changes`] (system changes: the
//! journal is their log); operator commands with [`Store::record_alarm_command`],
//! which also appends to the audit chain with who and why.

use crate::audit::Change;
use crate::scope::filter_enterprise;
use crate::sql::{Sql, Val};
use crate::{Page, Paging, Result, Store, StoreError, WriteTx, now_ms};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use weihua_core::Scope;

/// 报警 — one alarm (point + kind + limit) and its current state, as the API shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlarmRecord {
    /// `{point_id}:limit:HH`, `{point_id}:interruption`, `{enterprise_id}:enterprise_interruption` …
    pub id: String,
    /// 位号 of the point (None for an enterprise interruption).
    pub point: Option<String>,
    pub point_id: Option<String>,
    pub point_name: Option<String>,
    pub unit: Option<String>,
    pub enterprise: String,
    pub installation: Option<String>,
    /// `limit`, `rate_of_change`, `deviation`, `frozen`, `bad_quality`, `interruption`, `enterprise_interruption`.
    pub kind: String,
    /// `HH`/`H`/`L`/`LL` for limit alarms.
    pub limit: Option<String>,
    /// `emergency`/`high`/`medium`/`low`.
    pub priority: String,
    /// 操作岗位 — operator position (console).
    pub position: Option<String>,
    /// ISA-18.2 state: `normal`, `unacknowledged`, `acknowledged`,
    /// `rtn_unacknowledged`, `latched_unacknowledged`, `latched_acknowledged`,
    /// `shelved`, `suppressed`, `out_of_service`.
    pub state: String,
    pub active: bool,
    pub acked: bool,
    pub latched: bool,
    pub suppressed: bool,
    pub out_of_service: bool,
    pub value: Option<f64>,
    pub raised_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acked_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acked_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shelved_until: Option<i64>,
    pub cleared_at: Option<i64>,
    /// Not normal, or shelved / suppressed / out of service.
    pub open: bool,
    pub updated_at: i64,
}

/// 报警日志条目 — one entry of the journal (and one event of the live stream).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlarmEvent {
    /// Strictly increasing; the stream's event id.
    pub seq: i64,
    pub at: i64,
    /// `activated`, `cleared`, `acked`, `reset`, `shelved`, `unshelved`,
    /// `suppressed`, `unsuppressed`, `out_of_service`, `in_service`,
    /// `commented`, `escalated`, `notified`, `risk`.
    pub event: String,
    pub alarm_id: Option<String>,
    pub enterprise_id: String,
    pub installation_id: Option<String>,
    pub actor: Option<String>,
    pub reason: Option<String>,
    /// The alarm after the change, or the risk assessment.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payload: serde_json::Value,
}

/// 动态风险 — the current risk level of an installation.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstallationRisk {
    pub installation_id: String,
    pub enterprise_id: String,
    /// `red`/`orange`/`yellow`/`blue`.
    pub level: String,
    pub score: f64,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub reasons: serde_json::Value,
    pub model_version: String,
    pub updated_at: i64,
}

/// Filters of the alarm list.
#[derive(Debug, Clone, Default)]
pub struct AlarmFilter {
    /// Only open alarms (not normal, or shelved/suppressed/out of service).
    pub open: Option<bool>,
    pub enterprise_id: Option<String>,
    pub installation_id: Option<String>,
    pub kind: Option<String>,
    pub priority: Option<String>,
    pub state: Option<String>,
}

const ALARM_COLS: &str = "id, enterprise_id, installation_id, point_id, tag, point_name, unit, kind, limit_name, priority, position, state, active, acked, latched, suppressed, out_of_service, shelved_until, value, raised_at, acked_at, acked_by, cleared_at, is_open, updated_at";

fn b(r: &AnyRow, c: &str) -> Result<bool> {
    Ok(r.try_get::<i64, _>(c)? != 0)
}

fn decode_alarm(r: &AnyRow) -> Result<AlarmRecord> {
    Ok(AlarmRecord {
        id: r.try_get("id")?,
        point: r.try_get("tag")?,
        point_id: r.try_get("point_id")?,
        point_name: r.try_get("point_name")?,
        unit: r.try_get("unit")?,
        enterprise: r.try_get("enterprise_id")?,
        installation: r.try_get("installation_id")?,
        kind: r.try_get("kind")?,
        limit: r.try_get("limit_name")?,
        priority: r.try_get("priority")?,
        position: r.try_get("position")?,
        state: r.try_get("state")?,
        active: b(r, "active")?,
        acked: b(r, "acked")?,
        latched: b(r, "latched")?,
        suppressed: b(r, "suppressed")?,
        out_of_service: b(r, "out_of_service")?,
        value: r.try_get("value")?,
        raised_at: r.try_get("raised_at")?,
        acked_at: r.try_get("acked_at")?,
        acked_by: r.try_get("acked_by")?,
        shelved_until: r.try_get("shelved_until")?,
        cleared_at: r.try_get("cleared_at")?,
        open: b(r, "is_open")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn decode_event(r: &AnyRow) -> Result<AlarmEvent> {
    let payload: String = r.try_get("payload")?;
    Ok(AlarmEvent {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        event: r.try_get("event")?,
        alarm_id: r.try_get("alarm_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        installation_id: r.try_get("installation_id")?,
        actor: r.try_get("actor")?,
        reason: r.try_get("reason")?,
        payload: serde_json::from_str(&payload)
            .map_err(|e| StoreError::Corrupt(format!("alarm event payload: {e}")))?,
    })
}

fn decode_risk(r: &AnyRow) -> Result<InstallationRisk> {
    let reasons: String = r.try_get("reasons_json")?;
    Ok(InstallationRisk {
        installation_id: r.try_get("installation_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        level: r.try_get("level")?,
        score: r.try_get("score")?,
        reasons: serde_json::from_str(&reasons)
            .map_err(|e| StoreError::Corrupt(format!("risk reasons: {e}")))?,
        model_version: r.try_get("model_version")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// The upsert of an alarm row (portable: SQLite ≥ 3.24 and PostgreSQL).
fn upsert_alarm(a: &AlarmRecord) -> Sql {
    let i = |v: bool| Val::Int(Some(i64::from(v)));
    let mut s = Sql::insert(
        "alarms",
        ALARM_COLS,
        vec![
            a.id.clone().into(),
            a.enterprise.clone().into(),
            a.installation.clone().into(),
            a.point_id.clone().into(),
            a.point.clone().into(),
            a.point_name.clone().into(),
            a.unit.clone().into(),
            a.kind.clone().into(),
            a.limit.clone().into(),
            a.priority.clone().into(),
            a.position.clone().into(),
            a.state.clone().into(),
            i(a.active),
            i(a.acked),
            i(a.latched),
            i(a.suppressed),
            i(a.out_of_service),
            a.shelved_until.into(),
            a.value.into(),
            a.raised_at.into(),
            a.acked_at.into(),
            a.acked_by.clone().into(),
            a.cleared_at.into(),
            i(a.open),
            a.updated_at.into(),
        ],
    );
    s.push(
        " ON CONFLICT (id) DO UPDATE SET installation_id = excluded.installation_id, tag = excluded.tag, \
         point_name = excluded.point_name, unit = excluded.unit, priority = excluded.priority, \
         position = excluded.position, state = excluded.state, active = excluded.active, \
         acked = excluded.acked, latched = excluded.latched, suppressed = excluded.suppressed, \
         out_of_service = excluded.out_of_service, shelved_until = excluded.shelved_until, \
         value = excluded.value, raised_at = excluded.raised_at, acked_at = excluded.acked_at, \
         acked_by = excluded.acked_by, cleared_at = excluded.cleared_at, is_open = excluded.is_open, \
         updated_at = excluded.updated_at",
    );
    s
}

fn insert_event(e: &AlarmEvent) -> Sql {
    Sql::insert(
        "alarm_events",
        "seq, at, event, alarm_id, enterprise_id, installation_id, actor, reason, payload",
        vec![
            e.seq.into(),
            e.at.into(),
            e.event.clone().into(),
            e.alarm_id.clone().into(),
            e.enterprise_id.clone().into(),
            e.installation_id.clone().into(),
            e.actor.clone().into(),
            e.reason.clone().into(),
            e.payload.to_string().into(),
        ],
    )
}

fn upsert_risk(r: &InstallationRisk) -> Sql {
    let mut s = Sql::insert(
        "installation_risk",
        "installation_id, enterprise_id, level, score, reasons_json, model_version, updated_at",
        vec![
            r.installation_id.clone().into(),
            r.enterprise_id.clone().into(),
            r.level.clone().into(),
            r.score.into(),
            r.reasons.to_string().into(),
            r.model_version.clone().into(),
            r.updated_at.into(),
        ],
    );
    s.push(
        " ON CONFLICT (installation_id) DO UPDATE SET level = excluded.level, score = excluded.score, \
         reasons_json = excluded.reasons_json, model_version = excluded.model_version, updated_at = excluded.updated_at",
    );
    s
}

/// What one batch of the alarm service writes: alarm rows, journal entries, risk rows.
#[derive(Debug, Default)]
pub struct AlarmBatch {
    pub alarms: Vec<AlarmRecord>,
    pub events: Vec<AlarmEvent>,
    pub risks: Vec<InstallationRisk>,
}

impl AlarmBatch {
    pub fn is_empty(&self) -> bool {
        self.alarms.is_empty() && self.events.is_empty() && self.risks.is_empty()
    }
}

impl Store {
    /// Writes engine transitions (and risk changes) in one transaction,
    /// committed (fsync'd on SQLite) before returning.
    pub async fn record_alarm_changes(&self, batch: &AlarmBatch) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for a in &batch.alarms {
            upsert_alarm(a).query().execute(&mut *tx).await?;
        }
        for e in &batch.events {
            insert_event(e).query().execute(&mut *tx).await?;
        }
        for r in &batch.risks {
            upsert_risk(r).query().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Writes an operator command (ack, shelve, comment …): the alarm row,
    /// its journal entry and the audit entry with who and why, in one
    /// transaction. The caller has checked the alarm is in the actor's scope.
    pub async fn record_alarm_command(
        &self,
        tx: &mut WriteTx,
        before: Option<&AlarmRecord>,
        after: &AlarmRecord,
        event: &AlarmEvent,
    ) -> Result<()> {
        upsert_alarm(after).query().execute(&mut *tx.tx).await?;
        insert_event(event).query().execute(&mut *tx.tx).await?;
        let action = format!("alarm.{}", event.event);
        let mut after_json = serde_json::to_value(after).unwrap_or(serde_json::Value::Null);
        if let (Some(obj), Some(reason)) = (after_json.as_object_mut(), &event.reason) {
            obj.insert("reason".into(), reason.clone().into());
        }
        tx.audit(Change {
            action: &action,
            entity_type: "alarm",
            entity_id: &after.id,
            enterprise_id: Some(&after.enterprise),
            region_code: None,
            before: before.and_then(|b| serde_json::to_value(b).ok()),
            after: Some(after_json),
        })
        .await?;
        Ok(())
    }

    /// The highest journal sequence number (0 when empty).
    pub async fn max_alarm_event_seq(&self) -> Result<i64> {
        let v: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM alarm_events")
            .fetch_one(&self.pool)
            .await?;
        Ok(v.unwrap_or(0))
    }

    /// Every open alarm, whatever the scope (for the engine at start-up).
    pub async fn open_alarms_system(&self) -> Result<Vec<AlarmRecord>> {
        let s = Sql::new(&format!(
            "SELECT {ALARM_COLS} FROM alarms WHERE is_open = 1"
        ));
        s.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode_alarm)
            .collect()
    }

    /// Alarms visible in `scope`, most urgent and newest first.
    pub async fn list_alarms(
        &self,
        scope: &Scope,
        filter: &AlarmFilter,
        paging: Paging,
    ) -> Result<Page<AlarmRecord>> {
        let mut w = Sql::new(" FROM alarms WHERE 1 = 1");
        filter_enterprise(&mut w, scope, "enterprise_id");
        if let Some(open) = filter.open {
            w.push(" AND is_open = ").bind(i64::from(open));
        }
        if let Some(e) = &filter.enterprise_id {
            w.push(" AND enterprise_id = ").bind(e.clone());
        }
        if let Some(i) = &filter.installation_id {
            w.push(" AND installation_id = ").bind(i.clone());
        }
        if let Some(k) = &filter.kind {
            w.push(" AND kind = ").bind(k.clone());
        }
        if let Some(p) = &filter.priority {
            w.push(" AND priority = ").bind(p.clone());
        }
        if let Some(st) = &filter.state {
            w.push(" AND state = ").bind(st.clone());
        }
        let total: i64 = w
            .with_prefix("SELECT COUNT(*)")
            .scalar()
            .fetch_one(&self.pool)
            .await?;
        let mut q = w.with_prefix(&format!("SELECT {ALARM_COLS}"));
        q.push(
            " ORDER BY CASE priority WHEN 'emergency' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, \
             COALESCE(raised_at, updated_at) DESC, id LIMIT ",
        )
        .bind(paging.limit)
        .push(" OFFSET ")
        .bind(paging.offset);
        let items = q
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode_alarm)
            .collect::<Result<_>>()?;
        Ok(Page { items, total })
    }

    /// One alarm, if visible in `scope`.
    pub async fn get_alarm(&self, scope: &Scope, id: &str) -> Result<AlarmRecord> {
        let mut s = Sql::new(&format!("SELECT {ALARM_COLS} FROM alarms WHERE id = "));
        s.bind(id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        match s.query().fetch_optional(&self.pool).await? {
            Some(r) => decode_alarm(&r),
            None => Err(StoreError::NotFound { entity: "alarm" }),
        }
    }

    /// Journal entries after `after_seq` visible in `scope`, oldest first.
    pub async fn alarm_events_after(
        &self,
        scope: &Scope,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<AlarmEvent>> {
        let mut s = Sql::new(
            "SELECT seq, at, event, alarm_id, enterprise_id, installation_id, actor, reason, payload FROM alarm_events WHERE seq > ",
        );
        s.bind(after_seq);
        filter_enterprise(&mut s, scope, "enterprise_id");
        s.push(" ORDER BY seq LIMIT ").bind(limit.clamp(1, 10_000));
        s.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode_event)
            .collect()
    }

    /// Journal entries of some kinds in `[from, to)` visible in `scope`, in order
    /// (for KPIs and history).
    pub async fn alarm_events_between(
        &self,
        scope: &Scope,
        from_ms: i64,
        to_ms: i64,
        events: &[&str],
        enterprise_id: Option<&str>,
    ) -> Result<Vec<AlarmEvent>> {
        let mut s = Sql::new(
            "SELECT seq, at, event, alarm_id, enterprise_id, installation_id, actor, reason, payload FROM alarm_events WHERE at >= ",
        );
        s.bind(from_ms).push(" AND at < ").bind(to_ms);
        if !events.is_empty() {
            s.push(" AND event IN (")
                .bind_list(events.iter().map(|e| e.to_string()))
                .push(")");
        }
        if let Some(e) = enterprise_id {
            s.push(" AND enterprise_id = ").bind(e);
        }
        filter_enterprise(&mut s, scope, "enterprise_id");
        s.push(" ORDER BY seq");
        s.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode_event)
            .collect()
    }

    /// Deletes journal entries older than `before_ms` (retention; ISA-18.2 KPIs
    /// need at least 30 days, so callers keep more). Returns how many.
    pub async fn prune_alarm_events(&self, before_ms: i64) -> Result<u64> {
        let mut s = Sql::new("DELETE FROM alarm_events WHERE at < ");
        s.bind(before_ms);
        Ok(s.query().execute(&self.pool).await?.rows_affected())
    }

    /// The stored alarm-settings JSON of every point (for the engine at start-up).
    pub async fn all_point_alarm_settings(&self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT point_id, settings_json FROM point_alarm_settings")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("point_id")?, r.try_get("settings_json")?)))
            .collect()
    }

    /// The stored settings JSON of one point (None = defaults), scope-checked.
    pub async fn point_alarm_settings(
        &self,
        scope: &Scope,
        point_id: &str,
    ) -> Result<Option<String>> {
        let mut s = Sql::new("SELECT settings_json FROM point_alarm_settings WHERE point_id = ");
        s.bind(point_id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        Ok(s.scalar::<String>().fetch_optional(&self.pool).await?)
    }

    /// Replaces a point's alarm settings (audited). The point must be visible
    /// to the transaction's actor.
    pub async fn set_point_alarm_settings(
        &self,
        tx: &mut WriteTx,
        point_id: &str,
        settings_json: &str,
    ) -> Result<()> {
        let scope = tx.actor.scope.clone();
        let mut s = Sql::new("SELECT enterprise_id FROM points WHERE id = ");
        s.bind(point_id);
        filter_enterprise(&mut s, &scope, "enterprise_id");
        let Some(enterprise_id) = s.scalar::<String>().fetch_optional(&mut *tx.tx).await? else {
            return Err(StoreError::NotFound { entity: "point" });
        };
        let mut q = Sql::new("SELECT settings_json FROM point_alarm_settings WHERE point_id = ");
        q.bind(point_id);
        let before: Option<String> = q.scalar().fetch_optional(&mut *tx.tx).await?;
        let mut del = Sql::new("DELETE FROM point_alarm_settings WHERE point_id = ");
        del.bind(point_id);
        del.query().execute(&mut *tx.tx).await?;
        Sql::insert(
            "point_alarm_settings",
            "point_id, enterprise_id, settings_json, updated_at",
            vec![
                point_id.to_string().into(),
                enterprise_id.clone().into(),
                settings_json.to_string().into(),
                now_ms().into(),
            ],
        )
        .query()
        .execute(&mut *tx.tx)
        .await?;
        let json = |s: &str| serde_json::from_str::<serde_json::Value>(s).ok();
        tx.audit(Change {
            action: "point.alarm_settings",
            entity_type: "point",
            entity_id: point_id,
            enterprise_id: Some(&enterprise_id),
            region_code: None,
            before: before.as_deref().and_then(json),
            after: json(settings_json),
        })
        .await?;
        Ok(())
    }

    /// Current risk rows visible in `scope`.
    pub async fn list_installation_risk(&self, scope: &Scope) -> Result<Vec<InstallationRisk>> {
        let mut s = Sql::new(
            "SELECT installation_id, enterprise_id, level, score, reasons_json, model_version, updated_at FROM installation_risk WHERE 1 = 1",
        );
        filter_enterprise(&mut s, scope, "enterprise_id");
        s.push(" ORDER BY score DESC, installation_id");
        s.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode_risk)
            .collect()
    }

    /// One installation's current risk, if visible in `scope`.
    pub async fn installation_risk(
        &self,
        scope: &Scope,
        installation_id: &str,
    ) -> Result<Option<InstallationRisk>> {
        let mut s = Sql::new(
            "SELECT installation_id, enterprise_id, level, score, reasons_json, model_version, updated_at FROM installation_risk WHERE installation_id = ",
        );
        s.bind(installation_id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        s.query()
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(decode_risk)
            .transpose()
    }
}
