//! `weihua` — 危化安全风险智能管控平台 (hazardous-chemicals safety risk platform).
//!
//! One binary: `serve`, `demo`, `admin`, `audit`, `import`, `export`.

mod bench;
mod bench_alarm;
mod demo_api;
mod demo_permits;
mod demo_prevention;
mod demo_qra;
mod simulator;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use std::io::Read;
use std::path::{Path, PathBuf};
use weihua_core::{Role, Scope};
use weihua_server::{AppState, AuthConfig};
use weihua_store::audit::AuditVerdict;
use weihua_store::auth::NewUser;
use weihua_store::{Actor, Store};

#[derive(Parser)]
#[command(
    name = "weihua",
    version,
    about = "危化安全风险智能管控平台 — hazardous-chemicals safety risk platform"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the data lives: an embedded SQLite file in DIR, or a PostgreSQL URL.
#[derive(Args, Clone)]
struct StoreArgs {
    /// Data directory (holds weihua.db, the embedded SQLite store).
    #[arg(long, default_value = "./weihua-data", env = "WEIHUA_DATA_DIR")]
    data_dir: PathBuf,
    /// Use this database instead of the embedded one (postgres://…).
    #[arg(long, env = "WEIHUA_DATABASE_URL")]
    database_url: Option<String>,
}

impl StoreArgs {
    async fn open(&self) -> Result<Store> {
        match &self.database_url {
            Some(url) => Store::connect(url)
                .await
                .with_context(|| "cannot open the database at --database-url".to_string()),
            None => Store::open_sqlite(&self.data_dir)
                .await
                .with_context(|| format!("cannot open the store in {}", self.data_dir.display())),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the console.
    Serve {
        #[command(flatten)]
        store: StoreArgs,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Mark session cookies Secure (when served behind HTTPS).
        #[arg(long)]
        secure_cookies: bool,
        #[command(flatten)]
        mqtt: MqttArgs,
        #[command(flatten)]
        alarms: AlarmArgs,
    },
    /// Create the demo park (once, into an empty store), then serve.
    Demo {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Create the demo data and exit without serving.
        #[arg(long)]
        no_serve: bool,
        /// Serve without the live sensor simulator (for tests that write their own data).
        #[arg(long)]
        no_simulator: bool,
        #[command(flatten)]
        mqtt: MqttArgs,
        #[command(flatten)]
        alarms: AlarmArgs,
    },
    /// Administration.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Import a ledger (台账) from XLSX or CSV, all or nothing.
    Import {
        #[command(flatten)]
        store: StoreArgs,
        /// The file (.xlsx or .csv); `-` reads standard input.
        file: PathBuf,
        /// For CSV: which sheet it is (enterprises, installations, units, equipment, points, inventories).
        #[arg(long)]
        kind: Option<String>,
        /// Treat the input as CSV (otherwise decided by the file extension).
        #[arg(long)]
        csv: bool,
    },
    /// GB 18218-2018: identify and grade major hazard installations.
    Gb18218 {
        #[command(subcommand)]
        command: Gb18218Command,
    },
    /// Consequence models (GB/T 37243 work): `weihua qra model NAME` reads the
    /// model's JSON input on stdin and prints its JSON output; `weihua qra
    /// models` lists them.
    Qra {
        #[command(subcommand)]
        command: QraCommand,
    },
    /// Export the ledger to XLSX.
    Export {
        #[command(flatten)]
        store: StoreArgs,
        /// Output file.
        #[arg(long, short)]
        out: PathBuf,
    },
    /// Measure ingest, storage, query and alarms on this machine (figures for BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

/// `weihua bench …`: the ingest bench's subcommands, and `alarm`.
#[derive(Subcommand)]
enum BenchCommand {
    #[command(flatten)]
    Ingest(bench::BenchCommand),
    /// Alarm engine cost per sample (600,000 points), write-to-event latency over
    /// HTTP and SSE at a sustained rate, and a flood of 10,000 alarms.
    Alarm(bench_alarm::AlarmBenchArgs),
}

/// The alarm service's configuration files.
#[derive(Args, Clone)]
struct AlarmArgs {
    /// Risk model (JSON, see docs/risk-model.md); default: the built-in weihua-risk-1
    #[arg(long, env = "WEIHUA_RISK_MODEL")]
    risk_model: Option<PathBuf>,
    /// Notification routes, receivers and escalation (JSON, see
    /// docs/alarm-kpis-and-notifications.md); default: console only
    #[arg(long, env = "WEIHUA_NOTIFY_CONFIG")]
    notify_config: Option<PathBuf>,
    /// Special work permits: interlock radius, holiday calendar, rule settings
    /// (JSON, see docs/permits.md); default: 15 m, weekends only, all rules on
    #[arg(long, env = "WEIHUA_PERMIT_CONFIG")]
    permit_config: Option<PathBuf>,
    /// Live threat zones: hole diameter of the estimated leak, mm (assumed; API RP 581
    /// "medium")
    #[arg(long, default_value_t = 25.0, env = "WEIHUA_THREAT_HOLE_MM")]
    threat_hole_mm: f64,
    /// Live threat zones: longest release considered, s (assumed; 10 min to isolation)
    #[arg(long, default_value_t = 600.0, env = "WEIHUA_THREAT_MAX_DURATION_S")]
    threat_max_duration_s: f64,
    /// Live threat zones: recompute every N seconds while the alarm lasts
    #[arg(long, default_value_t = 5.0, env = "WEIHUA_THREAT_REFRESH_S")]
    threat_refresh_s: f64,
}

impl AlarmArgs {
    fn config(&self) -> Result<AlarmServiceConfig> {
        let mut c = AlarmServiceConfig::default();
        if let Some(p) = &self.risk_model {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            c.risk_model = weihua_risk::RiskModel::from_json(&text).map_err(|e| {
                anyhow::anyhow!("{}: {}: {} / {}", p.display(), e.field, e.zh, e.en)
            })?;
        }
        if let Some(p) = &self.notify_config {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            c.notify = weihua_notify::NotifyConfig::from_json(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
        }
        Ok(c)
    }

    fn threat(&self) -> Result<weihua_server::threat::ThreatConfig> {
        let ok = |v: f64, lo: f64, hi: f64| v.is_finite() && (lo..=hi).contains(&v);
        if !ok(self.threat_hole_mm, 1.0, 2000.0) {
            bail!("--threat-hole-mm 应在 1 到 2000 之间 / must be between 1 and 2000");
        }
        if !ok(self.threat_max_duration_s, 1.0, 86_400.0) {
            bail!("--threat-max-duration-s 应在 1 到 86400 之间 / must be between 1 and 86400");
        }
        if !ok(self.threat_refresh_s, 0.5, 3600.0) {
            bail!("--threat-refresh-s 应在 0.5 到 3600 之间 / must be between 0.5 and 3600");
        }
        Ok(weihua_server::threat::ThreatConfig {
            hole_diameter_m: self.threat_hole_mm / 1000.0,
            max_duration_s: self.threat_max_duration_s,
            refresh_ms: (self.threat_refresh_s * 1000.0) as u64,
            ..Default::default()
        })
    }

    fn permits(&self) -> Result<weihua_server::permits::PermitConfig> {
        match &self.permit_config {
            None => Ok(Default::default()),
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read {}", p.display()))?;
                weihua_server::permits::PermitConfig::from_json(&text)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
            }
        }
    }
}

/// Subscribe to an MQTT broker for telemetry (topics `{prefix}/{enterprise_id}/lp|json`).
#[derive(Args, Clone)]
struct MqttArgs {
    /// e.g. mqtt://127.0.0.1:1883 (user:password@ allowed).
    #[arg(long, env = "WEIHUA_MQTT_URL")]
    mqtt_url: Option<String>,
    #[arg(long, default_value = "weihua")]
    mqtt_prefix: String,
}

impl MqttArgs {
    /// Start the subscriber when a broker is configured.
    fn start(&self, state: &AppState) -> Result<()> {
        let Some(url) = &self.mqtt_url else {
            return Ok(());
        };
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "node".into());
        let cfg = weihua_server::mqtt::MqttConfig::from_url(
            url,
            &self.mqtt_prefix,
            &format!("weihua-{host}"),
        )
        .map_err(|e| anyhow::anyhow!(e))?;
        eprintln!(
            "MQTT数据接入 subscribing to {url} {}/+/lp|json",
            self.mqtt_prefix
        );
        tokio::spawn(weihua_server::mqtt::run(
            state.clone(),
            cfg,
            Default::default(),
        ));
        Ok(())
    }
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a user. The password is read from standard input, or generated and printed.
    CreateUser {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: Option<String>,
        /// One of: ministry_regulator, province_regulator, city_regulator, county_regulator, park_admin, enterprise_admin, safety_manager, operator.
        #[arg(long)]
        role: String,
        /// national | region:CODE | park:ID | enterprise:ID
        #[arg(long)]
        scope: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a user's password (read from standard input); ends their sessions.
    SetPassword {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        username: String,
    },
}

#[derive(Subcommand)]
enum Gb18218Command {
    /// Assess units from a JSON file (`-` = standard input); prints JSON, or a table with --format table.
    Assess {
        file: PathBuf,
        /// json | table
        #[arg(long, default_value = "json")]
        format: String,
    },
    /// Re-assess every stored installation (after a catalogue change).
    Reassess {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand)]
enum QraCommand {
    /// Run one model: JSON input on stdin (or `--input FILE`), JSON output on stdout.
    Model {
        /// e.g. gaussian_puff, kingery_bulmash, gas_orifice (see `weihua qra models`).
        name: String,
        /// Read the input from this file instead of stdin (`-` = stdin).
        #[arg(long, default_value = "-")]
        input: PathBuf,
    },
    /// List the models with a line on each.
    Models,
    /// A whole GB/T 37243 site assessment from a study file (JSON, the shape of
    /// `weihua_qra::site::StudyInput`): writes contours.geojson, fn.csv,
    /// distances.json and report.html into `--out`, and prints a summary.
    Site {
        /// The study file (`-` = stdin).
        file: PathBuf,
        /// Output directory (created if missing).
        #[arg(long, default_value = "qra-out")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit hash chain; exit status 1 if it is broken.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("WEIHUA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    init_tracing();
    match run(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误 error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}

use weihua_server::alarms::AlarmServiceConfig;

async fn run(cli: Cli) -> Result<std::process::ExitCode> {
    use std::process::ExitCode;
    match cli.command {
        Command::Serve {
            store,
            listen,
            secure_cookies,
            mqtt,
            alarms,
        } => {
            let s = store.open().await?;
            let state = app_state(s, &store.data_dir, secure_cookies)?
                .with_permits(alarms.permits()?)
                .with_threat_config(alarms.threat()?)
                .with_alarms(alarms.config()?)
                .await?;
            mqtt.start(&state)?;
            let router = weihua_server::app(state.clone());
            serve(state, router, &listen, None).await?;
        }
        Command::Demo {
            store,
            listen,
            no_serve,
            no_simulator,
            mqtt,
            alarms,
        } => {
            let s = store.open().await?;
            let creds_path = store.data_dir.join("demo-credentials.json");
            let fresh = s.is_empty().await?;
            if fresh {
                eprintln!("创建演示园区 creating the demo park …");
                let t0 = std::time::Instant::now();
                let creds = weihua_demo::seed(&s).await?;
                std::fs::create_dir_all(&store.data_dir)?;
                weihua_demo::write_credentials(&store.data_dir, &creds)?;
                eprintln!(
                    "演示数据已创建 demo data created in {:.1} s",
                    t0.elapsed().as_secs_f64()
                );
            } else {
                eprintln!("数据目录已有数据，直接启动 the store already holds data; serving it");
            }
            if no_serve {
                s.close().await;
                return Ok(ExitCode::SUCCESS);
            }
            let state = app_state(s.clone(), &store.data_dir, false)?
                .with_permits(alarms.permits()?)
                .with_threat_config(alarms.threat()?)
                .with_alarms(alarms.config()?)
                .await?;
            mqtt.start(&state)?;
            let router = weihua_server::app(state.clone());
            let text = std::fs::read_to_string(&creds_path)
                .with_context(|| format!("cannot read {}", creds_path.display()))?;
            let creds: weihua_demo::DemoCredentials = serde_json::from_str(&text)?;
            if fresh {
                let n = demo_permits::seed(&router, &creds)
                    .await
                    .context("seeding the demo's work permits")?;
                eprintln!("特殊作业票已创建 work permits of the day created: {n}");
                let t0 = std::time::Instant::now();
                let (records, dangers) = demo_prevention::seed(&router, &creds)
                    .await
                    .context("seeding the demo's dual prevention data")?;
                eprintln!(
                    "双重预防演示数据已创建 dual prevention: {records} checks of the last month, {dangers} hidden dangers ({:.1} s)",
                    t0.elapsed().as_secs_f64()
                );
                let t0 = std::time::Instant::now();
                let studies = demo_qra::seed(&router, &creds)
                    .await
                    .context("seeding the demo's quantitative risk assessments")?;
                eprintln!(
                    "定量风险评价已完成 QRA studies of the chlorine store and the LPG spheres: {} ({:.1} s)",
                    studies.len(),
                    t0.elapsed().as_secs_f64()
                );
            }
            if !no_simulator {
                let sim = simulator::DemoSimulator::new(&s, router.clone(), &creds).await?;
                eprintln!(
                    "实时数据模拟已启动 live sensor simulator: {} points, 1 s",
                    sim.points()
                );
                tokio::spawn(sim.run());
            }
            serve(state, router, &listen, Some(&creds_path)).await?;
        }
        Command::Admin { command } => match command {
            AdminCommand::CreateUser {
                store,
                username,
                display_name,
                role,
                scope,
                password_stdin,
            } => {
                let role =
                    Role::parse(&role).map_err(|e| anyhow::anyhow!("{} / {}", e.zh, e.en))?;
                let scope =
                    Scope::from_text(&scope).map_err(|e| anyhow::anyhow!("{} / {}", e.zh, e.en))?;
                let (password, generated) = if password_stdin {
                    (read_password()?, false)
                } else {
                    (weihua_store::secrets::random_password(), true)
                };
                if let Err(e) = weihua_server::api::check_password(&password) {
                    bail!("{} / {}", e.message_zh, e.message_en);
                }
                let hash = weihua_store::secrets::hash_password(&password)
                    .map_err(|e| anyhow::anyhow!(e))?;
                let s = store.open().await?;
                let mut tx = s.write(&Actor::system("cli")).await?;
                let user = s
                    .create_user(
                        &mut tx,
                        &NewUser {
                            display_name: display_name.unwrap_or_else(|| username.clone()),
                            username,
                            password_hash: hash,
                            role,
                            scope,
                        },
                    )
                    .await
                    .map_err(store_err)?;
                tx.commit().await?;
                s.close().await;
                println!(
                    "已创建用户 created user {} ({}, {})",
                    user.username,
                    user.role.as_str(),
                    user.scope.to_text()
                );
                if generated {
                    println!("初始密码 password: {password}");
                }
            }
            AdminCommand::SetPassword { store, username } => {
                let password = read_password()?;
                if let Err(e) = weihua_server::api::check_password(&password) {
                    bail!("{} / {}", e.message_zh, e.message_en);
                }
                let hash = weihua_store::secrets::hash_password(&password)
                    .map_err(|e| anyhow::anyhow!(e))?;
                let s = store.open().await?;
                let mut tx = s.write(&Actor::system("cli")).await?;
                s.set_password(&mut tx, &username, &hash)
                    .await
                    .map_err(store_err)?;
                tx.commit().await?;
                s.close().await;
                println!("密码已更新，旧会话已失效 password set; the user's sessions are ended");
            }
        },
        Command::Audit {
            command: AuditCommand::Verify { store },
        } => {
            let s = store.open().await?;
            let verdict = s.verify_audit().await;
            s.close().await;
            match verdict? {
                AuditVerdict::Ok { entries, head } => {
                    println!("OK: 审计链完整 audit chain intact, {entries} entries, head {head}");
                }
                AuditVerdict::Broken { seq, reason } => {
                    println!(
                        "BROKEN: 审计链在第{seq}条被破坏 the audit chain is broken at entry {seq}: {reason}"
                    );
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Import {
            store,
            file,
            kind,
            csv,
        } => {
            let bytes = read_input(&file)?;
            let is_csv = csv
                || file
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
            let s = store.open().await?;
            let actor = Actor::system("cli-import");
            let result = if is_csv {
                let kind = kind.context("CSV需要 --kind / a CSV import needs --kind (enterprises, installations, units, equipment, points, inventories)")?;
                let kind = weihua_ledger::LedgerKind::parse(&kind)
                    .with_context(|| format!("未知的台账类型 unknown ledger kind '{kind}'"))?;
                weihua_ledger::import_csv(&s, &actor, kind, &bytes).await
            } else {
                weihua_ledger::import_xlsx(&s, &actor, &bytes).await
            };
            s.close().await;
            match result {
                Ok(report) => {
                    println!("导入成功 imported: {}", serde_json::to_string(&report)?);
                }
                Err(errors) => {
                    eprintln!(
                        "导入失败，未写入任何数据 import refused, nothing was written ({} errors):",
                        errors.errors.len()
                    );
                    for e in &errors.errors {
                        eprintln!(
                            "  {} 第{}行{}：{} / row {}{}: {}",
                            e.sheet,
                            e.row,
                            e.column
                                .as_deref()
                                .map(|c| format!("（{c}）"))
                                .unwrap_or_default(),
                            e.message_zh,
                            e.row,
                            e.column
                                .as_deref()
                                .map(|c| format!(" ({c})"))
                                .unwrap_or_default(),
                            e.message_en
                        );
                    }
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Gb18218 {
            command: Gb18218Command::Assess { file, format },
        } => {
            let bytes = read_input(&file)?;
            let input: weihua_standards::AssessmentInput = match serde_json::from_slice(&bytes) {
                Ok(i) => i,
                Err(e) => bail!(
                    "输入JSON无效（第{}行第{}列）/ invalid input JSON at line {} column {}: {e}",
                    e.line(),
                    e.column(),
                    e.line(),
                    e.column()
                ),
            };
            match weihua_standards::assess(&input) {
                Ok(out) => match format.as_str() {
                    "table" => print!("{}", weihua_standards::render_table_zh(&out)),
                    "json" => println!("{}", serde_json::to_string_pretty(&out)?),
                    other => bail!("未知格式 unknown --format '{other}' (json, table)"),
                },
                Err(e) => {
                    eprintln!("{} / {}", e.message_zh, e.message_en);
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&serde_json::json!({ "error": e }))?
                    );
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Qra {
            command: QraCommand::Models,
        } => {
            for model in weihua_qra::models() {
                println!("{:<24} {}", model.name, model.description);
            }
        }
        Command::Qra {
            command: QraCommand::Site { file, out },
        } => {
            return qra_site(&file, &out);
        }
        Command::Qra {
            command: QraCommand::Model { name, input },
        } => {
            let bytes = read_input(&input)?;
            let value: serde_json::Value = match serde_json::from_slice(&bytes) {
                Ok(v) => v,
                Err(e) => bail!(
                    "输入JSON无效（第{}行第{}列）/ invalid input JSON at line {} column {}: {e}",
                    e.line(),
                    e.column(),
                    e.line(),
                    e.column()
                ),
            };
            match weihua_qra::run_model(&name, value) {
                Ok(out) => println!("{}", serde_json::to_string_pretty(&out)?),
                Err(e) => {
                    eprintln!("{e}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Gb18218 {
            command: Gb18218Command::Reassess { store },
        } => {
            let s = store.open().await?;
            let mut tx = s.write(&Actor::system("cli-gb18218")).await?;
            let n = s.reassess_all(&mut tx).await.map_err(store_err)?;
            tx.commit().await?;
            s.close().await;
            println!("已重新辨识 re-assessed {n} installations");
        }
        Command::Export { store, out } => {
            let s = store.open().await?;
            let bytes = weihua_ledger::export_xlsx(&s, &Scope::National).await;
            s.close().await;
            let bytes = bytes?;
            write_durably(&out, &bytes)?;
            println!("已导出 exported {} bytes to {}", bytes.len(), out.display());
        }
        Command::Bench { command } => match command {
            BenchCommand::Ingest(bench::BenchCommand::Ingest(args)) => bench::ingest(args).await?,
            BenchCommand::Alarm(args) => bench_alarm::alarm(args).await?,
        },
    }
    Ok(std::process::ExitCode::SUCCESS)
}

fn store_err(e: weihua_store::StoreError) -> anyhow::Error {
    match e {
        weihua_store::StoreError::Invalid { field, zh, en } => {
            anyhow::anyhow!("{field}: {zh} / {en}")
        }
        weihua_store::StoreError::Conflict { field, zh, en } => {
            anyhow::anyhow!("{field}: {zh} / {en}")
        }
        weihua_store::StoreError::NotFound { entity } => {
            anyhow::anyhow!("未找到 not found: {entity}")
        }
        other => anyhow::anyhow!(other),
    }
}

fn read_password() -> Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    Ok(s.trim_end_matches(['\r', '\n']).to_string())
}

/// `weihua qra site FILE --out DIR`: exit 0 done, 1 the study was refused (the
/// message says which field and why), 2 the file is not JSON.
fn qra_site(file: &Path, out: &Path) -> Result<std::process::ExitCode> {
    use std::process::ExitCode;
    let bytes = read_input(file)?;
    let input: weihua_qra::site::StudyInput = {
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(&mut de) {
            Ok(v) => v,
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                if inner.is_syntax() || inner.is_eof() {
                    eprintln!(
                        "评价文件不是有效的JSON（第{}行第{}列）/ the study file is not valid JSON at line {} column {}: {inner}",
                        inner.line(),
                        inner.column(),
                        inner.line(),
                        inner.column()
                    );
                    return Ok(ExitCode::from(2));
                }
                eprintln!(
                    "评价文件字段 {path} 无效（第{}行）/ study field {path} is invalid (line {}): {inner}",
                    inner.line(),
                    inner.line()
                );
                return Ok(ExitCode::from(1));
            }
        }
    };
    let started = std::time::Instant::now();
    let result = match weihua_qra::site::assess_study(&input) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::from(1));
        }
    };
    let elapsed = started.elapsed();
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let a = &result.assessment;
    let contours = a
        .geojson
        .clone()
        .unwrap_or_else(|| serde_json::json!({"type": "FeatureCollection", "features": []}));
    write_durably(
        &out.join("contours.geojson"),
        serde_json::to_string_pretty(&contours)?.as_bytes(),
    )?;
    write_durably(
        &out.join("fn.csv"),
        weihua_qra::report::fn_curve_csv(&input, &result).as_bytes(),
    )?;
    write_durably(
        &out.join("distances.json"),
        serde_json::to_string_pretty(&weihua_qra::report::distances_json(&input, &result))?
            .as_bytes(),
    )?;
    let generated = (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%d %H:%M（北京时间 / UTC+8）")
        .to_string();
    write_durably(
        &out.join("report.html"),
        weihua_qra::report::html_report(&input, &result, &generated).as_bytes(),
    )?;
    println!(
        "{}: {} scenarios, {} risk events, {} weather classes; {:.2} s",
        result.name,
        result.scenarios.len(),
        result.events,
        input.weather.len(),
        elapsed.as_secs_f64()
    );
    println!(
        "max individual risk {:.2e}/year; PLL {:.2e}/year; F-N region {:?}",
        a.max_ir_per_year, a.pll_per_year, a.fn_evaluation.region
    );
    for d in &a.external_safety_distances {
        for c in &d.classes {
            println!(
                "  {} {} ({:.0e}/year): {:.0} m{}",
                d.installation_id,
                c.class_zh,
                c.criterion_per_year,
                c.distance.distance_m,
                if c.distance.truncated_by_grid {
                    " (grid edge: at least)"
                } else {
                    ""
                }
            );
        }
    }
    for w in &result.warnings {
        eprintln!("warning: {w}");
    }
    println!("written to {}", out.display());
    Ok(ExitCode::SUCCESS)
}

fn read_input(file: &Path) -> Result<Vec<u8>> {
    if file == Path::new("-") {
        let mut v = Vec::new();
        std::io::stdin().read_to_end(&mut v)?;
        Ok(v)
    } else {
        std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))
    }
}

fn write_durably(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut f =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

/// The server state with telemetry: the historian lives in DIR/historian.
fn app_state(store: Store, data_dir: &Path, secure_cookies: bool) -> Result<AppState> {
    let dir = data_dir.join("historian");
    let historian =
        weihua_historian::Historian::open(&dir, weihua_historian::HistorianConfig::default())
            .with_context(|| format!("cannot open the historian in {}", dir.display()))?;
    tracing::info!(recovery = ?historian.recovery_report(), "historian opened");
    let auth = AuthConfig {
        secure_cookies,
        ..AuthConfig::default()
    };
    Ok(AppState::new(store, auth)
        .with_files(data_dir.join("files"))
        .with_telemetry(historian))
}

async fn serve(
    state: AppState,
    router: axum::Router,
    listen: &str,
    creds: Option<&Path>,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    let url = format!("http://{host}:{}/", addr.port());
    println!("weihua 已启动 listening: {url}");
    println!("  控制台 console: {url}");
    println!("  接口文档 OpenAPI: {url}api/openapi.json");
    if let Some(path) = creds
        && let Ok(text) = std::fs::read_to_string(path)
        && let Ok(c) = serde_json::from_str::<weihua_demo::DemoCredentials>(&text)
    {
        println!("  演示账号 demo logins (also in {}):", path.display());
        for u in &c.users {
            println!(
                "    {:<14} {:<18} {:<20} {}",
                u.username, u.password, u.role, u.scope
            );
        }
    }
    weihua_server::serve_app(state, router, listener).await
}
