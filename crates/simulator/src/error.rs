//! 模拟器错误 — why a simulator could not be built.

/// Why [`crate::Simulator::new`] refused its input. Only construction fails;
/// [`crate::Simulator::step`] never does.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SimError {
    /// 量程无效 — a range bound is NaN or infinite, or the span overflows.
    #[error("point {point_id}: range [{low}, {high}] is not finite (量程无效)")]
    NonFiniteRange {
        point_id: String,
        low: f64,
        high: f64,
    },
    /// 量程倒置 — range low above range high. An equal low and high is allowed
    /// (a degenerate range reads a constant).
    #[error("point {point_id}: range low {low} is above range high {high} (量程下限大于上限)")]
    InvertedRange {
        point_id: String,
        low: f64,
        high: f64,
    },
    /// 报警限无效 — an alarm limit (LL, L, H or HH) is NaN or infinite.
    #[error("point {point_id}: alarm limit {limit} is {value}, not a finite number (报警限无效)")]
    NonFiniteLimit {
        point_id: String,
        /// "LL", "L", "H" or "HH".
        limit: &'static str,
        value: f64,
    },
    /// 点位重复 — two specs share one point id.
    #[error("point {point_id} is listed twice (点位重复)")]
    DuplicatePoint { point_id: String },
    /// 场景参数无效 — a [`crate::ScenarioConfig`] field is out of bounds.
    #[error("scenario setting {field}: {reason} (场景参数无效)")]
    InvalidConfig { field: &'static str, reason: String },
}
