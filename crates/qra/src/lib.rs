//! weihua-qra — consequence models for quantitative risk assessment (QRA, GB/T 37243-2019)
//! as pure functions.
//!
//! Pure: no IO, no clock, no randomness, no global state. Every model validates its inputs
//! and refuses non-finite or out-of-range values with a typed, bilingual [`QraError`] that
//! names the field; no input makes a model panic.
//!
//! Models (each module documents its equations, their source and validity range):
//!
//! - [`puff`] — Gaussian puff, CCPS 1999 puff σ ([`gaussian_puff`]);
//! - [`blast`] — Kingery–Bulmash TNT blast, hemispherical surface burst ([`kingery_bulmash`]);
//! - [`orifice`] — ideal-gas discharge through a hole, choked or sub-sonic ([`gas_orifice`]).
//!
//! The equations follow `shared/reference/qra-consequence.md` (weihua's QRA reference);
//! every model is tested against the cases of `shared/testdata/qra-validation.json`.
//!
//! [`run_model`] dispatches by name over JSON (the shape a CLI `weihua qra model NAME` or
//! an HTTP handler needs); [`MODELS`] lists the names with a description.
//!
//! ```
//! use weihua_qra::{KingeryBulmashInput, kingery_bulmash, run_model};
//!
//! let out = kingery_bulmash(&KingeryBulmashInput { tnt_mass_kg: 1.0, distance_m: 10.0 }).unwrap();
//! assert!((out.incident_overpressure_kpa - 14.89).abs() / 14.89 < 0.01);
//!
//! let json = run_model(
//!     "gas_orifice",
//!     serde_json::json!({
//!         "upstream_pressure_pa": 501e3, "upstream_density_kg_m3": 8.90,
//!         "upstream_temperature_k": 298.0, "heat_capacity_ratio": 1.15,
//!         "discharge_coefficient": 0.85, "hole_diameter_m": 0.01,
//!         "ambient_pressure_pa": 101325.0
//!     }),
//! )
//! .unwrap();
//! assert!(json["choked"].as_bool().unwrap());
//! ```

pub mod blast;
mod error;
pub mod liquid;
pub mod orifice;
pub mod puff;

pub use blast::{KingeryBulmashInput, KingeryBulmashOutput, kingery_bulmash};
pub use error::QraError;
pub use liquid::{LiquidOrificeInput, LiquidOrificeOutput, liquid_orifice};
pub use orifice::{GasOrificeInput, GasOrificeOutput, critical_pressure_ratio, gas_orifice};
pub use puff::{GaussianPuffInput, GaussianPuffOutput, Stability, gaussian_puff};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The models [`run_model`] knows: `(name, description)`, descriptions bilingual.
pub const MODELS: &[(&str, &str)] = &[
    (
        "gaussian_puff",
        "Gaussian puff, instantaneous ground release, CCPS 1999 puff sigma; ground-level centre-line concentration / 高斯烟团模型（瞬时地面释放，CCPS 1999 烟团扩散系数），地面轴线浓度",
    ),
    (
        "kingery_bulmash",
        "Kingery-Bulmash TNT blast, hemispherical surface burst: incident overpressure, arrival time, incident impulse / Kingery-Bulmash TNT 爆炸（半球形地面爆炸）：入射超压、到达时间、入射冲量",
    ),
    (
        "liquid_orifice",
        "Liquid discharge through a hole, Bernoulli with optional liquid head (CCPS 1999) / 液体小孔泄漏（伯努利方程，可计液位静压，CCPS 1999）",
    ),
    (
        "gas_orifice",
        "Ideal-gas discharge through a hole, choked or sub-sonic (CCPS 1999) / 理想气体小孔泄漏（临界或亚临界流，CCPS 1999）",
    ),
];

fn run_typed<I, O>(
    model: &'static str,
    input: serde_json::Value,
    f: impl FnOnce(&I) -> Result<O, QraError>,
) -> Result<serde_json::Value, QraError>
where
    I: DeserializeOwned,
    O: Serialize,
{
    let input: I = serde_json::from_value(input).map_err(|e| QraError::InvalidInput {
        model,
        message: e.to_string(),
    })?;
    let output = f(&input)?;
    serde_json::to_value(output).map_err(|e| QraError::InvalidInput {
        model,
        message: e.to_string(),
    })
}

/// Runs the model `name` (one of [`MODELS`]) on a JSON input object whose fields are those
/// of the model's input struct (unknown fields are refused), returning the output struct as
/// JSON.
pub fn run_model(name: &str, input: serde_json::Value) -> Result<serde_json::Value, QraError> {
    match name {
        "gaussian_puff" => run_typed("gaussian_puff", input, gaussian_puff),
        "kingery_bulmash" => run_typed("kingery_bulmash", input, kingery_bulmash),
        "gas_orifice" => run_typed("gas_orifice", input, gas_orifice),
        "liquid_orifice" => run_typed("liquid_orifice", input, liquid_orifice),
        other => Err(QraError::UnknownModel {
            name: other.to_owned(),
            known: MODELS
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}
