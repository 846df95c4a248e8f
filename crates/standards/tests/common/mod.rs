//! Helpers shared by the integration tests.
#![allow(dead_code)]

use serde_json::{Value, json};
use weihua_standards::{
    AssessmentInput, AssessmentOutput, ErrorKind, Exact, Gb18218Error, UnitResult, assess,
};

/// Parses an input written as JSON, the way the CLI and the HTTP API receive it.
pub fn input(v: Value) -> AssessmentInput {
    match serde_json::from_value(v) {
        Ok(i) => i,
        Err(e) => panic!("test input does not follow the contract: {e}"),
    }
}

/// Assesses a JSON input and expects success.
pub fn run(v: Value) -> AssessmentOutput {
    match assess(&input(v)) {
        Ok(o) => o,
        Err(e) => panic!("unexpected error: {}", e.message_en),
    }
}

/// Assesses a JSON input and expects an error.
pub fn run_err(v: Value) -> Gb18218Error {
    match assess(&input(v)) {
        Ok(o) => panic!("expected an error, got {o:?}"),
        Err(e) => e,
    }
}

/// One storage unit `U` with `people` resident people and these substances.
pub fn one_unit(people: Option<u64>, substances: Value) -> Value {
    let mut unit = json!({"id": "U", "kind": "storage", "substances": substances});
    if let Some(p) = people {
        unit["people_within_500m"] = json!(p);
    }
    json!({ "units": [unit] })
}

/// The single unit of a result.
pub fn only_unit(o: &AssessmentOutput) -> &UnitResult {
    assert_eq!(o.units.len(), 1);
    &o.units[0]
}

/// An exact decimal from its literal.
pub fn x(s: &str) -> Exact {
    match Exact::parse(s) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

/// The error kind's `code` as serialized (`ambiguous_cas`).
pub fn kind_tag(k: &ErrorKind) -> String {
    match serde_json::to_value(k) {
        Ok(v) => v["code"].as_str().unwrap_or_default().to_string(),
        Err(e) => panic!("{e}"),
    }
}
