//! 蒸气云爆炸 — vapour cloud explosions: TNT 当量法 TNT equivalence (with Kingery–Bulmash),
//! Baker–Strehlow–Tang (BST) 爆炸曲线, and 氢气射流爆炸 unconfined hydrogen-jet explosions
//! (flammable mass, Bauwens–Dorofeev detonable mass), with cheap, allocation-free field
//! helpers (overpressure at a distance, distance to an overpressure, lethality).
//!
//! Source of the equations: weihua reference `shared/reference/qra-consequence.md` §13.
//!
//! # TNT equivalence ([`tnt_equivalence`])
//!
//! `W_TNT = η m_f ΔH_c / E_TNT`, defaults η = 0.03 and `E_TNT = 4.68 MJ/kg` (HyRAM and CCPS;
//! other texts use 4.184–4.6 MJ/kg); then Kingery–Bulmash ([`crate::kingery_bulmash`],
//! hemispherical surface burst) at the scaled distance `Z = R/W^(1/3)`. The field helper
//! [`TntBlast`] holds the fit's near-field end value for `Z < 0.2` and extends its last
//! power-law segment `ln P[kPa] = 6.0536 − 1.4066 ln Z` beyond `Z = 198.5` (**assumed**).
//!
//! # Baker–Strehlow–Tang ([`bst`])
//!
//! `E = 2 m_f ΔH_c` (factor 2: ground reflection, configurable), `R̄ = R/(E/P₀)^(1/3)`,
//! `ΔP = P̄(R̄, M_f) P₀`. The curves `P̄(R̄, M_f)` for `M_f` = 0.037, 0.0742, 0.125, 0.25, 0.5,
//! 1, 2, 4, 5.2 are the digitised CCPS (2000) set of `data/bst-curves-af.csv` (A. E. Farrell,
//! CC BY-SA, see its header line), parsed at compile time. Each curve is replaced by its
//! non-increasing upper envelope (`P̄(R̄) = max_{R̄' >= R̄} P̄_raw(R̄')`: digitisation wiggles
//! removed conservatively, the near-field rise of the fast curves held at the peak);
//! interpolation is log–log in `R̄` and log–log between curves in `M_f`. Beyond the last
//! digitised point a curve decays acoustically, `P̄ ∝ 1/R̄` (**assumed**); below the first it
//! is flat. `M_f` must lie in [0.037, 5.2]. **No impulse**: the BST impulse curves are not
//! publicly available in a licence weihua can ship, so [`BstBlast`] gives no impulse (the TNO
//! head-impact and structural-collapse probits then need the impulse from elsewhere).
//!
//! Flame Mach number from confinement × reactivity × congestion ([`bst_flame_mach`], CCPS 2010
//! / Pierorazio 2005 via the reference; only 3D/medium/medium = 0.44 is confirmed, the rest
//! **unconfirmed**; "DDT" cells give 5.2).
//!
//! # TNO Multi-Energy
//!
//! **Not implemented**: no public digitised TNO Multi-Energy curves (reference §13.3) and no
//! accessible, citable fit (Alonso et al. 2006 could not be consulted). Use TNT or BST.
//!
//! # Hydrogen jet explosions ([`h2_jet_explosion`])
//!
//! - Release and notional nozzle: [`crate::fire::gas_jet_source`] (Abel–Noble H₂).
//! - Jet concentration field (**assumed** simplified model, momentum jet, buoyancy neglected):
//!   centre-line mass fraction `Y_c = min(1, 5.4 d*/x)` (Chen & Rodi 1980 variable-density jet,
//!   `d* = D_n √(ρ_n/ρ_a)`), Gaussian radial profile `Y = Y_c exp(−r²/σ²)` with
//!   `σ = λ k x`, `λ = 1.16`, and `k = (1+λ²)/(λ² · 5.4 · 2√2) = 0.114` so that the H₂ mass
//!   flux is conserved; mixture density from ideal mixing of H₂ and air at ambient
//!   temperature and pressure. The H₂ mass per unit length between two mass fractions is
//!   analytic, `π σ² (P/RT) ln((a + bY₂)/(a + bY₁))/b` with `a = 1/M_air`,
//!   `b = 1/M_H₂ − 1/M_air`; it is integrated numerically along x up to the LFL distance.
//! - Flammable mass: H₂ between LFL 4 % and UFL 75 % (mole).
//! - Detonable mass (after Bauwens & Dorofeev 2019, **assumed** form): a point of the
//!   flammable cloud is detonable where the H₂–air detonation cell width λ_c(X) is at most
//!   the local cloud width (twice the LFL radius of its slice) divided by
//!   `detonation_cells_across` (default 13, the critical-tube-diameter criterion). Cell width
//!   fit (**assumed**, by eye to the Caltech Detonation Database, Kaneshige & Shepherd 1997,
//!   1 atm, ~295 K): `ln λ_c = ln(12 mm) + c (ln φ)²`, `c = 3.7` lean, `2.3` rich, φ the
//!   equivalence ratio.
//! - Blast: TNT (η default 0.03) or BST on the flammable mass (`M_f` default by mass flow
//!   as in HyRAM's validation: > 1 kg/s 0.7, 0.5–1 kg/s 0.35, else 0.2), or the detonable
//!   mass with the BST `M_f = 5.2` (detonation) curve; distances from the release point.
//!
//! # Validity
//!
//! Simplified VCE models are good to a factor of about 2 (reference §16.1). Inputs refused
//! outside (assumed bounds): masses `(0, 1e9]` kg; heats `(0, 1e9]` J/kg; distances
//! `[0, 1e6]` m; `0 < η <= 1`; TNT energy `(0, 1e8]` J/kg; ambient pressure `(0, 1e7]` Pa;
//! ground factor `[1, 2]`; at most 10 000 distances.

use serde::{Deserialize, Serialize};

use crate::ModelEntry;
use crate::blast::{KingeryBulmashInput, KingeryBulmashOutput, kingery_bulmash};
use crate::error::{QraError, check, finite_result};
use crate::fire::{AIR_MOLAR_MASS_KG_MOL, GAS_CONSTANT, GasJetSource, JetFuel, gas_jet_source};
use crate::numeric::outer_crossing;
use crate::probit::{OverpressureHarm, overpressure_lethality};

/// The models of this module, for [`crate::run_model`].
pub(crate) const MODELS: &[ModelEntry] = &[
    ModelEntry {
        name: "tnt_equivalence",
        description: "TNT equivalence of a flammable mass, W = eta m dHc / E_TNT, with Kingery-Bulmash blast at a distance / 可燃质量的 TNT 当量 W = η·m·ΔHc/E_TNT，及给定距离处的 Kingery-Bulmash 爆炸参数",
        run: |v| crate::run_json("tnt_equivalence", v, tnt_equivalence),
    },
    ModelEntry {
        name: "bst",
        description: "Baker-Strehlow-Tang vapour cloud explosion: flame Mach from confinement/reactivity/congestion, digitised CCPS curves, side-on overpressure at a distance / Baker-Strehlow-Tang 蒸气云爆炸：由受限度/反应性/拥塞度确定火焰马赫数，CCPS 数字化曲线，给定距离处的侧向超压",
        run: |v| crate::run_json("bst", v, bst),
    },
    ModelEntry {
        name: "h2_jet_explosion",
        description: "Unconfined hydrogen-jet explosion: jet flammable and detonable (Bauwens-Dorofeev) mass, overpressure by TNT, BST or detonable mass / 氢气射流无约束爆炸：射流可燃质量与可爆轰质量（Bauwens-Dorofeev），按 TNT、BST 或可爆轰质量计算超压",
        run: |v| crate::run_json("h2_jet_explosion", v, h2_jet_explosion),
    },
];

/// Default TNT blast energy, J/kg (HyRAM).
pub const TNT_BLAST_ENERGY_J_KG: f64 = 4.68e6;

fn mass(field: &'static str, v: f64) -> Result<f64, QraError> {
    check(field, v, "0 < value <= 1e9", |v| v > 0.0 && v <= 1e9)
}
fn heat(field: &'static str, v: f64) -> Result<f64, QraError> {
    check(field, v, "0 < value <= 1e9", |v| v > 0.0 && v <= 1e9)
}
fn distance(field: &'static str, v: f64) -> Result<f64, QraError> {
    check(field, v, "0 <= value <= 1e6", |v| (0.0..=1e6).contains(&v))
}

// ---------------------------------------------------------------------------------------
// TNT equivalence
// ---------------------------------------------------------------------------------------

/// A TNT-equivalent hemispherical surface burst, for fast evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TntBlast {
    /// TNT-equivalent mass, kg (0 < W <= 1e9).
    pub tnt_mass_kg: f64,
}

impl TntBlast {
    /// Kingery–Bulmash at the scaled distance clamped to the fit's near end; `None` beyond it.
    fn kb(&self, distance_m: f64) -> Option<KingeryBulmashOutput> {
        let w13 = self.tnt_mass_kg.cbrt();
        let d = distance_m.max(0.2 * w13 * (1.0 + 1e-12));
        kingery_bulmash(&KingeryBulmashInput {
            tnt_mass_kg: self.tnt_mass_kg,
            distance_m: d,
        })
        .ok()
    }

    /// Incident overpressure (Pa) at `distance_m`; see the [module documentation](self) for
    /// the behaviour outside the fit. NaN gives NaN.
    pub fn overpressure_pa_at(&self, distance_m: f64) -> f64 {
        if distance_m.is_nan() {
            return f64::NAN;
        }
        // The overpressure fit alone (the arrival time and impulse are not needed here).
        let w13 = self.tnt_mass_kg.cbrt();
        let z = (distance_m / w13).max(0.2 * (1.0 + 1e-12));
        match crate::blast::overpressure_kpa_at_scaled(z) {
            Some(kpa) if kpa.is_finite() => kpa * 1e3,
            _ => (6.0536 - 1.4066 * z.ln()).exp() * 1e3,
        }
    }

    /// Incident impulse (Pa·s) at `distance_m`, `None` beyond the impulse fit (Z > 158.7).
    pub fn impulse_pa_s_at(&self, distance_m: f64) -> Option<f64> {
        self.kb(distance_m)?.incident_impulse_kpa_ms
    }

    /// The largest distance (m) at which the overpressure is at least `overpressure_pa`.
    pub fn distance_to_overpressure_m(&self, overpressure_pa: f64) -> Option<f64> {
        if overpressure_pa.is_nan() || overpressure_pa <= 0.0 {
            return None;
        }
        let w13 = self.tnt_mass_kg.cbrt();
        // Beyond Z = 198.5 the power law is exact; choose a Z where P < target.
        let z_hi = ((6.0536 - (overpressure_pa / 1e3).ln()) / 1.4066)
            .exp()
            .max(198.5)
            * 1.01
            + 1.0;
        outer_crossing(
            |d| self.overpressure_pa_at(d),
            overpressure_pa,
            0.0,
            z_hi * w13,
        )
    }

    /// Lethality (0–1) at `distance_m` under `harm` (impulse from Kingery–Bulmash where the
    /// fit reaches); `None` when the harm needs an impulse that is not available.
    pub fn lethality_at(&self, distance_m: f64, harm: OverpressureHarm) -> Option<f64> {
        overpressure_lethality(
            harm,
            self.overpressure_pa_at(distance_m),
            self.impulse_pa_s_at(distance_m),
        )
    }
}

fn default_eta() -> f64 {
    0.03
}
fn default_tnt_energy() -> f64 {
    TNT_BLAST_ENERGY_J_KG
}

/// Input of [`tnt_equivalence`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TntEquivalenceInput {
    /// Flammable (or, conservatively, released) mass m_f, kg.
    pub flammable_mass_kg: f64,
    /// Heat of combustion ΔH_c, J/kg.
    pub heat_of_combustion_j_kg: f64,
    /// Yield (explosion efficiency) η, 0–1 (default 0.03).
    #[serde(default = "default_eta")]
    pub yield_factor: f64,
    /// TNT blast energy E_TNT, J/kg (default 4.68e6).
    #[serde(default = "default_tnt_energy")]
    pub tnt_blast_energy_j_kg: f64,
    /// Distance for the Kingery–Bulmash blast parameters, m (optional).
    #[serde(default)]
    pub distance_m: Option<f64>,
}

/// Output of [`tnt_equivalence`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TntEquivalenceOutput {
    /// TNT-equivalent mass, kg.
    pub tnt_mass_kg: f64,
    /// Kingery–Bulmash blast parameters at `distance_m` (when given).
    pub blast: Option<KingeryBulmashOutput>,
}

/// TNT 当量 — TNT equivalence, `W = η m ΔH_c / E_TNT`, with the blast at a distance.
pub fn tnt_equivalence(input: &TntEquivalenceInput) -> Result<TntEquivalenceOutput, QraError> {
    let m = mass("flammable_mass_kg", input.flammable_mass_kg)?;
    let hc = heat("heat_of_combustion_j_kg", input.heat_of_combustion_j_kg)?;
    let eta = check("yield_factor", input.yield_factor, "0 < value <= 1", |v| {
        v > 0.0 && v <= 1.0
    })?;
    let e = check(
        "tnt_blast_energy_j_kg",
        input.tnt_blast_energy_j_kg,
        "0 < value <= 1e8",
        |v| v > 0.0 && v <= 1e8,
    )?;
    let w = finite_result("tnt_equivalence", "tnt_mass_kg", eta * m * hc / e)?;
    let blast = match input.distance_m {
        Some(d) => Some(kingery_bulmash(&KingeryBulmashInput {
            tnt_mass_kg: w,
            distance_m: d,
        })?),
        None => None,
    };
    Ok(TntEquivalenceOutput {
        tnt_mass_kg: w,
        blast,
    })
}

// ---------------------------------------------------------------------------------------
// BST curve table, parsed at compile time from data/bst-curves-af.csv
// ---------------------------------------------------------------------------------------

const BST_CSV: &[u8] = include_bytes!("../data/bst-curves-af.csv");
const BST_MAX_POINTS: usize = 1400;
const BST_MAX_CURVES: usize = 16;

struct BstTable {
    /// Flame Mach number of each curve, ascending.
    mf: [f64; BST_MAX_CURVES],
    /// First point of each curve.
    start: [usize; BST_MAX_CURVES],
    /// Number of points of each curve.
    len: [usize; BST_MAX_CURVES],
    n_curves: usize,
    /// Scaled distance, ascending within a curve.
    r: [f64; BST_MAX_POINTS],
    /// Scaled overpressure, the non-increasing upper envelope.
    p: [f64; BST_MAX_POINTS],
}

/// Parses a decimal number starting at `i`; returns `(value, index after it)`.
const fn parse_number(s: &[u8], mut i: usize) -> (f64, usize) {
    let mut negative = false;
    if i < s.len() && s[i] == b'-' {
        negative = true;
        i += 1;
    }
    let mut mantissa: u64 = 0;
    let mut scale: i32 = 0;
    let mut digits = 0;
    let mut seen_dot = false;
    while i < s.len() {
        let c = s[i];
        if c >= b'0' && c <= b'9' {
            if digits < 18 {
                mantissa = mantissa * 10 + (c - b'0') as u64;
                digits += 1;
                if seen_dot {
                    scale -= 1;
                }
            } else if !seen_dot {
                scale += 1;
            }
        } else if c == b'.' && !seen_dot {
            seen_dot = true;
        } else {
            break;
        }
        i += 1;
    }
    if digits == 0 {
        panic!("bst-curves-af.csv: expected a number");
    }
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        i += 1;
        let mut exp_negative = false;
        if i < s.len() && (s[i] == b'-' || s[i] == b'+') {
            exp_negative = s[i] == b'-';
            i += 1;
        }
        let mut e: i32 = 0;
        while i < s.len() && s[i] >= b'0' && s[i] <= b'9' {
            e = e * 10 + (s[i] - b'0') as i32;
            i += 1;
        }
        scale += if exp_negative { -e } else { e };
    }
    let mut value = mantissa as f64;
    let mut pow = 1.0;
    let mut k = if scale < 0 { -scale } else { scale };
    while k > 0 {
        pow *= 10.0;
        k -= 1;
    }
    if scale < 0 {
        value /= pow;
    } else {
        value *= pow;
    }
    (if negative { -value } else { value }, i)
}

const fn parse_bst(s: &[u8]) -> BstTable {
    let mut t = BstTable {
        mf: [0.0; BST_MAX_CURVES],
        start: [0; BST_MAX_CURVES],
        len: [0; BST_MAX_CURVES],
        n_curves: 0,
        r: [0.0; BST_MAX_POINTS],
        p: [0.0; BST_MAX_POINTS],
    };
    let mut i = 0;
    let mut n = 0;
    let mut header_seen = false;
    while i < s.len() {
        let c = s[i];
        if c == b'\n' || c == b'\r' {
            i += 1;
            continue;
        }
        if c == b'#' || !header_seen && c == b'M' {
            if c == b'M' {
                header_seen = true;
            }
            while i < s.len() && s[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let (mf, j) = parse_number(s, i);
        if j >= s.len() || s[j] != b',' {
            panic!("bst-curves-af.csv: expected a comma");
        }
        let (r, j) = parse_number(s, j + 1);
        if j >= s.len() || s[j] != b',' {
            panic!("bst-curves-af.csv: expected a comma");
        }
        let (p, j) = parse_number(s, j + 1);
        i = j;
        if n >= BST_MAX_POINTS {
            panic!("bst-curves-af.csv: too many points");
        }
        if !(r > 0.0 && p > 0.0) {
            panic!("bst-curves-af.csv: non-positive value");
        }
        let new_curve = t.n_curves == 0 || mf != t.mf[t.n_curves - 1];
        if new_curve {
            if t.n_curves >= BST_MAX_CURVES {
                panic!("bst-curves-af.csv: too many curves");
            }
            if t.n_curves > 0 && mf <= t.mf[t.n_curves - 1] {
                panic!("bst-curves-af.csv: curves not in ascending Mf");
            }
            t.mf[t.n_curves] = mf;
            t.start[t.n_curves] = n;
            t.n_curves += 1;
        } else if r <= t.r[n - 1] {
            panic!("bst-curves-af.csv: scaled distance not ascending within a curve");
        }
        t.r[n] = r;
        t.p[n] = p;
        t.len[t.n_curves - 1] += 1;
        n += 1;
    }
    // Non-increasing upper envelope of each curve (running maximum from the far end).
    let mut c = 0;
    while c < t.n_curves {
        let start = t.start[c];
        let len = t.len[c];
        if len < 2 {
            panic!("bst-curves-af.csv: a curve with fewer than 2 points");
        }
        let mut k = start + len - 1;
        while k > start {
            if t.p[k - 1] < t.p[k] {
                t.p[k - 1] = t.p[k];
            }
            k -= 1;
        }
        c += 1;
    }
    t
}

static BST_TABLE: BstTable = parse_bst(BST_CSV);

/// Smallest and largest flame Mach number of the BST curves.
pub const BST_FLAME_MACH_RANGE: (f64, f64) = (0.037, 5.2);

/// The flame Mach numbers of the digitised BST curves, ascending.
pub fn bst_curve_flame_machs() -> &'static [f64] {
    &BST_TABLE.mf[..BST_TABLE.n_curves]
}

/// The table's points as natural logarithms (ln R̄, ln P̄), computed once: the curves are
/// interpolated linearly in log–log space, so a lookup needs no logarithm of table values.
struct BstLogs {
    r: Vec<f64>,
    p: Vec<f64>,
}

fn bst_logs() -> &'static BstLogs {
    static LOGS: std::sync::OnceLock<BstLogs> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let t = &BST_TABLE;
        let n: usize = t.start[t.n_curves.saturating_sub(1)] + t.len[t.n_curves.saturating_sub(1)];
        BstLogs {
            r: t.r[..n].iter().map(|v| v.ln()).collect(),
            p: t.p[..n].iter().map(|v| v.ln()).collect(),
        }
    })
}

/// ln of the scaled overpressure of curve `c` at ln R̄ = `lr`.
fn bst_curve_ln(c: usize, lr: f64) -> f64 {
    let t = &BST_TABLE;
    let logs = bst_logs();
    let (start, len) = (t.start[c], t.len[c]);
    let (r, p) = (&logs.r[start..start + len], &logs.p[start..start + len]);
    let k = r.partition_point(|&x| x <= lr);
    if k == 0 {
        return p[0];
    }
    if k >= len {
        // 1/R̄ decay beyond the last point.
        return p[len - 1] + r[len - 1] - lr;
    }
    let (r0, r1, p0, p1) = (r[k - 1], r[k], p[k - 1], p[k]);
    p0 + (lr - r0) / (r1 - r0) * (p1 - p0)
}

/// Scaled overpressure of curve `c` at `rbar` (> 0).
fn bst_curve(c: usize, rbar: f64) -> f64 {
    bst_curve_ln(c, rbar.ln()).exp()
}

/// BST scaled overpressure `P̄(R̄, M_f)`, for `M_f` in [`BST_FLAME_MACH_RANGE`] and `R̄ > 0`;
/// NaN outside. Non-increasing in `R̄`.
pub fn bst_scaled_overpressure(rbar: f64, flame_mach: f64) -> f64 {
    let t = &BST_TABLE;
    let n = t.n_curves;
    if rbar.is_nan() || rbar <= 0.0 || !(t.mf[0]..=t.mf[n - 1]).contains(&flame_mach) {
        return f64::NAN;
    }
    let hi = t.mf[..n].partition_point(|&m| m < flame_mach).min(n - 1);
    if t.mf[hi] == flame_mach || hi == 0 {
        return bst_curve(hi, rbar);
    }
    let lo = hi - 1;
    let w = (flame_mach / t.mf[lo]).ln() / (t.mf[hi] / t.mf[lo]).ln();
    let lr = rbar.ln();
    let (a, b) = (bst_curve_ln(lo, lr), bst_curve_ln(hi, lr));
    (a + w * (b - a)).exp()
}

// ---------------------------------------------------------------------------------------
// BST
// ---------------------------------------------------------------------------------------

/// Confinement class of the BST flame-speed table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Confinement {
    /// 2D: flame expansion in two dimensions (between parallel planes).
    #[serde(rename = "2D")]
    TwoD,
    /// 2.5D: partial confinement.
    #[serde(rename = "2.5D")]
    TwoAndHalfD,
    /// 3D: unconfined.
    #[serde(rename = "3D")]
    ThreeD,
}

/// Low / medium / high class (fuel reactivity, obstacle congestion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

/// BST flame Mach number from the confinement × reactivity × congestion table (reference
/// §13.2); "DDT" cells give 5.2.
pub const fn bst_flame_mach(confinement: Confinement, reactivity: Level, congestion: Level) -> f64 {
    use Confinement::*;
    use Level::*;
    const DDT: f64 = 5.2;
    match (confinement, reactivity, congestion) {
        (TwoD, High, Low) => 0.59,
        (TwoD, High, _) => DDT,
        (TwoD, Medium, Low) => 0.47,
        (TwoD, Medium, Medium) => 0.66,
        (TwoD, Medium, High) => 1.6,
        (TwoD, Low, Low) => 0.079,
        (TwoD, Low, Medium) => 0.47,
        (TwoD, Low, High) => 0.66,
        (TwoAndHalfD, High, Low) => 0.47,
        (TwoAndHalfD, High, _) => DDT,
        (TwoAndHalfD, Medium, Low) => 0.29,
        (TwoAndHalfD, Medium, Medium) => 0.55,
        (TwoAndHalfD, Medium, High) => 1.0,
        (TwoAndHalfD, Low, Low) => 0.053,
        (TwoAndHalfD, Low, Medium) => 0.35,
        (TwoAndHalfD, Low, High) => 0.50,
        (ThreeD, High, Low) => 0.36,
        (ThreeD, High, _) => DDT,
        (ThreeD, Medium, Low) => 0.11,
        (ThreeD, Medium, Medium) => 0.44,
        (ThreeD, Medium, High) => 0.50,
        (ThreeD, Low, Low) => 0.026,
        (ThreeD, Low, Medium) => 0.23,
        (ThreeD, Low, High) => 0.34,
    }
}

/// A BST blast, for fast evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BstBlast {
    /// Explosion energy E (including the ground-reflection factor), J.
    pub energy_j: f64,
    /// Ambient pressure P₀, Pa.
    pub ambient_pressure_pa: f64,
    /// Flame Mach number, in [0.037, 5.2].
    pub flame_mach: f64,
}

impl BstBlast {
    /// Scaled distance `R̄ = R/(E/P₀)^(1/3)`.
    pub fn scaled_distance(&self, distance_m: f64) -> f64 {
        distance_m / (self.energy_j / self.ambient_pressure_pa).cbrt()
    }

    /// Side-on overpressure (Pa) at `distance_m` (the flat near-field value at 0).
    pub fn overpressure_pa_at(&self, distance_m: f64) -> f64 {
        let rbar = self.scaled_distance(distance_m).max(1e-6);
        bst_scaled_overpressure(rbar, self.flame_mach) * self.ambient_pressure_pa
    }

    /// The largest distance (m) at which the overpressure is at least `overpressure_pa`.
    pub fn distance_to_overpressure_m(&self, overpressure_pa: f64) -> Option<f64> {
        if overpressure_pa.is_nan() || overpressure_pa <= 0.0 {
            return None;
        }
        let scale = (self.energy_j / self.ambient_pressure_pa).cbrt();
        let mut hi = 10.0 * scale;
        while self.overpressure_pa_at(hi) >= overpressure_pa {
            hi *= 2.0;
            if !hi.is_finite() || hi > 1e12 {
                return None;
            }
        }
        outer_crossing(|d| self.overpressure_pa_at(d), overpressure_pa, 0.0, hi)
    }

    /// Lethality (0–1) at `distance_m` under `harm`; `None` for probits needing an impulse.
    pub fn lethality_at(&self, distance_m: f64, harm: OverpressureHarm) -> Option<f64> {
        overpressure_lethality(harm, self.overpressure_pa_at(distance_m), None)
    }
}

fn default_p0() -> f64 {
    101_325.0
}
fn default_ground() -> f64 {
    2.0
}

/// Input of [`bst`]: give `flame_mach`, or all of `confinement`, `reactivity`, `congestion`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BstInput {
    /// Flammable mass m_f, kg.
    pub flammable_mass_kg: f64,
    /// Heat of combustion ΔH_c, J/kg.
    pub heat_of_combustion_j_kg: f64,
    /// Flame Mach number, 0.037–5.2.
    #[serde(default)]
    pub flame_mach: Option<f64>,
    /// Confinement class (with `reactivity` and `congestion`).
    #[serde(default)]
    pub confinement: Option<Confinement>,
    /// Fuel reactivity class.
    #[serde(default)]
    pub reactivity: Option<Level>,
    /// Obstacle congestion class.
    #[serde(default)]
    pub congestion: Option<Level>,
    /// Ambient pressure P₀, Pa (default 101 325).
    #[serde(default = "default_p0")]
    pub ambient_pressure_pa: f64,
    /// Ground-reflection factor on the energy, 1–2 (default 2).
    #[serde(default = "default_ground")]
    pub ground_reflection_factor: f64,
    /// Distance from the cloud centre, m.
    pub distance_m: f64,
}

/// Output of [`bst`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BstOutput {
    /// Flame Mach number used.
    pub flame_mach: f64,
    /// Explosion energy E, J.
    pub energy_j: f64,
    /// Scaled distance R̄.
    pub scaled_distance: f64,
    /// Scaled overpressure P̄.
    pub scaled_overpressure: f64,
    /// Side-on overpressure, Pa.
    pub overpressure_pa: f64,
    /// The blast, for [`BstBlast::overpressure_pa_at`] and friends.
    pub blast: BstBlast,
}

fn check_flame_mach(v: f64) -> Result<f64, QraError> {
    check("flame_mach", v, "0.037 <= value <= 5.2", |v| {
        (BST_FLAME_MACH_RANGE.0..=BST_FLAME_MACH_RANGE.1).contains(&v)
    })
}

/// Baker–Strehlow–Tang 爆炸曲线法 — BST vapour cloud explosion overpressure.
pub fn bst(input: &BstInput) -> Result<BstOutput, QraError> {
    const MODEL: &str = "bst";
    let mf = match (
        input.flame_mach,
        input.confinement,
        input.reactivity,
        input.congestion,
    ) {
        (Some(mf), None, None, None) => check_flame_mach(mf)?,
        (None, Some(c), Some(r), Some(g)) => bst_flame_mach(c, r, g),
        _ => {
            return Err(QraError::InvalidInput {
                model: MODEL,
                message: "give `flame_mach`, or all of `confinement`, `reactivity`, `congestion` / 请给出 `flame_mach`，或同时给出 `confinement`、`reactivity`、`congestion`".to_owned(),
            });
        }
    };
    let m = mass("flammable_mass_kg", input.flammable_mass_kg)?;
    let hc = heat("heat_of_combustion_j_kg", input.heat_of_combustion_j_kg)?;
    let p0 = check(
        "ambient_pressure_pa",
        input.ambient_pressure_pa,
        "0 < value <= 1e7",
        |v| v > 0.0 && v <= 1e7,
    )?;
    let g = check(
        "ground_reflection_factor",
        input.ground_reflection_factor,
        "1 <= value <= 2",
        |v| (1.0..=2.0).contains(&v),
    )?;
    let d = distance("distance_m", input.distance_m)?;
    let blast = BstBlast {
        energy_j: finite_result(MODEL, "energy_j", g * m * hc)?,
        ambient_pressure_pa: p0,
        flame_mach: mf,
    };
    let rbar = blast.scaled_distance(d);
    let pbar = bst_scaled_overpressure(rbar.max(1e-6), mf);
    Ok(BstOutput {
        flame_mach: mf,
        energy_j: blast.energy_j,
        scaled_distance: finite_result(MODEL, "scaled_distance", rbar)?,
        scaled_overpressure: finite_result(MODEL, "scaled_overpressure", pbar)?,
        overpressure_pa: finite_result(MODEL, "overpressure_pa", pbar * p0)?,
        blast,
    })
}

// ---------------------------------------------------------------------------------------
// Hydrogen jet: flammable and detonable mass
// ---------------------------------------------------------------------------------------

/// H₂ lower flammability limit, mole fraction in air.
pub const H2_LFL: f64 = 0.04;
/// H₂ upper flammability limit, mole fraction in air.
pub const H2_UFL: f64 = 0.75;
/// Centre-line decay constant of the jet mass fraction (Chen & Rodi 1980).
const JET_DECAY: f64 = 5.4;
/// Ratio of the concentration to the velocity half-width (Gaussian profiles).
const JET_LAMBDA: f64 = 1.16;
/// Stoichiometric H₂/air mole ratio (H₂ + ½(O₂ + 3.76 N₂)).
const H2_AIR_STOICH: f64 = 2.0 / 4.76;

/// Mass fraction of H₂ in air from its mole fraction.
fn h2_mass_fraction(mole_fraction: f64) -> f64 {
    let mh = JetFuel::HYDROGEN.molar_mass_kg_mol;
    mole_fraction * mh / (mole_fraction * mh + (1.0 - mole_fraction) * AIR_MOLAR_MASS_KG_MOL)
}

/// H₂–air detonation cell width (m) at equivalence ratio φ (assumed fit, module docs).
pub fn h2_detonation_cell_width_m(equivalence_ratio: f64) -> f64 {
    let l = equivalence_ratio.ln();
    let c = if l < 0.0 { 3.7 } else { 2.3 };
    0.012 * (c * l * l).exp()
}

/// The flammable cloud of an unignited hydrogen jet (see the [module documentation](self)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct H2JetCloud {
    /// Distance along the jet axis to the LFL on the centre line, m.
    pub lfl_distance_m: f64,
    /// H₂ mass between LFL and UFL, kg.
    pub flammable_mass_kg: f64,
    /// H₂ mass in the detonable part of the cloud, kg.
    pub detonable_mass_kg: f64,
}

/// Flammable and detonable H₂ mass of a momentum jet from `source`, at ambient pressure and
/// temperature; `cells_across` is the detonable-width criterion (cloud width / cell width).
pub fn h2_jet_cloud(
    source: &GasJetSource,
    ambient_pressure_pa: f64,
    ambient_temperature_k: f64,
    cells_across: f64,
) -> H2JetCloud {
    let mh = JetFuel::HYDROGEN.molar_mass_kg_mol;
    let a = 1.0 / AIR_MOLAR_MASS_KG_MOL;
    let b = 1.0 / mh - a;
    let c = ambient_pressure_pa / (GAS_CONSTANT * ambient_temperature_k);
    // H₂ mass per unit area-weight between mass fractions y1 < y2: c ln((a+b y2)/(a+b y1))/b.
    let band = |y1: f64, y2: f64| {
        if y2 > y1 {
            c * ((a + b * y2) / (a + b * y1)).ln() / b
        } else {
            0.0
        }
    };
    let k = (1.0 + JET_LAMBDA * JET_LAMBDA)
        / (JET_LAMBDA * JET_LAMBDA * JET_DECAY * 2.0 * std::f64::consts::SQRT_2);
    let d_star = source.momentum_diameter_m;
    let y_lfl = h2_mass_fraction(H2_LFL);
    let y_ufl = h2_mass_fraction(H2_UFL);
    let x0 = JET_DECAY * d_star;
    let x_end = JET_DECAY * d_star / y_lfl;
    let to_y = |phi: f64| {
        let x = H2_AIR_STOICH * phi / (1.0 + H2_AIR_STOICH * phi);
        h2_mass_fraction(x)
    };
    const N: usize = 400;
    let ratio = (x_end / x0).ln();
    let (mut flammable, mut detonable) = (0.0, 0.0);
    for i in 0..N {
        let x = x0 * (ratio * (i as f64 + 0.5) / N as f64).exp();
        let dx = x * ratio / N as f64;
        let yc = (JET_DECAY * d_star / x).min(1.0);
        if yc <= y_lfl {
            continue;
        }
        let sigma = JET_LAMBDA * k * x;
        let area = std::f64::consts::PI * sigma * sigma;
        let y_top = yc.min(y_ufl);
        flammable += area * band(y_lfl, y_top) * dx;
        // Detonable band: cell width <= cloud width / cells_across.
        let width = 2.0 * sigma * (yc / y_lfl).ln().sqrt();
        let q = (width / cells_across / 0.012).ln();
        if q > 0.0 {
            let y_lo = to_y((-(q / 3.7).sqrt()).exp()).max(y_lfl);
            let y_hi = to_y((q / 2.3).sqrt().exp()).min(y_top);
            detonable += area * band(y_lo, y_hi) * dx;
        }
    }
    H2JetCloud {
        lfl_distance_m: x_end,
        flammable_mass_kg: flammable,
        detonable_mass_kg: detonable,
    }
}

/// Blast method of [`h2_jet_explosion`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum H2JetExplosionMethod {
    /// TNT equivalence of the flammable mass.
    Tnt,
    /// BST on the flammable mass.
    Bst,
    /// Bauwens–Dorofeev: the detonable mass on the BST M_f = 5.2 curve.
    Bauwens,
}

fn default_cells() -> f64 {
    13.0
}
fn default_ta() -> f64 {
    288.15
}
fn default_cd() -> f64 {
    1.0
}

/// Input of [`h2_jet_explosion`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct H2JetExplosionInput {
    /// Reservoir (stagnation) pressure, Pa absolute.
    pub reservoir_pressure_pa: f64,
    /// Reservoir temperature, K.
    pub reservoir_temperature_k: f64,
    /// Hole diameter, m.
    pub hole_diameter_m: f64,
    /// Discharge coefficient (default 1, **assumed**).
    #[serde(default = "default_cd")]
    pub discharge_coefficient: f64,
    /// Ambient pressure, Pa (default 101 325).
    #[serde(default = "default_p0")]
    pub ambient_pressure_pa: f64,
    /// Ambient temperature, K (default 288.15, **assumed**).
    #[serde(default = "default_ta")]
    pub ambient_temperature_k: f64,
    /// Blast method.
    pub method: H2JetExplosionMethod,
    /// BST flame Mach number (default by mass flow, see the module documentation).
    #[serde(default)]
    pub flame_mach: Option<f64>,
    /// TNT yield factor η (default 0.03).
    #[serde(default = "default_eta")]
    pub yield_factor: f64,
    /// Detonable-width criterion: cloud width over cell width (default 13, **assumed**).
    #[serde(default = "default_cells")]
    pub detonation_cells_across: f64,
    /// Distances from the release point, m.
    pub distances_m: Vec<f64>,
}

/// Overpressure at one distance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverpressureAt {
    /// Distance from the release point, m.
    pub distance_m: f64,
    /// Side-on overpressure, Pa.
    pub overpressure_pa: f64,
}

/// Output of [`h2_jet_explosion`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct H2JetExplosionOutput {
    /// The release and its notional nozzle.
    pub source: GasJetSource,
    /// The flammable cloud.
    pub cloud: H2JetCloud,
    /// TNT-equivalent mass (TNT method), kg.
    pub tnt_mass_kg: Option<f64>,
    /// BST energy (BST and Bauwens methods), J.
    pub energy_j: Option<f64>,
    /// BST flame Mach number used (BST and Bauwens methods).
    pub flame_mach: Option<f64>,
    /// Overpressure at each distance.
    pub overpressures: Vec<OverpressureAt>,
}

/// HyRAM's default BST flame Mach number for an H₂ jet by mass flow rate.
pub fn h2_jet_default_flame_mach(mass_flow_rate_kg_s: f64) -> f64 {
    if mass_flow_rate_kg_s > 1.0 {
        0.7
    } else if mass_flow_rate_kg_s >= 0.5 {
        0.35
    } else {
        0.2
    }
}

/// 氢气射流爆炸 — unconfined hydrogen-jet explosion overpressure.
pub fn h2_jet_explosion(input: &H2JetExplosionInput) -> Result<H2JetExplosionOutput, QraError> {
    const MODEL: &str = "h2_jet_explosion";
    let src = gas_jet_source(
        &JetFuel::HYDROGEN,
        input.reservoir_pressure_pa,
        input.reservoir_temperature_k,
        input.hole_diameter_m,
        input.discharge_coefficient,
        input.ambient_pressure_pa,
        input.ambient_temperature_k,
    )?;
    let cells = check(
        "detonation_cells_across",
        input.detonation_cells_across,
        "1 <= value <= 1000",
        |v| (1.0..=1000.0).contains(&v),
    )?;
    if input.distances_m.len() > 10_000 {
        return Err(QraError::OutOfRange {
            field: "distances_m",
            value: input.distances_m.len() as f64,
            expected: "at most 10000 distances",
        });
    }
    let cloud = h2_jet_cloud(
        &src,
        input.ambient_pressure_pa,
        input.ambient_temperature_k,
        cells,
    );
    finite_result(MODEL, "flammable_mass_kg", cloud.flammable_mass_kg)?;
    finite_result(MODEL, "detonable_mass_kg", cloud.detonable_mass_kg)?;
    let hc = JetFuel::HYDROGEN.heat_of_combustion_j_kg;
    let p0 = input.ambient_pressure_pa;
    enum Blast {
        Tnt(TntBlast),
        Bst(BstBlast),
        Nothing,
    }
    let (blast, tnt_mass, energy, mach) = match input.method {
        H2JetExplosionMethod::Tnt => {
            let eta = check("yield_factor", input.yield_factor, "0 < value <= 1", |v| {
                v > 0.0 && v <= 1.0
            })?;
            let w = eta * cloud.flammable_mass_kg * hc / TNT_BLAST_ENERGY_J_KG;
            let blast = if w > 0.0 {
                Blast::Tnt(TntBlast { tnt_mass_kg: w })
            } else {
                Blast::Nothing
            };
            (blast, Some(w), None, None)
        }
        H2JetExplosionMethod::Bst | H2JetExplosionMethod::Bauwens => {
            let (m, mf) = if input.method == H2JetExplosionMethod::Bst {
                let mf = match input.flame_mach {
                    Some(mf) => check_flame_mach(mf)?,
                    None => h2_jet_default_flame_mach(src.mass_flow_rate_kg_s),
                };
                (cloud.flammable_mass_kg, mf)
            } else {
                (cloud.detonable_mass_kg, BST_FLAME_MACH_RANGE.1)
            };
            let e = 2.0 * m * hc;
            let blast = if e > 0.0 {
                Blast::Bst(BstBlast {
                    energy_j: e,
                    ambient_pressure_pa: p0,
                    flame_mach: mf,
                })
            } else {
                Blast::Nothing
            };
            (blast, None, Some(e), Some(mf))
        }
    };
    let mut overpressures = Vec::with_capacity(input.distances_m.len());
    for &d in &input.distances_m {
        let d = distance("distances_m", d)?;
        let p = match &blast {
            Blast::Tnt(b) => b.overpressure_pa_at(d),
            Blast::Bst(b) => b.overpressure_pa_at(d),
            Blast::Nothing => 0.0,
        };
        overpressures.push(OverpressureAt {
            distance_m: d,
            overpressure_pa: finite_result(MODEL, "overpressure_pa", p)?,
        });
    }
    Ok(H2JetExplosionOutput {
        source: src,
        cloud,
        tnt_mass_kg: tnt_mass,
        energy_j: energy,
        flame_mach: mach,
        overpressures,
    })
}
