//! Authentication, CSRF, rate limits, gateway tokens and bad input, through
//! the real router and a real SQLite store.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use proptest::prelude::*;
use serde_json::json;
use std::time::Duration;
use weihua_server::AuthConfig;

#[tokio::test]
async fn login_bearer_logout_revokes() {
    let app = TestApp::spawn().await;
    let r = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin_a", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, 200);
    let token = r.body["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("whs_") && token.len() > 60);
    assert!(r.body["expires_at"].as_str().unwrap().ends_with('Z'));
    let cookie = r
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let me = app.call("GET", "/api/v1/auth/me", Some(&token), None).await;
    assert_eq!(me.body["user"]["username"], "admin_a");
    assert_eq!(me.body["role"], "enterprise_admin");
    assert!(me.body["user"].get("password_hash").is_none());
    let out = app
        .call("POST", "/api/v1/auth/logout", Some(&token), None)
        .await;
    assert_eq!(out.status, 204);
    let again = app
        .call("GET", "/api/v1/installations", Some(&token), None)
        .await;
    assert_eq!(again.status, 401);
    assert_error_shape(&again);
    // Login and logout are in the audit log.
    let reg = app.login("ministry").await;
    let audit = app
        .call("GET", "/api/v1/audit?limit=1000", Some(&reg), None)
        .await;
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"login") && actions.contains(&"logout"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let app = TestApp::spawn().await;
    let a = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin_a", "password": "nope-nope-1"})),
        )
        .await;
    let b = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "ghost", "password": "nope-nope-1"})),
        )
        .await;
    assert_eq!(a.status, 401);
    assert_eq!(a.body, b.body);
    assert_error_shape(&a);
    assert_eq!(a.body["error"]["message_zh"], "用户名或密码错误");
}

#[tokio::test]
async fn no_token_or_garbage_token_is_401() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.call("GET", "/api/v1/points", None, None).await.status,
        401
    );
    assert_eq!(
        app.call("GET", "/api/v1/points", Some("whs_deadbeef"), None)
            .await
            .status,
        401
    );
    assert_eq!(
        app.call("GET", "/api/v1/points", Some(&"x".repeat(5000)), None)
            .await
            .status,
        401
    );
}

fn cookie_req(
    method: &str,
    path: &str,
    cookie: &str,
    csrf: Option<&str>,
    body: Option<serde_json::Value>,
) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, cookie);
    if let Some(c) = csrf {
        b = b.header("x-csrf-token", c);
    }
    match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_header_for_changes() {
    let app = TestApp::spawn().await;
    let r = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "safety_a", "password": PASSWORD})),
        )
        .await;
    let set = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    let cookie = set.split(';').next().unwrap().to_string();
    let csrf = r.body["csrf_token"].as_str().unwrap().to_string();
    // Reads work with the cookie alone.
    let g = app
        .send(cookie_req("GET", "/api/v1/points", &cookie, None, None))
        .await;
    assert_eq!(g.status, 200);
    let path = format!("/api/v1/installations/{}", app.a.installation.id);
    let patch = json!({"people_within_500m": 77});
    let no = app
        .send(cookie_req(
            "PATCH",
            &path,
            &cookie,
            None,
            Some(patch.clone()),
        ))
        .await;
    assert_eq!(no.status, 403);
    assert_eq!(no.body["error"]["code"], "csrf");
    let wrong = app
        .send(cookie_req(
            "PATCH",
            &path,
            &cookie,
            Some("csrf_wrong"),
            Some(patch.clone()),
        ))
        .await;
    assert_eq!(wrong.status, 403);
    let ok = app
        .send(cookie_req(
            "PATCH",
            &path,
            &cookie,
            Some(&csrf),
            Some(patch),
        ))
        .await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    assert_eq!(ok.body["people_within_500m"], 77);
}

#[tokio::test]
async fn logins_are_rate_limited_per_user_and_per_address() {
    let app = TestApp::spawn_with(AuthConfig {
        user_failures: 3,
        ip_attempts: 8,
        ..Default::default()
    })
    .await;
    for _ in 0..3 {
        let r = app
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"username": "admin_a", "password": "wrong-wrong-1"})),
            )
            .await;
        assert_eq!(r.status, 401);
    }
    // Now even the right password is refused for a while.
    let r = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin_a", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, 429);
    assert_error_shape(&r);
    assert!(r.headers.get("retry-after").is_some());
    // Another user from the same address still may, until the address limit.
    let r = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin_b", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, 200);
    let mut last = StatusCode::OK;
    for _ in 0..6 {
        last = app
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"username": "operator_a", "password": PASSWORD})),
            )
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS, "per-address limit");
}

#[tokio::test]
async fn gateway_tokens_are_scoped_revocable_and_cannot_read_the_registry() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin_a").await;
    let r = app
        .call("POST", "/api/v1/api-tokens", Some(&admin), Some(json!({"enterprise_id": app.a.enterprise.id, "name": "DCS数采网关", "purpose": "ingest"})))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let token = r.body["token"].as_str().unwrap().to_string();
    let id = r.body["api_token"]["id"].as_str().unwrap().to_string();
    assert!(token.starts_with("whk_"));
    let listed = app
        .call("GET", "/api/v1/api-tokens", Some(&admin), None)
        .await;
    assert!(
        !listed.body.to_string().contains(&token),
        "the secret is never listed"
    );
    let me = app.call("GET", "/api/v1/auth/me", Some(&token), None).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["role"], "gateway");
    assert_eq!(me.body["scope"]["id"], app.a.enterprise.id.as_str());
    let read = app
        .call("GET", "/api/v1/installations", Some(&token), None)
        .await;
    assert_eq!(read.status, 403);
    // A safety manager may not mint tokens; a bad purpose is refused.
    let sm = app.login("safety_a").await;
    let r = app
        .call(
            "POST",
            "/api/v1/api-tokens",
            Some(&sm),
            Some(json!({"enterprise_id": app.a.enterprise.id, "name": "x", "purpose": "ingest"})),
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .call(
            "POST",
            "/api/v1/api-tokens",
            Some(&admin),
            Some(json!({"enterprise_id": app.a.enterprise.id, "name": "x", "purpose": "admin"})),
        )
        .await;
    assert_eq!(r.status, 422);
    let del = app
        .call(
            "DELETE",
            &format!("/api/v1/api-tokens/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(del.status, 200);
    assert!(del.body["revoked_at"].is_i64());
    assert_eq!(
        app.call("GET", "/api/v1/auth/me", Some(&token), None)
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn creating_a_point_as_the_safety_manager() {
    let app = TestApp::spawn().await;
    let t = app.login("safety_a").await;
    let body = json!({
        "installation_id": app.a.installation.id, "equipment_id": app.a.equipment.id,
        "tag": "PT-A02", "name": "液氯储罐压力", "indicator": "pressure", "unit": "MPa",
        "range_low": 0, "range_high": 2.5, "limits": {"h": 1.2, "hh": 1.4}
    });
    let r = app
        .call("POST", "/api/v1/points", Some(&t), Some(body.clone()))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["enterprise_id"], app.a.enterprise.id.as_str());
    for k in [
        "id",
        "tag",
        "enterprise_id",
        "installation_id",
        "indicator",
        "unit",
        "limits",
    ] {
        assert!(!r.body[k].is_null(), "point lacks {k}");
    }
    let g = app
        .call("GET", "/api/v1/points/PT-A02", Some(&t), None)
        .await;
    assert_eq!(g.body["limits"]["hh"], 1.4);
    let dup = app
        .call("POST", "/api/v1/points", Some(&t), Some(body))
        .await;
    assert_eq!(dup.status, 409);
    assert_eq!(dup.body["error"]["field"], "tag");
    let p = app
        .call(
            "PATCH",
            "/api/v1/points/PT-A02",
            Some(&t),
            Some(json!({"limits": {"h": 2.0, "hh": 1.8}})),
        )
        .await;
    assert_eq!(p.status, 422);
    assert_eq!(p.body["error"]["field"], "limits");
    assert!(
        p.body["error"]["message_zh"]
            .as_str()
            .unwrap()
            .contains("高高报")
    );
}

#[tokio::test]
async fn bad_input_gets_a_clear_bilingual_4xx() {
    let app = TestApp::spawn().await;
    let t = app.login("ministry").await;
    let raw = |ct: &str, body: Vec<u8>| {
        Request::builder()
            .method("POST")
            .uri("/api/v1/enterprises")
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap()
    };
    let r = app
        .send(raw(
            "application/json",
            b"{\"name\": \"x\",\n \"credit_code\": ".to_vec(),
        ))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["error"]["code"], "malformed_json");
    assert!(
        r.body["error"]["message_en"]
            .as_str()
            .unwrap()
            .contains("line 2")
    );
    let r = app.send(raw("text/plain", b"{}".to_vec())).await;
    assert_eq!(r.status, 415);
    assert_error_shape(&r);
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let r = app.send(raw("application/json", big.into_bytes())).await;
    assert_eq!(r.status, 413);
    assert_error_shape(&r);
    let good =
        json!({"credit_code": "91350100M000100Y43", "name": "测试", "region_code": "320582"});
    let mut unknown = good.clone();
    unknown["colour"] = json!("red");
    let r = app
        .call("POST", "/api/v1/enterprises", Some(&t), Some(unknown))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["error"]["field"], "colour");
    let mut bad_code = good.clone();
    bad_code["credit_code"] = json!("91350100M000100Y44");
    let r = app
        .call("POST", "/api/v1/enterprises", Some(&t), Some(bad_code))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["error"]["field"], "credit_code");
    assert!(
        r.body["error"]["message_zh"]
            .as_str()
            .unwrap()
            .contains("校验码")
    );
    let mut bad_region = good.clone();
    bad_region["region_code"] = json!("99000");
    let r = app
        .call("POST", "/api/v1/enterprises", Some(&t), Some(bad_region))
        .await;
    assert_eq!(r.body["error"]["field"], "region_code");
    let mut wrong_type = good.clone();
    wrong_type["name"] = json!(42);
    let r = app
        .call("POST", "/api/v1/enterprises", Some(&t), Some(wrong_type))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["error"]["field"], "name");
    let r = app
        .call("GET", "/api/v1/points?limit=ten", Some(&t), None)
        .await;
    assert_eq!(r.status, 400);
    assert_error_shape(&r);
    let r = app
        .call("GET", "/api/v1/points?colour=red", Some(&t), None)
        .await;
    assert_eq!(r.status, 400);
    let r = app
        .call("GET", "/api/v1/no-such-thing", Some(&t), None)
        .await;
    assert_eq!(r.status, 404);
    assert_error_shape(&r);
    // The good one still goes in.
    let r = app
        .call("POST", "/api/v1/enterprises", Some(&t), Some(good))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
}

#[tokio::test]
async fn openapi_document_is_served() {
    let app = TestApp::spawn().await;
    let r = app.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(r.status, 200);
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/api/v1/auth/login",
        "/api/v1/installations",
        "/api/v1/points/{tag}",
    ] {
        assert!(r.body["paths"].get(p).is_some(), "{p}");
    }
    assert!(r.body["components"]["schemas"].get("Point").is_some());
    let h = app.call("GET", "/api/v1/health", None, None).await;
    assert_eq!(h.status, 200);
}

/// GET one path of the app, raw bytes and headers (the console serves
/// JavaScript, gzip and HTML, not JSON).
async fn raw(app: &TestApp, uri: &str, gzip: bool) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = Request::builder().uri(uri);
    if gzip {
        req = req.header(header::ACCEPT_ENCODING, "gzip, deflate, br");
    }
    let resp = app
        .router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, bytes)
}

#[tokio::test]
async fn the_console_is_embedded_with_history_routing_and_old_classic_links_redirect() {
    let app = TestApp::spawn().await;
    // The page answers at / and at every other non-API path (the console
    // routes by the browser's history), never cached, with its CSP.
    let (_, _, index) = raw(&app, "/", false).await;
    let index = String::from_utf8(index).unwrap();
    for path in [
        "/",
        "/alarms",
        "/points/AT-1101",
        "/login?redirect=%2Falarms",
    ] {
        let (status, h, body) = raw(&app, path, false).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(h[header::CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(h[header::CACHE_CONTROL], "no-cache");
        assert!(h.contains_key(header::CONTENT_SECURITY_POLICY));
        assert_eq!(String::from_utf8(body).unwrap(), index, "{path}");
    }
    assert!(index.contains("lang=\"zh-CN\""));
    assert!(
        !index.contains("http://") && !index.contains("https://"),
        "no CDN: everything is embedded"
    );
    // Built by npm (scripts/build-console.sh), or the placeholder that says how.
    let assets: Vec<&str> = index
        .split('"')
        .filter(|s| s.starts_with("/assets/"))
        .collect();
    if assets.is_empty() {
        assert!(index.contains("scripts/build-console.sh"), "{index}");
    }
    for asset in assets {
        let (status, h, plain) = raw(&app, asset, false).await;
        assert_eq!(status, 200, "{asset}");
        assert_eq!(
            h[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable",
            "hashed names are cached for a year"
        );
        let ct = h[header::CONTENT_TYPE].to_str().unwrap();
        assert!(
            ct.starts_with(if asset.ends_with(".css") {
                "text/css"
            } else {
                "text/javascript"
            }),
            "{asset}: {ct}"
        );
        // The precompressed twin, for clients that take gzip, is the same file.
        let (_, h, gz) = raw(&app, asset, true).await;
        if h.get(header::CONTENT_ENCODING).is_some() {
            assert_eq!(h[header::CONTENT_ENCODING], "gzip");
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
                .unwrap();
            assert_eq!(out, plain, "{asset}");
        }
        // Revalidation by ETag.
        let etag = h[header::ETAG].clone();
        let r = app
            .send(
                Request::builder()
                    .uri(asset)
                    .header(header::IF_NONE_MATCH, etag)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, 304);
    }
    // A missing asset is a 404, not the page; API paths keep the API's answer.
    assert_eq!(raw(&app, "/assets/missing-0000.js", false).await.0, 404);
    let r = app
        .send(
            Request::builder()
                .uri("/api/v1/nope")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["error"]["code"], "no_such_endpoint");
    // The earlier single-file page is gone; its address sends old bookmarks to the console.
    for old in ["/classic/", "/classic"] {
        let (status, headers, _) = raw(&app, old, false).await;
        assert_eq!(status, 308, "{old}");
        assert_eq!(headers.get("location").unwrap(), "/", "{old}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever arrives as a body, every write endpoint answers 4xx with the
    /// error shape — never a 5xx, never a panic.
    #[test]
    fn request_decoders_never_fail_open(
        body in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..200).prop_map(|v| v),
            "\\PC{0,120}".prop_map(String::into_bytes),
            (any::<i64>(), "\\PC{0,20}", any::<f64>()).prop_map(|(n, s, f)| {
                json!({"installation_id": s, "tag": s, "name": n, "indicator": s, "unit": s, "range_low": f, "range_high": n, "limits": {"h": f}}).to_string().into_bytes()
            }),
        ],
        endpoint in 0usize..6,
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let app = shared_app().await;
            let paths = ["/api/v1/points", "/api/v1/enterprises", "/api/v1/installations", "/api/v1/inventories", "/api/v1/users", "/api/v1/auth/login"];
            let token = app.1.clone();
            let req = Request::builder()
                .method("POST")
                .uri(paths[endpoint])
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap();
            let r = app.0.send(req).await;
            prop_assert!(r.status.is_client_error(), "status {} for {:?}", r.status, r.body);
            assert_error_shape(&r);
            Ok(())
        })?;
    }
}

/// One app per test thread for the property test (building one takes a while).
async fn shared_app() -> std::sync::Arc<(TestApp, String)> {
    thread_local! {
        static APP: std::cell::RefCell<Option<std::sync::Arc<(TestApp, String)>>> = const { std::cell::RefCell::new(None) };
    }
    if let Some(a) = APP.with(|a| a.borrow().clone()) {
        return a;
    }
    let app = TestApp::spawn_with(AuthConfig {
        ip_attempts: 1_000_000,
        user_failures: 1_000_000,
        ip_window: Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let token = app.login("ministry").await;
    let a = std::sync::Arc::new((app, token));
    APP.with(|slot| *slot.borrow_mut() = Some(a.clone()));
    a
}
