#!/usr/bin/env bash
# Creates the benchmark-only Python environment for the weihua-qra peer benchmark.
#
# The peers are NEVER dependencies of weihua: they live in this virtual environment only, and
# weihua's code and tests neither import nor vendor them. Sandia HyRAM+ is GPL-3.0: it is run
# here as an external tool and cited; none of its code or tables goes into the weihua tree.
#
#   bash bench/qra-peers/setup.sh            # venv at /tmp/weihua-bench-venv
#   WEIHUA_BENCH_VENV=/some/dir bash bench/qra-peers/setup.sh
#   PYTHON=python3.11 bash bench/qra-peers/setup.sh
#
# Peers and pinned versions:
#   hyram 6.1     Sandia HyRAM+ (Hydrogen Plus Other Alternative Fuels Risk Assessment Models),
#                 GPL-3.0; needs CoolProp, and scipy < 1.15 / numpy < 2.1 (with a newer scipy its
#                 ODE call fails: "dopri5._solout() takes 3 positional arguments"); Python 3.9-3.12.
#   pyeldqm 0.1.3 pyELDQM (SIHPCC), MIT: steady Gaussian plume with Briggs rural/urban sigma.
#                 Its dependency tree is large (dash, geopandas, osmnx, rasterio...), pulled in
#                 because pyeldqm/__init__.py imports its Dash app package.
# Not used: gplume 1.0.2 (PyPI) installs, but importing gplume.gpm makes live HTTP requests to
#   the OpenAQ/OpenWeatherMap APIs (and API_Access imports tkinter) at import time, and its model
#   has one fixed power-law sigma (0.34 x^0.82, 0.275 x^0.82) with no stability classes, so it
#   cannot run the pinned class D / class F cases.
set -euo pipefail

VENV="${WEIHUA_BENCH_VENV:-/tmp/weihua-bench-venv}"
PY="${PYTHON:-python3}"

"$PY" - <<'EOF'
import sys
v = sys.version_info
if not ((3, 9) <= v[:2] <= (3, 12)):
    sys.exit(f"hyram 6.1 needs Python 3.9-3.12; this is {sys.version.split()[0]} (set PYTHON=...)")
EOF

if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet \
  'hyram==6.1' 'CoolProp>=6.4' 'scipy>=1.10,<1.15' 'numpy>=1.24,<2.1' \
  'pyeldqm==0.1.3'

"$VENV/bin/python" - <<'EOF'
from importlib import metadata
import json
names = ["hyram", "CoolProp", "numpy", "scipy", "pyeldqm"]
vers = {n: metadata.version(n) for n in names}
# import checks: the two entry points peers.py uses
import hyram.phys.api  # noqa: F401
from pyeldqm.core.dispersion_models.gaussian_model import multi_source_concentration  # noqa: F401
print(json.dumps(vers))
EOF
echo "venv ready: $VENV" >&2
