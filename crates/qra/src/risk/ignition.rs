//! 点火概率与事件树 — ignition probabilities and event trees (GB/T 37243 App. F analogue; the
//! appendix is not public, so every table here is a configurable default, **assumed**).
//!
//! # Purple Book CPR 18E direct ignition, stationary installations (reference §5.1)
//!
//! | release | K1 liquid | low-reactivity gas | average/high-reactivity gas |
//! | --- | --- | --- | --- |
//! | continuous < 10 kg/s, instantaneous < 1000 kg | 0.065 | 0.02 | 0.2 |
//! | continuous 10–100 kg/s, instantaneous 1000–10 000 kg | 0.065 | 0.04 | 0.5 |
//! | continuous > 100 kg/s, instantaneous > 10 000 kg | 0.065 | 0.09 | 0.7 |
//!
//! K2/K3 liquids below their flash point: 0.01 (**assumed**, the reference says "about 0.01,
//! or 0"). Band edges: the middle band includes both its ends (10 and 100 kg/s, 1000 and
//! 10 000 kg), **assumed**. Delayed ignition from a source: P(t) = P_present·(1 − e^(−ωt)),
//! ω = −ln(1 − P_1min)/60 s, with P_1min per source ([`IgnitionSource`]); independent sources
//! combine as 1 − Π(1 − P_i). Explosion vs flash fire after delayed ignition: 0.4 / 0.6.
//!
//! # HyRAM (hydrogen; reference §5.2, confirmed: HyRAM `ignition_probs.py`)
//!
//! Immediate / delayed by mass flow: < 0.125 kg/s 0.008 / 0.004; 0.125–6.25 kg/s
//! 0.053 / 0.027; > 6.25 kg/s 0.23 / 0.12. Band edges **assumed** lower-inclusive
//! ([0.125, 6.25) is the middle band). The values are configurable ([`HyramIgnitionTable`]).
//!
//! # Cox–Lees–Ang (UK; reference §5.3)
//!
//! Ignition by release rate: gas < 1 kg/s 0.01, 1–50 kg/s 0.07, > 50 kg/s 0.3; liquid 0.01,
//! 0.03, 0.08. Explosion given ignition: 0.04 for the small band and 0.3 for the large band
//! (reference); 0.12 for the middle band is **assumed** (Lees, *Loss Prevention*, quoting Cox,
//! Lees & Ang 1990; verify).
//!
//! # Event trees
//!
//! [`event_tree`] (Purple Book structure, reference §5.1): per LOC, the end states with their
//! conditional probabilities (summing to 1) and the phenomena of each end state; an end state
//! may hold several phenomena (e.g. direct ignition of a continuous release with rain-out:
//! jet fire **and** pool fire): their lethalities combine as 1 − Π(1 − L_i) in one footprint.
//!
//! - Flammable gas, continuous: direct ignition P_d → jet fire (+ pool fire if rain-out);
//!   otherwise delayed ignition P_del → VCE (fraction f_exp, default 0.4) or flash fire
//!   (1 − f_exp); otherwise no ignition → toxic dispersion if the substance is toxic, else no
//!   effect.
//! - Flammable gas, instantaneous: direct ignition → fireball/BLEVE (+ pool fire if rain-out);
//!   delayed and none as above.
//! - Flammable liquid: direct ignition → pool fire; delayed ignition → VCE + pool fire or
//!   flash fire + pool fire; no ignition → toxic or no effect.
//! - Toxic (not flammable): toxic dispersion, probability 1.
//!
//! P_del defaults to 1 (**assumed**): the Purple Book ignites an unignited cloud at its largest
//! extent for individual risk; give the value from the ignition sources for societal risk.
//!
//! [`hyram_event_tree`]: HyRAM's cascading tree (reference §15, case RISK-EVENTTREE-HyRAM):
//! end states shutdown (detected and isolated, `detection_credit` default 0.9), no ignition,
//! jet fire (immediate ignition), explosion (delayed ignition), with
//! p_k = e_k·Π_{j<k}(1 − e_j), e = [credit, 1 − P_ign, P_imm/P_ign, 1], P_ign = P_imm + P_del.

use serde::{Deserialize, Serialize};

use crate::error::{QraError, check};

/// 事故后果类型 — the physical outcome of a risk event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 有毒气体扩散 — toxic dispersion.
    Toxic,
    /// 喷射火 — jet fire.
    JetFire,
    /// 池火 — pool fire.
    PoolFire,
    /// 火球 / 沸腾液体扩展蒸气爆炸 — fireball / BLEVE.
    Fireball,
    /// 闪火 — flash fire.
    FlashFire,
    /// 蒸气云爆炸 — vapour cloud explosion.
    Vce,
    /// 无后果 — no harmful effect.
    NoEffect,
}

/// Purple Book substance category for direct ignition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IgnitionCategory {
    /// K1 liquid (flash point < 21 °C).
    K1Liquid,
    /// K2/K3 liquid stored below its flash point (0.01, assumed).
    K2K3Liquid,
    /// Low-reactivity gas (ammonia, CO, methane, methyl bromide …).
    LowReactivityGas,
    /// Average- or high-reactivity gas (most hydrocarbons; acetylene, ethylene oxide …).
    AverageHighReactivityGas,
}

/// Release mode and size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum Release {
    /// Continuous release at a rate.
    Continuous {
        /// Release rate, kg/s.
        rate_kg_s: f64,
    },
    /// Instantaneous release of a mass.
    Instantaneous {
        /// Mass released, kg.
        mass_kg: f64,
    },
}

/// Input of [`purple_book_direct_ignition`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectIgnitionInput {
    /// Substance category.
    pub category: IgnitionCategory,
    /// Release.
    pub release: Release,
}

/// Band 0, 1 or 2 of a value against edges (lo, hi): < lo → 0, lo ≤ v ≤ hi → 1, > hi → 2.
fn band_inclusive(v: f64, lo: f64, hi: f64) -> usize {
    if v < lo {
        0
    } else if v <= hi {
        1
    } else {
        2
    }
}

fn check_release(release: &Release) -> Result<(bool, f64), QraError> {
    Ok(match *release {
        Release::Continuous { rate_kg_s } => (
            true,
            check("release.rate_kg_s", rate_kg_s, "0 <= value <= 1e6", |v| {
                (0.0..=1e6).contains(&v)
            })?,
        ),
        Release::Instantaneous { mass_kg } => (
            false,
            check("release.mass_kg", mass_kg, "0 <= value <= 1e9", |v| {
                (0.0..=1e9).contains(&v)
            })?,
        ),
    })
}

/// Purple Book direct (immediate) ignition probability, stationary installations.
pub fn purple_book_direct_ignition(input: &DirectIgnitionInput) -> Result<f64, QraError> {
    let (continuous, size) = check_release(&input.release)?;
    let band = if continuous {
        band_inclusive(size, 10.0, 100.0)
    } else {
        band_inclusive(size, 1000.0, 10_000.0)
    };
    Ok(match input.category {
        IgnitionCategory::K1Liquid => 0.065,
        IgnitionCategory::K2K3Liquid => 0.01,
        IgnitionCategory::LowReactivityGas => [0.02, 0.04, 0.09][band],
        IgnitionCategory::AverageHighReactivityGas => [0.2, 0.5, 0.7][band],
    })
}

/// Purple Book ignition sources with their probability of igniting a cloud within 1 minute
/// (reference §5.1, assumed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IgnitionSource {
    /// Flare: 1.0.
    Flare,
    /// Outdoor furnace: 0.9.
    OutdoorFurnace,
    /// Outdoor boiler: 0.45.
    OutdoorBoiler,
    /// Chemical plant or refinery (area): 0.9.
    ChemicalPlant,
    /// Heavy industry (area): 0.7.
    HeavyIndustry,
    /// Motor vehicle: 0.4.
    MotorVehicle,
    /// Residential, per person: 0.01.
    ResidentialPerPerson,
}

impl IgnitionSource {
    /// Probability of ignition within one minute.
    pub fn p_one_minute(self) -> f64 {
        match self {
            IgnitionSource::Flare => 1.0,
            IgnitionSource::OutdoorFurnace => 0.9,
            IgnitionSource::OutdoorBoiler => 0.45,
            IgnitionSource::ChemicalPlant => 0.9,
            IgnitionSource::HeavyIndustry => 0.7,
            IgnitionSource::MotorVehicle => 0.4,
            IgnitionSource::ResidentialPerPerson => 0.01,
        }
    }
}

/// Delayed ignition by one source: P = P_present·(1 − e^(−ωt)), ω = −ln(1 − P_1min)/60 s.
pub fn delayed_ignition_probability(
    p_present: f64,
    p_one_minute: f64,
    exposure_s: f64,
) -> Result<f64, QraError> {
    let pp = check("p_present", p_present, "0 <= value <= 1", |v| {
        (0.0..=1.0).contains(&v)
    })?;
    let p1 = check("p_one_minute", p_one_minute, "0 <= value <= 1", |v| {
        (0.0..=1.0).contains(&v)
    })?;
    let t = check("exposure_s", exposure_s, "0 <= value <= 1e6", |v| {
        (0.0..=1e6).contains(&v)
    })?;
    if t == 0.0 {
        return Ok(0.0);
    }
    if p1 >= 1.0 {
        return Ok(pp);
    }
    let omega = -(1.0 - p1).ln() / 60.0;
    Ok(pp * (1.0 - (-omega * t).exp()))
}

/// Probability that at least one of independent events happens: 1 − Π(1 − p_i).
pub fn combine_independent(probabilities: &[f64]) -> Result<f64, QraError> {
    let mut q = 1.0;
    for &p in probabilities {
        let p = check("probabilities[]", p, "0 <= value <= 1", |v| {
            (0.0..=1.0).contains(&v)
        })?;
        q *= 1.0 - p;
    }
    Ok(1.0 - q)
}

/// HyRAM ignition table: immediate and delayed probabilities in three mass-flow bands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HyramIgnitionTable {
    /// Band edges, kg/s: [0.125, 6.25].
    pub thresholds_kg_s: [f64; 2],
    /// Immediate ignition per band: [0.008, 0.053, 0.23].
    pub immediate: [f64; 3],
    /// Delayed ignition per band: [0.004, 0.027, 0.12].
    pub delayed: [f64; 3],
}

impl Default for HyramIgnitionTable {
    fn default() -> Self {
        HyramIgnitionTable {
            thresholds_kg_s: [0.125, 6.25],
            immediate: [0.008, 0.053, 0.23],
            delayed: [0.004, 0.027, 0.12],
        }
    }
}

impl HyramIgnitionTable {
    /// `(immediate, delayed)` at `mass_flow_kg_s` (bands lower-inclusive).
    pub fn lookup(&self, mass_flow_kg_s: f64) -> Result<(f64, f64), QraError> {
        let m = check("mass_flow_kg_s", mass_flow_kg_s, "0 <= value <= 1e6", |v| {
            (0.0..=1e6).contains(&v)
        })?;
        let [t0, t1] = self.thresholds_kg_s;
        check("thresholds_kg_s", t0, "0 <= t0 <= t1", |v| {
            v >= 0.0 && v <= t1
        })?;
        for &p in self.immediate.iter().chain(&self.delayed) {
            check("hyram ignition probability", p, "0 <= value <= 1", |v| {
                (0.0..=1.0).contains(&v)
            })?;
        }
        let band = if m < t0 {
            0
        } else if m < t1 {
            1
        } else {
            2
        };
        let (imm, del) = (self.immediate[band], self.delayed[band]);
        check("immediate + delayed", imm + del, "<= 1", |v| v <= 1.0)?;
        Ok((imm, del))
    }
}

/// Phase for the Cox–Lees–Ang table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Gas or two-phase.
    Gas,
    /// Liquid.
    Liquid,
}

/// Result of [`cox_lees_ang`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CoxLeesAng {
    /// Ignition probability.
    pub ignition: f64,
    /// Probability of explosion given ignition.
    pub explosion_given_ignition: f64,
}

/// Cox–Lees–Ang ignition and explosion probabilities by release rate (bands < 1, 1–50,
/// > 50 kg/s; middle band inclusive, assumed).
pub fn cox_lees_ang(phase: Phase, rate_kg_s: f64) -> Result<CoxLeesAng, QraError> {
    let r = check("rate_kg_s", rate_kg_s, "0 <= value <= 1e6", |v| {
        (0.0..=1e6).contains(&v)
    })?;
    let band = band_inclusive(r, 1.0, 50.0);
    let ignition = match phase {
        Phase::Gas => [0.01, 0.07, 0.3][band],
        Phase::Liquid => [0.01, 0.03, 0.08][band],
    };
    Ok(CoxLeesAng {
        ignition,
        explosion_given_ignition: [0.04, 0.12, 0.3][band],
    })
}

/// Substance class of a Purple Book style event tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TreeSubstance {
    /// Flammable gas or liquefied gas (K1 gas).
    FlammableGas,
    /// Flammable liquid (K1 …).
    FlammableLiquid,
    /// Toxic, not flammable.
    Toxic,
}

/// Continuous or instantaneous LOC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseKind {
    /// Continuous release (hole, 10-min release, rupture of a line).
    Continuous,
    /// Instantaneous release of the inventory.
    Instantaneous,
}

fn one() -> f64 {
    1.0
}

fn default_explosion_fraction() -> f64 {
    0.4
}

/// Input of [`event_tree`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventTreeInput {
    /// Substance class.
    pub substance: TreeSubstance,
    /// Release kind.
    pub release: ReleaseKind,
    /// The substance is also toxic (the no-ignition branch is toxic dispersion).
    #[serde(default)]
    pub toxic: bool,
    /// Direct (immediate) ignition probability (e.g. [`purple_book_direct_ignition`]).
    #[serde(default)]
    pub direct_ignition_probability: f64,
    /// Delayed ignition probability given no direct ignition (default 1, assumed).
    #[serde(default = "one")]
    pub delayed_ignition_probability: f64,
    /// Fraction of delayed ignitions that explode (default 0.4, Purple Book, assumed).
    #[serde(default = "default_explosion_fraction")]
    pub explosion_fraction: f64,
    /// Liquid rains out: a pool fire accompanies the direct-ignition jet fire or fireball.
    #[serde(default)]
    pub rainout: bool,
}

/// One end state of an event tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndState {
    /// Path through the tree (English / 中文).
    pub path: String,
    /// The phenomena of this end state (combine their lethalities as 1 − Π(1 − L)).
    pub outcomes: Vec<Outcome>,
    /// Conditional probability given the LOC.
    pub probability: f64,
}

/// Output of [`event_tree`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventTreeOutput {
    /// End states, probabilities summing to 1.
    pub end_states: Vec<EndState>,
}

/// Purple Book style event tree of one LOC (see the [module documentation](self)).
pub fn event_tree(input: &EventTreeInput) -> Result<EventTreeOutput, QraError> {
    let pd = check(
        "direct_ignition_probability",
        input.direct_ignition_probability,
        "0 <= value <= 1",
        |v| (0.0..=1.0).contains(&v),
    )?;
    let pdel = check(
        "delayed_ignition_probability",
        input.delayed_ignition_probability,
        "0 <= value <= 1",
        |v| (0.0..=1.0).contains(&v),
    )?;
    let fx = check(
        "explosion_fraction",
        input.explosion_fraction,
        "0 <= value <= 1",
        |v| (0.0..=1.0).contains(&v),
    )?;
    let none_outcome = if input.toxic {
        Outcome::Toxic
    } else {
        Outcome::NoEffect
    };
    let state = |path: &str, outcomes: Vec<Outcome>, probability: f64| EndState {
        path: path.to_owned(),
        outcomes,
        probability,
    };
    let with_pool = |o: Outcome, pool: bool| {
        if pool {
            vec![o, Outcome::PoolFire]
        } else {
            vec![o]
        }
    };
    let end_states = match input.substance {
        TreeSubstance::Toxic => vec![state(
            "release → toxic dispersion / 泄漏 → 有毒气体扩散",
            vec![Outcome::Toxic],
            1.0,
        )],
        TreeSubstance::FlammableGas => {
            let direct = match input.release {
                ReleaseKind::Continuous => state(
                    "direct ignition → jet fire / 立即点火 → 喷射火",
                    with_pool(Outcome::JetFire, input.rainout),
                    pd,
                ),
                ReleaseKind::Instantaneous => state(
                    "direct ignition → fireball (BLEVE) / 立即点火 → 火球（BLEVE）",
                    with_pool(Outcome::Fireball, input.rainout),
                    pd,
                ),
            };
            vec![
                direct,
                state(
                    "delayed ignition → explosion / 延迟点火 → 蒸气云爆炸",
                    vec![Outcome::Vce],
                    (1.0 - pd) * pdel * fx,
                ),
                state(
                    "delayed ignition → flash fire / 延迟点火 → 闪火",
                    vec![Outcome::FlashFire],
                    (1.0 - pd) * pdel * (1.0 - fx),
                ),
                state(
                    "no ignition / 未点火",
                    vec![none_outcome],
                    (1.0 - pd) * (1.0 - pdel),
                ),
            ]
        }
        TreeSubstance::FlammableLiquid => vec![
            state(
                "direct ignition → pool fire / 立即点火 → 池火",
                vec![Outcome::PoolFire],
                pd,
            ),
            state(
                "delayed ignition → explosion and pool fire / 延迟点火 → 蒸气云爆炸及池火",
                vec![Outcome::Vce, Outcome::PoolFire],
                (1.0 - pd) * pdel * fx,
            ),
            state(
                "delayed ignition → flash fire and pool fire / 延迟点火 → 闪火及池火",
                vec![Outcome::FlashFire, Outcome::PoolFire],
                (1.0 - pd) * pdel * (1.0 - fx),
            ),
            state(
                "no ignition / 未点火",
                vec![none_outcome],
                (1.0 - pd) * (1.0 - pdel),
            ),
        ],
    };
    Ok(EventTreeOutput { end_states })
}

/// Probabilities of a cascading tree: p_k = e_k·Π_{j<k}(1 − e_j) for branch probabilities `e`
/// (each 0–1; give 1 as the last to make the end states sum to 1).
pub fn cascade(e: &[f64]) -> Result<Vec<f64>, QraError> {
    let mut remaining = 1.0;
    let mut out = Vec::with_capacity(e.len());
    for &ek in e {
        let ek = check("branch probability", ek, "0 <= value <= 1", |v| {
            (0.0..=1.0).contains(&v)
        })?;
        out.push(ek * remaining);
        remaining *= 1.0 - ek;
    }
    Ok(out)
}

fn default_detection_credit() -> f64 {
    0.9
}

/// Input of [`hyram_event_tree`]: give both ignition probabilities, or `mass_flow_kg_s` to
/// read them from `table`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HyramEventTreeInput {
    /// Probability that the leak is detected and isolated (default 0.9, HyRAM).
    #[serde(default = "default_detection_credit")]
    pub detection_credit: f64,
    /// Immediate ignition probability.
    #[serde(default)]
    pub immediate_ignition_probability: Option<f64>,
    /// Delayed ignition probability.
    #[serde(default)]
    pub delayed_ignition_probability: Option<f64>,
    /// Release mass flow, kg/s (used when the probabilities are not given).
    #[serde(default)]
    pub mass_flow_kg_s: Option<f64>,
    /// Ignition table (HyRAM H₂ defaults).
    #[serde(default)]
    pub table: HyramIgnitionTable,
}

/// Output of [`hyram_event_tree`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HyramEventTreeOutput {
    /// Detected and isolated.
    pub shutdown: f64,
    /// Not ignited.
    pub no_ignition: f64,
    /// Immediate ignition: jet fire.
    pub jet_fire: f64,
    /// Delayed ignition: explosion.
    pub explosion: f64,
}

/// HyRAM's cascading event tree (see the [module documentation](self)).
pub fn hyram_event_tree(input: &HyramEventTreeInput) -> Result<HyramEventTreeOutput, QraError> {
    let credit = check(
        "detection_credit",
        input.detection_credit,
        "0 <= value <= 1",
        |v| (0.0..=1.0).contains(&v),
    )?;
    let (imm, del) = match (
        input.immediate_ignition_probability,
        input.delayed_ignition_probability,
        input.mass_flow_kg_s,
    ) {
        (Some(i), Some(d), _) => (i, d),
        (_, _, Some(m)) => input.table.lookup(m)?,
        _ => {
            return Err(QraError::InvalidInput {
                model: "hyram_event_tree",
                message: "give immediate_ignition_probability and delayed_ignition_probability, or mass_flow_kg_s / 请给出立即点火概率与延迟点火概率，或给出质量流量 mass_flow_kg_s".to_owned(),
            });
        }
    };
    let imm = check(
        "immediate_ignition_probability",
        imm,
        "0 <= value <= 1",
        |v| (0.0..=1.0).contains(&v),
    )?;
    let del = check(
        "delayed_ignition_probability",
        del,
        "0 <= value <= 1",
        |v| (0.0..=1.0).contains(&v),
    )?;
    let p_ign = check("immediate + delayed", imm + del, "<= 1", |v| v <= 1.0)?;
    let conditional_immediate = if p_ign > 0.0 { imm / p_ign } else { 0.0 };
    let p = cascade(&[credit, 1.0 - p_ign, conditional_immediate, 1.0])?;
    Ok(HyramEventTreeOutput {
        shutdown: p[0],
        no_ignition: p[1],
        jet_fire: p[2],
        explosion: p[3],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purple_book_bands() {
        let gas = |rate| {
            purple_book_direct_ignition(&DirectIgnitionInput {
                category: IgnitionCategory::AverageHighReactivityGas,
                release: Release::Continuous { rate_kg_s: rate },
            })
            .unwrap()
        };
        assert_eq!(gas(5.0), 0.2);
        assert_eq!(gas(10.0), 0.5);
        assert_eq!(gas(100.0), 0.5);
        assert_eq!(gas(100.1), 0.7);
        let inst = purple_book_direct_ignition(&DirectIgnitionInput {
            category: IgnitionCategory::LowReactivityGas,
            release: Release::Instantaneous { mass_kg: 20_000.0 },
        })
        .unwrap();
        assert_eq!(inst, 0.09);
    }

    #[test]
    fn event_trees_sum_to_one() {
        for substance in [
            TreeSubstance::FlammableGas,
            TreeSubstance::FlammableLiquid,
            TreeSubstance::Toxic,
        ] {
            for release in [ReleaseKind::Continuous, ReleaseKind::Instantaneous] {
                let out = event_tree(&EventTreeInput {
                    substance,
                    release,
                    toxic: true,
                    direct_ignition_probability: 0.2,
                    delayed_ignition_probability: 0.5,
                    explosion_fraction: 0.4,
                    rainout: true,
                })
                .unwrap();
                let s: f64 = out.end_states.iter().map(|e| e.probability).sum();
                assert!((s - 1.0).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn delayed_ignition_one_minute() {
        // By definition, P(60 s) = P_present · P_1min.
        let p = delayed_ignition_probability(1.0, 0.45, 60.0).unwrap();
        assert!((p - 0.45).abs() < 1e-12);
        assert_eq!(delayed_ignition_probability(0.5, 1.0, 10.0).unwrap(), 0.5);
        let c = combine_independent(&[0.5, 0.5]).unwrap();
        assert!((c - 0.75).abs() < 1e-12);
    }
}
