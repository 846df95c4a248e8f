//! 特殊作业票 — storage of GB 30871-2022 special work permits.
//!
//! The rule engine (`weihua_standards::gb30871`) decides; this module keeps
//! what it decided: one row per permit (searchable columns plus the whole
//! permit as JSON), one `permit_events` row per step, and an audit entry for
//! every change, all in the caller's transaction. Updates are optimistic: a
//! permit changed by someone else since it was read is refused (`Conflict`),
//! so two approvers cannot both move it from the same state.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use weihua_core::Scope;

use crate::audit::Change;
use crate::scope::filter_enterprise;
use crate::{Page, Paging, Result, Sql, Store, StoreError, WriteTx};

/// 作业票 — a stored permit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermitRow {
    pub id: String,
    /// 作业票编号 — unique within the enterprise.
    pub number: String,
    pub enterprise_id: String,
    pub installation_id: Option<String>,
    pub equipment_id: Option<String>,
    /// `hot_work`, `confined_space`, …
    pub kind: String,
    /// `special`, `one`, `two` (hot work), `i`–`iv` (height, lifting); none for kinds without levels.
    pub level: Option<String>,
    /// Lifecycle state (`draft`, `gas_analysis`, … `closed`).
    pub state: String,
    /// 承包商作业 — done by a contractor (reported online before it starts).
    pub contractor: bool,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub planned_start: i64,
    pub planned_end: i64,
    /// 网上报告 — when it was reported to the park and the county.
    pub reported_at: Option<i64>,
    /// Random token of the on-site QR code (public, read-only status page).
    #[serde(skip_serializing)]
    pub public_token: String,
    /// The permit as the rule engine sees it.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub doc: serde_json::Value,
    /// Bumped on every change (optimistic concurrency).
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// 作业票记录 — one step of a permit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermitEvent {
    pub permit_id: String,
    /// 1, 2, … per permit.
    pub n: i64,
    pub at: i64,
    /// `create`, `submit_gas`, `approve`, `suspend`, `interlock_suspend`, …
    pub action: String,
    pub actor: String,
    pub from_state: String,
    pub to_state: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: serde_json::Value,
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct PermitFilter {
    pub enterprise_id: Option<String>,
    pub installation_id: Option<String>,
    pub kind: Option<String>,
    pub states: Vec<String>,
    /// Only permits whose planned window overlaps [from, to).
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Only permits already reported online.
    pub reported: Option<bool>,
}

const COLS: &str = "id, number, enterprise_id, installation_id, equipment_id, kind, level, state, contractor, \
     latitude, longitude, planned_start, planned_end, reported_at, public_token, doc_json, version, created_by, \
     created_at, updated_at";

fn decode(r: &AnyRow) -> Result<PermitRow> {
    let doc: String = r.try_get("doc_json")?;
    let contractor: i64 = r.try_get("contractor")?;
    Ok(PermitRow {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        enterprise_id: r.try_get("enterprise_id")?,
        installation_id: r.try_get("installation_id")?,
        equipment_id: r.try_get("equipment_id")?,
        kind: r.try_get("kind")?,
        level: r.try_get("level")?,
        state: r.try_get("state")?,
        contractor: contractor != 0,
        latitude: r.try_get("latitude")?,
        longitude: r.try_get("longitude")?,
        planned_start: r.try_get("planned_start")?,
        planned_end: r.try_get("planned_end")?,
        reported_at: r.try_get("reported_at")?,
        public_token: r.try_get("public_token")?,
        doc: serde_json::from_str(&doc)
            .map_err(|e| StoreError::Corrupt(format!("permit doc_json: {e}")))?,
        version: r.try_get("version")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn decode_event(r: &AnyRow) -> Result<PermitEvent> {
    let detail: String = r.try_get("detail_json")?;
    Ok(PermitEvent {
        permit_id: r.try_get("permit_id")?,
        n: r.try_get("n")?,
        at: r.try_get("at")?,
        action: r.try_get("action")?,
        actor: r.try_get("actor")?,
        from_state: r.try_get("from_state")?,
        to_state: r.try_get("to_state")?,
        detail: serde_json::from_str(&detail)
            .map_err(|e| StoreError::Corrupt(format!("permit event detail_json: {e}")))?,
    })
}

fn audit_view(p: &PermitRow) -> serde_json::Value {
    serde_json::json!({
        "number": p.number, "kind": p.kind, "level": p.level, "state": p.state,
        "installation_id": p.installation_id, "planned_start": p.planned_start,
        "planned_end": p.planned_end, "version": p.version,
    })
}

impl Store {
    /// Store a new permit with its first event (`create`), audited.
    pub async fn insert_permit(
        &self,
        tx: &mut WriteTx,
        p: &PermitRow,
        event: &PermitEvent,
    ) -> Result<()> {
        let exists: Option<String> = {
            let mut q = Sql::new("SELECT id FROM permits WHERE enterprise_id = ");
            q.bind(&p.enterprise_id)
                .push(" AND number = ")
                .bind(&p.number);
            q.scalar().fetch_optional(&mut *tx.tx).await?
        };
        if exists.is_some() {
            return Err(StoreError::Conflict {
                field: "number".into(),
                zh: format!("作业票编号 {} 已存在", p.number),
                en: format!("permit number {} already exists", p.number),
            });
        }
        Sql::insert(
            "permits",
            COLS.replace(' ', "").as_str(),
            vec![
                p.id.clone().into(),
                p.number.clone().into(),
                p.enterprise_id.clone().into(),
                p.installation_id.clone().into(),
                p.equipment_id.clone().into(),
                p.kind.clone().into(),
                p.level.clone().into(),
                p.state.clone().into(),
                i64::from(p.contractor).into(),
                p.latitude.into(),
                p.longitude.into(),
                p.planned_start.into(),
                p.planned_end.into(),
                p.reported_at.into(),
                p.public_token.clone().into(),
                p.doc.to_string().into(),
                p.version.into(),
                p.created_by.clone().into(),
                p.created_at.into(),
                p.updated_at.into(),
            ],
        )
        .query()
        .execute(&mut *tx.tx)
        .await?;
        insert_event(tx, event).await?;
        tx.audit(Change {
            action: "permit.create",
            entity_type: "permit",
            entity_id: &p.id,
            enterprise_id: Some(&p.enterprise_id),
            region_code: None,
            before: None,
            after: Some(audit_view(p)),
        })
        .await?;
        Ok(())
    }

    /// Replace a permit read at `expected_version` by `after` (whose version
    /// must be one more), add its event, audit it. Someone else's change since
    /// the read is a `Conflict`.
    pub async fn update_permit(
        &self,
        tx: &mut WriteTx,
        before: &PermitRow,
        after: &PermitRow,
        event: &PermitEvent,
    ) -> Result<()> {
        let mut q = Sql::new("UPDATE permits SET state = ");
        q.bind(&after.state)
            .push(", level = ")
            .bind(after.level.clone())
            .push(", installation_id = ")
            .bind(after.installation_id.clone())
            .push(", equipment_id = ")
            .bind(after.equipment_id.clone())
            .push(", latitude = ")
            .bind(after.latitude)
            .push(", longitude = ")
            .bind(after.longitude)
            .push(", planned_start = ")
            .bind(after.planned_start)
            .push(", planned_end = ")
            .bind(after.planned_end)
            .push(", reported_at = ")
            .bind(after.reported_at)
            .push(", doc_json = ")
            .bind(after.doc.to_string())
            .push(", version = ")
            .bind(after.version)
            .push(", updated_at = ")
            .bind(after.updated_at)
            .push(" WHERE id = ")
            .bind(&before.id)
            .push(" AND version = ")
            .bind(before.version);
        let done = q.query().execute(&mut *tx.tx).await?.rows_affected();
        if done != 1 {
            return Err(StoreError::Conflict {
                field: "version".into(),
                zh: "作业票已被他人修改，请刷新后重试".into(),
                en: "the permit was changed by someone else; reload and try again".into(),
            });
        }
        insert_event(tx, event).await?;
        let action = format!("permit.{}", event.action);
        let mut after_json = audit_view(after);
        if let Some(o) = after_json.as_object_mut() {
            o.insert("detail".into(), event.detail.clone());
        }
        tx.audit(Change {
            action: &action,
            entity_type: "permit",
            entity_id: &after.id,
            enterprise_id: Some(&after.enterprise_id),
            region_code: None,
            before: Some(audit_view(before)),
            after: Some(after_json),
        })
        .await?;
        Ok(())
    }

    /// One permit, if visible in `scope`.
    pub async fn get_permit(&self, scope: &Scope, id: &str) -> Result<PermitRow> {
        let mut s = Sql::new(&format!("SELECT {COLS} FROM permits WHERE id = "));
        s.bind(id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        match s.query().fetch_optional(&self.pool).await? {
            Some(r) => decode(&r),
            None => Err(StoreError::NotFound { entity: "permit" }),
        }
    }

    /// The permit of an on-site QR token (no scope: the token is the key).
    pub async fn get_permit_by_token(&self, token: &str) -> Result<PermitRow> {
        let mut s = Sql::new(&format!("SELECT {COLS} FROM permits WHERE public_token = "));
        s.bind(token);
        match s.query().fetch_optional(&self.pool).await? {
            Some(r) => decode(&r),
            None => Err(StoreError::NotFound { entity: "permit" }),
        }
    }

    /// Permits in `scope`, newest planned start first.
    pub async fn list_permits(
        &self,
        scope: &Scope,
        f: &PermitFilter,
        paging: Paging,
    ) -> Result<Page<PermitRow>> {
        let mut w = Sql::new(" FROM permits WHERE 1 = 1");
        filter_enterprise(&mut w, scope, "enterprise_id");
        if let Some(e) = &f.enterprise_id {
            w.push(" AND enterprise_id = ").bind(e.clone());
        }
        if let Some(i) = &f.installation_id {
            w.push(" AND installation_id = ").bind(i.clone());
        }
        if let Some(k) = &f.kind {
            w.push(" AND kind = ").bind(k.clone());
        }
        if !f.states.is_empty() {
            w.push(" AND state IN (")
                .bind_list(f.states.iter().cloned())
                .push(")");
        }
        if let Some(from) = f.from_ms {
            w.push(" AND planned_end > ").bind(from);
        }
        if let Some(to) = f.to_ms {
            w.push(" AND planned_start < ").bind(to);
        }
        match f.reported {
            Some(true) => {
                w.push(" AND reported_at IS NOT NULL");
            }
            Some(false) => {
                w.push(" AND reported_at IS NULL");
            }
            None => {}
        }
        let total: i64 = w
            .with_prefix("SELECT COUNT(*)")
            .scalar()
            .fetch_one(&self.pool)
            .await?;
        let mut q = w.with_prefix(&format!("SELECT {COLS}"));
        q.push(" ORDER BY planned_start DESC, id LIMIT ")
            .bind(paging.limit)
            .push(" OFFSET ")
            .bind(paging.offset);
        let items = q
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode)
            .collect::<Result<_>>()?;
        Ok(Page { items, total })
    }

    /// Every permit of the enterprise in one of `states` (for conflicts and the interlock).
    pub async fn permits_in_states(
        &self,
        enterprise_id: Option<&str>,
        states: &[&str],
    ) -> Result<Vec<PermitRow>> {
        let mut s = Sql::new(&format!("SELECT {COLS} FROM permits WHERE state IN ("));
        s.bind_list(states.iter().map(|x| x.to_string())).push(")");
        if let Some(e) = enterprise_id {
            s.push(" AND enterprise_id = ").bind(e);
        }
        s.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode)
            .collect()
    }

    /// The steps of a permit, in order (the caller has checked its scope).
    pub async fn permit_events(&self, permit_id: &str) -> Result<Vec<PermitEvent>> {
        let mut s = Sql::new(
            "SELECT permit_id, n, at, action, actor, from_state, to_state, detail_json FROM permit_events WHERE permit_id = ",
        );
        s.bind(permit_id).push(" ORDER BY n");
        s.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode_event)
            .collect()
    }

    /// The next event number of a permit.
    pub async fn next_permit_event_n(&self, tx: &mut WriteTx, permit_id: &str) -> Result<i64> {
        let mut s = Sql::new("SELECT MAX(n) FROM permit_events WHERE permit_id = ");
        s.bind(permit_id);
        let n: Option<i64> = s.scalar().fetch_one(&mut *tx.tx).await?;
        Ok(n.unwrap_or(0) + 1)
    }
}

async fn insert_event(tx: &mut WriteTx, e: &PermitEvent) -> Result<()> {
    Sql::insert(
        "permit_events",
        "permit_id, n, at, action, actor, from_state, to_state, detail_json",
        vec![
            e.permit_id.clone().into(),
            e.n.into(),
            e.at.into(),
            e.action.clone().into(),
            e.actor.clone().into(),
            e.from_state.clone().into(),
            e.to_state.clone().into(),
            e.detail.to_string().into(),
        ],
    )
    .query()
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}
