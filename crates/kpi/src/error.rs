//! 错误 — why a KPI computation was refused.

/// Why [`compute`](crate::compute) refused to compute. Every message is bilingual
/// (Chinese first, then English) so it can be shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KpiError {
    /// 统计窗口为空或倒置 — `from_ms` is not before `to_ms`.
    #[error(
        "统计窗口为空或倒置：起点 {from_ms} 必须早于终点 {to_ms} / empty or inverted window: from_ms {from_ms} must be before to_ms {to_ms}"
    )]
    InvalidWindow { from_ms: i64, to_ms: i64 },
    /// 配置无效 — a [`KpiConfig`](crate::KpiConfig) field is out of range.
    #[error("KPI 配置项 {field} 无效：{zh} / invalid KPI setting {field}: {en}")]
    InvalidConfig {
        /// The offending field, e.g. `period_ms`.
        field: &'static str,
        /// 中文说明
        zh: String,
        /// English explanation
        en: String,
    },
}

impl KpiError {
    pub(crate) fn config(
        field: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self::InvalidConfig {
            field,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The Chinese half of the message.
    pub fn zh(&self) -> String {
        match self {
            Self::InvalidWindow { from_ms, to_ms } => {
                format!("统计窗口为空或倒置：起点 {from_ms} 必须早于终点 {to_ms}")
            }
            Self::InvalidConfig { field, zh, .. } => format!("KPI 配置项 {field} 无效：{zh}"),
        }
    }

    /// The English half of the message.
    pub fn en(&self) -> String {
        match self {
            Self::InvalidWindow { from_ms, to_ms } => {
                format!("empty or inverted window: from_ms {from_ms} must be before to_ms {to_ms}")
            }
            Self::InvalidConfig { field, en, .. } => format!("invalid KPI setting {field}: {en}"),
        }
    }
}
