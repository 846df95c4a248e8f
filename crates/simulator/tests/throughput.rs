//! 性能 — how much faster than real time the demo-sized park is generated.
//! Run with `--nocapture` (and `--release` for the real figure) to see it.

mod common;

use std::time::Instant;
use weihua_simulator::{ScenarioConfig, Simulator, line_protocol};

#[test]
fn demo_sized_park_runs_far_faster_than_real_time() {
    let specs = common::park(64);
    assert_eq!(specs.len(), 768);
    let mut sim = Simulator::new(specs, ScenarioConfig::default(), 2024).unwrap();
    let steps = 600; // ten simulated minutes at the 1 s cadence
    let start = Instant::now();
    let mut samples = 0usize;
    let mut bytes = 0usize;
    for k in 0..steps {
        let batch = sim.step(common::T0 + k * 1000);
        samples += batch.len();
        if k % 60 == 0 {
            bytes += line_protocol(&batch).len();
        }
    }
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    let speedup = steps as f64 / secs;
    println!(
        "768 points: {samples} samples in {secs:.3} s = {:.0} samples/s, {speedup:.0}× real time \
         ({bytes} bytes of line protocol for 10 of the steps)",
        samples as f64 / secs
    );
    // Even an unoptimised build must be well ahead of the 1 s cadence.
    assert!(speedup > 20.0, "only {speedup:.1}× real time");
}
