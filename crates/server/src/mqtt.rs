//! MQTT 数据接入 — a subscriber to an external broker (Mosquitto, EMQX).
//!
//! Topic layout: `{prefix}/{enterprise_id}/lp` carries InfluxDB line protocol,
//! `{prefix}/{enterprise_id}/json` a JSON array of samples — the same payloads
//! as `POST /api/v2/write` and `POST /api/v1/samples`. Tags resolve inside the
//! enterprise named by the topic, so the broker's ACL must allow each
//! gateway to publish only under its own enterprise id.
//!
//! Delivery: QoS 1 with a persistent session (`clean_session = false`) and
//! manual acknowledgement: the PUBACK is sent only after the samples are
//! durable in the historian's write-ahead log, so a crash before that makes
//! the broker redeliver. After every (re)connect the subscription is renewed.
//! Bad lines cannot be answered on MQTT; they are logged and counted.

use crate::AppState;
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Where to subscribe.
#[derive(Debug, Clone)]
pub struct MqttConfig {
    pub host: String,
    pub port: u16,
    /// Topic prefix (default `weihua`).
    pub prefix: String,
    /// Client id; with a persistent session it must stay the same across restarts.
    pub client_id: String,
    pub username: Option<String>,
    pub password: Option<String>,
}

impl MqttConfig {
    /// Parse `mqtt://[user:pass@]host[:port]`.
    pub fn from_url(url: &str, prefix: &str, client_id: &str) -> Result<Self, String> {
        let rest = url
            .strip_prefix("mqtt://")
            .or_else(|| url.strip_prefix("tcp://"))
            .ok_or_else(|| format!("MQTT URL must start with mqtt://, got '{url}'"))?;
        let (auth, hostport) = match rest.rsplit_once('@') {
            Some((a, h)) => (Some(a), h),
            None => (None, rest),
        };
        let hostport = hostport.trim_end_matches('/');
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h.to_string(),
                p.parse::<u16>()
                    .map_err(|_| format!("bad MQTT port '{p}'"))?,
            ),
            None => (hostport.to_string(), 1883),
        };
        if host.is_empty() {
            return Err("MQTT URL has no host".into());
        }
        let (username, password) = match auth.map(|a| a.split_once(':')) {
            Some(Some((u, p))) => (Some(u.to_string()), Some(p.to_string())),
            Some(None) => (auth.map(str::to_string), None),
            None => (None, None),
        };
        Ok(Self {
            host,
            port,
            prefix: prefix.trim_end_matches('/').to_string(),
            client_id: client_id.to_string(),
            username,
            password,
        })
    }
}

/// Counters of the subscriber (for logs and tests).
#[derive(Debug, Default)]
pub struct MqttStats {
    pub messages: AtomicU64,
    pub accepted: AtomicU64,
    pub rejected: AtomicU64,
    pub reconnects: AtomicU64,
}

/// `{prefix}/{enterprise_id}/{lp|json}` → (enterprise id, is_json).
fn parse_topic<'a>(prefix: &str, topic: &'a str) -> Option<(&'a str, bool)> {
    let rest = topic.strip_prefix(prefix)?.strip_prefix('/')?;
    let (enterprise, kind) = rest.split_once('/')?;
    if enterprise.is_empty() || enterprise.contains('/') {
        return None;
    }
    match kind {
        "lp" => Some((enterprise, false)),
        "json" => Some((enterprise, true)),
        _ => None,
    }
}

/// Run the subscriber forever (reconnecting), feeding the historian.
pub async fn run(state: AppState, cfg: MqttConfig, stats: Arc<MqttStats>) {
    let mut opts = MqttOptions::new(cfg.client_id.clone(), cfg.host.clone(), cfg.port);
    opts.set_keep_alive(Duration::from_secs(30));
    opts.set_clean_session(false);
    opts.set_manual_acks(true);
    opts.set_max_packet_size(
        crate::telemetry::MAX_INGEST_BODY,
        crate::telemetry::MAX_INGEST_BODY,
    );
    if let (Some(u), Some(p)) = (&cfg.username, &cfg.password) {
        opts.set_credentials(u.clone(), p.clone());
    }
    let (client, mut eventloop) = AsyncClient::new(opts, 64);
    let filters = [
        format!("{}/+/lp", cfg.prefix),
        format!("{}/+/json", cfg.prefix),
    ];
    loop {
        match eventloop.poll().await {
            Ok(Event::Incoming(Packet::ConnAck(_))) => {
                // Renew the subscription after every (re)connect.
                for f in &filters {
                    if let Err(e) = client.subscribe(f.clone(), QoS::AtLeastOnce).await {
                        tracing::warn!(error = %e, filter = %f, "MQTT subscribe");
                    }
                }
                tracing::info!(host = %cfg.host, port = cfg.port, "MQTT connected");
            }
            Ok(Event::Incoming(Packet::Publish(p))) => {
                stats.messages.fetch_add(1, Ordering::Relaxed);
                let Some((enterprise, is_json)) = parse_topic(&cfg.prefix, &p.topic) else {
                    tracing::warn!(topic = %p.topic, "MQTT message on an unknown topic; acknowledged and dropped");
                    let _ = client.ack(&p).await;
                    continue;
                };
                let result = match state.telemetry.as_ref() {
                    Some(t) => {
                        let now = weihua_store::now_ms();
                        let decoded = if is_json {
                            weihua_ingest::decode_json_samples(&p.payload, now, &t.limits)
                        } else {
                            weihua_ingest::decode_line_protocol(
                                &p.payload,
                                weihua_ingest::Precision::Nanoseconds,
                                now,
                                &t.limits,
                            )
                        };
                        crate::telemetry::store_samples(&state, enterprise, decoded).await
                    }
                    None => {
                        tracing::error!(
                            "MQTT subscriber started on a node without telemetry; stopping it"
                        );
                        return;
                    }
                };
                match result {
                    Ok(report) => {
                        stats
                            .accepted
                            .fetch_add(report.accepted as u64, Ordering::Relaxed);
                        stats
                            .rejected
                            .fetch_add(report.rejected as u64, Ordering::Relaxed);
                        for e in report.errors.iter().take(5) {
                            tracing::warn!(topic = %p.topic, line = e.line, reason = %e.reason_en, "MQTT line rejected");
                        }
                        // Durable: now the broker may forget it.
                        if let Err(e) = client.ack(&p).await {
                            tracing::warn!(error = %e, "MQTT ack");
                        }
                    }
                    Err(e) => {
                        // Not stored (overload, IO): no PUBACK, so the broker
                        // redelivers after the reconnect we force here.
                        tracing::warn!(code = e.code, message = %e.message_en, "MQTT message not stored; will be redelivered");
                        let _ = client.disconnect().await;
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
            Ok(_) => {}
            Err(e) => {
                stats.reconnects.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(error = %e, "MQTT connection lost; reconnecting");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_name_the_enterprise_and_the_payload() {
        assert_eq!(parse_topic("weihua", "weihua/e-1/lp"), Some(("e-1", false)));
        assert_eq!(
            parse_topic("weihua", "weihua/e-1/json"),
            Some(("e-1", true))
        );
        assert_eq!(parse_topic("weihua", "weihua/e-1/xml"), None);
        assert_eq!(parse_topic("weihua", "weihua//lp"), None);
        assert_eq!(parse_topic("weihua", "other/e-1/lp"), None);
        assert_eq!(parse_topic("weihua", "weihua/a/b/lp"), None);
    }

    #[test]
    fn urls() {
        let c = MqttConfig::from_url("mqtt://u:p@broker.local:1884", "weihua/", "id").unwrap();
        assert_eq!(
            (c.host.as_str(), c.port, c.prefix.as_str()),
            ("broker.local", 1884, "weihua")
        );
        assert_eq!(
            (c.username.as_deref(), c.password.as_deref()),
            (Some("u"), Some("p"))
        );
        assert_eq!(
            MqttConfig::from_url("mqtt://127.0.0.1", "w", "id")
                .unwrap()
                .port,
            1883
        );
        assert!(MqttConfig::from_url("http://x", "w", "id").is_err());
        assert!(MqttConfig::from_url("mqtt://x:notaport", "w", "id").is_err());
    }
}
