//! MQTT ingest against the real Mosquitto broker on this machine, published
//! with `mosquitto_pub` at QoS 1. Skipped (with a line saying so) where no
//! broker runs, except under CI, where it must run.

mod common;

use common::*;
use std::sync::Arc;
use std::time::Duration;
use weihua_server::mqtt::{MqttConfig, MqttStats, run};

fn broker_up() -> bool {
    std::net::TcpStream::connect_timeout(&"127.0.0.1:1883".parse().unwrap(), Duration::from_secs(1))
        .is_ok()
}

fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
        || std::env::var("WEIHUA_REQUIRE_CLIENTS").is_ok()
}

fn publish(topic: &str, payload: &str) {
    let st = std::process::Command::new("mosquitto_pub")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            "1883",
            "-q",
            "1",
            "-t",
            topic,
            "-m",
            payload,
        ])
        .status()
        .expect("mosquitto_pub");
    assert!(st.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mosquitto_pub_lines_reach_the_historian_and_bad_lines_are_counted() {
    if !broker_up() {
        assert!(
            !required(),
            "an MQTT broker on 127.0.0.1:1883 is required here (scripts/services.sh starts Mosquitto)"
        );
        eprintln!("SKIPPED mosquitto_pub_lines_reach_the_historian…: no broker on 127.0.0.1:1883");
        return;
    }
    let app = TestApp::spawn_telemetry().await;
    let prefix = format!("weihua-test-{}", uuid::Uuid::now_v7().simple());
    let cfg =
        MqttConfig::from_url("mqtt://127.0.0.1:1883", &prefix, &format!("{prefix}-sub")).unwrap();
    let stats = Arc::new(MqttStats::default());
    let task = tokio::spawn(run(app.state.clone(), cfg, stats.clone()));
    // Wait until subscribed: publish a probe until it is counted.
    let a = app.a.enterprise.id.clone();
    let t0 = weihua_store::now_ms() - 60_000;
    let mut subscribed = false;
    for i in 0..50 {
        publish(
            &format!("{prefix}/{a}/lp"),
            &format!(
                "m,point=LT-A01 value=0 {}",
                (t0 - 1000 - i) as i128 * 1_000_000
            ),
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
        if stats.messages.load(std::sync::atomic::Ordering::Relaxed) > 0 {
            subscribed = true;
            break;
        }
    }
    assert!(subscribed, "the subscriber never received a message");
    // Line protocol with one bad line, then JSON.
    publish(
        &format!("{prefix}/{a}/lp"),
        &format!(
            "m,point=LT-A01 value=1.5 {}\nm,point=NOPE value=1 {}",
            t0 as i128 * 1_000_000,
            t0 as i128 * 1_000_000
        ),
    );
    publish(
        &format!("{prefix}/{a}/json"),
        &format!(r#"[{{"point":"LT-A01","ts":{},"value":2.5}}]"#, t0 + 1000),
    );
    let user = app.login("admin_a").await;
    let mut got = serde_json::Value::Null;
    for _ in 0..50 {
        let q = app
            .call(
                "GET",
                &format!("/api/v1/points/LT-A01/samples?from={t0}&to={}", t0 + 2000),
                Some(&user),
                None,
            )
            .await;
        got = q.body["samples"].clone();
        if got.as_array().is_some_and(|s| s.len() == 2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        got,
        serde_json::json!([[t0, 1.5], [t0 + 1000, 2.5]]),
        "stats {stats:?}"
    );
    assert!(
        stats.rejected.load(std::sync::atomic::Ordering::Relaxed) >= 1,
        "the unknown tag was counted"
    );
    task.abort();
}

/// Our own broker on a spare port, so the test can stop and restart it.
fn start_broker(port: u16) -> Option<std::process::Child> {
    // Debian installs the broker in /usr/sbin, which a plain PATH may lack.
    let child = ["mosquitto", "/usr/sbin/mosquitto"]
        .iter()
        .find_map(|bin| {
            std::process::Command::new(bin)
                .args(["-p", &port.to_string()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .ok()
        })?;
    for _ in 0..50 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(child);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_subscriber_resubscribes_after_the_broker_restarts() {
    let port = 18830 + (std::process::id() % 100) as u16;
    let Some(mut broker) = start_broker(port) else {
        assert!(!required(), "mosquitto is required here");
        eprintln!("SKIPPED the_subscriber_resubscribes…: cannot start mosquitto");
        return;
    };
    let app = TestApp::spawn_telemetry().await;
    let prefix = "weihua-restart";
    let cfg = MqttConfig::from_url(
        &format!("mqtt://127.0.0.1:{port}"),
        prefix,
        "weihua-restart-sub",
    )
    .unwrap();
    let stats = Arc::new(MqttStats::default());
    let task = tokio::spawn(run(app.state.clone(), cfg, stats.clone()));
    let a = app.a.enterprise.id.clone();
    let t0 = weihua_store::now_ms() - 60_000;
    let pubs = |ts: i64| {
        std::process::Command::new("mosquitto_pub")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-q",
                "1",
                "-t",
                &format!("{prefix}/{a}/lp"),
            ])
            .args([
                "-m",
                &format!("m,point=LT-A01 value=1 {}", ts as i128 * 1_000_000),
            ])
            .status()
            .is_ok_and(|s| s.success())
    };
    let accepted = || stats.accepted.load(std::sync::atomic::Ordering::Relaxed);
    // Before the restart.
    for i in 0..50 {
        assert!(pubs(t0 + i));
        tokio::time::sleep(Duration::from_millis(200)).await;
        if accepted() > 0 {
            break;
        }
    }
    assert!(accepted() > 0, "nothing received before the restart");
    // Restart the broker (it forgets every session and subscription).
    broker.kill().unwrap();
    let _ = broker.wait();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut broker = start_broker(port).expect("broker restarts");
    let before = accepted();
    let mut got = false;
    for i in 0..60 {
        let _ = pubs(t0 + 10_000 + i);
        tokio::time::sleep(Duration::from_millis(250)).await;
        if accepted() > before {
            got = true;
            break;
        }
    }
    task.abort();
    let _ = broker.kill();
    let _ = broker.wait();
    assert!(
        got,
        "no message after the broker restarted: the subscription was not renewed ({stats:?})"
    );
    assert!(stats.reconnects.load(std::sync::atomic::Ordering::Relaxed) >= 1);
}
