//! GB 18218-2018 tables 1–5, embedded from `data/gb18218/*.csv` and parsed once.
//!
//! The files keep their provenance line (`# …`) and the `source` column of the shared
//! data set. A table that does not parse, or that breaks an invariant checked here
//! (85 consecutive Table 1 rows, every Table 2 code has a Table 4 β, α bands cover every
//! head count once, the default categories cover every Table 1 row …), is a bug in
//! weihua; the unit test `embedded_tables_parse_and_hold_their_invariants` surfaces it.
//! At run time such a bug is reported as [`TableError`], never as a panic.

use crate::csv;
use crate::exact::Exact;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;
use weihua_core::CasNumber;

/// 标准版本 — the edition of the standard these tables come from.
pub const TABLE_VERSION: &str = "GB 18218-2018";

const TABLE1_CSV: &str = include_str!("../data/gb18218/table1.csv");
const TABLE2_CSV: &str = include_str!("../data/gb18218/table2.csv");
const BETA_CSV: &str = include_str!("../data/gb18218/beta.csv");
const ALPHA_CSV: &str = include_str!("../data/gb18218/alpha.csv");
const DEFAULTS_CSV: &str = include_str!("../data/gb18218/table1_default_categories.csv");

/// Table 1 rows whose name carries a concentration or grade qualifier (含量、无水、
/// 含可燃物、有效氧 …). A CAS number, an alias or the bare name (甲醛, 氯化氢, 硝酸)
/// does not tell whether the substance meets the qualifier — formalin, hydrochloric acid
/// and 68 % nitric acid share the CAS of rows 8, 11 and 81 — so such a match is an error
/// that asks for `table1_no` (qualifier met) or `not_in_table1` (qualifier not met).
/// Reference §6 and §9; the treatment of dilute solutions is weihua's interpretation
/// (unconfirmed in the standard).
pub const QUALIFIED_ROWS: &[u32] = &[8, 11, 37, 38, 39, 40, 41, 42, 43, 44, 45, 72, 81];

/// Names that Table 1 prints inside one cell and that a user would type alone.
const EXTRA_NAMES: &[(u32, &str)] = &[
    (49, "甲烷"),
    (49, "天然气"),
    (66, "乙醇汽油"),
    (66, "甲醇汽油"),
];

/// CAS numbers of the 14 Table 3 gases. The standard keys Table 3 by name only; these
/// are the numbers of reference §8.1 (一氧化碳's is not printed in the standard).
const TABLE3_CAS: &[(&str, &str)] = &[
    ("一氧化碳", "630-08-0"),
    ("二氧化硫", "7446-09-5"),
    ("氨", "7664-41-7"),
    ("环氧乙烷", "75-21-8"),
    ("氯化氢", "7647-01-0"),
    ("溴甲烷", "74-83-9"),
    ("氯", "7782-50-5"),
    ("硫化氢", "7783-06-4"),
    ("氟化氢", "7664-39-3"),
    ("二氧化氮", "10102-44-0"),
    ("氰化氢", "74-90-8"),
    ("碳酰氯", "75-44-5"),
    ("磷化氢", "7803-51-2"),
    ("异氰酸甲酯", "624-83-9"),
];

/// 一氧化碳 — carbon monoxide, the one Table 3 gas without its own Table 1 row.
pub const CARBON_MONOXIDE_CAS: &str = "630-08-0";
/// 一氧化碳 — its Chinese name.
pub const CARBON_MONOXIDE_NAME: &str = "一氧化碳";
/// Table 1 row 13, 煤气（CO，CO和H2、CH4的混合物等）.
pub const COAL_GAS_ROW: u32 = 13;

/// 嵌入表格错误 — an embedded table that does not parse or breaks an invariant (a bug).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("embedded table {table}, line {line}: {message}")]
pub struct TableError {
    /// The file, e.g. `table1.csv`.
    pub table: &'static str,
    /// 1-based line in the file (0 = the whole file).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// How a name matched a Table 1 row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameMatch {
    /// The full name as printed, qualifier included (`氯化氢（无水）`).
    FullName,
    /// One of the aliases (`液氨`).
    Alias,
    /// The name or an alias without its bracketed qualifier (`氯化氢`), or a name the
    /// row lists inside one cell (`天然气`).
    BaseName,
}

/// 表1 危险化学品名称及其临界量 — one row of Table 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table1Row {
    /// 序号 — row number 1–85 (the key; CAS is not unique).
    pub no: u32,
    /// 危险化学品名称 — the name as printed (normalised brackets).
    pub name_zh: String,
    /// 别名 — aliases.
    pub aliases_zh: Vec<String>,
    /// English name (a translation, not part of the standard).
    pub name_en: String,
    /// CAS号 — the row's CAS numbers (none for rows 13, 45, 74; several for 49, 52).
    pub cas: Vec<CasNumber>,
    /// The CAS cell as printed, qualifiers included.
    pub cas_text: String,
    /// 临界量 — critical quantity Q in t.
    pub critical_t: Exact,
    /// Extractions that agree on the row.
    pub source: String,
    /// 含量/规格限定 — the name carries a concentration or grade qualifier
    /// ([`QUALIFIED_ROWS`]).
    pub qualified: bool,
    #[serde(skip)]
    name_keys: Vec<(String, NameMatch)>,
}

impl Table1Row {
    /// How `name` matches this row, if it does (the closest match).
    pub fn match_name(&self, name: &str) -> Option<NameMatch> {
        let key = normalize_name(name);
        self.name_keys
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, m)| *m)
            .min()
    }

    /// `GB 18218-2018 表1 第N项`
    pub fn source_label(&self) -> String {
        format!("{TABLE_VERSION} 表1 第{}项", self.no)
    }
}

/// 表2 危险化学品类别及其临界量 — one hazard category of Table 2.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table2Row {
    /// 类别代码 — J1–J5, W1.1–W11.
    pub code: String,
    /// 类别 — the category as printed.
    pub category_zh: String,
    /// English description (a translation).
    pub category_en: String,
    /// 临界量 — critical quantity Q in t.
    pub critical_t: Exact,
    /// Extractions that agree on the row.
    pub source: String,
}

/// 表3 毒性气体校正系数β — one named toxic gas of Table 3.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table3Row {
    /// 名称 — the name as printed.
    pub name_zh: String,
    /// CAS号 (reference §8.1; not printed in Table 3).
    pub cas: CasNumber,
    /// 校正系数 β.
    pub beta: Exact,
    /// Provenance.
    pub source: String,
}

/// 表4 未在表3中列举的危险化学品校正系数β — β of one Table 2 category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table4Row {
    /// 类别代码.
    pub code: String,
    /// 校正系数 β.
    pub beta: Exact,
    /// Provenance.
    pub source: String,
}

/// 表5 暴露人员校正系数α — one band of resident people within 500 m.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlphaBand {
    /// 最少人数 (inclusive).
    pub min_people: u64,
    /// 最多人数 (inclusive); `None` = no upper bound ("100人以上").
    pub max_people: Option<u64>,
    /// 校正系数 α.
    pub alpha: Exact,
}

impl AlphaBand {
    /// `100人以上` / `50～99人` / `0人`
    pub fn label_zh(&self) -> String {
        match self.max_people {
            None => format!("{}人以上", self.min_people),
            Some(max) if max == self.min_people => format!("{max}人"),
            Some(max) => format!("{}～{}人", self.min_people, max),
        }
    }

    fn contains(&self, people: u64) -> bool {
        people >= self.min_people && self.max_people.is_none_or(|m| people <= m)
    }
}

/// 默认类别 — weihua's assumed default Table 2 category of a Table 1 row (not part of
/// GB 18218), used only to choose β from Table 4.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DefaultCategory {
    /// Table 1 row number.
    pub no: u32,
    /// Table 2 code.
    pub category_code: String,
    /// The GHS basis of the choice.
    pub note: String,
}

/// All embedded tables.
#[derive(Debug)]
pub struct Tables {
    table1: Vec<Table1Row>,
    table2: Vec<Table2Row>,
    table3: Vec<Table3Row>,
    table4: Vec<Table4Row>,
    alpha: Vec<AlphaBand>,
    defaults: Vec<DefaultCategory>,
}

static TABLES: LazyLock<Result<Tables, TableError>> = LazyLock::new(Tables::parse_embedded);

/// The embedded tables, parsed once.
pub fn tables() -> Result<&'static Tables, TableError> {
    TABLES.as_ref().map_err(Clone::clone)
}

/// 表1 — the 85 rows of Table 1, in order.
pub fn table1() -> Result<&'static [Table1Row], TableError> {
    Ok(&tables()?.table1)
}

/// 表2 — the 24 categories of Table 2.
pub fn table2() -> Result<&'static [Table2Row], TableError> {
    Ok(&tables()?.table2)
}

/// 表3 — the 14 named toxic gases with their β.
pub fn table3() -> Result<&'static [Table3Row], TableError> {
    Ok(&tables()?.table3)
}

/// 表4 — β for each Table 2 category.
pub fn table4() -> Result<&'static [Table4Row], TableError> {
    Ok(&tables()?.table4)
}

/// 表5 — the α bands.
pub fn alpha_bands() -> Result<&'static [AlphaBand], TableError> {
    Ok(&tables()?.alpha)
}

/// weihua's assumed default category of every Table 1 row (not part of GB 18218).
pub fn default_categories() -> Result<&'static [DefaultCategory], TableError> {
    Ok(&tables()?.defaults)
}

/// Table 1 row `no` (1–85).
pub fn table1_row(no: u32) -> Result<Option<&'static Table1Row>, TableError> {
    Ok(tables()?.table1_row(no))
}

/// Table 1 rows listing `cas`; several for 硝化纤维素 (37–42) and 硝酸铵 (43–44).
pub fn find_by_cas(cas: &CasNumber) -> Result<Vec<&'static Table1Row>, TableError> {
    Ok(tables()?.find_by_cas(cas))
}

/// Table 1 rows matching `name` (full name, alias, or base name), closest match kind
/// first per row.
pub fn find_by_name(name: &str) -> Result<Vec<(&'static Table1Row, NameMatch)>, TableError> {
    Ok(tables()?.find_by_name(name))
}

/// The Table 2 category `code` (`W5.1`), after trimming and upper-casing.
pub fn table2_category(code: &str) -> Result<Option<&'static Table2Row>, TableError> {
    Ok(tables()?.table2_category(code))
}

/// α for `people` resident within 500 m.
pub fn alpha_for(people: u64) -> Result<&'static AlphaBand, TableError> {
    tables()?.alpha_for(people)
}

/// Normalises a Chinese chemical name for comparison: no whitespace, half-width
/// brackets and punctuation, `≥`/`≤` for `>=`/`<=`, ASCII letters in lower case.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = match c {
            '（' => '(',
            '）' => ')',
            '［' | '【' => '[',
            '］' | '】' => ']',
            '，' => ',',
            '；' => ';',
            '％' => '%',
            '＞' => '>',
            '＜' => '<',
            '－' => '-',
            c if c.is_whitespace() => continue,
            c => c.to_ascii_lowercase(),
        };
        out.push(c);
    }
    out.replace(">=", "≥").replace("<=", "≤")
}

/// The name without its bracketed qualifier: `氯化氢（无水）` → `氯化氢`.
fn base_name(normalized: &str) -> Option<&str> {
    let i = normalized.find(['(', '['])?;
    let base = &normalized[..i];
    (!base.is_empty()).then_some(base)
}

impl Tables {
    fn parse_embedded() -> Result<Tables, TableError> {
        let table1 = parse_table1()?;
        let table2 = parse_table2()?;
        let (table3, table4) = parse_beta(&table2)?;
        let alpha = parse_alpha()?;
        let defaults = parse_defaults(&table1, &table2)?;
        Ok(Tables {
            table1,
            table2,
            table3,
            table4,
            alpha,
            defaults,
        })
    }

    /// Number of Table 1 rows (85).
    pub fn table1_len(&self) -> u32 {
        self.table1.len() as u32
    }

    /// Table 1 row `no`.
    pub fn table1_row(&self, no: u32) -> Option<&Table1Row> {
        self.table1.iter().find(|r| r.no == no)
    }

    /// Rows listing `cas`.
    pub fn find_by_cas(&self, cas: &CasNumber) -> Vec<&Table1Row> {
        self.table1.iter().filter(|r| r.cas.contains(cas)).collect()
    }

    /// Rows matching `name`.
    pub fn find_by_name(&self, name: &str) -> Vec<(&Table1Row, NameMatch)> {
        self.table1
            .iter()
            .filter_map(|r| r.match_name(name).map(|m| (r, m)))
            .collect()
    }

    /// A Table 2 category by code.
    pub fn table2_category(&self, code: &str) -> Option<&Table2Row> {
        let code = code.trim().to_ascii_uppercase();
        self.table2.iter().find(|r| r.code == code)
    }

    /// β of a Table 2 category from Table 4.
    pub fn table4_beta(&self, code: &str) -> Option<&Table4Row> {
        self.table4.iter().find(|r| r.code == code)
    }

    /// The Table 3 gas with this CAS.
    pub fn table3_by_cas(&self, cas: &CasNumber) -> Option<&Table3Row> {
        self.table3.iter().find(|r| &r.cas == cas)
    }

    /// The Table 3 gas with this name (normalised comparison).
    pub fn table3_by_name(&self, name: &str) -> Option<&Table3Row> {
        let key = normalize_name(name);
        self.table3
            .iter()
            .find(|r| normalize_name(&r.name_zh) == key)
    }

    /// The α band for `people`.
    pub fn alpha_for(&self, people: u64) -> Result<&AlphaBand, TableError> {
        self.alpha
            .iter()
            .find(|b| b.contains(people))
            .ok_or_else(|| TableError {
                table: "alpha.csv",
                line: 0,
                message: format!("no band contains {people} people"),
            })
    }

    /// weihua's default category of Table 1 row `no`.
    pub fn default_category(&self, no: u32) -> Option<&DefaultCategory> {
        self.defaults.iter().find(|d| d.no == no)
    }
}

fn err(table: &'static str, line: usize, message: impl Into<String>) -> TableError {
    TableError {
        table,
        line,
        message: message.into(),
    }
}

fn read(table: &'static str, text: &str, header: &[&str]) -> Result<Vec<csv::Record>, TableError> {
    csv::read(text, header).map_err(|e| err(table, e.line, e.message))
}

fn positive(table: &'static str, line: usize, text: &str) -> Result<Exact, TableError> {
    let v = Exact::parse(text).map_err(|e| err(table, line, e.to_string()))?;
    if v.cmp_integer(0).is_le() {
        return Err(err(table, line, format!("{text} is not positive")));
    }
    Ok(v)
}

fn parse_table1() -> Result<Vec<Table1Row>, TableError> {
    const T: &str = "table1.csv";
    let records = read(
        T,
        TABLE1_CSV,
        &[
            "no",
            "name_zh",
            "alias_zh",
            "name_en",
            "cas",
            "critical_t",
            "source",
        ],
    )?;
    let mut rows = Vec::with_capacity(records.len());
    for (i, rec) in records.iter().enumerate() {
        let f = &rec.fields;
        let no: u32 = f[0]
            .parse()
            .map_err(|_| err(T, rec.line, format!("row number '{}'", f[0])))?;
        if no as usize != i + 1 {
            return Err(err(T, rec.line, format!("row {no} out of order")));
        }
        let name_zh = f[1].trim().to_string();
        if name_zh.is_empty() {
            return Err(err(T, rec.line, "empty name"));
        }
        let aliases_zh: Vec<String> = f[2]
            .split(';')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        let mut cas = Vec::new();
        for part in f[4].split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let number = part.split_whitespace().next().unwrap_or(part);
            let parsed = CasNumber::parse(number)
                .map_err(|e| err(T, rec.line, format!("CAS '{number}': {}", e.en)))?;
            cas.push(parsed);
        }
        let critical_t = positive(T, rec.line, &f[5])?;
        let mut name_keys: Vec<(String, NameMatch)> = Vec::new();
        let full = normalize_name(&name_zh);
        if let Some(b) = base_name(&full) {
            name_keys.push((b.to_string(), NameMatch::BaseName));
        }
        name_keys.push((full, NameMatch::FullName));
        for a in &aliases_zh {
            let a = normalize_name(a);
            if let Some(b) = base_name(&a) {
                name_keys.push((b.to_string(), NameMatch::BaseName));
            }
            name_keys.push((a, NameMatch::Alias));
        }
        for (_, extra) in EXTRA_NAMES.iter().filter(|(n, _)| *n == no) {
            name_keys.push((normalize_name(extra), NameMatch::BaseName));
        }
        rows.push(Table1Row {
            no,
            name_zh,
            aliases_zh,
            name_en: f[3].trim().to_string(),
            cas,
            cas_text: f[4].trim().to_string(),
            critical_t,
            source: f[6].trim().to_string(),
            qualified: QUALIFIED_ROWS.contains(&no),
            name_keys,
        });
    }
    if rows.len() != 85 {
        return Err(err(T, 0, format!("{} rows, expected 85", rows.len())));
    }
    Ok(rows)
}

fn parse_table2() -> Result<Vec<Table2Row>, TableError> {
    const T: &str = "table2.csv";
    let records = read(
        T,
        TABLE2_CSV,
        &["code", "category_zh", "category_en", "critical_t", "source"],
    )?;
    let mut rows: Vec<Table2Row> = Vec::new();
    for rec in &records {
        let f = &rec.fields;
        let code = f[0].trim().to_string();
        let valid = (code.starts_with('J') || code.starts_with('W'))
            && code[1..]
                .split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !valid || rows.iter().any(|r| r.code == code) {
            return Err(err(T, rec.line, format!("bad or duplicate code '{code}'")));
        }
        rows.push(Table2Row {
            code,
            category_zh: f[1].trim().to_string(),
            category_en: f[2].trim().to_string(),
            critical_t: positive(T, rec.line, &f[3])?,
            source: f[4].trim().to_string(),
        });
    }
    if rows.len() != 24 {
        return Err(err(T, 0, format!("{} categories, expected 24", rows.len())));
    }
    Ok(rows)
}

fn parse_beta(table2: &[Table2Row]) -> Result<(Vec<Table3Row>, Vec<Table4Row>), TableError> {
    const T: &str = "beta.csv";
    let records = read(T, BETA_CSV, &["key", "kind", "beta", "source"])?;
    let mut t3 = Vec::new();
    let mut t4: Vec<Table4Row> = Vec::new();
    for rec in &records {
        let f = &rec.fields;
        let key = f[0].trim();
        let beta = positive(T, rec.line, &f[2])?;
        match f[1].trim() {
            "substance" => {
                let cas_text = TABLE3_CAS
                    .iter()
                    .find(|(n, _)| *n == key)
                    .map(|(_, c)| *c)
                    .ok_or_else(|| {
                        err(T, rec.line, format!("no CAS known for Table 3 gas '{key}'"))
                    })?;
                let cas = CasNumber::parse(cas_text)
                    .map_err(|e| err(T, rec.line, format!("CAS '{cas_text}': {}", e.en)))?;
                t3.push(Table3Row {
                    name_zh: key.to_string(),
                    cas,
                    beta,
                    source: f[3].trim().to_string(),
                });
            }
            "category" => {
                if !table2.iter().any(|r| r.code == key) || t4.iter().any(|r| r.code == key) {
                    return Err(err(
                        T,
                        rec.line,
                        format!("'{key}' is not a Table 2 code or repeats"),
                    ));
                }
                t4.push(Table4Row {
                    code: key.to_string(),
                    beta,
                    source: f[3].trim().to_string(),
                });
            }
            other => return Err(err(T, rec.line, format!("unknown kind '{other}'"))),
        }
    }
    if t3.len() != TABLE3_CAS.len() {
        return Err(err(
            T,
            0,
            format!("{} Table 3 gases, expected 14", t3.len()),
        ));
    }
    if let Some(missing) = table2.iter().find(|r| !t4.iter().any(|b| b.code == r.code)) {
        return Err(err(T, 0, format!("no Table 4 β for {}", missing.code)));
    }
    Ok((t3, t4))
}

fn parse_alpha() -> Result<Vec<AlphaBand>, TableError> {
    const T: &str = "alpha.csv";
    let records = read(T, ALPHA_CSV, &["min_people", "max_people", "alpha"])?;
    let mut bands = Vec::new();
    for rec in &records {
        let f = &rec.fields;
        let min_people: u64 = f[0]
            .trim()
            .parse()
            .map_err(|_| err(T, rec.line, format!("min_people '{}'", f[0])))?;
        let max_people = match f[1].trim() {
            "" => None,
            m => Some(
                m.parse::<u64>()
                    .map_err(|_| err(T, rec.line, format!("max_people '{m}'")))?,
            ),
        };
        if max_people.is_some_and(|m| m < min_people) {
            return Err(err(T, rec.line, "max_people < min_people"));
        }
        bands.push(AlphaBand {
            min_people,
            max_people,
            alpha: positive(T, rec.line, &f[2])?,
        });
    }
    // The bands must cover 0, 1, 2, … exactly once, the last one without upper bound.
    let mut sorted: Vec<&AlphaBand> = bands.iter().collect();
    sorted.sort_by_key(|b| b.min_people);
    let mut next = Some(0u64);
    for b in &sorted {
        if next != Some(b.min_people) {
            return Err(err(T, 0, format!("bands do not join at {}", b.min_people)));
        }
        next = b.max_people.and_then(|m| m.checked_add(1));
    }
    if next.is_some() || sorted.is_empty() {
        return Err(err(T, 0, "the highest band must have no upper bound"));
    }
    Ok(bands)
}

fn parse_defaults(
    table1: &[Table1Row],
    table2: &[Table2Row],
) -> Result<Vec<DefaultCategory>, TableError> {
    const T: &str = "table1_default_categories.csv";
    let records = read(T, DEFAULTS_CSV, &["no", "category_code", "note"])?;
    let mut by_no: BTreeMap<u32, DefaultCategory> = BTreeMap::new();
    for rec in &records {
        let f = &rec.fields;
        let no: u32 = f[0]
            .trim()
            .parse()
            .map_err(|_| err(T, rec.line, format!("row number '{}'", f[0])))?;
        let code = f[1].trim().to_string();
        if !table1.iter().any(|r| r.no == no) {
            return Err(err(T, rec.line, format!("no Table 1 row {no}")));
        }
        if !table2.iter().any(|r| r.code == code) {
            return Err(err(T, rec.line, format!("'{code}' is not a Table 2 code")));
        }
        let note = f[2].trim().to_string();
        if by_no
            .insert(
                no,
                DefaultCategory {
                    no,
                    category_code: code,
                    note,
                },
            )
            .is_some()
        {
            return Err(err(T, rec.line, format!("row {no} given twice")));
        }
    }
    let covered: BTreeSet<u32> = by_no.keys().copied().collect();
    if let Some(missing) = table1.iter().find(|r| !covered.contains(&r.no)) {
        return Err(err(
            T,
            0,
            format!("no default category for Table 1 row {}", missing.no),
        ));
    }
    Ok(by_no.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tables_parse_and_hold_their_invariants() {
        let t = match Tables::parse_embedded() {
            Ok(t) => t,
            Err(e) => panic!("embedded GB 18218 tables are broken: {e}"),
        };
        assert_eq!(t.table1.len(), 85);
        assert_eq!(t.table2.len(), 24);
        assert_eq!(t.table3.len(), 14);
        assert_eq!(t.table4.len(), 24);
        assert_eq!(t.alpha.len(), 5);
        assert_eq!(t.defaults.len(), 85);
        // 79 distinct CAS numbers in Table 1 (reference §9), all with valid check digits
        // (checked while parsing).
        let distinct: BTreeSet<&str> = t
            .table1
            .iter()
            .flat_map(|r| r.cas.iter().map(CasNumber::as_str))
            .collect();
        assert_eq!(distinct.len(), 79);
        for no in [13, 45, 74] {
            assert!(
                t.table1_row(no).is_some_and(|r| r.cas.is_empty()),
                "row {no}"
            );
        }
        assert!(tables().is_ok());
    }

    #[test]
    fn every_table3_gas_except_carbon_monoxide_is_a_table1_row() {
        let t = tables().unwrap();
        for gas in &t.table3 {
            let rows = t.find_by_cas(&gas.cas);
            if gas.name_zh == CARBON_MONOXIDE_NAME {
                assert!(rows.is_empty());
            } else {
                assert_eq!(rows.len(), 1, "{}", gas.name_zh);
                assert!(
                    rows[0].match_name(&gas.name_zh).is_some(),
                    "{}",
                    gas.name_zh
                );
            }
        }
    }

    #[test]
    fn names_match_with_or_without_qualifier() {
        let t = tables().unwrap();
        let hits = |n: &str| -> Vec<(u32, NameMatch)> {
            t.find_by_name(n).iter().map(|(r, m)| (r.no, *m)).collect()
        };
        assert_eq!(hits("氯化氢(无水)"), [(11, NameMatch::FullName)]);
        assert_eq!(hits("氯化氢"), [(11, NameMatch::BaseName)]);
        assert_eq!(hits("液氨"), [(1, NameMatch::Alias)]);
        assert_eq!(hits("天然气"), [(49, NameMatch::BaseName)]);
        assert_eq!(hits("液化石油气"), [(52, NameMatch::BaseName)]);
        assert_eq!(hits("tdi"), [(23, NameMatch::Alias)]);
        assert_eq!(hits("硝化棉").len(), 5);
        assert_eq!(hits("硝酸铵").len(), 2);
        assert!(hits("硫酸").is_empty());
    }
}
