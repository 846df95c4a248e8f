//! 报警状态 — the state of one alarm, kept as independent bits (ISA-18.2 /
//! IEC 62682 and OPC UA Part 9 model them as orthogonal sub-states); the ISA
//! state letter is derived from the bits, never stored.

use serde::{Deserialize, Serialize};

/// The bits and instants of one alarm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlarmState {
    /// 报警激活 — the (debounced) process condition is abnormal.
    pub active: bool,
    /// 已确认 — acknowledged by an operator (true in the normal state).
    pub acked: bool,
    /// 锁存 — held after return to normal until an operator resets it.
    pub latched: bool,
    /// 搁置 — shelved by an operator until this instant (epoch ms).
    pub shelved_until: Option<i64>,
    /// 设计抑制 — suppressed by design (unit shut down, a permit covers it…).
    pub suppressed: bool,
    /// 停用 — out of service (maintenance, under management of change).
    pub out_of_service: bool,
    /// When the current occurrence was raised (from the normal state).
    pub raised_at: Option<i64>,
    pub acked_at: Option<i64>,
    /// When the condition last returned to normal.
    pub cleared_at: Option<i64>,
    /// The value at the last activation or return (None for interruptions).
    pub value: Option<f64>,
}

impl AlarmState {
    /// The normal state (A): inactive, acknowledged, nothing held or shelved.
    pub const NORMAL: AlarmState = AlarmState {
        active: false,
        acked: true,
        latched: false,
        shelved_until: None,
        suppressed: false,
        out_of_service: false,
        raised_at: None,
        acked_at: None,
        cleared_at: None,
        value: None,
    };
}

impl Default for AlarmState {
    fn default() -> Self {
        Self::NORMAL
    }
}

/// The ISA-18.2 state (figure labels A–F) with the three overlays that take
/// the alarm off the operator's display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IsaState {
    /// A 正常
    Normal,
    /// B 未确认
    Unacknowledged,
    /// C 已确认
    Acknowledged,
    /// D 已恢复未确认
    RtnUnacknowledged,
    /// E 锁存未确认
    LatchedUnacknowledged,
    /// F 锁存已确认
    LatchedAcknowledged,
    /// 已搁置
    Shelved,
    /// 设计抑制
    Suppressed,
    /// 停用
    OutOfService,
}

impl IsaState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Unacknowledged => "unacknowledged",
            Self::Acknowledged => "acknowledged",
            Self::RtnUnacknowledged => "rtn_unacknowledged",
            Self::LatchedUnacknowledged => "latched_unacknowledged",
            Self::LatchedAcknowledged => "latched_acknowledged",
            Self::Shelved => "shelved",
            Self::Suppressed => "suppressed",
            Self::OutOfService => "out_of_service",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Normal => "正常",
            Self::Unacknowledged => "报警未确认",
            Self::Acknowledged => "报警已确认",
            Self::RtnUnacknowledged => "已恢复未确认",
            Self::LatchedUnacknowledged => "锁存未确认",
            Self::LatchedAcknowledged => "锁存已确认",
            Self::Shelved => "已搁置",
            Self::Suppressed => "设计抑制",
            Self::OutOfService => "停用",
        }
    }
}

impl AlarmState {
    /// Whether the alarm is shelved at `now`.
    pub fn is_shelved(&self, now_ms: i64) -> bool {
        self.shelved_until.is_some_and(|u| u > now_ms)
    }

    /// Normal in process and acknowledgement terms (A), whatever the overlays.
    pub fn is_normal(&self) -> bool {
        !self.active && self.acked && !self.latched
    }

    /// The ISA-18.2 state at `now`.
    pub fn isa(&self, now_ms: i64) -> IsaState {
        if self.out_of_service {
            IsaState::OutOfService
        } else if self.suppressed {
            IsaState::Suppressed
        } else if self.is_shelved(now_ms) {
            IsaState::Shelved
        } else {
            self.process_state()
        }
    }

    /// A–F, ignoring shelving, suppression and out-of-service.
    pub fn process_state(&self) -> IsaState {
        match (self.active, self.acked, self.latched) {
            (true, false, _) => IsaState::Unacknowledged,
            (true, true, _) => IsaState::Acknowledged,
            (false, false, true) => IsaState::LatchedUnacknowledged,
            (false, true, true) => IsaState::LatchedAcknowledged,
            (false, false, false) => IsaState::RtnUnacknowledged,
            (false, true, false) => IsaState::Normal,
        }
    }

    /// Shown to the operator: not normal and not taken off the display.
    pub fn annunciated(&self, now_ms: i64) -> bool {
        !self.is_normal() && !self.out_of_service && !self.suppressed && !self.is_shelved(now_ms)
    }

    /// Counts for risk and escalation: the process condition is abnormal now
    /// and nobody has taken the alarm off the display.
    pub fn counts(&self, now_ms: i64) -> bool {
        self.active && !self.out_of_service && !self.suppressed && !self.is_shelved(now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_follow_the_bits() {
        let mut s = AlarmState::default();
        assert_eq!(s.isa(0), IsaState::Normal);
        s.active = true;
        s.acked = false;
        assert_eq!(s.isa(0), IsaState::Unacknowledged);
        s.acked = true;
        assert_eq!(s.isa(0), IsaState::Acknowledged);
        s.active = false;
        s.latched = true;
        assert_eq!(s.isa(0), IsaState::LatchedAcknowledged);
        s.acked = false;
        assert_eq!(s.isa(0), IsaState::LatchedUnacknowledged);
        s.latched = false;
        assert_eq!(s.isa(0), IsaState::RtnUnacknowledged);
        s.shelved_until = Some(10);
        assert_eq!(s.isa(9), IsaState::Shelved);
        assert_eq!(
            s.isa(10),
            IsaState::RtnUnacknowledged,
            "shelving ends at its expiry"
        );
        s.suppressed = true;
        assert_eq!(s.isa(0), IsaState::Suppressed);
        s.out_of_service = true;
        assert_eq!(s.isa(0), IsaState::OutOfService);
        assert!(!s.annunciated(0));
    }
}
