//! GB 30871-2022 special work permits through the API: the whole lifecycle
//! of hot work with the engine's refusals (clause, Chinese, English), scope
//! (enterprise, regulator only after the online report), the on-site status
//! page, and the interlock: a leak on a detector 8 m away suspends hot work in
//! progress at once, and it resumes only after the alarm clears and a new
//! passing gas test.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};
use weihua_standards::gb30871::{self as g, Facts, Permit};
use weihua_store::now_ms;

const MIN: i64 = 60_000;

/// A hot-work permit at `installation_id` from 10 min ago for 4 h, at the
/// given coordinates, with the people, certificates and checklist a real
/// ticket has.
fn hot_work(installation_id: &str, lat: f64, lon: f64) -> Value {
    let now = now_ms();
    let measures: Vec<Value> = g::checklist(g::WorkKind::HotWork)
        .iter()
        .filter(|i| i.requirement != g::Requirement::OtherMeasures)
        .map(|i| json!({"no": i.no, "applicable": true, "confirmed_by": "张工"}))
        .collect();
    let cert = |kind: &str| json!({"kind": kind, "number": format!("{kind}-0001"), "expires_ms": now + 365 * 24 * 60 * MIN});
    json!({
        "work": {"kind": "hot_work", "method": "电焊"},
        "content": "更换 P-101 出口法兰",
        "location": {"installation_id": installation_id, "place": "P-101 泵出口", "coordinates": {"lat": lat, "lon": lon}},
        "planned": {"start_ms": now - 10 * MIN, "end_ms": now + 4 * 60 * MIN},
        "workers": [
            {"id": "w1", "name": "王负责", "roles": ["work_leader"]},
            {"id": "w2", "name": "李焊工", "roles": ["hot_worker"], "certificates": [cert("welding_and_cutting")]},
            {"id": "w3", "name": "赵监护", "roles": ["guardian"], "certificates": [cert("guardian_training")]},
        ],
        "measures": measures,
        "continuous_monitoring": true,
    })
}

async fn act(app: &TestApp, t: &str, id: &str, body: Value) -> Resp {
    app.call(
        "POST",
        &format!("/api/v1/permits/{id}/actions"),
        Some(t),
        Some(body),
    )
    .await
}

async fn gas_test(app: &TestApp, t: &str, id: &str, taken_at_ms: i64, measured: f64) -> Resp {
    app.call(
        "POST",
        &format!("/api/v1/permits/{id}/gas-tests"),
        Some(t),
        Some(json!({
            "taken_at_ms": taken_at_ms, "substance": "甲烷", "lel_pct_vol": 5.0,
            "measured_pct_vol": measured, "oxygen_pct_vol": 20.9, "analyst": "化验室 刘"
        })),
    )
    .await
}

async fn permit_state(app: &TestApp, t: &str, id: &str) -> String {
    app.call("GET", &format!("/api/v1/permits/{id}"), Some(t), None)
        .await
        .body["state"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn refusal_codes(r: &Resp) -> Vec<String> {
    r.body["error"]["details"]["decision"]["refusals"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn assert_refusals_name_clauses(r: &Resp) {
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_error_shape(r);
    let Some(refusals) = r.body["error"]["details"]["decision"]["refusals"].as_array() else {
        panic!("no refusals in {:?}", r.body)
    };
    assert!(!refusals.is_empty(), "{:?}", r.body);
    for x in refusals {
        let clause = x["clause"].as_str().unwrap();
        assert!(
            clause.starts_with("GB 30871-2022")
                || [
                    g::REGULATOR_REPORT_CLAUSE,
                    g::LIFECYCLE_CLAUSE,
                    g::ENTERPRISE_RULE_CLAUSE
                ]
                .contains(&clause),
            "{x}"
        );
        assert!(!x["message_zh"].as_str().unwrap().is_empty(), "{x}");
        assert!(!x["message_en"].as_str().unwrap().is_empty(), "{x}");
    }
}

/// Draft → gas analysis → approvals (as the chain for its level requires) →
/// reported → in progress. Returns the permit id.
async fn start_hot_work(app: &TestApp, t: &str, permit: Value) -> String {
    let r = app
        .call(
            "POST",
            "/api/v1/permits",
            Some(t),
            Some(json!({"permit": permit})),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert!(
        r.body["number"].as_str().unwrap().starts_with("DH-"),
        "{:?}",
        r.body["number"]
    );
    let doc: Permit = serde_json::from_value(r.body["doc"].clone()).unwrap();
    let r = act(app, t, &id, json!({"action": "submit_for_gas_analysis"})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["state"], "gas_analysis");
    assert_eq!(gas_test(app, t, &id, now_ms() - MIN, 0.1).await.status, 200);
    let r = act(app, t, &id, json!({"action": "submit_for_approval"})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let level = g::effective_level(&doc, &Facts::at(now_ms()));
    for s in g::sign_off_chain(doc.kind(), level) {
        let r = act(
            app,
            t,
            &id,
            json!({"action": "approve", "step": s.step, "role": s.role, "by": "ignored", "on_site": true}),
        )
        .await;
        assert_eq!(r.status, 200, "{:?} {:?}", s.step, r.body);
    }
    let r = act(app, t, &id, json!({"action": "report_to_regulator"})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["reported_at"].is_i64());
    let r = act(
        app,
        t,
        &id,
        json!({"action": "start", "ticket_checked_by": "当班班长 孙"}),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["state"], "in_progress");
    id
}

#[tokio::test]
async fn hot_work_goes_from_draft_to_closed_and_every_refusal_names_its_clause() {
    let app = TestApp::spawn().await;
    let t = app.login("safety_a").await;
    let r = app
        .call(
            "POST",
            "/api/v1/permits",
            Some(&t),
            Some(json!({"permit": hot_work(&app.a.installation.id, 31.9, 120.5)})),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["state"], "draft");
    assert!(r.body["level"].is_string(), "a hot-work level is derived");
    assert!(r.body["checklist"].as_array().unwrap().len() >= 10);
    // 5.3: no approval before the gas analysis.
    let r = act(&app, &t, &id, json!({"action": "submit_for_gas_analysis"})).await;
    assert_eq!(r.status, 200);
    let r = act(&app, &t, &id, json!({"action": "submit_for_approval"})).await;
    assert_refusals_name_clauses(&r);
    // A failing sample (0.8 %vol of methane, LEL 5 % → limit 0.5 %vol) does not help.
    let g1 = gas_test(&app, &t, &id, now_ms() - MIN, 0.8).await;
    assert_eq!(g1.status, 200);
    let last = g1.body["events"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["action"], "gas_test");
    assert_eq!(last["detail"]["passed"], false, "{last}");
    let r = act(&app, &t, &id, json!({"action": "submit_for_approval"})).await;
    assert_refusals_name_clauses(&r);
    // An old sample (45 min) is refused too: 5.3.1 c) at most 30 min before the work.
    gas_test(&app, &t, &id, now_ms() - 45 * MIN, 0.1).await;
    // A fresh passing one.
    assert_eq!(
        gas_test(&app, &t, &id, now_ms() - MIN, 0.1).await.status,
        200
    );
    let r = act(&app, &t, &id, json!({"action": "submit_for_approval"})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // Sign-offs out of order are refused with the row that comes next.
    let r = act(
        &app,
        &t,
        &id,
        json!({"action": "approve", "step": "approver", "role": "owning_unit", "on_site": true}),
    )
    .await;
    assert_refusals_name_clauses(&r);
    assert!(
        refusal_codes(&r)
            .iter()
            .any(|c| c == "sign_off_out_of_order"),
        "{:?}",
        r.body
    );
    // Invalid JSON action: 400/422 with the bilingual shape, nothing changes.
    let r = act(&app, &t, &id, json!({"action": "fly"})).await;
    assert!(r.status == 400 || r.status == 422, "{:?}", r.body);
    assert_error_shape(&r);
    app.store
        .permit_events(&id)
        .await
        .unwrap()
        .iter()
        .for_each(|e| assert_ne!(e.action, "fly"));
    // The rest of the way, then suspension, resume, completion, acceptance, closing.
    let doc: Permit = serde_json::from_value(
        app.call("GET", &format!("/api/v1/permits/{id}"), Some(&t), None)
            .await
            .body["doc"]
            .clone(),
    )
    .unwrap();
    for s in g::sign_off_chain(doc.kind(), g::effective_level(&doc, &Facts::at(now_ms()))) {
        let r = act(
            &app,
            &t,
            &id,
            json!({"action": "approve", "step": s.step, "role": s.role, "by": "冒名", "on_site": true}),
        )
        .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        // The signer is the signed-in user, whatever the body said.
        let signed = r.body["doc"]["approvals"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_ne!(signed["by"], "冒名");
    }
    // 4.6 / online report: no start before the report.
    let r = act(
        &app,
        &t,
        &id,
        json!({"action": "start", "ticket_checked_by": "班长"}),
    )
    .await;
    assert_refusals_name_clauses(&r);
    assert!(
        refusal_codes(&r)
            .iter()
            .any(|c| c == "regulator_report_required")
    );
    for (body, state) in [
        (json!({"action": "report_to_regulator"}), "reported"),
        (
            json!({"action": "start", "ticket_checked_by": "班长"}),
            "in_progress",
        ),
        (json!({"action": "suspend"}), "suspended"),
    ] {
        let r = act(&app, &t, &id, body).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(r.body["state"], state);
    }
    let r = act(&app, &t, &id, json!({"action": "resume"})).await;
    assert_eq!(
        r.status, 200,
        "a short break needs no re-test: {:?}",
        r.body
    );
    for (body, state) in [
        (json!({"action": "complete"}), "completed"),
        (json!({"action": "accept", "by": "x"}), "accepted"),
        (json!({"action": "close"}), "closed"),
    ] {
        let r = act(&app, &t, &id, body).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(r.body["state"], state);
    }
    // Closed is final; every step is in the history and in the audit log.
    let r = act(&app, &t, &id, json!({"action": "cancel"})).await;
    assert_eq!(r.status, 422);
    let events = app.store.permit_events(&id).await.unwrap();
    assert!(events.len() >= 15, "{}", events.len());
    assert!(events.windows(2).all(|w| w[1].n == w[0].n + 1));
    let admin = app.login("admin_a").await;
    let audit = app
        .call("GET", "/api/v1/audit?limit=500", Some(&admin), None)
        .await;
    let text = audit.body.to_string();
    for a in [
        "permit.create",
        "permit.approve",
        "permit.start",
        "permit.close",
    ] {
        assert!(text.contains(a), "audit has {a}");
    }
}

#[tokio::test]
async fn permits_are_scoped_and_regulators_see_them_only_once_reported() {
    let app = TestApp::spawn().await;
    let t = app.login("safety_a").await;
    let r = app
        .call(
            "POST",
            "/api/v1/permits",
            Some(&t),
            Some(json!({"permit": hot_work(&app.a.installation.id, 31.9, 120.5)})),
        )
        .await;
    let id = r.body["id"].as_str().unwrap().to_string();
    // B's people and B's regulator never see it; A's city regulator not before the report.
    for user in ["admin_b", "county_b", "city_a"] {
        let tb = app.login(user).await;
        let r = app
            .call("GET", &format!("/api/v1/permits/{id}"), Some(&tb), None)
            .await;
        assert_eq!(r.status, 404, "{user}");
        let l = app.call("GET", "/api/v1/permits", Some(&tb), None).await;
        assert_eq!(l.body.as_array().unwrap().len(), 0, "{user}");
    }
    // Regulators read but do not act.
    let tc = app.login("city_a").await;
    let r = act(&app, &tc, &id, json!({"action": "cancel"})).await;
    assert_eq!(r.status, 403);
    // Once reported, the city sees it on its list and board.
    let id2 = start_hot_work(&app, &t, hot_work(&app.a.installation.id, 31.9, 120.5)).await;
    let l = app.call("GET", "/api/v1/permits", Some(&tc), None).await;
    let ids: Vec<&str> = l
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(ids, vec![id2.as_str()]);
    let b = app
        .call("GET", "/api/v1/permits/board", Some(&tc), None)
        .await;
    assert_eq!(b.status, 200);
    assert_eq!(b.body["total_ongoing"], 1);
    assert_eq!(
        b.body["ongoing"][&app.a.enterprise.id]["hot_work"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_i64().unwrap())
            .sum::<i64>(),
        1
    );
}

#[tokio::test]
async fn the_qr_page_shows_the_live_state_to_anyone_on_site_without_login() {
    let app = TestApp::spawn().await;
    let t = app.login("safety_a").await;
    let id = start_hot_work(&app, &t, hot_work(&app.a.installation.id, 31.9, 120.5)).await;
    let p = app
        .call("GET", &format!("/api/v1/permits/{id}"), Some(&t), None)
        .await;
    let path = p.body["public_path"].as_str().unwrap().to_string();
    let number = p.body["number"].as_str().unwrap().to_string();
    let page = app.call("GET", &path, None, None).await;
    assert_eq!(page.status, 200);
    let html = page.body.as_str().unwrap();
    assert!(
        html.contains(&number) && html.contains("data-state=\"valid\""),
        "{html}"
    );
    assert!(html.contains("李焊工") && html.contains("hot_worker"));
    assert!(
        !html.contains("welding_and_cutting-0001"),
        "no certificate numbers on the public page"
    );
    act(&app, &t, &id, json!({"action": "suspend"})).await;
    let html = app.call("GET", &path, None, None).await.body;
    assert!(html.as_str().unwrap().contains("data-state=\"suspended\""));
    assert_eq!(
        app.call("GET", "/p/wp_not-a-token", None, None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_leak_8_m_away_suspends_hot_work_at_once_and_it_resumes_only_after_a_new_passing_gas_test()
 {
    let app = TestApp::spawn_telemetry().await;
    let admin = app.login("admin_a").await;
    // The work place, and a flammable gas detector 8 m north of it.
    let (lat, lon) = (31.900_000, 120.500_000);
    let r = app
        .call(
            "POST",
            "/api/v1/points",
            Some(&admin),
            Some(json!({
                "installation_id": app.a.installation.id, "tag": "GT-P101", "name": "P-101 可燃气体",
                "indicator": "flammable_gas", "unit": "%LEL", "range_low": 0.0, "range_high": 100.0,
                "limits": {"h": 25.0, "hh": 50.0},
                "latitude": lat + 8.0 / 111_320.0, "longitude": lon
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    // And one 60 m away, outside the 15 m radius.
    let r = app
        .call(
            "POST",
            "/api/v1/points",
            Some(&admin),
            Some(json!({
                "installation_id": app.a.installation.id, "tag": "GT-FAR", "name": "远处可燃气体",
                "indicator": "flammable_gas", "unit": "%LEL", "range_low": 0.0, "range_high": 100.0,
                "limits": {"h": 25.0, "hh": 50.0},
                "latitude": lat + 60.0 / 111_320.0, "longitude": lon
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let t = app.login("safety_a").await;
    let id = start_hot_work(&app, &t, hot_work(&app.a.installation.id, lat, lon)).await;
    let gw = app.ingest_token("admin_a", &app.a.enterprise.id).await;
    // Four samples a second apart from `t0` (sample time drives the on-delays).
    let write = |tag: &'static str, v: f64, t0: i64| {
        let gw = gw.clone();
        let app = &app;
        async move {
            let body: String = (0..4)
                .map(|k| format!("m,point={tag} value={v} {}\n", t0 + k * 1000))
                .collect();
            let r = app
                .post_raw(
                    "/api/v2/write?precision=ms",
                    &[("authorization", &format!("Token {gw}"))],
                    body.into_bytes(),
                )
                .await;
            assert_eq!(r.status, 204, "{:?}", r.body);
        }
    };
    // A leak on the far detector does not stop the work.
    write("GT-FAR", 60.0, now_ms() - 3000).await;
    app.state.alarms.as_ref().unwrap().barrier().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(permit_state(&app, &t, &id).await, "in_progress");
    // A leak on the near one: suspended within 2 s of the write being acknowledged.
    // Samples of the last 3 s, as a gateway sends them.
    let leak_at = now_ms() - 3000;
    write("GT-P101", 30.0, leak_at).await;
    let acked = Instant::now();
    let mut suspended = None;
    while acked.elapsed() < Duration::from_secs(2) {
        if permit_state(&app, &t, &id).await == "suspended" {
            suspended = Some(acked.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = suspended.expect("the permit was not suspended within 2 s");
    eprintln!(
        "interlock: suspended {} ms after the write was acknowledged",
        took.as_millis()
    );
    let events = app.store.permit_events(&id).await.unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.actor, "system:interlock");
    assert!(
        last.detail["extra"]["reason_zh"]
            .as_str()
            .unwrap()
            .contains("GT-P101")
    );
    let d = last.detail["extra"]["distance_m"].as_f64().unwrap();
    assert!((d - 8.0).abs() < 0.5, "distance {d}");
    let notified = last.detail["extra"]["notified"].to_string();
    assert!(
        notified.contains("王负责") && notified.contains("赵监护"),
        "{notified}"
    );
    // The control room hears it on the journal / live stream.
    let mut announced = false;
    for _ in 0..50 {
        let j = app
            .call("GET", "/api/v1/alarm-events?limit=1000", Some(&t), None)
            .await;
        announced = j.body.to_string().contains("permit_suspended");
        if announced {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(announced, "permit_suspended in the journal");
    // Resume is refused while the alarm is on, and after it clears until a new passing test.
    let r = act(&app, &t, &id, json!({"action": "resume"})).await;
    assert_refusals_name_clauses(&r);
    write("GT-P101", 2.0, leak_at + 4000).await;
    app.state.alarms.as_ref().unwrap().barrier().await.unwrap();
    let open = app
        .call("GET", "/api/v1/alarms?active=true", Some(&t), None)
        .await;
    let near: Vec<&Value> = open
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["point"] == "GT-P101")
        .collect();
    assert!(
        !near.is_empty() && near.iter().all(|a| a["active"] == false),
        "the near alarm cleared: {near:?}"
    );
    let r = act(&app, &t, &id, json!({"action": "resume"})).await;
    assert_refusals_name_clauses(&r);
    assert_eq!(gas_test(&app, &t, &id, now_ms(), 0.05).await.status, 200);
    let r = act(&app, &t, &id, json!({"action": "resume"})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["state"], "in_progress");
}

/// The work fields and people of each kind, as a plant would fill them in.
fn of_kind(kind: g::WorkKind) -> (Value, Value) {
    let now = now_ms();
    let cert = |kind: &str| json!({"kind": kind, "number": format!("{kind}-0002"), "expires_ms": now + 365 * 24 * 60 * MIN});
    let guardian = json!({"id": "g", "name": "赵监护", "roles": ["guardian"], "certificates": [cert("guardian_training")]});
    let leader = json!({"id": "l", "name": "王负责", "roles": ["work_leader"]});
    let worker = json!({"id": "w", "name": "陈师傅", "roles": ["worker"]});
    use g::WorkKind as K;
    match kind {
        K::HotWork => (
            json!({"kind": "hot_work", "method": "电焊"}),
            json!([leader, {"id": "h", "name": "李焊工", "roles": ["hot_worker"], "certificates": [cert("welding_and_cutting")]}, guardian]),
        ),
        K::ConfinedSpace => (
            json!({"kind": "confined_space", "space_name": "V-201", "former_medium": "甲醇"}),
            json!([leader, worker, guardian]),
        ),
        K::Blinding => (
            json!({"kind": "blinding", "action": "install", "plates": ["MB-01"], "pipeline_id": "L-101"}),
            json!([leader, worker, guardian]),
        ),
        K::Height => (
            json!({"kind": "height", "height_m": 6.0}),
            json!([leader, worker, guardian]),
        ),
        K::Lifting => (
            json!({"kind": "lifting", "mass_t": 30.0}),
            json!([
                {"id": "s", "name": "周指挥", "roles": ["signaller"], "certificates": [cert("crane_signaller")]},
                {"id": "c", "name": "孙司机", "roles": ["crane_operator"], "certificates": [cert("crane_operator")]},
                guardian
            ]),
        ),
        K::TemporaryPower => (
            json!({"kind": "temporary_power"}),
            json!([leader, {"id": "e", "name": "钱电工", "roles": ["electrician"], "certificates": [cert("electrician")]}, guardian]),
        ),
        K::Excavation => (
            json!({"kind": "excavation", "depth_m": 1.0}),
            json!([leader, worker, guardian]),
        ),
        K::RoadClosure => (
            json!({"kind": "road_closure"}),
            json!([leader, worker, guardian]),
        ),
    }
}

#[tokio::test]
async fn every_kind_goes_through_its_whole_lifecycle_over_the_api() {
    let app = TestApp::spawn().await;
    let t = app.login("safety_a").await;
    for (k, kind) in g::WorkKind::ALL.into_iter().enumerate() {
        let (work, workers) = of_kind(kind);
        let now = now_ms();
        let measures: Vec<Value> = g::checklist(kind)
            .iter()
            .filter(|i| i.requirement != g::Requirement::OtherMeasures)
            .map(|i| json!({"no": i.no, "applicable": true, "confirmed_by": "张工"}))
            .collect();
        // Each at its own spot, 100 m apart: not cross-work.
        let permit = json!({
            "work": work, "content": "检修", "workers": workers, "measures": measures,
            "location": {"installation_id": app.a.installation.id, "place": format!("{kind:?}"),
                         "coordinates": {"lat": 31.9 + k as f64 * 0.001, "lon": 120.5}},
            "planned": {"start_ms": now - 10 * MIN, "end_ms": now + 3 * 60 * MIN},
            "continuous_monitoring": true,
        });
        let r = app
            .call(
                "POST",
                "/api/v1/permits",
                Some(&t),
                Some(json!({"permit": permit})),
            )
            .await;
        assert_eq!(r.status, 201, "{kind:?}: {:?}", r.body);
        let id = r.body["id"].as_str().unwrap().to_string();
        let doc: Permit = serde_json::from_value(r.body["doc"].clone()).unwrap();
        let facts = Facts::at(now_ms());
        let level = g::effective_level(&doc, &facts);
        if g::gas_regime(&doc, level).is_some() {
            let r = act(&app, &t, &id, json!({"action": "submit_for_gas_analysis"})).await;
            assert_eq!(r.status, 200, "{kind:?}: {:?}", r.body);
            assert_eq!(
                gas_test(&app, &t, &id, now_ms() - MIN, 0.05).await.status,
                200
            );
        }
        let r = act(&app, &t, &id, json!({"action": "submit_for_approval"})).await;
        assert_eq!(r.status, 200, "{kind:?}: {:?}", r.body);
        for s in g::sign_off_chain(kind, level) {
            let r = act(
                &app,
                &t,
                &id,
                json!({"action": "approve", "step": s.step, "role": s.role, "on_site": true}),
            )
            .await;
            assert_eq!(r.status, 200, "{kind:?} {:?}: {:?}", s.step, r.body);
        }
        for (body, state) in [
            (json!({"action": "report_to_regulator"}), "reported"),
            (
                json!({"action": "start", "ticket_checked_by": "班长"}),
                "in_progress",
            ),
            (json!({"action": "complete"}), "completed"),
            (json!({"action": "accept"}), "accepted"),
            (json!({"action": "close"}), "closed"),
        ] {
            let r = act(&app, &t, &id, body).await;
            assert_eq!(r.status, 200, "{kind:?} → {state}: {:?}", r.body);
            assert_eq!(r.body["state"], state, "{kind:?}");
        }
    }
    let l = app
        .call("GET", "/api/v1/permits?state=closed", Some(&t), None)
        .await;
    assert_eq!(l.body.as_array().unwrap().len(), 8);
}

#[tokio::test]
async fn continuous_monitoring_records_the_assigned_detectors_readings() {
    let app = TestApp::spawn_telemetry().await;
    let admin = app.login("admin_a").await;
    let r = app
        .call(
            "POST",
            "/api/v1/points",
            Some(&admin),
            Some(json!({
                "installation_id": app.a.installation.id, "tag": "GT-MON", "name": "便携式可燃气体检测仪",
                "indicator": "flammable_gas", "unit": "%LEL", "range_low": 0.0, "range_high": 100.0,
                "limits": {"h": 25.0, "hh": 50.0}
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let t = app.login("safety_a").await;
    // A monitor point that is not a gas detector of the enterprise is refused.
    let mut bad = hot_work(&app.a.installation.id, 31.9, 120.5);
    bad["monitor_point"] = json!(app.a.point.tag);
    let r = app
        .call(
            "POST",
            "/api/v1/permits",
            Some(&t),
            Some(json!({"permit": bad})),
        )
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(r.body["error"]["field"], "permit.monitor_point");
    let mut p = hot_work(&app.a.installation.id, 31.9, 120.5);
    p["monitor_point"] = json!("GT-MON");
    let id = start_hot_work(&app, &t, p).await;
    let gw = app.ingest_token("admin_a", &app.a.enterprise.id).await;
    let body = format!("m,point=GT-MON value=3.5 {}\n", now_ms() - 1000);
    let r = app
        .post_raw(
            "/api/v2/write?precision=ms",
            &[("authorization", &format!("Token {gw}"))],
            body.into_bytes(),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        weihua_server::permits::monitoring_pass(&app.state)
            .await
            .unwrap(),
        1
    );
    // Within the recording interval nothing more is recorded.
    assert_eq!(
        weihua_server::permits::monitoring_pass(&app.state)
            .await
            .unwrap(),
        0
    );
    let events = app.store.permit_events(&id).await.unwrap();
    let rec = events
        .iter()
        .find(|e| e.action == "monitoring")
        .expect("a monitoring record");
    assert_eq!(rec.actor, "system:monitoring");
    assert_eq!(rec.detail["tag"], "GT-MON");
    assert_eq!(rec.detail["value"], 3.5);
    let v = app
        .call("GET", &format!("/api/v1/permits/{id}"), Some(&t), None)
        .await;
    assert_eq!(
        v.body["doc"]["monitoring_records_ms"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_draft_can_be_completed_before_approval_and_is_never_altered_after() {
    let app = TestApp::spawn().await;
    let t = app.login("safety_a").await;
    // The form of a kind, without creating a permit.
    let c = app
        .call(
            "GET",
            "/api/v1/permits/checklist?kind=height",
            Some(&t),
            None,
        )
        .await;
    assert_eq!(c.status, 200);
    assert_eq!(
        c.body.as_array().unwrap().len(),
        g::checklist(g::WorkKind::Height).len()
    );
    let c = app
        .call(
            "GET",
            "/api/v1/permits/checklist?kind=flying",
            Some(&t),
            None,
        )
        .await;
    assert_eq!(c.status, 400, "{:?}", c.body);
    // A draft without its checklist answers cannot go to approval…
    let mut p = hot_work(&app.a.installation.id, 31.9, 120.5);
    let measures = p.as_object_mut().unwrap().remove("measures").unwrap();
    let r = app
        .call(
            "POST",
            "/api/v1/permits",
            Some(&t),
            Some(json!({"permit": p})),
        )
        .await;
    let id = r.body["id"].as_str().unwrap().to_string();
    act(&app, &t, &id, json!({"action": "submit_for_gas_analysis"})).await;
    gas_test(&app, &t, &id, now_ms() - MIN, 0.1).await;
    let r = act(&app, &t, &id, json!({"action": "submit_for_approval"})).await;
    assert_refusals_name_clauses(&r);
    // …until the answers are added.
    let r = app
        .call(
            "PATCH",
            &format!("/api/v1/permits/{id}"),
            Some(&t),
            Some(json!({"measures": measures})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["events"].as_array().unwrap().last().unwrap()["action"],
        "amend"
    );
    let r = app
        .call(
            "PATCH",
            &format!("/api/v1/permits/{id}"),
            Some(&t),
            Some(json!({"state": "approved"})),
        )
        .await;
    assert_eq!(r.status, 422, "the state is not a field to patch");
    let r = act(&app, &t, &id, json!({"action": "submit_for_approval"})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // The view says which sign-off comes next.
    let next = r.body["next_sign_off"].clone();
    assert!(
        next["step"].is_string() && next["role"].is_string(),
        "{next}"
    );
    // …the first row of the form's whole chain, which the view carries too.
    let rows = r.body["sign_offs"].as_array().unwrap().clone();
    assert!(
        rows.len() >= 2 && rows.last().unwrap()["approving"] == true,
        "{rows:?}"
    );
    assert_eq!(rows[0], next);
    let r = act(
        &app,
        &t,
        &id,
        json!({"action": "approve", "step": next["step"], "role": next["role"], "on_site": true}),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // An operator may not sign as the safety department (signers, assumed).
    let op = app.login("operator_a").await;
    let r = act(&app, &op, &id, json!({"action": "approve", "step": "safety_department", "role": "safety_department", "on_site": true})).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_error_shape(&r);
    // Once submitted, the ticket is not altered (4.18).
    let r = app
        .call(
            "PATCH",
            &format!("/api/v1/permits/{id}"),
            Some(&t),
            Some(json!({"content": "改"})),
        )
        .await;
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert!(
        r.body["error"]["message_zh"]
            .as_str()
            .unwrap()
            .contains("4.18")
    );
}
