//! Validation cases RISK-* and CRIT-* of `shared/testdata/qra-validation.json` (copy with
//! provenance at `tests/data/qra-validation.json`) for the risk engine, each at the case's own
//! tolerance; then hand-checkable site assessments (footprints whose IR, F-N curve, contours
//! and distances can be worked out on paper) and the refusal of malformed inputs.

mod common;

use common::*;
use std::collections::BTreeMap;

use serde_json::json;
use weihua_qra::QraError;
use weihua_qra::puff::Stability;
use weihua_qra::risk::criteria::{
    FnCriterion, FnRegion, InstallationStatus, IrCriteria, TargetClass,
};
use weihua_qra::risk::footprint::{DirectionalSampling, Footprint};
use weihua_qra::risk::grid::{
    DistanceBasis, GridSpec, Installation, PopulationItem, ProtectedTarget, RiskEvent,
    SiteAssessment, SiteRiskInput, SiteRiskOptions, assess_site, assess_site_json,
};
use weihua_qra::risk::ignition::{
    HyramEventTreeInput, HyramIgnitionTable, Outcome, hyram_event_tree,
};
use weihua_qra::risk::metrics::{air, far, pll};
use weihua_qra::risk::weather::{Period, WeatherClass, WindRose};
use weihua_qra::risk::{Boundary, Geometry};

/// "Exact" cases: equal up to floating-point rounding of C/N (a few ulp).
fn assert_exact(what: &str, got: f64, expected: f64) {
    assert!(
        (got - expected).abs() <= 4.0 * f64::EPSILON * expected.abs(),
        "{what}: got {got:e}, expected {expected:e}"
    );
}

/// RISK-FAR-AIR-HyRAM (status: confirmed+reproduced): FAR = PLL·1e8/(N·8760),
/// AIR = FAR·1e-8·hours, PLL = Σ f·N with contributions; absolute tolerance 1e-7.
#[test]
fn risk_far_air_hyram_confirmed_reproduced() {
    let c = case("RISK-FAR-AIR-HyRAM");
    let abs = f(&c["tolerance"]["abs"]);
    let i = &c["inputs"];
    let e = &c["expected"];
    let got_far = far(f(&i["PLL_per_yr"]), f(&i["occupants"])).unwrap();
    assert_abs("FAR", got_far, f(&e["FAR"]), abs);
    let got_air = air(f(&i["FAR_for_AIR"]), f(&i["hours"])).unwrap();
    assert_abs("AIR", got_air, f(&e["AIR"]), abs);
    let freqs: Vec<f64> = i["freqs"].as_array().unwrap().iter().map(f).collect();
    let deaths: Vec<f64> = i["fatalities"].as_array().unwrap().iter().map(f).collect();
    let p = pll(&freqs, &deaths).unwrap();
    for (k, v) in e["PLLs"].as_array().unwrap().iter().enumerate() {
        assert_abs(&format!("PLL[{k}]"), p.plls_per_year[k], f(v), abs);
    }
    assert_abs("PLL total", p.pll_total_per_year, f(&e["PLL_total"]), abs);
    for (k, v) in e["contributions"].as_array().unwrap().iter().enumerate() {
        assert_abs(&format!("contribution[{k}]"), p.contributions[k], f(v), abs);
    }
}

/// RISK-EVENTTREE-HyRAM (status: self_computed_from_confirmed_logic): cascading tree with
/// detection credit 0.9 and the 0.125–6.25 kg/s H₂ ignition row, |error| ≤ 1e-12; both from the
/// given probabilities and from the mass flow through the default HyRAM table.
#[test]
fn risk_eventtree_hyram_self_computed_from_confirmed_logic() {
    let c = case("RISK-EVENTTREE-HyRAM");
    let abs = f(&c["tolerance"]["abs"]);
    let i = &c["inputs"];
    let e = &c["expected"];
    let from_probs = hyram_event_tree(&HyramEventTreeInput {
        detection_credit: f(&i["detection_credit"]),
        immediate_ignition_probability: Some(f(&i["P_immediate"])),
        delayed_ignition_probability: Some(f(&i["P_delayed"])),
        mass_flow_kg_s: None,
        table: HyramIgnitionTable::default(),
    })
    .unwrap();
    let from_flow = hyram_event_tree(&HyramEventTreeInput {
        detection_credit: f(&i["detection_credit"]),
        immediate_ignition_probability: None,
        delayed_ignition_probability: None,
        mass_flow_kg_s: Some(f(&i["mass_flow_kg_s"])),
        table: HyramIgnitionTable::default(),
    })
    .unwrap();
    for out in [from_probs, from_flow] {
        assert_abs("shutdown", out.shutdown, f(&e["shutdown"]), abs);
        assert_abs("no ignition", out.no_ignition, f(&e["no_ignition"]), abs);
        assert_abs("jet fire", out.jet_fire, f(&e["jet_fire"]), abs);
        assert_abs("explosion", out.explosion, f(&e["explosion"]), abs);
        let sum = out.shutdown + out.no_ignition + out.jet_fire + out.explosion;
        assert_abs("sum", sum, 1.0, 1e-15);
    }
}

/// CRIT-GB36894-IR (status: inferred; values confirmed for the 2014 trial criteria): the
/// criterion per class, new and in-service, exact.
#[test]
fn crit_gb36894_ir_inferred() {
    let c = case("CRIT-GB36894-IR");
    let e = &c["expected"];
    let crit = IrCriteria::default();
    let rows: [&[TargetClass]; 3] = [
        &[
            TargetClass::HighSensitive,
            TargetClass::Important,
            TargetClass::General1,
        ],
        &[TargetClass::General2],
        &[TargetClass::General3],
    ];
    assert_eq!(c["inputs"]["classes"].as_array().unwrap().len(), 3);
    for (row, classes) in rows.iter().enumerate() {
        for &class in *classes {
            assert_eq!(
                crit.limit(class, InstallationStatus::New),
                f(&e["new"][row]),
                "{class:?} new"
            );
            assert_eq!(
                crit.limit(class, InstallationStatus::InService),
                f(&e["in_service"][row]),
                "{class:?} in service"
            );
        }
    }
}

/// CRIT-GB36894-FN (status: inferred): the F-N lines F = 1e-3/N and 1e-5/N at N = 1 … 1000
/// (exact up to the rounding of C/N).
#[test]
fn crit_gb36894_fn_inferred() {
    let c = case("CRIT-GB36894-FN");
    let e = &c["expected"];
    let lines = FnCriterion::default();
    for (k, n) in c["inputs"]["N"].as_array().unwrap().iter().enumerate() {
        let n = f(n);
        assert_exact(
            &format!("upper at {n}"),
            lines.upper_f(n),
            f(&e["F_upper"][k]),
        );
        assert_exact(
            &format!("lower at {n}"),
            lines.lower_f(n),
            f(&e["F_lower"][k]),
        );
    }
}

// ---------------------------------------------------------------------------------------
// Hand-checkable site assessments.

fn weather_one(period: Period) -> Vec<WeatherClass> {
    vec![WeatherClass {
        id: "D5".into(),
        stability: Stability::D,
        wind_speed_m_s: 5.0,
        probability: 1.0,
        period,
    }]
}

fn grid(width: f64, cell: f64) -> GridSpec {
    GridSpec {
        origin_x_m: -width / 2.0,
        origin_y_m: -width / 2.0,
        width_m: width,
        height_m: width,
        cell_size_m: cell,
        geo_origin: None,
    }
}

fn event(id: &str, x: f64, y: f64, freq: f64, fp: Footprint) -> RiskEvent {
    let mut footprints = BTreeMap::new();
    footprints.insert("*".to_owned(), fp);
    RiskEvent {
        id: id.into(),
        installation_id: "U1".into(),
        x_m: x,
        y_m: y,
        frequency_per_year: freq,
        outcome: None,
        indoor_lethality_factor: None,
        footprints,
    }
}

fn site(grid: GridSpec, rose: WindRose, events: Vec<RiskEvent>) -> SiteRiskInput {
    SiteRiskInput {
        grid,
        weather: weather_one(Period::Day),
        wind_rose: rose,
        events,
        population: vec![],
        protected_targets: vec![],
        installations: vec![],
        installation_status: InstallationStatus::New,
        criteria: Default::default(),
        contour_levels_per_year: None,
        options: SiteRiskOptions::default(),
    }
}

/// IR at the cell whose centre is nearest to (x, y).
fn ir_at(out: &SiteAssessment, x: f64, y: f64) -> f64 {
    let g = &out.grid;
    let i = ((x - g.origin_x_m) / g.cell_size_m).floor() as usize;
    let j = ((y - g.origin_y_m) / g.cell_size_m).floor() as usize;
    out.ir_per_year[j * g.nx + i]
}

/// Disc of lethality 1 within r = 100 m, f = 1e-4/a, uniform 16-sector rose: IR = 1e-4
/// at every cell centre within 100 m, 0 beyond.
#[test]
fn disc_footprint_gives_frequency_inside_zero_outside() {
    let out = assess_site(&site(
        grid(400.0, 5.0),
        WindRose::uniform(16),
        vec![event("E", 0.0, 0.0, 1e-4, Footprint::disc(100.0, 1.0))],
    ))
    .unwrap();
    let g = &out.grid;
    assert_eq!((g.nx, g.ny), (80, 80));
    // Radial without offset: one instance, not 16.
    assert_eq!(out.instances, 1);
    let mut inside = 0;
    for j in 0..g.ny {
        for i in 0..g.nx {
            let x = g.origin_x_m + (i as f64 + 0.5) * g.cell_size_m;
            let y = g.origin_y_m + (j as f64 + 0.5) * g.cell_size_m;
            let v = out.ir_per_year[j * g.nx + i];
            let r = x.hypot(y);
            if r < 99.999 {
                inside += 1;
                assert!((v - 1e-4).abs() <= 1e-4 * 1e-12, "({x}, {y}): {v}");
            } else if r > 100.001 {
                assert_eq!(v, 0.0, "({x}, {y})");
            }
        }
    }
    // ≈ π·100²/25 cells.
    assert!(
        (inside as f64 - std::f64::consts::PI * 400.0).abs() < 40.0,
        "{inside}"
    );
    assert!((out.max_ir_per_year - 1e-4).abs() < 1e-16);
}

/// The same disc moved 150 m downwind (an offset) under a one-sector rose lands where the wind
/// carries it: wind from the south (sector 8) → north (+y); from the west (12) → east.
#[test]
fn offset_and_directional_footprints_land_downwind() {
    let plume = Footprint::directional_from_fn(
        &DirectionalSampling::symmetric(0.0, 300.0, 50.0, 5.0),
        |x, y| {
            if x <= 300.0 && y.abs() <= 20.0 {
                1.0
            } else {
                0.0
            }
        },
    )
    .unwrap();
    for (sector, downwind) in [
        (8usize, [0.0, 1.0]),
        (12, [1.0, 0.0]),
        (0, [0.0, -1.0]),
        (4, [-1.0, 0.0]),
    ] {
        let out = assess_site(&site(
            grid(800.0, 5.0),
            WindRose::single_sector(sector, 16),
            vec![event("P", 0.0, 0.0, 1e-5, plume.clone())],
        ))
        .unwrap();
        let at = |d: f64, dir: [f64; 2]| ir_at(&out, d * dir[0] + 1.0, d * dir[1] + 1.0);
        assert!(
            (at(150.0, downwind) - 1e-5).abs() < 1e-17,
            "sector {sector} downwind"
        );
        assert_eq!(
            at(150.0, [-downwind[0], -downwind[1]]),
            0.0,
            "sector {sector} upwind"
        );
        assert_eq!(
            at(150.0, [downwind[1], downwind[0]]),
            0.0,
            "sector {sector} crosswind"
        );
        assert_eq!(at(350.0, downwind), 0.0, "sector {sector} beyond the plume");
    }
    // An offset disc (delayed ignition at the cloud centre) turns with the wind too.
    let out = assess_site(&site(
        grid(800.0, 5.0),
        WindRose::single_sector(8, 16),
        vec![event(
            "F",
            0.0,
            0.0,
            2e-6,
            Footprint::disc(30.0, 1.0).with_offset(200.0, 0.0),
        )],
    ))
    .unwrap();
    assert!((ir_at(&out, 1.0, 201.0) - 2e-6).abs() < 1e-18);
    assert_eq!(ir_at(&out, 1.0, -199.0), 0.0);
    assert_eq!(ir_at(&out, 1.0, 1.0), 0.0);
}

/// Crosswind y is to the left of the downwind direction: a footprint only at y > 0 with the
/// wind from the south (blowing north) lies to the west.
#[test]
fn crosswind_left_is_west_for_a_north_going_wind() {
    let half = Footprint::directional_from_fn(
        &DirectionalSampling::symmetric(0.0, 200.0, 100.0, 5.0),
        |x, y| {
            if x >= 50.0 && (20.0..=80.0).contains(&y) {
                1.0
            } else {
                0.0
            }
        },
    )
    .unwrap();
    let out = assess_site(&site(
        grid(600.0, 5.0),
        WindRose::single_sector(8, 16),
        vec![event("H", 0.0, 0.0, 1e-5, half)],
    ))
    .unwrap();
    assert!((ir_at(&out, -51.0, 101.0) - 1e-5).abs() < 1e-17);
    assert_eq!(ir_at(&out, 51.0, 101.0), 0.0);
}

/// A narrow plume (Gaussian across the wind, σ = 10 m, 300 m long) under a uniform 16-sector
/// rose: at 152.5 m on a sector axis only that sector reaches, so IR = f/16·L; the IR summed
/// over the grid (× cell area) is f × the footprint integral 300·σ·√(2π), and smearing each
/// sector over 4 bearings keeps that total while lowering the peak on the axis.
#[test]
fn uniform_rose_weights_and_sector_smearing_conserve_risk() {
    let plume = Footprint::directional_from_fn(
        &DirectionalSampling::symmetric(0.0, 300.0, 60.0, 2.5),
        |_, y| (-y * y / 200.0).exp(),
    )
    .unwrap();
    let mut input = site(
        grid(800.0, 5.0),
        WindRose::uniform(16),
        vec![event("P", 0.0, 0.0, 1.6e-5, plume)],
    );
    let out = assess_site(&input).unwrap();
    // Cell centre (2.5, 152.5): crosswind 2.5 m from the north-going axis (and east-going).
    let l = (-2.5f64 * 2.5 / 200.0).exp();
    assert!((ir_at(&out, 1.0, 151.0) / (1e-6 * l) - 1.0).abs() < 1e-9);
    assert!((ir_at(&out, 151.0, 1.0) / (1e-6 * l) - 1.0).abs() < 1e-9);
    let total = |o: &SiteAssessment| o.ir_per_year.iter().sum::<f64>() * 25.0;
    let expected = 1.6e-5 * 300.0 * 10.0 * (2.0 * std::f64::consts::PI).sqrt();
    let t1 = total(&out);
    assert!((t1 / expected - 1.0).abs() < 0.02, "{t1} vs {expected}");
    input.options.sector_subdivisions = 4;
    let out4 = assess_site(&input).unwrap();
    assert_eq!(out4.instances, 64);
    let t4 = total(&out4);
    assert!((t4 / expected - 1.0).abs() < 0.02, "{t4} vs {expected}");
    assert!(ir_at(&out4, 1.0, 251.0) < 0.5 * ir_at(&out, 1.0, 251.0));
}

/// F-N curve of two events by hand. 10 people outdoors at (50, 0) and 20 at (150, 0).
/// Event A: disc r = 100 m, L = 1, f = 1e-5 → N = 10. Event B: disc r = 200 m, L = 0.5,
/// f = 2e-6 → N = 0.5·30 = 15. F(N ≥ 15) = 2e-6, F(N ≥ 10) = 1.2e-5; PLL = 1e-4 + 3e-5.
#[test]
fn fn_curve_of_two_events_by_hand() {
    let person = |x: f64, n: f64| PopulationItem {
        id: None,
        geometry: Geometry::Point { x_m: x, y_m: 2.5 },
        day_count: n,
        night_count: 0.0,
        indoor_fraction_day: 0.0,
        indoor_fraction_night: 0.0,
    };
    let mut input = site(
        grid(1000.0, 5.0),
        WindRose::uniform(16),
        vec![
            event("A", 0.0, 2.5, 1e-5, Footprint::disc(100.0, 1.0)),
            event("B", 0.0, 2.5, 2e-6, Footprint::disc(200.0, 0.5)),
        ],
    );
    input.population = vec![person(52.5, 10.0), person(152.5, 20.0)];
    let out = assess_site(&input).unwrap();
    assert_eq!(out.fn_curve.len(), 2);
    assert!((out.fn_curve[0].n - 10.0).abs() < 1e-12);
    assert!((out.fn_curve[0].f_per_year - 1.2e-5).abs() < 1e-18);
    assert!((out.fn_curve[1].n - 15.0).abs() < 1e-12);
    assert!((out.fn_curve[1].f_per_year - 2e-6).abs() < 1e-18);
    assert!((out.pll_per_year - 1.3e-4).abs() < 1e-16);
    let a = &out.events[0];
    assert!((a.pll_fraction - 1e-4 / 1.3e-4).abs() < 1e-12);
    assert!((a.max_deaths - 10.0).abs() < 1e-12);
    // F(10) = 1.2e-5 > 1e-5/10 = 1e-6 but < 1e-4: ALARP; lower line crossed from N = 1.
    assert_eq!(out.fn_evaluation.region, FnRegion::Alarp);
    assert_eq!(out.fn_evaluation.first_n_above_lower_line, Some(1.0));
    // At night nobody is there: the same events kill no one.
    input.weather = weather_one(Period::Night);
    let night = assess_site(&input).unwrap();
    assert!(night.fn_curve.is_empty());
    assert_eq!(night.pll_per_year, 0.0);
    assert_eq!(night.fn_evaluation.region, FnRegion::Acceptable);
}

/// Indoor people of a toxic event count with the 0.1 factor (reference §14.5); a polygon's
/// people are spread over the cells inside it.
#[test]
fn indoor_factor_and_polygon_population() {
    let mut ev = event("T", 0.0, 0.0, 1e-5, Footprint::disc(100.0, 1.0));
    ev.outcome = Some(Outcome::Toxic);
    let mut input = site(grid(400.0, 5.0), WindRose::uniform(16), vec![ev]);
    input.population = vec![PopulationItem {
        id: Some("office".into()),
        geometry: Geometry::Polygon {
            vertices_m: vec![[0.0, 0.0], [20.0, 0.0], [20.0, 20.0], [0.0, 20.0]],
        },
        day_count: 100.0,
        night_count: 10.0,
        indoor_fraction_day: 0.9,
        indoor_fraction_night: 0.99,
    }];
    let out = assess_site(&input).unwrap();
    // 10 outdoors × 1 + 90 indoors × 0.1 = 19.
    assert!(
        (out.fn_curve[0].n - 19.0).abs() < 1e-9,
        "{:?}",
        out.fn_curve
    );
    assert_eq!(out.population_on_grid, [100.0, 10.0]);
    input.events[0].indoor_lethality_factor = Some(1.0);
    let out = assess_site(&input).unwrap();
    assert!((out.fn_curve[0].n - 100.0).abs() < 1e-9);
}

/// IR = 1e-4·exp(−r/100 m) (a radial profile, uniform rose): its contour at L lies on the
/// circle r = 100·ln(1e-4/L); every contour vertex within 1 m of it on a 10 m grid, and the
/// external safety distance from a tank of radius 20 m is that radius minus 20 m.
#[test]
fn contours_of_a_circular_field_and_external_distances() {
    let profile = Footprint::radial_from_fn(1500.0, 5.0, |r| (-r / 100.0).exp()).unwrap();
    let mut input = site(
        grid(1600.0, 10.0),
        WindRose::uniform(16),
        vec![event("R", 0.0, 0.0, 1e-4, profile)],
    );
    input.installations = vec![Installation {
        id: "U1".into(),
        name: "tank".into(),
        boundary: Boundary::Circle {
            x_m: 0.0,
            y_m: 0.0,
            radius_m: 20.0,
        },
    }];
    input.grid.geo_origin = Some(weihua_qra::risk::GeoOrigin {
        lat_deg: 31.0,
        lon_deg: 121.5,
    });
    let out = assess_site(&input).unwrap();
    assert_eq!(out.contours.len(), 3);
    for level in &out.contours {
        let r = 100.0 * (1e-4 / level.level_per_year).ln();
        assert_eq!(level.rings.len(), 1, "level {}", level.level_per_year);
        let ring = &level.rings[0];
        assert!(!ring.is_hole && !ring.touches_grid_edge);
        for p in &ring.points_m {
            let d = p[0].hypot(p[1]);
            assert!(
                (d - r).abs() < 1.0,
                "level {}: vertex at {d}, circle {r}",
                level.level_per_year
            );
        }
        let area = std::f64::consts::PI * r * r;
        assert!((ring.area_m2 / area - 1.0).abs() < 0.01);
    }
    assert_eq!(out.contours[0].class, "high_sensitive/important/general_1");
    let d = &out.external_safety_distances[0];
    assert_eq!(d.installation_id, "U1");
    for c in &d.classes {
        let r = 100.0 * (1e-4 / c.criterion_per_year).ln();
        assert!(c.distance.contour_exists && !c.distance.truncated_by_grid);
        assert!(
            (c.distance.distance_m - (r - 20.0)).abs() < 1.0,
            "{c:?}: expected {}",
            r - 20.0
        );
    }
    let general1 = d
        .classes
        .iter()
        .find(|c| c.class == TargetClass::General1)
        .unwrap();
    assert!((general1.distance.distance_m - (100.0 * (1e-4f64 / 3e-7).ln() - 20.0)).abs() < 1.0);
    // GeoJSON: one Feature per level, properties level_per_year and class.
    let gj = out.geojson.as_ref().unwrap();
    assert_eq!(gj["type"], "FeatureCollection");
    let features = gj["features"].as_array().unwrap();
    assert_eq!(features.len(), 3);
    assert_eq!(features[2]["properties"]["level_per_year"], 1e-5);
    assert_eq!(features[2]["properties"]["class"], "general_3");
    let ring = features[0]["geometry"]["coordinates"][0][0]
        .as_array()
        .unwrap();
    assert_eq!(ring.first(), ring.last(), "GeoJSON rings are closed");
    let lon = ring[0][0].as_f64().unwrap();
    assert!((lon - 121.5).abs() < 0.01);
    // The own-risk basis gives the same distances for a single installation.
    input.options.distance_basis = DistanceBasis::OwnRisk;
    let own = assess_site(&input).unwrap();
    for (a, b) in own.external_safety_distances[0]
        .classes
        .iter()
        .zip(&d.classes)
    {
        assert!((a.distance.distance_m - b.distance.distance_m).abs() < 1e-9);
    }
}

/// A second, far installation with its own ring does not enlarge the first one's distance
/// (site basis: only rings enclosing the installation count).
#[test]
fn distance_ignores_rings_of_other_installations() {
    let mut far = event("F", 500.0, 0.0, 1e-4, Footprint::disc(50.0, 1.0));
    far.installation_id = "U2".into();
    let mut input = site(
        grid(1400.0, 5.0),
        WindRose::uniform(16),
        vec![event("N", 0.0, 0.0, 1e-4, Footprint::disc(100.0, 1.0)), far],
    );
    input.installations = vec![Installation {
        id: "U1".into(),
        name: String::new(),
        boundary: Boundary::Polygon {
            vertices_m: vec![[-10.0, -10.0], [10.0, -10.0], [10.0, 10.0], [-10.0, 10.0]],
        },
    }];
    let out = assess_site(&input).unwrap();
    for c in &out.external_safety_distances[0].classes {
        // Ring near r = 100–105 m; the square's corner is 14 m from the centre.
        assert!(
            c.distance.distance_m > 85.0 && c.distance.distance_m < 96.0,
            "{c:?}"
        );
    }
}

/// Protected targets: IR at a point (bilinear) and over a polygon against their class.
#[test]
fn protected_targets_checked_against_their_class() {
    let profile = Footprint::radial_from_fn(1000.0, 5.0, |r| (-r / 100.0).exp()).unwrap();
    let mut input = site(
        grid(1200.0, 5.0),
        WindRose::uniform(16),
        vec![event("R", 0.0, 0.0, 1e-4, profile)],
    );
    let point = |id: &str, class, x| ProtectedTarget {
        id: id.into(),
        name: String::new(),
        class,
        geometry: Geometry::Point { x_m: x, y_m: 0.0 },
    };
    input.protected_targets = vec![
        // IR(300) = 1e-4·e^-3 = 4.98e-6.
        point("village", TargetClass::General3, 300.0),
        point("houses", TargetClass::General2, 300.0),
        ProtectedTarget {
            id: "school".into(),
            name: "学校".into(),
            class: TargetClass::HighSensitive,
            geometry: Geometry::Polygon {
                vertices_m: vec![[550.0, -20.0], [590.0, -20.0], [590.0, 20.0], [550.0, 20.0]],
            },
        },
        point("far away", TargetClass::General1, 5000.0),
    ];
    let out = assess_site(&input).unwrap();
    let t = &out.targets;
    let ir300 = 1e-4 * (-3.0f64).exp();
    assert!((t[0].max_ir_per_year.unwrap() / ir300 - 1.0).abs() < 0.01);
    assert_eq!(t[0].pass, Some(true));
    assert_eq!(t[1].pass, Some(false));
    // School: nearest edge at 550 m, IR = 1e-4·e^-5.5 = 4.1e-7 > 3e-7.
    let ir550 = 1e-4 * (-5.5f64).exp();
    assert!((t[2].max_ir_per_year.unwrap() / ir550 - 1.0).abs() < 0.02);
    assert_eq!(t[2].pass, Some(false));
    assert_eq!(t[3].max_ir_per_year, None);
    assert_eq!(t[3].pass, None);
}

/// The JSON entry point: the documented input shape, unknown fields refused.
#[test]
fn json_entry_point_shape() {
    let input = json!({
        "grid": {"origin_x_m": -250, "origin_y_m": -250, "width_m": 500, "height_m": 500,
                 "cell_size_m": 10, "geo_origin": {"lat_deg": 30.0, "lon_deg": 120.0}},
        "weather": [
            {"id": "D5-day", "stability": "D", "wind_speed_m_s": 5, "probability": 0.5, "period": "day"},
            {"id": "F1.5-night", "stability": "F", "wind_speed_m_s": 1.5, "probability": 0.5, "period": "night"}
        ],
        "wind_rose": {"overall": [0.0625, 0.0625, 0.0625, 0.0625, 0.0625, 0.0625, 0.0625, 0.0625,
                                  0.0625, 0.0625, 0.0625, 0.0625, 0.0625, 0.0625, 0.0625, 0.0625]},
        "events": [{
            "id": "V1-G1-fireball", "installation_id": "V1", "x_m": 0, "y_m": 0,
            "frequency_per_year": 1e-5, "outcome": "fireball",
            "footprints": {"*": {"shape": {"kind": "disc", "radius_m": 80, "lethality": 1}}}
        }, {
            "id": "V1-G3-toxic", "installation_id": "V1", "x_m": 0, "y_m": 0,
            "frequency_per_year": 1e-4, "outcome": "toxic",
            "footprints": {
                "D5-day": {"shape": {"kind": "radial", "step_m": 50, "lethality": [1, 0.5, 0]}},
                "F1.5-night": {"shape": {"kind": "directional", "x_min_m": 0, "y_min_m": -20,
                    "step_m": 20, "nx": 3, "ny": 3, "lethality": [0,0,0, 1,1,0, 0,0,0]},
                    "offset_m": [0, 0]}
            }
        }],
        "population": [{"geometry": {"type": "point", "x_m": 30, "y_m": 0},
                        "day_count": 5, "night_count": 1}],
        "protected_targets": [{"id": "S", "class": "high_sensitive",
                               "geometry": {"type": "point", "x_m": 200, "y_m": 0}}],
        "installations": [{"id": "V1", "boundary": {"type": "circle", "x_m": 0, "y_m": 0, "radius_m": 5}}],
        "installation_status": "new",
        "options": {"sector_subdivisions": 2}
    });
    let out = assess_site_json(input.clone()).unwrap();
    assert_eq!(out["grid"]["nx"], 50);
    assert_eq!(out["ir_per_year"].as_array().unwrap().len(), 2500);
    assert!(out["max_ir_per_year"].as_f64().unwrap() > 1e-5);
    assert_eq!(out["targets"][0]["pass"], true);
    assert_eq!(
        out["external_safety_distances"][0]["classes"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert!(out["external_safety_distances"][0]["classes"][0]["distance_m"].is_number());
    assert_eq!(out["geojson"]["type"], "FeatureCollection");
    assert!(out["fn_evaluation"]["region"].is_string());
    let mut bad_shape = input.clone();
    bad_shape["events"][0]["footprints"]["*"]["shape"]["colour"] = json!("red");
    assert!(matches!(
        assess_site_json(bad_shape),
        Err(QraError::InvalidInput { .. })
    ));
    let mut bad = input;
    bad["grid"]["colour"] = json!("red");
    match assess_site_json(bad) {
        Err(QraError::InvalidInput { model, message }) => {
            assert_eq!(model, "site_risk");
            assert!(message.contains("colour"), "{message}");
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Refusals: typed, bilingual errors.

fn assert_bilingual(e: &QraError) {
    let s = e.to_string();
    assert!(s.contains(" / "), "{s}");
    assert!(
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{s}"
    );
}

#[test]
fn refuses_probabilities_not_summing_to_one() {
    let mut input = site(
        grid(200.0, 10.0),
        WindRose::uniform(16),
        vec![event("E", 0.0, 0.0, 1e-4, Footprint::disc(10.0, 1.0))],
    );
    input.weather[0].probability = 0.9;
    let e = assess_site(&input).unwrap_err();
    assert!(
        matches!(
            e,
            QraError::OutOfRange {
                field: "weather[].probability (sum)",
                ..
            }
        ),
        "{e:?}"
    );
    assert_bilingual(&e);
    input.weather[0].probability = 1.0;
    input.wind_rose = WindRose::Overall(vec![0.1; 16]);
    let e = assess_site(&input).unwrap_err();
    assert!(
        matches!(e, QraError::OutOfRange { field, value, .. } if field.starts_with("wind_rose") && (value - 1.6).abs() < 1e-12),
        "{e:?}"
    );
    // A per-weather rose missing a class.
    input.wind_rose = WindRose::PerWeather(BTreeMap::new());
    let e = assess_site(&input).unwrap_err();
    assert!(matches!(e, QraError::InvalidInput { .. }), "{e:?}");
    assert_bilingual(&e);
    // Within a widened tolerance a rounded rose is accepted.
    input.wind_rose = WindRose::Overall(vec![0.0625; 15].into_iter().chain([0.0615]).collect());
    assert!(assess_site(&input).is_err());
    input.options.probability_sum_tolerance = 0.002;
    assert!(assess_site(&input).is_ok());
}

#[test]
fn refuses_negative_frequency_bad_lethality_and_unknown_weather() {
    let mut input = site(
        grid(200.0, 10.0),
        WindRose::uniform(16),
        vec![event("E", 0.0, 0.0, -1e-4, Footprint::disc(10.0, 1.0))],
    );
    let e = assess_site(&input).unwrap_err();
    assert!(
        matches!(
            e,
            QraError::OutOfRange {
                field: "events[].frequency_per_year",
                ..
            }
        ),
        "{e:?}"
    );
    assert_bilingual(&e);
    input.events[0].frequency_per_year = f64::NAN;
    assert!(matches!(
        assess_site(&input).unwrap_err(),
        QraError::NotFinite {
            field: "events[].frequency_per_year",
            ..
        }
    ));
    input.events[0].frequency_per_year = 1e-4;
    input.events[0]
        .footprints
        .insert("*".into(), Footprint::disc(10.0, 1.5));
    assert!(matches!(
        assess_site(&input).unwrap_err(),
        QraError::OutOfRange {
            field: "footprint.lethality",
            ..
        }
    ));
    input.events[0].footprints.clear();
    input.events[0]
        .footprints
        .insert("E3".into(), Footprint::disc(10.0, 1.0));
    let e = assess_site(&input).unwrap_err();
    assert!(matches!(e, QraError::InvalidInput { .. }), "{e:?}");
    assert!(e.to_string().contains("E3"));
    input.events[0].footprints.clear();
    let e = assess_site(&input).unwrap_err();
    assert!(e.to_string().contains("no footprint"), "{e}");
}

#[test]
fn refuses_grid_too_large_with_configurable_cap() {
    let mut input = site(
        grid(20_000.0, 5.0),
        WindRose::uniform(16),
        vec![event("E", 0.0, 0.0, 1e-4, Footprint::disc(10.0, 1.0))],
    );
    // 4000 × 4000 = 16 million cells > 4 million.
    let e = assess_site(&input).unwrap_err();
    assert!(
        matches!(e, QraError::OutOfRange { field, value, .. } if field.starts_with("grid") && value == 16e6),
        "{e:?}"
    );
    assert_bilingual(&e);
    input.grid = grid(2000.0, 5.0);
    input.options.max_cells = 100_000;
    assert!(assess_site(&input).is_err());
    input.options.max_cells = 160_000;
    assert!(assess_site(&input).is_ok());
}
