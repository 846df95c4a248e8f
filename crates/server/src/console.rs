//! The built-in browser console, embedded in the binary (plants are offline:
//! no CDN).
//!
//! - `/` and every other non-API `GET` path: the single-page console built by
//!   npm from `web/console` (`scripts/build-console.sh`) into
//!   `web/console/dist`, embedded with `rust-embed`. Its router uses browser
//!   history, so every unknown path answers `index.html` (`no-cache`, with an
//!   `ETag`), and the page routes itself.
//! - `/assets/*`: the built bundle. File names carry a content hash, so they
//!   are cached for a year; a `.gz` twin written at build time is sent to
//!   clients that accept gzip.
//! - `/classic/`: where the earlier single-file page was; it now redirects
//!   to `/` (the new console covers all of it, registry included).
//!
//! Without npm, `build.rs` leaves a bilingual placeholder `index.html` in
//! `dist`, so the binary builds and says how to build the console.

use std::borrow::Cow;

use crate::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../../web/console/dist"]
struct Dist;

// Element Plus and ECharts set inline styles; scripts come only from /assets.
const CONSOLE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Content type by extension (only what a Vite build emits).
fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| {
            let mut parts = e.trim().split(';');
            parts.next().is_some_and(|n| n.trim() == "gzip")
                && !parts.any(|q| q.trim().replace(' ', "") == "q=0")
        })
}

/// One embedded file as a response: content type, cache policy, `ETag`
/// (304 on a match), and the precompressed twin when the client takes gzip.
fn file(path: &str, cache: &'static str, req: &HeaderMap, method: &Method) -> Option<Response> {
    let plain = Dist::get(path)?;
    let etag = format!("\"{}\"", hex::encode(&plain.metadata.sha256_hash()[..16]));
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    if path.ends_with(".html") {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONSOLE_CSP),
        );
    }
    let matches = req
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == etag || t.trim() == "*");
    if matches {
        return Some((StatusCode::NOT_MODIFIED, headers).into_response());
    }
    let gz = if accepts_gzip(req) {
        Dist::get(&format!("{path}.gz"))
    } else {
        None
    };
    let data: Cow<'static, [u8]> = match gz {
        Some(gz) => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            gz.data
        }
        None => plain.data,
    };
    if method == Method::HEAD {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(data.len()));
        return Some((headers, ()).into_response());
    }
    Some((headers, data.into_owned()).into_response())
}

async fn asset(Path(path): Path<String>, method: Method, headers: HeaderMap) -> Response {
    file(&format!("assets/{path}"), IMMUTABLE, &headers, &method)
        .unwrap_or_else(|| StatusCode::NOT_FOUND.into_response())
}

/// Every other path: a top-level file of the build (favicon …) or the page
/// itself, which routes by the path (browser history).
async fn page(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let path = uri.path().trim_start_matches('/');
    if path == "api" || path.starts_with("api/") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let own = !path.is_empty() && !path.contains('/') && path != "index.html";
    own.then(|| file(path, "no-cache", &headers, &method))
        .flatten()
        .or_else(|| file("index.html", "no-cache", &headers, &method))
        .unwrap_or_else(|| StatusCode::NOT_FOUND.into_response())
}

pub fn routes() -> Router<AppState> {
    Router::new()
        // Old bookmarks of the earlier page land on the console.
        .route("/classic/", get(|| async { Redirect::permanent("/") }))
        .route("/classic", get(|| async { Redirect::permanent("/") }))
        .route("/assets/{*path}", get(asset))
        .fallback(page)
}
