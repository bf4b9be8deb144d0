"""``sayso serve``: run the app with uvicorn and say where it listens once it does."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import Any

import uvicorn

from sayso.errors import SaysoError


class _Server(uvicorn.Server):
    """A uvicorn server that prints one ``listening on`` line when its socket is bound."""

    async def startup(self, sockets: list[Any] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.started:
            return
        host, port = self.config.host, self.config.port
        for server in getattr(self, "servers", []):
            for sock in server.sockets:
                port = sock.getsockname()[1]  # the real one when --port 0
                break
        shown = f"[{host}]" if ":" in host else host
        print(f"sayso serve: listening on http://{shown}:{port}", file=sys.stderr, flush=True)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address or ``localhost``.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    *,
    db: Path | None,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_private: bool = False,
    max_upload_bytes: int = 5_000_000,
) -> int:
    """Build the app and serve it until interrupted."""
    from sayso.serve.app import create_app

    if not 0 <= port <= 65535:
        raise SaysoError(f"not a port number: {port}")
    if max_upload_bytes < 1:
        raise SaysoError("--max-upload-bytes must be positive")
    if db is not None and not db.is_file():
        raise SaysoError(f"no corpus at {db} (create it with `sayso ingest ... --db {db}`)")
    if not is_loopback(host):
        print(
            f"sayso serve: warning: listening on {host}, not only this machine; "
            "anyone who can reach it can use it (there is no login)",
            file=sys.stderr,
        )
    app = create_app(db, allow_private=allow_private, max_upload_bytes=max_upload_bytes)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, server_header=False
    )
    server = _Server(config)
    server.run()
    return 0 if server.started else 1
