//! 气体分析 — gas tests and their pass limits (GB 30871-2022 5.3, 6.3–6.5, 10.1, 11.10).

use super::calendar::{HolidayCalendar, MINUTE_MS};
use super::levels::HotWorkLevel;
use super::rules::Refusal;
use serde::{Deserialize, Serialize};

/// LEL at or above which the flammable limit is 0.5 %vol, else 0.2 %vol (5.3.2).
pub const LEL_THRESHOLD_PCT_VOL: f64 = 4.0;
/// 5.3.2 a): LEL ≥ 4 % → measured ≤ 0.5 %vol.
pub const FLAMMABLE_LIMIT_HIGH_LEL_PCT_VOL: f64 = 0.5;
/// 5.3.2 b): LEL < 4 % → measured ≤ 0.2 %vol.
pub const FLAMMABLE_LIMIT_LOW_LEL_PCT_VOL: f64 = 0.2;
/// 6.4 a): O₂ at least 19.5 %vol.
pub const OXYGEN_MIN_PCT_VOL: f64 = 19.5;
/// 6.4 a): O₂ at most 21 %vol.
pub const OXYGEN_MAX_PCT_VOL: f64 = 21.0;
/// 6.4 a), 5.2.7: O₂ at most 23.5 %vol where oxygen-enriched / on oxygen equipment.
pub const OXYGEN_ENRICHED_MAX_PCT_VOL: f64 = 23.5;
/// 5.3.1 c), 6.3 a): sample at most 30 min before the start.
pub const SAMPLE_MAX_AGE_MS: i64 = 30 * MINUTE_MS;
/// 6.5: a monitoring record at least every 2 h in a confined space.
pub const MONITORING_RECORD_INTERVAL_MS: i64 = 120 * MINUTE_MS;

/// 气体分析 — one gas test (one row of the form's analysis table).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GasTest {
    /// 取样分析时间 — when the sample was taken (UTC epoch ms).
    pub taken_at_ms: i64,
    /// 代表性气体 — the representative flammable substance.
    pub substance: String,
    /// 爆炸下限 — the substance's LEL in %vol; `None`: unknown, the stricter 0.2 %vol
    /// limit applies (**assumed**).
    pub lel_pct_vol: Option<f64>,
    /// 可燃气体分析结果 — measured flammable concentration in %vol (absolute, not %LEL).
    pub measured_pct_vol: Option<f64>,
    /// 氧气含量 in %vol.
    pub oxygen_pct_vol: Option<f64>,
    /// 有毒有害气体名称.
    pub toxic_substance: String,
    /// 有毒有害气体浓度 in ppm.
    pub toxic_ppm: Option<f64>,
    /// 职业接触限值 (GBZ 2.1) in ppm, for `toxic_ppm`.
    pub toxic_oel_ppm: Option<f64>,
    /// 分析人.
    pub analyst: String,
    /// 分析部位 / 检测点位号, e.g. "top", "middle", "bottom"; `None`: one point.
    pub point: Option<String>,
}

/// Which gas rules apply to a permit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "regime", rename_all = "snake_case")]
pub enum GasRegime {
    /// 动火分析 (5.3).
    HotWork {
        /// Level (the re-test gap depends on it).
        level: HotWorkLevel,
        /// On oxygen equipment: O₂ ≤ 23.5 %vol (5.2.7).
        oxygen_equipment: bool,
    },
    /// 受限空间气体检测 (6.3–6.5); also deep excavation (11.10).
    ConfinedSpace {
        /// Oxygen-enriched (6.4 a).
        oxygen_enriched: bool,
        /// Applies because of 11.10 (excavation deeper than 1.2 m).
        via_excavation: bool,
    },
    /// 临时用电可燃气体分析 (10.1).
    TemporaryPower,
}

impl GasRegime {
    /// The clause for the sample-age rule.
    pub fn sample_clause(self) -> &'static str {
        match self {
            Self::HotWork { .. } => "GB 30871-2022 5.3.1 c)",
            Self::ConfinedSpace {
                via_excavation: true,
                ..
            } => "GB 30871-2022 11.10, 6.3 a)",
            Self::ConfinedSpace { .. } => "GB 30871-2022 6.3 a)",
            Self::TemporaryPower => "GB 30871-2022 10.1",
        }
    }

    /// Break after which a new gas analysis is needed, if any: 30 min for 特级/一级 and
    /// 60 min for 二级 hot work (5.3.1 d), 60 min in a confined space (6.3 f).
    pub fn retest_after_break_ms(self) -> Option<i64> {
        match self {
            Self::HotWork {
                level: HotWorkLevel::Special | HotWorkLevel::One,
                ..
            } => Some(30 * MINUTE_MS),
            Self::HotWork {
                level: HotWorkLevel::Two,
                ..
            }
            | Self::ConfinedSpace { .. } => Some(60 * MINUTE_MS),
            Self::TemporaryPower => None,
        }
    }

    /// The clause for the re-test rule.
    pub fn retest_clause(self) -> &'static str {
        match self {
            Self::HotWork { .. } => "GB 30871-2022 5.3.1 d)",
            Self::ConfinedSpace { .. } => "GB 30871-2022 6.3 f)",
            Self::TemporaryPower => "GB 30871-2022 10.1",
        }
    }

    /// Whether a flammable result is required in each test.
    pub fn needs_flammable(self) -> bool {
        matches!(self, Self::HotWork { .. } | Self::TemporaryPower)
    }

    /// Whether an oxygen result is required in each test.
    pub fn needs_oxygen(self) -> bool {
        matches!(
            self,
            Self::ConfinedSpace { .. }
                | Self::HotWork {
                    oxygen_equipment: true,
                    ..
                }
        )
    }
}

/// The 5.3.2 limit in %vol for a substance with this LEL: ≤ 0.5 if LEL ≥ 4 %, else ≤ 0.2
/// (also when the LEL is unknown — assumed, the stricter side).
pub fn flammable_limit_pct_vol(lel_pct_vol: Option<f64>) -> f64 {
    match lel_pct_vol {
        Some(l) if l >= LEL_THRESHOLD_PCT_VOL => FLAMMABLE_LIMIT_HIGH_LEL_PCT_VOL,
        _ => FLAMMABLE_LIMIT_LOW_LEL_PCT_VOL,
    }
}

fn where_(t: &GasTest, cal: &HolidayCalendar) -> (String, String) {
    let at = cal.format(t.taken_at_ms);
    match t.point.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => (format!("{at} 于{p}取样"), format!("sample of {at} at {p}")),
        None => (format!("{at} 取样"), format!("sample of {at}")),
    }
}

fn pct_ok(v: f64) -> bool {
    v.is_finite() && (0.0..=100.0).contains(&v)
}

/// Judges one gas test under a regime. Empty: it passes.
pub fn evaluate_gas_test(t: &GasTest, regime: GasRegime, cal: &HolidayCalendar) -> Vec<Refusal> {
    let mut out = Vec::new();
    let (wz, we) = where_(t, cal);
    let confined = matches!(regime, GasRegime::ConfinedSpace { .. });
    let invalid = |field: &str, v: f64, clause: &'static str| {
        Refusal::new(
            clause,
            "gas_value_invalid",
            format!("{field} = {v}"),
            format!("{wz}：{field} = {v} 不是有效测量值"),
            format!("{we}: {field} = {v} is not a valid measurement"),
        )
    };
    // Flammable (5.3.2; confined 6.4 c; temporary power 10.1).
    let flam_clause_a = "GB 30871-2022 5.3.2 a)";
    let flam_clause_b = "GB 30871-2022 5.3.2 b)";
    match t.measured_pct_vol {
        Some(m) if !pct_ok(m) => out.push(invalid("measured_pct_vol", m, "GB 30871-2022 5.3.2")),
        Some(m) => {
            let lel = t
                .lel_pct_vol
                .filter(|l| l.is_finite() && *l > 0.0 && *l <= 100.0);
            if let Some(l) = t.lel_pct_vol.filter(|_| lel.is_none()) {
                out.push(invalid("lel_pct_vol", l, "GB 30871-2022 5.3.2"));
            } else {
                let limit = flammable_limit_pct_vol(lel);
                if m > limit {
                    let (clause, lel_zh, lel_en) = match lel {
                        Some(l) if l >= LEL_THRESHOLD_PCT_VOL => (
                            flam_clause_a,
                            format!("爆炸下限 {l}% ≥ 4%"),
                            format!("LEL {l} % ≥ 4 %"),
                        ),
                        Some(l) => (
                            flam_clause_b,
                            format!("爆炸下限 {l}% < 4%"),
                            format!("LEL {l} % < 4 %"),
                        ),
                        None => (
                            flam_clause_b,
                            "爆炸下限未知，按 < 4% 从严".to_string(),
                            "LEL unknown, judged as < 4 % (stricter)".to_string(),
                        ),
                    };
                    let sub = if t.substance.trim().is_empty() {
                        String::new()
                    } else {
                        format!(" {}", t.substance.trim())
                    };
                    out.push(Refusal::new(
                        clause,
                        "flammable_over_limit",
                        format!("measured_pct_vol = {m} > {limit} (lel_pct_vol = {lel:?})"),
                        format!(
                            "{wz}：可燃气体{sub}浓度 {m}%（体积分数）超过合格指标 {limit}%（{lel_zh}）{}",
                            if confined { "；受限空间按6.4 c)执行5.3.2" } else { "" }
                        ),
                        format!(
                            "{we}: flammable{sub} at {m} %vol exceeds the pass limit of {limit} %vol ({lel_en}){}",
                            if confined { "; confined spaces apply 5.3.2 by 6.4 c)" } else { "" }
                        ),
                    ));
                }
            }
        }
        None if regime.needs_flammable() => out.push(Refusal::new(
            match regime {
                GasRegime::TemporaryPower => "GB 30871-2022 10.1",
                _ => "GB 30871-2022 5.3.1",
            },
            "flammable_result_missing",
            "measured_pct_vol = none".into(),
            format!("{wz}：缺少可燃气体分析结果（%，体积分数）"),
            format!("{we}: the flammable gas result (%vol) is missing"),
        )),
        None => {}
    }
    // Oxygen (6.4 a; 5.2.7).
    let oxygen_clause = if confined {
        "GB 30871-2022 6.4 a)"
    } else {
        "GB 30871-2022 5.2.7"
    };
    match t.oxygen_pct_vol {
        Some(o) if !pct_ok(o) => out.push(invalid("oxygen_pct_vol", o, oxygen_clause)),
        Some(o) => {
            let (lo, hi, zh_range, en_range) = match regime {
                GasRegime::ConfinedSpace {
                    oxygen_enriched: false,
                    ..
                } => (
                    Some(OXYGEN_MIN_PCT_VOL),
                    OXYGEN_MAX_PCT_VOL,
                    "19.5%～21%",
                    "19.5–21 %vol",
                ),
                GasRegime::ConfinedSpace {
                    oxygen_enriched: true,
                    ..
                } => (
                    Some(OXYGEN_MIN_PCT_VOL),
                    OXYGEN_ENRICHED_MAX_PCT_VOL,
                    "19.5%～23.5%（富氧环境）",
                    "19.5–23.5 %vol (oxygen-enriched)",
                ),
                GasRegime::HotWork {
                    oxygen_equipment: true,
                    ..
                } => (
                    None,
                    OXYGEN_ENRICHED_MAX_PCT_VOL,
                    "不超过23.5%（氧气设备）",
                    "at most 23.5 %vol (oxygen equipment)",
                ),
                _ => (None, 100.0, "", ""),
            };
            if lo.is_some_and(|lo| o < lo) || o > hi {
                out.push(Refusal::new(
                    oxygen_clause,
                    "oxygen_out_of_range",
                    format!(
                        "oxygen_pct_vol = {o} outside [{}, {hi}]",
                        lo.map_or("-".to_string(), |l| l.to_string())
                    ),
                    format!("{wz}：氧含量 {o}%（体积分数）不合格，应为{zh_range}"),
                    format!("{we}: oxygen {o} %vol fails; it must be {en_range}"),
                ));
            }
        }
        None if regime.needs_oxygen() => out.push(Refusal::new(
            oxygen_clause,
            "oxygen_result_missing",
            "oxygen_pct_vol = none".into(),
            format!("{wz}：缺少氧含量分析结果"),
            format!("{we}: the oxygen result is missing"),
        )),
        None => {}
    }
    // Toxics (6.4 b).
    if confined && let Some(ppm) = t.toxic_ppm {
        let name = t.toxic_substance.trim();
        if !ppm.is_finite() || ppm < 0.0 {
            out.push(invalid("toxic_ppm", ppm, "GB 30871-2022 6.4 b)"));
        } else {
            match t.toxic_oel_ppm {
                Some(oel) if !oel.is_finite() || oel <= 0.0 => {
                    out.push(invalid("toxic_oel_ppm", oel, "GB 30871-2022 6.4 b)"))
                }
                Some(oel) if ppm > oel => out.push(Refusal::new(
                    "GB 30871-2022 6.4 b)",
                    "toxic_over_oel",
                    format!("toxic_ppm = {ppm} > toxic_oel_ppm = {oel}"),
                    format!("{wz}：有毒气体{name}浓度 {ppm} ppm 超过GBZ 2.1职业接触限值 {oel} ppm"),
                    format!(
                        "{we}: toxic gas {name} at {ppm} ppm exceeds its GBZ 2.1 occupational exposure limit of {oel} ppm"
                    ),
                )),
                Some(_) => {}
                None => out.push(Refusal::new(
                    "GB 30871-2022 6.4 b)",
                    "toxic_oel_missing",
                    format!("toxic_ppm = {ppm}, toxic_oel_ppm = none"),
                    format!("{wz}：有毒气体{name}有测量值 {ppm} ppm，但未给出GBZ 2.1职业接触限值，无法判定"),
                    format!(
                        "{we}: toxic gas {name} was measured at {ppm} ppm but no GBZ 2.1 exposure limit is given, so it cannot be judged"
                    ),
                )),
            }
        }
    }
    out
}

/// The most recent test of each sampling point among `tests` (ties all kept).
pub fn latest_per_point<'a, I>(tests: I) -> Vec<&'a GasTest>
where
    I: IntoIterator<Item = &'a GasTest>,
{
    let mut latest: Vec<(&str, i64)> = Vec::new();
    let all: Vec<&GasTest> = tests.into_iter().collect();
    for t in &all {
        let key = t.point.as_deref().map(str::trim).unwrap_or("");
        match latest.iter_mut().find(|(k, _)| *k == key) {
            Some((_, at)) => *at = (*at).max(t.taken_at_ms),
            None => latest.push((key, t.taken_at_ms)),
        }
    }
    all.into_iter()
        .filter(|t| {
            let key = t.point.as_deref().map(str::trim).unwrap_or("");
            latest
                .iter()
                .any(|(k, at)| *k == key && *at == t.taken_at_ms)
        })
        .collect()
}
