//! 双重预防 through the API: the hidden-danger closed loop (every step
//! audited, illegal steps refused in both languages), acceptance by another
//! person, major dangers reported and supervised (督办) by the regulator who
//! alone signs off their closing, overdue dangers flagged with their
//! escalation, and scope (an enterprise never sees another's dangers; the
//! city sees all of its region).

mod common;

use common::*;
use serde_json::{Value, json};
use weihua_store::now_ms;

async fn act(app: &TestApp, t: &str, id: &str, body: Value) -> Resp {
    app.call(
        "POST",
        &format!("/api/v1/hidden-dangers/{id}/actions"),
        Some(t),
        Some(body),
    )
    .await
}

async fn report(app: &TestApp, t: &str, name: &str) -> String {
    let r = app
        .call(
            "POST",
            "/api/v1/hidden-dangers",
            Some(t),
            Some(json!({"danger": {"name": name, "description": "巡检发现", "source": "routine", "danger_type": "equipment"}})),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["state"], "reported");
    r.body["id"].as_str().unwrap().to_string()
}

fn refused(r: &Resp) {
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_error_shape(r);
    assert_eq!(r.body["error"]["code"], "danger_refused");
}

#[tokio::test]
async fn a_general_danger_goes_round_the_loop_and_illegal_steps_are_refused() {
    let app = TestApp::spawn().await;
    let safety = app.login("safety_a").await;
    let admin = app.login("admin_a").await;
    let id = report(&app, &safety, "P-101 机封泄漏").await;
    // Not before its time: no acceptance of a danger just reported.
    refused(
        &act(
            &app,
            &admin,
            &id,
            json!({"action": "accept", "comment": "x"}),
        )
        .await,
    );
    let r = act(
        &app,
        &safety,
        &id,
        json!({"action": "grade", "level": "general", "manage_type": "by_deadline"}),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["danger_level"], 0);
    // A by-deadline danger needs its plan (owner, funds, measures, deadline).
    refused(&act(&app, &safety, &id, json!({"action": "start_rectification"})).await);
    let deadline = now_ms() + 7 * 86_400_000;
    let r = act(
        &app,
        &safety,
        &id,
        json!({"action": "plan", "plan": {"owner": "王立明", "funds_yuan": 3000.0, "measures": "更换机械密封", "deadline_ms": deadline}}),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["deadline"], deadline);
    for a in ["start_rectification", "submit_for_acceptance"] {
        let r = act(&app, &safety, &id, json!({"action": a})).await;
        assert_eq!(r.status, 200, "{a}: {:?}", r.body);
    }
    assert_eq!(
        app.call(
            "GET",
            &format!("/api/v1/hidden-dangers/{id}"),
            Some(&safety),
            None
        )
        .await
        .body["danger_state"],
        1,
        "DANGER_STATE 1 待验收"
    );
    // The view says what each person may do next: not the rectifier, another may accept.
    let allowed = |v: &Value, a: &str| {
        v["next"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["action"] == a && n["allowed"] == true)
    };
    let mine = app
        .call(
            "GET",
            &format!("/api/v1/hidden-dangers/{id}"),
            Some(&safety),
            None,
        )
        .await;
    assert!(!allowed(&mine.body, "accept") && !allowed(&mine.body, "grade"));
    let refusal = mine.body["next"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["action"] == "accept")
        .unwrap()["refusal"]
        .clone();
    assert!(
        refusal["zh"].is_string() && refusal["en"].is_string(),
        "{refusal}"
    );
    let theirs = app
        .call(
            "GET",
            &format!("/api/v1/hidden-dangers/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert!(allowed(&theirs.body, "accept") && allowed(&theirs.body, "return"));
    // The rectifier cannot accept their own work.
    refused(
        &act(
            &app,
            &safety,
            &id,
            json!({"action": "accept", "comment": "自验"}),
        )
        .await,
    );
    // Returned once, then accepted by another person.
    let r = act(
        &app,
        &admin,
        &id,
        json!({"action": "return", "comment": "密封仍有渗漏"}),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["state"], "rectifying");
    act(
        &app,
        &safety,
        &id,
        json!({"action": "submit_for_acceptance"}),
    )
    .await;
    let r = act(
        &app,
        &admin,
        &id,
        json!({"action": "accept", "comment": "复查合格，销号"}),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["state"], "accepted");
    assert_eq!(r.body["danger_state"], 9);
    assert!(r.body["closed_at"].is_i64());
    // Closed is closed.
    refused(
        &act(
            &app,
            &admin,
            &id,
            json!({"action": "return", "comment": "x"}),
        )
        .await,
    );
    let events = r.body["events"].as_array().unwrap();
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "report",
            "grade",
            "plan",
            "start_rectification",
            "submit_for_acceptance",
            "return",
            "submit_for_acceptance",
            "accept"
        ]
    );
    let audit = app
        .call("GET", "/api/v1/audit?limit=500", Some(&admin), None)
        .await
        .body
        .to_string();
    for a in [
        "hidden_danger.report",
        "hidden_danger.grade",
        "hidden_danger.accept",
    ] {
        assert!(audit.contains(a), "{a} audited");
    }
    // Bad input: unknown action and a missing field, both bilingual 4xx, nothing changes.
    for body in [
        json!({"action": "burn"}),
        json!({"action": "grade", "level": "major"}),
    ] {
        let r = act(&app, &admin, &id, body).await;
        assert!(r.status == 400 || r.status == 422, "{:?}", r.body);
        assert_error_shape(&r);
    }
}

#[tokio::test]
async fn a_major_danger_is_reported_supervised_and_closed_only_by_the_regulator() {
    let app = TestApp::spawn().await;
    let safety = app.login("safety_a").await;
    let admin = app.login("admin_a").await;
    let city = app.login("city_a").await;
    let county_b = app.login("county_b").await;
    let id = report(&app, &safety, "液氯储罐区可燃气体检测器失效").await;
    // A major danger cannot be fixed on the spot.
    refused(
        &act(
            &app,
            &safety,
            &id,
            json!({"action": "grade", "level": "major", "manage_type": "fix_on_spot"}),
        )
        .await,
    );
    act(
        &app,
        &safety,
        &id,
        json!({"action": "grade", "level": "major", "manage_type": "by_deadline"}),
    )
    .await;
    let r = act(&app, &safety, &id, json!({"action": "report_to_regulator", "authority": "张家港市应急管理局", "reference": null})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // Only a regulator supervises.
    let sup = json!({"action": "supervise", "notice_number": "张应急督〔2026〕12号", "deadline_ms": now_ms() + 30 * 86_400_000i64, "authority": "张家港市应急管理局"});
    let r = act(&app, &admin, &id, sup.clone()).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    let r = act(&app, &city, &id, sup).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["supervised"], true);
    // The regulator's supervision list shows it; the other county never sees it.
    let l = app
        .call(
            "GET",
            "/api/v1/hidden-dangers?supervised=true",
            Some(&city),
            None,
        )
        .await;
    assert_eq!(l.body.as_array().unwrap().len(), 1);
    let l = app
        .call("GET", "/api/v1/hidden-dangers", Some(&county_b), None)
        .await;
    assert_eq!(l.body.as_array().unwrap().len(), 0);
    assert_eq!(
        app.call(
            "GET",
            &format!("/api/v1/hidden-dangers/{id}"),
            Some(&county_b),
            None
        )
        .await
        .status,
        404
    );
    // B's admin does not see it either.
    let tb = app.login("admin_b").await;
    assert_eq!(
        app.call(
            "GET",
            &format!("/api/v1/hidden-dangers/{id}"),
            Some(&tb),
            None
        )
        .await
        .status,
        404
    );
    // Rectified; the enterprise cannot close a supervised danger; the regulator can.
    act(&app, &safety, &id, json!({"action": "plan", "plan": {"owner": "沈建国", "funds_yuan": 120000.0, "measures": "更换检测器并校验联锁", "deadline_ms": now_ms() + 20 * 86_400_000i64}})).await;
    act(&app, &safety, &id, json!({"action": "start_rectification"})).await;
    act(
        &app,
        &safety,
        &id,
        json!({"action": "submit_for_acceptance"}),
    )
    .await;
    refused(
        &act(
            &app,
            &admin,
            &id,
            json!({"action": "accept", "comment": "企业自行销号"}),
        )
        .await,
    );
    let r = act(
        &app,
        &admin,
        &id,
        json!({"action": "supervision_close", "comment": "x"}),
    )
    .await;
    assert_eq!(r.status, 403);
    let r = act(
        &app,
        &city,
        &id,
        json!({"action": "supervision_close", "comment": "现场核查合格，同意销号"}),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["state"], "accepted");
    assert_eq!(r.body["supervised"], false);
}

#[tokio::test]
async fn an_overdue_danger_is_flagged_with_its_escalation() {
    let app = TestApp::spawn().await;
    let safety = app.login("safety_a").await;
    let id = report(&app, &safety, "消防水带老化").await;
    act(
        &app,
        &safety,
        &id,
        json!({"action": "grade", "level": "general", "manage_type": "by_deadline"}),
    )
    .await;
    let deadline = now_ms() + 150;
    let r = act(&app, &safety, &id, json!({"action": "plan", "plan": {"owner": "李", "funds_yuan": 500.0, "measures": "更换", "deadline_ms": deadline}})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["overdue"].is_null());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let v = app
        .call(
            "GET",
            &format!("/api/v1/hidden-dangers/{id}"),
            Some(&safety),
            None,
        )
        .await;
    assert!(
        v.body["overdue"]["late_ms"].as_i64().unwrap() > 0,
        "{:?}",
        v.body["overdue"]
    );
    assert!(v.body["overdue"]["escalation"].is_string());
    let l = app
        .call(
            "GET",
            "/api/v1/hidden-dangers?overdue=true",
            Some(&safety),
            None,
        )
        .await;
    assert_eq!(l.body.as_array().unwrap().len(), 1);
    assert!(
        l.body[0]["overdue"]["escalation"].is_string(),
        "rows carry their escalation"
    );
    let city = app.login("city_a").await;
    let l = app
        .call(
            "GET",
            "/api/v1/hidden-dangers?overdue=true",
            Some(&city),
            None,
        )
        .await;
    assert_eq!(
        l.body.as_array().unwrap().len(),
        1,
        "the city sees its region's overdue dangers"
    );
}

#[tokio::test]
async fn the_register_generates_tasks_whose_checks_and_misses_are_counted() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin_a").await;
    let op = app.login("operator_a").await;
    let post = |body: Value| {
        let admin = admin.clone();
        let app = &app;
        async move {
            app.call("POST", "/api/v1/risk-register", Some(&admin), Some(body))
                .await
        }
    };
    let obj = post(json!({"kind": "object", "code": "MHI-A-1", "installation_id": app.a.installation.id, "name": "液氯罐区"})).await;
    assert_eq!(obj.status, 201, "{:?}", obj.body);
    // A unit needs its assessment; L × S = 4 × 5 = 20 → 重大 (RISK_CLASS 1), company level.
    let r = post(json!({"kind": "unit", "parent_id": obj.body["id"], "name": "液氯储罐"})).await;
    assert_eq!(r.status, 422);
    let unit = post(json!({"kind": "unit", "parent_id": obj.body["id"], "name": "液氯储罐", "assessment": {"method": "matrix", "likelihood": 4, "severity": 5}})).await;
    assert_eq!(unit.status, 201, "{:?}", unit.body);
    assert_eq!(unit.body["risk_class"], 1);
    assert_eq!(unit.body["doc"]["assessment"]["control_level"], "company");
    // LEC values outside the classic sets are refused.
    let r = post(json!({"kind": "unit", "parent_id": obj.body["id"], "name": "x", "assessment": {"method": "lec", "l": 4, "e": 6, "c": 15}})).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    // The chain must be respected: an event under an object is refused.
    let r = post(json!({"kind": "event", "parent_id": obj.body["id"], "name": "泄漏"})).await;
    assert_eq!(r.status, 422);
    let event =
        post(json!({"kind": "event", "parent_id": unit.body["id"], "name": "液氯泄漏中毒"})).await;
    assert_eq!(event.status, 201);
    // An automated-monitoring measure names points of the enterprise.
    let r = post(json!({"kind": "measure", "parent_id": event.body["id"], "name": "液位监控", "data_src": "automated_monitoring", "point_tags": ["NOPE-1"]})).await;
    assert_eq!(r.status, 422);
    let m = post(json!({
        "kind": "measure", "parent_id": event.body["id"], "name": "现场巡检液位计与阀门",
        "data_src": "inspection", "classify1": "maintenance", "troubleshoot_content": "液位计、根部阀、法兰有无泄漏",
        "task": {"cycle": {"value": 2, "unit": "hour"}, "post": "外操", "assignee": "外操班"}
    })).await;
    assert_eq!(m.status, 201, "{:?}", m.body);
    let task_id = m.body["task"]["id"].as_str().unwrap().to_string();
    // A bad cycle is refused at once.
    let r = post(json!({"kind": "measure", "parent_id": event.body["id"], "name": "x", "data_src": "inspection", "task": {"cycle": {"value": 1.5, "unit": "day"}}})).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    // Over the last 6 hours: 3 windows of 2 h, checked in one; the others are missed (未排查).
    let now = now_ms();
    let from = now - 6 * 3_600_000;
    let r = app
        .call(
            "POST",
            &format!("/api/v1/inspection-tasks/{task_id}/records"),
            Some(&op),
            Some(json!({"check_status": "normal", "check_time_ms": now - 60_000, "note": "正常"})),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let tasks = app
        .call(
            "GET",
            &format!("/api/v1/inspection-tasks?from={from}&to={now}"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(tasks.status, 200, "{:?}", tasks.body);
    let windows = tasks.body[0]["windows"].as_array().unwrap().clone();
    assert!(windows.len() >= 3, "{windows:?}");
    let done = windows.iter().filter(|w| w["state"] == "done").count();
    let missed: Vec<&Value> = windows.iter().filter(|w| w["state"] == "missed").collect();
    assert_eq!(done, 1);
    assert!(!missed.is_empty() && missed.iter().all(|w| w["check_status"] == 2));
    // "Not inspected" is the system's verdict, not a manual entry; a danger needs its description.
    let r = app
        .call(
            "POST",
            &format!("/api/v1/inspection-tasks/{task_id}/records"),
            Some(&op),
            Some(json!({"check_status": "not_inspected"})),
        )
        .await;
    assert_eq!(r.status, 422);
    let r = app
        .call(
            "POST",
            &format!("/api/v1/inspection-tasks/{task_id}/records"),
            Some(&op),
            Some(json!({"check_status": "danger_found"})),
        )
        .await;
    assert_eq!(r.status, 422);
    // A check that finds a danger registers it, linked to the record and the measure.
    let r = app
        .call("POST", &format!("/api/v1/inspection-tasks/{task_id}/records"), Some(&op), Some(json!({"check_status": "danger_found", "danger": {"name": "根部阀渗漏", "danger_type": "equipment"}})))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let did = r.body["danger_id"].as_str().unwrap();
    let d = app
        .call(
            "GET",
            &format!("/api/v1/hidden-dangers/{did}"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(d.body["doc"]["risk_measure_id"], m.body["id"]);
    assert_eq!(d.body["doc"]["record_id"], r.body["id"]);
    // Statistics: the enterprise's completion rate and its open danger; B's figures are not A's.
    let st = app
        .call(
            "GET",
            &format!("/api/v1/prevention/stats?from={from}&to={now}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(st.status, 200, "{:?}", st.body);
    let a = &st.body["enterprises"][0];
    assert_eq!(a["enterprise_id"], app.a.enterprise.id);
    assert!(a["inspection"]["not_inspected"].as_u64().unwrap() >= 1);
    assert_eq!(a["inspection"]["done"], 1);
    assert_eq!(a["dangers"]["total"]["found"], 1);
    assert_eq!(
        st.body["enterprises"].as_array().unwrap().len(),
        1,
        "A sees only itself"
    );
    let tb = app.login("admin_b").await;
    let sb = app
        .call("GET", "/api/v1/prevention/stats", Some(&tb), None)
        .await;
    assert_eq!(sb.body["total"]["dangers"]["total"]["found"], 0);
    // The same figures as a workbook.
    let req = axum::http::Request::builder()
        .uri(format!(
            "/api/v1/prevention/stats.xlsx?from={from}&to={now}"
        ))
        .header("authorization", format!("Bearer {admin}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let resp = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    assert!(
        resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("weihua-prevention-")
    );
    let bytes = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert!(
        bytes.len() > 1000 && bytes.starts_with(b"PK"),
        "an XLSX (zip) file"
    );
    // The register is scoped too.
    let reg = app
        .call("GET", "/api/v1/risk-register", Some(&tb), None)
        .await;
    assert_eq!(reg.body.as_array().unwrap().len(), 0);
    let reg = app
        .call("GET", "/api/v1/risk-register", Some(&admin), None)
        .await;
    assert_eq!(reg.body.as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn an_unresolved_alarm_fails_its_automated_measure_and_proposes_one_danger() {
    let app = TestApp::spawn_telemetry().await;
    let admin = app.login("admin_a").await;
    let r = app
        .call(
            "POST",
            "/api/v1/points",
            Some(&admin),
            Some(json!({
                "installation_id": app.a.installation.id, "tag": "GT-L1", "name": "罐区可燃气体",
                "indicator": "flammable_gas", "unit": "%LEL", "range_low": 0.0, "range_high": 100.0,
                "limits": {"h": 25.0, "hh": 50.0}
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let mut parent = Value::Null;
    let mut measure = Value::Null;
    for body in [
        json!({"kind": "object", "code": "MHI-A-9", "installation_id": app.a.installation.id, "name": "罐区"}),
        json!({"kind": "unit", "name": "储罐", "assessment": {"method": "lec", "l": 3, "e": 6, "c": 15}}),
        json!({"kind": "event", "name": "泄漏"}),
        json!({"kind": "measure", "name": "可燃气体检测报警", "data_src": "automated_monitoring", "classify1": "engineering", "point_tags": ["GT-L1"]}),
    ] {
        let mut body = body;
        if !parent.is_null() {
            body["parent_id"] = parent.clone();
        }
        let r = app
            .call("POST", "/api/v1/risk-register", Some(&admin), Some(body))
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        parent = r.body["id"].clone();
        measure = r.body.clone();
    }
    // LEC 3 × 6 × 15 = 270 → 较大 (RISK_CLASS 2) — checked on the unit in the register.
    let reg = app
        .call("GET", "/api/v1/risk-register", Some(&admin), None)
        .await;
    let unit = reg
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "unit")
        .unwrap()
        .clone();
    assert_eq!(unit["risk_class"], 2);
    let gw = app.ingest_token("admin_a", &app.a.enterprise.id).await;
    let write = |v: f64, t0: i64| {
        let gw = gw.clone();
        let app = &app;
        async move {
            let body: String = (0..4)
                .map(|k| format!("m,point=GT-L1 value={v} {}\n", t0 + k * 1000))
                .collect();
            let r = app
                .post_raw(
                    "/api/v2/write?precision=ms",
                    &[("authorization", &format!("Token {gw}"))],
                    body.into_bytes(),
                )
                .await;
            assert_eq!(r.status, 204);
            app.state.alarms.as_ref().unwrap().barrier().await.unwrap();
        }
    };
    let cfg = weihua_prevention::monitoring_link::LinkConfig {
        grace_ms: 0,
        ..Default::default()
    };
    // No alarm: nothing fails.
    assert_eq!(
        weihua_server::prevention::monitoring_link_pass(&app.state, &cfg)
            .await
            .unwrap(),
        0
    );
    let t0 = now_ms() - 10_000;
    write(30.0, t0).await;
    // The alarm is past its grace: the measure fails and one danger is proposed, once.
    assert_eq!(
        weihua_server::prevention::monitoring_link_pass(&app.state, &cfg)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        weihua_server::prevention::monitoring_link_pass(&app.state, &cfg)
            .await
            .unwrap(),
        0
    );
    let l = app
        .call("GET", "/api/v1/hidden-dangers", Some(&admin), None)
        .await;
    let dangers = l.body.as_array().unwrap();
    assert_eq!(dangers.len(), 1);
    assert_eq!(dangers[0]["doc"]["source"], "control_measure_failure");
    assert_eq!(dangers[0]["doc"]["risk_measure_id"], measure["id"]);
    assert_eq!(dangers[0]["state"], "reported", "proposed for review");
    let reg = app
        .call("GET", "/api/v1/risk-register", Some(&admin), None)
        .await;
    let m = reg
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == measure["id"])
        .unwrap()
        .clone();
    assert!(m["doc"]["failed_since_ms"].is_i64(), "{m}");
    // Resolved: the measure works again.
    write(1.0, t0 + 5_000).await;
    weihua_server::prevention::monitoring_link_pass(&app.state, &cfg)
        .await
        .unwrap();
    let reg = app
        .call("GET", "/api/v1/risk-register", Some(&admin), None)
        .await;
    let m = reg
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == measure["id"])
        .unwrap()
        .clone();
    assert!(m["doc"]["failed_since_ms"].is_null(), "{m}");
}

#[tokio::test]
async fn photos_are_kept_by_content_hash_durably_and_only_for_their_enterprise() {
    use sha2::Digest;
    let app = TestApp::spawn().await;
    let safety = app.login("safety_a").await;
    let id = report(&app, &safety, "法兰渗漏").await;
    let upload = |name: String, ctype: &'static str, bytes: Vec<u8>| {
        let req = axum::http::Request::builder()
            .method("POST")
            .uri(format!(
                "/api/v1/hidden-dangers/{id}/attachments?name={name}&role=danger"
            ))
            .header("authorization", format!("Bearer {safety}"))
            .header("content-type", ctype)
            .body(axum::body::Body::from(bytes))
            .unwrap();
        app.send(req)
    };
    let photo: Vec<u8> = [0x89u8, b'P', b'N', b'G']
        .into_iter()
        .chain((0..5000u32).map(|i| (i % 251) as u8))
        .collect();
    let r = upload("leak.png".into(), "image/png", photo.clone()).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let sha = hex::encode(sha2::Sha256::digest(&photo));
    assert_eq!(r.body["sha256"], sha);
    assert_eq!(r.body["size"], photo.len());
    // The same content again: a second record, one file.
    let r2 = upload("leak-again.png".into(), "image/png", photo.clone()).await;
    assert_eq!(r2.status, 201);
    // Refused: an unknown type, an empty file, a path in the name.
    assert_eq!(
        upload("x.html".into(), "text/html", b"<script>".to_vec())
            .await
            .status,
        415
    );
    assert_eq!(
        upload("x.png".into(), "image/png", Vec::new()).await.status,
        422
    );
    assert_eq!(
        upload("a%2Fx.png".into(), "image/png", photo.clone())
            .await
            .status,
        422
    );
    let l = app
        .call(
            "GET",
            &format!("/api/v1/hidden-dangers/{id}/attachments"),
            Some(&safety),
            None,
        )
        .await;
    assert_eq!(l.body.as_array().unwrap().len(), 2);
    // Download: the same bytes; B can neither list nor fetch them.
    let aid = r.body["id"].as_str().unwrap();
    let req = axum::http::Request::builder()
        .uri(format!("/api/v1/hidden-dangers/{id}/attachments/{aid}"))
        .header("authorization", format!("Bearer {safety}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let resp = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    let got = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert_eq!(&got[..], &photo[..]);
    let tb = app.login("admin_b").await;
    let path = format!("/api/v1/hidden-dangers/{id}/attachments");
    assert_eq!(app.call("GET", &path, Some(&tb), None).await.status, 404);
    assert_eq!(
        app.call("GET", &format!("{path}/{aid}"), Some(&tb), None)
            .await
            .status,
        404
    );
    // On disk once, under its hash.
    let dir = app.state.files_dir.clone().unwrap().join(&sha[..2]);
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].file_name().to_string_lossy(), sha);
}

#[tokio::test]
async fn an_overdue_danger_is_escalated_once_per_level_and_announced() {
    let app = TestApp::spawn_telemetry().await;
    let safety = app.login("safety_a").await;
    let id = report(&app, &safety, "消防水带老化").await;
    act(
        &app,
        &safety,
        &id,
        json!({"action": "grade", "level": "general", "manage_type": "by_deadline"}),
    )
    .await;
    let r = act(&app, &safety, &id, json!({"action": "plan", "plan": {"owner": "李", "funds_yuan": 500.0, "measures": "更换", "deadline_ms": now_ms() + 100}})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let cfg = weihua_prevention::danger::EscalationConfig::default();
    // Not late yet: nothing.
    assert_eq!(
        weihua_server::prevention::escalation_pass(&app.state, &cfg)
            .await
            .unwrap(),
        0
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        weihua_server::prevention::escalation_pass(&app.state, &cfg)
            .await
            .unwrap(),
        1
    );
    // Once per level.
    assert_eq!(
        weihua_server::prevention::escalation_pass(&app.state, &cfg)
            .await
            .unwrap(),
        0
    );
    let v = app
        .call(
            "GET",
            &format!("/api/v1/hidden-dangers/{id}"),
            Some(&safety),
            None,
        )
        .await;
    let last = v.body["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "escalated");
    assert_eq!(last["detail"]["level"], "workshop");
    // The control room hears it.
    let j = app
        .call(
            "GET",
            "/api/v1/alarm-events?limit=1000",
            Some(&safety),
            None,
        )
        .await;
    assert!(
        j.body.to_string().contains("danger_escalated"),
        "journal has the escalation"
    );
}

#[tokio::test]
async fn extreme_time_ranges_are_refused_not_overflowed() {
    let app = TestApp::spawn().await;
    let t = app.login("safety_a").await;
    for path in [
        format!("/api/v1/inspection-tasks?from={}", i64::MAX),
        format!("/api/v1/inspection-tasks?from={}&to={}", i64::MIN, i64::MAX),
        format!("/api/v1/prevention/stats?to={}", i64::MIN),
        format!("/api/v1/prevention/stats?from={}&to={}", i64::MIN, i64::MAX),
    ] {
        let r = app.call("GET", &path, Some(&t), None).await;
        assert_eq!(r.status, 422, "{path}: {:?}", r.body);
        assert_error_shape(&r);
    }
}
