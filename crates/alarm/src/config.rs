//! 报警定义 — what alarms a monitoring point has, and their defaults by indicator.
//!
//! Defaults that no public rule fixes (deadbands, delays, interruption windows,
//! priorities) are **assumed**: they come from the widely quoted ISA-18.2 /
//! EEMUA 191 starting points (see `shared/reference/alarm-management.md` §4)
//! and can be changed per point through [`PointAlarmSettings`].

use serde::{Deserialize, Serialize};
use weihua_core::{AlarmPriority, Indicator, LimitName, Limits};

use crate::error::ConfigError;

/// One limit alarm (高高报/高报/低报/低低报) of a point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LimitAlarm {
    /// Which limit.
    pub name: LimitName,
    /// 报警设定值 — set point, in the point's unit. A high limit alarms at
    /// `value ≥ setpoint`, a low one at `value ≤ setpoint`.
    pub setpoint: f64,
    /// 死区 — the value must retreat past `setpoint ∓ deadband` to return to normal.
    pub deadband: f64,
    /// 延时报警 — the condition must hold this long before the alarm activates.
    pub on_delay_ms: i64,
    /// 延时消警 — the return must hold this long before the alarm clears.
    pub off_delay_ms: i64,
    pub priority: AlarmPriority,
    /// 锁存 — stays annunciated after return to normal until reset.
    pub latching: bool,
}

/// 变化率报警 — the value changes faster than `max_per_min` (absolute, per minute).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateAlarm {
    pub max_per_min: f64,
    /// The rate is measured over at least this span (between the sample at the
    /// start of the span and the current one).
    pub period_ms: i64,
    pub on_delay_ms: i64,
    pub priority: AlarmPriority,
}

/// 偏差报警 — the value differs from a second point by more than `max_abs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviationAlarm {
    /// The id of the other monitoring point.
    pub other_point_id: String,
    pub max_abs: f64,
    pub deadband: f64,
    pub on_delay_ms: i64,
    pub off_delay_ms: i64,
    pub priority: AlarmPriority,
}

/// 数值冻结 — no change beyond `tolerance` for `window_ms` and at least `min_samples` samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FrozenAlarm {
    pub window_ms: i64,
    pub min_samples: u32,
    pub tolerance: f64,
    pub priority: AlarmPriority,
}

/// 坏质量 — samples marked bad by the gateway (quality ≠ 0) for `on_delay_ms`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BadQualityAlarm {
    pub on_delay_ms: i64,
    pub priority: AlarmPriority,
}

/// 数据中断 — no sample for `multiple × expected_interval_ms`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterruptionAlarm {
    /// 采集周期 — how often the point is expected to report.
    pub expected_interval_ms: i64,
    /// N: how many intervals may pass silently.
    pub multiple: u32,
    pub priority: AlarmPriority,
}

impl InterruptionAlarm {
    /// The silence after which the alarm is raised.
    pub fn window_ms(&self) -> i64 {
        self.expected_interval_ms
            .saturating_mul(i64::from(self.multiple))
    }
}

/// The complete alarm configuration of one point (what the engine runs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointAlarmConfig {
    pub limits: Vec<LimitAlarm>,
    pub rate: Option<RateAlarm>,
    pub deviation: Option<DeviationAlarm>,
    pub frozen: Option<FrozenAlarm>,
    pub bad_quality: Option<BadQualityAlarm>,
    pub interruption: Option<InterruptionAlarm>,
    /// 操作岗位 — operator position whose console shows these alarms (for KPIs).
    pub position: Option<String>,
}

impl PointAlarmConfig {
    /// How far back samples must be replayed to rebuild every running delay or
    /// window after a restart.
    pub fn replay_window_ms(&self) -> i64 {
        let mut w = 0i64;
        for l in &self.limits {
            w = w.max(l.on_delay_ms).max(l.off_delay_ms);
        }
        if let Some(r) = &self.rate {
            w = w.max(r.on_delay_ms.saturating_add(r.period_ms));
        }
        if let Some(d) = &self.deviation {
            w = w.max(d.on_delay_ms).max(d.off_delay_ms);
        }
        if let Some(f) = &self.frozen {
            w = w.max(f.window_ms);
        }
        if let Some(b) = &self.bad_quality {
            w = w.max(b.on_delay_ms);
        }
        w
    }

    /// Every number finite and non-negative where it must be; limits ordered.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let nonneg = |field: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(ConfigError::field(
                    field,
                    format!("{field} 必须是不小于 0 的有限数，实际为 {v}"),
                    format!("{field} must be a finite number ≥ 0, got {v}"),
                ))
            }
        };
        let ms = |field: &str, v: i64| {
            if (0..=7 * 24 * 3_600_000).contains(&v) {
                Ok(())
            } else {
                Err(ConfigError::field(
                    field,
                    format!("{field} 必须在 0 到 7 天之间（毫秒），实际为 {v}"),
                    format!("{field} must be between 0 and 7 days (ms), got {v}"),
                ))
            }
        };
        let mut seen = Vec::new();
        for l in &self.limits {
            let f = |s: &str| format!("limits.{}.{s}", l.name.as_str());
            if !l.setpoint.is_finite() {
                return Err(ConfigError::field(
                    &f("setpoint"),
                    format!("{}设定值必须是有限数", l.name.label_zh()),
                    format!("the {} set point must be finite", l.name.as_str()),
                ));
            }
            nonneg(&f("deadband"), l.deadband)?;
            ms(&f("on_delay_ms"), l.on_delay_ms)?;
            ms(&f("off_delay_ms"), l.off_delay_ms)?;
            if seen.contains(&l.name) {
                return Err(ConfigError::field(
                    "limits",
                    format!("{}重复定义", l.name.label_zh()),
                    format!("the {} limit is defined twice", l.name.as_str()),
                ));
            }
            seen.push(l.name);
        }
        let get = |n: LimitName| self.limits.iter().find(|l| l.name == n).map(|l| l.setpoint);
        let limits = Limits {
            ll: get(LimitName::LL),
            l: get(LimitName::L),
            h: get(LimitName::H),
            hh: get(LimitName::HH),
        };
        limits
            .check(f64::MIN, f64::MAX)
            .map_err(|e| ConfigError::field("limits", e.zh, e.en))?;
        if let Some(r) = &self.rate {
            nonneg("rate.max_per_min", r.max_per_min)?;
            if r.max_per_min == 0.0 {
                return Err(ConfigError::field(
                    "rate.max_per_min",
                    "变化率限值必须大于 0",
                    "rate.max_per_min must be above 0",
                ));
            }
            ms("rate.period_ms", r.period_ms)?;
            ms("rate.on_delay_ms", r.on_delay_ms)?;
        }
        if let Some(d) = &self.deviation {
            nonneg("deviation.max_abs", d.max_abs)?;
            nonneg("deviation.deadband", d.deadband)?;
            ms("deviation.on_delay_ms", d.on_delay_ms)?;
            ms("deviation.off_delay_ms", d.off_delay_ms)?;
            if d.other_point_id.trim().is_empty() {
                return Err(ConfigError::field(
                    "deviation.other_point_id",
                    "偏差报警需要比较点位",
                    "a deviation alarm needs the other point",
                ));
            }
        }
        if let Some(f) = &self.frozen {
            ms("frozen.window_ms", f.window_ms)?;
            nonneg("frozen.tolerance", f.tolerance)?;
            if f.window_ms == 0 || f.min_samples < 2 {
                return Err(ConfigError::field(
                    "frozen",
                    "冻结判定需要大于 0 的时间窗和至少 2 个样本",
                    "frozen detection needs a window above 0 and at least 2 samples",
                ));
            }
        }
        if let Some(b) = &self.bad_quality {
            ms("bad_quality.on_delay_ms", b.on_delay_ms)?;
        }
        if let Some(i) = &self.interruption {
            ms("interruption.expected_interval_ms", i.expected_interval_ms)?;
            if i.expected_interval_ms == 0 || i.multiple == 0 {
                return Err(ConfigError::field(
                    "interruption",
                    "数据中断判定需要大于 0 的采集周期和倍数",
                    "interruption needs an expected interval and a multiple above 0",
                ));
            }
        }
        Ok(())
    }
}

/// Signal-type defaults (assumed: ISA-18.2 TR18.2.3 starting points as widely
/// quoted; `alarm-management.md` §4; gas channels from the Honeywell
/// Touchpoint Pro manual: 2 % FSD hysteresis).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignalDefaults {
    /// Deadband as a fraction of the span.
    pub deadband_fraction: f64,
    pub on_delay_ms: i64,
    pub off_delay_ms: i64,
}

/// The assumed defaults for an indicator.
pub fn signal_defaults(indicator: Indicator) -> SignalDefaults {
    let (f, d) = match indicator {
        Indicator::Flow => (0.05, 15_000),
        Indicator::Level => (0.05, 60_000),
        Indicator::Pressure => (0.02, 15_000),
        Indicator::Temperature => (0.01, 60_000),
        // Gas: a real leak must not wait a minute; a 2 s on-delay still filters
        // single-sample spikes of a 1 s detector (assumed).
        Indicator::FlammableGas | Indicator::ToxicGas | Indicator::Oxygen => (0.02, 2_000),
        // Weather: gusts are not events; a minute of persistence (assumed).
        Indicator::WindSpeed | Indicator::WindDirection => (0.05, 60_000),
    };
    SignalDefaults {
        deadband_fraction: f,
        on_delay_ms: d,
        off_delay_ms: d,
    }
}

/// Whether an indicator is a gas detector (可燃/有毒气体, 氧含量).
pub fn is_gas(indicator: Indicator) -> bool {
    matches!(
        indicator,
        Indicator::FlammableGas | Indicator::ToxicGas | Indicator::Oxygen
    )
}

/// 一级/二级报警 — the GB/T 50493 alarm level of a gas limit: 1 for the first
/// alarm (H; oxygen L and H), 2 for the second (HH; oxygen LL and HH);
/// `None` for a process indicator.
pub fn gas_alarm_level(indicator: Indicator, limit: LimitName) -> Option<u8> {
    match (indicator, limit) {
        (Indicator::FlammableGas | Indicator::ToxicGas, LimitName::H) => Some(1),
        (Indicator::FlammableGas | Indicator::ToxicGas, LimitName::HH) => Some(2),
        (Indicator::FlammableGas | Indicator::ToxicGas, _) => None,
        (Indicator::Oxygen, LimitName::L | LimitName::H) => Some(1),
        (Indicator::Oxygen, LimitName::LL | LimitName::HH) => Some(2),
        _ => None,
    }
}

/// Default priority of a limit alarm (assumed): gas second alarm 紧急, gas
/// first alarm and process HH/LL 高, process H/L 中.
pub fn default_limit_priority(indicator: Indicator, limit: LimitName) -> AlarmPriority {
    match gas_alarm_level(indicator, limit) {
        Some(2) => AlarmPriority::Emergency,
        Some(_) => AlarmPriority::High,
        None => match limit {
            LimitName::HH | LimitName::LL => AlarmPriority::High,
            LimitName::H | LimitName::L => AlarmPriority::Medium,
        },
    }
}

/// Interruption defaults (assumed; the national thresholds are not public,
/// `monitoring-system.md` §10): a point reporting every 10 s is interrupted
/// after 30 silent intervals (5 min).
pub const DEFAULT_EXPECTED_INTERVAL_MS: i64 = 10_000;
pub const DEFAULT_INTERRUPTION_MULTIPLE: u32 = 30;
/// 企业数据中断 — an enterprise none of whose points reported for 10 min (assumed).
pub const DEFAULT_ENTERPRISE_INTERRUPTION_MS: i64 = 600_000;

/// Per-point overrides, stored by the server; absent fields take the defaults.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PointAlarmSettings {
    /// Deadband in the point's unit, for every limit.
    pub deadband: Option<f64>,
    pub on_delay_ms: Option<i64>,
    pub off_delay_ms: Option<i64>,
    /// Priority per limit (`{"HH": "emergency"}`).
    #[serde(default)]
    pub priorities: std::collections::BTreeMap<LimitName, AlarmPriority>,
    /// Limits that latch until reset.
    #[serde(default)]
    pub latching: Vec<LimitName>,
    pub rate: Option<RateAlarm>,
    pub deviation: Option<DeviationAlarm>,
    /// `null`/absent = default frozen detection; `{"disabled": true}` is not
    /// modelled — set `frozen_disabled`.
    pub frozen: Option<FrozenAlarm>,
    #[serde(default)]
    pub frozen_disabled: bool,
    pub expected_interval_ms: Option<i64>,
    pub interruption_multiple: Option<u32>,
    /// Priority of the data-interruption alarm (default 低).
    pub interruption_priority: Option<AlarmPriority>,
    /// Priority of the bad-quality alarm (default 低).
    pub bad_quality_priority: Option<AlarmPriority>,
    pub position: Option<String>,
    /// 有毒气体接触限值 — OEL (and IDLH) of a toxic detector's gas, in the
    /// point's unit, for the GB/T 50493 set-point check (GBZ 2.1 values are
    /// entered per site: no public machine-readable table exists).
    pub toxic_basis: Option<crate::gb50493::ToxicBasis>,
}

/// What the engine needs to know of a point to build its defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct PointBasics {
    pub indicator: Indicator,
    pub range_low: f64,
    pub range_high: f64,
    pub limits: Limits,
}

/// The effective configuration: indicator defaults for every configured limit,
/// frozen / bad-quality / interruption detection, then the overrides.
pub fn effective_config(
    basics: &PointBasics,
    settings: &PointAlarmSettings,
) -> Result<PointAlarmConfig, ConfigError> {
    let d = signal_defaults(basics.indicator);
    let span = (basics.range_high - basics.range_low).abs();
    let deadband = settings.deadband.unwrap_or(d.deadband_fraction * span);
    let on = settings.on_delay_ms.unwrap_or(d.on_delay_ms);
    let off = settings.off_delay_ms.unwrap_or(d.off_delay_ms);
    let mut limits = Vec::new();
    for (name, v) in [
        (LimitName::HH, basics.limits.hh),
        (LimitName::H, basics.limits.h),
        (LimitName::L, basics.limits.l),
        (LimitName::LL, basics.limits.ll),
    ] {
        if let Some(setpoint) = v {
            limits.push(LimitAlarm {
                name,
                setpoint,
                deadband,
                on_delay_ms: on,
                off_delay_ms: off,
                priority: settings
                    .priorities
                    .get(&name)
                    .copied()
                    .unwrap_or_else(|| default_limit_priority(basics.indicator, name)),
                latching: settings.latching.contains(&name),
            });
        }
    }
    let interval = settings
        .expected_interval_ms
        .unwrap_or(DEFAULT_EXPECTED_INTERVAL_MS);
    // Gas detectors read exactly 0 in clean air for days: frozen detection is
    // off for them unless configured (assumed).
    let frozen =
        if settings.frozen_disabled || (is_gas(basics.indicator) && settings.frozen.is_none()) {
            None
        } else {
            Some(settings.frozen.clone().unwrap_or(FrozenAlarm {
                // A live transmitter always moves a little; 30 min without any change
                // and at least 30 samples is a stuck one (assumed).
                window_ms: 1_800_000,
                min_samples: 30,
                tolerance: 0.0,
                priority: AlarmPriority::Low,
            }))
        };
    let config = PointAlarmConfig {
        limits,
        rate: settings.rate.clone(),
        deviation: settings.deviation.clone(),
        frozen,
        bad_quality: Some(BadQualityAlarm {
            on_delay_ms: interval.saturating_mul(3).min(60_000),
            priority: settings.bad_quality_priority.unwrap_or(AlarmPriority::Low),
        }),
        interruption: Some(InterruptionAlarm {
            expected_interval_ms: interval,
            multiple: settings
                .interruption_multiple
                .unwrap_or(DEFAULT_INTERRUPTION_MULTIPLE),
            priority: settings.interruption_priority.unwrap_or(AlarmPriority::Low),
        }),
        position: settings.position.clone(),
    };
    config.validate()?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gas() -> PointBasics {
        PointBasics {
            indicator: Indicator::FlammableGas,
            range_low: 0.0,
            range_high: 100.0,
            limits: Limits {
                h: Some(25.0),
                hh: Some(50.0),
                ..Default::default()
            },
        }
    }

    #[test]
    fn gas_defaults_follow_the_indicator() {
        let c = effective_config(&gas(), &PointAlarmSettings::default()).unwrap();
        assert_eq!(c.limits.len(), 2);
        let hh = &c.limits[0];
        assert_eq!((hh.name, hh.setpoint), (LimitName::HH, 50.0));
        assert_eq!(hh.priority, AlarmPriority::Emergency);
        assert!((hh.deadband - 2.0).abs() < 1e-9, "2 % of a 100 %LEL span");
        assert_eq!(c.limits[1].priority, AlarmPriority::High);
        assert_eq!(c.interruption.as_ref().unwrap().window_ms(), 300_000);
        assert!(c.frozen.is_none(), "no frozen detection on gas by default");
        assert_eq!(
            c.replay_window_ms(),
            30_000,
            "bad-quality delay: 3 intervals of 10 s"
        );
    }

    #[test]
    fn overrides_apply_and_are_validated() {
        let s = PointAlarmSettings {
            deadband: Some(1.0),
            on_delay_ms: Some(5_000),
            latching: vec![LimitName::HH],
            priorities: [(LimitName::H, AlarmPriority::Medium)].into(),
            frozen_disabled: true,
            interruption_priority: Some(AlarmPriority::High),
            ..Default::default()
        };
        let c = effective_config(&gas(), &s).unwrap();
        assert!(c.limits[0].latching && !c.limits[1].latching);
        assert_eq!(c.limits[1].priority, AlarmPriority::Medium);
        assert_eq!(c.limits[0].on_delay_ms, 5_000);
        assert!(c.frozen.is_none());
        assert_eq!(
            c.interruption.as_ref().unwrap().priority,
            AlarmPriority::High
        );
        assert_eq!(c.bad_quality.as_ref().unwrap().priority, AlarmPriority::Low);
        let bad = PointAlarmSettings {
            deadband: Some(-1.0),
            ..Default::default()
        };
        let e = effective_config(&gas(), &bad).unwrap_err();
        assert!(e.en.contains("deadband"), "{}", e.en);
        let bad = PointAlarmSettings {
            on_delay_ms: Some(-5),
            ..Default::default()
        };
        assert!(effective_config(&gas(), &bad).is_err());
        // An absurd interval from a client is refused, never an overflow.
        let huge = PointAlarmSettings {
            expected_interval_ms: Some(i64::MAX),
            interruption_multiple: Some(u32::MAX),
            ..Default::default()
        };
        let e = effective_config(&gas(), &huge).unwrap_err();
        assert!(e.field.starts_with("interruption"), "{e:?}");
    }

    #[test]
    fn gas_levels_and_priorities() {
        assert_eq!(gas_alarm_level(Indicator::Oxygen, LimitName::L), Some(1));
        assert_eq!(gas_alarm_level(Indicator::ToxicGas, LimitName::HH), Some(2));
        assert_eq!(gas_alarm_level(Indicator::Level, LimitName::HH), None);
        assert_eq!(
            default_limit_priority(Indicator::Level, LimitName::H),
            AlarmPriority::Medium
        );
    }
}
