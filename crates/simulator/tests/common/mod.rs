//! A demo-like park for the tests: twelve points per unit, tagged like the
//! demo (LT-1101A/B, TT-1101, PT-1101, FT-1101, GT-…, AT-…), one gateway per
//! enterprise, eight enterprises.
#![allow(dead_code)]

use weihua_core::{Indicator, Limits};
use weihua_simulator::{PointSpec, ScenarioConfig, SimSample, Simulator};

pub const T0: i64 = 1_735_660_800_000; // 2025-01-01T00:00:00+08:00

pub fn limits(ll: Option<f64>, l: Option<f64>, h: Option<f64>, hh: Option<f64>) -> Limits {
    Limits { ll, l, h, hh }
}

#[allow(clippy::too_many_arguments)]
fn spec(
    unit_no: usize,
    tag: String,
    indicator: Indicator,
    unit: &str,
    lo: f64,
    hi: f64,
    lim: Limits,
) -> PointSpec {
    PointSpec {
        id: format!("E{}-{}", unit_no % 8, tag),
        tag,
        indicator,
        unit: unit.into(),
        range_low: lo,
        range_high: hi,
        limits: lim,
        group: format!("U{unit_no}"),
        gateway: format!("E{}", unit_no % 8),
    }
}

/// The twelve points of unit `u`.
pub fn unit_points(u: usize) -> Vec<PointSpec> {
    let n = 1101 + u;
    let g = 100 * (u + 1);
    use Indicator::*;
    vec![
        spec(
            u,
            format!("LT-{n}A"),
            Level,
            "%",
            0.0,
            100.0,
            limits(Some(10.0), Some(20.0), Some(80.0), Some(90.0)),
        ),
        spec(
            u,
            format!("LT-{n}B"),
            Level,
            "%",
            0.0,
            100.0,
            limits(Some(10.0), Some(20.0), Some(80.0), Some(90.0)),
        ),
        spec(
            u,
            format!("TT-{n}"),
            Temperature,
            "°C",
            -20.0,
            60.0,
            limits(None, None, Some(40.0), Some(45.0)),
        ),
        spec(
            u,
            format!("PT-{n}"),
            Pressure,
            "MPa",
            0.0,
            1.6,
            limits(None, None, Some(0.8), Some(0.9)),
        ),
        spec(
            u,
            format!("FT-{n}A"),
            Flow,
            "m3/h",
            0.0,
            100.0,
            limits(None, None, Some(80.0), Some(90.0)),
        ),
        spec(
            u,
            format!("FT-{n}B"),
            Flow,
            "m3/h",
            0.0,
            200.0,
            limits(Some(20.0), Some(40.0), None, None),
        ),
        spec(
            u,
            format!("GT-{}", g + 1),
            FlammableGas,
            "%LEL",
            0.0,
            100.0,
            limits(None, None, Some(20.0), Some(40.0)),
        ),
        spec(
            u,
            format!("GT-{}", g + 2),
            FlammableGas,
            "%LEL",
            0.0,
            100.0,
            limits(None, None, Some(20.0), Some(40.0)),
        ),
        spec(
            u,
            format!("GT-{}", g + 3),
            FlammableGas,
            "%LEL",
            0.0,
            100.0,
            limits(None, None, Some(20.0), Some(40.0)),
        ),
        spec(
            u,
            format!("AT-{}", g + 1),
            ToxicGas,
            "ppm",
            0.0,
            10.0,
            limits(None, None, Some(1.0), Some(2.0)),
        ),
        spec(
            u,
            format!("AT-{}", g + 2),
            ToxicGas,
            "ppm",
            0.0,
            10.0,
            limits(None, None, Some(1.0), Some(2.0)),
        ),
        spec(
            u,
            format!("AT-{}", g + 3),
            Oxygen,
            "%VOL",
            0.0,
            25.0,
            limits(None, Some(19.5), Some(23.5), None),
        ),
    ]
}

/// `units` units of twelve points (64 units = the 768 points of the demo).
pub fn park(units: usize) -> Vec<PointSpec> {
    (0..units).flat_map(unit_points).collect()
}

/// Quiet config with some episode kinds switched back on by the caller.
pub fn quiet() -> ScenarioConfig {
    ScenarioConfig::quiet()
}

/// Run `steps` steps of `every_ms`, from `T0`.
pub fn run(sim: &mut Simulator, steps: usize, every_ms: i64) -> Vec<Vec<SimSample>> {
    (0..steps)
        .map(|k| sim.step(T0 + k as i64 * every_ms))
        .collect()
}

/// Round to `dec` decimals the way the simulator does.
pub fn round_to(x: f64, dec: i32) -> f64 {
    if dec >= 0 {
        let m = 10f64.powi(dec);
        (x * m).round() / m
    } else {
        let m = 10f64.powi(-dec);
        (x / m).round() * m
    }
}
