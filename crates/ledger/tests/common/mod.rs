//! Shared helpers: a seeded SQLite store and a tiny workbook builder.
#![allow(dead_code)]

use rust_xlsxwriter::Workbook;
use weihua_core::{CasNumber, CreditCode, RegionCode};
use weihua_store::audit::AuditVerdict;
use weihua_store::registry::{ChemicalInput, ListFilter, ParkInput};
use weihua_store::{Actor, Paging, Store};

pub const PARK: &str = "扬子江国际化学工业园";

pub fn root() -> Actor {
    Actor::system("test")
}

/// A valid credit code in 320582 (张家港).
pub fn credit(n: u32) -> String {
    CreditCode::with_check(&format!("91320582{n:09}"))
        .unwrap()
        .as_str()
        .to_string()
}

/// The same code with a wrong check character.
pub fn bad_credit(n: u32) -> String {
    let good = credit(n);
    let last = good.chars().last().unwrap();
    let wrong = if last == '0' { '1' } else { '0' };
    format!("{}{wrong}", &good[..17])
}

pub async fn open() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    (store, dir)
}

/// Regions 江苏/苏州/张家港, one park, and the chemicals 氨 (alias 液氨) and 甲醇.
pub async fn seed(store: &Store) {
    let mut tx = store.write(&root()).await.unwrap();
    weihua_testkit::upsert_regions(
        store,
        &mut tx,
        &[
            ("320000", "江苏省"),
            ("320500", "苏州市"),
            ("320582", "张家港市"),
        ],
    )
    .await;
    store
        .create_park(
            &mut tx,
            &ParkInput {
                name: PARK.into(),
                region_code: RegionCode::parse("320582").unwrap(),
                address: None,
            },
        )
        .await
        .unwrap();
    for (cas, zh, en, aliases) in [
        ("7664-41-7", "氨", "Ammonia", vec!["液氨".to_string()]),
        ("67-56-1", "甲醇", "Methanol", vec![]),
    ] {
        store
            .create_chemical(
                &mut tx,
                &ChemicalInput {
                    cas: Some(CasNumber::parse(cas).unwrap()),
                    name_zh: zh.into(),
                    name_en: Some(en.into()),
                    aliases,
                    table1_no: None,
                    hazard_categories: vec![],
                    gb18218_excluded: false,
                },
            )
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

pub async fn open_seeded() -> (Store, tempfile::TempDir) {
    let (store, dir) = open().await;
    seed(&store).await;
    (store, dir)
}

/// Row counts of every ledger table plus the number of audit entries.
pub async fn counts(store: &Store) -> [i64; 7] {
    let s = weihua_core::Scope::National;
    let f = ListFilter::default();
    let p = Paging::default();
    let audit = match store.verify_audit().await.unwrap() {
        AuditVerdict::Ok { entries, .. } => entries,
        other => panic!("audit chain broken: {other:?}"),
    };
    [
        store.list_enterprises(&s, &f, p).await.unwrap().total,
        store.list_installations(&s, &f, p).await.unwrap().total,
        store.list_units(&s, &f, p).await.unwrap().total,
        store.list_equipment(&s, &f, p).await.unwrap().total,
        store.list_points(&s, &f, p).await.unwrap().total,
        store.list_inventories(&s, &f, p).await.unwrap().total,
        audit,
    ]
}

/// A cell of a test workbook.
pub enum V {
    S(String),
    N(f64),
    E,
}

impl From<&str> for V {
    fn from(s: &str) -> Self {
        if s.is_empty() { V::E } else { V::S(s.into()) }
    }
}
impl From<&String> for V {
    fn from(s: &String) -> Self {
        V::from(s.as_str())
    }
}
impl From<f64> for V {
    fn from(n: f64) -> Self {
        V::N(n)
    }
}

#[macro_export]
macro_rules! row {
    ($($x:expr),* $(,)?) => { vec![$($crate::common::V::from($x)),*] };
}

pub type Sheet<'a> = (&'a str, Vec<Vec<V>>);

/// Write sheets (first row = header) into an .xlsx in memory.
pub fn xlsx(sheets: &[Sheet<'_>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                match v {
                    V::S(s) => ws.write_string(r as u32, c as u16, s).unwrap(),
                    V::N(n) => ws.write_number(r as u32, c as u16, *n).unwrap(),
                    V::E => continue,
                };
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

pub fn enterprise_header() -> Vec<V> {
    row![
        "统一社会信用代码",
        "企业名称",
        "行政区划代码",
        "所在园区",
        "行业",
        "地址",
        "法定代表人"
    ]
}

pub fn installation_header() -> Vec<V> {
    row![
        "企业统一社会信用代码",
        "重大危险源编码",
        "名称",
        "描述",
        "500米内常住人口",
        "主要负责人",
        "主要负责人电话",
        "技术负责人",
        "技术负责人电话",
        "操作负责人",
        "操作负责人电话",
        "纬度",
        "经度"
    ]
}

pub fn unit_header() -> Vec<V> {
    row![
        "企业统一社会信用代码",
        "重大危险源编码",
        "单元名称",
        "单元类型"
    ]
}

pub fn equipment_header() -> Vec<V> {
    row![
        "企业统一社会信用代码",
        "重大危险源编码",
        "单元名称",
        "设备编号",
        "设备名称",
        "设备类型",
        "设计容积(m3)",
        "设计压力(MPa)"
    ]
}

pub fn point_header() -> Vec<V> {
    row![
        "企业统一社会信用代码",
        "重大危险源编码",
        "设备编号",
        "位号",
        "点位名称",
        "监测指标",
        "单位",
        "量程下限",
        "量程上限",
        "低低报",
        "低报",
        "高报",
        "高高报"
    ]
}

pub fn inventory_header() -> Vec<V> {
    row![
        "企业统一社会信用代码",
        "重大危险源编码",
        "单元名称",
        "化学品",
        "设计最大量(t)"
    ]
}

/// A complete, valid ledger: 2 enterprises, 2 installations, 3 units,
/// 3 equipment, 4 points, 3 inventories. Some codes are typed as numbers.
pub fn good_workbook() -> Vec<u8> {
    let (c1, c2) = (credit(1), credit(2));
    xlsx(&[
        (
            "企业",
            vec![
                enterprise_header(),
                row![
                    &c1,
                    "扬子江石化有限公司",
                    "320582",
                    PARK,
                    "合成氨",
                    "张家港市江海路1号",
                    "王五"
                ],
                // The region code typed as a number.
                row![&c2, "金港化工有限公司", 320582.0],
            ],
        ),
        (
            "重大危险源",
            vec![
                installation_header(),
                row![
                    &c1,
                    "MHI-01",
                    "液氨罐区",
                    "两台1000立方米球罐",
                    40.0,
                    "张三",
                    13812345678.0,
                    "李四",
                    "",
                    "赵六",
                    "",
                    31.9,
                    120.5
                ],
                row![&c2, "MHI-01", "甲醇罐区"],
            ],
        ),
        (
            "单元",
            vec![
                unit_header(),
                row![&c1, "MHI-01", "液氨储罐区", "储存单元"],
                row![&c1, "MHI-01", "合成氨装置", "production"],
                row![&c2, "MHI-01", "甲醇储罐区", "储存单元"],
            ],
        ),
        (
            "设备",
            vec![
                equipment_header(),
                row![
                    &c1,
                    "MHI-01",
                    "液氨储罐区",
                    "V-101",
                    "1#液氨球罐",
                    "储罐",
                    1000.0,
                    2.16
                ],
                // An equipment code typed as a number.
                row![&c1, "MHI-01", "合成氨装置", 1101.0, "氨合成塔", "反应釜"],
                row![
                    &c2,
                    "MHI-01",
                    "甲醇储罐区",
                    "T-201",
                    "甲醇储罐",
                    "tank",
                    5000.0
                ],
            ],
        ),
        (
            "监测点位",
            vec![
                point_header(),
                row![
                    &c1,
                    "MHI-01",
                    "V-101",
                    "LT-101",
                    "1#球罐液位",
                    "液位",
                    "%",
                    0.0,
                    100.0,
                    10.0,
                    20.0,
                    80.0,
                    85.0
                ],
                row![
                    &c1,
                    "MHI-01",
                    "V-101",
                    "PT-101",
                    "1#球罐压力",
                    "压力",
                    "MPa",
                    0.0,
                    2.5,
                    "",
                    "",
                    1.8,
                    2.0
                ],
                // Equipment code and tag typed as numbers; ℃ is normalised to °C.
                row![
                    &c1,
                    "MHI-01",
                    1101.0,
                    2201.0,
                    "合成塔温度",
                    "温度",
                    "℃",
                    0.0,
                    600.0,
                    "",
                    "",
                    450.0,
                    500.0
                ],
                row![
                    &c2,
                    "MHI-01",
                    "",
                    "GT-301",
                    "罐区可燃气体",
                    "可燃气体",
                    "%LEL",
                    0.0,
                    100.0,
                    "",
                    "",
                    25.0,
                    50.0
                ],
            ],
        ),
        (
            "库存",
            vec![
                inventory_header(),
                row![&c1, "MHI-01", "液氨储罐区", "7664-41-7", 1100.0],
                row![&c1, "MHI-01", "合成氨装置", "液氨", 20.0],
                row![&c2, "MHI-01", "甲醇储罐区", "甲醇", 3960.0],
            ],
        ),
    ])
}
