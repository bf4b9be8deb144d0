#!/usr/bin/env bash
# Create .venv and install sayso with its pinned dependencies (and the dev tools).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
echo "sayso installed in .venv (try: .venv/bin/sayso analyze examples/missile-transfer.md --format text)"
