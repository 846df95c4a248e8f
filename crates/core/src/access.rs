//! Roles, scopes and what each role may do. Pure rules; the store applies the
//! scope to every query and the server asks `Role::may` before acting.

use crate::codes::{CodeError, RegionCode, RegionLevel};
use serde::{Deserialize, Serialize};

/// A user's role. The role fixes the kind of scope the user has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 应急管理部 — ministry regulator, sees the whole country.
    MinistryRegulator,
    /// 省级监管 — province regulator.
    ProvinceRegulator,
    /// 市级监管 — city regulator.
    CityRegulator,
    /// 县级监管 — county regulator.
    CountyRegulator,
    /// 园区管理员 — chemical park safety office.
    ParkAdmin,
    /// 企业管理员 — enterprise administrator.
    EnterpriseAdmin,
    /// 安全管理人员 — enterprise safety manager.
    SafetyManager,
    /// 操作人员 — operator (reads, acknowledges).
    Operator,
    /// 数据网关 — a gateway / device sending telemetry (API token only).
    Gateway,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Self::MinistryRegulator,
        Self::ProvinceRegulator,
        Self::CityRegulator,
        Self::CountyRegulator,
        Self::ParkAdmin,
        Self::EnterpriseAdmin,
        Self::SafetyManager,
        Self::Operator,
        Self::Gateway,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MinistryRegulator => "ministry_regulator",
            Self::ProvinceRegulator => "province_regulator",
            Self::CityRegulator => "city_regulator",
            Self::CountyRegulator => "county_regulator",
            Self::ParkAdmin => "park_admin",
            Self::EnterpriseAdmin => "enterprise_admin",
            Self::SafetyManager => "safety_manager",
            Self::Operator => "operator",
            Self::Gateway => "gateway",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::MinistryRegulator => "应急管理部监管人员",
            Self::ProvinceRegulator => "省级监管人员",
            Self::CityRegulator => "市级监管人员",
            Self::CountyRegulator => "县级监管人员",
            Self::ParkAdmin => "园区管理员",
            Self::EnterpriseAdmin => "企业管理员",
            Self::SafetyManager => "安全管理人员",
            Self::Operator => "操作人员",
            Self::Gateway => "数据网关",
        }
    }

    pub fn parse(s: &str) -> Result<Self, CodeError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                let all: Vec<&str> = Self::ALL.iter().map(|r| r.as_str()).collect();
                CodeError::new(
                    format!("未知角色“{s}”，可用：{}", all.join("、")),
                    format!("unknown role '{s}'; use one of {}", all.join(", ")),
                )
            })
    }

    pub fn is_regulator(self) -> bool {
        matches!(
            self,
            Self::MinistryRegulator
                | Self::ProvinceRegulator
                | Self::CityRegulator
                | Self::CountyRegulator
        )
    }

    pub fn is_enterprise_role(self) -> bool {
        matches!(
            self,
            Self::EnterpriseAdmin | Self::SafetyManager | Self::Operator | Self::Gateway
        )
    }

    /// Whether this role may perform `action` (within its scope).
    pub fn may(self, action: Action) -> bool {
        use Action::*;
        match action {
            ReadRegistry => self != Self::Gateway,
            ManageParks => self.is_regulator(),
            ManageEnterprises => self.is_regulator() || self == Self::ParkAdmin,
            EditLedger => matches!(self, Self::EnterpriseAdmin | Self::SafetyManager),
            ManageChemicals => {
                self.is_regulator() || matches!(self, Self::EnterpriseAdmin | Self::SafetyManager)
            }
            ManageApiTokens => self == Self::EnterpriseAdmin,
            ManageUsers => {
                self.is_regulator() || matches!(self, Self::ParkAdmin | Self::EnterpriseAdmin)
            }
            ReadAudit => {
                self.is_regulator() || matches!(self, Self::ParkAdmin | Self::EnterpriseAdmin)
            }
            Ingest => self == Self::Gateway,
            HandleAlarms => matches!(
                self,
                Self::EnterpriseAdmin | Self::SafetyManager | Self::Operator
            ),
            ConfigureAlarms => matches!(self, Self::EnterpriseAdmin | Self::SafetyManager),
            CommentAlarms => self != Self::Gateway,
            IssuePermits | Inspect => matches!(
                self,
                Self::EnterpriseAdmin | Self::SafetyManager | Self::Operator
            ),
            AssessRisk => matches!(
                self,
                Self::EnterpriseAdmin | Self::SafetyManager | Self::ParkAdmin
            ),
        }
    }

    /// Rank used to stop a user from creating someone more powerful than
    /// themselves (smaller = more power).
    fn rank(self) -> u8 {
        match self {
            Self::MinistryRegulator => 0,
            Self::ProvinceRegulator => 1,
            Self::CityRegulator => 2,
            Self::CountyRegulator => 3,
            Self::ParkAdmin => 4,
            Self::EnterpriseAdmin => 5,
            Self::SafetyManager => 6,
            Self::Operator => 7,
            Self::Gateway => 8,
        }
    }

    /// Whether a user with this role may create a user with `other` role.
    pub fn may_grant(self, other: Role) -> bool {
        self.may(Action::ManageUsers) && other != Self::Gateway && other.rank() >= self.rank()
    }
}

/// Things a user can try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    ReadRegistry,
    ManageParks,
    ManageEnterprises,
    EditLedger,
    ManageChemicals,
    ManageApiTokens,
    ManageUsers,
    ReadAudit,
    Ingest,
    /// 报警处置 — acknowledge, shelve, unshelve, reset (the enterprise's operators).
    HandleAlarms,
    /// 报警配置 — alarm settings, suppression by design, out of service.
    ConfigureAlarms,
    /// 报警批注 — comment on an alarm (also regulators: 处置意见).
    CommentAlarms,
    /// 特殊作业票 — apply for, analyse, approve, start, suspend and close
    /// special work permits (the enterprise's own people).
    IssuePermits,
    /// 隐患排查 — record inspection checks and report hidden dangers (the
    /// enterprise's own people; regulators report through their inspections).
    Inspect,
    /// 定量风险评估 — run and store quantitative risk assessments (GB/T 37243)
    /// and set the source of a live threat zone: the enterprise's safety people
    /// and the park's safety office.
    AssessRisk,
}

/// The part of the world a user can see. Enforced by the store on every query.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    /// 全国 — the whole country (ministry, and the local superuser).
    National,
    /// 行政区域 — a province, city or county.
    Region(RegionCode),
    /// 化工园区 — one chemical park (by id).
    Park(String),
    /// 企业 — one enterprise (by id).
    Enterprise(String),
}

impl Scope {
    /// Whether `role` fits this scope (a county regulator needs a county region, …).
    pub fn check_role(&self, role: Role) -> Result<(), CodeError> {
        let ok = match (role, self) {
            (Role::MinistryRegulator, Scope::National) => true,
            (Role::ProvinceRegulator, Scope::Region(r)) => r.level() == RegionLevel::Province,
            (Role::CityRegulator, Scope::Region(r)) => r.level() == RegionLevel::City,
            (Role::CountyRegulator, Scope::Region(r)) => r.level() == RegionLevel::County,
            (Role::ParkAdmin, Scope::Park(_)) => true,
            (r, Scope::Enterprise(_)) => r.is_enterprise_role(),
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(CodeError::new(
                format!("角色“{}”与权限范围不匹配", role.label_zh()),
                format!("role '{}' does not fit this scope", role.as_str()),
            ))
        }
    }

    /// Short text form: `national`, `region:320500`, `park:<id>`, `enterprise:<id>`.
    pub fn to_text(&self) -> String {
        match self {
            Scope::National => "national".into(),
            Scope::Region(r) => format!("region:{r}"),
            Scope::Park(p) => format!("park:{p}"),
            Scope::Enterprise(e) => format!("enterprise:{e}"),
        }
    }

    pub fn from_text(s: &str) -> Result<Self, CodeError> {
        let bad = || {
            CodeError::new(
                format!("权限范围“{s}”格式应为 national、region:代码、park:ID 或 enterprise:ID"),
                format!("scope '{s}' must be national, region:CODE, park:ID or enterprise:ID"),
            )
        };
        if s == "national" {
            return Ok(Scope::National);
        }
        let (kind, id) = s.split_once(':').ok_or_else(bad)?;
        if id.is_empty() {
            return Err(bad());
        }
        match kind {
            "region" => Ok(Scope::Region(RegionCode::parse(id)?)),
            "park" => Ok(Scope::Park(id.to_string())),
            "enterprise" => Ok(Scope::Enterprise(id.to_string())),
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_fit_their_scopes_only() {
        let county = Scope::Region(RegionCode::parse("320582").unwrap());
        let city = Scope::Region(RegionCode::parse("320500").unwrap());
        assert!(county.check_role(Role::CountyRegulator).is_ok());
        assert!(county.check_role(Role::CityRegulator).is_err());
        assert!(city.check_role(Role::CityRegulator).is_ok());
        assert!(Scope::National.check_role(Role::EnterpriseAdmin).is_err());
        assert!(
            Scope::Enterprise("e".into())
                .check_role(Role::Gateway)
                .is_ok()
        );
        assert!(Scope::Park("p".into()).check_role(Role::Operator).is_err());
    }

    #[test]
    fn permissions() {
        assert!(!Role::Gateway.may(Action::ReadRegistry));
        assert!(Role::Gateway.may(Action::Ingest));
        assert!(!Role::Operator.may(Action::EditLedger));
        assert!(Role::SafetyManager.may(Action::EditLedger));
        assert!(!Role::CountyRegulator.may(Action::EditLedger));
        assert!(Role::EnterpriseAdmin.may_grant(Role::Operator));
        assert!(!Role::EnterpriseAdmin.may_grant(Role::ParkAdmin));
        assert!(!Role::Operator.may_grant(Role::Operator));
        assert!(!Role::EnterpriseAdmin.may_grant(Role::Gateway));
    }

    #[test]
    fn scope_text_round_trip() {
        for s in [
            Scope::National,
            Scope::Region(RegionCode::parse("320500").unwrap()),
            Scope::Park("abc".into()),
            Scope::Enterprise("def".into()),
        ] {
            assert_eq!(Scope::from_text(&s.to_text()).unwrap(), s);
        }
        assert!(Scope::from_text("region:").is_err());
        assert!(Scope::from_text("planet:earth").is_err());
    }
}
