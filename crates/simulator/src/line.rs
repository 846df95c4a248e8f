//! 行协议 — InfluxDB line protocol for the ingest endpoint.

use crate::{QUALITY_GOOD, SimSample};
use std::fmt::Write;

/// 行协议 — one line per sample, each ending in `\n`:
///
/// ```text
/// sim,point=<tag> value=<v>[,quality=<q>i] <ts_ms>
/// ```
///
/// Timestamps are milliseconds: post with `precision=ms`. `quality` is
/// written only for bad readings (good is the receiver's default). The tag
/// value escapes `,`, `=`, space and `\` as the protocol requires, drops
/// control characters, and falls back to the point id when the tag is empty.
/// A sample with a non-finite value (never produced by the simulator) or no
/// usable tag is skipped, since line protocol cannot carry it.
pub fn line_protocol(samples: &[SimSample]) -> String {
    let mut out = String::with_capacity(samples.len() * 48);
    for s in samples {
        if !s.value.is_finite() {
            continue;
        }
        let tag = if s.tag.trim().is_empty() {
            &s.point_id
        } else {
            &s.tag
        };
        let mut escaped = String::with_capacity(tag.len());
        for c in tag.chars() {
            match c {
                ',' | '=' | ' ' | '\\' => {
                    escaped.push('\\');
                    escaped.push(c);
                }
                c if c.is_control() => {}
                c => escaped.push(c),
            }
        }
        if escaped.is_empty() {
            continue;
        }
        // `Display` of f64 is the shortest exact decimal, never an exponent.
        let _ = write!(out, "sim,point={escaped} value={}", s.value);
        if s.quality != QUALITY_GOOD {
            let _ = write!(out, ",quality={}i", s.quality);
        }
        let _ = writeln!(out, " {}", s.ts_ms);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(tag: &str, value: f64, quality: u8) -> SimSample {
        SimSample {
            point_id: "p1".into(),
            tag: tag.into(),
            ts_ms: 1_700_000_000_123,
            value,
            quality,
        }
    }

    #[test]
    fn formats_good_and_bad_samples() {
        let text = line_protocol(&[
            sample("LT-1101A", 56.3, 0),
            sample("GT-1101", -2.5, 1),
            sample("TT 1", 12.0, 0),
        ]);
        assert_eq!(
            text,
            "sim,point=LT-1101A value=56.3 1700000000123\n\
             sim,point=GT-1101 value=-2.5,quality=1i 1700000000123\n\
             sim,point=TT\\ 1 value=12 1700000000123\n"
        );
    }

    #[test]
    fn skips_what_line_protocol_cannot_carry() {
        let mut no_tag = sample("", 1.0, 0);
        no_tag.point_id = "x,y".into();
        let text = line_protocol(&[sample("A", f64::NAN, 0), no_tag, sample("\u{7}", 1.0, 0)]);
        assert_eq!(text, "sim,point=x\\,y value=1 1700000000123\n");
    }
}
