//! 定量风险评估 through the API: consequence models by name (bad input is a
//! 422 naming the field, in both languages; an unknown model is a 404).

mod common;

use common::*;
use serde_json::json;

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
