//! 定量风险评估 through the API: consequence models by name (bad input is a
//! 422 naming the field, in both languages; an unknown model is a 404).

mod common;

use common::*;
use serde_json::json;
use weihua_store::now_ms;

#[tokio::test]
async fn models_run_by_name_and_refuse_bad_input_in_both_languages() {
    let app = TestApp::spawn().await;
    let t = app.login("safety_a").await;
    let r = app.call("GET", "/api/v1/qra/models", Some(&t), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let names: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    for n in ["gaussian_puff", "kingery_bulmash", "gas_orifice"] {
        assert!(names.contains(&n), "{n} listed in {names:?}");
    }
    // The same figure as the crate's doc example: 1 kg TNT at 10 m.
    let r = app
        .call(
            "POST",
            "/api/v1/qra/models/kingery_bulmash",
            Some(&t),
            Some(json!({"tnt_mass_kg": 1.0, "distance_m": 10.0})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let p = r.body["incident_overpressure_kpa"].as_f64().unwrap();
    assert!((p - 14.89).abs() / 14.89 < 0.01, "{p}");
    // Out of range: 422, the field named, both languages.
    let r = app
        .call(
            "POST",
            "/api/v1/qra/models/kingery_bulmash",
            Some(&t),
            Some(json!({"tnt_mass_kg": -1.0, "distance_m": 10.0})),
        )
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_error_shape(&r);
    assert_eq!(r.body["error"]["field"], "tnt_mass_kg");
    assert!(
        r.body["error"]["message_zh"]
            .as_str()
            .unwrap()
            .contains("超出允许范围")
    );
    assert!(
        r.body["error"]["message_en"]
            .as_str()
            .unwrap()
            .contains("out of range")
    );
    // A missing field and an unknown field are refused, not defaulted.
    for body in [
        json!({"tnt_mass_kg": 1.0}),
        json!({"tnt_mass_kg": 1.0, "distance_m": 10.0, "extra": 1}),
    ] {
        let r = app
            .call(
                "POST",
                "/api/v1/qra/models/kingery_bulmash",
                Some(&t),
                Some(body),
            )
            .await;
        assert_eq!(r.status, 422, "{:?}", r.body);
        assert_error_shape(&r);
    }
    // Unknown model: 404 listing the known ones.
    let r = app
        .call("POST", "/api/v1/qra/models/nope", Some(&t), Some(json!({})))
        .await;
    assert_eq!(r.status, 404, "{:?}", r.body);
    assert!(
        r.body["error"]["message_en"]
            .as_str()
            .unwrap()
            .contains("gaussian_puff")
    );
    // Malformed JSON: 400.
    let r = app
        .post_raw(
            "/api/v1/qra/models/gaussian_puff",
            &[
                ("authorization", &format!("Bearer {t}")),
                ("content-type", "application/json"),
            ],
            b"{\"mass_kg\": ".to_vec(),
        )
        .await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    // Not signed in: 401.
    let r = app.call("GET", "/api/v1/qra/models", None, None).await;
    assert_eq!(r.status, 401);
}

/// A point on a side's installation, created by its admin.
async fn point(app: &TestApp, side: &Side, body: serde_json::Value) {
    let t = app
        .login(&format!("admin_{}", side_letter(app, side)))
        .await;
    let mut body = body;
    body["installation_id"] = json!(side.installation.id);
    let r = app
        .call("POST", "/api/v1/points", Some(&t), Some(body))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
}

fn side_letter(app: &TestApp, side: &Side) -> &'static str {
    if side.enterprise.id == app.a.enterprise.id {
        "a"
    } else {
        "b"
    }
}

async fn write(app: &TestApp, token: &str, lines: &[(&str, i64, f64)]) {
    let body: String = lines
        .iter()
        .map(|(tag, ts, v)| format!("m,point={tag} value={v} {ts}\n"))
        .collect();
    let r = app
        .post_raw(
            "/api/v2/write?precision=ms",
            &[("authorization", &format!("Token {token}"))],
            body.into_bytes(),
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    app.state.alarms.as_ref().unwrap().barrier().await.unwrap();
}

async fn zones(app: &TestApp, token: &str) -> Vec<serde_json::Value> {
    let r = app
        .call("GET", "/api/v1/threat-zones", Some(token), None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body.as_array().unwrap().clone()
}

/// Waits (up to 10 s) until `f` holds for A's zones.
async fn wait_for(
    app: &TestApp,
    token: &str,
    f: impl Fn(&[serde_json::Value]) -> bool,
) -> Vec<serde_json::Value> {
    for _ in 0..2000 {
        let z = zones(app, token).await;
        if f(&z) {
            return z;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!(
        "condition not reached; zones: {:?}",
        zones(app, token).await
    );
}

#[tokio::test]
async fn a_chlorine_alarm_draws_a_live_threat_zone_downwind_scoped_and_cleared() {
    let app = TestApp::spawn_telemetry().await;
    let admin = app.login("admin_a").await;
    // The installation's position, a chlorine detector and a weather station.
    let r = app
        .call(
            "PATCH",
            &format!("/api/v1/installations/{}", app.a.installation.id),
            Some(&admin),
            Some(json!({"latitude": 31.958, "longitude": 120.532})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    point(
        &app,
        &app.a,
        json!({"tag": "AT-901", "name": "氯气浓度", "indicator": "toxic_gas", "unit": "ppm",
               "range_low": 0.0, "range_high": 10.0, "limits": {"h": 1.0, "hh": 2.0}}),
    )
    .await;
    point(
        &app,
        &app.a,
        json!({"tag": "SI-901", "name": "风速", "indicator": "wind_speed", "unit": "m/s",
               "range_low": 0.0, "range_high": 30.0}),
    )
    .await;
    point(
        &app,
        &app.a,
        json!({"tag": "ZI-901", "name": "风向", "indicator": "wind_direction", "unit": "°",
               "range_low": 0.0, "range_high": 360.0}),
    )
    .await;
    let token = app.ingest_token("admin_a", &app.a.enterprise.id).await;
    let safety = app.login("safety_a").await;
    let other = app.login("admin_b").await;
    let t0 = now_ms() - 30_000;
    // Wind from the south-east (135°) at 3 m/s; then chlorine above the second alarm.
    write(&app, &token, &[("SI-901", t0, 3.0), ("ZI-901", t0, 135.0)]).await;
    write(
        &app,
        &token,
        &[
            ("AT-901", t0, 5.0),
            ("AT-901", t0 + 1000, 5.0),
            ("AT-901", t0 + 3000, 5.0),
            ("AT-901", t0 + 5000, 5.0),
        ],
    )
    .await;
    let acked = std::time::Instant::now();
    let z = wait_for(&app, &safety, |z| !z.is_empty()).await;
    eprintln!(
        "threat zone: visible {} ms after the write was acknowledged (computed in {} ms)",
        acked.elapsed().as_millis(),
        z[0]["compute_ms"]
    );
    assert_eq!(z.len(), 1);
    let v = &z[0];
    assert_eq!(v["installation_id"], app.a.installation.id.as_str());
    assert_eq!(v["trigger"]["tag"], "AT-901");
    assert_eq!(v["substance"]["cas"], "7782-50-5");
    assert!(v["error"].is_null(), "{v}");
    assert_eq!(v["wind"]["station_tag"], "SI-901");
    assert_eq!(v["wind"]["from_deg"], 135.0);
    assert_eq!(v["wind"]["assumed"], false);
    // The release was estimated from the inventory, with its assumptions named.
    let assumed = v["source"]["assumed"].to_string();
    assert!(assumed.contains("hole_diameter_m"), "{assumed}");
    assert!(v["source"]["rate_kg_s"].as_f64().unwrap() > 0.0);
    assert!(v["compute_ms"].as_f64().unwrap() < 1000.0);
    // AEGL-3/2/1 zones, the worst the smallest, all lying to the north-west (downwind).
    let features = v["zones"]["features"].as_array().unwrap();
    assert!(features.len() >= 2, "{features:?}");
    let reach: Vec<f64> = features
        .iter()
        .map(|f| f["properties"]["distance_m"].as_f64().unwrap())
        .collect();
    assert!(reach.windows(2).all(|w| w[0] <= w[1]), "{reach:?}");
    let ring = features.last().unwrap()["geometry"]["coordinates"][0]
        .as_array()
        .unwrap();
    let far = ring
        .iter()
        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .max_by(|a, b| {
            let d = |p: &(f64, f64)| (p.0 - 120.532).hypot(p.1 - 31.958);
            d(a).total_cmp(&d(b))
        })
        .unwrap();
    assert!(far.0 < 120.532 && far.1 > 31.958, "{far:?}");
    // Scope: B's people do not see A's zone.
    assert!(zones(&app, &other).await.is_empty());
    // After a restart (a fresh board, the alarm still active in the store) the zone is back.
    let mut fresh = app.state.clone();
    fresh.threat_board = std::sync::Arc::new(weihua_server::threat::ThreatBoard::default());
    weihua_server::threat::start(
        fresh.clone(),
        app.state.alarms.as_ref().unwrap().stream.subscribe(),
    );
    let mut resumed = Vec::new();
    for _ in 0..2000 {
        resumed = fresh
            .threat_board
            .visible(&fresh, &weihua_core::Scope::National)
            .await;
        if !resumed.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert_eq!(resumed.len(), 1, "the zone comes back after a restart");
    assert_eq!(resumed[0].trigger.tag, "AT-901");

    // A source set by hand: checked, audited, applied; B cannot set A's.
    let path = format!("/api/v1/threat-zones/{}/source", app.a.installation.id);
    let r = app
        .call(
            "PUT",
            &path,
            Some(&safety),
            Some(json!({"substance": "氯", "rate_kg_s": -1.0})),
        )
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(r.body["error"]["field"], "rate_kg_s");
    let r = app
        .call(
            "PUT",
            &path,
            Some(&safety),
            Some(json!({"substance": "no such", "rate_kg_s": 1.0})),
        )
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    let r = app
        .call(
            "PUT",
            &path,
            Some(&other),
            Some(json!({"substance": "氯", "rate_kg_s": 1.0})),
        )
        .await;
    assert_eq!(r.status, 404, "{:?}", r.body);
    let r = app
        .call(
            "PUT",
            &path,
            Some(&safety),
            Some(json!({"substance": "氯", "rate_kg_s": 0.2, "duration_s": 300.0})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["zone"]["source"]["rate_kg_s"], 0.2);
    let smaller = r.body["zone"]["zones"]["features"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()["properties"]["distance_m"]
        .as_f64()
        .unwrap();
    assert!(smaller < *reach.last().unwrap(), "{smaller} vs {reach:?}");
    let audit = app.call("GET", "/api/v1/audit", Some(&admin), None).await;
    assert!(audit.body.to_string().contains("threat_zone.source"));

    // The gas clears: the zone ends.
    write(
        &app,
        &token,
        &[
            ("AT-901", t0 + 10_000, 0.1),
            ("AT-901", t0 + 12_000, 0.1),
            ("AT-901", t0 + 20_000, 0.1),
        ],
    )
    .await;
    wait_for(&app, &safety, |z| z.is_empty()).await;
}

fn small_study() -> serde_json::Value {
    json!({
        "name": "罐区评价",
        "grid": {"origin_x_m": -500.0, "origin_y_m": -500.0, "width_m": 1000.0,
                 "height_m": 1000.0, "cell_size_m": 10.0,
                 "geo_origin": {"lat_deg": 31.958, "lon_deg": 120.532}},
        "weather": [
            {"id": "D5", "stability": "D", "wind_speed_m_s": 5.0, "probability": 0.5, "period": "day"},
            {"id": "F2", "stability": "F", "wind_speed_m_s": 2.0, "probability": 0.5, "period": "night"}
        ],
        "wind_rose": {"overall": vec![0.0625_f64; 16]},
        "installations": [{"id": "I1", "name": "液氯罐区",
            "boundary": {"type": "circle", "x_m": 0.0, "y_m": 0.0, "radius_m": 20.0},
            "equipment": [{"id": "TK-1", "loc": {"equipment": "pressure_vessel"}, "x_m": 0.0, "y_m": 0.0,
                           "substance": "7782-50-5", "inventory_kg": 20000.0, "phase": "liquid"}]}],
        "population": [{"geometry": {"type": "point", "x_m": 200.0, "y_m": 0.0},
                        "day_count": 30.0, "night_count": 30.0}],
        "protected_targets": [{"id": "S", "name": "学校", "class": "high_sensitive",
                               "geometry": {"type": "point", "x_m": 0.0, "y_m": 400.0}}]
    })
}

#[tokio::test]
async fn studies_run_store_scope_and_report() {
    let app = TestApp::spawn().await;
    let safety = app.login("safety_a").await;
    let other = app.login("admin_b").await;
    let body = json!({"installation_id": app.a.installation.id, "study": small_study()});
    let r = app
        .call(
            "POST",
            "/api/v1/qra/studies",
            Some(&safety),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["enterprise_id"], app.a.enterprise.id.as_str());
    let s = &r.body["summary"];
    assert!(s["max_ir_per_year"].as_f64().unwrap() > 0.0);
    assert_eq!(s["scenarios"], 3);
    assert!(["acceptable", "alarp", "unacceptable"].contains(&s["fn_region"].as_str().unwrap()));
    let res = &r.body["result"];
    assert!(
        res.get("report_html").is_none(),
        "the report is served on its own"
    );
    assert!(!res["contours"]["features"].as_array().unwrap().is_empty());
    assert!(res["fn_criteria"]["unacceptable"][0][1].as_f64().unwrap() > 0.0);
    assert_eq!(res["distances"].as_array().unwrap().len(), 5);
    assert_eq!(res["targets"][0]["name"], "学校");

    // Listed and readable by A, not by B.
    let list = app
        .call("GET", "/api/v1/qra/studies", Some(&safety), None)
        .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    let list = app
        .call("GET", "/api/v1/qra/studies", Some(&other), None)
        .await;
    assert!(list.body["items"].as_array().unwrap().is_empty());
    let path = format!("/api/v1/qra/studies/{id}");
    assert_eq!(
        app.call("GET", &path, Some(&safety), None).await.status,
        200
    );
    assert_eq!(app.call("GET", &path, Some(&other), None).await.status, 404);
    let report = app
        .call("GET", &format!("{path}/report.html"), Some(&safety), None)
        .await;
    assert_eq!(report.status, 200);
    assert!(
        report.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(report.body.as_str().unwrap().contains("<svg"));
    assert_eq!(
        app.call("GET", &format!("{path}/report.html"), Some(&other), None)
            .await
            .status,
        404
    );
    // B cannot assess A's installation; an operator may not assess at all.
    let r = app
        .call(
            "POST",
            "/api/v1/qra/studies",
            Some(&other),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, 404, "{:?}", r.body);
    let op = app.login("operator_a").await;
    let r = app
        .call("POST", "/api/v1/qra/studies", Some(&op), Some(body.clone()))
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    // A bad field is a 422 naming its path; a bad value names the model field.
    let mut bad = body.clone();
    bad["study"]["weather"][0]["probability"] = json!("half");
    let r = app
        .call("POST", "/api/v1/qra/studies", Some(&safety), Some(bad))
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(
        r.body["error"]["field"]
            .as_str()
            .unwrap()
            .starts_with("study.weather"),
        "{:?}",
        r.body
    );
    let mut bad = body.clone();
    bad["study"]["installations"][0]["equipment"][0]["inventory_kg"] = json!(-1.0);
    let r = app
        .call("POST", "/api/v1/qra/studies", Some(&safety), Some(bad))
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_error_shape(&r);
    assert_eq!(r.body["error"]["field"], "equipment.inventory_kg");
    // Audited.
    let admin = app.login("admin_a").await;
    let audit = app.call("GET", "/api/v1/audit", Some(&admin), None).await;
    assert!(audit.body.to_string().contains("qra_study.create"));
}
