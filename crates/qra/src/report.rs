//! 风险评价报告 — reports of a site assessment ([`crate::site::assess_study`]) for
//! regulators and for the record:
//!
//! - [`fn_curve_csv`] — the F-N curve as CSV, with the GB 36894 lines at each N and the
//!   region of each step;
//! - [`distances_json`] — a tidy JSON document: external safety distances per installation
//!   and protected-target class, protected-target checks, maximum individual risk, PLL, the
//!   F-N region and the criteria used;
//! - [`html_report`] — one self-contained HTML5 page (no script, no external asset, inline CSS
//!   and SVG; works offline and prints on A4), Chinese first with English in smaller type:
//!   inputs and the **assumed** defaults, scenarios, IR contour map, F-N chart, external safety
//!   distances, protected targets, warnings.
//!
//! Every function takes the [`StudyInput`] as well as the [`StudyResult`] computed from it:
//! the result does not carry the criteria (F-N lines, installation status), the names of the
//! installations or the plant description the report shows.
//!
//! Pure: no IO, no clock — the caller passes the generation time as text. All user-provided
//! text (names, ids, warnings) is escaped for HTML. The IR raster is never written out (the
//! page holds its contours only), so a page stays small (well under 1 MB for a 400 × 400 grid).
//!
//! Numbers of risk are written a×10ⁿ with Unicode superscripts ([`format_sci`]), e.g.
//! `3×10⁻⁷/年`.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Value, json};

use crate::discharge::StoredPhase;
use crate::risk::criteria::{FnCriterion, FnPoint, FnRegion, InstallationStatus, TargetClass};
use crate::risk::grid::TargetResult;
use crate::risk::ignition::Outcome;
use crate::risk::loc::{EquipmentType, LocKind};
use crate::risk::{Boundary, Geometry, Period, WindRose};
use crate::site::{StudyInput, StudyModels, StudyResult};

/// `write!` into a `String` (which cannot fail).
macro_rules! w {
    ($dst:expr, $($arg:tt)*) => {{
        let _ = write!($dst, $($arg)*);
    }};
}

// ---------------------------------------------------------------------------------------
// Number formatting
// ---------------------------------------------------------------------------------------

/// Superscript digits of an integer (`-7` → `⁻⁷`).
fn superscript(n: i32) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            other => other,
        })
        .collect()
}

/// `v` as a×10ⁿ with up to three significant digits and Unicode superscripts:
/// `3e-7` → `"3×10⁻⁷"`, `4.134e-6` → `"4.13×10⁻⁶"`, `0` → `"0"`, non-finite → `"—"`.
pub fn format_sci(v: f64) -> String {
    if !v.is_finite() {
        return "—".to_owned();
    }
    if v == 0.0 {
        return "0".to_owned();
    }
    let mut exp = v.abs().log10().floor() as i32;
    let mut m = v / 10f64.powi(exp);
    m = (m * 100.0).round() / 100.0;
    if m.abs() >= 10.0 {
        m /= 10.0;
        exp += 1;
    }
    format!("{}×10{}", trim_zeros(format!("{m:.2}")), superscript(exp))
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// Plain decimal with `digits` significant digits (a×10ⁿ outside 1e-4 … 1e7).
fn sig(v: f64, digits: i32) -> String {
    if !v.is_finite() {
        return "—".to_owned();
    }
    if v == 0.0 {
        return "0".to_owned();
    }
    let a = v.abs();
    if !(1e-4..1e7).contains(&a) {
        return format_sci(v);
    }
    let mag = a.log10().floor() as i32;
    let decimals = (digits - 1 - mag).max(0) as usize;
    trim_zeros(format!("{v:.decimals$}"))
}

/// A number for CSV: plain in 1e-3 … 1e7, else Rust's exponent form (both parse everywhere).
fn csv_num(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 || (1e-3..1e7).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// Risk per year, as text: `3×10⁻⁷/年`.
fn per_year(v: f64) -> String {
    format!("{}/年", format_sci(v))
}

/// Escapes text for HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The serde name of a value (an enum variant), or its compact JSON.
fn key_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Labels (中文, English)
// ---------------------------------------------------------------------------------------

fn class_en(c: TargetClass) -> &'static str {
    match c {
        TargetClass::HighSensitive => "High-sensitivity protected target",
        TargetClass::Important => "Important protected target",
        TargetClass::General1 => "General protected target, class I",
        TargetClass::General2 => "General protected target, class II",
        TargetClass::General3 => "General protected target, class III",
    }
}

fn region_label(r: FnRegion) -> (&'static str, &'static str) {
    match r {
        FnRegion::Acceptable => ("可接受区", "acceptable"),
        FnRegion::Alarp => ("尽可能降低区", "ALARP"),
        FnRegion::Unacceptable => ("不可接受区", "unacceptable"),
    }
}

fn region_key(r: FnRegion) -> &'static str {
    match r {
        FnRegion::Acceptable => "acceptable",
        FnRegion::Alarp => "alarp",
        FnRegion::Unacceptable => "unacceptable",
    }
}

fn status_label(s: InstallationStatus) -> (&'static str, &'static str) {
    match s {
        InstallationStatus::New => ("新建、改建、扩建", "new, altered or expanded"),
        InstallationStatus::InService => ("在役", "in service"),
    }
}

fn outcome_label(o: Outcome) -> (&'static str, &'static str) {
    match o {
        Outcome::Toxic => ("有毒气体扩散", "toxic dispersion"),
        Outcome::JetFire => ("喷射火", "jet fire"),
        Outcome::PoolFire => ("池火", "pool fire"),
        Outcome::Fireball => ("火球", "fireball / BLEVE"),
        Outcome::FlashFire => ("闪火", "flash fire"),
        Outcome::Vce => ("蒸气云爆炸", "vapour cloud explosion"),
        Outcome::NoEffect => ("无后果", "no effect"),
    }
}

fn loc_label(k: LocKind) -> (&'static str, &'static str) {
    match k {
        LocKind::Instantaneous => (
            "完全破裂（瞬时释放全部存量）",
            "instantaneous release of the complete inventory",
        ),
        LocKind::Continuous10Min => (
            "10 min 内连续释放全部存量",
            "complete inventory released in 10 min",
        ),
        LocKind::Hole10Mm => ("10 mm 孔泄漏", "10 mm hole"),
        LocKind::InstantaneousIntoOuter => {
            ("瞬时释放至外罐", "instantaneous, into the outer shell")
        }
        LocKind::Continuous10MinIntoOuter => {
            ("10 min 内释放至外罐", "10 min, into the outer shell")
        }
        LocKind::Rupture => ("全管径断裂", "full-bore rupture"),
        LocKind::Leak => ("泄漏（10 % 管径孔）", "leak (hole 10 % of the diameter)"),
        LocKind::Rupture10Tubes => ("10 根管断裂", "rupture of 10 tubes"),
        LocKind::Rupture1Tube => ("1 根管断裂", "rupture of 1 tube"),
        LocKind::ReliefDischarge => ("安全泄放装置排放", "relief device discharge"),
        LocKind::ApiSmall => ("API 581 小孔（6.35 mm）", "API 581 small hole"),
        LocKind::ApiMedium => ("API 581 中孔（25.4 mm）", "API 581 medium hole"),
        LocKind::ApiLarge => ("API 581 大孔（101.6 mm）", "API 581 large hole"),
        LocKind::ApiRupture => ("API 581 破裂", "API 581 rupture"),
    }
}

fn equipment_label(t: EquipmentType) -> (&'static str, &'static str) {
    match t {
        EquipmentType::PressureVessel => ("压力容器", "pressure vessel"),
        EquipmentType::ProcessVessel => ("工艺容器/反应器", "process or reactor vessel"),
        EquipmentType::AtmosphericTankSingle => ("常压储罐（单容罐）", "atmospheric tank, single"),
        EquipmentType::AtmosphericTankOuterShell => {
            ("常压储罐（带防护外壳）", "atmospheric tank, outer shell")
        }
        EquipmentType::AtmosphericTankDouble => ("双容罐", "double-containment tank"),
        EquipmentType::AtmosphericTankFull => ("全容罐/薄膜罐/地下罐", "full-containment tank"),
        EquipmentType::Pipe => ("管道", "pipe"),
        EquipmentType::Pump => ("泵", "pump"),
        EquipmentType::PumpCanned => ("屏蔽泵", "canned pump"),
        EquipmentType::Compressor => ("压缩机", "compressor"),
        EquipmentType::HeatExchangerOutsideTubes => {
            ("换热器（物料在管外）", "heat exchanger, outside tubes")
        }
        EquipmentType::HeatExchangerInsideTubes => {
            ("换热器（物料在管内）", "heat exchanger, inside tubes")
        }
        EquipmentType::PressureReliefDevice => ("安全泄放装置", "pressure relief device"),
        EquipmentType::LoadingArm => ("装卸臂", "loading arm"),
        EquipmentType::LoadingHose => ("装卸软管", "loading hose"),
        EquipmentType::PressureVesselApi581 => {
            ("压力容器（API 581 孔径）", "pressure vessel, API 581 holes")
        }
    }
}

fn phase_label(p: StoredPhase) -> (&'static str, &'static str) {
    match p {
        StoredPhase::Gas => ("气相", "gas"),
        StoredPhase::Liquid => ("液相（含液化气体）", "liquid / liquefied gas"),
    }
}

fn period_label(p: Period) -> (&'static str, &'static str) {
    match p {
        Period::Day => ("白天", "day"),
        Period::Night => ("夜间", "night"),
    }
}

/// `中文 <small>English</small>`.
fn bi(zh: &str, en: &str) -> String {
    format!("{zh} <small>{en}</small>")
}

/// Substance text of a piece of equipment: table names and CAS when known.
fn substance_html(query: &str) -> String {
    match crate::substance::lookup(query) {
        Some(s) => format!(
            "{} <small>{}</small> ({})",
            esc(&s.name_zh),
            esc(&s.name_en),
            esc(&s.cas)
        ),
        None => esc(query),
    }
}

// ---------------------------------------------------------------------------------------
// F-N regions per point
// ---------------------------------------------------------------------------------------

/// For each point of `curve` (same order): the region of the step that ends at it, as
/// [`crate::risk::criteria::evaluate_fn_curve`] sees it (the step (N_{k−1}, N_k] clipped to
/// [n_min, n_max], judged at its right end); `None` when the step lies outside that range.
fn point_regions(curve: &[FnPoint], c: &FnCriterion) -> Vec<Option<FnRegion>> {
    let mut order: Vec<usize> = (0..curve.len()).collect();
    order.sort_by(|&a, &b| curve[a].n.total_cmp(&curve[b].n));
    let n_max = c.n_max.unwrap_or(f64::INFINITY);
    let mut out = vec![None; curve.len()];
    let mut prev_n = 0.0_f64;
    for i in order {
        let p = curve[i];
        let lo = prev_n.max(c.n_min);
        let hi = p.n.min(n_max);
        prev_n = p.n;
        if hi < lo || hi <= 0.0 {
            continue;
        }
        let region = if p.f_per_year > c.upper_f(hi) {
            FnRegion::Unacceptable
        } else if p.f_per_year > c.lower_f(hi) {
            FnRegion::Alarp
        } else {
            FnRegion::Acceptable
        };
        out[i] = Some(region);
    }
    out
}

fn in_fn_range(n: f64, c: &FnCriterion) -> bool {
    n >= c.n_min && n <= c.n_max.unwrap_or(f64::INFINITY)
}

/// The F-N curve as CSV: header `n,f_per_year,upper_criterion_f,lower_criterion_f,region`,
/// then one row per point of `result.assessment.fn_curve` (ascending N).
///
/// - `upper_criterion_f`, `lower_criterion_f`: F of the study's GB 36894 lines
///   (`input.criteria.fn`) at that N, per year; empty when N lies outside the range
///   [n_min, n_max] the lines apply to.
/// - `region`: `acceptable`, `alarp` or `unacceptable` — the step of the curve that ends at
///   this point against the lines, exactly as the assessment's `fn_evaluation` judges it — or
///   `outside_criterion_range`.
///
/// Numbers are plain decimals or Rust exponent form (`4.98e-7`); both parse in any CSV reader.
pub fn fn_curve_csv(input: &StudyInput, result: &StudyResult) -> String {
    let c = &input.criteria.fn_lines;
    let curve = &result.assessment.fn_curve;
    let regions = point_regions(curve, c);
    let mut out = String::from("n,f_per_year,upper_criterion_f,lower_criterion_f,region\n");
    for (p, region) in curve.iter().zip(&regions) {
        let (up, lo) = if in_fn_range(p.n, c) {
            (csv_num(c.upper_f(p.n)), csv_num(c.lower_f(p.n)))
        } else {
            (String::new(), String::new())
        };
        let region = region.map_or("outside_criterion_range", region_key);
        w!(
            out,
            "{},{},{},{},{}\n",
            csv_num(p.n),
            csv_num(p.f_per_year),
            up,
            lo,
            region
        );
    }
    out
}

// ---------------------------------------------------------------------------------------
// Distances JSON
// ---------------------------------------------------------------------------------------

fn distance_note(exists: bool, truncated: bool, distance_m: f64) -> (&'static str, &'static str) {
    if truncated {
        (
            "等值线受计算网格截断，距离为下限，请扩大网格",
            "contour truncated by the grid: the distance is a lower bound, enlarge the grid",
        )
    } else if !exists {
        (
            "该风险水平的等值线不存在（距离为 0）",
            "no contour at this level (distance 0)",
        )
    } else if distance_m <= 0.0 {
        (
            "等值线位于装置边界以内",
            "contour lies within the installation boundary",
        )
    } else {
        ("等值线存在", "contour exists")
    }
}

fn target_status(t: &TargetResult) -> &'static str {
    match t.pass {
        Some(true) => "pass",
        Some(false) => "fail",
        None => "outside_grid",
    }
}

/// Rounded to 0.1 m (a distance is accurate to about a grid cell).
fn round_dm(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A tidy JSON document for regulators: external safety distances per installation and
/// protected-target class, protected-target checks, maximum individual risk, PLL, the F-N
/// region and the criteria used.
///
/// ```text
/// { "document": "weihua-qra/external-safety-distances", "version": 1, "study": …,
///   "standards": […], "installation_status": "new", "distance_basis": "site_risk",
///   "grid": {…}, "criteria": {"individual_risk": [{class, class_zh, class_en, table_row,
///   criterion_per_year}…], "fn": {…}, "contour_levels_per_year": […]},
///   "installations": [{id, name, external_safety_distances: [{class, class_zh, class_en,
///   criterion_per_year, distance_m, contour_exists, truncated_by_grid, note_zh, note_en}…]}],
///   "protected_targets": [{id, name, class, …, max_ir_per_year, pass, status}…],
///   "individual_risk": {max_per_year, at_m}, "societal_risk": {pll_per_year, fn_region, …},
///   "warnings": […] }
/// ```
///
/// Distances are rounded to 0.1 m; risks are per year, unrounded.
pub fn distances_json(input: &StudyInput, result: &StudyResult) -> Value {
    let a = &result.assessment;
    let status = input.installation_status;
    let crit = &input.criteria;
    let classes: Vec<Value> = TargetClass::ALL
        .iter()
        .map(|&c| {
            json!({
                "class": c.key(),
                "class_zh": c.name_zh(),
                "class_en": class_en(c),
                "table_row": c.table_row(),
                "criterion_per_year": crit.ir.limit(c, status),
            })
        })
        .collect();
    let installations: Vec<Value> = a
        .external_safety_distances
        .iter()
        .map(|inst| {
            let name = input
                .installations
                .iter()
                .find(|i| i.id == inst.installation_id)
                .map(|i| i.name.clone())
                .unwrap_or_default();
            let distances: Vec<Value> = inst
                .classes
                .iter()
                .map(|c| {
                    let d = c.distance;
                    let (zh, en) =
                        distance_note(d.contour_exists, d.truncated_by_grid, d.distance_m);
                    json!({
                        "class": c.class.key(),
                        "class_zh": c.class_zh,
                        "class_en": class_en(c.class),
                        "criterion_per_year": c.criterion_per_year,
                        "distance_m": round_dm(d.distance_m),
                        "contour_exists": d.contour_exists,
                        "truncated_by_grid": d.truncated_by_grid,
                        "note_zh": zh,
                        "note_en": en,
                    })
                })
                .collect();
            json!({
                "id": inst.installation_id,
                "name": name,
                "external_safety_distances": distances,
            })
        })
        .collect();
    let targets: Vec<Value> = a
        .targets
        .iter()
        .map(|t| {
            json!({
                "id": t.id,
                "name": t.name,
                "class": t.class.key(),
                "class_zh": t.class.name_zh(),
                "class_en": class_en(t.class),
                "criterion_per_year": t.criterion_per_year,
                "max_ir_per_year": t.max_ir_per_year,
                "pass": t.pass,
                "status": target_status(t),
            })
        })
        .collect();
    let ev = &a.fn_evaluation;
    let (region_zh, _) = region_label(ev.region);
    json!({
        "document": "weihua-qra/external-safety-distances",
        "version": 1,
        "study": result.name,
        "standards": ["GB/T 37243-2019", "GB 36894-2018"],
        "installation_status": key_of(&status),
        "distance_basis": key_of(&input.options.distance_basis),
        "grid": {
            "origin_x_m": a.grid.origin_x_m,
            "origin_y_m": a.grid.origin_y_m,
            "cell_size_m": a.grid.cell_size_m,
            "nx": a.grid.nx,
            "ny": a.grid.ny,
        },
        "criteria": {
            "individual_risk": classes,
            "fn": {
                "upper_f_at_n1_per_year": crit.fn_lines.upper_f_at_n1_per_year,
                "lower_f_at_n1_per_year": crit.fn_lines.lower_f_at_n1_per_year,
                "slope": crit.fn_lines.slope,
                "n_min": crit.fn_lines.n_min,
                "n_max": crit.fn_lines.n_max,
            },
            "contour_levels_per_year": a.contours.iter().map(|c| c.level_per_year).collect::<Vec<_>>(),
        },
        "installations": installations,
        "protected_targets": targets,
        "individual_risk": {
            "max_per_year": a.max_ir_per_year,
            "at_m": a.max_ir_at_m,
        },
        "societal_risk": {
            "pll_per_year": a.pll_per_year,
            "fn_region": region_key(ev.region),
            "fn_region_zh": region_zh,
            "first_n_unacceptable": ev.first_n_unacceptable,
            "first_n_above_lower_line": ev.first_n_above_lower_line,
            "max_ratio_to_upper": ev.max_ratio_to_upper,
            "max_ratio_to_lower": ev.max_ratio_to_lower,
            "fn_points": a.fn_curve.len(),
        },
        "warnings": result.warnings,
    })
}

// ---------------------------------------------------------------------------------------
// SVG helpers
// ---------------------------------------------------------------------------------------

/// A coordinate for SVG (one decimal, no `-0`).
fn c1(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    trim_zeros(format!("{r:.1}"))
}

#[derive(Debug, Clone, Copy)]
struct BBox {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl BBox {
    fn empty() -> Self {
        BBox {
            x0: f64::INFINITY,
            y0: f64::INFINITY,
            x1: f64::NEG_INFINITY,
            y1: f64::NEG_INFINITY,
        }
    }
    fn add(&mut self, x: f64, y: f64) {
        if x.is_finite() && y.is_finite() {
            self.x0 = self.x0.min(x);
            self.y0 = self.y0.min(y);
            self.x1 = self.x1.max(x);
            self.y1 = self.y1.max(y);
        }
    }
    fn is_empty(&self) -> bool {
        self.x0 > self.x1 || self.y0 > self.y1
    }
    fn add_boundary(&mut self, b: &Boundary) {
        match b {
            Boundary::Polygon { vertices_m } => {
                vertices_m.iter().for_each(|v| self.add(v[0], v[1]))
            }
            Boundary::Circle { x_m, y_m, radius_m } => {
                self.add(x_m - radius_m, y_m - radius_m);
                self.add(x_m + radius_m, y_m + radius_m);
            }
        }
    }
    fn add_geometry(&mut self, g: &Geometry) {
        match g {
            Geometry::Point { x_m, y_m } => self.add(*x_m, *y_m),
            Geometry::Polygon { vertices_m } => {
                vertices_m.iter().for_each(|v| self.add(v[0], v[1]))
            }
        }
    }
}

/// Local metres → SVG pixels, north up.
#[derive(Debug, Clone, Copy)]
struct MapFrame {
    x0: f64,
    y1: f64,
    s: f64,
    ox: f64,
    oy: f64,
}

impl MapFrame {
    fn p(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.ox + (x - self.x0) * self.s,
            self.oy + (self.y1 - y) * self.s,
        )
    }
}

/// A closed path through `pts` (local m), dropping vertices closer than `min_px` to the last
/// one kept (a ring keeps at least its first three vertices).
fn ring_path(out: &mut String, f: &MapFrame, pts: &[[f64; 2]], min_px: f64) {
    let mut last: Option<(f64, f64)> = None;
    let mut kept = 0usize;
    for (k, p) in pts.iter().enumerate() {
        let (x, y) = f.p(p[0], p[1]);
        if let Some((lx, ly)) = last {
            let remaining = pts.len() - k;
            if (x - lx).hypot(y - ly) < min_px && kept + remaining > 3 && kept >= 3 {
                continue;
            }
        }
        out.push_str(if last.is_none() { "M" } else { "L" });
        w!(out, "{} {}", c1(x), c1(y));
        last = Some((x, y));
        kept += 1;
    }
    if kept > 0 {
        out.push('Z');
    }
}

/// Fill colours of the contour levels, weakest (lowest level) first.
const LEVEL_COLOURS: [&str; 5] = ["#f2c500", "#f39c12", "#e8590c", "#c62828", "#7b1010"];

fn level_colour(i: usize, n: usize) -> &'static str {
    if n <= 1 {
        return LEVEL_COLOURS[2];
    }
    let k = i * (LEVEL_COLOURS.len() - 1) / (n - 1);
    LEVEL_COLOURS[k.min(LEVEL_COLOURS.len() - 1)]
}

fn target_colour(pass: Option<bool>) -> &'static str {
    match pass {
        Some(true) => "#1a7f37",
        Some(false) => "#c62828",
        None => "#777777",
    }
}

/// A "nice" length 1, 2 or 5 × 10ᵏ not above `v`.
fn nice_below(v: f64) -> f64 {
    if v.is_nan() || v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [5.0, 2.0, 1.0] {
        if m * p <= v {
            return m * p;
        }
    }
    p
}

fn metres_text(m: f64) -> String {
    if m >= 1000.0 {
        format!("{} km", sig(m / 1000.0, 3))
    } else {
        format!("{} m", sig(m, 3))
    }
}

/// The IR contour map (local metres, north up, scale bar, legend).
fn map_svg(input: &StudyInput, result: &StudyResult) -> String {
    const W: f64 = 720.0;
    const MAX_H: f64 = 600.0;
    const MARGIN: f64 = 8.0;
    let a = &result.assessment;
    let mut bb = BBox::empty();
    for c in &a.contours {
        for r in &c.rings {
            for p in &r.points_m {
                bb.add(p[0], p[1]);
            }
        }
    }
    for inst in &input.installations {
        bb.add_boundary(&inst.boundary);
        for eq in &inst.equipment {
            bb.add(eq.x_m, eq.y_m);
        }
    }
    for t in &input.protected_targets {
        bb.add_geometry(&t.geometry);
    }
    // Population is drawn but does not widen the view (a census grid would shrink the
    // contours to a dot).
    let g = &a.grid;
    let (gw, gh) = (g.nx as f64 * g.cell_size_m, g.ny as f64 * g.cell_size_m);
    if bb.is_empty() {
        bb.add(g.origin_x_m, g.origin_y_m);
        bb.add(g.origin_x_m + gw, g.origin_y_m + gh);
    }
    // Pad by 8 % and at least 4 cells; at least 100 m across.
    let pad = (0.08 * (bb.x1 - bb.x0).max(bb.y1 - bb.y0)).max(4.0 * g.cell_size_m);
    let (mut x0, mut x1, mut y0, mut y1) = (bb.x0 - pad, bb.x1 + pad, bb.y0 - pad, bb.y1 + pad);
    for (lo, hi) in [(&mut x0, &mut x1), (&mut y0, &mut y1)] {
        if *hi - *lo < 100.0 {
            let mid = 0.5 * (*lo + *hi);
            *lo = mid - 50.0;
            *hi = mid + 50.0;
        }
    }
    let (dx, dy) = (x1 - x0, y1 - y0);
    let s = ((W - 2.0 * MARGIN) / dx).min((MAX_H - 2.0 * MARGIN) / dy);
    let (mw, mh) = (dx * s, dy * s);
    let f = MapFrame {
        x0,
        y1,
        s,
        ox: 0.5 * (W - mw),
        oy: MARGIN,
    };
    let mut levels: Vec<(usize, &crate::risk::ContourLevel)> =
        a.contours.iter().enumerate().collect();
    levels.sort_by(|p, q| p.1.level_per_year.total_cmp(&q.1.level_per_year));
    let n_levels = levels.len();
    let legend_top = f.oy + mh + 22.0;
    let legend_h = 30.0 * n_levels as f64 + 3.0 * 18.0 + 8.0;
    let h = legend_top + legend_h;
    let mut o = String::new();
    w!(
        o,
        r##"<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {}" width="{W}" height="{}" role="img" aria-label="个人风险等值线图 Individual risk contour map" font-size="11">"##,
        c1(h),
        c1(h)
    );
    w!(
        o,
        r##"<defs><clipPath id="wh-map-clip"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>"##,
        c1(f.ox),
        c1(f.oy),
        c1(mw),
        c1(mh)
    );
    w!(
        o,
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#fcfcfa" stroke="#333" stroke-width="1"/>"##,
        c1(f.ox),
        c1(f.oy),
        c1(mw),
        c1(mh)
    );
    o.push_str(r##"<g clip-path="url(#wh-map-clip)">"##);
    // The grid.
    {
        let (gx0, gy0) = f.p(g.origin_x_m, g.origin_y_m + gh);
        w!(
            o,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#888" stroke-width="1" stroke-dasharray="6 4"/>"##,
            c1(gx0),
            c1(gy0),
            c1(gw * s),
            c1(gh * s)
        );
    }
    // Population.
    for p in &input.population {
        match &p.geometry {
            Geometry::Polygon { vertices_m } => {
                let mut d = String::new();
                ring_path(&mut d, &f, vertices_m, 0.0);
                w!(
                    o,
                    r##"<path d="{d}" fill="#9ecae1" fill-opacity="0.45" stroke="#3182bd" stroke-width="1"/>"##
                );
            }
            Geometry::Point { x_m, y_m } => {
                let (x, y) = f.p(*x_m, *y_m);
                // Outside the view: clipped anyway, left out of the page.
                if x < f.ox - 4.0 || x > f.ox + mw + 4.0 || y < f.oy - 4.0 || y > f.oy + mh + 4.0 {
                    continue;
                }
                w!(
                    o,
                    r##"<rect x="{}" y="{}" width="4" height="4" fill="#3182bd" fill-opacity="0.6"/>"##,
                    c1(x - 2.0),
                    c1(y - 2.0)
                );
            }
        }
    }
    // Contours: weakest level (largest area) first.
    for (rank, (_, level)) in levels.iter().enumerate() {
        if level.rings.is_empty() {
            continue;
        }
        let colour = level_colour(rank, n_levels);
        let mut d = String::new();
        for ring in &level.rings {
            ring_path(&mut d, &f, &ring.points_m, 0.8);
        }
        w!(
            o,
            r##"<path d="{d}" fill="{colour}" fill-opacity="0.3" fill-rule="evenodd" stroke="{colour}" stroke-width="1.6"><title>{}</title></path>"##,
            per_year(level.level_per_year)
        );
    }
    // Installation boundaries.
    for inst in &input.installations {
        match &inst.boundary {
            Boundary::Polygon { vertices_m } => {
                let mut d = String::new();
                ring_path(&mut d, &f, vertices_m, 0.0);
                w!(
                    o,
                    r##"<path d="{d}" fill="none" stroke="#222" stroke-width="1.6"><title>{}</title></path>"##,
                    esc(&inst.id)
                );
            }
            Boundary::Circle { x_m, y_m, radius_m } => {
                let (x, y) = f.p(*x_m, *y_m);
                w!(
                    o,
                    r##"<circle cx="{}" cy="{}" r="{}" fill="none" stroke="#222" stroke-width="1.6"><title>{}</title></circle>"##,
                    c1(x),
                    c1(y),
                    c1((radius_m * s).max(1.0)),
                    esc(&inst.id)
                );
            }
        }
    }
    // Equipment.
    for inst in &input.installations {
        for eq in &inst.equipment {
            let (x, y) = f.p(eq.x_m, eq.y_m);
            w!(
                o,
                r##"<circle cx="{}" cy="{}" r="3.5" fill="#111"/><text x="{}" y="{}" font-size="10">{}</text>"##,
                c1(x),
                c1(y),
                c1(x + 5.0),
                c1(y - 5.0),
                esc(&eq.id)
            );
        }
    }
    // Protected targets.
    for t in &input.protected_targets {
        let pass = a.targets.iter().find(|r| r.id == t.id).and_then(|r| r.pass);
        let colour = target_colour(pass);
        let (cx, cy) = match &t.geometry {
            Geometry::Point { x_m, y_m } => f.p(*x_m, *y_m),
            Geometry::Polygon { vertices_m } => {
                let mut d = String::new();
                ring_path(&mut d, &f, vertices_m, 0.0);
                w!(
                    o,
                    r##"<path d="{d}" fill="{colour}" fill-opacity="0.12" stroke="{colour}" stroke-width="1.4" stroke-dasharray="4 2"/>"##
                );
                let n = vertices_m.len().max(1) as f64;
                let (sx, sy) = vertices_m
                    .iter()
                    .fold((0.0, 0.0), |(a, b), v| (a + v[0], b + v[1]));
                f.p(sx / n, sy / n)
            }
        };
        w!(
            o,
            r##"<path d="M{} {}L{} {}L{} {}Z" fill="{colour}" stroke="#fff" stroke-width="0.8"/><text x="{}" y="{}" font-size="10" fill="{colour}">{}</text>"##,
            c1(cx),
            c1(cy - 6.0),
            c1(cx + 5.5),
            c1(cy + 4.0),
            c1(cx - 5.5),
            c1(cy + 4.0),
            c1(cx + 7.0),
            c1(cy + 4.0),
            esc(&t.id)
        );
    }
    // Maximum IR.
    if a.max_ir_per_year > 0.0 {
        let (x, y) = f.p(a.max_ir_at_m[0], a.max_ir_at_m[1]);
        w!(
            o,
            r##"<path d="M{} {}l8 8m0 -8l-8 8" stroke="#6a1b9a" stroke-width="2"/>"##,
            c1(x - 4.0),
            c1(y - 4.0)
        );
    }
    o.push_str("</g>");
    // North arrow.
    {
        let (nx, ny) = (f.ox + mw - 22.0, f.oy + 12.0);
        w!(
            o,
            r##"<g><path d="M{} {}l7 20l-7 -6l-7 6z" fill="#111"/><text x="{}" y="{}" text-anchor="middle" font-weight="bold">N 北</text></g>"##,
            c1(nx),
            c1(ny),
            c1(nx),
            c1(ny + 32.0)
        );
    }
    // Scale bar.
    {
        let len_m = nice_below(0.22 * dx);
        let len_px = len_m * s;
        let (bx, by) = (f.ox + 12.0, f.oy + mh - 14.0);
        w!(
            o,
            r##"<g><rect x="{}" y="{}" width="{}" height="5" fill="#111"/><rect x="{}" y="{}" width="{}" height="5" fill="#fff" stroke="#111" stroke-width="0.8"/><text x="{}" y="{}" font-size="10">0</text><text x="{}" y="{}" font-size="10" text-anchor="end">{}</text></g>"##,
            c1(bx),
            c1(by),
            c1(0.5 * len_px),
            c1(bx + 0.5 * len_px),
            c1(by),
            c1(0.5 * len_px),
            c1(bx),
            c1(by - 3.0),
            c1(bx + len_px),
            c1(by - 3.0),
            metres_text(len_m)
        );
    }
    // Legend.
    let lx = 16.0;
    let mut ly = legend_top;
    w!(
        o,
        r##"<text x="{}" y="{}" font-weight="bold">图例 <tspan font-size="9" fill="#555">Legend</tspan></text>"##,
        c1(lx),
        c1(ly - 6.0)
    );
    for (rank, (_, level)) in levels.iter().enumerate() {
        let colour = level_colour(rank, n_levels);
        let reached = if level.rings.is_empty() {
            " （未达到 not reached）"
        } else {
            ""
        };
        w!(
            o,
            r##"<rect x="{}" y="{}" width="16" height="10" fill="{colour}" fill-opacity="0.3" stroke="{colour}" stroke-width="1.6"/><text x="{}" y="{}">IR ≥ {}{}{}</text>"##,
            c1(lx),
            c1(ly + 2.0),
            c1(lx + 24.0),
            c1(ly + 11.0),
            per_year(level.level_per_year),
            if level.class_zh.is_empty() {
                String::new()
            } else {
                format!(" — {}", esc(&level.class_zh))
            },
            reached
        );
        if !level.class.is_empty() {
            w!(
                o,
                r##"<text x="{}" y="{}" font-size="9" fill="#555">individual risk contour — {}</text>"##,
                c1(lx + 24.0),
                c1(ly + 23.0),
                esc(&level.class)
            );
        }
        ly += 30.0;
    }
    let sym = [
        (
            r##"<circle cx="8" cy="6" r="3.5" fill="#111"/>"##,
            "设备 <tspan font-size=\"9\" fill=\"#555\">equipment</tspan>",
        ),
        (
            r##"<rect x="1" y="1" width="14" height="10" fill="none" stroke="#222" stroke-width="1.6"/>"##,
            "装置边界 <tspan font-size=\"9\" fill=\"#555\">installation boundary</tspan>",
        ),
        (
            r##"<path d="M8 0L13.5 10L2.5 10Z" fill="#1a7f37"/>"##,
            "防护目标：满足 <tspan font-size=\"9\" fill=\"#555\">protected target, complies</tspan>",
        ),
        (
            r##"<path d="M8 0L13.5 10L2.5 10Z" fill="#c62828"/>"##,
            "防护目标：不满足 <tspan font-size=\"9\" fill=\"#555\">protected target, fails</tspan>",
        ),
        (
            r##"<rect x="1" y="1" width="14" height="10" fill="#9ecae1" fill-opacity="0.45" stroke="#3182bd"/>"##,
            "人口 <tspan font-size=\"9\" fill=\"#555\">population</tspan>",
        ),
        (
            r##"<path d="M4 2l8 8m0 -8l-8 8" stroke="#6a1b9a" stroke-width="2"/>"##,
            "最大个人风险位置 <tspan font-size=\"9\" fill=\"#555\">maximum IR</tspan>",
        ),
    ];
    for (k, (icon, text)) in sym.iter().enumerate() {
        let col = (k % 2) as f64;
        let row = (k / 2) as f64;
        let (x, y) = (lx + col * 350.0, ly + row * 18.0);
        w!(
            o,
            r##"<g transform="translate({},{})">{icon}<text x="24" y="10">{text}</text></g>"##,
            c1(x),
            c1(y)
        );
    }
    o.push_str("</svg>");
    o
}

/// A small wind rose: sector wedges (wind FROM the sector, clockwise from north) scaled to the
/// largest probability.
fn wind_rose_svg(probs: &[f64], title: &str) -> String {
    const S: f64 = 170.0;
    let (cx, cy, r) = (S / 2.0, S / 2.0 - 4.0, 58.0);
    let n = probs.len().max(1);
    let pmax = probs.iter().copied().fold(0.0_f64, f64::max);
    let mut o = String::new();
    w!(
        o,
        r##"<svg class="rose" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {S} {}" width="{S}" height="{}" font-size="10" role="img" aria-label="风玫瑰图 wind rose">"##,
        S + 14.0,
        S + 14.0
    );
    w!(
        o,
        r##"<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="#bbb"/><circle cx="{cx}" cy="{cy}" r="{}" fill="none" stroke="#ddd"/>"##,
        r / 2.0
    );
    let width = 360.0 / n as f64;
    for (k, &p) in probs.iter().enumerate() {
        if p.is_nan() || p <= 0.0 || pmax <= 0.0 {
            continue;
        }
        let rr = r * p / pmax;
        let centre = k as f64 * width;
        let pt = |deg: f64| {
            let t = deg.to_radians();
            (cx + rr * t.sin(), cy - rr * t.cos())
        };
        let (ax, ay) = pt(centre - 0.5 * width);
        let (bx, by) = pt(centre + 0.5 * width);
        w!(
            o,
            r##"<path d="M{cx} {cy}L{} {}A{} {} 0 0 1 {} {}Z" fill="#4c78a8" fill-opacity="0.75" stroke="#fff" stroke-width="0.6"/>"##,
            c1(ax),
            c1(ay),
            c1(rr),
            c1(rr),
            c1(bx),
            c1(by)
        );
    }
    for (label, dx, dy) in [
        ("N", 0.0, -(r + 5.0)),
        ("E", r + 8.0, 4.0),
        ("S", 0.0, r + 13.0),
        ("W", -(r + 8.0), 4.0),
    ] {
        w!(
            o,
            r##"<text x="{}" y="{}" text-anchor="middle" font-weight="bold">{label}</text>"##,
            c1(cx + dx),
            c1(cy + dy)
        );
    }
    w!(
        o,
        r##"<text x="{}" y="{}" font-size="8" fill="#555">{}%</text><text x="{}" y="{}" text-anchor="middle">{}</text></svg>"##,
        c1(cx + r * 0.72),
        c1(cy - r * 0.72),
        sig(100.0 * pmax, 3),
        c1(cx),
        c1(S + 10.0),
        title
    );
    o
}

/// The F-N chart on log-log axes: the step curve, the GB 36894 lines and their regions.
fn fn_chart_svg(input: &StudyInput, result: &StudyResult) -> String {
    const W: f64 = 660.0;
    const PL: f64 = 74.0;
    const PR: f64 = 16.0;
    const PT: f64 = 14.0;
    const PH: f64 = 380.0;
    let pw = W - PL - PR;
    let c = &input.criteria.fn_lines;
    let curve: Vec<FnPoint> = {
        let mut v = result.assessment.fn_curve.clone();
        v.retain(|p| p.n > 0.0 && p.n.is_finite() && p.f_per_year.is_finite());
        v.sort_by(|a, b| a.n.total_cmp(&b.n));
        v
    };
    // Decades of the axes.
    let xlo = c.n_min.min(1.0).log10().floor();
    let n_top = curve.last().map_or(1.0, |p| p.n);
    let xhi = n_top
        .max(10f64.powf(xlo + 3.0))
        .log10()
        .ceil()
        .min(xlo + 9.0);
    let (nlo, nhi) = (10f64.powf(xlo), 10f64.powf(xhi));
    let drawn: Vec<FnPoint> = curve.iter().copied().filter(|p| p.n >= nlo).collect();
    let line_lo = c.n_min.max(nlo);
    let line_hi = c.n_max.unwrap_or(f64::INFINITY).min(nhi);
    let mut fmin = f64::INFINITY;
    let mut fmax = f64::NEG_INFINITY;
    for p in &drawn {
        if p.f_per_year > 0.0 {
            fmin = fmin.min(p.f_per_year);
            fmax = fmax.max(p.f_per_year);
        }
    }
    if line_hi >= line_lo {
        fmin = fmin.min(c.lower_f(line_hi));
        fmax = fmax.max(c.upper_f(line_lo));
    }
    if !fmin.is_finite() || !fmax.is_finite() || fmin <= 0.0 {
        fmin = 1e-9;
        fmax = 1e-3;
    }
    let yhi = fmax.log10().ceil();
    let mut ylo = fmin.log10().floor();
    if yhi - ylo > 12.0 {
        ylo = yhi - 12.0;
    }
    if yhi - ylo < 2.0 {
        ylo = yhi - 2.0;
    }
    let px = |n: f64| PL + (n.log10() - xlo) / (xhi - xlo) * pw;
    let py = |f: f64| PT + (yhi - f.log10()) / (yhi - ylo) * PH;
    let bottom = PT + PH;
    let legend_top = bottom + 48.0;
    let h = legend_top + 3.0 * 18.0 + 6.0;
    let mut o = String::new();
    w!(
        o,
        r##"<svg class="fn" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {}" width="{W}" height="{}" font-size="11" role="img" aria-label="F-N 曲线 F-N curve">"##,
        c1(h),
        c1(h)
    );
    w!(
        o,
        r##"<defs><clipPath id="wh-fn-clip"><rect x="{PL}" y="{PT}" width="{}" height="{PH}"/></clipPath></defs>"##,
        c1(pw)
    );
    // Regions.
    o.push_str(r##"<g clip-path="url(#wh-fn-clip)">"##);
    let mut region_labels = String::new();
    if line_hi > line_lo {
        let (xa, xb) = (px(line_lo), px(line_hi));
        let (ua, ub) = (py(c.upper_f(line_lo)), py(c.upper_f(line_hi)));
        let (la, lb) = (py(c.lower_f(line_lo)), py(c.lower_f(line_hi)));
        let poly = |o: &mut String, pts: [(f64, f64); 4], fill: &str| {
            w!(
                o,
                r##"<path d="M{} {}L{} {}L{} {}L{} {}Z" fill="{fill}"/>"##,
                c1(pts[0].0),
                c1(pts[0].1),
                c1(pts[1].0),
                c1(pts[1].1),
                c1(pts[2].0),
                c1(pts[2].1),
                c1(pts[3].0),
                c1(pts[3].1)
            );
        };
        let top = PT - 1.0;
        let bot = bottom + 1.0;
        poly(
            &mut o,
            [(xa, top), (xb, top), (xb, ub), (xa, ua)],
            "#fbe3e1",
        );
        poly(&mut o, [(xa, ua), (xb, ub), (xb, lb), (xa, la)], "#fff3cd");
        poly(
            &mut o,
            [(xa, la), (xb, lb), (xb, bot), (xa, bot)],
            "#e3f4e6",
        );
        // Labels where they fit.
        if ub - PT > 26.0 {
            w!(
                region_labels,
                r##"<text x="{}" y="{}" text-anchor="end" fill="#a11" font-weight="bold">不可接受区 <tspan font-size="9" font-weight="normal">unacceptable</tspan></text>"##,
                c1(xb - 8.0),
                c1(PT + 16.0)
            );
        }
        let nm = (line_lo * line_hi).sqrt();
        let (yu, yl) = (py(c.upper_f(nm)), py(c.lower_f(nm)));
        if yl - yu > 16.0 && yu > PT && yl < bottom {
            w!(
                region_labels,
                r##"<text x="{}" y="{}" text-anchor="middle" fill="#8a6100" font-weight="bold">尽可能降低区 <tspan font-size="9" font-weight="normal">ALARP</tspan></text>"##,
                c1(px(nm)),
                c1(0.5 * (yu + yl) + 4.0)
            );
        }
        if bottom - la > 26.0 {
            w!(
                region_labels,
                r##"<text x="{}" y="{}" fill="#1a6b2f" font-weight="bold">可接受区 <tspan font-size="9" font-weight="normal">acceptable</tspan></text>"##,
                c1(xa + 8.0),
                c1(bottom - 10.0)
            );
        }
    }
    o.push_str("</g>");
    // Axes and grid.
    let mut d = xlo as i32;
    while d <= xhi as i32 {
        let x = px(10f64.powi(d));
        w!(
            o,
            r##"<line x1="{}" y1="{PT}" x2="{}" y2="{}" stroke="#bbb" stroke-width="0.6"/><text x="{}" y="{}" text-anchor="middle">{}</text>"##,
            c1(x),
            c1(x),
            c1(bottom),
            c1(x),
            c1(bottom + 15.0),
            if (0..=4).contains(&d) {
                format!("{}", 10i64.pow(d as u32))
            } else {
                format!("10{}", superscript(d))
            }
        );
        if d < xhi as i32 {
            for m in 2..10 {
                let x = px(f64::from(m) * 10f64.powi(d));
                w!(
                    o,
                    r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999" stroke-width="0.6"/>"##,
                    c1(x),
                    c1(bottom),
                    c1(x),
                    c1(bottom - 4.0)
                );
            }
        }
        d += 1;
    }
    let mut e = ylo as i32;
    while e <= yhi as i32 {
        let y = py(10f64.powi(e));
        w!(
            o,
            r##"<line x1="{PL}" y1="{}" x2="{}" y2="{}" stroke="#bbb" stroke-width="0.6"/><text x="{}" y="{}" text-anchor="end">10{}</text>"##,
            c1(y),
            c1(PL + pw),
            c1(y),
            c1(PL - 6.0),
            c1(y + 4.0),
            superscript(e)
        );
        e += 1;
    }
    w!(
        o,
        r##"<rect x="{PL}" y="{PT}" width="{}" height="{PH}" fill="none" stroke="#333"/>"##,
        c1(pw)
    );
    // Criterion lines.
    if line_hi > line_lo {
        w!(
            o,
            r##"<g clip-path="url(#wh-fn-clip)"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#c62828" stroke-width="1.8"/><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1a7f37" stroke-width="1.8" stroke-dasharray="7 4"/></g>"##,
            c1(px(line_lo)),
            c1(py(c.upper_f(line_lo))),
            c1(px(line_hi)),
            c1(py(c.upper_f(line_hi))),
            c1(px(line_lo)),
            c1(py(c.lower_f(line_lo))),
            c1(px(line_hi)),
            c1(py(c.lower_f(line_hi)))
        );
    }
    o.push_str(&region_labels);
    // The step curve: F(N) = F_k on (N_{k−1}, N_k].
    if let Some(first) = drawn.first() {
        let clamp_y = |f: f64| {
            if f > 0.0 {
                py(f).clamp(PT, bottom)
            } else {
                bottom
            }
        };
        let mut path = format!("M{} {}", c1(PL), c1(clamp_y(first.f_per_year)));
        let mut last_x = PL;
        let mut last_y = clamp_y(first.f_per_year);
        for (k, p) in drawn.iter().enumerate() {
            let x = px(p.n).min(PL + pw);
            let y = clamp_y(p.f_per_year);
            if k > 0 && (y - last_y).abs() >= 0.05 {
                w!(path, "V{}", c1(y));
                last_y = y;
            }
            if (x - last_x).abs() >= 0.05 {
                w!(path, "H{}", c1(x));
                last_x = x;
            }
        }
        w!(path, "V{}", c1(bottom));
        w!(
            o,
            r##"<path d="{path}" fill="none" stroke="#0b3d91" stroke-width="2.2" stroke-linejoin="miter"/>"##
        );
    } else {
        w!(
            o,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#555">无 N ≥ {} 的 F-N 点 — no F-N point at N ≥ {}</text>"##,
            c1(PL + 0.5 * pw),
            c1(PT + 0.5 * PH),
            sig(nlo, 3),
            sig(nlo, 3)
        );
    }
    // Axis titles.
    w!(
        o,
        r##"<text x="{}" y="{}" text-anchor="middle">死亡人数 N <tspan font-size="9" fill="#555">number of fatalities N</tspan></text>"##,
        c1(PL + 0.5 * pw),
        c1(bottom + 34.0)
    );
    w!(
        o,
        r##"<text transform="translate(16 {}) rotate(-90)" text-anchor="middle">累积频率 F（/年） <tspan font-size="9" fill="#555">frequency of N or more fatalities, per year</tspan></text>"##,
        c1(PT + 0.5 * PH)
    );
    // Legend.
    let items = [
        (
            r##"<line x1="0" y1="6" x2="22" y2="6" stroke="#0b3d91" stroke-width="2.2"/>"##,
            "F-N 曲线 <tspan font-size=\"9\" fill=\"#555\">F-N curve</tspan>",
        ),
        (
            r##"<line x1="0" y1="6" x2="22" y2="6" stroke="#c62828" stroke-width="1.8"/>"##,
            "上限线 <tspan font-size=\"9\" fill=\"#555\">upper line</tspan>",
        ),
        (
            r##"<line x1="0" y1="6" x2="22" y2="6" stroke="#1a7f37" stroke-width="1.8" stroke-dasharray="7 4"/>"##,
            "下限线 <tspan font-size=\"9\" fill=\"#555\">lower line</tspan>",
        ),
        (
            r##"<rect x="0" y="0" width="22" height="11" fill="#fbe3e1" stroke="#c62828" stroke-width="0.5"/>"##,
            "不可接受区 <tspan font-size=\"9\" fill=\"#555\">unacceptable</tspan>",
        ),
        (
            r##"<rect x="0" y="0" width="22" height="11" fill="#fff3cd" stroke="#b26a00" stroke-width="0.5"/>"##,
            "尽可能降低区 <tspan font-size=\"9\" fill=\"#555\">ALARP</tspan>",
        ),
        (
            r##"<rect x="0" y="0" width="22" height="11" fill="#e3f4e6" stroke="#1a7f37" stroke-width="0.5"/>"##,
            "可接受区 <tspan font-size=\"9\" fill=\"#555\">acceptable</tspan>",
        ),
    ];
    for (k, (icon, text)) in items.iter().enumerate() {
        let (x, y) = (
            PL + (k % 3) as f64 * 190.0,
            legend_top + (k / 3) as f64 * 18.0,
        );
        w!(
            o,
            r##"<g transform="translate({},{})">{icon}<text x="30" y="10">{text}</text></g>"##,
            c1(x),
            c1(y)
        );
    }
    w!(
        o,
        r##"<text x="{PL}" y="{}" font-size="9" fill="#555">上限 upper F = {}/N{}，下限 lower F = {}/N{}，N ∈ [{}, {}]</text>"##,
        c1(legend_top + 2.0 * 18.0 + 10.0),
        format_sci(c.upper_f_at_n1_per_year),
        if c.slope == 1.0 {
            String::new()
        } else {
            format!("^{}", sig(c.slope, 3))
        },
        format_sci(c.lower_f_at_n1_per_year),
        if c.slope == 1.0 {
            String::new()
        } else {
            format!("^{}", sig(c.slope, 3))
        },
        sig(c.n_min, 3),
        c.n_max.map_or("∞".to_owned(), |n| sig(n, 3))
    );
    o.push_str("</svg>");
    o
}

// ---------------------------------------------------------------------------------------
// Model settings and assumed defaults
// ---------------------------------------------------------------------------------------

/// `(zh, en)` of a setting key of `models`, `options` or `criteria.fn`.
fn setting_label(key: &str) -> (&'static str, &'static str) {
    match key {
        "thermal_exposure_s" => ("热辐射暴露时间，s", "thermal exposure, s"),
        "thermal_probit" => ("热辐射概率函数", "thermal probit"),
        "toxic_exposure_cap_s" => ("最长毒性暴露时间，s", "longest toxic exposure, s"),
        "overpressure_harm" => ("超压伤害准则", "overpressure harm criterion"),
        "tnt_yield" => ("TNT 当量系数", "TNT yield of vapour cloud explosions"),
        "jet_fire_radiant_fraction" => ("喷射火辐射分数", "jet-fire radiant fraction"),
        "delayed_ignition_probability" => ("延迟点火概率", "delayed ignition probability"),
        "explosion_fraction" => (
            "延迟点火中爆炸的比例",
            "fraction of delayed ignitions that explode",
        ),
        "max_release_duration_s" => (
            "孔泄漏最长持续时间，s",
            "longest hole release (isolation), s",
        ),
        "footprint_step_m" => ("足迹采样步长，m", "footprint sampling step, m"),
        "negligible_lethality" => ("可忽略致死概率", "negligible lethality"),
        "sector_subdivisions" => ("每风向扇区的方位数", "bearings per wind sector"),
        "probability_sum_tolerance" => ("概率和容差", "tolerance on probability sums"),
        "distance_basis" => ("外部安全防护距离依据", "basis of external safety distances"),
        "indoor_factors.toxic" => ("室内致死系数：中毒", "indoor lethality factor: toxic"),
        "indoor_factors.jet_fire" => ("室内致死系数：喷射火", "indoor lethality factor: jet fire"),
        "indoor_factors.pool_fire" => ("室内致死系数：池火", "indoor lethality factor: pool fire"),
        "indoor_factors.fireball" => ("室内致死系数：火球", "indoor lethality factor: fireball"),
        "indoor_factors.flash_fire" => {
            ("室内致死系数：闪火", "indoor lethality factor: flash fire")
        }
        "indoor_factors.vce" => ("室内致死系数：蒸气云爆炸", "indoor lethality factor: VCE"),
        "indoor_factors.other" => ("室内致死系数：其他", "indoor lethality factor: other"),
        "fn.n_min" => ("F-N 准则线适用的最小 N", "smallest N of the F-N lines"),
        "fn.n_max" => ("F-N 准则线适用的最大 N", "largest N of the F-N lines"),
        "fn.slope" => ("F-N 准则线斜率", "slope of the F-N lines"),
        _ => ("", ""),
    }
}

/// Display order of the settings (the order of the structs); others follow by name.
const SETTING_ORDER: [&str; 24] = [
    "thermal_exposure_s",
    "thermal_probit",
    "toxic_exposure_cap_s",
    "overpressure_harm",
    "tnt_yield",
    "jet_fire_radiant_fraction",
    "delayed_ignition_probability",
    "explosion_fraction",
    "max_release_duration_s",
    "footprint_step_m",
    "negligible_lethality",
    "sector_subdivisions",
    "probability_sum_tolerance",
    "indoor_factors.toxic",
    "indoor_factors.jet_fire",
    "indoor_factors.pool_fire",
    "indoor_factors.fireball",
    "indoor_factors.flash_fire",
    "indoor_factors.vce",
    "indoor_factors.other",
    "distance_basis",
    "fn.n_min",
    "fn.n_max",
    "fn.slope",
];

/// Rows of the population table (a census grid can hold thousands of items: the page lists
/// the first ones and sums the rest; the map shows them all).
const MAX_POPULATION_ROWS: usize = 100;

/// Computational limits of the options: settings, not assumptions about the physics.
const LIMIT_KEYS: [&str; 5] = [
    "max_cells",
    "max_footprint_samples",
    "max_layer_values",
    "include_raster",
    "include_geojson",
];

/// One setting: key, value, default value.
struct Setting {
    key: String,
    value: Value,
    default: Value,
}

fn flatten_settings(prefix: &str, value: &Value, default: &Value, out: &mut Vec<Setting>) {
    if let (Value::Object(v), Value::Object(d)) = (value, default) {
        // Tagged enums (overpressure_harm) are objects too: flatten plain nested structs only.
        if v.keys().all(|k| d.contains_key(k)) && !v.contains_key("rule") {
            for (k, vv) in v {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten_settings(&key, vv, d.get(k).unwrap_or(&Value::Null), out);
            }
            return;
        }
    }
    out.push(Setting {
        key: prefix.to_owned(),
        value: value.clone(),
        default: default.clone(),
    });
}

fn settings_of<T: Serialize>(value: &T, default: &T, prefix: &str) -> Vec<Setting> {
    let v = serde_json::to_value(value).unwrap_or(Value::Null);
    let d = serde_json::to_value(default).unwrap_or(Value::Null);
    let mut out = Vec::new();
    if let (Value::Object(vm), Value::Object(dm)) = (&v, &d) {
        for (k, vv) in vm {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            flatten_settings(&key, vv, dm.get(k).unwrap_or(&Value::Null), &mut out);
        }
    }
    out
}

fn setting_value_html(key: &str, v: &Value, cell_size_m: f64) -> String {
    match v {
        Value::Null if key == "footprint_step_m" => format!(
            "网格尺寸 <small>cell size</small> ({} m)",
            sig(cell_size_m, 4)
        ),
        Value::Null => "—".to_owned(),
        Value::Number(n) => n
            .as_f64()
            .map_or_else(|| esc(&n.to_string()), |x| sig(x, 4)),
        Value::String(s) => esc(s),
        Value::Bool(b) => b.to_string(),
        // A tagged enum (`{"rule": "probit", "method": "…"}`): its names.
        Value::Object(m) => esc(&m
            .values()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" / ")),
        other => esc(&other.to_string()),
    }
}

fn setting_name_html(key: &str) -> String {
    let (zh, en) = setting_label(key);
    if zh.is_empty() {
        format!("<code>{}</code>", esc(key))
    } else {
        format!("{zh} <small>{en} · <code>{}</code></small>", esc(key))
    }
}

// ---------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------

const CSS: &str = r#"
@page { size: A4; margin: 14mm 12mm 16mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimHei", sans-serif;
  font-size: 10.5pt; line-height: 1.45; color: #111; max-width: 190mm; margin: 0 auto; padding: 8mm 4mm; background: #fff; }
h1 { font-size: 18pt; margin: 0 0 1mm; }
h2 { font-size: 13pt; border-bottom: 1.5px solid #333; padding-bottom: 1mm; margin: 7mm 0 3mm; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 2mm; break-after: avoid; page-break-after: avoid; }
small { font-size: 78%; color: #555; font-weight: normal; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 85%; }
p.subtitle { margin: 0 0 3mm; font-size: 11.5pt; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm; font-size: 9pt; }
th, td { border: 0.5pt solid #999; padding: 0.8mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td { overflow-wrap: anywhere; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; overflow-wrap: normal; }
ul.assumed-list { columns: 2; column-gap: 6mm; padding-left: 5mm; margin: 1mm 0; }
ul.assumed-list li { break-inside: avoid; }
table.meta { width: auto; }
table.meta th { width: 45mm; }
figure { margin: 3mm 0; break-inside: avoid; page-break-inside: avoid; text-align: center; }
figcaption { font-size: 9pt; color: #333; margin-top: 1mm; }
svg { max-width: 100%; height: auto; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2mm; margin: 2mm 0; }
.card { border: 0.5pt solid #999; padding: 1.5mm 2.5mm; break-inside: avoid; }
.card .v { font-size: 13pt; font-weight: bold; }
.pass { color: #1a7f37; font-weight: bold; }
.fail { color: #c62828; font-weight: bold; }
.na { color: #666; }
tr.pass-row td { background: #e8f5eb; }
tr.fail-row td { background: #fdecea; }
.region { display: inline-block; padding: 0 2mm; border-radius: 2px; font-weight: bold; }
.region-acceptable { background: #e3f4e6; color: #1a6b2f; border: 0.5pt solid #1a7f37; }
.region-alarp { background: #fff3cd; color: #8a6100; border: 0.5pt solid #b26a00; }
.region-unacceptable { background: #fbe3e1; color: #a11; border: 0.5pt solid #c62828; }
.warnings { border: 2px solid #d98e00; background: #fff6dc; padding: 2mm 4mm; margin: 3mm 0; break-inside: avoid; }
.warnings h3 { margin-top: 0; color: #8a5300; }
.assumed { border-left: 4px solid #d98e00; background: #fffbea; padding: 1.5mm 4mm; margin: 2mm 0; }
.tag { display: inline-block; font-size: 7.5pt; padding: 0 1mm; border-radius: 2px; white-space: nowrap; }
.tag-assumed { border: 0.5pt solid #b26a00; color: #8a5300; background: #fff3cd; }
.tag-user { border: 0.5pt solid #3182bd; color: #1c5a8a; }
.roses { display: flex; flex-wrap: wrap; gap: 2mm; justify-content: flex-start; }
.roses svg { width: 42mm; }
footer { margin-top: 8mm; border-top: 0.5pt solid #999; padding-top: 2mm; font-size: 8.5pt; color: #444; }
@media print { body { padding: 0; max-width: none; } h2 { break-before: auto; } }
"#;

fn h2(out: &mut String, id: &str, zh: &str, en: &str) {
    w!(out, r#"<h2 id="{id}">{zh} <small>{en}</small></h2>"#);
}

fn h3(out: &mut String, zh: &str, en: &str) {
    w!(out, "<h3>{zh} <small>{en}</small></h3>");
}

fn boundary_html(b: &Boundary) -> String {
    match b {
        Boundary::Polygon { vertices_m } => format!(
            "多边形 <small>polygon</small>，{} 个顶点 <small>vertices</small>",
            vertices_m.len()
        ),
        Boundary::Circle { x_m, y_m, radius_m } => format!(
            "圆 <small>circle</small> ({}, {}) m，r = {} m",
            sig(*x_m, 4),
            sig(*y_m, 4),
            sig(*radius_m, 3)
        ),
    }
}

fn geometry_html(g: &Geometry) -> String {
    match g {
        Geometry::Point { x_m, y_m } => format!(
            "点 <small>point</small> ({}, {}) m",
            sig(*x_m, 4),
            sig(*y_m, 4)
        ),
        Geometry::Polygon { vertices_m } => format!(
            "多边形 <small>polygon</small>，{} 个顶点 <small>vertices</small>",
            vertices_m.len()
        ),
    }
}

fn region_badge(r: FnRegion) -> String {
    let (zh, en) = region_label(r);
    format!(
        r#"<span class="region region-{}">{zh} <small>{en}</small></span>"#,
        region_key(r)
    )
}

fn pass_html(pass: Option<bool>) -> String {
    match pass {
        Some(true) => r#"<span class="pass">✔ 满足 <small>complies</small></span>"#.to_owned(),
        Some(false) => {
            r#"<span class="fail">✘ 不满足 <small>does not comply</small></span>"#.to_owned()
        }
        None => r#"<span class="na">— 位于网格外，未校核 <small>outside the grid, not checked</small></span>"#
            .to_owned(),
    }
}

/// The whole report as one self-contained HTML5 page (see the [module documentation](self)).
///
/// `generated_at` is written as given (e.g. `"2025-03-01 10:00 (UTC+8)"`): the crate has no
/// clock. `result` must be the result of [`crate::site::assess_study`] on `input`.
pub fn html_report(input: &StudyInput, result: &StudyResult, generated_at: &str) -> String {
    let a = &result.assessment;
    let status = input.installation_status;
    let mut o = String::with_capacity(64 * 1024);
    let title = esc(&result.name);
    w!(
        o,
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="weihua-qra {}">
<title>{title} — 定量风险评价报告 Quantitative risk assessment report</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p class="subtitle">定量风险评价报告 <small>Quantitative risk assessment report — GB/T 37243-2019, GB 36894-2018</small></p>
<table class="meta"><tbody>
<tr><th>生成时间 <small>Generated at</small></th><td>{}</td></tr>
<tr><th>装置状态 <small>Installation status</small></th><td>{}</td></tr>
<tr><th>计算软件 <small>Software</small></th><td>weihua-qra {}</td></tr>
</tbody></table>
</header>
<main>
"#,
        env!("CARGO_PKG_VERSION"),
        esc(generated_at),
        {
            let (zh, en) = status_label(status);
            bi(zh, en)
        },
        env!("CARGO_PKG_VERSION")
    );

    // 1. Summary.
    h2(&mut o, "summary", "1 结论摘要", "Summary");
    let passed = a.targets.iter().filter(|t| t.pass == Some(true)).count();
    let failed = a.targets.iter().filter(|t| t.pass == Some(false)).count();
    let unchecked = a.targets.len() - passed - failed;
    w!(
        o,
        r#"<div class="cards">
<div class="card">最大个人风险 <small>Maximum individual risk</small><div class="v">{}</div><small>位置 at ({}, {}) m</small></div>
<div class="card">潜在生命损失 PLL <small>Potential loss of life</small><div class="v">{}</div></div>
<div class="card">社会风险 <small>Societal risk (F-N)</small><div class="v">{}</div></div>
<div class="card">防护目标 <small>Protected targets</small><div class="v"><span class="pass">{passed} 满足</span> · <span class="fail">{failed} 不满足</span>{}</div><small>{passed} comply, {failed} do not</small></div>
<div class="card">事故场景 / 风险事件 <small>Scenarios / risk events</small><div class="v">{} / {}</div></div>
<div class="card">警告 <small>Warnings</small><div class="v">{}</div></div>
</div>
"#,
        per_year(a.max_ir_per_year),
        sig(a.max_ir_at_m[0], 4),
        sig(a.max_ir_at_m[1], 4),
        per_year(a.pll_per_year),
        region_badge(a.fn_evaluation.region),
        if unchecked > 0 {
            format!(r#" · <span class="na">{unchecked} 未校核</span>"#)
        } else {
            String::new()
        },
        result.scenarios.len(),
        result.events,
        result.warnings.len()
    );
    if result.warnings.is_empty() {
        o.push_str("<p>无警告。 <small>No warnings.</small></p>\n");
    } else {
        o.push_str(r#"<div class="warnings" role="note"><h3>⚠ 警告 <small>Warnings — what could not be counted, and why</small></h3><ul>"#);
        for wn in &result.warnings {
            w!(o, "<li>{}</li>", esc(wn));
        }
        o.push_str("</ul></div>\n");
    }

    // 2. Inputs.
    h2(&mut o, "inputs", "2 输入概要", "Inputs");
    h3(&mut o, "2.1 装置与设备", "Installations and equipment");
    o.push_str(r#"<table><thead><tr><th>装置 <small>Installation</small></th><th>名称 <small>Name</small></th><th>边界 <small>Boundary</small></th><th class="num">设备数 <small>Equipment</small></th></tr></thead><tbody>"#);
    for inst in &input.installations {
        w!(
            o,
            r#"<tr><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td></tr>"#,
            esc(&inst.id),
            esc(&inst.name),
            boundary_html(&inst.boundary),
            inst.equipment.len()
        );
    }
    o.push_str("</tbody></table>\n");
    o.push_str(r#"<table><thead><tr><th>设备 <small>Equipment</small></th><th>类型 <small>Type</small></th><th>物质 <small>Substance</small></th><th class="num">存量 <small>Inventory</small>, kg</th><th>相态 <small>Phase</small></th><th class="num">储存条件 <small>Storage</small></th><th class="num">位置 <small>Position</small>, m</th></tr></thead><tbody>"#);
    for inst in &input.installations {
        for eq in &inst.equipment {
            let (tz, te) = equipment_label(eq.loc.equipment);
            let (pz, pe) = phase_label(eq.phase);
            let mut typ = bi(tz, te);
            if eq.loc.count != 1.0 {
                w!(typ, " × {}", sig(eq.loc.count, 4));
            }
            if let Some(d) = eq.loc.diameter_mm {
                w!(typ, "，DN {} mm", sig(d, 4));
            }
            if let Some(l) = eq.loc.length_m {
                w!(typ, "，{} m", sig(l, 4));
            }
            if let Some(b) = eq.bund_area_m2 {
                w!(typ, "，围堰 <small>bund</small> {} m²", sig(b, 4));
            }
            w!(
                o,
                r#"<tr><td>{}{}<br><small>{}</small></td><td>{typ}</td><td>{}</td><td class="num">{}</td><td>{}</td><td class="num">{} K<br>{}</td><td class="num">({}, {})<br><small>h = {} m</small></td></tr>"#,
                esc(&eq.id),
                if eq.name.is_empty() {
                    String::new()
                } else {
                    format!(" {}", esc(&eq.name))
                },
                esc(&inst.id),
                substance_html(&eq.substance),
                sig(eq.inventory_kg, 4),
                bi(pz, pe),
                sig(eq.storage_temperature_k, 5),
                eq.storage_pressure_pa.map_or_else(
                    || "饱和压力 <small>p<sub>sat</sub></small>".to_owned(),
                    |p| format!("{} kPa", sig(p / 1000.0, 4))
                ),
                sig(eq.x_m, 4),
                sig(eq.y_m, 4),
                sig(eq.release_height_m, 3)
            );
        }
    }
    o.push_str("</tbody></table>\n");

    h3(&mut o, "2.2 气象与风玫瑰", "Weather classes and wind rose");
    o.push_str(r#"<table><thead><tr><th>气象类别 <small>Class</small></th><th>稳定度 <small>Stability</small></th><th class="num">风速 <small>Wind speed</small>, m/s</th><th>时段 <small>Period</small></th><th class="num">概率 <small>Probability</small></th></tr></thead><tbody>"#);
    for wc in &input.weather {
        let (pz, pe) = period_label(wc.period);
        w!(
            o,
            r#"<tr><td>{}</td><td>{}</td><td class="num">{}</td><td>{}</td><td class="num">{}</td></tr>"#,
            esc(&wc.id),
            esc(&key_of(&wc.stability)),
            sig(wc.wind_speed_m_s, 3),
            bi(pz, pe),
            sig(wc.probability, 4)
        );
    }
    o.push_str("</tbody></table>\n<figure><div class=\"roses\">");
    match &input.wind_rose {
        WindRose::Overall(p) => {
            o.push_str(&wind_rose_svg(p, "全部气象类别 all classes"));
        }
        WindRose::PerWeather(map) => {
            for (id, p) in map {
                o.push_str(&wind_rose_svg(p, &esc(id)));
            }
        }
    }
    w!(
        o,
        "</div><figcaption>风玫瑰图：风的来向频率（{} 个扇区，自正北顺时针） <small>Wind rose: probability of the wind blowing FROM each sector ({} sectors, clockwise from north)</small></figcaption></figure>\n",
        match &input.wind_rose {
            WindRose::Overall(p) => p.len(),
            WindRose::PerWeather(m) => m.values().next().map_or(0, Vec::len),
        },
        match &input.wind_rose {
            WindRose::Overall(p) => p.len(),
            WindRose::PerWeather(m) => m.values().next().map_or(0, Vec::len),
        }
    );

    h3(
        &mut o,
        "2.3 人口与防护目标",
        "Population and protected targets",
    );
    if input.population.is_empty() {
        o.push_str(
            "<p>未输入人口。 <small>No population given: societal risk is zero.</small></p>\n",
        );
    } else {
        o.push_str(r#"<table><thead><tr><th>人口 <small>Population</small></th><th>位置 <small>Where</small></th><th class="num">白天 <small>Day</small></th><th class="num">夜间 <small>Night</small></th><th class="num">室内比例 <small>Indoor fraction</small> 白天/夜间</th></tr></thead><tbody>"#);
        for (k, p) in input
            .population
            .iter()
            .enumerate()
            .take(MAX_POPULATION_ROWS)
        {
            let default_indoor = p.indoor_fraction_day == 0.93 && p.indoor_fraction_night == 0.99;
            w!(
                o,
                r#"<tr><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{} / {}{}</td></tr>"#,
                p.id.as_deref().map_or_else(|| format!("#{}", k + 1), esc),
                geometry_html(&p.geometry),
                sig(p.day_count, 5),
                sig(p.night_count, 5),
                sig(p.indoor_fraction_day, 3),
                sig(p.indoor_fraction_night, 3),
                if default_indoor {
                    r#" <span class="tag tag-assumed">假定 assumed</span>"#
                } else {
                    ""
                }
            );
        }
        o.push_str("</tbody></table>\n");
        if input.population.len() > MAX_POPULATION_ROWS {
            let rest = &input.population[MAX_POPULATION_ROWS..];
            w!(
                o,
                "<p><small>另有 {} 项人口（白天 {}，夜间 {} 人），见输入文件 — {} more items (day {}, night {}), see the input.</small></p>\n",
                rest.len(),
                sig(rest.iter().map(|p| p.day_count).sum(), 5),
                sig(rest.iter().map(|p| p.night_count).sum(), 5),
                rest.len(),
                sig(rest.iter().map(|p| p.day_count).sum(), 5),
                sig(rest.iter().map(|p| p.night_count).sum(), 5)
            );
        }
        w!(
            o,
            "<p>网格内人口 <small>Population on the grid</small>：白天 {} / 夜间 {}{}</p>\n",
            sig(a.population_on_grid[0], 5),
            sig(a.population_on_grid[1], 5),
            if a.population_outside_grid[0] > 0.0 || a.population_outside_grid[1] > 0.0 {
                format!(
                    r#"；<span class="fail">网格外人口未计入 <small>population outside the grid, not counted</small>：{} / {}</span>"#,
                    sig(a.population_outside_grid[0], 5),
                    sig(a.population_outside_grid[1], 5)
                )
            } else {
                String::new()
            }
        );
    }
    if input.protected_targets.is_empty() {
        o.push_str("<p>未输入防护目标。 <small>No protected targets given.</small></p>\n");
    } else {
        o.push_str(r#"<table><thead><tr><th>防护目标 <small>Protected target</small></th><th>名称 <small>Name</small></th><th>类别 <small>Class</small> (GB 36894)</th><th>位置 <small>Where</small></th></tr></thead><tbody>"#);
        for t in &input.protected_targets {
            w!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&t.id),
                esc(&t.name),
                bi(t.class.name_zh(), class_en(t.class)),
                geometry_html(&t.geometry)
            );
        }
        o.push_str("</tbody></table>\n");
    }

    h3(
        &mut o,
        "2.4 计算网格、风险基准与模型设置",
        "Grid, criteria and model settings",
    );
    w!(
        o,
        r#"<table class="meta"><tbody><tr><th>计算网格 <small>Grid</small></th><td>西南角 <small>south-west corner</small> ({}, {}) m，{} × {} m，网格 <small>cell</small> {} m（{} × {}）</td></tr>"#,
        sig(a.grid.origin_x_m, 5),
        sig(a.grid.origin_y_m, 5),
        sig(a.grid.nx as f64 * a.grid.cell_size_m, 5),
        sig(a.grid.ny as f64 * a.grid.cell_size_m, 5),
        sig(a.grid.cell_size_m, 4),
        a.grid.nx,
        a.grid.ny
    );
    w!(
        o,
        r#"<tr><th>个人风险基准 <small>IR criteria</small></th><td>{}</td></tr>"#,
        TargetClass::ALL
            .iter()
            .map(|&c| format!(
                "{}：{}",
                c.name_zh(),
                per_year(input.criteria.ir.limit(c, status))
            ))
            .collect::<Vec<_>>()
            .join("；")
    );
    w!(
        o,
        r#"<tr><th>社会风险基准 <small>F-N lines</small></th><td>上限 <small>upper</small> F = {}/N{}，下限 <small>lower</small> F = {}/N{}，N ∈ [{}, {}]</td></tr>"#,
        format_sci(input.criteria.fn_lines.upper_f_at_n1_per_year),
        if input.criteria.fn_lines.slope == 1.0 {
            String::new()
        } else {
            format!("<sup>{}</sup>", sig(input.criteria.fn_lines.slope, 3))
        },
        format_sci(input.criteria.fn_lines.lower_f_at_n1_per_year),
        if input.criteria.fn_lines.slope == 1.0 {
            String::new()
        } else {
            format!("<sup>{}</sup>", sig(input.criteria.fn_lines.slope, 3))
        },
        sig(input.criteria.fn_lines.n_min, 3),
        input
            .criteria
            .fn_lines
            .n_max
            .map_or("∞".to_owned(), |n| sig(n, 3))
    );
    w!(
        o,
        r#"<tr><th>等值线 <small>Contour levels</small></th><td>{}</td></tr></tbody></table>"#,
        a.contours
            .iter()
            .map(|c| per_year(c.level_per_year))
            .collect::<Vec<_>>()
            .join("，")
    );
    // Settings.
    let cell = a.grid.cell_size_m;
    let mut settings = settings_of(&input.models, &StudyModels::default(), "");
    settings.extend(
        settings_of(&input.options, &crate::risk::SiteRiskOptions::default(), "")
            .into_iter()
            .filter(|s| !LIMIT_KEYS.contains(&s.key.as_str())),
    );
    let fn_default = FnCriterion::default();
    for (key, v, d) in [
        (
            "fn.n_min",
            json!(input.criteria.fn_lines.n_min),
            json!(fn_default.n_min),
        ),
        (
            "fn.n_max",
            json!(input.criteria.fn_lines.n_max),
            json!(fn_default.n_max),
        ),
    ] {
        settings.push(Setting {
            key: key.to_owned(),
            value: v,
            default: d,
        });
    }
    settings.sort_by_key(|s| {
        (
            SETTING_ORDER
                .iter()
                .position(|k| *k == s.key)
                .unwrap_or(SETTING_ORDER.len()),
            s.key.clone(),
        )
    });
    o.push_str(r#"<table><thead><tr><th>设置 <small>Setting</small></th><th class="num">取值 <small>Value</small></th><th>来源 <small>Source</small></th></tr></thead><tbody>"#);
    for s in &settings {
        let is_default = s.value == s.default;
        w!(
            o,
            r#"<tr><td>{}</td><td class="num">{}</td><td>{}</td></tr>"#,
            setting_name_html(&s.key),
            setting_value_html(&s.key, &s.value, cell),
            if is_default {
                r#"<span class="tag tag-assumed">假定默认值 assumed default</span>"#.to_owned()
            } else {
                format!(
                    r#"<span class="tag tag-user">用户设定 set by user</span> <small>默认 default {}</small>"#,
                    setting_value_html(&s.key, &s.default, cell)
                )
            }
        );
    }
    o.push_str("</tbody></table>\n");
    // The assumed defaults, clearly marked.
    h3(&mut o, "2.5 假定值", "Assumed values");
    o.push_str(r#"<div class="assumed"><p>以下取值并非由 GB/T 37243、GB 36894 确定，而是采用文献默认值（<b>假定</b>），评价结论依赖于这些取值。 <small>The values below are not fixed by GB/T 37243 or GB 36894: they are literature defaults (<b>assumed</b>), and the results depend on them.</small></p><ul class="assumed-list">"#);
    let mut any = false;
    for s in settings.iter().filter(|s| s.value == s.default) {
        any = true;
        let (zh, en) = setting_label(&s.key);
        w!(
            o,
            "<li>{} = {}</li>",
            if zh.is_empty() {
                format!("<code>{}</code>", esc(&s.key))
            } else {
                bi(zh, en)
            },
            setting_value_html(&s.key, &s.value, cell)
        );
    }
    let assumed_locs: Vec<String> = {
        let mut v: Vec<String> = result
            .scenarios
            .iter()
            .filter(|s| s.loc.assumed)
            .map(|s| esc(&s.loc.source))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    if !assumed_locs.is_empty() {
        any = true;
        w!(
            o,
            "<li>泄漏场景频率 <small>LOC frequencies</small>（GB/T 37243 附录 C 未公开 <small>App. C not public</small>）：{}</li>",
            assumed_locs.join("；")
        );
    }
    if input
        .population
        .iter()
        .any(|p| p.indoor_fraction_day == 0.93 && p.indoor_fraction_night == 0.99)
    {
        any = true;
        o.push_str("<li>人口室内比例 <small>indoor fractions of the population</small> = 0.93（白天 day）/ 0.99（夜间 night），Purple Book</li>");
    }
    if !any {
        o.push_str("<li>无 <small>none: every setting was given explicitly</small></li>");
    }
    o.push_str("</ul></div>\n");

    // 3. Scenarios.
    h2(
        &mut o,
        "scenarios",
        "3 事故场景",
        "Loss-of-containment scenarios",
    );
    o.push_str(r#"<table><thead><tr><th>场景 <small>Scenario</small></th><th>泄漏类型 <small>LOC</small></th><th class="num">频率 <small>Frequency</small></th><th class="num">速率 / 质量 <small>Rate / mass</small></th><th class="num">气相分数 / 立即点火 <small>Airborne / direct ignition</small></th><th>事故后果及频率 <small>End states, per year</small></th></tr></thead><tbody>"#);
    for s in &result.scenarios {
        let (lz, le) = loc_label(s.loc.kind);
        let release = match (s.rate_kg_s, s.mass_kg) {
            (Some(r), _) => format!(
                "{} kg/s{}",
                sig(r, 3),
                s.duration_s.map_or(String::new(), |d| format!(
                    "<br><small>{} s</small>",
                    sig(d, 3)
                ))
            ),
            (None, Some(m)) => format!("{} kg <small>瞬时 inst.</small>", sig(m, 4)),
            (None, None) => "—".to_owned(),
        };
        let mut ends = String::new();
        for (outs, f) in &s.outcomes {
            let zh: Vec<&str> = outs.iter().map(|x| outcome_label(*x).0).collect();
            let en: Vec<&str> = outs.iter().map(|x| outcome_label(*x).1).collect();
            if !ends.is_empty() {
                ends.push_str("<br>");
            }
            w!(
                ends,
                "{} <small>{}</small>：{}",
                zh.join("+"),
                en.join(" + "),
                per_year(*f)
            );
        }
        w!(
            o,
            r#"<tr><td>{}<br><small>{}</small></td><td>{}{}<br><small>{}</small>{}</td><td class="num">{}</td><td class="num">{release}</td><td class="num">{} / {}</td><td>{ends}</td></tr>"#,
            esc(&s.id),
            substance_html(&s.cas),
            lz,
            if s.loc.assumed {
                r#" <span class="tag tag-assumed">假定 assumed</span>"#
            } else {
                ""
            },
            le,
            s.loc.hole_diameter_mm.map_or(String::new(), |d| format!(
                "<br>孔径 <small>hole</small> {} mm",
                sig(d, 3)
            )),
            per_year(s.loc.frequency_per_year),
            sig(s.airborne_fraction, 3),
            sig(s.direct_ignition_probability, 3)
        );
    }
    o.push_str("</tbody></table>\n");

    // 4. Individual risk.
    h2(&mut o, "ir", "4 个人风险等值线", "Individual risk contours");
    w!(
        o,
        "<p>最大个人风险 <small>Maximum individual risk</small>：<b>{}</b>，位于 <small>at</small> ({}, {}) m。</p>\n",
        per_year(a.max_ir_per_year),
        sig(a.max_ir_at_m[0], 4),
        sig(a.max_ir_at_m[1], 4)
    );
    w!(
        o,
        "<figure>{}<figcaption>个人风险等值线图（场地坐标，米，上北下南） <small>Individual risk contours, site coordinates in metres, north up</small></figcaption></figure>\n",
        map_svg(input, result)
    );
    o.push_str(r#"<table><thead><tr><th class="num">风险水平 <small>Level</small></th><th>对应防护目标 <small>Protected-target classes</small></th><th class="num">等值线数 <small>Rings</small></th><th class="num">包围面积 <small>Area enclosed</small>, m²</th><th>说明 <small>Note</small></th></tr></thead><tbody>"#);
    for c in &a.contours {
        let area: f64 = c.rings.iter().map(|r| r.area_m2).sum();
        let truncated = c.rings.iter().any(|r| r.touches_grid_edge);
        w!(
            o,
            r#"<tr><td class="num">{}</td><td>{}{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>"#,
            per_year(c.level_per_year),
            esc(&c.class_zh),
            if c.class.is_empty() {
                String::new()
            } else {
                format!(" <small>{}</small>", esc(&c.class))
            },
            c.rings.len(),
            sig(area.max(0.0), 4),
            if c.rings.is_empty() {
                "未达到该风险水平 <small>level not reached</small>"
            } else if truncated {
                r#"<span class="fail">受网格截断 <small>truncated by the grid</small></span>"#
            } else {
                "—"
            }
        );
    }
    o.push_str("</tbody></table>\n");

    // 5. External safety distances.
    h2(
        &mut o,
        "distances",
        "5 外部安全防护距离",
        "External safety distances",
    );
    w!(
        o,
        "<p>自装置边界至相应个人风险基准等值线的最大距离（GB/T 37243-2019 §6.8）；依据 <small>basis</small>：{}。</p>\n",
        match key_of(&input.options.distance_basis).as_str() {
            "own_risk" => "装置自身风险 <small>the installation's own risk</small>",
            _ =>
                "场地总风险，仅计包围该装置的等值线 <small>site total risk, rings enclosing the installation only</small>",
        }
    );
    o.push_str(r#"<table><thead><tr><th>装置 <small>Installation</small></th><th>防护目标类别 <small>Protected-target class</small></th><th class="num">个人风险基准 <small>Criterion</small></th><th class="num">距离 <small>Distance</small>, m</th><th>说明 <small>Note</small></th></tr></thead><tbody>"#);
    for inst in &a.external_safety_distances {
        let name = input
            .installations
            .iter()
            .find(|i| i.id == inst.installation_id)
            .map(|i| i.name.as_str())
            .unwrap_or("");
        for (k, cd) in inst.classes.iter().enumerate() {
            let d = cd.distance;
            let (nz, ne) = distance_note(d.contour_exists, d.truncated_by_grid, d.distance_m);
            let note = if d.truncated_by_grid {
                format!(r#"<span class="fail">⚠ {nz} <small>{ne}</small></span>"#)
            } else {
                bi(nz, ne)
            };
            w!(
                o,
                r#"<tr class="esd-row">{}<td>{}</td><td class="num">{}</td><td class="num">{}{:.1}</td><td>{note}</td></tr>"#,
                if k == 0 {
                    format!(
                        r#"<td rowspan="{}">{}{}</td>"#,
                        inst.classes.len(),
                        esc(&inst.installation_id),
                        if name.is_empty() {
                            String::new()
                        } else {
                            format!("<br><small>{}</small>", esc(name))
                        }
                    )
                } else {
                    String::new()
                },
                bi(&esc(&cd.class_zh), class_en(cd.class)),
                per_year(cd.criterion_per_year),
                if d.truncated_by_grid { "≥ " } else { "" },
                round_dm(d.distance_m)
            );
        }
    }
    o.push_str("</tbody></table>\n");

    // 6. Protected targets.
    h2(&mut o, "targets", "6 防护目标校核", "Protected targets");
    if a.targets.is_empty() {
        o.push_str("<p>未输入防护目标。 <small>No protected targets given.</small></p>\n");
    } else {
        o.push_str(r#"<table><thead><tr><th>防护目标 <small>Target</small></th><th>类别 <small>Class</small></th><th class="num">个人风险基准 <small>Criterion</small></th><th class="num">最大个人风险 <small>Max IR</small></th><th>结论 <small>Result</small></th></tr></thead><tbody>"#);
        for t in &a.targets {
            w!(
                o,
                r#"<tr class="target-row {}"><td>{}{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>"#,
                match t.pass {
                    Some(true) => "pass-row",
                    Some(false) => "fail-row",
                    None => "na-row",
                },
                esc(&t.id),
                if t.name.is_empty() {
                    String::new()
                } else {
                    format!(" {}", esc(&t.name))
                },
                bi(t.class.name_zh(), class_en(t.class)),
                per_year(t.criterion_per_year),
                t.max_ir_per_year.map_or("—".to_owned(), per_year),
                pass_html(t.pass)
            );
        }
        o.push_str("</tbody></table>\n<p><small>满足：最大个人风险 ≤ 基准 (GB 36894-2018)。 Complies: maximum individual risk ≤ criterion.</small></p>\n");
    }

    // 7. Societal risk.
    h2(&mut o, "societal", "7 社会风险", "Societal risk");
    let ev = &a.fn_evaluation;
    w!(
        o,
        r#"<table class="meta"><tbody><tr><th>潜在生命损失 <small>PLL</small></th><td>{}</td></tr><tr><th>F-N 曲线区域 <small>F-N region</small></th><td>{}</td></tr><tr><th>首次超过上限线的 N <small>first N above the upper line</small></th><td>{}</td></tr><tr><th>首次超过下限线的 N <small>first N above the lower line</small></th><td>{}</td></tr><tr><th>F / F<sub>上限</sub> 最大值 <small>max F / F_upper</small></th><td>{}</td></tr><tr><th>F / F<sub>下限</sub> 最大值 <small>max F / F_lower</small></th><td>{}</td></tr><tr><th>F-N 点数 <small>F-N points</small></th><td>{}</td></tr></tbody></table>"#,
        per_year(a.pll_per_year),
        region_badge(ev.region),
        ev.first_n_unacceptable
            .map_or("—".to_owned(), |n| sig(n, 3)),
        ev.first_n_above_lower_line
            .map_or("—".to_owned(), |n| sig(n, 3)),
        sig(ev.max_ratio_to_upper, 3),
        sig(ev.max_ratio_to_lower, 3),
        a.fn_curve.len()
    );
    w!(
        o,
        "<figure>{}<figcaption>F-N 曲线与 GB 36894 社会风险基准 <small>F-N curve and the GB 36894 societal-risk criterion</small></figcaption></figure>\n",
        fn_chart_svg(input, result)
    );
    // Main contributors.
    let mut contributors: Vec<&crate::risk::grid::EventResult> =
        a.events.iter().filter(|e| e.pll_per_year > 0.0).collect();
    contributors.sort_by(|p, q| q.pll_per_year.total_cmp(&p.pll_per_year));
    if !contributors.is_empty() {
        h3(&mut o, "主要贡献事件", "Main contributors to PLL");
        o.push_str(r#"<table><thead><tr><th>风险事件 <small>Risk event</small></th><th class="num">PLL</th><th class="num">占比 <small>Share</small></th><th class="num">最大死亡人数 <small>Max N</small></th></tr></thead><tbody>"#);
        for e in contributors.iter().take(10) {
            w!(
                o,
                r#"<tr><td>{}</td><td class="num">{}</td><td class="num">{} %</td><td class="num">{}</td></tr>"#,
                esc(&e.id),
                per_year(e.pll_per_year),
                sig(100.0 * e.pll_fraction, 3),
                sig(e.max_deaths, 3)
            );
        }
        o.push_str("</tbody></table>\n");
        if contributors.len() > 10 {
            w!(
                o,
                "<p><small>另有 {} 个事件 — {} more events.</small></p>\n",
                contributors.len() - 10,
                contributors.len() - 10
            );
        }
    }

    // Notes.
    h2(&mut o, "notes", "8 说明", "Notes");
    o.push_str("<ul><li>个人风险按室外人员计算（Purple Book）；社会风险计及室内外人员及室内致死系数。 <small>Individual risk is for a person outdoors (Purple Book); societal risk weighs people indoors and outdoors.</small></li>");
    o.push_str("<li>外部安全防护距离精度约为一个网格尺寸；受网格截断的距离为下限。 <small>Distances are accurate to about one grid cell; a distance truncated by the grid is a lower bound.</small></li>");
    o.push_str("<li>风向按气象惯例为风的来向，自正北顺时针。 <small>Wind directions follow the meteorological convention (the direction the wind blows from, clockwise from north).</small></li>");
    o.push_str("<li>完整的 F-N 曲线数据见 CSV 导出，外部安全防护距离见 JSON 导出。 <small>The F-N points are in the CSV export, the distances in the JSON export.</small></li></ul>\n");
    w!(
        o,
        "</main>\n<footer>{} · 生成时间 <small>generated at</small> {} · weihua-qra {}</footer>\n</body>\n</html>\n",
        title,
        esc(generated_at),
        env!("CARGO_PKG_VERSION")
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sci_format() {
        assert_eq!(format_sci(3e-7), "3×10⁻⁷");
        assert_eq!(format_sci(1e-5), "1×10⁻⁵");
        assert_eq!(format_sci(4.134e-6), "4.13×10⁻⁶");
        assert_eq!(format_sci(9.999e-6), "1×10⁻⁵");
        assert_eq!(format_sci(2.5e3), "2.5×10³");
        assert_eq!(format_sci(0.0), "0");
        assert_eq!(format_sci(f64::NAN), "—");
    }

    #[test]
    fn plain_format() {
        assert_eq!(sig(16.666, 3), "16.7");
        assert_eq!(sig(0.5, 3), "0.5");
        assert_eq!(sig(10000.0, 4), "10000");
        assert_eq!(sig(-5.0, 4), "-5");
        assert_eq!(csv_num(216.5), "216.5");
        assert_eq!(csv_num(5e-7), "5e-7");
        assert_eq!(
            esc(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn regions_follow_the_step_evaluation() {
        let c = FnCriterion::default();
        let curve = [
            FnPoint {
                n: 0.5,
                f_per_year: 1e-2,
            },
            FnPoint {
                n: 10.0,
                f_per_year: 5e-6,
            },
            FnPoint {
                n: 200.0,
                f_per_year: 1e-5,
            },
        ];
        let r = point_regions(&curve, &c);
        assert_eq!(r[0], None);
        assert_eq!(r[1], Some(FnRegion::Alarp));
        assert_eq!(r[2], Some(FnRegion::Unacceptable));
    }

    #[test]
    fn nice_lengths() {
        assert_eq!(nice_below(230.0), 200.0);
        assert_eq!(nice_below(99.0), 50.0);
        assert_eq!(nice_below(1000.0), 1000.0);
    }
}
