//! GB 18218-2018 through the API: the engine on posted data, and stored
//! installations re-graded when an inventory or the population changes.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn gb18218_published_exam_case_through_the_api() {
    let app = TestApp::spawn().await;
    let t = app.login("operator_a").await;
    let body = json!({"units":[{"id":"罐区A","kind":"storage","people_within_500m":60,
        "substances":[{"name":"二氧化硫","cas":"7446-09-5","table1_no":4,"categories":["J3"],"quantity_t":200}]}]});
    let r = app
        .call("POST", "/api/v1/gb18218/assess", Some(&t), Some(body))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let u = &r.body["units"][0];
    assert_eq!(u["S"], 10.0);
    assert_eq!(u["R"], 30.0);
    assert_eq!(u["grade"], 3);
    assert_eq!(u["alpha"], 1.5);
    assert_eq!(u["substances"][0]["Q_t"], 20.0);
    assert!(
        u["substances"][0]["Q_source"]
            .as_str()
            .unwrap()
            .contains("表1")
    );
    assert!(
        u["substances"][0]["beta_source"]
            .as_str()
            .unwrap()
            .contains("表3")
    );
}

#[tokio::test]
async fn gb18218_unresolvable_substance_is_a_422_naming_it() {
    let app = TestApp::spawn().await;
    let t = app.login("operator_a").await;
    let body = json!({"units":[{"id":"U1","kind":"production","people_within_500m":5,
        "substances":[{"name":"神秘物质","quantity_t":3}]}]});
    let r = app
        .call("POST", "/api/v1/gb18218/assess", Some(&t), Some(body))
        .await;
    assert_eq!(r.status, 422);
    assert_error_shape(&r);
    assert!(
        r.body["error"]["message_zh"]
            .as_str()
            .unwrap()
            .contains("神秘物质"),
        "{:?}",
        r.body
    );
    assert_eq!(r.body["error"]["details"]["unit_id"], "U1");
    let r = app
        .call(
            "POST",
            "/api/v1/gb18218/assess",
            Some(&t),
            Some(json!({"units": [], "colour": 1})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["error"]["field"], "colour");
}

#[tokio::test]
async fn stored_installation_is_regraded_when_inventory_or_population_changes() {
    let app = TestApp::spawn().await;
    let t = app.login("safety_a").await;
    let inst_path = format!("/api/v1/installations/{}", app.a.installation.id);
    // 60 t of liquid chlorine (Q = 5 t, β = 4), 10 people (α = 1): S = 12, R = 48 → 三级.
    let i = app.call("GET", &inst_path, Some(&t), None).await;
    assert_eq!(i.body["is_major_hazard"], true);
    assert_eq!(i.body["grade"], 3, "{:?}", i.body);
    assert_eq!(i.body["r_value"], 48.0);
    // 70 t: R = 56 → 二级.
    let r = app
        .call(
            "PATCH",
            &format!("/api/v1/inventories/{}", app.a.inventory.id),
            Some(&t),
            Some(json!({"design_max_quantity_t": 70})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let i = app.call("GET", &inst_path, Some(&t), None).await;
    assert_eq!(i.body["grade"], 2);
    // 100 people within 500 m: α = 2, R = 112 → 一级.
    let r = app
        .call(
            "PATCH",
            &inst_path,
            Some(&t),
            Some(json!({"people_within_500m": 100})),
        )
        .await;
    assert_eq!(r.status, 200);
    let i = app.call("GET", &inst_path, Some(&t), None).await;
    assert_eq!(i.body["grade"], 1);
    assert_eq!(i.body["r_value"], 112.0);
    // The history keeps every distinct assessment, newest first, with its input.
    let h = app
        .call("GET", &format!("{inst_path}/assessments"), Some(&t), None)
        .await;
    assert_eq!(h.status, 200);
    let grades: Vec<i64> = h.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["grade"].as_i64().unwrap())
        .collect();
    assert_eq!(grades, vec![1, 2, 3]);
    assert_eq!(h.body["items"][0]["table_version"], "GB 18218-2018");
    assert_eq!(
        h.body["items"][0]["input"]["assessment"]["units"][0]["people_within_500m"],
        100
    );
    // Removing the chlorine: no longer a major hazard; the grade is cleared.
    let r = app
        .call(
            "DELETE",
            &format!("/api/v1/inventories/{}", app.a.inventory.id),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    let i = app.call("GET", &inst_path, Some(&t), None).await;
    assert_eq!(i.body["is_major_hazard"], false);
    assert!(i.body["grade"].is_null());
    // Each change of grade is in the audit log.
    let admin = app.login("admin_a").await;
    let audit = app
        .call(
            "GET",
            &format!("/api/v1/audit?entity_id={}", app.a.installation.id),
            Some(&admin),
            None,
        )
        .await;
    let assessed = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "assess")
        .count();
    assert_eq!(assessed, 4, "initial grade, 二级, 一级, cleared");
}

#[tokio::test]
async fn printable_report_lists_units_substances_and_table_rows() {
    let app = TestApp::spawn().await;
    let t = app.login("city_a").await;
    let req = axum::http::Request::builder()
        .uri(format!(
            "/api/v1/enterprises/{}/gb18218-report",
            app.a.enterprise.id
        ))
        .header("authorization", format!("Bearer {t}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, 200);
    assert!(
        r.headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = r.body.as_str().unwrap();
    for needle in [
        "@page",
        "A4",
        "企业A",
        "液氯罐区A",
        "储存单元A",
        "氯",
        "表1",
        "表3",
        "三级",
        "GB 18218-2018",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
}

#[tokio::test]
async fn regulators_fix_a_chemicals_gb18218_data_and_holders_are_regraded() {
    let app = TestApp::spawn().await;
    let chem = app.a.inventory.chemical_id.clone();
    let path = format!("/api/v1/chemicals/{chem}");
    let admin = app.login("admin_a").await;
    let r = app
        .call(
            "PATCH",
            &path,
            Some(&admin),
            Some(json!({"gb18218_excluded": true})),
        )
        .await;
    assert_eq!(
        r.status, 403,
        "enterprises cannot change the shared catalogue"
    );
    let reg = app.login("province").await;
    let r = app
        .call(
            "PATCH",
            &path,
            Some(&reg),
            Some(json!({"hazard_categories": ["W99"]})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["error"]["field"], "hazard_categories");
    // Declaring chlorine outside GB 18218 (wrongly, for the test) re-grades both holders.
    let r = app
        .call(
            "PATCH",
            &path,
            Some(&reg),
            Some(json!({"gb18218_excluded": true})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    for inst in [&app.a.installation.id, &app.b.installation.id] {
        let i = app
            .call(
                "GET",
                &format!("/api/v1/installations/{inst}"),
                Some(&reg),
                None,
            )
            .await;
        assert_eq!(i.body["is_major_hazard"], false, "{:?}", i.body);
    }
    let r = app
        .call(
            "PATCH",
            &path,
            Some(&reg),
            Some(json!({"gb18218_excluded": false})),
        )
        .await;
    assert_eq!(r.status, 200);
    let i = app
        .call(
            "GET",
            &format!("/api/v1/installations/{}", app.a.installation.id),
            Some(&reg),
            None,
        )
        .await;
    assert_eq!(i.body["grade"], 3);
}
