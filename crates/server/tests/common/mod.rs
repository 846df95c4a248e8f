//! Test harness: a real store (SQLite in a temp dir) behind the real router,
//! called in-process with `tower::ServiceExt::oneshot`, plus a world of two
//! enterprises A and B in two parks and users for every role.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use weihua_core::*;
use weihua_server::{AppState, AuthConfig};
use weihua_store::auth::NewUser;
use weihua_store::registry::*;
use weihua_store::secrets::hash_password;
use weihua_store::{Actor, Store};

pub const PASSWORD: &str = "Test-password-2026";

pub struct Side {
    pub enterprise: Enterprise,
    pub park: Park,
    pub installation: Installation,
    pub unit: Unit,
    pub equipment: Equipment,
    pub point: Point,
    pub inventory: Inventory,
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub store: Store,
    pub a: Side,
    pub b: Side,
    _dir: tempfile::TempDir,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(AuthConfig::default()).await
    }

    /// With telemetry: a historian in the temp dir.
    pub async fn spawn_telemetry() -> Self {
        Self::spawn_telemetry_with(weihua_historian::HistorianConfig::default()).await
    }

    /// With telemetry but no alarm service (tests that start their own).
    pub async fn spawn_telemetry_without_alarms() -> Self {
        let mut app = Self::spawn().await;
        let historian = weihua_historian::Historian::open(
            app._dir.path().join("historian"),
            weihua_historian::HistorianConfig::default(),
        )
        .unwrap();
        let state = AppState::new(app.store.clone(), AuthConfig::default())
            .with_files(app._dir.path().join("files"))
            .with_telemetry(historian);
        app.router = weihua_server::app(state.clone());
        app.state = state;
        app
    }

    pub async fn spawn_telemetry_with(config: weihua_historian::HistorianConfig) -> Self {
        let mut app = Self::spawn().await;
        let historian =
            weihua_historian::Historian::open(app._dir.path().join("historian"), config).unwrap();
        let state = AppState::new(app.store.clone(), AuthConfig::default())
            .with_files(app._dir.path().join("files"))
            .with_telemetry(historian)
            .with_alarms(weihua_server::alarms::AlarmServiceConfig::default())
            .await
            .unwrap();
        app.router = weihua_server::app(state.clone());
        app.state = state;
        app
    }

    /// Mint an ingest token for a side's enterprise through the API.
    pub async fn ingest_token(&self, admin: &str, enterprise_id: &str) -> String {
        let t = self.login(admin).await;
        let r = self
            .call(
                "POST",
                "/api/v1/api-tokens",
                Some(&t),
                Some(json!({"enterprise_id": enterprise_id, "name": "网关", "purpose": "ingest"})),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.body["token"].as_str().unwrap().to_string()
    }

    /// POST a raw body with headers.
    pub async fn post_raw(&self, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Resp {
        let mut b = Request::builder().method("POST").uri(path);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    pub async fn spawn_with(auth: AuthConfig) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_sqlite(dir.path()).await.unwrap();
        let root = Actor::system("test");
        let mut tx = store.write(&root).await.unwrap();
        weihua_testkit::upsert_regions(
            &store,
            &mut tx,
            &[
                ("320000", "江苏省"),
                ("320500", "苏州市"),
                ("320582", "张家港市"),
                ("320800", "淮安市"),
                ("320831", "金湖县"),
            ],
        )
        .await;
        let chem = store
            .create_chemical(
                &mut tx,
                &ChemicalInput {
                    cas: Some(CasNumber::parse("7782-50-5").unwrap()),
                    name_zh: "氯".into(),
                    name_en: Some("Chlorine".into()),
                    aliases: vec!["液氯".into()],
                    table1_no: None,
                    hazard_categories: vec![],
                    gb18218_excluded: false,
                },
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let a = Self::side(&store, &chem, "320582", "A", "LT-A01").await;
        let b = Self::side(&store, &chem, "320831", "B", "LT-B01").await;
        let mut tx = store.write(&root).await.unwrap();
        let users: Vec<(&str, Role, Scope)> = vec![
            ("ministry", Role::MinistryRegulator, Scope::National),
            (
                "province",
                Role::ProvinceRegulator,
                Scope::Region(RegionCode::parse("320000").unwrap()),
            ),
            (
                "city_a",
                Role::CityRegulator,
                Scope::Region(RegionCode::parse("320500").unwrap()),
            ),
            (
                "county_b",
                Role::CountyRegulator,
                Scope::Region(RegionCode::parse("320831").unwrap()),
            ),
            ("park_a", Role::ParkAdmin, Scope::Park(a.park.id.clone())),
            (
                "admin_a",
                Role::EnterpriseAdmin,
                Scope::Enterprise(a.enterprise.id.clone()),
            ),
            (
                "safety_a",
                Role::SafetyManager,
                Scope::Enterprise(a.enterprise.id.clone()),
            ),
            (
                "operator_a",
                Role::Operator,
                Scope::Enterprise(a.enterprise.id.clone()),
            ),
            (
                "admin_b",
                Role::EnterpriseAdmin,
                Scope::Enterprise(b.enterprise.id.clone()),
            ),
        ];
        let hash = hash_password(PASSWORD).unwrap();
        for (u, role, scope) in users {
            store
                .create_user(
                    &mut tx,
                    &NewUser {
                        username: u.into(),
                        display_name: u.into(),
                        password_hash: hash.clone(),
                        role,
                        scope,
                    },
                )
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        let state = AppState::new(store.clone(), auth).with_files(dir.path().join("files"));
        let router = weihua_server::app(state.clone());
        TestApp {
            router,
            state,
            store,
            a,
            b,
            _dir: dir,
        }
    }

    async fn side(store: &Store, chem: &Chemical, region: &str, n: &str, tag: &str) -> Side {
        let mut tx = store.write(&Actor::system("test")).await.unwrap();
        let park = store
            .create_park(
                &mut tx,
                &ParkInput {
                    name: format!("园区{n}"),
                    region_code: RegionCode::parse(region).unwrap(),
                    address: None,
                },
            )
            .await
            .unwrap();
        let body = if n == "A" {
            "91320582000000001"
        } else {
            "91320831000000002"
        };
        let enterprise = store
            .create_enterprise(
                &mut tx,
                &EnterpriseInput {
                    credit_code: CreditCode::with_check(body).unwrap(),
                    name: format!("企业{n}"),
                    region_code: RegionCode::parse(region).unwrap(),
                    park_id: Some(park.id.clone()),
                    industry: Some("氯碱".into()),
                    address: None,
                    legal_representative: None,
                },
            )
            .await
            .unwrap();
        let installation = store
            .create_installation(
                &mut tx,
                &InstallationInput {
                    enterprise_id: enterprise.id.clone(),
                    code: format!("MHI-{n}"),
                    name: format!("液氯罐区{n}"),
                    description: None,
                    people_within_500m: 10,
                    guardians: Guardians::default(),
                    latitude: None,
                    longitude: None,
                },
            )
            .await
            .unwrap();
        let unit = store
            .create_unit(
                &mut tx,
                &UnitInput {
                    installation_id: installation.id.clone(),
                    name: format!("储存单元{n}"),
                    kind: UnitKind::Storage,
                },
            )
            .await
            .unwrap();
        let equipment = store
            .create_equipment(
                &mut tx,
                &EquipmentInput {
                    unit_id: unit.id.clone(),
                    code: format!("V-{n}"),
                    name: "液氯储罐".into(),
                    kind: EquipmentKind::Tank,
                    design_volume_m3: Some(50.0),
                    design_pressure_mpa: Some(1.6),
                },
            )
            .await
            .unwrap();
        let point = store
            .create_point(
                &mut tx,
                &PointInput {
                    installation_id: installation.id.clone(),
                    equipment_id: Some(equipment.id.clone()),
                    tag: Tag::parse(tag).unwrap(),
                    name: "液位".into(),
                    indicator: Indicator::Level,
                    unit: "%".into(),
                    range_low: 0.0,
                    range_high: 100.0,
                    limits: Limits {
                        h: Some(80.0),
                        hh: Some(90.0),
                        ..Default::default()
                    },
                    latitude: None,
                    longitude: None,
                },
            )
            .await
            .unwrap();
        let inventory = store
            .create_inventory(
                &mut tx,
                &InventoryInput {
                    unit_id: unit.id.clone(),
                    chemical_id: chem.id.clone(),
                    design_max_quantity_t: 60.0,
                    note: None,
                },
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        Side {
            enterprise,
            park,
            installation,
            unit,
            equipment,
            point,
            inventory,
        }
    }

    /// Send a request; `body` is sent as JSON when given.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        self.send(req).await
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn login(&self, username: &str) -> String {
        let r = self
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"username": username, "password": PASSWORD})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {:?}", r.body);
        r.body["token"].as_str().unwrap().to_string()
    }
}

/// Assert an error body has the API's bilingual shape.
pub fn assert_error_shape(r: &Resp) {
    let e = &r.body["error"];
    assert!(e["code"].is_string(), "no code in {:?}", r.body);
    assert!(
        e["message_zh"].as_str().is_some_and(|s| !s.is_empty()),
        "no message_zh in {:?}",
        r.body
    );
    assert!(
        e["message_en"].as_str().is_some_and(|s| !s.is_empty()),
        "no message_en in {:?}",
        r.body
    );
}
