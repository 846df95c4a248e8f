use super::*;
use crate::MIN_TS_MS;
use proptest::prelude::*;

/// 2024-11-29T06:00:00Z
const NOW: i64 = 1_732_860_000_000;

fn decode(body: &str) -> Decoded {
    decode_line_protocol(
        body.as_bytes(),
        Precision::Nanoseconds,
        NOW,
        &DecodeLimits::default(),
    )
}

fn decode_ms(body: &str) -> Decoded {
    decode_line_protocol(
        body.as_bytes(),
        Precision::Milliseconds,
        NOW,
        &DecodeLimits::default(),
    )
}

/// Decodes a one-line body that must succeed.
fn one(body: &str) -> Sample {
    let d = decode_ms(body);
    assert!(d.errors.is_empty(), "{body:?}: {:?}", d.errors);
    assert_eq!(d.samples.len(), 1, "{body:?}");
    d.samples
        .into_iter()
        .next()
        .unwrap_or_else(|| unreachable!())
}

/// Decodes a one-line body that must fail; returns (line, en, zh).
fn fail(body: &str) -> (usize, String, String) {
    let d = decode_ms(body);
    assert!(d.samples.is_empty(), "{body:?}: {:?}", d.samples);
    assert_eq!(d.errors.len(), 1, "{body:?}: {:?}", d.errors);
    let e = d
        .errors
        .into_iter()
        .next()
        .unwrap_or_else(|| unreachable!());
    (e.line, e.reason_en, e.reason_zh)
}

fn assert_fails(body: &str, en_part: &str, zh_part: &str) {
    let (line, en, zh) = fail(body);
    assert_eq!(line, 1, "{body:?}");
    assert!(en.contains(en_part), "{body:?}: {en}");
    assert!(zh.contains(zh_part), "{body:?}: {zh}");
}

// ---- syntax rules ----------------------------------------------------------

#[test]
fn lp_typical_line_with_ns_timestamp() {
    let d = decode("m,point=TT-1101 value=23.5 1732860000000000000");
    assert!(d.errors.is_empty());
    assert_eq!(
        d.samples,
        vec![Sample {
            tag: "TT-1101".into(),
            ts_ms: NOW,
            value: 23.5,
            quality: None,
            line: 1
        }]
    );
}

#[test]
fn lp_measurement_escapes_comma_and_space() {
    let s = one(r"tank\ farm\,east,point=LT-1 value=1 1732860000000");
    assert_eq!(s.tag, "LT-1");
    // '=' needs no escape in a measurement.
    assert_eq!(one("a=b,point=LT-1 value=2").value, 2.0);
}

#[test]
fn lp_tag_keys_and_values_escape_comma_equals_space() {
    let s = one(r"m,loc=Tank\ A\,B\=1,we\ ird\=key=x,point=LT-1 value=1");
    assert_eq!(s.tag, "LT-1");
    // An escaped space inside the point tag unescapes to a space, which 位号 refuses.
    assert_fails(r"m,point=LT\ 1 value=1", "invalid point tag", "位号无效");
    // Surrounding spaces are trimmed exactly as weihua_core::Tag::parse does.
    assert_eq!(one(r"m,point=\ LT-1\  value=1").tag, "LT-1");
    // A backslash before any other byte stays literal; 位号 refuses it.
    assert_fails(r"m,point=LT\-1 value=1", "contains '\\'", "位号无效");
}

#[test]
fn lp_unescape_key_rules() {
    assert_eq!(unescape_key(r"a\,b\=c\ d\\e\xf\"), r"a,b=c d\e\xf\");
}

#[test]
fn lp_quoted_strings_hold_spaces_commas_equals_and_escaped_quotes() {
    let s =
        one(r#"m,point=LT-1 note="a b, c=d \"q\" back\\slash",value=4.5,other="" 1732860000000"#);
    assert_eq!(s.value, 4.5);
    assert_eq!(s.ts_ms, NOW);
    // Backslash before the closing quote escapes it: string runs on.
    assert_fails(r#"m,point=LT-1 s="abc\" value=1"#, "not closed", "结束引号");
}

#[test]
fn lp_quoted_string_may_span_lines() {
    let body = "m,point=A-1 note=\"first\r\nsecond\",value=1 1732860000000\nm,point=A-2 value=2 1732860000000\n";
    let d = decode_ms(body);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.samples.len(), 2);
    assert_eq!((d.samples[0].tag.as_str(), d.samples[0].line), ("A-1", 1));
    assert_eq!((d.samples[1].tag.as_str(), d.samples[1].line), ("A-2", 3));
}

#[test]
fn lp_unclosed_quote_costs_only_its_own_line() {
    // Joining lines 1–2 closes the string but leaves junk, so only line 1 is refused.
    let body = "m,point=A-1 note=\"oops,value=1\nm,point=A-2 value=2,s=\"x\" 1732860000000\nm,point=A-3 value=3\n";
    let d = decode_ms(body);
    let tags: Vec<&str> = d.samples.iter().map(|s| s.tag.as_str()).collect();
    assert_eq!(tags, ["A-2", "A-3"]);
    assert_eq!(d.errors.len(), 1);
    assert_eq!(d.errors[0].line, 1);
    assert!(
        d.errors[0]
            .reason_en
            .contains("column 18: quoted string is not closed")
    );
}

#[test]
fn lp_multiline_string_with_several_strings_and_escaped_quote() {
    let body =
        "m,point=A-1 a=\"x\ny\",b=\"p \\\" q\nr\",value=1 1732860000000\nm,point=A-2 value=2\n";
    let d = decode_ms(body);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    let got: Vec<(usize, &str)> = d.samples.iter().map(|s| (s.line, s.tag.as_str())).collect();
    assert_eq!(got, [(1, "A-1"), (4, "A-2")]);
}

#[test]
fn lp_multiline_record_respects_max_line_len() {
    let limits = DecodeLimits {
        max_line_len: 30,
        ..DecodeLimits::default()
    };
    let body = "m,point=A s=\"0123456789\n0123456789\",value=1\nm,point=B value=2\n";
    let d = decode_line_protocol(body.as_bytes(), Precision::Nanoseconds, NOW, &limits);
    // Line 1 is refused (its record would be 45 bytes); line 2 alone is junk; line 3 is kept.
    assert_eq!(d.samples.len(), 1);
    assert_eq!(d.samples[0].line, 3);
    let bad: Vec<usize> = d.errors.iter().map(|e| e.line).collect();
    assert_eq!(bad, [1, 2]);
}

#[test]
fn lp_unclosed_quote_before_a_long_tail_stays_linear() {
    // One open quote, then 200k quote-free lines: must not rescan the tail per line.
    let mut body = String::from("m,point=A s=\"open\n");
    for _ in 0..200_000 {
        body.push_str("m,point=B value=1\n");
    }
    let limits = DecodeLimits {
        max_lines: 1_000_000,
        max_line_len: 1 << 30,
        ..DecodeLimits::default()
    };
    let t = std::time::Instant::now();
    let d = decode_line_protocol(body.as_bytes(), Precision::Nanoseconds, NOW, &limits);
    assert_eq!(d.samples.len(), 200_000);
    assert_eq!(d.errors.len(), 1);
    // Generous even for a debug build on a busy machine; the quadratic version took minutes.
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
}

#[test]
fn lp_integer_unsigned_and_boolean_fields() {
    assert_eq!(one("m,point=A value=12i").value, 12.0);
    assert_eq!(one("m,point=A value=-12i").value, -12.0);
    assert_eq!(one("m,point=A value=12u").value, 12.0);
    let s = one(
        "m,point=A running=t,trip=FALSE,alarm=True,x=f,y=F,z=true,w=false,v=TRUE,u=False,n=7u,k=-3i,value=1",
    );
    assert_eq!(s.value, 1.0);
}

#[test]
fn lp_float_forms_with_exponent() {
    for (text, want) in [
        ("1e3", 1000.0),
        ("-1.5E-2", -0.015),
        ("2.5e+2", 250.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("-0", -0.0),
        ("007", 7.0),
    ] {
        let s = one(&format!("m,point=A value={text}"));
        assert_eq!(s.value, want, "{text}");
    }
}

#[test]
fn lp_each_precision_gives_the_same_instant() {
    for (p, ts) in [
        (Precision::Nanoseconds, "1732860000123456789"),
        (Precision::Microseconds, "1732860000123456"),
        (Precision::Milliseconds, "1732860000123"),
        (Precision::Seconds, "1732860000"),
    ] {
        let body = format!("m,point=A value=1 {ts}");
        let d = decode_line_protocol(body.as_bytes(), p, NOW, &DecodeLimits::default());
        assert!(d.errors.is_empty(), "{p}: {:?}", d.errors);
        let want = if p == Precision::Seconds {
            NOW
        } else {
            NOW + 123
        };
        assert_eq!(d.samples[0].ts_ms, want, "{p}");
    }
}

#[test]
fn lp_sub_millisecond_digits_are_dropped() {
    let d = decode("m,point=A value=1 1732860000000999999");
    assert_eq!(d.samples[0].ts_ms, NOW);
}

#[test]
fn lp_missing_timestamp_means_now() {
    assert_eq!(one("m,point=A value=1").ts_ms, NOW);
    assert_eq!(one("m,point=A value=1   ").ts_ms, NOW);
}

#[test]
fn lp_crlf_line_endings_are_tolerated() {
    let d = decode_ms("m,point=A value=1 1732860000000\r\nm,point=B value=2\r\n");
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.samples.len(), 2);
    assert_eq!(d.samples[0].ts_ms, NOW);
    assert_eq!(d.samples[1].tag, "B");
}

#[test]
fn lp_comments_and_blank_lines_are_skipped_but_counted() {
    let body =
        "# header\n\n   \t\n  # indented comment\nm,point=A value=1\n\r\n  m,point=B value=2";
    let d = decode_ms(body);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    let lines: Vec<usize> = d.samples.iter().map(|s| s.line).collect();
    assert_eq!(lines, [5, 7]);
}

#[test]
fn lp_blanks_between_sections_and_after_timestamp() {
    let s = one("m,point=A  value=1   1732860000000  ");
    assert_eq!((s.value, s.ts_ms), (1.0, NOW));
}

#[test]
fn lp_other_tags_and_fields_are_ignored_in_any_order() {
    let s = one("plant,site=NX,point=PT-2201,unit=MPa quality=0i,raw=1234i,value=1.75,ok=t");
    assert_eq!(s.tag, "PT-2201");
    assert_eq!(s.value, 1.75);
    assert_eq!(s.quality, Some(0));
    assert!(s.is_good());
}

#[test]
fn lp_quality_integer_or_unsigned_and_nonzero_is_bad() {
    let s = one("m,point=A value=1,quality=192i");
    assert_eq!(s.quality, Some(192));
    assert!(!s.is_good());
    assert_eq!(one("m,point=A value=1,quality=0u").quality, Some(0));
}

#[test]
fn lp_empty_body_is_empty() {
    assert_eq!(decode(""), Decoded::default());
    assert_eq!(decode("\n\n"), Decoded::default());
}

// ---- errors, each with line number and reason -------------------------------

#[test]
fn lp_missing_measurement() {
    assert_fails(
        ",point=A value=1",
        "column 1: missing measurement",
        "测量名",
    );
}

#[test]
fn lp_missing_field_set() {
    assert_fails("m,point=A", "column 10: missing field set", "字段集");
    assert_fails("m,point=A   ", "missing field set", "字段集");
    assert_fails("m", "missing field set", "字段集");
}

#[test]
fn lp_tag_syntax_errors_say_what_and_where() {
    assert_fails("m,=x value=1", "column 3: empty tag key", "标签键为空");
    assert_fails(
        "m,point value=1",
        "column 8: expected '=' after the tag key",
        "缺少“=”",
    );
    assert_fails(
        "m,point= value=1",
        "column 9: empty tag value",
        "标签值为空",
    );
    assert_fails(
        "m,point=a=b value=1",
        "column 10: '=' inside a tag value",
        "转义",
    );
    assert_fails(
        "m,point=A,point=B value=1",
        "column 11: the 'point' tag appears twice",
        "重复",
    );
    assert_fails(
        "m,point=A, value=1",
        "column 11: empty tag key",
        "标签键为空",
    );
}

#[test]
fn lp_field_syntax_errors_say_what_and_where() {
    assert_fails("m,point=A =1", "column 11: empty field key", "字段键为空");
    assert_fails(
        "m,point=A value 1",
        "column 16: expected '=' after the field key",
        "缺少“=”",
    );
    assert_fails(
        "m,point=A value=",
        "column 17: empty field value",
        "字段值为空",
    );
    assert_fails(
        "m,point=A value=,x=1",
        "column 17: empty field value",
        "字段值为空",
    );
    assert_fails(
        "m,point=A value=1,",
        "column 19: empty field key",
        "字段键为空",
    );
    assert_fails(
        "m,point=A value=1,value=2",
        "column 19: the field 'value' appears twice",
        "重复",
    );
    assert_fails(
        "m,point=A s=\"abc",
        "column 13: quoted string is not closed",
        "结束引号",
    );
    assert_fails(
        "m,point=A s=\"abc\"x,value=1",
        "column 18: expected ',' or a space",
        "引号后",
    );
}

#[test]
fn lp_number_errors() {
    assert_fails(
        "m,point=A value=12x",
        "column 17: invalid field value '12x'",
        "无效的字段值",
    );
    assert_fails(
        "m,point=A value=+1",
        "invalid field value '+1'",
        "无效的字段值",
    );
    assert_fails(
        "m,point=A value=1.2.3",
        "invalid field value",
        "无效的字段值",
    );
    assert_fails(
        "m,point=A value=1.5i",
        "invalid integer '1.5i'",
        "无效的整数",
    );
    assert_fails("m,point=A value=+5i", "invalid integer", "无效的整数");
    assert_fails(
        "m,point=A value=9223372036854775808i",
        "out of the i64 range",
        "超出 i64 范围",
    );
    assert_fails("m,point=A value=-1u", "invalid unsigned integer", "无符号");
    assert_fails(
        "m,point=A value=18446744073709551616u",
        "out of the u64 range",
        "超出 u64 范围",
    );
}

#[test]
fn lp_nan_and_infinities_are_refused() {
    for v in [
        "NaN", "nan", "-nan", "inf", "-inf", "+Inf", "Infinity", "1e400", "-1e400",
    ] {
        assert_fails(
            &format!("m,point=A value={v}"),
            "NaN and ±inf are refused",
            "不接受 NaN 或 ±inf",
        );
    }
}

#[test]
fn lp_timestamp_syntax_errors() {
    assert_fails(
        "m,point=A value=1 12ab",
        "column 19: invalid timestamp '12ab'",
        "无效的时间戳",
    );
    assert_fails("m,point=A value=1 +12", "invalid timestamp", "无效的时间戳");
    assert_fails(
        "m,point=A value=1 99999999999999999999",
        "out of the i64 range",
        "超出 i64 范围",
    );
    assert_fails(
        "m,point=A value=1 1732860000000 extra",
        "column 33: unexpected text after the timestamp",
        "多余内容",
    );
}

#[test]
fn lp_missing_point_tag() {
    assert_fails("m,loc=A value=1", "missing the 'point' tag", "缺少位号标签");
    assert_fails("m value=1", "missing the 'point' tag", "缺少位号标签");
}

#[test]
fn lp_missing_or_non_numeric_value() {
    assert_fails(
        "m,point=A temp=1",
        "missing the 'value' field",
        "缺少字段 value",
    );
    assert_fails("m,point=A value=\"12.5\"", "must be numeric", "必须是数值");
    assert_fails("m,point=A value=true", "must be numeric", "必须是数值");
}

#[test]
fn lp_quality_must_be_an_integer() {
    assert_fails(
        "m,point=A value=1,quality=0",
        "'quality' must be an integer",
        "quality 必须是整数",
    );
    assert_fails(
        "m,point=A value=1,quality=9223372036854775808u",
        "out of the i64 range",
        "超出 i64 范围",
    );
}

#[test]
fn lp_invalid_point_tag_per_core_tag_rule() {
    assert_fails("m,point=LT/1101 value=1", "invalid point tag", "位号无效");
    let long = "A".repeat(65);
    assert_fails(
        &format!("m,point={long} value=1"),
        "1 to 64 characters",
        "1至64",
    );
    assert_fails("m,point=液位1 value=1", "invalid point tag", "位号无效");
}

#[test]
fn lp_future_timestamp_beyond_skew_is_refused() {
    let skew = DecodeLimits::default().max_future_skew_ms;
    assert_eq!(
        one(&format!("m,point=A value=1 {}", NOW + skew)).ts_ms,
        NOW + skew
    );
    assert_fails(
        &format!("m,point=A value=1 {}", NOW + skew + 1),
        "in the future, more than the allowed 300 s",
        "超前当前时间",
    );
    let strict = DecodeLimits {
        max_future_skew_ms: 0,
        ..DecodeLimits::default()
    };
    let body = format!("m,point=A value=1 {}", NOW + 1);
    let d = decode_line_protocol(body.as_bytes(), Precision::Milliseconds, NOW, &strict);
    assert_eq!(d.errors.len(), 1);
}

#[test]
fn lp_timestamp_before_2000_is_refused() {
    assert_eq!(
        one(&format!("m,point=A value=1 {MIN_TS_MS}")).ts_ms,
        MIN_TS_MS
    );
    assert_fails(
        &format!("m,point=A value=1 {}", MIN_TS_MS - 1),
        "before 2000-01-01",
        "早于 2000-01-01",
    );
    assert_fails("m,point=A value=1 -5", "before 2000-01-01", "早于");
}

#[test]
fn lp_seconds_timestamp_that_overflows_ms_is_refused() {
    let body = "m,point=A value=1 9223372036854775807";
    let d = decode_line_protocol(
        body.as_bytes(),
        Precision::Seconds,
        NOW,
        &DecodeLimits::default(),
    );
    assert_eq!(d.errors.len(), 1);
    assert!(
        d.errors[0]
            .reason_en
            .contains("precision s) is out of range")
    );
}

#[test]
fn lp_too_long_line_is_refused() {
    let limits = DecodeLimits {
        max_line_len: 20,
        ..DecodeLimits::default()
    };
    let body = "m,point=A value=1\nm,point=A,site=longer value=1\nm,point=B value=2";
    let d = decode_line_protocol(body.as_bytes(), Precision::Nanoseconds, NOW, &limits);
    assert_eq!(d.samples.len(), 2);
    assert_eq!(d.errors.len(), 1);
    assert_eq!(d.errors[0].line, 2);
    assert!(d.errors[0].reason_en.contains("more than the limit of 20"));
}

#[test]
fn lp_non_utf8_line_is_refused_alone() {
    let mut body = b"m,point=A value=1\nm,point=B,site=".to_vec();
    body.extend_from_slice(&[0xff, 0xfe]);
    body.extend_from_slice(b" value=1\nm,point=C value=3\n");
    let d = decode_line_protocol(&body, Precision::Nanoseconds, NOW, &DecodeLimits::default());
    assert_eq!(d.samples.len(), 2);
    assert_eq!(d.errors.len(), 1);
    assert_eq!(d.errors[0].line, 2);
    assert!(
        d.errors[0]
            .reason_en
            .contains("invalid UTF-8 from column 16")
    );
}

#[test]
fn lp_columns_count_characters_not_bytes() {
    // "位" is 3 bytes; the error column counts it as one.
    assert_fails(
        "位,point=A value=x",
        "column 17: invalid field value 'x'",
        "第 17 列",
    );
}

#[test]
fn lp_lines_past_max_lines_are_one_error() {
    let limits = DecodeLimits {
        max_lines: 3,
        ..DecodeLimits::default()
    };
    let body = "m,point=A value=1\n#c\nm,point=B value=2\nm,point=C value=3\nm,point=D value=4\n";
    let d = decode_line_protocol(body.as_bytes(), Precision::Nanoseconds, NOW, &limits);
    assert_eq!(d.samples.len(), 2);
    assert_eq!(d.errors.len(), 1);
    assert_eq!(d.errors[0].line, 4);
    assert!(
        d.errors[0]
            .reason_en
            .contains("lines from 4 on were not decoded")
    );
}

#[test]
fn lp_mixed_body_keeps_every_good_line() {
    let body = "\
# gateway GW-01
m,point=LT-1101 value=1.5 1732860000000
m,point=LT-1102 value=oops 1732860000000
m,point=LT-1103 value=2i
m,loc=x value=3
m,point=LT-1104 value=4,quality=0i 1732860000000
garbage
m,point=LT-1105 value=NaN
m,point=LT-1106 value=6u 946684799999

m,point=LT-1107 value=7e0 1732860000000
";
    let d = decode_ms(body);
    let good: Vec<(usize, &str, f64)> = d
        .samples
        .iter()
        .map(|s| (s.line, s.tag.as_str(), s.value))
        .collect();
    assert_eq!(
        good,
        [
            (2, "LT-1101", 1.5),
            (4, "LT-1103", 2.0),
            (6, "LT-1104", 4.0),
            (11, "LT-1107", 7.0),
        ]
    );
    let bad: Vec<usize> = d.errors.iter().map(|e| e.line).collect();
    assert_eq!(bad, [3, 5, 7, 8, 9]);
}

#[test]
fn lp_encode_then_decode_typical_sample() {
    let s = Sample {
        tag: "TT-1101".into(),
        ts_ms: NOW,
        value: 23.5,
        quality: Some(0),
        line: 1,
    };
    let mut line = String::new();
    assert_eq!(
        encode_line_protocol(&s, "m", Precision::Nanoseconds, &mut line),
        Ok(())
    );
    assert_eq!(
        line,
        "m,point=TT-1101 value=23.5,quality=0i 1732860000000000000\n"
    );
    assert_eq!(decode(&line).samples, vec![s]);
}

#[test]
fn lp_encode_refuses_what_cannot_be_written() {
    let mut s = Sample {
        tag: "A".into(),
        ts_ms: NOW,
        value: f64::NAN,
        quality: None,
        line: 1,
    };
    let mut out = String::new();
    assert_eq!(
        encode_line_protocol(&s, "m", Precision::Nanoseconds, &mut out),
        Err(EncodeError::NonFinite)
    );
    s.value = 1.0;
    s.ts_ms = i64::MAX;
    assert_eq!(
        encode_line_protocol(&s, "m", Precision::Nanoseconds, &mut out),
        Err(EncodeError::TimestampOutOfRange)
    );
    s.ts_ms = NOW;
    assert!(encode_line_protocol(&s, "#m", Precision::Nanoseconds, &mut out).is_err());
    assert!(encode_line_protocol(&s, "m\nx", Precision::Nanoseconds, &mut out).is_err());
    assert!(out.is_empty());
    // A measurement with separators is escaped and still decodes.
    assert_eq!(
        encode_line_protocol(&s, r"tank farm,1\", Precision::Milliseconds, &mut out),
        Ok(())
    );
    assert_eq!(decode_ms(&out).samples.len(), 1, "{out}");
}

// ---- properties --------------------------------------------------------------

fn any_sample() -> impl Strategy<Value = Sample> {
    (
        "[A-Za-z0-9_.:-]{1,64}",
        MIN_TS_MS..=NOW,
        any::<f64>().prop_filter("finite", |v| v.is_finite()),
        proptest::option::of(any::<i64>()),
    )
        .prop_map(|(tag, ts_ms, value, quality)| Sample {
            tag,
            ts_ms,
            value,
            quality,
            line: 1,
        })
}

fn any_precision() -> impl Strategy<Value = Precision> {
    prop_oneof![
        Just(Precision::Nanoseconds),
        Just(Precision::Microseconds),
        Just(Precision::Milliseconds),
        Just(Precision::Seconds),
    ]
}

proptest! {
    #[test]
    fn lp_arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let limits = DecodeLimits { max_lines: 8, max_line_len: 128, ..DecodeLimits::default() };
        let d = decode_line_protocol(&body, Precision::Nanoseconds, NOW, &limits);
        for s in &d.samples {
            prop_assert!(s.value.is_finite());
            prop_assert!(weihua_core::Tag::parse(&s.tag).is_ok());
        }
        let lines = body.split(|&b| b == b'\n').count();
        prop_assert!(d.samples.len() + d.errors.len() <= lines);
    }

    #[test]
    fn lp_near_valid_text_never_panics(
        body in "[mpointvalueqly=,\" \\\\\n\r#0-9.ieu+tTfF\u{4f4d}-]{0,200}",
        p in any_precision(),
        now in any::<i64>(),
    ) {
        let d = decode_line_protocol(body.as_bytes(), p, now, &DecodeLimits::default());
        for s in &d.samples {
            prop_assert!(s.value.is_finite());
        }
    }

    #[test]
    fn lp_encoded_sample_decodes_to_itself(s in any_sample(), p in any_precision()) {
        let mut line = String::new();
        prop_assert_eq!(encode_line_protocol(&s, "weihua", p, &mut line), Ok(()));
        let d = decode_line_protocol(line.as_bytes(), p, NOW, &DecodeLimits::default());
        prop_assert!(d.errors.is_empty(), "{:?} {:?}", line, d.errors);
        let mut want = s.clone();
        if p == Precision::Seconds {
            want.ts_ms = s.ts_ms.div_euclid(1000) * 1000;
        }
        prop_assert_eq!(d.samples, vec![want]);
    }

    #[test]
    fn lp_encoded_batch_decodes_line_by_line(
        samples in proptest::collection::vec(any_sample(), 1..20),
    ) {
        let mut body = String::new();
        for s in &samples {
            prop_assert_eq!(encode_line_protocol(s, "m", Precision::Milliseconds, &mut body), Ok(()));
        }
        let d = decode_ms(&body);
        prop_assert!(d.errors.is_empty());
        prop_assert_eq!(d.samples.len(), samples.len());
        for (i, (got, want)) in d.samples.iter().zip(&samples).enumerate() {
            prop_assert_eq!(got.line, i + 1);
            prop_assert_eq!(&got.tag, &want.tag);
            prop_assert_eq!(got.value.to_bits(), want.value.to_bits());
            prop_assert_eq!(got.ts_ms, want.ts_ms);
            prop_assert_eq!(got.quality, want.quality);
        }
    }

    #[test]
    fn json_arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = crate::decode_json_samples(&body, NOW, &DecodeLimits::default());
    }

    #[test]
    fn json_near_valid_text_never_panics(body in "[\\[\\]{}\",:pointsvalueqly0-9.eE+TZ -]{0,200}") {
        let _ = crate::decode_json_samples(body.as_bytes(), NOW, &DecodeLimits::default());
    }
}
