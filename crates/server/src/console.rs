//! The built-in browser console. Assets are embedded in the binary (plants are
//! offline: no CDN). This is the registry view; the full console with
//! ECharts arrives with the console issue.

use crate::AppState;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

static INDEX_HTML: &str = include_str!("../console/index.html");

async fn index() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        INDEX_HTML,
    )
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(index))
}
