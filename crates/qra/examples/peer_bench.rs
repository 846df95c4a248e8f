//! weihua-qra side of the peer benchmark (`bench/qra-peers/`): computes the pinned scenarios
//! of `bench/qra-peers/scenarios.json` with weihua-qra's functions and prints JSON with the
//! results and the median time per call.
//!
//! ```text
//! cargo run --release -p weihua-qra --example peer_bench                       # weihua alone
//! cargo run --release -p weihua-qra --example peer_bench -- --peers bench/qra-peers/out/peers.json
//! ```
//!
//! Two kinds of rows: weihua alone against the peer alone (jet fire, `h2_jet_explosion` with
//! weihua's own simplified jet, plume), and, with `--peers`, the explosion models alone on the
//! peer's flammable mass (`tnt_*`, `bst_*`): HyRAM's integral jet and weihua's simplified jet
//! give different flammable masses, so this isolates the blast curves. Such hand-overs are
//! listed under `inputs_from_peer`; `--peers` also gives HyRAM's overpressure origin, so that
//! the receptor distances can be measured from weihua's origin, the release point. Without
//! `--peers` the hand-over rows are skipped and the origin is the release point.
//!
//! Timing: each operation is warmed up, then timed in batches of calls sized to last about
//! 2 ms; the per-call time of each batch is recorded and the median over the batches is
//! reported (`median_ns`), with `min_ns` and the number of calls `n`. Operation names match
//! `peers.py`, so `bench/qra-peers/run.sh` can put the two side by side.
//!
//! The peers (Sandia HyRAM+, GPL-3.0; pyELDQM, MIT) are only run by `bench/qra-peers/peers.py`
//! in a benchmark-only virtual environment; nothing of theirs is used here.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use weihua_qra::dense::Release;
use weihua_qra::fire::{JetFireInput, JetFuel, JetReceptor, gas_jet_source, jet_fire, jet_flame};
use weihua_qra::plume::{
    ConcentrationThreshold, ConcentrationUnit, DenseGasChoice, DispersionFootprintInput,
    DispersionOptions, DispersionSource, DispersionWeather, GaussianPlumeInput, PlumeField,
    SigmaSet, dispersion_footprint, gaussian_plume,
};
use weihua_qra::vce::{
    BstInput, H2JetExplosionInput, H2JetExplosionMethod, TntBlast, TntEquivalenceInput, bst,
    h2_jet_explosion, tnt_equivalence,
};
use weihua_qra::{GasOrificeInput, Stability, gas_orifice};

const SCENARIOS: &str = include_str!("../../../bench/qra-peers/scenarios.json");

/// Universal gas constant, J/(mol·K).
const R_GAS: f64 = 8.314_462_618;
/// Molar mass of H₂, kg/mol.
const M_H2: f64 = 2.015_88e-3;
/// Ratio of specific heats of H₂ near 288 K (ideal gas).
const K_H2: f64 = 1.405;

// ------------------------------------------------------------------------------- timing

/// Median time per call of `f`, in ns, over batches of calls.
fn bench<T>(what: &str, mut f: impl FnMut() -> T) -> Value {
    const BATCH_TARGET: Duration = Duration::from_millis(2);
    const BATCHES: usize = 31;
    const MAX_TOTAL: Duration = Duration::from_secs(3);
    // Warm up and size the batch.
    let mut per_batch: u64 = 1;
    loop {
        let t0 = Instant::now();
        for _ in 0..per_batch {
            black_box(f());
        }
        let dt = t0.elapsed();
        if dt >= BATCH_TARGET || per_batch >= 1 << 24 {
            break;
        }
        per_batch = if dt.as_nanos() == 0 {
            per_batch * 16
        } else {
            let want = (BATCH_TARGET.as_nanos() as f64 / dt.as_nanos() as f64 * per_batch as f64)
                .ceil() as u64;
            want.clamp(per_batch + 1, per_batch * 16)
        };
    }
    let mut samples = Vec::with_capacity(BATCHES);
    let started = Instant::now();
    for _ in 0..BATCHES {
        let t0 = Instant::now();
        for _ in 0..per_batch {
            black_box(f());
        }
        samples.push(t0.elapsed().as_nanos() as f64 / per_batch as f64);
        if samples.len() >= 5 && started.elapsed() > MAX_TOTAL {
            break;
        }
    }
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    json!({
        "median_ns": median,
        "min_ns": samples[0],
        "n": samples.len() as u64 * per_batch,
        "what": what,
    })
}

// ------------------------------------------------------------------------------- output

#[derive(Default)]
struct Out {
    results: Vec<Value>,
    timings: Map<String, Value>,
    inputs_from_peer: Vec<Value>,
    not_wired: Vec<Value>,
}

impl Out {
    fn result(&mut self, quantity: String, value: f64, op: &str, note: &str) {
        let mut r = json!({ "quantity": quantity, "value": value, "op": op });
        if !note.is_empty() {
            r["note"] = json!(note);
        }
        self.results.push(r);
    }
    fn timing(&mut self, op: &str, t: Value) {
        self.timings.insert(op.to_owned(), t);
    }
    fn not_wired(&mut self, what: &str, why: &str) {
        self.not_wired.push(json!({ "what": what, "why": why }));
    }
}

fn f(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("scenarios.json: missing number {key}"))
}

fn fv(v: &Value, key: &str) -> Vec<f64> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("scenarios.json: missing array {key}"))
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

// ------------------------------------------------------------------------------- H₂ jet

/// `overpressure_sweep_m` = [start, stop, n]: n distances evenly spaced (numpy linspace).
fn sweep_distances(sc: &Value) -> Vec<f64> {
    let s = fv(sc, "overpressure_sweep_m");
    let (a, b, n) = (s[0], s[1], s[2] as usize);
    (0..n)
        .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
        .collect()
}

/// `10k` for 10 000 points (the operation-name suffix of peers.py).
fn sweep_tag(sc: &Value) -> String {
    let n = fv(sc, "overpressure_sweep_m")[2] as usize;
    if n >= 1000 {
        format!("{}k", n / 1000)
    } else {
        n.to_string()
    }
}

/// `1to50m` (the quantity-name suffix of peers.py).
fn sweep_label(sc: &Value) -> String {
    let s = fv(sc, "overpressure_sweep_m");
    format!("{}to{}m", s[0], s[1])
}

fn h2_jet(sc: &Value, peers: Option<&Value>, out: &mut Out) {
    let t_amb = f(sc, "ambient_temperature_k");
    let p_amb = f(sc, "ambient_pressure_pa");
    let cd = f(sc, "discharge_coefficient");
    let dhc = f(sc, "heat_of_combustion_j_kg");
    let eta = f(sc, "tnt_efficiency");
    let e_tnt = f(sc, "tnt_specific_energy_j_kg");
    let dists = fv(sc, "overpressure_distances_m");
    let mach = f(sc, "bst_mach_flame_speed");
    let rh = f(sc, "relative_humidity");
    let co2 = f(sc, "co2_ppm");
    let angle_deg = f(sc, "release_angle_rad").to_degrees();
    let flux_pts: Vec<Vec<f64>> = sc["flux_receptors_m"]
        .as_array()
        .expect("flux_receptors_m")
        .iter()
        .map(|p| {
            p.as_array()
                .expect("[x, y, z]")
                .iter()
                .map(|x| x.as_f64().expect("number"))
                .collect()
        })
        .collect();

    for case in sc["cases"].as_array().expect("cases") {
        let cid = case["id"].as_str().expect("id");
        let p0 = f(case, "stagnation_pressure_pa");
        let t0 = f(case, "stagnation_temperature_k");
        let d = f(case, "hole_diameter_m");
        let handover = peers.map(|p| &p["hyram_intermediates"][cid]);

        // --- orifice flow: weihua's Abel–Noble choked flow (HyRAM: real gas, CoolProp).
        let fuel = JetFuel::HYDROGEN;
        let src = || gas_jet_source(&fuel, p0, t0, d, cd, p_amb, t_amb);
        let mdot = src().expect("gas_jet_source").mass_flow_rate_kg_s;
        let op = format!("{cid}.mass_flow");
        out.result(
            format!("{cid}.mass_flow_kg_s"),
            mdot,
            &op,
            "Abel-Noble gas (b = 7.69e-3 m3/kg, gamma 1.405), isentropic choked flow",
        );
        out.timing(
            &op,
            bench(
                "weihua gas_jet_source (Abel-Noble choked orifice + notional nozzle)",
                || gas_jet_source(&fuel, black_box(p0), t0, d, cd, p_amb, t_amb),
            ),
        );
        // The ideal-gas orifice as well (weihua-only row).
        let rho0 = p0 * M_H2 / (R_GAS * t0);
        let orifice_in = GasOrificeInput {
            upstream_pressure_pa: p0,
            upstream_density_kg_m3: rho0,
            upstream_temperature_k: t0,
            heat_capacity_ratio: K_H2,
            discharge_coefficient: cd,
            hole_diameter_m: d,
            ambient_pressure_pa: p_amb,
        };
        let op = format!("{cid}.mass_flow_ideal_gas");
        out.result(
            format!("{cid}.mass_flow_ideal_gas_kg_s"),
            gas_orifice(&orifice_in)
                .expect("gas_orifice")
                .mass_rate_kg_s,
            &op,
            "ideal gas (rho = PM/RT, k = 1.405)",
        );
        out.timing(
            &op,
            bench("weihua gas_orifice (ideal-gas choked orifice)", || {
                gas_orifice(black_box(&orifice_in))
            }),
        );

        // --- jet fire: flame length, radiant fraction, flux at the receptors.
        let jf_in = JetFireInput {
            fuel: None,
            reservoir_pressure_pa: p0,
            reservoir_temperature_k: t0,
            hole_diameter_m: d,
            discharge_coefficient: cd,
            ambient_pressure_pa: p_amb,
            ambient_temperature_k: t_amb,
            relative_humidity: rh,
            co2_ppm: co2,
            release_height_m: 0.0,
            jet_angle_deg: angle_deg,
            receptors: flux_pts
                .iter()
                .map(|p| JetReceptor {
                    x_m: p[0],
                    y_m: p[1],
                    z_m: p[2],
                    normal: None,
                })
                .collect(),
        };
        let jf = jet_fire(&jf_in).expect("jet_fire");
        let op = format!("{cid}.jet_fire");
        let rows = [
            ("notional_diameter_m", jf.source.notional_diameter_m),
            ("notional_velocity_m_s", jf.source.notional_velocity_m_s),
            ("notional_density_kg_m3", jf.source.notional_density_kg_m3),
            (
                "adiabatic_flame_temperature_k",
                fuel.adiabatic_flame_temperature_k,
            ),
            ("flame_froude_number", jf.froude_number),
            ("flame_length_m", jf.flame_length_m),
            ("flame_residence_time_ms", jf.residence_time_ms),
            ("radiant_fraction", jf.radiant_fraction),
            ("radiated_power_W", jf.radiant_power_w),
        ];
        for (q, v) in rows {
            out.result(format!("{cid}.{q}"), v, &op, "");
        }
        for r in &jf.receptors {
            let p = &r.receptor;
            out.result(
                format!("{cid}.flux_W_m2@({},{},{})", p.x_m, p.y_m, p.z_m),
                r.heat_flux_kw_m2 * 1e3,
                &op,
                "straight horizontal flame axis, 50 weighted point sources, face-on",
            );
        }
        out.timing(
            &op,
            bench(
                "weihua jet_fire: Abel-Noble source + notional nozzle + Sandia correlations + 50-point radiation at 5 receptors",
                || jet_fire(black_box(&jf_in)),
            ),
        );
        let flame = jet_flame(&jf_in).expect("jet_flame");
        let op = format!("{cid}.flux_only");
        out.timing(
            &op,
            bench(
                "weihua JetFlame::flux_w_m2_at on a built flame, 5 receptors",
                || {
                    black_box(&flux_pts)
                        .iter()
                        .map(|p| flame.flux_w_m2_at([p[0], p[1], p[2]], None))
                        .sum::<f64>()
                },
            ),
        );

        // --- delayed ignition, weihua alone: h2_jet_explosion (its own simplified momentum
        // jet for the flammable mass, then BST at the peer's M_f). HyRAM measures the
        // distance from its overpressure origin (the jet point midway between LFL and UFL),
        // weihua from the release point: the receptors (origin + r across the jet) are at
        // sqrt(ox² + oy² + r²) from the release point. Without --peers, the origin is taken
        // at the release point.
        let origin = handover
            .and_then(|h| h["overpressure_origin_m"].as_array())
            .map(|o| {
                o.iter()
                    .map(|v| v.as_f64().expect("number"))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_else(|| vec![0.0, 0.0, 0.0]);
        let from_release: Vec<f64> = dists
            .iter()
            .map(|&r| (origin[0] * origin[0] + origin[1] * origin[1] + r * r).sqrt())
            .collect();
        let jx_in = H2JetExplosionInput {
            reservoir_pressure_pa: p0,
            reservoir_temperature_k: t0,
            hole_diameter_m: d,
            discharge_coefficient: cd,
            ambient_pressure_pa: p_amb,
            ambient_temperature_k: t_amb,
            method: H2JetExplosionMethod::Bst,
            flame_mach: Some(mach),
            yield_factor: eta,
            detonation_cells_across: 13.0,
            distances_m: from_release.clone(),
        };
        let jx = h2_jet_explosion(&jx_in).expect("h2_jet_explosion");
        let op = format!("{cid}.bst_full");
        out.result(
            format!("{cid}.flammable_mass_kg"),
            jx.cloud.flammable_mass_kg,
            &op,
            "weihua's simplified momentum jet (Chen & Rodi decay, Gaussian profile, no buoyancy)",
        );
        out.result(
            format!("{cid}.jet_lfl_centreline_distance_m"),
            jx.cloud.lfl_distance_m,
            &op,
            "",
        );
        for (r, o) in dists.iter().zip(&jx.overpressures) {
            out.result(
                format!("{cid}.jet_bst_overpressure_Pa@{r}m"),
                o.overpressure_pa,
                &op,
                "weihua flammable mass + weihua BST (CCPS curves)",
            );
        }
        out.timing(
            &op,
            bench(
                "weihua h2_jet_explosion: Abel-Noble source + jet flammable/detonable mass + BST at 5 distances",
                || h2_jet_explosion(black_box(&jx_in)),
            ),
        );

        // Bauwens–Dorofeev: weihua's detonable mass of its jet, then the BST M_f 5.2 curve.
        let bw_in = H2JetExplosionInput {
            method: H2JetExplosionMethod::Bauwens,
            flame_mach: None,
            ..jx_in.clone()
        };
        let bw = h2_jet_explosion(&bw_in).expect("h2_jet_explosion bauwens");
        let op = format!("{cid}.bauwens");
        out.result(
            format!("{cid}.detonable_mass_kg"),
            bw.cloud.detonable_mass_kg,
            &op,
            "weihua's simplified jet; cell-width criterion (13 cells across the cloud)",
        );
        for (r, o) in dists.iter().zip(&bw.overpressures) {
            out.result(
                format!("{cid}.bauwens_overpressure_Pa@{r}m"),
                o.overpressure_pa,
                &op,
                "detonable mass, BST M_f 5.2 curve",
            );
        }
        out.timing(
            &op,
            bench(
                "weihua h2_jet_explosion (bauwens): source + jet cloud + detonable mass + BST 5.2 at 5 distances",
                || h2_jet_explosion(black_box(&bw_in)),
            ),
        );

        // --- the explosion models alone, on the peer's flammable mass.
        let Some(m_flam) = handover.and_then(|h| h["flammable_mass_kg"].as_f64()) else {
            out.not_wired(
                &format!("{cid}.tnt_* / {cid}.bst_* on the same flammable mass"),
                "needs the peer's flammable mass: run with --peers PATH (HyRAM hand-over)",
            );
            continue;
        };
        out.inputs_from_peer.push(json!({
            "case": cid,
            "flammable_mass_kg": m_flam,
            "why": "weihua's momentum jet is a simplified model: the TNT and BST rows compare the explosion models alone, on HyRAM's flammable mass",
        }));

        // TNT equivalence and Kingery–Bulmash (hemispherical surface burst).
        let tnt_in = |r: f64| TntEquivalenceInput {
            flammable_mass_kg: m_flam,
            heat_of_combustion_j_kg: dhc,
            yield_factor: eta,
            tnt_blast_energy_j_kg: e_tnt,
            distance_m: Some(r),
        };
        let tnt_inputs: Vec<TntEquivalenceInput> = dists.iter().map(|&r| tnt_in(r)).collect();
        let op = format!("{cid}.tnt_curve");
        let w = tnt_equivalence(&tnt_inputs[0])
            .expect("tnt_equivalence")
            .tnt_mass_kg;
        out.result(
            format!("{cid}.tnt_mass_kg"),
            w,
            &op,
            "W = eta m_f dHc / E_TNT",
        );
        for (r, i) in dists.iter().zip(&tnt_inputs) {
            match tnt_equivalence(i) {
                Ok(o) => out.result(
                    format!("{cid}.tnt_overpressure_Pa@{r}m"),
                    o.blast
                        .map_or(f64::NAN, |b| b.incident_overpressure_kpa * 1e3),
                    &op,
                    "Kingery-Bulmash hemispherical surface burst",
                ),
                Err(e) => out.not_wired(&format!("{cid}.tnt_overpressure_Pa@{r}m"), &e.to_string()),
            }
        }
        out.timing(
            &op,
            // Like the peer's row: the model built once (TNT mass), then the overpressure at
            // 5 distances.
            bench(
                "weihua TntBlast::overpressure_pa_at (Kingery-Bulmash) on a built model, 5 distances",
                || {
                    let blast = weihua_qra::vce::TntBlast {
                        tnt_mass_kg: black_box(w),
                    };
                    black_box(&dists)
                        .iter()
                        .map(|&r| blast.overpressure_pa_at(r))
                        .sum::<f64>()
                },
            ),
        );

        // BST (Baker–Strehlow–Tang) at the peer's M_f; weihua has no BST impulse.
        let bst_in = |r: f64| BstInput {
            flammable_mass_kg: m_flam,
            heat_of_combustion_j_kg: dhc,
            flame_mach: Some(mach),
            confinement: None,
            reactivity: None,
            congestion: None,
            ambient_pressure_pa: p_amb,
            ground_reflection_factor: 2.0,
            distance_m: r,
        };
        let bst_inputs: Vec<BstInput> = dists.iter().map(|&r| bst_in(r)).collect();
        let op = format!("{cid}.bst_curve");
        for (r, i) in dists.iter().zip(&bst_inputs) {
            let o = bst(i).expect("bst");
            out.result(
                format!("{cid}.bst_overpressure_Pa@{r}m"),
                o.overpressure_pa,
                &op,
                "CCPS (2000) curves (A. E. Farrell digitisation), log-log interpolation in M_f",
            );
        }
        out.timing(
            &op,
            bench("weihua bst at 5 distances (overpressure only)", || {
                black_box(&bst_inputs)
                    .iter()
                    .map(|i| bst(i).map_or(0.0, |o| o.overpressure_pa))
                    .sum::<f64>()
            }),
        );

        // Both curves over the sweep of distances (mean overpressure compared), with the
        // allocation-free field helpers.
        let sweep = sweep_distances(sc);
        let tnt_blast = TntBlast { tnt_mass_kg: w };
        let bst_blast = bst(&bst_inputs[0]).expect("bst").blast;
        let sweeps: [(&str, &dyn Fn(f64) -> f64); 2] = [
            ("tnt", &|r| tnt_blast.overpressure_pa_at(r)),
            ("bst", &|r| bst_blast.overpressure_pa_at(r)),
        ];
        for (name, at) in sweeps {
            let op = format!("{cid}.{name}_curve_{}", sweep_tag(sc));
            let total = |d: &[f64]| d.iter().map(|&r| at(r)).sum::<f64>();
            out.result(
                format!("{cid}.{name}_overpressure_mean_Pa_{}", sweep_label(sc)),
                total(&sweep) / sweep.len() as f64,
                &op,
                "",
            );
            out.timing(
                &op,
                bench(
                    &format!(
                        "weihua {}::overpressure_pa_at at {} distances",
                        if name == "tnt" {
                            "TntBlast"
                        } else {
                            "BstBlast"
                        },
                        sweep.len()
                    ),
                    || total(black_box(&sweep)),
                ),
            );
        }
    }
}

// ------------------------------------------------------------------------------- plume

fn plume(sc: &Value, out: &mut Out) {
    let q = f(sc, "release_rate_kg_s");
    let h = f(sc, "release_height_m");
    let z = f(sc, "receptor_height_m");
    let thresholds = fv(sc, "thresholds_kg_m3");
    let receptors: Vec<(f64, f64)> = sc["receptors_m"]
        .as_array()
        .expect("receptors_m")
        .iter()
        .map(|p| (p[0].as_f64().expect("x"), p[1].as_f64().expect("y")))
        .collect();
    let g = &sc["grid"];
    let (nx, ny) = (f(g, "nx") as usize, f(g, "ny") as usize);
    let lin = |a: f64, b: f64, n: usize| -> Vec<f64> {
        (0..n)
            .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
            .collect()
    };
    let xs = lin(f(g, "x_min_m"), f(g, "x_max_m"), nx);
    let ys = lin(f(g, "y_min_m"), f(g, "y_max_m"), ny);
    let cell = (xs[1] - xs[0]) * (ys[1] - ys[0]);
    assert_eq!(
        sc["sigma_set"].as_str(),
        Some("briggs_rural"),
        "peer_bench knows briggs_rural only"
    );

    for case in sc["cases"].as_array().expect("cases") {
        let cid = case["id"].as_str().expect("id");
        let stability =
            Stability::parse(case["stability"].as_str().expect("stability")).expect("stability");
        let u = f(case, "wind_speed_m_s");

        // Receptors: the one-shot gaussian_plume per point. The wind is given at the
        // reference height 10 m and the release is at ground, so the transport wind is u
        // itself (weihua extrapolates upwards only), as in pyELDQM.
        let inputs: Vec<GaussianPlumeInput> = receptors
            .iter()
            .map(|&(x, y)| GaussianPlumeInput {
                mass_rate_kg_s: q,
                wind_speed_m_s: u,
                wind_reference_height_m: 10.0,
                stability,
                release_height_m: h,
                x_m: x,
                y_m: y,
                z_m: z,
                sigma_set: SigmaSet::BriggsRural,
                averaging_time_s: 600.0,
                ground_reflection: true,
                max_concentration_kg_m3: None,
            })
            .collect();
        let op = format!("{cid}.receptors");
        for (i, &(x, y)) in inputs.iter().zip(&receptors) {
            let c = gaussian_plume(i)
                .expect("gaussian_plume")
                .concentration_kg_m3;
            out.result(format!("{cid}.C_kg_m3@({x},{y})"), c, &op, "");
        }
        out.timing(
            &op,
            bench(
                &format!("weihua gaussian_plume at {} receptors", inputs.len()),
                || {
                    black_box(&inputs)
                        .iter()
                        .map(|i| gaussian_plume(i).map_or(0.0, |o| o.concentration_kg_m3))
                        .sum::<f64>()
                },
            ),
        );

        // Grid: PlumeField (built once per call) evaluated at every grid point.
        let source = DispersionSource {
            release: Release::Continuous {
                mass_rate_kg_s: q,
                duration_s: None,
            },
            release_height_m: h,
            release_density_kg_m3: None,
            release_temperature_k: None,
            molar_mass_kg_mol: None,
        };
        let weather = DispersionWeather {
            stability,
            wind_speed_m_s: u,
            wind_reference_height_m: 10.0,
            ambient_temperature_k: 298.15,
            ambient_pressure_pa: 101_325.0,
        };
        let options = DispersionOptions {
            dense_gas: DenseGasChoice::Passive,
            sigma_set: SigmaSet::BriggsRural,
            ..DispersionOptions::default()
        };
        let grid = |source: &DispersionSource| -> (f64, Vec<usize>) {
            let field = PlumeField::new(source, &weather, &options).expect("PlumeField");
            let mut sum = 0.0;
            let mut above = vec![0usize; thresholds.len()];
            for &y in &ys {
                for &x in &xs {
                    let c = field.concentration_kg_m3(x, y);
                    sum += c;
                    for (k, t) in thresholds.iter().enumerate() {
                        if c >= *t {
                            above[k] += 1;
                        }
                    }
                }
            }
            (sum, above)
        };
        let (sum, above) = grid(&source);
        let op = format!("{cid}.grid");
        out.result(format!("{cid}.grid_sum_kg_m3"), sum, &op, "");
        for (t, n) in thresholds.iter().zip(&above) {
            out.result(
                format!("{cid}.grid_area_ge_{}_m2", fmt_g(*t)),
                *n as f64 * cell,
                &op,
                "",
            );
        }
        let mut t = bench(
            &format!(
                "weihua PlumeField::new + concentration_kg_m3 on a {nx}x{ny} grid ({} points)",
                nx * ny
            ),
            || {
                // the peer's timed call returns the concentration array; here the sum keeps
                // every evaluation alive
                let field =
                    PlumeField::new(black_box(&source), &weather, &options).expect("PlumeField");
                let mut sum = 0.0;
                for &y in &ys {
                    for &x in &xs {
                        sum += field.concentration_kg_m3(x, y);
                    }
                }
                sum
            },
        );
        t["points"] = json!(nx * ny);
        out.timing(&op, t);

        // Distance to each threshold: dispersion_footprint (threat zone: distance, width,
        // area and an 80-vertex polygon).
        let fp_in = |ts: &[f64]| DispersionFootprintInput {
            source: source.clone(),
            weather: weather.clone(),
            options: options.clone(),
            thresholds: ts
                .iter()
                .map(|&v| ConcentrationThreshold {
                    value: v,
                    unit: ConcentrationUnit::KgM3,
                    label: None,
                })
                .collect(),
            polygon_vertices: 80,
        };
        let all = dispersion_footprint(&fp_in(&thresholds)).expect("dispersion_footprint");
        let op = format!("{cid}.distance");
        for z in &all.zones {
            let t = fmt_g(z.zone.threshold_kg_m3);
            out.result(
                format!("{cid}.distance_to_{t}_m"),
                z.zone.max_distance_m,
                &op,
                "",
            );
            out.result(
                format!("{cid}.footprint_area_ge_{t}_m2"),
                z.zone.area_m2,
                &op,
                "area of weihua's threat-zone polygon (80 vertices)",
            );
            out.result(
                format!("{cid}.footprint_max_half_width_{t}_m"),
                z.zone.max_half_width_m,
                &op,
                "",
            );
        }
        let one = fp_in(&thresholds[..1]);
        out.timing(
            &op,
            bench(
                "weihua dispersion_footprint, one threshold (distance, width, area, 80-vertex polygon)",
                || dispersion_footprint(black_box(&one)),
            ),
        );
    }
}

/// Python's `{:g}` for the thresholds used here (1e-3 -> "0.001", 1e-4 -> "0.0001").
fn fmt_g(v: f64) -> String {
    if v == 0.0 || (1e-4..1e6).contains(&v.abs()) {
        return format!("{v}");
    }
    // Python writes the exponent with a sign and at least two digits: 1e-05.
    let s = format!("{v:e}");
    let (mantissa, exp) = s.split_once('e').expect("exponent");
    let (sign, digits) = match exp.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exp),
    };
    format!("{mantissa}e{sign}{digits:0>2}")
}

// ------------------------------------------------------------------------------- main

fn main() {
    let mut args = std::env::args().skip(1);
    let mut peers_path: Option<String> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--peers" => peers_path = Some(args.next().expect("--peers PATH")),
            "-h" | "--help" => {
                eprintln!("usage: peer_bench [--peers PATH/peers.json]");
                return;
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let peers: Option<Value> = peers_path.map(|p| {
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {p}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {p}: {e}"))
    });
    let sc: Value = serde_json::from_str(SCENARIOS).expect("scenarios.json");

    let mut out = Out::default();
    h2_jet(&sc["h2_jet"], peers.as_ref(), &mut out);
    plume(&sc["plume"], &mut out);

    let doc = json!({
        "tool": "peer_bench",
        "crate": format!("weihua-qra {}", env!("CARGO_PKG_VERSION")),
        "profile": if cfg!(debug_assertions) { "debug" } else { "release" },
        "results": out.results,
        "timings": out.timings,
        "inputs_from_peer": out.inputs_from_peer,
        "not_wired": out.not_wired,
    });
    println!("{}", serde_json::to_string_pretty(&doc).expect("json"));
}
