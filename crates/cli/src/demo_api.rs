//! The demo's seeding talks to weihua through its own router, as a user would
//! (so every rule judges every step): sign in, then call the API.

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};
use tower::ServiceExt;

/// A signed-in demo user.
pub struct Api {
    router: Router,
    token: String,
}

impl Api {
    /// Sign in as `user` with its password from the demo credentials.
    pub async fn login(
        router: &Router,
        creds: &weihua_demo::DemoCredentials,
        user: &str,
    ) -> Result<Self> {
        let password = creds
            .users
            .iter()
            .find(|u| u.username == user)
            .map(|u| u.password.clone())
            .with_context(|| format!("no demo user {user}"))?;
        let req = Request::builder()
            .method("POST")
            .uri("/api/v1/auth/login")
            .header("content-type", "application/json")
            .body(Body::from(
                json!({"username": user, "password": password}).to_string(),
            ))?;
        let resp = router.clone().oneshot(req).await?;
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await?;
        let v: Value = serde_json::from_slice(&bytes)?;
        let token = v["token"]
            .as_str()
            .with_context(|| format!("demo login {user}: {v}"))?;
        Ok(Self {
            router: router.clone(),
            token: token.to_string(),
        })
    }

    /// The status and JSON body of a request.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value)> {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {}", self.token));
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req.body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))?;
        let resp = self.router.clone().oneshot(req).await?;
        let status = resp.status().as_u16();
        let bytes = axum::body::to_bytes(resp.into_body(), 8 << 20).await?;
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ))
    }

    /// The JSON body of a request that must succeed.
    pub async fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let (status, v) = self.request(method, path, body).await?;
        if !(200..300).contains(&status) {
            bail!("{method} {path}: HTTP {status}: {v}");
        }
        Ok(v)
    }
}
