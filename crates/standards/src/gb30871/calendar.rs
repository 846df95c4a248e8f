//! 作业时间与日历 — local time, the holiday calendar (节假日、公休日、调休上班日) and
//! night (夜间), all computed from UTC epoch milliseconds and a fixed UTC offset.
//!
//! Pure: the clock is never read; every instant is passed in. All arithmetic on
//! instants saturates, so no input (even `i64::MIN`) can overflow or panic.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One minute in milliseconds.
pub const MINUTE_MS: i64 = 60_000;
/// One hour in milliseconds.
pub const HOUR_MS: i64 = 3_600_000;
/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;
/// 北京时间 — China Standard Time, UTC+8, in minutes.
pub const CHINA_UTC_OFFSET_MINUTES: i32 = 480;
/// Windows covering more local days than this are not walked day by day; they are
/// treated as touching a holiday, a rest day and night (conservative, assumed).
pub const MAX_CALENDAR_DAYS: i64 = 1_000;

/// 作业时间段 — a half-open interval `[start_ms, end_ms)` of UTC epoch milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// 自 — start, UTC epoch ms (inclusive).
    pub start_ms: i64,
    /// 至 — end, UTC epoch ms (exclusive).
    pub end_ms: i64,
}

impl Window {
    /// A window from `start_ms` to `end_ms`.
    pub const fn new(start_ms: i64, end_ms: i64) -> Self {
        Self { start_ms, end_ms }
    }

    /// `end − start` in ms, saturating (negative when the window is reversed).
    pub fn duration_ms(&self) -> i64 {
        self.end_ms.saturating_sub(self.start_ms)
    }

    /// Whether `end > start`.
    pub fn is_valid(&self) -> bool {
        self.end_ms > self.start_ms
    }

    /// Whether the two half-open windows share an instant.
    pub fn overlaps(&self, other: &Window) -> bool {
        self.is_valid()
            && other.is_valid()
            && self.start_ms < other.end_ms
            && other.start_ms < self.end_ms
    }

    /// Whether `t` lies in `[start, end)`.
    pub fn contains(&self, t: i64) -> bool {
        self.start_ms <= t && t < self.end_ms
    }
}

/// 星期.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    /// 星期一.
    Monday,
    /// 星期二.
    Tuesday,
    /// 星期三.
    Wednesday,
    /// 星期四.
    Thursday,
    /// 星期五.
    Friday,
    /// 星期六.
    Saturday,
    /// 星期日.
    Sunday,
}

impl Weekday {
    /// The weekday of a day number (days since 1970-01-01, a Thursday).
    pub fn of_day(days: i64) -> Self {
        match (days.rem_euclid(7) + 3) % 7 {
            0 => Self::Monday,
            1 => Self::Tuesday,
            2 => Self::Wednesday,
            3 => Self::Thursday,
            4 => Self::Friday,
            5 => Self::Saturday,
            _ => Self::Sunday,
        }
    }
}

/// 日历错误 — a date or clock time that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message_en}")]
pub struct CalendarError {
    /// The text or numbers given.
    pub given: String,
    /// 中文说明.
    pub message_zh: String,
    /// English explanation.
    pub message_en: String,
}

impl CalendarError {
    fn date(given: String) -> Self {
        Self {
            message_zh: format!("日期“{given}”无效，应为存在的公历日期 YYYY-MM-DD"),
            message_en: format!("date '{given}' is invalid; give an existing date as YYYY-MM-DD"),
            given,
        }
    }

    fn clock(given: String) -> Self {
        Self {
            message_zh: format!("时刻“{given}”无效，应为 HH:MM（00:00～23:59）"),
            message_en: format!("clock time '{given}' is invalid; give HH:MM (00:00–23:59)"),
            given,
        }
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
    let y = yoe.saturating_add(era.saturating_mul(400)) + i64::from(m <= 2);
    (y, m, d)
}

/// 日期 — a local calendar date, written `YYYY-MM-DD` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDate {
    year: i32,
    month: u8,
    day: u8,
}

impl LocalDate {
    /// A date, if it exists.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, CalendarError> {
        if (1..=12).contains(&month) && day >= 1 && day <= days_in_month(i64::from(year), month) {
            Ok(Self { year, month, day })
        } else {
            Err(CalendarError::date(format!(
                "{year:04}-{month:02}-{day:02}"
            )))
        }
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Self, CalendarError> {
        let bad = || CalendarError::date(s.to_string());
        let mut parts = s.trim().split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let y: i32 = y.parse().map_err(|_| bad())?;
        let m: u8 = m.parse().map_err(|_| bad())?;
        let d: u8 = d.parse().map_err(|_| bad())?;
        Self::new(y, m, d).map_err(|_| bad())
    }

    /// Year.
    pub fn year(&self) -> i32 {
        self.year
    }
    /// Month 1–12.
    pub fn month(&self) -> u8 {
        self.month
    }
    /// Day of month.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(&self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        )
    }

    /// The date of a day number, if its year fits an `i32`.
    pub fn from_days(days: i64) -> Option<Self> {
        let (y, m, d) = civil_from_days(days);
        Some(Self {
            year: i32::try_from(y).ok()?,
            month: m,
            day: d,
        })
    }

    /// 星期.
    pub fn weekday(&self) -> Weekday {
        Weekday::of_day(self.days_since_epoch())
    }
}

impl fmt::Display for LocalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for LocalDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LocalDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// 时刻 — a local clock time (minute of the day, 0–1439), written `HH:MM` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u16);

impl ClockTime {
    /// `hour:minute`, if it exists.
    pub fn new(hour: u8, minute: u8) -> Result<Self, CalendarError> {
        if hour < 24 && minute < 60 {
            Ok(Self(u16::from(hour) * 60 + u16::from(minute)))
        } else {
            Err(CalendarError::clock(format!("{hour:02}:{minute:02}")))
        }
    }

    /// Parses `HH:MM`.
    pub fn parse(s: &str) -> Result<Self, CalendarError> {
        let bad = || CalendarError::clock(s.to_string());
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        Self::new(h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?).map_err(|_| bad())
    }

    /// Minutes since local midnight.
    pub fn minute_of_day(&self) -> u16 {
        self.0
    }

    fn ms(&self) -> i64 {
        i64::from(self.0) * MINUTE_MS
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// 每日时段 — a daily local interval `[start, end)`. When `start > end` it wraps over
/// midnight (18:00–06:00); when `start == end` it is the whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DailyInterval {
    /// 开始时刻.
    pub start: ClockTime,
    /// 结束时刻.
    pub end: ClockTime,
}

impl DailyInterval {
    /// The parts of one local day it covers, as ms offsets from local midnight.
    fn parts(&self) -> [(i64, i64); 2] {
        let (s, e) = (self.start.ms(), self.end.ms());
        if s < e {
            [(s, e), (0, 0)]
        } else if s > e {
            [(0, e), (s, DAY_MS)]
        } else {
            [(0, DAY_MS), (0, 0)]
        }
    }

    /// Whether local ms-of-day `t` (0 ≤ t < 24 h) is inside.
    fn contains_ms_of_day(&self, t: i64) -> bool {
        self.parts().iter().any(|&(a, b)| a <= t && t < b)
    }
}

impl fmt::Display for DailyInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.start, self.end)
    }
}

/// The default night: 18:00–06:00 local. **Assumed**: GB 30871-2022 5.1.1 raises hot
/// work at night but does not define night; the enterprise defines it.
pub fn default_night() -> Option<DailyInterval> {
    Some(DailyInterval {
        start: ClockTime(18 * 60),
        end: ClockTime(6 * 60),
    })
}

fn default_offset() -> i32 {
    CHINA_UTC_OFFSET_MINUTES
}

fn default_weekend() -> Vec<Weekday> {
    vec![Weekday::Saturday, Weekday::Sunday]
}

/// 节假日日历 — which local days are holidays (节假日) or rest days (公休日), and when
/// night (夜间) is. Configurable: the State Council publishes the holidays and make-up
/// working days (调休上班日) every year, and each enterprise defines night.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayCalendar {
    /// 本地时区 — the fixed local offset from UTC in minutes (default +480, 北京时间).
    #[serde(default = "default_offset")]
    pub utc_offset_minutes: i32,
    /// 法定节假日 — public holidays (a holiday wins over a make-up working day).
    #[serde(default)]
    pub holidays: Vec<LocalDate>,
    /// 调休上班日 — make-up working days: weekend days worked in exchange for holidays.
    #[serde(default)]
    pub make_up_workdays: Vec<LocalDate>,
    /// 公休日 — weekly rest days (default Saturday and Sunday).
    #[serde(default = "default_weekend")]
    pub weekend: Vec<Weekday>,
    /// 夜间 — night, or `null` for none (default 18:00–06:00, **assumed**).
    #[serde(default = "default_night")]
    pub night: Option<DailyInterval>,
}

impl Default for HolidayCalendar {
    fn default() -> Self {
        Self {
            utc_offset_minutes: default_offset(),
            holidays: Vec::new(),
            make_up_workdays: Vec::new(),
            weekend: default_weekend(),
            night: default_night(),
        }
    }
}

/// 日类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// 工作日.
    WorkingDay,
    /// 公休日.
    RestDay,
    /// 节假日.
    Holiday,
}

/// Which special times a window touches (GB 30871-2022 5.1.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialTimes {
    /// Touches a holiday.
    pub holiday: bool,
    /// Touches a rest day.
    pub rest_day: bool,
    /// Touches night.
    pub night: bool,
    /// The window was too long to walk; all three are set (conservative).
    pub too_long_to_walk: bool,
}

impl SpecialTimes {
    /// Whether any special time is touched.
    pub fn any(&self) -> bool {
        self.holiday || self.rest_day || self.night
    }
}

impl HolidayCalendar {
    /// Local ms (UTC ms shifted by the offset), saturating.
    pub fn to_local_ms(&self, utc_ms: i64) -> i64 {
        utc_ms.saturating_add(i64::from(self.utc_offset_minutes).saturating_mul(MINUTE_MS))
    }

    /// The local day number (days since 1970-01-01) of an instant.
    pub fn local_day(&self, utc_ms: i64) -> i64 {
        self.to_local_ms(utc_ms).div_euclid(DAY_MS)
    }

    /// The kind of a local day number.
    pub fn day_kind(&self, day: i64) -> DayKind {
        let is = |list: &[LocalDate]| list.iter().any(|d| d.days_since_epoch() == day);
        if is(&self.holidays) {
            DayKind::Holiday
        } else if is(&self.make_up_workdays) {
            DayKind::WorkingDay
        } else if self.weekend.contains(&Weekday::of_day(day)) {
            DayKind::RestDay
        } else {
            DayKind::WorkingDay
        }
    }

    /// Whether an instant is at night.
    pub fn is_night(&self, utc_ms: i64) -> bool {
        let t = self.to_local_ms(utc_ms).rem_euclid(DAY_MS);
        self.night.is_some_and(|n| n.contains_ms_of_day(t))
    }

    /// Which special times the window touches, counting only the daily `work_hours` if
    /// given (hot work done only in those hours each day).
    pub fn special_times(
        &self,
        window: &Window,
        work_hours: Option<&DailyInterval>,
    ) -> SpecialTimes {
        let mut out = SpecialTimes::default();
        if !window.is_valid() {
            return out;
        }
        let start = self.to_local_ms(window.start_ms);
        let end = self.to_local_ms(window.end_ms);
        if end <= start {
            return out;
        }
        let first = start.div_euclid(DAY_MS);
        let last = (end - 1).div_euclid(DAY_MS);
        if last.saturating_sub(first) > MAX_CALENDAR_DAYS {
            return SpecialTimes {
                holiday: true,
                rest_day: true,
                night: true,
                too_long_to_walk: true,
            };
        }
        let all_day = DailyInterval {
            start: ClockTime(0),
            end: ClockTime(0),
        };
        let hours = work_hours.unwrap_or(&all_day);
        for day in first..=last {
            let day_start = day.saturating_mul(DAY_MS);
            let lo = start.max(day_start).saturating_sub(day_start);
            let hi = end
                .min(day_start.saturating_add(DAY_MS))
                .saturating_sub(day_start);
            let mut touched = false;
            for (a, b) in hours.parts() {
                let (a, b) = (a.max(lo), b.min(hi));
                if a >= b {
                    continue;
                }
                touched = true;
                if let Some(n) = self.night
                    && n.parts().iter().any(|&(na, nb)| na < b && a < nb)
                {
                    out.night = true;
                }
            }
            if touched {
                match self.day_kind(day) {
                    DayKind::Holiday => out.holiday = true,
                    DayKind::RestDay => out.rest_day = true,
                    DayKind::WorkingDay => {}
                }
            }
        }
        out
    }

    /// The same local date and time `months` calendar months later; a day the target
    /// month lacks (31 March + 1 month) moves to the 1st of the month after, so the
    /// result is never earlier than a whole number of months. Saturating.
    pub fn add_months_at_least(&self, utc_ms: i64, months: u32) -> i64 {
        let local = self.to_local_ms(utc_ms);
        let day = local.div_euclid(DAY_MS);
        let ms_of_day = local.rem_euclid(DAY_MS);
        let (y, m, d) = civil_from_days(day);
        let total = y
            .saturating_mul(12)
            .saturating_add(i64::from(m) - 1)
            .saturating_add(i64::from(months));
        let (mut ny, mut nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
        let mut nd = i64::from(d);
        if nd > i64::from(days_in_month(ny, nm as u8)) {
            nd = 1;
            nm += 1;
            if nm > 12 {
                nm = 1;
                ny = ny.saturating_add(1);
            }
        }
        // Far outside any real date the civil arithmetic is meaningless: saturate.
        if !(-1_000_000..=1_000_000).contains(&ny) {
            return if months == 0 { utc_ms } else { i64::MAX };
        }
        let new_local = days_from_civil(ny, nm, nd)
            .saturating_mul(DAY_MS)
            .saturating_add(ms_of_day);
        new_local.saturating_sub(i64::from(self.utc_offset_minutes).saturating_mul(MINUTE_MS))
    }

    /// An instant as local `YYYY-MM-DD HH:MM` with its offset, for messages.
    pub fn format(&self, utc_ms: i64) -> String {
        let local = self.to_local_ms(utc_ms);
        let (y, m, d) = civil_from_days(local.div_euclid(DAY_MS));
        let ms = local.rem_euclid(DAY_MS);
        let (h, min) = (ms / HOUR_MS, (ms % HOUR_MS) / MINUTE_MS);
        let sec_ms = ms % MINUTE_MS;
        let off = self.utc_offset_minutes;
        let sign = if off < 0 { '-' } else { '+' };
        let off = off.unsigned_abs();
        let (secs, millis) = (sec_ms / 1000, sec_ms % 1000);
        let clock = match (secs, millis) {
            (0, 0) => format!("{h:02}:{min:02}"),
            (_, 0) => format!("{h:02}:{min:02}:{secs:02}"),
            _ => format!("{h:02}:{min:02}:{secs:02}.{millis:03}"),
        };
        format!(
            "{y:04}-{m:02}-{d:02} {clock} (UTC{sign}{:02}:{:02})",
            off / 60,
            off % 60
        )
    }
}

/// A duration in ms as `1 d 2 h 3 min 4.005 s` (exact, never rounded), for messages.
pub fn format_duration(ms: i64) -> String {
    let neg = ms < 0;
    let ms = ms.unsigned_abs();
    let (d, h, m) = (ms / 86_400_000, (ms / 3_600_000) % 24, (ms / 60_000) % 60);
    let s_ms = ms % 60_000;
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d} d"));
    }
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if s_ms > 0 || parts.is_empty() {
        let (secs, millis) = (s_ms / 1000, s_ms % 1000);
        if millis == 0 {
            parts.push(format!("{secs} s"));
        } else {
            parts.push(format!("{secs}.{millis:03} s"));
        }
    }
    let text = parts.join(" ");
    if neg { format!("−{text}") } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trips_and_weekdays() {
        for z in [-800_000i64, -1, 0, 1, 19_000, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, i64::from(m), i64::from(d)), z);
        }
        let d = LocalDate::parse("2024-10-01").ok();
        assert_eq!(d.map(|d| d.weekday()), Some(Weekday::Tuesday));
        assert_eq!(Weekday::of_day(0), Weekday::Thursday);
        assert!(LocalDate::parse("2023-02-29").is_err());
        assert!(LocalDate::parse("2024-02-29").is_ok());
        assert!(ClockTime::parse("24:00").is_err());
        assert_eq!(
            ClockTime::parse("6:05").map(|c| c.to_string()).ok(),
            Some("06:05".into())
        );
    }

    #[test]
    fn extreme_instants_do_not_overflow() {
        let c = HolidayCalendar::default();
        for t in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
            let _ = c.format(t);
            let _ = c.is_night(t);
            let _ = c.special_times(&Window::new(t, t.saturating_add(DAY_MS)), None);
        }
        let _ = format_duration(i64::MIN);
        let _ = c.special_times(&Window::new(i64::MIN, i64::MAX), None);
    }

    #[test]
    fn format_is_local() {
        let c = HolidayCalendar::default();
        assert_eq!(c.format(0), "1970-01-01 08:00 (UTC+08:00)");
        assert_eq!(format_duration(30 * MINUTE_MS + 1), "30 min 0.001 s");
        assert_eq!(format_duration(8 * HOUR_MS), "8 h");
    }
}
