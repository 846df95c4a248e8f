//! 重气扩散 — dense-gas dispersion: the Britter–McQuaid workbook correlations for continuous
//! (plume) and instantaneous (puff) ground-level releases, and the CCPS density criterion
//! that tells when a release is dense (重气判据).
//!
//! # Sources
//!
//! Britter, R. E. & McQuaid, J. (1988) *Workbook on the Dispersion of Dense Gases*, HSE
//! Contract Research Report 17/1988; CCPS (1999) *Guidelines for Consequence Analysis of
//! Chemical Releases* (piecewise-linear fits of the workbook figures, the criterion of
//! §11.1); as implemented and tested in GasDispersion.jl (`aefarrell/GasDispersion.jl`
//! 27ac300, MIT; "GD" below). weihua reference `shared/reference/qra-consequence.md` §11.
//! The code here is written from those equations, not copied.
//!
//! # Density criterion (§11.1)
//!
//! With g₀ = g(ρ₀ − ρ_a)/ρ_a and the 10 m wind speed u:
//!
//! - continuous, volumetric rate q₀ = ṁ/ρ₀, D = √(q₀/u): dense when
//!   (g₀ q₀ / (u³ D))^(1/3) ≥ 0.15;
//! - instantaneous, volume V₀ = m/ρ₀: dense when √(g₀ V₀^(1/3)) / u ≥ 0.20.
//!
//! The critical values 0.15 and 0.20 are the CCPS ones; the reference marks them
//! unconfirmed, so they are inputs ([`DEFAULT_CONTINUOUS_CRITICAL`],
//! [`DEFAULT_INSTANTANEOUS_CRITICAL`]). A release no denser than air (g₀ ≤ 0) is never dense.
//!
//! # Continuous release (§11.2)
//!
//! - D = √(q₀/u₁₀), α = 0.2·log₁₀(g₀² q₀ / u₁₀⁵), x′ = x/D, β = log₁₀ x′.
//! - For C_m/C₀ ∈ {0.10, 0.05, 0.02, 0.01, 0.005, 0.002} the workbook curve gives β(α),
//!   piecewise linear ([`britter_mcquaid_plume_betas`]).
//! - Near field: C_m/C₀ = 306/(306 + x′²) for x′ ≤ 30. When the 0.10 curve lies beyond
//!   x′ = 30 the point (log₁₀ 30, 306/1206) starts the interpolation; otherwise (large α)
//!   the near field ends at the 0.10 curve, as in GD (a small downward step there).
//! - Between: C_m/C₀ is linear in β between the curve points (equivalently β is linear in
//!   C_m/C₀, the workbook's reading of its figure).
//! - Beyond the 0.002 curve: C_m/C₀ = A/x′², with A = 0.002·x′_ff² (continuous there).
//! - Plume shape (GD, from the workbook): l_b = g₀q₀/u³; upwind extent L_U = D/2 + 2l_b;
//!   half-width L_H(x) = D + 8l_b + 2.5(l_b x²)^(1/3) for x ≥ 0 and D + 8l_b upwind;
//!   height L_V = D²/(2 L_H c′).
//!
//! # Instantaneous release (§11.3)
//!
//! - α = 0.5·log₁₀(g₀ V₀^(1/3) / u₁₀²); curves for C_m/C₀ ∈ {0.10 … 0.001}
//!   ([`britter_mcquaid_puff_betas`]).
//! - Cloud centre x_c = 0.4 u₁₀ t, radius R² = R₀² + 1.2 √(g₀V₀) t, R₀ = (3V₀/4π)^(1/3); the
//!   cloud is a uniform cylinder of height H = V₀/(c′πR²).
//! - x′ = (x_c + R)/V₀^(1/3) (the leading edge). Near field (x′ up to the 0.10 curve):
//!   C_m/C₀ = max(3.24/(3.24 + x′²), 0.10); interpolation as for the plume; far field A/x′²
//!   beyond the 0.001 curve.
//!
//! # Non-isothermal correction and initial concentration
//!
//! The correlations give the isothermal ratio c′. With T′ = T_release/T_ambient the
//! concentration is c = c′/(c′ + (1 − c′)T′) (CCPS; applied only when a release temperature
//! is given), times the initial volume fraction C₀ (1 for a pure released gas). The result
//! is a volume fraction; to convert to kg/m³ it is multiplied by the density of the pure
//! released gas at ambient temperature and pressure (P·M/(R·T_a), needing its molar mass).
//!
//! # Validity and assumptions
//!
//! - Ground-level releases, flat unobstructed terrain; the correlations are ensemble means of
//!   the maximum ground-level concentration at x. Elevated dense releases are treated as
//!   ground-level (conservative).
//! - The workbook figures span −1 ≤ α ≤ 1. Outside it α is **clamped** to [−1, 1]
//!   (**assumed**; GD extrapolates the last pieces linearly, which reorders the curves above
//!   α ≈ 1.6 for puffs and α ≈ 3 for plumes). The raw α is reported with a flag.
//! - Far-field x′⁻² decay beyond the last curve is an extrapolation (GD does the same); the
//!   cloud is then no longer dense and a passive model would apply.
//! - Gravity g = [`STANDARD_GRAVITY`] 9.80665 m/s² by default (GD uses 9.80616); an input.
//! - Ambient air density: ideal-gas dry air, M = 0.02896 kg/mol (as GD), unless given.
//!
//! Accepted inputs (assumed bounds, refused outside): mass rate 0 < ṁ ≤ 1e6 kg/s; mass
//! 0 < m ≤ 1e9 kg; densities 0 < ρ ≤ 2e4 kg/m³; wind 0 < u₁₀ ≤ 100 m/s; release
//! temperature 10 – 2000 K; ambient temperature 200 – 350 K; ambient pressure
//! 50 – 120 kPa; molar mass 0.001 – 1 kg/mol; 0 < C₀ ≤ 1; 9 ≤ g ≤ 10 m/s²; |x|, |y| ≤ 1e6 m;
//! 0 ≤ z ≤ 1e4 m; 0 ≤ t ≤ 1e7 s.

use serde::{Deserialize, Serialize};

use crate::ModelEntry;
use crate::error::{QraError, check, finite_result};

/// Standard gravity, m/s² (default of every `gravity_m_s2` input).
pub const STANDARD_GRAVITY: f64 = 9.80665;
/// Universal gas constant, J/(mol·K) (CODATA 2018, as GD).
pub const GAS_CONSTANT: f64 = 8.314_462_618_153_24;
/// Molar mass of dry air, kg/mol (as GD's dry air).
pub const AIR_MOLAR_MASS: f64 = 0.028_96;
/// Default ambient temperature, K (**assumed**: 25 °C).
pub const DEFAULT_AMBIENT_TEMPERATURE_K: f64 = 298.15;
/// Default ambient pressure, Pa.
pub const DEFAULT_AMBIENT_PRESSURE_PA: f64 = 101_325.0;
/// CCPS critical value of (g₀q₀/(u³D))^(1/3) for a continuous release to be dense.
pub const DEFAULT_CONTINUOUS_CRITICAL: f64 = 0.15;
/// CCPS critical value of √(g₀V₀^(1/3))/u for an instantaneous release to be dense.
pub const DEFAULT_INSTANTANEOUS_CRITICAL: f64 = 0.20;

/// C_m/C₀ of the six Britter–McQuaid plume curves, in the order of
/// [`britter_mcquaid_plume_betas`].
pub const PLUME_CONCENTRATION_RATIOS: [f64; 6] = [0.10, 0.05, 0.02, 0.01, 0.005, 0.002];
/// C_m/C₀ of the seven Britter–McQuaid puff curves, in the order of
/// [`britter_mcquaid_puff_betas`].
pub const PUFF_CONCENTRATION_RATIOS: [f64; 7] = [0.10, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001];

/// Range of α covered by the workbook figures; α is clamped to it.
pub const ALPHA_RANGE: (f64, f64) = (-1.0, 1.0);

/// Plume near-field correlation constant: C/C₀ = 306/(306 + x′²).
const PLUME_NEAR: f64 = 306.0;
/// Plume near-field limit x′ = 30.
const PLUME_NEAR_LIMIT: f64 = 30.0;
/// Puff near-field correlation constant: C/C₀ = 3.24/(3.24 + x′²).
const PUFF_NEAR: f64 = 3.24;

/// One piece of a workbook curve: valid for α ≤ `upper` (the last piece for all α),
/// β = `slope`·α + `intercept`.
type Piece = (f64, f64, f64);

/// The plume curves (reference §11.2 table), one list of pieces per C_m/C₀.
const PLUME_CURVES: [&[Piece]; 6] = [
    &[
        (-0.55, 0.0, 1.75),
        (-0.14, 0.24, 1.88),
        (f64::INFINITY, -0.50, 1.78),
    ],
    &[
        (-0.68, 0.0, 1.92),
        (-0.29, 0.36, 2.16),
        (-0.18, 0.0, 2.06),
        (f64::INFINITY, -0.56, 1.96),
    ],
    &[
        (-0.69, 0.0, 2.08),
        (-0.31, 0.45, 2.39),
        (-0.16, 0.0, 2.25),
        (f64::INFINITY, -0.54, 2.16),
    ],
    &[
        (-0.70, 0.0, 2.25),
        (-0.29, 0.49, 2.59),
        (-0.20, 0.0, 2.45),
        (f64::INFINITY, -0.52, 2.35),
    ],
    &[
        (-0.67, 0.0, 2.40),
        (-0.28, 0.59, 2.80),
        (-0.15, 0.0, 2.63),
        (f64::INFINITY, -0.48, 2.56),
    ],
    &[
        (-0.69, 0.0, 2.60),
        (-0.25, 0.39, 2.87),
        (-0.13, 0.0, 2.77),
        (f64::INFINITY, -0.50, 2.71),
    ],
];

/// The puff curves (reference §11.3 table), one list of pieces per C_m/C₀.
const PUFF_CURVES: [&[Piece]; 7] = [
    &[
        (-0.44, 0.0, 0.70),
        (0.43, 0.26, 0.81),
        (f64::INFINITY, 0.0, 0.93),
    ],
    &[
        (-0.56, 0.0, 0.85),
        (0.31, 0.26, 1.00),
        (f64::INFINITY, -0.12, 1.12),
    ],
    &[
        (-0.66, 0.0, 0.95),
        (0.32, 0.36, 1.19),
        (f64::INFINITY, -0.26, 1.38),
    ],
    &[
        (-0.71, 0.0, 1.15),
        (0.37, 0.34, 1.39),
        (f64::INFINITY, -0.38, 1.66),
    ],
    &[
        (-0.52, 0.0, 1.48),
        (0.24, 0.26, 1.62),
        (f64::INFINITY, -0.30, 1.75),
    ],
    &[(0.27, 0.0, 1.83), (f64::INFINITY, -0.32, 1.92)],
    &[(-0.10, 0.0, 2.075), (f64::INFINITY, -0.27, 2.05)],
];

fn curve(pieces: &[Piece], alpha: f64) -> f64 {
    let (_, slope, intercept) = pieces
        .iter()
        .find(|(upper, _, _)| alpha <= *upper)
        .or(pieces.last())
        .copied()
        .unwrap_or((0.0, 0.0, 0.0));
    slope * alpha + intercept
}

/// β = log₁₀(x/D) of the six plume curves (C_m/C₀ = [`PLUME_CONCENTRATION_RATIOS`]) at α,
/// evaluated as written (no clamping: pass a clamped α for model use).
pub fn britter_mcquaid_plume_betas(alpha: f64) -> [f64; 6] {
    PLUME_CURVES.map(|c| curve(c, alpha))
}

/// β = log₁₀(x′) of the seven puff curves (C_m/C₀ = [`PUFF_CONCENTRATION_RATIOS`]) at α,
/// evaluated as written (no clamping).
pub fn britter_mcquaid_puff_betas(alpha: f64) -> [f64; 7] {
    PUFF_CURVES.map(|c| curve(c, alpha))
}

/// Density of ideal-gas dry air (M = 0.02896 kg/mol), kg/m³.
pub fn dry_air_density(temperature_k: f64, pressure_pa: f64) -> f64 {
    pressure_pa * AIR_MOLAR_MASS / (GAS_CONSTANT * temperature_k)
}

/// Density of a pure ideal gas of molar mass `molar_mass_kg_mol`, kg/m³.
pub fn ideal_gas_density(molar_mass_kg_mol: f64, temperature_k: f64, pressure_pa: f64) -> f64 {
    pressure_pa * molar_mass_kg_mol / (GAS_CONSTANT * temperature_k)
}

/// A release, for the density criterion and the dispersion footprints.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Release {
    /// Continuous release at a constant rate (连续泄漏).
    Continuous {
        /// Mass rate, kg/s.
        mass_rate_kg_s: f64,
        /// Duration, s; absent = steady (long enough to be a plume everywhere).
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// Instantaneous release (瞬时泄漏).
    Instantaneous {
        /// Mass released, kg.
        mass_kg: f64,
    },
}

impl Release {
    /// Validates the release's numbers (assumed bounds of the module documentation;
    /// duration 0 < T ≤ 1e7 s).
    pub fn validate(&self) -> Result<(), QraError> {
        match *self {
            Release::Continuous {
                mass_rate_kg_s,
                duration_s,
            } => {
                check_mass_rate(mass_rate_kg_s)?;
                if let Some(t) = duration_s {
                    check("duration_s", t, "0 < value <= 1e7", |v| v > 0.0 && v <= 1e7)?;
                }
            }
            Release::Instantaneous { mass_kg } => {
                check_mass(mass_kg)?;
            }
        }
        Ok(())
    }
}

pub(crate) fn check_mass_rate(v: f64) -> Result<f64, QraError> {
    check("mass_rate_kg_s", v, "0 < value <= 1e6", |v| {
        v > 0.0 && v <= 1e6
    })
}

pub(crate) fn check_mass(v: f64) -> Result<f64, QraError> {
    check("mass_kg", v, "0 < value <= 1e9", |v| v > 0.0 && v <= 1e9)
}

pub(crate) fn check_density(field: &'static str, v: f64) -> Result<f64, QraError> {
    check(field, v, "0 < value <= 2e4", |v| v > 0.0 && v <= 2e4)
}

pub(crate) fn check_wind(field: &'static str, v: f64) -> Result<f64, QraError> {
    check(field, v, "0 < value <= 100", |v| v > 0.0 && v <= 100.0)
}

pub(crate) fn check_ambient_temperature(v: f64) -> Result<f64, QraError> {
    check("ambient_temperature_k", v, "200 <= value <= 350", |v| {
        (200.0..=350.0).contains(&v)
    })
}

pub(crate) fn check_release_temperature(v: f64) -> Result<f64, QraError> {
    check("release_temperature_k", v, "10 <= value <= 2000", |v| {
        (10.0..=2000.0).contains(&v)
    })
}

pub(crate) fn check_ambient_pressure(v: f64) -> Result<f64, QraError> {
    check("ambient_pressure_pa", v, "5e4 <= value <= 1.2e5", |v| {
        (5e4..=1.2e5).contains(&v)
    })
}

pub(crate) fn check_molar_mass(v: f64) -> Result<f64, QraError> {
    check("molar_mass_kg_mol", v, "0.001 <= value <= 1", |v| {
        (0.001..=1.0).contains(&v)
    })
}

pub(crate) fn check_gravity(v: f64) -> Result<f64, QraError> {
    check("gravity_m_s2", v, "9 <= value <= 10", |v| {
        (9.0..=10.0).contains(&v)
    })
}

fn check_distance(field: &'static str, v: f64) -> Result<f64, QraError> {
    check(field, v, "-1e6 <= value <= 1e6", |v| {
        (-1e6..=1e6).contains(&v)
    })
}

fn check_height(v: f64) -> Result<f64, QraError> {
    check("z_m", v, "0 <= value <= 1e4", |v| (0.0..=1e4).contains(&v))
}

fn default_ambient_temperature() -> f64 {
    DEFAULT_AMBIENT_TEMPERATURE_K
}
fn default_ambient_pressure() -> f64 {
    DEFAULT_AMBIENT_PRESSURE_PA
}
fn default_gravity() -> f64 {
    STANDARD_GRAVITY
}
fn default_one() -> f64 {
    1.0
}

/// Result of the density criterion ([`is_dense`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DenseCriterion {
    /// Reduced gravity g₀ = g(ρ₀ − ρ_a)/ρ_a, m/s².
    pub reduced_gravity_m_s2: f64,
    /// The criterion's value: (g₀q₀/(u³D))^(1/3) (continuous) or √(g₀V₀^(1/3))/u
    /// (instantaneous); 0 when g₀ ≤ 0.
    pub value: f64,
    /// The critical value it is compared with.
    pub critical_value: f64,
    /// `value >= critical_value` (and g₀ > 0).
    pub dense: bool,
}

/// CCPS density criterion (reference §11.1) for a release of density `release_density`
/// into air of density `ambient_density` with 10 m wind `wind_speed_10m`. `critical` is the
/// critical value (`None`: [`DEFAULT_CONTINUOUS_CRITICAL`] or
/// [`DEFAULT_INSTANTANEOUS_CRITICAL`]). The duration of a continuous release is ignored.
pub fn is_dense(
    release: &Release,
    release_density_kg_m3: f64,
    ambient_density_kg_m3: f64,
    wind_speed_10m_m_s: f64,
    gravity_m_s2: f64,
    critical: Option<f64>,
) -> Result<DenseCriterion, QraError> {
    release.validate()?;
    let rho = check_density("release_density_kg_m3", release_density_kg_m3)?;
    let rho_a = check_density("ambient_density_kg_m3", ambient_density_kg_m3)?;
    let u = check_wind("wind_speed_10m_m_s", wind_speed_10m_m_s)?;
    let g = check_gravity(gravity_m_s2)?;
    let g0 = g * (rho - rho_a) / rho_a;
    let (value, default_critical) = match *release {
        Release::Continuous { mass_rate_kg_s, .. } => {
            let q0 = mass_rate_kg_s / rho;
            let d = (q0 / u).sqrt();
            let v = if g0 > 0.0 {
                (g0 * q0 / (u.powi(3) * d)).cbrt()
            } else {
                0.0
            };
            (v, DEFAULT_CONTINUOUS_CRITICAL)
        }
        Release::Instantaneous { mass_kg } => {
            let v0 = mass_kg / rho;
            let v = if g0 > 0.0 {
                (g0 * v0.cbrt()).sqrt() / u
            } else {
                0.0
            };
            (v, DEFAULT_INSTANTANEOUS_CRITICAL)
        }
    };
    let critical = match critical {
        Some(c) => check("critical_value", c, "0 < value <= 10", |v| {
            v > 0.0 && v <= 10.0
        })?,
        None => default_critical,
    };
    let value = finite_result("dense_gas_criterion", "value", value)?;
    Ok(DenseCriterion {
        reduced_gravity_m_s2: g0,
        value,
        critical_value: critical,
        dense: g0 > 0.0 && value >= critical,
    })
}

/// Input of [`dense_gas_criterion`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DenseGasCriterionInput {
    /// The release (`{"continuous": {"mass_rate_kg_s": …}}` or
    /// `{"instantaneous": {"mass_kg": …}}`).
    pub release: Release,
    /// Density of the released material at the source (gas, or gas–aerosol cloud), kg/m³.
    pub release_density_kg_m3: f64,
    /// Wind speed at 10 m, m/s.
    pub wind_speed_10m_m_s: f64,
    /// Ambient temperature, K (default 298.15, **assumed**).
    #[serde(default = "default_ambient_temperature")]
    pub ambient_temperature_k: f64,
    /// Ambient pressure, Pa (default 101325).
    #[serde(default = "default_ambient_pressure")]
    pub ambient_pressure_pa: f64,
    /// Ambient air density, kg/m³ (default: dry air at the ambient temperature and pressure).
    #[serde(default)]
    pub ambient_density_kg_m3: Option<f64>,
    /// Critical value (default 0.15 continuous, 0.20 instantaneous, CCPS).
    #[serde(default)]
    pub critical_value: Option<f64>,
    /// Gravity, m/s² (default 9.80665).
    #[serde(default = "default_gravity")]
    pub gravity_m_s2: f64,
}

/// CCPS dense-gas criterion as a model (see [`is_dense`]).
pub fn dense_gas_criterion(input: &DenseGasCriterionInput) -> Result<DenseCriterion, QraError> {
    let rho_a = ambient_density(
        input.ambient_density_kg_m3,
        input.ambient_temperature_k,
        input.ambient_pressure_pa,
    )?;
    is_dense(
        &input.release,
        input.release_density_kg_m3,
        rho_a,
        input.wind_speed_10m_m_s,
        input.gravity_m_s2,
        input.critical_value,
    )
}

/// Ambient air density: the given one, or dry air at (T, P); validates T and P.
pub(crate) fn ambient_density(
    given: Option<f64>,
    temperature_k: f64,
    pressure_pa: f64,
) -> Result<f64, QraError> {
    let t = check_ambient_temperature(temperature_k)?;
    let p = check_ambient_pressure(pressure_pa)?;
    match given {
        Some(rho) => check_density("ambient_density_kg_m3", rho),
        None => Ok(dry_air_density(t, p)),
    }
}

/// Piecewise-linear interpolation of the ratio C_m/C₀ over β through `n` nodes sorted by
/// increasing β (decreasing ratio). Outside the nodes the end values are held.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Nodes {
    beta: [f64; 8],
    ratio: [f64; 8],
    n: usize,
}

impl Nodes {
    fn new() -> Self {
        Nodes {
            beta: [0.0; 8],
            ratio: [0.0; 8],
            n: 0,
        }
    }

    fn push(&mut self, beta: f64, ratio: f64) {
        if self.n < 8 {
            self.beta[self.n] = beta;
            self.ratio[self.n] = ratio;
            self.n += 1;
        }
    }

    fn first_beta(&self) -> f64 {
        self.beta[0]
    }

    fn last_beta(&self) -> f64 {
        self.beta[self.n.saturating_sub(1)]
    }

    fn last_ratio(&self) -> f64 {
        self.ratio[self.n.saturating_sub(1)]
    }

    fn eval(&self, beta: f64) -> f64 {
        let n = self.n;
        if n == 0 {
            return 0.0;
        }
        if beta <= self.beta[0] {
            return self.ratio[0];
        }
        for i in 1..n {
            if beta <= self.beta[i] {
                let (b0, b1) = (self.beta[i - 1], self.beta[i]);
                let (r0, r1) = (self.ratio[i - 1], self.ratio[i]);
                let span = b1 - b0;
                if span <= 0.0 {
                    return r1;
                }
                return r0 + (r1 - r0) * (beta - b0) / span;
            }
        }
        self.ratio[n - 1]
    }
}

/// The non-isothermal correction c = c′/(c′ + (1 − c′)T′), T′ = T_release/T_ambient.
fn temperature_corrected(ratio: f64, t_ratio: f64) -> f64 {
    if ratio <= 0.0 {
        return 0.0;
    }
    ratio / (ratio + (1.0 - ratio) * t_ratio)
}

/// Which part of the correlation gave the concentration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrelationRegion {
    /// Upwind of the source or the near-field correlation.
    NearField,
    /// Interpolation between the workbook curves.
    Interpolated,
    /// Beyond the last curve, C ∝ x′⁻².
    FarField,
    /// Outside the cloud (concentration 0).
    Outside,
}

/// A Britter–McQuaid continuous ground-level release, prepared once for fast evaluation
/// (no allocation; `Copy`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BritterMcQuaidPlume {
    alpha: f64,
    alpha_used: f64,
    c0: f64,
    t_ratio: f64,
    d: f64,
    lb: f64,
    xnf: f64,
    xff: f64,
    far_constant: f64,
    nodes: Nodes,
    reduced_gravity: f64,
    volumetric_rate: f64,
}

impl BritterMcQuaidPlume {
    /// Prepares the plume: `volumetric_rate_m3_s` q₀ at the release density, reduced gravity
    /// g₀ > 0 (m/s²), 10 m wind `u10`, initial volume fraction `c0` and T′ = T_r/T_a (1 for
    /// no correction). Inputs are assumed validated (non-finite inputs give a plume whose
    /// concentrations are 0 or non-finite; [`britter_mcquaid_plume`] validates).
    pub fn new(
        volumetric_rate_m3_s: f64,
        reduced_gravity: f64,
        u10: f64,
        c0: f64,
        t_ratio: f64,
    ) -> Self {
        let q0 = volumetric_rate_m3_s;
        let g0 = reduced_gravity;
        let d = (q0 / u10).sqrt();
        let alpha = 0.2 * (g0 * g0 * q0 / u10.powi(5)).log10();
        let alpha_used = if alpha.is_nan() {
            0.0
        } else {
            alpha.clamp(ALPHA_RANGE.0, ALPHA_RANGE.1)
        };
        let betas = britter_mcquaid_plume_betas(alpha_used);
        let mut nodes = Nodes::new();
        let min_beta = betas.iter().copied().fold(f64::INFINITY, f64::min);
        let near_beta = PLUME_NEAR_LIMIT.log10();
        let xnf = if near_beta < min_beta {
            nodes.push(
                near_beta,
                PLUME_NEAR / (PLUME_NEAR + PLUME_NEAR_LIMIT * PLUME_NEAR_LIMIT),
            );
            PLUME_NEAR_LIMIT
        } else {
            10f64.powf(min_beta)
        };
        // The curves are strictly ordered for -1.2 <= alpha <= 1.2 (checked in the tests),
        // so they are already sorted by beta.
        for (beta, ratio) in betas.iter().zip(PLUME_CONCENTRATION_RATIOS) {
            nodes.push(*beta, ratio);
        }
        let xff = 10f64.powf(nodes.last_beta());
        let far_constant = nodes.last_ratio() * xff * xff;
        BritterMcQuaidPlume {
            alpha,
            alpha_used,
            c0,
            t_ratio,
            d,
            lb: q0 * g0 / u10.powi(3),
            xnf,
            xff,
            far_constant,
            nodes,
            reduced_gravity: g0,
            volumetric_rate: q0,
        }
    }

    /// α = 0.2·log₁₀(g₀²q₀/u₁₀⁵) as computed (before clamping).
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// Whether α was outside [−1, 1] and clamped.
    pub fn alpha_clamped(&self) -> bool {
        self.alpha != self.alpha_used
    }
    /// Length scale D = √(q₀/u₁₀), m.
    pub fn length_scale_m(&self) -> f64 {
        self.d
    }
    /// Buoyancy length scale l_b = g₀q₀/u₁₀³, m.
    pub fn buoyancy_length_m(&self) -> f64 {
        self.lb
    }
    /// End of the near-field correlation, m (x′_nf·D).
    pub fn near_field_limit_m(&self) -> f64 {
        self.xnf * self.d
    }
    /// Start of the far-field x′⁻² law, m.
    pub fn far_field_start_m(&self) -> f64 {
        self.xff * self.d
    }
    /// Upwind extent L_U = D/2 + 2l_b, m.
    pub fn upwind_extent_m(&self) -> f64 {
        0.5 * self.d + 2.0 * self.lb
    }
    /// Crosswind half-width L_H at downwind distance `x_m` (L_H0 = D + 8l_b upwind), m.
    pub fn half_width_m(&self, x_m: f64) -> f64 {
        let lh0 = self.d + 8.0 * self.lb;
        if x_m > 0.0 {
            lh0 + 2.5 * (self.lb * x_m * x_m).cbrt()
        } else {
            lh0
        }
    }
    /// Initial volume fraction C₀.
    pub fn initial_volume_fraction(&self) -> f64 {
        self.c0
    }
    /// Volumetric release rate q₀, m³/s.
    pub fn volumetric_rate_m3_s(&self) -> f64 {
        self.volumetric_rate
    }
    /// Reduced gravity g₀, m/s².
    pub fn reduced_gravity_m_s2(&self) -> f64 {
        self.reduced_gravity
    }

    /// Isothermal C_m/C₀ at x′ = x/D, with the region that gave it.
    fn ratio(&self, xp: f64) -> (f64, CorrelationRegion) {
        if xp <= self.xnf {
            let r = if xp > 0.0 {
                PLUME_NEAR / (PLUME_NEAR + xp * xp)
            } else {
                1.0
            };
            (r, CorrelationRegion::NearField)
        } else if xp < self.xff {
            (self.nodes.eval(xp.log10()), CorrelationRegion::Interpolated)
        } else {
            (self.far_constant / (xp * xp), CorrelationRegion::FarField)
        }
    }

    /// Centre-line (maximum ground-level) volume fraction at downwind distance `x_m`, with
    /// the temperature correction and C₀; C₀ upwind to −L_U, 0 beyond.
    pub fn centreline_volume_fraction(&self, x_m: f64) -> f64 {
        self.centreline(x_m).0
    }

    fn centreline(&self, x_m: f64) -> (f64, CorrelationRegion) {
        if x_m.is_nan() || x_m < -self.upwind_extent_m() {
            return (0.0, CorrelationRegion::Outside);
        }
        let (r, region) = self.ratio(x_m / self.d);
        (self.c0 * temperature_corrected(r, self.t_ratio), region)
    }

    /// Ground-level volume fraction at (x, y): the centre-line value inside the half-width
    /// L_H(x) (uniform across it, GD's rule), 0 outside.
    pub fn volume_fraction(&self, x_m: f64, y_m: f64) -> f64 {
        if y_m.is_nan() || y_m.abs() > self.half_width_m(x_m) {
            return 0.0;
        }
        self.centreline_volume_fraction(x_m)
    }

    /// Largest downwind distance (m) at which the centre-line volume fraction is at least
    /// `volume_fraction`, searched up to `max_distance_m`; `None` when even the source
    /// concentration is lower. The second value says whether the search hit
    /// `max_distance_m`.
    pub fn distance_to(&self, volume_fraction: f64, max_distance_m: f64) -> Option<(f64, bool)> {
        if volume_fraction.is_nan() || volume_fraction <= 0.0 || volume_fraction > self.c0 {
            return None;
        }
        if self.centreline_volume_fraction(max_distance_m) >= volume_fraction {
            return Some((max_distance_m, true));
        }
        // The centre-line value is non-increasing in x: bisect on the boundary of the set
        // {c >= target}.
        let (mut lo, mut hi) = (0.0, max_distance_m);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if self.centreline_volume_fraction(mid) >= volume_fraction {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some((lo, false))
    }
}

/// A Britter–McQuaid instantaneous ground-level release, prepared once (`Copy`, no
/// allocation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BritterMcQuaidPuff {
    alpha: f64,
    alpha_used: f64,
    c0: f64,
    t_ratio: f64,
    v0: f64,
    v13: f64,
    r0: f64,
    spread: f64,
    advection: f64,
    xnf: f64,
    xff: f64,
    far_constant: f64,
    nodes: Nodes,
    reduced_gravity: f64,
    breaks: [f64; 8],
}

/// Time at which 0.4u·t + √(R₀² + k t) = L: with s = √(R₀² + k t), a = 0.4u/k, the quadratic
/// a s² + s − (L + a R₀²) = 0.
fn leading_edge_time(advection: f64, spread: f64, r0: f64, distance: f64) -> f64 {
    if distance.is_nan() || distance <= r0 {
        return 0.0;
    }
    if spread <= 0.0 {
        return if advection > 0.0 {
            (distance - r0) / advection
        } else {
            f64::INFINITY
        };
    }
    let a = advection / spread;
    let s = if a > 0.0 {
        let c = distance + a * r0 * r0;
        // stable root of a s² + s − c = 0
        2.0 * c / (1.0 + (1.0 + 4.0 * a * c).sqrt())
    } else {
        distance
    };
    ((s * s - r0 * r0) / spread).max(0.0)
}

/// State of a Britter–McQuaid puff at one time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PuffCloud {
    /// Downwind position of the cloud centre x_c = 0.4 u₁₀ t, m.
    pub centre_m: f64,
    /// Cloud radius R, m.
    pub radius_m: f64,
    /// Cloud height H = V₀/(c′πR²), m.
    pub height_m: f64,
    /// Volume fraction in the cloud (uniform), with the temperature correction and C₀.
    pub volume_fraction: f64,
}

impl BritterMcQuaidPuff {
    /// Prepares the puff: initial volume V₀ (m³, at the release density), reduced gravity
    /// g₀ > 0, 10 m wind `u10`, initial volume fraction `c0`, T′ = T_r/T_a (1 for none).
    /// Inputs assumed validated ([`britter_mcquaid_puff`] validates).
    pub fn new(volume_m3: f64, reduced_gravity: f64, u10: f64, c0: f64, t_ratio: f64) -> Self {
        let v0 = volume_m3;
        let g0 = reduced_gravity;
        let v13 = v0.cbrt();
        let alpha = 0.5 * (g0 * v13 / (u10 * u10)).log10();
        let alpha_used = if alpha.is_nan() {
            0.0
        } else {
            alpha.clamp(ALPHA_RANGE.0, ALPHA_RANGE.1)
        };
        let betas = britter_mcquaid_puff_betas(alpha_used);
        let mut nodes = Nodes::new();
        for (beta, ratio) in betas.iter().zip(PUFF_CONCENTRATION_RATIOS) {
            nodes.push(*beta, ratio);
        }
        let xnf = 10f64.powf(nodes.first_beta());
        let xff = 10f64.powf(nodes.last_beta());
        let r0 = (3.0 * v0 / (4.0 * std::f64::consts::PI)).cbrt();
        let spread = 1.2 * (g0 * v0).sqrt();
        let advection = 0.4 * u10;
        let mut breaks = [0.0; 8];
        for (slot, beta) in breaks.iter_mut().zip(&nodes.beta[..nodes.n]) {
            *slot = leading_edge_time(advection, spread, r0, 10f64.powf(*beta) * v13);
        }
        BritterMcQuaidPuff {
            alpha,
            alpha_used,
            c0,
            t_ratio,
            v0,
            v13,
            r0,
            spread,
            advection,
            xnf,
            xff,
            far_constant: nodes.last_ratio() * xff * xff,
            nodes,
            reduced_gravity: g0,
            breaks,
        }
    }

    /// α = 0.5·log₁₀(g₀V₀^(1/3)/u₁₀²) as computed (before clamping).
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// Whether α was outside [−1, 1] and clamped.
    pub fn alpha_clamped(&self) -> bool {
        self.alpha != self.alpha_used
    }
    /// Initial volume V₀, m³.
    pub fn initial_volume_m3(&self) -> f64 {
        self.v0
    }
    /// Initial radius R₀ = (3V₀/4π)^(1/3), m.
    pub fn initial_radius_m(&self) -> f64 {
        self.r0
    }
    /// Reduced gravity g₀, m/s².
    pub fn reduced_gravity_m_s2(&self) -> f64 {
        self.reduced_gravity
    }
    /// Initial volume fraction C₀.
    pub fn initial_volume_fraction(&self) -> f64 {
        self.c0
    }

    fn ratio(&self, xp: f64) -> (f64, CorrelationRegion) {
        if xp <= self.xnf {
            let r = if xp > 0.0 {
                PUFF_NEAR / (PUFF_NEAR + xp * xp)
            } else {
                1.0
            };
            (
                r.max(PUFF_CONCENTRATION_RATIOS[0]),
                CorrelationRegion::NearField,
            )
        } else if xp < self.xff {
            (self.nodes.eval(xp.log10()), CorrelationRegion::Interpolated)
        } else {
            (self.far_constant / (xp * xp), CorrelationRegion::FarField)
        }
    }

    /// Cloud centre (m) at time `t_s`.
    pub fn centre_m(&self, t_s: f64) -> f64 {
        self.advection * t_s
    }

    /// Cloud radius (m) at time `t_s` ≥ 0.
    pub fn radius_m(&self, t_s: f64) -> f64 {
        (self.r0 * self.r0 + self.spread * t_s.max(0.0)).sqrt()
    }

    fn cloud_region(&self, t_s: f64) -> (PuffCloud, CorrelationRegion) {
        let t = if t_s.is_nan() { 0.0 } else { t_s.max(0.0) };
        let xc = self.centre_m(t);
        let r = self.radius_m(t);
        let (ratio, region) = self.ratio((xc + r) / self.v13);
        let c = temperature_corrected(ratio, self.t_ratio);
        let height = if c > 0.0 {
            self.v0 / (c * std::f64::consts::PI * r * r)
        } else {
            f64::INFINITY
        };
        (
            PuffCloud {
                centre_m: xc,
                radius_m: r,
                height_m: height,
                volume_fraction: self.c0 * c,
            },
            region,
        )
    }

    /// The cloud at time `t_s` (negative times are taken as 0).
    pub fn cloud(&self, t_s: f64) -> PuffCloud {
        self.cloud_region(t_s).0
    }

    /// In-cloud volume fraction at time `t_s`.
    pub fn volume_fraction_at_time(&self, t_s: f64) -> f64 {
        self.cloud(t_s).volume_fraction
    }

    /// Volume fraction at ground point (x, y) and time t: the cloud value inside the disc
    /// (x − x_c)² + y² ≤ R², 0 outside or for t < 0.
    pub fn volume_fraction(&self, x_m: f64, y_m: f64, t_s: f64) -> f64 {
        if t_s.is_nan() || t_s < 0.0 {
            return 0.0;
        }
        let cloud = self.cloud(t_s);
        let dx = x_m - cloud.centre_m;
        if dx * dx + y_m * y_m <= cloud.radius_m * cloud.radius_m {
            cloud.volume_fraction
        } else {
            0.0
        }
    }

    /// Time interval `[t1, t2]` (s, t1 ≥ 0) during which ground point (x, y) is inside the
    /// cloud, or `None`. From (x − 0.4u t)² + y² ≤ R₀² + k t, a concave quadratic in t.
    pub fn covered_interval(&self, x_m: f64, y_m: f64) -> Option<(f64, f64)> {
        let a = self.advection * self.advection;
        let b = self.spread + 2.0 * self.advection * x_m;
        let c = self.r0 * self.r0 - x_m * x_m - y_m * y_m;
        // a t^2 - b t - c <= 0
        let disc = b * b + 4.0 * a * c;
        if disc.is_nan() || disc < 0.0 || a.is_nan() || a <= 0.0 {
            return None;
        }
        let s = disc.sqrt();
        let t2 = (b + s) / (2.0 * a);
        if t2.is_nan() || t2 < 0.0 {
            return None;
        }
        let t1 = ((b - s) / (2.0 * a)).max(0.0);
        Some((t1, t2))
    }

    /// Peak volume fraction ever seen at ground point (x, y) (the cloud's value when it
    /// first covers the point; the in-cloud value decreases with time), 0 if never covered.
    pub fn peak_volume_fraction(&self, x_m: f64, y_m: f64) -> f64 {
        match self.covered_interval(x_m, y_m) {
            Some((t1, _)) => self.volume_fraction_at_time(t1),
            None => 0.0,
        }
    }

    /// Latest time (s) at which the in-cloud volume fraction is at least `volume_fraction`,
    /// searched up to `max_time_s`; `None` when even the initial cloud is below it.
    pub fn time_to(&self, volume_fraction: f64, max_time_s: f64) -> Option<f64> {
        if volume_fraction.is_nan()
            || volume_fraction <= 0.0
            || self.volume_fraction_at_time(0.0) < volume_fraction
        {
            return None;
        }
        if self.volume_fraction_at_time(max_time_s) >= volume_fraction {
            return Some(max_time_s);
        }
        let (mut lo, mut hi) = (0.0, max_time_s);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if self.volume_fraction_at_time(mid) >= volume_fraction {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(lo)
    }

    /// Time (s) at which the leading edge x_c + R reaches `distance_m` (0 when it is there
    /// from the start).
    pub fn time_leading_edge_at(&self, distance_m: f64) -> f64 {
        leading_edge_time(self.advection, self.spread, self.r0, distance_m)
    }

    /// Times (s) at which the leading edge passes the correlation nodes (the ends of the
    /// near field and of each interpolation segment); the in-cloud concentration is smooth
    /// between them.
    pub fn correlation_breakpoint_times(&self) -> &[f64] {
        &self.breaks[..self.nodes.n]
    }

    /// Half-width (m) at downwind distance x of the union of the cloud discs over
    /// 0 ≤ t ≤ `t_end_s`: max over t of √(R² − (x − x_c)²), 0 where none covers x.
    /// R² − (x − x_c)² is a concave quadratic in t, so the maximum is exact.
    pub fn envelope_half_width_m(&self, x_m: f64, t_end_s: f64) -> f64 {
        let a = self.advection * self.advection;
        let t_opt = if a > 0.0 {
            (self.spread + 2.0 * self.advection * x_m) / (2.0 * a)
        } else {
            t_end_s
        };
        let t = t_opt.clamp(0.0, t_end_s.max(0.0));
        let dx = x_m - self.centre_m(t);
        let r2 = self.r0 * self.r0 + self.spread * t - dx * dx;
        if r2 > 0.0 { r2.sqrt() } else { 0.0 }
    }

    /// Downwind range `[x_min, x_max]` (m) of the union of the cloud discs over
    /// 0 ≤ t ≤ `t_end_s`.
    pub fn envelope_extent_m(&self, t_end_s: f64) -> (f64, f64) {
        let t_end = t_end_s.max(0.0);
        let x_max = self.centre_m(t_end) + self.radius_m(t_end);
        // x_c − R is convex in t; its minimum is where 0.4u = k / (2R).
        let t_min = if self.advection > 0.0 {
            let r_star = self.spread / (2.0 * self.advection);
            ((r_star * r_star - self.r0 * self.r0) / self.spread).max(0.0)
        } else {
            t_end
        };
        let t = if t_min.is_finite() {
            t_min.min(t_end)
        } else {
            0.0
        };
        let x_min = self.centre_m(t) - self.radius_m(t);
        (x_min.min(-self.r0), x_max)
    }
}

/// Reduced gravity and checks shared by the two Britter–McQuaid models; refuses a release
/// that is not denser than the ambient air.
fn reduced_gravity(
    model: &'static str,
    release_density: f64,
    ambient_density: f64,
    gravity: f64,
) -> Result<f64, QraError> {
    let g0 = gravity * (release_density - ambient_density) / ambient_density;
    if g0 > 0.0 {
        Ok(g0)
    } else {
        Err(QraError::OutsideValidity {
            model,
            quantity: "release density minus ambient air density (kg/m³)",
            value: release_density - ambient_density,
            min: f64::MIN_POSITIVE,
            max: f64::INFINITY,
        })
    }
}

/// Input of [`britter_mcquaid_plume`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BritterMcQuaidPlumeInput {
    /// Mass release rate, kg/s.
    pub mass_rate_kg_s: f64,
    /// Density of the released material at the source, kg/m³ (must exceed the air's).
    pub release_density_kg_m3: f64,
    /// Wind speed at 10 m, m/s.
    pub wind_speed_10m_m_s: f64,
    /// Downwind distance of the receptor, m.
    pub x_m: f64,
    /// Crosswind distance, m (default 0).
    #[serde(default)]
    pub y_m: f64,
    /// Receptor height, m (default 0).
    #[serde(default)]
    pub z_m: f64,
    /// Release temperature, K; when given, the non-isothermal correction is applied.
    #[serde(default)]
    pub release_temperature_k: Option<f64>,
    /// Ambient temperature, K (default 298.15, **assumed**).
    #[serde(default = "default_ambient_temperature")]
    pub ambient_temperature_k: f64,
    /// Ambient pressure, Pa (default 101325).
    #[serde(default = "default_ambient_pressure")]
    pub ambient_pressure_pa: f64,
    /// Ambient air density, kg/m³ (default: dry air at the ambient T and P).
    #[serde(default)]
    pub ambient_density_kg_m3: Option<f64>,
    /// Initial volume fraction C₀ of the released gas (default 1).
    #[serde(default = "default_one")]
    pub initial_volume_fraction: f64,
    /// Molar mass of the released gas, kg/mol; when given, the output includes kg/m³.
    #[serde(default)]
    pub molar_mass_kg_mol: Option<f64>,
    /// Gravity, m/s² (default 9.80665).
    #[serde(default = "default_gravity")]
    pub gravity_m_s2: f64,
}

/// Output of [`britter_mcquaid_plume`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BritterMcQuaidPlumeOutput {
    /// α = 0.2·log₁₀(g₀²q₀/u₁₀⁵) (before clamping).
    pub alpha: f64,
    /// Whether α was outside [−1, 1] and clamped for the correlations.
    pub alpha_clamped: bool,
    /// Reduced gravity g₀, m/s².
    pub reduced_gravity_m_s2: f64,
    /// Length scale D = √(q₀/u₁₀), m.
    pub length_scale_m: f64,
    /// Buoyancy length l_b = g₀q₀/u₁₀³, m.
    pub buoyancy_length_m: f64,
    /// End of the near-field correlation, m.
    pub near_field_limit_m: f64,
    /// Start of the far-field x⁻² law, m.
    pub far_field_start_m: f64,
    /// Upwind extent L_U, m.
    pub upwind_extent_m: f64,
    /// Half-width L_H at x, m.
    pub half_width_m: f64,
    /// Plume height L_V at x, m (from continuity).
    pub height_m: f64,
    /// Which correlation gave the value.
    pub region: CorrelationRegion,
    /// Volume fraction at (x, y, z) (0 outside the plume).
    pub volume_fraction: f64,
    /// Concentration at (x, y, z), kg/m³, when the molar mass is given.
    pub concentration_kg_m3: Option<f64>,
}

const PLUME_MODEL: &str = "britter_mcquaid_plume";
const PUFF_MODEL: &str = "britter_mcquaid_puff";

/// Britter–McQuaid continuous dense-gas plume. See the [module documentation](self).
pub fn britter_mcquaid_plume(
    input: &BritterMcQuaidPlumeInput,
) -> Result<BritterMcQuaidPlumeOutput, QraError> {
    let m = check_mass_rate(input.mass_rate_kg_s)?;
    let rho = check_density("release_density_kg_m3", input.release_density_kg_m3)?;
    let u10 = check_wind("wind_speed_10m_m_s", input.wind_speed_10m_m_s)?;
    let x = check_distance("x_m", input.x_m)?;
    let y = check_distance("y_m", input.y_m)?;
    let z = check_height(input.z_m)?;
    let ta = check_ambient_temperature(input.ambient_temperature_k)?;
    let rho_a = ambient_density(input.ambient_density_kg_m3, ta, input.ambient_pressure_pa)?;
    let t_ratio = match input.release_temperature_k {
        Some(tr) => check_release_temperature(tr)? / ta,
        None => 1.0,
    };
    let c0 = check(
        "initial_volume_fraction",
        input.initial_volume_fraction,
        "0 < value <= 1",
        |v| v > 0.0 && v <= 1.0,
    )?;
    let to_kg = input
        .molar_mass_kg_mol
        .map(|mm| {
            check_molar_mass(mm).map(|mm| ideal_gas_density(mm, ta, input.ambient_pressure_pa))
        })
        .transpose()?;
    let g = check_gravity(input.gravity_m_s2)?;
    let g0 = reduced_gravity(PLUME_MODEL, rho, rho_a, g)?;
    let plume = BritterMcQuaidPlume::new(m / rho, g0, u10, c0, t_ratio);
    let (c_line, region) = plume.centreline(x);
    let half_width = plume.half_width_m(x);
    let ratio = if plume.c0 > 0.0 {
        c_line / plume.c0
    } else {
        0.0
    };
    let height = if ratio > 0.0 {
        plume.d * plume.d / (2.0 * half_width * ratio)
    } else {
        0.0
    };
    let inside = region != CorrelationRegion::Outside && y.abs() <= half_width && z <= height;
    let (c, region) = if inside {
        (c_line, region)
    } else {
        (0.0, CorrelationRegion::Outside)
    };
    let c = finite_result(PLUME_MODEL, "volume_fraction", c)?;
    Ok(BritterMcQuaidPlumeOutput {
        alpha: finite_result(PLUME_MODEL, "alpha", plume.alpha())?,
        alpha_clamped: plume.alpha_clamped(),
        reduced_gravity_m_s2: g0,
        length_scale_m: finite_result(PLUME_MODEL, "length_scale_m", plume.length_scale_m())?,
        buoyancy_length_m: finite_result(PLUME_MODEL, "buoyancy_length_m", plume.lb)?,
        near_field_limit_m: finite_result(
            PLUME_MODEL,
            "near_field_limit_m",
            plume.near_field_limit_m(),
        )?,
        far_field_start_m: finite_result(
            PLUME_MODEL,
            "far_field_start_m",
            plume.far_field_start_m(),
        )?,
        upwind_extent_m: finite_result(PLUME_MODEL, "upwind_extent_m", plume.upwind_extent_m())?,
        half_width_m: finite_result(PLUME_MODEL, "half_width_m", half_width)?,
        height_m: finite_result(PLUME_MODEL, "height_m", height)?,
        region,
        volume_fraction: c,
        concentration_kg_m3: to_kg
            .map(|k| finite_result(PLUME_MODEL, "concentration_kg_m3", c * k))
            .transpose()?,
    })
}

/// Input of [`britter_mcquaid_puff`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BritterMcQuaidPuffInput {
    /// Mass released instantaneously, kg.
    pub mass_kg: f64,
    /// Density of the released material (the initial cloud), kg/m³; V₀ = m/ρ.
    pub release_density_kg_m3: f64,
    /// Wind speed at 10 m, m/s.
    pub wind_speed_10m_m_s: f64,
    /// Downwind distance of the receptor, m.
    pub x_m: f64,
    /// Crosswind distance, m (default 0).
    #[serde(default)]
    pub y_m: f64,
    /// Receptor height, m (default 0).
    #[serde(default)]
    pub z_m: f64,
    /// Time since release, s.
    pub t_s: f64,
    /// Release temperature, K; when given, the non-isothermal correction is applied.
    #[serde(default)]
    pub release_temperature_k: Option<f64>,
    /// Ambient temperature, K (default 298.15, **assumed**).
    #[serde(default = "default_ambient_temperature")]
    pub ambient_temperature_k: f64,
    /// Ambient pressure, Pa (default 101325).
    #[serde(default = "default_ambient_pressure")]
    pub ambient_pressure_pa: f64,
    /// Ambient air density, kg/m³ (default: dry air at the ambient T and P).
    #[serde(default)]
    pub ambient_density_kg_m3: Option<f64>,
    /// Initial volume fraction C₀ of the released gas in the initial cloud (default 1).
    #[serde(default = "default_one")]
    pub initial_volume_fraction: f64,
    /// Molar mass of the released gas, kg/mol; when given, the output includes kg/m³.
    #[serde(default)]
    pub molar_mass_kg_mol: Option<f64>,
    /// Gravity, m/s² (default 9.80665).
    #[serde(default = "default_gravity")]
    pub gravity_m_s2: f64,
}

/// Output of [`britter_mcquaid_puff`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BritterMcQuaidPuffOutput {
    /// α = 0.5·log₁₀(g₀V₀^(1/3)/u₁₀²) (before clamping).
    pub alpha: f64,
    /// Whether α was outside [−1, 1] and clamped for the correlations.
    pub alpha_clamped: bool,
    /// Reduced gravity g₀, m/s².
    pub reduced_gravity_m_s2: f64,
    /// Initial cloud volume V₀, m³.
    pub initial_volume_m3: f64,
    /// The cloud at t.
    pub cloud: PuffCloud,
    /// Which correlation gave the in-cloud value.
    pub region: CorrelationRegion,
    /// Volume fraction at (x, y, z, t) (0 outside the cloud).
    pub volume_fraction: f64,
    /// Concentration at (x, y, z, t), kg/m³, when the molar mass is given.
    pub concentration_kg_m3: Option<f64>,
}

/// Britter–McQuaid instantaneous dense-gas puff. See the [module documentation](self).
pub fn britter_mcquaid_puff(
    input: &BritterMcQuaidPuffInput,
) -> Result<BritterMcQuaidPuffOutput, QraError> {
    let m = check_mass(input.mass_kg)?;
    let rho = check_density("release_density_kg_m3", input.release_density_kg_m3)?;
    let u10 = check_wind("wind_speed_10m_m_s", input.wind_speed_10m_m_s)?;
    let x = check_distance("x_m", input.x_m)?;
    let y = check_distance("y_m", input.y_m)?;
    let z = check_height(input.z_m)?;
    let t = check("t_s", input.t_s, "0 <= value <= 1e7", |v| {
        (0.0..=1e7).contains(&v)
    })?;
    let ta = check_ambient_temperature(input.ambient_temperature_k)?;
    let rho_a = ambient_density(input.ambient_density_kg_m3, ta, input.ambient_pressure_pa)?;
    let t_ratio = match input.release_temperature_k {
        Some(tr) => check_release_temperature(tr)? / ta,
        None => 1.0,
    };
    let c0 = check(
        "initial_volume_fraction",
        input.initial_volume_fraction,
        "0 < value <= 1",
        |v| v > 0.0 && v <= 1.0,
    )?;
    let to_kg = input
        .molar_mass_kg_mol
        .map(|mm| {
            check_molar_mass(mm).map(|mm| ideal_gas_density(mm, ta, input.ambient_pressure_pa))
        })
        .transpose()?;
    let g = check_gravity(input.gravity_m_s2)?;
    let g0 = reduced_gravity(PUFF_MODEL, rho, rho_a, g)?;
    let puff = BritterMcQuaidPuff::new(m / rho, g0, u10, c0, t_ratio);
    let (cloud, region) = puff.cloud_region(t);
    let dx = x - cloud.centre_m;
    let inside = dx * dx + y * y <= cloud.radius_m * cloud.radius_m && z <= cloud.height_m;
    let (c, region) = if inside {
        (cloud.volume_fraction, region)
    } else {
        (0.0, CorrelationRegion::Outside)
    };
    let c = finite_result(PUFF_MODEL, "volume_fraction", c)?;
    finite_result(PUFF_MODEL, "cloud.radius_m", cloud.radius_m)?;
    Ok(BritterMcQuaidPuffOutput {
        alpha: finite_result(PUFF_MODEL, "alpha", puff.alpha())?,
        alpha_clamped: puff.alpha_clamped(),
        reduced_gravity_m_s2: g0,
        initial_volume_m3: puff.v0,
        cloud,
        region,
        volume_fraction: c,
        concentration_kg_m3: to_kg
            .map(|k| finite_result(PUFF_MODEL, "concentration_kg_m3", c * k))
            .transpose()?,
    })
}

/// The models of this module, for [`crate::run_model`].
pub(crate) const MODELS: &[ModelEntry] = &[
    ModelEntry {
        name: "britter_mcquaid_plume",
        description: "Britter-McQuaid dense-gas continuous release (workbook correlations, CCPS 1999): ground-level concentration, plume width and height / Britter-McQuaid 重气连续泄漏（工作手册关联式，CCPS 1999）：地面浓度、烟羽宽度与高度",
        run: |v| crate::run_json("britter_mcquaid_plume", v, britter_mcquaid_plume),
    },
    ModelEntry {
        name: "britter_mcquaid_puff",
        description: "Britter-McQuaid dense-gas instantaneous release (workbook correlations, CCPS 1999): cloud position, radius and concentration / Britter-McQuaid 重气瞬时泄漏（工作手册关联式，CCPS 1999）：云团位置、半径与浓度",
        run: |v| crate::run_json("britter_mcquaid_puff", v, britter_mcquaid_puff),
    },
    ModelEntry {
        name: "dense_gas_criterion",
        description: "CCPS dense-gas criterion for continuous and instantaneous releases / CCPS 重气判据（连续与瞬时泄漏）",
        run: |v| crate::run_json("dense_gas_criterion", v, dense_gas_criterion),
    },
];
