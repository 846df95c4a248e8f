//! `weihua bench ingest` — the figures of BENCHMARKS.md, measured in one run on
//! this machine, each next to its baseline measured in the same run.
//!
//! Everything happens in a temporary data directory (removed at the end) and
//! over loopback (127.0.0.1) only; every phase is bounded in samples and time.
//!
//! 1. in-process decode + append: line-protocol bodies from `weihua-simulator`
//!    decoded with `weihua_ingest::decode_line_protocol`, tags resolved through a
//!    `HashMap`, `Historian::append` from concurrent appenders (group commit);
//! 2. end to end over HTTP: the real router (`weihua_server::app`) served on
//!    127.0.0.1:0 in this process, `connections` keep-alive clients POSTing
//!    `batch`-line bodies to `/api/v2/write`; only 204-acknowledged samples count;
//! 3. bytes per sample: two simulated hours of 1 Hz data for a subset of the
//!    points (one production-size chunk of 7,200 samples per series), chunk
//!    files after `flush_all` (WAL excluded) and the WAL before it; the same
//!    samples in a historian configured with `Codec::Gorilla` as the baseline;
//! 4. query: one day of 1 Hz data of one series into 1,000 buckets, median of 50;
//! 5. PostgreSQL baselines: `COPY` into `(point text, ts bigint, value double
//!    precision)` (rate, table bytes after VACUUM/CHECKPOINT, WAL bytes) and the
//!    same day query as `GROUP BY`, in a fresh database dropped afterwards.

use anyhow::{Context, Result, anyhow, bail};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
// A raw HTTP/1.1 client over tokio's TcpStream (keep-alive, Content-Length
// responses) is all the bench needs; it avoids pulling a client stack
// (hyper-util, http-body-util) into the binary. `io-util` is enabled in
// Cargo.toml for AsyncRead/AsyncWrite.
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use weihua_core::{CreditCode, Guardians, Indicator, Limits, RegionCode, Scope, Tag};
use weihua_historian::{Codec, Historian, HistorianConfig, Sample, SeriesId};
use weihua_ingest::{DecodeLimits, Precision};
use weihua_server::{AppState, AuthConfig};
use weihua_simulator::{PointSpec, ScenarioConfig, SimSample, Simulator, line_protocol};
use weihua_store::registry::{
    EnterpriseInput, InstallationInput, ListFilter, ParkInput, Point, PointInput, RegionInput,
};
use weihua_store::{Actor, Paging, Store, now_ms, secrets};

const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// Samples pre-generated for phases 1 and 2 (≈ 45 B of line protocol each).
const POOL_SAMPLES: usize = 3_000_000;
/// Points (series) simulated for the bytes-per-sample figures.
const STORAGE_POINTS: usize = 250;
/// Simulated seconds at 1 Hz for them: one production-size chunk (7,200).
const STORAGE_STEPS: usize = 7_200;
/// Samples appended per `append` while writing the storage data.
const STORAGE_APPEND: usize = 50_000;
const QUERY_SAMPLES: i64 = 86_400;
const QUERY_BUCKETS: usize = 1_000;
const QUERY_RUNS: usize = 50;
const SEED: u64 = 20_260_101;
const DAY_MS: i64 = 86_400_000;

/// `weihua bench …`
#[derive(clap::Subcommand)]
pub enum BenchCommand {
    /// Ingest, storage and query figures with their baselines (PostgreSQL COPY,
    /// Gorilla), measured in one run on this machine, loopback only.
    Ingest(IngestBenchArgs),
}

#[derive(clap::Args, Debug, Clone)]
pub struct IngestBenchArgs {
    /// Monitoring points in the synthetic registry (one series each).
    #[arg(long, default_value_t = 10_000)]
    pub points: usize,
    /// Seconds of the HTTP phase (also the upper bound of the in-process phase).
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Lines per request body (and per in-process append).
    #[arg(long, default_value_t = 5_000)]
    pub batch: usize,
    /// Concurrent HTTP clients (keep-alive), and in-process appenders.
    #[arg(long, default_value_t = 8)]
    pub connections: usize,
    /// PostgreSQL for the baselines (a fresh database is created and dropped);
    /// default postgres://postgres@127.0.0.1:5432/postgres.
    #[arg(long, env = "WEIHUA_TEST_PG_URL")]
    pub pg_url: Option<String>,
    /// Also write the figures as JSON to this file.
    #[arg(long)]
    pub out_json: Option<PathBuf>,
}

pub async fn ingest(args: IngestBenchArgs) -> Result<()> {
    if !(1..=100_000).contains(&args.points) {
        bail!("--points must be 1 to 100,000");
    }
    if !(1..=600).contains(&args.seconds) {
        bail!("--seconds must be 1 to 600");
    }
    if !(1..=DecodeLimits::default().max_lines).contains(&args.batch) {
        bail!(
            "--batch must be 1 to {} lines",
            DecodeLimits::default().max_lines
        );
    }
    if !(1..=256).contains(&args.connections) {
        bail!("--connections must be 1 to 256");
    }
    let date = chrono::Utc::now();
    let machine = Machine::read();
    let tmp = tempfile::Builder::new()
        .prefix("weihua-bench-")
        .tempdir()
        .context("creating the temporary data directory")?;
    let dir = tmp.path().to_path_buf();
    eprintln!(
        "weihua bench ingest: {} points, batch {}, {} connections, {} s; data in {}",
        args.points,
        args.batch,
        args.connections,
        args.seconds,
        dir.display()
    );

    // ---- setup: registry, series catalog, body pool
    let t = Instant::now();
    let reg = registry(&dir.join("store"), args.points).await?;
    let registry_s = t.elapsed().as_secs_f64();
    let specs: Vec<PointSpec> = reg.points.iter().enumerate().map(spec_of).collect();

    let historian = Historian::open(dir.join("historian"), HistorianConfig::default())
        .context("opening the historian")?;
    eprintln!(
        "  registry: {} points in {registry_s:.1} s; registering {} series in the historian catalog (one fdatasync each) …",
        args.points, args.points
    );
    let t = Instant::now();
    let index = register(&historian, &reg.points).await?;
    let catalog_s = t.elapsed().as_secs_f64();

    let steps = (POOL_SAMPLES / args.points).clamp(1, 7_200);
    // Phase 1 writes lap 0 of the pool, phase 2 laps 1, 2, … (timestamps shifted
    // by a lap's span), all between 30 days ago and now.
    let base_ms = (now_ms() / 1000 - 30 * 86_400) * 1000;
    let t = Instant::now();
    let pool = {
        let specs = specs.clone();
        let batch = args.batch;
        tokio::task::spawn_blocking(move || Pool::generate(specs, steps, batch, base_ms)).await??
    };
    let pool = Arc::new(pool);
    let pool_s = t.elapsed().as_secs_f64();
    eprintln!(
        "  catalog: {catalog_s:.1} s; pool: {} samples in {} bodies ({} simulated s) in {pool_s:.1} s",
        pool.samples,
        pool.bodies.len(),
        steps
    );

    // ---- 1. in-process decode + append
    eprintln!("[1/5] in-process decode + append …");
    let p1 = in_process(
        &historian,
        Arc::new(index),
        pool.clone(),
        args.connections,
        Duration::from_secs(args.seconds),
    )
    .await?;

    // ---- 2. HTTP
    eprintln!("[2/5] HTTP POST /api/v2/write for {} s …", args.seconds);
    let state =
        AppState::new(reg.store.clone(), AuthConfig::default()).with_telemetry(historian.clone());
    let p2 = http(
        state,
        &reg.token,
        pool.clone(),
        args.connections,
        Duration::from_secs(args.seconds),
    )
    .await?;
    drop(pool);
    let t = Instant::now();
    let flushed = historian.flush_all().await.context("flush_all")?;
    let compaction = Compaction {
        samples: flushed.samples,
        seconds: t.elapsed().as_secs_f64(),
    };
    drop(historian);
    reg.store.close().await;

    // ---- 3. bytes per sample
    eprintln!(
        "[3/5] storage: {} s of 1 Hz data for {} points, pco and Gorilla …",
        STORAGE_STEPS,
        STORAGE_POINTS.min(args.points)
    );
    let storage_specs: Vec<PointSpec> = specs.iter().take(STORAGE_POINTS).cloned().collect();
    let p3 = storage(&dir, storage_specs).await?;

    // ---- 4. query
    eprintln!("[4/5] query: one day, {QUERY_BUCKETS} buckets, {QUERY_RUNS} runs …");
    let query_spec = specs
        .iter()
        .find(|s| s.indicator == Indicator::Temperature)
        .unwrap_or(&specs[0])
        .clone();
    let p4 = query(&dir.join("query"), query_spec).await?;

    // ---- 5. PostgreSQL
    let pg_url = args
        .pg_url
        .clone()
        .unwrap_or_else(|| DEFAULT_PG_URL.to_string());
    eprintln!("[5/5] PostgreSQL baselines at {} …", redact(&pg_url));
    let pg = postgres(&pg_url, &p3, &p4).await?;

    let mut machine = machine;
    machine.load_end = loadavg();
    let report = Report {
        date: date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        machine,
        args,
        setup: Setup {
            registry_s,
            catalog_s,
            pool_samples: p1.pool_samples,
            pool_s,
        },
        p1,
        p2,
        compaction,
        p3,
        p4,
        pg,
        pg_url,
    };
    report.print();
    if let Some(path) = &report.args.out_json {
        let text = serde_json::to_string_pretty(&report.json())?;
        std::fs::write(path, text + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("figures written to {}", path.display());
    }
    drop(tmp);
    Ok(())
}

/// Hide a password in a URL before printing it.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &url[s + 3..at];
            match cred.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

// ------------------------------------------------------------------ machine

struct Machine {
    nproc: usize,
    cpu_model: String,
    mem_total_gib: f64,
    load_start: Option<f64>,
    load_end: Option<f64>,
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
        let mem_total_gib = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                m.lines()
                    .find_map(|l| l.strip_prefix("MemTotal:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            })
            .map(|kb| kb / 1024.0 / 1024.0)
            .unwrap_or(0.0);
        Machine {
            nproc: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model,
            mem_total_gib,
            load_start: loadavg(),
            load_end: None,
        }
    }
}

/// The 1-minute load average (other work on the machine skews every figure).
fn loadavg() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// User + system CPU seconds of a process (`/proc/<pid>/stat`, USER_HZ = 100).
fn cpu_seconds(pid: Option<u32>) -> Option<f64> {
    let path = match pid {
        Some(p) => format!("/proc/{p}/stat"),
        None => "/proc/self/stat".to_string(),
    };
    stat_cpu(&path)
}

/// CPU seconds of this process's threads named `name` (the historian's
/// `historian-wal` writer thread: is it the bottleneck, or the fsync?).
fn thread_cpu(name: &str) -> Option<f64> {
    let mut total = None;
    for e in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let comm = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default();
        if comm.trim() == name
            && let Some(c) = stat_cpu(&e.path().join("stat").to_string_lossy())
        {
            *total.get_or_insert(0.0) += c;
        }
    }
    total
}

fn stat_cpu(path: &str) -> Option<f64> {
    let s = std::fs::read_to_string(path).ok()?;
    let rest = s.get(s.rfind(')')? + 2..)?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

// ------------------------------------------------------------------ registry

struct Registry {
    store: Store,
    points: Vec<Point>,
    token: String,
}

/// Indicator, unit, tag prefix, range and limits of the i-th synthetic point:
/// the seven indicators in turn, with typical ranges and alarm limits.
fn shape(i: usize) -> (Indicator, &'static str, &'static str, f64, f64, Limits) {
    let lim = |ll, l, h, hh| Limits { ll, l, h, hh };
    match i % 7 {
        0 => (
            Indicator::Level,
            "%",
            "LT",
            0.0,
            100.0,
            lim(None, Some(10.0), Some(80.0), Some(90.0)),
        ),
        1 => (
            Indicator::Temperature,
            "°C",
            "TT",
            -20.0,
            120.0,
            lim(None, None, Some(60.0), Some(80.0)),
        ),
        2 => (
            Indicator::Pressure,
            "MPa",
            "PT",
            0.0,
            2.5,
            lim(None, None, Some(1.6), Some(2.0)),
        ),
        3 => (
            Indicator::Flow,
            "m3/h",
            "FT",
            0.0,
            60.0,
            lim(Some(2.0), Some(5.0), None, None),
        ),
        4 => (
            Indicator::FlammableGas,
            "%LEL",
            "GT",
            0.0,
            100.0,
            lim(None, None, Some(20.0), Some(40.0)),
        ),
        5 => (
            Indicator::ToxicGas,
            "ppm",
            "AT",
            0.0,
            20.0,
            lim(None, None, Some(1.0), Some(2.0)),
        ),
        _ => (
            Indicator::Oxygen,
            "%VOL",
            "OT",
            0.0,
            25.0,
            lim(None, Some(19.5), Some(23.5), None),
        ),
    }
}

/// A region, park, enterprise and installation with `n` points, and one
/// ingest token, through the store API (as the tests and the demo do).
async fn registry(dir: &Path, n: usize) -> Result<Registry> {
    let store = Store::open_sqlite(dir)
        .await
        .context("opening the bench store")?;
    let mut tx = store.write(&Actor::system("bench")).await?;
    let (_park, enterprise) =
        bench_enterprise(&store, &mut tx, "压测", "91320582000000001").await?;
    let installation = store
        .create_installation(
            &mut tx,
            &InstallationInput {
                enterprise_id: enterprise.id.clone(),
                code: "MHI-BENCH".into(),
                name: "压测罐区".into(),
                description: None,
                people_within_500m: 0,
                guardians: Guardians::default(),
                latitude: None,
                longitude: None,
            },
        )
        .await?;
    for i in 0..n {
        let (indicator, unit, prefix, low, high, limits) = shape(i);
        let tag = format!("{prefix}-{i:06}");
        store
            .create_point(
                &mut tx,
                &PointInput {
                    installation_id: installation.id.clone(),
                    equipment_id: None,
                    tag: Tag::parse(&tag).map_err(|e| anyhow!("tag {tag}: {}", e.en))?,
                    name: format!("压测点位{i}"),
                    indicator,
                    unit: unit.into(),
                    range_low: low,
                    range_high: high,
                    limits,
                    latitude: None,
                    longitude: None,
                },
            )
            .await
            .with_context(|| format!("creating point {tag}"))?;
    }
    let token = secrets::new_token(weihua_server::auth::API_TOKEN_PREFIX);
    store
        .create_api_token(
            &mut tx,
            &enterprise.id,
            "ingest",
            "压测网关 bench gateway",
            &secrets::hash_token(&token),
        )
        .await?;
    tx.commit().await?;
    let points = store
        .list_points(
            &Scope::Enterprise(enterprise.id.clone()),
            &ListFilter::default(),
            Paging::all(),
        )
        .await?
        .items;
    if points.len() != n {
        bail!("created {n} points but the store lists {}", points.len());
    }
    Ok(Registry {
        store,
        points,
        token,
    })
}

/// The simulator's view of a point: 20 points per group (gas neighbours),
/// 200 per gateway (a gateway silence mutes 200 points, not the whole park).
fn spec_of((i, p): (usize, &Point)) -> PointSpec {
    PointSpec {
        id: p.id.clone(),
        tag: p.tag.clone(),
        indicator: p.indicator,
        unit: p.unit.clone(),
        range_low: p.range_low,
        range_high: p.range_high,
        limits: p.limits,
        group: format!("G{}", i / 20),
        gateway: format!("GW{}", i / 200),
    }
}

/// Assign a series to every point (outside any timing: each new series is
/// one fdatasync of the catalog) and return tag → series.
async fn register(h: &Historian, points: &[Point]) -> Result<HashMap<String, SeriesId>> {
    let h = h.clone();
    let ids: Vec<(String, String)> = points
        .iter()
        .map(|p| (p.tag.clone(), p.id.clone()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let mut index = HashMap::with_capacity(ids.len());
        for (tag, id) in ids {
            index.insert(tag, h.series_id(&id)?);
        }
        Ok::<_, weihua_historian::Error>(index)
    })
    .await?
    .context("registering series")
}

// ------------------------------------------------------------------ body pool

/// One line-protocol body; `nl` holds the offset of each line's `\n`, the
/// 13-digit millisecond timestamp sits right before it.
struct Body {
    text: Vec<u8>,
    nl: Vec<u32>,
}

impl Body {
    fn new(text: String) -> Result<Body> {
        let text = text.into_bytes();
        let mut nl = Vec::new();
        for (i, b) in text.iter().enumerate() {
            if *b == b'\n' {
                if i < 14 || text[i - 14] != b' ' || !text[i - 13..i].iter().all(u8::is_ascii_digit)
                {
                    bail!("unexpected line shape before byte {i}");
                }
                nl.push(u32::try_from(i)?);
            }
        }
        Ok(Body { text, nl })
    }

    fn lines(&self) -> usize {
        self.nl.len()
    }

    /// Append the body to `out` with every timestamp moved by `delta_ms`.
    fn shifted_into(&self, out: &mut Vec<u8>, delta_ms: i64) {
        let start = out.len();
        out.extend_from_slice(&self.text);
        if delta_ms == 0 {
            return;
        }
        let t = &mut out[start..];
        for &nl in &self.nl {
            let p = nl as usize - 13;
            let mut v: i64 = 0;
            for b in &t[p..p + 13] {
                v = v * 10 + i64::from(b - b'0');
            }
            v += delta_ms;
            for k in (0..13).rev() {
                t[p + k] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        }
    }
}

struct Pool {
    bodies: Vec<Body>,
    samples: usize,
    base_ms: i64,
    /// Simulated time one pass of the pool covers.
    span_ms: i64,
}

impl Pool {
    /// `steps` seconds of 1 Hz simulator output for every point, cut into
    /// bodies of `batch` lines (`precision=ms`).
    fn generate(specs: Vec<PointSpec>, steps: usize, batch: usize, base_ms: i64) -> Result<Pool> {
        let mut sim = Simulator::new(specs, ScenarioConfig::default(), SEED)?;
        let mut bodies = Vec::new();
        let mut pending: Vec<SimSample> = Vec::with_capacity(batch);
        let mut samples = 0;
        for s in 0..steps {
            for x in sim.step(base_ms + s as i64 * 1000) {
                pending.push(x);
                if pending.len() == batch {
                    let b = Body::new(line_protocol(&pending))?;
                    samples += b.lines();
                    bodies.push(b);
                    pending.clear();
                }
            }
        }
        if !pending.is_empty() {
            let b = Body::new(line_protocol(&pending))?;
            samples += b.lines();
            bodies.push(b);
        }
        if bodies.is_empty() {
            bail!("the simulator produced no samples");
        }
        Ok(Pool {
            bodies,
            samples,
            base_ms,
            span_ms: steps as i64 * 1000,
        })
    }
}

// ------------------------------------------------------------------ 1. in-process

struct InProcess {
    pool_samples: usize,
    appenders: usize,
    samples: u64,
    seconds: f64,
    cpu_s: Option<f64>,
    fsyncs: u64,
    batches: u64,
    wal_thread_cpu_s: Option<f64>,
}

impl InProcess {
    fn rate(&self) -> f64 {
        self.samples as f64 / self.seconds
    }
    fn cores_busy(&self) -> Option<f64> {
        self.cpu_s.map(|c| c / self.seconds)
    }
    fn per_core(&self) -> Option<f64> {
        self.cpu_s
            .filter(|c| *c > 0.0)
            .map(|c| self.samples as f64 / c)
    }
}

/// Resolve decoded samples as the server does (tag → series, quality code).
fn resolve(
    index: &HashMap<String, SeriesId>,
    decoded: weihua_ingest::Decoded,
) -> Result<Vec<Sample>> {
    if let Some(e) = decoded.errors.first() {
        bail!("decode refused a bench line: {e}");
    }
    decoded
        .samples
        .iter()
        .map(|x| {
            let series = *index
                .get(&x.tag)
                .ok_or_else(|| anyhow!("unknown tag {}", x.tag))?;
            Ok(Sample {
                series,
                ts_ms: x.ts_ms,
                value: x.value,
                quality: match x.quality {
                    None | Some(0) => 0,
                    Some(q) => u8::try_from(q).unwrap_or(u8::MAX).max(1),
                },
            })
        })
        .collect()
}

async fn in_process(
    h: &Historian,
    index: Arc<HashMap<String, SeriesId>>,
    pool: Arc<Pool>,
    appenders: usize,
    limit: Duration,
) -> Result<InProcess> {
    let next = Arc::new(AtomicUsize::new(0));
    let before = h.stats();
    let cpu0 = cpu_seconds(None);
    let wal0 = thread_cpu("historian-wal");
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..appenders {
        let (h, index, pool, next) = (h.clone(), index.clone(), pool.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let limits = DecodeLimits::default();
            let mut samples = 0u64;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= pool.bodies.len() || start.elapsed() >= limit {
                    break;
                }
                let body = &pool.bodies[i].text;
                loop {
                    let decoded = weihua_ingest::decode_line_protocol(
                        body,
                        Precision::Milliseconds,
                        now_ms(),
                        &limits,
                    );
                    let batch = resolve(&index, decoded)?;
                    let n = batch.len() as u64;
                    match h.append(batch).await {
                        Ok(_) => {
                            samples += n;
                            break;
                        }
                        Err(weihua_historian::Error::Overloaded { retry_after, .. }) => {
                            tokio::time::sleep(retry_after.min(Duration::from_millis(50))).await;
                        }
                        Err(e) => return Err(anyhow!(e).context("append")),
                    }
                }
            }
            Ok::<u64, anyhow::Error>(samples)
        }));
    }
    let mut samples = 0;
    for t in tasks {
        samples += t.await??;
    }
    let seconds = start.elapsed().as_secs_f64();
    let cpu_s = cpu0.and_then(|c0| cpu_seconds(None).map(|c1| c1 - c0));
    let wal_thread_cpu_s = wal0.and_then(|c0| thread_cpu("historian-wal").map(|c1| c1 - c0));
    let after = h.stats();
    Ok(InProcess {
        wal_thread_cpu_s,
        pool_samples: pool.samples,
        appenders,
        samples,
        seconds,
        cpu_s,
        fsyncs: after.wal_syncs - before.wal_syncs,
        batches: after.appended_batches - before.appended_batches,
    })
}

// ------------------------------------------------------------------ 2. HTTP

struct HttpFigures {
    connections: usize,
    requests: u64,
    acked_samples: u64,
    non_204: u64,
    first_non_204: Option<u16>,
    seconds: f64,
    cpu_s: Option<f64>,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    fsyncs: u64,
    pool_exhausted: bool,
    body_bytes: usize,
    wal_thread_cpu_s: Option<f64>,
}

impl HttpFigures {
    fn rate(&self) -> f64 {
        self.acked_samples as f64 / self.seconds
    }
}

#[derive(Default)]
struct ClientStats {
    requests: u64,
    acked: u64,
    non_204: u64,
    first_non_204: Option<u16>,
    latencies: Vec<Duration>,
    exhausted: bool,
}

struct Target {
    addr: SocketAddr,
    token: String,
    pool: Arc<Pool>,
    next: AtomicUsize,
    deadline: Instant,
}

impl Target {
    /// The request for pool draw `n` (lap 1 onward; lap 0 was phase 1), or
    /// `None` once its timestamps would reach the present.
    fn request(&self, n: usize, req: &mut Vec<u8>) -> Option<usize> {
        let pool = &self.pool;
        let idx = n % pool.bodies.len();
        let lap = 1 + (n / pool.bodies.len()) as i64;
        let delta = lap * pool.span_ms;
        if pool.base_ms + delta + pool.span_ms > now_ms() {
            return None;
        }
        let body = &pool.bodies[idx];
        req.clear();
        req.extend_from_slice(
            format!(
                "POST /api/v2/write?org=bench&bucket=bench&precision=ms HTTP/1.1\r\n\
                 Host: {}\r\nAuthorization: Token {}\r\n\
                 Content-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
                self.addr,
                self.token,
                body.text.len()
            )
            .as_bytes(),
        );
        body.shifted_into(req, delta);
        Some(body.lines())
    }
}

async fn connect(addr: SocketAddr) -> Result<TcpStream> {
    let s = TcpStream::connect(addr)
        .await
        .with_context(|| format!("connecting to {addr}"))?;
    s.set_nodelay(true)?;
    Ok(s)
}

/// Read one HTTP/1.1 response with a Content-Length (or none: empty body);
/// returns the status and whether the server closes the connection.
async fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(u16, bool)> {
    let mut scratch = [0u8; 16 * 1024];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).context("response head is not UTF-8")?;
            let mut lines = head.split("\r\n");
            let status: u16 = lines
                .next()
                .and_then(|l| l.split(' ').nth(1))
                .and_then(|c| c.parse().ok())
                .context("no status in the response")?;
            let (mut len, mut close) = (0usize, false);
            for l in lines {
                let Some((k, v)) = l.split_once(':') else {
                    continue;
                };
                let (k, v) = (k.trim(), v.trim());
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.parse().context("content-length")?;
                } else if k.eq_ignore_ascii_case("connection") && v.eq_ignore_ascii_case("close") {
                    close = true;
                } else if k.eq_ignore_ascii_case("transfer-encoding") {
                    bail!("the bench client reads Content-Length responses only ({k}: {v})");
                }
            }
            let total = end + 4 + len;
            while buf.len() < total {
                let n = s.read(&mut scratch).await?;
                if n == 0 {
                    bail!("the server closed the connection mid-response");
                }
                buf.extend_from_slice(&scratch[..n]);
            }
            buf.drain(..total);
            return Ok((status, close));
        }
        let n = s.read(&mut scratch).await?;
        if n == 0 {
            bail!("the server closed the connection before responding");
        }
        buf.extend_from_slice(&scratch[..n]);
    }
}

async fn client(t: Arc<Target>) -> Result<ClientStats> {
    let mut st = ClientStats::default();
    let mut s = connect(t.addr).await?;
    let (mut req, mut buf) = (Vec::new(), Vec::new());
    while Instant::now() < t.deadline {
        let n = t.next.fetch_add(1, Ordering::Relaxed);
        let Some(lines) = t.request(n, &mut req) else {
            st.exhausted = true;
            break;
        };
        let t0 = Instant::now();
        s.write_all(&req).await?;
        let (status, close) = read_response(&mut s, &mut buf).await?;
        st.latencies.push(t0.elapsed());
        st.requests += 1;
        if status == 204 {
            st.acked += lines as u64;
        } else {
            st.non_204 += 1;
            st.first_non_204.get_or_insert(status);
            if status == 503 {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        if close {
            s = connect(t.addr).await?;
            buf.clear();
        }
    }
    Ok(st)
}

async fn http(
    state: AppState,
    token: &str,
    pool: Arc<Pool>,
    connections: usize,
    limit: Duration,
) -> Result<HttpFigures> {
    let historian = state
        .telemetry
        .as_ref()
        .map(|t| t.historian.clone())
        .context("telemetry is off")?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let router = weihua_server::app(state);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = stop_rx.await;
        })
        .await
    });
    let body_bytes = pool.bodies[0].text.len();
    let mut target = Target {
        addr,
        token: token.to_string(),
        pool,
        next: AtomicUsize::new(0),
        deadline: Instant::now(),
    };
    // Warm-up (not counted): the first write loads the enterprise's tag index.
    {
        let mut s = connect(addr).await?;
        let mut req = Vec::new();
        let n = target.next.fetch_add(1, Ordering::Relaxed);
        target
            .request(n, &mut req)
            .context("no room for the warm-up request")?;
        s.write_all(&req).await?;
        let (status, _) = read_response(&mut s, &mut Vec::new()).await?;
        if status != 204 {
            bail!("warm-up write answered {status}, not 204");
        }
    }
    let before = historian.stats();
    let cpu0 = cpu_seconds(None);
    let wal0 = thread_cpu("historian-wal");
    let start = Instant::now();
    target.deadline = start + limit;
    let target = Arc::new(target);
    let tasks: Vec<_> = (0..connections)
        .map(|_| tokio::spawn(client(target.clone())))
        .collect();
    let mut total = ClientStats::default();
    for t in tasks {
        let c = t.await??;
        total.requests += c.requests;
        total.acked += c.acked;
        total.non_204 += c.non_204;
        if total.first_non_204.is_none() {
            total.first_non_204 = c.first_non_204;
        }
        total.latencies.extend(c.latencies);
        total.exhausted |= c.exhausted;
    }
    let seconds = start.elapsed().as_secs_f64();
    let cpu_s = cpu0.and_then(|c0| cpu_seconds(None).map(|c1| c1 - c0));
    let wal_thread_cpu_s = wal0.and_then(|c0| thread_cpu("historian-wal").map(|c1| c1 - c0));
    let after = historian.stats();
    let _ = stop_tx.send(());
    match tokio::time::timeout(Duration::from_secs(10), server).await {
        Ok(r) => r??,
        Err(_) => eprintln!("  (the server did not stop within 10 s; continuing)"),
    }
    total.latencies.sort_unstable();
    let pct = |q: f64| -> f64 {
        let l = &total.latencies;
        if l.is_empty() {
            return f64::NAN;
        }
        let i = ((l.len() as f64 * q).ceil() as usize).clamp(1, l.len()) - 1;
        l[i].as_secs_f64() * 1e3
    };
    Ok(HttpFigures {
        connections,
        requests: total.requests,
        acked_samples: total.acked,
        non_204: total.non_204,
        first_non_204: total.first_non_204,
        seconds,
        cpu_s,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        max_ms: pct(1.0),
        fsyncs: after.wal_syncs - before.wal_syncs,
        pool_exhausted: total.exhausted,
        body_bytes,
        wal_thread_cpu_s,
    })
}

struct Compaction {
    samples: u64,
    seconds: f64,
}

// ------------------------------------------------------------------ 3. storage

struct Storage {
    points: usize,
    samples: u64,
    bad_quality: u64,
    write_s: f64,
    wal_bytes: u64,
    pco_chunk_bytes: u64,
    pco_chunks: u64,
    gorilla_chunk_bytes: u64,
    /// CSV (`tag,ts,value`) of the same samples, for PostgreSQL COPY.
    csv: Vec<Vec<u8>>,
}

fn dir_bytes(dir: &Path, ext: &str) -> Result<u64> {
    let mut total = 0;
    for e in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let e = e?;
        if e.path().extension().is_some_and(|x| x == ext) && e.file_type()?.is_file() {
            total += e.metadata()?.len();
        }
    }
    Ok(total)
}

async fn storage(dir: &Path, specs: Vec<PointSpec>) -> Result<Storage> {
    let pco_dir = dir.join("storage-pco");
    let gorilla_dir = dir.join("storage-gorilla");
    let pco = Historian::open(&pco_dir, HistorianConfig::default())?;
    let gorilla = Historian::open(
        &gorilla_dir,
        HistorianConfig {
            codec: Codec::Gorilla,
            ..HistorianConfig::default()
        },
    )?;
    let points = specs.len();
    let (pco_ids, gorilla_ids) = {
        let (a, b) = (pco.clone(), gorilla.clone());
        let ids: Vec<String> = specs.iter().map(|s| s.id.clone()).collect();
        tokio::task::spawn_blocking(move || {
            let mut x = HashMap::new();
            let mut y = HashMap::new();
            for id in ids {
                let (sa, sb) = (a.series_id(&id)?, b.series_id(&id)?);
                x.insert(id.clone(), sa);
                y.insert(id, sb);
            }
            Ok::<_, weihua_historian::Error>((x, y))
        })
        .await??
    };
    // Two simulated hours ending ten days ago, on an hour boundary.
    let start_ms = (now_ms() / 3_600_000 - 10 * 24) * 3_600_000;
    let mut sim = Simulator::new(specs, ScenarioConfig::default(), SEED + 1)?;
    let (mut samples, mut bad_quality) = (0u64, 0u64);
    let mut csv: Vec<Vec<u8>> = vec![Vec::with_capacity(1 << 20)];
    let mut a_batch: Vec<Sample> = Vec::with_capacity(STORAGE_APPEND + points);
    let mut b_batch: Vec<Sample> = Vec::with_capacity(STORAGE_APPEND + points);
    let mut write_s = 0.0;
    for s in 0..STORAGE_STEPS {
        for x in sim.step(start_ms + s as i64 * 1000) {
            let mk = |ids: &HashMap<String, SeriesId>| {
                ids.get(&x.point_id).map(|series| Sample {
                    series: *series,
                    ts_ms: x.ts_ms,
                    value: x.value,
                    quality: x.quality,
                })
            };
            a_batch.push(mk(&pco_ids).context("unknown point")?);
            b_batch.push(mk(&gorilla_ids).context("unknown point")?);
            samples += 1;
            bad_quality += u64::from(x.quality != 0);
            let last = csv.last_mut().context("csv")?;
            use std::io::Write;
            writeln!(last, "{},{},{}", x.tag, x.ts_ms, x.value)?;
            if last.len() >= 1 << 20 {
                csv.push(Vec::with_capacity(1 << 20));
            }
        }
        if a_batch.len() >= STORAGE_APPEND || s + 1 == STORAGE_STEPS {
            let t = Instant::now();
            let a = std::mem::take(&mut a_batch);
            let b = std::mem::take(&mut b_batch);
            tokio::try_join!(pco.append(a), gorilla.append(b))?;
            write_s += t.elapsed().as_secs_f64();
        }
    }
    let wal_bytes = dir_bytes(&pco_dir.join("wal"), "wal")?;
    pco.flush_all().await?;
    gorilla.flush_all().await?;
    let pco_chunk_bytes = dir_bytes(&pco_dir.join("chunks"), "chk")?;
    let gorilla_chunk_bytes = dir_bytes(&gorilla_dir.join("chunks"), "chk")?;
    let st = pco.stats();
    if st.chunk_samples != samples || gorilla.stats().chunk_samples != samples {
        bail!(
            "chunks hold {} (pco) / {} (Gorilla) samples, {samples} were written",
            st.chunk_samples,
            gorilla.stats().chunk_samples
        );
    }
    Ok(Storage {
        points,
        samples,
        bad_quality,
        write_s,
        wal_bytes,
        pco_chunk_bytes,
        pco_chunks: st.chunks,
        gorilla_chunk_bytes,
        csv,
    })
}

// ------------------------------------------------------------------ 4. query

struct QueryFigures {
    tag: String,
    samples: u64,
    chunks: u64,
    buckets: usize,
    median_ms: f64,
    min_ms: f64,
    max_ms: f64,
    from_ms: i64,
    to_ms: i64,
    csv: Vec<u8>,
}

fn median_ms(times: &mut [Duration]) -> (f64, f64, f64) {
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let n = times.len();
    let med = if n % 2 == 1 {
        ms(times[n / 2])
    } else {
        (ms(times[n / 2 - 1]) + ms(times[n / 2])) / 2.0
    };
    (med, ms(times[0]), ms(times[n - 1]))
}

async fn query(dir: &Path, spec: PointSpec) -> Result<QueryFigures> {
    let h = Historian::open(dir, HistorianConfig::default())?;
    let series = {
        let (h, id) = (h.clone(), spec.id.clone());
        tokio::task::spawn_blocking(move || h.series_id(&id)).await??
    };
    let tag = spec.tag.clone();
    let from_ms = (now_ms() / DAY_MS - 2) * DAY_MS;
    let to_ms = from_ms + QUERY_SAMPLES * 1000;
    // Steady signals, no episodes: exactly one sample a second.
    let mut sim = Simulator::new(vec![spec], ScenarioConfig::quiet(), SEED + 2)?;
    let mut csv = Vec::with_capacity(QUERY_SAMPLES as usize * 32);
    let mut batch = Vec::with_capacity(7_200);
    let mut samples = 0u64;
    for s in 0..QUERY_SAMPLES {
        for x in sim.step(from_ms + s * 1000) {
            use std::io::Write;
            writeln!(csv, "{},{},{}", x.tag, x.ts_ms, x.value)?;
            batch.push(Sample {
                series,
                ts_ms: x.ts_ms,
                value: x.value,
                quality: x.quality,
            });
            samples += 1;
        }
        if batch.len() >= 7_200 || s + 1 == QUERY_SAMPLES {
            h.append(std::mem::take(&mut batch)).await?;
        }
    }
    h.flush_all().await?;
    let chunks = h.stats().chunks;
    let mut times = Vec::with_capacity(QUERY_RUNS);
    let mut buckets = 0;
    for _ in 0..QUERY_RUNS {
        let t = Instant::now();
        let b = h.buckets(series, from_ms, to_ms, QUERY_BUCKETS)?;
        times.push(t.elapsed());
        buckets = std::hint::black_box(b).len();
    }
    let (median_ms, min_ms, max_ms) = median_ms(&mut times);
    Ok(QueryFigures {
        tag,
        samples,
        chunks,
        buckets,
        median_ms,
        min_ms,
        max_ms,
        from_ms,
        to_ms,
        csv,
    })
}

// ------------------------------------------------------------------ 5. PostgreSQL

struct PgFigures {
    version: String,
    rows: u64,
    copy_s: f64,
    backend_cpu_s: Option<f64>,
    wal_bytes: i64,
    table_bytes: i64,
    table_index_bytes: i64,
    index_s: f64,
    query_median_ms: f64,
    query_min_ms: f64,
    query_max_ms: f64,
    query_buckets: usize,
}

impl PgFigures {
    fn rate(&self) -> f64 {
        self.rows as f64 / self.copy_s
    }
    fn per_core(&self) -> Option<f64> {
        self.backend_cpu_s
            .filter(|c| *c > 0.0)
            .map(|c| self.rows as f64 / c)
    }
}

enum Pg {
    Skipped(String),
    Measured(PgFigures),
}

async fn postgres(url: &str, st: &Storage, q: &QueryFigures) -> Result<Pg> {
    use sqlx::Connection;
    let mut admin = match sqlx::PgConnection::connect(url).await {
        Ok(c) => c,
        Err(e) => return Ok(Pg::Skipped(format!("{e}"))),
    };
    let db = format!("weihua_bench_{}", uuid::Uuid::now_v7().simple());
    sqlx::raw_sql(&format!("CREATE DATABASE {db}"))
        .execute(&mut admin)
        .await
        .context("creating the bench database")?;
    let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(url);
    let result = async {
        let mut c = sqlx::PgConnection::connect(&format!("{base}/{db}")).await?;
        let r = pg_measure(&mut c, st, q).await;
        let _ = c.close().await;
        r
    }
    .await;
    let _ = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        .execute(&mut admin)
        .await;
    let _ = admin.close().await;
    result.map(Pg::Measured)
}

async fn pg_measure(
    c: &mut sqlx::PgConnection,
    st: &Storage,
    q: &QueryFigures,
) -> Result<PgFigures> {
    let version: String = sqlx::query_scalar("SHOW server_version")
        .fetch_one(&mut *c)
        .await?;
    sqlx::raw_sql(
        "CREATE TABLE samples (point text NOT NULL, ts bigint NOT NULL, value double precision NOT NULL);
         CREATE TABLE day (point text NOT NULL, ts bigint NOT NULL, value double precision NOT NULL)",
    )
    .execute(&mut *c)
    .await?;
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *c)
        .await?;
    let pid = u32::try_from(pid).ok();
    let lsn0: String = sqlx::query_scalar("SELECT pg_current_wal_insert_lsn()::text")
        .fetch_one(&mut *c)
        .await?;
    let cpu0 = pid.and_then(|p| cpu_seconds(Some(p)));
    let t = Instant::now();
    let mut copy = c
        .copy_in_raw("COPY samples (point, ts, value) FROM STDIN (FORMAT csv)")
        .await?;
    for chunk in &st.csv {
        copy.send(chunk.as_slice()).await?;
    }
    let rows = copy.finish().await?;
    let copy_s = t.elapsed().as_secs_f64();
    let backend_cpu_s =
        cpu0.and_then(|c0| pid.and_then(|p| cpu_seconds(Some(p))).map(|c1| c1 - c0));
    let wal_bytes: i64 = sqlx::query_scalar(
        "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::bigint",
    )
    .bind(&lsn0)
    .fetch_one(&mut *c)
    .await?;
    if rows != st.samples {
        bail!("COPY stored {rows} rows, {} were sent", st.samples);
    }
    sqlx::raw_sql("VACUUM (ANALYZE) samples")
        .execute(&mut *c)
        .await?;
    if let Err(e) = sqlx::raw_sql("CHECKPOINT").execute(&mut *c).await {
        eprintln!("  (CHECKPOINT refused: {e}; sizes are taken without it)");
    }
    let size = "SELECT pg_total_relation_size('samples')";
    let table_bytes: i64 = sqlx::query_scalar(size).fetch_one(&mut *c).await?;
    let t = Instant::now();
    sqlx::raw_sql("CREATE INDEX samples_point_ts ON samples (point, ts)")
        .execute(&mut *c)
        .await?;
    let index_s = t.elapsed().as_secs_f64();
    let table_index_bytes: i64 = sqlx::query_scalar(size).fetch_one(&mut *c).await?;

    // The day query on the same data, with the index such a table needs.
    let mut copy = c
        .copy_in_raw("COPY day (point, ts, value) FROM STDIN (FORMAT csv)")
        .await?;
    copy.send(q.csv.as_slice()).await?;
    copy.finish().await?;
    sqlx::raw_sql("CREATE INDEX day_point_ts ON day (point, ts)")
        .execute(&mut *c)
        .await?;
    sqlx::raw_sql("VACUUM (ANALYZE) day")
        .execute(&mut *c)
        .await?;
    // Same buckets as Historian::buckets: floor((ts - from) * n / (to - from)),
    // with min, max, avg, last and count.
    let sql = "SELECT (ts - $2) * $4 / ($3 - $2) AS b, min(value), max(value), avg(value), \
               (array_agg(value ORDER BY ts DESC))[1], count(*) \
               FROM day WHERE point = $1 AND ts >= $2 AND ts < $3 GROUP BY b ORDER BY b";
    let mut times = Vec::with_capacity(QUERY_RUNS);
    let mut query_buckets = 0;
    for _ in 0..QUERY_RUNS {
        let t = Instant::now();
        let rows: Vec<(i64, f64, f64, f64, f64, i64)> = sqlx::query_as(sql)
            .bind(&q.tag)
            .bind(q.from_ms)
            .bind(q.to_ms)
            .bind(QUERY_BUCKETS as i64)
            .fetch_all(&mut *c)
            .await?;
        times.push(t.elapsed());
        query_buckets = rows.len();
    }
    let (query_median_ms, query_min_ms, query_max_ms) = median_ms(&mut times);
    Ok(PgFigures {
        version,
        rows,
        copy_s,
        backend_cpu_s,
        wal_bytes,
        table_bytes,
        table_index_bytes,
        index_s,
        query_median_ms,
        query_min_ms,
        query_max_ms,
        query_buckets,
    })
}

// ------------------------------------------------------------------ report

struct Setup {
    registry_s: f64,
    catalog_s: f64,
    pool_samples: usize,
    pool_s: f64,
}

struct Report {
    date: String,
    machine: Machine,
    args: IngestBenchArgs,
    setup: Setup,
    p1: InProcess,
    p2: HttpFigures,
    compaction: Compaction,
    p3: Storage,
    p4: QueryFigures,
    pg: Pg,
    pg_url: String,
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

/// "3.1× PostgreSQL COPY" for higher-is-better figures.
fn ratio(ours: f64, theirs: f64) -> String {
    if ours.is_finite() && theirs.is_finite() && theirs > 0.0 {
        let r = ours / theirs;
        if r >= 10.0 {
            format!("{r:.0}×")
        } else {
            format!("{r:.1}×")
        }
    } else {
        "n/a".into()
    }
}

/// "43× smaller" / "1.2× larger" for lower-is-better figures.
fn smaller(ours: f64, theirs: f64, better: &str, worse: &str) -> String {
    if !(ours.is_finite() && theirs.is_finite() && ours > 0.0 && theirs > 0.0) {
        return "n/a".into();
    }
    let (r, word) = if ours <= theirs {
        (theirs / ours, better)
    } else {
        (ours / theirs, worse)
    };
    if r >= 10.0 {
        format!("{r:.0}× {word}")
    } else {
        format!("{r:.1}× {word}")
    }
}

impl Report {
    fn pg(&self) -> Option<&PgFigures> {
        match &self.pg {
            Pg::Measured(p) => Some(p),
            Pg::Skipped(_) => None,
        }
    }

    fn print(&self) {
        let (m, a, s) = (&self.machine, &self.args, &self.setup);
        let pg = self.pg();
        let pg_rate = pg.map_or(f64::NAN, PgFigures::rate);
        let pg_core = pg.and_then(PgFigures::per_core).unwrap_or(f64::NAN);
        let st = &self.p3;
        let per = |b: f64| b / st.samples as f64;
        let pco_b = per(st.pco_chunk_bytes as f64);
        let gor_b = per(st.gorilla_chunk_bytes as f64);
        let wal_b = per(st.wal_bytes as f64);
        let pg_table_b = pg.map_or(f64::NAN, |p| per(p.table_bytes as f64));
        let pg_index_b = pg.map_or(f64::NAN, |p| per(p.table_index_bytes as f64));
        let pg_wal_b = pg.map_or(f64::NAN, |p| per(p.wal_bytes as f64));
        let pg_q = pg.map_or(f64::NAN, |p| p.query_median_ms);
        let (p1, p2, q) = (&self.p1, &self.p2, &self.p4);
        let busy = |cpu: Option<f64>, wall: f64| {
            cpu.map_or("n/a".into(), |c| format!("{:.0}%", c / wall * 100.0))
        };
        let base = |name: &str, v: String| match pg {
            Some(_) => format!("{name} {v}"),
            None => format!("{name}: skipped"),
        };

        println!();
        println!("weihua bench ingest — {}", self.date);
        let load = |l: Option<f64>| l.map_or("n/a".into(), |l| format!("{l:.2}"));
        println!(
            "machine: {} — nproc {}, {:.1} GiB RAM; PostgreSQL {}; load average {} at start, {} at end",
            m.cpu_model,
            m.nproc,
            m.mem_total_gib,
            pg.map_or("skipped", |p| p.version.as_str()),
            load(m.load_start),
            load(m.load_end)
        );
        println!(
            "run: weihua bench ingest --points {} --seconds {} --batch {} --connections {} (release build)",
            a.points, a.seconds, a.batch, a.connections
        );
        println!(
            "setup (not timed): registry {:.1} s (SQLite, {} points + 1 ingest token); historian catalog {:.1} s \
             ({} new series, one fdatasync each = {:.2} ms/series); pool {} samples from weihua-simulator in {:.1} s",
            s.registry_s,
            thousands(a.points as f64),
            s.catalog_s,
            thousands(a.points as f64),
            s.catalog_s * 1e3 / a.points as f64,
            thousands(s.pool_samples as f64),
            s.pool_s
        );
        if let Pg::Skipped(why) = &self.pg {
            println!("SKIPPED: no PostgreSQL at {} ({why})", redact(&self.pg_url));
        }
        println!();
        let w = 50;
        let v = 24;
        let row = |label: &str, value: String, base: String, r: String| {
            println!("{label:<w$} {value:>v$}   {base:<48} {r}");
        };
        row(
            "figure",
            "weihua".into(),
            "baseline (same run)".into(),
            "ratio".into(),
        );
        row(
            &format!("1 in-process decode+append ({} appenders)", p1.appenders),
            format!("{} samples/s", thousands(p1.rate())),
            base(
                "PostgreSQL COPY",
                format!("{} samples/s", thousands(pg_rate)),
            ),
            ratio(p1.rate(), pg_rate),
        );
        row(
            &format!(
                "  per busy core ({} of {} cores busy)",
                p1.cores_busy().map_or("n/a".into(), |c| format!("{c:.2}")),
                m.nproc
            ),
            format!("{} samples/s", thousands(p1.per_core().unwrap_or(f64::NAN))),
            base(
                "COPY per backend core",
                format!("{} samples/s", thousands(pg_core)),
            ),
            ratio(p1.per_core().unwrap_or(f64::NAN), pg_core),
        );
        row(
            "  group commit",
            format!(
                "{:.1} batches/fsync",
                p1.batches as f64 / p1.fsyncs.max(1) as f64
            ),
            format!(
                "{} samples in {:.2} s, {} fsyncs, WAL thread busy {}",
                thousands(p1.samples as f64),
                p1.seconds,
                p1.fsyncs,
                busy(p1.wal_thread_cpu_s, p1.seconds)
            ),
            String::new(),
        );
        row(
            &format!("2 HTTP /api/v2/write, 204-acked ({} conns)", p2.connections),
            format!("{} samples/s", thousands(p2.rate())),
            base(
                "PostgreSQL COPY",
                format!("{} samples/s", thousands(pg_rate)),
            ),
            ratio(p2.rate(), pg_rate),
        );
        row(
            "  request latency p50 / p99",
            format!("{:.1} / {:.1} ms", p2.p50_ms, p2.p99_ms),
            format!(
                "{} requests, max {:.1} ms, {} KiB bodies",
                thousands(p2.requests as f64),
                p2.max_ms,
                p2.body_bytes / 1024
            ),
            String::new(),
        );
        row(
            "  cores busy (server + in-process clients)",
            p2.cpu_s
                .map_or("n/a".into(), |c| format!("{:.2}", c / p2.seconds)),
            format!(
                "{} samples in {:.2} s, {} fsyncs, WAL thread busy {}",
                thousands(p2.acked_samples as f64),
                p2.seconds,
                p2.fsyncs,
                busy(p2.wal_thread_cpu_s, p2.seconds)
            ),
            String::new(),
        );
        if p2.non_204 > 0 {
            row(
                "  non-204 responses (not counted)",
                thousands(p2.non_204 as f64),
                format!("first status {}", p2.first_non_204.unwrap_or(0)),
                String::new(),
            );
        }
        if p2.pool_exhausted {
            row(
                "  (clients stopped early: timestamps reached now)",
                String::new(),
                String::new(),
                String::new(),
            );
        }
        row(
            "  compaction of the heads after 1+2 (flush_all)",
            format!(
                "{} samples/s",
                thousands(self.compaction.samples as f64 / self.compaction.seconds)
            ),
            format!(
                "{} samples in {:.2} s",
                thousands(self.compaction.samples as f64),
                self.compaction.seconds
            ),
            String::new(),
        );
        row(
            "3 disk: chunk files, pco (WAL excluded)",
            format!("{pco_b:.2} B/sample"),
            base("PostgreSQL table", format!("{pg_table_b:.1} B/sample")),
            smaller(pco_b, pg_table_b, "smaller", "larger"),
        );
        row(
            "",
            String::new(),
            base(
                "PostgreSQL table + (point, ts) index",
                format!("{pg_index_b:.1} B/sample"),
            ),
            smaller(pco_b, pg_index_b, "smaller", "larger"),
        );
        row(
            "",
            String::new(),
            format!("Gorilla chunk files {gor_b:.2} B/sample"),
            smaller(pco_b, gor_b, "smaller", "larger"),
        );
        row(
            "  write-ahead log (before checkpoint)",
            format!("{wal_b:.1} B/sample"),
            base(
                "PostgreSQL WAL of the COPY",
                format!("{pg_wal_b:.1} B/sample"),
            ),
            smaller(wal_b, pg_wal_b, "smaller", "larger"),
        );
        row(
            "  data",
            format!("{} samples", thousands(st.samples as f64)),
            format!(
                "{} points × {} s at 1 Hz, {} chunks, {} bad-quality",
                st.points,
                STORAGE_STEPS,
                st.pco_chunks,
                thousands(st.bad_quality as f64)
            ),
            String::new(),
        );
        row(
            &format!(
                "4 query: 1 day 1 Hz → {} buckets (median/{})",
                QUERY_BUCKETS, QUERY_RUNS
            ),
            format!("{:.2} ms", q.median_ms),
            base("PostgreSQL GROUP BY (indexed)", format!("{pg_q:.2} ms")),
            smaller(q.median_ms, pg_q, "faster", "slower"),
        );
        row(
            "  range of runs",
            format!("{:.2}–{:.2} ms", q.min_ms, q.max_ms),
            format!(
                "{} samples, {} chunks, {} buckets; PG {}",
                thousands(q.samples as f64),
                q.chunks,
                q.buckets,
                pg.map_or("skipped".into(), |p| format!(
                    "{:.2}–{:.2} ms, {} buckets",
                    p.query_min_ms, p.query_max_ms, p.query_buckets
                ))
            ),
            String::new(),
        );
        if let Some(p) = pg {
            row(
                "5 PostgreSQL COPY (baseline)",
                format!("{} samples/s", thousands(p.rate())),
                format!(
                    "{} rows in {:.2} s, backend {} cores",
                    thousands(p.rows as f64),
                    p.copy_s,
                    p.backend_cpu_s
                        .map_or("n/a".into(), |c| format!("{:.2}", c / p.copy_s))
                ),
                String::new(),
            );
            row(
                "  CREATE INDEX (point, ts) afterwards",
                format!("{:.2} s", p.index_s),
                String::new(),
                String::new(),
            );
        }
        println!();
        println!(
            "notes: weihua stores quality codes too, the PostgreSQL table does not; COPY is a bulk \
             loader (one statement, no HTTP) while figure 2 includes HTTP, auth and line-protocol \
             decoding; both fsync before acknowledging. Clients, server and historian share the \
             same {} cores; PostgreSQL runs as its own processes on them. The query figure is an \
             in-process call, PostgreSQL's includes a loopback round trip.",
            m.nproc
        );
    }

    fn json(&self) -> serde_json::Value {
        use serde_json::json;
        let st = &self.p3;
        let per = |b: f64| b / st.samples as f64;
        let pg = self.pg().map(|p| {
            json!({
                "version": p.version,
                "copy_rows": p.rows,
                "copy_seconds": p.copy_s,
                "copy_samples_per_s": p.rate(),
                "copy_backend_cpu_s": p.backend_cpu_s,
                "copy_samples_per_backend_core_s": p.per_core(),
                "wal_bytes_per_sample": per(p.wal_bytes as f64),
                "table_bytes": p.table_bytes,
                "table_bytes_per_sample": per(p.table_bytes as f64),
                "table_with_index_bytes_per_sample": per(p.table_index_bytes as f64),
                "create_index_seconds": p.index_s,
                "query_median_ms": p.query_median_ms,
                "query_min_ms": p.query_min_ms,
                "query_max_ms": p.query_max_ms,
                "query_buckets": p.query_buckets,
            })
        });
        let skipped = match &self.pg {
            Pg::Skipped(why) => Some(why.clone()),
            Pg::Measured(_) => None,
        };
        let (p1, p2, q) = (&self.p1, &self.p2, &self.p4);
        json!({
            "date": self.date,
            "machine": {
                "nproc": self.machine.nproc,
                "cpu_model": self.machine.cpu_model,
                "mem_total_gib": self.machine.mem_total_gib,
                "loadavg_1m_start": self.machine.load_start,
                "loadavg_1m_end": self.machine.load_end,
            },
            "args": {
                "points": self.args.points,
                "seconds": self.args.seconds,
                "batch": self.args.batch,
                "connections": self.args.connections,
            },
            "setup": {
                "registry_seconds": self.setup.registry_s,
                "catalog_seconds": self.setup.catalog_s,
                "pool_samples": self.setup.pool_samples,
                "pool_seconds": self.setup.pool_s,
            },
            "in_process": {
                "appenders": p1.appenders,
                "samples": p1.samples,
                "seconds": p1.seconds,
                "samples_per_s": p1.rate(),
                "cpu_seconds": p1.cpu_s,
                "cores_busy": p1.cores_busy(),
                "samples_per_core_s": p1.per_core(),
                "fsyncs": p1.fsyncs,
                "batches": p1.batches,
                "wal_thread_cpu_seconds": p1.wal_thread_cpu_s,
            },
            "http": {
                "connections": p2.connections,
                "requests": p2.requests,
                "acked_samples": p2.acked_samples,
                "non_204": p2.non_204,
                "seconds": p2.seconds,
                "samples_per_s": p2.rate(),
                "cores_busy": p2.cpu_s.map(|c| c / p2.seconds),
                "latency_p50_ms": p2.p50_ms,
                "latency_p99_ms": p2.p99_ms,
                "latency_max_ms": p2.max_ms,
                "fsyncs": p2.fsyncs,
                "wal_thread_cpu_seconds": p2.wal_thread_cpu_s,
                "body_bytes": p2.body_bytes,
                "pool_exhausted": p2.pool_exhausted,
            },
            "compaction": {
                "samples": self.compaction.samples,
                "seconds": self.compaction.seconds,
            },
            "storage": {
                "points": st.points,
                "seconds_at_1hz": STORAGE_STEPS,
                "samples": st.samples,
                "bad_quality": st.bad_quality,
                "append_seconds": st.write_s,
                "pco_chunk_bytes": st.pco_chunk_bytes,
                "pco_bytes_per_sample": per(st.pco_chunk_bytes as f64),
                "pco_chunks": st.pco_chunks,
                "gorilla_chunk_bytes": st.gorilla_chunk_bytes,
                "gorilla_bytes_per_sample": per(st.gorilla_chunk_bytes as f64),
                "wal_bytes": st.wal_bytes,
                "wal_bytes_per_sample": per(st.wal_bytes as f64),
            },
            "query": {
                "samples": q.samples,
                "chunks": q.chunks,
                "buckets": q.buckets,
                "runs": QUERY_RUNS,
                "median_ms": q.median_ms,
                "min_ms": q.min_ms,
                "max_ms": q.max_ms,
            },
            "postgres": pg,
            "postgres_skipped": skipped,
        })
    }
}

/// The regions, park and enterprise every bench registry starts with
/// (`label` names them, `credit` is the enterprise's 17-character code
/// without its check character).
pub(crate) async fn bench_enterprise(
    store: &Store,
    tx: &mut weihua_store::WriteTx,
    label: &str,
    credit: &str,
) -> Result<(
    weihua_store::registry::Park,
    weihua_store::registry::Enterprise,
)> {
    let code = |c: &str| RegionCode::parse(c).map_err(|e| anyhow!("region {c}: {}", e.en));
    for (c, name) in [
        ("320000", "江苏省"),
        ("320500", "苏州市"),
        ("320582", "张家港市"),
    ] {
        store
            .upsert_region(
                tx,
                &RegionInput {
                    code: code(c)?,
                    name: name.into(),
                },
            )
            .await?;
    }
    let park = store
        .create_park(
            tx,
            &ParkInput {
                name: format!("{label}园区"),
                region_code: code("320582")?,
                address: None,
            },
        )
        .await?;
    let enterprise = store
        .create_enterprise(
            tx,
            &EnterpriseInput {
                credit_code: CreditCode::with_check(credit)
                    .map_err(|e| anyhow!("credit code: {}", e.en))?,
                name: format!("{label}企业"),
                region_code: code("320582")?,
                park_id: Some(park.id.clone()),
                industry: Some("氯碱".into()),
                address: None,
                legal_representative: None,
            },
        )
        .await?;
    Ok((park, enterprise))
}
