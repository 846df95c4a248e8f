//! Validation cases of `shared/testdata/qra-validation.json` (copied, with provenance, to
//! `tests/data/qra-validation.json`) for the three models, each at the case's own tolerance.
//! Test names carry the case id and its status. Two further cases (marked "extra") come from
//! the GasDispersion.jl test suite, which encodes CCPS 1999 worked examples; they are not in
//! the JSON file.

mod common;

use common::*;
use serde_json::Value;
use weihua_qra::{
    GasOrificeInput, GaussianPuffInput, KingeryBulmashInput, Stability, critical_pressure_ratio,
    gas_orifice, gaussian_puff, kingery_bulmash,
};

/// DISP-SIGMA-CCPS-x1.2 (status: confirmed), `puff_sy_sz` part: CCPS puff σ at x = 1.2 m,
/// obtained through `gaussian_puff` with the cloud centre at u·t = 1.2 m.
#[test]
fn disp_sigma_ccps_x1_2_puff_sigmas_confirmed() {
    let c = case("DISP-SIGMA-CCPS-x1.2");
    let rel = f(&c["tolerance"]["rel"]);
    let x = f(&c["inputs"]["x_m"]);
    let pairs = c["expected"]["puff_sy_sz"].as_object().expect("puff pairs");
    assert_eq!(pairs.len(), 3);
    for (class, pair) in pairs {
        let out = gaussian_puff(&GaussianPuffInput {
            mass_kg: 1.0,
            wind_speed_m_s: x,
            stability: Stability::parse(class).expect("class"),
            x_m: x,
            t_s: 1.0,
        })
        .expect("puff runs");
        assert_rel(&format!("{class} sigma_y"), out.sigma_y_m, f(&pair[0]), rel);
        assert_rel(&format!("{class} sigma_z"), out.sigma_z_m, f(&pair[1]), rel);
    }
}

/// Extra (not in the JSON): CCPS 1999 p.101 Gaussian puff example as encoded in
/// GasDispersion.jl `test/models/gaussian_puff_tests.jl` (1 kg, u = 2 m/s, class F,
/// x = 500 m, t = 250 s): σ_y = 5.047929716825321 m (the book prints 6.1, an erratum),
/// σ_z = 2.214836678536473 m, C = 1/(√(2π)·π·σ_y²·σ_z) kg/m³.
#[test]
fn extra_ccps_1999_p101_gaussian_puff_gd_test() {
    let out = gaussian_puff(&GaussianPuffInput {
        mass_kg: 1.0,
        wind_speed_m_s: 2.0,
        stability: Stability::F,
        x_m: 500.0,
        t_s: 250.0,
    })
    .expect("puff runs");
    let (sy, sz) = (5.047929716825321, 2.214836678536473);
    assert_rel("sigma_y", out.sigma_y_m, sy, 1e-9);
    assert_rel("sigma_z", out.sigma_z_m, sz, 1e-9);
    let c = 1.0 / ((2.0 * std::f64::consts::PI).sqrt() * std::f64::consts::PI * sy * sy * sz);
    assert_rel("concentration", out.concentration_kg_m3, c, 1e-9);
}

/// EXPL-KB-TABLE (status: confirmed): 10 of the 63 metric ADA526744 rows, W = 1 kg; arrival
/// time `null` in the case means beyond the arrival-time fit (Z > 40) and must be `None`.
#[test]
fn expl_kb_table_confirmed() {
    let c = case("EXPL-KB-TABLE");
    let rel = f(&c["tolerance"]["rel"]);
    let w = f(&c["inputs"]["W_kg"]);
    let zs = c["inputs"]["Z_m_kg13"].as_array().expect("Z list");
    let e = &c["expected"];
    for (i, z) in zs.iter().enumerate() {
        let z = f(z);
        let out = kingery_bulmash(&KingeryBulmashInput {
            tnt_mass_kg: w,
            distance_m: z * w.cbrt(),
        })
        .unwrap_or_else(|err| panic!("Z = {z}: {err}"));
        assert_rel(
            &format!("Z = {z} overpressure"),
            out.incident_overpressure_kpa,
            f(&e["P_incident_kPa"][i]),
            rel,
        );
        assert_rel(
            &format!("Z = {z} impulse"),
            out.incident_impulse_kpa_ms.expect("impulse in range"),
            f(&e["i_incident_kPa_ms"][i]),
            rel,
        );
        match (&e["toa_ms"][i], out.arrival_time_ms) {
            (Value::Null, None) => {}
            (expected, Some(t)) if expected.is_number() => {
                assert_rel(&format!("Z = {z} arrival"), t, f(expected), rel)
            }
            (expected, got) => panic!("Z = {z} arrival: got {got:?}, expected {expected}"),
        }
    }
}

/// EXPL-KB-UNSaferGuard (status: confirmed): 5 UN SaferGuard web-tool cases (absolute W, R).
/// Reflected pressure/impulse, positive-phase duration and shock speed are not implemented.
#[test]
fn expl_kb_un_saferguard_confirmed() {
    let c = case("EXPL-KB-UNSaferGuard");
    let rel = f(&c["tolerance"]["rel"]);
    let e = &c["expected"];
    let cases = c["inputs"]["cases_W_kg_R_m"].as_array().expect("cases");
    assert_eq!(cases.len(), 5);
    for (i, wr) in cases.iter().enumerate() {
        let (w, r) = (f(&wr[0]), f(&wr[1]));
        let out = kingery_bulmash(&KingeryBulmashInput {
            tnt_mass_kg: w,
            distance_m: r,
        })
        .unwrap_or_else(|err| panic!("W = {w}, R = {r}: {err}"));
        let tag = format!("W = {w} kg, R = {r} m");
        assert_rel(
            &format!("{tag} overpressure"),
            out.incident_overpressure_kpa,
            f(&e["P_incident_kPa"][i]),
            rel,
        );
        assert_rel(
            &format!("{tag} impulse"),
            out.incident_impulse_kpa_ms.expect("impulse"),
            f(&e["i_incident_kPa_ms"][i]),
            rel,
        );
        // The web tool prints times to 0.01 ms, so the first case (0.13 ms; our fit gives
        // 0.1256 ms, which prints as 0.13) cannot meet 1 % relative: the arrival time is held
        // to 1 % or to the half-unit of the printed last digit (0.005 ms), whichever is larger.
        let (got, expected) = (out.arrival_time_ms.expect("arrival"), f(&e["toa_ms"][i]));
        let allowed = (rel * expected).max(0.005);
        assert!(
            (got - expected).abs() <= allowed,
            "{tag} arrival: got {got}, expected {expected} +- {allowed}"
        );
    }
}

/// SRC-CHOKE-RATIO (status: self_computed — a formula check, not an external reference):
/// critical P₁/P₂ for k = 1.4, 1.3, 1.15; also checks that `gas_orifice` switches to choked
/// flow exactly across that ratio.
#[test]
fn src_choke_ratio_self_computed() {
    let c = case("SRC-CHOKE-RATIO");
    let rel = f(&c["tolerance"]["rel"]);
    let ks = c["inputs"]["k"].as_array().expect("k list");
    for (i, k) in ks.iter().enumerate() {
        let k = f(k);
        let expected = f(&c["expected"]["P1_over_P2_critical"][i]);
        let got = critical_pressure_ratio(k).expect("ratio");
        assert_rel(&format!("k = {k}"), got, expected, rel);
        for (factor, choked) in [(1.01, true), (0.99, false)] {
            let out = gas_orifice(&GasOrificeInput {
                upstream_pressure_pa: 101_325.0 * expected * factor,
                upstream_density_kg_m3: 2.0,
                upstream_temperature_k: 300.0,
                heat_capacity_ratio: k,
                discharge_coefficient: 0.61,
                hole_diameter_m: 0.01,
                ambient_pressure_pa: 101_325.0,
            })
            .expect("orifice runs");
            assert_eq!(out.choked, choked, "k = {k}, P1/P2 = {}", expected * factor);
        }
    }
}

/// Extra (not in the JSON): CCPS 1999 p.47 choked gas jet as encoded in GasDispersion.jl
/// `test/source_models/jet_source_tests.jl` (ρ₁ = 8.90 kg/m³, P₁ = 501 kPa, T₁ = 298 K,
/// k = 1.15, C_d = 0.85, d = 10 mm): ṁ = 0.09002799947040846 kg/s, exit pressure
/// 287766.01316878956 Pa, exit temperature 277.2093023255814 K.
#[test]
fn extra_ccps_1999_p47_choked_gas_jet_gd_test() {
    let out = gas_orifice(&GasOrificeInput {
        upstream_pressure_pa: 501e3,
        upstream_density_kg_m3: 8.90,
        upstream_temperature_k: 298.0,
        heat_capacity_ratio: 1.15,
        discharge_coefficient: 0.85,
        hole_diameter_m: 0.01,
        ambient_pressure_pa: 101_325.0,
    })
    .expect("orifice runs");
    assert!(out.choked);
    assert_rel("mass rate", out.mass_rate_kg_s, 0.09002799947040846, 1e-9);
    assert_rel(
        "exit pressure",
        out.exit_pressure_pa,
        287766.01316878956,
        1e-9,
    );
    assert_rel(
        "exit temperature",
        out.exit_temperature_k,
        277.2093023255814,
        1e-9,
    );
}

/// SRC-LIQ-CCPS-p40 (status: confirmed+reproduced): CCPS 1999 p.40 liquid jet; the upstream
/// pressure already includes the liquid head.
#[test]
fn src_liq_ccps_p40_liquid_jet_confirmed() {
    let c = case("SRC-LIQ-CCPS-p40");
    let rel = f(&c["tolerance"]["rel"]);
    let i = &c["inputs"];
    let out = weihua_qra::liquid_orifice(&weihua_qra::LiquidOrificeInput {
        liquid_density_kg_m3: f(&i["rho_liquid_kg_m3"]),
        upstream_pressure_pa: f(&i["P_upstream_Pa_abs"]),
        ambient_pressure_pa: f(&i["P_ambient_Pa"]),
        liquid_head_m: 0.0,
        discharge_coefficient: f(&i["Cd"]),
        hole_diameter_m: f(&i["hole_diameter_m"]),
    })
    .expect("in range");
    assert_rel(
        "mass_rate_kg_s",
        out.mass_rate_kg_s,
        f(&c["expected"]["mass_rate_kg_s"]),
        rel,
    );
    assert_rel(
        "jet_velocity_m_s",
        out.jet_velocity_m_s,
        f(&c["expected"]["jet_velocity_m_s"]),
        rel,
    );
}

/// SRC-LIQ-BENZENE-CrowlLouvar (status: self_computed — a formula check; the textbook total
/// of about 8000 lbm is unconfirmed): benzene through a 1/4-in hole at 100 psig for 90 min.
#[test]
fn src_liq_benzene_crowl_louvar_self_computed() {
    let c = case("SRC-LIQ-BENZENE-CrowlLouvar");
    let rel = f(&c["tolerance"]["rel"]);
    let i = &c["inputs"];
    let ambient = 101_325.0;
    let out = weihua_qra::liquid_orifice(&weihua_qra::LiquidOrificeInput {
        liquid_density_kg_m3: f(&i["rho_kg_m3"]),
        upstream_pressure_pa: ambient + f(&i["dP_Pa"]),
        ambient_pressure_pa: ambient,
        liquid_head_m: 0.0,
        discharge_coefficient: f(&i["Cd"]),
        hole_diameter_m: f(&i["hole_diameter_m"]),
    })
    .expect("in range");
    assert_rel(
        "mass_rate_kg_s",
        out.mass_rate_kg_s,
        f(&c["expected"]["mass_rate_kg_s"]),
        rel,
    );
    let total_lbm = out.mass_rate_kg_s * f(&i["duration_s"]) / 0.453_592_37;
    assert_rel("total_lbm", total_lbm, f(&c["expected"]["total_lbm"]), rel);
}
