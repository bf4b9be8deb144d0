"""The command line as a user runs it: one clear line and a non-zero exit for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "missile-transfer.md"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "sayso.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        check=False,
    )


def test_analyze_json_is_a_valid_record() -> None:
    proc = run("analyze", str(EXAMPLE), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["title"] == "Allies split over reports of missile shipments to Russia"
    assert record["published"] == "2026-03-05"
    text = record["text"]
    for st in record["statements"]:
        start, end = st["cue"]["span"]
        assert text[start:end] == st["cue"]["text"]


def test_analyze_text_summary_from_stdin() -> None:
    article = b"The navy said on Monday that 12 drones were shot down over the sea."
    proc = run("analyze", "-", "--format", "text", "--published", "2026-05-06", stdin=article)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "navy" in out and "said" in out and "2026-05-04" in out


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        (b"<html><body><script>alert(1)</script></body></html>", "no article"),
    ],
)
def test_bad_input_gives_one_line_and_nonzero_exit(payload: bytes, message: str) -> None:
    proc = run("analyze", "-", stdin=payload)
    assert proc.returncode != 0
    err = proc.stderr.decode().strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("sayso: error:")
    assert message in err.lower()
    assert "Traceback" not in err


def test_missing_file_and_directory(tmp_path: Path) -> None:
    for target in (tmp_path / "nope.txt", tmp_path):
        proc = run("analyze", str(target))
        assert proc.returncode != 0
        assert len(proc.stderr.decode().strip().splitlines()) == 1


def test_private_url_refused_without_flag() -> None:
    proc = run("analyze", "http://127.0.0.1:9/article")
    assert proc.returncode != 0
    err = proc.stderr.decode()
    assert "sayso: error:" in err and "Traceback" not in err


def test_bad_date_option() -> None:
    proc = run("analyze", str(EXAMPLE), "--published", "next week")
    assert proc.returncode != 0
    assert "ISO date" in proc.stderr.decode()


def test_url_on_loopback_needs_allow_private(tmp_path: Path) -> None:
    import functools
    import http.server
    import threading

    page = (
        "<html><head><title>Ceasefire talks stall</title></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Ceasefire talks stall</h1>"
        "<p>The foreign ministry said on Tuesday that the talks in Geneva had stalled "
        "over the prisoner exchange, and a spokesman added that no date was set.</p>"
        "<p>Negotiators from both delegations left the venue without comment after "
        "six hours of meetings in the city.</p></article>"
        "<footer>Copyright</footer><script>alert('x')</script></body></html>"
    )
    (tmp_path / "story.html").write_text(page, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/story.html"
        refused = run("analyze", url)
        assert refused.returncode != 0
        assert "127.0.0.1" in refused.stderr.decode()
        allowed = run("analyze", url, "--allow-private", "--format", "json")
        assert allowed.returncode == 0, allowed.stderr
        record = json.loads(allowed.stdout)
        assert record["url"] == url
        assert "alert" not in record["text"] and "Sport" not in record["text"]
        assert [s["cue"]["text"] for s in record["statements"]][:1] == ["said"]
    finally:
        server.shutdown()


def test_analyze_html_is_one_self_contained_page() -> None:
    hostile = b'Officials said <script>alert(1)</script> was "found in the ruins of the depot."'
    proc = run("analyze", "-", "--format", "html", stdin=hostile)
    assert proc.returncode == 0, proc.stderr
    page = proc.stdout.decode("utf-8")
    assert page.lower().count("<script") == 1  # the report's own, allowed by its CSP hash
    assert "Content-Security-Policy" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "http://" not in page and "https://" not in page  # nothing loaded from outside


def test_train_then_evaluate_rhetoric_from_the_command_line(tmp_path: Path, tiny_ptc: Path) -> None:
    model = tmp_path / "model"
    trained = run("train", "rhetoric", str(tiny_ptc), "--out", str(model))
    assert trained.returncode == 0, trained.stderr
    assert json.loads(trained.stdout.decode().splitlines()[-1])["articles"] == 3
    scored = run("evaluate", "rhetoric", str(tiny_ptc), "--model", str(model))
    assert scored.returncode == 0, scored.stderr
    result = json.loads(scored.stdout.decode().splitlines()[-1])
    assert result["articles"] == 3
    assert 0.0 <= result["tc"]["micro_f1"] <= 1.0


def test_techniques_lists_the_fourteen_labels() -> None:
    proc = run("techniques")
    assert proc.returncode == 0
    out = proc.stdout.decode()
    assert "Loaded_Language" in out and "Whataboutism" in out
