//! The one error shape of the API:
//! `{ "error": { "code", "message_zh", "message_en", "field"? } }`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use weihua_store::StoreError;

/// An API error: an HTTP status and a bilingual message (boxed: errors are
/// the cold path, and a small `Result` keeps the hot path lean).
#[derive(Debug, Clone)]
pub struct ApiError(Box<ApiErrorBody>);

/// The parts of an [`ApiError`].
#[derive(Debug, Clone)]
pub struct ApiErrorBody {
    pub status: StatusCode,
    pub code: &'static str,
    pub message_zh: String,
    pub message_en: String,
    pub field: Option<String>,
    /// Extra detail (e.g. the row errors of a ledger import).
    pub details: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message_zh: &'a str,
    message_en: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a serde_json::Value>,
}

impl std::ops::Deref for ApiError {
    type Target = ApiErrorBody;
    fn deref(&self) -> &ApiErrorBody {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ApiErrorBody {
        &mut self.0
    }
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self(Box::new(ApiErrorBody {
            status,
            code,
            message_zh: zh.into(),
            message_en: en.into(),
            field: None,
            details: None,
        }))
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    /// 422 `invalid`: the body decoded but `field` breaks a rule.
    pub fn invalid(field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", zh, en).with_field(field)
    }

    pub fn bad_request(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", zh, en)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "未登录或登录已失效，请重新登录",
            "not signed in, or the session has ended; sign in again",
        )
    }

    pub fn forbidden(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
    }

    pub fn not_found(entity: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("未找到{}", entity_zh(entity)),
            format!("{entity} not found"),
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，已记录日志",
            "internal server error; it has been logged",
        )
    }
}

fn entity_zh(entity: &str) -> &'static str {
    match entity {
        "region" => "行政区划",
        "park" => "化工园区",
        "enterprise" => "企业",
        "installation" => "重大危险源",
        "unit" => "单元",
        "equipment" => "设备",
        "point" => "监测点位",
        "chemical" => "化学品",
        "inventory" => "库存记录",
        "user" => "用户",
        "api_token" => "接入令牌",
        "scope" => "权限范围",
        _ => "对象",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Inner {
                code: self.code,
                message_zh: &self.message_zh,
                message_en: &self.message_en,
                field: self.field.as_deref(),
                details: self.details.as_ref(),
            },
        };
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { entity } => ApiError::not_found(entity),
            StoreError::Conflict { field, zh, en } => {
                ApiError::new(StatusCode::CONFLICT, "conflict", zh, en).with_field(field)
            }
            StoreError::Invalid { field, zh, en } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                format!("字段“{field}”：{zh}"),
                format!("field '{field}': {en}"),
            )
            .with_field(field),
            other => {
                tracing::error!(error = %other, "store error");
                ApiError::internal()
            }
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
