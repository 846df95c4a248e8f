//! 表头 — the fixed columns of each ledger sheet and how headers are matched.

use crate::LedgerKind;

/// 台账列 — one column of a ledger sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// English key, also accepted as the header (`credit_code`).
    pub key: &'static str,
    /// 中文表头 — the Chinese header, written by the export (`统一社会信用代码`).
    pub zh: &'static str,
    /// 必填 — whether the column must be present and every row must fill it.
    pub required: bool,
    /// Other headers accepted for this column.
    pub aliases: &'static [&'static str],
    /// 文本列 — an identifier that must stay text even when it looks like a
    /// number (codes, tags); the export formats the column as text.
    pub text_only: bool,
}

const fn col(key: &'static str, zh: &'static str, required: bool) -> Column {
    Column {
        key,
        zh,
        required,
        aliases: &[],
        text_only: false,
    }
}

const fn code(key: &'static str, zh: &'static str, required: bool) -> Column {
    Column {
        key,
        zh,
        required,
        aliases: &[],
        text_only: true,
    }
}

const fn alias(mut c: Column, aliases: &'static [&'static str]) -> Column {
    c.aliases = aliases;
    c
}

const ENTERPRISE_CREDIT: Column = alias(
    code("enterprise_credit_code", "企业统一社会信用代码", true),
    &["统一社会信用代码"],
);
const INSTALLATION_CODE: Column = code("installation_code", "重大危险源编码", true);

const ENTERPRISES: &[Column] = &[
    code("credit_code", "统一社会信用代码", true),
    col("name", "企业名称", true),
    code("region_code", "行政区划代码", true),
    alias(col("park", "所在园区", false), &["园区", "化工园区"]),
    col("industry", "行业", false),
    col("address", "地址", false),
    col("legal_representative", "法定代表人", false),
];

const INSTALLATIONS: &[Column] = &[
    ENTERPRISE_CREDIT,
    alias(code("code", "重大危险源编码", true), &["编码"]),
    alias(col("name", "名称", true), &["重大危险源名称"]),
    col("description", "描述", false),
    alias(
        col("people_within_500m", "500米内常住人口", false),
        &["500米范围内常住人口", "500m内常住人口"],
    ),
    col("principal_name", "主要负责人", false),
    col("principal_phone", "主要负责人电话", false),
    col("technical_name", "技术负责人", false),
    col("technical_phone", "技术负责人电话", false),
    col("operational_name", "操作负责人", false),
    col("operational_phone", "操作负责人电话", false),
    col("latitude", "纬度", false),
    col("longitude", "经度", false),
];

const UNITS: &[Column] = &[
    ENTERPRISE_CREDIT,
    INSTALLATION_CODE,
    col("name", "单元名称", true),
    col("kind", "单元类型", true),
];

const EQUIPMENT: &[Column] = &[
    ENTERPRISE_CREDIT,
    INSTALLATION_CODE,
    col("unit_name", "单元名称", true),
    code("code", "设备编号", true),
    col("name", "设备名称", true),
    col("kind", "设备类型", true),
    alias(
        col("design_volume_m3", "设计容积(m3)", false),
        &["设计容积"],
    ),
    alias(
        col("design_pressure_mpa", "设计压力(MPa)", false),
        &["设计压力"],
    ),
];

const POINTS: &[Column] = &[
    ENTERPRISE_CREDIT,
    INSTALLATION_CODE,
    code("equipment_code", "设备编号", false),
    code("tag", "位号", true),
    col("name", "点位名称", true),
    col("indicator", "监测指标", true),
    alias(col("unit", "单位", true), &["工程单位"]),
    col("range_low", "量程下限", true),
    col("range_high", "量程上限", true),
    col("ll", "低低报", false),
    col("l", "低报", false),
    col("h", "高报", false),
    col("hh", "高高报", false),
];

const INVENTORIES: &[Column] = &[
    ENTERPRISE_CREDIT,
    INSTALLATION_CODE,
    col("unit_name", "单元名称", true),
    alias(
        col("chemical", "化学品", true),
        &["危险化学品", "化学品名称"],
    ),
    alias(
        col("design_max_quantity_t", "设计最大量(t)", true),
        &["设计最大量", "设计最大量(吨)"],
    ),
];

pub(crate) fn columns(kind: LedgerKind) -> &'static [Column] {
    match kind {
        LedgerKind::Enterprises => ENTERPRISES,
        LedgerKind::Installations => INSTALLATIONS,
        LedgerKind::Units => UNITS,
        LedgerKind::Equipment => EQUIPMENT,
        LedgerKind::Points => POINTS,
        LedgerKind::Inventories => INVENTORIES,
    }
}

/// Header text as compared: no white space (including the full-width space),
/// lower case, full-width brackets as ASCII, `³` as `3`, no `*` marks.
pub(crate) fn normalize_header(s: &str) -> String {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '³' => '3',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    s.trim_matches('*').to_string()
}

/// The column of `kind` that this header names, if any.
pub(crate) fn find_column(kind: LedgerKind, header: &str) -> Option<&'static Column> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    columns(kind).iter().find(|c| {
        normalize_header(c.key) == h
            || normalize_header(c.zh) == h
            || c.aliases.iter().any(|a| normalize_header(a) == h)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn headers_match_in_both_languages_loosely() {
        let k = LedgerKind::Equipment;
        assert_eq!(
            find_column(k, "design_volume_m3").map(|c| c.key),
            Some("design_volume_m3")
        );
        assert_eq!(
            find_column(k, " 设计容积（m³） ").map(|c| c.key),
            Some("design_volume_m3")
        );
        assert_eq!(
            find_column(k, "Design_Pressure_MPa").map(|c| c.key),
            Some("design_pressure_mpa")
        );
        assert_eq!(find_column(k, "*设备 编号").map(|c| c.key), Some("code"));
        assert_eq!(
            find_column(LedgerKind::Points, "LL").map(|c| c.key),
            Some("ll")
        );
        assert_eq!(
            find_column(LedgerKind::Points, "HH").map(|c| c.key),
            Some("hh")
        );
        assert!(find_column(k, "颜色").is_none());
        assert!(find_column(k, "").is_none());
    }

    #[test]
    fn no_two_columns_of_a_sheet_share_a_header() {
        for kind in LedgerKind::ALL {
            let mut seen = HashSet::new();
            for c in columns(kind) {
                for h in [c.key, c.zh].iter().chain(c.aliases) {
                    assert!(seen.insert(normalize_header(h)), "{kind}: {h}");
                }
            }
        }
    }
}
