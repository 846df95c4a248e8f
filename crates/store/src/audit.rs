//! 审计日志 — the append-only, hash-chained audit log.
//!
//! Each entry's `hash` is SHA-256 over its fields and the previous entry's
//! hash, so editing, deleting or reordering any stored entry breaks the chain
//! from that entry on. [`Store::verify_audit`] walks the chain and reports the
//! first broken entry.

use crate::sql::Sql;
use crate::{Page, Paging, Result, Store, StoreError, WriteTx, now_ms, scope};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use weihua_core::Scope;

/// One audit entry as stored.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    pub ts: i64,
    pub actor: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub enterprise_id: Option<String>,
    pub region_code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
    pub prev_hash: String,
    pub hash: String,
}

/// What the chain verification found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AuditVerdict {
    /// Every entry checks out.
    Ok { entries: i64, head: String },
    /// The first entry whose stored hash or link does not match.
    Broken { seq: i64, reason: String },
}

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    seq: i64,
    ts: i64,
    actor: &str,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    enterprise_id: Option<&str>,
    region_code: Option<&str>,
    before: Option<&str>,
    after: Option<&str>,
    prev_hash: &str,
) -> String {
    let mut h = Sha256::new();
    // Length-prefix every field so that no two different entries serialise alike.
    let mut field = |s: Option<&str>| match s {
        None => h.update(b"N"),
        Some(s) => {
            h.update(b"S");
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        }
    };
    field(Some(&seq.to_string()));
    field(Some(&ts.to_string()));
    field(Some(actor));
    field(Some(action));
    field(Some(entity_type));
    field(Some(entity_id));
    field(enterprise_id);
    field(region_code);
    field(before);
    field(after);
    field(Some(prev_hash));
    hex::encode(h.finalize())
}

/// A change to record.
pub struct Change<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub enterprise_id: Option<&'a str>,
    pub region_code: Option<&'a str>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl WriteTx {
    /// Append a change to the audit chain inside this transaction.
    pub async fn audit(&mut self, change: Change<'_>) -> Result<i64> {
        let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut *self.tx)
            .await?;
        let prev_seq: i64 = row.try_get("seq")?;
        let prev_hash: String = row.try_get("hash")?;
        let seq = prev_seq + 1;
        let ts = now_ms();
        let actor = self.actor.username.clone();
        // Record the enterprise's region so regulators can read its changes.
        let region_code: Option<String> = match (change.region_code, change.enterprise_id) {
            (Some(r), _) => Some(r.to_string()),
            (None, Some(e)) => {
                let mut q = Sql::new("SELECT region_code FROM enterprises WHERE id = ");
                q.bind(e);
                q.scalar::<String>().fetch_optional(&mut *self.tx).await?
            }
            (None, None) => None,
        };
        let before = change.before.map(|v| v.to_string());
        let after = change.after.map(|v| v.to_string());
        let hash = entry_hash(
            seq,
            ts,
            &actor,
            change.action,
            change.entity_type,
            change.entity_id,
            change.enterprise_id,
            region_code.as_deref(),
            before.as_deref(),
            after.as_deref(),
            &prev_hash,
        );
        let mut q = Sql::new(
            "INSERT INTO audit_log (seq, ts, actor, action, entity_type, entity_id, enterprise_id, region_code, before_json, after_json, prev_hash, hash) VALUES (",
        );
        q.bind(seq)
            .push(", ")
            .bind(ts)
            .push(", ")
            .bind(actor)
            .push(", ")
            .bind(change.action)
            .push(", ")
            .bind(change.entity_type)
            .push(", ")
            .bind(change.entity_id)
            .push(", ")
            .bind(change.enterprise_id)
            .push(", ")
            .bind(region_code)
            .push(", ")
            .bind(before)
            .push(", ")
            .bind(after)
            .push(", ")
            .bind(prev_hash)
            .push(", ")
            .bind(hash.clone())
            .push(")");
        q.query().execute(&mut *self.tx).await?;
        let mut u = Sql::new("UPDATE audit_head SET seq = ");
        u.bind(seq)
            .push(", hash = ")
            .bind(hash)
            .push(" WHERE id = 1");
        u.query().execute(&mut *self.tx).await?;
        Ok(seq)
    }
}

fn decode_entry(row: &sqlx::any::AnyRow) -> Result<AuditEntry> {
    let json = |s: Option<String>| -> Result<Option<serde_json::Value>> {
        s.map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("audit json: {e}")))
    };
    Ok(AuditEntry {
        seq: row.try_get("seq")?,
        ts: row.try_get("ts")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        entity_type: row.try_get("entity_type")?,
        entity_id: row.try_get("entity_id")?,
        enterprise_id: row.try_get("enterprise_id")?,
        region_code: row.try_get("region_code")?,
        before: json(row.try_get("before_json")?)?,
        after: json(row.try_get("after_json")?)?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

impl Store {
    /// Walk the whole chain in order and report the first broken entry.
    pub async fn verify_audit(&self) -> Result<AuditVerdict> {
        const BATCH: i64 = 1000;
        let mut expected_prev =
            "0000000000000000000000000000000000000000000000000000000000000000".to_string();
        let mut expected_seq = 1i64;
        loop {
            let mut q = Sql::new(
                "SELECT seq, ts, actor, action, entity_type, entity_id, enterprise_id, region_code, before_json, after_json, prev_hash, hash FROM audit_log WHERE seq >= ",
            );
            q.bind(expected_seq)
                .push(" ORDER BY seq LIMIT ")
                .bind(BATCH);
            let rows = q.query().fetch_all(self.pool()).await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let seq: i64 = row.try_get("seq")?;
                if seq != expected_seq {
                    return Ok(AuditVerdict::Broken {
                        seq: expected_seq,
                        reason: format!("entry {expected_seq} is missing (next is {seq})"),
                    });
                }
                let before: Option<String> = row.try_get("before_json")?;
                let after: Option<String> = row.try_get("after_json")?;
                let enterprise_id: Option<String> = row.try_get("enterprise_id")?;
                let region_code: Option<String> = row.try_get("region_code")?;
                let prev_hash: String = row.try_get("prev_hash")?;
                let stored: String = row.try_get("hash")?;
                if prev_hash != expected_prev {
                    return Ok(AuditVerdict::Broken {
                        seq,
                        reason: "prev_hash does not match the previous entry".into(),
                    });
                }
                let actor: String = row.try_get("actor")?;
                let action: String = row.try_get("action")?;
                let entity_type: String = row.try_get("entity_type")?;
                let entity_id: String = row.try_get("entity_id")?;
                let computed = entry_hash(
                    seq,
                    row.try_get("ts")?,
                    &actor,
                    &action,
                    &entity_type,
                    &entity_id,
                    enterprise_id.as_deref(),
                    region_code.as_deref(),
                    before.as_deref(),
                    after.as_deref(),
                    &prev_hash,
                );
                if computed != stored {
                    return Ok(AuditVerdict::Broken {
                        seq,
                        reason: "content does not match its hash".into(),
                    });
                }
                expected_prev = stored;
                expected_seq += 1;
            }
        }
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(self.pool())
            .await?;
        let head_seq: i64 = head.try_get("seq")?;
        let head_hash: String = head.try_get("hash")?;
        if head_seq != expected_seq - 1 || head_hash != expected_prev {
            return Ok(AuditVerdict::Broken {
                seq: expected_seq,
                reason: format!(
                    "chain ends at entry {} but the head records entry {head_seq}: entries were removed from the end",
                    expected_seq - 1
                ),
            });
        }
        Ok(AuditVerdict::Ok {
            entries: expected_seq - 1,
            head: expected_prev,
        })
    }

    /// Audit entries visible in `scope`, newest first. Entries about regions and
    /// parks (no enterprise) are visible to regulators whose region holds them.
    pub async fn list_audit(
        &self,
        scope: &Scope,
        entity_id: Option<&str>,
        paging: Paging,
    ) -> Result<Page<AuditEntry>> {
        let mut cond = Sql::new(" WHERE 1=1");
        match scope {
            Scope::National => {}
            Scope::Region(code) => {
                cond.push(" AND (region_code LIKE ")
                    .bind(format!("{}%", code.prefix()))
                    .push(")");
            }
            _ => {
                cond.push(" AND enterprise_id IS NOT NULL");
                scope::filter_enterprise(&mut cond, scope, "enterprise_id");
            }
        }
        if let Some(id) = entity_id {
            cond.push(" AND entity_id = ").bind(id);
        }
        let count = cond.with_prefix("SELECT COUNT(*) FROM audit_log");
        let mut list = cond.with_prefix(
            "SELECT seq, ts, actor, action, entity_type, entity_id, enterprise_id, region_code, before_json, after_json, prev_hash, hash FROM audit_log",
        );
        let total: i64 = count.scalar().fetch_one(self.pool()).await?;
        list.push(" ORDER BY seq DESC LIMIT ")
            .bind(paging.limit)
            .push(" OFFSET ")
            .bind(paging.offset);
        let rows = list.query().fetch_all(self.pool()).await?;
        let items = rows.iter().map(decode_entry).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, total })
    }
}
