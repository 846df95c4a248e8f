//! 实时威胁区 — live threat zones: when a toxic or flammable gas detector alarms, weihua
//! estimates the release from the equipment it watches (the installation's inventory of a
//! substance the detector can see, the equipment's live pressure and temperature, an
//! assumed hole), takes the wind from the nearest weather station, and maps the toxic
//! levels (AEGL-3/2/1) or the LFL and ½ LFL as GeoJSON. The zone is published on the
//! live event stream (`threat_zone`, scoped like every alarm event) and refreshed while
//! the alarm lasts, as the wind turns; it ends (`threat_zone_cleared`) when every gas
//! alarm of the installation has cleared. A safety manager can set the source by hand
//! (`PUT /api/v1/threat-zones/{installation_id}/source`; audited).
//!
//! Every input the plant does not measure is **assumed** and listed in the zone's
//! `source.assumed` / `wind.assumed`, so the emergency team sees what is a reading and
//! what is a default.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::{RwLock, broadcast};
use utoipa::ToSchema;
use weihua_core::{Action, Indicator, Scope};
use weihua_qra::Stability;
use weihua_qra::risk::GeoOrigin;
use weihua_qra::threat::{
    StorageConditions, ThreatHazards, ThreatRelease, ThreatRequest, ThreatSubstance, ToxicLevel,
    estimate_release, stability_from_wind, threat_zones, zones_geojson,
};
use weihua_standards::gb30871::Coordinates;
use weihua_store::alarms::AlarmEvent;
use weihua_store::registry::{ListFilter, Point};
use weihua_store::{Paging, now_ms};

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::decode_json;

/// Settings of the live threat zones (all **assumed** defaults, configurable).
#[derive(Debug, Clone)]
pub struct ThreatConfig {
    /// Recompute every active zone this often, ms.
    pub refresh_ms: u64,
    /// Publish again at least this often while active, ms (sooner when the wind turns).
    pub republish_ms: i64,
    /// Publish when the wind direction moved at least this much, degrees.
    pub turn_deg: f64,
    /// A wind reading older than this is not used, ms.
    pub wind_max_age_ms: i64,
    /// Hole diameter when the source is estimated, m (API RP 581 "medium", 25 mm).
    pub hole_diameter_m: f64,
    /// Longest release considered, s (the Purple Book's 10 min before isolation).
    pub max_duration_s: f64,
    /// Wind speed when no station reads, m/s (ALOHA's low-wind worst case).
    pub fallback_wind_speed_m_s: f64,
    /// Local (China time) hours counted as day for the stability class: [start, end).
    pub day_hours: (u32, u32),
}

impl Default for ThreatConfig {
    fn default() -> Self {
        ThreatConfig {
            refresh_ms: 5_000,
            republish_ms: 60_000,
            turn_deg: 5.0,
            wind_max_age_ms: 10 * 60_000,
            hole_diameter_m: 0.025,
            max_duration_s: 600.0,
            fallback_wind_speed_m_s: 1.5,
            day_hours: (7, 19),
        }
    }
}

/// The gas alarm that started a zone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThreatTrigger {
    pub alarm_id: String,
    pub tag: String,
    pub point_name: String,
    pub value: Option<f64>,
    pub unit: String,
}

/// The substance mapped.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThreatSubstanceRef {
    pub cas: Option<String>,
    pub name_zh: String,
    pub name_en: String,
}

/// The source as estimated (or set by hand).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThreatSourceView {
    /// `[lon, lat]` of the release (the installation's registered position).
    pub origin: [f64; 2],
    pub equipment_code: Option<String>,
    /// `continuous` or `instantaneous`.
    pub mode: String,
    pub rate_kg_s: Option<f64>,
    pub duration_s: Option<f64>,
    pub mass_kg: Option<f64>,
    pub hole_diameter_m: Option<f64>,
    /// Treated as a dense gas (Britter–McQuaid).
    pub dense: bool,
    /// Inputs that are defaults, not readings.
    pub assumed: Vec<String>,
    pub basis_zh: String,
    pub basis_en: String,
}

/// The wind used.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThreatWindView {
    pub speed_m_s: f64,
    /// Direction the wind blows from, degrees from north (absent: unknown; zones are circles).
    pub from_deg: Option<f64>,
    /// Pasquill class.
    pub stability: String,
    pub station_tag: Option<String>,
    pub at_ms: Option<i64>,
    /// No fresh station reading: the fallback speed and an unknown direction.
    pub assumed: bool,
}

/// 实时威胁区 — one installation's live threat zone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThreatZoneView {
    /// `tz-{installation_id}`.
    pub id: String,
    pub enterprise_id: String,
    pub installation_id: String,
    pub installation_name: String,
    pub trigger: ThreatTrigger,
    pub substance: Option<ThreatSubstanceRef>,
    pub source: Option<ThreatSourceView>,
    pub wind: ThreatWindView,
    /// GeoJSON FeatureCollection of the zones (Polygon features; properties `hazard, level,
    /// label_zh, label_en, threshold, unit, distance_m, truncated, direction_known, color`).
    #[schema(value_type = Object)]
    pub zones: Value,
    pub computed_at_ms: i64,
    /// Time to estimate the source and compute the zones, ms.
    pub compute_ms: f64,
    pub active: bool,
    /// Why no zone could be drawn (no coordinates, no known substance …), both languages.
    #[schema(value_type = Option<Object>)]
    pub error: Option<Value>,
}

/// A source set by hand (`PUT /api/v1/threat-zones/{installation_id}/source`).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceOverride {
    /// CAS number or name of the substance (from weihua's substance table).
    pub substance: String,
    /// Continuous release rate, kg/s (give this or `mass_kg`).
    #[serde(default)]
    pub rate_kg_s: Option<f64>,
    /// Duration of the continuous release, s (default 600).
    #[serde(default)]
    pub duration_s: Option<f64>,
    /// Instantaneous release, kg.
    #[serde(default)]
    pub mass_kg: Option<f64>,
    /// Release height, m (default 0).
    #[serde(default)]
    pub release_height_m: Option<f64>,
}

struct Incident {
    enterprise_id: String,
    alarms: BTreeSet<String>,
    trigger: ThreatTrigger,
    point_id: String,
    last_published: Option<(i64, Option<f64>, f64)>,
}

/// The live zones and what they were started by.
#[derive(Default)]
pub struct ThreatBoard {
    views: RwLock<BTreeMap<String, Arc<ThreatZoneView>>>,
    incidents: tokio::sync::Mutex<HashMap<String, Incident>>,
    overrides: RwLock<HashMap<String, SourceOverride>>,
}

impl ThreatBoard {
    /// The zones visible in `scope`, per the alarm directory's rule.
    pub async fn visible(&self, s: &AppState, scope: &Scope) -> Vec<Arc<ThreatZoneView>> {
        let views: Vec<Arc<ThreatZoneView>> = self.views.read().await.values().cloned().collect();
        let Some(h) = &s.alarms else {
            return Vec::new();
        };
        let Ok(dir) = h.directory.read() else {
            return Vec::new();
        };
        views
            .into_iter()
            .filter(|v| dir.visible(scope, &v.enterprise_id))
            .collect()
    }
}

/// Follow the alarm stream and keep the live threat zones.
pub fn start(state: AppState, mut events: broadcast::Receiver<Arc<AlarmEvent>>) {
    tokio::spawn(async move {
        // Gas alarms still active from before a restart get their zones back.
        if let Err(err) = resume_active(&state).await {
            tracing::error!(error = ?err, "threat zones: resuming the active gas alarms");
        }
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(
            state.threat.refresh_ms.max(500),
        ));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                e = events.recv() => match e {
                    Ok(e) => {
                        if let Err(err) = on_event(&state, &e).await {
                            tracing::error!(error = ?err, "threat zone");
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(missed = n, "threat zones lagged behind the alarm stream");
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                },
                _ = tick.tick() => refresh_all(&state, false).await,
            }
        }
    });
}

/// Treats every active limit alarm in the store as just activated (after a restart the
/// stream does not repeat them).
async fn resume_active(s: &AppState) -> ApiResult<()> {
    let filter = weihua_store::alarms::AlarmFilter {
        open: Some(true),
        kind: Some("limit".into()),
        ..Default::default()
    };
    let open = s
        .store
        .list_alarms(&Scope::National, &filter, Paging::new(Some(10_000), None))
        .await?;
    for a in open.items.into_iter().filter(|a| a.active) {
        let Some(point_id) = a.point_id.clone() else {
            continue;
        };
        let e = AlarmEvent {
            seq: 0,
            at: a.raised_at.unwrap_or(0),
            event: "activated".into(),
            alarm_id: Some(a.id.clone()),
            enterprise_id: a.enterprise.clone(),
            installation_id: a.installation.clone(),
            actor: None,
            reason: None,
            payload: json!({"kind": "limit", "point_id": point_id, "value": a.value}),
        };
        on_event(s, &e).await?;
    }
    Ok(())
}

async fn on_event(s: &AppState, e: &AlarmEvent) -> ApiResult<()> {
    let Some(alarm_id) = e.alarm_id.clone() else {
        return Ok(());
    };
    match e.event.as_str() {
        "activated" => {
            if e.payload.get("kind").and_then(Value::as_str) != Some("limit") {
                return Ok(());
            }
            let Some(point_id) = e.payload.get("point_id").and_then(Value::as_str) else {
                return Ok(());
            };
            let point = match s.store.get_point(&Scope::National, point_id).await {
                Ok(p) => p,
                Err(_) => return Ok(()),
            };
            if !matches!(
                point.indicator,
                Indicator::ToxicGas | Indicator::FlammableGas
            ) {
                return Ok(());
            }
            let installation = point.installation_id.clone();
            let fresh = {
                let mut inc = s.threat_board.incidents.lock().await;
                let fresh = !inc.contains_key(&installation);
                let entry = inc.entry(installation.clone()).or_insert_with(|| Incident {
                    enterprise_id: point.enterprise_id.clone(),
                    alarms: BTreeSet::new(),
                    trigger: ThreatTrigger {
                        alarm_id: alarm_id.clone(),
                        tag: point.tag.to_string(),
                        point_name: point.name.clone(),
                        value: e.payload.get("value").and_then(Value::as_f64),
                        unit: point.unit.clone(),
                    },
                    point_id: point.id.clone(),
                    last_published: None,
                });
                entry.alarms.insert(alarm_id);
                fresh
            };
            if fresh {
                refresh_one(s, &installation, true).await;
            }
        }
        "cleared" | "reset" => {
            let Some(installation) = e.installation_id.clone() else {
                return Ok(());
            };
            let ended = {
                let mut inc = s.threat_board.incidents.lock().await;
                match inc.get_mut(&installation) {
                    Some(i) => {
                        i.alarms.remove(&alarm_id);
                        if i.alarms.is_empty() {
                            inc.remove(&installation).map(|i| i.enterprise_id)
                        } else {
                            None
                        }
                    }
                    None => None,
                }
            };
            if let Some(enterprise_id) = ended {
                let id = zone_id(&installation);
                s.threat_board.views.write().await.remove(&id);
                announce(
                    s,
                    "threat_zone_cleared",
                    &enterprise_id,
                    &installation,
                    json!({"id": id, "installation_id": installation}),
                )
                .await;
            }
        }
        _ => {}
    }
    Ok(())
}

fn zone_id(installation_id: &str) -> String {
    format!("tz-{installation_id}")
}

async fn announce(
    s: &AppState,
    event: &str,
    enterprise_id: &str,
    installation_id: &str,
    payload: Value,
) {
    let Some(h) = &s.alarms else {
        return;
    };
    let ev = AlarmEvent {
        seq: 0,
        at: 0,
        event: event.to_owned(),
        alarm_id: None,
        enterprise_id: enterprise_id.to_owned(),
        installation_id: Some(installation_id.to_owned()),
        actor: Some("system:threat-zone".into()),
        reason: None,
        payload,
    };
    if let Err(e) = h.announce(ev).await {
        tracing::error!(error = ?e, "threat zone announce");
    }
}

/// Recompute every active zone; publish those whose wind turned or that are due.
pub async fn refresh_all(s: &AppState, force: bool) {
    let installations: Vec<String> = s
        .threat_board
        .incidents
        .lock()
        .await
        .keys()
        .cloned()
        .collect();
    for i in installations {
        refresh_one(s, &i, force).await;
    }
}

async fn refresh_one(s: &AppState, installation_id: &str, force: bool) {
    let (trigger, point_id, enterprise_id, last) = {
        let inc = s.threat_board.incidents.lock().await;
        let Some(i) = inc.get(installation_id) else {
            return;
        };
        (
            i.trigger.clone(),
            i.point_id.clone(),
            i.enterprise_id.clone(),
            i.last_published,
        )
    };
    let manual = s
        .threat_board
        .overrides
        .read()
        .await
        .get(installation_id)
        .cloned();
    let view = match compute(s, installation_id, &point_id, trigger, manual.as_ref()).await {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = ?e, installation_id, "threat zone compute");
            return;
        }
    };
    let now = view.computed_at_ms;
    let due = match last {
        None => true,
        Some((at, from, speed)) => {
            let turned = match (from, view.wind.from_deg) {
                (Some(a), Some(b)) => {
                    let d = (a - b).rem_euclid(360.0);
                    d.min(360.0 - d) >= s.threat.turn_deg
                }
                (None, None) => false,
                _ => true,
            };
            let speed_changed = (view.wind.speed_m_s - speed).abs() > 0.2 * speed.max(0.5);
            turned || speed_changed || now - at >= s.threat.republish_ms
        }
    };
    let view = Arc::new(view);
    s.threat_board
        .views
        .write()
        .await
        .insert(view.id.clone(), view.clone());
    if due || force {
        if let Some(i) = s
            .threat_board
            .incidents
            .lock()
            .await
            .get_mut(installation_id)
        {
            i.last_published = Some((now, view.wind.from_deg, view.wind.speed_m_s));
        }
        let payload = serde_json::to_value(view.as_ref()).unwrap_or(Value::Null);
        announce(s, "threat_zone", &enterprise_id, installation_id, payload).await;
    }
}

/// The latest good reading of a point, if not older than `max_age_ms`.
fn latest(s: &AppState, point_id: &str, max_age_ms: i64, now: i64) -> Option<(i64, f64)> {
    let t = s.telemetry.as_ref()?;
    let sid = t.historian.lookup_series(point_id)?;
    let v = t
        .historian
        .latest(&[sid])
        .ok()?
        .into_iter()
        .next()
        .flatten()?;
    let (ts, value, quality) = v;
    (quality == 0 && now - ts <= max_age_ms && value.is_finite()).then_some((ts, value))
}

struct Wind {
    speed: f64,
    from: Option<f64>,
    tag: Option<String>,
    at: Option<i64>,
}

/// The nearest weather station (within 20 km) with a fresh speed reading.
async fn wind_near(s: &AppState, at: (f64, f64), now: i64) -> ApiResult<Option<Wind>> {
    let max_age = s.threat.wind_max_age_ms;
    let points = |indicator| ListFilter {
        indicator: Some(indicator),
        ..Default::default()
    };
    let speeds = s
        .store
        .list_points(
            &Scope::National,
            &points(Indicator::WindSpeed),
            Paging::new(Some(1000), None),
        )
        .await?
        .items;
    let dirs = s
        .store
        .list_points(
            &Scope::National,
            &points(Indicator::WindDirection),
            Paging::new(Some(1000), None),
        )
        .await?
        .items;
    let mut best: Option<(f64, Wind)> = None;
    for p in speeds {
        let Some(reading) = latest(s, &p.id, max_age, now) else {
            continue;
        };
        let inst = s
            .store
            .get_installation(&Scope::National, &p.installation_id)
            .await?;
        let (Some(lat), Some(lon)) = (inst.latitude, inst.longitude) else {
            continue;
        };
        let here = Coordinates {
            lat: at.0,
            lon: at.1,
        };
        let Some(d) = here.distance_m(&Coordinates { lat, lon }) else {
            continue;
        };
        if d > 20_000.0 || best.as_ref().is_some_and(|(bd, _)| *bd <= d) {
            continue;
        }
        // The direction of the same station (same equipment, or same installation).
        let dir: Option<&Point> = dirs
            .iter()
            .find(|q| q.equipment_id.is_some() && q.equipment_id == p.equipment_id)
            .or_else(|| dirs.iter().find(|q| q.installation_id == p.installation_id));
        let from = dir
            .and_then(|q| latest(s, &q.id, max_age, now))
            .map(|(_, v)| v.rem_euclid(360.0));
        best = Some((
            d,
            Wind {
                speed: reading.1.max(0.0),
                from,
                tag: Some(p.tag.to_string()),
                at: Some(reading.0),
            },
        ));
    }
    Ok(best.map(|(_, w)| w))
}

fn toxic_levels(cas: &str) -> Vec<ToxicLevel> {
    let Some(t) = weihua_qra::substance::toxic_endpoints(cas) else {
        return Vec::new();
    };
    let names = [
        (
            "AEGL-3",
            "AEGL-3（60 分钟）：危及生命或死亡",
            "AEGL-3 (60 min): life-threatening or death",
        ),
        (
            "AEGL-2",
            "AEGL-2（60 分钟）：不可逆或严重健康影响",
            "AEGL-2 (60 min): irreversible or serious effects",
        ),
        (
            "AEGL-1",
            "AEGL-1（60 分钟）：明显不适",
            "AEGL-1 (60 min): notable discomfort",
        ),
    ];
    let mut out = Vec::new();
    for (i, (level, zh, en)) in names.iter().enumerate() {
        if let Some(ppm) = t.aegl_60min_ppm[2 - i] {
            out.push(ToxicLevel {
                level: (*level).into(),
                label_zh: (*zh).into(),
                label_en: (*en).into(),
                ppm,
                source: Some(t.aegl_source.clone()),
            });
        }
    }
    if out.is_empty() {
        // PAC-3/2/1 where no AEGL is entered.
        for (i, level) in ["PAC-3", "PAC-2", "PAC-1"].iter().enumerate() {
            if let Some(ppm) = t.pac_ppm[2 - i] {
                out.push(ToxicLevel {
                    level: (*level).into(),
                    label_zh: format!("{level} 保护行动浓度"),
                    label_en: format!("{level} protective action criterion"),
                    ppm,
                    source: Some(t.pac_source.clone()),
                });
            }
        }
    }
    out
}

fn error_view(base: ThreatZoneView, zh: &str, en: &str) -> ThreatZoneView {
    ThreatZoneView {
        error: Some(json!({"message_zh": zh, "message_en": en})),
        ..base
    }
}

async fn compute(
    s: &AppState,
    installation_id: &str,
    point_id: &str,
    trigger: ThreatTrigger,
    manual: Option<&SourceOverride>,
) -> ApiResult<ThreatZoneView> {
    let started = Instant::now();
    let now = now_ms();
    let inst = s
        .store
        .get_installation(&Scope::National, installation_id)
        .await?;
    let point = s.store.get_point(&Scope::National, point_id).await?;
    let mut view = ThreatZoneView {
        id: zone_id(installation_id),
        enterprise_id: inst.enterprise_id.clone(),
        installation_id: inst.id.clone(),
        installation_name: inst.name.clone(),
        trigger,
        substance: None,
        source: None,
        wind: ThreatWindView {
            speed_m_s: s.threat.fallback_wind_speed_m_s,
            from_deg: None,
            stability: "F".into(),
            station_tag: None,
            at_ms: None,
            assumed: true,
        },
        zones: json!({"type": "FeatureCollection", "features": []}),
        computed_at_ms: now,
        compute_ms: 0.0,
        active: true,
        error: None,
    };
    let (Some(lat), Some(lon)) = (inst.latitude, inst.longitude) else {
        return Ok(error_view(
            view,
            "该重大危险源未登记坐标，无法绘制威胁区",
            "the installation has no registered coordinates; no zone can be drawn",
        ));
    };
    // Wind.
    let hour = crate::china_time::format(now, "%H")
        .parse::<u32>()
        .unwrap_or(12);
    let day = (s.threat.day_hours.0..s.threat.day_hours.1).contains(&hour);
    let wind = wind_near(s, (lat, lon), now).await?;
    let (speed, from, stability) = match &wind {
        Some(w) => (w.speed.max(0.5), w.from, stability_from_wind(w.speed, day)),
        // ALOHA's worst case when nothing is measured: low wind, stable night air.
        None => (s.threat.fallback_wind_speed_m_s, None, Stability::F),
    };
    view.wind = ThreatWindView {
        speed_m_s: speed,
        from_deg: from,
        stability: format!("{stability:?}"),
        station_tag: wind.as_ref().and_then(|w| w.tag.clone()),
        at_ms: wind.as_ref().and_then(|w| w.at),
        assumed: wind.is_none(),
    };
    // Substance and source.
    let mut assumed: Vec<String> = Vec::new();
    let mut pool_area_m2 = 0.0;
    let (substance, release, density, temperature, basis, hole, equipment_code) = match manual {
        Some(m) => {
            let Some(sub) = weihua_qra::substance::lookup(&m.substance) else {
                return Ok(error_view(
                    view,
                    "手动设定的物质不在物性表中",
                    "the substance set by hand is not in the property table",
                ));
            };
            let release = match (m.rate_kg_s, m.mass_kg) {
                (Some(rate), _) => ThreatRelease::Continuous {
                    mass_rate_kg_s: rate,
                    duration_s: Some(m.duration_s.unwrap_or(s.threat.max_duration_s)),
                },
                (None, Some(mass)) => ThreatRelease::Instantaneous { mass_kg: mass },
                (None, None) => {
                    return Ok(error_view(
                        view,
                        "手动源项需给出泄漏速率或泄漏量",
                        "a manual source needs a rate or a mass",
                    ));
                }
            };
            (
                sub,
                release,
                None,
                None,
                (
                    "现场人员手动设定的源项".to_string(),
                    "source set by hand on site".to_string(),
                ),
                None,
                None,
            )
        }
        None => {
            let inventories = s
                .store
                .list_inventories(
                    &Scope::National,
                    &ListFilter {
                        installation_id: Some(installation_id.to_owned()),
                        ..Default::default()
                    },
                    Paging::new(Some(500), None),
                )
                .await?
                .items;
            let equipment = match &point.equipment_id {
                Some(e) => s.store.get_equipment(&Scope::National, e).await.ok(),
                None => None,
            };
            let toxic = point.indicator == Indicator::ToxicGas;
            let mut candidates: Vec<(bool, f64, &'static weihua_qra::substance::Substance)> =
                inventories
                    .iter()
                    .filter_map(|i| {
                        let sub = i.cas.as_deref().and_then(weihua_qra::substance::by_cas)?;
                        let fits = if toxic {
                            sub.toxic && !toxic_levels(&sub.cas).is_empty()
                        } else {
                            sub.flammable && sub.lfl_vol_frac.is_some()
                        };
                        let same_unit = equipment.as_ref().is_some_and(|e| e.unit_id == i.unit_id);
                        fits.then_some((same_unit, i.design_max_quantity_t * 1000.0, sub))
                    })
                    .collect();
            candidates.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)));
            let Some((_, inventory_kg, sub)) = candidates.first().copied() else {
                return Ok(error_view(
                    view,
                    "该装置登记的危险化学品中没有本探测器可测、且物性表中有毒性或燃爆数据的物质；可手动设定源项",
                    "no chemical registered at this installation matches the detector and has toxic or flammable data; set the source by hand",
                ));
            };
            view.substance = Some(ThreatSubstanceRef {
                cas: Some(sub.cas.clone()),
                name_zh: sub.name_zh.clone(),
                name_en: sub.name_en.clone(),
            });
            // Conditions: the equipment's live pressure and temperature when it has them.
            let eq_points = match &equipment {
                Some(e) => s
                    .store
                    .list_points(
                        &Scope::National,
                        &ListFilter {
                            installation_id: Some(installation_id.to_owned()),
                            ..Default::default()
                        },
                        Paging::new(Some(2000), None),
                    )
                    .await?
                    .items
                    .into_iter()
                    .filter(|p| p.equipment_id.as_deref() == Some(e.id.as_str()))
                    .collect::<Vec<_>>(),
                None => Vec::new(),
            };
            let reading = |ind: Indicator| {
                eq_points
                    .iter()
                    .filter(|p| p.indicator == ind)
                    .find_map(|p| {
                        latest(s, &p.id, 5 * 60_000, now).map(|(_, v)| (v, p.unit.clone()))
                    })
            };
            let temperature_k = match reading(Indicator::Temperature) {
                Some((v, u)) if u == "K" => v,
                Some((v, _)) => v + 273.15,
                None => {
                    assumed.push("temperature_k".into());
                    298.15
                }
            };
            use weihua_qra::discharge::StoredPhase;
            let measured = reading(Indicator::Pressure).map(|(v, u)| {
                match u.as_str() {
                    "MPa" => v * 1e6,
                    "kPa" => v * 1e3,
                    _ => v,
                }
                .max(0.0)
                    + 101_325.0
            });
            let can_be_liquid = sub.critical_temperature_k > temperature_k
                && sub.liquid_density_20c_kg_m3.is_some();
            let vapour = sub.vapour_pressure_pa(temperature_k).ok();
            // The phase held: a liquid where the substance can be liquid and the pressure
            // read is near or above its vapour pressure (a gas below 90 % of it: an
            // electrolyser's chlorine, a compressor); without a pressure reading, liquid
            // (assumed, the worst case).
            let phase = match (can_be_liquid, measured, vapour) {
                (false, _, _) => StoredPhase::Gas,
                (true, Some(p), Some(pv)) if p < 0.9 * pv => StoredPhase::Gas,
                (true, Some(_), _) => StoredPhase::Liquid,
                // No pressure read: the worst case for a substance that can be liquid, the
                // liquefied store at its vapour pressure (tanks, cylinders in a warehouse).
                (true, None, _) => StoredPhase::Liquid,
            };
            let pressure = match measured {
                Some(p) => Some(p),
                None => {
                    assumed.push("storage_pressure_pa".into());
                    match phase {
                        // A liquid stands at its vapour pressure (storage_release's default).
                        StoredPhase::Liquid => None,
                        StoredPhase::Gas => Some(
                            equipment
                                .as_ref()
                                .and_then(|e| e.design_pressure_mpa)
                                .map(|p| p * 1e6)
                                .unwrap_or(0.0)
                                + 101_325.0,
                        ),
                    }
                }
            };
            // A liquefied gas a little below its vapour pressure at the reading temperature:
            // the pressure is taken as the truth and the liquid at its saturation
            // temperature (a shell sensor reads warm in the sun).
            let mut temperature_k = temperature_k;
            if let (StoredPhase::Liquid, Some(p), Some(pv)) = (phase, pressure, vapour)
                && pv > p
                && let Ok(t_sat) = sub.saturation_temperature_k(p * (1.0 - 1e-9))
            {
                temperature_k = t_sat.min(temperature_k);
                assumed.push("temperature_k (saturation at the pressure read)".into());
            }
            assumed.push("hole_diameter_m".into());
            assumed.push("duration_s".into());
            // A gas holds only what its volume holds at the pressure (the unit's inventory
            // is the liquid elsewhere, or the whole unit's).
            let volume = equipment.as_ref().and_then(|e| e.design_volume_m3);
            let inventory_kg = match (phase, volume, pressure) {
                (StoredPhase::Gas, Some(v), Some(p)) => {
                    inventory_kg.min(v * sub.vapour_density_kg_m3(temperature_k, p))
                }
                _ => inventory_kg,
            };
            let discharge: weihua_qra::discharge::StorageReleaseInput =
                match serde_json::from_value(json!({
                    "substance": sub.cas,
                    "phase": phase,
                    "storage_temperature_k": temperature_k,
                    "storage_pressure_pa": pressure,
                    "hole_diameter_m": s.threat.hole_diameter_m,
                    "inventory_kg": inventory_kg.max(1.0),
                    "vessel_volume_m3": if phase == StoredPhase::Gas { volume } else { None },
                    "duration_s": s.threat.max_duration_s,
                })) {
                    Ok(d) => d,
                    Err(e) => {
                        tracing::error!(error = %e, "threat zone discharge input");
                        return Err(ApiError::internal());
                    }
                };
            let conditions = StorageConditions {
                discharge,
                wind_speed_m_s: speed,
                bund_area_m2: None,
                ground_temperature_k: 293.15,
            };
            let est = match estimate_release(&conditions) {
                Ok(e) => e,
                Err(e) => {
                    return Ok(error_view(view, &e.message_zh(), &e.message_en()));
                }
            };
            pool_area_m2 = est.pool_area_m2;
            (
                sub,
                est.release,
                Some(est.discharge.release_density_kg_m3),
                Some(est.discharge.release_temperature_k),
                (est.basis_zh, est.basis_en),
                Some(s.threat.hole_diameter_m),
                equipment.map(|e| e.code),
            )
        }
    };
    view.substance = Some(ThreatSubstanceRef {
        cas: Some(substance.cas.clone()),
        name_zh: substance.name_zh.clone(),
        name_en: substance.name_en.clone(),
    });
    let toxic_only = point.indicator == Indicator::ToxicGas;
    let request = ThreatRequest {
        substance: ThreatSubstance {
            name_zh: substance.name_zh.clone(),
            name_en: substance.name_en.clone(),
            cas: Some(substance.cas.clone()),
            molar_mass_kg_mol: substance.molar_mass_kg_mol,
            lfl_volume_fraction: substance.lfl_vol_frac,
            toxic_levels: toxic_levels(&substance.cas),
        },
        release,
        release_height_m: manual.and_then(|m| m.release_height_m).unwrap_or(0.0),
        release_density_kg_m3: density,
        release_temperature_k: temperature,
        weather: weihua_qra::threat::ThreatWeather {
            wind_speed_m_s: speed,
            wind_from_deg: from,
            stability,
            ambient_temperature_k: 298.15,
        },
        hazards: ThreatHazards {
            toxic: true,
            flammable: !toxic_only || substance.flammable,
        },
        // If it catches fire: the pool's fire and the cloud's explosion.
        ignition: match (substance.flammable, substance.heat_of_combustion_j_kg) {
            (true, Some(hc)) => Some(weihua_qra::threat::ThreatIgnition {
                heat_of_combustion_j_kg: hc,
                pool_diameter_m: (pool_area_m2 > 0.0)
                    .then(|| (4.0 * pool_area_m2 / std::f64::consts::PI).sqrt()),
                heat_of_vaporization_j_kg: substance.heat_of_vaporisation_tb_j_kg,
                liquid_heat_capacity_j_kg_k: substance.liquid_cp_tb_j_kg_k,
                boiling_point_k: Some(substance.normal_boiling_point_k),
                tnt_yield: 0.03,
            }),
            _ => None,
        },
        dense_gas: Default::default(),
        polygon_vertices: 64,
    };
    let result = tokio::task::spawn_blocking(move || threat_zones(&request))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "threat zone task");
            ApiError::internal()
        })?;
    let result = match result {
        Ok(r) => r,
        Err(e) => return Ok(error_view(view, &e.message_zh(), &e.message_en())),
    };
    let origin = GeoOrigin {
        lat_deg: lat,
        lon_deg: lon,
    };
    view.zones = zones_geojson(&result, &origin);
    let (mode, rate, duration, mass) = match release {
        ThreatRelease::Continuous {
            mass_rate_kg_s,
            duration_s,
        } => ("continuous", Some(mass_rate_kg_s), duration_s, None),
        ThreatRelease::Instantaneous { mass_kg } => ("instantaneous", None, None, Some(mass_kg)),
    };
    view.source = Some(ThreatSourceView {
        origin: [lon, lat],
        equipment_code,
        mode: mode.into(),
        rate_kg_s: rate,
        duration_s: duration,
        mass_kg: mass,
        hole_diameter_m: hole,
        dense: result.dense,
        assumed,
        basis_zh: basis.0,
        basis_en: basis.1,
    });
    view.compute_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(view)
}

/// 实时威胁区 — the live threat zones the caller may see.
#[utoipa::path(get, path = "/api/v1/threat-zones", tag = "qra", responses((status = 200, body = [ThreatZoneView])))]
pub async fn list_threat_zones(
    State(s): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<Json<Vec<ThreatZoneView>>> {
    p.require(Action::ReadRegistry)?;
    let views = s.threat_board.visible(&s, &p.scope()).await;
    Ok(Json(views.iter().map(|v| v.as_ref().clone()).collect()))
}

/// 手动设定源项 — set the source of an installation's live threat zone by hand (the
/// substance and a rate or a mass); audited. It applies to the zone now and to the next
/// one of this installation until cleared with `DELETE`.
#[utoipa::path(put, path = "/api/v1/threat-zones/{installation_id}/source", tag = "qra", params(("installation_id" = String, Path)), request_body = SourceOverride, responses((status = 200, body = Object), (status = 404), (status = 422)))]
pub async fn put_source(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(installation_id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    p.require(Action::AssessRisk)?;
    // 404 unless the caller sees the installation.
    let inst = s
        .store
        .get_installation(&p.scope(), &installation_id)
        .await?;
    let m: SourceOverride = decode_json(&body)?;
    if weihua_qra::substance::lookup(&m.substance).is_none() {
        return Err(ApiError::invalid(
            "substance",
            format!("物性表中没有“{}”", m.substance),
            format!("'{}' is not in the substance property table", m.substance),
        ));
    }
    let positive = |field: &str, v: Option<f64>, max: f64| -> ApiResult<()> {
        match v {
            Some(x) if !(x.is_finite() && x > 0.0 && x <= max) => Err(ApiError::invalid(
                field,
                format!("{field} 应为大于 0 且不超过 {max} 的数"),
                format!("{field} must be a number above 0 and at most {max}"),
            )),
            _ => Ok(()),
        }
    };
    positive("rate_kg_s", m.rate_kg_s, 1e5)?;
    positive("duration_s", m.duration_s, 86_400.0)?;
    positive("mass_kg", m.mass_kg, 1e9)?;
    if let Some(h) = m.release_height_m
        && !(h.is_finite() && (0.0..=500.0).contains(&h))
    {
        return Err(ApiError::invalid(
            "release_height_m",
            "release_height_m 应在 0 到 500 之间",
            "release_height_m must be between 0 and 500",
        ));
    }
    if m.rate_kg_s.is_none() == m.mass_kg.is_none() {
        return Err(ApiError::invalid(
            "rate_kg_s",
            "请给出泄漏速率 rate_kg_s 或泄漏量 mass_kg，二者取一",
            "give either rate_kg_s or mass_kg, not both and not neither",
        ));
    }
    let mut tx = s.store.write(&p.actor()).await?;
    tx.audit(weihua_store::audit::Change {
        action: "threat_zone.source",
        entity_type: "installation",
        entity_id: &inst.id,
        enterprise_id: Some(&inst.enterprise_id),
        region_code: None,
        before: None,
        after: Some(serde_json::to_value(&m).unwrap_or(Value::Null)),
    })
    .await?;
    tx.commit().await?;
    s.threat_board
        .overrides
        .write()
        .await
        .insert(installation_id.clone(), m.clone());
    refresh_one(&s, &installation_id, true).await;
    let view = s
        .threat_board
        .views
        .read()
        .await
        .get(&zone_id(&installation_id))
        .map(|v| serde_json::to_value(v.as_ref()).unwrap_or(Value::Null));
    Ok(Json(json!({"source": m, "zone": view})))
}
