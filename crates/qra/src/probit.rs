//! 伤害概率（概率单位）函数 — harm (probit) functions for toxic, thermal-radiation and
//! overpressure effects, and the probit → probability conversion.
//!
//! # Equations
//!
//! Source: weihua reference `shared/reference/qra-consequence.md` §14 (the GB/T 37243 App. H
//! analogue), which transcribes the Purple Book (CPR 18E) toxic constants and the HyRAM
//! `probits.py` thermal and overpressure forms (checked there against HyRAM's hand-calculated
//! unit tests; HyRAM is GPL, only its equations are used).
//!
//! - 概率单位 → 概率 — probit to probability: `P = Φ(Pr − 5) = ½[1 + erf((Pr − 5)/√2)]`.
//!   `erf` is computed here (power series below |z| = 2.5, continued fraction above; relative
//!   error below 1e-12, checked against tabulated values).
//! - 毒性 — toxic: `Pr = a + b·ln(Cⁿ·t)`, C in **mg/m³**, t in **min** (Purple Book). For a
//!   time-varying exposure give the dose `∫Cⁿ dt` directly ([`toxic_probit_from_dose`]).
//!   Constants of 17 substances ([`ToxicSubstance`], reference §14.1). **The constants are an
//!   unconfirmed transcription and must be checked against GB/T 37243 App. H before use**;
//!   every model accepts custom `a`, `b`, `n`.
//! - 热辐射 — thermal: dose `V = t·q^(4/3)`, q in **W/m²**, t in **s**:
//!   Tsao–Perry `−36.38 + 2.56 ln V`, Eisenberg `−38.48 + 2.56 ln V`, TNO (clothed)
//!   `−37.23 + 2.56 ln V`, Lees `−29.02 + 1.99 ln(0.5 V)`.
//! - 超压 — overpressure, ΔP in **Pa**, impulse i in **Pa·s**: Eisenberg lung
//!   `−77.1 + 6.91 ln ΔP`; HSE lung `5.13 + 1.37 ln(ΔP/10⁵)` (ΔP in bar); TNO head impact
//!   `5 − 8.49 ln(2430/ΔP + 4.0·10⁸/(ΔP·i))`; TNO structural collapse
//!   `5 − 0.22 ln((40000/ΔP)^7.4 + (460/i)^11.3)`.
//!
//! Rules used with the probits (reference §14.2–14.3, Purple Book usage, **unconfirmed** and
//! therefore configurable, defaults are plain probits):
//!
//! - thermal ([`ThermalHarm`]): lethality 1 at and above `lethal_flux_w_m2` (Purple Book
//!   35 kW/m²; default: none), and the probit result multiplied by `probit_factor` below it
//!   (Purple Book outdoors 0.14 for clothing; default 1);
//! - overpressure ([`OverpressureHarm`]): a probit, or the Purple Book step rule
//!   (indoors: 1 above 0.3 bar, 0.025 for 0.1–0.3 bar, else 0; outdoors: 1 above 0.3 bar,
//!   else 0).
//!
//! # Validity
//!
//! Probits are empirical dose–response fits; outside the data they were fitted to they are
//! extrapolations. A zero dose gives probability 0. The functions here are cheap and
//! allocation-free, for use inside risk integration loops.
//!
//! Accepted inputs of the JSON models (assumed bounds, refused outside): probit `|Pr| <= 1e3`;
//! concentration `0 <= C <= 1e9` mg/m³; exposure `0 < t <= 1e6` (min or s); flux
//! `0 <= q <= 1e8` W/m²; overpressure `0 < ΔP <= 1e9` Pa; impulse `0 < i <= 1e9` Pa·s;
//! toxic constants `|a| <= 1e3`, `0 < b <= 1e3`, `0 < n <= 100`.

use serde::{Deserialize, Serialize};

use crate::ModelEntry;
use crate::error::{QraError, check, finite_result};

/// The models of this module, for [`crate::run_model`].
pub(crate) const MODELS: &[ModelEntry] = &[
    ModelEntry {
        name: "probit_to_probability",
        description: "Probit to probability, P = Phi(Pr - 5) / 概率单位转换为概率，P = Φ(Pr − 5)",
        run: |v| crate::run_json("probit_to_probability", v, probit_to_probability),
    },
    ModelEntry {
        name: "probit_toxic",
        description: "Toxic probit Pr = a + b ln(C^n t), C mg/m3, t min (Purple Book constants, to be checked against GB/T 37243 App. H); probability and LC50 / 毒性概率单位 Pr = a + b ln(Cⁿt)（C 单位 mg/m³，t 单位 min，紫皮书常数，需按 GB/T 37243 附录 H 核对）；死亡概率与 LC50",
        run: |v| crate::run_json("probit_toxic", v, probit_toxic),
    },
    ModelEntry {
        name: "probit_thermal",
        description: "Thermal-radiation probit (Tsao-Perry, Eisenberg, TNO, Lees) on the dose t q^(4/3), q W/m2, t s; probability and the flux for 50 % / 热辐射概率单位（Tsao-Perry、Eisenberg、TNO、Lees），剂量 t·q^(4/3)（q 单位 W/m²，t 单位 s）；死亡概率与 50% 致死热通量",
        run: |v| crate::run_json("probit_thermal", v, probit_thermal),
    },
    ModelEntry {
        name: "probit_overpressure",
        description: "Overpressure probit (Eisenberg lung, HSE lung, TNO head impact, TNO structural collapse), dP Pa, impulse Pa s; probability / 超压概率单位（Eisenberg 肺损伤、HSE 肺损伤、TNO 头部撞击、TNO 建筑倒塌），超压 Pa，冲量 Pa·s；死亡概率",
        run: |v| crate::run_json("probit_overpressure", v, probit_overpressure),
    },
];

// ---------------------------------------------------------------------------------------
// Standard normal distribution
// ---------------------------------------------------------------------------------------

/// Complementary error function erfc(z), for any f64 (NaN gives NaN).
///
/// Power series of erf for |z| < 2.5, Lentz continued fraction of erfc above.
pub fn erfc(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    if z < 0.0 {
        return 2.0 - erfc(-z);
    }
    if z < 2.5 {
        // erf(z) = 2/√π Σ (−1)ⁿ z^(2n+1) / (n! (2n+1))
        let z2 = z * z;
        let mut term = z; // (−1)ⁿ z^(2n+1)/n!
        let mut sum = z;
        let mut n = 0.0;
        while n < 200.0 {
            n += 1.0;
            term *= -z2 / n;
            let add = term / (2.0 * n + 1.0);
            sum += add;
            if add.abs() <= 1e-17 * sum.abs() {
                break;
            }
        }
        return 1.0 - 2.0 / std::f64::consts::PI.sqrt() * sum;
    }
    if z > 27.3 {
        return 0.0;
    }
    // erfc(z) = exp(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + …)))))
    // Lentz: f = b0 + a1/(b1 + a2/(b2 + …)), b_j = z, a_j = j/2.
    let tiny = 1e-300;
    let mut f = z;
    let mut c = z;
    let mut d = 0.0;
    let mut j = 1.0;
    while j < 500.0 {
        let a = j / 2.0;
        d = z + a * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = z + a / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
        j += 1.0;
    }
    (-z * z).exp() / (std::f64::consts::PI.sqrt() * f)
}

/// Standard normal cumulative distribution Φ(x) = ½ erfc(−x/√2), in [0, 1] (NaN gives NaN).
pub fn standard_normal_cdf(x: f64) -> f64 {
    (0.5 * erfc(-x / std::f64::consts::SQRT_2)).clamp(0.0, 1.0)
}

/// Inverse of [`standard_normal_cdf`] by bisection; `p` outside (0, 1) gives ±∞, NaN gives NaN.
pub fn standard_normal_quantile(p: f64) -> f64 {
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let (mut lo, mut hi) = (-40.0_f64, 40.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if standard_normal_cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-15 * (1.0 + mid.abs()) {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Probability from a probit, `P = Φ(Pr − 5)`, in [0, 1]; −∞ gives 0, +∞ gives 1, NaN gives
/// NaN.
pub fn probability_from_probit(probit: f64) -> f64 {
    standard_normal_cdf(probit - 5.0)
}

/// Probit for a probability, `Pr = 5 + Φ⁻¹(P)` (inverse of [`probability_from_probit`]).
pub fn probit_from_probability(probability: f64) -> f64 {
    5.0 + standard_normal_quantile(probability)
}

/// Input of [`probit_to_probability`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbitToProbabilityInput {
    /// Probit value Pr (dimensionless).
    pub probit: f64,
}

/// Output of [`probit_to_probability`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbitToProbabilityOutput {
    /// Probability Φ(Pr − 5), 0–1.
    pub probability: f64,
}

/// 概率单位转换为概率 — probit to probability, `P = Φ(Pr − 5)`.
pub fn probit_to_probability(
    input: &ProbitToProbabilityInput,
) -> Result<ProbitToProbabilityOutput, QraError> {
    let pr = check("probit", input.probit, "|value| <= 1e3", |v| v.abs() <= 1e3)?;
    Ok(ProbitToProbabilityOutput {
        probability: finite_result(
            "probit_to_probability",
            "probability",
            probability_from_probit(pr),
        )?,
    })
}

// ---------------------------------------------------------------------------------------
// Toxic
// ---------------------------------------------------------------------------------------

/// Substances with Purple Book toxic probit constants (reference §14.1; C in mg/m³, t in min).
/// **Unconfirmed transcription — check against GB/T 37243 App. H.**
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToxicSubstance {
    /// 氨 — ammonia: −15.6, 1, 2.
    Ammonia,
    /// 氯 — chlorine: −6.35, 0.5, 2.75.
    Chlorine,
    /// 硫化氢 — hydrogen sulphide: −11.5, 1, 1.9.
    HydrogenSulphide,
    /// 氰化氢 — hydrogen cyanide: −9.8, 1, 2.4.
    HydrogenCyanide,
    /// 氟化氢 — hydrogen fluoride: −8.4, 1, 1.5.
    HydrogenFluoride,
    /// 氯化氢 — hydrogen chloride: −37.3, 3.69, 1.
    HydrogenChloride,
    /// 二氧化硫 — sulphur dioxide: −19.2, 1, 2.4.
    SulphurDioxide,
    /// 二氧化氮 — nitrogen dioxide: −18.6, 1, 3.7.
    NitrogenDioxide,
    /// 光气 — phosgene: −10.6, 2, 1.
    Phosgene,
    /// 丙烯醛 — acrolein: −4.1, 1, 1.
    Acrolein,
    /// 丙烯腈 — acrylonitrile: −8.6, 1, 1.3.
    Acrylonitrile,
    /// 溴 — bromine: −12.4, 1, 2.
    Bromine,
    /// 甲醛 — formaldehyde: −12.2, 1, 2.
    Formaldehyde,
    /// 异氰酸甲酯 — methyl isocyanate: −1.2, 1, 0.7.
    MethylIsocyanate,
    /// 溴甲烷 — methyl bromide: −7.3, 1, 1.1.
    MethylBromide,
    /// 磷化氢 — phosphine: −6.8, 1, 2.
    Phosphine,
    /// 乙撑亚胺 — ethylene imine: −12.2, 1, 1.1.
    EthyleneImine,
}

/// Toxic probit constants `Pr = a + b ln(Cⁿ t)`, C in mg/m³, t in min.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ToxicProbitConstants {
    /// Constant a.
    pub a: f64,
    /// Constant b.
    pub b: f64,
    /// Concentration exponent n.
    pub n: f64,
}

impl ToxicSubstance {
    /// Every substance with constants, in the order of reference §14.1.
    pub const ALL: [ToxicSubstance; 17] = [
        ToxicSubstance::Ammonia,
        ToxicSubstance::Chlorine,
        ToxicSubstance::HydrogenSulphide,
        ToxicSubstance::HydrogenCyanide,
        ToxicSubstance::HydrogenFluoride,
        ToxicSubstance::HydrogenChloride,
        ToxicSubstance::SulphurDioxide,
        ToxicSubstance::NitrogenDioxide,
        ToxicSubstance::Phosgene,
        ToxicSubstance::Acrolein,
        ToxicSubstance::Acrylonitrile,
        ToxicSubstance::Bromine,
        ToxicSubstance::Formaldehyde,
        ToxicSubstance::MethylIsocyanate,
        ToxicSubstance::MethylBromide,
        ToxicSubstance::Phosphine,
        ToxicSubstance::EthyleneImine,
    ];

    /// The Purple Book constants (C mg/m³, t min).
    pub const fn constants(self) -> ToxicProbitConstants {
        let (a, b, n) = match self {
            ToxicSubstance::Ammonia => (-15.6, 1.0, 2.0),
            ToxicSubstance::Chlorine => (-6.35, 0.5, 2.75),
            ToxicSubstance::HydrogenSulphide => (-11.5, 1.0, 1.9),
            ToxicSubstance::HydrogenCyanide => (-9.8, 1.0, 2.4),
            ToxicSubstance::HydrogenFluoride => (-8.4, 1.0, 1.5),
            ToxicSubstance::HydrogenChloride => (-37.3, 3.69, 1.0),
            ToxicSubstance::SulphurDioxide => (-19.2, 1.0, 2.4),
            ToxicSubstance::NitrogenDioxide => (-18.6, 1.0, 3.7),
            ToxicSubstance::Phosgene => (-10.6, 2.0, 1.0),
            ToxicSubstance::Acrolein => (-4.1, 1.0, 1.0),
            ToxicSubstance::Acrylonitrile => (-8.6, 1.0, 1.3),
            ToxicSubstance::Bromine => (-12.4, 1.0, 2.0),
            ToxicSubstance::Formaldehyde => (-12.2, 1.0, 2.0),
            ToxicSubstance::MethylIsocyanate => (-1.2, 1.0, 0.7),
            ToxicSubstance::MethylBromide => (-7.3, 1.0, 1.1),
            ToxicSubstance::Phosphine => (-6.8, 1.0, 2.0),
            ToxicSubstance::EthyleneImine => (-12.2, 1.0, 1.1),
        };
        ToxicProbitConstants { a, b, n }
    }
}

/// Toxic probit from a concentration (mg/m³) held for `exposure_min` minutes:
/// `a + b ln(Cⁿ t)`. A zero concentration gives −∞ (probability 0).
pub fn toxic_probit(k: ToxicProbitConstants, concentration_mg_m3: f64, exposure_min: f64) -> f64 {
    k.a + k.b * (k.n * concentration_mg_m3.ln() + exposure_min.ln())
}

/// Toxic probit from a toxic-load dose `∫Cⁿ dt` ((mg/m³)ⁿ·min): `a + b ln(dose)`.
pub fn toxic_probit_from_dose(k: ToxicProbitConstants, dose: f64) -> f64 {
    k.a + k.b * dose.ln()
}

/// Concentration (mg/m³) that gives probability `p` over `exposure_min` minutes
/// (`p = 0.5`: the LC50), `C = (exp((Pr − a)/b)/t)^(1/n)`.
pub fn toxic_concentration_for_probability(
    k: ToxicProbitConstants,
    exposure_min: f64,
    probability: f64,
) -> f64 {
    let pr = probit_from_probability(probability);
    (((pr - k.a) / k.b).exp() / exposure_min).powf(1.0 / k.n)
}

/// Input of [`probit_toxic`]: either `substance`, or all of `a`, `b`, `n`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToxicProbitInput {
    /// Substance whose Purple Book constants to use (alternative to `a`, `b`, `n`).
    #[serde(default)]
    pub substance: Option<ToxicSubstance>,
    /// Custom constant a (with `b` and `n`; C in mg/m³, t in min).
    #[serde(default)]
    pub a: Option<f64>,
    /// Custom constant b.
    #[serde(default)]
    pub b: Option<f64>,
    /// Custom concentration exponent n.
    #[serde(default)]
    pub n: Option<f64>,
    /// Constant concentration over the exposure, mg/m³.
    pub concentration_mg_m3: f64,
    /// Exposure duration, min.
    pub exposure_min: f64,
}

/// Output of [`probit_toxic`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToxicProbitOutput {
    /// The constants used.
    pub constants: ToxicProbitConstants,
    /// Probit value (−∞ for a zero concentration is reported as `null`).
    pub probit: Option<f64>,
    /// Probability of death, 0–1.
    pub probability: f64,
    /// Concentration giving 50 % over the same exposure (LC50), mg/m³.
    pub lc50_mg_m3: f64,
}

fn toxic_constants(
    model: &'static str,
    input: &ToxicProbitInput,
) -> Result<ToxicProbitConstants, QraError> {
    match (input.substance, input.a, input.b, input.n) {
        (Some(s), None, None, None) => Ok(s.constants()),
        (None, Some(a), Some(b), Some(n)) => Ok(ToxicProbitConstants {
            a: check("a", a, "|value| <= 1e3", |v| v.abs() <= 1e3)?,
            b: check("b", b, "0 < value <= 1e3", |v| v > 0.0 && v <= 1e3)?,
            n: check("n", n, "0 < value <= 100", |v| v > 0.0 && v <= 100.0)?,
        }),
        _ => Err(QraError::InvalidInput {
            model,
            message: "give either `substance` or all of `a`, `b`, `n` / 请给出 `substance`，或同时给出 `a`、`b`、`n`".to_owned(),
        }),
    }
}

/// 毒性概率单位 — toxic probit and probability for a constant concentration.
pub fn probit_toxic(input: &ToxicProbitInput) -> Result<ToxicProbitOutput, QraError> {
    const MODEL: &str = "probit_toxic";
    let k = toxic_constants(MODEL, input)?;
    let c = check(
        "concentration_mg_m3",
        input.concentration_mg_m3,
        "0 <= value <= 1e9",
        |v| (0.0..=1e9).contains(&v),
    )?;
    let t = check(
        "exposure_min",
        input.exposure_min,
        "0 < value <= 1e6",
        |v| v > 0.0 && v <= 1e6,
    )?;
    let pr = toxic_probit(k, c, t);
    let probit = if c > 0.0 {
        Some(finite_result(MODEL, "probit", pr)?)
    } else {
        None
    };
    Ok(ToxicProbitOutput {
        constants: k,
        probit,
        probability: finite_result(MODEL, "probability", probability_from_probit(pr))?,
        lc50_mg_m3: finite_result(
            MODEL,
            "lc50_mg_m3",
            toxic_concentration_for_probability(k, t, 0.5),
        )?,
    })
}

// ---------------------------------------------------------------------------------------
// Thermal
// ---------------------------------------------------------------------------------------

/// Thermal-radiation probit (dose `t·q^(4/3)`, q W/m², t s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThermalProbitMethod {
    /// Tsao & Perry (Purple Book form): −36.38 + 2.56 ln V.
    TsaoPerry,
    /// Eisenberg: −38.48 + 2.56 ln V.
    Eisenberg,
    /// TNO (clothed): −37.23 + 2.56 ln V.
    Tno,
    /// Lees: −29.02 + 1.99 ln(0.5 V).
    Lees,
}

impl ThermalProbitMethod {
    /// `(a, b, dose factor)`: `Pr = a + b ln(factor · t q^(4/3))`.
    const fn constants(self) -> (f64, f64, f64) {
        match self {
            ThermalProbitMethod::TsaoPerry => (-36.38, 2.56, 1.0),
            ThermalProbitMethod::Eisenberg => (-38.48, 2.56, 1.0),
            ThermalProbitMethod::Tno => (-37.23, 2.56, 1.0),
            ThermalProbitMethod::Lees => (-29.02, 1.99, 0.5),
        }
    }
}

/// Thermal probit for a flux `q` (W/m²) held for `exposure_s` seconds. Zero flux gives −∞.
pub fn thermal_probit(method: ThermalProbitMethod, flux_w_m2: f64, exposure_s: f64) -> f64 {
    let (a, b, f) = method.constants();
    a + b * (f.ln() + exposure_s.ln() + 4.0 / 3.0 * flux_w_m2.ln())
}

/// Thermal probit from a dose `V = ∫q^(4/3) dt` ((W/m²)^(4/3)·s).
pub fn thermal_probit_from_dose(method: ThermalProbitMethod, dose: f64) -> f64 {
    let (a, b, f) = method.constants();
    a + b * (f * dose).ln()
}

/// Flux (W/m²) that gives probability `p` over `exposure_s` seconds:
/// `q = (exp((Pr − a)/b)/(f t))^(3/4)`.
pub fn thermal_flux_for_probability(
    method: ThermalProbitMethod,
    exposure_s: f64,
    probability: f64,
) -> f64 {
    let (a, b, f) = method.constants();
    let pr = probit_from_probability(probability);
    (((pr - a) / b).exp() / (f * exposure_s)).powf(0.75)
}

/// A thermal harm criterion: a probit and an exposure time, with the optional Purple Book
/// rules (see the [module documentation](self)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThermalHarm {
    /// The probit.
    pub method: ThermalProbitMethod,
    /// Exposure duration, s (Purple Book: 20 s escape time; HyRAM default 30 s — assumed,
    /// choose per study).
    pub exposure_s: f64,
    /// Flux at and above which lethality is 1, W/m² (Purple Book 35 000); `None`: no such rule.
    #[serde(default)]
    pub lethal_flux_w_m2: Option<f64>,
    /// Factor applied to the probit probability below `lethal_flux_w_m2` (Purple Book outdoors
    /// 0.14, clothing protection); default 1.
    #[serde(default = "one")]
    pub probit_factor: f64,
}

fn one() -> f64 {
    1.0
}

impl ThermalHarm {
    /// A plain probit criterion with no Purple Book rule.
    pub const fn probit(method: ThermalProbitMethod, exposure_s: f64) -> Self {
        ThermalHarm {
            method,
            exposure_s,
            lethal_flux_w_m2: None,
            probit_factor: 1.0,
        }
    }
}

/// Lethality (0–1) of a constant flux `q` (W/m²) under `harm`. Cheap, allocation-free;
/// non-finite or negative flux gives 0, except +∞ which gives the maximum.
pub fn thermal_lethality(flux_w_m2: f64, harm: &ThermalHarm) -> f64 {
    if flux_w_m2.is_nan() || flux_w_m2 <= 0.0 {
        return 0.0;
    }
    if harm
        .lethal_flux_w_m2
        .is_some_and(|q_lethal| flux_w_m2 >= q_lethal)
    {
        return 1.0;
    }
    let p = probability_from_probit(thermal_probit(harm.method, flux_w_m2, harm.exposure_s));
    if p.is_nan() {
        return 0.0;
    }
    (harm.probit_factor * p).clamp(0.0, 1.0)
}

/// Input of [`probit_thermal`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThermalProbitInput {
    /// The probit.
    pub method: ThermalProbitMethod,
    /// Received heat flux, W/m².
    pub flux_w_m2: f64,
    /// Exposure duration, s.
    pub exposure_s: f64,
}

/// Output of [`probit_thermal`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThermalProbitOutput {
    /// Thermal dose t·q^(4/3), (W/m²)^(4/3)·s.
    pub dose: f64,
    /// Probit (`null` for zero flux).
    pub probit: Option<f64>,
    /// Probability of death, 0–1.
    pub probability: f64,
    /// Flux giving 50 % over the same exposure, W/m².
    pub flux_50_percent_w_m2: f64,
}

/// 热辐射概率单位 — thermal-radiation probit and probability.
pub fn probit_thermal(input: &ThermalProbitInput) -> Result<ThermalProbitOutput, QraError> {
    const MODEL: &str = "probit_thermal";
    let q = check("flux_w_m2", input.flux_w_m2, "0 <= value <= 1e8", |v| {
        (0.0..=1e8).contains(&v)
    })?;
    let t = check("exposure_s", input.exposure_s, "0 < value <= 1e6", |v| {
        v > 0.0 && v <= 1e6
    })?;
    let pr = thermal_probit(input.method, q, t);
    Ok(ThermalProbitOutput {
        dose: finite_result(MODEL, "dose", t * q.powf(4.0 / 3.0))?,
        probit: if q > 0.0 {
            Some(finite_result(MODEL, "probit", pr)?)
        } else {
            None
        },
        probability: finite_result(MODEL, "probability", probability_from_probit(pr))?,
        flux_50_percent_w_m2: finite_result(
            MODEL,
            "flux_50_percent_w_m2",
            thermal_flux_for_probability(input.method, t, 0.5),
        )?,
    })
}

// ---------------------------------------------------------------------------------------
// Overpressure
// ---------------------------------------------------------------------------------------

/// Overpressure probit (ΔP in Pa, impulse in Pa·s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverpressureProbitMethod {
    /// Eisenberg lung haemorrhage: −77.1 + 6.91 ln ΔP.
    EisenbergLung,
    /// HSE lung: 5.13 + 1.37 ln(ΔP / 1 bar).
    HseLung,
    /// TNO head impact: 5 − 8.49 ln(2430/ΔP + 4.0e8/(ΔP·i)); needs the impulse.
    TnoHeadImpact,
    /// TNO structural collapse: 5 − 0.22 ln((40000/ΔP)^7.4 + (460/i)^11.3); needs the impulse.
    TnoStructuralCollapse,
}

impl OverpressureProbitMethod {
    /// Whether the probit needs the positive-phase impulse.
    pub const fn needs_impulse(self) -> bool {
        matches!(
            self,
            OverpressureProbitMethod::TnoHeadImpact
                | OverpressureProbitMethod::TnoStructuralCollapse
        )
    }
}

/// Overpressure probit; `None` when the method needs the impulse and none is given.
/// Zero overpressure gives −∞.
pub fn overpressure_probit(
    method: OverpressureProbitMethod,
    overpressure_pa: f64,
    impulse_pa_s: Option<f64>,
) -> Option<f64> {
    let p = overpressure_pa;
    Some(match method {
        OverpressureProbitMethod::EisenbergLung => -77.1 + 6.91 * p.ln(),
        OverpressureProbitMethod::HseLung => 5.13 + 1.37 * (p / 1e5).ln(),
        OverpressureProbitMethod::TnoHeadImpact => {
            let i = impulse_pa_s?;
            5.0 - 8.49 * (2430.0 / p + 4.0e8 / (p * i)).ln()
        }
        OverpressureProbitMethod::TnoStructuralCollapse => {
            let i = impulse_pa_s?;
            5.0 - 0.22 * ((40000.0 / p).powf(7.4) + (460.0 / i).powf(11.3)).ln()
        }
    })
}

/// An overpressure harm criterion: a probit, or the Purple Book step rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "rule", content = "method")]
pub enum OverpressureHarm {
    /// A probit.
    Probit(OverpressureProbitMethod),
    /// Purple Book, people indoors: 1 above 0.3 bar, 0.025 for 0.1–0.3 bar, 0 below.
    PurpleBookIndoor,
    /// Purple Book, people outdoors: 1 above 0.3 bar, 0 below.
    PurpleBookOutdoor,
}

/// Lethality (0–1) of a blast wave under `harm`; `None` when the method needs the impulse and
/// none is given. Cheap, allocation-free; NaN or non-positive overpressure gives 0.
pub fn overpressure_lethality(
    harm: OverpressureHarm,
    overpressure_pa: f64,
    impulse_pa_s: Option<f64>,
) -> Option<f64> {
    if overpressure_pa.is_nan() || overpressure_pa <= 0.0 {
        return Some(0.0);
    }
    let bar = overpressure_pa / 1e5;
    match harm {
        OverpressureHarm::PurpleBookIndoor => Some(if bar > 0.3 {
            1.0
        } else if bar > 0.1 {
            0.025
        } else {
            0.0
        }),
        OverpressureHarm::PurpleBookOutdoor => Some(if bar > 0.3 { 1.0 } else { 0.0 }),
        OverpressureHarm::Probit(method) => {
            let impulse = impulse_pa_s.filter(|i| !i.is_nan());
            let pr = overpressure_probit(method, overpressure_pa, impulse)?;
            let p = probability_from_probit(pr);
            Some(if p.is_nan() { 0.0 } else { p })
        }
    }
}

/// Input of [`probit_overpressure`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverpressureProbitInput {
    /// The probit.
    pub method: OverpressureProbitMethod,
    /// Peak (side-on) overpressure, Pa.
    pub overpressure_pa: f64,
    /// Positive-phase impulse, Pa·s (needed by the TNO methods).
    #[serde(default)]
    pub impulse_pa_s: Option<f64>,
}

/// Output of [`probit_overpressure`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverpressureProbitOutput {
    /// Probit value.
    pub probit: f64,
    /// Probability of death, 0–1.
    pub probability: f64,
}

/// 超压概率单位 — overpressure probit and probability.
pub fn probit_overpressure(
    input: &OverpressureProbitInput,
) -> Result<OverpressureProbitOutput, QraError> {
    const MODEL: &str = "probit_overpressure";
    let p = check(
        "overpressure_pa",
        input.overpressure_pa,
        "0 < value <= 1e9",
        |v| v > 0.0 && v <= 1e9,
    )?;
    let i = match input.impulse_pa_s {
        Some(i) => Some(check("impulse_pa_s", i, "0 < value <= 1e9", |v| {
            v > 0.0 && v <= 1e9
        })?),
        None => None,
    };
    let pr = overpressure_probit(input.method, p, i).ok_or_else(|| QraError::InvalidInput {
        model: MODEL,
        message: "this method needs `impulse_pa_s` / 该方法需要 `impulse_pa_s`（冲量）".to_owned(),
    })?;
    Ok(OverpressureProbitOutput {
        probit: finite_result(MODEL, "probit", pr)?,
        probability: finite_result(MODEL, "probability", probability_from_probit(pr))?,
    })
}
