//! JSON batch decoder (JSON 批量数据解码).
//!
//! Body: an array of objects
//! `[{"point":"LT-1101","ts":1732860000000,"value":12.5,"quality":0}, …]`.
//!
//! * `point` — 位号, a string valid per [`weihua_core::Tag::parse`]; required;
//! * `ts` — epoch milliseconds (a number; fractions of a ms are dropped) or an
//!   RFC 3339 string (`2024-11-29T06:00:00.123Z`, `2024-11-29T14:00:00+08:00`);
//!   missing or `null` means `now`;
//! * `value` — a JSON number; required (strings and booleans are refused);
//! * `quality` — an integer, 0 good; optional (`null` = absent).
//!
//! Other keys are ignored. The body is walked as a [`serde_json::Value`] so one bad
//! element is reported (with its 1-based index as the line) and the others kept.

use crate::{DecodeLimits, Decoded, LineError, Sample, check_ts, checked_tag};
use serde_json::Value;

/// Decodes a JSON array of samples (JSON 批量解码).
///
/// A body that is not JSON or not an array gives one [`LineError`] with `line` 0.
/// Elements past `limits.max_lines` are reported as one error.
pub fn decode_json_samples(body: &[u8], now_ms: i64, limits: &DecodeLimits) -> Decoded {
    let mut out = Decoded::default();
    let items = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => items,
        Ok(_) => {
            out.errors.push(LineError::new(
                0,
                "请求体必须是 JSON 数组，如 [{\"point\":\"LT-1101\",\"value\":1.5}]",
                "the body must be a JSON array, e.g. [{\"point\":\"LT-1101\",\"value\":1.5}]",
            ));
            return out;
        }
        Err(e) => {
            out.errors.push(LineError::new(
                0,
                format!(
                    "请求体不是有效的 JSON（第 {} 行第 {} 列）：{e}",
                    e.line(),
                    e.column()
                ),
                format!("the body is not valid JSON: {e}"),
            ));
            return out;
        }
    };
    out.samples.reserve(items.len().min(limits.max_lines));
    for (idx, item) in items.iter().enumerate() {
        let line = idx + 1;
        if line > limits.max_lines {
            out.errors.push(LineError::new(
                line,
                format!(
                    "超过单批最大条数 {}，自第 {line} 条起未处理",
                    limits.max_lines
                ),
                format!(
                    "more than {} elements in one body; elements from {line} on were not decoded",
                    limits.max_lines
                ),
            ));
            break;
        }
        match decode_element(item, line, now_ms, limits) {
            Ok(s) => out.samples.push(s),
            Err(e) => out.errors.push(e),
        }
    }
    out
}

fn decode_element(
    item: &Value,
    line: usize,
    now_ms: i64,
    limits: &DecodeLimits,
) -> Result<Sample, LineError> {
    let Value::Object(obj) = item else {
        return Err(LineError::new(
            line,
            "元素必须是 JSON 对象",
            "the element must be a JSON object",
        ));
    };
    let tag = match obj.get("point") {
        None | Some(Value::Null) => {
            return Err(LineError::new(
                line,
                "缺少位号 point",
                "missing 'point' (the tag)",
            ));
        }
        Some(Value::String(p)) => checked_tag(line, p)?,
        Some(_) => {
            return Err(LineError::new(
                line,
                "point 必须是字符串",
                "'point' must be a string",
            ));
        }
    };
    let value = match obj.get("value") {
        None | Some(Value::Null) => {
            return Err(LineError::new(
                line,
                "缺少实时值 value",
                "missing 'value' (the reading)",
            ));
        }
        Some(Value::Number(n)) => match n.as_f64() {
            Some(v) if v.is_finite() => v,
            _ => {
                return Err(LineError::new(
                    line,
                    "value 不是有限数",
                    "'value' is not a finite number",
                ));
            }
        },
        Some(_) => {
            return Err(LineError::new(
                line,
                "value 必须是数值，不能是字符串或布尔值",
                "'value' must be a number, not a string or boolean",
            ));
        }
    };
    let quality = match obj.get("quality") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
        Some(_) => {
            return Err(LineError::new(
                line,
                "quality 必须是整数（0 表示正常）",
                "'quality' must be an integer (0 means good)",
            ));
        }
    };
    let ts_ms = match obj.get("ts") {
        None | Some(Value::Null) => now_ms,
        Some(Value::Number(n)) => {
            let ms = if let Some(i) = n.as_i64() {
                Some(i)
            } else {
                // u64 beyond i64, or a float: floor to whole ms if it fits.
                n.as_f64()
                    .map(f64::floor)
                    .filter(|f| f.is_finite() && *f >= i64::MIN as f64 && *f < i64::MAX as f64)
                    .map(|f| f as i64)
            };
            let Some(ms) = ms else {
                return Err(LineError::new(
                    line,
                    format!("时间戳 {n} 超出范围"),
                    format!("timestamp {n} is out of range"),
                ));
            };
            check_ts(line, ms, now_ms, limits)?
        }
        Some(Value::String(s)) => {
            let ms = parse_rfc3339_ms(s).ok_or_else(|| {
                LineError::new(
                    line,
                    format!(
                        "时间戳“{s}”不是 RFC 3339 格式（如 2024-11-29T14:00:00+08:00）或毫秒数"
                    ),
                    format!(
                        "timestamp '{s}' is not RFC 3339 (e.g. 2024-11-29T14:00:00+08:00) nor epoch ms"
                    ),
                )
            })?;
            check_ts(line, ms, now_ms, limits)?
        }
        Some(_) => {
            return Err(LineError::new(
                line,
                "ts 必须是毫秒数或 RFC 3339 字符串",
                "'ts' must be epoch milliseconds or an RFC 3339 string",
            ));
        }
    };
    Ok(Sample {
        tag,
        ts_ms,
        value,
        quality,
        line,
    })
}

/// RFC 3339 date-time to epoch ms (rounding down), via chrono's parser, which checks
/// the calendar (month lengths, leap years) and requires an offset (`Z` or `±hh:mm`).
/// Like RFC 3339 §5.6's note it also takes a lower-case `t`/`z` and a space for `T`.
fn parse_rfc3339_ms(s: &str) -> Option<i64> {
    // chrono accepts any fraction length; cap the input so a hostile string stays cheap.
    if s.len() > 64 {
        return None;
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|dt| dt.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_732_860_000_000; // 2024-11-29T06:00:00Z

    fn decode(body: &str) -> Decoded {
        decode_json_samples(body.as_bytes(), NOW, &DecodeLimits::default())
    }

    #[test]
    fn json_epoch_ms_timestamp() {
        let d = decode(r#"[{"point":"LT-1101","ts":1732859990000,"value":12.5,"quality":0}]"#);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!(
            d.samples,
            vec![Sample {
                tag: "LT-1101".into(),
                ts_ms: 1_732_859_990_000,
                value: 12.5,
                quality: Some(0),
                line: 1
            }]
        );
    }

    #[test]
    fn json_rfc3339_timestamps_utc_and_offset_with_fraction() {
        let d = decode(
            r#"[{"point":"TT-1","ts":"2024-11-29T06:00:00.123456Z","value":1},
                {"point":"TT-2","ts":"2024-11-29T13:59:59+08:00","value":2}]"#,
        );
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!(d.samples[0].ts_ms, NOW + 123);
        assert_eq!(d.samples[1].ts_ms, NOW - 1000);
        assert_eq!(d.samples[1].value, 2.0);
    }

    #[test]
    fn json_missing_ts_means_now_and_missing_quality_is_none() {
        let d = decode(r#"[{"point":"PT-1","value":-3}]"#);
        assert_eq!(d.samples[0].ts_ms, NOW);
        assert_eq!(d.samples[0].quality, None);
        assert!(d.samples[0].is_good());
    }

    #[test]
    fn json_fractional_ms_are_dropped() {
        let d = decode(r#"[{"point":"PT-1","ts":1732859990000.9,"value":1}]"#);
        assert_eq!(d.samples[0].ts_ms, 1_732_859_990_000);
    }

    #[test]
    fn json_bad_element_in_the_middle_keeps_the_others() {
        let d = decode(
            r#"[{"point":"A-1","value":1},
                {"point":"A-2","value":"high"},
                {"point":"A-3","value":3}]"#,
        );
        assert_eq!(d.samples.len(), 2);
        assert_eq!(d.samples[0].line, 1);
        assert_eq!(d.samples[1].line, 3);
        assert_eq!(d.errors.len(), 1);
        assert_eq!(d.errors[0].line, 2);
        assert!(d.errors[0].reason_en.contains("must be a number"));
        assert!(d.errors[0].reason_zh.contains("数值"));
    }

    #[test]
    fn json_each_element_error_has_its_index_and_reason() {
        let d = decode(
            r#"[5,
                {"value":1},
                {"point":"bad tag","value":1},
                {"point":"A-1"},
                {"point":"A-1","value":1,"quality":0.5},
                {"point":"A-1","value":1,"ts":"yesterday"},
                {"point":"A-1","value":1,"ts":"2024-02-30T00:00:00Z"},
                {"point":"A-1","value":1,"ts":1732860400000},
                {"point":"A-1","value":1,"ts":"1999-12-31T23:59:59Z"},
                {"point":"A-1","value":1,"ts":true},
                {"point":7,"value":1},
                {"point":"A-1","value":1e300,"ts":1e300}]"#,
        );
        assert!(d.samples.is_empty(), "{:?}", d.samples);
        let got: Vec<(usize, &str)> = d
            .errors
            .iter()
            .map(|e| (e.line, e.reason_en.as_str()))
            .collect();
        let want = [
            (1, "must be a JSON object"),
            (2, "missing 'point'"),
            (3, "invalid point tag"),
            (4, "missing 'value'"),
            (5, "'quality' must be an integer"),
            (6, "not RFC 3339"),
            (7, "not RFC 3339"),
            (8, "in the future"),
            (9, "before 2000-01-01"),
            (10, "'ts' must be"),
            (11, "'point' must be a string"),
            (12, "out of range"),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for ((line, reason), (wline, wreason)) in got.iter().zip(want) {
            assert_eq!(*line, wline);
            assert!(reason.contains(wreason), "line {line}: {reason}");
        }
    }

    #[test]
    fn json_body_that_is_not_an_array_is_one_error_at_line_0() {
        for body in ["{\"point\":\"A\"}", "[1,", "", "\u{1}"] {
            let d = decode(body);
            assert_eq!(d.errors.len(), 1, "{body}");
            assert_eq!(d.errors[0].line, 0);
        }
    }

    #[test]
    fn json_more_elements_than_max_lines_is_one_error() {
        let limits = DecodeLimits {
            max_lines: 2,
            ..DecodeLimits::default()
        };
        let body = r#"[{"point":"A","value":1},{"point":"B","value":2},{"point":"C","value":3},{"point":"D","value":4}]"#;
        let d = decode_json_samples(body.as_bytes(), NOW, &limits);
        assert_eq!(d.samples.len(), 2);
        assert_eq!(d.errors.len(), 1);
        assert_eq!(d.errors[0].line, 3);
    }

    #[test]
    fn json_quality_nonzero_is_kept_and_marked_bad() {
        let d = decode(r#"[{"point":"A","value":1,"quality":192,"unit":"m"}]"#);
        assert_eq!(d.samples[0].quality, Some(192));
        assert!(!d.samples[0].is_good());
    }
}
