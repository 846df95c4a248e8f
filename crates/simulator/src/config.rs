//! 场景参数 — rates and amplitudes of the simulated park.
//!
//! Every default below is a DEMO value, picked so that a 768-point demo park
//! shows a few episodes an hour on a dashboard. None of them is a measured
//! statistic of a real plant or a requirement of a standard.

use crate::SimError;
use serde::{Deserialize, Serialize};

/// A uniform draw between `min` and `max` (both included; `min == max` is a constant).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Between {
    pub min: f64,
    pub max: f64,
}

/// `between(a, b)` — shorthand for [`Between`].
pub const fn between(min: f64, max: f64) -> Between {
    Between { min, max }
}

/// Relative weights of the four detector fault kinds (仪表故障); they need not sum to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultWeights {
    /// 漂移 — the reading walks away from the truth, quality still good.
    pub drift: f64,
    /// 卡死 — the reading freezes, quality still good.
    pub stuck: f64,
    /// 坏质量 — last value repeated with quality = 1 (bad).
    pub bad_quality: f64,
    /// 超量程 — a value below the range (NAMUR NE 43 < 3.6 mA) with quality = 1.
    pub out_of_range: f64,
}

/// 场景参数 — everything the simulator draws from. All defaults are DEMO values.
///
/// Mean intervals are park-wide (全园区): `leak_mean_interval_s = 1200` means a
/// leak somewhere in the park every 20 minutes on average (a Poisson process),
/// whatever the number of detectors. `None` switches the episode kind off.
/// Fractions "of band" refer to the alarm-free band of a point: from its L
/// (or LL, or range low) to its H (or HH, or range high).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioConfig {
    /// 时区 — local time minus UTC, seconds, for the daily temperature cycle.
    /// Default 28 800 (北京时间, UTC+8).
    pub utc_offset_s: i64,

    // ---- 液位 level ----
    /// Filling / emptying speed as a fraction of the band per hour.
    /// Default 0.10–0.30: a tank takes 2–6 h between its low and high marks.
    pub level_rate_per_h: Between,
    /// 静置 — plateau between two moves, s. Default 1 800–10 800 (0.5–3 h).
    pub level_plateau_s: Between,
    /// 冒罐风险 — mean interval between overfill episodes, park-wide, s.
    /// Default 14 400 (one every 4 h). The tank is filled past H towards HH.
    pub overfill_mean_interval_s: Option<f64>,
    /// Probability that an overfill goes past HH (高高报). Default 0.2.
    pub overfill_hh_probability: f64,
    /// Filling speed during an overfill, fraction of the band per hour. Default 0.6–1.2.
    pub overfill_rate_per_h: Between,

    // ---- 温度 temperature ----
    /// Half the day–night swing, °C (ambient driven, warmest at 14:00 local).
    /// Default 2–5; never more than 15 % of the band.
    pub temperature_daily_amplitude: Between,
    /// White measurement noise, standard deviation, °C. Default 0.05.
    pub temperature_noise: f64,

    // ---- 压力 pressure ----
    /// 泵运行 — how long a pump / compressor runs, s. Default 1 200–5 400.
    pub pump_on_s: Between,
    /// 泵停 — how long it stays off, s. Default 600–3 600.
    pub pump_off_s: Between,
    /// First-order time constant of the pressure response, s. Default 5–30.
    pub pressure_tau_s: Between,
    /// White noise, standard deviation as a fraction of the range span. Default 0.002.
    pub pressure_noise: f64,

    // ---- 流量 flow ----
    /// 批次 — length of a transfer batch at full rate, s. Default 1 200–7 200.
    pub batch_run_s: Between,
    /// Idle time between batches, s. Default 600–5 400.
    pub batch_idle_s: Between,
    /// Ramp up / ramp down time, s. Default 60–300.
    pub batch_ramp_s: Between,
    /// White noise, standard deviation as a fraction of the flowing rate. Default 0.01.
    pub flow_noise: f64,

    // ---- 气体 gas detectors ----
    /// Ceiling of the normal reading of a flammable detector, in its unit (%LEL).
    /// Default 1.0. Also capped at a quarter of its first alarm.
    pub flammable_baseline_max: f64,
    /// Ceiling of the normal reading of a toxic detector, in its unit (ppm).
    /// Default 0.5. Also capped at a quarter of its first alarm.
    pub toxic_baseline_max: f64,
    /// 氧含量 — normal ambient oxygen, %VOL. Default 20.9.
    pub oxygen_normal: f64,
    /// Oxygen noise, standard deviation, %VOL. Default 0.05.
    pub oxygen_noise: f64,

    // ---- 泄漏 leak episodes ----
    /// Mean interval between leaks, park-wide, s. Default 1 200 (three an hour).
    pub leak_mean_interval_s: Option<f64>,
    /// The first leak starts this many seconds after the first step (the demo
    /// shows one early); `None` = a random gap like the others. Default None.
    pub leak_first_after_s: Option<f64>,
    /// The first leak starts at a gas detector behind this gateway (e.g. one
    /// enterprise), so a demo shows it where its users can act on it;
    /// `None` = anywhere in the park. A gateway with no gas detector is
    /// refused when the simulator is built. Default None.
    pub leak_first_gateway: Option<String>,
    /// Probability that the source detector passes alarm 2 (二级报警 / HH).
    /// Every leak passes alarm 1 (一级报警 / H) on the source. Default 0.3.
    pub leak_alarm2_probability: f64,
    /// Rise time to the peak, s. Default 20–120.
    pub leak_rise_s: Between,
    /// Time at the peak before the leak is isolated, s. Default 60–600.
    pub leak_hold_s: Between,
    /// Decay time constant once isolated, s. Default 60–300.
    pub leak_decay_tau_s: Between,
    /// At most this many neighbours (same group, same gas) see the plume. Default 4.
    pub leak_max_neighbours: usize,
    /// A neighbour's peak as a fraction of the source's. Default 0.2–0.6.
    pub leak_neighbour_factor: Between,
    /// Delay before a neighbour starts to rise, s. Default 5–60.
    pub leak_neighbour_delay_s: Between,

    // ---- 仪表故障 detector faults ----
    /// Mean interval between faults, park-wide, s. Default 1 800 (two an hour).
    pub fault_mean_interval_s: Option<f64>,
    /// How long a fault lasts, s. Default 300–1 800.
    pub fault_duration_s: Between,
    /// Which fault. Default drift 0.35, stuck 0.25, bad quality 0.25, out of range 0.15.
    pub fault_weights: FaultWeights,
    /// Total drift over a drift fault, fraction of the span. Default 0.03–0.10.
    pub drift_total: Between,

    // ---- 网关中断 gateway silence ----
    /// Mean interval between gateway outages, park-wide, s. Default 3 600.
    pub gateway_silence_mean_interval_s: Option<f64>,
    /// How long a gateway stays silent, s. Default 120–600 ("a few minutes").
    pub gateway_silence_s: Between,
}

impl Default for ScenarioConfig {
    fn default() -> Self {
        Self {
            utc_offset_s: 8 * 3600,
            level_rate_per_h: between(0.10, 0.30),
            level_plateau_s: between(1800.0, 10_800.0),
            overfill_mean_interval_s: Some(14_400.0),
            overfill_hh_probability: 0.2,
            overfill_rate_per_h: between(0.6, 1.2),
            temperature_daily_amplitude: between(2.0, 5.0),
            temperature_noise: 0.05,
            pump_on_s: between(1200.0, 5400.0),
            pump_off_s: between(600.0, 3600.0),
            pressure_tau_s: between(5.0, 30.0),
            pressure_noise: 0.002,
            batch_run_s: between(1200.0, 7200.0),
            batch_idle_s: between(600.0, 5400.0),
            batch_ramp_s: between(60.0, 300.0),
            flow_noise: 0.01,
            flammable_baseline_max: 1.0,
            toxic_baseline_max: 0.5,
            oxygen_normal: 20.9,
            oxygen_noise: 0.05,
            leak_mean_interval_s: Some(1200.0),
            leak_first_after_s: None,
            leak_first_gateway: None,
            leak_alarm2_probability: 0.3,
            leak_rise_s: between(20.0, 120.0),
            leak_hold_s: between(60.0, 600.0),
            leak_decay_tau_s: between(60.0, 300.0),
            leak_max_neighbours: 4,
            leak_neighbour_factor: between(0.2, 0.6),
            leak_neighbour_delay_s: between(5.0, 60.0),
            fault_mean_interval_s: Some(1800.0),
            fault_duration_s: between(300.0, 1800.0),
            fault_weights: FaultWeights {
                drift: 0.35,
                stuck: 0.25,
                bad_quality: 0.25,
                out_of_range: 0.15,
            },
            drift_total: between(0.03, 0.10),
            gateway_silence_mean_interval_s: Some(3600.0),
            gateway_silence_s: between(120.0, 600.0),
        }
    }
}

/// Shortest allowed mean interval between episodes, s: keeps a step bounded.
pub const MIN_MEAN_INTERVAL_S: f64 = 1.0;

impl ScenarioConfig {
    /// 平稳工况 — the default signals with every episode kind switched off
    /// (no leak, overfill, fault or gateway silence).
    pub fn quiet() -> Self {
        Self {
            overfill_mean_interval_s: None,
            leak_mean_interval_s: None,
            fault_mean_interval_s: None,
            gateway_silence_mean_interval_s: None,
            ..Self::default()
        }
    }

    /// Check every number: finite, not negative, `min <= max`, probabilities
    /// in [0, 1], mean intervals at least [`MIN_MEAN_INTERVAL_S`].
    pub fn validate(&self) -> Result<(), SimError> {
        fn bad(field: &'static str, reason: impl Into<String>) -> SimError {
            SimError::InvalidConfig {
                field,
                reason: reason.into(),
            }
        }
        let nonneg = |field: &'static str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(bad(field, format!("{v} must be a finite number ≥ 0")))
            }
        };
        let span = |field: &'static str, b: Between| {
            nonneg(field, b.min)?;
            nonneg(field, b.max)?;
            if b.min > b.max {
                return Err(bad(field, format!("min {} is above max {}", b.min, b.max)));
            }
            Ok(())
        };
        let prob = |field: &'static str, p: f64| {
            if (0.0..=1.0).contains(&p) {
                Ok(())
            } else {
                Err(bad(field, format!("probability {p} is outside [0, 1]")))
            }
        };
        let interval = |field: &'static str, m: Option<f64>| match m {
            Some(m) if !(m.is_finite() && m >= MIN_MEAN_INTERVAL_S) => Err(bad(
                field,
                format!("mean interval {m} s must be finite and ≥ {MIN_MEAN_INTERVAL_S} s"),
            )),
            _ => Ok(()),
        };
        if self.utc_offset_s.unsigned_abs() > 24 * 3600 {
            return Err(bad("utc_offset_s", "must be within ±86 400 s"));
        }
        span("level_rate_per_h", self.level_rate_per_h)?;
        span("level_plateau_s", self.level_plateau_s)?;
        interval("overfill_mean_interval_s", self.overfill_mean_interval_s)?;
        prob("overfill_hh_probability", self.overfill_hh_probability)?;
        span("overfill_rate_per_h", self.overfill_rate_per_h)?;
        span(
            "temperature_daily_amplitude",
            self.temperature_daily_amplitude,
        )?;
        nonneg("temperature_noise", self.temperature_noise)?;
        span("pump_on_s", self.pump_on_s)?;
        span("pump_off_s", self.pump_off_s)?;
        span("pressure_tau_s", self.pressure_tau_s)?;
        nonneg("pressure_noise", self.pressure_noise)?;
        span("batch_run_s", self.batch_run_s)?;
        span("batch_idle_s", self.batch_idle_s)?;
        span("batch_ramp_s", self.batch_ramp_s)?;
        nonneg("flow_noise", self.flow_noise)?;
        nonneg("flammable_baseline_max", self.flammable_baseline_max)?;
        nonneg("toxic_baseline_max", self.toxic_baseline_max)?;
        nonneg("oxygen_normal", self.oxygen_normal)?;
        nonneg("oxygen_noise", self.oxygen_noise)?;
        interval("leak_mean_interval_s", self.leak_mean_interval_s)?;
        if let Some(f) = self.leak_first_after_s {
            nonneg("leak_first_after_s", f)?;
        }
        prob("leak_alarm2_probability", self.leak_alarm2_probability)?;
        span("leak_rise_s", self.leak_rise_s)?;
        span("leak_hold_s", self.leak_hold_s)?;
        span("leak_decay_tau_s", self.leak_decay_tau_s)?;
        span("leak_neighbour_factor", self.leak_neighbour_factor)?;
        span("leak_neighbour_delay_s", self.leak_neighbour_delay_s)?;
        interval("fault_mean_interval_s", self.fault_mean_interval_s)?;
        span("fault_duration_s", self.fault_duration_s)?;
        let w = self.fault_weights;
        for (field, v) in [
            ("fault_weights.drift", w.drift),
            ("fault_weights.stuck", w.stuck),
            ("fault_weights.bad_quality", w.bad_quality),
            ("fault_weights.out_of_range", w.out_of_range),
        ] {
            nonneg(field, v)?;
        }
        if self.fault_mean_interval_s.is_some()
            && w.drift + w.stuck + w.bad_quality + w.out_of_range <= 0.0
        {
            return Err(bad("fault_weights", "at least one weight must be above 0"));
        }
        span("drift_total", self.drift_total)?;
        interval(
            "gateway_silence_mean_interval_s",
            self.gateway_silence_mean_interval_s,
        )?;
        span("gateway_silence_s", self.gateway_silence_s)?;
        Ok(())
    }
}
