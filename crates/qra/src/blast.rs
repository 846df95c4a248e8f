//! Kingery–Bulmash TNT blast parameters, hemispherical surface burst (metric).
//!
//! # Equations
//!
//! Source: Kingery & Bulmash (1984) polynomial fits in the simplified natural-log form of
//! Swisdak, *Simplified Kingery Airblast Calculations* (1994, ADA526744), as given in weihua
//! reference `shared/reference/qra-consequence.md` §13.1 (overpressure and impulse) and in
//! `fcento100/kingery-bulmash` 194c3c7 (MIT; arrival-time coefficients, which the reference
//! defers to that source).
//!
//! With the scaled distance `Z = R / W^(1/3)` (m/kg^(1/3)) and `L = ln Z`, each quantity is
//! `exp(Σ cᵢ Lⁱ)`:
//!
//! | quantity | Z range | cᵢ |
//! | --- | --- | --- |
//! | incident overpressure, kPa | 0.2 – 2.9 | 7.2106, −2.1069, −0.3229, 0.1117, 0.0685 |
//! | | 2.9 – 23.8 | 7.5938, −3.0523, 0.40977, 0.0261, −0.01267 |
//! | | 23.8 – 198.5 | 6.0536, −1.4066 |
//! | incident impulse / W^(1/3), kPa·ms | 0.2 – 0.96 | 5.522, 1.117, 0.6, −0.292, −0.087 |
//! | | 0.96 – 2.38 | 5.465, −0.308, −1.464, 1.362, −0.432 |
//! | | 2.38 – 33.7 | 5.2749, −0.4677, −0.2499, 0.0588, −0.00554 |
//! | | 33.7 – 158.7 | 5.9825, −1.062 |
//! | arrival time / W^(1/3), ms | 0.06 – 1.5 | −0.7604, 1.8058, 0.1257, −0.0437, −0.0310, −0.00669 |
//! | | 1.5 – 40 | −0.7137, 1.5732, 0.5561, −0.4213, 0.1054, −0.00929 |
//!
//! Each range is closed at its upper end (a value on a boundary uses the lower segment).
//!
//! # Validity
//!
//! The model is refused ([`QraError::OutsideValidity`]) outside the overpressure fit range
//! `0.2 <= Z <= 198.5` m/kg^(1/3), as the source does. Inside it, the impulse (fit up to
//! Z = 158.7) and the arrival time (fit 0.06 – 40) are `None` where their own fit does not
//! reach. The fits reproduce the ADA526744 tables within about 1 %; adjacent segments do not
//! join exactly (overpressure steps up by 0.7 % at Z = 23.8).
//!
//! Accepted inputs (assumed bounds, refused outside): `0 < tnt_mass_kg <= 1e9`,
//! `0 < distance_m <= 1e6`.

use serde::{Deserialize, Serialize};

use crate::error::{QraError, check, finite_result};

const MODEL: &str = "kingery_bulmash";

/// Validity range of the whole model (the incident-overpressure fit), m/kg^(1/3).
pub const SCALED_DISTANCE_RANGE: (f64, f64) = (0.2, 198.5);
/// Range of the incident-impulse fit, m/kg^(1/3).
pub const IMPULSE_SCALED_DISTANCE_RANGE: (f64, f64) = (0.2, 158.7);
/// Range of the arrival-time fit, m/kg^(1/3).
pub const ARRIVAL_SCALED_DISTANCE_RANGE: (f64, f64) = (0.06, 40.0);

/// `(upper end of segment, coefficients)`; the first segment starts at the range minimum.
type Fit = &'static [(f64, &'static [f64])];

const OVERPRESSURE: Fit = &[
    (2.9, &[7.2106, -2.1069, -0.3229, 0.1117, 0.0685]),
    (23.8, &[7.5938, -3.0523, 0.40977, 0.0261, -0.01267]),
    (198.5, &[6.0536, -1.4066]),
];
const IMPULSE: Fit = &[
    (0.96, &[5.522, 1.117, 0.6, -0.292, -0.087]),
    (2.38, &[5.465, -0.308, -1.464, 1.362, -0.432]),
    (33.7, &[5.2749, -0.4677, -0.2499, 0.0588, -0.00554]),
    (158.7, &[5.9825, -1.062]),
];
const ARRIVAL: Fit = &[
    (1.5, &[-0.7604, 1.8058, 0.1257, -0.0437, -0.0310, -0.00669]),
    (40.0, &[-0.7137, 1.5732, 0.5561, -0.4213, 0.1054, -0.00929]),
];

/// Evaluates a piecewise fit at `z`, `None` outside `[min, last upper end]`.
fn eval(fit: Fit, min: f64, z: f64) -> Option<f64> {
    if z.is_nan() || z < min {
        return None;
    }
    let (_, coeffs) = fit.iter().find(|(upper, _)| z <= *upper)?;
    let l = z.ln();
    let poly = coeffs.iter().rev().fold(0.0, |acc, c| acc * l + c);
    Some(poly.exp())
}

/// Incident overpressure alone, kPa, at scaled distance `z` (m/kg^(1/3)); `None` outside
/// 0.2 ≤ Z ≤ 198.5. The fast path of the risk engine's blast footprints: the same fit as
/// [`kingery_bulmash`], without the arrival time and impulse and without input checks.
pub fn overpressure_kpa_at_scaled(z: f64) -> Option<f64> {
    let (min, max) = SCALED_DISTANCE_RANGE;
    if z > max {
        return None;
    }
    eval(OVERPRESSURE, min, z)
}

/// Input of [`kingery_bulmash`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KingeryBulmashInput {
    /// TNT-equivalent mass W, kg.
    pub tnt_mass_kg: f64,
    /// Distance R from the charge, m.
    pub distance_m: f64,
}

/// Output of [`kingery_bulmash`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KingeryBulmashOutput {
    /// Incident (side-on) peak overpressure, kPa.
    pub incident_overpressure_kpa: f64,
    /// Shock arrival time, ms; `None` (JSON `null`) outside the fit range 0.06 <= Z <= 40.
    pub arrival_time_ms: Option<f64>,
    /// Incident (side-on) positive-phase impulse, kPa·ms; `None` (JSON `null`) for
    /// Z > 158.7.
    pub incident_impulse_kpa_ms: Option<f64>,
}

/// Scaled distance Z = R / W^(1/3), m/kg^(1/3), for validated inputs.
pub fn scaled_distance(tnt_mass_kg: f64, distance_m: f64) -> Result<f64, QraError> {
    let w = check("tnt_mass_kg", tnt_mass_kg, "0 < value <= 1e9", |v| {
        v > 0.0 && v <= 1e9
    })?;
    let r = check("distance_m", distance_m, "0 < value <= 1e6", |v| {
        v > 0.0 && v <= 1e6
    })?;
    Ok(r / w.cbrt())
}

/// Kingery–Bulmash incident overpressure, arrival time and incident impulse of a
/// hemispherical TNT surface burst. See the [module documentation](self) for the fits,
/// source and validity range.
pub fn kingery_bulmash(input: &KingeryBulmashInput) -> Result<KingeryBulmashOutput, QraError> {
    let z = scaled_distance(input.tnt_mass_kg, input.distance_m)?;
    let (min, max) = SCALED_DISTANCE_RANGE;
    let overpressure = match eval(OVERPRESSURE, min, z) {
        Some(p) => finite_result(MODEL, "incident_overpressure_kpa", p)?,
        None => {
            return Err(QraError::OutsideValidity {
                model: MODEL,
                quantity: "scaled distance Z (m/kg^(1/3))",
                value: z,
                min,
                max,
            });
        }
    };
    let w13 = input.tnt_mass_kg.cbrt();
    let arrival = eval(ARRIVAL, ARRIVAL_SCALED_DISTANCE_RANGE.0, z)
        .map(|t| finite_result(MODEL, "arrival_time_ms", t * w13))
        .transpose()?;
    let impulse = eval(IMPULSE, IMPULSE_SCALED_DISTANCE_RANGE.0, z)
        .map(|i| finite_result(MODEL, "incident_impulse_kpa_ms", i * w13))
        .transpose()?;
    Ok(KingeryBulmashOutput {
        incident_overpressure_kpa: overpressure,
        arrival_time_ms: arrival,
        incident_impulse_kpa_ms: impulse,
    })
}
