//! Fuzz target: JSON 批量解码 must never panic, and accepted samples must hold the
//! decoder's promises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use weihua_ingest::{DecodeLimits, MIN_TS_MS, decode_json_samples};

const NOW_MS: i64 = 1_732_860_000_000;

fuzz_target!(|data: &[u8]| {
    let limits = DecodeLimits {
        max_lines: 64,
        ..DecodeLimits::default()
    };
    let decoded = decode_json_samples(data, NOW_MS, &limits);
    for s in &decoded.samples {
        assert!(s.value.is_finite());
        assert!(s.ts_ms >= MIN_TS_MS && s.ts_ms <= NOW_MS + limits.max_future_skew_ms);
        assert!(!s.tag.is_empty() && s.tag.len() <= 64);
    }
});
