"""Turn an analysed spaCy ``Doc`` into the :class:`~sayso.record.ArticleAnalysis` record.

This is the one place where spaCy objects become character offsets and ids.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from sayso import record as r
from sayso.doc_types import Attribution, GenreLabel, published_date
from sayso.ingest.article import Article


def _span(s: Span) -> tuple[int, int]:
    return (s.start_char, s.end_char)


def _text_span(s: Span) -> r.TextSpan:
    return r.TextSpan(text=s.text, span=_span(s))


def _voice(span: Span, attributions: list[Attribution], ids: list[str]) -> str | None:
    """The statement whose content contains ``span``, if any (else the author's voice)."""
    for i, a in enumerate(attributions):
        if a.content.start <= span.start and span.end <= a.content.end:
            return ids[i]
    return None


def _genre(label: GenreLabel | None) -> r.Genre | None:
    if label is None:
        return None
    return r.Genre(
        label=label.label,
        opinion_share=label.opinion_share,
        rhetoric_per_1000_words=label.rhetoric_per_1000_words,
        scores=label.scores,
    )


def build_record(doc: Doc, article: Article | None = None) -> r.ArticleAnalysis:
    """Assemble the record from the extensions sayso's components wrote on ``doc``."""
    published = published_date(doc)
    if article is not None and article.published is not None:
        published = article.published
    entities = [
        r.Entity(
            id=c.id,
            name=c.name,
            type=c.type,
            aliases=c.aliases,
            mentions=[_span(m) for m in c.mentions],
        )
        for c in doc._.sayso_entities or []
    ]
    attributions: list[Attribution] = doc._.sayso_statements or []
    statement_ids = [f"s{i + 1}" for i in range(len(attributions))]
    claim_of: dict[int, str] = {}
    reversing: set[int] = set()
    claims: list[r.Claim] = []
    for ci, group in enumerate(doc._.sayso_claims or []):
        claim_id = f"c{ci + 1}"
        for member in group.statements:
            claim_of.setdefault(member, claim_id)
        reversing.update(group.reversed)
        stances = []
        for st in group.stances:
            stances.append(
                r.ClaimStance(
                    holder=st.holder,
                    holder_entity=st.holder_entity,
                    stance=st.stance,
                    commitment=st.commitment,
                    statement=statement_ids[st.statement] if st.statement is not None else None,
                    span=_span(st.evidence),
                )
            )
        claims.append(r.Claim(id=claim_id, text=group.text, stances=stances, negated=group.negated))
    statements = [
        r.Statement(
            id=statement_ids[i],
            speaker=r.Speaker(
                name=a.speaker_name,
                entity=a.speaker_entity,
                role=a.role,
                affiliation=a.affiliation,
                affiliation_entity=a.affiliation_entity,
                span=_span(a.speaker) if a.speaker is not None else None,
            ),
            cue=_text_span(a.cue),
            content=_text_span(a.content),
            quote_type=a.quote_type,
            date=a.date,
            recap=a.recap,
            stance=a.stance,
            commitment=a.commitment,
            stance_evidence=a.stance_evidence,
            claim=claim_of.get(i),
            reverses_claim=i in reversing,
            refers_to=statement_ids[a.refers_to] if a.refers_to is not None else None,
        )
        for i, a in enumerate(attributions)
    ]
    return r.ArticleAnalysis(
        title=article.title if article else None,
        published=published.isoformat() if published else None,
        authors=list(article.authors) if article else [],
        source=article.source if article else None,
        url=article.url if article else None,
        text=doc.text,
        entities=entities,
        statements=statements,
        claims=claims,
        quantities=[
            r.Quantity(
                text=q.span.text,
                value=q.value,
                unit=q.unit,
                low=q.low,
                high=q.high,
                vague=q.vague,
                span=_span(q.span),
            )
            for q in doc._.sayso_quantities or []
        ],
        segments=[
            r.Segment(level=seg.level, label=seg.label, score=seg.score, span=_span(seg.span))
            for seg in doc._.sayso_segments or []
        ],
        genre=_genre(doc._.sayso_genre),
        rhetoric=[
            r.RhetoricSpan(
                technique=m.technique,
                score=m.score,
                span=_span(m.span),
                text=m.span.text,
                evidence=m.evidence,
                statement=_voice(m.span, attributions, statement_ids),
            )
            for m in doc._.sayso_rhetoric or []
        ],
        dates=[
            r.DateMention(
                text=d.span.text,
                value=d.value,
                precision=d.precision,
                span=_span(d.span),
            )
            for d in doc._.sayso_dates or []
        ],
    )
