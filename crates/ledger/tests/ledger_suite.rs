//! 台账导入导出 — the ledger suite: import of good and bad workbooks, CSV,
//! export → import round trip, and robustness against arbitrary bytes.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use weihua_core::Scope;
use weihua_ledger::{
    LedgerKind, RowError, check, check_xlsx, export_xlsx, import, import_csv, import_xlsx,
    parse_csv, parse_xlsx,
};
use weihua_store::registry::ListFilter;
use weihua_store::{Paging, Store};

// The import path differs on PostgreSQL (a failed statement aborts the
// transaction), so these run on both backends.
weihua_testkit::on_both_backends!(
    good_workbook_with_chinese_headers_imports_everything,
    bad_rows_are_all_reported_and_nothing_is_written,
    the_strict_path_rolls_back_on_store_errors,
    csv_with_bom_and_chinese_headers_imports,
);

fn created(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn located(errors: &[RowError]) -> BTreeSet<(String, usize, Option<String>)> {
    errors
        .iter()
        .map(|e| (e.sheet.clone(), e.row, e.column.clone()))
        .collect()
}

fn at(sheet: &str, row: usize, column: &str) -> (String, usize, Option<String>) {
    (sheet.to_string(), row, Some(column.to_string()))
}

fn find<'a>(errors: &'a [RowError], sheet: &str, row: usize) -> &'a RowError {
    errors
        .iter()
        .find(|e| e.sheet == sheet && e.row == row)
        .unwrap_or_else(|| panic!("no error at {sheet} row {row}: {errors:#?}"))
}

async fn good_workbook_with_chinese_headers_imports_everything(store: Store) {
    seed(&store).await;
    let bytes = good_workbook();

    let batch = parse_xlsx(&bytes).unwrap();
    assert_eq!(batch.len(), 17);
    // A dry run checks everything and writes nothing.
    let before = counts(&store).await;
    let dry = check(&store, &root(), &batch).await.unwrap();
    assert_eq!(counts(&store).await, before);

    let report = import(&store, &root(), &batch).await.unwrap();
    let want = created(&[
        ("enterprises", 2),
        ("installations", 2),
        ("units", 3),
        ("equipment", 3),
        ("points", 4),
        ("inventories", 3),
    ]);
    assert_eq!(report.created, want);
    assert_eq!(dry.created, want);
    let after = counts(&store).await;
    assert_eq!(&after[..6], &[2, 2, 3, 3, 4, 3]);
    // One audit entry per created row, plus one per installation whose
    // GB 18218 assessment changed as its inventories came in.
    let audit = store
        .list_audit(&Scope::National, None, Paging::all())
        .await
        .unwrap()
        .items;
    let creates = audit.iter().filter(|e| e.action == "create").count() as i64;
    let assessed = audit.iter().filter(|e| e.action == "assess").count() as i64;
    let seeded_creates = before[6];
    assert_eq!(creates - seeded_creates, 17);
    assert_eq!(after[6], before[6] + 17 + assessed);

    let s = Scope::National;
    let all = Paging::all();
    let f = ListFilter::default();
    let ents = store.list_enterprises(&s, &f, all).await.unwrap().items;
    let parks = store.list_parks(&s, &f, all).await.unwrap().items;
    let e1 = ents.iter().find(|e| e.credit_code == credit(1)).unwrap();
    assert_eq!(e1.park_id.as_deref(), Some(parks[0].id.as_str()));
    assert_eq!(e1.legal_representative.as_deref(), Some("王五"));
    let e2 = ents.iter().find(|e| e.credit_code == credit(2)).unwrap();
    assert_eq!(e2.region_code, "320582");
    assert_eq!(e2.park_id, None);

    let insts = store.list_installations(&s, &f, all).await.unwrap().items;
    let i1 = insts.iter().find(|i| i.enterprise_id == e1.id).unwrap();
    assert_eq!(i1.people_within_500m, 40);
    let principal = i1.guardians.principal.as_ref().unwrap();
    assert_eq!(principal.name, "张三");
    assert_eq!(principal.phone.as_deref(), Some("13812345678"));
    assert_eq!(i1.guardians.technical.as_ref().unwrap().name, "李四");
    assert_eq!(i1.latitude, Some(31.9));

    let eqs = store.list_equipment(&s, &f, all).await.unwrap().items;
    let reactor = eqs.iter().find(|e| e.code == "1101").unwrap();
    assert_eq!(reactor.kind, weihua_core::EquipmentKind::Reactor);

    let points = store.list_points(&s, &f, all).await.unwrap().items;
    let tt = points.iter().find(|p| p.tag == "2201").unwrap();
    assert_eq!(tt.unit, "°C");
    assert_eq!(tt.equipment_id.as_deref(), Some(reactor.id.as_str()));
    assert_eq!(tt.limits.hh, Some(500.0));
    let gt = points.iter().find(|p| p.tag == "GT-301").unwrap();
    assert_eq!(gt.enterprise_id, e2.id);
    assert_eq!(gt.equipment_id, None);

    let invs = store.list_inventories(&s, &f, all).await.unwrap().items;
    let mut q: Vec<(String, f64)> = invs
        .iter()
        .map(|i| (i.chemical_name.clone(), i.design_max_quantity_t))
        .collect();
    q.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(
        q,
        vec![
            ("氨".to_string(), 20.0),
            ("氨".to_string(), 1100.0),
            ("甲醇".to_string(), 3960.0)
        ]
    );

    // Importing the same workbook again conflicts on every row and writes nothing.
    let again = import_xlsx(&store, &root(), &bytes).await.unwrap_err();
    assert_eq!(again.errors.len(), 17, "{again:#?}");
    assert_eq!(counts(&store).await, after);
    let dup_tag = find(&again.errors, "监测点位", 2);
    assert_eq!(dup_tag.column.as_deref(), Some("tag"));
}

/// A workbook with a bad row of every kind of mistake: every one is reported
/// at its row and column, and nothing is written.
async fn bad_rows_are_all_reported_and_nothing_is_written(store: Store) {
    seed(&store).await;
    let c1 = credit(1);
    let bytes = xlsx(&[
        (
            "企业",
            vec![
                enterprise_header(),
                row![&c1, "扬子江石化有限公司", "320582", PARK],
                // Wrong check character.
                row![&bad_credit(2), "校验码错误有限公司", "320582"],
            ],
        ),
        (
            "重大危险源",
            vec![
                installation_header(),
                row![&c1, "MHI-01", "液氨罐区"],
                // Parses, but the store refuses the latitude.
                row![
                    &c1,
                    "MHI-02",
                    "甲类仓库",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    95.0,
                    120.0
                ],
                // Not a number; the unit below refers to this installation and
                // must not be reported a second time.
                row![&c1, "MHI-03", "丙烯罐区", "", "很多"],
            ],
        ),
        (
            "单元",
            vec![
                unit_header(),
                row![&c1, "MHI-01", "液氨储罐区", "储存单元"],
                row![&c1, "MHI-03", "丙烯储罐区", "储存单元"],
            ],
        ),
        (
            "设备",
            vec![
                equipment_header(),
                row![&c1, "MHI-01", "液氨储罐区", "V-101", "1#液氨球罐", "储罐"],
            ],
        ),
        (
            "监测点位",
            vec![
                point_header(),
                row![
                    &c1, "MHI-01", "V-101", "LT-101", "液位", "液位", "%", 0.0, 100.0
                ],
                // High-high below high.
                row![
                    &c1, "MHI-01", "V-101", "LT-102", "液位2", "液位", "%", 0.0, 100.0, "", "",
                    90.0, 80.0
                ],
                // Unknown indicator.
                row![
                    &c1, "MHI-01", "", "ST-101", "转速", "转速", "r/min", 0.0, 3000.0
                ],
                // Missing required name.
                row![&c1, "MHI-01", "", "TT-101", "", "温度", "℃", 0.0, 200.0],
                // Duplicate of row 2's tag.
                row![&c1, "MHI-01", "", "LT-101", "重复", "液位", "%", 0.0, 100.0],
                // No such installation.
                row![&c1, "MHI-99", "", "PT-101", "压力", "压力", "MPa", 0.0, 4.0],
            ],
        ),
        (
            "库存",
            vec![
                inventory_header(),
                row![&c1, "MHI-01", "液氨储罐区", "7664-41-7", 100.0],
                // Wrong CAS check digit.
                row![&c1, "MHI-01", "液氨储罐区", "7664-41-8", 10.0],
                // Not in the catalogue.
                row![&c1, "MHI-01", "液氨储罐区", "不存在的化学品", 10.0],
            ],
        ),
    ]);

    // Cell-level problems alone.
    let parse_errors = parse_xlsx(&bytes).unwrap_err().errors;
    assert_eq!(
        located(&parse_errors),
        BTreeSet::from([
            at("企业", 3, "credit_code"),
            at("重大危险源", 4, "people_within_500m"),
            at("监测点位", 3, "hh"),
            at("监测点位", 4, "indicator"),
            at("监测点位", 5, "name"),
            at("监测点位", 6, "tag"),
            at("库存", 3, "chemical"),
        ]),
        "{parse_errors:#?}"
    );

    let before = counts(&store).await;
    let errors = import_xlsx(&store, &root(), &bytes)
        .await
        .unwrap_err()
        .errors;
    assert_eq!(
        located(&errors),
        BTreeSet::from([
            at("企业", 3, "credit_code"),
            at("重大危险源", 3, "latitude"),
            at("重大危险源", 4, "people_within_500m"),
            at("监测点位", 3, "hh"),
            at("监测点位", 4, "indicator"),
            at("监测点位", 5, "name"),
            at("监测点位", 6, "tag"),
            at("监测点位", 7, "installation_code"),
            at("库存", 3, "chemical"),
            at("库存", 4, "chemical"),
        ]),
        "{errors:#?}"
    );
    assert_eq!(errors.len(), 10, "one error per bad cell: {errors:#?}");
    assert_eq!(counts(&store).await, before, "the store must be unchanged");

    // The preview reports the same, and also writes nothing.
    let preview = check_xlsx(&store, &root(), &bytes).await.unwrap_err();
    assert_eq!(preview.errors, errors);
    assert_eq!(counts(&store).await, before);

    // Errors come sorted by sheet (import order), then row.
    let order: Vec<(String, usize)> = errors.iter().map(|e| (e.sheet.clone(), e.row)).collect();
    let mut sorted = order.clone();
    sorted.sort_by_key(|(s, r)| (LedgerKind::parse(s).unwrap(), *r));
    assert_eq!(order, sorted);

    // Messages say what is wrong, in both languages, naming the column.
    let e = find(&errors, "企业", 3);
    assert!(e.message_zh.contains("统一社会信用代码"), "{e:?}");
    assert!(e.message_zh.contains("校验码"), "{e:?}");
    assert!(e.message_en.contains("check character"), "{e:?}");
    let e = find(&errors, "监测点位", 3);
    assert!(e.message_en.contains("HH limit 80"), "{e:?}");
    let e = find(&errors, "监测点位", 4);
    assert!(
        e.message_zh.contains("转速") && e.message_zh.contains("液位"),
        "{e:?}"
    );
    let e = find(&errors, "监测点位", 6);
    assert!(e.message_en.contains("row 2"), "{e:?}");
    let e = find(&errors, "监测点位", 7);
    assert!(e.message_en.contains("MHI-99"), "{e:?}");
    let e = find(&errors, "库存", 3);
    assert!(e.message_en.contains("check digit"), "{e:?}");
    let e = find(&errors, "库存", 4);
    assert!(e.message_zh.contains("不存在的化学品"), "{e:?}");
    let e = find(&errors, "重大危险源", 3);
    assert!(e.message_zh.contains("纬度"), "{e:?}");

    // The errors serialise for the API.
    let json = serde_json::to_value(weihua_ledger::LedgerErrors {
        errors: errors.clone(),
    })
    .unwrap();
    assert_eq!(json["errors"][0]["sheet"], "企业");
    assert_eq!(json["errors"][0]["row"], 3);
    assert_eq!(json["errors"][0]["column"], "credit_code");
}

async fn the_strict_path_rolls_back_on_store_errors(store: Store) {
    seed(&store).await;
    let c1 = credit(1);
    let bytes = xlsx(&[
        (
            "enterprises",
            vec![
                row!["credit_code", "name", "region_code", "park"],
                row![&c1, "甲公司", "320582", PARK],
                row![&credit(2), "乙公司", "320582", "没有这个园区"],
            ],
        ),
        (
            "Installations",
            vec![
                row![
                    "Enterprise_Credit_Code",
                    "CODE",
                    "name",
                    "people_within_500m"
                ],
                row![&c1, "MHI-01", "罐区", 12.0],
                row![&credit(3), "MHI-01", "罐区", 12.0],
            ],
        ),
    ]);
    let batch = parse_xlsx(&bytes).unwrap();
    let before = counts(&store).await;
    let errors = import(&store, &root(), &batch).await.unwrap_err().errors;
    assert_eq!(
        located(&errors),
        BTreeSet::from([
            at("enterprises", 3, "park"),
            at("Installations", 3, "enterprise_credit_code"),
        ]),
        "{errors:#?}"
    );
    assert_eq!(counts(&store).await, before);
}

#[tokio::test]
async fn header_problems_are_reported_once_per_column() {
    let bytes = xlsx(&[
        (
            "单元",
            vec![
                row!["企业统一社会信用代码", "单元名称", "颜色", "单元名称"],
                row![&credit(1), "储罐区", "红", "x"],
            ],
        ),
        ("说明", vec![row!["本工作簿用于导入台账"]]),
        ("Sheet1", vec![]),
    ]);
    let errors = parse_xlsx(&bytes).unwrap_err().errors;
    assert_eq!(
        located(&errors),
        BTreeSet::from([
            ("说明".to_string(), 0, None),
            at("单元", 1, "颜色"),
            at("单元", 1, "name"),
            at("单元", 1, "installation_code"),
            at("单元", 1, "kind"),
        ]),
        "{errors:#?}"
    );
    let unknown = errors
        .iter()
        .find(|e| e.column.as_deref() == Some("颜色"))
        .unwrap();
    assert!(unknown.message_zh.contains("单元类型"), "{unknown:?}");
}

async fn csv_with_bom_and_chinese_headers_imports(store: Store) {
    seed(&store).await;
    let (c1, c2) = (credit(1), credit(2));
    let enterprises = format!(
        "\u{feff}统一社会信用代码,企业名称,行政区划代码,所在园区\r\n\
         {c1},扬子江石化有限公司,320582,{PARK}\r\n\
         ,,,\r\n\
         {c2},\"金港化工有限公司, 二厂\",320582,\r\n"
    );
    let batch = parse_csv(LedgerKind::Enterprises, enterprises.as_bytes()).unwrap();
    assert_eq!(batch.enterprises.len(), 2);
    assert_eq!(batch.enterprises[1].row, 4, "the empty row still counts");
    assert_eq!(batch.enterprises[1].data.name, "金港化工有限公司, 二厂");
    let report = import(&store, &root(), &batch).await.unwrap();
    assert_eq!(report.created["enterprises"], 2);

    // A second file refers to the enterprises now in the store.
    let installations = format!(
        "\u{feff}企业统一社会信用代码,重大危险源编码,名称,500米内常住人口\n\
         {c1},MHI-01,液氨罐区,40\n\
         {c2},MHI-01,甲醇罐区,\n"
    );
    let report = import_csv(
        &store,
        &root(),
        LedgerKind::Installations,
        installations.as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(report.created["installations"], 2);
    assert_eq!(counts(&store).await[1], 2);

    // Errors in a CSV carry the line Excel shows and the kind's sheet name.
    let bad = format!(
        "企业统一社会信用代码,重大危险源编码,名称,500米内常住人口\n\
         {c1},MHI-02,丙烯罐区,四十\n"
    );
    let errors = import_csv(&store, &root(), LedgerKind::Installations, bad.as_bytes())
        .await
        .unwrap_err()
        .errors;
    assert_eq!(
        located(&errors),
        BTreeSet::from([at("重大危险源", 2, "people_within_500m")])
    );
}

#[tokio::test]
async fn non_utf8_csv_is_refused_with_the_save_as_hint() {
    // "统一社会信用代码,企业名称" in GBK, as Excel saves a plain CSV on a Chinese Windows.
    let gbk: &[u8] = b"\xcd\xb3\xd2\xbb\xc9\xe7\xbb\xe1\xd0\xc5\xd3\xc3\xb4\xfa\xc2\xeb,\xc6\xf3\xd2\xb5\xc3\xfb\xb3\xc6\r\n";
    let errors = parse_csv(LedgerKind::Enterprises, gbk).unwrap_err().errors;
    assert_eq!(errors.len(), 1);
    let e = &errors[0];
    assert_eq!(e.row, 1);
    assert!(e.message_zh.contains("CSV UTF-8"), "{e:?}");
    assert!(e.message_en.contains("CSV UTF-8"), "{e:?}");
    assert!(e.message_zh.contains("UTF-8编码"), "{e:?}");

    // The row of the first bad byte is given.
    let mut late = "统一社会信用代码,企业名称,行政区划代码\n"
        .as_bytes()
        .to_vec();
    late.extend_from_slice(b"x,\xc6\xf3,320582\n");
    let errors = parse_csv(LedgerKind::Enterprises, &late)
        .unwrap_err()
        .errors;
    assert_eq!(errors[0].row, 2);
}

fn sheet_table(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Everything that identifies the ledger in a store, independent of ids.
async fn snapshot(store: &Store) -> BTreeMap<&'static str, BTreeSet<String>> {
    let s = Scope::National;
    let f = ListFilter::default();
    let all = Paging::all();
    let parks = store.list_parks(&s, &f, all).await.unwrap().items;
    let ents = store.list_enterprises(&s, &f, all).await.unwrap().items;
    let insts = store.list_installations(&s, &f, all).await.unwrap().items;
    let units = store.list_units(&s, &f, all).await.unwrap().items;
    let eqs = store.list_equipment(&s, &f, all).await.unwrap().items;
    let points = store.list_points(&s, &f, all).await.unwrap().items;
    let invs = store.list_inventories(&s, &f, all).await.unwrap().items;
    let credit = |id: &str| {
        ents.iter()
            .find(|e| e.id == id)
            .map(|e| e.credit_code.clone())
            .unwrap()
    };
    let inst = |id: &str| insts.iter().find(|i| i.id == id).unwrap().code.clone();
    let unit = |id: &str| units.iter().find(|u| u.id == id).unwrap().name.clone();
    let eq = |id: &Option<String>| {
        id.as_ref()
            .map(|id| eqs.iter().find(|e| &e.id == id).unwrap().code.clone())
    };
    let park = |id: &Option<String>| {
        id.as_ref()
            .map(|id| parks.iter().find(|p| &p.id == id).unwrap().name.clone())
    };
    let mut out = BTreeMap::new();
    out.insert(
        "enterprises",
        ents.iter()
            .map(|e| {
                format!(
                    "{}|{}|{}|{:?}|{:?}|{:?}|{:?}",
                    e.credit_code,
                    e.name,
                    e.region_code,
                    park(&e.park_id),
                    e.industry,
                    e.address,
                    e.legal_representative
                )
            })
            .collect(),
    );
    out.insert(
        "installations",
        insts
            .iter()
            .map(|i| {
                format!(
                    "{}|{}|{}|{:?}|{}|{:?}|{:?}|{:?}",
                    credit(&i.enterprise_id),
                    i.code,
                    i.name,
                    i.description,
                    i.people_within_500m,
                    i.guardians,
                    i.latitude,
                    i.longitude
                )
            })
            .collect(),
    );
    out.insert(
        "units",
        units
            .iter()
            .map(|u| {
                format!(
                    "{}|{}|{}|{:?}",
                    credit(&u.enterprise_id),
                    inst(&u.installation_id),
                    u.name,
                    u.kind
                )
            })
            .collect(),
    );
    out.insert(
        "equipment",
        eqs.iter()
            .map(|e| {
                format!(
                    "{}|{}|{}|{}|{}|{:?}|{:?}|{:?}",
                    credit(&e.enterprise_id),
                    inst(&e.installation_id),
                    unit(&e.unit_id),
                    e.code,
                    e.name,
                    e.kind,
                    e.design_volume_m3,
                    e.design_pressure_mpa
                )
            })
            .collect(),
    );
    out.insert(
        "points",
        points
            .iter()
            .map(|p| {
                format!(
                    "{}|{}|{:?}|{}|{}|{:?}|{}|{}|{}|{:?}",
                    credit(&p.enterprise_id),
                    inst(&p.installation_id),
                    eq(&p.equipment_id),
                    p.tag,
                    p.name,
                    p.indicator,
                    p.unit,
                    p.range_low,
                    p.range_high,
                    p.limits
                )
            })
            .collect(),
    );
    out.insert(
        "inventories",
        invs.iter()
            .map(|i| {
                format!(
                    "{}|{}|{}|{:?}|{}",
                    credit(&i.enterprise_id),
                    inst(&i.installation_id),
                    unit(&i.unit_id),
                    i.cas,
                    i.design_max_quantity_t
                )
            })
            .collect(),
    );
    out
}

#[tokio::test]
async fn export_then_import_round_trips_into_an_empty_store() {
    let (a, _da) = open_seeded().await;
    import_xlsx(&a, &root(), &good_workbook()).await.unwrap();
    let exported = export_xlsx(&a, &Scope::National).await.unwrap();

    // Chinese sheet names, in import order, with the importer's Chinese headers.
    let wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(exported.clone())).unwrap();
    let names: Vec<String> = LedgerKind::ALL
        .iter()
        .map(|k| k.label_zh().to_string())
        .collect();
    assert_eq!(wb.sheet_names(), names);
    for kind in LedgerKind::ALL {
        let table = sheet_table(&exported, kind.label_zh());
        let header: Vec<&str> = kind.columns().iter().map(|c| c.zh).collect();
        assert_eq!(table[0], header);
        assert_eq!(table.len() - 1, parse_xlsx(&exported).unwrap().count(kind));
    }
    let points = sheet_table(&exported, "监测点位");
    assert!(points.iter().any(|r| r[3] == "2201" && r[2] == "1101"));

    let (b, _db) = open_seeded().await;
    let report = import_xlsx(&b, &root(), &exported).await.unwrap();
    assert_eq!(report.created.values().sum::<usize>(), 17);
    assert_eq!(snapshot(&a).await, snapshot(&b).await);

    // The export of the copy is the same workbook content.
    let again = export_xlsx(&b, &Scope::National).await.unwrap();
    for kind in LedgerKind::ALL {
        assert_eq!(
            sheet_table(&exported, kind.label_zh()),
            sheet_table(&again, kind.label_zh()),
            "{kind}"
        );
    }
}

#[tokio::test]
async fn export_is_limited_to_the_scope() {
    let (store, _dir) = open_seeded().await;
    import_xlsx(&store, &root(), &good_workbook())
        .await
        .unwrap();
    let ents = store
        .list_enterprises(&Scope::National, &ListFilter::default(), Paging::all())
        .await
        .unwrap()
        .items;
    let e2 = ents.iter().find(|e| e.credit_code == credit(2)).unwrap();
    let bytes = export_xlsx(&store, &Scope::Enterprise(e2.id.clone()))
        .await
        .unwrap();
    let batch = parse_xlsx(&bytes).unwrap();
    assert_eq!(batch.enterprises.len(), 1);
    assert_eq!(batch.points.len(), 1);
    assert_eq!(batch.points[0].data.tag.as_str(), "GT-301");
    assert!(
        batch
            .inventories
            .iter()
            .all(|i| i.data.enterprise_credit_code.as_str() == credit(2))
    );
}

#[test]
fn template_imports_as_headers_only() {
    let bytes = weihua_ledger::template_xlsx().unwrap();
    let errors = parse_xlsx(&bytes).unwrap_err().errors;
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message_zh.contains("没有可导入的数据"));
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    fn all_parsers(bytes: &[u8]) {
        let _ = parse_xlsx(bytes);
        for kind in LedgerKind::ALL {
            let _ = parse_csv(kind, bytes);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            all_parsers(&bytes);
        }

        #[test]
        fn zip_looking_bytes_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..1024)) {
            let mut bytes = b"PK\x03\x04".to_vec();
            bytes.extend(tail);
            all_parsers(&bytes);
        }

        #[test]
        fn csv_like_text_never_panics(
            kind in 0usize..6,
            body in "[a-zA-Z0-9,;\"\r\n .:%℃°-]{0,300}",
            header_lang in any::<bool>(),
        ) {
            let kind = LedgerKind::ALL[kind];
            let header: Vec<&str> = kind
                .columns()
                .iter()
                .map(|c| if header_lang { c.zh } else { c.key })
                .collect();
            let text = format!("{}\n{body}", header.join(","));
            let _ = parse_csv(kind, text.as_bytes());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A real workbook with bytes changed here and there.
        #[test]
        fn damaged_workbooks_never_panic(
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
        ) {
            let mut bytes = good_workbook();
            for (i, b) in flips {
                let i = i.index(bytes.len());
                bytes[i] = b;
            }
            let _ = parse_xlsx(&bytes);
        }
    }
}
