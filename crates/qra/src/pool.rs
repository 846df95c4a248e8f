//! 液池 — pool spreading (液池扩展) and pool evaporation (液池蒸发).
//!
//! Equations follow weihua reference `shared/reference/qra-consequence.md` §7.5 and §7.6,
//! which marks them **unconfirmed — make configurable**; every constant is an input with a
//! documented default.
//!
//! # Spreading — [`pool_spread`]
//!
//! Gravity–inertia spreading on flat, non-absorbing ground: the front moves at
//! dr/dt = √(2 g h) with the mean thickness h = V/(π r²) (reference §7.5; the closed forms
//! follow from it):
//!
//! - instantaneous spill of volume V: r(t) = (8 g V/π)^(1/4) · t^(1/2);
//! - continuous spill at Q_v (m³/s), V = Q_v t: r(t) = (32 g Q_v/(9π))^(1/4) · t^(3/4).
//!
//! Spreading stops at the bund (dike) radius √(A_bund/π) or when the pool reaches the
//! minimum thickness h_min (r_max = √(V/(π h_min))). The Purple Book and Phast use "a few
//! mm" on land depending on roughness; default h_min = 5 mm, **assumed**. No evaporation
//! loss is subtracted (the volume is the spilled volume).
//!
//! # Evaporation — [`pool_evaporation`]
//!
//! - **Non-boiling** pool (pool temperature below the normal boiling point), Mackay &
//!   Matsugu (1973), reference §7.6: E = k_m · A · M P_s/(R T_pool) (kg/s), with
//!   k_m = 0.0048 · u₁₀^(7/9) · D^(−1/9) · Sc^(−2/3) (m/s), D = √(4A/π) the pool diameter
//!   and Sc = ν_air/D_AB. (0.0048 is Mackay & Matsugu's 0.0292 m/h coefficient with u in m/h
//!   converted to SI.) Defaults: ν_air = 1.5e-5 m²/s (air near 20 °C, **assumed**); D_AB when
//!   not given: Graham's-law scaling from water vapour,
//!   D_AB = 2.6e-5 · √(0.018015/M) m²/s (**assumed**; prefer the table's Fuller value).
//! - **Boiling** pool (pool temperature at or above the normal boiling point, e.g. a spilled
//!   liquefied gas), heat conducted from the ground (reference §7.6):
//!   q(t) = k_s (T_g − T_b)/√(π α_s t), ṁ''(t) = q(t)/ΔH_v; for a pool of fixed area formed at
//!   t = 0 the mass evaporated by t is 2 A k_s (T_g − T_b) √t / (√(π α_s) ΔH_v). Ground
//!   defaults: k_s = 0.9 W/(m·K), α_s = 4.3e-7 m²/s (average soil, **assumed**); solar,
//!   long-wave and sensible heat are omitted (ALOHA includes them) except through
//!   `extra_heat_flux_w_m2` (default 0).
//!
//! Validity: a pool of fixed area (use [`pool_spread`] for the area at a time, or the bund
//! area); a non-boiling pool at a constant temperature (no evaporative cooling, which makes
//! this an upper estimate for volatile liquids); vapour pressure well below ambient.
//!
//! Accepted inputs (assumed bounds, refused outside) are stated on each input field.

use serde::{Deserialize, Serialize};

use crate::ModelEntry;
use crate::error::{QraError, check, finite_result};
use crate::substance::GAS_CONSTANT;

/// Standard gravity, m/s².
const G: f64 = 9.806_65;

fn default_min_thickness() -> f64 {
    0.005
}
fn default_ambient_pressure() -> f64 {
    101_325.0
}
fn default_air_viscosity() -> f64 {
    1.5e-5
}
fn default_ground_conductivity() -> f64 {
    0.9
}
fn default_ground_diffusivity() -> f64 {
    4.3e-7
}

/// What stopped (or did not stop) the spreading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpreadLimit {
    /// Still spreading freely.
    Spreading,
    /// Reached the bund wall.
    Bund,
    /// Reached the minimum thickness.
    MinThickness,
}

/// Input of [`pool_spread`]. Give exactly one of `spill_volume_m3` (instantaneous) and
/// `spill_rate_m3_s` (continuous).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSpreadInput {
    /// Instantaneous spill volume V, m³ (0 – 1e6).
    #[serde(default)]
    pub spill_volume_m3: Option<f64>,
    /// Continuous spill rate Q_v, m³/s (0 – 1e4).
    #[serde(default)]
    pub spill_rate_m3_s: Option<f64>,
    /// Time since the spill started, s (0 – 1e7).
    pub time_s: f64,
    /// Bund (dike) floor area, m² (none = unbunded); 0 – 1e8.
    #[serde(default)]
    pub bund_area_m2: Option<f64>,
    /// Minimum pool thickness, m (default 0.005, **assumed**); 1e-4 – 1.
    #[serde(default = "default_min_thickness")]
    pub min_thickness_m: f64,
}

/// Output of [`pool_spread`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolSpreadOutput {
    /// Pool radius, m.
    pub radius_m: f64,
    /// Pool area, m².
    pub area_m2: f64,
    /// Liquid volume in the pool (spilled volume), m³.
    pub volume_m3: f64,
    /// Mean thickness, m.
    pub thickness_m: f64,
    /// Radius of free gravity–inertia spreading at this time, m.
    pub free_spread_radius_m: f64,
    /// What limits the radius now.
    pub limited_by: SpreadLimit,
}

/// 液池扩展 — gravity–inertia spreading of an instantaneous or continuous spill, limited by
/// a bund or a minimum thickness. See the [module documentation](self).
pub fn pool_spread(input: &PoolSpreadInput) -> Result<PoolSpreadOutput, QraError> {
    const MODEL: &str = "pool_spread";
    let t = check("time_s", input.time_s, "0 <= value <= 1e7", |v| {
        (0.0..=1e7).contains(&v)
    })?;
    let h_min = check(
        "min_thickness_m",
        input.min_thickness_m,
        "1e-4 <= value <= 1",
        |v| (1e-4..=1.0).contains(&v),
    )?;
    let bund_r = input
        .bund_area_m2
        .map(|a| {
            check("bund_area_m2", a, "0 < value <= 1e8", |v| {
                v > 0.0 && v <= 1e8
            })
            .map(|a| (a / std::f64::consts::PI).sqrt())
        })
        .transpose()?;
    let (volume, free_r) = match (input.spill_volume_m3, input.spill_rate_m3_s) {
        (Some(v), None) => {
            let v = check("spill_volume_m3", v, "0 < value <= 1e6", |x| {
                x > 0.0 && x <= 1e6
            })?;
            (
                v,
                (8.0 * G * v / std::f64::consts::PI).powf(0.25) * t.sqrt(),
            )
        }
        (None, Some(q)) => {
            let q = check("spill_rate_m3_s", q, "0 < value <= 1e4", |x| {
                x > 0.0 && x <= 1e4
            })?;
            (
                q * t,
                (32.0 * G * q / (9.0 * std::f64::consts::PI)).powf(0.25) * t.powf(0.75),
            )
        }
        _ => {
            return Err(QraError::InvalidInput {
                model: MODEL,
                message: "give exactly one of `spill_volume_m3` (instantaneous) and `spill_rate_m3_s` (continuous) / `spill_volume_m3`（瞬时）与 `spill_rate_m3_s`（连续）须且只须给出一个".into(),
            });
        }
    };
    let thin_r = (volume / (std::f64::consts::PI * h_min)).sqrt();
    let mut radius = free_r;
    let mut limited_by = SpreadLimit::Spreading;
    if thin_r < radius {
        radius = thin_r;
        limited_by = SpreadLimit::MinThickness;
    }
    if let Some(rb) = bund_r.filter(|&rb| rb < radius) {
        radius = rb;
        limited_by = SpreadLimit::Bund;
    }
    let area = std::f64::consts::PI * radius * radius;
    let thickness = if area > 0.0 { volume / area } else { 0.0 };
    Ok(PoolSpreadOutput {
        radius_m: finite_result(MODEL, "radius_m", radius)?,
        area_m2: finite_result(MODEL, "area_m2", area)?,
        volume_m3: volume,
        thickness_m: finite_result(MODEL, "thickness_m", thickness)?,
        free_spread_radius_m: finite_result(MODEL, "free_spread_radius_m", free_r)?,
        limited_by,
    })
}

/// Evaporation regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaporationRegime {
    /// Heat-conduction-limited boiling pool.
    Boiling,
    /// Mass-transfer-limited (Mackay & Matsugu).
    NonBoiling,
}

/// Input of [`pool_evaporation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolEvaporationInput {
    /// Pool area A, m² (0 – 1e8).
    pub pool_area_m2: f64,
    /// Wind speed at 10 m u₁₀, m/s (0 – 100; 0 gives no mass transfer).
    pub wind_speed_m_s: f64,
    /// Molar mass M, kg/mol (0.001 – 1).
    pub molar_mass_kg_mol: f64,
    /// Normal boiling point T_b, K (1 – 2000).
    pub normal_boiling_point_k: f64,
    /// Heat of vaporisation ΔH_v, J/kg (1000 – 1e8).
    pub heat_of_vaporisation_j_kg: f64,
    /// Liquid temperature of the pool T_pool, K (1 – 2000); at or above T_b the pool boils
    /// (at T_b).
    pub pool_temperature_k: f64,
    /// Vapour pressure at T_pool P_s, Pa (needed for a non-boiling pool; 0 < P_s ≤ ambient).
    #[serde(default)]
    pub vapour_pressure_pa: Option<f64>,
    /// Ground temperature T_g, K (1 – 2000; boiling pool).
    pub ground_temperature_k: f64,
    /// Time since the pool formed t, s (> 0; boiling flux and evaporated mass); ≤ 1e7.
    pub time_s: f64,
    /// Pool mass, kg (optional, 0 – 1e10): gives the time to evaporate it all.
    #[serde(default)]
    pub pool_mass_kg: Option<f64>,
    /// Ambient pressure, Pa (default 101 325).
    #[serde(default = "default_ambient_pressure")]
    pub ambient_pressure_pa: f64,
    /// Diffusivity of the vapour in air D_AB, m²/s (default: Graham's-law estimate,
    /// **assumed**); 1e-7 – 1e-3.
    #[serde(default)]
    pub vapour_diffusivity_m2_s: Option<f64>,
    /// Kinematic viscosity of air ν, m²/s (default 1.5e-5, **assumed**); 1e-6 – 1e-3.
    #[serde(default = "default_air_viscosity")]
    pub air_kinematic_viscosity_m2_s: f64,
    /// Ground thermal conductivity k_s, W/(m·K) (default 0.9, **assumed**); 0.01 – 100.
    #[serde(default = "default_ground_conductivity")]
    pub ground_conductivity_w_m_k: f64,
    /// Ground thermal diffusivity α_s, m²/s (default 4.3e-7, **assumed**); 1e-9 – 1e-3.
    #[serde(default = "default_ground_diffusivity")]
    pub ground_diffusivity_m2_s: f64,
    /// Further constant heat flux into a boiling pool (sun, air), W/m² (default 0); 0 – 1e5.
    #[serde(default)]
    pub extra_heat_flux_w_m2: f64,
}

/// Output of [`pool_evaporation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolEvaporationOutput {
    /// Regime.
    pub regime: EvaporationRegime,
    /// Evaporation rate at `time_s`, kg/s.
    pub evaporation_rate_kg_s: f64,
    /// Mass flux at `time_s`, kg/(m²·s).
    pub mass_flux_kg_m2_s: f64,
    /// Mass evaporated from the fixed-area pool over [0, time_s], kg (not capped by the
    /// pool mass).
    pub evaporated_mass_kg: f64,
    /// Average evaporation rate over [0, time_s], kg/s.
    pub average_rate_kg_s: f64,
    /// Mass-transfer coefficient k_m, m/s (non-boiling only).
    pub mass_transfer_coefficient_m_s: Option<f64>,
    /// Schmidt number (non-boiling only).
    pub schmidt_number: Option<f64>,
    /// Ground heat flux at `time_s`, W/m² (boiling only).
    pub ground_heat_flux_w_m2: Option<f64>,
    /// Time to evaporate `pool_mass_kg` at this area, s (when given and positive rate).
    pub time_to_evaporate_s: Option<f64>,
}

/// 液池蒸发 — evaporation of a boiling (ground heat) or non-boiling (Mackay & Matsugu) pool
/// of fixed area. See the [module documentation](self).
pub fn pool_evaporation(input: &PoolEvaporationInput) -> Result<PoolEvaporationOutput, QraError> {
    const MODEL: &str = "pool_evaporation";
    let area = check(
        "pool_area_m2",
        input.pool_area_m2,
        "0 < value <= 1e8",
        |v| v > 0.0 && v <= 1e8,
    )?;
    let u = check(
        "wind_speed_m_s",
        input.wind_speed_m_s,
        "0 <= value <= 100",
        |v| (0.0..=100.0).contains(&v),
    )?;
    let m = check(
        "molar_mass_kg_mol",
        input.molar_mass_kg_mol,
        "0.001 <= value <= 1",
        |v| (0.001..=1.0).contains(&v),
    )?;
    let t_range = |f: &'static str, v: f64| {
        check(f, v, "1 <= value <= 2000", |v| (1.0..=2000.0).contains(&v))
    };
    let tb = t_range("normal_boiling_point_k", input.normal_boiling_point_k)?;
    let t_pool = t_range("pool_temperature_k", input.pool_temperature_k)?;
    let t_ground = t_range("ground_temperature_k", input.ground_temperature_k)?;
    let hv = check(
        "heat_of_vaporisation_j_kg",
        input.heat_of_vaporisation_j_kg,
        "1000 <= value <= 1e8",
        |v| (1000.0..=1e8).contains(&v),
    )?;
    let t = check("time_s", input.time_s, "0 < value <= 1e7", |v| {
        v > 0.0 && v <= 1e7
    })?;
    let pa = check(
        "ambient_pressure_pa",
        input.ambient_pressure_pa,
        "0 < value <= 1e7",
        |v| v > 0.0 && v <= 1e7,
    )?;
    let nu = check(
        "air_kinematic_viscosity_m2_s",
        input.air_kinematic_viscosity_m2_s,
        "1e-6 <= value <= 1e-3",
        |v| (1e-6..=1e-3).contains(&v),
    )?;
    let ks = check(
        "ground_conductivity_w_m_k",
        input.ground_conductivity_w_m_k,
        "0.01 <= value <= 100",
        |v| (0.01..=100.0).contains(&v),
    )?;
    let alpha = check(
        "ground_diffusivity_m2_s",
        input.ground_diffusivity_m2_s,
        "1e-9 <= value <= 1e-3",
        |v| (1e-9..=1e-3).contains(&v),
    )?;
    let extra = check(
        "extra_heat_flux_w_m2",
        input.extra_heat_flux_w_m2,
        "0 <= value <= 1e5",
        |v| (0.0..=1e5).contains(&v),
    )?;
    let pool_mass = input
        .pool_mass_kg
        .map(|x| {
            check("pool_mass_kg", x, "0 <= value <= 1e10", |v| {
                (0.0..=1e10).contains(&v)
            })
        })
        .transpose()?;

    let boiling = t_pool >= tb;
    let out = if boiling {
        let dt = (t_ground - tb).max(0.0);
        let c = ks * dt / (std::f64::consts::PI * alpha).sqrt();
        let q = c / t.sqrt() + extra;
        let flux = q / hv;
        // ∫0^t (c/√τ + extra) dτ = 2c√t + extra·t.
        let evaporated = area * (2.0 * c * t.sqrt() + extra * t) / hv;
        let time_to_evaporate = pool_mass.and_then(|mp| {
            // Solve A/hv·(2c√τ + extra·τ) = mp for τ (quadratic in √τ).
            let (a2, b1) = (area * extra / hv, area * 2.0 * c / hv);
            let s = if a2 > 0.0 {
                (-b1 + (b1 * b1 + 4.0 * a2 * mp).sqrt()) / (2.0 * a2)
            } else if b1 > 0.0 {
                mp / b1
            } else {
                return None;
            };
            Some(s * s)
        });
        PoolEvaporationOutput {
            regime: EvaporationRegime::Boiling,
            evaporation_rate_kg_s: flux * area,
            mass_flux_kg_m2_s: flux,
            evaporated_mass_kg: evaporated,
            average_rate_kg_s: evaporated / t,
            mass_transfer_coefficient_m_s: None,
            schmidt_number: None,
            ground_heat_flux_w_m2: Some(q - extra),
            time_to_evaporate_s: time_to_evaporate,
        }
    } else {
        let ps = match input.vapour_pressure_pa {
            Some(p) => check(
                "vapour_pressure_pa",
                p,
                "0 < value <= ambient_pressure_pa",
                |v| v > 0.0 && v <= pa,
            )?,
            None => {
                return Err(QraError::InvalidInput {
                    model: MODEL,
                    message: "a non-boiling pool needs `vapour_pressure_pa` at the pool temperature / 非沸腾液池须给出液池温度下的 `vapour_pressure_pa`".into(),
                });
            }
        };
        let dab = match input.vapour_diffusivity_m2_s {
            Some(d) => check("vapour_diffusivity_m2_s", d, "1e-7 <= value <= 1e-3", |v| {
                (1e-7..=1e-3).contains(&v)
            })?,
            None => 2.6e-5 * (0.018_015 / m).sqrt(),
        };
        let sc = nu / dab;
        let diameter = (4.0 * area / std::f64::consts::PI).sqrt();
        let km = 0.0048 * u.powf(7.0 / 9.0) * diameter.powf(-1.0 / 9.0) * sc.powf(-2.0 / 3.0);
        let flux = km * m * ps / (GAS_CONSTANT * t_pool);
        let rate = flux * area;
        PoolEvaporationOutput {
            regime: EvaporationRegime::NonBoiling,
            evaporation_rate_kg_s: rate,
            mass_flux_kg_m2_s: flux,
            evaporated_mass_kg: rate * t,
            average_rate_kg_s: rate,
            mass_transfer_coefficient_m_s: Some(km),
            schmidt_number: Some(sc),
            ground_heat_flux_w_m2: None,
            time_to_evaporate_s: pool_mass.filter(|_| rate > 0.0).map(|mp| mp / rate),
        }
    };
    finite_result(MODEL, "evaporation_rate_kg_s", out.evaporation_rate_kg_s)?;
    finite_result(MODEL, "mass_flux_kg_m2_s", out.mass_flux_kg_m2_s)?;
    finite_result(MODEL, "evaporated_mass_kg", out.evaporated_mass_kg)?;
    finite_result(MODEL, "average_rate_kg_s", out.average_rate_kg_s)?;
    if let Some(tt) = out.time_to_evaporate_s {
        finite_result(MODEL, "time_to_evaporate_s", tt)?;
    }
    Ok(out)
}

/// The models of this module, for [`crate::run_model`].
pub(crate) const MODELS: &[ModelEntry] = &[
    ModelEntry {
        name: "pool_spread",
        description: "Gravity-inertia pool spreading, instantaneous or continuous spill, bund and minimum-thickness limits / 液池重力-惯性扩展（瞬时或连续泄漏），围堰与最小液层厚度限制",
        run: |v| crate::run_json("pool_spread", v, pool_spread),
    },
    ModelEntry {
        name: "pool_evaporation",
        description: "Pool evaporation: boiling pool heated by the ground, or non-boiling pool by Mackay-Matsugu mass transfer / 液池蒸发：沸腾液池（地面导热）或非沸腾液池（Mackay-Matsugu 传质）",
        run: |v| crate::run_json("pool_evaporation", v, pool_evaporation),
    },
];
