//! 风险指标 — potential loss of life (PLL, 潜在生命损失), fatal accident rate (FAR) and average
//! individual risk (AIR), as defined in HyRAM (reference `qra-consequence.md` §15; confirmed:
//! HyRAM `risk.py`, case RISK-FAR-AIR-HyRAM):
//!
//! - PLL = Σ_e f_e · N_e (per year), contribution of e = f_e·N_e / PLL;
//! - FAR = PLL · 10⁸ / (N_exposed · 8760) (deaths per 10⁸ person-hours of exposure, with the
//!   exposed people present all year);
//! - AIR = FAR · 10⁻⁸ · H (per year, for a person exposed H hours a year; HyRAM default
//!   H = 2000 h).
//!
//! Assumed bounds: frequencies 0–1e3 /a, fatalities 0–1e8, occupants 0 < n ≤ 1e8,
//! hours 0–8784.

use serde::{Deserialize, Serialize};

use crate::error::{QraError, check, finite_result};

const MODEL: &str = "risk_metrics";

/// Hours in a (non-leap) year, used by FAR.
pub const HOURS_PER_YEAR: f64 = 8760.0;

/// PLL of a set of events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PllOutput {
    /// f_e·N_e per event, per year.
    pub plls_per_year: Vec<f64>,
    /// Σ f_e·N_e, per year.
    pub pll_total_per_year: f64,
    /// Share of each event (all 0 when the total is 0).
    pub contributions: Vec<f64>,
}

/// PLL of events with frequencies `frequencies_per_year` and deaths `fatalities` (same length).
pub fn pll(frequencies_per_year: &[f64], fatalities: &[f64]) -> Result<PllOutput, QraError> {
    if frequencies_per_year.len() != fatalities.len() {
        return Err(QraError::OutOfRange {
            field: "fatalities (length)",
            value: fatalities.len() as f64,
            expected: "as many values as frequencies_per_year",
        });
    }
    let mut plls = Vec::with_capacity(fatalities.len());
    for (&f, &n) in frequencies_per_year.iter().zip(fatalities) {
        let f = check("frequencies_per_year[]", f, "0 <= value <= 1e3", |v| {
            (0.0..=1e3).contains(&v)
        })?;
        let n = check("fatalities[]", n, "0 <= value <= 1e8", |v| {
            (0.0..=1e8).contains(&v)
        })?;
        plls.push(f * n);
    }
    let total: f64 = plls.iter().sum();
    let total = finite_result(MODEL, "pll_total_per_year", total)?;
    let contributions = plls
        .iter()
        .map(|p| if total > 0.0 { p / total } else { 0.0 })
        .collect();
    Ok(PllOutput {
        plls_per_year: plls,
        pll_total_per_year: total,
        contributions,
    })
}

/// FAR = PLL·10⁸/(occupants·8760).
pub fn far(pll_per_year: f64, occupants: f64) -> Result<f64, QraError> {
    let pll = check("pll_per_year", pll_per_year, "0 <= value <= 1e8", |v| {
        (0.0..=1e8).contains(&v)
    })?;
    let n = check("occupants", occupants, "0 < value <= 1e8", |v| {
        v > 0.0 && v <= 1e8
    })?;
    finite_result(MODEL, "far", pll * 1e8 / (n * HOURS_PER_YEAR))
}

/// AIR = FAR·10⁻⁸·hours.
pub fn air(far: f64, exposed_hours_per_year: f64) -> Result<f64, QraError> {
    let far = check("far", far, "0 <= value <= 1e12", |v| {
        (0.0..=1e12).contains(&v)
    })?;
    let h = check(
        "exposed_hours_per_year",
        exposed_hours_per_year,
        "0 <= value <= 8784",
        |v| (0.0..=8784.0).contains(&v),
    )?;
    finite_result(MODEL, "air", far * 1e-8 * h)
}

fn default_hours() -> f64 {
    2000.0
}

/// Input of [`risk_metrics`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskMetricsInput {
    /// Event frequencies, per year.
    pub frequencies_per_year: Vec<f64>,
    /// Deaths per event (same length).
    pub fatalities: Vec<f64>,
    /// People exposed (for FAR).
    pub occupants: f64,
    /// Hours a year each is exposed (for AIR; default 2000, HyRAM).
    #[serde(default = "default_hours")]
    pub exposed_hours_per_year: f64,
}

/// Output of [`risk_metrics`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskMetricsOutput {
    /// PLL per event and total.
    #[serde(flatten)]
    pub pll: PllOutput,
    /// Fatal accident rate, deaths per 10⁸ exposed hours.
    pub far: f64,
    /// Average individual risk, per year.
    pub air_per_year: f64,
}

/// PLL, FAR and AIR of a set of events.
pub fn risk_metrics(input: &RiskMetricsInput) -> Result<RiskMetricsOutput, QraError> {
    let p = pll(&input.frequencies_per_year, &input.fatalities)?;
    let far = far(p.pll_total_per_year, input.occupants)?;
    let air = air(far, input.exposed_hours_per_year)?;
    Ok(RiskMetricsOutput {
        pll: p,
        far,
        air_per_year: air,
    })
}
