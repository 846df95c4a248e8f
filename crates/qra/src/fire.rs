//! 火灾 — fires: 池火 pool fire, 喷射火 jet fire, 火球 fireball (BLEVE), 圆柱火焰角系数
//! vertical-cylinder view factors and 大气透射率 atmospheric transmissivity, with cheap,
//! allocation-free field helpers (flux at a distance, distance to a flux, lethality) for
//! threat zones and the risk engine.
//!
//! Source of the equations: weihua reference `shared/reference/qra-consequence.md` §12 (which
//! cites CCPS 1999 *Guidelines for Consequence Analysis of Chemical Releases*, Mudan & Croce
//! 1988, the TNO Yellow Book CPR 14E and the HyRAM+ v6.0 physics, GPL: only its published
//! equations are used, never its code).
//!
//! # Atmospheric transmissivity ([`Transmissivity`])
//!
//! - Bagster/Pitblado (CCPS): `τ = 2.02 (P_w X)^−0.09`, `P_w` water partial pressure (Pa),
//!   `X` path length (m); `P_w = RH · P_sat(T)` with the CCPS 1999 Antoine form
//!   `P_sat = exp(23.18986 − 3816.42/(T − 46.13))` Pa. Capped at 1 for short paths.
//! - Wayne (1991), as in HyRAM: `X_H2O = RH·L·exp(20.386 − 5132/T)·288.651/T`,
//!   `X_CO2 = L·(273/T)·(CO2_ppm/335)`,
//!   `τ = 1.006 − 0.01171 log X_H2O − 0.02368 (log X_H2O)² − 0.03188 log X_CO2 +
//!   0.001164 (log X_CO2)²` (log₁₀). The quadratic fit turns back down for very small
//!   `X_H2O`; `log X_H2O` is therefore held at the fit's maximum (−0.247) below it, and τ is
//!   capped to [0, 1], so that τ never increases with path length.
//! - `none` (τ = 1, the conservative default — **assumed**) or a fixed value.
//!
//! # Pool fire ([`pool_fire`])
//!
//! - Burning rate (Burgess): `ṁ'' = 10⁻³ ΔH_c / (ΔH_v + c_p (T_b − T_a))` kg/(m²·s)
//!   (`10⁻³ ΔH_c/ΔH_v` when `T_b <= T_a`), optional large-pool factor `1 − e^(−kβ D)`.
//!   A continuous spill burns at its equilibrium diameter `D = √(4 ṁ / (π ṁ''))`.
//! - Flame height (Thomas): no wind `H/D = 42 [ṁ''/(ρ_a √(gD))]^0.61`; with wind
//!   `H/D = 55 [ṁ''/(ρ_a √(gD))]^0.67 (u*)^−0.21`, `u* = u_w / (g ṁ'' D/ρ_v)^(1/3)`, with
//!   `u* = 1` below 1. Tilt (AGA) `cos θ = 1/√u*` for `u* > 1` (reported only: the view
//!   factor is that of the vertical cylinder; tilted-cylinder factors are not implemented).
//! - Surface emissive power (Mudan & Croce 1988): `E = E_m e^(−sD) + E_s (1 − e^(−sD))`,
//!   defaults `E_m = 140 kW/m²`, `E_s = 20 kW/m²`, `s = 0.12 m⁻¹` (**unconfirmed**,
//!   configurable), or a given SEP.
//! - View factor of a vertical cylinder (radius R, height H) to a ground-level target at
//!   distance X from the axis, `h = H/R`, `S = X/R` ([`cylinder_view_factors`], Mudan, CCPS
//!   1999 §3.4): `F_v`, `F_h` and `F_max = √(F_v² + F_h²)`; a target at or inside the flame
//!   (`S <= 1`) sees `F = 1`.
//! - Received flux `q = E · F_max · τ(X − R)`.
//! - `g = 9.81 m/s²` (as in the CCPS worked examples); default air density 1.2 kg/m³
//!   (**assumed**).
//!
//! # Jet fire ([`jet_fire`]) — Sandia/HyRAM correlations for gas jets
//!
//! - Source ([`gas_jet_source`]): isentropic expansion of an Abel–Noble gas
//!   (`p (v − b) = R T`, constant γ, `p (v − b)^γ` constant along the isentrope) from the
//!   reservoir to the throat; choked when the sonic throat pressure exceeds ambient.
//!   `ṁ = C_d ρ_t u_t A`. Notional nozzle (Yüceil & Ötügen 2002: mass, momentum and energy
//!   conserved to ambient pressure): `u_n = u_t + (p_t − p_a)/(ρ_t u_t)`,
//!   `h_n = h_t + u_t²/2 − u_n²/2`.
//! - Flame (Schefer 2006, Molina 2007): `Fr_f = u_n f_s^(3/2) / [(ρ_n/ρ_a)^(1/4)
//!   √(((T_ad − T_a)/T_a) g D_n)]`; `L* = 13.5 Fr^0.4/(1 + 0.07 Fr²)^0.2` for `Fr < 5`, else
//!   23; `d* = D_n √(ρ_n/ρ_a)`; visible length `L = L* d*/f_s`; width `W = 0.17 L`.
//! - Radiant fraction (Panda & Hecht 2016): `τ_f = (π/12) ρ_f W² L f_s / ṁ` (ms),
//!   `X_rad = 9.45·10⁻⁹ (τ_f a_p T_ad⁴)^0.47`, `ρ_f` the stoichiometric products at `T_ad` and
//!   ambient pressure; radiated power `S = X_rad ṁ ΔH_c`.
//! - Weighted multi-source radiation (Hankinson & Lowesmith 2012): 50 point sources along the
//!   flame axis, weights rising linearly to 0.75 L and falling to 0 at L;
//!   `q = Σ w_j S τ(d_j) cos φ_j / (4π d_j²)`, τ by Wayne.
//! - The flame axis is **straight** along the release direction (assumed): the buoyant
//!   rise of long horizontal flames is not modelled, which overpredicts the flux beyond the
//!   flame tip of large horizontal flames.
//! - Hydrogen defaults ([`JetFuel::HYDROGEN`]): M = 2.016 g/mol, γ = 1.405, Abel–Noble
//!   b = 7.69·10⁻³ m³/kg, ΔH_c = 1.2·10⁸ J/kg (as in the HyRAM tests), `f_s = 0.0285`
//!   (H₂ + ½(O₂ + 3.76 N₂)), `T_ad = 2390 K` (**assumed**, H₂–air with dissociation),
//!   products 24.5 g/mol, `a_p = 0.23 m⁻¹` (Molina 2007, **assumed**). Air 28.97 g/mol.
//!
//! # Fireball / BLEVE ([`fireball`])
//!
//! - CCPS (1994/2010): `D = 5.8 M^(1/3)`, `t = 0.45 M^(1/3)` (M < 30 000 kg) or
//!   `2.6 M^(1/6)`, centre height `H = 0.75 D`.
//! - TNO Yellow Book: `r = 3.24 M^0.325`, `t = 0.852 M^0.26`; centre height `0.75 D` as for
//!   CCPS (**assumed**; configurable).
//! - SEP (Roberts/CCPS): `E = F_rad M ΔH_c/(π D² t)`, `F_rad = 0.25 P_sv^0.32` (P_sv in MPa,
//!   vessel pressure at burst), or a given radiant fraction or SEP.
//! - Sphere-to-facing-element view factor `F = (D/2)²/r²` (1 inside the ball), r from the
//!   centre; `q = E F τ(r − D/2)`; dose `t q^(4/3)` with t the fireball duration.
//!
//! # Validity
//!
//! All of these are engineering correlations, **unconfirmed** against the source books in
//! weihua (see the reference). Inputs are refused outside these assumed bounds: lengths and
//! distances `(0, 1e5]` m; temperatures `(0, 5000]` K; pressures `(0, 1e9]` Pa; masses
//! `(0, 1e9]` kg; burning rates `(0, 10]` kg/(m²·s); heats `(0, 1e9]` J/kg; emissive powers
//! `(0, 1e4]` kW/m²; relative humidity `[0, 1]`; wind `[0, 100]` m/s; at most 10 000 jet
//! receptors.

use serde::{Deserialize, Serialize};

use crate::ModelEntry;
use crate::error::{QraError, check, finite_result};
use crate::numeric::outer_crossing;
use crate::probit::{ThermalHarm, thermal_lethality};

/// Gravitational acceleration used by the fire correlations, m/s² (CCPS worked examples).
pub const GRAVITY_M_S2: f64 = 9.81;
/// Universal gas constant, J/(mol·K).
pub const GAS_CONSTANT: f64 = 8.314_462_618;
/// Molar mass of air, kg/mol.
pub const AIR_MOLAR_MASS_KG_MOL: f64 = 28.97e-3;

/// The models of this module, for [`crate::run_model`].
pub(crate) const MODELS: &[ModelEntry] = &[
    ModelEntry {
        name: "pool_fire",
        description: "Pool fire: Burgess burning rate, Thomas flame height, Mudan SEP, vertical-cylinder view factor, transmissivity, received heat flux (CCPS 1999) / 池火：Burgess 燃烧速率、Thomas 火焰高度、Mudan 表面辐射功率、竖直圆柱角系数、大气透射率、接收热通量（CCPS 1999）",
        run: |v| crate::run_json("pool_fire", v, pool_fire),
    },
    ModelEntry {
        name: "view_factor_cylinder",
        description: "View factors (vertical, horizontal, maximum) of a vertical cylindrical flame to a ground-level target (Mudan; CCPS 1999) / 竖直圆柱火焰对地面目标的角系数（竖直、水平、最大；Mudan，CCPS 1999）",
        run: |v| crate::run_json("view_factor_cylinder", v, view_factor_cylinder),
    },
    ModelEntry {
        name: "atmospheric_transmissivity",
        description: "Atmospheric transmissivity of thermal radiation: Bagster/Pitblado 2.02 (Pw X)^-0.09 or Wayne 1991 / 热辐射大气透射率：Bagster/Pitblado 2.02 (Pw·X)^-0.09 或 Wayne 1991",
        run: |v| crate::run_json("atmospheric_transmissivity", v, atmospheric_transmissivity),
    },
    ModelEntry {
        name: "jet_fire",
        description: "Gas jet fire (Sandia/HyRAM correlations): Abel-Noble choked release, notional nozzle, Froude flame length, radiant fraction, weighted multi-source heat flux at receptors / 气体喷射火（Sandia/HyRAM 关联式）：Abel-Noble 临界流泄放、虚拟喷嘴、Froude 火焰长度、辐射分数、加权多点源接收热通量",
        run: |v| crate::run_json("jet_fire", v, jet_fire),
    },
    ModelEntry {
        name: "fireball",
        description: "Fireball / BLEVE (CCPS or TNO correlations): diameter, duration, height, SEP, sphere view factor, heat flux and thermal dose / 火球（BLEVE，CCPS 或 TNO 关联式）：直径、持续时间、高度、表面辐射功率、球体角系数、热通量与热剂量",
        run: |v| crate::run_json("fireball", v, fireball),
    },
];

/// `true` for NaN, zero and negative values.
fn not_positive(x: f64) -> bool {
    x.is_nan() || x <= 0.0
}

fn positive(
    field: &'static str,
    value: f64,
    max: f64,
    expected: &'static str,
) -> Result<f64, QraError> {
    check(field, value, expected, |v| v > 0.0 && v <= max)
}

fn length(field: &'static str, value: f64) -> Result<f64, QraError> {
    positive(field, value, 1e5, "0 < value <= 1e5")
}

fn temperature(field: &'static str, value: f64) -> Result<f64, QraError> {
    positive(field, value, 5000.0, "0 < value <= 5000")
}

fn pressure(field: &'static str, value: f64) -> Result<f64, QraError> {
    positive(field, value, 1e9, "0 < value <= 1e9")
}

fn fraction(field: &'static str, value: f64) -> Result<f64, QraError> {
    check(field, value, "0 <= value <= 1", |v| {
        (0.0..=1.0).contains(&v)
    })
}

// ---------------------------------------------------------------------------------------
// Transmissivity
// ---------------------------------------------------------------------------------------

/// Saturation vapour pressure of water, Pa (CCPS 1999 Antoine form), T in K.
pub fn water_saturation_pressure_pa(temperature_k: f64) -> f64 {
    (23.18986 - 3816.42 / (temperature_k - 46.13)).exp()
}

fn co2_default() -> f64 {
    400.0
}

/// 大气透射率模型 — atmospheric transmissivity model (see the [module documentation](self)).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Transmissivity {
    /// τ = 1 (no attenuation; conservative; the default).
    #[default]
    None,
    /// A fixed τ in [0, 1].
    Fixed {
        /// τ.
        value: f64,
    },
    /// Bagster/Pitblado `2.02 (P_w X)^−0.09` with `P_w = RH · P_sat(T)`.
    Bagster {
        /// Relative humidity, 0–1.
        relative_humidity: f64,
        /// Air temperature, K.
        temperature_k: f64,
    },
    /// Bagster/Pitblado with a given water partial pressure.
    BagsterPartialPressure {
        /// Water vapour partial pressure, Pa.
        water_partial_pressure_pa: f64,
    },
    /// Wayne (1991), as in HyRAM.
    Wayne {
        /// Relative humidity, 0–1.
        relative_humidity: f64,
        /// Air temperature, K.
        temperature_k: f64,
        /// CO₂ concentration, ppm (default 400, **assumed**).
        #[serde(default = "co2_default")]
        co2_ppm: f64,
    },
}

impl Transmissivity {
    /// Refuses non-finite or out-of-range parameters.
    pub fn validate(&self) -> Result<(), QraError> {
        match *self {
            Transmissivity::None => {}
            Transmissivity::Fixed { value } => {
                fraction("value", value)?;
            }
            Transmissivity::Bagster {
                relative_humidity,
                temperature_k,
            } => {
                fraction("relative_humidity", relative_humidity)?;
                check("temperature_k", temperature_k, "200 <= value <= 400", |v| {
                    (200.0..=400.0).contains(&v)
                })?;
            }
            Transmissivity::BagsterPartialPressure {
                water_partial_pressure_pa,
            } => {
                check(
                    "water_partial_pressure_pa",
                    water_partial_pressure_pa,
                    "0 <= value <= 1e5",
                    |v| (0.0..=1e5).contains(&v),
                )?;
            }
            Transmissivity::Wayne {
                relative_humidity,
                temperature_k,
                co2_ppm,
            } => {
                fraction("relative_humidity", relative_humidity)?;
                check("temperature_k", temperature_k, "200 <= value <= 400", |v| {
                    (200.0..=400.0).contains(&v)
                })?;
                check("co2_ppm", co2_ppm, "0 <= value <= 1e6", |v| {
                    (0.0..=1e6).contains(&v)
                })?;
            }
        }
        Ok(())
    }

    /// τ over a path of `path_m` metres, in [0, 1], non-increasing in the path length;
    /// a non-positive or NaN path gives 1.
    pub fn at(&self, path_m: f64) -> f64 {
        if path_m.is_nan() || path_m <= 0.0 {
            return 1.0;
        }
        let tau = match *self {
            Transmissivity::None => 1.0,
            Transmissivity::Fixed { value } => value,
            Transmissivity::Bagster {
                relative_humidity,
                temperature_k,
            } => bagster(
                relative_humidity * water_saturation_pressure_pa(temperature_k),
                path_m,
            ),
            Transmissivity::BagsterPartialPressure {
                water_partial_pressure_pa,
            } => bagster(water_partial_pressure_pa, path_m),
            Transmissivity::Wayne {
                relative_humidity,
                temperature_k,
                co2_ppm,
            } => {
                let t = temperature_k;
                let x_h2o = relative_humidity * path_m * (20.386 - 5132.0 / t).exp() * 288.651 / t;
                let x_co2 = path_m * (273.0 / t) * (co2_ppm / 335.0);
                // Hold log X_H2O at the vertex of the fit's quadratic (−0.01171/(2·0.02368)).
                let lw = x_h2o.log10().max(-0.01171 / (2.0 * 0.02368));
                let lc = x_co2.log10();
                let co2_term = if lc.is_finite() {
                    -0.03188 * lc + 0.001164 * lc * lc
                } else {
                    f64::INFINITY
                };
                1.006 - 0.01171 * lw - 0.02368 * lw * lw + co2_term
            }
        };
        if tau.is_nan() {
            1.0
        } else {
            tau.clamp(0.0, 1.0)
        }
    }
}

fn bagster(pw_pa: f64, path_m: f64) -> f64 {
    let tau = 2.02 * (pw_pa * path_m).powf(-0.09);
    if tau.is_nan() { 1.0 } else { tau.min(1.0) }
}

/// Input of [`atmospheric_transmissivity`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AtmosphericTransmissivityInput {
    /// Path length through the air, m.
    pub path_length_m: f64,
    /// The model.
    pub model: Transmissivity,
}

/// Output of [`atmospheric_transmissivity`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AtmosphericTransmissivityOutput {
    /// τ, 0–1.
    pub transmissivity: f64,
}

/// 大气透射率 — atmospheric transmissivity over a path.
pub fn atmospheric_transmissivity(
    input: &AtmosphericTransmissivityInput,
) -> Result<AtmosphericTransmissivityOutput, QraError> {
    let path = length("path_length_m", input.path_length_m)?;
    input.model.validate()?;
    Ok(AtmosphericTransmissivityOutput {
        transmissivity: finite_result(
            "atmospheric_transmissivity",
            "transmissivity",
            input.model.at(path),
        )?,
    })
}

// ---------------------------------------------------------------------------------------
// Vertical-cylinder view factor
// ---------------------------------------------------------------------------------------

/// View factors of a vertical cylinder to a ground-level target: `(F_v, F_h, F_max)` for
/// `h = H/R` and `S = X/R`. `S <= 1` (target at or inside the flame) gives `(1, 1, 1)`;
/// `h <= 0` gives zeros; NaN gives NaN.
pub fn cylinder_view_factors(h: f64, s: f64) -> (f64, f64, f64) {
    if h.is_nan() || s.is_nan() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    if s <= 1.0 {
        return (1.0, 1.0, 1.0);
    }
    if h <= 0.0 {
        return (0.0, 0.0, 0.0);
    }
    use std::f64::consts::PI;
    let a = (h * h + s * s + 1.0) / (2.0 * s);
    let b = (1.0 + s * s) / (2.0 * s);
    let sq_a = (a * a - 1.0).sqrt();
    let sq_b = (b * b - 1.0).sqrt();
    let ratio_s = (s - 1.0) / (s + 1.0);
    let atan_a = ((a + 1.0) * (s - 1.0) / ((a - 1.0) * (s + 1.0)))
        .sqrt()
        .atan();
    let atan_b = ((b + 1.0) * (s - 1.0) / ((b - 1.0) * (s + 1.0)))
        .sqrt()
        .atan();
    let fv = (h / (s * s - 1.0).sqrt()).atan() / (PI * s) - h / (PI * s) * ratio_s.sqrt().atan()
        + a * h / (PI * s * sq_a) * atan_a;
    let fh = (b - 1.0 / s) / (PI * sq_b) * atan_b - (a - 1.0 / s) / (PI * sq_a) * atan_a;
    let fv = if fv.is_finite() {
        fv.clamp(0.0, 1.0)
    } else {
        1.0
    };
    let fh = if fh.is_finite() {
        fh.clamp(0.0, 1.0)
    } else {
        1.0
    };
    let fmax = (fv * fv + fh * fh).sqrt().min(1.0);
    (fv, fh, fmax)
}

/// Input of [`view_factor_cylinder`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewFactorCylinderInput {
    /// Flame (cylinder) radius R, m.
    pub flame_radius_m: f64,
    /// Flame height H, m.
    pub flame_height_m: f64,
    /// Distance X from the cylinder axis to the ground-level target, m (must exceed R).
    pub distance_m: f64,
}

/// Output of [`view_factor_cylinder`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewFactorCylinderOutput {
    /// View factor to a vertical target, F_v.
    pub vertical: f64,
    /// View factor to a horizontal target, F_h.
    pub horizontal: f64,
    /// Maximum view factor √(F_v² + F_h²).
    pub maximum: f64,
}

/// 竖直圆柱火焰角系数 — view factors of a vertical cylindrical flame.
pub fn view_factor_cylinder(
    input: &ViewFactorCylinderInput,
) -> Result<ViewFactorCylinderOutput, QraError> {
    let r = length("flame_radius_m", input.flame_radius_m)?;
    let h = length("flame_height_m", input.flame_height_m)?;
    let x = check(
        "distance_m",
        input.distance_m,
        "flame_radius_m < value <= 1e5",
        |v| v > r && v <= 1e5,
    )?;
    let (fv, fh, fmax) = cylinder_view_factors(h / r, x / r);
    const MODEL: &str = "view_factor_cylinder";
    Ok(ViewFactorCylinderOutput {
        vertical: finite_result(MODEL, "vertical", fv)?,
        horizontal: finite_result(MODEL, "horizontal", fh)?,
        maximum: finite_result(MODEL, "maximum", fmax)?,
    })
}

// ---------------------------------------------------------------------------------------
// Pool fire
// ---------------------------------------------------------------------------------------

/// Thomas flame height without wind: `H = 42 D [ṁ''/(ρ_a √(gD))]^0.61`, m.
pub fn thomas_flame_height_m(
    diameter_m: f64,
    burning_rate_kg_m2_s: f64,
    air_density_kg_m3: f64,
) -> f64 {
    let d = diameter_m;
    42.0 * d * (burning_rate_kg_m2_s / (air_density_kg_m3 * (GRAVITY_M_S2 * d).sqrt())).powf(0.61)
}

/// Mudan & Croce surface emissive power `E_m e^(−sD) + E_s (1 − e^(−sD))` (units of `E_m`).
pub fn mudan_sep(diameter_m: f64, max_sep: f64, soot_sep: f64, extinction_per_m: f64) -> f64 {
    let e = (-extinction_per_m * diameter_m).exp();
    max_sep * e + soot_sep * (1.0 - e)
}

/// A burning pool as a vertical cylindrical flame, for fast flux evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PoolFireFlame {
    /// Flame (pool) radius, m.
    pub radius_m: f64,
    /// Flame height, m.
    pub height_m: f64,
    /// Surface emissive power, W/m².
    pub surface_emissive_power_w_m2: f64,
    /// Atmospheric transmissivity model (path from the flame surface).
    pub transmissivity: Transmissivity,
}

impl PoolFireFlame {
    /// Received flux (W/m²) at a ground-level target `distance_m` from the pool centre:
    /// `E F_max τ(X − R)`; the SEP itself at or inside the flame. Non-increasing in distance.
    pub fn flux_w_m2_at(&self, distance_m: f64) -> f64 {
        let s = distance_m / self.radius_m;
        let (_, _, f) = cylinder_view_factors(self.height_m / self.radius_m, s);
        self.surface_emissive_power_w_m2 * f * self.transmissivity.at(distance_m - self.radius_m)
    }

    /// The largest distance from the pool centre (m) at which the flux is at least
    /// `flux_w_m2`; `None` when the flux nowhere reaches it (or it is not positive).
    pub fn distance_to_flux_m(&self, flux_w_m2: f64) -> Option<f64> {
        if not_positive(flux_w_m2) || flux_w_m2 > self.surface_emissive_power_w_m2 {
            return None;
        }
        let r = self.radius_m;
        let mut hi = 2.0 * r;
        while self.flux_w_m2_at(hi) >= flux_w_m2 {
            hi *= 2.0;
            if hi > 1e8 {
                return None;
            }
        }
        outer_crossing(|d| self.flux_w_m2_at(d), flux_w_m2, 0.0, hi)
    }

    /// Lethality (0–1) at `distance_m` under `harm`.
    pub fn lethality_at(&self, distance_m: f64, harm: &ThermalHarm) -> f64 {
        thermal_lethality(self.flux_w_m2_at(distance_m), harm)
    }
}

fn default_air_density() -> f64 {
    1.2
}
fn default_ambient_temperature() -> f64 {
    293.15
}
fn default_em() -> f64 {
    140.0
}
fn default_es() -> f64 {
    20.0
}
fn default_s() -> f64 {
    0.12
}

/// Input of [`pool_fire`]. Give `pool_diameter_m` or `spill_rate_kg_s`; give
/// `burning_rate_kg_m2_s` or the Burgess properties (`heat_of_combustion_j_kg`,
/// `heat_of_vaporization_j_kg`, and for liquids boiling above ambient `boiling_point_k` and
/// `liquid_heat_capacity_j_kg_k`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolFireInput {
    /// Pool diameter D, m.
    #[serde(default)]
    pub pool_diameter_m: Option<f64>,
    /// Continuous spill rate, kg/s (the pool burns at its equilibrium diameter).
    #[serde(default)]
    pub spill_rate_kg_s: Option<f64>,
    /// Mass burning rate ṁ'', kg/(m²·s) (e.g. gasoline 0.055, LNG 0.078, propane 0.099).
    #[serde(default)]
    pub burning_rate_kg_m2_s: Option<f64>,
    /// Heat of combustion ΔH_c, J/kg (Burgess; also gives the heat release rate).
    #[serde(default)]
    pub heat_of_combustion_j_kg: Option<f64>,
    /// Heat of vaporisation ΔH_v at the boiling point, J/kg (Burgess).
    #[serde(default)]
    pub heat_of_vaporization_j_kg: Option<f64>,
    /// Liquid heat capacity c_p, J/(kg·K) (Burgess; default 0).
    #[serde(default)]
    pub liquid_heat_capacity_j_kg_k: Option<f64>,
    /// Normal boiling point T_b, K (Burgess).
    #[serde(default)]
    pub boiling_point_k: Option<f64>,
    /// Ambient temperature T_a, K (default 293.15, **assumed**).
    #[serde(default = "default_ambient_temperature")]
    pub ambient_temperature_k: f64,
    /// Large-pool factor kβ, 1/m: `ṁ'' · (1 − e^(−kβ D))` (default: none).
    #[serde(default)]
    pub k_beta_per_m: Option<f64>,
    /// Air density ρ_a, kg/m³ (default 1.2, **assumed**).
    #[serde(default = "default_air_density")]
    pub air_density_kg_m3: f64,
    /// Wind speed u_w, m/s (default 0: Thomas no-wind correlation).
    #[serde(default)]
    pub wind_speed_m_s: f64,
    /// Fuel vapour density ρ_v at the boiling point, kg/m³ (needed with wind).
    #[serde(default)]
    pub vapour_density_kg_m3: Option<f64>,
    /// Given surface emissive power, kW/m² (replaces Mudan & Croce).
    #[serde(default)]
    pub surface_emissive_power_kw_m2: Option<f64>,
    /// Mudan & Croce E_m, kW/m² (default 140).
    #[serde(default = "default_em")]
    pub max_emissive_power_kw_m2: f64,
    /// Mudan & Croce soot E_s, kW/m² (default 20).
    #[serde(default = "default_es")]
    pub soot_emissive_power_kw_m2: f64,
    /// Mudan & Croce extinction coefficient s, 1/m (default 0.12).
    #[serde(default = "default_s")]
    pub sep_extinction_per_m: f64,
    /// Transmissivity model (default `none`, τ = 1).
    #[serde(default)]
    pub transmissivity: Transmissivity,
    /// Distance of the ground-level target from the pool centre, m.
    pub distance_m: f64,
}

/// Output of [`pool_fire`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolFireOutput {
    /// Pool diameter, m.
    pub pool_diameter_m: f64,
    /// Mass burning rate, kg/(m²·s).
    pub burning_rate_kg_m2_s: f64,
    /// Flame height, m.
    pub flame_height_m: f64,
    /// Flame height over diameter.
    pub flame_height_to_diameter: f64,
    /// Flame tilt from the vertical (AGA), degrees (0 without wind; not used in F).
    pub flame_tilt_deg: f64,
    /// Surface emissive power, kW/m².
    pub surface_emissive_power_kw_m2: f64,
    /// View factor to a vertical target.
    pub view_factor_vertical: f64,
    /// View factor to a horizontal target.
    pub view_factor_horizontal: f64,
    /// Maximum view factor (used for the flux).
    pub view_factor_maximum: f64,
    /// Atmospheric transmissivity over `distance − R`.
    pub transmissivity: f64,
    /// Received heat flux at the target, kW/m².
    pub heat_flux_kw_m2: f64,
    /// Total heat release rate ṁ'' A ΔH_c, MW (when ΔH_c is given).
    pub heat_release_rate_mw: Option<f64>,
    /// The flame, for [`PoolFireFlame::flux_w_m2_at`] and friends.
    pub flame: PoolFireFlame,
}

/// 池火 — pool fire: size, burning rate, flame height, SEP, view factor and received flux.
pub fn pool_fire(input: &PoolFireInput) -> Result<PoolFireOutput, QraError> {
    const MODEL: &str = "pool_fire";
    let invalid = |message: &str| QraError::InvalidInput {
        model: MODEL,
        message: message.to_owned(),
    };
    let ta = temperature("ambient_temperature_k", input.ambient_temperature_k)?;
    let rho_a = positive(
        "air_density_kg_m3",
        input.air_density_kg_m3,
        100.0,
        "0 < value <= 100",
    )?;
    let hc = input
        .heat_of_combustion_j_kg
        .map(|v| positive("heat_of_combustion_j_kg", v, 1e9, "0 < value <= 1e9"))
        .transpose()?;
    // Burning rate at infinite diameter.
    let m_inf = match input.burning_rate_kg_m2_s {
        Some(m) => positive("burning_rate_kg_m2_s", m, 10.0, "0 < value <= 10")?,
        None => {
            let (Some(hc), Some(hv)) = (hc, input.heat_of_vaporization_j_kg) else {
                return Err(invalid(
                    "give `burning_rate_kg_m2_s`, or `heat_of_combustion_j_kg` and `heat_of_vaporization_j_kg` / 请给出 `burning_rate_kg_m2_s`，或 `heat_of_combustion_j_kg` 与 `heat_of_vaporization_j_kg`",
                ));
            };
            let hv = positive("heat_of_vaporization_j_kg", hv, 1e9, "0 < value <= 1e9")?;
            let sensible = match input.boiling_point_k {
                Some(tb) => {
                    let tb = temperature("boiling_point_k", tb)?;
                    let cp = check(
                        "liquid_heat_capacity_j_kg_k",
                        input.liquid_heat_capacity_j_kg_k.unwrap_or(0.0),
                        "0 <= value <= 1e5",
                        |v| (0.0..=1e5).contains(&v),
                    )?;
                    if tb > ta { cp * (tb - ta) } else { 0.0 }
                }
                None => 0.0,
            };
            let m = 1e-3 * hc / (hv + sensible);
            check("burning rate (Burgess)", m, "0 < value <= 10", |v| {
                v > 0.0 && v <= 10.0
            })?
        }
    };
    let k_beta = input
        .k_beta_per_m
        .map(|v| positive("k_beta_per_m", v, 1e3, "0 < value <= 1e3"))
        .transpose()?;
    let burning = |d: f64| match k_beta {
        Some(kb) => m_inf * (1.0 - (-kb * d).exp()),
        None => m_inf,
    };
    let diameter = match (input.pool_diameter_m, input.spill_rate_kg_s) {
        (Some(d), None) => length("pool_diameter_m", d)?,
        (None, Some(q)) => {
            let q = positive("spill_rate_kg_s", q, 1e6, "0 < value <= 1e6")?;
            // Fixed point of D = √(4 q / (π ṁ''(D))) (one step without kβ).
            let mut d = (4.0 * q / (std::f64::consts::PI * m_inf)).sqrt();
            if k_beta.is_some() {
                for _ in 0..200 {
                    let next = (4.0 * q / (std::f64::consts::PI * burning(d))).sqrt();
                    if (next - d).abs() <= 1e-12 * d {
                        d = next;
                        break;
                    }
                    d = next;
                }
            }
            check(
                "equilibrium pool diameter (m)",
                d,
                "0 < value <= 1e5",
                |v| v > 0.0 && v <= 1e5,
            )?
        }
        _ => {
            return Err(invalid(
                "give exactly one of `pool_diameter_m` and `spill_rate_kg_s` / 请给出 `pool_diameter_m` 与 `spill_rate_kg_s` 之一（且仅一个）",
            ));
        }
    };
    let m = burning(diameter);
    if not_positive(m) {
        return Err(QraError::NonFiniteResult {
            model: MODEL,
            quantity: "burning_rate_kg_m2_s",
        });
    }
    let wind = check(
        "wind_speed_m_s",
        input.wind_speed_m_s,
        "0 <= value <= 100",
        |v| (0.0..=100.0).contains(&v),
    )?;
    let group = m / (rho_a * (GRAVITY_M_S2 * diameter).sqrt());
    let (h_over_d, tilt_deg) = if wind > 0.0 {
        let Some(rho_v) = input.vapour_density_kg_m3 else {
            return Err(invalid(
                "with wind, give `vapour_density_kg_m3` / 有风时请给出 `vapour_density_kg_m3`",
            ));
        };
        let rho_v = positive("vapour_density_kg_m3", rho_v, 1e3, "0 < value <= 1e3")?;
        let u_star = (wind / (GRAVITY_M_S2 * m * diameter / rho_v).cbrt()).max(1.0);
        let tilt = (1.0 / u_star.sqrt()).acos().to_degrees();
        (55.0 * group.powf(0.67) * u_star.powf(-0.21), tilt)
    } else {
        (42.0 * group.powf(0.61), 0.0)
    };
    let height = finite_result(MODEL, "flame_height_m", h_over_d * diameter)?;
    let sep_kw = match input.surface_emissive_power_kw_m2 {
        Some(e) => positive("surface_emissive_power_kw_m2", e, 1e4, "0 < value <= 1e4")?,
        None => {
            let em = positive(
                "max_emissive_power_kw_m2",
                input.max_emissive_power_kw_m2,
                1e4,
                "0 < value <= 1e4",
            )?;
            let es = check(
                "soot_emissive_power_kw_m2",
                input.soot_emissive_power_kw_m2,
                "0 <= value <= 1e4",
                |v| (0.0..=1e4).contains(&v),
            )?;
            let s = check(
                "sep_extinction_per_m",
                input.sep_extinction_per_m,
                "0 <= value <= 100",
                |v| (0.0..=100.0).contains(&v),
            )?;
            mudan_sep(diameter, em, es, s)
        }
    };
    input.transmissivity.validate()?;
    let x = length("distance_m", input.distance_m)?;
    let radius = diameter / 2.0;
    let flame = PoolFireFlame {
        radius_m: radius,
        height_m: height,
        surface_emissive_power_w_m2: sep_kw * 1e3,
        transmissivity: input.transmissivity,
    };
    let (fv, fh, fmax) = cylinder_view_factors(height / radius, x / radius);
    let tau = input.transmissivity.at(x - radius);
    Ok(PoolFireOutput {
        pool_diameter_m: diameter,
        burning_rate_kg_m2_s: m,
        flame_height_m: height,
        flame_height_to_diameter: finite_result(MODEL, "flame_height_to_diameter", h_over_d)?,
        flame_tilt_deg: finite_result(MODEL, "flame_tilt_deg", tilt_deg)?,
        surface_emissive_power_kw_m2: finite_result(MODEL, "surface_emissive_power_kw_m2", sep_kw)?,
        view_factor_vertical: finite_result(MODEL, "view_factor_vertical", fv)?,
        view_factor_horizontal: finite_result(MODEL, "view_factor_horizontal", fh)?,
        view_factor_maximum: finite_result(MODEL, "view_factor_maximum", fmax)?,
        transmissivity: tau,
        heat_flux_kw_m2: finite_result(MODEL, "heat_flux_kw_m2", flame.flux_w_m2_at(x) / 1e3)?,
        heat_release_rate_mw: hc
            .map(|hc| {
                finite_result(
                    MODEL,
                    "heat_release_rate_mw",
                    m * std::f64::consts::PI * radius * radius * hc / 1e6,
                )
            })
            .transpose()?,
        flame,
    })
}

// ---------------------------------------------------------------------------------------
// Gas jet source (Abel–Noble choked flow + notional nozzle), shared with `vce`
// ---------------------------------------------------------------------------------------

/// Properties of a gaseous fuel for the jet models.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JetFuel {
    /// Molar mass, kg/mol.
    pub molar_mass_kg_mol: f64,
    /// Ratio of specific heats γ (constant).
    pub heat_capacity_ratio: f64,
    /// Abel–Noble co-volume b, m³/kg (0: ideal gas).
    pub abel_noble_covolume_m3_kg: f64,
    /// Heat of combustion ΔH_c, J/kg.
    pub heat_of_combustion_j_kg: f64,
    /// Stoichiometric mixture fraction f_s (fuel mass fraction of the stoichiometric mixture
    /// with air).
    pub stoichiometric_mixture_fraction: f64,
    /// Adiabatic flame temperature T_ad, K.
    pub adiabatic_flame_temperature_k: f64,
    /// Mean molar mass of the stoichiometric combustion products, kg/mol.
    pub product_molar_mass_kg_mol: f64,
    /// Planck-mean absorption coefficient a_p, 1/m.
    pub planck_absorption_coefficient_per_m: f64,
}

impl JetFuel {
    /// Hydrogen (see the [module documentation](self) for the sources and the assumed values).
    pub const HYDROGEN: JetFuel = JetFuel {
        molar_mass_kg_mol: 2.01588e-3,
        heat_capacity_ratio: 1.405,
        abel_noble_covolume_m3_kg: 7.69e-3,
        heat_of_combustion_j_kg: 1.2e8,
        stoichiometric_mixture_fraction: 0.02852,
        adiabatic_flame_temperature_k: 2390.0,
        product_molar_mass_kg_mol: 24.54e-3,
        planck_absorption_coefficient_per_m: 0.23,
    };

    /// Refuses non-finite or out-of-range properties.
    pub fn validate(&self) -> Result<(), QraError> {
        positive(
            "molar_mass_kg_mol",
            self.molar_mass_kg_mol,
            1.0,
            "0 < value <= 1",
        )?;
        check(
            "heat_capacity_ratio",
            self.heat_capacity_ratio,
            "1 < value <= 2",
            |v| v > 1.0 && v <= 2.0,
        )?;
        check(
            "abel_noble_covolume_m3_kg",
            self.abel_noble_covolume_m3_kg,
            "0 <= value <= 1",
            |v| (0.0..=1.0).contains(&v),
        )?;
        positive(
            "heat_of_combustion_j_kg",
            self.heat_of_combustion_j_kg,
            1e9,
            "0 < value <= 1e9",
        )?;
        check(
            "stoichiometric_mixture_fraction",
            self.stoichiometric_mixture_fraction,
            "0 < value < 1",
            |v| v > 0.0 && v < 1.0,
        )?;
        temperature(
            "adiabatic_flame_temperature_k",
            self.adiabatic_flame_temperature_k,
        )?;
        positive(
            "product_molar_mass_kg_mol",
            self.product_molar_mass_kg_mol,
            1.0,
            "0 < value <= 1",
        )?;
        positive(
            "planck_absorption_coefficient_per_m",
            self.planck_absorption_coefficient_per_m,
            100.0,
            "0 < value <= 100",
        )?;
        Ok(())
    }
}

/// Release of a gas through a hole, expanded to ambient pressure (notional nozzle).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GasJetSource {
    /// Mass flow rate, kg/s.
    pub mass_flow_rate_kg_s: f64,
    /// Whether the flow is choked at the hole.
    pub choked: bool,
    /// Throat (hole) pressure, Pa.
    pub throat_pressure_pa: f64,
    /// Throat velocity, m/s.
    pub throat_velocity_m_s: f64,
    /// Throat density, kg/m³.
    pub throat_density_kg_m3: f64,
    /// Notional-nozzle (ambient pressure) velocity, m/s.
    pub notional_velocity_m_s: f64,
    /// Notional-nozzle temperature, K.
    pub notional_temperature_k: f64,
    /// Notional-nozzle density, kg/m³.
    pub notional_density_kg_m3: f64,
    /// Notional-nozzle diameter, m.
    pub notional_diameter_m: f64,
    /// Ambient air density, kg/m³.
    pub air_density_kg_m3: f64,
    /// Momentum diameter `d* = D_n √(ρ_n/ρ_a)`, m.
    pub momentum_diameter_m: f64,
}

/// Gas release through a hole from a reservoir at `(p0, t0)` (Abel–Noble isentropic flow,
/// choked or not) and its Yüceil–Ötügen notional nozzle at ambient pressure.
pub fn gas_jet_source(
    fuel: &JetFuel,
    reservoir_pressure_pa: f64,
    reservoir_temperature_k: f64,
    hole_diameter_m: f64,
    discharge_coefficient: f64,
    ambient_pressure_pa: f64,
    ambient_temperature_k: f64,
) -> Result<GasJetSource, QraError> {
    const MODEL: &str = "gas_jet_source";
    fuel.validate()?;
    let p0 = pressure("reservoir_pressure_pa", reservoir_pressure_pa)?;
    let t0 = temperature("reservoir_temperature_k", reservoir_temperature_k)?;
    let d = positive("hole_diameter_m", hole_diameter_m, 10.0, "0 < value <= 10")?;
    let cd = check(
        "discharge_coefficient",
        discharge_coefficient,
        "0 < value <= 1",
        |v| v > 0.0 && v <= 1.0,
    )?;
    let pa = pressure("ambient_pressure_pa", ambient_pressure_pa)?;
    let ta = temperature("ambient_temperature_k", ambient_temperature_k)?;
    if p0 <= pa {
        return Err(QraError::OutOfRange {
            field: "reservoir_pressure_pa",
            value: p0,
            expected: "value > ambient_pressure_pa",
        });
    }
    let gamma = fuel.heat_capacity_ratio;
    let r = GAS_CONSTANT / fuel.molar_mass_kg_mol;
    let b = fuel.abel_noble_covolume_m3_kg;
    let cv = r / (gamma - 1.0);
    let cp = gamma * cv;
    let v0 = b + r * t0 / p0;
    let h0 = cv * t0 + p0 * v0;
    let k_isen = p0 * (v0 - b).powf(gamma);
    // State on the isentrope at pressure p: (v, h, c²).
    let state = |p: f64| {
        let v = b + (k_isen / p).powf(1.0 / gamma);
        let t = p * (v - b) / r;
        let h = cv * t + p * v;
        let c2 = gamma * p * v * v / (v - b);
        (v, h, c2)
    };
    // Sonic throat: 2(h0 − h(p)) = c²(p), bisection in (0, p0).
    let (mut lo, mut hi) = (0.0_f64, p0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        let (_, h, c2) = state(mid);
        if 2.0 * (h0 - h) > c2 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-13 * p0 {
            break;
        }
    }
    let p_star = 0.5 * (lo + hi);
    let choked = p_star > pa;
    let pt = if choked { p_star } else { pa };
    let (vt, ht, _) = state(pt);
    let ut = (2.0 * (h0 - ht)).max(0.0).sqrt();
    let rho_t = 1.0 / vt;
    let area = std::f64::consts::PI / 4.0 * d * d;
    let m_dot = finite_result(MODEL, "mass_flow_rate_kg_s", cd * rho_t * ut * area)?;
    if not_positive(m_dot) {
        return Err(QraError::NonFiniteResult {
            model: MODEL,
            quantity: "mass_flow_rate_kg_s",
        });
    }
    let un = ut + (pt - pa) / (rho_t * ut);
    let hn = ht + 0.5 * ut * ut - 0.5 * un * un;
    // h = cp T + p b at the notional state.
    let tn = (hn - pa * b) / cp;
    if not_positive(tn) {
        return Err(QraError::OutsideValidity {
            model: MODEL,
            quantity: "notional-nozzle temperature (K)",
            value: tn,
            min: 0.0,
            max: f64::INFINITY,
        });
    }
    let rho_n = 1.0 / (b + r * tn / pa);
    let dn = (4.0 * m_dot / (std::f64::consts::PI * rho_n * un)).sqrt();
    let rho_air = pa * AIR_MOLAR_MASS_KG_MOL / (GAS_CONSTANT * ta);
    Ok(GasJetSource {
        mass_flow_rate_kg_s: m_dot,
        choked,
        throat_pressure_pa: pt,
        throat_velocity_m_s: finite_result(MODEL, "throat_velocity_m_s", ut)?,
        throat_density_kg_m3: rho_t,
        notional_velocity_m_s: finite_result(MODEL, "notional_velocity_m_s", un)?,
        notional_temperature_k: tn,
        notional_density_kg_m3: finite_result(MODEL, "notional_density_kg_m3", rho_n)?,
        notional_diameter_m: finite_result(MODEL, "notional_diameter_m", dn)?,
        air_density_kg_m3: rho_air,
        momentum_diameter_m: finite_result(
            MODEL,
            "momentum_diameter_m",
            dn * (rho_n / rho_air).sqrt(),
        )?,
    })
}

// ---------------------------------------------------------------------------------------
// Jet fire
// ---------------------------------------------------------------------------------------

/// Number of point sources of the weighted multi-source radiation model.
pub const JET_FLAME_SOURCES: usize = 50;

/// A jet flame as weighted point sources on a straight axis, for fast flux evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JetFlame {
    /// Source positions `[x, y, z]` (m) and weights (summing to 1).
    pub sources: [([f64; 3], f64); JET_FLAME_SOURCES],
    /// Radiated power S_rad, W.
    pub radiant_power_w: f64,
    /// Visible flame length, m.
    pub length_m: f64,
    /// Flame origin (release point) `[x, y, z]`, m.
    pub origin_m: [f64; 3],
    /// Transmissivity model (Wayne).
    pub transmissivity: Transmissivity,
}

impl JetFlame {
    /// Builds the sources along a straight axis from `origin` in the unit direction `axis`.
    pub fn new(
        origin_m: [f64; 3],
        axis: [f64; 3],
        length_m: f64,
        radiant_power_w: f64,
        transmissivity: Transmissivity,
    ) -> Self {
        let n = JET_FLAME_SOURCES as f64;
        let mut sources = [([0.0; 3], 0.0); JET_FLAME_SOURCES];
        let mut total = 0.0;
        for (j, src) in sources.iter_mut().enumerate() {
            let s = (j as f64 + 0.5) / n;
            let w = if s <= 0.75 {
                s / 0.75
            } else {
                (1.0 - s) / 0.25
            };
            let pos = [
                origin_m[0] + axis[0] * s * length_m,
                origin_m[1] + axis[1] * s * length_m,
                origin_m[2] + axis[2] * s * length_m,
            ];
            *src = (pos, w);
            total += w;
        }
        for src in sources.iter_mut() {
            src.1 /= total;
        }
        JetFlame {
            sources,
            radiant_power_w,
            length_m,
            origin_m,
            transmissivity,
        }
    }

    /// Received flux (W/m²) at `point`; with `normal` (need not be unit) the cosine of each
    /// source's direction is applied (sources behind the surface give nothing), without it
    /// each source is seen face-on (an upper bound). A point on a source gives +∞.
    pub fn flux_w_m2_at(&self, point_m: [f64; 3], normal: Option<[f64; 3]>) -> f64 {
        let n_unit = normal.and_then(|n| {
            let len = (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt();
            (len > 0.0 && len.is_finite()).then(|| [n[0] / len, n[1] / len, n[2] / len])
        });
        let mut q = 0.0;
        for (pos, w) in &self.sources {
            let dx = pos[0] - point_m[0];
            let dy = pos[1] - point_m[1];
            let dz = pos[2] - point_m[2];
            let d2 = dx * dx + dy * dy + dz * dz;
            let d = d2.sqrt();
            let cos = match n_unit {
                Some(n) => ((n[0] * dx + n[1] * dy + n[2] * dz) / d).max(0.0),
                None => 1.0,
            };
            q += w * cos * self.transmissivity.at(d) / (4.0 * std::f64::consts::PI * d2);
        }
        q * self.radiant_power_w
    }

    /// The largest horizontal distance (m) from the release point, along the ground-plane
    /// direction at `azimuth_deg` (0 along +x, 90 along +z), at height `receptor_height_m`,
    /// at which the face-on flux is at least `flux_w_m2`; `None` if never reached.
    pub fn distance_to_flux_m(
        &self,
        azimuth_deg: f64,
        receptor_height_m: f64,
        flux_w_m2: f64,
    ) -> Option<f64> {
        if not_positive(flux_w_m2) || !azimuth_deg.is_finite() || !receptor_height_m.is_finite() {
            return None;
        }
        let (sin, cos) = azimuth_deg.to_radians().sin_cos();
        let at = |d: f64| {
            self.flux_w_m2_at(
                [
                    self.origin_m[0] + d * cos,
                    receptor_height_m,
                    self.origin_m[2] + d * sin,
                ],
                None,
            )
        };
        // Beyond the flame, q <= S / (4π (d − L)²) (τ <= 1).
        let reach = self.length_m
            + (self.radiant_power_w / (4.0 * std::f64::consts::PI * flux_w_m2)).sqrt()
            + 1.0;
        if !reach.is_finite() {
            return None;
        }
        outer_crossing(at, flux_w_m2, 0.0, reach)
    }

    /// Lethality (0–1) at `point` (face-on flux) under `harm`.
    pub fn lethality_at(&self, point_m: [f64; 3], harm: &ThermalHarm) -> f64 {
        thermal_lethality(self.flux_w_m2_at(point_m, None), harm)
    }
}

/// A receptor (radiometer) of [`jet_fire`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JetReceptor {
    /// Position along the horizontal release azimuth, m.
    pub x_m: f64,
    /// Height above ground, m.
    pub y_m: f64,
    /// Lateral position, m.
    pub z_m: f64,
    /// Surface normal (any length); default: facing each source (upper bound).
    #[serde(default)]
    pub normal: Option<[f64; 3]>,
}

/// Flux at one receptor of [`jet_fire`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JetReceptorFlux {
    /// The receptor as given.
    pub receptor: JetReceptor,
    /// Received heat flux, kW/m².
    pub heat_flux_kw_m2: f64,
}

fn default_cd() -> f64 {
    1.0
}
fn default_pa() -> f64 {
    101_325.0
}
fn default_ta_jet() -> f64 {
    288.15
}
fn default_rh() -> f64 {
    0.7
}

/// Input of [`jet_fire`]. Coordinates: x horizontal along the release azimuth, y up, z
/// lateral; the release point is at `(0, release_height_m, 0)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JetFireInput {
    /// Fuel properties (default hydrogen, [`JetFuel::HYDROGEN`]).
    #[serde(default)]
    pub fuel: Option<JetFuel>,
    /// Reservoir (stagnation) pressure, Pa absolute.
    pub reservoir_pressure_pa: f64,
    /// Reservoir temperature, K.
    pub reservoir_temperature_k: f64,
    /// Hole (orifice) diameter, m.
    pub hole_diameter_m: f64,
    /// Discharge coefficient (default 1, as HyRAM's default; **assumed**).
    #[serde(default = "default_cd")]
    pub discharge_coefficient: f64,
    /// Ambient pressure, Pa (default 101 325).
    #[serde(default = "default_pa")]
    pub ambient_pressure_pa: f64,
    /// Ambient temperature, K (default 288.15, **assumed**).
    #[serde(default = "default_ta_jet")]
    pub ambient_temperature_k: f64,
    /// Relative humidity for Wayne's transmissivity, 0–1 (default 0.7, **assumed**).
    #[serde(default = "default_rh")]
    pub relative_humidity: f64,
    /// CO₂ concentration for Wayne's transmissivity, ppm (default 400, **assumed**).
    #[serde(default = "co2_default")]
    pub co2_ppm: f64,
    /// Height of the release point above ground, m (default 0).
    #[serde(default)]
    pub release_height_m: f64,
    /// Release direction above the horizontal, degrees (default 0: horizontal along +x).
    #[serde(default)]
    pub jet_angle_deg: f64,
    /// Receptors at which to compute the flux.
    #[serde(default)]
    pub receptors: Vec<JetReceptor>,
}

/// Output of [`jet_fire`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JetFireOutput {
    /// The release and its notional nozzle.
    pub source: GasJetSource,
    /// Flame Froude number Fr_f.
    pub froude_number: f64,
    /// Normalised flame length L*.
    pub normalised_length: f64,
    /// Visible flame length, m.
    pub flame_length_m: f64,
    /// Flame width, m.
    pub flame_width_m: f64,
    /// Flame residence time τ_f, ms.
    pub residence_time_ms: f64,
    /// Radiant fraction X_rad.
    pub radiant_fraction: f64,
    /// Radiated power, W.
    pub radiant_power_w: f64,
    /// Flux at each receptor.
    pub receptors: Vec<JetReceptorFlux>,
}

/// Jet flame length and radiated power from a gas jet source (the Sandia correlations).
fn jet_flame_geometry(
    fuel: &JetFuel,
    src: &GasJetSource,
    ambient_pressure_pa: f64,
    ambient_temperature_k: f64,
) -> (f64, f64, f64, f64, f64, f64) {
    let fs = fuel.stoichiometric_mixture_fraction;
    let t_ad = fuel.adiabatic_flame_temperature_k;
    let ta = ambient_temperature_k;
    let rho_ratio = src.notional_density_kg_m3 / src.air_density_kg_m3;
    let fr = src.notional_velocity_m_s * fs.powf(1.5)
        / (rho_ratio.powf(0.25)
            * ((t_ad - ta) / ta * GRAVITY_M_S2 * src.notional_diameter_m).sqrt());
    let l_star = if fr < 5.0 {
        13.5 * fr.powf(0.4) / (1.0 + 0.07 * fr * fr).powf(0.2)
    } else {
        23.0
    };
    let length = l_star * src.momentum_diameter_m / fs;
    let width = 0.17 * length;
    let rho_f = ambient_pressure_pa * fuel.product_molar_mass_kg_mol / (GAS_CONSTANT * t_ad);
    let tau_ms = std::f64::consts::PI / 12.0 * rho_f * width * width * length * fs
        / src.mass_flow_rate_kg_s
        * 1e3;
    let x_rad =
        9.45e-9 * (tau_ms * fuel.planck_absorption_coefficient_per_m * t_ad.powi(4)).powf(0.47);
    (fr, l_star, length, width, tau_ms, x_rad)
}

/// 喷射火 — gas jet fire: release, flame length, radiant fraction and flux at receptors.
pub fn jet_fire(input: &JetFireInput) -> Result<JetFireOutput, QraError> {
    const MODEL: &str = "jet_fire";
    let fuel = input.fuel.unwrap_or(JetFuel::HYDROGEN);
    let src = gas_jet_source(
        &fuel,
        input.reservoir_pressure_pa,
        input.reservoir_temperature_k,
        input.hole_diameter_m,
        input.discharge_coefficient,
        input.ambient_pressure_pa,
        input.ambient_temperature_k,
    )?;
    let transmissivity = Transmissivity::Wayne {
        relative_humidity: input.relative_humidity,
        temperature_k: input.ambient_temperature_k,
        co2_ppm: input.co2_ppm,
    };
    transmissivity.validate()?;
    let y0 = check(
        "release_height_m",
        input.release_height_m,
        "0 <= value <= 1e4",
        |v| (0.0..=1e4).contains(&v),
    )?;
    let angle = check(
        "jet_angle_deg",
        input.jet_angle_deg,
        "-90 <= value <= 90",
        |v| (-90.0..=90.0).contains(&v),
    )?;
    if input.receptors.len() > 10_000 {
        return Err(QraError::OutOfRange {
            field: "receptors",
            value: input.receptors.len() as f64,
            expected: "at most 10000 receptors",
        });
    }
    let (fr, l_star, length, width, tau_ms, x_rad) = jet_flame_geometry(
        &fuel,
        &src,
        input.ambient_pressure_pa,
        input.ambient_temperature_k,
    );
    let length = finite_result(MODEL, "flame_length_m", length)?;
    let x_rad = finite_result(MODEL, "radiant_fraction", x_rad)?;
    let power = finite_result(
        MODEL,
        "radiant_power_w",
        x_rad * src.mass_flow_rate_kg_s * fuel.heat_of_combustion_j_kg,
    )?;
    let (sin, cos) = angle.to_radians().sin_cos();
    let flame = JetFlame::new(
        [0.0, y0, 0.0],
        [cos, sin, 0.0],
        length,
        power,
        transmissivity,
    );
    let mut receptors = Vec::with_capacity(input.receptors.len());
    for r in &input.receptors {
        let x = check("x_m", r.x_m, "|value| <= 1e5", |v| v.abs() <= 1e5)?;
        let y = check("y_m", r.y_m, "|value| <= 1e5", |v| v.abs() <= 1e5)?;
        let z = check("z_m", r.z_m, "|value| <= 1e5", |v| v.abs() <= 1e5)?;
        if let Some(n) = r.normal {
            for c in n {
                check("normal", c, "|value| <= 1e6", |v| v.abs() <= 1e6)?;
            }
        }
        receptors.push(JetReceptorFlux {
            receptor: r.clone(),
            heat_flux_kw_m2: finite_result(
                MODEL,
                "heat_flux_kw_m2",
                flame.flux_w_m2_at([x, y, z], r.normal) / 1e3,
            )?,
        });
    }
    Ok(JetFireOutput {
        source: src,
        froude_number: finite_result(MODEL, "froude_number", fr)?,
        normalised_length: l_star,
        flame_length_m: length,
        flame_width_m: width,
        residence_time_ms: finite_result(MODEL, "residence_time_ms", tau_ms)?,
        radiant_fraction: x_rad,
        radiant_power_w: power,
        receptors,
    })
}

/// The flame of a jet fire as a [`JetFlame`], for the field helpers (release at
/// `(0, release_height_m, 0)`, direction `jet_angle_deg` above +x).
pub fn jet_flame(input: &JetFireInput) -> Result<JetFlame, QraError> {
    let out = jet_fire(&JetFireInput {
        receptors: Vec::new(),
        ..input.clone()
    })?;
    let (sin, cos) = input.jet_angle_deg.to_radians().sin_cos();
    Ok(JetFlame::new(
        [0.0, input.release_height_m, 0.0],
        [cos, sin, 0.0],
        out.flame_length_m,
        out.radiant_power_w,
        Transmissivity::Wayne {
            relative_humidity: input.relative_humidity,
            temperature_k: input.ambient_temperature_k,
            co2_ppm: input.co2_ppm,
        },
    ))
}

// ---------------------------------------------------------------------------------------
// Fireball
// ---------------------------------------------------------------------------------------

/// Fireball size and duration correlation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FireballCorrelation {
    /// CCPS (1994/2010).
    Ccps,
    /// TNO Yellow Book (CPR 14E).
    Tno,
}

/// `(diameter m, duration s, centre height m)` of a fireball of `mass_kg` (centre height
/// 0.75 D for both correlations).
pub fn fireball_size(correlation: FireballCorrelation, mass_kg: f64) -> (f64, f64, f64) {
    match correlation {
        FireballCorrelation::Ccps => {
            let d = 5.8 * mass_kg.cbrt();
            let t = if mass_kg < 30_000.0 {
                0.45 * mass_kg.cbrt()
            } else {
                2.6 * mass_kg.powf(1.0 / 6.0)
            };
            (d, t, 0.75 * d)
        }
        FireballCorrelation::Tno => {
            let d = 2.0 * 3.24 * mass_kg.powf(0.325);
            (d, 0.852 * mass_kg.powf(0.26), 0.75 * d)
        }
    }
}

/// A fireball, for fast flux evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FireballFlame {
    /// Diameter, m.
    pub diameter_m: f64,
    /// Duration, s.
    pub duration_s: f64,
    /// Height of the centre above ground, m.
    pub centre_height_m: f64,
    /// Surface emissive power, W/m².
    pub surface_emissive_power_w_m2: f64,
    /// Transmissivity model (path from the fireball surface).
    pub transmissivity: Transmissivity,
}

impl FireballFlame {
    /// Flux (W/m²) on a surface facing the centre, at ground distance `ground_distance_m`
    /// from the point below the centre and height `receptor_height_m`.
    pub fn flux_w_m2_at_point(&self, ground_distance_m: f64, receptor_height_m: f64) -> f64 {
        let dz = self.centre_height_m - receptor_height_m;
        let r = (ground_distance_m * ground_distance_m + dz * dz).sqrt();
        let radius = self.diameter_m / 2.0;
        let f = if r <= radius {
            1.0
        } else {
            (radius / r).powi(2)
        };
        self.surface_emissive_power_w_m2 * f * self.transmissivity.at(r - radius)
    }

    /// Flux (W/m²) at ground level, `ground_distance_m` from the point below the centre.
    /// Non-increasing in distance.
    pub fn flux_w_m2_at(&self, ground_distance_m: f64) -> f64 {
        self.flux_w_m2_at_point(ground_distance_m.abs(), 0.0)
    }

    /// The largest ground distance (m) at which the ground-level flux is at least `flux_w_m2`;
    /// `None` if never reached.
    pub fn distance_to_flux_m(&self, flux_w_m2: f64) -> Option<f64> {
        if not_positive(flux_w_m2) || self.flux_w_m2_at(0.0) < flux_w_m2 {
            return None;
        }
        // q <= E (D/2)²/r² bounds the reach.
        let reach =
            self.diameter_m / 2.0 * (self.surface_emissive_power_w_m2 / flux_w_m2).sqrt() + 1.0;
        if !reach.is_finite() {
            return None;
        }
        outer_crossing(|d| self.flux_w_m2_at(d), flux_w_m2, 0.0, reach)
    }

    /// Lethality (0–1) at ground distance `ground_distance_m`; the exposure is the shorter of
    /// the fireball duration and `harm.exposure_s`.
    pub fn lethality_at(&self, ground_distance_m: f64, harm: &ThermalHarm) -> f64 {
        let harm = ThermalHarm {
            exposure_s: harm.exposure_s.min(self.duration_s),
            ..*harm
        };
        thermal_lethality(self.flux_w_m2_at(ground_distance_m), &harm)
    }
}

/// Input of [`fireball`]. The SEP comes from `surface_emissive_power_kw_m2`, or from the
/// radiant fraction (`radiant_fraction`, or Roberts' `0.25 P^0.32` from
/// `burst_pressure_pa`) with `heat_of_combustion_j_kg`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FireballInput {
    /// Fuel mass in the fireball, kg.
    pub mass_kg: f64,
    /// Size/duration correlation.
    pub correlation: FireballCorrelation,
    /// Heat of combustion, J/kg.
    #[serde(default)]
    pub heat_of_combustion_j_kg: Option<f64>,
    /// Vessel pressure at burst, Pa absolute (Roberts radiant fraction).
    #[serde(default)]
    pub burst_pressure_pa: Option<f64>,
    /// Radiant fraction, 0–1.
    #[serde(default)]
    pub radiant_fraction: Option<f64>,
    /// Given surface emissive power, kW/m².
    #[serde(default)]
    pub surface_emissive_power_kw_m2: Option<f64>,
    /// Centre height, m (default 0.75 D).
    #[serde(default)]
    pub centre_height_m: Option<f64>,
    /// Transmissivity model (default `none`, τ = 1).
    #[serde(default)]
    pub transmissivity: Transmissivity,
    /// Ground distance of the target from the point below the centre, m.
    pub distance_m: f64,
    /// Target height, m (default 0).
    #[serde(default)]
    pub receptor_height_m: f64,
}

/// Output of [`fireball`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FireballOutput {
    /// Fireball diameter, m.
    pub diameter_m: f64,
    /// Duration, s.
    pub duration_s: f64,
    /// Centre height, m.
    pub centre_height_m: f64,
    /// Radiant fraction used (`null` when the SEP was given).
    pub radiant_fraction: Option<f64>,
    /// Surface emissive power, kW/m².
    pub surface_emissive_power_kw_m2: f64,
    /// View factor to the target.
    pub view_factor: f64,
    /// Transmissivity from the fireball surface to the target.
    pub transmissivity: f64,
    /// Received heat flux, kW/m².
    pub heat_flux_kw_m2: f64,
    /// Thermal dose over the fireball duration, t q^(4/3) with q in W/m².
    pub thermal_dose: f64,
    /// The fireball, for [`FireballFlame::flux_w_m2_at`] and friends.
    pub flame: FireballFlame,
}

/// 火球 — fireball (BLEVE): size, duration, SEP, flux and dose at a target.
pub fn fireball(input: &FireballInput) -> Result<FireballOutput, QraError> {
    const MODEL: &str = "fireball";
    let m = positive("mass_kg", input.mass_kg, 1e9, "0 < value <= 1e9")?;
    let (d, t, h_default) = fireball_size(input.correlation, m);
    let h = match input.centre_height_m {
        Some(h) => check("centre_height_m", h, "0 <= value <= 1e5", |v| {
            (0.0..=1e5).contains(&v)
        })?,
        None => h_default,
    };
    let (x_rad, sep_kw) = match input.surface_emissive_power_kw_m2 {
        Some(e) => (
            None,
            positive("surface_emissive_power_kw_m2", e, 1e4, "0 < value <= 1e4")?,
        ),
        None => {
            let Some(hc) = input.heat_of_combustion_j_kg else {
                return Err(QraError::InvalidInput {
                    model: MODEL,
                    message: "give `surface_emissive_power_kw_m2`, or `heat_of_combustion_j_kg` with `radiant_fraction` or `burst_pressure_pa` / 请给出 `surface_emissive_power_kw_m2`，或 `heat_of_combustion_j_kg` 及 `radiant_fraction` 或 `burst_pressure_pa`".to_owned(),
                });
            };
            let hc = positive("heat_of_combustion_j_kg", hc, 1e9, "0 < value <= 1e9")?;
            let f = match (input.radiant_fraction, input.burst_pressure_pa) {
                (Some(f), None) => check("radiant_fraction", f, "0 < value <= 1", |v| {
                    v > 0.0 && v <= 1.0
                })?,
                (None, Some(p)) => {
                    let p = pressure("burst_pressure_pa", p)?;
                    (0.25 * (p / 1e6).powf(0.32)).min(1.0)
                }
                _ => {
                    return Err(QraError::InvalidInput {
                        model: MODEL,
                        message: "give exactly one of `radiant_fraction` and `burst_pressure_pa` / 请给出 `radiant_fraction` 与 `burst_pressure_pa` 之一（且仅一个）".to_owned(),
                    });
                }
            };
            let e = f * m * hc / (std::f64::consts::PI * d * d * t) / 1e3;
            (
                Some(f),
                finite_result(MODEL, "surface_emissive_power_kw_m2", e)?,
            )
        }
    };
    input.transmissivity.validate()?;
    let x = check("distance_m", input.distance_m, "0 <= value <= 1e5", |v| {
        (0.0..=1e5).contains(&v)
    })?;
    let z = check(
        "receptor_height_m",
        input.receptor_height_m,
        "0 <= value <= 1e5",
        |v| (0.0..=1e5).contains(&v),
    )?;
    let flame = FireballFlame {
        diameter_m: d,
        duration_s: t,
        centre_height_m: h,
        surface_emissive_power_w_m2: sep_kw * 1e3,
        transmissivity: input.transmissivity,
    };
    let r = (x * x + (h - z) * (h - z)).sqrt();
    let view = if r <= d / 2.0 {
        1.0
    } else {
        (d / 2.0 / r).powi(2)
    };
    let q = flame.flux_w_m2_at_point(x, z);
    Ok(FireballOutput {
        diameter_m: finite_result(MODEL, "diameter_m", d)?,
        duration_s: finite_result(MODEL, "duration_s", t)?,
        centre_height_m: h,
        radiant_fraction: x_rad,
        surface_emissive_power_kw_m2: sep_kw,
        view_factor: view,
        transmissivity: input.transmissivity.at(r - d / 2.0),
        heat_flux_kw_m2: finite_result(MODEL, "heat_flux_kw_m2", q / 1e3)?,
        thermal_dose: finite_result(MODEL, "thermal_dose", t * q.powf(4.0 / 3.0))?,
        flame,
    })
}
