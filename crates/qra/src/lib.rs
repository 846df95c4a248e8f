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
//! - [`orifice`] — ideal-gas discharge through a hole, choked or sub-sonic ([`gas_orifice`]);
//! - [`liquid`] — liquid discharge through a hole, Bernoulli ([`liquid_orifice`]);
//! - [`discharge`] — two-phase / flashing discharge and vessel blowdown;
//! - [`pool`] — pool spreading and evaporation;
//! - [`plume`] — Gaussian plume (Briggs rural/urban, TNO σ), wind profile, plume rise,
//!   finite-duration puff, dispersion footprints;
//! - [`dense`] — dense-gas dispersion, Britter–McQuaid plume and puff;
//! - [`fire`] — pool fire, jet fire, fireball/BLEVE, view factors, atmospheric
//!   transmissivity (a flash fire is the LFL envelope of [`plume`]'s footprints);
//! - [`vce`] — vapour cloud explosion: TNT equivalence, Baker–Strehlow–Tang, hydrogen jet
//!   explosions (TNO multi-energy is not implemented: its curves are not public);
//! - [`probit`] — harm (probit) functions for toxic, thermal and overpressure effects;
//! - [`substance`] — chemical property data of the GB 18218 substances;
//! - [`site`] — a whole GB/T 37243 assessment from a plant description: LOC scenarios,
//!   source terms, event trees, footprints of every outcome in every weather, risk
//!   integration ([`site::assess_study`], `weihua qra site FILE`);
//! - [`threat`] — live threat zones (toxic levels, LFL, heat flux, overpressure) of a
//!   release in the current wind, as polygons and GeoJSON;
//! - [`risk`] — individual risk grids, F-N curves, GB 36894 criteria, external safety
//!   distances (GB/T 37243).
//!
//! The equations follow `shared/reference/qra-consequence.md` (weihua's QRA reference);
//! every model is tested against the cases of `shared/testdata/qra-validation.json`.
//!
//! [`run_model`] dispatches by name over JSON (the shape a CLI `weihua qra model NAME` or
//! an HTTP handler needs); [`models`] lists the names with a description.
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
pub mod dense;
pub mod discharge;
mod error;
pub mod fire;
pub mod liquid;
mod numeric;
pub mod orifice;
pub mod plume;
pub mod pool;
pub mod probit;
pub mod puff;
pub mod report;
pub mod risk;
pub mod site;
pub mod substance;
pub mod threat;
pub mod vce;

pub use blast::{KingeryBulmashInput, KingeryBulmashOutput, kingery_bulmash};
pub use error::QraError;
pub use liquid::{LiquidOrificeInput, LiquidOrificeOutput, liquid_orifice};
pub use orifice::{GasOrificeInput, GasOrificeOutput, critical_pressure_ratio, gas_orifice};
pub use puff::{GaussianPuffInput, GaussianPuffOutput, Stability, gaussian_puff};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// One consequence model reachable by name through [`run_model`] (and so through
/// `weihua qra model NAME` and the HTTP API).
#[derive(Debug, Clone, Copy)]
pub struct ModelEntry {
    /// The model's name, `snake_case`.
    pub name: &'static str,
    /// What it computes, English / 中文.
    pub description: &'static str,
    /// Runs the model on its JSON input object, returning its JSON output object.
    pub run: fn(serde_json::Value) -> Result<serde_json::Value, QraError>,
}

/// The models defined in this file's modules that predate the per-module lists.
const BASE_MODELS: &[ModelEntry] = &[
    ModelEntry {
        name: "gaussian_puff",
        description: "Gaussian puff, instantaneous ground release, CCPS 1999 puff sigma; ground-level centre-line concentration / 高斯烟团模型（瞬时地面释放，CCPS 1999 烟团扩散系数），地面轴线浓度",
        run: |v| run_json("gaussian_puff", v, gaussian_puff),
    },
    ModelEntry {
        name: "kingery_bulmash",
        description: "Kingery-Bulmash TNT blast, hemispherical surface burst: incident overpressure, arrival time, incident impulse / Kingery-Bulmash TNT 爆炸（半球形地面爆炸）：入射超压、到达时间、入射冲量",
        run: |v| run_json("kingery_bulmash", v, kingery_bulmash),
    },
    ModelEntry {
        name: "liquid_orifice",
        description: "Liquid discharge through a hole, Bernoulli with optional liquid head (CCPS 1999) / 液体小孔泄漏（伯努利方程，可计液位静压，CCPS 1999）",
        run: |v| run_json("liquid_orifice", v, liquid_orifice),
    },
    ModelEntry {
        name: "gas_orifice",
        description: "Ideal-gas discharge through a hole, choked or sub-sonic (CCPS 1999) / 理想气体小孔泄漏（临界或亚临界流，CCPS 1999）",
        run: |v| run_json("gas_orifice", v, gas_orifice),
    },
];

/// Every model [`run_model`] knows, in a stable order.
pub fn models() -> impl Iterator<Item = &'static ModelEntry> {
    [
        BASE_MODELS,
        discharge::MODELS,
        pool::MODELS,
        plume::MODELS,
        dense::MODELS,
        fire::MODELS,
        vce::MODELS,
        probit::MODELS,
        substance::MODELS,
    ]
    .into_iter()
    .flatten()
}

/// Decodes `input` into the model's input struct `I` (unknown fields refused when `I` says
/// `deny_unknown_fields`), runs `f`, encodes the output. Model modules use it to build their
/// [`ModelEntry`] lists.
pub(crate) fn run_json<I, O>(
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

/// Runs the model `name` (one of [`models`]) on a JSON input object whose fields are those
/// of the model's input struct (unknown fields are refused), returning the output struct as
/// JSON.
pub fn run_model(name: &str, input: serde_json::Value) -> Result<serde_json::Value, QraError> {
    match models().find(|m| m.name == name) {
        Some(model) => (model.run)(input),
        None => Err(QraError::UnknownModel {
            name: name.to_owned(),
            known: models().map(|m| m.name).collect::<Vec<_>>().join(", "),
        }),
    }
}
