#!/usr/bin/env bash
# Set up the environment with the test tools and run the whole test suite.
# The browser and print-layout tests need chromium, LibreOffice and CJK fonts
# (scripts/system-packages.sh lists them): they are installed when missing (as
# root or with sudo; scripts/system-packages.sh), otherwise those tests skip, said in one line.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
status=0
scripts/system-packages.sh || status=$?
if [ "$status" -eq 3 ]; then
  export OUTTURN_ALLOW_NO_CHROMIUM=1
elif [ "$status" -ne 0 ]; then
  exit "$status"
fi
.venv/bin/python -m pytest "$@"
