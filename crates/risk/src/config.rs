//! 风险模型配置 — the risk model's configuration: every weight, cap, threshold and floor
//! rule, read from JSON and validated before use.
//!
//! The national rule for the dynamic risk level of a major hazard installation is not
//! public, so every default here is weihua's own and marked "assumed" (see
//! `docs/risk-model.md`). A [`RiskModel`] can only be built from a config that passed
//! [`RiskModelConfig::validate`], so [`RiskModel::assess`] never meets a NaN weight or
//! inverted thresholds.

use crate::labels::{level_as_str, level_label_en, level_label_zh};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use weihua_core::{MajorHazardGrade, RiskLevel};

/// The embedded default model, `risk-model-v1.json` (all values assumed).
pub const DEFAULT_V1_JSON: &str = include_str!("../risk-model-v1.json");

/// Largest score; every score is clamped to `0..=MAX_SCORE`.
pub const MAX_SCORE: f64 = 100.0;

/// 风险模型配置错误 — a config that cannot be used. Names the field (a JSON path such as
/// `thresholds.orange` or `floors[1].code`) and says in Chinese and English what is wrong.
/// `Display` is the English text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("{en}")]
pub struct RiskConfigError {
    /// 字段 — JSON path of the offending field (`$` for the document itself).
    pub field: String,
    /// 中文说明
    pub zh: String,
    /// English explanation
    pub en: String,
}

impl RiskConfigError {
    fn new(field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// 固有风险分 — inherent points by GB 18218 grade (重大危险源等级). Assumed defaults:
/// 一级 40, 二级 30, 三级 20, 四级 10, ungraded or not a major hazard 5.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InherentPoints {
    /// 一级重大危险源
    pub grade_1: f64,
    /// 二级重大危险源
    pub grade_2: f64,
    /// 三级重大危险源
    pub grade_3: f64,
    /// 四级重大危险源
    pub grade_4: f64,
    /// 重大危险源（未分级，且无 R 值可推定）— a major hazard installation without a grade or usable R.
    pub ungraded_major_hazard: f64,
    /// 非重大危险源 — not a major hazard installation.
    pub not_major_hazard: f64,
}

impl InherentPoints {
    /// Points for a grade.
    pub fn for_grade(&self, grade: MajorHazardGrade) -> f64 {
        match grade {
            MajorHazardGrade::Grade1 => self.grade_1,
            MajorHazardGrade::Grade2 => self.grade_2,
            MajorHazardGrade::Grade3 => self.grade_3,
            MajorHazardGrade::Grade4 => self.grade_4,
        }
    }
}

/// 报警分值 — points of one counted alarm, before the priority multiplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AlarmPoints {
    /// 气体二级报警 — flammable/toxic gas HH, oxygen HH or LL. Assumed 40.
    pub gas_alarm_2: f64,
    /// 气体一级报警 — flammable/toxic gas H, oxygen H or L. Assumed 20.
    pub gas_alarm_1: f64,
    /// 工艺高高/低低报警 — level, temperature, pressure, flow HH or LL. Assumed 15.
    pub process_hh_ll: f64,
    /// 工艺高/低报警 — level, temperature, pressure, flow H or L. Assumed 5.
    pub process_h_l: f64,
    /// 变化率报警 — rate of change. Assumed 5.
    pub rate_of_change: f64,
    /// 偏差报警 — deviation from a second point. Assumed 5.
    pub deviation: f64,
}

/// 分值与上限 — points per item and an optional cap on their sum (`null`: no cap).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CappedPoints {
    /// 每项分值 — points per item.
    pub points: f64,
    /// 上限 — most points all items together may add; `null` for no cap.
    #[serde(default)]
    pub cap: Option<f64>,
}

impl CappedPoints {
    /// Sum of `n` items of `points`, capped.
    pub fn total(&self, n: u32) -> f64 {
        self.apply_cap(f64::from(n) * self.points)
    }
    /// Cap an already weighted sum.
    pub fn apply_cap(&self, sum: f64) -> f64 {
        match self.cap {
            Some(cap) => sum.min(cap),
            None => sum,
        }
    }
}

/// 优先级系数 — multiplier on an alarm's points by its priority (报警优先级).
/// Assumed: emergency 1.5, high 1.2, medium 1.0, low 0.6.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PriorityMultipliers {
    /// 紧急
    pub emergency: f64,
    /// 高
    pub high: f64,
    /// 中
    pub medium: f64,
    /// 低
    pub low: f64,
}

impl PriorityMultipliers {
    /// Multiplier for a priority.
    pub fn of(&self, p: weihua_core::AlarmPriority) -> f64 {
        use weihua_core::AlarmPriority as P;
        match p {
            P::Emergency => self.emergency,
            P::High => self.high,
            P::Medium => self.medium,
            P::Low => self.low,
        }
    }
}

/// 分级阈值 — lowest score of each colour; below `yellow` is blue.
/// Must satisfy `0 < yellow < orange < red <= 100`. Assumed: red 80, orange 55, yellow 30.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LevelThresholds {
    /// 红 — 重大风险
    pub red: f64,
    /// 橙 — 较大风险
    pub orange: f64,
    /// 黄 — 一般风险
    pub yellow: f64,
}

impl LevelThresholds {
    /// The colour a score alone gives.
    pub fn level_of(&self, score: f64) -> RiskLevel {
        if score >= self.red {
            RiskLevel::Red
        } else if score >= self.orange {
            RiskLevel::Orange
        } else if score >= self.yellow {
            RiskLevel::Yellow
        } else {
            RiskLevel::Blue
        }
    }
}

/// 底线规则 — a floor: when every condition given holds, the level is at least `level`,
/// whatever the score. Conditions left out (or 0 / `false`) are not checked; at least
/// one must be given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FloorRule {
    /// 规则代码 — stable machine code, lower-case ASCII letters, digits and `_`; also the reason code.
    pub code: String,
    /// 最低等级 — the least severe level this rule allows (red, orange or yellow).
    pub level: RiskLevel,
    /// 适用等级 — GB 18218 grades (1–4) the installation must have; absent: any installation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grades: Option<Vec<u8>>,
    /// 二级气体报警数 — at least this many gas detectors (distinct tags) in level-2 alarm.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub min_gas_alarm_2: u32,
    /// 企业数据中断 — the enterprise's data must be interrupted.
    #[serde(default, skip_serializing_if = "is_false")]
    pub enterprise_interrupted: bool,
    /// 重大事故隐患数 — at least this many open major hidden dangers (hook, see docs).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub min_hidden_danger_major: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}
fn is_false(b: &bool) -> bool {
    !*b
}

/// 风险模型配置 — the whole model as JSON (`#[serde(deny_unknown_fields)]` at every level,
/// so a misspelt key is an error, not a silently ignored weight).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RiskModelConfig {
    /// 模型版本 — copied into every assessment, e.g. `weihua-risk-1`. Change it with any value.
    pub version: String,
    /// 说明 — free text (provenance, "assumed" notes). Not used by the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// 固有风险分 — inherent points by grade.
    pub inherent: InherentPoints,
    /// 报警分值 — points per counted limit, rate-of-change and deviation alarm.
    pub alarm_points: AlarmPoints,
    /// 数据质量报警 — frozen, bad quality, interruption of single points: points each, cap.
    pub data_quality: CappedPoints,
    /// 企业数据中断 — points when the enterprise's whole data feed is interrupted.
    pub enterprise_interruption: f64,
    /// 特殊作业 — points per special-work permit in progress, cap (hook).
    pub special_work: CappedPoints,
    /// 重大事故隐患 — points per open major hidden danger, cap (hook).
    pub hidden_danger_major: CappedPoints,
    /// 一般隐患 — points per open general hidden danger, cap (hook).
    pub hidden_danger_general: CappedPoints,
    /// 优先级系数 — multiplier by alarm priority.
    pub priority_multiplier: PriorityMultipliers,
    /// 分级阈值 — score thresholds of the colours.
    pub thresholds: LevelThresholds,
    /// 底线规则 — floors, checked in order; the most severe that fires sets the floor.
    pub floors: Vec<FloorRule>,
}

fn check_weight(field: &str, v: f64) -> Result<(), RiskConfigError> {
    if !v.is_finite() || v < 0.0 {
        return Err(RiskConfigError::new(
            field,
            format!("风险模型配置字段 {field} 的值 {v} 无效：应为不小于 0 的有限数"),
            format!("risk model field {field} is {v}; it must be a finite number >= 0"),
        ));
    }
    Ok(())
}

fn check_not_above(
    field: &str,
    v: f64,
    other_field: &str,
    other: f64,
) -> Result<(), RiskConfigError> {
    if v > other {
        return Err(RiskConfigError::new(
            field,
            format!("风险模型配置字段 {field} 的值 {v} 不应大于 {other_field} 的值 {other}"),
            format!("risk model field {field} is {v}; it must not exceed {other_field} ({other})"),
        ));
    }
    Ok(())
}

fn check_capped(field: &str, c: &CappedPoints) -> Result<(), RiskConfigError> {
    check_weight(&format!("{field}.points"), c.points)?;
    if let Some(cap) = c.cap {
        check_weight(&format!("{field}.cap"), cap)?;
    }
    Ok(())
}

impl RiskModelConfig {
    /// Check every field: weights, caps and multipliers finite and ≥ 0; inherent points
    /// at most 100 and not increasing from 一级 to 四级; a level-2 alarm weighs at least
    /// as much as a level-1 one (HH/LL ≥ H/L); multipliers not increasing from emergency
    /// to low; `0 < yellow < orange < red <= 100`; floors well formed with unique codes.
    pub fn validate(&self) -> Result<(), RiskConfigError> {
        let v = self.version.trim();
        if v.is_empty() || v.len() > 64 || v.chars().any(char::is_control) || v != self.version {
            return Err(RiskConfigError::new(
                "version",
                format!(
                    "风险模型配置字段 version“{}”无效：应为 1–64 个字符，无首尾空白和控制字符",
                    self.version
                ),
                format!(
                    "risk model field version '{}' is invalid: use 1-64 characters without surrounding spaces or control characters",
                    self.version
                ),
            ));
        }

        let i = &self.inherent;
        let inherent = [
            ("inherent.grade_1", i.grade_1),
            ("inherent.grade_2", i.grade_2),
            ("inherent.grade_3", i.grade_3),
            ("inherent.grade_4", i.grade_4),
            ("inherent.ungraded_major_hazard", i.ungraded_major_hazard),
            ("inherent.not_major_hazard", i.not_major_hazard),
        ];
        for (f, x) in inherent {
            check_weight(f, x)?;
            check_not_above(f, x, "the maximum score", MAX_SCORE)?;
        }
        for pair in inherent[..4].windows(2) {
            // Grade 2 must not score above grade 1, and so on.
            check_not_above(pair[1].0, pair[1].1, pair[0].0, pair[0].1)?;
        }

        let a = &self.alarm_points;
        for (f, x) in [
            ("alarm_points.gas_alarm_2", a.gas_alarm_2),
            ("alarm_points.gas_alarm_1", a.gas_alarm_1),
            ("alarm_points.process_hh_ll", a.process_hh_ll),
            ("alarm_points.process_h_l", a.process_h_l),
            ("alarm_points.rate_of_change", a.rate_of_change),
            ("alarm_points.deviation", a.deviation),
        ] {
            check_weight(f, x)?;
        }
        check_not_above(
            "alarm_points.gas_alarm_1",
            a.gas_alarm_1,
            "alarm_points.gas_alarm_2",
            a.gas_alarm_2,
        )?;
        check_not_above(
            "alarm_points.process_h_l",
            a.process_h_l,
            "alarm_points.process_hh_ll",
            a.process_hh_ll,
        )?;

        check_capped("data_quality", &self.data_quality)?;
        check_weight("enterprise_interruption", self.enterprise_interruption)?;
        check_capped("special_work", &self.special_work)?;
        check_capped("hidden_danger_major", &self.hidden_danger_major)?;
        check_capped("hidden_danger_general", &self.hidden_danger_general)?;

        let m = &self.priority_multiplier;
        let mult = [
            ("priority_multiplier.emergency", m.emergency),
            ("priority_multiplier.high", m.high),
            ("priority_multiplier.medium", m.medium),
            ("priority_multiplier.low", m.low),
        ];
        for (f, x) in mult {
            check_weight(f, x)?;
        }
        for pair in mult.windows(2) {
            check_not_above(pair[1].0, pair[1].1, pair[0].0, pair[0].1)?;
        }

        let t = &self.thresholds;
        for (f, x) in [
            ("thresholds.red", t.red),
            ("thresholds.orange", t.orange),
            ("thresholds.yellow", t.yellow),
        ] {
            check_weight(f, x)?;
        }
        let ordered = [
            ("thresholds.yellow", t.yellow, "0", 0.0),
            ("thresholds.orange", t.orange, "thresholds.yellow", t.yellow),
            ("thresholds.red", t.red, "thresholds.orange", t.orange),
        ];
        for (f, x, of, o) in ordered {
            if x <= o {
                return Err(RiskConfigError::new(
                    f,
                    format!("风险模型配置字段 {f} 的值 {x} 应大于 {of} 的值 {o}（阈值须严格递增）"),
                    format!(
                        "risk model field {f} is {x}; it must be above {of} ({o}): thresholds must be strictly ordered yellow < orange < red"
                    ),
                ));
            }
        }
        check_not_above("thresholds.red", t.red, "the maximum score", MAX_SCORE)?;

        let mut codes = HashSet::new();
        for (n, floor) in self.floors.iter().enumerate() {
            validate_floor(n, floor, &mut codes)?;
        }
        Ok(())
    }
}

fn validate_floor<'a>(
    n: usize,
    floor: &'a FloorRule,
    codes: &mut HashSet<&'a str>,
) -> Result<(), RiskConfigError> {
    let at = format!("floors[{n}]");
    let code = floor.code.as_str();
    let code_ok = !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !code_ok {
        let f = format!("{at}.code");
        return Err(RiskConfigError::new(
            &f,
            format!("风险模型配置字段 {f}“{code}”无效：应为 1–64 个小写字母、数字或下划线"),
            format!(
                "risk model field {f} '{code}' is invalid: use 1-64 lower-case ASCII letters, digits or '_'"
            ),
        ));
    }
    if !codes.insert(code) {
        let f = format!("{at}.code");
        return Err(RiskConfigError::new(
            &f,
            format!("风险模型配置字段 {f}“{code}”与前面的底线规则重复"),
            format!("risk model field {f} '{code}' is used by an earlier floor rule"),
        ));
    }
    if floor.level == RiskLevel::Blue {
        let f = format!("{at}.level");
        return Err(RiskConfigError::new(
            &f,
            format!(
                "风险模型配置字段 {f} 为 {}：底线为蓝色不起作用，请用 red、orange 或 yellow",
                level_label_zh(RiskLevel::Blue)
            ),
            format!(
                "risk model field {f} is {} ({}): a blue floor has no effect; use red, orange or yellow",
                level_as_str(RiskLevel::Blue),
                level_label_en(RiskLevel::Blue)
            ),
        ));
    }
    if let Some(grades) = &floor.grades {
        let f = format!("{at}.grades");
        if grades.is_empty() {
            return Err(RiskConfigError::new(
                &f,
                format!("风险模型配置字段 {f} 为空列表：请列出等级 1–4，或删去该字段"),
                format!(
                    "risk model field {f} is an empty list: list grades 1-4, or leave the field out"
                ),
            ));
        }
        if let Some(g) = grades
            .iter()
            .find(|g| MajorHazardGrade::from_number(i64::from(**g)).is_none())
        {
            return Err(RiskConfigError::new(
                &f,
                format!("风险模型配置字段 {f} 含无效等级 {g}：重大危险源等级为 1–4"),
                format!("risk model field {f} holds grade {g}; GB 18218 grades are 1 to 4"),
            ));
        }
    }
    if floor.grades.is_none()
        && floor.min_gas_alarm_2 == 0
        && !floor.enterprise_interrupted
        && floor.min_hidden_danger_major == 0
    {
        return Err(RiskConfigError::new(
            &at,
            format!(
                "风险模型配置 {at}（{code}）没有任何条件：请至少给出 grades、min_gas_alarm_2、enterprise_interrupted 或 min_hidden_danger_major 之一"
            ),
            format!(
                "risk model {at} ('{code}') has no condition: give at least one of grades, min_gas_alarm_2, enterprise_interrupted, min_hidden_danger_major"
            ),
        ));
    }
    Ok(())
}

/// A floor rule with its grades resolved.
#[derive(Debug, Clone)]
pub(crate) struct Floor {
    pub(crate) rule: FloorRule,
    pub(crate) grades: Option<Vec<MajorHazardGrade>>,
}

fn resolve_floors(rules: &[FloorRule]) -> Vec<Floor> {
    rules
        .iter()
        .map(|rule| Floor {
            rule: rule.clone(),
            grades: rule.grades.as_ref().map(|gs| {
                gs.iter()
                    .filter_map(|g| MajorHazardGrade::from_number(i64::from(*g)))
                    .collect()
            }),
        })
        .collect()
}

/// 风险模型 — a validated risk model. Build it with [`RiskModel::default_v1`],
/// [`RiskModel::from_json`] or [`RiskModel::from_config`]; assess with [`RiskModel::assess`].
#[derive(Debug, Clone)]
pub struct RiskModel {
    pub(crate) config: RiskModelConfig,
    pub(crate) floors: Vec<Floor>,
}

impl RiskModel {
    /// Validate a config and build the model.
    pub fn from_config(config: RiskModelConfig) -> Result<Self, RiskConfigError> {
        config.validate()?;
        let floors = resolve_floors(&config.floors);
        Ok(Self { config, floors })
    }

    /// Parse and validate a JSON config. A syntax error, a missing or unknown key, or a
    /// value out of bounds is an error that names the field.
    pub fn from_json(json: &str) -> Result<Self, RiskConfigError> {
        let config: RiskModelConfig = serde_json::from_str(json).map_err(|e| {
            RiskConfigError::new(
                "$",
                format!(
                    "风险模型配置 JSON 无效（第 {} 行第 {} 列）：{e}",
                    e.line(),
                    e.column()
                ),
                format!("risk model config JSON is invalid: {e}"),
            )
        })?;
        Self::from_config(config)
    }

    /// 默认模型 v1 — the embedded `risk-model-v1.json` (all values assumed).
    ///
    /// The embedded file is checked by a unit test; should it ever fail to load anyway,
    /// this falls back to the same numbers written in code, so it cannot panic.
    pub fn default_v1() -> Self {
        match Self::from_json(DEFAULT_V1_JSON) {
            Ok(m) => m,
            Err(_) => Self::fallback_v1(),
        }
    }

    /// The v1 numbers in code, identical to `risk-model-v1.json` (a test keeps them equal).
    fn fallback_v1() -> Self {
        let config = builtin_v1_config();
        let floors = resolve_floors(&config.floors);
        Self { config, floors }
    }

    /// The validated config.
    pub fn config(&self) -> &RiskModelConfig {
        &self.config
    }

    /// 模型版本 — the config's `version`.
    pub fn version(&self) -> &str {
        &self.config.version
    }
}

/// The v1 defaults written in code; must equal `risk-model-v1.json`.
pub(crate) fn builtin_v1_config() -> RiskModelConfig {
    RiskModelConfig {
        version: "weihua-risk-1".into(),
        notes: None,
        inherent: InherentPoints {
            grade_1: 40.0,
            grade_2: 30.0,
            grade_3: 20.0,
            grade_4: 10.0,
            ungraded_major_hazard: 5.0,
            not_major_hazard: 5.0,
        },
        alarm_points: AlarmPoints {
            gas_alarm_2: 40.0,
            gas_alarm_1: 20.0,
            process_hh_ll: 15.0,
            process_h_l: 5.0,
            rate_of_change: 5.0,
            deviation: 5.0,
        },
        data_quality: CappedPoints {
            points: 3.0,
            cap: Some(15.0),
        },
        enterprise_interruption: 20.0,
        special_work: CappedPoints {
            points: 5.0,
            cap: Some(15.0),
        },
        hidden_danger_major: CappedPoints {
            points: 15.0,
            cap: None,
        },
        hidden_danger_general: CappedPoints {
            points: 2.0,
            cap: Some(10.0),
        },
        priority_multiplier: PriorityMultipliers {
            emergency: 1.5,
            high: 1.2,
            medium: 1.0,
            low: 0.6,
        },
        thresholds: LevelThresholds {
            red: 80.0,
            orange: 55.0,
            yellow: 30.0,
        },
        floors: vec![
            FloorRule {
                code: "floor_gas_alarm_2_multiple".into(),
                level: RiskLevel::Red,
                grades: None,
                min_gas_alarm_2: 2,
                enterprise_interrupted: false,
                min_hidden_danger_major: 0,
            },
            FloorRule {
                code: "floor_gas_alarm_2_grade_1_2".into(),
                level: RiskLevel::Orange,
                grades: Some(vec![1, 2]),
                min_gas_alarm_2: 1,
                enterprise_interrupted: false,
                min_hidden_danger_major: 0,
            },
            FloorRule {
                code: "floor_enterprise_interruption_grade_1".into(),
                level: RiskLevel::Yellow,
                grades: Some(vec![1]),
                min_gas_alarm_2: 0,
                enterprise_interrupted: true,
                min_hidden_danger_major: 0,
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v1() -> RiskModelConfig {
        serde_json::from_str(DEFAULT_V1_JSON).unwrap_or_else(|e| panic!("v1 JSON: {e}"))
    }

    fn rejects(mutate: impl FnOnce(&mut RiskModelConfig), field: &str) -> RiskConfigError {
        let mut c = v1();
        mutate(&mut c);
        let e = RiskModel::from_config(c).expect_err("config should be rejected");
        assert_eq!(e.field, field, "{e:?}");
        assert!(e.en.contains(field), "en names the field: {}", e.en);
        assert!(e.zh.contains(field), "zh names the field: {}", e.zh);
        assert!(e.zh.contains("风险模型"), "zh is Chinese: {}", e.zh);
        e
    }

    #[test]
    fn embedded_v1_parses_validates_and_matches_code() {
        let c = v1();
        assert_eq!(c.version, "weihua-risk-1");
        assert!(c.validate().is_ok());
        let m = RiskModel::from_json(DEFAULT_V1_JSON).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.version(), "weihua-risk-1");
        let mut builtin = builtin_v1_config();
        builtin.notes = c.notes.clone();
        assert_eq!(
            builtin, c,
            "builtin_v1_config must equal risk-model-v1.json"
        );
        assert!(
            c.notes.as_deref().unwrap_or("").contains("assumed"),
            "v1 notes mark the values as assumed"
        );
        assert_eq!(RiskModel::default_v1().config(), &c);
        assert_eq!(RiskModel::fallback_v1().config().floors, c.floors);
    }

    #[test]
    fn config_round_trips_through_json() {
        let c = v1();
        let json = serde_json::to_string_pretty(&c).unwrap_or_default();
        let back = RiskModel::from_json(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.config(), &c);
    }

    #[test]
    fn thresholds_must_be_strictly_ordered() {
        rejects(|c| c.thresholds.orange = 80.0, "thresholds.red");
        rejects(|c| c.thresholds.orange = 90.0, "thresholds.red");
        rejects(|c| c.thresholds.yellow = 60.0, "thresholds.orange");
        rejects(|c| c.thresholds.yellow = 0.0, "thresholds.yellow");
        rejects(|c| c.thresholds.red = 120.0, "thresholds.red");
        let e = rejects(|c| c.thresholds.orange = f64::NAN, "thresholds.orange");
        assert!(e.en.contains("finite"), "{}", e.en);
    }

    #[test]
    fn weights_must_be_finite_and_not_negative() {
        rejects(
            |c| c.alarm_points.gas_alarm_2 = -1.0,
            "alarm_points.gas_alarm_2",
        );
        rejects(
            |c| c.alarm_points.rate_of_change = f64::INFINITY,
            "alarm_points.rate_of_change",
        );
        rejects(
            |c| c.enterprise_interruption = -0.5,
            "enterprise_interruption",
        );
        rejects(|c| c.data_quality.points = f64::NAN, "data_quality.points");
        rejects(|c| c.special_work.cap = Some(-1.0), "special_work.cap");
        rejects(
            |c| c.hidden_danger_general.cap = Some(f64::NEG_INFINITY),
            "hidden_danger_general.cap",
        );
        rejects(
            |c| c.priority_multiplier.low = -0.1,
            "priority_multiplier.low",
        );
        rejects(|c| c.inherent.grade_3 = -5.0, "inherent.grade_3");
        rejects(
            |c| c.inherent.not_major_hazard = 101.0,
            "inherent.not_major_hazard",
        );
    }

    #[test]
    fn orderings_of_weights_are_kept() {
        rejects(|c| c.inherent.grade_2 = 45.0, "inherent.grade_2");
        rejects(
            |c| c.alarm_points.gas_alarm_1 = 50.0,
            "alarm_points.gas_alarm_1",
        );
        rejects(
            |c| c.alarm_points.process_h_l = 16.0,
            "alarm_points.process_h_l",
        );
        rejects(
            |c| c.priority_multiplier.medium = 1.3,
            "priority_multiplier.medium",
        );
    }

    #[test]
    fn version_must_be_a_clean_name() {
        rejects(|c| c.version = String::new(), "version");
        rejects(|c| c.version = " v1".into(), "version");
        rejects(|c| c.version = "a\nb".into(), "version");
        rejects(|c| c.version = "x".repeat(65), "version");
    }

    #[test]
    fn floors_must_be_well_formed() {
        rejects(|c| c.floors[0].code = "Floor-A".into(), "floors[0].code");
        rejects(|c| c.floors[1].code = String::new(), "floors[1].code");
        rejects(
            |c| c.floors[2].code = c.floors[0].code.clone(),
            "floors[2].code",
        );
        rejects(|c| c.floors[1].grades = Some(vec![]), "floors[1].grades");
        let e = rejects(
            |c| c.floors[1].grades = Some(vec![1, 5]),
            "floors[1].grades",
        );
        assert!(e.en.contains("grade 5"), "{}", e.en);
        rejects(|c| c.floors[0].level = RiskLevel::Blue, "floors[0].level");
        rejects(
            |c| {
                c.floors[0].min_gas_alarm_2 = 0;
            },
            "floors[0]",
        );
    }

    #[test]
    fn json_errors_name_the_field() {
        let unknown = DEFAULT_V1_JSON.replacen("\"gas_alarm_2\"", "\"gas_alarm_two\"", 1);
        let e = RiskModel::from_json(&unknown).expect_err("unknown key");
        assert!(e.en.contains("gas_alarm_two"), "{}", e.en);
        assert!(e.zh.contains("gas_alarm_two"), "{}", e.zh);

        let missing = DEFAULT_V1_JSON.replacen("\"enterprise_interruption\": 20,", "", 1);
        assert_ne!(missing, DEFAULT_V1_JSON, "test edits the file");
        let e = RiskModel::from_json(&missing).expect_err("missing key");
        assert!(e.en.contains("enterprise_interruption"), "{}", e.en);

        let e = RiskModel::from_json("{").expect_err("syntax");
        assert_eq!(e.field, "$");
        assert!(e.zh.contains("JSON"));

        let e = RiskModel::from_json(r#"{"version": 1}"#).expect_err("type");
        assert!(e.en.contains("invalid type"), "{}", e.en);
    }

    #[test]
    fn capped_points_cap_the_sum() {
        let c = CappedPoints {
            points: 3.0,
            cap: Some(15.0),
        };
        assert_eq!(c.total(4), 12.0);
        assert_eq!(c.total(6), 15.0);
        let open = CappedPoints {
            points: 15.0,
            cap: None,
        };
        assert_eq!(open.total(10), 150.0);
    }
}
