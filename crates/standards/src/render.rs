//! 辨识结果文本表 — a plain-text table in Chinese for people
//! (`weihua gb18218 assess --format table`).

use crate::assess::{AssessmentOutput, UnitResult};
use crate::exact::DISPLAY_DECIMALS;
use std::fmt::Write as _;
use weihua_core::UnitKind;

/// Display width of a character in a terminal: 2 for CJK and full-width forms.
fn char_width(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    for _ in width(s)..w {
        out.push(' ');
    }
    out
}

fn short_source(s: &str, version: &str) -> String {
    s.strip_prefix(version)
        .map(str::trim_start)
        .unwrap_or(s)
        .to_string()
}

/// Writes rows as columns separated by two spaces, each column as wide as its widest cell.
fn columns(rows: &[Vec<String>]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| pad(c, widths[i]))
            .collect();
        out.push_str("  ");
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn unit_block(out: &mut String, u: &UnitResult, version: &str) {
    let kind = match u.kind {
        UnitKind::Production => "生产单元",
        UnitKind::Storage => "储存单元",
    };
    let _ = writeln!(out, "单元：{}（{kind}）", u.id);
    let mut rows = vec![vec![
        "序号".to_string(),
        "物质".to_string(),
        "q/t".to_string(),
        "Q/t".to_string(),
        "Q来源".to_string(),
        "β".to_string(),
        "β来源".to_string(),
        "q/Q".to_string(),
    ]];
    for s in &u.substances {
        rows.push(vec![
            (s.index + 1).to_string(),
            s.name.clone(),
            s.quantity_t.to_string(),
            s.critical_t.to_string(),
            short_source(&s.q_source, version),
            s.beta.to_string(),
            short_source(&s.beta_source, version),
            s.ratio_exact.to_truncated_string(DISPLAY_DECIMALS),
        ]);
    }
    out.push_str(&columns(&rows));
    for s in &u.substances {
        for n in &s.notes {
            let _ = writeln!(out, "  注{}：{n}", s.index + 1);
        }
    }
    let s_text = u.s_exact.to_truncated_string(DISPLAY_DECIMALS);
    if u.is_major_hazard {
        let _ = writeln!(out, "  S = Σq/Q = {s_text} ≥ 1：构成重大危险源");
    } else {
        let _ = writeln!(out, "  S = Σq/Q = {s_text} < 1：不构成重大危险源");
    }
    if let (Some(a), Some(src)) = (u.alpha, &u.alpha_source) {
        let _ = writeln!(out, "  α = {a}（{}）", short_source(src, version));
    }
    if let (Some(r), Some(g)) = (&u.r_exact, &u.grade_zh) {
        let _ = writeln!(
            out,
            "  R = α·Σβq/Q = {}：{g}重大危险源",
            r.to_truncated_string(DISPLAY_DECIMALS)
        );
    }
}

/// 辨识结果文本表 — the result as a plain-text table in Chinese, one block per unit.
pub fn render_table_zh(output: &AssessmentOutput) -> String {
    let version = output.table_version.as_str();
    let mut out = String::new();
    let _ = writeln!(out, "{version} 危险化学品重大危险源辨识与分级");
    if output.units.is_empty() {
        out.push_str("（无单元）\n");
    }
    for u in &output.units {
        out.push('\n');
        unit_block(&mut out, u, version);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_characters_are_two_columns_wide() {
        assert_eq!(width("二氧化硫"), 8);
        assert_eq!(width("W5.1"), 4);
        assert_eq!(width("（α）"), 5);
        assert_eq!(pad("氨", 4), "氨  ");
    }
}
