//! 显示文字 — display labels that `weihua-core` does not carry, and number formatting
//! for reason texts.

use weihua_core::{Indicator, MajorHazardGrade, RiskLevel};

/// 风险等级全称 — Chinese label of a risk level: colour and name (红/重大风险 …).
pub fn level_label_zh(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::Red => "红/重大风险",
        RiskLevel::Orange => "橙/较大风险",
        RiskLevel::Yellow => "黄/一般风险",
        RiskLevel::Blue => "蓝/低风险",
    }
}

/// English label of a risk level (red/major risk …).
pub fn level_label_en(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::Red => "red/major risk",
        RiskLevel::Orange => "orange/significant risk",
        RiskLevel::Yellow => "yellow/general risk",
        RiskLevel::Blue => "blue/low risk",
    }
}

/// 颜色 — the colour alone, in Chinese (红/橙/黄/蓝).
pub fn level_colour_zh(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::Red => "红",
        RiskLevel::Orange => "橙",
        RiskLevel::Yellow => "黄",
        RiskLevel::Blue => "蓝",
    }
}

/// Stable machine name of a risk level, as serde writes it (`red`, `orange`, `yellow`, `blue`).
pub fn level_as_str(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::Red => "red",
        RiskLevel::Orange => "orange",
        RiskLevel::Yellow => "yellow",
        RiskLevel::Blue => "blue",
    }
}

/// The more severe of two levels. `RiskLevel`'s `Ord` puts red first, so this is `min`.
pub fn worse(a: RiskLevel, b: RiskLevel) -> RiskLevel {
    a.min(b)
}

/// 等级中文 — 一级 … 四级.
pub(crate) fn grade_zh(grade: MajorHazardGrade) -> &'static str {
    match grade {
        MajorHazardGrade::Grade1 => "一级",
        MajorHazardGrade::Grade2 => "二级",
        MajorHazardGrade::Grade3 => "三级",
        MajorHazardGrade::Grade4 => "四级",
    }
}

/// English words for an indicator (core only has the snake_case code).
pub(crate) fn indicator_en(indicator: Indicator) -> &'static str {
    match indicator {
        Indicator::Level => "level",
        Indicator::Temperature => "temperature",
        Indicator::Pressure => "pressure",
        Indicator::Flow => "flow",
        Indicator::FlammableGas => "flammable gas",
        Indicator::ToxicGas => "toxic gas",
        Indicator::Oxygen => "oxygen",
        Indicator::WindSpeed => "wind speed",
        Indicator::WindDirection => "wind direction",
    }
}

/// A number for a reason text: at most two decimals, trailing zeros dropped
/// (`32` not `32.00`, `18.25`, `0.5`). Non-finite numbers never reach here.
pub(crate) fn fmt_num(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".to_string() } else { s }
}

/// Round to 0.01, the precision of every score and reason.
pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(fmt_num(32.0), "32");
        assert_eq!(fmt_num(123.4), "123.4");
        assert_eq!(fmt_num(18.256), "18.26");
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(fmt_num(-0.001), "0");
        assert_eq!(fmt_num(100.0), "100");
    }

    #[test]
    fn level_labels_name_colour_and_risk() {
        assert_eq!(level_label_zh(RiskLevel::Red), "红/重大风险");
        assert_eq!(level_label_zh(RiskLevel::Blue), "蓝/低风险");
        assert_eq!(level_label_en(RiskLevel::Orange), "orange/significant risk");
        assert_eq!(level_colour_zh(RiskLevel::Yellow), "黄");
        assert_eq!(worse(RiskLevel::Yellow, RiskLevel::Red), RiskLevel::Red);
        assert_eq!(worse(RiskLevel::Blue, RiskLevel::Orange), RiskLevel::Orange);
        for l in [
            RiskLevel::Red,
            RiskLevel::Orange,
            RiskLevel::Yellow,
            RiskLevel::Blue,
        ] {
            let json = serde_json::to_string(&l).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", level_as_str(l)));
        }
    }
}
