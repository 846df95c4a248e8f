//! 台账导出 — the registry visible in a scope as a workbook that imports back.

use crate::{LedgerError, LedgerKind};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatBorder, Workbook, XlsxError,
};
use std::collections::HashMap;
use weihua_core::{EquipmentKind, Indicator, Scope};
use weihua_store::registry::ListFilter;
use weihua_store::{Paging, Store};

/// One cell to write.
enum Out {
    Text(String),
    Num(f64),
    Blank,
}

fn text(s: &str) -> Out {
    Out::Text(s.to_string())
}

fn opt_text(s: &Option<String>) -> Out {
    s.as_deref().map_or(Out::Blank, text)
}

fn opt_num(v: Option<f64>) -> Out {
    v.map_or(Out::Blank, Out::Num)
}

/// A row of `kind`, one cell per column in column order, so that cells can
/// never drift from their headers.
fn row(kind: LedgerKind, mut cell: impl FnMut(&str) -> Out) -> Vec<Out> {
    kind.columns().iter().map(|c| cell(c.key)).collect()
}

/// 台账导出 — ledger export: everything visible in `scope` as an `.xlsx`
/// workbook with the six sheets, Chinese sheet names and Chinese headers (the
/// ones the importer reads), a bold frozen header row and fitted columns.
/// Importing it into an empty store that has the same regions, parks and
/// chemicals recreates the same ledger.
pub async fn export_xlsx(store: &Store, scope: &Scope) -> Result<Vec<u8>, LedgerError> {
    let all = Paging::all();
    let f = ListFilter::default();
    let parks: HashMap<String, String> = store
        .list_parks(scope, &f, all)
        .await?
        .items
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut enterprises = store.list_enterprises(scope, &f, all).await?.items;
    let mut installations = store.list_installations(scope, &f, all).await?.items;
    let mut units = store.list_units(scope, &f, all).await?.items;
    let mut equipment = store.list_equipment(scope, &f, all).await?.items;
    let mut points = store.list_points(scope, &f, all).await?.items;
    let mut inventories = store.list_inventories(scope, &f, all).await?.items;

    let credit_of: HashMap<String, String> = enterprises
        .iter()
        .map(|e| (e.id.clone(), e.credit_code.clone()))
        .collect();
    let credit = |enterprise_id: &str| credit_of.get(enterprise_id).cloned().unwrap_or_default();
    let inst_code_of: HashMap<String, String> = installations
        .iter()
        .map(|i| (i.id.clone(), i.code.clone()))
        .collect();
    let inst_code = |id: &str| inst_code_of.get(id).cloned().unwrap_or_default();
    let unit_name_of: HashMap<String, String> = units
        .iter()
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect();
    let unit_name = |id: &str| unit_name_of.get(id).cloned().unwrap_or_default();
    let eq_code_of: HashMap<String, String> = equipment
        .iter()
        .map(|e| (e.id.clone(), e.code.clone()))
        .collect();

    enterprises.sort_by(|a, b| a.credit_code.cmp(&b.credit_code));
    installations.sort_by_cached_key(|i| (credit(&i.enterprise_id), i.code.clone()));
    units.sort_by_cached_key(|u| {
        (
            credit(&u.enterprise_id),
            inst_code(&u.installation_id),
            u.name.clone(),
        )
    });
    equipment.sort_by_cached_key(|e| {
        (
            credit(&e.enterprise_id),
            inst_code(&e.installation_id),
            unit_name(&e.unit_id),
            e.code.clone(),
        )
    });
    points.sort_by_cached_key(|p| {
        (
            credit(&p.enterprise_id),
            inst_code(&p.installation_id),
            p.tag.clone(),
        )
    });
    let chemical = |i: &weihua_store::registry::Inventory| {
        i.cas.clone().unwrap_or_else(|| i.chemical_name.clone())
    };
    inventories.sort_by_cached_key(|i| {
        (
            credit(&i.enterprise_id),
            inst_code(&i.installation_id),
            unit_name(&i.unit_id),
            chemical(i),
        )
    });

    let mut tables: Vec<(LedgerKind, Vec<Vec<Out>>)> = Vec::new();
    let k = LedgerKind::Enterprises;
    tables.push((
        k,
        enterprises
            .iter()
            .map(|e| {
                row(k, |key| match key {
                    "credit_code" => text(&e.credit_code),
                    "name" => text(&e.name),
                    "region_code" => text(&e.region_code),
                    "park" => e
                        .park_id
                        .as_ref()
                        .and_then(|id| parks.get(id))
                        .map_or(Out::Blank, |n| text(n)),
                    "industry" => opt_text(&e.industry),
                    "address" => opt_text(&e.address),
                    "legal_representative" => opt_text(&e.legal_representative),
                    _ => Out::Blank,
                })
            })
            .collect(),
    ));
    let k = LedgerKind::Installations;
    tables.push((
        k,
        installations
            .iter()
            .map(|i| {
                let g = &i.guardians;
                let name = |p: &Option<weihua_core::Guardian>| {
                    p.as_ref().map_or(Out::Blank, |g| text(&g.name))
                };
                let phone = |p: &Option<weihua_core::Guardian>| {
                    p.as_ref().map_or(Out::Blank, |g| opt_text(&g.phone))
                };
                row(k, |key| match key {
                    "enterprise_credit_code" => Out::Text(credit(&i.enterprise_id)),
                    "code" => text(&i.code),
                    "name" => text(&i.name),
                    "description" => opt_text(&i.description),
                    "people_within_500m" => Out::Num(i.people_within_500m as f64),
                    "principal_name" => name(&g.principal),
                    "principal_phone" => phone(&g.principal),
                    "technical_name" => name(&g.technical),
                    "technical_phone" => phone(&g.technical),
                    "operational_name" => name(&g.operational),
                    "operational_phone" => phone(&g.operational),
                    "latitude" => opt_num(i.latitude),
                    "longitude" => opt_num(i.longitude),
                    _ => Out::Blank,
                })
            })
            .collect(),
    ));
    let k = LedgerKind::Units;
    tables.push((
        k,
        units
            .iter()
            .map(|u| {
                row(k, |key| match key {
                    "enterprise_credit_code" => Out::Text(credit(&u.enterprise_id)),
                    "installation_code" => Out::Text(inst_code(&u.installation_id)),
                    "name" => text(&u.name),
                    "kind" => text(unit_kind_zh(u.kind)),
                    _ => Out::Blank,
                })
            })
            .collect(),
    ));
    let k = LedgerKind::Equipment;
    tables.push((
        k,
        equipment
            .iter()
            .map(|e| {
                row(k, |key| match key {
                    "enterprise_credit_code" => Out::Text(credit(&e.enterprise_id)),
                    "installation_code" => Out::Text(inst_code(&e.installation_id)),
                    "unit_name" => Out::Text(unit_name(&e.unit_id)),
                    "code" => text(&e.code),
                    "name" => text(&e.name),
                    "kind" => text(e.kind.label_zh()),
                    "design_volume_m3" => opt_num(e.design_volume_m3),
                    "design_pressure_mpa" => opt_num(e.design_pressure_mpa),
                    _ => Out::Blank,
                })
            })
            .collect(),
    ));
    let k = LedgerKind::Points;
    tables.push((
        k,
        points
            .iter()
            .map(|p| {
                row(k, |key| match key {
                    "enterprise_credit_code" => Out::Text(credit(&p.enterprise_id)),
                    "installation_code" => Out::Text(inst_code(&p.installation_id)),
                    "equipment_code" => p
                        .equipment_id
                        .as_ref()
                        .and_then(|id| eq_code_of.get(id))
                        .map_or(Out::Blank, |c| text(c)),
                    "tag" => text(&p.tag),
                    "name" => text(&p.name),
                    "indicator" => text(p.indicator.label_zh()),
                    "unit" => text(&p.unit),
                    "range_low" => Out::Num(p.range_low),
                    "range_high" => Out::Num(p.range_high),
                    "ll" => opt_num(p.limits.ll),
                    "l" => opt_num(p.limits.l),
                    "h" => opt_num(p.limits.h),
                    "hh" => opt_num(p.limits.hh),
                    _ => Out::Blank,
                })
            })
            .collect(),
    ));
    let k = LedgerKind::Inventories;
    tables.push((
        k,
        inventories
            .iter()
            .map(|i| {
                row(k, |key| match key {
                    "enterprise_credit_code" => Out::Text(credit(&i.enterprise_id)),
                    "installation_code" => Out::Text(inst_code(&i.installation_id)),
                    "unit_name" => Out::Text(unit_name(&i.unit_id)),
                    "chemical" => Out::Text(chemical(i)),
                    "design_max_quantity_t" => Out::Num(i.design_max_quantity_t),
                    _ => Out::Blank,
                })
            })
            .collect(),
    ));
    Ok(write_workbook(&tables)?)
}

/// 台账模板 — an empty ledger workbook: the six sheets with their headers,
/// text-formatted code columns and drop-down lists, for filling in by hand.
pub fn template_xlsx() -> Result<Vec<u8>, LedgerError> {
    let tables: Vec<(LedgerKind, Vec<Vec<Out>>)> = LedgerKind::ALL
        .into_iter()
        .map(|k| (k, Vec::new()))
        .collect();
    Ok(write_workbook(&tables)?)
}

fn unit_kind_zh(k: weihua_core::UnitKind) -> &'static str {
    match k {
        weihua_core::UnitKind::Production => "生产单元",
        weihua_core::UnitKind::Storage => "储存单元",
    }
}

/// Display width in Excel's character units: CJK and other wide characters count double.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
        .sum()
}

/// Values offered in a drop-down for a column, if it is a choice.
fn choices(kind: LedgerKind, key: &str) -> Option<Vec<&'static str>> {
    match (kind, key) {
        (LedgerKind::Units, "kind") => Some(vec!["生产单元", "储存单元"]),
        (LedgerKind::Equipment, "kind") => {
            Some(EquipmentKind::ALL.iter().map(|k| k.label_zh()).collect())
        }
        (LedgerKind::Points, "indicator") => {
            Some(Indicator::ALL.iter().map(|k| k.label_zh()).collect())
        }
        _ => None,
    }
}

/// Rows of data validation added below the header for drop-down columns.
const VALIDATED_ROWS: u32 = 10_000;

fn write_workbook(tables: &[(LedgerKind, Vec<Vec<Out>>)]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x00DD_EBF7))
        .set_border_bottom(FormatBorder::Thin);
    let text_col = Format::new().set_num_format("@");
    for (kind, rows) in tables {
        let ws = wb.add_worksheet();
        ws.set_name(kind.label_zh())?;
        let cols = kind.columns();
        let mut widths: Vec<usize> = cols.iter().map(|c| display_width(c.zh)).collect();
        for (i, c) in cols.iter().enumerate() {
            let col = i as u16;
            if c.text_only {
                // Typed-in codes stay text: an 18-digit code would lose digits as a number.
                ws.set_column_format(col, &text_col)?;
            }
            ws.write_string_with_format(0, col, c.zh, &header)?;
            if let Some(list) = choices(*kind, c.key) {
                let dv = DataValidation::new()
                    .allow_list_strings(&list)?
                    .set_error_style(DataValidationErrorStyle::Warning);
                ws.add_data_validation(1, col, VALIDATED_ROWS, col, &dv)?;
            }
        }
        for (r, cells) in rows.iter().enumerate() {
            let r = (r + 1) as u32;
            for (i, cell) in cells.iter().enumerate() {
                let col = i as u16;
                let w = match cell {
                    Out::Text(s) => {
                        ws.write_string(r, col, s)?;
                        display_width(s)
                    }
                    Out::Num(v) => {
                        ws.write_number(r, col, *v)?;
                        format!("{v}").len()
                    }
                    Out::Blank => 0,
                };
                if let Some(m) = widths.get_mut(i) {
                    *m = (*m).max(w);
                }
            }
        }
        for (i, w) in widths.iter().enumerate() {
            ws.set_column_width(i as u16, (w + 2).clamp(8, 60) as f64)?;
        }
        ws.set_freeze_panes(1, 0)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_count_double() {
        assert_eq!(display_width("LT-101"), 6);
        assert_eq!(display_width("液位"), 4);
    }

    #[test]
    fn template_has_every_sheet_and_parses_as_empty() {
        let bytes = template_xlsx().unwrap();
        let err = crate::parse_xlsx(&bytes).unwrap_err();
        // Only "no data": every header is one the importer accepts.
        assert_eq!(err.errors.len(), 1, "{err:?}");
        assert_eq!(err.errors[0].row, 0);
        assert!(err.errors[0].message_en.contains("no data rows"));
    }
}
