//! 北京时间 — the local time every page and report of weihua is in (UTC+8; China
//! has no daylight saving), for the server's day boundaries and printed dates.

/// UTC+8 in milliseconds.
pub const OFFSET_MS: i64 = 8 * 3_600_000;
/// A day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// The instant (UTC ms) at which the local day containing `ms` starts.
pub fn day_start(ms: i64) -> i64 {
    (ms + OFFSET_MS).div_euclid(DAY_MS) * DAY_MS - OFFSET_MS
}

/// `ms` as local time in a chrono format (`%Y-%m-%d %H:%M`, `%Y%m%d` …); empty
/// for an instant chrono cannot represent.
pub fn format(ms: i64, fmt: &str) -> String {
    chrono::DateTime::from_timestamp_millis(ms.saturating_add(OFFSET_MS))
        .map(|d| d.format(fmt).to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_start_at_local_midnight() {
        // 2026-11-30 00:30 UTC+8 is 2026-11-29 16:30 UTC; its day starts at 16:00 UTC the day before.
        let t = 1_795_969_800_000; // 2026-11-29T16:30:00Z
        assert_eq!(format(t, "%Y-%m-%d %H:%M"), "2026-11-30 00:30");
        assert_eq!(format(day_start(t), "%Y-%m-%d %H:%M"), "2026-11-30 00:00");
        assert_eq!(day_start(day_start(t)), day_start(t));
        assert_eq!(day_start(t - 3_600_000), day_start(t) - DAY_MS);
    }
}
