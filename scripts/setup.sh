#!/usr/bin/env bash
# Prepare a fresh Debian/Ubuntu machine for Cahier: a virtual environment in .venv with the
# workbook, its Sphinx extension (editable) and, with --test, the test tools and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "Cahier needs Python 3.11 or newer (found $(python3 --version))." >&2; exit 1; }
python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
  # The browser tests drive Debian's Chromium; Playwright never downloads a browser here.
  if [ -z "${CAHIER_CHROMIUM:-}" ] && ! [ -x /usr/bin/chromium ]; then
    apt_install chromium
  fi
  # The cross-engine suite (tests/engines/) drives Debian's Firefox ESR and WebKitGTK
  # (WebKitWebDriver and its MiniBrowser, which needs an X display: Xvfb) through Selenium.
  engines=()
  [ -n "${CAHIER_FIREFOX:-}" ] || command -v firefox-esr >/dev/null || engines+=(firefox-esr)
  command -v WebKitWebDriver >/dev/null || engines+=(webkit2gtk-driver)
  command -v Xvfb >/dev/null || engines+=(xvfb)
  [ "${#engines[@]}" -eq 0 ] || apt_install "${engines[@]}"
  # `cahier pdf` is tested by reading its PDF back with pdftotext.
  command -v pdftotext >/dev/null || apt_install poppler-utils
  # axe-core (accessibility tests) and Lighthouse (benchmarks/run.py), pinned in package-lock.json.
  command -v npm >/dev/null || apt_install nodejs npm
  npm ci --no-audit --no-fund --loglevel=error
else
  .venv/bin/python -m pip install -q -e .
fi
