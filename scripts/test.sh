#!/usr/bin/env bash
# The whole test suite: lint, types, and tests (including doctests in sayso/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install_browser.sh
.venv/bin/ruff check sayso tests scripts benchmarks
.venv/bin/ruff format --check sayso tests scripts benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
