"""Rules about sayso's own source that a linter does not check."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "sayso"
#: Names that hold spaCy tokens in sayso's code.
TOKEN_WORDS = frozenset({"head", "root", "tok", "cue", "verb", "noun", "subject", "prev"})


def _name(node: ast.AST) -> str:
    """The identifier a node names: a variable, or an attribute ("head" of ``tok.head``)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def test_spacy_tokens_are_never_compared_by_identity() -> None:
    """spaCy makes a new Token object on each access (``tok.head is tok`` is never true), so
    tokens are compared by index (``tok.head.i == tok.i``)."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, sides, sides[1:], strict=False):
                if not isinstance(op, ast.Is | ast.IsNot):
                    continue
                if isinstance(right, ast.Constant) or isinstance(left, ast.Constant):
                    continue
                names = {_name(n) for side in (left, right) for n in ast.walk(side)}
                if names & TOKEN_WORDS:
                    text = f"{ast.unparse(left)} / {ast.unparse(right)}"
                    found.append(f"{path.relative_to(SOURCE.parent)}:{node.lineno}: {text}")
    assert not found
