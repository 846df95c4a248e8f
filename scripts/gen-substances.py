#!/usr/bin/env python3
"""Generate crates/qra/data/substances.csv and crates/qra/data/toxic-endpoints.csv.

Properties come from the MIT-licensed ChEDL packages `chemicals` (constants, safety data)
and `thermo` (temperature-dependent property objects that pick among the correlations and
data sets shipped in `chemicals`). See shared/reference/qra-consequence.md §18a.

Run it in a throwaway virtual environment:

    python3 -m venv /tmp/chemvenv
    /tmp/chemvenv/bin/pip install chemicals==1.5.2 thermo==0.6.1
    /tmp/chemvenv/bin/python scripts/gen-substances.py

The generated CSVs are committed; the versions of both packages go in the header line.

Which substances
----------------
Every GB 18218-2018 Table 1 substance (crates/standards/data/gb18218/table1.csv) that is a
gas or a volatile liquid at the reference ambient state 20 °C (293.15 K), 101.325 kPa:

* gas: normal boiling point Tb <= 293.15 K (permanent and liquefied gases alike);
* volatile liquid: melting point < 293.15 K < Tb and vapour pressure at 293.15 K of at least
  10 Pa (0.01 kPa) — the threshold of the EU VOC definition (Directive 1999/13/EC, Art. 2(17)),
  used here for any compound, organic or not;
* everything else is excluded and listed, with the reason, in the CSV's comment lines
  (solids, low-volatility liquids, mixtures with no single CAS, substances the package lacks).

Multi-substance Table 1 rows: LPG (row 52) gives a propane and an n-butane row; methane /
natural gas (row 49) gives a methane row (natural gas CAS as an alias); coal gas (row 13,
no CAS) is represented by carbon monoxide. The demo's further named flammable/toxic
chemicals that are not Table 1 substances are added (`gb18218_no` empty): dichloromethane
and xylene (m-xylene standing for mixed xylenes, CAS 1330-20-7 as an alias).

Property choices (each row's `methods` column names the method actually used)
--------------------------------------------------------------------------------
* Correlations/data sets are taken in thermo's default order, data (and fits to data)
  before estimation methods, except that DIPPR-derived sets
  (thermo method `DIPPR_PERRY_8E`) are never used: DIPPR data must not be redistributed
  (reference §16.2).
* Liquid density: saturated liquid at 20 °C (`liquid_density_20c_kg_m3`, empty when
  20 °C is above the critical temperature) and at the normal boiling point
  (`liquid_density_tb_kg_m3`).
* Heat of vaporisation at Tb; liquid heat capacity at Tb and at 20 °C (saturated liquid).
* Gas heat-capacity ratio: ideal gas at 298.15 K, k = Cp / (Cp − R).
* Vapour pressure: value at 20 °C, and an Antoine fit log10(P/Pa) = A − B/(T/K + C) fitted
  by least squares (in log P) to thermo's vapour-pressure curve over [antoine_tmin_k,
  antoine_tmax_k]; the fit's largest relative deviation there is kept in `antoine_max_rel_err`.
* Heat of combustion: lower (net) heat of combustion, ideal-gas fuel at 25 °C, water as
  vapour: −ΔH_c from chemicals.combustion with the ideal-gas heat of formation, J/kg
  (positive); empty for non-flammable substances.
* LFL/UFL (volume fractions), flash point and autoignition temperature: chemicals.safety
  (IEC 60079-20-1 / NFPA 497 tables).
* Diffusivity of the vapour in air at 298.15 K, 101.325 kPa: Fuller, Schettler & Giddings
  (Poling, Prausnitz & O'Connell, *The Properties of Gases and Liquids*, 5th ed., eq. 11-4.4,
  Table 11-1 diffusion volumes); empty where an atom has no Fuller volume.
* Exposure limits TWA/STEL/Ceiling: chemicals.safety (Ontario list), converted to ppm at
  25 °C where given in mg/m³.
* `estimated` lists the properties that come from an estimation method (corresponding
  states or group contribution, e.g. Ambrose–Walton vapour pressure, Morgan–Kobayashi heat
  of vaporisation, Joback gas heat capacity) rather than from data: use them with care.
* A package melting point at or above the boiling point is dropped and noted (hydrogen
  chloride: the package gives 203.55 K, above Tb).
* A package flash point at or above the boiling point (a solution's, e.g. formalin) is
  dropped and noted.
* flags: `flammable` when an LFL or flash point is known or the weihua default GB 18218
  category is W2/W5.x; `toxic` when the GHS acute inhalation toxicity category recorded in
  crates/standards/data/gb18218/table1_default_categories.csv is 1, 2 or 3, or a probit is
  entered in toxic-endpoints.csv.
"""

import csv
import io
import math
import os
import re
import sys

import chemicals
import numpy as np
import thermo
from chemicals import MW, Tb, Tc, Pc, Tm, Vc, omega, Hfg, search_chemical
from chemicals.combustion import combustion_data, LHV_from_HHV
from chemicals.safety import LFL, UFL, T_flash, T_autoignition, TWA, STEL, Ceiling, LFL_methods
from scipy.optimize import least_squares
from thermo import (
    EnthalpyVaporization,
    HeatCapacityGas,
    HeatCapacityLiquid,
    VaporPressure,
    VolumeLiquid,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE1 = os.path.join(ROOT, "crates/standards/data/gb18218/table1.csv")
CATEGORIES = os.path.join(ROOT, "crates/standards/data/gb18218/table1_default_categories.csv")
OUT_DIR = os.path.join(ROOT, "crates/qra/data")

T_AMB = 293.15
T_298 = 298.15
P_ATM = 101325.0
R = 8.314462618
VOLATILE_PA = 10.0
EXCLUDED_METHODS = {"DIPPR_PERRY_8E"}
# thermo methods that are estimates (corresponding states, group contribution), not data
# or fits to data: a row's `estimated` column lists the properties that used one.
ESTIMATION_METHODS = {
    "LEE_KESLER_PSAT", "AMBROSE_WALTON", "EDALAT", "SANJARI", "BOILING_CRITICAL",
    "BHIRUD_NORMAL", "YAMADA_GUNN", "TOWNSEND_HALES", "MMSNM0", "CAMPBELL_THODOS", "HTCOSTALD",
    "MORGAN_KOBAYASHI", "PITZER", "RIEDEL", "VETERE", "CHEN", "LIU", "VELASCO",
    "SIVARAMAN_MAGEE_KOBAYASHI", "CLAPEYRON", "ROWLINSON_POLING", "ROWLINSON_BONDI",
    "DADGOSTAR_SHAW", "JOBACK", "EOS",
}

# Extra rows: (cas, name_zh, alias_zh, name_en, gb18218_no, cas_aliases, note)
SPLIT_ROWS = {
    13: [("630-08-0", "一氧化碳", "煤气代表组分", "Carbon monoxide", "13", "",
          "represents 煤气 (Table 1 row 13, a mixture with no CAS)")],
    49: [("74-82-8", "甲烷", "天然气", "Methane", "49", "8006-14-2",
          "Table 1 row 49 甲烷，天然气; natural gas (8006-14-2) taken as methane")],
    52: [("74-98-6", "丙烷", "液化石油气;LPG", "Propane", "52", "68476-85-7",
          "Table 1 row 52 液化石油气; LPG (68476-85-7) taken as propane"),
         ("106-97-8", "正丁烷", "丁烷;液化石油气", "n-Butane", "52", "",
          "Table 1 row 52 液化石油气 (butane component)")],
}
DEMO_EXTRAS = [
    ("75-09-2", "二氯甲烷", "亚甲基氯", "Dichloromethane", "", "",
     "demo chemical, not a GB 18218 Table 1 substance"),
    ("108-38-3", "二甲苯", "间二甲苯;混合二甲苯", "Xylene (m-xylene)", "", "1330-20-7",
     "demo chemical, not a GB 18218 Table 1 substance; m-xylene stands for mixed xylenes"),
]
# Fuller diffusion volumes (Poling et al. 2001, Table 11-1).
FULLER_ATOM = {"C": 15.9, "H": 2.31, "O": 6.11, "N": 4.54, "F": 14.7, "Cl": 21.0,
               "Br": 21.9, "I": 29.8, "S": 22.9}
FULLER_MOLECULE = {"H2": 6.12, "N2": 18.5, "O2": 16.3, "CO": 18.0, "CO2": 26.9, "N2O": 35.9,
                   "NH3": 20.7, "H2O": 13.1, "Cl2": 38.4, "Br2": 69.0, "SO2": 41.8}
FULLER_AIR = 19.7
M_AIR = 28.9647
RING_CORRECTION = {  # aromatic or heterocyclic rings, −18.3 each (Fuller)
    "71-43-2": 1, "108-88-3": 1, "100-42-5": 1, "108-38-3": 1,
    "75-21-8": 1, "75-56-9": 1, "106-89-8": 1, "3132-64-7": 1, "151-56-4": 1,
}

# Probit constants, reference §14.1 (Purple Book form Pr = a + b ln(C^n t), C mg/m³, t min).
PROBIT_SOURCE = ("weihua reference shared/reference/qra-consequence.md §14.1 (Purple Book "
                 "CPR 18E form; constants unconfirmed, check against GB/T 37243 App. H)")
PROBITS = {
    "7664-41-7": (-15.6, 1, 2), "7782-50-5": (-6.35, 0.5, 2.75), "7783-06-4": (-11.5, 1, 1.9),
    "74-90-8": (-9.8, 1, 2.4), "7664-39-3": (-8.4, 1, 1.5), "7647-01-0": (-37.3, 3.69, 1),
    "7446-09-5": (-19.2, 1, 2.4), "10102-44-0": (-18.6, 1, 3.7), "75-44-5": (-10.6, 2, 1),
    "107-02-8": (-4.1, 1, 1), "107-13-1": (-8.6, 1, 1.3), "7726-95-6": (-12.4, 1, 2),
    "50-00-0": (-12.2, 1, 2), "624-83-9": (-1.2, 1, 0.7), "74-83-9": (-7.3, 1, 1.1),
    "7803-51-2": (-6.8, 1, 2), "151-56-4": (-12.2, 1, 1.1),
}
# AEGL 60-min values, ppm (reference §14.4: copy from a secondary source). None = not
# recommended (n/a in the reference).
AEGL_SOURCE = ("weihua reference shared/reference/qra-consequence.md §14.4 (secondary: "
               "pyELDQM chemicals_database.sqlite3, probably CAMEO; primary: US EPA AEGL "
               "values, NAC/NRC; verify against the EPA table)")
AEGL = {
    "7782-50-5": (0.5, 2, 20), "7664-41-7": (30, 160, 1100), "7783-06-4": (0.51, 27, 50),
    "7647-01-0": (1.8, 22, 100), "7446-09-5": (0.20, 0.75, 30), "75-44-5": (None, 0.3, 0.75),
    "74-90-8": (2, 7.1, 15), "7664-39-3": (1, 24, 44), "630-08-0": (None, 83, 330),
    "71-43-2": (52, 800, 4000), "74-98-6": (5500, 17000, 33000),
}
PAC_SOURCE = ("weihua reference shared/reference/qra-consequence.md §14.4 (secondary: "
              "pyELDQM chemicals_database.sqlite3, probably CAMEO; primary: US DOE PAC/TEEL "
              "table; verify against it)")
PAC = {"7664-41-7": (30, 220, 1100), "74-82-8": (65000, 230000, 400000)}
IDLH_SOURCE = ("weihua reference shared/reference/qra-consequence.md §14.4 (secondary; "
               "primary: NIOSH IDLH list)")
IDLH = {"7782-50-5": 10, "7664-41-7": 300}


def sig(x, n=6):
    """Formats a float with n significant digits, '' for None/NaN."""
    if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))):
        return ""
    if x == 0:
        return "0"
    return f"{x:.{n}g}"


def pick(prop, T):
    """Evaluates a thermo property at T with the first usable, non-excluded method."""
    ranked = list(prop.ranked_methods)
    # Data (and fits to data) before estimates, each group in thermo's order.
    ordered = ([m for m in ranked if m not in ESTIMATION_METHODS]
               + [m for m in ranked if m in ESTIMATION_METHODS])
    for method in ordered:
        if method in EXCLUDED_METHODS or method not in prop.all_methods:
            continue
        try:
            if not prop.test_method_validity(T, method):
                continue
            v = prop.calculate(T, method)
        except Exception:
            continue
        if v is not None and np.isfinite(v) and v > 0:
            return float(v), method
    return None, None


def fit_antoine(vp, method, tmin, tmax):
    """Fits Antoine constants to one vapour-pressure method over the part of [tmin, tmax]
    where that method is valid, so that the fit does not straddle two data sources."""
    ts = np.linspace(tmin, tmax, 60)
    pts = []
    for t in ts:
        try:
            if vp.test_method_validity(t, method):
                p = vp.calculate(t, method)
                if p is not None and np.isfinite(p) and p > 0:
                    pts.append((t, p))
        except Exception:
            pass
    if len(pts) < 10:
        return None
    t = np.array([a for a, _ in pts])
    y = np.log10(np.array([b for _, b in pts]))

    def resid(x):
        return x[0] - x[1] / (t + x[2]) - y

    best = None
    for c0 in (-60.0, -40.0, -20.0, 0.0):
        try:
            r = least_squares(resid, [10.0, 1500.0, c0], max_nfev=20000)
        except Exception:
            continue
        if not np.all(np.isfinite(r.x)) or np.any(t + r.x[2] <= 0):
            continue
        if best is None or r.cost < best.cost:
            best = r
    if best is None:
        return None
    a, b, c = best.x
    pred = 10 ** (a - b / (t + c))
    maxrel = float(np.max(np.abs(pred / 10 ** y - 1)))
    return a, b, c, float(t[0]), float(t[-1]), maxrel


def fuller_volume(cas, formula):
    if formula in FULLER_MOLECULE:
        return FULLER_MOLECULE[formula]
    atoms = chemicals.simple_formula_parser(formula)
    v = 0.0
    for el, n in atoms.items():
        if el not in FULLER_ATOM:
            return None
        v += FULLER_ATOM[el] * n
    v -= 18.3 * RING_CORRECTION.get(cas, 0)
    return v


def fuller_diffusivity(cas, formula, mw_g):
    v = fuller_volume(cas, formula)
    if v is None:
        return None
    m_ab = 2.0 / (1.0 / mw_g + 1.0 / M_AIR)
    d_cm2 = 0.00143 * T_298 ** 1.75 / (
        (P_ATM / 1e5) * math.sqrt(m_ab) * (v ** (1 / 3) + FULLER_AIR ** (1 / 3)) ** 2)
    return d_cm2 * 1e-4


def limit_ppm(value, mw_g):
    if value is None:
        return None
    v, unit = value
    if unit == "ppm":
        return v
    if unit in ("mg/m^3", "mg/m3"):
        return v * 24.45 / mw_g
    return None


# Table 1 rows excluded by hand, with the reason.
MANUAL_EXCLUSIONS = {
    "1338-23-4": "organic peroxide solution that decomposes before boiling; the package's "
                 "boiling point (about 292 K) is not a measured value",
}


def read_table1():
    with open(TABLE1, encoding="utf-8") as f:
        lines = [l for l in f if not l.startswith("#")]
    return list(csv.DictReader(lines))


def read_categories():
    out = {}
    with open(CATEGORIES, encoding="utf-8") as f:
        lines = [l for l in f if not l.startswith("#")]
    for row in csv.DictReader(lines):
        note = row["note"]
        m = re.search(r"急性毒性-吸入类别(\d)", note) or re.search(r"急性毒性类别(\d)", note)
        out[row["no"]] = (row["category_code"], int(m.group(1)) if m else None)
    return out


def candidates():
    """(cas, name_zh, alias_zh, name_en, gb18218_no, cas_aliases, note) for each row to try,
    plus a list of (no, name, reason) excluded before any property look-up."""
    rows, excluded, seen = [], [], set()
    for r in read_table1():
        no = int(r["no"])
        if no in SPLIT_ROWS:
            rows.extend(SPLIT_ROWS[no])
            continue
        cas = r["cas"].strip()
        if not re.fullmatch(r"\d{2,7}-\d\d-\d", cas):
            excluded.append((r["no"], r["name_zh"], "no single CAS number (mixture or class)"))
            continue
        if cas in MANUAL_EXCLUSIONS:
            excluded.append((r["no"], r["name_zh"], MANUAL_EXCLUSIONS[cas]))
            continue
        if cas in seen:
            excluded.append((r["no"], r["name_zh"], f"same CAS {cas} as an earlier row"))
            continue
        seen.add(cas)
        rows.append((cas, r["name_zh"], r["alias_zh"], r["name_en"], r["no"], "", ""))
    rows.extend(DEMO_EXTRAS)
    return rows, excluded


def properties(cas):
    mw_g = MW(cas)
    tb, tm, tc, pc, w, vc = Tb(cas), Tm(cas), Tc(cas), Pc(cas), omega(cas), Vc(cas)
    return mw_g, tb, tm, tc, pc, w, vc


def main():
    cats = read_categories()
    rows, excluded = candidates()
    out_rows = []
    for cas, name_zh, alias_zh, name_en, no, cas_aliases, note in rows:
        try:
            mw_g, tb, tm, tc, pc, w, vc = properties(cas)
        except Exception as e:  # not in the database
            excluded.append((no, name_zh, f"CAS {cas} not in chemicals {chemicals.__version__}"))
            continue
        if tb is None or tc is None:
            excluded.append((no, name_zh, f"CAS {cas}: no boiling point or critical data in the package (solid, salt "
                             "or decomposes)"))
            continue
        vp = VaporPressure(CASRN=cas, Tb=tb, Tc=tc, Pc=pc, omega=w)
        methods = {}
        if tb <= T_AMB:
            phase = "gas"
            p20 = pick(vp, T_AMB)[0] if T_AMB < tc else None
        else:
            if tm is not None and tm >= T_AMB:
                excluded.append((no, name_zh, f"solid at 20 °C (melting point {tm:.1f} K)"))
                continue
            p20, m = pick(vp, T_AMB)
            if p20 is None or p20 < VOLATILE_PA:
                excluded.append((no, name_zh, "not volatile: vapour pressure at 20 °C "
                                 f"{sig(p20, 3) or 'unknown'} Pa < {VOLATILE_PA:g} Pa"))
                continue
            phase = "volatile_liquid"
        _, methods["Psat"] = pick(vp, min(T_AMB, 0.99 * tc))
        # Antoine fit range.
        lo = max((tm or 0) + 0.5, 0.45 * tc, min(tb - 40.0, 223.15))
        hi = min(0.95 * tc, max(tb + 40.0, 333.15))
        ant = fit_antoine(vp, methods["Psat"], lo, hi) if hi > lo + 5 and methods["Psat"] else None

        vl = VolumeLiquid(CASRN=cas, MW=mw_g, Tb=tb, Tc=tc, Pc=pc, Vc=vc, omega=w)
        vm_tb, methods["rho"] = pick(vl, tb)
        vm_20 = pick(vl, T_AMB)[0] if T_AMB < 0.98 * tc else None
        rho_tb = mw_g / 1000.0 / vm_tb if vm_tb else None
        rho_20 = mw_g / 1000.0 / vm_20 if vm_20 else None

        hv = EnthalpyVaporization(CASRN=cas, Tb=tb, Tc=tc, Pc=pc, omega=w)
        hv_tb, methods["Hvap"] = pick(hv, tb)
        cpg = HeatCapacityGas(CASRN=cas, MW=mw_g)
        cpg_298, methods["Cpg"] = pick(cpg, T_298)
        # Liquid heat capacity; the corresponding-states fall-backs (Rowlinson) need the
        # ideal-gas heat capacity, Cpg(T).
        cpl = HeatCapacityLiquid(CASRN=cas, MW=mw_g, Tc=tc, omega=w,
                                 Cpgm=lambda T: pick(cpg, T)[0])
        cpl_tb, methods["Cpl"] = pick(cpl, tb)
        cpl_20 = pick(cpl, T_AMB)[0] if T_AMB < 0.98 * tc else None
        k = cpg_298 / (cpg_298 - R) if cpg_298 and cpg_298 > R else None

        lfl, ufl = LFL(CASRN=cas), UFL(CASRN=cas)
        if lfl is not None:
            lm = LFL_methods(CASRN=cas)
            methods["LFL"] = lm[0] if lm else ""
        if tm is not None and tm >= tb:
            note = (note + "; " if note else "") + (
                f"package melting point {tm:.2f} K >= Tb dropped (inconsistent)")
            tm = None
        tflash, tauto = T_flash(CASRN=cas), T_autoignition(CASRN=cas)
        if tflash is not None and tflash >= tb:
            # A flash point above the boiling point belongs to a solution (e.g. formalin),
            # not to the pure substance.
            note = (note + "; " if note else "") + (
                f"package flash point {tflash:.2f} K >= Tb dropped (refers to a solution)")
            tflash = None
        gbno = no if no else None
        cat_code, tox_cat = cats.get(gbno, ("", None)) if gbno else ("", None)
        flammable = (lfl is not None or tflash is not None
                     or cat_code.startswith("W2") or cat_code.startswith("W5"))
        toxic = (tox_cat is not None and tox_cat <= 3) or cas in PROBITS
        hc = None
        formula = search_chemical(cas).formula
        if flammable:
            try:
                hf = Hfg(cas)
                if hf is not None:
                    d = combustion_data(formula, Hf=hf)
                    n_h2o = d.stoichiometry.get("H2O", 0.0)
                    lhv = LHV_from_HHV(d.HHV, n_h2o)
                    if lhv < 0:
                        hc = -lhv / (mw_g / 1000.0)
                        methods["Hc"] = "Hfg+stoichiometry"
            except Exception:
                hc = None
        dab = fuller_diffusivity(cas, formula, mw_g)
        twa, stel, ceil = (limit_ppm(f(cas), mw_g) for f in (TWA, STEL, Ceiling))
        out_rows.append({
            "cas": cas, "cas_aliases": cas_aliases, "name_zh": name_zh, "alias_zh": alias_zh,
            "name_en": name_en, "gb18218_no": no, "phase_20c": phase, "formula": formula,
            "molar_mass_kg_mol": sig(mw_g / 1000.0, 7),
            "normal_boiling_point_k": sig(tb), "melting_point_k": sig(tm),
            "critical_temperature_k": sig(tc), "critical_pressure_pa": sig(pc),
            "vapour_pressure_20c_pa": sig(p20),
            "antoine_a": sig(ant[0], 8) if ant else "", "antoine_b": sig(ant[1], 8) if ant else "",
            "antoine_c": sig(ant[2], 8) if ant else "",
            "antoine_tmin_k": sig(ant[3], 5) if ant else "",
            "antoine_tmax_k": sig(ant[4], 5) if ant else "",
            "antoine_max_rel_err": sig(ant[5], 2) if ant else "",
            "liquid_density_20c_kg_m3": sig(rho_20, 5), "liquid_density_tb_kg_m3": sig(rho_tb, 5),
            "heat_of_vaporisation_tb_j_kg": sig(hv_tb / (mw_g / 1000.0) if hv_tb else None, 5),
            "liquid_cp_tb_j_kg_k": sig(cpl_tb / (mw_g / 1000.0) if cpl_tb else None, 5),
            "liquid_cp_20c_j_kg_k": sig(cpl_20 / (mw_g / 1000.0) if cpl_20 else None, 5),
            "gas_cp_298_j_kg_k": sig(cpg_298 / (mw_g / 1000.0) if cpg_298 else None, 5),
            "gas_heat_capacity_ratio": sig(k, 5),
            "heat_of_combustion_j_kg": sig(hc, 5),
            "lfl_vol_frac": sig(lfl), "ufl_vol_frac": sig(ufl),
            "flash_point_k": sig(tflash), "autoignition_k": sig(tauto),
            "diffusivity_air_m2_s": sig(dab, 4),
            "twa_ppm": sig(twa, 4), "stel_ppm": sig(stel, 4), "ceiling_ppm": sig(ceil, 4),
            "flammable": "true" if flammable else "false",
            "toxic": "true" if toxic else "false",
            "acute_tox_inhal_cat": str(tox_cat) if tox_cat else "",
            "methods": ";".join(f"{k}:{v}" for k, v in methods.items() if v),
            "estimated": ";".join(k for k, v in methods.items() if v in ESTIMATION_METHODS),
            "note": note,
        })

    cols = list(out_rows[0].keys())
    buf = io.StringIO()
    buf.write(
        "# weihua substance properties, generated by scripts/gen-substances.py with "
        f"chemicals {chemicals.__version__} and thermo {thermo.__version__} (ChEDL, MIT); "
        "GB 18218-2018 Table 1 gases and volatile liquids at 20 °C plus demo chemicals; "
        "units in column names; see the script's docstring for every choice. Do not edit "
        "by hand: rerun the script.\n")
    buf.write("# columns: liquid densities are of the saturated liquid at 20 °C and at the "
              "normal boiling point; cp/k of the ideal gas at 298.15 K; heat of combustion "
              "is the lower (net) value of the ideal-gas fuel; Antoine: log10(P/Pa) = A - "
              "B/(T/K + C); diffusivity Fuller at 298.15 K; TWA/STEL/ceiling Ontario list "
              "via chemicals, ppm; toxic/acute_tox_inhal_cat from weihua's default GB 18218 "
              "categories (GHS acute inhalation category 1-3) or an entered probit.\n")
    for no, name, reason in excluded:
        buf.write(f"# excluded: GB 18218 Table 1 row {no} {name}: {reason}\n")
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for r in out_rows:
        w.writerow(r)
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, "substances.csv"), "w", encoding="utf-8") as f:
        f.write(buf.getvalue())

    # Toxic endpoints: one row per substance of substances.csv.
    tcols = ["cas", "name_zh", "name_en",
             "probit_a", "probit_b", "probit_n", "probit_units", "probit_source",
             "aegl1_60min_ppm", "aegl2_60min_ppm", "aegl3_60min_ppm", "aegl_source",
             "pac1_ppm", "pac2_ppm", "pac3_ppm", "pac_source",
             "erpg1_ppm", "erpg2_ppm", "erpg3_ppm", "erpg_source",
             "idlh_ppm", "idlh_source", "not_entered"]
    tbuf = io.StringIO()
    tbuf.write(
        "# weihua toxic endpoints, sourced values only, generated by scripts/gen-substances.py "
        "(values typed into the script from the cited sources, not from chemicals). Probit "
        "Pr = a + b ln(C^n t) with C in mg/m3 and t in min. AEGL/PAC/IDLH in ppm. ERPGs are "
        "AIHA copyright and are not shipped (reference §14.4): users load them. A missing "
        "value is 'not entered' (listed in the not_entered column) and must be configured.\n")
    tw = csv.DictWriter(tbuf, fieldnames=tcols, lineterminator="\n")
    tw.writeheader()
    for r in out_rows:
        cas = r["cas"]
        row = {c: "" for c in tcols}
        row.update(cas=cas, name_zh=r["name_zh"], name_en=r["name_en"])
        missing = []
        if cas in PROBITS:
            a, b, n = PROBITS[cas]
            row.update(probit_a=a, probit_b=b, probit_n=n, probit_units="mg/m3;min",
                       probit_source=PROBIT_SOURCE)
        else:
            missing.append("probit")
        if cas in AEGL:
            for i, v in enumerate(AEGL[cas]):
                row[f"aegl{i + 1}_60min_ppm"] = "" if v is None else v
            row["aegl_source"] = AEGL_SOURCE
            missing += [f"aegl{i + 1}" for i, v in enumerate(AEGL[cas]) if v is None]
        else:
            missing.append("aegl")
        if cas in PAC:
            for i, v in enumerate(PAC[cas]):
                row[f"pac{i + 1}_ppm"] = v
            row["pac_source"] = PAC_SOURCE
        else:
            missing.append("pac")
        row["erpg_source"] = "not shipped (AIHA copyright)"
        missing.append("erpg")
        if cas in IDLH:
            row["idlh_ppm"] = IDLH[cas]
            row["idlh_source"] = IDLH_SOURCE
        else:
            missing.append("idlh")
        row["not_entered"] = ";".join(missing)
        tw.writerow(row)
    with open(os.path.join(OUT_DIR, "toxic-endpoints.csv"), "w", encoding="utf-8") as f:
        f.write(tbuf.getvalue())
    print(f"{len(out_rows)} substances, {len(excluded)} excluded", file=sys.stderr)
    for no, name, reason in excluded:
        print(f"  excluded {no} {name}: {reason}", file=sys.stderr)


if __name__ == "__main__":
    main()
