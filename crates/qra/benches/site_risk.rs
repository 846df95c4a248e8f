//! Site risk integration: 100 risk events × 6 weather classes × 16 wind sectors on a
//! 2 km × 2 km grid at 5 m cells (400 × 400 = 160 000 cells), against the target of
//! 2 s on a 2-core machine (reference `qra-consequence.md` §17 asks for a 100-LOC site in
//! < 10 s on 2 cores).
//!
//! The site: 100 events at deterministic pseudo-random points in the central 1 km × 1 km,
//! 4 installations, 200 buildings (population polygons) and a residential block, 6 protected
//! targets; the Purple Book weather set (B3, D1.5, D5, D9, E5, F1.5) with a different
//! 16-sector rose per class.
//!
//! - 50 radial events (fires, explosions): discs and smooth probit-like profiles,
//!   radius 30–300 m, the same in all weathers except for a weather factor → 300 instances;
//! - 35 directional toxic plumes 1–2 km long, 100–300 m wide (widening downwind), longer in
//!   stable weather → 35 × 6 × 16 = 3 360 instances;
//! - 15 flash fires: directional clouds 300–800 m long, 100–200 m wide → 1 440 instances.
//!
//! Footprints are sampled at 5 m before the timed section (that is the consequence models'
//! cost, not the engine's). Timed: `assess_site` (validation, compiling the footprints, the
//! IR raster, societal risk, contours, target checks, distances), with all threads and with one.
//!
//! Run: `CARGO_TARGET_DIR=/work/target-bench cargo bench -p weihua-qra --bench site_risk`

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use weihua_qra::puff::Stability;
use weihua_qra::risk::criteria::{InstallationStatus, TargetClass};
use weihua_qra::risk::footprint::{DirectionalSampling, Footprint};
use weihua_qra::risk::grid::{
    GridSpec, Installation, PopulationItem, ProtectedTarget, RiskEvent, SiteRiskInput,
    SiteRiskOptions, assess_site,
};
use weihua_qra::risk::ignition::Outcome;
use weihua_qra::risk::weather::{Period, WeatherClass, WindRose};
use weihua_qra::risk::{Boundary, GeoOrigin, Geometry};

/// The target wall time on a 2-core machine, s.
const TARGET_S: f64 = 2.0;

/// splitmix64: deterministic noise without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [a, b).
    fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

fn weather() -> Vec<WeatherClass> {
    let set = [
        ("B3", Stability::B, 3.0, 0.10, Period::Day),
        ("D1.5", Stability::D, 1.5, 0.12, Period::Day),
        ("D5", Stability::D, 5.0, 0.30, Period::Day),
        ("D9", Stability::D, 9.0, 0.08, Period::Night),
        ("E5", Stability::E, 5.0, 0.15, Period::Night),
        ("F1.5", Stability::F, 1.5, 0.25, Period::Night),
    ];
    set.iter()
        .map(|&(id, stability, u, p, period)| WeatherClass {
            id: id.into(),
            stability,
            wind_speed_m_s: u,
            probability: p,
            period,
        })
        .collect()
}

/// Length factor of a dispersion footprint per weather class (stable → longer).
fn stretch(id: &str) -> f64 {
    match id {
        "B3" => 0.5,
        "D1.5" => 0.8,
        "D5" => 0.7,
        "D9" => 0.6,
        "E5" => 0.9,
        _ => 1.0,
    }
}

fn rose(rng: &mut Rng, weather: &[WeatherClass]) -> WindRose {
    let mut per = BTreeMap::new();
    for w in weather {
        let raw: Vec<f64> = (0..16)
            .map(|k| 1.0 + 2.0 * (k as f64 * 0.4).sin().abs() + rng.range(0.0, 1.0))
            .collect();
        let s: f64 = raw.iter().sum();
        per.insert(w.id.clone(), raw.iter().map(|v| v / s).collect());
    }
    WindRose::PerWeather(per)
}

/// Toxic plume: Gaussian across the wind, σ_y growing downwind, lethality fading towards the
/// end of the footprint.
fn plume(length: f64, half_width: f64) -> Footprint {
    let s = DirectionalSampling::symmetric(-10.0, length, half_width, 5.0);
    Footprint::directional_from_fn(&s, |x, y| {
        if x < 0.0 {
            return 0.0;
        }
        let sigma = 3.0 + half_width / 4.0 * (x / length).powf(0.9);
        let along = if x < 0.6 * length {
            1.0
        } else {
            1.0 - (x - 0.6 * length) / (0.4 * length)
        };
        along * (-(y * y) / (2.0 * sigma * sigma)).exp()
    })
    .expect("plume samples")
}

/// Flash fire: lethality 1 inside an elliptic cloud, with a 5 m ramp.
fn cloud(length: f64, half_width: f64) -> Footprint {
    let s = DirectionalSampling::symmetric(0.0, length, half_width, 5.0);
    Footprint::directional_from_fn(&s, |x, y| {
        let c = length / 2.0;
        let e = ((x - c) / c).powi(2) + (y / half_width).powi(2);
        if e <= 1.0 { 1.0 } else { 0.0 }
    })
    .expect("cloud samples")
}

fn site() -> SiteRiskInput {
    let mut rng = Rng(20_260_101);
    let weather = weather();
    let wind_rose = rose(&mut rng, &weather);
    let mut events = Vec::with_capacity(100);
    for k in 0..100 {
        let (x, y) = (rng.range(-500.0, 500.0), rng.range(-500.0, 500.0));
        let mut footprints = BTreeMap::new();
        let outcome;
        if k < 50 {
            let r = rng.range(30.0, 300.0);
            outcome = if k % 3 == 0 {
                Outcome::Vce
            } else {
                Outcome::PoolFire
            };
            for w in &weather {
                let rw = r * (0.9 + 0.2 * stretch(&w.id));
                let fp = if k % 2 == 0 {
                    Footprint::disc(rw, 1.0)
                } else {
                    Footprint::radial_from_fn(rw * 1.5, 5.0, |d| {
                        1.0 / (1.0 + ((d - rw) / (0.08 * rw)).exp())
                    })
                    .expect("profile")
                };
                footprints.insert(w.id.clone(), fp);
            }
        } else if k < 85 {
            outcome = Outcome::Toxic;
            let (len, hw) = (rng.range(1000.0, 2000.0), rng.range(50.0, 150.0));
            for w in &weather {
                footprints.insert(w.id.clone(), plume(len * stretch(&w.id), hw));
            }
        } else {
            outcome = Outcome::FlashFire;
            let (len, hw) = (rng.range(300.0, 800.0), rng.range(50.0, 100.0));
            for w in &weather {
                footprints.insert(w.id.clone(), cloud(len * stretch(&w.id), hw));
            }
        }
        events.push(RiskEvent {
            id: format!("E{k:03}"),
            installation_id: format!("U{}", k % 4),
            x_m: x,
            y_m: y,
            frequency_per_year: 10f64.powf(rng.range(-7.0, -4.0)),
            outcome: Some(outcome),
            indoor_lethality_factor: None,
            footprints,
        });
    }
    let mut population: Vec<PopulationItem> = (0..200)
        .map(|_| {
            let (x, y) = (rng.range(-950.0, 900.0), rng.range(-950.0, 900.0));
            let (w, h) = (rng.range(10.0, 50.0), rng.range(10.0, 50.0));
            PopulationItem {
                id: None,
                geometry: Geometry::Polygon {
                    vertices_m: vec![[x, y], [x + w, y], [x + w, y + h], [x, y + h]],
                },
                day_count: rng.range(5.0, 200.0),
                night_count: rng.range(0.0, 50.0),
                indoor_fraction_day: 0.93,
                indoor_fraction_night: 0.99,
            }
        })
        .collect();
    population.push(PopulationItem {
        id: Some("residential".into()),
        geometry: Geometry::Polygon {
            vertices_m: vec![
                [600.0, 600.0],
                [990.0, 600.0],
                [990.0, 990.0],
                [600.0, 990.0],
            ],
        },
        day_count: 2000.0,
        night_count: 5000.0,
        indoor_fraction_day: 0.93,
        indoor_fraction_night: 0.99,
    });
    let protected_targets = [
        TargetClass::HighSensitive,
        TargetClass::Important,
        TargetClass::General1,
        TargetClass::General2,
        TargetClass::General3,
        TargetClass::General1,
    ]
    .iter()
    .enumerate()
    .map(|(k, &class)| ProtectedTarget {
        id: format!("T{k}"),
        name: String::new(),
        class,
        geometry: Geometry::Point {
            x_m: rng.range(-990.0, 990.0),
            y_m: rng.range(-990.0, 990.0),
        },
    })
    .collect();
    let installations = (0..4)
        .map(|k| {
            let (cx, cy) = (
                -250.0 + 500.0 * (k % 2) as f64,
                -250.0 + 500.0 * (k / 2) as f64,
            );
            Installation {
                id: format!("U{k}"),
                name: String::new(),
                boundary: Boundary::Polygon {
                    vertices_m: vec![
                        [cx - 200.0, cy - 200.0],
                        [cx + 200.0, cy - 200.0],
                        [cx + 200.0, cy + 200.0],
                        [cx - 200.0, cy + 200.0],
                    ],
                },
            }
        })
        .collect();
    SiteRiskInput {
        grid: GridSpec {
            origin_x_m: -1000.0,
            origin_y_m: -1000.0,
            width_m: 2000.0,
            height_m: 2000.0,
            cell_size_m: 5.0,
            geo_origin: Some(GeoOrigin {
                lat_deg: 30.6,
                lon_deg: 114.3,
            }),
        },
        weather,
        wind_rose,
        events,
        population,
        protected_targets,
        installations,
        installation_status: InstallationStatus::New,
        criteria: Default::default(),
        contour_levels_per_year: None,
        options: SiteRiskOptions::default(),
    }
}

fn bench(c: &mut Criterion) {
    let input = site();
    // One untimed run: the figures, printed next to the target.
    let t = Instant::now();
    let out = assess_site(&input).expect("site assesses");
    let first = t.elapsed().as_secs_f64();
    println!(
        "site_risk: {} instances, 400x400 cells, max IR {:.3e}/a, PLL {:.3e}/a, {} F-N points; \
         first run {:.3} s on {} threads (target {TARGET_S} s on 2 cores)",
        out.instances,
        out.max_ir_per_year,
        out.pll_per_year,
        out.fn_curve.len(),
        first,
        rayon::current_num_threads(),
    );
    let mut group = c.benchmark_group("site_risk");
    group.sample_size(10);
    group.bench_function("100ev_6w_16s_400x400_all_threads", |b| {
        b.iter(|| black_box(assess_site(black_box(&input)).expect("runs")))
    });
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    group.bench_function("100ev_6w_16s_400x400_one_thread", |b| {
        b.iter(|| one.install(|| black_box(assess_site(black_box(&input)).expect("runs"))))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
