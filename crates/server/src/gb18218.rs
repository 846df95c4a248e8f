//! GB 18218-2018 endpoints: the engine on posted data, the grade history of a
//! stored installation, and the printable identification and grading report.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use weihua_core::Action;
use weihua_standards::{AssessmentInput, AssessmentOutput};
use weihua_store::gb18218::InstallationAssessment;
use weihua_store::registry::ListFilter;
use weihua_store::{Page, Paging};

/// 重大危险源辨识分级 — identify and grade units (GB 18218-2018). The answer
/// explains itself: for every substance Q and where it came from, β and where
/// it came from, q/Q; for every unit S, α, R and the grade.
#[utoipa::path(post, path = "/api/v1/gb18218/assess", tag = "standards",
    request_body(content_type = "application/json", description = "{\"units\":[{\"id\",\"kind\",\"people_within_500m\",\"substances\":[{\"name\",\"cas\",\"table1_no\",\"categories\",\"quantity_t\"}]}]}"),
    responses((status = 200, description = "per unit: id, S, is_major_hazard, alpha, R, grade, substances[name, Q_t, Q_source, beta, beta_source, ratio]"),
              (status = 422, description = "a substance cannot be resolved; the error names the unit and the substance")))]
pub async fn assess(
    Auth(p): Auth,
    ApiJson(input): ApiJson<AssessmentInput>,
) -> ApiResult<Json<AssessmentOutput>> {
    p.require(Action::ReadRegistry)?;
    weihua_standards::assess(&input).map(Json).map_err(|e| {
        let details = serde_json::to_value(&e).unwrap_or_default();
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "gb18218_input",
            e.message_zh,
            e.message_en,
        )
        .with_details(details)
    })
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// 分级历史 — the GB 18218 assessments of an installation, newest first, each
/// with its exact input, output and table version.
#[utoipa::path(get, path = "/api/v1/installations/{id}/assessments", tag = "standards",
    params(("id" = String, Path), HistoryQuery),
    responses((status = 200, body = Page<InstallationAssessment>), (status = 404)))]
pub async fn installation_assessments(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> ApiResult<Json<Page<InstallationAssessment>>> {
    p.require(Action::ReadRegistry)?;
    Ok(Json(
        s.store
            .list_assessments(&p.scope(), &id, Paging::new(q.limit, q.offset))
            .await?,
    ))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn num(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) => esc(s),
        other => esc(&other.to_string()),
    }
}

fn grade_zh(g: Option<i64>) -> &'static str {
    match g {
        Some(1) => "一级",
        Some(2) => "二级",
        Some(3) => "三级",
        Some(4) => "四级",
        _ => "—",
    }
}

/// 辨识分级报告 — a printable (A4) GB 18218-2018 identification and grading
/// report of one enterprise: every installation, unit and substance with S, R,
/// grade and the table rows used.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/gb18218-report", tag = "standards",
    params(("id" = String, Path)),
    responses((status = 200, content_type = "text/html"), (status = 404)))]
pub async fn enterprise_report(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    p.require(Action::ReadRegistry)?;
    let scope = p.scope();
    let ent = s.store.get_enterprise(&scope, &id).await?;
    let filter = ListFilter {
        enterprise_id: Some(id.clone()),
        ..Default::default()
    };
    let insts = s
        .store
        .list_installations(&scope, &filter, Paging::all())
        .await?;
    let mut html = String::new();
    let _ = write!(
        html,
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>重大危险源辨识与分级报告 — {name}</title>
<style>
@page {{ size: A4; margin: 18mm 15mm; }}
body {{ font-family: "Noto Serif CJK SC","SimSun",serif; font-size: 10.5pt; color: #000; }}
h1 {{ font-size: 16pt; text-align: center; margin: 0 0 4mm; }}
h2 {{ font-size: 12.5pt; margin: 6mm 0 2mm; page-break-after: avoid; }}
table {{ width: 100%; border-collapse: collapse; margin-bottom: 3mm; page-break-inside: avoid; }}
th, td {{ border: 0.6pt solid #333; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }}
th {{ background: #eee; }}
.meta td {{ border: none; padding: 0.6mm 0; }}
.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.src {{ font-size: 8.5pt; color: #333; }}
.err {{ color: #b00; }}
footer {{ margin-top: 8mm; font-size: 8.5pt; color: #333; }}
</style></head><body>
<h1>危险化学品重大危险源辨识与分级报告</h1>
<table class="meta"><tr><td>企业名称：{name}</td><td>统一社会信用代码：{code}</td></tr>
<tr><td>依据：GB 18218-2018《危险化学品重大危险源辨识》</td><td>重大危险源数：{n}</td></tr></table>
"#,
        name = esc(&ent.name),
        code = esc(&ent.credit_code),
        n = insts.total
    );
    for inst in &insts.items {
        let _ = write!(
            html,
            "<h2>{} {}</h2><table class=\"meta\"><tr><td>500米内常住人口：{} 人</td><td>是否构成重大危险源：{}</td><td>级别：{}</td><td>R：{}</td></tr></table>",
            esc(&inst.code),
            esc(&inst.name),
            inst.people_within_500m,
            match inst.is_major_hazard {
                Some(true) => "是",
                Some(false) => "否",
                None => "未能辨识",
            },
            grade_zh(inst.grade),
            inst.r_value
                .map(|r| r.to_string())
                .unwrap_or_else(|| "—".into())
        );
        if let Some(err) = &inst.assessment_error {
            let _ = write!(html, "<p class=\"err\">无法辨识：{}</p>", esc(err));
        }
        let history = s
            .store
            .list_assessments(&scope, &inst.id, Paging::new(Some(1), None))
            .await?;
        let Some(out) = history.items.first().and_then(|a| a.output.clone()) else {
            continue;
        };
        for unit in out["units"].as_array().into_iter().flatten() {
            let _ = write!(
                html,
                "<table><thead><tr><th colspan=\"7\">单元：{}（{}） S = {} {} α = {} R = {} 级别：{}</th></tr>\
                 <tr><th>物质</th><th>q（t）</th><th>临界量Q（t）</th><th>Q的依据</th><th>β</th><th>β的依据</th><th class=\"num\">q/Q</th></tr></thead><tbody>",
                esc(unit["id"].as_str().unwrap_or("")),
                if unit["kind"] == "production" {
                    "生产单元"
                } else {
                    "储存单元"
                },
                num(&unit["S"]),
                if unit["is_major_hazard"] == true {
                    "≥ 1，构成重大危险源"
                } else {
                    "< 1，不构成重大危险源"
                },
                num(&unit["alpha"]),
                num(&unit["R"]),
                grade_zh(unit["grade"].as_i64()),
            );
            for sub in unit["substances"].as_array().into_iter().flatten() {
                let _ = write!(
                    html,
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"src\">{}</td><td class=\"num\">{}</td><td class=\"src\">{}</td><td class=\"num\">{}</td></tr>",
                    esc(sub["name"].as_str().unwrap_or("")),
                    num(&sub["quantity_t"]),
                    num(&sub["Q_t"]),
                    num(&sub["Q_source"]),
                    num(&sub["beta"]),
                    num(&sub["beta_source"]),
                    num(&sub["ratio"]),
                );
            }
            html.push_str("</tbody></table>");
        }
    }
    let _ = write!(
        html,
        "<footer>计算：S = Σ q/Q（≥ 1 构成重大危险源）；R = α · Σ β·q/Q；一级 R ≥ 100，二级 50 ≤ R < 100，三级 10 ≤ R < 50，四级 R < 10。数值截断至6位小数，判定以精确值为准。由 weihua 生成。</footer></body></html>"
    );
    Ok(([(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}
