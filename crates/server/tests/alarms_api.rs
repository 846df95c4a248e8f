//! The alarm service through the API: GB/T 50493 gas alarms from ingested
//! samples, the ISA-18.2 commands (audited with who and why), the live stream
//! (scoped, resuming without loss), restart in the middle of an on-delay,
//! data interruption, settings, and notifications to a webhook.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use common::*;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use weihua_historian::Sample;
use weihua_server::alarms::{self, AlarmServiceConfig};
use weihua_store::now_ms;

/// Creates a flammable gas detector (25 / 50 %LEL) on a side's installation.
async fn gas_point(app: &TestApp, admin: &str, side: &Side, tag: &str) -> Value {
    let t = app.login(admin).await;
    let r = app
        .call(
            "POST",
            "/api/v1/points",
            Some(&t),
            Some(json!({
                "installation_id": side.installation.id,
                "tag": tag,
                "name": "可燃气体浓度（甲醇）",
                "indicator": "flammable_gas",
                "unit": "%LEL",
                "range_low": 0.0,
                "range_high": 100.0,
                "limits": {"h": 25.0, "hh": 50.0}
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body
}

/// Writes `tag value=v` samples at the given instants through the gateway route.
async fn write(app: &TestApp, token: &str, tag: &str, samples: &[(i64, f64)]) {
    let body: String = samples
        .iter()
        .map(|(ts, v)| format!("m,point={tag} value={v} {ts}\n"))
        .collect();
    let r = app
        .post_raw(
            "/api/v2/write?precision=ms",
            &[("authorization", &format!("Token {token}"))],
            body.into_bytes(),
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
}

async fn barrier(app: &TestApp) {
    app.state.alarms.as_ref().unwrap().barrier().await.unwrap();
}

fn active<'a>(alarms: &'a Value, id: &str) -> Option<&'a Value> {
    alarms.as_array()?.iter().find(|a| a["id"] == id)
}

#[tokio::test]
async fn gb50493_5_5_2_a_gas_leak_raises_alarm_1_then_alarm_2_and_raises_the_risk_level() {
    let app = TestApp::spawn_telemetry().await;
    let point = gas_point(&app, "admin_a", &app.a, "GT-A01").await;
    let pid = point["id"].as_str().unwrap();
    let token = app.ingest_token("admin_a", &app.a.enterprise.id).await;
    let t = app.login("safety_a").await;
    let before = app
        .call(
            "GET",
            &format!("/api/v1/installations/{}/risk", app.a.installation.id),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(before.status, 200, "{:?}", before.body);
    let score0 = before.body["score"].as_f64().unwrap();

    let t0 = now_ms() - 60_000;
    // 24 %LEL: nothing. 32 %LEL for 1 s: still inside the 2 s on-delay.
    write(
        &app,
        &token,
        "GT-A01",
        &[(t0, 24.0), (t0 + 1000, 32.0), (t0 + 2000, 32.0)],
    )
    .await;
    barrier(&app).await;
    let r = app
        .call("GET", "/api/v1/alarms?active=true", Some(&t), None)
        .await;
    assert!(
        active(&r.body, &format!("{pid}:limit:H")).is_none(),
        "{:?}",
        r.body
    );
    // Held 2 s: alarm 1 (一级报警).
    write(&app, &token, "GT-A01", &[(t0 + 3000, 32.0)]).await;
    barrier(&app).await;
    let r = app
        .call("GET", "/api/v1/alarms?active=true", Some(&t), None)
        .await;
    let a1 = active(&r.body, &format!("{pid}:limit:H")).expect("alarm 1 raised");
    assert_eq!(a1["point"], "GT-A01");
    assert_eq!(a1["limit"], "H");
    assert_eq!(a1["kind"], "limit");
    assert_eq!(a1["priority"], "high");
    assert_eq!(a1["state"], "unacknowledged");
    assert_eq!(a1["value"], 32.0);
    assert_eq!(a1["raised_at"], t0 + 3000);
    assert_eq!(a1["enterprise"], app.a.enterprise.id.as_str());
    assert_eq!(a1["installation"], app.a.installation.id.as_str());
    let risk1 = app
        .call(
            "GET",
            &format!("/api/v1/installations/{}/risk", app.a.installation.id),
            Some(&t),
            None,
        )
        .await;
    let reasons = risk1.body["reasons"].to_string();
    assert!(
        reasons.contains("一级报警") && reasons.contains("GT-A01") && reasons.contains("32 %LEL"),
        "{reasons}"
    );
    assert!(risk1.body["score"].as_f64().unwrap() > score0);

    // 55 %LEL held: alarm 2 (二级报警), emergency priority.
    write(
        &app,
        &token,
        "GT-A01",
        &[(t0 + 4000, 55.0), (t0 + 5000, 56.0), (t0 + 6000, 57.0)],
    )
    .await;
    barrier(&app).await;
    let r = app
        .call("GET", "/api/v1/alarms?active=true", Some(&t), None)
        .await;
    let a2 = active(&r.body, &format!("{pid}:limit:HH")).expect("alarm 2 raised");
    assert_eq!(a2["priority"], "emergency");
    assert_eq!(r.body[0]["id"], a2["id"], "most urgent first");
    let risk2 = app
        .call(
            "GET",
            &format!("/api/v1/installations/{}/risk", app.a.installation.id),
            Some(&t),
            None,
        )
        .await;
    assert!(
        risk2.body["reasons"].to_string().contains("二级报警"),
        "{:?}",
        risk2.body
    );
    assert!(risk2.body["score"].as_f64().unwrap() > risk1.body["score"].as_f64().unwrap());
    let level = |b: &Value| {
        ["blue", "yellow", "orange", "red"]
            .iter()
            .position(|l| b["level"] == *l)
            .unwrap()
    };
    assert!(
        level(&risk2.body) > level(&before.body),
        "{:?} → {:?}",
        before.body,
        risk2.body
    );

    // Return below 50 − 2 (deadband) for 2 s clears alarm 2; the state is RTN-unacknowledged.
    write(
        &app,
        &token,
        "GT-A01",
        &[
            (t0 + 7000, 49.0),
            (t0 + 8000, 47.0),
            (t0 + 9000, 47.0),
            (t0 + 10_000, 47.0),
        ],
    )
    .await;
    barrier(&app).await;
    let r = app
        .call("GET", "/api/v1/alarms?active=true", Some(&t), None)
        .await;
    assert_eq!(
        active(&r.body, &format!("{pid}:limit:HH")).unwrap()["state"],
        "rtn_unacknowledged"
    );
    // The journal holds the story in order.
    let j = app
        .call("GET", "/api/v1/alarm-events", Some(&t), None)
        .await;
    let story: Vec<(String, String)> = j
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["alarm_id"].as_str().is_some_and(|a| a.starts_with(pid)))
        .map(|e| {
            (
                e["alarm_id"]
                    .as_str()
                    .unwrap()
                    .rsplit(':')
                    .next()
                    .unwrap()
                    .to_string(),
                e["event"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        story,
        [
            ("H".into(), "activated".into()),
            ("HH".into(), "activated".into()),
            ("HH".into(), "cleared".into())
        ]
    );
    let risk_events = j
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "risk")
        .count();
    assert!(risk_events >= 2, "risk changes are journalled");
}

#[tokio::test]
async fn commands_are_checked_and_audited_with_who_and_why() {
    let app = TestApp::spawn_telemetry().await;
    let point = gas_point(&app, "admin_a", &app.a, "GT-A02").await;
    let pid = point["id"].as_str().unwrap().to_string();
    let token = app.ingest_token("admin_a", &app.a.enterprise.id).await;
    let t0 = now_ms() - 30_000;
    write(&app, &token, "GT-A02", &[(t0, 30.0), (t0 + 2000, 30.0)]).await;
    barrier(&app).await;
    let id = format!("{pid}:limit:H");
    let op = app.login("operator_a").await;
    let county = app.login("county_b").await;
    let province = app.login("province").await;

    // A regulator may comment (处置意见) but not acknowledge; B's county sees nothing.
    let r = app
        .call(
            "POST",
            &format!("/api/v1/alarms/{id}/ack"),
            Some(&province),
            None,
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    let r = app
        .call(
            "POST",
            &format!("/api/v1/alarms/{id}/ack"),
            Some(&county),
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .call(
            "POST",
            &format!("/api/v1/alarms/{id}/comment"),
            Some(&province),
            Some(json!({"text": "请尽快查明泄漏原因"})),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["actor"], "province");

    let r = app
        .call(
            "POST",
            &format!("/api/v1/alarms/{id}/ack"),
            Some(&op),
            Some(json!({"reason": "已通知巡检"})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["state"], "acknowledged");
    assert_eq!(r.body["acked_by"], "operator_a");
    let again = app
        .call("POST", &format!("/api/v1/alarms/{id}/ack"), Some(&op), None)
        .await;
    assert_eq!(again.status, 409);
    assert!(
        again.body["error"]["message_zh"]
            .as_str()
            .unwrap()
            .contains("确认")
    );
    assert!(
        again.body["error"]["message_en"]
            .as_str()
            .unwrap()
            .contains("acknowledge")
    );

    // Shelving needs a reason and an end; it shows as shelved.
    let r = app
        .call(
            "POST",
            &format!("/api/v1/alarms/{id}/shelve"),
            Some(&op),
            Some(json!({"minutes": 30, "reason": " "})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["error"]["field"], "reason");
    let r = app
        .call(
            "POST",
            &format!("/api/v1/alarms/{id}/shelve"),
            Some(&op),
            Some(json!({"minutes": 30})),
        )
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    let r = app
        .call(
            "POST",
            &format!("/api/v1/alarms/{id}/shelve"),
            Some(&op),
            Some(json!({"minutes": 30, "reason": "传感器标定"})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["state"], "shelved");
    let until = r.body["shelved_until"].as_i64().unwrap();
    assert!((until - now_ms() - 30 * 60_000).abs() < 10_000);
    let r = app
        .call(
            "POST",
            &format!("/api/v1/alarms/{id}/unshelve"),
            Some(&op),
            Some(json!({"reason": "标定完成"})),
        )
        .await;
    assert_eq!(r.status, 200);
    // Out of service needs the safety manager, not the operator.
    let r = app
        .call(
            "POST",
            &format!("/api/v1/alarms/{id}/out-of-service"),
            Some(&op),
            Some(json!({"out_of_service": true, "reason": "检修"})),
        )
        .await;
    assert_eq!(r.status, 403);
    let sm = app.login("safety_a").await;
    let r = app
        .call(
            "POST",
            &format!("/api/v1/alarms/{id}/out-of-service"),
            Some(&sm),
            Some(json!({"out_of_service": true, "reason": "探头更换"})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["state"], "out_of_service");
    // Unknown alarm: 404; malformed body: 400 with the reason.
    let r = app
        .call("POST", "/api/v1/alarms/nope:limit:H/ack", Some(&op), None)
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .call(
            "POST",
            &format!("/api/v1/alarms/{id}/shelve"),
            Some(&op),
            Some(json!({"minutes": "x", "reason": "r"})),
        )
        .await;
    assert!(r.status == 400 || r.status == 422, "{:?}", r.body);

    // Every change is in the audit log with the user and the reason.
    let admin = app.login("admin_a").await;
    let audit = app
        .call(
            "GET",
            &format!("/api/v1/audit?entity_id={id}"),
            Some(&admin),
            None,
        )
        .await;
    let entries = audit.body["items"].as_array().unwrap();
    let seen: Vec<(String, String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
                e["after"]["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for expected in [
        ("alarm.acked", "operator_a", "已通知巡检"),
        ("alarm.shelved", "operator_a", "传感器标定"),
        ("alarm.unshelved", "operator_a", "标定完成"),
        ("alarm.out_of_service", "safety_a", "探头更换"),
        ("alarm.commented", "province", "请尽快查明泄漏原因"),
    ] {
        assert!(
            seen.iter()
                .any(|(a, u, r)| (a.as_str(), u.as_str(), r.as_str()) == expected),
            "missing {expected:?} in {seen:?}"
        );
    }
}

/// Reads SSE frames from a streaming response until `n` data events or the timeout.
async fn read_events(body: &mut Body, n: usize, wait: Duration) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let deadline = tokio::time::Instant::now() + wait;
    while out.len() < n {
        let Ok(Some(Ok(frame))) = tokio::time::timeout_at(deadline, body.frame()).await else {
            break;
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        buf.push_str(&String::from_utf8_lossy(&data));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let (mut id, mut ev, mut data) = (String::new(), String::new(), String::new());
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id:") {
                    id = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("event:") {
                    ev = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim());
                }
            }
            if !ev.is_empty() {
                out.push((id, ev, serde_json::from_str(&data).unwrap_or(Value::Null)));
            }
        }
    }
    out
}

async fn open_stream(app: &TestApp, token: &str, last_event_id: Option<i64>) -> Body {
    let mut b = Request::builder()
        .uri("/api/v1/events/stream")
        .header("authorization", format!("Bearer {token}"));
    if let Some(id) = last_event_id {
        b = b.header("last-event-id", id.to_string());
    }
    let resp = app
        .router
        .clone()
        .oneshot(b.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    resp.into_body()
}

#[tokio::test]
async fn the_event_stream_is_scoped_and_resumes_without_loss() {
    let app = TestApp::spawn_telemetry().await;
    let ta = app.login("admin_a").await;
    let tb = app.login("admin_b").await;
    let a_alarm = format!("{}:interruption", app.a.point.id);
    let b_alarm = format!("{}:interruption", app.b.point.id);
    let shelve = |tok: String, id: String, minutes: i64| {
        let app = &app;
        async move {
            let r = app
                .call(
                    "POST",
                    &format!("/api/v1/alarms/{id}/shelve"),
                    Some(&tok),
                    Some(json!({"minutes": minutes, "reason": "测试"})),
                )
                .await;
            assert_eq!(r.status, 200, "{:?}", r.body);
        }
    };
    // Live: A's stream starts with hello, then sees A's change and not B's.
    let mut live = open_stream(&app, &ta, None).await;
    let hello = read_events(&mut live, 1, Duration::from_secs(5)).await;
    assert_eq!(hello[0].1, "hello");
    let start: i64 = hello[0].0.parse().unwrap();
    shelve(tb.clone(), b_alarm.clone(), 10).await;
    shelve(ta.clone(), a_alarm.clone(), 10).await;
    shelve(tb.clone(), b_alarm.clone(), 20).await;
    shelve(ta.clone(), a_alarm.clone(), 20).await;
    let got = read_events(&mut live, 2, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 2, "{got:?}");
    for (_, ev, data) in &got {
        assert_eq!(ev, "alarm");
        assert_eq!(data["alarm_id"], a_alarm.as_str());
        assert_eq!(data["event"], "shelved");
        assert!(!data.to_string().contains(&app.b.enterprise.id));
    }
    let first_id: i64 = got[0].0.parse().unwrap();
    assert!(first_id > start);
    drop(live);

    // Disconnected: more changes happen, then A reconnects from the first event it saw.
    shelve(ta.clone(), a_alarm.clone(), 30).await;
    shelve(tb.clone(), b_alarm.clone(), 30).await;
    shelve(ta.clone(), a_alarm.clone(), 40).await;
    let mut resumed = open_stream(&app, &ta, Some(first_id)).await;
    let got = read_events(&mut resumed, 3, Duration::from_secs(5)).await;
    let ids: Vec<i64> = got.iter().map(|g| g.0.parse().unwrap()).collect();
    assert_eq!(
        got.len(),
        3,
        "second live event plus the two missed: {got:?}"
    );
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in order: {ids:?}");
    assert!(ids[0] > first_id);
    assert!(got.iter().all(|g| g.2["alarm_id"] == a_alarm.as_str()));
    // Nothing else pending for A (B's changes are not A's).
    let more = read_events(&mut resumed, 1, Duration::from_millis(500)).await;
    assert!(more.is_empty(), "{more:?}");
    // And a malformed Last-Event-ID is a 400.
    let req = Request::builder()
        .uri("/api/v1/events/stream")
        .header("authorization", format!("Bearer {ta}"))
        .header("last-event-id", "abc")
        .body(Body::empty())
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn a_restart_in_the_middle_of_an_on_delay_raises_at_the_right_instant() {
    // A level point (H 80 %) has the assumed 60 s on-delay for levels.
    let app = TestApp::spawn_telemetry_without_alarms().await;
    let historian = app.state.telemetry.as_ref().unwrap().historian.clone();
    let series = historian.series_id(&app.a.point.id).unwrap();
    let t0 = now_ms() - 120_000;
    let append = |from: i64, to: i64| {
        let h = historian.clone();
        async move {
            let samples: Vec<Sample> = (from..=to)
                .step_by(1000)
                .map(|t| Sample::good(series, t, 85.0))
                .collect();
            h.append(samples).await.unwrap();
        }
    };
    let first = alarms::start(
        app.store.clone(),
        historian.clone(),
        AlarmServiceConfig::default(),
    )
    .await
    .unwrap();
    append(t0, t0 + 30_000).await;
    first.barrier().await.unwrap();
    drop(first); // the service stops: a restart 30 s into the 60 s delay
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second = alarms::start(
        app.store.clone(),
        historian.clone(),
        AlarmServiceConfig::default(),
    )
    .await
    .unwrap();
    append(t0 + 31_000, t0 + 59_000).await;
    second.barrier().await.unwrap();
    let id = format!("{}:limit:H", app.a.point.id);
    let scope = weihua_core::Scope::National;
    assert!(
        app.store.get_alarm(&scope, &id).await.is_err(),
        "59 s: not yet"
    );
    append(t0 + 60_000, t0 + 61_000).await;
    second.barrier().await.unwrap();
    let a = app.store.get_alarm(&scope, &id).await.unwrap();
    assert!(a.active);
    assert_eq!(
        a.raised_at,
        Some(t0 + 60_000),
        "the delay counted from the first sample before the restart"
    );
}

#[tokio::test]
async fn data_interruption_is_raised_and_cleared() {
    let app = TestApp::spawn_telemetry_without_alarms().await;
    // Tight windows for the test: 100 ms ticks; the point expects a sample every 100 ms.
    let cfg = AlarmServiceConfig {
        tick: Duration::from_millis(100),
        ..Default::default()
    };
    let sm = app.login("safety_a").await;
    let r = app
        .call(
            "PUT",
            &format!("/api/v1/points/{}/alarm-settings", app.a.point.tag),
            Some(&sm),
            Some(json!({"settings": {"expected_interval_ms": 100, "interruption_multiple": 3}})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let historian = app.state.telemetry.as_ref().unwrap().historian.clone();
    let svc = alarms::start(app.store.clone(), historian.clone(), cfg)
        .await
        .unwrap();
    let mut rx = svc.stream.subscribe();
    let id = format!("{}:interruption", app.a.point.id);
    let raised = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let e = rx.recv().await.unwrap();
            if e.alarm_id.as_deref() == Some(id.as_str()) && e.event == "activated" {
                return e;
            }
        }
    })
    .await
    .expect("interruption raised after 3 silent intervals");
    assert_eq!(raised.payload["kind"], "interruption");
    let series = historian.series_id(&app.a.point.id).unwrap();
    historian
        .append(vec![Sample::good(series, now_ms(), 50.0)])
        .await
        .unwrap();
    let cleared = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let e = rx.recv().await.unwrap();
            if e.alarm_id.as_deref() == Some(id.as_str()) && e.event == "cleared" {
                return e;
            }
        }
    })
    .await
    .expect("a sample clears it");
    assert!(cleared.seq > raised.seq);
}

#[tokio::test]
async fn alarm_settings_are_validated_and_report_gb50493_5_5_2() {
    let app = TestApp::spawn_telemetry().await;
    let t = app.login("admin_a").await;
    let r = app
        .call(
            "POST",
            "/api/v1/points",
            Some(&t),
            Some(json!({
                "installation_id": app.a.installation.id, "tag": "GT-A09", "name": "可燃气体",
                "indicator": "flammable_gas", "unit": "%LEL", "range_low": 0.0, "range_high": 100.0,
                "limits": {"h": 30.0, "hh": 60.0}
            })),
        )
        .await;
    assert_eq!(r.status, 201);
    let g = app
        .call(
            "GET",
            "/api/v1/points/GT-A09/alarm-settings",
            Some(&t),
            None,
        )
        .await;
    assert_eq!(g.status, 200, "{:?}", g.body);
    let codes: Vec<&str> = g.body["gb50493"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "flammable_alarm1_above_25_lel",
            "flammable_alarm2_above_50_lel"
        ]
    );
    assert_eq!(
        g.body["effective"]["limits"][0]["on_delay_ms"], 2000,
        "gas default (assumed)"
    );
    let bad = app
        .call(
            "PUT",
            "/api/v1/points/GT-A09/alarm-settings",
            Some(&t),
            Some(json!({"settings": {"deadband": -1.0}})),
        )
        .await;
    assert_eq!(bad.status, 422, "{:?}", bad.body);
    assert_eq!(bad.body["error"]["field"], "settings.limits.HH.deadband");
    let unknown = app
        .call(
            "PUT",
            "/api/v1/points/GT-A09/alarm-settings",
            Some(&t),
            Some(json!({"settings": {"deadbnd": 1.0}})),
        )
        .await;
    assert!(unknown.status == 400 || unknown.status == 422);
    let ok = app
        .call(
            "PUT",
            "/api/v1/points/GT-A09/alarm-settings",
            Some(&t),
            Some(json!({"settings": {"deadband": 1.0, "on_delay_ms": 0, "latching": ["HH"], "position": "罐区控制室"}})),
        )
        .await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    assert_eq!(ok.body["effective"]["limits"][0]["latching"], true);
    assert_eq!(ok.body["effective"]["position"], "罐区控制室");
    // The regulator's list of gas points that break GB/T 50493 or lack thresholds.
    let r = app
        .call(
            "POST",
            "/api/v1/points",
            Some(&t),
            Some(json!({
                "installation_id": app.a.installation.id, "tag": "AT-A10", "name": "硫化氢浓度",
                "indicator": "toxic_gas", "unit": "mg/m3", "range_low": 0.0, "range_high": 100.0,
                "limits": {"h": 12.0, "hh": 20.0}
            })),
        )
        .await;
    assert_eq!(r.status, 201);
    let r = app
        .call(
            "PUT",
            "/api/v1/points/AT-A10/alarm-settings",
            Some(&t),
            Some(json!({"settings": {"toxic_basis": {"oel": 10.0, "idlh": 430.0}}})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["gb50493"][0]["code"], "toxic_alarm1_above_oel",
        "H2S MAC 10 mg/m3"
    );
    let county = app.login("city_a").await;
    let f = app
        .call("GET", "/api/v1/gb50493/findings", Some(&county), None)
        .await;
    assert_eq!(f.status, 200, "{:?}", f.body);
    let tags: Vec<&str> = f
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["tag"].as_str().unwrap())
        .collect();
    assert!(
        tags.contains(&"GT-A09") && tags.contains(&"AT-A10"),
        "{tags:?}"
    );
    let other = app.login("admin_b").await;
    let f = app
        .call("GET", "/api/v1/gb50493/findings", Some(&other), None)
        .await;
    assert_eq!(
        f.body.as_array().unwrap().len(),
        0,
        "B sees none of A's points"
    );

    let op = app.login("operator_a").await;
    let denied = app
        .call(
            "PUT",
            "/api/v1/points/GT-A09/alarm-settings",
            Some(&op),
            Some(json!({"settings": {}})),
        )
        .await;
    assert_eq!(denied.status, 403);
}

#[tokio::test]
async fn a_webhook_gets_the_grouped_notification_and_the_escalation() {
    // A receiver of our own.
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = got.clone();
    let hook = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(v): axum::Json<Value>| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(v);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, hook).await });

    let app = TestApp::spawn_telemetry_without_alarms().await;
    let notify = weihua_notify::NotifyConfig::from_json(&format!(
        r#"{{"receivers": [{{"id": "duty", "kind": {{"type": "webhook", "url": "http://{addr}/hook"}}}}],
            "routes": [{{"name": "all", "receiver": "duty", "matchers": {{"min_priority": "high"}},
                         "group_by": ["installation"], "group_wait_ms": 0}}],
            "escalation": [{{"name": "fast", "min_priority": "high",
                             "steps": [{{"after_ms": 1000, "contact": {{"guardian": "operational"}}}}]}}]}}"#
    ))
    .unwrap();
    let cfg = AlarmServiceConfig {
        notify,
        tick: Duration::from_millis(100),
        ..Default::default()
    };
    let historian = app.state.telemetry.as_ref().unwrap().historian.clone();
    let svc = alarms::start(app.store.clone(), historian.clone(), cfg)
        .await
        .unwrap();
    // The level point's HH (90 %) is high priority; zero delays for the test.
    let mut tx = app
        .store
        .write(&weihua_store::Actor::system("test"))
        .await
        .unwrap();
    app.store
        .set_point_alarm_settings(
            &mut tx,
            &app.a.point.id,
            r#"{"on_delay_ms": 0, "off_delay_ms": 0}"#,
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    svc.reload_point(&app.a.point.id).await.unwrap();
    let series = historian.series_id(&app.a.point.id).unwrap();
    let now = now_ms();
    historian
        .append(vec![Sample::good(series, now, 95.0)])
        .await
        .unwrap();
    svc.barrier().await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(8);
    loop {
        let (notified, escalated) = {
            let g = got.lock().unwrap();
            (
                g.iter().any(|v| {
                    v["status"] == "firing" && v["alerts"].to_string().contains(&app.a.point.tag)
                }),
                g.iter().any(|v| v["status"] == "escalation"),
            )
        };
        if notified && escalated {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "webhook got {:?}",
            got.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The escalation is in the journal, naming the guardian's role.
    let events = app
        .store
        .alarm_events_after(&weihua_core::Scope::National, 0, 1000)
        .await
        .unwrap();
    let esc = events
        .iter()
        .find(|e| e.event == "escalated")
        .expect("escalation journalled");
    assert!(
        esc.payload.to_string().contains("operational"),
        "{:?}",
        esc.payload
    );
}

#[tokio::test]
async fn the_site_plan_places_installations_with_their_risk_level() {
    let app = TestApp::spawn_telemetry().await;
    let t = app.login("admin_a").await;
    // Without coordinates an installation is listed, not placed.
    let r = app.call("GET", "/api/v1/site-plan", Some(&t), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["type"], "FeatureCollection");
    assert_eq!(r.body["unplaced"][0]["id"], app.a.installation.id.as_str());
    assert!(
        r.body["unplaced"][0]["risk_level"].is_string(),
        "{:?}",
        r.body
    );
    // Bad coordinates are refused with the field; good ones place it.
    let bad = app
        .call(
            "PATCH",
            &format!("/api/v1/installations/{}", app.a.installation.id),
            Some(&t),
            Some(json!({"latitude": 91.0})),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.body["error"]["field"], "latitude");
    let ok = app
        .call(
            "PATCH",
            &format!("/api/v1/installations/{}", app.a.installation.id),
            Some(&t),
            Some(json!({"latitude": 31.95, "longitude": 120.42})),
        )
        .await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    let r = app.call("GET", "/api/v1/site-plan", Some(&t), None).await;
    let features = r.body["features"].as_array().unwrap();
    let kinds: Vec<&str> = features
        .iter()
        .map(|f| f["properties"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["park", "enterprise", "installation"],
        "drawing order"
    );
    let inst = &features[2];
    assert_eq!(inst["geometry"]["coordinates"], json!([120.42, 31.95]));
    assert!(
        ["red", "orange", "yellow", "blue"]
            .contains(&inst["properties"]["risk_level"].as_str().unwrap())
    );
    let bbox = r.body["bbox"].as_array().unwrap();
    assert!(bbox[0].as_f64().unwrap() < 120.42 && bbox[2].as_f64().unwrap() > 120.42);
    assert!(r.body["unplaced"].as_array().unwrap().is_empty());
    // B's admin sees nothing of A.
    let tb = app.login("admin_b").await;
    let r = app.call("GET", "/api/v1/site-plan", Some(&tb), None).await;
    assert!(!r.body.to_string().contains(&app.a.installation.id));
}

#[tokio::test]
async fn kpi_windows_from_outside_are_checked_never_overflow() {
    let app = TestApp::spawn_telemetry().await;
    let t = app.login("admin_a").await;
    for q in [
        "from=-9223372036854775808&to=9223372036854775807",
        "from=0&to=1",
        "from=not-a-time",
        "from=2026-11-30T00:00:00Z&to=2026-11-29T00:00:00Z",
    ] {
        let r = app
            .call("GET", &format!("/api/v1/alarm-kpis?{q}"), Some(&t), None)
            .await;
        assert_eq!(r.status, 400, "{q}: {:?}", r.body);
        assert!(
            r.body["error"]["message_zh"].is_string() && r.body["error"]["message_en"].is_string()
        );
    }
    let r = app
        .call("GET", "/api/v1/alarm-kpis?from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z&group_by=position", Some(&t), None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["to"].as_i64().unwrap() - r.body["from"].as_i64().unwrap(),
        86_400_000
    );
}
