//! The scope matrix: for every endpoint of the API, a user of enterprise A
//! gets 404 for B's objects and never sees them in a list; a regulator of B's
//! county likewise never sees A's. The test fails if an endpoint is added to
//! the OpenAPI document without being placed in this matrix.

mod common;

use common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// (method, OpenAPI path) pairs that hold no tenant data, and why.
const EXEMPT: &[(&str, &str, &str)] = &[
    ("post", "/api/v1/auth/login", "no caller yet"),
    (
        "post",
        "/api/v1/auth/logout",
        "acts on the caller's own session",
    ),
    ("get", "/api/v1/auth/me", "the caller's own identity"),
    (
        "get",
        "/api/v1/qra/models",
        "the list of consequence models, no tenant data",
    ),
    (
        "post",
        "/api/v1/qra/models/{name}",
        "a pure computation on the caller's own input, no tenant data",
    ),
    (
        "get",
        "/api/v1/qra/studies",
        "scoped by the store; A's study is not listed for B (qra_api::studies_run_store_scope_and_report)",
    ),
    (
        "post",
        "/api/v1/qra/studies",
        "B's user gets 404 for A's installation (qra_api::studies_run_store_scope_and_report)",
    ),
    (
        "get",
        "/api/v1/qra/studies/{id}",
        "404 for another enterprise's study (qra_api::studies_run_store_scope_and_report)",
    ),
    (
        "get",
        "/api/v1/qra/studies/{id}/report.html",
        "404 for another enterprise's study (qra_api::studies_run_store_scope_and_report)",
    ),
    (
        "get",
        "/api/v1/threat-zones",
        "filtered by the alarm directory's rule; B sees none of A's (qra_api::a_chlorine_alarm_draws_a_live_threat_zone_downwind_scoped_and_cleared)",
    ),
    (
        "put",
        "/api/v1/threat-zones/{installation_id}/source",
        "404 for another enterprise's installation (qra_api::a_chlorine_alarm_draws_a_live_threat_zone_downwind_scoped_and_cleared)",
    ),
    (
        "get",
        "/api/v1/regions",
        "administrative names, tested in the store suite",
    ),
    (
        "post",
        "/api/v1/regions",
        "regulators only; region scope tested in the store suite",
    ),
    (
        "get",
        "/api/v1/chemicals",
        "shared catalogue, no tenant data",
    ),
    (
        "get",
        "/api/v1/prevention/stats.xlsx",
        "the figures of /api/v1/prevention/stats (in the matrix) from the same function, as XLSX",
    ),
    (
        "get",
        "/api/v1/permits/checklist",
        "the standard's Annex A forms, no tenant data",
    ),
    (
        "post",
        "/api/v1/chemicals",
        "shared catalogue, no tenant data",
    ),
    (
        "get",
        "/api/v1/chemicals/{id}",
        "shared catalogue, no tenant data",
    ),
    (
        "post",
        "/api/v1/parks",
        "regulators only: enterprise users get 403 (checked below)",
    ),
    (
        "post",
        "/api/v1/enterprises",
        "regulators and park admins only (checked below)",
    ),
    (
        "patch",
        "/api/v1/chemicals/{id}",
        "shared catalogue, regulators only (checked in gb18218_api)",
    ),
    (
        "post",
        "/api/v2/write",
        "gateway tokens only; a tag of another enterprise is rejected (telemetry_api::only_gateway_tokens_write_and_only_their_enterprise)",
    ),
    (
        "post",
        "/api/v1/samples",
        "gateway tokens only; tags resolve inside the token's enterprise (telemetry_api)",
    ),
    (
        "get",
        "/api/v1/events/stream",
        "a stream: scoping tested in alarms_api::the_event_stream_is_scoped_and_resumes_without_loss",
    ),
    (
        "post",
        "/api/v1/gb18218/assess",
        "computes on the posted data only; reads nothing stored",
    ),
];

enum Expect {
    /// A list: every item belongs to the viewer's side.
    List,
    /// Not found.
    NotFound,
    /// A ledger import (CSV in `body` as a string) naming B's objects: refused, nothing written.
    ImportRefused,
    /// A ledger export: the workbook holds only the viewer's side.
    ExportOwnOnly,
    /// A plain JSON array whose elements all belong to the viewer's side.
    Array,
    /// A JSON object that mentions nothing of the other side.
    OwnOnly,
}

struct Case {
    method: &'static str,
    template: &'static str,
    path: String,
    body: Option<Value>,
    expect: Expect,
}

fn cases(other: &Side) -> Vec<Case> {
    use Expect::*;
    let c = |method, template, path: String, body, expect| Case {
        method,
        template,
        path,
        body,
        expect,
    };
    let o = other;
    vec![
        c("get", "/api/v1/parks", "/api/v1/parks".into(), None, List),
        c(
            "get",
            "/api/v1/parks/{id}",
            format!("/api/v1/parks/{}", o.park.id),
            None,
            NotFound,
        ),
        c(
            "get",
            "/api/v1/enterprises",
            "/api/v1/enterprises".into(),
            None,
            List,
        ),
        c(
            "get",
            "/api/v1/enterprises",
            format!("/api/v1/enterprises?park_id={}", o.park.id),
            None,
            List,
        ),
        c(
            "get",
            "/api/v1/enterprises/{id}",
            format!("/api/v1/enterprises/{}", o.enterprise.id),
            None,
            NotFound,
        ),
        c(
            "get",
            "/api/v1/installations",
            "/api/v1/installations".into(),
            None,
            List,
        ),
        c(
            "get",
            "/api/v1/installations",
            format!("/api/v1/installations?enterprise_id={}", o.enterprise.id),
            None,
            List,
        ),
        c(
            "get",
            "/api/v1/installations/{id}",
            format!("/api/v1/installations/{}", o.installation.id),
            None,
            NotFound,
        ),
        c(
            "patch",
            "/api/v1/installations/{id}",
            format!("/api/v1/installations/{}", o.installation.id),
            Some(json!({"people_within_500m": 999})),
            NotFound,
        ),
        c(
            "post",
            "/api/v1/installations",
            "/api/v1/installations".into(),
            Some(json!({"enterprise_id": o.enterprise.id, "code": "X-1", "name": "越权"})),
            NotFound,
        ),
        c("get", "/api/v1/units", "/api/v1/units".into(), None, List),
        c(
            "get",
            "/api/v1/units/{id}",
            format!("/api/v1/units/{}", o.unit.id),
            None,
            NotFound,
        ),
        c(
            "post",
            "/api/v1/units",
            "/api/v1/units".into(),
            Some(
                json!({"installation_id": o.installation.id, "name": "越权单元", "kind": "storage"}),
            ),
            NotFound,
        ),
        c(
            "get",
            "/api/v1/equipment",
            "/api/v1/equipment".into(),
            None,
            List,
        ),
        c(
            "get",
            "/api/v1/equipment/{id}",
            format!("/api/v1/equipment/{}", o.equipment.id),
            None,
            NotFound,
        ),
        c(
            "post",
            "/api/v1/equipment",
            "/api/v1/equipment".into(),
            Some(json!({"unit_id": o.unit.id, "code": "X-9", "name": "越权设备", "kind": "tank"})),
            NotFound,
        ),
        c("get", "/api/v1/points", "/api/v1/points".into(), None, List),
        c(
            "get",
            "/api/v1/points",
            format!("/api/v1/points?installation_id={}", o.installation.id),
            None,
            List,
        ),
        c(
            "get",
            "/api/v1/points/{tag}",
            format!("/api/v1/points/{}", o.point.tag),
            None,
            NotFound,
        ),
        c(
            "get",
            "/api/v1/points/{tag}",
            format!("/api/v1/points/{}", o.point.id),
            None,
            NotFound,
        ),
        c(
            "patch",
            "/api/v1/points/{tag}",
            format!("/api/v1/points/{}", o.point.tag),
            Some(json!({"name": "越权"})),
            NotFound,
        ),
        c(
            "post",
            "/api/v1/points",
            "/api/v1/points".into(),
            Some(
                json!({"installation_id": o.installation.id, "tag": "XX-1", "name": "越权", "indicator": "level", "unit": "%", "range_low": 0, "range_high": 100}),
            ),
            NotFound,
        ),
        c(
            "get",
            "/api/v1/inventories",
            "/api/v1/inventories".into(),
            None,
            List,
        ),
        c(
            "get",
            "/api/v1/inventories/{id}",
            format!("/api/v1/inventories/{}", o.inventory.id),
            None,
            NotFound,
        ),
        c(
            "patch",
            "/api/v1/inventories/{id}",
            format!("/api/v1/inventories/{}", o.inventory.id),
            Some(json!({"design_max_quantity_t": 1.0})),
            NotFound,
        ),
        c(
            "delete",
            "/api/v1/inventories/{id}",
            format!("/api/v1/inventories/{}", o.inventory.id),
            None,
            NotFound,
        ),
        c(
            "post",
            "/api/v1/inventories",
            "/api/v1/inventories".into(),
            Some(
                json!({"unit_id": o.unit.id, "chemical_id": o.inventory.chemical_id, "design_max_quantity_t": 5}),
            ),
            NotFound,
        ),
        c("get", "/api/v1/users", "/api/v1/users".into(), None, List),
        c(
            "post",
            "/api/v1/users",
            "/api/v1/users".into(),
            Some(
                json!({"username": "intruder", "display_name": "x", "password": "Longenough123", "role": "operator", "scope": {"kind": "enterprise", "id": o.enterprise.id}}),
            ),
            NotFound,
        ),
        c(
            "get",
            "/api/v1/api-tokens",
            "/api/v1/api-tokens".into(),
            None,
            List,
        ),
        c(
            "post",
            "/api/v1/api-tokens",
            "/api/v1/api-tokens".into(),
            Some(json!({"enterprise_id": o.enterprise.id, "name": "越权", "purpose": "ingest"})),
            NotFound,
        ),
        c(
            "delete",
            "/api/v1/api-tokens/{id}",
            "/api/v1/api-tokens/{other_token}".into(),
            None,
            NotFound,
        ),
        c(
            "get",
            "/api/v1/audit",
            format!("/api/v1/audit?entity_id={}", o.installation.id),
            None,
            List,
        ),
        c(
            "get",
            "/api/v1/audit",
            "/api/v1/audit?limit=1000".into(),
            None,
            List,
        ),
        c(
            "post",
            "/api/v1/ledger/import",
            "/api/v1/ledger/import?kind=points".into(),
            Some(Value::String(format!(
                "enterprise_credit_code,installation_code,tag,name,indicator,unit,range_low,range_high\n{},{},TT-X1,越权温度,temperature,°C,0,100\n",
                o.enterprise.credit_code, o.installation.code
            ))),
            ImportRefused,
        ),
        c(
            "get",
            "/api/v1/installations/{id}/assessments",
            format!("/api/v1/installations/{}/assessments", o.installation.id),
            None,
            NotFound,
        ),
        c(
            "get",
            "/api/v1/enterprises/{id}/gb18218-report",
            format!("/api/v1/enterprises/{}/gb18218-report", o.enterprise.id),
            None,
            NotFound,
        ),
        c(
            "get",
            "/api/v1/points/{tag}/samples",
            format!("/api/v1/points/{}/samples", o.point.tag),
            None,
            NotFound,
        ),
        c(
            "get",
            "/api/v1/samples/latest",
            "/api/v1/samples/latest".into(),
            None,
            Array,
        ),
        c(
            "get",
            "/api/v1/samples/latest",
            format!(
                "/api/v1/samples/latest?installation_id={}",
                o.installation.id
            ),
            None,
            Array,
        ),
        c(
            "get",
            "/api/v1/ledger/export",
            "/api/v1/ledger/export".into(),
            None,
            ExportOwnOnly,
        ),
        c(
            "get",
            "/api/v1/alarms",
            "/api/v1/alarms".into(),
            None,
            Array,
        ),
        c(
            "get",
            "/api/v1/alarms/{id}",
            format!("/api/v1/alarms/{}", b_alarm(o)),
            None,
            NotFound,
        ),
        c(
            "post",
            "/api/v1/alarms/{id}/ack",
            format!("/api/v1/alarms/{}/ack", b_alarm(o)),
            Some(json!({"reason": "越权"})),
            NotFound,
        ),
        c(
            "post",
            "/api/v1/alarms/{id}/reset",
            format!("/api/v1/alarms/{}/reset", b_alarm(o)),
            None,
            NotFound,
        ),
        c(
            "post",
            "/api/v1/alarms/{id}/shelve",
            format!("/api/v1/alarms/{}/shelve", b_alarm(o)),
            Some(json!({"minutes": 30, "reason": "越权"})),
            NotFound,
        ),
        c(
            "post",
            "/api/v1/alarms/{id}/unshelve",
            format!("/api/v1/alarms/{}/unshelve", b_alarm(o)),
            None,
            NotFound,
        ),
        c(
            "post",
            "/api/v1/alarms/{id}/out-of-service",
            format!("/api/v1/alarms/{}/out-of-service", b_alarm(o)),
            Some(json!({"out_of_service": true, "reason": "越权"})),
            NotFound,
        ),
        c(
            "post",
            "/api/v1/alarms/{id}/comment",
            format!("/api/v1/alarms/{}/comment", b_alarm(o)),
            Some(json!({"text": "越权"})),
            NotFound,
        ),
        c(
            "post",
            "/api/v1/points/{tag}/alarm-suppression",
            format!("/api/v1/points/{}/alarm-suppression", o.point.tag),
            Some(json!({"suppressed": true, "reason": "越权"})),
            NotFound,
        ),
        c(
            "get",
            "/api/v1/points/{tag}/alarm-settings",
            format!("/api/v1/points/{}/alarm-settings", o.point.tag),
            None,
            NotFound,
        ),
        c(
            "put",
            "/api/v1/points/{tag}/alarm-settings",
            format!("/api/v1/points/{}/alarm-settings", o.point.tag),
            Some(json!({"settings": {"deadband": 1.0}})),
            NotFound,
        ),
        c(
            "get",
            "/api/v1/alarm-events",
            "/api/v1/alarm-events".into(),
            None,
            Array,
        ),
        c(
            "get",
            "/api/v1/installations/{id}/risk",
            format!("/api/v1/installations/{}/risk", o.installation.id),
            None,
            NotFound,
        ),
        c(
            "get",
            "/api/v1/risk/summary",
            "/api/v1/risk/summary".into(),
            None,
            OwnOnly,
        ),
        c(
            "get",
            "/api/v1/site-plan",
            "/api/v1/site-plan".into(),
            None,
            OwnOnly,
        ),
        c(
            "get",
            "/api/v1/site-plan",
            format!("/api/v1/site-plan?park_id={}", o.park.id),
            None,
            OwnOnly,
        ),
        c(
            "get",
            "/api/v1/gb50493/findings",
            "/api/v1/gb50493/findings".into(),
            None,
            OwnOnly,
        ),
        c(
            "get",
            "/api/v1/alarm-kpis",
            "/api/v1/alarm-kpis".into(),
            None,
            OwnOnly,
        ),
        c(
            "get",
            "/api/v1/permits",
            "/api/v1/permits".into(),
            None,
            Array,
        ),
        c(
            "post",
            "/api/v1/permits",
            "/api/v1/permits".into(),
            Some(json!({"permit": road_closure(&o.installation.id)})),
            NotFound,
        ),
        c(
            "get",
            "/api/v1/permits/{id}",
            "/api/v1/permits/{permit}".into(),
            None,
            NotFound,
        ),
        c(
            "patch",
            "/api/v1/permits/{id}",
            "/api/v1/permits/{permit}".into(),
            Some(json!({"content": "越权"})),
            NotFound,
        ),
        c(
            "post",
            "/api/v1/permits/{id}/actions",
            "/api/v1/permits/{permit}/actions".into(),
            Some(json!({"action": "cancel"})),
            NotFound,
        ),
        c(
            "post",
            "/api/v1/permits/{id}/gas-tests",
            "/api/v1/permits/{permit}/gas-tests".into(),
            Some(json!({"taken_at_ms": 1_700_000_000_000i64, "substance": "甲烷"})),
            NotFound,
        ),
        c(
            "get",
            "/api/v1/hidden-dangers",
            "/api/v1/hidden-dangers".into(),
            None,
            Array,
        ),
        c(
            "post",
            "/api/v1/hidden-dangers",
            "/api/v1/hidden-dangers".into(),
            Some(
                json!({"enterprise_id": o.enterprise.id, "danger": {"name": "越权", "source": "routine", "danger_type": "safety"}}),
            ),
            NotFound,
        ),
        c(
            "get",
            "/api/v1/hidden-dangers/{id}",
            "/api/v1/hidden-dangers/{danger}".into(),
            None,
            NotFound,
        ),
        c(
            "post",
            "/api/v1/hidden-dangers/{id}/actions",
            "/api/v1/hidden-dangers/{danger}/actions".into(),
            Some(json!({"action": "withdraw", "reason": "越权"})),
            NotFound,
        ),
        c(
            "get",
            "/api/v1/risk-register",
            "/api/v1/risk-register".into(),
            None,
            Array,
        ),
        c(
            "post",
            "/api/v1/risk-register",
            "/api/v1/risk-register".into(),
            Some(
                json!({"kind": "object", "code": "X-1", "installation_id": o.installation.id, "name": "越权"}),
            ),
            NotFound,
        ),
        c(
            "get",
            "/api/v1/inspection-tasks",
            "/api/v1/inspection-tasks".into(),
            None,
            Array,
        ),
        c(
            "post",
            "/api/v1/inspection-tasks/{id}/records",
            "/api/v1/inspection-tasks/{task}/records".into(),
            Some(json!({"check_status": "normal"})),
            NotFound,
        ),
        c(
            "get",
            "/api/v1/prevention/stats",
            "/api/v1/prevention/stats".into(),
            None,
            OwnOnly,
        ),
        c(
            "get",
            "/api/v1/hidden-dangers/{id}/attachments",
            "/api/v1/hidden-dangers/{danger}/attachments".into(),
            None,
            NotFound,
        ),
        c(
            "get",
            "/api/v1/hidden-dangers/{id}/attachments/{attachment}",
            "/api/v1/hidden-dangers/{danger}/attachments/x".into(),
            None,
            NotFound,
        ),
        c(
            "post",
            "/api/v1/hidden-dangers/{id}/attachments",
            "/api/v1/hidden-dangers/{danger}/attachments?name=x.txt".into(),
            Some(json!("越权")),
            NotFound,
        ),
        c(
            "get",
            "/api/v1/permits/board",
            "/api/v1/permits/board".into(),
            None,
            OwnOnly,
        ),
    ]
}

/// A minimal road-closure permit at an installation (no gas analysis needed).
fn road_closure(installation_id: &str) -> Value {
    let now = weihua_store::now_ms();
    json!({
        "work": {"kind": "road_closure"},
        "planned": {"start_ms": now, "end_ms": now + 3_600_000},
        "location": {"installation_id": installation_id, "place": "东门道路"},
    })
}

/// One reported hidden danger per side; returns (A's, B's) ids.
async fn seed_dangers(app: &TestApp) -> (String, String) {
    let mut ids = Vec::new();
    for user in ["admin_a", "admin_b"] {
        let t = app.login(user).await;
        let r = app
            .call(
                "POST",
                "/api/v1/hidden-dangers",
                Some(&t),
                Some(json!({"danger": {"name": "液位计失灵", "source": "routine", "danger_type": "instrumentation"}})),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        ids.push(r.body["id"].as_str().unwrap().to_string());
    }
    (ids[0].clone(), ids[1].clone())
}

/// A register chain (object → unit → event → measure with a 2-hour task) per
/// side, each with one check; returns (A's, B's) task ids.
async fn seed_tasks(app: &TestApp) -> (String, String) {
    let mut ids = Vec::new();
    for (user, side) in [("admin_a", &app.a), ("admin_b", &app.b)] {
        let t = app.login(user).await;
        let mut parent = Value::Null;
        let mut last = Value::Null;
        for body in [
            json!({"kind": "object", "code": "MHI-1", "installation_id": side.installation.id, "name": "罐区"}),
            json!({"kind": "unit", "name": "储罐", "assessment": {"method": "matrix", "likelihood": 2, "severity": 3}}),
            json!({"kind": "event", "name": "泄漏"}),
            json!({"kind": "measure", "name": "巡检", "data_src": "inspection", "task": {"cycle": {"value": 2, "unit": "hour"}}}),
        ] {
            let mut body = body;
            if !parent.is_null() {
                body["parent_id"] = parent.clone();
            }
            let r = app
                .call("POST", "/api/v1/risk-register", Some(&t), Some(body))
                .await;
            assert_eq!(r.status, 201, "{:?}", r.body);
            parent = r.body["id"].clone();
            last = r.body.clone();
        }
        let task = last["task"]["id"].as_str().unwrap().to_string();
        let r = app
            .call(
                "POST",
                &format!("/api/v1/inspection-tasks/{task}/records"),
                Some(&t),
                Some(json!({"check_status": "normal"})),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        ids.push(task);
    }
    (ids[0].clone(), ids[1].clone())
}

/// One draft permit per side, reported online (so regulators of its county
/// would see it); returns (A's, B's) ids.
async fn seed_permits(app: &TestApp) -> (String, String) {
    let mut ids = Vec::new();
    for (user, side) in [("admin_a", &app.a), ("admin_b", &app.b)] {
        let t = app.login(user).await;
        let r = app
            .call(
                "POST",
                "/api/v1/permits",
                Some(&t),
                Some(json!({"permit": road_closure(&side.installation.id)})),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        ids.push(r.body["id"].as_str().unwrap().to_string());
    }
    (ids[0].clone(), ids[1].clone())
}

/// Each side shelves its own point's interruption alarm, so both have an
/// alarm row and journal entries that a leak would show.
async fn seed_alarms(app: &TestApp) {
    for (user, side) in [("admin_a", &app.a), ("admin_b", &app.b)] {
        let t = app.login(user).await;
        let r = app
            .call(
                "POST",
                &format!("/api/v1/alarms/{}:interruption/shelve", side.point.id),
                Some(&t),
                Some(json!({"minutes": 60, "reason": "检修"})),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
    }
}

/// An alarm of B's point that exists in the engine (every point watches for interruptions).
fn b_alarm(b: &Side) -> String {
    format!("{}:interruption", b.point.id)
}

/// Check that every item of a list belongs to `own` (by enterprise or park id).
fn assert_own(items: &[Value], own: &Side, other: &Side, what: &str) {
    for it in items {
        let s = it.to_string();
        assert!(
            !s.contains(&other.enterprise.id),
            "{what}: leaked B's enterprise id in {s}"
        );
        assert!(
            !s.contains(&other.installation.id),
            "{what}: leaked B's installation in {s}"
        );
        if let Some(e) = it.get("enterprise_id").and_then(Value::as_str) {
            assert_eq!(
                e, own.enterprise.id,
                "{what}: item of another enterprise: {s}"
            );
        }
    }
}

#[tokio::test]
async fn every_endpoint_is_in_the_matrix() {
    let doc = serde_json::to_value(weihua_server::openapi()).unwrap();
    let mut covered: BTreeSet<(String, String)> = BTreeSet::new();
    let dummy = TestApp::spawn().await;
    for c in cases(&dummy.b) {
        covered.insert((c.method.to_string(), c.template.to_string()));
    }
    for (m, p, _) in EXEMPT {
        covered.insert((m.to_string(), p.to_string()));
    }
    let mut missing = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if !covered.contains(&(method.clone(), path.clone())) {
                missing.push(format!("{method} {path}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "endpoints missing from the scope matrix: {missing:?}"
    );
}

#[tokio::test]
async fn enterprise_a_admin_never_reaches_b() {
    let app = TestApp::spawn_telemetry().await;
    // B has an API token of its own, for the revoke case.
    let tb = app.login("admin_b").await;
    let created = app
        .call(
            "POST",
            "/api/v1/api-tokens",
            Some(&tb),
            Some(
                json!({"enterprise_id": app.b.enterprise.id, "name": "B网关", "purpose": "ingest"}),
            ),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let b_token_id = created.body["api_token"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let ta = app.login("admin_a").await;
    seed_alarms(&app).await;
    let (_, b_permit) = seed_permits(&app).await;
    let (_, b_danger) = seed_dangers(&app).await;
    let (_, b_task) = seed_tasks(&app).await;
    for case in cases(&app.b) {
        let path = case
            .path
            .replace("{other_token}", &b_token_id)
            .replace("{permit}", &b_permit)
            .replace("{danger}", &b_danger)
            .replace("{task}", &b_task);
        match case.expect {
            Expect::ImportRefused => {
                let csv = case
                    .body
                    .as_ref()
                    .and_then(Value::as_str)
                    .unwrap()
                    .to_string();
                let req = axum::http::Request::builder()
                    .method("POST")
                    .uri(&path)
                    .header("authorization", format!("Bearer {ta}"))
                    .header("content-type", "text/csv")
                    .body(axum::body::Body::from(csv))
                    .unwrap();
                let r = app.send(req).await;
                assert_eq!(r.status, 422, "{path}: {:?}", r.body);
                assert_eq!(r.body["error"]["code"], "ledger_invalid");
                let pts = app
                    .store
                    .list_points(
                        &weihua_core::Scope::National,
                        &Default::default(),
                        Default::default(),
                    )
                    .await
                    .unwrap();
                assert!(
                    pts.items.iter().all(|p| p.tag != "TT-X1"),
                    "nothing written"
                );
                continue;
            }
            Expect::ExportOwnOnly => {
                let req = axum::http::Request::builder()
                    .uri(&path)
                    .header("authorization", format!("Bearer {ta}"))
                    .body(axum::body::Body::empty())
                    .unwrap();
                let resp = tower::ServiceExt::oneshot(app.router.clone(), req)
                    .await
                    .unwrap();
                assert_eq!(resp.status(), 200);
                let bytes = http_body_util::BodyExt::collect(resp.into_body())
                    .await
                    .unwrap()
                    .to_bytes();
                let batch = weihua_ledger::parse_xlsx(&bytes).expect("export parses");
                let text = format!("{batch:?}");
                assert!(
                    text.contains(&app.a.enterprise.credit_code),
                    "A's own data is exported"
                );
                assert!(
                    !text.contains(&app.b.enterprise.credit_code),
                    "B's data leaked into A's export"
                );
                assert!(!text.contains(&app.b.point.tag));
                continue;
            }
            Expect::List | Expect::NotFound | Expect::Array | Expect::OwnOnly => {}
        }
        let r = app
            .call(
                &case.method.to_uppercase(),
                &path,
                Some(&ta),
                case.body.clone(),
            )
            .await;
        match case.expect {
            Expect::NotFound => {
                assert_eq!(
                    r.status, 404,
                    "{} {path}: expected 404, got {} {:?}",
                    case.method, r.status, r.body
                );
                assert_error_shape(&r);
            }
            Expect::List => {
                assert_eq!(r.status, 200, "{} {path}: {:?}", case.method, r.body);
                let items = r.body["items"].as_array().expect("items");
                assert_own(items, &app.a, &app.b, &path);
            }
            Expect::ImportRefused | Expect::ExportOwnOnly => unreachable!(),
            Expect::OwnOnly => {
                assert_eq!(r.status, 200, "{path}: {:?}", r.body);
                assert_own(std::slice::from_ref(&r.body), &app.a, &app.b, &path);
            }
            Expect::Array => {
                assert_eq!(r.status, 200, "{path}: {:?}", r.body);
                let items = r.body.as_array().expect("array");
                assert!(
                    !items.is_empty() || path.contains("installation_id"),
                    "{path}: own points listed"
                );
                assert_own(items, &app.a, &app.b, &path);
            }
        }
    }
    // Nothing of B changed.
    let b_inst = app
        .store
        .get_installation(&weihua_core::Scope::National, &app.b.installation.id)
        .await
        .unwrap();
    assert_eq!(b_inst.people_within_500m, 10);
    assert!(
        app.store
            .get_inventory(&weihua_core::Scope::National, &app.b.inventory.id)
            .await
            .is_ok()
    );
    let still = app.call("GET", "/api/v1/api-tokens", Some(&tb), None).await;
    assert!(
        still.body["items"][0]["revoked_at"].is_null(),
        "B's token untouched"
    );
    // A's own objects are reachable (the 404s above are about scope, not broken routes).
    let own = app
        .call(
            "GET",
            &format!("/api/v1/points/{}", app.a.point.tag),
            Some(&ta),
            None,
        )
        .await;
    assert_eq!(own.status, 200);
    let own = app
        .call(
            "GET",
            &format!("/api/v1/inventories/{}", app.a.inventory.id),
            Some(&ta),
            None,
        )
        .await;
    assert_eq!(own.status, 200);
    // Lists are non-empty for A: the filter is not simply "nothing".
    let pts = app.call("GET", "/api/v1/points", Some(&ta), None).await;
    assert_eq!(pts.body["total"], 1);
}

#[tokio::test]
async fn regulator_of_bs_county_never_reaches_a() {
    let app = TestApp::spawn_telemetry().await;
    seed_alarms(&app).await;
    let (a_permit, _) = seed_permits(&app).await;
    let (a_danger, _) = seed_dangers(&app).await;
    let (a_task, _) = seed_tasks(&app).await;
    let t = app.login("county_b").await;
    // Regulators may not manage users' tokens at all: that is a 403 before any scope.
    let r = app.call("GET", "/api/v1/api-tokens", Some(&t), None).await;
    assert_eq!(r.status, 403);
    for case in cases(&app.a).into_iter().filter(|c| {
        c.method == "get"
            && c.template != "/api/v1/api-tokens"
            && c.template != "/api/v1/ledger/export"
    }) {
        let path = case
            .path
            .replace("{permit}", &a_permit)
            .replace("{danger}", &a_danger)
            .replace("{task}", &a_task);
        let case = Case { path, ..case };
        let r = app.call("GET", &case.path, Some(&t), None).await;
        match case.expect {
            Expect::NotFound => assert_eq!(r.status, 404, "{}: {:?}", case.path, r.body),
            Expect::List => {
                assert_eq!(r.status, 200, "{}: {:?}", case.path, r.body);
                assert_own(
                    r.body["items"].as_array().unwrap(),
                    &app.b,
                    &app.a,
                    &case.path,
                );
            }
            Expect::ImportRefused | Expect::ExportOwnOnly => unreachable!(),
            Expect::OwnOnly => {
                assert_eq!(r.status, 200, "{}: {:?}", case.path, r.body);
                assert_own(std::slice::from_ref(&r.body), &app.b, &app.a, &case.path);
            }
            Expect::Array => {
                assert_eq!(r.status, 200, "{}: {:?}", case.path, r.body);
                assert_own(
                    r.body.as_array().expect("array"),
                    &app.b,
                    &app.a,
                    &case.path,
                );
            }
        }
    }
    let inst = app
        .call("GET", "/api/v1/installations", Some(&t), None)
        .await;
    assert_eq!(inst.body["total"], 1);
    // The province sees both.
    let tp = app.login("province").await;
    let inst = app
        .call("GET", "/api/v1/installations", Some(&tp), None)
        .await;
    assert_eq!(inst.body["total"], 2);
}

#[tokio::test]
async fn roles_that_may_not_write_get_403() {
    let app = TestApp::spawn().await;
    let ta = app.login("admin_a").await;
    let r = app
        .call(
            "POST",
            "/api/v1/parks",
            Some(&ta),
            Some(json!({"name": "x", "region_code": "320582"})),
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .call(
            "POST",
            "/api/v1/enterprises",
            Some(&ta),
            Some(
                json!({"credit_code": "91350100M000100Y43", "name": "x", "region_code": "320582"}),
            ),
        )
        .await;
    assert_eq!(r.status, 403);
    let op = app.login("operator_a").await;
    let r = app
        .call(
            "PATCH",
            &format!("/api/v1/installations/{}", app.a.installation.id),
            Some(&op),
            Some(json!({"people_within_500m": 1})),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_error_shape(&r);
    let reg = app.login("city_a").await;
    let r = app
        .call(
            "POST",
            "/api/v1/units",
            Some(&reg),
            Some(json!({"installation_id": app.a.installation.id, "name": "u", "kind": "storage"})),
        )
        .await;
    assert_eq!(r.status, 403, "regulators read, enterprises write");
    // A park admin may register an enterprise only in its own park.
    let pa = app.login("park_a").await;
    let r = app
        .call("POST", "/api/v1/enterprises", Some(&pa), Some(json!({"credit_code": "91350100M000100Y43", "name": "新企业", "region_code": "320831", "park_id": app.b.park.id})))
        .await;
    assert_eq!(r.status, 404, "{:?}", r.body);
    let r = app
        .call("POST", "/api/v1/enterprises", Some(&pa), Some(json!({"credit_code": "91350100M000100Y43", "name": "新企业", "region_code": "320582", "park_id": app.a.park.id})))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
}
