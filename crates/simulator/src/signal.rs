//! 信号模型 — per-indicator process models and the random draws they use.
//!
//! Every model works in engineering units and is advanced by a time step
//! `dt_s`; large steps are split at phase changes, so a coarse step gives the
//! same kind of trajectory as many fine ones. Models never see the range
//! clamp or the quantization: [`crate::sim`] applies both.

use crate::config::{Between, ScenarioConfig};
use std::f64::consts::TAU;

/// 随机数发生器 — xoshiro256++ (Blackman & Vigna), seeded through SplitMix64.
///
/// Written out here rather than taken from a crate so that the stream of a
/// seed can never change with a dependency upgrade (a seed is a reproducible
/// demo), and so that it stays fast in unoptimised test builds.
#[derive(Debug, Clone)]
pub(crate) struct SimRng {
    s: [u64; 4],
}

/// SplitMix64 step: the reference way to expand one `u64` into xoshiro state.
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SimRng {
    pub fn seed_from_u64(seed: u64) -> Self {
        let mut st = seed;
        let s = [
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
        ];
        Self::from_state(s)
    }

    fn from_state(mut s: [u64; 4]) -> Self {
        if s == [0; 4] {
            s[0] = 1; // the all-zero state is a fixed point
        }
        Self { s }
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1), 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform index in `0..n` (`n > 0`), by multiply-shift.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// At most this many phase changes inside one step (bounds the work of a huge `dt`).
const MAX_SEGMENTS: usize = 16;

/// Uniform in [0, 1).
pub(crate) fn unit(rng: &mut SimRng) -> f64 {
    rng.unit()
}

/// Uniform between `a` and `b`; `a` when the interval is empty.
pub(crate) fn uniform(rng: &mut SimRng, a: f64, b: f64) -> f64 {
    let u = unit(rng);
    if b > a { a + (b - a) * u } else { a }
}

/// A draw from a [`Between`].
pub(crate) fn draw(rng: &mut SimRng, b: Between) -> f64 {
    uniform(rng, b.min, b.max)
}

/// Standard normal (Box–Muller).
pub(crate) fn normal(rng: &mut SimRng) -> f64 {
    let u1 = 1.0 - unit(rng); // (0, 1]
    let u2 = unit(rng);
    (-2.0 * u1.ln()).sqrt() * (TAU * u2).cos()
}

/// Exponential with the given mean.
pub(crate) fn exponential(rng: &mut SimRng, mean: f64) -> f64 {
    -mean * (1.0 - unit(rng)).ln()
}

/// One exact step of an Ornstein–Uhlenbeck process (slow wander around 0 with
/// stationary standard deviation `sigma` and correlation time `tau_s`).
fn ou_step(x: f64, dt_s: f64, tau_s: f64, sigma: f64, rng: &mut SimRng) -> f64 {
    let n = normal(rng);
    if !(tau_s > 0.0 && sigma > 0.0) {
        return 0.0;
    }
    let a = (-dt_s / tau_s).exp();
    x * a + sigma * (1.0 - a * a).max(0.0).sqrt() * n
}

/// Range, alarm-free band and upper alarms of a point, as the models see them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub low: f64,
    pub high: f64,
    /// Bottom of the alarm-free band: L (or LL) when inside the range, else range low.
    pub band_lo: f64,
    /// Top of the alarm-free band: H (or HH) when inside the range, else range high.
    pub band_hi: f64,
    /// A low alarm (L / LL) is configured inside the range.
    pub has_low_alarm: bool,
    /// 一级报警 — first upper alarm (H, else HH) strictly inside the range.
    pub alarm1: Option<f64>,
    /// 二级报警 — second upper alarm (HH above H) strictly inside the range.
    pub alarm2: Option<f64>,
}

impl Shape {
    pub fn span(&self) -> f64 {
        self.high - self.low
    }
    pub fn band(&self) -> f64 {
        self.band_hi - self.band_lo
    }
    /// A point at `frac` of the band.
    pub fn at(&self, frac: f64) -> f64 {
        self.band_lo + frac * self.band()
    }
}

/// What a model gives per step: the process value (for twins) and the
/// measured value with noise.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reading {
    pub clean: f64,
    pub noisy: f64,
}

/// Context of one step.
pub(crate) struct Ctx<'a> {
    pub cfg: &'a ScenarioConfig,
    pub now_ms: i64,
    pub dt_s: f64,
}

/// Process model of one point.
#[derive(Debug, Clone)]
pub(crate) enum Model {
    Level(Level),
    Temperature(Temperature),
    Pressure(Pressure),
    Flow(Flow),
    Gas(Gas),
    Oxygen(Oxygen),
    Wind(Wind),
    /// 双液位计 — second instrument on the same tank: reads its leader's
    /// process value, mapped onto its own range, with its own offset and noise.
    Follower {
        offset: f64,
        noise: f64,
    },
}

impl Model {
    pub fn advance(&mut self, shape: &Shape, ctx: &Ctx, rng: &mut SimRng) -> Reading {
        match self {
            Model::Level(m) => m.advance(shape, ctx, rng),
            Model::Temperature(m) => m.advance(ctx, rng),
            Model::Pressure(m) => m.advance(ctx, rng),
            Model::Flow(m) => m.advance(shape, ctx, rng),
            Model::Gas(m) => m.advance(shape, ctx, rng),
            Model::Oxygen(m) => m.advance(ctx, rng),
            Model::Wind(m) => m.advance(shape, ctx, rng),
            // Followers are advanced by the simulator, which knows the leader.
            Model::Follower { .. } => Reading {
                clean: shape.low,
                noisy: shape.low,
            },
        }
    }
}

// ---------------------------------------------------------------- level ----

#[derive(Debug, Clone, Copy, PartialEq)]
enum LevelPhase {
    Hold { left_s: f64 },
    Fill,
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Overfill {
    No,
    Rising { hold_s: f64 },
    Holding,
    Draining,
}

/// 液位 — slow filling / emptying between the low and high marks, with plateaus.
#[derive(Debug, Clone)]
pub(crate) struct Level {
    value: f64,
    phase: LevelPhase,
    /// Units per second, ≥ 0.
    rate: f64,
    target: f64,
    overfill: Overfill,
    noise: f64,
}

impl Level {
    pub fn new(shape: &Shape, cfg: &ScenarioConfig, rng: &mut SimRng) -> Self {
        let value = shape.at(uniform(rng, 0.15, 0.85));
        let left_s = uniform(rng, 0.0, cfg.level_plateau_s.max);
        Self {
            value,
            phase: LevelPhase::Hold { left_s },
            rate: 0.0,
            target: value,
            overfill: Overfill::No,
            noise: 0.0005 * shape.span(),
        }
    }

    /// Whether an overfill episode is under way.
    pub fn in_overfill(&self) -> bool {
        self.overfill != Overfill::No
    }

    /// The current process value.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// 冒罐 — start filling towards `target` at `rate` units/s; hold there
    /// `hold_s` (the operator reacts), then pump back down at the same rate.
    pub fn start_overfill(&mut self, target: f64, rate: f64, hold_s: f64) {
        self.overfill = Overfill::Rising { hold_s };
        self.phase = LevelPhase::Fill;
        self.target = target.max(self.value);
        self.rate = rate;
    }

    fn next_move(&mut self, shape: &Shape, cfg: &ScenarioConfig, rng: &mut SimRng) {
        let rate = draw(rng, cfg.level_rate_per_h) * shape.band() / 3600.0;
        if self.overfill == Overfill::Holding {
            // Pump down to a normal high mark at the overfill rate.
            self.overfill = Overfill::Draining;
            self.phase = LevelPhase::Empty;
            self.target = shape.at(uniform(rng, 0.6, 0.8));
        } else if self.value >= shape.at(0.5) {
            self.phase = LevelPhase::Empty;
            self.target = shape.at(uniform(rng, 0.1, 0.3));
            self.rate = rate;
        } else {
            self.phase = LevelPhase::Fill;
            self.target = shape.at(uniform(rng, 0.7, 0.9));
            self.rate = rate;
        }
    }

    fn on_reach(&mut self, cfg: &ScenarioConfig, rng: &mut SimRng) {
        let plateau = draw(rng, cfg.level_plateau_s);
        self.phase = match self.overfill {
            Overfill::Rising { hold_s } => {
                self.overfill = Overfill::Holding;
                LevelPhase::Hold { left_s: hold_s }
            }
            Overfill::Draining => {
                self.overfill = Overfill::No;
                LevelPhase::Hold { left_s: plateau }
            }
            Overfill::No | Overfill::Holding => LevelPhase::Hold { left_s: plateau },
        };
    }

    fn advance(&mut self, shape: &Shape, ctx: &Ctx, rng: &mut SimRng) -> Reading {
        let mut dt = ctx.dt_s;
        for _ in 0..MAX_SEGMENTS {
            if dt.is_nan() || dt <= 0.0 {
                break;
            }
            match self.phase {
                LevelPhase::Hold { left_s } => {
                    if left_s > dt {
                        self.phase = LevelPhase::Hold {
                            left_s: left_s - dt,
                        };
                        dt = 0.0;
                    } else {
                        dt -= left_s.max(0.0);
                        self.next_move(shape, ctx.cfg, rng);
                    }
                }
                LevelPhase::Fill | LevelPhase::Empty => {
                    let dist = (self.target - self.value).abs();
                    let need = if self.rate > 0.0 {
                        dist / self.rate
                    } else {
                        0.0
                    };
                    if need > dt {
                        let dir = if self.phase == LevelPhase::Fill {
                            1.0
                        } else {
                            -1.0
                        };
                        self.value += dir * self.rate * dt;
                        dt = 0.0;
                    } else {
                        self.value = self.target;
                        dt -= need.max(0.0);
                        self.on_reach(ctx.cfg, rng);
                    }
                }
            }
        }
        Reading {
            clean: self.value,
            noisy: self.value + self.noise * normal(rng),
        }
    }
}

// ---------------------------------------------------------- temperature ----

/// 温度 — setpoint + ambient daily cycle (warmest 14:00 local) + slow wander + noise.
#[derive(Debug, Clone)]
pub(crate) struct Temperature {
    setpoint: f64,
    amplitude: f64,
    /// Hours by which this point's daily peak is late (thermal inertia).
    lag_h: f64,
    wander: f64,
    wander_sigma: f64,
    noise: f64,
}

impl Temperature {
    pub fn new(shape: &Shape, cfg: &ScenarioConfig, rng: &mut SimRng) -> Self {
        let band = shape.band();
        Self {
            setpoint: shape.at(uniform(rng, 0.4, 0.6)),
            amplitude: draw(rng, cfg.temperature_daily_amplitude).min(0.15 * band),
            lag_h: uniform(rng, -1.0, 1.0),
            wander: 0.0,
            wander_sigma: (0.03 * band).min(0.3),
            noise: cfg.temperature_noise.min(0.02 * band),
        }
    }

    fn advance(&mut self, ctx: &Ctx, rng: &mut SimRng) -> Reading {
        self.wander = ou_step(self.wander, ctx.dt_s, 1800.0, self.wander_sigma, rng);
        let day_s = ctx
            .now_ms
            .div_euclid(1000)
            .saturating_add(ctx.cfg.utc_offset_s)
            .rem_euclid(86_400) as f64;
        let hour = day_s / 3600.0;
        let daily = self.amplitude * (TAU * (hour - 14.0 - self.lag_h) / 24.0).cos();
        let clean = self.setpoint + daily + self.wander;
        Reading {
            clean,
            noisy: clean + self.noise * normal(rng),
        }
    }
}

// ------------------------------------------------------------- pressure ----

/// 压力 — pump / compressor start and stop: steps with a first-order response.
#[derive(Debug, Clone)]
pub(crate) struct Pressure {
    value: f64,
    on: bool,
    left_s: f64,
    target_on: f64,
    target_off: f64,
    tau_s: f64,
    noise: f64,
}

impl Pressure {
    pub fn new(shape: &Shape, cfg: &ScenarioConfig, rng: &mut SimRng) -> Self {
        let target_on = shape.at(uniform(rng, 0.55, 0.75));
        let target_off = shape.at(uniform(rng, 0.2, 0.35));
        let on = unit(rng) < 0.5;
        let left_s = uniform(
            rng,
            0.0,
            if on {
                cfg.pump_on_s.max
            } else {
                cfg.pump_off_s.max
            },
        );
        Self {
            value: if on { target_on } else { target_off },
            on,
            left_s,
            target_on,
            target_off,
            tau_s: draw(rng, cfg.pressure_tau_s),
            noise: cfg.pressure_noise * shape.span(),
        }
    }

    fn advance(&mut self, ctx: &Ctx, rng: &mut SimRng) -> Reading {
        let mut dt = ctx.dt_s;
        for _ in 0..MAX_SEGMENTS {
            if dt.is_nan() || dt <= 0.0 {
                break;
            }
            let seg = dt.min(self.left_s.max(0.0));
            let target = if self.on {
                self.target_on
            } else {
                self.target_off
            };
            self.value = if self.tau_s > 0.0 {
                target + (self.value - target) * (-seg / self.tau_s).exp()
            } else {
                target
            };
            self.left_s -= seg;
            dt -= seg;
            if self.left_s <= 0.0 {
                self.on = !self.on;
                self.left_s = draw(
                    rng,
                    if self.on {
                        ctx.cfg.pump_on_s
                    } else {
                        ctx.cfg.pump_off_s
                    },
                );
                if self.left_s <= 0.0 {
                    // Zero-length phases: settle on the new target and stop.
                    break;
                }
            }
        }
        Reading {
            clean: self.value,
            noisy: self.value + self.noise * normal(rng),
        }
    }
}

// ----------------------------------------------------------------- flow ----

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum BatchPhase {
    Idle,
    RampUp,
    Run,
    RampDown,
}

/// 流量 — transfer batches with ramps, or (when a low alarm is configured,
/// e.g. cooling water) a continuous flow that wanders slowly.
#[derive(Debug, Clone)]
pub(crate) enum Flow {
    Batch {
        phase: BatchPhase,
        left_s: f64,
        ramp_s: f64,
        setpoint: f64,
    },
    Continuous {
        setpoint: f64,
        wander: f64,
        sigma: f64,
    },
}

impl Flow {
    pub fn new(shape: &Shape, cfg: &ScenarioConfig, rng: &mut SimRng) -> Self {
        if shape.has_low_alarm {
            Flow::Continuous {
                setpoint: shape.at(uniform(rng, 0.4, 0.6)),
                wander: 0.0,
                sigma: 0.05 * shape.band(),
            }
        } else {
            let running = unit(rng) < 0.5;
            Flow::Batch {
                phase: if running {
                    BatchPhase::Run
                } else {
                    BatchPhase::Idle
                },
                left_s: uniform(
                    rng,
                    0.0,
                    if running {
                        cfg.batch_run_s.max
                    } else {
                        cfg.batch_idle_s.max
                    },
                ),
                ramp_s: draw(rng, cfg.batch_ramp_s),
                setpoint: shape.at(uniform(rng, 0.4, 0.7)),
            }
        }
    }

    fn advance(&mut self, shape: &Shape, ctx: &Ctx, rng: &mut SimRng) -> Reading {
        let cfg = ctx.cfg;
        match self {
            Flow::Continuous {
                setpoint,
                wander,
                sigma,
            } => {
                *wander = ou_step(*wander, ctx.dt_s, 600.0, *sigma, rng);
                let clean = *setpoint + *wander;
                let noise = cfg.flow_noise * (*setpoint - shape.low).abs();
                Reading {
                    clean,
                    noisy: clean + noise * normal(rng),
                }
            }
            Flow::Batch {
                phase,
                left_s,
                ramp_s,
                setpoint,
            } => {
                let mut dt = ctx.dt_s;
                for _ in 0..MAX_SEGMENTS {
                    if dt.is_nan() || dt <= 0.0 {
                        break;
                    }
                    let seg = dt.min(left_s.max(0.0));
                    *left_s -= seg;
                    dt -= seg;
                    if *left_s <= 0.0 {
                        match phase {
                            BatchPhase::Idle => {
                                *phase = BatchPhase::RampUp;
                                *ramp_s = draw(rng, cfg.batch_ramp_s);
                                *left_s = *ramp_s;
                                *setpoint = shape.at(uniform(rng, 0.4, 0.7));
                            }
                            BatchPhase::RampUp => {
                                *phase = BatchPhase::Run;
                                *left_s = draw(rng, cfg.batch_run_s);
                            }
                            BatchPhase::Run => {
                                *phase = BatchPhase::RampDown;
                                *left_s = *ramp_s;
                            }
                            BatchPhase::RampDown => {
                                *phase = BatchPhase::Idle;
                                *left_s = draw(rng, cfg.batch_idle_s);
                            }
                        }
                    }
                }
                let full = *setpoint - shape.low;
                let frac = |done: f64| if *ramp_s > 0.0 { done / *ramp_s } else { 1.0 };
                let on = match phase {
                    BatchPhase::Idle => 0.0,
                    BatchPhase::RampUp => 1.0 - frac(*left_s),
                    BatchPhase::Run => 1.0,
                    BatchPhase::RampDown => frac(*left_s),
                }
                .clamp(0.0, 1.0);
                let clean = shape.low + on * full;
                let noise = normal(rng);
                Reading {
                    clean,
                    // Below the low-flow cut-off a flowmeter reads exactly zero.
                    noisy: if on > 0.0 {
                        clean + cfg.flow_noise * full.abs() * noise
                    } else {
                        clean
                    },
                }
            }
        }
    }
}

// ------------------------------------------------------------------ gas ----

/// 可燃 / 有毒气体 — near zero: a per-detector zero offset, a slow wander and
/// noise, all within `[low, low + max]`. Leaks are added by the simulator.
#[derive(Debug, Clone)]
pub(crate) struct Gas {
    max: f64,
    offset: f64,
    wander: f64,
}

impl Gas {
    /// `max` — ceiling of the normal reading above range low, in the point's unit.
    pub fn new(max: f64, rng: &mut SimRng) -> Self {
        Self {
            max,
            offset: uniform(rng, 0.15, 0.5) * max,
            wander: 0.0,
        }
    }

    fn advance(&mut self, shape: &Shape, ctx: &Ctx, rng: &mut SimRng) -> Reading {
        self.wander = ou_step(self.wander, ctx.dt_s, 300.0, 0.1 * self.max, rng);
        let clean = (self.offset + self.wander).clamp(0.0, self.max);
        let noisy = (clean + 0.08 * self.max * normal(rng)).clamp(0.0, self.max);
        Reading {
            clean: shape.low + clean,
            noisy: shape.low + noisy,
        }
    }
}

// --------------------------------------------------------------- oxygen ----

/// 氧含量 — ambient 20.9 %VOL with a little wander and noise.
#[derive(Debug, Clone)]
pub(crate) struct Oxygen {
    wander: f64,
}

impl Oxygen {
    pub fn new() -> Self {
        Self { wander: 0.0 }
    }

    fn advance(&mut self, ctx: &Ctx, rng: &mut SimRng) -> Reading {
        self.wander = ou_step(self.wander, ctx.dt_s, 600.0, 0.02, rng);
        let clean = ctx.cfg.oxygen_normal + self.wander;
        Reading {
            clean,
            noisy: clean + ctx.cfg.oxygen_noise * normal(rng),
        }
    }
}

// ----------------------------------------------------------------- wind ----

/// 风速 / 风向 — a park weather station: the speed wanders around a few m/s
/// with gusts; the direction (blowing from, degrees clockwise from north)
/// veers slowly, so a live threat zone turns as the wind does.
#[derive(Debug, Clone)]
pub(crate) struct Wind {
    direction: bool,
    mean: f64,
    wander: f64,
}

impl Wind {
    pub fn new(direction: bool, shape: &Shape, rng: &mut SimRng) -> Self {
        let mean = if direction {
            // The prevailing wind of a coastal park: from the south-east.
            uniform(rng, 120.0, 150.0)
        } else {
            // A light breeze, 2–4 m/s: class D/E weather, the usual case.
            uniform(rng, 2.0, 4.0).max(shape.low + 0.5).min(shape.high)
        };
        Self {
            direction,
            mean,
            wander: 0.0,
        }
    }

    fn advance(&mut self, shape: &Shape, ctx: &Ctx, rng: &mut SimRng) -> Reading {
        if self.direction {
            self.wander = ou_step(self.wander, ctx.dt_s, 900.0, 20.0, rng);
            let clean = (self.mean + self.wander).rem_euclid(360.0);
            let noisy = (clean + 3.0 * normal(rng)).rem_euclid(360.0);
            Reading { clean, noisy }
        } else {
            self.wander = ou_step(self.wander, ctx.dt_s, 600.0, 0.25 * self.mean, rng);
            // max/min, not clamp: a misconfigured range (high below low + 0.3)
            // must not panic; the range check downstream flags it instead.
            let clean = (self.mean + self.wander)
                .max(shape.low + 0.3)
                .min(shape.high);
            let noisy = (clean * (1.0 + 0.12 * normal(rng)))
                .max(shape.low)
                .min(shape.high);
            Reading { clean, noisy }
        }
    }
}

// ---------------------------------------------------------------- leaks ----

/// 泄漏烟羽 — what one leak adds to one detector: a smooth rise, a plateau,
/// then an exponential decay once the release is isolated.
#[derive(Debug, Clone)]
pub(crate) struct Plume {
    /// When this detector starts to see it (the leak start plus the neighbour delay).
    pub start_ms: i64,
    /// Added at the plateau, in the point's unit.
    pub peak: f64,
    pub rise_s: f64,
    pub hold_s: f64,
    pub tau_s: f64,
}

impl Plume {
    /// When the contribution has decayed below 1 % of the peak.
    pub fn end_ms(&self) -> i64 {
        let s = self.rise_s + self.hold_s + 5.0 * self.tau_s;
        self.start_ms.saturating_add((s * 1000.0) as i64)
    }

    /// Contribution at `now_ms`, before wobble.
    pub fn at(&self, now_ms: i64) -> f64 {
        if now_ms < self.start_ms {
            return 0.0;
        }
        let t = now_ms.saturating_sub(self.start_ms) as f64 / 1000.0;
        let f = if t < self.rise_s {
            let x = t / self.rise_s;
            x * x * (3.0 - 2.0 * x)
        } else if t < self.rise_s + self.hold_s {
            1.0
        } else if self.tau_s > 0.0 {
            (-(t - self.rise_s - self.hold_s) / self.tau_s).exp()
        } else {
            0.0
        };
        self.peak * f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: [u64; 4] = [41943041, 58720359, 3588806011781223, 3591011842654386];

    #[test]
    fn xoshiro256plusplus_matches_the_reference() {
        // State 1, 2, 3, 4: outputs of the reference C implementation.
        let mut rng = SimRng::from_state([1, 2, 3, 4]);
        let got: Vec<u64> = (0..4).map(|_| rng.next_u64()).collect();
        assert_eq!(got, REFERENCE);
    }

    #[test]
    fn below_and_shuffle_cover_their_range() {
        let mut rng = SimRng::seed_from_u64(3);
        let mut seen = [0usize; 5];
        for _ in 0..5000 {
            seen[rng.below(5)] += 1;
        }
        assert!(seen.iter().all(|&c| (850..1150).contains(&c)), "{seen:?}");
        let mut v: Vec<u32> = (0..10).collect();
        rng.shuffle(&mut v);
        let mut sorted = v.clone();
        sorted.sort();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
        assert_ne!(v, sorted);
    }

    #[test]
    fn normal_has_unit_variance() {
        let mut rng = SimRng::seed_from_u64(7);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.05, "{mean}");
        assert!((var - 1.0).abs() < 0.05, "{var}");
    }

    #[test]
    fn plume_rises_holds_and_decays() {
        let p = Plume {
            start_ms: 1000,
            peak: 10.0,
            rise_s: 10.0,
            hold_s: 20.0,
            tau_s: 5.0,
        };
        assert_eq!(p.at(0), 0.0);
        assert!(p.at(6000) > 0.0 && p.at(6000) < 10.0);
        assert_eq!(p.at(20_000), 10.0);
        assert!(p.at(40_000) < 2.0);
        assert!(p.at(p.end_ms()) < 0.1);
    }
}
