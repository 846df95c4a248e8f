//! Telemetry through the real router: InfluxDB line protocol and JSON ingest
//! with per-line errors, gzip, token scoping, and the chart queries.

mod common;

use common::*;
use serde_json::json;
use std::io::Write;

fn now_ms() -> i64 {
    weihua_store::now_ms()
}

#[tokio::test]
async fn line_protocol_good_lines_are_stored_and_bad_lines_named() {
    let app = TestApp::spawn_telemetry().await;
    let token = app.ingest_token("admin_a", &app.a.enterprise.id).await;
    let auth = format!("Token {token}");
    let t0 = now_ms() - 10_000;
    // Lines 1 and 4 are good; 2 has no value; 3 is B's tag (another enterprise); 5 is NaN.
    let body = format!(
        "dcs,point=LT-A01 value=41.5 {t0}\n\
         dcs,point=LT-A01 temp=3 {t1}\n\
         dcs,point=LT-B01 value=12 {t1}\n\
         dcs,point=LT-A01 value=42.25,quality=0i {t2}\n\
         dcs,point=LT-A01 value=NaN {t3}\n",
        t1 = t0 + 1000,
        t2 = t0 + 2000,
        t3 = t0 + 3000
    );
    let r = app
        .post_raw(
            "/api/v2/write?org=e&bucket=b&precision=ms",
            &[("authorization", &auth)],
            body.into_bytes(),
        )
        .await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    let d = &r.body["error"]["details"];
    assert_eq!(d["accepted"], 2);
    assert_eq!(d["rejected"], 3);
    let lines: Vec<i64> = d["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![2, 3, 5]);
    assert!(
        d["errors"][1]["reason_en"]
            .as_str()
            .unwrap()
            .contains("LT-B01")
    );
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("partial write"),
        "Influx clients print `message`"
    );
    // The good lines are queryable, in order.
    let user = app.login("operator_a").await;
    let q = app
        .call(
            "GET",
            &format!(
                "/api/v1/points/LT-A01/samples?from={}&to={}",
                t0 - 1,
                t0 + 5000
            ),
            Some(&user),
            None,
        )
        .await;
    assert_eq!(q.status, 200, "{:?}", q.body);
    assert_eq!(q.body["samples"], json!([[t0, 41.5], [t0 + 2000, 42.25]]));
    // An all-good body is a plain 204.
    let ok = app
        .post_raw(
            "/api/v2/write?precision=ms",
            &[("authorization", &auth)],
            format!("m,point=LT-A01 value=43 {}\n", t0 + 4000).into_bytes(),
        )
        .await;
    assert_eq!(ok.status, 204);
}

#[tokio::test]
async fn gzip_and_nanosecond_default_precision() {
    let app = TestApp::spawn_telemetry().await;
    let token = app.ingest_token("admin_a", &app.a.enterprise.id).await;
    let ts = now_ms() - 5_000;
    let body = format!("m,point=LT-A01 value=7.5 {}\n", ts as i128 * 1_000_000);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body.as_bytes()).unwrap();
    let r = app
        .post_raw(
            "/api/v2/write?org=x&bucket=y",
            &[
                ("authorization", &format!("Token {token}")),
                ("content-encoding", "gzip"),
            ],
            gz.finish().unwrap(),
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    let user = app.login("admin_a").await;
    let latest = app
        .call("GET", "/api/v1/samples/latest", Some(&user), None)
        .await;
    let item = latest
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["tag"] == "LT-A01")
        .unwrap()
        .clone();
    assert_eq!(item["value"], 7.5);
    assert_eq!(item["ts_ms"], ts);
    let bad = app
        .post_raw(
            "/api/v2/write",
            &[
                ("authorization", &format!("Token {token}")),
                ("content-encoding", "gzip"),
            ],
            b"not gzip".to_vec(),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_error_shape(&bad);
}

#[tokio::test]
async fn only_gateway_tokens_write_and_only_their_enterprise() {
    let app = TestApp::spawn_telemetry().await;
    let user = app.login("admin_a").await;
    let r = app
        .post_raw(
            "/api/v2/write?precision=ms",
            &[("authorization", &format!("Bearer {user}"))],
            b"m,point=LT-A01 value=1\n".to_vec(),
        )
        .await;
    assert_eq!(r.status, 403, "people do not write telemetry");
    let r = app
        .post_raw("/api/v2/write", &[], b"m,point=LT-A01 value=1\n".to_vec())
        .await;
    assert_eq!(r.status, 401);
    // B's token cannot write A's tag: it is simply unknown in B's enterprise.
    let tb = app.ingest_token("admin_b", &app.b.enterprise.id).await;
    let r = app
        .post_raw(
            "/api/v2/write?precision=ms",
            &[("authorization", &format!("Token {tb}"))],
            format!("m,point=LT-A01 value=1 {}\n", now_ms()).into_bytes(),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["error"]["details"]["accepted"], 0);
    // And B's people cannot read A's samples.
    let ub = app.login("admin_b").await;
    let q = app
        .call("GET", "/api/v1/points/LT-A01/samples", Some(&ub), None)
        .await;
    assert_eq!(q.status, 404);
    let latest = app
        .call("GET", "/api/v1/samples/latest", Some(&ub), None)
        .await;
    assert!(
        latest
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["enterprise_id"] == app.b.enterprise.id.as_str())
    );
}

#[tokio::test]
async fn json_samples_and_buckets_for_charts() {
    let app = TestApp::spawn_telemetry().await;
    let token = app.ingest_token("admin_a", &app.a.enterprise.id).await;
    let t0 = now_ms() - 100_000;
    let mut items: Vec<serde_json::Value> = (0..100)
        .map(|i| json!({"point": "LT-A01", "ts": t0 + i * 1000, "value": i as f64}))
        .collect();
    items.push(json!({"point": "LT-A01", "ts": "not a time", "value": 1}));
    let r = app
        .post_raw(
            "/api/v1/samples",
            &[
                ("authorization", &format!("Bearer {token}")),
                ("content-type", "application/json"),
            ],
            serde_json::to_vec(&items).unwrap(),
        )
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(r.body["accepted"], 100);
    assert_eq!(r.body["errors"][0]["line"], 101);
    let user = app.login("city_a").await;
    let q = app
        .call(
            "GET",
            &format!(
                "/api/v1/points/LT-A01/samples?from={t0}&to={}&buckets=10",
                t0 + 99_999
            ),
            Some(&user),
            None,
        )
        .await;
    assert_eq!(q.status, 200, "{:?}", q.body);
    let b = q.body["buckets"].as_array().unwrap();
    assert_eq!(b.len(), 10);
    assert_eq!(b[0]["min"], 0.0);
    assert_eq!(b[0]["max"], 9.0);
    assert_eq!(b[0]["avg"], 4.5);
    assert_eq!(b[9]["last"], 99.0);
    let bad = app
        .call(
            "GET",
            "/api/v1/points/LT-A01/samples?from=yesterday",
            Some(&user),
            None,
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.body["error"]["field"], "from");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overload_answers_503_with_retry_after_and_loses_nothing_acknowledged() {
    // A write-ahead queue of 64 KiB: concurrent 2,000-line bodies overflow it.
    let config = weihua_historian::HistorianConfig {
        max_pending_bytes: 64 * 1024,
        max_batch_bytes: 64 * 1024,
        ..Default::default()
    };
    let app = std::sync::Arc::new(TestApp::spawn_telemetry_with(config).await);
    let token = app.ingest_token("admin_a", &app.a.enterprise.id).await;
    let t0 = now_ms() - 3_600_000;
    let mut handles = Vec::new();
    for w in 0..64i64 {
        let (app, token) = (app.clone(), token.clone());
        handles.push(tokio::spawn(async move {
            let body: String = (0..2000)
                .map(|i| format!("m,point=LT-A01 value=1 {}\n", t0 + w * 2000 + i))
                .collect();
            let r = app
                .post_raw(
                    "/api/v2/write?precision=ms",
                    &[("authorization", &format!("Token {token}"))],
                    body.into_bytes(),
                )
                .await;
            (w, r.status.as_u16(), r.headers.get("retry-after").is_some())
        }));
    }
    let mut acked = Vec::new();
    let mut refused = 0;
    for h in handles {
        let (w, status, retry_after) = h.await.unwrap();
        match status {
            204 => acked.push(w),
            503 => {
                assert!(retry_after, "503 carries Retry-After");
                refused += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(refused > 0, "the small queue must refuse some batches");
    assert!(!acked.is_empty(), "and accept others");
    let user = app.login("admin_a").await;
    let q = app
        .call(
            "GET",
            &format!(
                "/api/v1/points/LT-A01/samples?from={t0}&to={}",
                t0 + 130_000
            ),
            Some(&user),
            None,
        )
        .await;
    let have: std::collections::HashSet<i64> = q.body["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[0].as_i64().unwrap())
        .collect();
    for w in acked {
        assert!(
            (0..2000).all(|i| have.contains(&(t0 + w * 2000 + i))),
            "batch {w} was acknowledged but is incomplete"
        );
    }
}

#[tokio::test]
async fn oversize_ingest_bodies_get_a_bilingual_413() {
    let app = TestApp::spawn_telemetry().await;
    let token = app.ingest_token("admin_a", &app.a.enterprise.id).await;
    let big = vec![b'#'; weihua_server::telemetry::MAX_INGEST_BODY + 10];
    let r = app
        .post_raw(
            "/api/v2/write",
            &[("authorization", &format!("Token {token}"))],
            big,
        )
        .await;
    assert_eq!(r.status, 413);
    assert_error_shape(&r);
}
