"""Features for span tagging (CRF, per token) and technique classification (per span)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from spacy.tokens import Doc, Span

from sayso.rhetoric.lexicons import DATA_DIR, lexicon_matcher, sentiment_lexicon

_QUOTES = frozenset({'"', "“", "”", "``", "''"})
_WORD_RE = re.compile(r"[a-z][a-z'-]+")
_STOP = frozenset(json.loads((DATA_DIR / "rhetoric_lexicon.json").read_text("utf-8"))["stopwords"])


@dataclass
class DocInfo:
    """Per-doc precomputed token facts shared by the CRF, the classifier and the rules.

    Token attributes are read once into plain lists (creating spaCy ``Token`` objects
    repeatedly is the main cost otherwise).
    """

    doc: Doc
    hits: list[set[str]]
    matches: list[tuple[str, int, int]]  # (lexicon category, start token, end token)
    in_quote: list[bool]
    valence: list[float]
    lower_counts: Counter[str]
    text_lower: str
    sequences: list[list[int]]  # token indices per sentence, whitespace tokens removed
    title_end: int  # char offset of the end of the first line
    lower: list[str] = field(default_factory=list)
    lemma: list[str] = field(default_factory=list)
    pos: list[str] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)
    dep: list[str] = field(default_factory=list)
    ent: list[str] = field(default_factory=list)
    head_pos: list[str] = field(default_factory=list)
    head_dep: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    punct: list[bool] = field(default_factory=list)
    space: list[bool] = field(default_factory=list)
    num: list[bool] = field(default_factory=list)
    alpha: list[bool] = field(default_factory=list)
    idx: list[int] = field(default_factory=list)
    raw_text: str = ""


def doc_info(doc: Doc) -> DocInfo:
    """Compute lexicon hits, quote state, valence and sentence sequences once per doc."""
    matches = lexicon_matcher(doc.vocab).matches(doc)
    n = len(doc)
    hits: list[set[str]] = [set() for _ in range(n)]
    for cat, m_start, m_end in matches:
        for i in range(m_start, m_end):
            hits[i].add(cat)
    sent = sentiment_lexicon()
    in_quote: list[bool] = []
    valence: list[float] = []
    lower: list[str] = []
    lemma: list[str] = []
    pos: list[str] = []
    tag: list[str] = []
    dep: list[str] = []
    ent: list[str] = []
    head_pos: list[str] = []
    head_dep: list[str] = []
    texts: list[str] = []
    punct: list[bool] = []
    space: list[bool] = []
    num: list[bool] = []
    alpha: list[bool] = []
    idx: list[int] = []
    sequences: list[list[int]] = []
    seq: list[int] = []
    inside = False
    for tok in doc:
        text = tok.text
        low = tok.lower_
        head = tok.head
        texts.append(text)
        lower.append(low)
        lemma.append(tok.lemma_.lower())
        pos.append(tok.pos_)
        tag.append(tok.tag_)
        dep.append(tok.dep_)
        ent.append(tok.ent_type_)
        head_pos.append(head.pos_)
        head_dep.append(head.dep_)
        punct.append(tok.is_punct)
        is_space = tok.is_space
        space.append(is_space)
        num.append(tok.like_num)
        alpha.append(tok.is_alpha)
        idx.append(tok.idx)
        valence.append(sent.get(low, 0.0))
        if text in _QUOTES:
            if text == "“":
                inside = True
            elif text == "”":
                inside = False
            else:
                inside = not inside
            in_quote.append(True)
        else:
            in_quote.append(inside)
        if tok.is_sent_start and seq:
            sequences.append(seq)
            seq = []
        if not is_space:
            seq.append(tok.i)
        elif "\n" in text and seq:  # a line break ends a sentence (titles, paragraphs)
            sequences.append(seq)
            seq = []
    if seq:
        sequences.append(seq)
    raw_text = doc.text
    nl = raw_text.find("\n")
    lower_counts = Counter(
        w for w, p, sp in zip(lower, punct, space, strict=True) if not p and not sp
    )
    return DocInfo(
        doc,
        hits,
        matches,
        in_quote,
        valence,
        lower_counts,
        raw_text.lower(),
        sequences,
        nl if nl > 0 else 0,
        lower,
        lemma,
        pos,
        tag,
        dep,
        ent,
        head_pos,
        head_dep,
        texts,
        punct,
        space,
        num,
        alpha,
        idx,
        raw_text,
    )


def _shape(text: str) -> str:
    if text.isupper() and len(text) > 1:
        return "XX"
    if text[:1].isupper():
        return "Xx"
    if text.isdigit():
        return "d"
    if text.isalpha():
        return "x"
    return "p"


def _val_bucket(v: float) -> str:
    if v <= -2.0:
        return "neg2"
    if v < 0:
        return "neg1"
    if v >= 2.0:
        return "pos2"
    if v > 0:
        return "pos1"
    return "0"


def _token_base(info: DocInfo, i: int) -> list[str]:
    lower = info.lower[i]
    feats = [
        "w=" + lower,
        "l=" + info.lemma[i],
        "p=" + info.pos[i],
        "t=" + info.tag[i],
        "d=" + info.dep[i],
        "s=" + _shape(info.text[i]),
        "suf=" + lower[-3:],
        "v=" + _val_bucket(info.valence[i]),
        "hp=" + info.head_pos[i],
        "hd=" + info.head_dep[i],
    ]
    if info.ent[i]:
        feats.append("e=" + info.ent[i])
    if info.in_quote[i]:
        feats.append("q")
    feats.extend("x=" + h for h in info.hits[i])
    if not info.punct[i] and lower not in _STOP and info.lower_counts[lower] >= 3:
        feats.append("freq3")
    return feats


def crf_sequences(info: DocInfo) -> list[list[list[str]]]:
    """CRF feature lists (one list of strings per token) for each sentence sequence."""
    lower, pos, hits, valence = info.lower, info.pos, info.hits, info.valence
    out: list[list[list[str]]] = []
    for seq in info.sequences:
        base = [_token_base(info, i) for i in seq]
        n = len(seq)
        sent_feats = []
        sent_text = info.raw_text[info.idx[seq[0]] : info.idx[seq[-1]] + len(info.text[seq[-1]])]
        if "!" in sent_text:
            sent_feats.append("S!")
        if "?" in sent_text:
            sent_feats.append("S?")
        if info.idx[seq[0]] < info.title_end:
            sent_feats.append("Stitle")
        sent_feats.append("Slen=" + str(min(n // 10, 5)))
        sent_val = sum(1 for i in seq if abs(valence[i]) >= 2.0)
        sent_feats.append("Sval=" + str(min(sent_val, 3)))
        rows: list[list[str]] = []
        for k in range(n):
            feats = ["bias", *base[k], *sent_feats]
            for off in (-2, -1, 1, 2):
                j = k + off
                if 0 <= j < n:
                    t = seq[j]
                    feats.append(f"{off}w=" + lower[t])
                    feats.append(f"{off}p=" + pos[t])
                    if abs(off) == 1:
                        feats.append(f"{off}v=" + _val_bucket(valence[t]))
                        feats.extend(f"{off}x=" + h for h in hits[t])
                else:
                    feats.append(f"{off}=EDGE")
            if k == 0:
                feats.append("BOS")
            if k == n - 1:
                feats.append("EOS")
            rows.append(feats)
        out.append(rows)
    return out


def crf_labels(info: DocInfo, gold: list[tuple[int, int]]) -> list[list[str]]:
    """BIO labels per sentence sequence for merged gold character spans."""
    doc = info.doc
    inside = [0] * len(doc)  # gold span number (1-based) covering the token, 0 = none
    for n, (s, e) in enumerate(gold, 1):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        for t in span:
            if not t.is_space:
                inside[t.i] = n
    out: list[list[str]] = []
    for seq in info.sequences:
        labels: list[str] = []
        prev = 0
        for i in seq:
            cur = inside[i]
            if cur == 0:
                labels.append("O")
            elif cur != prev:
                labels.append("B")
            else:
                labels.append("I")
            prev = cur
        out.append(labels)
    return out


def _len_bucket(n: int) -> str:
    for lim in (1, 2, 3, 5, 8, 13, 20):
        if n <= lim:
            return str(lim)
    return "big"


def span_features(info: DocInfo, span: Span) -> dict[str, float]:
    """Sparse features of one candidate span for the technique classifier."""
    doc = info.doc
    toks = [t for t in span if not t.is_space]
    feats: dict[str, float] = {"bias": 1.0}
    if not toks:
        return feats
    words = [t.lower_ for t in toks if not t.is_punct]
    for t in toks:
        if not t.is_punct:
            feats["u:" + t.lemma_.lower()] = 1.0
    for a, b in pairwise(words):
        feats["b:" + a + "_" + b] = 1.0
    if words:
        feats["first:" + words[0]] = 1.0
        feats["last:" + words[-1]] = 1.0
    n = len(toks)
    feats["len:" + _len_bucket(n)] = 1.0
    if n <= 3:
        feats["pos:" + "_".join(t.pos_ for t in toks)] = 1.0
    for t in toks:
        for h in info.hits[t.i]:
            feats["x:" + h] = 1.0
        if t.ent_type_:
            feats["ent:" + t.ent_type_] = 1.0
        v = info.valence[t.i]
        if abs(v) >= 2.0:
            feats["val:strong"] = feats.get("val:strong", 0.0) + 1.0
        elif v != 0:
            feats["val:weak"] = feats.get("val:weak", 0.0) + 1.0
    for key in ("val:strong", "val:weak"):
        if key in feats:
            feats[key] = min(feats[key], 3.0) / 3.0
    text_low = span.text.lower().strip()
    if len(text_low) >= 3:
        count = info.text_lower.count(text_low)
        feats["rep:" + str(min(count, 4))] = 1.0
        content = [w for w in words if w not in _STOP and len(w) > 2]
        if content:
            mx = max(info.lower_counts[w] for w in content)
            feats["wfreq:" + str(min(mx, 6))] = 1.0
    sent = toks[0].sent
    sent_words = [t for t in sent if not t.is_space and not t.is_punct]
    cover = len(words) / max(1, len(sent_words))
    feats["cover:" + str(min(int(cover * 4), 4))] = 1.0
    if "!" in span.text or (toks[-1].i + 1 < len(doc) and doc[toks[-1].i + 1].text == "!"):
        feats["excl"] = 1.0
    if "?" in sent.text:
        feats["sentq"] = 1.0
    if info.in_quote[toks[0].i]:
        feats["inquote"] = 1.0
    if span.start_char < info.title_end:
        feats["title"] = 1.0
    if sum(1 for t in toks if t.text[:1].isupper()) / n > 0.6 and n > 1:
        feats["caps"] = 1.0
    for off in (1, 2, 3):
        j = toks[0].i - off
        if j >= 0 and not doc[j].is_space:
            feats[f"c-{off}:" + doc[j].lower_] = 1.0
        j = toks[-1].i + off
        if j < len(doc) and not doc[j].is_space:
            feats[f"c+{off}:" + doc[j].lower_] = 1.0
    for t in sent:
        for h in info.hits[t.i]:
            feats["sx:" + h] = 1.0
    return feats


def tokenize_words(text: str) -> list[str]:
    """Lower-case word tokens used for repetition counting.

    >>> tokenize_words("Never forget, never forgive!")
    ['never', 'forget', 'never', 'forgive']
    """
    return _WORD_RE.findall(text.lower())
