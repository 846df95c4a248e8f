//! Users, browser/API sessions and gateway API tokens.
//!
//! The store keeps only hashes of secrets: argon2id password hashes (made by
//! the server) and SHA-256 hashes of session and API tokens.

use crate::audit::Change;
use crate::scope::filter_enterprise;
use crate::sql::{Sql, Val};
use crate::{Page, Paging, Result, Store, StoreError, WriteTx, map_unique, new_id, now_ms};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use weihua_core::{Role, Scope};

/// A user as shown to others (never the password hash).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    pub enterprise_id: Option<String>,
    pub disabled: bool,
    pub created_at: i64,
}

/// A user with the password hash, for login only.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    pub user: User,
    pub password_hash: String,
}

/// A new user. `password_hash` is an argon2id PHC string.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub scope: Scope,
}

/// A live session found by its token.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub session_id: String,
    pub csrf_token: String,
    pub expires_at: i64,
    pub user: User,
}

/// 接入令牌 — an API token for a gateway, scoped to one enterprise and one purpose.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: String,
    pub enterprise_id: String,
    pub purpose: String,
    pub name: String,
    pub created_by: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const USER_COLS: &str =
    "id, username, display_name, role, scope, enterprise_id, disabled, created_at";
const TOKEN_COLS: &str =
    "id, enterprise_id, purpose, name, created_by, created_at, last_used_at, revoked_at";

fn decode_user(r: &AnyRow) -> Result<User> {
    let role: String = r.try_get("role")?;
    let scope: String = r.try_get("scope")?;
    let disabled: i64 = r.try_get("disabled")?;
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: Role::parse(&role).map_err(|e| StoreError::Corrupt(e.en))?,
        scope: Scope::from_text(&scope).map_err(|e| StoreError::Corrupt(e.en))?,
        enterprise_id: r.try_get("enterprise_id")?,
        disabled: disabled != 0,
        created_at: r.try_get("created_at")?,
    })
}

fn decode_token(r: &AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        purpose: r.try_get("purpose")?,
        name: r.try_get("name")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        last_used_at: r.try_get("last_used_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

fn check_username(u: &str) -> Result<()> {
    let ok = (3..=64).contains(&u.len())
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'));
    if !ok {
        return Err(StoreError::invalid(
            "username",
            "用户名应为3至64个字母、数字或 _ - . @",
            "a username has 3 to 64 letters, digits or _ - . @",
        ));
    }
    Ok(())
}

impl Store {
    /// Whether everything `inner` can see is also visible to `outer`.
    async fn scope_contains(&self, tx: &mut WriteTx, outer: &Scope, inner: &Scope) -> Result<bool> {
        let region_of = |sql: &str, id: &str| {
            let mut q = Sql::new(sql);
            q.bind(id);
            q
        };
        Ok(match (outer, inner) {
            (Scope::National, _) => true,
            (_, Scope::National) => false,
            (Scope::Region(o), Scope::Region(i)) => o.contains(i),
            (Scope::Region(o), Scope::Park(p)) => {
                let r: Option<String> = region_of("SELECT region_code FROM parks WHERE id = ", p)
                    .scalar()
                    .fetch_optional(&mut *tx.tx)
                    .await?;
                r.is_some_and(|r| r.starts_with(o.prefix()))
            }
            (Scope::Region(o), Scope::Enterprise(e)) => {
                let r: Option<String> =
                    region_of("SELECT region_code FROM enterprises WHERE id = ", e)
                        .scalar()
                        .fetch_optional(&mut *tx.tx)
                        .await?;
                r.is_some_and(|r| r.starts_with(o.prefix()))
            }
            (Scope::Park(o), Scope::Park(i)) => o == i,
            (Scope::Park(o), Scope::Enterprise(e)) => {
                let p: Option<Option<String>> =
                    region_of("SELECT park_id FROM enterprises WHERE id = ", e)
                        .scalar()
                        .fetch_optional(&mut *tx.tx)
                        .await?;
                p.flatten().as_deref() == Some(o.as_str())
            }
            (Scope::Enterprise(o), Scope::Enterprise(i)) => o == i,
            _ => false,
        })
    }

    /// Create a user. The actor's scope must contain the new user's scope,
    /// and the scope's park or enterprise must exist.
    pub async fn create_user(&self, tx: &mut WriteTx, new: &NewUser) -> Result<User> {
        check_username(&new.username)?;
        let display_name = new.display_name.trim().to_string();
        if display_name.is_empty() || display_name.chars().count() > 100 {
            return Err(StoreError::invalid(
                "display_name",
                "姓名不能为空且不超过100字",
                "the display name must be 1 to 100 characters",
            ));
        }
        new.scope
            .check_role(new.role)
            .map_err(|e| StoreError::invalid("role", e.zh, e.en))?;
        let outer = tx.actor.scope.clone();
        if !self.scope_contains(tx, &outer, &new.scope).await? {
            return Err(StoreError::NotFound { entity: "scope" });
        }
        // The target must exist (scope_contains from National does not look).
        let exists = match &new.scope {
            Scope::National => true,
            Scope::Region(r) => {
                let mut q = Sql::new("SELECT COUNT(*) FROM regions WHERE code = ");
                q.bind(r.as_str());
                q.scalar::<i64>().fetch_one(&mut *tx.tx).await? > 0
            }
            Scope::Park(p) => {
                let mut q = Sql::new("SELECT COUNT(*) FROM parks WHERE id = ");
                q.bind(p);
                q.scalar::<i64>().fetch_one(&mut *tx.tx).await? > 0
            }
            Scope::Enterprise(e) => {
                let mut q = Sql::new("SELECT COUNT(*) FROM enterprises WHERE id = ");
                q.bind(e);
                q.scalar::<i64>().fetch_one(&mut *tx.tx).await? > 0
            }
        };
        if !exists {
            return Err(StoreError::NotFound { entity: "scope" });
        }
        let enterprise_id = match &new.scope {
            Scope::Enterprise(e) => Some(e.clone()),
            _ => None,
        };
        let now = now_ms();
        let user = User {
            id: new_id(),
            username: new.username.clone(),
            display_name,
            role: new.role,
            scope: new.scope.clone(),
            enterprise_id,
            disabled: false,
            created_at: now,
        };
        let q = Sql::insert(
            "users",
            "id, username, display_name, password_hash, role, scope, enterprise_id, disabled, created_at, updated_at",
            vec![
                Val::from(&user.id),
                Val::from(&user.username),
                Val::from(&user.display_name),
                Val::from(&new.password_hash),
                Val::from(user.role.as_str()),
                Val::from(user.scope.to_text()),
                Val::from(user.enterprise_id.clone()),
                Val::from(0i64),
                Val::from(now),
                Val::from(now),
            ],
        );
        q.query()
            .execute(&mut *tx.tx)
            .await
            .map_err(|e| map_unique(e, "username", "用户名已存在", "this username is taken"))?;
        tx.audit(Change {
            action: "create",
            entity_type: "user",
            entity_id: &user.id,
            enterprise_id: user.enterprise_id.as_deref(),
            region_code: match &user.scope {
                Scope::Region(r) => Some(r.as_str()),
                _ => None,
            },
            before: None,
            after: Some(serde_json::to_value(&user).unwrap_or_default()),
        })
        .await?;
        Ok(user)
    }

    /// Set a new password hash (argon2id) for a user visible to the actor.
    pub async fn set_password(
        &self,
        tx: &mut WriteTx,
        username: &str,
        password_hash: &str,
    ) -> Result<()> {
        let mut q = Sql::new(&format!("SELECT {USER_COLS} FROM users WHERE username = "));
        q.bind(username);
        let row = q
            .query()
            .fetch_optional(&mut *tx.tx)
            .await?
            .ok_or(StoreError::NotFound { entity: "user" })?;
        let user = decode_user(&row)?;
        let outer = tx.actor.scope.clone();
        if !self.scope_contains(tx, &outer, &user.scope).await? {
            return Err(StoreError::NotFound { entity: "user" });
        }
        let mut u = Sql::new("UPDATE users SET password_hash = ");
        u.bind(password_hash)
            .push(", updated_at = ")
            .bind(now_ms())
            .push(" WHERE id = ")
            .bind(&user.id);
        u.query().execute(&mut *tx.tx).await?;
        // Changing a password ends every session of that user.
        let mut r = Sql::new("UPDATE sessions SET revoked_at = ");
        r.bind(now_ms())
            .push(" WHERE revoked_at IS NULL AND user_id = ")
            .bind(&user.id);
        r.query().execute(&mut *tx.tx).await?;
        tx.audit(Change {
            action: "set_password",
            entity_type: "user",
            entity_id: &user.id,
            enterprise_id: user.enterprise_id.as_deref(),
            region_code: None,
            before: None,
            after: Some(serde_json::json!({"username": user.username})),
        })
        .await?;
        Ok(())
    }

    /// Credentials for login (not scoped: the user is not known yet).
    pub async fn user_credentials(&self, username: &str) -> Result<Option<UserCredentials>> {
        let mut q = Sql::new(&format!(
            "SELECT {USER_COLS}, password_hash FROM users WHERE username = "
        ));
        q.bind(username);
        let Some(row) = q.query().fetch_optional(self.pool()).await? else {
            return Ok(None);
        };
        Ok(Some(UserCredentials {
            user: decode_user(&row)?,
            password_hash: row.try_get("password_hash")?,
        }))
    }

    /// Users visible in `scope`.
    pub async fn list_users(&self, scope: &Scope, paging: Paging) -> Result<Page<User>> {
        let mut s = Sql::new(" FROM users WHERE 1=1");
        match scope {
            Scope::National => {}
            Scope::Region(r) => {
                let prefix = format!("{}%", r.prefix());
                s.push(" AND (scope LIKE ")
                    .bind(format!("region:{prefix}"))
                    .push(" OR scope IN (SELECT 'park:' || id FROM parks WHERE region_code LIKE ")
                    .bind(prefix.clone())
                    .push(
                        ") OR enterprise_id IN (SELECT id FROM enterprises WHERE region_code LIKE ",
                    )
                    .bind(prefix)
                    .push("))");
            }
            Scope::Park(p) => {
                s.push(" AND (scope = ")
                    .bind(format!("park:{p}"))
                    .push(" OR enterprise_id IN (SELECT id FROM enterprises WHERE park_id = ")
                    .bind(p)
                    .push("))");
            }
            Scope::Enterprise(e) => {
                s.push(" AND enterprise_id = ").bind(e);
            }
        }
        let total: i64 = s
            .with_prefix("SELECT COUNT(*)")
            .scalar()
            .fetch_one(self.pool())
            .await?;
        let mut list = s.with_prefix(&format!("SELECT {USER_COLS}"));
        list.push(" ORDER BY username LIMIT ")
            .bind(paging.limit)
            .push(" OFFSET ")
            .bind(paging.offset);
        let rows = list.query().fetch_all(self.pool()).await?;
        let items = rows.iter().map(decode_user).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, total })
    }

    /// Record a new session (login). Audited.
    pub async fn create_session(
        &self,
        tx: &mut WriteTx,
        user: &User,
        token_hash: &str,
        csrf_token: &str,
        expires_at: i64,
    ) -> Result<String> {
        let id = new_id();
        let q = Sql::insert(
            "sessions",
            "id, token_hash, csrf_token, user_id, created_at, expires_at",
            vec![
                Val::from(&id),
                Val::from(token_hash),
                Val::from(csrf_token),
                Val::from(&user.id),
                Val::from(now_ms()),
                Val::from(expires_at),
            ],
        );
        q.query().execute(&mut *tx.tx).await?;
        tx.audit(Change {
            action: "login",
            entity_type: "session",
            entity_id: &id,
            enterprise_id: user.enterprise_id.as_deref(),
            region_code: None,
            before: None,
            after: Some(serde_json::json!({"user": user.username, "expires_at": expires_at})),
        })
        .await?;
        Ok(id)
    }

    /// The live session for a token hash, if any (not revoked, not expired, user enabled).
    pub async fn session_by_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SessionInfo>> {
        let mut q = Sql::new(
            "SELECT s.id AS session_id, s.csrf_token, s.expires_at, u.id, u.username, u.display_name, u.role, u.scope, u.enterprise_id, u.disabled, u.created_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ",
        );
        q.bind(token_hash)
            .push(" AND s.revoked_at IS NULL AND u.disabled = 0 AND s.expires_at > ")
            .bind(now);
        let Some(row) = q.query().fetch_optional(self.pool()).await? else {
            return Ok(None);
        };
        Ok(Some(SessionInfo {
            session_id: row.try_get("session_id")?,
            csrf_token: row.try_get("csrf_token")?,
            expires_at: row.try_get("expires_at")?,
            user: decode_user(&row)?,
        }))
    }

    /// Revoke a session (logout). Audited.
    pub async fn revoke_session(&self, tx: &mut WriteTx, session_id: &str) -> Result<()> {
        let mut q = Sql::new("UPDATE sessions SET revoked_at = ");
        q.bind(now_ms())
            .push(" WHERE revoked_at IS NULL AND id = ")
            .bind(session_id);
        q.query().execute(&mut *tx.tx).await?;
        tx.audit(Change {
            action: "logout",
            entity_type: "session",
            entity_id: session_id,
            enterprise_id: None,
            region_code: None,
            before: None,
            after: None,
        })
        .await?;
        Ok(())
    }

    /// Create an API token record for an enterprise visible to the actor.
    pub async fn create_api_token(
        &self,
        tx: &mut WriteTx,
        enterprise_id: &str,
        purpose: &str,
        name: &str,
        token_hash: &str,
    ) -> Result<ApiToken> {
        let mut q = Sql::new("SELECT COUNT(*) FROM enterprises WHERE id = ");
        q.bind(enterprise_id);
        filter_enterprise(&mut q, &tx.actor.scope, "id");
        if q.scalar::<i64>().fetch_one(&mut *tx.tx).await? == 0 {
            return Err(StoreError::NotFound {
                entity: "enterprise",
            });
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::invalid(
                "name",
                "名称不能为空且不超过100字",
                "the name must be 1 to 100 characters",
            ));
        }
        let t = ApiToken {
            id: new_id(),
            enterprise_id: enterprise_id.to_string(),
            purpose: purpose.to_string(),
            name: name.to_string(),
            created_by: tx.actor.username.clone(),
            created_at: now_ms(),
            last_used_at: None,
            revoked_at: None,
        };
        let q = Sql::insert(
            "api_tokens",
            "id, token_hash, enterprise_id, purpose, name, created_by, created_at",
            vec![
                Val::from(&t.id),
                Val::from(token_hash),
                Val::from(&t.enterprise_id),
                Val::from(&t.purpose),
                Val::from(&t.name),
                Val::from(&t.created_by),
                Val::from(t.created_at),
            ],
        );
        q.query().execute(&mut *tx.tx).await?;
        tx.audit(Change {
            action: "create",
            entity_type: "api_token",
            entity_id: &t.id,
            enterprise_id: Some(&t.enterprise_id),
            region_code: None,
            before: None,
            after: Some(serde_json::to_value(&t).unwrap_or_default()),
        })
        .await?;
        Ok(t)
    }

    pub async fn list_api_tokens(&self, scope: &Scope, paging: Paging) -> Result<Page<ApiToken>> {
        let mut s = Sql::new(" FROM api_tokens WHERE 1=1");
        filter_enterprise(&mut s, scope, "enterprise_id");
        let total: i64 = s
            .with_prefix("SELECT COUNT(*)")
            .scalar()
            .fetch_one(self.pool())
            .await?;
        let mut list = s.with_prefix(&format!("SELECT {TOKEN_COLS}"));
        list.push(" ORDER BY created_at DESC LIMIT ")
            .bind(paging.limit)
            .push(" OFFSET ")
            .bind(paging.offset);
        let rows = list.query().fetch_all(self.pool()).await?;
        let items = rows.iter().map(decode_token).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, total })
    }

    /// Revoke an API token visible to the actor. Audited.
    pub async fn revoke_api_token(&self, tx: &mut WriteTx, id: &str) -> Result<ApiToken> {
        let mut q = Sql::new(&format!("SELECT {TOKEN_COLS} FROM api_tokens WHERE id = "));
        q.bind(id);
        filter_enterprise(&mut q, &tx.actor.scope, "enterprise_id");
        let row = q
            .query()
            .fetch_optional(&mut *tx.tx)
            .await?
            .ok_or(StoreError::NotFound {
                entity: "api_token",
            })?;
        let before = decode_token(&row)?;
        let now = now_ms();
        let mut u = Sql::new("UPDATE api_tokens SET revoked_at = ");
        u.bind(now).push(" WHERE id = ").bind(id);
        u.query().execute(&mut *tx.tx).await?;
        let mut after = before.clone();
        after.revoked_at = before.revoked_at.or(Some(now));
        tx.audit(Change {
            action: "revoke",
            entity_type: "api_token",
            entity_id: id,
            enterprise_id: Some(&before.enterprise_id),
            region_code: None,
            before: Some(serde_json::to_value(&before).unwrap_or_default()),
            after: Some(serde_json::to_value(&after).unwrap_or_default()),
        })
        .await?;
        Ok(after)
    }

    /// The live (unrevoked) API token with this hash.
    pub async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        let mut q = Sql::new(&format!(
            "SELECT {TOKEN_COLS} FROM api_tokens WHERE revoked_at IS NULL AND token_hash = "
        ));
        q.bind(token_hash);
        match q.query().fetch_optional(self.pool()).await? {
            Some(r) => Ok(Some(decode_token(&r)?)),
            None => Ok(None),
        }
    }
}

impl Store {
    /// Whether a session is still valid (not revoked, not expired): long-lived
    /// streams re-check their session with this.
    pub async fn session_is_live(&self, session_id: &str, now: i64) -> Result<bool> {
        let mut s = crate::sql::Sql::new("SELECT COUNT(*) FROM sessions WHERE id = ");
        s.bind(session_id)
            .push(" AND revoked_at IS NULL AND expires_at > ")
            .bind(now);
        let n: i64 = s.scalar().fetch_one(&self.pool).await?;
        Ok(n > 0)
    }
}
