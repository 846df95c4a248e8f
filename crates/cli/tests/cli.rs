//! The `weihua` binary end to end: admin, audit verify (catching a one-byte
//! edit of the database file), demo seeding, export and import.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn weihua(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_weihua"))
        .args(args)
        .env("WEIHUA_LOG", "warn")
        .env_remove("WEIHUA_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run weihua");
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn dir_arg(d: &Path) -> String {
    d.display().to_string()
}

#[test]
fn audit_verify_catches_one_edited_byte_in_the_database_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = dir_arg(tmp.path());
    let o = weihua(
        &[
            "admin",
            "create-user",
            "--data-dir",
            &d,
            "--username",
            "tamper.me",
            "--role",
            "ministry_regulator",
            "--scope",
            "national",
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("password: "),
        "a generated password is printed once"
    );
    let o = weihua(
        &[
            "admin",
            "create-user",
            "--data-dir",
            &d,
            "--username",
            "second",
            "--role",
            "ministry_regulator",
            "--scope",
            "national",
            "--password-stdin",
        ],
        Some("Another-pass-42\n"),
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = weihua(&["audit", "verify", "--data-dir", &d], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).starts_with("OK"), "{}", text(&o));
    assert!(text(&o).contains("2 entries"), "{}", text(&o));

    // Flip one byte of the first audit entry inside the SQLite file. The
    // marker `"username":"tamper.me"` is only in the audit JSON.
    let db = tmp.path().join("weihua.db");
    assert!(
        !tmp.path().join("weihua.db-wal").exists()
            || std::fs::metadata(tmp.path().join("weihua.db-wal"))
                .unwrap()
                .len()
                == 0,
        "WAL checkpointed on close"
    );
    let mut bytes = std::fs::read(&db).unwrap();
    let marker = b"\"username\":\"tamper.me\"";
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("marker in file");
    assert!(
        bytes[at + marker.len()..]
            .windows(marker.len())
            .all(|w| w != marker),
        "marker is unique"
    );
    bytes[at + 12] = b'T'; // tamper.me -> Tamper.me
    std::fs::write(&db, &bytes).unwrap();

    let o = weihua(&["audit", "verify", "--data-dir", &d], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("BROKEN"), "{}", text(&o));
    assert!(
        text(&o).contains("entry 1"),
        "the first broken entry is named: {}",
        text(&o)
    );
}

#[test]
fn create_user_refuses_bad_role_scope_and_weak_password() {
    let tmp = tempfile::tempdir().unwrap();
    let d = dir_arg(tmp.path());
    let o = weihua(
        &[
            "admin",
            "create-user",
            "--data-dir",
            &d,
            "--username",
            "user1",
            "--role",
            "emperor",
            "--scope",
            "national",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("unknown role"), "{}", text(&o));
    let o = weihua(
        &[
            "admin",
            "create-user",
            "--data-dir",
            &d,
            "--username",
            "user2",
            "--role",
            "county_regulator",
            "--scope",
            "region:320000",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("does not fit"), "{}", text(&o));
    let o = weihua(
        &[
            "admin",
            "create-user",
            "--data-dir",
            &d,
            "--username",
            "user3",
            "--role",
            "ministry_regulator",
            "--scope",
            "national",
            "--password-stdin",
        ],
        Some("short"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("at least 10"), "{}", text(&o));
}

#[test]
fn demo_seeds_once_writes_credentials_and_round_trips_the_ledger() {
    let tmp = tempfile::tempdir().unwrap();
    let d = dir_arg(tmp.path());
    let o = weihua(&["demo", "--data-dir", &d, "--no-serve"], None);
    assert!(o.status.success(), "{}", text(&o));
    let creds: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("demo-credentials.json")).unwrap())
            .unwrap();
    let users = creds["users"].as_array().unwrap();
    for role in [
        "ministry_regulator",
        "province_regulator",
        "city_regulator",
        "county_regulator",
        "park_admin",
        "enterprise_admin",
        "safety_manager",
        "operator",
    ] {
        assert!(
            users.iter().any(|u| u["role"] == role),
            "no {role} in demo users"
        );
    }
    assert!(
        users.iter().all(|u| u["username"].is_string()
            && u["password"].is_string()
            && u["scope"].is_string())
    );
    assert!(creds["ingest_tokens"].as_array().unwrap().len() >= 8);
    // A second run keeps the data.
    let o = weihua(&["demo", "--data-dir", &d, "--no-serve"], None);
    assert!(o.status.success());
    assert!(text(&o).contains("already holds data"), "{}", text(&o));
    let o = weihua(&["audit", "verify", "--data-dir", &d], None);
    assert!(o.status.success(), "{}", text(&o));

    // Export the demo ledger.
    let xlsx = tmp.path().join("ledger.xlsx");
    let o = weihua(
        &[
            "export",
            "--data-dir",
            &d,
            "--out",
            &xlsx.display().to_string(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 10_000);
    // Importing it again into the same store conflicts everywhere and changes nothing.
    let before = std::fs::read(tmp.path().join("weihua.db")).unwrap().len();
    let o = weihua(
        &["import", "--data-dir", &d, &xlsx.display().to_string()],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("nothing was written"), "{}", text(&o));
    let o = weihua(&["audit", "verify", "--data-dir", &d], None);
    assert!(o.status.success());
    let _ = before;

    // A CSV with a bad row is refused with its row number.
    let csv = tmp.path().join("points.csv");
    std::fs::write(&csv, "enterprise_credit_code,installation_code,tag,name,indicator,unit,range_low,range_high\n91000000000000000X,MHI-1,TT-1,温度,temperature,°C,0,100\n").unwrap();
    let o = weihua(
        &[
            "import",
            "--data-dir",
            &d,
            &csv.display().to_string(),
            "--kind",
            "points",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("row 2"), "{}", text(&o));
}

#[test]
fn gb18218_assess_prints_json_or_a_chinese_table_and_refuses_bad_input() {
    let input = r#"{"units":[{"id":"罐区A","kind":"storage","people_within_500m":60,"substances":[{"name":"二氧化硫","cas":"7446-09-5","table1_no":4,"categories":["J3"],"quantity_t":200}]}]}"#;
    let o = weihua(&["gb18218", "assess", "-"], Some(input));
    assert!(o.status.success(), "{}", text(&o));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let u = &out["units"][0];
    assert_eq!(
        (u["S"].as_f64(), u["R"].as_f64(), u["grade"].as_i64()),
        (Some(10.0), Some(30.0), Some(3))
    );
    assert_eq!(u["substances"][0]["Q_t"], 20.0);
    let o = weihua(
        &["gb18218", "assess", "-", "--format", "table"],
        Some(input),
    );
    assert!(o.status.success());
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(t.contains("三级") && t.contains("表1 第4项"), "{t}");
    // Unknown substance without categories: exit 1 and the error names it.
    let o = weihua(
        &["gb18218", "assess", "-"],
        Some(
            r#"{"units":[{"id":"U","kind":"storage","people_within_500m":1,"substances":[{"name":"未知物","quantity_t":1}]}]}"#,
        ),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("未知物"), "{}", text(&o));
    // Malformed JSON: exit 2 with the line and column.
    let o = weihua(&["gb18218", "assess", "-"], Some("{\n\"units\": [}"));
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("line 2"), "{}", text(&o));
}

#[test]
fn qra_models_take_json_on_stdin_and_refuse_bad_input_with_both_languages() {
    let o = weihua(&["qra", "models"], None);
    assert!(o.status.success(), "{}", text(&o));
    let list = String::from_utf8_lossy(&o.stdout);
    for m in ["gaussian_puff", "kingery_bulmash", "gas_orifice"] {
        assert!(list.contains(m), "{list}");
    }
    // 1 kg TNT at 1 m (Z = 1 m/kg^1/3): Kingery–Bulmash gives about 1354 kPa.
    let o = weihua(
        &["qra", "model", "kingery_bulmash"],
        Some(r#"{"tnt_mass_kg": 1.0, "distance_m": 1.0}"#),
    );
    assert!(o.status.success(), "{}", text(&o));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let p = out["incident_overpressure_kpa"].as_f64().unwrap();
    assert!((p - 1354.0).abs() / 1354.0 < 0.01, "{p}");
    // Out of the fit's range, an unknown model, malformed JSON: refused, nothing printed on stdout.
    let o = weihua(
        &["qra", "model", "kingery_bulmash"],
        Some(r#"{"tnt_mass_kg": 1.0, "distance_m": 10000.0}"#),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(o.stdout.is_empty());
    let o = weihua(&["qra", "model", "magic"], Some("{}"));
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("magic"), "{}", text(&o));
    let o = weihua(
        &["qra", "model", "gas_orifice"],
        Some("{\n\"upstream_pressure_pa\": }"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("line 2"), "{}", text(&o));
}

/// A running `weihua demo --no-simulator` on a free port; killed on drop.
struct Running {
    child: std::process::Child,
    url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_demo(dir: &Path) -> Running {
    start_demo_with(dir, false, None)
}

/// `weihua demo`, with or without the live simulator (and its scenario overrides).
fn start_demo_with(dir: &Path, simulator: bool, scenario: Option<&str>) -> Running {
    use std::io::BufRead;
    let data_dir = dir_arg(dir);
    let mut args = vec!["demo", "--listen", "127.0.0.1:0", "--data-dir", &data_dir];
    if !simulator {
        args.push("--no-simulator");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_weihua"))
        .args(&args)
        .env("WEIHUA_DEMO_SCENARIO", scenario.unwrap_or(""))
        .env("WEIHUA_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    // Keep draining stdout in a thread: a closed pipe would kill the server
    // at its next println.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(rest) = line.split("listening: ").nth(1) {
                let _ = tx.send(rest.trim().trim_end_matches('/').to_string());
            }
        }
    });
    let url = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .unwrap_or_default();
    assert!(url.starts_with("http://"), "no URL printed");
    Running { child, url }
}

fn http(method: &str, url: &str, token: Option<&str>, body: Option<&str>) -> (u16, String) {
    // A tiny HTTP/1.1 client over std: enough for these checks.
    use std::io::Read;
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let mut s = std::net::TcpStream::connect(host).unwrap();
    let body = body.unwrap_or("");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status: u16 = resp.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn the_official_influxdb_python_client_writes_into_weihua() {
    let have_client = Command::new("python3")
        .args(["-c", "import influxdb_client"])
        .status()
        .is_ok_and(|s| s.success());
    if !have_client {
        let required = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
            || std::env::var("WEIHUA_REQUIRE_CLIENTS").is_ok();
        assert!(
            !required,
            "the influxdb-client Python package is required here (scripts/test.sh installs it)"
        );
        eprintln!(
            "SKIPPED the_official_influxdb_python_client_writes_into_weihua: python3 influxdb-client not installed"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let o = weihua(
        &["demo", "--data-dir", &dir_arg(tmp.path()), "--no-serve"],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let creds: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("demo-credentials.json")).unwrap())
            .unwrap();
    let user = creds["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "e1.safety")
        .unwrap();
    let enterprise = user["scope"]
        .as_str()
        .unwrap()
        .trim_start_matches("enterprise:")
        .to_string();
    let token = creds["ingest_tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["enterprise_id"] == enterprise.as_str())
        .unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let server = start_demo(tmp.path());
    // A user of e1 logs in and picks one of e1's points.
    let login = format!(
        r#"{{"username":"e1.safety","password":"{}"}}"#,
        user["password"].as_str().unwrap()
    );
    let (st, body) = http(
        "POST",
        &format!("{}/api/v1/auth/login", server.url),
        None,
        Some(&login),
    );
    assert_eq!(st, 200, "{body}");
    let session = serde_json::from_str::<serde_json::Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, body) = http(
        "GET",
        &format!("{}/api/v1/points?limit=1&indicator=temperature", server.url),
        Some(&session),
        None,
    );
    let tag = serde_json::from_str::<serde_json::Value>(&body).unwrap()["items"][0]["tag"]
        .as_str()
        .unwrap()
        .to_string();
    let start = chrono::Utc::now().timestamp_millis() - 120_000;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/influx_write.py");
    let out = Command::new("python3")
        .args([script, &server.url, &token, &tag, &start.to_string(), "60"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let (st, body) = http(
        "GET",
        &format!(
            "{}/api/v1/points/{tag}/samples?from={start}&to={}",
            server.url,
            start + 60_000
        ),
        Some(&session),
        None,
    );
    assert_eq!(st, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let samples = v["samples"].as_array().unwrap();
    assert_eq!(samples.len(), 60, "every acknowledged point is stored");
    assert_eq!(samples[59], serde_json::json!([start + 59_000, 59.0]));
}

/// POST raw line protocol with an ingest token; the status code, or None if
/// the connection broke (server killed).
fn post_lines(url: &str, token: &str, body: &str) -> Option<u16> {
    use std::io::Read;
    let rest = url.strip_prefix("http://")?;
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}")))?;
    let mut s = std::net::TcpStream::connect(host).ok()?;
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nAuthorization: Token {token}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut resp = String::new();
    s.read_to_string(&mut resp).ok()?;
    resp.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn kill_9_under_load_loses_no_acknowledged_sample() {
    let tmp = tempfile::tempdir().unwrap();
    let o = weihua(
        &["demo", "--data-dir", &dir_arg(tmp.path()), "--no-serve"],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let creds: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("demo-credentials.json")).unwrap())
            .unwrap();
    let user = creds["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "e1.safety")
        .unwrap()
        .clone();
    let enterprise = user["scope"]
        .as_str()
        .unwrap()
        .trim_start_matches("enterprise:")
        .to_string();
    let token = creds["ingest_tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["enterprise_id"] == enterprise.as_str())
        .unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut server = start_demo(tmp.path());
    let login = format!(
        r#"{{"username":"e1.safety","password":"{}"}}"#,
        user["password"].as_str().unwrap()
    );
    let session = |url: &str| {
        let (st, body) = http(
            "POST",
            &format!("{url}/api/v1/auth/login"),
            None,
            Some(&login),
        );
        assert_eq!(st, 200, "{body}");
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let s1 = session(&server.url);
    let (_, body) = http(
        "GET",
        &format!("{}/api/v1/points?limit=4&indicator=temperature", server.url),
        Some(&s1),
        None,
    );
    let tags: Vec<String> = serde_json::from_str::<serde_json::Value>(&body).unwrap()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["tag"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(tags.len(), 4);
    // Four writers, each on its own point, 200 samples a batch, 1 ms apart.
    let t0 = chrono::Utc::now().timestamp_millis() - 3_600_000;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for (w, tag) in tags.iter().cloned().enumerate() {
        let (url, token, stop) = (server.url.clone(), token.clone(), stop.clone());
        writers.push(std::thread::spawn(move || {
            let mut acked = 0i64; // samples acknowledged, all with ts < t0 + acked
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let body: String = (0..200)
                    .map(|i| format!("m,point={tag} value={} {}\n", w, t0 + acked + i))
                    .collect();
                match post_lines(&format!("{url}/api/v2/write?precision=ms"), &token, &body) {
                    Some(204) => acked += 200,
                    Some(other) => panic!("write refused: {other}"),
                    None => break, // the server is gone
                }
            }
            (tag, acked)
        }));
    }
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // kill -9 while the writers are writing.
    server.child.kill().unwrap();
    let _ = server.child.wait();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let acked: Vec<(String, i64)> = writers.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(
        acked.iter().all(|(_, n)| *n > 0),
        "every writer got acknowledgements: {acked:?}"
    );
    // Restart: the log is replayed; every acknowledged sample is there.
    let server = start_demo(tmp.path());
    let s2 = session(&server.url);
    for (tag, n) in &acked {
        let (st, body) = http(
            "GET",
            &format!(
                "{}/api/v1/points/{tag}/samples?from={t0}&to={}",
                server.url,
                t0 + n + 10_000
            ),
            Some(&s2),
            None,
        );
        assert_eq!(st, 200, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let got = v["samples"].as_array().unwrap();
        let have: std::collections::HashSet<i64> =
            got.iter().map(|s| s[0].as_i64().unwrap()).collect();
        let missing = (t0..t0 + n).filter(|ts| !have.contains(ts)).count();
        assert_eq!(
            missing, 0,
            "{tag}: {missing} of {n} acknowledged samples missing after kill -9"
        );
        eprintln!(
            "{tag}: {n} acknowledged, {} stored after restart",
            got.len()
        );
    }
}

/// Reads server-sent events from `url` with a bearer token until `done`
/// returns true for the collected events or the time runs out.
fn sse_until(
    url: &str,
    token: &str,
    wait: std::time::Duration,
    mut done: impl FnMut(&[(String, serde_json::Value)]) -> bool,
) -> Vec<(String, serde_json::Value)> {
    use std::io::BufRead;
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap();
    let mut s = std::net::TcpStream::connect(host).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(2)))
        .unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\nAuthorization: Bearer {token}\r\n\r\n"
    )
    .unwrap();
    let deadline = std::time::Instant::now() + wait;
    let mut r = std::io::BufReader::new(s);
    let mut events = Vec::new();
    let mut kind = String::new();
    let mut line = String::new();
    while std::time::Instant::now() < deadline {
        line.clear();
        match r.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(_) => continue, // read timeout: check the deadline
        }
        let l = line.trim_end();
        if let Some(v) = l.strip_prefix("event:") {
            kind = v.trim().to_string();
        } else if let Some(v) = l.strip_prefix("data:")
            && let Ok(json) = serde_json::from_str(v.trim())
        {
            events.push((kind.clone(), json));
            if done(&events) {
                break;
            }
        }
    }
    events
}

#[test]
fn the_demo_leak_raises_alarms_and_changes_the_colour_live() {
    let dir = tempfile::tempdir().unwrap();
    // The simulator's first leak at once, rising in 3–4 s past alarm 2; no other episodes.
    let scenario = r#"{"leak_first_after_s": 1, "leak_rise_s": {"min": 3, "max": 4},
        "leak_alarm2_probability": 1.0, "leak_hold_s": {"min": 60, "max": 60},
        "fault_mean_interval_s": null, "gateway_silence_mean_interval_s": null,
        "overfill_mean_interval_s": null}"#;
    let demo = start_demo_with(dir.path(), true, Some(scenario));
    let creds: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap(),
    )
    .unwrap();
    let user = creds["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "park_admin")
        .unwrap();
    let (status, body) = http(
        "POST",
        &format!("{}/api/v1/auth/login", demo.url),
        None,
        Some(&format!(
            r#"{{"username":"{}","password":"{}"}}"#,
            user["username"].as_str().unwrap(),
            user["password"].as_str().unwrap()
        )),
    );
    assert_eq!(status, 200, "{body}");
    let token = serde_json::from_str::<serde_json::Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    // Live: a gas alarm is raised on the park's stream, then its installation turns orange or red.
    let events = sse_until(
        &format!("{}/api/v1/events/stream", demo.url),
        &token,
        std::time::Duration::from_secs(90),
        |ev| {
            let gas: Vec<&serde_json::Value> = ev
                .iter()
                .filter(|(k, e)| {
                    k == "alarm"
                        && e["event"] == "activated"
                        && e["payload"]["kind"] == "limit"
                        && e["payload"]["unit"]
                            .as_str()
                            .is_some_and(|u| u == "%LEL" || u == "ppm")
                })
                .map(|(_, e)| e)
                .collect();
            gas.iter().any(|g| {
                ev.iter().any(|(k, e)| {
                    k == "risk"
                        && e["installation_id"] == g["installation_id"]
                        && (e["payload"]["level"] == "red" || e["payload"]["level"] == "orange")
                })
            })
        },
    );
    let gas = events.iter().find(|(k, e)| {
        k == "alarm" && e["event"] == "activated" && e["payload"]["kind"] == "limit"
    });
    let (_, alarm) = gas.unwrap_or_else(|| panic!("no gas alarm on the stream: {events:?}"));
    let summary = alarm["payload"]["summary_zh"].as_str().unwrap();
    assert!(
        summary.contains("一级报警") || summary.contains("二级报警"),
        "{summary}"
    );
    let risk = events.iter().find(|(k, e)| {
        k == "risk"
            && e["installation_id"] == alarm["installation_id"]
            && e["payload"]["level"] != "blue"
            && e["payload"]["level"] != "yellow"
    });
    let (_, risk) =
        risk.unwrap_or_else(|| panic!("the installation's colour did not change: {events:?}"));
    assert!(
        risk["payload"]["reasons"].to_string().contains("报警"),
        "{risk}"
    );
    // The same is visible by polling.
    let (status, alarms) = http(
        "GET",
        &format!("{}/api/v1/alarms?active=true", demo.url),
        Some(&token),
        None,
    );
    assert_eq!(status, 200);
    assert!(alarms.contains(alarm["alarm_id"].as_str().unwrap()));
}

/// A small study: one propane vessel, two weather classes, a target and some people.
fn small_study(name: &str) -> String {
    serde_json::json!({
        "name": name,
        "grid": {"origin_x_m": -500.0, "origin_y_m": -500.0, "width_m": 1000.0,
                 "height_m": 1000.0, "cell_size_m": 10.0,
                 "geo_origin": {"lat_deg": 31.945, "lon_deg": 120.565}},
        "weather": [
            {"id": "D5", "stability": "D", "wind_speed_m_s": 5.0, "probability": 0.5, "period": "day"},
            {"id": "F2", "stability": "F", "wind_speed_m_s": 2.0, "probability": 0.5, "period": "night"}
        ],
        "wind_rose": {"overall": vec![0.0625_f64; 16]},
        "installations": [{"id": "I1", "name": "球罐区",
            "boundary": {"type": "circle", "x_m": 0.0, "y_m": 0.0, "radius_m": 20.0},
            "equipment": [{"id": "TK-1", "loc": {"equipment": "pressure_vessel"}, "x_m": 0.0, "y_m": 0.0,
                           "substance": "74-98-6", "inventory_kg": 20000.0, "phase": "liquid"}]}],
        "population": [{"geometry": {"type": "point", "x_m": 200.0, "y_m": 0.0},
                        "day_count": 30.0, "night_count": 30.0}],
        "protected_targets": [{"id": "S", "name": "学校", "class": "high_sensitive",
                               "geometry": {"type": "point", "x_m": 0.0, "y_m": 400.0}}]
    })
    .to_string()
}

#[test]
fn qra_site_writes_contours_fn_curve_distances_and_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("study.json");
    std::fs::write(&file, small_study("球罐区 <评价>")).unwrap();
    let out = dir.path().join("out");
    let o = weihua(
        &[
            "qra",
            "site",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("scenarios") && stdout.contains("max individual risk"),
        "{stdout}"
    );
    let contours: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("contours.geojson")).unwrap())
            .unwrap();
    assert_eq!(contours["type"], "FeatureCollection");
    assert!(!contours["features"].as_array().unwrap().is_empty());
    let csv = std::fs::read_to_string(out.join("fn.csv")).unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("n,f_per_year"));
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        assert!(f[0].parse::<f64>().unwrap() >= 1.0, "{l}");
        assert!(f[1].parse::<f64>().unwrap() > 0.0, "{l}");
    }
    let d: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("distances.json")).unwrap())
            .unwrap();
    assert!(d.to_string().contains("I1"), "{d}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("&lt;评价&gt;"));
    assert!(!html.contains("<评价>"));

    // Not JSON: exit 2 with the line; a bad field: exit 1 naming it.
    std::fs::write(&file, "{\"name\": ").unwrap();
    let o = weihua(&["qra", "site", file.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 1"));
    let bad = small_study("x").replace("\"inventory_kg\":20000.0", "\"inventory_kg\":\"lots\"");
    std::fs::write(&file, bad).unwrap();
    let o = weihua(&["qra", "site", file.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("inventory_kg"), "{err}");
}

#[test]
fn threat_zone_settings_out_of_range_are_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let o = weihua(
        &[
            "serve",
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "--threat-hole-mm",
            "0",
        ],
        None,
    );
    assert!(!o.status.success());
    let t = text(&o);
    assert!(
        t.contains("--threat-hole-mm") && t.contains("between 1 and 2000"),
        "{t}"
    );
}
