//! 实时监测数据 — telemetry in and out: InfluxDB v2 line protocol and JSON
//! ingest (acknowledged only once durable), and the chart queries.
//!
//! Path of a sample: gateway → decoder (`weihua-ingest`, per-line errors) →
//! tag resolved within the token's enterprise → historian write-ahead log
//! (group commit, fsync) → 204 → chunks. The alarm engine subscribes to the
//! historian's committed batches, in order.

use crate::AppState;
use crate::auth::{Auth, Principal};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, too_large};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_ENCODING, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use utoipa::{IntoParams, ToSchema};
use weihua_core::{Action, Scope};
use weihua_historian::{Historian, Sample as HSample, SeriesId};
use weihua_ingest::{DecodeLimits, Decoded, LineError, Precision};
use weihua_store::registry::ListFilter;
use weihua_store::{Paging, Store, now_ms};

/// Largest ingest body (after gzip decoding).
pub const MAX_INGEST_BODY: usize = 32 * 1024 * 1024;

/// How long a point index may be reused before a miss reloads it.
const INDEX_RELOAD_AFTER: Duration = Duration::from_secs(2);

struct EnterpriseIndex {
    loaded_at: Instant,
    /// tag → series
    tags: HashMap<String, SeriesId>,
}

/// The historian plus the tag → series index of each enterprise.
pub struct Telemetry {
    pub historian: Historian,
    index: RwLock<HashMap<String, Arc<EnterpriseIndex>>>,
    pub limits: DecodeLimits,
}

impl Telemetry {
    pub fn new(historian: Historian) -> Self {
        Self {
            historian,
            index: RwLock::new(HashMap::new()),
            limits: DecodeLimits::default(),
        }
    }

    async fn load_index(
        self: &Arc<Self>,
        store: &Store,
        enterprise_id: &str,
    ) -> ApiResult<Arc<EnterpriseIndex>> {
        let points = store
            .list_points(
                &Scope::Enterprise(enterprise_id.to_string()),
                &ListFilter::default(),
                Paging::all(),
            )
            .await?;
        // One catalog fsync for all new points, off the async workers.
        let ids: Vec<String> = points.items.iter().map(|p| p.id.clone()).collect();
        let this = self.clone();
        let series = tokio::task::spawn_blocking(move || {
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            this.historian.series_ids(&refs)
        })
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(|e| {
            tracing::error!(error = %e, "series catalog");
            ApiError::internal()
        })?;
        let tags: HashMap<String, SeriesId> = points
            .items
            .into_iter()
            .map(|p| p.tag)
            .zip(series)
            .collect();
        let idx = Arc::new(EnterpriseIndex {
            loaded_at: Instant::now(),
            tags,
        });
        self.index
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(enterprise_id.to_string(), idx.clone());
        Ok(idx)
    }

    /// The index of an enterprise; reloaded when a tag is missing and the
    /// index is older than [`INDEX_RELOAD_AFTER`] (new points become writable
    /// within seconds without a restart).
    async fn index_for(
        self: &Arc<Self>,
        store: &Store,
        enterprise_id: &str,
        tags: &[&str],
    ) -> ApiResult<Arc<EnterpriseIndex>> {
        let cached = self
            .index
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(enterprise_id)
            .cloned();
        match cached {
            Some(idx)
                if tags.iter().all(|t| idx.tags.contains_key(*t))
                    || idx.loaded_at.elapsed() < INDEX_RELOAD_AFTER =>
            {
                Ok(idx)
            }
            _ => self.load_index(store, enterprise_id).await,
        }
    }
}

fn telemetry(s: &AppState) -> ApiResult<&Arc<Telemetry>> {
    s.telemetry.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "telemetry_disabled",
            "本节点未启用实时数据",
            "telemetry is not enabled on this node",
        )
    })
}

fn ingest_enterprise(p: &Principal) -> ApiResult<String> {
    p.require(Action::Ingest)?;
    match p.scope() {
        Scope::Enterprise(e) => Ok(e),
        _ => Err(ApiError::forbidden(
            "数据接入令牌必须属于一家企业",
            "an ingest token belongs to one enterprise",
        )),
    }
}

/// Decode a gzip body when the client says so, within the size limit. A body
/// over the limit (or unreadable) becomes the API's bilingual error.
fn body_bytes(headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> ApiResult<Vec<u8>> {
    let body = body.map_err(|rej| {
        if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(MAX_INGEST_BODY)
        } else {
            ApiError::bad_request("无法读取请求体", "cannot read the body")
        }
    })?;
    let gz = headers
        .get(CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
    if !gz {
        return Ok(body.to_vec());
    }
    let mut out = Vec::new();
    let mut dec = flate2::read::GzDecoder::new(&body[..]).take(MAX_INGEST_BODY as u64 + 1);
    dec.read_to_end(&mut out).map_err(|e| {
        ApiError::bad_request(
            format!("gzip解压失败：{e}"),
            format!("cannot decompress the gzip body: {e}"),
        )
    })?;
    if out.len() > MAX_INGEST_BODY {
        return Err(too_large(MAX_INGEST_BODY));
    }
    Ok(out)
}

/// One rejected line or element.
#[derive(Debug, Serialize, ToSchema)]
pub struct Rejected {
    pub line: usize,
    pub reason_zh: String,
    pub reason_en: String,
}

/// The outcome of a write: what was stored and what was refused, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct WriteReport {
    pub accepted: usize,
    pub rejected: usize,
    pub errors: Vec<Rejected>,
}

/// Resolve tags, append to the historian, and wait until durable.
pub(crate) async fn store_samples(
    s: &AppState,
    enterprise_id: &str,
    decoded: Decoded,
) -> ApiResult<WriteReport> {
    let t = telemetry(s)?;
    let tags: Vec<&str> = decoded.samples.iter().map(|x| x.tag.as_str()).collect();
    let idx = t.index_for(&s.store, enterprise_id, &tags).await?;
    let mut errors: Vec<LineError> = decoded.errors;
    let mut batch = Vec::with_capacity(decoded.samples.len());
    for x in &decoded.samples {
        match idx.tags.get(&x.tag) {
            Some(series) => batch.push(HSample {
                series: *series,
                ts_ms: x.ts_ms,
                value: x.value,
                quality: match x.quality {
                    None | Some(0) => 0,
                    Some(q) => u8::try_from(q).unwrap_or(u8::MAX).max(1),
                },
            }),
            None => errors.push(LineError {
                line: x.line,
                reason_zh: format!("本企业没有位号为“{}”的监测点位", x.tag),
                reason_en: format!(
                    "no monitoring point with tag '{}' in this enterprise",
                    x.tag
                ),
            }),
        }
    }
    let accepted = batch.len();
    if !batch.is_empty() {
        t.historian.append(batch).await.map_err(|e| match e {
            weihua_historian::Error::Overloaded { retry_after, .. } => {
                let secs = retry_after.as_secs().max(1);
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "overloaded",
                    format!("数据写入繁忙，请{secs}秒后重试（本批未保存）"),
                    format!("ingest is overloaded; retry in {secs} s (this batch was not stored)"),
                )
                .with_details(serde_json::json!({ "retry_after_s": secs }))
            }
            other => {
                tracing::error!(error = %other, "historian append");
                ApiError::internal()
            }
        })?;
    }
    errors.sort_by_key(|e| e.line);
    Ok(WriteReport {
        accepted,
        rejected: errors.len(),
        errors: errors
            .into_iter()
            .map(|e| Rejected {
                line: e.line,
                reason_zh: e.reason_zh,
                reason_en: e.reason_en,
            })
            .collect(),
    })
}

fn overload_headers(mut resp: Response, err: &ApiError) -> Response {
    if let Some(secs) = err
        .details
        .as_ref()
        .and_then(|d| d["retry_after_s"].as_u64())
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        resp.headers_mut().insert(RETRY_AFTER, v);
    }
    resp
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InfluxWriteQuery {
    /// Accepted and ignored (the token fixes the enterprise).
    pub org: Option<String>,
    pub bucket: Option<String>,
    #[serde(rename = "orgID")]
    pub org_id: Option<String>,
    /// ns (default) | us | ms | s
    pub precision: Option<String>,
}

/// 数据接入（InfluxDB v2 行协议）— write samples in InfluxDB line protocol:
/// `measurement,point=<位号> value=<float>[,quality=<int>] <timestamp>`, with
/// `Authorization: Token <ingest token>`. 204 once every line is on disk; a
/// body with bad lines stores the good ones and answers 400 listing each bad
/// line with its number and reason.
#[utoipa::path(post, path = "/api/v2/write", tag = "telemetry", params(InfluxWriteQuery),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 204, description = "all lines durable"), (status = 400, body = WriteReport), (status = 503, description = "overloaded; Retry-After")))]
pub async fn influx_write(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<InfluxWriteQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let enterprise = ingest_enterprise(&p)?;
        let precision: Precision = match q.precision.as_deref() {
            None | Some("") => Precision::Nanoseconds,
            Some(x) => x.parse().map_err(|_| {
                ApiError::bad_request(
                    format!("precision参数“{x}”无效（ns、us、ms、s）"),
                    format!("invalid precision '{x}' (ns, us, ms, s)"),
                )
                .with_field("precision")
            })?,
        };
        let bytes = body_bytes(&headers, body)?;
        let t = telemetry(&s)?;
        let decoded = weihua_ingest::decode_line_protocol(&bytes, precision, now_ms(), &t.limits);
        store_samples(&s, &enterprise, decoded).await
    }
    .await;
    match result {
        Ok(r) if r.rejected == 0 => StatusCode::NO_CONTENT.into_response(),
        Ok(r) => {
            // InfluxDB answers a partial write with 400 and `{code, message}`;
            // clients print `message`.
            let message = format!(
                "partial write: {} accepted, {} rejected; first: line {}: {}",
                r.accepted,
                r.rejected,
                r.errors.first().map(|e| e.line).unwrap_or(0),
                r.errors.first().map(|e| e.reason_en.as_str()).unwrap_or("")
            );
            let body = serde_json::json!({
                "code": "invalid",
                "message": message,
                "error": {
                    "code": "partial_write",
                    "message_zh": format!("已接收{}行，拒绝{}行", r.accepted, r.rejected),
                    "message_en": format!("{} lines accepted, {} rejected", r.accepted, r.rejected),
                    "details": r,
                }
            });
            (StatusCode::BAD_REQUEST, Json(body)).into_response()
        }
        Err(e) => overload_headers(e.clone().into_response(), &e),
    }
}

/// 数据接入（JSON）— `[{"point","ts","value","quality"?}]`, `ts` in epoch ms or
/// RFC 3339. 200 when every element is stored; 422 listing the bad elements
/// (the good ones are stored).
#[utoipa::path(post, path = "/api/v1/samples", tag = "telemetry",
    request_body(content_type = "application/json", description = "[{\"point\":\"LT-1101A\",\"ts\":1732860000000,\"value\":62.5}]"),
    responses((status = 200, body = WriteReport), (status = 422, body = WriteReport), (status = 503, description = "overloaded; Retry-After")))]
pub async fn json_write(
    State(s): State<AppState>,
    Auth(p): Auth,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let enterprise = ingest_enterprise(&p)?;
        let bytes = body_bytes(&headers, body)?;
        let t = telemetry(&s)?;
        let decoded = weihua_ingest::decode_json_samples(&bytes, now_ms(), &t.limits);
        store_samples(&s, &enterprise, decoded).await
    }
    .await;
    match result {
        Ok(r) if r.rejected == 0 => Json(r).into_response(),
        Ok(r) => (StatusCode::UNPROCESSABLE_ENTITY, Json(r)).into_response(),
        Err(e) => overload_headers(e.clone().into_response(), &e),
    }
}

/// Epoch milliseconds or RFC 3339.
fn parse_time(field: &str, v: &str) -> ApiResult<i64> {
    if let Ok(ms) = v.parse::<i64>() {
        return Ok(ms);
    }
    chrono::DateTime::parse_from_rfc3339(v)
        .map(|t| t.timestamp_millis())
        .map_err(|_| {
            ApiError::bad_request(
                format!("参数{field}应为毫秒时间戳或RFC 3339时间，而不是“{v}”"),
                format!("{field} must be epoch milliseconds or RFC 3339, not '{v}'"),
            )
            .with_field(field)
        })
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SamplesQuery {
    /// Epoch ms or RFC 3339; default: an hour before `to`.
    pub from: Option<String>,
    /// Epoch ms or RFC 3339; default: now.
    pub to: Option<String>,
    /// Downsample to this many buckets (1–10,000): min/max/avg/last each.
    pub buckets: Option<usize>,
    pub enterprise_id: Option<String>,
}

/// 历史数据 — samples of one point, raw or downsampled for charts.
#[utoipa::path(get, path = "/api/v1/points/{tag}/samples", tag = "telemetry", params(("tag" = String, Path), SamplesQuery),
    responses((status = 200, description = "{\"samples\":[[ts_ms,value],…]} or {\"buckets\":[{start_ms,min,max,avg,last,count}]}"), (status = 404)))]
pub async fn point_samples(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(tag): Path<String>,
    ApiQuery(q): ApiQuery<SamplesQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    p.require(Action::ReadRegistry)?;
    let point = crate::api::point_by_tag(&s, &p.scope(), &tag, q.enterprise_id.as_deref()).await?;
    let t = telemetry(&s)?;
    let to = match &q.to {
        Some(v) => parse_time("to", v)?,
        None => now_ms(),
    };
    let from = match &q.from {
        Some(v) => parse_time("from", v)?,
        None => to - 3_600_000,
    };
    if from > to {
        return Err(
            ApiError::bad_request("from 应早于 to", "from must not be after to").with_field("from"),
        );
    }
    let Some(series) = t.historian.lookup_series(&point.id) else {
        return Ok(Json(match q.buckets {
            Some(_) => serde_json::json!({"point": point.tag, "buckets": []}),
            None => serde_json::json!({"point": point.tag, "samples": []}),
        }));
    };
    let internal = |e: weihua_historian::Error| {
        tracing::error!(error = %e, "historian query");
        ApiError::internal()
    };
    match q.buckets {
        Some(n) if !(1..=10_000).contains(&n) => Err(ApiError::bad_request(
            "buckets 应在1至10000之间",
            "buckets must be 1 to 10000",
        )
        .with_field("buckets")),
        Some(n) => {
            // Historian queries read files: keep them off the async workers.
            let t = t.clone();
            let b = tokio::task::spawn_blocking(move || t.historian.buckets(series, from, to, n))
                .await
                .map_err(|_| ApiError::internal())?
                .map_err(internal)?;
            Ok(Json(
                serde_json::json!({"point": point.tag, "unit": point.unit, "buckets": b.iter().map(|b| serde_json::json!({
                "start_ms": b.start_ms, "min": b.min, "max": b.max, "avg": b.avg, "last": b.last, "count": b.count
            })).collect::<Vec<_>>()}),
            ))
        }
        None => {
            let t = t.clone();
            let raw = tokio::task::spawn_blocking(move || t.historian.range(series, from, to))
                .await
                .map_err(|_| ApiError::internal())?
                .map_err(internal)?;
            Ok(Json(
                serde_json::json!({"point": point.tag, "unit": point.unit, "samples": raw}),
            ))
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LatestQuery {
    pub installation_id: Option<String>,
    pub enterprise_id: Option<String>,
    /// At most 10,000 points.
    pub limit: Option<i64>,
}

/// One point's latest value.
#[derive(Debug, Serialize, ToSchema)]
pub struct LatestValue {
    pub point_id: String,
    pub tag: String,
    pub enterprise_id: String,
    pub installation_id: String,
    pub ts_ms: Option<i64>,
    pub value: Option<f64>,
    pub quality: Option<u8>,
}

/// 最新值 — the latest value of many points in one call (scoped).
#[utoipa::path(get, path = "/api/v1/samples/latest", tag = "telemetry", params(LatestQuery), responses((status = 200, body = [LatestValue])))]
pub async fn latest(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<LatestQuery>,
) -> ApiResult<Json<Vec<LatestValue>>> {
    p.require(Action::ReadRegistry)?;
    let t = telemetry(&s)?;
    let filter = ListFilter {
        installation_id: q.installation_id.clone(),
        enterprise_id: q.enterprise_id.clone(),
        ..Default::default()
    };
    let points = s
        .store
        .list_points(
            &p.scope(),
            &filter,
            Paging::new(Some(q.limit.unwrap_or(10_000).min(10_000)), None),
        )
        .await?;
    let series: Vec<Option<SeriesId>> = points
        .items
        .iter()
        .map(|p| t.historian.lookup_series(&p.id))
        .collect();
    let known: Vec<SeriesId> = series.iter().flatten().copied().collect();
    let values = t.historian.latest(&known).map_err(|e| {
        tracing::error!(error = %e, "historian latest");
        ApiError::internal()
    })?;
    let mut by_series: HashMap<SeriesId, (i64, f64, u8)> = HashMap::new();
    for (sid, v) in known.iter().zip(values) {
        if let Some(v) = v {
            by_series.insert(*sid, v);
        }
    }
    Ok(Json(
        points
            .items
            .into_iter()
            .zip(series)
            .map(|(p, sid)| {
                let v = sid.and_then(|s| by_series.get(&s).copied());
                LatestValue {
                    point_id: p.id,
                    tag: p.tag,
                    enterprise_id: p.enterprise_id,
                    installation_id: p.installation_id,
                    ts_ms: v.map(|v| v.0),
                    value: v.map(|v| v.1),
                    quality: v.map(|v| v.2),
                }
            })
            .collect(),
    ))
}
