//! 重大危险源辨识与分级 — identification (clause 4.2) and grading (clause 4.3) of the
//! units of a plant under GB 18218-2018, with the JSON contract of the CLI and HTTP API.

use crate::error::{Candidate, ErrorKind, Gb18218Error};
use crate::exact::{DISPLAY_DECIMALS, Exact, Quantity};
use crate::tables::{
    self, AlphaBand, CARBON_MONOXIDE_CAS, CARBON_MONOXIDE_NAME, COAL_GAS_ROW, NameMatch,
    TABLE_VERSION, Table1Row, Table2Row, Table3Row, TableError, Tables, normalize_name,
};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeSet;
use weihua_core::{CasNumber, MajorHazardGrade, UnitKind};

/// 辨识输入 — the units to identify and grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentInput {
    /// 单元 — production and storage units (clause 3.5/3.6); each is assessed on its own.
    pub units: Vec<UnitInput>,
    /// 计算选项 — the choices the standard leaves open (all "assumed").
    #[serde(default)]
    pub options: AssessmentOptions,
}

/// 单元 — one production unit (生产单元) or storage unit (储存单元).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitInput {
    /// 单元编号 — the unit's id, unique within the input (e.g. `罐区A`).
    pub id: String,
    /// 单元类型 — `production` or `storage`.
    pub kind: UnitKind,
    /// 厂区边界向外500 m范围内常住人口数 — resident people within 500 m of the plant
    /// boundary (Table 5). Needed when the unit is a major hazard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people_within_500m: Option<u64>,
    /// 危险化学品 — the hazardous chemicals in the unit.
    pub substances: Vec<SubstanceInput>,
}

/// 危险化学品 — one hazardous chemical (or mixture) in a unit.
///
/// Give at least one of `table1_no`, `cas`, `name`, `categories`. Its critical quantity
/// comes from Table 1 when it is a Table 1 substance (by `table1_no`, else by `cas`,
/// else by `name`), otherwise the smallest Table 2 quantity of its `categories`
/// (clause 4.1.2). A mixture keeps its pure component's identity when it stays in the
/// component's hazard class (count the whole mixture mass); otherwise give
/// `not_in_table1: true` and the mixture's own `categories` (clause 4.2.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubstanceInput {
    /// 名称 — name (Table 1 name or alias, or any name for a Table 2 substance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// CAS号 — CAS registry number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cas: Option<String>,
    /// 表1序号 — Table 1 row number (1–85); needed where a CAS number or name covers
    /// several rows (硝化纤维素, 硝酸铵) or a qualified row (甲醛>90 %, 氯化氢（无水）…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table1_no: Option<u32>,
    /// 危险性类别 — Table 2 codes of its GB 30000 classification (`["W2", "J3"]`). Give
    /// Q when the substance is not in Table 1; give β (Table 4) when it is not a Table 3
    /// gas, replacing weihua's default category of a Table 1 row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// 不属表1 — the substance does not meet its Table 1 entry (a dilute solution, or a
    /// mixture that falls into another hazard class, clause 4.2.3): use `categories` for
    /// Q and β even if its CAS or name is in Table 1.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_in_table1: bool,
    /// 设计最大量 — q, the design maximum quantity in t (clause 4.2.2), not the current
    /// inventory; aerosols (W3) by net weight.
    pub quantity_t: Quantity,
}

/// 多类别β取值 — which Table 4 β a substance with several categories takes. The standard
/// does not say (reference §8.1, "Not specified publicly — make configurable").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MultiCategoryBeta {
    /// 取最大β — the largest β among its categories (assumed; weihua's default).
    #[default]
    LargestBeta,
    /// 取确定临界量的类别 — the category that set Q (the smallest Table 2 Q); falls back
    /// to the largest β when Q came from Table 1 (assumed).
    QCategory,
}

/// 计算选项 — choices the standard leaves open; every one is "assumed".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AssessmentOptions {
    /// 多类别β取值 — see [`MultiCategoryBeta`].
    pub multi_category_beta: MultiCategoryBeta,
    /// 纯一氧化碳按表1第13项 — pure carbon monoxide (一氧化碳, 630-08-0) takes Q = 20 t
    /// from Table 1 row 13 “煤气（CO，CO和H2、CH4的混合物等）” (reference §8.4: the
    /// natural reading, unconfirmed). When false, CO needs `categories`.
    pub carbon_monoxide_as_table1_row13: bool,
}

impl Default for AssessmentOptions {
    fn default() -> Self {
        Self {
            multi_category_beta: MultiCategoryBeta::LargestBeta,
            carbon_monoxide_as_table1_row13: true,
        }
    }
}

/// 辨识结果 — the result for every unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentOutput {
    /// 标准版本 — `GB 18218-2018`.
    pub table_version: String,
    /// The options used.
    pub options: AssessmentOptions,
    /// 单元结果 — one per input unit, in input order.
    pub units: Vec<UnitResult>,
}

/// 单元辨识分级结果 — identification and grading of one unit.
///
/// Numbers (`S`, `R`, `ratio`) are truncated toward zero to
/// [`DISPLAY_DECIMALS`] decimals for display; the `*_exact` fields carry the exact
/// values (a decimal, or `n/d` when the decimal does not terminate) on which every
/// decision was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitResult {
    /// 单元编号.
    pub id: String,
    /// 单元类型.
    pub kind: UnitKind,
    /// S = Σ q/Q (clause 4.2.1).
    #[serde(rename = "S")]
    pub s: f64,
    /// S, exact.
    #[serde(rename = "S_exact")]
    pub s_exact: Exact,
    /// 是否构成重大危险源 — S ≥ 1.
    pub is_major_hazard: bool,
    /// 500 m内常住人口数, as given.
    pub people_within_500m: Option<u64>,
    /// 暴露人员校正系数 α (Table 5), when the head count is given.
    pub alpha: Option<f64>,
    /// Where α comes from.
    pub alpha_source: Option<String>,
    /// 分级指标 R = α Σ β q/Q (clause 4.3); `None` when not a major hazard.
    #[serde(rename = "R")]
    pub r: Option<f64>,
    /// R, exact.
    #[serde(rename = "R_exact")]
    pub r_exact: Option<Exact>,
    /// 重大危险源级别 — 1 (一级) … 4 (四级) (Table 6); `None` when not a major hazard.
    #[serde(with = "grade_number")]
    pub grade: Option<MajorHazardGrade>,
    /// 级别 — 一级 … 四级.
    pub grade_zh: Option<String>,
    /// 物质明细.
    pub substances: Vec<SubstanceResult>,
}

/// 物质计算明细 — how one substance entered S and R.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubstanceResult {
    /// 0-based index in the unit's input `substances`.
    pub index: usize,
    /// 名称 — as given, else the Table 1 name.
    pub name: String,
    /// CAS号, as given.
    pub cas: Option<String>,
    /// 表1序号 — the Table 1 row used for Q, if any.
    pub table1_no: Option<u32>,
    /// 危险性类别 — the Table 2 codes given (normalised).
    pub categories: Vec<String>,
    /// q — design maximum quantity in t.
    pub quantity_t: f64,
    /// 临界量 Q in t.
    #[serde(rename = "Q_t")]
    pub critical_t: f64,
    /// Where Q comes from (`GB 18218-2018 表1 第4项`, `GB 18218-2018 表2 W5.3`).
    #[serde(rename = "Q_source")]
    pub q_source: String,
    /// 校正系数 β.
    pub beta: f64,
    /// Where β comes from (`GB 18218-2018 表3 二氧化硫`, `GB 18218-2018 表4 W5.1…`).
    pub beta_source: String,
    /// The Table 2 category whose Table 4 β was used (`None` for a Table 3 gas).
    pub beta_category: Option<String>,
    /// q/Q.
    pub ratio: f64,
    /// q/Q, exact.
    pub ratio_exact: Exact,
    /// 说明 — how the identity was resolved and which assumptions were used.
    pub notes: Vec<String>,
}

mod grade_number {
    use serde::{Deserialize, Deserializer, Serializer};
    use weihua_core::MajorHazardGrade;

    pub fn serialize<S: Serializer>(g: &Option<MajorHazardGrade>, s: S) -> Result<S::Ok, S::Error> {
        match g {
            Some(g) => s.serialize_i64(g.as_number()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<MajorHazardGrade>, D::Error> {
        match Option::<i64>::deserialize(d)? {
            None => Ok(None),
            Some(n) => MajorHazardGrade::from_number(n)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("grade {n} is not 1–4"))),
        }
    }
}

/// 表6 — R at or above which a major hazard is 一级.
pub const GRADE1_MIN_R: i64 = 100;
/// 表6 — R at or above which a major hazard is 二级.
pub const GRADE2_MIN_R: i64 = 50;
/// 表6 — R at or above which a major hazard is 三级 (below: 四级).
pub const GRADE3_MIN_R: i64 = 10;

/// 重大危险源分级 — the grade for R (Table 6): 一级 R ≥ 100, 二级 50 ≤ R < 100,
/// 三级 10 ≤ R < 50, 四级 R < 10. Boundaries belong to the more severe grade.
pub fn grade_for(r: &Exact) -> MajorHazardGrade {
    if r.cmp_integer(GRADE1_MIN_R) != Ordering::Less {
        MajorHazardGrade::Grade1
    } else if r.cmp_integer(GRADE2_MIN_R) != Ordering::Less {
        MajorHazardGrade::Grade2
    } else if r.cmp_integer(GRADE3_MIN_R) != Ordering::Less {
        MajorHazardGrade::Grade3
    } else {
        MajorHazardGrade::Grade4
    }
}

/// 一级 … 四级
pub fn grade_zh(g: MajorHazardGrade) -> &'static str {
    match g {
        MajorHazardGrade::Grade1 => "一级",
        MajorHazardGrade::Grade2 => "二级",
        MajorHazardGrade::Grade3 => "三级",
        MajorHazardGrade::Grade4 => "四级",
    }
}

/// 重大危险源辨识与分级 — identifies and grades every unit of `input` with its options.
///
/// Fails on the first unit or substance that cannot be resolved without a guess; the
/// error names it and says what to give.
pub fn assess(input: &AssessmentInput) -> Result<AssessmentOutput, Gb18218Error> {
    let mut seen = BTreeSet::new();
    let mut units = Vec::with_capacity(input.units.len());
    for (i, unit) in input.units.iter().enumerate() {
        if unit.id.trim().is_empty() {
            return Err(Gb18218Error::new(
                ErrorKind::EmptyUnitId,
                Some(&format!("#{}", i + 1)),
                None,
            ));
        }
        if !seen.insert(unit.id.as_str()) {
            return Err(Gb18218Error::new(
                ErrorKind::DuplicateUnitId {
                    id: unit.id.clone(),
                },
                Some(&unit.id),
                None,
            ));
        }
        units.push(assess_unit(unit, &input.options)?);
    }
    Ok(AssessmentOutput {
        table_version: TABLE_VERSION.to_string(),
        options: input.options,
        units,
    })
}

/// One resolved substance, exact.
struct Resolved {
    name: String,
    table1_no: Option<u32>,
    categories: Vec<String>,
    quantity: Exact,
    critical: Exact,
    q_source: String,
    beta: Exact,
    beta_source: String,
    beta_category: Option<String>,
    notes: Vec<String>,
}

/// 单元辨识分级 — identifies and grades one unit.
pub fn assess_unit(
    unit: &UnitInput,
    options: &AssessmentOptions,
) -> Result<UnitResult, Gb18218Error> {
    let t = tables::tables()?;
    let unit_err = |kind| Gb18218Error::new(kind, Some(&unit.id), None);
    let mut substances = Vec::with_capacity(unit.substances.len());
    let mut s_sum = Exact::zero();
    let mut beta_sum = Exact::zero();
    for (i, sub) in unit.substances.iter().enumerate() {
        let located =
            |kind| Gb18218Error::new(kind, Some(&unit.id), Some((i, sub.name.as_deref())));
        let r = resolve(t, sub, options).map_err(located)?;
        let ratio = r.quantity.checked_div(&r.critical).ok_or_else(|| {
            located(ErrorKind::TableData(TableError {
                table: "table1.csv/table2.csv",
                line: 0,
                message: "critical quantity is zero".to_string(),
            }))
        })?;
        s_sum = &s_sum + &ratio;
        beta_sum = &beta_sum + &(&r.beta * &ratio);
        substances.push(SubstanceResult {
            index: i,
            name: r.name,
            cas: sub
                .cas
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string),
            table1_no: r.table1_no,
            categories: r.categories,
            quantity_t: r.quantity.to_f64(),
            critical_t: r.critical.to_f64(),
            q_source: r.q_source,
            beta: r.beta.to_f64(),
            beta_source: r.beta_source,
            beta_category: r.beta_category,
            ratio: ratio.to_f64_truncated(DISPLAY_DECIMALS),
            ratio_exact: ratio,
            notes: r.notes,
        });
    }
    // 4.2.1: S ≥ 1 — a major hazard installation (equality counts).
    let is_major_hazard = s_sum.cmp_integer(1) != Ordering::Less;
    let band: Option<&AlphaBand> = match unit.people_within_500m {
        Some(p) => Some(
            t.alpha_for(p)
                .map_err(|e| unit_err(ErrorKind::TableData(e)))?,
        ),
        None => None,
    };
    let (r_exact, grade) = if is_major_hazard {
        let band = band.ok_or_else(|| {
            unit_err(ErrorKind::MissingPeople {
                s: s_sum.to_truncated_string(DISPLAY_DECIMALS),
            })
        })?;
        // 4.3: R = α (β1 q1/Q1 + … + βn qn/Qn).
        let r = &band.alpha * &beta_sum;
        let g = grade_for(&r);
        (Some(r), Some(g))
    } else {
        (None, None)
    };
    Ok(UnitResult {
        id: unit.id.clone(),
        kind: unit.kind,
        s: s_sum.to_f64_truncated(DISPLAY_DECIMALS),
        s_exact: s_sum,
        is_major_hazard,
        people_within_500m: unit.people_within_500m,
        alpha: band.map(|b| b.alpha.to_f64()),
        alpha_source: band.zip(unit.people_within_500m).map(|(b, p)| {
            format!(
                "{TABLE_VERSION} 表5：500 m内常住人口{p}人（{}）→ α = {}",
                b.label_zh(),
                b.alpha
            )
        }),
        r: r_exact
            .as_ref()
            .map(|r| r.to_f64_truncated(DISPLAY_DECIMALS)),
        r_exact,
        grade,
        grade_zh: grade.map(|g| grade_zh(g).to_string()),
        substances,
    })
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn is_carbon_monoxide_name(name: &str) -> bool {
    normalize_name(name) == normalize_name(CARBON_MONOXIDE_NAME)
}

/// Table 1 rows for a CAS number, with pure CO mapped to row 13 when configured.
fn cas_rows<'t>(t: &'t Tables, cas: &CasNumber, o: &AssessmentOptions) -> Vec<&'t Table1Row> {
    let mut rows = t.find_by_cas(cas);
    if o.carbon_monoxide_as_table1_row13 && cas.as_str() == CARBON_MONOXIDE_CAS {
        rows.extend(t.table1_row(COAL_GAS_ROW));
    }
    rows
}

/// Table 1 rows for a name, with 一氧化碳 mapped to row 13 when configured.
fn name_rows<'t>(
    t: &'t Tables,
    name: &str,
    o: &AssessmentOptions,
) -> Vec<(&'t Table1Row, NameMatch)> {
    let mut rows = t.find_by_name(name);
    if o.carbon_monoxide_as_table1_row13
        && is_carbon_monoxide_name(name)
        && !rows.iter().any(|(r, _)| r.no == COAL_GAS_ROW)
    {
        rows.extend(t.table1_row(COAL_GAS_ROW).map(|r| (r, NameMatch::BaseName)));
    }
    rows
}

fn candidates<'a>(rows: impl IntoIterator<Item = &'a Table1Row>) -> Vec<Candidate> {
    rows.into_iter().map(Candidate::of).collect()
}

/// Clause 4.1.2 step 1: the Table 1 row of the substance, if it is a Table 1 substance.
/// Returns the row and whether the identity is explicit (by `table1_no` or by the full
/// name with its qualifier).
fn find_table1_row<'t>(
    t: &'t Tables,
    table1_no: Option<u32>,
    cas: Option<&CasNumber>,
    name: Option<&str>,
    o: &AssessmentOptions,
    notes: &mut Vec<String>,
) -> Result<Option<&'t Table1Row>, ErrorKind> {
    let check_name = |row: &Table1Row, chosen_by: &str| -> Result<bool, ErrorKind> {
        let Some(n) = name else { return Ok(false) };
        let rows = name_rows(t, n, o);
        match rows.iter().find(|(r, _)| r.no == row.no) {
            Some((_, m)) => Ok(*m == NameMatch::FullName),
            None if rows.is_empty() => Ok(false),
            None => Err(ErrorKind::NameMismatch {
                name: n.to_string(),
                no: row.no,
                chosen_by: chosen_by.to_string(),
                name_rows: candidates(rows.iter().map(|(r, _)| *r)),
            }),
        }
    };
    let cas_mismatch = |row: &Table1Row, c: &CasNumber| ErrorKind::CasMismatch {
        no: row.no,
        name_zh: row.name_zh.clone(),
        given: c.to_string(),
        expected: if row.cas_text.is_empty() {
            "—（表1未列 / none listed）".to_string()
        } else {
            row.cas_text.clone()
        },
    };

    if let Some(no) = table1_no {
        let row = t.table1_row(no).ok_or(ErrorKind::Table1NoOutOfRange {
            no,
            max: t.table1_len(),
        })?;
        if let Some(c) = cas {
            let listed = cas_rows(t, c, o);
            let ok = listed.iter().any(|r| r.no == no)
                // A row without CAS (13, 45, 74) accepts a CAS that names no other row
                // (e.g. triethylaluminium for 烷基铝).
                || (row.cas.is_empty() && listed.is_empty());
            if !ok {
                return Err(cas_mismatch(row, c));
            }
        }
        check_name(row, "table1_no")?;
        return Ok(Some(row));
    }

    // (row, how it matched for an error, how it matched for a note, explicit)
    let mut found: Option<(&Table1Row, String, String, bool)> = None;
    if let Some(c) = cas {
        let rows = cas_rows(t, c, o);
        match rows.as_slice() {
            [] => {}
            [row] => {
                let explicit = check_name(row, "cas")?;
                found = Some((row, format!("cas {c}"), format!("CAS号 {c} "), explicit));
            }
            _ => {
                return Err(ErrorKind::AmbiguousCas {
                    cas: c.to_string(),
                    candidates: candidates(rows),
                });
            }
        }
    }
    if found.is_none()
        && let Some(n) = name
    {
        let rows = name_rows(t, n, o);
        match rows.as_slice() {
            [] => {}
            [(row, m)] => {
                if let Some(c) = cas {
                    // The CAS given is in no Table 1 row; it must not contradict this one.
                    if !row.cas.is_empty() {
                        return Err(cas_mismatch(row, c));
                    }
                }
                found = Some((
                    row,
                    format!("name {n}"),
                    format!("名称“{n}”"),
                    *m == NameMatch::FullName,
                ));
            }
            _ => {
                return Err(ErrorKind::AmbiguousName {
                    name: n.to_string(),
                    candidates: candidates(rows.iter().map(|(r, _)| *r)),
                });
            }
        }
    }
    let Some((row, matched_by, matched_zh, explicit)) = found else {
        return Ok(None);
    };
    if row.qualified && !explicit {
        return Err(ErrorKind::QualifierNeedsConfirmation {
            no: row.no,
            name_zh: row.name_zh.clone(),
            matched_by,
        });
    }
    notes.push(format!(
        "按{matched_zh}对应表1第{}项“{}”",
        row.no, row.name_zh
    ));
    Ok(Some(row))
}

fn table2_q_category<'t>(cats: &[&'t Table2Row], t: &Tables) -> Option<&'t Table2Row> {
    // Smallest Q; among equal Q the larger β, then the order given.
    cats.iter().copied().min_by(|a, b| {
        a.critical_t.cmp(&b.critical_t).then_with(|| {
            let beta = |c: &Table2Row| t.table4_beta(&c.code).map(|r| r.beta.clone());
            beta(b).cmp(&beta(a))
        })
    })
}

fn largest_beta<'t>(cats: &[&'t Table2Row], t: &Tables) -> Option<&'t Table2Row> {
    // Largest β; among equal β the smaller Q, then the order given.
    let mut best: Option<(&Table2Row, Exact)> = None;
    for c in cats {
        let Some(b) = t.table4_beta(&c.code).map(|r| r.beta.clone()) else {
            continue;
        };
        let better = match &best {
            None => true,
            Some((bc, bb)) => b > *bb || (b == *bb && c.critical_t < bc.critical_t),
        };
        if better {
            best = Some((c, b));
        }
    }
    best.map(|(c, _)| c)
}

fn resolve(t: &Tables, s: &SubstanceInput, o: &AssessmentOptions) -> Result<Resolved, ErrorKind> {
    let name = non_empty(&s.name);
    let cas_text = non_empty(&s.cas);
    if name.is_none() && cas_text.is_none() && s.table1_no.is_none() && s.categories.is_empty() {
        return Err(ErrorKind::MissingIdentity);
    }
    let quantity = match s.quantity_t.value() {
        Err(raw) => {
            return Err(ErrorKind::InvalidQuantity {
                raw: raw.to_string(),
            });
        }
        Ok(v) if v.is_negative() => {
            return Err(ErrorKind::NegativeQuantity {
                value: v.to_string(),
            });
        }
        Ok(v) => v.clone(),
    };
    let cas = match cas_text {
        None => None,
        Some(c) => Some(CasNumber::parse(c).map_err(|e| ErrorKind::InvalidCas {
            cas: c.to_string(),
            reason_zh: e.zh,
            reason_en: e.en,
        })?),
    };
    let mut cats: Vec<&Table2Row> = Vec::new();
    for code in &s.categories {
        let row = t
            .table2_category(code)
            .ok_or_else(|| ErrorKind::UnknownCategory {
                category: code.trim().to_string(),
            })?;
        if !cats.iter().any(|c| c.code == row.code) {
            cats.push(row);
        }
    }
    let mut notes = Vec::new();

    // Clause 4.1.2 (1): a Table 1 substance takes its Table 1 quantity.
    let row = if s.not_in_table1 {
        if let Some(no) = s.table1_no {
            return Err(ErrorKind::NotInTable1WithTable1No { no });
        }
        if cats.is_empty() {
            return Err(ErrorKind::NotInTable1WithoutCategories);
        }
        notes.push(
            "not_in_table1：不属表1所列规格（稀溶液或改变危险性类别的混合物，4.2.3），按表2类别取临界量和β"
                .to_string(),
        );
        None
    } else {
        find_table1_row(t, s.table1_no, cas.as_ref(), name, o, &mut notes)?
    };

    let via_co = row.is_some_and(|r| r.no == COAL_GAS_ROW)
        && (name.is_some_and(is_carbon_monoxide_name)
            || cas
                .as_ref()
                .is_some_and(|c| c.as_str() == CARBON_MONOXIDE_CAS));

    // Clause 4.1.2 (2), (3): otherwise the lowest Q of its Table 2 categories.
    let (critical, q_source, q_category) = if let Some(r) = row {
        let mut source = r.source_label();
        if via_co {
            source.push_str("（纯一氧化碳按“煤气（CO…）”取值 — assumed，参考文件§8.4）");
        }
        if !cats.is_empty() {
            notes.push("表1物质按表1取临界量（4.1.2），所给类别只用于β".to_string());
        }
        (r.critical_t.clone(), source, None)
    } else if let Some(min) = table2_q_category(&cats, t) {
        let mut source = format!("{TABLE_VERSION} 表2 {}", min.code);
        if cats.len() > 1 {
            let all = cats
                .iter()
                .map(|c| format!("{} {} t", c.code, c.critical_t))
                .collect::<Vec<_>>()
                .join("，");
            source.push_str(&format!("（多种危险性取最小临界量：{all}）"));
        }
        (min.critical_t.clone(), source, Some(min))
    } else {
        let what = match (name, &cas) {
            (Some(n), Some(c)) => format!("{n} (CAS {c})"),
            (Some(n), None) => n.to_string(),
            (None, Some(c)) => format!("CAS {c}"),
            (None, None) => "—".to_string(),
        };
        return Err(ErrorKind::UnknownSubstance { what });
    };

    // β: Table 3 for the named toxic gases, otherwise Table 4 by category.
    let table3: Option<&Table3Row> = if s.not_in_table1 {
        None
    } else {
        cas.as_ref()
            .and_then(|c| t.table3_by_cas(c))
            .or_else(|| row.and_then(|r| r.cas.iter().find_map(|c| t.table3_by_cas(c))))
            .or_else(|| name.and_then(|n| t.table3_by_name(n)))
    };
    let (beta, beta_source, beta_category) = if let Some(g) = table3 {
        if !cats.is_empty() {
            notes.push(format!(
                "{}为表3所列毒性气体，β按表3取值，不按类别",
                g.name_zh
            ));
        }
        (
            g.beta.clone(),
            format!("{TABLE_VERSION} 表3 {}", g.name_zh),
            None,
        )
    } else {
        let (pool, from_default): (Vec<&Table2Row>, bool) = if !cats.is_empty() {
            (cats.clone(), false)
        } else {
            let default = row
                .and_then(|r| t.default_category(r.no))
                .and_then(|d| t.table2_category(&d.category_code));
            (default.into_iter().collect(), true)
        };
        let chosen = match o.multi_category_beta {
            MultiCategoryBeta::QCategory if q_category.is_some() => q_category,
            _ => largest_beta(&pool, t),
        };
        let chosen = chosen.ok_or_else(|| {
            ErrorKind::TableData(TableError {
                table: "table1_default_categories.csv",
                line: 0,
                message: "no category to take β from".to_string(),
            })
        })?;
        let beta = t
            .table4_beta(&chosen.code)
            .map(|b| b.beta.clone())
            .ok_or_else(|| {
                ErrorKind::TableData(TableError {
                    table: "beta.csv",
                    line: 0,
                    message: format!("no Table 4 β for {}", chosen.code),
                })
            })?;
        let mut source = format!("{TABLE_VERSION} 表4 {}", chosen.code);
        if from_default {
            source.push_str("（表1物质的默认类别，weihua映射，非标准内容 — assumed）");
        } else if pool.len() > 1 {
            match (o.multi_category_beta, q_category) {
                (MultiCategoryBeta::QCategory, Some(_)) => {
                    source.push_str("（多类别取确定临界量的类别 — assumed，标准未规定）")
                }
                _ => source.push_str("（多类别取最大β — assumed，标准未规定）"),
            }
        }
        (beta, source, Some(chosen.code.clone()))
    };

    let display_name = name
        .map(str::to_string)
        .or_else(|| row.map(|r| r.name_zh.clone()))
        .or_else(|| cas.as_ref().map(|c| c.to_string()))
        .unwrap_or_else(|| {
            cats.iter()
                .map(|c| c.code.as_str())
                .collect::<Vec<_>>()
                .join("、")
        });
    Ok(Resolved {
        name: display_name,
        table1_no: row.map(|r| r.no),
        categories: cats.iter().map(|c| c.code.clone()).collect(),
        quantity,
        critical,
        q_source,
        beta,
        beta_source,
        beta_category,
        notes,
    })
}
