//! Reports of a site assessment (`weihua_qra::report`): the HTML page, the F-N CSV and the
//! distances JSON of a small study — one liquefied chlorine (or propane) pressure vessel on a
//! 1 km grid at 10 m, two weather classes, a uniform 16-sector wind rose, one population
//! polygon and one school.

use serde_json::{Value, json};
use weihua_qra::report::{distances_json, fn_curve_csv, format_sci, html_report};
use weihua_qra::site::{StudyInput, StudyResult, assess_study};

const NAME: &str = "Demo <script>alert(1)</script> & 液氯";
const GENERATED_AT: &str = "2025-03-01 10:00 (UTC+8)";

fn study(cas: &str, extent_m: f64) -> StudyInput {
    serde_json::from_value(json!({
        "name": NAME,
        "grid": {
            "origin_x_m": -0.5 * extent_m, "origin_y_m": -0.5 * extent_m,
            "width_m": extent_m, "height_m": extent_m, "cell_size_m": 10.0
        },
        "weather": [
            {"id": "D5", "stability": "D", "wind_speed_m_s": 5.0, "probability": 0.6, "period": "day"},
            {"id": "F1.5", "stability": "F", "wind_speed_m_s": 1.5, "probability": 0.4, "period": "night"}
        ],
        "wind_rose": {"overall": vec![0.0625; 16]},
        "installations": [{
            "id": "U1",
            "name": "罐区 <A>",
            "boundary": {"type": "polygon", "vertices_m": [[-20.0, -20.0], [20.0, -20.0], [20.0, 20.0], [-20.0, 20.0]]},
            "equipment": [
                {
                    "id": "V-101", "name": "储罐", "loc": {"equipment": "pressure_vessel"},
                    "x_m": 0.0, "y_m": 0.0, "substance": cas, "inventory_kg": 10000.0,
                    "phase": "liquid"
                },
                {
                    // Oxygen is neither flammable nor toxic in the table: not counted, and the
                    // warning names the equipment (escaped in the page).
                    "id": "O2<script>x</script>", "loc": {"equipment": "pressure_vessel"},
                    "x_m": 10.0, "y_m": 0.0, "substance": "7782-44-7", "inventory_kg": 1000.0,
                    "phase": "gas", "storage_pressure_pa": 1.5e6
                }
            ]
        }],
        "population": [{
            "id": "village",
            "geometry": {"type": "polygon", "vertices_m": [[200.0, 200.0], [300.0, 200.0], [300.0, 300.0], [200.0, 300.0]]},
            "day_count": 200.0, "night_count": 300.0
        }],
        "protected_targets": [{
            "id": "S1", "name": "学校 <b>", "class": "high_sensitive",
            "geometry": {"type": "point", "x_m": 150.0, "y_m": -100.0}
        }]
    }))
    .expect("the study input parses")
}

fn assessed(cas: &str, extent_m: f64) -> (StudyInput, StudyResult) {
    let input = study(cas, extent_m);
    let result = assess_study(&input).expect("the study runs");
    (input, result)
}

#[test]
fn html_report_of_a_chlorine_vessel_is_one_escaped_self_contained_page() {
    let (input, result) = assessed("7782-50-5", 1000.0);
    let html = html_report(&input, &result, GENERATED_AT);

    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    // Names are escaped: no script anywhere, no raw tag from a name.
    let escaped = "Demo &lt;script&gt;alert(1)&lt;/script&gt; &amp; 液氯";
    assert!(html.contains(&format!("<title>{escaped}")));
    assert!(html.contains(&format!("<h1>{escaped}</h1>")));
    assert!(!html.to_lowercase().contains("<script"));
    assert!(html.contains("罐区 &lt;A&gt;"));
    assert!(html.contains("学校 &lt;b&gt;"));
    assert!(!html.contains("<b>学校") && !html.contains("<A>"));
    // The oxygen warning names the equipment, escaped, in the highlighted box.
    assert!(
        result.warnings.iter().any(|w| w.contains("O2<script>")),
        "{:?}",
        result.warnings
    );
    assert!(html.contains(r#"<div class="warnings""#));
    assert!(html.contains("O2&lt;script&gt;x&lt;/script&gt;"));
    // Self-contained: no external asset, no script.
    for needle in [" src=", "<link", "@import", "url(http", "href=\"http"] {
        assert!(!html.contains(needle), "found {needle}");
    }
    // The caller's time, as given.
    assert!(html.contains(GENERATED_AT));
    // Contour levels (GB 36894 defaults for a new installation) as a×10ⁿ/年.
    for level in ["3×10⁻⁷/年", "3×10⁻⁶/年", "1×10⁻⁵/年"] {
        assert!(html.contains(level), "missing level {level}");
    }
    for c in &result.assessment.contours {
        assert!(html.contains(&format!("{}/年", format_sci(c.level_per_year))));
    }
    // A wind rose, the map and the F-N chart.
    assert!(html.matches("<svg").count() >= 3);
    assert!(html.contains(r#"<svg class="map""#));
    assert!(html.contains(r#"<svg class="fn""#));
    assert!(html.contains(r#"<svg class="rose""#));
    // Contour rings are drawn (chlorine reaches the 3×10⁻⁷ level).
    assert!(
        !result.assessment.contours[0].rings.is_empty(),
        "expected a ring at the lowest level"
    );
    assert!(html.contains("fill-rule=\"evenodd\""));
    // F-N regions labelled.
    for region in ["不可接受区", "尽可能降低区", "可接受区", "ALARP"] {
        assert!(html.contains(region), "missing {region}");
    }
    // External safety distances: one row per installation and class, with the distances.
    let rows = html.matches(r#"<tr class="esd-row">"#).count();
    assert_eq!(rows, 5 * result.assessment.external_safety_distances.len());
    for inst in &result.assessment.external_safety_distances {
        for c in &inst.classes {
            assert!(html.contains(&c.class_zh), "missing class {}", c.class_zh);
            let d = format!(">{:.1}</td>", (c.distance.distance_m * 10.0).round() / 10.0);
            assert!(html.contains(&d), "missing distance {d}");
        }
    }
    assert!(html.contains("等值线存在") && html.contains("contour exists"));
    // The school fails its criterion: colour and words.
    let school = &result.assessment.targets[0];
    assert_eq!(school.pass, Some(false), "{school:?}");
    assert!(html.contains(r#"<tr class="target-row fail-row">"#));
    assert!(html.contains("不满足") && html.contains("does not comply"));
    // PLL, maximum IR and the inputs.
    assert!(html.contains(&format_sci(result.assessment.pll_per_year)));
    assert!(html.contains(&format_sci(result.assessment.max_ir_per_year)));
    assert!(html.contains("Chlorine") && html.contains("7782-50-5"));
    assert!(html.contains("假定默认值") && html.contains("assumed default"));
    assert!(html.contains("thermal_exposure_s"));
    // Scenarios: one row each, with their LOC.
    assert!(html.contains("完全破裂") && html.contains("10 mm 孔泄漏"));
    assert!(html.len() < 2_000_000, "{} bytes", html.len());
}

#[test]
fn html_report_of_a_propane_vessel_shows_its_fire_outcomes() {
    let (input, result) = assessed("74-98-6", 1000.0);
    let html = html_report(&input, &result, GENERATED_AT);
    assert!(html.contains("火球") && html.contains("fireball"));
    assert!(html.contains("闪火") && html.contains("蒸气云爆炸"));
    assert!(html.contains(r#"<svg class="map""#) && html.contains(r#"<svg class="fn""#));
    assert!(!html.to_lowercase().contains("<script"));
}

#[test]
fn html_report_of_a_400_by_400_grid_with_a_census_grid_stays_small() {
    // 4 km at 10 m, and 1600 population points (a 100 m census grid): the page holds the
    // contours and markers, never the raster, and lists the first population rows only.
    let mut input = study("7782-50-5", 4000.0);
    for i in 0..40 {
        for j in 0..40 {
            input.population.push(
                serde_json::from_value(json!({
                    "geometry": {"type": "point", "x_m": -1950.0 + 100.0 * f64::from(i), "y_m": -1950.0 + 100.0 * f64::from(j)},
                    "day_count": 5.0, "night_count": 8.0
                }))
                .unwrap(),
            );
        }
    }
    let result = assess_study(&input).unwrap();
    assert_eq!(
        (result.assessment.grid.nx, result.assessment.grid.ny),
        (400, 400)
    );
    let html = html_report(&input, &result, GENERATED_AT);
    assert!(html.len() < 1_000_000, "{} bytes", html.len());
    assert!(html.contains("1501 more items"));
}

#[test]
fn fn_curve_csv_has_one_parsable_row_per_point() {
    let (input, result) = assessed("7782-50-5", 1000.0);
    let csv = fn_curve_csv(&input, &result);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("n,f_per_year,upper_criterion_f,lower_criterion_f,region")
    );
    let rows: Vec<&str> = lines.collect();
    let curve = &result.assessment.fn_curve;
    assert!(!curve.is_empty());
    assert_eq!(rows.len(), curve.len());
    let crit = input.criteria.fn_lines;
    let mut worst = "acceptable";
    for (row, p) in rows.iter().zip(curve) {
        let f: Vec<&str> = row.split(',').collect();
        assert_eq!(f.len(), 5, "{row}");
        let n: f64 = f[0].parse().unwrap();
        let freq: f64 = f[1].parse().unwrap();
        assert!((n - p.n).abs() <= 1e-12 * p.n, "{row}");
        assert!((freq - p.f_per_year).abs() <= 1e-12 * p.f_per_year, "{row}");
        if n >= crit.n_min {
            let up: f64 = f[2].parse().unwrap();
            let lo: f64 = f[3].parse().unwrap();
            assert!((up - crit.upper_f(n)).abs() <= 1e-12 * up);
            assert!((lo - crit.lower_f(n)).abs() <= 1e-12 * lo);
        } else {
            assert_eq!((f[2], f[3], f[4]), ("", "", "outside_criterion_range"));
        }
        assert!(
            [
                "acceptable",
                "alarp",
                "unacceptable",
                "outside_criterion_range"
            ]
            .contains(&f[4])
        );
        if f[4] == "unacceptable" || (f[4] == "alarp" && worst == "acceptable") {
            worst = f[4];
        }
    }
    // The worst row is the assessment's region.
    let region = serde_json::to_value(result.assessment.fn_evaluation.region).unwrap();
    assert_eq!(region, Value::from(worst));
}

#[test]
fn distances_json_lists_the_installation_targets_and_criteria() {
    let (input, result) = assessed("7782-50-5", 1000.0);
    let doc = distances_json(&input, &result);
    assert_eq!(doc["study"], NAME);
    let insts = doc["installations"].as_array().unwrap();
    assert_eq!(insts.len(), 1);
    assert_eq!(insts[0]["id"], "U1");
    assert_eq!(insts[0]["name"], "罐区 <A>");
    let classes = insts[0]["external_safety_distances"].as_array().unwrap();
    assert_eq!(classes.len(), 5);
    assert_eq!(classes[0]["class"], "high_sensitive");
    assert_eq!(classes[0]["criterion_per_year"], 3e-7);
    let d = result.assessment.external_safety_distances[0].classes[0]
        .distance
        .distance_m;
    assert!(d > 0.0);
    assert!((classes[0]["distance_m"].as_f64().unwrap() - d).abs() <= 0.05);
    assert_eq!(classes[0]["contour_exists"], true);
    assert!(classes[0]["note_en"].as_str().unwrap().contains("contour"));
    // Targets, risk summary, criteria.
    assert_eq!(doc["protected_targets"][0]["id"], "S1");
    assert_eq!(doc["protected_targets"][0]["status"], "fail");
    assert_eq!(doc["protected_targets"][0]["pass"], false);
    assert_eq!(
        doc["individual_risk"]["max_per_year"],
        result.assessment.max_ir_per_year
    );
    assert_eq!(
        doc["societal_risk"]["pll_per_year"],
        result.assessment.pll_per_year
    );
    assert_eq!(
        doc["societal_risk"]["fn_region"],
        serde_json::to_value(result.assessment.fn_evaluation.region).unwrap()
    );
    assert_eq!(doc["criteria"]["fn"]["upper_f_at_n1_per_year"], 1e-3);
    assert_eq!(
        doc["criteria"]["individual_risk"].as_array().unwrap().len(),
        5
    );
    assert_eq!(doc["installation_status"], "new");
    assert_eq!(
        doc["warnings"].as_array().unwrap().len(),
        result.warnings.len()
    );
}

#[test]
fn a_contour_cut_by_a_small_grid_is_reported_as_a_lower_bound() {
    let (input, result) = assessed("7782-50-5", 300.0);
    let first = &result.assessment.external_safety_distances[0].classes[0];
    assert!(first.distance.truncated_by_grid, "{first:?}");
    let html = html_report(&input, &result, GENERATED_AT);
    assert!(html.contains("truncated by the grid"));
    assert!(html.contains(&format!(
        ">≥ {:.1}</td>",
        (first.distance.distance_m * 10.0).round() / 10.0
    )));
    let doc = distances_json(&input, &result);
    let d = &doc["installations"][0]["external_safety_distances"][0];
    assert_eq!(d["truncated_by_grid"], true);
    assert!(d["note_en"].as_str().unwrap().contains("lower bound"));
}
