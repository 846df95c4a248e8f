//! Registry, users, API tokens and audit endpoints under `/api/v1`.
//!
//! Handlers check the role (`Principal::require`) and hand the caller's scope
//! to the store, which filters every query by it. A handler never filters.

use crate::AppState;
use crate::auth::{API_TOKEN_PREFIX, Auth, Principal};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use weihua_core::{Action, Indicator, Role, Scope, Tag};
use weihua_store::audit::AuditEntry;
use weihua_store::auth::{ApiToken, NewUser, User};
use weihua_store::registry::*;
use weihua_store::secrets::{hash_password, hash_token, new_token};
use weihua_store::{Page, Paging};

/// Paging and filters shared by the lists. Unknown parameters are refused.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 1–1000, default 100
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    pub enterprise_id: Option<String>,
    pub park_id: Option<String>,
    pub installation_id: Option<String>,
    pub unit_id: Option<String>,
    pub indicator: Option<Indicator>,
    /// Search in names, codes and tags.
    pub q: Option<String>,
}

impl ListQuery {
    fn paging(&self) -> Paging {
        Paging::new(self.limit, self.offset)
    }
    fn filter(&self) -> ListFilter {
        ListFilter {
            enterprise_id: self.enterprise_id.clone(),
            park_id: self.park_id.clone(),
            installation_id: self.installation_id.clone(),
            unit_id: self.unit_id.clone(),
            indicator: self.indicator,
            q: self.q.clone(),
        }
    }
}

type Created<T> = (StatusCode, Json<T>);

fn created<T>(v: T) -> Created<T> {
    (StatusCode::CREATED, Json(v))
}

pub(crate) fn reader(p: &Principal) -> ApiResult<Scope> {
    p.require(Action::ReadRegistry)?;
    Ok(p.scope())
}

// ------------------------------------------------------------------ regions

/// 行政区划 — regions visible to the caller.
#[utoipa::path(get, path = "/api/v1/regions", tag = "registry", responses((status = 200, body = [Region])))]
pub async fn list_regions(
    State(s): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<Json<Vec<Region>>> {
    Ok(Json(s.store.list_regions(&reader(&p)?).await?))
}

/// Register or rename a region (regulators, inside their region).
#[utoipa::path(post, path = "/api/v1/regions", tag = "registry", request_body = RegionInput, responses((status = 201, body = Region)))]
pub async fn create_region(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<RegionInput>,
) -> ApiResult<Created<Region>> {
    p.require(Action::ManageParks)?;
    let mut tx = s.store.write(&p.actor()).await?;
    let r = s.store.upsert_region(&mut tx, &input).await?;
    tx.commit().await?;
    Ok(created(r))
}

// ------------------------------------------------------------------ parks

/// 化工园区 — parks visible to the caller.
#[utoipa::path(get, path = "/api/v1/parks", tag = "registry", params(ListQuery), responses((status = 200, body = Page<Park>)))]
pub async fn list_parks(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<Park>>> {
    Ok(Json(
        s.store
            .list_parks(&reader(&p)?, &q.filter(), q.paging())
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/parks/{id}", tag = "registry", params(("id" = String, Path)), responses((status = 200, body = Park), (status = 404)))]
pub async fn get_park(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Park>> {
    Ok(Json(s.store.get_park(&reader(&p)?, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/parks", tag = "registry", request_body = ParkInput, responses((status = 201, body = Park)))]
pub async fn create_park(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<ParkInput>,
) -> ApiResult<Created<Park>> {
    p.require(Action::ManageParks)?;
    let mut tx = s.store.write(&p.actor()).await?;
    let r = s.store.create_park(&mut tx, &input).await?;
    tx.commit().await?;
    Ok(created(r))
}

// ------------------------------------------------------------------ enterprises

/// 企业 — enterprises visible to the caller.
#[utoipa::path(get, path = "/api/v1/enterprises", tag = "registry", params(ListQuery), responses((status = 200, body = Page<Enterprise>)))]
pub async fn list_enterprises(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<Enterprise>>> {
    Ok(Json(
        s.store
            .list_enterprises(&reader(&p)?, &q.filter(), q.paging())
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/enterprises/{id}", tag = "registry", params(("id" = String, Path)), responses((status = 200, body = Enterprise), (status = 404)))]
pub async fn get_enterprise(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Enterprise>> {
    Ok(Json(s.store.get_enterprise(&reader(&p)?, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/enterprises", tag = "registry", request_body = EnterpriseInput, responses((status = 201, body = Enterprise), (status = 409), (status = 422)))]
pub async fn create_enterprise(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<EnterpriseInput>,
) -> ApiResult<Created<Enterprise>> {
    p.require(Action::ManageEnterprises)?;
    let mut tx = s.store.write(&p.actor()).await?;
    let r = s.store.create_enterprise(&mut tx, &input).await?;
    tx.commit().await?;
    Ok(created(r))
}

// ------------------------------------------------------------------ installations

/// 重大危险源 — installations visible to the caller.
#[utoipa::path(get, path = "/api/v1/installations", tag = "registry", params(ListQuery), responses((status = 200, body = Page<Installation>)))]
pub async fn list_installations(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<Installation>>> {
    Ok(Json(
        s.store
            .list_installations(&reader(&p)?, &q.filter(), q.paging())
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/installations/{id}", tag = "registry", params(("id" = String, Path)), responses((status = 200, body = Installation), (status = 404)))]
pub async fn get_installation(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Installation>> {
    Ok(Json(s.store.get_installation(&reader(&p)?, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/installations", tag = "registry", request_body = InstallationInput, responses((status = 201, body = Installation)))]
pub async fn create_installation(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<InstallationInput>,
) -> ApiResult<Created<Installation>> {
    p.require(Action::EditLedger)?;
    let mut tx = s.store.write(&p.actor()).await?;
    let r = s.store.create_installation(&mut tx, &input).await?;
    tx.commit().await?;
    Ok(created(r))
}

#[utoipa::path(patch, path = "/api/v1/installations/{id}", tag = "registry", params(("id" = String, Path)), request_body = InstallationPatch, responses((status = 200, body = Installation), (status = 404)))]
pub async fn patch_installation(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<InstallationPatch>,
) -> ApiResult<Json<Installation>> {
    p.require(Action::EditLedger)?;
    let mut tx = s.store.write(&p.actor()).await?;
    let r = s.store.update_installation(&mut tx, &id, &patch).await?;
    tx.commit().await?;
    Ok(Json(r))
}

// ------------------------------------------------------------------ units

/// 生产/储存单元 — units visible to the caller.
#[utoipa::path(get, path = "/api/v1/units", tag = "registry", params(ListQuery), responses((status = 200, body = Page<Unit>)))]
pub async fn list_units(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<Unit>>> {
    Ok(Json(
        s.store
            .list_units(&reader(&p)?, &q.filter(), q.paging())
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "registry", params(("id" = String, Path)), responses((status = 200, body = Unit), (status = 404)))]
pub async fn get_unit(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Unit>> {
    Ok(Json(s.store.get_unit(&reader(&p)?, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/units", tag = "registry", request_body = UnitInput, responses((status = 201, body = Unit)))]
pub async fn create_unit(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<UnitInput>,
) -> ApiResult<Created<Unit>> {
    p.require(Action::EditLedger)?;
    let mut tx = s.store.write(&p.actor()).await?;
    let r = s.store.create_unit(&mut tx, &input).await?;
    tx.commit().await?;
    Ok(created(r))
}

// ------------------------------------------------------------------ equipment

/// 设备设施 — equipment visible to the caller.
#[utoipa::path(get, path = "/api/v1/equipment", tag = "registry", params(ListQuery), responses((status = 200, body = Page<Equipment>)))]
pub async fn list_equipment(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<Equipment>>> {
    Ok(Json(
        s.store
            .list_equipment(&reader(&p)?, &q.filter(), q.paging())
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/equipment/{id}", tag = "registry", params(("id" = String, Path)), responses((status = 200, body = Equipment), (status = 404)))]
pub async fn get_equipment(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Equipment>> {
    Ok(Json(s.store.get_equipment(&reader(&p)?, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/equipment", tag = "registry", request_body = EquipmentInput, responses((status = 201, body = Equipment)))]
pub async fn create_equipment(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<EquipmentInput>,
) -> ApiResult<Created<Equipment>> {
    p.require(Action::EditLedger)?;
    let mut tx = s.store.write(&p.actor()).await?;
    let r = s.store.create_equipment(&mut tx, &input).await?;
    tx.commit().await?;
    Ok(created(r))
}

// ------------------------------------------------------------------ points

/// 监测点位 — points visible to the caller.
#[utoipa::path(get, path = "/api/v1/points", tag = "registry", params(ListQuery), responses((status = 200, body = Page<Point>)))]
pub async fn list_points(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<Point>>> {
    Ok(Json(
        s.store
            .list_points(&reader(&p)?, &q.filter(), q.paging())
            .await?,
    ))
}

/// `?enterprise_id=` picks the enterprise when a regulator sees one tag at several.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TagQuery {
    pub enterprise_id: Option<String>,
}

pub(crate) async fn point_by_tag(
    s: &AppState,
    scope: &Scope,
    tag: &str,
    enterprise_id: Option<&str>,
) -> ApiResult<Point> {
    if let Ok(t) = Tag::parse(tag) {
        let mut found = s.store.find_points_by_tag(scope, &t, enterprise_id).await?;
        match found.len() {
            0 => {}
            1 => return Ok(found.remove(0)),
            _ => {
                let ids: Vec<String> = found.into_iter().map(|p| p.enterprise_id).collect();
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "ambiguous_tag",
                    format!("位号“{tag}”在多家企业中存在，请用 ?enterprise_id= 指定企业"),
                    format!("tag '{tag}' exists at several enterprises; add ?enterprise_id="),
                )
                .with_field("tag")
                .with_details(serde_json::json!({ "enterprise_ids": ids })));
            }
        }
    }
    // A point id works too.
    if uuid::Uuid::parse_str(tag).is_ok() {
        let p = s.store.get_point(scope, tag).await?;
        if enterprise_id.is_none_or(|e| e == p.enterprise_id) {
            return Ok(p);
        }
    }
    Err(ApiError::not_found("point"))
}

#[utoipa::path(get, path = "/api/v1/points/{tag}", tag = "registry", params(("tag" = String, Path, description = "位号 or point id"), TagQuery), responses((status = 200, body = Point), (status = 404), (status = 409, description = "tag at several enterprises")))]
pub async fn get_point(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(tag): Path<String>,
    ApiQuery(q): ApiQuery<TagQuery>,
) -> ApiResult<Json<Point>> {
    let scope = reader(&p)?;
    Ok(Json(
        point_by_tag(&s, &scope, &tag, q.enterprise_id.as_deref()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/points", tag = "registry", request_body = PointInput, responses((status = 201, body = Point), (status = 409), (status = 422)))]
pub async fn create_point(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<PointInput>,
) -> ApiResult<Created<Point>> {
    p.require(Action::EditLedger)?;
    let mut tx = s.store.write(&p.actor()).await?;
    let r = s.store.create_point(&mut tx, &input).await?;
    tx.commit().await?;
    reload_alarms(&s, &r.id).await;
    Ok(created(r))
}

#[utoipa::path(patch, path = "/api/v1/points/{tag}", tag = "registry", params(("tag" = String, Path), TagQuery), request_body = PointPatch, responses((status = 200, body = Point), (status = 404), (status = 422)))]
pub async fn patch_point(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(tag): Path<String>,
    ApiQuery(q): ApiQuery<TagQuery>,
    ApiJson(patch): ApiJson<PointPatch>,
) -> ApiResult<Json<Point>> {
    p.require(Action::EditLedger)?;
    let point = point_by_tag(&s, &p.scope(), &tag, q.enterprise_id.as_deref()).await?;
    let mut tx = s.store.write(&p.actor()).await?;
    let r = s.store.update_point(&mut tx, &point.id, &patch).await?;
    tx.commit().await?;
    reload_alarms(&s, &r.id).await;
    Ok(Json(r))
}

// ------------------------------------------------------------------ chemicals

/// 危险化学品目录 — the shared chemical catalogue.
#[utoipa::path(get, path = "/api/v1/chemicals", tag = "registry", params(ListQuery), responses((status = 200, body = Page<Chemical>)))]
pub async fn list_chemicals(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<Chemical>>> {
    reader(&p)?;
    Ok(Json(s.store.list_chemicals(&q.filter(), q.paging()).await?))
}

#[utoipa::path(get, path = "/api/v1/chemicals/{id}", tag = "registry", params(("id" = String, Path)), responses((status = 200, body = Chemical), (status = 404)))]
pub async fn get_chemical(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Chemical>> {
    reader(&p)?;
    Ok(Json(s.store.get_chemical(&id).await?))
}

#[utoipa::path(post, path = "/api/v1/chemicals", tag = "registry", request_body = ChemicalInput, responses((status = 201, body = Chemical), (status = 409)))]
pub async fn create_chemical(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<ChemicalInput>,
) -> ApiResult<Created<Chemical>> {
    p.require(Action::ManageChemicals)?;
    let mut tx = s.store.write(&p.actor()).await?;
    let r = s.store.create_chemical(&mut tx, &input).await?;
    tx.commit().await?;
    Ok(created(r))
}

/// 化学品重大危险源辨识信息 — set a chemical's GB 18218 Table 1 row, Table 2
/// categories or exclusion; every installation holding it is re-graded.
/// Regulators only: the catalogue is shared by all enterprises.
#[utoipa::path(patch, path = "/api/v1/chemicals/{id}", tag = "registry", params(("id" = String, Path)), request_body = ChemicalGb18218Patch, responses((status = 200, body = Chemical), (status = 403), (status = 404), (status = 422)))]
pub async fn patch_chemical(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<ChemicalGb18218Patch>,
) -> ApiResult<Json<Chemical>> {
    if !p.role().is_regulator() {
        return Err(ApiError::forbidden(
            "化学品目录为各企业共用，只有监管人员可以修改其辨识信息",
            "the chemical catalogue is shared; only regulators may change its GB 18218 data",
        ));
    }
    let mut tx = s.store.write(&p.actor()).await?;
    let c = s
        .store
        .update_chemical_gb18218(&mut tx, &id, &patch)
        .await?;
    tx.commit().await?;
    Ok(Json(c))
}

// ------------------------------------------------------------------ inventories

/// 库存 — chemicals held per unit, visible to the caller.
#[utoipa::path(get, path = "/api/v1/inventories", tag = "registry", params(ListQuery), responses((status = 200, body = Page<Inventory>)))]
pub async fn list_inventories(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<Inventory>>> {
    Ok(Json(
        s.store
            .list_inventories(&reader(&p)?, &q.filter(), q.paging())
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/inventories/{id}", tag = "registry", params(("id" = String, Path)), responses((status = 200, body = Inventory), (status = 404)))]
pub async fn get_inventory(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Inventory>> {
    Ok(Json(s.store.get_inventory(&reader(&p)?, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/inventories", tag = "registry", request_body = InventoryInput, responses((status = 201, body = Inventory)))]
pub async fn create_inventory(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<InventoryInput>,
) -> ApiResult<Created<Inventory>> {
    p.require(Action::EditLedger)?;
    let mut tx = s.store.write(&p.actor()).await?;
    let r = s.store.create_inventory(&mut tx, &input).await?;
    tx.commit().await?;
    Ok(created(r))
}

/// New design maximum quantity of an inventory line.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InventoryPatch {
    pub design_max_quantity_t: f64,
    #[serde(default)]
    pub note: Option<String>,
}

#[utoipa::path(patch, path = "/api/v1/inventories/{id}", tag = "registry", params(("id" = String, Path)), request_body = InventoryPatch, responses((status = 200, body = Inventory), (status = 404)))]
pub async fn patch_inventory(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<InventoryPatch>,
) -> ApiResult<Json<Inventory>> {
    p.require(Action::EditLedger)?;
    let mut tx = s.store.write(&p.actor()).await?;
    let r = s
        .store
        .update_inventory_quantity(&mut tx, &id, patch.design_max_quantity_t, patch.note)
        .await?;
    tx.commit().await?;
    Ok(Json(r))
}

#[utoipa::path(delete, path = "/api/v1/inventories/{id}", tag = "registry", params(("id" = String, Path)), responses((status = 204), (status = 404)))]
pub async fn delete_inventory(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    p.require(Action::EditLedger)?;
    let mut tx = s.store.write(&p.actor()).await?;
    s.store.delete_inventory(&mut tx, &id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------ users

/// A new user; the password is hashed with argon2id and never stored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    pub scope: Scope,
}

/// Minimum password rule (assumed: 10 characters with a letter and a digit).
pub fn check_password(pw: &str) -> ApiResult<()> {
    let ok = pw.chars().count() >= 10
        && pw.len() <= 1024
        && pw.chars().any(|c| c.is_alphabetic())
        && pw.chars().any(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "weak_password",
            "密码至少10位，且包含字母和数字",
            "a password needs at least 10 characters with a letter and a digit",
        )
        .with_field("password"))
    }
}

/// 用户 — users visible to the caller.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(ListQuery), responses((status = 200, body = Page<User>)))]
pub async fn list_users(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<User>>> {
    p.require(Action::ManageUsers)?;
    Ok(Json(s.store.list_users(&p.scope(), q.paging()).await?))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserInput, responses((status = 201, body = User), (status = 403), (status = 409)))]
pub async fn create_user(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<UserInput>,
) -> ApiResult<Created<User>> {
    p.require(Action::ManageUsers)?;
    if !p.role().may_grant(input.role) {
        return Err(ApiError::forbidden(
            format!("无权创建角色为“{}”的用户", input.role.label_zh()),
            format!(
                "you may not create a user with role '{}'",
                input.role.as_str()
            ),
        ));
    }
    check_password(&input.password)?;
    let pw = input.password.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&pw))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(|_| ApiError::internal())?;
    let mut tx = s.store.write(&p.actor()).await?;
    let u = s
        .store
        .create_user(
            &mut tx,
            &NewUser {
                username: input.username,
                display_name: input.display_name,
                password_hash: hash,
                role: input.role,
                scope: input.scope,
            },
        )
        .await?;
    tx.commit().await?;
    Ok(created(u))
}

// ------------------------------------------------------------------ API tokens

/// A new gateway token for one enterprise and one purpose.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiTokenInput {
    pub enterprise_id: String,
    pub name: String,
    /// Only `ingest` for now.
    pub purpose: String,
}

/// The token itself is shown once, here, and never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenCreated {
    pub token: String,
    pub api_token: ApiToken,
}

/// 接入令牌 — gateway tokens visible to the caller.
#[utoipa::path(get, path = "/api/v1/api-tokens", tag = "auth", params(ListQuery), responses((status = 200, body = Page<ApiToken>)))]
pub async fn list_api_tokens(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<ApiToken>>> {
    p.require(Action::ManageApiTokens)?;
    Ok(Json(s.store.list_api_tokens(&p.scope(), q.paging()).await?))
}

#[utoipa::path(post, path = "/api/v1/api-tokens", tag = "auth", request_body = ApiTokenInput, responses((status = 201, body = ApiTokenCreated)))]
pub async fn create_api_token(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<ApiTokenInput>,
) -> ApiResult<Created<ApiTokenCreated>> {
    p.require(Action::ManageApiTokens)?;
    if input.purpose != "ingest" {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "用途只能为 ingest（数据接入）",
            "purpose must be 'ingest'",
        )
        .with_field("purpose"));
    }
    let token = new_token(API_TOKEN_PREFIX);
    let mut tx = s.store.write(&p.actor()).await?;
    let t = s
        .store
        .create_api_token(
            &mut tx,
            &input.enterprise_id,
            &input.purpose,
            &input.name,
            &hash_token(&token),
        )
        .await?;
    tx.commit().await?;
    Ok(created(ApiTokenCreated {
        token,
        api_token: t,
    }))
}

#[utoipa::path(delete, path = "/api/v1/api-tokens/{id}", tag = "auth", params(("id" = String, Path)), responses((status = 200, body = ApiToken), (status = 404)))]
pub async fn revoke_api_token(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<ApiToken>> {
    p.require(Action::ManageApiTokens)?;
    let mut tx = s.store.write(&p.actor()).await?;
    let t = s.store.revoke_api_token(&mut tx, &id).await?;
    tx.commit().await?;
    Ok(Json(t))
}

// ------------------------------------------------------------------ audit

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    pub entity_id: Option<String>,
}

/// 审计日志 — audit entries visible to the caller, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), responses((status = 200, body = Page<AuditEntry>)))]
pub async fn list_audit(
    State(s): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    p.require(Action::ReadAudit)?;
    Ok(Json(
        s.store
            .list_audit(
                &p.scope(),
                q.entity_id.as_deref(),
                Paging::new(q.limit, q.offset),
            )
            .await?,
    ))
}

/// Tell the alarm service that a point changed (its limits drive the alarms).
pub(crate) async fn reload_alarms(s: &AppState, point_id: &str) {
    if let Some(a) = &s.alarms
        && let Err(e) = a.reload_point(point_id).await
    {
        tracing::warn!(error = %e, "alarm service did not reload the point");
    }
}
