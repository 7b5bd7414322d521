#!/usr/bin/env bash
# Set up and run every test: lint, the extension's Sphinx tests, the content and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check extensions tests benchmarks
.venv/bin/ruff format --check extensions tests benchmarks
exec .venv/bin/python -m pytest "$@"
