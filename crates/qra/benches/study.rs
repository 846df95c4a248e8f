//! The whole chain, with the real consequence models (not synthetic footprints):
//!
//! - `threat_zone/chlorine`: a live threat zone of a flashing liquid-chlorine leak
//!   (source estimate from the tank's conditions, Britter–McQuaid dense plume, AEGL-3/2/1
//!   polygons) — target < 100 ms;
//! - `threat_zone/propane`: propane with LFL / ½ LFL, pool fire and explosion rings;
//! - `site_study/100`: a site of 34 pressure vessels and pipes (chlorine, propane,
//!   ammonia; 100 LOC scenarios) × 6 weather classes × 16 wind sectors on a 2 km × 2 km
//!   grid at 5 m: LOCs, source terms, pools, event trees, every outcome's footprint from the
//!   models (toxic load through the probit, LFL envelopes, TNT blasts, jet, pool and
//!   fireball fires), risk integration — target < 2 s on 2 cores.
//!
//! Run: `cargo bench -p weihua-qra --bench study`

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use weihua_qra::site::{StudyInput, assess_study};
use weihua_qra::threat::{StorageConditions, ThreatRequest, estimate_release, threat_zones};

fn chlorine_zone() -> ThreatRequest {
    let c: StorageConditions = serde_json::from_value(json!({
        "discharge": {"substance": "7782-50-5", "phase": "liquid", "storage_temperature_k": 298.15,
                      "hole_diameter_m": 0.025, "inventory_kg": 75000.0, "duration_s": 600.0},
        "wind_speed_m_s": 2.5
    }))
    .expect("conditions");
    let e = estimate_release(&c).expect("release");
    serde_json::from_value(json!({
        "substance": {"name_zh": "氯", "name_en": "Chlorine", "cas": "7782-50-5",
                      "molar_mass_kg_mol": 0.0709,
                      "toxic_levels": [
                          {"level": "AEGL-3", "label_zh": "AEGL-3", "label_en": "AEGL-3", "ppm": 20.0},
                          {"level": "AEGL-2", "label_zh": "AEGL-2", "label_en": "AEGL-2", "ppm": 2.0},
                          {"level": "AEGL-1", "label_zh": "AEGL-1", "label_en": "AEGL-1", "ppm": 0.5}]},
        "release": e.release,
        "release_density_kg_m3": e.discharge.release_density_kg_m3,
        "release_temperature_k": e.discharge.release_temperature_k,
        "weather": {"wind_speed_m_s": 2.5, "wind_from_deg": 135.0, "stability": "E"}
    }))
    .expect("request")
}

fn propane_zone() -> ThreatRequest {
    serde_json::from_value(json!({
        "substance": {"name_zh": "丙烷", "name_en": "Propane", "cas": "74-98-6",
                      "molar_mass_kg_mol": 0.0441, "lfl_volume_fraction": 0.021},
        "release": {"continuous": {"mass_rate_kg_s": 8.0, "duration_s": 600.0}},
        "weather": {"wind_speed_m_s": 3.0, "wind_from_deg": 90.0, "stability": "D"},
        "ignition": {"heat_of_combustion_j_kg": 46.35e6, "pool_diameter_m": 12.0,
                     "heat_of_vaporization_j_kg": 4.26e5, "boiling_point_k": 231.0}
    }))
    .expect("request")
}

/// 34 items (12 chlorine tanks, 12 propane spheres, 6 ammonia tanks, 4 pipes) with the
/// pressure-vessel and pipe LOC tables: 100 scenarios.
fn site() -> StudyInput {
    let mut equipment = Vec::new();
    let subs = [
        ("7782-50-5", 75_000.0),
        ("74-98-6", 200_000.0),
        ("7664-41-7", 50_000.0),
    ];
    let counts = [12, 12, 6];
    let mut k = 0;
    for ((cas, inv), n) in subs.iter().zip(counts) {
        for _ in 0..n {
            let (x, y) = ((k % 6) as f64 * 60.0 - 150.0, (k / 6) as f64 * 60.0 - 150.0);
            equipment.push(
                json!({"id": format!("V-{k}"), "loc": {"equipment": "pressure_vessel"},
                "x_m": x, "y_m": y, "substance": cas, "inventory_kg": inv, "phase": "liquid",
                "release_height_m": 1.5, "bund_area_m2": 600.0}),
            );
            k += 1;
        }
    }
    for i in 0..4 {
        equipment.push(json!({"id": format!("P-{i}"),
            "loc": {"equipment": "pipe", "diameter_mm": 80.0, "length_m": 100.0},
            "x_m": 200.0, "y_m": i as f64 * 50.0 - 100.0, "substance": subs[i % 3].0,
            "inventory_kg": 3000.0, "phase": "liquid"}));
    }
    let rose: Vec<f64> = (0..16).map(|i| if i == 6 { 0.1 } else { 0.06 }).collect();
    serde_json::from_value(json!({
        "name": "bench",
        "grid": {"origin_x_m": -1000.0, "origin_y_m": -1000.0, "width_m": 2000.0,
                 "height_m": 2000.0, "cell_size_m": 5.0,
                 "geo_origin": {"lat_deg": 31.95, "lon_deg": 120.55}},
        "weather": [
            {"id": "B3", "stability": "B", "wind_speed_m_s": 3.0, "probability": 0.1, "period": "day"},
            {"id": "C5", "stability": "C", "wind_speed_m_s": 5.0, "probability": 0.15, "period": "day"},
            {"id": "D5", "stability": "D", "wind_speed_m_s": 5.0, "probability": 0.25, "period": "day"},
            {"id": "D3", "stability": "D", "wind_speed_m_s": 3.0, "probability": 0.2, "period": "night"},
            {"id": "E2", "stability": "E", "wind_speed_m_s": 2.0, "probability": 0.15, "period": "night"},
            {"id": "F1.5", "stability": "F", "wind_speed_m_s": 1.5, "probability": 0.15, "period": "night"}],
        "wind_rose": {"overall": rose},
        "installations": [{"id": "I", "boundary": {"type": "circle", "x_m": 0.0, "y_m": 0.0, "radius_m": 250.0},
                           "equipment": equipment}],
        "population": [{"geometry": {"type": "polygon", "vertices_m": [[400.0, 400.0], [700.0, 400.0], [700.0, 700.0], [400.0, 700.0]]},
                        "day_count": 500.0, "night_count": 800.0}],
        "protected_targets": [{"id": "S", "class": "high_sensitive", "geometry": {"type": "point", "x_m": -600.0, "y_m": 700.0}}]
    }))
    .expect("site")
}

fn bench(c: &mut Criterion) {
    let cl = chlorine_zone();
    let pr = propane_zone();
    let s = site();
    // One plain timing of each, printed with the target, before criterion's runs.
    let t = Instant::now();
    let z = threat_zones(&cl).expect("zones");
    println!(
        "threat zone chlorine: {:.2} ms (target < 100 ms); AEGL-3 {:.0} m, AEGL-1 {:.0} m, dense: {}",
        t.elapsed().as_secs_f64() * 1e3,
        z.zones[0].distance_m,
        z.zones[2].distance_m,
        z.dense
    );
    let t = Instant::now();
    let r = assess_study(&s).expect("study");
    println!(
        "site study: {} scenarios, {} events, 6 weather x 16 sectors, 400 x 400 cells: {:.2} s (target < 2 s, {} threads)",
        r.scenarios.len(),
        r.events,
        t.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );
    let mut g = c.benchmark_group("threat_zone");
    g.bench_function("chlorine", |b| b.iter(|| threat_zones(black_box(&cl))));
    g.bench_function("propane", |b| b.iter(|| threat_zones(black_box(&pr))));
    g.finish();
    let mut g = c.benchmark_group("site_study");
    g.sample_size(10);
    g.bench_function("100", |b| b.iter(|| assess_study(black_box(&s))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
