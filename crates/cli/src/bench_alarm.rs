//! `weihua bench alarm` — the alarm figures of BENCHMARKS.md, measured in one
//! run on this machine, each next to a baseline measured in the same run.
//! Figures only: nothing here asserts a time.
//!
//! 1. engine evaluation, in-process, one thread: `--points` points (600,000 by
//!    default) with the configurations `effective_config` gives a realistic
//!    mix (gas detectors with H/HH; levels, pressures, temperatures with
//!    LL/L/H/HH), `--samples` samples (values near the middle of the normal
//!    band with noise; 1 point in 211 above H for half of every ten
//!    seconds). Points arrive by gateway (blocks of 200, the blocks in a new
//!    random order every second), then in a fully random order. Baselines: the
//!    raw iteration of the same samples, and a plain `if value >= H` over them.
//!    One engine holds every point, as in the alarm service; its build time,
//!    its memory and one clock tick over all points are printed too.
//! 2. latency at a sustained rate: the real router on 127.0.0.1 (SQLite store
//!    and historian in a temporary directory, alarm service running),
//!    `--server-points` points, `--writers` keep-alive clients posting
//!    `--batch`-line bodies paced to `--rate` samples/s. Every body also
//!    carries one gas detector (zero on/off delay) crossing its H limit and
//!    the previous one returning to normal. For each crossing: the instant its
//!    204 arrives, and the instant its "activated" event arrives on the
//!    in-process broadcast and on `GET /api/v1/events/stream` (parsed from
//!    text/event-stream by a raw HTTP/1.1 client).
//! 3. flood: `--flood` points (zero delays) pushed over H within one second
//!    while the writers go on; every activation looked for in the journal, on
//!    the broadcast and on the SSE stream; the time until the last one is
//!    published; the process RSS; the latency of the console's
//!    `GET /api/v1/alarms?active=true&limit=100` and `GET /api/v1/risk/summary`
//!    during the flood, against the same requests on the idle server.
//!
//! Phases 2–3 run first, in a fresh process (their RSS figures must not carry
//! the heap of the 600,000-point engine); the report prints 1, 2, 3. The
//! server is served as `weihua_server::serve_app` serves it (TCP_NODELAY on
//! every connection), but stoppable.

use anyhow::{Context, Result, anyhow, bail};
use std::collections::{HashMap, HashSet};
use std::hint::black_box;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use weihua_alarm::{
    Engine, EngineOptions, PointAlarmConfig, PointAlarmSettings, PointBasics, Transition,
    effective_config,
};
use weihua_core::{Guardians, Indicator, Limits, Role, Scope, Tag};
use weihua_historian::{Historian, HistorianConfig};
use weihua_server::alarms::{AlarmHandle, AlarmServiceConfig};
use weihua_server::{AppState, AuthConfig};
use weihua_store::auth::NewUser;
use weihua_store::registry::{InstallationInput, ListFilter, PointInput};
use weihua_store::{Actor, Paging, Store, now_ms, secrets};

/// Seconds of 1 Hz data in the phase-1 pool; replayed with shifted timestamps.
const STEPS: usize = 10;
const SPAN_MS: i64 = STEPS as i64 * 1_000;
/// Points per gateway (contiguous in the engine, as a ledger import creates them).
const GATEWAY: usize = 200;
/// Points of one enterprise in phase 1.
const ENTERPRISE: usize = 6_000;
/// Points of one installation in phases 2–3.
const INSTALLATION: usize = 1_000;
/// Gas detectors that cross H in phase 2 (cycled; each crosses every few seconds).
const TRIP_POINTS: usize = 200;
const START_MS: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const SEED: u64 = 20_260_101;
/// Phase 3 sends the flood as this many bodies over one second.
const FLOOD_BODIES: usize = 10;
/// How long phase 3 waits for the last activation before giving up.
const FLOOD_WAIT: Duration = Duration::from_secs(60);
/// Pause between two console requests.
const CONSOLE_PAUSE: Duration = Duration::from_millis(100);

/// `weihua bench alarm`
#[derive(clap::Args, Debug, Clone)]
pub struct AlarmBenchArgs {
    /// Points in the in-process engine (phase 1).
    #[arg(long, default_value_t = 600_000)]
    pub points: usize,
    /// Samples evaluated in phase 1, per point order (rounded up to whole
    /// passes over 10 s of data).
    #[arg(long, default_value_t = 30_000_000)]
    pub samples: u64,
    /// Points in the server's registry (phases 2 and 3).
    #[arg(long, default_value_t = 12_000)]
    pub server_points: usize,
    /// Seconds of the sustained-rate phase (2).
    #[arg(long, default_value_t = 15)]
    pub seconds: u64,
    /// Samples per second written over HTTP in phases 2 and 3.
    #[arg(long, default_value_t = 50_000)]
    pub rate: u64,
    /// Lines per request body.
    #[arg(long, default_value_t = 500)]
    pub batch: usize,
    /// Concurrent writers (keep-alive connections).
    #[arg(long, default_value_t = 4)]
    pub writers: usize,
    /// Points driven into alarm within one second in phase 3.
    #[arg(long, default_value_t = 10_000)]
    pub flood: usize,
    /// Phases to run, comma-separated: engine, latency, flood.
    #[arg(long, default_value = "engine,latency,flood")]
    pub phases: String,
    /// Also write the figures as JSON to this file.
    #[arg(long)]
    pub out_json: Option<PathBuf>,
}

struct Phases {
    engine: bool,
    latency: bool,
    flood: bool,
}

impl Phases {
    fn parse(s: &str) -> Result<Phases> {
        let mut p = Phases {
            engine: false,
            latency: false,
            flood: false,
        };
        for w in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match w {
                "engine" => p.engine = true,
                "latency" => p.latency = true,
                "flood" => p.flood = true,
                other => bail!("unknown phase '{other}' (engine, latency, flood)"),
            }
        }
        if !(p.engine || p.latency || p.flood) {
            bail!("--phases names no phase (engine, latency, flood)");
        }
        Ok(p)
    }
}

pub async fn alarm(args: AlarmBenchArgs) -> Result<()> {
    let phases = Phases::parse(&args.phases)?;
    if !(1_000..=5_000_000).contains(&args.points) {
        bail!("--points must be 1,000 to 5,000,000");
    }
    if !(1_000_000..=1_000_000_000).contains(&args.samples) {
        bail!("--samples must be 1,000,000 to 1,000,000,000");
    }
    if !(1..=600).contains(&args.seconds) {
        bail!("--seconds must be 1 to 600");
    }
    if !(1_000..=1_000_000).contains(&args.rate) {
        bail!("--rate must be 1,000 to 1,000,000 samples/s");
    }
    if !(10..=50_000).contains(&args.batch) {
        bail!("--batch must be 10 to 50,000 lines");
    }
    if !(1..=64).contains(&args.writers) {
        bail!("--writers must be 1 to 64");
    }
    if !(FLOOD_BODIES..=100_000).contains(&args.flood) {
        bail!("--flood must be {FLOOD_BODIES} to 100,000");
    }
    let needed = TRIP_POINTS + if phases.flood { args.flood } else { 0 } + args.writers;
    if args.server_points < needed || args.server_points > 200_000 {
        bail!(
            "--server-points must be {needed} to 200,000 ({TRIP_POINTS} crossing detectors, \
             the --flood points and at least one background point per writer)"
        );
    }
    let date = chrono::Utc::now();
    let machine = Machine::read();
    eprintln!(
        "weihua bench alarm: {} on {} cores",
        machine.cpu_model, machine.nproc
    );

    // The server phases run first, in a fresh process, so that their RSS
    // figures do not carry the heap the 600,000-point engines leave behind.
    let server = if phases.latency || phases.flood {
        Some(server_phases(&args, &phases).await?)
    } else {
        None
    };

    let engine = if phases.engine {
        eprintln!(
            "[engine] {} points, {} samples per order, one thread …",
            args.points, args.samples
        );
        let (points, samples) = (args.points, args.samples);
        Some(tokio::task::spawn_blocking(move || engine_phase(points, samples)).await??)
    } else {
        None
    };

    let report = Report {
        date: date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        machine,
        args,
        engine,
        server,
    };
    report.print();
    if let Some(path) = &report.args.out_json {
        let text = serde_json::to_string_pretty(&report.json())?;
        std::fs::write(path, text + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("figures written to {}", path.display());
    }
    Ok(())
}

// ------------------------------------------------------------------ machine

struct Machine {
    nproc: usize,
    cpu_model: String,
    mem_total_gib: f64,
    load_start: Option<f64>,
}

impl Machine {
    fn read() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| {
                l.strip_prefix("model name")
                    .and_then(|r| r.split_once(':'))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_else(|| "unknown".into());
        let mem_total_gib =
            proc_kib("/proc/meminfo", "MemTotal:").map_or(0.0, |kb| kb as f64 / 1024.0 / 1024.0);
        Machine {
            nproc: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model,
            mem_total_gib,
            load_start: loadavg(),
        }
    }
}

fn loadavg() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// A `Key:   123 kB` line of a /proc file, in KiB.
fn proc_kib(path: &str, key: &str) -> Option<u64> {
    std::fs::read_to_string(path)
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix(key))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Resident set size of this process (VmRSS), MiB.
fn rss_mib() -> Option<f64> {
    proc_kib("/proc/self/status", "VmRSS:").map(|k| k as f64 / 1024.0)
}

/// Peak resident set size of this process (VmHWM), MiB.
fn hwm_mib() -> Option<f64> {
    proc_kib("/proc/self/status", "VmHWM:").map(|k| k as f64 / 1024.0)
}

/// User + system CPU seconds from a /proc stat file (USER_HZ = 100).
fn stat_cpu(path: &str) -> Option<f64> {
    let s = std::fs::read_to_string(path).ok()?;
    let rest = s.get(s.rfind(')')? + 2..)?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn process_cpu() -> Option<f64> {
    stat_cpu("/proc/self/stat")
}

fn thread_cpu() -> Option<f64> {
    stat_cpu("/proc/thread-self/stat")
}

// ------------------------------------------------------------------ points

/// splitmix64: deterministic noise and shuffles.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for k in (1..v.len()).rev() {
            v.swap(k, (self.next() % (k as u64 + 1)) as usize);
        }
    }
}

/// What a synthetic point is: indicator, range, limits, its normal value and
/// noise, and a value between H and HH (raises H only).
#[derive(Debug, Clone, Copy)]
struct Shape {
    indicator: Indicator,
    unit: &'static str,
    prefix: &'static str,
    low: f64,
    high: f64,
    limits: Limits,
    normal: f64,
    noise: f64,
    over: f64,
}

/// The mix: 30 % flammable gas (20/40 %LEL, GB/T 50493 first and second
/// alarm), 10 % toxic gas (H₂S 10/20 ppm), 20 % each level, pressure and
/// temperature with LL/L/H/HH.
fn shape(i: usize) -> Shape {
    let lim = |ll, l, h, hh| Limits { ll, l, h, hh };
    match i % 10 {
        0..=2 => Shape {
            indicator: Indicator::FlammableGas,
            unit: "%LEL",
            prefix: "GT",
            low: 0.0,
            high: 100.0,
            limits: lim(None, None, Some(20.0), Some(40.0)),
            normal: 0.5,
            noise: 0.5,
            over: 30.0,
        },
        3 => Shape {
            indicator: Indicator::ToxicGas,
            unit: "ppm",
            prefix: "AT",
            low: 0.0,
            high: 100.0,
            limits: lim(None, None, Some(10.0), Some(20.0)),
            normal: 0.3,
            noise: 0.3,
            over: 15.0,
        },
        4 | 5 => Shape {
            indicator: Indicator::Level,
            unit: "%",
            prefix: "LT",
            low: 0.0,
            high: 100.0,
            limits: lim(Some(10.0), Some(20.0), Some(80.0), Some(90.0)),
            normal: 50.0,
            noise: 1.0,
            over: 85.0,
        },
        6 | 7 => Shape {
            indicator: Indicator::Pressure,
            unit: "MPa",
            prefix: "PT",
            low: 0.0,
            high: 2.5,
            limits: lim(Some(0.2), Some(0.4), Some(1.6), Some(2.0)),
            normal: 0.8,
            noise: 0.02,
            over: 1.8,
        },
        _ => Shape {
            indicator: Indicator::Temperature,
            unit: "°C",
            prefix: "TT",
            low: -20.0,
            high: 120.0,
            limits: lim(Some(0.0), Some(5.0), Some(60.0), Some(80.0)),
            normal: 35.0,
            noise: 0.5,
            over: 70.0,
        },
    }
}

impl Shape {
    fn basics(&self) -> PointBasics {
        PointBasics {
            indicator: self.indicator,
            range_low: self.low,
            range_high: self.high,
            limits: self.limits,
        }
    }
    fn value(&self, rng: &mut Rng) -> f64 {
        (self.normal + self.noise * rng.unit()).max(self.low)
    }
}

/// The ten configurations of the mix, with the default settings.
fn default_configs() -> Result<Vec<PointAlarmConfig>> {
    (0..10)
        .map(|k| {
            effective_config(&shape(k).basics(), &PointAlarmSettings::default())
                .map_err(|e| anyhow!("point shape {k}: {}", e.en))
        })
        .collect()
}

/// A UUIDv7-shaped id (36 characters, like the store's).
fn point_id(i: usize) -> String {
    uuid::Uuid::from_u128(0x0190_f3a2_0000_7000_8000_0000_0000_0000 | i as u128).to_string()
}

// ------------------------------------------------------------------ 1. engine

#[derive(Clone, Copy)]
struct Eval {
    idx: u32,
    ts: i64,
    value: f64,
}

/// A timed run: several passes over the pool, each timed on its own. The
/// figure is the median pass (this machine's neighbours come and go); the
/// slowest and fastest passes give the spread.
struct Run {
    samples: u64,
    /// Samples in one pass.
    per_pass: u64,
    /// Wall seconds of each pass.
    passes: Vec<f64>,
    cpu_s: Option<f64>,
    /// Transitions emitted (engine) or samples at/over H (naive).
    hits: u64,
}

impl Run {
    fn sorted(&self) -> Vec<f64> {
        let mut v = self.passes.clone();
        v.sort_by(f64::total_cmp);
        v
    }
    fn median_s(&self) -> f64 {
        let v = self.sorted();
        match v.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    }
    /// Samples/s of the median pass.
    fn rate(&self) -> f64 {
        self.per_pass as f64 / self.median_s()
    }
    /// Samples/s of the slowest and the fastest pass.
    fn spread(&self) -> (f64, f64) {
        let v = self.sorted();
        match (v.last(), v.first()) {
            (Some(slow), Some(fast)) => (self.per_pass as f64 / slow, self.per_pass as f64 / fast),
            _ => (f64::NAN, f64::NAN),
        }
    }
    /// Samples per CPU second of this thread, over all passes.
    fn per_core(&self) -> f64 {
        match self.cpu_s {
            Some(c) if c > 0.0 => self.samples as f64 / c,
            _ => f64::NAN,
        }
    }
    fn ns(&self) -> f64 {
        self.median_s() * 1e9 / self.per_pass as f64
    }
    fn wall_s(&self) -> f64 {
        self.passes.iter().sum()
    }
}

struct EngineFigures {
    points: usize,
    alarms: usize,
    build_s: f64,
    rss_delta_mib: Option<f64>,
    pool_samples: usize,
    laps: u64,
    gateway: Run,
    random: Run,
    iterate: Run,
    naive_gateway: Run,
    naive_random: Run,
    tick_ms: f64,
    tick_transitions: usize,
}

/// `STEPS` seconds of samples for every point; `random`: a fresh random point
/// order every second, else gateway blocks in a fresh random order.
fn pool(points: usize, idx: &[u32], random: bool, rng: &mut Rng) -> Vec<Eval> {
    let mut out = Vec::with_capacity(points * STEPS);
    let gateways = points.div_ceil(GATEWAY);
    let n = if random { points } else { gateways };
    let mut order: Vec<u32> = (0..n as u32).collect();
    let shapes: Vec<Shape> = (0..10).map(shape).collect();
    for step in 0..STEPS {
        rng.shuffle(&mut order);
        for &o in &order {
            let range = if random {
                o as usize..o as usize + 1
            } else {
                o as usize * GATEWAY..((o as usize + 1) * GATEWAY).min(points)
            };
            for i in range {
                let sh = &shapes[i % 10];
                let excursion = i % 211 == 7 && step < STEPS / 2;
                let value = if excursion { sh.over } else { sh.value(rng) };
                // A gateway stamps its points at its own offset within the second.
                let jitter = ((i / GATEWAY) as i64 * 7_919) % 1_000;
                out.push(Eval {
                    idx: idx[i],
                    ts: START_MS + step as i64 * 1_000 + jitter,
                    value,
                });
            }
        }
    }
    out
}

fn run_engine(engine: &mut Engine, pool: &[Eval], laps: u64, lap: &mut i64) -> Run {
    let mut out: Vec<Transition> = Vec::with_capacity(8_192);
    let mut hits = 0u64;
    let mut passes = Vec::new();
    let cpu0 = thread_cpu();
    for _ in 0..laps {
        let t = Instant::now();
        *lap += 1;
        let off = *lap * SPAN_MS;
        for s in pool {
            engine.evaluate(s.idx, s.ts + off, s.value, 0, &mut out);
            if out.len() >= 4_096 {
                hits += out.len() as u64;
                out.clear();
            }
        }
        passes.push(t.elapsed().as_secs_f64());
    }
    hits += out.len() as u64;
    Run {
        samples: laps * pool.len() as u64,
        per_pass: pool.len() as u64,
        passes,
        cpu_s: cpu0.and_then(|c0| thread_cpu().map(|c1| c1 - c0)),
        hits,
    }
}

/// The raw cost of walking the samples (timestamp shift and value read).
fn run_iterate(pool: &[Eval], laps: u64, lap: i64) -> Run {
    let cpu0 = thread_cpu();
    let mut passes = Vec::new();
    let mut acc = 0u64;
    for l in 0..laps {
        let t = Instant::now();
        let off = (lap + l as i64) * SPAN_MS;
        for s in black_box(pool) {
            acc = acc.wrapping_add((s.ts + off) as u64 ^ s.value.to_bits() ^ u64::from(s.idx));
        }
        passes.push(t.elapsed().as_secs_f64());
    }
    black_box(acc);
    Run {
        samples: laps * pool.len() as u64,
        per_pass: pool.len() as u64,
        passes,
        cpu_s: cpu0.and_then(|c0| thread_cpu().map(|c1| c1 - c0)),
        hits: 0,
    }
}

/// A plain `if value >= H` per sample: no state, delays or deadband.
fn run_naive(pool: &[Eval], high: &[f64], laps: u64) -> Run {
    let cpu0 = thread_cpu();
    let mut passes = Vec::new();
    let mut hits = 0u64;
    for _ in 0..laps {
        let t = Instant::now();
        for s in black_box(pool) {
            if high.get(s.idx as usize).is_some_and(|h| s.value >= *h) {
                hits += 1;
            }
        }
        passes.push(t.elapsed().as_secs_f64());
    }
    Run {
        samples: laps * pool.len() as u64,
        per_pass: pool.len() as u64,
        passes,
        cpu_s: cpu0.and_then(|c0| thread_cpu().map(|c1| c1 - c0)),
        hits: black_box(hits),
    }
}

fn engine_phase(points: usize, samples: u64) -> Result<EngineFigures> {
    let configs = default_configs()?;

    // One engine for every point, as in the alarm service.
    let rss0 = rss_mib();
    let t = Instant::now();
    let mut engine = Engine::new(EngineOptions::default());
    let mut idx: Vec<u32> = Vec::with_capacity(points);
    let mut high: Vec<f64> = Vec::with_capacity(points);
    for i in 0..points {
        let enterprise = format!("ent-{:04}", i / ENTERPRISE);
        let k = engine.upsert_point(&point_id(i), &enterprise, configs[i % 10].clone(), START_MS);
        if k as usize != i {
            bail!("the engine gave point {i} the index {k}");
        }
        idx.push(k);
        high.push(shape(i).limits.h.unwrap_or(f64::INFINITY));
    }
    let build_s = t.elapsed().as_secs_f64();
    let rss_delta_mib = rss0.and_then(|a| rss_mib().map(|b| b - a));
    let alarms = engine.alarm_count();

    let mut rng = Rng(SEED);
    let by_gateway = pool(points, &idx, false, &mut rng);
    let by_random = pool(points, &idx, true, &mut rng);
    let laps = samples.div_ceil(by_gateway.len() as u64).max(1);
    eprintln!(
        "  engine built in {build_s:.1} s; pools of {} samples; {laps} passes per order",
        by_gateway.len()
    );

    // One untimed pass of each order first (first alarms, warm caches).
    let mut lap = 0i64;
    run_engine(&mut engine, &by_gateway, 1, &mut lap);
    let gateway = run_engine(&mut engine, &by_gateway, laps, &mut lap);
    eprintln!("  engine, gateway order: {:.0} samples/s", gateway.rate());
    run_engine(&mut engine, &by_random, 1, &mut lap);
    let random = run_engine(&mut engine, &by_random, laps, &mut lap);
    eprintln!("  engine, random order: {:.0} samples/s", random.rate());
    let iterate = run_iterate(&by_gateway, laps, lap);
    let naive_gateway = run_naive(&by_gateway, &high, laps);
    let naive_random = run_naive(&by_random, &high, laps);

    // One clock tick over every point (interruptions, shelving), as the
    // service runs it once a second.
    let mut out = Vec::new();
    let now = START_MS + (lap + 1) * SPAN_MS;
    let t = Instant::now();
    engine.tick(now, &mut out);
    let tick_ms = t.elapsed().as_secs_f64() * 1e3;

    Ok(EngineFigures {
        points,
        alarms,
        build_s,
        rss_delta_mib,
        pool_samples: by_gateway.len(),
        laps,
        gateway,
        random,
        iterate,
        naive_gateway,
        naive_random,
        tick_ms,
        tick_transitions: out.len(),
    })
}

// ------------------------------------------------------------------ server

#[derive(Debug, Clone, Copy, PartialEq)]
enum PointRole {
    Background,
    /// Crosses H in every body of phase 2 (zero delays).
    Trip,
    /// Driven over H in phase 3 (zero delays).
    Flood,
}

struct SrvPoint {
    id: String,
    tag: String,
    shape: Shape,
    role: PointRole,
}

struct Server {
    _tmp: tempfile::TempDir,
    store: Store,
    handle: Arc<AlarmHandle>,
    addr: SocketAddr,
    ingest_token: String,
    session_token: String,
    points: Arc<Vec<SrvPoint>>,
    setup_s: f64,
    start_s: f64,
    stop: tokio::sync::oneshot::Sender<()>,
    serve: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Registry (one enterprise, an installation per 1,000 points), zero delays
/// for the crossing and flood points, a user session, and the real router
/// with telemetry and the alarm service on 127.0.0.1:0.
async fn start_server(n: usize, flood: usize) -> Result<Server> {
    let tmp = tempfile::Builder::new()
        .prefix("weihua-bench-alarm-")
        .tempdir()
        .context("creating the temporary data directory")?;
    let dir = tmp.path().to_path_buf();
    let t = Instant::now();
    let store = Store::open_sqlite(&dir.join("store"))
        .await
        .context("opening the bench store")?;
    let mut tx = store.write(&Actor::system("bench")).await?;
    let (_park, enterprise) =
        crate::bench::bench_enterprise(&store, &mut tx, "报警压测", "91320582000000002").await?;
    let mut installations = Vec::new();
    for k in 0..n.div_ceil(INSTALLATION) {
        let inst = store
            .create_installation(
                &mut tx,
                &InstallationInput {
                    enterprise_id: enterprise.id.clone(),
                    code: format!("MHI-{k:03}"),
                    name: format!("压测装置{k}"),
                    description: None,
                    people_within_500m: 0,
                    guardians: Guardians::default(),
                    latitude: None,
                    longitude: None,
                },
            )
            .await?;
        installations.push(inst.id);
    }
    // Roles: the first TRIP_POINTS flammable-gas points cross in phase 2; the
    // next `flood` points (any indicator) flood in phase 3.
    let mut roles = Vec::with_capacity(n);
    let (mut trips, mut floods) = (0, 0);
    for i in 0..n {
        let r = if trips < TRIP_POINTS && shape(i).indicator == Indicator::FlammableGas {
            trips += 1;
            PointRole::Trip
        } else if floods < flood {
            floods += 1;
            PointRole::Flood
        } else {
            PointRole::Background
        };
        roles.push(r);
    }
    let mut tags = Vec::with_capacity(n);
    for (i, inst) in (0..n).map(|i| (i, &installations[i / INSTALLATION])) {
        let sh = shape(i);
        let tag = format!("{}-{i:06}", sh.prefix);
        store
            .create_point(
                &mut tx,
                &PointInput {
                    installation_id: inst.clone(),
                    equipment_id: None,
                    tag: Tag::parse(&tag).map_err(|e| anyhow!("tag {tag}: {}", e.en))?,
                    name: format!("报警压测点位{i}"),
                    indicator: sh.indicator,
                    unit: sh.unit.into(),
                    range_low: sh.low,
                    range_high: sh.high,
                    limits: sh.limits,
                    latitude: None,
                    longitude: None,
                },
            )
            .await
            .with_context(|| format!("creating point {tag}"))?;
        tags.push(tag);
    }
    let token = secrets::new_token(weihua_server::auth::API_TOKEN_PREFIX);
    store
        .create_api_token(
            &mut tx,
            &enterprise.id,
            "ingest",
            "报警压测网关 bench gateway",
            &secrets::hash_token(&token),
        )
        .await?;
    let password = secrets::random_password();
    let hash = secrets::hash_password(&password).map_err(|e| anyhow!("password hash: {e}"))?;
    store
        .create_user(
            &mut tx,
            &NewUser {
                username: "bench_operator".into(),
                display_name: "压测值班员".into(),
                password_hash: hash,
                role: Role::Operator,
                scope: Scope::Enterprise(enterprise.id.clone()),
            },
        )
        .await?;
    tx.commit().await?;
    let listed = store
        .list_points(
            &Scope::Enterprise(enterprise.id.clone()),
            &ListFilter::default(),
            Paging::all(),
        )
        .await?
        .items;
    let by_tag: HashMap<&str, &str> = listed
        .iter()
        .map(|p| (p.tag.as_str(), p.id.as_str()))
        .collect();
    let mut points = Vec::with_capacity(n);
    for (i, tag) in tags.into_iter().enumerate() {
        let id = by_tag
            .get(tag.as_str())
            .with_context(|| format!("point {tag} is not listed"))?
            .to_string();
        points.push(SrvPoint {
            id,
            tag,
            shape: shape(i),
            role: roles[i],
        });
    }
    // Zero delays where the bench measures latency (as
    // PUT /api/v1/points/{tag}/alarm-settings would store them).
    let mut tx = store.write(&Actor::system("bench")).await?;
    let zero = r#"{"on_delay_ms":0,"off_delay_ms":0}"#;
    for p in points.iter().filter(|p| p.role != PointRole::Background) {
        store.set_point_alarm_settings(&mut tx, &p.id, zero).await?;
    }
    tx.commit().await?;
    let setup_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let historian = Historian::open(dir.join("historian"), HistorianConfig::default())
        .context("opening the historian")?;
    let state = AppState::new(store.clone(), AuthConfig::default())
        .with_telemetry(historian)
        .with_alarms(AlarmServiceConfig::default())
        .await?;
    let start_s = t.elapsed().as_secs_f64();
    let handle = state
        .alarms
        .clone()
        .context("the alarm service did not start")?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let router = weihua_server::app(state);
    let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let app = router.into_make_service_with_connect_info::<SocketAddr>();
    let stopped = async {
        let _ = stop_rx.await;
    };
    // TCP_NODELAY as in weihua_server::serve_app: without it, Nagle's
    // algorithm and delayed ACKs hold events on the stream back by up to ≈ 40 ms.
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            eprintln!("  (TCP_NODELAY refused: {e})");
        }
    });
    let serve = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(stopped)
            .await
    });
    let session_token = login(addr, "bench_operator", &password).await?;
    Ok(Server {
        _tmp: tmp,
        store,
        handle,
        addr,
        ingest_token: token,
        session_token,
        points: Arc::new(points),
        setup_s,
        start_s,
        stop,
        serve,
    })
}

// ------------------------------------------------------------------ HTTP client

async fn connect(addr: SocketAddr) -> Result<TcpStream> {
    let s = TcpStream::connect(addr)
        .await
        .with_context(|| format!("connecting to {addr}"))?;
    s.set_nodelay(true)?;
    Ok(s)
}

struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
    close: bool,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.split("\r\n").skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// The end of a response head in `buf`, if complete.
fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n")
}

/// Decodes complete chunks of a chunked body from `raw` into `body`;
/// returns true after the last (zero-size) chunk.
fn dechunk(raw: &mut Vec<u8>, body: &mut Vec<u8>) -> Result<bool> {
    loop {
        let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") else {
            return Ok(false);
        };
        let line = std::str::from_utf8(&raw[..eol]).context("chunk size is not UTF-8")?;
        let hex = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(hex, 16)
            .with_context(|| format!("bad chunk size line '{line}'"))?;
        if size == 0 {
            // The terminating chunk (no trailers expected).
            if raw.len() >= eol + 4 {
                raw.drain(..eol + 4);
            } else {
                raw.clear();
            }
            return Ok(true);
        }
        if raw.len() < eol + 2 + size + 2 {
            return Ok(false);
        }
        body.extend_from_slice(&raw[eol + 2..eol + 2 + size]);
        raw.drain(..eol + 2 + size + 2);
    }
}

/// Read one HTTP/1.1 response (Content-Length or chunked body).
async fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Response> {
    let mut scratch = [0u8; 64 * 1024];
    let end = loop {
        if let Some(end) = head_end(buf) {
            break end;
        }
        let n = s.read(&mut scratch).await?;
        if n == 0 {
            bail!("the server closed the connection before responding");
        }
        buf.extend_from_slice(&scratch[..n]);
    };
    let head = std::str::from_utf8(&buf[..end])
        .context("response head is not UTF-8")?
        .to_string();
    buf.drain(..end + 4);
    let status: u16 = head
        .split("\r\n")
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .context("no status in the response")?;
    let mut r = Response {
        status,
        head,
        body: Vec::new(),
        close: false,
    };
    r.close = r
        .header("connection")
        .is_some_and(|v| v.eq_ignore_ascii_case("close"));
    if r.header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        while !dechunk(buf, &mut r.body)? {
            let n = s.read(&mut scratch).await?;
            if n == 0 {
                bail!("the server closed the connection mid-response");
            }
            buf.extend_from_slice(&scratch[..n]);
        }
    } else {
        let len: usize = match r.header("content-length") {
            Some(v) => v.parse().context("content-length")?,
            None => 0,
        };
        while buf.len() < len {
            let n = s.read(&mut scratch).await?;
            if n == 0 {
                bail!("the server closed the connection mid-response");
            }
            buf.extend_from_slice(&scratch[..n]);
        }
        r.body = buf.drain(..len).collect();
    }
    Ok(r)
}

async fn login(addr: SocketAddr, username: &str, password: &str) -> Result<String> {
    let body = serde_json::json!({"username": username, "password": password}).to_string();
    let mut s = connect(addr).await?;
    s.write_all(
        format!(
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
    .await?;
    let r = read_response(&mut s, &mut Vec::new()).await?;
    if r.status != 200 {
        bail!(
            "login answered {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
    }
    let v: serde_json::Value = serde_json::from_slice(&r.body).context("login response")?;
    v["token"]
        .as_str()
        .map(str::to_string)
        .context("no token in the login response")
}

// ------------------------------------------------------------------ event recorders

/// What one subscriber saw of the alarm journal.
#[derive(Default)]
struct Seen {
    /// (alarm id, sample time) of every "activated" event → when it arrived.
    activated: HashMap<(String, i64), Instant>,
    events: u64,
    last_seq: Option<i64>,
    /// Sequence numbers this subscriber never saw.
    gaps: u64,
    /// Events the broadcast dropped for this subscriber (it fell behind).
    lagged: u64,
    /// Alarm ids whose activations are counted as they arrive (the flood),
    /// so that waiting for them costs nothing.
    watch: Option<Arc<HashSet<String>>>,
    watched: usize,
    watched_last: Option<Instant>,
}

impl Seen {
    fn note(&mut self, seq: i64, event: &str, alarm_id: Option<&str>, at: i64, when: Instant) {
        self.events += 1;
        if let Some(last) = self.last_seq {
            if seq > last + 1 {
                self.gaps += (seq - last - 1) as u64;
            }
            if seq <= last {
                return;
            }
        }
        self.last_seq = Some(seq);
        if event == "activated"
            && let Some(id) = alarm_id
        {
            let fresh = self.activated.insert((id.to_string(), at), when).is_none();
            if fresh && self.watch.as_ref().is_some_and(|w| w.contains(id)) {
                self.watched += 1;
                self.watched_last = Some(when);
            }
        }
    }
}

type Shared<T> = Arc<Mutex<T>>;

fn lock<T>(m: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>> {
    m.lock().map_err(|_| anyhow!("a bench recorder panicked"))
}

/// The in-process subscriber of the alarm service's broadcast.
fn listen_broadcast(h: &AlarmHandle, seen: Shared<Seen>) -> tokio::task::JoinHandle<()> {
    let mut rx = h.stream.subscribe();
    tokio::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            match rx.recv().await {
                Ok(e) => {
                    let when = Instant::now();
                    if let Ok(mut s) = seen.lock() {
                        s.note(e.seq, &e.event, e.alarm_id.as_deref(), e.at, when);
                    }
                }
                Err(RecvError::Lagged(n)) => {
                    if let Ok(mut s) = seen.lock() {
                        s.lagged += n;
                    }
                }
                Err(RecvError::Closed) => break,
            }
        }
    })
}

/// A console's view: `GET /api/v1/events/stream` over a raw connection,
/// chunked transfer decoded, text/event-stream parsed. Signals `ready` on the
/// `hello` event.
async fn listen_sse(
    addr: SocketAddr,
    token: String,
    seen: Shared<Seen>,
    ready: tokio::sync::oneshot::Sender<()>,
) -> Result<()> {
    let mut s = connect(addr).await?;
    s.write_all(
        format!(
            "GET /api/v1/events/stream HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
             Accept: text/event-stream\r\n\r\n"
        )
        .as_bytes(),
    )
    .await?;
    let mut raw = Vec::new();
    let mut scratch = [0u8; 64 * 1024];
    let end = loop {
        if let Some(end) = head_end(&raw) {
            break end;
        }
        let n = s.read(&mut scratch).await?;
        if n == 0 {
            bail!("the event stream closed before its head");
        }
        raw.extend_from_slice(&scratch[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..end]).to_string();
    raw.drain(..end + 4);
    if !head.starts_with("HTTP/1.1 200") {
        bail!(
            "the event stream answered: {}",
            head.lines().next().unwrap_or("")
        );
    }
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let mut ready = Some(ready);
    let mut text: Vec<u8> = Vec::new();
    let mut when = Instant::now();
    loop {
        if chunked {
            if dechunk(&mut raw, &mut text)? {
                return Ok(());
            }
        } else {
            text.append(&mut raw);
        }
        // Complete events end with a blank line.
        while let Some(p) = text.windows(2).position(|w| w == b"\n\n") {
            let block: Vec<u8> = text.drain(..p + 2).collect();
            let block = String::from_utf8_lossy(&block);
            let (mut kind, mut data, mut id) = ("message", String::new(), None::<i64>);
            for line in block.lines() {
                let line = line.trim_end_matches('\r');
                if let Some(v) = line.strip_prefix("event:") {
                    kind = match v.trim() {
                        "hello" => "hello",
                        "alarm" => "alarm",
                        "risk" => "risk",
                        _ => "other",
                    };
                } else if let Some(v) = line.strip_prefix("data:") {
                    if !data.is_empty() {
                        data.push('\n');
                    }
                    data.push_str(v.strip_prefix(' ').unwrap_or(v));
                } else if let Some(v) = line.strip_prefix("id:") {
                    id = v.trim().parse().ok();
                }
            }
            match kind {
                "hello" => {
                    if let Ok(mut st) = seen.lock() {
                        st.last_seq = id;
                    }
                    if let Some(r) = ready.take() {
                        let _ = r.send(());
                    }
                }
                "alarm" | "risk" => {
                    let v: serde_json::Value = serde_json::from_str(&data)
                        .with_context(|| format!("event data is not JSON: {data}"))?;
                    let seq = v["seq"].as_i64().or(id).unwrap_or(0);
                    let event = v["event"].as_str().unwrap_or("");
                    let at = v["at"].as_i64().unwrap_or(0);
                    if let Ok(mut st) = seen.lock() {
                        st.note(seq, event, v["alarm_id"].as_str(), at, when);
                    }
                }
                _ => {}
            }
        }
        let n = s.read(&mut scratch).await?;
        if n == 0 {
            return Ok(());
        }
        when = Instant::now();
        raw.extend_from_slice(&scratch[..n]);
    }
}

// ------------------------------------------------------------------ writers

/// Stage of the run, for tagging what the clients measure.
const IDLE: u8 = 1;
const STEADY: u8 = 2;
const FLOOD: u8 = 3;
const AFTER: u8 = 4;

struct Ctl {
    stage: AtomicU8,
    stop: AtomicBool,
    /// Background traffic leaves the flood points alone once they flood.
    flood_on: AtomicBool,
}

struct Plan {
    addr: SocketAddr,
    token: String,
    points: Arc<Vec<SrvPoint>>,
    /// The last timestamp given to each point (timestamps strictly increase).
    last_ts: Vec<AtomicI64>,
    ctl: Ctl,
    /// (alarm id, sample time) of every acknowledged crossing → (204 instant, stage).
    acks: Mutex<HashMap<(String, i64), (Instant, u8)>>,
}

impl Plan {
    /// A timestamp for point `p` at `now`, after the point's previous one.
    fn stamp(&self, p: usize, now: i64) -> i64 {
        let next = |c: i64| (c + 1).max(now);
        match self.last_ts.get(p) {
            Some(a) => {
                match a.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |c| Some(next(c))) {
                    Ok(c) | Err(c) => next(c),
                }
            }
            None => now,
        }
    }

    fn line(&self, body: &mut Vec<u8>, p: usize, value: f64, ts: i64) {
        if let Some(pt) = self.points.get(p) {
            let _ = writeln!(body, "alarm_bench,point={} value={value:.3} {ts}", pt.tag);
        }
    }

    fn request(&self, body: &[u8]) -> Vec<u8> {
        let mut req = format!(
            "POST /api/v2/write?org=bench&bucket=bench&precision=ms HTTP/1.1\r\n\
             Host: {}\r\nAuthorization: Token {}\r\n\
             Content-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            self.token,
            body.len()
        )
        .into_bytes();
        req.extend_from_slice(body);
        req
    }
}

#[derive(Default)]
struct WriterStats {
    /// Per stage: requests, acknowledged samples, non-204 answers.
    requests: [u64; 5],
    acked: [u64; 5],
    non_204: [u64; 5],
    first_non_204: Option<u16>,
    /// (stage, send → 204)
    latencies: Vec<(u8, Duration)>,
    /// Bodies sent more than one interval behind their schedule.
    late: u64,
}

async fn writer(
    plan: Arc<Plan>,
    bg: Vec<usize>,
    trip: Vec<usize>,
    batch: usize,
    interval: Duration,
    offset: Duration,
) -> Result<WriterStats> {
    let mut st = WriterStats::default();
    let mut s = connect(plan.addr).await?;
    let mut buf = Vec::new();
    let mut body = Vec::with_capacity(batch * 48);
    let mut rng = Rng(SEED ^ offset.as_nanos() as u64);
    let (mut bg_i, mut trip_i, mut prev_trip) = (0usize, 0usize, None::<usize>);
    let mut next = Instant::now() + offset;
    while !plan.ctl.stop.load(Ordering::Relaxed) {
        tokio::time::sleep_until(next.into()).await;
        let now_i = Instant::now();
        if now_i > next + interval {
            st.late += 1;
        }
        next = if now_i > next + Duration::from_secs(1) {
            now_i + interval
        } else {
            next + interval
        };
        let stage = plan.ctl.stage.load(Ordering::Relaxed) as usize;
        let flood_on = plan.ctl.flood_on.load(Ordering::Relaxed);
        body.clear();
        let now = now_ms();
        let mut lines = 0;
        // The detector that crossed in the previous body returns to normal.
        if let Some(p) = prev_trip.take() {
            let v = plan.points[p].shape.normal;
            let ts = plan.stamp(p, now);
            plan.line(&mut body, p, v, ts);
            lines += 1;
        }
        let mut skipped = 0;
        while lines + usize::from(!trip.is_empty()) < batch && skipped < bg.len() {
            let p = bg[bg_i % bg.len()];
            bg_i += 1;
            let pt = &plan.points[p];
            if flood_on && pt.role == PointRole::Flood {
                skipped += 1;
                continue;
            }
            skipped = 0;
            let v = pt.shape.value(&mut rng);
            let ts = plan.stamp(p, now);
            plan.line(&mut body, p, v, ts);
            lines += 1;
        }
        // This body's crossing, last in the body.
        let mut crossing = None;
        if !trip.is_empty() {
            let p = trip[trip_i % trip.len()];
            trip_i += 1;
            let pt = &plan.points[p];
            let ts = plan.stamp(p, now);
            plan.line(&mut body, p, pt.shape.over, ts);
            lines += 1;
            crossing = Some((format!("{}:limit:H", pt.id), ts));
            prev_trip = Some(p);
        }
        let req = plan.request(&body);
        let t0 = Instant::now();
        s.write_all(&req).await?;
        let r = read_response(&mut s, &mut buf).await?;
        let acked_at = Instant::now();
        st.latencies.push((stage as u8, acked_at - t0));
        st.requests[stage] += 1;
        if r.status == 204 {
            st.acked[stage] += lines as u64;
            if let Some(key) = crossing {
                lock(&plan.acks)?.insert(key, (acked_at, stage as u8));
            }
        } else {
            st.non_204[stage] += 1;
            st.first_non_204.get_or_insert(r.status);
            // Not stored: the detector did not cross; it stays "previous".
        }
        if r.close {
            s = connect(plan.addr).await?;
            buf.clear();
        }
    }
    Ok(st)
}

struct FloodSend {
    /// First flood body sent.
    t0: Instant,
    /// Last flood body acknowledged.
    last_ack: Instant,
    /// "{point_id}:limit:H" of every flood point.
    ids: HashSet<String>,
    retries: u64,
}

/// The flood: every flood point over H, in `FLOOD_BODIES` bodies spread over one second.
async fn send_flood(plan: &Plan, flood: &[usize]) -> Result<FloodSend> {
    let mut s = connect(plan.addr).await?;
    let mut buf = Vec::new();
    plan.ctl.flood_on.store(true, Ordering::Relaxed);
    let t0 = Instant::now();
    let per = flood.len().div_ceil(FLOOD_BODIES);
    let mut ids = HashSet::with_capacity(flood.len());
    let mut retries = 0;
    let mut last_ack = t0;
    for (k, chunk) in flood.chunks(per).enumerate() {
        tokio::time::sleep_until((t0 + Duration::from_millis(100) * k as u32).into()).await;
        let mut body = Vec::with_capacity(chunk.len() * 48);
        let now = now_ms();
        for &p in chunk {
            let pt = &plan.points[p];
            let ts = plan.stamp(p, now);
            plan.line(&mut body, p, pt.shape.over, ts);
            ids.insert(format!("{}:limit:H", pt.id));
        }
        let req = plan.request(&body);
        loop {
            s.write_all(&req).await?;
            let r = read_response(&mut s, &mut buf).await?;
            if r.close {
                s = connect(plan.addr).await?;
                buf.clear();
            }
            if r.status == 204 {
                last_ack = Instant::now();
                break;
            }
            if r.status != 503 || retries > 100 {
                bail!(
                    "a flood body was answered {}: {}",
                    r.status,
                    String::from_utf8_lossy(&r.body)
                );
            }
            retries += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Ok(FloodSend {
        t0,
        last_ack,
        ids,
        retries,
    })
}

/// Every point once (normal values), before anything is measured: loads the
/// gateway's tag index and gives every point a last sample.
async fn warm_up(plan: &Plan, batch: usize) -> Result<()> {
    let mut s = connect(plan.addr).await?;
    let mut buf = Vec::new();
    let mut rng = Rng(SEED + 7);
    let all: Vec<usize> = (0..plan.points.len()).collect();
    for chunk in all.chunks(batch) {
        let mut body = Vec::new();
        let now = now_ms();
        for &p in chunk {
            let v = plan.points[p].shape.value(&mut rng);
            let ts = plan.stamp(p, now);
            plan.line(&mut body, p, v, ts);
        }
        s.write_all(&plan.request(&body)).await?;
        let r = read_response(&mut s, &mut buf).await?;
        if r.status != 204 {
            bail!(
                "warm-up write answered {}: {}",
                r.status,
                String::from_utf8_lossy(&r.body)
            );
        }
        if r.close {
            s = connect(plan.addr).await?;
            buf.clear();
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ console

#[derive(Default)]
struct ConsoleStats {
    /// (stage, which: 0 alarms / 1 risk summary, latency)
    samples: Vec<(u8, u8, Duration)>,
    non_200: u64,
    first_non_200: Option<u16>,
    /// Largest X-Total-Count of the open-alarm list seen.
    max_open: u64,
}

/// An operator's console: the open-alarm list and the risk summary, again and
/// again with a short pause.
async fn console(
    addr: SocketAddr,
    token: String,
    plan: Arc<Plan>,
    stop: Arc<AtomicBool>,
) -> Result<ConsoleStats> {
    let mut st = ConsoleStats::default();
    let mut s = connect(addr).await?;
    let mut buf = Vec::new();
    let paths = [
        "/api/v1/alarms?active=true&limit=100",
        "/api/v1/risk/summary",
    ];
    while !stop.load(Ordering::Relaxed) {
        for (which, path) in paths.iter().enumerate() {
            let stage = plan.ctl.stage.load(Ordering::Relaxed);
            let req = format!(
                "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\r\n"
            );
            let t0 = Instant::now();
            s.write_all(req.as_bytes()).await?;
            let r = read_response(&mut s, &mut buf).await?;
            st.samples.push((stage, which as u8, t0.elapsed()));
            if r.status != 200 {
                st.non_200 += 1;
                st.first_non_200.get_or_insert(r.status);
            } else if which == 0
                && let Some(n) = r.header("x-total-count").and_then(|v| v.parse().ok())
            {
                st.max_open = st.max_open.max(n);
            }
            if r.close {
                s = connect(addr).await?;
                buf.clear();
            }
        }
        tokio::time::sleep(CONSOLE_PAUSE).await;
    }
    Ok(st)
}

// ------------------------------------------------------------------ 2 + 3

/// p50, p99 and max of a set of durations in ms (nearest rank), or NaN.
#[derive(Debug, Clone, Copy)]
struct Pct {
    n: usize,
    p50: f64,
    p99: f64,
    max: f64,
}

impl Pct {
    fn of(mut v: Vec<f64>) -> Pct {
        v.retain(|x| x.is_finite());
        v.sort_by(f64::total_cmp);
        let at = |q: f64| -> f64 {
            if v.is_empty() {
                return f64::NAN;
            }
            let i = ((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1;
            v[i]
        };
        Pct {
            n: v.len(),
            p50: at(0.50),
            p99: at(0.99),
            max: at(1.0),
        }
    }
    fn text(&self) -> String {
        if self.n == 0 {
            return "n/a".into();
        }
        format!("{:.1} / {:.1} / {:.1} ms", self.p50, self.p99, self.max)
    }
    fn json(&self) -> serde_json::Value {
        serde_json::json!({"n": self.n, "p50_ms": self.p50, "p99_ms": self.p99, "max_ms": self.max})
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// 204 → event, in ms (negative: the event came first), for the crossings of one stage.
struct Matched {
    crossings: usize,
    found: usize,
    before_ack: usize,
    pct: Pct,
}

fn matched(acks: &HashMap<(String, i64), (Instant, u8)>, seen: &Seen, stage: u8) -> Matched {
    let mut v = Vec::new();
    let (mut crossings, mut before_ack) = (0, 0);
    for (key, (ack, st)) in acks {
        if *st != stage {
            continue;
        }
        crossings += 1;
        if let Some(ev) = seen.activated.get(key) {
            let d = if ev >= ack {
                ms(*ev - *ack)
            } else {
                before_ack += 1;
                -ms(*ack - *ev)
            };
            v.push(d);
        }
    }
    let pct = Pct::of(v);
    Matched {
        crossings,
        found: pct.n,
        before_ack,
        pct,
    }
}

struct Steady {
    seconds: f64,
    rate: u64,
    acked: u64,
    requests: u64,
    non_204: u64,
    first_non_204: Option<u16>,
    late: u64,
    write: Pct,
    broadcast: Matched,
    sse: Matched,
    cpu_busy: Option<f64>,
    evaluated: u64,
    transitions: u64,
}

struct Flood {
    points: usize,
    send_s: f64,
    retries: u64,
    journal: usize,
    broadcast: usize,
    sse: usize,
    last_published_s: f64,
    after_last_ack_s: f64,
    sse_last_s: f64,
    rss_before: Option<f64>,
    rss_after: Option<f64>,
    hwm: Option<f64>,
    crossings: Matched,
    write: Pct,
}

struct ServerFigures {
    points: usize,
    trip: usize,
    flood_points: usize,
    setup_s: f64,
    start_s: f64,
    writers: usize,
    batch: usize,
    steady: Option<Steady>,
    flood: Option<Flood>,
    console_idle: [Pct; 2],
    console_steady: [Pct; 2],
    console_flood: [Pct; 2],
    console_non_200: u64,
    console_first_non_200: Option<u16>,
    console_max_open: u64,
    broadcast_lagged: u64,
    broadcast_gaps: u64,
    sse_gaps: u64,
    resyncs: u64,
    journal_missing_crossings: usize,
}

async fn server_phases(args: &AlarmBenchArgs, phases: &Phases) -> Result<ServerFigures> {
    let flood_n = if phases.flood { args.flood } else { 0 };
    eprintln!(
        "[server] registry of {} points ({} crossing detectors, {} flood points) …",
        args.server_points, TRIP_POINTS, flood_n
    );
    let srv = start_server(args.server_points, flood_n).await?;
    eprintln!(
        "  registry {:.1} s, alarm service started in {:.1} s, listening on {}",
        srv.setup_s, srv.start_s, srv.addr
    );
    let plan = Arc::new(Plan {
        addr: srv.addr,
        token: srv.ingest_token.clone(),
        points: srv.points.clone(),
        last_ts: (0..srv.points.len()).map(|_| AtomicI64::new(0)).collect(),
        ctl: Ctl {
            stage: AtomicU8::new(IDLE),
            stop: AtomicBool::new(false),
            flood_on: AtomicBool::new(false),
        },
        acks: Mutex::new(HashMap::new()),
    });
    warm_up(&plan, args.batch).await?;
    srv.handle.barrier().await?;

    let bc_seen: Shared<Seen> = Arc::default();
    let sse_seen: Shared<Seen> = Arc::default();
    let bc_task = listen_broadcast(&srv.handle, bc_seen.clone());
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let sse_task = {
        let (addr, token, seen) = (srv.addr, srv.session_token.clone(), sse_seen.clone());
        tokio::spawn(async move {
            if let Err(e) = listen_sse(addr, token, seen, ready_tx).await {
                eprintln!("  (the event stream client stopped: {e:#})");
            }
        })
    };
    tokio::time::timeout(Duration::from_secs(10), ready_rx)
        .await
        .context("the event stream sent no hello within 10 s")?
        .context("the event stream ended before its hello")?;

    // The console, idle first (the baseline).
    let console_stop = Arc::new(AtomicBool::new(false));
    let console_task = tokio::spawn(console(
        srv.addr,
        srv.session_token.clone(),
        plan.clone(),
        console_stop.clone(),
    ));
    tokio::time::sleep(Duration::from_secs(2)).await;

    // Writers: background points and crossing detectors dealt out in turn.
    let trip: Vec<usize> = (0..srv.points.len())
        .filter(|&p| srv.points[p].role == PointRole::Trip)
        .collect();
    let bg: Vec<usize> = (0..srv.points.len())
        .filter(|&p| srv.points[p].role != PointRole::Trip)
        .collect();
    let interval =
        Duration::from_secs_f64(args.batch as f64 * args.writers as f64 / args.rate as f64);
    let stats0 = (
        srv.handle.stats.samples.load(Ordering::Relaxed),
        srv.handle.stats.transitions.load(Ordering::Relaxed),
    );
    let cpu0 = process_cpu();
    plan.ctl.stage.store(STEADY, Ordering::Relaxed);
    let start = Instant::now();
    let mut writers = Vec::new();
    for w in 0..args.writers {
        let mine = |v: &[usize]| -> Vec<usize> {
            v.iter()
                .enumerate()
                .filter(|(k, _)| k % args.writers == w)
                .map(|(_, p)| *p)
                .collect()
        };
        writers.push(tokio::spawn(writer(
            plan.clone(),
            mine(&bg),
            if phases.latency {
                mine(&trip)
            } else {
                Vec::new()
            },
            args.batch,
            interval,
            interval * w as u32 / args.writers as u32,
        )));
    }
    let steady_s = if phases.latency { args.seconds } else { 2 };
    eprintln!(
        "  {} writers × {}-line bodies every {:.1} ms = {} samples/s for {steady_s} s …",
        args.writers,
        args.batch,
        ms(interval),
        args.rate
    );
    tokio::time::sleep(Duration::from_secs(steady_s)).await;
    let steady_wall = start.elapsed().as_secs_f64();
    let cpu_busy = cpu0.and_then(|c0| process_cpu().map(|c1| (c1 - c0) / steady_wall));
    let stats1 = (
        srv.handle.stats.samples.load(Ordering::Relaxed),
        srv.handle.stats.transitions.load(Ordering::Relaxed),
    );

    // ---- 3. flood (the writers go on)
    let mut flood_send = None;
    let (mut rss_before, mut rss_after, mut all_bc, mut all_sse) = (None, None, None, None);
    let mut seq_before = 0;
    let mut hwm_reset = false;
    if phases.flood {
        eprintln!("[flood] {} points over H within one second …", flood_n);
        srv.handle.barrier().await?;
        seq_before = srv.store.max_alarm_event_seq().await?;
        rss_before = rss_mib();
        // Reset the peak (VmHWM) so that it is the flood's, not the set-up's.
        hwm_reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        plan.ctl.stage.store(FLOOD, Ordering::Relaxed);
        let flood_points: Vec<usize> = (0..srv.points.len())
            .filter(|&p| srv.points[p].role == PointRole::Flood)
            .collect();
        let watch: Arc<HashSet<String>> = Arc::new(
            flood_points
                .iter()
                .map(|&p| format!("{}:limit:H", srv.points[p].id))
                .collect(),
        );
        for seen in [&bc_seen, &sse_seen] {
            lock(seen)?.watch = Some(watch.clone());
        }
        let fs = send_flood(&plan, &flood_points).await?;
        // Wait for every activation on the broadcast, then on the stream.
        let deadline = fs.t0 + FLOOD_WAIT;
        let count = |seen: &Shared<Seen>| -> Result<(usize, Option<Instant>)> {
            let s = lock(seen)?;
            Ok((s.watched, s.watched_last))
        };
        loop {
            let (b, lb) = count(&bc_seen)?;
            let (s, ls) = count(&sse_seen)?;
            if b >= fs.ids.len() && all_bc.is_none() {
                all_bc = lb;
            }
            if s >= fs.ids.len() && all_sse.is_none() {
                all_sse = ls;
            }
            if (all_bc.is_some() && all_sse.is_some()) || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        rss_after = rss_mib();
        // The console keeps polling one more second after the flood settled.
        tokio::time::sleep(Duration::from_secs(1)).await;
        flood_send = Some(fs);
    }
    plan.ctl.stage.store(AFTER, Ordering::Relaxed);
    plan.ctl.stop.store(true, Ordering::Relaxed);
    console_stop.store(true, Ordering::Relaxed);
    let mut ws = WriterStats::default();
    for w in writers {
        let s = w.await??;
        for k in 0..5 {
            ws.requests[k] += s.requests[k];
            ws.acked[k] += s.acked[k];
            ws.non_204[k] += s.non_204[k];
        }
        if ws.first_non_204.is_none() {
            ws.first_non_204 = s.first_non_204;
        }
        ws.latencies.extend(s.latencies);
        ws.late += s.late;
    }
    let cs = console_task.await??;
    srv.handle.barrier().await?;
    // Give the stream a moment to deliver what the barrier published.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let hwm = hwm_mib().filter(|_| hwm_reset);

    // Everything in the journal: every acknowledged crossing and every flood activation.
    // (alarm id, sample time) → journal sequence number.
    let mut journal: HashMap<(String, i64), i64> = HashMap::new();
    let mut after = 0i64;
    loop {
        let page = srv
            .store
            .alarm_events_after(&Scope::National, after, 10_000)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in page {
            if e.event == "activated"
                && let Some(id) = e.alarm_id
            {
                journal.insert((id, e.at), e.seq);
            }
        }
    }
    let acks = lock(&plan.acks)?.clone();
    let journal_missing_crossings = acks.keys().filter(|k| !journal.contains_key(*k)).count();

    // Snapshots: no lock is held across the awaits of the shutdown below.
    let bc = std::mem::take(&mut *lock(&bc_seen)?);
    let sse = std::mem::take(&mut *lock(&sse_seen)?);
    let write_of = |stage: u8| {
        Pct::of(
            ws.latencies
                .iter()
                .filter(|(s, _)| *s == stage)
                .map(|(_, d)| ms(*d))
                .collect(),
        )
    };
    let steady = phases.latency.then(|| Steady {
        seconds: steady_wall,
        rate: args.rate,
        acked: ws.acked[STEADY as usize],
        requests: ws.requests[STEADY as usize],
        non_204: ws.non_204[STEADY as usize],
        first_non_204: ws.first_non_204,
        late: ws.late,
        write: write_of(STEADY),
        broadcast: matched(&acks, &bc, STEADY),
        sse: matched(&acks, &sse, STEADY),
        cpu_busy,
        evaluated: stats1.0 - stats0.0,
        transitions: stats1.1 - stats0.1,
    });
    let flood = match &flood_send {
        Some(fs) => {
            // Activations of the flood points journalled after the flood began.
            let in_journal = journal
                .iter()
                .filter(|((id, _), seq)| **seq > seq_before && fs.ids.contains(id))
                .map(|((id, _), _)| id.as_str())
                .collect::<HashSet<_>>()
                .len();
            let distinct = |s: &Seen| {
                s.activated
                    .keys()
                    .filter(|(id, _)| fs.ids.contains(id))
                    .map(|(id, _)| id.as_str())
                    .collect::<HashSet<_>>()
                    .len()
            };
            let last_of = |s: &Seen| {
                s.activated
                    .iter()
                    .filter(|((id, _), _)| fs.ids.contains(id))
                    .map(|(_, w)| *w)
                    .max()
            };
            let since = |t: Option<Instant>, from: Instant| {
                t.map_or(f64::NAN, |t| {
                    t.saturating_duration_since(from).as_secs_f64()
                })
            };
            let last_bc = all_bc.or_else(|| last_of(&bc));
            let last_sse = all_sse.or_else(|| last_of(&sse));
            Some(Flood {
                points: fs.ids.len(),
                send_s: fs.last_ack.duration_since(fs.t0).as_secs_f64(),
                retries: fs.retries,
                journal: in_journal,
                broadcast: distinct(&bc),
                sse: distinct(&sse),
                last_published_s: since(last_bc, fs.t0),
                after_last_ack_s: since(last_bc, fs.last_ack),
                sse_last_s: since(last_sse, fs.t0),
                rss_before,
                rss_after,
                hwm,
                crossings: matched(&acks, &bc, FLOOD),
                write: write_of(FLOOD),
            })
        }
        None => None,
    };
    let console_of = |stage: u8| -> [Pct; 2] {
        [0u8, 1].map(|which| {
            Pct::of(
                cs.samples
                    .iter()
                    .filter(|(s, w, _)| *s == stage && *w == which)
                    .map(|(_, _, d)| ms(*d))
                    .collect(),
            )
        })
    };
    let figures = ServerFigures {
        points: srv.points.len(),
        trip: TRIP_POINTS,
        flood_points: flood_n,
        setup_s: srv.setup_s,
        start_s: srv.start_s,
        writers: args.writers,
        batch: args.batch,
        steady,
        flood,
        console_idle: console_of(IDLE),
        console_steady: console_of(STEADY),
        console_flood: console_of(FLOOD),
        console_non_200: cs.non_200,
        console_first_non_200: cs.first_non_200,
        console_max_open: cs.max_open,
        broadcast_lagged: bc.lagged,
        broadcast_gaps: bc.gaps,
        sse_gaps: sse.gaps,
        resyncs: srv.handle.stats.resyncs.load(Ordering::Relaxed),
        journal_missing_crossings,
    };

    // Shut down: the stream first (graceful shutdown waits for open connections).
    sse_task.abort();
    bc_task.abort();
    let _ = srv.stop.send(());
    match tokio::time::timeout(Duration::from_secs(10), srv.serve).await {
        Ok(r) => r??,
        Err(_) => eprintln!("  (the server did not stop within 10 s; continuing)"),
    }
    Ok(figures)
}

// ------------------------------------------------------------------ report

struct Report {
    date: String,
    machine: Machine,
    args: AlarmBenchArgs,
    engine: Option<EngineFigures>,
    server: Option<ServerFigures>,
}

/// 1234567.8 → "1,234,568"
fn thousands(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let s = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if x < 0.0 { format!("-{out}") } else { out }
}

fn opt(x: Option<f64>, unit: &str) -> String {
    x.map_or("n/a".into(), |v| format!("{v:.0} {unit}"))
}

impl Report {
    fn print(&self) {
        let (m, a) = (&self.machine, &self.args);
        println!();
        println!("weihua bench alarm — {}", self.date);
        println!(
            "machine: {} — nproc {}, {:.1} GiB RAM; load average {} at start, {} at end",
            m.cpu_model,
            m.nproc,
            m.mem_total_gib,
            m.load_start.map_or("n/a".into(), |l| format!("{l:.2}")),
            loadavg().map_or("n/a".into(), |l| format!("{l:.2}"))
        );
        println!(
            "run: weihua bench alarm --points {} --samples {} --server-points {} --seconds {} \
             --rate {} --batch {} --writers {} --flood {} --phases {} (release build)",
            a.points,
            a.samples,
            a.server_points,
            a.seconds,
            a.rate,
            a.batch,
            a.writers,
            a.flood,
            a.phases
        );
        println!();
        let row = |label: &str, value: String, base: String| {
            println!("{label:<52} {value:>26}   {base}");
        };
        row(
            "figure",
            "weihua".into(),
            "baseline / detail (same run)".into(),
        );
        if let Some(e) = &self.engine {
            let per = |r: &Run| format!("{} samples/s", thousands(r.rate()));
            let spread = |r: &Run| {
                let (slow, fast) = r.spread();
                format!("{}–{}", thousands(slow), thousands(fast))
            };
            row(
                &format!(
                    "1 engine, {} points, gateway order (median pass)",
                    thousands(e.points as f64)
                ),
                per(&e.gateway),
                format!(
                    "plain `if v >= H`: {} → engine costs {:.1}× the naive check",
                    per(&e.naive_gateway),
                    e.naive_gateway.rate() / e.gateway.rate()
                ),
            );
            row(
                "  ns per sample / per busy core",
                format!(
                    "{:.0} ns, {} /s",
                    e.gateway.ns(),
                    thousands(e.gateway.per_core())
                ),
                format!(
                    "naive {:.1} ns; raw iteration of the samples {:.1} ns ({})",
                    e.naive_gateway.ns(),
                    e.iterate.ns(),
                    per(&e.iterate)
                ),
            );
            row(
                "  slowest–fastest pass, samples/s",
                spread(&e.gateway),
                format!(
                    "naive {}; random order below {}",
                    spread(&e.naive_gateway),
                    spread(&e.random)
                ),
            );
            row(
                "  random point order (worst case for caches)",
                per(&e.random),
                format!(
                    "{:.0} ns/sample; naive {} ({:.1} ns) → {:.1}×",
                    e.random.ns(),
                    per(&e.naive_random),
                    e.naive_random.ns(),
                    e.naive_random.rate() / e.random.rate()
                ),
            );
            row(
                "  samples, transitions",
                format!(
                    "{} + {}",
                    thousands(e.gateway.samples as f64),
                    thousands(e.random.samples as f64)
                ),
                format!(
                    "{} passes over {} samples (10 s at 1 Hz) per order; {} + {} transitions; \
                     naive saw {} samples ≥ H",
                    e.laps,
                    thousands(e.pool_samples as f64),
                    thousands(e.gateway.hits as f64),
                    thousands(e.random.hits as f64),
                    thousands(e.naive_gateway.hits as f64)
                ),
            );
            row(
                "  engine memory",
                e.rss_delta_mib.map_or("n/a".into(), |d| {
                    format!("{:.0} B/point", d * 1024.0 * 1024.0 / e.points as f64)
                }),
                format!(
                    "RSS +{} for {} points, {} alarms, in one engine",
                    opt(e.rss_delta_mib, "MiB"),
                    thousands(e.points as f64),
                    thousands(e.alarms as f64),
                ),
            );
            row(
                "  tick (interruptions, shelving) over all points",
                format!("{:.3} ms", e.tick_ms),
                format!(
                    "once a second in the service; {} transitions",
                    e.tick_transitions
                ),
            );
            row(
                "  build: upsert_point of every point",
                format!("{:.2} s", e.build_s),
                format!(
                    "{:.2} µs per point (the service does this at start-up)",
                    e.build_s * 1e6 / e.points as f64
                ),
            );
        }
        if let Some(s) = &self.server {
            row(
                "2/3 server setup",
                format!("{} points", thousands(s.points as f64)),
                format!(
                    "registry {:.1} s; alarm service start {:.2} s; {} crossing detectors, \
                     {} flood points, zero on/off delay; {} writers × {} lines",
                    s.setup_s,
                    s.start_s,
                    s.trip,
                    thousands(s.flood_points as f64),
                    s.writers,
                    s.batch
                ),
            );
            if let Some(st) = &s.steady {
                row(
                    "2 sustained ingest over HTTP, 204-acked",
                    format!("{} samples/s", thousands(st.acked as f64 / st.seconds)),
                    format!(
                        "target {} samples/s for {:.1} s; {} requests, {} non-204{}; {} late bodies; \
                         CPU {} of {} cores",
                        thousands(st.rate as f64),
                        st.seconds,
                        thousands(st.requests as f64),
                        st.non_204,
                        st.first_non_204
                            .map_or(String::new(), |c| format!(" (first {c})")),
                        st.late,
                        st.cpu_busy.map_or("n/a".into(), |c| format!("{c:.2}")),
                        m.nproc
                    ),
                );
                row(
                    "  write latency (send → 204) p50/p99/max",
                    st.write.text(),
                    String::new(),
                );
                row(
                    "  204 → \"activated\", SSE over HTTP p50/p99/max",
                    st.sse.pct.text(),
                    format!(
                        "{} of {} crossings seen; {} before their 204",
                        st.sse.found, st.sse.crossings, st.sse.before_ack
                    ),
                );
                row(
                    "  204 → \"activated\", in-process broadcast",
                    st.broadcast.pct.text(),
                    format!(
                        "{} of {} crossings seen; {} before their 204",
                        st.broadcast.found, st.broadcast.crossings, st.broadcast.before_ack
                    ),
                );
                row(
                    "  alarm service",
                    format!("{} samples/s", thousands(st.evaluated as f64 / st.seconds)),
                    format!(
                        "evaluated; {} transitions; resyncs {}; broadcast lagged {}, gaps {}; \
                         SSE gaps {}",
                        thousands(st.transitions as f64),
                        s.resyncs,
                        s.broadcast_lagged,
                        s.broadcast_gaps,
                        s.sse_gaps
                    ),
                );
            }
            if let Some(f) = &s.flood {
                row(
                    "3 flood: points into alarm",
                    format!("{} in {:.2} s", thousands(f.points as f64), f.send_s),
                    format!(
                        "{} bodies, {} retries after 503; writers go on at {} samples/s",
                        FLOOD_BODIES,
                        f.retries,
                        thousands(a.rate as f64)
                    ),
                );
                row(
                    "  activations: journal / broadcast / SSE",
                    format!(
                        "{} / {} / {}",
                        thousands(f.journal as f64),
                        thousands(f.broadcast as f64),
                        thousands(f.sse as f64)
                    ),
                    format!(
                        "of {}; acknowledged crossings missing from the journal: {}",
                        thousands(f.points as f64),
                        s.journal_missing_crossings
                    ),
                );
                row(
                    "  last activation published",
                    format!("{:.2} s", f.last_published_s),
                    format!(
                        "after the first flood write ({:.2} s after the last 204); on SSE {:.2} s",
                        f.after_last_ack_s, f.sse_last_s
                    ),
                );
                row(
                    "  process RSS before / after / peak",
                    format!(
                        "{} / {} (+{})",
                        opt(f.rss_before, "MiB"),
                        opt(f.rss_after, "MiB"),
                        opt(f.rss_before.zip(f.rss_after).map(|(b, a)| a - b), "MiB")
                    ),
                    format!("peak during the flood (VmHWM) {}", opt(f.hwm, "MiB")),
                );
                row(
                    "  204 → \"activated\" of crossings during the flood",
                    f.crossings.pct.text(),
                    format!(
                        "{} of {} seen (broadcast); write latency {}",
                        f.crossings.found,
                        f.crossings.crossings,
                        f.write.text()
                    ),
                );
            }
            let names = [
                "GET /api/v1/alarms?active=true&limit=100",
                "GET /api/v1/risk/summary",
            ];
            for (k, name) in names.iter().enumerate() {
                row(
                    &format!("  console {name}"),
                    s.console_flood[k].text(),
                    format!(
                        "flood ({} requests); idle {}; steady {}",
                        s.console_flood[k].n,
                        s.console_idle[k].text(),
                        s.console_steady[k].text()
                    ),
                );
            }
            row(
                "  console answers not 200",
                s.console_non_200.to_string(),
                format!(
                    "{}largest open-alarm count listed {}",
                    s.console_first_non_200
                        .map_or(String::new(), |c| format!("first {c}; ")),
                    thousands(s.console_max_open as f64)
                ),
            );
        }
        println!();
        if let Some(e) = &self.engine {
            println!(
                "notes: phase 1 is one thread, no IO, run after phases 2–3 (the idle server's \
                 alarm service still ticks once a second); its figure is the median of {} timed \
                 passes.",
                e.laps
            );
        }
        if self.server.is_some() {
            println!(
                "notes: phases 2–3 run clients, server, historian (fsync per group commit) and \
                 alarm service (SQLite commit per batch of changes) on the same {} cores. \
                 Latencies are p50 / p99 / max; a negative 204 → event value means the event \
                 arrived before the 204 (the historian notifies subscribers before it answers \
                 writers).",
                m.nproc
            );
        }
    }

    fn json(&self) -> serde_json::Value {
        use serde_json::json;
        let run = |r: &Run| {
            json!({
                "samples": r.samples, "seconds": r.wall_s(), "cpu_seconds": r.cpu_s,
                "pass_seconds": r.passes, "samples_per_s_median_pass": r.rate(),
                "samples_per_s_slowest_fastest_pass": [r.spread().0, r.spread().1],
                "ns_per_sample": r.ns(), "hits": r.hits,
            })
        };
        let engine = self.engine.as_ref().map(|e| {
            json!({
                "points": e.points, "alarms": e.alarms,
                "build_seconds": e.build_s, "rss_delta_mib": e.rss_delta_mib,
                                "pool_samples": e.pool_samples, "passes": e.laps,
                "gateway_order": run(&e.gateway), "random_order": run(&e.random),
                "raw_iteration": run(&e.iterate), "naive_gateway_order": run(&e.naive_gateway),
                "naive_random_order": run(&e.naive_random), "tick_ms": e.tick_ms,
            })
        });
        let matched = |m: &Matched| json!({"crossings": m.crossings, "found": m.found, "before_ack": m.before_ack, "latency": m.pct.json()});
        let server = self.server.as_ref().map(|s| {
            json!({
                "points": s.points, "setup_seconds": s.setup_s, "alarm_start_seconds": s.start_s,
                "writers": s.writers, "batch": s.batch,
                "steady": s.steady.as_ref().map(|st| json!({
                    "seconds": st.seconds, "target_rate": st.rate, "acked_samples": st.acked,
                    "samples_per_s": st.acked as f64 / st.seconds, "requests": st.requests,
                    "non_204": st.non_204, "late_bodies": st.late, "write_latency": st.write.json(),
                    "ack_to_event_sse": matched(&st.sse), "ack_to_event_broadcast": matched(&st.broadcast),
                    "cores_busy": st.cpu_busy, "evaluated": st.evaluated, "transitions": st.transitions,
                })),
                "flood": s.flood.as_ref().map(|f| json!({
                    "points": f.points, "send_seconds": f.send_s, "retries": f.retries,
                    "journal": f.journal, "broadcast": f.broadcast, "sse": f.sse,
                    "last_published_seconds": f.last_published_s,
                    "after_last_ack_seconds": f.after_last_ack_s, "sse_last_seconds": f.sse_last_s,
                    "rss_before_mib": f.rss_before, "rss_after_mib": f.rss_after, "rss_peak_mib": f.hwm,
                    "crossings": matched(&f.crossings), "write_latency": f.write.json(),
                })),
                "console": {
                    "alarms_idle": s.console_idle[0].json(), "alarms_steady": s.console_steady[0].json(),
                    "alarms_flood": s.console_flood[0].json(), "risk_idle": s.console_idle[1].json(),
                    "risk_steady": s.console_steady[1].json(), "risk_flood": s.console_flood[1].json(),
                    "non_200": s.console_non_200, "max_open": s.console_max_open,
                },
                "broadcast_lagged": s.broadcast_lagged, "broadcast_gaps": s.broadcast_gaps,
                "sse_gaps": s.sse_gaps, "resyncs": s.resyncs,
                "journal_missing_crossings": s.journal_missing_crossings,
            })
        });
        json!({
            "date": self.date,
            "machine": {"cpu_model": self.machine.cpu_model, "nproc": self.machine.nproc,
                        "mem_total_gib": self.machine.mem_total_gib, "loadavg_1m_start": self.machine.load_start},
            "args": {"points": self.args.points, "samples": self.args.samples,
                     "server_points": self.args.server_points, "seconds": self.args.seconds,
                     "rate": self.args.rate, "batch": self.args.batch, "writers": self.args.writers,
                     "flood": self.args.flood, "phases": self.args.phases},
            "engine": engine,
            "server": server,
        })
    }
}
