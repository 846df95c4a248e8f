//! 定量风险计算 — risk integration for GB/T 37243-2019 §6 (定量风险评价法): loss-of-containment
//! scenarios, ignition and event trees, meteorology, lethality footprints, the individual-risk
//! raster (个人风险), societal risk (社会风险, F-N curve, PLL), GB 36894-2018 criteria, contours
//! and external safety distances (外部安全防护距离).
//!
//! This module is a **pure risk engine**: it knows no physical model. The integrator turns
//! consequence models (dispersion, fire, explosion and probits, elsewhere in this crate) into
//! [`footprint::Footprint`]s — lethality as a function of position in the wind frame — and
//! hands them, with frequencies, weather and population, to [`grid::assess_site`].
//!
//! Sub-modules:
//!
//! - [`loc`] — 泄漏场景 loss-of-containment (LOC) scenarios and frequencies per equipment type
//!   (Purple Book CPR 18E Ch. 3 and API RP 581 hole sizes; GB/T 37243 App. C is not public);
//! - [`ignition`] — 点火概率 ignition probabilities (Purple Book, HyRAM, Cox–Lees–Ang) and
//!   事件树 event trees (Purple Book style, HyRAM cascading tree);
//! - [`weather`] — 气象 weather classes and the wind rose (风玫瑰图), sector convention;
//! - [`footprint`] — 致死概率足迹 lethality footprints (radial, directional, offset);
//! - [`grid`] — 场地风险 site assessment: IR raster, F-N curve, PLL, targets, distances;
//! - [`metrics`] — PLL, FAR, AIR (HyRAM definitions);
//! - [`criteria`] — GB 36894-2018 风险基准 individual-risk and F-N criteria, external safety
//!   distance;
//! - [`contour`] — 等值线 marching-squares contours and GeoJSON.
//!
//! # Frame and conventions
//!
//! - Site frame: local metres, **x = east, y = north** (so north is +y), origin anywhere
//!   (e.g. a site corner); the grid's geographic origin (lat/lon of local (0, 0)) is used only
//!   for output (GeoJSON, [`contour`]).
//! - Wind direction: the direction the wind blows **from**, degrees clockwise from north
//!   (meteorological convention); sector k of n is centred on k·360°/n (16 sectors:
//!   k = 0 N, 1 NNE, 2 NE, … 8 S, … 15 NNW; 22.5° wide). See [`weather`].
//! - Footprint frame: x = downwind, y = crosswind (to the left of the downwind direction),
//!   metres from the release point. See [`footprint`].
//!
//! # Formulas (reference `shared/reference/qra-consequence.md` §15)
//!
//! IR(x, y) = Σ_events Σ_w Σ_d f_e · P_w · P_d|w · P_death(x, y | e, w, d), where an event is
//! one LOC × outcome with f_e = f_LOC · P_outcome|LOC. Societal risk: N_(e,w,d) =
//! Σ_cells n_cell · P_death with indoor and outdoor people weighted differently (§14.5);
//! F(N) = Σ f over (e, w, d) with N_(e,w,d) ≥ N; PLL = Σ f·N.
//!
//! Every value the public sources do not pin down is configurable and marked **assumed**.

pub mod contour;
pub mod criteria;
pub mod footprint;
pub mod grid;
pub mod ignition;
pub mod loc;
pub mod metrics;
pub mod weather;

mod geometry;

pub use contour::{ContourLevel, ContourRing, GeoOrigin, contour_levels, to_geojson};
pub use criteria::{
    FnCriterion, FnRegion, InstallationStatus, IrCriteria, TargetClass, evaluate_fn_curve,
};
pub use footprint::{DirectionalSampling, Footprint, FootprintShape};
pub use geometry::{Boundary, Geometry};
pub use grid::{
    DistanceBasis, GridSpec, IndoorFactors, Installation, PopulationItem, ProtectedTarget,
    RiskEvent, SiteAssessment, SiteRiskInput, SiteRiskOptions, assess_site, assess_site_json,
};
pub use ignition::Outcome;
pub use weather::{Period, WeatherClass, WindRose};
