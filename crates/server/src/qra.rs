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
use serde_json::Value;
use utoipa::ToSchema;
use weihua_core::Action;
use weihua_qra::QraError;

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::decode_json;

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
