//! Request decoders with bilingual errors. Every JSON body and query string
//! of the API goes through these; they never panic and always name what was
//! wrong (line and column for malformed JSON, the field path otherwise).

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// Largest JSON body accepted by the API (ledger uploads have their own limit).
pub const MAX_JSON_BODY: usize = 1024 * 1024;

/// A JSON body decoded into `T` (which should `deny_unknown_fields`).
pub struct ApiJson<T>(pub T);

/// Decode JSON bytes into `T`, turning every failure into a 400/422 that
/// says where and why. Public so property tests can drive it directly.
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => v,
        Err(e) => return Err(json_error(e)),
    };
    if let Err(e) = de.end() {
        return Err(ApiError::bad_request(
            format!(
                "JSON格式错误：第{}行第{}列之后有多余内容",
                e.line(),
                e.column()
            ),
            format!(
                "malformed JSON: trailing characters at line {} column {}",
                e.line(),
                e.column()
            ),
        )
        .with_code("malformed_json"));
    }
    Ok(value)
}

fn json_error(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    use serde_json::error::Category;
    match inner.classify() {
        Category::Syntax | Category::Eof | Category::Io => ApiError::bad_request(
            format!("JSON格式错误：第{}行第{}列", inner.line(), inner.column()),
            format!(
                "malformed JSON at line {} column {}: {}",
                inner.line(),
                inner.column(),
                strip_position(&inner.to_string())
            ),
        )
        .with_code("malformed_json"),
        Category::Data => {
            let msg = strip_position(&inner.to_string());
            let (field, zh, en) = describe_data_error(&path, &msg);
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", zh, en).with_field(field)
        }
    }
}

/// serde_json appends " at line L column C"; keep the message itself.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

fn between_backticks(msg: &str) -> Option<&str> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len])
}

fn describe_data_error(path: &str, msg: &str) -> (String, String, String) {
    let at = |f: &str| {
        if path == "." || path.is_empty() {
            f.to_string()
        } else if f.is_empty() {
            path.to_string()
        } else {
            format!("{path}.{f}")
        }
    };
    if msg.starts_with("unknown field") {
        let f = between_backticks(msg).unwrap_or("?");
        let field = if path.ends_with(f) {
            path.to_string()
        } else {
            at(f)
        };
        return (
            field.clone(),
            format!("不允许的字段“{field}”"),
            format!("unknown field '{field}'; {msg}"),
        );
    }
    if msg.starts_with("missing field") {
        let f = between_backticks(msg).unwrap_or("?");
        let field = at(f);
        return (
            field.clone(),
            format!("缺少必填字段“{field}”"),
            format!("missing required field '{field}'"),
        );
    }
    let field = at("");
    // Our validated codes put "中文 / English" in their message.
    if let Some((zh, en)) = msg.split_once(" / ") {
        return (
            field.clone(),
            format!("字段“{field}”：{zh}"),
            format!("field '{field}': {en}"),
        );
    }
    let zh = if msg.starts_with("invalid type") {
        format!("字段“{field}”的类型错误：{msg}")
    } else if msg.starts_with("unknown variant") {
        format!("字段“{field}”的取值不在允许范围内：{msg}")
    } else {
        format!("字段“{field}”的值无效：{msg}")
    };
    (field.clone(), zh, format!("field '{field}': {msg}"))
}

impl ApiError {
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                let ct = ct.trim().to_ascii_lowercase();
                ct.starts_with("application/json")
                    || ct.starts_with("application/") && ct.contains("+json")
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请求体应为JSON（Content-Type: application/json）",
                "the body must be JSON (Content-Type: application/json)",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large(MAX_JSON_BODY)
            } else {
                ApiError::bad_request(
                    format!("无法读取请求体：{}", rej.body_text()),
                    format!("cannot read the body: {}", rej.body_text()),
                )
            }
        })?;
        decode_json(&bytes).map(ApiJson)
    }
}

pub fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("请求体过大，上限为{}KiB", limit / 1024),
        format!("the body is too large; the limit is {} KiB", limit / 1024),
    )
}

/// A query string decoded into `T`, with a bilingual error.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(rej) => {
                let text = rej.body_text();
                let text = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text)
                    .to_string();
                Err(ApiError::bad_request(
                    format!("查询参数无效：{text}"),
                    format!("invalid query parameters: {text}"),
                )
                .with_code("invalid_query"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Probe {
        name: String,
        n: i64,
        code: weihua_core::CreditCode,
        #[serde(default)]
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        x: f64,
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let e = decode_json::<Probe>(b"{\n  \"name\": \"a\",\n  oops }").unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert!(e.message_en.contains("line 3"), "{}", e.message_en);
        assert!(e.message_zh.contains("第3行"));
    }

    #[test]
    fn unknown_fields_are_named() {
        let e = decode_json::<Probe>(
            br#"{"name":"a","n":1,"code":"91350100M000100Y43","inner":{"x":1,"y":2}}"#,
        )
        .unwrap_err();
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.field.as_deref(), Some("inner.y"));
        assert!(e.message_zh.contains("不允许的字段"));
    }

    #[test]
    fn missing_and_wrong_types_and_codes() {
        let e = decode_json::<Probe>(br#"{"name":"a","code":"91350100M000100Y43"}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("n"));
        assert!(e.message_en.contains("missing required field 'n'"));
        let e = decode_json::<Probe>(br#"{"name":"a","n":"one","code":"91350100M000100Y43"}"#)
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("n"));
        assert!(e.message_zh.contains("类型错误"));
        let e =
            decode_json::<Probe>(br#"{"name":"a","n":1,"code":"91350100M000100Y44"}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("code"));
        assert!(e.message_zh.contains("校验码"), "{}", e.message_zh);
        assert!(e.message_en.contains("check character"), "{}", e.message_en);
        assert!(
            !e.message_en.contains("校验码"),
            "English message stays English"
        );
    }

    #[test]
    fn trailing_garbage_is_refused() {
        let e = decode_json::<Inner>(br#"{"x":1} {"#).unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
    }
}
