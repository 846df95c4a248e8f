//! The demo's quantitative risk assessments (GB/T 37243-2019): the park's safety office
//! assesses 江海氯碱's liquid-chlorine store and 江海液化气's LPG spheres, with the
//! park's weather, its south-east wind and the villages, school and offices around.
//! Everything goes through the real API (`POST /api/v1/qra/studies`).
//!
//! The people, places and weather are fictional but of realistic size: 6 Pasquill
//! classes (day and night), a 16-sector rose with the coastal south-easterly prevailing,
//! a 2 km × 2 km grid at 5 m.

use anyhow::{Context, Result};
use axum::Router;
use serde_json::{Value, json};

use crate::demo_api::Api;

/// Metres east and north of (`lat0`, `lon0`) for a point at (`lat`, `lon`) (the local
/// projection the QRA output uses).
fn local(lat0: f64, lon0: f64, lat: f64, lon: f64) -> (f64, f64) {
    let [x, y] = weihua_qra::risk::GeoOrigin {
        lat_deg: lat0,
        lon_deg: lon0,
    }
    .to_local([lon, lat]);
    (x, y)
}

fn weather() -> Value {
    json!([
        {"id": "B3-day", "stability": "B", "wind_speed_m_s": 3.0, "probability": 0.10, "period": "day"},
        {"id": "C5-day", "stability": "C", "wind_speed_m_s": 5.0, "probability": 0.15, "period": "day"},
        {"id": "D5-day", "stability": "D", "wind_speed_m_s": 5.0, "probability": 0.25, "period": "day"},
        {"id": "D3-night", "stability": "D", "wind_speed_m_s": 3.0, "probability": 0.20, "period": "night"},
        {"id": "E2-night", "stability": "E", "wind_speed_m_s": 2.0, "probability": 0.15, "period": "night"},
        {"id": "F1.5-night", "stability": "F", "wind_speed_m_s": 1.5, "probability": 0.15, "period": "night"}
    ])
}

/// Wind from N, NNE, … NNW (clockwise): the coastal south-easterly prevails.
const ROSE: [f64; 16] = [
    0.06, 0.05, 0.06, 0.07, 0.08, 0.09, 0.11, 0.08, 0.07, 0.05, 0.04, 0.04, 0.04, 0.05, 0.06, 0.05,
];

/// A square of side `side_m` centred `(x, y)` as a polygon geometry.
fn square(x: f64, y: f64, side_m: f64) -> Value {
    let h = side_m / 2.0;
    json!({"type": "polygon", "vertices_m": [[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h]]})
}

struct Place {
    name: &'static str,
    class: &'static str,
    x: f64,
    y: f64,
    side: f64,
    day: f64,
    night: f64,
}

fn people(places: &[Place]) -> (Value, Value) {
    let population: Vec<Value> = places
        .iter()
        .map(|p| {
            json!({"id": p.name, "geometry": square(p.x, p.y, p.side),
                   "day_count": p.day, "night_count": p.night})
        })
        .collect();
    let targets: Vec<Value> = places
        .iter()
        .map(|p| {
            json!({"id": p.name, "name": p.name, "class": p.class,
                   "geometry": square(p.x, p.y, p.side)})
        })
        .collect();
    (Value::Array(population), Value::Array(targets))
}

/// An installation of the demo, found by name, with its position and equipment.
async fn installation(api: &Api, name: &str) -> Result<(Value, Vec<Value>)> {
    let insts = api
        .ok("GET", "/api/v1/installations?limit=200", None)
        .await?;
    let inst = insts["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["name"] == name))
        .cloned()
        .with_context(|| format!("demo installation {name}"))?;
    let id = inst["id"].as_str().context("installation id")?;
    let eq = api
        .ok(
            "GET",
            &format!("/api/v1/equipment?installation_id={id}&limit=200"),
            None,
        )
        .await?;
    Ok((inst, eq["items"].as_array().cloned().unwrap_or_default()))
}

fn study(
    name: &str,
    lat: f64,
    lon: f64,
    equipment: Vec<Value>,
    boundary_radius_m: f64,
    places: &[Place],
) -> Value {
    let (population, targets) = people(places);
    json!({
        "name": name,
        "grid": {"origin_x_m": -1000.0, "origin_y_m": -1000.0, "width_m": 2000.0,
                 "height_m": 2000.0, "cell_size_m": 5.0,
                 "geo_origin": {"lat_deg": lat, "lon_deg": lon}},
        "weather": weather(),
        "wind_rose": {"overall": ROSE},
        "installations": [{
            "id": "I1", "name": name,
            "boundary": {"type": "circle", "x_m": 0.0, "y_m": 0.0, "radius_m": boundary_radius_m},
            "equipment": equipment
        }],
        "population": population,
        "protected_targets": targets,
        "installation_status": "in_service"
    })
}

/// Seeds the two studies; returns their ids.
pub async fn seed(router: &Router, creds: &weihua_demo::DemoCredentials) -> Result<Vec<String>> {
    let park = Api::login(router, creds, "park").await?;
    let mut ids = Vec::new();

    // 江海氯碱 液氯储罐区: four 60 m³ tanks of 75 t (1.25 t/m³ filling), the transfer line.
    let (inst, eq) = installation(&park, "液氯储罐区").await?;
    let (lat, lon) = (
        inst["latitude"]
            .as_f64()
            .context("chlorine store latitude")?,
        inst["longitude"]
            .as_f64()
            .context("chlorine store longitude")?,
    );
    let mut equipment = Vec::new();
    let mut k = 0.0;
    for e in &eq {
        let code = e["code"].as_str().unwrap_or("TK");
        let ename = e["name"].as_str().unwrap_or("");
        if ename.contains("液氯储罐") && !ename.contains("事故") {
            let volume = e["design_volume_m3"].as_f64().unwrap_or(60.0);
            equipment.push(json!({
                "id": code, "name": ename, "loc": {"equipment": "pressure_vessel"},
                "x_m": -30.0 + 20.0 * k, "y_m": 0.0, "substance": "7782-50-5",
                "inventory_kg": volume * 1250.0, "phase": "liquid",
                "storage_temperature_k": 293.15, "release_height_m": 1.5,
                "bund_area_m2": 400.0
            }));
            k += 1.0;
        } else if ename.contains("管线") {
            equipment.push(json!({
                "id": code, "name": ename,
                "loc": {"equipment": "pipe", "diameter_mm": 50.0, "length_m": 120.0},
                "x_m": 30.0, "y_m": -40.0, "substance": "7782-50-5",
                "inventory_kg": 2000.0, "phase": "liquid",
                "storage_temperature_k": 293.15, "release_height_m": 1.0
            }));
        }
    }
    let (vx, vy) = local(lat, lon, lat + 0.0068, lon - 0.0075);
    let places = [
        Place {
            name: "江海村（居民）",
            class: "general_1",
            x: vx,
            y: vy,
            side: 250.0,
            day: 300.0,
            night: 520.0,
        },
        Place {
            name: "园区管委会",
            class: "important",
            x: 620.0,
            y: 150.0,
            side: 80.0,
            day: 150.0,
            night: 5.0,
        },
        Place {
            name: "江海小学",
            class: "high_sensitive",
            x: -250.0,
            y: 900.0,
            side: 120.0,
            day: 650.0,
            night: 0.0,
        },
        Place {
            name: "邻厂江海氮肥办公楼",
            class: "general_3",
            x: 420.0,
            y: 420.0,
            side: 60.0,
            day: 60.0,
            night: 10.0,
        },
    ];
    let body = json!({
        "installation_id": inst["id"],
        "study": study("江海氯碱 液氯储罐区 定量风险评价", lat, lon, equipment, 60.0, &places),
    });
    let r = park.ok("POST", "/api/v1/qra/studies", Some(body)).await?;
    ids.push(r["id"].as_str().unwrap_or_default().to_owned());

    // 江海液化气 液化石油气球罐区: three 1000 m³ LPG spheres (about 470 t each, as propane)
    // and two 400 m³ propane spheres.
    let (inst, eq) = installation(&park, "液化石油气球罐区").await?;
    let (lat, lon) = (
        inst["latitude"].as_f64().context("LPG spheres latitude")?,
        inst["longitude"]
            .as_f64()
            .context("LPG spheres longitude")?,
    );
    let mut equipment = Vec::new();
    let mut k = 0.0;
    for e in &eq {
        let code = e["code"].as_str().unwrap_or("TK");
        let ename = e["name"].as_str().unwrap_or("");
        if ename.contains("球罐") {
            let volume = e["design_volume_m3"].as_f64().unwrap_or(1000.0);
            equipment.push(json!({
                "id": code, "name": ename, "loc": {"equipment": "pressure_vessel"},
                "x_m": -60.0 + 30.0 * k, "y_m": if k < 3.0 { 0.0 } else { 35.0 },
                // LPG as propane (its main part; the more volatile, assumed).
                "substance": "74-98-6",
                "inventory_kg": volume * 553.0 * 0.85, "phase": "liquid",
                "storage_temperature_k": 293.15, "release_height_m": 2.0,
                "bund_area_m2": 1500.0
            }));
            k += 1.0;
        }
    }
    let places = [
        Place {
            name: "新港村（居民）",
            class: "general_1",
            x: 650.0,
            y: -600.0,
            side: 250.0,
            day: 280.0,
            night: 450.0,
        },
        Place {
            name: "园区消防站",
            class: "important",
            x: -480.0,
            y: 120.0,
            side: 60.0,
            day: 40.0,
            night: 30.0,
        },
        Place {
            name: "港湾小学",
            class: "high_sensitive",
            x: 150.0,
            y: -950.0,
            side: 120.0,
            day: 500.0,
            night: 0.0,
        },
        Place {
            name: "邻厂江海精细化工",
            class: "general_3",
            x: -350.0,
            y: -300.0,
            side: 80.0,
            day: 90.0,
            night: 15.0,
        },
    ];
    let body = json!({
        "installation_id": inst["id"],
        "study": study("江海液化气 液化石油气球罐区 定量风险评价", lat, lon, equipment, 80.0, &places),
    });
    let r = park.ok("POST", "/api/v1/qra/studies", Some(body)).await?;
    ids.push(r["id"].as_str().unwrap_or_default().to_owned());
    Ok(ids)
}
