//! The demo's dual prevention: a risk register for the plants of 江海氯碱
//! and 江海氮肥, a month of inspection history (most windows checked, some
//! missed), and hidden dangers in every state of the loop, one of them
//! major and under the county's supervision. Everything goes through the
//! real API, so the rules judge every step.

use anyhow::{Context, Result};
use axum::Router;
use serde_json::{Value, json};

use crate::demo_api::Api;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// Add a node to the risk register.
async fn node(api: &Api, body: Value) -> Result<Value> {
    api.ok("POST", "/api/v1/risk-register", Some(body)).await
}

/// One step of a hidden danger.
async fn step(api: &Api, id: &str, action: Value) -> Result<Value> {
    api.ok(
        "POST",
        &format!("/api/v1/hidden-dangers/{id}/actions"),
        Some(action),
    )
    .await
}

/// A deterministic "coin": whether window `k` of task `salt` was skipped.
fn skipped(salt: u64, k: i64, per_mille: u64) -> bool {
    let mut x = salt ^ (k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x % 1000 < per_mille
}

/// Register, month of checks and dangers for one enterprise (through its safety manager).
async fn seed_enterprise(
    api: &Api,
    operator: &Api,
    now: i64,
    full: bool,
) -> Result<(usize, Vec<String>)> {
    let insts = api
        .ok("GET", "/api/v1/installations?limit=100", None)
        .await?;
    let insts = insts["items"].as_array().cloned().unwrap_or_default();
    let points = api.ok("GET", "/api/v1/points?limit=1000", None).await?;
    let points = points["items"].as_array().cloned().unwrap_or_default();
    let mut records = 0usize;
    let mut measures = Vec::new();
    // (L, S) per installation: 重大, 较大, 一般 — the first is checked every 2 h.
    let grades = [(4, 5), (3, 5), (3, 3)];
    for (k, inst) in insts.iter().take(if full { 3 } else { 2 }).enumerate() {
        let iid = inst["id"].as_str().context("installation id")?;
        let code = inst["code"].as_str().unwrap_or("MHI");
        let name = inst["name"].as_str().unwrap_or("装置");
        let obj = node(
            api,
            json!({"kind": "object", "code": code, "installation_id": iid, "name": name}),
        )
        .await?;
        let (l, s) = grades[k % grades.len()];
        let unit = node(
            api,
            json!({
                "kind": "unit", "parent_id": obj["id"], "name": format!("{name}储存单元"),
                "responsible_department": "生产技术部", "responsible_person": "沈建国",
                "assessment": {"method": "matrix", "likelihood": l, "severity": s}
            }),
        )
        .await?;
        let event = node(api, json!({"kind": "event", "parent_id": unit["id"], "name": "储罐或管线泄漏引发中毒、火灾"}))
            .await?;
        // An automated-monitoring measure on the installation's gas detectors.
        let tags: Vec<String> = points
            .iter()
            .filter(|p| p["installation_id"] == inst["id"])
            .filter(|p| matches!(p["indicator"].as_str(), Some("flammable_gas" | "toxic_gas")))
            .filter_map(|p| p["tag"].as_str().map(str::to_string))
            .take(4)
            .collect();
        if !tags.is_empty() {
            let m = node(api, json!({
                    "kind": "measure", "parent_id": event["id"], "name": "可燃/有毒气体检测报警",
                    "data_src": "automated_monitoring", "classify1": "engineering", "classify2": "1-4",
                    "point_tags": tags
                }))
                .await?;
            measures.push(m["id"].as_str().unwrap_or("").to_string());
        }
        // (cycle, checks per window, content, post, class, window length, skipped ‰)
        let specs = [
            (
                k == 0,
                json!({"value": 2, "unit": "hour"}),
                1,
                "外操岗位巡检：液位计、根部阀、法兰、机泵有无泄漏",
                "外操",
                "maintenance",
                2 * HOUR,
                60,
            ),
            (
                true,
                json!({"value": 1, "unit": "day"}),
                2,
                "工艺、设备专业检查（每日不少于两次）",
                "工艺/设备工程师",
                "engineering",
                DAY,
                30,
            ),
            (
                true,
                json!({"value": 1, "unit": "week"}),
                1,
                "车间结合班组安全活动检查",
                "车间主任",
                "operating_behaviour",
                7 * DAY,
                0,
            ),
            (
                true,
                json!({"value": 1, "unit": "month"}),
                1,
                "厂级岗位责任制检查",
                "安全环保部",
                "operating_behaviour",
                30 * DAY,
                0,
            ),
        ];
        for (i, (on, cycle, count, content, post, class, step, skip)) in
            specs.into_iter().enumerate()
        {
            if !on {
                continue;
            }
            let m = node(api, json!({
                    "kind": "measure", "parent_id": event["id"], "name": content,
                    "data_src": "inspection", "classify1": class, "troubleshoot_content": content,
                    "task": {"cycle": cycle, "required_count": count, "post": post, "assignee": post}
                }))
                .await?;
            let task = m["task"]["id"].as_str().context("task id")?.to_string();
            let salt = (k * 10 + i) as u64 * 7919 + 17;
            // A month of history: every past window checked (twice a day where
            // asked), a few skipped (they show as 未排查), the current one open.
            // 2-hour and daily windows start at local (UTC+8) boundaries.
            let aligned = |t: i64| (t + 8 * HOUR).div_euclid(step) * step - 8 * HOUR;
            let offsets: Vec<i64> = match step {
                s if s == 2 * HOUR => vec![40 * 60_000],
                s if s == DAY => vec![9 * HOUR + 30 * 60_000, 15 * HOUR + 30 * 60_000],
                _ => vec![0],
            };
            let mut w = 1i64;
            while w * step <= 29 * DAY {
                let start = if step <= DAY {
                    aligned(now) - w * step
                } else {
                    now - w * step
                };
                if !skipped(salt, w, skip) {
                    for off in &offsets {
                        let t = start + off;
                        if t < now - 30 * DAY || t >= now {
                            continue;
                        }
                        operator
                            .ok(
                                "POST",
                                &format!("/api/v1/inspection-tasks/{task}/records"),
                                Some(json!({"check_status": "normal", "check_time_ms": t, "note": "正常"})),
                            )
                            .await?;
                        records += 1;
                    }
                }
                w += 1;
            }
        }
    }
    Ok((records, measures))
}

/// A danger reported through the API; returns its id.
async fn report(
    api: &Api,
    name: &str,
    desc: &str,
    danger_type: &str,
    source: &str,
) -> Result<String> {
    let v = api
        .ok(
            "POST",
            "/api/v1/hidden-dangers",
            Some(json!({"danger": {"name": name, "description": desc, "source": source, "danger_type": danger_type}})),
        )
        .await?;
    Ok(v["id"].as_str().context("danger id")?.to_string())
}

fn plan(owner: &str, funds: f64, measures: &str, deadline: i64) -> Value {
    json!({"action": "plan", "plan": {"owner": owner, "funds_yuan": funds, "measures": measures, "deadline_ms": deadline}})
}

/// Hidden dangers of 江海氯碱 in every state of the loop, and a major one under supervision.
async fn seed_dangers(safety: &Api, admin: &Api, county: &Api, now: i64) -> Result<usize> {
    let grade = |level: &str, manage: &str| json!({"action": "grade", "level": level, "manage_type": manage});
    // 已登记
    report(
        safety,
        "2# 液氯储罐液位计显示偏差",
        "现场液位计与 DCS 显示偏差约 5%",
        "instrumentation",
        "routine",
    )
    .await?;
    // 已分级
    let id = report(
        safety,
        "氯气缓冲罐安全阀铅封缺失",
        "安全阀铅封脱落，未见校验标签",
        "safety",
        "professional",
    )
    .await?;
    step(safety, &id, grade("general", "by_deadline")).await?;
    // 已制定方案
    let id = report(
        safety,
        "电解厂房应急照明不亮",
        "东侧 2 盏应急灯失效",
        "electrical",
        "routine",
    )
    .await?;
    step(safety, &id, grade("general", "by_deadline")).await?;
    step(
        safety,
        &id,
        plan("钱电工", 800.0, "更换应急灯电池及灯具", now + 5 * DAY),
    )
    .await?;
    // 整改中
    let id = report(
        safety,
        "液氯充装台静电接地夹损坏",
        "3# 充装位接地夹弹簧失效",
        "equipment",
        "routine",
    )
    .await?;
    step(safety, &id, grade("general", "by_deadline")).await?;
    step(
        safety,
        &id,
        plan("王立明", 300.0, "更换接地夹并检测接地电阻", now + 3 * DAY),
    )
    .await?;
    step(safety, &id, json!({"action": "start_rectification"})).await?;
    // 逾期: its deadline passes a few seconds after the demo starts.
    let id = report(
        safety,
        "巡检通道护栏松动",
        "液氯罐区北侧巡检通道护栏两处螺栓松动",
        "safety",
        "routine",
    )
    .await?;
    step(safety, &id, grade("general", "by_deadline")).await?;
    step(
        safety,
        &id,
        plan(
            "王立明",
            200.0,
            "紧固并更换锈蚀螺栓",
            weihua_store::now_ms() + 3_000,
        ),
    )
    .await?;
    step(safety, &id, json!({"action": "start_rectification"})).await?;
    // 待验收
    let id = report(
        safety,
        "事故氯吸收塔碱液浓度偏低",
        "化验 NaOH 12%，低于 15% 控制指标",
        "process",
        "professional",
    )
    .await?;
    step(safety, &id, grade("general", "by_deadline")).await?;
    step(
        safety,
        &id,
        plan("化验室 刘敏", 2000.0, "补加液碱并复测", now + 2 * DAY),
    )
    .await?;
    step(safety, &id, json!({"action": "start_rectification"})).await?;
    step(safety, &id, json!({"action": "submit_for_acceptance"})).await?;
    // 已验收（销号）: fixed on the spot, accepted by another person.
    let id = report(
        safety,
        "消防通道堆放杂物",
        "钢瓶库东侧消防通道堆放空托盘",
        "fire",
        "routine",
    )
    .await?;
    step(safety, &id, grade("general", "fix_on_spot")).await?;
    step(
        safety,
        &id,
        json!({"action": "fix_on_spot", "measures": "当班清理托盘，设置禁止堆放标识"}),
    )
    .await?;
    step(
        admin,
        &id,
        json!({"action": "accept", "comment": "现场复查已清理，销号"}),
    )
    .await?;
    // 已撤回 / 无效
    let id = report(
        safety,
        "氯压机房噪声偏大",
        "误报：为检修试车",
        "other",
        "routine",
    )
    .await?;
    step(
        safety,
        &id,
        json!({"action": "withdraw", "reason": "检修试车期间的正常现象"}),
    )
    .await?;
    let id = report(
        safety,
        "2# 液氯储罐液位计显示偏差（重复）",
        "与已登记隐患重复",
        "instrumentation",
        "routine",
    )
    .await?;
    step(
        admin,
        &id,
        json!({"action": "mark_invalid", "reason": "重复登记", "duplicate_of": null}),
    )
    .await?;
    // 重大隐患: reported to the county, supervised, being rectified.
    let id = report(
        safety,
        "液氯储罐区可燃/有毒气体检测报警器未与紧急切断阀联锁",
        "GB/T 50493 要求的联锁未投用，属《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准》所列情形",
        "instrumentation",
        "external_expert",
    )
    .await?;
    step(safety, &id, grade("major", "by_deadline")).await?;
    step(safety, &id, json!({"action": "report_to_regulator", "authority": "张家港市应急管理局", "reference": "江海氯碱〔2026〕安字 31 号"}))
        .await?;
    step(
        county,
        &id,
            json!({"action": "supervise", "notice_number": "张应急督〔2026〕12号", "deadline_ms": now + 25 * DAY, "authority": "张家港市应急管理局"}),
        )
        .await?;
    step(
        safety,
        &id,
        plan(
            "沈建国",
            180_000.0,
            "增设联锁逻辑并与紧急切断阀联调，第三方校验",
            now + 20 * DAY,
        ),
    )
    .await?;
    step(safety, &id, json!({"action": "start_rectification"})).await?;
    Ok(10)
}

/// Seed the demo's dual prevention data; returns (records, dangers).
pub async fn seed(router: &Router, creds: &weihua_demo::DemoCredentials) -> Result<(usize, usize)> {
    let now = weihua_store::now_ms();
    let e1 = Api::login(router, creds, "e1.safety").await?;
    let e1_op = Api::login(router, creds, "e1.operator").await?;
    let e1_admin = Api::login(router, creds, "e1.admin").await?;
    let e2 = Api::login(router, creds, "e2.safety").await?;
    let e2_op = Api::login(router, creds, "e2.operator").await?;
    let county = Api::login(router, creds, "county").await?;
    let (r1, _) = seed_enterprise(&e1, &e1_op, now, true).await?;
    let (r2, _) = seed_enterprise(&e2, &e2_op, now, false).await?;
    let d = seed_dangers(&e1, &e1_admin, &county, now).await?;
    // 江海氮肥: one danger found on a check, one rectifying.
    let id = report(
        &e2,
        "合成氨装置氨泵机封渗漏",
        "P-203 机封有氨味",
        "equipment",
        "routine",
    )
    .await?;
    step(
        &e2,
        &id,
        json!({"action": "grade", "level": "general", "manage_type": "by_deadline"}),
    )
    .await?;
    step(
        &e2,
        &id,
        plan("设备主任 陈", 5000.0, "更换机械密封", now + 4 * DAY),
    )
    .await?;
    step(&e2, &id, json!({"action": "start_rectification"})).await?;
    Ok((r1 + r2, d + 1))
}
