#!/usr/bin/env bash
# Debian's Chromium for the browser tests (tests/e2e), driven by Playwright at /usr/bin/chromium.
# Never `playwright install`: it downloads a browser build from outside Debian at test time.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "install_browser.sh: /usr/bin/chromium is missing and installing it needs root (run: sudo apt-get install -y chromium)" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser.sh: /usr/bin/chromium is missing and there is no apt-get here; install Debian's chromium package" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! { "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq chromium >/dev/null; }; then
    echo "install_browser.sh: apt-get could not install chromium" >&2
    exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
    echo "install_browser.sh: chromium installed but /usr/bin/chromium is still missing" >&2
    exit 1
fi
echo "install_browser.sh: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) installed"
