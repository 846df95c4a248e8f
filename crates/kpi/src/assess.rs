//! 评估 — judges a report against ISA-18.2-2016 §16 / EEMUA 191 targets.

use weihua_core::AlarmPriority;

use crate::{Assessment, Finding, FindingCode, KpiConfig, KpiReport, LoadLevel, Verdict};

fn finding(
    code: FindingCode,
    verdict: Verdict,
    value: f64,
    target: f64,
    zh: String,
    en: String,
) -> Finding {
    Finding {
        code,
        verdict,
        value,
        target,
        zh,
        en,
    }
}

fn share_of(r: &KpiReport, p: AlarmPriority) -> f64 {
    r.priority_distribution
        .iter()
        .find(|s| s.priority == p)
        .map_or(0.0, |s| s.pct)
}

pub(crate) fn assess(r: &KpiReport, cfg: &KpiConfig) -> Assessment {
    let t = &cfg.targets;
    let mut f = Vec::new();

    let rate = r.avg_per_10min;
    let load = if rate <= t.acceptable_per_10min {
        LoadLevel::Acceptable
    } else if rate <= t.manageable_per_10min {
        LoadLevel::Manageable
    } else {
        LoadLevel::Overloaded
    };
    f.push(match load {
        LoadLevel::Acceptable => finding(
            FindingCode::RateAcceptable,
            Verdict::Ok,
            rate,
            t.acceptable_per_10min,
            format!(
                "平均每10分钟 {rate:.2} 次报警，可接受（目标 ≤ {}）",
                t.acceptable_per_10min
            ),
            format!(
                "{rate:.2} alarms per 10 min on average: acceptable (target ≤ {})",
                t.acceptable_per_10min
            ),
        ),
        LoadLevel::Manageable => finding(
            FindingCode::RateManageable,
            Verdict::Warning,
            rate,
            t.manageable_per_10min,
            format!(
                "平均每10分钟 {rate:.2} 次报警，处于最大可管理范围（≤ {}），高于可接受目标 {}",
                t.manageable_per_10min, t.acceptable_per_10min
            ),
            format!(
                "{rate:.2} alarms per 10 min on average: manageable (≤ {}) but above the acceptable {}",
                t.manageable_per_10min, t.acceptable_per_10min
            ),
        ),
        LoadLevel::Overloaded => finding(
            FindingCode::RateOverloaded,
            Verdict::Violation,
            rate,
            t.manageable_per_10min,
            format!(
                "平均每10分钟 {rate:.2} 次报警，超过最大可管理值 {}，操作人员很可能超负荷",
                t.manageable_per_10min
            ),
            format!(
                "{rate:.2} alarms per 10 min on average: above the manageable {}, very likely over-demanding",
                t.manageable_per_10min
            ),
        ),
    });

    let fp = r.pct_periods_in_flood;
    f.push(if fp < t.max_pct_periods_in_flood {
        finding(
            FindingCode::FloodPeriodsOk,
            Verdict::Ok,
            fp,
            t.max_pct_periods_in_flood,
            format!(
                "泛滥时段占比 {fp:.2}%，低于目标 {}%",
                t.max_pct_periods_in_flood
            ),
            format!(
                "{fp:.2} % of periods in flood, below the target {} %",
                t.max_pct_periods_in_flood
            ),
        )
    } else {
        finding(
            FindingCode::FloodPeriodsExcessive,
            Verdict::Violation,
            fp,
            t.max_pct_periods_in_flood,
            format!(
                "泛滥时段占比 {fp:.2}%（{} 个时段），未低于目标 {}%",
                r.periods_in_flood, t.max_pct_periods_in_flood
            ),
            format!(
                "{fp:.2} % of periods in flood ({} periods), not below the target {} %",
                r.periods_in_flood, t.max_pct_periods_in_flood
            ),
        )
    });

    let peak = r.max_per_period;
    f.push(if peak <= t.max_per_period {
        finding(
            FindingCode::PeakPeriodOk,
            Verdict::Ok,
            peak as f64,
            t.max_per_period as f64,
            format!("单时段最多 {peak} 次报警，不超过 {}", t.max_per_period),
            format!(
                "at most {peak} alarms in one period, within {}",
                t.max_per_period
            ),
        )
    } else {
        finding(
            FindingCode::PeakPeriodExcessive,
            Verdict::Violation,
            peak as f64,
            t.max_per_period as f64,
            format!("单时段最多 {peak} 次报警，超过 {}", t.max_per_period),
            format!(
                "up to {peak} alarms in one period, above {}",
                t.max_per_period
            ),
        )
    });

    let chat = r.chattering.len();
    f.push(if chat == 0 {
        finding(
            FindingCode::NoChattering,
            Verdict::Ok,
            0.0,
            0.0,
            "无振荡报警".into(),
            "no chattering alarms".into(),
        )
    } else {
        finding(
            FindingCode::ChatteringPresent,
            Verdict::Warning,
            chat as f64,
            0.0,
            format!("{chat} 个振荡报警，每个都需要整改计划"),
            format!("{chat} chattering alarms; each needs an action plan"),
        )
    });

    let fl = r.fleeting_count;
    f.push(if fl == 0 {
        finding(
            FindingCode::NoFleeting,
            Verdict::Ok,
            0.0,
            0.0,
            "无瞬时报警".into(),
            "no fleeting alarms".into(),
        )
    } else {
        finding(
            FindingCode::FleetingPresent,
            Verdict::Warning,
            fl as f64,
            0.0,
            format!("{fl} 次瞬时报警（激活后很快恢复），应考虑延时或死区"),
            format!(
                "{fl} fleeting activations (cleared almost at once); consider delays or deadbands"
            ),
        )
    });

    let st = r.stale.len() as u64;
    f.push(if st < t.stale_below {
        finding(
            FindingCode::StaleOk,
            Verdict::Ok,
            st as f64,
            t.stale_below as f64,
            format!("{st} 个常驻报警，少于 {}", t.stale_below),
            format!("{st} stale alarms, fewer than {}", t.stale_below),
        )
    } else {
        finding(
            FindingCode::StaleExcessive,
            Verdict::Violation,
            st as f64,
            t.stale_below as f64,
            format!("{st} 个常驻报警，应少于 {}", t.stale_below),
            format!(
                "{st} stale alarms; there should be fewer than {}",
                t.stale_below
            ),
        )
    });

    if r.total_activations == 0 {
        f.push(finding(
            FindingCode::NoActivations,
            Verdict::Ok,
            0.0,
            0.0,
            "窗口内无报警，不评估前 N 名占比与优先级分布".into(),
            "no activations in the window; top-N share and priority mix not assessed".into(),
        ));
    } else {
        let ts = r.top_share_pct;
        let n = cfg.top_n;
        f.push(if ts <= t.max_top_n_share_pct {
            finding(
                FindingCode::TopShareOk,
                Verdict::Ok,
                ts,
                t.max_top_n_share_pct,
                format!(
                    "前 {n} 名报警占总数 {ts:.2}%，不超过 {}%",
                    t.max_top_n_share_pct
                ),
                format!(
                    "the top {n} alarms make {ts:.2} % of the load, within {} %",
                    t.max_top_n_share_pct
                ),
            )
        } else {
            finding(
                FindingCode::TopShareHigh,
                Verdict::Warning,
                ts,
                t.max_top_n_share_pct,
                format!(
                    "前 {n} 名报警占总数 {ts:.2}%，超过 {}%，治理这些报警收效最大",
                    t.max_top_n_share_pct
                ),
                format!(
                    "the top {n} alarms make {ts:.2} % of the load, above {} %; fixing them pays off most",
                    t.max_top_n_share_pct
                ),
            )
        });

        let em = share_of(r, AlarmPriority::Emergency);
        let cap = t.priority_pct.emergency;
        f.push(if em < cap {
            finding(
                FindingCode::EmergencyShareOk,
                Verdict::Ok,
                em,
                cap,
                format!("紧急报警占 {em:.2}%，低于 {cap}%"),
                format!("emergency alarms are {em:.2} %, below {cap} %"),
            )
        } else {
            finding(
                FindingCode::EmergencyShareHigh,
                Verdict::Violation,
                em,
                cap,
                format!("紧急报警占 {em:.2}%，应低于 {cap}%"),
                format!("emergency alarms are {em:.2} %; they should be below {cap} %"),
            )
        });

        let (h, m, l) = (
            share_of(r, AlarmPriority::High),
            share_of(r, AlarmPriority::Medium),
            share_of(r, AlarmPriority::Low),
        );
        let p = &t.priority_pct;
        let dev = (h - p.high)
            .abs()
            .max((m - p.medium).abs())
            .max((l - p.low).abs());
        let tol = t.priority_tolerance_pct;
        let mix_zh = format!(
            "高/中/低 = {h:.1}%/{m:.1}%/{l:.1}%，目标 {}/{}/{}%",
            p.high, p.medium, p.low
        );
        let mix_en = format!(
            "high/medium/low = {h:.1}/{m:.1}/{l:.1} %, target {}/{}/{} %",
            p.high, p.medium, p.low
        );
        f.push(if dev <= tol {
            finding(
                FindingCode::PriorityMixOk,
                Verdict::Ok,
                dev,
                tol,
                format!("优先级分布达标：{mix_zh}（偏差 ≤ {tol} 个百分点）"),
                format!("priority mix on target: {mix_en} (within {tol} points)"),
            )
        } else {
            finding(
                FindingCode::PriorityMixDeviates,
                Verdict::Warning,
                dev,
                tol,
                format!("优先级分布偏离目标 {dev:.1} 个百分点：{mix_zh}"),
                format!("priority mix off target by {dev:.1} points: {mix_en}"),
            )
        });
    }

    let overall = f.iter().map(|x| x.verdict).max().unwrap_or(Verdict::Ok);
    Assessment {
        load,
        overall,
        findings: f,
    }
}
