//! 泄漏场景与泄漏频率 — loss-of-containment (LOC) scenarios and their frequencies per equipment
//! type.
//!
//! GB/T 37243-2019 App. C (typical LOC frequencies) is **not public**; Chinese practice copied
//! the Purple Book (CPR 18E, 1999, Ch. 3) LOC set nearly one to one, while AQ/T 3046-2013 uses
//! API RP 581 hole sizes (reference `qra-consequence.md` §4). So the default table
//! ([`LocTable::purple_book`]) is the Purple Book's, every value **assumed** (unconfirmed,
//! commonly quoted), with the API 581 pressure-vessel hole sizes as an alternative entry; the
//! table is data (serde), so a caller can replace it with the App. C values once they are
//! available.
//!
//! Default table (per year unless stated):
//!
//! | equipment | LOC | frequency |
//! | --- | --- | --- |
//! | pressure vessel | instantaneous / 10 min / 10 mm hole | 5e-7 / 5e-7 / 1e-5 |
//! | process or reactor vessel | instantaneous / 10 min / 10 mm hole | 5e-6 / 5e-6 / 1e-4 |
//! | atmospheric tank, single containment | instantaneous / 10 min / 10 mm | 5e-6 / 5e-6 / 1e-4 |
//! | atmospheric tank, protective outer shell | inst. / 10 min to atmosphere; inst. / 10 min into the shell; 10 mm | 5e-7 each; 5e-7 each; 1e-4 |
//! | atmospheric tank, double containment | inst. / 10 min to atmosphere; into the outer container; 10 mm | 1.25e-8 each; 5e-8 each; 1e-4 |
//! | atmospheric tank, full containment / membrane / in-ground | instantaneous | 1e-8 |
//! | pipe, D < 75 mm | rupture / leak | 1e-6 / 5e-6 per m·a |
//! | pipe, 75 ≤ D ≤ 150 mm | rupture / leak | 3e-7 / 2e-6 per m·a |
//! | pipe, D > 150 mm | rupture / leak | 1e-7 / 5e-7 per m·a |
//! | pump (no special provisions) | rupture of the largest line / leak | 1e-4 / 5e-4 |
//! | pump, canned or wet-casing | rupture / leak | 1e-5 / 5e-5 |
//! | compressor (taken as a pump; verify) | rupture / leak | 1e-4 / 5e-4 |
//! | heat exchanger, substance outside tubes | instantaneous / 10 min / 10 mm | 5e-5 / 5e-5 / 1e-3 |
//! | heat exchanger, substance inside tubes | 10 tubes / 1 tube / leak | 1e-5 / 1e-3 / 1e-2 (0 if the shell design pressure exceeds the tube-side pressure) |
//! | pressure relief device | discharge at maximum rate | 2e-5 |
//! | loading arm | rupture / leak | 3e-8 / 3e-7 per hour of use |
//! | loading hose | rupture / leak | 4e-6 / 4e-5 per hour of use |
//! | pressure vessel, API 581 | ¼" / 1" / 4" hole / rupture | 8e-6 / 2e-5 / 2e-6 / 6e-7 |
//!
//! Hole sizes: 10 mm for the "10 mm" LOCs; a leak of a pipe, pump, arm or hose is 10 % of the
//! diameter, at most 50 mm; a rupture is the full bore; API 581: 6.35, 25.4, 101.6 mm.
//! The continuous "10 min" LOC releases the whole inventory in 600 s; releases are modelled to
//! last at most 30 min (Purple Book). Leak durations from detection and isolation
//! (GB/T 37243 App. E analogue): [`api581_leak_duration_min`].

use serde::{Deserialize, Serialize};

use crate::error::{QraError, check};

/// Equipment types of the LOC table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EquipmentType {
    /// 压力容器 — stationary above-ground pressure vessel.
    PressureVessel,
    /// 工艺容器 / 反应器 — process or reactor vessel.
    ProcessVessel,
    /// 常压储罐（单容罐）— atmospheric tank, single containment.
    AtmosphericTankSingle,
    /// 常压储罐（带防护外壳）— with a protective outer shell.
    AtmosphericTankOuterShell,
    /// 双容罐 — double containment.
    AtmosphericTankDouble,
    /// 全容罐 / 薄膜罐 / 地下罐 — full containment, membrane or in-ground.
    AtmosphericTankFull,
    /// 管道 — above-ground pipe (the band by nominal diameter is chosen from `diameter_mm`).
    Pipe,
    /// 泵 — pump without special provisions.
    Pump,
    /// 屏蔽泵 — canned or wet-casing pump.
    PumpCanned,
    /// 压缩机 — compressor.
    Compressor,
    /// 换热器（物料在管外）— heat exchanger, substance outside the tubes.
    HeatExchangerOutsideTubes,
    /// 换热器（物料在管内）— heat exchanger, substance inside the tubes.
    HeatExchangerInsideTubes,
    /// 安全泄放装置 — pressure relief device.
    PressureReliefDevice,
    /// 装卸臂 — loading arm.
    LoadingArm,
    /// 装卸软管 — loading hose.
    LoadingHose,
    /// 压力容器（API 581 孔径）— pressure vessel with API RP 581 hole sizes.
    PressureVesselApi581,
}

/// Loss-of-containment scenario kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocKind {
    /// 完全破裂（瞬时释放全部存量）— instantaneous release of the complete inventory.
    Instantaneous,
    /// 10 min 内连续释放全部存量 — continuous release of the inventory in 10 min.
    Continuous10Min,
    /// 10 mm 孔泄漏 — continuous release from a 10 mm effective hole.
    Hole10Mm,
    /// Instantaneous release into the outer shell or container.
    InstantaneousIntoOuter,
    /// 10-min release into the outer shell or container.
    Continuous10MinIntoOuter,
    /// 全管径断裂 — full-bore rupture (of the pipe, or the largest connected line).
    Rupture,
    /// 泄漏 — leak, hole 10 % of the diameter, at most 50 mm.
    Leak,
    /// Rupture of 10 tubes (heat exchanger).
    Rupture10Tubes,
    /// Rupture of 1 tube (heat exchanger).
    Rupture1Tube,
    /// Discharge of a relief device at its maximum rate.
    ReliefDischarge,
    /// API 581 small hole (¼", 6.35 mm).
    ApiSmall,
    /// API 581 medium hole (1", 25.4 mm).
    ApiMedium,
    /// API 581 large hole (4", 101.6 mm).
    ApiLarge,
    /// API 581 rupture.
    ApiRupture,
}

impl LocKind {
    /// Whether the release is instantaneous.
    pub fn is_instantaneous(self) -> bool {
        matches!(
            self,
            LocKind::Instantaneous | LocKind::InstantaneousIntoOuter | LocKind::ApiRupture
        )
    }
}

/// Unit of a table frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrequencyUnit {
    /// Per item per year.
    PerYear,
    /// Per metre of pipe per year (× `length_m`).
    PerMetreYear,
    /// Per hour of use (× `hours_per_year`).
    PerHour,
}

/// Pipe diameter band of the Purple Book (D < 75, 75 ≤ D ≤ 150, D > 150 mm).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PipeBand {
    /// D < 75 mm.
    Small,
    /// 75 ≤ D ≤ 150 mm.
    Medium,
    /// D > 150 mm.
    Large,
}

impl PipeBand {
    /// The band of a nominal diameter.
    pub fn of(diameter_mm: f64) -> PipeBand {
        if diameter_mm < 75.0 {
            PipeBand::Small
        } else if diameter_mm <= 150.0 {
            PipeBand::Medium
        } else {
            PipeBand::Large
        }
    }
}

/// One row of a LOC table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocTableEntry {
    /// Equipment type.
    pub equipment: EquipmentType,
    /// Pipe band (pipes only).
    #[serde(default)]
    pub pipe_band: Option<PipeBand>,
    /// LOC kind.
    pub kind: LocKind,
    /// Frequency in `unit`.
    pub frequency: f64,
    /// Unit of `frequency`.
    pub unit: FrequencyUnit,
    /// Where the value comes from.
    pub source: String,
    /// The value is not confirmed against GB/T 37243 App. C.
    pub assumed: bool,
}

/// A LOC frequency table (default: [`LocTable::purple_book`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocTable {
    /// The rows.
    pub entries: Vec<LocTableEntry>,
}

impl Default for LocTable {
    fn default() -> Self {
        LocTable::purple_book()
    }
}

/// One row of the built-in table: equipment, pipe band, LOC, frequency, unit, source.
type LocRow = (
    EquipmentType,
    Option<PipeBand>,
    LocKind,
    f64,
    FrequencyUnit,
    &'static str,
);

const PB: &str = "Purple Book CPR 18E (1999) Ch. 3, as quoted in qra-consequence.md §4.2 (GB/T 37243 App. C not public)";
const API: &str = "API RP 581 generic failure frequency, pressure vessel, qra-consequence.md §4.3";

impl LocTable {
    /// The default table (see the [module documentation](self)); every row assumed.
    pub fn purple_book() -> LocTable {
        use EquipmentType as E;
        use FrequencyUnit as U;
        use LocKind as K;
        #[rustfmt::skip]
        let rows: &[LocRow] = &[
            (E::PressureVessel, None, K::Instantaneous, 5e-7, U::PerYear, PB),
            (E::PressureVessel, None, K::Continuous10Min, 5e-7, U::PerYear, PB),
            (E::PressureVessel, None, K::Hole10Mm, 1e-5, U::PerYear, PB),
            (E::ProcessVessel, None, K::Instantaneous, 5e-6, U::PerYear, PB),
            (E::ProcessVessel, None, K::Continuous10Min, 5e-6, U::PerYear, PB),
            (E::ProcessVessel, None, K::Hole10Mm, 1e-4, U::PerYear, PB),
            (E::AtmosphericTankSingle, None, K::Instantaneous, 5e-6, U::PerYear, PB),
            (E::AtmosphericTankSingle, None, K::Continuous10Min, 5e-6, U::PerYear, PB),
            (E::AtmosphericTankSingle, None, K::Hole10Mm, 1e-4, U::PerYear, PB),
            (E::AtmosphericTankOuterShell, None, K::Instantaneous, 5e-7, U::PerYear, PB),
            (E::AtmosphericTankOuterShell, None, K::Continuous10Min, 5e-7, U::PerYear, PB),
            (E::AtmosphericTankOuterShell, None, K::InstantaneousIntoOuter, 5e-7, U::PerYear, PB),
            (E::AtmosphericTankOuterShell, None, K::Continuous10MinIntoOuter, 5e-7, U::PerYear, PB),
            (E::AtmosphericTankOuterShell, None, K::Hole10Mm, 1e-4, U::PerYear, PB),
            (E::AtmosphericTankDouble, None, K::Instantaneous, 1.25e-8, U::PerYear, PB),
            (E::AtmosphericTankDouble, None, K::Continuous10Min, 1.25e-8, U::PerYear, PB),
            (E::AtmosphericTankDouble, None, K::InstantaneousIntoOuter, 5e-8, U::PerYear, PB),
            (E::AtmosphericTankDouble, None, K::Continuous10MinIntoOuter, 5e-8, U::PerYear, PB),
            (E::AtmosphericTankDouble, None, K::Hole10Mm, 1e-4, U::PerYear, PB),
            (E::AtmosphericTankFull, None, K::Instantaneous, 1e-8, U::PerYear, PB),
            (E::Pipe, Some(PipeBand::Small), K::Rupture, 1e-6, U::PerMetreYear, PB),
            (E::Pipe, Some(PipeBand::Small), K::Leak, 5e-6, U::PerMetreYear, PB),
            (E::Pipe, Some(PipeBand::Medium), K::Rupture, 3e-7, U::PerMetreYear, PB),
            (E::Pipe, Some(PipeBand::Medium), K::Leak, 2e-6, U::PerMetreYear, PB),
            (E::Pipe, Some(PipeBand::Large), K::Rupture, 1e-7, U::PerMetreYear, PB),
            (E::Pipe, Some(PipeBand::Large), K::Leak, 5e-7, U::PerMetreYear, PB),
            (E::Pump, None, K::Rupture, 1e-4, U::PerYear, PB),
            (E::Pump, None, K::Leak, 5e-4, U::PerYear, PB),
            (E::PumpCanned, None, K::Rupture, 1e-5, U::PerYear, PB),
            (E::PumpCanned, None, K::Leak, 5e-5, U::PerYear, PB),
            (E::Compressor, None, K::Rupture, 1e-4, U::PerYear, PB),
            (E::Compressor, None, K::Leak, 5e-4, U::PerYear, PB),
            (E::HeatExchangerOutsideTubes, None, K::Instantaneous, 5e-5, U::PerYear, PB),
            (E::HeatExchangerOutsideTubes, None, K::Continuous10Min, 5e-5, U::PerYear, PB),
            (E::HeatExchangerOutsideTubes, None, K::Hole10Mm, 1e-3, U::PerYear, PB),
            (E::HeatExchangerInsideTubes, None, K::Rupture10Tubes, 1e-5, U::PerYear, PB),
            (E::HeatExchangerInsideTubes, None, K::Rupture1Tube, 1e-3, U::PerYear, PB),
            (E::HeatExchangerInsideTubes, None, K::Leak, 1e-2, U::PerYear, PB),
            (E::PressureReliefDevice, None, K::ReliefDischarge, 2e-5, U::PerYear, PB),
            (E::LoadingArm, None, K::Rupture, 3e-8, U::PerHour, PB),
            (E::LoadingArm, None, K::Leak, 3e-7, U::PerHour, PB),
            (E::LoadingHose, None, K::Rupture, 4e-6, U::PerHour, PB),
            (E::LoadingHose, None, K::Leak, 4e-5, U::PerHour, PB),
            (E::PressureVesselApi581, None, K::ApiSmall, 8e-6, U::PerYear, API),
            (E::PressureVesselApi581, None, K::ApiMedium, 2e-5, U::PerYear, API),
            (E::PressureVesselApi581, None, K::ApiLarge, 2e-6, U::PerYear, API),
            (E::PressureVesselApi581, None, K::ApiRupture, 6e-7, U::PerYear, API),
        ];
        LocTable {
            entries: rows
                .iter()
                .map(
                    |&(equipment, pipe_band, kind, frequency, unit, source)| LocTableEntry {
                        equipment,
                        pipe_band,
                        kind,
                        frequency,
                        unit,
                        source: source.to_owned(),
                        assumed: true,
                    },
                )
                .collect(),
        }
    }

    /// The LOC scenarios of `equipment` with yearly frequencies.
    pub fn scenarios(&self, equipment: &Equipment) -> Result<Vec<LocScenario>, QraError> {
        let count = check("count", equipment.count, "0 <= value <= 1e6", |v| {
            (0.0..=1e6).contains(&v)
        })?;
        let diameter = match equipment.diameter_mm {
            Some(d) => Some(check("diameter_mm", d, "0 < value <= 1e4", |v| {
                v > 0.0 && v <= 1e4
            })?),
            None => None,
        };
        let band = match (equipment.equipment, diameter) {
            (EquipmentType::Pipe, Some(d)) => Some(PipeBand::of(d)),
            (EquipmentType::Pipe, None) => {
                return Err(QraError::InvalidInput {
                    model: "loc_scenarios",
                    message: "a pipe needs `diameter_mm` / 管道需要给出 `diameter_mm`".to_owned(),
                });
            }
            _ => None,
        };
        let mut out = Vec::new();
        for e in self
            .entries
            .iter()
            .filter(|e| e.equipment == equipment.equipment && e.pipe_band == band)
        {
            let base = check("entries[].frequency", e.frequency, "0 <= value <= 1", |v| {
                (0.0..=1.0).contains(&v)
            })?;
            let scale = match e.unit {
                FrequencyUnit::PerYear => 1.0,
                FrequencyUnit::PerMetreYear => match equipment.length_m {
                    Some(l) => check("length_m", l, "0 <= value <= 1e6", |v| {
                        (0.0..=1e6).contains(&v)
                    })?,
                    None => {
                        return Err(QraError::InvalidInput {
                            model: "loc_scenarios",
                            message: "a pipe needs `length_m` / 管道需要给出 `length_m`".to_owned(),
                        });
                    }
                },
                FrequencyUnit::PerHour => match equipment.hours_per_year {
                    Some(h) => check("hours_per_year", h, "0 <= value <= 8784", |v| {
                        (0.0..=8784.0).contains(&v)
                    })?,
                    None => {
                        return Err(QraError::InvalidInput {
                            model: "loc_scenarios",
                            message: "a loading arm or hose needs `hours_per_year` / 装卸臂或软管需要给出 `hours_per_year`".to_owned(),
                        });
                    }
                },
            };
            let zero = equipment.equipment == EquipmentType::HeatExchangerInsideTubes
                && equipment.shell_pressure_exceeds_tube_pressure;
            let hole = match e.kind {
                LocKind::Hole10Mm => Some(10.0),
                LocKind::Leak => diameter.map(|d| (0.1 * d).min(50.0)),
                LocKind::Rupture => diameter,
                LocKind::ApiSmall => Some(6.35),
                LocKind::ApiMedium => Some(25.4),
                LocKind::ApiLarge => Some(101.6),
                _ => None,
            };
            out.push(LocScenario {
                equipment: equipment.equipment,
                kind: e.kind,
                frequency_per_year: if zero { 0.0 } else { base * scale * count },
                hole_diameter_mm: hole,
                release_duration_s: match e.kind {
                    LocKind::Continuous10Min | LocKind::Continuous10MinIntoOuter => Some(600.0),
                    _ => None,
                },
                instantaneous: e.kind.is_instantaneous(),
                source: e.source.clone(),
                assumed: e.assumed,
            });
        }
        Ok(out)
    }
}

fn default_count() -> f64 {
    1.0
}

/// One piece of equipment (or `count` identical ones).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Equipment {
    /// Type.
    pub equipment: EquipmentType,
    /// Nominal diameter, mm (pipes: required; pumps, arms, hoses: the largest connected line).
    #[serde(default)]
    pub diameter_mm: Option<f64>,
    /// Length, m (pipes).
    #[serde(default)]
    pub length_m: Option<f64>,
    /// Hours of use per year (loading arms and hoses).
    #[serde(default)]
    pub hours_per_year: Option<f64>,
    /// Number of identical items (default 1).
    #[serde(default = "default_count")]
    pub count: f64,
    /// Heat exchanger, substance in the tubes: the shell-side design pressure exceeds the
    /// tube-side pressure (the tube LOCs then have frequency 0).
    #[serde(default)]
    pub shell_pressure_exceeds_tube_pressure: bool,
}

/// One LOC scenario of a piece of equipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocScenario {
    /// Equipment type.
    pub equipment: EquipmentType,
    /// LOC kind.
    pub kind: LocKind,
    /// Frequency per year (count, length and hours applied).
    pub frequency_per_year: f64,
    /// Effective hole diameter, mm, where the table defines it.
    pub hole_diameter_mm: Option<f64>,
    /// Release duration, s, where the LOC defines it (10-min releases).
    pub release_duration_s: Option<f64>,
    /// Instantaneous release.
    pub instantaneous: bool,
    /// Source of the frequency.
    pub source: String,
    /// Not confirmed against GB/T 37243 App. C.
    pub assumed: bool,
}

/// LOC scenarios of `equipment` from the default table.
pub fn loc_scenarios(equipment: &Equipment) -> Result<Vec<LocScenario>, QraError> {
    LocTable::purple_book().scenarios(equipment)
}

/// Detection or isolation class of API RP 581 (A automatic … C manual / visual).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SystemClass {
    /// A.
    A,
    /// B.
    B,
    /// C.
    C,
}

/// API RP 581 hole size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiHole {
    /// ¼".
    Small,
    /// 1".
    Medium,
    /// 4".
    Large,
}

/// Leak duration, minutes, by detection and isolation class (API RP 581; GB/T 37243 App. E
/// analogue; reference §4.3, **assumed**).
pub fn api581_leak_duration_min(
    detection: SystemClass,
    isolation: SystemClass,
    hole: ApiHole,
) -> f64 {
    use SystemClass::{A, B, C};
    let row: [f64; 3] = match (detection, isolation) {
        (A, A) => [20.0, 10.0, 5.0],
        (A, B) => [30.0, 20.0, 10.0],
        (A, C) => [40.0, 30.0, 20.0],
        (B, A) | (B, B) => [40.0, 30.0, 20.0],
        (B, C) => [60.0, 30.0, 20.0],
        (C, _) => [60.0, 40.0, 20.0],
    };
    match hole {
        ApiHole::Small => row[0],
        ApiHole::Medium => row[1],
        ApiHole::Large => row[2],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(equipment: EquipmentType) -> Equipment {
        Equipment {
            equipment,
            diameter_mm: None,
            length_m: None,
            hours_per_year: None,
            count: 1.0,
            shell_pressure_exceeds_tube_pressure: false,
        }
    }

    #[test]
    fn pressure_vessel_three_locs() {
        let s = loc_scenarios(&eq(EquipmentType::PressureVessel)).unwrap();
        assert_eq!(s.len(), 3);
        let total: f64 = s.iter().map(|x| x.frequency_per_year).sum();
        assert!((total - 1.1e-5).abs() < 1e-18);
        assert!(s.iter().all(|x| x.assumed));
    }

    #[test]
    fn pipe_by_band_and_length() {
        let mut p = eq(EquipmentType::Pipe);
        p.diameter_mm = Some(100.0);
        p.length_m = Some(50.0);
        let s = loc_scenarios(&p).unwrap();
        assert_eq!(s.len(), 2);
        let rupture = s.iter().find(|x| x.kind == LocKind::Rupture).unwrap();
        assert!((rupture.frequency_per_year - 1.5e-5).abs() < 1e-18);
        assert_eq!(rupture.hole_diameter_mm, Some(100.0));
        let leak = s.iter().find(|x| x.kind == LocKind::Leak).unwrap();
        assert_eq!(leak.hole_diameter_mm, Some(10.0));
        p.diameter_mm = Some(600.0);
        let s = loc_scenarios(&p).unwrap();
        let leak = s.iter().find(|x| x.kind == LocKind::Leak).unwrap();
        assert_eq!(leak.hole_diameter_mm, Some(50.0));
        assert!((leak.frequency_per_year - 2.5e-5).abs() < 1e-18);
        p.length_m = None;
        assert!(loc_scenarios(&p).is_err());
    }

    #[test]
    fn loading_arm_per_hour_and_durations() {
        let mut a = eq(EquipmentType::LoadingArm);
        a.hours_per_year = Some(1000.0);
        let s = loc_scenarios(&a).unwrap();
        let leak = s.iter().find(|x| x.kind == LocKind::Leak).unwrap();
        assert!((leak.frequency_per_year - 3e-4).abs() < 1e-15);
        assert_eq!(
            api581_leak_duration_min(SystemClass::B, SystemClass::C, ApiHole::Small),
            60.0
        );
    }
}
