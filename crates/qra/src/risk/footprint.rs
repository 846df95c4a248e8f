//! 致死概率足迹 — the lethality footprint of one outcome in one weather class: the probability
//! of death P_death of an unprotected person outdoors, as a function of position relative to
//! the release point.
//!
//! # Frame
//!
//! Local frame of the wind: **x = downwind**, **y = crosswind to the left of the downwind
//! direction**, metres from the release point. The risk engine ([`crate::risk::grid`])
//! rotates it for every wind sector (see [`crate::risk::weather`] for the sector convention).
//!
//! # Shapes
//!
//! - [`FootprintShape::Disc`]: a constant lethality within a radius (Purple Book style "1 inside
//!   the flame / the LFL cloud"), exact step at the radius.
//! - [`FootprintShape::Radial`]: lethality sampled against the radius r = i·step (i = 0 …),
//!   linear interpolation, 0 beyond the last sample. Wind-independent: without an offset it
//!   is rasterised **once per weather class**, not per sector.
//! - [`FootprintShape::Directional`]: lethality sampled on a local raster x = x_min + i·step,
//!   y = y_min + j·step (row-major, `lethality[j·nx + i]`), bilinear interpolation inside the
//!   sampled rectangle, 0 outside.
//!
//! A [`Footprint`] is a shape with an offset `offset_m = [x, y]` of its centre in the wind
//! frame (e.g. a delayed ignition at the cloud centre 300 m downwind: a disc at
//! `[300, 0]`); a shape with a non-zero offset turns with the wind.
//!
//! Constructors from closures ([`Footprint::radial_from_fn`], [`Footprint::directional_from_fn`])
//! sample any model at a given step; values are clamped to [0, 1] and values below
//! `negligible_lethality` (default [`DEFAULT_NEGLIGIBLE_LETHALITY`] = 1e-6, **assumed**: a
//! lethality of 1e-6 at a frequency of 1e-4/a adds 1e-10/a, three orders below the strictest
//! GB 36894 criterion) are set to 0 so that the footprint's extent is finite. When compiled
//! for the engine, zero margins are trimmed (a footprint touches only the cells it covers).
//!
//! Assumed bounds (refused outside): step 1e-3–1e4 m; coordinates and radii |v| ≤ 1e6 m;
//! lethality 0–1; at most [`DEFAULT_MAX_FOOTPRINT_SAMPLES`] samples per footprint (configurable
//! in the site options).

use serde::{Deserialize, Serialize};

use crate::error::{QraError, check};
use crate::risk::geometry::{MAX_COORD_M, check_coord};

/// Default lethality below which sampled values are set to 0 (**assumed**).
pub const DEFAULT_NEGLIGIBLE_LETHALITY: f64 = 1e-6;

/// Default largest number of samples of one footprint (**assumed**: 4 million, 32 MB).
pub const DEFAULT_MAX_FOOTPRINT_SAMPLES: usize = 4_000_000;

/// The shape of a lethality footprint (JSON: internally tagged by `"kind"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FootprintShape {
    /// Constant `lethality` within `radius_m` (r ≤ radius), 0 outside.
    Disc {
        /// Radius, m.
        radius_m: f64,
        /// Lethality inside, 0–1.
        lethality: f64,
    },
    /// `lethality[i]` at r = i·`step_m`, linear in between, 0 beyond the last sample.
    Radial {
        /// Sample spacing, m.
        step_m: f64,
        /// Samples, 0–1 (at least 2).
        lethality: Vec<f64>,
    },
    /// `lethality[j·nx + i]` at (x_min + i·step, y_min + j·step), bilinear, 0 outside.
    Directional {
        /// Downwind coordinate of the first column, m.
        x_min_m: f64,
        /// Crosswind coordinate of the first row, m.
        y_min_m: f64,
        /// Sample spacing, m (same along x and y).
        step_m: f64,
        /// Samples along x (≥ 2).
        nx: usize,
        /// Samples along y (≥ 2).
        ny: usize,
        /// Samples, 0–1, row-major (`nx·ny` values).
        lethality: Vec<f64>,
    },
}

/// A lethality footprint: a shape and the offset of its centre in the wind frame.
///
/// JSON: `{"shape": {"kind": "disc", "radius_m": 100, "lethality": 1}, "offset_m": [0, 0]}`
/// (`offset_m` optional).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footprint {
    /// The shape.
    pub shape: FootprintShape,
    /// Offset `[x downwind, y crosswind]` of the shape's origin, m (default `[0, 0]`).
    #[serde(default)]
    pub offset_m: [f64; 2],
}

/// Sampling of a directional footprint from a closure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectionalSampling {
    /// First downwind coordinate, m (may be negative: upwind reach).
    pub x_min_m: f64,
    /// Last downwind coordinate, m (sampled up to ≥ this).
    pub x_max_m: f64,
    /// First crosswind coordinate, m.
    pub y_min_m: f64,
    /// Last crosswind coordinate, m.
    pub y_max_m: f64,
    /// Step, m.
    pub step_m: f64,
    /// Lethality below this is set to 0 (default 1e-6, **assumed**).
    pub negligible_lethality: f64,
}

impl DirectionalSampling {
    /// x ∈ [`x_min_m`, `x_max_m`], y ∈ [−`y_max_m`, `y_max_m`], at `step_m`, with the default
    /// negligible lethality.
    pub fn symmetric(x_min_m: f64, x_max_m: f64, y_max_m: f64, step_m: f64) -> Self {
        DirectionalSampling {
            x_min_m,
            x_max_m,
            y_min_m: -y_max_m,
            y_max_m,
            step_m,
            negligible_lethality: DEFAULT_NEGLIGIBLE_LETHALITY,
        }
    }
}

fn check_step(field: &'static str, step: f64) -> Result<f64, QraError> {
    check(field, step, "1e-3 <= value <= 1e4 m", |v| {
        (1e-3..=1e4).contains(&v)
    })
}

fn sample_count(
    field: &'static str,
    span: f64,
    step: f64,
    max_samples: usize,
) -> Result<usize, QraError> {
    let n = (span / step - 1e-9).ceil().max(0.0) + 1.0;
    if !n.is_finite() || n < 1.0 || n > max_samples as f64 {
        return Err(QraError::OutOfRange {
            field,
            value: n,
            expected: "sample count <= max_footprint_samples",
        });
    }
    Ok(n as usize)
}

fn sampled(v: f64, negligible: f64) -> Result<f64, QraError> {
    if v.is_nan() {
        return Err(QraError::NonFiniteResult {
            model: "footprint",
            quantity: "lethality",
        });
    }
    let v = v.clamp(0.0, 1.0);
    Ok(if v < negligible { 0.0 } else { v })
}

impl Footprint {
    /// A disc of constant lethality.
    pub fn disc(radius_m: f64, lethality: f64) -> Footprint {
        Footprint {
            shape: FootprintShape::Disc {
                radius_m,
                lethality,
            },
            offset_m: [0.0, 0.0],
        }
    }

    /// A footprint with no effect anywhere.
    pub fn none() -> Footprint {
        Footprint::disc(0.0, 0.0)
    }

    /// The same footprint with its origin moved to `[x downwind, y crosswind]`, m.
    pub fn with_offset(mut self, x_m: f64, y_m: f64) -> Footprint {
        self.offset_m = [x_m, y_m];
        self
    }

    /// Samples `f(r)` (lethality at radius r, m) at r = 0, step, …, up to ≥ `r_max_m`.
    /// Values below [`DEFAULT_NEGLIGIBLE_LETHALITY`] become 0; NaN is refused.
    pub fn radial_from_fn(
        r_max_m: f64,
        step_m: f64,
        f: impl Fn(f64) -> f64,
    ) -> Result<Footprint, QraError> {
        let r_max = check("r_max_m", r_max_m, "0 <= value <= 1e6", |v| {
            (0.0..=MAX_COORD_M).contains(&v)
        })?;
        let step = check_step("step_m", step_m)?;
        let n = sample_count("r_max_m", r_max, step, DEFAULT_MAX_FOOTPRINT_SAMPLES)?.max(2);
        let mut lethality = Vec::with_capacity(n + 1);
        for i in 0..n {
            lethality.push(sampled(f(i as f64 * step), DEFAULT_NEGLIGIBLE_LETHALITY)?);
        }
        // A trailing 0 so the profile ends inside the sampled range.
        lethality.push(0.0);
        Ok(Footprint {
            shape: FootprintShape::Radial {
                step_m: step,
                lethality,
            },
            offset_m: [0.0, 0.0],
        })
    }

    /// Samples `f(x, y)` (lethality at downwind x, crosswind y, m) on the raster of `s`.
    pub fn directional_from_fn(
        s: &DirectionalSampling,
        f: impl Fn(f64, f64) -> f64,
    ) -> Result<Footprint, QraError> {
        let x_min = check_coord("x_min_m", s.x_min_m)?;
        let x_max = check("x_max_m", s.x_max_m, "x_min_m <= value <= 1e6", |v| {
            v >= x_min && v <= MAX_COORD_M
        })?;
        let y_min = check_coord("y_min_m", s.y_min_m)?;
        let y_max = check("y_max_m", s.y_max_m, "y_min_m <= value <= 1e6", |v| {
            v >= y_min && v <= MAX_COORD_M
        })?;
        let step = check_step("step_m", s.step_m)?;
        let neg = check(
            "negligible_lethality",
            s.negligible_lethality,
            "0 <= value <= 1",
            |v| (0.0..=1.0).contains(&v),
        )?;
        let nx = sample_count(
            "x_max_m",
            x_max - x_min,
            step,
            DEFAULT_MAX_FOOTPRINT_SAMPLES,
        )?
        .max(2);
        let ny = sample_count(
            "y_max_m",
            y_max - y_min,
            step,
            DEFAULT_MAX_FOOTPRINT_SAMPLES,
        )?
        .max(2);
        if nx.saturating_mul(ny) > DEFAULT_MAX_FOOTPRINT_SAMPLES {
            return Err(QraError::OutOfRange {
                field: "directional footprint (nx * ny)",
                value: nx as f64 * ny as f64,
                expected: "sample count <= max_footprint_samples",
            });
        }
        let mut lethality = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            let y = y_min + j as f64 * step;
            for i in 0..nx {
                lethality.push(sampled(f(x_min + i as f64 * step, y), neg)?);
            }
        }
        Ok(Footprint {
            shape: FootprintShape::Directional {
                x_min_m: x_min,
                y_min_m: y_min,
                step_m: step,
                nx,
                ny,
                lethality,
            },
            offset_m: [0.0, 0.0],
        })
    }

    /// Local bounding box `[x_min, x_max, y_min, y_max]`, m, of the non-zero lethality, offset
    /// included (a validated footprint).
    pub fn extent_m(&self) -> [f64; 4] {
        let [ox, oy] = self.offset_m;
        match &self.shape {
            FootprintShape::Disc { radius_m, .. } => {
                [ox - radius_m, ox + radius_m, oy - radius_m, oy + radius_m]
            }
            FootprintShape::Radial { step_m, lethality } => {
                let r = lethality.len().saturating_sub(1) as f64 * step_m;
                [ox - r, ox + r, oy - r, oy + r]
            }
            FootprintShape::Directional {
                x_min_m,
                y_min_m,
                step_m,
                nx,
                ny,
                ..
            } => [
                ox + x_min_m,
                ox + x_min_m + nx.saturating_sub(1) as f64 * step_m,
                oy + y_min_m,
                oy + y_min_m + ny.saturating_sub(1) as f64 * step_m,
            ],
        }
    }

    /// The footprint of an end state with several phenomena (e.g. jet fire and pool fire):
    /// lethality 1 − Π(1 − L_i), sampled at `step_m` — radially when every part is radial
    /// without offset, else on a directional raster over the union of the parts' extents.
    pub fn combine(parts: &[Footprint], step_m: f64) -> Result<Footprint, QraError> {
        for p in parts {
            p.validate(DEFAULT_MAX_FOOTPRINT_SAMPLES)?;
        }
        let step = check_step("step_m", step_m)?;
        let lethality = |x: f64, y: f64| {
            1.0 - parts
                .iter()
                .map(|p| 1.0 - p.lethality_at(x, y))
                .product::<f64>()
        };
        let radial = parts.iter().all(|p| {
            p.offset_m == [0.0, 0.0] && !matches!(p.shape, FootprintShape::Directional { .. })
        });
        if parts.is_empty() {
            return Ok(Footprint::none());
        }
        if radial {
            let r_max = parts
                .iter()
                .map(|p| p.extent_m()[1])
                .fold(0.0_f64, f64::max);
            return Footprint::radial_from_fn(r_max + step, step, |r| lethality(r, 0.0));
        }
        let mut e = [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for p in parts {
            let pe = p.extent_m();
            e = [
                e[0].min(pe[0]),
                e[1].max(pe[1]),
                e[2].min(pe[2]),
                e[3].max(pe[3]),
            ];
        }
        Footprint::directional_from_fn(
            &DirectionalSampling {
                x_min_m: e[0] - step,
                x_max_m: e[1] + step,
                y_min_m: e[2] - step,
                y_max_m: e[3] + step,
                step_m: step,
                negligible_lethality: DEFAULT_NEGLIGIBLE_LETHALITY,
            },
            lethality,
        )
    }

    /// Lethality at (`x_m` downwind, `y_m` crosswind) of the release point, offset included.
    /// Call [`Footprint::validate`] first: an invalid footprint gives an unspecified value
    /// (never a panic).
    pub fn lethality_at(&self, x_m: f64, y_m: f64) -> f64 {
        let (x, y) = (x_m - self.offset_m[0], y_m - self.offset_m[1]);
        match &self.shape {
            FootprintShape::Disc {
                radius_m,
                lethality,
            } => {
                if x.hypot(y) <= *radius_m {
                    *lethality
                } else {
                    0.0
                }
            }
            FootprintShape::Radial { step_m, lethality } => {
                radial_lookup(lethality, 1.0 / step_m, x.hypot(y))
            }
            FootprintShape::Directional {
                x_min_m,
                y_min_m,
                step_m,
                nx,
                ny,
                lethality,
            } => {
                let x_max = x_min_m + (*nx as f64 - 1.0) * step_m;
                let y_max = y_min_m + (*ny as f64 - 1.0) * step_m;
                if x < *x_min_m || x > x_max || y < *y_min_m || y > y_max {
                    return 0.0;
                }
                bilinear(
                    lethality,
                    *nx,
                    *ny,
                    (x - x_min_m) / step_m,
                    (y - y_min_m) / step_m,
                )
            }
        }
    }

    /// Refuses non-finite or out-of-range parameters and samples, inconsistent sizes, and
    /// more than `max_samples` samples.
    pub fn validate(&self, max_samples: usize) -> Result<(), QraError> {
        check_coord("footprint.offset_m", self.offset_m[0])?;
        check_coord("footprint.offset_m", self.offset_m[1])?;
        let check_l = |v: f64| {
            check("footprint.lethality", v, "0 <= value <= 1", |v| {
                (0.0..=1.0).contains(&v)
            })
        };
        match &self.shape {
            FootprintShape::Disc {
                radius_m,
                lethality,
            } => {
                check("footprint.radius_m", *radius_m, "0 <= value <= 1e6", |v| {
                    (0.0..=MAX_COORD_M).contains(&v)
                })?;
                check_l(*lethality)?;
            }
            FootprintShape::Radial { step_m, lethality } => {
                check_step("footprint.step_m", *step_m)?;
                if lethality.len() < 2 || lethality.len() > max_samples {
                    return Err(QraError::OutOfRange {
                        field: "footprint.lethality (samples)",
                        value: lethality.len() as f64,
                        expected: "2 <= samples <= max_footprint_samples",
                    });
                }
                check(
                    "footprint.step_m * samples",
                    step_m * lethality.len() as f64,
                    "<= 1e6 m",
                    |v| v <= MAX_COORD_M,
                )?;
                for &v in lethality {
                    check_l(v)?;
                }
            }
            FootprintShape::Directional {
                x_min_m,
                y_min_m,
                step_m,
                nx,
                ny,
                lethality,
            } => {
                check_coord("footprint.x_min_m", *x_min_m)?;
                check_coord("footprint.y_min_m", *y_min_m)?;
                let step = check_step("footprint.step_m", *step_m)?;
                let n = nx.saturating_mul(*ny);
                if *nx < 2 || *ny < 2 || n > max_samples || lethality.len() != n {
                    return Err(QraError::OutOfRange {
                        field: "footprint.lethality (samples)",
                        value: lethality.len() as f64,
                        expected: "nx >= 2, ny >= 2, nx*ny samples <= max_footprint_samples",
                    });
                }
                check_coord("footprint.x_max", x_min_m + step * (*nx as f64 - 1.0))?;
                check_coord("footprint.y_max", y_min_m + step * (*ny as f64 - 1.0))?;
                for &v in lethality {
                    check_l(v)?;
                }
            }
        }
        Ok(())
    }

    /// Compiles a validated footprint for the engine (trimmed, lookup-ready).
    pub(crate) fn compile(&self) -> Compiled {
        match &self.shape {
            FootprintShape::Disc {
                radius_m,
                lethality,
            } => {
                if *lethality <= 0.0 {
                    Compiled::Empty
                } else {
                    Compiled::Disc {
                        r: *radius_m,
                        lethality: *lethality,
                    }
                }
            }
            FootprintShape::Radial { step_m, lethality } => {
                let Some(last) = lethality.iter().rposition(|&v| v > 0.0) else {
                    return Compiled::Empty;
                };
                // Keep one trailing sample (0, or the last value: linear interpolation between
                // the last non-zero sample and the next).
                let keep = (last + 2).min(lethality.len());
                let mut samples = lethality[..keep].to_vec();
                if keep == lethality.len() {
                    // The profile ends non-zero: it drops to 0 beyond the last sample.
                    samples.push(0.0);
                }
                let r_max = (samples.len() - 1) as f64 * step_m;
                Compiled::Radial {
                    inv_step: 1.0 / step_m,
                    r_max,
                    samples,
                }
            }
            FootprintShape::Directional {
                x_min_m,
                y_min_m,
                step_m,
                nx,
                ny,
                lethality,
            } => {
                let (nx, ny) = (*nx, *ny);
                let (mut i0, mut i1, mut j0, mut j1) = (usize::MAX, 0, usize::MAX, 0);
                for j in 0..ny {
                    for i in 0..nx {
                        if lethality.get(j * nx + i).copied().unwrap_or(0.0) > 0.0 {
                            i0 = i0.min(i);
                            i1 = i1.max(i);
                            j0 = j0.min(j);
                            j1 = j1.max(j);
                        }
                    }
                }
                if i0 == usize::MAX {
                    return Compiled::Empty;
                }
                // One sample of margin (bilinear ramp to 0), then at least 2 × 2.
                let i0 = i0.saturating_sub(1);
                let j0 = j0.saturating_sub(1);
                let i1 = (i1 + 1).min(nx - 1).max(i0 + 1);
                let j1 = (j1 + 1).min(ny - 1).max(j0 + 1);
                let (mx, my) = (i1 - i0 + 1, j1 - j0 + 1);
                let mut samples = Vec::with_capacity(mx * my);
                for j in j0..=j1 {
                    for i in i0..=i1 {
                        samples.push(lethality.get(j * nx + i).copied().unwrap_or(0.0));
                    }
                }
                let x_min = x_min_m + i0 as f64 * step_m;
                let y_min = y_min_m + j0 as f64 * step_m;
                Compiled::Directional {
                    x_min,
                    y_min,
                    x_max: x_min + (mx - 1) as f64 * step_m,
                    y_max: y_min + (my - 1) as f64 * step_m,
                    inv_step: 1.0 / step_m,
                    nx: mx,
                    ny: my,
                    samples,
                }
            }
        }
    }
}

/// Linear interpolation of radial samples at `r` (0 beyond the last sample).
#[inline]
pub(crate) fn radial_lookup(samples: &[f64], inv_step: f64, r: f64) -> f64 {
    let fr = r * inv_step;
    let n = samples.len();
    if fr.is_nan() || fr < 0.0 || n < 2 || fr > (n - 1) as f64 {
        return 0.0;
    }
    let i = (fr as usize).min(n - 2);
    let t = fr - i as f64;
    match (samples.get(i), samples.get(i + 1)) {
        (Some(a), Some(b)) => a + t * (b - a),
        _ => 0.0,
    }
}

/// Bilinear interpolation at fractional sample indices (`fx`, `fy`), clamped to the raster.
#[inline]
pub(crate) fn bilinear(samples: &[f64], nx: usize, ny: usize, fx: f64, fy: f64) -> f64 {
    if nx < 2 || ny < 2 {
        return 0.0;
    }
    let fx = fx.clamp(0.0, (nx - 1) as f64);
    let fy = fy.clamp(0.0, (ny - 1) as f64);
    let i = (fx as usize).min(nx - 2);
    let j = (fy as usize).min(ny - 2);
    let tx = fx - i as f64;
    let ty = fy - j as f64;
    let k = j * nx + i;
    match (
        samples.get(k),
        samples.get(k + 1),
        samples.get(k + nx),
        samples.get(k + nx + 1),
    ) {
        (Some(a), Some(b), Some(c), Some(d)) => {
            let lo = a + tx * (b - a);
            let hi = c + tx * (d - c);
            lo + ty * (hi - lo)
        }
        _ => 0.0,
    }
}

/// A footprint ready for rasterisation.
#[derive(Debug, Clone)]
pub(crate) enum Compiled {
    /// No effect.
    Empty,
    /// Constant lethality within r.
    Disc { r: f64, lethality: f64 },
    /// Radial samples (last one 0).
    Radial {
        inv_step: f64,
        r_max: f64,
        samples: Vec<f64>,
    },
    /// Trimmed local raster.
    Directional {
        x_min: f64,
        y_min: f64,
        x_max: f64,
        y_max: f64,
        inv_step: f64,
        nx: usize,
        ny: usize,
        samples: Vec<f64>,
    },
}

impl Compiled {
    /// Wind-independent about its own origin.
    pub(crate) fn is_radial(&self) -> bool {
        matches!(
            self,
            Compiled::Empty | Compiled::Disc { .. } | Compiled::Radial { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radial_lookup_interpolates_and_ends() {
        let s = [1.0, 0.5, 0.0];
        assert_eq!(radial_lookup(&s, 1.0, 0.0), 1.0);
        assert!((radial_lookup(&s, 1.0, 0.5) - 0.75).abs() < 1e-12);
        assert_eq!(radial_lookup(&s, 1.0, 2.0), 0.0);
        assert_eq!(radial_lookup(&s, 1.0, 2.5), 0.0);
        assert_eq!(radial_lookup(&s, 1.0, f64::NAN), 0.0);
    }

    #[test]
    fn directional_from_fn_trims_and_matches() {
        let fp = Footprint::directional_from_fn(
            &DirectionalSampling::symmetric(-50.0, 500.0, 100.0, 5.0),
            |x, y| {
                if (0.0..=200.0).contains(&x) && y.abs() <= 20.0 {
                    0.5
                } else {
                    0.0
                }
            },
        )
        .unwrap();
        fp.validate(DEFAULT_MAX_FOOTPRINT_SAMPLES).unwrap();
        assert_eq!(fp.lethality_at(100.0, 0.0), 0.5);
        assert_eq!(fp.lethality_at(300.0, 0.0), 0.0);
        match fp.compile() {
            Compiled::Directional {
                x_min,
                x_max,
                y_min,
                y_max,
                ..
            } => {
                assert_eq!((x_min, x_max), (-5.0, 205.0));
                assert_eq!((y_min, y_max), (-25.0, 25.0));
            }
            other => panic!("expected directional, got {other:?}"),
        }
    }

    #[test]
    fn combine_independent_lethalities() {
        let jet = Footprint::disc(50.0, 0.5);
        let pool = Footprint::disc(30.0, 0.5).with_offset(20.0, 0.0);
        let both = Footprint::combine(&[jet.clone(), pool], 1.0).unwrap();
        assert!(matches!(both.shape, FootprintShape::Directional { .. }));
        assert!((both.lethality_at(20.0, 0.0) - 0.75).abs() < 1e-12);
        assert!((both.lethality_at(-40.0, 0.0) - 0.5).abs() < 1e-12);
        assert_eq!(both.lethality_at(0.0, 60.0), 0.0);
        let radial = Footprint::combine(&[jet.clone(), jet], 1.0).unwrap();
        assert!(matches!(radial.shape, FootprintShape::Radial { .. }));
        assert!((radial.lethality_at(10.0, 0.0) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn offset_moves_disc() {
        let fp = Footprint::disc(10.0, 1.0).with_offset(100.0, 0.0);
        assert_eq!(fp.lethality_at(95.0, 0.0), 1.0);
        assert_eq!(fp.lethality_at(0.0, 0.0), 0.0);
    }
}
