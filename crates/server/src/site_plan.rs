//! 园区平面图 — a site plan of the places the caller may see, as GeoJSON, for
//! the console's overview (no tile server: plants are offline).
//!
//! Installations are points at their registered coordinates, coloured by the
//! live risk level; each enterprise is the rectangle around its installations
//! and each park the rectangle around its enterprises (schematic: weihua does
//! not hold surveyed boundaries yet). Installations without coordinates are
//! listed under `unplaced`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use weihua_store::Paging;
use weihua_store::registry::ListFilter;

use crate::AppState;
use crate::api::reader;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::extract::ApiQuery;

/// Margin around an enterprise's installations, degrees (≈ 60 m).
const ENTERPRISE_MARGIN: f64 = 0.0006;
/// Margin around a park's enterprises, degrees (≈ 110 m).
const PARK_MARGIN: f64 = 0.001;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SitePlanQuery {
    /// Only this park.
    pub park_id: Option<String>,
    /// Only this enterprise.
    pub enterprise_id: Option<String>,
}

/// A GeoJSON FeatureCollection (RFC 7946; coordinates are [longitude, latitude]).
#[derive(Debug, Serialize, ToSchema)]
pub struct SitePlan {
    #[serde(rename = "type")]
    pub kind: String,
    /// [min lon, min lat, max lon, max lat] of everything placed; absent when nothing is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f64; 4]>,
    /// Parks (`kind: park`), enterprises (`kind: enterprise`) as polygons,
    /// installations (`kind: installation`) as points with `risk_level`.
    #[schema(value_type = Vec<Object>)]
    pub features: Vec<Value>,
    /// Installations without coordinates: `{id, name, enterprise_id, risk_level}`.
    #[schema(value_type = Vec<Object>)]
    pub unplaced: Vec<Value>,
}

#[derive(Clone, Copy)]
struct Rect {
    min_lon: f64,
    min_lat: f64,
    max_lon: f64,
    max_lat: f64,
}

impl Rect {
    fn point(lon: f64, lat: f64) -> Self {
        Rect {
            min_lon: lon,
            min_lat: lat,
            max_lon: lon,
            max_lat: lat,
        }
    }
    fn union(self, o: Rect) -> Rect {
        Rect {
            min_lon: self.min_lon.min(o.min_lon),
            min_lat: self.min_lat.min(o.min_lat),
            max_lon: self.max_lon.max(o.max_lon),
            max_lat: self.max_lat.max(o.max_lat),
        }
    }
    fn pad(self, m: f64) -> Rect {
        Rect {
            min_lon: self.min_lon - m,
            min_lat: self.min_lat - m,
            max_lon: self.max_lon + m,
            max_lat: self.max_lat + m,
        }
    }
    fn ring(self) -> Value {
        json!([[
            [self.min_lon, self.min_lat],
            [self.max_lon, self.min_lat],
            [self.max_lon, self.max_lat],
            [self.min_lon, self.max_lat],
            [self.min_lon, self.min_lat]
        ]])
    }
}

fn merge(acc: Option<Rect>, r: Rect) -> Option<Rect> {
    Some(acc.map_or(r, |a| a.union(r)))
}

/// 园区平面图 — parks, enterprises and major hazard installations in the
/// caller's scope as GeoJSON, installations with their live risk level.
#[utoipa::path(get, path = "/api/v1/site-plan", tag = "alarms", params(SitePlanQuery), responses((status = 200, body = SitePlan)))]
pub async fn site_plan(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<SitePlanQuery>,
) -> ApiResult<Json<SitePlan>> {
    let scope = reader(&p)?;
    let filter = ListFilter {
        park_id: q.park_id.clone(),
        enterprise_id: q.enterprise_id.clone(),
        ..Default::default()
    };
    let enterprises = s
        .store
        .list_enterprises(&scope, &filter, Paging::all())
        .await?
        .items;
    let parks = s
        .store
        .list_parks(&scope, &ListFilter::default(), Paging::all())
        .await?
        .items;
    let installations = s
        .store
        .list_installations(&scope, &ListFilter::default(), Paging::all())
        .await?
        .items;
    let risk: BTreeMap<String, (String, f64)> = s
        .store
        .list_installation_risk(&scope)
        .await?
        .into_iter()
        .map(|r| (r.installation_id, (r.level, r.score)))
        .collect();
    let wanted: BTreeMap<&str, &weihua_store::registry::Enterprise> =
        enterprises.iter().map(|e| (e.id.as_str(), e)).collect();

    let mut features = Vec::new();
    let mut unplaced = Vec::new();
    let mut ent_rect: BTreeMap<&str, Rect> = BTreeMap::new();
    for i in &installations {
        let Some(e) = wanted.get(i.enterprise_id.as_str()) else {
            continue;
        };
        let (level, score) = risk
            .get(&i.id)
            .map(|(l, s)| (Some(l.clone()), Some(*s)))
            .unwrap_or((None, None));
        match (i.longitude, i.latitude) {
            (Some(lon), Some(lat)) if lon.is_finite() && lat.is_finite() => {
                let r = Rect::point(lon, lat);
                ent_rect
                    .entry(e.id.as_str())
                    .and_modify(|x| *x = x.union(r))
                    .or_insert(r);
                features.push(json!({
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {
                        "kind": "installation",
                        "id": i.id,
                        "name": i.name,
                        "code": i.code,
                        "enterprise_id": i.enterprise_id,
                        "enterprise_name": e.name,
                        "grade": i.grade,
                        "risk_level": level,
                        "risk_score": score,
                    }
                }));
            }
            _ => unplaced.push(json!({
                "id": i.id,
                "name": i.name,
                "enterprise_id": i.enterprise_id,
                "risk_level": level,
            })),
        }
    }
    let mut park_rect: BTreeMap<&str, Rect> = BTreeMap::new();
    let mut all: Option<Rect> = None;
    let mut areas = Vec::new();
    for (id, r) in &ent_rect {
        let r = r.pad(ENTERPRISE_MARGIN);
        let e = wanted[id];
        if let Some(pk) = &e.park_id {
            park_rect
                .entry(pk.as_str())
                .and_modify(|x| *x = x.union(r))
                .or_insert(r);
        }
        all = merge(all, r);
        areas.push(json!({
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": r.ring()},
            "properties": {"kind": "enterprise", "id": e.id, "name": e.name, "park_id": e.park_id}
        }));
    }
    let mut park_features = Vec::new();
    for (id, r) in &park_rect {
        let r = r.pad(PARK_MARGIN);
        all = merge(all, r);
        let name = parks.iter().find(|p| p.id == *id).map(|p| p.name.clone());
        park_features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": r.ring()},
            "properties": {"kind": "park", "id": id, "name": name}
        }));
    }
    // Parks first, then enterprises, then installations: the drawing order.
    park_features.extend(areas);
    park_features.extend(features);
    Ok(Json(SitePlan {
        kind: "FeatureCollection".into(),
        bbox: all.map(|r| [r.min_lon, r.min_lat, r.max_lon, r.max_lat]),
        features: park_features,
        unplaced,
    }))
}
