//! weihua-kpi — ISA-18.2 / EEMUA 191 alarm-system KPIs from the alarm journal. Pure: no IO.
