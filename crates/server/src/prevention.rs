//! 双重预防 — the dual prevention mechanism over HTTP: the hidden-danger
//! closed loop (report → grade → plan → rectify → accept, or return;
//! supervision by the regulator), judged by `weihua_prevention::danger`.
//!
//! Who: enterprise staff run their own dangers; a park office or regulator
//! may report one for an enterprise in its scope (an inspection finding), and
//! a regulator supervises (督办) and signs off supervised closings. Every step
//! is stored with its event and audit entry in one transaction; a refused
//! step answers 422 with the engine's reason in Chinese and English.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use weihua_core::{Role, Scope};
use weihua_prevention::danger::{
    self as d, ActorRole, DangerAction, EscalationConfig, HiddenDanger as Danger, NewDanger,
};
use weihua_store::prevention::{DangerEvent, DangerFilter, HiddenDanger as DangerRow};
use weihua_store::{Paging, new_id, now_ms};

use crate::AppState;
use crate::api::reader;
use crate::auth::{Auth, Principal};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, decode_json};

fn actor_of(p: &Principal) -> d::Actor {
    let id = p.actor().username;
    match p.role() {
        Role::ParkAdmin => d::Actor::park(id),
        r if r.is_regulator() => d::Actor::regulator(id),
        _ => d::Actor::enterprise(id),
    }
}

fn may_act(p: &Principal) -> ApiResult<()> {
    if matches!(p.role(), Role::Gateway) {
        return Err(ApiError::forbidden(
            "接入令牌不能处理隐患",
            "gateway tokens cannot handle hidden dangers",
        ));
    }
    Ok(())
}

fn status_str(s: d::DangerStatus) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn doc_of(row: &DangerRow) -> ApiResult<Danger> {
    serde_json::from_value(row.doc.clone()).map_err(|e| {
        tracing::error!(danger = %row.id, error = %e, "stored hidden danger does not decode");
        ApiError::internal()
    })
}

fn refused(r: &d::Refusal) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "danger_refused",
        r.zh.clone(),
        r.en.clone(),
    )
    .with_details(json!({ "refusal": r }))
}

/// The searchable columns of a danger, from the engine's document.
fn row_from(base: &DangerRow, danger: &Danger, now: i64, version: i64) -> ApiResult<DangerRow> {
    let open = danger.status.is_open();
    Ok(DangerRow {
        name: danger.name.clone(),
        danger_level: danger.level().map(|l| i64::from(l.code())),
        state: status_str(danger.status),
        deadline: danger.deadline_ms(),
        supervised: danger
            .supervision
            .as_ref()
            .is_some_and(|s| s.closed_at_ms.is_none()),
        closed_at: if open {
            None
        } else {
            base.closed_at.or(Some(now))
        },
        doc: serde_json::to_value(danger).map_err(|_| ApiError::internal())?,
        version,
        updated_at: now,
        ..base.clone()
    })
}

/// The stored row of a danger just reported (version 1).
fn registered(
    id: String,
    enterprise_id: String,
    danger: &Danger,
    now: i64,
) -> ApiResult<DangerRow> {
    let base = DangerRow {
        id,
        enterprise_id,
        name: danger.name.clone(),
        danger_level: None,
        state: String::new(),
        deadline: None,
        supervised: false,
        registered_at: now,
        closed_at: None,
        doc: Value::Null,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    row_from(&base, danger, now, 1)
}

/// 隐患详情.
#[derive(Debug, Serialize, ToSchema)]
pub struct DangerView {
    #[serde(flatten)]
    pub row: DangerRow,
    pub state_zh: String,
    pub state_en: String,
    /// `DANGER_STATE` of the provincial interface (0 整改中, 1 待验收, 9 已验收).
    pub danger_state: Option<i64>,
    /// 逾期 — how late, and who is told (escalation), when past the deadline.
    #[schema(value_type = Object)]
    pub overdue: Option<Value>,
    pub events: Vec<DangerEvent>,
    /// What the caller may do next: every step of the loop judged by the
    /// engine for this user (`{action, allowed, refusal?}`; steps that need
    /// data are judged with typical data, so a refusal here is about the
    /// state, the role or the person, not about what will be typed in).
    #[schema(value_type = Vec<Object>)]
    pub next: Vec<Value>,
}

/// Each step of the loop, with typical data, judged for `actor`.
fn next_steps(danger: &Danger, actor: &d::Actor, now: i64) -> Vec<Value> {
    let week = now + 7 * 86_400_000;
    let probes = [
        json!({"action": "grade", "level": "general", "manage_type": "by_deadline"}),
        json!({"action": "plan", "plan": {"owner": "-", "funds_yuan": 0.0, "measures": "-", "deadline_ms": week}}),
        json!({"action": "start_rectification"}),
        json!({"action": "fix_on_spot", "measures": "-"}),
        json!({"action": "submit_for_acceptance"}),
        json!({"action": "accept", "comment": "-"}),
        json!({"action": "return", "comment": "-"}),
        json!({"action": "withdraw", "reason": "-"}),
        json!({"action": "mark_invalid", "reason": "-", "duplicate_of": null}),
        json!({"action": "report_to_regulator", "authority": "-", "reference": null}),
        json!({"action": "supervise", "notice_number": "-", "deadline_ms": week, "authority": "-"}),
        json!({"action": "supervision_close", "comment": "-"}),
    ];
    probes
        .into_iter()
        .filter_map(|p| {
            let name = p["action"].clone();
            let action: DangerAction = serde_json::from_value(p).ok()?;
            Some(
                match d::apply(danger, actor, &action, now.max(danger.updated_at_ms)) {
                    Ok(_) => json!({"action": name, "allowed": true}),
                    Err(r) => json!({"action": name, "allowed": false, "refusal": r}),
                },
            )
        })
        .collect()
}

async fn view(s: &AppState, row: DangerRow, p: &Principal) -> ApiResult<DangerView> {
    let danger = doc_of(&row)?;
    let next = next_steps(&danger, &actor_of(p), now_ms());
    let overdue = d::overdue(&danger, now_ms(), &EscalationConfig::default())
        .and_then(|o| serde_json::to_value(o).ok());
    let events = s.store.danger_events(&row.id).await?;
    Ok(DangerView {
        state_zh: danger.status.label_zh().into(),
        state_en: danger.status.label_en().into(),
        danger_state: danger.danger_state().map(|x| i64::from(x.code())),
        overdue,
        events,
        next,
        row,
    })
}

/// 登记隐患.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportDanger {
    /// The enterprise (needed when the caller sees several).
    #[serde(default)]
    pub enterprise_id: Option<String>,
    /// `name`, `description`, `source` (DANGER_SRC code name), `danger_type`,
    /// `risk_measure_id`, `record_id` — see docs/dual-prevention.md.
    #[schema(value_type = Object)]
    pub danger: Value,
}

/// 登记隐患 — report a hidden danger (by the enterprise, or by a park office
/// or regulator for an enterprise in its scope).
#[utoipa::path(post, path = "/api/v1/hidden-dangers", tag = "prevention", request_body = ReportDanger, responses((status = 201, body = DangerView), (status = 404), (status = 422)))]
pub async fn report_danger(
    State(s): State<AppState>,
    Auth(p): Auth,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<DangerView>)> {
    may_act(&p)?;
    let req: ReportDanger = decode_json(&body)?;
    let scope = p.scope();
    let enterprise_id = match (&scope, req.enterprise_id) {
        (Scope::Enterprise(own), None) => own.clone(),
        (_, Some(e)) => s.store.get_enterprise(&scope, &e).await?.id,
        (_, None) => {
            return Err(ApiError::invalid(
                "enterprise_id",
                "请指定企业（enterprise_id）",
                "give the enterprise (enterprise_id)",
            ));
        }
    };
    let mut doc = req.danger;
    let Some(obj) = doc.as_object_mut() else {
        return Err(ApiError::invalid(
            "danger",
            "danger 应为 JSON 对象",
            "danger must be a JSON object",
        ));
    };
    let id = new_id();
    obj.insert("id".into(), Value::String(id.clone()));
    let bytes = serde_json::to_vec(&doc).map_err(|_| ApiError::internal())?;
    let new: NewDanger = decode_json(&bytes)?;
    let now = now_ms();
    let danger = Danger::report(new, &actor_of(&p), now).map_err(|r| refused(&r))?;
    let row = registered(id.clone(), enterprise_id, &danger, now)?;
    let event = DangerEvent {
        danger_id: id,
        n: 1,
        at: now,
        action: "report".into(),
        actor: p.actor().username,
        from_state: row.state.clone(),
        to_state: row.state.clone(),
        detail: json!({ "source": danger.source, "danger_type": danger.danger_type }),
    };
    let mut tx = s.store.write(&p.actor()).await?;
    s.store.insert_danger(&mut tx, &row, &event).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view(&s, row, &p).await?)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DangerQuery {
    pub enterprise_id: Option<String>,
    /// Comma-separated states (`reported`, `graded`, `planned`, `rectifying`,
    /// `pending_acceptance`, `accepted`, `withdrawn`, `invalid`).
    pub state: Option<String>,
    /// Only supervised (督办) ones.
    pub supervised: Option<bool>,
    /// `DANGER_LEVEL`: 0 一般, 1 重大.
    pub level: Option<i64>,
    /// Only open ones past their deadline.
    pub overdue: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// 隐患列表 — newest first, in the caller's scope (a county sees every
/// enterprise of its region).
#[utoipa::path(get, path = "/api/v1/hidden-dangers", tag = "prevention", params(DangerQuery), responses((status = 200, body = [DangerRow])))]
pub async fn list_dangers(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<DangerQuery>,
) -> ApiResult<Response> {
    let scope = reader(&p)?;
    let f = DangerFilter {
        enterprise_id: q.enterprise_id,
        states: q
            .state
            .map(|st| {
                st.split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        supervised: q.supervised,
        level: q.level,
        overdue_at: q.overdue.filter(|o| *o).map(|_| now_ms()),
    };
    let paging = Paging {
        limit: q.limit.unwrap_or(100).clamp(1, 1000),
        offset: q.offset.unwrap_or(0).max(0),
    };
    let page = s.store.list_dangers(&scope, &f, paging).await?;
    // Each row with its overdue state and escalation (as the detail view has it).
    let now = now_ms();
    let config = EscalationConfig::default();
    let mut items = Vec::with_capacity(page.items.len());
    for row in page.items {
        let overdue = doc_of(&row)
            .ok()
            .and_then(|d| d::overdue(&d, now, &config))
            .and_then(|o| serde_json::to_value(o).ok());
        let mut v = serde_json::to_value(&row).map_err(|_| ApiError::internal())?;
        v["overdue"] = overdue.unwrap_or(Value::Null);
        items.push(v);
    }
    Ok(([("X-Total-Count", page.total.to_string())], Json(items)).into_response())
}

/// 隐患详情.
#[utoipa::path(get, path = "/api/v1/hidden-dangers/{id}", tag = "prevention", params(("id" = String, Path)), responses((status = 200, body = DangerView), (status = 404)))]
pub async fn get_danger(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<DangerView>> {
    let row = s.store.get_danger(&reader(&p)?, &id).await?;
    Ok(Json(view(&s, row, &p).await?))
}

/// 隐患处置 — one step of the loop: `{"action": "grade", "level": "major",
/// "manage_type": "by_deadline"}`, `{"action": "plan", "plan": {owner,
/// funds_yuan, measures, deadline_ms}}`, `start_rectification`,
/// `fix_on_spot`, `submit_for_acceptance`, `accept`, `return`, `withdraw`,
/// `mark_invalid`, `report_to_regulator`, `supervise` (regulators),
/// `supervision_close` (regulators). A refused step is 422 with the reason.
#[utoipa::path(post, path = "/api/v1/hidden-dangers/{id}/actions", tag = "prevention", params(("id" = String, Path)), request_body = Object, responses((status = 200, body = DangerView), (status = 404), (status = 409), (status = 422)))]
pub async fn danger_action(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<DangerView>> {
    may_act(&p)?;
    let action: DangerAction = decode_json(&body)?;
    let row = s.store.get_danger(&p.scope(), &id).await?;
    let before = doc_of(&row)?;
    let actor = actor_of(&p);
    if actor.role != ActorRole::Regulator
        && matches!(
            action,
            DangerAction::Supervise { .. } | DangerAction::SupervisionClose { .. }
        )
    {
        return Err(ApiError::forbidden(
            "挂牌督办和督办销号只能由监管部门执行",
            "only a regulator supervises a hidden danger or signs off its closing",
        ));
    }
    let now = now_ms().max(before.updated_at_ms);
    let after = d::apply(&before, &actor, &action, now).map_err(|r| refused(&r))?;
    let new_row = row_from(&row, &after, now, row.version + 1)?;
    let mut tx = s.store.write(&p.actor()).await?;
    let n = s.store.next_danger_event_n(&mut tx, &row.id).await?;
    let event = DangerEvent {
        danger_id: row.id.clone(),
        n,
        at: now,
        action: serde_json::to_value(action.kind())
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        actor: p.actor().username,
        from_state: row.state.clone(),
        to_state: new_row.state.clone(),
        detail: serde_json::to_value(&action).unwrap_or(Value::Null),
    };
    s.store
        .update_danger(&mut tx, &row, &new_row, &event)
        .await?;
    tx.commit().await?;
    Ok(Json(view(&s, new_row, &p).await?))
}

// ------------------------------------------------------------------ register

use weihua_core::Action as Can;
use weihua_prevention::codes::{CheckStatus, Classify1, DangerSrc, DataSrc, HazardDangerType};
use weihua_prevention::risk::{RiskConfig, assess_lec, assess_matrix};
use weihua_prevention::schedule::{
    self as sch, Cycle, DueWindow, ScheduleConfig, TaskSchedule, WindowStatus,
};
use weihua_store::prevention::{InspectionRecord as RecordRow, InspectionTask, RiskNode};

/// 风险评价 — how a risk analysis unit was assessed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum AssessmentInput {
    /// 风险矩阵 L × S (1–5 each).
    Matrix { likelihood: u8, severity: u8 },
    /// LEC: D = L × E × C from the classic value sets.
    Lec { l: f64, e: f64, c: f64 },
}

/// 排查任务 of a control measure.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    /// `CHECK_CYCLE` + `CHECK_CYCLE_UNIT`, e.g. `{"value": 2, "unit": "hour"}`.
    pub cycle: Cycle,
    /// Checks needed per window (e.g. 2 a day). Default 1.
    #[serde(default)]
    pub required_count: Option<u32>,
    /// 岗位 and 责任人 who do it.
    #[serde(default)]
    pub post: Option<String>,
    #[serde(default)]
    pub assignee: Option<String>,
}

/// A new node of the risk register.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRiskNode {
    /// `object`, `unit`, `event` or `measure`.
    pub kind: String,
    /// The node above (unit → object, event → unit, measure → event).
    #[serde(default)]
    pub parent_id: Option<String>,
    /// Objects: the enterprise (when the caller sees several), `HAZARD_CODE`,
    /// and the installation it is.
    #[serde(default)]
    pub enterprise_id: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub installation_id: Option<String>,
    pub name: String,
    /// Units: 责任部门 / 责任人 and the assessment.
    #[serde(default)]
    pub responsible_department: Option<String>,
    #[serde(default)]
    pub responsible_person: Option<String>,
    #[serde(default)]
    pub assessment: Option<AssessmentInput>,
    /// Measures: `DATA_SRC`, `CLASSIFY1/2/3`, description, `TROUBLESHOOT_CONTENT`,
    /// monitored point tags (automated monitoring) and the inspection task.
    #[serde(default)]
    pub data_src: Option<DataSrc>,
    #[serde(default)]
    pub classify1: Option<Classify1>,
    #[serde(default)]
    pub classify2: Option<String>,
    #[serde(default)]
    pub classify3: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub troubleshoot_content: Option<String>,
    #[serde(default)]
    pub point_tags: Vec<String>,
    #[serde(default)]
    pub task: Option<TaskInput>,
}

const PARENT_OF: [(&str, &str); 3] = [("unit", "object"), ("event", "unit"), ("measure", "event")];

/// 风险分级管控清单 — add a risk analysis object, unit (with its L × S or LEC
/// assessment → 红橙黄蓝 and control level), risk event, or control measure
/// (with its inspection task, created at once).
#[utoipa::path(post, path = "/api/v1/risk-register", tag = "prevention", request_body = Object, responses((status = 201, body = RiskNode), (status = 404), (status = 422)))]
pub async fn create_risk_node(
    State(s): State<AppState>,
    Auth(p): Auth,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    p.require(Can::EditLedger)?;
    let req: NewRiskNode = decode_json(&body)?;
    let scope = p.scope();
    let name = req.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::invalid(
            "name",
            "名称应为 1–200 个字符",
            "the name must have 1–200 characters",
        ));
    }
    let now = now_ms();
    let (enterprise_id, parent) = if req.kind == "object" {
        let installation = match &req.installation_id {
            Some(i) => Some(s.store.get_installation(&scope, i).await?),
            None => None,
        };
        let e = match (installation.as_ref(), &req.enterprise_id, &scope) {
            (Some(i), _, _) => i.enterprise_id.clone(),
            (None, Some(e), _) => s.store.get_enterprise(&scope, e).await?.id,
            (None, None, Scope::Enterprise(own)) => own.clone(),
            (None, None, _) => {
                return Err(ApiError::invalid(
                    "enterprise_id",
                    "请指定企业",
                    "give the enterprise",
                ));
            }
        };
        if req.code.as_deref().map(str::trim).is_none_or(str::is_empty) {
            return Err(ApiError::invalid(
                "code",
                "风险分析对象编码（HAZARD_CODE）必填",
                "the risk analysis object code (HAZARD_CODE) is required",
            ));
        }
        (e, None)
    } else {
        let Some(want) = PARENT_OF
            .iter()
            .find(|(k, _)| *k == req.kind)
            .map(|(_, p)| *p)
        else {
            return Err(ApiError::invalid(
                "kind",
                format!("未知类型“{}”（object/unit/event/measure）", req.kind),
                format!("unknown kind '{}' (object/unit/event/measure)", req.kind),
            ));
        };
        let Some(pid) = &req.parent_id else {
            return Err(ApiError::invalid(
                "parent_id",
                "请指定上级节点",
                "give the parent node",
            ));
        };
        let parent = s.store.get_risk_node(&scope, pid).await?;
        if parent.kind != want {
            return Err(ApiError::invalid(
                "parent_id",
                format!("{}的上级应为{}", req.kind, want),
                format!("the parent of a {} must be a {want}", req.kind),
            ));
        }
        (parent.enterprise_id.clone(), Some(parent))
    };
    let mut doc = json!({
        "responsible_department": req.responsible_department,
        "responsible_person": req.responsible_person,
    });
    let mut risk_class = None;
    if req.kind == "unit" {
        let config = RiskConfig::default();
        let a = match req.assessment.clone() {
            Some(AssessmentInput::Matrix {
                likelihood,
                severity,
            }) => assess_matrix(likelihood, severity, &config),
            Some(AssessmentInput::Lec { l, e, c }) => assess_lec(l, e, c, &config),
            None => {
                return Err(ApiError::invalid(
                    "assessment",
                    "风险分析单元需要风险评价（矩阵或 LEC）",
                    "a risk analysis unit needs its assessment (matrix or LEC)",
                ));
            }
        }
        .map_err(|e| ApiError::invalid("assessment", e.zh(), e.en()))?;
        risk_class = Some(i64::from(a.level.code()));
        doc["assessment_input"] = serde_json::to_value(&req.assessment).unwrap_or(Value::Null);
        doc["assessment"] = serde_json::to_value(&a).unwrap_or(Value::Null);
    }
    let mut task = None;
    if req.kind == "measure" {
        let Some(src) = req.data_src else {
            return Err(ApiError::invalid(
                "data_src",
                "请指定管控方式（DATA_SRC）",
                "give the control mode (DATA_SRC)",
            ));
        };
        if src == DataSrc::AutomatedMonitoring && req.point_tags.is_empty() {
            return Err(ApiError::invalid(
                "point_tags",
                "自动化监控措施应指定监测点位",
                "an automated-monitoring measure names its points",
            ));
        }
        for tag in &req.point_tags {
            let t = weihua_core::Tag::parse(tag)
                .map_err(|e| ApiError::invalid("point_tags", e.zh.clone(), e.en.clone()))?;
            let found = s
                .store
                .find_points_by_tag(
                    &Scope::Enterprise(enterprise_id.clone()),
                    &t,
                    Some(&enterprise_id),
                )
                .await?;
            if found.is_empty() {
                return Err(ApiError::invalid(
                    "point_tags",
                    format!("本企业没有位号“{tag}”"),
                    format!("this enterprise has no point '{tag}'"),
                ));
            }
        }
        doc["data_src"] = json!(src);
        doc["classify1"] = json!(req.classify1);
        doc["classify2"] = json!(req.classify2);
        doc["classify3"] = json!(req.classify3);
        doc["description"] = json!(req.description);
        doc["troubleshoot_content"] = json!(req.troubleshoot_content);
        doc["point_tags"] = json!(req.point_tags);
        if let Some(t) = &req.task {
            let schedule = TaskSchedule {
                required_count: t.required_count.unwrap_or(1),
                ..TaskSchedule::new(t.cycle, now)
            };
            // Checked now, so a bad cycle is refused at once, not at the first query.
            sch::due_windows(&schedule, now, now + 1, &ScheduleConfig::default())
                .map_err(|e| ApiError::invalid("task.cycle", e.zh(), e.en()))?;
            task = Some(json!({
                "schedule": schedule, "post": t.post, "assignee": t.assignee,
                "content": req.troubleshoot_content.clone().unwrap_or_else(|| name.clone()),
            }));
        }
    }
    let node = RiskNode {
        id: new_id(),
        enterprise_id: enterprise_id.clone(),
        kind: req.kind.clone(),
        parent_id: parent.map(|p| p.id),
        code: req.code.map(|c| c.trim().to_string()),
        installation_id: req.installation_id,
        name,
        risk_class,
        doc,
        created_at: now,
        updated_at: now,
    };
    let mut tx = s.store.write(&p.actor()).await?;
    s.store.insert_risk_node(&mut tx, &node).await?;
    let task_row = match task {
        Some(doc) => {
            let t = InspectionTask {
                id: new_id(),
                enterprise_id,
                measure_id: node.id.clone(),
                active: true,
                doc,
                created_at: now,
                updated_at: now,
            };
            s.store.insert_task(&mut tx, &t).await?;
            Some(t)
        }
        None => None,
    };
    tx.commit().await?;
    let mut out = serde_json::to_value(&node).map_err(|_| ApiError::internal())?;
    out["task"] = serde_json::to_value(&task_row).unwrap_or(Value::Null);
    Ok((StatusCode::CREATED, Json(out)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    pub enterprise_id: Option<String>,
}

/// 风险分级管控清单 — the register of the enterprises in scope, as a flat
/// list of nodes (objects, units, events, measures) with their parent ids.
#[utoipa::path(get, path = "/api/v1/risk-register", tag = "prevention", params(RegisterQuery), responses((status = 200, body = [RiskNode])))]
pub async fn list_risk_register(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<RegisterQuery>,
) -> ApiResult<Json<Vec<RiskNode>>> {
    let scope = reader(&p)?;
    Ok(Json(
        s.store
            .list_risk_nodes(&scope, q.enterprise_id.as_deref())
            .await?,
    ))
}

// ------------------------------------------------------------------ tasks

use crate::china_time::{DAY_MS, day_start as local_day_start};

fn schedule_of(t: &InspectionTask) -> ApiResult<TaskSchedule> {
    serde_json::from_value(t.doc["schedule"].clone()).map_err(|e| {
        tracing::error!(task = %t.id, error = %e, "stored task schedule does not decode");
        ApiError::internal()
    })
}

/// A task window with what was done in it.
#[derive(Debug, Serialize)]
struct WindowView {
    #[serde(flatten)]
    window: DueWindow,
    #[serde(flatten)]
    status: WindowStatus,
    /// `CHECK_STATUS` 2 未排查 once missed.
    check_status: Option<u8>,
}

fn windows_for(
    task: &InspectionTask,
    records: &[RecordRow],
    from: i64,
    to: i64,
    now: i64,
) -> ApiResult<Vec<WindowView>> {
    let schedule = schedule_of(task)?;
    let config = ScheduleConfig::default();
    let windows = sch::due_windows(&schedule, from, to, &config)
        .map_err(|e| ApiError::invalid("from", e.zh(), e.en()))?;
    let recs: Vec<sch::InspectionRecord> = records
        .iter()
        .filter(|r| r.task_id == task.id)
        .filter_map(|r| {
            Some(sch::InspectionRecord {
                check_time_ms: r.check_time?,
                check_status: CheckStatus::from_code(u8::try_from(r.check_status).ok()?)?,
            })
        })
        .collect();
    let statuses = sch::evaluate_windows(&windows, &recs, now);
    Ok(windows
        .into_iter()
        .zip(statuses)
        .map(|(window, status)| WindowView {
            check_status: status.check_status().map(|c| c.code()),
            window,
            status,
        })
        .collect())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    pub enterprise_id: Option<String>,
    /// Windows overlapping [from, to) (UTC epoch ms); default today (China time).
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// 排查任务 — the active tasks in scope with their due windows in the range
/// and what was done (done / pending / upcoming / missed = 未排查).
#[utoipa::path(get, path = "/api/v1/inspection-tasks", tag = "prevention", params(TaskQuery), responses((status = 200, body = [Object])))]
pub async fn list_tasks(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<TaskQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let scope = reader(&p)?;
    let now = now_ms();
    let from = q.from.unwrap_or_else(|| local_day_start(now));
    let to = q.to.unwrap_or(from.saturating_add(DAY_MS));
    if to <= from || to.saturating_sub(from) > 400 * DAY_MS {
        return Err(ApiError::invalid(
            "to",
            "时间范围应在 0–400 天之间",
            "the range must be 0–400 days",
        ));
    }
    let tasks = s
        .store
        .list_tasks(&scope, q.enterprise_id.as_deref(), false)
        .await?;
    let records = s
        .store
        .list_records(&scope, None, from.saturating_sub(366 * DAY_MS), to)
        .await?;
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        let windows = windows_for(&t, &records, from, to, now)?;
        let mut v = serde_json::to_value(&t).map_err(|_| ApiError::internal())?;
        v["windows"] = serde_json::to_value(windows).map_err(|_| ApiError::internal())?;
        out.push(v);
    }
    Ok(Json(out))
}

/// 排查结果.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRecord {
    /// When checked (UTC epoch ms); default now.
    #[serde(default)]
    pub check_time_ms: Option<i64>,
    /// `normal`, `danger_found`, `not_inspected`, `other`.
    pub check_status: CheckStatus,
    #[serde(default)]
    pub note: Option<String>,
    /// With `danger_found`: the danger (`name`, `description`, `danger_type`).
    #[serde(default)]
    pub danger: Option<RecordDanger>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordDanger {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub danger_type: HazardDangerType,
}

/// 排查记录 — record a check of a task (in the window containing its time);
/// "hidden danger found" registers the danger in the same transaction,
/// linked to the record and the control measure.
#[utoipa::path(post, path = "/api/v1/inspection-tasks/{id}/records", tag = "prevention", params(("id" = String, Path)), request_body = Object, responses((status = 201, body = Object), (status = 404), (status = 422)))]
pub async fn record_check(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    p.require(Can::Inspect)?;
    let req: NewRecord = decode_json(&body)?;
    let task = s.store.get_task(&p.scope(), &id).await?;
    let now = now_ms();
    let t = req.check_time_ms.unwrap_or(now);
    if t > now + 60_000 || t < now - 31 * DAY_MS {
        return Err(ApiError::invalid(
            "check_time_ms",
            "检查时间应在过去 31 天内，且不晚于现在",
            "the check time must be within the last 31 days and not in the future",
        ));
    }
    if req.check_status == CheckStatus::NotInspected {
        return Err(ApiError::invalid(
            "check_status",
            "“未排查”由系统在周期结束时判定，不能手工登记",
            "'not inspected' is set by the system when a window ends; it is not recorded by hand",
        ));
    }
    let schedule = schedule_of(&task)?;
    let window = sch::due_windows(&schedule, t, t + 1, &ScheduleConfig::default())
        .map_err(|e| ApiError::invalid("check_time_ms", e.zh(), e.en()))?
        .into_iter()
        .next()
        .ok_or_else(|| {
            ApiError::invalid(
                "check_time_ms",
                "该时间不在任务的排查周期内（任务停用或装置停车）",
                "that time is in no window of the task (inactive, or the unit was stopped)",
            )
        })?;
    let danger_input = match (req.check_status, req.danger) {
        (CheckStatus::DangerFound, Some(d)) => Some(d),
        (CheckStatus::DangerFound, None) => {
            return Err(ApiError::invalid(
                "danger",
                "发现隐患时请填写隐患",
                "describe the hidden danger found",
            ));
        }
        (_, Some(_)) => {
            return Err(ApiError::invalid(
                "danger",
                "只有“存在隐患”的记录才登记隐患",
                "a danger is registered only with check_status danger_found",
            ));
        }
        _ => None,
    };
    let record = RecordRow {
        id: new_id(),
        enterprise_id: task.enterprise_id.clone(),
        task_id: task.id.clone(),
        window_start: window.start_ms,
        window_end: window.end_ms,
        check_status: i64::from(req.check_status.code()),
        check_time: Some(t),
        doc: json!({"note": req.note, "checked_by": p.actor().username}),
        created_at: now,
    };
    let mut tx = s.store.write(&p.actor()).await?;
    s.store.insert_record(&mut tx, &record).await?;
    let mut danger_id = None;
    if let Some(d) = danger_input {
        let id = new_id();
        let new = NewDanger {
            id: id.clone(),
            name: d.name,
            description: d.description,
            source: DangerSrc::Routine,
            danger_type: d.danger_type,
            risk_measure_id: Some(task.measure_id.clone()),
            record_id: Some(record.id.clone()),
        };
        let danger = Danger::report(new, &actor_of(&p), now).map_err(|r| refused(&r))?;
        let row = registered(id.clone(), task.enterprise_id.clone(), &danger, now)?;
        let event = DangerEvent {
            danger_id: id.clone(),
            n: 1,
            at: now,
            action: "report".into(),
            actor: p.actor().username,
            from_state: row.state.clone(),
            to_state: row.state.clone(),
            detail: json!({"record_id": record.id, "task_id": task.id}),
        };
        s.store.insert_danger(&mut tx, &row, &event).await?;
        danger_id = Some(id);
    }
    tx.commit().await?;
    let mut out = serde_json::to_value(&record).map_err(|_| ApiError::internal())?;
    out["danger_id"] = json!(danger_id);
    Ok((StatusCode::CREATED, Json(out)))
}

// ------------------------------------------------------------------ stats

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// Inspection windows overlapping [from, to) (UTC epoch ms); default the last 30 days.
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// 双重预防统计 — per enterprise in scope and in total: inspection task
/// completion (done / due, 未排查), hidden dangers found / fixed / overdue by
/// level, type and source, rectification and on-time rates, major ones open.
#[utoipa::path(get, path = "/api/v1/prevention/stats", tag = "prevention", params(StatsQuery), responses((status = 200, body = Object)))]
pub async fn prevention_stats(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Json<Value>> {
    let scope = reader(&p)?;
    let (from, to) = stats_range(&q)?;
    Ok(Json(stats_json(&s, &scope, from, to).await?))
}

fn stats_range(q: &StatsQuery) -> ApiResult<(i64, i64)> {
    let to = q.to.unwrap_or_else(now_ms);
    let from = q.from.unwrap_or(to.saturating_sub(30 * DAY_MS));
    if to <= from || to.saturating_sub(from) > 400 * DAY_MS {
        return Err(ApiError::invalid(
            "to",
            "时间范围应在 0–400 天之间",
            "the range must be 0–400 days",
        ));
    }
    Ok((from, to))
}

async fn stats_json(s: &AppState, scope: &Scope, from: i64, to: i64) -> ApiResult<Value> {
    use weihua_prevention::stats::{DangerFacts, danger_stats, inspection_stats};
    let now = now_ms();
    let scope = scope.clone();
    let tasks = s.store.list_tasks(&scope, None, false).await?;
    let records = s
        .store
        .list_records(&scope, None, from.saturating_sub(366 * DAY_MS), to)
        .await?;
    let dangers = s
        .store
        .list_dangers(&scope, &DangerFilter::default(), Paging::all())
        .await?
        .items;
    let ents = s
        .store
        .list_enterprises(&scope, &Default::default(), Paging::all())
        .await?
        .items;
    let mut statuses: std::collections::BTreeMap<String, Vec<WindowStatus>> = Default::default();
    for t in &tasks {
        let w = windows_for(t, &records, from, to, now)?;
        statuses
            .entry(t.enterprise_id.clone())
            .or_default()
            .extend(w.into_iter().map(|v| v.status));
    }
    let mut facts: std::collections::BTreeMap<String, Vec<DangerFacts>> = Default::default();
    for d in &dangers {
        let doc = doc_of(d)?;
        facts
            .entry(d.enterprise_id.clone())
            .or_default()
            .push(DangerFacts::from(&doc));
    }
    let all_status: Vec<WindowStatus> = statuses.values().flatten().copied().collect();
    let all_facts: Vec<DangerFacts> = facts.values().flatten().cloned().collect();
    let per: Vec<Value> = ents
        .iter()
        .map(|e| {
            json!({
                "enterprise_id": e.id,
                "name": e.name,
                "park_id": e.park_id,
                "region_code": e.region_code,
                "inspection": inspection_stats(statuses.get(&e.id).into_iter().flatten()),
                "dangers": danger_stats(facts.get(&e.id).into_iter().flatten(), now),
            })
        })
        .collect();
    Ok(json!({
        "from": from,
        "to": to,
        "total": {
            "inspection": inspection_stats(all_status.iter()),
            "dangers": danger_stats(all_facts.iter(), now),
        },
        "enterprises": per,
    }))
}

/// 双重预防统计导出 — the same figures as an XLSX workbook (one row per
/// enterprise, then the total), headers in Chinese and English.
#[utoipa::path(get, path = "/api/v1/prevention/stats.xlsx", tag = "prevention", params(StatsQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn prevention_stats_xlsx(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Response> {
    use axum::http::{HeaderValue, header};
    let scope = reader(&p)?;
    let (from, to) = stats_range(&q)?;
    let v = stats_json(&s, &scope, from, to).await?;
    let bytes = stats_workbook(&v).map_err(|e| {
        tracing::error!(error = %e, "writing the statistics workbook");
        ApiError::internal()
    })?;
    let day = |ms: i64| crate::china_time::format(ms, "%Y%m%d");
    let name = format!("weihua-prevention-{}-{}.xlsx", day(from), day(to));
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

fn stats_workbook(v: &Value) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    let ws = wb.add_worksheet();
    ws.set_name("双重预防统计")?;
    let heads = [
        "企业 Enterprise",
        "应排查 Due",
        "已排查 Done",
        "未排查 Not inspected",
        "完成率 Completion",
        "隐患 Found",
        "已整改 Fixed",
        "逾期 Overdue",
        "重大未销号 Major open",
        "整改率 Rectification",
        "按期整改率 On time",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, if c == 0 { 32 } else { 14 })?;
    }
    let mut rows: Vec<(String, &Value)> = v["enterprises"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| (e["name"].as_str().unwrap_or("").to_string(), e))
                .collect()
        })
        .unwrap_or_default();
    rows.push(("合计 Total".into(), &v["total"]));
    for (r, (name, e)) in rows.iter().enumerate() {
        let r = (r + 1) as u32;
        let i = &e["inspection"];
        let d = &e["dangers"];
        ws.write_string(r, 0, name)?;
        for (c, x) in [
            (1u16, &i["due"]),
            (2, &i["done"]),
            (3, &i["not_inspected"]),
            (5, &d["total"]["found"]),
            (6, &d["total"]["fixed"]),
            (7, &d["total"]["overdue"]),
            (8, &d["major_open"]),
        ] {
            ws.write_number(r, c, x.as_f64().unwrap_or(0.0))?;
        }
        for (c, rate) in [
            (4u16, &i["completion_rate"]),
            (9, &d["rectification_rate"]),
            (10, &d["on_time_rate"]),
        ] {
            match rate["value"].as_f64() {
                Some(x) => ws.write_number_with_format(r, c, x, &pct)?,
                None => ws.write_string(r, c, "—")?,
            };
        }
    }
    wb.save_to_buffer()
}

// ------------------------------------------------------------------ monitoring link

use weihua_prevention::monitoring_link::{
    LinkConfig, MonitoredMeasure, PointAlarm, evaluate_measure,
};

/// 管控措施失效 — one pass over the automated-monitoring control measures:
/// when an alarm of one of their points has stayed unresolved past the grace
/// period (30 min, **assumed**), the measure is marked failed and a hidden
/// danger (`DANGER_SRC` 9) is registered for review, once per failure (not
/// again while one for the measure is open). A measure whose alarms are all
/// resolved is marked working again. Returns the dangers proposed.
pub async fn monitoring_link_pass(s: &AppState, config: &LinkConfig) -> ApiResult<usize> {
    let now = now_ms();
    let measures: Vec<RiskNode> = s
        .store
        .list_risk_nodes(&Scope::National, None)
        .await?
        .into_iter()
        .filter(|n| n.kind == "measure" && n.doc["data_src"] == "automated_monitoring")
        .collect();
    if measures.is_empty() {
        return Ok(0);
    }
    let system = weihua_store::Actor {
        user_id: None,
        username: "system:monitoring-link".into(),
        role: None,
        scope: Scope::National,
    };
    let mut proposed = 0;
    let mut open_by_enterprise: std::collections::HashMap<
        String,
        Vec<weihua_store::alarms::AlarmRecord>,
    > = Default::default();
    for m in measures {
        let ent = m.enterprise_id.clone();
        if !open_by_enterprise.contains_key(&ent) {
            let f = weihua_store::alarms::AlarmFilter {
                enterprise_id: Some(ent.clone()),
                open: Some(true),
                ..Default::default()
            };
            let list = s
                .store
                .list_alarms(&Scope::National, &f, Paging::all())
                .await?
                .items;
            open_by_enterprise.insert(ent.clone(), list);
        }
        let tags: Vec<String> = m.doc["point_tags"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let mut point_ids = Vec::new();
        for t in &tags {
            if let Ok(tag) = weihua_core::Tag::parse(t) {
                for p in s
                    .store
                    .find_points_by_tag(&Scope::Enterprise(ent.clone()), &tag, Some(&ent))
                    .await?
                {
                    point_ids.push(p.id);
                }
            }
        }
        let alarms: Vec<PointAlarm> = open_by_enterprise[&ent]
            .iter()
            .filter(|a| a.active && a.point_id.as_ref().is_some_and(|p| point_ids.contains(p)))
            .filter_map(|a| {
                Some(PointAlarm {
                    point_id: a.point_id.clone()?,
                    label: a.point.clone(),
                    started_at_ms: a.raised_at?,
                    active: a.active,
                })
            })
            .collect();
        let measure = MonitoredMeasure {
            measure_id: m.id.clone(),
            description: m.name.clone(),
            data_src: DataSrc::AutomatedMonitoring,
            hazard_code: None,
            point_ids,
        };
        let Ok(eval) = evaluate_measure(&measure, &alarms, now, config) else {
            continue;
        };
        // Keep the measure's state (failed since …) on the register.
        let was = m.doc["failed_since_ms"].as_i64();
        if was != eval.failed_since_ms {
            let mut after = m.clone();
            after.doc["failed_since_ms"] = json!(eval.failed_since_ms);
            after.doc["failing_points"] =
                serde_json::to_value(&eval.failing_points).unwrap_or(Value::Null);
            after.updated_at = now;
            let mut tx = s.store.write(&system).await?;
            s.store.update_risk_item(&mut tx, &m, &after).await?;
            tx.commit().await?;
        }
        let Some(proposal) = eval.proposal else {
            continue;
        };
        // Once per failure: not while a danger for this measure is still open.
        let open = s
            .store
            .list_dangers(
                &Scope::Enterprise(ent.clone()),
                &DangerFilter {
                    states: [
                        "reported",
                        "graded",
                        "planned",
                        "rectifying",
                        "pending_acceptance",
                    ]
                    .map(String::from)
                    .to_vec(),
                    ..Default::default()
                },
                Paging::all(),
            )
            .await?
            .items;
        if open.iter().any(|d| d.doc["risk_measure_id"] == json!(m.id)) {
            continue;
        }
        let id = new_id();
        let new = NewDanger {
            id: id.clone(),
            name: proposal.name_zh.clone(),
            description: format!("{}\n{}", proposal.description_zh, proposal.description_en),
            source: proposal.source,
            danger_type: proposal.danger_type,
            risk_measure_id: Some(m.id.clone()),
            record_id: None,
        };
        let danger = Danger::report(new, &d::Actor::enterprise(system.username.clone()), now)
            .map_err(|r| refused(&r))?;
        let row = registered(id.clone(), ent.clone(), &danger, now)?;
        let event = DangerEvent {
            danger_id: id,
            n: 1,
            at: now,
            action: "report".into(),
            actor: system.username.clone(),
            from_state: row.state.clone(),
            to_state: row.state.clone(),
            detail: json!({"proposal": proposal, "failing_points": eval.failing_points}),
        };
        let mut tx = s.store.write(&system).await?;
        s.store.insert_danger(&mut tx, &row, &event).await?;
        tx.commit().await?;
        proposed += 1;
    }
    Ok(proposed)
}

/// Run [`monitoring_link_pass`] and [`escalation_pass`] once a minute for the life of the process.
pub fn start_monitoring_link(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let config = LinkConfig::default();
        loop {
            tick.tick().await;
            if let Err(e) = monitoring_link_pass(&state, &config).await {
                tracing::error!(error = ?e, "dual prevention monitoring link");
            }
            if let Err(e) = escalation_pass(&state, &EscalationConfig::default()).await {
                tracing::error!(error = ?e, "dual prevention escalation");
            }
        }
    });
}

// ------------------------------------------------------------------ attachments

use weihua_store::prevention::Attachment;

/// Largest attachment accepted (a photo or a scanned page).
pub const MAX_ATTACHMENT: usize = 20 * 1024 * 1024;

/// Content types accepted (photos and documents).
const ATTACHMENT_TYPES: [&str; 5] = [
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/pdf",
    "text/plain",
];

/// Keep `bytes` under `dir/<aa>/<sha256>`: written to a temporary file,
/// fsync'd, renamed into place and the directory fsync'd, so a file that
/// is acknowledged is on disk. The same content is stored once.
fn store_bytes(dir: &std::path::Path, sha: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let sub = dir.join(&sha[..2]);
    let path = sub.join(sha);
    if path.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(&sub)?;
    let tmp = sub.join(format!(".{sha}.{}", new_id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    std::fs::File::open(&sub)?.sync_all()?;
    Ok(())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name as shown (e.g. `整改前.jpg`).
    pub name: String,
    /// What it shows: `danger` (隐患照片), `rectification` (整改照片) or `file` (附件).
    #[serde(default)]
    pub role: Option<String>,
}

/// 上传附件 — a photo or file of a hidden danger (the raw bytes as the body,
/// with their `Content-Type`). Stored by SHA-256 and fsync'd before the
/// answer; the same content is kept once.
#[utoipa::path(post, path = "/api/v1/hidden-dangers/{id}/attachments", tag = "prevention", params(("id" = String, Path), UploadQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 201, body = Attachment), (status = 404), (status = 413), (status = 415), (status = 422)))]
pub async fn upload_attachment(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Attachment>)> {
    may_act(&p)?;
    let danger = s.store.get_danger(&p.scope(), &id).await?;
    let Some(dir) = s.files_dir.clone() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_file_store",
            "本节点未配置附件存储",
            "this node keeps no attachments",
        ));
    };
    let ctype = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if !ATTACHMENT_TYPES.contains(&ctype.as_str()) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_type",
            format!(
                "不支持的文件类型“{ctype}”（可用：{}）",
                ATTACHMENT_TYPES.join("、")
            ),
            format!(
                "unsupported file type '{ctype}' (use {})",
                ATTACHMENT_TYPES.join(", ")
            ),
        ));
    }
    if body.is_empty() {
        return Err(ApiError::invalid("body", "文件为空", "the file is empty"));
    }
    let name = q.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 || name.contains(['/', '\\']) {
        return Err(ApiError::invalid(
            "name",
            "文件名应为 1–200 个字符且不含路径",
            "the name must be 1–200 characters, without a path",
        ));
    }
    let role = q.role.unwrap_or_else(|| "file".into());
    if !["danger", "rectification", "file"].contains(&role.as_str()) {
        return Err(ApiError::invalid(
            "role",
            "role 应为 danger、rectification 或 file",
            "role must be danger, rectification or file",
        ));
    }
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(&body));
    let bytes = body.clone();
    let dir2 = dir.clone();
    let sha2 = sha.clone();
    tokio::task::spawn_blocking(move || store_bytes(&dir2, &sha2, &bytes))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(|e| {
            tracing::error!(error = %e, dir = %dir.display(), "storing an attachment");
            ApiError::internal()
        })?;
    let a = Attachment {
        id: new_id(),
        enterprise_id: danger.enterprise_id.clone(),
        owner_type: format!("hidden_danger:{role}"),
        owner_id: danger.id.clone(),
        name,
        content_type: ctype,
        sha256: sha,
        size: body.len() as i64,
        created_by: p.actor().username,
        created_at: now_ms(),
    };
    let mut tx = s.store.write(&p.actor()).await?;
    s.store.insert_attachment(&mut tx, &a).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// 附件列表 of a hidden danger.
#[utoipa::path(get, path = "/api/v1/hidden-dangers/{id}/attachments", tag = "prevention", params(("id" = String, Path)), responses((status = 200, body = [Attachment]), (status = 404)))]
pub async fn list_attachments(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Attachment>>> {
    let scope = reader(&p)?;
    let danger = s.store.get_danger(&scope, &id).await?;
    let mut out = Vec::new();
    for role in ["danger", "rectification", "file"] {
        out.extend(
            s.store
                .list_attachments(&scope, &format!("hidden_danger:{role}"), &danger.id)
                .await?,
        );
    }
    Ok(Json(out))
}

/// 下载附件 — the bytes, checked against their hash on the way out.
#[utoipa::path(get, path = "/api/v1/hidden-dangers/{id}/attachments/{attachment}", tag = "prevention", params(("id" = String, Path), ("attachment" = String, Path)), responses((status = 200), (status = 404)))]
pub async fn get_attachment(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path((id, attachment)): Path<(String, String)>,
) -> ApiResult<Response> {
    use axum::http::{HeaderValue, header};
    let scope = reader(&p)?;
    let danger = s.store.get_danger(&scope, &id).await?;
    let mut found = None;
    for role in ["danger", "rectification", "file"] {
        if let Some(a) = s
            .store
            .list_attachments(&scope, &format!("hidden_danger:{role}"), &danger.id)
            .await?
            .into_iter()
            .find(|a| a.id == attachment)
        {
            found = Some(a);
        }
    }
    let a = found.ok_or_else(|| ApiError::not_found("attachment"))?;
    let dir = s
        .files_dir
        .clone()
        .ok_or_else(|| ApiError::not_found("attachment"))?;
    if a.sha256.len() != 64 || !a.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::internal());
    }
    let path = dir.join(&a.sha256[..2]).join(&a.sha256);
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        tracing::error!(error = %e, path = %path.display(), "attachment missing");
        ApiError::internal()
    })?;
    use sha2::Digest;
    if hex::encode(sha2::Sha256::digest(&bytes)) != a.sha256 {
        tracing::error!(path = %path.display(), "attachment does not match its hash");
        return Err(ApiError::internal());
    }
    let mut resp = bytes.into_response();
    if let Ok(v) = HeaderValue::from_str(&a.content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(resp)
}

// ------------------------------------------------------------------ escalation

/// 逾期升级 — one pass over the open hidden dangers past their deadline: each
/// time a danger reaches a higher escalation level (workshop → company →
/// regulator; 3 and 7 days late, major ones to the regulator at once —
/// assumed), an `escalated` step is added to its history (audited) and the
/// news goes to the control room's live stream and to every webhook
/// receiver. Returns the escalations made.
pub async fn escalation_pass(s: &AppState, config: &EscalationConfig) -> ApiResult<usize> {
    let now = now_ms();
    let late = s
        .store
        .list_dangers(
            &Scope::National,
            &DangerFilter {
                overdue_at: Some(now),
                ..Default::default()
            },
            Paging::all(),
        )
        .await?
        .items;
    let system = weihua_store::Actor {
        user_id: None,
        username: "system:escalation".into(),
        role: None,
        scope: Scope::National,
    };
    let mut made = 0;
    for row in late {
        let danger = doc_of(&row)?;
        let Some(o) = d::overdue(&danger, now, config) else {
            continue;
        };
        let level = serde_json::to_value(o.escalation).unwrap_or(Value::Null);
        let events = s.store.danger_events(&row.id).await?;
        if events
            .iter()
            .any(|e| e.action == "escalated" && e.detail["level"] == level)
        {
            continue;
        }
        let mut after = row.clone();
        after.version = row.version + 1;
        after.updated_at = now;
        let detail = json!({
            "level": level,
            "late_ms": o.late_ms,
            "deadline_ms": o.deadline_ms,
            "zh": format!("隐患“{}”逾期未整改，已升级至{}", row.name, o.escalation.label_zh()),
            "en": format!("hidden danger '{}' is overdue; escalated to the {}", row.name, o.escalation.label_en()),
        });
        let mut tx = s.store.write(&system).await?;
        let n = s.store.next_danger_event_n(&mut tx, &row.id).await?;
        let event = DangerEvent {
            danger_id: row.id.clone(),
            n,
            at: now,
            action: "escalated".into(),
            actor: system.username.clone(),
            from_state: row.state.clone(),
            to_state: row.state.clone(),
            detail: detail.clone(),
        };
        match s.store.update_danger(&mut tx, &row, &after, &event).await {
            Ok(()) => tx.commit().await?,
            // Changed meanwhile: the next pass sees it again.
            Err(weihua_store::StoreError::Conflict { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
        made += 1;
        if let Some(h) = &s.alarms {
            let announce = weihua_store::alarms::AlarmEvent {
                seq: 0,
                at: 0,
                event: "danger_escalated".into(),
                alarm_id: None,
                enterprise_id: row.enterprise_id.clone(),
                installation_id: None,
                actor: Some(system.username.clone()),
                reason: Some(format!(
                    "{} / {}",
                    detail["zh"].as_str().unwrap_or(""),
                    detail["en"].as_str().unwrap_or("")
                )),
                payload: json!({"danger_id": row.id, "name": row.name, "detail": detail}),
            };
            if let Err(e) = h.announce(announce).await {
                tracing::error!(error = ?e, "announcing an escalation failed");
            }
        }
    }
    Ok(made)
}
