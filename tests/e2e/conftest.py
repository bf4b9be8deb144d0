"""Browser tests: Debian's Chromium (Playwright) against ``sayso serve`` on loopback.

The session builds a small corpus from ``tests/fixtures/linking``, starts ``sayso serve``
over it on a free 127.0.0.1 port, and launches Chromium headless from ``/usr/bin/chromium``
(installed by ``scripts/install_browser.sh``; never ``playwright install``). Screenshots go
to ``$SAYSO_SCREENSHOTS`` when set (``scripts/screenshots.sh``), else to a pytest tmp dir.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from live_server import LiveServer, build_corpus

CHROMIUM = Path("/usr/bin/chromium")
# Flags that work as root with no network (see ../shared/NOTES.md).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The browser binary; a missing browser fails the tests (unless SAYSO_SKIP_BROWSER=1)."""
    if os.environ.get("SAYSO_SKIP_BROWSER") == "1":
        pytest.skip("SAYSO_SKIP_BROWSER=1: browser tests not run")
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run scripts/install_browser.sh "
            "(or set SAYSO_SKIP_BROWSER=1 to leave the browser tests out)",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def corpus_db(chromium: Path, tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> Path:
    """A DuckDB corpus of the linking fixtures (26 short invented articles)."""
    db = tmp_path_factory.mktemp("e2e-corpus") / "corpus.duckdb"
    counts = build_corpus(db, nlp=nlp)
    assert counts["articles"] > 20, counts
    return db


@pytest.fixture(scope="session")
def server(corpus_db: Path) -> Iterator[LiveServer]:
    """``sayso serve --db corpus_db`` on a free loopback port."""
    live = LiveServer(corpus_db)
    failed = ""
    try:
        live.start()
    except RuntimeError as err:
        failed = str(err)
    if failed:
        pytest.fail(failed, pytrace=False)
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Any]:
    """Headless Chromium driven by Playwright's sync API."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the tests write their screenshots."""
    wanted = os.environ.get("SAYSO_SCREENSHOTS")
    out = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    out.mkdir(parents=True, exist_ok=True)
    return out


@dataclass
class Tab:
    """One browser page on the live server, recording what went wrong in it.

    ``errors`` collects uncaught exceptions and console errors, ``dialogs`` every
    alert/confirm/prompt a script opened (dismissed at once).
    """

    page: Any
    base: str
    shots: Path
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Any:
        """Open ``path`` on the server; the HTTP response."""
        return self.page.goto(self.base + path, wait_until="load")

    def shot(self, name: str) -> Path:
        """A screenshot ``<name>.png`` of what the window shows (1280 x 900)."""
        out = self.shots / f"{name}.png"
        self.page.screenshot(path=str(out))
        return out


@pytest.fixture()
def tab(browser: Any, server: LiveServer, screenshots: Path) -> Iterator[Tab]:
    """A fresh browser context and page (no shared cookies or storage between tests)."""
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    tab = Tab(page, server.url, screenshots)
    page.on("pageerror", lambda exc: tab.errors.append(f"uncaught: {exc}"))

    def on_console(msg: Any) -> None:
        where = (msg.location or {}).get("url", "")
        # The browser asks for /favicon.ico on its own; a missing icon is no script error.
        if msg.type == "error" and not where.endswith("/favicon.ico"):
            tab.errors.append(f"console: {msg.text} ({where})")

    page.on("console", on_console)

    def on_dialog(dialog: Any) -> None:
        tab.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield tab
    context.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives Debian's Chromium against `sayso serve`")
