//! Inspection schedule: every cycle unit across month ends, Feb 28/29 (2024, 2023, 2100,
//! 2000), year end; suspensions; bounds; window evaluation; and property tests of the
//! window invariants, cross-checked against chrono with a fixed +08:00 offset.

use chrono::{Datelike, FixedOffset, NaiveDate, TimeZone, Timelike};
use proptest::prelude::*;
use weihua_prevention::calendar::{DAY_MS, HOUR_MS, china_time_ms, local_date_time};
use weihua_prevention::codes::{CheckCycleUnit as U, CheckStatus};
use weihua_prevention::schedule::{
    Cycle, DueWindow, InspectionRecord, Interval, ScheduleConfig, ScheduleError, ShiftPattern,
    TaskSchedule, WindowState, due_windows, evaluate_window, evaluate_windows,
};

fn t(y: i64, m: u32, d: u32, h: u32, mi: u32) -> i64 {
    china_time_ms(y, m, d, h, mi).expect("valid test date")
}

fn fmt(ms: i64) -> String {
    let l = local_date_time(ms);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        l.year, l.month, l.day, l.hour, l.minute
    )
}

fn task(value: f64, unit: U, anchor: i64) -> TaskSchedule {
    TaskSchedule::new(Cycle::new(value, unit), anchor)
}

fn windows(task: &TaskSchedule, from: i64, to: i64) -> Vec<DueWindow> {
    due_windows(task, from, to, &ScheduleConfig::default()).expect("windows")
}

fn starts(ws: &[DueWindow]) -> Vec<String> {
    ws.iter().map(|w| fmt(w.start_ms)).collect()
}

fn spans(ws: &[DueWindow]) -> Vec<(String, String)> {
    ws.iter()
        .map(|w| (fmt(w.start_ms), fmt(w.end_ms)))
        .collect()
}

fn assert_contiguous(ws: &[DueWindow], from: i64, to: i64) {
    assert!(!ws.is_empty());
    assert!(
        ws[0].start_ms <= from,
        "first window starts at or before from"
    );
    assert!(
        ws[ws.len() - 1].end_ms >= to,
        "last window ends at or after to"
    );
    for w in ws.windows(2) {
        assert_eq!(w[0].end_ms, w[1].start_ms, "no gap, no overlap");
        assert_eq!(w[0].seq + 1, w[1].seq);
    }
    for w in ws {
        assert!(w.start_ms < w.end_ms);
        assert!(
            w.start_ms < to && w.end_ms > from,
            "each window overlaps the range"
        );
    }
}

// ---------------------------------------------------------------- hours

#[test]
fn every_2_hours_is_anchored_at_local_midnight() {
    let from = t(2024, 3, 1, 0, 0);
    let ws = windows(
        &task(2.0, U::Hour, t(2024, 1, 1, 7, 13)),
        from,
        from + DAY_MS,
    );
    assert_eq!(ws.len(), 12);
    assert_eq!(ws[0].start_ms, from);
    assert_eq!(fmt(ws[0].end_ms), "2024-03-01 02:00");
    assert_eq!(fmt(ws[11].start_ms), "2024-03-01 22:00");
    assert_eq!(fmt(ws[11].end_ms), "2024-03-02 00:00");
    assert_contiguous(&ws, from, from + DAY_MS);
    // Local midnight is 16:00 UTC the day before.
    assert_eq!(from.rem_euclid(DAY_MS), 16 * HOUR_MS);
}

#[test]
fn every_half_hour_and_every_hour() {
    let from = t(2024, 2, 29, 0, 0);
    let ws = windows(&task(0.5, U::Hour, from), from, from + DAY_MS);
    assert_eq!(ws.len(), 48);
    assert!(ws.iter().all(|w| w.end_ms - w.start_ms == HOUR_MS / 2));
    let ws = windows(
        &task(1.0, U::Hour, from),
        from + 90 * 60_000,
        from + 3 * HOUR_MS,
    );
    assert_eq!(starts(&ws), ["2024-02-29 01:00", "2024-02-29 02:00"]);
}

#[test]
fn hours_not_dividing_a_day_restart_at_midnight() {
    let from = t(2023, 12, 31, 0, 0);
    let ws = windows(&task(5.0, U::Hour, from), from, from + 2 * DAY_MS);
    assert_eq!(
        spans(&ws)[..6],
        [
            ("2023-12-31 00:00".into(), "2023-12-31 05:00".into()),
            ("2023-12-31 05:00".into(), "2023-12-31 10:00".into()),
            ("2023-12-31 10:00".into(), "2023-12-31 15:00".into()),
            ("2023-12-31 15:00".into(), "2023-12-31 20:00".into()),
            ("2023-12-31 20:00".into(), "2024-01-01 00:00".into()),
            ("2024-01-01 00:00".into(), "2024-01-01 05:00".into()),
        ]
    );
    assert_eq!(ws.len(), 10);
    assert_contiguous(&ws, from, from + 2 * DAY_MS);
}

#[test]
fn hours_over_a_day_run_back_to_back_from_the_anchor_day() {
    // 48 h anchored on 2024-02-28 10:00 → windows from 2024-02-28 00:00: Feb 28, Mar 1, Mar 3.
    let anchor = t(2024, 2, 28, 10, 0);
    let ws = windows(&task(48.0, U::Hour, anchor), anchor, t(2024, 3, 4, 0, 0));
    assert_eq!(
        starts(&ws),
        ["2024-02-28 00:00", "2024-03-01 00:00", "2024-03-03 00:00"]
    );
    // 2023 is not a leap year: Feb 28, Mar 2.
    let anchor = t(2023, 2, 28, 10, 0);
    let ws = windows(&task(48.0, U::Hour, anchor), anchor, t(2023, 3, 3, 0, 0));
    assert_eq!(starts(&ws), ["2023-02-28 00:00", "2023-03-02 00:00"]);
    // 36 h drifts across midnight.
    let ws = windows(&task(36.0, U::Hour, anchor), anchor, t(2023, 3, 3, 0, 0));
    assert_eq!(starts(&ws), ["2023-02-28 00:00", "2023-03-01 12:00"]);
    assert_eq!(fmt(ws[1].end_ms), "2023-03-03 00:00");
}

// ---------------------------------------------------------------- days

#[test]
fn days_across_february_in_leap_and_common_years() {
    for (year, expected) in [
        (2024, vec!["02-27", "02-28", "02-29", "03-01"]),
        (2023, vec!["02-27", "02-28", "03-01", "03-02"]),
        (2100, vec!["02-27", "02-28", "03-01", "03-02"]),
        (2000, vec!["02-27", "02-28", "02-29", "03-01"]),
    ] {
        let from = t(year, 2, 27, 0, 0);
        let ws = windows(&task(1.0, U::Day, from), from, from + 4 * DAY_MS);
        let got: Vec<String> = ws
            .iter()
            .map(|w| fmt(w.start_ms)[5..10].to_string())
            .collect();
        assert_eq!(got, expected, "{year}");
        assert!(ws.iter().all(|w| w.end_ms - w.start_ms == DAY_MS));
        assert_contiguous(&ws, from, from + 4 * DAY_MS);
    }
}

#[test]
fn every_2_days_counts_from_the_anchor_day() {
    let anchor = t(2024, 12, 30, 15, 0);
    let ws = windows(
        &task(2.0, U::Day, anchor),
        t(2024, 12, 29, 12, 0),
        t(2025, 1, 3, 0, 0),
    );
    assert_eq!(
        starts(&ws),
        ["2024-12-28 00:00", "2024-12-30 00:00", "2025-01-01 00:00",]
    );
    assert_eq!(ws[1].seq, 0);
    assert_eq!(ws[0].seq, -1);
}

#[test]
fn day_window_of_new_year_in_utc() {
    let from = t(2024, 1, 1, 0, 0);
    let ws = windows(&task(1.0, U::Day, from), from, from + 1);
    assert_eq!(ws.len(), 1);
    // 2024-01-01T00:00+08:00 = 2023-12-31T16:00Z
    assert_eq!(ws[0].start_ms, 1_704_038_400_000);
}

// ---------------------------------------------------------------- weeks

#[test]
fn weeks_start_on_monday_across_year_end() {
    // 2024-12-30 is a Monday; the week runs into 2025.
    let from = t(2024, 12, 25, 0, 0);
    let ws = windows(&task(1.0, U::Week, from), from, t(2025, 1, 8, 0, 0));
    assert_eq!(
        spans(&ws),
        [
            ("2024-12-23 00:00".into(), "2024-12-30 00:00".into()),
            ("2024-12-30 00:00".into(), "2025-01-06 00:00".into()),
            ("2025-01-06 00:00".into(), "2025-01-13 00:00".into()),
        ]
    );
    for w in &ws {
        assert_eq!(local_date_time(w.start_ms).weekday, 1);
    }
    // Every 2 weeks from the anchor's week (anchor on a Sunday belongs to the week before).
    let anchor = t(2024, 3, 3, 23, 59); // Sunday
    let ws = windows(&task(2.0, U::Week, anchor), anchor, anchor + 30 * DAY_MS);
    assert_eq!(
        starts(&ws),
        ["2024-02-26 00:00", "2024-03-11 00:00", "2024-03-25 00:00"]
    );
}

// ---------------------------------------------------------------- months

fn month_lengths(year: i64) -> Vec<i64> {
    let from = t(year, 1, 1, 0, 0);
    let ws = windows(&task(1.0, U::Month, from), from, t(year + 1, 1, 1, 0, 0));
    assert_eq!(ws.len(), 12);
    assert_contiguous(&ws, from, t(year + 1, 1, 1, 0, 0));
    for (i, w) in ws.iter().enumerate() {
        let l = local_date_time(w.start_ms);
        assert_eq!((l.month, l.day, l.hour), (i as u32 + 1, 1, 0));
    }
    ws.iter()
        .map(|w| (w.end_ms - w.start_ms) / DAY_MS)
        .collect()
}

#[test]
fn months_have_28_to_31_days() {
    let common = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let leap = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    assert_eq!(month_lengths(2024), leap);
    assert_eq!(month_lengths(2023), common);
    assert_eq!(month_lengths(2100), common);
    assert_eq!(month_lengths(2000), leap);
}

#[test]
fn month_window_contains_month_end_instants() {
    let task = task(1.0, U::Month, t(2024, 1, 31, 0, 0));
    // The last minute of Feb 29 2024 and of Feb 28 2023.
    for (at, start, end) in [
        (
            t(2024, 2, 29, 23, 59),
            "2024-02-01 00:00",
            "2024-03-01 00:00",
        ),
        (
            t(2023, 2, 28, 23, 59),
            "2023-02-01 00:00",
            "2023-03-01 00:00",
        ),
        (
            t(2024, 12, 31, 23, 59),
            "2024-12-01 00:00",
            "2025-01-01 00:00",
        ),
        (
            t(2024, 4, 30, 12, 0),
            "2024-04-01 00:00",
            "2024-05-01 00:00",
        ),
    ] {
        let ws = windows(&task, at, at + 1);
        assert_eq!(spans(&ws), [(start.to_string(), end.to_string())]);
    }
}

#[test]
fn every_2_months_from_a_january_anchor_crosses_the_year() {
    let anchor = t(2024, 1, 31, 12, 0);
    let ws = windows(
        &task(2.0, U::Month, anchor),
        t(2024, 10, 15, 0, 0),
        t(2025, 3, 2, 0, 0),
    );
    assert_eq!(
        starts(&ws),
        [
            "2024-09-01 00:00",
            "2024-11-01 00:00",
            "2025-01-01 00:00",
            "2025-03-01 00:00"
        ]
    );
}

// ------------------------------------------------- quarters, half years, years

#[test]
fn quarters_start_in_january_april_july_october() {
    let from = t(2024, 1, 1, 0, 0);
    let ws = windows(&task(1.0, U::Quarter, from), from, t(2025, 1, 1, 0, 0));
    assert_eq!(
        starts(&ws),
        [
            "2024-01-01 00:00",
            "2024-04-01 00:00",
            "2024-07-01 00:00",
            "2024-10-01 00:00"
        ]
    );
    let days: Vec<i64> = ws
        .iter()
        .map(|w| (w.end_ms - w.start_ms) / DAY_MS)
        .collect();
    assert_eq!(days, [91, 91, 92, 92]);
    let ws = windows(
        &task(1.0, U::Quarter, from),
        t(2023, 2, 15, 0, 0),
        t(2023, 2, 16, 0, 0),
    );
    assert_eq!((ws[0].end_ms - ws[0].start_ms) / DAY_MS, 90);
    // A query on the last minute of the year.
    let ws = windows(
        &task(1.0, U::Quarter, from),
        t(2024, 12, 31, 23, 59),
        t(2025, 1, 1, 0, 0),
    );
    assert_eq!(starts(&ws), ["2024-10-01 00:00"]);
}

#[test]
fn half_years_start_in_january_and_july() {
    let from = t(2100, 1, 1, 0, 0);
    let ws = windows(
        &task(1.0, U::HalfYear, from),
        t(2099, 12, 31, 0, 0),
        t(2100, 7, 2, 0, 0),
    );
    assert_eq!(
        starts(&ws),
        ["2099-07-01 00:00", "2100-01-01 00:00", "2100-07-01 00:00"]
    );
    assert_eq!((ws[1].end_ms - ws[1].start_ms) / DAY_MS, 181); // 2100 is not leap
    let ws = windows(
        &task(1.0, U::HalfYear, from),
        t(2000, 3, 1, 0, 0),
        t(2000, 3, 2, 0, 0),
    );
    assert_eq!((ws[0].end_ms - ws[0].start_ms) / DAY_MS, 182); // 2000 is leap
}

#[test]
fn years_and_multi_year_cycles() {
    for (y, days) in [(2024, 366), (2023, 365), (2100, 365), (2000, 366)] {
        let from = t(y, 6, 1, 0, 0);
        let ws = windows(&task(1.0, U::Year, from), from, from + 1);
        assert_eq!(spans(&ws)[0].0, format!("{y}-01-01 00:00"));
        assert_eq!((ws[0].end_ms - ws[0].start_ms) / DAY_MS, days);
    }
    // HAZOP every 3 years, anchored in 2023.
    let anchor = t(2023, 5, 1, 0, 0);
    let ws = windows(
        &task(3.0, U::Year, anchor),
        t(2020, 1, 1, 0, 0),
        t(2030, 1, 1, 0, 0),
    );
    assert_eq!(
        starts(&ws),
        [
            "2020-01-01 00:00",
            "2023-01-01 00:00",
            "2026-01-01 00:00",
            "2029-01-01 00:00"
        ]
    );
    assert_eq!(fmt(ws[3].end_ms), "2032-01-01 00:00");
}

// ---------------------------------------------------------------- shifts

#[test]
fn default_three_shifts() {
    let from = t(2024, 2, 29, 0, 0);
    let ws = windows(&task(1.0, U::Shift, from), from, from + DAY_MS);
    assert_eq!(
        spans(&ws),
        [
            ("2024-02-29 00:00".into(), "2024-02-29 08:00".into()),
            ("2024-02-29 08:00".into(), "2024-02-29 16:00".into()),
            ("2024-02-29 16:00".into(), "2024-03-01 00:00".into()),
        ]
    );
}

#[test]
fn two_shift_pattern_wraps_midnight() {
    let config = ScheduleConfig {
        shifts: ShiftPattern {
            start_minutes: vec![8 * 60, 20 * 60],
        },
        ..ScheduleConfig::default()
    };
    let at = t(2024, 12, 31, 3, 0);
    let tk = task(1.0, U::Shift, at);
    let ws = due_windows(&tk, at, t(2025, 1, 1, 9, 0), &config).unwrap();
    assert_eq!(
        spans(&ws),
        [
            ("2024-12-30 20:00".into(), "2024-12-31 08:00".into()),
            ("2024-12-31 08:00".into(), "2024-12-31 20:00".into()),
            ("2024-12-31 20:00".into(), "2025-01-01 08:00".into()),
            ("2025-01-01 08:00".into(), "2025-01-01 20:00".into()),
        ]
    );
    // Every 2 shifts, counted from the anchor's shift (the night shift of Dec 30).
    let tk = task(2.0, U::Shift, at);
    let ws = due_windows(&tk, at, t(2025, 1, 1, 9, 0), &config).unwrap();
    assert_eq!(
        spans(&ws),
        [
            ("2024-12-30 20:00".into(), "2024-12-31 20:00".into()),
            ("2024-12-31 20:00".into(), "2025-01-01 20:00".into()),
        ]
    );
}

#[test]
fn invalid_shift_patterns_are_refused() {
    for starts in [vec![], vec![480, 480], vec![960, 480], vec![1440]] {
        let config = ScheduleConfig {
            shifts: ShiftPattern {
                start_minutes: starts,
            },
            ..ScheduleConfig::default()
        };
        let e = due_windows(&task(1.0, U::Shift, 0), 0, 1, &config).unwrap_err();
        assert_eq!(e.code(), "invalid_setting");
    }
}

// ------------------------------------------------ active period and suspensions

#[test]
fn suspended_windows_are_not_due_and_partial_ones_are_flagged() {
    let from = t(2024, 6, 1, 0, 0);
    let mut tk = task(1.0, U::Day, from);
    tk.suspensions = vec![
        // Unit stopped for maintenance 2024-06-02 00:00 … 2024-06-04 00:00 (two whole days),
        // split into two overlapping records.
        Interval {
            start_ms: t(2024, 6, 2, 0, 0),
            end_ms: t(2024, 6, 3, 12, 0),
        },
        Interval {
            start_ms: t(2024, 6, 3, 6, 0),
            end_ms: t(2024, 6, 4, 0, 0),
        },
        // And 2024-06-05 10:00 … 14:00 (part of a day).
        Interval {
            start_ms: t(2024, 6, 5, 10, 0),
            end_ms: t(2024, 6, 5, 14, 0),
        },
    ];
    let ws = windows(&tk, from, from + 6 * DAY_MS);
    assert_eq!(
        starts(&ws),
        [
            "2024-06-01 00:00",
            "2024-06-04 00:00",
            "2024-06-05 00:00",
            "2024-06-06 00:00"
        ]
    );
    let partial: Vec<bool> = ws.iter().map(|w| w.partially_suspended).collect();
    assert_eq!(partial, [false, false, true, false]);
    // Windows are still numbered on the grid.
    assert_eq!(ws[1].seq, 3);
}

#[test]
fn active_period_limits_due_windows() {
    let mut tk = task(1.0, U::Day, t(2024, 6, 1, 0, 0));
    tk.active_from_ms = Some(t(2024, 6, 2, 9, 30));
    tk.active_until_ms = Some(t(2024, 6, 4, 0, 0));
    let ws = windows(&tk, t(2024, 6, 1, 0, 0), t(2024, 6, 10, 0, 0));
    assert_eq!(starts(&ws), ["2024-06-02 00:00", "2024-06-03 00:00"]);
    assert!(ws[0].partially_suspended, "activated mid-day");
    assert!(!ws[1].partially_suspended);
    // A range entirely before activation has no windows.
    assert!(windows(&tk, t(2024, 5, 1, 0, 0), t(2024, 6, 1, 0, 0)).is_empty());
    // Inverted active period is refused.
    tk.active_until_ms = tk.active_from_ms;
    assert_eq!(
        due_windows(&tk, 0, 1, &ScheduleConfig::default())
            .unwrap_err()
            .code(),
        "invalid_setting"
    );
}

// ---------------------------------------------------------------- bounds and errors

#[test]
fn too_many_windows_is_refused_before_allocating() {
    let tk = task(0.5, U::Hour, 0);
    let e = due_windows(
        &tk,
        t(2000, 1, 1, 0, 0),
        t(2010, 1, 1, 0, 0),
        &ScheduleConfig::default(),
    )
    .unwrap_err();
    match &e {
        ScheduleError::TooManyWindows { count, max } => {
            assert_eq!(*max, 100_000);
            assert_eq!(*count, 3653 * 48);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(e.to_string().contains("超过上限"));
    assert!(e.en().contains("narrow the range"));
    // Exactly at the limit is fine.
    let config = ScheduleConfig {
        max_windows: 48,
        ..ScheduleConfig::default()
    };
    let from = t(2024, 1, 1, 0, 0);
    assert_eq!(
        due_windows(&tk, from, from + DAY_MS, &config)
            .unwrap()
            .len(),
        48
    );
    assert!(due_windows(&tk, from, from + DAY_MS + 1, &config).is_err());
    let config = ScheduleConfig {
        max_windows: 0,
        ..ScheduleConfig::default()
    };
    assert!(due_windows(&tk, from, from + 1, &config).is_err());
}

#[test]
fn invalid_cycles_are_refused() {
    for (v, u) in [
        (0.0, U::Day),
        (-1.0, U::Hour),
        (f64::NAN, U::Month),
        (f64::INFINITY, U::Year),
        (1.5, U::Day),
        (0.001, U::Hour),     // 3.6 s < 1 min
        (0.0001234, U::Hour), // not whole seconds
        (1_001.0, U::Year),
        (100_000.0, U::Hour),
    ] {
        let e = Cycle::new(v, u).validate().unwrap_err();
        assert_eq!(e.code(), "invalid_cycle", "{v} {u:?}");
        assert!(!e.zh().is_empty() && !e.en().is_empty());
    }
    assert!(Cycle::from_interface(2.0, "小时").is_ok());
    assert!(Cycle::from_interface(1.0, "天").is_ok());
    assert!(Cycle::from_interface(0.25, "小时").is_ok());
    assert_eq!(
        Cycle::from_interface(1.0, "fortnight").unwrap_err().code(),
        "invalid_cycle"
    );
    assert!(Cycle::from_interface(0.5, "天").is_err());
}

#[test]
fn bad_ranges_and_instants_are_refused() {
    let tk = task(1.0, U::Day, 0);
    let c = ScheduleConfig::default();
    assert_eq!(
        due_windows(&tk, 5, 5, &c).unwrap_err().code(),
        "invalid_range"
    );
    assert_eq!(
        due_windows(&tk, 6, 5, &c).unwrap_err().code(),
        "invalid_range"
    );
    assert_eq!(
        due_windows(&tk, i64::MIN, 5, &c).unwrap_err().code(),
        "instant_out_of_range"
    );
    assert_eq!(
        due_windows(&tk, 0, i64::MAX, &c).unwrap_err().code(),
        "instant_out_of_range"
    );
    let mut tk2 = tk.clone();
    tk2.required_count = 0;
    assert_eq!(
        due_windows(&tk2, 0, 1, &c).unwrap_err().code(),
        "invalid_setting"
    );
    let mut tk3 = tk.clone();
    tk3.suspensions = vec![Interval {
        start_ms: 10,
        end_ms: 10,
    }];
    assert_eq!(
        due_windows(&tk3, 0, 1, &c).unwrap_err().code(),
        "invalid_setting"
    );
}

#[test]
fn extreme_dates_work() {
    let c = ScheduleConfig::default();
    let lo = weihua_prevention::calendar::MIN_INSTANT_MS;
    let hi = weihua_prevention::calendar::MAX_INSTANT_MS;
    for u in [
        U::Day,
        U::Week,
        U::Month,
        U::Quarter,
        U::HalfYear,
        U::Year,
        U::Shift,
    ] {
        let ws = due_windows(&task(1.0, u, hi), hi - 1, hi, &c).unwrap();
        assert_eq!(ws.len(), 1);
        let ws = due_windows(&task(1.0, u, lo), lo, lo + 1, &c).unwrap();
        assert_eq!(ws.len(), 1);
    }
}

#[test]
fn task_json_uses_interface_semantics() {
    let json = r#"{"cycle":{"value":2,"unit":"hour"},"required_count":1,"anchor_ms":0}"#;
    let tk: TaskSchedule = serde_json::from_str(json).unwrap();
    assert_eq!(tk.cycle.unit, U::Hour);
    assert!(tk.suspensions.is_empty());
    let json = r#"{"cycle":{"value":1,"unit":"half_year"},"anchor_ms":0}"#;
    let tk: TaskSchedule = serde_json::from_str(json).unwrap();
    assert_eq!(tk.required_count, 1);
    assert_eq!(tk.cycle.unit, U::HalfYear);
    let c: ScheduleConfig = serde_json::from_str("{}").unwrap();
    assert_eq!(c, ScheduleConfig::default());
}

// ---------------------------------------------------------------- evaluation

fn rec(at: i64, s: CheckStatus) -> InspectionRecord {
    InspectionRecord {
        check_time_ms: at,
        check_status: s,
    }
}

#[test]
fn evaluate_two_per_day() {
    let day = t(2024, 2, 29, 0, 0);
    let mut tk = task(1.0, U::Day, day);
    tk.required_count = 2;
    let w = windows(&tk, day, day + 1)[0];
    let r1 = rec(t(2024, 2, 29, 9, 0), CheckStatus::Normal);
    let r2 = rec(t(2024, 2, 29, 15, 0), CheckStatus::DangerFound);
    let late = rec(t(2024, 3, 1, 0, 0), CheckStatus::Normal); // at the end: next window
    let not_done = rec(t(2024, 2, 29, 16, 0), CheckStatus::NotInspected);
    let early = rec(day - 1, CheckStatus::Normal);

    let s = evaluate_window(&w, &[], day - 1);
    assert_eq!(s.state, WindowState::Upcoming);
    let s = evaluate_window(&w, &[r1], t(2024, 2, 29, 12, 0));
    assert_eq!((s.state, s.done, s.required), (WindowState::Pending, 1, 2));
    assert_eq!(s.check_status(), None);
    let s = evaluate_window(&w, &[r1, late, not_done, early], w.end_ms);
    assert_eq!((s.state, s.done), (WindowState::Missed, 1));
    assert_eq!(s.check_status(), Some(CheckStatus::NotInspected));
    assert_eq!(s.check_status().map(|c| c.code()), Some(2));
    let s = evaluate_window(&w, &[r2, r1], t(2024, 2, 29, 16, 0));
    assert_eq!((s.state, s.done), (WindowState::Done, 2));
    // A record exactly at the start counts.
    let s = evaluate_window(&w, &[rec(day, CheckStatus::Other), r1], w.end_ms + 5);
    assert_eq!(s.state, WindowState::Done);
}

#[test]
fn batch_evaluation_matches_single() {
    let from = t(2024, 1, 1, 0, 0);
    let tk = task(2.0, U::Hour, from);
    let ws = windows(&tk, from, from + 2 * DAY_MS);
    let records: Vec<InspectionRecord> = (0..200)
        .map(|i| {
            rec(
                from + (i * 977_777) % (2 * DAY_MS),
                CheckStatus::ALL[(i % 4) as usize],
            )
        })
        .collect();
    let now = from + DAY_MS + 5 * HOUR_MS;
    let batch = evaluate_windows(&ws, &records, now);
    for (w, b) in ws.iter().zip(&batch) {
        assert_eq!(*b, evaluate_window(w, &records, now));
    }
}

// ---------------------------------------------------------------- properties

fn unit_strategy() -> impl Strategy<Value = U> {
    prop::sample::select(vec![
        U::Hour,
        U::Shift,
        U::Day,
        U::Week,
        U::Month,
        U::Quarter,
        U::HalfYear,
        U::Year,
    ])
}

/// Cycle values that are valid for the unit.
fn cycle_strategy() -> impl Strategy<Value = Cycle> {
    unit_strategy().prop_flat_map(|u| {
        let v: BoxedStrategy<f64> = match u {
            U::Hour => prop_oneof![
                prop::sample::select(vec![
                    0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 7.5, 8.0, 24.0, 36.0, 168.0
                ]),
                (1u32..2000).prop_map(|m| f64::from(m) / 60.0),
            ]
            .boxed(),
            U::Shift | U::Day => (1u32..=10).prop_map(f64::from).boxed(),
            U::Week | U::Month => (1u32..=6).prop_map(f64::from).boxed(),
            _ => (1u32..=5).prop_map(f64::from).boxed(),
        };
        v.prop_map(move |v| Cycle::new(v, u))
    })
}

const Y1950: i64 = -631_152_000_000;
const Y2150: i64 = 5_680_281_600_000;

fn fixed() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("offset")
}

/// The local calendar boundary check of a window start, via chrono.
fn aligned(unit: U, start_ms: i64) -> bool {
    let dt = fixed()
        .timestamp_millis_opt(start_ms)
        .single()
        .expect("in range");
    let midnight = dt.hour() == 0 && dt.minute() == 0 && dt.second() == 0;
    match unit {
        U::Hour | U::Shift => true,
        U::Day => midnight,
        U::Week => midnight && dt.weekday() == chrono::Weekday::Mon,
        U::Month => midnight && dt.day() == 1,
        U::Quarter => midnight && dt.day() == 1 && [1, 4, 7, 10].contains(&dt.month()),
        U::HalfYear => midnight && dt.day() == 1 && [1, 7].contains(&dt.month()),
        U::Year => midnight && dt.day() == 1 && dt.month() == 1,
    }
}

/// The chrono start of the next calendar period after a local date (N = 1).
fn next_boundary(unit: U, start_ms: i64) -> Option<i64> {
    let dt = fixed().timestamp_millis_opt(start_ms).single()?;
    let d = dt.date_naive();
    let months = match unit {
        U::Month => 1,
        U::Quarter => 3,
        U::HalfYear => 6,
        U::Year => 12,
        U::Day => return Some(start_ms + DAY_MS),
        U::Week => return Some(start_ms + 7 * DAY_MS),
        _ => return None,
    };
    let total = d.year() * 12 + d.month0() as i32 + months;
    let nd = NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)?;
    let ndt = nd.and_hms_opt(0, 0, 0)?;
    Some(
        fixed()
            .from_local_datetime(&ndt)
            .single()?
            .timestamp_millis(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn windows_are_contiguous_and_cover_the_range(
        cycle in cycle_strategy(),
        anchor in Y1950..Y2150,
        from in Y1950..Y2150,
        span in 1i64..(400 * DAY_MS),
    ) {
        let to = from + span;
        let tk = TaskSchedule::new(cycle, anchor);
        match due_windows(&tk, from, to, &ScheduleConfig::default()) {
            Err(ScheduleError::TooManyWindows { count, max }) => prop_assert!(count > max),
            Err(e) => prop_assert!(false, "unexpected error {e}"),
            Ok(ws) => {
                prop_assert!(!ws.is_empty());
                prop_assert!(ws[0].start_ms <= from);
                prop_assert!(ws[ws.len() - 1].end_ms >= to);
                for w in ws.windows(2) {
                    prop_assert_eq!(w[0].end_ms, w[1].start_ms);
                    prop_assert_eq!(w[0].seq + 1, w[1].seq);
                }
                for w in &ws {
                    prop_assert!(w.start_ms < w.end_ms);
                    prop_assert!(w.start_ms < to && w.end_ms > from);
                    prop_assert!(aligned(cycle.unit, w.start_ms), "{:?} {}", cycle.unit, fmt(w.start_ms));
                    prop_assert!(!w.partially_suspended);
                    if cycle.value == 1.0 && let Some(next) = next_boundary(cycle.unit, w.start_ms) {
                        prop_assert_eq!(w.end_ms, next, "{:?} {}", cycle.unit, fmt(w.start_ms));
                    }
                }
                // The anchor's window is number 0 and contains the anchor.
                if let Ok(aw) = due_windows(&tk, anchor, anchor + 1, &ScheduleConfig::default()) {
                    prop_assert_eq!(aw.len(), 1);
                    prop_assert_eq!(aw[0].seq, 0);
                    prop_assert!(aw[0].start_ms <= anchor && anchor < aw[0].end_ms);
                }
            }
        }
    }

    #[test]
    fn hour_windows_never_cross_local_midnight_up_to_a_day(
        minutes in 1u32..=1440,
        from in Y1950..Y2150,
        span in 1i64..(3 * DAY_MS),
    ) {
        let tk = TaskSchedule::new(Cycle::new(f64::from(minutes) / 60.0, U::Hour), 0);
        let ws = due_windows(&tk, from, from + span, &ScheduleConfig::default()).unwrap();
        for w in &ws {
            let local_start = (w.start_ms + 8 * HOUR_MS).div_euclid(DAY_MS);
            let local_end = (w.end_ms - 1 + 8 * HOUR_MS).div_euclid(DAY_MS);
            prop_assert_eq!(local_start, local_end);
            prop_assert!(w.end_ms - w.start_ms <= i64::from(minutes) * 60_000);
        }
    }

    #[test]
    fn suspensions_only_remove_whole_windows(
        cycle in cycle_strategy(),
        from in Y1950..Y2150,
        span in 1i64..(60 * DAY_MS),
        susp in prop::collection::vec((0i64..(60 * DAY_MS), 1i64..(10 * DAY_MS)), 0..6),
    ) {
        let to = from + span;
        let mut tk = TaskSchedule::new(cycle, from);
        let plain = match due_windows(&tk, from, to, &ScheduleConfig::default()) {
            Ok(ws) => ws,
            Err(_) => return Ok(()),
        };
        tk.suspensions = susp.iter().map(|(s, l)| Interval { start_ms: from + s, end_ms: from + s + l }).collect();
        let ws = due_windows(&tk, from, to, &ScheduleConfig::default()).unwrap();
        let covered = |s: i64, e: i64| {
            // Is [s, e) inside the union? Walk minute-free: check by merging.
            let mut iv: Vec<(i64, i64)> = tk.suspensions.iter().map(|i| (i.start_ms, i.end_ms)).collect();
            iv.sort();
            let mut reach = s;
            for (a, b) in iv {
                if a <= reach && b > reach { reach = b; }
            }
            reach >= e
        };
        let mut j = 0;
        for p in &plain {
            if covered(p.start_ms, p.end_ms) {
                prop_assert!(ws.get(j).is_none_or(|w| w.seq != p.seq));
            } else {
                let w = ws.get(j).copied();
                prop_assert_eq!(w.map(|w| (w.seq, w.start_ms, w.end_ms)), Some((p.seq, p.start_ms, p.end_ms)));
                let touched = tk.suspensions.iter().any(|i| i.start_ms < p.end_ms && i.end_ms > p.start_ms);
                prop_assert_eq!(w.map(|w| w.partially_suspended), Some(touched));
                j += 1;
            }
        }
        prop_assert_eq!(j, ws.len());
    }

    #[test]
    fn due_windows_never_panics(
        value in prop_oneof![any::<f64>(), -5.0f64..5000.0, (0u32..100).prop_map(f64::from)],
        unit in unit_strategy(),
        anchor in any::<i64>(),
        from in prop_oneof![any::<i64>(), Y1950..Y2150],
        span in prop_oneof![any::<i64>(), 0i64..(2000 * DAY_MS)],
        active in prop::option::of(any::<i64>()),
        required in any::<u32>(),
    ) {
        let mut tk = TaskSchedule::new(Cycle::new(value, unit), anchor);
        tk.required_count = required;
        tk.active_until_ms = active;
        let config = ScheduleConfig { max_windows: 2_000, ..ScheduleConfig::default() };
        let to = from.saturating_add(span);
        if let Ok(ws) = due_windows(&tk, from, to, &config) {
            prop_assert!(ws.len() <= 2_000);
            let _ = evaluate_windows(&ws, &[], from);
        }
    }
}

#[test]
fn local_date_time_matches_chrono() {
    let mut ms = Y1950;
    while ms < Y2150 {
        let l = local_date_time(ms);
        let c = fixed().timestamp_millis_opt(ms).single().unwrap();
        assert_eq!(
            (l.year, l.month, l.day, l.hour, l.minute, l.weekday),
            (
                i64::from(c.year()),
                c.month(),
                c.day(),
                c.hour(),
                c.minute(),
                c.weekday().number_from_monday()
            )
        );
        ms += 7 * HOUR_MS + 13 * 60_000 + 12_345 + 86_400_000 * 3;
    }
}
