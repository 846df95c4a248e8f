//! 隐患闭环 — the hidden-danger closed loop as a state machine:
//! 登记 Reported → 分级 Graded → 制定方案 Planned → 整改中 Rectifying → 待验收
//! PendingAcceptance → 已验收（销号）Accepted, with 退回 (acceptance refused → Rectifying),
//! 即查即改 (Graded → PendingAcceptance directly), and 撤回 Withdrawn / 无效 Invalid
//! (duplicates, mistakes) before rectification starts.
//!
//! [`apply`] takes a danger, an [`Actor`], a [`DangerAction`] and `now`, and returns the
//! new danger or a [`Refusal`] (code, 中文, English); a refused action changes nothing.
//! Rules (see `docs/dual-prevention.md`; those not in a public source are assumed):
//! - acceptance (验收) by someone other than the rectifier (the person who submitted the
//!   work and the plan's 整改责任人); for a major danger also other than the reporter;
//! - a major danger (重大隐患) cannot be fixed on the spot, and is accepted only after it
//!   was reported to the regulator (上报监管部门);
//! - a supervised danger (挂牌督办) is closed only by a regulator (`SupervisionClose`);
//! - overdue = now > deadline while not accepted; escalation by lateness ([`overdue`]).

use crate::codes::{DangerLevel, DangerManageType, DangerSrc, DangerState, HazardDangerType};
use serde::{Deserialize, Serialize};

/// 隐患状态 — where a hidden danger is in the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DangerStatus {
    /// 已登记 — reported, not yet graded
    Reported,
    /// 已分级 — level and handling decided
    Graded,
    /// 已制定整改方案 — plan (owner, funds, measures, deadline) in place
    Planned,
    /// 整改中 — rectifying
    Rectifying,
    /// 待验收 — awaiting acceptance
    PendingAcceptance,
    /// 已验收（销号）— accepted and closed
    Accepted,
    /// 已撤回 — withdrawn by the reporter
    Withdrawn,
    /// 无效（重复/误报）— invalid, e.g. a duplicate
    Invalid,
}

impl DangerStatus {
    /// Every status.
    pub const ALL: [DangerStatus; 8] = [
        Self::Reported,
        Self::Graded,
        Self::Planned,
        Self::Rectifying,
        Self::PendingAcceptance,
        Self::Accepted,
        Self::Withdrawn,
        Self::Invalid,
    ];

    /// `DANGER_STATE` of the interface: 0 整改中 for every open state before acceptance
    /// is requested, 1 待验收, 9 已验收; `None` for withdrawn and invalid dangers (not
    /// reported upwards; delete with `DELETE_MARK`).
    pub fn danger_state(self) -> Option<DangerState> {
        match self {
            Self::Reported | Self::Graded | Self::Planned | Self::Rectifying => {
                Some(DangerState::Rectifying)
            }
            Self::PendingAcceptance => Some(DangerState::PendingAcceptance),
            Self::Accepted => Some(DangerState::Accepted),
            Self::Withdrawn | Self::Invalid => None,
        }
    }

    /// Still open: not accepted, withdrawn or invalid.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Accepted | Self::Withdrawn | Self::Invalid)
    }

    /// 中文名称
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Reported => "已登记",
            Self::Graded => "已分级",
            Self::Planned => "已制定整改方案",
            Self::Rectifying => "整改中",
            Self::PendingAcceptance => "待验收",
            Self::Accepted => "已验收（销号）",
            Self::Withdrawn => "已撤回",
            Self::Invalid => "无效",
        }
    }

    /// English label
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Reported => "reported",
            Self::Graded => "graded",
            Self::Planned => "planned",
            Self::Rectifying => "rectifying",
            Self::PendingAcceptance => "awaiting acceptance",
            Self::Accepted => "accepted (closed)",
            Self::Withdrawn => "withdrawn",
            Self::Invalid => "invalid",
        }
    }
}

/// 操作人角色 — who acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorRole {
    /// 企业人员 — enterprise staff
    Enterprise,
    /// 园区管理人员 — park office
    Park,
    /// 监管部门 — regulator (应急管理部门)
    Regulator,
}

/// 操作人 — a person with a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// user id
    pub id: String,
    /// role
    pub role: ActorRole,
}

impl Actor {
    /// An enterprise user.
    pub fn enterprise(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            role: ActorRole::Enterprise,
        }
    }
    /// A park office user.
    pub fn park(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            role: ActorRole::Park,
        }
    }
    /// A regulator.
    pub fn regulator(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            role: ActorRole::Regulator,
        }
    }
}

/// 分级 — level and handling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grading {
    /// `DANGER_LEVEL`
    pub level: DangerLevel,
    /// `DANGER_MANAGE_TYPE`
    pub manage_type: DangerManageType,
    /// who graded
    pub graded_by: String,
    /// when
    pub graded_at_ms: i64,
}

/// 整改方案 — the rectification plan ("五到位": measures, owner, funds, deadline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RectificationPlan {
    /// `LIABLE_PERSON` 整改责任人
    pub owner: String,
    /// `COST` 整改资金, yuan
    pub funds_yuan: f64,
    /// `CONTROL_MEASURES` 整改措施
    pub measures: String,
    /// `DANGER_MANAGE_DEADLINE`, UTC epoch ms
    pub deadline_ms: i64,
}

/// 上报监管部门 — the report of a major danger to the regulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegulatorReport {
    /// 上报单位 — authority reported to
    pub authority: String,
    /// 文号/回执号 — reference, if any
    pub reference: Option<String>,
    /// who reported
    pub reported_by: String,
    /// when
    pub reported_at_ms: i64,
}

/// 挂牌督办 — supervision of a danger by a regulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supervision {
    /// 督办通知书编号
    pub notice_number: String,
    /// 督办整改期限, UTC epoch ms
    pub deadline_ms: i64,
    /// 督办部门
    pub authority: String,
    /// issuing regulator (user id)
    pub issued_by: String,
    /// when issued
    pub issued_at_ms: i64,
    /// regulator who signed off the closing, once closed
    pub closed_by: Option<String>,
    /// when closed
    pub closed_at_ms: Option<i64>,
}

/// 验收 — acceptance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    /// `CHECK_ACCEPT_PERSON`
    pub person: String,
    /// `CHECK_ACCEPT_TIME`
    pub at_ms: i64,
    /// `CHECK_ACCEPT_COMMENT`
    pub comment: String,
}

/// 隐患 — a hidden danger and everything its loop recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HiddenDanger {
    /// `ID`
    pub id: String,
    /// `DANGER_NAME`
    pub name: String,
    /// `DANGER_DESC`
    pub description: String,
    /// `DANGER_SRC`
    pub source: DangerSrc,
    /// `HAZARD_DANGER_TYPE`
    pub danger_type: HazardDangerType,
    /// `RISK_MEASURE_ID` — the control measure whose failure this is
    pub risk_measure_id: Option<String>,
    /// `RECORD_ID` — the inspection record that found it
    pub record_id: Option<String>,
    /// `REGISTRANT`
    pub reporter: String,
    /// `REGIST_TIME`
    pub reported_at_ms: i64,
    /// 状态
    pub status: DangerStatus,
    /// 分级
    pub grading: Option<Grading>,
    /// 整改方案 (限期整改)
    pub plan: Option<RectificationPlan>,
    /// 整改人 — who submitted the rectification for acceptance (or fixed it on the spot)
    pub rectifier: Option<String>,
    /// when the rectification was last submitted
    pub rectified_at_ms: Option<i64>,
    /// 即查即改 measures taken
    pub on_spot_measures: Option<String>,
    /// 上报监管部门 (major dangers)
    pub regulator_report: Option<RegulatorReport>,
    /// 挂牌督办
    pub supervision: Option<Supervision>,
    /// 验收
    pub acceptance: Option<Acceptance>,
    /// 退回次数 — times acceptance was refused
    pub return_count: u32,
    /// last refusal of acceptance (comment)
    pub last_return_comment: Option<String>,
    /// reason for withdrawal or invalidation
    pub closing_reason: Option<String>,
    /// 重复隐患 — the danger this one duplicates
    pub duplicate_of: Option<String>,
    /// last change, UTC epoch ms
    pub updated_at_ms: i64,
}

/// 登记隐患 — what is needed to report a hidden danger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDanger {
    /// `ID`
    pub id: String,
    /// `DANGER_NAME`
    pub name: String,
    /// `DANGER_DESC`
    #[serde(default)]
    pub description: String,
    /// `DANGER_SRC`
    pub source: DangerSrc,
    /// `HAZARD_DANGER_TYPE`
    pub danger_type: HazardDangerType,
    /// `RISK_MEASURE_ID`
    #[serde(default)]
    pub risk_measure_id: Option<String>,
    /// `RECORD_ID`
    #[serde(default)]
    pub record_id: Option<String>,
}

/// 操作 — an action on a hidden danger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum DangerAction {
    /// 分级 — Reported/Graded → Graded (a regrade before planning is allowed)
    Grade {
        /// level
        level: DangerLevel,
        /// handling
        manage_type: DangerManageType,
    },
    /// 制定整改方案 — Graded (限期整改) → Planned
    Plan {
        /// the plan
        plan: RectificationPlan,
    },
    /// 开始整改 — Planned → Rectifying
    StartRectification,
    /// 即查即改 — Graded (即查即改) → PendingAcceptance
    FixOnSpot {
        /// what was done
        measures: String,
    },
    /// 提交验收 — Rectifying → PendingAcceptance
    SubmitForAcceptance,
    /// 验收通过（销号）— PendingAcceptance → Accepted
    Accept {
        /// comment
        comment: String,
    },
    /// 验收不通过（退回）— PendingAcceptance → Rectifying
    Return {
        /// why
        comment: String,
    },
    /// 撤回 — Reported/Graded/Planned → Withdrawn (the reporter only)
    Withdraw {
        /// why
        reason: String,
    },
    /// 判定无效（重复/误报）— Reported/Graded/Planned → Invalid
    MarkInvalid {
        /// why
        reason: String,
        /// the danger this one duplicates
        duplicate_of: Option<String>,
    },
    /// 上报监管部门 — a major danger, any open state from Graded on; status unchanged
    ReportToRegulator {
        /// authority reported to
        authority: String,
        /// reference number, if any
        reference: Option<String>,
    },
    /// 挂牌督办 — a regulator supervises an open danger; status unchanged
    Supervise {
        /// 督办通知书编号
        notice_number: String,
        /// 督办整改期限
        deadline_ms: i64,
        /// 督办部门
        authority: String,
    },
    /// 督办销号 — a regulator closes a supervised danger: PendingAcceptance → Accepted
    SupervisionClose {
        /// comment
        comment: String,
    },
}

/// 操作种类 — the kind of a [`DangerAction`], without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// 分级
    Grade,
    /// 制定整改方案
    Plan,
    /// 开始整改
    StartRectification,
    /// 即查即改
    FixOnSpot,
    /// 提交验收
    SubmitForAcceptance,
    /// 验收通过
    Accept,
    /// 退回
    Return,
    /// 撤回
    Withdraw,
    /// 判定无效
    MarkInvalid,
    /// 上报监管部门
    ReportToRegulator,
    /// 挂牌督办
    Supervise,
    /// 督办销号
    SupervisionClose,
}

impl ActionKind {
    /// Every kind.
    pub const ALL: [ActionKind; 12] = [
        Self::Grade,
        Self::Plan,
        Self::StartRectification,
        Self::FixOnSpot,
        Self::SubmitForAcceptance,
        Self::Accept,
        Self::Return,
        Self::Withdraw,
        Self::MarkInvalid,
        Self::ReportToRegulator,
        Self::Supervise,
        Self::SupervisionClose,
    ];

    /// 中文名称
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Grade => "分级",
            Self::Plan => "制定整改方案",
            Self::StartRectification => "开始整改",
            Self::FixOnSpot => "即查即改",
            Self::SubmitForAcceptance => "提交验收",
            Self::Accept => "验收通过",
            Self::Return => "验收退回",
            Self::Withdraw => "撤回",
            Self::MarkInvalid => "判定无效",
            Self::ReportToRegulator => "上报监管部门",
            Self::Supervise => "挂牌督办",
            Self::SupervisionClose => "督办销号",
        }
    }

    /// English label
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Grade => "grade",
            Self::Plan => "plan rectification",
            Self::StartRectification => "start rectification",
            Self::FixOnSpot => "fix on the spot",
            Self::SubmitForAcceptance => "submit for acceptance",
            Self::Accept => "accept",
            Self::Return => "return for rework",
            Self::Withdraw => "withdraw",
            Self::MarkInvalid => "mark invalid",
            Self::ReportToRegulator => "report to the regulator",
            Self::Supervise => "supervise",
            Self::SupervisionClose => "close supervision",
        }
    }
}

impl DangerAction {
    /// The kind of this action.
    pub fn kind(&self) -> ActionKind {
        match self {
            Self::Grade { .. } => ActionKind::Grade,
            Self::Plan { .. } => ActionKind::Plan,
            Self::StartRectification => ActionKind::StartRectification,
            Self::FixOnSpot { .. } => ActionKind::FixOnSpot,
            Self::SubmitForAcceptance => ActionKind::SubmitForAcceptance,
            Self::Accept { .. } => ActionKind::Accept,
            Self::Return { .. } => ActionKind::Return,
            Self::Withdraw { .. } => ActionKind::Withdraw,
            Self::MarkInvalid { .. } => ActionKind::MarkInvalid,
            Self::ReportToRegulator { .. } => ActionKind::ReportToRegulator,
            Self::Supervise { .. } => ActionKind::Supervise,
            Self::SupervisionClose { .. } => ActionKind::SupervisionClose,
        }
    }
}

/// 拒绝原因代码 — machine codes of refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    /// the action is not allowed in the current status
    IllegalTransition,
    /// the actor's role may not take this action
    WrongRole,
    /// only the reporter may withdraw
    NotReporter,
    /// the acceptor rectified it (or owns the plan)
    AcceptorIsRectifier,
    /// a major danger's acceptor reported it
    AcceptorIsReporter,
    /// a major danger not yet reported to the regulator
    MajorNotReported,
    /// a major danger cannot be fixed on the spot
    MajorRequiresDeadline,
    /// the danger's handling does not allow this (plan vs fix on the spot)
    WrongHandling,
    /// a supervised danger is closed only by `SupervisionClose`
    SupervisionCloseRequired,
    /// `SupervisionClose` on a danger that is not supervised
    NotSupervised,
    /// a second supervision
    AlreadySupervised,
    /// reported to the regulator already
    AlreadyReported,
    /// `ReportToRegulator` for a general danger
    NotMajor,
    /// a required text is empty, a fund negative, …
    InvalidInput,
    /// a deadline not after now
    DeadlineNotInFuture,
    /// `now` is before the danger's last change
    ClockBeforeLastChange,
}

/// 拒绝 — why an action was refused. `Display` is "中文 / English".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{zh} / {en}")]
pub struct Refusal {
    /// machine code
    pub code: RefusalCode,
    /// 中文说明
    pub zh: String,
    /// English explanation
    pub en: String,
}

fn refuse(code: RefusalCode, zh: impl Into<String>, en: impl Into<String>) -> Refusal {
    Refusal {
        code,
        zh: zh.into(),
        en: en.into(),
    }
}

fn illegal(status: DangerStatus, kind: ActionKind) -> Refusal {
    refuse(
        RefusalCode::IllegalTransition,
        format!(
            "隐患处于「{}」状态，不能执行「{}」",
            status.label_zh(),
            kind.label_zh()
        ),
        format!(
            "cannot {} a hidden danger that is {}",
            kind.label_en(),
            status.label_en()
        ),
    )
}

fn wrong_role(kind: ActionKind, who_zh: &str, who_en: &str) -> Refusal {
    refuse(
        RefusalCode::WrongRole,
        format!("「{}」只能由{}执行", kind.label_zh(), who_zh),
        format!("only {} may {}", who_en, kind.label_en()),
    )
}

fn non_empty(field_zh: &str, field_en: &str, v: &str) -> Result<(), Refusal> {
    if v.trim().is_empty() {
        Err(refuse(
            RefusalCode::InvalidInput,
            format!("{field_zh}不能为空"),
            format!("{field_en} must not be empty"),
        ))
    } else {
        Ok(())
    }
}

impl HiddenDanger {
    /// 登记 — a new danger in [`DangerStatus::Reported`]. Any role may report (企业自查,
    /// 园区检查, 上级检查). Refused when the id or name is empty.
    pub fn report(new: NewDanger, reporter: &Actor, now_ms: i64) -> Result<Self, Refusal> {
        non_empty("隐患编号", "the id", &new.id)?;
        non_empty("隐患名称", "the name", &new.name)?;
        non_empty("登记人", "the reporter", &reporter.id)?;
        Ok(Self {
            id: new.id,
            name: new.name,
            description: new.description,
            source: new.source,
            danger_type: new.danger_type,
            risk_measure_id: new.risk_measure_id,
            record_id: new.record_id,
            reporter: reporter.id.clone(),
            reported_at_ms: now_ms,
            status: DangerStatus::Reported,
            grading: None,
            plan: None,
            rectifier: None,
            rectified_at_ms: None,
            on_spot_measures: None,
            regulator_report: None,
            supervision: None,
            acceptance: None,
            return_count: 0,
            last_return_comment: None,
            closing_reason: None,
            duplicate_of: None,
            updated_at_ms: now_ms,
        })
    }

    /// `DANGER_LEVEL`, once graded.
    pub fn level(&self) -> Option<DangerLevel> {
        self.grading.as_ref().map(|g| g.level)
    }

    /// Graded major.
    pub fn is_major(&self) -> bool {
        self.level() == Some(DangerLevel::Major)
    }

    /// 整改期限 — the earlier of the plan's deadline and the supervision's deadline.
    pub fn deadline_ms(&self) -> Option<i64> {
        let p = self.plan.as_ref().map(|p| p.deadline_ms);
        let s = self.supervision.as_ref().map(|s| s.deadline_ms);
        match (p, s) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// `DANGER_STATE` of the interface (see [`DangerStatus::danger_state`]).
    pub fn danger_state(&self) -> Option<DangerState> {
        self.status.danger_state()
    }

    /// Whether the actor counts as the rectifier (submitter or plan owner).
    fn is_rectifier(&self, actor_id: &str) -> bool {
        self.rectifier.as_deref() == Some(actor_id)
            || self.plan.as_ref().is_some_and(|p| p.owner == actor_id)
    }
}

/// Enforces an enterprise actor.
fn require_enterprise(actor: &Actor, kind: ActionKind) -> Result<(), Refusal> {
    if actor.role == ActorRole::Enterprise {
        Ok(())
    } else {
        Err(wrong_role(kind, "企业人员", "enterprise staff"))
    }
}

fn require_regulator(actor: &Actor, kind: ActionKind) -> Result<(), Refusal> {
    if actor.role == ActorRole::Regulator {
        Ok(())
    } else {
        Err(wrong_role(kind, "监管部门", "a regulator"))
    }
}

/// The acceptance rules shared by `Accept` and `SupervisionClose`.
fn check_acceptor(d: &HiddenDanger, actor: &Actor) -> Result<(), Refusal> {
    if d.is_rectifier(&actor.id) {
        return Err(refuse(
            RefusalCode::AcceptorIsRectifier,
            "验收人不能是整改人或整改责任人",
            "the acceptor must not be the rectifier or the person responsible for rectification",
        ));
    }
    if d.is_major() && d.reporter == actor.id {
        return Err(refuse(
            RefusalCode::AcceptorIsReporter,
            "重大隐患的验收人不能是登记人",
            "the acceptor of a major hidden danger must not be its reporter",
        ));
    }
    Ok(())
}

/// 执行操作 — applies `action` by `actor` at `now_ms`. Returns the changed danger, or a
/// [`Refusal`] and leaves `danger` as it was. Checks in order: the clock, the status
/// (illegal transition), the role, then the action's own rules.
pub fn apply(
    danger: &HiddenDanger,
    actor: &Actor,
    action: &DangerAction,
    now_ms: i64,
) -> Result<HiddenDanger, Refusal> {
    use DangerStatus as S;
    let kind = action.kind();
    if now_ms < danger.updated_at_ms {
        return Err(refuse(
            RefusalCode::ClockBeforeLastChange,
            format!(
                "操作时间 {now_ms} 早于隐患最后一次变更时间 {}",
                danger.updated_at_ms
            ),
            format!(
                "the action time {now_ms} is before the danger's last change {}",
                danger.updated_at_ms
            ),
        ));
    }
    let status = danger.status;
    let allowed = match kind {
        ActionKind::Grade => matches!(status, S::Reported | S::Graded),
        ActionKind::Plan | ActionKind::FixOnSpot => status == S::Graded,
        ActionKind::StartRectification => status == S::Planned,
        ActionKind::SubmitForAcceptance => status == S::Rectifying,
        ActionKind::Accept | ActionKind::Return | ActionKind::SupervisionClose => {
            status == S::PendingAcceptance
        }
        ActionKind::Withdraw | ActionKind::MarkInvalid => {
            matches!(status, S::Reported | S::Graded | S::Planned)
        }
        ActionKind::ReportToRegulator => matches!(
            status,
            S::Graded | S::Planned | S::Rectifying | S::PendingAcceptance
        ),
        ActionKind::Supervise => status.is_open(),
    };
    if !allowed {
        return Err(illegal(status, kind));
    }

    let mut d = danger.clone();
    d.updated_at_ms = now_ms;
    match action {
        DangerAction::Grade { level, manage_type } => {
            require_enterprise(actor, kind)?;
            if *level == DangerLevel::Major && *manage_type == DangerManageType::FixOnSpot {
                return Err(refuse(
                    RefusalCode::MajorRequiresDeadline,
                    "重大隐患不能即查即改，必须限期整改",
                    "a major hidden danger cannot be fixed on the spot; it needs a deadline",
                ));
            }
            d.grading = Some(Grading {
                level: *level,
                manage_type: *manage_type,
                graded_by: actor.id.clone(),
                graded_at_ms: now_ms,
            });
            d.status = S::Graded;
        }
        DangerAction::Plan { plan } => {
            require_enterprise(actor, kind)?;
            if d.grading.as_ref().map(|g| g.manage_type) != Some(DangerManageType::ByDeadline) {
                return Err(refuse(
                    RefusalCode::WrongHandling,
                    "只有限期整改的隐患需要制定整改方案",
                    "only a hidden danger to rectify by a deadline takes a plan",
                ));
            }
            non_empty("整改责任人", "the responsible person", &plan.owner)?;
            non_empty("整改措施", "the measures", &plan.measures)?;
            if !plan.funds_yuan.is_finite() || plan.funds_yuan < 0.0 {
                return Err(refuse(
                    RefusalCode::InvalidInput,
                    format!("整改资金必须是非负数，当前为 {}", plan.funds_yuan),
                    format!(
                        "the funds must be a non-negative number, got {}",
                        plan.funds_yuan
                    ),
                ));
            }
            if plan.deadline_ms <= now_ms {
                return Err(refuse(
                    RefusalCode::DeadlineNotInFuture,
                    "整改期限必须晚于当前时间",
                    "the deadline must be in the future",
                ));
            }
            d.plan = Some(plan.clone());
            d.status = S::Planned;
        }
        DangerAction::StartRectification => {
            require_enterprise(actor, kind)?;
            d.status = S::Rectifying;
        }
        DangerAction::FixOnSpot { measures } => {
            require_enterprise(actor, kind)?;
            if d.grading.as_ref().map(|g| g.manage_type) != Some(DangerManageType::FixOnSpot) {
                return Err(refuse(
                    RefusalCode::WrongHandling,
                    "只有即查即改的隐患可以直接提交验收",
                    "only a hidden danger graded fix-on-the-spot may skip the plan",
                ));
            }
            non_empty("整改措施", "the measures", measures)?;
            d.on_spot_measures = Some(measures.clone());
            d.rectifier = Some(actor.id.clone());
            d.rectified_at_ms = Some(now_ms);
            d.status = S::PendingAcceptance;
        }
        DangerAction::SubmitForAcceptance => {
            require_enterprise(actor, kind)?;
            d.rectifier = Some(actor.id.clone());
            d.rectified_at_ms = Some(now_ms);
            d.status = S::PendingAcceptance;
        }
        DangerAction::Accept { comment } => {
            require_enterprise(actor, kind)?;
            if d.supervision.is_some() {
                return Err(refuse(
                    RefusalCode::SupervisionCloseRequired,
                    "挂牌督办的隐患须由监管部门督办销号",
                    "a supervised hidden danger is closed only by the regulator's sign-off",
                ));
            }
            check_acceptor(&d, actor)?;
            if d.is_major() && d.regulator_report.is_none() {
                return Err(refuse(
                    RefusalCode::MajorNotReported,
                    "重大隐患须先上报监管部门方可验收销号",
                    "a major hidden danger must be reported to the regulator before it can be closed",
                ));
            }
            d.acceptance = Some(Acceptance {
                person: actor.id.clone(),
                at_ms: now_ms,
                comment: comment.clone(),
            });
            d.status = S::Accepted;
        }
        DangerAction::Return { comment } => {
            match actor.role {
                ActorRole::Enterprise => {}
                ActorRole::Regulator if d.supervision.is_some() => {}
                _ => {
                    return Err(wrong_role(
                        kind,
                        "企业人员或督办的监管部门",
                        "enterprise staff or the supervising regulator",
                    ));
                }
            }
            check_acceptor(&d, actor)?;
            non_empty("退回意见", "the comment", comment)?;
            d.return_count = d.return_count.saturating_add(1);
            d.last_return_comment = Some(comment.clone());
            d.status = S::Rectifying;
        }
        DangerAction::Withdraw { reason } => {
            if actor.id != d.reporter {
                return Err(refuse(
                    RefusalCode::NotReporter,
                    "只有登记人可以撤回隐患",
                    "only the reporter may withdraw a hidden danger",
                ));
            }
            non_empty("撤回原因", "the reason", reason)?;
            d.closing_reason = Some(reason.clone());
            d.status = S::Withdrawn;
        }
        DangerAction::MarkInvalid {
            reason,
            duplicate_of,
        } => {
            require_enterprise(actor, kind)?;
            non_empty("无效原因", "the reason", reason)?;
            if duplicate_of.as_deref() == Some(d.id.as_str()) {
                return Err(refuse(
                    RefusalCode::InvalidInput,
                    "隐患不能与自身重复",
                    "a hidden danger cannot duplicate itself",
                ));
            }
            d.closing_reason = Some(reason.clone());
            d.duplicate_of = duplicate_of.clone();
            d.status = S::Invalid;
        }
        DangerAction::ReportToRegulator {
            authority,
            reference,
        } => {
            require_enterprise(actor, kind)?;
            if !d.is_major() {
                return Err(refuse(
                    RefusalCode::NotMajor,
                    "只有重大隐患需要上报监管部门",
                    "only a major hidden danger is reported to the regulator",
                ));
            }
            if d.regulator_report.is_some() {
                return Err(refuse(
                    RefusalCode::AlreadyReported,
                    "该隐患已上报监管部门",
                    "the hidden danger was already reported to the regulator",
                ));
            }
            non_empty("上报单位", "the authority", authority)?;
            d.regulator_report = Some(RegulatorReport {
                authority: authority.clone(),
                reference: reference.clone(),
                reported_by: actor.id.clone(),
                reported_at_ms: now_ms,
            });
        }
        DangerAction::Supervise {
            notice_number,
            deadline_ms,
            authority,
        } => {
            require_regulator(actor, kind)?;
            if d.supervision.is_some() {
                return Err(refuse(
                    RefusalCode::AlreadySupervised,
                    "该隐患已挂牌督办",
                    "the hidden danger is already under supervision",
                ));
            }
            non_empty("督办通知书编号", "the notice number", notice_number)?;
            non_empty("督办部门", "the authority", authority)?;
            if *deadline_ms <= now_ms {
                return Err(refuse(
                    RefusalCode::DeadlineNotInFuture,
                    "督办期限必须晚于当前时间",
                    "the supervision deadline must be in the future",
                ));
            }
            d.supervision = Some(Supervision {
                notice_number: notice_number.clone(),
                deadline_ms: *deadline_ms,
                authority: authority.clone(),
                issued_by: actor.id.clone(),
                issued_at_ms: now_ms,
                closed_by: None,
                closed_at_ms: None,
            });
        }
        DangerAction::SupervisionClose { comment } => {
            require_regulator(actor, kind)?;
            check_acceptor(&d, actor)?;
            match d.supervision.as_mut() {
                None => {
                    return Err(refuse(
                        RefusalCode::NotSupervised,
                        "该隐患未挂牌督办，应由企业验收",
                        "the hidden danger is not supervised; the enterprise accepts it",
                    ));
                }
                Some(s) => {
                    s.closed_by = Some(actor.id.clone());
                    s.closed_at_ms = Some(now_ms);
                }
            }
            d.acceptance = Some(Acceptance {
                person: actor.id.clone(),
                at_ms: now_ms,
                comment: comment.clone(),
            });
            d.status = S::Accepted;
        }
    }
    Ok(d)
}

/// 升级层级 — who is told about an overdue danger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationLevel {
    /// 车间（部门）
    Workshop,
    /// 公司
    Company,
    /// 监管部门
    Regulator,
}

impl EscalationLevel {
    /// 中文名称
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Workshop => "车间（部门）",
            Self::Company => "公司",
            Self::Regulator => "监管部门",
        }
    }
    /// English label
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Workshop => "workshop (department)",
            Self::Company => "company",
            Self::Regulator => "regulator",
        }
    }
}

/// 逾期升级配置 — assumed defaults: late up to 3 days → workshop, up to 7 days → company,
/// more → regulator; a major danger goes to the regulator as soon as it is late.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationConfig {
    /// late by at most this (ms) → workshop (default 3 days, assumed)
    pub workshop_max_late_ms: i64,
    /// late by at most this (ms) → company; beyond → regulator (default 7 days, assumed)
    pub company_max_late_ms: i64,
    /// an overdue major danger goes straight to the regulator (default true, assumed)
    pub major_to_regulator: bool,
}

impl Default for EscalationConfig {
    fn default() -> Self {
        Self {
            workshop_max_late_ms: 3 * crate::calendar::DAY_MS,
            company_max_late_ms: 7 * crate::calendar::DAY_MS,
            major_to_regulator: true,
        }
    }
}

impl EscalationConfig {
    /// 0 < workshop_max_late_ms < company_max_late_ms.
    pub fn validate(&self) -> Result<(), Refusal> {
        if self.workshop_max_late_ms <= 0 || self.company_max_late_ms <= self.workshop_max_late_ms {
            return Err(refuse(
                RefusalCode::InvalidInput,
                "逾期升级阈值必须满足 0 < 车间阈值 < 公司阈值",
                "escalation thresholds must satisfy 0 < workshop_max_late_ms < company_max_late_ms",
            ));
        }
        Ok(())
    }

    /// The escalation for a lateness (> 0) and level.
    pub fn level_for(&self, late_ms: i64, major: bool) -> EscalationLevel {
        if major && self.major_to_regulator {
            EscalationLevel::Regulator
        } else if late_ms <= self.workshop_max_late_ms {
            EscalationLevel::Workshop
        } else if late_ms <= self.company_max_late_ms {
            EscalationLevel::Company
        } else {
            EscalationLevel::Regulator
        }
    }
}

/// 逾期 — an open danger past its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdue {
    /// the deadline passed ([`HiddenDanger::deadline_ms`])
    pub deadline_ms: i64,
    /// how late, ms (> 0)
    pub late_ms: i64,
    /// who is told
    pub escalation: EscalationLevel,
}

/// 逾期判断 — `Some` when `now_ms > deadline` and the danger is still open (not
/// accepted, withdrawn or invalid). A danger without a deadline (ungraded, fixed on the
/// spot, not yet planned) is never overdue.
pub fn overdue(danger: &HiddenDanger, now_ms: i64, config: &EscalationConfig) -> Option<Overdue> {
    if !danger.status.is_open() {
        return None;
    }
    let deadline_ms = danger.deadline_ms()?;
    let late_ms = now_ms.saturating_sub(deadline_ms);
    if late_ms <= 0 {
        return None;
    }
    Some(Overdue {
        deadline_ms,
        late_ms,
        escalation: config.level_for(late_ms, danger.is_major()),
    })
}
