//! weihua-simulator — 实时监测数据模拟器: a pure, deterministic live-sensor
//! simulator for the demo park and for load tests of the ingest path.
//!
//! Give it the monitoring points (监测点位, [`PointSpec`]), a [`ScenarioConfig`]
//! and a seed; call [`Simulator::step`] with the current time, typically once a
//! second, and get one [`SimSample`] per live point. [`Simulator::events`] lists
//! the scenario episodes that started (泄漏 leaks, 冒罐 overfills, 仪表故障
//! detector faults, 网关中断 gateway silences), for tests and the demo log.
//! [`line_protocol`] turns samples into InfluxDB line protocol (行协议) for the
//! real ingest endpoint.
//!
//! Invariants:
//! * no IO, no clock, no global state: time is passed in (`now_ms`, UTC epoch
//!   milliseconds) and every draw comes from a xoshiro256++ stream seeded from the
//!   seed, so the same specs, config, seed and times give the same samples;
//! * [`Simulator::step`] never panics, whatever the times (repeated, backwards,
//!   far apart: a step longer than a day advances the models by one day);
//! * every value with quality 0 (good) lies within `[range_low, range_high]`;
//!   only faulty readings with quality 1 (bad) may lie outside;
//! * values are quantized to the instrument's resolution ([`PointSpec::decimals`]):
//!   0.1 °C, 0.001 MPa, and three significant digits of the span otherwise.
//!
//! Signals (all amplitudes and rates are DEMO values, see [`ScenarioConfig`]):
//! * 液位 level — slow filling / emptying between low and high marks inside the
//!   alarm-free band, with plateaus; rare overfills past H towards (or beyond)
//!   HH. Two level instruments on one tank (tags `LT-1101A` / `LT-1101B` in one
//!   group) read the same tank, each with its own offset and noise;
//! * 温度 temperature — setpoint + ambient daily cycle + slow wander + noise;
//! * 压力 pressure — pump start / stop steps with a first-order response;
//! * 流量 flow — batches with ramps, or a continuous flow where a low alarm is
//!   configured (cooling water);
//! * 可燃 / 有毒气体 gas — near zero; leaks rise on a source detector past its
//!   first alarm (sometimes its second) and, later and lower, on neighbours of
//!   the same group measuring the same gas (same indicator, unit and range);
//! * 氧含量 oxygen — 20.9 %VOL ± noise.

mod config;
mod error;
mod line;
mod signal;
mod sim;

pub use config::{Between, FaultWeights, MIN_MEAN_INTERVAL_S, ScenarioConfig, between};
pub use error::SimError;
pub use line::line_protocol;
pub use sim::Simulator;

use serde::{Deserialize, Serialize};
use std::fmt;
use weihua_core::{Indicator, Limits};

/// 数据质量正常 — quality code of a good reading.
pub const QUALITY_GOOD: u8 = 0;
/// 数据质量异常 — quality code of a bad reading (faulty instrument).
pub const QUALITY_BAD: u8 = 1;

/// 模拟点位 — one monitoring point to simulate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointSpec {
    /// 点位编号 — unique id of the point (returned in every sample).
    pub id: String,
    /// 位号 — instrument tag, e.g. `LT-1101A`, `GT-1101`.
    pub tag: String,
    /// 监测指标 — decides the signal model.
    pub indicator: Indicator,
    /// 工程单位 — e.g. `%`, `°C`, `MPa`, `%LEL`, `ppm`; decides the resolution.
    pub unit: String,
    /// 量程下限
    pub range_low: f64,
    /// 量程上限 — may equal the low bound (the point then reads a constant).
    pub range_high: f64,
    /// 报警限 LL/L/H/HH. Limits outside the range are ignored by the models.
    pub limits: Limits,
    /// 分组 — unit or equipment id: gas detectors of one group are neighbours.
    pub group: String,
    /// 网关 — e.g. the enterprise id: a gateway silence mutes all its points.
    pub gateway: String,
}

impl PointSpec {
    /// 分辨率 — number of decimals the readings are rounded to (negative: tens,
    /// hundreds…). `MPa` 3, `kPa` 1, `Pa` 0, `°C` / `K` 1; any other unit keeps
    /// three significant digits of the span (0–100 %LEL → 0.1, 0–10 ppm → 0.01).
    pub fn decimals(&self) -> i32 {
        match self.unit.trim() {
            "MPa" => 3,
            "kPa" => 1,
            "Pa" => 0,
            "°C" | "℃" | "K" => 1,
            _ => {
                let span = self.range_high - self.range_low;
                if span.is_finite() && span > 0.0 {
                    (3 - span.log10().floor() as i32).clamp(-6, 12)
                } else {
                    3
                }
            }
        }
    }
}

/// 模拟采样 — one reading of one point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimSample {
    /// [`PointSpec::id`]
    pub point_id: String,
    /// 位号 — [`PointSpec::tag`]
    pub tag: String,
    /// 采集时间 — UTC epoch milliseconds, the `now_ms` of the step.
    pub ts_ms: i64,
    /// 实时值 — always finite.
    pub value: f64,
    /// 数据质量 — [`QUALITY_GOOD`] or [`QUALITY_BAD`].
    pub quality: u8,
}

/// 仪表故障类型 — how a faulty instrument misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// 漂移 — drifts away from the truth; quality stays good, value stays in range.
    Drift,
    /// 卡死 — frozen at its last value; quality stays good.
    Stuck,
    /// 坏质量 — last value repeated with quality bad.
    BadQuality,
    /// 超量程 — below the range (NAMUR NE 43 failure current) with quality bad.
    OutOfRange,
}

impl FaultKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Drift => "漂移",
            Self::Stuck => "卡死",
            Self::BadQuality => "坏质量",
            Self::OutOfRange => "超量程",
        }
    }
}

/// A neighbour detector that sees a leak's plume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeakNeighbour {
    pub point_id: String,
    pub tag: String,
    /// 延迟 — how long after the source it starts to rise, ms.
    pub delay_ms: i64,
    /// Highest reading expected (baseline not included), in its unit.
    pub peak: f64,
}

/// What a scenario episode was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SimEventKind {
    /// 泄漏 — a gas release seen first and highest on `source`.
    Leak {
        source: String,
        source_tag: String,
        /// Highest reading expected on the source (baseline not included).
        peak: f64,
        /// 一级报警 — the first alarm used (H, else HH, else 25 % of the span).
        alarm1: f64,
        /// 二级报警 — the second alarm used (HH, else halfway from alarm 1 to the top).
        alarm2: f64,
        /// Whether `peak` is above `alarm2`.
        reaches_alarm2: bool,
        neighbours: Vec<LeakNeighbour>,
    },
    /// 冒罐 — a tank filled past its high alarm.
    Overfill {
        point_id: String,
        tag: String,
        /// Level the tank is filled to.
        target: f64,
        /// Whether `target` is above HH (高高报).
        beyond_hh: bool,
    },
    /// 仪表故障 — one instrument misbehaves.
    Fault {
        point_id: String,
        tag: String,
        fault: FaultKind,
    },
    /// 网关中断 — no sample at all from the gateway's points.
    GatewaySilence { gateway: String, points: usize },
}

/// 场景事件 — one episode, recorded when it starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimEvent {
    /// 0, 1, 2… in the order recorded (steps in time order; within a step by kind).
    pub seq: u64,
    /// When it started (the Poisson arrival time, at or before the step that saw it).
    pub start_ms: i64,
    /// When it is planned to be over: the plume has decayed, the fault or silence
    /// ends, the tank is pumped back to normal (an estimate for overfills).
    pub end_ms: i64,
    pub kind: SimEventKind,
}

impl fmt::Display for SimEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mins = (self.end_ms.saturating_sub(self.start_ms)) as f64 / 60_000.0;
        write!(f, "#{} t={} ms ({mins:.1} min): ", self.seq, self.start_ms)?;
        match &self.kind {
            SimEventKind::Leak {
                source_tag,
                peak,
                alarm1,
                alarm2,
                reaches_alarm2,
                neighbours,
                ..
            } => write!(
                f,
                "泄漏 leak at {source_tag}, peak {peak:.2} ({} {}, alarm 1 {alarm1}, alarm 2 {alarm2}), {} neighbour(s)",
                if *reaches_alarm2 {
                    "二级报警"
                } else {
                    "一级报警"
                },
                if *reaches_alarm2 {
                    "level-2 alarm"
                } else {
                    "level-1 alarm"
                },
                neighbours.len()
            ),
            SimEventKind::Overfill {
                tag,
                target,
                beyond_hh,
                ..
            } => write!(
                f,
                "冒罐 overfill of {tag} to {target:.1}{}",
                if *beyond_hh {
                    " (beyond HH 高高报)"
                } else {
                    ""
                }
            ),
            SimEventKind::Fault { tag, fault, .. } => {
                write!(f, "仪表故障 fault on {tag}: {} {fault:?}", fault.label_zh())
            }
            SimEventKind::GatewaySilence { gateway, points } => {
                write!(f, "网关中断 gateway {gateway} silent ({points} points)")
            }
        }
    }
}
