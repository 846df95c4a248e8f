//! Properties of S = Σ q/Q and R = α Σ β q/Q that hold for any input (proptest):
//! monotone in every q, independent of the order of substances, and linear in q.

use proptest::prelude::*;
use weihua_core::UnitKind;
use weihua_standards::{
    AssessmentOptions, Exact, MultiCategoryBeta, Quantity, SubstanceInput, UnitInput, UnitResult,
    assess_unit,
};

const CODES: [&str; 24] = [
    "J1", "J2", "J3", "J4", "J5", "W1.1", "W1.2", "W1.3", "W2", "W3", "W4", "W5.1", "W5.2", "W5.3",
    "W5.4", "W6.1", "W6.2", "W7.1", "W7.2", "W8", "W9.1", "W9.2", "W10", "W11",
];

/// How a generated substance is identified: a Table 1 row, or Table 2 categories.
#[derive(Clone, Debug)]
enum Ident {
    Table1(u32),
    Categories(Vec<&'static str>),
}

fn ident() -> impl Strategy<Value = Ident> {
    prop_oneof![
        (1u32..=85).prop_map(Ident::Table1),
        proptest::sample::subsequence(CODES.to_vec(), 1..=3).prop_map(Ident::Categories),
    ]
}

/// A decimal quantity 0 … 2000 t with up to 3 decimals.
fn decimal() -> impl Strategy<Value = Exact> {
    (0u64..=2_000_000, 0u32..=3).prop_map(|(m, e)| parse(&format!("{m}e-{e}")))
}

fn options() -> impl Strategy<Value = AssessmentOptions> {
    (any::<bool>(), any::<bool>()).prop_map(|(q_cat, co)| AssessmentOptions {
        multi_category_beta: if q_cat {
            MultiCategoryBeta::QCategory
        } else {
            MultiCategoryBeta::LargestBeta
        },
        carbon_monoxide_as_table1_row13: co,
    })
}

fn parse(s: &str) -> Exact {
    match Exact::parse(s) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

fn substance(id: &Ident, q: &Exact) -> SubstanceInput {
    let (table1_no, categories) = match id {
        Ident::Table1(no) => (Some(*no), vec![]),
        Ident::Categories(c) => (None, c.iter().map(|s| s.to_string()).collect()),
    };
    SubstanceInput {
        name: None,
        cas: None,
        table1_no,
        categories,
        not_in_table1: false,
        quantity_t: Quantity::new(q.clone()),
    }
}

fn assess(subs: &[(Ident, Exact)], people: u64, o: &AssessmentOptions) -> UnitResult {
    let unit = UnitInput {
        id: "U".into(),
        kind: UnitKind::Storage,
        people_within_500m: Some(people),
        substances: subs.iter().map(|(i, q)| substance(i, q)).collect(),
    };
    match assess_unit(&unit, o) {
        Ok(u) => u,
        Err(e) => panic!("{}", e.message_en),
    }
}

fn subs() -> impl Strategy<Value = Vec<(Ident, Exact)>> {
    prop::collection::vec((ident(), decimal()), 1..7)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn s_and_r_are_monotone_non_decreasing_in_every_quantity(
        subs in subs(), people in 0u64..200, o in options(),
        pick in any::<prop::sample::Index>(), delta in decimal(),
    ) {
        let before = assess(&subs, people, &o);
        let mut more = subs.clone();
        let i = pick.index(more.len());
        more[i].1 = &more[i].1 + &delta;
        let after = assess(&more, people, &o);
        prop_assert!(after.s_exact >= before.s_exact);
        if before.is_major_hazard {
            prop_assert!(after.is_major_hazard);
            prop_assert!(after.r_exact >= before.r_exact);
            // Grade1 (一级) is the most severe and orders first.
            prop_assert!(after.grade <= before.grade);
        }
    }

    #[test]
    fn permuting_substances_changes_nothing(
        (subs, shuffled) in subs().prop_flat_map(|s| (Just(s.clone()), Just(s).prop_shuffle())),
        people in 0u64..200, o in options(),
    ) {
        let a = assess(&subs, people, &o);
        let b = assess(&shuffled, people, &o);
        prop_assert_eq!(&a.s_exact, &b.s_exact);
        prop_assert_eq!(a.is_major_hazard, b.is_major_hazard);
        prop_assert_eq!(&a.r_exact, &b.r_exact);
        prop_assert_eq!(a.grade, b.grade);
        let key = |u: &UnitResult| {
            let mut k: Vec<String> = u.substances.iter()
                .map(|s| format!("{}|{}|{}|{}", s.q_source, s.beta_source, s.ratio_exact, s.quantity_t))
                .collect();
            k.sort();
            k
        };
        prop_assert_eq!(key(&a), key(&b));
    }

    #[test]
    fn scaling_every_quantity_by_k_scales_s_by_k_exactly(
        subs in subs(), people in 0u64..200, o in options(),
        k in (0u64..=1000, 0u32..=3).prop_map(|(m, e)| parse(&format!("{m}e-{e}"))),
    ) {
        let a = assess(&subs, people, &o);
        let scaled: Vec<(Ident, Exact)> = subs.iter().map(|(i, q)| (i.clone(), q * &k)).collect();
        let b = assess(&scaled, people, &o);
        prop_assert_eq!(&b.s_exact, &(&a.s_exact * &k));
        if let (Some(ra), Some(rb)) = (&a.r_exact, &b.r_exact) {
            prop_assert_eq!(rb, &(ra * &k));
        }
    }
}
