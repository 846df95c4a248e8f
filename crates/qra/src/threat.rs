//! 实时威胁区 — live threat zones of a release, ALOHA-like: for a substance, a release
//! (continuous or instantaneous), the release conditions and the current wind, the areas
//! where a toxic level, a flammable concentration, a heat flux or an overpressure is
//! exceeded, as polygons on the ground.
//!
//! # What is computed
//!
//! - **Toxic** (毒性): the ground-level concentration field of [`crate::plume::PlumeField`]
//!   (Gaussian plume / Palazzi finite puff / Gaussian puff envelope, or Britter–McQuaid when
//!   the release is dense) against each toxic level of the substance (e.g. AEGL-3/2/1 for
//!   60 min, or ERPG-3/2/1, or PAC): one zone per level. Peak concentrations, no toxic-load
//!   averaging (ALOHA's default for threat zones).
//! - **Flammable** (可燃): the same field against the LFL and ½ LFL (the flash-fire envelope
//!   and its usual safety margin).
//! - **Thermal** (热辐射) and **overpressure** (爆炸超压), when the substance burns: see
//!   [`ThreatHazards`]; the ignited outcomes follow [`crate::fire`] and [`crate::vce`].
//!
//! # Frames
//!
//! The models work in the wind frame (x downwind, y crosswind to the left, metres from the
//! source). Zones are returned in the site frame, **x = east, y = north** (metres from the
//! source), rotated by the wind direction: the direction the wind blows **from**, degrees
//! clockwise from north (the weather station's reading). When the direction is unknown
//! (`wind_from_deg: None`), a zone is the **circle** of its farthest distance — the honest
//! answer when the wind could be from anywhere — and [`ThreatZoneOut::direction_known`] says
//! so.
//!
//! [`zones_geojson`] turns a result into a GeoJSON FeatureCollection around the source's
//! latitude/longitude (the equirectangular local projection of [`crate::risk::GeoOrigin`]).

use serde::{Deserialize, Serialize};

use crate::Stability;
use crate::error::{QraError, check};
use crate::plume::{
    DenseGasChoice, DispersionModel, DispersionOptions, DispersionSource, DispersionWeather,
    PlumeField, ThreatZone,
};
use crate::risk::GeoOrigin;

/// A toxic level of concern (毒性阈值), e.g. AEGL-2 (60 min).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToxicLevel {
    /// Short name, e.g. `AEGL-3`.
    pub level: String,
    /// Label in Chinese, e.g. `AEGL-3（60 min）致死或危及生命`.
    pub label_zh: String,
    /// Label in English.
    pub label_en: String,
    /// Concentration, ppm by volume.
    pub ppm: f64,
    /// Where the value comes from.
    #[serde(default)]
    pub source: Option<String>,
}

/// What the zones need to know of a substance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreatSubstance {
    /// 中文名.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// CAS number, when known.
    #[serde(default)]
    pub cas: Option<String>,
    /// Molar mass, kg/mol.
    pub molar_mass_kg_mol: f64,
    /// Lower flammability limit, volume fraction (absent: not flammable).
    #[serde(default)]
    pub lfl_volume_fraction: Option<f64>,
    /// Toxic levels of concern, worst first (absent: not toxic, or none entered).
    #[serde(default)]
    pub toxic_levels: Vec<ToxicLevel>,
}

/// The release (泄漏).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ThreatRelease {
    /// Continuous release at a constant rate.
    Continuous {
        /// kg/s.
        mass_rate_kg_s: f64,
        /// s (absent: steady).
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// Instantaneous release.
    Instantaneous {
        /// kg.
        mass_kg: f64,
    },
}

/// The weather now (气象).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreatWeather {
    /// Wind speed at 10 m, m/s.
    pub wind_speed_m_s: f64,
    /// Direction the wind blows from, degrees clockwise from north; absent = unknown
    /// (zones become circles).
    #[serde(default)]
    pub wind_from_deg: Option<f64>,
    /// Pasquill stability class.
    pub stability: Stability,
    /// Ambient temperature, K (default 298.15).
    #[serde(default = "default_ambient")]
    pub ambient_temperature_k: f64,
}

fn default_ambient() -> f64 {
    298.15
}

/// Which hazards to map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreatHazards {
    /// Toxic levels (default on).
    #[serde(default = "yes")]
    pub toxic: bool,
    /// LFL and ½ LFL (default on).
    #[serde(default = "yes")]
    pub flammable: bool,
}

fn yes() -> bool {
    true
}

impl Default for ThreatHazards {
    fn default() -> Self {
        ThreatHazards {
            toxic: true,
            flammable: true,
        }
    }
}

/// Input of [`threat_zones`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreatRequest {
    /// The substance.
    pub substance: ThreatSubstance,
    /// The release.
    pub release: ThreatRelease,
    /// Release height, m (default 0).
    #[serde(default)]
    pub release_height_m: f64,
    /// Density of the released gas (or gas–aerosol) at the source, kg/m³; selects
    /// Britter–McQuaid when dense (absent: the ideal-gas density at the release
    /// temperature, or at ambient).
    #[serde(default)]
    pub release_density_kg_m3: Option<f64>,
    /// Release temperature, K (e.g. the boiling point of a flashing liquefied gas).
    #[serde(default)]
    pub release_temperature_k: Option<f64>,
    /// The weather.
    pub weather: ThreatWeather,
    /// Hazards to map.
    #[serde(default)]
    pub hazards: ThreatHazards,
    /// Ignited outcomes to map (absent: none): a pool fire of the rain-out pool and a
    /// vapour cloud explosion of the flammable part of the cloud.
    #[serde(default)]
    pub ignition: Option<ThreatIgnition>,
    /// Dense-gas choice (default automatic, CCPS criterion).
    #[serde(default)]
    pub dense_gas: DenseGasChoice,
    /// Polygon vertices per zone (default 64).
    #[serde(default = "default_vertices")]
    pub polygon_vertices: usize,
}

fn default_vertices() -> usize {
    64
}

/// What the ignited outcomes need (燃烧爆炸).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreatIgnition {
    /// Heat of combustion, J/kg.
    pub heat_of_combustion_j_kg: f64,
    /// Diameter of the burning pool, m (absent: no pool fire).
    #[serde(default)]
    pub pool_diameter_m: Option<f64>,
    /// Heat of vaporisation at the boiling point, J/kg (Burgess burning rate).
    #[serde(default)]
    pub heat_of_vaporization_j_kg: Option<f64>,
    /// Liquid heat capacity, J/(kg·K) (Burgess).
    #[serde(default)]
    pub liquid_heat_capacity_j_kg_k: Option<f64>,
    /// Normal boiling point, K (Burgess).
    #[serde(default)]
    pub boiling_point_k: Option<f64>,
    /// TNT yield of the vapour cloud explosion (default 0.03, **assumed**, HyRAM's and the
    /// usual 1–10 % range's conservative-middle value).
    #[serde(default = "default_yield")]
    pub tnt_yield: f64,
}

fn default_yield() -> f64 {
    0.03
}

/// Heat-flux levels of the thermal zones, kW/m² (ALOHA's 10 / 5 / 2).
pub const THERMAL_LEVELS_KW_M2: [f64; 3] = [10.0, 5.0, 2.0];
/// Overpressure levels of the explosion zones, kPa (ALOHA's 8.0 / 3.5 / 1.0 psi).
pub const OVERPRESSURE_LEVELS_KPA: [f64; 3] = [55.2, 24.1, 6.9];

/// Kind of hazard of a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hazard {
    /// 毒性.
    Toxic,
    /// 可燃.
    Flammable,
    /// 热辐射.
    Thermal,
    /// 爆炸超压.
    Overpressure,
}

/// One threat zone in the site frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreatZoneOut {
    /// Hazard.
    pub hazard: Hazard,
    /// Short level name (`AEGL-2`, `LFL`, `10 kW/m²` …).
    pub level: String,
    /// Label, Chinese.
    pub label_zh: String,
    /// Label, English.
    pub label_en: String,
    /// Threshold in `unit`.
    pub threshold: f64,
    /// Unit of the threshold (`ppm`, `%vol`, `kW/m²`, `kPa`).
    pub unit: String,
    /// Farthest distance from the source, m (0: not reached).
    pub distance_m: f64,
    /// The zone reached the model's search limit and is cut there.
    pub truncated: bool,
    /// `false` when the wind direction is unknown and the zone is a circle.
    pub direction_known: bool,
    /// Display colour (worst level red, then orange, then yellow), `#rrggbb`.
    pub color: String,
    /// Closed ring `[[east_m, north_m], …]` from the source; empty when not reached.
    pub polygon_m: Vec<[f64; 2]>,
}

/// Output of [`threat_zones`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreatResult {
    /// The dispersion model used.
    pub model: DispersionModel,
    /// Whether the cloud was treated as a dense gas.
    pub dense: bool,
    /// Zones, worst level first within each hazard.
    pub zones: Vec<ThreatZoneOut>,
}

const COLORS: [&str; 3] = ["#d9001b", "#ff7f00", "#f5c400"];

/// The zones of one release in the current weather. See the [module documentation](self).
pub fn threat_zones(req: &ThreatRequest) -> Result<ThreatResult, QraError> {
    let s = &req.substance;
    let mm = check(
        "substance.molar_mass_kg_mol",
        s.molar_mass_kg_mol,
        "0.001 <= value <= 1",
        |v| (0.001..=1.0).contains(&v),
    )?;
    let w = &req.weather;
    let ambient_t = check(
        "weather.ambient_temperature_k",
        w.ambient_temperature_k,
        "200 <= value <= 350",
        |v| (200.0..=350.0).contains(&v),
    )?;
    let from = w
        .wind_from_deg
        .map(|d| {
            check("weather.wind_from_deg", d, "0 <= value <= 360", |v| {
                (0.0..=360.0).contains(&v)
            })
        })
        .transpose()?;
    if !(16..=1000).contains(&req.polygon_vertices) {
        return Err(QraError::OutOfRange {
            field: "polygon_vertices",
            value: req.polygon_vertices as f64,
            expected: "16 <= value <= 1000",
        });
    }
    let release = match req.release {
        ThreatRelease::Continuous {
            mass_rate_kg_s,
            duration_s,
        } => crate::dense::Release::Continuous {
            mass_rate_kg_s,
            duration_s,
        },
        ThreatRelease::Instantaneous { mass_kg } => {
            crate::dense::Release::Instantaneous { mass_kg }
        }
    };
    let pressure = 101_325.0;
    // Without a given density: the ideal gas at the release temperature (or ambient).
    let density = match req.release_density_kg_m3 {
        Some(d) => Some(d),
        None => Some(crate::dense::ideal_gas_density(
            mm,
            req.release_temperature_k.unwrap_or(ambient_t),
            pressure,
        )),
    };
    let source = DispersionSource {
        release,
        release_height_m: req.release_height_m,
        release_density_kg_m3: density,
        release_temperature_k: req.release_temperature_k,
        molar_mass_kg_mol: Some(mm),
    };
    let weather = DispersionWeather {
        stability: w.stability,
        wind_speed_m_s: w.wind_speed_m_s,
        wind_reference_height_m: 10.0,
        ambient_temperature_k: ambient_t,
        ambient_pressure_pa: pressure,
    };
    let options = DispersionOptions {
        dense_gas: req.dense_gas,
        ..DispersionOptions::default()
    };
    let field = PlumeField::new(&source, &weather, &options)?;
    // ppm → kg/m³ at ambient conditions.
    let ppm_to_kg =
        |ppm: f64| ppm * 1e-6 * crate::dense::ideal_gas_density(mm, ambient_t, pressure);
    let mut zones = Vec::new();
    if req.hazards.toxic {
        for (i, level) in s.toxic_levels.iter().enumerate() {
            let ppm = check("substance.toxic_levels.ppm", level.ppm, "0 < value", |v| {
                v > 0.0
            })?;
            let zone = field.zone(ppm_to_kg(ppm), req.polygon_vertices);
            zones.push(place(
                &zone,
                from,
                Hazard::Toxic,
                &level.level,
                &level.label_zh,
                &level.label_en,
                ppm,
                "ppm",
                COLORS[i.min(2)],
            ));
        }
    }
    if req.hazards.flammable
        && let Some(lfl) = s.lfl_volume_fraction
    {
        let lfl = check("substance.lfl_volume_fraction", lfl, "0 < value < 1", |v| {
            v > 0.0 && v < 1.0
        })?;
        for (i, (fraction, level, zh, en)) in [
            (
                1.0,
                "LFL",
                "爆炸下限（闪火范围）",
                "lower flammable limit (flash fire)",
            ),
            (
                0.5,
                "½ LFL",
                "1/2 爆炸下限",
                "half the lower flammable limit",
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let pct = 100.0 * lfl * fraction;
            let zone = field.zone(ppm_to_kg(1e6 * lfl * fraction), req.polygon_vertices);
            zones.push(place(
                &zone,
                from,
                Hazard::Flammable,
                level,
                zh,
                en,
                pct,
                "%vol",
                COLORS[(2 * i).min(2)],
            ));
        }
    }
    if let Some(ign) = &req.ignition {
        ignited_zones(req, ign, &field, ppm_to_kg, from, &mut zones)?;
    }
    Ok(ThreatResult {
        model: field.model(),
        dense: matches!(
            field.model(),
            DispersionModel::BritterMcQuaidPlume | DispersionModel::BritterMcQuaidPuff
        ),
        zones,
    })
}

/// Thermal zones of a pool fire and overpressure zones of a vapour cloud explosion.
///
/// - Pool fire: [`crate::fire::pool_fire`] of the given diameter (Thomas height, Mudan &
///   Croce SEP, Burgess burning rate), distances to 10 / 5 / 2 kW/m² as circles round the
///   source.
/// - Explosion: the flammable mass is the mass released while the cloud travels to its LFL
///   distance, m = ṁ·min(T, x_LFL/u) for a continuous release (the whole mass for an
///   instantaneous one) (**assumed**, the usual steady-cloud estimate); TNT equivalence
///   W = η·m·ΔH_c/4.68 MJ/kg ([`crate::vce::TntBlast`], Kingery–Bulmash) centred half-way to
///   the LFL distance downwind (at the source when the wind direction is unknown, the
///   circle then widened by that offset).
fn ignited_zones(
    req: &ThreatRequest,
    ign: &ThreatIgnition,
    field: &PlumeField,
    ppm_to_kg: impl Fn(f64) -> f64,
    from: Option<f64>,
    zones: &mut Vec<ThreatZoneOut>,
) -> Result<(), QraError> {
    let hc = check(
        "ignition.heat_of_combustion_j_kg",
        ign.heat_of_combustion_j_kg,
        "1e6 <= value <= 2e8",
        |v| (1e6..=2e8).contains(&v),
    )?;
    if let Some(d) = ign.pool_diameter_m {
        let out = crate::fire::pool_fire(&crate::fire::PoolFireInput {
            pool_diameter_m: Some(d),
            heat_of_combustion_j_kg: Some(hc),
            heat_of_vaporization_j_kg: ign.heat_of_vaporization_j_kg,
            liquid_heat_capacity_j_kg_k: ign.liquid_heat_capacity_j_kg_k,
            boiling_point_k: ign.boiling_point_k,
            // The defaults of every other field; the flux is read off the flame below, so the
            // target distance here (one diameter, outside the pool) does not matter.
            ..serde_json::from_value(serde_json::json!({"distance_m": d})).map_err(|e| {
                QraError::InvalidInput {
                    model: "threat_zone",
                    message: e.to_string(),
                }
            })?
        })?;
        for (i, kw) in THERMAL_LEVELS_KW_M2.iter().enumerate() {
            let r = out.flame.distance_to_flux_m(kw * 1e3).unwrap_or(0.0);
            zones.push(circle_zone(
                Hazard::Thermal,
                &format!("{kw} kW/m²"),
                &format!("池火热辐射 {kw} kW/m²"),
                &format!("pool fire heat flux {kw} kW/m²"),
                *kw,
                "kW/m²",
                [0.0, 0.0],
                r,
                from.is_some(),
                COLORS[i],
            ));
        }
    }
    if let Some(lfl) = req.substance.lfl_volume_fraction {
        let lfl_zone = field.zone(ppm_to_kg(1e6 * lfl), 16);
        if lfl_zone.reached {
            let x_lfl = lfl_zone.max_distance_m.max(0.0);
            let u = field.transport_wind_speed_m_s().max(0.5);
            let mass = match req.release {
                ThreatRelease::Continuous {
                    mass_rate_kg_s,
                    duration_s,
                } => mass_rate_kg_s * (x_lfl / u).min(duration_s.unwrap_or(f64::INFINITY)),
                ThreatRelease::Instantaneous { mass_kg } => mass_kg,
            };
            let tnt = crate::vce::tnt_equivalence(&crate::vce::TntEquivalenceInput {
                flammable_mass_kg: mass.max(1e-6),
                heat_of_combustion_j_kg: hc,
                yield_factor: ign.tnt_yield,
                tnt_blast_energy_j_kg: crate::vce::TNT_BLAST_ENERGY_J_KG,
                distance_m: None,
            })?;
            let blast = crate::vce::TntBlast {
                tnt_mass_kg: tnt.tnt_mass_kg,
            };
            let centre = match from {
                Some(f) => rotate(&[[0.5 * x_lfl, 0.0]], f)[0],
                None => [0.0, 0.0],
            };
            let widen = if from.is_some() { 0.0 } else { 0.5 * x_lfl };
            for (i, kpa) in OVERPRESSURE_LEVELS_KPA.iter().enumerate() {
                let r = blast.distance_to_overpressure_m(kpa * 1e3).unwrap_or(0.0);
                zones.push(circle_zone(
                    Hazard::Overpressure,
                    &format!("{kpa} kPa"),
                    &format!("蒸气云爆炸超压 {kpa} kPa"),
                    &format!("vapour cloud explosion overpressure {kpa} kPa"),
                    *kpa,
                    "kPa",
                    centre,
                    if r > 0.0 { r + widen } else { 0.0 },
                    from.is_some(),
                    COLORS[i],
                ));
            }
        }
    }
    Ok(())
}

/// A circular zone of radius `r` round `centre` (site frame); `distance_m` is the reach
/// from the source.
#[allow(clippy::too_many_arguments)]
fn circle_zone(
    hazard: Hazard,
    level: &str,
    label_zh: &str,
    label_en: &str,
    threshold: f64,
    unit: &str,
    centre: [f64; 2],
    r: f64,
    direction_known: bool,
    color: &str,
) -> ThreatZoneOut {
    let polygon_m = if r > 0.0 {
        circle(r, 72)
            .into_iter()
            .map(|[x, y]| [x + centre[0], y + centre[1]])
            .collect()
    } else {
        Vec::new()
    };
    ThreatZoneOut {
        hazard,
        level: level.to_owned(),
        label_zh: label_zh.to_owned(),
        label_en: label_en.to_owned(),
        threshold,
        unit: unit.to_owned(),
        distance_m: if r > 0.0 {
            r + centre[0].hypot(centre[1])
        } else {
            0.0
        },
        truncated: false,
        direction_known,
        color: color.to_owned(),
        polygon_m,
    }
}

/// A wind-frame zone placed in the site frame (rotated, or a circle when the direction is
/// unknown).
#[allow(clippy::too_many_arguments)]
fn place(
    zone: &ThreatZone,
    wind_from_deg: Option<f64>,
    hazard: Hazard,
    level: &str,
    label_zh: &str,
    label_en: &str,
    threshold: f64,
    unit: &str,
    color: &str,
) -> ThreatZoneOut {
    let reach = if zone.reached {
        zone.max_distance_m
            .abs()
            .max(zone.min_distance_m.abs())
            .max(zone.max_half_width_m)
    } else {
        0.0
    };
    let polygon_m = match (zone.reached, wind_from_deg) {
        (false, _) => Vec::new(),
        (true, Some(from)) => rotate(&zone.polygon, from),
        (true, None) => circle(reach, 72),
    };
    ThreatZoneOut {
        hazard,
        level: level.to_owned(),
        label_zh: label_zh.to_owned(),
        label_en: label_en.to_owned(),
        threshold,
        unit: unit.to_owned(),
        distance_m: reach,
        truncated: zone.truncated,
        direction_known: wind_from_deg.is_some(),
        color: color.to_owned(),
        polygon_m,
    }
}

/// Wind frame (x downwind, y to the left) → site frame (east, north) for a wind blowing
/// from `from_deg`.
pub fn rotate(points: &[[f64; 2]], from_deg: f64) -> Vec<[f64; 2]> {
    let to = (from_deg + 180.0).to_radians();
    // Downwind unit vector d and its left normal l = (−d_y, d_x).
    let (dx, dy) = (to.sin(), to.cos());
    let (lx, ly) = (-dy, dx);
    points
        .iter()
        .map(|[x, y]| [x * dx + y * lx, x * dy + y * ly])
        .collect()
}

/// A closed circle ring of `n` segments around the origin.
pub fn circle(radius_m: f64, n: usize) -> Vec<[f64; 2]> {
    let n = n.max(8);
    let mut ring: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            [radius_m * a.sin(), radius_m * a.cos()]
        })
        .collect();
    ring.push(ring[0]);
    ring
}

/// The zones as a GeoJSON FeatureCollection (`[lon, lat]`), the source at `origin`. Zones
/// not reached are left out; properties: `hazard, level, label_zh, label_en, threshold,
/// unit, distance_m, truncated, direction_known, color`.
pub fn zones_geojson(result: &ThreatResult, origin: &GeoOrigin) -> serde_json::Value {
    let features: Vec<serde_json::Value> = result
        .zones
        .iter()
        .filter(|z| z.polygon_m.len() >= 4)
        .map(|z| {
            let ring: Vec<[f64; 2]> = z.polygon_m.iter().map(|p| origin.to_lon_lat(*p)).collect();
            serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "hazard": z.hazard, "level": z.level, "label_zh": z.label_zh,
                    "label_en": z.label_en, "threshold": z.threshold, "unit": z.unit,
                    "distance_m": z.distance_m, "truncated": z.truncated,
                    "direction_known": z.direction_known, "color": z.color,
                },
            })
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features})
}

// ---------------------------------------------------------------------------------------
// The source from the equipment's conditions

/// The equipment's conditions for [`estimate_release`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageConditions {
    /// The discharge: substance, phase, storage state, hole, inventory, longest duration
    /// ([`crate::discharge::storage_release`]).
    pub discharge: crate::discharge::StorageReleaseInput,
    /// Wind speed at 10 m, m/s (pool evaporation).
    pub wind_speed_m_s: f64,
    /// Bund (dike) area that limits a pool, m² (absent: free spreading down to the
    /// minimum thickness).
    #[serde(default)]
    pub bund_area_m2: Option<f64>,
    /// Ground temperature, K (default 293.15, **assumed**; boiling pools).
    #[serde(default = "default_ground")]
    pub ground_temperature_k: f64,
}

fn default_ground() -> f64 {
    293.15
}

/// What [`estimate_release`] found, with the figures to show the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseEstimate {
    /// The release for [`ThreatRequest::release`]: the airborne rate (gas, or flashed
    /// vapour and aerosol) plus the pool's evaporation, over the release duration.
    pub release: ThreatRelease,
    /// The discharge as computed.
    pub discharge: crate::discharge::StorageReleaseOutput,
    /// Evaporation rate of the pool fed by the rain-out, kg/s (0 without a pool).
    pub pool_evaporation_kg_s: f64,
    /// Pool area, m² (0 without a pool).
    pub pool_area_m2: f64,
    /// How it was estimated, Chinese.
    pub basis_zh: String,
    /// How it was estimated, English.
    pub basis_en: String,
}

/// The cloud source of a release from a vessel: the discharge of
/// [`crate::discharge::storage_release`] (gas blowdown, flashing liquefied gas, or liquid),
/// and, for the liquid that rains out, the pool it forms ([`crate::pool::pool_spread`] over
/// the release duration, bund-limited) and that pool's evaporation
/// ([`crate::pool::pool_evaporation`], boiling or not) at the current wind. The cloud is fed
/// at airborne rate + evaporation rate for the release duration (the pool's evaporation
/// after the leak is stopped is not in the zone: **assumed**, the zone shows the leak).
pub fn estimate_release(c: &StorageConditions) -> Result<ReleaseEstimate, QraError> {
    let d = crate::discharge::storage_release(&c.discharge)?;
    let sub = crate::substance::require("threat_zone", &c.discharge.substance)?;
    let (mut evaporation, mut area) = (0.0, 0.0);
    if d.pool_rate_kg_s > 0.0 {
        let rho = crate::discharge::liquid_density_at(sub, d.release_temperature_k)
            .or(sub.liquid_density_20c_kg_m3)
            .ok_or(QraError::InvalidInput {
                model: "threat_zone",
                message: format!(
                    "no liquid density for {} / 物性表中没有 {} 的液体密度",
                    sub.name_en, sub.name_zh
                ),
            })?;
        let spread = crate::pool::pool_spread(&crate::pool::PoolSpreadInput {
            spill_volume_m3: None,
            spill_rate_m3_s: Some(d.pool_rate_kg_s / rho),
            time_s: d.release_duration_s.max(1.0),
            bund_area_m2: c.bund_area_m2,
            min_thickness_m: 0.005,
        })?;
        area = spread.area_m2;
        let hv = sub
            .heat_of_vaporisation_tb_j_kg
            .ok_or(QraError::InvalidInput {
                model: "threat_zone",
                message: format!(
                    "no heat of vaporisation for {} / 物性表中没有 {} 的汽化热",
                    sub.name_en, sub.name_zh
                ),
            })?;
        let ev = crate::pool::pool_evaporation(&crate::pool::PoolEvaporationInput {
            pool_area_m2: area.max(1e-3),
            wind_speed_m_s: c.wind_speed_m_s.max(0.5),
            molar_mass_kg_mol: sub.molar_mass_kg_mol,
            normal_boiling_point_k: sub.normal_boiling_point_k,
            heat_of_vaporisation_j_kg: hv,
            pool_temperature_k: d.release_temperature_k,
            vapour_pressure_pa: None,
            ground_temperature_k: c.ground_temperature_k,
            time_s: d.release_duration_s.max(1.0),
            pool_mass_kg: Some(d.pool_rate_kg_s * d.release_duration_s),
            ambient_pressure_pa: c.discharge.ambient_pressure_pa,
            vapour_diffusivity_m2_s: None,
            air_kinematic_viscosity_m2_s: 1.5e-5,
            ground_conductivity_w_m_k: 0.9,
            ground_diffusivity_m2_s: 4.3e-7,
            extra_heat_flux_w_m2: 0.0,
        })?;
        // Never more vapour than liquid arrives.
        evaporation = ev.evaporation_rate_kg_s.min(d.pool_rate_kg_s);
    }
    let rate = d.airborne_rate_kg_s + evaporation;
    if rate.is_nan() || rate <= 0.0 {
        return Err(QraError::NonFiniteResult {
            model: "threat_zone",
            quantity: "cloud source rate",
        });
    }
    let hole_mm = c.discharge.hole_diameter_m * 1000.0;
    let p_mpa = (d.storage_pressure_pa - c.discharge.ambient_pressure_pa) / 1e6;
    let (basis_zh, basis_en) = (
        format!(
            "{hole_mm:.0} mm 孔泄漏，表压 {p_mpa:.2} MPa，泄漏 {:.2} kg/s，其中闪蒸 {:.0}%、进入空气 {:.2} kg/s；液池 {:.0} m² 蒸发 {:.2} kg/s；持续 {:.0} s",
            d.initial_mass_rate_kg_s,
            100.0 * d.flash_fraction,
            d.airborne_rate_kg_s,
            area,
            evaporation,
            d.release_duration_s
        ),
        format!(
            "{hole_mm:.0} mm hole, {p_mpa:.2} MPa gauge, {:.2} kg/s out, {:.0} % flashing, {:.2} kg/s airborne; pool {:.0} m² evaporating {:.2} kg/s; for {:.0} s",
            d.initial_mass_rate_kg_s,
            100.0 * d.flash_fraction,
            d.airborne_rate_kg_s,
            area,
            evaporation,
            d.release_duration_s
        ),
    );
    Ok(ReleaseEstimate {
        release: ThreatRelease::Continuous {
            mass_rate_kg_s: rate,
            duration_s: Some(d.release_duration_s),
        },
        discharge: d,
        pool_evaporation_kg_s: evaporation,
        pool_area_m2: area,
        basis_zh,
        basis_en,
    })
}

/// 大气稳定度 — the Pasquill class from the 10 m wind speed and day or night (Turner's
/// table with moderate insolation by day and thin overcast (≥ 4/8 low cloud) at night,
/// **assumed** when no cloud or radiation reading is available): day < 2 m/s B (A–B),
/// 2–3 B, 3–5 C (B–C), 5–6 C (C–D), ≥ 6 D; night < 2 E, 2–3 E, 3–5 D, ≥ 5 D.
pub fn stability_from_wind(wind_speed_m_s: f64, daytime: bool) -> Stability {
    let u = if wind_speed_m_s.is_finite() {
        wind_speed_m_s
    } else {
        0.0
    };
    match (daytime, u) {
        (true, u) if u < 3.0 => Stability::B,
        (true, u) if u < 6.0 => Stability::C,
        (true, _) => Stability::D,
        (false, u) if u < 3.0 => Stability::E,
        (false, _) => Stability::D,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chlorine() -> ThreatSubstance {
        ThreatSubstance {
            name_zh: "氯".into(),
            name_en: "Chlorine".into(),
            cas: Some("7782-50-5".into()),
            molar_mass_kg_mol: 0.070_906,
            lfl_volume_fraction: None,
            toxic_levels: vec![
                level("AEGL-3", 20.0),
                level("AEGL-2", 2.0),
                level("AEGL-1", 0.5),
            ],
        }
    }

    fn level(name: &str, ppm: f64) -> ToxicLevel {
        ToxicLevel {
            level: name.into(),
            label_zh: name.into(),
            label_en: name.into(),
            ppm,
            source: None,
        }
    }

    fn request(from: Option<f64>) -> ThreatRequest {
        ThreatRequest {
            substance: chlorine(),
            release: ThreatRelease::Continuous {
                mass_rate_kg_s: 1.0,
                duration_s: Some(600.0),
            },
            release_height_m: 0.0,
            release_density_kg_m3: None,
            release_temperature_k: None,
            weather: ThreatWeather {
                wind_speed_m_s: 3.0,
                wind_from_deg: from,
                stability: Stability::D,
                ambient_temperature_k: 298.15,
            },
            hazards: ThreatHazards::default(),
            ignition: None,
            dense_gas: DenseGasChoice::Passive,
            polygon_vertices: 64,
        }
    }

    #[test]
    fn rotation_puts_the_zone_downwind() {
        // Wind from the south (180°) blows north: downwind x maps to +north.
        let p = rotate(&[[100.0, 0.0], [0.0, 10.0]], 180.0);
        assert!(p[0][0].abs() < 1e-9 && (p[0][1] - 100.0).abs() < 1e-9);
        // y (left of downwind, i.e. west when blowing north) maps to −east.
        assert!((p[1][0] + 10.0).abs() < 1e-9 && p[1][1].abs() < 1e-9);
        // Wind from the east (90°) blows west.
        let p = rotate(&[[100.0, 0.0]], 90.0);
        assert!((p[0][0] + 100.0).abs() < 1e-9 && p[0][1].abs() < 1e-9);
    }

    #[test]
    fn worse_levels_reach_less_far_and_zones_lie_downwind() {
        let out = threat_zones(&request(Some(135.0))).unwrap();
        assert_eq!(out.zones.len(), 3);
        let d: Vec<f64> = out.zones.iter().map(|z| z.distance_m).collect();
        assert!(d[0] > 0.0 && d[0] < d[1] && d[1] < d[2], "{d:?}");
        // From the south-east: the zone lies to the north-west (east < 0, north > 0).
        let far = out.zones[2]
            .polygon_m
            .iter()
            .copied()
            .max_by(|a, b| a[0].hypot(a[1]).total_cmp(&b[0].hypot(b[1])))
            .unwrap();
        assert!(far[0] < 0.0 && far[1] > 0.0, "{far:?}");
        assert_eq!(out.zones[0].color, "#d9001b");
        assert!(out.zones.iter().all(|z| z.direction_known));
    }

    #[test]
    fn unknown_direction_gives_circles_of_the_same_reach() {
        let known = threat_zones(&request(Some(0.0))).unwrap();
        let unknown = threat_zones(&request(None)).unwrap();
        for (k, u) in known.zones.iter().zip(&unknown.zones) {
            assert!(!u.direction_known);
            assert!((k.distance_m - u.distance_m).abs() < 1e-9);
            for p in &u.polygon_m {
                assert!((p[0].hypot(p[1]) - u.distance_m).abs() < 1e-6 * u.distance_m);
            }
        }
    }

    #[test]
    fn flammable_zones_and_geojson() {
        let mut req = request(Some(270.0));
        req.substance = ThreatSubstance {
            name_zh: "丙烷".into(),
            name_en: "Propane".into(),
            cas: Some("74-98-6".into()),
            molar_mass_kg_mol: 0.044_097,
            lfl_volume_fraction: Some(0.021),
            toxic_levels: vec![],
        };
        let out = threat_zones(&req).unwrap();
        assert_eq!(out.zones.len(), 2);
        assert_eq!(out.zones[0].level, "LFL");
        assert!((out.zones[0].threshold - 2.1).abs() < 1e-9);
        assert!(out.zones[0].distance_m < out.zones[1].distance_m);
        let origin = GeoOrigin {
            lat_deg: 31.958,
            lon_deg: 120.532,
        };
        let g = zones_geojson(&out, &origin);
        let f = g["features"].as_array().unwrap();
        assert_eq!(f.len(), 2);
        // Wind from the west blows east: every vertex is at or east of the source.
        for p in f[1]["geometry"]["coordinates"][0].as_array().unwrap() {
            assert!(p[0].as_f64().unwrap() >= 120.532 - 1e-6, "{p}");
        }
    }

    fn tank(
        substance: &str,
        phase: crate::discharge::StoredPhase,
        inventory_kg: f64,
    ) -> StorageConditions {
        StorageConditions {
            discharge: serde_json::from_value(serde_json::json!({
                "substance": substance,
                "phase": phase,
                "storage_temperature_k": 298.15,
                "hole_diameter_m": 0.025,
                "inventory_kg": inventory_kg,
                "duration_s": 600.0
            }))
            .unwrap(),
            wind_speed_m_s: 3.0,
            bund_area_m2: Some(200.0),
            ground_temperature_k: 293.15,
        }
    }

    #[test]
    fn liquefied_chlorine_flashes_and_the_rest_evaporates_from_a_pool() {
        let c = tank("7782-50-5", crate::discharge::StoredPhase::Liquid, 75_000.0);
        let e = estimate_release(&c).unwrap();
        let d = &e.discharge;
        // Stored above its boiling point: flashing, part airborne, the rest to a pool.
        assert!(
            d.flash_fraction > 0.1 && d.flash_fraction < 0.3,
            "{}",
            d.flash_fraction
        );
        assert!(d.pool_rate_kg_s > 0.0 && e.pool_evaporation_kg_s > 0.0);
        assert!(e.pool_evaporation_kg_s <= d.pool_rate_kg_s);
        assert!(
            e.pool_area_m2 <= 200.0 + 1e-9,
            "bund-limited: {}",
            e.pool_area_m2
        );
        let ThreatRelease::Continuous {
            mass_rate_kg_s,
            duration_s,
        } = e.release
        else {
            panic!("continuous")
        };
        assert!((mass_rate_kg_s - (d.airborne_rate_kg_s + e.pool_evaporation_kg_s)).abs() < 1e-12);
        assert!(mass_rate_kg_s <= d.initial_mass_rate_kg_s * 1.0001);
        assert_eq!(duration_s, Some(600.0));
        assert!(e.basis_en.contains("25 mm"));
    }

    #[test]
    fn an_unknown_substance_is_refused() {
        let c = tank("no such thing", crate::discharge::StoredPhase::Liquid, 10.0);
        assert!(estimate_release(&c).is_err());
    }

    #[test]
    fn stability_follows_the_table() {
        assert_eq!(stability_from_wind(1.0, true), Stability::B);
        assert_eq!(stability_from_wind(4.0, true), Stability::C);
        assert_eq!(stability_from_wind(8.0, true), Stability::D);
        assert_eq!(stability_from_wind(1.5, false), Stability::E);
        assert_eq!(stability_from_wind(4.0, false), Stability::D);
        assert_eq!(stability_from_wind(f64::NAN, false), Stability::E);
    }

    #[test]
    fn an_ignited_propane_release_maps_heat_and_overpressure_rings() {
        let mut req = request(Some(270.0));
        req.substance.lfl_volume_fraction = Some(0.021);
        req.substance.toxic_levels.clear();
        req.release = ThreatRelease::Continuous {
            mass_rate_kg_s: 5.0,
            duration_s: Some(600.0),
        };
        req.ignition = Some(ThreatIgnition {
            heat_of_combustion_j_kg: 46.35e6,
            pool_diameter_m: Some(10.0),
            heat_of_vaporization_j_kg: Some(4.26e5),
            liquid_heat_capacity_j_kg_k: Some(2.5e3),
            boiling_point_k: Some(231.0),
            tnt_yield: 0.03,
        });
        let out = threat_zones(&req).unwrap();
        let thermal: Vec<&ThreatZoneOut> = out
            .zones
            .iter()
            .filter(|z| z.hazard == Hazard::Thermal)
            .collect();
        let blast: Vec<&ThreatZoneOut> = out
            .zones
            .iter()
            .filter(|z| z.hazard == Hazard::Overpressure)
            .collect();
        assert_eq!(thermal.len(), 3);
        assert_eq!(blast.len(), 3);
        // Lower flux and lower overpressure reach farther.
        assert!(
            thermal[0].distance_m < thermal[1].distance_m
                && thermal[1].distance_m < thermal[2].distance_m
        );
        assert!(
            blast[0].distance_m < blast[1].distance_m && blast[1].distance_m < blast[2].distance_m
        );
        // The blast is centred downwind (east, the wind being from the west).
        let cx =
            blast[2].polygon_m.iter().map(|p| p[0]).sum::<f64>() / blast[2].polygon_m.len() as f64;
        assert!(cx > 0.0, "{cx}");
        // The same overpressure as Kingery–Bulmash at the ring's radius.
        let lfl = out.zones.iter().find(|z| z.level == "LFL").unwrap();
        assert!(lfl.distance_m > 0.0);
    }

    #[test]
    fn bad_input_is_refused_with_the_field() {
        let mut req = request(Some(400.0));
        let e = threat_zones(&req).unwrap_err();
        assert_eq!(e.field(), Some("weather.wind_from_deg"));
        req.weather.wind_from_deg = Some(10.0);
        req.substance.molar_mass_kg_mol = f64::NAN;
        assert_eq!(
            threat_zones(&req).unwrap_err().field(),
            Some("substance.molar_mass_kg_mol")
        );
    }
}
