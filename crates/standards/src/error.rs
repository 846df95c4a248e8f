//! 辨识错误 — errors of the GB 18218 engine. Each one names the unit and the substance
//! it is about and says, in Chinese and English, what is wrong and what to give instead.

use crate::tables::{Table1Row, TableError};
use serde::Serialize;

/// A Table 1 row offered as a choice in an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// 序号 — Table 1 row number.
    pub table1_no: u32,
    /// 名称 — the row's name.
    pub name_zh: String,
    /// 临界量 — its Q in t, as printed.
    pub critical_t: String,
}

impl Candidate {
    pub(crate) fn of(row: &Table1Row) -> Self {
        Self {
            table1_no: row.no,
            name_zh: row.name_zh.clone(),
            critical_t: row.critical_t.to_string(),
        }
    }
}

fn list_zh(c: &[Candidate]) -> String {
    c.iter()
        .map(|c| {
            format!(
                "第{}项 {}（临界量{} t）",
                c.table1_no, c.name_zh, c.critical_t
            )
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn list_en(c: &[Candidate]) -> String {
    c.iter()
        .map(|c| format!("row {} {} (Q {} t)", c.table1_no, c.name_zh, c.critical_t))
        .collect::<Vec<_>>()
        .join("; ")
}

/// What is wrong, with its data. The `Display` text is the English message.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ErrorKind {
    /// 内置表格错误 — an embedded table is broken (a bug in weihua, not in the input).
    #[error("{0} (a bug in weihua's embedded tables, not in the input)")]
    TableData(TableError),
    /// 单元编号为空.
    #[error("the unit id is empty")]
    EmptyUnitId,
    /// 单元编号重复.
    #[error("unit id '{id}' is used more than once")]
    DuplicateUnitId {
        /// The repeated id.
        id: String,
    },
    /// 物质未标识 — none of table1_no, cas, name, categories.
    #[error("the substance has none of table1_no, cas, name, categories; give at least one")]
    MissingIdentity,
    /// 数量无效 — not a finite number.
    #[error("quantity_t '{raw}' is not a finite number of tonnes")]
    InvalidQuantity {
        /// The text given.
        raw: String,
    },
    /// 数量为负.
    #[error("quantity_t {value} is negative; give the design maximum quantity in t (≥ 0)")]
    NegativeQuantity {
        /// The value given.
        value: String,
    },
    /// CAS号无效.
    #[error("CAS '{cas}' is invalid: {reason_en}")]
    InvalidCas {
        /// The text given.
        cas: String,
        /// Why (Chinese).
        reason_zh: String,
        /// Why (English).
        reason_en: String,
    },
    /// 未知类别代码 — not a Table 2 code.
    #[error("'{category}' is not a GB 18218-2018 Table 2 category code (J1–J5, W1.1–W11)")]
    UnknownCategory {
        /// The code given.
        category: String,
    },
    /// 表1序号超出范围.
    #[error("table1_no {no} is out of range; Table 1 has rows 1–{max}")]
    Table1NoOutOfRange {
        /// The number given.
        no: u32,
        /// The last row.
        max: u32,
    },
    /// 序号与CAS号不符.
    #[error(
        "table1_no {no} ({name_zh}) has CAS {expected}, but cas {given} was given; correct one of them"
    )]
    CasMismatch {
        /// The row.
        no: u32,
        /// Its name.
        name_zh: String,
        /// The CAS given.
        given: String,
        /// The row's CAS cell.
        expected: String,
    },
    /// 名称与序号或CAS号不符.
    #[error(
        "name '{name}' is Table 1 {}, not row {no} chosen by {chosen_by}; correct the name, the table1_no or the cas",
        list_en(.name_rows)
    )]
    NameMismatch {
        /// The name given.
        name: String,
        /// The row chosen by table1_no or CAS.
        no: u32,
        /// `table1_no` or `cas`.
        chosen_by: String,
        /// The rows the name matches.
        name_rows: Vec<Candidate>,
    },
    /// CAS号对应表1多项.
    #[error(
        "CAS {cas} matches several Table 1 rows: {}; give table1_no to say which grade it is",
        list_en(.candidates)
    )]
    AmbiguousCas {
        /// The CAS given.
        cas: String,
        /// The rows.
        candidates: Vec<Candidate>,
    },
    /// 名称对应表1多项.
    #[error(
        "name '{name}' matches several Table 1 rows: {}; give table1_no to say which grade it is",
        list_en(.candidates)
    )]
    AmbiguousName {
        /// The name given.
        name: String,
        /// The rows.
        candidates: Vec<Candidate>,
    },
    /// 表1该项有含量/规格限定，需确认.
    #[error(
        "{matched_by} matches Table 1 row {no} {name_zh}, which only covers that concentration or grade; give table1_no {no} if the substance meets it, or not_in_table1: true with its categories if it does not (e.g. a dilute solution)"
    )]
    QualifierNeedsConfirmation {
        /// The row.
        no: u32,
        /// Its name, qualifier included.
        name_zh: String,
        /// What matched, e.g. `CAS 7647-01-0`.
        matched_by: String,
    },
    /// 未知物质 — not in Table 1 and no categories given.
    #[error(
        "{what} is not in GB 18218-2018 Table 1; give its Table 2 hazard categories (categories, e.g. [\"W5.3\"]) from its GB 30000 classification, or table1_no if it is a Table 1 substance under another name"
    )]
    UnknownSubstance {
        /// The name and/or CAS given.
        what: String,
    },
    /// not_in_table1 与 table1_no 矛盾.
    #[error("not_in_table1 is true but table1_no {no} is given; give one or the other")]
    NotInTable1WithTable1No {
        /// The number given.
        no: u32,
    },
    /// not_in_table1 需要 categories.
    #[error("not_in_table1 is true, so its Table 2 hazard categories are needed (categories)")]
    NotInTable1WithoutCategories,
    /// 缺少500 m内常住人口数.
    #[error(
        "the unit is a major hazard installation (S = {s} ≥ 1); people_within_500m (resident people within 500 m of the plant boundary) is needed for α and R"
    )]
    MissingPeople {
        /// S.
        s: String,
    },
}

impl ErrorKind {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::TableData(e) => format!("内置标准表格错误（weihua缺陷，非输入问题）：{e}"),
            Self::EmptyUnitId => "单元编号为空".to_string(),
            Self::DuplicateUnitId { id } => format!("单元编号“{id}”重复"),
            Self::MissingIdentity => {
                "物质未标识：table1_no、cas、name、categories 至少给出一项".to_string()
            }
            Self::InvalidQuantity { raw } => format!("数量 quantity_t“{raw}”不是有效的吨数"),
            Self::NegativeQuantity { value } => {
                format!("数量 quantity_t 为负（{value}）；应填设计最大量（t，≥0）")
            }
            Self::InvalidCas { cas, reason_zh, .. } => format!("CAS号“{cas}”无效：{reason_zh}"),
            Self::UnknownCategory { category } => {
                format!("“{category}”不是GB 18218-2018表2的危险化学品类别代码（J1～J5、W1.1～W11）")
            }
            Self::Table1NoOutOfRange { no, max } => {
                format!("表1序号 table1_no {no} 超出范围（表1为第1～{max}项）")
            }
            Self::CasMismatch {
                no,
                name_zh,
                given,
                expected,
            } => format!(
                "表1第{no}项（{name_zh}）的CAS号为 {expected}，与所填CAS号 {given} 不符；请更正其一"
            ),
            Self::NameMismatch {
                name,
                no,
                chosen_by,
                name_rows,
            } => format!(
                "名称“{name}”对应表1{}，而按 {chosen_by} 确定的是第{no}项；请更正名称、table1_no 或 cas",
                list_zh(name_rows)
            ),
            Self::AmbiguousCas { cas, candidates } => format!(
                "CAS号 {cas} 对应表1多项：{}；请用 table1_no 指明所属规格",
                list_zh(candidates)
            ),
            Self::AmbiguousName { name, candidates } => format!(
                "名称“{name}”对应表1多项：{}；请用 table1_no 指明所属规格",
                list_zh(candidates)
            ),
            Self::QualifierNeedsConfirmation {
                no,
                name_zh,
                matched_by,
            } => format!(
                "{matched_by} 对应表1第{no}项“{name_zh}”，该项限定了含量或规格：符合限定请填 table1_no {no}；不符合（如稀溶液）请填 not_in_table1: true 并给出其表2类别 categories"
            ),
            Self::UnknownSubstance { what } => format!(
                "{what} 不在GB 18218-2018表1中；请按GB 30000分类给出表2危险性类别 categories（如 [\"W5.3\"]），若为表1物质的别名请填 table1_no"
            ),
            Self::NotInTable1WithTable1No { no } => {
                format!("not_in_table1 为 true 却又填了 table1_no {no}；两者只能取其一")
            }
            Self::NotInTable1WithoutCategories => {
                "not_in_table1 为 true，需给出其表2危险性类别 categories".to_string()
            }
            Self::MissingPeople { s } => format!(
                "该单元构成重大危险源（S = {s} ≥ 1），分级需要厂区边界向外500 m范围内常住人口数 people_within_500m"
            ),
        }
    }
}

/// 辨识错误 — an error of [`crate::assess`], located at a unit and a substance.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{message_en}")]
pub struct Gb18218Error {
    /// 单元编号 — the unit's id, when the error belongs to a unit.
    pub unit_id: Option<String>,
    /// 物质序号 — 0-based index in the unit's `substances`, when it belongs to one.
    pub substance_index: Option<usize>,
    /// 物质名称 — the substance's name as given, if any.
    pub substance_name: Option<String>,
    /// What is wrong (`code` plus its data).
    pub kind: Box<ErrorKind>,
    /// 中文说明, with its location.
    pub message_zh: String,
    /// English explanation, with its location.
    pub message_en: String,
}

impl Gb18218Error {
    /// An error at `unit_id` / substance `index` (0-based) named `name`.
    pub fn new(
        kind: ErrorKind,
        unit_id: Option<&str>,
        substance: Option<(usize, Option<&str>)>,
    ) -> Self {
        let mut zh = String::new();
        let mut en = String::new();
        if let Some(id) = unit_id {
            zh.push_str(&format!("单元“{id}”"));
            en.push_str(&format!("unit '{id}'"));
        }
        if let Some((i, name)) = substance {
            zh.push_str(&format!("第{}种物质", i + 1));
            en.push_str(&format!(", substance #{} (substances[{i}])", i + 1));
            if let Some(n) = name {
                zh.push_str(&format!("（{n}）"));
                en.push_str(&format!(" '{n}'"));
            }
        }
        if !zh.is_empty() {
            zh.push('：');
            en.push_str(": ");
        }
        zh.push_str(&kind.message_zh());
        en.push_str(&kind.to_string());
        Self {
            unit_id: unit_id.map(str::to_string),
            substance_index: substance.map(|(i, _)| i),
            substance_name: substance.and_then(|(_, n)| n.map(str::to_string)),
            kind: Box::new(kind),
            message_zh: zh,
            message_en: en,
        }
    }
}

impl From<TableError> for Gb18218Error {
    fn from(e: TableError) -> Self {
        Self::new(ErrorKind::TableData(e), None, None)
    }
}
