//! Fuzz target: 行协议解码 must never panic, and every sample it accepts must hold
//! the decoder's promises (finite value, valid 位号, timestamp in range).
#![no_main]

use libfuzzer_sys::fuzz_target;
use weihua_ingest::{DecodeLimits, MIN_TS_MS, Precision, decode_line_protocol};

const NOW_MS: i64 = 1_732_860_000_000;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the precision so all four paths are explored.
    let (precision, body) = match data.split_first() {
        Some((p, rest)) => (
            match p % 4 {
                0 => Precision::Nanoseconds,
                1 => Precision::Microseconds,
                2 => Precision::Milliseconds,
                _ => Precision::Seconds,
            },
            rest,
        ),
        None => (Precision::Nanoseconds, data),
    };
    let limits = DecodeLimits {
        max_lines: 64,
        max_line_len: 512,
        ..DecodeLimits::default()
    };
    let decoded = decode_line_protocol(body, precision, NOW_MS, &limits);
    for s in &decoded.samples {
        assert!(s.value.is_finite());
        assert!(s.ts_ms >= MIN_TS_MS && s.ts_ms <= NOW_MS + limits.max_future_skew_ms);
        assert!(!s.tag.is_empty() && s.tag.len() <= 64);
        assert!(s.line >= 1);
    }
    for e in &decoded.errors {
        assert!(e.line >= 1 && e.line <= limits.max_lines + 1);
    }
});
