//! weihua-standards — national standards as pure functions over weihua-core types.
//!
//! Invariant: no IO, no clock, no network. Standard tables are embedded from
//! `data/` (each file with a provenance line) and parsed once.
//!
//! # GB 18218-2018 《危险化学品重大危险源辨识》
//!
//! For each unit (单元: 生产单元 / 储存单元), [`assess`] and [`assess_unit`]:
//!
//! 1. resolve each substance's 临界量 Q (clause 4.1.2): Table 1 by row number
//!    (`table1_no`), else by CAS, else by name or alias; otherwise the smallest Table 2
//!    quantity of its hazard categories. Table 1 wins over categories. A CAS or name that
//!    covers several Table 1 rows, or a row with a concentration or grade qualifier, is an
//!    error that asks for `table1_no` — never a guess;
//! 2. compute S = Σ q/Q exactly (clause 4.2.1); the unit is a 重大危险源 iff S ≥ 1;
//! 3. for a major hazard, R = α Σ β q/Q (clause 4.3): β from Table 3 for the 14 named toxic
//!    gases, else from Table 4 by category; α from Table 5 by resident people within
//!    500 m; the grade from Table 6 (一级 R ≥ 100, 二级 50 ≤ R < 100, 三级 10 ≤ R < 50,
//!    四级 R < 10).
//!
//! Every result explains itself (Q and β with their table and row, α with its band, the
//! exact S and R). Choices the standard leaves open are [`AssessmentOptions`] with
//! documented "assumed" defaults:
//!
//! - a substance outside Table 3 with several Table 4 categories takes the largest β
//!   ([`MultiCategoryBeta::LargestBeta`]);
//! - pure 一氧化碳 takes Q = 20 t from Table 1 row 13 (煤气);
//! - a Table 1 substance not in Table 3 and given without categories takes β from
//!   weihua's default category of its row (`data/gb18218/table1_default_categories.csv`,
//!   not part of the standard);
//! - a dilute solution or a mixture of another hazard class is marked `not_in_table1`.
//!
//! ```
//! use weihua_standards::{AssessmentInput, assess, render_table_zh};
//!
//! let input: AssessmentInput = serde_json::from_str(r#"{"units":[{"id":"罐区A",
//!     "kind":"storage","people_within_500m":60,"substances":[{"name":"二氧化硫",
//!     "cas":"7446-09-5","table1_no":4,"categories":["J3"],"quantity_t":200}]}]}"#)?;
//! let out = assess(&input)?;
//! let unit = &out.units[0];
//! assert_eq!((unit.s, unit.r, unit.grade_zh.as_deref()), (10.0, Some(30.0), Some("三级")));
//! println!("{}", render_table_zh(&out));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Arithmetic is exact ([`Exact`], arbitrary-precision rationals): Table 1's Q of 0.3 t
//! and 0.75 t make q/Q non-terminating decimals, which a decimal type would round.

mod assess;
mod csv;
mod error;
mod exact;
pub mod gb30871;
mod render;
mod tables;

pub use assess::{
    AssessmentInput, AssessmentOptions, AssessmentOutput, GRADE1_MIN_R, GRADE2_MIN_R, GRADE3_MIN_R,
    MultiCategoryBeta, SubstanceInput, SubstanceResult, UnitInput, UnitResult, assess, assess_unit,
    grade_for, grade_zh,
};
pub use error::{Candidate, ErrorKind, Gb18218Error};
pub use exact::{DISPLAY_DECIMALS, Exact, ExactParseError, Quantity};
pub use render::render_table_zh;
pub use tables::{
    AlphaBand, DefaultCategory, NameMatch, QUALIFIED_ROWS, TABLE_VERSION, Table1Row, Table2Row,
    Table3Row, Table4Row, TableError, Tables, alpha_bands, alpha_for, default_categories,
    find_by_cas, find_by_name, normalize_name, table1, table1_row, table2, table2_category, table3,
    table4, tables,
};
