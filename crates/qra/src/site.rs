//! 场地定量风险评价 — a whole GB/T 37243-2019 quantitative risk assessment from a plant
//! description: installations with their equipment (type, substance, inventory, storage
//! state, position), weather classes and the wind rose, population and protected targets.
//!
//! # The chain (reference `shared/reference/qra-consequence.md` §2, §4–§5, §15)
//!
//! For every piece of equipment:
//!
//! 1. **LOC scenarios** and their frequencies from the equipment type
//!    ([`crate::risk::loc`], Purple Book table, **assumed** where GB/T 37243 App. C is not
//!    public).
//! 2. **Source term** of each LOC ([`crate::discharge::storage_release`]): gas blowdown, or
//!    liquid through the hole with flashing, aerosol and rain-out. Holes: the LOC's hole
//!    diameter; "10-min" LOCs release the inventory at inventory/600 s with the same
//!    fractions; instantaneous LOCs release the whole inventory at once (its airborne part
//!    as a puff, the rest to a pool).
//! 3. **Pool** of the rain-out ([`crate::pool::pool_spread`], bund-limited) and its
//!    evaporation ([`crate::pool::pool_evaporation`]) added to a continuous cloud.
//! 4. **Event tree** ([`crate::risk::ignition::event_tree`]) with the Purple Book direct
//!    ignition probability for the substance category and release size; delayed ignition
//!    and explosion fraction configurable (Purple Book defaults, **assumed**).
//! 5. **Footprints** of each outcome in each weather class, lethality in the wind frame:
//!    - toxic: the toxic load ∫Cⁿdt of the dispersion field ([`crate::plume::PlumeField`],
//!      passive or Britter–McQuaid) through the substance's probit
//!      ([`crate::substance::toxic_endpoints`]); a toxic substance without probit constants
//!      is **not counted** and the result says so in `warnings`;
//!    - flash fire: lethality 1 inside the LFL envelope (Purple Book), 0 outside;
//!    - vapour cloud explosion: TNT equivalence of the flammable mass (the mass released
//!      while the cloud reaches its LFL distance, or the airborne mass of a puff), centred
//!      half-way to the LFL distance downwind ([`crate::vce::TntBlast`]);
//!    - jet fire: point-source radiation q = τ·F·ṁ·ΔH_c/(4πr²) (API 521 / CCPS), radiant
//!      fraction F = 0.2 (**assumed**), through the thermal probit;
//!    - pool fire ([`crate::fire::pool_fire`], Burgess burning rate, Mudan & Croce SEP) and
//!      fireball ([`crate::fire::fireball`], CCPS) through the thermal probit.
//!
//!    An end state with several phenomena (a jet fire with a pool fire) is one risk event
//!    whose footprint combines them as 1 − Π(1 − L) ([`crate::risk::Footprint::combine`]).
//! 6. **Risk integration** ([`crate::risk::assess_site`]): individual risk raster, F-N curve,
//!    GB 36894 evaluation, external safety distances, contours.
//!
//! Footprints are built in parallel (rayon), one per (scenario, outcome, weather class).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::discharge::{StorageReleaseInput, StorageReleaseOutput, StoredPhase, storage_release};
use crate::error::{QraError, check};
use crate::fire::{FireballCorrelation, FireballInput, PoolFireInput, fireball, pool_fire};
use crate::plume::{DispersionOptions, DispersionSource, DispersionWeather, PlumeField, ToxicLoad};
use crate::probit::{
    OverpressureHarm, ThermalHarm, ThermalProbitMethod, probability_from_probit,
    standard_normal_quantile, thermal_lethality,
};
use crate::risk::criteria::RiskCriteria;
use crate::risk::ignition::{
    DirectIgnitionInput, EventTreeInput, IgnitionCategory, Outcome, Release as IgnitionRelease,
    ReleaseKind, TreeSubstance, event_tree, purple_book_direct_ignition,
};
use crate::risk::loc::{Equipment, LocScenario, loc_scenarios};
use crate::risk::{
    Boundary, DirectionalSampling, Footprint, GridSpec, Installation, InstallationStatus,
    PopulationItem, ProtectedTarget, RiskEvent, SiteAssessment, SiteRiskInput, SiteRiskOptions,
    WeatherClass, WindRose, assess_site,
};
use crate::substance::{self, Substance};

const MODEL: &str = "qra_site";

/// A piece of equipment of a study (设备).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyEquipment {
    /// Identifier (e.g. the equipment code `TK-1101`).
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Type and size for the LOC table.
    pub loc: Equipment,
    /// Position, east, local m.
    pub x_m: f64,
    /// Position, north, local m.
    pub y_m: f64,
    /// Substance: CAS number or name ([`crate::substance::lookup`]).
    pub substance: String,
    /// Inventory that can be released, kg.
    pub inventory_kg: f64,
    /// Stored as `gas` or `liquid` (a liquefied gas is a liquid).
    pub phase: StoredPhase,
    /// Storage temperature, K (default 293.15).
    #[serde(default = "default_storage_temperature")]
    pub storage_temperature_k: f64,
    /// Storage absolute pressure, Pa (gas: required; liquid: default the vapour pressure,
    /// or ambient).
    #[serde(default)]
    pub storage_pressure_pa: Option<f64>,
    /// Release height, m (default 1).
    #[serde(default = "default_release_height")]
    pub release_height_m: f64,
    /// Bund (dike) area, m² (absent: free spreading).
    #[serde(default)]
    pub bund_area_m2: Option<f64>,
    /// Purple Book ignition category (default from the substance).
    #[serde(default)]
    pub ignition_category: Option<IgnitionCategory>,
}

fn default_storage_temperature() -> f64 {
    293.15
}
fn default_release_height() -> f64 {
    1.0
}

/// An installation of a study (装置/设施).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyInstallation {
    /// Identifier.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Boundary the external safety distances are measured from.
    pub boundary: Boundary,
    /// Equipment.
    pub equipment: Vec<StudyEquipment>,
}

/// Model settings of a study (all defaults **assumed**, reference §14).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StudyModels {
    /// Thermal exposure, s (Purple Book escape time 20 s).
    pub thermal_exposure_s: f64,
    /// Thermal probit.
    pub thermal_probit: ThermalProbitMethod,
    /// Longest toxic exposure, s (30 min, reference §14.1).
    pub toxic_exposure_cap_s: f64,
    /// Overpressure harm (Purple Book outdoor: 1 above 0.3 bar).
    pub overpressure_harm: OverpressureHarm,
    /// TNT yield of vapour cloud explosions (0.03).
    pub tnt_yield: f64,
    /// Radiant fraction of the point-source jet fire (0.2).
    pub jet_fire_radiant_fraction: f64,
    /// Delayed ignition probability given no direct ignition (Purple Book: 1 within the
    /// site; the whole cloud ignites somewhere).
    pub delayed_ignition_probability: f64,
    /// Fraction of delayed ignitions that explode (Purple Book 0.4).
    pub explosion_fraction: f64,
    /// Release duration cap of hole LOCs, s (detection and isolation; 1800 s, Purple Book).
    pub max_release_duration_s: f64,
    /// Footprint sampling step, m (default: the grid cell size).
    pub footprint_step_m: Option<f64>,
    /// Lethality below which a footprint ends (1e-4).
    pub negligible_lethality: f64,
}

impl Default for StudyModels {
    fn default() -> Self {
        StudyModels {
            thermal_exposure_s: 20.0,
            thermal_probit: ThermalProbitMethod::TsaoPerry,
            toxic_exposure_cap_s: 1800.0,
            overpressure_harm: OverpressureHarm::PurpleBookOutdoor,
            tnt_yield: 0.03,
            jet_fire_radiant_fraction: 0.2,
            delayed_ignition_probability: 1.0,
            explosion_fraction: 0.4,
            max_release_duration_s: 1800.0,
            footprint_step_m: None,
            negligible_lethality: 1e-4,
        }
    }
}

/// Input of [`assess_study`]: `weihua qra site FILE` and `POST /api/v1/qra/studies`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyInput {
    /// Name of the study.
    pub name: String,
    /// The raster (with `geo_origin` for GeoJSON output).
    pub grid: GridSpec,
    /// Weather classes.
    pub weather: Vec<WeatherClass>,
    /// Wind rose.
    pub wind_rose: WindRose,
    /// Installations and their equipment.
    pub installations: Vec<StudyInstallation>,
    /// Population.
    #[serde(default)]
    pub population: Vec<PopulationItem>,
    /// Protected targets.
    #[serde(default)]
    pub protected_targets: Vec<ProtectedTarget>,
    /// New or in-service installations (criteria column).
    #[serde(default)]
    pub installation_status: InstallationStatus,
    /// Criteria (GB 36894 defaults).
    #[serde(default)]
    pub criteria: RiskCriteria,
    /// Contour levels, per year (default: the criterion levels).
    #[serde(default)]
    pub contour_levels_per_year: Option<Vec<f64>>,
    /// Risk-integration options.
    #[serde(default)]
    pub options: SiteRiskOptions,
    /// Model settings.
    #[serde(default)]
    pub models: StudyModels,
}

/// One scenario of the study as computed, for the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioSummary {
    /// `{equipment}/{loc kind}`.
    pub id: String,
    /// Installation.
    pub installation_id: String,
    /// Equipment.
    pub equipment_id: String,
    /// Substance (CAS).
    pub cas: String,
    /// LOC.
    pub loc: LocScenario,
    /// Mass rate out of the hole, kg/s (continuous).
    pub rate_kg_s: Option<f64>,
    /// Mass released at once, kg (instantaneous).
    pub mass_kg: Option<f64>,
    /// Release duration, s (continuous).
    pub duration_s: Option<f64>,
    /// Airborne fraction.
    pub airborne_fraction: f64,
    /// Direct ignition probability.
    pub direct_ignition_probability: f64,
    /// End states: their phenomena and frequency per year (after the event tree).
    pub outcomes: Vec<(Vec<Outcome>, f64)>,
}

/// Output of [`assess_study`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyResult {
    /// The study's name.
    pub name: String,
    /// Scenarios as computed.
    pub scenarios: Vec<ScenarioSummary>,
    /// Number of risk events integrated.
    pub events: usize,
    /// What could not be counted, and why (both languages).
    pub warnings: Vec<String>,
    /// The risk integration.
    pub assessment: SiteAssessment,
}

/// Ambient conditions of the chain (**assumed**).
const AMBIENT_T: f64 = 293.15;
const AMBIENT_P: f64 = 101_325.0;

struct Prepared<'a> {
    installation: &'a StudyInstallation,
    equipment: &'a StudyEquipment,
    substance: &'static Substance,
    loc: LocScenario,
    /// Discharge fractions and states (with the LOC's hole, or a 10 mm hole for the
    /// fractions of rate-defined LOCs).
    discharge: StorageReleaseOutput,
    source: Source,
    pool_diameter_m: Option<f64>,
    direct_ignition: f64,
    end_states: Vec<(Vec<Outcome>, f64)>,
}

#[derive(Clone, Copy)]
enum Source {
    /// Cloud rate kg/s (airborne + evaporation), hole rate kg/s, duration s.
    Continuous {
        cloud_kg_s: f64,
        hole_kg_s: f64,
        duration_s: f64,
    },
    /// Airborne mass, total mass.
    Instantaneous { airborne_kg: f64, total_kg: f64 },
}

/// The whole assessment. See the [module documentation](self).
pub fn assess_study(input: &StudyInput) -> Result<StudyResult, QraError> {
    let models = &input.models;
    check(
        "models.thermal_exposure_s",
        models.thermal_exposure_s,
        "0 < value <= 3600",
        |v| v > 0.0 && v <= 3600.0,
    )?;
    check(
        "models.toxic_exposure_cap_s",
        models.toxic_exposure_cap_s,
        "1 <= value <= 86400",
        |v| (1.0..=86_400.0).contains(&v),
    )?;
    check(
        "models.tnt_yield",
        models.tnt_yield,
        "0 < value <= 1",
        |v| v > 0.0 && v <= 1.0,
    )?;
    check(
        "models.jet_fire_radiant_fraction",
        models.jet_fire_radiant_fraction,
        "0 < value <= 1",
        |v| v > 0.0 && v <= 1.0,
    )?;
    check(
        "models.max_release_duration_s",
        models.max_release_duration_s,
        "1 <= value <= 86400",
        |v| (1.0..=86_400.0).contains(&v),
    )?;
    check(
        "models.negligible_lethality",
        models.negligible_lethality,
        "0 < value < 0.5",
        |v| v > 0.0 && v < 0.5,
    )?;
    let step = check(
        "models.footprint_step_m",
        models.footprint_step_m.unwrap_or(input.grid.cell_size_m),
        "0.5 <= value <= 1000",
        |v| (0.5..=1000.0).contains(&v),
    )?;
    if input.installations.is_empty() {
        return Err(QraError::InvalidInput {
            model: MODEL,
            message: "a study needs at least one installation / 评价至少需要一个装置".into(),
        });
    }
    let mut warnings = Vec::new();
    let mut prepared = Vec::new();
    for inst in &input.installations {
        for eq in &inst.equipment {
            prepared.extend(prepare(inst, eq, models, &mut warnings)?);
        }
    }
    // Toxic probits that are missing: counted once per substance in the warnings.
    for p in &prepared {
        if p.substance.toxic
            && p.substance
                .toxic_endpoints()
                .and_then(|t| t.probit)
                .is_none()
        {
            let w = format!(
                "{} ({}): no toxic probit constants entered, toxic dispersion not counted / {}（{}）：未录入毒性概率函数常数，未计入中毒后果",
                p.substance.name_en, p.substance.cas, p.substance.name_zh, p.substance.cas
            );
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
    }
    // The toxic-load tables, once per substance (each takes milliseconds to prepare).
    let mut loads: BTreeMap<String, ToxicLoad> = BTreeMap::new();
    for p in &prepared {
        if let Some(probit) = p.substance.toxic_endpoints().and_then(|t| t.probit)
            && !loads.contains_key(&p.substance.cas)
        {
            loads.insert(
                p.substance.cas.clone(),
                ToxicLoad::new(probit.n, 1e6, models.toxic_exposure_cap_s)?,
            );
        }
    }
    // The dispersion field of every scenario in every weather class, and its LFL envelope,
    // once: toxic, flash-fire and explosion footprints share them.
    let needs_field = |p: &Prepared| {
        p.end_states.iter().any(|(os, f)| {
            *f > 0.0
                && os
                    .iter()
                    .any(|o| matches!(o, Outcome::Toxic | Outcome::FlashFire | Outcome::Vce))
        })
    };
    let pairs: Vec<(usize, usize)> = (0..prepared.len())
        .filter(|&pi| needs_field(&prepared[pi]))
        .flat_map(|pi| (0..input.weather.len()).map(move |wi| (pi, wi)))
        .collect();
    let computed: Vec<Result<Dispersion, QraError>> = pairs
        .par_iter()
        .map(|&(pi, wi)| dispersion(&prepared[pi], &input.weather[wi]))
        .collect();
    let mut fields: BTreeMap<(usize, usize), Dispersion> = BTreeMap::new();
    for (key, d) in pairs.into_iter().zip(computed) {
        fields.insert(key, d?);
    }
    // One job per (scenario, end state): a footprint per weather class, or one for all
    // (`"*"`) when every phenomenon of the end state ignores the weather (fires).
    let mut jobs = Vec::new();
    for (pi, p) in prepared.iter().enumerate() {
        for (oi, (outcomes, f)) in p.end_states.iter().enumerate() {
            if *f > 0.0 && outcomes.iter().any(|o| *o != Outcome::NoEffect) {
                jobs.push((pi, oi));
            }
        }
    }
    let built: Vec<Result<BTreeMap<String, Footprint>, QraError>> = jobs
        .par_iter()
        .map(|&(pi, oi)| {
            let p = &prepared[pi];
            let far = farthest_corner(&input.grid, p.equipment.x_m, p.equipment.y_m);
            let outcomes = &p.end_states[oi].0;
            let weatherless = outcomes
                .iter()
                .all(|o| matches!(o, Outcome::JetFire | Outcome::PoolFire | Outcome::Fireball));
            let mut out = BTreeMap::new();
            let classes: Vec<Option<usize>> = if weatherless {
                vec![None]
            } else {
                (0..input.weather.len()).map(Some).collect()
            };
            for wi in classes {
                let d = wi.and_then(|wi| fields.get(&(pi, wi)));
                let mut parts = Vec::new();
                for o in outcomes {
                    if let Some(fp) = footprint(p, *o, d, models, step, far, &loads)? {
                        parts.push(fp);
                    }
                }
                let fp = match parts.len() {
                    0 => None,
                    1 => parts.pop(),
                    _ => Some(Footprint::combine(&parts, step)?),
                };
                if let Some(fp) = fp {
                    let key = match wi {
                        Some(wi) => input.weather[wi].id.clone(),
                        None => "*".to_owned(),
                    };
                    out.insert(key, fp);
                }
            }
            Ok(out)
        })
        .collect();
    let mut by_event: BTreeMap<(usize, usize), BTreeMap<String, Footprint>> = BTreeMap::new();
    for (key, fps) in jobs.iter().zip(built) {
        let fps = fps?;
        if !fps.is_empty() {
            by_event.insert(*key, fps);
        }
    }
    let mut events = Vec::new();
    for ((pi, oi), footprints) in by_event {
        let p = &prepared[pi];
        let (outcomes, f) = &p.end_states[oi];
        let outcome = outcomes.first().copied().unwrap_or(Outcome::NoEffect);
        let names: Vec<&str> = outcomes.iter().map(|o| outcome_name(*o)).collect();
        events.push(RiskEvent {
            id: format!("{}/{:?}/{}", scenario_id(p), p.loc.kind, names.join("+")),
            installation_id: p.installation.id.clone(),
            x_m: p.equipment.x_m,
            y_m: p.equipment.y_m,
            frequency_per_year: *f,
            outcome: Some(outcome),
            indoor_lethality_factor: None,
            footprints,
        });
    }
    let scenarios = prepared.iter().map(summary).collect();
    let n_events = events.len();
    let risk = SiteRiskInput {
        grid: input.grid.clone(),
        weather: input.weather.clone(),
        wind_rose: input.wind_rose.clone(),
        events,
        population: input.population.clone(),
        protected_targets: input.protected_targets.clone(),
        installations: input
            .installations
            .iter()
            .map(|i| Installation {
                id: i.id.clone(),
                name: i.name.clone(),
                boundary: i.boundary.clone(),
            })
            .collect(),
        installation_status: input.installation_status,
        criteria: input.criteria,
        contour_levels_per_year: input.contour_levels_per_year.clone(),
        options: input.options.clone(),
    };
    let assessment = assess_site(&risk)?;
    Ok(StudyResult {
        name: input.name.clone(),
        scenarios,
        events: n_events,
        warnings,
        assessment,
    })
}

/// [`assess_study`] over JSON.
pub fn assess_study_json(input: serde_json::Value) -> Result<serde_json::Value, QraError> {
    crate::run_json(MODEL, input, assess_study)
}

fn scenario_id(p: &Prepared) -> String {
    format!("{}/{}", p.installation.id, p.equipment.id)
}

fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Toxic => "toxic",
        Outcome::JetFire => "jet_fire",
        Outcome::PoolFire => "pool_fire",
        Outcome::Fireball => "fireball",
        Outcome::FlashFire => "flash_fire",
        Outcome::Vce => "vce",
        Outcome::NoEffect => "no_effect",
    }
}

fn summary(p: &Prepared) -> ScenarioSummary {
    let (rate, mass, duration) = match p.source {
        Source::Continuous {
            hole_kg_s,
            duration_s,
            ..
        } => (Some(hole_kg_s), None, Some(duration_s)),
        Source::Instantaneous { total_kg, .. } => (None, Some(total_kg), None),
    };
    ScenarioSummary {
        id: format!("{}/{:?}", scenario_id(p), p.loc.kind),
        installation_id: p.installation.id.clone(),
        equipment_id: p.equipment.id.clone(),
        cas: p.substance.cas.clone(),
        loc: p.loc.clone(),
        rate_kg_s: rate,
        mass_kg: mass,
        duration_s: duration,
        airborne_fraction: p.discharge.airborne_fraction,
        direct_ignition_probability: p.direct_ignition,
        outcomes: p.end_states.clone(),
    }
}

/// Substances of low reactivity in the Purple Book ignition table.
const LOW_REACTIVITY: [&str; 4] = ["7664-41-7", "630-08-0", "74-82-8", "74-83-9"];

fn prepare<'a>(
    inst: &'a StudyInstallation,
    eq: &'a StudyEquipment,
    models: &StudyModels,
    warnings: &mut Vec<String>,
) -> Result<Vec<Prepared<'a>>, QraError> {
    let sub = substance::require(MODEL, &eq.substance)?;
    let inventory = check(
        "equipment.inventory_kg",
        eq.inventory_kg,
        "0 < value <= 1e9",
        |v| v > 0.0 && v <= 1e9,
    )?;
    check("equipment.x_m", eq.x_m, "|value| <= 1e6", |v| {
        v.abs() <= 1e6
    })?;
    check("equipment.y_m", eq.y_m, "|value| <= 1e6", |v| {
        v.abs() <= 1e6
    })?;
    let gas_at_ambient = sub.normal_boiling_point_k < AMBIENT_T;
    let tree_substance = if sub.flammable && sub.lfl_vol_frac.is_some() {
        if gas_at_ambient {
            TreeSubstance::FlammableGas
        } else {
            TreeSubstance::FlammableLiquid
        }
    } else if sub.toxic {
        TreeSubstance::Toxic
    } else {
        warnings.push(format!(
            "{} ({}) at {}: neither flammable nor toxic in the table, not counted / {}（{}）位于 {}：物性表中既非可燃也非有毒，未计入",
            sub.name_en, sub.cas, eq.id, sub.name_zh, sub.cas, eq.id
        ));
        return Ok(Vec::new());
    };
    let category = eq.ignition_category.unwrap_or(if gas_at_ambient {
        if LOW_REACTIVITY.contains(&sub.cas.as_str()) {
            IgnitionCategory::LowReactivityGas
        } else {
            IgnitionCategory::AverageHighReactivityGas
        }
    } else if sub.flash_point_k.is_some_and(|f| f < 294.15) {
        IgnitionCategory::K1Liquid
    } else {
        IgnitionCategory::K2K3Liquid
    });
    let mut out = Vec::new();
    for loc in loc_scenarios(&eq.loc)? {
        if loc.frequency_per_year <= 0.0 {
            continue;
        }
        // The fractions and states with the LOC's hole (10 mm when the LOC is defined by a
        // rate or is instantaneous: fractions do not depend on the hole).
        let hole_m = loc.hole_diameter_mm.unwrap_or(10.0) / 1000.0;
        let discharge = storage_release(&StorageReleaseInput {
            substance: sub.cas.clone(),
            phase: eq.phase,
            storage_temperature_k: eq.storage_temperature_k,
            storage_pressure_pa: eq.storage_pressure_pa,
            hole_diameter_m: hole_m,
            discharge_coefficient: 0.61,
            inventory_kg: inventory,
            vessel_volume_m3: None,
            liquid_head_m: 0.0,
            duration_s: loc
                .release_duration_s
                .unwrap_or(models.max_release_duration_s),
            ambient_pressure_pa: AMBIENT_P,
            ambient_temperature_k: AMBIENT_T,
            aerosol_factor: 2.0,
            blowdown_mode: Default::default(),
        })?;
        let airborne = discharge.airborne_fraction.clamp(0.0, 1.0);
        let (source, pool_kg, pool_rate) = if loc.instantaneous {
            (
                Source::Instantaneous {
                    airborne_kg: inventory * airborne,
                    total_kg: inventory,
                },
                inventory * (1.0 - airborne),
                None,
            )
        } else {
            let (rate, duration) = match (loc.hole_diameter_mm, loc.release_duration_s) {
                (Some(_), _) => (
                    discharge.average_mass_rate_kg_s,
                    discharge.release_duration_s,
                ),
                // Rate-defined LOC (the inventory in 10 min).
                (None, Some(d)) => (inventory / d, d),
                (None, None) => (
                    discharge.average_mass_rate_kg_s,
                    discharge.release_duration_s,
                ),
            };
            let pool_rate = rate * (1.0 - airborne);
            (
                Source::Continuous {
                    cloud_kg_s: rate * airborne,
                    hole_kg_s: rate,
                    duration_s: duration.max(1.0),
                },
                pool_rate * duration,
                Some(pool_rate),
            )
        };
        // The pool and its evaporation.
        let mut pool_diameter = None;
        let mut source = source;
        if pool_kg > 1e-6 {
            let rho = crate::discharge::liquid_density_at(sub, discharge.release_temperature_k)
                .or(sub.liquid_density_20c_kg_m3);
            if let Some(rho) = rho {
                let time = match source {
                    Source::Continuous { duration_s, .. } => duration_s,
                    Source::Instantaneous { .. } => 600.0,
                };
                let spread = crate::pool::pool_spread(&crate::pool::PoolSpreadInput {
                    spill_volume_m3: pool_rate.is_none().then_some(pool_kg / rho),
                    spill_rate_m3_s: pool_rate.map(|r| r / rho),
                    time_s: time,
                    bund_area_m2: eq.bund_area_m2,
                    min_thickness_m: 0.005,
                })?;
                pool_diameter = Some((4.0 * spread.area_m2 / std::f64::consts::PI).sqrt());
                if let (
                    Source::Continuous {
                        cloud_kg_s,
                        hole_kg_s,
                        duration_s,
                    },
                    Some(hv),
                    Some(r),
                ) = (source, sub.heat_of_vaporisation_tb_j_kg, pool_rate)
                {
                    let ev = crate::pool::pool_evaporation(&crate::pool::PoolEvaporationInput {
                        pool_area_m2: spread.area_m2.max(1e-3),
                        // The pool's evaporation at a moderate wind (5 m/s, **assumed**): the
                        // source term is fixed per scenario, not per weather class.
                        wind_speed_m_s: 5.0,
                        molar_mass_kg_mol: sub.molar_mass_kg_mol,
                        normal_boiling_point_k: sub.normal_boiling_point_k,
                        heat_of_vaporisation_j_kg: hv,
                        pool_temperature_k: discharge.release_temperature_k,
                        vapour_pressure_pa: None,
                        ground_temperature_k: AMBIENT_T,
                        time_s: duration_s,
                        pool_mass_kg: Some(pool_kg),
                        ambient_pressure_pa: AMBIENT_P,
                        vapour_diffusivity_m2_s: None,
                        air_kinematic_viscosity_m2_s: 1.5e-5,
                        ground_conductivity_w_m_k: 0.9,
                        ground_diffusivity_m2_s: 4.3e-7,
                        extra_heat_flux_w_m2: 0.0,
                    })?;
                    source = Source::Continuous {
                        cloud_kg_s: cloud_kg_s + ev.evaporation_rate_kg_s.min(r),
                        hole_kg_s,
                        duration_s,
                    };
                }
            }
        }
        let direct = match tree_substance {
            TreeSubstance::Toxic => 0.0,
            _ => purple_book_direct_ignition(&DirectIgnitionInput {
                category,
                release: match source {
                    Source::Continuous { hole_kg_s, .. } => IgnitionRelease::Continuous {
                        rate_kg_s: hole_kg_s.max(1e-9),
                    },
                    Source::Instantaneous { total_kg, .. } => IgnitionRelease::Instantaneous {
                        mass_kg: total_kg.max(1e-9),
                    },
                },
            })?,
        };
        let tree = event_tree(&EventTreeInput {
            substance: tree_substance,
            release: if loc.instantaneous {
                ReleaseKind::Instantaneous
            } else {
                ReleaseKind::Continuous
            },
            toxic: sub.toxic,
            direct_ignition_probability: direct,
            delayed_ignition_probability: models.delayed_ignition_probability,
            explosion_fraction: models.explosion_fraction,
            rainout: pool_diameter.is_some(),
        })?;
        let end_states = tree
            .end_states
            .iter()
            .map(|s| (s.outcomes.clone(), loc.frequency_per_year * s.probability))
            .collect();
        out.push(Prepared {
            installation: inst,
            equipment: eq,
            substance: sub,
            loc,
            discharge,
            source,
            pool_diameter_m: pool_diameter,
            direct_ignition: direct,
            end_states,
        });
    }
    Ok(out)
}

/// A scenario's dispersion in one weather class: its field and its LFL envelope.
struct Dispersion {
    field: PlumeField,
    /// LFL in kg/m³ and its zone, for flammable substances.
    lfl: Option<(f64, crate::plume::ThreatZone)>,
}

/// The dispersion field of a prepared scenario in one weather class.
fn dispersion(p: &Prepared, w: &WeatherClass) -> Result<Dispersion, QraError> {
    let release = match p.source {
        Source::Continuous {
            cloud_kg_s,
            duration_s,
            ..
        } => crate::dense::Release::Continuous {
            mass_rate_kg_s: cloud_kg_s.max(1e-9),
            duration_s: Some(duration_s),
        },
        Source::Instantaneous { airborne_kg, .. } => crate::dense::Release::Instantaneous {
            mass_kg: airborne_kg.max(1e-9),
        },
    };
    let field = PlumeField::new(
        &DispersionSource {
            release,
            release_height_m: p.equipment.release_height_m,
            release_density_kg_m3: Some(p.discharge.release_density_kg_m3),
            release_temperature_k: Some(p.discharge.release_temperature_k),
            molar_mass_kg_mol: Some(p.substance.molar_mass_kg_mol),
        },
        &DispersionWeather {
            stability: w.stability,
            wind_speed_m_s: w.wind_speed_m_s,
            wind_reference_height_m: 10.0,
            ambient_temperature_k: AMBIENT_T,
            ambient_pressure_pa: AMBIENT_P,
        },
        &DispersionOptions {
            max_distance_m: 20_000.0,
            ..DispersionOptions::default()
        },
    )?;
    let lfl = match (p.substance.flammable, p.substance.lfl_vol_frac) {
        (true, Some(lfl)) => {
            let kg = lfl
                * crate::dense::ideal_gas_density(
                    p.substance.molar_mass_kg_mol,
                    AMBIENT_T,
                    AMBIENT_P,
                );
            Some((kg, field.zone(kg, 96)))
        }
        _ => None,
    };
    Ok(Dispersion { field, lfl })
}

/// The radius beyond which `lethality(r)` stays below `floor` (with a 5 % + 1 m margin),
/// searched up to 20 km by the models' shared root finder; 0 when nowhere above.
fn reach(floor: f64, lethality: impl Fn(f64) -> f64) -> f64 {
    crate::numeric::outer_crossing(lethality, floor, 0.0, 20_000.0).map_or(0.0, |r| r * 1.05 + 1.0)
}

/// Distance from `(x, y)` to the farthest corner of the grid: no footprint needs to reach
/// beyond it.
fn farthest_corner(g: &GridSpec, x: f64, y: f64) -> f64 {
    let (x0, y0) = (g.origin_x_m, g.origin_y_m);
    let (x1, y1) = (x0 + g.width_m, y0 + g.height_m);
    [(x0, y0), (x0, y1), (x1, y0), (x1, y1)]
        .iter()
        .map(|(cx, cy)| (cx - x).hypot(cy - y))
        .fold(0.0, f64::max)
        + 2.0 * g.cell_size_m
}

/// The upper half of a zone polygon as a half-width profile `(x, half-width)` sorted by x.
fn envelope(polygon: &[[f64; 2]]) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = polygon
        .iter()
        .filter(|p| p[1] >= 0.0)
        .map(|p| (p[0], p[1]))
        .collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
    pts.dedup_by(|b, a| a.0 == b.0);
    pts
}

/// Half-width of the profile at `x` (linear between vertices, 0 outside).
fn half_width(env: &[(f64, f64)], x: f64) -> f64 {
    let i = env.partition_point(|p| p.0 < x);
    if i == 0 || i >= env.len() {
        return match env.get(i) {
            Some(p) if p.0 == x => p.1,
            _ => 0.0,
        };
    }
    let (a, b) = (env[i - 1], env[i]);
    let t = if b.0 > a.0 {
        (x - a.0) / (b.0 - a.0)
    } else {
        1.0
    };
    a.1 + t * (b.1 - a.1)
}

/// Sampling box of a directional footprint from its envelope zone, cut at the grid's reach,
/// with a step that keeps it to about 300 × 120 samples.
fn sampling(
    zone: &crate::plume::ThreatZone,
    step: f64,
    far: f64,
    floor: f64,
) -> DirectionalSampling {
    let x_max = (zone.max_distance_m * 1.05 + step).min(far);
    let x_min = (zone.min_distance_m.min(0.0) - step).max(-far);
    let y_max = (zone.max_half_width_m * 1.1 + step).min(far);
    let st = step.max((x_max - x_min) / 300.0).max(y_max / 60.0);
    DirectionalSampling {
        x_min_m: x_min,
        x_max_m: x_max.max(x_min + st),
        y_min_m: -y_max,
        y_max_m: y_max,
        step_m: st,
        negligible_lethality: floor,
    }
}

fn footprint(
    p: &Prepared,
    outcome: Outcome,
    d: Option<&Dispersion>,
    m: &StudyModels,
    step: f64,
    far: f64,
    loads: &BTreeMap<String, ToxicLoad>,
) -> Result<Option<Footprint>, QraError> {
    let sub = p.substance;
    let floor = m.negligible_lethality;
    let harm = ThermalHarm {
        method: m.thermal_probit,
        exposure_s: m.thermal_exposure_s,
        lethal_flux_w_m2: None,
        probit_factor: 1.0,
    };
    let radial = |f: &dyn Fn(f64) -> f64| -> Result<Option<Footprint>, QraError> {
        let r = reach(floor, f);
        if r <= 0.0 {
            return Ok(None);
        }
        let step = step.min(r / 4.0).max(0.25);
        Footprint::radial_from_fn(r, step, f).map(Some)
    };
    match outcome {
        Outcome::NoEffect => Ok(None),
        Outcome::Toxic => {
            let (Some(probit), Some(load)) = (
                sub.toxic_endpoints().and_then(|t| t.probit),
                loads.get(&sub.cas),
            ) else {
                return Ok(None);
            };
            let Some(Dispersion { field, .. }) = d else {
                return Ok(None);
            };
            // Concentration of the probit in mg/m³ (k = 1e6 from kg/m³), time in min.
            let load = *load;
            let lethality = |x: f64, y: f64| -> f64 {
                let l = field.toxic_load(&load, x, y) / 60.0;
                if l > 0.0 {
                    probability_from_probit(probit.a + probit.b * l.ln())
                } else {
                    0.0
                }
            };
            // The box: the zone of the concentration giving the floor lethality over the
            // longest exposure (a larger zone than any shorter exposure's); outside it the
            // lethality is below the floor, so the toxic load is not even computed there.
            let pr_floor = 5.0 + standard_normal_quantile(floor);
            let c_mg = ((pr_floor - probit.a) / probit.b).exp() / (m.toxic_exposure_cap_s / 60.0);
            let c_floor = c_mg.powf(1.0 / probit.n) * 1e-6;
            let zone = field.zone(c_floor, 96);
            if !zone.reached {
                return Ok(None);
            }
            let env = envelope(&zone.polygon);
            let s = sampling(&zone, step, far, floor);
            let margin = s.step_m;
            Footprint::directional_from_fn(&s, |x, y| {
                if y.abs() > half_width(&env, x) + margin {
                    0.0
                } else {
                    lethality(x, y)
                }
            })
            .map(Some)
        }
        Outcome::FlashFire => {
            let Some(Dispersion {
                field,
                lfl: Some((lfl_kg, zone)),
            }) = d
            else {
                return Ok(None);
            };
            if !zone.reached {
                return Ok(None);
            }
            let lfl_kg = *lfl_kg;
            let env = envelope(&zone.polygon);
            let s = sampling(zone, step, far, floor);
            let margin = s.step_m;
            Footprint::directional_from_fn(&s, |x, y| {
                if y.abs() <= half_width(&env, x) + margin
                    && field.concentration_kg_m3(x, y) >= lfl_kg
                {
                    1.0
                } else {
                    0.0
                }
            })
            .map(Some)
        }
        Outcome::Vce => {
            let (
                Some(Dispersion {
                    field,
                    lfl: Some((_, zone)),
                }),
                Some(hc),
            ) = (d, sub.heat_of_combustion_j_kg)
            else {
                return Ok(None);
            };
            if !zone.reached {
                return Ok(None);
            }
            let x_lfl = zone.max_distance_m.max(0.0);
            let mass = match p.source {
                Source::Continuous {
                    cloud_kg_s,
                    duration_s,
                    ..
                } => {
                    cloud_kg_s * (x_lfl / field.transport_wind_speed_m_s().max(0.5)).min(duration_s)
                }
                Source::Instantaneous { airborne_kg, .. } => airborne_kg,
            };
            if mass <= 0.0 {
                return Ok(None);
            }
            let blast = crate::vce::TntBlast {
                tnt_mass_kg: m.tnt_yield * mass * hc / crate::vce::TNT_BLAST_ENERGY_J_KG,
            };
            let harm = m.overpressure_harm;
            let f = |r: f64| blast.lethality_at(r.max(0.5), harm).unwrap_or(0.0);
            Ok(radial(&f)?.map(|fp| fp.with_offset(0.5 * x_lfl, 0.0)))
        }
        Outcome::JetFire => {
            let (Some(hc), Source::Continuous { hole_kg_s, .. }) =
                (sub.heat_of_combustion_j_kg, p.source)
            else {
                return Ok(None);
            };
            let power = m.jet_fire_radiant_fraction * hole_kg_s * hc;
            let f = |r: f64| {
                let r = r.max(1.0);
                thermal_lethality(power / (4.0 * std::f64::consts::PI * r * r), &harm)
            };
            radial(&f)
        }
        Outcome::PoolFire => {
            let (Some(d), Some(hc)) = (p.pool_diameter_m, sub.heat_of_combustion_j_kg) else {
                return Ok(None);
            };
            let out = pool_fire(&PoolFireInput {
                pool_diameter_m: Some(d.max(0.1)),
                heat_of_combustion_j_kg: Some(hc),
                heat_of_vaporization_j_kg: sub.heat_of_vaporisation_tb_j_kg,
                liquid_heat_capacity_j_kg_k: sub.liquid_cp_tb_j_kg_k,
                boiling_point_k: Some(sub.normal_boiling_point_k),
                ..serde_json::from_value(serde_json::json!({"distance_m": d.max(0.1)})).map_err(
                    |e| QraError::InvalidInput {
                        model: MODEL,
                        message: e.to_string(),
                    },
                )?
            })?;
            let flame = out.flame;
            let f = |r: f64| flame.lethality_at(r.max(0.5 * d + 0.1), &harm);
            radial(&f)
        }
        Outcome::Fireball => {
            let Source::Instantaneous { total_kg, .. } = p.source else {
                return Ok(None);
            };
            let out = fireball(&FireballInput {
                mass_kg: total_kg,
                correlation: FireballCorrelation::Ccps,
                heat_of_combustion_j_kg: sub.heat_of_combustion_j_kg,
                burst_pressure_pa: Some(p.discharge.storage_pressure_pa),
                ..serde_json::from_value(serde_json::json!({
                    "mass_kg": total_kg, "correlation": "ccps", "distance_m": 100.0
                }))
                .map_err(|e| QraError::InvalidInput {
                    model: MODEL,
                    message: e.to_string(),
                })?
            })?;
            let flame = out.flame;
            let f = |r: f64| flame.lethality_at(r, &harm);
            radial(&f)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn study(substance: &str, phase: &str, inventory_kg: f64) -> StudyInput {
        serde_json::from_value(json!({
            "name": "test",
            "grid": {"origin_x_m": -1000.0, "origin_y_m": -1000.0, "width_m": 2000.0,
                     "height_m": 2000.0, "cell_size_m": 10.0,
                     "geo_origin": {"lat_deg": 31.958, "lon_deg": 120.532}},
            "weather": [
                {"id": "D5", "stability": "D", "wind_speed_m_s": 5.0, "probability": 0.6, "period": "day"},
                {"id": "F2", "stability": "F", "wind_speed_m_s": 2.0, "probability": 0.4, "period": "night"}
            ],
            // All the wind from the south: everything blows north.
            "wind_rose": {"overall": [0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0]},
            "installations": [{
                "id": "I1", "name": "罐区",
                "boundary": {"type": "circle", "x_m": 0.0, "y_m": 0.0, "radius_m": 20.0},
                "equipment": [{
                    "id": "TK-1", "loc": {"equipment": "pressure_vessel"},
                    "x_m": 0.0, "y_m": 0.0, "substance": substance, "inventory_kg": inventory_kg,
                    "phase": phase, "storage_temperature_k": 293.15
                }]
            }],
            "population": [{"geometry": {"type": "point", "x_m": 0.0, "y_m": 300.0},
                            "day_count": 50.0, "night_count": 50.0}],
            "protected_targets": [
                {"id": "N", "name": "北侧居民", "class": "general_1",
                 "geometry": {"type": "point", "x_m": 0.0, "y_m": 400.0}},
                {"id": "S", "name": "南侧学校", "class": "high_sensitive",
                 "geometry": {"type": "point", "x_m": 0.0, "y_m": -400.0}}
            ]
        }))
        .unwrap()
    }

    fn ir_at(r: &StudyResult, x: f64, y: f64) -> f64 {
        let g = &r.assessment.grid;
        let i = ((x - g.origin_x_m) / g.cell_size_m) as usize;
        let j = ((y - g.origin_y_m) / g.cell_size_m) as usize;
        r.assessment.ir_per_year[j * g.nx + i]
    }

    #[test]
    fn a_chlorine_vessel_puts_its_risk_downwind_and_counts_its_toxic_outcomes() {
        let r = assess_study(&study("7782-50-5", "liquid", 20_000.0)).unwrap();
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert!(r.events > 0);
        // Pressure vessel: instantaneous, 10-min and 10 mm LOCs, all toxic only.
        assert_eq!(r.scenarios.len(), 3);
        for s in &r.scenarios {
            assert_eq!(s.outcomes.len(), 1);
            assert_eq!(s.outcomes[0].0, vec![Outcome::Toxic]);
        }
        // Downwind (north) is riskier than upwind (south), and risk falls with distance.
        let north = ir_at(&r, 0.0, 300.0);
        let south = ir_at(&r, 0.0, -300.0);
        assert!(
            north > 0.0 && north > 100.0 * south.max(1e-30),
            "{north} vs {south}"
        );
        assert!(ir_at(&r, 0.0, 150.0) > ir_at(&r, 0.0, 600.0));
        // Societal risk: the 50 people to the north can die.
        assert!(r.assessment.pll_per_year > 0.0);
        assert!(!r.assessment.fn_curve.is_empty());
        // The school upwind passes more easily than the houses downwind.
        let t = &r.assessment.targets;
        let n = t.iter().find(|t| t.id == "N").unwrap();
        let s = t.iter().find(|t| t.id == "S").unwrap();
        assert!(n.max_ir_per_year.unwrap_or(0.0) > s.max_ir_per_year.unwrap_or(0.0));
    }

    #[test]
    fn a_propane_vessel_has_fires_and_explosions_and_no_toxic_risk() {
        let r = assess_study(&study("74-98-6", "liquid", 20_000.0)).unwrap();
        let outcomes: Vec<Outcome> = r
            .scenarios
            .iter()
            .flat_map(|s| s.outcomes.iter().flat_map(|o| o.0.clone()))
            .collect();
        for o in [
            Outcome::Fireball,
            Outcome::JetFire,
            Outcome::FlashFire,
            Outcome::Vce,
        ] {
            assert!(outcomes.contains(&o), "{o:?} in {outcomes:?}");
        }
        assert!(!outcomes.contains(&Outcome::Toxic));
        // Direct ignition of a large instantaneous release is the Purple Book's 0.7.
        let inst = r.scenarios.iter().find(|s| s.loc.instantaneous).unwrap();
        assert!(inst.direct_ignition_probability > 0.1);
        assert!(ir_at(&r, 0.0, 30.0) > 0.0);
    }

    #[test]
    fn bad_studies_are_refused_with_the_field() {
        let mut s = study("7782-50-5", "liquid", 20_000.0);
        s.installations[0].equipment[0].inventory_kg = -5.0;
        let e = assess_study(&s).unwrap_err();
        assert_eq!(e.field(), Some("equipment.inventory_kg"));
        let mut s = study("no such substance", "liquid", 1.0);
        assert!(assess_study(&s).is_err());
        s.installations.clear();
        assert!(assess_study(&s).is_err());
    }
}
