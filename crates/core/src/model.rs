//! The place hierarchy and what hangs on it, as plain data.
//!
//! region → park → enterprise → major hazard installation → unit → equipment → monitoring point.

use crate::codes::CodeError;
use serde::{Deserialize, Serialize};

/// 生产单元 / 储存单元 — production or storage unit (GB 18218 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 生产单元
    Production,
    /// 储存单元
    Storage,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Production => "production",
            UnitKind::Storage => "storage",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "production" | "生产单元" | "生产" => Some(Self::Production),
            "storage" | "储存单元" | "储存" => Some(Self::Storage),
            _ => None,
        }
    }
}

/// Kind of equipment in a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EquipmentKind {
    /// 储罐
    Tank,
    /// 反应釜 / 反应器
    Reactor,
    /// 仓库
    Warehouse,
    /// 管道
    Pipeline,
    /// 塔器
    Column,
    /// 气柜 / 球罐等压力容器
    Vessel,
    /// 其他
    Other,
}

impl EquipmentKind {
    pub const ALL: [EquipmentKind; 7] = [
        Self::Tank,
        Self::Reactor,
        Self::Warehouse,
        Self::Pipeline,
        Self::Column,
        Self::Vessel,
        Self::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tank => "tank",
            Self::Reactor => "reactor",
            Self::Warehouse => "warehouse",
            Self::Pipeline => "pipeline",
            Self::Column => "column",
            Self::Vessel => "vessel",
            Self::Other => "other",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Tank => "储罐",
            Self::Reactor => "反应釜",
            Self::Warehouse => "仓库",
            Self::Pipeline => "管道",
            Self::Column => "塔器",
            Self::Vessel => "压力容器",
            Self::Other => "其他",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.label_zh() == s)
    }
}

/// 监测指标 — what a monitoring point measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// 液位
    Level,
    /// 温度
    Temperature,
    /// 压力
    Pressure,
    /// 流量
    Flow,
    /// 可燃气体浓度 (%LEL)
    FlammableGas,
    /// 有毒气体浓度 (ppm)
    ToxicGas,
    /// 氧含量
    Oxygen,
    /// 风速 (m/s) — of a park weather station; the live threat zone reads it.
    WindSpeed,
    /// 风向 (°, the direction the wind blows from, 0 = north, clockwise) — of a
    /// park weather station.
    WindDirection,
}

impl Indicator {
    pub const ALL: [Indicator; 9] = [
        Self::Level,
        Self::Temperature,
        Self::Pressure,
        Self::Flow,
        Self::FlammableGas,
        Self::ToxicGas,
        Self::Oxygen,
        Self::WindSpeed,
        Self::WindDirection,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Level => "level",
            Self::Temperature => "temperature",
            Self::Pressure => "pressure",
            Self::Flow => "flow",
            Self::FlammableGas => "flammable_gas",
            Self::ToxicGas => "toxic_gas",
            Self::Oxygen => "oxygen",
            Self::WindSpeed => "wind_speed",
            Self::WindDirection => "wind_direction",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Level => "液位",
            Self::Temperature => "温度",
            Self::Pressure => "压力",
            Self::Flow => "流量",
            Self::FlammableGas => "可燃气体",
            Self::ToxicGas => "有毒气体",
            Self::Oxygen => "氧含量",
            Self::WindSpeed => "风速",
            Self::WindDirection => "风向",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.label_zh() == s)
    }
    /// Engineering units that make sense for this indicator. A point whose unit
    /// is not in this list is refused: a level in MPa is a data-entry error that
    /// would make every later number wrong.
    pub fn allowed_units(self) -> &'static [&'static str] {
        match self {
            Self::Level => &["m", "mm", "%"],
            Self::Temperature => &["°C", "K"],
            Self::Pressure => &["MPa", "kPa", "Pa"],
            Self::Flow => &["m3/h", "Nm3/h", "t/h", "kg/h", "L/min"],
            Self::FlammableGas => &["%LEL", "%VOL"],
            Self::ToxicGas => &["ppm", "mg/m3"],
            Self::Oxygen => &["%VOL"],
            Self::WindSpeed => &["m/s"],
            Self::WindDirection => &["°"],
        }
    }
}

/// 工程单位 — engineering unit of a point, checked against its indicator.
pub fn check_unit(indicator: Indicator, unit: &str) -> Result<String, CodeError> {
    let u = unit.trim();
    // Accept the common spellings of degrees Celsius.
    let normalised = match u {
        "℃" | "degC" | "C" => "°C",
        "m³/h" => "m3/h",
        "Nm³/h" => "Nm3/h",
        "mg/m³" => "mg/m3",
        "%vol" | "%V/V" => "%VOL",
        "%lel" => "%LEL",
        "deg" | "degree" | "度" => "°",
        other => other,
    };
    if indicator.allowed_units().contains(&normalised) {
        Ok(normalised.to_string())
    } else {
        Err(CodeError::new(
            format!(
                "{}指标的单位“{u}”无效，可用：{}",
                indicator.label_zh(),
                indicator.allowed_units().join("、")
            ),
            format!(
                "unit '{u}' is not valid for indicator {}; use one of {}",
                indicator.as_str(),
                indicator.allowed_units().join(", ")
            ),
        ))
    }
}

/// 量程与报警限 — measuring range and LL/L/H/HH alarm limits of a point.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// 低低报
    pub ll: Option<f64>,
    /// 低报
    pub l: Option<f64>,
    /// 高报
    pub h: Option<f64>,
    /// 高高报
    pub hh: Option<f64>,
}

impl Limits {
    /// Check the limits against each other and against the range:
    /// range_low < range_high; every limit finite and inside the range;
    /// LL < L < H < HH for those present.
    pub fn check(&self, range_low: f64, range_high: f64) -> Result<(), CodeError> {
        if !range_low.is_finite() || !range_high.is_finite() || range_low >= range_high {
            return Err(CodeError::new(
                format!("量程下限{range_low}应小于上限{range_high}"),
                format!("range low {range_low} must be below range high {range_high}"),
            ));
        }
        let named = [
            ("LL", "低低报", self.ll),
            ("L", "低报", self.l),
            ("H", "高报", self.h),
            ("HH", "高高报", self.hh),
        ];
        let mut prev: Option<(&str, &str, f64)> = None;
        for (en, zh, v) in named {
            let Some(v) = v else { continue };
            if !v.is_finite() || v < range_low || v > range_high {
                return Err(CodeError::new(
                    format!("{zh}值{v}不在量程[{range_low}, {range_high}]内"),
                    format!("{en} limit {v} is outside the range [{range_low}, {range_high}]"),
                ));
            }
            if let Some((pen, pzh, pv)) = prev
                && v <= pv
            {
                return Err(CodeError::new(
                    format!("{zh}值{v}应大于{pzh}值{pv}"),
                    format!("{en} limit {v} must be above the {pen} limit {pv}"),
                ));
            }
            prev = Some((en, zh, v));
        }
        Ok(())
    }
}

/// 包保责任人 — the three responsible persons of a major hazard installation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GuardianRole {
    /// 主要负责人
    Principal,
    /// 技术负责人
    Technical,
    /// 操作负责人
    Operational,
}

/// One responsible person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Guardian {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// 包保责任人 — principal, technical and operational responsible persons.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Guardians {
    /// 主要负责人
    pub principal: Option<Guardian>,
    /// 技术负责人
    pub technical: Option<Guardian>,
    /// 操作负责人
    pub operational: Option<Guardian>,
}

/// 重大危险源等级 — grade of a major hazard installation (GB 18218-2018 §4.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MajorHazardGrade {
    /// 一级 (R ≥ 100)
    Grade1,
    /// 二级 (50 ≤ R < 100)
    Grade2,
    /// 三级 (10 ≤ R < 50)
    Grade3,
    /// 四级 (R < 10)
    Grade4,
}

impl MajorHazardGrade {
    pub fn as_number(self) -> i64 {
        match self {
            Self::Grade1 => 1,
            Self::Grade2 => 2,
            Self::Grade3 => 3,
            Self::Grade4 => 4,
        }
    }
    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            1 => Some(Self::Grade1),
            2 => Some(Self::Grade2),
            3 => Some(Self::Grade3),
            4 => Some(Self::Grade4),
            _ => None,
        }
    }
}

/// 安全风险等级 — risk level red / orange / yellow / blue (重大/较大/一般/低).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// 红 — 重大风险
    Red,
    /// 橙 — 较大风险
    Orange,
    /// 黄 — 一般风险
    Yellow,
    /// 蓝 — 低风险
    Blue,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_must_be_ordered_and_inside_range() {
        let ok = Limits {
            ll: Some(0.5),
            l: Some(1.0),
            h: Some(8.0),
            hh: Some(9.0),
        };
        assert!(ok.check(0.0, 10.0).is_ok());
        let swapped = Limits {
            h: Some(9.0),
            hh: Some(8.0),
            ..Default::default()
        };
        let e = swapped.check(0.0, 10.0).unwrap_err();
        assert!(
            e.en.contains("HH limit 8 must be above the H limit 9"),
            "{}",
            e.en
        );
        let outside = Limits {
            hh: Some(11.0),
            ..Default::default()
        };
        assert!(outside.check(0.0, 10.0).is_err());
        assert!(Limits::default().check(5.0, 5.0).is_err());
        assert!(Limits::default().check(0.0, f64::NAN).is_err());
        let equal = Limits {
            l: Some(2.0),
            h: Some(2.0),
            ..Default::default()
        };
        assert!(equal.check(0.0, 10.0).is_err());
    }

    #[test]
    fn units_follow_the_indicator() {
        assert_eq!(check_unit(Indicator::Temperature, "℃").unwrap(), "°C");
        assert_eq!(check_unit(Indicator::FlammableGas, "%LEL").unwrap(), "%LEL");
        let e = check_unit(Indicator::Level, "MPa").unwrap_err();
        assert!(e.zh.contains("液位"));
        assert!(check_unit(Indicator::ToxicGas, "%LEL").is_err());
    }

    #[test]
    fn kinds_parse_both_languages() {
        assert_eq!(UnitKind::parse("储存单元"), Some(UnitKind::Storage));
        assert_eq!(EquipmentKind::parse("反应釜"), Some(EquipmentKind::Reactor));
        assert_eq!(
            Indicator::parse("flammable_gas"),
            Some(Indicator::FlammableGas)
        );
        assert_eq!(Indicator::parse("有毒气体"), Some(Indicator::ToxicGas));
        assert_eq!(Indicator::parse("speed"), None);
    }
}
