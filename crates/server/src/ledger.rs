//! 台账导入导出 — ledger import (XLSX or CSV, all or nothing) and export (XLSX).

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, too_large};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use weihua_core::Action;
use weihua_ledger::{ImportReport, LedgerKind};

/// Largest ledger file accepted (XLSX or CSV).
pub const MAX_LEDGER_BODY: usize = 20 * 1024 * 1024;

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// For CSV: enterprises, installations, units, equipment, points or inventories (英文或中文).
    pub kind: Option<String>,
    /// `true`: check only, write nothing.
    pub dry_run: Option<bool>,
}

/// The raw upload, with its own size limit.
pub struct Upload {
    content_type: String,
    bytes: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large(MAX_LEDGER_BODY)
            } else {
                ApiError::bad_request("无法读取上传文件", "cannot read the upload")
            }
        })?;
        Ok(Upload {
            content_type,
            bytes,
        })
    }
}

/// 导入台账 — import a ledger: an XLSX workbook (sheets 企业, 重大危险源, 单元,
/// 设备, 监测点位, 库存) or one CSV sheet (`Content-Type: text/csv`, `?kind=`).
/// All or nothing: any problem → 422 listing every bad row, and nothing is written.
#[utoipa::path(post, path = "/api/v1/ledger/import", tag = "registry", params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, description = "created rows per sheet: {\"created\":{\"points\":12,…}}"), (status = 422, description = "every bad row, with sheet, row, column and reason")))]
pub async fn import_ledger(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<ImportQuery>,
    upload: Upload,
) -> ApiResult<Json<ImportReport>> {
    if !(p.role().may(Action::EditLedger) || p.role().may(Action::ManageEnterprises)) {
        p.require(Action::EditLedger)?;
    }
    let actor = p.actor();
    let is_csv = upload.content_type.starts_with("text/csv") || q.kind.is_some();
    let result = if is_csv {
        let kind_text = q.kind.as_deref().unwrap_or("");
        let kind = LedgerKind::parse(kind_text).ok_or_else(|| {
            ApiError::bad_request(
                "CSV导入需指定 ?kind=（enterprises、installations、units、equipment、points、inventories）",
                "a CSV import needs ?kind= (enterprises, installations, units, equipment, points, inventories)",
            )
            .with_field("kind")
        })?;
        if q.dry_run == Some(true) {
            weihua_ledger::check_csv(&s.store, &actor, kind, &upload.bytes).await
        } else {
            weihua_ledger::import_csv(&s.store, &actor, kind, &upload.bytes).await
        }
    } else {
        if !(upload.content_type.is_empty()
            || upload.content_type.starts_with(XLSX_TYPE)
            || upload.content_type.starts_with("application/octet-stream"))
        {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请上传Excel（.xlsx）或CSV（text/csv）文件",
                "upload an Excel workbook (.xlsx) or a CSV file (text/csv)",
            ));
        }
        if q.dry_run == Some(true) {
            weihua_ledger::check_xlsx(&s.store, &actor, &upload.bytes).await
        } else {
            weihua_ledger::import_xlsx(&s.store, &actor, &upload.bytes).await
        }
    };
    match result {
        Ok(report) => Ok(Json(report)),
        Err(errors) => {
            let n = errors.errors.len();
            Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "ledger_invalid",
                format!("台账有{n}处错误，未导入任何数据"),
                format!("the ledger has {n} problems; nothing was imported"),
            )
            .with_details(serde_json::to_value(&errors).unwrap_or_default()))
        }
    }
}

/// 导出台账 — everything visible to the caller as one XLSX workbook.
#[utoipa::path(get, path = "/api/v1/ledger/export", tag = "registry",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub async fn export_ledger(State(s): State<AppState>, Auth(p): Auth) -> ApiResult<Response> {
    p.require(Action::ReadRegistry)?;
    let bytes = weihua_ledger::export_xlsx(&s.store, &p.scope())
        .await
        .map_err(|e| match e {
            weihua_ledger::LedgerError::Store(e) => ApiError::from(e),
            other => {
                tracing::error!(error = %other, "ledger export");
                ApiError::internal()
            }
        })?;
    let mut resp = bytes.into_response();
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(XLSX_TYPE));
    resp.headers_mut().insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"weihua-ledger.xlsx\""),
    );
    Ok(resp)
}
