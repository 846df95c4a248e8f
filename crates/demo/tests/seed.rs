//! Seeding the demo park into a fresh SQLite store.
//!
//! Run with `--nocapture` to see how long seeding takes and what it made.

use std::collections::HashSet;
use std::time::Instant;
use weihua_core::{Indicator, Role, Scope};
use weihua_demo::{CREDENTIALS_FILE, DemoCredentials, DemoError, count, layout, seed};
use weihua_store::audit::AuditVerdict;
use weihua_store::registry::ListFilter;
use weihua_store::{Paging, Store, secrets};

async fn fresh() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_sqlite(dir.path()).await.expect("open sqlite");
    (store, dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn seed_fills_an_empty_store() {
    let (store, _dir) = fresh().await;
    let started = Instant::now();
    let creds = seed(&store).await.expect("seed");
    let took = started.elapsed();
    let made = count(&store).await.expect("count");
    println!("demo seed took {took:.2?}: {made:?}");

    // What the tables promise is what the store holds.
    assert_eq!(made, layout());
    assert!(made.enterprises >= 8, "{made:?}");
    assert!(made.installations >= 20, "{made:?}");
    assert!(made.points >= 600, "{made:?}");

    let national = Scope::National;
    let all = ListFilter::default();
    let enterprises = store
        .list_enterprises(&national, &all, Paging::new(Some(100), None))
        .await
        .unwrap();
    assert_eq!(enterprises.total as usize, enterprises.items.len());
    for e in &enterprises.items {
        assert!(
            e.industry.as_deref().is_some_and(|s| !s.is_empty()),
            "{} has no industry",
            e.name
        );
        assert!(e.credit_code.starts_with("91"));
    }
    // One enterprise lies outside the park, in another county.
    assert!(enterprises.items.iter().any(|e| e.park_id.is_none()));
    assert_eq!(store.list_regions(&national).await.unwrap().len(), 4);

    // Every installation has its three guardians and a position.
    let installations = store
        .list_installations(&national, &all, Paging::all())
        .await
        .unwrap();
    for i in &installations.items {
        assert!(i.guardians.principal.is_some(), "{}", i.name);
        assert!(i.guardians.technical.is_some(), "{}", i.name);
        assert!(i.guardians.operational.is_some(), "{}", i.name);
        assert!(i.latitude.is_some() && i.longitude.is_some());
    }

    // Every indicator kind occurs.
    for ind in Indicator::ALL {
        let f = ListFilter {
            indicator: Some(ind),
            ..Default::default()
        };
        let n = store
            .list_points(&national, &f, Paging::new(Some(1), None))
            .await
            .unwrap()
            .total;
        assert!(n > 0, "no {} point", ind.as_str());
    }

    // Users: every role except the gateway, which is a token per enterprise.
    let roles: HashSet<&str> = creds.users.iter().map(|u| u.role.as_str()).collect();
    for role in Role::ALL {
        if role != Role::Gateway {
            assert!(roles.contains(role.as_str()), "no {}", role.as_str());
        }
    }
    assert_eq!(creds.ingest_tokens.len(), enterprises.items.len());
    let token_enterprises: HashSet<&str> = creds
        .ingest_tokens
        .iter()
        .map(|t| t.enterprise_id.as_str())
        .collect();
    assert_eq!(token_enterprises.len(), enterprises.items.len());
    for t in &creds.ingest_tokens {
        let stored = store
            .api_token_by_hash(&secrets::hash_token(&t.token))
            .await
            .unwrap()
            .expect("token stored");
        assert_eq!(stored.enterprise_id, t.enterprise_id);
        assert_eq!(stored.purpose, "ingest");
    }

    // The passwords returned are the ones stored, and the scopes are as listed.
    for u in &creds.users {
        let c = store
            .user_credentials(&u.username)
            .await
            .unwrap()
            .expect("user stored");
        assert_eq!(c.user.role.as_str(), u.role);
        assert_eq!(c.user.scope.to_text(), u.scope);
        assert!(c.password_hash.starts_with("$argon2id$"));
    }
    let county = creds.users.iter().find(|u| u.username == "county").unwrap();
    let county_pw = store.user_credentials("county").await.unwrap().unwrap();
    assert!(secrets::verify_password(
        &county.password,
        &county_pw.password_hash
    ));

    // Scopes are meaningful: the park and the county see the park's eight
    // enterprises, the city sees all nine, an enterprise sees itself.
    let count_in = |scope: Scope| {
        let store = store.clone();
        async move {
            store
                .list_enterprises(&scope, &ListFilter::default(), Paging::new(Some(1), None))
                .await
                .unwrap()
                .total
        }
    };
    let scope_of = |name: &str| {
        Scope::from_text(
            &creds
                .users
                .iter()
                .find(|u| u.username == name)
                .unwrap()
                .scope,
        )
        .unwrap()
    };
    let total = enterprises.total;
    assert_eq!(count_in(scope_of("city")).await, total);
    assert_eq!(count_in(scope_of("county")).await, total - 1);
    assert_eq!(count_in(scope_of("park")).await, total - 1);
    assert_eq!(count_in(scope_of("county.changshu")).await, 1);
    assert_eq!(count_in(scope_of("e1.operator")).await, 1);

    // Every installation was assessed by the GB 18218 engine without error,
    // and most are graded major hazards.
    let insts = store
        .list_installations(
            &Scope::National,
            &Default::default(),
            weihua_store::Paging::all(),
        )
        .await
        .unwrap()
        .items;
    assert!(
        insts
            .iter()
            .all(|i| i.assessed_at.is_some() && i.assessment_error.is_none()),
        "every installation assessed"
    );
    let graded = insts.iter().filter(|i| i.grade.is_some()).count();
    assert!(graded >= 12, "only {graded} graded");
    assert!(
        insts.iter().any(|i| i.grade == Some(1)) && insts.iter().any(|i| i.grade == Some(4)),
        "grades span 一级 to 四级"
    );

    match store.verify_audit().await.unwrap() {
        AuditVerdict::Ok { entries, .. } => assert!(entries > 600),
        other => panic!("audit chain: {other:?}"),
    }

    // A second seed is refused and changes nothing.
    let err = seed(&store).await.unwrap_err();
    assert!(matches!(err, DemoError::NotEmpty), "{err}");
    assert_eq!(count(&store).await.unwrap(), made);
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        AuditVerdict::Ok { .. }
    ));
    store.close().await;
}

#[tokio::test]
async fn seeding_is_deterministic_except_secrets() {
    let (a, _da) = fresh().await;
    let (b, _db) = fresh().await;
    let ca = seed(&a).await.unwrap();
    let cb = seed(&b).await.unwrap();
    let tags = |s: Store| async move {
        let mut v: Vec<(String, String, String)> = s
            .list_points(&Scope::National, &ListFilter::default(), Paging::all())
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|p| (p.tag, p.name, format!("{:?}", p.limits)))
            .collect();
        v.sort();
        v
    };
    assert_eq!(tags(a.clone()).await, tags(b.clone()).await);
    let names = |c: &DemoCredentials| {
        c.users
            .iter()
            .map(|u| u.username.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&ca), names(&cb));
    assert_ne!(ca.users[0].password, cb.users[0].password);
    assert_ne!(ca.ingest_tokens[0].token, cb.ingest_tokens[0].token);
}

#[tokio::test]
async fn credentials_file_is_private_json() {
    let (store, dir) = fresh().await;
    let creds = seed(&store).await.unwrap();
    let out = dir.path().join("out");
    let path = weihua_demo::write_credentials(&out, &creds).unwrap();
    assert_eq!(path, out.join(CREDENTIALS_FILE));
    // Written again over a world-readable file: private again, replaced not appended.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let path = weihua_demo::write_credentials(&out, &creds).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let users = v["users"].as_array().unwrap();
    assert_eq!(users.len(), creds.users.len());
    for u in users {
        for field in ["username", "password", "role", "scope"] {
            assert!(u[field].is_string(), "{field} in {u}");
        }
    }
    let tokens = v["ingest_tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), creds.ingest_tokens.len());
    for t in tokens {
        for field in ["enterprise", "token"] {
            assert!(t[field].is_string(), "{field} in {t}");
        }
    }
    let back: DemoCredentials = serde_json::from_str(&text).unwrap();
    assert_eq!(back, creds);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
}
