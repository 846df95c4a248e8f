//! weihua-core — the vocabulary of weihua: validated codes (统一社会信用代码, CAS,
//! 行政区划代码, 位号), the place hierarchy, roles and scopes, risk colours.
//!
//! Invariant: no IO, no clock, no network. Everything here is pure data and rules.

pub mod access;
pub mod alarm;
pub mod codes;
pub mod model;

pub use access::{Action, Role, Scope};
pub use alarm::{AlarmKind, AlarmPriority, LimitName};
pub use codes::{CasNumber, CodeError, CreditCode, RegionCode, RegionLevel, Tag};
pub use model::{
    EquipmentKind, Guardian, GuardianRole, Guardians, Indicator, Limits, MajorHazardGrade,
    RiskLevel, UnitKind, check_unit,
};
