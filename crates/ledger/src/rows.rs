//! 台账行 — the validated rows of each sheet, as the parser hands them to the importer.

use crate::LedgerKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use weihua_core::{
    CreditCode, EquipmentKind, Guardians, Indicator, Limits, RegionCode, Tag, UnitKind,
};

/// 行位置 — a row together with where it was read (for error messages).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Located<T> {
    /// Sheet name as written in the workbook (for CSV: the kind's Chinese name).
    pub sheet: String,
    /// 1-based row as Excel shows it (the header is row 1).
    pub row: usize,
    pub data: T,
}

/// 企业行 — one row of the 企业 sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseRow {
    /// 统一社会信用代码
    pub credit_code: CreditCode,
    /// 企业名称
    pub name: String,
    /// 行政区划代码
    pub region_code: RegionCode,
    /// 所在园区 — the park's name, resolved when importing.
    pub park: Option<String>,
    /// 行业
    pub industry: Option<String>,
    /// 地址
    pub address: Option<String>,
    /// 法定代表人
    pub legal_representative: Option<String>,
}

/// 重大危险源行 — one row of the 重大危险源 sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstallationRow {
    /// 企业统一社会信用代码
    pub enterprise_credit_code: CreditCode,
    /// 重大危险源编码
    pub code: String,
    /// 名称
    pub name: String,
    /// 描述
    pub description: Option<String>,
    /// 500米内常住人口
    pub people_within_500m: i64,
    /// 包保责任人（主要、技术、操作负责人）
    pub guardians: Guardians,
    /// 纬度
    pub latitude: Option<f64>,
    /// 经度
    pub longitude: Option<f64>,
}

/// 单元行 — one row of the 单元 sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitRow {
    pub enterprise_credit_code: CreditCode,
    /// 重大危险源编码
    pub installation_code: String,
    /// 单元名称
    pub name: String,
    /// 单元类型
    pub kind: UnitKind,
}

/// 设备行 — one row of the 设备 sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EquipmentRow {
    pub enterprise_credit_code: CreditCode,
    pub installation_code: String,
    /// 单元名称
    pub unit_name: String,
    /// 设备编号
    pub code: String,
    /// 设备名称
    pub name: String,
    /// 设备类型
    pub kind: EquipmentKind,
    /// 设计容积(m3)
    pub design_volume_m3: Option<f64>,
    /// 设计压力(MPa)
    pub design_pressure_mpa: Option<f64>,
}

/// 监测点位行 — one row of the 监测点位 sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointRow {
    pub enterprise_credit_code: CreditCode,
    pub installation_code: String,
    /// 设备编号 (optional)
    pub equipment_code: Option<String>,
    /// 位号
    pub tag: Tag,
    /// 点位名称
    pub name: String,
    /// 监测指标
    pub indicator: Indicator,
    /// 单位 (already checked against the indicator and normalised)
    pub unit: String,
    /// 量程下限
    pub range_low: f64,
    /// 量程上限
    pub range_high: f64,
    /// 报警限（低低报、低报、高报、高高报）
    pub limits: Limits,
}

/// 库存行 — one row of the 库存 sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InventoryRow {
    pub enterprise_credit_code: CreditCode,
    pub installation_code: String,
    /// 单元名称
    pub unit_name: String,
    /// 化学品 — CAS number, Chinese name or alias, resolved when importing.
    pub chemical: String,
    /// 设计最大量(t)
    pub design_max_quantity_t: f64,
}

/// 台账批次 — the parsed rows of a workbook or CSV file, ready to import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerBatch {
    pub enterprises: Vec<Located<EnterpriseRow>>,
    pub installations: Vec<Located<InstallationRow>>,
    pub units: Vec<Located<UnitRow>>,
    pub equipment: Vec<Located<EquipmentRow>>,
    pub points: Vec<Located<PointRow>>,
    pub inventories: Vec<Located<InventoryRow>>,
}

impl LedgerBatch {
    /// Number of rows of one kind.
    pub fn count(&self, kind: LedgerKind) -> usize {
        match kind {
            LedgerKind::Enterprises => self.enterprises.len(),
            LedgerKind::Installations => self.installations.len(),
            LedgerKind::Units => self.units.len(),
            LedgerKind::Equipment => self.equipment.len(),
            LedgerKind::Points => self.points.len(),
            LedgerKind::Inventories => self.inventories.len(),
        }
    }

    /// Rows per kind, keyed by the English kind name.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        LedgerKind::ALL
            .into_iter()
            .map(|k| (k.as_str().to_string(), self.count(k)))
            .collect()
    }

    /// Total number of rows.
    pub fn len(&self) -> usize {
        LedgerKind::ALL.into_iter().map(|k| self.count(k)).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
