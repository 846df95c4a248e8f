//! The one place where a [`Scope`] becomes SQL. Every tenant query in this
//! crate appends one of these filters; nothing else decides visibility.

use crate::sql::Sql;
use weihua_core::Scope;

/// Append `AND <condition>` restricting `enterprise_col` (a column holding an
/// enterprise id) to the enterprises visible in `scope`.
pub fn filter_enterprise(sql: &mut Sql, scope: &Scope, enterprise_col: &str) {
    match scope {
        Scope::National => {}
        Scope::Region(code) => {
            sql.push(" AND ")
                .push(enterprise_col)
                .push(" IN (SELECT id FROM enterprises WHERE region_code LIKE ")
                .bind(format!("{}%", code.prefix()))
                .push(")");
        }
        Scope::Park(park_id) => {
            sql.push(" AND ")
                .push(enterprise_col)
                .push(" IN (SELECT id FROM enterprises WHERE park_id = ")
                .bind(park_id)
                .push(")");
        }
        Scope::Enterprise(id) => {
            sql.push(" AND ").push(enterprise_col).push(" = ").bind(id);
        }
    }
}

/// Append `AND <condition>` restricting a parks table (alias-qualified
/// `id_col` and `region_col`) to the parks visible in `scope`. An enterprise
/// user sees the park its enterprise is in.
pub fn filter_park(sql: &mut Sql, scope: &Scope, id_col: &str, region_col: &str) {
    match scope {
        Scope::National => {}
        Scope::Region(code) => {
            sql.push(" AND ")
                .push(region_col)
                .push(" LIKE ")
                .bind(format!("{}%", code.prefix()));
        }
        Scope::Park(park_id) => {
            sql.push(" AND ").push(id_col).push(" = ").bind(park_id);
        }
        Scope::Enterprise(id) => {
            sql.push(" AND ")
                .push(id_col)
                .push(" IN (SELECT park_id FROM enterprises WHERE id = ")
                .bind(id)
                .push(")");
        }
    }
}

/// Append `AND <condition>` restricting a regions table's `code_col` to the
/// regions a scope may see: its own region, the regions inside it and the ones
/// above it (a county regulator sees the name of its province).
pub fn filter_region(sql: &mut Sql, scope: &Scope, code_col: &str) {
    match scope {
        Scope::National => {}
        Scope::Region(code) => {
            let mut above: Vec<String> = Vec::new();
            let mut cur = code.parent();
            while let Some(p) = cur {
                above.push(p.as_str().to_string());
                cur = p.parent();
            }
            sql.push(" AND (")
                .push(code_col)
                .push(" LIKE ")
                .bind(format!("{}%", code.prefix()));
            if !above.is_empty() {
                sql.push(" OR ")
                    .push(code_col)
                    .push(" IN (")
                    .bind_list(above)
                    .push(")");
            }
            sql.push(")");
        }
        Scope::Park(park_id) => {
            sql.push(" AND ")
                .push(code_col)
                .push(" IN (SELECT region_code FROM parks WHERE id = ")
                .bind(park_id)
                .push(")");
        }
        Scope::Enterprise(id) => {
            sql.push(" AND ")
                .push(code_col)
                .push(" IN (SELECT region_code FROM enterprises WHERE id = ")
                .bind(id)
                .push(")");
        }
    }
}
