//! 风险等值线 — contours of a raster (the individual-risk raster) by marching squares, and
//! their GeoJSON in geographic coordinates.
//!
//! # Marching squares
//!
//! The raster values sit at the cell centres (x_i = x₀ + (i + ½)·Δ, y_j = y₀ + (j + ½)·Δ,
//! row j = 0 south). Each square of four neighbouring centres is classified by which corners
//! are ≥ the level; the crossing on an edge is interpolated linearly between the two centres.
//! A saddle square (two opposite corners inside) is resolved by the mean of its four corners
//! (inside if ≥ level: the inside corners connect). The raster is padded with a border of
//! zeros half a cell outside the grid, so every contour is a **closed ring**; a ring that uses
//! the padding is flagged `touches_grid_edge` (the true contour continues outside the grid).
//! Segments are oriented with the inside (≥ level) on the left, so outer rings are
//! counter-clockwise and holes clockwise (GeoJSON RFC 7946 order).
//!
//! # Local projection (GeoJSON)
//!
//! Local metres (x east, y north) around the geographic origin (φ₀, λ₀) of local (0, 0) are
//! converted by an equirectangular projection on the WGS 84 ellipsoid:
//! φ = φ₀ + y/M(φ₀), λ = λ₀ + x/(N(φ₀)·cos φ₀), with M = a(1−e²)/(1−e² sin²φ₀)^{3/2} and
//! N = a/(1−e² sin²φ₀)^{1/2} (a = 6 378 137 m, f = 1/298.257 223 563).
//! Accuracy: the east–west scale at φ₀ + Δφ differs by a relative ≈ tan φ₀ · Δφ, so at a
//! mid-China latitude (φ₀ ≈ 30°–40°) a point 2 km north and 2 km east of the origin is off
//! by ≈ 0.3–0.5 m, at 5 km × 5 km by ≈ 2–3.5 m: below a 5–10 m risk-grid cell over a
//! chemical park (keep the origin near the park centre; not for areas beyond ~10 km).
//! Valid for |φ₀| ≤ 80°.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::{QraError, check};
use crate::risk::geometry::{point_in_polygon, signed_area};

/// One closed contour ring in local metres (the first point is not repeated at the end).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContourRing {
    /// Vertices `[x_m, y_m]`, counter-clockwise for outer rings, clockwise for holes.
    pub points_m: Vec<[f64; 2]>,
    /// A hole: a region below the level inside a region above it.
    pub is_hole: bool,
    /// The ring runs along the edge of the grid (the true contour is partly outside).
    pub touches_grid_edge: bool,
    /// Signed area, m² (positive for outer rings).
    pub area_m2: f64,
}

/// Contour rings of one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContourLevel {
    /// The level, per year.
    pub level_per_year: f64,
    /// Protected-target classes whose criterion is this level (English keys, `/`-joined;
    /// empty if none).
    pub class: String,
    /// The same in Chinese.
    pub class_zh: String,
    /// The rings.
    pub rings: Vec<ContourRing>,
}

/// The raster geometry a contour is drawn on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RasterFrame {
    /// West edge of the grid, m.
    pub origin_x_m: f64,
    /// South edge of the grid, m.
    pub origin_y_m: f64,
    /// Cell size, m.
    pub cell_size_m: f64,
    /// Columns.
    pub nx: usize,
    /// Rows.
    pub ny: usize,
}

/// Geographic coordinates (WGS 84) of local (0, 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeoOrigin {
    /// Latitude, degrees north (|φ| ≤ 80).
    pub lat_deg: f64,
    /// Longitude, degrees east (|λ| ≤ 180).
    pub lon_deg: f64,
}

const WGS84_A: f64 = 6_378_137.0;
const WGS84_F: f64 = 1.0 / 298.257_223_563;

impl GeoOrigin {
    /// Refuses non-finite values, |lat| > 80°, |lon| > 180°.
    pub fn validate(&self) -> Result<(), QraError> {
        check(
            "grid.geo_origin.lat_deg",
            self.lat_deg,
            "|value| <= 80",
            |v| v.abs() <= 80.0,
        )?;
        check(
            "grid.geo_origin.lon_deg",
            self.lon_deg,
            "|value| <= 180",
            |v| v.abs() <= 180.0,
        )?;
        Ok(())
    }

    /// Metres per radian north (M) and east (N·cos φ₀) at the origin.
    fn scales(&self) -> (f64, f64) {
        let e2 = WGS84_F * (2.0 - WGS84_F);
        let phi = self.lat_deg.to_radians();
        let w = 1.0 - e2 * phi.sin().powi(2);
        let m = WGS84_A * (1.0 - e2) / w.powf(1.5);
        let n = WGS84_A / w.sqrt();
        (m, n * phi.cos())
    }

    /// `[lon_deg, lat_deg]` of local `[x_m, y_m]` (equirectangular, module documentation).
    pub fn to_lon_lat(&self, p: [f64; 2]) -> [f64; 2] {
        let (m, ne) = self.scales();
        [
            self.lon_deg + (p[0] / ne).to_degrees(),
            self.lat_deg + (p[1] / m).to_degrees(),
        ]
    }

    /// Local `[x_m, y_m]` of `[lon_deg, lat_deg]` (inverse of [`GeoOrigin::to_lon_lat`]).
    pub fn to_local(&self, lon_lat: [f64; 2]) -> [f64; 2] {
        let (m, ne) = self.scales();
        [
            (lon_lat[0] - self.lon_deg).to_radians() * ne,
            (lon_lat[1] - self.lat_deg).to_radians() * m,
        ]
    }
}

/// One crossing point: the edge key and its position.
type Crossing = (u64, [f64; 2]);

/// Contour rings of `values` (row-major, `frame.nx` × `frame.ny`, row 0 south) at `level`
/// (> 0). Non-finite values count as 0.
pub fn contour_rings(
    values: &[f64],
    frame: &RasterFrame,
    level: f64,
) -> Result<Vec<ContourRing>, QraError> {
    let level = check("contour level", level, "0 < value <= 1", |v| {
        v > 0.0 && v <= 1.0
    })?;
    let (nx, ny) = (frame.nx, frame.ny);
    if nx == 0 || ny == 0 || values.len() != nx * ny {
        return Err(QraError::OutOfRange {
            field: "contour raster (length)",
            value: values.len() as f64,
            expected: "nx * ny values, nx, ny >= 1",
        });
    }
    // Padded corner indices run from -1 to n; store as p = i + 1 in 0..=n+1.
    let value_at = |pi: usize, pj: usize| -> f64 {
        if pi == 0 || pj == 0 || pi > nx || pj > ny {
            return 0.0;
        }
        let v = values.get((pj - 1) * nx + (pi - 1)).copied().unwrap_or(0.0);
        if v.is_finite() { v } else { 0.0 }
    };
    let pos = |pi: usize, pj: usize| -> [f64; 2] {
        [
            frame.origin_x_m + (pi as f64 - 0.5) * frame.cell_size_m,
            frame.origin_y_m + (pj as f64 - 0.5) * frame.cell_size_m,
        ]
    };
    let stride = (ny + 2) as u64;
    // Horizontal edge from corner (pi, pj) to (pi+1, pj): kind 0; vertical to (pi, pj+1): 1.
    let key = |pi: usize, pj: usize, kind: u64| ((pi as u64) * stride + pj as u64) * 2 + kind;
    let crossing = |a: (usize, usize), b: (usize, usize), kind: u64| -> Crossing {
        let (va, vb) = (value_at(a.0, a.1), value_at(b.0, b.1));
        let t = ((level - va) / (vb - va)).clamp(0.0, 1.0);
        let (pa, pb) = (pos(a.0, a.1), pos(b.0, b.1));
        (
            key(a.0, a.1, kind),
            [pa[0] + t * (pb[0] - pa[0]), pa[1] + t * (pb[1] - pa[1])],
        )
    };
    let mut next: HashMap<u64, (u64, [f64; 2])> = HashMap::new();
    for pj in 0..=ny {
        for pi in 0..=nx {
            // Corners counter-clockwise: bl, br, tr, tl.
            let c = [(pi, pj), (pi + 1, pj), (pi + 1, pj + 1), (pi, pj + 1)];
            let v = [
                value_at(c[0].0, c[0].1),
                value_at(c[1].0, c[1].1),
                value_at(c[2].0, c[2].1),
                value_at(c[3].0, c[3].1),
            ];
            let inside = [v[0] >= level, v[1] >= level, v[2] >= level, v[3] >= level];
            if inside.iter().all(|&b| b) || inside.iter().all(|&b| !b) {
                continue;
            }
            // Crossings in counter-clockwise order: (is_exit, crossing).
            let mut xs: [(bool, Crossing); 4] = [(false, (0, [0.0; 2])); 4];
            let mut count = 0;
            for k in 0..4 {
                let k1 = (k + 1) % 4;
                if inside[k] != inside[k1] {
                    // Canonical edge: from the lower-index corner, so both squares agree.
                    let cr = match k {
                        0 => crossing(c[0], c[1], 0),
                        1 => crossing(c[1], c[2], 1),
                        2 => crossing(c[3], c[2], 0),
                        _ => crossing(c[0], c[3], 1),
                    };
                    xs[count] = (inside[k], cr);
                    count += 1;
                }
            }
            let mut link = |from: Crossing, to: Crossing| {
                next.insert(from.0, (to.0, from.1));
            };
            if count == 2 {
                let (a, b) = (xs[0], xs[1]);
                if a.0 {
                    link(a.1, b.1);
                } else {
                    link(b.1, a.1);
                }
            } else if count == 4 {
                let centre_inside = (v[0] + v[1] + v[2] + v[3]) / 4.0 >= level;
                for p in 0..4 {
                    if xs[p].0 {
                        let q = if centre_inside {
                            (p + 1) % 4
                        } else {
                            (p + 3) % 4
                        };
                        link(xs[p].1, xs[q].1);
                    }
                }
            }
        }
    }
    let edge_x = (frame.origin_x_m + 0.5 * frame.cell_size_m, {
        frame.origin_x_m + (nx as f64 - 0.5) * frame.cell_size_m
    });
    let edge_y = (frame.origin_y_m + 0.5 * frame.cell_size_m, {
        frame.origin_y_m + (ny as f64 - 0.5) * frame.cell_size_m
    });
    let mut keys: Vec<u64> = next.keys().copied().collect();
    keys.sort_unstable();
    let mut rings = Vec::new();
    for start in keys {
        if !next.contains_key(&start) {
            continue;
        }
        let mut points = Vec::new();
        let mut k = start;
        while let Some((to, p)) = next.remove(&k) {
            points.push(p);
            k = to;
            if k == start {
                break;
            }
        }
        if points.len() < 3 {
            continue;
        }
        let area = signed_area(&points);
        let touches = points
            .iter()
            .any(|p| p[0] < edge_x.0 || p[0] > edge_x.1 || p[1] < edge_y.0 || p[1] > edge_y.1);
        rings.push(ContourRing {
            is_hole: area < 0.0,
            touches_grid_edge: touches,
            area_m2: area,
            points_m: points,
        });
    }
    Ok(rings)
}

/// Contours of `values` at each of `levels` (per year), labelled with the target classes of
/// `label` (criteria and installation status), if given.
pub fn contour_levels(
    values: &[f64],
    frame: &RasterFrame,
    levels: &[f64],
    label: Option<(
        &crate::risk::criteria::IrCriteria,
        crate::risk::criteria::InstallationStatus,
    )>,
) -> Result<Vec<ContourLevel>, QraError> {
    levels
        .iter()
        .map(|&level| {
            let rings = contour_rings(values, frame, level)?;
            let (class, class_zh) = match label {
                Some((crit, status)) => crit.classes_at(level, status),
                None => (String::new(), String::new()),
            };
            Ok(ContourLevel {
                level_per_year: level,
                class,
                class_zh,
                rings,
            })
        })
        .collect()
}

/// Groups rings into polygons: each outer ring with the holes it immediately contains.
fn polygons(rings: &[ContourRing]) -> Vec<(usize, Vec<usize>)> {
    let outers: Vec<usize> = (0..rings.len()).filter(|&i| !rings[i].is_hole).collect();
    let mut polys: Vec<(usize, Vec<usize>)> = outers.iter().map(|&i| (i, Vec::new())).collect();
    for (h, ring) in rings.iter().enumerate().filter(|(_, r)| r.is_hole) {
        let Some(p) = ring.points_m.first().copied() else {
            continue;
        };
        // The smallest outer ring that contains the hole.
        let best = polys
            .iter_mut()
            .filter(|(o, _)| point_in_polygon(&rings[*o].points_m, p))
            .min_by(|a, b| rings[a.0].area_m2.total_cmp(&rings[b.0].area_m2));
        if let Some((_, holes)) = best {
            holes.push(h);
        }
    }
    polys
}

/// GeoJSON FeatureCollection of contour levels: one Feature per level, geometry a
/// MultiPolygon in `[lon, lat]` (closed rings, outer counter-clockwise, holes clockwise),
/// properties `level_per_year`, `class` (English keys), `class_zh`, `touches_grid_edge`.
pub fn to_geojson(levels: &[ContourLevel], origin: &GeoOrigin) -> Result<Value, QraError> {
    origin.validate()?;
    let ring_coords = |r: &ContourRing| -> Value {
        let mut pts: Vec<Value> = r
            .points_m
            .iter()
            .map(|p| {
                let ll = origin.to_lon_lat(*p);
                json!([ll[0], ll[1]])
            })
            .collect();
        if let Some(first) = pts.first().cloned() {
            pts.push(first);
        }
        Value::Array(pts)
    };
    let features: Vec<Value> = levels
        .iter()
        .map(|l| {
            let coords: Vec<Value> = polygons(&l.rings)
                .into_iter()
                .map(|(outer, holes)| {
                    let mut poly = vec![ring_coords(&l.rings[outer])];
                    poly.extend(holes.into_iter().map(|h| ring_coords(&l.rings[h])));
                    Value::Array(poly)
                })
                .collect();
            json!({
                "type": "Feature",
                "geometry": { "type": "MultiPolygon", "coordinates": coords },
                "properties": {
                    "level_per_year": l.level_per_year,
                    "class": l.class,
                    "class_zh": l.class_zh,
                    "touches_grid_edge": l.rings.iter().any(|r| r.touches_grid_edge),
                }
            })
        })
        .collect();
    Ok(json!({ "type": "FeatureCollection", "features": features }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_cell_peak_gives_one_ccw_diamond() {
        let frame = RasterFrame {
            origin_x_m: 0.0,
            origin_y_m: 0.0,
            cell_size_m: 1.0,
            nx: 3,
            ny: 3,
        };
        let mut v = vec![0.0; 9];
        v[4] = 1.0;
        let rings = contour_rings(&v, &frame, 0.5).unwrap();
        assert_eq!(rings.len(), 1);
        let r = &rings[0];
        assert!(!r.is_hole && !r.touches_grid_edge);
        assert_eq!(r.points_m.len(), 4);
        // Diamond of half-diagonal 0.5 around (1.5, 1.5): area 0.5.
        assert!((r.area_m2 - 0.5).abs() < 1e-12, "{}", r.area_m2);
    }

    #[test]
    fn ring_with_hole() {
        let frame = RasterFrame {
            origin_x_m: 0.0,
            origin_y_m: 0.0,
            cell_size_m: 1.0,
            nx: 5,
            ny: 5,
        };
        let mut v = vec![0.0; 25];
        for j in 1..4 {
            for i in 1..4 {
                v[j * 5 + i] = 1.0;
            }
        }
        v[12] = 0.0;
        let rings = contour_rings(&v, &frame, 0.5).unwrap();
        assert_eq!(rings.len(), 2);
        assert_eq!(rings.iter().filter(|r| r.is_hole).count(), 1);
        let polys = polygons(&rings);
        assert_eq!(polys.len(), 1);
        assert_eq!(polys[0].1.len(), 1);
    }

    #[test]
    fn projection_scales() {
        let o = GeoOrigin {
            lat_deg: 40.0,
            lon_deg: 116.0,
        };
        let ll = o.to_lon_lat([0.0, 1000.0]);
        // One degree of latitude at 40° N is 111 034.6 m (meridian arc).
        assert!(((ll[1] - 40.0) * 111_034.6 - 1000.0).abs() < 0.5);
        let ll = o.to_lon_lat([1000.0, 0.0]);
        // One degree of longitude at 40° N is 85 394.3 m.
        assert!(((ll[0] - 116.0) * 85_394.3 - 1000.0).abs() < 0.5);
        let back = o.to_local(o.to_lon_lat([1234.5, -987.0]));
        assert!((back[0] - 1234.5).abs() < 1e-6 && (back[1] + 987.0).abs() < 1e-6);
    }
}
