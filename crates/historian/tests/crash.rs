//! Crash test: a child process appends in a loop and prints every
//! acknowledgement; the parent kills it with SIGKILL mid-write, reopens the
//! historian and checks that every acknowledged sample is there.
//!
//! The child is this test binary itself, re-executed with
//! `WEIHUA_CRASH_CHILD_DIR` set and filtered to `crash_writer_child`.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use weihua_historian::{Error, Historian, HistorianConfig, SeriesId};

const CHILD_ENV: &str = "WEIHUA_CRASH_CHILD_DIR";
const WRITERS: u32 = 4;
const BATCH: i64 = 50;

/// Small segments and chunks, so that the child rotates segments, compacts
/// and deletes checkpointed segments while it is being killed.
fn crash_config() -> HistorianConfig {
    HistorianConfig {
        wal_segment_bytes: 16 * 1024,
        chunk_max_samples: 400,
        ..HistorianConfig::default()
    }
}

/// The child: a no-op unless started by the parent below.
#[test]
fn crash_writer_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let h = open(std::path::Path::new(&dir), crash_config());
    let rt = rt();
    let deadline = Instant::now() + Duration::from_secs(20); // if the parent is gone
    let out = Arc::new(Mutex::new(std::io::stdout()));
    rt.block_on(async {
        let mut tasks = Vec::new();
        for k in 0..WRITERS {
            let h = h.clone();
            let out = out.clone();
            tasks.push(tokio::spawn(async move {
                let mut next = 0i64;
                while Instant::now() < deadline {
                    match h.append(batch(k, next..next + BATCH)).await {
                        Ok(_) => {
                            next += BATCH;
                            // Printed only after the append resolved (durable).
                            if let Ok(mut o) = out.lock() {
                                let _ = writeln!(o, "ACK {k} {}", next - 1);
                                let _ = o.flush();
                            }
                        }
                        Err(Error::Overloaded { retry_after, .. }) => {
                            tokio::time::sleep(retry_after.min(Duration::from_millis(5))).await;
                        }
                        Err(e) => panic!("append: {e}"),
                    }
                }
            }));
        }
        // Checkpoints (compaction + segment deletion) race with the kill too.
        let flusher = {
            let h = h.clone();
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    tokio::time::sleep(Duration::from_millis(150)).await;
                    let _ = h.flush_all().await;
                }
            })
        };
        for t in tasks {
            let _ = t.await;
        }
        let _ = flusher.await;
    });
}

#[test]
fn sigkill_during_appends_loses_no_acknowledged_sample() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let mut child = Command::new(exe)
        .args([
            "--exact",
            "crash_writer_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn child: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let acked: Arc<Mutex<HashMap<u32, i64>>> = Arc::default();
    let reader = {
        let acked = acked.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let mut parts = line.split_whitespace();
                if parts.next() != Some("ACK") {
                    continue;
                }
                let (Some(k), Some(ts)) = (parts.next(), parts.next()) else {
                    continue;
                };
                let (Ok(k), Ok(ts)) = (k.parse::<u32>(), ts.parse::<i64>()) else {
                    continue;
                };
                if let Ok(mut m) = acked.lock() {
                    let e = m.entry(k).or_insert(ts);
                    *e = (*e).max(ts);
                }
            }
        })
    };
    // Wait for the first acknowledgements, then let it run for about a second.
    let start = Instant::now();
    while acked.lock().map(|m| m.is_empty()).unwrap_or(true)
        && start.elapsed() < Duration::from_secs(15)
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(1000));
    child.kill().unwrap_or_else(|e| panic!("SIGKILL: {e}")); // SIGKILL on Unix
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert!(!status.success(), "the child was killed, not finished");
    let _ = reader.join();
    let acked = acked.lock().map(|m| m.clone()).unwrap_or_default();
    assert_eq!(
        acked.len() as u32,
        WRITERS,
        "every writer was acknowledged: {acked:?}"
    );

    let h = Historian::open(dir.path(), crash_config()).unwrap_or_else(|e| panic!("reopen: {e}"));
    let mut total = 0;
    for (k, last) in &acked {
        let got = h
            .range(SeriesId(*k), 0, last + 1)
            .unwrap_or_else(|e| panic!("range: {e}"));
        let missing: Vec<i64> = {
            let have: std::collections::HashSet<i64> = got.iter().map(|p| p.0).collect();
            (0..=*last).filter(|t| !have.contains(t)).collect()
        };
        assert!(
            missing.is_empty(),
            "series {k}: {} acknowledged samples missing, first {:?}",
            missing.len(),
            missing.first()
        );
        assert!(
            got.iter().all(|(t, v)| *v == value_of(*k, *t)),
            "series {k}: a value changed"
        );
        total += got.len();
    }
    let r = h.recovery_report();
    eprintln!(
        "crash test: {total} acknowledged samples all present; replayed {} records, {} chunks, truncations {:?}",
        r.wal_records, r.chunks, r.truncations
    );
    assert!(total > 0);
}
