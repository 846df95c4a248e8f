//! Property tests of the source-term models (discharge, pool, substance): no input makes a
//! model panic and every `Ok` output is finite; blowdown conserves mass; evaporation grows
//! with pool area and wind speed; spreading, flashing and two-phase flow move the way the
//! physics says.

use proptest::prelude::*;
use weihua_qra::discharge::{
    BlowdownMode, FlashFractionInput, FlashMethod, GasVesselBlowdownInput, StorageReleaseInput,
    StoredPhase, TwoPhaseMethod, TwoPhaseOrificeInput, flash_fraction, gas_vessel_blowdown,
    storage_release, two_phase_orifice,
};
use weihua_qra::pool::{PoolEvaporationInput, PoolSpreadInput, pool_evaporation, pool_spread};
use weihua_qra::run_model;
use weihua_qra::substance::{lookup, substances};

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
            f64::EPSILON,
            1e-300,
            1e300,
            f64::NAN,
            f64::INFINITY,
        ]),
        0.0..1e4f64,
        1e4..1e8f64,
    ]
}

fn opt_f64() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![Just(None), any_f64().prop_map(Some)]
}

fn mode() -> impl Strategy<Value = BlowdownMode> {
    prop::sample::select(vec![BlowdownMode::Isothermal, BlowdownMode::Adiabatic])
}

fn finite_nonneg(v: f64) -> bool {
    v.is_finite() && v >= 0.0
}

fn evaporation(area: f64, wind: f64, boiling: bool) -> PoolEvaporationInput {
    PoolEvaporationInput {
        pool_area_m2: area,
        wind_speed_m_s: wind,
        molar_mass_kg_mol: 0.078,
        normal_boiling_point_k: if boiling { 231.0 } else { 353.2 },
        heat_of_vaporisation_j_kg: 3.9e5,
        pool_temperature_k: 293.15,
        vapour_pressure_pa: Some(10_000.0),
        ground_temperature_k: 293.15,
        time_s: 300.0,
        pool_mass_kg: None,
        ambient_pressure_pa: 101_325.0,
        vapour_diffusivity_m2_s: None,
        air_kinematic_viscosity_m2_s: 1.5e-5,
        ground_conductivity_w_m_k: 0.9,
        ground_diffusivity_m2_s: 4.3e-7,
        extra_heat_flux_w_m2: 0.0,
    }
}

proptest! {
    #[test]
    fn flash_fraction_never_panics(
        t in any_f64(), tb in any_f64(), cp in any_f64(), hv in any_f64(), f in any_f64(),
        linear in any::<bool>(),
    ) {
        let input = FlashFractionInput {
            storage_temperature_k: t, boiling_temperature_k: tb, liquid_heat_capacity_j_kg_k: cp,
            heat_of_vaporisation_j_kg: hv,
            method: if linear { FlashMethod::Linear } else { FlashMethod::Exponential },
            aerosol_factor: f,
        };
        if let Ok(out) = flash_fraction(&input) {
            prop_assert!((0.0..=1.0).contains(&out.flash_fraction));
            prop_assert!(out.flash_fraction <= out.airborne_fraction);
            prop_assert!((out.airborne_fraction + out.rainout_fraction - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn flash_fraction_rises_with_superheat(
        tb in 100.0..400.0f64, d1 in 0.0..200.0f64, d2 in 0.0..200.0f64,
        cp in 500.0..5000.0f64, hv in 1e5..2e6f64,
    ) {
        let run = |d: f64| flash_fraction(&FlashFractionInput {
            storage_temperature_k: tb + d, boiling_temperature_k: tb,
            liquid_heat_capacity_j_kg_k: cp, heat_of_vaporisation_j_kg: hv,
            method: FlashMethod::Exponential, aerosol_factor: 2.0,
        }).map(|o| o.flash_fraction);
        let (a, b) = (run(d1.min(d2)), run(d1.max(d2)));
        prop_assert!(a.is_ok() && b.is_ok());
        prop_assert!(a.unwrap_or(1.0) <= b.unwrap_or(0.0));
    }

    #[test]
    fn two_phase_orifice_never_panics(
        p0 in any_f64(), t0 in any_f64(), ps in any_f64(), pa in any_f64(), m in any_f64(),
        rho in any_f64(), cp in any_f64(), hv in any_f64(), cd in any_f64(), d in any_f64(),
        l in any_f64(), hem in any::<bool>(),
    ) {
        let input = TwoPhaseOrificeInput {
            storage_pressure_pa: p0, storage_temperature_k: t0, saturation_pressure_pa: ps,
            ambient_pressure_pa: pa, molar_mass_kg_mol: m, liquid_density_kg_m3: rho,
            liquid_heat_capacity_j_kg_k: cp, heat_of_vaporisation_j_kg: hv,
            discharge_coefficient: cd, hole_diameter_m: d, pipe_length_m: l,
            method: if hem { TwoPhaseMethod::Hem } else { TwoPhaseMethod::Fauske },
        };
        if let Ok(out) = two_phase_orifice(&input) {
            prop_assert!(finite_nonneg(out.mass_rate_kg_s));
            prop_assert!(finite_nonneg(out.mass_flux_kg_m2_s));
        }
    }

    #[test]
    fn two_phase_flux_rises_with_subcooling(
        extra1 in 0.0..2e6f64, extra2 in 0.0..2e6f64, l in 0.0..0.3f64, hem in any::<bool>(),
    ) {
        let run = |extra: f64| two_phase_orifice(&TwoPhaseOrificeInput {
            storage_pressure_pa: 8.4e5 + extra, storage_temperature_k: 293.15,
            saturation_pressure_pa: 8.4e5, ambient_pressure_pa: 101_325.0,
            molar_mass_kg_mol: 0.0441, liquid_density_kg_m3: 500.0,
            liquid_heat_capacity_j_kg_k: 2600.0, heat_of_vaporisation_j_kg: 3.4e5,
            discharge_coefficient: 0.61, hole_diameter_m: 0.02, pipe_length_m: l,
            method: if hem { TwoPhaseMethod::Hem } else { TwoPhaseMethod::Fauske },
        }).map(|o| o.mass_rate_kg_s);
        let (lo, hi) = (extra1.min(extra2), extra1.max(extra2));
        let (a, b) = (run(lo), run(hi));
        prop_assert!(a.is_ok() && b.is_ok());
        // HEM integrates on a pressure grid: allow its discretisation noise.
        prop_assert!(a.unwrap_or(f64::MAX) <= b.unwrap_or(0.0) * (1.0 + 1e-6));
    }

    #[test]
    fn pool_spread_never_panics(
        v in opt_f64(), q in opt_f64(), t in any_f64(), bund in opt_f64(), h in any_f64(),
    ) {
        let input = PoolSpreadInput {
            spill_volume_m3: v, spill_rate_m3_s: q, time_s: t, bund_area_m2: bund,
            min_thickness_m: h,
        };
        if let Ok(out) = pool_spread(&input) {
            prop_assert!(finite_nonneg(out.radius_m) && finite_nonneg(out.area_m2));
            prop_assert!(out.radius_m <= out.free_spread_radius_m);
            if out.area_m2 > 0.0 {
                prop_assert!((out.area_m2 * out.thickness_m / out.volume_m3 - 1.0).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn pool_radius_grows_with_time_and_volume(
        v1 in 1e-3..1e4f64, v2 in 1e-3..1e4f64, t1 in 0.0..1e4f64, t2 in 0.0..1e4f64,
        continuous in any::<bool>(),
    ) {
        let r = |v: f64, t: f64| pool_spread(&PoolSpreadInput {
            spill_volume_m3: (!continuous).then_some(v),
            spill_rate_m3_s: continuous.then_some(v / 100.0),
            time_s: t, bund_area_m2: None, min_thickness_m: 0.005,
        }).map(|o| o.radius_m);
        let (vl, vh) = (v1.min(v2), v1.max(v2));
        let (tl, th) = (t1.min(t2), t1.max(t2));
        let (a, b, c) = (r(vl, tl), r(vh, tl), r(vl, th));
        prop_assert!(a.is_ok() && b.is_ok() && c.is_ok());
        let a = a.unwrap_or(f64::MAX);
        prop_assert!(a <= b.unwrap_or(0.0) * (1.0 + 1e-12));
        prop_assert!(a <= c.unwrap_or(0.0) * (1.0 + 1e-12));
    }

    #[test]
    fn pool_evaporation_never_panics(
        a in any_f64(), u in any_f64(), m in any_f64(), tb in any_f64(), hv in any_f64(),
        tp in any_f64(), ps in opt_f64(), tg in any_f64(), t in any_f64(), mass in opt_f64(),
        pa in any_f64(), dab in opt_f64(), nu in any_f64(), ks in any_f64(), al in any_f64(),
        extra in any_f64(),
    ) {
        let input = PoolEvaporationInput {
            pool_area_m2: a, wind_speed_m_s: u, molar_mass_kg_mol: m, normal_boiling_point_k: tb,
            heat_of_vaporisation_j_kg: hv, pool_temperature_k: tp, vapour_pressure_pa: ps,
            ground_temperature_k: tg, time_s: t, pool_mass_kg: mass, ambient_pressure_pa: pa,
            vapour_diffusivity_m2_s: dab, air_kinematic_viscosity_m2_s: nu,
            ground_conductivity_w_m_k: ks, ground_diffusivity_m2_s: al, extra_heat_flux_w_m2: extra,
        };
        if let Ok(out) = pool_evaporation(&input) {
            prop_assert!(finite_nonneg(out.evaporation_rate_kg_s));
            prop_assert!(finite_nonneg(out.evaporated_mass_kg));
            prop_assert!(finite_nonneg(out.average_rate_kg_s));
        }
    }

    /// Non-boiling (Mackay–Matsugu): E ∝ A^(17/18) u^(7/9), strictly increasing in both;
    /// boiling: E ∝ A and independent of the wind.
    #[test]
    fn evaporation_rate_increases_with_area_and_wind(
        a1 in 0.1..1e5f64, a2 in 0.1..1e5f64, u1 in 0.1..30.0f64, u2 in 0.1..30.0f64,
        boiling in any::<bool>(),
    ) {
        prop_assume!((a1 - a2).abs() > 1e-6 * a1.max(a2) && (u1 - u2).abs() > 1e-6);
        let rate = |a: f64, u: f64| pool_evaporation(&evaporation(a, u, boiling))
            .map(|o| o.evaporation_rate_kg_s).unwrap_or(f64::NAN);
        let (al, ah) = (a1.min(a2), a1.max(a2));
        let (ul, uh) = (u1.min(u2), u1.max(u2));
        prop_assert!(rate(al, ul) < rate(ah, ul), "area");
        if boiling {
            prop_assert!((rate(al, ul) - rate(al, uh)).abs() <= 1e-12 * rate(al, ul));
        } else {
            prop_assert!(rate(al, ul) < rate(al, uh), "wind");
        }
    }

    #[test]
    fn gas_vessel_blowdown_never_panics(
        v in any_f64(), p0 in any_f64(), t0 in any_f64(), m in any_f64(), k in any_f64(),
        cd in any_f64(), d in any_f64(), pa in any_f64(), dur in any_f64(),
        points in 0u32..3000, mode in mode(),
    ) {
        let input = GasVesselBlowdownInput {
            vessel_volume_m3: v, initial_pressure_pa: p0, initial_temperature_k: t0,
            molar_mass_kg_mol: m, heat_capacity_ratio: k, discharge_coefficient: cd,
            hole_diameter_m: d, ambient_pressure_pa: pa, mode, duration_s: dur,
            history_points: points,
        };
        if let Ok(out) = gas_vessel_blowdown(&input) {
            prop_assert!(finite_nonneg(out.released_mass_kg));
            prop_assert!(out.released_mass_kg <= out.initial_mass_kg * (1.0 + 1e-12));
            prop_assert_eq!(out.history.len(), points as usize);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Mass conservation: released + remaining = initial; the vessel keeps at least the gas at
    /// ambient pressure; the released mass equals ∫ṁ dt of the history; it never decreases
    /// with the duration.
    #[test]
    fn blowdown_conserves_mass(
        v in 0.01..100.0f64, p0 in 1.2e5..5e7f64, t0 in 200.0..600.0f64, m in 0.002..0.15f64,
        k in 1.05..1.67f64, d in 0.001..0.2f64, frac in 0.05..10.0f64, mode in mode(),
    ) {
        let rho0 = p0 * m / (8.314_462_618 * t0);
        prop_assume!(rho0 <= 2000.0);
        let area = std::f64::consts::PI * d * d / 4.0;
        let psi = (2.0 / (k + 1.0)).powf((k + 1.0) / (2.0 * (k - 1.0)));
        let tau = v / (0.61 * area * psi * (k * p0 / rho0).sqrt());
        let run = |dur: f64| gas_vessel_blowdown(&GasVesselBlowdownInput {
            vessel_volume_m3: v, initial_pressure_pa: p0, initial_temperature_k: t0,
            molar_mass_kg_mol: m, heat_capacity_ratio: k, discharge_coefficient: 0.61,
            hole_diameter_m: d, ambient_pressure_pa: 101_325.0, mode, duration_s: dur,
            history_points: 2000,
        });
        let dur = (frac * tau).clamp(1e-3, 1e7);
        let out = run(dur);
        prop_assert!(out.is_ok(), "{:?}", out);
        let Ok(out) = out else { return Ok(()) };
        prop_assert!(((out.released_mass_kg + out.remaining_mass_kg) / out.initial_mass_kg - 1.0).abs() < 1e-12);
        let m_amb = match mode {
            BlowdownMode::Isothermal => out.initial_mass_kg * 101_325.0 / p0,
            BlowdownMode::Adiabatic => out.initial_mass_kg * (101_325.0 / p0).powf(1.0 / k),
        };
        prop_assert!(out.remaining_mass_kg >= m_amb * (1.0 - 1e-9));
        let integral: f64 = out.history.windows(2)
            .map(|w| 0.5 * (w[0].mass_rate_kg_s + w[1].mass_rate_kg_s) * (w[1].time_s - w[0].time_s))
            .sum();
        prop_assert!((integral / out.released_mass_kg - 1.0).abs() < 0.02,
            "integral {} released {}", integral, out.released_mass_kg);
        let half = run(dur / 2.0);
        prop_assert!(half.is_ok());
        prop_assert!(half.map(|h| h.released_mass_kg).unwrap_or(f64::MAX) <= out.released_mass_kg * (1.0 + 1e-9));
    }

    #[test]
    fn storage_release_never_panics(
        idx in 0usize..64, gas in any::<bool>(), t in any_f64(), p in opt_f64(), d in any_f64(),
        cd in any_f64(), inv in any_f64(), vol in opt_f64(), head in any_f64(), dur in any_f64(),
        pa in any_f64(), ta in any_f64(), f in any_f64(), mode in mode(),
    ) {
        let all = substances();
        prop_assume!(!all.is_empty());
        let s = &all[idx % all.len()];
        let input = StorageReleaseInput {
            substance: s.cas.clone(),
            phase: if gas { StoredPhase::Gas } else { StoredPhase::Liquid },
            storage_temperature_k: t, storage_pressure_pa: p, hole_diameter_m: d,
            discharge_coefficient: cd, inventory_kg: inv, vessel_volume_m3: vol,
            liquid_head_m: head, duration_s: dur, ambient_pressure_pa: pa,
            ambient_temperature_k: ta, aerosol_factor: f, blowdown_mode: mode,
        };
        if let Ok(out) = storage_release(&input) {
            prop_assert!(finite_nonneg(out.released_mass_kg));
            prop_assert!(finite_nonneg(out.average_mass_rate_kg_s));
            prop_assert!(out.release_density_kg_m3.is_finite() && out.release_density_kg_m3 > 0.0);
        }
    }

    #[test]
    fn substance_vapour_pressure_never_panics(idx in 0usize..64, t in any_f64(), p in any_f64()) {
        let all = substances();
        prop_assume!(!all.is_empty());
        let s = &all[idx % all.len()];
        if let Ok(v) = s.vapour_pressure_pa(t) {
            prop_assert!(v.is_finite() && v > 0.0);
        }
        if let Ok(v) = s.saturation_temperature_k(p) {
            prop_assert!(v.is_finite() && v > 0.0);
        }
    }
}

/// The registered models answer over JSON and refuse unknown fields.
#[test]
fn registered_models_run_by_name() {
    let out = run_model(
        "flash_fraction",
        serde_json::json!({
            "storage_temperature_k": 293.15, "boiling_temperature_k": 231.0,
            "liquid_heat_capacity_j_kg_k": 2500.0, "heat_of_vaporisation_j_kg": 4.26e5
        }),
    )
    .expect("flash_fraction");
    assert!(
        out["flash_fraction"]
            .as_f64()
            .is_some_and(|f| f > 0.3 && f < 0.4)
    );
    for name in [
        "flash_fraction",
        "two_phase_orifice",
        "gas_vessel_blowdown",
        "storage_release",
        "pool_spread",
        "pool_evaporation",
    ] {
        let e = run_model(name, serde_json::json!({ "no_such_field": 1 })).expect_err(name);
        assert!(e.to_string().contains(name), "{name}: {e}");
    }
    let pool = run_model(
        "pool_spread",
        serde_json::json!({ "spill_volume_m3": 10.0, "time_s": 10.0, "min_thickness_m": 0.0001 }),
    )
    .expect("pool_spread");
    assert!((pool["radius_m"].as_f64().unwrap_or(0.0) - 12.57).abs() < 0.01);
    let rel = run_model(
        "storage_release",
        serde_json::json!({
            "substance": "液氯", "phase": "liquid", "storage_temperature_k": 293.15,
            "hole_diameter_m": 0.01, "inventory_kg": 1000.0, "duration_s": 600.0
        }),
    )
    .expect("storage_release");
    assert_eq!(rel["regime"], "flashing_liquid");
    assert_eq!(rel["denser_than_air"], true);
    assert!(lookup("7782-50-5").is_some());
}
