//! Source-term validation: the ALOHA-EX1-BENZENE-TANK case of
//! `tests/data/qra-validation.json` (status `inputs_only`: ALOHA's expected output is not
//! available, so only mass balance, closed-form consistency and plausibility are tested), and
//! the computed check values that reference `shared/reference/qra-consequence.md` §7.3–§7.6
//! gives for the discharge and pool models (tests named `ref_7_x_…`; formula checks, not
//! external data).
//!
//! The other SRC-* cases of the JSON (SRC-LIQ-CCPS-p40, SRC-CHOKE-RATIO,
//! SRC-LIQ-BENZENE-CrowlLouvar) are tested in `validation.rs`.

mod common;

use common::*;
use weihua_qra::discharge::{
    BlowdownMode, FlashFractionInput, FlashMethod, GasVesselBlowdownInput, ReleaseRegime,
    StorageReleaseInput, StoredPhase, TwoPhaseMethod, TwoPhaseOrificeInput, flash_fraction,
    gas_vessel_blowdown, liquid_density_at, storage_release, two_phase_orifice,
};
use weihua_qra::pool::{
    EvaporationRegime, PoolEvaporationInput, PoolSpreadInput, SpreadLimit, pool_evaporation,
    pool_spread,
};
use weihua_qra::substance::lookup;
use weihua_qra::{GasOrificeInput, LiquidOrificeInput, gas_orifice, liquid_orifice};

const G: f64 = 9.806_65;
const R: f64 = 8.314_462_618;

/// Parses "500 gal", "4 ft", "6 in", "10 in" from the case's text inputs.
fn number_before(text: &str, unit: &str) -> f64 {
    let i = text
        .find(unit)
        .unwrap_or_else(|| panic!("`{unit}` in `{text}`"));
    text[..i]
        .split_whitespace()
        .last()
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("number before `{unit}` in `{text}`"))
}

/// ALOHA-EX1-BENZENE-TANK (status: inputs_only — ALOHA's threat-zone distance and source
/// strength are not available, so this is NOT a comparison with ALOHA). Source and puddle
/// part only, from the case's inputs: a vertical 500-gal, 4-ft-diameter tank just filled with
/// benzene, a 6-in hole 10 in above the bottom, liquid onto grass, 80 °F, wind 7 kn at 10 m.
///
/// Checked: the tank drains through the hole (Bernoulli with the liquid head,
/// `liquid_orifice`) in the closed-form time of reference §7.1 and releases exactly the
/// liquid above the hole (mass balance); `storage_release` gives the same initial rate; the
/// unconfined puddle spreads to the (assumed 5 mm) minimum thickness with its volume conserved;
/// the puddle is non-boiling and evaporates (Mackay–Matsugu, pool at air temperature — an
/// upper estimate, ALOHA's energy balance cools it) within ALOHA's 60-min limit at a
/// plausible flux; the mass-transfer coefficient agrees with Mackay & Matsugu's original
/// m/h form.
#[test]
fn aloha_ex1_benzene_tank_source_and_puddle_inputs_only() {
    let c = case("ALOHA-EX1-BENZENE-TANK");
    assert!(
        c["status"]
            .as_str()
            .is_some_and(|s| s.starts_with("inputs_only"))
    );
    let i = &c["inputs"];
    assert_eq!(i["chemical"], "benzene");
    let tank = i["tank"].as_str().expect("tank text");
    let hole = i["hole"].as_str().expect("hole text");
    let wind = i["wind"].as_str().expect("wind text");
    let volume = number_before(tank, "gal") * 3.785_411_784e-3;
    let tank_d = number_before(tank, "ft diameter") * 0.3048;
    let hole_d = number_before(hole, "in circular") * 0.0254;
    let hole_z = number_before(hole, "in above") * 0.0254;
    let u10 = number_before(wind, "knots") * 1852.0 / 3600.0;
    let t_air = (i["T_air_F"].as_f64().expect("T") - 32.0) / 1.8 + 273.15;
    assert!(tank.contains("just filled"));

    let benzene = lookup("benzene").expect("benzene in the table");
    let rho = liquid_density_at(benzene, t_air).expect("density");
    assert!(
        (860.0..880.0).contains(&rho),
        "benzene density at 80 °F {rho}"
    );
    let tank_area = std::f64::consts::PI * tank_d * tank_d / 4.0;
    let level = volume / tank_area;
    let h0 = level - hole_z;
    let mass_above = rho * tank_area * h0;
    let cd = 0.61; // sharp-edged hole (CCPS), assumed
    let hole_area = std::f64::consts::PI * hole_d * hole_d / 4.0;

    // Initial rate: liquid_orifice with the head equals Cd·A·ρ·√(2 g h0) (reference §7.1).
    let rate_at = |h: f64| {
        liquid_orifice(&LiquidOrificeInput {
            liquid_density_kg_m3: rho,
            upstream_pressure_pa: 101_325.0,
            ambient_pressure_pa: 101_325.0,
            liquid_head_m: h,
            discharge_coefficient: cd,
            hole_diameter_m: hole_d,
        })
        .expect("in range")
        .mass_rate_kg_s
    };
    let q0 = rate_at(h0);
    assert_rel(
        "initial rate",
        q0,
        cd * hole_area * rho * (2.0 * G * h0).sqrt(),
        1e-12,
    );
    let sr = storage_release(&StorageReleaseInput {
        substance: "71-43-2".into(),
        phase: StoredPhase::Liquid,
        storage_temperature_k: t_air,
        storage_pressure_pa: None,
        hole_diameter_m: hole_d,
        discharge_coefficient: cd,
        inventory_kg: mass_above,
        vessel_volume_m3: None,
        liquid_head_m: h0,
        duration_s: 3600.0,
        ambient_pressure_pa: 101_325.0,
        ambient_temperature_k: t_air,
        aerosol_factor: 2.0,
        blowdown_mode: BlowdownMode::Isothermal,
    })
    .expect("storage release");
    assert_eq!(sr.regime, ReleaseRegime::Liquid);
    assert_rel("storage_release rate", sr.initial_mass_rate_kg_s, q0, 1e-12);
    assert_eq!(sr.airborne_fraction, 0.0);
    assert!(
        sr.denser_than_air,
        "benzene vapour (M = 78 g/mol) is heavier than air"
    );

    // Tank draining, RK4 on the level with liquid_orifice, until the level reaches the hole.
    let t_empty = tank_area / (cd * hole_area) * (2.0 * h0 / G).sqrt();
    let (mut h, mut t, mut released) = (h0, 0.0, 0.0);
    let dt = t_empty / 20_000.0;
    let dhdt = |h: f64| -rate_at(h.max(0.0)) / (rho * tank_area);
    while h > 1e-9 && t < 2.0 * t_empty {
        let k1 = dhdt(h);
        let k2 = dhdt(h + 0.5 * dt * k1);
        let k3 = dhdt(h + 0.5 * dt * k2);
        let k4 = dhdt(h + dt * k3);
        let dh = dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
        let dh = dh.max(-h);
        released -= rho * tank_area * dh;
        h += dh;
        t += dt;
    }
    assert_rel(
        "drain time vs closed form (reference §7.1)",
        t,
        t_empty,
        2e-3,
    );
    assert_rel(
        "mass balance: released = liquid above the hole",
        released,
        mass_above,
        1e-9,
    );
    let below = rho * tank_area * hole_z;
    assert_rel(
        "total = released + left below the hole",
        released + below,
        rho * volume,
        1e-9,
    );

    // Puddle: the drain is short against the evaporation, so spread it as instantaneous.
    let v_spill = released / rho;
    let spread = pool_spread(&PoolSpreadInput {
        spill_volume_m3: Some(v_spill),
        spill_rate_m3_s: None,
        time_s: 3600.0,
        bund_area_m2: None,
        min_thickness_m: 0.005,
    })
    .expect("spread");
    assert_eq!(spread.limited_by, SpreadLimit::MinThickness);
    assert_rel(
        "puddle volume conserved",
        spread.area_m2 * spread.thickness_m,
        v_spill,
        1e-12,
    );
    assert_rel("thickness at the limit", spread.thickness_m, 0.005, 1e-12);

    let psat = benzene.vapour_pressure_pa(t_air).expect("P_sat at 80 °F");
    assert!(
        (12_000.0..15_000.0).contains(&psat),
        "benzene P_sat(80 °F) {psat}"
    );
    let evap = pool_evaporation(&PoolEvaporationInput {
        pool_area_m2: spread.area_m2,
        wind_speed_m_s: u10,
        molar_mass_kg_mol: benzene.molar_mass_kg_mol,
        normal_boiling_point_k: benzene.normal_boiling_point_k,
        heat_of_vaporisation_j_kg: benzene.heat_of_vaporisation_tb_j_kg.expect("Hv"),
        pool_temperature_k: t_air,
        vapour_pressure_pa: Some(psat),
        ground_temperature_k: t_air,
        time_s: 3600.0,
        pool_mass_kg: Some(released),
        ambient_pressure_pa: 101_325.0,
        vapour_diffusivity_m2_s: benzene.diffusivity_air_m2_s,
        air_kinematic_viscosity_m2_s: 1.5e-5,
        ground_conductivity_w_m_k: 0.9,
        ground_diffusivity_m2_s: 4.3e-7,
        extra_heat_flux_w_m2: 0.0,
    })
    .expect("evaporation");
    assert_eq!(evap.regime, EvaporationRegime::NonBoiling);
    let tte = evap.time_to_evaporate_s.expect("time to evaporate");
    assert!(
        tte > t && tte < 3600.0,
        "evaporates after the drain, within 60 min: {tte} s"
    );
    assert!(
        (1e-3..1e-2).contains(&evap.mass_flux_kg_m2_s),
        "flux {} kg/(m²·s)",
        evap.mass_flux_kg_m2_s
    );
    assert_rel(
        "time to evaporate = mass / rate",
        tte * evap.evaporation_rate_kg_s,
        released,
        1e-12,
    );
    // Mackay & Matsugu (1973) original form: k = 0.0292 U^0.78 X^-0.11 Sc^-0.67 m/h, U in
    // m/h, X the pool diameter in m.
    let sc = evap.schmidt_number.expect("Sc");
    let x = (4.0 * spread.area_m2 / std::f64::consts::PI).sqrt();
    let k_orig = 0.0292 * (u10 * 3600.0).powf(0.78) * x.powf(-0.11) * sc.powf(-0.67) / 3600.0;
    assert_rel(
        "k_m vs Mackay–Matsugu m/h form",
        evap.mass_transfer_coefficient_m_s.expect("k_m"),
        k_orig,
        0.03,
    );
}

/// Reference §7.5 computed check value: instantaneous spill V = 10 m³, t = 10 s →
/// r = 12.6 m (three significant figures).
#[test]
fn ref_7_5_instantaneous_spread_radius_self_computed() {
    let out = pool_spread(&PoolSpreadInput {
        spill_volume_m3: Some(10.0),
        spill_rate_m3_s: None,
        time_s: 10.0,
        bund_area_m2: None,
        min_thickness_m: 1e-4,
    })
    .expect("spread");
    assert_eq!(out.limited_by, SpreadLimit::Spreading);
    assert!((out.radius_m - 12.6).abs() < 0.05, "r = {}", out.radius_m);
    // Front speed dr/dt = √(2 g h) holds for the closed form (reference §7.5).
    let later = pool_spread(&PoolSpreadInput {
        time_s: 10.001,
        ..PoolSpreadInput {
            spill_volume_m3: Some(10.0),
            spill_rate_m3_s: None,
            time_s: 0.0,
            bund_area_m2: None,
            min_thickness_m: 1e-4,
        }
    })
    .expect("spread");
    let speed = (later.radius_m - out.radius_m) / 0.001;
    let h = 10.0 / (std::f64::consts::PI * out.radius_m * out.radius_m);
    assert_rel("front speed", speed, (2.0 * G * h).sqrt(), 1e-3);
}

/// Reference §7.5: continuous spill r(t) = (32 g Q/(9π))^(1/4) t^(3/4) obeys the same front
/// equation with V = Q t; a bund caps the radius.
#[test]
fn ref_7_5_continuous_spread_front_speed_and_bund_self_computed() {
    let at = |t: f64, bund: Option<f64>| {
        pool_spread(&PoolSpreadInput {
            spill_volume_m3: None,
            spill_rate_m3_s: Some(0.05),
            time_s: t,
            bund_area_m2: bund,
            min_thickness_m: 1e-4,
        })
        .expect("spread")
    };
    let (a, b) = (at(20.0, None), at(20.001, None));
    let speed = (b.radius_m - a.radius_m) / 0.001;
    let h = 0.05 * 20.0 / (std::f64::consts::PI * a.radius_m * a.radius_m);
    assert_rel("front speed", speed, (2.0 * G * h).sqrt(), 1e-3);
    let bunded = at(20.0, Some(10.0));
    assert_eq!(bunded.limited_by, SpreadLimit::Bund);
    assert_rel("bund radius", bunded.area_m2, 10.0, 1e-12);
}

/// Reference §7.4 computed check value: propane at 20 °C, linear flash fraction ≈ 0.37. The
/// reference does not state its c_p and ΔH_v; with the table's values (c_p the mean of 20 °C
/// and T_b, ΔH_v at T_b) the result must be within 5 % of 0.37; the exponential form is lower.
#[test]
fn ref_7_4_propane_flash_fraction_self_computed() {
    let p = lookup("propane").expect("propane");
    let cp = 0.5 * (p.liquid_cp_20c_j_kg_k.expect("cp") + p.liquid_cp_tb_j_kg_k.expect("cp"));
    let input = FlashFractionInput {
        storage_temperature_k: 293.15,
        boiling_temperature_k: p.normal_boiling_point_k,
        liquid_heat_capacity_j_kg_k: cp,
        heat_of_vaporisation_j_kg: p.heat_of_vaporisation_tb_j_kg.expect("Hv"),
        method: FlashMethod::Linear,
        aerosol_factor: 2.0,
    };
    let lin = flash_fraction(&input).expect("flash");
    assert!(
        rel(lin.flash_fraction, 0.37) < 0.05,
        "linear flash fraction {} vs ≈ 0.37",
        lin.flash_fraction
    );
    let exp = flash_fraction(&FlashFractionInput {
        method: FlashMethod::Exponential,
        ..input
    })
    .expect("flash");
    let x = cp * (293.15 - p.normal_boiling_point_k) / p.heat_of_vaporisation_tb_j_kg.expect("Hv");
    assert_rel(
        "exponential form",
        exp.flash_fraction,
        1.0 - (-x).exp(),
        1e-12,
    );
    assert!(exp.flash_fraction < lin.flash_fraction);
    // CCPS rule of thumb: airborne = min(1, 2 f_v).
    assert_rel(
        "airborne",
        lin.airborne_fraction,
        (2.0 * lin.flash_fraction).min(1.0),
        1e-12,
    );
    assert_rel(
        "split",
        lin.airborne_fraction + lin.rainout_fraction,
        1.0,
        1e-12,
    );
}

fn propane_two_phase(method: TwoPhaseMethod, length: f64, p0: f64, cd: f64) -> (f64, f64, f64) {
    let p = lookup("propane").expect("propane");
    let ps = p.vapour_pressure_pa(293.15).expect("P_sat");
    let out = two_phase_orifice(&TwoPhaseOrificeInput {
        storage_pressure_pa: p0.max(ps),
        storage_temperature_k: 293.15,
        saturation_pressure_pa: ps,
        ambient_pressure_pa: 101_325.0,
        molar_mass_kg_mol: p.molar_mass_kg_mol,
        liquid_density_kg_m3: p.liquid_density_20c_kg_m3.expect("rho"),
        liquid_heat_capacity_j_kg_k: p.liquid_cp_20c_j_kg_k.expect("cp"),
        heat_of_vaporisation_j_kg: 3.4e5,
        discharge_coefficient: cd,
        hole_diameter_m: 0.02,
        pipe_length_m: length,
        method,
    })
    .expect("two-phase");
    (out.mass_flux_kg_m2_s, out.equilibrium_flux_kg_m2_s, ps)
}

/// Reference §7.4: Fauske ERM G = (ΔH_v/v_fg)√(1/(c_p T)) for L ≥ 0.1 m (recomputed here
/// from the inputs); subcooled G² = 2ρ_l(P − P_sat) + G_ERM² (C_d = 1); at L = 0 the
/// non-equilibrium form is the Bernoulli liquid jet of §7.1 (`liquid_orifice`, exact).
#[test]
fn ref_7_4_fauske_equilibrium_rate_and_limits_self_computed() {
    let p = lookup("propane").expect("propane");
    let rho = p.liquid_density_20c_kg_m3.expect("rho");
    let cp = p.liquid_cp_20c_j_kg_k.expect("cp");
    let (g, g_erm, ps) = propane_two_phase(TwoPhaseMethod::Fauske, 0.2, 0.0, 0.61);
    let v_fg = R * 293.15 / (p.molar_mass_kg_mol * ps) - 1.0 / rho;
    let expected = 3.4e5 / v_fg * (1.0 / (cp * 293.15)).sqrt();
    assert_rel("G_ERM", g_erm, expected, 1e-12);
    assert_rel("saturated, L >= 0.1 m: G = G_ERM", g, expected, 1e-12);
    // Subcooled by 5 bar, C_d = 1.
    let (g_sub, _, _) = propane_two_phase(TwoPhaseMethod::Fauske, 0.2, ps + 5e5, 1.0);
    assert_rel(
        "subcooled",
        g_sub,
        (2.0 * rho * 5e5 + expected * expected).sqrt(),
        1e-9,
    );
    // L = 0: Bernoulli over P0 − Pa, as liquid_orifice.
    let (g0, _, _) = propane_two_phase(TwoPhaseMethod::Fauske, 0.0, 0.0, 0.61);
    let lo = liquid_orifice(&LiquidOrificeInput {
        liquid_density_kg_m3: rho,
        upstream_pressure_pa: ps,
        ambient_pressure_pa: 101_325.0,
        liquid_head_m: 0.0,
        discharge_coefficient: 0.61,
        hole_diameter_m: 0.02,
    })
    .expect("liquid");
    assert_rel(
        "L = 0 is Bernoulli",
        g0 * std::f64::consts::PI * 0.02 * 0.02 / 4.0,
        lo.mass_rate_kg_s,
        1e-9,
    );
    // Non-equilibrium flux falls from Bernoulli towards ERM as L grows to 0.1 m.
    let (g_half, _, _) = propane_two_phase(TwoPhaseMethod::Fauske, 0.05, 0.0, 0.61);
    assert!(g0 > g_half && g_half > g, "{g0} > {g_half} > {g}");
}

/// The HEM (isentropic, choked search) and Fauske's ERM describe the same saturated flashing
/// flow: with C_d = 1 they agree within 25 % for propane at 20 °C; HEM is choked above ambient.
#[test]
fn hem_and_erm_agree_for_saturated_propane_self_computed() {
    let (g_hem, g_erm, ps) = propane_two_phase(TwoPhaseMethod::Hem, 0.0, 0.0, 1.0);
    assert!(rel(g_hem, g_erm) < 0.25, "HEM {g_hem} vs ERM {g_erm}");
    let p = lookup("propane").expect("propane");
    let out = two_phase_orifice(&TwoPhaseOrificeInput {
        storage_pressure_pa: ps,
        storage_temperature_k: 293.15,
        saturation_pressure_pa: ps,
        ambient_pressure_pa: 101_325.0,
        molar_mass_kg_mol: p.molar_mass_kg_mol,
        liquid_density_kg_m3: p.liquid_density_20c_kg_m3.expect("rho"),
        liquid_heat_capacity_j_kg_k: p.liquid_cp_20c_j_kg_k.expect("cp"),
        heat_of_vaporisation_j_kg: 3.4e5,
        discharge_coefficient: 1.0,
        hole_diameter_m: 0.02,
        pipe_length_m: 0.0,
        method: TwoPhaseMethod::Hem,
    })
    .expect("hem");
    assert_eq!(out.choked, Some(true));
    let pt = out.throat_pressure_pa.expect("throat");
    assert!(pt > 101_325.0 && pt < ps, "throat pressure {pt}");
    let x = out.throat_quality.expect("quality");
    assert!(x > 0.0 && x < 0.3, "throat quality {x}");
}

fn blowdown(
    mode: BlowdownMode,
    p0: f64,
    duration: f64,
    points: u32,
) -> weihua_qra::discharge::GasVesselBlowdownOutput {
    gas_vessel_blowdown(&GasVesselBlowdownInput {
        vessel_volume_m3: 2.0,
        initial_pressure_pa: p0,
        initial_temperature_k: 293.15,
        molar_mass_kg_mol: 0.016_04,
        heat_capacity_ratio: 1.30,
        discharge_coefficient: 0.61,
        hole_diameter_m: 0.01,
        ambient_pressure_pa: 101_325.0,
        mode,
        duration_s: duration,
        history_points: points,
    })
    .expect("blowdown")
}

/// Reference §7.3 (isothermal, choked): m(t) = m₀ e^(−t/τ), τ = V/(C_d A √(kRT/M ·
/// (2/(k+1))^((k+1)/(k−1)))), recomputed here; the history follows it while choked.
#[test]
fn ref_7_3_isothermal_choked_blowdown_self_computed() {
    let out = blowdown(BlowdownMode::Isothermal, 2e6, 200.0, 41);
    let (v, k, t0, m) = (2.0, 1.30, 293.15, 0.016_04);
    let area = std::f64::consts::PI * 0.01 * 0.01 / 4.0;
    let tau =
        v / (0.61 * area * (k * R * t0 / m * (2.0 / (k + 1.0)).powf((k + 1.0) / (k - 1.0))).sqrt());
    assert_rel("tau", out.time_constant_s, tau, 1e-12);
    let m0 = 2e6 * v * m / (R * t0);
    assert_rel("m0", out.initial_mass_kg, m0, 1e-12);
    let t_c = out.choked_until_s.expect("starts choked");
    let mut checked = 0;
    for p in out.history.iter().filter(|p| p.time_s <= t_c) {
        assert!(p.choked);
        assert_rel("m(t)", p.mass_kg, m0 * (-p.time_s / tau).exp(), 1e-12);
        assert_rel("rate = m/τ", p.mass_rate_kg_s, p.mass_kg / tau, 1e-9);
        checked += 1;
    }
    assert!(checked >= 10, "{checked} choked points");
}

/// Reference §7.3 (adiabatic): the closed-form choked phase and the RK4 sub-sonic phase
/// match an independent fine explicit integration of dm/dt = −ṁ along the isentrope with
/// `gas_orifice` (0.1 %).
#[test]
fn ref_7_3_adiabatic_blowdown_matches_direct_integration_self_computed() {
    for mode in [BlowdownMode::Adiabatic, BlowdownMode::Isothermal] {
        let duration = 400.0;
        let out = blowdown(mode, 5e5, duration, 5);
        let (v, k, t0, mm) = (2.0, 1.30, 293.15, 0.016_04);
        let rho0 = 5e5 * mm / (R * t0);
        let mut m = rho0 * v;
        let n = 400_000;
        let dt = duration / n as f64;
        for _ in 0..n {
            let r = m / (rho0 * v);
            let (p, t) = match mode {
                BlowdownMode::Adiabatic => (5e5 * r.powf(k), t0 * r.powf(k - 1.0)),
                BlowdownMode::Isothermal => (5e5 * r, t0),
            };
            if p <= 101_325.0 {
                break;
            }
            let rate = gas_orifice(&GasOrificeInput {
                upstream_pressure_pa: p,
                upstream_density_kg_m3: rho0 * r,
                upstream_temperature_k: t,
                heat_capacity_ratio: k,
                discharge_coefficient: 0.61,
                hole_diameter_m: 0.01,
                ambient_pressure_pa: 101_325.0,
            })
            .expect("orifice")
            .mass_rate_kg_s;
            m -= rate * dt;
        }
        let released = rho0 * v - m;
        assert_rel(
            &format!("{mode:?} released"),
            out.released_mass_kg,
            released,
            1e-3,
        );
        assert_rel(
            &format!("{mode:?} average"),
            out.average_mass_rate_kg_s,
            released / duration,
            1e-3,
        );
    }
}

/// Mass balance of the blowdown: released + remaining = initial; the vessel never goes below
/// ambient pressure; the released mass equals the time integral of the rate history.
#[test]
fn blowdown_mass_balance_self_computed() {
    for mode in [BlowdownMode::Isothermal, BlowdownMode::Adiabatic] {
        let out = blowdown(mode, 3e6, 900.0, 2000);
        assert_rel(
            "balance",
            out.released_mass_kg + out.remaining_mass_kg,
            out.initial_mass_kg,
            1e-12,
        );
        assert!(out.final_pressure_pa >= 101_325.0 * (1.0 - 1e-9));
        let integral: f64 = out
            .history
            .windows(2)
            .map(|w| {
                0.5 * (w[0].mass_rate_kg_s + w[1].mass_rate_kg_s) * (w[1].time_s - w[0].time_s)
            })
            .sum();
        assert_rel("∫ rate dt", integral, out.released_mass_kg, 5e-3);
        assert!(
            out.equalised_at_s.is_some(),
            "{mode:?} equalises within 900 s"
        );
    }
}

/// storage_release: a pressurised liquefied gas flashes; the airborne/pool split adds up; a
/// stored gas is a blowdown; the flags say what is dense.
#[test]
fn storage_release_regimes_and_dense_flags() {
    let run = |substance: &str, phase: StoredPhase, p: Option<f64>| {
        storage_release(&StorageReleaseInput {
            substance: substance.into(),
            phase,
            storage_temperature_k: 293.15,
            storage_pressure_pa: p,
            hole_diameter_m: 0.025,
            discharge_coefficient: 0.61,
            inventory_kg: 10_000.0,
            vessel_volume_m3: None,
            liquid_head_m: 0.0,
            duration_s: 600.0,
            ambient_pressure_pa: 101_325.0,
            ambient_temperature_k: 293.15,
            aerosol_factor: 2.0,
            blowdown_mode: BlowdownMode::Isothermal,
        })
        .expect("release")
    };
    for name in ["液氯", "液氨", "丙烷"] {
        let out = run(name, StoredPhase::Liquid, None);
        assert_eq!(out.regime, ReleaseRegime::FlashingLiquid, "{name}");
        assert!(
            out.flash_fraction > 0.1 && out.flash_fraction < 0.5,
            "{name}"
        );
        assert_rel(
            "split",
            out.airborne_rate_kg_s + out.pool_rate_kg_s,
            out.average_mass_rate_kg_s,
            1e-12,
        );
        assert_rel(
            "mass",
            out.released_mass_kg,
            out.average_mass_rate_kg_s * out.release_duration_s,
            1e-12,
        );
        // Vapour + aerosol at the boiling point is denser than air, even for ammonia.
        assert!(out.denser_than_air, "{name}");
    }
    let h2 = run("hydrogen", StoredPhase::Gas, Some(2e7));
    assert_eq!(h2.regime, ReleaseRegime::Gas);
    assert!(!h2.denser_than_air);
    assert!(h2.released_mass_kg <= 10_000.0 && h2.released_mass_kg > 0.0);
    // The inventory limits a liquid release.
    let small = storage_release(&StorageReleaseInput {
        substance: "chlorine".into(),
        phase: StoredPhase::Liquid,
        storage_temperature_k: 293.15,
        storage_pressure_pa: None,
        hole_diameter_m: 0.05,
        discharge_coefficient: 0.61,
        inventory_kg: 100.0,
        vessel_volume_m3: None,
        liquid_head_m: 0.0,
        duration_s: 600.0,
        ambient_pressure_pa: 101_325.0,
        ambient_temperature_k: 293.15,
        aerosol_factor: 2.0,
        blowdown_mode: BlowdownMode::Isothermal,
    })
    .expect("release");
    assert_rel("inventory", small.released_mass_kg, 100.0, 1e-12);
    assert!(small.release_duration_s < 600.0);
    // Unknown substance and a gas without pressure are refused.
    assert!(
        storage_release(&StorageReleaseInput {
            substance: "nope".into(),
            ..sr_template()
        })
        .is_err()
    );
    assert!(
        storage_release(&StorageReleaseInput {
            phase: StoredPhase::Gas,
            storage_pressure_pa: None,
            ..sr_template()
        })
        .is_err()
    );
}

fn sr_template() -> StorageReleaseInput {
    StorageReleaseInput {
        substance: "methane".into(),
        phase: StoredPhase::Gas,
        storage_temperature_k: 293.15,
        storage_pressure_pa: Some(1e6),
        hole_diameter_m: 0.01,
        discharge_coefficient: 0.61,
        inventory_kg: 100.0,
        vessel_volume_m3: None,
        liquid_head_m: 0.0,
        duration_s: 600.0,
        ambient_pressure_pa: 101_325.0,
        ambient_temperature_k: 293.15,
        aerosol_factor: 2.0,
        blowdown_mode: BlowdownMode::Isothermal,
    }
}

/// Reference §7.6 boiling pool: evaporated mass 2Ak_sΔT√t/(√(πα)ΔH_v) is the integral of
/// the conduction flux; the rate falls as 1/√t; the wind does not matter.
#[test]
fn ref_7_6_boiling_pool_ground_conduction_self_computed() {
    let input = |t: f64, u: f64| PoolEvaporationInput {
        pool_area_m2: 50.0,
        wind_speed_m_s: u,
        molar_mass_kg_mol: 0.044_1,
        normal_boiling_point_k: 231.0,
        heat_of_vaporisation_j_kg: 4.26e5,
        pool_temperature_k: 231.0,
        vapour_pressure_pa: None,
        ground_temperature_k: 293.15,
        time_s: t,
        pool_mass_kg: Some(500.0),
        ambient_pressure_pa: 101_325.0,
        vapour_diffusivity_m2_s: None,
        air_kinematic_viscosity_m2_s: 1.5e-5,
        ground_conductivity_w_m_k: 0.9,
        ground_diffusivity_m2_s: 4.3e-7,
        extra_heat_flux_w_m2: 0.0,
    };
    let a = pool_evaporation(&input(100.0, 2.0)).expect("boiling");
    let b = pool_evaporation(&input(400.0, 7.0)).expect("boiling");
    assert_eq!(a.regime, EvaporationRegime::Boiling);
    assert_rel(
        "1/√t",
        a.evaporation_rate_kg_s / b.evaporation_rate_kg_s,
        2.0,
        1e-12,
    );
    let q = 0.9 * (293.15 - 231.0) / (std::f64::consts::PI * 4.3e-7 * 100.0).sqrt();
    assert_rel("q(t)", a.ground_heat_flux_w_m2.expect("q"), q, 1e-12);
    assert_rel("rate", a.evaporation_rate_kg_s, q * 50.0 / 4.26e5, 1e-12);
    assert_rel(
        "∫ = 2 t · rate(t)",
        a.evaporated_mass_kg,
        2.0 * 100.0 * a.evaporation_rate_kg_s,
        1e-12,
    );
    let tte = a.time_to_evaporate_s.expect("time");
    let at_tte = pool_evaporation(&input(tte, 2.0)).expect("boiling");
    assert_rel("dries at tte", at_tte.evaporated_mass_kg, 500.0, 1e-9);
}
