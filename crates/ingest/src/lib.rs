//! weihua-ingest — pure decoders for telemetry ingest (实时监测数据接入解码).
//!
//! Two wire formats arrive from enterprise gateways (企业网关) and both become the
//! same [`Decoded`] batch of [`Sample`]s (监测数据) and per-line [`LineError`]s:
//!
//! * [`decode_line_protocol`] — InfluxDB 2.x line protocol (行协议), the hot path;
//! * [`decode_json_samples`] — a JSON array of `{point, ts, value, quality}` objects.
//!
//! [`encode_line_protocol`] writes one sample back as a line, for simulators,
//! benches and round-trip tests.
//!
//! Invariants:
//! * no IO, no clock, no global state: the caller passes `now_ms` (epoch
//!   milliseconds, UTC) and the [`DecodeLimits`];
//! * one bad line never costs the good lines of the same body;
//! * no input makes a decoder panic (property-tested and fuzzed);
//! * every accepted sample has a tag valid per [`weihua_core::Tag::parse`]
//!   (位号), a finite value and a timestamp in `[2000-01-01, now + skew]`.

mod json;
mod line_protocol;

pub use json::decode_json_samples;
pub use line_protocol::{EncodeError, decode_line_protocol, encode_line_protocol};

use std::fmt;
use std::str::FromStr;

/// One decoded reading (监测数据点): the point's tag (位号), the instant, the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// 位号 — monitoring point tag, already valid per [`weihua_core::Tag::parse`].
    pub tag: String,
    /// 采集时间 — UTC epoch milliseconds (sub-millisecond digits dropped, rounding down).
    pub ts_ms: i64,
    /// 实时值 — the reading; always finite.
    pub value: f64,
    /// 数据质量 — OPC-style quality code when the sender gave one: 0 good, other bad.
    pub quality: Option<i64>,
    /// 行号 — 1-based line (line protocol) or element index (JSON) it came from.
    pub line: usize,
}

impl Sample {
    /// Whether the sender marked the reading good (质量正常): no quality given, or 0.
    pub fn is_good(&self) -> bool {
        matches!(self.quality, None | Some(0))
    }
}

/// Why one line (or one JSON element) was refused (解析错误), in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 行号 — 1-based line number (line protocol) or element index (JSON);
    /// 0 means the whole body (e.g. a JSON body that is not an array).
    pub line: usize,
    /// 中文原因
    pub reason_zh: String,
    /// English reason
    pub reason_en: String,
}

impl LineError {
    pub(crate) fn new(line: usize, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            line,
            reason_zh: zh.into(),
            reason_en: en.into(),
        }
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason_en)
    }
}

impl std::error::Error for LineError {}

/// The result of decoding one body (一批数据): every good sample, every bad line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decoded {
    /// Accepted samples, in input order.
    pub samples: Vec<Sample>,
    /// Refused lines, in input order.
    pub errors: Vec<LineError>,
}

/// Bounds applied while decoding (解码限值). Every default is "assumed":
/// no regulation fixes them; deployments tune them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// 允许的未来时间偏差 — how far past `now` a timestamp may lie before the line is
    /// refused (gateway clocks drift). Default 5 min (assumed).
    pub max_future_skew_ms: i64,
    /// 单批最大行数 — lines (or JSON elements) decoded per body; the rest is reported
    /// as one error. Default 100 000 (assumed).
    pub max_lines: usize,
    /// 单行最大字节数 — longest line in bytes, line ending excluded. Default 64 KiB (assumed).
    pub max_line_len: usize,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self {
            max_future_skew_ms: 5 * 60 * 1000,
            max_lines: 100_000,
            max_line_len: 64 * 1024,
        }
    }
}

/// 时间戳精度 — the unit of line-protocol timestamps, as in InfluxDB 2.x's
/// `precision` query parameter. Default nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Precision {
    /// `ns`
    #[default]
    Nanoseconds,
    /// `us`
    Microseconds,
    /// `ms`
    Milliseconds,
    /// `s`
    Seconds,
}

impl Precision {
    /// The name used by InfluxDB 2.x (`ns`, `us`, `ms`, `s`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nanoseconds => "ns",
            Self::Microseconds => "us",
            Self::Milliseconds => "ms",
            Self::Seconds => "s",
        }
    }

    /// Converts a timestamp in this precision to epoch ms, rounding down.
    /// `None` when seconds overflow the i64 millisecond range.
    pub(crate) fn ts_to_ms(self, ts: i64) -> Option<i64> {
        match self {
            Self::Nanoseconds => Some(ts.div_euclid(1_000_000)),
            Self::Microseconds => Some(ts.div_euclid(1_000)),
            Self::Milliseconds => Some(ts),
            Self::Seconds => ts.checked_mul(1_000),
        }
    }

    /// Converts epoch ms to a timestamp in this precision. `None` on overflow.
    pub(crate) fn ms_to_ts(self, ms: i64) -> Option<i64> {
        match self {
            Self::Nanoseconds => ms.checked_mul(1_000_000),
            Self::Microseconds => ms.checked_mul(1_000),
            Self::Milliseconds => Some(ms),
            Self::Seconds => Some(ms.div_euclid(1_000)),
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A precision name that is not `ns`, `us`, `ms` or `s` (时间戳精度无效).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("precision must be ns, us, ms or s, not '{0}'")]
pub struct PrecisionError(pub String);

impl FromStr for Precision {
    type Err = PrecisionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ns" => Ok(Self::Nanoseconds),
            "us" => Ok(Self::Microseconds),
            "ms" => Ok(Self::Milliseconds),
            "s" => Ok(Self::Seconds),
            other => Err(PrecisionError(other.to_string())),
        }
    }
}

/// 2000-01-01T00:00:00Z in epoch ms: anything earlier is a gateway with a reset clock.
pub const MIN_TS_MS: i64 = 946_684_800_000;

/// Checks a decoded instant against `[MIN_TS_MS, now + skew]`.
pub(crate) fn check_ts(
    line: usize,
    ts_ms: i64,
    now_ms: i64,
    limits: &DecodeLimits,
) -> Result<i64, LineError> {
    if ts_ms < MIN_TS_MS {
        return Err(LineError::new(
            line,
            format!("时间戳 {ts_ms} ms 早于 2000-01-01，疑为网关时钟未校准"),
            format!("timestamp {ts_ms} ms is before 2000-01-01; is the gateway clock set?"),
        ));
    }
    let latest = now_ms.saturating_add(limits.max_future_skew_ms);
    if ts_ms > latest {
        let ahead_s = ts_ms.saturating_sub(now_ms) / 1000;
        let skew_s = limits.max_future_skew_ms / 1000;
        return Err(LineError::new(
            line,
            format!("时间戳超前当前时间 {ahead_s} 秒，超过允许的 {skew_s} 秒，请校准网关时钟"),
            format!(
                "timestamp is {ahead_s} s in the future, more than the allowed {skew_s} s; check the gateway clock"
            ),
        ));
    }
    Ok(ts_ms)
}

/// Returns the tag as an owned string when it is a valid 位号, with exactly the
/// result of [`weihua_core::Tag::parse`] (which trims surrounding whitespace).
///
/// The fast path checks the bytes itself so a valid tag costs one allocation.
pub(crate) fn checked_tag(line: usize, raw: &str) -> Result<String, LineError> {
    let fast_ok = (1..=64).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    if fast_ok {
        return Ok(raw.to_string());
    }
    match weihua_core::Tag::parse(raw) {
        Ok(tag) => Ok(tag.as_str().to_string()),
        Err(e) => Err(LineError::new(
            line,
            format!("位号无效：{}", e.zh),
            format!("invalid point tag: {}", e.en),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn precision_names_are_influxdb_2x_names() {
        for p in [
            Precision::Nanoseconds,
            Precision::Microseconds,
            Precision::Milliseconds,
            Precision::Seconds,
        ] {
            assert_eq!(p.as_str().parse::<Precision>(), Ok(p));
        }
        assert!("h".parse::<Precision>().is_err());
        assert_eq!(Precision::default(), Precision::Nanoseconds);
    }

    #[test]
    fn default_limits_are_five_minutes_skew() {
        assert_eq!(DecodeLimits::default().max_future_skew_ms, 300_000);
    }

    proptest! {
        #[test]
        fn checked_tag_agrees_with_core_tag_parse(s in "\\PC{0,70}") {
            let ours = checked_tag(1, &s).ok();
            let core = weihua_core::Tag::parse(&s).ok().map(|t| t.as_str().to_string());
            prop_assert_eq!(ours, core);
        }

        #[test]
        fn checked_tag_agrees_on_tag_alphabet(s in "[A-Za-z0-9:._ -]{0,70}") {
            let ours = checked_tag(1, &s).ok();
            let core = weihua_core::Tag::parse(&s).ok().map(|t| t.as_str().to_string());
            prop_assert_eq!(ours, core);
        }
    }
}
