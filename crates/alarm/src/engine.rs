//! 报警引擎 — evaluates samples against every point's alarm definitions and
//! runs the ISA-18.2 state machine. Pure: the caller passes every instant in
//! (sample timestamps for delays, `now` for interruptions and shelving).
//!
//! Delays and windows are measured on sample timestamps, so replaying the last
//! [`Engine::replay_window_ms`] of history after a restart rebuilds every
//! running on-delay exactly (the caller restores the stored states first).
//!
//! Layout (for speed with hundreds of thousands of points): what a sample
//! touches is kept compact and contiguous — one [`PointHot`] per point and the
//! point's [`Slot`]s side by side in one vector, each slot carrying its own
//! thresholds and delays. The full [`AlarmState`] of an alarm is allocated only
//! once the alarm leaves the normal state; configurations and ids live apart.
//! Data interruptions are found through a heap of deadlines, not by scanning
//! every point on every tick.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

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

/// The id of an alarm.
pub fn alarm_id(owner: &str, kind: AlarmKind, limit: Option<LimitName>) -> String {
    match limit {
        Some(l) => format!("{owner}:{}:{}", kind.as_str(), l.as_str()),
        None => format!("{owner}:{}", kind.as_str()),
    }
}

/// Splits an alarm id into owner, kind and limit (the inverse of [`alarm_id`]).
pub fn parse_alarm_id(id: &str) -> Option<(&str, AlarmKind, Option<LimitName>)> {
    let (rest, last) = id.rsplit_once(':')?;
    if let Some(kind) = AlarmKind::parse(last)
        && LimitName::parse(last).is_none()
    {
        return Some((rest, kind, None));
    }
    let limit = LimitName::ALL.into_iter().find(|l| l.as_str() == last)?;
    let (owner, kind) = rest.rsplit_once(':')?;
    (kind == AlarmKind::Limit.as_str()).then_some((owner, AlarmKind::Limit, Some(limit)))
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

/// "No pending condition" / "no sample yet".
const NONE: i64 = i64::MIN;
/// "No such detector" in a point's slot offsets.
const NO_SLOT: u8 = u8::MAX;

/// The normal state, shared by every alarm that never left it.
const NORMAL: AlarmState = AlarmState::NORMAL;

/// What evaluation needs of one alarm, inline (hot).
#[derive(Debug, Clone)]
struct Slot {
    kind: AlarmKind,
    limit: Option<LimitName>,
    priority: AlarmPriority,
    /// Mirror of `state.active` (the hot copy).
    active: bool,
    latching: bool,
    high: bool,
    /// Limit: the set point. Deviation / rate: the maximum.
    enter: f64,
    /// Limit: set point ∓ deadband. Deviation: max − deadband.
    leave: f64,
    on_delay: i64,
    off_delay: i64,
    pending_since: i64,
}

impl Slot {
    fn new(kind: AlarmKind, limit: Option<LimitName>, priority: AlarmPriority) -> Self {
        Slot {
            kind,
            limit,
            priority,
            active: false,
            latching: false,
            high: true,
            enter: 0.0,
            leave: 0.0,
            on_delay: 0,
            off_delay: 0,
            pending_since: NONE,
        }
    }
}

/// What evaluation needs of one point (hot; one or two cache lines).
#[derive(Debug, Clone)]
struct PointHot {
    last_ts: i64,
    last_value: f64,
    watch_since: i64,
    first_slot: u32,
    n_slots: u16,
    n_limits: u8,
    rate: u8,
    deviation: u8,
    frozen: u8,
    quality: u8,
    interruption: u8,
    removed: bool,
    group: u32,
    deviation_other: u32,
    heap_gen: u32,
    rate_period: i64,
    rate_ref_ts: i64,
    rate_ref_v: f64,
    frozen_window: i64,
    frozen_min: u32,
    frozen_count: u32,
    frozen_tol: f64,
    frozen_value: f64,
    frozen_since: i64,
    interruption_window: i64,
}

#[derive(Debug, Clone)]
struct PointCold {
    id: String,
    config: PointAlarmConfig,
}

#[derive(Debug, Clone)]
struct Group {
    enterprise: String,
    state: AlarmState,
    last_ts: i64,
    watch_since: i64,
    points: u32,
}

/// The alarm engine for a set of points.
#[derive(Debug, Default)]
pub struct Engine {
    options: EngineOptions,
    hot: Vec<PointHot>,
    cold: Vec<PointCold>,
    slots: Vec<Slot>,
    /// Full state, only for alarms that left the normal state.
    states: Vec<Option<Box<AlarmState>>>,
    point_index: HashMap<String, PointIdx>,
    /// Points whose deviation partner is not configured yet, by partner id.
    waiting_deviation: HashMap<String, Vec<PointIdx>>,
    groups: Vec<Group>,
    group_index: HashMap<String, u32>,
    shelved: Vec<AlarmRef>,
    /// Interruption deadlines: (first instant it may be due, point, generation).
    deadlines: BinaryHeap<Reverse<(i64, PointIdx, u32)>>,
    live_alarms: usize,
}

/// Evaluates one debounced two-state condition with on/off delays.
/// `enter`: the raw condition to activate; `leave`: the raw condition to clear
/// (past the deadband). Returns the change, if any.
#[inline]
fn debounce(slot: &mut Slot, enter: bool, leave: bool, ts: i64) -> Option<Change> {
    if !slot.active {
        if enter {
            if slot.pending_since == NONE {
                slot.pending_since = ts;
            }
            if ts - slot.pending_since >= slot.on_delay {
                slot.pending_since = NONE;
                return Some(Change::Activated);
            }
        } else {
            slot.pending_since = NONE;
        }
    } else if leave {
        if slot.pending_since == NONE {
            slot.pending_since = ts;
        }
        if ts - slot.pending_since >= slot.off_delay {
            slot.pending_since = NONE;
            return Some(Change::Cleared);
        }
    } else {
        slot.pending_since = NONE;
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

fn offset(o: Option<usize>) -> u8 {
    o.map_or(NO_SLOT, |v| v as u8)
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

    /// Number of points (including removed ones).
    pub fn point_count(&self) -> usize {
        self.hot.len()
    }

    /// Number of configured alarms (point alarms and enterprise interruptions).
    pub fn alarm_count(&self) -> usize {
        self.live_alarms + self.groups.len()
    }

    pub fn point_index(&self, point_id: &str) -> Option<PointIdx> {
        self.point_index
            .get(point_id)
            .copied()
            .filter(|i| !self.hot[*i as usize].removed)
    }

    fn group_of(&mut self, enterprise: &str, now_ms: i64) -> u32 {
        if let Some(g) = self.group_index.get(enterprise) {
            return *g;
        }
        let g = self.groups.len() as u32;
        self.groups.push(Group {
            enterprise: enterprise.to_string(),
            state: NORMAL,
            last_ts: NONE,
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
        // The slots, in a fixed order: limits, rate, deviation, frozen, bad quality, interruption.
        let mut slots: Vec<Slot> = Vec::new();
        for l in &config.limits {
            let mut s = Slot::new(AlarmKind::Limit, Some(l.name), l.priority);
            s.high = l.name.is_high();
            s.enter = l.setpoint;
            s.leave = if s.high {
                l.setpoint - l.deadband
            } else {
                l.setpoint + l.deadband
            };
            s.on_delay = l.on_delay_ms;
            s.off_delay = l.off_delay_ms;
            s.latching = l.latching;
            slots.push(s);
        }
        let add = |slots: &mut Vec<Slot>, s: Slot| {
            slots.push(s);
            Some(slots.len() - 1)
        };
        let rate = config.rate.as_ref().and_then(|r| {
            let mut s = Slot::new(AlarmKind::RateOfChange, None, r.priority);
            s.enter = r.max_per_min;
            s.on_delay = r.on_delay_ms;
            add(&mut slots, s)
        });
        let deviation = config.deviation.as_ref().and_then(|d| {
            let mut s = Slot::new(AlarmKind::Deviation, None, d.priority);
            s.enter = d.max_abs;
            s.leave = d.max_abs - d.deadband;
            s.on_delay = d.on_delay_ms;
            s.off_delay = d.off_delay_ms;
            add(&mut slots, s)
        });
        let frozen = config
            .frozen
            .as_ref()
            .and_then(|f| add(&mut slots, Slot::new(AlarmKind::Frozen, None, f.priority)));
        let quality = config.bad_quality.as_ref().and_then(|b| {
            let mut s = Slot::new(AlarmKind::BadQuality, None, b.priority);
            s.on_delay = b.on_delay_ms;
            add(&mut slots, s)
        });
        let interruption = config.interruption.as_ref().and_then(|i| {
            add(
                &mut slots,
                Slot::new(AlarmKind::Interruption, None, i.priority),
            )
        });
        let n_slots = slots.len();

        let existing = self.point_index.get(point_id).copied();
        // Carry over the state of alarms that remain.
        let mut states: Vec<Option<Box<AlarmState>>> = vec![None; n_slots];
        if let Some(idx) = existing {
            let h = &self.hot[idx as usize];
            let (first, n) = (h.first_slot as usize, h.n_slots as usize);
            for (i, s) in slots.iter_mut().enumerate() {
                if let Some(j) = (first..first + n)
                    .find(|j| self.slots[*j].kind == s.kind && self.slots[*j].limit == s.limit)
                {
                    s.active = self.slots[j].active;
                    s.pending_since = self.slots[j].pending_since;
                    states[i] = self.states[j].take();
                }
            }
            if !h.removed {
                self.live_alarms -= n;
            }
        }
        self.live_alarms += n_slots;
        // Reuse the range when the slot count is unchanged, else append.
        let first_slot = match existing {
            Some(idx) if self.hot[idx as usize].n_slots as usize == n_slots => {
                let f = self.hot[idx as usize].first_slot as usize;
                for (i, (s, st)) in slots.into_iter().zip(states).enumerate() {
                    self.slots[f + i] = s;
                    self.states[f + i] = st;
                }
                f as u32
            }
            _ => {
                let f = self.slots.len() as u32;
                self.slots.extend(slots);
                self.states.extend(states);
                f
            }
        };
        let deviation_other = config
            .deviation
            .as_ref()
            .and_then(|d| {
                let other = self.point_index(&d.other_point_id);
                if other.is_none() {
                    self.waiting_deviation
                        .entry(d.other_point_id.clone())
                        .or_default()
                        .push(existing.unwrap_or(self.hot.len() as PointIdx));
                }
                other
            })
            .unwrap_or(u32::MAX);
        let f = config.frozen.as_ref();
        let r = config.rate.as_ref();
        let interruption_window = config.interruption.as_ref().map_or(0, |i| i.window_ms());
        let hot = PointHot {
            last_ts: NONE,
            last_value: f64::NAN,
            watch_since: now_ms,
            first_slot,
            n_slots: n_slots as u16,
            n_limits: config.limits.len() as u8,
            rate: offset(rate),
            deviation: offset(deviation),
            frozen: offset(frozen),
            quality: offset(quality),
            interruption: offset(interruption),
            removed: false,
            group,
            deviation_other,
            heap_gen: 0,
            rate_period: r.map_or(0, |r| r.period_ms.max(1)),
            rate_ref_ts: NONE,
            rate_ref_v: 0.0,
            frozen_window: f.map_or(0, |f| f.window_ms),
            frozen_min: f.map_or(0, |f| f.min_samples),
            frozen_count: 0,
            frozen_tol: f.map_or(0.0, |f| f.tolerance),
            frozen_value: f64::NAN,
            frozen_since: 0,
            interruption_window,
        };
        let idx = match existing {
            Some(idx) => {
                let old = &mut self.hot[idx as usize];
                let was_removed = old.removed;
                let old_group = old.group;
                let mut new = hot;
                // Sample history survives a reconfiguration.
                new.last_ts = old.last_ts;
                new.last_value = old.last_value;
                new.watch_since = old.watch_since;
                new.rate_ref_ts = old.rate_ref_ts;
                new.rate_ref_v = old.rate_ref_v;
                new.frozen_value = old.frozen_value;
                new.frozen_since = old.frozen_since;
                new.frozen_count = old.frozen_count;
                new.heap_gen = old.heap_gen.wrapping_add(1);
                *old = new;
                if was_removed {
                    self.groups[group as usize].points += 1;
                } else if old_group != group {
                    self.groups[old_group as usize].points -= 1;
                    self.groups[group as usize].points += 1;
                }
                self.cold[idx as usize].config = config;
                idx
            }
            None => {
                let idx = self.hot.len() as PointIdx;
                self.hot.push(hot);
                self.cold.push(PointCold {
                    id: point_id.to_string(),
                    config,
                });
                self.point_index.insert(point_id.to_string(), idx);
                self.groups[group as usize].points += 1;
                idx
            }
        };
        self.schedule(idx);
        // Points that compare with this one can now resolve it.
        if let Some(waiting) = self.waiting_deviation.remove(point_id) {
            for w in waiting {
                if let Some(h) = self.hot.get_mut(w as usize) {
                    h.deviation_other = idx;
                }
            }
        }
        idx
    }

    /// (Re)schedules a point's interruption check.
    fn schedule(&mut self, idx: PointIdx) {
        let h = &self.hot[idx as usize];
        if h.removed || h.interruption == NO_SLOT {
            return;
        }
        let since = if h.last_ts == NONE {
            h.watch_since
        } else {
            h.last_ts
        };
        self.deadlines.push(Reverse((
            since
                .saturating_add(h.interruption_window)
                .saturating_add(1),
            idx,
            h.heap_gen,
        )));
    }

    /// Stops evaluating a point (deleted). Its alarms are forgotten.
    pub fn remove_point(&mut self, point_id: &str) {
        let Some(idx) = self.point_index(point_id) else {
            return;
        };
        let h = &mut self.hot[idx as usize];
        h.removed = true;
        h.heap_gen = h.heap_gen.wrapping_add(1);
        let (first, n, group) = (h.first_slot as usize, h.n_slots as usize, h.group);
        for j in first..first + n {
            self.states[j] = None;
        }
        self.shelved
            .retain(|r| !matches!(r, AlarmRef::Point { point, .. } if *point == idx));
        self.live_alarms -= n;
        self.groups[group as usize].points -= 1;
    }

    fn slot_index(&self, r: AlarmRef) -> Option<usize> {
        match r {
            AlarmRef::Point { point, slot } => {
                let h = self.hot.get(point as usize)?;
                (!h.removed && slot < h.n_slots).then_some(h.first_slot as usize + slot as usize)
            }
            AlarmRef::Group { .. } => None,
        }
    }

    /// Restores a stored state (at start-up, before replaying history).
    /// Returns false if no such alarm is configured.
    pub fn restore(&mut self, alarm_id: &str, state: AlarmState) -> bool {
        let Some(r) = self.alarm_ref(alarm_id) else {
            return false;
        };
        if state.shelved_until.is_some() && !self.shelved.contains(&r) {
            self.shelved.push(r);
        }
        self.set_state(r, state);
        true
    }

    fn set_state(&mut self, r: AlarmRef, state: AlarmState) {
        match r {
            AlarmRef::Group { group } => self.groups[group as usize].state = state,
            AlarmRef::Point { .. } => {
                if let Some(j) = self.slot_index(r) {
                    self.slots[j].active = state.active;
                    self.states[j] = if state == NORMAL {
                        None
                    } else {
                        Some(Box::new(state))
                    };
                }
            }
        }
    }

    /// Restores the last sample time of a point (from the historian), so that
    /// an interruption that started before a restart is still detected.
    pub fn restore_last_sample(&mut self, idx: PointIdx, ts_ms: i64) {
        if let Some(p) = self.hot.get_mut(idx as usize) {
            if p.last_ts == NONE || p.last_ts < ts_ms {
                p.last_ts = ts_ms;
            }
            let g = &mut self.groups[p.group as usize];
            if g.last_ts == NONE || g.last_ts < ts_ms {
                g.last_ts = ts_ms;
            }
        }
    }

    /// How far back to replay a point's samples after a restart.
    pub fn replay_window_ms(&self, idx: PointIdx) -> i64 {
        self.cold
            .get(idx as usize)
            .map_or(0, |p| p.config.replay_window_ms())
    }

    pub fn alarm_ref(&self, alarm_id: &str) -> Option<AlarmRef> {
        let (owner, kind, limit) = parse_alarm_id(alarm_id)?;
        if kind == AlarmKind::EnterpriseInterruption {
            return self
                .group_index
                .get(owner)
                .map(|g| AlarmRef::Group { group: *g });
        }
        let point = self.point_index(owner)?;
        let h = &self.hot[point as usize];
        let first = h.first_slot as usize;
        (0..h.n_slots)
            .find(|i| {
                let s = &self.slots[first + *i as usize];
                s.kind == kind && s.limit == limit
            })
            .map(|slot| AlarmRef::Point { point, slot })
    }

    /// What an alarm is (built on demand: ids are not stored per alarm).
    pub fn def(&self, r: AlarmRef) -> AlarmDef {
        match r {
            AlarmRef::Group { group } => {
                let g = &self.groups[group as usize];
                AlarmDef {
                    id: alarm_id(&g.enterprise, AlarmKind::EnterpriseInterruption, None),
                    owner: g.enterprise.clone(),
                    kind: AlarmKind::EnterpriseInterruption,
                    limit: None,
                    priority: self.options.enterprise_interruption_priority,
                }
            }
            AlarmRef::Point { point, slot } => {
                let owner = self.cold[point as usize].id.clone();
                let s = &self.slots[self.hot[point as usize].first_slot as usize + slot as usize];
                AlarmDef {
                    id: alarm_id(&owner, s.kind, s.limit),
                    owner,
                    kind: s.kind,
                    limit: s.limit,
                    priority: s.priority,
                }
            }
        }
    }

    pub fn state(&self, r: AlarmRef) -> &AlarmState {
        match r {
            AlarmRef::Group { group } => &self.groups[group as usize].state,
            AlarmRef::Point { .. } => {
                match self.slot_index(r).and_then(|j| self.states[j].as_deref()) {
                    Some(s) => s,
                    None => &NORMAL,
                }
            }
        }
    }

    fn state_mut(&mut self, r: AlarmRef) -> &mut AlarmState {
        match r {
            AlarmRef::Group { group } => &mut self.groups[group as usize].state,
            AlarmRef::Point { point, slot } => {
                let j = self.hot[point as usize].first_slot as usize + slot as usize;
                self.states[j].get_or_insert_with(|| Box::new(NORMAL))
            }
        }
    }

    /// The point id of a point.
    pub fn point_id(&self, idx: PointIdx) -> Option<&str> {
        self.cold.get(idx as usize).map(|p| p.id.as_str())
    }

    /// The configuration a point runs with.
    pub fn point_config(&self, idx: PointIdx) -> Option<&PointAlarmConfig> {
        self.cold.get(idx as usize).map(|p| &p.config)
    }

    /// Every alarm that is not normal or is shelved/suppressed/out of service.
    pub fn open_alarms(&self) -> impl Iterator<Item = (AlarmRef, AlarmDef, &AlarmState)> {
        let points = self
            .hot
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.removed)
            .flat_map(move |(pi, h)| {
                (0..h.n_slots).filter_map(move |slot| {
                    let st = self.states[h.first_slot as usize + slot as usize].as_deref()?;
                    let r = AlarmRef::Point {
                        point: pi as PointIdx,
                        slot,
                    };
                    Some((r, st))
                })
            });
        let groups = self
            .groups
            .iter()
            .enumerate()
            .map(|(gi, g)| (AlarmRef::Group { group: gi as u32 }, &g.state));
        points
            .chain(groups)
            .filter(|(_, s)| {
                !s.is_normal() || s.shelved_until.is_some() || s.suppressed || s.out_of_service
            })
            .map(|(r, s)| (r, self.def(r), s))
    }

    /// Records a process change of a point's slot `j` and emits it.
    #[inline(never)]
    fn emit(
        &mut self,
        point: PointIdx,
        slot: u16,
        change: Change,
        ts: i64,
        value: Option<f64>,
        out: &mut Vec<Transition>,
    ) {
        let j = self.hot[point as usize].first_slot as usize + slot as usize;
        let latching = self.slots[j].latching;
        let st = self.states[j].get_or_insert_with(|| Box::new(NORMAL));
        apply_process(st, change, ts, value, latching);
        self.slots[j].active = st.active;
        out.push(Transition {
            alarm: AlarmRef::Point { point, slot },
            at_ms: ts,
            change,
            state: (**st).clone(),
        });
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
        let Some(h) = self.hot.get(idx as usize) else {
            return;
        };
        if h.removed || (h.last_ts != NONE && ts <= h.last_ts) || !value.is_finite() {
            return;
        }
        let other = if h.deviation != NO_SLOT {
            self.hot
                .get(h.deviation_other as usize)
                .filter(|o| o.last_ts != NONE)
                .map(|o| (o.last_ts, o.last_value))
        } else {
            None
        };
        let dev_age = self.options.deviation_max_age_ms;
        // Changes are collected as (slot, change, value) and applied after the
        // hot loop, so the loop borrows only the hot data.
        let mut changes: [(u16, Change, Option<f64>); 10] = [(0, Change::Acked, None); 10];
        let mut n = 0usize;
        let mut push = |slot: u16,
                        c: Change,
                        v: Option<f64>,
                        changes: &mut [(u16, Change, Option<f64>); 10]| {
            if n < changes.len() {
                changes[n] = (slot, c, v);
                n += 1;
            }
        };
        let h = &mut self.hot[idx as usize];
        h.last_ts = ts;
        let first = h.first_slot as usize;
        let slots = &mut self.slots[first..first + h.n_slots as usize];
        let mut reschedule = false;
        // Any sample ends a point interruption.
        if h.interruption != NO_SLOT && slots[h.interruption as usize].active {
            push(h.interruption as u16, Change::Cleared, None, &mut changes);
            reschedule = true;
        }
        let good = quality == 0;
        if h.quality != NO_SLOT
            && let Some(c) = debounce(&mut slots[h.quality as usize], !good, good, ts)
        {
            push(h.quality as u16, c, Some(value), &mut changes);
        }
        if good {
            for (i, s) in slots[..h.n_limits as usize].iter_mut().enumerate() {
                let (enter, leave) = if s.high {
                    (value >= s.enter, value < s.leave)
                } else {
                    (value <= s.enter, value > s.leave)
                };
                if let Some(c) = debounce(s, enter, leave, ts) {
                    push(i as u16, c, Some(value), &mut changes);
                }
            }
            if h.rate != NO_SLOT {
                if h.rate_ref_ts == NONE {
                    h.rate_ref_ts = ts;
                    h.rate_ref_v = value;
                } else if ts - h.rate_ref_ts >= h.rate_period {
                    let rate =
                        (value - h.rate_ref_v).abs() / (ts - h.rate_ref_ts) as f64 * 60_000.0;
                    h.rate_ref_ts = ts;
                    h.rate_ref_v = value;
                    let s = &mut slots[h.rate as usize];
                    let max = s.enter;
                    if let Some(c) = debounce(s, rate > max, rate <= max, ts) {
                        push(h.rate as u16, c, Some(value), &mut changes);
                    }
                }
            }
            if h.deviation != NO_SLOT
                && let Some((ot, ov)) = other
                && (ts - ot).abs() <= dev_age
            {
                let s = &mut slots[h.deviation as usize];
                let diff = (value - ov).abs();
                let (enter, leave) = (diff > s.enter, diff < s.leave);
                if let Some(c) = debounce(s, enter, leave, ts) {
                    push(h.deviation as u16, c, Some(value), &mut changes);
                }
            }
            if h.frozen != NO_SLOT {
                if h.frozen_count == 0 || (value - h.frozen_value).abs() > h.frozen_tol {
                    h.frozen_value = value;
                    h.frozen_since = ts;
                    h.frozen_count = 1;
                } else {
                    h.frozen_count = h.frozen_count.saturating_add(1);
                }
                let frozen =
                    ts - h.frozen_since >= h.frozen_window && h.frozen_count >= h.frozen_min;
                if let Some(c) = debounce(&mut slots[h.frozen as usize], frozen, !frozen, ts) {
                    push(h.frozen as u16, c, Some(value), &mut changes);
                }
            }
            h.last_value = value;
        }
        let group = h.group;
        for &(slot, change, v) in &changes[..n] {
            self.emit(idx, slot, change, ts, v, out);
        }
        if reschedule {
            self.schedule(idx);
        }
        let g = &mut self.groups[group as usize];
        if g.last_ts == NONE || g.last_ts < ts {
            g.last_ts = ts;
        }
        if g.state.active {
            apply_process(&mut g.state, Change::Cleared, ts, None, false);
            out.push(Transition {
                alarm: AlarmRef::Group { group },
                at_ms: ts,
                change: Change::Cleared,
                state: g.state.clone(),
            });
        }
    }

    /// Time-driven checks at `now`: data interruptions (per point and per
    /// enterprise) and shelving expiry.
    pub fn tick(&mut self, now_ms: i64, out: &mut Vec<Transition>) {
        while let Some(&Reverse((due, idx, gen_))) = self.deadlines.peek() {
            if due > now_ms {
                break;
            }
            self.deadlines.pop();
            let Some(h) = self.hot.get(idx as usize) else {
                continue;
            };
            if h.heap_gen != gen_ || h.removed || h.interruption == NO_SLOT {
                continue;
            }
            let slot = h.interruption as u16;
            let j = h.first_slot as usize + slot as usize;
            if self.slots[j].active {
                continue; // cleared by the next sample, which reschedules
            }
            let since = if h.last_ts == NONE {
                h.watch_since
            } else {
                h.last_ts
            };
            if now_ms - since > h.interruption_window {
                self.emit(idx, slot, Change::Activated, now_ms, None, out);
            } else {
                self.schedule(idx);
            }
        }
        let window = self.options.enterprise_interruption_ms;
        for (gi, g) in self.groups.iter_mut().enumerate() {
            let since = if g.last_ts == NONE {
                g.watch_since
            } else {
                g.last_ts
            };
            if g.points > 0 && !g.state.active && now_ms - since > window {
                apply_process(&mut g.state, Change::Activated, now_ms, None, false);
                out.push(Transition {
                    alarm: AlarmRef::Group { group: gi as u32 },
                    at_ms: now_ms,
                    change: Change::Activated,
                    state: g.state.clone(),
                });
            }
        }
        let mut i = 0;
        while i < self.shelved.len() {
            let r = self.shelved[i];
            let until = self.state(r).shelved_until;
            match until {
                Some(u) if u <= now_ms => {
                    let st = self.state_mut(r);
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
        let mut st = self.state(r).clone();
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
        self.set_state(r, st.clone());
        Ok(Transition {
            alarm: r,
            at_ms: now_ms,
            change,
            state: st,
        })
    }

    /// Sets suppression by design on every alarm of a point (unit shut down,
    /// a permit covering the point). Returns the transitions.
    pub fn suppress_point(&mut self, point_id: &str, on: bool, now_ms: i64) -> Vec<Transition> {
        let Some(idx) = self.point_index(point_id) else {
            return Vec::new();
        };
        let n = self.hot[idx as usize].n_slots;
        let ids: Vec<String> = (0..n)
            .map(|slot| self.def(AlarmRef::Point { point: idx, slot }).id)
            .collect();
        ids.iter()
            .filter_map(|id| self.command(id, Command::Suppress(on), now_ms).ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alarm_ids_round_trip() {
        for (owner, kind, limit) in [
            ("0192-ab", AlarmKind::Limit, Some(LimitName::HH)),
            ("p:with:colons", AlarmKind::Limit, Some(LimitName::L)),
            ("p", AlarmKind::Interruption, None),
            ("e1", AlarmKind::EnterpriseInterruption, None),
            ("x", AlarmKind::RateOfChange, None),
        ] {
            let id = alarm_id(owner, kind, limit);
            assert_eq!(parse_alarm_id(&id), Some((owner, kind, limit)), "{id}");
        }
        assert_eq!(parse_alarm_id("nocolon"), None);
        assert_eq!(parse_alarm_id("p:limit:XX"), None);
        assert_eq!(parse_alarm_id("p:frozen:HH"), None);
    }

    #[test]
    fn the_hot_structures_stay_small() {
        assert!(
            std::mem::size_of::<Slot>() <= 64,
            "{}",
            std::mem::size_of::<Slot>()
        );
        assert!(
            std::mem::size_of::<PointHot>() <= 192,
            "{}",
            std::mem::size_of::<PointHot>()
        );
    }
}
