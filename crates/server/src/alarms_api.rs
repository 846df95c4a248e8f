//! 报警、预警与风险 API — alarms (ISA-18.2 commands), the live event stream,
//! per-point alarm settings with the GB/T 50493 check, the risk level of
//! installations with roll-ups, and alarm KPIs.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use weihua_alarm::gb50493::{Finding, ToxicBasis, check_setpoints};
use weihua_alarm::{Command, PointAlarmConfig, PointAlarmSettings, PointBasics, effective_config};
use weihua_core::{Action, AlarmKind, AlarmPriority, RiskLevel, Scope};
use weihua_kpi::{AlarmOccurrence, GroupBy, KpiConfig, KpiReport};
use weihua_risk::ColourCounts;
use weihua_store::alarms::{AlarmEvent, AlarmFilter, AlarmRecord, InstallationRisk};
use weihua_store::registry::ListFilter;
use weihua_store::{Paging, now_ms};

use crate::AppState;
use crate::alarms::{AlarmError, AlarmHandle};
use crate::api::{TagQuery, point_by_tag, reader, reload_alarms};
use crate::auth::{Auth, Principal};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery};

impl From<AlarmError> for ApiError {
    fn from(e: AlarmError) -> Self {
        match e {
            AlarmError::NotFound => ApiError::not_found("alarm"),
            AlarmError::NotApplicable { zh, en } => {
                ApiError::new(StatusCode::CONFLICT, "alarm_state", zh, en)
            }
            AlarmError::Store(s) => s.into(),
            AlarmError::Stopped => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "alarm_service_stopped",
                "报警服务未运行",
                "the alarm service is not running",
            ),
        }
    }
}

fn service(s: &AppState) -> ApiResult<&Arc<AlarmHandle>> {
    s.alarms.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "alarms_disabled",
            "本节点未启用报警服务",
            "the alarm service is not enabled on this node",
        )
    })
}

/// The alarm must exist and belong to an enterprise the caller can see;
/// otherwise 404 (the same answer for "absent" and "not yours").
async fn visible_alarm(s: &AppState, p: &Principal, id: &str) -> ApiResult<()> {
    let h = service(s)?;
    let Some(enterprise) = h.owner(id).await? else {
        return Err(ApiError::not_found("alarm"));
    };
    s.store
        .get_enterprise(&p.scope(), &enterprise)
        .await
        .map_err(|_| ApiError::not_found("alarm"))?;
    Ok(())
}

// ------------------------------------------------------------------ alarms

/// Alarm list filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AlarmQuery {
    /// `true`: only open alarms (not normal, or shelved / suppressed / out of service).
    pub active: Option<bool>,
    pub enterprise_id: Option<String>,
    pub installation_id: Option<String>,
    pub kind: Option<AlarmKind>,
    pub priority: Option<AlarmPriority>,
    /// ISA-18.2 state (`unacknowledged`, `shelved`, …).
    pub state: Option<String>,
    /// 1–1000, default 1000
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// 报警列表 — alarms visible to the caller, most urgent and newest first.
/// The total is in the `X-Total-Count` header.
#[utoipa::path(get, path = "/api/v1/alarms", tag = "alarms", params(AlarmQuery), responses((status = 200, body = [AlarmRecord])))]
pub async fn list_alarms(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<AlarmQuery>,
) -> ApiResult<(HeaderMap, Json<Vec<AlarmRecord>>)> {
    let scope = reader(&p)?;
    let filter = AlarmFilter {
        open: q.active,
        enterprise_id: q.enterprise_id,
        installation_id: q.installation_id,
        kind: q.kind.map(|k| k.as_str().to_string()),
        priority: q.priority.map(|p| p.as_str().to_string()),
        state: q.state,
    };
    let page = s
        .store
        .list_alarms(
            &scope,
            &filter,
            Paging::new(Some(q.limit.unwrap_or(1000)), q.offset),
        )
        .await?;
    let mut h = HeaderMap::new();
    if let Ok(v) = page.total.to_string().parse() {
        h.insert("x-total-count", v);
    }
    Ok((h, Json(page.items)))
}

#[utoipa::path(get, path = "/api/v1/alarms/{id}", tag = "alarms", params(("id" = String, Path)), responses((status = 200, body = AlarmRecord), (status = 404)))]
pub async fn get_alarm(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<AlarmRecord>> {
    Ok(Json(s.store.get_alarm(&reader(&p)?, &id).await?))
}

/// Why an operator did it (recorded in the journal and the audit log).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    pub reason: Option<String>,
}

/// 搁置 — until when and why (both required: shelving is under administrative control).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShelveBody {
    /// End of the shelving, RFC 3339 or epoch ms; or give `minutes`.
    pub until: Option<serde_json::Value>,
    pub minutes: Option<i64>,
    pub reason: String,
}

/// 批注 — a comment (处置意见).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    pub text: String,
}

/// 停用 / 恢复投用.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutOfServiceBody {
    pub out_of_service: bool,
    pub reason: String,
}

/// 设计抑制 — suppress every alarm of a point (unit shut down, covered by a permit…).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuppressionBody {
    pub suppressed: bool,
    pub reason: String,
}

/// An optional JSON body: empty means defaults.
fn optional_body(bytes: &[u8]) -> ApiResult<ReasonBody> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        Ok(ReasonBody::default())
    } else {
        crate::extract::decode_json(bytes)
    }
}

fn clean_reason(r: Option<String>, required: bool) -> ApiResult<Option<String>> {
    let r = r.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    match r {
        Some(s) if s.chars().count() > 500 => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "原因不能超过 500 个字符",
            "the reason must be at most 500 characters",
        )
        .with_field("reason")),
        None if required => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "必须填写原因",
            "a reason is required",
        )
        .with_field("reason")),
        r => Ok(r),
    }
}

async fn run_command(
    s: &AppState,
    p: &Principal,
    id: &str,
    action: Action,
    command: Command,
    reason: Option<String>,
) -> ApiResult<Json<AlarmRecord>> {
    visible_alarm(s, p, id).await?;
    p.require(action)?;
    let r = service(s)?.command(id, command, p.actor(), reason).await?;
    Ok(Json(r))
}

/// 确认 — acknowledge.
#[utoipa::path(post, path = "/api/v1/alarms/{id}/ack", tag = "alarms", params(("id" = String, Path)), request_body = ReasonBody, responses((status = 200, body = AlarmRecord), (status = 404), (status = 409)))]
pub async fn ack_alarm(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<AlarmRecord>> {
    let reason = clean_reason(optional_body(&body)?.reason, false)?;
    run_command(&s, &p, &id, Action::HandleAlarms, Command::Ack, reason).await
}

/// 复位 — reset a latched alarm after return to normal.
#[utoipa::path(post, path = "/api/v1/alarms/{id}/reset", tag = "alarms", params(("id" = String, Path)), request_body = ReasonBody, responses((status = 200, body = AlarmRecord), (status = 404), (status = 409)))]
pub async fn reset_alarm(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<AlarmRecord>> {
    let reason = clean_reason(optional_body(&body)?.reason, false)?;
    run_command(&s, &p, &id, Action::HandleAlarms, Command::Reset, reason).await
}

fn parse_until(b: &ShelveBody, now: i64) -> ApiResult<i64> {
    let bad = |zh: &str, en: &str| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", zh, en).with_field("until")
    };
    match (&b.until, b.minutes) {
        (Some(_), Some(_)) | (None, None) => Err(bad(
            "请给出 until（截止时间）或 minutes（分钟数）之一",
            "give exactly one of until (end time) or minutes",
        )),
        (None, Some(m)) if (1..=7 * 24 * 60).contains(&m) => Ok(now + m * 60_000),
        (None, Some(_)) => Err(bad("minutes 超出范围", "minutes out of range")),
        (Some(serde_json::Value::Number(n)), None) => n
            .as_i64()
            .ok_or_else(|| bad("until 必须是毫秒整数", "until must be integer milliseconds")),
        (Some(serde_json::Value::String(s)), None) => chrono::DateTime::parse_from_rfc3339(s)
            .map(|d| d.timestamp_millis())
            .map_err(|_| bad("until 不是 RFC 3339 时间", "until is not an RFC 3339 time")),
        (Some(_), None) => Err(bad(
            "until 必须是 RFC 3339 字符串或毫秒数",
            "until must be an RFC 3339 string or milliseconds",
        )),
    }
}

/// 搁置 — shelve until a time (at most 24 h, assumed), with a reason.
#[utoipa::path(post, path = "/api/v1/alarms/{id}/shelve", tag = "alarms", params(("id" = String, Path)), request_body = ShelveBody, responses((status = 200, body = AlarmRecord), (status = 404), (status = 409), (status = 422)))]
pub async fn shelve_alarm(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ShelveBody>,
) -> ApiResult<Json<AlarmRecord>> {
    let until_ms = parse_until(&b, now_ms())?;
    let reason = clean_reason(Some(b.reason), true)?;
    run_command(
        &s,
        &p,
        &id,
        Action::HandleAlarms,
        Command::Shelve { until_ms },
        reason,
    )
    .await
}

/// 解除搁置.
#[utoipa::path(post, path = "/api/v1/alarms/{id}/unshelve", tag = "alarms", params(("id" = String, Path)), request_body = ReasonBody, responses((status = 200, body = AlarmRecord), (status = 404), (status = 409)))]
pub async fn unshelve_alarm(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<AlarmRecord>> {
    let reason = clean_reason(optional_body(&body)?.reason, false)?;
    run_command(&s, &p, &id, Action::HandleAlarms, Command::Unshelve, reason).await
}

/// 停用 / 恢复投用 (maintenance; enterprise admin or safety manager).
#[utoipa::path(post, path = "/api/v1/alarms/{id}/out-of-service", tag = "alarms", params(("id" = String, Path)), request_body = OutOfServiceBody, responses((status = 200, body = AlarmRecord), (status = 404), (status = 409)))]
pub async fn out_of_service_alarm(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<OutOfServiceBody>,
) -> ApiResult<Json<AlarmRecord>> {
    let reason = clean_reason(Some(b.reason), true)?;
    run_command(
        &s,
        &p,
        &id,
        Action::ConfigureAlarms,
        Command::OutOfService(b.out_of_service),
        reason,
    )
    .await
}

/// 批注 — comment on an alarm (operators, managers and regulators).
#[utoipa::path(post, path = "/api/v1/alarms/{id}/comment", tag = "alarms", params(("id" = String, Path)), request_body = CommentBody, responses((status = 201, body = AlarmEvent), (status = 404)))]
pub async fn comment_alarm(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CommentBody>,
) -> ApiResult<(StatusCode, Json<AlarmEvent>)> {
    visible_alarm(&s, &p, &id).await?;
    p.require(Action::CommentAlarms)?;
    let text = clean_reason(Some(b.text), true)
        .map_err(|e| e.with_field("text"))?
        .unwrap_or_default();
    let e = service(&s)?.comment(&id, p.actor(), text).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// 设计抑制 — suppress (or release) every alarm of a point, e.g. while its unit is shut down.
#[utoipa::path(post, path = "/api/v1/points/{tag}/alarm-suppression", tag = "alarms", params(("tag" = String, Path), TagQuery), request_body = SuppressionBody, responses((status = 200, body = [AlarmRecord]), (status = 404)))]
pub async fn suppress_point(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(tag): Path<String>,
    ApiQuery(q): ApiQuery<TagQuery>,
    ApiJson(b): ApiJson<SuppressionBody>,
) -> ApiResult<Json<Vec<AlarmRecord>>> {
    let point = point_by_tag(&s, &reader(&p)?, &tag, q.enterprise_id.as_deref()).await?;
    p.require(Action::ConfigureAlarms)?;
    let reason = clean_reason(Some(b.reason), true)?;
    let r = service(&s)?
        .suppress_point(&point.id, b.suppressed, p.actor(), reason)
        .await?;
    Ok(Json(r))
}

// ------------------------------------------------------------------ settings

/// A point's alarm settings: the stored overrides, what runs, and the GB/T 50493 check.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlarmSettingsView {
    pub point_id: String,
    pub tag: String,
    /// The stored overrides (`{}` = all defaults).
    pub settings: PointAlarmSettings,
    /// The configuration the engine runs: defaults by indicator (assumed,
    /// see docs) with the overrides applied.
    pub effective: PointAlarmConfig,
    /// GB/T 50493-2019 §5.5.2 findings on the point's set points (gas points only).
    pub gb50493: Vec<Finding>,
}

/// Body of PUT alarm-settings: the overrides, plus the toxic gas's exposure basis for the check.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlarmSettingsBody {
    pub settings: PointAlarmSettings,
}

async fn settings_view(
    s: &AppState,
    scope: &Scope,
    point: &weihua_store::registry::Point,
) -> ApiResult<AlarmSettingsView> {
    let stored = s.store.point_alarm_settings(scope, &point.id).await?;
    let settings: PointAlarmSettings = match stored {
        Some(j) => serde_json::from_str(&j).unwrap_or_default(),
        None => PointAlarmSettings::default(),
    };
    let basics = basics_of(point);
    let effective = effective_config(&basics, &settings)
        .or_else(|_| effective_config(&basics, &PointAlarmSettings::default()))
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", e.zh, e.en))?;
    let basis: Option<ToxicBasis> = settings.toxic_basis;
    Ok(AlarmSettingsView {
        point_id: point.id.clone(),
        tag: point.tag.clone(),
        gb50493: check_setpoints(
            point.indicator,
            &point.unit,
            point.range_high,
            &point.limits,
            basis,
        ),
        settings,
        effective,
    })
}

fn basics_of(p: &weihua_store::registry::Point) -> PointBasics {
    PointBasics {
        indicator: p.indicator,
        range_low: p.range_low,
        range_high: p.range_high,
        limits: p.limits,
    }
}

/// 报警设置 — a point's alarm configuration and its GB/T 50493 check.
#[utoipa::path(get, path = "/api/v1/points/{tag}/alarm-settings", tag = "alarms", params(("tag" = String, Path), TagQuery), responses((status = 200, body = AlarmSettingsView), (status = 404)))]
pub async fn get_alarm_settings(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(tag): Path<String>,
    ApiQuery(q): ApiQuery<TagQuery>,
) -> ApiResult<Json<AlarmSettingsView>> {
    let scope = reader(&p)?;
    let point = point_by_tag(&s, &scope, &tag, q.enterprise_id.as_deref()).await?;
    Ok(Json(settings_view(&s, &scope, &point).await?))
}

/// Replace a point's alarm overrides (deadband, delays, priorities, latching,
/// rate / deviation / frozen detection, interruption window, operator position).
#[utoipa::path(put, path = "/api/v1/points/{tag}/alarm-settings", tag = "alarms", params(("tag" = String, Path), TagQuery), request_body = AlarmSettingsBody, responses((status = 200, body = AlarmSettingsView), (status = 404), (status = 422)))]
pub async fn put_alarm_settings(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(tag): Path<String>,
    ApiQuery(q): ApiQuery<TagQuery>,
    ApiJson(b): ApiJson<AlarmSettingsBody>,
) -> ApiResult<Json<AlarmSettingsView>> {
    let scope = reader(&p)?;
    let point = point_by_tag(&s, &scope, &tag, q.enterprise_id.as_deref()).await?;
    p.require(Action::ConfigureAlarms)?;
    effective_config(&basics_of(&point), &b.settings).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("字段“settings.{}”：{}", e.field, e.zh),
            format!("field 'settings.{}': {}", e.field, e.en),
        )
        .with_field(format!("settings.{}", e.field))
    })?;
    if let Some(d) = &b.settings.deviation {
        s.store
            .get_point(&scope, &d.other_point_id)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    "偏差报警的比较点位不存在",
                    "the deviation alarm's other point does not exist",
                )
                .with_field("settings.deviation.other_point_id")
            })?;
    }
    let json = serde_json::to_string(&b.settings).map_err(|_| ApiError::internal())?;
    let mut tx = s.store.write(&p.actor()).await?;
    s.store
        .set_point_alarm_settings(&mut tx, &point.id, &json)
        .await?;
    tx.commit().await?;
    reload_alarms(&s, &point.id).await;
    Ok(Json(settings_view(&s, &scope, &point).await?))
}

/// One gas point with its GB/T 50493 findings.
#[derive(Debug, Serialize, ToSchema)]
pub struct SetpointFindings {
    pub point_id: String,
    pub tag: String,
    pub name: String,
    pub enterprise_id: String,
    pub installation_id: String,
    pub indicator: weihua_core::Indicator,
    pub unit: String,
    pub findings: Vec<Finding>,
}

/// 气体报警设定值检查 — every gas detector in the caller's scope whose set
/// points break GB/T 50493-2019 §5.5.2 or are missing (regulators check that
/// every point has thresholds). Points without findings are left out.
#[utoipa::path(get, path = "/api/v1/gb50493/findings", tag = "alarms", responses((status = 200, body = [SetpointFindings])))]
pub async fn gb50493_findings(
    State(s): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<Json<Vec<SetpointFindings>>> {
    let scope = reader(&p)?;
    let points = s
        .store
        .list_points(&scope, &ListFilter::default(), Paging::all())
        .await?
        .items;
    let mut out = Vec::new();
    for pt in points {
        if !weihua_alarm::config::is_gas(pt.indicator) {
            continue;
        }
        let settings: PointAlarmSettings = s
            .store
            .point_alarm_settings(&scope, &pt.id)
            .await?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        let findings = check_setpoints(
            pt.indicator,
            &pt.unit,
            pt.range_high,
            &pt.limits,
            settings.toxic_basis,
        );
        if !findings.is_empty() {
            out.push(SetpointFindings {
                point_id: pt.id,
                tag: pt.tag,
                name: pt.name,
                enterprise_id: pt.enterprise_id,
                installation_id: pt.installation_id,
                indicator: pt.indicator,
                unit: pt.unit,
                findings,
            });
        }
    }
    Ok(Json(out))
}

// ------------------------------------------------------------------ journal and stream

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// Entries after this sequence number (default 0).
    pub after: Option<i64>,
    /// 1–10000, default 1000.
    pub limit: Option<i64>,
}

/// 报警日志 — journal entries after a sequence number, oldest first.
#[utoipa::path(get, path = "/api/v1/alarm-events", tag = "alarms", params(JournalQuery), responses((status = 200, body = [AlarmEvent])))]
pub async fn list_alarm_events(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<JournalQuery>,
) -> ApiResult<Json<Vec<AlarmEvent>>> {
    let scope = reader(&p)?;
    Ok(Json(
        s.store
            .alarm_events_after(&scope, q.after.unwrap_or(0), q.limit.unwrap_or(1000))
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Resume after this event id (the `Last-Event-ID` header wins when both are sent).
    pub last_event_id: Option<i64>,
}

fn sse_event(e: &AlarmEvent) -> Event {
    let data = serde_json::to_string(e).unwrap_or_else(|_| "{}".into());
    Event::default()
        .id(e.seq.to_string())
        .event(if e.event == "risk" { "risk" } else { "alarm" })
        .data(data)
}

/// 实时推送 — server-sent events of alarm changes (`event: alarm`) and risk
/// changes (`event: risk`), scoped to the caller. Each event's id is its
/// journal sequence number; reconnect with `Last-Event-ID` (or
/// `?last_event_id=`) to receive everything missed, in order. Without it the
/// stream starts with a `hello` event carrying the current id.
#[utoipa::path(get, path = "/api/v1/events/stream", tag = "alarms", params(StreamQuery), responses((status = 200, content_type = "text/event-stream", body = String)))]
pub async fn event_stream(
    State(s): State<AppState>,
    Auth(p): Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<StreamQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let scope = reader(&p)?;
    let h = service(&s)?.clone();
    let header_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.trim().parse::<i64>().map_err(|_| {
                ApiError::bad_request(
                    "Last-Event-ID 必须是整数",
                    "Last-Event-ID must be an integer",
                )
            })
        })
        .transpose()?;
    let resume = header_id.or(q.last_event_id);
    // Subscribe before reading the journal, so nothing falls between the two.
    let rx = h.stream.subscribe();
    let session = match &p {
        Principal::User { session_id, .. } => Some(session_id.clone()),
        Principal::Gateway { .. } => None,
    };
    let start = match resume {
        Some(id) => id,
        None => s.store.max_alarm_event_seq().await?,
    };
    struct St {
        store: weihua_store::Store,
        h: Arc<AlarmHandle>,
        scope: Scope,
        rx: tokio::sync::broadcast::Receiver<Arc<AlarmEvent>>,
        last: i64,
        backlog: std::collections::VecDeque<AlarmEvent>,
        catch_up: bool,
        hello: bool,
        session: Option<String>,
        checked: std::time::Instant,
        closed: bool,
    }
    let st = St {
        store: s.store.clone(),
        h,
        scope,
        rx,
        last: start,
        backlog: Default::default(),
        catch_up: resume.is_some(),
        hello: resume.is_none(),
        session,
        checked: std::time::Instant::now(),
        closed: false,
    };
    let stream = futures_util::stream::unfold(st, |mut st| async move {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            if st.closed {
                return None;
            }
            if st.hello {
                st.hello = false;
                let ev = Event::default()
                    .id(st.last.to_string())
                    .event("hello")
                    .data(format!("{{\"last_event_id\":{}}}", st.last));
                return Some((Ok(ev), st));
            }
            if let Some(e) = st.backlog.pop_front() {
                st.last = e.seq;
                return Some((Ok(sse_event(&e)), st));
            }
            if st.catch_up {
                // Read the journal until caught up (also after a lag).
                match st.store.alarm_events_after(&st.scope, st.last, 1000).await {
                    Ok(v) if !v.is_empty() => {
                        st.backlog.extend(v);
                        continue;
                    }
                    Ok(_) => st.catch_up = false,
                    Err(e) => {
                        tracing::warn!(error = %e, "event stream cannot read the journal");
                        return None;
                    }
                }
            }
            // A revoked or expired session ends the stream (checked every 30 s).
            if let Some(sid) = &st.session
                && st.checked.elapsed() > std::time::Duration::from_secs(30)
            {
                st.checked = std::time::Instant::now();
                if !st
                    .store
                    .session_is_live(sid, now_ms())
                    .await
                    .unwrap_or(false)
                {
                    return None;
                }
            }
            match tokio::time::timeout(std::time::Duration::from_secs(30), st.rx.recv()).await {
                Err(_) => continue,
                Ok(Ok(e)) => {
                    if e.seq <= st.last {
                        continue;
                    }
                    let visible =
                        st.h.directory
                            .read()
                            .map(|d| d.visible(&st.scope, &e.enterprise_id))
                            .unwrap_or(false);
                    if !visible {
                        continue;
                    }
                    st.last = e.seq;
                    return Some((Ok(sse_event(&e)), st));
                }
                Ok(Err(RecvError::Lagged(_))) => st.catch_up = true,
                Ok(Err(RecvError::Closed)) => st.closed = true,
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

// ------------------------------------------------------------------ risk

/// 动态风险等级 — the level, score and reasons of one installation.
#[derive(Debug, Serialize, ToSchema)]
pub struct RiskView {
    pub installation_id: String,
    /// `red` / `orange` / `yellow` / `blue` (红/橙/黄/蓝 = 重大/较大/一般/低).
    pub level: String,
    pub level_zh: String,
    pub score: f64,
    /// Each reason: `{code, zh, en, points}`, largest first.
    #[schema(value_type = Vec<Object>)]
    pub reasons: serde_json::Value,
    pub model_version: String,
    pub updated_at: i64,
}

fn level_of(s: &str) -> Option<RiskLevel> {
    match s {
        "red" => Some(RiskLevel::Red),
        "orange" => Some(RiskLevel::Orange),
        "yellow" => Some(RiskLevel::Yellow),
        "blue" => Some(RiskLevel::Blue),
        _ => None,
    }
}

fn view(r: InstallationRisk) -> RiskView {
    RiskView {
        level_zh: level_of(&r.level)
            .map(weihua_risk::level_label_zh)
            .unwrap_or("")
            .to_string(),
        installation_id: r.installation_id,
        level: r.level,
        score: r.score,
        reasons: r.reasons,
        model_version: r.model_version,
        updated_at: r.updated_at,
    }
}

#[utoipa::path(get, path = "/api/v1/installations/{id}/risk", tag = "alarms", params(("id" = String, Path)), responses((status = 200, body = RiskView), (status = 404)))]
pub async fn installation_risk(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<RiskView>> {
    let scope = reader(&p)?;
    s.store.get_installation(&scope, &id).await?;
    match s.store.installation_risk(&scope, &id).await? {
        Some(r) => Ok(Json(view(r))),
        None => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "risk_not_computed",
            "该重大危险源的风险等级尚未计算（报警服务未运行）",
            "the risk level of this installation has not been computed (the alarm service is not running)",
        )),
    }
}

/// Counts by colour for one place.
#[derive(Debug, Serialize, ToSchema)]
pub struct RollupEntry {
    pub id: String,
    pub name: String,
    pub counts: ColourCounts,
    /// The worst level present.
    pub worst: Option<String>,
}

/// 风险汇总 — installations by colour, in total and per enterprise, park and region.
#[derive(Debug, Serialize, ToSchema)]
pub struct RiskSummary {
    pub total: ColourCounts,
    pub installations: Vec<RiskView>,
    pub enterprises: Vec<RollupEntry>,
    pub parks: Vec<RollupEntry>,
    /// By region code at every level (province, city, county) that holds installations.
    pub regions: Vec<RollupEntry>,
    pub model_version: String,
}

/// 风险汇总 — what a park office or regulator looks at: counts by colour,
/// rolled up to enterprise, park and region, within the caller's scope.
#[utoipa::path(get, path = "/api/v1/risk/summary", tag = "alarms", responses((status = 200, body = RiskSummary)))]
pub async fn risk_summary(
    State(s): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<Json<RiskSummary>> {
    let scope = reader(&p)?;
    let risks = s.store.list_installation_risk(&scope).await?;
    let f = ListFilter::default();
    let ents = s
        .store
        .list_enterprises(&scope, &f, Paging::all())
        .await?
        .items;
    let parks = s.store.list_parks(&scope, &f, Paging::all()).await?.items;
    let regions = s.store.list_regions(&scope).await?;
    let ent: HashMap<&str, &weihua_store::registry::Enterprise> =
        ents.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut total = ColourCounts::default();
    let mut by_ent: BTreeMap<String, ColourCounts> = BTreeMap::new();
    let mut by_park: BTreeMap<String, ColourCounts> = BTreeMap::new();
    let mut by_region: BTreeMap<String, ColourCounts> = BTreeMap::new();
    for r in &risks {
        let Some(level) = level_of(&r.level) else {
            continue;
        };
        total.add(level);
        by_ent
            .entry(r.enterprise_id.clone())
            .or_default()
            .add(level);
        if let Some(e) = ent.get(r.enterprise_id.as_str()) {
            if let Some(pk) = &e.park_id {
                by_park.entry(pk.clone()).or_default().add(level);
            }
            // Province (2 digits), city (4), county (6).
            for n in [2usize, 4, 6] {
                if e.region_code.len() >= n {
                    let code = format!("{:0<6}", &e.region_code[..n]);
                    by_region.entry(code).or_default().add(level);
                }
            }
        }
    }
    let worst = |c: &ColourCounts| c.worst().map(|l| weihua_risk::level_as_str(l).to_string());
    let name_ent = |id: &str| ent.get(id).map(|e| e.name.clone()).unwrap_or_default();
    let name_park = |id: &str| {
        parks
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let name_region = |c: &str| {
        regions
            .iter()
            .find(|r| r.code == c)
            .map(|r| r.name.clone())
            .unwrap_or_default()
    };
    let entry = |id: String, name: String, counts: ColourCounts| RollupEntry {
        worst: worst(&counts),
        id,
        name,
        counts,
    };
    Ok(Json(RiskSummary {
        total,
        enterprises: by_ent
            .into_iter()
            .map(|(id, c)| entry(id.clone(), name_ent(&id), c))
            .collect(),
        parks: by_park
            .into_iter()
            .map(|(id, c)| entry(id.clone(), name_park(&id), c))
            .collect(),
        regions: by_region
            .into_iter()
            .map(|(id, c)| entry(id.clone(), name_region(&id), c))
            .collect(),
        installations: risks.into_iter().map(view).collect(),
        model_version: s
            .alarms
            .as_ref()
            .map(|a| a.risk_model_version.clone())
            .unwrap_or_default(),
    }))
}

// ------------------------------------------------------------------ KPIs

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KpiQuery {
    /// Window start, RFC 3339 or epoch ms (default: 24 h before `to`).
    pub from: Option<String>,
    /// Window end (default: now).
    pub to: Option<String>,
    /// `enterprise` (default) or `position` (操作岗位).
    pub group_by: Option<GroupBy>,
}

/// 报警绩效 — the KPIs of the whole scope and per group.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiResponse {
    pub from: i64,
    pub to: i64,
    pub group_by: GroupBy,
    pub overall: KpiReport,
    pub groups: BTreeMap<String, KpiReport>,
    /// Enterprise names for the group keys (when grouped by enterprise).
    pub names: BTreeMap<String, String>,
}

/// Instants a KPI window may use: 2000-01-01 to 2100-01-01 (keeps window
/// arithmetic far from overflow).
const INSTANT_RANGE: std::ops::RangeInclusive<i64> = 946_684_800_000..=4_102_444_800_000;

fn parse_instant(field: &str, v: &str) -> ApiResult<i64> {
    let ms = match v.trim().parse::<i64>() {
        Ok(ms) => Some(ms),
        Err(_) => chrono::DateTime::parse_from_rfc3339(v.trim())
            .ok()
            .map(|d| d.timestamp_millis()),
    };
    ms.filter(|ms| INSTANT_RANGE.contains(ms)).ok_or_else(|| {
        ApiError::bad_request(
            format!("{field} 必须是 2000–2100 年间的 RFC 3339 时间或毫秒数"),
            format!("{field} must be an RFC 3339 time or epoch milliseconds between 2000 and 2100"),
        )
        .with_field(field.to_string())
    })
}

/// 报警系统绩效 (ISA-18.2 / EEMUA 191): alarms per 10 min, % of 10-min
/// periods in flood, chattering, stale and fleeting alarms, top-10
/// contributors and the priority distribution — per enterprise or operator position.
#[utoipa::path(get, path = "/api/v1/alarm-kpis", tag = "alarms", params(KpiQuery), responses((status = 200, body = KpiResponse), (status = 400)))]
pub async fn alarm_kpis(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<KpiQuery>,
) -> ApiResult<Json<KpiResponse>> {
    let scope = reader(&p)?;
    let to = match &q.to {
        Some(v) => parse_instant("to", v)?,
        None => now_ms(),
    };
    let from = match &q.from {
        Some(v) => parse_instant("from", v)?,
        None => to - weihua_kpi::DAY_MS,
    };
    if from >= to || to - from > 400 * weihua_kpi::DAY_MS {
        return Err(ApiError::bad_request(
            "时间窗无效：from 必须早于 to，且不超过 400 天",
            "invalid window: from must be before to, and at most 400 days",
        )
        .with_field("from"));
    }
    let cfg = KpiConfig::default();
    // Stale alarms were raised before the window: read their history too.
    let events = s
        .store
        .alarm_events_between(
            &scope,
            from - cfg.stale_after_ms,
            to,
            &["activated", "cleared", "acked", "reset"],
            None,
        )
        .await?;
    let mut records = occurrences(&events);
    // Alarms still active that were raised before the history read above.
    let open = s
        .store
        .list_alarms(
            &scope,
            &AlarmFilter {
                open: Some(true),
                ..Default::default()
            },
            Paging::all(),
        )
        .await?;
    for a in open.items {
        let Some(raised) = a.raised_at else { continue };
        let kind = AlarmKind::parse(&a.kind);
        if a.active
            && raised < from - cfg.stale_after_ms
            && let Some(kind) = kind.filter(|k| !k.is_data_quality())
        {
            records.push(AlarmOccurrence {
                label: format!(
                    "{} {}",
                    a.point.clone().unwrap_or_default(),
                    a.limit
                        .clone()
                        .unwrap_or_else(|| kind.label_zh().to_string())
                ),
                alarm_key: a.id,
                enterprise_id: a.enterprise,
                position: a.position.unwrap_or_default(),
                priority: AlarmPriority::parse(&a.priority).unwrap_or(AlarmPriority::Low),
                kind,
                raised_at_ms: raised,
                cleared_at_ms: None,
                acked_at_ms: a.acked_at,
            });
        }
    }
    let by = q.group_by.unwrap_or(GroupBy::Enterprise);
    let kpi_err = |e: weihua_kpi::KpiError| ApiError::bad_request(e.zh(), e.en());
    let overall = weihua_kpi::compute(&records, from, to, &cfg).map_err(kpi_err)?;
    let groups = weihua_kpi::compute_grouped(&records, from, to, &cfg, by).map_err(kpi_err)?;
    let mut names = BTreeMap::new();
    if by == GroupBy::Enterprise {
        for id in groups.keys() {
            if let Ok(e) = s.store.get_enterprise(&scope, id).await {
                names.insert(id.clone(), e.name);
            }
        }
    }
    Ok(Json(KpiResponse {
        from,
        to,
        group_by: by,
        overall,
        groups,
        names,
    }))
}

/// Rebuilds annunciated occurrences from the journal: each `activated` opens
/// one, `cleared` and `acked` complete the latest of the same alarm.
/// Data-quality alarms are left out (they are not process alarms an operator answers).
pub fn occurrences(events: &[AlarmEvent]) -> Vec<AlarmOccurrence> {
    let mut out: Vec<AlarmOccurrence> = Vec::new();
    let mut open: HashMap<String, usize> = HashMap::new();
    for e in events {
        let Some(id) = &e.alarm_id else { continue };
        let p = &e.payload;
        let kind = p["kind"].as_str().and_then(AlarmKind::parse);
        let Some(kind) = kind else { continue };
        if kind.is_data_quality() {
            continue;
        }
        match e.event.as_str() {
            "activated" => {
                let priority = p["priority"]
                    .as_str()
                    .and_then(AlarmPriority::parse)
                    .unwrap_or(AlarmPriority::Low);
                let label = p["summary_zh"]
                    .as_str()
                    .map(|s| s.split(' ').take(2).collect::<Vec<_>>().join(" "))
                    .unwrap_or_else(|| id.clone());
                open.insert(id.clone(), out.len());
                out.push(AlarmOccurrence {
                    alarm_key: id.clone(),
                    label,
                    enterprise_id: e.enterprise_id.clone(),
                    position: p["position"].as_str().unwrap_or("").to_string(),
                    priority,
                    kind,
                    raised_at_ms: e.at,
                    cleared_at_ms: None,
                    acked_at_ms: None,
                });
            }
            "cleared" => {
                if let Some(i) = open.get(id) {
                    out[*i].cleared_at_ms.get_or_insert(e.at);
                }
            }
            "acked" | "reset" => {
                if let Some(i) = open.get(id) {
                    out[*i].acked_at_ms.get_or_insert(e.at);
                }
            }
            _ => {}
        }
    }
    out
}
