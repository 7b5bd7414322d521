#!/usr/bin/env bash
# Set up, build the workbook (warnings are errors) and serve it on http://127.0.0.1:8000.
# The port is fixed on purpose: answers are stored per origin, and the origin includes the port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/jupyter-book build . --warningiserror --keep-going
echo "Cahier: http://127.0.0.1:8000/  (Ctrl+C to stop)"
exec .venv/bin/python -m http.server 8000 --bind 127.0.0.1 --directory _build/html
