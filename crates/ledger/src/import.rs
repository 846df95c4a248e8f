//! 台账导入 — applying a [`LedgerBatch`] to the store, all or nothing.

use crate::parse::{Rejected, csv_lenient, xlsx_lenient};
use crate::rows::{
    EnterpriseRow, EquipmentRow, InstallationRow, InventoryRow, LedgerBatch, Located, PointRow,
    UnitRow,
};
use crate::{LedgerErrors, LedgerKind, RowError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use weihua_core::{CreditCode, Scope};
use weihua_store::registry::{
    EnterpriseInput, EquipmentInput, InstallationInput, InventoryInput, ListFilter, PointInput,
    UnitInput,
};
use weihua_store::{Actor, Backend, Paging, Store, StoreError, WriteTx};

/// 导入结果 — what an import created (or, for a check, would create), per
/// kind (`enterprises`, `points`, …); every kind is listed, 0 where none.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportReport {
    pub created: BTreeMap<String, usize>,
}

/// 台账导入 — ledger import: apply `batch` in one audited write transaction,
/// in dependency order (enterprises, installations, units, equipment, points,
/// inventories). References resolve to rows of the same batch or to rows
/// already in the store and visible to `actor`. Every problem is collected;
/// if there is any, nothing is written and all of them are returned.
///
/// Whether the actor's role may edit the ledger at all is the caller's
/// check (`Role::may`); the store confines every row to the actor's scope.
pub async fn import(
    store: &Store,
    actor: &Actor,
    batch: &LedgerBatch,
) -> Result<ImportReport, LedgerErrors> {
    run(store, actor, batch, Rejected::default(), Vec::new(), true).await
}

/// 导入预检 — a dry run of [`import`]: the same checks against the store, then
/// the transaction is always rolled back. Returns what would be created.
pub async fn check(
    store: &Store,
    actor: &Actor,
    batch: &LedgerBatch,
) -> Result<ImportReport, LedgerErrors> {
    run(store, actor, batch, Rejected::default(), Vec::new(), false).await
}

/// 导入Excel台账 — parse a workbook and import it. Unlike
/// `parse_xlsx` followed by `import`, the rows that parse are still checked
/// against the store when others do not, so one answer lists every problem of
/// the file (cell errors and reference errors alike). Nothing is written
/// unless there is no problem at all.
pub async fn import_xlsx(
    store: &Store,
    actor: &Actor,
    bytes: &[u8],
) -> Result<ImportReport, LedgerErrors> {
    let parsed = xlsx_lenient(bytes);
    run(
        store,
        actor,
        &parsed.batch,
        parsed.rejected,
        parsed.errors,
        true,
    )
    .await
}

/// 导入CSV台账 — parse one CSV sheet of `kind` and import it, reporting every
/// problem together like [`import_xlsx`].
pub async fn import_csv(
    store: &Store,
    actor: &Actor,
    kind: LedgerKind,
    bytes: &[u8],
) -> Result<ImportReport, LedgerErrors> {
    let parsed = csv_lenient(kind, bytes);
    run(
        store,
        actor,
        &parsed.batch,
        parsed.rejected,
        parsed.errors,
        true,
    )
    .await
}

/// 预检Excel台账 — like [`import_xlsx`] (every problem of the file in one
/// answer), but the transaction is always rolled back: a preview.
pub async fn check_xlsx(
    store: &Store,
    actor: &Actor,
    bytes: &[u8],
) -> Result<ImportReport, LedgerErrors> {
    let parsed = xlsx_lenient(bytes);
    run(
        store,
        actor,
        &parsed.batch,
        parsed.rejected,
        parsed.errors,
        false,
    )
    .await
}

/// 预检CSV台账 — like [`import_csv`], but the transaction is always rolled back.
pub async fn check_csv(
    store: &Store,
    actor: &Actor,
    kind: LedgerKind,
    bytes: &[u8],
) -> Result<ImportReport, LedgerErrors> {
    let parsed = csv_lenient(kind, bytes);
    run(
        store,
        actor,
        &parsed.batch,
        parsed.rejected,
        parsed.errors,
        false,
    )
    .await
}

fn zero_report() -> BTreeMap<String, usize> {
    LedgerKind::ALL
        .into_iter()
        .map(|k| (k.as_str().to_string(), 0))
        .collect()
}

async fn run(
    store: &Store,
    actor: &Actor,
    batch: &LedgerBatch,
    rejected: Rejected,
    mut errors: Vec<RowError>,
    commit: bool,
) -> Result<ImportReport, LedgerErrors> {
    if batch.is_empty() {
        return if errors.is_empty() {
            Ok(ImportReport {
                created: zero_report(),
            })
        } else {
            Err(LedgerErrors::sorted(errors))
        };
    }
    let mut tx = match store.write(actor).await {
        Ok(tx) => tx,
        Err(e) => {
            errors.push(database_error("", 0, &e));
            return Err(LedgerErrors::sorted(errors));
        }
    };
    let mut imp = Importer::new(store, actor, rejected, errors);
    imp.enterprises(&mut tx, &batch.enterprises).await;
    imp.installations(&mut tx, &batch.installations).await;
    imp.units(&mut tx, &batch.units).await;
    imp.equipment(&mut tx, &batch.equipment).await;
    imp.points(&mut tx, &batch.points).await;
    imp.inventories(&mut tx, &batch.inventories).await;
    if !imp.errors.is_empty() {
        // Dropping the transaction rolls every change (and its audit entries) back.
        drop(tx);
        return Err(LedgerErrors::sorted(imp.errors));
    }
    if commit && let Err(e) = tx.commit().await {
        return Err(LedgerErrors::one(database_error("", 0, &e)));
    }
    Ok(ImportReport {
        created: imp.created,
    })
}

fn database_error(sheet: &str, row: usize, e: &StoreError) -> RowError {
    RowError::new(
        sheet,
        row,
        None,
        format!("数据库错误，导入已中止，未写入任何数据：{e}"),
        format!("database error; the import was stopped and nothing was written: {e}"),
    )
}

/// Where a row came from, for its errors.
#[derive(Clone, Copy)]
struct Loc<'b> {
    kind: LedgerKind,
    sheet: &'b str,
    row: usize,
}

impl<'b> Loc<'b> {
    fn of<T>(kind: LedgerKind, r: &'b Located<T>) -> Self {
        Self {
            kind,
            sheet: &r.sheet,
            row: r.row,
        }
    }
}

fn entity_zh(entity: &str) -> &str {
    match entity {
        "enterprise" => "企业",
        "installation" => "重大危险源",
        "unit" => "单元",
        "equipment" => "设备",
        "chemical" => "化学品",
        "park" => "园区",
        "region" => "行政区划",
        other => other,
    }
}

/// The sheet column a store error's field is about.
fn column_for_field(kind: LedgerKind, field: &str) -> Option<&'static str> {
    let key = match field {
        "equipment_id" => "equipment_code",
        "chemical_id" => "chemical",
        "park_id" => "park",
        "installation_id" => "installation_code",
        "unit_id" => "unit_name",
        "enterprise_id" => "enterprise_credit_code",
        f => f,
    };
    kind.column(key).map(|c| c.key)
}

/// The sheet column that names an entity the store did not find.
fn column_for_entity(kind: LedgerKind, entity: &str) -> Option<&'static str> {
    let key = match entity {
        "enterprise" if kind == LedgerKind::Enterprises => "credit_code",
        "enterprise" => "enterprise_credit_code",
        "installation" => "installation_code",
        "unit" => "unit_name",
        "equipment" => "equipment_code",
        "chemical" => "chemical",
        "park" => "park",
        "region" => "region_code",
        _ => return None,
    };
    kind.column(key).map(|c| c.key)
}

/// Rows known to exist: loaded from the store on first use, then extended with
/// the rows this batch creates (which other connections cannot see yet).
struct Importer<'a> {
    store: &'a Store,
    scope: Scope,
    /// On PostgreSQL a failed statement aborts the transaction, so the first
    /// such failure ends the checking.
    postgres: bool,
    errors: Vec<RowError>,
    /// Rows that were refused or not created: rows referring to them are
    /// skipped without a second error.
    skip: Rejected,
    stop: bool,
    created: BTreeMap<String, usize>,
    /// credit code → enterprise id (None: not found)
    enterprises: HashMap<String, Option<String>>,
    /// enterprise id → installation code → id
    installations: HashMap<String, HashMap<String, String>>,
    /// installation id → unit name → id
    units: HashMap<String, HashMap<String, String>>,
    /// enterprise id → equipment code → id
    equipment: HashMap<String, HashMap<String, String>>,
    /// enterprise id → tags
    tags: HashMap<String, HashSet<String>>,
    /// unit id → chemical ids
    stock: HashMap<String, HashSet<String>>,
    /// chemical text → id
    chemicals: HashMap<String, Option<String>>,
    /// park name → ids of the visible parks with exactly that name
    parks: HashMap<String, Vec<String>>,
}

impl<'a> Importer<'a> {
    fn new(store: &'a Store, actor: &Actor, skip: Rejected, errors: Vec<RowError>) -> Self {
        Self {
            store,
            scope: actor.scope.clone(),
            postgres: store.backend() == Backend::Postgres,
            errors,
            skip,
            stop: false,
            created: zero_report(),
            enterprises: HashMap::new(),
            installations: HashMap::new(),
            units: HashMap::new(),
            equipment: HashMap::new(),
            tags: HashMap::new(),
            stock: HashMap::new(),
            chemicals: HashMap::new(),
            parks: HashMap::new(),
        }
    }

    // ------------------------------------------------------------ errors

    fn cell_err(&mut self, loc: Loc<'_>, key: &str, zh: impl AsRef<str>, en: impl AsRef<str>) {
        self.errors
            .push(RowError::cell(loc.kind, loc.sheet, loc.row, key, zh, en));
    }

    fn err_at(&mut self, loc: Loc<'_>, column: Option<&str>, zh: String, en: String) {
        match column {
            Some(key) => self.cell_err(loc, key, zh, en),
            None => self
                .errors
                .push(RowError::new(loc.sheet, loc.row, None, zh, en)),
        }
    }

    fn fatal(&mut self, loc: Loc<'_>, e: &StoreError) {
        self.errors.push(database_error(loc.sheet, loc.row, e));
        self.stop = true;
    }

    /// A row already exists (found before trying, so the transaction stays usable).
    fn conflict(&mut self, loc: Loc<'_>, key: &str, zh: &str, en: &str) {
        self.cell_err(loc, key, zh, en);
    }

    fn store_err(&mut self, loc: Loc<'_>, e: StoreError) {
        match e {
            StoreError::Invalid { field, zh, en } => {
                let col = column_for_field(loc.kind, &field);
                self.err_at(loc, col, zh, en);
            }
            StoreError::Conflict { field, zh, en } => {
                let col = column_for_field(loc.kind, &field);
                self.err_at(loc, col, zh, en);
                if self.postgres {
                    self.errors.push(RowError::new(
                        loc.sheet,
                        loc.row,
                        None,
                        "因上述冲突，其余行未能检查",
                        "the remaining rows were not checked because of the conflict above",
                    ));
                    self.stop = true;
                }
            }
            StoreError::NotFound { entity } => {
                let col = column_for_entity(loc.kind, entity);
                self.err_at(
                    loc,
                    col,
                    format!("{}不存在，或不在您的权限范围内", entity_zh(entity)),
                    format!("{entity} not found, or outside your scope"),
                );
            }
            other => self.fatal(loc, &other),
        }
    }

    fn count(&mut self, kind: LedgerKind) {
        *self.created.entry(kind.as_str().to_string()).or_default() += 1;
    }

    // ------------------------------------------------------------ lookups

    async fn enterprise(&mut self, credit: &CreditCode) -> Result<Option<String>, StoreError> {
        if let Some(v) = self.enterprises.get(credit.as_str()) {
            return Ok(v.clone());
        }
        let v = match self
            .store
            .find_enterprise_by_credit_code(&self.scope, credit)
            .await
        {
            Ok(e) => Some(e.id),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        self.enterprises
            .insert(credit.as_str().to_string(), v.clone());
        Ok(v)
    }

    async fn installations_of(
        &mut self,
        enterprise_id: &str,
    ) -> Result<&mut HashMap<String, String>, StoreError> {
        if !self.installations.contains_key(enterprise_id) {
            let filter = ListFilter {
                enterprise_id: Some(enterprise_id.to_string()),
                ..Default::default()
            };
            let page = self
                .store
                .list_installations(&self.scope, &filter, Paging::all())
                .await?;
            let known = page.items.into_iter().map(|i| (i.code, i.id)).collect();
            self.installations.insert(enterprise_id.to_string(), known);
        }
        Ok(self
            .installations
            .entry(enterprise_id.to_string())
            .or_default())
    }

    async fn units_of(
        &mut self,
        installation_id: &str,
    ) -> Result<&mut HashMap<String, String>, StoreError> {
        if !self.units.contains_key(installation_id) {
            let filter = ListFilter {
                installation_id: Some(installation_id.to_string()),
                ..Default::default()
            };
            let page = self
                .store
                .list_units(&self.scope, &filter, Paging::all())
                .await?;
            let known = page.items.into_iter().map(|u| (u.name, u.id)).collect();
            self.units.insert(installation_id.to_string(), known);
        }
        Ok(self.units.entry(installation_id.to_string()).or_default())
    }

    async fn equipment_of(
        &mut self,
        enterprise_id: &str,
    ) -> Result<&mut HashMap<String, String>, StoreError> {
        if !self.equipment.contains_key(enterprise_id) {
            let filter = ListFilter {
                enterprise_id: Some(enterprise_id.to_string()),
                ..Default::default()
            };
            let page = self
                .store
                .list_equipment(&self.scope, &filter, Paging::all())
                .await?;
            let known = page.items.into_iter().map(|e| (e.code, e.id)).collect();
            self.equipment.insert(enterprise_id.to_string(), known);
        }
        Ok(self.equipment.entry(enterprise_id.to_string()).or_default())
    }

    async fn tags_of(&mut self, enterprise_id: &str) -> Result<&mut HashSet<String>, StoreError> {
        if !self.tags.contains_key(enterprise_id) {
            let filter = ListFilter {
                enterprise_id: Some(enterprise_id.to_string()),
                ..Default::default()
            };
            let page = self
                .store
                .list_points(&self.scope, &filter, Paging::all())
                .await?;
            let known = page.items.into_iter().map(|p| p.tag).collect();
            self.tags.insert(enterprise_id.to_string(), known);
        }
        Ok(self.tags.entry(enterprise_id.to_string()).or_default())
    }

    async fn stock_of(&mut self, unit_id: &str) -> Result<&mut HashSet<String>, StoreError> {
        if !self.stock.contains_key(unit_id) {
            let filter = ListFilter {
                unit_id: Some(unit_id.to_string()),
                ..Default::default()
            };
            let page = self
                .store
                .list_inventories(&self.scope, &filter, Paging::all())
                .await?;
            let known = page.items.into_iter().map(|i| i.chemical_id).collect();
            self.stock.insert(unit_id.to_string(), known);
        }
        Ok(self.stock.entry(unit_id.to_string()).or_default())
    }

    async fn chemical(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        if let Some(v) = self.chemicals.get(key) {
            return Ok(v.clone());
        }
        let v = match self.store.find_chemical(key).await {
            Ok(c) => Some(c.id),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        self.chemicals.insert(key.to_string(), v.clone());
        Ok(v)
    }

    async fn parks_named(&mut self, name: &str) -> Result<Vec<String>, StoreError> {
        if let Some(v) = self.parks.get(name) {
            return Ok(v.clone());
        }
        let filter = ListFilter {
            q: Some(name.to_string()),
            ..Default::default()
        };
        let page = self
            .store
            .list_parks(&self.scope, &filter, Paging::all())
            .await?;
        let ids: Vec<String> = page
            .items
            .into_iter()
            .filter(|p| p.name.trim() == name)
            .map(|p| p.id)
            .collect();
        self.parks.insert(name.to_string(), ids.clone());
        Ok(ids)
    }

    // ------------------------------------------------------------ references

    /// The enterprise a row refers to; `None` when it is missing (reported,
    /// unless its own row was refused) or on a fatal error.
    async fn resolve_enterprise(&mut self, loc: Loc<'_>, credit: &CreditCode) -> Option<String> {
        match self.enterprise(credit).await {
            Ok(Some(id)) => Some(id),
            Ok(None) => {
                if !(self.skip.enterprises.contains(credit.as_str())
                    || self.skip.kinds.contains(&LedgerKind::Enterprises))
                {
                    self.cell_err(
                        loc,
                        "enterprise_credit_code",
                        format!(
                            "未找到统一社会信用代码为“{credit}”的企业（企业表和系统中都没有，或不在您的权限范围内）"
                        ),
                        format!(
                            "no enterprise with unified social credit code '{credit}' in the enterprises sheet or the registry (or it is outside your scope)"
                        ),
                    );
                }
                None
            }
            Err(e) => {
                self.fatal(loc, &e);
                None
            }
        }
    }

    /// (enterprise id, installation id) a row refers to.
    async fn resolve_installation(
        &mut self,
        loc: Loc<'_>,
        credit: &CreditCode,
        code: &str,
    ) -> Option<(String, String)> {
        let ent = self.resolve_enterprise(loc, credit).await?;
        let found = match self.installations_of(&ent).await {
            Ok(known) => known.get(code).cloned(),
            Err(e) => {
                self.fatal(loc, &e);
                return None;
            }
        };
        if let Some(inst) = found {
            return Some((ent, inst));
        }
        let refused = self
            .skip
            .installations
            .contains(&(credit.to_string(), code.to_string()))
            || self.skip.kinds.contains(&LedgerKind::Installations);
        if !refused {
            self.cell_err(
                loc,
                "installation_code",
                format!(
                    "企业“{credit}”没有编码为“{code}”的重大危险源（重大危险源表和系统中都没有）"
                ),
                format!(
                    "enterprise '{credit}' has no major hazard installation with code '{code}' in the installations sheet or the registry"
                ),
            );
        }
        None
    }

    /// (enterprise id, installation id, unit id) a row refers to.
    async fn resolve_unit(
        &mut self,
        loc: Loc<'_>,
        credit: &CreditCode,
        installation_code: &str,
        unit_name: &str,
    ) -> Option<(String, String, String)> {
        let (ent, inst) = self
            .resolve_installation(loc, credit, installation_code)
            .await?;
        let found = match self.units_of(&inst).await {
            Ok(known) => known.get(unit_name).cloned(),
            Err(e) => {
                self.fatal(loc, &e);
                return None;
            }
        };
        if let Some(unit) = found {
            return Some((ent, inst, unit));
        }
        let key = (
            credit.to_string(),
            installation_code.to_string(),
            unit_name.to_string(),
        );
        let refused =
            self.skip.units.contains(&key) || self.skip.kinds.contains(&LedgerKind::Units);
        if !refused {
            self.cell_err(
                loc,
                "unit_name",
                format!(
                    "重大危险源“{installation_code}”没有名为“{unit_name}”的单元（单元表和系统中都没有）"
                ),
                format!(
                    "installation '{installation_code}' has no unit named '{unit_name}' in the units sheet or the registry"
                ),
            );
        }
        None
    }

    // ------------------------------------------------------------ sheets

    async fn enterprises(&mut self, tx: &mut WriteTx, rows: &[Located<EnterpriseRow>]) {
        for r in rows {
            if self.stop {
                return;
            }
            let loc = Loc::of(LedgerKind::Enterprises, r);
            if !self.enterprise_row(tx, loc, &r.data).await {
                self.skip.enterprises.insert(r.data.credit_code.to_string());
            }
        }
    }

    async fn enterprise_row(&mut self, tx: &mut WriteTx, loc: Loc<'_>, d: &EnterpriseRow) -> bool {
        let park_id = match &d.park {
            None => None,
            Some(name) => match self.parks_named(name).await {
                Err(e) => {
                    self.fatal(loc, &e);
                    return false;
                }
                Ok(ids) => match ids.as_slice() {
                    [id] => Some(id.clone()),
                    [] => {
                        self.cell_err(
                            loc,
                            "park",
                            format!("未找到名为“{name}”的园区（或不在您的权限范围内）"),
                            format!("no park named '{name}' (or it is outside your scope)"),
                        );
                        return false;
                    }
                    _ => {
                        self.cell_err(
                            loc,
                            "park",
                            format!("有多个名为“{name}”的园区，无法确定是哪一个"),
                            format!("several parks are named '{name}'; cannot tell which"),
                        );
                        return false;
                    }
                },
            },
        };
        match self.enterprise(&d.credit_code).await {
            Err(e) => {
                self.fatal(loc, &e);
                return false;
            }
            Ok(Some(_)) => {
                self.conflict(
                    loc,
                    "credit_code",
                    "该统一社会信用代码已登记",
                    "an enterprise with this unified social credit code is already registered",
                );
                return false;
            }
            Ok(None) => {}
        }
        let input = EnterpriseInput {
            credit_code: d.credit_code.clone(),
            name: d.name.clone(),
            region_code: d.region_code.clone(),
            park_id,
            industry: d.industry.clone(),
            address: d.address.clone(),
            legal_representative: d.legal_representative.clone(),
        };
        match self.store.create_enterprise(tx, &input).await {
            Ok(e) => {
                self.enterprises
                    .insert(d.credit_code.to_string(), Some(e.id));
                self.count(LedgerKind::Enterprises);
                true
            }
            Err(e) => {
                self.store_err(loc, e);
                false
            }
        }
    }

    async fn installations(&mut self, tx: &mut WriteTx, rows: &[Located<InstallationRow>]) {
        for r in rows {
            if self.stop {
                return;
            }
            let loc = Loc::of(LedgerKind::Installations, r);
            if !self.installation_row(tx, loc, &r.data).await {
                self.skip.installations.insert((
                    r.data.enterprise_credit_code.to_string(),
                    r.data.code.clone(),
                ));
            }
        }
    }

    async fn installation_row(
        &mut self,
        tx: &mut WriteTx,
        loc: Loc<'_>,
        d: &InstallationRow,
    ) -> bool {
        let Some(ent) = self
            .resolve_enterprise(loc, &d.enterprise_credit_code)
            .await
        else {
            return false;
        };
        match self.installations_of(&ent).await {
            Err(e) => {
                self.fatal(loc, &e);
                return false;
            }
            Ok(known) if known.contains_key(&d.code) => {
                self.conflict(
                    loc,
                    "code",
                    "该企业已有相同编码的重大危险源",
                    "this enterprise already has an installation with this code",
                );
                return false;
            }
            Ok(_) => {}
        }
        let input = InstallationInput {
            enterprise_id: ent.clone(),
            code: d.code.clone(),
            name: d.name.clone(),
            description: d.description.clone(),
            people_within_500m: d.people_within_500m,
            guardians: d.guardians.clone(),
            latitude: d.latitude,
            longitude: d.longitude,
        };
        match self.store.create_installation(tx, &input).await {
            Ok(inst) => {
                self.installations
                    .entry(ent)
                    .or_default()
                    .insert(inst.code, inst.id);
                self.count(LedgerKind::Installations);
                true
            }
            Err(e) => {
                self.store_err(loc, e);
                false
            }
        }
    }

    async fn units(&mut self, tx: &mut WriteTx, rows: &[Located<UnitRow>]) {
        for r in rows {
            if self.stop {
                return;
            }
            let loc = Loc::of(LedgerKind::Units, r);
            if !self.unit_row(tx, loc, &r.data).await {
                self.skip.units.insert((
                    r.data.enterprise_credit_code.to_string(),
                    r.data.installation_code.clone(),
                    r.data.name.clone(),
                ));
            }
        }
    }

    async fn unit_row(&mut self, tx: &mut WriteTx, loc: Loc<'_>, d: &UnitRow) -> bool {
        let Some((_, inst)) = self
            .resolve_installation(loc, &d.enterprise_credit_code, &d.installation_code)
            .await
        else {
            return false;
        };
        match self.units_of(&inst).await {
            Err(e) => {
                self.fatal(loc, &e);
                return false;
            }
            Ok(known) if known.contains_key(&d.name) => {
                self.conflict(
                    loc,
                    "name",
                    "该重大危险源已有同名单元",
                    "this installation already has a unit with this name",
                );
                return false;
            }
            Ok(_) => {}
        }
        let input = UnitInput {
            installation_id: inst.clone(),
            name: d.name.clone(),
            kind: d.kind,
        };
        match self.store.create_unit(tx, &input).await {
            Ok(u) => {
                self.units.entry(inst).or_default().insert(u.name, u.id);
                self.count(LedgerKind::Units);
                true
            }
            Err(e) => {
                self.store_err(loc, e);
                false
            }
        }
    }

    async fn equipment(&mut self, tx: &mut WriteTx, rows: &[Located<EquipmentRow>]) {
        for r in rows {
            if self.stop {
                return;
            }
            let loc = Loc::of(LedgerKind::Equipment, r);
            if !self.equipment_row(tx, loc, &r.data).await {
                self.skip.equipment.insert((
                    r.data.enterprise_credit_code.to_string(),
                    r.data.code.clone(),
                ));
            }
        }
    }

    async fn equipment_row(&mut self, tx: &mut WriteTx, loc: Loc<'_>, d: &EquipmentRow) -> bool {
        let Some((ent, _, unit)) = self
            .resolve_unit(
                loc,
                &d.enterprise_credit_code,
                &d.installation_code,
                &d.unit_name,
            )
            .await
        else {
            return false;
        };
        match self.equipment_of(&ent).await {
            Err(e) => {
                self.fatal(loc, &e);
                return false;
            }
            Ok(known) if known.contains_key(&d.code) => {
                self.conflict(
                    loc,
                    "code",
                    "该企业已有相同编号的设备",
                    "this enterprise already has equipment with this code",
                );
                return false;
            }
            Ok(_) => {}
        }
        let input = EquipmentInput {
            unit_id: unit,
            code: d.code.clone(),
            name: d.name.clone(),
            kind: d.kind,
            design_volume_m3: d.design_volume_m3,
            design_pressure_mpa: d.design_pressure_mpa,
        };
        match self.store.create_equipment(tx, &input).await {
            Ok(eq) => {
                self.equipment
                    .entry(ent)
                    .or_default()
                    .insert(eq.code, eq.id);
                self.count(LedgerKind::Equipment);
                true
            }
            Err(e) => {
                self.store_err(loc, e);
                false
            }
        }
    }

    async fn points(&mut self, tx: &mut WriteTx, rows: &[Located<PointRow>]) {
        for r in rows {
            if self.stop {
                return;
            }
            let loc = Loc::of(LedgerKind::Points, r);
            self.point_row(tx, loc, &r.data).await;
        }
    }

    async fn point_row(&mut self, tx: &mut WriteTx, loc: Loc<'_>, d: &PointRow) {
        let Some((ent, inst)) = self
            .resolve_installation(loc, &d.enterprise_credit_code, &d.installation_code)
            .await
        else {
            return;
        };
        let equipment_id = match &d.equipment_code {
            None => None,
            Some(code) => {
                let found = match self.equipment_of(&ent).await {
                    Ok(known) => known.get(code).cloned(),
                    Err(e) => {
                        self.fatal(loc, &e);
                        return;
                    }
                };
                if found.is_none() {
                    let refused = self
                        .skip
                        .equipment
                        .contains(&(d.enterprise_credit_code.to_string(), code.clone()))
                        || self.skip.kinds.contains(&LedgerKind::Equipment);
                    if !refused {
                        self.cell_err(
                            loc,
                            "equipment_code",
                            format!("该企业没有编号为“{code}”的设备（设备表和系统中都没有）"),
                            format!(
                                "the enterprise has no equipment with code '{code}' in the equipment sheet or the registry"
                            ),
                        );
                    }
                    return;
                }
                found
            }
        };
        match self.tags_of(&ent).await {
            Err(e) => {
                self.fatal(loc, &e);
                return;
            }
            Ok(known) if known.contains(d.tag.as_str()) => {
                self.conflict(
                    loc,
                    "tag",
                    "该企业已有相同位号",
                    "this enterprise already has a point with this tag",
                );
                return;
            }
            Ok(_) => {}
        }
        let input = PointInput {
            installation_id: inst,
            equipment_id,
            tag: d.tag.clone(),
            name: d.name.clone(),
            indicator: d.indicator,
            unit: d.unit.clone(),
            range_low: d.range_low,
            range_high: d.range_high,
            limits: d.limits,
            // The ledger has no position columns yet: set positions over the API.
            latitude: None,
            longitude: None,
        };
        match self.store.create_point(tx, &input).await {
            Ok(p) => {
                self.tags.entry(ent).or_default().insert(p.tag);
                self.count(LedgerKind::Points);
            }
            Err(e) => self.store_err(loc, e),
        }
    }

    async fn inventories(&mut self, tx: &mut WriteTx, rows: &[Located<InventoryRow>]) {
        for r in rows {
            if self.stop {
                return;
            }
            let loc = Loc::of(LedgerKind::Inventories, r);
            self.inventory_row(tx, loc, &r.data).await;
        }
    }

    async fn inventory_row(&mut self, tx: &mut WriteTx, loc: Loc<'_>, d: &InventoryRow) {
        let chemical_id = match self.chemical(&d.chemical).await {
            Err(e) => {
                self.fatal(loc, &e);
                return;
            }
            Ok(None) => {
                let c = &d.chemical;
                self.cell_err(
                    loc,
                    "chemical",
                    format!(
                        "化学品目录中没有“{c}”（可填CAS号、中文名称或别名；目录中没有的化学品请先登记）"
                    ),
                    format!(
                        "'{c}' is not in the chemical catalogue (give a CAS number, Chinese name or alias; register missing chemicals first)"
                    ),
                );
                None
            }
            Ok(Some(id)) => Some(id),
        };
        // Resolve the unit even when the chemical is unknown, to report both.
        let Some((_, _, unit)) = self
            .resolve_unit(
                loc,
                &d.enterprise_credit_code,
                &d.installation_code,
                &d.unit_name,
            )
            .await
        else {
            return;
        };
        let Some(chemical_id) = chemical_id else {
            return;
        };
        match self.stock_of(&unit).await {
            Err(e) => {
                self.fatal(loc, &e);
                return;
            }
            Ok(known) if known.contains(&chemical_id) => {
                self.conflict(
                    loc,
                    "chemical",
                    "该单元已登记此化学品",
                    "this unit already lists this chemical",
                );
                return;
            }
            Ok(_) => {}
        }
        let input = InventoryInput {
            unit_id: unit.clone(),
            chemical_id,
            design_max_quantity_t: d.design_max_quantity_t,
            note: None,
        };
        match self.store.create_inventory(tx, &input).await {
            Ok(inv) => {
                self.stock.entry(unit).or_default().insert(inv.chemical_id);
                self.count(LedgerKind::Inventories);
            }
            Err(e) => self.store_err(loc, e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_fields_map_to_sheet_columns() {
        assert_eq!(
            column_for_field(LedgerKind::Points, "equipment_id"),
            Some("equipment_code")
        );
        assert_eq!(
            column_for_field(LedgerKind::Installations, "latitude"),
            Some("latitude")
        );
        assert_eq!(column_for_field(LedgerKind::Points, "limits"), None);
        assert_eq!(
            column_for_entity(LedgerKind::Enterprises, "region"),
            Some("region_code")
        );
        assert_eq!(
            column_for_entity(LedgerKind::Inventories, "unit"),
            Some("unit_name")
        );
    }
}
