//! 接口代码表 — the code lists of the provincial dual-prevention interfaces
//! (Jiangsu/MEM style field names, see `docs/dual-prevention.md`).
//!
//! Every enum here has `code()` (the value the interface carries), `from_code`
//! (the inverse; `None` for an unknown code), `label_zh()` / `label_en()` and
//! `ALL` (every variant, in code order). Serde uses the snake_case variant
//! names, never the codes, so JSON stays readable; adapters call `code()`.

use serde::{Deserialize, Serialize};

/// Defines a coded enum: variants with an interface code and zh/en labels.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $name:ident : $code_ty:ty, from $from_ty:ty {
            $( $(#[$vmeta:meta])* $variant:ident = $code:expr, $zh:expr, $en:expr; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in code order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The interface code (接口代码).
            pub fn code(self) -> $code_ty {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The variant for an interface code; `None` when the code is unknown.
            pub fn from_code(code: $from_ty) -> Option<Self> {
                $( if code == $code { return Some($name::$variant); } )+
                None
            }

            /// 中文名称
            pub fn label_zh(self) -> &'static str {
                match self {
                    $($name::$variant => $zh,)+
                }
            }

            /// English label
            pub fn label_en(self) -> &'static str {
                match self {
                    $($name::$variant => $en,)+
                }
            }
        }
    };
}

coded_enum! {
    /// 安全风险等级 `RISK_CLASS` — risk level of a risk analysis unit: 1 重大 (红) / 2 较大 (橙) /
    /// 3 一般 (黄) / 4 低 (蓝).
    RiskLevel: u8, from u8 {
        /// 重大风险 (红) — major, red, `RISK_CLASS` 1
        Major = 1, "重大风险", "major risk";
        /// 较大风险 (橙) — significant, orange, `RISK_CLASS` 2
        Significant = 2, "较大风险", "significant risk";
        /// 一般风险 (黄) — general, yellow, `RISK_CLASS` 3
        General = 3, "一般风险", "general risk";
        /// 低风险 (蓝) — low, blue, `RISK_CLASS` 4
        Low = 4, "低风险", "low risk";
    }
}

impl RiskLevel {
    /// 风险颜色 — the four-colour map colour as the weihua-wide [`weihua_core::RiskLevel`].
    pub fn colour(self) -> weihua_core::RiskLevel {
        match self {
            Self::Major => weihua_core::RiskLevel::Red,
            Self::Significant => weihua_core::RiskLevel::Orange,
            Self::General => weihua_core::RiskLevel::Yellow,
            Self::Low => weihua_core::RiskLevel::Blue,
        }
    }

    /// The level for a four-colour map colour.
    pub fn from_colour(colour: weihua_core::RiskLevel) -> Self {
        match colour {
            weihua_core::RiskLevel::Red => Self::Major,
            weihua_core::RiskLevel::Orange => Self::Significant,
            weihua_core::RiskLevel::Yellow => Self::General,
            weihua_core::RiskLevel::Blue => Self::Low,
        }
    }

    /// 颜色中文名 — 红 / 橙 / 黄 / 蓝.
    pub fn colour_zh(self) -> &'static str {
        match self {
            Self::Major => "红",
            Self::Significant => "橙",
            Self::General => "黄",
            Self::Low => "蓝",
        }
    }

    /// Colour name — red / orange / yellow / blue.
    pub fn colour_en(self) -> &'static str {
        match self {
            Self::Major => "red",
            Self::Significant => "orange",
            Self::General => "yellow",
            Self::Low => "blue",
        }
    }
}

coded_enum! {
    /// 管控层级 — the level that controls a risk (`LevelEnum`: 1 公司, 2 部门, 3 班组).
    /// 岗位 (post) = 4 is weihua's extension (assumed; the interface list stops at 3).
    ControlLevel: u8, from u8 {
        /// 公司级 — company
        Company = 1, "公司", "company";
        /// 部门（车间）级 — department (workshop)
        Department = 2, "部门（车间）", "department (workshop)";
        /// 班组级 — team
        Team = 3, "班组", "team";
        /// 岗位级 — post (code 4 assumed)
        Post = 4, "岗位", "post";
    }
}

coded_enum! {
    /// 管控方式 `DATA_SRC` — how a control measure is checked: 1 自动化监控 / 2 隐患排查.
    DataSrc: u8, from u8 {
        /// 自动化监控 — automated monitoring
        AutomatedMonitoring = 1, "自动化监控", "automated monitoring";
        /// 隐患排查 — inspection
        Inspection = 2, "隐患排查", "inspection";
    }
}

coded_enum! {
    /// 管控措施分类1 `CLASSIFY1` — control measure class 1.
    Classify1: u8, from u8 {
        /// 工程技术 — engineering
        Engineering = 1, "工程技术", "engineering";
        /// 维护保养 — maintenance
        Maintenance = 2, "维护保养", "maintenance";
        /// 操作行为 — operating behaviour
        OperatingBehaviour = 3, "操作行为", "operating behaviour";
        /// 应急措施 — emergency measures
        Emergency = 4, "应急措施", "emergency measures";
    }
}

coded_enum! {
    /// 管控措施分类2 `CLASSIFY2` — control measure class 2 ("1-1" … "4-5").
    Classify2: &'static str, from &str {
        /// 工艺控制 — process control
        ProcessControl = "1-1", "工艺控制", "process control";
        /// 关键设备/部件 — key equipment/parts
        KeyEquipment = "1-2", "关键设备/部件", "key equipment/parts";
        /// 安全附件 — safety accessories
        SafetyAccessories = "1-3", "安全附件", "safety accessories";
        /// 安全仪表 — safety instrumentation
        SafetyInstrumentation = "1-4", "安全仪表", "safety instrumentation";
        /// 其他（工程技术）— other engineering
        EngineeringOther = "1-5", "其他", "other (engineering)";
        /// 动设备 — rotating equipment
        RotatingEquipment = "2-1", "动设备", "rotating equipment";
        /// 静设备 — static equipment
        StaticEquipment = "2-2", "静设备", "static equipment";
        /// 人员资质 — staff qualification
        StaffQualification = "3-1", "人员资质", "staff qualification";
        /// 操作记录 — operating records
        OperatingRecords = "3-2", "操作记录", "operating records";
        /// 交接班 — shift handover
        ShiftHandover = "3-3", "交接班", "shift handover";
        /// 应急设施 — emergency facilities
        EmergencyFacilities = "4-1", "应急设施", "emergency facilities";
        /// 个体防护 — personal protection
        PersonalProtection = "4-2", "个体防护", "personal protection";
        /// 消防设施 — fire facilities
        FireFacilities = "4-3", "消防设施", "fire facilities";
        /// 应急预案 — emergency plans
        EmergencyPlans = "4-4", "应急预案", "emergency plans";
        /// 其他（应急措施）— other emergency
        EmergencyOther = "4-5", "其他", "other (emergency)";
    }
}

impl Classify2 {
    /// 所属分类1 — the class 1 this class 2 belongs to.
    pub fn class1(self) -> Classify1 {
        match self.code().as_bytes().first() {
            Some(b'1') => Classify1::Engineering,
            Some(b'2') => Classify1::Maintenance,
            Some(b'3') => Classify1::OperatingBehaviour,
            _ => Classify1::Emergency,
        }
    }
}

coded_enum! {
    /// 排查周期单位 `CHECK_CYCLE_UNIT`. The interface carries the Chinese word; 小时, 天, 月
    /// and 年 are confirmed, 班, 周, 季, 半年 are weihua's extension (assumed spellings).
    CheckCycleUnit: &'static str, from &str {
        /// 小时 — hour (decimals allowed, e.g. 0.5)
        Hour = "小时", "小时", "hour";
        /// 班 — shift (assumed code)
        Shift = "班", "班", "shift";
        /// 天 — day
        Day = "天", "天", "day";
        /// 周 — week, Monday to Monday (assumed code)
        Week = "周", "周", "week";
        /// 月 — month
        Month = "月", "月", "month";
        /// 季 — quarter: January, April, July, October (assumed code)
        Quarter = "季", "季", "quarter";
        /// 半年 — half year: January, July (assumed code)
        HalfYear = "半年", "半年", "half year";
        /// 年 — year
        Year = "年", "年", "year";
    }
}

coded_enum! {
    /// 排查结果 `CHECK_STATUS` of an inspection record.
    CheckStatus: u8, from u8 {
        /// 正常 — normal
        Normal = 0, "正常", "normal";
        /// 存在隐患 — hidden danger found
        DangerFound = 1, "存在隐患", "hidden danger found";
        /// 未排查 — not inspected (a due window ended without a record)
        NotInspected = 2, "未排查", "not inspected";
        /// 其他 — other
        Other = 3, "其他", "other";
    }
}

coded_enum! {
    /// 隐患等级 `DANGER_LEVEL`: 0 一般 / 1 重大.
    DangerLevel: u8, from u8 {
        /// 一般隐患 — general hidden danger
        General = 0, "一般隐患", "general hidden danger";
        /// 重大隐患 — major hidden danger
        Major = 1, "重大隐患", "major hidden danger";
    }
}

coded_enum! {
    /// 隐患来源 / 排查类型 `DANGER_SRC`. Codes 1–8 are the eight inspection forms (排查形式).
    DangerSrc: u8, from u8 {
        /// 日常排查 — routine
        Routine = 1, "日常排查", "routine inspection";
        /// 综合性排查 — comprehensive
        Comprehensive = 2, "综合性排查", "comprehensive inspection";
        /// 专业性排查 — professional
        Professional = 3, "专业性排查", "professional inspection";
        /// 季节性排查 — seasonal
        Seasonal = 4, "季节性排查", "seasonal inspection";
        /// 重点时段及节假日前排查 — before key periods and holidays
        KeyPeriod = 5, "重点时段及节假日前排查", "inspection before key periods and holidays";
        /// 事故类比排查 — accident analogy
        AccidentAnalogy = 6, "事故类比排查", "accident analogy inspection";
        /// 复产复工前排查 — before resuming production
        BeforeRestart = 7, "复产复工前排查", "inspection before resuming production";
        /// 外聘专家诊断式排查 — external expert diagnosis
        ExternalExpert = 8, "外聘专家诊断式排查", "external expert diagnosis";
        /// 管控措施失效 — control measure failure
        ControlMeasureFailure = 9, "管控措施失效", "control measure failure";
        /// 其他 — other
        Other = 10, "其他", "other";
    }
}

coded_enum! {
    /// 治理类型 `DANGER_MANAGE_TYPE`: 0 即查即改 / 1 限期整改.
    DangerManageType: u8, from u8 {
        /// 即查即改 — fixed on the spot
        FixOnSpot = 0, "即查即改", "fixed on the spot";
        /// 限期整改 — rectify by a deadline
        ByDeadline = 1, "限期整改", "rectify by a deadline";
    }
}

coded_enum! {
    /// 隐患类型 `HAZARD_DANGER_TYPE`.
    HazardDangerType: u8, from u8 {
        /// 安全 — safety
        Safety = 1, "安全", "safety";
        /// 工艺 — process
        Process = 2, "工艺", "process";
        /// 电气 — electrical
        Electrical = 3, "电气", "electrical";
        /// 仪表 — instrumentation
        Instrumentation = 4, "仪表", "instrumentation";
        /// 消防 — fire
        Fire = 5, "消防", "fire";
        /// 总图 — layout
        Layout = 6, "总图", "layout";
        /// 设备 — equipment
        Equipment = 7, "设备", "equipment";
        /// 其他 — other
        Other = 8, "其他", "other";
    }
}

coded_enum! {
    /// 隐患治理状态 `DANGER_STATE`: 0 整改中 / 1 待验收 / 9 已验收.
    DangerState: u8, from u8 {
        /// 整改中 — rectifying
        Rectifying = 0, "整改中", "rectifying";
        /// 待验收 — awaiting acceptance
        PendingAcceptance = 1, "待验收", "awaiting acceptance";
        /// 已验收 — accepted
        Accepted = 9, "已验收", "accepted";
    }
}

coded_enum! {
    /// 隐患管理分类 `MANAGEMENT_CLASSIFICATION`.
    ManagementClassification: u8, from u8 {
        /// 人的不安全行为 — unsafe act
        UnsafeAct = 1, "人的不安全行为", "unsafe act";
        /// 物的不安全状态 — unsafe condition
        UnsafeCondition = 2, "物的不安全状态", "unsafe condition";
        /// 管理上的缺陷 — management deficiency
        ManagementDeficiency = 3, "管理上的缺陷", "management deficiency";
    }
}

coded_enum! {
    /// 产生环节 `OCCURRENCE_LINK` — the stage where a hidden danger arose.
    OccurrenceLink: u8, from u8 {
        /// 设计 — design
        Design = 1, "设计", "design";
        /// 产品质量缺陷 — product quality defect
        ProductQuality = 2, "产品质量缺陷", "product quality defect";
        /// 仓储 — storage
        Storage = 3, "仓储", "storage";
        /// 项目施工 — construction
        Construction = 4, "项目施工", "construction";
        /// 开停车 — start-up / shut-down
        StartUpShutDown = 5, "开停车", "start-up/shut-down";
        /// 使用操作 — operation
        Operation = 6, "使用操作", "operation";
        /// 维护保养 — maintenance
        Maintenance = 7, "维护保养", "maintenance";
        /// 维修 — repair
        Repair = 8, "维修", "repair";
        /// 变更 — change
        Change = 9, "变更", "change";
        /// 运输 — transport
        Transport = 10, "运输", "transport";
    }
}

coded_enum! {
    /// 检查方式 `CheckMethod` — who checked: 0 企业自查 / 1 园区检查 / 2 上级部门及专家检查.
    CheckMethod: u8, from u8 {
        /// 企业自查 — enterprise self-check
        SelfCheck = 0, "企业自查", "enterprise self-check";
        /// 园区检查 — park check
        ParkCheck = 1, "园区检查", "park check";
        /// 上级部门及专家检查 — higher authority and expert check
        AuthorityCheck = 2, "上级部门及专家检查", "higher authority and expert check";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! roundtrip {
        ($t:ty) => {
            for v in <$t>::ALL {
                assert_eq!(<$t>::from_code(v.code()), Some(*v), "{v:?}");
                assert!(!v.label_zh().is_empty() && !v.label_en().is_empty());
                let json = serde_json::to_string(v).unwrap();
                assert_eq!(serde_json::from_str::<$t>(&json).unwrap(), *v);
            }
            let mut codes: Vec<_> = <$t>::ALL.iter().map(|v| v.code()).collect();
            let n = codes.len();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), n, "codes of {} are unique", stringify!($t));
        };
    }

    #[test]
    fn every_code_round_trips_and_is_unique() {
        roundtrip!(RiskLevel);
        roundtrip!(ControlLevel);
        roundtrip!(DataSrc);
        roundtrip!(Classify1);
        roundtrip!(Classify2);
        roundtrip!(CheckCycleUnit);
        roundtrip!(CheckStatus);
        roundtrip!(DangerLevel);
        roundtrip!(DangerSrc);
        roundtrip!(DangerManageType);
        roundtrip!(HazardDangerType);
        roundtrip!(DangerState);
        roundtrip!(ManagementClassification);
        roundtrip!(OccurrenceLink);
        roundtrip!(CheckMethod);
    }

    #[test]
    fn interface_code_values_follow_the_reference() {
        assert_eq!(
            RiskLevel::ALL.iter().map(|l| l.code()).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        assert_eq!(RiskLevel::Major.colour_zh(), "红");
        assert_eq!(RiskLevel::Low.colour(), weihua_core::RiskLevel::Blue);
        for l in RiskLevel::ALL {
            assert_eq!(RiskLevel::from_colour(l.colour()), *l);
        }
        assert_eq!(DataSrc::AutomatedMonitoring.code(), 1);
        assert_eq!(CheckStatus::NotInspected.code(), 2);
        assert_eq!(DangerLevel::Major.code(), 1);
        assert_eq!(DangerSrc::ControlMeasureFailure.code(), 9);
        assert_eq!(DangerSrc::ALL.len(), 10);
        assert_eq!(DangerManageType::ByDeadline.code(), 1);
        assert_eq!(HazardDangerType::ALL.len(), 8);
        assert_eq!(DangerState::Accepted.code(), 9);
        assert_eq!(DangerState::from_code(2), None);
        assert_eq!(ManagementClassification::ManagementDeficiency.code(), 3);
        assert_eq!(OccurrenceLink::Transport.code(), 10);
        assert_eq!(OccurrenceLink::from_code(0), None);
        assert_eq!(Classify2::ALL.len(), 15);
        assert_eq!(
            Classify2::from_code("2-2"),
            Some(Classify2::StaticEquipment)
        );
        assert_eq!(Classify2::from_code("5-1"), None);
        assert_eq!(
            Classify2::ShiftHandover.class1(),
            Classify1::OperatingBehaviour
        );
        assert_eq!(Classify2::EmergencyOther.class1(), Classify1::Emergency);
        assert_eq!(Classify2::EngineeringOther.class1(), Classify1::Engineering);
        assert_eq!(
            Classify2::RotatingEquipment.class1(),
            Classify1::Maintenance
        );
        assert_eq!(
            CheckCycleUnit::from_code("小时"),
            Some(CheckCycleUnit::Hour)
        );
        assert_eq!(CheckCycleUnit::from_code("年"), Some(CheckCycleUnit::Year));
        assert_eq!(ControlLevel::Team.code(), 3);
        assert_eq!(
            serde_json::to_string(&DangerSrc::ControlMeasureFailure).unwrap(),
            "\"control_measure_failure\""
        );
    }
}
