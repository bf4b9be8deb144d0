"""A ``sayso serve`` process on loopback over a small corpus, for the browser tests and
``benchmarks/serve.py``.

The server runs as its own process, started the way a person starts it (the ``sayso``
command), so the tests see exactly what a browser would: real sockets, real headers.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

REPO = Path(__file__).resolve().parents[2]
LINKING = REPO / "tests" / "fixtures" / "linking"
LISTENING = re.compile(r"sayso serve: listening on (http://\S+)")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def build_corpus(db: Path, articles: Path = LINKING, nlp: Any = None) -> dict[str, Any]:
    """Ingest the Markdown articles under ``articles`` into a new store ``db``; its counts."""
    from sayso.corpus import Corpus

    with Corpus(db) as corpus:
        corpus.ingest(sorted(articles.glob("*.md")), nlp=nlp)
        return corpus.counts()


def sayso_command() -> list[str]:
    """The ``sayso`` console script of this interpreter's environment (or its equivalent)."""
    script = Path(sys.executable).with_name("sayso")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys\nfrom sayso.cli import main\nsys.exit(main())"]


class LiveServer:
    """``sayso serve --db DB`` on a free loopback port, stopped on exit of the ``with`` block.

    ``url`` is the base URL the server printed once it was ready; ``log`` holds what it
    wrote to stderr (for error messages when something fails).
    """

    def __init__(
        self, db: Path | None, *, extra_args: tuple[str, ...] = (), timeout: float = 90.0
    ) -> None:
        self.db = db
        self.extra_args = extra_args
        self.timeout = timeout
        self.port = free_port()
        self.url = ""
        self.log: list[str] = []
        self._ready = threading.Event()
        self._proc: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None

    def start(self) -> LiveServer:
        """Start the process and wait for its "listening" line (RuntimeError if it never comes)."""
        cmd = [*sayso_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        if self.db is not None:
            cmd += ["--db", str(self.db)]
        cmd += list(self.extra_args)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + self.timeout
        while not self._ready.wait(0.1):
            if self._proc.poll() is not None or time.monotonic() > deadline:
                why = (
                    f"exited with status {self._proc.returncode}"
                    if self._proc.poll() is not None
                    else f"did not say it was listening within {self.timeout:.0f} s"
                )
                self.stop()
                tail = "".join(self.log[-20:])
                raise RuntimeError(f"`{' '.join(cmd)}` {why}; its stderr:\n{tail}")
        return self

    def _read(self) -> None:
        # Drain stderr for the whole life of the process, so a chatty server never blocks
        # on a full pipe.
        assert self._proc is not None and self._proc.stderr is not None
        for line in self._proc.stderr:
            self.log.append(line)
            match = LISTENING.search(line)
            if match and not self._ready.is_set():
                self.url = match.group(1).rstrip("/")
                self._ready.set()

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
        if self._proc is None or self._proc.poll() is not None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=10)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
