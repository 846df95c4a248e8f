//! Synthetic plant signals for the codec measurements, benchmarks and tests.
//!
//! Deterministic (seeded) so numbers in BENCHMARKS and the crate docs can be
//! reproduced. All signals are sampled at 1 Hz starting at `start_ms`.

/// A generated signal.
#[derive(Clone, Debug)]
pub struct Signal {
    /// Short name used in reports.
    pub name: &'static str,
    /// Timestamps, epoch ms.
    pub ts: Vec<i64>,
    /// Values.
    pub values: Vec<f64>,
}

/// SplitMix64: a tiny deterministic generator (not for cryptography).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator with this seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

fn quantize(x: f64, step: f64) -> f64 {
    let q = (x / step).round() * step;
    // Print-and-parse like a gateway would ("25.37"), so the stored double is
    // the one nearest to the decimal, as in real data.
    let decimals = (-step.log10()).ceil().max(0.0) as usize;
    format!("{q:.decimals$}").parse().unwrap_or(q)
}

fn regular_ts(start_ms: i64, n: usize) -> Vec<i64> {
    (0..n as i64).map(|i| start_ms + i * 1000).collect()
}

/// Temperature, °C: 25 ± 6 daily cycle, slow drift, noise σ = 0.05, quantized to 0.01.
pub fn temperature(start_ms: i64, n: usize, seed: u64) -> Signal {
    let mut rng = Rng::new(seed);
    let values = (0..n)
        .map(|i| {
            let t = i as f64;
            let day = (std::f64::consts::TAU * t / 86_400.0).sin();
            let drift = 0.8 * (std::f64::consts::TAU * t / 604_800.0).sin();
            quantize(25.0 + 6.0 * day + drift + 0.05 * rng.normal(), 0.01)
        })
        .collect();
    Signal {
        name: "temperature",
        ts: regular_ts(start_ms, n),
        values,
    }
}

/// The temperature signal with gateway timestamp jitter (uniform ±20 ms).
pub fn temperature_jittered(start_ms: i64, n: usize, seed: u64) -> Signal {
    let mut s = temperature(start_ms, n, seed);
    let mut rng = Rng::new(seed ^ 0x5555);
    for t in &mut s.ts {
        *t += (rng.next_u64() % 41) as i64 - 20;
    }
    s.name = "temperature_jitter";
    s
}

/// Tank level, %: fills at 0.002 %/s from 20 % to 80 %, holds, drains faster,
/// repeats; noise σ = 0.01, quantized to 0.01.
pub fn tank_level(start_ms: i64, n: usize, seed: u64) -> Signal {
    let mut rng = Rng::new(seed);
    let mut level: f64 = 20.0;
    let mut phase = 0u8; // 0 fill, 1 hold, 2 drain
    let mut hold = 0u32;
    let values = (0..n)
        .map(|_| {
            match phase {
                0 => {
                    level += 0.002;
                    if level >= 80.0 {
                        phase = 1;
                        hold = 1800;
                    }
                }
                1 => {
                    hold = hold.saturating_sub(1);
                    if hold == 0 {
                        phase = 2;
                    }
                }
                _ => {
                    level -= 0.005;
                    if level <= 20.0 {
                        phase = 0;
                    }
                }
            }
            quantize(level + 0.01 * rng.normal(), 0.01)
        })
        .collect();
    Signal {
        name: "tank_level",
        ts: regular_ts(start_ms, n),
        values,
    }
}

/// Combustible-gas detector, %LEL: near zero (noise quantized to 0.1, clamped
/// at 0), with a spike about every 3 h rising to 5–40 %LEL and decaying over a
/// few minutes.
pub fn gas_detector(start_ms: i64, n: usize, seed: u64) -> Signal {
    let mut rng = Rng::new(seed);
    let mut spike = 0.0f64;
    let values = (0..n)
        .map(|_| {
            if rng.unit() < 1.0 / 10_800.0 {
                spike = 5.0 + 35.0 * rng.unit();
            }
            spike *= 0.98;
            if spike < 0.05 {
                spike = 0.0;
            }
            quantize((0.15 * rng.normal() + spike).max(0.0), 0.1)
        })
        .collect();
    Signal {
        name: "gas_detector",
        ts: regular_ts(start_ms, n),
        values,
    }
}

/// A flat value (a setpoint or a valve state): always 1.0.
pub fn flat(start_ms: i64, n: usize) -> Signal {
    Signal {
        name: "flat",
        ts: regular_ts(start_ms, n),
        values: vec![1.0; n],
    }
}

/// The four signals of the codec comparison plus the jittered temperature.
pub fn all(start_ms: i64, n: usize) -> Vec<Signal> {
    vec![
        temperature(start_ms, n, 1),
        temperature_jittered(start_ms, n, 1),
        tank_level(start_ms, n, 2),
        gas_detector(start_ms, n, 3),
        flat(start_ms, n),
    ]
}
