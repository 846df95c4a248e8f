//! 作业票生命周期 — states, actions and the transitions between them.
//!
//! ```text
//! draft ─► gas_analysis ─► approving ─(last sign-off)─► approved ─► reported ─► in_progress ⇄ suspended
//!   └──────(no gas analysis needed)──┘                                      │            │
//!                                                                          └► completed ◄┘ ─► accepted ─► closed
//! cancel: any state before in_progress → cancelled;  void: any non-final state → voided
//! ```
//!
//! The state machine itself is not part of GB 30871-2022; it orders what the standard
//! requires (gas analysis before work 5.3.1/6.3, approval before work 4.6, acceptance
//! after work 4.15). The online report to the regulator (报备) is a regional rule,
//! configurable in [`super::RuleConfig::require_regulator_report`].

use super::kinds::{ApproverRole, Change, SignOff};
use serde::{Deserialize, Serialize};

/// 作业票状态.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PermitState {
    /// 草稿 — being filled in.
    #[default]
    Draft,
    /// 待气体分析.
    GasAnalysis,
    /// 审批中 — sign-offs in progress.
    Approving,
    /// 已审批 — issued.
    Approved,
    /// 已报备 — reported online to the regulator.
    Reported,
    /// 作业中.
    InProgress,
    /// 已中断.
    Suspended,
    /// 已完工 — awaiting acceptance.
    Completed,
    /// 已验收.
    Accepted,
    /// 已关闭 — archived (final).
    Closed,
    /// 已取消 — withdrawn before work (final).
    Cancelled,
    /// 已作废 — revoked (final).
    Voided,
}

impl PermitState {
    /// All states.
    pub const ALL: [PermitState; 12] = [
        Self::Draft,
        Self::GasAnalysis,
        Self::Approving,
        Self::Approved,
        Self::Reported,
        Self::InProgress,
        Self::Suspended,
        Self::Completed,
        Self::Accepted,
        Self::Closed,
        Self::Cancelled,
        Self::Voided,
    ];

    /// Final: no action leaves it.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Closed | Self::Cancelled | Self::Voided)
    }

    /// Issued and not finished: counts for conflicts with other work (4.7, 7.6, 7.10).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Approving | Self::Approved | Self::Reported | Self::InProgress | Self::Suspended
        )
    }

    /// Whether the ticket has entered approval, after which it must not be altered (4.18).
    pub fn is_issued_or_later(self) -> bool {
        !matches!(self, Self::Draft | Self::GasAnalysis)
    }

    /// 中文名.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::GasAnalysis => "待气体分析",
            Self::Approving => "审批中",
            Self::Approved => "已审批",
            Self::Reported => "已报备",
            Self::InProgress => "作业中",
            Self::Suspended => "已中断",
            Self::Completed => "已完工",
            Self::Accepted => "已验收",
            Self::Closed => "已关闭",
            Self::Cancelled => "已取消",
            Self::Voided => "已作废",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::GasAnalysis => "awaiting gas analysis",
            Self::Approving => "being approved",
            Self::Approved => "approved",
            Self::Reported => "reported to the regulator",
            Self::InProgress => "in progress",
            Self::Suspended => "suspended",
            Self::Completed => "completed",
            Self::Accepted => "accepted",
            Self::Closed => "closed",
            Self::Cancelled => "cancelled",
            Self::Voided => "voided",
        }
    }
}

/// 操作类别 — an action without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// 提交气体分析.
    SubmitForGasAnalysis,
    /// 提交审批.
    SubmitForApproval,
    /// 审批签字.
    Approve,
    /// 线上报备.
    ReportToRegulator,
    /// 开始作业.
    Start,
    /// 继续作业（作业中定时核查）.
    Continue,
    /// 中断作业.
    Suspend,
    /// 恢复作业.
    Resume,
    /// 完工.
    Complete,
    /// 完工验收.
    Accept,
    /// 关闭归档.
    Close,
    /// 取消.
    Cancel,
    /// 作废.
    Void,
    /// 修改作业票内容.
    Amend,
}

impl ActionKind {
    /// All action kinds.
    pub const ALL: [ActionKind; 14] = [
        Self::SubmitForGasAnalysis,
        Self::SubmitForApproval,
        Self::Approve,
        Self::ReportToRegulator,
        Self::Start,
        Self::Continue,
        Self::Suspend,
        Self::Resume,
        Self::Complete,
        Self::Accept,
        Self::Close,
        Self::Cancel,
        Self::Void,
        Self::Amend,
    ];

    /// 中文名.
    pub fn zh(self) -> &'static str {
        match self {
            Self::SubmitForGasAnalysis => "提交气体分析",
            Self::SubmitForApproval => "提交审批",
            Self::Approve => "审批签字",
            Self::ReportToRegulator => "线上报备",
            Self::Start => "开始作业",
            Self::Continue => "继续作业",
            Self::Suspend => "中断作业",
            Self::Resume => "恢复作业",
            Self::Complete => "完工",
            Self::Accept => "完工验收",
            Self::Close => "关闭",
            Self::Cancel => "取消",
            Self::Void => "作废",
            Self::Amend => "修改作业票",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Self::SubmitForGasAnalysis => "submit for gas analysis",
            Self::SubmitForApproval => "submit for approval",
            Self::Approve => "sign off",
            Self::ReportToRegulator => "report to the regulator",
            Self::Start => "start work",
            Self::Continue => "continue work",
            Self::Suspend => "suspend work",
            Self::Resume => "resume work",
            Self::Complete => "complete",
            Self::Accept => "accept",
            Self::Close => "close",
            Self::Cancel => "cancel",
            Self::Void => "void",
            Self::Amend => "amend the permit",
        }
    }
}

/// 操作 — an action with its data, as the server receives it:
/// `{"action": "approve", "step": "approver", "role": "senior_manager", "by": "u1", "on_site": true}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// 提交气体分析.
    SubmitForGasAnalysis,
    /// 提交审批.
    SubmitForApproval,
    /// 审批签字 — one sign-off row.
    Approve {
        /// 签字栏.
        step: SignOff,
        /// 签字人角色.
        role: ApproverRole,
        /// 签字人.
        by: String,
        /// 在作业现场 (4.11 a).
        #[serde(default)]
        on_site: bool,
    },
    /// 线上报备.
    ReportToRegulator,
    /// 开始作业.
    Start {
        /// 验票人 — the shift leader who checked the hot-work ticket before ignition
        /// (Table A.1).
        #[serde(default)]
        ticket_checked_by: Option<String>,
    },
    /// 继续作业 — a periodic check that work may go on.
    Continue,
    /// 中断作业 — always allowed: stopping work is never refused.
    Suspend,
    /// 恢复作业.
    Resume {
        /// 已重新确认环境条件和安全措施 (8.2.11 for work at height).
        #[serde(default)]
        conditions_reconfirmed: bool,
    },
    /// 完工 — always allowed from in progress or suspended.
    Complete,
    /// 完工验收 (4.15).
    Accept {
        /// 验收人.
        by: String,
    },
    /// 关闭归档.
    Close,
    /// 取消.
    Cancel,
    /// 作废.
    Void,
    /// 修改作业票 — allowed only before approval; afterwards a new permit (4.16–4.18).
    Amend {
        /// What changes.
        changes: Vec<Change>,
    },
}

impl Action {
    /// Its kind.
    pub fn kind(&self) -> ActionKind {
        match self {
            Self::SubmitForGasAnalysis => ActionKind::SubmitForGasAnalysis,
            Self::SubmitForApproval => ActionKind::SubmitForApproval,
            Self::Approve { .. } => ActionKind::Approve,
            Self::ReportToRegulator => ActionKind::ReportToRegulator,
            Self::Start { .. } => ActionKind::Start,
            Self::Continue => ActionKind::Continue,
            Self::Suspend => ActionKind::Suspend,
            Self::Resume { .. } => ActionKind::Resume,
            Self::Complete => ActionKind::Complete,
            Self::Accept { .. } => ActionKind::Accept,
            Self::Close => ActionKind::Close,
            Self::Cancel => ActionKind::Cancel,
            Self::Void => ActionKind::Void,
            Self::Amend { .. } => ActionKind::Amend,
        }
    }
}

/// 状态转换 — one allowed edge of the state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// From.
    pub from: PermitState,
    /// By.
    pub action: ActionKind,
    /// To. For `approve` this is `approving`; the last sign-off goes to `approved`.
    pub to: PermitState,
}

const fn t(from: PermitState, action: ActionKind, to: PermitState) -> Transition {
    Transition { from, action, to }
}

use ActionKind as A;
use PermitState as S;

/// Every allowed transition. Anything else is refused.
pub const TRANSITIONS: &[Transition] = &[
    t(S::Draft, A::SubmitForGasAnalysis, S::GasAnalysis),
    t(S::Draft, A::SubmitForApproval, S::Approving),
    t(S::Draft, A::Amend, S::Draft),
    t(S::GasAnalysis, A::SubmitForApproval, S::Approving),
    t(S::GasAnalysis, A::Amend, S::GasAnalysis),
    t(S::Approving, A::Approve, S::Approving),
    t(S::Approved, A::ReportToRegulator, S::Reported),
    t(S::Approved, A::Start, S::InProgress),
    t(S::Reported, A::Start, S::InProgress),
    t(S::InProgress, A::Continue, S::InProgress),
    t(S::InProgress, A::Suspend, S::Suspended),
    t(S::InProgress, A::Complete, S::Completed),
    t(S::Suspended, A::Resume, S::InProgress),
    t(S::Suspended, A::Complete, S::Completed),
    t(S::Completed, A::Accept, S::Accepted),
    t(S::Accepted, A::Close, S::Closed),
    t(S::Draft, A::Cancel, S::Cancelled),
    t(S::GasAnalysis, A::Cancel, S::Cancelled),
    t(S::Approving, A::Cancel, S::Cancelled),
    t(S::Approved, A::Cancel, S::Cancelled),
    t(S::Reported, A::Cancel, S::Cancelled),
    t(S::Draft, A::Void, S::Voided),
    t(S::GasAnalysis, A::Void, S::Voided),
    t(S::Approving, A::Void, S::Voided),
    t(S::Approved, A::Void, S::Voided),
    t(S::Reported, A::Void, S::Voided),
    t(S::InProgress, A::Void, S::Voided),
    t(S::Suspended, A::Void, S::Voided),
    t(S::Completed, A::Void, S::Voided),
    t(S::Accepted, A::Void, S::Voided),
];

/// The state an action leads to from `from`, if the state machine allows it.
pub fn transition(from: PermitState, action: ActionKind) -> Option<PermitState> {
    TRANSITIONS
        .iter()
        .find(|t| t.from == from && t.action == action)
        .map(|t| t.to)
}
