//! The demo park as tables. Everything here is FICTIONAL: enterprises,
//! people, phone numbers, addresses and credit codes are invented; only the
//! administrative division codes and names and the CAS numbers are real.
//!
//! Design maximum quantities are worked out from the equipment in the notes
//! (volume × density × filling ratio) so that they are physically plausible.

use crate::spec::Service::*;
use crate::spec::*;
use weihua_core::UnitKind::{Production, Storage};

/// Regions, parents first: province, city, counties (GB/T 2260, real codes).
pub(crate) const REGIONS: &[(&str, &str)] = &[
    ("320000", "江苏省"),
    ("320500", "苏州市"),
    ("320581", "常熟市"),
    ("320582", "张家港市"),
];

/// The county of the park.
pub(crate) const PARK_COUNTY: &str = "320582";
pub(crate) const PARK_NAME: &str = "江海新材料化工园区";
pub(crate) const PARK_ADDRESS: &str = "江苏省张家港市江海新材料化工园区管委会（演示数据）";

/// The chemical catalogue of the demo (each chemical once).
pub(crate) const CHEMICALS: &[ChemicalSpec] = &[
    chem("氯", Some("7782-50-5"), "Chlorine", &["液氯", "氯气"]),
    chem("氢", Some("1333-74-0"), "Hydrogen", &["氢气"]),
    chem(
        "氢氧化钠",
        Some("1310-73-2"),
        "Sodium hydroxide",
        &["烧碱", "液碱", "苛性钠"],
    ),
    chem("氨", Some("7664-41-7"), "Ammonia", &["液氨", "氨气"]),
    chem("一氧化碳", Some("630-08-0"), "Carbon monoxide", &[]),
    chem("甲醇", Some("67-56-1"), "Methanol", &["木醇"]),
    chem(
        "原油",
        Some("8002-05-9"),
        "Petroleum crude oil",
        &["石油原油"],
    ),
    chem("汽油", Some("86290-81-5"), "Gasoline", &["车用汽油"]),
    chem("柴油", Some("68334-30-5"), "Diesel fuel", &[]),
    chem("苯", Some("71-43-2"), "Benzene", &["纯苯"]),
    chem("甲苯", Some("108-88-3"), "Toluene", &[]),
    chem("二甲苯", Some("1330-20-7"), "Xylene", &["混合二甲苯"]),
    chem(
        "液化石油气",
        Some("68476-85-7"),
        "Liquefied petroleum gas",
        &["LPG", "石油气[液化的]"],
    ),
    chem("丙烷", Some("74-98-6"), "Propane", &[]),
    chem("硝酸", Some("7697-37-2"), "Nitric acid", &[]),
    chem("硫酸", Some("7664-93-9"), "Sulfuric acid", &[]),
    chem(
        "2-硝基甲苯",
        Some("88-72-2"),
        "2-Nitrotoluene",
        &["邻硝基甲苯"],
    ),
    chem("乙醇", Some("64-17-5"), "Ethanol", &["无水乙醇", "酒精"]),
    chem(
        "二氯甲烷",
        Some("75-09-2"),
        "Dichloromethane",
        &["亚甲基氯"],
    ),
    chem("丙酮", Some("67-64-1"), "Acetone", &[]),
    chem("乙酸乙酯", Some("141-78-6"), "Ethyl acetate", &["醋酸乙酯"]),
    chem("氧", Some("7782-44-7"), "Oxygen", &["液氧", "氧气"]),
    chem("氮", Some("7727-37-9"), "Nitrogen", &["液氮", "氮气"]),
    chem("乙炔", Some("74-86-2"), "Acetylene", &["电石气"]),
    chem("碳化钙", Some("75-20-7"), "Calcium carbide", &["电石"]),
];

const fn chem(
    name_zh: &'static str,
    cas: Option<&'static str>,
    name_en: &'static str,
    aliases: &'static [&'static str],
) -> ChemicalSpec {
    ChemicalSpec {
        name_zh,
        cas,
        name_en,
        aliases,
        gb18218: gb18218_of(name_zh),
    }
}

/// GB 18218 data of the demo chemicals that are not Table 1 substances.
/// Categories follow the usual GHS classification of the pure substance
/// (demo data, not a classification decision for a real product).
const fn gb18218_of(name_zh: &str) -> Gb18218 {
    const fn eq(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }
    const TABLE: &[(&str, Gb18218)] = &[
        // 易燃液体 类别2/3 → W5.3 / W5.4; 易燃气体 → W2; 氧化性气体 → W4;
        // 遇水放出易燃气体 → W11.
        ("原油", Gb18218::Categories(&["W5.3"])),
        ("柴油", Gb18218::Categories(&["W5.4"])),
        ("二甲苯", Gb18218::Categories(&["W5.4"])),
        ("乙酸乙酯", Gb18218::Categories(&["W5.3"])),
        ("丙烷", Gb18218::Categories(&["W2"])),
        ("氧", Gb18218::Categories(&["W4"])),
        ("碳化钙", Gb18218::Categories(&["W11"])),
        // 98 % nitric acid for nitration: Table 1 row 81 (含硝酸>70%).
        ("硝酸", Gb18218::Table1Row(81)),
        // Corrosive, harmful or inert only: outside GB 18218.
        ("氢氧化钠", Gb18218::Excluded),
        ("硫酸", Gb18218::Excluded),
        ("2-硝基甲苯", Gb18218::Excluded),
        ("二氯甲烷", Gb18218::Excluded),
        ("氮", Gb18218::Excluded),
    ];
    let mut i = 0;
    while i < TABLE.len() {
        if eq(TABLE[i].0, name_zh) {
            return TABLE[i].1;
        }
        i += 1;
    }
    Gb18218::Table1
}

// ---------------------------------------------------------------- presets

// Gases around equipment.
const CL2: &[Gas] = &[Gas::Chlorine];
const NH3: &[Gas] = &[Gas::Ammonia];
const H2: &[Gas] = &[Gas::Flammable("氢气")];
const CL2_H2: &[Gas] = &[Gas::Chlorine, Gas::Flammable("氢气")];
const NH3_H2: &[Gas] = &[Gas::Ammonia, Gas::Flammable("氢气")];
const SYNGAS: &[Gas] = &[Gas::CarbonMonoxide, Gas::Flammable("合成气")];
const CO_METHANOL: &[Gas] = &[Gas::CarbonMonoxide, Gas::Flammable("甲醇")];
const CRUDE: &[Gas] = &[Gas::Flammable("原油")];
const GASOLINE: &[Gas] = &[Gas::Flammable("汽油")];
const DIESEL: &[Gas] = &[Gas::Flammable("柴油")];
const OIL: &[Gas] = &[Gas::Flammable("油气")];
const BENZENE: &[Gas] = &[Gas::Flammable("苯"), Gas::Benzene];
const TOLUENE: &[Gas] = &[Gas::Flammable("甲苯")];
const LPG: &[Gas] = &[Gas::Flammable("液化石油气")];
const PROPANE: &[Gas] = &[Gas::Flammable("丙烷")];
const NO2: &[Gas] = &[Gas::NitrogenDioxide];
const TOLUENE_NO2: &[Gas] = &[Gas::Flammable("甲苯"), Gas::NitrogenDioxide];
const METHANOL: &[Gas] = &[Gas::Flammable("甲醇")];
const ALCOHOLS: &[Gas] = &[Gas::Flammable("醇类")];
const AROMATICS: &[Gas] = &[Gas::Flammable("芳烃")];
const ETHANOL: &[Gas] = &[Gas::Flammable("乙醇")];
const ACETONE: &[Gas] = &[Gas::Flammable("丙酮")];
const DCM: &[Gas] = &[Gas::Dichloromethane];
const SOLVENTS: &[Gas] = &[Gas::Flammable("溶剂"), Gas::Dichloromethane];
const SOLVENT: &[Gas] = &[Gas::Flammable("溶剂")];
const O2: &[Gas] = &[Gas::Oxygen];
const C2H2: &[Gas] = &[Gas::Flammable("乙炔")];

// Levels (%).
const LEVEL_CHLORINE: Range = r(0.0, 100.0).l(10.0).h(75.0).hh(80.0);

// Temperatures (°C).
const T_CRUDE_HEATED: Range = r(0.0, 100.0).l(30.0).h(60.0).hh(70.0);
const T_ELECTROLYSER: Range = r(0.0, 120.0).h(90.0).hh(95.0);
const T_CL2_LIQUEFIER: Range = r(-50.0, 50.0).h(10.0).hh(20.0);
const T_GASIFIER: Range = r(0.0, 1600.0).h(1450.0).hh(1500.0);
const T_SCRUBBER: Range = r(0.0, 300.0).h(250.0).hh(260.0);
const T_SHIFT: Range = r(0.0, 600.0).h(460.0).hh(480.0);
const T_RECTISOL: Range = r(-80.0, 60.0).h(-30.0).hh(-20.0);
const T_AMMONIA_CONVERTER: Range = r(0.0, 600.0).h(500.0).hh(520.0);
const T_AMMONIA_COLD: Range = r(-50.0, 60.0).h(10.0).hh(20.0);
const T_MIXED_ACID: Range = r(0.0, 100.0).h(40.0).hh(45.0);
const T_NITRATION: Range = r(0.0, 100.0).l(25.0).h(50.0).hh(55.0);
const T_MNT_STILL: Range = r(0.0, 300.0).h(170.0).hh(180.0);
const T_SOLVENT_STILL: Range = r(0.0, 150.0).h(95.0).hh(105.0);
const T_COLD_BOX: Range = r(-200.0, 50.0).h(-160.0).hh(-150.0);
const T_ACETYLENE_GENERATOR: Range = r(0.0, 120.0).h(80.0).hh(90.0);
const T_COLD_ROOM: Range = r(-40.0, 20.0).h(-12.0).hh(-8.0);
const T_ABSORBER: Range = r(0.0, 120.0).h(60.0).hh(70.0);

// ---------------------------------------------------------------- enterprises

/// The enterprises; the first eight are in the park, the last one is in
/// another county of the same city.
pub(crate) const ENTERPRISES: &[EnterpriseSpec] = &[
    // ------------------------------------------------------------ e1 氯碱
    EnterpriseSpec {
        key: "e1",
        name: "江海氯碱化工有限公司",
        county: "320582",
        in_park: true,
        credit_tail: "MA1XD0C11",
        industry: "氯碱化工（离子膜烧碱、液氯）",
        address: "江海新材料化工园区纬一路8号",
        legal_representative: "沈建国",
        principal: person("沈建国", "总经理", "139-1560-2101"),
        technical: person("顾立新", "总工程师", "138-1560-2102"),
        lat: 31.9580,
        lon: 120.5320,
        installations: &[
            InstallationSpec {
                name: "液氯储罐区",
                description: "4台60 m³卧式液氯储罐及1台事故氯储罐，配套事故氯吸收装置",
                people_within_500m: 35,
                operational: person("陆卫东", "液氯工段长", "137-1560-2103"),
                units: &[
                    UnitSpec {
                        name: "液氯储存单元",
                        kind: Storage,
                        equipment: &[
                            equip(PressureTank, "液氯储罐")
                                .n(4)
                                .vol(60.0)
                                .mpa(1.6)
                                .gas(CL2)
                                .level(LEVEL_CHLORINE),
                            equip(PressureTank, "事故氯储罐")
                                .vol(60.0)
                                .mpa(1.6)
                                .gas(CL2)
                                .level(LEVEL_CHLORINE),
                            equip(Pipeline, "液氯输送管线")
                                .mpa(1.6)
                                .gas(CL2)
                                .flows(&[flow("流量", "t/h", 10.0)]),
                            equip(WeatherStation, "罐区气象站"),
                        ],
                        stock: &[stock(
                            "氯",
                            300.0,
                            "4×60 m³卧式储罐，充装系数1.25 t/m³（事故氯储罐常空，不计）",
                        )],
                    },
                    UnitSpec {
                        name: "事故氯吸收单元",
                        kind: Production,
                        equipment: &[
                            equip(Column, "事故氯吸收塔")
                                .vol(30.0)
                                .mpa(0.1)
                                .gas(CL2)
                                .temp(T_ABSORBER),
                            equip(AtmosphericTank, "碱液循环槽").vol(50.0),
                        ],
                        stock: &[stock(
                            "氢氧化钠",
                            60.0,
                            "32%液碱约45 m³（1.35 t/m³），事故氯吸收用",
                        )],
                    },
                ],
            },
            InstallationSpec {
                name: "离子膜电解装置",
                description: "年产20万吨离子膜烧碱，含电解、氯气液化和氢气处理",
                people_within_500m: 35,
                operational: person("钱永刚", "电解车间主任", "137-1560-2104"),
                units: &[
                    UnitSpec {
                        name: "电解单元",
                        kind: Production,
                        equipment: &[
                            equip(Electrolyser, "离子膜电解槽")
                                .n(4)
                                .vol(12.0)
                                .mpa(0.05)
                                .gas(CL2_H2)
                                .temp(T_ELECTROLYSER),
                            equip(Pipeline, "氯气总管")
                                .mpa(0.05)
                                .gas(CL2)
                                .flows(&[flow("流量", "Nm3/h", 3000.0)]),
                            equip(Pipeline, "氢气总管")
                                .mpa(0.05)
                                .gas(H2)
                                .flows(&[flow("流量", "Nm3/h", 6000.0)]),
                        ],
                        stock: &[
                            stock("氯", 2.0, "电解槽及氯气总管在线量"),
                            stock("氢", 0.1, "电解槽及氢气总管在线量"),
                        ],
                    },
                    UnitSpec {
                        name: "氯气液化单元",
                        kind: Production,
                        equipment: &[
                            equip(Compressor, "氯气压缩机").n(2).mpa(1.0).gas(CL2),
                            equip(Separator, "氯气液化器")
                                .vol(10.0)
                                .mpa(1.6)
                                .gas(CL2)
                                .temp(T_CL2_LIQUEFIER),
                        ],
                        stock: &[stock("氯", 12.0, "液化器及气液分离器持液量")],
                    },
                    UnitSpec {
                        name: "氢气处理单元",
                        kind: Production,
                        equipment: &[
                            equip(Compressor, "氢气压缩机").n(2).mpa(0.6).gas(H2),
                            equip(Buffer, "氢气缓冲罐").vol(50.0).mpa(0.8).gas(H2),
                        ],
                        stock: &[stock("氢", 0.3, "50 m³缓冲罐，0.8 MPa")],
                    },
                ],
            },
            InstallationSpec {
                name: "液氯充装及钢瓶库",
                description: "液氯钢瓶充装台2个，重瓶库最大存放1吨钢瓶50只",
                people_within_500m: 42,
                operational: person("朱振宇", "充装班长", "137-1560-2105"),
                units: &[
                    UnitSpec {
                        name: "液氯充装单元",
                        kind: Production,
                        equipment: &[equip(Filling, "液氯充装台")
                            .n(2)
                            .mpa(1.6)
                            .gas(CL2)
                            .flows(&[flow("充装流量", "t/h", 5.0)])],
                        stock: &[stock("氯", 5.0, "充装管线及在充钢瓶")],
                    },
                    UnitSpec {
                        name: "液氯钢瓶库",
                        kind: Storage,
                        equipment: &[equip(Warehouse, "液氯重瓶库").vol(2400.0).gas(CL2).det(6)],
                        stock: &[stock("氯", 50.0, "1吨钢瓶，最大存放50只")],
                    },
                ],
            },
        ],
    },
    // ------------------------------------------------------------ e2 合成氨
    EnterpriseSpec {
        key: "e2",
        name: "江海氮肥化工有限公司",
        county: "320582",
        in_park: true,
        credit_tail: "MA1XD0C22",
        industry: "合成氨及氮肥（煤气化）",
        address: "江海新材料化工园区纬二路66号",
        legal_representative: "王立新",
        principal: person("王立新", "董事长", "139-1560-2201"),
        technical: person("赵明华", "技术副总经理", "138-1560-2202"),
        lat: 31.9620,
        lon: 120.5450,
        installations: &[
            InstallationSpec {
                name: "煤气化及净化装置",
                description: "水煤浆气化、CO变换和低温甲醇洗净化",
                people_within_500m: 65,
                operational: person("周文斌", "气化车间主任", "137-1560-2203"),
                units: &[
                    UnitSpec {
                        name: "煤气化单元",
                        kind: Production,
                        equipment: &[
                            equip(Reactor, "气化炉")
                                .n(2)
                                .vol(60.0)
                                .mpa(4.5)
                                .gas(SYNGAS)
                                .temp(T_GASIFIER)
                                .flows(&[
                                    flow("氧气流量", "Nm3/h", 30000.0),
                                    low_flow("煤浆流量", "m3/h", 60.0),
                                ]),
                            equip(Column, "合成气洗涤塔")
                                .vol(80.0)
                                .mpa(4.5)
                                .gas(SYNGAS)
                                .temp(T_SCRUBBER),
                        ],
                        stock: &[
                            stock("一氧化碳", 4.0, "气化炉及洗涤塔合成气在线量"),
                            stock("氢", 0.5, "合成气中的氢"),
                        ],
                    },
                    UnitSpec {
                        name: "变换及净化单元",
                        kind: Production,
                        equipment: &[
                            equip(Reactor, "变换炉")
                                .n(2)
                                .vol(50.0)
                                .mpa(4.0)
                                .gas(SYNGAS)
                                .temp(T_SHIFT)
                                .flows(&[flow("变换气流量", "Nm3/h", 100000.0)]),
                            equip(Column, "甲醇洗涤塔")
                                .vol(120.0)
                                .mpa(4.0)
                                .gas(CO_METHANOL)
                                .temp(T_RECTISOL),
                        ],
                        stock: &[
                            stock("一氧化碳", 4.0, "变换炉进口合成气在线量"),
                            stock("氢", 1.5, "变换气及净化气在线量"),
                            stock("甲醇", 60.0, "低温甲醇洗系统循环甲醇"),
                        ],
                    },
                ],
            },
            InstallationSpec {
                name: "氨合成装置",
                description: "年产30万吨合成氨，含合成回路和氨冷冻",
                people_within_500m: 65,
                operational: person("吴国平", "合成车间主任", "137-1560-2204"),
                units: &[
                    UnitSpec {
                        name: "氨合成单元",
                        kind: Production,
                        equipment: &[
                            equip(Reactor, "氨合成塔")
                                .vol(40.0)
                                .mpa(15.7)
                                .gas(NH3_H2)
                                .temp(T_AMMONIA_CONVERTER)
                                .flows(&[flow("合成气流量", "Nm3/h", 200000.0)]),
                            equip(Separator, "氨分离器")
                                .vol(20.0)
                                .mpa(15.7)
                                .gas(NH3)
                                .temp(T_AMMONIA_COLD),
                            equip(Compressor, "循环气压缩机").mpa(15.7).gas(NH3_H2),
                        ],
                        stock: &[
                            stock("氨", 15.0, "合成回路及分离器持液量"),
                            stock("氢", 1.5, "合成回路循环气"),
                        ],
                    },
                    UnitSpec {
                        name: "氨冷冻单元",
                        kind: Production,
                        equipment: &[
                            equip(Separator, "氨冷器")
                                .n(2)
                                .vol(15.0)
                                .mpa(2.5)
                                .gas(NH3)
                                .temp(T_AMMONIA_COLD),
                            equip(PressureTank, "液氨中间槽")
                                .vol(50.0)
                                .mpa(2.5)
                                .gas(NH3),
                        ],
                        stock: &[stock(
                            "氨",
                            30.0,
                            "中间槽50 m³×0.61 t/m³×85%约26 t，氨冷器约4 t",
                        )],
                    },
                ],
            },
            InstallationSpec {
                name: "液氨球罐区",
                description: "2台1000 m³液氨球罐及汽车装车鹤位",
                people_within_500m: 88,
                operational: person("孙晓东", "储运车间主任", "137-1560-2205"),
                units: &[
                    UnitSpec {
                        name: "液氨储存单元",
                        kind: Storage,
                        equipment: &[equip(Sphere, "液氨球罐")
                            .n(2)
                            .vol(1000.0)
                            .mpa(2.16)
                            .gas(NH3)],
                        stock: &[stock(
                            "氨",
                            1100.0,
                            "2×1000 m³球罐，0.61 t/m³×90%，约550 t/台",
                        )],
                    },
                    UnitSpec {
                        name: "液氨装车单元",
                        kind: Production,
                        equipment: &[equip(Filling, "液氨装车鹤位")
                            .n(2)
                            .mpa(2.5)
                            .gas(NH3)
                            .flows(&[flow("装车流量", "m3/h", 60.0)])],
                        stock: &[stock("氨", 2.0, "装车管线持液量（槽车不计）")],
                    },
                ],
            },
        ],
    },
    // ------------------------------------------------------------ e3 石化储运
    EnterpriseSpec {
        key: "e3",
        name: "江海石化储运有限公司",
        county: "320582",
        in_park: true,
        credit_tail: "MA1XD0C33",
        industry: "石油化工储运（原油、成品油、芳烃）",
        address: "江海新材料化工园区沿江路1号",
        legal_representative: "李卫东",
        principal: person("李卫东", "总经理", "139-1560-2301"),
        technical: person("陈志强", "安全总监", "138-1560-2302"),
        lat: 31.9700,
        lon: 120.5600,
        installations: &[
            InstallationSpec {
                name: "原油罐区",
                description: "4台20000 m³外浮顶原油储罐，加热保温",
                people_within_500m: 6,
                operational: person("刘海峰", "原油罐区主任", "137-1560-2303"),
                units: &[UnitSpec {
                    name: "原油储存单元",
                    kind: Storage,
                    equipment: &[
                        equip(AtmosphericTank, "原油储罐")
                            .n(4)
                            .vol(20000.0)
                            .gas(CRUDE)
                            .det(3)
                            .temp(T_CRUDE_HEATED),
                        equip(Pipeline, "原油输送管线")
                            .mpa(1.6)
                            .gas(CRUDE)
                            .flows(&[flow("流量", "m3/h", 3000.0)]),
                    ],
                    stock: &[stock(
                        "原油",
                        61920.0,
                        "4×20000 m³，0.86 t/m³×90%，约15480 t/台",
                    )],
                }],
            },
            InstallationSpec {
                name: "汽油罐区",
                description: "6台5000 m³内浮顶汽油储罐",
                people_within_500m: 12,
                operational: person("郑宏伟", "成品油罐区主任", "137-1560-2304"),
                units: &[UnitSpec {
                    name: "汽油储存单元",
                    kind: Storage,
                    equipment: &[
                        equip(AtmosphericTank, "汽油储罐")
                            .n(6)
                            .vol(5000.0)
                            .gas(GASOLINE),
                        equip(Pipeline, "汽油付油管线")
                            .mpa(1.6)
                            .gas(GASOLINE)
                            .flows(&[flow("流量", "m3/h", 600.0)]),
                    ],
                    stock: &[stock(
                        "汽油",
                        19710.0,
                        "6×5000 m³，0.73 t/m³×90%，约3285 t/台",
                    )],
                }],
            },
            InstallationSpec {
                name: "柴油罐区",
                description: "4台5000 m³拱顶柴油储罐",
                people_within_500m: 12,
                operational: person("郑宏伟", "成品油罐区主任", "137-1560-2304"),
                units: &[UnitSpec {
                    name: "柴油储存单元",
                    kind: Storage,
                    equipment: &[
                        equip(AtmosphericTank, "柴油储罐")
                            .n(4)
                            .vol(5000.0)
                            .gas(DIESEL),
                        equip(Pipeline, "柴油付油管线")
                            .mpa(1.6)
                            .gas(DIESEL)
                            .flows(&[flow("流量", "m3/h", 600.0)]),
                    ],
                    stock: &[stock(
                        "柴油",
                        15120.0,
                        "4×5000 m³，0.84 t/m³×90%，约3780 t/台",
                    )],
                }],
            },
            InstallationSpec {
                name: "芳烃罐区",
                description: "苯、甲苯内浮顶储罐各2台（2000 m³）",
                people_within_500m: 20,
                operational: person("冯建华", "芳烃罐区主任", "137-1560-2305"),
                units: &[
                    UnitSpec {
                        name: "苯储存单元",
                        kind: Storage,
                        equipment: &[
                            equip(AtmosphericTank, "苯储罐")
                                .n(2)
                                .vol(2000.0)
                                .gas(BENZENE),
                            equip(Pipeline, "苯输送管线")
                                .mpa(1.6)
                                .gas(BENZENE)
                                .flows(&[flow("流量", "m3/h", 300.0)]),
                        ],
                        stock: &[stock("苯", 3168.0, "2×2000 m³，0.88 t/m³×90%，约1584 t/台")],
                    },
                    UnitSpec {
                        name: "甲苯储存单元",
                        kind: Storage,
                        equipment: &[
                            equip(AtmosphericTank, "甲苯储罐")
                                .n(2)
                                .vol(2000.0)
                                .gas(TOLUENE),
                            equip(Pipeline, "甲苯输送管线")
                                .mpa(1.6)
                                .gas(TOLUENE)
                                .flows(&[flow("流量", "m3/h", 300.0)]),
                        ],
                        stock: &[stock(
                            "甲苯",
                            3132.0,
                            "2×2000 m³，0.87 t/m³×90%，约1566 t/台",
                        )],
                    },
                ],
            },
            InstallationSpec {
                name: "汽车装车站",
                description: "成品油汽车装车栈台，下装式鹤位6个，油气回收",
                people_within_500m: 18,
                operational: person("胡立军", "装车站站长", "137-1560-2306"),
                units: &[UnitSpec {
                    name: "装车单元",
                    kind: Production,
                    equipment: &[equip(Filling, "装车鹤位")
                        .n(6)
                        .mpa(1.0)
                        .gas(OIL)
                        .flows(&[flow("装车流量", "m3/h", 120.0)])],
                    stock: &[
                        stock("汽油", 30.0, "装车管线及集油罐"),
                        stock("柴油", 30.0, "装车管线及集油罐"),
                    ],
                }],
            },
        ],
    },
    // ------------------------------------------------------------ e4 液化气
    EnterpriseSpec {
        key: "e4",
        name: "江海液化气储配有限公司",
        county: "320582",
        in_park: true,
        credit_tail: "MA1XD0C44",
        industry: "液化石油气储存及充装",
        address: "江海新材料化工园区经三路18号",
        legal_representative: "高志远",
        principal: person("高志远", "总经理", "139-1560-2401"),
        technical: person("林海涛", "技术负责人", "138-1560-2402"),
        lat: 31.9450,
        lon: 120.5650,
        installations: &[
            InstallationSpec {
                name: "液化石油气球罐区",
                description: "3台1000 m³液化石油气球罐、2台400 m³丙烷球罐",
                people_within_500m: 120,
                operational: person("何建平", "球罐区主任", "137-1560-2403"),
                units: &[UnitSpec {
                    name: "液化烃储存单元",
                    kind: Storage,
                    equipment: &[
                        equip(Sphere, "液化石油气球罐")
                            .n(3)
                            .vol(1000.0)
                            .mpa(1.77)
                            .gas(LPG),
                        equip(Sphere, "丙烷球罐")
                            .n(2)
                            .vol(400.0)
                            .mpa(2.16)
                            .gas(PROPANE),
                        equip(Pipeline, "液化烃装卸管线")
                            .mpa(2.5)
                            .gas(LPG)
                            .flows(&[flow("流量", "m3/h", 100.0)]),
                    ],
                    stock: &[
                        stock(
                            "液化石油气",
                            1410.0,
                            "3×1000 m³，0.553 t/m³×85%，约470 t/台",
                        ),
                        stock("丙烷", 340.0, "2×400 m³，0.50 t/m³×85%，约170 t/台"),
                    ],
                }],
            },
            InstallationSpec {
                name: "液化石油气充装站",
                description: "钢瓶充装秤12台，实瓶库最大存放15 kg钢瓶2000只",
                people_within_500m: 160,
                operational: person("罗永明", "充装站站长", "137-1560-2404"),
                units: &[
                    UnitSpec {
                        name: "钢瓶充装单元",
                        kind: Production,
                        equipment: &[equip(Filling, "充装排")
                            .n(2)
                            .mpa(2.5)
                            .gas(LPG)
                            .flows(&[flow("充装流量", "kg/h", 3000.0)])],
                        stock: &[stock("液化石油气", 5.0, "充装管线及在充钢瓶")],
                    },
                    UnitSpec {
                        name: "实瓶库",
                        kind: Storage,
                        equipment: &[equip(Warehouse, "液化石油气实瓶库")
                            .vol(1800.0)
                            .gas(LPG)
                            .det(6)],
                        stock: &[stock("液化石油气", 30.0, "15 kg钢瓶，最大2000只")],
                    },
                ],
            },
        ],
    },
    // ------------------------------------------------------------ e5 硝化
    EnterpriseSpec {
        key: "e5",
        name: "江海精细化工有限公司",
        county: "320582",
        in_park: true,
        credit_tail: "MA1XD0C55",
        industry: "精细化工（硝化工艺，硝基甲苯）",
        address: "江海新材料化工园区经五路9号",
        legal_representative: "梁国庆",
        principal: person("梁国庆", "总经理", "139-1560-2501"),
        technical: person("宋晓峰", "技术副总经理", "138-1560-2502"),
        lat: 31.9500,
        lon: 120.5400,
        installations: &[
            InstallationSpec {
                name: "硝化车间",
                description: "甲苯混酸硝化制硝基甲苯（重点监管危险化工工艺：硝化工艺），含混酸配制、硝化、分离和精馏",
                people_within_500m: 80,
                operational: person("唐文杰", "硝化车间主任", "137-1560-2503"),
                units: &[
                    UnitSpec {
                        name: "混酸配制单元",
                        kind: Production,
                        equipment: &[equip(Reactor, "混酸配制釜")
                            .vol(10.0)
                            .mpa(0.3)
                            .gas(NO2)
                            .temp(T_MIXED_ACID)
                            .flows(&[
                                flow("硝酸进料流量", "m3/h", 5.0),
                                flow("硫酸进料流量", "m3/h", 8.0),
                                low_flow("冷却水流量", "m3/h", 40.0),
                            ])],
                        stock: &[
                            stock("硝酸", 12.0, "配制釜及硝酸高位槽"),
                            stock("硫酸", 20.0, "配制釜及硫酸高位槽"),
                        ],
                    },
                    UnitSpec {
                        name: "硝化单元",
                        kind: Production,
                        equipment: &[
                            equip(Reactor, "硝化釜")
                                .n(3)
                                .vol(5.0)
                                .mpa(0.3)
                                .gas(TOLUENE_NO2)
                                .temp(T_NITRATION)
                                .flows(&[
                                    flow("混酸进料流量", "m3/h", 3.0),
                                    flow("甲苯进料流量", "m3/h", 2.0),
                                    low_flow("冷冻盐水流量", "m3/h", 40.0),
                                ]),
                            equip(Separator, "硝化分离器")
                                .vol(5.0)
                                .mpa(0.3)
                                .gas(TOLUENE),
                        ],
                        stock: &[
                            stock("甲苯", 6.0, "3×5 m³硝化釜及甲苯计量槽"),
                            stock("硝酸", 4.0, "混酸中硝酸"),
                            stock("硫酸", 10.0, "混酸中硫酸"),
                            stock("2-硝基甲苯", 8.0, "硝化液及分离器"),
                        ],
                    },
                    UnitSpec {
                        name: "精馏单元",
                        kind: Production,
                        equipment: &[equip(Column, "硝基甲苯精馏塔")
                            .vol(30.0)
                            .mpa(0.1)
                            .gas(TOLUENE)
                            .temp(T_MNT_STILL)],
                        stock: &[stock("2-硝基甲苯", 15.0, "精馏塔及塔釜")],
                    },
                ],
            },
            InstallationSpec {
                name: "原料罐区",
                description: "硝酸、硫酸、甲苯储罐各2台",
                people_within_500m: 80,
                operational: person("许俊", "罐区班长", "137-1560-2504"),
                units: &[
                    UnitSpec {
                        name: "酸储存单元",
                        kind: Storage,
                        equipment: &[
                            equip(AtmosphericTank, "硝酸储罐").n(2).vol(100.0).gas(NO2),
                            equip(AtmosphericTank, "硫酸储罐").n(2).vol(100.0),
                        ],
                        stock: &[
                            stock("硝酸", 255.0, "2×100 m³，1.50 t/m³×85%"),
                            stock("硫酸", 311.0, "2×100 m³，1.83 t/m³×85%"),
                        ],
                    },
                    UnitSpec {
                        name: "甲苯储存单元",
                        kind: Storage,
                        equipment: &[equip(AtmosphericTank, "甲苯储罐")
                            .n(2)
                            .vol(200.0)
                            .gas(TOLUENE)],
                        stock: &[stock("甲苯", 296.0, "2×200 m³，0.87 t/m³×85%")],
                    },
                ],
            },
        ],
    },
    // ------------------------------------------------------------ e6 医药中间体
    EnterpriseSpec {
        key: "e6",
        name: "江海医药中间体有限公司",
        county: "320582",
        in_park: true,
        credit_tail: "MA1XD0C66",
        industry: "医药中间体（溶剂型有机合成）",
        address: "江海新材料化工园区经五路31号",
        legal_representative: "韩雪梅",
        principal: person("韩雪梅", "总经理", "139-1560-2601"),
        technical: person("邓丽娟", "生产技术部经理", "138-1560-2602"),
        lat: 31.9420,
        lon: 120.5500,
        installations: &[
            InstallationSpec {
                name: "溶剂罐区",
                description: "甲醇、乙醇、丙酮、二氯甲烷储罐",
                people_within_500m: 45,
                operational: person("曹振东", "储运主管", "137-1560-2603"),
                units: &[UnitSpec {
                    name: "溶剂储存单元",
                    kind: Storage,
                    equipment: &[
                        equip(AtmosphericTank, "甲醇储罐")
                            .n(2)
                            .vol(100.0)
                            .gas(METHANOL),
                        equip(AtmosphericTank, "乙醇储罐").vol(100.0).gas(ETHANOL),
                        equip(AtmosphericTank, "丙酮储罐").vol(100.0).gas(ACETONE),
                        equip(AtmosphericTank, "二氯甲烷储罐").vol(50.0).gas(DCM),
                        equip(Pipeline, "溶剂输送管线")
                            .mpa(1.0)
                            .gas(SOLVENT)
                            .flows(&[flow("流量", "m3/h", 30.0)]),
                    ],
                    stock: &[
                        stock("甲醇", 134.0, "2×100 m³，0.79 t/m³×85%"),
                        stock("乙醇", 67.0, "100 m³，0.79 t/m³×85%"),
                        stock("丙酮", 67.0, "100 m³，0.79 t/m³×85%"),
                        stock("二氯甲烷", 56.0, "50 m³，1.33 t/m³×85%"),
                    ],
                }],
            },
            InstallationSpec {
                name: "合成车间",
                description: "搪玻璃反应釜6台及溶剂回收精馏",
                people_within_500m: 45,
                operational: person("彭志勇", "合成车间主任", "137-1560-2604"),
                units: &[
                    UnitSpec {
                        name: "合成单元",
                        kind: Production,
                        equipment: &[equip(Reactor, "搪玻璃反应釜")
                            .n(6)
                            .vol(5.0)
                            .mpa(0.3)
                            .gas(SOLVENTS)
                            .flows(&[
                                flow("溶剂进料流量", "m3/h", 10.0),
                                low_flow("冷却水流量", "m3/h", 30.0),
                            ])],
                        stock: &[
                            stock("甲醇", 8.0, "反应釜及计量槽"),
                            stock("丙酮", 5.0, "反应釜及计量槽"),
                            stock("二氯甲烷", 6.0, "反应釜及计量槽"),
                        ],
                    },
                    UnitSpec {
                        name: "溶剂回收单元",
                        kind: Production,
                        equipment: &[
                            equip(Column, "溶剂回收精馏塔")
                                .vol(20.0)
                                .mpa(0.2)
                                .gas(SOLVENT)
                                .temp(T_SOLVENT_STILL),
                            equip(AtmosphericTank, "回收溶剂接收罐")
                                .n(2)
                                .vol(20.0)
                                .gas(SOLVENT),
                        ],
                        stock: &[
                            stock("甲醇", 25.0, "2×20 m³接收罐及塔釜"),
                            stock("丙酮", 10.0, "塔顶回流罐"),
                        ],
                    },
                ],
            },
        ],
    },
    // ------------------------------------------------------------ e7 仓储物流
    EnterpriseSpec {
        key: "e7",
        name: "江海危化品仓储物流有限公司",
        county: "320582",
        in_park: true,
        credit_tail: "MA1XD0C77",
        industry: "危险化学品仓储及物流",
        address: "江海新材料化工园区物流大道99号",
        legal_representative: "曾宪平",
        principal: person("曾宪平", "总经理", "139-1560-2701"),
        technical: person("谢红梅", "仓储技术主管", "138-1560-2702"),
        lat: 31.9380,
        lon: 120.5600,
        installations: &[
            InstallationSpec {
                name: "甲类仓库区",
                description: "甲类仓库4座，桶装易燃液体",
                people_within_500m: 28,
                operational: person("蒋卫国", "仓储部经理", "137-1560-2703"),
                units: &[
                    UnitSpec {
                        name: "1#甲类仓库",
                        kind: Storage,
                        equipment: &[equip(Warehouse, "1#甲类仓库")
                            .vol(7200.0)
                            .gas(ALCOHOLS)
                            .det(6)],
                        stock: &[
                            stock("甲醇", 180.0, "200 L铁桶"),
                            stock("乙醇", 150.0, "200 L铁桶"),
                        ],
                    },
                    UnitSpec {
                        name: "2#甲类仓库",
                        kind: Storage,
                        equipment: &[equip(Warehouse, "2#甲类仓库")
                            .vol(7200.0)
                            .gas(SOLVENT)
                            .det(6)],
                        stock: &[
                            stock("丙酮", 120.0, "200 L铁桶"),
                            stock("乙酸乙酯", 150.0, "200 L铁桶"),
                        ],
                    },
                    UnitSpec {
                        name: "3#甲类仓库",
                        kind: Storage,
                        equipment: &[equip(Warehouse, "3#甲类仓库")
                            .vol(7200.0)
                            .gas(AROMATICS)
                            .det(6)],
                        stock: &[
                            stock("甲苯", 140.0, "200 L铁桶"),
                            stock("二甲苯", 160.0, "200 L铁桶"),
                        ],
                    },
                    UnitSpec {
                        name: "4#甲类仓库",
                        kind: Storage,
                        equipment: &[equip(Warehouse, "4#甲类仓库")
                            .vol(7200.0)
                            .gas(BENZENE)
                            .det(6)],
                        stock: &[stock("苯", 80.0, "200 L铁桶")],
                    },
                ],
            },
            InstallationSpec {
                name: "乙丙类仓库区",
                description: "氧化性液体及卤代烃仓库",
                people_within_500m: 28,
                operational: person("沈建新", "仓库主管", "137-1560-2704"),
                units: &[
                    UnitSpec {
                        name: "5#乙类仓库",
                        kind: Storage,
                        equipment: &[equip(Warehouse, "5#乙类仓库").vol(4800.0).gas(NO2).det(4)],
                        stock: &[stock("硝酸", 100.0, "塑料桶装")],
                    },
                    UnitSpec {
                        name: "6#丙类仓库",
                        kind: Storage,
                        equipment: &[equip(Warehouse, "6#丙类仓库").vol(4800.0).gas(DCM).det(4)],
                        stock: &[stock("二氯甲烷", 200.0, "200 L铁桶")],
                    },
                ],
            },
        ],
    },
    // ------------------------------------------------------------ e8 工业气体
    EnterpriseSpec {
        key: "e8",
        name: "江海工业气体有限公司",
        county: "320582",
        in_park: true,
        credit_tail: "MA1XD0C88",
        industry: "工业气体（空分、乙炔、氢气充装）",
        address: "江海新材料化工园区纬三路20号",
        legal_representative: "徐建平",
        principal: person("徐建平", "总经理", "139-1560-2801"),
        technical: person("陆海明", "技术负责人", "138-1560-2802"),
        lat: 31.9550,
        lon: 120.5550,
        installations: &[
            InstallationSpec {
                name: "空分装置及低温储罐区",
                description: "空分冷箱、液氧储罐2台、液氮储罐1台",
                people_within_500m: 58,
                operational: person("顾建明", "空分车间主任", "137-1560-2803"),
                units: &[
                    UnitSpec {
                        name: "空分单元",
                        kind: Production,
                        equipment: &[
                            equip(Compressor, "空压机").mpa(0.8),
                            equip(Column, "空分冷箱精馏塔")
                                .vol(200.0)
                                .mpa(0.6)
                                .gas(O2)
                                .det(3)
                                .temp(T_COLD_BOX),
                        ],
                        stock: &[stock("氧", 10.0, "冷箱内液氧")],
                    },
                    UnitSpec {
                        name: "低温液体储存单元",
                        kind: Storage,
                        equipment: &[
                            equip(CryoTank, "液氧储罐").n(2).vol(150.0).mpa(0.8).gas(O2),
                            equip(CryoTank, "液氮储罐").vol(150.0).mpa(0.8).gas(O2),
                        ],
                        stock: &[
                            stock("氧", 324.0, "2×150 m³，1.14 t/m³×95%"),
                            stock("氮", 115.0, "150 m³，0.807 t/m³×95%"),
                        ],
                    },
                ],
            },
            InstallationSpec {
                name: "乙炔及氢气充装站",
                description: "电石法乙炔发生、压缩充装，氢气瓶组充装",
                people_within_500m: 58,
                operational: person("钱晓峰", "充装站站长", "137-1560-2804"),
                units: &[
                    UnitSpec {
                        name: "乙炔发生单元",
                        kind: Production,
                        equipment: &[
                            equip(Reactor, "乙炔发生器")
                                .n(2)
                                .vol(8.0)
                                .mpa(0.05)
                                .gas(C2H2)
                                .temp(T_ACETYLENE_GENERATOR)
                                .flows(&[low_flow("加水流量", "m3/h", 10.0)]),
                            equip(GasHolder, "乙炔气柜").vol(300.0).mpa(0.005).gas(C2H2),
                            equip(Warehouse, "电石库").vol(1200.0).gas(C2H2).det(4),
                        ],
                        stock: &[
                            stock("乙炔", 0.4, "300 m³气柜，约1.1 kg/m³"),
                            stock("碳化钙", 200.0, "100 kg铁桶装电石"),
                        ],
                    },
                    UnitSpec {
                        name: "乙炔充装单元",
                        kind: Production,
                        equipment: &[
                            equip(Compressor, "乙炔压缩机").n(2).mpa(2.5).gas(C2H2),
                            equip(Filling, "乙炔充装排")
                                .n(2)
                                .mpa(2.5)
                                .gas(C2H2)
                                .flows(&[flow("充装流量", "Nm3/h", 100.0)]),
                            equip(Warehouse, "乙炔实瓶库").vol(900.0).gas(C2H2).det(4),
                        ],
                        stock: &[stock("乙炔", 3.0, "40 L钢瓶，约6 kg/瓶，最大500瓶")],
                    },
                    UnitSpec {
                        name: "氢气充装单元",
                        kind: Production,
                        equipment: &[
                            equip(CylinderBank, "储氢瓶组")
                                .n(4)
                                .vol(20.0)
                                .mpa(22.0)
                                .gas(H2),
                            equip(Filling, "氢气充装排").mpa(22.0).gas(H2).flows(&[flow(
                                "充装流量",
                                "Nm3/h",
                                1000.0,
                            )]),
                        ],
                        stock: &[stock("氢", 1.2, "4组×20 m³，20 MPa下约14.5 kg/m³")],
                    },
                ],
            },
        ],
    },
    // ------------------------------------------------------------ e9 涉氨制冷 (园区外)
    EnterpriseSpec {
        key: "e9",
        name: "常熟虞丰冷链食品有限公司",
        county: "320581",
        in_park: false,
        credit_tail: "MA1XD0C99",
        industry: "食品冷链（涉氨制冷）",
        address: "江苏省常熟市虞丰路128号",
        legal_representative: "陈国华",
        principal: person("陈国华", "总经理", "139-1561-2901"),
        technical: person("杨帆", "设备部经理", "138-1561-2902"),
        lat: 31.7600,
        lon: 120.8200,
        installations: &[InstallationSpec {
            name: "液氨制冷系统",
            description: "螺杆式氨压缩机3台，高压贮氨器2台，速冻及冷藏间2间",
            people_within_500m: 260,
            operational: person("王海军", "制冷班长", "137-1561-2903"),
            units: &[
                UnitSpec {
                    name: "制冷机房",
                    kind: Production,
                    equipment: &[
                        equip(Compressor, "氨压缩机").n(3).mpa(2.0).gas(NH3),
                        equip(PressureTank, "高压贮氨器")
                            .n(2)
                            .vol(10.0)
                            .mpa(2.0)
                            .gas(NH3),
                        equip(Separator, "低压循环桶")
                            .n(2)
                            .vol(5.0)
                            .mpa(1.6)
                            .gas(NH3)
                            .temp(T_AMMONIA_COLD),
                    ],
                    stock: &[stock(
                        "氨",
                        15.0,
                        "贮氨器2×10 m³×0.61 t/m³×70%约8.5 t，系统其余约6.5 t",
                    )],
                },
                UnitSpec {
                    name: "速冻及冷藏间",
                    kind: Production,
                    equipment: &[equip(Warehouse, "冷藏间")
                        .n(2)
                        .vol(6000.0)
                        .gas(NH3)
                        .det(4)
                        .temp(T_COLD_ROOM)],
                    stock: &[stock("氨", 2.0, "蒸发排管持液量")],
                },
            ],
        }],
    },
];
