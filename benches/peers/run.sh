#!/usr/bin/env bash
# planrisk side by side with NumPy and OpenTURNS on the example scenarios
# (scenarios/examples/), all on one core. Not run by CI.
#
#   bash benches/peers/run.sh [--draws N] [--repeat R] [--json FILE]
#
# Creates benches/peers/.venv (python3 -m venv) and installs requirements.txt into it,
# builds planrisk in release mode, then runs compare.py pinned to one core
# (PEERS_CORE, default 0) with every thread pool limited to one thread.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${PEERS_VENV:-$HERE/.venv}"

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
(cd "$ROOT" && cargo build --release --quiet)

export RAYON_NUM_THREADS=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
  OPENTURNS_NUM_THREADS=1 PYTHONDONTWRITEBYTECODE=1
exec taskset -c "${PEERS_CORE:-0}" "$VENV/bin/python" "$HERE/compare.py" \
  --planrisk "$ROOT/target/release/planrisk" "$@"
