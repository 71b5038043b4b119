#!/usr/bin/env bash
# Create (or reuse) the project's virtual environment in .venv and install outturn into it.
#   scripts/setup.sh          runtime dependencies
#   scripts/setup.sh test     plus the test tools
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
"$PY" - <<'PYCHECK'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"outturn needs Python 3.11 or newer; this is {sys.version.split()[0]}. "
             "Set PYTHON=/path/to/python3.11 and run again.")
PYCHECK
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv; then
    rm -rf .venv
    echo "Could not create a virtual environment with $PY." >&2
    echo "On Debian or Ubuntu install the venv module first: sudo apt install python3-venv" >&2
    exit 1
  fi
fi
extra=""
[ "${1:-}" = "test" ] && extra="[test]"
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${extra}"
