//! 泄漏源项 — discharge source terms: flash fraction of a superheated liquid (闪蒸分率),
//! two-phase (flashing) discharge through a hole (两相流泄漏), gas vessel blowdown (容器泄压),
//! and a storage-to-source convenience model (储存条件→泄漏源项).
//!
//! Equations follow weihua reference `shared/reference/qra-consequence.md` §7.3 and §7.4;
//! the reference marks them **unconfirmed — make configurable**, so every constant below
//! is an input with a documented default.
//!
//! # Flash fraction — [`flash_fraction`]
//!
//! Isenthalpic (adiabatic) flash of a liquid at `T` to the saturation temperature `T_b` at
//! ambient pressure, with constant liquid heat capacity `c_p` and heat of vaporisation ΔH_v
//! (CCPS 1999 *Guidelines for Consequence Analysis of Chemical Releases* §2.2.1; Crowl &
//! Louvar, *Chemical Process Safety*, flashing liquids; reference §7.4):
//!
//! - `exponential` (default): f_v = 1 − exp(−c_p (T − T_b)/ΔH_v) (the integral of
//!   dm/m = −c_p dT/ΔH_v);
//! - `linear`: f_v = c_p (T − T_b)/ΔH_v, capped at 1.
//!
//! Aerosol / rain-out: airborne fraction = min(1, `aerosol_factor`·f_v), the rest rains out
//! to a pool. `aerosol_factor` = 2 is the CCPS rule of thumb (reference §7.4), **assumed**.
//!
//! # Two-phase discharge — [`two_phase_orifice`]
//!
//! A saturated or subcooled liquid at storage pressure P₀ and temperature T₀ whose
//! saturation pressure P_s exceeds the ambient pressure P_a flows out through a hole of
//! area A (reference §7.4):
//!
//! - **`fauske`** (default) — Fauske's equilibrium rate model (ERM) with the
//!   non-equilibrium correction for short discharge lengths (Fauske & Epstein 1988, *J.
//!   Loss Prev. Process Ind.* 1, 75; as given in CCPS 1999 §2.1.2.3):
//!   - G_ERM = (ΔH_v / v_fg)·√(1/(c_p T₀)), v_fg = R T₀/(M P_s) − 1/ρ_l (ideal-gas vapour);
//!   - N = G_ERM² / (2 ρ_l C_d² (P_s − P_a)) + L/L_e with L_e = 0.1 m, for L < L_e;
//!     N = 1 (pure ERM) for L ≥ L_e;
//!   - G² = 2 ρ_l C_d² (P₀ − P_s) + G_ERM²/N (the first term is the subcooling part).
//!
//!   At L = 0 (a hole in a vessel wall, the **assumed** default `pipe_length_m`) this is
//!   Bernoulli flow of the liquid, G = C_d √(2ρ_l (P₀ − P_a)), which flashes outside (the
//!   Purple Book treatment of a vessel-wall hole); at L ≥ 0.1 m the flow is the equilibrium
//!   two-phase rate. The correction is discontinuous at L = L_e by the factor
//!   √(1 + G_ERM²/G_B²) (a few per cent for liquefied gases).
//! - **`hem`** — homogeneous equilibrium model: isentropic expansion of the homogeneous
//!   mixture, the liquid incompressible (ρ_l) down to P_s, then flashing along the
//!   Clausius–Clapeyron saturation line 1/T = 1/T₀ − R ln(P/P_s)/(M ΔH_v) with quality
//!   x = c_p T ln(T₀/T)/ΔH_v and v = (1−x)/ρ_l + x R T/(M P). Mass flux
//!   G(P) = √(2∫_P^P₀ v dP)/v(P), maximised over P_a ≤ P ≤ P₀ (choked where the maximum is
//!   above P_a); the hole flow is C_d·G. Integrated on 4000 logarithmic pressure steps.
//!
//! Validity: single-component liquid, constant c_p and ΔH_v, ideal-gas vapour well below
//! the critical point (v_fg > 0 is checked); no slip between phases.
//!
//! # Gas vessel blowdown — [`gas_vessel_blowdown`]
//!
//! A vessel of volume V holding an ideal gas at P₀, T₀ vents through a hole to P_a; the
//! flow through the hole is [`crate::orifice::gas_orifice`] (choked or sub-sonic) at the
//! instantaneous vessel state. With r = ρ/ρ₀ (reference §7.3):
//!
//! - `isothermal` (default, **assumed**: it gives the larger rates): T = T₀, P = P₀ r;
//! - `adiabatic`: isentropic vessel gas, P = P₀ r^k, T = T₀ r^(k−1).
//!
//! While choked the solution is closed-form, with τ = V / (C_d A ψ √(k P₀/ρ₀)),
//! ψ = (2/(k+1))^((k+1)/(2(k−1))): isothermal r = exp(−t/τ) (reference §7.3);
//! adiabatic r = (1 + (k−1) t/(2τ))^(−2/(k−1)). After un-choking, dm/dt = −ṁ is
//! integrated with classical Runge–Kutta (step about τ/400, 20 to 200 000 steps) until P
//! reaches P_a.
//! Mass is conserved by construction: released = m₀ − m(t).
//!
//! # Storage release — [`storage_release`]
//!
//! For a substance of [`crate::substance`] and a storage state: a stored gas is a
//! [`gas_vessel_blowdown`]; a liquid below its normal boiling point is
//! [`crate::liquid::liquid_orifice`]; a superheated liquid (pressurised liquefied gas) is
//! [`two_phase_orifice`] plus [`flash_fraction`]. The liquid rate is held constant (no
//! tank draining) and the release lasts `min(duration_s, inventory / rate)`. The output
//! says whether the initial cloud is denser than air (see [`StorageReleaseOutput`]).
//!
//! Accepted inputs (assumed bounds, refused outside) are stated on each input field.

use serde::{Deserialize, Serialize};

use crate::ModelEntry;
use crate::error::{QraError, check, finite_result};
use crate::liquid::{LiquidOrificeInput, liquid_orifice};
use crate::orifice::{GasOrificeInput, gas_orifice};
use crate::substance::{AIR_MOLAR_MASS_KG_MOL, GAS_CONSTANT, Substance};

const R: f64 = GAS_CONSTANT;
/// Fauske's equilibrium length L_e, m.
pub const FAUSKE_EQUILIBRIUM_LENGTH_M: f64 = 0.1;
const HEM_STEPS: usize = 4000;

fn temperature(field: &'static str, v: f64) -> Result<f64, QraError> {
    check(field, v, "1 <= value <= 2000", |v| {
        (1.0..=2000.0).contains(&v)
    })
}

fn heat_capacity(v: f64) -> Result<f64, QraError> {
    check(
        "liquid_heat_capacity_j_kg_k",
        v,
        "100 <= value <= 100000",
        |v| (100.0..=100_000.0).contains(&v),
    )
}

fn heat_of_vaporisation(v: f64) -> Result<f64, QraError> {
    check(
        "heat_of_vaporisation_j_kg",
        v,
        "1000 <= value <= 1e8",
        |v| (1000.0..=1e8).contains(&v),
    )
}

fn discharge_coefficient(v: f64) -> Result<f64, QraError> {
    check("discharge_coefficient", v, "0 < value <= 1", |v| {
        v > 0.0 && v <= 1.0
    })
}

fn hole_diameter(v: f64) -> Result<f64, QraError> {
    check("hole_diameter_m", v, "0 < value <= 10", |v| {
        v > 0.0 && v <= 10.0
    })
}

fn molar_mass(v: f64) -> Result<f64, QraError> {
    check("molar_mass_kg_mol", v, "0.001 <= value <= 1", |v| {
        (0.001..=1.0).contains(&v)
    })
}

fn default_aerosol_factor() -> f64 {
    2.0
}

fn default_discharge_coefficient() -> f64 {
    0.61
}

fn default_ambient_pressure() -> f64 {
    101_325.0
}

fn default_ambient_temperature() -> f64 {
    293.15
}

fn default_history_points() -> u32 {
    50
}

// ---------------------------------------------------------------------------------------
// Flash fraction
// ---------------------------------------------------------------------------------------

/// Form of the flash-fraction equation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlashMethod {
    /// f_v = 1 − exp(−c_p ΔT/ΔH_v) (default).
    #[default]
    Exponential,
    /// f_v = c_p ΔT/ΔH_v, capped at 1.
    Linear,
}

/// Input of [`flash_fraction`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlashFractionInput {
    /// Liquid temperature before release T, K (1 – 2000).
    pub storage_temperature_k: f64,
    /// Saturation temperature at ambient pressure (normal boiling point) T_b, K (1 – 2000).
    pub boiling_temperature_k: f64,
    /// Liquid heat capacity c_p (mean between T_b and T), J/(kg·K) (100 – 100 000).
    pub liquid_heat_capacity_j_kg_k: f64,
    /// Heat of vaporisation ΔH_v (at T_b), J/kg (1000 – 1e8).
    pub heat_of_vaporisation_j_kg: f64,
    /// Equation form, `exponential` (default) or `linear`.
    #[serde(default)]
    pub method: FlashMethod,
    /// Airborne fraction = min(1, factor × flash fraction); default 2 (CCPS rule of thumb,
    /// **assumed**); 1 – 10.
    #[serde(default = "default_aerosol_factor")]
    pub aerosol_factor: f64,
}

/// Output of [`flash_fraction`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlashFractionOutput {
    /// Whether the liquid is superheated (T > T_b).
    pub superheated: bool,
    /// Superheat T − T_b (0 when not superheated), K.
    pub superheat_k: f64,
    /// Mass fraction that flashes to vapour f_v.
    pub flash_fraction: f64,
    /// Mass fraction carried in the cloud (vapour plus aerosol).
    pub airborne_fraction: f64,
    /// Mass fraction that rains out to a pool.
    pub rainout_fraction: f64,
}

/// 闪蒸分率 — isenthalpic flash fraction of a superheated liquid. See the
/// [module documentation](self).
pub fn flash_fraction(input: &FlashFractionInput) -> Result<FlashFractionOutput, QraError> {
    let t = temperature("storage_temperature_k", input.storage_temperature_k)?;
    let tb = temperature("boiling_temperature_k", input.boiling_temperature_k)?;
    let cp = heat_capacity(input.liquid_heat_capacity_j_kg_k)?;
    let hv = heat_of_vaporisation(input.heat_of_vaporisation_j_kg)?;
    let factor = check(
        "aerosol_factor",
        input.aerosol_factor,
        "1 <= value <= 10",
        |v| (1.0..=10.0).contains(&v),
    )?;
    let superheat = (t - tb).max(0.0);
    let x = cp * superheat / hv;
    let fv = match input.method {
        FlashMethod::Exponential => 1.0 - (-x).exp(),
        FlashMethod::Linear => x.min(1.0),
    };
    let airborne = (factor * fv).min(1.0);
    Ok(FlashFractionOutput {
        superheated: t > tb,
        superheat_k: superheat,
        flash_fraction: finite_result("flash_fraction", "flash_fraction", fv)?,
        airborne_fraction: airborne,
        rainout_fraction: 1.0 - airborne,
    })
}

// ---------------------------------------------------------------------------------------
// Two-phase discharge
// ---------------------------------------------------------------------------------------

/// Two-phase flow model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TwoPhaseMethod {
    /// Fauske ERM with the non-equilibrium length correction (default).
    #[default]
    Fauske,
    /// Homogeneous equilibrium model, isentropic, choked-flux search.
    Hem,
}

/// Input of [`two_phase_orifice`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwoPhaseOrificeInput {
    /// Absolute pressure in the vessel at the hole P₀ (≥ saturation pressure), Pa (≤ 1e9).
    pub storage_pressure_pa: f64,
    /// Liquid temperature T₀, K (1 – 2000).
    pub storage_temperature_k: f64,
    /// Saturation (vapour) pressure at T₀, P_s, Pa: ambient < P_s ≤ P₀.
    pub saturation_pressure_pa: f64,
    /// Ambient absolute pressure P_a, Pa (> 0).
    #[serde(default = "default_ambient_pressure")]
    pub ambient_pressure_pa: f64,
    /// Molar mass M, kg/mol (0.001 – 1).
    pub molar_mass_kg_mol: f64,
    /// Liquid density ρ_l at T₀, kg/m³ (1 – 25 000).
    pub liquid_density_kg_m3: f64,
    /// Liquid heat capacity c_p, J/(kg·K) (100 – 100 000).
    pub liquid_heat_capacity_j_kg_k: f64,
    /// Heat of vaporisation ΔH_v at T₀, J/kg (1000 – 1e8).
    pub heat_of_vaporisation_j_kg: f64,
    /// Discharge coefficient C_d (default 0.61, sharp-edged hole, **assumed**); 0 – 1.
    #[serde(default = "default_discharge_coefficient")]
    pub discharge_coefficient: f64,
    /// Hole diameter d, m (0 – 10).
    pub hole_diameter_m: f64,
    /// Discharge length L (pipe or nozzle), m; default 0 = hole in a vessel wall
    /// (**assumed**); 0 – 1e4.
    #[serde(default)]
    pub pipe_length_m: f64,
    /// `fauske` (default) or `hem`.
    #[serde(default)]
    pub method: TwoPhaseMethod,
}

/// Output of [`two_phase_orifice`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwoPhaseOrificeOutput {
    /// The model used.
    pub method: TwoPhaseMethod,
    /// Mass flux through the hole G, kg/(m²·s).
    pub mass_flux_kg_m2_s: f64,
    /// Mass flow rate ṁ = G·A, kg/s.
    pub mass_rate_kg_s: f64,
    /// Fauske equilibrium-rate flux G_ERM = (ΔH_v/v_fg)√(1/(c_p T₀)), kg/(m²·s).
    pub equilibrium_flux_kg_m2_s: f64,
    /// Liquid (Bernoulli) flux over the whole pressure drop, C_d√(2ρ_l(P₀ − P_a)), kg/(m²·s).
    pub liquid_flux_kg_m2_s: f64,
    /// Fauske non-equilibrium parameter N (`fauske` only).
    pub nonequilibrium_factor: Option<f64>,
    /// Pressure at the hole where the HEM flux peaks (choked), Pa (`hem` only).
    pub throat_pressure_pa: Option<f64>,
    /// Vapour mass fraction at the hole (`hem` only).
    pub throat_quality: Option<f64>,
    /// Whether the flow is choked above ambient pressure (`hem` only).
    pub choked: Option<bool>,
}

/// 两相流泄漏 — flashing (two-phase) discharge of a liquefied gas through a hole. See the
/// [module documentation](self).
pub fn two_phase_orifice(input: &TwoPhaseOrificeInput) -> Result<TwoPhaseOrificeOutput, QraError> {
    const MODEL: &str = "two_phase_orifice";
    let p0 = check(
        "storage_pressure_pa",
        input.storage_pressure_pa,
        "0 < value <= 1e9",
        |v| v > 0.0 && v <= 1e9,
    )?;
    let t0 = temperature("storage_temperature_k", input.storage_temperature_k)?;
    let pa = check(
        "ambient_pressure_pa",
        input.ambient_pressure_pa,
        "0 < value < storage_pressure_pa",
        |v| v > 0.0 && v < p0,
    )?;
    let ps = check(
        "saturation_pressure_pa",
        input.saturation_pressure_pa,
        "ambient_pressure_pa < value <= storage_pressure_pa",
        |v| v > pa && v <= p0,
    )?;
    let m = molar_mass(input.molar_mass_kg_mol)?;
    let rho_l = check(
        "liquid_density_kg_m3",
        input.liquid_density_kg_m3,
        "1 <= value <= 25000",
        |v| (1.0..=25_000.0).contains(&v),
    )?;
    let cp = heat_capacity(input.liquid_heat_capacity_j_kg_k)?;
    let hv = heat_of_vaporisation(input.heat_of_vaporisation_j_kg)?;
    let cd = discharge_coefficient(input.discharge_coefficient)?;
    let d = hole_diameter(input.hole_diameter_m)?;
    let length = check(
        "pipe_length_m",
        input.pipe_length_m,
        "0 <= value <= 1e4",
        |v| (0.0..=1e4).contains(&v),
    )?;
    let area = std::f64::consts::PI * d * d / 4.0;

    let v_l = 1.0 / rho_l;
    let v_fg = R * t0 / (m * ps) - v_l;
    if v_fg.is_nan() || v_fg <= 0.0 || !v_fg.is_finite() {
        return Err(QraError::OutsideValidity {
            model: MODEL,
            quantity: "vapour-minus-liquid specific volume v_fg (m³/kg; near-critical state)",
            value: v_fg,
            min: 0.0,
            max: f64::MAX,
        });
    }
    let g_erm = hv / v_fg * (1.0 / (cp * t0)).sqrt();
    let g_liquid = cd * (2.0 * rho_l * (p0 - pa)).sqrt();
    let (flux, n, throat_p, throat_x, choked) = match input.method {
        TwoPhaseMethod::Fauske => {
            let g_b2 = 2.0 * rho_l * cd * cd * (ps - pa);
            let n = if length >= FAUSKE_EQUILIBRIUM_LENGTH_M {
                1.0
            } else {
                g_erm * g_erm / g_b2 + length / FAUSKE_EQUILIBRIUM_LENGTH_M
            };
            let sub = 2.0 * rho_l * cd * cd * (p0 - ps);
            ((sub + g_erm * g_erm / n).sqrt(), Some(n), None, None, None)
        }
        TwoPhaseMethod::Hem => {
            let h = hem_flux(p0, t0, ps, pa, m, rho_l, cp, hv);
            (
                cd * h.flux,
                None,
                Some(h.pressure),
                Some(h.quality),
                Some(h.choked),
            )
        }
    };
    Ok(TwoPhaseOrificeOutput {
        method: input.method,
        mass_flux_kg_m2_s: finite_result(MODEL, "mass_flux_kg_m2_s", flux)?,
        mass_rate_kg_s: finite_result(MODEL, "mass_rate_kg_s", flux * area)?,
        equilibrium_flux_kg_m2_s: finite_result(MODEL, "equilibrium_flux_kg_m2_s", g_erm)?,
        liquid_flux_kg_m2_s: finite_result(MODEL, "liquid_flux_kg_m2_s", g_liquid)?,
        nonequilibrium_factor: n,
        throat_pressure_pa: throat_p,
        throat_quality: throat_x,
        choked,
    })
}

struct HemResult {
    flux: f64,
    pressure: f64,
    quality: f64,
    choked: bool,
}

/// HEM flux (without C_d): maximum over throat pressures of √(2∫v dP)/v.
#[allow(clippy::too_many_arguments)]
fn hem_flux(p0: f64, t0: f64, ps: f64, pa: f64, m: f64, rho_l: f64, cp: f64, hv: f64) -> HemResult {
    let v_l = 1.0 / rho_l;
    let state = |p: f64| -> (f64, f64) {
        // Saturation temperature on the Clausius–Clapeyron line through (T0, Ps).
        let inv_t = 1.0 / t0 - R * (p / ps).ln() / (m * hv);
        let t = 1.0 / inv_t;
        let x = (cp * t * (t0 / t).ln() / hv).clamp(0.0, 1.0);
        (x, (1.0 - x) * v_l + x * R * t / (m * p))
    };
    // Liquid part: ∫ v dP from Ps to P0.
    let mut integral = (p0 - ps) * v_l;
    let mut best = HemResult {
        flux: (2.0 * integral).sqrt() / v_l,
        pressure: ps,
        quality: 0.0,
        choked: false,
    };
    let ln_ratio = (pa / ps).ln();
    let (mut p_prev, mut v_prev) = (ps, v_l);
    for i in 1..=HEM_STEPS {
        let p = ps * (ln_ratio * i as f64 / HEM_STEPS as f64).exp();
        let (x, v) = state(p);
        integral += 0.5 * (v + v_prev) * (p_prev - p);
        let g = (2.0 * integral).sqrt() / v;
        if g.is_finite() && g > best.flux {
            best = HemResult {
                flux: g,
                pressure: p,
                quality: x,
                choked: i < HEM_STEPS,
            };
        }
        p_prev = p;
        v_prev = v;
    }
    best
}

// ---------------------------------------------------------------------------------------
// Gas vessel blowdown
// ---------------------------------------------------------------------------------------

/// Thermodynamic path of the gas left in the vessel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlowdownMode {
    /// Constant temperature (heat exchange with the walls), default.
    #[default]
    Isothermal,
    /// Isentropic expansion of the vessel gas (no heat exchange).
    Adiabatic,
}

/// Input of [`gas_vessel_blowdown`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GasVesselBlowdownInput {
    /// Vessel (gas) volume V, m³ (0 – 1e6).
    pub vessel_volume_m3: f64,
    /// Initial absolute pressure P₀, Pa (≤ 1e9, ≥ ambient; the initial ideal-gas density
    /// must not exceed 2000 kg/m³).
    pub initial_pressure_pa: f64,
    /// Initial temperature T₀, K (1 – 2000).
    pub initial_temperature_k: f64,
    /// Molar mass M, kg/mol (0.001 – 1).
    pub molar_mass_kg_mol: f64,
    /// Heat-capacity ratio k (1.01 – 2).
    pub heat_capacity_ratio: f64,
    /// Discharge coefficient C_d (0 – 1).
    pub discharge_coefficient: f64,
    /// Hole diameter d, m (0 – 10).
    pub hole_diameter_m: f64,
    /// Ambient absolute pressure P_a, Pa (default 101 325).
    #[serde(default = "default_ambient_pressure")]
    pub ambient_pressure_pa: f64,
    /// `isothermal` (default, **assumed**) or `adiabatic`.
    #[serde(default)]
    pub mode: BlowdownMode,
    /// Duration over which the release is averaged (and the history spans), s (0 – 1e7).
    pub duration_s: f64,
    /// Number of history points over [0, duration] (default 50; 2 – 2000).
    #[serde(default = "default_history_points")]
    pub history_points: u32,
}

/// One point of the blowdown history.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BlowdownPoint {
    /// Time since the start of the release, s.
    pub time_s: f64,
    /// Vessel pressure, Pa.
    pub pressure_pa: f64,
    /// Vessel gas temperature, K.
    pub temperature_k: f64,
    /// Gas mass left in the vessel, kg.
    pub mass_kg: f64,
    /// Mass flow rate through the hole, kg/s.
    pub mass_rate_kg_s: f64,
    /// Whether the flow is choked.
    pub choked: bool,
}

/// Output of [`gas_vessel_blowdown`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GasVesselBlowdownOutput {
    /// Initial gas mass m₀ = P₀ V M/(R T₀), kg.
    pub initial_mass_kg: f64,
    /// Initial mass flow rate, kg/s.
    pub initial_mass_rate_kg_s: f64,
    /// Choked-flow time constant τ, s.
    pub time_constant_s: f64,
    /// Time at which the flow un-chokes, s (`None` if never choked; may exceed the duration).
    pub choked_until_s: Option<f64>,
    /// Time at which the vessel reaches ambient pressure, s (`None` if not within the
    /// duration).
    pub equalised_at_s: Option<f64>,
    /// Mass released over the duration, kg (= m₀ − m(duration)).
    pub released_mass_kg: f64,
    /// Mass left in the vessel at the end of the duration, kg.
    pub remaining_mass_kg: f64,
    /// Average mass rate over the duration, kg/s.
    pub average_mass_rate_kg_s: f64,
    /// Pressure at the end of the duration, Pa.
    pub final_pressure_pa: f64,
    /// Temperature at the end of the duration, K.
    pub final_temperature_k: f64,
    /// History at `history_points` equally spaced times over [0, duration].
    pub history: Vec<BlowdownPoint>,
}

struct Vessel {
    rho0: f64,
    p0: f64,
    t0: f64,
    k: f64,
    cd: f64,
    d: f64,
    pa: f64,
    volume: f64,
    mode: BlowdownMode,
}

impl Vessel {
    /// (P, T) at relative density r.
    fn state(&self, r: f64) -> (f64, f64) {
        match self.mode {
            BlowdownMode::Isothermal => (self.p0 * r, self.t0),
            BlowdownMode::Adiabatic => (self.p0 * r.powf(self.k), self.t0 * r.powf(self.k - 1.0)),
        }
    }

    /// Mass rate and choked flag at relative density r (zero at or below ambient pressure).
    fn rate(&self, r: f64) -> Result<(f64, bool), QraError> {
        let (p, t) = self.state(r);
        if p.is_nan() || p <= self.pa {
            return Ok((0.0, false));
        }
        let out = gas_orifice(&GasOrificeInput {
            upstream_pressure_pa: p,
            upstream_density_kg_m3: self.rho0 * r,
            upstream_temperature_k: t,
            heat_capacity_ratio: self.k,
            discharge_coefficient: self.cd,
            hole_diameter_m: self.d,
            ambient_pressure_pa: self.pa,
        })?;
        Ok((out.mass_rate_kg_s, out.choked))
    }

    /// d r / d t.
    fn drdt(&self, r: f64) -> Result<f64, QraError> {
        Ok(-self.rate(r)?.0 / (self.rho0 * self.volume))
    }
}

/// 容器泄压 — blowdown of a gas vessel through a hole: pressure and rate history, released
/// mass and average rate over a duration. See the [module documentation](self).
pub fn gas_vessel_blowdown(
    input: &GasVesselBlowdownInput,
) -> Result<GasVesselBlowdownOutput, QraError> {
    const MODEL: &str = "gas_vessel_blowdown";
    let volume = check(
        "vessel_volume_m3",
        input.vessel_volume_m3,
        "0 < value <= 1e6",
        |v| v > 0.0 && v <= 1e6,
    )?;
    let p0 = check(
        "initial_pressure_pa",
        input.initial_pressure_pa,
        "0 < value <= 1e9",
        |v| v > 0.0 && v <= 1e9,
    )?;
    let t0 = temperature("initial_temperature_k", input.initial_temperature_k)?;
    let m = molar_mass(input.molar_mass_kg_mol)?;
    let k = check(
        "heat_capacity_ratio",
        input.heat_capacity_ratio,
        "1.01 <= value <= 2",
        |v| (1.01..=2.0).contains(&v),
    )?;
    let cd = discharge_coefficient(input.discharge_coefficient)?;
    let d = hole_diameter(input.hole_diameter_m)?;
    let pa = check(
        "ambient_pressure_pa",
        input.ambient_pressure_pa,
        "0 < value <= initial_pressure_pa",
        |v| v > 0.0 && v <= p0,
    )?;
    let duration = check("duration_s", input.duration_s, "0 < value <= 1e7", |v| {
        v > 0.0 && v <= 1e7
    })?;
    let points = input.history_points;
    if !(2..=2000).contains(&points) {
        return Err(QraError::OutOfRange {
            field: "history_points",
            value: f64::from(points),
            expected: "2 <= value <= 2000",
        });
    }
    let rho0 = p0 * m / (R * t0);
    if rho0.is_nan() || rho0 > 2000.0 {
        return Err(QraError::OutOfRange {
            field: "initial_pressure_pa",
            value: p0,
            expected: "initial ideal-gas density P0*M/(R*T0) <= 2000 kg/m3",
        });
    }
    let vessel = Vessel {
        rho0,
        p0,
        t0,
        k,
        cd,
        d,
        pa,
        volume,
        mode: input.mode,
    };
    let m0 = rho0 * volume;
    let area = std::f64::consts::PI * d * d / 4.0;
    let psi = (2.0 / (k + 1.0)).powf((k + 1.0) / (2.0 * (k - 1.0)));
    let tau = volume / (cd * area * psi * (k * p0 / rho0).sqrt());
    let tau = finite_result(MODEL, "time_constant_s", tau)?;

    // Relative density at ambient pressure and where the flow un-chokes.
    let crit = crate::orifice::critical_pressure_ratio(k)?;
    let p_crit = pa * crit;
    let rel_density_at = |p: f64| match input.mode {
        BlowdownMode::Isothermal => p / p0,
        BlowdownMode::Adiabatic => (p / p0).powf(1.0 / k),
    };
    let r_amb = rel_density_at(pa);
    let choked_phase = p0 > p_crit;
    let (t_c, r_c) = if choked_phase {
        let r_c = rel_density_at(p_crit);
        let t_c = match input.mode {
            BlowdownMode::Isothermal => tau * (1.0 / r_c).ln(),
            BlowdownMode::Adiabatic => 2.0 * tau / (k - 1.0) * (r_c.powf(-(k - 1.0) / 2.0) - 1.0),
        };
        (t_c, r_c)
    } else {
        (0.0, 1.0)
    };
    let choked_r = |t: f64| match input.mode {
        BlowdownMode::Isothermal => (-t / tau).exp(),
        BlowdownMode::Adiabatic => (1.0 + (k - 1.0) * t / (2.0 * tau)).powf(-2.0 / (k - 1.0)),
    };

    // Sub-sonic phase: RK4 from (t_c, r_c) to the duration or to ambient pressure.
    let mut trajectory: Vec<(f64, f64)> = vec![(t_c, r_c)];
    let mut equalised_at = if p0 <= pa { Some(0.0) } else { None };
    if t_c < duration && equalised_at.is_none() {
        let span = duration - t_c;
        // Step about τ/400, at least 20 and at most 200 000 steps over the span; times are
        // computed from the step index so that rounding cannot stall the loop.
        let steps = (span / (tau / 400.0)).ceil().clamp(20.0, 200_000.0) as u32;
        let step = span / f64::from(steps);
        let mut r = r_c;
        for i in 1..=steps {
            let t = t_c + span * f64::from(i) / f64::from(steps);
            let k1 = vessel.drdt(r)?;
            let k2 = vessel.drdt((r + 0.5 * step * k1).max(r_amb))?;
            let k3 = vessel.drdt((r + 0.5 * step * k2).max(r_amb))?;
            let k4 = vessel.drdt((r + step * k3).max(r_amb))?;
            r = (r + step / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)).max(r_amb);
            trajectory.push((t, r));
            if r <= r_amb * (1.0 + 1e-12) || vessel.rate(r)?.0 == 0.0 {
                r = r_amb;
                equalised_at = Some(t);
                if let Some(last) = trajectory.last_mut() {
                    last.1 = r;
                }
                break;
            }
        }
    }
    let r_at = |t: f64| -> f64 {
        if choked_phase && t <= t_c {
            return choked_r(t);
        }
        if equalised_at.is_some_and(|te| t >= te) {
            return r_amb;
        }
        // Linear interpolation in the RK4 trajectory.
        let i = trajectory.partition_point(|&(ti, _)| ti <= t);
        match (trajectory.get(i.wrapping_sub(1)), trajectory.get(i)) {
            (Some(&(ta, ra)), Some(&(tb, rb))) if tb > ta => ra + (rb - ra) * (t - ta) / (tb - ta),
            (Some(&(_, ra)), _) => ra,
            (None, Some(&(_, rb))) => rb,
            (None, None) => r_amb,
        }
    };

    let mut history = Vec::with_capacity(points as usize);
    for i in 0..points {
        let t = duration * f64::from(i) / f64::from(points - 1);
        let r = r_at(t);
        let (p, temp) = vessel.state(r);
        let (rate, choked) = vessel.rate(r)?;
        history.push(BlowdownPoint {
            time_s: t,
            pressure_pa: finite_result(MODEL, "pressure_pa", p)?,
            temperature_k: finite_result(MODEL, "temperature_k", temp)?,
            mass_kg: finite_result(MODEL, "mass_kg", m0 * r)?,
            mass_rate_kg_s: finite_result(MODEL, "mass_rate_kg_s", rate)?,
            choked,
        });
    }
    let r_end = r_at(duration);
    let (p_end, t_end) = vessel.state(r_end);
    let released = m0 * (1.0 - r_end);
    Ok(GasVesselBlowdownOutput {
        initial_mass_kg: finite_result(MODEL, "initial_mass_kg", m0)?,
        initial_mass_rate_kg_s: vessel.rate(1.0)?.0,
        time_constant_s: tau,
        choked_until_s: choked_phase.then_some(t_c),
        equalised_at_s: equalised_at.filter(|&t| t <= duration),
        released_mass_kg: finite_result(MODEL, "released_mass_kg", released)?,
        remaining_mass_kg: finite_result(MODEL, "remaining_mass_kg", m0 * r_end)?,
        average_mass_rate_kg_s: finite_result(
            MODEL,
            "average_mass_rate_kg_s",
            released / duration,
        )?,
        final_pressure_pa: p_end,
        final_temperature_k: t_end,
        history,
    })
}

// ---------------------------------------------------------------------------------------
// Storage release (substance + storage state → source term)
// ---------------------------------------------------------------------------------------

/// How the substance is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoredPhase {
    /// Compressed gas (released by [`gas_vessel_blowdown`]).
    Gas,
    /// Liquid, atmospheric or pressurised/liquefied (hole in the liquid space).
    Liquid,
}

/// The release regime chosen by [`storage_release`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseRegime {
    /// Gas vessel blowdown.
    Gas,
    /// Liquid below its boiling point: all to a pool.
    Liquid,
    /// Superheated liquid: flashes at the hole; vapour plus aerosol airborne, rest to a pool.
    FlashingLiquid,
}

/// Input of [`storage_release`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageReleaseInput {
    /// Substance: CAS number or name (see [`crate::substance::lookup`]).
    pub substance: String,
    /// Stored as `gas` or `liquid`.
    pub phase: StoredPhase,
    /// Storage temperature, K.
    pub storage_temperature_k: f64,
    /// Storage absolute pressure, Pa. Required for a gas. For a liquid, default: the vapour
    /// pressure at the storage temperature when that is above ambient (liquefied gas),
    /// otherwise ambient pressure (atmospheric tank).
    #[serde(default)]
    pub storage_pressure_pa: Option<f64>,
    /// Hole diameter, m.
    pub hole_diameter_m: f64,
    /// Discharge coefficient (default 0.61, **assumed**).
    #[serde(default = "default_discharge_coefficient")]
    pub discharge_coefficient: f64,
    /// Mass that can be released (inventory above the hole), kg (0 – 1e9).
    pub inventory_kg: f64,
    /// Gas: vessel volume, m³ (default: the volume the inventory occupies at the storage
    /// state). Ignored for a liquid.
    #[serde(default)]
    pub vessel_volume_m3: Option<f64>,
    /// Liquid head above the hole, m (liquid only; default 0).
    #[serde(default)]
    pub liquid_head_m: f64,
    /// Longest release duration considered (e.g. detection and isolation time), s.
    pub duration_s: f64,
    /// Ambient absolute pressure, Pa (default 101 325).
    #[serde(default = "default_ambient_pressure")]
    pub ambient_pressure_pa: f64,
    /// Ambient temperature, K (default 293.15, **assumed**), for the air density.
    #[serde(default = "default_ambient_temperature")]
    pub ambient_temperature_k: f64,
    /// Aerosol factor of [`flash_fraction`] (default 2, **assumed**).
    #[serde(default = "default_aerosol_factor")]
    pub aerosol_factor: f64,
    /// Gas blowdown mode (default isothermal).
    #[serde(default)]
    pub blowdown_mode: BlowdownMode,
}

/// Output of [`storage_release`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorageReleaseOutput {
    /// CAS number of the substance found.
    pub cas: String,
    /// Release regime.
    pub regime: ReleaseRegime,
    /// Storage pressure used, Pa.
    pub storage_pressure_pa: f64,
    /// Initial mass rate through the hole, kg/s.
    pub initial_mass_rate_kg_s: f64,
    /// Release duration, s: for a liquid min(duration_s, time to release the inventory); for a
    /// gas min(duration_s, time the vessel reaches ambient pressure).
    pub release_duration_s: f64,
    /// Mass released over the release duration, kg.
    pub released_mass_kg: f64,
    /// Average mass rate over the release duration, kg/s.
    pub average_mass_rate_kg_s: f64,
    /// Flash fraction (0 unless flashing).
    pub flash_fraction: f64,
    /// Airborne fraction (1 for gas, 0 for a non-flashing liquid).
    pub airborne_fraction: f64,
    /// Average rate going directly into the air (gas, or vapour + aerosol), kg/s.
    pub airborne_rate_kg_s: f64,
    /// Average rate of liquid reaching the ground (pool source), kg/s.
    pub pool_rate_kg_s: f64,
    /// Temperature of the released material after expansion to ambient pressure, K
    /// (the boiling point when flashing; the storage temperature otherwise, ideal gas).
    pub release_temperature_k: f64,
    /// Initial density of the airborne release at ambient pressure, kg/m³: the vapour at
    /// the release temperature, with the aerosol liquid as a homogeneous mixture when
    /// flashing; for a non-flashing liquid the pure vapour at the storage temperature.
    pub release_density_kg_m3: f64,
    /// Air density at the ambient state, kg/m³.
    pub ambient_air_density_kg_m3: f64,
    /// Whether the initial release is denser than air (`release_density > air density`);
    /// a first flag for the dense-gas criteria (reference §11.1), which also need the
    /// release rate and the wind.
    pub denser_than_air: bool,
}

fn missing(model: &'static str, what: &str, s: &Substance) -> QraError {
    QraError::InvalidInput {
        model,
        message: format!(
            "substance {} ({}) has no {what} in the property table / 物性表中缺少该物质的{what}",
            s.name_en, s.cas
        ),
    }
}

/// Saturated-liquid density at `t`: linear in temperature through the table's values at the
/// normal boiling point and at 20 °C (one of them when only one is known), never below 10 % of
/// the smaller of the two.
pub fn liquid_density_at(s: &Substance, t: f64) -> Option<f64> {
    let tb = s.normal_boiling_point_k;
    match (s.liquid_density_tb_kg_m3, s.liquid_density_20c_kg_m3) {
        (Some(a), Some(b)) if (293.15 - tb).abs() > 1e-6 => {
            let rho = a + (b - a) * (t - tb) / (293.15 - tb);
            Some(rho.max(0.1 * a.min(b)))
        }
        (Some(a), _) | (None, Some(a)) => Some(a),
        (None, None) => None,
    }
}

/// 储存条件→泄漏源项 — release rate, mass, flash/airborne split and initial density for a
/// substance of the property table and a storage state. See the [module documentation](self).
pub fn storage_release(input: &StorageReleaseInput) -> Result<StorageReleaseOutput, QraError> {
    const MODEL: &str = "storage_release";
    let s = crate::substance::require(MODEL, &input.substance)?;
    let t = temperature("storage_temperature_k", input.storage_temperature_k)?;
    let pa = check(
        "ambient_pressure_pa",
        input.ambient_pressure_pa,
        "0 < value <= 1e7",
        |v| v > 0.0 && v <= 1e7,
    )?;
    let t_amb = temperature("ambient_temperature_k", input.ambient_temperature_k)?;
    let inventory = check(
        "inventory_kg",
        input.inventory_kg,
        "0 < value <= 1e9",
        |v| v > 0.0 && v <= 1e9,
    )?;
    let duration = check("duration_s", input.duration_s, "0 < value <= 1e7", |v| {
        v > 0.0 && v <= 1e7
    })?;
    let rho_air = pa * AIR_MOLAR_MASS_KG_MOL / (R * t_amb);
    let m = s.molar_mass_kg_mol;
    match input.phase {
        StoredPhase::Gas => {
            let p = input.storage_pressure_pa.ok_or(QraError::InvalidInput {
                model: MODEL,
                message: "a stored gas needs `storage_pressure_pa` / 储存气体必须给出 `storage_pressure_pa`".into(),
            })?;
            let p = check(
                "storage_pressure_pa",
                p,
                "ambient_pressure_pa <= value <= 1e9",
                |v| v >= pa && v <= 1e9,
            )?;
            let k = s
                .gas_heat_capacity_ratio
                .ok_or_else(|| missing(MODEL, "gas heat-capacity ratio", s))?
                .clamp(1.01, 2.0);
            let rho = p * m / (R * t);
            let volume = match input.vessel_volume_m3 {
                Some(v) => check("vessel_volume_m3", v, "0 < value <= 1e6", |v| {
                    v > 0.0 && v <= 1e6
                })?,
                None => inventory / rho,
            };
            let out = gas_vessel_blowdown(&GasVesselBlowdownInput {
                vessel_volume_m3: volume,
                initial_pressure_pa: p,
                initial_temperature_k: t,
                molar_mass_kg_mol: m,
                heat_capacity_ratio: k,
                discharge_coefficient: input.discharge_coefficient,
                hole_diameter_m: input.hole_diameter_m,
                ambient_pressure_pa: pa,
                mode: input.blowdown_mode,
                duration_s: duration,
                history_points: 2,
            })?;
            // Only the inventory can leave, even if the vessel holds more gas (the average is
            // then still taken over the blowdown time: an approximation).
            let released = out.released_mass_kg.min(inventory);
            let release_duration = out
                .equalised_at_s
                .filter(|&te| te > 0.0)
                .unwrap_or(duration)
                .min(duration);
            let average = if release_duration > 0.0 {
                released / release_duration
            } else {
                0.0
            };
            // Ideal gas, isenthalpic expansion to ambient pressure: the storage temperature.
            let rho_rel = pa * m / (R * t);
            Ok(StorageReleaseOutput {
                cas: s.cas.clone(),
                regime: ReleaseRegime::Gas,
                storage_pressure_pa: p,
                initial_mass_rate_kg_s: out.initial_mass_rate_kg_s,
                release_duration_s: release_duration,
                released_mass_kg: released,
                average_mass_rate_kg_s: average,
                flash_fraction: 0.0,
                airborne_fraction: 1.0,
                airborne_rate_kg_s: average,
                pool_rate_kg_s: 0.0,
                release_temperature_k: t,
                release_density_kg_m3: rho_rel,
                ambient_air_density_kg_m3: rho_air,
                denser_than_air: rho_rel > rho_air,
            })
        }
        StoredPhase::Liquid => {
            let tb = s.normal_boiling_point_k;
            let rho_l =
                liquid_density_at(s, t).ok_or_else(|| missing(MODEL, "liquid density", s))?;
            let superheated = t > tb;
            let psat = if superheated {
                Some(s.vapour_pressure_pa(t)?)
            } else {
                None
            };
            let p = match input.storage_pressure_pa {
                Some(p) => check(
                    "storage_pressure_pa",
                    p,
                    "ambient_pressure_pa <= value <= 1e9",
                    |v| v >= pa && v <= 1e9,
                )?,
                None => psat.map_or(pa, |ps| ps.max(pa)),
            };
            let (rate, regime, fv, airborne, release_t, rho_rel) = if let Some(ps) =
                psat.filter(|&ps| ps > pa)
            {
                if p < ps * (1.0 - 1e-6) {
                    return Err(QraError::OutOfRange {
                        field: "storage_pressure_pa",
                        value: p,
                        expected: "value >= vapour pressure at the storage temperature",
                    });
                }
                let cp = match (s.liquid_cp_tb_j_kg_k, s.liquid_cp_20c_j_kg_k) {
                    (Some(a), Some(b)) => 0.5 * (a + b),
                    (Some(a), None) | (None, Some(a)) => a,
                    (None, None) => return Err(missing(MODEL, "liquid heat capacity", s)),
                };
                let hv = s
                    .heat_of_vaporisation_tb_j_kg
                    .ok_or_else(|| missing(MODEL, "heat of vaporisation", s))?;
                let head_p = rho_l * 9.806_65 * input.liquid_head_m.max(0.0);
                let tp = two_phase_orifice(&TwoPhaseOrificeInput {
                    storage_pressure_pa: p + head_p,
                    storage_temperature_k: t,
                    saturation_pressure_pa: ps,
                    ambient_pressure_pa: pa,
                    molar_mass_kg_mol: m,
                    liquid_density_kg_m3: rho_l,
                    liquid_heat_capacity_j_kg_k: cp,
                    heat_of_vaporisation_j_kg: hv,
                    discharge_coefficient: input.discharge_coefficient,
                    hole_diameter_m: input.hole_diameter_m,
                    pipe_length_m: 0.0,
                    method: TwoPhaseMethod::Fauske,
                })?;
                let fl = flash_fraction(&FlashFractionInput {
                    storage_temperature_k: t,
                    boiling_temperature_k: tb,
                    liquid_heat_capacity_j_kg_k: cp,
                    heat_of_vaporisation_j_kg: hv,
                    method: FlashMethod::Exponential,
                    aerosol_factor: input.aerosol_factor,
                })?;
                // Homogeneous vapour + aerosol mixture at T_b and ambient pressure.
                let rho_v = pa * m / (R * tb);
                let vapour_share = fl.flash_fraction / fl.airborne_fraction.max(f64::MIN_POSITIVE);
                let rho_mix = 1.0 / (vapour_share / rho_v + (1.0 - vapour_share) / rho_l);
                (
                    tp.mass_rate_kg_s,
                    ReleaseRegime::FlashingLiquid,
                    fl.flash_fraction,
                    fl.airborne_fraction,
                    tb,
                    rho_mix,
                )
            } else {
                let out = liquid_orifice(&LiquidOrificeInput {
                    liquid_density_kg_m3: rho_l,
                    upstream_pressure_pa: p,
                    ambient_pressure_pa: pa,
                    liquid_head_m: input.liquid_head_m,
                    discharge_coefficient: input.discharge_coefficient,
                    hole_diameter_m: input.hole_diameter_m,
                })?;
                (
                    out.mass_rate_kg_s,
                    ReleaseRegime::Liquid,
                    0.0,
                    0.0,
                    t,
                    pa * m / (R * t),
                )
            };
            let rate = finite_result(MODEL, "initial_mass_rate_kg_s", rate)?;
            let release_duration = if rate > 0.0 {
                duration.min(inventory / rate)
            } else {
                duration
            };
            let released = rate * release_duration;
            let average = released / release_duration;
            Ok(StorageReleaseOutput {
                cas: s.cas.clone(),
                regime,
                storage_pressure_pa: p,
                initial_mass_rate_kg_s: rate,
                release_duration_s: release_duration,
                released_mass_kg: released,
                average_mass_rate_kg_s: average,
                flash_fraction: fv,
                airborne_fraction: airborne,
                airborne_rate_kg_s: average * airborne,
                pool_rate_kg_s: average * (1.0 - airborne),
                release_temperature_k: release_t,
                release_density_kg_m3: finite_result(MODEL, "release_density_kg_m3", rho_rel)?,
                ambient_air_density_kg_m3: rho_air,
                denser_than_air: rho_rel > rho_air,
            })
        }
    }
}

/// The models of this module, for [`crate::run_model`].
pub(crate) const MODELS: &[ModelEntry] = &[
    ModelEntry {
        name: "flash_fraction",
        description: "Isenthalpic flash fraction of a superheated liquid, airborne (aerosol) and rain-out fractions (CCPS 1999) / 过热液体等焓闪蒸分率及气溶胶、落地分率（CCPS 1999）",
        run: |v| crate::run_json("flash_fraction", v, flash_fraction),
    },
    ModelEntry {
        name: "two_phase_orifice",
        description: "Flashing two-phase discharge through a hole: Fauske equilibrium rate model with non-equilibrium length correction, or homogeneous equilibrium model / 闪蒸两相流小孔泄漏：Fauske 平衡速率模型（含非平衡长度修正）或均相平衡模型",
        run: |v| crate::run_json("two_phase_orifice", v, two_phase_orifice),
    },
    ModelEntry {
        name: "gas_vessel_blowdown",
        description: "Gas vessel blowdown through a hole, isothermal or adiabatic: pressure and rate history, released mass and average rate over a duration / 气体容器小孔泄压（等温或绝热）：压力与泄放速率随时间变化、给定时长内的泄放量与平均速率",
        run: |v| crate::run_json("gas_vessel_blowdown", v, gas_vessel_blowdown),
    },
    ModelEntry {
        name: "storage_release",
        description: "Source term from a substance and its storage state: gas blowdown, liquid or flashing two-phase release, airborne/pool split, initial density vs air / 由物质与储存条件求泄漏源项：气体泄压、液体或闪蒸两相泄漏、进入大气与形成液池的分配、初始密度与空气比较",
        run: |v| crate::run_json("storage_release", v, storage_release),
    },
];
