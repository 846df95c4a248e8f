//! 定量风险评估 API — the consequence models of `weihua-qra` by name, and
//! stored quantitative risk assessments (GB/T 37243-2019 / GB 36894-2018).
//!
//! Models are pure computations: any signed-in user may run them. Studies
//! belong to an enterprise and are scoped like everything else; running one
//! needs [`Action::AssessRisk`](weihua_core::Action::AssessRisk) and is
//! audited.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use weihua_core::Action;
use weihua_qra::QraError;
use weihua_qra::risk::{FnRegion, TargetClass};
use weihua_qra::site::{StudyInput, StudyResult, assess_study};
use weihua_store::qra::QraStudy;
use weihua_store::{new_id, now_ms};

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, decode_json};

/// One consequence model.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelInfo {
    /// Name, as in `weihua qra model NAME`.
    pub name: String,
    /// What it computes, English / 中文.
    pub description: String,
}

/// A model's refusal as the API's one error shape: 422 with the field at
/// fault (an unknown model is a 404).
pub fn qra_error(e: &QraError) -> ApiError {
    let err = match e {
        QraError::UnknownModel { .. } => ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_model",
            e.message_zh(),
            e.message_en(),
        ),
        _ => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            e.message_zh(),
            e.message_en(),
        ),
    };
    match e.field() {
        Some(f) => err.with_field(f),
        None => err,
    }
}

/// 后果模型列表 — the consequence models and what each computes.
#[utoipa::path(get, path = "/api/v1/qra/models", tag = "qra", responses((status = 200, body = [ModelInfo])))]
pub async fn list_models(Auth(p): Auth) -> ApiResult<Json<Vec<ModelInfo>>> {
    p.require(Action::ReadRegistry)?;
    Ok(Json(
        weihua_qra::models()
            .map(|m| ModelInfo {
                name: m.name.to_owned(),
                description: m.description.to_owned(),
            })
            .collect(),
    ))
}

/// 运行后果模型 — run one model on its JSON input (fields as documented in
/// the `weihua-qra` crate; unknown fields are refused).
#[utoipa::path(post, path = "/api/v1/qra/models/{name}", tag = "qra", params(("name" = String, Path)), request_body = Object, responses((status = 200, body = Object), (status = 404), (status = 422)))]
pub async fn run_model(
    State(_s): State<AppState>,
    Auth(p): Auth,
    Path(name): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    p.require(Action::ReadRegistry)?;
    let input: Value = decode_json(&body)?;
    // Models are microseconds to milliseconds; still, keep them off the
    // async workers.
    let out = tokio::task::spawn_blocking(move || weihua_qra::run_model(&name, input))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "consequence model task");
            ApiError::internal()
        })?;
    out.map(Json).map_err(|e| qra_error(&e))
}

// ------------------------------------------------------------------ studies

/// Body of `POST /api/v1/qra/studies`.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStudy {
    /// The installation assessed (its enterprise owns the study).
    pub installation_id: String,
    /// The site-assessment input (`weihua_qra::site::StudyInput`: grid, weather, wind rose,
    /// installations with equipment, population, protected targets, options).
    #[schema(value_type = Object)]
    pub study: Value,
}

/// English name of a GB 36894 target class.
fn class_en(class: TargetClass) -> &'static str {
    match class {
        TargetClass::HighSensitive => "high-sensitivity target",
        TargetClass::Important => "important target",
        TargetClass::General1 => "general target, class 1",
        TargetClass::General2 => "general target, class 2",
        TargetClass::General3 => "general target, class 3",
    }
}

fn region_str(r: FnRegion) -> &'static str {
    match r {
        FnRegion::Acceptable => "acceptable",
        FnRegion::Alarp => "alarp",
        FnRegion::Unacceptable => "unacceptable",
    }
}

/// The stored result: what the console and the API show (no raster).
fn study_result(input: &StudyInput, r: &StudyResult) -> Value {
    let a = &r.assessment;
    let origin = input.grid.geo_origin;
    let to_ll = |x: f64, y: f64| origin.map(|o| o.to_lon_lat([x, y]));
    // Contours with both languages' labels.
    let mut contours = a
        .geojson
        .clone()
        .unwrap_or_else(|| json!({"type": "FeatureCollection", "features": []}));
    if let Some(features) = contours["features"].as_array_mut() {
        for f in features {
            let level = f["properties"]["level_per_year"].as_f64().unwrap_or(0.0);
            let zh = f["properties"]["class_zh"]
                .as_str()
                .unwrap_or("")
                .to_owned();
            let sci = weihua_qra::report::format_sci(level);
            f["properties"]["label_zh"] = json!(format!("个人风险 {sci}/年 {zh}"));
            f["properties"]["label_en"] = json!(format!("individual risk {sci} per year"));
        }
    }
    let sources: Vec<Value> = input
        .installations
        .iter()
        .flat_map(|i| i.equipment.iter())
        .filter_map(|e| {
            let ll = to_ll(e.x_m, e.y_m)?;
            let n = r.scenarios.iter().filter(|s| s.equipment_id == e.id).count();
            Some(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": ll},
                "properties": {"name": e.name, "equipment_code": e.id, "scenarios": n, "substance": e.substance},
            }))
        })
        .collect();
    let g = &a.grid;
    let bbox = match (
        to_ll(g.origin_x_m, g.origin_y_m),
        to_ll(
            g.origin_x_m + g.cell_size_m * g.nx as f64,
            g.origin_y_m + g.cell_size_m * g.ny as f64,
        ),
    ) {
        (Some(sw), Some(ne)) => json!([sw[0], sw[1], ne[0], ne[1]]),
        _ => Value::Null,
    };
    let fnl = &input.criteria.fn_lines;
    let (n0, n1) = (1.0, 1.0e4);
    let distances: Vec<Value> = a
        .external_safety_distances
        .iter()
        .flat_map(|d| {
            d.classes.iter().map(move |c| {
                json!({
                    "installation_id": d.installation_id,
                    "class": c.class.key(),
                    "label_zh": c.class_zh,
                    "label_en": class_en(c.class),
                    "criterion_per_year": c.criterion_per_year,
                    "distance_m": c.distance.distance_m,
                    "contour_exists": c.distance.contour_exists,
                    "truncated_by_grid": c.distance.truncated_by_grid,
                })
            })
        })
        .collect();
    let targets: Vec<Value> = a
        .targets
        .iter()
        .map(|t| {
            json!({
                "name": if t.name.is_empty() { t.id.clone() } else { t.name.clone() },
                "class": t.class.key(),
                "label_zh": t.class.name_zh(),
                "label_en": class_en(t.class),
                "max_ir_per_year": t.max_ir_per_year,
                "criterion_per_year": t.criterion_per_year,
                "pass": t.pass,
            })
        })
        .collect();
    json!({
        "bbox": bbox,
        "contours": contours,
        "sources": {"type": "FeatureCollection", "features": sources},
        "fn_curve": a.fn_curve,
        "fn_criteria": {
            "unacceptable": [[n0, fnl.upper_f(n0)], [n1, fnl.upper_f(n1)]],
            "acceptable": [[n0, fnl.lower_f(n0)], [n1, fnl.lower_f(n1)]],
        },
        "fn_evaluation": a.fn_evaluation,
        "distances": distances,
        "targets": targets,
        "warnings": r.warnings,
        "scenarios": r.scenarios,
        "pll_per_year": a.pll_per_year,
        "max_ir_per_year": a.max_ir_per_year,
    })
}

/// The study as the API shows it (the stored HTML report is served on its own).
fn study_view(s: &QraStudy) -> Value {
    let mut result = s.result.clone();
    if let Some(o) = result.as_object_mut() {
        o.remove("report_html");
    }
    json!({
        "id": s.id, "enterprise_id": s.enterprise_id, "installation_id": s.installation_id,
        "name": s.name, "created_at": s.created_at, "created_by": s.created_by,
        "engine_version": s.engine_version, "summary": s.summary, "result": result,
        "input": s.input,
    })
}

/// 新建定量风险评价 — run a GB/T 37243 site assessment and store it with its HTML
/// report (audited). The study input is `weihua_qra::site::StudyInput`; an invalid input
/// is a 422 naming the field (path) at fault.
#[utoipa::path(post, path = "/api/v1/qra/studies", tag = "qra", request_body = NewStudy, responses((status = 201, body = Object), (status = 404), (status = 422)))]
pub async fn create_study(
    State(s): State<AppState>,
    Auth(p): Auth,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    p.require(Action::AssessRisk)?;
    let req: NewStudy = decode_json(&body)?;
    let installation = s
        .store
        .get_installation(&p.scope(), &req.installation_id)
        .await?;
    let input: StudyInput = serde_path_to_error::deserialize(req.study.clone()).map_err(|e| {
        let path = format!("study.{}", e.path());
        let inner = e.into_inner();
        ApiError::invalid(
            path.clone(),
            format!("评价输入 {path} 无效：{inner}"),
            format!("study input {path} is invalid: {inner}"),
        )
    })?;
    // One study at a time: a study can keep both cores busy for seconds; others queue
    // (the models and the rest of the API stay responsive).
    static RUNNING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
    let _turn = RUNNING.acquire().await.map_err(|_| ApiError::internal())?;
    let started = std::time::Instant::now();
    let run_input = input.clone();
    let outcome = tokio::task::spawn_blocking(move || assess_study(&run_input))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "QRA study task");
            ApiError::internal()
        })?;
    let result = outcome.map_err(|e| qra_error(&e))?;
    let compute_ms = started.elapsed().as_secs_f64() * 1000.0;
    let now = now_ms();
    let mut stored = study_result(&input, &result);
    let generated = crate::china_time::format(now, "%Y-%m-%d %H:%M（北京时间）");
    stored["report_html"] = json!(weihua_qra::report::html_report(&input, &result, &generated));
    let sectors = match &input.wind_rose {
        weihua_qra::risk::WindRose::Overall(v) => v.len(),
        weihua_qra::risk::WindRose::PerWeather(m) => m.values().map(Vec::len).max().unwrap_or(0),
    };
    let summary = json!({
        "max_ir_per_year": result.assessment.max_ir_per_year,
        "pll_per_year": result.assessment.pll_per_year,
        "fn_region": region_str(result.assessment.fn_evaluation.region),
        "compute_ms": compute_ms,
        "scenarios": result.scenarios.len(),
        "events": result.events,
        "weather_classes": input.weather.len(),
        "sectors": sectors,
        "warnings": result.warnings.len(),
    });
    let study = QraStudy {
        id: new_id(),
        enterprise_id: installation.enterprise_id.clone(),
        installation_id: Some(installation.id.clone()),
        name: input.name.clone(),
        input: req.study,
        summary,
        result: stored,
        engine_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_by: p.actor().username,
        created_at: now,
    };
    let mut tx = s.store.write(&p.actor()).await?;
    s.store.insert_qra_study(&mut tx, &study).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(study_view(&study))))
}

/// Query of the study list.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StudyQuery {
    pub enterprise_id: Option<String>,
    pub installation_id: Option<String>,
}

/// 定量风险评价列表 — newest first, without inputs and results.
#[utoipa::path(get, path = "/api/v1/qra/studies", tag = "qra", params(StudyQuery), responses((status = 200, body = Object)))]
pub async fn list_studies(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<StudyQuery>,
) -> ApiResult<Json<Value>> {
    p.require(Action::ReadRegistry)?;
    let items = s
        .store
        .list_qra_studies(
            &p.scope(),
            q.enterprise_id.as_deref(),
            q.installation_id.as_deref(),
        )
        .await?;
    Ok(Json(json!({ "items": items })))
}

/// 定量风险评价 — one study: input, contours (GeoJSON), F-N curve with the criterion
/// lines, external safety distances, targets.
#[utoipa::path(get, path = "/api/v1/qra/studies/{id}", tag = "qra", params(("id" = String, Path)), responses((status = 200, body = Object), (status = 404)))]
pub async fn get_study(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    p.require(Action::ReadRegistry)?;
    let study = s.store.get_qra_study(&p.scope(), &id).await?;
    Ok(Json(study_view(&study)))
}

/// 评价报告 — the study's self-contained HTML report (plots inline, prints on A4).
#[utoipa::path(get, path = "/api/v1/qra/studies/{id}/report.html", tag = "qra", params(("id" = String, Path)), responses((status = 200, content_type = "text/html", body = String), (status = 404)))]
pub async fn study_report(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    p.require(Action::ReadRegistry)?;
    let study = s.store.get_qra_study(&p.scope(), &id).await?;
    let html = study.result["report_html"]
        .as_str()
        .unwrap_or("<!doctype html><p>no report</p>")
        .to_owned();
    Ok((
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response())
}
