#!/usr/bin/env python3
"""Run the Python peers of weihua-qra on the pinned scenarios of scenarios.json and time them.

Peers (installed by setup.sh into a benchmark-only virtual environment, never a dependency of
weihua):

- Sandia HyRAM+ (PyPI ``hyram``, GPL-3.0): hydrogen jet fire (flame length, radiant heat flux at
  receptors) and unconfined overpressure of the delayed-ignition jet (BST, TNT equivalence,
  Bauwens-Dorofeev).
  HyRAM is only *run* here, as an external tool; none of its code or tables is copied.
- pyELDQM (PyPI ``pyeldqm``, MIT): steady Gaussian plume with Briggs rural sigma.

Timing: every timed operation is called a few times to warm up, then N times in a loop, each call
timed with ``time.perf_counter_ns``; the median per call is reported (and min, N).

Output: JSON (default ``out/peers.json`` beside this file) with, per quantity, the peer value and
the name of the timed operation that produced it, plus the timings, versions and machine.

Usage: peers.py [--out PATH] [--scale FLOAT] [--quick]
  --scale multiplies every repetition count (default 1.0); --quick is --scale 0.2.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import logging
import math
import os
import platform
import statistics
import sys
import time
import warnings
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent

warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)

import numpy as np  # noqa: E402
from scipy.optimize import brentq  # noqa: E402


# --------------------------------------------------------------------------- timing


def bench(fn, reps: int, warmup: int = 2, max_seconds: float = 20.0) -> dict:
    """Median wall time per call of ``fn()`` over ``reps`` calls after ``warmup`` calls.

    Stops early (with at least 5 calls) when ``max_seconds`` is spent.
    """
    for _ in range(warmup):
        fn()
    samples = []
    started = time.perf_counter()
    for i in range(reps):
        t0 = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - t0)
        if i >= 4 and time.perf_counter() - started > max_seconds:
            break
    return {
        "median_ns": float(statistics.median(samples)),
        "min_ns": float(min(samples)),
        "n": len(samples),
    }


def reps(n: int, scale: float) -> int:
    return max(5, int(round(n * scale)))


# --------------------------------------------------------------------------- HyRAM


def run_hyram(sc: dict, scale: float, results: list, timings: dict, handover: dict) -> None:
    from hyram.phys import api
    from hyram.phys._comps import NozzleFlow, Orifice
    from hyram.phys._flame import Flame
    from hyram.phys._jet import Jet
    from hyram.phys._unconfined_overpressure import BST_method, Bauwens_method, TNT_method
    from hyram.utilities import misc_utils

    amb = api.create_fluid("AIR", sc["ambient_temperature_k"], sc["ambient_pressure_pa"])
    rh = sc["relative_humidity"]
    cd = sc["discharge_coefficient"]
    theta = sc["release_angle_rad"]
    mf = sc["bst_mach_flame_speed"]
    eta = sc["tnt_efficiency"]
    lims = (sc["lfl_mole_fraction"], sc["ufl_mole_fraction"])
    flux_pts = [tuple(p) for p in sc["flux_receptors_m"]]
    dists = sc["overpressure_distances_m"]
    cons_mom, nn_t = misc_utils.convert_nozzle_model_to_params(sc["notional_nozzle"], None)

    for case in sc["cases"]:
        cid = case["id"]
        d = case["hole_diameter_m"]

        def fluid():
            return api.create_fluid(
                case["species"], case["stagnation_temperature_k"], case["stagnation_pressure_pa"]
            )

        def make_flame():
            return Flame(
                fluid(), Orifice(d, Cd=cd), amb, theta0=theta, y0=0,
                nn_conserve_momentum=cons_mom, nn_T=nn_t,
            )

        # --- jet fire: what a user of HyRAM calls (api.jet_flame_analysis without plots):
        # build and solve the flame, visible length, flux at the receptors.
        def jet_fire():
            fl = make_flame()
            return fl.get_visible_length(), fl.generate_positional_flux(flux_pts, rh)

        fl = make_flame()
        lvis = float(fl.get_visible_length())
        flux = np.asarray(fl.generate_positional_flux(flux_pts, rh), dtype=float)
        dev = fl.developing_flow
        chem = fl.chem
        fs = float(chem.fstoich)
        handover[cid] = {
            "mass_flow_kg_s": float(fl.mass_flow_rate),
            "notional_nozzle_diameter_m": float(dev.orifice_exp.d),
            "notional_nozzle_velocity_m_s": float(dev.fluid_exp.v),
            "notional_nozzle_density_kg_m3": float(dev.fluid_exp.rho),
            "notional_nozzle_temperature_k": float(dev.fluid_exp.T),
            "stoichiometric_mixture_fraction": fs,
            "adiabatic_flame_temperature_k": float(chem.T_prod(fs)),
            "product_density_kg_m3": float(chem.rho_prod(fs)),
            "planck_mean_absorption_coefficient_1_m": float(chem.absorption_coeff),
            "flame_froude_number": float(fl.Fr_f),
            "flame_residence_time_ms": float(fl.tauf),
            "radiant_fraction": float(fl.Xrad),
            "radiated_power_w": float(fl.Srad),
            "flame_end_x_m": float(np.interp(lvis, fl.S, fl.x)),
            "flame_end_y_m": float(np.interp(lvis, fl.S, fl.y)),
        }
        # --- orifice flow alone (real gas through CoolProp; steady, choked)
        def mass_flow():
            return NozzleFlow(fluid(), Orifice(d, Cd=cd), sc["ambient_pressure_pa"]).mdot

        handover[cid]["stagnation_density_kg_m3"] = float(fluid().rho)
        results.append({"quantity": f"{cid}.mass_flow_kg_s", "value": float(mass_flow()), "op": f"{cid}.mass_flow"})
        timings[f"{cid}.mass_flow"] = bench(mass_flow, reps(200, scale))
        timings[f"{cid}.mass_flow"]["what"] = "HyRAM create Fluid (CoolProp) + NozzleFlow (real-gas choked orifice)"

        op = f"{cid}.jet_fire"
        ho = handover[cid]
        for key, q in (
            ("notional_nozzle_diameter_m", "notional_diameter_m"),
            ("notional_nozzle_velocity_m_s", "notional_velocity_m_s"),
            ("notional_nozzle_density_kg_m3", "notional_density_kg_m3"),
            ("adiabatic_flame_temperature_k", "adiabatic_flame_temperature_k"),
            ("flame_froude_number", "flame_froude_number"),
        ):
            results.append({"quantity": f"{cid}.{q}", "value": ho[key], "op": op})
        results.append({"quantity": f"{cid}.flame_length_m", "value": lvis, "op": op})
        results.append({"quantity": f"{cid}.flame_residence_time_ms", "value": ho["flame_residence_time_ms"], "op": op})
        results.append({"quantity": f"{cid}.radiant_fraction", "value": float(fl.Xrad), "op": op})
        results.append({"quantity": f"{cid}.radiated_power_W", "value": float(fl.Srad), "op": op})
        for p, q in zip(flux_pts, flux):
            results.append({"quantity": f"{cid}.flux_W_m2@({p[0]:g},{p[1]:g},{p[2]:g})", "value": float(q), "op": op})
        timings[op] = bench(jet_fire, reps(15, scale))
        timings[op]["what"] = "HyRAM Flame(): notional nozzle + integral flame ODE + length + 50-point radiation at 5 receptors"

        # flux only, on an already-solved flame (the cheapest comparable part)
        timings[f"{cid}.flux_only"] = bench(lambda: fl.generate_positional_flux(flux_pts, rh), reps(500, scale))
        timings[f"{cid}.flux_only"]["what"] = "HyRAM Flame.generate_positional_flux on a solved flame, 5 receptors"

        # --- delayed ignition: unignited jet -> flammable mass -> BST and TNT
        def make_jet():
            return Jet(fluid(), Orifice(d, Cd=cd), amb, theta0=theta,
                       nn_conserve_momentum=cons_mom, nn_T=nn_t)

        jet = make_jet()
        bst = BST_method(jet, mf, flammability_limits=lims)
        ox, oy, oz = (float(v) for v in bst.origin)
        locs = [(ox, oy, oz + r) for r in dists]
        handover[cid].update({
            "flammable_mass_kg": float(bst.flammable_mass),
            "overpressure_origin_m": [ox, oy, oz],
            "bst_energy_j": float(bst.energy),
        })
        p_bst = np.asarray(bst.calc_overpressure(locs), dtype=float)
        i_bst = np.asarray(bst.calc_impulse(locs), dtype=float)
        tnt = TNT_method(jet, eta, flammability_limits=lims)
        p_tnt = np.asarray(tnt.calc_overpressure(locs), dtype=float)
        handover[cid]["tnt_mass_kg"] = float(tnt.equiv_TNT_mass)

        op_b = f"{cid}.bst_full"
        results.append({"quantity": f"{cid}.flammable_mass_kg", "value": float(bst.flammable_mass), "op": op_b})
        # centre-line distance (along the streamline) to the LFL mole fraction
        s_lfl = float(np.interp(lims[0], np.asarray(jet.X_cl)[::-1], np.asarray(jet.S)[::-1]))
        handover[cid]["lfl_streamline_distance_m"] = s_lfl
        results.append({"quantity": f"{cid}.jet_lfl_centreline_distance_m", "value": s_lfl, "op": op_b})
        for r, p in zip(dists, p_bst):
            results.append({"quantity": f"{cid}.jet_bst_overpressure_Pa@{r:g}m", "value": float(p), "op": op_b})
        for r, p, i in zip(dists, p_bst, i_bst):
            results.append({"quantity": f"{cid}.bst_overpressure_Pa@{r:g}m", "value": float(p), "op": f"{cid}.bst_curve"})
            results.append({"quantity": f"{cid}.bst_impulse_Pa_s@{r:g}m", "value": float(i), "op": f"{cid}.bst_curve"})
        results.append({"quantity": f"{cid}.tnt_mass_kg", "value": float(tnt.equiv_TNT_mass), "op": f"{cid}.tnt_curve"})
        for r, p in zip(dists, p_tnt):
            results.append({"quantity": f"{cid}.tnt_overpressure_Pa@{r:g}m", "value": float(p), "op": f"{cid}.tnt_curve"})

        def bst_full():
            b = BST_method(make_jet(), mf, flammability_limits=lims)
            return b.calc_overpressure(locs), b.calc_impulse(locs)

        timings[op_b] = bench(bst_full, reps(15, scale))
        timings[op_b]["what"] = "HyRAM Jet() + flammable mass + BST overpressure and impulse at 5 distances"
        timings[f"{cid}.bst_curve"] = bench(lambda: (bst.calc_overpressure(locs), bst.calc_impulse(locs)), reps(2000, scale))
        timings[f"{cid}.bst_curve"]["what"] = "HyRAM BST_method.calc_overpressure + calc_impulse on a built model, 5 distances"
        timings[f"{cid}.tnt_curve"] = bench(lambda: tnt.calc_overpressure(locs), reps(2000, scale))
        timings[f"{cid}.tnt_curve"]["what"] = "HyRAM TNT_method.calc_overpressure on a built model, 5 distances"

        # Bauwens & Dorofeev: detonable mass of the jet, then the detonation blast curve
        # (HyRAM's own origin); timed on the already-solved jet.
        bw = Bauwens_method(jet)
        p_bw = np.asarray(bw.calc_overpressure(locs), dtype=float)
        op_w = f"{cid}.bauwens"
        handover[cid]["detonable_mass_kg"] = float(bw.detonable_mass)
        results.append({"quantity": f"{cid}.detonable_mass_kg", "value": float(bw.detonable_mass), "op": op_w})
        for r, p in zip(dists, p_bw):
            results.append({"quantity": f"{cid}.bauwens_overpressure_Pa@{r:g}m", "value": float(p), "op": op_w})
        timings[op_w] = bench(lambda: Bauwens_method(jet).calc_overpressure(locs), reps(100, scale))
        timings[op_w]["what"] = "HyRAM Bauwens_method on a solved Jet (detonable mass over the jet field) + overpressure at 5 distances"

        # the same curves over many distances (numpy's per-call overhead amortised):
        # overpressure_sweep_m (start, stop, n) cross-jet from the origin; the mean overpressure
        # over the sweep is the quantity compared.
        a, b, n = sc["overpressure_sweep_m"]
        sweep = [(ox, oy, oz + r) for r in np.linspace(a, b, int(n))]
        tag = f"{int(n) // 1000}k" if n >= 1000 else f"{int(n)}"
        for name, model in (("bst", bst), ("tnt", tnt)):
            sop = f"{cid}.{name}_curve_{tag}"
            mean = float(np.mean(model.calc_overpressure(sweep)))
            results.append({"quantity": f"{cid}.{name}_overpressure_mean_Pa_{a:g}to{b:g}m", "value": mean, "op": sop})
            timings[sop] = bench(lambda m=model: m.calc_overpressure(sweep), reps(200, scale))
            timings[sop]["what"] = f"HyRAM {name.upper()} calc_overpressure at {int(n)} distances {a:g}-{b:g} m (numpy, vectorised)"
            timings[sop]["points"] = int(n)


# --------------------------------------------------------------------------- pyELDQM


def run_pyeldqm(sc: dict, scale: float, results: list, timings: dict) -> None:
    from pyeldqm.core.dispersion_models.gaussian_model import multi_source_concentration

    q_g_s = sc["release_rate_kg_s"] * 1000.0
    src = [{"Q": q_g_s, "x0": 0.0, "y0": 0.0, "h_s": sc["release_height_m"]}]
    z = sc["receptor_height_m"]
    g = sc["grid"]
    xs = np.linspace(g["x_min_m"], g["x_max_m"], g["nx"])
    ys = np.linspace(g["y_min_m"], g["y_max_m"], g["ny"])
    gx, gy = np.meshgrid(xs, ys)
    dx = xs[1] - xs[0]
    dy = ys[1] - ys[0]
    rx = np.array([p[0] for p in sc["receptors_m"]], dtype=float)
    ry = np.array([p[1] for p in sc["receptors_m"]], dtype=float)

    for case in sc["cases"]:
        cid = case["id"]
        u = case["wind_speed_m_s"]
        stab = case["stability"]

        def conc(x, y):
            c = multi_source_concentration(
                sources=src, x_grid=x, y_grid=y, z=z, t=0.0, t_r=0.0,
                U=u, stability_class=stab, roughness="RURAL", mode="continuous",
            )
            return c / 1000.0  # g/m3 -> kg/m3

        c_rec = conc(rx, ry)
        for (x, y), c in zip(sc["receptors_m"], c_rec):
            results.append({"quantity": f"{cid}.C_kg_m3@({x:g},{y:g})", "value": float(c), "op": f"{cid}.receptors"})
        timings[f"{cid}.receptors"] = bench(lambda: conc(rx, ry), reps(2000, scale))
        timings[f"{cid}.receptors"]["what"] = f"pyELDQM multi_source_concentration at {len(rx)} receptors"

        grid_c = conc(gx, gy)
        results.append({"quantity": f"{cid}.grid_sum_kg_m3", "value": float(grid_c.sum()), "op": f"{cid}.grid"})
        for thr in sc["thresholds_kg_m3"]:
            area = float(np.count_nonzero(grid_c >= thr)) * dx * dy
            results.append({"quantity": f"{cid}.grid_area_ge_{thr:g}_m2", "value": area, "op": f"{cid}.grid"})
        timings[f"{cid}.grid"] = bench(lambda: conc(gx, gy), reps(50, scale))
        timings[f"{cid}.grid"]["what"] = f"pyELDQM multi_source_concentration on a {g['nx']}x{g['ny']} grid ({gx.size} points)"
        timings[f"{cid}.grid"]["points"] = int(gx.size)

        # distance to threshold on the centre line: pyELDQM has no such function; solve
        # C(x, 0) = thr with brentq over the peer's own concentration function.
        one_y = np.zeros(1)

        def dist_to(thr):
            f = lambda x: math.log(conc(np.array([x]), one_y)[0]) - math.log(thr)  # noqa: E731
            return brentq(f, 1.0, 1.0e5, xtol=1e-6, rtol=1e-10)

        for thr in sc["thresholds_kg_m3"]:
            results.append({"quantity": f"{cid}.distance_to_{thr:g}_m", "value": float(dist_to(thr)), "op": f"{cid}.distance"})
        thr0 = sc["thresholds_kg_m3"][0]
        timings[f"{cid}.distance"] = bench(lambda: dist_to(thr0), reps(200, scale))
        timings[f"{cid}.distance"]["what"] = "brentq (xtol 1e-6 m) over pyELDQM's centre-line concentration, one threshold"


# --------------------------------------------------------------------------- main


def version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(HERE / "out" / "peers.json"))
    ap.add_argument("--scenarios", default=str(HERE / "scenarios.json"))
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    scale = 0.2 if args.quick else args.scale

    sc = json.loads(Path(args.scenarios).read_text())
    results: list = []
    timings: dict = {}
    handover: dict = {}
    run_hyram(sc["h2_jet"], scale, results, timings, handover)
    run_pyeldqm(sc["plume"], scale, results, timings)

    out = {
        "tool": "peers.py",
        "date_utc": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"nproc": os.cpu_count(), "cpu": cpu_model(), "python": sys.version.split()[0]},
        "versions": {n: version(n) for n in ("hyram", "CoolProp", "numpy", "scipy", "pyeldqm")},
        "results": results,
        "timings": timings,
        "hyram_intermediates": handover,
    }
    path = Path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {path} ({len(results)} quantities, {len(timings)} timed operations)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
