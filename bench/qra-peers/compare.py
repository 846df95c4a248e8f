#!/usr/bin/env python3
"""Side-by-side table of the peer benchmark: out/peers.json (peers.py) against out/weihua.json
(crates/qra/examples/peer_bench.rs). Standard library only.

Usage: compare.py PEERS_JSON WEIHUA_JSON [--md OUT.md]

Prints two Markdown tables:
1. per quantity: peer value, weihua value, relative difference (weihua - peer) / |peer|, the
   median time per call of the operation that produced it on each side, and the speed ratio
   (peer time / weihua time);
2. per timed operation: what each side's operation does, both median times, the ratio, and
   the ratio of the best (minimum) times, the figure least disturbed by other load.
Then the hand-overs (inputs taken from the peer) and what is not wired yet.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def fmt_v(v):
    if v is None:
        return "—"
    if v == 0:
        return "0"
    a = abs(v)
    if 1e-3 <= a < 1e6:
        return f"{v:.4g}"
    return f"{v:.4e}"


def fmt_rel(rel):
    if rel is None:
        return "—"
    if rel == 0:
        return "0"
    if abs(rel) < 1e-3:
        return f"{rel:+.0e}"
    return f"{rel:+.1%}"


def fmt_t(ns):
    if ns is None:
        return "—"
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.3g} µs"
    if ns < 1e9:
        return f"{ns / 1e6:.3g} ms"
    return f"{ns / 1e9:.3g} s"


def fmt_ratio(r):
    if r is None:
        return "—"
    if r >= 100:
        return f"{r:,.0f}×"
    return f"{r:.3g}×"


def main(argv):
    md_out = None
    if "--md" in argv:
        i = argv.index("--md")
        md_out = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    peers = json.loads(Path(argv[0]).read_text())
    weihua = json.loads(Path(argv[1]).read_text())

    pt = peers["timings"]
    wt = weihua["timings"]
    wres = {r["quantity"]: r for r in weihua["results"]}
    lines = []
    p = lines.append

    p("| quantity | peer | weihua | rel. diff | peer time | weihua time | speed ratio |")
    p("| --- | --- | --- | --- | --- | --- | --- |")
    seen = set()
    for r in peers["results"]:
        q = r["quantity"]
        seen.add(q)
        w = wres.get(q)
        pv = r["value"]
        wv = w["value"] if w else None
        rel = None
        if wv is not None and pv not in (None, 0):
            rel = (wv - pv) / abs(pv)
        ptime = pt.get(r["op"], {}).get("median_ns")
        wtime = wt.get(w["op"], {}).get("median_ns") if w else None
        ratio = ptime / wtime if ptime and wtime else None
        p(f"| {q} | {fmt_v(pv)} | {fmt_v(wv)} | {fmt_rel(rel)} "
          f"| {fmt_t(ptime)} | {fmt_t(wtime)} | {fmt_ratio(ratio)} |")
    for q, w in wres.items():
        if q not in seen:
            p(f"| {q} | — | {fmt_v(w['value'])} | — | — | {fmt_t(wt.get(w['op'], {}).get('median_ns'))} | — |")

    p("")
    p("| operation | peer does | weihua does | peer median | weihua median | speed ratio | ratio of best times |")
    p("| --- | --- | --- | --- | --- | --- | --- |")
    for op in list(pt) + [o for o in wt if o not in pt]:
        a = pt.get(op)
        b = wt.get(op)
        ratio = a["median_ns"] / b["median_ns"] if a and b else None
        best = a["min_ns"] / b["min_ns"] if a and b else None
        p(f"| {op} | {a['what'] if a else '—'} | {b['what'] if b else '—'} "
          f"| {fmt_t(a['median_ns']) if a else '—'} | {fmt_t(b['median_ns']) if b else '—'} "
          f"| {fmt_ratio(ratio)} | {fmt_ratio(best)} |")

    if weihua.get("inputs_from_peer"):
        p("")
        p("Inputs handed over from the peer to weihua:")
        for h in weihua["inputs_from_peer"]:
            rest = {k: v for k, v in h.items() if k not in ("case", "why")}
            p(f"- {h['case']}: {rest} ({h['why']})")
    if weihua.get("not_wired"):
        p("")
        p("Not wired yet on the weihua side:")
        for n in weihua["not_wired"]:
            p(f"- {n['what']}: {n['why']}")
    p("")
    m = peers.get("machine", {})
    p(f"Peers: {', '.join(f'{k} {v}' for k, v in peers.get('versions', {}).items())}; "
      f"Python {m.get('python')}; peers run {peers.get('date_utc')}; "
      f"weihua: {weihua.get('crate')} ({weihua.get('profile')}).")

    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if md_out:
        Path(md_out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
