//! weihua-notify — Alarm notification routing, grouping, repeat and escalation (Alertmanager-style). Pure: no IO.
