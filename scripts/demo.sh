#!/usr/bin/env bash
# The main job on the bundled sample: set up, ingest data/raw, print the reference
# department's 2022 summary, then build every sample department's 2022 report and the
# index page linking them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/outturn ingest --raw data/raw --processed data/processed
echo
.venv/bin/outturn summary --dept 零陵区城市管理和综合执法局 --year 2022
echo
.venv/bin/outturn batch --year 2022 --processed data/processed --out outputs
echo
echo "Open outputs/2022/index.html in a browser: every department's 2022 report with its"
echo "headline figures. The reference department's report is outputs/2022/115/report.html"
echo "(Word: report.docx; 自评表.xlsx and the figures' data as CSV beside it)."
