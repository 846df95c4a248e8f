//! The worked examples of shared/testdata/gb18218-examples.json (copied unchanged into
//! tests/data/): one published exam question and eight cases derived from Tables 1–6.
//! Each is assessed from its substances' names, CAS numbers, quantities and head count
//! only; Q, β, α, S, R and the grade must come out exactly as the case states.

mod common;

use common::{run, x};
use serde_json::{Value, json};

const EXAMPLES: &str = include_str!("data/gb18218-examples.json");

/// A JSON number of the examples file as an exact decimal (its literal text).
fn exact(v: &Value) -> weihua_standards::Exact {
    assert!(v.is_number(), "{v} is not a number");
    x(&v.to_string())
}

#[test]
fn gb18218_examples_file_every_case_gives_the_stated_s_r_and_grade() {
    let cases: Vec<Value> = match serde_json::from_str(EXAMPLES) {
        Ok(c) => c,
        Err(e) => panic!("examples file: {e}"),
    };
    assert_eq!(cases.len(), 9);
    for (ci, case) in cases.iter().enumerate() {
        let label = format!("case {} ({})", ci + 1, case["description"]);
        let case_units = case["units"].as_array().cloned().unwrap_or_default();
        assert!(!case_units.is_empty(), "{label}");
        let units: Vec<Value> = case_units
            .iter()
            .enumerate()
            .map(|(ui, u)| {
                let subs: Vec<Value> = u["substances"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .map(|s| json!({"name": s["name"], "cas": s["cas"], "quantity_t": s["q_t"]}))
                    .collect();
                json!({"id": format!("case{}-unit{}", ci + 1, ui + 1), "kind": "storage",
                       "people_within_500m": u["people"], "substances": subs})
            })
            .collect();
        let out = run(json!({ "units": units }));
        assert_eq!(out.table_version, "GB 18218-2018");
        // Every case of the file has one unit, and `expected` belongs to it.
        assert_eq!(out.units.len(), 1, "{label}");
        let (unit, case_unit, expected) = (&out.units[0], &case_units[0], &case["expected"]);

        let case_subs = case_unit["substances"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(unit.substances.len(), case_subs.len(), "{label}");
        for (s, cs) in unit.substances.iter().zip(&case_subs) {
            assert_eq!(
                s.critical_t,
                cs["Q_t"].as_f64().unwrap_or(f64::NAN),
                "{label}: Q of {}",
                s.name
            );
            assert_eq!(
                s.beta,
                cs["beta"].as_f64().unwrap_or(f64::NAN),
                "{label}: β of {}",
                s.name
            );
        }
        assert_eq!(unit.alpha, case_unit["alpha"].as_f64(), "{label}: α");

        assert_eq!(unit.s_exact, exact(&expected["S"]), "{label}: S");
        assert_eq!(
            Some(unit.is_major_hazard),
            expected["is_major_hazard"].as_bool(),
            "{label}: is_major_hazard"
        );
        match &expected["R"] {
            Value::Null => assert_eq!(unit.r_exact, None, "{label}: R"),
            r => assert_eq!(unit.r_exact, Some(exact(r)), "{label}: R"),
        }
        assert_eq!(
            unit.grade.map(|g| g.as_number()),
            expected["grade"].as_i64(),
            "{label}: grade"
        );
        // The displayed numbers equal the expected ones too.
        assert_eq!(Some(unit.s), expected["S"].as_f64(), "{label}: S shown");
        assert_eq!(unit.r, expected["R"].as_f64(), "{label}: R shown");
    }
}
