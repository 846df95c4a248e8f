//! From the tables to concrete equipment and monitoring points: codes, tags,
//! names, ranges and alarm limits. Pure and deterministic, so the same park
//! comes out on every run and the tests can check it without a store.
//!
//! Numbering follows the usual plant convention: equipment `n` of unit `u` of
//! installation `i` has loop number `i u nn` (`TK-1101`), and its instruments
//! carry the same number (`LT-1101A`, `TT-1101`). Gas detectors are numbered
//! per unit in their own sequence (`GT-1101`, `AT-1101`).

use crate::spec::*;
use weihua_core::{EquipmentKind, Indicator};

/// A monitoring point to create.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlannedPoint {
    pub tag: String,
    pub name: String,
    pub indicator: Indicator,
    pub unit: &'static str,
    pub range: Range,
}

/// A piece of equipment to create, with its points.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlannedEquipment {
    pub code: String,
    pub name: String,
    pub kind: EquipmentKind,
    pub volume_m3: Option<f64>,
    pub pressure_mpa: Option<f64>,
    pub points: Vec<PlannedPoint>,
}

// Default ranges of the services (°C and %).
const T_STORAGE: Range = r(-20.0, 60.0).h(40.0).hh(45.0);
const T_WAREHOUSE: Range = r(-20.0, 60.0).h(30.0).hh(35.0);
const T_REACTOR: Range = r(0.0, 150.0).h(80.0).hh(90.0);
const T_COLUMN: Range = r(0.0, 200.0).h(120.0).hh(130.0);
const T_DISCHARGE: Range = r(0.0, 200.0).h(110.0).hh(130.0);
const L_ATMOSPHERIC: Range = r(0.0, 100.0).ll(10.0).l(20.0).h(80.0).hh(90.0);
const L_PRESSURISED: Range = r(0.0, 100.0).ll(10.0).l(15.0).h(80.0).hh(85.0);
const L_CRYO: Range = r(0.0, 100.0).l(10.0).h(90.0).hh(95.0);
const L_HOLDER: Range = r(0.0, 100.0).ll(10.0).l(20.0).h(85.0).hh(92.0);
const L_REACTOR: Range = r(0.0, 100.0).h(75.0).hh(85.0);
const L_COLUMN: Range = r(0.0, 100.0).ll(20.0).l(30.0).h(70.0).hh(80.0);
const L_SEPARATOR: Range = r(0.0, 100.0).ll(15.0).l(25.0).h(75.0).hh(85.0);

impl Service {
    fn kind(self) -> EquipmentKind {
        use Service::*;
        match self {
            AtmosphericTank | PressureTank | CryoTank => EquipmentKind::Tank,
            Sphere | GasHolder | CylinderBank | Separator | Buffer => EquipmentKind::Vessel,
            Reactor | Electrolyser => EquipmentKind::Reactor,
            Column => EquipmentKind::Column,
            Warehouse => EquipmentKind::Warehouse,
            Pipeline => EquipmentKind::Pipeline,
            Compressor | Filling | WeatherStation => EquipmentKind::Other,
        }
    }

    fn code_prefix(self) -> &'static str {
        use Service::*;
        match self {
            AtmosphericTank | PressureTank | CryoTank | Sphere => "TK",
            GasHolder | CylinderBank | Separator | Buffer => "V",
            Reactor => "R",
            Electrolyser => "EL",
            Column => "C",
            Warehouse => "WH",
            Pipeline => "PL",
            Compressor => "K",
            Filling => "LA",
            WeatherStation => "WS",
        }
    }

    fn default_detectors(self) -> u32 {
        use Service::*;
        match self {
            Sphere => 3,
            Warehouse => 4,
            Separator | Buffer | Pipeline => 1,
            WeatherStation => 0,
            _ => 2,
        }
    }

    /// Where the detectors stand, for their names.
    fn detector_positions(self) -> &'static [&'static str] {
        use Service::*;
        match self {
            AtmosphericTank => &["罐根阀组", "防火堤内", "泵区"],
            PressureTank => &["罐底阀组", "进出料法兰"],
            Sphere => &["罐底阀组", "进出料法兰", "排污口"],
            CryoTank => &["罐底阀组", "汽化器"],
            GasHolder => &["柜顶", "进出口水封"],
            CylinderBank => &["瓶组阀门", "卸气口"],
            Reactor => &["顶部", "进料阀组"],
            Electrolyser => &["槽头", "槽尾"],
            Column => &["塔底泵", "回流罐", "塔顶平台"],
            Separator | Buffer | Pipeline => &["阀组"],
            Warehouse => &["东侧", "西侧", "南侧", "北侧", "中部", "门口"],
            Compressor => &["进口", "出口"],
            Filling => &["东侧", "西侧"],
            WeatherStation => &[],
        }
    }
}

impl Gas {
    /// Indicator, unit, range with alarms, tag letters. DEMO values: see [`Gas`].
    fn detector(self) -> (Indicator, &'static str, Range, &'static str) {
        match self {
            // GB/T 50493-2019: first alarm ≤ 25 %LEL, second ≤ 50 %LEL.
            Gas::Flammable(_) => (
                Indicator::FlammableGas,
                "%LEL",
                r(0.0, 100.0).h(20.0).hh(40.0),
                "GT",
            ),
            Gas::Chlorine => (
                Indicator::ToxicGas,
                "ppm",
                r(0.0, 10.0).h(1.0).hh(2.0),
                "AT",
            ),
            Gas::Ammonia => (
                Indicator::ToxicGas,
                "ppm",
                r(0.0, 100.0).h(25.0).hh(50.0),
                "AT",
            ),
            Gas::CarbonMonoxide => (
                Indicator::ToxicGas,
                "ppm",
                r(0.0, 500.0).h(25.0).hh(50.0),
                "AT",
            ),
            Gas::Benzene => (
                Indicator::ToxicGas,
                "ppm",
                r(0.0, 50.0).h(2.0).hh(4.0),
                "AT",
            ),
            Gas::NitrogenDioxide => (
                Indicator::ToxicGas,
                "ppm",
                r(0.0, 20.0).h(2.5).hh(5.0),
                "AT",
            ),
            Gas::Dichloromethane => (
                Indicator::ToxicGas,
                "ppm",
                r(0.0, 500.0).h(50.0).hh(100.0),
                "AT",
            ),
            Gas::Oxygen => (
                Indicator::Oxygen,
                "%VOL",
                r(0.0, 25.0).l(19.5).h(23.5),
                "AT",
            ),
        }
    }

    fn reading(self) -> String {
        match self {
            Gas::Flammable(medium) => format!("可燃气体浓度（{medium}）"),
            Gas::Chlorine => "氯气浓度".into(),
            Gas::Ammonia => "氨气浓度".into(),
            Gas::CarbonMonoxide => "一氧化碳浓度".into(),
            Gas::Benzene => "苯浓度".into(),
            Gas::NitrogenDioxide => "二氧化氮浓度".into(),
            Gas::Dichloromethane => "二氯甲烷浓度".into(),
            Gas::Oxygen => "氧含量".into(),
        }
    }
}

/// Round to `digits` decimals (keeps derived limits readable: 1.73, not 1.728).
fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// The smallest value of the 1 – 1.6 – 2.5 – 4 – 6 series (× 10ⁿ) at or above `x`:
/// the top of a standard gauge range.
fn gauge_top(x: f64) -> f64 {
    let mut decade = 10f64.powi(x.log10().floor() as i32);
    loop {
        for m in [1.0, 1.6, 2.5, 4.0, 6.0] {
            let v = round(m * decade, 6);
            if v >= x {
                return v;
            }
        }
        decade *= 10.0;
    }
}

/// Pressure range from the design pressure: a gauge of at least 1.5 × design,
/// H at 80 % and HH at 90 % of design (always below it). Below 0.1 MPa the
/// point is in kPa.
fn pressure_range(design_mpa: f64) -> (&'static str, Range) {
    let (unit, p) = if design_mpa < 0.1 {
        ("kPa", design_mpa * 1000.0)
    } else {
        ("MPa", design_mpa)
    };
    let range = r(0.0, gauge_top(1.5 * p))
        .h(round(0.8 * p, 3))
        .hh(round(0.9 * p, 3));
    (unit, range)
}

fn flow_range(f: &Flow) -> Range {
    if f.low_alarm {
        r(0.0, f.max)
            .ll(round(0.1 * f.max, 3))
            .l(round(0.2 * f.max, 3))
    } else {
        r(0.0, f.max)
            .h(round(0.8 * f.max, 3))
            .hh(round(0.9 * f.max, 3))
    }
}

/// Detector numbering within one unit.
#[derive(Debug)]
pub(crate) struct DetectorSeq {
    prefix: String,
    gt: u32,
    at: u32,
}

impl DetectorSeq {
    pub fn new(installation_no: u32, unit_no: u32) -> Self {
        Self {
            prefix: format!("{installation_no}{unit_no}"),
            gt: 0,
            at: 0,
        }
    }
    fn next(&mut self, letters: &str) -> String {
        let n = if letters == "GT" {
            &mut self.gt
        } else {
            &mut self.at
        };
        *n += 1;
        format!("{letters}-{}{:02}", self.prefix, n)
    }
}

/// The equipment of one unit with its points. `installation_no` and
/// `unit_no` are 1-based and must be single digits; each unit holds at most
/// 99 items and 99 detectors of each kind, so that tags stay unique.
pub(crate) fn plan_unit(
    installation_no: u32,
    unit_no: u32,
    unit: &UnitSpec,
) -> Result<Vec<PlannedEquipment>, String> {
    if !(1..=9).contains(&installation_no) || !(1..=9).contains(&unit_no) {
        return Err(format!(
            "unit {}: installation and unit numbers must be 1 to 9",
            unit.name
        ));
    }
    let mut seq = DetectorSeq::new(installation_no, unit_no);
    let mut out = Vec::new();
    let mut n = 0;
    for spec in unit.equipment {
        for k in 1..=spec.count {
            n += 1;
            let number = installation_no * 1000 + unit_no * 100 + n;
            let name = if spec.count > 1 {
                format!("{k}#{}", spec.name)
            } else {
                spec.name.to_string()
            };
            out.push(PlannedEquipment {
                code: format!("{}-{number}", spec.service.code_prefix()),
                kind: spec.service.kind(),
                volume_m3: spec.volume_m3,
                pressure_mpa: spec.pressure_mpa,
                points: equipment_points(spec, &name, number, &mut seq),
                name,
            });
        }
    }
    if n > 99 || seq.gt > 99 || seq.at > 99 {
        return Err(format!(
            "unit {}: more than 99 items or detectors",
            unit.name
        ));
    }
    Ok(out)
}

/// The instruments of one item: process measurements first, then gas detectors.
fn equipment_points(
    spec: &Equip,
    name: &str,
    number: u32,
    seq: &mut DetectorSeq,
) -> Vec<PlannedPoint> {
    use Service::*;
    // (letters, what, indicator, unit, range)
    let mut local: Vec<(&str, String, Indicator, &'static str, Range)> = Vec::new();
    let level = |what: &str, default: Range| {
        (
            "LT",
            what.to_string(),
            Indicator::Level,
            "%",
            spec.level.unwrap_or(default),
        )
    };
    let temp = |what: &str, default: Range| {
        (
            "TT",
            what.to_string(),
            Indicator::Temperature,
            "°C",
            spec.temp.unwrap_or(default),
        )
    };
    let pressure = |what: &str| {
        spec.pressure_mpa.map(|p| {
            let (unit, range) = pressure_range(p);
            ("PT", what.to_string(), Indicator::Pressure, unit, range)
        })
    };
    match spec.service {
        AtmosphericTank => {
            local.push(level("液位（雷达）", L_ATMOSPHERIC));
            local.push(level("液位（伺服）", L_ATMOSPHERIC));
            local.push(temp("温度", T_STORAGE));
            local.extend(pressure("压力"));
        }
        PressureTank | Sphere => {
            local.push(level("液位（雷达）", L_PRESSURISED));
            local.push(level("液位（差压）", L_PRESSURISED));
            local.extend(pressure("压力"));
            local.push(temp("温度", T_STORAGE));
        }
        CryoTank => {
            local.push(level("液位（差压）", L_CRYO));
            local.extend(pressure("压力"));
        }
        GasHolder => {
            local.push(level("柜位", L_HOLDER));
            local.extend(pressure("压力"));
        }
        CylinderBank | Buffer => {
            local.extend(pressure("压力"));
            local.push(temp("温度", T_STORAGE));
        }
        Reactor => {
            local.push(temp("温度1", T_REACTOR));
            local.push(temp("温度2", T_REACTOR));
            local.extend(pressure("压力"));
            // Liquid-phase reactors (not the hot gas-phase ones) have a level.
            if spec.temp.unwrap_or(T_REACTOR).hi <= 300.0 {
                local.push(level("液位", L_REACTOR));
            }
        }
        Electrolyser => {
            local.push(temp("槽温", T_REACTOR));
            local.extend(pressure("氯气压力"));
        }
        Column => {
            local.push(temp("塔顶温度", T_COLUMN));
            local.push(temp("塔釜温度", T_COLUMN));
            local.extend(pressure("塔顶压力"));
            local.push(level("塔釜液位", L_COLUMN));
        }
        Separator => {
            local.push(level("液位", L_SEPARATOR));
            local.extend(pressure("压力"));
            local.push(temp("温度", T_STORAGE));
        }
        Warehouse => {
            local.push(temp("库房温度", T_WAREHOUSE));
        }
        Pipeline => {
            local.extend(pressure("压力"));
            local.push(temp("温度", T_STORAGE));
        }
        Compressor => {
            local.extend(pressure("出口压力"));
            local.push(temp("出口温度", T_DISCHARGE));
        }
        Filling => {
            local.extend(pressure("压力"));
        }
        WeatherStation => {
            // No alarm limits: weather is read, not alarmed.
            local.push((
                "SI",
                "风速".to_string(),
                Indicator::WindSpeed,
                "m/s",
                r(0.0, 30.0),
            ));
            local.push((
                "ZI",
                "风向".to_string(),
                Indicator::WindDirection,
                "°",
                r(0.0, 360.0),
            ));
        }
    }
    for f in spec.flows {
        local.push((
            "FT",
            f.name.to_string(),
            Indicator::Flow,
            f.unit,
            flow_range(f),
        ));
    }

    let mut points = Vec::new();
    for (i, (letters, what, indicator, unit, range)) in local.iter().enumerate() {
        let same: Vec<usize> = (0..local.len())
            .filter(|j| local[*j].0 == *letters)
            .collect();
        let suffix = if same.len() > 1 {
            let pos = same.iter().position(|j| *j == i).unwrap_or(0);
            char::from(b'A' + pos as u8).to_string()
        } else {
            String::new()
        };
        points.push(PlannedPoint {
            tag: format!("{letters}-{number}{suffix}"),
            name: format!("{name}{what}"),
            indicator: *indicator,
            unit,
            range: *range,
        });
    }

    let per_gas = spec
        .detectors
        .unwrap_or_else(|| spec.service.default_detectors());
    let positions = spec.service.detector_positions();
    for gas in spec.gases {
        let (indicator, unit, range, letters) = gas.detector();
        for i in 0..per_gas as usize {
            let at = positions
                .get(i)
                .map(|p| p.to_string())
                .unwrap_or_else(|| format!("检测点{}", i + 1));
            points.push(PlannedPoint {
                tag: seq.next(letters),
                name: format!("{name}{at}{}", gas.reading()),
                indicator,
                unit,
                range,
            });
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauge_tops_follow_the_series() {
        assert_eq!(gauge_top(3.24), 4.0);
        assert_eq!(gauge_top(2.4), 2.5);
        assert_eq!(gauge_top(0.45), 0.6);
        assert_eq!(gauge_top(23.55), 25.0);
        assert_eq!(gauge_top(7.5), 10.0);
        assert_eq!(gauge_top(1.0), 1.0);
    }

    #[test]
    fn pressure_alarms_stay_below_design() {
        for p in [0.005, 0.05, 0.1, 0.3, 0.6, 1.6, 1.77, 2.16, 4.5, 15.7, 22.0] {
            let (unit, range) = pressure_range(p);
            let design = if unit == "kPa" { p * 1000.0 } else { p };
            assert!(range.limits.hh.unwrap() < design, "{p}");
            assert!(range.limits.check(range.lo, range.hi).is_ok(), "{p}");
        }
        assert_eq!(pressure_range(0.05).0, "kPa");
        assert_eq!(pressure_range(2.16).1.hi, 4.0);
    }
}
