//! The store suite: every test runs against SQLite and against PostgreSQL.
//!
//! The backends come from `weihua-testkit` (PostgreSQL: a fresh database per
//! test from `WEIHUA_TEST_PG_URL`; "SKIPPED" without a server, a failure
//! under `CI` or `WEIHUA_REQUIRE_PG`).

use weihua_core::{
    CasNumber, CreditCode, EquipmentKind, Guardian, Guardians, Indicator, Limits, RegionCode, Role,
    Scope, Tag, UnitKind,
};
use weihua_store::alarms::{AlarmBatch, AlarmEvent, AlarmFilter, AlarmRecord, InstallationRisk};
use weihua_store::audit::AuditVerdict;
use weihua_store::auth::NewUser;
use weihua_store::registry::*;
use weihua_store::{Actor, Paging, Store, StoreError};

weihua_testkit::on_both_backends!(
    registry_round_trip,
    enterprise_scope_hides_other_enterprises,
    region_and_park_scopes,
    audit_chain_verifies_and_catches_tampering,
    audit_catches_removed_entries,
    uniqueness_conflicts,
    invalid_values_are_refused_with_field,
    sessions_and_api_tokens,
    concurrent_writers_keep_one_chain,
    users_are_created_inside_the_creators_scope,
    alarm_states_journal_and_risk_are_scoped_and_audited,
    prevention_register_records_and_dangers_are_scoped_and_audited,
    qra_studies_are_scoped_and_audited,
);

fn root() -> Actor {
    Actor::system("test-root")
}

fn actor(scope: Scope, role: Role) -> Actor {
    Actor {
        user_id: None,
        username: format!("{}@{}", role.as_str(), scope.to_text()),
        role: Some(role),
        scope,
    }
}

/// A small world: province 32 with two cities, one park in each, one
/// enterprise in each park, each with an installation, unit, tank, point,
/// and an inventory of liquid ammonia.
struct World {
    park_a: Park,
    park_b: Park,
    ent_a: Enterprise,
    ent_b: Enterprise,
    inst_a: Installation,
    inst_b: Installation,
    unit_a: Unit,
    unit_b: Unit,
    eq_a: Equipment,
    eq_b: Equipment,
    point_a: Point,
    point_b: Point,
    inv_a: Inventory,
    inv_b: Inventory,
}

fn credit(n: u32) -> CreditCode {
    CreditCode::with_check(&format!("91320500{n:09}")).unwrap()
}

async fn build_world(store: &Store) -> World {
    let mut tx = store.write(&root()).await.unwrap();
    weihua_testkit::upsert_regions(
        store,
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
    let park_a = store
        .create_park(
            &mut tx,
            &ParkInput {
                name: "扬子江国际化学工业园".into(),
                region_code: RegionCode::parse("320582").unwrap(),
                address: None,
            },
        )
        .await
        .unwrap();
    let park_b = store
        .create_park(
            &mut tx,
            &ParkInput {
                name: "金湖化工集中区".into(),
                region_code: RegionCode::parse("320831").unwrap(),
                address: None,
            },
        )
        .await
        .unwrap();
    let chem = store
        .create_chemical(
            &mut tx,
            &ChemicalInput {
                cas: Some(CasNumber::parse("7664-41-7").unwrap()),
                name_zh: "氨".into(),
                name_en: Some("Ammonia".into()),
                aliases: vec!["液氨".into()],
                table1_no: None,
                hazard_categories: vec![],
                gb18218_excluded: false,
            },
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut parts = Vec::new();
    for (i, (park, region)) in [(&park_a, "320582"), (&park_b, "320831")]
        .into_iter()
        .enumerate()
    {
        let mut tx = store.write(&root()).await.unwrap();
        let ent = store
            .create_enterprise(
                &mut tx,
                &EnterpriseInput {
                    credit_code: credit(i as u32 + 1),
                    name: format!("测试化工{i}有限公司"),
                    region_code: RegionCode::parse(region).unwrap(),
                    park_id: Some(park.id.clone()),
                    industry: Some("合成氨".into()),
                    address: None,
                    legal_representative: None,
                },
            )
            .await
            .unwrap();
        let inst = store
            .create_installation(
                &mut tx,
                &InstallationInput {
                    enterprise_id: ent.id.clone(),
                    code: "MHI-01".into(),
                    name: "液氨罐区".into(),
                    description: None,
                    people_within_500m: 40,
                    guardians: Guardians {
                        principal: Some(Guardian {
                            name: "张三".into(),
                            title: Some("总经理".into()),
                            phone: None,
                        }),
                        ..Default::default()
                    },
                    latitude: Some(31.9),
                    longitude: Some(120.5),
                },
            )
            .await
            .unwrap();
        let unit = store
            .create_unit(
                &mut tx,
                &UnitInput {
                    installation_id: inst.id.clone(),
                    name: "液氨储罐区".into(),
                    kind: UnitKind::Storage,
                },
            )
            .await
            .unwrap();
        let eq = store
            .create_equipment(
                &mut tx,
                &EquipmentInput {
                    unit_id: unit.id.clone(),
                    code: "V-101".into(),
                    name: "1#液氨球罐".into(),
                    kind: EquipmentKind::Tank,
                    design_volume_m3: Some(1000.0),
                    design_pressure_mpa: Some(2.16),
                },
            )
            .await
            .unwrap();
        let point = store
            .create_point(
                &mut tx,
                &PointInput {
                    installation_id: inst.id.clone(),
                    equipment_id: Some(eq.id.clone()),
                    tag: Tag::parse("LT-101").unwrap(),
                    name: "1#球罐液位".into(),
                    indicator: Indicator::Level,
                    unit: "%".into(),
                    range_low: 0.0,
                    range_high: 100.0,
                    limits: Limits {
                        ll: Some(10.0),
                        l: Some(20.0),
                        h: Some(80.0),
                        hh: Some(85.0),
                    },
                    latitude: None,
                    longitude: None,
                },
            )
            .await
            .unwrap();
        let inv = store
            .create_inventory(
                &mut tx,
                &InventoryInput {
                    unit_id: unit.id.clone(),
                    chemical_id: chem.id.clone(),
                    design_max_quantity_t: 550.0,
                    note: None,
                },
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        parts.push((ent, inst, unit, eq, point, inv));
    }
    let (ent_b, inst_b, unit_b, eq_b, point_b, inv_b) = parts.pop().unwrap();
    let (ent_a, inst_a, unit_a, eq_a, point_a, inv_a) = parts.pop().unwrap();
    World {
        park_a,
        park_b,
        ent_a,
        ent_b,
        inst_a,
        inst_b,
        unit_a,
        unit_b,
        eq_a,
        eq_b,
        point_a,
        point_b,
        inv_a,
        inv_b,
    }
}

fn not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::NotFound { .. }))
}

async fn registry_round_trip(store: Store) {
    let w = build_world(&store).await;
    let n = Scope::National;
    let got = store.get_installation(&n, &w.inst_a.id).await.unwrap();
    // The inventory of 550 t of ammonia graded it (GB 18218: Q = 10 t, β = 2,
    // 40 people → α = 1.2; R = 1.2 × 2 × 55 = 132 → 一级); the rest is as created.
    assert_eq!(
        (got.grade, got.is_major_hazard, got.r_value),
        (Some(1), Some(true), Some(132.0))
    );
    assert!(got.assessed_at.is_some() && got.assessment_error.is_none());
    let ungraded = weihua_store::registry::Installation {
        grade: None,
        is_major_hazard: None,
        r_value: None,
        assessed_at: None,
        ..got.clone()
    };
    assert_eq!(ungraded, w.inst_a);
    assert_eq!(got.guardians.principal.as_ref().unwrap().name, "张三");
    assert_eq!(store.get_point(&n, &w.point_a.id).await.unwrap(), w.point_a);
    assert_eq!(w.point_a.limits.hh, Some(85.0));
    assert_eq!(store.get_unit(&n, &w.unit_a.id).await.unwrap(), w.unit_a);
    assert_eq!(store.get_equipment(&n, &w.eq_a.id).await.unwrap(), w.eq_a);
    assert_eq!(store.get_inventory(&n, &w.inv_a.id).await.unwrap(), w.inv_a);
    assert_eq!(w.inv_a.chemical_name, "氨");
    assert_eq!(w.inv_a.cas.as_deref(), Some("7664-41-7"));
    let ents = store
        .list_enterprises(&n, &ListFilter::default(), Paging::default())
        .await
        .unwrap();
    assert_eq!(ents.total, 2);
    let pts = store
        .list_points(
            &n,
            &ListFilter {
                q: Some("LT-1".into()),
                ..Default::default()
            },
            Paging::new(Some(1), None),
        )
        .await
        .unwrap();
    assert_eq!(
        (pts.total, pts.items.len()),
        (2, 1),
        "paging limits items, not total"
    );
    let by_tag = store
        .find_points_by_tag(&n, &Tag::parse("LT-101").unwrap(), Some(&w.ent_b.id))
        .await
        .unwrap();
    assert_eq!(by_tag, vec![w.point_b.clone()]);
    assert_eq!(store.find_chemical("液氨").await.unwrap().name_zh, "氨");
    assert_eq!(
        store.find_chemical("7664-41-7").await.unwrap().name_zh,
        "氨"
    );

    // Updates are visible and audited.
    let mut tx = store.write(&root()).await.unwrap();
    let upd = store
        .update_installation(
            &mut tx,
            &w.inst_a.id,
            &InstallationPatch {
                people_within_500m: Some(120),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let inv = store
        .update_inventory_quantity(&mut tx, &w.inv_a.id, 600.0, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(upd.people_within_500m, 120);
    assert_eq!(inv.design_max_quantity_t, 600.0);
    let audit = store
        .list_audit(&n, Some(&w.inst_a.id), Paging::default())
        .await
        .unwrap();
    assert_eq!(audit.items[0].action, "update");
    assert_eq!(
        audit.items[0].before.as_ref().unwrap()["people_within_500m"],
        40
    );
    assert_eq!(
        audit.items[0].after.as_ref().unwrap()["people_within_500m"],
        120
    );

    let mut tx = store.write(&root()).await.unwrap();
    store.delete_inventory(&mut tx, &w.inv_a.id).await.unwrap();
    tx.commit().await.unwrap();
    assert!(not_found(store.get_inventory(&n, &w.inv_a.id).await));
}

async fn enterprise_scope_hides_other_enterprises(store: Store) {
    let w = build_world(&store).await;
    let a = Scope::Enterprise(w.ent_a.id.clone());
    let f = ListFilter::default();
    let p = Paging::default();
    // Lists show only A.
    let e = store.list_enterprises(&a, &f, p).await.unwrap();
    assert_eq!(
        e.items.iter().map(|x| &x.id).collect::<Vec<_>>(),
        vec![&w.ent_a.id]
    );
    assert_eq!(e.total, 1);
    for (total, ids) in [
        {
            let r = store.list_installations(&a, &f, p).await.unwrap();
            (
                r.total,
                r.items
                    .into_iter()
                    .map(|x| x.enterprise_id)
                    .collect::<Vec<_>>(),
            )
        },
        {
            let r = store.list_units(&a, &f, p).await.unwrap();
            (
                r.total,
                r.items.into_iter().map(|x| x.enterprise_id).collect(),
            )
        },
        {
            let r = store.list_equipment(&a, &f, p).await.unwrap();
            (
                r.total,
                r.items.into_iter().map(|x| x.enterprise_id).collect(),
            )
        },
        {
            let r = store.list_points(&a, &f, p).await.unwrap();
            (
                r.total,
                r.items.into_iter().map(|x| x.enterprise_id).collect(),
            )
        },
        {
            let r = store.list_inventories(&a, &f, p).await.unwrap();
            (
                r.total,
                r.items.into_iter().map(|x| x.enterprise_id).collect(),
            )
        },
    ] {
        assert_eq!(total, 1);
        assert_eq!(ids, vec![w.ent_a.id.clone()]);
    }
    // Even asking by B's id explicitly yields nothing.
    let fb = ListFilter {
        enterprise_id: Some(w.ent_b.id.clone()),
        ..Default::default()
    };
    assert_eq!(store.list_points(&a, &fb, p).await.unwrap().total, 0);
    // Gets of B's objects are "not found".
    assert!(not_found(store.get_enterprise(&a, &w.ent_b.id).await));
    assert!(not_found(store.get_installation(&a, &w.inst_b.id).await));
    assert!(not_found(store.get_unit(&a, &w.unit_b.id).await));
    assert!(not_found(store.get_equipment(&a, &w.eq_b.id).await));
    assert!(not_found(store.get_point(&a, &w.point_b.id).await));
    assert!(not_found(store.get_inventory(&a, &w.inv_b.id).await));
    assert!(not_found(store.get_park(&a, &w.park_b.id).await));
    assert!(store.get_park(&a, &w.park_a.id).await.is_ok());
    let same_tag = store
        .find_points_by_tag(&a, &Tag::parse("LT-101").unwrap(), None)
        .await
        .unwrap();
    assert_eq!(same_tag, vec![w.point_a.clone()]);
    // Writes under B's objects by A are "not found" and leave nothing behind.
    let act = actor(a.clone(), Role::EnterpriseAdmin);
    let mut tx = store.write(&act).await.unwrap();
    assert!(not_found(
        store
            .create_unit(
                &mut tx,
                &UnitInput {
                    installation_id: w.inst_b.id.clone(),
                    name: "x".into(),
                    kind: UnitKind::Production
                }
            )
            .await
    ));
    assert!(not_found(
        store
            .update_point(&mut tx, &w.point_b.id, &PointPatch::default())
            .await
    ));
    assert!(not_found(
        store.delete_inventory(&mut tx, &w.inv_b.id).await
    ));
    assert!(not_found(
        store
            .create_installation(
                &mut tx,
                &InstallationInput {
                    enterprise_id: w.ent_b.id.clone(),
                    code: "X".into(),
                    name: "x".into(),
                    description: None,
                    people_within_500m: 0,
                    guardians: Guardians::default(),
                    latitude: None,
                    longitude: None,
                }
            )
            .await
    ));
    drop(tx);
    assert!(
        store
            .get_inventory(&Scope::National, &w.inv_b.id)
            .await
            .is_ok()
    );
    // The audit view of A holds none of B's entries.
    let audit = store
        .list_audit(&a, None, Paging::new(Some(1000), None))
        .await
        .unwrap();
    assert!(audit.total > 0);
    assert!(
        audit
            .items
            .iter()
            .all(|e| e.enterprise_id.as_deref() == Some(w.ent_a.id.as_str()))
    );
}

async fn region_and_park_scopes(store: Store) {
    let w = build_world(&store).await;
    let f = ListFilter::default();
    let p = Paging::default();
    let province = Scope::Region(RegionCode::parse("320000").unwrap());
    let city_a = Scope::Region(RegionCode::parse("320500").unwrap());
    let county_b = Scope::Region(RegionCode::parse("320831").unwrap());
    let park_a = Scope::Park(w.park_a.id.clone());
    assert_eq!(
        store
            .list_installations(&province, &f, p)
            .await
            .unwrap()
            .total,
        2
    );
    let city = store.list_installations(&city_a, &f, p).await.unwrap();
    assert_eq!(city.total, 1);
    assert_eq!(city.items[0].id, w.inst_a.id);
    let county = store.list_points(&county_b, &f, p).await.unwrap();
    assert_eq!(county.items[0].id, w.point_b.id);
    assert_eq!(county.total, 1);
    assert!(not_found(store.get_point(&county_b, &w.point_a.id).await));
    let in_park = store.list_enterprises(&park_a, &f, p).await.unwrap();
    assert_eq!(in_park.total, 1);
    assert_eq!(in_park.items[0].id, w.ent_a.id);
    assert_eq!(store.list_parks(&city_a, &f, p).await.unwrap().total, 1);
    assert_eq!(store.list_parks(&province, &f, p).await.unwrap().total, 2);
    // A county regulator sees its county and the names above it, not other cities.
    let regions: Vec<String> = store
        .list_regions(&county_b)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.code)
        .collect();
    assert_eq!(regions, vec!["320000", "320800", "320831"]);
    // Region audit view: city A sees enterprise A's changes and not B's.
    let audit = store
        .list_audit(&city_a, None, Paging::new(Some(1000), None))
        .await
        .unwrap();
    assert!(
        audit
            .items
            .iter()
            .any(|e| e.enterprise_id.as_deref() == Some(w.ent_a.id.as_str()))
    );
    assert!(
        audit
            .items
            .iter()
            .all(|e| e.enterprise_id.as_deref() != Some(w.ent_b.id.as_str()))
    );
}

async fn audit_chain_verifies_and_catches_tampering(store: Store) {
    let w = build_world(&store).await;
    let AuditVerdict::Ok { entries, .. } = store.verify_audit().await.unwrap() else {
        panic!("fresh chain must verify")
    };
    assert!(entries >= 17, "every write is audited, got {entries}");
    // Change one byte of one stored entry: the 1 of "1#液氨球罐" becomes 2.
    let target: i64 = sqlx::query_scalar(
        "SELECT seq FROM audit_log WHERE entity_type = 'equipment' ORDER BY seq LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    let n = sqlx::query(
        "UPDATE audit_log SET after_json = REPLACE(after_json, '\"1#', '\"2#') WHERE seq = $1",
    )
    .bind(target)
    .execute(store.pool())
    .await
    .unwrap()
    .rows_affected();
    assert_eq!(n, 1);
    match store.verify_audit().await.unwrap() {
        AuditVerdict::Broken { seq, reason } => {
            assert_eq!(seq, target);
            assert!(reason.contains("hash"), "{reason}");
        }
        ok => panic!("tampering not caught: {ok:?}"),
    }
    let _ = w;
}

async fn audit_catches_removed_entries(store: Store) {
    build_world(&store).await;
    // Remove one from the middle.
    sqlx::query("DELETE FROM audit_log WHERE seq = 3")
        .execute(store.pool())
        .await
        .unwrap();
    match store.verify_audit().await.unwrap() {
        AuditVerdict::Broken { seq, .. } => assert_eq!(seq, 3),
        ok => panic!("deletion not caught: {ok:?}"),
    }
}

async fn uniqueness_conflicts(store: Store) {
    let w = build_world(&store).await;
    let mut tx = store.write(&root()).await.unwrap();
    let dup = store
        .create_enterprise(
            &mut tx,
            &EnterpriseInput {
                credit_code: credit(1),
                name: "重复".into(),
                region_code: RegionCode::parse("320582").unwrap(),
                park_id: None,
                industry: None,
                address: None,
                legal_representative: None,
            },
        )
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict { ref field, .. }) if field == "credit_code"),
        "{dup:?}"
    );
    drop(tx);
    let mut tx = store.write(&root()).await.unwrap();
    let dup_tag = store
        .create_point(
            &mut tx,
            &PointInput {
                installation_id: w.inst_a.id.clone(),
                equipment_id: None,
                tag: Tag::parse("LT-101").unwrap(),
                name: "重复位号".into(),
                indicator: Indicator::Level,
                unit: "%".into(),
                range_low: 0.0,
                range_high: 100.0,
                limits: Limits::default(),
                latitude: None,
                longitude: None,
            },
        )
        .await;
    assert!(matches!(dup_tag, Err(StoreError::Conflict { ref field, .. }) if field == "tag"));
}

async fn invalid_values_are_refused_with_field(store: Store) {
    let w = build_world(&store).await;
    let mut tx = store.write(&root()).await.unwrap();
    let base = PointInput {
        installation_id: w.inst_a.id.clone(),
        equipment_id: Some(w.eq_b.id.clone()),
        tag: Tag::parse("PT-201").unwrap(),
        name: "压力".into(),
        indicator: Indicator::Pressure,
        unit: "MPa".into(),
        range_low: 0.0,
        range_high: 4.0,
        limits: Limits {
            h: Some(3.0),
            hh: Some(2.5),
            ..Default::default()
        },
        latitude: None,
        longitude: None,
    };
    let r = store.create_point(&mut tx, &base).await;
    assert!(
        matches!(r, Err(StoreError::Invalid { ref field, .. }) if field == "limits"),
        "{r:?}"
    );
    let wrong_unit = PointInput {
        unit: "%LEL".into(),
        limits: Limits::default(),
        ..base.clone()
    };
    let r = store.create_point(&mut tx, &wrong_unit).await;
    assert!(matches!(r, Err(StoreError::Invalid { ref field, .. }) if field == "unit"));
    // Equipment of another installation.
    let other_eq = PointInput {
        limits: Limits::default(),
        ..base.clone()
    };
    let r = store.create_point(&mut tx, &other_eq).await;
    assert!(
        matches!(r, Err(StoreError::Invalid { ref field, .. }) if field == "equipment_id"),
        "{r:?}"
    );
    let r = store
        .update_inventory_quantity(&mut tx, &w.inv_a.id, -1.0, None)
        .await;
    assert!(
        matches!(r, Err(StoreError::Invalid { ref field, .. }) if field == "design_max_quantity_t")
    );
    let r = store
        .update_inventory_quantity(&mut tx, &w.inv_a.id, f64::NAN, None)
        .await;
    assert!(r.is_err());
    // Enterprise in a park of another region.
    let r = store
        .create_enterprise(
            &mut tx,
            &EnterpriseInput {
                credit_code: credit(77),
                name: "错区企业".into(),
                region_code: RegionCode::parse("320582").unwrap(),
                park_id: Some(w.park_b.id.clone()),
                industry: None,
                address: None,
                legal_representative: None,
            },
        )
        .await;
    assert!(matches!(r, Err(StoreError::Invalid { ref field, .. }) if field == "region_code"));
}

async fn sessions_and_api_tokens(store: Store) {
    let w = build_world(&store).await;
    let mut tx = store.write(&root()).await.unwrap();
    let user = store
        .create_user(
            &mut tx,
            &NewUser {
                username: "zhang.a".into(),
                display_name: "张工".into(),
                password_hash: "$argon2id$placeholder".into(),
                role: Role::EnterpriseAdmin,
                scope: Scope::Enterprise(w.ent_a.id.clone()),
            },
        )
        .await
        .unwrap();
    let now = weihua_store::now_ms();
    let sid = store
        .create_session(&mut tx, &user, "hash-live", "csrf1", now + 60_000)
        .await
        .unwrap();
    store
        .create_session(&mut tx, &user, "hash-old", "csrf2", now - 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let s = store
        .session_by_token("hash-live", now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.user.username, "zhang.a");
    assert_eq!(s.user.scope, Scope::Enterprise(w.ent_a.id.clone()));
    assert!(
        store
            .session_by_token("hash-old", now)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    let mut tx = store.write(&root()).await.unwrap();
    store.revoke_session(&mut tx, &sid).await.unwrap();
    tx.commit().await.unwrap();
    assert!(
        store
            .session_by_token("hash-live", now)
            .await
            .unwrap()
            .is_none(),
        "revoked"
    );

    let admin = actor(Scope::Enterprise(w.ent_a.id.clone()), Role::EnterpriseAdmin);
    let mut tx = store.write(&admin).await.unwrap();
    let t = store
        .create_api_token(&mut tx, &w.ent_a.id, "ingest", "DCS网关", "tok-hash")
        .await
        .unwrap();
    assert!(not_found(
        store
            .create_api_token(&mut tx, &w.ent_b.id, "ingest", "x", "tok-hash-2")
            .await
    ));
    tx.commit().await.unwrap();
    assert_eq!(
        store
            .api_token_by_hash("tok-hash")
            .await
            .unwrap()
            .unwrap()
            .id,
        t.id
    );
    let listed = store
        .list_api_tokens(&Scope::Enterprise(w.ent_b.id.clone()), Paging::default())
        .await
        .unwrap();
    assert_eq!(listed.total, 0, "B sees none of A's tokens");
    let mut tx = store.write(&admin).await.unwrap();
    store.revoke_api_token(&mut tx, &t.id).await.unwrap();
    tx.commit().await.unwrap();
    assert!(store.api_token_by_hash("tok-hash").await.unwrap().is_none());
}

async fn concurrent_writers_keep_one_chain(store: Store) {
    let w = build_world(&store).await;
    let mut handles = Vec::new();
    for i in 0..24 {
        let store = store.clone();
        let inst = w.inst_a.id.clone();
        handles.push(tokio::spawn(async move {
            let mut tx = store.write(&root()).await.unwrap();
            store
                .create_point(
                    &mut tx,
                    &PointInput {
                        installation_id: inst,
                        equipment_id: None,
                        tag: Tag::parse(&format!("TT-{i:03}")).unwrap(),
                        name: format!("温度{i}"),
                        indicator: Indicator::Temperature,
                        unit: "°C".into(),
                        range_low: -40.0,
                        range_high: 80.0,
                        limits: Limits::default(),
                        latitude: None,
                        longitude: None,
                    },
                )
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let pts = store
        .list_points(
            &Scope::Enterprise(w.ent_a.id.clone()),
            &ListFilter::default(),
            Paging::default(),
        )
        .await
        .unwrap();
    assert_eq!(pts.total, 25);
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        AuditVerdict::Ok { .. }
    ));
}

async fn users_are_created_inside_the_creators_scope(store: Store) {
    let w = build_world(&store).await;
    let park_admin = actor(Scope::Park(w.park_a.id.clone()), Role::ParkAdmin);
    let mut tx = store.write(&park_admin).await.unwrap();
    let ok = store
        .create_user(
            &mut tx,
            &NewUser {
                username: "op.a".into(),
                display_name: "操作员A".into(),
                password_hash: "x".into(),
                role: Role::Operator,
                scope: Scope::Enterprise(w.ent_a.id.clone()),
            },
        )
        .await;
    assert!(ok.is_ok(), "{ok:?}");
    let outside = store
        .create_user(
            &mut tx,
            &NewUser {
                username: "op.b".into(),
                display_name: "操作员B".into(),
                password_hash: "x".into(),
                role: Role::Operator,
                scope: Scope::Enterprise(w.ent_b.id.clone()),
            },
        )
        .await;
    assert!(not_found(outside));
    let wrong_role = store
        .create_user(
            &mut tx,
            &NewUser {
                username: "reg.x".into(),
                display_name: "x".into(),
                password_hash: "x".into(),
                role: Role::CityRegulator,
                scope: Scope::Enterprise(w.ent_a.id.clone()),
            },
        )
        .await;
    assert!(matches!(wrong_role, Err(StoreError::Invalid { ref field, .. }) if field == "role"));
    tx.commit().await.unwrap();
    let seen = store
        .list_users(&Scope::Enterprise(w.ent_b.id.clone()), Paging::default())
        .await
        .unwrap();
    assert_eq!(seen.total, 0);
    let seen = store
        .list_users(
            &Scope::Region(RegionCode::parse("320500").unwrap()),
            Paging::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        seen.items
            .iter()
            .map(|u| u.username.as_str())
            .collect::<Vec<_>>(),
        vec!["op.a"]
    );
}

fn alarm_record(w: &World, point: &Point, limit: &str, value: f64, at: i64) -> AlarmRecord {
    AlarmRecord {
        id: format!("{}:limit:{limit}", point.id),
        point: Some(point.tag.clone()),
        point_id: Some(point.id.clone()),
        point_name: Some(point.name.clone()),
        unit: Some(point.unit.clone()),
        enterprise: point.enterprise_id.clone(),
        installation: Some(point.installation_id.clone()),
        kind: "limit".into(),
        limit: Some(limit.into()),
        priority: if limit == "HH" {
            "emergency".into()
        } else {
            "high".into()
        },
        position: Some(
            if point.enterprise_id == w.ent_a.id {
                "A控制室"
            } else {
                "B控制室"
            }
            .into(),
        ),
        state: "unacknowledged".into(),
        active: true,
        acked: false,
        latched: false,
        suppressed: false,
        out_of_service: false,
        value: Some(value),
        raised_at: Some(at),
        acked_at: None,
        acked_by: None,
        shelved_until: None,
        cleared_at: None,
        open: true,
        updated_at: at,
    }
}

fn journal(seq: i64, event: &str, a: &AlarmRecord, at: i64) -> AlarmEvent {
    AlarmEvent {
        seq,
        at,
        event: event.into(),
        alarm_id: Some(a.id.clone()),
        enterprise_id: a.enterprise.clone(),
        installation_id: a.installation.clone(),
        actor: None,
        reason: None,
        payload: serde_json::to_value(a).unwrap(),
    }
}

async fn alarm_states_journal_and_risk_are_scoped_and_audited(store: Store) {
    let w = build_world(&store).await;
    let t = 1_800_000_000_000i64;
    let a_h = alarm_record(&w, &w.point_a, "H", 30.0, t);
    let b_hh = alarm_record(&w, &w.point_b, "HH", 60.0, t + 1);
    assert_eq!(store.max_alarm_event_seq().await.unwrap(), 0);
    let batch = AlarmBatch {
        alarms: vec![a_h.clone(), b_hh.clone()],
        events: vec![
            journal(1, "activated", &a_h, t),
            journal(2, "activated", &b_hh, t + 1),
        ],
        risks: vec![
            InstallationRisk {
                installation_id: w.inst_a.id.clone(),
                enterprise_id: w.ent_a.id.clone(),
                level: "orange".into(),
                score: 64.0,
                reasons: serde_json::json!([{"code": "gas_alarm_1", "zh": "一级报警", "en": "gas alarm 1", "points": 24.0}]),
                model_version: "weihua-risk-1".into(),
                updated_at: t,
            },
            InstallationRisk {
                installation_id: w.inst_b.id.clone(),
                enterprise_id: w.ent_b.id.clone(),
                level: "red".into(),
                score: 100.0,
                reasons: serde_json::json!([]),
                model_version: "weihua-risk-1".into(),
                updated_at: t,
            },
        ],
    };
    store.record_alarm_changes(&batch).await.unwrap();
    assert_eq!(store.max_alarm_event_seq().await.unwrap(), 2);
    // The upsert replaces the row (PostgreSQL and SQLite alike).
    let mut cleared = a_h.clone();
    cleared.active = false;
    cleared.state = "rtn_unacknowledged".into();
    cleared.cleared_at = Some(t + 5);
    cleared.value = Some(20.0);
    store
        .record_alarm_changes(&AlarmBatch {
            alarms: vec![cleared.clone()],
            events: vec![journal(3, "cleared", &cleared, t + 5)],
            risks: vec![],
        })
        .await
        .unwrap();

    let scope_a = Scope::Enterprise(w.ent_a.id.clone());
    let list = store
        .list_alarms(
            &scope_a,
            &AlarmFilter {
                open: Some(true),
                ..Default::default()
            },
            Paging::default(),
        )
        .await
        .unwrap();
    assert_eq!(list.total, 1);
    assert_eq!(list.items[0], {
        let mut c = cleared.clone();
        c.updated_at = cleared.updated_at;
        c
    });
    assert!(not_found(store.get_alarm(&scope_a, &b_hh.id).await));
    let national = store
        .list_alarms(&Scope::National, &AlarmFilter::default(), Paging::default())
        .await
        .unwrap();
    assert_eq!(national.total, 2);
    assert_eq!(national.items[0].id, b_hh.id, "emergency first");
    let park_b = Scope::Park(w.park_b.id.clone());
    let only_b = store
        .list_alarms(&park_b, &AlarmFilter::default(), Paging::default())
        .await
        .unwrap();
    assert_eq!(
        only_b
            .items
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>(),
        [b_hh.id.as_str()]
    );
    let hh = store
        .list_alarms(
            &Scope::National,
            &AlarmFilter {
                priority: Some("emergency".into()),
                ..Default::default()
            },
            Paging::default(),
        )
        .await
        .unwrap();
    assert_eq!(hh.total, 1);

    // The journal: scoped, in order, resumable.
    let ev_a = store.alarm_events_after(&scope_a, 0, 100).await.unwrap();
    assert_eq!(ev_a.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 3]);
    assert_eq!(ev_a[1].payload["state"], "rtn_unacknowledged");
    assert_eq!(
        store
            .alarm_events_after(&scope_a, 1, 100)
            .await
            .unwrap()
            .len(),
        1
    );
    let between = store
        .alarm_events_between(&Scope::National, t, t + 2, &["activated"], None)
        .await
        .unwrap();
    assert_eq!(between.len(), 2);
    let open = store.open_alarms_system().await.unwrap();
    assert_eq!(open.len(), 2);

    // Risk rows, scoped.
    let r = store.list_installation_risk(&scope_a).await.unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].level.as_str(), r[0].score), ("orange", 64.0));
    assert_eq!(r[0].reasons[0]["code"], "gas_alarm_1");
    assert!(
        store
            .installation_risk(&scope_a, &w.inst_b.id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store
            .installation_risk(&Scope::National, &w.inst_b.id)
            .await
            .unwrap()
            .unwrap()
            .level,
        "red"
    );

    // An operator command: row + journal + audit in one transaction.
    let op = actor(scope_a.clone(), Role::Operator);
    let mut acked = cleared.clone();
    acked.acked = true;
    acked.acked_at = Some(t + 9);
    acked.acked_by = Some(op.username.clone());
    acked.state = "normal".into();
    acked.open = false;
    let mut ev = journal(4, "acked", &acked, t + 9);
    ev.actor = Some(op.username.clone());
    ev.reason = Some("现场确认".into());
    let mut tx = store.write(&op).await.unwrap();
    store
        .record_alarm_command(&mut tx, Some(&cleared), &acked, &ev)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let audit = store
        .list_audit(&scope_a, Some(&acked.id), Paging::default())
        .await
        .unwrap();
    assert_eq!(audit.items.len(), 1);
    assert_eq!(audit.items[0].action, "alarm.acked");
    assert_eq!(audit.items[0].actor, op.username);
    assert_eq!(audit.items[0].after.as_ref().unwrap()["reason"], "现场确认");
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        AuditVerdict::Ok { .. }
    ));
    assert_eq!(
        store
            .list_alarms(
                &scope_a,
                &AlarmFilter {
                    open: Some(true),
                    ..Default::default()
                },
                Paging::default()
            )
            .await
            .unwrap()
            .total,
        0
    );

    // Point alarm settings: scoped write, audited, readable back.
    let mut tx = store
        .write(&actor(scope_a.clone(), Role::SafetyManager))
        .await
        .unwrap();
    assert!(not_found(
        store
            .set_point_alarm_settings(&mut tx, &w.point_b.id, "{}")
            .await
    ));
    drop(tx);
    let mut tx = store
        .write(&actor(scope_a.clone(), Role::SafetyManager))
        .await
        .unwrap();
    store
        .set_point_alarm_settings(&mut tx, &w.point_a.id, r#"{"deadband":1.0}"#)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        store
            .point_alarm_settings(&scope_a, &w.point_a.id)
            .await
            .unwrap()
            .as_deref(),
        Some(r#"{"deadband":1.0}"#)
    );
    assert_eq!(
        store
            .point_alarm_settings(&Scope::Enterprise(w.ent_b.id.clone()), &w.point_a.id)
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.all_point_alarm_settings().await.unwrap().len(), 1);
    assert_eq!(store.prune_alarm_events(t + 2).await.unwrap(), 2);

    // A flood: 450 rows (multi-row statements) with repeated ids — the last version wins.
    let mut flood = AlarmBatch::default();
    for i in 0..450i64 {
        let mut a = alarm_record(&w, &w.point_a, "H", i as f64, t + 100 + i);
        a.id = format!("flood-{}", i % 300);
        flood
            .events
            .push(journal(100 + i, "activated", &a, t + 100 + i));
        flood.alarms.push(a);
    }
    store.record_alarm_changes(&flood).await.unwrap();
    let all = store
        .list_alarms(
            &scope_a,
            &AlarmFilter::default(),
            Paging::new(Some(1000), None),
        )
        .await
        .unwrap();
    assert_eq!(
        all.items
            .iter()
            .filter(|a| a.id.starts_with("flood-"))
            .count(),
        300
    );
    let f0 = store.get_alarm(&scope_a, "flood-0").await.unwrap();
    assert_eq!(f0.value, Some(300.0), "the last of the batch");
    assert_eq!(store.max_alarm_event_seq().await.unwrap(), 549);
    assert_eq!(
        store
            .alarm_events_after(&scope_a, 99, 10_000)
            .await
            .unwrap()
            .len(),
        450
    );
}

async fn prevention_register_records_and_dangers_are_scoped_and_audited(store: Store) {
    use serde_json::json;
    use weihua_store::prevention::*;
    let w = build_world(&store).await;
    let t = 1_800_000_000_000i64;
    let mut tx = store.write(&root()).await.unwrap();
    let mut ids = Vec::new();
    for (ent, inst) in [(&w.ent_a, &w.inst_a), (&w.ent_b, &w.inst_b)] {
        let object = RiskNode {
            id: weihua_store::new_id(),
            enterprise_id: ent.id.clone(),
            kind: "object".into(),
            parent_id: None,
            code: Some("MHI-1".into()),
            installation_id: Some(inst.id.clone()),
            name: "液氨罐区".into(),
            risk_class: None,
            doc: json!({}),
            created_at: t,
            updated_at: t,
        };
        store.insert_risk_node(&mut tx, &object).await.unwrap();
        let measure = RiskNode {
            id: weihua_store::new_id(),
            kind: "measure".into(),
            parent_id: Some(object.id.clone()),
            code: None,
            installation_id: None,
            name: "巡检液位计".into(),
            ..object.clone()
        };
        store.insert_risk_node(&mut tx, &measure).await.unwrap();
        let task = InspectionTask {
            id: weihua_store::new_id(),
            enterprise_id: ent.id.clone(),
            measure_id: measure.id.clone(),
            active: true,
            doc: json!({"cycle": 2, "unit": "hour"}),
            created_at: t,
            updated_at: t,
        };
        store.insert_task(&mut tx, &task).await.unwrap();
        let record = InspectionRecord {
            id: weihua_store::new_id(),
            enterprise_id: ent.id.clone(),
            task_id: task.id.clone(),
            window_start: t,
            window_end: t + 7_200_000,
            check_status: 0,
            check_time: Some(t + 600_000),
            doc: json!({"note": "正常"}),
            created_at: t,
        };
        store.insert_record(&mut tx, &record).await.unwrap();
        // A window may hold several checks (e.g. twice a day).
        let again = InspectionRecord {
            id: weihua_store::new_id(),
            check_time: Some(t + 3_600_000),
            ..record.clone()
        };
        store.insert_record(&mut tx, &again).await.unwrap();
        let danger = HiddenDanger {
            id: weihua_store::new_id(),
            enterprise_id: ent.id.clone(),
            name: "液位计失灵".into(),
            danger_level: Some(0),
            state: "reported".into(),
            deadline: Some(t + 86_400_000),
            supervised: false,
            registered_at: t,
            closed_at: None,
            doc: json!({}),
            version: 1,
            created_at: t,
            updated_at: t,
        };
        let ev = DangerEvent {
            danger_id: danger.id.clone(),
            n: 1,
            at: t,
            action: "report".into(),
            actor: "test".into(),
            from_state: "reported".into(),
            to_state: "reported".into(),
            detail: json!({}),
        };
        store.insert_danger(&mut tx, &danger, &ev).await.unwrap();
        ids.push((object.id, danger));
    }
    // A duplicate object code in one enterprise is a conflict.
    let dup = RiskNode {
        id: weihua_store::new_id(),
        enterprise_id: w.ent_a.id.clone(),
        kind: "object".into(),
        parent_id: None,
        code: Some("MHI-1".into()),
        installation_id: None,
        name: "x".into(),
        risk_class: None,
        doc: json!({}),
        created_at: t,
        updated_at: t,
    };
    assert!(matches!(
        store.insert_risk_node(&mut tx, &dup).await,
        Err(StoreError::Conflict { .. })
    ));
    tx.commit().await.unwrap();

    // Scope: A never sees B's register, records or dangers; the province sees both.
    let a = Scope::Enterprise(w.ent_a.id.clone());
    let nodes = store.list_risk_nodes(&a, None).await.unwrap();
    assert_eq!(nodes.len(), 2);
    assert!(nodes.iter().all(|n| n.enterprise_id == w.ent_a.id));
    assert!(matches!(
        store.get_risk_node(&a, &ids[1].0).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.get_danger(&a, &ids[1].1.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(
        store
            .list_dangers(&a, &DangerFilter::default(), Paging::all())
            .await
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        store.list_records(&a, None, t, t + 1).await.unwrap().len(),
        2
    );
    let province = Scope::Region(RegionCode::parse("320000").unwrap());
    assert_eq!(
        store
            .list_dangers(&province, &DangerFilter::default(), Paging::all())
            .await
            .unwrap()
            .total,
        2
    );
    // Overdue filter.
    let late = DangerFilter {
        overdue_at: Some(t + 2 * 86_400_000),
        ..Default::default()
    };
    assert_eq!(
        store
            .list_dangers(&a, &late, Paging::all())
            .await
            .unwrap()
            .total,
        1
    );
    // Optimistic update: a stale version is refused.
    let before = ids[0].1.clone();
    let mut after = before.clone();
    after.state = "graded".into();
    after.version = 2;
    let ev = |n| DangerEvent {
        danger_id: before.id.clone(),
        n,
        at: t + 1,
        action: "grade".into(),
        actor: "test".into(),
        from_state: "reported".into(),
        to_state: "graded".into(),
        detail: json!({}),
    };
    let mut tx = store.write(&root()).await.unwrap();
    store
        .update_danger(&mut tx, &before, &after, &ev(2))
        .await
        .unwrap();
    assert!(matches!(
        store.update_danger(&mut tx, &before, &after, &ev(3)).await,
        Err(StoreError::Conflict { .. })
    ));
    tx.commit().await.unwrap();
    assert_eq!(store.danger_events(&before.id).await.unwrap().len(), 2);
    assert_eq!(
        store.get_danger(&a, &before.id).await.unwrap().state,
        "graded"
    );
    // Audited.
    let log = store
        .list_audit(&Scope::National, None, Paging::all())
        .await
        .unwrap();
    let actions: Vec<&str> = log.items.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "risk_object.create",
        "risk_measure.create",
        "inspection_task.create",
        "inspection_record.create",
        "hidden_danger.report",
        "hidden_danger.grade",
    ] {
        assert!(actions.contains(&a), "{a} audited");
    }
}

async fn qra_studies_are_scoped_and_audited(store: Store) {
    use serde_json::json;
    use weihua_store::qra::QraStudy;
    let w = build_world(&store).await;
    let mut tx = store.write(&root()).await.unwrap();
    let mut ids = Vec::new();
    for (i, (ent, inst)) in [(&w.ent_a, &w.inst_a), (&w.ent_b, &w.inst_b)]
        .into_iter()
        .enumerate()
    {
        let study = QraStudy {
            id: weihua_store::new_id(),
            enterprise_id: ent.id.clone(),
            installation_id: Some(inst.id.clone()),
            name: format!("液氯储罐区定量风险评估 {i}"),
            input: json!({"events": [], "n": i}),
            summary: json!({"max_ir_per_year": 1e-5 * (i as f64 + 1.0)}),
            result: json!({"fn_curve": [{"n": 1, "f_per_year": 1e-6}]}),
            engine_version: "test".into(),
            created_by: "root".into(),
            created_at: 1_800_000_000_000 + i as i64,
        };
        store.insert_qra_study(&mut tx, &study).await.unwrap();
        ids.push(study);
    }
    tx.commit().await.unwrap();
    let a = Scope::Enterprise(w.ent_a.id.clone());
    // Enterprise A sees its own study, whole, and not B's.
    let got = store.get_qra_study(&a, &ids[0].id).await.unwrap();
    assert_eq!(got, ids[0]);
    assert!(not_found(store.get_qra_study(&a, &ids[1].id).await));
    let list = store.list_qra_studies(&a, None, None).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, ids[0].id);
    assert_eq!(list[0].summary, ids[0].summary);
    // National sees both, newest first, and can filter by installation.
    let all = store
        .list_qra_studies(&Scope::National, None, None)
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        vec![ids[1].id.as_str(), ids[0].id.as_str()]
    );
    let by_inst = store
        .list_qra_studies(&Scope::National, None, Some(&w.inst_b.id))
        .await
        .unwrap();
    assert_eq!(by_inst.len(), 1);
    assert_eq!(by_inst[0].id, ids[1].id);
    // Audited.
    let log = store
        .list_audit(&Scope::National, None, Paging::all())
        .await
        .unwrap();
    assert_eq!(
        log.items
            .iter()
            .filter(|e| e.action == "qra_study.create")
            .count(),
        2
    );
}
