//! weihua-risk — Explainable risk level (红橙黄蓝) per major hazard installation and roll-ups. Pure: no IO.
