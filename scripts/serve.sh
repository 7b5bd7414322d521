#!/usr/bin/env bash
# Set up, build the workbook and serve it on http://127.0.0.1:8000 (`cahier serve`): every change to a
# page, _config.yml or _toc.yml rebuilds it, lists every mistake at its file and line, and reloads the
# open pages. Another port: bash scripts/serve.sh 8001.
# The port is fixed on purpose: answers are stored per origin, and the origin includes the port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/cahier serve . --port "${1:-8000}"
