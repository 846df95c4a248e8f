//! 作业分级 — levels of hot work (5.1), work at height (8.1, Table 2) and lifting (9.1),
//! derived from the place, the conditions and the time.

use super::calendar::{DailyInterval, HolidayCalendar, Window};
use serde::{Deserialize, Serialize};

/// 动火作业级别 — hot-work level (GB 30871-2022 5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HotWorkLevel {
    /// 特级动火 — special (the highest).
    Special,
    /// 一级动火 — level 1.
    One,
    /// 二级动火 — level 2 (the lowest).
    Two,
}

impl HotWorkLevel {
    /// Severity: 二级 0, 一级 1, 特级 2.
    pub fn rank(self) -> u8 {
        match self {
            Self::Two => 0,
            Self::One => 1,
            Self::Special => 2,
        }
    }

    /// One level up (特级 stays 特级).
    pub fn up(self) -> Self {
        match self {
            Self::Two => Self::One,
            Self::One | Self::Special => Self::Special,
        }
    }

    /// The more severe of two levels.
    pub fn max(self, other: Self) -> Self {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }

    /// 中文名.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Special => "特级",
            Self::One => "一级",
            Self::Two => "二级",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Self::Special => "special",
            Self::One => "level 1",
            Self::Two => "level 2",
        }
    }
}

/// 高处作业级别 — work-at-height level Ⅰ–Ⅳ (GB 30871-2022 8.1.3, Table 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeightLevel {
    /// Ⅰ级.
    One,
    /// Ⅱ级.
    Two,
    /// Ⅲ级.
    Three,
    /// Ⅳ级.
    Four,
}

impl HeightLevel {
    /// 中文名.
    pub fn zh(self) -> &'static str {
        match self {
            Self::One => "Ⅰ级",
            Self::Two => "Ⅱ级",
            Self::Three => "Ⅲ级",
            Self::Four => "Ⅳ级",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Self::One => "level I",
            Self::Two => "level II",
            Self::Three => "level III",
            Self::Four => "level IV",
        }
    }
}

/// 吊装作业级别 — lifting level by load mass (GB 30871-2022 9.1). Not Ⅰ–Ⅳ: the
/// standard uses 一/二/三级 for lifting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiftingLevel {
    /// 一级吊装 — m > 100 t.
    One,
    /// 二级吊装 — 40 t ≤ m ≤ 100 t.
    Two,
    /// 三级吊装 — m < 40 t.
    Three,
}

impl LiftingLevel {
    /// Severity: 三级 0, 二级 1, 一级 2.
    pub fn rank(self) -> u8 {
        match self {
            Self::Three => 0,
            Self::Two => 1,
            Self::One => 2,
        }
    }

    /// 中文名.
    pub fn zh(self) -> &'static str {
        match self {
            Self::One => "一级",
            Self::Two => "二级",
            Self::Three => "三级",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Self::One => "level 1",
            Self::Two => "level 2",
            Self::Three => "level 3",
        }
    }
}

/// 作业级别 — the level of a permit whose kind has levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PermitLevel {
    /// 动火.
    HotWork(HotWorkLevel),
    /// 高处.
    Height(HeightLevel),
    /// 吊装.
    Lifting(LiftingLevel),
}

impl PermitLevel {
    /// 中文名, e.g. `特级动火`.
    pub fn zh(self) -> String {
        match self {
            Self::HotWork(l) => format!("{}动火", l.zh()),
            Self::Height(l) => format!("{}高处作业", l.zh()),
            Self::Lifting(l) => format!("{}吊装", l.zh()),
        }
    }

    /// English name, e.g. `special hot work`.
    pub fn en(self) -> String {
        match self {
            Self::HotWork(l) => format!("{} hot work", l.en()),
            Self::Height(l) => format!("{} work at height", l.en()),
            Self::Lifting(l) => format!("{} lifting", l.en()),
        }
    }

    /// Severity within its kind (higher is more severe).
    pub fn rank(self) -> u8 {
        match self {
            Self::HotWork(l) => l.rank(),
            Self::Height(l) => l as u8,
            Self::Lifting(l) => l.rank(),
        }
    }
}

/// A reason that went into a level: its clause and a bilingual sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelReason {
    /// e.g. `GB 30871-2022 5.1.2`.
    pub clause: &'static str,
    /// Stable snake_case id.
    pub code: &'static str,
    /// 中文说明.
    pub message_zh: String,
    /// English explanation.
    pub message_en: String,
}

fn reason(clause: &'static str, code: &'static str, zh: &str, en: &str) -> LevelReason {
    LevelReason {
        clause,
        code,
        message_zh: zh.to_string(),
        message_en: en.to_string(),
    }
}

/// 分级错误 — the inputs do not give a level.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{message_en}")]
pub struct LevelError {
    /// e.g. `GB 30871-2022 8.1.1`.
    pub clause: &'static str,
    /// Stable snake_case id.
    pub code: &'static str,
    /// The input that failed, with its value.
    pub fact: String,
    /// 中文说明.
    pub message_zh: String,
    /// English explanation.
    pub message_en: String,
}

// ───────────── hot work ─────────────

/// 动火场所与条件 — what decides the hot-work level (GB 30871-2022 5.1–5.4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HotWorkConditions {
    /// 动火方式 — method (电焊、气焊、切割、打磨、喷砂 …), free text.
    pub method: String,
    /// 固定动火区内 — inside a fixed hot-work area (3.3, 5.5): no level applies.
    pub fixed_hot_work_area: bool,
    /// 火灾爆炸危险场所 — in a fire or explosion hazardous area (3.2).
    pub fire_explosion_hazard_area: bool,
    /// 运行状态下的生产装置设备、管道、储罐、容器 — on operating equipment (5.1.2).
    pub on_operating_equipment: bool,
    /// 带压不置换动火 — hot tapping without purge (5.1.2).
    pub hot_tapping_without_purge: bool,
    /// 存有易燃易爆介质的重大危险源罐区防火堤内 — inside the dike of a major-hazard tank
    /// farm holding flammables (5.1.2).
    pub major_hazard_tank_farm_dike: bool,
    /// 管廊上 — on a pipe rack, always at least 一级 (5.1.3).
    pub pipe_rack: bool,
    /// 全部停车、清洗置换分析合格并隔离，经生产或安全负责人批准按二级管理 (5.1.4).
    pub shutdown_downgrade_approved: bool,
    /// 其他特殊情况 — another special circumstance the enterprise escalates (5.1.1).
    pub other_special_circumstance: bool,
    /// 因生产确需在五级以上大风中露天动火 — production necessity declared for outdoor
    /// hot work in wind of force 5 or more; the level is raised (5.2.15).
    pub production_necessity_in_wind: bool,
    /// 生产、使用、储存氧气的设备 — on equipment that produces, uses or stores oxygen:
    /// O₂ ≤ 23.5 %vol (5.2.7).
    pub oxygen_equipment: bool,
    /// 存在受热分解爆炸、自爆物料 — material that explodes when heated (5.4.2 c).
    pub self_decomposing_material: bool,
    /// 生产装置运行不稳定 — the unit is running unstably (5.4.2 d).
    pub unit_unstable: bool,
    /// 作业方案已制定 — a written plan for 特级 hot work exists (5.4.2 a).
    pub plan_approved: bool,
    /// 每日动火时段 — hot work only in these local hours each day (e.g. 08:00–17:00);
    /// `None`: at any time of the planned window.
    pub work_hours: Option<DailyInterval>,
}

/// How several escalation causes combine. **Assumed**: GB 30871-2022 says "升级管理" in
/// 5.1.1 (holiday, rest day, night, other) and 5.2.15 (wind) without saying whether
/// two causes raise two levels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationPolicy {
    /// One level up whatever the number of causes (default).
    #[default]
    OneStep,
    /// One level up per clause that applies (5.1.1 and 5.2.15 are two steps).
    PerClause,
}

/// When and where the hot work is done, for the escalation rules.
#[derive(Debug, Clone, Copy)]
pub struct HotWorkContext<'a> {
    /// The time the level is for (the planned window, or one instant).
    pub window: Window,
    /// 露天 — outdoors.
    pub outdoor: bool,
    /// Holidays, rest days, night and the local offset.
    pub calendar: &'a HolidayCalendar,
    /// 风力 — Beaufort wind force now, if known.
    pub wind_force: Option<u8>,
    /// How causes combine.
    pub policy: EscalationPolicy,
}

/// The hot-work level with the reasons for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HotWorkLevelDerivation {
    /// 基本级别 — by place (5.1.2–5.1.4).
    pub base: HotWorkLevel,
    /// 管理级别 — after escalation (5.1.1, 5.2.15).
    pub level: HotWorkLevel,
    /// Every reason, in order.
    pub reasons: Vec<LevelReason>,
}

/// Derives the hot-work level: the base level by place (5.1.2 特级, 5.1.3 一级 incl.
/// pipe racks, 5.1.4 二级 and the shutdown downgrade), then one level up on holidays,
/// rest days, at night or in other special circumstances (5.1.1), and for outdoor hot
/// work in wind of force ≥ 5 (5.2.15). 特级 stays 特级.
///
/// Err when the work is inside a fixed hot-work area, where 5.5 applies instead of levels.
pub fn derive_hot_work_level(
    c: &HotWorkConditions,
    ctx: &HotWorkContext<'_>,
) -> Result<HotWorkLevelDerivation, LevelError> {
    if c.fixed_hot_work_area {
        return Err(LevelError {
            clause: "GB 30871-2022 5.1.1",
            code: "fixed_hot_work_area_has_no_level",
            fact: "fixed_hot_work_area = true".into(),
            message_zh: "固定动火区内的动火不分级，按5.5固定动火区管理，不办理分级动火安全作业票".into(),
            message_en: "hot work inside a fixed hot-work area has no level; it is managed under 5.5, not by a graded hot-work permit".into(),
        });
    }
    let mut reasons = Vec::new();
    let special_place = c.hot_tapping_without_purge
        || c.major_hazard_tank_farm_dike
        || (c.fire_explosion_hazard_area && c.on_operating_equipment);
    let mut base = if special_place {
        if c.hot_tapping_without_purge {
            reasons.push(reason(
                "GB 30871-2022 5.1.2",
                "hot_tapping_without_purge",
                "带压不置换动火，为特级动火",
                "hot tapping without purge is special hot work",
            ));
        }
        if c.major_hazard_tank_farm_dike {
            reasons.push(reason("GB 30871-2022 5.1.2", "major_hazard_tank_farm_dike",
                "存有易燃易爆介质的重大危险源罐区防火堤内动火，为特级动火",
                "hot work inside the dike of a major-hazard tank farm holding flammables is special hot work"));
        }
        if c.fire_explosion_hazard_area && c.on_operating_equipment {
            reasons.push(reason("GB 30871-2022 5.1.2", "operating_equipment_in_hazard_area",
                "在火灾爆炸危险场所处于运行状态下的生产装置设备、管道、储罐、容器上动火，为特级动火",
                "hot work on operating equipment, pipes, tanks or vessels in a fire or explosion hazardous area is special hot work"));
        }
        HotWorkLevel::Special
    } else if c.fire_explosion_hazard_area || c.pipe_rack {
        if c.pipe_rack {
            reasons.push(reason(
                "GB 30871-2022 5.1.3",
                "pipe_rack",
                "管廊上的动火按一级动火管理",
                "hot work on a pipe rack is managed as level 1",
            ));
        } else {
            reasons.push(reason(
                "GB 30871-2022 5.1.3",
                "fire_explosion_hazard_area",
                "在火灾爆炸危险场所进行的非特级动火，为一级动火",
                "other hot work in a fire or explosion hazardous area is level 1",
            ));
        }
        HotWorkLevel::One
    } else {
        reasons.push(reason(
            "GB 30871-2022 5.1.4",
            "other_hot_work",
            "特级、一级以外的动火，为二级动火",
            "hot work that is neither special nor level 1 is level 2",
        ));
        HotWorkLevel::Two
    };
    if c.shutdown_downgrade_approved && base != HotWorkLevel::Two {
        if c.hot_tapping_without_purge || c.on_operating_equipment {
            reasons.push(reason("GB 30871-2022 5.1.4", "downgrade_contradicts_operation",
                "申报了停车降级，但同时申报带压不置换或设备运行中，降级不适用，保留原级别",
                "a shutdown downgrade is declared but so is hot tapping or operating equipment; the downgrade does not apply"));
        } else {
            reasons.push(reason("GB 30871-2022 5.1.4", "shutdown_downgrade",
                "装置全部停车、清洗置换分析合格并隔离，经批准按二级动火管理",
                "the unit is shut down, cleaned, purged, tested and isolated, and the downgrade is approved: managed as level 2"));
            base = HotWorkLevel::Two;
        }
    }
    let mut level = base;
    let times = ctx
        .calendar
        .special_times(&ctx.window, c.work_hours.as_ref());
    let time_cause = times.any() || c.other_special_circumstance;
    if time_cause {
        let mut zh = Vec::new();
        let mut en = Vec::new();
        if times.holiday {
            zh.push("节假日");
            en.push("a holiday");
        }
        if times.rest_day {
            zh.push("公休日");
            en.push("a rest day");
        }
        if times.night {
            zh.push("夜间");
            en.push("night");
        }
        if c.other_special_circumstance {
            zh.push("其他特殊情况");
            en.push("another special circumstance");
        }
        level = level.up();
        reasons.push(LevelReason {
            clause: "GB 30871-2022 5.1.1",
            code: "escalated_special_time",
            message_zh: format!(
                "作业时间涉及{}，动火升级管理为{}",
                zh.join("、"),
                level.zh()
            ),
            message_en: format!(
                "the work touches {}; hot work is raised one level to {}",
                match en.split_last() {
                    Some((last, rest)) if !rest.is_empty() =>
                        format!("{} and {last}", rest.join(", ")),
                    _ => en.join(""),
                },
                level.en()
            ),
        });
    }
    if let Some(w) = ctx.wind_force.filter(|w| *w >= 5 && ctx.outdoor) {
        let steps = !time_cause || ctx.policy == EscalationPolicy::PerClause;
        if steps {
            level = level.up();
        }
        let (zh, en) = if steps {
            (
                format!(
                    "露天动火遇{w}级风（五级以上），动火升级管理为{}",
                    level.zh()
                ),
                format!(
                    "outdoor hot work in wind of force {w} (5 or more) is raised one level to {}",
                    level.en()
                ),
            )
        } else {
            (
                format!(
                    "露天动火遇{w}级风（五级以上），已因作业时间升级，仍为{}（升级不叠加）",
                    level.zh()
                ),
                format!(
                    "outdoor hot work in wind of force {w} (5 or more); already raised for the time, it stays {} (escalations do not add up)",
                    level.en()
                ),
            )
        };
        reasons.push(LevelReason {
            clause: "GB 30871-2022 5.2.15",
            code: "escalated_wind",
            message_zh: zh,
            message_en: en,
        });
    }
    Ok(HotWorkLevelDerivation {
        base,
        level,
        reasons,
    })
}

// ───────────── work at height ─────────────

/// 坠落客观危险因素 — the 9 objective fall hazard factors (GB 30871-2022 8.1.2 a–i).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeightHazardFactor {
    /// a) 阵风风力五级（8.0 m/s）以上.
    GustForce5OrMore,
    /// b) 平均气温 ≤ 5 °C.
    MeanTemperatureAtOrBelow5C,
    /// c) 接触冷水温度 ≤ 12 °C.
    ColdWaterAtOrBelow12C,
    /// d) 冰、雪、霜、油、水等易滑物.
    SlipperySurface,
    /// e) 光线不足或能见度差.
    PoorLight,
    /// f) 与危险电压带电体距离小于表1.
    NearLiveConductor,
    /// g) 摆动，立足处不是平面或只有很小的平面（任一边 < 500 mm）.
    UnstableFooting,
    /// h) 有毒气体或含氧量低于19.5 %.
    ToxicGasOrLowOxygen,
    /// i) 可能引起灾害事故的作业环境和抢救突发灾害事故.
    DisasterOrRescue,
}

/// 附录B说明2中的高处作业情形 — situations that set a minimum level (Annex B Table B.1,
/// note 2; informative).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeightSituation {
    /// 坡度大于45°的斜坡上 — at least Ⅰ.
    SlopeOver45Degrees,
    /// 升降（吊装）口、坑、井、池、沟、洞上面或附近 — at least Ⅱ.
    NearOpeningOrPit,
    /// 易燃、易爆、易中毒、易灼伤区域或转动设备附近 — at least Ⅱ.
    HazardousAreaOrRotatingEquipment,
    /// 无平台、无护栏的塔、釜、炉、罐等设备及架空管道上 — at least Ⅱ.
    UnguardedVesselOrPipeRack,
    /// 塔、釜、炉、罐等设备内 — at least Ⅱ.
    InsideVessel,
    /// 邻近排放有毒有害气体、粉尘的放空管线或烟囱 — at least Ⅱ.
    NearVentOrStack,
    /// 异温高处作业（高温或低温环境） — Ⅳ.
    AbnormalTemperature,
    /// 雪天 — Ⅳ.
    Snow,
    /// 雨天 — Ⅳ.
    Rain,
    /// 室外完全采用人工照明的夜间 — Ⅳ.
    NightArtificialLight,
    /// 带电高处作业 — Ⅳ.
    LiveLine,
    /// 悬空高处作业（无立足点） — Ⅳ.
    Suspended,
}

impl HeightSituation {
    /// 中文名.
    pub fn zh(self) -> &'static str {
        match self {
            Self::SlopeOver45Degrees => "坡度大于45°的斜坡上",
            Self::NearOpeningOrPit => "升降（吊装）口、坑、井、池、沟、洞上面或附近",
            Self::HazardousAreaOrRotatingEquipment => {
                "易燃、易爆、易中毒、易灼伤区域或转动设备附近"
            }
            Self::UnguardedVesselOrPipeRack => "无平台、无护栏的塔、釜、炉、罐等设备及架空管道上",
            Self::InsideVessel => "塔、釜、炉、罐等设备内",
            Self::NearVentOrStack => "邻近排放有毒、有害气体、粉尘的放空管线或烟囱",
            Self::AbnormalTemperature => "高温或低温环境下的异温高处作业",
            Self::Snow => "降雪时的雪天高处作业",
            Self::Rain => "降雨时的雨天高处作业",
            Self::NightArtificialLight => "室外完全采用人工照明的夜间高处作业",
            Self::LiveLine => "接近或接触带电体的带电高处作业",
            Self::Suspended => "无立足点或无牢靠立足点的悬空高处作业",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Self::SlopeOver45Degrees => "on a slope steeper than 45°",
            Self::NearOpeningOrPit => {
                "over or near a hoist opening, pit, well, pond, trench or hole"
            }
            Self::HazardousAreaOrRotatingEquipment => {
                "in a flammable, explosive, toxic or corrosive area, or near rotating equipment"
            }
            Self::UnguardedVesselOrPipeRack => {
                "on towers, vessels, furnaces or tanks without platform or railing, or on overhead pipes"
            }
            Self::InsideVessel => "inside a tower, vessel, furnace or tank",
            Self::NearVentOrStack => "near a vent or stack releasing toxic gas or dust",
            Self::AbnormalTemperature => "in a hot or cold environment",
            Self::Snow => "while it snows",
            Self::Rain => "while it rains",
            Self::NightArtificialLight => "outdoors at night under artificial light only",
            Self::LiveLine => "near or on live conductors",
            Self::Suspended => "suspended, without a firm footing",
        }
    }

    /// The minimum level it sets.
    pub fn floor(self) -> HeightLevel {
        match self {
            Self::SlopeOver45Degrees => HeightLevel::One,
            Self::NearOpeningOrPit
            | Self::HazardousAreaOrRotatingEquipment
            | Self::UnguardedVesselOrPipeRack
            | Self::InsideVessel
            | Self::NearVentOrStack => HeightLevel::Two,
            Self::AbnormalTemperature
            | Self::Snow
            | Self::Rain
            | Self::NightArtificialLight
            | Self::LiveLine
            | Self::Suspended => HeightLevel::Four,
        }
    }
}

/// 高处作业条件 — what decides the height level.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HeightConditions {
    /// 作业高度 h in m above the fall reference plane (3.8).
    pub height_m: f64,
    /// Objective hazard factors present (8.1.2); any one makes it class B.
    pub hazard_factors: Vec<HeightHazardFactor>,
    /// Annex B situations (minimum levels).
    pub situations: Vec<HeightSituation>,
}

/// The height level with the reasons for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeightLevelDerivation {
    /// 高度区段 — 1: 2–5 m, 2: 5–15 m, 3: 15–30 m, 4: > 30 m (8.1.1).
    pub band: u8,
    /// B类 — at least one hazard factor (8.1.3).
    pub class_b: bool,
    /// 级别.
    pub level: HeightLevel,
    /// Every reason, in order.
    pub reasons: Vec<LevelReason>,
}

/// Derives the height level from the height band (8.1.1) and the hazard factors (class A
/// without, class B with any, 8.1.3, Table 2), then applies the Annex B minimums.
///
/// Err when h is not a finite number or is below 2 m (not work at height, 3.8).
pub fn derive_height_level(c: &HeightConditions) -> Result<HeightLevelDerivation, LevelError> {
    let h = c.height_m;
    if !h.is_finite() {
        return Err(LevelError {
            clause: "GB 30871-2022 8.1.1",
            code: "height_invalid",
            fact: format!("height_m = {h}"),
            message_zh: format!("作业高度 {h} 不是有效数值（m）"),
            message_en: format!("height_m {h} is not a finite number of metres"),
        });
    }
    if h < 2.0 {
        return Err(LevelError {
            clause: "GB 30871-2022 3.8",
            code: "not_work_at_height",
            fact: format!("height_m = {h} (< 2 m)"),
            message_zh: format!("作业高度 {h} m 低于2 m，不属于高处作业"),
            message_en: format!("a height of {h} m is below 2 m, so this is not work at height"),
        });
    }
    let band: u8 = if h <= 5.0 {
        1
    } else if h <= 15.0 {
        2
    } else if h <= 30.0 {
        3
    } else {
        4
    };
    let class_b = !c.hazard_factors.is_empty();
    let table = match (band, class_b) {
        (1, false) => HeightLevel::One,
        (1, true) | (2, false) => HeightLevel::Two,
        (2, true) | (3, false) => HeightLevel::Three,
        _ => HeightLevel::Four,
    };
    let band_text = [
        "2 m ≤ h ≤ 5 m",
        "5 m < h ≤ 15 m",
        "15 m < h ≤ 30 m",
        "h > 30 m",
    ]
    .get(usize::from(band) - 1)
    .copied()
    .unwrap_or("h > 30 m");
    let mut reasons = vec![LevelReason {
        clause: "GB 30871-2022 8.1.3",
        code: "table2",
        message_zh: format!(
            "作业高度 {h} m（{band_text}），{}类法，按表2为{}",
            if class_b { "B" } else { "A" },
            table.zh()
        ),
        message_en: format!(
            "height {h} m ({band_text}), class {} ({}), Table 2 gives {}",
            if class_b { "B" } else { "A" },
            if class_b {
                "at least one objective hazard factor of 8.1.2"
            } else {
                "no objective hazard factor"
            },
            table.en()
        ),
    }];
    let mut level = table;
    for s in &c.situations {
        let f = s.floor();
        if f > level {
            level = f;
            reasons.push(LevelReason {
                clause: "GB 30871-2022 附录B 表B.1 说明2",
                code: "annex_b_situation",
                message_zh: format!("附录B所列情形（{}）至少为{}", s.zh(), f.zh()),
                message_en: format!("work {} is at least {} (Annex B)", s.en(), f.en()),
            });
        }
    }
    Ok(HeightLevelDerivation {
        band,
        class_b,
        level,
        reasons,
    })
}

// ───────────── lifting ─────────────

/// Loads below this mass (t) need no lifting permit, only a risk analysis (Annex B
/// Table B.1 note 3).
pub const LIFTING_PERMIT_MIN_T: f64 = 10.0;

/// The lifting level with the reasons for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiftingLevelDerivation {
    /// 级别.
    pub level: LiftingLevel,
    /// 需办理吊装安全作业票 — false below 10 t (Annex B note 3).
    pub permit_required: bool,
    /// 需编制吊装方案 — 一级/二级 always; 三级 when the load is complex (9.2.1).
    pub plan_required: bool,
    /// Every reason, in order.
    pub reasons: Vec<LevelReason>,
}

/// Derives the lifting level from the load mass m in t (9.1): 一级 m > 100 t,
/// 二级 40 t ≤ m ≤ 100 t, 三级 m < 40 t.
///
/// Err when m is not a finite number ≥ 0.
pub fn derive_lifting_level(
    mass_t: f64,
    complex_load: bool,
) -> Result<LiftingLevelDerivation, LevelError> {
    if !mass_t.is_finite() || mass_t < 0.0 {
        return Err(LevelError {
            clause: "GB 30871-2022 9.1",
            code: "mass_invalid",
            fact: format!("mass_t = {mass_t}"),
            message_zh: format!("吊物质量 {mass_t} 不是有效吨数（≥0）"),
            message_en: format!("load mass {mass_t} is not a valid number of tonnes (≥ 0)"),
        });
    }
    let (level, zh, en) = if mass_t > 100.0 {
        (LiftingLevel::One, "m > 100 t", "m > 100 t")
    } else if mass_t >= 40.0 {
        (LiftingLevel::Two, "40 t ≤ m ≤ 100 t", "40 t ≤ m ≤ 100 t")
    } else {
        (LiftingLevel::Three, "m < 40 t", "m < 40 t")
    };
    let mut reasons = vec![LevelReason {
        clause: "GB 30871-2022 9.1",
        code: "mass_band",
        message_zh: format!("吊物质量 {mass_t} t（{zh}），为{}吊装作业", level.zh()),
        message_en: format!("load mass {mass_t} t ({en}) is {} lifting", level.en()),
    }];
    let plan_required = level != LiftingLevel::Three || complex_load;
    if plan_required {
        reasons.push(reason(
            "GB 30871-2022 9.2.1",
            "plan_required",
            "应编制吊装作业方案并经审批",
            "a written lifting plan is required and must be approved",
        ));
    }
    let permit_required = mass_t >= LIFTING_PERMIT_MIN_T;
    if !permit_required {
        reasons.push(reason(
            "GB 30871-2022 附录B 表B.1 说明3",
            "below_10_t",
            "吊装质量小于10 t，可不办理吊装安全作业票，但应进行风险分析并确保措施可靠",
            "a load under 10 t needs no lifting permit, but a risk analysis and reliable measures are still required",
        ));
    }
    Ok(LiftingLevelDerivation {
        level,
        permit_required,
        plan_required,
        reasons,
    })
}
