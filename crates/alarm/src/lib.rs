//! weihua-alarm — 报警引擎: the ISA-18.2 alarm engine and the GB/T 50493 gas
//! set points. Pure: no IO, no clock; the server feeds it committed samples
//! and the current time, and persists what it emits.
//!
//! - [`config`]: alarm definitions per point and their assumed defaults by indicator;
//! - [`gb50493`]: the set-point rules of GB/T 50493-2019 §5.5.2;
//! - [`state`]: alarm state bits and the derived ISA-18.2 state;
//! - [`engine`]: evaluation (limits with deadband and delays, rate of change,
//!   deviation, frozen value, bad quality, data interruption) and commands.

pub mod config;
pub mod engine;
pub mod error;
pub mod gb50493;
pub mod state;

pub use config::{
    PointAlarmConfig, PointAlarmSettings, PointBasics, effective_config, gas_alarm_level,
};
pub use engine::{
    AlarmDef, AlarmRef, Change, Command, Engine, EngineOptions, PointIdx, Transition, alarm_id,
};
pub use error::{CommandError, ConfigError};
pub use state::{AlarmState, IsaState};
