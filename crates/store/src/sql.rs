//! A tiny SQL builder that numbers `$n` placeholders as values are bound, so
//! dynamic filters (scope, search, paging) stay parameterised on both backends.

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryScalar};
use sqlx::{Any, FromRow};

/// A bound value.
#[derive(Debug, Clone)]
pub enum Val {
    Text(Option<String>),
    Int(Option<i64>),
    Real(Option<f64>),
}

impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(Some(v.to_string()))
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(Some(v))
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Self {
        Val::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::Text(v)
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Self {
        Val::Text(v.map(str::to_string))
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(Some(v))
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::Int(v)
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Self {
        Val::Real(Some(v))
    }
}
impl From<Option<f64>> for Val {
    fn from(v: Option<f64>) -> Self {
        Val::Real(v)
    }
}

/// SQL text plus its bound values.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    text: String,
    args: Vec<Val>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    /// `INSERT INTO table (cols) VALUES ($1, …)` with one value per column.
    pub fn insert(table: &str, cols: &str, values: Vec<Val>) -> Self {
        debug_assert_eq!(
            cols.split(',').count(),
            values.len(),
            "INSERT INTO {table}: one value per column"
        );
        let mut s = Sql::new(&format!("INSERT INTO {table} ({cols}) VALUES ("));
        s.bind_list(values).push(")");
        s
    }

    /// Append raw SQL (never user input).
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Append a placeholder bound to `v`.
    pub fn bind(&mut self, v: impl Into<Val>) -> &mut Self {
        self.args.push(v.into());
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    /// Append `a, b, c` placeholders for a list of values.
    pub fn bind_list<V: Into<Val>>(&mut self, vs: impl IntoIterator<Item = V>) -> &mut Self {
        for (i, v) in vs.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(v);
        }
        self
    }

    /// A new statement: `prefix` followed by this one, with the same arguments.
    /// `prefix` must bind nothing.
    pub fn with_prefix(&self, prefix: &str) -> Sql {
        Sql {
            text: format!("{prefix}{}", self.text),
            args: self.args.clone(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    fn args<'q>(&self) -> AnyArguments<'q> {
        use sqlx::Arguments;
        let mut a = AnyArguments::default();
        for v in &self.args {
            // Encoding these primitive types into AnyArguments cannot fail.
            let _ = match v.clone() {
                Val::Text(t) => a.add(t),
                Val::Int(i) => a.add(i),
                Val::Real(r) => a.add(r),
            };
        }
        a
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        sqlx::query_with(&self.text, self.args())
    }

    pub fn scalar<T>(&self) -> QueryScalar<'_, Any, T, AnyArguments<'_>>
    where
        (T,): for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        sqlx::query_scalar_with(&self.text, self.args())
    }
}

/// Escape `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut s = Sql::new("SELECT * FROM t WHERE a = ");
        s.bind("x")
            .push(" AND b IN (")
            .bind_list([1i64, 2, 3])
            .push(")");
        assert_eq!(
            s.text(),
            "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3, $4)"
        );
    }

    #[test]
    fn inserts_bind_one_value_per_column() {
        let s = Sql::insert("t", "a, b", vec![Val::from("x"), Val::from(1i64)]);
        assert_eq!(s.text(), "INSERT INTO t (a, b) VALUES ($1, $2)");
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
