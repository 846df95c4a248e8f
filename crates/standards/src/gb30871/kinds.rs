//! 特殊作业与作业票 — the 8 kinds of special work and the permit (安全作业票) with
//! everything the ticket forms of Annex A record.

use super::calendar::Window;
use super::gas::GasTest;
use super::levels::{HeightConditions, HotWorkConditions, PermitLevel};
use super::lifecycle::PermitState;
use serde::{Deserialize, Serialize};

/// 特殊作业类别 — the 8 kinds of special work (GB 30871-2022 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// 动火作业 — hot work (3.4).
    HotWork,
    /// 受限空间作业 — confined-space entry (3.6).
    ConfinedSpace,
    /// 盲板抽堵作业 — blinding (3.7).
    Blinding,
    /// 高处作业 — work at height (3.8).
    Height,
    /// 吊装作业 — lifting (3.9).
    Lifting,
    /// 临时用电 — temporary power (3.10).
    TemporaryPower,
    /// 动土作业 — excavation (3.11).
    Excavation,
    /// 断路作业 — road closure (3.12).
    RoadClosure,
}

impl WorkKind {
    /// All 8 kinds, in the order of the standard.
    pub const ALL: [WorkKind; 8] = [
        Self::HotWork,
        Self::ConfinedSpace,
        Self::Blinding,
        Self::Height,
        Self::Lifting,
        Self::TemporaryPower,
        Self::Excavation,
        Self::RoadClosure,
    ];

    /// 中文名.
    pub fn zh(self) -> &'static str {
        match self {
            Self::HotWork => "动火作业",
            Self::ConfinedSpace => "受限空间作业",
            Self::Blinding => "盲板抽堵作业",
            Self::Height => "高处作业",
            Self::Lifting => "吊装作业",
            Self::TemporaryPower => "临时用电作业",
            Self::Excavation => "动土作业",
            Self::RoadClosure => "断路作业",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Self::HotWork => "hot work",
            Self::ConfinedSpace => "confined-space entry",
            Self::Blinding => "blinding",
            Self::Height => "work at height",
            Self::Lifting => "lifting",
            Self::TemporaryPower => "temporary power",
            Self::Excavation => "excavation",
            Self::RoadClosure => "road closure",
        }
    }

    /// 作业票样式 — its ticket form in Annex A (表A.1 … 表A.8).
    pub fn form(self) -> &'static str {
        match self {
            Self::HotWork => "表A.1 动火安全作业票",
            Self::ConfinedSpace => "表A.2 受限空间安全作业票",
            Self::Blinding => "表A.3 盲板抽堵安全作业票",
            Self::Height => "表A.4 高处安全作业票",
            Self::Lifting => "表A.5 吊装安全作业票",
            Self::TemporaryPower => "表A.6 临时用电安全作业票",
            Self::Excavation => "表A.7 动土安全作业票",
            Self::RoadClosure => "表A.8 断路安全作业票",
        }
    }
}

/// 受限空间 — the confined space and its former medium (Table A.2).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConfinedSpaceDetails {
    /// 受限空间名称.
    pub space_name: String,
    /// 受限空间内原有介质名称.
    pub former_medium: String,
    /// 富氧环境 — oxygen-enriched: O₂ 19.5–23.5 %vol instead of 19.5–21 %vol (6.4 a).
    pub oxygen_enriched: bool,
}

/// 作业类别 — install (堵) or remove (抽) a blind plate (Table A.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlindingAction {
    /// 堵盲板.
    Install,
    /// 抽盲板.
    Remove,
}

/// 盲板抽堵 — the plate(s), the action and the line (Table A.3, 7.1–7.11).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BlindingDetails {
    /// 作业类别 — 抽 or 堵; exactly one per ticket (7.11).
    pub action: Option<BlindingAction>,
    /// 盲板编号 — numbers on the blind-plate location map; exactly one per ticket (7.11).
    pub plates: Vec<String>,
    /// 设备、管道 — the pipeline (or equipment) id, for 7.10.
    pub pipeline_id: String,
    /// 介质.
    pub medium: String,
    /// 火灾爆炸危险场所 — in a fire or explosion hazardous area: no hot work within 30 m (7.6).
    pub fire_explosion_hazard_area: bool,
}

/// 吊装 — the load (Table A.5, 9.1–9.2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LiftingDetails {
    /// 吊物质量 m in t.
    pub mass_t: f64,
    /// 形状复杂、刚度小、长径比大、精密贵重或作业条件特殊 — a 三级 lift that still needs a plan (9.2.1).
    pub complex_load: bool,
    /// 吊装作业方案已编制并经审批 (9.2.1).
    pub plan_approved: bool,
    /// 吊具名称.
    pub gear: String,
}

/// 临时用电 — the connection (Table A.6, 10.1–10.8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TemporaryPowerDetails {
    /// 在运行的火灾爆炸危险性生产装置、罐区和火灾爆炸危险场所内 — flammable gas analysis
    /// per 5.3.2 before connecting (10.1).
    pub fire_explosion_hazard_area: bool,
    /// 特殊情况 — up to 30 days instead of 15 (10.8).
    pub special_case: bool,
    /// 用于动火、受限空间作业 — the id of the hot-work or confined-space permit it serves;
    /// its time must be that permit's time (10.8).
    pub serves_permit_id: Option<String>,
    /// 电源接入点.
    pub connection_point: String,
}

/// 动土 — depth and place (Table A.7, 11.1–11.11).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExcavationDetails {
    /// 挖掘深度 in m.
    pub depth_m: f64,
    /// 在生产装置区、罐区等危险场所 (11.10).
    pub hazardous_area: bool,
    /// 有埋设的易燃易爆、有毒有害介质管线、窨井等 (11.10).
    pub buried_hazardous_lines: bool,
}

impl ExcavationDetails {
    /// 执行受限空间作业规定 — depth > 1.2 m in a hazardous area with buried hazardous
    /// lines (11.10).
    pub fn as_confined_space(&self) -> bool {
        self.hazardous_area && self.buried_hazardous_lines && self.depth_m > 1.2
    }
}

/// 断路 — the closed section (Table A.8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RoadClosureDetails {
    /// 断路原因.
    pub reason: String,
    /// 涉及相关单位（部门）.
    pub affected_units: Vec<String>,
}

/// 作业 — the kind of special work with its own inputs. In JSON the kind is the tag:
/// `{"kind": "hot_work", "fire_explosion_hazard_area": true, …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Work {
    /// 动火.
    HotWork(HotWorkConditions),
    /// 受限空间.
    ConfinedSpace(ConfinedSpaceDetails),
    /// 盲板抽堵.
    Blinding(BlindingDetails),
    /// 高处.
    Height(HeightConditions),
    /// 吊装.
    Lifting(LiftingDetails),
    /// 临时用电.
    TemporaryPower(TemporaryPowerDetails),
    /// 动土.
    Excavation(ExcavationDetails),
    /// 断路.
    RoadClosure(RoadClosureDetails),
}

impl Work {
    /// Its kind.
    pub fn kind(&self) -> WorkKind {
        match self {
            Self::HotWork(_) => WorkKind::HotWork,
            Self::ConfinedSpace(_) => WorkKind::ConfinedSpace,
            Self::Blinding(_) => WorkKind::Blinding,
            Self::Height(_) => WorkKind::Height,
            Self::Lifting(_) => WorkKind::Lifting,
            Self::TemporaryPower(_) => WorkKind::TemporaryPower,
            Self::Excavation(_) => WorkKind::Excavation,
            Self::RoadClosure(_) => WorkKind::RoadClosure,
        }
    }
}

/// 坐标 — WGS-84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coordinates {
    /// 纬度.
    pub lat: f64,
    /// 经度.
    pub lon: f64,
}

impl Coordinates {
    /// Distance in m (haversine), or `None` if a coordinate is not a valid number.
    pub fn distance_m(&self, other: &Coordinates) -> Option<f64> {
        let ok = |c: &Coordinates| {
            c.lat.is_finite()
                && c.lon.is_finite()
                && (-90.0..=90.0).contains(&c.lat)
                && (-180.0..=180.0).contains(&c.lon)
        };
        if !ok(self) || !ok(other) {
            return None;
        }
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        let d = 2.0 * 6_371_008.8 * a.clamp(0.0, 1.0).sqrt().asin();
        d.is_finite().then_some(d)
    }
}

/// 作业地点及部位 — where the work is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Location {
    /// 装置/设施 id (weihua installation).
    pub installation_id: String,
    /// 设备 id, if the work is on one piece of equipment.
    pub equipment_id: Option<String>,
    /// 部位 — free text (e.g. "T-101 顶部人孔").
    pub place: String,
    /// 坐标, if known.
    pub coordinates: Option<Coordinates>,
}

/// 作业人员角色 — roles on the ticket forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerRole {
    /// 作业负责人.
    WorkLeader,
    /// 作业人.
    Worker,
    /// 动火人 (Table A.1).
    HotWorker,
    /// 监护人 (4.10).
    Guardian,
    /// 电工 — 临时用电作业人 with 电工证号 (Table A.6).
    Electrician,
    /// 用电人 (Table A.6).
    PowerUser,
    /// 吊装作业人 — crane operator (Table A.5).
    CraneOperator,
    /// 司索人 — rigger (Table A.5).
    Rigger,
    /// 指挥人员 — signaller (Table A.5, 9.2.6).
    Signaller,
    /// 架子工 — scaffolder (登高架设作业).
    Scaffolder,
    /// 分析人 — gas analyst.
    GasAnalyst,
}

impl WorkerRole {
    /// 中文名.
    pub fn zh(self) -> &'static str {
        match self {
            Self::WorkLeader => "作业负责人",
            Self::Worker => "作业人",
            Self::HotWorker => "动火人",
            Self::Guardian => "监护人",
            Self::Electrician => "电工",
            Self::PowerUser => "用电人",
            Self::CraneOperator => "吊装作业人",
            Self::Rigger => "司索人",
            Self::Signaller => "指挥人员",
            Self::Scaffolder => "架子工",
            Self::GasAnalyst => "分析人",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Self::WorkLeader => "work leader",
            Self::Worker => "worker",
            Self::HotWorker => "hot-work worker",
            Self::Guardian => "guardian",
            Self::Electrician => "electrician",
            Self::PowerUser => "power user",
            Self::CraneOperator => "crane operator",
            Self::Rigger => "rigger",
            Self::Signaller => "signaller",
            Self::Scaffolder => "scaffolder",
            Self::GasAnalyst => "gas analyst",
        }
    }

    /// Whether the role does the work with their hands (a guardian must not, 4.10 f).
    pub fn is_hands_on(self) -> bool {
        matches!(
            self,
            Self::Worker
                | Self::HotWorker
                | Self::Electrician
                | Self::CraneOperator
                | Self::Rigger
                | Self::Scaffolder
        )
    }
}

/// 证书类别 — certificates a role may need (4.9, 4.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateKind {
    /// 特种作业操作证（焊接与热切割作业）.
    WeldingAndCutting,
    /// 特种作业操作证（电工作业）.
    Electrician,
    /// 特种作业操作证（高处作业：登高架设 / 高处安装维护拆除）.
    WorkAtHeight,
    /// 特种设备作业人员证（起重机司机 Q2）.
    CraneOperator,
    /// 特种设备作业人员证（起重机指挥 Q1）.
    CraneSignaller,
    /// 监护人培训合格证 (4.10).
    GuardianTraining,
}

impl CertificateKind {
    /// 中文名.
    pub fn zh(self) -> &'static str {
        match self {
            Self::WeldingAndCutting => "特种作业操作证（焊接与热切割作业）",
            Self::Electrician => "特种作业操作证（电工作业）",
            Self::WorkAtHeight => "特种作业操作证（高处作业）",
            Self::CraneOperator => "特种设备作业人员证（起重机司机）",
            Self::CraneSignaller => "特种设备作业人员证（起重机指挥）",
            Self::GuardianTraining => "监护人培训合格证",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Self::WeldingAndCutting => {
                "special-operation certificate (welding and thermal cutting)"
            }
            Self::Electrician => "special-operation certificate (electrician)",
            Self::WorkAtHeight => "special-operation certificate (work at height)",
            Self::CraneOperator => "special-equipment certificate (crane operator)",
            Self::CraneSignaller => "special-equipment certificate (crane signaller)",
            Self::GuardianTraining => "guardian training certificate",
        }
    }
}

/// 证书 — a certificate held by a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// 类别.
    pub kind: CertificateKind,
    /// 证书编号.
    pub number: String,
    /// 有效期至 — the instant (UTC epoch ms) it stops being valid.
    pub expires_ms: i64,
}

/// 作业人员 — a person on the permit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Worker {
    /// Person id (weihua user or contractor id).
    pub id: String,
    /// 姓名.
    pub name: String,
    /// 角色.
    pub roles: Vec<WorkerRole>,
    /// 证书.
    pub certificates: Vec<Certificate>,
}

/// 签字栏 — a sign-off row of the ticket forms (Annex A).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignOff {
    /// 作业负责人意见 (吊装: 作业指挥意见).
    WorkLeader,
    /// 所在单位意见.
    OwningUnit,
    /// 安全管理部门意见 (Table A.1).
    SafetyDepartment,
    /// 审核部门意见 (Tables A.4, A.5).
    Review,
    /// 有关水、电、汽、工艺、设备、消防、安全等部门会签意见 (Table A.7).
    Countersign,
    /// 消防、安全管理部门意见 (Table A.8).
    FireAndSafety,
    /// 用电单位意见 (Table A.6).
    PowerUser,
    /// 配送电单位意见 (Table A.6; the approver of temporary power, Table B.1).
    PowerDistribution,
    /// 审批人 / 审批部门意见 (动火审批人, Tables A.1, A.4, A.5, A.7, A.8).
    Approver,
    /// 动火前岗位当班班长验票 (Table A.1).
    ShiftLeaderCheck,
}

impl SignOff {
    /// 中文名.
    pub fn zh(self) -> &'static str {
        match self {
            Self::WorkLeader => "作业负责人意见",
            Self::OwningUnit => "所在单位意见",
            Self::SafetyDepartment => "安全管理部门意见",
            Self::Review => "审核部门意见",
            Self::Countersign => "有关部门会签意见",
            Self::FireAndSafety => "消防、安全管理部门意见",
            Self::PowerUser => "用电单位意见",
            Self::PowerDistribution => "配送电单位意见",
            Self::Approver => "审批人意见",
            Self::ShiftLeaderCheck => "岗位当班班长验票",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Self::WorkLeader => "work leader's sign-off",
            Self::OwningUnit => "owning unit's sign-off",
            Self::SafetyDepartment => "safety department's sign-off",
            Self::Review => "reviewing department's sign-off",
            Self::Countersign => "countersignature of the departments concerned",
            Self::FireAndSafety => "fire and safety departments' sign-off",
            Self::PowerUser => "power user unit's sign-off",
            Self::PowerDistribution => "power distribution unit's sign-off",
            Self::Approver => "approver's sign-off",
            Self::ShiftLeaderCheck => "shift leader's ticket check",
        }
    }
}

/// 审批角色 — who signs, as roles of Annex B Table B.1 and the forms. Table B.1 is
/// informative: the server maps its users and departments to these roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApproverRole {
    /// 作业负责人.
    WorkLeader,
    /// 作业指挥 (吊装).
    LiftingCommander,
    /// 所在单位 / 所在基层单位.
    OwningUnit,
    /// 安全管理部门.
    SafetyDepartment,
    /// 主管领导.
    SeniorManager,
    /// 所在单位专业部门.
    SpecialistDepartment,
    /// 主管厂长或总工程师.
    PlantManagerOrChiefEngineer,
    /// 审核部门.
    ReviewingDepartment,
    /// 用电单位.
    PowerUserUnit,
    /// 配送电单位.
    PowerDistributionUnit,
    /// 会签部门（水、电、汽、工艺、设备、消防、安全等）.
    CountersigningDepartments,
    /// 消防、安全管理部门.
    FireAndSafetyDepartments,
    /// 岗位当班班长.
    ShiftLeader,
}

impl ApproverRole {
    /// 中文名.
    pub fn zh(self) -> &'static str {
        match self {
            Self::WorkLeader => "作业负责人",
            Self::LiftingCommander => "作业指挥",
            Self::OwningUnit => "所在（基层）单位",
            Self::SafetyDepartment => "安全管理部门",
            Self::SeniorManager => "主管领导",
            Self::SpecialistDepartment => "所在单位专业部门",
            Self::PlantManagerOrChiefEngineer => "主管厂长或总工程师",
            Self::ReviewingDepartment => "审核部门",
            Self::PowerUserUnit => "用电单位",
            Self::PowerDistributionUnit => "配送电单位",
            Self::CountersigningDepartments => "水、电、汽、工艺、设备、消防、安全等会签部门",
            Self::FireAndSafetyDepartments => "消防、安全管理部门",
            Self::ShiftLeader => "岗位当班班长",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Self::WorkLeader => "work leader",
            Self::LiftingCommander => "lifting commander",
            Self::OwningUnit => "owning (basic) unit",
            Self::SafetyDepartment => "safety department",
            Self::SeniorManager => "senior manager in charge",
            Self::SpecialistDepartment => "specialist department",
            Self::PlantManagerOrChiefEngineer => "plant manager in charge or chief engineer",
            Self::ReviewingDepartment => "reviewing department",
            Self::PowerUserUnit => "power user unit",
            Self::PowerDistributionUnit => "power distribution unit",
            Self::CountersigningDepartments => {
                "countersigning departments (water, power, steam, process, equipment, fire, safety)"
            }
            Self::FireAndSafetyDepartments => "fire and safety departments",
            Self::ShiftLeader => "shift leader",
        }
    }
}

/// 审批签字 — one signed row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// 签字栏.
    pub step: SignOff,
    /// 签字人角色.
    pub role: ApproverRole,
    /// 签字人 (person id or name).
    pub by: String,
    /// 签字时间 (UTC epoch ms).
    pub at_ms: i64,
    /// 在作业现场完成审批 (4.11 a).
    #[serde(default)]
    pub on_site: bool,
}

/// 安全措施确认 — the state of one checklist row (是否涉及 / 确认人).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeasureCheck {
    /// 序号 on the form.
    pub no: u8,
    /// 是否涉及 — `None`: not answered yet.
    pub applicable: Option<bool>,
    /// 确认人.
    pub confirmed_by: Option<String>,
    /// Text, for the "其他安全措施" row.
    pub text: Option<String>,
    /// 编制人, for the "其他安全措施" row.
    pub author: Option<String>,
}

/// 安全作业票 — a special-work permit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permit {
    /// weihua id (UUIDv7).
    pub id: String,
    /// 编号.
    #[serde(default)]
    pub number: String,
    /// 作业类别 and its inputs (level inputs included).
    pub work: Work,
    /// 申报级别 — the level written on the ticket; `None`: take the derived level.
    #[serde(default)]
    pub declared_level: Option<PermitLevel>,
    /// 作业内容.
    #[serde(default)]
    pub content: String,
    /// 作业地点.
    #[serde(default)]
    pub location: Location,
    /// 露天作业.
    #[serde(default)]
    pub outdoor: bool,
    /// 作业实施时间 — the planned window.
    pub planned: Window,
    /// 作业人员.
    #[serde(default)]
    pub workers: Vec<Worker>,
    /// 审批签字, in the order signed.
    #[serde(default)]
    pub approvals: Vec<Approval>,
    /// 气体分析.
    #[serde(default)]
    pub gas_tests: Vec<GasTest>,
    /// 安全措施 — the checklist answers.
    #[serde(default)]
    pub measures: Vec<MeasureCheck>,
    /// 关联的其他特殊作业及安全作业票编号 — ids of linked permits (4.6).
    #[serde(default)]
    pub linked_permits: Vec<String>,
    /// 交叉作业协调人 — the cross-work coordinator (4.7).
    #[serde(default)]
    pub cross_work_coordinator: Option<String>,
    /// 连续监测 — a portable detector is monitoring continuously (5.3.1 d, 6.5).
    #[serde(default)]
    pub continuous_monitoring: bool,
    /// 检测记录时间 — when monitoring readings were recorded (6.5: every 2 h).
    #[serde(default)]
    pub monitoring_records_ms: Vec<i64>,
    /// 监测仪位号 — the tag of the detector assigned to the continuous
    /// monitoring (a fixed detector of the plant, or a portable one reporting
    /// through the gateway); its readings are recorded on the permit.
    #[serde(default)]
    pub monitor_point: Option<String>,
    /// 状态.
    #[serde(default)]
    pub state: PermitState,
    /// 实际开始时间.
    #[serde(default)]
    pub started_at_ms: Option<i64>,
    /// 中断开始时间 — when the current suspension began.
    #[serde(default)]
    pub suspended_at_ms: Option<i64>,
}

impl Permit {
    /// Its kind.
    pub fn kind(&self) -> WorkKind {
        self.work.kind()
    }

    /// People holding `role`.
    pub fn with_role(&self, role: WorkerRole) -> impl Iterator<Item = &Worker> {
        self.workers.iter().filter(move |w| w.roles.contains(&role))
    }

    /// The summary other permits' checks need.
    pub fn summary(&self) -> OtherPermit {
        OtherPermit {
            id: self.id.clone(),
            number: self.number.clone(),
            kind: self.kind(),
            state: self.state,
            location: self.location.clone(),
            planned: self.planned,
            pipeline_id: match &self.work {
                Work::Blinding(b) if !b.pipeline_id.trim().is_empty() => {
                    Some(b.pipeline_id.clone())
                }
                _ => None,
            },
        }
    }
}

/// 其他作业票 — another permit, as far as conflicts need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherPermit {
    /// weihua id.
    pub id: String,
    /// 编号.
    #[serde(default)]
    pub number: String,
    /// 类别.
    pub kind: WorkKind,
    /// 状态.
    pub state: PermitState,
    /// 地点.
    #[serde(default)]
    pub location: Location,
    /// 作业实施时间.
    pub planned: Window,
    /// 盲板抽堵的管道 id.
    #[serde(default)]
    pub pipeline_id: Option<String>,
}

/// 天气 — conditions now (5.2.15, 8.2.6, 9.2.4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weather {
    /// 风力 — Beaufort force, if known.
    pub wind_force: Option<u8>,
    /// 大雪.
    pub heavy_snow: bool,
    /// 暴雨.
    pub heavy_rain: bool,
    /// 大雾 / 浓雾.
    pub dense_fog: bool,
}

/// 变更 — a change after the permit was issued (4.16, 4.17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// 作业内容变更 (4.16).
    Content,
    /// 作业范围扩大 (4.16).
    ScopeExpanded,
    /// 作业地点转移 (4.16).
    LocationMoved,
    /// 超过有效期限 / 延期 (4.16).
    ValidityExtended,
    /// 工艺条件改变 (4.17).
    ProcessConditions,
    /// 作业条件改变 (4.17).
    WorkConditions,
    /// 作业方式改变 (4.17).
    WorkMethod,
    /// 作业环境改变 (4.17).
    Environment,
}

impl Change {
    /// The clause that requires a new permit for it.
    pub fn clause(self) -> &'static str {
        match self {
            Self::Content | Self::ScopeExpanded | Self::LocationMoved | Self::ValidityExtended => {
                "GB 30871-2022 4.16"
            }
            Self::ProcessConditions
            | Self::WorkConditions
            | Self::WorkMethod
            | Self::Environment => "GB 30871-2022 4.17",
        }
    }

    /// 中文名.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Content => "作业内容变更",
            Self::ScopeExpanded => "作业范围扩大",
            Self::LocationMoved => "作业地点转移",
            Self::ValidityExtended => "超过或延长有效期限",
            Self::ProcessConditions => "工艺条件改变",
            Self::WorkConditions => "作业条件改变",
            Self::WorkMethod => "作业方式改变",
            Self::Environment => "作业环境改变",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Self::Content => "the work content changed",
            Self::ScopeExpanded => "the scope expanded",
            Self::LocationMoved => "the location moved",
            Self::ValidityExtended => "the validity is exceeded or extended",
            Self::ProcessConditions => "the process conditions changed",
            Self::WorkConditions => "the work conditions changed",
            Self::WorkMethod => "the work method changed",
            Self::Environment => "the environment changed",
        }
    }
}

/// What changed between the permit as issued and as it is now (4.16, 4.17): content,
/// location, the kind's inputs (conditions; for hot work a new method is a method
/// change), outdoor/indoor (environment) and a planned window reaching outside the issued
/// one. Signatures, gas tests, checklist answers and state are records, not changes.
pub fn changes_between(issued: &Permit, current: &Permit) -> Vec<Change> {
    let mut out = Vec::new();
    if issued.content.trim() != current.content.trim() {
        out.push(Change::Content);
    }
    if issued.location != current.location {
        out.push(Change::LocationMoved);
    }
    if issued.work.kind() != current.work.kind() {
        out.push(Change::ScopeExpanded);
    } else if issued.work != current.work {
        match (&issued.work, &current.work) {
            (Work::HotWork(a), Work::HotWork(b)) if a.method.trim() != b.method.trim() => {
                out.push(Change::WorkMethod);
                let mut a2 = a.clone();
                a2.method = b.method.clone();
                if a2 != *b {
                    out.push(Change::WorkConditions);
                }
            }
            _ => out.push(Change::WorkConditions),
        }
    }
    if issued.declared_level != current.declared_level && !out.contains(&Change::WorkConditions) {
        out.push(Change::WorkConditions);
    }
    if issued.outdoor != current.outdoor {
        out.push(Change::Environment);
    }
    if current.planned.start_ms < issued.planned.start_ms
        || current.planned.end_ms > issued.planned.end_ms
    {
        out.push(Change::ValidityExtended);
    }
    out
}
