//! Webhook 报文 — an Alertmanager-webhook-like JSON body (version "4"), so
//! receivers written for Alertmanager can take weihua notifications.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::{AlarmSummary, Notification, NotificationStatus, NotifyReason};

/// Alertmanager's "zero time", used as `endsAt` of a firing alert.
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// 时间格式 — formats UTC epoch milliseconds as RFC 3339 with milliseconds,
/// e.g. `2023-11-14T22:13:20.000Z`. Proleptic Gregorian; years outside
/// 0000–9999 get a sign and more digits (not valid RFC 3339, but never wrong).
pub fn rfc3339_utc(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    let y = if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else {
        format!("{year:+05}")
    };
    format!("{y}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
}

fn labels(a: &AlarmSummary) -> BTreeMap<&'static str, String> {
    let mut l = BTreeMap::new();
    l.insert("alertname", a.kind.as_str().to_string());
    l.insert("alarm_id", a.alarm_id.clone());
    l.insert("point_id", a.point_id.clone());
    l.insert("tag", a.tag.clone());
    l.insert("enterprise_id", a.enterprise_id.clone());
    l.insert("region_code", a.region_code.clone());
    l.insert("kind", a.kind.as_str().to_string());
    l.insert("priority", a.priority.as_str().to_string());
    l.insert("acked", a.acked.to_string());
    if let Some(p) = &a.park_id {
        l.insert("park_id", p.clone());
    }
    if let Some(i) = &a.installation_id {
        l.insert("installation_id", i.clone());
    }
    if let Some(lim) = a.limit {
        l.insert("limit", lim.as_str().to_string());
    }
    l
}

fn alert(a: &AlarmSummary, status: &str) -> (Value, BTreeMap<&'static str, String>) {
    let l = labels(a);
    let v = json!({
        "status": status,
        "labels": l,
        "annotations": { "summary_zh": a.summary_zh, "summary_en": a.summary_en },
        "startsAt": rfc3339_utc(a.raised_at_ms),
        "endsAt": a.resolved_at_ms.map_or_else(|| ZERO_TIME.to_string(), rfc3339_utc),
        "fingerprint": a.alarm_id,
    });
    (v, l)
}

/// Webhook 报文 — the JSON body to POST to a webhook receiver:
/// `version`, `status`, `receiver`, `groupKey`, `groupLabels`,
/// `commonLabels`, `truncatedAlerts`, `alerts[]` (each with `status`,
/// `labels`, `annotations.summary_zh/summary_en`, `startsAt`, `endsAt`,
/// `fingerprint`), plus weihua's `reason` and `sentAt`.
pub fn webhook_body(n: &Notification) -> Value {
    let mut alerts = Vec::with_capacity(n.firing.len() + n.resolved.len());
    let mut common: Option<BTreeMap<&'static str, String>> = None;
    let all = n
        .firing
        .iter()
        .map(|a| (a, "firing"))
        .chain(n.resolved.iter().map(|a| (a, "resolved")));
    for (a, status) in all {
        let (v, l) = alert(a, status);
        alerts.push(v);
        common = Some(match common {
            None => l,
            Some(mut c) => {
                c.retain(|k, v| l.get(k) == Some(v));
                c
            }
        });
    }
    let status = match n.status {
        NotificationStatus::Firing => "firing",
        NotificationStatus::Resolved => "resolved",
    };
    let reason = match n.reason {
        NotifyReason::First => "first",
        NotifyReason::Update => "update",
        NotifyReason::Repeat => "repeat",
        NotifyReason::Resolved => "resolved",
    };
    let common: Map<String, Value> = common
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v)))
        .collect();
    json!({
        "version": "4",
        "status": status,
        "receiver": n.receiver,
        "groupKey": n.group_key,
        "groupLabels": n.group_labels,
        "commonLabels": common,
        "commonAnnotations": {},
        "truncatedAlerts": 0,
        "alerts": alerts,
        "reason": reason,
        "sentAt": rfc3339_utc(n.at_ms),
    })
}
