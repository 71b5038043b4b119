#!/usr/bin/env bash
# Install the Debian packages the PDF export and the print-layout tests need, when missing:
#   chromium                 headless, prints the report to PDF/PNG
#   fonts-noto-cjk           its Chinese glyphs on screen and in charts
#   fonts-arphic-gbsn00lp    a TrueType 宋体 (AR PL SungtiL GB) and
#   fonts-wqy-microhei       a TrueType 黑体 (WenQuanYi Micro Hei): Chromium embeds TrueType
#                            faces as subset fonts, CFF ones (Noto CJK) as Type 3 glyphs
#   libreoffice-writer-nogui converts the Word file to PDF, as a bureau without Word does
#   fonts-liberation2        Times New Roman's metrics, so LibreOffice lays figures out as Word
#
#   scripts/system-packages.sh            best effort: install as root or with sudo; if that
#                                         is not possible, say so in one line and exit 3
#   scripts/system-packages.sh --require  the same, but any failure is fatal (exit 1; CI)
#
# Set OUTTURN_NO_SYSTEM_INSTALL=1 to never install (the script then only checks).
# Exit codes: 0 present (or installed), 3 missing and not installed (best effort only).
set -euo pipefail
require=0
[ "${1:-}" = "--require" ] && require=1

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
for package in fonts-noto-cjk fonts-arphic-gbsn00lp fonts-wqy-microhei fonts-liberation2; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

give_up() {
  if [ "$require" -eq 1 ]; then
    echo "Cannot install ${missing[*]}: $1" >&2
    exit 1
  fi
  echo "Not installing ${missing[*]} ($1): the tests that need a browser will be skipped."
  exit 3
}

[ "${OUTTURN_NO_SYSTEM_INSTALL:-}" = "1" ] && give_up "OUTTURN_NO_SYSTEM_INSTALL=1"
command -v apt-get >/dev/null 2>&1 || give_up "no apt-get on this machine"
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    give_up "need root or password-less sudo"
  fi
fi
echo "Installing Debian packages${as_root:+ with sudo}: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! { "${as_root[@]}" apt-get update -qq -o Acquire::Retries=3 \
       && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            -o Acquire::Retries=3 -o Dpkg::Use-Pty=0 --no-install-recommends "${missing[@]}"; }; then
  give_up "apt-get failed"
fi
command -v chromium >/dev/null 2>&1 || give_up "chromium is still not on PATH after installing"
command -v soffice >/dev/null 2>&1 || give_up "soffice is still not on PATH after installing"
