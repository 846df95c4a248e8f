//! weihua-server — the HTTP API (axum) and the built-in console.
//!
//! Architecture invariants:
//! - every route of `/api/v1` is registered together with its OpenAPI
//!   description (`utoipa_axum::routes!`), so `/api/openapi.json` cannot drift
//!   from the router;
//! - handlers decode input only through [`extract::ApiJson`] / [`extract::ApiQuery`]
//!   (bilingual 4xx, never a panic) and reach data only through the store with
//!   the caller's scope;
//! - only this crate and the CLI know HTTP and the JSON shapes of the API.

pub mod alarms;
pub mod alarms_api;
pub mod api;
pub mod auth;
pub mod china_time;
pub mod console;
pub mod error;
pub mod extract;
pub mod gb18218;
pub mod ledger;
pub mod mqtt;
pub mod permits;
pub mod prevention;
pub mod qra;
pub mod site_plan;
pub mod telemetry;
pub mod threat;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weihua_store::Store;

pub use auth::AuthConfig;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub auth: Arc<AuthConfig>,
    pub limiter: Arc<auth::LoginLimiter>,
    /// The historian and ingest path; `None` on a node without telemetry.
    pub telemetry: Option<Arc<telemetry::Telemetry>>,
    /// The alarm service; `None` until started (needs telemetry).
    pub alarms: Option<Arc<alarms::AlarmHandle>>,
    /// Special work permits: interlock radius, holiday calendar, rule settings.
    pub permits: Arc<permits::PermitConfig>,
    /// Where attachment bytes are kept, by content hash (`None`: uploads refused).
    pub files_dir: Option<std::path::PathBuf>,
    /// Live threat zones: settings.
    pub threat: Arc<threat::ThreatConfig>,
    /// Live threat zones: the zones now and what started them.
    pub threat_board: Arc<threat::ThreatBoard>,
}

impl AppState {
    pub fn new(store: Store, auth: AuthConfig) -> Self {
        Self {
            store,
            auth: Arc::new(auth),
            limiter: Arc::new(auth::LoginLimiter::default()),
            telemetry: None,
            alarms: None,
            permits: Arc::new(permits::PermitConfig::default()),
            files_dir: None,
            threat: Arc::new(threat::ThreatConfig::default()),
            threat_board: Arc::new(threat::ThreatBoard::default()),
        }
    }

    /// Live threat zone settings (set before [`AppState::with_alarms`], which
    /// starts the threat zones with them).
    pub fn with_threat_config(mut self, config: threat::ThreatConfig) -> Self {
        self.threat = Arc::new(config);
        self
    }

    /// Keep attachments (photos, files) under `dir`, one file per content hash.
    pub fn with_files(mut self, dir: std::path::PathBuf) -> Self {
        self.files_dir = Some(dir);
        self
    }

    /// Special work permit settings (set before [`AppState::with_alarms`],
    /// which starts the interlock with them).
    pub fn with_permits(mut self, config: permits::PermitConfig) -> Self {
        self.permits = Arc::new(config);
        self
    }

    /// Start the alarm service over this state's historian (telemetry must be on).
    pub async fn with_alarms(mut self, config: alarms::AlarmServiceConfig) -> anyhow::Result<Self> {
        let Some(t) = &self.telemetry else {
            anyhow::bail!("the alarm service needs telemetry (a historian)");
        };
        let handle = alarms::start(self.store.clone(), t.historian.clone(), config).await?;
        let events = handle.stream.subscribe();
        self.alarms = Some(handle);
        // The permit interlock follows the alarm stream from now on.
        permits::start_interlock(self.clone(), events);
        // …and records the assigned detectors' readings on permits in progress.
        permits::start_monitoring(self.clone());
        // …and fails automated-monitoring control measures whose alarms stay unresolved.
        prevention::start_monitoring_link(self.clone());
        // …and maps the live threat zone of every toxic or flammable gas alarm.
        let handle = self.alarms.as_ref().map(|h| h.stream.subscribe());
        if let Some(events) = handle {
            threat::start(self.clone(), events);
        }
        Ok(self)
    }

    /// Enable telemetry (ingest and chart queries) with this historian.
    pub fn with_telemetry(mut self, historian: weihua_historian::Historian) -> Self {
        self.telemetry = Some(Arc::new(telemetry::Telemetry::new(historian)));
        self
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "weihua 危化安全风险智能管控平台 API",
        description = "Registry, authentication and audit of the weihua platform. Errors are always `{\"error\":{\"code\",\"message_zh\",\"message_en\",\"field\"?}}`. Authenticate with `Authorization: Bearer <token>` from `/api/v1/auth/login`, or with the session cookie plus the `X-CSRF-Token` header on changes."
    ),
    tags(
        (name = "auth", description = "登录、会话与接入令牌 — sign-in, sessions and gateway tokens"),
        (name = "registry", description = "台账 — regions, parks, enterprises, major hazard installations, units, equipment, points, chemicals, inventories"),
        (name = "users", description = "用户 — users"),
        (name = "audit", description = "审计日志 — audit log"),
        (name = "standards", description = "国家标准 — GB 18218-2018 identification and grading"),
        (name = "alarms", description = "报警与预警 — ISA-18.2 alarms, the live event stream, risk levels (红橙黄蓝) and alarm KPIs"),
        (name = "telemetry", description = "实时监测数据 — ingest (InfluxDB line protocol, JSON) and chart queries"),
        (name = "prevention", description = "双重预防 — risk register, inspection tasks, the hidden-danger closed loop and supervision"),
        (name = "qra", description = "定量风险评估 — consequence models, GB/T 37243 site assessments (individual risk contours, F-N curves, external safety distances) and live threat zones"),
        (name = "permits", description = "特殊作业票 — GB 30871-2022 special work permits, online reporting and the gas-alarm interlock"),
    )
)]
struct ApiDoc;

/// Build the API router and its OpenAPI document from one list of routes.
fn api_router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    use api::*;
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(list_regions, create_region))
        .routes(routes!(list_parks, create_park))
        .routes(routes!(get_park))
        .routes(routes!(list_enterprises, create_enterprise))
        .routes(routes!(get_enterprise))
        .routes(routes!(list_installations, create_installation))
        .routes(routes!(get_installation, patch_installation))
        .routes(routes!(list_units, create_unit))
        .routes(routes!(get_unit))
        .routes(routes!(list_equipment, create_equipment))
        .routes(routes!(get_equipment))
        .routes(routes!(list_points, create_point))
        .routes(routes!(get_point, patch_point))
        .routes(routes!(list_chemicals, create_chemical))
        .routes(routes!(get_chemical, patch_chemical))
        .routes(routes!(list_inventories, create_inventory))
        .routes(routes!(get_inventory, patch_inventory, delete_inventory))
        .routes(routes!(list_users, create_user))
        .routes(routes!(list_api_tokens, create_api_token))
        .routes(routes!(revoke_api_token))
        .routes(routes!(list_audit))
        .routes(routes!(ledger::export_ledger))
        .routes(routes!(gb18218::assess))
        .routes(routes!(gb18218::installation_assessments))
        .routes(routes!(gb18218::enterprise_report))
        .routes(routes!(telemetry::point_samples))
        .routes(routes!(telemetry::latest))
        .routes(routes!(alarms_api::list_alarms))
        .routes(routes!(alarms_api::get_alarm))
        .routes(routes!(alarms_api::ack_alarm))
        .routes(routes!(alarms_api::reset_alarm))
        .routes(routes!(alarms_api::shelve_alarm))
        .routes(routes!(alarms_api::unshelve_alarm))
        .routes(routes!(alarms_api::out_of_service_alarm))
        .routes(routes!(alarms_api::comment_alarm))
        .routes(routes!(alarms_api::suppress_point))
        .routes(routes!(
            alarms_api::get_alarm_settings,
            alarms_api::put_alarm_settings
        ))
        .routes(routes!(alarms_api::list_alarm_events))
        .routes(routes!(alarms_api::event_stream))
        .routes(routes!(alarms_api::installation_risk))
        .routes(routes!(alarms_api::risk_summary))
        .routes(routes!(alarms_api::alarm_kpis))
        .routes(routes!(alarms_api::gb50493_findings))
        .routes(routes!(site_plan::site_plan))
        .routes(routes!(qra::list_models))
        .routes(routes!(qra::run_model))
        .routes(routes!(qra::list_studies, qra::create_study))
        .routes(routes!(qra::get_study))
        .routes(routes!(qra::study_report))
        .routes(routes!(threat::list_threat_zones))
        .routes(routes!(threat::put_source))
        .routes(routes!(permits::list_permits, permits::create_permit))
        .routes(routes!(permits::permit_board))
        .routes(routes!(permits::get_permit, permits::patch_permit))
        .routes(routes!(permits::permit_checklist))
        .routes(routes!(permits::permit_action))
        .routes(routes!(permits::add_gas_test))
        .routes(routes!(prevention::list_dangers, prevention::report_danger))
        .routes(routes!(prevention::get_danger))
        .routes(routes!(prevention::danger_action))
        .routes(routes!(
            prevention::list_risk_register,
            prevention::create_risk_node
        ))
        .routes(routes!(prevention::list_tasks))
        .routes(routes!(prevention::record_check))
        .routes(routes!(prevention::prevention_stats))
        .routes(routes!(prevention::prevention_stats_xlsx))
        .routes(routes!(prevention::list_attachments))
        .routes(routes!(prevention::get_attachment))
        // Photos and files: a larger body limit than the JSON API.
        .merge(
            OpenApiRouter::new()
                .routes(routes!(prevention::upload_attachment))
                .layer(DefaultBodyLimit::max(prevention::MAX_ATTACHMENT)),
        )
        // Ingest bodies (line protocol batches) may be larger than JSON API bodies.
        .merge(
            OpenApiRouter::new()
                .routes(routes!(telemetry::influx_write))
                .routes(routes!(telemetry::json_write))
                .layer(DefaultBodyLimit::max(telemetry::MAX_INGEST_BODY)),
        )
        // Ledger uploads carry a larger body limit than the JSON API (the
        // innermost limit wins).
        .merge(
            OpenApiRouter::new()
                .routes(routes!(ledger::import_ledger))
                .layer(DefaultBodyLimit::max(ledger::MAX_LEDGER_BODY)),
        )
        .split_for_parts()
}

/// The OpenAPI document (also served at `/api/openapi.json`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router().1
}

async fn health() -> &'static str {
    "ok"
}

async fn api_not_found() -> Response {
    error::ApiError::new(
        StatusCode::NOT_FOUND,
        "no_such_endpoint",
        "没有这个接口",
        "no such endpoint",
    )
    .into_response()
}

/// The whole application: API, OpenAPI document, health check and console.
pub fn app(state: AppState) -> Router {
    let (api, doc) = api_router();
    let doc = Arc::new(doc);
    Router::new()
        .merge(api)
        .route("/api/v1/health", axum::routing::get(health))
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .nest("/api", Router::new().fallback(api_not_found))
        // 现场扫码 — the on-site status page of a permit (no login; the token is the key).
        .route("/p/{token}", axum::routing::get(permits::public_permit))
        .merge(console::routes())
        .layer(DefaultBodyLimit::max(extract::MAX_JSON_BODY))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Serve until Ctrl-C / SIGTERM.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    let router = app(state.clone());
    serve_app(state, router, listener).await
}

/// Serve an already built router (the demo drives its simulator through the
/// same router), with the telemetry housekeeping running alongside.
pub async fn serve_app(
    state: AppState,
    router: Router,
    listener: tokio::net::TcpListener,
) -> anyhow::Result<()> {
    if let Some(t) = state.telemetry.clone() {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
            let mut last_retention = 0i64;
            loop {
                tick.tick().await;
                let now = weihua_store::now_ms();
                if let Err(e) = t.historian.compact_due(now).await {
                    tracing::error!(error = %e, "historian compaction");
                }
                if now - last_retention > 3_600_000 {
                    last_retention = now;
                    if let Err(e) = t.historian.run_retention(now).await {
                        tracing::error!(error = %e, "historian retention");
                    }
                }
            }
        });
    }
    let app = router.into_make_service_with_connect_info::<SocketAddr>();
    // Small responses and server-sent events must not wait for Nagle's
    // algorithm (≈ 40 ms with delayed ACKs): alarms are pushed as they happen.
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "cannot set TCP_NODELAY");
        }
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
