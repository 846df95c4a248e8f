//! 安全措施清单 — the standard safety-measure list of each ticket form (Annex A,
//! Tables A.1–A.8), as data, and the rule that every row is answered (是否涉及) and
//! every applicable row confirmed (确认人) before approval (4.6, 4.11 c).
//!
//! The text is the form's own (GB 30871-2022 Annex A, informative); the English is
//! weihua's translation. Which rows may not be answered "not applicable" is weihua's
//! reading of the normative clause behind the row (named in `clause`).

use super::kinds::WorkKind;
use serde::Serialize;

/// When a row must be answered "applicable" (是否涉及 = 是).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// May be answered "not applicable".
    Optional,
    /// Always applicable.
    Always,
    /// Applicable to 特级 hot work.
    SpecialHotWork,
    /// Applicable at 30 m or more (8.2.1; "以上" includes 30 m).
    HeightAtOrAbove30m,
    /// Applicable outdoors.
    Outdoor,
    /// Applicable when a lifting plan is required (9.2.1).
    LiftingPlanRequired,
    /// Applicable in a fire or explosion hazardous area.
    HazardousArea,
    /// Applicable to excavation deeper than 1.2 m under 11.10.
    DeepExcavation,
    /// Applicable when the planned window touches night.
    Night,
    /// The "其他安全措施" row: free text with its author.
    OtherMeasures,
}

/// One row of a form's safety-measure list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChecklistItem {
    /// 序号 on the form.
    pub no: u8,
    /// 措施 (the form's text).
    pub zh: &'static str,
    /// Measure (English).
    pub en: &'static str,
    /// When it must be applicable.
    pub requirement: Requirement,
    /// The clause behind the row.
    pub clause: &'static str,
}

const fn item(
    no: u8,
    zh: &'static str,
    en: &'static str,
    requirement: Requirement,
    clause: &'static str,
) -> ChecklistItem {
    ChecklistItem {
        no,
        zh,
        en,
        requirement,
        clause,
    }
}

use Requirement as R;

const OTHER_ZH: &str = "其他安全措施（编制人）";
const OTHER_EN: &str = "Other safety measures (with their author)";

/// 表A.1 动火安全作业票 — 16 rows.
pub const HOT_WORK: &[ChecklistItem] = &[
    item(
        1,
        "动火设备内部构件清洗干净，蒸汽吹扫或水洗、置换合格，达到动火条件",
        "The internals of the equipment are cleaned, steamed or washed and purged, fit for hot work",
        R::Optional,
        "GB 30871-2022 4.2 a)",
    ),
    item(
        2,
        "与动火设备相连接的所有管线已断开，加盲板（ ）块，未采取水封或仅关闭阀门的方式代替盲板",
        "Every line connected to the equipment is disconnected and blinded (__ plates); no water seal or closed valve replaces a blind",
        R::Optional,
        "GB 30871-2022 5.2.2",
    ),
    item(
        3,
        "动火点周围及附近的孔洞、窨井、地沟、水封设施、污水井等已清除易燃物，并已采取覆盖、铺沙等手段进行隔离",
        "Openings, manholes, trenches, water seals and sewer wells near the spot are cleared of flammables and covered or sanded",
        R::Optional,
        "GB 30871-2022 5.2.4",
    ),
    item(
        4,
        "油气罐区动火点同一防火堤内和防火间距内的油品储罐未进行脱水和取样作业",
        "No draining or sampling of oil tanks inside the same dike or fire-separation distance of the spot",
        R::Optional,
        "GB 30871-2022 5.2.8",
    ),
    item(
        5,
        "高处作业已采取防火花飞溅措施，作业人员佩戴必要的个体防护装备",
        "Hot work at height: spark spread is prevented and workers wear the necessary PPE",
        R::Optional,
        "GB 30871-2022 4.3",
    ),
    item(
        6,
        "在有可燃物构件和使用可燃物做防腐内衬的设备内部动火作业，已采取防火隔绝措施",
        "Inside equipment with combustible parts or linings: fire barriers are in place",
        R::Optional,
        "GB 30871-2022 5.2.5",
    ),
    item(
        7,
        "乙炔气瓶直立放置，已采取防倾倒措施并安装防回火装置；乙炔气瓶、氧气瓶与火源间的距离不应小于10 m，两气瓶相互间距不应小于5 m",
        "Acetylene cylinder upright, secured and with a flashback arrestor; cylinders at least 10 m from the flame and 5 m apart",
        R::Optional,
        "GB 30871-2022 5.2.13",
    ),
    item(
        8,
        "现场配备灭火器（ ）台，灭火毯（ ）块，消防蒸汽带或消防水带（ ）",
        "Fire extinguishers (__), fire blankets (__) and fire steam or water hoses (__) are on site",
        R::Always,
        "GB 30871-2022 5.2.1",
    ),
    item(
        9,
        "电焊机所处位置已考虑防火防爆要求，且已可靠接地",
        "The welding machine is placed with fire and explosion safety in mind and reliably earthed",
        R::Optional,
        "GB 30871-2022 5.2.12",
    ),
    item(
        10,
        "动火点周围规定距离内没有易燃易爆化学品的装卸、排放、喷漆等可能引起火灾爆炸的危险作业",
        "No loading, discharge, painting or other fire-risk work with flammable chemicals within the set distances",
        R::Always,
        "GB 30871-2022 5.2.9",
    ),
    item(
        11,
        "动火点30 m内垂直空间未排放可燃气体；15 m内垂直空间未排放可燃液体；10 m范围内及动火点下方未同时进行可燃溶剂清洗或喷漆等作业，10 m范围内未见有可燃性粉尘清扫作业",
        "No flammable gas vented within 30 m, no flammable liquid within 15 m, no solvent cleaning or painting within 10 m or below, no combustible-dust sweeping within 10 m",
        R::Always,
        "GB 30871-2022 5.2.9",
    ),
    item(
        12,
        "已开展作业危害分析，制定相应的安全风险管控措施，交叉作业已明确协调人",
        "A job hazard analysis is done with its control measures; cross-work has a named coordinator",
        R::Always,
        "GB 30871-2022 4.1",
    ),
    item(
        13,
        "用于连续检测的移动式可燃气体检测仪已配备到位",
        "A portable flammable-gas detector for continuous monitoring is in place",
        R::SpecialHotWork,
        "GB 30871-2022 5.3.1 d)",
    ),
    item(
        14,
        "配备的摄录设备已到位，且防爆级别满足安全要求",
        "An explosion-proof camera recording the whole work is in place",
        R::SpecialHotWork,
        "GB 30871-2022 5.2.11",
    ),
    item(
        15,
        "其他相关特殊作业已办理相应安全作业票，作业现场四周已设立警戒区",
        "Other special work involved has its own permits; the site is cordoned off",
        R::Optional,
        "GB 30871-2022 4.6",
    ),
    item(
        16,
        OTHER_ZH,
        OTHER_EN,
        R::OtherMeasures,
        "GB 30871-2022 附录A 表A.1",
    ),
];

/// 表A.2 受限空间安全作业票 — 15 rows.
pub const CONFINED_SPACE: &[ChecklistItem] = &[
    item(
        1,
        "盛装过有毒、可燃物料的受限空间，所有与受限空间有联系的阀门、管线已加盲板隔离，并落实盲板责任人，未采用水封或关闭阀门代替盲板",
        "Having held toxic or flammable material: every connected valve and line is blinded with a named person responsible; no water seal or closed valve replaces a blind",
        R::Optional,
        "GB 30871-2022 6.1 a)",
    ),
    item(
        2,
        "盛装过有毒、可燃物料的受限空间，设备已经过置换、吹扫或蒸煮",
        "Having held toxic or flammable material: the equipment is purged, blown or steamed",
        R::Optional,
        "GB 30871-2022 4.2 a)",
    ),
    item(
        3,
        "设备通风孔已打开进行自然通风，温度适宜人员作业；必要时采用强制通风或佩戴隔绝式呼吸防护装备，不应采用直接通入氧气或富氧空气的方法补充氧",
        "Vents are open for natural ventilation and the temperature suits work; forced ventilation or supplied-air respirators where needed; never pure oxygen or oxygen-enriched air",
        R::Always,
        "GB 30871-2022 6.2, 6.3 e)",
    ),
    item(
        4,
        "转动设备已切断电源，电源开关处已加锁并悬挂“禁止合闸”标志牌",
        "Rotating equipment is de-energised, its switch locked and tagged 'do not switch on'",
        R::Optional,
        "GB 30871-2022 6.1 c)",
    ),
    item(
        5,
        "受限空间内部已具备进人作业条件，易燃易爆物料容器内作业，作业人员未采用非防爆工具，手持电动工具符合作业安全要求",
        "The space is fit for entry; in vessels of flammable material only explosion-proof tools are used; hand-held power tools are safe",
        R::Optional,
        "GB 30871-2022 6.6 b)",
    ),
    item(
        6,
        "受限空间进出口通道畅通，无阻碍人员进出的障碍物",
        "Entrances and exits are clear",
        R::Always,
        "GB 30871-2022 6.9 a)",
    ),
    item(
        7,
        "盛装过可燃有毒液体、气体的受限空间，已分析其中的可燃、有毒有害气体和氧气含量，且在安全范围内",
        "Having held flammable or toxic material: flammable, toxic and oxygen contents are analysed and within limits",
        R::Optional,
        "GB 30871-2022 6.4",
    ),
    item(
        8,
        "存在大量扬尘的设备已停止扬尘",
        "Dust-producing equipment is stopped",
        R::Optional,
        "GB 30871-2022 6.6 f)",
    ),
    item(
        9,
        "用于连续检测的移动式可燃、有毒气体、氧气检测仪已配备到位",
        "Portable flammable, toxic and oxygen detectors for continuous monitoring are in place",
        R::Always,
        "GB 30871-2022 6.5",
    ),
    item(
        10,
        "作业人员已佩戴必要的个体防护装备，清楚受限空间内存在的危险因素",
        "Workers wear the necessary PPE and know the hazards inside",
        R::Always,
        "GB 30871-2022 6.6",
    ),
    item(
        11,
        "已配备作业应急设施：消防器材（ ）、救生绳（ ）、气防装备（ ），盛有腐蚀性介质的容器作业现场已配备应急用冲洗水",
        "Emergency equipment is on site: fire equipment (__), lifelines (__), gas-protection equipment (__); emergency wash water for corrosive vessels",
        R::Always,
        "GB 30871-2022 4.5 g)",
    ),
    item(
        12,
        "受限空间内作业已配备通信设备",
        "Communication equipment is provided",
        R::Always,
        "GB 30871-2022 6.6 j)",
    ),
    item(
        13,
        "受限空间出入口四周已设立警戒区",
        "The entrance is cordoned off",
        R::Optional,
        "GB 30871-2022 4.5 f)",
    ),
    item(
        14,
        "其他相关特殊作业已办理相应安全作业票",
        "Other special work involved has its own permits",
        R::Optional,
        "GB 30871-2022 4.6",
    ),
    item(
        15,
        OTHER_ZH,
        OTHER_EN,
        R::OtherMeasures,
        "GB 30871-2022 附录A 表A.2",
    ),
];

/// 表A.3 盲板抽堵安全作业票 — 11 rows.
pub const BLINDING: &[ChecklistItem] = &[
    item(
        1,
        "在管道、设备上作业时，降低系统压力，作业点应为常压或微正压",
        "The system pressure is lowered: atmospheric or slightly positive at the work point",
        R::Always,
        "GB 30871-2022 7.5",
    ),
    item(
        2,
        "在有毒介质的管道、设备上作业时，作业人员应穿戴适合的个体防护装备",
        "On lines with toxic media workers wear suitable PPE",
        R::Optional,
        "GB 30871-2022 7.9",
    ),
    item(
        3,
        "火灾爆炸危险场所，作业人员穿防静电工作服、工作鞋；作业时使用防爆灯具和防爆工具",
        "In a fire or explosion hazardous area: antistatic clothing and shoes, explosion-proof lamps and tools",
        R::HazardousArea,
        "GB 30871-2022 7.6",
    ),
    item(
        4,
        "火灾爆炸危险场所的气体管道，距作业地点30 m内无其他动火作业",
        "Gas lines in a fire or explosion hazardous area: no hot work within 30 m",
        R::HazardousArea,
        "GB 30871-2022 7.6",
    ),
    item(
        5,
        "在强腐蚀性介质的管道、设备上作业时，作业人员已采取防止酸碱化学灼伤的措施",
        "Strongly corrosive media: protection against chemical burns",
        R::Optional,
        "GB 30871-2022 7.7",
    ),
    item(
        6,
        "介质温度较高、可能造成烫伤的情况下，作业人员已采取防烫措施",
        "Hot media: protection against scalds",
        R::Optional,
        "GB 30871-2022 7.8",
    ),
    item(
        7,
        "介质温度较低、可能造成人员冻伤情况下，作业人员已采取防冻伤措施",
        "Cold media: protection against frostbite",
        R::Optional,
        "GB 30871-2022 7.8",
    ),
    item(
        8,
        "同一管道上未同时进行两处及两处以上的盲板抽堵作业",
        "No second blinding job on the same line at the same time",
        R::Always,
        "GB 30871-2022 7.10",
    ),
    item(
        9,
        "其他相关特殊作业已办理相应安全作业票",
        "Other special work involved has its own permits",
        R::Optional,
        "GB 30871-2022 4.6",
    ),
    item(
        10,
        "作业现场四周已设警戒区",
        "The site is cordoned off",
        R::Optional,
        "GB 30871-2022 4.5 f)",
    ),
    item(
        11,
        OTHER_ZH,
        OTHER_EN,
        R::OtherMeasures,
        "GB 30871-2022 附录A 表A.3",
    ),
];

/// 表A.4 高处安全作业票 — 15 rows.
pub const HEIGHT: &[ChecklistItem] = &[
    item(
        1,
        "作业人员身体条件符合要求",
        "Workers are medically fit",
        R::Always,
        "GB 30871-2022 4.9",
    ),
    item(
        2,
        "作业人员着装符合作业要求",
        "Workers are dressed for the work",
        R::Always,
        "GB 30871-2022 4.3",
    ),
    item(
        3,
        "作业人员佩戴符合标准要求的安全帽、安全带，有可能散发有毒气体的场所携带正压式空气呼吸器或面罩备用",
        "Helmets and harnesses to standard; positive-pressure breathing apparatus or masks at hand where toxic gas may be released",
        R::Always,
        "GB 30871-2022 8.2.1",
    ),
    item(
        4,
        "作业人员携带有工具袋及安全绳",
        "Workers carry tool bags and safety ropes",
        R::Always,
        "GB 30871-2022 8.2.7",
    ),
    item(
        5,
        "现场搭设的脚手架、防护网、围栏符合安全规定",
        "Scaffolds, nets and railings comply",
        R::Optional,
        "GB 30871-2022 8.2.3",
    ),
    item(
        6,
        "垂直分层作业中间有隔离设施",
        "Protective layers separate work at different levels",
        R::Optional,
        "GB 30871-2022 8.2.8",
    ),
    item(
        7,
        "梯子、绳子符合安全规定",
        "Ladders and ropes comply",
        R::Optional,
        "GB 30871-2022 8.2.3",
    ),
    item(
        8,
        "轻型棚的承重梁、柱能承重作业过程最大负荷的要求",
        "Beams and posts of light roofs carry the maximum load",
        R::Optional,
        "GB 30871-2022 8.2.4",
    ),
    item(
        9,
        "作业人员在不承重物处作业所搭设的承重板稳定牢固",
        "Boards laid over non-load-bearing surfaces are stable",
        R::Optional,
        "GB 30871-2022 8.2.4",
    ),
    item(
        10,
        "采光、夜间作业照明符合作业要求",
        "Light, and lighting for night work, is sufficient",
        R::Night,
        "GB 30871-2022 4.13 a)",
    ),
    item(
        11,
        "30 m以上高处作业时，作业人员已配备通信、联络工具",
        "At 30 m or more, workers have communication equipment",
        R::HeightAtOrAbove30m,
        "GB 30871-2022 8.2.1",
    ),
    item(
        12,
        "作业现场四周已设警戒区",
        "The site is cordoned off",
        R::Optional,
        "GB 30871-2022 4.5 f)",
    ),
    item(
        13,
        "露天作业，风力满足作业安全要求",
        "Outdoors: the wind allows safe work",
        R::Outdoor,
        "GB 30871-2022 8.2.6",
    ),
    item(
        14,
        "其他相关特殊作业已办理相应安全作业票",
        "Other special work involved has its own permits",
        R::Optional,
        "GB 30871-2022 4.6",
    ),
    item(
        15,
        OTHER_ZH,
        OTHER_EN,
        R::OtherMeasures,
        "GB 30871-2022 附录A 表A.4",
    ),
];

/// 表A.5 吊装安全作业票 — 20 rows.
pub const LIFTING: &[ChecklistItem] = &[
    item(
        1,
        "一、二级吊装作业已编制吊装作业方案，已经审查批准；吊装物体形状复杂、刚度小、长径比大、精密贵重，作业条件特殊的三级吊装作业，已编制吊装作业方案，已经审查批准",
        "Level 1 and 2 lifts (and complex level 3 lifts) have an approved lifting plan",
        R::LiftingPlanRequired,
        "GB 30871-2022 9.2.1",
    ),
    item(
        2,
        "吊装场所如有含危险物料的设备、管道时，应制定详细吊装方案，并对设备、管道采取有效防护措施，必要时停车，放空物料，置换后再进行吊装作业",
        "Equipment or lines with hazardous material nearby: a detailed plan and protection; shut down, empty and purge if necessary",
        R::Optional,
        "GB 30871-2022 9.2.2",
    ),
    item(
        3,
        "作业人员已按规定佩戴个体防护装备",
        "Workers wear the prescribed PPE",
        R::Always,
        "GB 30871-2022 4.3",
    ),
    item(
        4,
        "已对起重吊装设备、钢丝绳、揽风绳、链条、吊钩等各种机具进行检查，安全可靠",
        "Cranes, wire ropes, guy ropes, chains and hooks are inspected and safe",
        R::Always,
        "GB 30871-2022 9.2.5",
    ),
    item(
        5,
        "已明确各自分工、坚守岗位，并统一规定联络信号",
        "Duties are assigned and the signals agreed",
        R::Always,
        "GB 30871-2022 9.2.6",
    ),
    item(
        6,
        "将建筑物、构筑物作为锚点，应经所属单位工程管理部门审查核算并批准",
        "Buildings or structures used as anchors are checked and approved by the engineering department",
        R::Optional,
        "GB 30871-2022 9.2.8",
    ),
    item(
        7,
        "吊装绳索、揽风绳、拖拉绳等不应与带电线路接触，并保持安全距离",
        "Ropes keep a safe distance from live lines",
        R::Optional,
        "GB 30871-2022 9.2.3",
    ),
    item(
        8,
        "不应利用管道、管架、电杆、机电设备等作吊装锚点",
        "No pipes, pipe racks, poles or machines are used as anchors",
        R::Always,
        "GB 30871-2022 9.2.8",
    ),
    item(
        9,
        "吊物捆扎坚固，未见绳打结、绳不齐现象，棱角吊物已采取衬垫措施",
        "The load is tied fast, ropes are not knotted or uneven, sharp edges are padded",
        R::Always,
        "GB 30871-2022 9.2.10 g)",
    ),
    item(
        10,
        "起重机安全装置灵活好用",
        "The crane's safety devices work",
        R::Always,
        "GB 30871-2022 9.2.5",
    ),
    item(
        11,
        "吊装作业人员持有有效的法定资格证书",
        "Lifting personnel hold valid statutory certificates",
        R::Always,
        "GB 30871-2022 4.9",
    ),
    item(
        12,
        "地下通信电（光）缆、局域网络电（光）缆、排水沟的盖板，承重吊装机械的负重量已确认，保护措施已落实",
        "Buried cables and drain covers under the crane are checked for its load and protected",
        R::Optional,
        "GB 30871-2022 4.5",
    ),
    item(
        13,
        "起吊物的质量（t）经确认，在吊装机械的承重范围内",
        "The load mass (t) is confirmed within the crane's capacity",
        R::Always,
        "GB 30871-2022 9.2.7",
    ),
    item(
        14,
        "在吊装高度的管线、电缆桥架已做好防护措施",
        "Lines and cable trays at lifting height are protected",
        R::Optional,
        "GB 30871-2022 9.2.2",
    ),
    item(
        15,
        "作业现场围栏、警戒线、警告牌、夜间警示灯已按要求设置",
        "Barriers, warning lines, signs and night warning lamps are set up",
        R::Always,
        "GB 30871-2022 9.2.12",
    ),
    item(
        16,
        "作业高度和转臂范围内无架空线路",
        "No overhead lines within the lifting height and slewing range",
        R::Optional,
        "GB 30871-2022 9.2.3",
    ),
    item(
        17,
        "在爆炸危险场所内的作业，机动车排气管已装阻火器",
        "In explosion hazardous areas vehicle exhausts have flame arrestors",
        R::Optional,
        "GB 30871-2022 4.5 e)",
    ),
    item(
        18,
        "露天作业，环境风力满足作业安全要求",
        "Outdoors: the wind allows safe work",
        R::Outdoor,
        "GB 30871-2022 9.2.4",
    ),
    item(
        19,
        "其他相关特殊作业已办理相应安全作业票",
        "Other special work involved has its own permits",
        R::Optional,
        "GB 30871-2022 4.6",
    ),
    item(
        20,
        OTHER_ZH,
        OTHER_EN,
        R::OtherMeasures,
        "GB 30871-2022 附录A 表A.5",
    ),
];

/// 表A.6 临时用电安全作业票 — 14 rows.
pub const TEMPORARY_POWER: &[ChecklistItem] = &[
    item(
        1,
        "作业人员持有电工作业操作证",
        "Workers hold the electrician's special-operation certificate",
        R::Always,
        "GB 30871-2022 4.9",
    ),
    item(
        2,
        "在防爆场所使用的临时电源、元器件和线路达到相应的防爆等级要求",
        "Temporary supplies, components and lines in explosion-protected areas have the required protection level",
        R::HazardousArea,
        "GB 30871-2022 10.6 a)",
    ),
    item(
        3,
        "上级开关已断电、加锁，并挂安全警示标牌",
        "The upstream switch is off, locked and tagged",
        R::Always,
        "GB 30871-2022 10.3",
    ),
    item(
        4,
        "临时用电的单相和混用线路要求按照TN-S三相五线制方式接线",
        "Single-phase and mixed circuits are wired TN-S (three-phase five-wire)",
        R::Optional,
        "GB 30871-2022 10.5",
    ),
    item(
        5,
        "临时用电线路如架高敷设，在作业现场敷设高度应不低于2.5 m，跨越道路高度应不低于5 m",
        "Overhead lines at least 2.5 m on site and 5 m across roads",
        R::Optional,
        "GB 30871-2022 10.6 d)",
    ),
    item(
        6,
        "临时用电线路如沿墙面或地面敷设，已沿建筑物墙体根部敷设，穿越道路或其他易受机械损伤的区域，已采取防机械损伤的措施；在电缆敷设路径附近，已采取防止火花损伤电缆的措施",
        "Lines along walls or floors run at the wall base, are protected where crossing roads, and are shielded from sparks",
        R::Optional,
        "GB 30871-2022 10.6 e)",
    ),
    item(
        7,
        "临时用电线路架空进线不应采用裸线",
        "No bare conductors in overhead lead-ins",
        R::Optional,
        "GB 30871-2022 10.6 d)",
    ),
    item(
        8,
        "暗埋设及地下电缆线路敷设时，已备好“走向标志”和“安全标志”等标志桩，电缆埋深要求大于0.7 m",
        "Buried cables have route and safety markers and are deeper than 0.7 m",
        R::Optional,
        "GB 30871-2022 10.6 f)",
    ),
    item(
        9,
        "现场临时用配电盘、箱配备有防雨措施，并可靠接地",
        "Distribution boards are rainproof and reliably earthed",
        R::Always,
        "GB 30871-2022 10.6 g)",
    ),
    item(
        10,
        "临时用电设施已装配漏电保护器，移动工具、手持工具已采取防漏电的安全措施（一机一闸一保护）",
        "Residual-current devices are fitted; each portable or hand tool has its own switch and RCD",
        R::Always,
        "GB 30871-2022 10.6 h)",
    ),
    item(
        11,
        "用电设备、线路容量、负荷符合要求",
        "Equipment, line capacity and load comply",
        R::Always,
        "GB 30871-2022 10.5",
    ),
    item(
        12,
        "其他相关特殊作业已办理相应安全作业票",
        "Other special work involved has its own permits",
        R::Optional,
        "GB 30871-2022 4.6",
    ),
    item(
        13,
        "作业场所已进行气体检测且符合作业安全要求",
        "The place is gas-tested and fit for work",
        R::HazardousArea,
        "GB 30871-2022 10.1",
    ),
    item(
        14,
        OTHER_ZH,
        OTHER_EN,
        R::OtherMeasures,
        "GB 30871-2022 附录A 表A.6",
    ),
];

/// 表A.7 动土安全作业票 — 11 rows.
pub const EXCAVATION: &[ChecklistItem] = &[
    item(
        1,
        "地下电力电缆、通信电（光）缆、局域网络电（光）缆已确认，保护措施已落实",
        "Buried power, communication and network cables are located and protected",
        R::Always,
        "GB 30871-2022 11.4",
    ),
    item(
        2,
        "地下供排水、消防管线、工艺管线已确认，保护措施已落实",
        "Buried water, drain, fire and process lines are located and protected",
        R::Always,
        "GB 30871-2022 11.4",
    ),
    item(
        3,
        "已按作业方案图划线和立桩",
        "The area is marked out and staked per the plan drawing",
        R::Optional,
        "GB 30871-2022 附录A 表A.7",
    ),
    item(
        4,
        "作业现场围栏、警戒线、警告牌、夜间警示灯已按要求设置",
        "Barriers, warning lines, signs and night warning lamps are set up",
        R::Always,
        "GB 30871-2022 11.2",
    ),
    item(
        5,
        "已进行放坡处理和固壁支撑",
        "Slopes are cut back and walls shored",
        R::Optional,
        "GB 30871-2022 11.5 d)",
    ),
    item(
        6,
        "道路施工作业已报：交通、消防、安全监督部门、应急中心",
        "Road works are reported to traffic, fire, safety and the emergency centre",
        R::Optional,
        "GB 30871-2022 附录A 表A.7",
    ),
    item(
        7,
        "现场夜间有充足照明：A.36 V、24 V、12 V 防水型灯；B.36 V、24 V、12 V 防爆型灯",
        "Enough light at night: 36/24/12 V waterproof or explosion-proof lamps",
        R::Night,
        "GB 30871-2022 4.13",
    ),
    item(
        8,
        "作业人员配备有必要的个人防护装备",
        "Workers have the necessary PPE",
        R::Always,
        "GB 30871-2022 4.3",
    ),
    item(
        9,
        "易燃易爆、有毒气体存在的场所动土深度超过1.2 m，已按照受限空间作业要求采取了措施",
        "Deeper than 1.2 m where flammable or toxic gas may be present: confined-space measures are taken",
        R::DeepExcavation,
        "GB 30871-2022 11.10",
    ),
    item(
        10,
        "其他相关特殊作业已办理相应安全作业票",
        "Other special work involved has its own permits",
        R::Optional,
        "GB 30871-2022 4.6",
    ),
    item(
        11,
        OTHER_ZH,
        OTHER_EN,
        R::OtherMeasures,
        "GB 30871-2022 附录A 表A.7",
    ),
];

/// 表A.8 断路安全作业票 — 4 rows.
pub const ROAD_CLOSURE: &[ChecklistItem] = &[
    item(
        1,
        "作业前，制定交通组织方案，并已通知相关部门或单位",
        "A traffic plan is made and the departments or units concerned are told",
        R::Always,
        "GB 30871-2022 12.1",
    ),
    item(
        2,
        "作业前，在断路的路口和相关道路上设置交通警示标志，在作业区域附近设置路栏、道路作业警示灯、导向标等交通警示设施",
        "Warning signs at the junctions and roads concerned; barriers, road-work lamps and direction signs near the site",
        R::Always,
        "GB 30871-2022 12.2",
    ),
    item(
        3,
        "夜间作业设置警示灯",
        "Warning lamps at night",
        R::Night,
        "GB 30871-2022 12.4",
    ),
    item(
        4,
        OTHER_ZH,
        OTHER_EN,
        R::OtherMeasures,
        "GB 30871-2022 附录A 表A.8",
    ),
];

/// The standard safety-measure list of a kind's ticket form.
pub fn checklist(kind: WorkKind) -> &'static [ChecklistItem] {
    match kind {
        WorkKind::HotWork => HOT_WORK,
        WorkKind::ConfinedSpace => CONFINED_SPACE,
        WorkKind::Blinding => BLINDING,
        WorkKind::Height => HEIGHT,
        WorkKind::Lifting => LIFTING,
        WorkKind::TemporaryPower => TEMPORARY_POWER,
        WorkKind::Excavation => EXCAVATION,
        WorkKind::RoadClosure => ROAD_CLOSURE,
    }
}

/// What decides the conditional requirements of a permit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ChecklistContext {
    /// 特级动火.
    pub special_hot_work: bool,
    /// Height in m (work at height).
    pub height_m: Option<f64>,
    /// 露天.
    pub outdoor: bool,
    /// A lifting plan is required (9.2.1).
    pub lifting_plan_required: bool,
    /// In a fire or explosion hazardous area.
    pub hazardous_area: bool,
    /// Excavation under 11.10.
    pub deep_excavation: bool,
    /// The planned window touches night.
    pub night: bool,
}

impl ChecklistItem {
    /// Whether this row must be answered "applicable" for a permit in `ctx`.
    pub fn required(&self, ctx: &ChecklistContext) -> bool {
        match self.requirement {
            R::Optional | R::OtherMeasures => false,
            R::Always => true,
            R::SpecialHotWork => ctx.special_hot_work,
            R::HeightAtOrAbove30m => ctx.height_m.is_some_and(|h| h >= 30.0),
            R::Outdoor => ctx.outdoor,
            R::LiftingPlanRequired => ctx.lifting_plan_required,
            R::HazardousArea => ctx.hazardous_area,
            R::DeepExcavation => ctx.deep_excavation,
            R::Night => ctx.night,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annex_a_row_counts_and_numbering() {
        let counts = [16, 15, 11, 15, 20, 14, 11, 4];
        for (kind, n) in WorkKind::ALL.iter().zip(counts) {
            let list = checklist(*kind);
            assert_eq!(list.len(), n, "{kind:?}");
            for (i, it) in list.iter().enumerate() {
                assert_eq!(usize::from(it.no), i + 1, "{kind:?}");
                assert!(!it.zh.is_empty() && !it.en.is_empty());
                assert!(it.clause.starts_with("GB 30871-2022 "));
            }
            assert_eq!(list.last().map(|i| i.requirement), Some(R::OtherMeasures));
        }
    }
}
