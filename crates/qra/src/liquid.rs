//! Liquid discharge through a hole (Bernoulli, no flashing).
//!
//! # Equations
//!
//! Source: CCPS (1999) *Guidelines for Consequence Analysis of Chemical Releases*, liquid
//! jet (p.40 worked example); Crowl & Louvar, *Chemical Process Safety*, liquid leak through
//! a hole; weihua reference `shared/reference/qra-consequence.md` §7.1.
//!
//! - ṁ = C_d · A · √(2 ρ ΔP), with A = πd²/4 and ΔP = P₁ − P_a (+ ρ g h for a liquid head);
//! - jet velocity u = C_d · √(2 ΔP / ρ).
//!
//! # Validity
//!
//! Incompressible liquid below its boiling point at ambient pressure (no flashing: a
//! superheated liquid needs a two-phase model), steady upstream conditions, a hole small
//! against the vessel (upstream velocity negligible).
//!
//! Accepted inputs (assumed bounds, refused outside): `0 < liquid_density_kg_m3 <= 25000`,
//! `0 < upstream_pressure_pa <= 1e9`, `0 < ambient_pressure_pa <= upstream_pressure_pa`,
//! `0 <= liquid_head_m <= 1000`, `0 < discharge_coefficient <= 1`, `0 < hole_diameter_m <= 10`.

use serde::{Deserialize, Serialize};

use crate::error::{QraError, check, finite_result};

const MODEL: &str = "liquid_orifice";
/// Standard gravity, m/s².
const G: f64 = 9.806_65;

/// Input of [`liquid_orifice`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiquidOrificeInput {
    /// Liquid density ρ, kg/m³.
    pub liquid_density_kg_m3: f64,
    /// Absolute pressure above the liquid (or in the pipe) P₁, Pa.
    pub upstream_pressure_pa: f64,
    /// Ambient absolute pressure P_a, Pa.
    pub ambient_pressure_pa: f64,
    /// Liquid head above the hole h, m (0 for a pipe or when P₁ already includes it).
    #[serde(default)]
    pub liquid_head_m: f64,
    /// Discharge coefficient C_d (0.61 for a sharp-edged hole).
    pub discharge_coefficient: f64,
    /// Hole diameter d, m.
    pub hole_diameter_m: f64,
}

/// Output of [`liquid_orifice`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiquidOrificeOutput {
    /// Mass flow rate ṁ, kg/s.
    pub mass_rate_kg_s: f64,
    /// Jet velocity at the hole u, m/s.
    pub jet_velocity_m_s: f64,
}

/// 液体小孔泄漏 — Bernoulli discharge of a liquid through a hole.
pub fn liquid_orifice(input: &LiquidOrificeInput) -> Result<LiquidOrificeOutput, QraError> {
    let rho = check(
        "liquid_density_kg_m3",
        input.liquid_density_kg_m3,
        "0 < value <= 25000",
        |v| v > 0.0 && v <= 25_000.0,
    )?;
    let p1 = check(
        "upstream_pressure_pa",
        input.upstream_pressure_pa,
        "0 < value <= 1e9",
        |v| v > 0.0 && v <= 1e9,
    )?;
    let pa = check(
        "ambient_pressure_pa",
        input.ambient_pressure_pa,
        "0 < value <= upstream_pressure_pa",
        |v| v > 0.0 && v <= p1,
    )?;
    let h = check(
        "liquid_head_m",
        input.liquid_head_m,
        "0 <= value <= 1000",
        |v| (0.0..=1000.0).contains(&v),
    )?;
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
    let dp = (p1 - pa) + rho * G * h;
    let area = std::f64::consts::PI * d * d / 4.0;
    let mass_rate = cd * area * (2.0 * rho * dp).sqrt();
    let velocity = cd * (2.0 * dp / rho).sqrt();
    Ok(LiquidOrificeOutput {
        mass_rate_kg_s: finite_result(MODEL, "mass_rate_kg_s", mass_rate)?,
        jet_velocity_m_s: finite_result(MODEL, "jet_velocity_m_s", velocity)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> LiquidOrificeInput {
        LiquidOrificeInput {
            liquid_density_kg_m3: 1000.0,
            upstream_pressure_pa: 201_325.0,
            ambient_pressure_pa: 101_325.0,
            liquid_head_m: 0.0,
            discharge_coefficient: 0.61,
            hole_diameter_m: 0.01,
        }
    }

    #[test]
    fn a_head_of_liquid_adds_to_the_pressure_difference() {
        // 10.197 m of water is about 1 bar: the same rate as a 1 bar overpressure.
        let by_pressure = liquid_orifice(&input()).unwrap();
        let by_head = liquid_orifice(&LiquidOrificeInput {
            upstream_pressure_pa: 101_325.0,
            liquid_head_m: 100_000.0 / (1000.0 * G),
            ..input()
        })
        .unwrap();
        assert!((by_pressure.mass_rate_kg_s - by_head.mass_rate_kg_s).abs() < 1e-12);
    }

    #[test]
    fn reverse_flow_and_bad_numbers_are_refused_naming_the_field() {
        let e = liquid_orifice(&LiquidOrificeInput {
            ambient_pressure_pa: 300_000.0,
            ..input()
        })
        .unwrap_err();
        assert!(e.to_string().contains("ambient_pressure_pa"));
        let e = liquid_orifice(&LiquidOrificeInput {
            liquid_density_kg_m3: f64::NAN,
            ..input()
        })
        .unwrap_err();
        assert!(e.to_string().contains("liquid_density_kg_m3"));
    }
}
