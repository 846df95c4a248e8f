//! 审批 — who signs which row, by kind and level (Annex A sign-off rows; Annex B
//! Table B.1 approvers). Both annexes are informative; the server maps its people and
//! departments to [`ApproverRole`]s.

use super::kinds::{ApproverRole, SignOff, WorkKind};
use super::levels::{HeightLevel, HotWorkLevel, LiftingLevel, PermitLevel};
use serde::Serialize;

/// One row of the sign-off chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChainStep {
    /// 签字栏.
    pub step: SignOff,
    /// Who must sign it.
    pub role: ApproverRole,
    /// This is the approval of Table B.1 (审批); it must be given on site (4.11 a).
    pub approving: bool,
    /// The clause that names the role.
    pub clause: &'static str,
}

const B1: &str = "GB 30871-2022 附录B 表B.1";

/// 审批部门（人） — the approver of Table B.1 for a kind and level. Without a level (not
/// derivable) the most senior approver of the kind is taken.
pub fn required_approver(kind: WorkKind, level: Option<PermitLevel>) -> ApproverRole {
    use ApproverRole as R;
    match (kind, level) {
        (WorkKind::HotWork, Some(PermitLevel::HotWork(HotWorkLevel::Two))) => R::OwningUnit,
        (WorkKind::HotWork, Some(PermitLevel::HotWork(HotWorkLevel::One))) => R::SafetyDepartment,
        (WorkKind::HotWork, _) => R::SeniorManager,
        (WorkKind::ConfinedSpace | WorkKind::Blinding, _) => R::OwningUnit,
        (WorkKind::Height, Some(PermitLevel::Height(HeightLevel::One))) => R::OwningUnit,
        (WorkKind::Height, Some(PermitLevel::Height(HeightLevel::Two | HeightLevel::Three))) => {
            R::SpecialistDepartment
        }
        (WorkKind::Height, _) => R::PlantManagerOrChiefEngineer,
        (
            WorkKind::Lifting,
            Some(PermitLevel::Lifting(LiftingLevel::Two | LiftingLevel::Three)),
        ) => R::SpecialistDepartment,
        (WorkKind::Lifting, _) => R::PlantManagerOrChiefEngineer,
        (WorkKind::TemporaryPower, _) => R::PowerDistributionUnit,
        (WorkKind::Excavation | WorkKind::RoadClosure, _) => R::SpecialistDepartment,
    }
}

/// The sign-off rows a permit needs before it is issued, in the form's order, with who
/// signs each. The approving row's role follows Table B.1 by level.
pub fn sign_off_chain(kind: WorkKind, level: Option<PermitLevel>) -> Vec<ChainStep> {
    use ApproverRole as R;
    use SignOff as S;
    let approver = required_approver(kind, level);
    let row = |step, role, clause| ChainStep {
        step,
        role,
        approving: false,
        clause,
    };
    let approve = |step| ChainStep {
        step,
        role: approver,
        approving: true,
        clause: B1,
    };
    match kind {
        WorkKind::HotWork => vec![
            row(S::WorkLeader, R::WorkLeader, "GB 30871-2022 附录A 表A.1"),
            row(S::OwningUnit, R::OwningUnit, "GB 30871-2022 附录A 表A.1"),
            row(
                S::SafetyDepartment,
                R::SafetyDepartment,
                "GB 30871-2022 附录A 表A.1",
            ),
            approve(S::Approver),
        ],
        WorkKind::ConfinedSpace | WorkKind::Blinding => vec![
            row(
                S::WorkLeader,
                R::WorkLeader,
                "GB 30871-2022 附录A 表A.2、表A.3",
            ),
            approve(S::OwningUnit),
        ],
        WorkKind::Height => vec![
            row(S::WorkLeader, R::WorkLeader, "GB 30871-2022 附录A 表A.4"),
            row(S::OwningUnit, R::OwningUnit, "GB 30871-2022 附录A 表A.4"),
            row(
                S::Review,
                R::ReviewingDepartment,
                "GB 30871-2022 附录A 表A.4",
            ),
            approve(S::Approver),
        ],
        WorkKind::Lifting => vec![
            row(
                S::WorkLeader,
                R::LiftingCommander,
                "GB 30871-2022 附录A 表A.5",
            ),
            row(S::OwningUnit, R::OwningUnit, "GB 30871-2022 附录A 表A.5"),
            row(
                S::Review,
                R::ReviewingDepartment,
                "GB 30871-2022 附录A 表A.5",
            ),
            approve(S::Approver),
        ],
        WorkKind::TemporaryPower => vec![
            row(S::WorkLeader, R::WorkLeader, "GB 30871-2022 附录A 表A.6"),
            row(S::PowerUser, R::PowerUserUnit, "GB 30871-2022 附录A 表A.6"),
            approve(S::PowerDistribution),
        ],
        WorkKind::Excavation => vec![
            row(S::WorkLeader, R::WorkLeader, "GB 30871-2022 附录A 表A.7"),
            row(S::OwningUnit, R::OwningUnit, "GB 30871-2022 附录A 表A.7"),
            row(S::Countersign, R::CountersigningDepartments, B1),
            approve(S::Approver),
        ],
        WorkKind::RoadClosure => vec![
            row(S::WorkLeader, R::WorkLeader, "GB 30871-2022 附录A 表A.8"),
            row(S::OwningUnit, R::OwningUnit, "GB 30871-2022 附录A 表A.8"),
            row(S::FireAndSafety, R::FireAndSafetyDepartments, B1),
            approve(S::Approver),
        ],
    }
}
