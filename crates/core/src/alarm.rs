//! 报警 — the shared vocabulary of alarms: kinds, limits, priorities.
//! The engine that raises alarms lives in `weihua-alarm`; risk, KPIs and
//! notifications use these names too.

use serde::{Deserialize, Serialize};

/// 报警优先级 — alarm priority (ISA-18.2 §10: by consequence and time to respond).
/// Ordered from most to least urgent: `Emergency < High < Medium < Low` in `Ord`,
/// so sorting puts the most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlarmPriority {
    /// 紧急
    Emergency,
    /// 高
    High,
    /// 中
    Medium,
    /// 低
    Low,
}

impl AlarmPriority {
    pub const ALL: [AlarmPriority; 4] = [Self::Emergency, Self::High, Self::Medium, Self::Low];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Emergency => "emergency",
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Emergency => "紧急",
            Self::High => "高",
            Self::Medium => "中",
            Self::Low => "低",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s || p.label_zh() == s)
    }
    /// Whether this priority is at least as urgent as `other`.
    pub fn at_least(self, other: AlarmPriority) -> bool {
        self <= other
    }
}

/// 报警限 — which limit of a point an alarm is on (高高报 HH, 高报 H, 低报 L, 低低报 LL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LimitName {
    /// 高高报
    HH,
    /// 高报
    H,
    /// 低报
    L,
    /// 低低报
    LL,
}

impl LimitName {
    pub const ALL: [LimitName; 4] = [Self::HH, Self::H, Self::L, Self::LL];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HH => "HH",
            Self::H => "H",
            Self::L => "L",
            Self::LL => "LL",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::HH => "高高报",
            Self::H => "高报",
            Self::L => "低报",
            Self::LL => "低低报",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s) || l.label_zh() == s)
    }
    /// High limits alarm above the set point, low limits below.
    pub fn is_high(self) -> bool {
        matches!(self, Self::HH | Self::H)
    }
}

/// 报警类型 — what condition an alarm watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlarmKind {
    /// 限值报警 — beyond an LL/L/H/HH limit (with deadband and delays).
    Limit,
    /// 变化率报警 — changes faster than allowed.
    RateOfChange,
    /// 偏差报警 — differs too much from a second point.
    Deviation,
    /// 数值冻结 — the value has not changed for too long (stuck transmitter).
    Frozen,
    /// 坏质量 — the gateway marks the sample as bad quality.
    BadQuality,
    /// 数据中断 — no sample from the point for too long.
    Interruption,
    /// 企业数据中断 — no sample from any point of an enterprise (its gateway is silent).
    EnterpriseInterruption,
}

impl AlarmKind {
    pub const ALL: [AlarmKind; 7] = [
        Self::Limit,
        Self::RateOfChange,
        Self::Deviation,
        Self::Frozen,
        Self::BadQuality,
        Self::Interruption,
        Self::EnterpriseInterruption,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Limit => "limit",
            Self::RateOfChange => "rate_of_change",
            Self::Deviation => "deviation",
            Self::Frozen => "frozen",
            Self::BadQuality => "bad_quality",
            Self::Interruption => "interruption",
            Self::EnterpriseInterruption => "enterprise_interruption",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Limit => "限值报警",
            Self::RateOfChange => "变化率报警",
            Self::Deviation => "偏差报警",
            Self::Frozen => "数值冻结",
            Self::BadQuality => "坏质量",
            Self::Interruption => "数据中断",
            Self::EnterpriseInterruption => "企业数据中断",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.label_zh() == s)
    }
    /// Kinds that say the data cannot be trusted, rather than that the process is abnormal.
    pub fn is_data_quality(self) -> bool {
        matches!(
            self,
            Self::Frozen | Self::BadQuality | Self::Interruption | Self::EnterpriseInterruption
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_both_languages() {
        for p in AlarmPriority::ALL {
            assert_eq!(AlarmPriority::parse(p.as_str()), Some(p));
            assert_eq!(AlarmPriority::parse(p.label_zh()), Some(p));
        }
        for l in LimitName::ALL {
            assert_eq!(LimitName::parse(l.as_str()), Some(l));
            assert_eq!(LimitName::parse(l.label_zh()), Some(l));
        }
        for k in AlarmKind::ALL {
            assert_eq!(AlarmKind::parse(k.as_str()), Some(k));
            assert_eq!(AlarmKind::parse(k.label_zh()), Some(k));
        }
        assert_eq!(LimitName::parse("hh"), Some(LimitName::HH));
        assert_eq!(AlarmPriority::parse("urgent"), None);
    }

    #[test]
    fn priority_orders_most_urgent_first() {
        assert!(AlarmPriority::Emergency < AlarmPriority::Low);
        assert!(AlarmPriority::High.at_least(AlarmPriority::Medium));
        assert!(!AlarmPriority::Low.at_least(AlarmPriority::High));
        assert!(LimitName::H.is_high() && !LimitName::LL.is_high());
        assert!(AlarmKind::Frozen.is_data_quality() && !AlarmKind::Limit.is_data_quality());
    }
}
