//! 台账解析 — reading a workbook or CSV file into a [`LedgerBatch`], checking
//! every cell and collecting every problem.

use crate::columns::{Column, find_column};
use crate::rows::{
    EnterpriseRow, EquipmentRow, InstallationRow, InventoryRow, LedgerBatch, Located, PointRow,
    UnitRow,
};
use crate::{LedgerErrors, LedgerKind, RowError};
use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;
use weihua_core::{
    CasNumber, CodeError, CreditCode, EquipmentKind, Guardian, Guardians, Indicator, Limits,
    RegionCode, Tag, UnitKind, check_unit,
};

/// 每表最大行数 — the most data rows one sheet may hold.
pub const MAX_ROWS_PER_SHEET: usize = 100_000;
/// 最大单元格数 — the most non-empty cells one file may hold.
pub const MAX_CELLS: usize = 5_000_000;

/// A non-empty cell as read from the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Number(f64),
    Int(i64),
    Bool(bool),
    /// A date/time cell, with its display form.
    Date(String),
    /// An Excel error value (`#N/A`, `#DIV/0!` …).
    Error(String),
}

/// Rows in order, each with its Excel row number and its non-empty cells
/// `(0-based column, cell)` in column order.
pub(crate) type SheetRows = Vec<(usize, Vec<(usize, Cell)>)>;

/// One sheet as read.
pub(crate) struct RawSheet {
    pub name: String,
    pub rows: SheetRows,
}

/// Keys of rows that were refused, so that rows referring to them are skipped
/// quietly instead of repeating "not found" for a problem already reported.
#[derive(Debug, Default)]
pub(crate) struct Rejected {
    /// Whole sheets refused (bad header, duplicate sheet).
    pub kinds: HashSet<LedgerKind>,
    /// Credit codes.
    pub enterprises: HashSet<String>,
    /// (credit code, installation code)
    pub installations: HashSet<(String, String)>,
    /// (credit code, installation code, unit name)
    pub units: HashSet<(String, String, String)>,
    /// (credit code, equipment code)
    pub equipment: HashSet<(String, String)>,
}

/// The outcome of a lenient parse: the good rows, and every problem.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub batch: LedgerBatch,
    pub rejected: Rejected,
    pub errors: Vec<RowError>,
}

impl Parsed {
    fn fatal(e: RowError) -> Self {
        Self {
            errors: vec![e],
            ..Default::default()
        }
    }

    fn require_data(&mut self, sheet: &str) {
        if self.errors.is_empty() && self.batch.is_empty() {
            self.errors.push(RowError::new(
                sheet,
                0,
                None,
                "没有可导入的数据行",
                "there are no data rows to import",
            ));
        }
    }

    fn into_result(self) -> Result<LedgerBatch, LedgerErrors> {
        if self.errors.is_empty() {
            Ok(self.batch)
        } else {
            Err(LedgerErrors::sorted(self.errors))
        }
    }
}

// ---------------------------------------------------------------- entry points

/// 解析Excel台账 — parse an `.xlsx` workbook whose sheets are ledger kinds
/// (English or Chinese sheet names). Every cell is checked; all problems are
/// returned together. Empty sheets with other names are ignored; other
/// sheets with data are refused.
pub fn parse_xlsx(bytes: &[u8]) -> Result<LedgerBatch, LedgerErrors> {
    xlsx_lenient(bytes).into_result()
}

/// 解析CSV台账 — parse one sheet of `kind` from a CSV file. The file must be
/// UTF-8 (a byte-order mark, as Excel writes, is accepted); anything else is
/// refused with a message to save it as "CSV UTF-8".
pub fn parse_csv(kind: LedgerKind, bytes: &[u8]) -> Result<LedgerBatch, LedgerErrors> {
    csv_lenient(kind, bytes).into_result()
}

pub(crate) fn xlsx_lenient(bytes: &[u8]) -> Parsed {
    // A malformed file must never take the process down: calamine is not
    // written against hostile input, so contain any panic inside it.
    let sheets = match std::panic::catch_unwind(|| read_xlsx(bytes)) {
        Ok(Ok(sheets)) => sheets,
        Ok(Err(e)) => return Parsed::fatal(e),
        Err(_) => return Parsed::fatal(unreadable("the reader failed")),
    };
    let mut parsed = Parsed::default();
    let mut seen: HashMap<LedgerKind, String> = HashMap::new();
    for sheet in &sheets {
        match LedgerKind::parse(&sheet.name) {
            None if sheet.rows.is_empty() => {}
            None => {
                let zh: Vec<&str> = LedgerKind::ALL.iter().map(|k| k.label_zh()).collect();
                let en: Vec<&str> = LedgerKind::ALL.iter().map(|k| k.as_str()).collect();
                parsed.errors.push(RowError::new(
                    &sheet.name,
                    0,
                    None,
                    format!(
                        "未知的工作表“{}”。工作表名称应为：{}",
                        sheet.name,
                        zh.join("、")
                    ),
                    format!(
                        "unknown sheet '{}'; sheets must be named {}",
                        sheet.name,
                        en.join(", ")
                    ),
                ));
            }
            Some(kind) => {
                if let Some(first) = seen.get(&kind) {
                    parsed.errors.push(RowError::new(
                        &sheet.name,
                        0,
                        None,
                        format!(
                            "工作表“{}”与“{first}”重复，都是{}表",
                            sheet.name,
                            kind.label_zh()
                        ),
                        format!(
                            "sheets '{}' and '{first}' are both the {} sheet",
                            sheet.name,
                            kind.as_str()
                        ),
                    ));
                    parsed.rejected.kinds.insert(kind);
                } else {
                    seen.insert(kind, sheet.name.clone());
                    parse_sheet(kind, sheet, &mut parsed);
                }
            }
        }
    }
    parsed.require_data("");
    parsed
}

pub(crate) fn csv_lenient(kind: LedgerKind, bytes: &[u8]) -> Parsed {
    let sheet_name = kind.label_zh();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let row = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return Parsed::fatal(RowError::new(
                sheet_name,
                row,
                None,
                "文件不是UTF-8编码（可能是GBK/ANSI）。请在Excel中选择“文件 → 另存为”，\
                 保存类型选“CSV UTF-8（逗号分隔）(*.csv)”，再重新上传",
                "the file is not UTF-8 encoded (perhaps GBK/ANSI); in Excel choose \
                 File → Save As with type \"CSV UTF-8 (Comma delimited) (*.csv)\" and upload it again",
            ));
        }
    };
    let rows = match csv_rows(sheet_name, text) {
        Ok(rows) => rows,
        Err(e) => return Parsed::fatal(e),
    };
    let sheet = RawSheet {
        name: sheet_name.to_string(),
        rows,
    };
    let mut parsed = Parsed::default();
    parse_sheet(kind, &sheet, &mut parsed);
    parsed.require_data(sheet_name);
    parsed
}

/// The non-empty records of a CSV text, each with the row Excel would show
/// it on: blank lines count as rows, newlines inside quoted cells do not.
fn csv_rows(sheet_name: &str, text: &str) -> Result<SheetRows, RowError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // The csv crate reports a record's position as the end of the previous
    // one (before any blank lines), so find the true start and count the
    // newlines up to it ourselves, less those inside quoted cells.
    let mut counted_to = 0usize;
    let mut newlines = 0usize;
    let mut embedded_newlines = 0usize;
    let mut cells_total = 0usize;
    for record in reader.records() {
        let record = record.map_err(|e| {
            RowError::new(
                sheet_name,
                newlines.saturating_sub(embedded_newlines) + 1,
                None,
                format!("CSV格式错误：{e}"),
                format!("malformed CSV: {e}"),
            )
        })?;
        let reported = record
            .position()
            .map_or(counted_to, |p| p.byte() as usize)
            .clamp(counted_to, text.len());
        let rest = text.get(reported..).unwrap_or("");
        let start = reported + (rest.len() - rest.trim_start_matches(['\r', '\n']).len());
        newlines += text.as_bytes()[counted_to..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted_to = start;
        let excel_row = newlines.saturating_sub(embedded_newlines) + 1;
        let mut cells = Vec::new();
        for (i, field) in record.iter().enumerate() {
            embedded_newlines += field.matches('\n').count();
            if !field.trim().is_empty() {
                cells.push((i, Cell::Text(field.to_string())));
            }
        }
        cells_total += cells.len();
        if cells_total > MAX_CELLS || rows.len() > MAX_ROWS_PER_SHEET {
            return Err(too_large(sheet_name));
        }
        if !cells.is_empty() {
            rows.push((excel_row, cells));
        }
    }
    Ok(rows)
}

// ---------------------------------------------------------------- reading xlsx

fn unreadable(detail: impl std::fmt::Display) -> RowError {
    RowError::new(
        "",
        0,
        None,
        format!("无法读取Excel文件，请上传.xlsx格式的工作簿（{detail}）"),
        format!("cannot read the workbook; upload an .xlsx file ({detail})"),
    )
}

fn too_large(sheet: &str) -> RowError {
    RowError::new(
        sheet,
        0,
        None,
        format!(
            "文件过大：每个工作表最多{MAX_ROWS_PER_SHEET}行、全部最多{MAX_CELLS}个单元格，请分批导入"
        ),
        format!(
            "the file is too large: at most {MAX_ROWS_PER_SHEET} rows a sheet and {MAX_CELLS} cells in all; import it in parts"
        ),
    )
}

fn convert(v: &DataRef<'_>) -> Option<Cell> {
    let text = |s: &str| (!s.trim().is_empty()).then(|| Cell::Text(s.to_string()));
    match v {
        DataRef::Empty => None,
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Int(i) => Some(Cell::Int(*i)),
        DataRef::Float(f) => Some(Cell::Number(*f)),
        DataRef::Bool(b) => Some(Cell::Bool(*b)),
        DataRef::DateTime(d) => Some(Cell::Date(d.to_string())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(Cell::Date(s.clone())),
        DataRef::Error(e) => Some(Cell::Error(e.to_string())),
    }
}

/// Stream every sheet's cells (never materialising the declared dimensions,
/// which a hostile file can make enormous).
fn read_xlsx(bytes: &[u8]) -> Result<Vec<RawSheet>, RowError> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let mut sheets = Vec::new();
    let mut cells_total = 0usize;
    for name in wb.sheet_names() {
        let mut reader = wb.worksheet_cells_reader(&name).map_err(unreadable)?;
        let mut rows: BTreeMap<u32, Vec<(usize, Cell)>> = BTreeMap::new();
        while let Some(cell) = reader.next_cell().map_err(unreadable)? {
            let Some(value) = convert(cell.get_value()) else {
                continue;
            };
            cells_total += 1;
            let (r, c) = cell.get_position();
            rows.entry(r).or_default().push((c as usize, value));
            if cells_total > MAX_CELLS || rows.len() > MAX_ROWS_PER_SHEET + 1 {
                return Err(too_large(&name));
            }
        }
        let rows = rows
            .into_iter()
            .map(|(r, mut cells)| {
                cells.sort_by_key(|(c, _)| *c);
                cells.dedup_by_key(|(c, _)| *c);
                (r as usize + 1, cells)
            })
            .collect();
        sheets.push(RawSheet { name, rows });
    }
    Ok(sheets)
}

// ---------------------------------------------------------------- cells

type Msg = (String, String);

/// Excel's name of a 0-based column: A, B, …, Z, AA, …
fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn cell_text(cell: &Cell) -> Result<String, Msg> {
    match cell {
        Cell::Text(s) => Ok(s.trim().to_string()),
        // Rust prints whole floats without ".0": a tag typed as 1101 reads "1101".
        Cell::Number(f) => Ok(format!("{f}")),
        Cell::Int(i) => Ok(i.to_string()),
        Cell::Bool(b) => Ok(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Cell::Date(d) => Err((
            format!("单元格被识别为日期（{d}），请将该列设置为文本格式后重新输入"),
            format!("the cell holds a date ({d}); format the column as text and enter it again"),
        )),
        Cell::Error(e) => Err((
            format!("单元格含错误值{e}"),
            format!("the cell holds the error value {e}"),
        )),
    }
}

fn cell_number(cell: &Cell) -> Result<f64, Msg> {
    let v = match cell {
        Cell::Number(f) => *f,
        Cell::Int(i) => *i as f64,
        Cell::Text(s) => {
            let t = s.trim();
            t.parse::<f64>()
                .map_err(|_| (format!("“{t}”不是数字"), format!("'{t}' is not a number")))?
        }
        other => {
            let shown = match other {
                Cell::Bool(b) => b.to_string(),
                Cell::Date(d) => d.clone(),
                Cell::Error(e) => e.clone(),
                _ => String::new(),
            };
            return Err((
                format!("“{shown}”不是数字"),
                format!("'{shown}' is not a number"),
            ));
        }
    };
    if v.is_finite() {
        Ok(v)
    } else {
        Err((
            "应为有限的数字".to_string(),
            "must be a finite number".to_string(),
        ))
    }
}

/// A CAS-shaped text (digits and hyphens only) is checked as a CAS number.
fn looks_like_cas(s: &str) -> bool {
    s.contains('-') && s.chars().all(|c| c.is_ascii_digit() || c == '-')
}

struct RowCtx<'a> {
    kind: LedgerKind,
    sheet: &'a str,
    row: usize,
    values: HashMap<&'static str, &'a Cell>,
    errors: Vec<RowError>,
}

impl<'a> RowCtx<'a> {
    fn err(&mut self, key: &str, zh: impl AsRef<str>, en: impl AsRef<str>) {
        self.errors
            .push(RowError::cell(self.kind, self.sheet, self.row, key, zh, en));
    }

    fn missing(&mut self, key: &str) {
        self.err(key, "必填，不能为空", "required; the cell is empty");
    }

    fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// The text of a cell without recording problems (for keys of refused rows).
    fn raw(&self, key: &str) -> Option<String> {
        self.values
            .get(key)
            .and_then(|c| cell_text(c).ok())
            .filter(|s| !s.is_empty())
    }

    /// Optional text: `None` when empty or wrong (the problem is recorded).
    fn text(&mut self, key: &'static str) -> Option<String> {
        let cell = *self.values.get(key)?;
        match cell_text(cell) {
            Ok(s) if s.is_empty() => None,
            Ok(s) => Some(s),
            Err((zh, en)) => {
                self.err(key, zh, en);
                None
            }
        }
    }

    fn req_text(&mut self, key: &'static str) -> Option<String> {
        if !self.values.contains_key(key) {
            self.missing(key);
            return None;
        }
        self.text(key)
    }

    /// A required code checked by a core parser. A code that arrived as a
    /// number gets a hint: long numbers lose digits in Excel.
    fn code<T>(&mut self, key: &'static str, parse: fn(&str) -> Result<T, CodeError>) -> Option<T> {
        let Some(cell) = self.values.get(key).copied() else {
            self.missing(key);
            return None;
        };
        let s = match cell_text(cell) {
            Ok(s) => s,
            Err((zh, en)) => {
                self.err(key, zh, en);
                return None;
            }
        };
        match parse(&s) {
            Ok(v) => Some(v),
            Err(e) => {
                let (mut zh, mut en) = (e.zh, e.en);
                if matches!(cell, Cell::Number(_) | Cell::Int(_)) {
                    zh.push_str("（该单元格是数字格式，长数字会丢失位数：请将该列设置为文本格式后重新输入）");
                    en.push_str(" (the cell is a number and long numbers lose digits: format the column as text and enter it again)");
                }
                self.err(key, zh, en);
                None
            }
        }
    }

    /// Optional number: `None` when empty or wrong (the problem is recorded).
    fn number(&mut self, key: &'static str) -> Option<f64> {
        let cell = *self.values.get(key)?;
        match cell_number(cell) {
            Ok(v) => Some(v),
            Err((zh, en)) => {
                self.err(key, zh, en);
                None
            }
        }
    }

    fn req_number(&mut self, key: &'static str) -> Option<f64> {
        if !self.values.contains_key(key) {
            self.missing(key);
            return None;
        }
        self.number(key)
    }

    fn integer(&mut self, key: &'static str) -> Option<i64> {
        let v = self.number(key)?;
        if v.fract() != 0.0 || v.abs() > 9.0e15 {
            self.err(
                key,
                format!("{v}不是整数"),
                format!("{v} is not a whole number"),
            );
            return None;
        }
        Some(v as i64)
    }

    /// A required choice among enum values; `allowed` lists them for the message.
    fn choice<T>(
        &mut self,
        key: &'static str,
        parse: fn(&str) -> Option<T>,
        allowed_zh: &str,
        allowed_en: &str,
    ) -> Option<T> {
        let s = self.req_text(key)?;
        let v = parse(&s).or_else(|| parse(&s.to_lowercase()));
        if v.is_none() {
            self.err(
                key,
                format!("“{s}”无效，可用：{allowed_zh}"),
                format!("'{s}' is not valid; use one of {allowed_en}"),
            );
        }
        v
    }

    fn guardian(&mut self, name_key: &'static str, phone_key: &'static str) -> Option<Guardian> {
        let name = self.text(name_key);
        let phone = self.text(phone_key);
        match (name, phone) {
            (Some(name), phone) => Some(Guardian {
                name,
                title: None,
                phone,
            }),
            (None, Some(_)) if !self.values.contains_key(name_key) => {
                self.err(
                    name_key,
                    "填写了电话，但缺少姓名",
                    "a phone number is given but no name",
                );
                None
            }
            _ => None,
        }
    }
}

// ---------------------------------------------------------------- rows

fn enterprise_row(c: &mut RowCtx<'_>) -> Option<EnterpriseRow> {
    let credit_code = c.code("credit_code", CreditCode::parse);
    let name = c.req_text("name");
    let region_code = c.code("region_code", RegionCode::parse);
    let park = c.text("park");
    let industry = c.text("industry");
    let address = c.text("address");
    let legal_representative = c.text("legal_representative");
    let (Some(credit_code), Some(name), Some(region_code)) = (credit_code, name, region_code)
    else {
        return None;
    };
    c.ok().then_some(EnterpriseRow {
        credit_code,
        name,
        region_code,
        park,
        industry,
        address,
        legal_representative,
    })
}

fn installation_row(c: &mut RowCtx<'_>) -> Option<InstallationRow> {
    let credit = c.code("enterprise_credit_code", CreditCode::parse);
    let code = c.req_text("code");
    let name = c.req_text("name");
    let description = c.text("description");
    let people = c.integer("people_within_500m").unwrap_or(0);
    let guardians = Guardians {
        principal: c.guardian("principal_name", "principal_phone"),
        technical: c.guardian("technical_name", "technical_phone"),
        operational: c.guardian("operational_name", "operational_phone"),
    };
    let latitude = c.number("latitude");
    let longitude = c.number("longitude");
    let (Some(enterprise_credit_code), Some(code), Some(name)) = (credit, code, name) else {
        return None;
    };
    c.ok().then_some(InstallationRow {
        enterprise_credit_code,
        code,
        name,
        description,
        people_within_500m: people,
        guardians,
        latitude,
        longitude,
    })
}

const UNIT_KINDS_ZH: &str = "生产单元、储存单元";
const UNIT_KINDS_EN: &str = "production, storage (生产单元, 储存单元)";

fn unit_row(c: &mut RowCtx<'_>) -> Option<UnitRow> {
    let credit = c.code("enterprise_credit_code", CreditCode::parse);
    let installation_code = c.req_text("installation_code");
    let name = c.req_text("name");
    let kind = c.choice("kind", UnitKind::parse, UNIT_KINDS_ZH, UNIT_KINDS_EN);
    let (Some(enterprise_credit_code), Some(installation_code), Some(name), Some(kind)) =
        (credit, installation_code, name, kind)
    else {
        return None;
    };
    c.ok().then_some(UnitRow {
        enterprise_credit_code,
        installation_code,
        name,
        kind,
    })
}

fn equipment_row(c: &mut RowCtx<'_>) -> Option<EquipmentRow> {
    let zh: Vec<&str> = EquipmentKind::ALL.iter().map(|k| k.label_zh()).collect();
    let en: Vec<&str> = EquipmentKind::ALL.iter().map(|k| k.as_str()).collect();
    let credit = c.code("enterprise_credit_code", CreditCode::parse);
    let installation_code = c.req_text("installation_code");
    let unit_name = c.req_text("unit_name");
    let code = c.req_text("code");
    let name = c.req_text("name");
    let kind = c.choice("kind", EquipmentKind::parse, &zh.join("、"), &en.join(", "));
    let design_volume_m3 = c.number("design_volume_m3");
    let design_pressure_mpa = c.number("design_pressure_mpa");
    let (
        Some(enterprise_credit_code),
        Some(installation_code),
        Some(unit_name),
        Some(code),
        Some(name),
        Some(kind),
    ) = (credit, installation_code, unit_name, code, name, kind)
    else {
        return None;
    };
    c.ok().then_some(EquipmentRow {
        enterprise_credit_code,
        installation_code,
        unit_name,
        code,
        name,
        kind,
        design_volume_m3,
        design_pressure_mpa,
    })
}

/// The column a failed [`Limits::check`] is about (mirrors its order of checks).
fn limits_column(limits: &Limits, low: f64, high: f64) -> &'static str {
    if !low.is_finite() || !high.is_finite() || low >= high {
        return "range_high";
    }
    let mut prev: Option<f64> = None;
    for (key, v) in [
        ("ll", limits.ll),
        ("l", limits.l),
        ("h", limits.h),
        ("hh", limits.hh),
    ] {
        let Some(v) = v else { continue };
        if !v.is_finite() || v < low || v > high || prev.is_some_and(|p| v <= p) {
            return key;
        }
        prev = Some(v);
    }
    "range_low"
}

fn point_row(c: &mut RowCtx<'_>) -> Option<PointRow> {
    let zh: Vec<&str> = Indicator::ALL.iter().map(|k| k.label_zh()).collect();
    let en: Vec<&str> = Indicator::ALL.iter().map(|k| k.as_str()).collect();
    let credit = c.code("enterprise_credit_code", CreditCode::parse);
    let installation_code = c.req_text("installation_code");
    let equipment_code = c.text("equipment_code");
    let tag = c.code("tag", Tag::parse);
    let name = c.req_text("name");
    let indicator = c.choice(
        "indicator",
        Indicator::parse,
        &zh.join("、"),
        &en.join(", "),
    );
    let unit = c.req_text("unit").and_then(|u| match indicator {
        Some(ind) => match check_unit(ind, &u) {
            Ok(u) => Some(u),
            Err(e) => {
                c.err("unit", e.zh, e.en);
                None
            }
        },
        None => Some(u),
    });
    let range_low = c.req_number("range_low");
    let range_high = c.req_number("range_high");
    let before = c.errors.len();
    let limits = Limits {
        ll: c.number("ll"),
        l: c.number("l"),
        h: c.number("h"),
        hh: c.number("hh"),
    };
    if let (Some(low), Some(high)) = (range_low, range_high)
        && c.errors.len() == before
        && let Err(e) = limits.check(low, high)
    {
        c.err(limits_column(&limits, low, high), e.zh, e.en);
    }
    let (
        Some(enterprise_credit_code),
        Some(installation_code),
        Some(tag),
        Some(name),
        Some(indicator),
        Some(unit),
        Some(range_low),
        Some(range_high),
    ) = (
        credit,
        installation_code,
        tag,
        name,
        indicator,
        unit,
        range_low,
        range_high,
    )
    else {
        return None;
    };
    c.ok().then_some(PointRow {
        enterprise_credit_code,
        installation_code,
        equipment_code,
        tag,
        name,
        indicator,
        unit,
        range_low,
        range_high,
        limits,
    })
}

fn inventory_row(c: &mut RowCtx<'_>) -> Option<InventoryRow> {
    let credit = c.code("enterprise_credit_code", CreditCode::parse);
    let installation_code = c.req_text("installation_code");
    let unit_name = c.req_text("unit_name");
    let chemical = c.req_text("chemical").and_then(|s| {
        if looks_like_cas(&s) {
            match CasNumber::parse(&s) {
                Ok(cas) => Some(cas.as_str().to_string()),
                Err(e) => {
                    c.err("chemical", e.zh, e.en);
                    None
                }
            }
        } else {
            Some(s)
        }
    });
    let quantity = c.req_number("design_max_quantity_t");
    let (
        Some(enterprise_credit_code),
        Some(installation_code),
        Some(unit_name),
        Some(chemical),
        Some(design_max_quantity_t),
    ) = (credit, installation_code, unit_name, chemical, quantity)
    else {
        return None;
    };
    c.ok().then_some(InventoryRow {
        enterprise_credit_code,
        installation_code,
        unit_name,
        chemical,
        design_max_quantity_t,
    })
}

// ---------------------------------------------------------------- sheets

/// Rows already seen in a sheet, by their natural key, to refuse duplicates.
#[derive(Default)]
struct Seen(HashMap<Vec<String>, usize>);

impl Seen {
    /// `Some(first_row)` when `key` was seen before; otherwise remembers it.
    fn first(&mut self, key: Vec<String>, row: usize) -> Option<usize> {
        match self.0.get(&key) {
            Some(first) => Some(*first),
            None => {
                self.0.insert(key, row);
                None
            }
        }
    }
}

fn push_unique<T>(
    c: &mut RowCtx<'_>,
    seen: &mut Seen,
    key: Vec<String>,
    column: &str,
    what: (&str, &str),
    rows: &mut Vec<Located<T>>,
    data: T,
) {
    match seen.first(key, c.row) {
        Some(first) => c.err(
            column,
            format!("{}与第{first}行重复", what.0),
            format!("{} duplicates row {first}", what.1),
        ),
        None => rows.push(Located {
            sheet: c.sheet.to_string(),
            row: c.row,
            data,
        }),
    }
}

fn upper(s: Option<String>) -> Option<String> {
    s.map(|s| s.to_ascii_uppercase())
}

fn parse_sheet(kind: LedgerKind, sheet: &RawSheet, parsed: &mut Parsed) {
    let Some(((header_row, header_cells), data)) = sheet.rows.split_first() else {
        return;
    };
    let header_row = *header_row;
    let before = parsed.errors.len();
    let mut by_col: HashMap<usize, &'static Column> = HashMap::new();
    let mut by_key: HashMap<&'static str, String> = HashMap::new();
    for (col, cell) in header_cells {
        let text = match cell_text(cell) {
            Ok(t) => t,
            Err((zh, en)) => {
                parsed.errors.push(RowError::new(
                    &sheet.name,
                    header_row,
                    None,
                    format!("表头第{}列：{zh}", column_letter(*col)),
                    format!("header column {}: {en}", column_letter(*col)),
                ));
                continue;
            }
        };
        match find_column(kind, &text) {
            None => {
                let zh: Vec<&str> = kind.columns().iter().map(|c| c.zh).collect();
                let en: Vec<&str> = kind.columns().iter().map(|c| c.key).collect();
                parsed.errors.push(RowError::new(
                    &sheet.name,
                    header_row,
                    Some(&text),
                    format!(
                        "未知的列“{text}”（第{}列）。{}表可用的列：{}",
                        column_letter(*col),
                        kind.label_zh(),
                        zh.join("、")
                    ),
                    format!(
                        "unknown column '{text}' (column {}); the {} sheet takes: {}",
                        column_letter(*col),
                        kind.as_str(),
                        en.join(", ")
                    ),
                ));
            }
            Some(c) => {
                if let Some(first) = by_key.get(c.key) {
                    parsed.errors.push(RowError::new(
                        &sheet.name,
                        header_row,
                        Some(c.key),
                        format!("列“{text}”与“{first}”重复，都是{}", c.zh),
                        format!("columns '{text}' and '{first}' are both {}", c.key),
                    ));
                } else {
                    by_key.insert(c.key, text.clone());
                    by_col.insert(*col, c);
                }
            }
        }
    }
    for c in kind.columns() {
        if c.required && !by_key.contains_key(c.key) {
            parsed.errors.push(RowError::new(
                &sheet.name,
                header_row,
                Some(c.key),
                format!("缺少必填列“{}”", c.zh),
                format!("the required column '{}' ({}) is missing", c.key, c.zh),
            ));
        }
    }
    if parsed.errors.len() > before {
        // Without a sound header no row can be read reliably.
        parsed.rejected.kinds.insert(kind);
        return;
    }

    let mut seen = Seen::default();
    for (row, cells) in data {
        let mut ctx = RowCtx {
            kind,
            sheet: &sheet.name,
            row: *row,
            values: HashMap::new(),
            errors: Vec::new(),
        };
        for (col, cell) in cells {
            match by_col.get(col) {
                Some(c) => {
                    ctx.values.insert(c.key, cell);
                }
                None => ctx.errors.push(RowError::new(
                    &sheet.name,
                    *row,
                    None,
                    format!("第{}列有数据，但该列没有表头", column_letter(*col)),
                    format!("column {} has data but no header", column_letter(*col)),
                )),
            }
        }
        let credit = upper(ctx.raw("credit_code").or(ctx.raw("enterprise_credit_code")));
        let b = &mut parsed.batch;
        let r = &mut parsed.rejected;
        match kind {
            LedgerKind::Enterprises => match enterprise_row(&mut ctx) {
                Some(d) => {
                    let key = vec![d.credit_code.as_str().to_string()];
                    let what = ("统一社会信用代码", "the unified social credit code");
                    push_unique(
                        &mut ctx,
                        &mut seen,
                        key,
                        "credit_code",
                        what,
                        &mut b.enterprises,
                        d,
                    );
                }
                None => r.enterprises.extend(credit),
            },
            LedgerKind::Installations => match installation_row(&mut ctx) {
                Some(d) => {
                    let key = vec![d.enterprise_credit_code.to_string(), d.code.clone()];
                    let what = (
                        "同一企业的重大危险源编码",
                        "the installation code of this enterprise",
                    );
                    push_unique(
                        &mut ctx,
                        &mut seen,
                        key,
                        "code",
                        what,
                        &mut b.installations,
                        d,
                    );
                }
                None => {
                    if let (Some(e), Some(code)) = (credit, ctx.raw("code")) {
                        r.installations.insert((e, code));
                    }
                }
            },
            LedgerKind::Units => match unit_row(&mut ctx) {
                Some(d) => {
                    let key = vec![
                        d.enterprise_credit_code.to_string(),
                        d.installation_code.clone(),
                        d.name.clone(),
                    ];
                    let what = (
                        "同一重大危险源的单元名称",
                        "the unit name in this installation",
                    );
                    push_unique(&mut ctx, &mut seen, key, "name", what, &mut b.units, d);
                }
                None => {
                    if let (Some(e), Some(i), Some(n)) =
                        (credit, ctx.raw("installation_code"), ctx.raw("name"))
                    {
                        r.units.insert((e, i, n));
                    }
                }
            },
            LedgerKind::Equipment => match equipment_row(&mut ctx) {
                Some(d) => {
                    let key = vec![d.enterprise_credit_code.to_string(), d.code.clone()];
                    let what = (
                        "同一企业的设备编号",
                        "the equipment code of this enterprise",
                    );
                    push_unique(&mut ctx, &mut seen, key, "code", what, &mut b.equipment, d);
                }
                None => {
                    if let (Some(e), Some(code)) = (credit, ctx.raw("code")) {
                        r.equipment.insert((e, code));
                    }
                }
            },
            LedgerKind::Points => {
                if let Some(d) = point_row(&mut ctx) {
                    let key = vec![d.enterprise_credit_code.to_string(), d.tag.to_string()];
                    let what = ("同一企业的位号", "the tag of this enterprise");
                    push_unique(&mut ctx, &mut seen, key, "tag", what, &mut b.points, d);
                }
            }
            LedgerKind::Inventories => {
                if let Some(d) = inventory_row(&mut ctx) {
                    let key = vec![
                        d.enterprise_credit_code.to_string(),
                        d.installation_code.clone(),
                        d.unit_name.clone(),
                        d.chemical.clone(),
                    ];
                    let what = ("同一单元的化学品", "the chemical of this unit");
                    push_unique(
                        &mut ctx,
                        &mut seen,
                        key,
                        "chemical",
                        what,
                        &mut b.inventories,
                        d,
                    );
                }
            }
        }
        parsed.errors.append(&mut ctx.errors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn numbers_read_as_text_lose_no_digits_and_gain_no_point() {
        assert_eq!(cell_text(&Cell::Number(1101.0)).unwrap(), "1101");
        assert_eq!(cell_text(&Cell::Number(320582.0)).unwrap(), "320582");
        assert_eq!(cell_text(&Cell::Number(2.16)).unwrap(), "2.16");
        assert_eq!(cell_text(&Cell::Int(7)).unwrap(), "7");
        assert!(cell_text(&Cell::Date("2024-01-01".into())).is_err());
    }

    #[test]
    fn numbers_refuse_nan_and_words() {
        assert_eq!(cell_number(&Cell::Text(" 12.5 ".into())).unwrap(), 12.5);
        assert!(cell_number(&Cell::Text("NaN".into())).is_err());
        assert!(cell_number(&Cell::Text("inf".into())).is_err());
        assert!(cell_number(&Cell::Text("十二".into())).is_err());
        assert!(cell_number(&Cell::Bool(true)).is_err());
    }

    #[test]
    fn limits_column_points_at_the_offending_limit() {
        let l = Limits {
            h: Some(9.0),
            hh: Some(8.0),
            ..Default::default()
        };
        assert_eq!(limits_column(&l, 0.0, 10.0), "hh");
        let l = Limits {
            ll: Some(-1.0),
            ..Default::default()
        };
        assert_eq!(limits_column(&l, 0.0, 10.0), "ll");
        assert_eq!(limits_column(&Limits::default(), 5.0, 5.0), "range_high");
    }

    #[test]
    fn cas_shape() {
        assert!(looks_like_cas("7664-41-7"));
        assert!(!looks_like_cas("液氨"));
        assert!(!looks_like_cas("1,3-丁二烯"));
        assert!(!looks_like_cas("7664"));
    }

    #[test]
    fn csv_rows_count_like_excel_despite_quoted_newlines() {
        let rows_of = |text: &str| -> Vec<usize> {
            csv_rows("t", text)
                .unwrap()
                .into_iter()
                .map(|(r, _)| r)
                .collect()
        };
        assert_eq!(rows_of("a\nb\n\nc\n"), vec![1, 2, 4]);
        assert_eq!(rows_of("a\r\nb\r\n\r\nc\r\n"), vec![1, 2, 4]);
        assert_eq!(rows_of("\n\na\nb\n"), vec![3, 4]);
        // Row 2 spans two lines inside quotes; the blank line is row 3.
        assert_eq!(rows_of("h,n\nA,\"two\nlines\"\n\nB,x\n"), vec![1, 2, 4]);
        // A row of empty cells is a row, and is skipped.
        assert_eq!(rows_of("a\n,,\nc"), vec![1, 3]);
    }
}
