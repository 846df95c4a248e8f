//! The demo's live sensors: the simulator's samples go through the real
//! ingest path (`POST /api/v2/write` with each enterprise's ingest token,
//! handled by the same router that serves the API), once a second.

use anyhow::{Context, Result};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use std::collections::HashMap;
use tower::ServiceExt;
use weihua_core::{Indicator, Scope};
use weihua_simulator::{PointSpec, ScenarioConfig, Simulator, line_protocol};
use weihua_store::registry::ListFilter;
use weihua_store::{Paging, Store};

pub struct DemoSimulator {
    sim: Simulator,
    router: Router,
    /// point id → enterprise id
    enterprise_of: HashMap<String, String>,
    /// enterprise id → ingest token
    tokens: HashMap<String, String>,
}

impl DemoSimulator {
    pub async fn new(
        store: &Store,
        router: Router,
        creds: &weihua_demo::DemoCredentials,
    ) -> Result<Self> {
        let points = store
            .list_points(&Scope::National, &ListFilter::default(), Paging::all())
            .await
            .context("listing the demo's points")?
            .items;
        let mut enterprise_of = HashMap::new();
        let specs: Vec<PointSpec> = points
            .into_iter()
            .map(|p| {
                enterprise_of.insert(p.id.clone(), p.enterprise_id.clone());
                // Gas detectors of one installation are neighbours (a leak
                // spreads); gauges of one piece of equipment read one process.
                let group = match p.indicator {
                    Indicator::FlammableGas | Indicator::ToxicGas | Indicator::Oxygen => {
                        p.installation_id.clone()
                    }
                    _ => p
                        .equipment_id
                        .clone()
                        .unwrap_or_else(|| p.installation_id.clone()),
                };
                PointSpec {
                    id: p.id,
                    tag: p.tag,
                    indicator: p.indicator,
                    unit: p.unit,
                    range_low: p.range_low,
                    range_high: p.range_high,
                    limits: p.limits,
                    group,
                    gateway: p.enterprise_id,
                }
            })
            .collect();
        let seed = weihua_store::now_ms() as u64;
        let sim =
            Simulator::new(specs, demo_scenario(creds)?, seed).context("starting the simulator")?;
        let tokens = creds
            .ingest_tokens
            .iter()
            .map(|t| (t.enterprise_id.clone(), t.token.clone()))
            .collect();
        Ok(Self {
            sim,
            router,
            enterprise_of,
            tokens,
        })
    }

    pub fn points(&self) -> usize {
        self.enterprise_of.len()
    }

    /// Step once a second, forever.
    pub async fn run(mut self) {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut seen_events = 0usize;
        loop {
            tick.tick().await;
            let samples = self.sim.step(weihua_store::now_ms());
            for e in &self.sim.events()[seen_events..] {
                tracing::info!(event = %e, "simulator");
            }
            seen_events = self.sim.events().len();
            let mut by_enterprise: HashMap<&str, Vec<weihua_simulator::SimSample>> = HashMap::new();
            for s in samples {
                if let Some(e) = self.enterprise_of.get(&s.point_id) {
                    by_enterprise.entry(e.as_str()).or_default().push(s);
                }
            }
            for (enterprise, samples) in by_enterprise {
                let Some(token) = self.tokens.get(enterprise) else {
                    continue;
                };
                let body = line_protocol(&samples);
                let req = Request::builder()
                    .method("POST")
                    .uri("/api/v2/write?org=demo&bucket=demo&precision=ms")
                    .header("authorization", format!("Token {token}"))
                    .header("content-type", "text/plain; charset=utf-8")
                    .body(Body::from(body));
                let Ok(req) = req else { continue };
                match self.router.clone().oneshot(req).await {
                    Ok(resp) if resp.status() == StatusCode::NO_CONTENT => {}
                    Ok(resp) => {
                        tracing::warn!(status = %resp.status(), enterprise, "simulator write refused")
                    }
                    Err(e) => tracing::warn!(error = %e, "simulator write failed"),
                }
            }
        }
    }
}

/// The demo user whose enterprise has the first leak, so the operator the
/// README names can acknowledge it.
const FIRST_LEAK_USER: &str = "e1.operator";

/// The demo's scenario: the simulator's defaults, with the first leak 45 s
/// after start, at the enterprise of [`FIRST_LEAK_USER`], so a new user sees
/// an alarm and a colour change at once and can act on it.
/// `WEIHUA_DEMO_SCENARIO` (JSON of `weihua_simulator::ScenarioConfig` fields)
/// overrides it — tests use it to make the leak come sooner.
fn demo_scenario(creds: &weihua_demo::DemoCredentials) -> Result<ScenarioConfig> {
    let first_leak_enterprise = creds
        .users
        .iter()
        .find(|u| u.username == FIRST_LEAK_USER)
        .and_then(|u| u.scope.strip_prefix("enterprise:"))
        .map(str::to_string);
    let base = ScenarioConfig {
        leak_first_after_s: Some(45.0),
        leak_first_gateway: first_leak_enterprise,
        ..ScenarioConfig::default()
    };
    match std::env::var("WEIHUA_DEMO_SCENARIO") {
        Ok(json) if !json.trim().is_empty() => {
            let mut v = serde_json::to_value(&base)?;
            let over: serde_json::Value =
                serde_json::from_str(&json).context("WEIHUA_DEMO_SCENARIO is not JSON")?;
            if let (Some(b), Some(o)) = (v.as_object_mut(), over.as_object()) {
                for (k, x) in o {
                    b.insert(k.clone(), x.clone());
                }
            }
            serde_json::from_value(v).context("WEIHUA_DEMO_SCENARIO: unknown or invalid field")
        }
        _ => Ok(base),
    }
}
