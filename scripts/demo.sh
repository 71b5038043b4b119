#!/usr/bin/env bash
# The main job on the bundled sample: set up, ingest data/raw, print the reference
# department's 2022 summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/outturn ingest --raw data/raw --processed data/processed
echo
.venv/bin/outturn summary --dept 零陵区城市管理和综合执法局 --year 2022
echo
echo "Processed data: data/processed/current/ (reconciliation.csv, problems.csv, rejected/)."
echo "Try: .venv/bin/outturn summary --dept 115 --year 2021 --json"
