//! weihua-ledger — 台账导入导出 — the registry ledger as spreadsheets.
//!
//! A ledger (台账) is a workbook with up to six sheets — 企业, 重大危险源, 单元,
//! 设备, 监测点位, 库存 — or one CSV file per sheet. This crate
//!
//! - parses a workbook ([`parse_xlsx`]) or a CSV sheet ([`parse_csv`]) into a
//!   [`LedgerBatch`], checking every cell through the validated types of
//!   `weihua-core` and reporting *every* problem with its sheet, row and column;
//! - imports a batch all-or-nothing ([`import`]): one audited write
//!   transaction, rolled back if any row fails;
//! - exports everything visible in a scope ([`export_xlsx`]) as a workbook that
//!   imports back unchanged (Chinese sheet names and headers).
//!
//! Headers are accepted in English (the column key) or Chinese, ignoring case
//! and white space; sheet names likewise. Row numbers are the ones Excel
//! shows: the header is row 1. A row number of 0 means the whole sheet/file.

mod columns;
mod export;
mod import;
mod parse;
mod rows;

use serde::{Deserialize, Serialize};
use std::fmt;

pub use columns::Column;
pub use export::{export_xlsx, template_xlsx};
pub use import::{ImportReport, check, check_csv, check_xlsx, import, import_csv, import_xlsx};
pub use parse::{MAX_CELLS, MAX_ROWS_PER_SHEET, parse_csv, parse_xlsx};
pub use rows::{
    EnterpriseRow, EquipmentRow, InstallationRow, InventoryRow, LedgerBatch, Located, PointRow,
    UnitRow,
};

/// 台账类别 — the kind of a ledger sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    /// 企业
    Enterprises,
    /// 重大危险源
    Installations,
    /// 单元（生产单元 / 储存单元）
    Units,
    /// 设备
    Equipment,
    /// 监测点位
    Points,
    /// 库存（危险化学品）
    Inventories,
}

impl LedgerKind {
    /// All kinds, in the order they are imported (parents before children).
    pub const ALL: [LedgerKind; 6] = [
        Self::Enterprises,
        Self::Installations,
        Self::Units,
        Self::Equipment,
        Self::Points,
        Self::Inventories,
    ];

    /// The English key: `enterprises`, `installations`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enterprises => "enterprises",
            Self::Installations => "installations",
            Self::Units => "units",
            Self::Equipment => "equipment",
            Self::Points => "points",
            Self::Inventories => "inventories",
        }
    }

    /// 中文名称 — the Chinese sheet name: 企业, 重大危险源, …
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Enterprises => "企业",
            Self::Installations => "重大危险源",
            Self::Units => "单元",
            Self::Equipment => "设备",
            Self::Points => "监测点位",
            Self::Inventories => "库存",
        }
    }

    /// Parse an English key or a Chinese name, ignoring case and white space.
    pub fn parse(s: &str) -> Option<Self> {
        let norm: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == norm || k.label_zh() == norm)
    }

    /// 表头 — the columns of this sheet, in export order.
    pub fn columns(self) -> &'static [Column] {
        columns::columns(self)
    }

    /// The column with this English key, if the sheet has it.
    pub fn column(self, key: &str) -> Option<&'static Column> {
        self.columns().iter().find(|c| c.key == key)
    }
}

impl fmt::Display for LedgerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// 行错误 — one problem found in a ledger, located as Excel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// Sheet name as written in the workbook (for CSV: the kind's Chinese
    /// name); empty when the whole file is unreadable.
    pub sheet: String,
    /// 1-based row as Excel shows it; the header is row 1; 0 = the whole sheet or file.
    pub row: usize,
    /// English column key (`credit_code`, `tag`, …); for an unknown column,
    /// the header as written; `None` when the problem is not in one column.
    pub column: Option<String>,
    /// 中文说明
    pub message_zh: String,
    /// English explanation
    pub message_en: String,
}

impl RowError {
    pub(crate) fn new(
        sheet: impl Into<String>,
        row: usize,
        column: Option<&str>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            sheet: sheet.into(),
            row,
            column: column.map(str::to_string),
            message_zh: zh.into(),
            message_en: en.into(),
        }
    }

    /// An error in one cell of a known sheet kind: the message is prefixed
    /// with the column's name (Chinese in `message_zh`, the key in `message_en`).
    pub(crate) fn cell(
        kind: LedgerKind,
        sheet: &str,
        row: usize,
        key: &str,
        zh: impl AsRef<str>,
        en: impl AsRef<str>,
    ) -> Self {
        let label = kind.column(key).map_or(key, |c| c.zh);
        Self::new(
            sheet,
            row,
            Some(key),
            format!("【{label}】{}", zh.as_ref()),
            format!("{key}: {}", en.as_ref()),
        )
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.sheet)?;
        if self.row > 0 {
            write!(f, " row {}", self.row)?;
        }
        if let Some(c) = &self.column {
            write!(f, " [{c}]")?;
        }
        write!(f, ": {}", self.message_en)
    }
}

/// 台账错误清单 — every problem found in a ledger; nothing was imported.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, thiserror::Error)]
pub struct LedgerErrors {
    pub errors: Vec<RowError>,
}

impl LedgerErrors {
    pub(crate) fn one(e: RowError) -> Self {
        Self { errors: vec![e] }
    }

    /// Order errors by sheet kind (import order), then row. Stable, so
    /// errors of one row keep the order of their columns.
    pub(crate) fn sorted(mut errors: Vec<RowError>) -> Self {
        errors.sort_by_key(|e| {
            let rank = LedgerKind::parse(&e.sheet).map_or(0, |k| k as usize + 1);
            (rank, e.row)
        });
        Self { errors }
    }
}

impl fmt::Display for LedgerErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.errors.as_slice() {
            [] => f.write_str("the ledger has errors"),
            [one] => write!(f, "{one}"),
            [first, rest @ ..] => write!(f, "{first} (and {} more problems)", rest.len()),
        }
    }
}

/// 导出错误 — why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("store: {0}")]
    Store(#[from] weihua_store::StoreError),
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_both_languages() {
        for k in LedgerKind::ALL {
            assert_eq!(LedgerKind::parse(k.as_str()), Some(k));
            assert_eq!(LedgerKind::parse(k.label_zh()), Some(k));
        }
        assert_eq!(LedgerKind::parse(" Points "), Some(LedgerKind::Points));
        assert_eq!(LedgerKind::parse("监测 点位"), Some(LedgerKind::Points));
        assert_eq!(LedgerKind::parse("Sheet1"), None);
    }

    #[test]
    fn errors_sort_by_kind_then_row() {
        let e = |s: &str, r| RowError::new(s, r, None, "", "");
        let sorted = LedgerErrors::sorted(vec![
            e("库存", 2),
            e("企业", 5),
            e("Sheet9", 0),
            e("企业", 3),
        ]);
        let got: Vec<(String, usize)> = sorted
            .errors
            .into_iter()
            .map(|e| (e.sheet, e.row))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Sheet9".into(), 0),
                ("企业".into(), 3),
                ("企业".into(), 5),
                ("库存".into(), 2)
            ]
        );
    }
}
