"""Claims: statements about the same proposition are grouped, with one stance per holder."""

from __future__ import annotations

from pathlib import Path

import pytest

import sayso
from sayso.record import ArticleAnalysis

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "missile-transfer.md"


@pytest.fixture(scope="module")
def example() -> ArticleAnalysis:
    return sayso.analyze(EXAMPLE)


def stances_of(record: ArticleAnalysis, claim_id: str) -> dict[str, str]:
    claim = next(c for c in record.claims if c.id == claim_id)
    return {s.holder: s.stance for s in claim.stances}


def test_same_claim_in_other_words_is_one_claim() -> None:
    record = sayso.analyze(
        "Officials in Seoul said Pyongyang had sent troops to the front. "
        "North Korea denied that it sent any troops to the front."
    )
    assert len(record.claims) == 1
    assert stances_of(record, "c1") == {"Officials in Seoul": "asserts", "North Korea": "denies"}


def test_unrelated_statements_are_separate_claims() -> None:
    record = sayso.analyze(
        "The mayor said the water supply was restored. "
        "The general said the northern bridge had been mined."
    )
    assert len(record.claims) == 2


def test_anaphoric_reactions_join_the_claim_under_discussion(example: ArticleAnalysis) -> None:
    # "denied the reports", "If true, this marks ...", "had not yet reached the point of
    # confirming the transfer": all about the missile shipments.
    main = example.claims[0]
    assert "Iran has shipped" in main.text
    holders = {s.holder: s.stance for s in main.stances}
    assert holders["British government"] == "asserts"
    assert holders["Russia"] == "denies"
    assert holders["Iran"] == "denies"
    assert holders["German defence minister"] == holders["State Department spokesman"]


def test_every_statement_belongs_to_a_claim(example: ArticleAnalysis) -> None:
    assert all(st.claim is not None for st in example.statements)
    ids = {c.id for c in example.claims}
    assert {st.claim for st in example.statements} <= ids


def test_claim_evidence_spans_point_at_the_statement(example: ArticleAnalysis) -> None:
    by_id = {s.id: s for s in example.statements}
    for claim in example.claims:
        for stance in claim.stances:
            evidence = example.quote(stance.span)
            if stance.statement is not None:
                assert by_id[stance.statement].content.text in evidence


def test_author_is_a_holder_when_stating_a_claim_in_own_voice() -> None:
    record = sayso.analyze(
        "The ministry said the refinery in Tuapse was hit by drones on Monday. "
        "Drones hit the refinery in Tuapse on Monday, starting a large fire."
    )
    holders = {s.holder: s for s in record.claims[0].stances}
    assert holders["author"].statement is None
    assert holders["author"].stance == "asserts"


def test_claim_text_leaves_out_the_speaker_inside_a_quotation() -> None:
    record = sayso.analyze('"We will not retreat," Colonel Ana Ruiz said. "Our answer is unity."')
    assert record.claims[0].text == "We will not retreat … Our answer is unity"


def test_claim_text_keeps_a_partial_quotation_closed() -> None:
    # The content ends on the quotation's closing mark, which edge trimming used to drop.
    record = sayso.analyze(
        'The foreign minister of Arvel warned that the deployment would be "a grave mistake."'
    )
    assert [c.text for c in record.claims] == ['The deployment would be "a grave mistake"']


def test_a_speakers_next_statement_goes_on_about_their_claim() -> None:
    # The second quote shares no content word with the first, but the same speaker is still
    # making the case for the claim.
    record = sayso.analyze(
        "Teo Mabili, the election commission's chairman, said on Monday that hackers working "
        "for Ostrel's intelligence service broke into its servers. "
        '"The tools, the timing and the language all point to one place," Mabili said.'
    )
    assert len(record.claims) == 1
    assert [s.claim for s in record.statements] == ["c1", "c1"]


def test_a_claim_named_as_such_with_a_stance_reacts_to_the_claim_under_discussion() -> None:
    record = sayso.analyze(
        "Officials in Tovalle said Ostrel had hacked the election servers. "
        'Ostrel\'s foreign ministry called the accusation "baseless and absurd".'
    )
    assert len(record.claims) == 1
    assert stances_of(record, "c1") == {
        "Officials in Tovalle": "asserts",
        "Ostrel's foreign ministry": "denies",
    }


def test_a_claim_named_without_a_stance_towards_it_is_not_counted_as_one() -> None:
    # "said the accusation was a matter for the courts" says nothing of the accusation's
    # truth: the spokesman must not be recorded as asserting it.
    record = sayso.analyze(
        "Officials in Tovalle said Ostrel had hacked the election servers. "
        "A spokesman in Ostrel said the accusation was a matter for the courts."
    )
    c1 = next(c for c in record.claims if c.id == "c1")
    assert {s.holder for s in c1.stances} == {"Officials in Tovalle"}


@pytest.mark.parametrize(
    ("judgement", "evidence"),
    [
        ("the accusation was an attempt to distract from its own losses", "attempt to distract"),
        ("the report was a cynical smear", "cynical smear"),
        ("these claims were a crude provocation", "crude provocation"),
    ],
)
def test_a_named_claim_judged_as_a_bad_thing_is_denied(judgement: str, evidence: str) -> None:
    # Its words are asserted, and by them the claim they name is denied: the spokesman is
    # recorded as denying the hacking, not as asserting a claim of their own.
    record = sayso.analyze(
        "Officials in Tovalle said Ostrel had hacked the election servers. "
        f"A spokesman in Ostrel said {judgement}."
    )
    assert stances_of(record, "c1") == {
        "Officials in Tovalle": "asserts",
        "spokesman in Ostrel": "denies",
    }
    spokesman = record.statements[1]
    assert spokesman.stance == "denies" and spokesman.stance_evidence.startswith(evidence)


@pytest.mark.parametrize(
    ("text", "holder", "expected"),
    [
        # A restatement with the opposite polarity denies the claim, whatever its own verb.
        (
            "Officials in Seoul said Pyongyang had sent troops to the front. "
            "North Korea said it had not sent any troops to the front.",
            "North Korea",
            "denies",
        ),
        (
            "Kyiv said Iran has shipped missiles to Russia. "
            "Tehran said it had never shipped missiles to Russia.",
            "Iran",
            "denies",
        ),
        (
            "The navy said the tanker loaded oil at sea. "
            "The owner said not one barrel of oil was loaded at sea.",
            "owner",
            "denies",
        ),
        # ... and the reverse: asserting what a negative claim says did not happen.
        (
            "Officials said no troops had crossed the river. "
            "The general said troops had crossed the river at dawn.",
            "general",
            "denies",
        ),
        # A negation inside a relative clause does not reverse the main claim.
        (
            "The ministry said soldiers who had not been paid seized the depot. "
            "The mayor said soldiers seized the depot.",
            "mayor",
            "asserts",
        ),
        # A judgement of the claim keeps its own stance ("not true" is already a denial).
        (
            "Kyiv said Iran has shipped missiles to Russia. Tehran said this was not true.",
            "Iran",
            "denies",
        ),
    ],
)
def test_a_restatement_with_the_opposite_polarity_takes_the_opposite_stance(
    text: str, holder: str, expected: str
) -> None:
    record = sayso.analyze(text)
    assert len(record.claims) == 1
    assert stances_of(record, "c1")[holder] == expected


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("The ministry said no drone had struck the fuel depot.", True),
        ("The ministry said its forces had never struck the fuel depot.", True),
        ("The ministry said a drone had struck the fuel depot.", False),
        # A doubt or a judgement of a claim is not its negation.
        ("The envoy said there was no evidence that a drone had struck the depot.", False),
        ("The ministry said that was not true.", False),
    ],
)
def test_a_claim_knows_whether_it_is_worded_negatively(text: str, negated: bool) -> None:
    record = sayso.analyze(text)
    assert record.claims[0].negated is negated


def test_a_bare_reference_reacts_to_the_claim_just_told() -> None:
    record = sayso.analyze(
        "Ostrand's navy said a Corvian patrol boat had sunk a fishing trawler near Skerry "
        "Island on Tuesday. Corvia's coast guard said Ostrand's frigate had fired on its crew "
        "first. Ostrand's defence ministry denied that account."
    )
    fired = next(c for c in record.claims if "fired" in c.text)
    assert stances_of(record, fired.id)["Ostrand's defence ministry"] == "denies"
    # ... but a warning of what would happen is no account to deny: "the reports" go to the
    # claim under discussion.
    record = sayso.analyze(
        "Officials in Corvia said Ostrand had sent 300 drones to the rebels. Officials in "
        "Ostrand said Corvia had sent 200 drones to the rebels. The envoy warned that such "
        "shipments would prolong the war. Corvia denied the reports."
    )
    assert stances_of(record, "c1")["Corvia"] == "denies"


def test_a_negated_copula_states_a_negative_claim() -> None:
    record = sayso.analyze("Ostrand's defence ministry said its soldiers were not in Velgrad.")
    assert record.claims[0].negated
    # ... but a verdict on a claim is not one ("the report was not accurate")
    assert not sayso.analyze("The ministry said the report was not accurate.").claims[0].negated


def test_the_charge_is_the_claim_denied_not_the_denials_own_words() -> None:
    record = sayso.analyze(
        "The interior minister of Corvia, Lenka Marsh, said saboteurs from Ostrand had blown "
        "up the Peltra railway bridge. Ostrand's foreign ministry denied that its agents had "
        "any role in the blast. Its spokesman, Pavel Dorin, said the charge was a reckless lie."
    )
    bridge = next(c for c in record.claims if "bridge" in c.text)
    assert stances_of(record, bridge.id)["Pavel Dorin"] == "denies"


def test_it_before_a_clause_is_no_anaphor() -> None:
    record = sayso.analyze(
        "Officials in Ostrand said Corvia had shipped missiles to the rebels. The shipping "
        "bureau said attacks in the gulf had risen fourfold this year. Teressa's foreign "
        "minister, Anja Kowal, said it was unclear whether the missiles had reached the rebels."
    )
    missiles = next(c for c in record.claims if "missiles" in c.text)
    assert stances_of(record, missiles.id)["Anja Kowal"] == "doubts"
    assert "Officials in Ostrand" in stances_of(record, missiles.id)


def test_which_x_denies_reacts_to_the_words_it_follows() -> None:
    """ "..., which the rebels deny": the rebels deny what the general just said, even when
    he said it as what would happen and another claim is the one under discussion."""
    record = sayso.analyze(
        "The mayor said a shell had hit the school in Arvel. Teachers said a shell had hit "
        "the school in Arvel on Monday. The general said the rebels would soon cut the "
        "water pipeline to Arvel, which the rebels deny."
    )
    pipeline = next(c for c in record.claims if "pipeline" in c.text)
    assert stances_of(record, pipeline.id) == {"general": "asserts", "rebels": "denies"}


@pytest.mark.parametrize(
    "reaction",
    [
        "The Harbour Post could not verify the minister's account.",
        "The Harbour Post could not verify Tarrow's account.",
    ],
)
def test_a_claim_named_by_its_holder_is_that_holders_claim(reaction: str) -> None:
    """ "the minister's account" is what the minister said, not the claim told just before."""
    record = sayso.analyze(
        "The interior minister, Piet Tarrow, said rebels had blown up the rail bridge at "
        "Kessel. Relief workers said 3,000 families had fled the valley. " + reaction
    )
    bridge = next(c for c in record.claims if "bridge" in c.text)
    assert stances_of(record, bridge.id).get("Harbour Post") == "cannot_confirm"


@pytest.mark.parametrize(
    "text",
    [
        # The speaker spoke on the claim before: their own claim, not the one just told.
        "The army said rebel gunners had shelled the school in Varn. "
        "The rebels said they had not fired a single shell at the school. "
        "The governor said the bridge at Kell had reopened on Monday. "
        "The rebels repeated their denial.",
        # They did not: the claim under discussion, not what another speaker just said.
        "The army said rebel gunners had shelled the school in Varn. "
        "The army said the gunners had fired from the hills above the town. "
        "The governor said the bridge at Kell had reopened on Monday. "
        "The rebels repeated their denial.",
    ],
)
def test_a_speakers_own_named_claim_is_their_claim_not_the_last_told(text: str) -> None:
    record = sayso.analyze(text)
    last = record.statements[-1]
    assert (last.speaker.name, last.content.text, last.stance) == (
        "rebels",
        "their denial",
        "denies",
    )
    school = next(c for c in record.claims if "school" in c.text)
    assert last.claim == school.id


def test_a_statement_restating_its_claim_reversed_says_so() -> None:
    record = sayso.analyze(
        "The interior ministry said on Monday that troops from Valdor had crossed the border "
        "near the town of Presk. Valdor's defence ministry said its troops had not crossed the "
        "border near Presk."
    )
    first, second = record.statements
    assert (first.claim, second.claim) == ("c1", "c1")
    # Its own words it asserts; the claim it denies.
    assert (second.stance, second.reverses_claim) == ("asserts", True)
    assert record.claim_stance_of(second) == ("denies", -3)
    assert not first.reverses_claim
    assert record.claim_stance_of(first) == ("asserts", 3)


@pytest.mark.parametrize(
    ("verdict", "stance"),
    [
        ("It was true.", "asserts"),
        ("That is a lie.", "denies"),
        ("The story is not true.", "denies"),
        # Not shown is not a denial.
        ("The claim has not been proved.", "cannot_confirm"),
        ("The rail shipment remains unproven.", "cannot_confirm"),
        ("That was no fabrication.", "asserts"),
    ],
)
def test_the_authors_verdict_on_a_claim_is_the_authors_stance(verdict: str, stance: str) -> None:
    record = sayso.analyze(
        "The customs office said the engines had been shipped to Marlow by rail. "
        "The shipping firm denied it. " + verdict
    )
    (claim,) = record.claims
    author = [s for s in claim.stances if s.holder == "author"]
    assert [(s.stance, record.quote(s.span)) for s in author] == [(stance, verdict)]


def test_a_verdict_on_something_nobody_in_the_article_said_is_a_claim_of_its_own() -> None:
    record = sayso.analyze(
        "The customs office said the engines had been shipped to Marlow by rail. "
        "The hospital figures remain unproven."
    )
    assert [c.text for c in record.claims] == [
        "The engines had been shipped to Marlow by rail",
        "The hospital figures remain unproven",
    ]
    assert [(s.holder, s.stance) for s in record.claims[1].stances] == [
        ("author", "cannot_confirm")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The weather was fine.",
        "It may be true.",  # a modal: no verdict
        "Is it true?",  # a question
        "It is right to ask.",
        "The price was right.",  # no claim anyone made
        "The border was established in 1920.",  # an event, not a verdict
        "The appointment was confirmed by the board.",
    ],
)
def test_a_sentence_that_judges_no_claim_is_no_verdict(sentence: str) -> None:
    record = sayso.analyze(
        "The customs office said the engines had been shipped to Marlow by rail. " + sentence
    )
    assert [s.holder for c in record.claims for s in c.stances] == ["customs office"]


def test_a_subject_that_says_no_turns_the_verdict() -> None:
    record = sayso.analyze(
        "The customs office said the engines had been shipped to Marlow by rail. "
        "None of it is true."
    )
    assert [(s.holder, s.stance) for s in record.claims[0].stances][-1] == ("author", "denies")
