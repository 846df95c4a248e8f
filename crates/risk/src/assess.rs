//! 动态风险评估 — the live risk level of one major hazard installation (重大危险源),
//! with the reasons that produced it.
//!
//! score = inherent points (by GB 18218 grade)
//!       + Σ counted alarm points × priority multiplier
//!       + capped data-quality points + enterprise interruption
//!       + capped special-work and hidden-danger points (hooks),
//! clamped to 0..=100; the colour comes from the thresholds, then floor rules may raise it.

use crate::config::{Floor, MAX_SCORE, RiskModel};
use crate::labels::{
    fmt_num, grade_zh, indicator_en, level_label_en, level_label_zh, round2, worse,
};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use weihua_core::{AlarmKind, AlarmPriority, Indicator, LimitName, MajorHazardGrade, RiskLevel};

/// 计入的报警 — one alarm that counts for risk. The caller passes only alarms that are
/// active and not shelved, suppressed or out of service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActiveAlarm {
    /// 报警类型 — alarm kind.
    pub kind: AlarmKind,
    /// 报警限 — HH/H/L/LL for limit alarms; `None` otherwise (or when unknown).
    #[serde(default)]
    pub limit: Option<LimitName>,
    /// 报警优先级 — priority; sets the multiplier.
    pub priority: AlarmPriority,
    /// 监测指标 — what the point measures.
    pub indicator: Indicator,
    /// 位号 — tag of the point, e.g. `GT-101`. Alarms of one tag are counted once per class.
    pub tag: String,
    /// 点位名称 — the point's name, shown in the reason when it differs from the tag.
    #[serde(default)]
    pub point_name: String,
    /// 当前值 — the value that raised the alarm, in `unit`.
    #[serde(default)]
    pub value: Option<f64>,
    /// 工程单位 — engineering unit of `value` (`%LEL`, `ppm`, `MPa` …).
    #[serde(default)]
    pub unit: String,
}

/// 重大危险源风险评估输入 — what is known now about one installation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InstallationRiskInput {
    /// 重大危险源等级 — GB 18218 grade, when graded.
    #[serde(default)]
    pub grade: Option<MajorHazardGrade>,
    /// 是否重大危险源 — identified as a major hazard installation (S ≥ 1).
    #[serde(default)]
    pub is_major_hazard: bool,
    /// R 值 — GB 18218 grading value; shown in the reason, and used to derive the grade
    /// (Table 6) when `grade` is missing.
    #[serde(default)]
    pub r_value: Option<f64>,
    /// 计入的报警 — counted alarms of the installation's points.
    #[serde(default)]
    pub alarms: Vec<ActiveAlarm>,
    /// 企业数据中断 — the enterprise's whole data feed is interrupted.
    #[serde(default)]
    pub enterprise_interrupted: bool,
    /// 进行中的特殊作业 — special-work permits in progress (hook for the permits module).
    #[serde(default)]
    pub active_special_work: u32,
    /// 未整改重大事故隐患 — open major hidden dangers (hook for the hidden-danger module).
    #[serde(default)]
    pub open_hidden_dangers_major: u32,
    /// 未整改一般隐患 — open general hidden dangers (hook for the hidden-danger module).
    #[serde(default)]
    pub open_hidden_dangers_general: u32,
}

/// 风险原因 — one reason, with the points it added (0 for the floor rule that set the level).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskReason {
    /// 原因代码 — stable machine code (`gas_alarm_2`, `inherent_grade_1`, a floor's code …).
    pub code: String,
    /// 中文说明
    pub zh: String,
    /// English explanation
    pub en: String,
    /// 分值 — points added, rounded to 0.01.
    pub points: f64,
}

/// 风险评估结果 — the level of one installation and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskAssessment {
    /// 风险等级 — final level: the score's colour, raised by a floor rule when one fired.
    pub level: RiskLevel,
    /// 风险分 — 0..=100.
    pub score: f64,
    /// 未封顶分 — sum of the reasons' points before the 100 cap.
    pub uncapped_score: f64,
    /// 按分值等级 — the colour the score alone gives.
    pub score_level: RiskLevel,
    /// 底线规则 — code of the floor rule that raised the level, if one did.
    pub floor: Option<String>,
    /// 原因 — sorted by points, largest first.
    pub reasons: Vec<RiskReason>,
    /// 模型版本 — version of the model that produced this.
    pub model_version: String,
}

/// How an alarm counts. Declared most severe first (ties in a tag keep the earlier one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Class {
    Gas2,
    Gas1,
    ProcessHhLl,
    ProcessHL,
    RateOfChange,
    Deviation,
    DataQuality,
}

impl Class {
    fn code(self) -> &'static str {
        match self {
            Self::Gas2 => "gas_alarm_2",
            Self::Gas1 => "gas_alarm_1",
            Self::ProcessHhLl => "process_hh_ll",
            Self::ProcessHL => "process_h_l",
            Self::RateOfChange => "rate_of_change",
            Self::Deviation => "deviation",
            Self::DataQuality => "data_quality",
        }
    }
    fn label_zh(self) -> &'static str {
        match self {
            Self::Gas2 => "二级报警",
            Self::Gas1 => "一级报警",
            Self::ProcessHhLl => "工艺高高/低低报警",
            Self::ProcessHL => "工艺高/低报警",
            Self::RateOfChange => "变化率报警",
            Self::Deviation => "偏差报警",
            Self::DataQuality => "数据质量报警",
        }
    }
    fn label_en(self) -> &'static str {
        match self {
            Self::Gas2 => "gas alarm 2",
            Self::Gas1 => "gas alarm 1",
            Self::ProcessHhLl => "process HH/LL alarm",
            Self::ProcessHL => "process H/L alarm",
            Self::RateOfChange => "rate-of-change alarm",
            Self::Deviation => "deviation alarm",
            Self::DataQuality => "data-quality alarm",
        }
    }
    /// Alarms of one tag in the same group are counted once (the one worth most points).
    fn group(self) -> u8 {
        match self {
            Self::Gas2 | Self::Gas1 | Self::ProcessHhLl | Self::ProcessHL => 0,
            Self::RateOfChange => 1,
            Self::Deviation => 2,
            Self::DataQuality => 3,
        }
    }
}

/// 报警分类 — which class an alarm falls in; `None` for an enterprise interruption,
/// which is counted once for the installation, not per point.
///
/// Gas (GB/T 50493): flammable/toxic HH → level 2, H → level 1; oxygen HH or LL →
/// level 2, H or L → level 1. A flammable/toxic *low* alarm is not a hazard but a
/// detector reading below zero or drifting, so it counts as data quality. A limit
/// alarm without a limit name counts as the lesser class (level 1, H/L).
fn classify(a: &ActiveAlarm) -> Option<Class> {
    use Indicator as I;
    use LimitName as L;
    Some(match a.kind {
        AlarmKind::EnterpriseInterruption => return None,
        AlarmKind::Frozen | AlarmKind::BadQuality | AlarmKind::Interruption => Class::DataQuality,
        AlarmKind::RateOfChange => Class::RateOfChange,
        AlarmKind::Deviation => Class::Deviation,
        AlarmKind::Limit => match (a.indicator, a.limit) {
            (I::FlammableGas | I::ToxicGas, Some(L::HH)) => Class::Gas2,
            (I::FlammableGas | I::ToxicGas, Some(L::H) | None) => Class::Gas1,
            (I::FlammableGas | I::ToxicGas, Some(L::L | L::LL)) => Class::DataQuality,
            (I::Oxygen, Some(L::HH | L::LL)) => Class::Gas2,
            (I::Oxygen, Some(L::H | L::L) | None) => Class::Gas1,
            (_, Some(L::HH | L::LL)) => Class::ProcessHhLl,
            (_, Some(L::H | L::L) | None) => Class::ProcessHL,
        },
    })
}

/// Identity of a point for de-duplication: its tag and indicator; alarms without a tag
/// are never merged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum PointKey {
    Tagged(String, Indicator),
    Untagged(usize),
}

fn point_key(i: usize, a: &ActiveAlarm) -> PointKey {
    let tag = a.tag.trim();
    if tag.is_empty() {
        PointKey::Untagged(i)
    } else {
        PointKey::Tagged(tag.to_string(), a.indicator)
    }
}

struct Counted<'a> {
    class: Class,
    alarm: &'a ActiveAlarm,
    multiplier: f64,
    points: f64,
}

fn tag_text(a: &ActiveAlarm) -> (&str, &str) {
    let tag = a.tag.trim();
    if tag.is_empty() {
        ("(无位号)", "(no tag)")
    } else {
        (tag, tag)
    }
}

fn value_text(a: &ActiveAlarm) -> (String, String) {
    match a.value {
        Some(v) if v.is_finite() => {
            let unit = a.unit.trim();
            let s = if unit.is_empty() {
                fmt_num(v)
            } else {
                format!("{} {unit}", fmt_num(v))
            };
            (s.clone(), s)
        }
        _ => ("无读数".to_string(), "no reading".to_string()),
    }
}

fn kind_en(kind: AlarmKind) -> String {
    kind.as_str().replace('_', " ")
}

fn alarm_reason(c: &Counted<'_>) -> RiskReason {
    let a = c.alarm;
    let (tag_zh, tag_en) = tag_text(a);
    let (val_zh, val_en) = value_text(a);
    let mut zh_parts: Vec<String> = Vec::new();
    let mut en_parts: Vec<String> = Vec::new();
    if a.kind == AlarmKind::Limit {
        match a.limit {
            Some(l) => {
                zh_parts.push(l.label_zh().to_string());
                en_parts.push(l.as_str().to_string());
            }
            None => {
                zh_parts.push("报警限未知".to_string());
                en_parts.push("limit unknown".to_string());
            }
        }
    }
    let mult = if (c.multiplier - 1.0).abs() > f64::EPSILON {
        format!(" ×{}", fmt_num(c.multiplier))
    } else {
        String::new()
    };
    zh_parts.push(format!("优先级{}{mult}", a.priority.label_zh()));
    en_parts.push(format!("{} priority{mult}", a.priority.as_str()));
    let name = a.point_name.trim();
    if !name.is_empty() && name != a.tag.trim() {
        zh_parts.push(name.to_string());
        en_parts.push(name.to_string());
    }
    RiskReason {
        code: c.class.code().to_string(),
        zh: format!(
            "{}: {tag_zh} {} {val_zh} ({})",
            c.class.label_zh(),
            a.indicator.label_zh(),
            zh_parts.join(", ")
        ),
        en: format!(
            "{}: {tag_en} {} {val_en} ({})",
            c.class.label_en(),
            indicator_en(a.indicator),
            en_parts.join(", ")
        ),
        points: round2(c.points),
    }
}

/// Most data-quality tags named in the one data-quality reason.
const DATA_QUALITY_LISTED: usize = 8;

fn data_quality_reason(items: &[&Counted<'_>], points: f64, capped_at: Option<f64>) -> RiskReason {
    let describe = |c: &Counted<'_>| {
        let a = c.alarm;
        let (tag_zh, tag_en) = tag_text(a);
        if a.kind == AlarmKind::Limit {
            let (lz, le) = a.limit.map_or(("报警限未知", "limit unknown"), |l| {
                (l.label_zh(), l.as_str())
            });
            (
                format!("{tag_zh} {}{lz}(疑似探测器故障)", a.indicator.label_zh()),
                format!(
                    "{tag_en} {} {le} (suspected detector fault)",
                    indicator_en(a.indicator)
                ),
            )
        } else {
            (
                format!("{tag_zh} {}", a.kind.label_zh()),
                format!("{tag_en} {}", kind_en(a.kind)),
            )
        }
    };
    let n = items.len();
    let (mut zh_list, mut en_list): (Vec<String>, Vec<String>) = items
        .iter()
        .take(DATA_QUALITY_LISTED)
        .map(|c| describe(c))
        .unzip();
    if n > DATA_QUALITY_LISTED {
        zh_list.push(format!("等 {n} 个"));
        en_list.push(format!("and {} more", n - DATA_QUALITY_LISTED));
    }
    let (cap_zh, cap_en) = capped_text(capped_at);
    RiskReason {
        code: Class::DataQuality.code().to_string(),
        zh: format!("数据质量报警 {n} 个: {}{cap_zh}", zh_list.join(", ")),
        en: format!(
            "{n} data-quality alarm{}: {}{cap_en}",
            if n == 1 { "" } else { "s" },
            en_list.join(", ")
        ),
        points: round2(points),
    }
}

fn capped_text(capped_at: Option<f64>) -> (String, String) {
    match capped_at {
        Some(cap) => (
            format!(" (上限 {} 分)", fmt_num(cap)),
            format!(" (capped at {} points)", fmt_num(cap)),
        ),
        None => (String::new(), String::new()),
    }
}

/// The cap when it bites, for the reason text.
fn bites(sum: f64, cap: Option<f64>) -> Option<f64> {
    cap.filter(|c| sum > *c)
}

/// GB 18218 Table 6: the grade an R value gives.
fn grade_from_r(r: f64) -> MajorHazardGrade {
    if r >= 100.0 {
        MajorHazardGrade::Grade1
    } else if r >= 50.0 {
        MajorHazardGrade::Grade2
    } else if r >= 10.0 {
        MajorHazardGrade::Grade3
    } else {
        MajorHazardGrade::Grade4
    }
}

fn usable_r(r: Option<f64>) -> Option<f64> {
    r.filter(|r| r.is_finite() && *r >= 0.0)
}

/// The grade the model uses: the given grade (even if `is_major_hazard` is false — a
/// grade exists only for a major hazard, and the higher score is the safer error), else
/// for a major hazard the grade its R value gives (Table 6).
fn effective_grade(input: &InstallationRiskInput) -> (Option<MajorHazardGrade>, bool) {
    match input.grade {
        Some(g) => (Some(g), false),
        None if input.is_major_hazard => match usable_r(input.r_value) {
            Some(r) => (Some(grade_from_r(r)), true),
            None => (None, false),
        },
        None => (None, false),
    }
}

fn inherent_reason(
    model: &RiskModel,
    input: &InstallationRiskInput,
    grade: Option<MajorHazardGrade>,
    derived: bool,
) -> RiskReason {
    let p = &model.config.inherent;
    let r = usable_r(input.r_value).map(fmt_num);
    match grade {
        Some(g) => {
            let (mut zh, mut en) = (
                format!("重大危险源{}", grade_zh(g)),
                format!("major hazard installation grade {}", g.as_number()),
            );
            match (&r, derived) {
                (Some(r), true) => {
                    zh.push_str(&format!(" (按 R={r} 推定)"));
                    en.push_str(&format!(" (derived from R={r})"));
                }
                (Some(r), false) => {
                    zh.push_str(&format!(" (R={r})"));
                    en.push_str(&format!(" (R={r})"));
                }
                (None, _) => {}
            }
            if !input.is_major_hazard {
                zh.push_str(" (输入标记为非重大危险源, 按所给等级计)");
                en.push_str(" (input says not a major hazard; counted by the grade given)");
            }
            RiskReason {
                code: format!("inherent_grade_{}", g.as_number()),
                zh,
                en,
                points: round2(p.for_grade(g)),
            }
        }
        None if input.is_major_hazard => RiskReason {
            code: "inherent_ungraded".to_string(),
            zh: "重大危险源 (未分级)".to_string(),
            en: "major hazard installation (not graded)".to_string(),
            points: round2(p.ungraded_major_hazard),
        },
        None => RiskReason {
            code: "inherent_not_major".to_string(),
            zh: "非重大危险源".to_string(),
            en: "not a major hazard installation".to_string(),
            points: round2(p.not_major_hazard),
        },
    }
}

/// Facts the floor rules look at.
struct FloorFacts {
    grade: Option<MajorHazardGrade>,
    gas_alarm_2: u32,
    enterprise_interrupted: bool,
    hidden_danger_major: u32,
}

fn floor_fires(f: &Floor, facts: &FloorFacts) -> bool {
    let r = &f.rule;
    let grade_ok = match &f.grades {
        Some(gs) => facts.grade.is_some_and(|g| gs.contains(&g)),
        None => true,
    };
    grade_ok
        && facts.gas_alarm_2 >= r.min_gas_alarm_2
        && (!r.enterprise_interrupted || facts.enterprise_interrupted)
        && facts.hidden_danger_major >= r.min_hidden_danger_major
}

fn floor_reason(f: &Floor, facts: &FloorFacts) -> RiskReason {
    let r = &f.rule;
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    if let (Some(gs), Some(g)) = (&f.grades, facts.grade) {
        let allowed_zh: Vec<&str> = gs.iter().map(|g| grade_zh(*g)).collect();
        let allowed_en: Vec<String> = gs.iter().map(|g| g.as_number().to_string()).collect();
        zh.push(format!(
            "重大危险源{} (规则: {})",
            grade_zh(g),
            allowed_zh.join("/")
        ));
        en.push(format!(
            "major hazard installation grade {} (rule: grade {})",
            g.as_number(),
            allowed_en.join("/")
        ));
    }
    if r.min_gas_alarm_2 > 0 {
        zh.push(format!(
            "二级气体报警 {} 个 (规则: ≥ {})",
            facts.gas_alarm_2, r.min_gas_alarm_2
        ));
        en.push(format!(
            "{} gas level-2 alarms (rule: >= {})",
            facts.gas_alarm_2, r.min_gas_alarm_2
        ));
    }
    if r.enterprise_interrupted {
        zh.push("企业数据中断".to_string());
        en.push("enterprise data interrupted".to_string());
    }
    if r.min_hidden_danger_major > 0 {
        zh.push(format!(
            "未整改重大事故隐患 {} 项 (规则: ≥ {})",
            facts.hidden_danger_major, r.min_hidden_danger_major
        ));
        en.push(format!(
            "{} open major hidden dangers (rule: >= {})",
            facts.hidden_danger_major, r.min_hidden_danger_major
        ));
    }
    RiskReason {
        code: r.code.clone(),
        zh: format!(
            "底线规则: {} → 至少{}",
            zh.join(" 且 "),
            level_label_zh(r.level)
        ),
        en: format!(
            "floor rule: {} → at least {}",
            en.join(" and "),
            level_label_en(r.level)
        ),
        points: 0.0,
    }
}

fn by_points_desc(a: &RiskReason, b: &RiskReason) -> Ordering {
    b.points
        .total_cmp(&a.points)
        .then_with(|| a.code.cmp(&b.code))
        .then_with(|| a.zh.cmp(&b.zh))
}

impl RiskModel {
    /// 评估 — the live risk level of one installation. Pure: the same input and model
    /// always give the same result. Never panics; odd input (NaN values, empty tags,
    /// a grade on an installation marked not major) is shown in the reasons, not refused.
    pub fn assess(&self, input: &InstallationRiskInput) -> RiskAssessment {
        let c = &self.config;
        let mut reasons: Vec<RiskReason> = Vec::new();

        let (grade, derived) = effective_grade(input);
        reasons.push(inherent_reason(self, input, grade, derived));

        // Classify, weight and de-duplicate alarms (per tag and class group, the one
        // worth most points counts). Level-2 gas alarms are counted by distinct point
        // for the floors, independent of which alarm of the point scored.
        let mut enterprise_interrupted = input.enterprise_interrupted;
        let mut counted: Vec<Counted<'_>> = Vec::new();
        let mut slot: HashMap<(PointKey, u8), usize> = HashMap::new();
        let mut gas2_points: HashSet<PointKey> = HashSet::new();
        for (i, a) in input.alarms.iter().enumerate() {
            let Some(class) = classify(a) else {
                enterprise_interrupted = true;
                continue;
            };
            let key = point_key(i, a);
            if class == Class::Gas2 {
                gas2_points.insert(key.clone());
            }
            let base = match class {
                Class::Gas2 => c.alarm_points.gas_alarm_2,
                Class::Gas1 => c.alarm_points.gas_alarm_1,
                Class::ProcessHhLl => c.alarm_points.process_hh_ll,
                Class::ProcessHL => c.alarm_points.process_h_l,
                Class::RateOfChange => c.alarm_points.rate_of_change,
                Class::Deviation => c.alarm_points.deviation,
                Class::DataQuality => c.data_quality.points,
            };
            let multiplier = c.priority_multiplier.of(a.priority);
            let item = Counted {
                class,
                alarm: a,
                multiplier,
                points: base * multiplier,
            };
            match slot.get(&(key.clone(), class.group())) {
                Some(&at) => {
                    let old = &counted[at];
                    let better = item.points > old.points
                        || (item.points == old.points && item.class < old.class);
                    if better {
                        counted[at] = item;
                    }
                }
                None => {
                    slot.insert((key, class.group()), counted.len());
                    counted.push(item);
                }
            }
        }

        let mut data_quality: Vec<&Counted<'_>> = Vec::new();
        for item in &counted {
            if item.class == Class::DataQuality {
                data_quality.push(item);
            } else {
                reasons.push(alarm_reason(item));
            }
        }
        if !data_quality.is_empty() {
            data_quality.sort_by(|a, b| {
                b.points
                    .total_cmp(&a.points)
                    .then_with(|| a.alarm.tag.cmp(&b.alarm.tag))
            });
            let sum: f64 = data_quality.iter().map(|c| c.points).sum();
            let points = c.data_quality.apply_cap(sum);
            reasons.push(data_quality_reason(
                &data_quality,
                points,
                bites(sum, c.data_quality.cap),
            ));
        }

        if enterprise_interrupted {
            reasons.push(RiskReason {
                code: "enterprise_interruption".to_string(),
                zh: "企业数据中断: 企业全部监测数据中断".to_string(),
                en: "enterprise data interruption: no data from the enterprise".to_string(),
                points: round2(c.enterprise_interruption),
            });
        }

        let hooks = [
            (
                "special_work",
                input.active_special_work,
                &c.special_work,
                "进行中的特殊作业",
                "special-work permits in progress",
            ),
            (
                "hidden_danger_major",
                input.open_hidden_dangers_major,
                &c.hidden_danger_major,
                "未整改重大事故隐患",
                "open major hidden dangers",
            ),
            (
                "hidden_danger_general",
                input.open_hidden_dangers_general,
                &c.hidden_danger_general,
                "未整改一般隐患",
                "open general hidden dangers",
            ),
        ];
        for (code, n, weight, zh, en) in hooks {
            if n == 0 {
                continue;
            }
            let sum = f64::from(n) * weight.points;
            let (cap_zh, cap_en) = capped_text(bites(sum, weight.cap));
            reasons.push(RiskReason {
                code: code.to_string(),
                zh: format!("{zh} {n} 项{cap_zh}"),
                en: format!("{n} {en}{cap_en}"),
                points: round2(weight.total(n)),
            });
        }

        let uncapped_score = round2(reasons.iter().map(|r| r.points).sum::<f64>());
        let score = uncapped_score.clamp(0.0, MAX_SCORE);
        let score_level = c.thresholds.level_of(score);

        let facts = FloorFacts {
            grade,
            gas_alarm_2: u32::try_from(gas2_points.len()).unwrap_or(u32::MAX),
            enterprise_interrupted,
            hidden_danger_major: input.open_hidden_dangers_major,
        };
        // The most severe floor that fires; among equals, the first in the config.
        let mut deciding: Option<&Floor> = None;
        for f in &self.floors {
            if floor_fires(f, &facts)
                && f.rule.level < score_level
                && deciding.is_none_or(|d| f.rule.level < d.rule.level)
            {
                deciding = Some(f);
            }
        }
        let level = deciding.map_or(score_level, |f| worse(f.rule.level, score_level));
        if let Some(f) = deciding {
            reasons.push(floor_reason(f, &facts));
        }

        reasons.sort_by(by_points_desc);
        RiskAssessment {
            level,
            score,
            uncapped_score,
            score_level,
            floor: deciding.map(|f| f.rule.code.clone()),
            reasons,
            model_version: c.version.clone(),
        }
    }
}
