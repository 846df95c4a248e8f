//! What every validation test file needs: the cases of `shared/testdata/qra-validation.json`
//! (copied, with its provenance, to `tests/data/qra-validation.json`) and tolerance checks.
#![allow(dead_code)] // each test file uses its own subset

use serde_json::Value;

const DATA: &str = include_str!("../data/qra-validation.json");

/// The case `id`, after checking that the copy keeps its provenance.
pub fn case(id: &str) -> Value {
    let all: Value = serde_json::from_str(DATA).expect("validation JSON parses");
    assert!(
        all["provenance"]
            .as_str()
            .is_some_and(|p| p.contains("shared/testdata/qra-validation.json")),
        "the copy keeps its provenance"
    );
    all["cases"]
        .as_array()
        .expect("cases array")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("case {id} present"))
        .clone()
}

/// A JSON number.
pub fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is a number"))
}

/// |got − expected|/|expected|.
pub fn rel(got: f64, expected: f64) -> f64 {
    ((got - expected) / expected).abs()
}

/// Relative error within `tol`.
pub fn assert_rel(what: &str, got: f64, expected: f64, tol: f64) {
    let e = rel(got, expected);
    assert!(
        e <= tol,
        "{what}: got {got}, expected {expected}, relative error {e:.3e} > {tol:e}"
    );
}

/// Absolute error within `abs`.
pub fn assert_abs(what: &str, got: f64, expected: f64, abs: f64) {
    let err = (got - expected).abs();
    assert!(
        err <= abs,
        "{what}: got {got}, expected {expected}, absolute error {err:.3e} > {abs:e}"
    );
}
