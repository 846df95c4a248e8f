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
