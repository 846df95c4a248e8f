//! GB/T 50493-2019 §5.5.2 — set points of flammable-gas, toxic-gas and oxygen
//! detectors (可燃气体和有毒气体检测报警). Source: `shared/reference/gas-alarms-gb50493.md` §2
//! (three secondary sources agree on the clause text).
//!
//! - flammable (point type): first alarm ≤ 25 %LEL, second ≤ 50 %LEL;
//! - toxic: first ≤ 100 % OEL, second ≤ 200 % OEL; where the detector's range
//!   cannot cover those values, first ≤ 5 % IDLH and second ≤ 10 % IDLH;
//! - oxygen (宜, "should"): under-oxygen 19.5 %VOL, over-oxygen 23.5 %VOL.
//!
//! Regulators also flag every gas point without thresholds (§8).

use serde::{Deserialize, Serialize};
use weihua_core::{Indicator, Limits};

/// 一级报警上限 (flammable, %LEL).
pub const FLAMMABLE_ALARM1_MAX_LEL: f64 = 25.0;
/// 二级报警上限 (flammable, %LEL).
pub const FLAMMABLE_ALARM2_MAX_LEL: f64 = 50.0;
/// 欠氧报警 (%VOL).
pub const OXYGEN_LOW_VOL: f64 = 19.5;
/// 富氧报警 (%VOL).
pub const OXYGEN_HIGH_VOL: f64 = 23.5;

/// The exposure basis of a toxic detector, in the point's unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ToxicBasis {
    /// 职业接触限值 — OEL (MAC if defined, else PC-TWA; GBZ 2.1).
    pub oel: f64,
    /// 立即威胁生命和健康浓度 — IDLH, if known.
    pub idlh: Option<f64>,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The standard says 应 (shall): a violation.
    Violation,
    /// The standard says 宜 (should), or the check could not be made.
    Advice,
}

/// One result of the set-point check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    /// Stable code (`flammable_alarm1_above_25_lel`, `missing_thresholds`, …).
    pub code: &'static str,
    pub severity: Severity,
    pub zh: String,
    pub en: String,
}

/// The set points a gas detector should get when it has none: flammable
/// 25/50 %LEL, oxygen 19.5/23.5 %VOL, toxic OEL / 2 × OEL when the basis is known.
pub fn default_setpoints(indicator: Indicator, unit: &str, basis: Option<ToxicBasis>) -> Limits {
    match indicator {
        Indicator::FlammableGas if unit == "%LEL" => Limits {
            h: Some(FLAMMABLE_ALARM1_MAX_LEL),
            hh: Some(FLAMMABLE_ALARM2_MAX_LEL),
            ..Default::default()
        },
        Indicator::Oxygen => Limits {
            l: Some(OXYGEN_LOW_VOL),
            h: Some(OXYGEN_HIGH_VOL),
            ..Default::default()
        },
        Indicator::ToxicGas => match basis {
            Some(b) => Limits {
                h: Some(b.oel),
                hh: Some(2.0 * b.oel),
                ..Default::default()
            },
            None => Limits::default(),
        },
        _ => Limits::default(),
    }
}

fn fmt(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Checks a gas point's configured limits against GB/T 50493-2019 §5.5.2.
/// Process indicators give no findings.
pub fn check_setpoints(
    indicator: Indicator,
    unit: &str,
    range_high: f64,
    limits: &Limits,
    basis: Option<ToxicBasis>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let gas = matches!(
        indicator,
        Indicator::FlammableGas | Indicator::ToxicGas | Indicator::Oxygen
    );
    if !gas {
        return out;
    }
    let (first, second) = match indicator {
        Indicator::Oxygen => (limits.l.or(limits.ll), limits.h.or(limits.hh)),
        _ => (limits.h, limits.hh),
    };
    if first.is_none() && second.is_none() {
        out.push(Finding {
            code: "missing_thresholds",
            severity: Severity::Violation,
            zh: "气体检测点未设置报警值（监管检查项：每个点位须按规范设置报警阈值）".into(),
            en: "gas detection point has no alarm thresholds (regulators require thresholds on every point)".into(),
        });
        return out;
    }
    let mut over = |code: &'static str,
                    which_zh: &str,
                    which_en: &str,
                    v: f64,
                    max: f64,
                    basis_txt: &str| {
        if v > max + 1e-9 {
            out.push(Finding {
                code,
                severity: Severity::Violation,
                zh: format!(
                    "{which_zh}设定值 {} {unit} 高于 GB/T 50493-2019 第5.5.2条上限 {} {unit}（{basis_txt}）",
                    fmt(v),
                    fmt(max)
                ),
                en: format!(
                    "{which_en} set point {} {unit} is above the GB/T 50493-2019 §5.5.2 maximum {} {unit} ({basis_txt})",
                    fmt(v),
                    fmt(max)
                ),
            });
        }
    };
    match indicator {
        Indicator::FlammableGas => {
            if unit != "%LEL" {
                out.push(Finding {
                    code: "flammable_unit_not_lel",
                    severity: Severity::Advice,
                    zh: format!("可燃气体点位单位为 {unit}，无法按 %LEL 核对设定值"),
                    en: format!("flammable gas point in {unit}: set points cannot be checked in %LEL"),
                });
                return out;
            }
            if let Some(v) = first {
                over("flammable_alarm1_above_25_lel", "一级报警", "first alarm", v, FLAMMABLE_ALARM1_MAX_LEL, "25 %LEL");
            }
            if let Some(v) = second {
                over("flammable_alarm2_above_50_lel", "二级报警", "second alarm", v, FLAMMABLE_ALARM2_MAX_LEL, "50 %LEL");
            }
            if second.is_none() {
                out.push(Finding {
                    code: "missing_alarm2",
                    severity: Severity::Violation,
                    zh: "可燃气体点位缺少二级报警值".into(),
                    en: "flammable gas point lacks its second alarm".into(),
                });
            }
        }
        Indicator::ToxicGas => match basis {
            None => out.push(Finding {
                code: "toxic_basis_unknown",
                severity: Severity::Advice,
                zh: "未登记该有毒气体的职业接触限值（OEL），无法核对设定值".into(),
                en: "no occupational exposure limit (OEL) recorded for this toxic gas: set points not checked".into(),
            }),
            Some(b) => {
                // The IDLH variant applies where the range cannot cover 2 × OEL.
                let idlh_variant = b.idlh.filter(|_| range_high < 2.0 * b.oel);
                match idlh_variant {
                    Some(idlh) => {
                        if let Some(v) = first {
                            over("toxic_alarm1_above_5_idlh", "一级报警", "first alarm", v, 0.05 * idlh, "5 % IDLH");
                        }
                        if let Some(v) = second {
                            over("toxic_alarm2_above_10_idlh", "二级报警", "second alarm", v, 0.10 * idlh, "10 % IDLH");
                        }
                    }
                    None => {
                        if let Some(v) = first {
                            over("toxic_alarm1_above_oel", "一级报警", "first alarm", v, b.oel, "100 % OEL");
                        }
                        if let Some(v) = second {
                            over("toxic_alarm2_above_2_oel", "二级报警", "second alarm", v, 2.0 * b.oel, "200 % OEL");
                        }
                    }
                }
            }
        },
        Indicator::Oxygen => {
            for (v, target, code, zh, en) in [
                (first, OXYGEN_LOW_VOL, "oxygen_low_not_19_5", "欠氧报警", "under-oxygen alarm"),
                (second, OXYGEN_HIGH_VOL, "oxygen_high_not_23_5", "富氧报警", "over-oxygen alarm"),
            ] {
                match v {
                    Some(v) if (v - target).abs() <= 1e-9 => {}
                    Some(v) => out.push(Finding {
                        code,
                        severity: Severity::Advice,
                        zh: format!("{zh}设定值 {} %VOL，GB/T 50493-2019 宜为 {} %VOL", fmt(v), fmt(target)),
                        en: format!("{en} set point {} %VOL; GB/T 50493-2019 recommends {} %VOL", fmt(v), fmt(target)),
                    }),
                    None => out.push(Finding {
                        code,
                        severity: Severity::Advice,
                        zh: format!("缺少{zh}（宜为 {} %VOL）", fmt(target)),
                        en: format!("no {en} (recommended {} %VOL)", fmt(target)),
                    }),
                }
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lim(h: Option<f64>, hh: Option<f64>) -> Limits {
        Limits {
            h,
            hh,
            ..Default::default()
        }
    }

    #[test]
    fn gb50493_5_5_2_flammable_limits_are_25_and_50_lel() {
        let ok = check_setpoints(
            Indicator::FlammableGas,
            "%LEL",
            100.0,
            &lim(Some(20.0), Some(40.0)),
            None,
        );
        assert!(ok.is_empty(), "{ok:?}");
        let edge = check_setpoints(
            Indicator::FlammableGas,
            "%LEL",
            100.0,
            &lim(Some(25.0), Some(50.0)),
            None,
        );
        assert!(edge.is_empty(), "exactly 25/50 is allowed: {edge:?}");
        let bad = check_setpoints(
            Indicator::FlammableGas,
            "%LEL",
            100.0,
            &lim(Some(25.1), Some(60.0)),
            None,
        );
        let codes: Vec<_> = bad.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [
                "flammable_alarm1_above_25_lel",
                "flammable_alarm2_above_50_lel"
            ]
        );
        assert!(bad[0].zh.contains("25.1 %LEL") && bad[0].en.contains("§5.5.2"));
    }

    #[test]
    fn gb50493_5_5_2_missing_thresholds_are_flagged() {
        let f = check_setpoints(Indicator::ToxicGas, "ppm", 100.0, &Limits::default(), None);
        assert_eq!(f[0].code, "missing_thresholds");
        assert_eq!(f[0].severity, Severity::Violation);
        assert!(check_setpoints(Indicator::Level, "m", 10.0, &Limits::default(), None).is_empty());
    }

    #[test]
    fn gb50493_5_5_2_toxic_uses_oel_or_idlh_when_the_range_is_short() {
        // H2S: MAC 10 mg/m3, IDLH 430 (reference table §2.1).
        let basis = ToxicBasis {
            oel: 10.0,
            idlh: Some(430.0),
        };
        assert!(
            check_setpoints(
                Indicator::ToxicGas,
                "mg/m3",
                100.0,
                &lim(Some(10.0), Some(20.0)),
                Some(basis)
            )
            .is_empty()
        );
        let bad = check_setpoints(
            Indicator::ToxicGas,
            "mg/m3",
            100.0,
            &lim(Some(12.0), Some(20.0)),
            Some(basis),
        );
        assert_eq!(bad[0].code, "toxic_alarm1_above_oel");
        // A range of 0–15 cannot cover 2 × OEL = 20: 5 %/10 % IDLH = 21.5/43 apply.
        let short = check_setpoints(
            Indicator::ToxicGas,
            "mg/m3",
            15.0,
            &lim(Some(12.0), Some(15.0)),
            Some(basis),
        );
        assert!(short.is_empty(), "{short:?}");
        let short_bad = check_setpoints(
            Indicator::ToxicGas,
            "mg/m3",
            15.0,
            &lim(Some(22.0), Some(15.0)),
            Some(basis),
        );
        assert_eq!(short_bad[0].code, "toxic_alarm1_above_5_idlh");
    }

    #[test]
    fn gb50493_5_5_2_oxygen_should_be_19_5_and_23_5() {
        let ok = Limits {
            l: Some(19.5),
            h: Some(23.5),
            ..Default::default()
        };
        assert!(check_setpoints(Indicator::Oxygen, "%VOL", 25.0, &ok, None).is_empty());
        let off = Limits {
            l: Some(18.0),
            h: Some(23.5),
            ..Default::default()
        };
        let f = check_setpoints(Indicator::Oxygen, "%VOL", 25.0, &off, None);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].code, f[0].severity),
            ("oxygen_low_not_19_5", Severity::Advice)
        );
    }

    #[test]
    fn gb50493_5_5_2_defaults_pass_their_own_check() {
        for (ind, unit) in [
            (Indicator::FlammableGas, "%LEL"),
            (Indicator::Oxygen, "%VOL"),
        ] {
            let l = default_setpoints(ind, unit, None);
            assert!(check_setpoints(ind, unit, 100.0, &l, None).is_empty());
        }
        let b = ToxicBasis {
            oel: 20.0,
            idlh: None,
        };
        let l = default_setpoints(Indicator::ToxicGas, "mg/m3", Some(b));
        assert_eq!((l.h, l.hh), (Some(20.0), Some(40.0)));
    }
}
