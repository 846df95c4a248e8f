//! 场地风险计算 — site risk assessment on a raster: individual risk (个人风险), societal risk
//! (社会风险: F-N curve, PLL), GB 36894 checks of protected targets, IR contours and external
//! safety distances (外部安全防护距离).
//!
//! # Inputs ([`SiteRiskInput`], JSON-friendly)
//!
//! - `grid`: the raster in local metres (x east, y north): south-west corner
//!   (`origin_x_m`, `origin_y_m`), `width_m`, `height_m`, `cell_size_m`; nx = ⌈width/Δ⌉,
//!   ny = ⌈height/Δ⌉ cells, cell (i, j) centred at (x₀ + (i+½)Δ, y₀ + (j+½)Δ); optional
//!   `geo_origin` (lat/lon of local (0, 0)) for GeoJSON. The cell count is capped by
//!   `options.max_cells` (default 4 000 000, **assumed**: a 10 km × 10 km park at 5 m).
//! - `weather` and `wind_rose`: see [`crate::risk::weather`].
//! - `events`: risk events = one LOC × one outcome of its event tree: `frequency_per_year`
//!   = f_LOC · P_outcome|LOC, release point (`x_m`, `y_m`), `installation_id`, and per
//!   weather class id a [`Footprint`] (key `"*"`: every class not listed).
//! - `population`: points (the people of one cell) or polygons (spread evenly over the cells
//!   whose centres lie inside; a polygon too small for any centre goes to the cell of its
//!   vertex mean), with `day_count`, `night_count` and the indoor fractions (defaults 0.93 by
//!   day, 0.99 at night: Purple Book, reference §14.5, **assumed**).
//! - `protected_targets` (points or polygons with their GB 36894 class), `installations`
//!   (boundaries), `installation_status` (new / in service), `criteria` (GB 36894 defaults),
//!   `contour_levels_per_year` (default: the three criterion levels), `options`.
//!
//! # Computation (reference §15)
//!
//! IR(cell) = Σ_e Σ_w Σ_d f_e · P_w · P_d|w · L_e,w(cell rotated into the wind frame of d),
//! evaluated at cell centres with the **outdoor** lethality (Purple Book). A radial footprint
//! without offset does not depend on the wind direction: it is rasterised once per weather
//! class with weight f·P_w·Σ_d P_d|w. Other footprints are rasterised per sector with the wind
//! from the sector's centre bearing; `options.sector_subdivisions` = k > 1 spreads each sector
//! over k evenly spaced bearings of weight P_d|w/k (smearing within the sector; default 1,
//! **assumed**).
//!
//! Deaths per (event, weather, sector): N = Σ_cells L · (n_out + F_in · n_in), n from the day or
//! night population by the weather class's period, F_in the indoor lethality factor of the
//! event (`indoor_lethality_factor`, else by outcome from `options.indoor_factors`: toxic 0.1,
//! reference §14.5; fires and explosions 1.0 — no credit for buildings, the conservative
//! choice, since a footprint does not carry the Purple Book's > 35 kW/m² and > 0.3 bar zones;
//! all **assumed**). F(N) = Σ f over (e, w, d) with N ≥ N_(e,w,d) > 0; PLL = Σ f·N.
//!
//! # Numerical practice (reference §17)
//!
//! Footprints are compiled once (zero margins trimmed); every (event, weather, sector) becomes
//! an *instance* with its weight, centre, rotation and bounding rows. Each instance touches only
//! its rows, and on each row only the span of columns its shape covers (computed analytically:
//! a chord of the circle, or the intersection of the rotated rectangle with the row), so the
//! inner loop is a lookup and two multiply-adds, without allocation. The instances of one
//! footprint (its sectors) are rasterised one after the other, so the footprint's samples stay
//! in cache while it turns (reading them from memory once per sector instead dominated the run
//! time). The footprint groups are dealt round-robin to at most [`MAX_CHUNKS`] chunks
//! (fewer on large grids: [`PARTIAL_RASTER_BUDGET`]) run in parallel (rayon), each into its own
//! partial raster; the partial rasters are added in chunk order. The chunking depends only on
//! the input, so the results do not depend on the number of threads.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{QraError, check};
use crate::risk::contour::{ContourLevel, ContourRing, GeoOrigin, RasterFrame, contour_levels};
use crate::risk::criteria::{
    DistanceToContour, FnEvaluation, FnPoint, InstallationStatus, RiskCriteria, TargetClass,
    evaluate_fn_curve,
};
use crate::risk::footprint::{
    Compiled, DEFAULT_MAX_FOOTPRINT_SAMPLES, Footprint, bilinear, radial_lookup,
};
use crate::risk::geometry::{
    Boundary, Geometry, MAX_COORD_M, check_coord, point_in_polygon, vertex_mean,
};
use crate::risk::ignition::Outcome;
use crate::risk::weather::{
    Period, WeatherClass, WindRose, downwind_unit, invalid, meteorology, sector_centre_deg,
};

/// Largest number of parallel work chunks, each with its own partial raster (fixed by the
/// input, not by the thread count, so results do not depend on the thread count).
pub const MAX_CHUNKS: usize = 16;

/// Budget of f64 values for the partial rasters of the chunks (**assumed**: 16 million,
/// 128 MB): a grid of 4 million cells gets 4 chunks, one of 160 000 cells 16.
pub const PARTIAL_RASTER_BUDGET: usize = 16_000_000;

/// Default cap on the number of grid cells (**assumed**).
pub const DEFAULT_MAX_CELLS: usize = 4_000_000;

/// Default cap on cells × per-installation layers (**assumed**; 256 MB of f64).
pub const DEFAULT_MAX_LAYER_VALUES: usize = 32_000_000;

/// The raster of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridSpec {
    /// West edge, local m.
    pub origin_x_m: f64,
    /// South edge, local m.
    pub origin_y_m: f64,
    /// East–west extent, m.
    pub width_m: f64,
    /// North–south extent, m.
    pub height_m: f64,
    /// Cell size, m (0.1–1000, assumed bounds).
    pub cell_size_m: f64,
    /// Geographic coordinates of local (0, 0), for GeoJSON output.
    #[serde(default)]
    pub geo_origin: Option<GeoOrigin>,
}

/// One risk event: one LOC × one outcome of its event tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskEvent {
    /// Identifier (e.g. `"T-101/G.1/fireball"`).
    pub id: String,
    /// Installation (装置/设施) the event belongs to.
    pub installation_id: String,
    /// Release point, east, local m.
    pub x_m: f64,
    /// Release point, north, local m.
    pub y_m: f64,
    /// f_LOC · P_outcome|LOC, per year (0–1e3, assumed bound).
    pub frequency_per_year: f64,
    /// The outcome (selects the default indoor lethality factor).
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// Indoor lethality = factor × outdoor lethality (societal risk only); overrides the
    /// outcome default.
    #[serde(default)]
    pub indoor_lethality_factor: Option<f64>,
    /// Footprint per weather class id (`"*"`: every class not listed).
    pub footprints: BTreeMap<String, Footprint>,
}

fn default_indoor_day() -> f64 {
    0.93
}

fn default_indoor_night() -> f64 {
    0.99
}

/// People at a place (人口分布).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationItem {
    /// Optional identifier.
    #[serde(default)]
    pub id: Option<String>,
    /// Where: a point (its cell) or a polygon (spread over the cells inside).
    pub geometry: Geometry,
    /// People present by day.
    pub day_count: f64,
    /// People present at night.
    pub night_count: f64,
    /// Fraction indoors by day (default 0.93, **assumed**, Purple Book).
    #[serde(default = "default_indoor_day")]
    pub indoor_fraction_day: f64,
    /// Fraction indoors at night (default 0.99, **assumed**, Purple Book).
    #[serde(default = "default_indoor_night")]
    pub indoor_fraction_night: f64,
}

/// A protected target (防护目标) of GB 36894.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtectedTarget {
    /// Identifier.
    pub id: String,
    /// Name (free text).
    #[serde(default)]
    pub name: String,
    /// GB 36894 class.
    pub class: TargetClass,
    /// Where.
    pub geometry: Geometry,
}

/// An installation (装置/设施) whose external safety distances are wanted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Installation {
    /// Identifier (matches `RiskEvent::installation_id`).
    pub id: String,
    /// Name (free text).
    #[serde(default)]
    pub name: String,
    /// Boundary the distances are measured from.
    pub boundary: Boundary,
}

/// Indoor lethality factors by outcome (indoor = factor × outdoor), for societal risk.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IndoorFactors {
    /// Toxic: 0.1 (reference §14.5, **assumed**).
    pub toxic: f64,
    /// Jet fire: 1.0 (**assumed**, conservative).
    pub jet_fire: f64,
    /// Pool fire: 1.0 (**assumed**, conservative).
    pub pool_fire: f64,
    /// Fireball / BLEVE: 1.0 (**assumed**, conservative).
    pub fireball: f64,
    /// Flash fire: 1.0 (**assumed**, conservative).
    pub flash_fire: f64,
    /// Vapour cloud explosion: 1.0 (**assumed**).
    pub vce: f64,
    /// Other or unspecified outcomes: 1.0 (**assumed**).
    pub other: f64,
}

impl Default for IndoorFactors {
    fn default() -> Self {
        IndoorFactors {
            toxic: 0.1,
            jet_fire: 1.0,
            pool_fire: 1.0,
            fireball: 1.0,
            flash_fire: 1.0,
            vce: 1.0,
            other: 1.0,
        }
    }
}

impl IndoorFactors {
    /// The factor for `outcome`.
    pub fn factor(&self, outcome: Option<Outcome>) -> f64 {
        match outcome {
            Some(Outcome::Toxic) => self.toxic,
            Some(Outcome::JetFire) => self.jet_fire,
            Some(Outcome::PoolFire) => self.pool_fire,
            Some(Outcome::Fireball) => self.fireball,
            Some(Outcome::FlashFire) => self.flash_fire,
            Some(Outcome::Vce) => self.vce,
            Some(Outcome::NoEffect) | None => self.other,
        }
    }
}

/// Which IR field an installation's external safety distance is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistanceBasis {
    /// The site's total IR; only contour rings enclosing the installation count (**assumed**
    /// default: GB/T 37243 assesses a site's units together, reference §2).
    #[default]
    SiteRisk,
    /// The IR of the installation's own events (one extra raster layer per installation).
    OwnRisk,
}

/// Options of a site assessment (all defaults **assumed**).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteRiskOptions {
    /// Largest accepted number of grid cells (default 4 000 000).
    pub max_cells: usize,
    /// Largest number of samples of one footprint (default 4 000 000).
    pub max_footprint_samples: usize,
    /// Largest cells × installation layers (OwnRisk basis; default 32 000 000).
    pub max_layer_values: usize,
    /// Bearings per wind sector (1–16; default 1).
    pub sector_subdivisions: usize,
    /// Tolerance on "probabilities sum to 1" (default 1e-6).
    pub probability_sum_tolerance: f64,
    /// Indoor lethality factors by outcome.
    pub indoor_factors: IndoorFactors,
    /// Basis of the external safety distances.
    pub distance_basis: DistanceBasis,
    /// Whether the output carries the IR raster (default true).
    pub include_raster: bool,
    /// Whether the output carries the GeoJSON of the contours (default true; needs
    /// `grid.geo_origin`).
    pub include_geojson: bool,
}

impl Default for SiteRiskOptions {
    fn default() -> Self {
        SiteRiskOptions {
            max_cells: DEFAULT_MAX_CELLS,
            max_footprint_samples: DEFAULT_MAX_FOOTPRINT_SAMPLES,
            max_layer_values: DEFAULT_MAX_LAYER_VALUES,
            sector_subdivisions: 1,
            probability_sum_tolerance: crate::risk::weather::DEFAULT_PROBABILITY_SUM_TOLERANCE,
            indoor_factors: IndoorFactors::default(),
            distance_basis: DistanceBasis::SiteRisk,
            include_raster: true,
            include_geojson: true,
        }
    }
}

/// Input of [`assess_site`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRiskInput {
    /// The raster.
    pub grid: GridSpec,
    /// Weather classes.
    pub weather: Vec<WeatherClass>,
    /// Wind rose.
    pub wind_rose: WindRose,
    /// Risk events.
    pub events: Vec<RiskEvent>,
    /// Population.
    #[serde(default)]
    pub population: Vec<PopulationItem>,
    /// Protected targets.
    #[serde(default)]
    pub protected_targets: Vec<ProtectedTarget>,
    /// Installations (for external safety distances).
    #[serde(default)]
    pub installations: Vec<Installation>,
    /// New or in-service installation (selects the criteria column).
    #[serde(default)]
    pub installation_status: InstallationStatus,
    /// Criteria (GB 36894 defaults).
    #[serde(default)]
    pub criteria: RiskCriteria,
    /// Contour levels, per year (default: the three criterion levels for the status).
    #[serde(default)]
    pub contour_levels_per_year: Option<Vec<f64>>,
    /// Options.
    #[serde(default)]
    pub options: SiteRiskOptions,
}

/// The raster actually used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridInfo {
    /// West edge, m.
    pub origin_x_m: f64,
    /// South edge, m.
    pub origin_y_m: f64,
    /// Cell size, m.
    pub cell_size_m: f64,
    /// Columns (west → east).
    pub nx: usize,
    /// Rows (south → north).
    pub ny: usize,
    /// Geographic origin, if given.
    pub geo_origin: Option<GeoOrigin>,
}

/// Per-event results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventResult {
    /// Event id.
    pub id: String,
    /// Installation id.
    pub installation_id: String,
    /// PLL contribution, per year.
    pub pll_per_year: f64,
    /// Share of the site PLL (0 when the site PLL is 0).
    pub pll_fraction: f64,
    /// Largest N over its weathers and sectors.
    pub max_deaths: f64,
}

/// Check of one protected target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetResult {
    /// Target id.
    pub id: String,
    /// Target name.
    pub name: String,
    /// GB 36894 class.
    pub class: TargetClass,
    /// Criterion, per year.
    pub criterion_per_year: f64,
    /// Largest IR on the target (point: bilinear; polygon: cells inside and its outline);
    /// `None` when the target lies outside the grid.
    pub max_ir_per_year: Option<f64>,
    /// max IR ≤ criterion; `None` when outside the grid.
    pub pass: Option<bool>,
}

/// External safety distance of one class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassDistance {
    /// Target class.
    pub class: TargetClass,
    /// Its Chinese name.
    pub class_zh: String,
    /// IR criterion = contour level, per year.
    pub criterion_per_year: f64,
    /// Distance and flags.
    #[serde(flatten)]
    pub distance: DistanceToContour,
}

/// External safety distances of one installation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstallationDistances {
    /// Installation id.
    pub installation_id: String,
    /// One per target class.
    pub classes: Vec<ClassDistance>,
}

/// Output of [`assess_site`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteAssessment {
    /// The raster used.
    pub grid: GridInfo,
    /// IR per year per cell, row-major from the south-west cell (`[j·nx + i]`); empty when
    /// `options.include_raster` is false.
    pub ir_per_year: Vec<f64>,
    /// Largest IR on the grid, per year.
    pub max_ir_per_year: f64,
    /// Centre of the cell of the largest IR, m.
    pub max_ir_at_m: [f64; 2],
    /// F-N curve: points (N, F(≥ N)) at each distinct N > 0, ascending N.
    pub fn_curve: Vec<FnPoint>,
    /// F-N curve against the GB 36894 lines.
    pub fn_evaluation: FnEvaluation,
    /// Potential loss of life, per year.
    pub pll_per_year: f64,
    /// Day and night population on the grid.
    pub population_on_grid: [f64; 2],
    /// Day and night population outside the grid (ignored).
    pub population_outside_grid: [f64; 2],
    /// Per-event PLL.
    pub events: Vec<EventResult>,
    /// Protected-target checks.
    pub targets: Vec<TargetResult>,
    /// External safety distances per installation and target class.
    pub external_safety_distances: Vec<InstallationDistances>,
    /// IR contours in local metres.
    pub contours: Vec<ContourLevel>,
    /// The contours as a GeoJSON FeatureCollection (when `grid.geo_origin` is given and
    /// `options.include_geojson`).
    pub geojson: Option<serde_json::Value>,
    /// Rasterised (event, weather, sector) instances.
    pub instances: usize,
}

/// One (event, weather, bearing) to rasterise.
#[derive(Debug, Clone, Copy)]
struct Instance {
    event: usize,
    layer: usize,
    shape: usize,
    weight: f64,
    cx: f64,
    cy: f64,
    ux: f64,
    uy: f64,
    row_lo: usize,
    row_hi: usize,
    night: bool,
    indoor: f64,
}

/// The validated raster.
#[derive(Debug, Clone, Copy)]
struct Grid {
    ox: f64,
    oy: f64,
    cs: f64,
    nx: usize,
    ny: usize,
}

impl Grid {
    fn centre_x(&self, i: usize) -> f64 {
        self.ox + (i as f64 + 0.5) * self.cs
    }
    fn centre_y(&self, j: usize) -> f64 {
        self.oy + (j as f64 + 0.5) * self.cs
    }
    /// Index range of the centres within [lo, hi] along an axis of `n` cells from `origin`.
    fn span(origin: f64, cs: f64, n: usize, lo: f64, hi: f64) -> Option<(usize, usize)> {
        let a = ((lo - origin) / cs - 0.5).ceil().max(0.0);
        let b = ((hi - origin) / cs - 0.5).floor().min(n as f64 - 1.0);
        if a <= b {
            Some((a as usize, b as usize))
        } else {
            None
        }
    }
    fn cols(&self, lo: f64, hi: f64) -> Option<(usize, usize)> {
        Grid::span(self.ox, self.cs, self.nx, lo, hi)
    }
    fn rows(&self, lo: f64, hi: f64) -> Option<(usize, usize)> {
        Grid::span(self.oy, self.cs, self.ny, lo, hi)
    }
    /// The cell containing `p`, if on the grid.
    fn cell_of(&self, p: [f64; 2]) -> Option<usize> {
        let fi = ((p[0] - self.ox) / self.cs).floor();
        let fj = ((p[1] - self.oy) / self.cs).floor();
        if fi < 0.0 || fj < 0.0 || fi >= self.nx as f64 || fj >= self.ny as f64 {
            return None;
        }
        Some(fj as usize * self.nx + fi as usize)
    }
    fn frame(&self) -> RasterFrame {
        RasterFrame {
            origin_x_m: self.ox,
            origin_y_m: self.oy,
            cell_size_m: self.cs,
            nx: self.nx,
            ny: self.ny,
        }
    }
}

fn validate_grid(spec: &GridSpec, max_cells: usize) -> Result<Grid, QraError> {
    let ox = check_coord("grid.origin_x_m", spec.origin_x_m)?;
    let oy = check_coord("grid.origin_y_m", spec.origin_y_m)?;
    let cs = check(
        "grid.cell_size_m",
        spec.cell_size_m,
        "0.1 <= value <= 1000",
        |v| (0.1..=1000.0).contains(&v),
    )?;
    let w = check("grid.width_m", spec.width_m, "0 < value <= 2e6", |v| {
        v > 0.0 && v <= 2.0 * MAX_COORD_M
    })?;
    let h = check("grid.height_m", spec.height_m, "0 < value <= 2e6", |v| {
        v > 0.0 && v <= 2.0 * MAX_COORD_M
    })?;
    if let Some(g) = &spec.geo_origin {
        g.validate()?;
    }
    let nx = (w / cs - 1e-9).ceil().max(1.0);
    let ny = (h / cs - 1e-9).ceil().max(1.0);
    let cells = nx * ny;
    if cells > max_cells as f64 {
        return Err(QraError::OutOfRange {
            field: "grid (cells = ceil(width/cell) * ceil(height/cell))",
            value: cells,
            expected: "cells <= options.max_cells (default 4000000)",
        });
    }
    Ok(Grid {
        ox,
        oy,
        cs,
        nx: nx as usize,
        ny: ny as usize,
    })
}

/// Population per cell: outdoor and indoor counts, day and night.
struct PopulationGrid {
    /// `[day_out, day_in, night_out, night_in]`, each nx·ny (empty when no population).
    layers: [Vec<f64>; 4],
    /// Whether row j has people, by day and by night.
    row_has: [Vec<bool>; 2],
    on_grid: [f64; 2],
    outside: [f64; 2],
}

fn rasterise_population(items: &[PopulationItem], grid: &Grid) -> Result<PopulationGrid, QraError> {
    let cells = grid.nx * grid.ny;
    let mut pg = PopulationGrid {
        layers: Default::default(),
        row_has: [vec![false; grid.ny], vec![false; grid.ny]],
        on_grid: [0.0; 2],
        outside: [0.0; 2],
    };
    if items.is_empty() {
        return Ok(pg);
    }
    for l in &mut pg.layers {
        *l = vec![0.0; cells];
    }
    for item in items {
        item.geometry.validate("population[].geometry")?;
        let day = check(
            "population[].day_count",
            item.day_count,
            "0 <= value <= 1e8",
            |v| (0.0..=1e8).contains(&v),
        )?;
        let night = check(
            "population[].night_count",
            item.night_count,
            "0 <= value <= 1e8",
            |v| (0.0..=1e8).contains(&v),
        )?;
        let fd = check(
            "population[].indoor_fraction_day",
            item.indoor_fraction_day,
            "0 <= value <= 1",
            |v| (0.0..=1.0).contains(&v),
        )?;
        let fnight = check(
            "population[].indoor_fraction_night",
            item.indoor_fraction_night,
            "0 <= value <= 1",
            |v| (0.0..=1.0).contains(&v),
        )?;
        let cells_of: Vec<usize> = match &item.geometry {
            Geometry::Point { x_m, y_m } => grid.cell_of([*x_m, *y_m]).into_iter().collect(),
            Geometry::Polygon { vertices_m } => {
                let (mut x0, mut x1, mut y0, mut y1) = (
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                );
                for v in vertices_m {
                    x0 = x0.min(v[0]);
                    x1 = x1.max(v[0]);
                    y0 = y0.min(v[1]);
                    y1 = y1.max(v[1]);
                }
                let mut inside = Vec::new();
                if let (Some((c0, c1)), Some((r0, r1))) = (grid.cols(x0, x1), grid.rows(y0, y1)) {
                    for j in r0..=r1 {
                        for i in c0..=c1 {
                            if point_in_polygon(vertices_m, [grid.centre_x(i), grid.centre_y(j)]) {
                                inside.push(j * grid.nx + i);
                            }
                        }
                    }
                }
                if inside.is_empty() {
                    inside.extend(grid.cell_of(vertex_mean(vertices_m)));
                }
                inside
            }
        };
        if cells_of.is_empty() {
            pg.outside[0] += day;
            pg.outside[1] += night;
            continue;
        }
        pg.on_grid[0] += day;
        pg.on_grid[1] += night;
        let share = 1.0 / cells_of.len() as f64;
        for c in cells_of {
            let add = [
                day * share * (1.0 - fd),
                day * share * fd,
                night * share * (1.0 - fnight),
                night * share * fnight,
            ];
            for (layer, a) in pg.layers.iter_mut().zip(add) {
                if let Some(slot) = layer.get_mut(c) {
                    *slot += a;
                }
            }
            let row = c / grid.nx;
            if let Some(h) = pg.row_has[0].get_mut(row) {
                *h |= day > 0.0;
            }
            if let Some(h) = pg.row_has[1].get_mut(row) {
                *h |= night > 0.0;
            }
        }
    }
    Ok(pg)
}

/// The prepared problem: compiled footprints and instances.
struct Prepared {
    grid: Grid,
    shapes: Vec<Compiled>,
    instances: Vec<Instance>,
    layers: usize,
    layer_ids: Vec<String>,
}

/// Rotated offset: local (x downwind, y left) → (east, north) for downwind unit (ux, uy).
fn rotate(ux: f64, uy: f64, x: f64, y: f64) -> (f64, f64) {
    (x * ux - y * uy, x * uy + y * ux)
}

fn prepare(input: &SiteRiskInput, grid: Grid) -> Result<Prepared, QraError> {
    let opts = &input.options;
    let met = meteorology(
        &input.weather,
        &input.wind_rose,
        opts.probability_sum_tolerance,
    )?;
    if opts.sector_subdivisions == 0 || opts.sector_subdivisions > 16 {
        return Err(QraError::OutOfRange {
            field: "options.sector_subdivisions",
            value: opts.sector_subdivisions as f64,
            expected: "1 <= value <= 16",
        });
    }
    let f = &opts.indoor_factors;
    for (field, v) in [
        ("options.indoor_factors.toxic", f.toxic),
        ("options.indoor_factors.jet_fire", f.jet_fire),
        ("options.indoor_factors.pool_fire", f.pool_fire),
        ("options.indoor_factors.fireball", f.fireball),
        ("options.indoor_factors.flash_fire", f.flash_fire),
        ("options.indoor_factors.vce", f.vce),
        ("options.indoor_factors.other", f.other),
    ] {
        check(field, v, "0 <= value <= 1", |v| (0.0..=1.0).contains(&v))?;
    }
    let own = opts.distance_basis == DistanceBasis::OwnRisk;
    let mut layer_ids: Vec<String> = Vec::new();
    let mut shapes: Vec<Compiled> = Vec::new();
    let mut instances = Vec::new();
    let sub = opts.sector_subdivisions;
    for (ei, ev) in input.events.iter().enumerate() {
        if ev.id.is_empty() {
            return Err(invalid(
                "events[].id must not be empty / events[].id 不能为空",
            ));
        }
        let x0 = check_coord("events[].x_m", ev.x_m)?;
        let y0 = check_coord("events[].y_m", ev.y_m)?;
        let freq = check(
            "events[].frequency_per_year",
            ev.frequency_per_year,
            "0 <= value <= 1e3",
            |v| (0.0..=1e3).contains(&v),
        )?;
        let indoor = match ev.indoor_lethality_factor {
            Some(k) => check(
                "events[].indoor_lethality_factor",
                k,
                "0 <= value <= 1",
                |v| (0.0..=1.0).contains(&v),
            )?,
            None => f.factor(ev.outcome),
        };
        for key in ev.footprints.keys() {
            if key != "*" && !met.classes.iter().any(|c| &c.id == key) {
                return Err(invalid(&format!(
                    "event `{}`: footprint for unknown weather class `{key}` / 事件 `{}`：足迹引用了未定义的气象类别 `{key}`",
                    ev.id, ev.id
                )));
            }
        }
        let layer = if own {
            match layer_ids.iter().position(|l| l == &ev.installation_id) {
                Some(l) => l,
                None => {
                    layer_ids.push(ev.installation_id.clone());
                    layer_ids.len() - 1
                }
            }
        } else {
            0
        };
        // Compile each distinct footprint of the event once.
        let mut compiled_of: BTreeMap<&str, usize> = BTreeMap::new();
        for (key, fp) in &ev.footprints {
            fp.validate(opts.max_footprint_samples)?;
            shapes.push(fp.compile());
            compiled_of.insert(key.as_str(), shapes.len() - 1);
        }
        for (wi, wc) in met.classes.iter().enumerate() {
            let Some((&shape, fp)) = compiled_of
                .get(wc.id.as_str())
                .map(|s| (s, &ev.footprints[&wc.id]))
                .or_else(|| compiled_of.get("*").map(|s| (s, &ev.footprints["*"])))
            else {
                return Err(invalid(&format!(
                    "event `{}` has no footprint for weather class `{}` (give one, or `*`) / 事件 `{}` 缺少气象类别 `{}` 的足迹（请给出，或用 `*`）",
                    ev.id, wc.id, ev.id, wc.id
                )));
            };
            let compiled = &shapes[shape];
            if matches!(compiled, Compiled::Empty) || freq == 0.0 {
                continue;
            }
            let base = freq * wc.probability;
            let rose = &met.roses[wi];
            let night = wc.period == Period::Night;
            let mk = |weight: f64, ux: f64, uy: f64| {
                let (dx, dy) = rotate(ux, uy, fp.offset_m[0], fp.offset_m[1]);
                Instance {
                    event: ei,
                    layer,
                    shape,
                    weight,
                    cx: x0 + dx,
                    cy: y0 + dy,
                    ux,
                    uy,
                    row_lo: 0,
                    row_hi: 0,
                    night,
                    indoor,
                }
            };
            if compiled.is_radial() && fp.offset_m == [0.0, 0.0] {
                let sum: f64 = rose.iter().sum();
                instances.push(mk(base * sum, 1.0, 0.0));
            } else {
                let n = rose.len();
                let width = 360.0 / n as f64;
                for (k, &p) in rose.iter().enumerate() {
                    if p <= 0.0 {
                        continue;
                    }
                    for s in 0..sub {
                        let bearing = sector_centre_deg(k, n) - 0.5 * width
                            + width * (s as f64 + 0.5) / sub as f64;
                        let (ux, uy) = downwind_unit(bearing);
                        instances.push(mk(base * p / sub as f64, ux, uy));
                    }
                }
            }
        }
    }
    let layers = if own { layer_ids.len().max(1) } else { 1 };
    if layers.saturating_mul(grid.nx * grid.ny) > opts.max_layer_values {
        return Err(QraError::OutOfRange {
            field: "installations with events x grid cells (own_risk basis)",
            value: layers as f64 * (grid.nx * grid.ny) as f64,
            expected: "<= options.max_layer_values (default 32000000)",
        });
    }
    // Bounding rows; drop instances off the grid.
    instances.retain_mut(|inst| {
        let (y_lo, y_hi) = match &shapes[inst.shape] {
            Compiled::Empty => return false,
            Compiled::Disc { r, .. } => (inst.cy - r, inst.cy + r),
            Compiled::Radial { r_max, .. } => (inst.cy - r_max, inst.cy + r_max),
            Compiled::Directional {
                x_min,
                y_min,
                x_max,
                y_max,
                ..
            } => {
                let mut lo = f64::INFINITY;
                let mut hi = f64::NEG_INFINITY;
                for (x, y) in [
                    (*x_min, *y_min),
                    (*x_max, *y_min),
                    (*x_min, *y_max),
                    (*x_max, *y_max),
                ] {
                    let (_, dy) = rotate(inst.ux, inst.uy, x, y);
                    lo = lo.min(inst.cy + dy);
                    hi = hi.max(inst.cy + dy);
                }
                (lo, hi)
            }
        };
        match grid.rows(y_lo, y_hi) {
            Some((a, b)) => {
                inst.row_lo = a;
                inst.row_hi = b;
                true
            }
            None => false,
        }
    });
    if layer_ids.is_empty() {
        layer_ids.push(String::new());
    }
    Ok(Prepared {
        grid,
        shapes,
        instances,
        layers,
        layer_ids,
    })
}

/// Adds `w·L` to `row[c0..=c1]` and returns Σ L·(out + k·in) over the span.
#[inline(always)]
fn accumulate(
    row: &mut [f64],
    pop: Option<(&[f64], &[f64])>,
    k: f64,
    w: f64,
    c0: usize,
    c1: usize,
    lookup: impl Fn(usize) -> f64,
) -> f64 {
    let Some(cells) = row.get_mut(c0..=c1) else {
        return 0.0;
    };
    match pop {
        Some((po, pi)) => {
            let (Some(po), Some(pi)) = (po.get(c0..=c1), pi.get(c0..=c1)) else {
                return 0.0;
            };
            let mut deaths = 0.0;
            for (((cell, o), i), c) in cells.iter_mut().zip(po).zip(pi).zip(c0..) {
                let l = lookup(c);
                *cell += w * l;
                deaths += l * (o + k * i);
            }
            deaths
        }
        None => {
            for (cell, c) in cells.iter_mut().zip(c0..) {
                *cell += w * lookup(c);
            }
            0.0
        }
    }
}

/// Rasterises one instance on row `r` into `row`; returns its deaths on that row.
#[inline]
fn rasterise_row(
    inst: &Instance,
    shape: &Compiled,
    grid: &Grid,
    r: usize,
    row: &mut [f64],
    pop: Option<(&[f64], &[f64])>,
) -> f64 {
    let y = grid.centre_y(r);
    let dy = y - inst.cy;
    let (w, k) = (inst.weight, inst.indoor);
    match shape {
        Compiled::Empty => 0.0,
        Compiled::Disc { r: rad, lethality } => {
            let h2 = rad * rad - dy * dy;
            if h2 < 0.0 {
                return 0.0;
            }
            let h = h2.sqrt();
            let Some((c0, c1)) = grid.cols(inst.cx - h, inst.cx + h) else {
                return 0.0;
            };
            let l = *lethality;
            accumulate(row, pop, k, w, c0, c1, |_| l)
        }
        Compiled::Radial {
            inv_step,
            r_max,
            samples,
        } => {
            let h2 = r_max * r_max - dy * dy;
            if h2 < 0.0 {
                return 0.0;
            }
            let h = h2.sqrt();
            let Some((c0, c1)) = grid.cols(inst.cx - h, inst.cx + h) else {
                return 0.0;
            };
            let (dy2, inv) = (dy * dy, *inv_step);
            accumulate(row, pop, k, w, c0, c1, |c| {
                let dx = grid.centre_x(c) - inst.cx;
                radial_lookup(samples, inv, (dx * dx + dy2).sqrt())
            })
        }
        Compiled::Directional {
            x_min,
            y_min,
            x_max,
            y_max,
            inv_step,
            nx,
            ny,
            samples,
        } => {
            // Local coordinates along the row: lx = ax + bx·X, ly = ay + by·X.
            let (ux, uy) = (inst.ux, inst.uy);
            let ax = -inst.cx * ux + dy * uy;
            let bx = ux;
            let ay = inst.cx * uy + dy * ux;
            let by = -uy;
            let mut lo = f64::NEG_INFINITY;
            let mut hi = f64::INFINITY;
            for (a, b, vmin, vmax) in [(ax, bx, *x_min, *x_max), (ay, by, *y_min, *y_max)] {
                if b.abs() < 1e-12 {
                    if a < vmin || a > vmax {
                        return 0.0;
                    }
                } else {
                    let (p, q) = ((vmin - a) / b, (vmax - a) / b);
                    lo = lo.max(p.min(q));
                    hi = hi.min(p.max(q));
                }
            }
            let Some((c0, c1)) = grid.cols(lo, hi) else {
                return 0.0;
            };
            let (nx, ny, inv) = (*nx, *ny, *inv_step);
            // Fractional sample indices as linear functions of the column.
            let x0c = grid.centre_x(0);
            let fx0 = (ax + bx * x0c - x_min) * inv;
            let fy0 = (ay + by * x0c - y_min) * inv;
            let (dfx, dfy) = (bx * grid.cs * inv, by * grid.cs * inv);
            accumulate(row, pop, k, w, c0, c1, |c| {
                let cf = c as f64;
                bilinear(samples, nx, ny, fx0 + dfx * cf, fy0 + dfy * cf)
            })
        }
    }
}

/// The computed rasters and death counts.
struct Computed {
    /// IR layers, layout `[row][layer][col]`.
    layers: Vec<f64>,
    /// Deaths per instance.
    deaths: Vec<f64>,
}

/// A chunk's partial raster and the deaths of its instances `(index, N)`.
type ChunkResult = (Vec<f64>, Vec<(usize, f64)>);

fn compute(prep: &Prepared, pop: &PopulationGrid) -> Computed {
    let grid = prep.grid;
    let (nx, ny, nl) = (grid.nx, grid.ny, prep.layers);
    let raster_len = ny * nl * nx;
    let n_inst = prep.instances.len();
    let has_pop = !pop.layers[0].is_empty();
    // Groups: runs of consecutive instances sharing a footprint (its sectors), so that the
    // footprint stays in cache while it is rotated; dealt round-robin to the chunks.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for (idx, inst) in prep.instances.iter().enumerate() {
        match groups.last_mut() {
            Some((_, end)) if prep.instances[*end - 1].shape == inst.shape => *end = idx + 1,
            _ => groups.push((idx, idx + 1)),
        }
    }
    let n_chunks = (PARTIAL_RASTER_BUDGET / raster_len.max(1))
        .clamp(1, MAX_CHUNKS)
        .min(groups.len().max(1));
    let partial: Vec<ChunkResult> = (0..n_chunks)
        .into_par_iter()
        .map(|chunk| {
            let mut raster = vec![0.0; raster_len];
            let mut deaths = Vec::new();
            for &(g0, g1) in groups.iter().skip(chunk).step_by(n_chunks) {
                for idx in g0..g1 {
                    let Some(inst) = prep.instances.get(idx) else {
                        continue;
                    };
                    let Some(shape) = prep.shapes.get(inst.shape) else {
                        continue;
                    };
                    let period = usize::from(inst.night);
                    let (po, pi) = (&pop.layers[2 * period], &pop.layers[2 * period + 1]);
                    let mut n = 0.0;
                    for r in inst.row_lo..=inst.row_hi.min(ny - 1) {
                        let start = (r * nl + inst.layer) * nx;
                        let Some(row) = raster.get_mut(start..start + nx) else {
                            continue;
                        };
                        let pop_row =
                            if has_pop && pop.row_has[period].get(r).copied().unwrap_or(false) {
                                po.get(r * nx..(r + 1) * nx)
                                    .zip(pi.get(r * nx..(r + 1) * nx))
                            } else {
                                None
                            };
                        n += rasterise_row(inst, shape, &grid, r, row, pop_row);
                    }
                    deaths.push((idx, n));
                }
            }
            (raster, deaths)
        })
        .collect();
    // Reduce in chunk order: the sums do not depend on the number of threads.
    let mut deaths = vec![0.0; n_inst];
    let mut layers: Option<Vec<f64>> = None;
    for (raster, d) in partial {
        for (idx, n) in d {
            if let Some(slot) = deaths.get_mut(idx) {
                *slot = n;
            }
        }
        match &mut layers {
            None => layers = Some(raster),
            Some(acc) => {
                for (a, v) in acc.iter_mut().zip(&raster) {
                    *a += v;
                }
            }
        }
    }
    Computed {
        layers: layers.unwrap_or_else(|| vec![0.0; raster_len]),
        deaths,
    }
}

/// Bilinear value of a cell-centred raster at `p`; `None` outside the grid.
fn raster_at(values: &[f64], grid: &Grid, p: [f64; 2]) -> Option<f64> {
    let (w, h) = (grid.nx as f64 * grid.cs, grid.ny as f64 * grid.cs);
    let (x, y) = (p[0] - grid.ox, p[1] - grid.oy);
    if !(0.0..=w).contains(&x) || !(0.0..=h).contains(&y) {
        return None;
    }
    if grid.nx < 2 || grid.ny < 2 {
        return grid.cell_of(p).and_then(|c| values.get(c).copied());
    }
    Some(bilinear(
        values,
        grid.nx,
        grid.ny,
        x / grid.cs - 0.5,
        y / grid.cs - 0.5,
    ))
}

fn target_max_ir(values: &[f64], grid: &Grid, geometry: &Geometry) -> Option<f64> {
    match geometry {
        Geometry::Point { x_m, y_m } => raster_at(values, grid, [*x_m, *y_m]),
        Geometry::Polygon { vertices_m } => {
            let mut best: Option<f64> = None;
            let mut take = |v: Option<f64>| {
                if let Some(v) = v {
                    best = Some(best.map_or(v, |b| b.max(v)));
                }
            };
            // Outline, sampled at half a cell.
            let n = vertices_m.len();
            for i in 0..n {
                let a = vertices_m[i];
                let b = vertices_m[(i + 1) % n];
                let len = (b[0] - a[0]).hypot(b[1] - a[1]);
                let steps = ((len / (0.5 * grid.cs)).ceil() as usize).clamp(1, 100_000);
                for s in 0..steps {
                    let t = s as f64 / steps as f64;
                    take(raster_at(
                        values,
                        grid,
                        [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])],
                    ));
                }
            }
            // Cell centres inside.
            let xs = vertices_m.iter().map(|v| v[0]);
            let ys = vertices_m.iter().map(|v| v[1]);
            let (x0, x1) = (xs.clone().fold(f64::INFINITY, f64::min), {
                xs.fold(f64::NEG_INFINITY, f64::max)
            });
            let (y0, y1) = (ys.clone().fold(f64::INFINITY, f64::min), {
                ys.fold(f64::NEG_INFINITY, f64::max)
            });
            if let (Some((c0, c1)), Some((r0, r1))) = (grid.cols(x0, x1), grid.rows(y0, y1)) {
                for j in r0..=r1 {
                    for i in c0..=c1 {
                        if point_in_polygon(vertices_m, [grid.centre_x(i), grid.centre_y(j)]) {
                            take(values.get(j * grid.nx + i).copied());
                        }
                    }
                }
            }
            best
        }
    }
}

fn distances_for(
    boundary: &Boundary,
    rings_of: &dyn Fn(f64) -> Result<Vec<ContourRing>, QraError>,
    only_enclosing: bool,
    input: &SiteRiskInput,
) -> Result<Vec<ClassDistance>, QraError> {
    let mut out = Vec::with_capacity(TargetClass::ALL.len());
    let mut cache: Vec<(f64, DistanceToContour)> = Vec::new();
    for class in TargetClass::ALL {
        let level = input.criteria.ir.limit(class, input.installation_status);
        let d = match cache.iter().find(|(l, _)| *l == level) {
            Some((_, d)) => *d,
            None => {
                let rings = rings_of(level)?;
                let d = if only_enclosing {
                    crate::risk::criteria::external_safety_distance(boundary, &rings)
                } else {
                    crate::risk::criteria::distance_to_all_rings(boundary, &rings)
                };
                cache.push((level, d));
                d
            }
        };
        out.push(ClassDistance {
            class,
            class_zh: class.name_zh().to_owned(),
            criterion_per_year: level,
            distance: d,
        });
    }
    Ok(out)
}

/// Runs a site risk assessment: IR raster, F-N curve, PLL, target checks, contours, external
/// safety distances (see the [module documentation](self)).
pub fn assess_site(input: &SiteRiskInput) -> Result<SiteAssessment, QraError> {
    let opts = &input.options;
    let grid = validate_grid(&input.grid, opts.max_cells)?;
    input.criteria.ir.validate()?;
    input.criteria.fn_lines.validate()?;
    for t in &input.protected_targets {
        t.geometry.validate("protected_targets[].geometry")?;
    }
    for inst in &input.installations {
        inst.boundary.validate("installations[].boundary")?;
    }
    let levels: Vec<f64> = match &input.contour_levels_per_year {
        Some(l) => l.clone(),
        None => {
            let mut l = input.criteria.ir.levels(input.installation_status).to_vec();
            l.dedup();
            l
        }
    };
    for &l in &levels {
        check("contour_levels_per_year[]", l, "0 < value <= 1", |v| {
            v > 0.0 && v <= 1.0
        })?;
    }
    let prep = prepare(input, grid)?;
    let pop = rasterise_population(&input.population, &grid)?;
    let computed = compute(&prep, &pop);
    let (nx, ny, nl) = (grid.nx, grid.ny, prep.layers);
    // Total IR.
    let Computed {
        layers: own_layers,
        deaths,
    } = computed;
    // With one layer the layer is the total; else the layers are kept for the distances.
    let (ir, own_layers): (Vec<f64>, Vec<f64>) = if nl == 1 {
        (own_layers, Vec::new())
    } else {
        let mut t = vec![0.0; nx * ny];
        for r in 0..ny {
            for l in 0..nl {
                let src = &own_layers[(r * nl + l) * nx..(r * nl + l + 1) * nx];
                for (d, s) in t[r * nx..(r + 1) * nx].iter_mut().zip(src) {
                    *d += s;
                }
            }
        }
        (t, own_layers)
    };
    let (mut max_ir, mut max_at) = (0.0, [grid.centre_x(0), grid.centre_y(0)]);
    for (c, &v) in ir.iter().enumerate() {
        if v > max_ir {
            max_ir = v;
            max_at = [grid.centre_x(c % nx), grid.centre_y(c / nx)];
        }
    }
    // Societal risk.
    let mut ev_results: Vec<EventResult> = input
        .events
        .iter()
        .map(|e| EventResult {
            id: e.id.clone(),
            installation_id: e.installation_id.clone(),
            pll_per_year: 0.0,
            pll_fraction: 0.0,
            max_deaths: 0.0,
        })
        .collect();
    let mut pairs: Vec<(f64, f64)> = Vec::new();
    let mut pll = 0.0;
    for (inst, &n) in prep.instances.iter().zip(&deaths) {
        if let Some(er) = ev_results.get_mut(inst.event) {
            er.pll_per_year += inst.weight * n;
            er.max_deaths = er.max_deaths.max(n);
        }
        pll += inst.weight * n;
        if n > 0.0 && inst.weight > 0.0 {
            pairs.push((n, inst.weight));
        }
    }
    for er in &mut ev_results {
        er.pll_fraction = if pll > 0.0 {
            er.pll_per_year / pll
        } else {
            0.0
        };
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut fn_curve: Vec<FnPoint> = Vec::new();
    let mut cum = 0.0;
    for (n, f) in pairs {
        cum += f;
        match fn_curve.last_mut() {
            // Equal N up to rounding (sums over cells in a different order) is one point.
            Some(last) if (last.n - n).abs() <= 1e-9 * last.n.abs().max(1.0) => {
                last.f_per_year = cum
            }
            _ => fn_curve.push(FnPoint { n, f_per_year: cum }),
        }
    }
    fn_curve.reverse();
    let fn_evaluation = evaluate_fn_curve(&fn_curve, &input.criteria.fn_lines)?;
    // Targets.
    let targets = input
        .protected_targets
        .iter()
        .map(|t| {
            let criterion = input.criteria.ir.limit(t.class, input.installation_status);
            let max_ir = target_max_ir(&ir, &grid, &t.geometry);
            TargetResult {
                id: t.id.clone(),
                name: t.name.clone(),
                class: t.class,
                criterion_per_year: criterion,
                max_ir_per_year: max_ir,
                pass: max_ir.map(|v| v <= criterion),
            }
        })
        .collect();
    // Contours.
    let frame = grid.frame();
    let label = Some((&input.criteria.ir, input.installation_status));
    let contours = contour_levels(&ir, &frame, &levels, label)?;
    // External safety distances.
    let mut external = Vec::with_capacity(input.installations.len());
    for inst in &input.installations {
        let classes = match opts.distance_basis {
            DistanceBasis::SiteRisk => {
                let rings_of = |level: f64| -> Result<Vec<ContourRing>, QraError> {
                    match contours.iter().find(|c| c.level_per_year == level) {
                        Some(c) => Ok(c.rings.clone()),
                        None => crate::risk::contour::contour_rings(&ir, &frame, level),
                    }
                };
                distances_for(&inst.boundary, &rings_of, true, input)?
            }
            DistanceBasis::OwnRisk => {
                let layer = prep.layer_ids.iter().position(|l| l == &inst.id);
                let own: Vec<f64> = match layer {
                    Some(_) if nl == 1 => ir.clone(),
                    Some(l) => (0..ny)
                        .flat_map(|r| {
                            own_layers[(r * nl + l) * nx..(r * nl + l + 1) * nx]
                                .iter()
                                .copied()
                        })
                        .collect(),
                    None => vec![0.0; nx * ny],
                };
                let rings_of =
                    |level: f64| crate::risk::contour::contour_rings(&own, &frame, level);
                distances_for(&inst.boundary, &rings_of, false, input)?
            }
        };
        external.push(InstallationDistances {
            installation_id: inst.id.clone(),
            classes,
        });
    }
    let geojson = match (&input.grid.geo_origin, opts.include_geojson) {
        (Some(origin), true) => Some(crate::risk::contour::to_geojson(&contours, origin)?),
        _ => None,
    };
    Ok(SiteAssessment {
        grid: GridInfo {
            origin_x_m: grid.ox,
            origin_y_m: grid.oy,
            cell_size_m: grid.cs,
            nx,
            ny,
            geo_origin: input.grid.geo_origin,
        },
        ir_per_year: if opts.include_raster { ir } else { Vec::new() },
        max_ir_per_year: max_ir,
        max_ir_at_m: max_at,
        fn_curve,
        fn_evaluation,
        pll_per_year: pll,
        population_on_grid: pop.on_grid,
        population_outside_grid: pop.outside,
        events: ev_results,
        targets,
        external_safety_distances: external,
        contours,
        geojson,
        instances: prep.instances.len(),
    })
}

/// [`assess_site`] over JSON: a [`SiteRiskInput`] object in, a [`SiteAssessment`] object out
/// (unknown fields refused). For `weihua qra site FILE` and the HTTP API.
pub fn assess_site_json(input: serde_json::Value) -> Result<serde_json::Value, QraError> {
    crate::run_json("site_risk", input, assess_site)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans() {
        let g = Grid {
            ox: 0.0,
            oy: 0.0,
            cs: 10.0,
            nx: 10,
            ny: 10,
        };
        // Centres at 5, 15, …, 95.
        assert_eq!(g.cols(5.0, 15.0), Some((0, 1)));
        assert_eq!(g.cols(6.0, 14.0), None);
        assert_eq!(g.cols(-100.0, 1000.0), Some((0, 9)));
        assert_eq!(g.cols(200.0, 300.0), None);
        assert_eq!(g.cell_of([99.0, 0.0]), Some(9));
        assert_eq!(g.cell_of([100.0, 0.0]), None);
    }

    #[test]
    fn rotation_convention() {
        // Wind from the south: downwind north; the left of downwind is west.
        let (ux, uy) = downwind_unit(180.0);
        let (e, n) = rotate(ux, uy, 100.0, 10.0);
        assert!((e + 10.0).abs() < 1e-9 && (n - 100.0).abs() < 1e-9);
    }
}
