//! 定量风险评估 — stored quantitative risk assessments: the site input, a
//! summary for lists, and the full result. A study is immutable once stored
//! (a new run is a new study), so there is no update.

use serde::Serialize;
use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;
use weihua_core::Scope;

use crate::audit::Change;
use crate::scope::filter_enterprise;
use crate::sql::Sql;
use crate::{Result, Store, StoreError, WriteTx};

/// 定量风险评估 — one assessment as stored.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QraStudy {
    pub id: String,
    pub enterprise_id: String,
    pub installation_id: Option<String>,
    pub name: String,
    /// The site-assessment input, as submitted.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub input: Value,
    /// Headline figures (max individual risk, PLL, F-N region, timing).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub summary: Value,
    /// The full result (contours, F-N curve, distances, targets).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub result: Value,
    /// `weihua-qra` version that computed it.
    pub engine_version: String,
    pub created_by: String,
    pub created_at: i64,
}

/// A study without its input and result, for lists.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QraStudySummary {
    pub id: String,
    pub enterprise_id: String,
    pub installation_id: Option<String>,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub summary: Value,
    pub engine_version: String,
    pub created_by: String,
    pub created_at: i64,
}

const COLS: &str = "id, enterprise_id, installation_id, name, input_json, summary_json, result_json, engine_version, created_by, created_at";
const SUMMARY_COLS: &str = "id, enterprise_id, installation_id, name, summary_json, engine_version, created_by, created_at";

fn json_of(r: &AnyRow, col: &str) -> Result<Value> {
    let s: String = r.try_get(col)?;
    serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

fn decode_summary(r: &AnyRow) -> Result<QraStudySummary> {
    Ok(QraStudySummary {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        installation_id: r.try_get("installation_id")?,
        name: r.try_get("name")?,
        summary: json_of(r, "summary_json")?,
        engine_version: r.try_get("engine_version")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

impl Store {
    /// Store a computed study (audited as `qra_study.create`, with its
    /// summary; the input and result are in the row itself).
    pub async fn insert_qra_study(&self, tx: &mut WriteTx, s: &QraStudy) -> Result<()> {
        Sql::insert(
            "qra_studies",
            COLS,
            vec![
                s.id.clone().into(),
                s.enterprise_id.clone().into(),
                s.installation_id.clone().into(),
                s.name.clone().into(),
                s.input.to_string().into(),
                s.summary.to_string().into(),
                s.result.to_string().into(),
                s.engine_version.clone().into(),
                s.created_by.clone().into(),
                s.created_at.into(),
            ],
        )
        .query()
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(Change {
            action: "qra_study.create",
            entity_type: "qra_study",
            entity_id: &s.id,
            enterprise_id: Some(&s.enterprise_id),
            region_code: None,
            before: None,
            after: Some(serde_json::json!({
                "name": s.name,
                "installation_id": s.installation_id,
                "summary": s.summary,
                "engine_version": s.engine_version,
            })),
        })
        .await?;
        Ok(())
    }

    /// One study, if visible in `scope`.
    pub async fn get_qra_study(&self, scope: &Scope, id: &str) -> Result<QraStudy> {
        let mut s = Sql::new(&format!("SELECT {COLS} FROM qra_studies WHERE id = "));
        s.bind(id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        match s.query().fetch_optional(&self.pool).await? {
            Some(r) => Ok(QraStudy {
                id: r.try_get("id")?,
                enterprise_id: r.try_get("enterprise_id")?,
                installation_id: r.try_get("installation_id")?,
                name: r.try_get("name")?,
                input: json_of(&r, "input_json")?,
                summary: json_of(&r, "summary_json")?,
                result: json_of(&r, "result_json")?,
                engine_version: r.try_get("engine_version")?,
                created_by: r.try_get("created_by")?,
                created_at: r.try_get("created_at")?,
            }),
            None => Err(StoreError::NotFound {
                entity: "QRA study",
            }),
        }
    }

    /// Studies visible in `scope`, newest first, optionally of one enterprise
    /// or installation.
    pub async fn list_qra_studies(
        &self,
        scope: &Scope,
        enterprise_id: Option<&str>,
        installation_id: Option<&str>,
    ) -> Result<Vec<QraStudySummary>> {
        let mut s = Sql::new(&format!(
            "SELECT {SUMMARY_COLS} FROM qra_studies WHERE 1 = 1"
        ));
        filter_enterprise(&mut s, scope, "enterprise_id");
        if let Some(e) = enterprise_id {
            s.push(" AND enterprise_id = ").bind(e);
        }
        if let Some(i) = installation_id {
            s.push(" AND installation_id = ").bind(i);
        }
        s.push(" ORDER BY created_at DESC, id DESC");
        s.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode_summary)
            .collect()
    }
}
