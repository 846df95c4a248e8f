//! The vocabulary of the demo tables: small `Copy` structs with `const`
//! builders, so that the tables in [`crate::layout`] read like a plant list.

use weihua_core::{Limits, UnitKind};

/// A measuring range with its alarm limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Range {
    pub lo: f64,
    pub hi: f64,
    pub limits: Limits,
}

/// `r(lo, hi)` — a range without alarms; add them with `.ll() .l() .h() .hh()`.
pub(crate) const fn r(lo: f64, hi: f64) -> Range {
    Range {
        lo,
        hi,
        limits: Limits {
            ll: None,
            l: None,
            h: None,
            hh: None,
        },
    }
}

impl Range {
    pub const fn ll(mut self, v: f64) -> Self {
        self.limits.ll = Some(v);
        self
    }
    pub const fn l(mut self, v: f64) -> Self {
        self.limits.l = Some(v);
        self
    }
    pub const fn h(mut self, v: f64) -> Self {
        self.limits.h = Some(v);
        self
    }
    pub const fn hh(mut self, v: f64) -> Self {
        self.limits.hh = Some(v);
        self
    }
}

/// What a gas detector next to the equipment looks for.
///
/// The alarm values are DEMO values chosen to look plausible (flammable gas
/// 20 / 40 %LEL, toxic gas near one and two times the occupational exposure
/// limit, oxygen 19.5 / 23.5 %VOL). They are not a GB/T 50493 design decision
/// for any real plant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Gas {
    /// 可燃气体 — the label names the medium (氢气, 汽油, …).
    Flammable(&'static str),
    /// 氯气
    Chlorine,
    /// 氨气
    Ammonia,
    /// 一氧化碳
    CarbonMonoxide,
    /// 苯 (PID detector)
    Benzene,
    /// 二氧化氮 (nitration off-gas)
    NitrogenDioxide,
    /// 二氯甲烷
    Dichloromethane,
    /// 氧含量 — enrichment near liquid oxygen, deficiency near liquid nitrogen.
    Oxygen,
}

/// Kind of equipment as the demo sees it; decides the points it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    /// 常压储罐 (fixed / floating roof)
    AtmosphericTank,
    /// 卧式压力储罐
    PressureTank,
    /// 球罐
    Sphere,
    /// 低温储罐 (liquid oxygen / nitrogen)
    CryoTank,
    /// 气柜
    GasHolder,
    /// 储气瓶组 / 长管拖车
    CylinderBank,
    /// 反应釜 / 反应器
    Reactor,
    /// 电解槽
    Electrolyser,
    /// 塔器
    Column,
    /// 分离器、冷凝器等有液位的容器
    Separator,
    /// 气体缓冲罐 (no liquid level)
    Buffer,
    /// 仓库 / 库房
    Warehouse,
    /// 管道
    Pipeline,
    /// 压缩机
    Compressor,
    /// 充装台 / 装车鹤位
    Filling,
    /// 气象站 — wind speed and direction; the live threat zone of a leak
    /// anywhere in the park reads the nearest one.
    WeatherStation,
}

/// A flow measurement (feed line, pipeline, filling rack).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Flow {
    /// Name after the equipment name, e.g. "硝酸进料流量".
    pub name: &'static str,
    pub unit: &'static str,
    /// Top of the measuring range.
    pub max: f64,
    /// Alarm on low flow (cooling water, dilution water) instead of high flow.
    pub low_alarm: bool,
}

/// A flow alarmed high (H 80 %, HH 90 % of range).
pub(crate) const fn flow(name: &'static str, unit: &'static str, max: f64) -> Flow {
    Flow {
        name,
        unit,
        max,
        low_alarm: false,
    }
}

/// A flow alarmed low (L 20 %, LL 10 % of range).
pub(crate) const fn low_flow(name: &'static str, unit: &'static str, max: f64) -> Flow {
    Flow {
        name,
        unit,
        max,
        low_alarm: true,
    }
}

/// One line of the equipment list of a unit; `count` identical items are
/// numbered 1#, 2#, ….
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Equip {
    pub name: &'static str,
    pub count: u32,
    pub service: Service,
    pub volume_m3: Option<f64>,
    pub pressure_mpa: Option<f64>,
    pub gases: &'static [Gas],
    /// Gas detectors per gas; `None` takes the default of the service.
    pub detectors: Option<u32>,
    /// Temperature range; `None` takes the default of the service.
    pub temp: Option<Range>,
    /// Level range (%); `None` takes the default of the service.
    pub level: Option<Range>,
    pub flows: &'static [Flow],
}

pub(crate) const fn equip(service: Service, name: &'static str) -> Equip {
    Equip {
        name,
        count: 1,
        service,
        volume_m3: None,
        pressure_mpa: None,
        gases: &[],
        detectors: None,
        temp: None,
        level: None,
        flows: &[],
    }
}

impl Equip {
    /// How many identical items.
    pub const fn n(mut self, count: u32) -> Self {
        self.count = count;
        self
    }
    /// Design volume, m³.
    pub const fn vol(mut self, m3: f64) -> Self {
        self.volume_m3 = Some(m3);
        self
    }
    /// Design pressure, MPa (gauge).
    pub const fn mpa(mut self, p: f64) -> Self {
        self.pressure_mpa = Some(p);
        self
    }
    pub const fn gas(mut self, gases: &'static [Gas]) -> Self {
        self.gases = gases;
        self
    }
    pub const fn det(mut self, per_gas: u32) -> Self {
        self.detectors = Some(per_gas);
        self
    }
    pub const fn temp(mut self, range: Range) -> Self {
        self.temp = Some(range);
        self
    }
    pub const fn level(mut self, range: Range) -> Self {
        self.level = Some(range);
        self
    }
    pub const fn flows(mut self, flows: &'static [Flow]) -> Self {
        self.flows = flows;
        self
    }
}

/// A chemical held in a unit: design maximum quantity and how it was worked out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stock {
    /// `name_zh` of a [`ChemicalSpec`].
    pub chemical: &'static str,
    pub tonnes: f64,
    pub note: &'static str,
}

pub(crate) const fn stock(chemical: &'static str, tonnes: f64, note: &'static str) -> Stock {
    Stock {
        chemical,
        tonnes,
        note,
    }
}

/// 生产单元 / 储存单元.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UnitSpec {
    pub name: &'static str,
    pub kind: UnitKind,
    pub equipment: &'static [Equip],
    pub stock: &'static [Stock],
}

/// A person: name, title, phone (all fictional).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Person {
    pub name: &'static str,
    pub title: &'static str,
    pub phone: &'static str,
}

pub(crate) const fn person(name: &'static str, title: &'static str, phone: &'static str) -> Person {
    Person { name, title, phone }
}

/// 重大危险源.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InstallationSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub people_within_500m: i64,
    /// 操作负责人 (the principal and technical ones are the enterprise's).
    pub operational: Person,
    pub units: &'static [UnitSpec],
}

/// 企业.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EnterpriseSpec {
    /// Short key, the prefix of the enterprise's usernames (`e1.admin`).
    pub key: &'static str,
    pub name: &'static str,
    /// County code (GB/T 2260).
    pub county: &'static str,
    /// Whether the enterprise is in the demo park.
    pub in_park: bool,
    /// Characters 9–17 of the credit code (after "91" and the county code).
    pub credit_tail: &'static str,
    pub industry: &'static str,
    pub address: &'static str,
    pub legal_representative: &'static str,
    /// 主要负责人
    pub principal: Person,
    /// 技术负责人
    pub technical: Person,
    /// Where the first installation lies; the others follow a few hundred metres apart.
    pub lat: f64,
    pub lon: f64,
    pub installations: &'static [InstallationSpec],
}

/// An entry of the chemical catalogue.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChemicalSpec {
    pub name_zh: &'static str,
    /// Only numbers whose check digit passes (tested).
    pub cas: Option<&'static str>,
    pub name_en: &'static str,
    pub aliases: &'static [&'static str],
    /// How GB 18218 counts it.
    pub gb18218: Gb18218,
}

/// 重大危险源辨识口径 — how a demo chemical enters GB 18218.
#[derive(Debug, Clone, Copy)]
pub enum Gb18218 {
    /// A Table 1 substance, found by its CAS number (β from weihua's default category).
    Table1,
    /// A Table 1 row that carries a qualifier (concentration), confirmed by number.
    Table1Row(u32),
    /// Outside Table 1: Table 2 categories of its GHS classification (demo data,
    /// the usual classification of the pure substance).
    Categories(&'static [&'static str]),
    /// Not a GB 18218 hazardous substance (corrosive only, inert).
    Excluded,
}

impl Gb18218 {
    pub fn categories(self) -> &'static [&'static str] {
        match self {
            Gb18218::Categories(c) => c,
            _ => &[],
        }
    }
}
