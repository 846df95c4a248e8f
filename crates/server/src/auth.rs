//! Authentication: login/logout, sessions (bearer token or HttpOnly cookie
//! with CSRF protection), gateway API tokens, and login rate limits.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use utoipa::ToSchema;
use weihua_core::{Action, Role, Scope};
use weihua_store::auth::{ApiToken, User};
use weihua_store::secrets::{hash_token, new_token, verify_password};
use weihua_store::{Actor, now_ms};

/// Name of the browser session cookie (HttpOnly, SameSite=Strict).
pub const SESSION_COOKIE: &str = "weihua_session";
/// Header carrying the CSRF token on state-changing requests made with the cookie.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Prefix of session tokens.
pub const SESSION_PREFIX: &str = "whs";
/// Prefix of gateway API tokens.
pub const API_TOKEN_PREFIX: &str = "whk";

/// Authentication settings. Defaults are assumptions, not regulation.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// Session lifetime (assumed: 12 hours, one shift and a half).
    pub session_ttl: Duration,
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Failed logins allowed per username inside `user_window` (assumed: 5 in 15 min).
    pub user_failures: usize,
    pub user_window: Duration,
    /// Login attempts allowed per client address inside `ip_window` (assumed: 30 a minute).
    pub ip_attempts: usize,
    pub ip_window: Duration,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            session_ttl: Duration::from_secs(12 * 3600),
            secure_cookies: false,
            user_failures: 5,
            user_window: Duration::from_secs(15 * 60),
            ip_attempts: 30,
            ip_window: Duration::from_secs(60),
        }
    }
}

/// Sliding-window counters for login attempts, per username and per address.
#[derive(Default)]
pub struct LoginLimiter {
    failures_by_user: Mutex<HashMap<String, VecDeque<Instant>>>,
    attempts_by_ip: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

fn prune(q: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
        q.pop_front();
    }
}

impl LoginLimiter {
    /// Count an attempt from `ip` and say whether it may proceed; if not,
    /// how long to wait.
    fn admit(
        &self,
        cfg: &AuthConfig,
        user: &str,
        ip: IpAddr,
        now: Instant,
    ) -> Result<(), Duration> {
        {
            let mut map = self
                .attempts_by_ip
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            let q = map.entry(ip).or_default();
            prune(q, now, cfg.ip_window);
            if q.len() >= cfg.ip_attempts {
                let wait = q
                    .front()
                    .map(|t| cfg.ip_window.saturating_sub(now.duration_since(*t)));
                return Err(wait.unwrap_or(cfg.ip_window));
            }
            q.push_back(now);
            if map.len() > 100_000 {
                map.retain(|_, q| !q.is_empty());
            }
        }
        let mut map = self
            .failures_by_user
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(q) = map.get_mut(user) {
            prune(q, now, cfg.user_window);
            if q.len() >= cfg.user_failures {
                let wait = q
                    .front()
                    .map(|t| cfg.user_window.saturating_sub(now.duration_since(*t)));
                return Err(wait.unwrap_or(cfg.user_window));
            }
        }
        Ok(())
    }

    fn failed(&self, user: &str, now: Instant) {
        let mut map = self
            .failures_by_user
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        map.entry(user.to_string()).or_default().push_back(now);
        if map.len() > 100_000 {
            map.retain(|_, q| !q.is_empty());
        }
    }

    fn succeeded(&self, user: &str) {
        let mut map = self
            .failures_by_user
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        map.remove(user);
    }
}

/// Who is calling.
#[derive(Debug, Clone)]
pub enum Principal {
    /// A person, signed in with a session.
    User {
        user: User,
        session_id: String,
        csrf_token: String,
    },
    /// A gateway or device with an API token.
    Gateway { token: ApiToken },
}

impl Principal {
    pub fn role(&self) -> Role {
        match self {
            Principal::User { user, .. } => user.role,
            Principal::Gateway { .. } => Role::Gateway,
        }
    }

    pub fn scope(&self) -> Scope {
        match self {
            Principal::User { user, .. } => user.scope.clone(),
            Principal::Gateway { token } => Scope::Enterprise(token.enterprise_id.clone()),
        }
    }

    pub fn actor(&self) -> Actor {
        match self {
            Principal::User { user, .. } => Actor {
                user_id: Some(user.id.clone()),
                username: user.username.clone(),
                role: Some(user.role),
                scope: user.scope.clone(),
            },
            Principal::Gateway { token } => Actor {
                user_id: None,
                username: format!("api-token:{}", token.id),
                role: Some(Role::Gateway),
                scope: Scope::Enterprise(token.enterprise_id.clone()),
            },
        }
    }

    /// Refuse with 403 unless the role may do `action`.
    pub fn require(&self, action: Action) -> ApiResult<()> {
        if self.role().may(action) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                format!("角色“{}”无权执行此操作", self.role().label_zh()),
                format!("the role '{}' may not do this", self.role().as_str()),
            ))
        }
    }
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The authenticated caller. Rejects with 401 when there is no valid
/// credential, and with 403 when a cookie-authenticated unsafe request lacks
/// the matching CSRF header.
pub struct Auth(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                // `Token <t>` is how InfluxDB clients and Telegraf send theirs.
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
                    .or_else(|| v.strip_prefix("Token "))
            })
            .map(|t| t.trim().to_string());
        let (token, via_cookie) = match bearer {
            Some(t) => (t, false),
            None => match cookie_value(&parts.headers, SESSION_COOKIE) {
                Some(t) => (t.to_string(), true),
                None => return Err(ApiError::unauthorized()),
            },
        };
        if token.len() > 200 {
            return Err(ApiError::unauthorized());
        }
        let hash = hash_token(&token);
        if token.starts_with(&format!("{API_TOKEN_PREFIX}_")) && !via_cookie {
            let Some(t) = state.store.api_token_by_hash(&hash).await? else {
                return Err(ApiError::unauthorized());
            };
            return Ok(Auth(Principal::Gateway { token: t }));
        }
        let Some(session) = state.store.session_by_token(&hash, now_ms()).await? else {
            return Err(ApiError::unauthorized());
        };
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if via_cookie && !safe {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            if sent != Some(session.csrf_token.as_str()) {
                return Err(ApiError::forbidden(
                    "缺少或错误的CSRF令牌（请求头 X-CSRF-Token）",
                    "missing or wrong CSRF token (header X-CSRF-Token)",
                )
                .with_code("csrf"));
            }
        }
        Ok(Auth(Principal::User {
            user: session.user,
            session_id: session.session_id,
            csrf_token: session.csrf_token,
        }))
    }
}

/// The client's address (from the connection), for rate limiting.
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        Ok(ClientIp(ip))
    }
}

/// Login request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// Login answer: the bearer token, when it expires, the CSRF token for
/// cookie-based calls, and who signed in.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    pub token: String,
    /// RFC 3339, UTC.
    pub expires_at: String,
    pub csrf_token: String,
    pub user: User,
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn session_cookie(state: &AppState, token: &str, max_age: u64) -> HeaderValue {
    let secure = if state.auth.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let v = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    );
    HeaderValue::from_str(&v)
        .unwrap_or_else(|_| HeaderValue::from_static("weihua_session=; Path=/; Max-Age=0"))
}

/// A fixed argon2id hash used when the user does not exist, so that a wrong
/// username takes as long as a wrong password.
static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// 登录 — sign in with username and password.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, description = "wrong username or password"), (status = 429, description = "too many attempts")))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let now = Instant::now();
    let username = req.username.trim().to_string();
    if username.is_empty() || username.len() > 64 || req.password.len() > 1024 {
        return Err(ApiError::bad_request(
            "用户名或密码格式错误",
            "malformed username or password",
        ));
    }
    if let Err(wait) = state.limiter.admit(&state.auth, &username, ip, now) {
        let secs = wait.as_secs().max(1);
        let mut resp = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("登录尝试过多，请{secs}秒后再试"),
            format!("too many login attempts; try again in {secs} s"),
        )
        .into_response();
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            resp.headers_mut().insert("retry-after", v);
        }
        return Ok(resp);
    }
    let creds = state.store.user_credentials(&username).await?;
    let password = req.password.clone();
    let stored = creds.as_ref().map(|c| c.password_hash.clone());
    // argon2 is CPU-heavy: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || match stored {
        Some(h) => verify_password(&password, &h),
        None => {
            let dummy = DUMMY_HASH
                .get_or_init(|| weihua_store::secrets::hash_password("x").unwrap_or_default());
            let _ = verify_password(&password, dummy);
            false
        }
    })
    .await
    .unwrap_or(false);
    let creds = match creds {
        Some(c) if ok && !c.user.disabled => c,
        _ => {
            state.limiter.failed(&username, now);
            tracing::info!(%username, %ip, "login failed");
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "用户名或密码错误",
                "wrong username or password",
            ));
        }
    };
    state.limiter.succeeded(&username);
    let token = new_token(SESSION_PREFIX);
    let csrf = new_token("csrf");
    let ttl_ms = state.auth.session_ttl.as_millis() as i64;
    let expires_at = now_ms() + ttl_ms;
    let actor = Actor {
        user_id: Some(creds.user.id.clone()),
        username: creds.user.username.clone(),
        role: Some(creds.user.role),
        scope: creds.user.scope.clone(),
    };
    let mut tx = state.store.write(&actor).await?;
    state
        .store
        .create_session(&mut tx, &creds.user, &hash_token(&token), &csrf, expires_at)
        .await?;
    tx.commit().await?;
    let body = LoginResponse {
        token: token.clone(),
        expires_at: rfc3339(expires_at),
        csrf_token: csrf,
        user: creds.user,
    };
    let mut resp = axum::Json(body).into_response();
    resp.headers_mut().insert(
        SET_COOKIE,
        session_cookie(&state, &token, state.auth.session_ttl.as_secs()),
    );
    Ok(resp)
}

/// 退出 — sign out: the session token stops working at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<Response> {
    match &p {
        Principal::User { session_id, .. } => {
            let mut tx = state.store.write(&p.actor()).await?;
            state.store.revoke_session(&mut tx, session_id).await?;
            tx.commit().await?;
        }
        Principal::Gateway { .. } => {
            return Err(ApiError::bad_request(
                "接入令牌不能退出，请由企业管理员吊销",
                "an API token cannot log out; an enterprise admin revokes it",
            ));
        }
    }
    let mut resp = StatusCode::NO_CONTENT.into_response();
    resp.headers_mut()
        .insert(SET_COOKIE, session_cookie(&state, "", 0));
    Ok(resp)
}

/// Who am I.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub kind: String,
    pub role: Role,
    pub role_zh: String,
    pub scope: Scope,
    pub user: Option<User>,
    pub api_token: Option<ApiToken>,
    /// For cookie sessions: send this in X-CSRF-Token on POST/PATCH/DELETE.
    pub csrf_token: Option<String>,
}

/// 当前用户 — the caller's identity, role and scope.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", responses((status = 200, body = Me)))]
pub async fn me(Auth(p): Auth) -> axum::Json<Me> {
    let role = p.role();
    axum::Json(match p {
        Principal::User {
            user, csrf_token, ..
        } => Me {
            kind: "user".into(),
            role,
            role_zh: role.label_zh().into(),
            scope: user.scope.clone(),
            user: Some(user),
            api_token: None,
            csrf_token: Some(csrf_token),
        },
        Principal::Gateway { token } => Me {
            kind: "api_token".into(),
            role,
            role_zh: role.label_zh().into(),
            scope: Scope::Enterprise(token.enterprise_id.clone()),
            user: None,
            api_token: Some(token),
            csrf_token: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_blocks_after_failures_and_recovers() {
        let cfg = AuthConfig {
            user_failures: 3,
            user_window: Duration::from_secs(60),
            ..Default::default()
        };
        let l = LoginLimiter::default();
        let ip = IpAddr::from([10, 0, 0, 1]);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(l.admit(&cfg, "u", ip, t0).is_ok());
            l.failed("u", t0);
        }
        assert!(l.admit(&cfg, "u", ip, t0).is_err());
        assert!(l.admit(&cfg, "other", ip, t0).is_ok(), "per user");
        assert!(
            l.admit(&cfg, "u", ip, t0 + Duration::from_secs(61)).is_ok(),
            "window passes"
        );
    }

    #[test]
    fn limiter_counts_attempts_per_address() {
        let cfg = AuthConfig {
            ip_attempts: 2,
            ..Default::default()
        };
        let l = LoginLimiter::default();
        let t0 = Instant::now();
        let a = IpAddr::from([10, 0, 0, 1]);
        assert!(l.admit(&cfg, "x", a, t0).is_ok());
        assert!(l.admit(&cfg, "y", a, t0).is_ok());
        assert!(l.admit(&cfg, "z", a, t0).is_err());
        assert!(l.admit(&cfg, "z", IpAddr::from([10, 0, 0, 2]), t0).is_ok());
    }

    #[test]
    fn cookies_are_parsed() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=1; weihua_session=whs_abc; b=2"),
        );
        assert_eq!(cookie_value(&h, SESSION_COOKIE), Some("whs_abc"));
        assert_eq!(cookie_value(&h, "c"), None);
    }
}
