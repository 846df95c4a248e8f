//! 中国标准时间日历 — civil calendar arithmetic in China time (UTC+08:00, no daylight
//! saving since 1991), on UTC epoch milliseconds. Proleptic Gregorian; pure integer
//! arithmetic (H. Hinnant's `days_from_civil` / `civil_from_days`).

/// One minute in milliseconds.
pub const MINUTE_MS: i64 = 60_000;
/// One hour in milliseconds.
pub const HOUR_MS: i64 = 3_600_000;
/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;
/// 东八区 — the China offset, +08:00 (no daylight saving).
pub const CHINA_OFFSET_MS: i64 = 8 * HOUR_MS;
/// Earliest instant the schedule accepts: 1900-01-01T00:00:00Z.
pub const MIN_INSTANT_MS: i64 = -2_208_988_800_000;
/// Latest instant the schedule accepts: 9999-12-31T23:59:59.999Z.
pub const MAX_INSTANT_MS: i64 = 253_402_300_799_999;

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1–12, day 1–31).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month 1–12, day 1–31) of a day number since 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    // d is 1..=31 and m 1..=12 by construction.
    (y, m as u32, d as u32)
}

/// UTC epoch ms → China local "epoch ms" (the same wall clock read as if it were UTC).
pub(crate) fn to_local(utc_ms: i64) -> i64 {
    utc_ms + CHINA_OFFSET_MS
}

/// China local "epoch ms" → UTC epoch ms.
pub(crate) fn to_utc(local_ms: i64) -> i64 {
    local_ms - CHINA_OFFSET_MS
}

/// 本地日期 — the China-time calendar date and time of an instant (for display and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LocalDateTime {
    /// 年
    pub year: i64,
    /// 月 1–12
    pub month: u32,
    /// 日 1–31
    pub day: u32,
    /// 时 0–23
    pub hour: u32,
    /// 分 0–59
    pub minute: u32,
    /// 星期 1 (Monday) – 7 (Sunday)
    pub weekday: u32,
}

/// The China-time date and time of a UTC instant.
pub fn local_date_time(utc_ms: i64) -> LocalDateTime {
    let local = utc_ms.saturating_add(CHINA_OFFSET_MS);
    let days = local.div_euclid(DAY_MS);
    let in_day = local.rem_euclid(DAY_MS);
    let (year, month, day) = civil_from_days(days);
    LocalDateTime {
        year,
        month,
        day,
        hour: (in_day / HOUR_MS) as u32,
        minute: ((in_day % HOUR_MS) / MINUTE_MS) as u32,
        // 1970-01-01 was a Thursday (4).
        weekday: ((days + 3).rem_euclid(7) + 1) as u32,
    }
}

/// The UTC instant of a China-time wall-clock date and time; `None` for an invalid date
/// (e.g. 2100-02-29) or one outside years −9999 … 99 999.
pub fn china_time_ms(year: i64, month: u32, day: u32, hour: u32, minute: u32) -> Option<i64> {
    if !(-9_999..=99_999).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(to_utc(
        days * DAY_MS + i64::from(hour) * HOUR_MS + i64::from(minute) * MINUTE_MS,
    ))
}

/// 闰年 — Gregorian leap year.
pub fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in a month (1–12) of a year; 0 for an invalid month.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        assert_eq!(
            days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28),
            1,
            "2100 is not a leap year"
        );
        assert_eq!(
            days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28),
            2,
            "2000 is a leap year"
        );
        assert_eq!(MIN_INSTANT_MS, days_from_civil(1900, 1, 1) * DAY_MS);
        assert_eq!(MAX_INSTANT_MS + 1, days_from_civil(10_000, 1, 1) * DAY_MS);
    }

    #[test]
    fn china_time_is_utc_plus_8() {
        // 2024-01-01T00:00+08:00 = 2023-12-31T16:00Z = 1704038400000
        assert_eq!(china_time_ms(2024, 1, 1, 0, 0), Some(1_704_038_400_000));
        let t = local_date_time(1_704_038_400_000);
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.weekday),
            (2024, 1, 1, 0, 1)
        );
        assert_eq!(china_time_ms(2100, 2, 29, 0, 0), None);
        assert_eq!(china_time_ms(2000, 2, 29, 0, 0).map(|_| ()), Some(()));
        assert_eq!(china_time_ms(2023, 13, 1, 0, 0), None);
        assert_eq!(china_time_ms(2023, 1, 1, 24, 0), None);
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2023, 2), 28);
        assert_eq!(days_in_month(2023, 0), 0);
    }
}
