//! In-process append throughput with group commit.
//!
//! N concurrent writers append batches of B samples (each writer its own
//! series, 1 Hz timestamps) for a fixed time; every append waits for its
//! fsync. Prints samples/s, batches/s and fsyncs/s, with 1 writer (one fsync
//! per batch, no grouping) as the baseline in the same run, and the per-core
//! anchor of the reference (LindormTSDB's claim: ≥ 100,000 points/s per core).
//!
//! Run: `CARGO_TARGET_DIR=/work/target-historian cargo bench -p weihua-historian --bench append`
//! (`WEIHUA_BENCH_SECS` sets the seconds per case, default 2.)

use std::time::{Duration, Instant};

use weihua_historian::{Error, Historian, HistorianConfig, Sample, SeriesId};

fn run(writers: u32, batch: i64, secs: f64) -> (f64, f64, f64, u64) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let h = Historian::open(dir.path(), HistorianConfig::default())
        .unwrap_or_else(|e| panic!("open: {e}"));
    let dur = Duration::from_secs_f64(secs);
    let start = Instant::now();
    let refused = rt.block_on(async {
        let mut tasks = Vec::new();
        for k in 0..writers {
            let h = h.clone();
            tasks.push(tokio::spawn(async move {
                let mut t = 1_767_225_600_000i64;
                let mut refused = 0u64;
                while start.elapsed() < dur {
                    let b: Vec<Sample> = (0..batch)
                        .map(|i| {
                            Sample::good(SeriesId(k), t + i * 1000, 20.0 + (i % 100) as f64 * 0.01)
                        })
                        .collect();
                    match h.append(b).await {
                        Ok(_) => t += batch * 1000,
                        Err(Error::Overloaded { .. }) => {
                            refused += 1;
                            tokio::time::sleep(Duration::from_millis(1)).await;
                        }
                        Err(e) => panic!("append: {e}"),
                    }
                }
                refused
            }));
        }
        let mut refused = 0;
        for t in tasks {
            refused += t.await.unwrap_or(0);
        }
        refused
    });
    let el = start.elapsed().as_secs_f64();
    let st = h.stats();
    (
        st.appended_samples as f64 / el,
        st.appended_batches as f64 / el,
        st.wal_syncs as f64 / el,
        refused,
    )
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run briefly.
    let benching = std::env::args().any(|a| a == "--bench");
    let secs: f64 = std::env::var("WEIHUA_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if benching { 2.0 } else { 0.2 });
    println!(
        "append throughput, group commit (each append waits for its fsync), {secs} s per case"
    );
    println!(
        "anchor: ≥ 100,000 points/s per core (LindormTSDB, vendor claim); this machine: 2 cores"
    );
    println!(
        "{:>8} {:>7} {:>14} {:>12} {:>10} {:>14} {:>9}",
        "writers", "batch", "samples/s", "batches/s", "fsyncs/s", "batches/fsync", "refused"
    );
    let mut baseline = None;
    for (writers, batch) in [
        (1, 100),
        (8, 100),
        (64, 100),
        (1, 1000),
        (8, 1000),
        (64, 1000),
        (64, 5000),
    ] {
        let (sps, bps, fps, refused) = run(writers, batch, secs);
        if writers == 1 && batch == 100 {
            baseline = Some(sps);
        }
        println!(
            "{writers:>8} {batch:>7} {sps:>14.0} {bps:>12.0} {fps:>10.0} {:>14.1} {refused:>9}",
            bps / fps.max(1e-9)
        );
    }
    if let Some(b) = baseline {
        println!("baseline (1 writer × 100, no grouping possible): {b:.0} samples/s");
    }
}
