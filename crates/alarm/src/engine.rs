//! 报警引擎 — evaluates samples against every point's alarm definitions and
//! runs the ISA-18.2 state machine. Pure: the caller passes every instant in
//! (sample timestamps for delays, `now` for interruptions and shelving).
//!
//! Delays and windows are measured on sample timestamps, so replaying the last
//! [`Engine::replay_window_ms`] of history after a restart rebuilds every
//! running on-delay exactly (the caller restores the stored states first).

use std::collections::HashMap;

use weihua_core::{AlarmKind, AlarmPriority, LimitName};

use crate::config::PointAlarmConfig;
use crate::error::CommandError;
use crate::state::AlarmState;

/// Engine-wide options (assumed defaults, configurable).
#[derive(Debug, Clone, PartialEq)]
pub struct EngineOptions {
    /// Longest allowed shelving (ISA-18.2: shelving is time-limited). 24 h.
    pub max_shelve_ms: i64,
    /// 企业数据中断 — silence of every point of an enterprise. 10 min.
    pub enterprise_interruption_ms: i64,
    pub enterprise_interruption_priority: AlarmPriority,
    /// A deviation compares with the other point's last sample only if that
    /// sample is at most this old. 60 s.
    pub deviation_max_age_ms: i64,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            max_shelve_ms: 24 * 3_600_000,
            enterprise_interruption_ms: crate::config::DEFAULT_ENTERPRISE_INTERRUPTION_MS,
            enterprise_interruption_priority: AlarmPriority::High,
            deviation_max_age_ms: 60_000,
        }
    }
}

/// Index of a point inside the engine (dense, stable while the engine lives).
pub type PointIdx = u32;

/// Where an alarm lives: on a point (slot within it) or on an enterprise group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlarmRef {
    Point { point: PointIdx, slot: u16 },
    Group { group: u32 },
}

/// What an alarm is, independent of its state.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmDef {
    /// Stable id: `{point_id}:limit:HH`, `{point_id}:frozen`,
    /// `{enterprise_id}:enterprise_interruption`.
    pub id: String,
    /// The point id, or the enterprise id for an enterprise interruption.
    pub owner: String,
    pub kind: AlarmKind,
    pub limit: Option<LimitName>,
    pub priority: AlarmPriority,
}

/// The id of a point alarm.
pub fn alarm_id(owner: &str, kind: AlarmKind, limit: Option<LimitName>) -> String {
    match limit {
        Some(l) => format!("{owner}:{}:{}", kind.as_str(), l.as_str()),
        None => format!("{owner}:{}", kind.as_str()),
    }
}

/// What happened to an alarm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// 报警 — the condition became abnormal (after its on-delay).
    Activated,
    /// 恢复 — the condition returned to normal (past the deadband, after the off-delay).
    Cleared,
    /// 确认
    Acked,
    /// 复位 — a latched alarm was reset.
    Reset,
    /// 搁置 until the instant.
    Shelved { until_ms: i64 },
    /// 解除搁置; `expired` when its time ran out.
    Unshelved { expired: bool },
    /// 设计抑制 on / off.
    Suppressed(bool),
    /// 停用 on / off.
    OutOfService(bool),
}

impl Change {
    pub fn as_str(&self) -> &'static str {
        match self {
            Change::Activated => "activated",
            Change::Cleared => "cleared",
            Change::Acked => "acked",
            Change::Reset => "reset",
            Change::Shelved { .. } => "shelved",
            Change::Unshelved { .. } => "unshelved",
            Change::Suppressed(true) => "suppressed",
            Change::Suppressed(false) => "unsuppressed",
            Change::OutOfService(true) => "out_of_service",
            Change::OutOfService(false) => "in_service",
        }
    }
}

/// One state change, with the state after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub alarm: AlarmRef,
    pub at_ms: i64,
    pub change: Change,
    pub state: AlarmState,
}

/// An operator (or interlock) command.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Command {
    Ack,
    Reset,
    Shelve { until_ms: i64 },
    Unshelve,
    Suppress(bool),
    OutOfService(bool),
}

#[derive(Debug, Clone)]
struct Slot {
    def: AlarmDef,
    state: AlarmState,
    /// When the raw condition started to differ from `state.active`.
    pending_since: Option<i64>,
}

#[derive(Debug, Clone)]
struct Point {
    id: String,
    group: u32,
    config: PointAlarmConfig,
    slots: Vec<Slot>,
    /// Slot index of each detector, if configured.
    rate_slot: Option<u16>,
    deviation_slot: Option<u16>,
    deviation_other: Option<PointIdx>,
    frozen_slot: Option<u16>,
    quality_slot: Option<u16>,
    interruption_slot: Option<u16>,
    last_ts: Option<i64>,
    last_value: f64,
    watch_since: i64,
    rate_ref: Option<(i64, f64)>,
    frozen_value: f64,
    frozen_since: i64,
    frozen_count: u32,
    removed: bool,
}

#[derive(Debug, Clone)]
struct Group {
    slot: Slot,
    last_ts: Option<i64>,
    watch_since: i64,
    points: u32,
}

/// The alarm engine for a set of points.
#[derive(Debug, Default)]
pub struct Engine {
    options: EngineOptions,
    points: Vec<Point>,
    point_index: HashMap<String, PointIdx>,
    groups: Vec<Group>,
    group_index: HashMap<String, u32>,
    alarm_index: HashMap<String, AlarmRef>,
    shelved: Vec<AlarmRef>,
}

/// Evaluates one debounced two-state condition with on/off delays.
/// `enter`: the raw condition to activate; `leave`: the raw condition to clear
/// (past the deadband). Returns the change, if any.
#[inline]
fn debounce(
    slot: &mut Slot,
    enter: bool,
    leave: bool,
    ts: i64,
    on_delay: i64,
    off_delay: i64,
) -> Option<Change> {
    if !slot.state.active {
        if enter {
            let since = *slot.pending_since.get_or_insert(ts);
            if ts - since >= on_delay {
                slot.pending_since = None;
                return Some(Change::Activated);
            }
        } else {
            slot.pending_since = None;
        }
    } else if leave {
        let since = *slot.pending_since.get_or_insert(ts);
        if ts - since >= off_delay {
            slot.pending_since = None;
            return Some(Change::Cleared);
        }
    } else {
        slot.pending_since = None;
    }
    None
}

/// Applies a process change to the state bits.
fn apply_process(
    state: &mut AlarmState,
    change: Change,
    at: i64,
    value: Option<f64>,
    latching: bool,
) {
    match change {
        Change::Activated => {
            if state.is_normal() {
                state.raised_at = Some(at);
                state.acked_at = None;
                state.cleared_at = None;
            }
            state.active = true;
            state.acked = false;
            state.latched = false;
            state.value = value;
        }
        Change::Cleared => {
            state.active = false;
            state.cleared_at = Some(at);
            state.latched = latching;
            if value.is_some() {
                state.value = value;
            }
        }
        _ => {}
    }
}

impl Engine {
    pub fn new(options: EngineOptions) -> Self {
        Engine {
            options,
            ..Default::default()
        }
    }

    pub fn options(&self) -> &EngineOptions {
        &self.options
    }

    /// Number of points (including removed slots).
    pub fn point_count(&self) -> usize {
        self.points.len()
    }

    /// Number of configured alarms.
    pub fn alarm_count(&self) -> usize {
        self.alarm_index.len()
    }

    pub fn point_index(&self, point_id: &str) -> Option<PointIdx> {
        self.point_index.get(point_id).copied()
    }

    fn group_of(&mut self, enterprise: &str, now_ms: i64) -> u32 {
        if let Some(g) = self.group_index.get(enterprise) {
            return *g;
        }
        let g = self.groups.len() as u32;
        let def = AlarmDef {
            id: alarm_id(enterprise, AlarmKind::EnterpriseInterruption, None),
            owner: enterprise.to_string(),
            kind: AlarmKind::EnterpriseInterruption,
            limit: None,
            priority: self.options.enterprise_interruption_priority,
        };
        self.alarm_index
            .insert(def.id.clone(), AlarmRef::Group { group: g });
        self.groups.push(Group {
            slot: Slot {
                def,
                state: AlarmState::default(),
                pending_since: None,
            },
            last_ts: None,
            watch_since: now_ms,
            points: 0,
        });
        self.group_index.insert(enterprise.to_string(), g);
        g
    }

    /// Adds a point or replaces its configuration. Alarms that keep their id
    /// keep their state; alarms that disappear are forgotten (the caller
    /// closes their stored rows). `now_ms` starts the interruption watch of a
    /// point that has never reported.
    pub fn upsert_point(
        &mut self,
        point_id: &str,
        enterprise_id: &str,
        config: PointAlarmConfig,
        now_ms: i64,
    ) -> PointIdx {
        let group = self.group_of(enterprise_id, now_ms);
        let mut slots = Vec::new();
        let mut push = |kind, limit, priority| {
            slots.push(Slot {
                def: AlarmDef {
                    id: alarm_id(point_id, kind, limit),
                    owner: point_id.to_string(),
                    kind,
                    limit,
                    priority,
                },
                state: AlarmState::default(),
                pending_since: None,
            });
            (slots.len() - 1) as u16
        };
        for l in &config.limits {
            push(AlarmKind::Limit, Some(l.name), l.priority);
        }
        let rate_slot = config
            .rate
            .as_ref()
            .map(|r| push(AlarmKind::RateOfChange, None, r.priority));
        let deviation_slot = config
            .deviation
            .as_ref()
            .map(|d| push(AlarmKind::Deviation, None, d.priority));
        let frozen_slot = config
            .frozen
            .as_ref()
            .map(|f| push(AlarmKind::Frozen, None, f.priority));
        let quality_slot = config
            .bad_quality
            .as_ref()
            .map(|b| push(AlarmKind::BadQuality, None, b.priority));
        let interruption_slot = config
            .interruption
            .as_ref()
            .map(|i| push(AlarmKind::Interruption, None, i.priority));
        let deviation_other = config
            .deviation
            .as_ref()
            .and_then(|d| self.point_index.get(&d.other_point_id).copied());

        let idx = match self.point_index.get(point_id).copied() {
            Some(idx) => {
                let old = &mut self.points[idx as usize];
                for s in &old.slots {
                    self.alarm_index.remove(&s.def.id);
                }
                for s in &mut slots {
                    if let Some(prev) = old.slots.iter().find(|o| o.def.id == s.def.id) {
                        s.state = prev.state.clone();
                        s.pending_since = prev.pending_since;
                    }
                }
                if old.removed {
                    self.groups[old.group as usize].points += 1;
                }
                if old.group != group {
                    if !old.removed {
                        self.groups[old.group as usize].points -= 1;
                        self.groups[group as usize].points += 1;
                    }
                    old.group = group;
                }
                old.removed = false;
                old.config = config;
                old.slots = slots;
                old.rate_slot = rate_slot;
                old.deviation_slot = deviation_slot;
                old.deviation_other = deviation_other;
                old.frozen_slot = frozen_slot;
                old.quality_slot = quality_slot;
                old.interruption_slot = interruption_slot;
                idx
            }
            None => {
                let idx = self.points.len() as PointIdx;
                self.points.push(Point {
                    id: point_id.to_string(),
                    group,
                    config,
                    slots,
                    rate_slot,
                    deviation_slot,
                    deviation_other,
                    frozen_slot,
                    quality_slot,
                    interruption_slot,
                    last_ts: None,
                    last_value: f64::NAN,
                    watch_since: now_ms,
                    rate_ref: None,
                    frozen_value: f64::NAN,
                    frozen_since: 0,
                    frozen_count: 0,
                    removed: false,
                });
                self.point_index.insert(point_id.to_string(), idx);
                self.groups[group as usize].points += 1;
                idx
            }
        };
        let p = &self.points[idx as usize];
        for (i, s) in p.slots.iter().enumerate() {
            self.alarm_index.insert(
                s.def.id.clone(),
                AlarmRef::Point {
                    point: idx,
                    slot: i as u16,
                },
            );
        }
        // Points that compare with this one can now resolve it.
        for other in &mut self.points {
            if other.deviation_other.is_none()
                && other
                    .config
                    .deviation
                    .as_ref()
                    .is_some_and(|d| d.other_point_id == point_id)
            {
                other.deviation_other = Some(idx);
            }
        }
        idx
    }

    /// Stops evaluating a point (deleted). Its alarms are forgotten.
    pub fn remove_point(&mut self, point_id: &str) {
        if let Some(idx) = self.point_index.get(point_id).copied() {
            let p = &mut self.points[idx as usize];
            if p.removed {
                return;
            }
            for s in &p.slots {
                self.alarm_index.remove(&s.def.id);
            }
            p.slots.clear();
            p.removed = true;
            p.rate_slot = None;
            p.deviation_slot = None;
            p.frozen_slot = None;
            p.quality_slot = None;
            p.interruption_slot = None;
            self.groups[p.group as usize].points -= 1;
        }
    }

    /// Restores a stored state (at start-up, before replaying history).
    /// Returns false if no such alarm is configured.
    pub fn restore(&mut self, alarm_id: &str, state: AlarmState) -> bool {
        let Some(r) = self.alarm_index.get(alarm_id).copied() else {
            return false;
        };
        if state.shelved_until.is_some() && !self.shelved.contains(&r) {
            self.shelved.push(r);
        }
        *self.state_mut(r) = state;
        true
    }

    /// Restores the last sample time of a point (from the historian), so that
    /// an interruption that started before a restart is still detected.
    pub fn restore_last_sample(&mut self, idx: PointIdx, ts_ms: i64) {
        if let Some(p) = self.points.get_mut(idx as usize) {
            if p.last_ts.is_none_or(|t| t < ts_ms) {
                p.last_ts = Some(ts_ms);
            }
            let g = &mut self.groups[p.group as usize];
            if g.last_ts.is_none_or(|t| t < ts_ms) {
                g.last_ts = Some(ts_ms);
            }
        }
    }

    /// How far back to replay a point's samples after a restart.
    pub fn replay_window_ms(&self, idx: PointIdx) -> i64 {
        self.points
            .get(idx as usize)
            .map_or(0, |p| p.config.replay_window_ms())
    }

    pub fn alarm_ref(&self, alarm_id: &str) -> Option<AlarmRef> {
        self.alarm_index.get(alarm_id).copied()
    }

    pub fn def(&self, r: AlarmRef) -> &AlarmDef {
        match r {
            AlarmRef::Point { point, slot } => {
                &self.points[point as usize].slots[slot as usize].def
            }
            AlarmRef::Group { group } => &self.groups[group as usize].slot.def,
        }
    }

    pub fn state(&self, r: AlarmRef) -> &AlarmState {
        match r {
            AlarmRef::Point { point, slot } => {
                &self.points[point as usize].slots[slot as usize].state
            }
            AlarmRef::Group { group } => &self.groups[group as usize].slot.state,
        }
    }

    fn state_mut(&mut self, r: AlarmRef) -> &mut AlarmState {
        match r {
            AlarmRef::Point { point, slot } => {
                &mut self.points[point as usize].slots[slot as usize].state
            }
            AlarmRef::Group { group } => &mut self.groups[group as usize].slot.state,
        }
    }

    /// The point id of a point alarm.
    pub fn point_id(&self, idx: PointIdx) -> Option<&str> {
        self.points.get(idx as usize).map(|p| p.id.as_str())
    }

    /// The configuration a point runs with.
    pub fn point_config(&self, idx: PointIdx) -> Option<&PointAlarmConfig> {
        self.points.get(idx as usize).map(|p| &p.config)
    }

    /// Every alarm that is not normal or is shelved/suppressed/out of service.
    pub fn open_alarms(&self) -> impl Iterator<Item = (AlarmRef, &AlarmDef, &AlarmState)> {
        let points = self.points.iter().enumerate().flat_map(|(pi, p)| {
            p.slots.iter().enumerate().map(move |(si, s)| {
                (
                    AlarmRef::Point {
                        point: pi as PointIdx,
                        slot: si as u16,
                    },
                    &s.def,
                    &s.state,
                )
            })
        });
        let groups = self.groups.iter().enumerate().map(|(gi, g)| {
            (
                AlarmRef::Group { group: gi as u32 },
                &g.slot.def,
                &g.slot.state,
            )
        });
        points.chain(groups).filter(|(_, _, s)| {
            !s.is_normal() || s.shelved_until.is_some() || s.suppressed || s.out_of_service
        })
    }

    /// Evaluates one sample of a point. Samples not newer than the point's
    /// last one are ignored (late or duplicate data does not re-alarm).
    pub fn evaluate(
        &mut self,
        idx: PointIdx,
        ts: i64,
        value: f64,
        quality: u8,
        out: &mut Vec<Transition>,
    ) {
        let dev_age = self.options.deviation_max_age_ms;
        let other = match self.points.get(idx as usize) {
            Some(p) if !p.removed => p
                .deviation_other
                .and_then(|o| self.points.get(o as usize))
                .and_then(|o| o.last_ts.map(|t| (t, o.last_value))),
            _ => return,
        };
        let p = &mut self.points[idx as usize];
        if p.last_ts.is_some_and(|t| ts <= t) || !value.is_finite() {
            return;
        }
        p.last_ts = Some(ts);
        let group = p.group;
        let mut emit =
            |p: &mut Point, slot: u16, change: Change, value: Option<f64>, latching: bool| {
                let s = &mut p.slots[slot as usize];
                apply_process(&mut s.state, change, ts, value, latching);
                out.push(Transition {
                    alarm: AlarmRef::Point { point: idx, slot },
                    at_ms: ts,
                    change,
                    state: s.state.clone(),
                });
            };

        // Any sample ends a point interruption.
        if let Some(si) = p.interruption_slot
            && p.slots[si as usize].state.active
        {
            emit(p, si, Change::Cleared, None, false);
        }
        let good = quality == 0;
        if let (Some(si), Some(bq)) = (p.quality_slot, p.config.bad_quality.as_ref()) {
            let on = bq.on_delay_ms;
            if let Some(c) = debounce(&mut p.slots[si as usize], !good, good, ts, on, 0) {
                emit(p, si, c, Some(value), false);
            }
        }
        if good {
            // Limits (a value is judged only when the gateway vouches for it).
            for i in 0..p.config.limits.len() {
                let l = &p.config.limits[i];
                let (enter, leave) = if l.name.is_high() {
                    (value >= l.setpoint, value < l.setpoint - l.deadband)
                } else {
                    (value <= l.setpoint, value > l.setpoint + l.deadband)
                };
                let (on, off, latching) = (l.on_delay_ms, l.off_delay_ms, l.latching);
                if let Some(c) = debounce(&mut p.slots[i], enter, leave, ts, on, off) {
                    emit(p, i as u16, c, Some(value), latching);
                }
            }
            // Rate of change over at least `period_ms`.
            if let (Some(si), Some(r)) = (p.rate_slot, p.config.rate.as_ref()) {
                match p.rate_ref {
                    None => p.rate_ref = Some((ts, value)),
                    Some((t0, v0)) if ts - t0 >= r.period_ms.max(1) => {
                        let rate = (value - v0).abs() / (ts - t0) as f64 * 60_000.0;
                        let max = r.max_per_min;
                        let on = r.on_delay_ms;
                        p.rate_ref = Some((ts, value));
                        if let Some(c) = debounce(
                            &mut p.slots[si as usize],
                            rate > max,
                            rate <= max,
                            ts,
                            on,
                            0,
                        ) {
                            emit(p, si, c, Some(value), false);
                        }
                    }
                    Some(_) => {}
                }
            }
            // Deviation from the other point's latest sample.
            if let (Some(si), Some(d), Some((ot, ov))) =
                (p.deviation_slot, p.config.deviation.as_ref(), other)
                && (ts - ot).abs() <= dev_age
            {
                let diff = (value - ov).abs();
                let (enter, leave) = (diff > d.max_abs, diff < d.max_abs - d.deadband);
                let (on, off) = (d.on_delay_ms, d.off_delay_ms);
                if let Some(c) = debounce(&mut p.slots[si as usize], enter, leave, ts, on, off) {
                    emit(p, si, c, Some(value), false);
                }
            }
            // Frozen value.
            if let (Some(si), Some(f)) = (p.frozen_slot, p.config.frozen.as_ref()) {
                if p.frozen_count == 0 || (value - p.frozen_value).abs() > f.tolerance {
                    p.frozen_value = value;
                    p.frozen_since = ts;
                    p.frozen_count = 1;
                } else {
                    p.frozen_count = p.frozen_count.saturating_add(1);
                }
                let frozen = ts - p.frozen_since >= f.window_ms && p.frozen_count >= f.min_samples;
                if let Some(c) = debounce(&mut p.slots[si as usize], frozen, !frozen, ts, 0, 0) {
                    emit(p, si, c, Some(value), false);
                }
            }
            p.last_value = value;
        }

        let g = &mut self.groups[group as usize];
        g.last_ts = Some(g.last_ts.map_or(ts, |t| t.max(ts)));
        if g.slot.state.active {
            apply_process(&mut g.slot.state, Change::Cleared, ts, None, false);
            out.push(Transition {
                alarm: AlarmRef::Group { group },
                at_ms: ts,
                change: Change::Cleared,
                state: g.slot.state.clone(),
            });
        }
    }

    /// Time-driven checks at `now`: data interruptions (per point and per
    /// enterprise) and shelving expiry.
    pub fn tick(&mut self, now_ms: i64, out: &mut Vec<Transition>) {
        for (pi, p) in self.points.iter_mut().enumerate() {
            let (Some(si), Some(cfg)) = (p.interruption_slot, p.config.interruption.as_ref())
            else {
                continue;
            };
            let since = p.last_ts.unwrap_or(p.watch_since);
            let slot = &mut p.slots[si as usize];
            if !slot.state.active && now_ms - since > cfg.window_ms() {
                apply_process(&mut slot.state, Change::Activated, now_ms, None, false);
                out.push(Transition {
                    alarm: AlarmRef::Point {
                        point: pi as PointIdx,
                        slot: si,
                    },
                    at_ms: now_ms,
                    change: Change::Activated,
                    state: slot.state.clone(),
                });
            }
        }
        let window = self.options.enterprise_interruption_ms;
        for (gi, g) in self.groups.iter_mut().enumerate() {
            let since = g.last_ts.unwrap_or(g.watch_since);
            if g.points > 0 && !g.slot.state.active && now_ms - since > window {
                apply_process(&mut g.slot.state, Change::Activated, now_ms, None, false);
                out.push(Transition {
                    alarm: AlarmRef::Group { group: gi as u32 },
                    at_ms: now_ms,
                    change: Change::Activated,
                    state: g.slot.state.clone(),
                });
            }
        }
        let mut i = 0;
        while i < self.shelved.len() {
            let r = self.shelved[i];
            let st = self.state_mut(r);
            match st.shelved_until {
                Some(u) if u <= now_ms => {
                    st.shelved_until = None;
                    let state = st.clone();
                    out.push(Transition {
                        alarm: r,
                        at_ms: now_ms,
                        change: Change::Unshelved { expired: true },
                        state,
                    });
                    self.shelved.swap_remove(i);
                }
                Some(_) => i += 1,
                None => {
                    self.shelved.swap_remove(i);
                }
            }
        }
    }

    /// Applies an operator command. Errors leave the state unchanged.
    pub fn command(
        &mut self,
        alarm_id: &str,
        command: Command,
        now_ms: i64,
    ) -> Result<Transition, CommandError> {
        let r = self
            .alarm_ref(alarm_id)
            .ok_or_else(|| CommandError::UnknownAlarm(alarm_id.to_string()))?;
        let max_shelve = self.options.max_shelve_ms;
        let st = self.state_mut(r);
        let change = match command {
            Command::Ack => {
                if st.acked {
                    return Err(CommandError::not_applicable(
                        "该报警无需确认（已确认或处于正常状态）",
                        "nothing to acknowledge: the alarm is acknowledged or normal",
                    ));
                }
                st.acked = true;
                st.acked_at = Some(now_ms);
                Change::Acked
            }
            Command::Reset => {
                if !st.latched {
                    return Err(CommandError::not_applicable(
                        "只有锁存的报警可以复位",
                        "only a latched alarm can be reset",
                    ));
                }
                if st.active {
                    return Err(CommandError::not_applicable(
                        "工况仍异常，锁存报警不能复位",
                        "the condition is still abnormal: a latched alarm cannot be reset yet",
                    ));
                }
                st.latched = false;
                if !st.acked {
                    st.acked = true;
                    st.acked_at = Some(now_ms);
                }
                Change::Reset
            }
            Command::Shelve { until_ms } => {
                if until_ms <= now_ms || until_ms - now_ms > max_shelve {
                    return Err(CommandError::not_applicable(
                        format!(
                            "搁置截止时间必须在将来，且不超过 {} 小时",
                            max_shelve / 3_600_000
                        ),
                        format!(
                            "shelving must end in the future and within {} h",
                            max_shelve / 3_600_000
                        ),
                    ));
                }
                st.shelved_until = Some(until_ms);
                if !self.shelved.contains(&r) {
                    self.shelved.push(r);
                }
                Change::Shelved { until_ms }
            }
            Command::Unshelve => {
                if !st.is_shelved(now_ms) {
                    return Err(CommandError::not_applicable(
                        "该报警未被搁置",
                        "the alarm is not shelved",
                    ));
                }
                st.shelved_until = None;
                Change::Unshelved { expired: false }
            }
            Command::Suppress(on) => {
                if st.suppressed == on {
                    return Err(CommandError::not_applicable(
                        if on {
                            "该报警已处于设计抑制"
                        } else {
                            "该报警未被抑制"
                        },
                        if on {
                            "the alarm is already suppressed"
                        } else {
                            "the alarm is not suppressed"
                        },
                    ));
                }
                st.suppressed = on;
                Change::Suppressed(on)
            }
            Command::OutOfService(on) => {
                if st.out_of_service == on {
                    return Err(CommandError::not_applicable(
                        if on {
                            "该报警已停用"
                        } else {
                            "该报警未停用"
                        },
                        if on {
                            "the alarm is already out of service"
                        } else {
                            "the alarm is in service"
                        },
                    ));
                }
                st.out_of_service = on;
                Change::OutOfService(on)
            }
        };
        let state = self.state(r).clone();
        Ok(Transition {
            alarm: r,
            at_ms: now_ms,
            change,
            state,
        })
    }

    /// Sets suppression by design on every alarm of a point (unit shut down,
    /// a permit covering the point). Returns the transitions.
    pub fn suppress_point(&mut self, point_id: &str, on: bool, now_ms: i64) -> Vec<Transition> {
        let Some(idx) = self.point_index(point_id) else {
            return Vec::new();
        };
        let ids: Vec<String> = self.points[idx as usize]
            .slots
            .iter()
            .map(|s| s.def.id.clone())
            .collect();
        ids.iter()
            .filter_map(|id| self.command(id, Command::Suppress(on), now_ms).ok())
            .collect()
    }
}
