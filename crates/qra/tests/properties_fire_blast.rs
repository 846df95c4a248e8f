//! Property tests of the fire, explosion and harm models: no input makes a model or a field
//! helper panic, every `Ok` output is finite, received flux and overpressure fall with
//! distance, probabilities stay in [0, 1] and rise with the dose, and the distance-to-effect
//! helpers invert the field they belong to.

use proptest::prelude::*;
use weihua_qra::fire::{
    AtmosphericTransmissivityInput, FireballCorrelation, FireballFlame, FireballInput,
    JetFireInput, JetFlame, JetFuel, JetReceptor, PoolFireFlame, PoolFireInput, Transmissivity,
    ViewFactorCylinderInput, atmospheric_transmissivity, cylinder_view_factors, fireball, jet_fire,
    pool_fire, view_factor_cylinder,
};
use weihua_qra::probit::{
    OverpressureHarm, OverpressureProbitInput, OverpressureProbitMethod, ThermalHarm,
    ThermalProbitInput, ThermalProbitMethod, ToxicProbitInput, ToxicSubstance,
    overpressure_lethality, probability_from_probit, probit_overpressure, probit_thermal,
    probit_toxic, standard_normal_cdf, standard_normal_quantile, thermal_lethality, thermal_probit,
    toxic_probit,
};
use weihua_qra::vce::{
    BstBlast, BstInput, H2JetExplosionInput, H2JetExplosionMethod, TntBlast, TntEquivalenceInput,
    bst, bst_scaled_overpressure, h2_jet_explosion, tnt_equivalence,
};

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
    ]
}

fn opt(v: f64, some: bool) -> Option<f64> {
    some.then_some(v)
}

fn transmissivity() -> impl Strategy<Value = Transmissivity> {
    prop_oneof![
        Just(Transmissivity::None),
        (0.0..=1.0f64).prop_map(|value| Transmissivity::Fixed { value }),
        (0.0..=1.0f64, 250.0..320.0f64).prop_map(|(relative_humidity, temperature_k)| {
            Transmissivity::Bagster {
                relative_humidity,
                temperature_k,
            }
        }),
        (0.0..5000.0f64).prop_map(|water_partial_pressure_pa| {
            Transmissivity::BagsterPartialPressure {
                water_partial_pressure_pa,
            }
        }),
        (0.0..=1.0f64, 250.0..320.0f64, 0.0..2000.0f64).prop_map(
            |(relative_humidity, temperature_k, co2_ppm)| Transmissivity::Wayne {
                relative_humidity,
                temperature_k,
                co2_ppm,
            }
        ),
    ]
}

fn thermal_method() -> impl Strategy<Value = ThermalProbitMethod> {
    prop::sample::select(vec![
        ThermalProbitMethod::TsaoPerry,
        ThermalProbitMethod::Eisenberg,
        ThermalProbitMethod::Tno,
        ThermalProbitMethod::Lees,
    ])
}

fn overpressure_method() -> impl Strategy<Value = OverpressureProbitMethod> {
    prop::sample::select(vec![
        OverpressureProbitMethod::EisenbergLung,
        OverpressureProbitMethod::HseLung,
        OverpressureProbitMethod::TnoHeadImpact,
        OverpressureProbitMethod::TnoStructuralCollapse,
    ])
}

fn hydrogen_jet_input(p: f64, t: f64, d: f64, receptors: Vec<JetReceptor>) -> JetFireInput {
    JetFireInput {
        fuel: None,
        reservoir_pressure_pa: p,
        reservoir_temperature_k: t,
        hole_diameter_m: d,
        discharge_coefficient: 1.0,
        ambient_pressure_pa: 101_325.0,
        ambient_temperature_k: 288.15,
        relative_humidity: 0.7,
        co2_ppm: 400.0,
        release_height_m: 1.0,
        jet_angle_deg: 0.0,
        receptors,
    }
}

proptest! {
    // -----------------------------------------------------------------------------------
    // No panics, finite outputs
    // -----------------------------------------------------------------------------------

    #[test]
    fn pool_fire_never_panics(
        d in any_f64(), has_d in any::<bool>(), q in any_f64(), m in any_f64(), has_m in any::<bool>(),
        hc in any_f64(), hv in any_f64(), cp in any_f64(), tb in any_f64(), ta in any_f64(),
        kb in any_f64(), has_kb in any::<bool>(), rho in any_f64(), wind in any_f64(), rho_v in any_f64(),
        sep in any_f64(), has_sep in any::<bool>(), x in any_f64(), tau in transmissivity(),
    ) {
        let input = PoolFireInput {
            pool_diameter_m: opt(d, has_d),
            spill_rate_kg_s: opt(q, !has_d),
            burning_rate_kg_m2_s: opt(m, has_m),
            heat_of_combustion_j_kg: Some(hc),
            heat_of_vaporization_j_kg: Some(hv),
            liquid_heat_capacity_j_kg_k: Some(cp),
            boiling_point_k: Some(tb),
            ambient_temperature_k: ta,
            k_beta_per_m: opt(kb, has_kb),
            air_density_kg_m3: rho,
            wind_speed_m_s: wind,
            vapour_density_kg_m3: Some(rho_v),
            surface_emissive_power_kw_m2: opt(sep, has_sep),
            max_emissive_power_kw_m2: 140.0,
            soot_emissive_power_kw_m2: 20.0,
            sep_extinction_per_m: 0.12,
            transmissivity: tau,
            distance_m: x,
        };
        if let Ok(out) = pool_fire(&input) {
            prop_assert!(out.heat_flux_kw_m2.is_finite() && out.heat_flux_kw_m2 >= 0.0);
            prop_assert!(out.flame_height_m.is_finite() && out.flame_height_m > 0.0);
            prop_assert!((0.0..=1.0).contains(&out.view_factor_maximum));
            prop_assert!((0.0..=1.0).contains(&out.transmissivity));
            let _ = out.flame.distance_to_flux_m(x);
            let _ = out.flame.distance_to_flux_m(5e3);
        }
    }

    #[test]
    fn view_factor_and_transmissivity_never_panic(
        r in any_f64(), h in any_f64(), x in any_f64(), path in any_f64(), pw in any_f64(),
        rh in any_f64(), t in any_f64(), co2 in any_f64(),
    ) {
        if let Ok(out) = view_factor_cylinder(&ViewFactorCylinderInput {
            flame_radius_m: r, flame_height_m: h, distance_m: x,
        }) {
            prop_assert!((0.0..=1.0).contains(&out.maximum));
        }
        let (fv, fh, fm) = cylinder_view_factors(h, x);
        prop_assert!(fv.is_nan() || (0.0..=1.0).contains(&fv));
        prop_assert!(fh.is_nan() || (0.0..=1.0).contains(&fh));
        prop_assert!(fm.is_nan() || (0.0..=1.0).contains(&fm));
        for model in [
            Transmissivity::BagsterPartialPressure { water_partial_pressure_pa: pw },
            Transmissivity::Bagster { relative_humidity: rh, temperature_k: t },
            Transmissivity::Wayne { relative_humidity: rh, temperature_k: t, co2_ppm: co2 },
            Transmissivity::Fixed { value: rh },
        ] {
            if let Ok(out) = atmospheric_transmissivity(&AtmosphericTransmissivityInput {
                path_length_m: path, model,
            }) {
                prop_assert!((0.0..=1.0).contains(&out.transmissivity));
            }
        }
    }

    #[test]
    fn jet_fire_never_panics(
        p in any_f64(), t in any_f64(), d in any_f64(), cd in any_f64(), pa in any_f64(),
        ta in any_f64(), rh in any_f64(), h in any_f64(), angle in any_f64(),
        x in any_f64(), y in any_f64(), z in any_f64(), n in any_f64(), gamma in any_f64(),
        b in any_f64(), custom in any::<bool>(),
    ) {
        let fuel = custom.then_some(JetFuel {
            heat_capacity_ratio: gamma,
            abel_noble_covolume_m3_kg: b,
            ..JetFuel::HYDROGEN
        });
        let input = JetFireInput {
            fuel,
            reservoir_pressure_pa: p,
            reservoir_temperature_k: t,
            hole_diameter_m: d,
            discharge_coefficient: cd,
            ambient_pressure_pa: pa,
            ambient_temperature_k: ta,
            relative_humidity: rh,
            co2_ppm: 400.0,
            release_height_m: h,
            jet_angle_deg: angle,
            receptors: vec![JetReceptor { x_m: x, y_m: y, z_m: z, normal: Some([n, 0.0, 1.0]) }],
        };
        if let Ok(out) = jet_fire(&input) {
            prop_assert!(out.flame_length_m.is_finite() && out.flame_length_m > 0.0);
            prop_assert!(out.radiant_power_w.is_finite() && out.radiant_power_w >= 0.0);
            prop_assert!(out.receptors[0].heat_flux_kw_m2.is_finite());
            prop_assert!(out.receptors[0].heat_flux_kw_m2 >= 0.0);
        }
    }

    #[test]
    fn fireball_never_panics(
        m in any_f64(), ccps in any::<bool>(), hc in any_f64(), p in any_f64(), f in any_f64(),
        which in 0..3u8, h in any_f64(), has_h in any::<bool>(), x in any_f64(), z in any_f64(),
        tau in transmissivity(),
    ) {
        let input = FireballInput {
            mass_kg: m,
            correlation: if ccps { FireballCorrelation::Ccps } else { FireballCorrelation::Tno },
            heat_of_combustion_j_kg: Some(hc),
            burst_pressure_pa: opt(p, which == 0),
            radiant_fraction: opt(f, which == 1),
            surface_emissive_power_kw_m2: opt(f, which == 2),
            centre_height_m: opt(h, has_h),
            transmissivity: tau,
            distance_m: x,
            receptor_height_m: z,
        };
        if let Ok(out) = fireball(&input) {
            prop_assert!(out.heat_flux_kw_m2.is_finite() && out.heat_flux_kw_m2 >= 0.0);
            prop_assert!(out.thermal_dose.is_finite() && out.thermal_dose >= 0.0);
            prop_assert!((0.0..=1.0).contains(&out.view_factor));
            let _ = out.flame.distance_to_flux_m(x);
        }
    }

    #[test]
    fn explosions_never_panic(
        m in any_f64(), hc in any_f64(), eta in any_f64(), e in any_f64(), d in any_f64(),
        mf in any_f64(), p0 in any_f64(), g in any_f64(), p in any_f64(), t in any_f64(),
        hole in any_f64(), method in 0..3u8,
    ) {
        if let Ok(out) = tnt_equivalence(&TntEquivalenceInput {
            flammable_mass_kg: m, heat_of_combustion_j_kg: hc, yield_factor: eta,
            tnt_blast_energy_j_kg: e, distance_m: Some(d),
        }) {
            prop_assert!(out.tnt_mass_kg.is_finite() && out.tnt_mass_kg > 0.0);
            let blast = TntBlast { tnt_mass_kg: out.tnt_mass_kg };
            prop_assert!(blast.overpressure_pa_at(d).is_finite());
            let _ = blast.distance_to_overpressure_m(p);
            let _ = blast.lethality_at(d, OverpressureHarm::Probit(OverpressureProbitMethod::TnoHeadImpact));
        }
        if let Ok(out) = bst(&BstInput {
            flammable_mass_kg: m, heat_of_combustion_j_kg: hc, flame_mach: Some(mf),
            confinement: None, reactivity: None, congestion: None,
            ambient_pressure_pa: p0, ground_reflection_factor: g, distance_m: d,
        }) {
            prop_assert!(out.overpressure_pa.is_finite() && out.overpressure_pa > 0.0);
            let _ = out.blast.distance_to_overpressure_m(p);
        }
        let method = [H2JetExplosionMethod::Tnt, H2JetExplosionMethod::Bst, H2JetExplosionMethod::Bauwens][method as usize];
        if let Ok(out) = h2_jet_explosion(&H2JetExplosionInput {
            reservoir_pressure_pa: p, reservoir_temperature_k: t, hole_diameter_m: hole,
            discharge_coefficient: 1.0, ambient_pressure_pa: 101_325.0, ambient_temperature_k: 288.15,
            method, flame_mach: None, yield_factor: 0.03, detonation_cells_across: 13.0,
            distances_m: vec![d],
        }) {
            prop_assert!(out.cloud.flammable_mass_kg.is_finite() && out.cloud.flammable_mass_kg >= 0.0);
            prop_assert!(out.cloud.detonable_mass_kg <= out.cloud.flammable_mass_kg * (1.0 + 1e-12));
            prop_assert!(out.overpressures[0].overpressure_pa.is_finite());
        }
        let _ = bst_scaled_overpressure(d, mf);
    }

    #[test]
    fn probits_never_panic(
        c in any_f64(), t in any_f64(), a in any_f64(), b in any_f64(), n in any_f64(),
        q in any_f64(), p in any_f64(), i in any_f64(), pr in any_f64(),
        tm in thermal_method(), om in overpressure_method(),
    ) {
        for input in [
            ToxicProbitInput { substance: Some(ToxicSubstance::Chlorine), a: None, b: None, n: None, concentration_mg_m3: c, exposure_min: t },
            ToxicProbitInput { substance: None, a: Some(a), b: Some(b), n: Some(n), concentration_mg_m3: c, exposure_min: t },
        ] {
            if let Ok(out) = probit_toxic(&input) {
                prop_assert!((0.0..=1.0).contains(&out.probability));
            }
        }
        if let Ok(out) = probit_thermal(&ThermalProbitInput { method: tm, flux_w_m2: q, exposure_s: t }) {
            prop_assert!((0.0..=1.0).contains(&out.probability));
        }
        if let Ok(out) = probit_overpressure(&OverpressureProbitInput { method: om, overpressure_pa: p, impulse_pa_s: Some(i) }) {
            prop_assert!((0.0..=1.0).contains(&out.probability));
        }
        let pp = probability_from_probit(pr);
        prop_assert!(pp.is_nan() || (0.0..=1.0).contains(&pp));
        let l = thermal_lethality(q, &ThermalHarm::probit(tm, t));
        prop_assert!((0.0..=1.0).contains(&l));
        if let Some(l) = overpressure_lethality(OverpressureHarm::Probit(om), p, Some(i)) {
            prop_assert!((0.0..=1.0).contains(&l));
        }
    }

    // -----------------------------------------------------------------------------------
    // Physics: monotonicity
    // -----------------------------------------------------------------------------------

    #[test]
    fn pool_fire_flux_falls_with_distance(
        d in 0.5..100.0f64, m in 0.005..0.2f64, sep in 10.0..300.0f64, tau in transmissivity(),
        x1 in 0.0..2000.0f64, dx in 0.0..2000.0f64,
    ) {
        let out = pool_fire(&PoolFireInput {
            pool_diameter_m: Some(d), spill_rate_kg_s: None, burning_rate_kg_m2_s: Some(m),
            heat_of_combustion_j_kg: None, heat_of_vaporization_j_kg: None,
            liquid_heat_capacity_j_kg_k: None, boiling_point_k: None, ambient_temperature_k: 293.15,
            k_beta_per_m: None, air_density_kg_m3: 1.2, wind_speed_m_s: 0.0, vapour_density_kg_m3: None,
            surface_emissive_power_kw_m2: Some(sep), max_emissive_power_kw_m2: 140.0,
            soot_emissive_power_kw_m2: 20.0, sep_extinction_per_m: 0.12, transmissivity: tau,
            distance_m: 10.0,
        }).expect("in range");
        let flame: PoolFireFlame = out.flame;
        let (q1, q2) = (flame.flux_w_m2_at(x1), flame.flux_w_m2_at(x1 + dx));
        prop_assert!(q2 <= q1 * (1.0 + 1e-12), "q({}) = {q1} < q({}) = {q2}", x1, x1 + dx);
        prop_assert!(q1 <= sep * 1e3 * (1.0 + 1e-12));
    }

    #[test]
    fn fireball_flux_falls_with_distance(
        m in 1.0..1e6f64, f in 0.1..0.4f64, tau in transmissivity(),
        x1 in 0.0..5000.0f64, dx in 0.0..5000.0f64, z in 0.0..50.0f64,
    ) {
        let out = fireball(&FireballInput {
            mass_kg: m, correlation: FireballCorrelation::Ccps, heat_of_combustion_j_kg: Some(46e6),
            burst_pressure_pa: None, radiant_fraction: Some(f), surface_emissive_power_kw_m2: None,
            centre_height_m: None, transmissivity: tau, distance_m: 0.0, receptor_height_m: 0.0,
        }).expect("in range");
        let flame: FireballFlame = out.flame;
        prop_assert!(flame.flux_w_m2_at(x1 + dx) <= flame.flux_w_m2_at(x1) * (1.0 + 1e-12));
        prop_assert!(flame.flux_w_m2_at_point(x1 + dx, z) <= flame.flux_w_m2_at_point(x1, z) * (1.0 + 1e-12));
    }

    #[test]
    fn jet_flame_flux_falls_away_from_the_axis(
        p in 2e5..9e7f64, d in 0.001..0.1f64, s in 0.0..1.0f64,
        z1 in 0.0..500.0f64, dz in 0.0..500.0f64,
    ) {
        let out = jet_fire(&hydrogen_jet_input(p, 288.0, d, Vec::new())).expect("in range");
        let flame = JetFlame::new(
            [0.0, 1.0, 0.0], [1.0, 0.0, 0.0], out.flame_length_m, out.radiant_power_w,
            Transmissivity::Wayne { relative_humidity: 0.7, temperature_k: 288.15, co2_ppm: 400.0 },
        );
        // Perpendicular to the flame axis, every source recedes.
        let x = s * out.flame_length_m;
        let q1 = flame.flux_w_m2_at([x, 1.0, z1 + 0.01], None);
        let q2 = flame.flux_w_m2_at([x, 1.0, z1 + dz + 0.01], None);
        prop_assert!(q2 <= q1 * (1.0 + 1e-12), "{q1} {q2}");
    }

    #[test]
    fn transmissivity_falls_with_path(tau in transmissivity(), x1 in 0.0..1e5f64, dx in 0.0..1e5f64) {
        let (t1, t2) = (tau.at(x1), tau.at(x1 + dx));
        prop_assert!((0.0..=1.0).contains(&t1) && (0.0..=1.0).contains(&t2));
        prop_assert!(t2 <= t1 + 1e-12);
    }

    #[test]
    fn blast_overpressure_falls_with_distance(
        e in 1e3..1e13f64, mf in 0.037..5.2f64, r1 in 0.0..20.0f64, dr in 0.0..20.0f64,
    ) {
        prop_assert!(bst_scaled_overpressure(r1 + dr + 1e-6, mf) <= bst_scaled_overpressure(r1 + 1e-6, mf) * (1.0 + 1e-12));
        let blast = BstBlast { energy_j: e, ambient_pressure_pa: 101_325.0, flame_mach: mf };
        let scale = (e / 101_325.0f64).cbrt();
        prop_assert!(blast.overpressure_pa_at((r1 + dr) * scale) <= blast.overpressure_pa_at(r1 * scale) * (1.0 + 1e-12));
    }

    // -----------------------------------------------------------------------------------
    // Harm: probabilities in [0, 1], monotone in dose
    // -----------------------------------------------------------------------------------

    #[test]
    fn probabilities_rise_with_dose(
        tm in thermal_method(), q in 0.0..1e6f64, dq in 0.0..1e6f64, t in 0.1..1e3f64, dt in 0.0..1e3f64,
        c in 0.0..1e5f64, dc in 0.0..1e5f64, tmin in 0.1..600.0f64,
        om in overpressure_method(), p in 1.0..1e7f64, dp in 0.0..1e7f64, i in 1.0..1e5f64, di in 0.0..1e5f64,
        pr in -50.0..50.0f64, dpr in 0.0..50.0f64,
    ) {
        let harm1 = ThermalHarm::probit(tm, t);
        let harm2 = ThermalHarm::probit(tm, t + dt);
        let l = thermal_lethality(q, &harm1);
        prop_assert!((0.0..=1.0).contains(&l));
        prop_assert!(thermal_lethality(q + dq, &harm1) >= l);
        prop_assert!(thermal_lethality(q, &harm2) >= l);
        prop_assert!(thermal_probit(tm, q + dq + 1.0, t) >= thermal_probit(tm, q + 1.0, t));
        for s in ToxicSubstance::ALL {
            let k = s.constants();
            prop_assert!(toxic_probit(k, c + dc + 1e-3, tmin) >= toxic_probit(k, c + 1e-3, tmin));
        }
        let l1 = overpressure_lethality(OverpressureHarm::Probit(om), p, Some(i)).expect("impulse given");
        let l2 = overpressure_lethality(OverpressureHarm::Probit(om), p + dp, Some(i + di)).expect("impulse given");
        prop_assert!((0.0..=1.0).contains(&l1) && l2 >= l1);
        for rule in [OverpressureHarm::PurpleBookIndoor, OverpressureHarm::PurpleBookOutdoor] {
            let a = overpressure_lethality(rule, p, None).expect("no impulse needed");
            let b = overpressure_lethality(rule, p + dp, None).expect("no impulse needed");
            prop_assert!((0.0..=1.0).contains(&a) && b >= a);
        }
        let (p1, p2) = (probability_from_probit(pr), probability_from_probit(pr + dpr));
        prop_assert!((0.0..=1.0).contains(&p1) && p2 >= p1);
    }

    #[test]
    fn normal_quantile_inverts_the_cdf(x in -8.0..5.0f64) {
        // Above x = 5 the CDF is within 3e-7 of 1 and the inverse loses digits.
        let p = standard_normal_cdf(x);
        prop_assert!((standard_normal_quantile(p) - x).abs() < 1e-6 * (1.0 + x.abs()));
    }

    // -----------------------------------------------------------------------------------
    // Distance-to-effect helpers invert their fields
    // -----------------------------------------------------------------------------------

    #[test]
    fn distance_to_flux_inverts_flux(
        d in 1.0..60.0f64, sep in 20.0..250.0f64, target in 1.0..20.0f64, tau in transmissivity(),
        m in 10.0..1e5f64,
    ) {
        let flame = PoolFireFlame {
            radius_m: d / 2.0, height_m: 1.5 * d, surface_emissive_power_w_m2: sep * 1e3,
            transmissivity: tau,
        };
        let q = target * 1e3;
        if let Some(x) = flame.distance_to_flux_m(q) {
            prop_assert!(flame.flux_w_m2_at(x) >= q * (1.0 - 1e-6));
            prop_assert!(flame.flux_w_m2_at(x * (1.0 + 1e-6) + 1e-6) <= q * (1.0 + 1e-9));
        } else {
            prop_assert!(flame.flux_w_m2_at(0.0) < q);
        }
        let ball = fireball(&FireballInput {
            mass_kg: m, correlation: FireballCorrelation::Tno, heat_of_combustion_j_kg: Some(46e6),
            burst_pressure_pa: Some(1e6), radiant_fraction: None, surface_emissive_power_kw_m2: None,
            centre_height_m: None, transmissivity: tau, distance_m: 0.0, receptor_height_m: 0.0,
        }).expect("in range").flame;
        if let Some(x) = ball.distance_to_flux_m(q) {
            prop_assert!(ball.flux_w_m2_at(x) >= q * (1.0 - 1e-6));
            prop_assert!(ball.flux_w_m2_at(x * (1.0 + 1e-6) + 1e-6) <= q * (1.0 + 1e-9));
        } else {
            prop_assert!(ball.flux_w_m2_at(0.0) < q);
        }
    }

    #[test]
    fn distance_to_overpressure_inverts_overpressure(
        w in 1e-3..1e6f64, e in 1e5..1e13f64, mf in 0.037..5.2f64, target_kpa in 0.5..200.0f64,
    ) {
        let p = target_kpa * 1e3;
        let tnt = TntBlast { tnt_mass_kg: w };
        let x = tnt.distance_to_overpressure_m(p).expect("TNT reaches any overpressure near the charge");
        prop_assert!(tnt.overpressure_pa_at(x) >= p * (1.0 - 1e-6));
        prop_assert!(tnt.overpressure_pa_at(x * (1.0 + 1e-6) + 1e-9) <= p * (1.0 + 1e-2));
        let blast = BstBlast { energy_j: e, ambient_pressure_pa: 101_325.0, flame_mach: mf };
        match blast.distance_to_overpressure_m(p) {
            Some(x) => {
                prop_assert!(blast.overpressure_pa_at(x) >= p * (1.0 - 1e-6));
                prop_assert!(blast.overpressure_pa_at(x * (1.0 + 1e-6) + 1e-9) <= p * (1.0 + 1e-9));
            }
            None => prop_assert!(blast.overpressure_pa_at(0.0) < p),
        }
    }

    #[test]
    fn jet_flame_distance_to_flux_is_the_outer_crossing(
        p in 1e6..9e7f64, d in 0.002..0.05f64, target in 1.0..40.0f64, azimuth in 0.0..360.0f64,
    ) {
        let out = jet_fire(&hydrogen_jet_input(p, 288.0, d, Vec::new())).expect("in range");
        let flame = JetFlame::new(
            [0.0, 1.0, 0.0], [1.0, 0.0, 0.0], out.flame_length_m, out.radiant_power_w,
            Transmissivity::Wayne { relative_humidity: 0.7, temperature_k: 288.15, co2_ppm: 400.0 },
        );
        let q = target * 1e3;
        if let Some(x) = flame.distance_to_flux_m(azimuth, 1.0, q) {
            let (s, c) = azimuth.to_radians().sin_cos();
            let at = |r: f64| flame.flux_w_m2_at([r * c, 1.0, r * s], None);
            prop_assert!(at(x) >= q * (1.0 - 1e-6));
            // Nothing beyond it reaches the target (sampled).
            for k in 1..20 {
                let r = x * (1.0 + 1e-6) + 1e-6 + k as f64 * out.flame_length_m / 4.0;
                prop_assert!(at(r) < q * (1.0 + 1e-9), "q({r}) = {} >= {q}", at(r));
            }
        }
    }
}
