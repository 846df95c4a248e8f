//! Gaussian puff (instantaneous release) with the CCPS 1999 puff dispersion coefficients.
//!
//! # Equations
//!
//! Source: CCPS (1999) *Guidelines for Consequence Analysis of Chemical Releases*, puff model
//! and puff σ set, as implemented and tested in GasDispersion.jl (`aefarrell/GasDispersion.jl`
//! 27ac300, MIT); weihua reference `shared/reference/qra-consequence.md` §9.2 and §10.
//!
//! - Cloud centre at `x_c = u·t`; σ are evaluated at `x_c` (reference §10).
//! - σ_x = σ_y = a·x_c^b, σ_z = c·x_c^d with (reference §9.2):
//!
//!   | class | σ_y | σ_z |
//!   | --- | --- | --- |
//!   | A | 0.18x^0.92 | 0.60x^0.75 |
//!   | B | 0.14x^0.92 | 0.53x^0.73 |
//!   | C | 0.10x^0.92 | 0.34x^0.71 |
//!   | D | 0.06x^0.92 | 0.15x^0.70 |
//!   | E | 0.04x^0.92 | 0.10x^0.65 |
//!   | F | 0.02x^0.89 | 0.05x^0.61 |
//!
//! - Ground release (h = 0), ground-level receptor on the centre line (y = 0, z = 0), with
//!   total ground reflection:
//!   `C = 2·m / ((2π)^(3/2) σ_x σ_y σ_z) · exp(−(x − u t)² / (2σ_x²))`.
//!
//! # Validity
//!
//! Neutrally buoyant (passive) clouds only; not for dense gas (use Britter–McQuaid) and not
//! for calm winds (below about 1 m/s the Gaussian model is not meaningful, but such winds are
//! not refused). The CCPS puff σ are power-law fits; the reference gives no distance range
//! for them (the Briggs plume σ of the same source are nominally 100 m – 10 km), so short
//! distances are computed, not refused. The CCPS p.101 printed σ_y = 6.1 m is an erratum;
//! σ is always computed from the formula.
//!
//! Accepted inputs (assumed bounds, refused outside): `0 < mass_kg <= 1e9`,
//! `0 < wind_speed_m_s <= 100`, `|x_m| <= 1e6`, `0 < t_s` with `0 < u·t <= 1e6` m.

use serde::{Deserialize, Serialize};

use crate::error::{QraError, check, finite_result};

const MODEL: &str = "gaussian_puff";

/// Pasquill–Gifford atmospheric stability class (A very unstable … F moderately stable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stability {
    /// Very unstable.
    A,
    /// Unstable.
    B,
    /// Slightly unstable.
    C,
    /// Neutral.
    D,
    /// Slightly stable.
    E,
    /// Moderately stable.
    F,
}

impl Stability {
    /// All classes, A to F.
    pub const ALL: [Stability; 6] = [
        Stability::A,
        Stability::B,
        Stability::C,
        Stability::D,
        Stability::E,
        Stability::F,
    ];

    /// Parses `"A"`..`"F"` (exactly, upper case).
    pub fn parse(text: &str) -> Result<Self, QraError> {
        match text {
            "A" => Ok(Stability::A),
            "B" => Ok(Stability::B),
            "C" => Ok(Stability::C),
            "D" => Ok(Stability::D),
            "E" => Ok(Stability::E),
            "F" => Ok(Stability::F),
            other => Err(QraError::UnknownStability {
                value: other.to_owned(),
            }),
        }
    }

    /// CCPS puff σ coefficients `(a, b, c, d)`: σ_y = a·x^b, σ_z = c·x^d (reference §9.2).
    fn puff_coefficients(self) -> (f64, f64, f64, f64) {
        match self {
            Stability::A => (0.18, 0.92, 0.60, 0.75),
            Stability::B => (0.14, 0.92, 0.53, 0.73),
            Stability::C => (0.10, 0.92, 0.34, 0.71),
            Stability::D => (0.06, 0.92, 0.15, 0.70),
            Stability::E => (0.04, 0.92, 0.10, 0.65),
            Stability::F => (0.02, 0.89, 0.05, 0.61),
        }
    }
}

impl std::str::FromStr for Stability {
    type Err = QraError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stability::parse(s)
    }
}

/// CCPS 1999 puff dispersion coefficients `(σ_y, σ_z)` in m at downwind distance `x_m`
/// (σ_x = σ_y). Refuses non-finite or non-positive `x_m`.
pub fn ccps_puff_sigma(stability: Stability, x_m: f64) -> Result<(f64, f64), QraError> {
    let x = check("x_m", x_m, "0 < value", |v| v > 0.0)?;
    let (a, b, c, d) = stability.puff_coefficients();
    Ok((a * x.powf(b), c * x.powf(d)))
}

/// Input of [`gaussian_puff`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GaussianPuffInput {
    /// Mass released instantaneously, kg.
    pub mass_kg: f64,
    /// Wind speed, m/s (taken as the transport speed of the cloud).
    pub wind_speed_m_s: f64,
    /// Pasquill stability class, `"A"`..`"F"`.
    pub stability: Stability,
    /// Downwind distance of the receptor from the release point, m.
    pub x_m: f64,
    /// Time since release, s.
    pub t_s: f64,
}

/// Output of [`gaussian_puff`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GaussianPuffOutput {
    /// σ_y (= σ_x) at the cloud centre distance u·t, m.
    pub sigma_y_m: f64,
    /// σ_z at the cloud centre distance u·t, m.
    pub sigma_z_m: f64,
    /// Ground-level centre-line concentration at (x_m, 0, 0) and time t_s, kg/m³.
    pub concentration_kg_m3: f64,
}

/// Ground-level centre-line concentration of a Gaussian puff from an instantaneous ground
/// release, with CCPS 1999 puff σ. See the [module documentation](self) for the equations,
/// source and validity range.
pub fn gaussian_puff(input: &GaussianPuffInput) -> Result<GaussianPuffOutput, QraError> {
    let m = check("mass_kg", input.mass_kg, "0 < value <= 1e9", |v| {
        v > 0.0 && v <= 1e9
    })?;
    let u = check(
        "wind_speed_m_s",
        input.wind_speed_m_s,
        "0 < value <= 100",
        |v| v > 0.0 && v <= 100.0,
    )?;
    let x = check("x_m", input.x_m, "-1e6 <= value <= 1e6", |v| {
        (-1e6..=1e6).contains(&v)
    })?;
    let t = check(
        "t_s",
        input.t_s,
        "0 < value and 0 < wind_speed_m_s * value <= 1e6",
        |v| v > 0.0 && u * v > 0.0 && u * v <= 1e6,
    )?;
    let centre = u * t;
    let (a, b, c, d) = input.stability.puff_coefficients();
    let sigma_y = finite_result(MODEL, "sigma_y_m", a * centre.powf(b))?;
    let sigma_z = finite_result(MODEL, "sigma_z_m", c * centre.powf(d))?;
    let sigma_x = sigma_y;
    let two_pi = 2.0 * std::f64::consts::PI;
    let peak = 2.0 * m / (two_pi.powf(1.5) * sigma_x * sigma_y * sigma_z);
    let along = (-(x - centre).powi(2) / (2.0 * sigma_x * sigma_x)).exp();
    // A zero along-wind factor means the receptor is far from the cloud: the concentration is
    // zero even when `peak` overflowed.
    let conc = if along == 0.0 { 0.0 } else { peak * along };
    let conc = finite_result(MODEL, "concentration_kg_m3", conc)?;
    Ok(GaussianPuffOutput {
        sigma_y_m: sigma_y,
        sigma_z_m: sigma_z,
        concentration_kg_m3: conc,
    })
}
