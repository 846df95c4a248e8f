//! GB 18218-2018 clause by clause: one test per rule, named after it.

mod common;

use common::{kind_tag, one_unit, only_unit, run, run_err, x};
use serde_json::json;
use weihua_core::MajorHazardGrade;
use weihua_standards::{
    AssessmentOptions, ErrorKind, Exact, Quantity, SubstanceInput, UnitInput, assess_unit,
    default_categories, grade_for, render_table_zh, table1, table2_category,
};

// ───────────── 4.1.2 临界量 Q ─────────────

#[test]
fn gb18218_4_1_2_table1_substance_is_found_by_number_cas_name_and_alias() {
    for s in [
        json!({"table1_no": 1, "quantity_t": 1}),
        json!({"cas": "7664-41-7", "quantity_t": 1}),
        json!({"name": "氨", "quantity_t": 1}),
        json!({"name": "液氨", "quantity_t": 1}),
        json!({"name": " 氨气 ", "cas": "7664-41-7", "table1_no": 1, "quantity_t": 1}),
    ] {
        let o = run(one_unit(Some(10), json!([s])));
        let sub = &only_unit(&o).substances[0];
        assert_eq!(sub.table1_no, Some(1), "{s}");
        assert_eq!(sub.critical_t, 10.0, "{s}");
        assert_eq!(sub.q_source, "GB 18218-2018 表1 第1项", "{s}");
    }
}

#[test]
fn gb18218_4_1_2_table1_quantity_wins_over_table2_categories() {
    // 二氧化硫: Table 1 row 4, Q = 20 t; as J3 Table 2 would give 50 t.
    for s in [
        json!({"name": "二氧化硫", "cas": "7446-09-5", "table1_no": 4, "categories": ["J3"], "quantity_t": 200}),
        json!({"cas": "7446-09-5", "categories": ["J3"], "quantity_t": 200}),
    ] {
        let o = run(one_unit(Some(60), json!([s])));
        let u = only_unit(&o);
        assert_eq!(u.substances[0].critical_t, 20.0);
        assert_eq!(u.substances[0].q_source, "GB 18218-2018 表1 第4项");
        assert_eq!(u.s_exact, x("10"));
    }
}

#[test]
fn gb18218_4_1_2_substance_with_several_hazards_takes_the_smallest_table2_quantity() {
    let o = run(one_unit(
        Some(10),
        json!([{"name": "某混合气", "categories": ["W5.4", "J3", "W2"], "quantity_t": 5}]),
    ));
    let sub = &only_unit(&o).substances[0];
    assert_eq!(sub.critical_t, 10.0); // W2 10 t < J3 50 t < W5.4 5000 t
    assert!(
        sub.q_source.starts_with("GB 18218-2018 表2 W2"),
        "{}",
        sub.q_source
    );
    assert_eq!(sub.ratio_exact, x("0.5"));
    assert_eq!(sub.table1_no, None);
}

#[test]
fn gb18218_4_1_2_substance_not_in_table1_without_categories_is_an_error() {
    let e = run_err(one_unit(
        Some(10),
        json!([{"name": "硫酸", "quantity_t": 100}]),
    ));
    assert_eq!(kind_tag(&e.kind), "unknown_substance");
    assert_eq!(e.unit_id.as_deref(), Some("U"));
    assert_eq!(e.substance_index, Some(0));
    assert_eq!(e.substance_name.as_deref(), Some("硫酸"));
    assert!(
        e.message_zh.contains("单元“U”第1种物质（硫酸）"),
        "{}",
        e.message_zh
    );
    assert!(e.message_zh.contains("categories"), "{}", e.message_zh);
    assert!(e.message_en.contains("substance #1"), "{}", e.message_en);
    // An unknown CAS alone is named too.
    let e = run_err(one_unit(
        Some(10),
        json!([{"cas": "7664-93-9", "quantity_t": 1}]),
    ));
    assert!(e.message_en.contains("CAS 7664-93-9"), "{}", e.message_en);
}

#[test]
fn gb18218_table2_unknown_category_code_is_an_error() {
    let e = run_err(one_unit(
        Some(10),
        json!([{"name": "x", "categories": ["W2", "W12"], "quantity_t": 1}]),
    ));
    assert_eq!(
        *e.kind,
        ErrorKind::UnknownCategory {
            category: "W12".into()
        }
    );
    assert!(e.message_zh.contains("W12"));
}

#[test]
fn gb18218_table2_category_codes_are_read_case_and_space_insensitively() {
    let o = run(one_unit(
        Some(10),
        json!([{"name": "x", "categories": [" w5.1 "], "quantity_t": 1}]),
    ));
    assert_eq!(only_unit(&o).substances[0].categories, ["W5.1"]);
}

#[test]
fn gb18218_table1_number_out_of_range_is_an_error() {
    for no in [0, 86, 1000] {
        let e = run_err(one_unit(
            Some(10),
            json!([{"table1_no": no, "quantity_t": 1}]),
        ));
        assert_eq!(*e.kind, ErrorKind::Table1NoOutOfRange { no, max: 85 });
    }
}

#[test]
fn gb18218_table1_number_and_cas_that_disagree_are_an_error() {
    let e = run_err(one_unit(
        Some(10),
        json!([{"table1_no": 4, "cas": "7664-41-7", "quantity_t": 1}]),
    ));
    assert_eq!(kind_tag(&e.kind), "cas_mismatch");
    assert!(e.message_zh.contains("7446-09-5") && e.message_zh.contains("7664-41-7"));
    // A name that is another row is refused as well.
    let e = run_err(one_unit(
        Some(10),
        json!([{"table1_no": 4, "name": "液氯", "quantity_t": 1}]),
    ));
    assert_eq!(kind_tag(&e.kind), "name_mismatch");
    // A CAS outside Table 1 contradicts a name that has a CAS in Table 1.
    let e = run_err(one_unit(
        Some(10),
        json!([{"name": "氨", "cas": "7732-18-5", "quantity_t": 1}]),
    ));
    assert_eq!(kind_tag(&e.kind), "cas_mismatch");
}

#[test]
fn gb18218_table1_rows_with_several_cas_accept_each_of_them() {
    for cas in ["74-82-8", "8006-14-2"] {
        let o = run(one_unit(
            Some(10),
            json!([{"table1_no": 49, "cas": cas, "quantity_t": 1}]),
        ));
        assert_eq!(only_unit(&o).substances[0].critical_t, 50.0);
    }
    for cas in ["68476-85-7", "74-98-6", "106-97-8"] {
        let o = run(one_unit(Some(10), json!([{"cas": cas, "quantity_t": 1}])));
        assert_eq!(only_unit(&o).substances[0].table1_no, Some(52));
    }
    // Row 74 (烷基铝) lists no CAS; a specific alkylaluminium's CAS is accepted.
    let o = run(one_unit(
        Some(10),
        json!([{"table1_no": 74, "cas": "97-93-8", "name": "三乙基铝", "quantity_t": 1}]),
    ));
    assert_eq!(only_unit(&o).substances[0].critical_t, 1.0);
}

#[test]
fn gb18218_table1_shared_cas_of_nitrocellulose_and_ammonium_nitrate_needs_table1_no() {
    let e = run_err(one_unit(
        Some(10),
        json!([{"name": "硝化棉", "cas": "9004-70-0", "quantity_t": 1}]),
    ));
    let ErrorKind::AmbiguousCas { cas, candidates } = &*e.kind else {
        panic!("{:?}", e.kind)
    };
    assert_eq!(cas, "9004-70-0");
    let nos: Vec<u32> = candidates.iter().map(|c| c.table1_no).collect();
    assert_eq!(nos, [37, 38, 39, 40, 41, 42]);
    assert!(e.message_zh.contains("table1_no") && e.message_zh.contains("第39项"));

    let e = run_err(one_unit(
        Some(10),
        json!([{"cas": "6484-52-2", "quantity_t": 1}]),
    ));
    let ErrorKind::AmbiguousCas { candidates, .. } = &*e.kind else {
        panic!("{:?}", e.kind)
    };
    assert_eq!(
        candidates.iter().map(|c| c.table1_no).collect::<Vec<_>>(),
        [43, 44]
    );

    // The same by name.
    let e = run_err(one_unit(
        Some(10),
        json!([{"name": "硝酸铵", "quantity_t": 1}]),
    ));
    assert_eq!(kind_tag(&e.kind), "ambiguous_name");

    // With the row number the grade is known.
    let o = run(one_unit(
        Some(10),
        json!([{"cas": "9004-70-0", "table1_no": 39, "quantity_t": 5}]),
    ));
    assert_eq!(only_unit(&o).substances[0].critical_t, 10.0);
}

#[test]
fn gb18218_table1_qualified_rows_need_confirmation_of_the_qualifier() {
    // 氯化氢（无水）, 甲醛（含量>90%）, 硝酸（>70%）: CAS, alias or bare name do not say
    // whether the qualifier is met (盐酸, 福尔马林 and 68 % 硝酸 share the CAS).
    for s in [
        json!({"cas": "7647-01-0", "quantity_t": 1}),
        json!({"name": "氯化氢", "quantity_t": 1}),
        json!({"name": "蚁醛", "quantity_t": 1}),
        json!({"name": "硝酸", "cas": "7697-37-2", "quantity_t": 1}),
    ] {
        let e = run_err(one_unit(Some(10), json!([s])));
        assert_eq!(kind_tag(&e.kind), "qualifier_needs_confirmation", "{s}");
        assert!(e.message_zh.contains("not_in_table1"), "{}", e.message_zh);
    }
    // Confirmed by row number or by the full name: Table 1.
    for s in [
        json!({"cas": "7647-01-0", "table1_no": 11, "quantity_t": 20}),
        json!({"name": "氯化氢（无水）", "quantity_t": 20}),
        json!({"name": "氯化氢(无水)", "cas": "7647-01-0", "quantity_t": 20}),
    ] {
        let o = run(one_unit(Some(10), json!([s])));
        let sub = &only_unit(&o).substances[0];
        assert_eq!(
            (sub.table1_no, sub.critical_t, sub.beta),
            (Some(11), 20.0, 3.0),
            "{s}"
        );
    }
}

#[test]
fn gb18218_4_2_3_dilute_solution_or_other_class_mixture_uses_its_own_categories() {
    // 盐酸: not 氯化氢（无水）; classified on its own, and not a Table 3 gas.
    let o = run(one_unit(
        Some(10),
        json!([{"name": "盐酸", "cas": "7647-01-0", "not_in_table1": true, "categories": ["J5"], "quantity_t": 100}]),
    ));
    let sub = &only_unit(&o).substances[0];
    assert_eq!(
        (sub.table1_no, sub.critical_t, sub.beta),
        (None, 500.0, 1.0)
    );
    assert_eq!(sub.beta_source, "GB 18218-2018 表4 J5");

    let e = run_err(one_unit(
        Some(10),
        json!([{"table1_no": 11, "not_in_table1": true, "categories": ["J5"], "quantity_t": 1}]),
    ));
    assert_eq!(*e.kind, ErrorKind::NotInTable1WithTable1No { no: 11 });
    let e = run_err(one_unit(
        Some(10),
        json!([{"cas": "7647-01-0", "not_in_table1": true, "quantity_t": 1}]),
    ));
    assert_eq!(*e.kind, ErrorKind::NotInTable1WithoutCategories);
}

#[test]
fn gb18218_4_1_2_substance_without_any_identity_is_an_error() {
    let e = run_err(one_unit(Some(10), json!([{"name": "  ", "quantity_t": 1}])));
    assert_eq!(*e.kind, ErrorKind::MissingIdentity);
}

#[test]
fn reference_8_4_pure_carbon_monoxide_takes_row_13_quantity_and_table3_beta() {
    for s in [
        json!({"name": "一氧化碳", "quantity_t": 40}),
        json!({"cas": "630-08-0", "quantity_t": 40}),
    ] {
        let o = run(one_unit(Some(10), json!([s])));
        let sub = &only_unit(&o).substances[0];
        assert_eq!(
            (sub.table1_no, sub.critical_t, sub.beta),
            (Some(13), 20.0, 2.0),
            "{s}"
        );
        assert!(sub.q_source.contains("assumed"));
        assert_eq!(sub.beta_source, "GB 18218-2018 表3 一氧化碳");
    }
    // 煤气 itself is not the Table 3 gas: β from its default category W2.
    let o = run(one_unit(
        Some(10),
        json!([{"name": "煤气", "quantity_t": 40}]),
    ));
    let sub = &only_unit(&o).substances[0];
    assert_eq!((sub.table1_no, sub.beta), (Some(13), 1.5));
    // With the option off, CO needs its categories; β stays Table 3.
    let mut off = one_unit(Some(10), json!([{"name": "一氧化碳", "quantity_t": 40}]));
    off["options"] = json!({"carbon_monoxide_as_table1_row13": false});
    assert_eq!(kind_tag(&run_err(off.clone()).kind), "unknown_substance");
    off["units"][0]["substances"][0]["categories"] = json!(["W2", "J3"]);
    let o = run(off);
    let sub = &only_unit(&o).substances[0];
    assert_eq!((sub.table1_no, sub.critical_t, sub.beta), (None, 10.0, 2.0));
}

// ───────────── 4.2.2 q, 4.2.1 S ─────────────

#[test]
fn gb18218_4_2_2_quantity_must_be_a_non_negative_number() {
    let e = run_err(one_unit(
        Some(10),
        json!([{"name": "氨", "quantity_t": -1}]),
    ));
    assert_eq!(*e.kind, ErrorKind::NegativeQuantity { value: "-1".into() });
    assert!(e.message_zh.contains("单元“U”第1种物质（氨）"));
    let e = run_err(one_unit(
        Some(10),
        json!([{"name": "氨", "quantity_t": "NaN"}]),
    ));
    assert_eq!(*e.kind, ErrorKind::InvalidQuantity { raw: "NaN".into() });
    let unit = UnitInput {
        id: "U".into(),
        kind: weihua_core::UnitKind::Storage,
        people_within_500m: Some(1),
        substances: vec![SubstanceInput {
            name: Some("氨".into()),
            cas: None,
            table1_no: None,
            categories: vec![],
            not_in_table1: false,
            quantity_t: Quantity::from_f64(f64::NAN),
        }],
    };
    let e = assess_unit(&unit, &AssessmentOptions::default()).err();
    assert_eq!(
        e.map(|e| *e.kind),
        Some(ErrorKind::InvalidQuantity { raw: "NaN".into() })
    );
    // Zero is a valid design quantity.
    let o = run(one_unit(Some(10), json!([{"name": "氨", "quantity_t": 0}])));
    assert_eq!(only_unit(&o).s_exact, Exact::zero());
}

#[test]
fn gb18218_invalid_cas_is_an_error() {
    let e = run_err(one_unit(
        Some(10),
        json!([{"cas": "7664-41-8", "quantity_t": 1}]),
    ));
    assert_eq!(kind_tag(&e.kind), "invalid_cas");
}

#[test]
fn gb18218_4_2_1_single_substance_at_its_critical_quantity_is_a_major_hazard() {
    let o = run(one_unit(
        Some(150),
        json!([{"name": "氯", "quantity_t": 5}]),
    ));
    let u = only_unit(&o);
    assert_eq!(u.s_exact, Exact::one());
    assert!(u.is_major_hazard);
}

#[test]
fn gb18218_4_2_1_s_exactly_one_is_a_major_hazard() {
    // q/Q = 0.4 + 0.5 + 0.1 (Q = 1 t, W1.1) — exactly 1.
    let subs = json!([
        {"name": "a", "categories": ["W1.1"], "quantity_t": 0.4},
        {"name": "b", "categories": ["W1.1"], "quantity_t": 0.5},
        {"name": "c", "categories": ["W1.1"], "quantity_t": 0.1},
    ]);
    let u = run(one_unit(Some(10), subs)).units.remove(0);
    assert_eq!(u.s_exact, Exact::one());
    assert!(u.is_major_hazard);
    assert_eq!(u.s, 1.0);
    // 0.7 + 0.2 + 0.1, which binary floating point sums to 0.9999999999999999.
    let float_sum: f64 = [0.7, 0.2, 0.1].iter().sum();
    assert!(float_sum < 1.0);
    let subs = json!([
        {"name": "a", "categories": ["W1.1"], "quantity_t": 0.7},
        {"name": "b", "categories": ["W1.1"], "quantity_t": 0.2},
        {"name": "c", "categories": ["W1.1"], "quantity_t": 0.1},
    ]);
    assert!(run(one_unit(Some(10), subs)).units[0].is_major_hazard);
}

#[test]
fn gb18218_4_2_1_thirds_of_a_0_3_t_critical_quantity_add_up_to_exactly_one() {
    // 碳酰氯 Q = 0.3 t in three vessels of 0.1 t: 1/3 + 1/3 + 1/3 = 1 (a 28-digit decimal
    // type would give 0.999…).
    let v = json!({"table1_no": 6, "quantity_t": 0.1});
    let u = run(one_unit(Some(10), json!([v, v, v]))).units.remove(0);
    assert_eq!(u.substances[0].ratio_exact.to_string(), "1/3");
    assert_eq!(u.s_exact, Exact::one());
    assert!(u.is_major_hazard);
    // 2/3 (碳酰氯) + 1/3 (异氰酸甲酯, Q = 0.75 t): exactly 1 as well.
    let u = run(one_unit(
        Some(10),
        json!([{"table1_no": 6, "quantity_t": 0.2}, {"table1_no": 30, "quantity_t": 0.25}]),
    ))
    .units
    .remove(0);
    assert_eq!(u.s_exact, Exact::one());
}

#[test]
fn gb18218_4_2_1_s_just_below_one_is_not_a_major_hazard() {
    let subs = json!([
        {"name": "a", "categories": ["W1.1"], "quantity_t": 0.4},
        {"name": "b", "categories": ["W1.1"], "quantity_t": 0.5},
        {"name": "c", "categories": ["W1.1"], "quantity_t": 0.0999999999},
    ]);
    let u = run(one_unit(Some(10), subs)).units.remove(0);
    assert_eq!(u.s_exact, x("0.9999999999"));
    assert!(!u.is_major_hazard);
    assert_eq!(
        (u.r, u.r_exact, u.grade, u.grade_zh),
        (None, None, None, None)
    );
    assert_eq!(u.alpha, Some(1.0)); // α is still reported
    // Shown S is truncated, never rounded up to 1.
    assert_eq!(u.s, 0.999999);
}

#[test]
fn gb18218_4_2_1_unit_below_threshold_needs_no_head_count() {
    let o = run(one_unit(None, json!([{"name": "甲醇", "quantity_t": 100}])));
    let u = only_unit(&o);
    assert!(!u.is_major_hazard);
    assert_eq!((u.alpha, u.alpha_source.as_deref()), (None, None));
    // A major hazard does need it.
    let e = run_err(one_unit(None, json!([{"name": "甲醇", "quantity_t": 500}])));
    assert_eq!(kind_tag(&e.kind), "missing_people");
    assert_eq!(e.unit_id.as_deref(), Some("U"));
}

// ───────────── 4.3 R, Tables 3–6 ─────────────

#[test]
fn gb18218_table3_beta_for_a_named_toxic_gas() {
    // 氯: Q from Table 1, β = 4 from Table 3 even when categories are given.
    let o = run(one_unit(
        Some(10),
        json!([{"name": "液氯", "categories": ["W4", "J3"], "quantity_t": 10}]),
    ));
    let sub = &only_unit(&o).substances[0];
    assert_eq!((sub.critical_t, sub.beta), (5.0, 4.0));
    assert_eq!(sub.beta_source, "GB 18218-2018 表3 氯");
    assert_eq!(sub.beta_category, None);
    for (no, beta) in [
        (1, 2.0),
        (3, 10.0),
        (6, 20.0),
        (9, 20.0),
        (10, 5.0),
        (17, 3.0),
        (20, 5.0),
        (25, 10.0),
        (30, 20.0),
    ] {
        let o = run(one_unit(
            Some(10),
            json!([{"table1_no": no, "quantity_t": 0}]),
        ));
        assert_eq!(only_unit(&o).substances[0].beta, beta, "row {no}");
    }
}

#[test]
fn gb18218_table4_beta_by_category_for_other_substances() {
    // 乙醚: Q 10 t from Table 1, β 1.5 from its (default) category W5.1.
    let o = run(one_unit(
        Some(60),
        json!([{"name": "乙醚", "quantity_t": 20}]),
    ));
    let sub = &only_unit(&o).substances[0];
    assert_eq!(
        (sub.critical_t, sub.beta, sub.beta_category.as_deref()),
        (10.0, 1.5, Some("W5.1"))
    );
    assert!(sub.beta_source.starts_with("GB 18218-2018 表4 W5.1"));
    assert!(sub.beta_source.contains("assumed"));
    // Given categories replace the default: 甲醇 under special process conditions (W5.2).
    let o = run(one_unit(
        Some(60),
        json!([{"name": "甲醇", "categories": ["W5.2"], "quantity_t": 600}]),
    ));
    let sub = &only_unit(&o).substances[0];
    assert_eq!(
        (sub.critical_t, sub.beta, sub.beta_source.as_str()),
        (500.0, 1.0, "GB 18218-2018 表4 W5.2")
    );
    // Explosives β 2.
    let o = run(one_unit(
        Some(60),
        json!([{"name": "TNT", "quantity_t": 5}]),
    ));
    assert_eq!(only_unit(&o).substances[0].beta, 2.0);
}

#[test]
fn gb18218_table4_several_categories_take_the_largest_beta_by_default() {
    // W2 (Q 10, β 1.5) and J3 (Q 50, β 2): Q 10 from W2; β 2 from J3 (assumed rule).
    let subs = json!([{"name": "某有毒可燃气", "categories": ["W2", "J3"], "quantity_t": 20}]);
    let o = run(one_unit(Some(10), subs.clone()));
    let sub = &only_unit(&o).substances[0];
    assert_eq!(
        (sub.critical_t, sub.beta, sub.beta_category.as_deref()),
        (10.0, 2.0, Some("J3"))
    );
    assert!(sub.beta_source.contains("最大β") && sub.beta_source.contains("assumed"));
    // Configurable: the category that set Q.
    let mut v = one_unit(Some(10), subs);
    v["options"] = json!({"multi_category_beta": "q_category"});
    let o = run(v);
    let sub = &only_unit(&o).substances[0];
    assert_eq!((sub.beta, sub.beta_category.as_deref()), (1.5, Some("W2")));
    assert_eq!(
        o.options.multi_category_beta,
        weihua_standards::MultiCategoryBeta::QCategory
    );
}

#[test]
fn gb18218_table5_alpha_band_edges() {
    // 氯 5 t: S = 1, Σβq/Q = 4, so R = 4α.
    for (people, alpha, band) in [
        (0, "0.5", "0人"),
        (1, "1", "1～29人"),
        (29, "1", "1～29人"),
        (30, "1.2", "30～49人"),
        (49, "1.2", "30～49人"),
        (50, "1.5", "50～99人"),
        (99, "1.5", "50～99人"),
        (100, "2", "100人以上"),
        (u64::MAX, "2", "100人以上"),
    ] {
        let o = run(one_unit(
            Some(people),
            json!([{"name": "氯", "quantity_t": 5}]),
        ));
        let u = only_unit(&o);
        assert_eq!(u.alpha, Some(x(alpha).to_f64()), "{people} people");
        assert_eq!(u.r_exact, Some(&x(alpha) * &x("4")), "{people} people");
        let src = u.alpha_source.clone().unwrap_or_default();
        assert!(src.contains(band) && src.contains("表5"), "{src}");
    }
}

/// 氯 (Q 5 t, β 4) with 20 people (α 1): R = 0.8 q.
fn chlorine_r(q: &str) -> (Option<Exact>, Option<MajorHazardGrade>) {
    let o = run(one_unit(Some(20), json!([{"name": "氯", "quantity_t": q}])));
    let u = only_unit(&o);
    (u.r_exact.clone(), u.grade)
}

#[test]
fn gb18218_table6_r_exactly_100_is_grade_1_and_just_below_is_grade_2() {
    assert_eq!(
        chlorine_r("125"),
        (Some(x("100")), Some(MajorHazardGrade::Grade1))
    );
    assert_eq!(
        chlorine_r("124.9999"),
        (Some(x("99.99992")), Some(MajorHazardGrade::Grade2))
    );
}

#[test]
fn gb18218_table6_r_exactly_50_is_grade_2_and_just_below_is_grade_3() {
    assert_eq!(
        chlorine_r("62.5"),
        (Some(x("50")), Some(MajorHazardGrade::Grade2))
    );
    assert_eq!(
        chlorine_r("62.4999"),
        (Some(x("49.99992")), Some(MajorHazardGrade::Grade3))
    );
}

#[test]
fn gb18218_table6_r_exactly_10_is_grade_3_and_just_below_is_grade_4() {
    assert_eq!(
        chlorine_r("12.5"),
        (Some(x("10")), Some(MajorHazardGrade::Grade3))
    );
    assert_eq!(
        chlorine_r("12.4999"),
        (Some(x("9.99992")), Some(MajorHazardGrade::Grade4))
    );
}

#[test]
fn gb18218_table6_grade_bands_on_exact_values() {
    let g = |s: &str| grade_for(&x(s));
    assert_eq!(g("1000000"), MajorHazardGrade::Grade1);
    assert_eq!(g("100"), MajorHazardGrade::Grade1);
    assert_eq!(
        g("99.99999999999999999999999999999"),
        MajorHazardGrade::Grade2
    );
    assert_eq!(g("50"), MajorHazardGrade::Grade2);
    assert_eq!(
        g("49.9999999999999999999999999999"),
        MajorHazardGrade::Grade3
    );
    assert_eq!(g("10"), MajorHazardGrade::Grade3);
    assert_eq!(
        g("9.99999999999999999999999999999"),
        MajorHazardGrade::Grade4
    );
    assert_eq!(g("0"), MajorHazardGrade::Grade4);
    // 300/3 reaches 100 exactly; a shown R is truncated, never rounded across a boundary.
    let r = match x("300").checked_div(&x("3")) {
        Some(r) => r,
        None => panic!("division"),
    };
    assert_eq!(grade_for(&r), MajorHazardGrade::Grade1);
    assert_eq!(
        chlorine_r("124.99999999").0.map(|r| r.to_f64_truncated(6)),
        Some(99.999999)
    );
}

#[test]
fn gb18218_4_3_major_hazard_with_r_below_10_is_grade_4() {
    // 液化石油气 500 t, nobody within 500 m: S 10, R = 0.5 × 1.5 × 10 = 7.5.
    let o = run(one_unit(
        Some(0),
        json!([{"name": "液化石油气", "quantity_t": 500}]),
    ));
    let u = only_unit(&o);
    assert!(u.is_major_hazard);
    assert_eq!(
        (u.r, u.grade, u.grade_zh.as_deref()),
        (Some(7.5), Some(MajorHazardGrade::Grade4), Some("四级"))
    );
}

// ───────────── weihua's default categories (assumed) ─────────────

#[test]
fn default_category_file_covers_all_85_rows_with_table2_codes() {
    let defaults = default_categories().unwrap_or_default();
    let rows = table1().unwrap_or_default();
    assert_eq!(rows.len(), 85);
    assert_eq!(defaults.len(), 85);
    for row in rows {
        let d = defaults.iter().find(|d| d.no == row.no);
        let Some(d) = d else {
            panic!("row {} has no default category", row.no)
        };
        assert!(
            matches!(table2_category(&d.category_code), Ok(Some(_))),
            "row {}: {} is not a Table 2 code",
            row.no,
            d.category_code
        );
        assert!(!d.note.is_empty(), "row {} has no note", row.no);
    }
    let file = include_str!("../data/gb18218/table1_default_categories.csv");
    assert!(file.starts_with("# assumed — weihua's mapping, not part of GB 18218"));
}

#[test]
fn default_categories_follow_the_ghs_class_of_typical_rows() {
    let code = |no: u32| {
        default_categories()
            .unwrap_or_default()
            .iter()
            .find(|d| d.no == no)
            .map(|d| d.category_code.clone())
            .unwrap_or_default()
    };
    assert_eq!(code(52), "W2"); // 液化石油气: flammable gas
    assert_eq!(code(51), "W2"); // 氢
    assert_eq!(code(68), "W5.1"); // 乙醚: flammable liquid cat. 1
    assert_eq!(code(65), "W5.3"); // 甲醇: flammable liquid cat. 2
    assert_eq!(code(58), "W5.4"); // 苯乙烯: flammable liquid cat. 3
    assert_eq!(code(35), "W1.1"); // TNT
    assert_eq!(code(56), "W4"); // 氧: oxidizing gas
    assert_eq!(code(78), "W9.1"); // 氯酸钾: oxidizing solid cat. 1
    assert_eq!(code(85), "W11"); // 钠: water-reactive
    assert_eq!(code(6), "J1"); // 碳酰氯: acutely toxic gas cat. 1
}

// ───────────── units, contract, rendering ─────────────

#[test]
fn units_are_assessed_separately_and_ids_must_be_unique() {
    let v = json!({"units": [
        {"id": "罐区A", "kind": "storage", "people_within_500m": 60,
         "substances": [{"name": "二氧化硫", "quantity_t": 200}]},
        {"id": "装置B", "kind": "production", "people_within_500m": 60,
         "substances": [{"name": "二氧化硫", "quantity_t": 10}]}
    ]});
    let o = run(v.clone());
    assert_eq!(o.units.len(), 2);
    assert!(o.units[0].is_major_hazard && !o.units[1].is_major_hazard);
    let mut dup = v;
    dup["units"][1]["id"] = json!("罐区A");
    let e = run_err(dup.clone());
    assert_eq!(
        *e.kind,
        ErrorKind::DuplicateUnitId {
            id: "罐区A".into()
        }
    );
    dup["units"][1]["id"] = json!(" ");
    assert_eq!(*run_err(dup).kind, ErrorKind::EmptyUnitId);
}

#[test]
fn json_contract_input_denies_unknown_fields() {
    let bad = [
        json!({"units": [], "unit": []}),
        json!({"units": [{"id": "U", "kind": "storage", "people": 1, "substances": []}]}),
        json!({"units": [{"id": "U", "kind": "storage", "substances": [{"name": "氨", "q_t": 1}]}]}),
        json!({"units": [{"id": "U", "kind": "tank", "substances": []}]}),
        json!({"units": [], "options": {"beta": "max"}}),
    ];
    for v in bad {
        assert!(
            serde_json::from_value::<weihua_standards::AssessmentInput>(v.clone()).is_err(),
            "{v}"
        );
    }
}

#[test]
fn json_contract_output_field_names_and_types() {
    let o = run(json!({"units": [
        {"id": "罐区A", "kind": "storage", "people_within_500m": 60,
         "substances": [{"name": "二氧化硫", "cas": "7446-09-5", "table1_no": 4, "categories": ["J3"], "quantity_t": 200}]},
        {"id": "B", "kind": "production", "substances": [{"name": "甲醇", "quantity_t": 1}]}
    ]}));
    let v = match serde_json::to_value(&o) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(v["table_version"], "GB 18218-2018");
    let u = &v["units"][0];
    assert_eq!(u["id"], "罐区A");
    assert_eq!(u["S"], json!(10.0));
    assert_eq!(u["S_exact"], "10");
    assert_eq!(u["is_major_hazard"], true);
    assert_eq!(u["alpha"], json!(1.5));
    assert!(u["alpha_source"].is_string());
    assert_eq!(u["R"], json!(30.0));
    assert_eq!(u["R_exact"], "30");
    assert_eq!(u["grade"], json!(3));
    assert_eq!(u["grade_zh"], "三级");
    let s = &u["substances"][0];
    assert_eq!(s["name"], "二氧化硫");
    assert_eq!(s["Q_t"], json!(20.0));
    assert_eq!(s["Q_source"], "GB 18218-2018 表1 第4项");
    assert_eq!(s["beta"], json!(2.0));
    assert_eq!(s["beta_source"], "GB 18218-2018 表3 二氧化硫");
    assert_eq!(s["ratio"], json!(10.0));
    let b = &v["units"][1];
    assert_eq!(
        (&b["R"], &b["grade"], &b["alpha"]),
        (&json!(null), &json!(null), &json!(null))
    );
    // The output reads back.
    let back: weihua_standards::AssessmentOutput = match serde_json::from_value(v) {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(back, o);
}

#[test]
fn errors_serialize_with_location_and_both_languages() {
    let e = run_err(one_unit(
        Some(1),
        json!([{"name": "氨", "quantity_t": 1}, {"cas": "9004-70-0", "quantity_t": 1}]),
    ));
    let v = match serde_json::to_value(&e) {
        Ok(v) => v,
        Err(err) => panic!("{err}"),
    };
    assert_eq!(v["unit_id"], "U");
    assert_eq!(v["substance_index"], 1);
    assert_eq!(v["kind"]["code"], "ambiguous_cas");
    assert!(
        v["message_zh"]
            .as_str()
            .is_some_and(|m| m.contains("第2种物质"))
    );
    assert!(
        v["message_en"]
            .as_str()
            .is_some_and(|m| m.contains("substances[1]"))
    );
    assert_eq!(e.to_string(), e.message_en);
}

#[test]
fn render_table_zh_shows_each_step() {
    let o = run(json!({"units": [
        {"id": "罐区A", "kind": "storage", "people_within_500m": 60,
         "substances": [{"name": "二氧化硫", "cas": "7446-09-5", "table1_no": 4, "quantity_t": 200},
                        {"name": "乙醚", "quantity_t": 1}]},
        {"id": "装置B", "kind": "production", "substances": [{"name": "甲醇", "quantity_t": 1}]}
    ]}));
    let t = render_table_zh(&o);
    for needle in [
        "GB 18218-2018 危险化学品重大危险源辨识与分级",
        "单元：罐区A（储存单元）",
        "二氧化硫",
        "表1 第4项",
        "表3 二氧化硫",
        "表4 W5.1",
        "S = Σq/Q = 10.1 ≥ 1：构成重大危险源",
        "α = 1.5",
        "R = α·Σβq/Q = 30.225：三级重大危险源",
        "单元：装置B（生产单元）",
        "S = Σq/Q = 0.002 < 1：不构成重大危险源",
    ] {
        assert!(t.contains(needle), "missing {needle:?} in\n{t}");
    }
}
