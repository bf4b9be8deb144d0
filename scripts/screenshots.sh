#!/usr/bin/env bash
# Regenerate docs/screenshots/*.png (the README's screenshot among them) by running the
# browser tests with SAYSO_SCREENSHOTS pointed there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_browser.sh
mkdir -p docs/screenshots
SAYSO_SCREENSHOTS=docs/screenshots .venv/bin/python -m pytest -q tests/e2e "$@"
ls docs/screenshots/*.png
