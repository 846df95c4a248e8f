//! Property tests of the risk engine: no input makes it panic; IR is non-negative, finite and
//! linear in the event frequencies; the F-N curve is non-increasing; event trees sum to 1;
//! the result does not depend on the number of threads.

use std::collections::BTreeMap;

use proptest::prelude::*;
use weihua_qra::puff::Stability;
use weihua_qra::risk::contour::{RasterFrame, contour_rings};
use weihua_qra::risk::criteria::{FnCriterion, FnPoint, evaluate_fn_curve};
use weihua_qra::risk::footprint::{DirectionalSampling, Footprint, FootprintShape};
use weihua_qra::risk::grid::{GridSpec, RiskEvent, SiteRiskInput, SiteRiskOptions, assess_site};
use weihua_qra::risk::ignition::{
    EventTreeInput, HyramEventTreeInput, HyramIgnitionTable, ReleaseKind, TreeSubstance,
    event_tree, hyram_event_tree,
};
use weihua_qra::risk::weather::{Period, WeatherClass, WindRose};

/// Any f64 at all, NaN and infinities included, with extra weight on edge values.
fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        proptest::num::f64::ANY,
        prop::sample::select(vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::MIN_POSITIVE,
            f64::MAX,
            1e300
        ]),
        0.0..1e4f64,
    ]
}

/// A valid footprint of any kind.
fn footprint() -> impl Strategy<Value = Footprint> {
    prop_oneof![
        (0.0..300.0f64, 0.0..=1.0f64).prop_map(|(r, l)| Footprint::disc(r, l)),
        (10.0..300.0f64, 0.01..0.2f64)
            .prop_map(|(r, k)| { Footprint::radial_from_fn(r, 5.0, |x| (-k * x).exp()).unwrap() }),
        (
            50.0..600.0f64,
            10.0..100.0f64,
            -50.0..50.0f64,
            0.0..100.0f64
        )
            .prop_map(|(len, width, ox, oy)| {
                Footprint::directional_from_fn(
                    &DirectionalSampling::symmetric(-20.0, len, width, 5.0),
                    |x, y| {
                        if x < 0.0 {
                            0.0
                        } else {
                            (-(y * y) / (width * width / 4.0)).exp() * (1.0 - x / len)
                        }
                    },
                )
                .unwrap()
                .with_offset(ox, oy)
            }),
    ]
}

fn rose16() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.0..1.0f64, 16).prop_map(|v| {
        let s: f64 = v.iter().sum();
        if s > 0.0 {
            v.iter().map(|x| x / s).collect()
        } else {
            vec![1.0 / 16.0; 16]
        }
    })
}

fn input(events: Vec<(f64, f64, f64, Footprint)>, rose: Vec<f64>, sub: usize) -> SiteRiskInput {
    SiteRiskInput {
        grid: GridSpec {
            origin_x_m: -400.0,
            origin_y_m: -400.0,
            width_m: 800.0,
            height_m: 800.0,
            cell_size_m: 10.0,
            geo_origin: None,
        },
        weather: vec![
            WeatherClass {
                id: "D5".into(),
                stability: Stability::D,
                wind_speed_m_s: 5.0,
                probability: 0.6,
                period: Period::Day,
            },
            WeatherClass {
                id: "F1.5".into(),
                stability: Stability::F,
                wind_speed_m_s: 1.5,
                probability: 0.4,
                period: Period::Night,
            },
        ],
        wind_rose: WindRose::Overall(rose),
        events: events
            .into_iter()
            .enumerate()
            .map(|(k, (x, y, f, fp))| {
                let mut footprints = BTreeMap::new();
                footprints.insert("*".to_owned(), fp);
                RiskEvent {
                    id: format!("E{k}"),
                    installation_id: "U".into(),
                    x_m: x,
                    y_m: y,
                    frequency_per_year: f,
                    outcome: None,
                    indoor_lethality_factor: None,
                    footprints,
                }
            })
            .collect(),
        population: vec![weihua_qra::risk::PopulationItem {
            id: None,
            geometry: weihua_qra::risk::Geometry::Polygon {
                vertices_m: vec![
                    [-300.0, -300.0],
                    [300.0, -300.0],
                    [300.0, 300.0],
                    [-300.0, 300.0],
                ],
            },
            day_count: 1000.0,
            night_count: 300.0,
            indoor_fraction_day: 0.93,
            indoor_fraction_night: 0.99,
        }],
        protected_targets: vec![],
        installations: vec![],
        installation_status: Default::default(),
        criteria: Default::default(),
        contour_levels_per_year: None,
        options: SiteRiskOptions {
            sector_subdivisions: sub,
            include_geojson: false,
            ..SiteRiskOptions::default()
        },
    }
}

fn events() -> impl Strategy<Value = Vec<(f64, f64, f64, Footprint)>> {
    prop::collection::vec(
        (
            -300.0..300.0f64,
            -300.0..300.0f64,
            0.0..1e-3f64,
            footprint(),
        ),
        1..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// IR is ≥ 0 and finite; doubling (or scaling) every frequency scales IR, PLL and F alike.
    #[test]
    fn ir_is_non_negative_and_linear_in_frequency(
        evs in events(), rose in rose16(), sub in 1usize..3, k in 0.01..100.0f64,
    ) {
        let inp_freqs: Vec<f64> = evs.iter().map(|e| e.2).collect();
        let a = assess_site(&input(evs.clone(), rose.clone(), sub)).unwrap();
        let scaled: Vec<_> = evs.into_iter().map(|(x, y, f, fp)| (x, y, f * k, fp)).collect();
        let b = assess_site(&input(scaled, rose, sub)).unwrap();
        for (va, vb) in a.ir_per_year.iter().zip(&b.ir_per_year) {
            prop_assert!(va.is_finite() && *va >= 0.0);
            prop_assert!((vb - k * va).abs() <= 1e-12 * (k * va).abs() + 1e-300);
        }
        prop_assert!((b.pll_per_year - k * a.pll_per_year).abs() <= 1e-12 * k * a.pll_per_year + 1e-300);
        prop_assert_eq!(a.fn_curve.len(), b.fn_curve.len());
        for w in a.fn_curve.windows(2) {
            prop_assert!(w[0].n < w[1].n && w[0].f_per_year >= w[1].f_per_year);
        }
        // IR never exceeds Σ f (lethality ≤ 1, probabilities sum to 1).
        let sum_f: f64 = inp_freqs.iter().sum();
        prop_assert!(a.max_ir_per_year <= sum_f * (1.0 + 1e-9));
    }

    /// Whatever the numbers (NaN, infinities, negatives), assess_site returns without panic.
    #[test]
    fn assess_site_never_panics(
        x in any_f64(), y in any_f64(), f in any_f64(), r in any_f64(), l in any_f64(),
        cell in any_f64(), width in any_f64(), p in any_f64(), off in any_f64(),
    ) {
        let fp = Footprint { shape: FootprintShape::Disc { radius_m: r, lethality: l }, offset_m: [off, 0.0] };
        let mut inp = input(vec![(x, y, f, fp)], vec![1.0 / 16.0; 16], 1);
        inp.grid.cell_size_m = cell;
        inp.grid.width_m = width;
        inp.weather[0].probability = p;
        if let Ok(out) = assess_site(&inp) {
            prop_assert!(out.ir_per_year.iter().all(|v| v.is_finite() && *v >= 0.0));
        }
    }

    /// Directional footprints with arbitrary (possibly invalid) raster parameters never panic.
    #[test]
    fn directional_footprint_never_panics(
        x0 in any_f64(), y0 in any_f64(), step in any_f64(), nx in 0usize..6, ny in 0usize..6,
        vals in prop::collection::vec(any_f64(), 0..40),
    ) {
        let fp = Footprint {
            shape: FootprintShape::Directional { x_min_m: x0, y_min_m: y0, step_m: step, nx, ny, lethality: vals },
            offset_m: [0.0, 0.0],
        };
        let _ = fp.lethality_at(1.0, 2.0);
        let inp = input(vec![(0.0, 0.0, 1e-5, fp)], vec![1.0 / 16.0; 16], 1);
        if let Ok(out) = assess_site(&inp) {
            prop_assert!(out.ir_per_year.iter().all(|v| v.is_finite() && *v >= 0.0));
        }
    }

    /// Purple Book trees sum to 1 for valid inputs and refuse invalid ones without panic.
    #[test]
    fn event_trees_sum_to_one(
        pd in any_f64(), pdel in any_f64(), fx in any_f64(), toxic in any::<bool>(), rain in any::<bool>(),
        s in 0usize..3, inst in any::<bool>(),
    ) {
        let substance = [TreeSubstance::FlammableGas, TreeSubstance::FlammableLiquid, TreeSubstance::Toxic][s];
        let release = if inst { ReleaseKind::Instantaneous } else { ReleaseKind::Continuous };
        let r = event_tree(&EventTreeInput {
            substance, release, toxic, direct_ignition_probability: pd,
            delayed_ignition_probability: pdel, explosion_fraction: fx, rainout: rain,
        });
        if let Ok(out) = r {
            let sum: f64 = out.end_states.iter().map(|e| e.probability).sum();
            prop_assert!((sum - 1.0).abs() < 1e-12);
            prop_assert!(out.end_states.iter().all(|e| e.probability >= 0.0));
        }
        let h = hyram_event_tree(&HyramEventTreeInput {
            detection_credit: fx, immediate_ignition_probability: None,
            delayed_ignition_probability: None, mass_flow_kg_s: Some(pd),
            table: HyramIgnitionTable::default(),
        });
        if let Ok(o) = h {
            prop_assert!((o.shutdown + o.no_ignition + o.jet_fire + o.explosion - 1.0).abs() < 1e-12);
        }
    }

    /// Contours of random rasters: no panic, every ring has at least 3 points.
    #[test]
    fn contours_never_panic(vals in prop::collection::vec(any_f64(), 1..64), level in any_f64()) {
        let n = vals.len();
        let frame = RasterFrame { origin_x_m: 0.0, origin_y_m: 0.0, cell_size_m: 1.0, nx: n, ny: 1 };
        if let Ok(rings) = contour_rings(&vals, &frame, level) {
            prop_assert!(rings.iter().all(|r| r.points_m.len() >= 3));
        }
        let side = (n as f64).sqrt() as usize;
        let frame = RasterFrame { origin_x_m: 0.0, origin_y_m: 0.0, cell_size_m: 1.0, nx: side, ny: side };
        let _ = contour_rings(&vals[..side * side], &frame, level);
    }

    /// F-N evaluation never panics.
    #[test]
    fn fn_evaluation_never_panics(pts in prop::collection::vec((any_f64(), any_f64()), 0..8)) {
        let curve: Vec<FnPoint> = pts.into_iter().map(|(n, f)| FnPoint { n, f_per_year: f }).collect();
        let _ = evaluate_fn_curve(&curve, &FnCriterion::default());
    }
}

/// The result does not depend on the number of threads (fixed row bands, fixed order).
#[test]
fn result_is_independent_of_thread_count() {
    let evs = vec![
        (0.0, 0.0, 1e-4, Footprint::disc(120.0, 1.0)),
        (
            50.0,
            -30.0,
            3e-5,
            Footprint::directional_from_fn(
                &DirectionalSampling::symmetric(0.0, 350.0, 40.0, 5.0),
                |x, y| (-(y * y) / 400.0).exp() * (1.0 - x / 400.0),
            )
            .unwrap(),
        ),
    ];
    let inp = input(evs, (1..=16).map(|k| k as f64 / 136.0).collect(), 2);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let many = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let a = one.install(|| assess_site(&inp).unwrap());
    let b = many.install(|| assess_site(&inp).unwrap());
    assert_eq!(a, b);
    assert!(a.max_ir_per_year > 1e-4);
}
