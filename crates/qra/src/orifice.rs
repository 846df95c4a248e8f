//! Ideal-gas discharge through a hole (isentropic nozzle), choked or sub-sonic.
//!
//! # Equations
//!
//! Source: CCPS (1999) *Guidelines for Consequence Analysis of Chemical Releases*, gas jet
//! (p.47 worked example), as implemented and tested in GasDispersion.jl
//! (`aefarrell/GasDispersion.jl` 27ac300, MIT); weihua reference
//! `shared/reference/qra-consequence.md` §7.2.
//!
//! - η = max(P_a/P₁, (2/(k+1))^(k/(k−1))); the flow is choked when P_a/P₁ is at or below the
//!   critical ratio (equivalently P₁/P_a ≥ ((k+1)/2)^(k/(k−1)), see
//!   [`critical_pressure_ratio`]).
//! - Mass flux G = C_d √( ρ₁ P₁ · 2k/(k−1) · (η^(2/k) − η^((k+1)/k)) ); ṁ = G·πd²/4.
//! - Exit state: P_j = ηP₁; ρ_j = ρ₁ η^(1/k); T_j = T₁ η^((k−1)/k).
//!
//! # Validity
//!
//! Ideal gas, isentropic expansion from stagnation conditions (upstream velocity
//! negligible), single gas phase; no flashing, no real-gas effects (for those see HyRAM
//! `NozzleFlow`). The upstream density must be consistent with the upstream pressure and
//! temperature (not checked: the molar mass is not an input).
//!
//! Accepted inputs (assumed bounds, refused outside): `0 < upstream_pressure_pa <= 1e9`,
//! `0 < upstream_density_kg_m3 <= 2000`, `0 < upstream_temperature_k <= 5000`,
//! `1.01 <= heat_capacity_ratio <= 2`, `0 < discharge_coefficient <= 1`,
//! `0 < hole_diameter_m <= 10`, `0 < ambient_pressure_pa <= upstream_pressure_pa`
//! (reverse flow is refused; equal pressures give zero flow).

use serde::{Deserialize, Serialize};

use crate::error::{QraError, check, finite_result};

const MODEL: &str = "gas_orifice";

fn check_k(k: f64) -> Result<f64, QraError> {
    check("heat_capacity_ratio", k, "1.01 <= value <= 2", |v| {
        (1.01..=2.0).contains(&v)
    })
}

/// Critical (choking) pressure ratio P₁/P₂ = ((k+1)/2)^(k/(k−1)) for the heat-capacity
/// ratio `k`: the flow through the hole is choked when the upstream-to-ambient pressure ratio
/// is at least this value. Refuses `k` outside `1.01 <= k <= 2`.
pub fn critical_pressure_ratio(heat_capacity_ratio: f64) -> Result<f64, QraError> {
    let k = check_k(heat_capacity_ratio)?;
    Ok(((k + 1.0) / 2.0).powf(k / (k - 1.0)))
}

/// Input of [`gas_orifice`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GasOrificeInput {
    /// Upstream (stagnation) absolute pressure P₁, Pa.
    pub upstream_pressure_pa: f64,
    /// Upstream gas density ρ₁, kg/m³.
    pub upstream_density_kg_m3: f64,
    /// Upstream temperature T₁, K (used for the exit temperature).
    pub upstream_temperature_k: f64,
    /// Heat-capacity ratio k = c_p/c_v.
    pub heat_capacity_ratio: f64,
    /// Discharge coefficient C_d (about 0.61 sharp-edged, up to 1 for a rounded nozzle).
    pub discharge_coefficient: f64,
    /// Hole diameter d, m.
    pub hole_diameter_m: f64,
    /// Ambient absolute pressure P_a, Pa.
    pub ambient_pressure_pa: f64,
}

/// Output of [`gas_orifice`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GasOrificeOutput {
    /// Mass flow rate ṁ, kg/s.
    pub mass_rate_kg_s: f64,
    /// Whether the flow is choked (sonic at the hole).
    pub choked: bool,
    /// Pressure at the hole P_j = ηP₁, Pa.
    pub exit_pressure_pa: f64,
    /// Density at the hole ρ_j = ρ₁η^(1/k), kg/m³.
    pub exit_density_kg_m3: f64,
    /// Temperature at the hole T_j = T₁η^((k−1)/k), K.
    pub exit_temperature_k: f64,
}

/// Mass rate of an ideal gas through a hole, choked or sub-sonic. See the
/// [module documentation](self) for the equations, source and validity range.
pub fn gas_orifice(input: &GasOrificeInput) -> Result<GasOrificeOutput, QraError> {
    let p1 = check(
        "upstream_pressure_pa",
        input.upstream_pressure_pa,
        "0 < value <= 1e9",
        |v| v > 0.0 && v <= 1e9,
    )?;
    let rho1 = check(
        "upstream_density_kg_m3",
        input.upstream_density_kg_m3,
        "0 < value <= 2000",
        |v| v > 0.0 && v <= 2000.0,
    )?;
    let t1 = check(
        "upstream_temperature_k",
        input.upstream_temperature_k,
        "0 < value <= 5000",
        |v| v > 0.0 && v <= 5000.0,
    )?;
    let k = check_k(input.heat_capacity_ratio)?;
    let cd = check(
        "discharge_coefficient",
        input.discharge_coefficient,
        "0 < value <= 1",
        |v| v > 0.0 && v <= 1.0,
    )?;
    let d = check(
        "hole_diameter_m",
        input.hole_diameter_m,
        "0 < value <= 10",
        |v| v > 0.0 && v <= 10.0,
    )?;
    let pa = check(
        "ambient_pressure_pa",
        input.ambient_pressure_pa,
        "0 < value <= upstream_pressure_pa",
        |v| v > 0.0 && v <= p1,
    )?;

    let eta_crit = (2.0 / (k + 1.0)).powf(k / (k - 1.0));
    let ratio = pa / p1;
    let choked = ratio <= eta_crit;
    let eta = if choked { eta_crit } else { ratio };
    // η^(2/k) − η^((k+1)/k) ≥ 0 for 0 < η ≤ 1; clamp rounding noise at η = 1.
    let bracket = (eta.powf(2.0 / k) - eta.powf((k + 1.0) / k)).max(0.0);
    let flux = cd * (rho1 * p1 * (2.0 * k / (k - 1.0)) * bracket).sqrt();
    let area = std::f64::consts::PI * d * d / 4.0;
    Ok(GasOrificeOutput {
        mass_rate_kg_s: finite_result(MODEL, "mass_rate_kg_s", flux * area)?,
        choked,
        exit_pressure_pa: finite_result(MODEL, "exit_pressure_pa", eta * p1)?,
        exit_density_kg_m3: finite_result(MODEL, "exit_density_kg_m3", rho1 * eta.powf(1.0 / k))?,
        exit_temperature_k: finite_result(
            MODEL,
            "exit_temperature_k",
            t1 * eta.powf((k - 1.0) / k),
        )?,
    })
}
