//! 高斯烟羽 — passive (neutrally buoyant) dispersion: the Gaussian plume with selectable σ
//! sets, the power-law wind profile (风廓线), Briggs plume rise (烟气抬升), the Palazzi
//! finite-duration puff (有限时长泄漏), and dispersion footprints (扩散影响区) for threat
//! zones and the risk engine, passive or dense (Britter–McQuaid, [`crate::dense`]).
//!
//! # Sources
//!
//! weihua reference `shared/reference/qra-consequence.md` §8.2 (wind profile), §9
//! (dispersion coefficients), §10 (plume, puff, finite-duration puff, plume rise), §11.1
//! (density criterion), §14.4 (threshold zones); CCPS (1999) *Guidelines for Consequence
//! Analysis of Chemical Releases*; TNO Yellow Book CPR 14E (2005) ch. 4; Palazzi et al.
//! (1982) *Atmos. Environ.* 16(12) 2785; Briggs (1969, 1975) plume rise as in the ISC3
//! user's guide (EPA-454/B-95-003b); all as implemented and tested in GasDispersion.jl
//! (`aefarrell/GasDispersion.jl` 27ac300, MIT; "GD"). The code is written from the
//! equations, not copied.
//!
//! # Dispersion coefficients (x = downwind distance, m)
//!
//! [`SigmaSet`]:
//!
//! - `briggs_rural` (default) and `briggs_urban`: Briggs (1973) as in CCPS 1999 (§9.1), e.g.
//!   rural D: σ_y = 0.08x(1 + 0.0001x)^−½, σ_z = 0.06x(1 + 0.0015x)^−½. Nominal validity
//!   100 m – 10 km.
//! - `tno`: TNO Yellow Book power laws σ = a·x^b (§9.3).
//! - `spicer_havens_seinfeld`: GD's default set (§9.4): σ_y = δ·(max(t_av, t_a)/600)^0.2·
//!   x^0.9 (Spicer & Havens 1988, averaging time t_av, default 600 s) and
//!   σ_z = δ·x^β·exp(γ(ln x)²) (Seinfeld). The σ_z fit is meant for 100 m – 10 km; below
//!   about 30 m its class A branch *grows* towards the source (σ_z(1 m) = 108 m), so use it
//!   for far-field work only.
//!
//! # Wind profile
//!
//! u(z) = u_ref·(z/z_ref)^p with Irwin's exponents p (rural A–F: 0.07, 0.07, 0.10, 0.15,
//! 0.35, 0.55; urban: 0.15, 0.15, 0.20, 0.25, 0.40, 0.60), §8.2. The Gaussian models take
//! the wind at the release height, extrapolated **upwards only**: u = u(max(h, z_ref))
//! (**assumed**; GD uses u(max(h, 1 m)), identical when z_ref = 1 m or h ≥ z_ref). The
//! terrain of the profile follows the σ set (urban for `briggs_urban`, rural otherwise).
//!
//! # Gaussian plume (§10)
//!
//! C(x,y,z) = Q/(2π u σ_y σ_z) · exp(−y²/2σ_y²) · [exp(−(z−h)²/2σ_z²) + exp(−(z+h)²/2σ_z²)]
//! (the second term is the ground reflection). C = 0 upwind (x < 0); at x = 0 the point
//! source is singular: the optional cap `max_concentration_kg_m3` is returned on the axis.
//!
//! # Palazzi finite-duration puff (§10)
//!
//! C(x,y,z,t) = χ_plume(x,y,z) · ½[erf((x − u(t − Δ))/(√2σ_x)) − erf((x − ut)/(√2σ_x))],
//! Δ = min(t, T_release) (only material already released counts), σ_x = σ_y(x) (Palazzi's
//! choice, GD's default). C = 0 for t < 0 or x < 0. erf is computed here to ≈1e-15.
//!
//! # Briggs plume rise (§10)
//!
//! F_b = g u_s r_s² (ρ_a − ρ_s)/ρ_a. Neutral/unstable (A–D): F_b < 55: Δh = 21.425
//! F_b^¾/u at x_f = 49 F_b^⅝; otherwise Δh = 38.71 F_b^⅗/u at x_f = 119 F_b^⅖. Stable (E, F):
//! s = (g/T_a)·∂θ/∂z with ∂θ/∂z = 0.020 (E), 0.035 (F) K/m (ISC3 defaults, **assumed**,
//! configurable); Δh = min(2.6(F_b/(u s))^⅓, 4F_b^¼ s^−⅜) at x_f = 2.0715 u/√s. Before x_f
//! the transitional rise 1.6(F_b x²/u³)^⅓ (capped at Δh). Buoyancy-dominated rise only:
//! momentum-dominated and non-buoyant (ρ_s ≥ ρ_a) plumes are refused.
//!
//! # Footprints and the concentration field (threat zones, risk engine)
//!
//! [`PlumeField`] is one release in one weather, in the local wind frame (x downwind from
//! the source, y crosswind, metres), evaluated at ground level (z = 0):
//!
//! - **Model choice** ([`DenseGasChoice`]): `auto` uses Britter–McQuaid when the release
//!   density is given and the CCPS criterion (§11.1, with the 10 m wind) says dense, the
//!   Gaussian models otherwise; `dense` / `passive` force the choice.
//! - **Passive, continuous, no duration**: Gaussian plume.
//! - **Passive, continuous with duration T**: the Palazzi puff's peak over time,
//!   C_plume·erf(uT/(2√2 σ_x)) (the time window is widest when the cloud is centred on the
//!   receptor).
//! - **Passive, instantaneous**: Gaussian puff with the CCPS puff σ (§9.2, σ_x = σ_y) and
//!   ground reflection; the field is the envelope (maximum over time) of the ground-level
//!   concentration, found by maximising over the cloud-centre position x_c = ut with three
//!   Newton steps from x_c = x (never below the value at x_c = x).
//! - **Dense, continuous**: Britter–McQuaid plume; **width rule**: uniform centre-line
//!   concentration across the workbook half-width L_H(x) = D + 8l_b + 2.5(l_b x²)^⅓ (L_H0 upwind,
//!   to −L_U), 0 outside (GD's rule; conservative crosswind: in low wind the gravity-spreading
//!   term makes the zone very wide, which the workbook warns may overestimate the width). The
//!   release duration is ignored for the concentration (steady plume); the workbook's rule
//!   for choosing plume or puff (u·T/x ≥ 2.5 plume, ≤ 0.6 puff) is **not** applied
//!   automatically: give an instantaneous release for short releases.
//! - **Dense, instantaneous**: Britter–McQuaid puff; the field is the highest in-cloud
//!   concentration that ever covers the point (the cloud's value when it first arrives); the
//!   footprint is the union of the cloud discs while the cloud is at or above the threshold.
//! - Concentrations are kg/m³. Britter–McQuaid volume fractions are converted with the pure
//!   gas density at ambient conditions, P·M/(R·T_a) (molar mass given) or, without a molar
//!   mass, ρ_release·T_release/T_a (ideal gas; wrong for aerosol clouds: give the molar mass).
//!   Passive concentrations are capped at that same density (or the release density), and
//!   the field is evaluated no closer than 1 mm downwind.
//! - **Threat zone** ([`PlumeField::zone`]): for a threshold, the closed polygon
//!   (counter-clockwise, symmetric about the x axis, first vertex repeated last) of the
//!   ground area where the field reaches the threshold, with its farthest downwind distance,
//!   upwind-most point, largest half-width and area. The downwind search stops at
//!   `max_distance_m` (default 50 km, **assumed**), flagged `truncated`. Passive zones are
//!   found on a 256-point logarithmic grid from 1 cm, refined by bisection; a zone narrower
//!   than one grid step (≈5 %) around an elevated source's ground maximum can be missed.
//! - **Toxic load** ([`PlumeField::toxic_load`], [`ToxicLoad`]): ∫(k·C)ⁿ dt at a point, with
//!   the exposure capped at `max_exposure_s` (§10 suggests ≤ 30 min, **assumed** and an
//!   input). Steady plumes: (kC)ⁿ·T_exp. Passive finite duration: (kC_plume)ⁿ·(√2σ_x/u)·
//!   G(uT/(√2σ_x), n) with G(κ,n) = ∫(½[erf(s+κ) − erf(s)])ⁿ ds tabulated once per n
//!   (frozen σ_x during the passage; the cap shortens T). Passive puffs: (kC_peak)ⁿ·
//!   min(√(2π/n)σ_x/u, T_exp) (frozen σ). Dense plumes: (kC)ⁿ·min(T, T_exp). Dense puffs: the
//!   in-cloud concentration integrated over the time the point is covered (8-point
//!   Gauss–Legendre panels split at the correlation nodes), from arrival for at most T_exp.
//!
//! **Cost** (release build, measured on a loaded 2-core machine, so upper bounds): building a
//! field < 1 µs; a threat zone 15 µs (dense) to 0.5 ms (passive puff); one point of
//! [`PlumeField::concentration_kg_m3`] ≈ 10 – 50 ns (dense), 60 – 100 ns (passive plume,
//! finite release), 250 – 450 ns (passive puff envelope, Newton); [`PlumeField::toxic_load`]
//! 50 – 600 ns; [`ToxicLoad::new`] ≈ 13 ms (once per substance). Nothing allocates per point.
//!
//! Accepted inputs (assumed bounds, refused outside): Q 0 < ṁ ≤ 1e6 kg/s; 0 < m ≤ 1e9 kg;
//! wind 0 < u ≤ 100 m/s (below about 1 m/s the Gaussian model is not meaningful but not
//! refused); reference height 0.1 – 1000 m; release height 0 – 1000 m; receptor |x|, |y|
//! ≤ 1e6 m, 0 ≤ z ≤ 1e4 m; averaging time 1 – 86400 s; duration 0 < T ≤ 1e7 s; thresholds
//! 0 < c ≤ 1e4 kg/m³; at most 64 thresholds; 16 – 1000 polygon vertices.

use serde::{Deserialize, Serialize};

use crate::ModelEntry;
use crate::dense::{
    BritterMcQuaidPlume, BritterMcQuaidPuff, DenseCriterion, Release, STANDARD_GRAVITY,
    ambient_density, check_ambient_pressure, check_ambient_temperature, check_density,
    check_gravity, check_mass_rate, check_molar_mass, check_release_temperature, check_wind,
    ideal_gas_density, is_dense,
};
use crate::error::{QraError, check, finite_result};
use crate::puff::Stability;

// ---------------------------------------------------------------------------------------
// erf

/// 2/√π.
const TWO_OVER_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;

/// The error function, accurate to about 1e-15 (Maclaurin series below 2.5, Lentz continued
/// fraction for erfc above).
pub fn erf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let ax = x.abs();
    let v = if ax < 2.5 {
        erf_series(ax)
    } else if ax < 6.0 {
        1.0 - erfc_cf(ax)
    } else {
        1.0
    };
    if x < 0.0 { -v } else { v }
}

/// The complementary error function 1 − erf(x), accurate in relative terms for large x.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 2.5 {
        1.0 - erf(x)
    } else if x < 27.0 {
        erfc_cf(x)
    } else {
        0.0
    }
}

fn erf_series(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = x;
    let mut sum = x;
    for n in 1..200 {
        let nf = f64::from(n);
        term *= -x2 / nf;
        let add = term / (2.0 * nf + 1.0);
        sum += add;
        if add.abs() <= 1e-17 * sum.abs() {
            break;
        }
    }
    sum * TWO_OVER_SQRT_PI
}

/// erfc(x) for x ≥ 2.5: e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))).
fn erfc_cf(x: f64) -> f64 {
    let tiny = 1e-300;
    let mut f = x;
    let mut c = f;
    let mut d = 0.0;
    for j in 1..500 {
        let a = 0.5 * f64::from(j);
        d = x + a * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = x + a / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    (-x * x).exp() / (std::f64::consts::PI.sqrt() * f)
}

/// ½[erf(b) − erf(a)] for a ≤ b, without cancellation in the tails.
fn erf_window(a: f64, b: f64) -> f64 {
    if a >= 0.0 {
        0.5 * (erfc(a) - erfc(b))
    } else if b <= 0.0 {
        0.5 * (erfc(-b) - erfc(-a))
    } else {
        0.5 * (erf(b) + erf(-a))
    }
}

// ---------------------------------------------------------------------------------------
// σ sets and wind profile

/// Plume dispersion-coefficient set (扩散参数).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SigmaSet {
    /// Briggs (1973) open-country σ, as in CCPS 1999 (default).
    #[default]
    BriggsRural,
    /// Briggs (1973) urban σ, as in CCPS 1999.
    BriggsUrban,
    /// TNO Yellow Book power laws.
    Tno,
    /// Spicer & Havens σ_y with averaging time and Seinfeld σ_z (GD's default set).
    SpicerHavensSeinfeld,
}

impl SigmaSet {
    /// Terrain of the wind profile used with this set: urban for `briggs_urban`.
    pub fn terrain(self) -> Terrain {
        match self {
            SigmaSet::BriggsUrban => Terrain::Urban,
            _ => Terrain::Rural,
        }
    }
}

/// Terrain for the wind-profile exponents (地形).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Terrain {
    /// Open country.
    #[default]
    Rural,
    /// Urban.
    Urban,
}

/// Irwin (1979) power-law wind exponent p (CCPS 1999), reference §8.2.
pub fn irwin_exponent(stability: Stability, terrain: Terrain) -> f64 {
    use Stability::*;
    match (terrain, stability) {
        (Terrain::Rural, A | B) => 0.07,
        (Terrain::Rural, C) => 0.10,
        (Terrain::Rural, D) => 0.15,
        (Terrain::Rural, E) => 0.35,
        (Terrain::Rural, F) => 0.55,
        (Terrain::Urban, A | B) => 0.15,
        (Terrain::Urban, C) => 0.20,
        (Terrain::Urban, D) => 0.25,
        (Terrain::Urban, E) => 0.40,
        (Terrain::Urban, F) => 0.60,
    }
}

/// Spicer & Havens (δ, t_a s) for σ_y, reference §9.4.
fn spicer_havens(stability: Stability) -> (f64, f64) {
    match stability {
        Stability::A => (0.423, 18.4),
        Stability::B => (0.313, 18.4),
        Stability::C => (0.210, 18.4),
        Stability::D => (0.136, 18.3),
        Stability::E => (0.102, 11.4),
        Stability::F => (0.0674, 4.6),
    }
}

/// Seinfeld (δ, β, γ) for σ_z, reference §9.4.
fn seinfeld(stability: Stability) -> (f64, f64, f64) {
    match stability {
        Stability::A => (107.7, -1.7172, 0.2770),
        Stability::B => (0.1355, 0.8752, 0.0136),
        Stability::C => (0.09623, 0.9477, -0.0020),
        Stability::D => (0.04134, 1.1737, -0.0316),
        Stability::E => (0.02275, 1.3010, -0.0450),
        Stability::F => (0.01122, 1.4024, -0.0540),
    }
}

/// TNO (a, b, c, d): σ_y = a x^b, σ_z = c x^d, reference §9.3.
fn tno(stability: Stability) -> (f64, f64, f64, f64) {
    match stability {
        Stability::A => (0.527, 0.865, 0.28, 0.90),
        Stability::B => (0.371, 0.866, 0.23, 0.85),
        Stability::C => (0.209, 0.897, 0.22, 0.80),
        Stability::D => (0.128, 0.905, 0.20, 0.76),
        Stability::E => (0.098, 0.902, 0.15, 0.73),
        Stability::F => (0.065, 0.902, 0.12, 0.67),
    }
}

/// CCPS puff (a, b, c, d): σ_x = σ_y = a x^b, σ_z = c x^d (reference §9.2; the same table
/// as [`crate::puff::ccps_puff_sigma`], repeated here for the analytic derivatives of the
/// puff envelope).
fn ccps_puff(stability: Stability) -> (f64, f64, f64, f64) {
    match stability {
        Stability::A => (0.18, 0.92, 0.60, 0.75),
        Stability::B => (0.14, 0.92, 0.53, 0.73),
        Stability::C => (0.10, 0.92, 0.34, 0.71),
        Stability::D => (0.06, 0.92, 0.15, 0.70),
        Stability::E => (0.04, 0.92, 0.10, 0.65),
        Stability::F => (0.02, 0.89, 0.05, 0.61),
    }
}

/// σ_y, σ_z (m) of `set` at x > 0 (not checked). `averaging_time_s` is used by
/// `spicer_havens_seinfeld` only.
fn sigma_raw(set: SigmaSet, stability: Stability, x: f64, averaging_time_s: f64) -> (f64, f64) {
    use Stability::*;
    match set {
        SigmaSet::BriggsRural => {
            let sy = match stability {
                A => 0.22,
                B => 0.16,
                C => 0.11,
                D => 0.08,
                E => 0.06,
                F => 0.04,
            } * x
                / (1.0 + 0.0001 * x).sqrt();
            let sz = match stability {
                A => 0.20 * x,
                B => 0.12 * x,
                C => 0.08 * x / (1.0 + 0.0002 * x).sqrt(),
                D => 0.06 * x / (1.0 + 0.0015 * x).sqrt(),
                E => 0.03 * x / (1.0 + 0.0003 * x),
                F => 0.016 * x / (1.0 + 0.0003 * x),
            };
            (sy, sz)
        }
        SigmaSet::BriggsUrban => {
            let sy = match stability {
                A | B => 0.32,
                C => 0.22,
                D => 0.16,
                E | F => 0.11,
            } * x
                / (1.0 + 0.0004 * x).sqrt();
            let sz = match stability {
                A | B => 0.24 * x * (1.0 + 0.001 * x).sqrt(),
                C => 0.20 * x,
                D => 0.14 * x / (1.0 + 0.0003 * x).sqrt(),
                E | F => 0.08 * x / (1.0 + 0.0015 * x).sqrt(),
            };
            (sy, sz)
        }
        SigmaSet::Tno => {
            let (a, b, c, d) = tno(stability);
            (a * x.powf(b), c * x.powf(d))
        }
        SigmaSet::SpicerHavensSeinfeld => {
            let (delta, ta) = spicer_havens(stability);
            let sy = delta * (averaging_time_s.max(ta) / 600.0).powf(0.2) * x.powf(0.9);
            let (dz, bz, gz) = seinfeld(stability);
            let lx = x.ln();
            let sz = dz * x.powf(bz) * (gz * lx * lx).exp();
            (sy, sz)
        }
    }
}

fn check_x_positive(x_m: f64) -> Result<f64, QraError> {
    check("x_m", x_m, "0 < value <= 1e6", |v| v > 0.0 && v <= 1e6)
}

fn check_averaging_time(v: f64) -> Result<f64, QraError> {
    check("averaging_time_s", v, "1 <= value <= 86400", |v| {
        (1.0..=86_400.0).contains(&v)
    })
}

/// Plume σ_y, σ_z (m) of `set` at downwind distance `x_m` > 0; `averaging_time_s` (1 –
/// 86400 s) is used by `spicer_havens_seinfeld` only.
pub fn plume_sigma(
    set: SigmaSet,
    stability: Stability,
    x_m: f64,
    averaging_time_s: f64,
) -> Result<(f64, f64), QraError> {
    let x = check_x_positive(x_m)?;
    let tav = check_averaging_time(averaging_time_s)?;
    let (sy, sz) = sigma_raw(set, stability, x, tav);
    Ok((
        finite_result("plume_sigma", "sigma_y_m", sy)?,
        finite_result("plume_sigma", "sigma_z_m", sz)?,
    ))
}

fn check_reference_height(v: f64) -> Result<f64, QraError> {
    check("wind_reference_height_m", v, "0.1 <= value <= 1000", |v| {
        (0.1..=1000.0).contains(&v)
    })
}

fn check_release_height(v: f64) -> Result<f64, QraError> {
    check("release_height_m", v, "0 <= value <= 1000", |v| {
        (0.0..=1000.0).contains(&v)
    })
}

/// Power-law wind speed at `height_m` from `wind_speed_m_s` at `reference_height_m`.
fn power_law(u_ref: f64, z_ref: f64, z: f64, p: f64) -> f64 {
    u_ref * (z / z_ref).powf(p)
}

/// Transport wind of the Gaussian models: u(max(h, z_ref)).
fn transport_wind(
    u_ref: f64,
    z_ref: f64,
    release_height: f64,
    stability: Stability,
    terrain: Terrain,
) -> f64 {
    power_law(
        u_ref,
        z_ref,
        release_height.max(z_ref),
        irwin_exponent(stability, terrain),
    )
}

fn default_reference_height() -> f64 {
    10.0
}
fn default_averaging_time() -> f64 {
    600.0
}
fn default_true() -> bool {
    true
}
fn default_ambient_temperature() -> f64 {
    crate::dense::DEFAULT_AMBIENT_TEMPERATURE_K
}
fn default_ambient_pressure() -> f64 {
    crate::dense::DEFAULT_AMBIENT_PRESSURE_PA
}
fn default_gravity() -> f64 {
    STANDARD_GRAVITY
}

/// Input of [`wind_profile`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindProfileInput {
    /// Wind speed at the reference height, m/s.
    pub wind_speed_m_s: f64,
    /// Reference (measurement) height, m (default 10).
    #[serde(default = "default_reference_height")]
    pub reference_height_m: f64,
    /// Height at which the wind is wanted, m (0.1 – 1000).
    pub height_m: f64,
    /// Pasquill stability class.
    pub stability: Stability,
    /// Terrain, `rural` (default) or `urban`.
    #[serde(default)]
    pub terrain: Terrain,
}

/// Output of [`wind_profile`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindProfileOutput {
    /// Irwin exponent p used.
    pub exponent: f64,
    /// Wind speed at `height_m`, m/s.
    pub wind_speed_m_s: f64,
}

/// Power-law wind profile with Irwin's exponents (reference §8.2).
pub fn wind_profile(input: &WindProfileInput) -> Result<WindProfileOutput, QraError> {
    let u = check_wind("wind_speed_m_s", input.wind_speed_m_s)?;
    let zr = check(
        "reference_height_m",
        input.reference_height_m,
        "0.1 <= value <= 1000",
        |v| (0.1..=1000.0).contains(&v),
    )?;
    let z = check("height_m", input.height_m, "0.1 <= value <= 1000", |v| {
        (0.1..=1000.0).contains(&v)
    })?;
    let p = irwin_exponent(input.stability, input.terrain);
    Ok(WindProfileOutput {
        exponent: p,
        wind_speed_m_s: finite_result("wind_profile", "wind_speed_m_s", power_law(u, zr, z, p))?,
    })
}

// ---------------------------------------------------------------------------------------
// Gaussian plume

/// Input of [`gaussian_plume`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GaussianPlumeInput {
    /// Continuous release rate Q, kg/s.
    pub mass_rate_kg_s: f64,
    /// Wind speed at the reference height, m/s.
    pub wind_speed_m_s: f64,
    /// Height at which the wind speed is given, m (default 10).
    #[serde(default = "default_reference_height")]
    pub wind_reference_height_m: f64,
    /// Pasquill stability class.
    pub stability: Stability,
    /// (Effective) release height h, m (default 0).
    #[serde(default)]
    pub release_height_m: f64,
    /// Receptor downwind distance, m.
    pub x_m: f64,
    /// Receptor crosswind distance, m (default 0).
    #[serde(default)]
    pub y_m: f64,
    /// Receptor height, m (default 0).
    #[serde(default)]
    pub z_m: f64,
    /// σ set (default `briggs_rural`).
    #[serde(default)]
    pub sigma_set: SigmaSet,
    /// Averaging time for `spicer_havens_seinfeld` σ_y, s (default 600).
    #[serde(default = "default_averaging_time")]
    pub averaging_time_s: f64,
    /// Total ground reflection (default true).
    #[serde(default = "default_true")]
    pub ground_reflection: bool,
    /// Optional cap on the concentration (e.g. the concentration at the source, ṁ/(A·u_j)),
    /// kg/m³; required to evaluate the axis at x = 0.
    #[serde(default)]
    pub max_concentration_kg_m3: Option<f64>,
}

/// Output of [`gaussian_plume`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GaussianPlumeOutput {
    /// Wind speed used for transport, u(max(h, z_ref)), m/s.
    pub transport_wind_speed_m_s: f64,
    /// σ_y at x, m (0 for x ≤ 0).
    pub sigma_y_m: f64,
    /// σ_z at x, m (0 for x ≤ 0).
    pub sigma_z_m: f64,
    /// Concentration at the receptor, kg/m³.
    pub concentration_kg_m3: f64,
}

const PLUME_MODEL: &str = "gaussian_plume";

fn check_receptor(x: f64, y: f64, z: f64) -> Result<(f64, f64, f64), QraError> {
    let x = check("x_m", x, "-1e6 <= value <= 1e6", |v| {
        (-1e6..=1e6).contains(&v)
    })?;
    let y = check("y_m", y, "-1e6 <= value <= 1e6", |v| {
        (-1e6..=1e6).contains(&v)
    })?;
    let z = check("z_m", z, "0 <= value <= 1e4", |v| (0.0..=1e4).contains(&v))?;
    Ok((x, y, z))
}

fn check_cap(cap: Option<f64>) -> Result<Option<f64>, QraError> {
    cap.map(|c| {
        check("max_concentration_kg_m3", c, "0 < value <= 1e4", |v| {
            v > 0.0 && v <= 1e4
        })
    })
    .transpose()
}

/// Vertical factor [exp(−(z−h)²/2σ_z²) + r·exp(−(z+h)²/2σ_z²)].
fn vertical(z: f64, h: f64, sz: f64, reflection: bool) -> f64 {
    let direct = (-(z - h) * (z - h) / (2.0 * sz * sz)).exp();
    let image = if reflection {
        (-(z + h) * (z + h) / (2.0 * sz * sz)).exp()
    } else {
        0.0
    };
    direct + image
}

/// Steady Gaussian plume concentration (kg/m³) at (x, y, z), x > 0.
/// `q_over_u` is Q/u (kg/m).
fn plume_value(q_over_u: f64, h: f64, sy: f64, sz: f64, y: f64, z: f64, refl: bool) -> f64 {
    let lateral = (-y * y / (2.0 * sy * sy)).exp();
    let vert = vertical(z, h, sz, refl);
    if lateral == 0.0 || vert == 0.0 {
        return 0.0;
    }
    q_over_u / (2.0 * std::f64::consts::PI * sy * sz) * lateral * vert
}

/// Gaussian plume with ground reflection and selectable σ. See the
/// [module documentation](self).
pub fn gaussian_plume(input: &GaussianPlumeInput) -> Result<GaussianPlumeOutput, QraError> {
    let q = check_mass_rate(input.mass_rate_kg_s)?;
    let u_ref = check_wind("wind_speed_m_s", input.wind_speed_m_s)?;
    let z_ref = check_reference_height(input.wind_reference_height_m)?;
    let h = check_release_height(input.release_height_m)?;
    let (x, y, z) = check_receptor(input.x_m, input.y_m, input.z_m)?;
    let tav = check_averaging_time(input.averaging_time_s)?;
    let cap = check_cap(input.max_concentration_kg_m3)?;
    let u = finite_result(
        PLUME_MODEL,
        "transport_wind_speed_m_s",
        transport_wind(u_ref, z_ref, h, input.stability, input.sigma_set.terrain()),
    )?;
    if x < 0.0 {
        return Ok(GaussianPlumeOutput {
            transport_wind_speed_m_s: u,
            sigma_y_m: 0.0,
            sigma_z_m: 0.0,
            concentration_kg_m3: 0.0,
        });
    }
    if x == 0.0 {
        let on_axis = y == 0.0 && z == h;
        let c = match (on_axis, cap) {
            (false, _) => 0.0,
            (true, Some(c)) => c,
            (true, None) => {
                return Err(QraError::OutsideValidity {
                    model: PLUME_MODEL,
                    quantity: "downwind distance on the plume axis x (m) without max_concentration_kg_m3",
                    value: x,
                    min: f64::MIN_POSITIVE,
                    max: 1e6,
                });
            }
        };
        return Ok(GaussianPlumeOutput {
            transport_wind_speed_m_s: u,
            sigma_y_m: 0.0,
            sigma_z_m: 0.0,
            concentration_kg_m3: c,
        });
    }
    let (sy, sz) = sigma_raw(input.sigma_set, input.stability, x, tav);
    let sy = finite_result(PLUME_MODEL, "sigma_y_m", sy)?;
    let sz = finite_result(PLUME_MODEL, "sigma_z_m", sz)?;
    let mut c = plume_value(q / u, h, sy, sz, y, z, input.ground_reflection);
    if let Some(cap) = cap {
        c = c.min(cap);
    }
    Ok(GaussianPlumeOutput {
        transport_wind_speed_m_s: u,
        sigma_y_m: sy,
        sigma_z_m: sz,
        concentration_kg_m3: finite_result(PLUME_MODEL, "concentration_kg_m3", c)?,
    })
}

// ---------------------------------------------------------------------------------------
// Briggs plume rise

/// Input of [`briggs_plume_rise`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriggsPlumeRiseInput {
    /// Stack exit velocity u_s, m/s (volumetric flow / (π r_s²)).
    pub stack_exit_velocity_m_s: f64,
    /// Stack (exit) radius r_s, m.
    pub stack_radius_m: f64,
    /// Density of the stack gas at the exit, kg/m³ (below the ambient density).
    pub stack_gas_density_kg_m3: f64,
    /// Ambient air density, kg/m³.
    pub ambient_density_kg_m3: f64,
    /// Wind speed at the stack top, m/s.
    pub wind_speed_m_s: f64,
    /// Pasquill stability class (E and F use the stable formulas).
    pub stability: Stability,
    /// Downwind distance for the transitional rise, m (optional).
    #[serde(default)]
    pub x_m: Option<f64>,
    /// Ambient temperature, K (stable classes only; default 298.15, **assumed**).
    #[serde(default = "default_ambient_temperature")]
    pub ambient_temperature_k: f64,
    /// Potential-temperature gradient ∂θ/∂z, K/m (stable classes only; default 0.020 for
    /// E and 0.035 for F, ISC3, **assumed**).
    #[serde(default)]
    pub potential_temperature_gradient_k_m: Option<f64>,
    /// Gravity, m/s² (default 9.80665).
    #[serde(default = "default_gravity")]
    pub gravity_m_s2: f64,
}

/// Output of [`briggs_plume_rise`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BriggsPlumeRiseOutput {
    /// Buoyancy flux F_b, m⁴/s³.
    pub buoyancy_flux_m4_s3: f64,
    /// Whether the stable-class formulas were used.
    pub stable: bool,
    /// Final plume rise Δh, m.
    pub final_rise_m: f64,
    /// Distance to final rise x_f, m.
    pub distance_to_final_rise_m: f64,
    /// Rise at `x_m`, m (transitional before x_f, final after; 0 for x ≤ 0).
    pub rise_at_x_m: Option<f64>,
}

const RISE_MODEL: &str = "briggs_plume_rise";

/// Briggs buoyant plume rise. See the [module documentation](self).
pub fn briggs_plume_rise(input: &BriggsPlumeRiseInput) -> Result<BriggsPlumeRiseOutput, QraError> {
    let us = check(
        "stack_exit_velocity_m_s",
        input.stack_exit_velocity_m_s,
        "0 < value <= 500",
        |v| v > 0.0 && v <= 500.0,
    )?;
    let rs = check(
        "stack_radius_m",
        input.stack_radius_m,
        "0 < value <= 50",
        |v| v > 0.0 && v <= 50.0,
    )?;
    let rho_s = check_density("stack_gas_density_kg_m3", input.stack_gas_density_kg_m3)?;
    let rho_a = check_density("ambient_density_kg_m3", input.ambient_density_kg_m3)?;
    let u = check_wind("wind_speed_m_s", input.wind_speed_m_s)?;
    let ta = check_ambient_temperature(input.ambient_temperature_k)?;
    let g = check_gravity(input.gravity_m_s2)?;
    let x = input
        .x_m
        .map(|x| {
            check("x_m", x, "-1e6 <= value <= 1e6", |v| {
                (-1e6..=1e6).contains(&v)
            })
        })
        .transpose()?;
    if rho_s >= rho_a {
        return Err(QraError::OutOfRange {
            field: "stack_gas_density_kg_m3",
            value: rho_s,
            expected: "value < ambient_density_kg_m3 (buoyant plume)",
        });
    }
    let fb = g * us * rs * rs * (rho_a - rho_s) / rho_a;
    let stable = matches!(input.stability, Stability::E | Stability::F);
    let (final_rise, xf) = if stable {
        let gradient = match input.potential_temperature_gradient_k_m {
            Some(v) => check(
                "potential_temperature_gradient_k_m",
                v,
                "0 < value <= 0.2",
                |v| v > 0.0 && v <= 0.2,
            )?,
            None if input.stability == Stability::E => 0.020,
            None => 0.035,
        };
        let s = g / ta * gradient;
        let windy = 2.6 * (fb / (u * s)).cbrt();
        let calm = 4.0 * fb.powf(0.25) * s.powf(-0.375);
        (windy.min(calm), 2.0715 * u / s.sqrt())
    } else if fb < 55.0 {
        (21.425 * fb.powf(0.75) / u, 49.0 * fb.powf(0.625))
    } else {
        (38.71 * fb.powf(0.6) / u, 119.0 * fb.powf(0.4))
    };
    let rise_at = x.map(|x| {
        if x <= 0.0 {
            0.0
        } else if x < xf {
            (1.6 * (fb * x * x / u.powi(3)).cbrt()).min(final_rise)
        } else {
            final_rise
        }
    });
    Ok(BriggsPlumeRiseOutput {
        buoyancy_flux_m4_s3: finite_result(RISE_MODEL, "buoyancy_flux_m4_s3", fb)?,
        stable,
        final_rise_m: finite_result(RISE_MODEL, "final_rise_m", final_rise)?,
        distance_to_final_rise_m: finite_result(RISE_MODEL, "distance_to_final_rise_m", xf)?,
        rise_at_x_m: rise_at
            .map(|r| finite_result(RISE_MODEL, "rise_at_x_m", r))
            .transpose()?,
    })
}

// ---------------------------------------------------------------------------------------
// Palazzi finite-duration puff

/// Input of [`palazzi_puff`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PalazziPuffInput {
    /// Release rate Q during the release, kg/s.
    pub mass_rate_kg_s: f64,
    /// Release duration T, s.
    pub duration_s: f64,
    /// Wind speed at the reference height, m/s.
    pub wind_speed_m_s: f64,
    /// Height at which the wind speed is given, m (default 10).
    #[serde(default = "default_reference_height")]
    pub wind_reference_height_m: f64,
    /// Pasquill stability class.
    pub stability: Stability,
    /// Release height h, m (default 0).
    #[serde(default)]
    pub release_height_m: f64,
    /// Receptor downwind distance, m.
    pub x_m: f64,
    /// Receptor crosswind distance, m (default 0).
    #[serde(default)]
    pub y_m: f64,
    /// Receptor height, m (default 0).
    #[serde(default)]
    pub z_m: f64,
    /// Time since the start of the release, s.
    pub t_s: f64,
    /// σ set (default `briggs_rural`).
    #[serde(default)]
    pub sigma_set: SigmaSet,
    /// Averaging time for `spicer_havens_seinfeld` σ_y, s (default 600).
    #[serde(default = "default_averaging_time")]
    pub averaging_time_s: f64,
    /// Total ground reflection (default true).
    #[serde(default = "default_true")]
    pub ground_reflection: bool,
}

/// Output of [`palazzi_puff`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PalazziPuffOutput {
    /// Wind speed used for transport, m/s.
    pub transport_wind_speed_m_s: f64,
    /// σ_x = σ_y(x), m.
    pub sigma_x_m: f64,
    /// σ_y at x, m.
    pub sigma_y_m: f64,
    /// σ_z at x, m.
    pub sigma_z_m: f64,
    /// Steady-plume concentration at the receptor, kg/m³.
    pub plume_concentration_kg_m3: f64,
    /// The time factor ½[erf(…) − erf(…)], 0 – 1.
    pub time_factor: f64,
    /// Concentration at the receptor at t, kg/m³.
    pub concentration_kg_m3: f64,
}

const PALAZZI_MODEL: &str = "palazzi_puff";

/// Palazzi short-duration (finite-duration) Gaussian puff. See the
/// [module documentation](self).
pub fn palazzi_puff(input: &PalazziPuffInput) -> Result<PalazziPuffOutput, QraError> {
    let q = check_mass_rate(input.mass_rate_kg_s)?;
    let dur = check("duration_s", input.duration_s, "0 < value <= 1e7", |v| {
        v > 0.0 && v <= 1e7
    })?;
    let u_ref = check_wind("wind_speed_m_s", input.wind_speed_m_s)?;
    let z_ref = check_reference_height(input.wind_reference_height_m)?;
    let h = check_release_height(input.release_height_m)?;
    let (x, y, z) = check_receptor(input.x_m, input.y_m, input.z_m)?;
    let t = check("t_s", input.t_s, "-1e9 <= value <= 1e9", |v| {
        (-1e9..=1e9).contains(&v)
    })?;
    let tav = check_averaging_time(input.averaging_time_s)?;
    let u = finite_result(
        PALAZZI_MODEL,
        "transport_wind_speed_m_s",
        transport_wind(u_ref, z_ref, h, input.stability, input.sigma_set.terrain()),
    )?;
    if x <= 0.0 || t < 0.0 {
        return Ok(PalazziPuffOutput {
            transport_wind_speed_m_s: u,
            sigma_x_m: 0.0,
            sigma_y_m: 0.0,
            sigma_z_m: 0.0,
            plume_concentration_kg_m3: 0.0,
            time_factor: 0.0,
            concentration_kg_m3: 0.0,
        });
    }
    let (sy, sz) = sigma_raw(input.sigma_set, input.stability, x, tav);
    let sy = finite_result(PALAZZI_MODEL, "sigma_y_m", sy)?;
    let sz = finite_result(PALAZZI_MODEL, "sigma_z_m", sz)?;
    let sx = sy;
    let plume = plume_value(q / u, h, sy, sz, y, z, input.ground_reflection);
    let emitted = t.min(dur);
    let root2sx = std::f64::consts::SQRT_2 * sx;
    let upper = (x - u * (t - emitted)) / root2sx;
    let lower = (x - u * t) / root2sx;
    let factor = erf_window(lower, upper);
    let c = plume * factor;
    Ok(PalazziPuffOutput {
        transport_wind_speed_m_s: u,
        sigma_x_m: sx,
        sigma_y_m: sy,
        sigma_z_m: sz,
        plume_concentration_kg_m3: finite_result(
            PALAZZI_MODEL,
            "plume_concentration_kg_m3",
            plume,
        )?,
        time_factor: finite_result(PALAZZI_MODEL, "time_factor", factor)?,
        concentration_kg_m3: finite_result(PALAZZI_MODEL, "concentration_kg_m3", c)?,
    })
}

// ---------------------------------------------------------------------------------------
// Footprints and the concentration field

/// Smallest downwind distance at which the field is evaluated, m.
const X_FLOOR: f64 = 1e-3;
/// Default search limit of the footprints, m (**assumed**).
pub const DEFAULT_MAX_DISTANCE_M: f64 = 50_000.0;
/// Default number of polygon vertices of a threat zone.
pub const DEFAULT_POLYGON_VERTICES: usize = 80;
/// Most thresholds accepted by one footprint call (**assumed** bound).
pub const MAX_THRESHOLDS: usize = 64;

/// The release for a footprint / field (泄漏源).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DispersionSource {
    /// `{"continuous": {"mass_rate_kg_s": …, "duration_s": …}}` (duration optional) or
    /// `{"instantaneous": {"mass_kg": …}}`.
    pub release: Release,
    /// Release height, m (default 0).
    #[serde(default)]
    pub release_height_m: f64,
    /// Density of the released material at the source (gas or gas–aerosol cloud), kg/m³;
    /// needed for the dense-gas criterion and Britter–McQuaid.
    #[serde(default)]
    pub release_density_kg_m3: Option<f64>,
    /// Release temperature, K (Britter–McQuaid non-isothermal correction; default none).
    #[serde(default)]
    pub release_temperature_k: Option<f64>,
    /// Molar mass of the released substance, kg/mol (ppm / volume-fraction conversions and
    /// dense-gas concentrations in kg/m³).
    #[serde(default)]
    pub molar_mass_kg_mol: Option<f64>,
}

/// The weather for a footprint / field (气象条件).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DispersionWeather {
    /// Pasquill stability class.
    pub stability: Stability,
    /// Wind speed at the reference height, m/s.
    pub wind_speed_m_s: f64,
    /// Height at which the wind speed is given, m (default 10).
    #[serde(default = "default_reference_height")]
    pub wind_reference_height_m: f64,
    /// Ambient temperature, K (default 298.15, **assumed**).
    #[serde(default = "default_ambient_temperature")]
    pub ambient_temperature_k: f64,
    /// Ambient pressure, Pa (default 101325).
    #[serde(default = "default_ambient_pressure")]
    pub ambient_pressure_pa: f64,
}

/// Dense-gas model choice (重气模型选择).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DenseGasChoice {
    /// Britter–McQuaid when the release density is given and the CCPS criterion says
    /// dense; Gaussian otherwise (default).
    #[default]
    Auto,
    /// Always Britter–McQuaid (requires a release denser than air).
    Dense,
    /// Always the Gaussian models.
    Passive,
}

/// Model options of a footprint / field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DispersionOptions {
    /// Dense-gas choice (default `auto`).
    #[serde(default)]
    pub dense_gas: DenseGasChoice,
    /// σ set of the passive plume models (default `briggs_rural`); instantaneous passive
    /// releases always use the CCPS puff σ.
    #[serde(default)]
    pub sigma_set: SigmaSet,
    /// Averaging time for `spicer_havens_seinfeld` σ_y, s (default 600).
    #[serde(default = "default_averaging_time")]
    pub averaging_time_s: f64,
    /// Search limit of the footprints, m (default 50 000, **assumed**; 10 – 1e6).
    #[serde(default = "default_max_distance")]
    pub max_distance_m: f64,
    /// Critical value of the dense-gas criterion (default 0.15 continuous / 0.20
    /// instantaneous, CCPS).
    #[serde(default)]
    pub dense_critical_value: Option<f64>,
    /// Gravity, m/s² (default 9.80665).
    #[serde(default = "default_gravity")]
    pub gravity_m_s2: f64,
}

fn default_max_distance() -> f64 {
    DEFAULT_MAX_DISTANCE_M
}

impl Default for DispersionOptions {
    fn default() -> Self {
        DispersionOptions {
            dense_gas: DenseGasChoice::Auto,
            sigma_set: SigmaSet::BriggsRural,
            averaging_time_s: default_averaging_time(),
            max_distance_m: DEFAULT_MAX_DISTANCE_M,
            dense_critical_value: None,
            gravity_m_s2: STANDARD_GRAVITY,
        }
    }
}

/// The dispersion model a field uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DispersionModel {
    /// Steady Gaussian plume.
    GaussianPlume,
    /// Palazzi finite-duration Gaussian puff.
    Palazzi,
    /// Instantaneous Gaussian puff (CCPS puff σ).
    GaussianPuff,
    /// Britter–McQuaid continuous dense plume.
    #[serde(rename = "britter_mcquaid_plume")]
    BritterMcQuaidPlume,
    /// Britter–McQuaid instantaneous dense puff.
    #[serde(rename = "britter_mcquaid_puff")]
    BritterMcQuaidPuff,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum PassiveKind {
    Plume,
    Finite { duration_s: f64 },
    Puff,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Passive {
    kind: PassiveKind,
    u: f64,
    h: f64,
    set: SigmaSet,
    stability: Stability,
    averaging_time_s: f64,
    /// Q/(π u), kg/m (plumes).
    plume_prefactor: f64,
    /// uT/(2√2), m (finite releases).
    finite_arg: f64,
    /// ln(2m/(2π)^(3/2)) (puffs).
    ln_puff_prefactor: f64,
    /// CCPS puff σ: σ_x = σ_y = a x^b, σ_z = c x^d, as (ln a, b, ln c, d).
    puff: (f64, f64, f64, f64),
}

/// The puff-envelope objective (ln C at cloud centre x_c), its first two derivatives in x_c
/// and ln σ at x_c.
struct PuffTerms {
    value: f64,
    d1: f64,
    d2: f64,
    ln_sigma: f64,
}

/// erf to about 3e-7 relative, for the hot paths: 8 Maclaurin terms below 0.5,
/// Abramowitz & Stegun 7.1.26 (|ε| ≤ 1.5e-7) above.
fn erf_fast(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let ax = x.abs();
    let v = if ax < 0.5 {
        let x2 = ax * ax;
        ax * TWO_OVER_SQRT_PI
            * (1.0
                + x2 * (-1.0 / 3.0
                    + x2 * (1.0 / 10.0
                        + x2 * (-1.0 / 42.0
                            + x2 * (1.0 / 216.0
                                + x2 * (-1.0 / 1320.0 + x2 * (1.0 / 9360.0 - x2 / 75600.0)))))))
    } else if ax < 6.0 {
        let t = 1.0 / (1.0 + 0.327_591_1 * ax);
        let poly = t
            * (0.254_829_592
                + t * (-0.284_496_736
                    + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
        1.0 - poly * (-ax * ax).exp()
    } else {
        1.0
    };
    if x < 0.0 { -v } else { v }
}

impl Passive {
    fn new(
        kind: PassiveKind,
        amount: f64,
        u: f64,
        h: f64,
        set: SigmaSet,
        stability: Stability,
        averaging_time_s: f64,
    ) -> Self {
        let (a, b, c, d) = ccps_puff(stability);
        let duration = match kind {
            PassiveKind::Finite { duration_s } => duration_s,
            _ => 0.0,
        };
        Passive {
            kind,
            u,
            h,
            set,
            stability,
            averaging_time_s,
            plume_prefactor: amount / (std::f64::consts::PI * u),
            finite_arg: u * duration / (2.0 * std::f64::consts::SQRT_2),
            ln_puff_prefactor: (2.0 * amount / (2.0 * std::f64::consts::PI).powf(1.5)).ln(),
            puff: (a.ln(), b, c.ln(), d),
        }
    }

    /// Ground-level centre-line concentration (y = 0) and σ_y for plumes (x ≥ X_FLOOR);
    /// with the peak time factor for finite releases.
    fn plume_line(&self, x: f64) -> (f64, f64) {
        let (sy, sz) = sigma_raw(self.set, self.stability, x, self.averaging_time_s);
        let mut c = self.plume_prefactor / (sy * sz);
        if self.h > 0.0 {
            let v = (-self.h * self.h / (2.0 * sz * sz)).exp();
            c = if v == 0.0 { 0.0 } else { c * v };
        }
        if let PassiveKind::Finite { .. } = self.kind {
            c *= erf_fast(self.finite_arg / sy);
        }
        (c, sy)
    }

    /// Steady-plume centre-line concentration (no finite-duration factor) and σ_y.
    fn plume_line_steady(&self, x: f64) -> (f64, f64) {
        Passive {
            kind: PassiveKind::Plume,
            ..*self
        }
        .plume_line(x)
    }

    fn puff_terms(&self, x: f64, y: f64, xc: f64) -> PuffTerms {
        let (ln_a, b, ln_c, d) = self.puff;
        let lx = xc.ln();
        let ln_sigma = ln_a + b * lx;
        let ln_sz = ln_c + d * lx;
        let inv_s2 = (-2.0 * ln_sigma).exp();
        let inv_x = 1.0 / xc;
        let dx = x - xc;
        let q = dx * dx + y * y;
        let hz = if self.h > 0.0 {
            self.h * self.h * (-2.0 * ln_sz).exp()
        } else {
            0.0
        };
        let value = self.ln_puff_prefactor - 2.0 * ln_sigma - ln_sz - 0.5 * q * inv_s2 - 0.5 * hz;
        let e = 2.0 * b + d;
        let d1 = -e * inv_x + dx * inv_s2 + b * q * inv_x * inv_s2 + d * hz * inv_x;
        let d2 = e * inv_x * inv_x - inv_s2 - 2.0 * b * dx * inv_x * inv_s2
            + b * inv_x * inv_s2 * (-2.0 * dx - q * (1.0 + 2.0 * b) * inv_x)
            - d * (1.0 + 2.0 * d) * hz * inv_x * inv_x;
        PuffTerms {
            value,
            d1,
            d2,
            ln_sigma,
        }
    }

    /// ln of the puff envelope at (x, y) (x ≥ X_FLOOR) and ln σ at the maximising x_c:
    /// three safeguarded Newton steps from x_c = x, keeping the best value.
    fn puff_envelope(&self, x: f64, y: f64) -> (f64, f64) {
        let lo = x * 0.1;
        let hi = x * 10.0;
        let mut xc = x;
        let mut t = self.puff_terms(x, y, xc);
        let mut best = (t.value, t.ln_sigma);
        for _ in 0..3 {
            let next = if t.d2 < 0.0 {
                xc - t.d1 / t.d2
            } else if t.d1 > 0.0 {
                xc * 1.5
            } else {
                xc / 1.5
            };
            if !next.is_finite() {
                break;
            }
            let next = next.clamp(lo, hi);
            if (next - xc).abs() <= 1e-9 * xc {
                break;
            }
            xc = next;
            t = self.puff_terms(x, y, xc);
            if t.value > best.0 {
                best = (t.value, t.ln_sigma);
            }
        }
        best
    }

    /// Ground-level concentration (peak over time for puffs), kg/m³, and σ_x (m) at the
    /// point; x ≥ X_FLOOR.
    fn concentration(&self, x: f64, y: f64) -> (f64, f64) {
        match self.kind {
            PassiveKind::Puff => {
                let (v, ln_sigma) = self.puff_envelope(x, y);
                // below e^-700 (1e-304 kg/m³) the value is 0 (no subnormals)
                let c = if v < -700.0 { 0.0 } else { v.exp() };
                (c, ln_sigma.exp())
            }
            _ => {
                let (c, sy) = self.plume_line(x);
                let e = y * y / (2.0 * sy * sy);
                if c > 0.0 && e < 700.0 {
                    (c * (-e).exp(), sy)
                } else {
                    (0.0, sy)
                }
            }
        }
    }

    /// ln of the ground-level centre-line concentration (y = 0) at x ≥ X_FLOOR.
    fn ln_centreline(&self, x: f64) -> f64 {
        match self.kind {
            PassiveKind::Puff => self.puff_envelope(x, 0.0).0,
            _ => self.plume_line(x).0.ln(),
        }
    }

    /// Half-width (m) at x where the field falls to exp(ln_c).
    fn half_width(&self, x: f64, ln_c: f64) -> f64 {
        match self.kind {
            PassiveKind::Puff => {
                let (l0, ln_sigma) = self.puff_envelope(x, 0.0);
                let f = l0 - ln_c;
                if f.is_nan() || f <= 0.0 {
                    return 0.0;
                }
                let mut hi = (ln_sigma.exp() * (2.0 * f).sqrt() * 2.0).max(1e-3);
                for _ in 0..80 {
                    if self.puff_envelope(x, hi).0 < ln_c {
                        break;
                    }
                    hi *= 2.0;
                }
                let mut lo = 0.0;
                for _ in 0..60 {
                    let mid = 0.5 * (lo + hi);
                    if self.puff_envelope(x, mid).0 >= ln_c {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                lo
            }
            _ => {
                let (c, sy) = self.plume_line(x);
                let f = c.ln() - ln_c;
                if f.is_nan() || f <= 0.0 {
                    0.0
                } else {
                    sy * (2.0 * f).sqrt()
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum FieldKind {
    Passive(Passive),
    DensePlume { bm: BritterMcQuaidPlume, to_kg: f64 },
    DensePuff { bm: BritterMcQuaidPuff, to_kg: f64 },
}

/// One release in one weather: the ground-level concentration field in the wind frame
/// (x downwind, y crosswind, m), its threat zones and toxic loads. Built once (cheap),
/// evaluated per point without allocation; `Copy`, `Send`, `Sync`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlumeField {
    kind: FieldKind,
    model: DispersionModel,
    criterion: Option<DenseCriterion>,
    transport_wind: f64,
    wind_10m: f64,
    cap: f64,
    duration: Option<f64>,
    max_distance: f64,
    gas_density_ambient: Option<f64>,
}

/// A threat zone (影响区) for one threshold, in the wind frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreatZone {
    /// The threshold, kg/m³.
    pub threshold_kg_m3: f64,
    /// Whether the field reaches the threshold anywhere.
    pub reached: bool,
    /// Farthest downwind distance of the zone, m (0 when not reached).
    pub max_distance_m: f64,
    /// Nearest / upwind-most x of the zone, m (negative upwind; > 0 for an elevated source
    /// whose ground-level zone starts downwind).
    pub min_distance_m: f64,
    /// Largest crosswind half-width, m.
    pub max_half_width_m: f64,
    /// Area of the polygon, m².
    pub area_m2: f64,
    /// The zone reaches the search limit `max_distance_m` and is cut there.
    pub truncated: bool,
    /// Closed polygon [[x, y], …] (counter-clockwise, first vertex repeated last), empty
    /// when not reached.
    pub polygon: Vec<[f64; 2]>,
}

impl ThreatZone {
    fn empty(threshold: f64) -> Self {
        ThreatZone {
            threshold_kg_m3: threshold,
            reached: false,
            max_distance_m: 0.0,
            min_distance_m: 0.0,
            max_half_width_m: 0.0,
            area_m2: 0.0,
            truncated: false,
            polygon: Vec::new(),
        }
    }
}

/// Gauss–Legendre 8-point nodes and weights on [−1, 1].
const GL8: [(f64, f64); 8] = [
    (-0.960_289_856_497_536_3, 0.101_228_536_290_376_3),
    (-0.796_666_477_413_626_7, 0.222_381_034_453_374_5),
    (-0.525_532_409_916_329, 0.313_706_645_877_887_3),
    (-0.183_434_642_495_649_8, 0.362_683_783_378_362),
    (0.183_434_642_495_649_8, 0.362_683_783_378_362),
    (0.525_532_409_916_329, 0.313_706_645_877_887_3),
    (0.796_666_477_413_626_7, 0.222_381_034_453_374_5),
    (0.960_289_856_497_536_3, 0.101_228_536_290_376_3),
];

fn gauss_legendre(a: f64, b: f64, f: impl Fn(f64) -> f64) -> f64 {
    let half = 0.5 * (b - a);
    let mid = 0.5 * (a + b);
    GL8.iter().map(|(x, w)| w * f(mid + half * x)).sum::<f64>() * half
}

/// ∫_a^b f dt by 8-point Gauss–Legendre on panels whose end times grow by at most a
/// factor 2 (at most 12 panels; uniform halves when a = 0).
fn panels(a: f64, b: f64, f: impl Fn(f64) -> f64 + Copy) -> f64 {
    if a > 0.0 {
        let count = ((b / a).log2().ceil()).clamp(1.0, 12.0) as usize;
        let ratio = (b / a).powf(1.0 / count as f64);
        let mut lo = a;
        let mut sum = 0.0;
        for i in 0..count {
            let hi = if i + 1 == count { b } else { lo * ratio };
            sum += gauss_legendre(lo, hi, f);
            lo = hi;
        }
        sum
    } else {
        let mid = 0.5 * (a + b);
        gauss_legendre(a, mid, f) + gauss_legendre(mid, b, f)
    }
}

/// Number of entries of the G(κ, n) table of [`ToxicLoad`].
const G_TABLE: usize = 65;
const G_LOG_MIN: f64 = -2.0;
const G_LOG_MAX: f64 = 2.0;

/// Parameters of a toxic load ∫(k·C)ⁿ dt (毒性负荷), prepared once per substance: the
/// probit exponent n, the factor k converting kg/m³ to the probit's concentration unit
/// (1e6 for mg/m³; 1e6·R·T/(P·M) for ppm) and the exposure cap in s. The result of
/// [`PlumeField::toxic_load`] is in (unit)ⁿ·s: divide by 60 for minutes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToxicLoad {
    n: f64,
    scale: f64,
    max_exposure_s: f64,
    /// ln G(κ_i, n) at ln κ_i equally spaced from ln 10^G_LOG_MIN to ln 10^G_LOG_MAX.
    ln_g: [f64; G_TABLE],
    /// G(κ_max) − κ_max, the edge correction for long releases.
    large_offset: f64,
}

/// G(κ, n) = ∫(½[erf(s+κ) − erf(s)])ⁿ ds, numerically.
fn window_power_integral(kappa: f64, n: f64) -> f64 {
    let f = |s: f64| erf_window(s, s + kappa).max(0.0).powf(n);
    let integrate = |a: f64, b: f64| {
        let panels = ((b - a) / 0.5).ceil().max(1.0) as usize;
        let w = (b - a) / panels as f64;
        (0..panels)
            .map(|i| {
                let lo = a + w * i as f64;
                gauss_legendre(lo, lo + w, f)
            })
            .sum::<f64>()
    };
    let edge = 6.5;
    if kappa > 2.0 * edge {
        // plateau of value 1 between −κ + edge and −edge
        integrate(-kappa - edge, -kappa + edge) + (kappa - 2.0 * edge) + integrate(-edge, edge)
    } else {
        integrate(-kappa - edge, edge)
    }
}

impl ToxicLoad {
    /// Prepares a toxic load: exponent 0.5 ≤ n ≤ 5, concentration factor 0 < k ≤ 1e12,
    /// exposure cap 1 s ≤ T_exp ≤ 1e6 s. Costs about a millisecond (a table of 65
    /// integrals).
    pub fn new(
        exponent_n: f64,
        concentration_scale: f64,
        max_exposure_s: f64,
    ) -> Result<Self, QraError> {
        let n = check("exponent_n", exponent_n, "0.5 <= value <= 5", |v| {
            (0.5..=5.0).contains(&v)
        })?;
        let scale = check(
            "concentration_scale",
            concentration_scale,
            "0 < value <= 1e12",
            |v| v > 0.0 && v <= 1e12,
        )?;
        let cap = check("max_exposure_s", max_exposure_s, "1 <= value <= 1e6", |v| {
            (1.0..=1e6).contains(&v)
        })?;
        let mut ln_g = [0.0; G_TABLE];
        for (i, slot) in ln_g.iter_mut().enumerate() {
            let lk = G_LOG_MIN + (G_LOG_MAX - G_LOG_MIN) * i as f64 / (G_TABLE - 1) as f64;
            *slot = window_power_integral(10f64.powf(lk), n).ln();
        }
        let k_max = 10f64.powf(G_LOG_MAX);
        let large_offset = ln_g[G_TABLE - 1].exp() - k_max;
        Ok(ToxicLoad {
            n,
            scale,
            max_exposure_s: cap,
            ln_g,
            large_offset,
        })
    }

    /// The probit exponent n.
    pub fn exponent(&self) -> f64 {
        self.n
    }

    /// The exposure cap, s.
    pub fn max_exposure_s(&self) -> f64 {
        self.max_exposure_s
    }

    /// G(κ, n): table inside [1e-2, 1e2], asymptotes outside.
    fn window_integral(&self, kappa: f64) -> f64 {
        if kappa.is_nan() || kappa <= 0.0 {
            return 0.0;
        }
        let lk = kappa.log10();
        if lk <= G_LOG_MIN {
            // small κ: ½[erf(s+κ) − erf(s)] ≈ κ e^(−s²)/√π
            let pi = std::f64::consts::PI;
            return (kappa / pi.sqrt()).powf(self.n) * (pi / self.n).sqrt();
        }
        if lk >= G_LOG_MAX {
            return kappa + self.large_offset;
        }
        let pos = (lk - G_LOG_MIN) / (G_LOG_MAX - G_LOG_MIN) * (G_TABLE - 1) as f64;
        let i = (pos.floor() as usize).min(G_TABLE - 2);
        let frac = pos - i as f64;
        let (a, b) = (self.ln_g[i], self.ln_g[i + 1]);
        (a + (b - a) * frac).exp()
    }
}

/// Unit of a concentration threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConcentrationUnit {
    /// kg/m³ (default).
    #[default]
    KgM3,
    /// mg/m³.
    MgM3,
    /// ppm by volume (needs the molar mass; at ambient T and P).
    Ppm,
    /// Volume fraction (needs the molar mass; at ambient T and P).
    VolumeFraction,
}

/// A concentration threshold (阈值浓度) of a threat zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConcentrationThreshold {
    /// The value, in `unit`.
    pub value: f64,
    /// Its unit (default `kg_m3`).
    #[serde(default)]
    pub unit: ConcentrationUnit,
    /// Optional label (e.g. `"AEGL-2"`, `"60 % LEL"`).
    #[serde(default)]
    pub label: Option<String>,
}

/// Converts a concentration to kg/m³ (ppm and volume fractions as an ideal gas of molar
/// mass `molar_mass_kg_mol` at `temperature_k`, `pressure_pa`).
pub fn concentration_to_kg_m3(
    value: f64,
    unit: ConcentrationUnit,
    molar_mass_kg_mol: Option<f64>,
    temperature_k: f64,
    pressure_pa: f64,
) -> Result<f64, QraError> {
    let v = check("value", value, "0 < value <= 1e12", |v| {
        v > 0.0 && v <= 1e12
    })?;
    let gas = |mm: Option<f64>| -> Result<f64, QraError> {
        let mm = mm.ok_or(QraError::InvalidInput {
            model: "dispersion_footprint",
            message: "a ppm or volume-fraction threshold needs `molar_mass_kg_mol` / 以 ppm 或体积分数表示的阈值需要 `molar_mass_kg_mol`".to_owned(),
        })?;
        let mm = check_molar_mass(mm)?;
        let t = check_ambient_temperature(temperature_k)?;
        let p = check_ambient_pressure(pressure_pa)?;
        Ok(ideal_gas_density(mm, t, p))
    };
    let kg = match unit {
        ConcentrationUnit::KgM3 => v,
        ConcentrationUnit::MgM3 => v * 1e-6,
        ConcentrationUnit::Ppm => v * 1e-6 * gas(molar_mass_kg_mol)?,
        ConcentrationUnit::VolumeFraction => v * gas(molar_mass_kg_mol)?,
    };
    check("threshold_kg_m3", kg, "0 < value <= 1e4", |v| {
        v > 0.0 && v <= 1e4
    })
}

/// Cosine-clustered stations from `a` to `b`, `n + 1` of them.
fn station(a: f64, b: f64, i: usize, n: usize) -> f64 {
    let theta = std::f64::consts::PI * i as f64 / n as f64;
    a + (b - a) * 0.5 * (1.0 - theta.cos())
}

/// Closes a symmetric polygon from its upper side (x increasing), computing the largest
/// half-width and the area.
fn symmetric_polygon(upper: &[[f64; 2]]) -> (Vec<[f64; 2]>, f64, f64) {
    let mut poly: Vec<[f64; 2]> = Vec::with_capacity(2 * upper.len() + 1);
    // lower side first (x increasing, y ≤ 0) so the ring is counter-clockwise
    for p in upper {
        poly.push([p[0], 0.0 - p[1]]);
    }
    for p in upper.iter().rev() {
        if p[1] != 0.0 || poly.last().is_none_or(|q| q[0] != p[0] || q[1] != p[1]) {
            poly.push(*p);
        }
    }
    if let Some(first) = poly.first().copied()
        && poly.last() != Some(&first)
    {
        poly.push(first);
    }
    let max_w = upper.iter().map(|p| p[1]).fold(0.0, f64::max);
    let mut area = 0.0;
    for w in poly.windows(2) {
        area += w[0][0] * w[1][1] - w[1][0] * w[0][1];
    }
    (poly, max_w, 0.5 * area.abs())
}

impl PlumeField {
    /// Builds the field of `source` in `weather` with `options` (validates everything). See
    /// the [module documentation](self) for the model choice.
    pub fn new(
        source: &DispersionSource,
        weather: &DispersionWeather,
        options: &DispersionOptions,
    ) -> Result<Self, QraError> {
        source.release.validate()?;
        let h = check_release_height(source.release_height_m)?;
        let rho_rel = source
            .release_density_kg_m3
            .map(|r| check_density("release_density_kg_m3", r))
            .transpose()?;
        let t_rel = source
            .release_temperature_k
            .map(check_release_temperature)
            .transpose()?;
        let mm = source.molar_mass_kg_mol.map(check_molar_mass).transpose()?;
        let u_ref = check_wind("wind_speed_m_s", weather.wind_speed_m_s)?;
        let z_ref = check_reference_height(weather.wind_reference_height_m)?;
        let ta = check_ambient_temperature(weather.ambient_temperature_k)?;
        let pa = check_ambient_pressure(weather.ambient_pressure_pa)?;
        let tav = check_averaging_time(options.averaging_time_s)?;
        let max_d = check(
            "max_distance_m",
            options.max_distance_m,
            "10 <= value <= 1e6",
            |v| (10.0..=1e6).contains(&v),
        )?;
        let g = check_gravity(options.gravity_m_s2)?;
        let rho_a = ambient_density(None, ta, pa)?;
        let terrain = options.sigma_set.terrain();
        let p = irwin_exponent(weather.stability, terrain);
        let u10 = finite_result(
            "dispersion_footprint",
            "wind_speed_10m_m_s",
            power_law(u_ref, z_ref, 10.0, p),
        )?;
        let u = finite_result(
            "dispersion_footprint",
            "transport_wind_speed_m_s",
            transport_wind(u_ref, z_ref, h, weather.stability, terrain),
        )?;
        let u10 = check_wind("wind_speed_10m_m_s", u10)?;
        // density of the pure released gas at ambient conditions
        let gas_density_ambient = match (mm, rho_rel) {
            (Some(mm), _) => Some(ideal_gas_density(mm, ta, pa)),
            (None, Some(rho)) => Some(rho * t_rel.unwrap_or(ta) / ta),
            (None, None) => None,
        };
        let criterion = match rho_rel {
            Some(rho) => Some(is_dense(
                &source.release,
                rho,
                rho_a,
                u10,
                g,
                options.dense_critical_value,
            )?),
            None => None,
        };
        let dense = match options.dense_gas {
            DenseGasChoice::Passive => false,
            DenseGasChoice::Auto => criterion.is_some_and(|c| c.dense),
            DenseGasChoice::Dense => true,
        };
        let duration = match source.release {
            Release::Continuous { duration_s, .. } => duration_s,
            Release::Instantaneous { .. } => None,
        };
        let cap = gas_density_ambient.unwrap_or(f64::MAX);
        let (kind, model) = if dense {
            let (rho, crit) = match (rho_rel, criterion) {
                (Some(r), Some(c)) => (r, c),
                _ => {
                    return Err(QraError::InvalidInput {
                        model: "dispersion_footprint",
                        message: "dense_gas = dense needs `release_density_kg_m3` / 重气模型需要 `release_density_kg_m3`".to_owned(),
                    });
                }
            };
            let g0 = crit.reduced_gravity_m_s2;
            if g0 <= 0.0 {
                return Err(QraError::OutOfRange {
                    field: "release_density_kg_m3",
                    value: rho,
                    expected: "value > ambient air density (dense gas)",
                });
            }
            let to_kg = gas_density_ambient.unwrap_or(rho);
            let t_ratio = t_rel.map_or(1.0, |t| t / ta);
            match source.release {
                Release::Continuous { mass_rate_kg_s, .. } => (
                    FieldKind::DensePlume {
                        bm: BritterMcQuaidPlume::new(mass_rate_kg_s / rho, g0, u10, 1.0, t_ratio),
                        to_kg,
                    },
                    DispersionModel::BritterMcQuaidPlume,
                ),
                Release::Instantaneous { mass_kg } => (
                    FieldKind::DensePuff {
                        bm: BritterMcQuaidPuff::new(mass_kg / rho, g0, u10, 1.0, t_ratio),
                        to_kg,
                    },
                    DispersionModel::BritterMcQuaidPuff,
                ),
            }
        } else {
            let (pk, amount, model) = match source.release {
                Release::Continuous {
                    mass_rate_kg_s,
                    duration_s: None,
                } => (
                    PassiveKind::Plume,
                    mass_rate_kg_s,
                    DispersionModel::GaussianPlume,
                ),
                Release::Continuous {
                    mass_rate_kg_s,
                    duration_s: Some(t),
                } => (
                    PassiveKind::Finite { duration_s: t },
                    mass_rate_kg_s,
                    DispersionModel::Palazzi,
                ),
                Release::Instantaneous { mass_kg } => {
                    (PassiveKind::Puff, mass_kg, DispersionModel::GaussianPuff)
                }
            };
            (
                FieldKind::Passive(Passive::new(
                    pk,
                    amount,
                    u,
                    h,
                    options.sigma_set,
                    weather.stability,
                    tav,
                )),
                model,
            )
        };
        Ok(PlumeField {
            kind,
            model,
            criterion,
            transport_wind: u,
            wind_10m: u10,
            cap,
            duration,
            max_distance: max_d,
            gas_density_ambient,
        })
    }

    /// The model used.
    pub fn model(&self) -> DispersionModel {
        self.model
    }

    /// The dense-gas criterion (when the release density was given).
    pub fn dense_criterion(&self) -> Option<DenseCriterion> {
        self.criterion
    }

    /// Transport wind of the Gaussian models, m/s.
    pub fn transport_wind_speed_m_s(&self) -> f64 {
        self.transport_wind
    }

    /// Wind speed at 10 m (Britter–McQuaid, criterion), m/s.
    pub fn wind_speed_10m_m_s(&self) -> f64 {
        self.wind_10m
    }

    /// Density of the pure released gas at ambient conditions, kg/m³, when known (the
    /// conversion of volume fractions and the cap of passive concentrations).
    pub fn gas_density_ambient_kg_m3(&self) -> Option<f64> {
        self.gas_density_ambient
    }

    /// Ground-level concentration (kg/m³) at (x, y) in the wind frame; for instantaneous
    /// releases the highest value over time. 0 upwind of the source (and outside a dense
    /// cloud) and for non-finite coordinates. Allocation-free.
    pub fn concentration_kg_m3(&self, x_m: f64, y_m: f64) -> f64 {
        if !x_m.is_finite() || !y_m.is_finite() {
            return 0.0;
        }
        match self.kind {
            FieldKind::Passive(p) => {
                if x_m <= 0.0 {
                    return 0.0;
                }
                let c = p.concentration(x_m.max(X_FLOOR), y_m).0;
                if c.is_nan() { 0.0 } else { c.min(self.cap) }
            }
            FieldKind::DensePlume { bm, to_kg } => bm.volume_fraction(x_m, y_m) * to_kg,
            FieldKind::DensePuff { bm, to_kg } => bm.peak_volume_fraction(x_m, y_m) * to_kg,
        }
    }

    /// Toxic load ∫(k·C)ⁿ dt at ground point (x, y), in (unit)ⁿ·s (see [`ToxicLoad`] and
    /// the [module documentation](self) for the per-model formulas). Allocation-free.
    pub fn toxic_load(&self, load: &ToxicLoad, x_m: f64, y_m: f64) -> f64 {
        if !x_m.is_finite() || !y_m.is_finite() {
            return 0.0;
        }
        let n = load.n;
        let k = load.scale;
        let cap_t = load.max_exposure_s;
        let exposure = |c: f64, t: f64| -> f64 { if c > 0.0 { (k * c).powf(n) * t } else { 0.0 } };
        let v = match self.kind {
            FieldKind::Passive(p) => {
                if x_m <= 0.0 {
                    return 0.0;
                }
                let x = x_m.max(X_FLOOR);
                match p.kind {
                    PassiveKind::Plume => exposure(self.concentration_kg_m3(x, y_m), cap_t),
                    PassiveKind::Finite { duration_s } => {
                        let (c_line, sy) = p.plume_line_steady(x);
                        let c = (c_line * (-y_m * y_m / (2.0 * sy * sy)).exp()).min(self.cap);
                        if c.is_nan() || c <= 0.0 {
                            return 0.0;
                        }
                        let scale_t = std::f64::consts::SQRT_2 * sy / p.u;
                        let kappa = duration_s.min(cap_t) / scale_t;
                        (k * c).powf(n) * scale_t * load.window_integral(kappa)
                    }
                    PassiveKind::Puff => {
                        let (c, sigma) = p.concentration(x, y_m);
                        let c = c.min(self.cap);
                        let passage = (2.0 * std::f64::consts::PI / n).sqrt() * sigma / p.u;
                        exposure(c, passage.min(cap_t))
                    }
                }
            }
            FieldKind::DensePlume { bm, to_kg } => {
                let t = self.duration.map_or(cap_t, |d| d.min(cap_t));
                exposure(bm.volume_fraction(x_m, y_m) * to_kg, t)
            }
            FieldKind::DensePuff { bm, to_kg } => match bm.covered_interval(x_m, y_m) {
                Some((t1, t2)) => {
                    let t_end = t2.min(t1 + cap_t);
                    if t_end <= t1 {
                        0.0
                    } else {
                        let integrand = |t: f64| {
                            let c = bm.volume_fraction_at_time(t) * to_kg;
                            if c > 0.0 { (k * c).powf(n) } else { 0.0 }
                        };
                        // split at the correlation nodes (kinks of c(t)), then in
                        // geometric panels (c(t) decays like a power of t)
                        let mut total = 0.0;
                        let mut a = t1;
                        let breaks = bm.correlation_breakpoint_times();
                        for b in breaks.iter().copied().chain(std::iter::once(t_end)) {
                            let b = b.min(t_end);
                            if b > a {
                                total += panels(a, b, integrand);
                                a = b;
                            }
                        }
                        total
                    }
                }
                None => 0.0,
            },
        };
        if v.is_finite() { v } else { 0.0 }
    }

    /// The threat zone of `threshold_kg_m3` with about `vertices` polygon vertices
    /// (clamped to 16 – 1000). Takes well under a millisecond.
    pub fn zone(&self, threshold_kg_m3: f64, vertices: usize) -> ThreatZone {
        if threshold_kg_m3.is_nan() || threshold_kg_m3 <= 0.0 || threshold_kg_m3 > self.cap {
            return ThreatZone::empty(threshold_kg_m3);
        }
        let half = (vertices.clamp(16, 1000) / 2).max(8);
        match self.kind {
            FieldKind::Passive(p) => self.passive_zone(&p, threshold_kg_m3, half),
            FieldKind::DensePlume { bm, to_kg } => {
                let target = threshold_kg_m3 / to_kg;
                let Some((x_end, truncated)) = bm.distance_to(target, self.max_distance) else {
                    return ThreatZone::empty(threshold_kg_m3);
                };
                let lu = bm.upwind_extent_m();
                let lh0 = bm.half_width_m(0.0);
                let mut upper = Vec::with_capacity(half + 4);
                upper.push([-lu, 0.0]);
                upper.push([-lu, lh0]);
                upper.push([0.0, lh0]);
                for i in 1..=half {
                    let x = station(0.0, x_end, i, half);
                    upper.push([x, bm.half_width_m(x)]);
                }
                upper.push([x_end, 0.0]);
                let (polygon, max_w, area) = symmetric_polygon(&upper);
                ThreatZone {
                    threshold_kg_m3,
                    reached: true,
                    max_distance_m: x_end,
                    min_distance_m: -lu,
                    max_half_width_m: max_w,
                    area_m2: area,
                    truncated,
                    polygon,
                }
            }
            FieldKind::DensePuff { bm, to_kg } => {
                let target = threshold_kg_m3 / to_kg;
                let t_max = bm.time_leading_edge_at(self.max_distance);
                let Some(t_end) = bm.time_to(target, t_max) else {
                    return ThreatZone::empty(threshold_kg_m3);
                };
                let truncated = t_end >= t_max;
                let (x_lo, x_hi) = bm.envelope_extent_m(t_end);
                let mut upper = Vec::with_capacity(half + 1);
                for i in 0..=half {
                    let x = station(x_lo, x_hi, i, half);
                    let w = if i == 0 || i == half {
                        0.0
                    } else {
                        bm.envelope_half_width_m(x, t_end)
                    };
                    upper.push([x, w]);
                }
                let (polygon, max_w, area) = symmetric_polygon(&upper);
                ThreatZone {
                    threshold_kg_m3,
                    reached: true,
                    max_distance_m: x_hi,
                    min_distance_m: x_lo,
                    max_half_width_m: max_w,
                    area_m2: area,
                    truncated,
                    polygon,
                }
            }
        }
    }

    fn passive_zone(&self, p: &Passive, threshold: f64, half: usize) -> ThreatZone {
        let ln_c = threshold.ln();
        let f = |x: f64| p.ln_centreline(x) - ln_c;
        const GRID: usize = 256;
        let x_lo: f64 = 0.01;
        let ratio = (self.max_distance / x_lo).ln() / (GRID - 1) as f64;
        let grid = |i: usize| x_lo * (ratio * i as f64).exp();
        let mut first = None;
        let mut last = None;
        for i in 0..GRID {
            let v = f(grid(i));
            if v >= 0.0 {
                if first.is_none() {
                    first = Some(i);
                }
                last = Some(i);
            }
        }
        let (Some(first), Some(last)) = (first, last) else {
            return ThreatZone::empty(threshold);
        };
        // boundary between a (inside, f ≥ 0) and b (outside), bisected in log x
        let refine = |inside: f64, outside: f64| {
            let (mut a, mut b) = (inside.ln(), outside.ln());
            for _ in 0..60 {
                let m = 0.5 * (a + b);
                if f(m.exp()) >= 0.0 {
                    a = m;
                } else {
                    b = m;
                }
            }
            a.exp()
        };
        let start = if first == 0 {
            0.0
        } else {
            refine(grid(first), grid(first - 1))
        };
        let truncated = last == GRID - 1;
        let end = if truncated {
            self.max_distance
        } else {
            refine(grid(last), grid(last + 1))
        };
        let mut upper = Vec::with_capacity(half + 2);
        for i in 0..=half {
            let x = station(start, end, i, half);
            let w = if i == 0 || (i == half && !truncated) {
                0.0
            } else {
                p.half_width(x.max(X_FLOOR), ln_c)
            };
            upper.push([x, w]);
        }
        if truncated {
            upper.push([end, 0.0]);
        }
        let (polygon, max_w, area) = symmetric_polygon(&upper);
        ThreatZone {
            threshold_kg_m3: threshold,
            reached: true,
            max_distance_m: end,
            min_distance_m: start,
            max_half_width_m: max_w,
            area_m2: area,
            truncated,
            polygon,
        }
    }
}

/// Input of [`dispersion_footprint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DispersionFootprintInput {
    /// The release.
    pub source: DispersionSource,
    /// The weather.
    pub weather: DispersionWeather,
    /// Model options (all defaulted).
    #[serde(default)]
    pub options: DispersionOptions,
    /// Concentration thresholds (at most 64).
    pub thresholds: Vec<ConcentrationThreshold>,
    /// Polygon vertices per zone (default 80; 16 – 1000).
    #[serde(default = "default_vertices")]
    pub polygon_vertices: usize,
}

fn default_vertices() -> usize {
    DEFAULT_POLYGON_VERTICES
}

/// One threat zone of [`dispersion_footprint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FootprintZone {
    /// The threshold's label, if any.
    pub label: Option<String>,
    /// The threshold as given.
    pub threshold_value: f64,
    /// Its unit.
    pub threshold_unit: ConcentrationUnit,
    /// The zone (threshold converted to kg/m³).
    pub zone: ThreatZone,
}

/// Output of [`dispersion_footprint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispersionFootprintOutput {
    /// The model used.
    pub model: DispersionModel,
    /// The dense-gas criterion (when the release density was given).
    pub dense_criterion: Option<DenseCriterion>,
    /// Transport wind of the Gaussian models, m/s.
    pub transport_wind_speed_m_s: f64,
    /// Wind at 10 m, m/s.
    pub wind_speed_10m_m_s: f64,
    /// One zone per threshold, in input order.
    pub zones: Vec<FootprintZone>,
}

/// Threat zones of a release in one weather: distances and polygons per threshold. See the
/// [module documentation](self).
pub fn dispersion_footprint(
    input: &DispersionFootprintInput,
) -> Result<DispersionFootprintOutput, QraError> {
    if input.thresholds.len() > MAX_THRESHOLDS {
        return Err(QraError::OutOfRange {
            field: "thresholds",
            value: input.thresholds.len() as f64,
            expected: "at most 64 thresholds",
        });
    }
    let vertices = input.polygon_vertices;
    if !(16..=1000).contains(&vertices) {
        return Err(QraError::OutOfRange {
            field: "polygon_vertices",
            value: vertices as f64,
            expected: "16 <= value <= 1000",
        });
    }
    let field = PlumeField::new(&input.source, &input.weather, &input.options)?;
    let mut zones = Vec::with_capacity(input.thresholds.len());
    for t in &input.thresholds {
        let kg = concentration_to_kg_m3(
            t.value,
            t.unit,
            input.source.molar_mass_kg_mol,
            input.weather.ambient_temperature_k,
            input.weather.ambient_pressure_pa,
        )?;
        zones.push(FootprintZone {
            label: t.label.clone(),
            threshold_value: t.value,
            threshold_unit: t.unit,
            zone: field.zone(kg, vertices),
        });
    }
    Ok(DispersionFootprintOutput {
        model: field.model(),
        dense_criterion: field.dense_criterion(),
        transport_wind_speed_m_s: field.transport_wind_speed_m_s(),
        wind_speed_10m_m_s: field.wind_speed_10m_m_s(),
        zones,
    })
}

/// The models of this module, for [`crate::run_model`].
pub(crate) const MODELS: &[ModelEntry] = &[
    ModelEntry {
        name: "gaussian_plume",
        description: "Gaussian plume with ground reflection; Briggs rural/urban, TNO or Spicer-Havens/Seinfeld sigma; power-law wind / 高斯烟羽模型（地面反射；Briggs 乡村/城市、TNO 或 Spicer-Havens/Seinfeld 扩散参数；幂律风廓线）",
        run: |v| crate::run_json("gaussian_plume", v, gaussian_plume),
    },
    ModelEntry {
        name: "wind_profile",
        description: "Power-law wind profile with Irwin exponents, rural or urban / 幂律风廓线（Irwin 指数，乡村或城市）",
        run: |v| crate::run_json("wind_profile", v, wind_profile),
    },
    ModelEntry {
        name: "briggs_plume_rise",
        description: "Briggs buoyant plume rise: buoyancy flux, final and transitional rise / Briggs 浮力烟气抬升：浮力通量、最终与过渡抬升高度",
        run: |v| crate::run_json("briggs_plume_rise", v, briggs_plume_rise),
    },
    ModelEntry {
        name: "palazzi_puff",
        description: "Palazzi finite-duration (short-duration) Gaussian release / Palazzi 有限时长（短时）高斯泄漏扩散",
        run: |v| crate::run_json("palazzi_puff", v, palazzi_puff),
    },
    ModelEntry {
        name: "dispersion_footprint",
        description: "Threat zones of a release: distance and polygon per concentration threshold, passive (Gaussian) or dense (Britter-McQuaid) / 泄漏影响区：各浓度阈值的影响距离与多边形（高斯中性气体或 Britter-McQuaid 重气）",
        run: |v| crate::run_json("dispersion_footprint", v, dispersion_footprint),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_fast_is_within_3e_7_relative_of_erf() {
        let mut worst: f64 = 0.0;
        for i in 0..=60_000 {
            let x = -6.0 + 12.0 * f64::from(i) / 60_000.0;
            if x == 0.0 {
                continue;
            }
            let rel = ((erf_fast(x) - erf(x)) / erf(x)).abs();
            worst = worst.max(rel);
        }
        assert!(worst < 3e-7, "worst relative error {worst:e}");
        assert!(erf_fast(f64::NAN).is_nan());
    }

    #[test]
    fn ccps_puff_table_is_the_one_of_puff_rs() {
        for s in Stability::ALL {
            let (a, b, c, d) = ccps_puff(s);
            for x in [1.2, 100.0, 3000.0] {
                let (sy, sz) = crate::puff::ccps_puff_sigma(s, x).expect("sigma");
                assert!((a * f64::powf(x, b) - sy).abs() <= 1e-12 * sy, "{s:?}");
                assert!((c * f64::powf(x, d) - sz).abs() <= 1e-12 * sz, "{s:?}");
            }
        }
    }

    #[test]
    fn window_integral_limits() {
        // n = 1: G(κ) = κ exactly (mass conservation)
        let load = ToxicLoad::new(1.0, 1.0, 1e6).expect("load");
        for kappa in [1e-3, 0.05, 0.7, 3.0, 40.0, 500.0] {
            let g = load.window_integral(kappa);
            assert!((g - kappa).abs() <= 2e-3 * kappa, "κ = {kappa}: G = {g}");
        }
        // n = 2, large κ: G ≈ κ − 2·E with a finite edge correction; small κ: asymptote
        let load = ToxicLoad::new(2.0, 1.0, 1e6).expect("load");
        let direct = window_power_integral(50.0, 2.0);
        assert!((load.window_integral(50.0) - direct).abs() <= 1e-3 * direct);
        let small = window_power_integral(0.01, 2.0);
        assert!((load.window_integral(0.0099) / small - (0.99f64).powi(2)).abs() < 1e-3);
    }
}
