//! 风险基准 — GB 36894-2018 risk criteria: individual risk per protected-target class, the
//! F-N lines of societal risk, and the external safety distance (外部安全防护距离) of
//! GB/T 37243-2019 §6.8.
//!
//! # Individual risk (GB 36894-2018 Table 1; reference `qra-consequence.md` §3.2)
//!
//! | row | protected target (防护目标) | new / expanded (新建、扩建) | in service (在役) |
//! | --- | --- | --- | --- |
//! | 1 | 高敏感防护目标, 重要防护目标, 一般防护目标中的一类 | 3 × 10⁻⁷ /a | 3 × 10⁻⁶ /a |
//! | 2 | 一般防护目标中的二类 | 3 × 10⁻⁶ /a | 1 × 10⁻⁵ /a |
//! | 3 | 一般防护目标中的三类 | 1 × 10⁻⁵ /a | 3 × 10⁻⁵ /a |
//!
//! The numbers are confirmed for the 2014 trial criteria (SAWS 2014 No. 13) and read the
//! same in GB 36894-2018 (status `inferred`, case CRIT-GB36894-IR); they are the defaults of
//! [`IrCriteria`], which the caller may override. A target complies when its maximum IR is
//! **≤** its criterion.
//!
//! # Societal risk (reference §3.3)
//!
//! Two lines of slope −1 on log-log F-N axes: the upper line F = 10⁻³/N (above it:
//! 不可接受区, unacceptable), the lower line F = 10⁻⁵/N (below it: 可接受区, acceptable),
//! 尽可能降低区 (ALARP) between (case CRIT-GB36894-FN, status `inferred`). The end points of
//! the lines in GB 36894 Fig. 1 are not public in detail: the range of N over which the lines
//! apply is [`FnCriterion::n_min`] (default 1, **assumed**) to [`FnCriterion::n_max`] (default
//! none, **assumed**); the coefficients and slope are configurable too.
//!
//! The F-N curve is a step function F(N) = Σ f_e over the events with N_e ≥ N; on each step
//! (N_{k−1}, N_k] it is constant, so it lies above a decreasing line somewhere on the step iff
//! it does at the step's right end; the first N of a crossing is max(N_{k−1}, (C/F_k)^(1/s)).
//!
//! # External safety distance (reference §3.4, GB/T 37243 §6.8; **assumed** reading)
//!
//! For each protected-target class, the distance is the largest distance from the
//! installation's boundary to the IR contour at that class's criterion; a target of that class
//! inside the contour does not comply. See [`external_safety_distance`].

use serde::{Deserialize, Serialize};

use crate::error::{QraError, check};
use crate::risk::contour::ContourRing;
use crate::risk::geometry::{Boundary, point_in_polygon};

/// 防护目标类别 — protected-target class of GB 36894-2018 §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TargetClass {
    /// 高敏感防护目标 (schools, hospitals, care homes …).
    #[serde(rename = "high_sensitive")]
    HighSensitive,
    /// 重要防护目标 (cultural relics, military …).
    #[serde(rename = "important")]
    Important,
    /// 一般防护目标中的一类防护目标 (large residential, offices, malls …).
    #[serde(rename = "general_1")]
    General1,
    /// 一般防护目标中的二类防护目标.
    #[serde(rename = "general_2")]
    General2,
    /// 一般防护目标中的三类防护目标.
    #[serde(rename = "general_3")]
    General3,
}

impl TargetClass {
    /// All classes, in the order of GB 36894 §3.
    pub const ALL: [TargetClass; 5] = [
        TargetClass::HighSensitive,
        TargetClass::Important,
        TargetClass::General1,
        TargetClass::General2,
        TargetClass::General3,
    ];

    /// Row of GB 36894 Table 1 (1, 2 or 3).
    pub fn table_row(self) -> u8 {
        match self {
            TargetClass::HighSensitive | TargetClass::Important | TargetClass::General1 => 1,
            TargetClass::General2 => 2,
            TargetClass::General3 => 3,
        }
    }

    /// The serde name (`"high_sensitive"`, …, `"general_3"`).
    pub fn key(self) -> &'static str {
        match self {
            TargetClass::HighSensitive => "high_sensitive",
            TargetClass::Important => "important",
            TargetClass::General1 => "general_1",
            TargetClass::General2 => "general_2",
            TargetClass::General3 => "general_3",
        }
    }

    /// Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            TargetClass::HighSensitive => "高敏感防护目标",
            TargetClass::Important => "重要防护目标",
            TargetClass::General1 => "一般防护目标中的一类防护目标",
            TargetClass::General2 => "一般防护目标中的二类防护目标",
            TargetClass::General3 => "一般防护目标中的三类防护目标",
        }
    }
}

/// New / expanded or in-service installation (新建、改建、扩建 / 在役).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstallationStatus {
    /// 新建、改建、扩建.
    #[default]
    New,
    /// 在役.
    InService,
}

/// Individual-risk criteria per GB 36894 Table 1 row, per year. Defaults: the table (see the
/// [module documentation](self)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IrCriteria {
    /// Row 1 (高敏感, 重要, 一般一类), new installation: 3e-7.
    pub row1_new_per_year: f64,
    /// Row 1, in service: 3e-6.
    pub row1_in_service_per_year: f64,
    /// Row 2 (一般二类), new: 3e-6.
    pub row2_new_per_year: f64,
    /// Row 2, in service: 1e-5.
    pub row2_in_service_per_year: f64,
    /// Row 3 (一般三类), new: 1e-5.
    pub row3_new_per_year: f64,
    /// Row 3, in service: 3e-5.
    pub row3_in_service_per_year: f64,
}

impl Default for IrCriteria {
    fn default() -> Self {
        IrCriteria {
            row1_new_per_year: 3e-7,
            row1_in_service_per_year: 3e-6,
            row2_new_per_year: 3e-6,
            row2_in_service_per_year: 1e-5,
            row3_new_per_year: 1e-5,
            row3_in_service_per_year: 3e-5,
        }
    }
}

impl IrCriteria {
    /// The criterion (per year) of `class` for an installation of `status`.
    pub fn limit(&self, class: TargetClass, status: InstallationStatus) -> f64 {
        match (class.table_row(), status) {
            (1, InstallationStatus::New) => self.row1_new_per_year,
            (1, InstallationStatus::InService) => self.row1_in_service_per_year,
            (2, InstallationStatus::New) => self.row2_new_per_year,
            (2, InstallationStatus::InService) => self.row2_in_service_per_year,
            (_, InstallationStatus::New) => self.row3_new_per_year,
            (_, InstallationStatus::InService) => self.row3_in_service_per_year,
        }
    }

    /// The distinct criterion levels for `status`, from the strictest (row 1) to row 3.
    pub fn levels(&self, status: InstallationStatus) -> [f64; 3] {
        [
            self.limit(TargetClass::General1, status),
            self.limit(TargetClass::General2, status),
            self.limit(TargetClass::General3, status),
        ]
    }

    /// Refuses non-finite or non-positive values (> 1 per year is refused too).
    pub fn validate(&self) -> Result<(), QraError> {
        for (field, v) in [
            ("criteria.ir.row1_new_per_year", self.row1_new_per_year),
            (
                "criteria.ir.row1_in_service_per_year",
                self.row1_in_service_per_year,
            ),
            ("criteria.ir.row2_new_per_year", self.row2_new_per_year),
            (
                "criteria.ir.row2_in_service_per_year",
                self.row2_in_service_per_year,
            ),
            ("criteria.ir.row3_new_per_year", self.row3_new_per_year),
            (
                "criteria.ir.row3_in_service_per_year",
                self.row3_in_service_per_year,
            ),
        ] {
            check(field, v, "0 < value <= 1", |v| v > 0.0 && v <= 1.0)?;
        }
        Ok(())
    }

    /// Classes whose criterion for `status` equals `level` (relative 1e-9), as
    /// `(English keys joined with "/", Chinese names joined with "、")`; empty if none.
    pub fn classes_at(&self, level: f64, status: InstallationStatus) -> (String, String) {
        let matching: Vec<TargetClass> = TargetClass::ALL
            .into_iter()
            .filter(|c| {
                let l = self.limit(*c, status);
                (l - level).abs() <= 1e-9 * l.abs()
            })
            .collect();
        (
            matching
                .iter()
                .map(|c| c.key())
                .collect::<Vec<_>>()
                .join("/"),
            matching
                .iter()
                .map(|c| c.name_zh())
                .collect::<Vec<_>>()
                .join("、"),
        )
    }
}

/// The F-N criterion lines F = C / N^slope (see the [module documentation](self)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FnCriterion {
    /// C of the upper line (unacceptable above), F at N = 1: 1e-3 per year.
    pub upper_f_at_n1_per_year: f64,
    /// C of the lower line (acceptable below), F at N = 1: 1e-5 per year.
    pub lower_f_at_n1_per_year: f64,
    /// Slope magnitude s (F ∝ N^−s): 1.
    pub slope: f64,
    /// Smallest N to which the lines apply: 1 (**assumed**).
    pub n_min: f64,
    /// Largest N to which the lines apply: none (**assumed**; GB 36894 Fig. 1 end points are
    /// not public in detail).
    pub n_max: Option<f64>,
}

impl Default for FnCriterion {
    fn default() -> Self {
        FnCriterion {
            upper_f_at_n1_per_year: 1e-3,
            lower_f_at_n1_per_year: 1e-5,
            slope: 1.0,
            n_min: 1.0,
            n_max: None,
        }
    }
}

impl FnCriterion {
    /// F of the upper line at `n`, per year.
    pub fn upper_f(&self, n: f64) -> f64 {
        self.upper_f_at_n1_per_year / n.powf(self.slope)
    }

    /// F of the lower line at `n`, per year.
    pub fn lower_f(&self, n: f64) -> f64 {
        self.lower_f_at_n1_per_year / n.powf(self.slope)
    }

    /// Refuses non-finite values, non-positive coefficients or slope, a lower line above the
    /// upper line, and `n_max < n_min`.
    pub fn validate(&self) -> Result<(), QraError> {
        let up = check(
            "criteria.fn.upper_f_at_n1_per_year",
            self.upper_f_at_n1_per_year,
            "0 < value <= 1",
            |v| v > 0.0 && v <= 1.0,
        )?;
        check(
            "criteria.fn.lower_f_at_n1_per_year",
            self.lower_f_at_n1_per_year,
            "0 < value <= upper_f_at_n1_per_year",
            |v| v > 0.0 && v <= up,
        )?;
        check("criteria.fn.slope", self.slope, "0 < value <= 10", |v| {
            v > 0.0 && v <= 10.0
        })?;
        let n_min = check("criteria.fn.n_min", self.n_min, "0 < value <= 1e9", |v| {
            v > 0.0 && v <= 1e9
        })?;
        if let Some(n_max) = self.n_max {
            check("criteria.fn.n_max", n_max, "n_min <= value", |v| v >= n_min)?;
        }
        Ok(())
    }
}

/// The risk criteria of an assessment: GB 36894 defaults, overridable.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RiskCriteria {
    /// Individual-risk criteria.
    pub ir: IrCriteria,
    /// F-N lines.
    #[serde(rename = "fn")]
    pub fn_lines: FnCriterion,
}

/// One point of an F-N curve: F = frequency per year of events with N or more deaths.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FnPoint {
    /// Number of deaths N.
    pub n: f64,
    /// Cumulative frequency F(≥ N), per year.
    pub f_per_year: f64,
}

/// Region of an F-N curve against the GB 36894 lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FnRegion {
    /// 可接受区: below the lower line everywhere.
    Acceptable,
    /// 尽可能降低区: above the lower line somewhere, never above the upper line.
    Alarp,
    /// 不可接受区: above the upper line somewhere.
    Unacceptable,
}

/// Evaluation of an F-N curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FnEvaluation {
    /// Worst region reached.
    pub region: FnRegion,
    /// Smallest N at which the curve is above the upper line, if any.
    pub first_n_unacceptable: Option<f64>,
    /// Smallest N at which the curve is above the lower line, if any.
    pub first_n_above_lower_line: Option<f64>,
    /// max over N in [n_min, n_max] of F(N)/F_upper(N) (> 1: unacceptable).
    pub max_ratio_to_upper: f64,
    /// max over N in [n_min, n_max] of F(N)/F_lower(N) (> 1: at least ALARP).
    pub max_ratio_to_lower: f64,
}

/// Evaluates an F-N curve against the lines. `curve`: points `(N_k, F_k)` with F the
/// cumulative frequency of N ≥ N_k (any order; non-finite or non-positive points refused).
pub fn evaluate_fn_curve(
    curve: &[FnPoint],
    criterion: &FnCriterion,
) -> Result<FnEvaluation, QraError> {
    criterion.validate()?;
    let mut pts = Vec::with_capacity(curve.len());
    for p in curve {
        let n = check("fn_curve[].n", p.n, "0 < value <= 1e12", |v| {
            v > 0.0 && v <= 1e12
        })?;
        let f = check(
            "fn_curve[].f_per_year",
            p.f_per_year,
            "0 <= value <= 1e6",
            |v| (0.0..=1e6).contains(&v),
        )?;
        pts.push((n, f));
    }
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n_min = criterion.n_min;
    let n_max = criterion.n_max.unwrap_or(f64::INFINITY);
    let s = criterion.slope;
    let mut ev = FnEvaluation {
        region: FnRegion::Acceptable,
        first_n_unacceptable: None,
        first_n_above_lower_line: None,
        max_ratio_to_upper: 0.0,
        max_ratio_to_lower: 0.0,
    };
    let mut prev_n = 0.0_f64;
    for &(n_k, f_k) in &pts {
        // Step (prev_n, n_k] with F = f_k, clipped to [n_min, n_max].
        let lo = prev_n.max(n_min);
        let hi = n_k.min(n_max);
        prev_n = n_k;
        if hi < lo || f_k <= 0.0 {
            continue;
        }
        let ratio_up = f_k * hi.powf(s) / criterion.upper_f_at_n1_per_year;
        let ratio_lo = f_k * hi.powf(s) / criterion.lower_f_at_n1_per_year;
        ev.max_ratio_to_upper = ev.max_ratio_to_upper.max(ratio_up);
        ev.max_ratio_to_lower = ev.max_ratio_to_lower.max(ratio_lo);
        if ratio_up > 1.0 && ev.first_n_unacceptable.is_none() {
            let cross = (criterion.upper_f_at_n1_per_year / f_k).powf(1.0 / s);
            ev.first_n_unacceptable = Some(lo.max(cross));
        }
        if ratio_lo > 1.0 && ev.first_n_above_lower_line.is_none() {
            let cross = (criterion.lower_f_at_n1_per_year / f_k).powf(1.0 / s);
            ev.first_n_above_lower_line = Some(lo.max(cross));
        }
    }
    ev.region = if ev.max_ratio_to_upper > 1.0 {
        FnRegion::Unacceptable
    } else if ev.max_ratio_to_lower > 1.0 {
        FnRegion::Alarp
    } else {
        FnRegion::Acceptable
    };
    Ok(ev)
}

/// External safety distance to one IR contour level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DistanceToContour {
    /// Largest distance, m, from the boundary to the contour (0 when no contour applies).
    pub distance_m: f64,
    /// Whether a contour ring at this level surrounds (or touches) the installation.
    pub contour_exists: bool,
    /// Whether a ring used reaches the edge of the grid: the distance is then a lower bound
    /// (enlarge the grid).
    pub truncated_by_grid: bool,
}

/// Largest distance from `boundary` to the contour `rings` (one level, as returned by
/// [`crate::risk::contour::contour_levels`]).
///
/// Only outer rings (not holes) that enclose a point of the installation (a boundary vertex,
/// the circle's centre or rim) or cross its boundary are used: a ring elsewhere on the site
/// belongs to another installation's risk. The distance is evaluated at the ring's vertices
/// (one per crossed cell edge, so within a cell of the exact maximum).
pub fn external_safety_distance(boundary: &Boundary, rings: &[ContourRing]) -> DistanceToContour {
    let pts = boundary.sample_points();
    let mut out = DistanceToContour {
        distance_m: 0.0,
        contour_exists: false,
        truncated_by_grid: false,
    };
    for ring in rings.iter().filter(|r| !r.is_hole) {
        let encloses = pts.iter().any(|p| point_in_polygon(&ring.points_m, *p))
            || ring.points_m.iter().any(|p| boundary.contains(*p));
        if !encloses {
            continue;
        }
        out.contour_exists = true;
        out.truncated_by_grid |= ring.touches_grid_edge;
        for p in &ring.points_m {
            out.distance_m = out.distance_m.max(boundary.distance_m(*p));
        }
    }
    out
}

/// Largest distance from `boundary` to any outer ring of `rings` (for an IR field that holds
/// only the installation's own risk).
pub fn distance_to_all_rings(boundary: &Boundary, rings: &[ContourRing]) -> DistanceToContour {
    let mut out = DistanceToContour {
        distance_m: 0.0,
        contour_exists: false,
        truncated_by_grid: false,
    };
    for ring in rings.iter().filter(|r| !r.is_hole) {
        out.contour_exists = true;
        out.truncated_by_grid |= ring.touches_grid_edge;
        for p in &ring.points_m {
            out.distance_m = out.distance_m.max(boundary.distance_m(*p));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lookup() {
        let c = IrCriteria::default();
        assert_eq!(
            c.limit(TargetClass::HighSensitive, InstallationStatus::New),
            3e-7
        );
        assert_eq!(
            c.limit(TargetClass::General3, InstallationStatus::InService),
            3e-5
        );
        assert_eq!(c.levels(InstallationStatus::New), [3e-7, 3e-6, 1e-5]);
        let (en, zh) = c.classes_at(3e-6, InstallationStatus::InService);
        assert_eq!(en, "high_sensitive/important/general_1");
        assert!(zh.contains("高敏感"));
        let (en, _) = c.classes_at(3e-6, InstallationStatus::New);
        assert_eq!(en, "general_2");
    }

    #[test]
    fn fn_regions() {
        let crit = FnCriterion::default();
        // One point (N = 10, F = 5e-6): ALARP (between 1e-6 and 1e-4 at N = 10).
        let ev = evaluate_fn_curve(
            &[FnPoint {
                n: 10.0,
                f_per_year: 5e-6,
            }],
            &crit,
        )
        .unwrap();
        assert_eq!(ev.region, FnRegion::Alarp);
        // F = 5e-6 crosses the lower line 1e-5/N at N = 2.
        assert!((ev.first_n_above_lower_line.unwrap() - 2.0).abs() < 1e-12);
        assert!(ev.first_n_unacceptable.is_none());
        // Add a big event: N = 200 at 1e-5 → F(N ≤ 200) = 1e-5 + … above 1e-3/200 = 5e-6.
        let ev = evaluate_fn_curve(
            &[
                FnPoint {
                    n: 10.0,
                    f_per_year: 1.5e-5,
                },
                FnPoint {
                    n: 200.0,
                    f_per_year: 1e-5,
                },
            ],
            &crit,
        )
        .unwrap();
        assert_eq!(ev.region, FnRegion::Unacceptable);
        // On (10, 200], F = 1e-5 > 1e-3/N for N > 100.
        assert!((ev.first_n_unacceptable.unwrap() - 100.0).abs() < 1e-9);
    }
}
