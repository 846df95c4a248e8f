//! The demo's special work permits: a working day at two plants, in every
//! state, created through the real API (so the GB 30871 engine judges every
//! step, exactly as for a user). Planned windows are spread over the day;
//! the steps themselves are stamped with the demo's start time.

use anyhow::{Context, Result};
use axum::Router;
use serde_json::{Value, json};

use crate::demo_api::Api;
use weihua_standards::gb30871::{self as g, Facts, Permit};

const MIN: i64 = 60_000;

/// One step of a permit.
async fn act(api: &Api, id: &str, action: Value) -> Result<Value> {
    api.ok(
        "POST",
        &format!("/api/v1/permits/{id}/actions"),
        Some(action),
    )
    .await
}

/// How far along the day's permit is.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Stage {
    Draft,
    GasAnalysis,
    Approving,
    Approved,
    Reported,
    InProgress,
    Suspended,
    Closed,
    Cancelled,
}

struct Spec {
    work: Value,
    content: &'static str,
    place: &'static str,
    /// Planned window relative to now, minutes.
    from_min: i64,
    to_min: i64,
    stage: Stage,
    contractor: bool,
}

fn cert(kind: &str, n: u32, now: i64) -> Value {
    json!({"kind": kind, "number": format!("{}-{n:04}", kind.to_uppercase()), "expires_ms": now + 400 * 24 * 60 * MIN})
}

fn workers(kind: &str, now: i64) -> Value {
    let guardian = json!({"id": "g1", "name": "赵建华", "roles": ["guardian"], "certificates": [cert("guardian_training", 1, now)]});
    match kind {
        "hot_work" => json!([
            {"id": "l1", "name": "王立明", "roles": ["work_leader"]},
            {"id": "h1", "name": "李国强", "roles": ["hot_worker"], "certificates": [cert("welding_and_cutting", 2, now)]},
            guardian
        ]),
        "lifting" => json!([
            {"id": "s1", "name": "周海", "roles": ["signaller"], "certificates": [cert("crane_signaller", 3, now)]},
            {"id": "c1", "name": "孙强", "roles": ["crane_operator"], "certificates": [cert("crane_operator", 4, now)]},
            guardian
        ]),
        "temporary_power" => json!([
            {"id": "l1", "name": "王立明", "roles": ["work_leader"]},
            {"id": "e1", "name": "钱电工", "roles": ["electrician"], "certificates": [cert("electrician", 5, now)]},
            guardian
        ]),
        _ => json!([
            {"id": "l1", "name": "王立明", "roles": ["work_leader"]},
            {"id": "w1", "name": "陈师傅", "roles": ["worker"]},
            guardian
        ]),
    }
}

fn kind_of(work: &Value) -> g::WorkKind {
    serde_json::from_value(work["kind"].clone()).unwrap_or(g::WorkKind::RoadClosure)
}

fn day(installations: &[String]) -> Vec<(usize, Spec)> {
    use Stage::*;
    let s = |work: Value, content, place, from_min, to_min, stage, contractor| Spec {
        work,
        content,
        place,
        from_min,
        to_min,
        stage,
        contractor,
    };
    let n = installations.len().max(1);
    vec![
        (
            0,
            s(
                json!({"kind": "hot_work", "method": "电焊"}),
                "更换液氯输送泵出口法兰",
                "P-101 泵出口",
                -90,
                240,
                InProgress,
                false,
            ),
        ),
        (
            1 % n,
            s(
                json!({"kind": "confined_space", "space_name": "V-201 缓冲罐", "former_medium": "氯气"}),
                "缓冲罐内部检查",
                "V-201 人孔",
                -60,
                300,
                InProgress,
                true,
            ),
        ),
        (
            2 % n,
            s(
                json!({"kind": "hot_work", "method": "气割"}),
                "拆除废旧支架",
                "钢瓶库东侧",
                -120,
                180,
                Suspended,
                true,
            ),
        ),
        (
            0,
            s(
                json!({"kind": "height", "height_m": 8.5}),
                "检修罐顶呼吸阀",
                "T-102 罐顶",
                60,
                360,
                Reported,
                false,
            ),
        ),
        (
            1 % n,
            s(
                json!({"kind": "lifting", "mass_t": 22.0}),
                "吊装更换电解槽盖板",
                "电解厂房 3 号跨",
                90,
                300,
                Approved,
                true,
            ),
        ),
        (
            2 % n,
            s(
                json!({"kind": "blinding", "action": "install", "plates": ["MB-07"], "pipeline_id": "CL-2-105"}),
                "氯气管线加盲板",
                "CL-2-105 法兰",
                30,
                120,
                Approving,
                false,
            ),
        ),
        (
            0,
            s(
                json!({"kind": "confined_space", "space_name": "T-105 储罐", "former_medium": "液氯"}),
                "储罐内部防腐检查",
                "T-105 人孔",
                120,
                600,
                GasAnalysis,
                false,
            ),
        ),
        (
            1 % n,
            s(
                json!({"kind": "temporary_power"}),
                "检修临时照明",
                "电解厂房北侧",
                120,
                600,
                Approved,
                false,
            ),
        ),
        (
            1 % n,
            s(
                json!({"kind": "excavation", "depth_m": 0.9}),
                "更换地下消防管阀门",
                "消防泵房南侧",
                240,
                480,
                Draft,
                true,
            ),
        ),
        (
            2 % n,
            s(
                json!({"kind": "road_closure"}),
                "管廊检修临时封闭道路",
                "厂区 2 号路",
                -300,
                30,
                Closed,
                false,
            ),
        ),
        (
            0,
            s(
                json!({"kind": "hot_work", "method": "打磨"}),
                "打磨平台护栏（改期）",
                "二层平台",
                -30,
                120,
                Cancelled,
                false,
            ),
        ),
    ]
}

/// Seed the day's permits at the enterprise of `username` (its installations).
async fn seed_enterprise(api: &Api, limit: usize) -> Result<usize> {
    let list = api
        .ok("GET", "/api/v1/installations?limit=100", None)
        .await?;
    let items = list["items"].as_array().cloned().unwrap_or_default();
    let insts: Vec<String> = items
        .iter()
        .filter_map(|i| i["id"].as_str().map(str::to_string))
        .collect();
    // Each job on its own piece of equipment: two jobs on the same equipment
    // at the same time would be cross-work (GB 30871-2022 4.7).
    let equipment = api.ok("GET", "/api/v1/equipment?limit=1000", None).await?;
    let mut free: Vec<(String, String)> = equipment["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| {
                    Some((
                        e["installation_id"].as_str()?.to_string(),
                        e["id"].as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut take_equipment = |inst: &str| -> Option<String> {
        let k = free.iter().position(|(i, _)| i == inst)?;
        Some(free.remove(k).1)
    };
    let origin = |k: usize| -> Option<(f64, f64)> {
        let i = items.get(k)?;
        Some((i["latitude"].as_f64()?, i["longitude"].as_f64()?))
    };
    if insts.is_empty() {
        return Ok(0);
    }
    let now = weihua_store::now_ms();
    let mut made = 0;
    for (k, (inst, spec)) in day(&insts).into_iter().take(limit).enumerate() {
        // Each job at its own spot, 35–100 m from the installation's point and
        // from each other, so they are not cross-work (GB 30871-2022 4.7).
        let coordinates = origin(inst).map(|(lat, lon)| {
            let a = k as f64 * 2.4;
            let r = 35.0 + 7.0 * k as f64;
            json!({"lat": lat + r * a.cos() / 111_320.0, "lon": lon + r * a.sin() / (111_320.0 * lat.to_radians().cos())})
        });
        let kind = kind_of(&spec.work);
        let kind_name = spec.work["kind"].as_str().unwrap_or("").to_string();
        let measures: Vec<Value> = g::checklist(kind)
            .iter()
            .filter(|i| i.requirement != g::Requirement::OtherMeasures)
            .map(|i| json!({"no": i.no, "applicable": true, "confirmed_by": "王立明"}))
            .collect();
        let permit = json!({
            "work": spec.work,
            "content": spec.content,
            "location": {"installation_id": insts[inst], "equipment_id": take_equipment(&insts[inst]), "place": spec.place, "coordinates": coordinates},
            "planned": {"start_ms": now + spec.from_min * MIN, "end_ms": now + spec.to_min * MIN},
            "workers": workers(&kind_name, now),
            "measures": measures,
            "continuous_monitoring": true,
        });
        let v = api
            .ok(
                "POST",
                "/api/v1/permits",
                Some(json!({"permit": permit, "contractor": spec.contractor})),
            )
            .await?;
        made += 1;
        let id = v["id"].as_str().context("permit id")?.to_string();
        let doc: Permit = serde_json::from_value(v["doc"].clone())?;
        let stage = spec.stage;
        if stage == Stage::Draft {
            continue;
        }
        if stage == Stage::Cancelled {
            act(api, &id, json!({"action": "cancel"})).await?;
            continue;
        }
        // A closed permit: its (past) window is too old for gas tests, and it
        // needs none (road closure): straight through.
        let facts = Facts::at(now);
        let level = g::effective_level(&doc, &facts);
        let needs_gas = g::gas_regime(&doc, level).is_some();
        if needs_gas {
            act(api, &id, json!({"action": "submit_for_gas_analysis"})).await?;
            if stage == Stage::GasAnalysis {
                continue;
            }
            api.ok(
                "POST",
                &format!("/api/v1/permits/{id}/gas-tests"),
                Some(json!({
                    "taken_at_ms": now - 5 * MIN, "substance": "甲烷", "lel_pct_vol": 5.0,
                    "measured_pct_vol": 0.05, "oxygen_pct_vol": 20.8, "analyst": "化验室 刘敏"
                })),
            )
            .await?;
        }
        act(api, &id, json!({"action": "submit_for_approval"})).await?;
        let chain = g::sign_off_chain(kind, level);
        let sign = if stage == Stage::Approving {
            chain.len().saturating_sub(1).max(1)
        } else {
            chain.len()
        };
        for s in chain.iter().take(sign) {
            act(
                api,
                &id,
                json!({"action": "approve", "step": s.step, "role": s.role, "on_site": true}),
            )
            .await?;
        }
        if stage <= Stage::Approved {
            continue;
        }
        act(api, &id, json!({"action": "report_to_regulator"})).await?;
        if stage == Stage::Reported {
            continue;
        }
        if stage == Stage::Closed {
            // Road closure earlier today: done, accepted, closed.
            let (status, _) = api
                .request(
                    "POST",
                    &format!("/api/v1/permits/{id}/actions"),
                    Some(json!({"action": "start"})),
                )
                .await?;
            if status == 200 {
                for a in ["complete", "accept", "close"] {
                    act(api, &id, json!({"action": a})).await?;
                }
            }
            continue;
        }
        act(
            api,
            &id,
            json!({"action": "start", "ticket_checked_by": "当班班长 孙伟"}),
        )
        .await?;
        if stage == Stage::Suspended {
            act(api, &id, json!({"action": "suspend"})).await?;
        }
    }
    Ok(made)
}

/// The demo's permits: a full day at e1 (江海氯碱) and a smaller one at e2.
pub async fn seed(router: &Router, creds: &weihua_demo::DemoCredentials) -> Result<usize> {
    let mut n = seed_enterprise(&Api::login(router, creds, "e1.safety").await?, usize::MAX).await?;
    n += seed_enterprise(&Api::login(router, creds, "e2.safety").await?, 4).await?;
    Ok(n)
}
