//! Plane geometry in the local site frame (metres, x = east, y = north): points, polygons,
//! point-in-polygon, distances.

use serde::{Deserialize, Serialize};

use crate::error::{QraError, check};

/// Assumed bound on any local coordinate, m (±1000 km: far beyond a chemical park).
pub(crate) const MAX_COORD_M: f64 = 1e6;

/// A place in the site frame: a point or a polygon (the population of a building, a
/// protected target).
///
/// JSON: `{"type": "point", "x_m": 10, "y_m": 20}` or
/// `{"type": "polygon", "vertices_m": [[0, 0], [10, 0], [10, 10]]}` (at least 3 vertices,
/// either orientation, closing vertex optional).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Geometry {
    /// A point, m.
    Point {
        /// East, m.
        x_m: f64,
        /// North, m.
        y_m: f64,
    },
    /// A simple polygon, vertices `[x, y]` in m.
    Polygon {
        /// Vertices `[x_m, y_m]`.
        vertices_m: Vec<[f64; 2]>,
    },
}

/// The boundary of an installation (装置/设施边界), from which external safety distances are
/// measured: a polygon, or a point with a radius (a tank: its centre and radius).
///
/// JSON: `{"type": "polygon", "vertices_m": [[…], …]}` or
/// `{"type": "circle", "x_m": 0, "y_m": 0, "radius_m": 15}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Boundary {
    /// A simple polygon, vertices `[x, y]` in m.
    Polygon {
        /// Vertices `[x_m, y_m]`.
        vertices_m: Vec<[f64; 2]>,
    },
    /// A circle (a point when `radius_m` = 0).
    Circle {
        /// Centre, east, m.
        x_m: f64,
        /// Centre, north, m.
        y_m: f64,
        /// Radius, m (≥ 0).
        radius_m: f64,
    },
}

pub(crate) fn check_coord(field: &'static str, v: f64) -> Result<f64, QraError> {
    check(field, v, "|value| <= 1e6 m", |v| v.abs() <= MAX_COORD_M)
}

pub(crate) fn check_polygon(field: &'static str, vertices: &[[f64; 2]]) -> Result<(), QraError> {
    if vertices.len() < 3 {
        return Err(QraError::OutOfRange {
            field,
            value: vertices.len() as f64,
            expected: "at least 3 vertices",
        });
    }
    for v in vertices {
        check_coord(field, v[0])?;
        check_coord(field, v[1])?;
    }
    Ok(())
}

impl Geometry {
    /// Refuses non-finite or out-of-bound coordinates and polygons of fewer than 3 vertices.
    pub(crate) fn validate(&self, field: &'static str) -> Result<(), QraError> {
        match self {
            Geometry::Point { x_m, y_m } => {
                check_coord(field, *x_m)?;
                check_coord(field, *y_m)?;
                Ok(())
            }
            Geometry::Polygon { vertices_m } => check_polygon(field, vertices_m),
        }
    }
}

impl Boundary {
    /// Refuses non-finite or out-of-bound coordinates, negative radii and small polygons.
    pub(crate) fn validate(&self, field: &'static str) -> Result<(), QraError> {
        match self {
            Boundary::Polygon { vertices_m } => check_polygon(field, vertices_m),
            Boundary::Circle { x_m, y_m, radius_m } => {
                check_coord(field, *x_m)?;
                check_coord(field, *y_m)?;
                check(field, *radius_m, "0 <= radius_m <= 1e6", |v| {
                    (0.0..=MAX_COORD_M).contains(&v)
                })?;
                Ok(())
            }
        }
    }

    /// Distance, m, from `p` to the installation (0 inside or on the boundary).
    pub fn distance_m(&self, p: [f64; 2]) -> f64 {
        match self {
            Boundary::Polygon { vertices_m } => distance_to_polygon(vertices_m, p),
            Boundary::Circle { x_m, y_m, radius_m } => {
                ((p[0] - x_m).hypot(p[1] - y_m) - radius_m).max(0.0)
            }
        }
    }

    /// Whether `p` is inside (or on) the boundary.
    pub fn contains(&self, p: [f64; 2]) -> bool {
        self.distance_m(p) <= 0.0
    }

    /// Points of the boundary (polygon vertices; a circle's centre and 8 rim points).
    pub(crate) fn sample_points(&self) -> Vec<[f64; 2]> {
        match self {
            Boundary::Polygon { vertices_m } => vertices_m.clone(),
            Boundary::Circle { x_m, y_m, radius_m } => {
                let mut pts = vec![[*x_m, *y_m]];
                for k in 0..8 {
                    let a = f64::from(k) * std::f64::consts::FRAC_PI_4;
                    pts.push([x_m + radius_m * a.cos(), y_m + radius_m * a.sin()]);
                }
                pts
            }
        }
    }
}

/// Even–odd rule point-in-polygon test (the closing edge is implied).
pub(crate) fn point_in_polygon(vertices: &[[f64; 2]], p: [f64; 2]) -> bool {
    let n = vertices.len();
    if n < 3 {
        return false;
    }
    let mut inside = false;
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (vertices[i], vertices[j]);
        if (a[1] > p[1]) != (b[1] > p[1]) {
            let x_cross = a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
            if p[0] < x_cross {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}

/// Distance from `p` to the segment `a`–`b`.
pub(crate) fn distance_to_segment(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p[0] - (a[0] + t * dx)).hypot(p[1] - (a[1] + t * dy))
}

/// Distance from `p` to a polygon region: 0 inside, else to the nearest edge.
pub(crate) fn distance_to_polygon(vertices: &[[f64; 2]], p: [f64; 2]) -> f64 {
    if point_in_polygon(vertices, p) {
        return 0.0;
    }
    let n = vertices.len();
    let mut best = f64::INFINITY;
    for i in 0..n {
        let a = vertices[i];
        let b = vertices[(i + 1) % n];
        best = best.min(distance_to_segment(a, b, p));
    }
    best
}

/// Signed area (shoelace), m²: positive for counter-clockwise rings.
pub(crate) fn signed_area(vertices: &[[f64; 2]]) -> f64 {
    let n = vertices.len();
    let mut s = 0.0;
    for i in 0..n {
        let a = vertices[i];
        let b = vertices[(i + 1) % n];
        s += a[0] * b[1] - b[0] * a[1];
    }
    0.5 * s
}

/// Centroid of the vertices (a representative point, not the area centroid).
pub(crate) fn vertex_mean(vertices: &[[f64; 2]]) -> [f64; 2] {
    let n = vertices.len().max(1) as f64;
    let (sx, sy) = vertices
        .iter()
        .fold((0.0, 0.0), |(sx, sy), v| (sx + v[0], sy + v[1]));
    [sx / n, sy / n]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: [[f64; 2]; 4] = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];

    #[test]
    fn square_contains_and_distances() {
        assert!(point_in_polygon(&SQUARE, [5.0, 5.0]));
        assert!(!point_in_polygon(&SQUARE, [15.0, 5.0]));
        assert_eq!(distance_to_polygon(&SQUARE, [5.0, 5.0]), 0.0);
        assert!((distance_to_polygon(&SQUARE, [13.0, 14.0]) - 5.0).abs() < 1e-12);
        assert!((signed_area(&SQUARE) - 100.0).abs() < 1e-12);
        let c = Boundary::Circle {
            x_m: 0.0,
            y_m: 0.0,
            radius_m: 10.0,
        };
        assert!((c.distance_m([30.0, 40.0]) - 40.0).abs() < 1e-12);
        assert!(c.contains([3.0, 4.0]));
    }
}
