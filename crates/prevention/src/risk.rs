//! 安全风险评价 — risk assessment by risk matrix (风险矩阵 L × S) and by LEC
//! (作业条件危险性分析, D = L × E × C), graded into the four levels 重大/较大/一般/低
//! (红/橙/黄/蓝, `RISK_CLASS` 1–4) with the responsible control level (管控层级).
//!
//! The bands are thresholds, tested from the top: a value at or above `major` is 重大,
//! else at or above `significant` is 较大, else at or above `general` is 一般, else 低.
//! So every product maps to exactly one level, including the values the published bands
//! leave out (there is no product 13 or 14 on a 5 × 5 matrix, but a custom threshold of
//! 13 must still land somewhere).
//!
//! Defaults:
//! - matrix: R ≥ 20 重大, ≥ 15 较大, ≥ 9 一般, else 低 — **assumed** (the MEM digital guide's
//!   cut-offs are not public; the reference's bands 15–16 / 9–12 / ≤ 8 are the same
//!   thresholds because no product of two numbers 1–5 lies in 13–14 or 17–19);
//! - LEC: D ≥ 320 重大, ≥ 160 较大 (secondary source), ≥ 70 一般 — **assumed** (from the
//!   conventional LEC table), else 低;
//! - control level: 重大 → 公司, 较大 → 部门（车间）, 一般 → 班组, 低 → 岗位 — **assumed**.

use crate::codes::{ControlLevel, RiskLevel};
use serde::{Deserialize, Serialize};

/// 可能性 L 的取值 — the classic LEC likelihood values.
pub const LEC_L_VALUES: [f64; 7] = [0.1, 0.2, 0.5, 1.0, 3.0, 6.0, 10.0];
/// 暴露频繁程度 E 的取值 — the classic LEC exposure values.
pub const LEC_E_VALUES: [f64; 6] = [0.5, 1.0, 2.0, 3.0, 6.0, 10.0];
/// 后果严重程度 C 的取值 — the classic LEC consequence values.
pub const LEC_C_VALUES: [f64; 6] = [1.0, 3.0, 7.0, 15.0, 40.0, 100.0];

/// The same sets in hundredths, so D is computed exactly as an integer.
const LEC_L_X10: [u64; 7] = [1, 2, 5, 10, 30, 60, 100];
const LEC_E_X10: [u64; 6] = [5, 10, 20, 30, 60, 100];
const LEC_C_X1: [u64; 6] = [1, 3, 7, 15, 40, 100];

/// Smallest and largest D of the classic sets (0.1 × 0.5 × 1 and 10 × 10 × 100).
const LEC_D_MIN: f64 = 0.05;
const LEC_D_MAX: f64 = 10_000.0;

/// 评价方法 — assessment method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskMethod {
    /// 风险矩阵法 L × S
    Matrix,
    /// 作业条件危险性分析法 LEC
    Lec,
}

/// 风险因子 — which input a [`RiskError::ValueNotAllowed`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskFactor {
    /// 矩阵可能性 L (1–5)
    MatrixLikelihood,
    /// 矩阵严重性 S (1–5)
    MatrixSeverity,
    /// LEC 事故发生的可能性 L
    LecLikelihood,
    /// LEC 暴露于危险环境的频繁程度 E
    LecExposure,
    /// LEC 事故后果严重程度 C
    LecConsequence,
}

impl RiskFactor {
    fn zh(self) -> &'static str {
        match self {
            Self::MatrixLikelihood => "风险矩阵可能性 L",
            Self::MatrixSeverity => "风险矩阵严重性 S",
            Self::LecLikelihood => "LEC 可能性 L",
            Self::LecExposure => "LEC 暴露频繁程度 E",
            Self::LecConsequence => "LEC 后果严重程度 C",
        }
    }
    fn en(self) -> &'static str {
        match self {
            Self::MatrixLikelihood => "risk matrix likelihood L",
            Self::MatrixSeverity => "risk matrix severity S",
            Self::LecLikelihood => "LEC likelihood L",
            Self::LecExposure => "LEC exposure E",
            Self::LecConsequence => "LEC consequence C",
        }
    }
    fn allowed(self) -> Vec<f64> {
        match self {
            Self::MatrixLikelihood | Self::MatrixSeverity => vec![1.0, 2.0, 3.0, 4.0, 5.0],
            Self::LecLikelihood => LEC_L_VALUES.to_vec(),
            Self::LecExposure => LEC_E_VALUES.to_vec(),
            Self::LecConsequence => LEC_C_VALUES.to_vec(),
        }
    }
}

/// 风险评价错误 — why an assessment was refused. `Display` is "中文 / English".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum RiskError {
    /// 取值不在允许集合内 — an input outside its value set.
    #[error("{} / {}", self.zh(), self.en())]
    ValueNotAllowed {
        /// which input
        factor: RiskFactor,
        /// the value given
        value: f64,
        /// the values allowed
        allowed: Vec<f64>,
    },
    /// 配置无效 — a [`RiskConfig`] that is not monotonic or not finite.
    #[error("{} / {}", self.zh(), self.en())]
    InvalidConfig {
        /// the offending field, e.g. `cutoffs.matrix.significant`
        field: String,
        /// 中文说明
        zh: String,
        /// English explanation
        en: String,
    },
}

impl RiskError {
    /// Machine code: `value_not_allowed` or `invalid_config`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ValueNotAllowed { .. } => "value_not_allowed",
            Self::InvalidConfig { .. } => "invalid_config",
        }
    }

    /// 中文说明
    pub fn zh(&self) -> String {
        match self {
            Self::ValueNotAllowed {
                factor,
                value,
                allowed,
            } => format!(
                "{} 的取值 {value} 不在允许的集合 {} 内",
                factor.zh(),
                list(allowed)
            ),
            Self::InvalidConfig { field, zh, .. } => format!("风险分级配置项 {field} 无效：{zh}"),
        }
    }

    /// English explanation
    pub fn en(&self) -> String {
        match self {
            Self::ValueNotAllowed {
                factor,
                value,
                allowed,
            } => format!(
                "{} value {value} is not one of {}",
                factor.en(),
                list(allowed)
            ),
            Self::InvalidConfig { field, en, .. } => {
                format!("invalid risk grading setting {field}: {en}")
            }
        }
    }

    fn config(field: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::InvalidConfig {
            field: field.to_string(),
            zh: zh.into(),
            en: en.into(),
        }
    }

    fn not_allowed(factor: RiskFactor, value: f64) -> Self {
        Self::ValueNotAllowed {
            factor,
            value,
            allowed: factor.allowed(),
        }
    }
}

fn list(values: &[f64]) -> String {
    let parts: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    format!("{{{}}}", parts.join(", "))
}

/// 风险矩阵分级阈值 — matrix thresholds on R = L × S (1–25). Defaults 20 / 15 / 9, assumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixCutoffs {
    /// R ≥ this → 重大 (default 20, assumed)
    pub major: u32,
    /// R ≥ this → 较大 (default 15, assumed)
    pub significant: u32,
    /// R ≥ this → 一般, below → 低 (default 9, assumed)
    pub general: u32,
}

impl Default for MatrixCutoffs {
    fn default() -> Self {
        Self {
            major: 20,
            significant: 15,
            general: 9,
        }
    }
}

/// LEC 分级阈值 — thresholds on D = L × E × C. Defaults 320 / 160 (secondary source) and
/// 70 (assumed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LecCutoffs {
    /// D ≥ this → 重大 (default 320)
    pub major: f64,
    /// D ≥ this → 较大 (default 160)
    pub significant: f64,
    /// D ≥ this → 一般, below → 低 (default 70, assumed)
    pub general: f64,
}

impl Default for LecCutoffs {
    fn default() -> Self {
        Self {
            major: 320.0,
            significant: 160.0,
            general: 70.0,
        }
    }
}

/// 风险分级阈值 — the cut-offs of both methods.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskCutoffs {
    /// 风险矩阵
    #[serde(default)]
    pub matrix: MatrixCutoffs,
    /// LEC
    #[serde(default)]
    pub lec: LecCutoffs,
}

/// 分级管控层级 — which level controls each risk level (assumed defaults:
/// 重大 → 公司, 较大 → 部门（车间）, 一般 → 班组, 低 → 岗位).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlLevelMap {
    /// 重大风险
    pub major: ControlLevel,
    /// 较大风险
    pub significant: ControlLevel,
    /// 一般风险
    pub general: ControlLevel,
    /// 低风险
    pub low: ControlLevel,
}

impl Default for ControlLevelMap {
    fn default() -> Self {
        Self {
            major: ControlLevel::Company,
            significant: ControlLevel::Department,
            general: ControlLevel::Team,
            low: ControlLevel::Post,
        }
    }
}

impl ControlLevelMap {
    /// The control level for a risk level.
    pub fn for_level(&self, level: RiskLevel) -> ControlLevel {
        match level {
            RiskLevel::Major => self.major,
            RiskLevel::Significant => self.significant,
            RiskLevel::General => self.general,
            RiskLevel::Low => self.low,
        }
    }
}

/// 风险分级配置 — cut-offs and control levels.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskConfig {
    /// 分级阈值
    #[serde(default)]
    pub cutoffs: RiskCutoffs,
    /// 管控层级
    #[serde(default)]
    pub control_levels: ControlLevelMap,
}

impl RiskConfig {
    /// Checks that thresholds are finite and strictly decreasing from `major` to
    /// `general`, and that each of the four levels is reachable: matrix
    /// 1 < general < significant < major ≤ 25; LEC 0.05 < general < significant < major ≤ 10 000.
    /// A control level may be shared by several risk levels but must not be *lower* for a
    /// higher risk (e.g. 重大 → 班组 while 较大 → 公司 is refused).
    pub fn validate(&self) -> Result<(), RiskError> {
        let m = &self.cutoffs.matrix;
        if m.general <= 1 {
            return Err(RiskError::config(
                "cutoffs.matrix.general",
                format!("必须大于 1（否则没有低风险），当前为 {}", m.general),
                format!(
                    "must be above 1 (otherwise no product is low), got {}",
                    m.general
                ),
            ));
        }
        if m.significant <= m.general {
            return Err(RiskError::config(
                "cutoffs.matrix.significant",
                format!("必须大于一般阈值 {}，当前为 {}", m.general, m.significant),
                format!(
                    "must be above the general threshold {}, got {}",
                    m.general, m.significant
                ),
            ));
        }
        if m.major <= m.significant {
            return Err(RiskError::config(
                "cutoffs.matrix.major",
                format!("必须大于较大阈值 {}，当前为 {}", m.significant, m.major),
                format!(
                    "must be above the significant threshold {}, got {}",
                    m.significant, m.major
                ),
            ));
        }
        if m.major > 25 {
            return Err(RiskError::config(
                "cutoffs.matrix.major",
                format!("不得大于 25（5 × 5 矩阵的最大值），当前为 {}", m.major),
                format!(
                    "must not exceed 25 (the largest 5 × 5 product), got {}",
                    m.major
                ),
            ));
        }
        let l = &self.cutoffs.lec;
        for (field, v) in [
            ("cutoffs.lec.general", l.general),
            ("cutoffs.lec.significant", l.significant),
            ("cutoffs.lec.major", l.major),
        ] {
            if !v.is_finite() {
                return Err(RiskError::config(
                    field,
                    "必须是有限数",
                    "must be a finite number",
                ));
            }
        }
        if l.general <= LEC_D_MIN {
            return Err(RiskError::config(
                "cutoffs.lec.general",
                format!("必须大于 D 的最小值 {LEC_D_MIN}，当前为 {}", l.general),
                format!(
                    "must be above the smallest D {LEC_D_MIN}, got {}",
                    l.general
                ),
            ));
        }
        if l.significant <= l.general {
            return Err(RiskError::config(
                "cutoffs.lec.significant",
                format!("必须大于一般阈值 {}，当前为 {}", l.general, l.significant),
                format!(
                    "must be above the general threshold {}, got {}",
                    l.general, l.significant
                ),
            ));
        }
        if l.major <= l.significant {
            return Err(RiskError::config(
                "cutoffs.lec.major",
                format!("必须大于较大阈值 {}，当前为 {}", l.significant, l.major),
                format!(
                    "must be above the significant threshold {}, got {}",
                    l.significant, l.major
                ),
            ));
        }
        if l.major > LEC_D_MAX {
            return Err(RiskError::config(
                "cutoffs.lec.major",
                format!("不得大于 D 的最大值 {LEC_D_MAX}，当前为 {}", l.major),
                format!("must not exceed the largest D {LEC_D_MAX}, got {}", l.major),
            ));
        }
        let c = &self.control_levels;
        // ControlLevel codes grow downwards (1 公司 … 4 岗位): a higher risk needs a code ≤.
        let chain = [
            ("control_levels.significant", c.major, c.significant),
            ("control_levels.general", c.significant, c.general),
            ("control_levels.low", c.general, c.low),
        ];
        for (field, higher, lower) in chain {
            if lower.code() < higher.code() {
                return Err(RiskError::config(
                    field,
                    format!(
                        "较低风险的管控层级（{}）不得高于较高风险的（{}）",
                        lower.label_zh(),
                        higher.label_zh()
                    ),
                    format!(
                        "a lower risk must not be controlled at a higher level ({}) than a higher risk ({})",
                        lower.label_en(),
                        higher.label_en()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// 风险评价结果 — the outcome of one assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskAssessment {
    /// 评价方法
    pub method: RiskMethod,
    /// 风险值 — R = L × S, or D = L × E × C
    pub value: f64,
    /// 风险等级 (`RISK_CLASS`)
    pub level: RiskLevel,
    /// 管控层级
    pub control_level: ControlLevel,
}

/// 矩阵分级 — the level of a matrix product R under the given thresholds.
pub fn matrix_level(r: u32, cutoffs: &MatrixCutoffs) -> RiskLevel {
    if r >= cutoffs.major {
        RiskLevel::Major
    } else if r >= cutoffs.significant {
        RiskLevel::Significant
    } else if r >= cutoffs.general {
        RiskLevel::General
    } else {
        RiskLevel::Low
    }
}

/// LEC 分级 — the level of D under the given thresholds (a NaN D is 低 — it cannot come
/// out of [`assess_lec`]).
pub fn lec_level(d: f64, cutoffs: &LecCutoffs) -> RiskLevel {
    if d >= cutoffs.major {
        RiskLevel::Major
    } else if d >= cutoffs.significant {
        RiskLevel::Significant
    } else if d >= cutoffs.general {
        RiskLevel::General
    } else {
        RiskLevel::Low
    }
}

/// 风险矩阵评价 — R = L × S with L (可能性) and S (严重性) each 1–5.
pub fn assess_matrix(
    likelihood: u8,
    severity: u8,
    config: &RiskConfig,
) -> Result<RiskAssessment, RiskError> {
    config.validate()?;
    if !(1..=5).contains(&likelihood) {
        return Err(RiskError::not_allowed(
            RiskFactor::MatrixLikelihood,
            f64::from(likelihood),
        ));
    }
    if !(1..=5).contains(&severity) {
        return Err(RiskError::not_allowed(
            RiskFactor::MatrixSeverity,
            f64::from(severity),
        ));
    }
    let r = u32::from(likelihood) * u32::from(severity);
    let level = matrix_level(r, &config.cutoffs.matrix);
    Ok(RiskAssessment {
        method: RiskMethod::Matrix,
        value: f64::from(r),
        level,
        control_level: config.control_levels.for_level(level),
    })
}

fn position(set: &[f64], v: f64) -> Option<usize> {
    set.iter().position(|x| *x == v)
}

/// LEC 评价 — D = L × E × C, each from its classic set ([`LEC_L_VALUES`],
/// [`LEC_E_VALUES`], [`LEC_C_VALUES`]); anything else is refused. D is computed exactly
/// (in hundredths), so a D on a threshold is never pushed below it by rounding.
pub fn assess_lec(
    l: f64,
    e: f64,
    c: f64,
    config: &RiskConfig,
) -> Result<RiskAssessment, RiskError> {
    config.validate()?;
    let li = position(&LEC_L_VALUES, l)
        .ok_or_else(|| RiskError::not_allowed(RiskFactor::LecLikelihood, l))?;
    let ei = position(&LEC_E_VALUES, e)
        .ok_or_else(|| RiskError::not_allowed(RiskFactor::LecExposure, e))?;
    let ci = position(&LEC_C_VALUES, c)
        .ok_or_else(|| RiskError::not_allowed(RiskFactor::LecConsequence, c))?;
    // D × 100, exact: at most 100 × 100 × 100 = 1e6.
    let d_x100 = LEC_L_X10[li] * LEC_E_X10[ei] * LEC_C_X1[ci];
    let cut = &config.cutoffs.lec;
    // Compare in hundredths so the product is exact; thresholds × 100 are exact for any
    // threshold with at most two decimals.
    let dd = d_x100 as f64;
    let level = if dd >= cut.major * 100.0 {
        RiskLevel::Major
    } else if dd >= cut.significant * 100.0 {
        RiskLevel::Significant
    } else if dd >= cut.general * 100.0 {
        RiskLevel::General
    } else {
        RiskLevel::Low
    };
    Ok(RiskAssessment {
        method: RiskMethod::Lec,
        value: dd / 100.0,
        level,
        control_level: config.control_levels.for_level(level),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> RiskConfig {
        RiskConfig::default()
    }

    #[test]
    fn matrix_defaults_follow_the_reference_bands() {
        // Every product of the 5 × 5 matrix, against the reference's band list.
        for l in 1..=5u8 {
            for s in 1..=5u8 {
                let r = u32::from(l) * u32::from(s);
                let a = assess_matrix(l, s, &cfg()).unwrap();
                let expected = match r {
                    20.. => RiskLevel::Major,
                    15..=16 => RiskLevel::Significant,
                    9..=12 => RiskLevel::General,
                    0..=8 => RiskLevel::Low,
                    _ => panic!("no 5 × 5 product is {r}"),
                };
                assert_eq!(a.level, expected, "L={l} S={s}");
                assert_eq!(a.value, f64::from(r));
            }
        }
    }

    #[test]
    fn matrix_boundaries() {
        let m = MatrixCutoffs::default();
        assert_eq!(matrix_level(20, &m), RiskLevel::Major);
        assert_eq!(matrix_level(19, &m), RiskLevel::Significant);
        assert_eq!(matrix_level(15, &m), RiskLevel::Significant);
        assert_eq!(matrix_level(14, &m), RiskLevel::General);
        assert_eq!(matrix_level(13, &m), RiskLevel::General);
        assert_eq!(matrix_level(9, &m), RiskLevel::General);
        assert_eq!(matrix_level(8, &m), RiskLevel::Low);
        assert_eq!(matrix_level(1, &m), RiskLevel::Low);
    }

    #[test]
    fn control_levels_default() {
        let a = assess_matrix(5, 5, &cfg()).unwrap();
        assert_eq!(a.control_level, ControlLevel::Company);
        assert_eq!(
            assess_matrix(3, 5, &cfg()).unwrap().control_level,
            ControlLevel::Department
        );
        assert_eq!(
            assess_matrix(3, 3, &cfg()).unwrap().control_level,
            ControlLevel::Team
        );
        assert_eq!(
            assess_matrix(1, 1, &cfg()).unwrap().control_level,
            ControlLevel::Post
        );
    }

    #[test]
    fn matrix_refuses_out_of_range() {
        for (l, s) in [(0, 3), (6, 3), (3, 0), (3, 6), (255, 255)] {
            let e = assess_matrix(l, s, &cfg()).unwrap_err();
            assert_eq!(e.code(), "value_not_allowed");
            assert!(e.to_string().contains(" / "));
            assert!(!e.zh().is_empty() && !e.en().is_empty());
        }
    }

    #[test]
    fn lec_boundaries_are_exact() {
        // All 7 × 6 × 6 combinations against a reference computed in hundredths.
        let c = cfg();
        let mut seen = [false; 4];
        for l in LEC_L_VALUES {
            for e in LEC_E_VALUES {
                for cc in LEC_C_VALUES {
                    let a = assess_lec(l, e, cc, &c).unwrap();
                    // Reference computed with exact rationals in hundredths.
                    let d = (l * 10.0).round() * (e * 10.0).round() * cc;
                    let expected = if d >= 32_000.0 {
                        RiskLevel::Major
                    } else if d >= 16_000.0 {
                        RiskLevel::Significant
                    } else if d >= 7_000.0 {
                        RiskLevel::General
                    } else {
                        RiskLevel::Low
                    };
                    assert_eq!(a.level, expected, "L={l} E={e} C={cc}");
                    seen[usize::from(a.level.code() - 1)] = true;
                }
            }
        }
        assert_eq!(seen, [true; 4]);
    }

    #[test]
    fn lec_worked_examples() {
        let c = cfg();
        // 0.2 × 10 × 40 = 80 → 一般 (floating point would give 80.00000000000001).
        let a = assess_lec(0.2, 10.0, 40.0, &c).unwrap();
        assert_eq!(a.value, 80.0);
        assert_eq!(a.level, RiskLevel::General);
        // 1 × 6 × 40 = 240 → 较大
        assert_eq!(
            assess_lec(1.0, 6.0, 40.0, &c).unwrap().level,
            RiskLevel::Significant
        );
        // 3 × 6 × 40 = 720 → 重大
        assert_eq!(
            assess_lec(3.0, 6.0, 40.0, &c).unwrap().level,
            RiskLevel::Major
        );
        // 1 × 3 × 15 = 45 → 低
        assert_eq!(
            assess_lec(1.0, 3.0, 15.0, &c).unwrap().level,
            RiskLevel::Low
        );
        // 1 × 10 × 7 = 70 exactly → 一般 (a D on a threshold belongs to the higher level);
        // 0.5 × 10 × 7 = 35 → 低.
        assert_eq!(
            assess_lec(1.0, 10.0, 7.0, &c).unwrap().level,
            RiskLevel::General
        );
        assert_eq!(
            assess_lec(0.5, 10.0, 7.0, &c).unwrap().level,
            RiskLevel::Low
        );
        // No classic product equals 320 or 160; custom thresholds on reachable products.
        let mut c2 = cfg();
        c2.cutoffs.lec = LecCutoffs {
            major: 240.0,
            significant: 80.0,
            general: 45.0,
        };
        assert_eq!(
            assess_lec(1.0, 6.0, 40.0, &c2).unwrap().level,
            RiskLevel::Major
        );
        assert_eq!(
            assess_lec(0.2, 10.0, 40.0, &c2).unwrap().level,
            RiskLevel::Significant
        );
        assert_eq!(
            assess_lec(1.0, 3.0, 15.0, &c2).unwrap().level,
            RiskLevel::General
        );
    }

    #[test]
    fn lec_refuses_values_outside_the_sets() {
        let c = cfg();
        let e = assess_lec(2.0, 1.0, 1.0, &c).unwrap_err();
        assert!(matches!(
            e,
            RiskError::ValueNotAllowed {
                factor: RiskFactor::LecLikelihood,
                ..
            }
        ));
        assert!(e.zh().contains("不在允许的集合"));
        assert!(e.en().contains("is not one of"));
        assert!(matches!(
            assess_lec(1.0, 4.0, 1.0, &c).unwrap_err(),
            RiskError::ValueNotAllowed {
                factor: RiskFactor::LecExposure,
                ..
            }
        ));
        assert!(matches!(
            assess_lec(1.0, 1.0, 50.0, &c).unwrap_err(),
            RiskError::ValueNotAllowed {
                factor: RiskFactor::LecConsequence,
                ..
            }
        ));
        assert!(assess_lec(f64::NAN, 1.0, 1.0, &c).is_err());
        assert!(assess_lec(1.0, f64::INFINITY, 1.0, &c).is_err());
    }

    #[test]
    fn config_validation() {
        let ok = cfg();
        assert!(ok.validate().is_ok());
        let bad = |f: &dyn Fn(&mut RiskConfig)| {
            let mut c = cfg();
            f(&mut c);
            c.validate().unwrap_err()
        };
        let e = bad(&|c| c.cutoffs.matrix.significant = 20);
        assert!(
            matches!(&e, RiskError::InvalidConfig { field, .. } if field == "cutoffs.matrix.major")
        );
        let e = bad(&|c| c.cutoffs.matrix.general = 15);
        assert!(
            matches!(&e, RiskError::InvalidConfig { field, .. } if field == "cutoffs.matrix.significant")
        );
        bad(&|c| c.cutoffs.matrix.general = 1);
        bad(&|c| c.cutoffs.matrix.major = 26);
        bad(&|c| c.cutoffs.lec.major = 100.0);
        bad(&|c| c.cutoffs.lec.general = f64::NAN);
        bad(&|c| c.cutoffs.lec.general = 0.0);
        bad(&|c| c.cutoffs.lec.major = 20_000.0);
        bad(&|c| c.cutoffs.lec.significant = 70.0);
        let e = bad(&|c| c.control_levels.major = ControlLevel::Team);
        assert!(e.zh().contains("管控层级"));
        // An invalid config refuses assessments rather than giving a wrong level.
        let mut c = cfg();
        c.cutoffs.matrix.major = 10;
        assert_eq!(
            assess_matrix(5, 5, &c).unwrap_err().code(),
            "invalid_config"
        );
        // Sharing a control level is fine.
        let mut c = cfg();
        c.control_levels.low = ControlLevel::Team;
        assert!(c.validate().is_ok());
    }

    #[test]
    fn config_serde_round_trip_and_partial() {
        let c = cfg();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<RiskConfig>(&json).unwrap(), c);
        let partial: RiskConfig = serde_json::from_str(
            r#"{"cutoffs":{"matrix":{"major":16,"significant":12,"general":6}}}"#,
        )
        .unwrap();
        assert_eq!(partial.cutoffs.lec, LecCutoffs::default());
        assert_eq!(partial.cutoffs.matrix.major, 16);
        assert!(serde_json::from_str::<RiskConfig>(r#"{"cutofs":{}}"#).is_err());
        let j = serde_json::to_value(assess_matrix(4, 5, &c).unwrap()).unwrap();
        assert_eq!(j["level"], "major");
        assert_eq!(j["control_level"], "company");
        assert_eq!(j["method"], "matrix");
    }
}
