//! 台账 — the registry: regions, parks, enterprises, major hazard
//! installations, units, equipment, monitoring points, chemicals, inventories.
//!
//! Every function takes the caller's scope (directly or through the [`WriteTx`]
//! actor) and never returns or touches a row outside it. A parent that is not
//! visible is reported as not found, exactly like one that does not exist.

use crate::audit::Change;
use crate::scope::{filter_enterprise, filter_park, filter_region};
use crate::sql::{Sql, Val, like_escape};
use crate::{Page, Paging, Result, Store, StoreError, WriteTx, map_unique, new_id, now_ms};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use weihua_core::{
    CasNumber, CreditCode, EquipmentKind, Guardians, Indicator, Limits, RegionCode, Scope, Tag,
    UnitKind, check_unit,
};

// ---------------------------------------------------------------- rows

/// 行政区划 — an administrative region.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Region {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
}

/// 化工园区 — a chemical park.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Park {
    pub id: String,
    pub name: String,
    pub region_code: String,
    pub address: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// 企业 — an enterprise. `enterprise_id` equals `id` so that every object
/// carries the id of its enterprise.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enterprise {
    pub id: String,
    pub enterprise_id: String,
    pub credit_code: String,
    pub name: String,
    pub region_code: String,
    pub park_id: Option<String>,
    pub industry: Option<String>,
    pub address: Option<String>,
    pub legal_representative: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// 重大危险源 — a major hazard installation.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Installation {
    pub id: String,
    pub enterprise_id: String,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    /// 500米范围内常住人口 — resident population within 500 m (GB 18218 α).
    pub people_within_500m: i64,
    /// 重大危险源等级 1–4 (GB 18218-2018), the most severe of its units; `None`
    /// until graded, when no unit reaches S ≥ 1, or when the assessment failed.
    pub grade: Option<i64>,
    /// 是否构成重大危险源 — S ≥ 1 for at least one unit; `None` until assessed or
    /// when the assessment failed (see `assessment_error`).
    pub is_major_hazard: Option<bool>,
    /// R of the most severe unit.
    pub r_value: Option<f64>,
    /// When the assessment was last computed (UTC ms).
    pub assessed_at: Option<i64>,
    /// Why the last assessment could not be computed (Chinese / English).
    pub assessment_error: Option<String>,
    /// 包保责任人
    pub guardians: Guardians,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// 生产单元 / 储存单元 — a unit of an installation.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unit {
    pub id: String,
    pub enterprise_id: String,
    pub installation_id: String,
    pub name: String,
    pub kind: UnitKind,
    pub created_at: i64,
    pub updated_at: i64,
}

/// 设备设施 — equipment in a unit (tank, reactor, warehouse, pipeline …).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Equipment {
    pub id: String,
    pub enterprise_id: String,
    pub installation_id: String,
    pub unit_id: String,
    pub code: String,
    pub name: String,
    pub kind: EquipmentKind,
    pub design_volume_m3: Option<f64>,
    pub design_pressure_mpa: Option<f64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// 监测点位 — a monitoring point.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Point {
    pub id: String,
    pub enterprise_id: String,
    pub installation_id: String,
    pub equipment_id: Option<String>,
    /// 位号
    pub tag: String,
    pub name: String,
    pub indicator: Indicator,
    /// 工程单位
    pub unit: String,
    pub range_low: f64,
    pub range_high: f64,
    pub limits: Limits,
    /// 位置 — where the instrument is (WGS-84), when registered; gas
    /// detectors need it for the interlock of nearby work permits.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// 危险化学品 — a chemical of the shared catalogue.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Chemical {
    pub id: String,
    pub cas: Option<String>,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub aliases: Vec<String>,
    /// GB 18218-2018 表1序号, where the registrant fixed it (ambiguous CAS rows).
    pub table1_no: Option<i64>,
    /// GB 18218-2018 表2 危险性类别 (`W5.4`, `J3` …): Q for substances outside
    /// Table 1, β for those outside Table 3.
    pub hazard_categories: Vec<String>,
    /// 不属于GB 18218辨识范围 — declared outside GB 18218 (e.g. only corrosive):
    /// not counted in S.
    pub gb18218_excluded: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// 库存 — a chemical held in a unit, with its design maximum quantity.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inventory {
    pub id: String,
    pub enterprise_id: String,
    pub installation_id: String,
    pub unit_id: String,
    pub chemical_id: String,
    pub chemical_name: String,
    pub cas: Option<String>,
    /// 设计最大量 (t) — q in GB 18218.
    pub design_max_quantity_t: f64,
    pub note: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

// ---------------------------------------------------------------- inputs

/// New region.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegionInput {
    pub code: RegionCode,
    pub name: String,
}

/// New park.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ParkInput {
    pub name: String,
    pub region_code: RegionCode,
    #[serde(default)]
    pub address: Option<String>,
}

/// New enterprise.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnterpriseInput {
    pub credit_code: CreditCode,
    pub name: String,
    pub region_code: RegionCode,
    #[serde(default)]
    pub park_id: Option<String>,
    #[serde(default)]
    pub industry: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub legal_representative: Option<String>,
}

/// New major hazard installation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InstallationInput {
    pub enterprise_id: String,
    /// 重大危险源编码 (unique within the enterprise)
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub people_within_500m: i64,
    #[serde(default)]
    pub guardians: Guardians,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
}

/// Changes to an installation; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InstallationPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub people_within_500m: Option<i64>,
    #[serde(default)]
    pub guardians: Option<Guardians>,
    /// 纬度 (WGS 84), for the site plan.
    #[serde(default)]
    pub latitude: Option<f64>,
    /// 经度 (WGS 84).
    #[serde(default)]
    pub longitude: Option<f64>,
}

/// Checks a WGS 84 position (each part optional).
fn check_position(lat: Option<f64>, lon: Option<f64>) -> Result<()> {
    if let Some(lat) = lat
        && !(-90.0..=90.0).contains(&lat)
    {
        return Err(StoreError::invalid(
            "latitude",
            "纬度应在-90至90之间",
            "must be between -90 and 90",
        ));
    }
    if let Some(lng) = lon
        && !(-180.0..=180.0).contains(&lng)
    {
        return Err(StoreError::invalid(
            "longitude",
            "经度应在-180至180之间",
            "must be between -180 and 180",
        ));
    }
    Ok(())
}

/// A point's position: both parts or neither, each in range.
fn point_position(lat: Option<f64>, lon: Option<f64>) -> Result<(Option<f64>, Option<f64>)> {
    check_position(lat, lon)?;
    if lat.is_some() != lon.is_some() {
        return Err(StoreError::invalid(
            "latitude",
            "经度和纬度应同时填写",
            "give both latitude and longitude, or neither",
        ));
    }
    Ok((lat, lon))
}

/// New unit.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitInput {
    pub installation_id: String,
    pub name: String,
    pub kind: UnitKind,
}

/// New equipment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EquipmentInput {
    pub unit_id: String,
    pub code: String,
    pub name: String,
    pub kind: EquipmentKind,
    #[serde(default)]
    pub design_volume_m3: Option<f64>,
    #[serde(default)]
    pub design_pressure_mpa: Option<f64>,
}

/// New monitoring point.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PointInput {
    pub installation_id: String,
    #[serde(default)]
    pub equipment_id: Option<String>,
    pub tag: Tag,
    pub name: String,
    pub indicator: Indicator,
    pub unit: String,
    pub range_low: f64,
    pub range_high: f64,
    #[serde(default)]
    pub limits: Limits,
    /// WGS-84 latitude of the instrument.
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
}

/// Changes to a point; absent fields stay as they are. Limits are replaced whole.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PointPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub range_low: Option<f64>,
    #[serde(default)]
    pub range_high: Option<f64>,
    #[serde(default)]
    pub limits: Option<Limits>,
    /// Position of the instrument (both or neither).
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
}

/// New chemical in the catalogue.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChemicalInput {
    #[serde(default)]
    pub cas: Option<CasNumber>,
    pub name_zh: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// GB 18218-2018 表1序号 (1–85), needed where a CAS number covers several rows.
    #[serde(default)]
    pub table1_no: Option<u32>,
    /// GB 18218-2018 表2 codes (`W2`, `W5.4`, `J3` …).
    #[serde(default)]
    pub hazard_categories: Vec<String>,
    /// Declared outside GB 18218 (corrosive only, inert …): not counted in S.
    #[serde(default)]
    pub gb18218_excluded: bool,
}

/// Changes to a chemical's GB 18218 data; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChemicalGb18218Patch {
    #[serde(default)]
    pub table1_no: Option<u32>,
    #[serde(default)]
    pub hazard_categories: Option<Vec<String>>,
    #[serde(default)]
    pub gb18218_excluded: Option<bool>,
}

/// New inventory line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InventoryInput {
    pub unit_id: String,
    pub chemical_id: String,
    pub design_max_quantity_t: f64,
    #[serde(default)]
    pub note: Option<String>,
}

/// Filters shared by the lists.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub enterprise_id: Option<String>,
    pub park_id: Option<String>,
    pub installation_id: Option<String>,
    pub unit_id: Option<String>,
    pub indicator: Option<Indicator>,
    /// Free-text search on name / code / tag.
    pub q: Option<String>,
}

// ---------------------------------------------------------------- checks

fn check_name(field: &str, s: &str) -> Result<String> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > 200 {
        return Err(StoreError::invalid(
            field,
            "不能为空，且不超过200个字符",
            "must not be empty and at most 200 characters",
        ));
    }
    Ok(t.to_string())
}

fn check_opt_text(field: &str, s: &Option<String>) -> Result<Option<String>> {
    match s {
        Some(t) if t.chars().count() > 2000 => Err(StoreError::invalid(
            field,
            "不超过2000个字符",
            "at most 2000 characters",
        )),
        Some(t) if t.trim().is_empty() => Ok(None),
        Some(t) => Ok(Some(t.trim().to_string())),
        None => Ok(None),
    }
}

fn check_nonneg_finite(field: &str, v: Option<f64>) -> Result<()> {
    if let Some(v) = v
        && (!v.is_finite() || v < 0.0)
    {
        return Err(StoreError::invalid(
            field,
            "应为非负有限数",
            "must be a finite number, not negative",
        ));
    }
    Ok(())
}

fn check_people(v: i64) -> Result<()> {
    if !(0..=10_000_000).contains(&v) {
        return Err(StoreError::invalid(
            "people_within_500m",
            "人数应在0至10000000之间",
            "must be between 0 and 10000000",
        ));
    }
    Ok(())
}

fn check_point_shape(
    indicator: Indicator,
    unit: &str,
    low: f64,
    high: f64,
    limits: &Limits,
) -> Result<String> {
    let unit = check_unit(indicator, unit).map_err(|e| StoreError::invalid("unit", e.zh, e.en))?;
    limits
        .check(low, high)
        .map_err(|e| StoreError::invalid("limits", e.zh, e.en))?;
    Ok(unit)
}

fn to_json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

// ---------------------------------------------------------------- decoding

fn decode_region(r: &AnyRow) -> Result<Region> {
    Ok(Region {
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        level: r.try_get("level")?,
        parent_code: r.try_get("parent_code")?,
    })
}

fn decode_park(r: &AnyRow) -> Result<Park> {
    Ok(Park {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        region_code: r.try_get("region_code")?,
        address: r.try_get("address")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn decode_enterprise(r: &AnyRow) -> Result<Enterprise> {
    let id: String = r.try_get("id")?;
    Ok(Enterprise {
        enterprise_id: id.clone(),
        id,
        credit_code: r.try_get("credit_code")?,
        name: r.try_get("name")?,
        region_code: r.try_get("region_code")?,
        park_id: r.try_get("park_id")?,
        industry: r.try_get("industry")?,
        address: r.try_get("address")?,
        legal_representative: r.try_get("legal_representative")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn decode_installation(r: &AnyRow) -> Result<Installation> {
    let guardians: String = r.try_get("guardians")?;
    Ok(Installation {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        people_within_500m: r.try_get("people_within_500m")?,
        grade: r.try_get("grade")?,
        guardians: serde_json::from_str(&guardians)
            .map_err(|e| StoreError::Corrupt(format!("guardians: {e}")))?,
        latitude: r.try_get("latitude")?,
        longitude: r.try_get("longitude")?,
        is_major_hazard: r
            .try_get::<Option<i64>, _>("is_major_hazard")?
            .map(|v| v != 0),
        r_value: r.try_get("r_value")?,
        assessed_at: r.try_get("assessed_at")?,
        assessment_error: r.try_get("assessment_error")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn decode_unit(r: &AnyRow) -> Result<Unit> {
    let kind: String = r.try_get("kind")?;
    Ok(Unit {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        installation_id: r.try_get("installation_id")?,
        name: r.try_get("name")?,
        kind: UnitKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("unit kind {kind}")))?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn decode_equipment(r: &AnyRow) -> Result<Equipment> {
    let kind: String = r.try_get("kind")?;
    Ok(Equipment {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        installation_id: r.try_get("installation_id")?,
        unit_id: r.try_get("unit_id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind: EquipmentKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("equipment kind {kind}")))?,
        design_volume_m3: r.try_get("design_volume_m3")?,
        design_pressure_mpa: r.try_get("design_pressure_mpa")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn decode_point(r: &AnyRow) -> Result<Point> {
    let indicator: String = r.try_get("indicator")?;
    Ok(Point {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        installation_id: r.try_get("installation_id")?,
        equipment_id: r.try_get("equipment_id")?,
        tag: r.try_get("tag")?,
        name: r.try_get("name")?,
        indicator: Indicator::parse(&indicator)
            .ok_or_else(|| StoreError::Corrupt(format!("indicator {indicator}")))?,
        unit: r.try_get("unit")?,
        range_low: r.try_get("range_low")?,
        range_high: r.try_get("range_high")?,
        limits: Limits {
            ll: r.try_get("limit_ll")?,
            l: r.try_get("limit_l")?,
            h: r.try_get("limit_h")?,
            hh: r.try_get("limit_hh")?,
        },
        latitude: r.try_get("latitude")?,
        longitude: r.try_get("longitude")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn decode_chemical(r: &AnyRow) -> Result<Chemical> {
    let aliases: String = r.try_get("aliases")?;
    let categories: String = r.try_get("hazard_categories")?;
    let excluded: i64 = r.try_get("gb18218_excluded")?;
    Ok(Chemical {
        id: r.try_get("id")?,
        cas: r.try_get("cas")?,
        name_zh: r.try_get("name_zh")?,
        name_en: r.try_get("name_en")?,
        aliases: serde_json::from_str(&aliases)
            .map_err(|e| StoreError::Corrupt(format!("aliases: {e}")))?,
        table1_no: r.try_get("table1_no")?,
        hazard_categories: serde_json::from_str(&categories)
            .map_err(|e| StoreError::Corrupt(format!("hazard_categories: {e}")))?,
        gb18218_excluded: excluded != 0,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn decode_inventory(r: &AnyRow) -> Result<Inventory> {
    Ok(Inventory {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        installation_id: r.try_get("installation_id")?,
        unit_id: r.try_get("unit_id")?,
        chemical_id: r.try_get("chemical_id")?,
        chemical_name: r.try_get("chemical_name")?,
        cas: r.try_get("cas")?,
        design_max_quantity_t: r.try_get("design_max_quantity_t")?,
        note: r.try_get("note")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const ENTERPRISE_COLS: &str = "id, credit_code, name, region_code, park_id, industry, address, legal_representative, created_at, updated_at";
const INSTALLATION_COLS: &str = "id, enterprise_id, code, name, description, people_within_500m, grade, guardians, latitude, longitude, created_at, updated_at";
/// The latest GB 18218 assessment, kept on the installation row (written by `gb18218`).
const INSTALLATION_ASSESSMENT_COLS: &str =
    "is_major_hazard, r_value, assessed_at, assessment_error";
const UNIT_COLS: &str = "id, enterprise_id, installation_id, name, kind, created_at, updated_at";
const EQUIPMENT_COLS: &str = "id, enterprise_id, installation_id, unit_id, code, name, kind, design_volume_m3, design_pressure_mpa, created_at, updated_at";
const POINT_COLS: &str = "id, enterprise_id, installation_id, equipment_id, tag, name, indicator, unit, range_low, range_high, limit_ll, limit_l, limit_h, limit_hh, latitude, longitude, created_at, updated_at";
const CHEMICAL_COLS: &str = "id, cas, name_zh, name_en, aliases, table1_no, hazard_categories, gb18218_excluded, created_at, updated_at";
const INVENTORY_SELECT: &str = "SELECT i.id, i.enterprise_id, i.installation_id, i.unit_id, i.chemical_id, c.name_zh AS chemical_name, c.cas, i.design_max_quantity_t, i.note, i.created_at, i.updated_at";
const INVENTORY_FROM: &str =
    " FROM inventories i JOIN chemicals c ON c.id = i.chemical_id WHERE 1=1";

fn push_q(sql: &mut Sql, q: &Option<String>, cols: &[&str]) {
    if let Some(q) = q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pat = format!("%{}%", like_escape(q));
        sql.push(" AND (");
        for (i, c) in cols.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push(c)
                .push(" LIKE ")
                .bind(pat.clone())
                .push(" ESCAPE '\\'");
        }
        sql.push(")");
    }
}

impl Store {
    /// Run a `SELECT COUNT(*)` and a paged select over the same `FROM … WHERE …`.
    async fn paged<T>(
        &self,
        select: &str,
        from_where: &Sql,
        order: &str,
        paging: Paging,
        decode: fn(&AnyRow) -> Result<T>,
    ) -> Result<Page<T>> {
        let total: i64 = from_where
            .with_prefix("SELECT COUNT(*)")
            .scalar()
            .fetch_one(self.pool())
            .await?;
        let mut list = from_where.with_prefix(select);
        list.push(" ORDER BY ")
            .push(order)
            .push(" LIMIT ")
            .bind(paging.limit)
            .push(" OFFSET ")
            .bind(paging.offset);
        let rows = list.query().fetch_all(self.pool()).await?;
        let items = rows.iter().map(decode).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, total })
    }

    async fn one<T>(
        &self,
        sql: Sql,
        entity: &'static str,
        decode: fn(&AnyRow) -> Result<T>,
    ) -> Result<T> {
        let row = sql
            .query()
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound { entity })?;
        decode(&row)
    }

    // ------------------------------------------------------------ regions

    pub async fn list_regions(&self, scope: &Scope) -> Result<Vec<Region>> {
        let mut s = Sql::new("SELECT code, name, level, parent_code FROM regions WHERE 1=1");
        filter_region(&mut s, scope, "code");
        s.push(" ORDER BY code");
        let rows = s.query().fetch_all(self.pool()).await?;
        rows.iter().map(decode_region).collect()
    }

    /// Create or rename a region. Parents must exist first (province → city → county).
    pub async fn upsert_region(&self, tx: &mut WriteTx, input: &RegionInput) -> Result<Region> {
        let name = check_name("name", &input.name)?;
        let scope = tx.actor.scope.clone();
        if let Scope::Region(r) = &scope
            && !r.contains(&input.code)
        {
            return Err(StoreError::NotFound { entity: "region" });
        }
        if !matches!(scope, Scope::National | Scope::Region(_)) {
            return Err(StoreError::NotFound { entity: "region" });
        }
        let parent = input.code.parent().map(|p| p.as_str().to_string());
        if let Some(p) = &parent {
            let mut q = Sql::new("SELECT COUNT(*) FROM regions WHERE code = ");
            q.bind(p);
            let n: i64 = q.scalar().fetch_one(&mut *tx.tx).await?;
            if n == 0 {
                return Err(StoreError::invalid(
                    "code",
                    format!("上级行政区划{p}尚未登记"),
                    format!("the parent region {p} is not registered yet"),
                ));
            }
        }
        let level = match input.code.level() {
            weihua_core::RegionLevel::Province => "province",
            weihua_core::RegionLevel::City => "city",
            weihua_core::RegionLevel::County => "county",
        };
        let mut sel = Sql::new("SELECT code, name, level, parent_code FROM regions WHERE code = ");
        sel.bind(input.code.as_str());
        let before = match sel.query().fetch_optional(&mut *tx.tx).await? {
            Some(r) => Some(decode_region(&r)?),
            None => None,
        };
        let region = Region {
            code: input.code.as_str().to_string(),
            name,
            level: level.to_string(),
            parent_code: parent,
        };
        let q = if before.is_some() {
            let mut q = Sql::new("UPDATE regions SET name = ");
            q.bind(&region.name)
                .push(" WHERE code = ")
                .bind(&region.code);
            q
        } else {
            Sql::insert(
                "regions",
                "code, name, level, parent_code",
                vec![
                    Val::from(&region.code),
                    Val::from(&region.name),
                    Val::from(&region.level),
                    Val::from(region.parent_code.clone()),
                ],
            )
        };
        q.query().execute(&mut *tx.tx).await?;
        tx.audit(Change {
            action: if before.is_some() { "update" } else { "create" },
            entity_type: "region",
            entity_id: &region.code,
            enterprise_id: None,
            region_code: Some(&region.code),
            before: before.as_ref().map(to_json),
            after: Some(to_json(&region)),
        })
        .await?;
        Ok(region)
    }

    // ------------------------------------------------------------ parks

    pub async fn list_parks(
        &self,
        scope: &Scope,
        filter: &ListFilter,
        paging: Paging,
    ) -> Result<Page<Park>> {
        let mut s = Sql::new(" FROM parks WHERE 1=1");
        filter_park(&mut s, scope, "id", "region_code");
        push_q(&mut s, &filter.q, &["name"]);
        self.paged(
            "SELECT id, name, region_code, address, created_at, updated_at",
            &s,
            "name, id",
            paging,
            decode_park,
        )
        .await
    }

    pub async fn get_park(&self, scope: &Scope, id: &str) -> Result<Park> {
        let mut s = Sql::new(
            "SELECT id, name, region_code, address, created_at, updated_at FROM parks WHERE id = ",
        );
        s.bind(id);
        filter_park(&mut s, scope, "id", "region_code");
        self.one(s, "park", decode_park).await
    }

    pub async fn create_park(&self, tx: &mut WriteTx, input: &ParkInput) -> Result<Park> {
        let name = check_name("name", &input.name)?;
        let address = check_opt_text("address", &input.address)?;
        match &tx.actor.scope {
            Scope::National => {}
            Scope::Region(r) if r.contains(&input.region_code) => {}
            _ => return Err(StoreError::NotFound { entity: "region" }),
        }
        self.require_region(tx, &input.region_code).await?;
        let now = now_ms();
        let park = Park {
            id: new_id(),
            name,
            region_code: input.region_code.as_str().to_string(),
            address,
            created_at: now,
            updated_at: now,
        };
        let q = Sql::insert(
            "parks",
            "id, name, region_code, address, created_at, updated_at",
            vec![
                Val::from(&park.id),
                Val::from(&park.name),
                Val::from(&park.region_code),
                Val::from(park.address.clone()),
                Val::from(now),
                Val::from(now),
            ],
        );
        q.query().execute(&mut *tx.tx).await?;
        tx.audit(Change {
            action: "create",
            entity_type: "park",
            entity_id: &park.id,
            enterprise_id: None,
            region_code: Some(&park.region_code),
            before: None,
            after: Some(to_json(&park)),
        })
        .await?;
        Ok(park)
    }

    async fn require_region(&self, tx: &mut WriteTx, code: &RegionCode) -> Result<()> {
        let mut q = Sql::new("SELECT COUNT(*) FROM regions WHERE code = ");
        q.bind(code.as_str());
        let n: i64 = q.scalar().fetch_one(&mut *tx.tx).await?;
        if n == 0 {
            return Err(StoreError::invalid(
                "region_code",
                format!("行政区划{code}尚未登记"),
                format!("region {code} is not registered"),
            ));
        }
        Ok(())
    }

    // ------------------------------------------------------------ enterprises

    pub async fn list_enterprises(
        &self,
        scope: &Scope,
        filter: &ListFilter,
        paging: Paging,
    ) -> Result<Page<Enterprise>> {
        let mut s = Sql::new(" FROM enterprises WHERE 1=1");
        filter_enterprise(&mut s, scope, "id");
        if let Some(p) = &filter.park_id {
            s.push(" AND park_id = ").bind(p);
        }
        push_q(&mut s, &filter.q, &["name", "credit_code"]);
        self.paged(
            &format!("SELECT {ENTERPRISE_COLS}"),
            &s,
            "name, id",
            paging,
            decode_enterprise,
        )
        .await
    }

    pub async fn get_enterprise(&self, scope: &Scope, id: &str) -> Result<Enterprise> {
        let mut s = Sql::new(&format!(
            "SELECT {ENTERPRISE_COLS} FROM enterprises WHERE id = "
        ));
        s.bind(id);
        filter_enterprise(&mut s, scope, "id");
        self.one(s, "enterprise", decode_enterprise).await
    }

    pub async fn find_enterprise_by_credit_code(
        &self,
        scope: &Scope,
        code: &CreditCode,
    ) -> Result<Enterprise> {
        let mut s = Sql::new(&format!(
            "SELECT {ENTERPRISE_COLS} FROM enterprises WHERE credit_code = "
        ));
        s.bind(code.as_str());
        filter_enterprise(&mut s, scope, "id");
        self.one(s, "enterprise", decode_enterprise).await
    }

    pub async fn create_enterprise(
        &self,
        tx: &mut WriteTx,
        input: &EnterpriseInput,
    ) -> Result<Enterprise> {
        let name = check_name("name", &input.name)?;
        // The park must be visible and in the enterprise's region; the region must be in scope.
        let scope = tx.actor.scope.clone();
        match (&scope, &input.park_id) {
            (Scope::National, _) => {}
            (Scope::Region(r), _) if r.contains(&input.region_code) => {}
            (Scope::Park(p), Some(pid)) if p == pid => {}
            _ => return Err(StoreError::NotFound { entity: "region" }),
        }
        self.require_region(tx, &input.region_code).await?;
        if let Some(pid) = &input.park_id {
            let mut q = Sql::new("SELECT region_code FROM parks WHERE id = ");
            q.bind(pid);
            filter_park(&mut q, &scope, "id", "region_code");
            let park_region: String = q
                .scalar()
                .fetch_optional(&mut *tx.tx)
                .await?
                .ok_or(StoreError::NotFound { entity: "park" })?;
            if park_region != input.region_code.as_str() {
                return Err(StoreError::invalid(
                    "region_code",
                    format!(
                        "企业所在区划{}与园区所在区划{park_region}不一致",
                        input.region_code
                    ),
                    format!(
                        "the enterprise's region {} differs from its park's region {park_region}",
                        input.region_code
                    ),
                ));
            }
        }
        let now = now_ms();
        let id = new_id();
        let e = Enterprise {
            enterprise_id: id.clone(),
            id,
            credit_code: input.credit_code.as_str().to_string(),
            name,
            region_code: input.region_code.as_str().to_string(),
            park_id: input.park_id.clone(),
            industry: check_opt_text("industry", &input.industry)?,
            address: check_opt_text("address", &input.address)?,
            legal_representative: check_opt_text(
                "legal_representative",
                &input.legal_representative,
            )?,
            created_at: now,
            updated_at: now,
        };
        let q = Sql::insert(
            "enterprises",
            ENTERPRISE_COLS,
            vec![
                Val::from(&e.id),
                Val::from(&e.credit_code),
                Val::from(&e.name),
                Val::from(&e.region_code),
                Val::from(e.park_id.clone()),
                Val::from(e.industry.clone()),
                Val::from(e.address.clone()),
                Val::from(e.legal_representative.clone()),
                Val::from(now),
                Val::from(now),
            ],
        );
        q.query().execute(&mut *tx.tx).await.map_err(|err| {
            map_unique(
                err,
                "credit_code",
                "该统一社会信用代码已登记",
                "an enterprise with this unified social credit code is already registered",
            )
        })?;
        tx.audit(Change {
            action: "create",
            entity_type: "enterprise",
            entity_id: &e.id,
            enterprise_id: Some(&e.id),
            region_code: Some(&e.region_code),
            before: None,
            after: Some(to_json(&e)),
        })
        .await?;
        Ok(e)
    }

    /// Look up an enterprise id visible to the transaction's actor.
    async fn visible_enterprise(&self, tx: &mut WriteTx, id: &str) -> Result<()> {
        let mut q = Sql::new("SELECT COUNT(*) FROM enterprises WHERE id = ");
        q.bind(id);
        filter_enterprise(&mut q, &tx.actor.scope, "id");
        let n: i64 = q.scalar().fetch_one(&mut *tx.tx).await?;
        if n == 0 {
            return Err(StoreError::NotFound {
                entity: "enterprise",
            });
        }
        Ok(())
    }

    // ------------------------------------------------------------ installations

    pub async fn list_installations(
        &self,
        scope: &Scope,
        filter: &ListFilter,
        paging: Paging,
    ) -> Result<Page<Installation>> {
        let mut s = Sql::new(" FROM installations WHERE 1=1");
        filter_enterprise(&mut s, scope, "enterprise_id");
        if let Some(e) = &filter.enterprise_id {
            s.push(" AND enterprise_id = ").bind(e);
        }
        if let Some(p) = &filter.park_id {
            s.push(" AND enterprise_id IN (SELECT id FROM enterprises WHERE park_id = ")
                .bind(p)
                .push(")");
        }
        push_q(&mut s, &filter.q, &["name", "code"]);
        self.paged(
            &format!("SELECT {INSTALLATION_COLS}, {INSTALLATION_ASSESSMENT_COLS}"),
            &s,
            "enterprise_id, code",
            paging,
            decode_installation,
        )
        .await
    }

    pub async fn get_installation(&self, scope: &Scope, id: &str) -> Result<Installation> {
        let mut s = Sql::new(&format!(
            "SELECT {INSTALLATION_COLS}, {INSTALLATION_ASSESSMENT_COLS} FROM installations WHERE id = "
        ));
        s.bind(id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        self.one(s, "installation", decode_installation).await
    }

    async fn installation_in_tx(&self, tx: &mut WriteTx, id: &str) -> Result<Installation> {
        let mut s = Sql::new(&format!(
            "SELECT {INSTALLATION_COLS}, {INSTALLATION_ASSESSMENT_COLS} FROM installations WHERE id = "
        ));
        s.bind(id);
        filter_enterprise(&mut s, &tx.actor.scope, "enterprise_id");
        let row = s
            .query()
            .fetch_optional(&mut *tx.tx)
            .await?
            .ok_or(StoreError::NotFound {
                entity: "installation",
            })?;
        decode_installation(&row)
    }

    pub async fn create_installation(
        &self,
        tx: &mut WriteTx,
        input: &InstallationInput,
    ) -> Result<Installation> {
        let name = check_name("name", &input.name)?;
        let code = check_name("code", &input.code)?;
        check_people(input.people_within_500m)?;
        check_position(input.latitude, input.longitude)?;
        self.visible_enterprise(tx, &input.enterprise_id).await?;
        let now = now_ms();
        let inst = Installation {
            id: new_id(),
            enterprise_id: input.enterprise_id.clone(),
            code,
            name,
            description: check_opt_text("description", &input.description)?,
            people_within_500m: input.people_within_500m,
            grade: None,
            is_major_hazard: None,
            r_value: None,
            assessed_at: None,
            assessment_error: None,
            guardians: input.guardians.clone(),
            latitude: input.latitude,
            longitude: input.longitude,
            created_at: now,
            updated_at: now,
        };
        let q = Sql::insert(
            "installations",
            INSTALLATION_COLS,
            vec![
                Val::from(&inst.id),
                Val::from(&inst.enterprise_id),
                Val::from(&inst.code),
                Val::from(&inst.name),
                Val::from(inst.description.clone()),
                Val::from(inst.people_within_500m),
                Val::from(inst.grade),
                Val::from(to_json(&inst.guardians).to_string()),
                Val::from(inst.latitude),
                Val::from(inst.longitude),
                Val::from(now),
                Val::from(now),
            ],
        );
        q.query().execute(&mut *tx.tx).await.map_err(|err| {
            map_unique(
                err,
                "code",
                "该企业已有相同编码的重大危险源",
                "this enterprise already has an installation with this code",
            )
        })?;
        tx.audit(Change {
            action: "create",
            entity_type: "installation",
            entity_id: &inst.id,
            enterprise_id: Some(&inst.enterprise_id),
            region_code: None,
            before: None,
            after: Some(to_json(&inst)),
        })
        .await?;
        Ok(inst)
    }

    pub async fn update_installation(
        &self,
        tx: &mut WriteTx,
        id: &str,
        patch: &InstallationPatch,
    ) -> Result<Installation> {
        let before = self.installation_in_tx(tx, id).await?;
        let mut after = before.clone();
        if let Some(n) = &patch.name {
            after.name = check_name("name", n)?;
        }
        if patch.description.is_some() {
            after.description = check_opt_text("description", &patch.description)?;
        }
        if let Some(p) = patch.people_within_500m {
            check_people(p)?;
            after.people_within_500m = p;
        }
        if let Some(g) = &patch.guardians {
            after.guardians = g.clone();
        }
        check_position(patch.latitude, patch.longitude)?;
        if patch.latitude.is_some() {
            after.latitude = patch.latitude;
        }
        if patch.longitude.is_some() {
            after.longitude = patch.longitude;
        }
        after.updated_at = now_ms();
        let mut q = Sql::new("UPDATE installations SET name = ");
        q.bind(&after.name)
            .push(", latitude = ")
            .bind(after.latitude)
            .push(", longitude = ")
            .bind(after.longitude)
            .push(", description = ")
            .bind(after.description.clone())
            .push(", people_within_500m = ")
            .bind(after.people_within_500m)
            .push(", guardians = ")
            .bind(to_json(&after.guardians).to_string())
            .push(", updated_at = ")
            .bind(after.updated_at)
            .push(" WHERE id = ")
            .bind(id);
        q.query().execute(&mut *tx.tx).await?;
        tx.audit(Change {
            action: "update",
            entity_type: "installation",
            entity_id: id,
            enterprise_id: Some(&after.enterprise_id),
            region_code: None,
            before: Some(to_json(&before)),
            after: Some(to_json(&after)),
        })
        .await?;
        self.reassess_installation(tx, id, "installation").await?;
        Ok(after)
    }

    // ------------------------------------------------------------ units

    pub async fn list_units(
        &self,
        scope: &Scope,
        filter: &ListFilter,
        paging: Paging,
    ) -> Result<Page<Unit>> {
        let mut s = Sql::new(" FROM units WHERE 1=1");
        filter_enterprise(&mut s, scope, "enterprise_id");
        if let Some(e) = &filter.enterprise_id {
            s.push(" AND enterprise_id = ").bind(e);
        }
        if let Some(i) = &filter.installation_id {
            s.push(" AND installation_id = ").bind(i);
        }
        push_q(&mut s, &filter.q, &["name"]);
        self.paged(
            &format!("SELECT {UNIT_COLS}"),
            &s,
            "installation_id, name",
            paging,
            decode_unit,
        )
        .await
    }

    pub async fn get_unit(&self, scope: &Scope, id: &str) -> Result<Unit> {
        let mut s = Sql::new(&format!("SELECT {UNIT_COLS} FROM units WHERE id = "));
        s.bind(id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        self.one(s, "unit", decode_unit).await
    }

    async fn unit_in_tx(&self, tx: &mut WriteTx, id: &str) -> Result<Unit> {
        let mut s = Sql::new(&format!("SELECT {UNIT_COLS} FROM units WHERE id = "));
        s.bind(id);
        filter_enterprise(&mut s, &tx.actor.scope, "enterprise_id");
        let row = s
            .query()
            .fetch_optional(&mut *tx.tx)
            .await?
            .ok_or(StoreError::NotFound { entity: "unit" })?;
        decode_unit(&row)
    }

    pub async fn create_unit(&self, tx: &mut WriteTx, input: &UnitInput) -> Result<Unit> {
        let name = check_name("name", &input.name)?;
        let inst = self.installation_in_tx(tx, &input.installation_id).await?;
        let now = now_ms();
        let unit = Unit {
            id: new_id(),
            enterprise_id: inst.enterprise_id,
            installation_id: inst.id,
            name,
            kind: input.kind,
            created_at: now,
            updated_at: now,
        };
        let q = Sql::insert(
            "units",
            UNIT_COLS,
            vec![
                Val::from(&unit.id),
                Val::from(&unit.enterprise_id),
                Val::from(&unit.installation_id),
                Val::from(&unit.name),
                Val::from(unit.kind.as_str()),
                Val::from(now),
                Val::from(now),
            ],
        );
        q.query().execute(&mut *tx.tx).await.map_err(|err| {
            map_unique(
                err,
                "name",
                "该重大危险源已有同名单元",
                "this installation already has a unit with this name",
            )
        })?;
        tx.audit(Change {
            action: "create",
            entity_type: "unit",
            entity_id: &unit.id,
            enterprise_id: Some(&unit.enterprise_id),
            region_code: None,
            before: None,
            after: Some(to_json(&unit)),
        })
        .await?;
        Ok(unit)
    }

    // ------------------------------------------------------------ equipment

    pub async fn list_equipment(
        &self,
        scope: &Scope,
        filter: &ListFilter,
        paging: Paging,
    ) -> Result<Page<Equipment>> {
        let mut s = Sql::new(" FROM equipment WHERE 1=1");
        filter_enterprise(&mut s, scope, "enterprise_id");
        if let Some(e) = &filter.enterprise_id {
            s.push(" AND enterprise_id = ").bind(e);
        }
        if let Some(i) = &filter.installation_id {
            s.push(" AND installation_id = ").bind(i);
        }
        if let Some(u) = &filter.unit_id {
            s.push(" AND unit_id = ").bind(u);
        }
        push_q(&mut s, &filter.q, &["name", "code"]);
        self.paged(
            &format!("SELECT {EQUIPMENT_COLS}"),
            &s,
            "enterprise_id, code",
            paging,
            decode_equipment,
        )
        .await
    }

    pub async fn get_equipment(&self, scope: &Scope, id: &str) -> Result<Equipment> {
        let mut s = Sql::new(&format!(
            "SELECT {EQUIPMENT_COLS} FROM equipment WHERE id = "
        ));
        s.bind(id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        self.one(s, "equipment", decode_equipment).await
    }

    pub async fn create_equipment(
        &self,
        tx: &mut WriteTx,
        input: &EquipmentInput,
    ) -> Result<Equipment> {
        let name = check_name("name", &input.name)?;
        let code = check_name("code", &input.code)?;
        check_nonneg_finite("design_volume_m3", input.design_volume_m3)?;
        check_nonneg_finite("design_pressure_mpa", input.design_pressure_mpa)?;
        let unit = self.unit_in_tx(tx, &input.unit_id).await?;
        let now = now_ms();
        let eq = Equipment {
            id: new_id(),
            enterprise_id: unit.enterprise_id,
            installation_id: unit.installation_id,
            unit_id: unit.id,
            code,
            name,
            kind: input.kind,
            design_volume_m3: input.design_volume_m3,
            design_pressure_mpa: input.design_pressure_mpa,
            created_at: now,
            updated_at: now,
        };
        let q = Sql::insert(
            "equipment",
            EQUIPMENT_COLS,
            vec![
                Val::from(&eq.id),
                Val::from(&eq.enterprise_id),
                Val::from(&eq.installation_id),
                Val::from(&eq.unit_id),
                Val::from(&eq.code),
                Val::from(&eq.name),
                Val::from(eq.kind.as_str()),
                Val::from(eq.design_volume_m3),
                Val::from(eq.design_pressure_mpa),
                Val::from(now),
                Val::from(now),
            ],
        );
        q.query().execute(&mut *tx.tx).await.map_err(|err| {
            map_unique(
                err,
                "code",
                "该企业已有相同编号的设备",
                "this enterprise already has equipment with this code",
            )
        })?;
        tx.audit(Change {
            action: "create",
            entity_type: "equipment",
            entity_id: &eq.id,
            enterprise_id: Some(&eq.enterprise_id),
            region_code: None,
            before: None,
            after: Some(to_json(&eq)),
        })
        .await?;
        Ok(eq)
    }

    // ------------------------------------------------------------ points

    pub async fn list_points(
        &self,
        scope: &Scope,
        filter: &ListFilter,
        paging: Paging,
    ) -> Result<Page<Point>> {
        let mut s = Sql::new(" FROM points WHERE 1=1");
        filter_enterprise(&mut s, scope, "enterprise_id");
        if let Some(e) = &filter.enterprise_id {
            s.push(" AND enterprise_id = ").bind(e);
        }
        if let Some(i) = &filter.installation_id {
            s.push(" AND installation_id = ").bind(i);
        }
        if let Some(ind) = filter.indicator {
            s.push(" AND indicator = ").bind(ind.as_str());
        }
        push_q(&mut s, &filter.q, &["tag", "name"]);
        self.paged(
            &format!("SELECT {POINT_COLS}"),
            &s,
            "enterprise_id, tag",
            paging,
            decode_point,
        )
        .await
    }

    /// Points with this tag visible in `scope` (a tag is unique within an
    /// enterprise; a regulator may see the same tag at several enterprises).
    pub async fn find_points_by_tag(
        &self,
        scope: &Scope,
        tag: &Tag,
        enterprise_id: Option<&str>,
    ) -> Result<Vec<Point>> {
        let mut s = Sql::new(&format!("SELECT {POINT_COLS} FROM points WHERE tag = "));
        s.bind(tag.as_str());
        filter_enterprise(&mut s, scope, "enterprise_id");
        if let Some(e) = enterprise_id {
            s.push(" AND enterprise_id = ").bind(e);
        }
        s.push(" ORDER BY enterprise_id LIMIT 50");
        let rows = s.query().fetch_all(self.pool()).await?;
        rows.iter().map(decode_point).collect()
    }

    pub async fn get_point(&self, scope: &Scope, id: &str) -> Result<Point> {
        let mut s = Sql::new(&format!("SELECT {POINT_COLS} FROM points WHERE id = "));
        s.bind(id);
        filter_enterprise(&mut s, scope, "enterprise_id");
        self.one(s, "point", decode_point).await
    }

    pub async fn create_point(&self, tx: &mut WriteTx, input: &PointInput) -> Result<Point> {
        let name = check_name("name", &input.name)?;
        let unit = check_point_shape(
            input.indicator,
            &input.unit,
            input.range_low,
            input.range_high,
            &input.limits,
        )?;
        let inst = self.installation_in_tx(tx, &input.installation_id).await?;
        if let Some(eq_id) = &input.equipment_id {
            let mut q = Sql::new("SELECT installation_id FROM equipment WHERE id = ");
            q.bind(eq_id);
            filter_enterprise(&mut q, &tx.actor.scope, "enterprise_id");
            let eq_inst: String =
                q.scalar()
                    .fetch_optional(&mut *tx.tx)
                    .await?
                    .ok_or(StoreError::NotFound {
                        entity: "equipment",
                    })?;
            if eq_inst != inst.id {
                return Err(StoreError::invalid(
                    "equipment_id",
                    "设备不属于该重大危险源",
                    "the equipment does not belong to this installation",
                ));
            }
        }
        let now = now_ms();
        let p = Point {
            id: new_id(),
            enterprise_id: inst.enterprise_id,
            installation_id: inst.id,
            equipment_id: input.equipment_id.clone(),
            tag: input.tag.as_str().to_string(),
            name,
            indicator: input.indicator,
            unit,
            range_low: input.range_low,
            range_high: input.range_high,
            limits: input.limits,
            latitude: None,
            longitude: None,
            created_at: now,
            updated_at: now,
        };
        let (latitude, longitude) = point_position(input.latitude, input.longitude)?;
        let p = Point {
            latitude,
            longitude,
            ..p
        };
        let q = Sql::insert(
            "points",
            POINT_COLS,
            vec![
                Val::from(&p.id),
                Val::from(&p.enterprise_id),
                Val::from(&p.installation_id),
                Val::from(p.equipment_id.clone()),
                Val::from(&p.tag),
                Val::from(&p.name),
                Val::from(p.indicator.as_str()),
                Val::from(&p.unit),
                Val::from(p.range_low),
                Val::from(p.range_high),
                Val::from(p.limits.ll),
                Val::from(p.limits.l),
                Val::from(p.limits.h),
                Val::from(p.limits.hh),
                Val::from(p.latitude),
                Val::from(p.longitude),
                Val::from(now),
                Val::from(now),
            ],
        );
        q.query().execute(&mut *tx.tx).await.map_err(|err| {
            map_unique(
                err,
                "tag",
                "该企业已有相同位号",
                "this enterprise already has a point with this tag",
            )
        })?;
        tx.audit(Change {
            action: "create",
            entity_type: "point",
            entity_id: &p.id,
            enterprise_id: Some(&p.enterprise_id),
            region_code: None,
            before: None,
            after: Some(to_json(&p)),
        })
        .await?;
        Ok(p)
    }

    pub async fn update_point(
        &self,
        tx: &mut WriteTx,
        id: &str,
        patch: &PointPatch,
    ) -> Result<Point> {
        let mut s = Sql::new(&format!("SELECT {POINT_COLS} FROM points WHERE id = "));
        s.bind(id);
        filter_enterprise(&mut s, &tx.actor.scope, "enterprise_id");
        let row = s
            .query()
            .fetch_optional(&mut *tx.tx)
            .await?
            .ok_or(StoreError::NotFound { entity: "point" })?;
        let before = decode_point(&row)?;
        let mut after = before.clone();
        if let Some(n) = &patch.name {
            after.name = check_name("name", n)?;
        }
        after.range_low = patch.range_low.unwrap_or(after.range_low);
        after.range_high = patch.range_high.unwrap_or(after.range_high);
        if let Some(l) = patch.limits {
            after.limits = l;
        }
        if patch.latitude.is_some() || patch.longitude.is_some() {
            (after.latitude, after.longitude) = point_position(patch.latitude, patch.longitude)?;
        }
        check_point_shape(
            after.indicator,
            &after.unit,
            after.range_low,
            after.range_high,
            &after.limits,
        )?;
        after.updated_at = now_ms();
        let mut q = Sql::new("UPDATE points SET name = ");
        q.bind(&after.name)
            .push(", range_low = ")
            .bind(after.range_low)
            .push(", range_high = ")
            .bind(after.range_high)
            .push(", limit_ll = ")
            .bind(after.limits.ll)
            .push(", limit_l = ")
            .bind(after.limits.l)
            .push(", limit_h = ")
            .bind(after.limits.h)
            .push(", limit_hh = ")
            .bind(after.limits.hh)
            .push(", latitude = ")
            .bind(after.latitude)
            .push(", longitude = ")
            .bind(after.longitude)
            .push(", updated_at = ")
            .bind(after.updated_at)
            .push(" WHERE id = ")
            .bind(id);
        q.query().execute(&mut *tx.tx).await?;
        tx.audit(Change {
            action: "update",
            entity_type: "point",
            entity_id: id,
            enterprise_id: Some(&after.enterprise_id),
            region_code: None,
            before: Some(to_json(&before)),
            after: Some(to_json(&after)),
        })
        .await?;
        Ok(after)
    }

    // ------------------------------------------------------------ chemicals

    /// The chemical catalogue is shared by all tenants (it holds no tenant data).
    pub async fn list_chemicals(
        &self,
        filter: &ListFilter,
        paging: Paging,
    ) -> Result<Page<Chemical>> {
        let mut s = Sql::new(" FROM chemicals WHERE 1=1");
        push_q(&mut s, &filter.q, &["name_zh", "name_en", "cas", "aliases"]);
        self.paged(
            &format!("SELECT {CHEMICAL_COLS}"),
            &s,
            "name_zh",
            paging,
            decode_chemical,
        )
        .await
    }

    pub async fn get_chemical(&self, id: &str) -> Result<Chemical> {
        let mut s = Sql::new(&format!(
            "SELECT {CHEMICAL_COLS} FROM chemicals WHERE id = "
        ));
        s.bind(id);
        self.one(s, "chemical", decode_chemical).await
    }

    /// Find a chemical by CAS number or by Chinese name / alias.
    pub async fn find_chemical(&self, key: &str) -> Result<Chemical> {
        let key = key.trim();
        let mut s = Sql::new(&format!(
            "SELECT {CHEMICAL_COLS} FROM chemicals WHERE cas = "
        ));
        s.bind(key)
            .push(" OR name_zh = ")
            .bind(key)
            .push(" OR aliases LIKE ")
            .bind(format!(
                "%{}%",
                like_escape(&serde_json::Value::String(key.to_string()).to_string())
            ));
        s.push(" ESCAPE '\\' ORDER BY name_zh LIMIT 1");
        self.one(s, "chemical", decode_chemical).await
    }

    pub async fn create_chemical(
        &self,
        tx: &mut WriteTx,
        input: &ChemicalInput,
    ) -> Result<Chemical> {
        let name_zh = check_name("name_zh", &input.name_zh)?;
        let mut aliases = Vec::new();
        for a in &input.aliases {
            aliases.push(check_name("aliases", a)?);
        }
        let now = now_ms();
        let c = Chemical {
            id: new_id(),
            cas: input.cas.as_ref().map(|c| c.as_str().to_string()),
            name_zh,
            name_en: check_opt_text("name_en", &input.name_en)?,
            aliases,
            table1_no: input.table1_no.map(i64::from),
            hazard_categories: check_gb18218(input)?,
            gb18218_excluded: input.gb18218_excluded,
            created_at: now,
            updated_at: now,
        };
        let q = Sql::insert(
            "chemicals",
            CHEMICAL_COLS,
            vec![
                Val::from(&c.id),
                Val::from(c.cas.clone()),
                Val::from(&c.name_zh),
                Val::from(c.name_en.clone()),
                Val::from(to_json(&c.aliases).to_string()),
                Val::from(c.table1_no),
                Val::from(to_json(&c.hazard_categories).to_string()),
                Val::from(i64::from(c.gb18218_excluded)),
                Val::from(now),
                Val::from(now),
            ],
        );
        q.query().execute(&mut *tx.tx).await.map_err(|err| {
            map_unique(
                err,
                "cas",
                "该CAS号或中文名称已登记",
                "a chemical with this CAS number or Chinese name exists",
            )
        })?;
        tx.audit(Change {
            action: "create",
            entity_type: "chemical",
            entity_id: &c.id,
            enterprise_id: None,
            region_code: None,
            before: None,
            after: Some(to_json(&c)),
        })
        .await?;
        Ok(c)
    }

    /// Change a chemical's GB 18218 data, then re-assess every installation
    /// that holds it (the catalogue is shared, so callers restrict this to
    /// regulators).
    pub async fn update_chemical_gb18218(
        &self,
        tx: &mut WriteTx,
        id: &str,
        patch: &ChemicalGb18218Patch,
    ) -> Result<Chemical> {
        let mut sel = Sql::new(&format!(
            "SELECT {CHEMICAL_COLS} FROM chemicals WHERE id = "
        ));
        sel.bind(id);
        let row = sel
            .query()
            .fetch_optional(&mut *tx.tx)
            .await?
            .ok_or(StoreError::NotFound { entity: "chemical" })?;
        let before = decode_chemical(&row)?;
        let merged = ChemicalInput {
            cas: None,
            name_zh: before.name_zh.clone(),
            name_en: None,
            aliases: Vec::new(),
            table1_no: match patch.table1_no {
                Some(n) => Some(n),
                None => before.table1_no.and_then(|n| u32::try_from(n).ok()),
            },
            hazard_categories: patch
                .hazard_categories
                .clone()
                .unwrap_or_else(|| before.hazard_categories.clone()),
            gb18218_excluded: patch.gb18218_excluded.unwrap_or(before.gb18218_excluded),
        };
        let categories = check_gb18218(&merged)?;
        let mut after = before.clone();
        after.table1_no = merged.table1_no.map(i64::from);
        after.hazard_categories = categories;
        after.gb18218_excluded = merged.gb18218_excluded;
        after.updated_at = now_ms();
        let mut u = Sql::new("UPDATE chemicals SET table1_no = ");
        u.bind(after.table1_no)
            .push(", hazard_categories = ")
            .bind(to_json(&after.hazard_categories).to_string())
            .push(", gb18218_excluded = ")
            .bind(i64::from(after.gb18218_excluded))
            .push(", updated_at = ")
            .bind(after.updated_at)
            .push(" WHERE id = ")
            .bind(id);
        u.query().execute(&mut *tx.tx).await?;
        tx.audit(Change {
            action: "update",
            entity_type: "chemical",
            entity_id: id,
            enterprise_id: None,
            region_code: None,
            before: Some(to_json(&before)),
            after: Some(to_json(&after)),
        })
        .await?;
        let mut holders =
            Sql::new("SELECT DISTINCT installation_id FROM inventories WHERE chemical_id = ");
        holders.bind(id);
        let rows = holders.query().fetch_all(&mut *tx.tx).await?;
        for r in rows {
            let inst: String = r.try_get("installation_id")?;
            self.reassess_installation(tx, &inst, "chemical").await?;
        }
        Ok(after)
    }

    // ------------------------------------------------------------ inventories

    pub async fn list_inventories(
        &self,
        scope: &Scope,
        filter: &ListFilter,
        paging: Paging,
    ) -> Result<Page<Inventory>> {
        let mut s = Sql::new(INVENTORY_FROM);
        filter_enterprise(&mut s, scope, "i.enterprise_id");
        if let Some(e) = &filter.enterprise_id {
            s.push(" AND i.enterprise_id = ").bind(e);
        }
        if let Some(i) = &filter.installation_id {
            s.push(" AND i.installation_id = ").bind(i);
        }
        if let Some(u) = &filter.unit_id {
            s.push(" AND i.unit_id = ").bind(u);
        }
        push_q(&mut s, &filter.q, &["c.name_zh", "c.cas"]);
        self.paged(
            INVENTORY_SELECT,
            &s,
            "i.unit_id, c.name_zh",
            paging,
            decode_inventory,
        )
        .await
    }

    pub async fn get_inventory(&self, scope: &Scope, id: &str) -> Result<Inventory> {
        let mut s = Sql::new(INVENTORY_FROM);
        s.push(" AND i.id = ").bind(id);
        filter_enterprise(&mut s, scope, "i.enterprise_id");
        let s = s.with_prefix(INVENTORY_SELECT);
        self.one(s, "inventory", decode_inventory).await
    }

    async fn inventory_in_tx(&self, tx: &mut WriteTx, id: &str) -> Result<Inventory> {
        let mut s = Sql::new(INVENTORY_FROM);
        s.push(" AND i.id = ").bind(id);
        filter_enterprise(&mut s, &tx.actor.scope, "i.enterprise_id");
        let s = s.with_prefix(INVENTORY_SELECT);
        let row = s
            .query()
            .fetch_optional(&mut *tx.tx)
            .await?
            .ok_or(StoreError::NotFound {
                entity: "inventory",
            })?;
        decode_inventory(&row)
    }

    pub async fn create_inventory(
        &self,
        tx: &mut WriteTx,
        input: &InventoryInput,
    ) -> Result<Inventory> {
        check_quantity(input.design_max_quantity_t)?;
        let unit = self.unit_in_tx(tx, &input.unit_id).await?;
        let mut q = Sql::new("SELECT COUNT(*) FROM chemicals WHERE id = ");
        q.bind(&input.chemical_id);
        let n: i64 = q.scalar().fetch_one(&mut *tx.tx).await?;
        if n == 0 {
            return Err(StoreError::NotFound { entity: "chemical" });
        }
        let now = now_ms();
        let id = new_id();
        let q = Sql::insert(
            "inventories",
            "id, enterprise_id, installation_id, unit_id, chemical_id, design_max_quantity_t, note, created_at, updated_at",
            vec![
                Val::from(&id),
                Val::from(&unit.enterprise_id),
                Val::from(&unit.installation_id),
                Val::from(&unit.id),
                Val::from(&input.chemical_id),
                Val::from(input.design_max_quantity_t),
                Val::from(check_opt_text("note", &input.note)?),
                Val::from(now),
                Val::from(now),
            ],
        );
        q.query().execute(&mut *tx.tx).await.map_err(|err| {
            map_unique(
                err,
                "chemical_id",
                "该单元已登记此化学品",
                "this unit already lists this chemical",
            )
        })?;
        let inv = self.inventory_in_tx(tx, &id).await?;
        tx.audit(Change {
            action: "create",
            entity_type: "inventory",
            entity_id: &inv.id,
            enterprise_id: Some(&inv.enterprise_id),
            region_code: None,
            before: None,
            after: Some(to_json(&inv)),
        })
        .await?;
        self.reassess_installation(tx, &inv.installation_id, "inventory")
            .await?;
        Ok(inv)
    }

    pub async fn update_inventory_quantity(
        &self,
        tx: &mut WriteTx,
        id: &str,
        quantity_t: f64,
        note: Option<String>,
    ) -> Result<Inventory> {
        check_quantity(quantity_t)?;
        let before = self.inventory_in_tx(tx, id).await?;
        let mut q = Sql::new("UPDATE inventories SET design_max_quantity_t = ");
        q.bind(quantity_t)
            .push(", note = ")
            .bind(check_opt_text("note", &note)?.or(before.note.clone()))
            .push(", updated_at = ")
            .bind(now_ms())
            .push(" WHERE id = ")
            .bind(id);
        q.query().execute(&mut *tx.tx).await?;
        let after = self.inventory_in_tx(tx, id).await?;
        tx.audit(Change {
            action: "update",
            entity_type: "inventory",
            entity_id: id,
            enterprise_id: Some(&after.enterprise_id),
            region_code: None,
            before: Some(to_json(&before)),
            after: Some(to_json(&after)),
        })
        .await?;
        self.reassess_installation(tx, &after.installation_id, "inventory")
            .await?;
        Ok(after)
    }

    pub async fn delete_inventory(&self, tx: &mut WriteTx, id: &str) -> Result<()> {
        let before = self.inventory_in_tx(tx, id).await?;
        let mut q = Sql::new("DELETE FROM inventories WHERE id = ");
        q.bind(id);
        q.query().execute(&mut *tx.tx).await?;
        tx.audit(Change {
            action: "delete",
            entity_type: "inventory",
            entity_id: id,
            enterprise_id: Some(&before.enterprise_id),
            region_code: None,
            before: Some(to_json(&before)),
            after: None,
        })
        .await?;
        self.reassess_installation(tx, &before.installation_id, "inventory")
            .await?;
        Ok(())
    }
}

/// Check a chemical's GB 18218 data against the tables: the Table 1 row
/// exists, every category is a Table 2 code; returns the normalised codes.
fn check_gb18218(input: &ChemicalInput) -> Result<Vec<String>> {
    let table_err = |e: weihua_standards::TableError| StoreError::Corrupt(e.to_string());
    if let Some(no) = input.table1_no
        && weihua_standards::table1_row(no)
            .map_err(table_err)?
            .is_none()
    {
        return Err(StoreError::invalid(
            "table1_no",
            format!("GB 18218表1没有第{no}项（1–85）"),
            format!("GB 18218 Table 1 has no row {no} (1–85)"),
        ));
    }
    let mut out = Vec::new();
    for c in &input.hazard_categories {
        let code = c.trim().to_ascii_uppercase();
        match weihua_standards::table2_category(&code).map_err(table_err)? {
            Some(row) => out.push(row.code.clone()),
            None => {
                return Err(StoreError::invalid(
                    "hazard_categories",
                    format!("“{c}”不是GB 18218表2的类别代码（如 W2、W5.4、J3）"),
                    format!("'{c}' is not a GB 18218 Table 2 category code (e.g. W2, W5.4, J3)"),
                ));
            }
        }
    }
    if input.gb18218_excluded && (input.table1_no.is_some() || !out.is_empty()) {
        return Err(StoreError::invalid(
            "gb18218_excluded",
            "声明不属于GB 18218辨识范围的化学品不能同时填写表1序号或危险性类别",
            "a chemical declared outside GB 18218 cannot also have a Table 1 row or categories",
        ));
    }
    Ok(out)
}

fn check_quantity(q: f64) -> Result<()> {
    if !q.is_finite() || q <= 0.0 || q > 1.0e7 {
        return Err(StoreError::invalid(
            "design_max_quantity_t",
            "设计最大量应为大于0且不超过10000000吨的数",
            "the design maximum quantity must be above 0 and at most 10000000 t",
        ));
    }
    Ok(())
}
