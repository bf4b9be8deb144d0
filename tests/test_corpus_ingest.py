"""Corpus ingest: duplicates, corrupt inputs in the middle of a batch, a killed process.

All articles are invented for these tests.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from spacy.language import Language

from sayso.corpus import Corpus
from sayso.corpus.ingest import expand_paths
from sayso.corpus.linking import linking_method

PLACES = ["Kherson", "Odesa", "Mykolaiv", "Zaporizhzhia", "Dnipro", "Kharkiv", "Sumy", "Izium"]
TARGETS = ["a fuel depot", "a rail bridge", "a power substation", "a grain terminal"]
SPEAKERS = [
    ("the regional governor", "said"),
    ("the defence ministry", "denied"),
    ("a military spokesman", "said"),
    ("the United Nations", "said it could not confirm"),
]


def generated_article(i: int) -> str:
    """A short invented article; every ``i`` gives a different text."""
    place = PLACES[i % len(PLACES)]
    target = TARGETS[(i // len(PLACES)) % len(TARGETS)]
    speaker, cue = SPEAKERS[i % len(SPEAKERS)]
    drones = 3 + i
    return (
        f"Report {i}: {drones} drones struck {target} near {place} overnight, "
        f"{speaker} {cue}. Local officials said {i + 2} people were hurt."
    )


def consistency_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rows that point at nothing, or articles whose parts are missing."""
    checks = {
        "statements without article": """SELECT count(*) FROM statements s
            LEFT JOIN articles a ON a.id = s.article_id WHERE a.id IS NULL""",
        "claims without link": """SELECT count(*) FROM claims c LEFT JOIN claim_links l
            ON l.article_id = c.article_id AND l.claim_id = c.id WHERE l.claim_id IS NULL""",
        "links to no corpus claim": """SELECT count(*) FROM claim_links l
            LEFT JOIN corpus_claims k ON k.id = l.corpus_claim_id WHERE k.id IS NULL""",
        "stances without claim": """SELECT count(*) FROM stances s LEFT JOIN claims c
            ON c.article_id = s.article_id AND c.id = s.claim_id WHERE c.id IS NULL""",
        "articles whose claims are not all stored": """SELECT count(*) FROM articles a
            WHERE json_array_length(a.record -> '$.claims')
                  <> (SELECT count(*) FROM claims c WHERE c.article_id = a.id)""",
        "articles whose statements are not all stored": """SELECT count(*) FROM articles a
            WHERE json_array_length(a.record -> '$.statements')
                  <> (SELECT count(*) FROM statements s WHERE s.article_id = a.id)""",
        "duplicate articles": """SELECT count(*) - count(DISTINCT id) FROM articles""",
    }
    problems = []
    for name, sql in checks.items():
        row = con.execute(sql).fetchone()
        if row and row[0]:
            problems.append(f"{name}: {row[0]}")
    return problems


def test_duplicate_ingest_stores_each_article_once(tmp_path: Path, nlp: Language) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "a.txt").write_text(generated_article(1))
    (docs / "b.txt").write_text(generated_article(2))
    # The same text again, differently spaced and cased: the same article.
    (docs / "copy.txt").write_text("  " + generated_article(1).upper().replace(" ", "  ") + "\n")
    lines = [
        {"text": generated_article(3), "url": "https://example.org/3", "source": "Example"},
        # Same URL, edited text: the URL already identifies the article.
        {"text": generated_article(3) + " More later.", "url": "https://example.org/3"},
    ]
    (docs / "feed.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    db = tmp_path / "c.duckdb"
    err = io.StringIO()
    with Corpus(db) as corpus:
        first = corpus.ingest([docs], nlp=nlp, err=err)
        assert (first.stored, first.duplicates, first.failed) == (3, 2, 0)
        before = corpus.counts()
        again = corpus.ingest([docs], nlp=nlp, err=err)
        assert (again.stored, again.duplicates, again.failed) == (0, 5, 0)
        assert corpus.counts() == before
        assert consistency_problems(corpus.con) == []
        outlet = corpus.con.execute(
            "SELECT outlet FROM articles WHERE url = 'https://example.org/3'"
        ).fetchone()
        assert outlet == ("Example",)
    assert err.getvalue() == ""


def test_corrupt_inputs_in_the_middle_are_skipped_with_one_line_each(
    tmp_path: Path, nlp: Language
) -> None:
    docs = tmp_path / "in"
    (docs / "sub").mkdir(parents=True)
    (docs / "a_good.txt").write_text(generated_article(10))
    (docs / "b_image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (docs / "c_empty.txt").write_bytes(b"")
    (docs / "sub" / "d_good.md").write_text("# Strike\n\n" + generated_article(11) + "\n")
    feed = [
        json.dumps({"text": generated_article(12), "published": "2026-03-02"}),
        "{not json",
        json.dumps({"title": "no body"}),
        json.dumps({"text": generated_article(13), "published": "yesterday"}),
        json.dumps({"html": f"<html><body><p>{generated_article(14)}</p></body></html>"}),
    ]
    (docs / "e_feed.jsonl").write_text("\n".join(feed) + "\n")
    err = io.StringIO()
    with Corpus(tmp_path / "c.duckdb") as corpus:
        report = corpus.ingest([docs], nlp=nlp, err=err)
        assert (report.stored, report.failed) == (4, 5)
        assert corpus.counts()["articles"] == 4
        assert consistency_problems(corpus.con) == []
    lines = err.getvalue().splitlines()
    assert len(lines) == 5
    assert all(line.startswith("sayso: skipped ") for line in lines)
    text = err.getvalue()
    assert "b_image.html: the input is binary data" in text
    assert "c_empty.txt: the input is empty" in text
    assert "e_feed.jsonl:2: not a JSON object" in text
    assert 'e_feed.jsonl:3: the JSON record has no "text" or "html" field' in text
    assert "e_feed.jsonl:4: not an ISO date" in text


def test_missing_path_is_reported_not_fatal(tmp_path: Path, nlp: Language) -> None:
    good = tmp_path / "good.txt"
    good.write_text(generated_article(20))
    err = io.StringIO()
    with Corpus(tmp_path / "c.duckdb") as corpus:
        report = corpus.ingest([tmp_path / "nope.txt", good], nlp=nlp, err=err)
    assert (report.stored, report.failed) == (1, 1)
    assert "no such file" in err.getvalue()


def test_expand_paths_walks_directories_in_order(tmp_path: Path) -> None:
    for name in ("z.txt", "a/b.htm", "a/c.jsonl", "a/d.pdf", "m.markdown"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])]
    assert found == ["a/b.htm", "a/c.jsonl", "m.markdown", "z.txt"]


N_KILLED = 40
#: Articles for the signal tests: enough that the ingest cannot finish between its third
#: stored article and the signal on a busy machine (the test ends it early anyway).
N_SIGNALLED = 400


def test_killed_ingest_leaves_a_consistent_store_and_resumes(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    for i in range(N_KILLED):
        (docs / f"article_{i:03d}.txt").write_text(generated_article(i))
    db = tmp_path / "c.duckdb"
    command = [
        sys.executable,
        "-m",
        "sayso.corpus.cli",
        "ingest",
        str(docs),
        "--db",
        str(db),
        "--quiet",
        "--verbose",
    ]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _wait_until_stored(proc, 5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    con = duckdb.connect(str(db))
    try:
        stored = con.execute("SELECT count(*) FROM articles").fetchone()
        assert stored is not None
        assert 5 <= stored[0] < N_KILLED, "killed too late to test an interrupted ingest"
        assert consistency_problems(con) == []
    finally:
        con.close()

    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"({stored[0]} already stored, 0 skipped)" in done.stdout
    # The summary says how claims were linked (lexical unless the embeddings extra is there).
    assert f"({linking_method()} linking)" in done.stdout
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
        assert row == (N_KILLED, N_KILLED)
        assert consistency_problems(con) == []
    finally:
        con.close()


def test_opening_something_else_is_a_clear_error(tmp_path: Path) -> None:
    from sayso.errors import SaysoError

    bogus = tmp_path / "x.duckdb"
    bogus.write_bytes(b"this is not a database" * 100)
    with pytest.raises(SaysoError, match=r"x\.duckdb"):
        Corpus(bogus)
    with pytest.raises(SaysoError, match="no corpus at"):
        Corpus(tmp_path / "missing.duckdb", read_only=True)


def _children(pid: int) -> list[int]:
    """Child processes of ``pid`` (Linux ``/proc``)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` still runs (an unreaped zombie has stopped)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


def _wait_until_stored(proc: subprocess.Popen[str], n: int) -> None:
    """Read a ``--verbose`` ingest's stderr until it has stored ``n`` articles (2 min at most)."""
    assert proc.stderr is not None
    stored_lines = 0
    deadline = time.monotonic() + 120
    while stored_lines < n and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        stored_lines += line.startswith("stored ")
    assert stored_lines >= n, "the ingest did not get going"


def _start_worker_ingest(tmp_path: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """A ``sayso ingest --workers 1`` that has stored a few articles, and its children."""
    docs = tmp_path / "in"
    docs.mkdir()
    for i in range(N_SIGNALLED):
        (docs / f"article_{i:03d}.txt").write_text(generated_article(i))
    command = [sys.executable, "-m", "sayso.corpus.cli", "ingest", str(docs)]
    command += ["--db", str(tmp_path / "c.duckdb"), "--quiet", "--verbose", "--workers", "1"]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a command
    )
    _wait_until_stored(proc, 3)
    children = _children(proc.pid)
    assert children, "no analysis worker"
    return proc, children


def _wait_gone(pids: list[int], seconds: float = 15) -> list[int]:
    deadline = time.monotonic() + seconds
    while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in pids if _running(pid)]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_killing_the_ingest_ends_its_analysis_worker(tmp_path: Path) -> None:
    proc, children = _start_worker_ingest(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.stderr is not None
    proc.stderr.close()
    assert _wait_gone(children) == [], "the worker outlived its parent"
    con = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
    try:
        assert consistency_problems(con) == []
    finally:
        con.close()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_ctrl_c_stops_the_ingest_and_its_worker_cleanly(tmp_path: Path) -> None:
    proc, children = _start_worker_ingest(tmp_path)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
    assert proc.stderr is not None
    rest = proc.stderr.read()
    proc.wait(timeout=30)
    assert proc.returncode == 130
    assert "Traceback" not in rest
    assert rest.splitlines()[-1] == "sayso: interrupted"
    assert "run the same command again to go on" in rest
    assert _wait_gone(children) == []


def test_ctrl_c_is_acted_on_between_steps_and_a_second_one_at_once() -> None:
    from sayso.corpus.ingest import _CtrlC

    before = signal.getsignal(signal.SIGINT)
    with _CtrlC() as ctrl_c:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler runs in the main thread between bytecodes
        assert ctrl_c.requested
        with pytest.raises(KeyboardInterrupt):
            ctrl_c.check()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
    assert signal.getsignal(signal.SIGINT) is before


def test_ctrl_c_ignored_by_the_caller_stays_ignored() -> None:
    from sayso.corpus.ingest import _CtrlC

    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with _CtrlC() as ctrl_c:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            assert not ctrl_c.requested
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
