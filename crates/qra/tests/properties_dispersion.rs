//! Property and unit tests of the dispersion models (`plume`, `dense`): no input makes a
//! model panic and every `Ok` output is finite; concentrations fall with distance beyond
//! their maximum; threat-zone distances grow with the source and shrink with the threshold;
//! the puff envelope is the maximum over time; toxic loads conserve mass (n = 1); a threat
//! zone takes well under 100 ms.

use proptest::prelude::*;
use weihua_qra::Stability;
use weihua_qra::dense::{
    BritterMcQuaidPlume, BritterMcQuaidPlumeInput, BritterMcQuaidPuffInput, DenseGasCriterionInput,
    Release, britter_mcquaid_plume, britter_mcquaid_plume_betas, britter_mcquaid_puff,
    britter_mcquaid_puff_betas, dense_gas_criterion,
};
use weihua_qra::gaussian_puff;
use weihua_qra::plume::{
    BriggsPlumeRiseInput, ConcentrationThreshold, ConcentrationUnit, DenseGasChoice,
    DispersionFootprintInput, DispersionModel, DispersionOptions, DispersionSource,
    DispersionWeather, GaussianPlumeInput, PalazziPuffInput, PlumeField, SigmaSet, Terrain,
    ToxicLoad, WindProfileInput, briggs_plume_rise, dispersion_footprint, erf, erfc,
    gaussian_plume, palazzi_puff, wind_profile,
};

fn stability() -> impl Strategy<Value = Stability> {
    prop::sample::select(Stability::ALL.to_vec())
}

fn sigma_set() -> impl Strategy<Value = SigmaSet> {
    prop::sample::select(vec![
        SigmaSet::BriggsRural,
        SigmaSet::BriggsUrban,
        SigmaSet::Tno,
        SigmaSet::SpicerHavensSeinfeld,
    ])
}

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
            1e300
        ]),
        0.0..1e4f64,
    ]
}

fn opt_f64() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![Just(None), any_f64().prop_map(Some)]
}

fn finite_nonneg(v: f64) -> bool {
    v.is_finite() && v >= 0.0
}

fn weather(s: Stability, u: f64) -> DispersionWeather {
    DispersionWeather {
        stability: s,
        wind_speed_m_s: u,
        wind_reference_height_m: 10.0,
        ambient_temperature_k: 298.15,
        ambient_pressure_pa: 101_325.0,
    }
}

fn continuous(q: f64, duration: Option<f64>, h: f64, rho: Option<f64>) -> DispersionSource {
    DispersionSource {
        release: Release::Continuous {
            mass_rate_kg_s: q,
            duration_s: duration,
        },
        release_height_m: h,
        release_density_kg_m3: rho,
        release_temperature_k: None,
        molar_mass_kg_mol: None,
    }
}

fn instantaneous(m: f64, h: f64, rho: Option<f64>) -> DispersionSource {
    DispersionSource {
        release: Release::Instantaneous { mass_kg: m },
        release_height_m: h,
        release_density_kg_m3: rho,
        release_temperature_k: None,
        molar_mass_kg_mol: None,
    }
}

fn options(choice: DenseGasChoice, set: SigmaSet) -> DispersionOptions {
    DispersionOptions {
        dense_gas: choice,
        sigma_set: set,
        ..DispersionOptions::default()
    }
}

fn field(source: &DispersionSource, w: &DispersionWeather, o: &DispersionOptions) -> PlumeField {
    PlumeField::new(source, w, o).expect("valid field")
}

/// The four kinds of field with reasonable parameters.
fn field_kind() -> impl Strategy<Value = (DispersionSource, DispersionOptions)> {
    (0usize..5, 0.01..100.0f64, 0.0..30.0f64, 2.0..8.0f64).prop_map(|(k, amount, h, rho)| match k {
        0 => (
            continuous(amount, None, h, None),
            options(DenseGasChoice::Passive, SigmaSet::BriggsRural),
        ),
        1 => (
            continuous(amount, Some(60.0), h, None),
            options(DenseGasChoice::Passive, SigmaSet::Tno),
        ),
        2 => (
            instantaneous(amount * 100.0, h, None),
            options(DenseGasChoice::Passive, SigmaSet::BriggsRural),
        ),
        3 => (
            continuous(amount, Some(600.0), 0.0, Some(rho)),
            options(DenseGasChoice::Dense, SigmaSet::BriggsRural),
        ),
        _ => (
            instantaneous(amount * 100.0, 0.0, Some(rho)),
            options(DenseGasChoice::Dense, SigmaSet::BriggsRural),
        ),
    })
}

proptest! {
    #[test]
    fn gaussian_plume_never_panics(
        q in any_f64(), u in any_f64(), zr in any_f64(), s in stability(), h in any_f64(),
        x in any_f64(), y in any_f64(), z in any_f64(), set in sigma_set(), tav in any_f64(),
        refl in any::<bool>(), cap in opt_f64(),
    ) {
        let input = GaussianPlumeInput {
            mass_rate_kg_s: q, wind_speed_m_s: u, wind_reference_height_m: zr, stability: s,
            release_height_m: h, x_m: x, y_m: y, z_m: z, sigma_set: set, averaging_time_s: tav,
            ground_reflection: refl, max_concentration_kg_m3: cap,
        };
        if let Ok(out) = gaussian_plume(&input) {
            prop_assert!(finite_nonneg(out.concentration_kg_m3));
            prop_assert!(finite_nonneg(out.sigma_y_m) && finite_nonneg(out.sigma_z_m));
            prop_assert!(out.transport_wind_speed_m_s.is_finite());
        }
    }

    #[test]
    fn palazzi_puff_never_panics(
        q in any_f64(), d in any_f64(), u in any_f64(), s in stability(), h in any_f64(),
        x in any_f64(), y in any_f64(), z in any_f64(), t in any_f64(), set in sigma_set(),
    ) {
        let input = PalazziPuffInput {
            mass_rate_kg_s: q, duration_s: d, wind_speed_m_s: u, wind_reference_height_m: 10.0,
            stability: s, release_height_m: h, x_m: x, y_m: y, z_m: z, t_s: t, sigma_set: set,
            averaging_time_s: 600.0, ground_reflection: true,
        };
        if let Ok(out) = palazzi_puff(&input) {
            prop_assert!(finite_nonneg(out.concentration_kg_m3));
            prop_assert!((0.0..=1.0).contains(&out.time_factor));
            prop_assert!(out.concentration_kg_m3 <= out.plume_concentration_kg_m3);
        }
    }

    #[test]
    fn plume_rise_and_wind_profile_never_panic(
        us in any_f64(), rs in any_f64(), rho_s in any_f64(), rho_a in any_f64(), u in any_f64(),
        s in stability(), x in opt_f64(), ta in any_f64(), grad in opt_f64(), zr in any_f64(),
        z in any_f64(),
    ) {
        let rise = briggs_plume_rise(&BriggsPlumeRiseInput {
            stack_exit_velocity_m_s: us, stack_radius_m: rs, stack_gas_density_kg_m3: rho_s,
            ambient_density_kg_m3: rho_a, wind_speed_m_s: u, stability: s, x_m: x,
            ambient_temperature_k: ta, potential_temperature_gradient_k_m: grad,
            gravity_m_s2: 9.80665,
        });
        if let Ok(out) = rise {
            prop_assert!(out.buoyancy_flux_m4_s3 > 0.0 && out.final_rise_m > 0.0);
            prop_assert!(out.rise_at_x_m.is_none_or(|r| (0.0..=out.final_rise_m).contains(&r)));
        }
        for terrain in [Terrain::Rural, Terrain::Urban] {
            if let Ok(out) = wind_profile(&WindProfileInput {
                wind_speed_m_s: u, reference_height_m: zr, height_m: z, stability: s, terrain,
            }) {
                prop_assert!(out.wind_speed_m_s.is_finite() && out.wind_speed_m_s > 0.0);
            }
        }
    }

    #[test]
    fn britter_mcquaid_never_panics(
        m in any_f64(), rho in any_f64(), u in any_f64(), x in any_f64(), y in any_f64(),
        z in any_f64(), t in any_f64(), tr in opt_f64(), ta in any_f64(), c0 in any_f64(),
        mm in opt_f64(), rho_a in opt_f64(), crit in opt_f64(),
    ) {
        if let Ok(out) = britter_mcquaid_plume(&BritterMcQuaidPlumeInput {
            mass_rate_kg_s: m, release_density_kg_m3: rho, wind_speed_10m_m_s: u, x_m: x,
            y_m: y, z_m: z, release_temperature_k: tr, ambient_temperature_k: ta,
            ambient_pressure_pa: 101_325.0, ambient_density_kg_m3: rho_a,
            initial_volume_fraction: c0, molar_mass_kg_mol: mm, gravity_m_s2: 9.81,
        }) {
            prop_assert!((0.0..=1.0).contains(&out.volume_fraction));
            prop_assert!(out.concentration_kg_m3.is_none_or(finite_nonneg));
        }
        if let Ok(out) = britter_mcquaid_puff(&BritterMcQuaidPuffInput {
            mass_kg: m, release_density_kg_m3: rho, wind_speed_10m_m_s: u, x_m: x, y_m: y,
            z_m: z, t_s: t, release_temperature_k: tr, ambient_temperature_k: ta,
            ambient_pressure_pa: 101_325.0, ambient_density_kg_m3: rho_a,
            initial_volume_fraction: c0, molar_mass_kg_mol: mm, gravity_m_s2: 9.81,
        }) {
            prop_assert!((0.0..=1.0).contains(&out.volume_fraction));
            prop_assert!(out.cloud.radius_m.is_finite() && out.cloud.radius_m > 0.0);
        }
        for release in [
            Release::Continuous { mass_rate_kg_s: m, duration_s: None },
            Release::Instantaneous { mass_kg: m },
        ] {
            if let Ok(out) = dense_gas_criterion(&DenseGasCriterionInput {
                release, release_density_kg_m3: rho, wind_speed_10m_m_s: u,
                ambient_temperature_k: ta, ambient_pressure_pa: 101_325.0,
                ambient_density_kg_m3: rho_a, critical_value: crit, gravity_m_s2: 9.81,
            }) {
                prop_assert!(out.value.is_finite() && out.value >= 0.0);
                prop_assert_eq!(out.dense, out.value >= out.critical_value && out.value > 0.0);
            }
        }
    }

    #[test]
    fn dispersion_footprint_never_panics(
        amount in any_f64(), duration in opt_f64(), inst in any::<bool>(), h in any_f64(),
        rho in opt_f64(), tr in opt_f64(), mm in opt_f64(), s in stability(), u in any_f64(),
        zr in any_f64(), ta in any_f64(), choice in prop::sample::select(vec![
            DenseGasChoice::Auto, DenseGasChoice::Dense, DenseGasChoice::Passive]),
        set in sigma_set(), max_d in any_f64(), threshold in any_f64(),
        unit in prop::sample::select(vec![ConcentrationUnit::KgM3, ConcentrationUnit::MgM3,
            ConcentrationUnit::Ppm, ConcentrationUnit::VolumeFraction]),
        vertices in any::<usize>(),
    ) {
        let release = if inst {
            Release::Instantaneous { mass_kg: amount }
        } else {
            Release::Continuous { mass_rate_kg_s: amount, duration_s: duration }
        };
        let input = DispersionFootprintInput {
            source: DispersionSource {
                release, release_height_m: h, release_density_kg_m3: rho,
                release_temperature_k: tr, molar_mass_kg_mol: mm,
            },
            weather: DispersionWeather {
                stability: s, wind_speed_m_s: u, wind_reference_height_m: zr,
                ambient_temperature_k: ta, ambient_pressure_pa: 101_325.0,
            },
            options: DispersionOptions {
                dense_gas: choice, sigma_set: set, max_distance_m: max_d,
                ..DispersionOptions::default()
            },
            thresholds: vec![ConcentrationThreshold { value: threshold, unit, label: None }],
            polygon_vertices: vertices,
        };
        if let Ok(out) = dispersion_footprint(&input) {
            for z in &out.zones {
                let z = &z.zone;
                prop_assert!(z.max_distance_m.is_finite() && z.min_distance_m.is_finite());
                prop_assert!(finite_nonneg(z.max_half_width_m) && finite_nonneg(z.area_m2));
                prop_assert!(z.polygon.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
                prop_assert_eq!(z.reached, !z.polygon.is_empty());
                if z.reached {
                    prop_assert!(z.min_distance_m <= z.max_distance_m);
                    prop_assert_eq!(z.polygon.first(), z.polygon.last());
                }
            }
        }
    }

    #[test]
    fn field_evaluation_never_panics(
        (source, opts) in field_kind(), s in stability(), u in 0.5..15.0f64,
        x in any_f64(), y in any_f64(), n in 0.5..4.0f64,
    ) {
        let f = field(&source, &weather(s, u), &opts);
        let c = f.concentration_kg_m3(x, y);
        prop_assert!(finite_nonneg(c));
        let load = ToxicLoad::new(n, 1e6, 1800.0).expect("load");
        prop_assert!(finite_nonneg(f.toxic_load(&load, x, y)));
        if x.is_finite() && x < -1e5 {
            prop_assert_eq!(c, 0.0);
        }
    }

    /// Beyond its maximum, the ground-level centre-line concentration never rises again
    /// (sampled from 1 m to 20 km).
    #[test]
    fn concentration_decreases_beyond_its_maximum(
        (source, opts) in field_kind(), s in stability(), u in 0.5..15.0f64,
    ) {
        let f = field(&source, &weather(s, u), &opts);
        let xs: Vec<f64> = (0..400).map(|i| 10f64.powf(i as f64 * 4.3 / 399.0)).collect();
        let cs: Vec<f64> = xs.iter().map(|&x| f.concentration_kg_m3(x, 0.0)).collect();
        let peak = cs
            .iter()
            .enumerate()
            .fold((0, f64::MIN), |acc, (i, &c)| if c > acc.1 { (i, c) } else { acc })
            .0;
        for i in peak + 1..cs.len() {
            prop_assert!(
                cs[i] <= cs[i - 1] * (1.0 + 1e-12),
                "{:?}: C({}) = {} > C({}) = {}", f.model(), xs[i], cs[i], xs[i - 1], cs[i - 1]
            );
        }
    }

    /// A stronger source reaches farther; a higher threshold reaches less far.
    #[test]
    fn footprint_distance_is_monotone(
        (source, opts) in field_kind(), s in stability(), u in 0.5..15.0f64,
        factor in 1.0..20.0f64, threshold in 1e-6..1e-1f64, t_factor in 1.0..50.0f64,
    ) {
        let w = weather(s, u);
        let f1 = field(&source, &w, &opts);
        let mut stronger = source.clone();
        stronger.release = match source.release {
            Release::Continuous { mass_rate_kg_s, duration_s } => Release::Continuous {
                mass_rate_kg_s: mass_rate_kg_s * factor, duration_s,
            },
            Release::Instantaneous { mass_kg } => Release::Instantaneous {
                mass_kg: mass_kg * factor,
            },
        };
        let f2 = field(&stronger, &w, &opts);
        let d = |f: &PlumeField, c: f64| f.zone(c, 40).max_distance_m;
        let base = d(&f1, threshold);
        prop_assert!(
            d(&f2, threshold) >= base * (1.0 - 1e-9),
            "{:?}: x{factor} source {} < {base}", f1.model(), d(&f2, threshold)
        );
        prop_assert!(
            d(&f1, threshold * t_factor) <= base * (1.0 + 1e-9) + 1e-9,
            "{:?}: x{t_factor} threshold {} > {base}", f1.model(), d(&f1, threshold * t_factor)
        );
    }

    /// The passive puff field is the maximum over time of the Gaussian puff (checked
    /// against `gaussian_puff` on a fine time grid on the axis, ground release).
    #[test]
    fn puff_envelope_is_the_maximum_over_time(
        s in stability(), u in 0.5..15.0f64, x in 20.0..5000.0f64, m in 1.0..1e4f64,
    ) {
        let f = field(
            &instantaneous(m, 0.0, None), &weather(s, u),
            &options(DenseGasChoice::Passive, SigmaSet::BriggsRural),
        );
        let env = f.concentration_kg_m3(x, 0.0);
        let u_t = f.transport_wind_speed_m_s();
        let mut best = 0.0f64;
        for i in 0..=4000 {
            let t = x / u_t * (0.7 + 0.6 * i as f64 / 4000.0);
            let c = gaussian_puff(&weihua_qra::GaussianPuffInput {
                mass_kg: m, wind_speed_m_s: u_t, stability: s, x_m: x, t_s: t,
            }).expect("puff").concentration_kg_m3;
            best = best.max(c);
        }
        prop_assert!(env >= best * (1.0 - 1e-9), "envelope {env} < sampled max {best}");
        prop_assert!(env <= best * (1.0 + 1e-4), "envelope {env} > sampled max {best}");
    }
}

#[test]
fn erf_matches_reference_values() {
    // math.erf / math.erfc of CPython (correctly rounded libm values).
    let cases = [
        (0.1, 0.1124629160182849, 0.8875370839817152),
        (0.5, 0.5204998778130465, 0.4795001221869535),
        (1.0, 0.8427007929497149, 0.15729920705028513),
        (2.0, 0.9953222650189527, 0.004677734981047265),
        (2.5, 0.999593047982555, 0.0004069520174449589),
        (3.0, 0.9999779095030014, 2.2090496998585438e-05),
        (4.0, 0.9999999845827421, 1.541725790028002e-08),
        (5.5, 0.9999999999999927, 7.357847917974398e-15),
    ];
    for (x, e, ec) in cases {
        assert!((erf(x) - e).abs() <= 1e-15, "erf({x}) = {}", erf(x));
        assert!((erf(-x) + e).abs() <= 1e-15, "erf(-{x})");
        assert!(
            ((erfc(x) - ec) / ec).abs() <= 1e-11,
            "erfc({x}) = {}",
            erfc(x)
        );
    }
    assert!(erf(f64::NAN).is_nan());
    assert_eq!(erf(f64::INFINITY), 1.0);
}

/// The workbook curves are strictly ordered (lower C_m/C₀ further away) over the clamped α
/// range, which the interpolation relies on.
#[test]
fn britter_mcquaid_curves_are_ordered() {
    for i in 0..=2400 {
        let alpha = -1.2 + 2.4 * f64::from(i) / 2400.0;
        let p = britter_mcquaid_plume_betas(alpha);
        assert!(
            p.windows(2).all(|w| w[0] < w[1]),
            "plume α = {alpha}: {p:?}"
        );
        let q = britter_mcquaid_puff_betas(alpha);
        assert!(q.windows(2).all(|w| w[0] < w[1]), "puff α = {alpha}: {q:?}");
    }
}

/// α outside [−1, 1] is clamped and flagged.
#[test]
fn britter_mcquaid_alpha_is_clamped() {
    let calm = BritterMcQuaidPlume::new(500.0, 8.0, 0.3, 1.0, 1.0);
    assert!(calm.alpha() > 1.0 && calm.alpha_clamped());
    let windy = BritterMcQuaidPlume::new(0.001, 0.05, 20.0, 1.0, 1.0);
    assert!(windy.alpha() < -1.0 && windy.alpha_clamped());
    let mid = BritterMcQuaidPlume::new(10.0, 5.0, 3.0, 1.0, 1.0);
    assert!(!mid.alpha_clamped());
}

/// Model choice: auto follows the CCPS criterion; no density means passive; a light gas
/// forced dense is refused.
#[test]
fn model_choice_follows_the_criterion() {
    let w = weather(Stability::F, 2.0);
    let auto = DispersionOptions::default();
    let dense = field(&continuous(10.0, None, 0.0, Some(3.0)), &w, &auto);
    assert_eq!(dense.model(), DispersionModel::BritterMcQuaidPlume);
    assert!(dense.dense_criterion().is_some_and(|c| c.dense));
    let light = field(&continuous(10.0, None, 0.0, Some(0.7)), &w, &auto);
    assert_eq!(light.model(), DispersionModel::GaussianPlume);
    let unknown = field(&continuous(10.0, Some(60.0), 0.0, None), &w, &auto);
    assert_eq!(unknown.model(), DispersionModel::Palazzi);
    let puff = field(&instantaneous(1000.0, 0.0, Some(3.0)), &w, &auto);
    assert_eq!(puff.model(), DispersionModel::BritterMcQuaidPuff);
    let forced = options(DenseGasChoice::Passive, SigmaSet::BriggsRural);
    let passive_puff = field(&instantaneous(1000.0, 0.0, Some(3.0)), &w, &forced);
    assert_eq!(passive_puff.model(), DispersionModel::GaussianPuff);
    let force_dense = options(DenseGasChoice::Dense, SigmaSet::BriggsRural);
    assert!(PlumeField::new(&continuous(10.0, None, 0.0, Some(0.7)), &w, &force_dense).is_err());
    assert!(PlumeField::new(&continuous(10.0, None, 0.0, None), &w, &force_dense).is_err());
}

/// Finite-duration passive release: with n = 1 the toxic load is the dose ∫C dt = C_plume·T
/// (mass conservation), for short and long releases; the field is the peak over time of
/// `palazzi_puff`.
#[test]
fn finite_release_load_conserves_mass_and_field_is_palazzi_peak() {
    let w = weather(Stability::D, 3.0);
    let o = options(DenseGasChoice::Passive, SigmaSet::BriggsRural);
    let load = ToxicLoad::new(1.0, 1.0, 1e6).expect("load");
    for duration in [1.0, 20.0, 120.0, 3600.0] {
        let f = field(&continuous(1.0, Some(duration), 0.0, None), &w, &o);
        for (x, y) in [(200.0, 0.0), (1000.0, 30.0), (3000.0, 0.0)] {
            let input = GaussianPlumeInput {
                mass_rate_kg_s: 1.0,
                wind_speed_m_s: 3.0,
                wind_reference_height_m: 10.0,
                stability: Stability::D,
                release_height_m: 0.0,
                x_m: x,
                y_m: y,
                z_m: 0.0,
                sigma_set: SigmaSet::BriggsRural,
                averaging_time_s: 600.0,
                ground_reflection: true,
                max_concentration_kg_m3: None,
            };
            let plume = gaussian_plume(&input).unwrap().concentration_kg_m3;
            let dose = f.toxic_load(&load, x, y);
            let rel = (dose - plume * duration).abs() / (plume * duration);
            assert!(
                rel < 2e-3,
                "T = {duration}, x = {x}: dose {dose} vs {} ({rel:e})",
                plume * duration
            );
            // peak over t of the Palazzi puff
            let mut best = 0.0f64;
            for i in 0..=2000 {
                let t = (x / 3.0 + duration) * 2.0 * f64::from(i) / 2000.0;
                let c = palazzi_puff(&PalazziPuffInput {
                    mass_rate_kg_s: 1.0,
                    duration_s: duration,
                    wind_speed_m_s: 3.0,
                    wind_reference_height_m: 10.0,
                    stability: Stability::D,
                    release_height_m: 0.0,
                    x_m: x,
                    y_m: y,
                    z_m: 0.0,
                    t_s: t,
                    sigma_set: SigmaSet::BriggsRural,
                    averaging_time_s: 600.0,
                    ground_reflection: true,
                })
                .unwrap()
                .concentration_kg_m3;
                best = best.max(c);
            }
            let peak = f.concentration_kg_m3(x, y);
            assert!(
                peak >= best * (1.0 - 1e-9) && peak <= best * (1.0 + 1e-3),
                "T = {duration}, x = {x}: field {peak} vs sampled max {best}"
            );
        }
    }
}

/// Passive puff, n = 1: the toxic load is ∫C dt, compared with a fine time integration of
/// `gaussian_puff` (σ frozen at the passage, so a few per cent are allowed).
#[test]
fn puff_load_matches_time_integral() {
    let load = ToxicLoad::new(1.0, 1.0, 1e6).expect("load");
    for s in [Stability::B, Stability::D, Stability::F] {
        let f = field(
            &instantaneous(100.0, 0.0, None),
            &weather(s, 3.0),
            &options(DenseGasChoice::Passive, SigmaSet::BriggsRural),
        );
        for x in [100.0, 1000.0] {
            let t_c = x / 3.0;
            let n = 20_000;
            let (t0, t1) = (0.5 * t_c, 1.5 * t_c);
            let dt = (t1 - t0) / f64::from(n);
            let integral: f64 = (0..n)
                .map(|i| {
                    let t = t0 + dt * (f64::from(i) + 0.5);
                    gaussian_puff(&weihua_qra::GaussianPuffInput {
                        mass_kg: 100.0,
                        wind_speed_m_s: 3.0,
                        stability: s,
                        x_m: x,
                        t_s: t,
                    })
                    .unwrap()
                    .concentration_kg_m3
                        * dt
                })
                .sum();
            let got = f.toxic_load(&load, x, 0.0);
            let rel = (got - integral).abs() / integral;
            assert!(
                rel < 0.05,
                "{s:?} x = {x}: load {got} vs ∫C dt {integral} ({rel:.3e})"
            );
        }
    }
}

/// Dense puff: the toxic load is the time integral of the in-cloud concentration while
/// the cloud covers the point (checked against `britter_mcquaid_puff` on a fine grid).
#[test]
fn dense_puff_load_matches_time_integral() {
    let mut src = instantaneous(5000.0, 0.0, Some(3.0));
    src.molar_mass_kg_mol = Some(0.0709);
    let f = field(
        &src,
        &weather(Stability::F, 2.0),
        &DispersionOptions::default(),
    );
    assert_eq!(f.model(), DispersionModel::BritterMcQuaidPuff);
    let rho_gas = f.gas_density_ambient_kg_m3().expect("density");
    let load = ToxicLoad::new(2.0, 1e6, 1e6).expect("load");
    for (x, y) in [(150.0, 0.0), (400.0, 40.0)] {
        let n = 200_000;
        let t_end = 2000.0;
        let dt = t_end / f64::from(n);
        let integral: f64 = (0..n)
            .map(|i| {
                let t = dt * (f64::from(i) + 0.5);
                let c = britter_mcquaid_puff(&BritterMcQuaidPuffInput {
                    mass_kg: 5000.0,
                    release_density_kg_m3: 3.0,
                    wind_speed_10m_m_s: 2.0,
                    x_m: x,
                    y_m: y,
                    z_m: 0.0,
                    t_s: t,
                    release_temperature_k: None,
                    ambient_temperature_k: 298.15,
                    ambient_pressure_pa: 101_325.0,
                    ambient_density_kg_m3: None,
                    initial_volume_fraction: 1.0,
                    molar_mass_kg_mol: None,
                    gravity_m_s2: 9.80665,
                })
                .unwrap()
                .volume_fraction
                    * rho_gas
                    * 1e6;
                c * c * dt
            })
            .sum();
        let got = f.toxic_load(&load, x, y);
        let rel = (got - integral).abs() / integral;
        assert!(
            rel < 0.01,
            "({x}, {y}): load {got} vs {integral} ({rel:.3e})"
        );
    }
}

/// A live threat zone (three thresholds, every model) is computed well under 100 ms even
/// in a debug build.
#[test]
fn threat_zones_are_fast() {
    let w = weather(Stability::F, 1.5);
    let kinds = [
        (
            continuous(5.0, None, 2.0, None),
            DispersionOptions::default(),
        ),
        (
            continuous(5.0, Some(600.0), 2.0, None),
            DispersionOptions::default(),
        ),
        (
            instantaneous(2000.0, 0.0, None),
            DispersionOptions::default(),
        ),
        (
            continuous(20.0, Some(600.0), 0.0, Some(3.2)),
            DispersionOptions::default(),
        ),
        (
            instantaneous(2000.0, 0.0, Some(3.2)),
            DispersionOptions::default(),
        ),
    ];
    for (source, opts) in kinds {
        let input = DispersionFootprintInput {
            source,
            weather: w.clone(),
            options: opts,
            thresholds: [1e-3, 1e-4, 1e-5]
                .iter()
                .map(|&v| ConcentrationThreshold {
                    value: v,
                    unit: ConcentrationUnit::KgM3,
                    label: None,
                })
                .collect(),
            polygon_vertices: 80,
        };
        let start = std::time::Instant::now();
        let out = dispersion_footprint(&input).expect("footprint");
        let elapsed = start.elapsed();
        assert!(elapsed.as_millis() < 100, "{:?}: {elapsed:?}", out.model);
        assert!(out.zones.iter().all(|z| z.zone.reached), "{:?}", out.model);
    }
}

/// JSON round trip through the registry, with unknown fields refused.
#[test]
fn footprint_runs_by_name_and_refuses_unknown_fields() {
    let input = serde_json::json!({
        "source": {
            "release": {"continuous": {"mass_rate_kg_s": 2.0, "duration_s": 600}},
            "release_height_m": 1.0,
            "molar_mass_kg_mol": 0.0709
        },
        "weather": {"stability": "D", "wind_speed_m_s": 5.0},
        "thresholds": [
            {"value": 20, "unit": "ppm", "label": "AEGL-3"},
            {"value": 2, "unit": "ppm", "label": "AEGL-2"}
        ]
    });
    let out = weihua_qra::run_model("dispersion_footprint", input.clone()).expect("runs");
    assert_eq!(out["model"], "palazzi");
    let zones = out["zones"].as_array().expect("zones");
    let d3 = zones[0]["zone"]["max_distance_m"].as_f64().unwrap();
    let d2 = zones[1]["zone"]["max_distance_m"].as_f64().unwrap();
    assert!(d2 > d3 && d3 > 0.0);
    let dense = serde_json::json!({
        "source": {
            "release": {"instantaneous": {"mass_kg": 1000}},
            "release_density_kg_m3": 3.2,
            "molar_mass_kg_mol": 0.0709
        },
        "weather": {"stability": "F", "wind_speed_m_s": 1.5},
        "thresholds": [{"value": 20, "unit": "ppm"}]
    });
    let out = weihua_qra::run_model("dispersion_footprint", dense).expect("runs");
    assert_eq!(out["model"], "britter_mcquaid_puff");
    assert_eq!(out["dense_criterion"]["dense"], true);
    let mut bad = input;
    bad["weather"]["wind_speed_10m"] = serde_json::json!(3.0);
    assert!(weihua_qra::run_model("dispersion_footprint", bad).is_err());
    for name in [
        "gaussian_plume",
        "wind_profile",
        "briggs_plume_rise",
        "palazzi_puff",
        "britter_mcquaid_plume",
        "britter_mcquaid_puff",
        "dense_gas_criterion",
    ] {
        assert!(
            weihua_qra::models().any(|m| m.name == name),
            "{name} registered"
        );
    }
}
