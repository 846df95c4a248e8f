//! 重大危险源辨识分级 — GB 18218-2018 assessments of stored installations.
//!
//! Whenever an inventory line or the population within 500 m changes, the
//! installation is re-assessed inside the same transaction: its units and
//! inventories become the engine's input, the pure engine
//! (`weihua-standards`) computes S, R and the grade, and the result is kept on
//! the installation and — when the input changed — appended to its history
//! with the exact input, output and table version.
//!
//! The installation's grade is the most severe grade among its units
//! (assumed: GB 18218 grades units; an installation registered with several
//! units is shown at its worst unit).

use crate::audit::Change;
use crate::scope::filter_enterprise;
use crate::sql::{Sql, Val};
use crate::{Page, Paging, Result, Store, StoreError, WriteTx, new_id, now_ms};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;
use weihua_core::{Scope, UnitKind};
use weihua_standards::{AssessmentInput, Quantity, SubstanceInput, UnitInput};

/// One stored assessment of an installation (an entry of its grade history).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstallationAssessment {
    pub id: String,
    pub installation_id: String,
    pub enterprise_id: String,
    pub computed_at: i64,
    /// What triggered it (`inventory`, `population`, `reassess` …).
    pub reason: String,
    /// 标准版本 — e.g. `GB 18218-2018`.
    pub table_version: String,
    pub is_major_hazard: Option<bool>,
    pub grade: Option<i64>,
    pub r_value: Option<f64>,
    pub error_zh: Option<String>,
    pub error_en: Option<String>,
    /// The engine input, exactly as assessed (plus the substances left out and why).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub input: serde_json::Value,
    /// The engine output (S, R, grade, per-substance Q and β with their sources).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub output: Option<serde_json::Value>,
}

/// What the engine is given for one installation, plus what was left out.
#[derive(Debug, Serialize)]
struct StoredInput {
    assessment: AssessmentInput,
    /// Chemicals declared outside GB 18218 (not counted), per unit.
    excluded: Vec<serde_json::Value>,
}

fn decode(r: &AnyRow) -> Result<InstallationAssessment> {
    let input: String = r.try_get("input_json")?;
    let output: Option<String> = r.try_get("output_json")?;
    let json = |s: &str| {
        serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("assessment json: {e}")))
    };
    Ok(InstallationAssessment {
        id: r.try_get("id")?,
        installation_id: r.try_get("installation_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        computed_at: r.try_get("computed_at")?,
        reason: r.try_get("reason")?,
        table_version: r.try_get("table_version")?,
        is_major_hazard: r
            .try_get::<Option<i64>, _>("is_major_hazard")?
            .map(|v| v != 0),
        grade: r.try_get("grade")?,
        r_value: r.try_get("r_value")?,
        error_zh: r.try_get("error_zh")?,
        error_en: r.try_get("error_en")?,
        input: json(&input)?,
        output: output.as_deref().map(json).transpose()?,
    })
}

const COLS: &str = "id, installation_id, enterprise_id, computed_at, reason, table_version, is_major_hazard, grade, r_value, error_zh, error_en, input_json, output_json";

impl Store {
    /// Re-assess one installation inside `tx` (no scope check: callers have
    /// already reached the installation through the actor's scope).
    pub(crate) async fn reassess_installation(
        &self,
        tx: &mut WriteTx,
        installation_id: &str,
        reason: &str,
    ) -> Result<()> {
        let mut q = Sql::new(
            "SELECT enterprise_id, people_within_500m, grade, is_major_hazard FROM installations WHERE id = ",
        );
        q.bind(installation_id);
        let Some(row) = q.query().fetch_optional(&mut *tx.tx).await? else {
            return Err(StoreError::NotFound {
                entity: "installation",
            });
        };
        let enterprise_id: String = row.try_get("enterprise_id")?;
        let people: i64 = row.try_get("people_within_500m")?;
        let old_grade: Option<i64> = row.try_get("grade")?;
        let old_major: Option<i64> = row.try_get("is_major_hazard")?;

        let mut q = Sql::new(
            "SELECT u.name AS unit_name, u.kind AS unit_kind, c.name_zh, c.cas, c.table1_no, c.hazard_categories, c.gb18218_excluded, i.design_max_quantity_t \
             FROM units u JOIN inventories i ON i.unit_id = u.id JOIN chemicals c ON c.id = i.chemical_id WHERE u.installation_id = ",
        );
        q.bind(installation_id).push(" ORDER BY u.name, c.name_zh");
        let rows = q.query().fetch_all(&mut *tx.tx).await?;
        let mut units: BTreeMap<String, UnitInput> = BTreeMap::new();
        let mut excluded = Vec::new();
        for r in &rows {
            let unit_name: String = r.try_get("unit_name")?;
            let kind: String = r.try_get("unit_kind")?;
            let name: String = r.try_get("name_zh")?;
            if r.try_get::<i64, _>("gb18218_excluded")? != 0 {
                excluded.push(serde_json::json!({"unit": unit_name, "chemical": name}));
                continue;
            }
            let categories: String = r.try_get("hazard_categories")?;
            let table1_no: Option<i64> = r.try_get("table1_no")?;
            let quantity: f64 = r.try_get("design_max_quantity_t")?;
            // A stored kind that does not parse is corruption, not a storage unit.
            let kind = UnitKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("unit kind {kind}")))?;
            let unit = units.entry(unit_name.clone()).or_insert_with(|| UnitInput {
                id: unit_name.clone(),
                kind,
                people_within_500m: Some(people.max(0) as u64),
                substances: Vec::new(),
            });
            unit.substances.push(SubstanceInput {
                name: Some(name),
                cas: r.try_get("cas")?,
                table1_no: table1_no.and_then(|n| u32::try_from(n).ok()),
                categories: serde_json::from_str(&categories)
                    .map_err(|e| StoreError::Corrupt(format!("hazard_categories: {e}")))?,
                not_in_table1: false,
                quantity_t: Quantity::from_f64(quantity),
            });
        }
        let input = StoredInput {
            assessment: AssessmentInput {
                units: units.into_values().collect(),
                options: Default::default(),
            },
            excluded,
        };
        let input_json = serde_json::to_value(&input).unwrap_or_default();
        let (major, grade, r_value, err, output) = if input.assessment.units.is_empty() {
            (Some(false), None, None, None, None)
        } else {
            match weihua_standards::assess(&input.assessment) {
                Ok(out) => {
                    let major = out.units.iter().any(|u| u.is_major_hazard);
                    let grade = out
                        .units
                        .iter()
                        .filter_map(|u| u.grade)
                        .min()
                        .map(|g| g.as_number());
                    let r = out
                        .units
                        .iter()
                        .filter_map(|u| u.r)
                        .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r))));
                    (Some(major), grade, r, None, serde_json::to_value(&out).ok())
                }
                Err(e) => (None, None, None, Some((e.message_zh, e.message_en)), None),
            }
        };
        // A new history entry only when the input differs from the latest one.
        let mut last =
            Sql::new("SELECT input_json FROM installation_assessments WHERE installation_id = ");
        last.bind(installation_id)
            .push(" ORDER BY computed_at DESC, id DESC LIMIT 1");
        let last_input: Option<String> = last.scalar().fetch_optional(&mut *tx.tx).await?;
        let unchanged = last_input
            .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
            .is_some_and(|v| v == input_json);
        let now = now_ms();
        if !unchanged {
            Sql::insert(
                "installation_assessments",
                COLS,
                vec![
                    Val::from(new_id()),
                    Val::from(installation_id),
                    Val::from(&enterprise_id),
                    Val::from(now),
                    Val::from(reason),
                    Val::from(weihua_standards::TABLE_VERSION),
                    Val::from(major.map(i64::from)),
                    Val::from(grade),
                    Val::from(r_value),
                    Val::from(err.as_ref().map(|e| e.0.clone())),
                    Val::from(err.as_ref().map(|e| e.1.clone())),
                    Val::from(input_json.to_string()),
                    Val::from(output.as_ref().map(|o| o.to_string())),
                ],
            )
            .query()
            .execute(&mut *tx.tx)
            .await?;
        }
        let error_text = err.as_ref().map(|(zh, en)| format!("{zh} / {en}"));
        let mut u = Sql::new("UPDATE installations SET grade = ");
        u.bind(grade)
            .push(", is_major_hazard = ")
            .bind(major.map(i64::from))
            .push(", r_value = ")
            .bind(r_value)
            .push(", assessed_at = ")
            .bind(now)
            .push(", assessment_error = ")
            .bind(error_text.clone())
            .push(" WHERE id = ")
            .bind(installation_id);
        u.query().execute(&mut *tx.tx).await?;
        if old_grade != grade || old_major != major.map(i64::from) {
            tx.audit(Change {
                action: "assess",
                entity_type: "installation",
                entity_id: installation_id,
                enterprise_id: Some(&enterprise_id),
                region_code: None,
                before: Some(serde_json::json!({"grade": old_grade, "is_major_hazard": old_major.map(|v| v != 0)})),
                after: Some(serde_json::json!({"grade": grade, "is_major_hazard": major, "R": r_value, "error": error_text, "reason": reason, "table_version": weihua_standards::TABLE_VERSION})),
            })
            .await?;
        }
        Ok(())
    }

    /// Re-assess every installation visible to the actor (after a table or
    /// catalogue change). Returns how many were assessed.
    pub async fn reassess_all(&self, tx: &mut WriteTx) -> Result<usize> {
        let mut q = Sql::new("SELECT id FROM installations WHERE 1=1");
        filter_enterprise(&mut q, &tx.actor.scope, "enterprise_id");
        let rows = q.query().fetch_all(&mut *tx.tx).await?;
        let ids: Vec<String> = rows
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<std::result::Result<_, _>>()?;
        for id in &ids {
            self.reassess_installation(tx, id, "reassess").await?;
        }
        Ok(ids.len())
    }

    /// The grade history of an installation visible in `scope`, newest first.
    pub async fn list_assessments(
        &self,
        scope: &Scope,
        installation_id: &str,
        paging: Paging,
    ) -> Result<Page<InstallationAssessment>> {
        // Not found (rather than an empty list) for an installation outside the scope.
        self.get_installation(scope, installation_id).await?;
        let mut s = Sql::new(" FROM installation_assessments WHERE installation_id = ");
        s.bind(installation_id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        let total: i64 = s
            .with_prefix("SELECT COUNT(*)")
            .scalar()
            .fetch_one(self.pool())
            .await?;
        let mut list = s.with_prefix(&format!("SELECT {COLS}"));
        list.push(" ORDER BY computed_at DESC, id DESC LIMIT ")
            .bind(paging.limit)
            .push(" OFFSET ")
            .bind(paging.offset);
        let rows = list.query().fetch_all(self.pool()).await?;
        let items = rows.iter().map(decode).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, total })
    }
}
