//! 双重预防 — storage of the dual prevention mechanism: the risk register
//! (objects → units → events → control measures), inspection tasks and their
//! records, hidden dangers with their history, and attachment metadata.
//!
//! The rules live in `weihua-prevention` (pure); this module keeps what they
//! decided. Every row holds its whole JSON document plus the columns that are
//! searched on; every change is audited in the caller's transaction; hidden
//! dangers are updated optimistically (`version`), like permits.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;
use weihua_core::Scope;

use crate::audit::Change;
use crate::scope::filter_enterprise;
use crate::{Page, Paging, Result, Sql, Store, StoreError, WriteTx};

/// 风险分析对象 / 单元 / 事件 / 管控措施 — one node of the risk register.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskNode {
    pub id: String,
    pub enterprise_id: String,
    /// `object`, `unit`, `event` or `measure`.
    pub kind: String,
    /// The node above (none for an object).
    pub parent_id: Option<String>,
    /// 风险分析对象编码 (`HAZARD_CODE`), objects only.
    pub code: Option<String>,
    pub installation_id: Option<String>,
    pub name: String,
    /// `RISK_CLASS` 1 重大 … 4 低, units only.
    pub risk_class: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub doc: Value,
    pub created_at: i64,
    pub updated_at: i64,
}

/// 隐患排查任务.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionTask {
    pub id: String,
    pub enterprise_id: String,
    pub measure_id: String,
    pub active: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub doc: Value,
    pub created_at: i64,
    pub updated_at: i64,
}

/// 隐患排查记录 — the result of one task window.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionRecord {
    pub id: String,
    pub enterprise_id: String,
    pub task_id: String,
    pub window_start: i64,
    pub window_end: i64,
    /// `CHECK_STATUS` 0 正常, 1 存在隐患, 2 未排查, 3 其他.
    pub check_status: i64,
    pub check_time: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub doc: Value,
    pub created_at: i64,
}

/// 隐患 — a hidden danger.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HiddenDanger {
    pub id: String,
    pub enterprise_id: String,
    pub name: String,
    /// `DANGER_LEVEL` 0 一般, 1 重大 (none until graded).
    pub danger_level: Option<i64>,
    pub state: String,
    pub deadline: Option<i64>,
    /// 挂牌督办 — under a regulator's supervision.
    pub supervised: bool,
    pub registered_at: i64,
    pub closed_at: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub doc: Value,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One step of a hidden danger.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DangerEvent {
    pub danger_id: String,
    pub n: i64,
    pub at: i64,
    pub action: String,
    pub actor: String,
    pub from_state: String,
    pub to_state: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: Value,
}

/// 附件 — a file attached to a record or a danger (the bytes are stored by content hash).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: String,
    pub enterprise_id: String,
    pub owner_type: String,
    pub owner_id: String,
    pub name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub created_by: String,
    pub created_at: i64,
}

/// What to list of hidden dangers.
#[derive(Debug, Clone, Default)]
pub struct DangerFilter {
    pub enterprise_id: Option<String>,
    pub states: Vec<String>,
    pub supervised: Option<bool>,
    pub level: Option<i64>,
    /// Only open ones whose deadline is before this instant.
    pub overdue_at: Option<i64>,
}

fn json_of(r: &AnyRow, col: &str) -> Result<Value> {
    let s: String = r.try_get(col)?;
    serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

fn decode_object(r: &AnyRow) -> Result<RiskNode> {
    Ok(RiskNode {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        kind: "object".into(),
        parent_id: None,
        code: Some(r.try_get("code")?),
        installation_id: r.try_get("installation_id")?,
        name: r.try_get("name")?,
        risk_class: None,
        doc: json_of(r, "doc_json")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn decode_item(r: &AnyRow) -> Result<RiskNode> {
    Ok(RiskNode {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        kind: r.try_get("item_kind")?,
        parent_id: Some(r.try_get("parent_id")?),
        code: None,
        installation_id: None,
        name: r.try_get("name")?,
        risk_class: r.try_get("risk_class")?,
        doc: json_of(r, "doc_json")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn decode_task(r: &AnyRow) -> Result<InspectionTask> {
    let active: i64 = r.try_get("active")?;
    Ok(InspectionTask {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        measure_id: r.try_get("measure_id")?,
        active: active != 0,
        doc: json_of(r, "doc_json")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn decode_record(r: &AnyRow) -> Result<InspectionRecord> {
    Ok(InspectionRecord {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        task_id: r.try_get("task_id")?,
        window_start: r.try_get("window_start")?,
        window_end: r.try_get("window_end")?,
        check_status: r.try_get("check_status")?,
        check_time: r.try_get("check_time")?,
        doc: json_of(r, "doc_json")?,
        created_at: r.try_get("created_at")?,
    })
}

fn decode_danger(r: &AnyRow) -> Result<HiddenDanger> {
    let supervised: i64 = r.try_get("supervised")?;
    Ok(HiddenDanger {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        name: r.try_get("name")?,
        danger_level: r.try_get("danger_level")?,
        state: r.try_get("state")?,
        deadline: r.try_get("deadline")?,
        supervised: supervised != 0,
        registered_at: r.try_get("registered_at")?,
        closed_at: r.try_get("closed_at")?,
        doc: json_of(r, "doc_json")?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const OBJECT_COLS: &str =
    "id, enterprise_id, installation_id, code, name, doc_json, created_at, updated_at";
const ITEM_COLS: &str =
    "id, enterprise_id, item_kind, parent_id, name, risk_class, doc_json, created_at, updated_at";
const TASK_COLS: &str = "id, enterprise_id, measure_id, active, doc_json, created_at, updated_at";
const RECORD_COLS: &str = "id, enterprise_id, task_id, window_start, window_end, check_status, check_time, doc_json, created_at";
const DANGER_COLS: &str = "id, enterprise_id, name, danger_level, state, deadline, supervised, registered_at, closed_at, doc_json, version, created_at, updated_at";

fn compact(n: &RiskNode) -> Value {
    serde_json::json!({"kind": n.kind, "name": n.name, "parent_id": n.parent_id, "code": n.code, "risk_class": n.risk_class})
}

impl Store {
    /// Add a node to the register: an object (with `code`) or a unit, event or
    /// measure under a parent of the same enterprise. Audited.
    pub async fn insert_risk_node(&self, tx: &mut WriteTx, n: &RiskNode) -> Result<()> {
        if n.kind == "object" {
            let code = n.code.clone().unwrap_or_default();
            let mut q = Sql::new("SELECT id FROM risk_objects WHERE enterprise_id = ");
            q.bind(&n.enterprise_id).push(" AND code = ").bind(&code);
            let dup: Option<String> = q.scalar().fetch_optional(&mut *tx.tx).await?;
            if dup.is_some() {
                return Err(StoreError::Conflict {
                    field: "code".into(),
                    zh: format!("风险分析对象编码 {code} 已存在"),
                    en: format!("risk analysis object code {code} already exists"),
                });
            }
            Sql::insert(
                "risk_objects",
                OBJECT_COLS,
                vec![
                    n.id.clone().into(),
                    n.enterprise_id.clone().into(),
                    n.installation_id.clone().into(),
                    code.into(),
                    n.name.clone().into(),
                    n.doc.to_string().into(),
                    n.created_at.into(),
                    n.updated_at.into(),
                ],
            )
            .query()
            .execute(&mut *tx.tx)
            .await?;
        } else {
            Sql::insert(
                "risk_items",
                ITEM_COLS,
                vec![
                    n.id.clone().into(),
                    n.enterprise_id.clone().into(),
                    n.kind.clone().into(),
                    n.parent_id.clone().unwrap_or_default().into(),
                    n.name.clone().into(),
                    n.risk_class.into(),
                    n.doc.to_string().into(),
                    n.created_at.into(),
                    n.updated_at.into(),
                ],
            )
            .query()
            .execute(&mut *tx.tx)
            .await?;
        }
        let action = format!("risk_{}.create", n.kind);
        tx.audit(Change {
            action: &action,
            entity_type: "risk_register",
            entity_id: &n.id,
            enterprise_id: Some(&n.enterprise_id),
            region_code: None,
            before: None,
            after: Some(compact(n)),
        })
        .await?;
        Ok(())
    }

    /// One node of the register, if visible in `scope`.
    pub async fn get_risk_node(&self, scope: &Scope, id: &str) -> Result<RiskNode> {
        let mut s = Sql::new(&format!(
            "SELECT {OBJECT_COLS} FROM risk_objects WHERE id = "
        ));
        s.bind(id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        if let Some(r) = s.query().fetch_optional(&self.pool).await? {
            return decode_object(&r);
        }
        let mut s = Sql::new(&format!("SELECT {ITEM_COLS} FROM risk_items WHERE id = "));
        s.bind(id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        match s.query().fetch_optional(&self.pool).await? {
            Some(r) => decode_item(&r),
            None => Err(StoreError::NotFound {
                entity: "risk node",
            }),
        }
    }

    /// The whole register of the enterprises visible in `scope` (objects first).
    pub async fn list_risk_nodes(
        &self,
        scope: &Scope,
        enterprise_id: Option<&str>,
    ) -> Result<Vec<RiskNode>> {
        let mut s = Sql::new(&format!(
            "SELECT {OBJECT_COLS} FROM risk_objects WHERE 1 = 1"
        ));
        filter_enterprise(&mut s, scope, "enterprise_id");
        if let Some(e) = enterprise_id {
            s.push(" AND enterprise_id = ").bind(e);
        }
        s.push(" ORDER BY code");
        let mut out: Vec<RiskNode> = s
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode_object)
            .collect::<Result<_>>()?;
        let mut s = Sql::new(&format!("SELECT {ITEM_COLS} FROM risk_items WHERE 1 = 1"));
        filter_enterprise(&mut s, scope, "enterprise_id");
        if let Some(e) = enterprise_id {
            s.push(" AND enterprise_id = ").bind(e);
        }
        s.push(" ORDER BY created_at, id");
        for r in s.query().fetch_all(&self.pool).await? {
            out.push(decode_item(&r)?);
        }
        Ok(out)
    }

    /// Replace a unit's, event's or measure's document (and class), audited.
    pub async fn update_risk_item(
        &self,
        tx: &mut WriteTx,
        before: &RiskNode,
        after: &RiskNode,
    ) -> Result<()> {
        let mut q = Sql::new("UPDATE risk_items SET name = ");
        q.bind(&after.name)
            .push(", risk_class = ")
            .bind(after.risk_class)
            .push(", doc_json = ")
            .bind(after.doc.to_string())
            .push(", updated_at = ")
            .bind(after.updated_at)
            .push(" WHERE id = ")
            .bind(&before.id);
        q.query().execute(&mut *tx.tx).await?;
        let action = format!("risk_{}.update", after.kind);
        tx.audit(Change {
            action: &action,
            entity_type: "risk_register",
            entity_id: &after.id,
            enterprise_id: Some(&after.enterprise_id),
            region_code: None,
            before: Some(before.doc.clone()),
            after: Some(after.doc.clone()),
        })
        .await?;
        Ok(())
    }

    /// Add an inspection task (audited).
    pub async fn insert_task(&self, tx: &mut WriteTx, t: &InspectionTask) -> Result<()> {
        Sql::insert(
            "inspection_tasks",
            TASK_COLS,
            vec![
                t.id.clone().into(),
                t.enterprise_id.clone().into(),
                t.measure_id.clone().into(),
                i64::from(t.active).into(),
                t.doc.to_string().into(),
                t.created_at.into(),
                t.updated_at.into(),
            ],
        )
        .query()
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(Change {
            action: "inspection_task.create",
            entity_type: "inspection_task",
            entity_id: &t.id,
            enterprise_id: Some(&t.enterprise_id),
            region_code: None,
            before: None,
            after: Some(t.doc.clone()),
        })
        .await?;
        Ok(())
    }

    pub async fn get_task(&self, scope: &Scope, id: &str) -> Result<InspectionTask> {
        let mut s = Sql::new(&format!(
            "SELECT {TASK_COLS} FROM inspection_tasks WHERE id = "
        ));
        s.bind(id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        match s.query().fetch_optional(&self.pool).await? {
            Some(r) => decode_task(&r),
            None => Err(StoreError::NotFound {
                entity: "inspection task",
            }),
        }
    }

    /// Tasks visible in `scope` (active only unless `all`).
    pub async fn list_tasks(
        &self,
        scope: &Scope,
        enterprise_id: Option<&str>,
        all: bool,
    ) -> Result<Vec<InspectionTask>> {
        let mut s = Sql::new(&format!(
            "SELECT {TASK_COLS} FROM inspection_tasks WHERE 1 = 1"
        ));
        filter_enterprise(&mut s, scope, "enterprise_id");
        if let Some(e) = enterprise_id {
            s.push(" AND enterprise_id = ").bind(e);
        }
        if !all {
            s.push(" AND active = 1");
        }
        s.push(" ORDER BY created_at, id");
        s.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode_task)
            .collect()
    }

    /// Record one check of a task window (a window may need several). Audited.
    pub async fn insert_record(&self, tx: &mut WriteTx, r: &InspectionRecord) -> Result<()> {
        Sql::insert(
            "inspection_records",
            RECORD_COLS,
            vec![
                r.id.clone().into(),
                r.enterprise_id.clone().into(),
                r.task_id.clone().into(),
                r.window_start.into(),
                r.window_end.into(),
                r.check_status.into(),
                r.check_time.into(),
                r.doc.to_string().into(),
                r.created_at.into(),
            ],
        )
        .query()
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(Change {
            action: "inspection_record.create",
            entity_type: "inspection_record",
            entity_id: &r.id,
            enterprise_id: Some(&r.enterprise_id),
            region_code: None,
            before: None,
            after: Some(serde_json::json!({"task_id": r.task_id, "window_start": r.window_start, "check_status": r.check_status})),
        })
        .await?;
        Ok(())
    }

    /// Records of windows starting in [from, to), visible in `scope`.
    pub async fn list_records(
        &self,
        scope: &Scope,
        task_id: Option<&str>,
        from: i64,
        to: i64,
    ) -> Result<Vec<InspectionRecord>> {
        let mut s = Sql::new(&format!(
            "SELECT {RECORD_COLS} FROM inspection_records WHERE window_start >= "
        ));
        s.bind(from).push(" AND window_start < ").bind(to);
        filter_enterprise(&mut s, scope, "enterprise_id");
        if let Some(t) = task_id {
            s.push(" AND task_id = ").bind(t);
        }
        s.push(" ORDER BY window_start, id");
        s.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode_record)
            .collect()
    }

    /// Register a hidden danger with its first event. Audited.
    pub async fn insert_danger(
        &self,
        tx: &mut WriteTx,
        d: &HiddenDanger,
        event: &DangerEvent,
    ) -> Result<()> {
        Sql::insert(
            "hidden_dangers",
            DANGER_COLS,
            vec![
                d.id.clone().into(),
                d.enterprise_id.clone().into(),
                d.name.clone().into(),
                d.danger_level.into(),
                d.state.clone().into(),
                d.deadline.into(),
                i64::from(d.supervised).into(),
                d.registered_at.into(),
                d.closed_at.into(),
                d.doc.to_string().into(),
                d.version.into(),
                d.created_at.into(),
                d.updated_at.into(),
            ],
        )
        .query()
        .execute(&mut *tx.tx)
        .await?;
        insert_danger_event(tx, event).await?;
        tx.audit(Change {
            action: "hidden_danger.report",
            entity_type: "hidden_danger",
            entity_id: &d.id,
            enterprise_id: Some(&d.enterprise_id),
            region_code: None,
            before: None,
            after: Some(
                serde_json::json!({"name": d.name, "state": d.state, "level": d.danger_level}),
            ),
        })
        .await?;
        Ok(())
    }

    /// Replace a danger read at `before.version` (optimistic), add its event, audit.
    pub async fn update_danger(
        &self,
        tx: &mut WriteTx,
        before: &HiddenDanger,
        after: &HiddenDanger,
        event: &DangerEvent,
    ) -> Result<()> {
        let mut q = Sql::new("UPDATE hidden_dangers SET name = ");
        q.bind(&after.name)
            .push(", danger_level = ")
            .bind(after.danger_level)
            .push(", state = ")
            .bind(&after.state)
            .push(", deadline = ")
            .bind(after.deadline)
            .push(", supervised = ")
            .bind(i64::from(after.supervised))
            .push(", closed_at = ")
            .bind(after.closed_at)
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
        if q.query().execute(&mut *tx.tx).await?.rows_affected() != 1 {
            return Err(StoreError::Conflict {
                field: "version".into(),
                zh: "隐患已被他人修改，请刷新后重试".into(),
                en: "the hidden danger was changed by someone else; reload and try again".into(),
            });
        }
        insert_danger_event(tx, event).await?;
        let action = format!("hidden_danger.{}", event.action);
        tx.audit(Change {
            action: &action,
            entity_type: "hidden_danger",
            entity_id: &after.id,
            enterprise_id: Some(&after.enterprise_id),
            region_code: None,
            before: Some(serde_json::json!({"state": before.state, "level": before.danger_level, "deadline": before.deadline})),
            after: Some(serde_json::json!({"state": after.state, "level": after.danger_level, "deadline": after.deadline, "detail": event.detail})),
        })
        .await?;
        Ok(())
    }

    pub async fn get_danger(&self, scope: &Scope, id: &str) -> Result<HiddenDanger> {
        let mut s = Sql::new(&format!(
            "SELECT {DANGER_COLS} FROM hidden_dangers WHERE id = "
        ));
        s.bind(id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        match s.query().fetch_optional(&self.pool).await? {
            Some(r) => decode_danger(&r),
            None => Err(StoreError::NotFound {
                entity: "hidden danger",
            }),
        }
    }

    /// Hidden dangers visible in `scope`, newest first.
    pub async fn list_dangers(
        &self,
        scope: &Scope,
        f: &DangerFilter,
        paging: Paging,
    ) -> Result<Page<HiddenDanger>> {
        let mut w = Sql::new(" FROM hidden_dangers WHERE 1 = 1");
        filter_enterprise(&mut w, scope, "enterprise_id");
        if let Some(e) = &f.enterprise_id {
            w.push(" AND enterprise_id = ").bind(e.clone());
        }
        if !f.states.is_empty() {
            w.push(" AND state IN (")
                .bind_list(f.states.iter().cloned())
                .push(")");
        }
        if let Some(sv) = f.supervised {
            w.push(" AND supervised = ").bind(i64::from(sv));
        }
        if let Some(l) = f.level {
            w.push(" AND danger_level = ").bind(l);
        }
        if let Some(t) = f.overdue_at {
            w.push(" AND closed_at IS NULL AND deadline IS NOT NULL AND deadline < ")
                .bind(t);
        }
        let total: i64 = w
            .with_prefix("SELECT COUNT(*)")
            .scalar()
            .fetch_one(&self.pool)
            .await?;
        let mut q = w.with_prefix(&format!("SELECT {DANGER_COLS}"));
        q.push(" ORDER BY registered_at DESC, id LIMIT ")
            .bind(paging.limit)
            .push(" OFFSET ")
            .bind(paging.offset);
        let items = q
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode_danger)
            .collect::<Result<_>>()?;
        Ok(Page { items, total })
    }

    /// The steps of a danger, in order (the caller has checked its scope).
    pub async fn danger_events(&self, danger_id: &str) -> Result<Vec<DangerEvent>> {
        let mut s = Sql::new(
            "SELECT danger_id, n, at, action, actor, from_state, to_state, detail_json FROM danger_events WHERE danger_id = ",
        );
        s.bind(danger_id).push(" ORDER BY n");
        s.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(DangerEvent {
                    danger_id: r.try_get("danger_id")?,
                    n: r.try_get("n")?,
                    at: r.try_get("at")?,
                    action: r.try_get("action")?,
                    actor: r.try_get("actor")?,
                    from_state: r.try_get("from_state")?,
                    to_state: r.try_get("to_state")?,
                    detail: json_of(r, "detail_json")?,
                })
            })
            .collect()
    }

    /// The next event number of a danger.
    pub async fn next_danger_event_n(&self, tx: &mut WriteTx, danger_id: &str) -> Result<i64> {
        let mut s = Sql::new("SELECT MAX(n) FROM danger_events WHERE danger_id = ");
        s.bind(danger_id);
        let n: Option<i64> = s.scalar().fetch_one(&mut *tx.tx).await?;
        Ok(n.unwrap_or(0) + 1)
    }

    /// Record an attachment's metadata (its bytes are stored by the caller under its hash). Audited.
    pub async fn insert_attachment(&self, tx: &mut WriteTx, a: &Attachment) -> Result<()> {
        Sql::insert(
            "attachments",
            "id, enterprise_id, owner_type, owner_id, name, content_type, sha256, size, created_by, created_at",
            vec![
                a.id.clone().into(),
                a.enterprise_id.clone().into(),
                a.owner_type.clone().into(),
                a.owner_id.clone().into(),
                a.name.clone().into(),
                a.content_type.clone().into(),
                a.sha256.clone().into(),
                a.size.into(),
                a.created_by.clone().into(),
                a.created_at.into(),
            ],
        )
        .query()
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(Change {
            action: "attachment.create",
            entity_type: "attachment",
            entity_id: &a.id,
            enterprise_id: Some(&a.enterprise_id),
            region_code: None,
            before: None,
            after: Some(serde_json::json!({"owner_type": a.owner_type, "owner_id": a.owner_id, "name": a.name, "sha256": a.sha256, "size": a.size})),
        })
        .await?;
        Ok(())
    }

    /// Attachments of an owner visible in `scope`.
    pub async fn list_attachments(
        &self,
        scope: &Scope,
        owner_type: &str,
        owner_id: &str,
    ) -> Result<Vec<Attachment>> {
        let mut s = Sql::new(
            "SELECT id, enterprise_id, owner_type, owner_id, name, content_type, sha256, size, created_by, created_at FROM attachments WHERE owner_type = ",
        );
        s.bind(owner_type).push(" AND owner_id = ").bind(owner_id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        s.push(" ORDER BY created_at, id");
        s.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(Attachment {
                    id: r.try_get("id")?,
                    enterprise_id: r.try_get("enterprise_id")?,
                    owner_type: r.try_get("owner_type")?,
                    owner_id: r.try_get("owner_id")?,
                    name: r.try_get("name")?,
                    content_type: r.try_get("content_type")?,
                    sha256: r.try_get("sha256")?,
                    size: r.try_get("size")?,
                    created_by: r.try_get("created_by")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}

async fn insert_danger_event(tx: &mut WriteTx, e: &DangerEvent) -> Result<()> {
    Sql::insert(
        "danger_events",
        "danger_id, n, at, action, actor, from_state, to_state, detail_json",
        vec![
            e.danger_id.clone().into(),
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
