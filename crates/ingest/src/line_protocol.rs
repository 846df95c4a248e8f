//! InfluxDB 2.x line protocol (行协议) decoder and encoder.
//!
//! Syntax, as InfluxDB 2.x parses it (`models.ParsePointsWithPrecision`):
//!
//! ```text
//! measurement[,tag_key=tag_value...] field_key=field_value[,field_key=field_value...] [timestamp]
//! ```
//!
//! * lines end with `\n`; a `\r` before it is dropped (CRLF tolerated);
//!   leading spaces and tabs are skipped; blank lines and lines starting with `#` are skipped;
//! * a backslash escapes the next byte while scanning; when unescaping, `\,` and `\ `
//!   become `,` and space in the measurement, and `\,` `\=` `\ ` `\\` become `,` `=` space `\`
//!   in tag keys, tag values and field keys; any other `\x` stays as written;
//! * field values: float (`-1.5`, `1e-3`, `.5`), integer (`12i`), unsigned (`12u`),
//!   boolean (`t T true True TRUE f F false False FALSE`), or a double-quoted string in
//!   which `\"` and `\\` are escapes. A quoted string may contain spaces, commas, equals
//!   signs and even newlines (the record then spans several physical lines; it is
//!   numbered by its first line, and if it does not parse as a whole only its first
//!   line is refused so the lines after it are still decoded);
//! * the timestamp is an optional signed integer in the request's [`Precision`].
//!
//! weihua's meaning: the tag `point` is the 位号, the field `value` (float, integer or
//! unsigned) the reading, the optional integer field `quality` the OPC-style quality
//! (0 good). The measurement and every other tag and field are checked for syntax and
//! then ignored.

use crate::{DecodeLimits, Decoded, LineError, Precision, Sample, check_ts, checked_tag};
use std::fmt::Write as _;

/// Decodes an InfluxDB 2.x line-protocol body (行协议解码).
///
/// `now_ms` (UTC epoch ms) stands in for a missing timestamp and bounds future ones.
/// Every good line becomes a [`Sample`]; every bad line a [`LineError`] with its
/// 1-based number; lines past `limits.max_lines` are reported as one error.
pub fn decode_line_protocol(
    body: &[u8],
    precision: Precision,
    now_ms: i64,
    limits: &DecodeLimits,
) -> Decoded {
    let mut out = Decoded::default();
    // Typical lines are 40–60 bytes; reserving avoids most regrowth on big bodies.
    out.samples
        .reserve((body.len() / 40).min(limits.max_lines).min(1 << 20));
    let ctx = Ctx {
        precision,
        now_ms,
        limits,
    };
    let mut pos = 0usize;
    let mut line_no = 0usize;
    while let Some(rest) = body.get(pos..).filter(|r| !r.is_empty()) {
        line_no += 1;
        if line_no > limits.max_lines {
            out.errors.push(LineError::new(
                line_no,
                format!(
                    "超过单批最大行数 {}，自第 {line_no} 行起未处理",
                    limits.max_lines
                ),
                format!(
                    "more than {} lines in one body; lines from {line_no} on were not decoded",
                    limits.max_lines
                ),
            ));
            break;
        }
        let end = find_newline(rest).map_or(body.len(), |k| pos + k);
        let next = end + 1;
        let line = strip_cr(body.get(pos..end).unwrap_or_default());
        if line.len() > limits.max_line_len {
            out.errors.push(LineError::new(
                line_no,
                format!(
                    "行长度 {} 字节，超过上限 {} 字节",
                    line.len(),
                    limits.max_line_len
                ),
                format!(
                    "line is {} bytes long, more than the limit of {}",
                    line.len(),
                    limits.max_line_len
                ),
            ));
            pos = next;
            continue;
        }
        let lead = line
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .unwrap_or(line.len());
        match line.get(lead) {
            None | Some(b'#') => {
                pos = next;
                continue;
            }
            Some(_) => {}
        }
        match decode_record(line, lead, line_no, &ctx) {
            Ok(sample) => out.samples.push(sample),
            Err(RecordError::Line(e)) => out.errors.push(e),
            Err(RecordError::Unterminated { first, quote }) => {
                // A quoted string may span lines: find where the record really ends.
                if let Some((sample, used_end, extra)) =
                    decode_multiline(body, pos, pos + quote, line_no, &ctx)
                {
                    out.samples.push(sample);
                    line_no += extra;
                    pos = used_end + 1;
                    continue;
                }
                out.errors.push(first);
            }
        }
        pos = next;
    }
    out
}

/// What a record decode needs besides the bytes.
struct Ctx<'l> {
    precision: Precision,
    now_ms: i64,
    limits: &'l DecodeLimits,
}

enum RecordError {
    /// Refused; the error says why.
    Line(LineError),
    /// A quoted string was still open at the end of the line: maybe it goes on.
    /// `quote` is the opening quote's byte offset in the line.
    Unterminated { first: LineError, quote: usize },
}

fn find_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Decodes a record whose quoted string, opened at byte `quote` of the body, runs past
/// the end of the line starting at `pos`.
///
/// One forward scan finds the record's end (the first newline outside a quoted field
/// value), then the record is parsed once, so a hostile body costs linear time.
/// Returns the sample, the end of its last line and how many extra lines it used;
/// `None` when it does not parse as a whole (the caller refuses the first line only).
fn decode_multiline(
    body: &[u8],
    pos: usize,
    quote: usize,
    line_no: usize,
    ctx: &Ctx<'_>,
) -> Option<(Sample, usize, usize)> {
    let limit = pos.saturating_add(ctx.limits.max_line_len);
    let end = record_end(body, quote, limit)?;
    let span = body.get(pos..end)?;
    let extra = span.iter().filter(|&&c| c == b'\n').count();
    if extra == 0 || line_no.saturating_add(extra) > ctx.limits.max_lines {
        return None;
    }
    let record = strip_cr(span);
    let lead = record
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(record.len());
    match decode_record(record, lead, line_no, ctx) {
        Ok(sample) => Some((sample, end, extra)),
        Err(_) => None,
    }
}

/// From an opening quote at `quote`, the index of the newline (or body end) that ends
/// the record: strings are skipped (with `\"` and `\\` escapes), and outside them a
/// quote opens a string only right after an unescaped `=`, as in the field set.
/// `None` if the record would run past `limit` or a string is never closed.
fn record_end(body: &[u8], quote: usize, limit: usize) -> Option<usize> {
    let mut i = quote;
    let mut in_string = false;
    let mut after_equals = false;
    loop {
        if i > limit {
            return None;
        }
        let Some(&c) = body.get(i) else {
            return (!in_string).then_some(i.min(body.len()));
        };
        if in_string {
            match c {
                b'\\' => i += 2,
                b'"' => {
                    in_string = false;
                    i += 1;
                }
                _ => i += 1,
            }
            continue;
        }
        match c {
            b'\n' => return Some(i),
            b'\\' => {
                after_equals = false;
                i += 2;
                continue;
            }
            b'"' if after_equals || i == quote => in_string = true,
            _ => {}
        }
        after_equals = c == b'=';
        i += 1;
    }
}

fn decode_record(
    line: &[u8],
    lead: usize,
    line_no: usize,
    ctx: &Ctx<'_>,
) -> Result<Sample, RecordError> {
    let text = match std::str::from_utf8(line) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let col = line
                .get(..at)
                .and_then(|p| std::str::from_utf8(p).ok())
                .map_or(at, |p| p.chars().count())
                + 1;
            return Err(RecordError::Line(LineError::new(
                line_no,
                format!("第 {col} 列起不是有效的 UTF-8 编码"),
                format!("invalid UTF-8 from column {col}"),
            )));
        }
    };
    let rec = match parse_record(text, lead) {
        Ok(r) => r,
        Err(e) => {
            let err = syntax_error(text, line_no, &e);
            return Err(if matches!(e.kind, Syn::Unterminated) {
                RecordError::Unterminated {
                    first: err,
                    quote: e.at,
                }
            } else {
                RecordError::Line(err)
            });
        }
    };
    finish(rec, line_no, ctx).map_err(RecordError::Line)
}

/// Turns a syntactically valid record into a sample (weihua's meaning).
fn finish(rec: Record<'_>, line_no: usize, ctx: &Ctx<'_>) -> Result<Sample, LineError> {
    let Some(raw_point) = rec.point else {
        return Err(LineError::new(
            line_no,
            "缺少位号标签 point（例如 m,point=LT-1101 value=1.5）",
            "missing the 'point' tag (e.g. m,point=LT-1101 value=1.5)",
        ));
    };
    let value = match rec.value {
        None => {
            return Err(LineError::new(
                line_no,
                "缺少字段 value（实时值）",
                "missing the 'value' field (the reading)",
            ));
        }
        Some(Field::Float(v)) => v,
        Some(Field::Int(v)) => v as f64,
        Some(Field::Uint(v)) => v as f64,
        Some(Field::Bool) | Some(Field::Str) => {
            return Err(LineError::new(
                line_no,
                "字段 value 必须是数值（浮点、整数 12i 或无符号 12u），不能是字符串或布尔值",
                "field 'value' must be numeric (float, integer 12i or unsigned 12u), not a string or boolean",
            ));
        }
    };
    let quality = match rec.quality {
        None => None,
        Some(Field::Int(q)) => Some(q),
        Some(Field::Uint(q)) => match i64::try_from(q) {
            Ok(q) => Some(q),
            Err(_) => {
                return Err(LineError::new(
                    line_no,
                    "字段 quality 超出 i64 范围",
                    "field 'quality' is out of the i64 range",
                ));
            }
        },
        Some(_) => {
            return Err(LineError::new(
                line_no,
                "字段 quality 必须是整数（例如 quality=0i，0 表示正常）",
                "field 'quality' must be an integer (e.g. quality=0i; 0 means good)",
            ));
        }
    };
    let ts_ms = match rec.ts {
        None => ctx.now_ms,
        Some(ts) => {
            let Some(ms) = ctx.precision.ts_to_ms(ts) else {
                return Err(LineError::new(
                    line_no,
                    format!("时间戳 {ts}（精度 {}）超出范围", ctx.precision),
                    format!(
                        "timestamp {ts} (precision {}) is out of range",
                        ctx.precision
                    ),
                ));
            };
            check_ts(line_no, ms, ctx.now_ms, ctx.limits)?
        }
    };
    let tag = if rec.point_escaped {
        checked_tag(line_no, &unescape_key(raw_point))?
    } else {
        checked_tag(line_no, raw_point)?
    };
    Ok(Sample {
        tag,
        ts_ms,
        value,
        quality,
        line: line_no,
    })
}

/// A field value, reduced to what weihua needs.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Float(f64),
    Int(i64),
    Uint(u64),
    Bool,
    Str,
}

/// The parts of one line weihua uses; borrowed from the line.
#[derive(Debug, Default)]
struct Record<'a> {
    /// Raw (still escaped) value of the `point` tag.
    point: Option<&'a str>,
    point_escaped: bool,
    value: Option<Field>,
    quality: Option<Field>,
    ts: Option<i64>,
}

/// A syntax error: its kind, the byte offset it was found at, and for token errors
/// the offending token's end.
#[derive(Debug)]
struct SynErr {
    kind: Syn,
    at: usize,
    token_end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Syn {
    MissingMeasurement,
    MissingFields,
    MissingTagKey,
    MissingTagEquals,
    MissingTagValue,
    EqualsInTagValue,
    DuplicatePoint,
    MissingFieldKey,
    MissingFieldEquals,
    MissingFieldValue,
    DuplicateField(&'static str),
    Unterminated,
    AfterString,
    InvalidNumber,
    NonFinite,
    InvalidInteger,
    IntegerOutOfRange,
    InvalidUnsigned,
    UnsignedOutOfRange,
    InvalidTimestamp,
    TimestampOutOfRange,
    TrailingText,
}

fn err(kind: Syn, at: usize) -> SynErr {
    SynErr {
        kind,
        at,
        token_end: at,
    }
}

fn token_err(kind: Syn, at: usize, end: usize) -> SynErr {
    SynErr {
        kind,
        at,
        token_end: end,
    }
}

/// Scans an escaped name or tag value from `i`; stops at an unescaped byte for which
/// `stop` holds. Returns the end and whether a backslash was seen.
#[inline]
fn scan_escaped(b: &[u8], mut i: usize, stop: impl Fn(u8) -> bool) -> (usize, bool) {
    let mut escaped = false;
    while let Some(&c) = b.get(i) {
        if c == b'\\' {
            escaped = true;
            i += if b.get(i + 1).is_some() { 2 } else { 1 };
            continue;
        }
        if stop(c) {
            break;
        }
        i += 1;
    }
    (i, escaped)
}

#[inline]
fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// Parses one record (syntax only) from byte `start` of `s`.
fn parse_record(s: &str, start: usize) -> Result<Record<'_>, SynErr> {
    let b = s.as_bytes();
    let mut rec = Record::default();

    // Measurement: up to an unescaped comma or space.
    let (mut i, _) = scan_escaped(b, start, |c| c == b',' || c == b' ');
    if i == start {
        return Err(err(Syn::MissingMeasurement, start));
    }

    // Tag set.
    while b.get(i) == Some(&b',') {
        i += 1;
        let key_start = i;
        let (key_end, _) = scan_escaped(b, i, |c| c == b'=' || c == b',' || c == b' ');
        if key_end == key_start {
            return Err(err(Syn::MissingTagKey, key_start));
        }
        if b.get(key_end) != Some(&b'=') {
            return Err(err(Syn::MissingTagEquals, key_end));
        }
        let val_start = key_end + 1;
        let (val_end, escaped) =
            scan_escaped(b, val_start, |c| c == b',' || c == b' ' || c == b'=');
        if b.get(val_end) == Some(&b'=') {
            return Err(err(Syn::EqualsInTagValue, val_end));
        }
        if val_end == val_start {
            return Err(err(Syn::MissingTagValue, val_start));
        }
        if b.get(key_start..key_end) == Some(b"point") {
            if rec.point.is_some() {
                return Err(err(Syn::DuplicatePoint, key_start));
            }
            rec.point = s.get(val_start..val_end);
            rec.point_escaped = escaped;
        }
        i = val_end;
    }

    // Field set, after one or more blanks.
    if b.get(i) != Some(&b' ') {
        return Err(err(Syn::MissingFields, i));
    }
    i = skip_blanks(b, i);
    if i >= b.len() {
        return Err(err(Syn::MissingFields, i));
    }
    loop {
        let key_start = i;
        let (key_end, _) = scan_escaped(b, i, |c| c == b'=' || c == b',' || c == b' ');
        if key_end == key_start {
            return Err(err(Syn::MissingFieldKey, key_start));
        }
        if b.get(key_end) != Some(&b'=') {
            return Err(err(Syn::MissingFieldEquals, key_end));
        }
        let val_start = key_end + 1;
        let (field, val_end) = parse_field_value(s, val_start)?;
        let slot = match b.get(key_start..key_end) {
            Some(b"value") => Some((&mut rec.value, "value")),
            Some(b"quality") => Some((&mut rec.quality, "quality")),
            _ => None,
        };
        if let Some((slot, name)) = slot {
            if slot.is_some() {
                return Err(err(Syn::DuplicateField(name), key_start));
            }
            *slot = Some(field);
        }
        i = val_end;
        match b.get(i) {
            Some(b',') => i += 1,
            _ => break,
        }
    }

    // Optional timestamp, then only blanks.
    i = skip_blanks(b, i);
    if i < b.len() {
        let ts_start = i;
        while matches!(b.get(i), Some(c) if *c != b' ' && *c != b'\t') {
            i += 1;
        }
        let tok = s.get(ts_start..i).unwrap_or_default();
        rec.ts = Some(parse_signed(tok).map_err(|e| {
            let kind = match e {
                NumErr::Invalid => Syn::InvalidTimestamp,
                NumErr::Range => Syn::TimestampOutOfRange,
            };
            token_err(kind, ts_start, i)
        })?);
        let after = skip_blanks(b, i);
        if after < b.len() {
            return Err(err(Syn::TrailingText, after));
        }
    }
    Ok(rec)
}

/// Parses a field value at `start`; returns it and the index just past it.
#[inline]
fn parse_field_value(s: &str, start: usize) -> Result<(Field, usize), SynErr> {
    let b = s.as_bytes();
    match b.get(start) {
        None | Some(b' ' | b',') => Err(err(Syn::MissingFieldValue, start)),
        Some(b'"') => {
            let mut i = start + 1;
            loop {
                match b.get(i) {
                    None => return Err(err(Syn::Unterminated, start)),
                    Some(b'\\') => i += 2,
                    Some(b'"') => break,
                    Some(_) => i += 1,
                }
            }
            let end = i + 1;
            match b.get(end) {
                None | Some(b' ' | b',') => Ok((Field::Str, end)),
                Some(_) => Err(err(Syn::AfterString, end)),
            }
        }
        Some(_) => {
            let end = b
                .get(start..)
                .and_then(|r| r.iter().position(|&c| c == b',' || c == b' '))
                .map_or(b.len(), |k| start + k);
            let tok = s.get(start..end).unwrap_or_default();
            parse_scalar(tok)
                .map(|f| (f, end))
                .map_err(|kind| token_err(kind, start, end))
        }
    }
}

enum NumErr {
    Invalid,
    Range,
}

/// `-?[0-9]+` as i64 (no `+`, as InfluxDB).
#[inline]
fn parse_signed(tok: &str) -> Result<i64, NumErr> {
    let digits = tok.strip_prefix('-').unwrap_or(tok);
    if !digits.bytes().next().is_some_and(|c| c.is_ascii_digit()) {
        return Err(NumErr::Invalid);
    }
    tok.parse::<i64>().map_err(|e| match e.kind() {
        std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => NumErr::Range,
        _ => NumErr::Invalid,
    })
}

/// `[0-9]+` as u64.
#[inline]
fn parse_unsigned(tok: &str) -> Result<u64, NumErr> {
    if !tok.bytes().next().is_some_and(|c| c.is_ascii_digit()) {
        return Err(NumErr::Invalid);
    }
    tok.parse::<u64>().map_err(|e| match e.kind() {
        std::num::IntErrorKind::PosOverflow => NumErr::Range,
        _ => NumErr::Invalid,
    })
}

/// A non-string field value: integer, unsigned, boolean or float.
#[inline]
fn parse_scalar(tok: &str) -> Result<Field, Syn> {
    let bytes = tok.as_bytes();
    match bytes.last() {
        Some(b'i') => {
            let body = tok.get(..tok.len() - 1).unwrap_or_default();
            return parse_signed(body).map(Field::Int).map_err(|e| match e {
                NumErr::Invalid => Syn::InvalidInteger,
                NumErr::Range => Syn::IntegerOutOfRange,
            });
        }
        Some(b'u') => {
            let body = tok.get(..tok.len() - 1).unwrap_or_default();
            return parse_unsigned(body).map(Field::Uint).map_err(|e| match e {
                NumErr::Invalid => Syn::InvalidUnsigned,
                NumErr::Range => Syn::UnsignedOutOfRange,
            });
        }
        _ => {}
    }
    match tok {
        "t" | "T" | "true" | "True" | "TRUE" | "f" | "F" | "false" | "False" | "FALSE" => {
            return Ok(Field::Bool);
        }
        _ => {}
    }
    // InfluxDB's float grammar: optional '-', then a digit or '.'; Rust's parser
    // then accepts exactly the decimal forms (no inf/nan words, no leading '+').
    let mantissa = tok.strip_prefix('-').unwrap_or(tok);
    let starts_ok = mantissa
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == b'.');
    if starts_ok && let Ok(v) = tok.parse::<f64>() {
        return if v.is_finite() {
            Ok(Field::Float(v))
        } else {
            Err(Syn::NonFinite)
        };
    }
    let word = tok.trim_start_matches(['-', '+']).to_ascii_lowercase();
    if matches!(word.as_str(), "nan" | "inf" | "infinity") {
        return Err(Syn::NonFinite);
    }
    Err(Syn::InvalidNumber)
}

/// Unescapes a tag key, tag value or field key: `\,` `\=` `\ ` `\\`.
fn unescape_key(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.clone().next() {
                Some(n @ (',' | '=' | ' ' | '\\')) => {
                    out.push(n);
                    chars.next();
                }
                _ => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// 1-based character column of byte offset `at` within its physical line.
fn column(s: &str, at: usize) -> usize {
    let at = at.min(s.len());
    let line_start = s
        .as_bytes()
        .get(..at)
        .and_then(|p| p.iter().rposition(|&c| c == b'\n'))
        .map_or(0, |k| k + 1);
    s.get(line_start..at)
        .map_or(at - line_start, |p| p.chars().count())
        + 1
}

/// The offending token for a message, cut to 40 characters.
fn token_text(s: &str, e: &SynErr) -> String {
    let tok = s.get(e.at..e.token_end).unwrap_or_default();
    let mut out: String = tok.chars().take(40).collect();
    if tok.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

fn syntax_error(s: &str, line: usize, e: &SynErr) -> LineError {
    let col = column(s, e.at);
    let tok = token_text(s, e);
    let (zh, en): (String, String) = match e.kind {
        Syn::MissingMeasurement => (
            format!("第 {col} 列：缺少测量名（measurement）"),
            format!("column {col}: missing measurement name"),
        ),
        Syn::MissingFields => (
            format!("第 {col} 列：缺少字段集（至少需要一个字段，如 value=1.5）"),
            format!("column {col}: missing field set (at least one field, e.g. value=1.5)"),
        ),
        Syn::MissingTagKey => (
            format!("第 {col} 列：标签键为空"),
            format!("column {col}: empty tag key"),
        ),
        Syn::MissingTagEquals => (
            format!("第 {col} 列：标签键后缺少“=”"),
            format!("column {col}: expected '=' after the tag key"),
        ),
        Syn::MissingTagValue => (
            format!("第 {col} 列：标签值为空"),
            format!("column {col}: empty tag value"),
        ),
        Syn::EqualsInTagValue => (
            format!("第 {col} 列：标签值中的“=”须转义为“\\=”"),
            format!("column {col}: '=' inside a tag value must be escaped as '\\='"),
        ),
        Syn::DuplicatePoint => (
            format!("第 {col} 列：标签 point 重复"),
            format!("column {col}: the 'point' tag appears twice"),
        ),
        Syn::MissingFieldKey => (
            format!("第 {col} 列：字段键为空"),
            format!("column {col}: empty field key"),
        ),
        Syn::MissingFieldEquals => (
            format!("第 {col} 列：字段键后缺少“=”"),
            format!("column {col}: expected '=' after the field key"),
        ),
        Syn::MissingFieldValue => (
            format!("第 {col} 列：字段值为空"),
            format!("column {col}: empty field value"),
        ),
        Syn::DuplicateField(name) => (
            format!("第 {col} 列：字段 {name} 重复"),
            format!("column {col}: the field '{name}' appears twice"),
        ),
        Syn::Unterminated => (
            format!("第 {col} 列：字符串缺少结束引号"),
            format!("column {col}: quoted string is not closed"),
        ),
        Syn::AfterString => (
            format!("第 {col} 列：字符串结束引号后应为“,”或空格"),
            format!("column {col}: expected ',' or a space after the closing quote"),
        ),
        Syn::InvalidNumber => (
            format!("第 {col} 列：无效的字段值“{tok}”（数值、12i、12u、布尔值或带引号的字符串）"),
            format!(
                "column {col}: invalid field value '{tok}' (expected a number, 12i, 12u, a boolean or a quoted string)"
            ),
        ),
        Syn::NonFinite => (
            format!("第 {col} 列：数值“{tok}”不是有限数，不接受 NaN 或 ±inf"),
            format!("column {col}: '{tok}' is not a finite number; NaN and ±inf are refused"),
        ),
        Syn::InvalidInteger => (
            format!("第 {col} 列：无效的整数“{tok}”"),
            format!("column {col}: invalid integer '{tok}'"),
        ),
        Syn::IntegerOutOfRange => (
            format!("第 {col} 列：整数“{tok}”超出 i64 范围"),
            format!("column {col}: integer '{tok}' is out of the i64 range"),
        ),
        Syn::InvalidUnsigned => (
            format!("第 {col} 列：无效的无符号整数“{tok}”"),
            format!("column {col}: invalid unsigned integer '{tok}'"),
        ),
        Syn::UnsignedOutOfRange => (
            format!("第 {col} 列：无符号整数“{tok}”超出 u64 范围"),
            format!("column {col}: unsigned integer '{tok}' is out of the u64 range"),
        ),
        Syn::InvalidTimestamp => (
            format!("第 {col} 列：无效的时间戳“{tok}”（应为整数）"),
            format!("column {col}: invalid timestamp '{tok}' (expected an integer)"),
        ),
        Syn::TimestampOutOfRange => (
            format!("第 {col} 列：时间戳“{tok}”超出 i64 范围"),
            format!("column {col}: timestamp '{tok}' is out of the i64 range"),
        ),
        Syn::TrailingText => (
            format!("第 {col} 列：时间戳后有多余内容"),
            format!("column {col}: unexpected text after the timestamp"),
        ),
    };
    LineError::new(line, zh, en)
}

/// Why a sample could not be written as a line (行协议编码失败).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The value is NaN or ±inf, which line protocol cannot carry.
    #[error("value is not finite")]
    NonFinite,
    /// The timestamp does not fit an i64 in the requested precision.
    #[error("timestamp out of range for the precision")]
    TimestampOutOfRange,
    /// Measurement or tag is empty, starts a comment, or holds a line break.
    #[error("measurement or tag cannot be written: {0}")]
    Text(&'static str),
}

/// Appends one sample as an InfluxDB 2.x line (行协议编码), ending in `\n`:
/// `measurement,point=TAG value=V[,quality=Qi] TS`.
///
/// The value is written in Rust's shortest round-trip form, so decoding the line
/// gives back the same `f64`. `sample.line` is not written.
pub fn encode_line_protocol(
    sample: &Sample,
    measurement: &str,
    precision: Precision,
    out: &mut String,
) -> Result<(), EncodeError> {
    if measurement.is_empty() || measurement.starts_with('#') {
        return Err(EncodeError::Text("measurement is empty or starts with '#'"));
    }
    if sample.tag.is_empty() {
        return Err(EncodeError::Text("tag is empty"));
    }
    if [measurement, sample.tag.as_str()]
        .iter()
        .any(|s| s.contains(['\n', '\r']))
    {
        return Err(EncodeError::Text("line break"));
    }
    if !sample.value.is_finite() {
        return Err(EncodeError::NonFinite);
    }
    let ts = precision
        .ms_to_ts(sample.ts_ms)
        .ok_or(EncodeError::TimestampOutOfRange)?;
    for c in measurement.chars() {
        if matches!(c, ',' | ' ' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push_str(",point=");
    for c in sample.tag.chars() {
        if matches!(c, ',' | '=' | ' ' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    // Writing to a String cannot fail.
    let _ = write!(out, " value={}", sample.value);
    if let Some(q) = sample.quality {
        let _ = write!(out, ",quality={q}i");
    }
    let _ = writeln!(out, " {ts}");
    Ok(())
}

#[cfg(test)]
mod tests;
