//! 模拟器 — the park: point states, scenario clocks and the step.

use crate::config::ScenarioConfig;
use crate::signal::{
    Ctx, Flow, Gas, Level, Model, Oxygen, Plume, Pressure, Reading, Shape, SimRng, Temperature,
    Wind, draw, exponential, normal, uniform, unit,
};
use crate::{
    FaultKind, LeakNeighbour, PointSpec, QUALITY_BAD, QUALITY_GOOD, SimError, SimEvent,
    SimEventKind, SimSample,
};
use std::collections::{HashMap, HashSet};
use weihua_core::Indicator;

/// A step longer than this advances the models by this much only (one day).
const MAX_STEP_S: f64 = 86_400.0;
/// Episodes due longer ago than this (a jump in time) are skipped, not replayed.
const CATCH_UP_MS: i64 = 3_600_000;
/// At most this many episodes of one kind start in one step.
const MAX_ARRIVALS_PER_STEP: usize = 16;
/// Relative wobble of a plume while it is seen (turbulence).
const PLUME_WOBBLE: f64 = 0.03;

/// SplitMix64 finaliser: spreads a seed over 64 bits.
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a, to derive a point's stream from its id (not from its position).
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// Round `x` to `dec` decimals with `f` (round / floor / ceil). Dividing by an
/// exact power of ten gives the double nearest the decimal, so 0.3 prints "0.3".
fn round_to(x: f64, dec: i32, f: fn(f64) -> f64) -> f64 {
    if dec >= 0 {
        let m = 10f64.powi(dec);
        f(x * m) / m
    } else {
        let m = 10f64.powi(-dec);
        f(x / m) * m
    }
}

/// Quantize `x` (already in `[low, high]`) to the resolution, staying in range.
fn quantize_within(x: f64, dec: i32, low: f64, high: f64) -> f64 {
    let mut q = round_to(x, dec, f64::round);
    if !(q >= low && q <= high) {
        q = round_to(x, dec, if q > high { f64::floor } else { f64::ceil });
        if !(q >= low && q <= high) {
            q = x;
        }
    }
    if q == 0.0 { 0.0 } else { q } // no "-0"
}

/// Clamp to the range (NaN → range low) and quantize.
fn settle(x: f64, shape: &Shape, dec: i32) -> f64 {
    let x = if x.is_nan() {
        shape.low
    } else {
        x.clamp(shape.low, shape.high)
    };
    quantize_within(x, dec, shape.low, shape.high)
}

/// `LT-1101A` → `LT-1101`: a trailing capital after a digit marks a redundant instrument.
fn tag_base(tag: &str) -> &str {
    let t = tag.trim();
    let b = t.as_bytes();
    if b.len() >= 2 && b[b.len() - 1].is_ascii_uppercase() && b[b.len() - 2].is_ascii_digit() {
        &t[..t.len() - 1]
    } else {
        t
    }
}

fn check_spec(s: &PointSpec) -> Result<(), SimError> {
    let (low, high) = (s.range_low, s.range_high);
    let non_finite = || SimError::NonFiniteRange {
        point_id: s.id.clone(),
        low,
        high,
    };
    if !(low.is_finite() && high.is_finite()) {
        return Err(non_finite());
    }
    if low > high {
        return Err(SimError::InvertedRange {
            point_id: s.id.clone(),
            low,
            high,
        });
    }
    if !(high - low).is_finite() {
        return Err(non_finite());
    }
    let l = &s.limits;
    for (limit, v) in [("LL", l.ll), ("L", l.l), ("H", l.h), ("HH", l.hh)] {
        if let Some(value) = v
            && !value.is_finite()
        {
            return Err(SimError::NonFiniteLimit {
                point_id: s.id.clone(),
                limit,
                value,
            });
        }
    }
    Ok(())
}

fn shape_of(s: &PointSpec) -> Shape {
    let (low, high) = (s.range_low, s.range_high);
    let inside = |v: Option<f64>| v.filter(|v| *v > low && *v < high);
    let l = &s.limits;
    let lo_alarm = match (inside(l.ll), inside(l.l)) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let hi_alarm = match (inside(l.h), inside(l.hh)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let (mut band_lo, mut band_hi) = (lo_alarm.unwrap_or(low), hi_alarm.unwrap_or(high));
    if band_lo >= band_hi {
        (band_lo, band_hi) = (low, high);
    }
    let alarm1 = inside(l.h).or(inside(l.hh));
    let alarm2 = inside(l.hh).filter(|hh| alarm1.is_some_and(|a| *hh > a));
    Shape {
        low,
        high,
        band_lo,
        band_hi,
        has_low_alarm: lo_alarm.is_some(),
        alarm1,
        alarm2,
    }
}

/// Poisson arrivals of one episode kind.
#[derive(Debug, Clone)]
struct Clock {
    mean_s: Option<f64>,
    next_ms: Option<i64>,
    /// The first arrival this long after the first step (instead of a random gap).
    first_after_ms: Option<i64>,
}

impl Clock {
    fn new(mean_s: Option<f64>) -> Self {
        Self {
            mean_s,
            next_ms: None,
            first_after_ms: None,
        }
    }

    fn first_after(mut self, s: Option<f64>) -> Self {
        self.first_after_ms = s
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| (s * 1000.0) as i64);
        self
    }

    /// Arrival times at or before `now_ms` since the last call. The first
    /// call only schedules (nothing starts at the first step).
    fn arrivals(&mut self, now_ms: i64, rng: &mut SimRng) -> Vec<i64> {
        let Some(mean) = self.mean_s else {
            return Vec::new();
        };
        let gap = |rng: &mut SimRng| ((exponential(rng, mean) * 1000.0).round() as i64).max(1);
        let mut next = match (self.next_ms, self.first_after_ms) {
            (Some(n), _) => n,
            (None, Some(first)) => now_ms.saturating_add(first.max(1)),
            (None, None) => now_ms.saturating_add(gap(rng)),
        };
        if now_ms.saturating_sub(next) > CATCH_UP_MS {
            next = now_ms.saturating_add(gap(rng));
        }
        let mut out = Vec::new();
        while next <= now_ms {
            if out.len() == MAX_ARRIVALS_PER_STEP {
                next = now_ms.saturating_add(gap(rng));
                break;
            }
            out.push(next);
            next = next.saturating_add(gap(rng));
        }
        self.next_ms = Some(next);
        out
    }
}

#[derive(Debug, Clone)]
struct Gateway {
    name: String,
    points: usize,
    /// Silent over `[start, end)`.
    silent: Option<(i64, i64)>,
}

impl Gateway {
    fn is_silent(&self, now_ms: i64) -> bool {
        matches!(self.silent, Some((s, e)) if s <= now_ms && now_ms < e)
    }
}

#[derive(Debug, Clone)]
struct ActiveFault {
    kind: FaultKind,
    start_ms: i64,
    end_ms: i64,
    /// Frozen (stuck, bad quality) or failure (out of range) value.
    value: f64,
    drift_per_ms: f64,
}

#[derive(Debug, Clone)]
struct PointState {
    spec: PointSpec,
    gateway: usize,
    shape: Shape,
    decimals: i32,
    rng: SimRng,
    model: Model,
    /// Index of the instrument whose process this one reads (double level gauges).
    leader: Option<usize>,
    /// Process value of the last step (read by followers).
    clean: f64,
    plumes: Vec<Plume>,
    fault: Option<ActiveFault>,
    /// Last healthy reading (what a stuck instrument freezes at).
    last_value: f64,
}

impl PointState {
    /// Advance one step; the reading and its quality.
    fn advance(&mut self, leader: Option<(f64, f64, f64)>, ctx: &Ctx) -> (f64, u8) {
        let now = ctx.now_ms;
        let reading = match (&self.model, leader) {
            (&Model::Follower { offset, noise }, Some((clean, lo, hi))) => {
                let frac = if hi > lo {
                    (clean - lo) / (hi - lo)
                } else {
                    0.5
                };
                let c = self.shape.low + frac * self.shape.span();
                Reading {
                    clean: c,
                    noisy: c + offset + noise * normal(&mut self.rng),
                }
            }
            _ => self.model.advance(&self.shape, ctx, &mut self.rng),
        };
        self.clean = reading.clean;
        let mut v = reading.noisy;
        if !self.plumes.is_empty() {
            self.plumes.retain(|p| p.end_ms() > now);
            for p in &self.plumes {
                let c = p.at(now);
                if c > 0.0 {
                    v += c * (1.0 + PLUME_WOBBLE * normal(&mut self.rng));
                }
            }
        }
        let healthy = settle(v, &self.shape, self.decimals);
        if self.fault.as_ref().is_some_and(|f| now >= f.end_ms) {
            self.fault = None;
        }
        match &self.fault {
            Some(f) if now >= f.start_ms => match f.kind {
                FaultKind::Drift => {
                    let drift = f.drift_per_ms * now.saturating_sub(f.start_ms) as f64;
                    (
                        settle(healthy + drift, &self.shape, self.decimals),
                        QUALITY_GOOD,
                    )
                }
                FaultKind::Stuck => (f.value, QUALITY_GOOD),
                FaultKind::BadQuality | FaultKind::OutOfRange => (f.value, QUALITY_BAD),
            },
            _ => {
                self.last_value = healthy;
                (healthy, QUALITY_GOOD)
            }
        }
    }
}

/// 实时数据模拟器 — see the crate documentation.
#[derive(Debug, Clone)]
pub struct Simulator {
    config: ScenarioConfig,
    seed: u64,
    points: Vec<PointState>,
    gateways: Vec<Gateway>,
    /// Flammable and toxic detectors (leak candidates).
    gas: Vec<usize>,
    /// Level points that are not followers (overfill candidates).
    levels: Vec<usize>,
    rng: SimRng,
    last_ms: Option<i64>,
    leak_clock: Clock,
    /// Leaks started so far (the first may be pinned to a gateway).
    leaks_started: usize,
    overfill_clock: Clock,
    fault_clock: Clock,
    silence_clock: Clock,
    events: Vec<SimEvent>,
}

impl Simulator {
    /// Build the park. Refuses non-finite ranges or limits, inverted ranges,
    /// duplicate ids and invalid configs; accepts degenerate ranges
    /// (`range_low == range_high`) and limits outside the range (ignored).
    /// Each point draws from its own stream, derived from `seed` and its id.
    pub fn new(specs: Vec<PointSpec>, config: ScenarioConfig, seed: u64) -> Result<Self, SimError> {
        config.validate()?;
        let mut ids = HashSet::new();
        for s in &specs {
            check_spec(s)?;
            if !ids.insert(s.id.as_str()) {
                return Err(SimError::DuplicatePoint {
                    point_id: s.id.clone(),
                });
            }
        }
        let mut gateways: Vec<Gateway> = Vec::new();
        let mut gateway_index: HashMap<String, usize> = HashMap::new();
        let mut twins: HashMap<(String, String, String), usize> = HashMap::new();
        let mut points = Vec::with_capacity(specs.len());
        let (mut gas, mut levels) = (Vec::new(), Vec::new());
        let base = splitmix(seed);
        for (i, spec) in specs.into_iter().enumerate() {
            let shape = shape_of(&spec);
            let mut rng = SimRng::seed_from_u64(splitmix(base ^ fnv1a(&spec.id)));
            let gateway = *gateway_index
                .entry(spec.gateway.clone())
                .or_insert_with(|| {
                    gateways.push(Gateway {
                        name: spec.gateway.clone(),
                        points: 0,
                        silent: None,
                    });
                    gateways.len() - 1
                });
            gateways[gateway].points += 1;
            let leader = if spec.indicator == Indicator::Level {
                let key = (
                    spec.group.clone(),
                    spec.unit.trim().to_string(),
                    tag_base(&spec.tag).to_string(),
                );
                match twins.get(&key) {
                    Some(&l) => Some(l),
                    None => {
                        twins.insert(key, i);
                        None
                    }
                }
            } else {
                None
            };
            let span = shape.span();
            let model = if leader.is_some() {
                Model::Follower {
                    offset: uniform(&mut rng, -0.002, 0.002) * span,
                    noise: 0.0005 * span,
                }
            } else {
                match spec.indicator {
                    Indicator::Level => Model::Level(Level::new(&shape, &config, &mut rng)),
                    Indicator::Temperature => {
                        Model::Temperature(Temperature::new(&shape, &config, &mut rng))
                    }
                    Indicator::Pressure => {
                        Model::Pressure(Pressure::new(&shape, &config, &mut rng))
                    }
                    Indicator::Flow => Model::Flow(Flow::new(&shape, &config, &mut rng)),
                    Indicator::FlammableGas | Indicator::ToxicGas => {
                        let cap = if spec.indicator == Indicator::FlammableGas {
                            config.flammable_baseline_max
                        } else {
                            config.toxic_baseline_max
                        };
                        let by_alarm = shape
                            .alarm1
                            .map_or(f64::INFINITY, |a| 0.25 * (a - shape.low));
                        let max = cap.min(by_alarm).min(0.05 * span).max(0.0);
                        Model::Gas(Gas::new(max, &mut rng))
                    }
                    Indicator::Oxygen => Model::Oxygen(Oxygen::new()),
                    Indicator::WindSpeed | Indicator::WindDirection => Model::Wind(Wind::new(
                        spec.indicator == Indicator::WindDirection,
                        &shape,
                        &mut rng,
                    )),
                }
            };
            match (spec.indicator, leader) {
                (Indicator::FlammableGas | Indicator::ToxicGas, _) => gas.push(i),
                (Indicator::Level, None) => levels.push(i),
                _ => {}
            }
            let decimals = spec.decimals();
            let mid = settle(shape.at(0.5), &shape, decimals);
            points.push(PointState {
                spec,
                gateway,
                shape,
                decimals,
                rng,
                model,
                leader,
                clean: shape.at(0.5),
                plumes: Vec::new(),
                fault: None,
                last_value: mid,
            });
        }
        if let Some(g) = &config.leak_first_gateway
            && !gas.iter().any(|&i| points[i].spec.gateway == *g)
        {
            return Err(SimError::InvalidConfig {
                field: "leak_first_gateway",
                reason: format!("gateway {g} has no flammable or toxic gas detector"),
            });
        }
        Ok(Self {
            leak_clock: Clock::new(config.leak_mean_interval_s)
                .first_after(config.leak_first_after_s),
            leaks_started: 0,
            overfill_clock: Clock::new(config.overfill_mean_interval_s),
            fault_clock: Clock::new(config.fault_mean_interval_s),
            silence_clock: Clock::new(config.gateway_silence_mean_interval_s),
            rng: SimRng::seed_from_u64(splitmix(base ^ 0x5CE7_A210)),
            config,
            seed,
            points,
            gateways,
            gas,
            levels,
            last_ms: None,
            events: Vec::new(),
        })
    }

    /// Advance to `now_ms` (UTC epoch ms) and read every point whose gateway
    /// is not silent, in the order of the specs. The first call only reads;
    /// later calls advance the models by the time since the previous call
    /// (nothing when time goes backwards; at most one day).
    pub fn step(&mut self, now_ms: i64) -> Vec<SimSample> {
        let dt_s = match self.last_ms {
            Some(last) if now_ms > last => {
                (now_ms.saturating_sub(last) as f64 / 1000.0).min(MAX_STEP_S)
            }
            _ => 0.0,
        };
        self.last_ms = Some(now_ms);
        for g in &mut self.gateways {
            if g.silent.is_some_and(|(_, end)| now_ms >= end) {
                g.silent = None;
            }
        }
        for t in self.silence_clock.arrivals(now_ms, &mut self.rng) {
            self.start_silence(t, now_ms);
        }
        for t in self.fault_clock.arrivals(now_ms, &mut self.rng) {
            self.start_fault(t);
        }
        for t in self.overfill_clock.arrivals(now_ms, &mut self.rng) {
            self.start_overfill(t);
        }
        for t in self.leak_clock.arrivals(now_ms, &mut self.rng) {
            self.start_leak(t);
        }

        let ctx = Ctx {
            cfg: &self.config,
            now_ms,
            dt_s,
        };
        let mut out = Vec::with_capacity(self.points.len());
        for i in 0..self.points.len() {
            let leader = self.points[i].leader.map(|l| {
                let p = &self.points[l];
                (p.clean, p.shape.low, p.shape.high)
            });
            let p = &mut self.points[i];
            let (value, quality) = p.advance(leader, &ctx);
            if !self.gateways[p.gateway].is_silent(now_ms) {
                out.push(SimSample {
                    point_id: p.spec.id.clone(),
                    tag: p.spec.tag.clone(),
                    ts_ms: now_ms,
                    value,
                    quality,
                });
            }
        }
        out
    }

    /// 场景事件 — every episode started so far, in the order recorded.
    pub fn events(&self) -> &[SimEvent] {
        &self.events
    }

    /// The points, in the order given to [`Simulator::new`].
    pub fn points(&self) -> impl ExactSizeIterator<Item = &PointSpec> {
        self.points.iter().map(|p| &p.spec)
    }

    /// Distinct gateways, in order of first appearance.
    pub fn gateways(&self) -> impl ExactSizeIterator<Item = &str> {
        self.gateways.iter().map(|g| g.name.as_str())
    }

    pub fn config(&self) -> &ScenarioConfig {
        &self.config
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    fn record(&mut self, start_ms: i64, end_ms: i64, kind: SimEventKind) {
        let seq = self.events.len() as u64;
        self.events.push(SimEvent {
            seq,
            start_ms,
            end_ms,
            kind,
        });
    }

    fn start_silence(&mut self, t: i64, now_ms: i64) {
        let free: Vec<usize> = (0..self.gateways.len())
            .filter(|&g| !self.gateways[g].is_silent(now_ms))
            .collect();
        if free.is_empty() {
            return;
        }
        let g = free[self.rng.below(free.len())];
        let dur_ms = (draw(&mut self.rng, self.config.gateway_silence_s) * 1000.0) as i64;
        let end = t.saturating_add(dur_ms.max(1));
        self.gateways[g].silent = Some((t, end));
        let kind = SimEventKind::GatewaySilence {
            gateway: self.gateways[g].name.clone(),
            points: self.gateways[g].points,
        };
        self.record(t, end, kind);
    }

    fn start_fault(&mut self, t: i64) {
        let n = self.points.len();
        if n == 0 {
            return;
        }
        let mut pick = None;
        for _ in 0..8 {
            let i = self.rng.below(n);
            if self.points[i].fault.is_none() {
                pick = Some(i);
                break;
            }
        }
        let Some(i) = pick else { return };
        let w = self.config.fault_weights;
        let total = w.drift + w.stuck + w.bad_quality + w.out_of_range;
        let mut r = unit(&mut self.rng) * total;
        let mut kind = FaultKind::OutOfRange;
        for (k, weight) in [
            (FaultKind::Drift, w.drift),
            (FaultKind::Stuck, w.stuck),
            (FaultKind::BadQuality, w.bad_quality),
        ] {
            if r < weight {
                kind = k;
                break;
            }
            r -= weight;
        }
        let dur_ms = ((draw(&mut self.rng, self.config.fault_duration_s) * 1000.0) as i64).max(1);
        let end = t.saturating_add(dur_ms);
        let total_drift = draw(&mut self.rng, self.config.drift_total);
        let sign = if unit(&mut self.rng) < 0.5 { -1.0 } else { 1.0 };
        let p = &mut self.points[i];
        let span = p.shape.span();
        let value = match kind {
            FaultKind::OutOfRange => {
                // NAMUR NE 43: below 3.6 mA, i.e. 2.5 % of the span under range low.
                let low = p.shape.low;
                let below = low - (0.025 * span).max(low.abs() * 1e-3).max(1e-3);
                let q = round_to(below, p.decimals, f64::floor);
                if q < low && q.is_finite() {
                    q
                } else if below.is_finite() {
                    below
                } else {
                    low
                }
            }
            _ => p.last_value,
        };
        p.fault = Some(ActiveFault {
            kind,
            start_ms: t,
            end_ms: end,
            value,
            drift_per_ms: sign * total_drift * span / dur_ms as f64,
        });
        let kind = SimEventKind::Fault {
            point_id: p.spec.id.clone(),
            tag: p.spec.tag.clone(),
            fault: kind,
        };
        self.record(t, end, kind);
    }

    fn start_overfill(&mut self, t: i64) {
        let free: Vec<usize> = self
            .levels
            .iter()
            .copied()
            .filter(|&i| matches!(&self.points[i].model, Model::Level(l) if !l.in_overfill()))
            .collect();
        if free.is_empty() {
            return;
        }
        let i = free[self.rng.below(free.len())];
        let cfg = &self.config;
        let rng = &mut self.rng;
        let p = &mut self.points[i];
        let sh = p.shape;
        let span = sh.span();
        let a1 = sh.alarm1.unwrap_or(sh.low + 0.9 * span);
        let a2 = sh.alarm2.unwrap_or(a1 + 0.5 * (sh.high - a1));
        let beyond = unit(rng) < cfg.overfill_hh_probability;
        let target = if beyond {
            a2 + uniform(rng, 0.1, 0.5) * (sh.high - a2)
        } else {
            a1 + uniform(rng, 0.3, 0.8) * (a2 - a1)
        }
        .min(sh.high - 0.005 * span);
        let rate = draw(rng, cfg.overfill_rate_per_h) * sh.band() / 3600.0;
        let hold_s = uniform(rng, 300.0, 900.0);
        let Model::Level(level) = &mut p.model else {
            return;
        };
        let from = level.value();
        level.start_overfill(target, rate, hold_s);
        let travel_s = if rate > 0.0 {
            ((target - from).max(0.0) + (target - sh.at(0.7)).max(0.0)) / rate
        } else {
            0.0
        };
        let end = t.saturating_add(((travel_s + hold_s) * 1000.0) as i64);
        let kind = SimEventKind::Overfill {
            point_id: p.spec.id.clone(),
            tag: p.spec.tag.clone(),
            target,
            beyond_hh: sh.alarm2.is_some_and(|hh| target > hh),
        };
        self.record(t, end, kind);
    }

    fn start_leak(&mut self, t: i64) {
        if self.gas.is_empty() {
            return;
        }
        // The first leak may be pinned to one gateway (checked at build).
        let pinned: Vec<usize> = match (&self.config.leak_first_gateway, self.leaks_started) {
            (Some(g), 0) => self
                .gas
                .iter()
                .copied()
                .filter(|&i| self.points[i].spec.gateway == *g)
                .collect(),
            _ => Vec::new(),
        };
        let candidates = if pinned.is_empty() {
            &self.gas
        } else {
            &pinned
        };
        let src = candidates[self.rng.below(candidates.len())];
        self.leaks_started += 1;
        let cfg = &self.config;
        let rng = &mut self.rng;
        let sh = self.points[src].shape;
        let span = sh.span();
        let a1 = sh.alarm1.unwrap_or(sh.low + 0.25 * span);
        let a2 = sh.alarm2.unwrap_or(a1 + 0.5 * (sh.high - a1));
        let level = if unit(rng) < cfg.leak_alarm2_probability {
            a2 + uniform(rng, 0.05, 0.4) * (a2 - a1)
        } else {
            a1 + uniform(rng, 0.1, 0.8) * (a2 - a1)
        }
        .min(sh.low + 0.98 * span);
        let peak = (level - sh.low).max(0.0);
        let rise_s = draw(rng, cfg.leak_rise_s);
        let hold_s = draw(rng, cfg.leak_hold_s);
        let tau_s = draw(rng, cfg.leak_decay_tau_s);

        let s = &self.points[src].spec;
        let mut near: Vec<usize> = self
            .gas
            .iter()
            .copied()
            .filter(|&j| {
                let o = &self.points[j].spec;
                j != src
                    && o.group == s.group
                    && o.indicator == s.indicator
                    && o.unit.trim() == s.unit.trim()
                    && o.range_low == s.range_low
                    && o.range_high == s.range_high
            })
            .collect();
        rng.shuffle(&mut near);
        near.truncate(cfg.leak_max_neighbours);

        let source_plume = Plume {
            start_ms: t,
            peak,
            rise_s,
            hold_s,
            tau_s,
        };
        let mut end = source_plume.end_ms();
        self.points[src].plumes.push(source_plume);
        let mut neighbours = Vec::with_capacity(near.len());
        for j in near {
            let delay_ms = (draw(rng, cfg.leak_neighbour_delay_s) * 1000.0) as i64;
            let n_peak = draw(rng, cfg.leak_neighbour_factor) * peak;
            let plume = Plume {
                start_ms: t.saturating_add(delay_ms),
                peak: n_peak,
                // The plume spreads: slower to build up further away.
                rise_s: rise_s * 1.5,
                hold_s,
                tau_s,
            };
            end = end.max(plume.end_ms());
            let p = &mut self.points[j];
            p.plumes.push(plume);
            neighbours.push(LeakNeighbour {
                point_id: p.spec.id.clone(),
                tag: p.spec.tag.clone(),
                delay_ms,
                peak: n_peak,
            });
        }
        let s = &self.points[src].spec;
        let kind = SimEventKind::Leak {
            source: s.id.clone(),
            source_tag: s.tag.clone(),
            peak,
            alarm1: a1,
            alarm2: a2,
            reaches_alarm2: level > a2,
            neighbours,
        };
        self.record(t, end, kind);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantize_stays_in_range_and_has_no_negative_zero() {
        assert_eq!(quantize_within(0.95, 1, 0.05, 0.95), 0.9);
        assert_eq!(quantize_within(0.05, 1, 0.05, 0.95), 0.1);
        assert_eq!(quantize_within(0.3, 1, 0.0, 1.0).to_string(), "0.3");
        assert_eq!(quantize_within(-0.04, 1, -1.0, 1.0).to_string(), "0");
        assert_eq!(quantize_within(1234.0, -2, 0.0, 5000.0), 1200.0);
        // Narrower than the resolution: keep the raw value.
        assert_eq!(quantize_within(0.55, 0, 0.5, 0.6), 0.55);
    }

    #[test]
    fn tag_base_strips_redundancy_letter() {
        assert_eq!(tag_base("LT-1101A"), "LT-1101");
        assert_eq!(tag_base("LT-1101"), "LT-1101");
        assert_eq!(tag_base("GT-A"), "GT-A");
    }

    #[test]
    fn clock_skips_a_jump_and_bounds_arrivals() {
        let mut rng = SimRng::seed_from_u64(1);
        let mut c = Clock::new(Some(1.0));
        assert!(c.arrivals(0, &mut rng).is_empty());
        assert!(c.arrivals(100_000, &mut rng).len() <= MAX_ARRIVALS_PER_STEP);
        assert!(c.arrivals(i64::MAX, &mut rng).len() <= MAX_ARRIVALS_PER_STEP);
        assert!(c.arrivals(i64::MAX, &mut rng).len() <= MAX_ARRIVALS_PER_STEP);
        assert!(c.arrivals(i64::MIN, &mut rng).is_empty());
    }
}
