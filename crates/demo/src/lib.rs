//! weihua-demo — a FICTIONAL chemical park to try weihua with.
//!
//! [`seed`] fills an empty store, through the store's public API and under the
//! audit log like any other change, with:
//!
//! - the regions 江苏省 › 苏州市 › 张家港市 / 常熟市 (real GB/T 2260 codes);
//! - the park 江海新材料化工园区 in 张家港市 with eight enterprises (氯碱,
//!   合成氨, 石化储运, 液化气, 硝化, 医药中间体, 危化品仓储, 工业气体) and one
//!   enterprise outside it in 常熟市 (涉氨制冷), so that regulator scopes differ;
//! - their major hazard installations with 包保责任人, units, equipment,
//!   inventories and monitoring points (levels, pressures, temperatures,
//!   flows, gas detectors) with plausible ranges and alarm limits;
//! - a user for every role and one ingest API token per enterprise, with
//!   random passwords and tokens returned in [`DemoCredentials`].
//!
//! The layout is the same on every run; only passwords and tokens differ.
//! Names, people, phone numbers, addresses and credit codes are invented.

mod layout;
mod plan;
mod spec;

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use weihua_core::{CasNumber, CreditCode, Guardian, Guardians, RegionCode, Role, Scope, Tag};
use weihua_store::auth::NewUser;
use weihua_store::registry::{
    ChemicalInput, EnterpriseInput, EquipmentInput, InstallationInput, InventoryInput, ListFilter,
    ParkInput, PointInput, RegionInput, UnitInput,
};
use weihua_store::{Actor, Paging, Store, StoreError, secrets};

/// Name of the file [`write_credentials`] writes.
pub const CREDENTIALS_FILE: &str = "demo-credentials.json";

/// Name under which the demo's changes appear in the audit log.
pub const ACTOR_NAME: &str = "demo";

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The store already holds enterprises; the demo only fills an empty one.
    #[error("the store is not empty; demo data is only loaded into an empty store")]
    NotEmpty,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The built-in tables are inconsistent (a bug in this crate).
    #[error("demo data is inconsistent: {0}")]
    Data(String),
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// A demo account and its password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoUser {
    pub username: String,
    pub password: String,
    /// [`Role::as_str`], e.g. `county_regulator`.
    pub role: String,
    /// [`Scope::to_text`], e.g. `region:320582`.
    pub scope: String,
    pub display_name: String,
}

/// A gateway's ingest API token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoToken {
    /// Enterprise name.
    pub enterprise: String,
    pub enterprise_id: String,
    pub credit_code: String,
    pub token: String,
}

/// Everything needed to log in to the demo. Secret: written with mode 0600.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoCredentials {
    pub users: Vec<DemoUser>,
    pub ingest_tokens: Vec<DemoToken>,
}

/// Whose scope a demo user gets.
enum Who {
    National,
    Region(&'static str),
    Park,
    /// By enterprise key (`e1`).
    Enterprise(&'static str),
}

/// The demo accounts: every role; enterprise roles at two park enterprises and
/// at the enterprise outside the park. Kept short: argon2id is slow on purpose.
const USERS: &[(&str, &str, Role, Who)] = &[
    (
        "ministry",
        "应急管理部监管员（演示）",
        Role::MinistryRegulator,
        Who::National,
    ),
    (
        "province",
        "江苏省应急管理厅监管员（演示）",
        Role::ProvinceRegulator,
        Who::Region("320000"),
    ),
    (
        "city",
        "苏州市应急管理局监管员（演示）",
        Role::CityRegulator,
        Who::Region("320500"),
    ),
    (
        "county",
        "张家港市应急管理局监管员（演示）",
        Role::CountyRegulator,
        Who::Region("320582"),
    ),
    (
        "county.changshu",
        "常熟市应急管理局监管员（演示）",
        Role::CountyRegulator,
        Who::Region("320581"),
    ),
    (
        "park",
        "江海新材料化工园区安监办（演示）",
        Role::ParkAdmin,
        Who::Park,
    ),
    (
        "e1.admin",
        "江海氯碱 企业管理员",
        Role::EnterpriseAdmin,
        Who::Enterprise("e1"),
    ),
    (
        "e1.safety",
        "江海氯碱 安全管理员",
        Role::SafetyManager,
        Who::Enterprise("e1"),
    ),
    (
        "e1.operator",
        "江海氯碱 操作员",
        Role::Operator,
        Who::Enterprise("e1"),
    ),
    (
        "e2.admin",
        "江海氮肥 企业管理员",
        Role::EnterpriseAdmin,
        Who::Enterprise("e2"),
    ),
    (
        "e2.safety",
        "江海氮肥 安全管理员",
        Role::SafetyManager,
        Who::Enterprise("e2"),
    ),
    (
        "e2.operator",
        "江海氮肥 操作员",
        Role::Operator,
        Who::Enterprise("e2"),
    ),
    (
        "e9.admin",
        "虞丰冷链 企业管理员",
        Role::EnterpriseAdmin,
        Who::Enterprise("e9"),
    ),
    (
        "e9.safety",
        "虞丰冷链 安全管理员",
        Role::SafetyManager,
        Who::Enterprise("e9"),
    ),
    (
        "e9.operator",
        "虞丰冷链 操作员",
        Role::Operator,
        Who::Enterprise("e9"),
    ),
];

fn data_err(what: &str, e: impl std::fmt::Display) -> DemoError {
    DemoError::Data(format!("{what}: {e}"))
}

fn guardian(p: &spec::Person) -> Option<Guardian> {
    Some(Guardian {
        name: p.name.to_string(),
        title: Some(p.title.to_string()),
        phone: Some(p.phone.to_string()),
    })
}

/// Fill an EMPTY store with the demo park. Returns the generated passwords and
/// tokens; only their hashes are stored.
///
/// Runs in one transaction for the catalogue, one per enterprise and one for
/// the users (about 2 s in a debug build). Fails with [`DemoError::NotEmpty`]
/// if the store holds any enterprise. Should a later step fail, what earlier
/// transactions committed stays; start again from an empty store.
pub async fn seed(store: &Store) -> Result<DemoCredentials, DemoError> {
    if !store.is_empty().await? {
        return Err(DemoError::NotEmpty);
    }
    let actor = Actor::system(ACTOR_NAME);

    // Hash the passwords on the blocking pool while the registry is written.
    let mut hashing = Vec::new();
    for (username, ..) in USERS {
        let password = secrets::random_password();
        let p = password.clone();
        let task = tokio::task::spawn_blocking(move || secrets::hash_password(&p));
        hashing.push((*username, password, task));
    }

    // Regions, park and chemical catalogue.
    let mut tx = store.write(&actor).await?;
    for (code, name) in layout::REGIONS {
        let input = RegionInput {
            code: RegionCode::parse(code).map_err(|e| data_err(code, e))?,
            name: name.to_string(),
        };
        store.upsert_region(&mut tx, &input).await?;
    }
    let park = store
        .create_park(
            &mut tx,
            &ParkInput {
                name: layout::PARK_NAME.to_string(),
                region_code: RegionCode::parse(layout::PARK_COUNTY)
                    .map_err(|e| data_err("park region", e))?,
                address: Some(layout::PARK_ADDRESS.to_string()),
            },
        )
        .await?;
    let mut chemicals: HashMap<&str, String> = HashMap::new();
    for c in layout::CHEMICALS {
        let cas = c
            .cas
            .map(CasNumber::parse)
            .transpose()
            .map_err(|e| data_err(c.name_zh, e))?;
        // Reuse a chemical the catalogue already has (the catalogue is shared
        // and may have been imported before any enterprise).
        let existing = match store.find_chemical(c.cas.unwrap_or(c.name_zh)).await {
            Ok(found) => Some(found.id),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e.into()),
        };
        let id = match existing {
            Some(id) => id,
            None => {
                let input = ChemicalInput {
                    cas,
                    name_zh: c.name_zh.to_string(),
                    name_en: Some(c.name_en.to_string()),
                    aliases: c.aliases.iter().map(|a| a.to_string()).collect(),
                    table1_no: match c.gb18218 {
                        spec::Gb18218::Table1Row(n) => Some(n),
                        _ => None,
                    },
                    hazard_categories: c
                        .gb18218
                        .categories()
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                    gb18218_excluded: matches!(c.gb18218, spec::Gb18218::Excluded),
                };
                store.create_chemical(&mut tx, &input).await?.id
            }
        };
        chemicals.insert(c.name_zh, id);
    }
    tx.commit().await?;

    // One transaction per enterprise.
    let mut enterprise_ids: HashMap<&str, String> = HashMap::new();
    let mut ingest_tokens = Vec::new();
    for (ei, e) in layout::ENTERPRISES.iter().enumerate() {
        let mut tx = store.write(&actor).await?;
        let region = RegionCode::parse(e.county).map_err(|err| data_err(e.name, err))?;
        let credit_code = CreditCode::with_check(&format!("91{}{}", e.county, e.credit_tail))
            .map_err(|err| data_err(e.name, err))?;
        let enterprise = store
            .create_enterprise(
                &mut tx,
                &EnterpriseInput {
                    credit_code: credit_code.clone(),
                    name: e.name.to_string(),
                    region_code: region,
                    park_id: e.in_park.then(|| park.id.clone()),
                    industry: Some(e.industry.to_string()),
                    address: Some(e.address.to_string()),
                    legal_representative: Some(e.legal_representative.to_string()),
                },
            )
            .await?;
        for (ii, inst) in e.installations.iter().enumerate() {
            let inst_no = ii as u32 + 1;
            let installation = store
                .create_installation(
                    &mut tx,
                    &InstallationInput {
                        enterprise_id: enterprise.id.clone(),
                        code: format!("{}-{:03}-{:02}", e.county, ei + 1, inst_no),
                        name: inst.name.to_string(),
                        description: Some(inst.description.to_string()),
                        people_within_500m: inst.people_within_500m,
                        guardians: Guardians {
                            principal: guardian(&e.principal),
                            technical: guardian(&e.technical),
                            operational: guardian(&inst.operational),
                        },
                        latitude: Some(round6(e.lat + 0.0012 * ii as f64)),
                        longitude: Some(round6(e.lon + 0.0015 * (ii % 2) as f64)),
                    },
                )
                .await?;
            let mut placer = PointPlacer::new(&installation);
            for (ui, unit) in inst.units.iter().enumerate() {
                seed_unit(
                    store,
                    &mut tx,
                    inst_no,
                    ui as u32 + 1,
                    unit,
                    &chemicals,
                    &mut placer,
                )
                .await?;
            }
        }
        let token = secrets::new_token("whk");
        store
            .create_api_token(
                &mut tx,
                &enterprise.id,
                "ingest",
                "演示网关",
                &secrets::hash_token(&token),
            )
            .await?;
        tx.commit().await?;
        ingest_tokens.push(DemoToken {
            enterprise: enterprise.name.clone(),
            enterprise_id: enterprise.id.clone(),
            credit_code: enterprise.credit_code.clone(),
            token,
        });
        enterprise_ids.insert(e.key, enterprise.id);
    }

    // Users.
    let mut tx = store.write(&actor).await?;
    let mut users = Vec::new();
    for ((username, display_name, role, who), (_, password, task)) in USERS.iter().zip(hashing) {
        let scope = match who {
            Who::National => Scope::National,
            Who::Region(code) => {
                Scope::Region(RegionCode::parse(code).map_err(|e| data_err(username, e))?)
            }
            Who::Park => Scope::Park(park.id.clone()),
            Who::Enterprise(key) => Scope::Enterprise(
                enterprise_ids
                    .get(key)
                    .cloned()
                    .ok_or_else(|| data_err(username, format!("no enterprise {key}")))?,
            ),
        };
        let password_hash = task
            .await
            .map_err(|e| DemoError::Hash(e.to_string()))?
            .map_err(DemoError::Hash)?;
        store
            .create_user(
                &mut tx,
                &NewUser {
                    username: username.to_string(),
                    display_name: display_name.to_string(),
                    password_hash,
                    role: *role,
                    scope: scope.clone(),
                },
            )
            .await?;
        users.push(DemoUser {
            username: username.to_string(),
            password,
            role: role.as_str().to_string(),
            scope: scope.to_text(),
            display_name: display_name.to_string(),
        });
    }
    tx.commit().await?;

    Ok(DemoCredentials {
        users,
        ingest_tokens,
    })
}

/// Places an installation's instruments around its registered position, on
/// a sunflower spiral 6–45 m out (so gas detectors have realistic distances
/// to the work permits nearby; the demo's plant layout is fictional).
struct PointPlacer {
    installation_id: String,
    origin: Option<(f64, f64)>,
    k: u32,
}

impl PointPlacer {
    fn new(inst: &weihua_store::registry::Installation) -> Self {
        Self {
            installation_id: inst.id.clone(),
            origin: inst.latitude.zip(inst.longitude),
            k: 0,
        }
    }

    fn next(&mut self) -> Option<(f64, f64)> {
        let (lat, lon) = self.origin?;
        let k = f64::from(self.k);
        self.k += 1;
        let r_m = (6.0 + 6.0 * k.sqrt()).min(45.0);
        let a = k * 137.5_f64.to_radians();
        let dlat = r_m * a.cos() / 111_320.0;
        let dlon = r_m * a.sin() / (111_320.0 * lat.to_radians().cos());
        Some((round7(lat + dlat), round7(lon + dlon)))
    }
}

fn round7(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

async fn seed_unit(
    store: &Store,
    tx: &mut weihua_store::WriteTx,
    inst_no: u32,
    unit_no: u32,
    unit: &spec::UnitSpec,
    chemicals: &HashMap<&str, String>,
    placer: &mut PointPlacer,
) -> Result<(), DemoError> {
    let installation_id = placer.installation_id.clone();
    let installation_id = installation_id.as_str();
    let planned = plan::plan_unit(inst_no, unit_no, unit).map_err(DemoError::Data)?;
    let u = store
        .create_unit(
            tx,
            &UnitInput {
                installation_id: installation_id.to_string(),
                name: unit.name.to_string(),
                kind: unit.kind,
            },
        )
        .await?;
    for eq in planned {
        let equipment = store
            .create_equipment(
                tx,
                &EquipmentInput {
                    unit_id: u.id.clone(),
                    code: eq.code.clone(),
                    name: eq.name.clone(),
                    kind: eq.kind,
                    design_volume_m3: eq.volume_m3,
                    design_pressure_mpa: eq.pressure_mpa,
                },
            )
            .await?;
        for p in eq.points {
            let pos = placer.next();
            store
                .create_point(
                    tx,
                    &PointInput {
                        installation_id: installation_id.to_string(),
                        equipment_id: Some(equipment.id.clone()),
                        tag: Tag::parse(&p.tag).map_err(|e| data_err(&p.tag, e))?,
                        name: p.name,
                        indicator: p.indicator,
                        unit: p.unit.to_string(),
                        range_low: p.range.lo,
                        range_high: p.range.hi,
                        limits: p.range.limits,
                        latitude: pos.map(|(lat, _)| lat),
                        longitude: pos.map(|(_, lon)| lon),
                    },
                )
                .await?;
        }
    }
    for s in unit.stock {
        let chemical_id = chemicals
            .get(s.chemical)
            .ok_or_else(|| data_err(unit.name, format!("unknown chemical {}", s.chemical)))?;
        store
            .create_inventory(
                tx,
                &InventoryInput {
                    unit_id: u.id.clone(),
                    chemical_id: chemical_id.clone(),
                    design_max_quantity_t: s.tonnes,
                    note: Some(s.note.to_string()),
                },
            )
            .await?;
    }
    Ok(())
}

/// Write `dir/demo-credentials.json` (pretty JSON; mode 0600 on unix, also
/// when the file existed before). Creates `dir` if needed.
pub fn write_credentials(dir: &Path, creds: &DemoCredentials) -> std::io::Result<PathBuf> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let path = dir.join(CREDENTIALS_FILE);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    let json = serde_json::to_vec_pretty(creds).map_err(std::io::Error::other)?;
    file.write_all(&json)?;
    file.write_all(b"\n")?;
    file.sync_all()?;
    Ok(path)
}

/// Counts of what [`seed`] creates, from the tables alone (no store needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DemoLayout {
    pub enterprises: usize,
    pub installations: usize,
    pub units: usize,
    pub equipment: usize,
    pub points: usize,
    pub inventories: usize,
    pub chemicals: usize,
    pub users: usize,
}

/// What [`seed`] will create.
pub fn layout() -> DemoLayout {
    let mut l = DemoLayout {
        enterprises: layout::ENTERPRISES.len(),
        installations: 0,
        units: 0,
        equipment: 0,
        points: 0,
        inventories: 0,
        chemicals: layout::CHEMICALS.len(),
        users: USERS.len(),
    };
    for e in layout::ENTERPRISES {
        l.installations += e.installations.len();
        for (ii, inst) in e.installations.iter().enumerate() {
            l.units += inst.units.len();
            for (ui, unit) in inst.units.iter().enumerate() {
                l.inventories += unit.stock.len();
                if let Ok(eqs) = plan::plan_unit(ii as u32 + 1, ui as u32 + 1, unit) {
                    l.equipment += eqs.len();
                    l.points += eqs.iter().map(|e| e.points.len()).sum::<usize>();
                }
            }
        }
    }
    l
}

/// How many of each a store holds in national scope (used by tests and the CLI
/// to report what was loaded).
pub async fn count(store: &Store) -> Result<DemoLayout, StoreError> {
    let s = &Scope::National;
    let f = &ListFilter::default();
    let one = Paging::new(Some(1), None);
    Ok(DemoLayout {
        enterprises: store.list_enterprises(s, f, one).await?.total as usize,
        installations: store.list_installations(s, f, one).await?.total as usize,
        units: store.list_units(s, f, one).await?.total as usize,
        equipment: store.list_equipment(s, f, one).await?.total as usize,
        points: store.list_points(s, f, one).await?.total as usize,
        inventories: store.list_inventories(s, f, one).await?.total as usize,
        chemicals: store.list_chemicals(f, one).await?.total as usize,
        users: store.list_users(s, one).await?.total as usize,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use weihua_core::check_unit;

    #[test]
    fn every_cas_number_passes_its_check_digit() {
        for c in layout::CHEMICALS {
            if let Some(cas) = c.cas {
                assert!(CasNumber::parse(cas).is_ok(), "{} {cas}", c.name_zh);
            }
        }
        let names: HashSet<_> = layout::CHEMICALS.iter().map(|c| c.name_zh).collect();
        assert_eq!(names.len(), layout::CHEMICALS.len(), "a chemical twice");
        let cas: Vec<_> = layout::CHEMICALS.iter().filter_map(|c| c.cas).collect();
        assert_eq!(cas.iter().collect::<HashSet<_>>().len(), cas.len());
    }

    #[test]
    fn credit_codes_are_valid_and_carry_the_county() {
        let mut seen = HashSet::new();
        for e in layout::ENTERPRISES {
            let c = CreditCode::with_check(&format!("91{}{}", e.county, e.credit_tail))
                .unwrap_or_else(|err| panic!("{}: {err}", e.name));
            assert_eq!(c.region_digits(), e.county);
            assert!(seen.insert(c), "duplicate credit code");
            assert!(layout::REGIONS.iter().any(|(r, _)| *r == e.county));
        }
    }

    #[test]
    fn points_are_valid_and_tags_unique_per_enterprise() {
        for e in layout::ENTERPRISES {
            let mut tags = HashSet::new();
            let mut codes = HashSet::new();
            assert!(e.installations.len() <= 9);
            for (ii, inst) in e.installations.iter().enumerate() {
                let mut unit_names = HashSet::new();
                for (ui, unit) in inst.units.iter().enumerate() {
                    assert!(unit_names.insert(unit.name));
                    let eqs = plan::plan_unit(ii as u32 + 1, ui as u32 + 1, unit).unwrap();
                    let mut stocked = HashSet::new();
                    for s in unit.stock {
                        assert!(stocked.insert(s.chemical), "{} twice", s.chemical);
                        assert!(
                            layout::CHEMICALS.iter().any(|c| c.name_zh == s.chemical),
                            "{} not in catalogue",
                            s.chemical
                        );
                        assert!(s.tonnes > 0.0);
                    }
                    for eq in eqs {
                        assert!(codes.insert(eq.code.clone()), "{}", eq.code);
                        for p in eq.points {
                            assert!(Tag::parse(&p.tag).is_ok(), "{}", p.tag);
                            assert!(tags.insert(p.tag.clone()), "{} twice", p.tag);
                            assert_eq!(check_unit(p.indicator, p.unit).unwrap(), p.unit);
                            p.range
                                .limits
                                .check(p.range.lo, p.range.hi)
                                .unwrap_or_else(|err| panic!("{} {}: {err}", p.tag, p.name));
                            assert!(p.name.chars().count() <= 200);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn layout_is_big_enough() {
        let l = layout();
        assert!(l.enterprises >= 8, "{l:?}");
        assert!(l.installations >= 20, "{l:?}");
        assert!(l.points >= 600, "{l:?}");
        let people: Vec<i64> = layout::ENTERPRISES
            .iter()
            .flat_map(|e| e.installations.iter().map(|i| i.people_within_500m))
            .collect();
        for (lo, hi) in [(0, 29), (30, 49), (50, 99), (100, i64::MAX)] {
            assert!(people.iter().any(|p| (lo..=hi).contains(p)), "{lo}..{hi}");
        }
    }

    #[test]
    fn every_user_role_is_present_and_scopes_fit() {
        for role in Role::ALL {
            if role != Role::Gateway {
                assert!(USERS.iter().any(|u| u.2 == role), "{}", role.as_str());
            }
        }
        let names: HashSet<_> = USERS.iter().map(|u| u.0).collect();
        assert_eq!(names.len(), USERS.len());
        assert!(layout::ENTERPRISES.iter().any(|e| !e.in_park));
    }
}
