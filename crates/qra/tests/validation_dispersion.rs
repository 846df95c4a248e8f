//! Validation cases of `shared/testdata/qra-validation.json` (copy with provenance in
//! `tests/data/qra-validation.json`) for the dispersion models of `plume` and `dense`:
//! every case whose id starts with `DISP-`, `MET-` or `DG-`, each at its own tolerance (the
//! puff part of DISP-SIGMA-CCPS-x1.2 is tested in `validation.rs`). Test names carry the
//! case id and its status. Cross-checks of the footprints against the point models follow.

mod common;

use common::*;
use serde_json::Value;
use weihua_qra::QraError;
use weihua_qra::Stability;
use weihua_qra::dense::{
    BritterMcQuaidPlumeInput, BritterMcQuaidPuffInput, britter_mcquaid_plume,
    britter_mcquaid_plume_betas, britter_mcquaid_puff, britter_mcquaid_puff_betas,
};
use weihua_qra::plume::{
    BriggsPlumeRiseInput, ConcentrationThreshold, ConcentrationUnit, DenseGasChoice,
    DispersionFootprintInput, DispersionModel, DispersionOptions, DispersionSource,
    DispersionWeather, GaussianPlumeInput, PalazziPuffInput, SigmaSet, Terrain, WindProfileInput,
    briggs_plume_rise, dispersion_footprint, gaussian_plume, palazzi_puff, plume_sigma,
    wind_profile,
};

/// GD's gravity (GasDispersion.jl uses 9.80616 m/s²; weihua's default is 9.80665).
const GD_GRAVITY: f64 = 9.80616;

fn stab(v: &Value) -> Stability {
    Stability::parse(v.as_str().expect("class text")).expect("class")
}

fn plume_input(q: f64, u: f64, z_ref: f64, h: f64, s: Stability, x: f64) -> GaussianPlumeInput {
    GaussianPlumeInput {
        mass_rate_kg_s: q,
        wind_speed_m_s: u,
        wind_reference_height_m: z_ref,
        stability: s,
        release_height_m: h,
        x_m: x,
        y_m: 0.0,
        z_m: 0.0,
        sigma_set: SigmaSet::BriggsRural,
        averaging_time_s: 600.0,
        ground_reflection: true,
        max_concentration_kg_m3: None,
    }
}

/// DISP-GP-DeVisscher-p25 (status: confirmed+reproduced): elevated plume H = 30 m, Briggs
/// rural D, 5 g/s, u = 2 m/s at the stack height, ground receptor at 1 km.
#[test]
fn disp_gp_devisscher_p25_confirmed_reproduced() {
    let c = case("DISP-GP-DeVisscher-p25");
    let i = &c["inputs"];
    let rel = f(&c["tolerance"]["rel"]);
    let h = f(&i["H_eff_m"]);
    let r = i["receptor_m"].as_array().expect("receptor");
    let mut input = plume_input(
        f(&i["Q_g_s"]) / 1000.0,
        f(&i["u_m_s"]),
        h, // wind given at the (effective) stack height: no extrapolation
        h,
        stab(&i["stability"]),
        f(&r[0]),
    );
    input.y_m = f(&r[1]);
    input.z_m = f(&r[2]);
    let out = gaussian_plume(&input).expect("plume runs");
    assert_rel("transport wind", out.transport_wind_speed_m_s, 2.0, 1e-15);
    assert_rel(
        "C (g/m3)",
        out.concentration_kg_m3 * 1000.0,
        f(&c["expected"]["C_g_m3"]),
        rel,
    );
}

/// DISP-PLUMERISE-DeVisscher-p31 (status: confirmed+reproduced): Briggs buoyancy flux and
/// final rise (F_b < 55, neutral), standard gravity 9.80665 m/s². With GD's 9.80616 the
/// rise would be 47.5878 m, outside the ±0.001 m tolerance: De Visscher uses standard g.
#[test]
fn disp_plumerise_devisscher_p31_confirmed_reproduced() {
    let c = case("DISP-PLUMERISE-DeVisscher-p31");
    let i = &c["inputs"];
    let abs = f(&c["tolerance"]["abs"]);
    let r = f(&i["r_s_m"]);
    let exit_velocity = f(&i["Q_m3_s"]) / (std::f64::consts::PI * r * r);
    let out = briggs_plume_rise(&BriggsPlumeRiseInput {
        stack_exit_velocity_m_s: exit_velocity,
        stack_radius_m: r,
        stack_gas_density_kg_m3: f(&i["rho_s"]),
        ambient_density_kg_m3: f(&i["rho_a"]),
        wind_speed_m_s: f(&i["u_m_s"]),
        stability: Stability::D,
        x_m: Some(f(&i["x_m"])),
        ambient_temperature_k: 298.15,
        potential_temperature_gradient_k_m: None,
        gravity_m_s2: 9.80665,
    })
    .expect("rise runs");
    assert!(!out.stable);
    assert_abs(
        "F_b",
        out.buoyancy_flux_m4_s3,
        f(&c["expected"]["Fb_m4_s3"]),
        abs,
    );
    assert_abs(
        "final rise",
        out.final_rise_m,
        f(&c["expected"]["dh_m"]),
        abs,
    );
    // x = 1000 m is beyond x_f = 49 F_b^(5/8) ≈ 238 m: the rise at x is the final rise.
    assert!(out.distance_to_final_rise_m < 1000.0);
    assert_eq!(out.rise_at_x_m, Some(out.final_rise_m));
}

/// DISP-GP-CCPS-p97-GDdefault (status: confirmed): CCPS 1999 p.97 plume with GD's default
/// set (Spicer–Havens σ_y at 600 s, Seinfeld σ_z), 2 m/s at 1 m, ground release: C(500 m).
/// Also the case's `C_at_x0` (the source concentration ṁ/(A·u_j) with A = π/4 m², u_j =
/// 1 m/s, returned on the axis at x = 0 through the cap; 0.1/(π/4)/1.2268 as a volume
/// fraction), GD's C(−1) = 0, and the note's Briggs rural F value 1.1722e-4 kg/m³ (printed
/// to 5 digits, so held to 5e-5 relative).
#[test]
fn disp_gp_ccps_p97_gddefault_confirmed() {
    let c = case("DISP-GP-CCPS-p97-GDdefault");
    let i = &c["inputs"];
    let rel = f(&c["tolerance"]["rel"]);
    let q = f(&i["Q_kg_s"]);
    let rho_gas = f(&i["gas_density_kg_m3"]);
    let mut input = plume_input(
        q,
        f(&i["u_m_s"]),
        f(&i["u_height_m"]),
        f(&i["release_height_m"]),
        stab(&i["stability"]),
        f(&i["receptor_m"][0]),
    );
    input.sigma_set = SigmaSet::SpicerHavensSeinfeld;
    let out = gaussian_plume(&input).expect("plume runs");
    assert_rel(
        "C(500 m)",
        out.concentration_kg_m3,
        f(&c["expected"]["C_kg_m3"]),
        rel,
    );

    let source_conc = q / (std::f64::consts::PI / 4.0 * 1.0);
    input.max_concentration_kg_m3 = Some(source_conc);
    let at_500 = gaussian_plume(&input).expect("plume runs");
    assert_eq!(
        at_500.concentration_kg_m3, out.concentration_kg_m3,
        "cap not binding"
    );
    input.x_m = 0.0;
    let at_0 = gaussian_plume(&input).expect("axis at x = 0 with a cap");
    assert_rel(
        "C(0) as volume fraction",
        at_0.concentration_kg_m3 / rho_gas,
        0.1 / (std::f64::consts::PI / 4.0) / 1.2268,
        rel,
    );
    input.x_m = -1.0;
    assert_eq!(gaussian_plume(&input).unwrap().concentration_kg_m3, 0.0);
    input.x_m = 0.0;
    input.max_concentration_kg_m3 = None;
    assert!(matches!(
        gaussian_plume(&input),
        Err(QraError::OutsideValidity { .. })
    ));

    input.x_m = 500.0;
    input.sigma_set = SigmaSet::BriggsRural;
    let briggs = gaussian_plume(&input).expect("plume runs");
    assert_rel(
        "Briggs rural F note",
        briggs.concentration_kg_m3,
        1.1722e-4,
        5e-5,
    );
}

/// DISP-PALAZZI-GD (status: confirmed): Palazzi short-duration release (0.1 kg/s for 10 s,
/// h = 10 m, F, 2 m/s at 10 m) at (500 m, 0, 10 m) and t = 250 s with GD's default set and
/// σ_x = σ_y(x). GD returns volume fractions (kg/m³ divided by the gas density 1.2268 kg/m³
/// of its test substance, see GD `test/models/palazzi_tests.jl` and the p.97 case); the
/// case's `C_kg_m3_default` is that volume fraction, so it is compared with C/1.2268. Also
/// GD's C(t < 0) = 0.
#[test]
fn disp_palazzi_gd_confirmed() {
    let c = case("DISP-PALAZZI-GD");
    let i = &c["inputs"];
    let r = &i["receptor"];
    let rel = f(&c["tolerance"]["rel"]);
    let mut input = PalazziPuffInput {
        mass_rate_kg_s: f(&i["Q_kg_s"]),
        duration_s: f(&i["duration_s"]),
        wind_speed_m_s: f(&i["u_m_s"]),
        wind_reference_height_m: 10.0,
        stability: stab(&i["stability"]),
        release_height_m: f(&i["h_m"]),
        x_m: f(&r["x_m"]),
        y_m: f(&r["y_m"]),
        z_m: f(&r["z_m"]),
        t_s: f(&r["t_s"]),
        sigma_set: SigmaSet::SpicerHavensSeinfeld,
        averaging_time_s: 600.0,
        ground_reflection: true,
    };
    let out = palazzi_puff(&input).expect("palazzi runs");
    assert_eq!(out.sigma_x_m, out.sigma_y_m);
    assert_rel(
        "C / 1.2268 (GD volume fraction)",
        out.concentration_kg_m3 / 1.2268,
        f(&c["expected"]["C_kg_m3_default"]),
        rel,
    );
    input.t_s = -input.t_s;
    assert_eq!(palazzi_puff(&input).unwrap().concentration_kg_m3, 0.0);
}

/// DISP-SIGMA-CCPS-x1.2 (status: confirmed), plume part: Briggs rural (A–F) and urban (A,
/// C, D, F) σ_y, σ_z at x = 1.2 m.
#[test]
fn disp_sigma_ccps_x1_2_plume_sigmas_confirmed() {
    let c = case("DISP-SIGMA-CCPS-x1.2");
    let rel = f(&c["tolerance"]["rel"]);
    let x = f(&c["inputs"]["x_m"]);
    let mut checked = 0;
    for (key, set) in [
        ("rural", SigmaSet::BriggsRural),
        ("urban", SigmaSet::BriggsUrban),
    ] {
        for (class, pair) in c["expected"][key].as_object().expect("pairs") {
            let s = Stability::parse(class).expect("class");
            let (sy, sz) = plume_sigma(set, s, x, 600.0).expect("sigma");
            assert_rel(&format!("{key} {class} sigma_y"), sy, f(&pair[0]), rel);
            assert_rel(&format!("{key} {class} sigma_z"), sz, f(&pair[1]), rel);
            checked += 1;
        }
    }
    assert_eq!(checked, 10);
}

/// MET-WIND-IRWIN (status: confirmed): power law from 3 m/s at 1 m to 10 m, urban A, C, D,
/// E, F and rural A.
#[test]
fn met_wind_irwin_confirmed() {
    let c = case("MET-WIND-IRWIN");
    let i = &c["inputs"];
    let rel = f(&c["tolerance"]["rel"]);
    let run = |class: &str, terrain: Terrain| {
        wind_profile(&WindProfileInput {
            wind_speed_m_s: f(&i["u0_m_s"]),
            reference_height_m: f(&i["z0_m"]),
            height_m: f(&i["z_m"]),
            stability: Stability::parse(class).expect("class"),
            terrain,
        })
        .expect("profile runs")
        .wind_speed_m_s
    };
    let urban = c["expected"]["urban"].as_object().expect("urban");
    assert_eq!(urban.len(), 5);
    for (class, u) in urban {
        assert_rel(
            &format!("urban {class}"),
            run(class, Terrain::Urban),
            f(u),
            rel,
        );
    }
    assert_rel(
        "rural A",
        run("A", Terrain::Rural),
        f(&c["expected"]["rural_A"]),
        rel,
    );
}

fn burro_input(c: &Value, u10: f64, x: f64) -> BritterMcQuaidPlumeInput {
    let i = &c["inputs"];
    BritterMcQuaidPlumeInput {
        mass_rate_kg_s: f(&i["mass_rate_kg_s"]),
        release_density_kg_m3: f(&i["rho_gas_kg_m3"]),
        wind_speed_10m_m_s: u10,
        x_m: x,
        y_m: 0.0,
        z_m: 0.0,
        release_temperature_k: Some(f(&i["T_release_K"])),
        ambient_temperature_k: f(&i["T_ambient_K"]),
        ambient_pressure_pa: 101_325.0,
        ambient_density_kg_m3: None,
        initial_volume_fraction: 1.0,
        molar_mass_kg_mol: None,
        gravity_m_s2: GD_GRAVITY,
    }
}

/// DG-BM-PLUME-GD (status: confirmed): Britter–McQuaid plume, Burro-based CCPS p.122
/// scenario with T_ambient = 298 K (GD test): C at 45.2 m (near field), 367 m
/// (interpolation), 1200 m (far field); the low-wind case (u = 0.8322 m/s, α > 0.605) at the
/// end of its near field; and the β table at α = −0.75, −0.40, −0.20, 0. GD's g = 9.80616.
#[test]
fn dg_bm_plume_gd_confirmed() {
    let c = case("DG-BM-PLUME-GD");
    let rel = f(&c["tolerance"]["rel"]);
    let u10 = f(&c["inputs"]["u_m_s"]);
    let points = c["expected"]["C_vol_frac_at_x"]
        .as_object()
        .expect("points");
    assert_eq!(points.len(), 3);
    for (x, expected) in points {
        let x: f64 = x.parse().expect("distance key");
        let out = britter_mcquaid_plume(&burro_input(&c, u10, x)).expect("bm plume runs");
        assert!(!out.alpha_clamped);
        assert_rel(&format!("C({x} m)"), out.volume_fraction, f(expected), rel);
    }
    let nf = &c["expected"]["near_field_low_wind"];
    let u_low = f(&nf["u_m_s"]);
    let probe = britter_mcquaid_plume(&burro_input(&c, u_low, 0.0)).expect("bm plume runs");
    assert!(
        probe.near_field_limit_m < 30.0 * probe.length_scale_m,
        "large alpha ends the near field early"
    );
    let out = britter_mcquaid_plume(&burro_input(&c, u_low, probe.near_field_limit_m))
        .expect("bm plume runs");
    assert_rel(
        "C(x_nf) low wind",
        out.volume_fraction,
        f(&nf["C_at_xnf"]),
        rel,
    );
    for (key, betas) in c["expected"]["beta_table_checks"]
        .as_object()
        .expect("beta table")
    {
        let alpha: f64 = key.trim_start_matches("alpha=").parse().expect("alpha");
        let got = britter_mcquaid_plume_betas(alpha);
        for (k, b) in betas.as_array().expect("betas").iter().enumerate() {
            assert_rel(&format!("plume beta α={alpha} #{k}"), got[k], f(b), rel);
        }
    }
}

/// DG-BM-PUFF-Potchefstroom (status: confirmed): workbook Potchefstroom ammonia puff, no
/// temperature correction, C₀ = 1/16.4: four (x, t, C) points (near field, two
/// interpolated, far field) and the β table at α = −0.75, 0, 0.75. GD's g = 9.80616.
#[test]
fn dg_bm_puff_potchefstroom_confirmed() {
    let c = case("DG-BM-PUFF-Potchefstroom");
    let i = &c["inputs"];
    let rel = f(&c["tolerance"]["rel"]);
    let v0 = f(&i["V0_m3"]);
    let rho = f(&i["rho_cloud_kg_m3"]);
    let points = c["expected"]["C_vol_frac"].as_array().expect("points");
    assert_eq!(points.len(), 4);
    for p in points {
        let (x, t) = (f(&p["x_m"]), f(&p["t_s"]));
        let out = britter_mcquaid_puff(&BritterMcQuaidPuffInput {
            mass_kg: v0 * rho,
            release_density_kg_m3: rho,
            wind_speed_10m_m_s: f(&i["u10_m_s"]),
            x_m: x,
            y_m: 0.0,
            z_m: 0.0,
            t_s: t,
            release_temperature_k: None,
            ambient_temperature_k: f(&i["T_ambient_K"]),
            ambient_pressure_pa: 101_325.0,
            ambient_density_kg_m3: None,
            initial_volume_fraction: f(&i["c0"]),
            molar_mass_kg_mol: None,
            gravity_m_s2: GD_GRAVITY,
        })
        .expect("bm puff runs");
        assert_rel(
            &format!("V0 at ({x}, {t})"),
            out.initial_volume_m3,
            v0,
            1e-12,
        );
        assert_rel(
            &format!("C({x} m, {t} s)"),
            out.volume_fraction,
            f(&p["C"]),
            rel,
        );
    }
    for (key, betas) in c["expected"]["beta_table_checks"]
        .as_object()
        .expect("beta table")
    {
        let alpha: f64 = key.trim_start_matches("alpha=").parse().expect("alpha");
        let got = britter_mcquaid_puff_betas(alpha);
        for (k, b) in betas.as_array().expect("betas").iter().enumerate() {
            assert_rel(&format!("puff beta α={alpha} #{k}"), got[k], f(b), rel);
        }
    }
}

/// DG-BM-VCE-butane-halfLFL (status: confirmed; **not met at 1e-6 for the distance**):
/// butane aerosol plume to ½ LFL (AF blog). The blog's cloud density (its DIPPR butane
/// liquid density, ideal-gas vapour at 14.7 psi), its g = 9.806 and its air (M = 28.960
/// g/mol at 14.7 psi and 298.15 K) are reproduced here as inputs. α and the isothermal
/// equivalent of ½ LFL are met at 1e-6. The distance is 166.045 m against the blog's
/// 165.850 m (+0.118 %): the blog's table has slope −0.49 for the C_m/C₀ = 0.005 curve
/// where the workbook fit (CCPS, weihua reference §11.2, GD) has −0.48; with −0.49 the same
/// arithmetic gives 165.850 m. The distance is therefore held to 0.2 %. The VCE quantities
/// of the case (V_PES, η, E_PES) belong to the explosion models, not to dispersion.
#[test]
fn dg_bm_vce_butane_half_lfl_confirmed_distance_within_0_2_percent() {
    let c = case("DG-BM-VCE-butane-halfLFL");
    let i = &c["inputs"];
    let e = &c["expected"];
    let rel = f(&c["tolerance"]["rel"]);
    // The blog's source term and substance data (its cells 2 and 5).
    let psi = 6894.757293168361;
    let pa = 14.7 * psi;
    let r_gas = 8.31446261815324;
    let mw = 58.122; // kg/kmol
    let tc = f(&i["cloud_T_K"]);
    let ta = f(&i["T_ambient_K"]);
    let rho_l = mw * (1.0677 / 0.27188f64.powf(1.0 + (1.0 - tc / 425.12).powf(0.28688)));
    let rho_g = pa * mw / (r_gas * tc) / 1000.0;
    let fv = f(&i["flash_fraction"]);
    let fa = f(&i["aerosol_fraction"]);
    let rho_c = 1.0 / (fv / rho_g + (1.0 - fv) * fa / rho_l);
    let rho_a = pa * 28.960 / (r_gas * ta) / 1000.0;
    let g = 9.806;
    // u10 from 3.0 m/s at 10 ft with p = 0.55 (Irwin rural F).
    let u10 = wind_profile(&WindProfileInput {
        wind_speed_m_s: f(&i["u_at_3.048m_m_s"]),
        reference_height_m: 3.048,
        height_m: 10.0,
        stability: Stability::F,
        terrain: Terrain::Rural,
    })
    .expect("profile")
    .wind_speed_m_s;
    let mass_rate = f(&i["airborne_rate_kg_s"]);
    let out = britter_mcquaid_plume(&BritterMcQuaidPlumeInput {
        mass_rate_kg_s: mass_rate,
        release_density_kg_m3: rho_c,
        wind_speed_10m_m_s: u10,
        x_m: 100.0,
        y_m: 0.0,
        z_m: 0.0,
        release_temperature_k: Some(tc),
        ambient_temperature_k: ta,
        ambient_pressure_pa: pa,
        ambient_density_kg_m3: Some(rho_a),
        initial_volume_fraction: 1.0,
        molar_mass_kg_mol: None,
        gravity_m_s2: g,
    })
    .expect("bm plume runs");
    assert_rel("alpha", out.alpha, f(&e["alpha"]), rel);

    // Distance to ½ LFL through the footprint (dense forced; the volume-fraction threshold
    // is converted with the molar mass and back, so the target is exactly ½ LFL).
    let half_lfl = 0.5 * f(&i["LFL"]);
    let fp = dispersion_footprint(&DispersionFootprintInput {
        source: DispersionSource {
            release: weihua_qra::dense::Release::Continuous {
                mass_rate_kg_s: mass_rate,
                duration_s: Some(600.0),
            },
            release_height_m: 3.048,
            release_density_kg_m3: Some(rho_c),
            release_temperature_k: Some(tc),
            molar_mass_kg_mol: Some(mw / 1000.0),
        },
        weather: DispersionWeather {
            stability: Stability::F,
            wind_speed_m_s: f(&i["u_at_3.048m_m_s"]),
            wind_reference_height_m: 3.048,
            ambient_temperature_k: ta,
            ambient_pressure_pa: pa,
        },
        options: DispersionOptions {
            dense_gas: DenseGasChoice::Auto,
            gravity_m_s2: g,
            ..DispersionOptions::default()
        },
        thresholds: vec![ConcentrationThreshold {
            value: half_lfl,
            unit: ConcentrationUnit::VolumeFraction,
            label: Some("1/2 LFL".into()),
        }],
        polygon_vertices: 80,
    })
    .expect("footprint runs");
    assert_eq!(
        fp.model,
        DispersionModel::BritterMcQuaidPlume,
        "auto picks dense"
    );
    assert!(fp.dense_criterion.is_some_and(|d| d.dense));
    let x_half = fp.zones[0].zone.max_distance_m;
    let expected = f(&e["x_half_LFL_m"]);
    let err = (x_half - expected) / expected;
    assert!(
        err.abs() <= 2e-3,
        "x(½ LFL) = {x_half} m vs blog {expected} m: relative error {err:.4e} > 2e-3"
    );

    // The isothermal equivalent of ½ LFL: at x(½ LFL) the model's isothermal ratio c′ must
    // be the blog's C_isothermal_equiv, i.e. c = c′/(c′ + (1 − c′)T_c/T_a) = ½ LFL.
    let at = britter_mcquaid_plume(&BritterMcQuaidPlumeInput {
        x_m: x_half,
        ..BritterMcQuaidPlumeInput {
            mass_rate_kg_s: mass_rate,
            release_density_kg_m3: rho_c,
            wind_speed_10m_m_s: u10,
            x_m: 0.0,
            y_m: 0.0,
            z_m: 0.0,
            release_temperature_k: Some(tc),
            ambient_temperature_k: ta,
            ambient_pressure_pa: pa,
            ambient_density_kg_m3: Some(rho_a),
            initial_volume_fraction: 1.0,
            molar_mass_kg_mol: None,
            gravity_m_s2: g,
        }
    })
    .expect("bm plume runs");
    assert_rel("C at x(½ LFL)", at.volume_fraction, half_lfl, 1e-9);
    let c_iso = f(&e["C_isothermal_equiv"]);
    let corrected = c_iso / (c_iso + (1.0 - c_iso) * tc / ta);
    assert_rel("½ LFL from C_isothermal_equiv", corrected, half_lfl, rel);
}

// ---------------------------------------------------------------------------------------
// Cross-checks of the footprints against the point models (self-consistency).

fn weather(s: Stability, u: f64) -> DispersionWeather {
    DispersionWeather {
        stability: s,
        wind_speed_m_s: u,
        wind_reference_height_m: 10.0,
        ambient_temperature_k: 298.15,
        ambient_pressure_pa: 101_325.0,
    }
}

/// Passive plume zone: its far end is where `gaussian_plume` gives the threshold on the
/// axis, its half-width at mid-length is where the plume gives it off-axis, and the
/// polygon is closed, symmetric and has 40 – 100 vertices.
#[test]
fn footprint_passive_plume_matches_gaussian_plume() {
    let q = 2.0;
    let threshold = 1e-4;
    let fp = dispersion_footprint(&DispersionFootprintInput {
        source: DispersionSource {
            release: weihua_qra::dense::Release::Continuous {
                mass_rate_kg_s: q,
                duration_s: None,
            },
            release_height_m: 0.0,
            release_density_kg_m3: None,
            release_temperature_k: None,
            molar_mass_kg_mol: None,
        },
        weather: weather(Stability::D, 5.0),
        options: DispersionOptions::default(),
        thresholds: vec![ConcentrationThreshold {
            value: threshold * 1e6,
            unit: ConcentrationUnit::MgM3,
            label: None,
        }],
        polygon_vertices: 80,
    })
    .expect("footprint");
    assert_eq!(fp.model, DispersionModel::GaussianPlume);
    let z = &fp.zones[0].zone;
    assert!(z.reached && !z.truncated);
    assert_eq!(z.min_distance_m, 0.0);
    let run = |x: f64, y: f64| {
        let mut input = plume_input(q, 5.0, 10.0, 0.0, Stability::D, x);
        input.y_m = y;
        gaussian_plume(&input).unwrap().concentration_kg_m3
    };
    assert_rel(
        "C at the far end",
        run(z.max_distance_m, 0.0),
        threshold,
        1e-9,
    );
    let n = z.polygon.len();
    assert!((40..=100).contains(&n), "{n} vertices");
    assert_eq!(z.polygon.first(), z.polygon.last(), "closed");
    for p in &z.polygon {
        assert!(
            z.polygon
                .iter()
                .any(|q| q[0] == p[0] && (q[1] + p[1]).abs() <= 1e-12 * z.max_half_width_m),
            "symmetric about the x axis"
        );
        if p[1] > 0.0 {
            assert_rel("C on the edge", run(p[0], p[1]), threshold, 1e-6);
        }
    }
    assert!(z.area_m2 > 0.0 && z.area_m2 < 2.0 * z.max_distance_m * z.max_half_width_m);
}

/// Dense plume zone: the Britter–McQuaid plume gives the threshold at the zone's far end;
/// the zone starts upwind at −L_U.
#[test]
fn footprint_dense_plume_matches_britter_mcquaid() {
    let source = DispersionSource {
        release: weihua_qra::dense::Release::Continuous {
            mass_rate_kg_s: 20.0,
            duration_s: Some(900.0),
        },
        release_height_m: 1.0,
        release_density_kg_m3: Some(3.2),
        release_temperature_k: Some(239.0),
        molar_mass_kg_mol: Some(0.0709),
    };
    let fp = dispersion_footprint(&DispersionFootprintInput {
        source: source.clone(),
        weather: weather(Stability::F, 2.0),
        options: DispersionOptions::default(),
        thresholds: vec![ConcentrationThreshold {
            value: 20.0,
            unit: ConcentrationUnit::Ppm,
            label: Some("AEGL-3".into()),
        }],
        polygon_vertices: 60,
    })
    .expect("footprint");
    assert_eq!(fp.model, DispersionModel::BritterMcQuaidPlume);
    let z = &fp.zones[0].zone;
    assert!(z.reached);
    let point = |x: f64| {
        britter_mcquaid_plume(&BritterMcQuaidPlumeInput {
            mass_rate_kg_s: 20.0,
            release_density_kg_m3: 3.2,
            wind_speed_10m_m_s: 2.0,
            x_m: x,
            y_m: 0.0,
            z_m: 0.0,
            release_temperature_k: Some(239.0),
            ambient_temperature_k: 298.15,
            ambient_pressure_pa: 101_325.0,
            ambient_density_kg_m3: None,
            initial_volume_fraction: 1.0,
            molar_mass_kg_mol: Some(0.0709),
            gravity_m_s2: 9.80665,
        })
        .unwrap()
    };
    let at_end = point(z.max_distance_m);
    assert_rel(
        "vol. fraction at the far end",
        at_end.volume_fraction,
        20e-6,
        1e-9,
    );
    assert_rel(
        "upwind extent",
        -z.min_distance_m,
        at_end.upwind_extent_m,
        1e-12,
    );
    assert_rel(
        "width at the far end",
        z.max_half_width_m,
        at_end.half_width_m,
        1e-9,
    );
}
