"""Who said what: each attribution pattern the issue names, on sentences written for sayso."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from sayso.doc_types import Attribution


def statements(nlp: Language, text: str, published: dt.date | None = None) -> list[Attribution]:
    doc = nlp.make_doc(text)
    doc._.sayso_published = published
    return nlp(doc)._.sayso_statements


def only(nlp: Language, text: str) -> Attribution:
    found = statements(nlp, text)
    assert len(found) == 1, [(s.speaker_name, s.cue.text) for s in found]
    return found[0]


def test_x_said_that(nlp: Language) -> None:
    st = only(nlp, "The defence minister said that the bridge had been destroyed overnight.")
    assert st.speaker is not None and st.speaker.text == "The defence minister"
    assert st.cue.text == "said"
    assert st.content.text == "that the bridge had been destroyed overnight"
    assert st.quote_type == "indirect"


def test_postposed_speaker(nlp: Language) -> None:
    st = only(nlp, "The convoy reached the city before dawn, the governor said.")
    assert st.speaker_name == "governor"
    assert st.content.text == "The convoy reached the city before dawn"


def test_told_reporters(nlp: Language) -> None:
    st = only(nlp, "General Anna Berg told reporters the offensive had stalled.")
    assert st.speaker_name == "Anna Berg"
    assert st.role == "General"
    assert st.cue.text == "told"
    assert "offensive had stalled" in st.content.text


def test_a_name_in_a_clause_about_the_speaker_is_not_the_speaker(nlp: Language) -> None:
    st = only(nlp, "Talvik Defence Systems, which builds radars in Ostrand, declined to comment.")
    assert st.speaker_name == "Talvik Defence Systems"
    assert st.role is None


def test_according_to(nlp: Language) -> None:
    st = only(nlp, "According to the ministry, 300 shells hit the port last week.")
    assert st.cue.text == "According to"
    assert st.speaker is not None and st.speaker.text == "the ministry"
    assert st.content.text.startswith("300 shells hit the port")


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Hungary announced that it would block the sanctions package.", "announced"),
        ("Kyiv demanded that the talks be moved to Geneva.", "demanded"),
        ("The agency warned that the reactor was losing power.", "warned"),
        ("Moscow denied that its jets had entered Estonian airspace.", "denied"),
        ("The army confirmed that two soldiers were captured.", "confirmed"),
    ],
)
def test_reporting_verbs(nlp: Language, sentence: str, cue: str) -> None:
    st = only(nlp, sentence)
    assert st.cue.text == cue
    assert st.content.text.startswith("that ")


def test_speech_frame(nlp: Language) -> None:
    st = only(
        nlp, "In a speech to parliament, Prime Minister Ola Dahl said the border would stay shut."
    )
    assert st.speaker_name == "Ola Dahl"
    assert st.role == "Prime Minister"
    assert st.content.text == "the border would stay shut"


def test_quote_over_several_sentences(nlp: Language) -> None:
    text = 'Colonel Mira Soto said: "We held the line. Nobody retreated. We will hold it again."'
    st = only(nlp, text)
    assert st.quote_type == "direct"
    assert st.content.text == '"We held the line. Nobody retreated. We will hold it again."'


def test_quote_then_he_said(nlp: Language) -> None:
    text = (
        'Finance Minister Karl Aho arrived late.\n\n"The budget cannot carry another war," he said.'
    )
    st = only(nlp, text)
    assert st.speaker is not None and st.speaker.text == "he"
    assert st.speaker_name == "Karl Aho"
    assert st.quote_type == "direct"
    assert st.content.text == '"The budget cannot carry another war,"'


def test_pronoun_resolves_to_last_speaker_not_last_name(nlp: Language) -> None:
    text = (
        "Envoy Lars Holm said the ceasefire was holding. "
        "The talks in Oslo were attended by Maria Lind. "
        "He added that prisoners would be exchanged on Friday."
    )
    found = statements(nlp, text)
    added = next(s for s in found if s.cue.text == "added")
    assert added.speaker_name == "Lars Holm"


def test_states_and_agencies_as_conjoined_speakers(nlp: Language) -> None:
    found = statements(nlp, "Russia and North Korea denied the reports.")
    assert [s.speaker_name for s in found] == ["Russia", "North Korea"]
    assert all(s.cue.text == "denied" for s in found)
    assert all(s.speaker_entity is not None for s in found)


def test_role_after_name_apposition(nlp: Language) -> None:
    st = only(
        nlp, "Tomas Brink, the deputy foreign minister of Sweden, said the embassy would reopen."
    )
    assert st.speaker_name == "Tomas Brink"
    assert st.role == "deputy foreign minister of Sweden"
    assert st.affiliation == "Sweden"


def test_role_before_name_with_affiliation(nlp: Language) -> None:
    st = only(nlp, "Kremlin spokesman Dmitry Peskov said the drills were routine.")
    assert (st.speaker_name, st.role, st.affiliation) == (
        "Dmitry Peskov",
        "Kremlin spokesman",
        "Kremlin",
    )


def test_agency_speaker_keeps_its_name_and_country(nlp: Language) -> None:
    st = only(nlp, "Ukraine's intelligence agency said 1,500 marines had landed.")
    assert st.speaker_name == "Ukraine's intelligence agency"
    assert st.affiliation == "Ukraine"


@pytest.mark.parametrize(
    "sentence",
    [
        "The interior minister of Corvia, Lenka Marsh, said on Tuesday the bridge was mined.",
        "Lenka Marsh, the interior minister of Corvia, said on Tuesday the bridge was mined.",
    ],
)
def test_apposed_name_is_the_speaker_whatever_ner_calls_it(nlp: Language, sentence: str) -> None:
    # Invented names are often tagged ORG; the apposition to a role says it is a person.
    st = only(nlp, sentence)
    assert (st.speaker_name, st.role, st.affiliation) == (
        "Lenka Marsh",
        "interior minister of Corvia",
        "Corvia",
    )


def test_possessor_of_an_institution_is_its_affiliation_not_the_speaker(nlp: Language) -> None:
    st = only(nlp, "Ostrand's foreign ministry denied that its agents had any role in the blast.")
    assert st.speaker_name == "Ostrand's foreign ministry"
    assert st.affiliation == "Ostrand"


def test_similar_statement_points_back(nlp: Language) -> None:
    text = (
        "The Dutch foreign minister said the strike was unlawful. "
        "A similar statement was made by the Belgian prime minister."
    )
    found = statements(nlp, text)
    assert len(found) == 2
    assert found[1].speaker_name == "Belgian prime minister"
    assert found[1].refers_to == 0


def test_statement_date_resolved_against_article_date(nlp: Language) -> None:
    found = statements(
        nlp,
        "The governor said on Thursday that the dam had been breached in May.",
        published=dt.date(2026, 3, 10),
    )
    assert found[0].date == "2026-03-05"


def test_scare_quotes_and_titles_are_not_statements(nlp: Language) -> None:
    text = (
        'The so-called "peacekeepers" crossed the river. '
        'The documentary "Winter on Fire" was shown at the festival, and the '
        'newspaper ran the headline "Peace at last" on its front page.'
    )
    assert statements(nlp, text) == []


def test_cue_inside_a_quote_is_not_a_separate_statement(nlp: Language) -> None:
    text = '"They said the shelling would stop, and it did not," the mayor said.'
    found = statements(nlp, text)
    assert [s.speaker_name for s in found] == ["mayor"]


def test_role_and_name_split_across_sentences_are_rejoined(nlp: Language) -> None:
    text = (
        '"We will respond," said the spokesperson of the Chinese foreign ministry. '
        "Mao Ning, at a regular briefing in Beijing."
    )
    st = only(nlp, text)
    assert st.speaker_name == "Mao Ning"
    assert st.role == "spokesperson of the Chinese foreign ministry"
    assert st.affiliation == "China"


def test_name_missed_by_ner_after_a_role(nlp: Language) -> None:
    st = only(nlp, '"No comment," said Ukraine\'s Defence Min. Rustem Umerov.')
    assert st.speaker_name == "Rustem Umerov"
    assert st.affiliation == "Ukraine"


def test_participle_after_the_name_is_not_the_role(nlp: Language) -> None:
    text = '"The siege must end now," said Lena Ortiz, speaking at the Security Council.'
    st = only(nlp, text)
    assert st.speaker_name == "Lena Ortiz"
    assert st.role is None


def test_quote_continued_after_the_speaker_is_one_statement(nlp: Language) -> None:
    text = '"The talks failed," the envoy said. "Nobody came." The minister said the rest.'
    found = statements(nlp, text)
    envoy = found[0]
    assert envoy.content.text == '"The talks failed," the envoy said. "Nobody came."'
    assert envoy.quote_type == "direct"
    assert found[1].speaker_name == "minister"


@pytest.mark.parametrize(
    "sentence",
    [
        "It seems the generals have lost control of the northern front.",
        "It appears that the convoy was hit before it reached the border.",
        "It would be naive to expect the ceasefire to hold through the winter.",
    ],
)
def test_the_authors_own_hedges_are_not_statements(nlp: Language, sentence: str) -> None:
    assert statements(nlp, sentence) == []


def test_it_for_an_organisation_still_speaks(nlp: Language) -> None:
    text = "The agency published its report. It said the dam had been breached twice."
    found = statements(nlp, text)
    assert [s.cue.text for s in found] == ["said"]
    assert found[0].speaker_name == "agency"


def test_unnamed_speaker_name_leaves_out_clauses_and_dates(nlp: Language) -> None:
    st = only(nlp, "Officials who visited the site on Monday said the dam was hit.")
    assert st.speaker_name == "Officials"
    assert st.speaker is not None and st.speaker.text == "Officials who visited the site on Monday"
    st = only(nlp, "A spokesman for the ministry said the dam was hit.")
    assert st.speaker_name == "spokesman for the ministry"


def test_she_is_not_the_man_who_spoke_last(nlp: Language) -> None:
    text = (
        "Spokeswoman Anna Berg said the talks were over. "
        "Colonel Lars Holm said he disagreed. "
        '"It is not over for anyone," she said. "We go on with the work," he said.'
    )
    found = statements(nlp, text)
    by_pronoun = {s.speaker.text: s.speaker_name for s in found if s.speaker is not None}
    assert by_pronoun["she"] == "Anna Berg"
    assert by_pronoun["he"] == "Lars Holm"


def test_a_live_blog_time_stamp_is_no_part_of_speaker_or_quotation(nlp: Language) -> None:
    text = (
        '10:40 - "We held the bridge," the colonel said. "We will hold it."\n\n'
        "11:30 - Valdmark's president, Ines Morrow, told reporters the corridor would open.\n\n"
        "12:10 - Aid groups said they had not been able to reach the town"
    )
    found = statements(nlp, text)
    assert [s.speaker_name for s in found] == ["colonel", "Ines Morrow", "Aid groups"]
    assert found[0].content.text.startswith('"We held the bridge,"')
    assert found[1].role == "Valdmark's president"
    # A paragraph ends its sentence even without a full stop.
    assert found[1].content.text == "the corridor would open"


def test_an_explainers_label_is_not_the_speaker(nlp: Language) -> None:
    text = (
        "The bridge: A team of engineers found that the span had been weakened by shelling.\n\n"
        'The port: "No ship has docked since March," a customs officer said.'
    )
    found = statements(nlp, text)
    assert [s.speaker_name for s in found] == ["team of engineers", "customs officer"]
    assert found[0].content.text == "that the span had been weakened by shelling"
    assert found[1].content.text.startswith('"No ship has docked')


def test_a_wire_dateline_is_no_part_of_the_first_sentence(nlp: Language) -> None:
    text = (
        "KESSEL, May 2 (Harbour Wire) - Rebels shelled the port overnight, officials said."
        "\n\nDORRAN (Harbour Wire) - Talks will resume next week, the mediator said."
    )
    found = statements(nlp, text)
    assert [(s.speaker_name, s.content.text) for s in found] == [
        ("officials", "Rebels shelled the port overnight"),
        ("mediator", "Talks will resume next week"),
    ]


def test_a_name_modifying_an_institution_is_not_the_speaker(nlp: Language) -> None:
    st = only(nlp, "The Ostrand defence ministry said the convoy had been hit by mistake.")
    assert st.speaker_name == "Ostrand defence ministry"


def test_the_body_named_before_speaks_through_its_definite_description(nlp: Language) -> None:
    found = statements(
        nlp,
        "The Northern Monitoring Mission said it could not confirm the strike. "
        "On Friday the mission said its inspectors had reached the port.",
    )
    assert [s.speaker_name for s in found] == ["Northern Monitoring Mission"] * 2
    assert found[0].speaker_entity == found[1].speaker_entity is not None


def test_according_to_at_the_end_leaves_the_source_out_of_the_content(nlp: Language) -> None:
    st = only(nlp, "The village of Drosk was shelled for a second night, according to officials.")
    assert st.speaker_name == "officials"
    assert st.content.text == "The village of Drosk was shelled for a second night"


def test_she_is_the_person_named_before_even_when_ner_missed_her(nlp: Language) -> None:
    found = statements(
        nlp,
        "The regional governor, Lidia Marsh, gave a different account. "
        "She said that 11 civilians had been killed last Tuesday.",
    )
    assert [s.speaker_name for s in found] == ["Lidia Marsh"]


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Foreign Minister Ilse Varga repeated that the pipeline had been sabotaged.",
            "that the pipeline had been sabotaged",
        ),
        (
            "The envoy reiterated that no troops would cross the river.",
            "that no troops would cross the river",
        ),
    ],
)
def test_a_light_verb_with_a_that_clause_is_a_cue(
    nlp: Language, sentence: str, content: str
) -> None:
    """ "repeated the warning" names a speech act; "repeated that ..." reports what was said."""
    st = only(nlp, sentence)
    assert st.content.text == content


def test_which_x_denies_is_a_reaction_to_what_was_just_said(nlp: Language) -> None:
    """ ", which the rebels deny" is not part of the governor's words: the rebels deny them."""
    found = statements(
        nlp, "The governor said the rebels had shelled the port, which the rebels deny."
    )
    assert [(s.speaker_name, s.content.text) for s in found] == [
        ("governor", "the rebels had shelled the port"),
        ("rebels", "which"),
    ]


def test_a_relative_clause_without_a_cue_stays_in_the_content(nlp: Language) -> None:
    st = only(nlp, "The minister said the drones came from a plant near Tesk, which Corvia built.")
    assert st.speaker_name == "minister"


@pytest.mark.parametrize(
    ("sentence", "speaker", "content"),
    [
        (
            "The border commission's inquiry found that the lorries had crossed at night.",
            "border commission's inquiry",
            "that the lorries had crossed at night",
        ),
        (
            "Reporters in Tesk learned that the convoy had turned back.",
            "Reporters in Tesk",
            "that the convoy had turned back",
        ),
    ],
)
def test_a_finding_told_in_a_that_clause_is_a_statement(
    nlp: Language, sentence: str, speaker: str, content: str
) -> None:
    """Verbs that report a claim mostly when they govern a clause (counted on PolNeAR train:
    "find", "learn", "read") are cues there, and only there."""
    st = only(nlp, sentence)
    assert (st.speaker_name, st.content.text) == (speaker, content)


def test_a_finding_verb_without_a_clause_is_no_cue(nlp: Language) -> None:
    assert statements(nlp, "The engineers found a way across the river.") == []


@pytest.mark.parametrize(
    ("sentence", "speaker", "content"),
    [
        (
            "Harbour Wire could not independently verify the casualty figures.",
            "Harbour Wire",
            "the casualty figures",
        ),
        (
            "The Tesk Courier has not been able to establish whether the letter is genuine.",
            "Tesk Courier",
            "whether the letter is genuine",
        ),
        (
            "The monitors have no way of verifying what happened at the dam.",
            "monitors",
            "what happened at the dam",
        ),
    ],
)
def test_who_cannot_check_a_claim_holds_a_stance_on_it(
    nlp: Language, sentence: str, speaker: str, content: str
) -> None:
    """An outlet or agency saying it cannot check a claim ("could not independently verify")
    is a statement: it cannot confirm the claim."""
    st = only(nlp, sentence)
    assert (st.speaker_name, st.content.text, st.stance) == (speaker, content, "cannot_confirm")


def test_checking_that_succeeds_or_is_planned_is_no_statement(nlp: Language) -> None:
    assert statements(nlp, "Engineers will verify the readings next week.") == []


def test_we_outside_quotation_marks_is_the_author_not_the_last_speaker(nlp: Language) -> None:
    found = statements(
        nlp,
        "The energy ministry said the dam at Harl had been hit by two drones. "
        "We cannot verify the ministry's account.",
    )
    assert [(s.speaker_name, s.stance) for s in found] == [
        ("energy ministry", "asserts"),
        ("author", "cannot_confirm"),
    ]


def test_we_inside_a_quotation_is_the_quoted_speakers(nlp: Language) -> None:
    found = statements(
        nlp, '"We cannot verify these figures," said Anna Brel, a spokeswoman for the mission.'
    )
    assert [s.speaker_name for s in found] == ["Anna Brel"]


@pytest.mark.parametrize(
    ("sentence", "speaker", "cue"),
    [
        (
            'General Ivo Rask put it plainly on Monday: "Our gunners hit nothing."',
            "Ivo Rask",
            "put",
        ),
        ('The minister was blunt: "No convoy crossed the river."', "minister", "was"),
    ],
)
def test_a_quotation_after_a_colon_is_the_clause_subjects(
    nlp: Language, sentence: str, speaker: str, cue: str
) -> None:
    st = only(nlp, sentence)
    assert speaker in st.speaker_name
    assert (st.cue.text, st.quote_type) == (cue, "direct")
    assert st.content.text.startswith('"')


def test_a_quotation_after_a_colon_needs_someone_to_say_it(nlp: Language) -> None:
    assert statements(nlp, 'The reason is simple: "no fuel, no flights".') == []


def test_a_negation_above_a_verb_of_checking_needs_a_word_of_ability(nlp: Language) -> None:
    (st,) = statements(nlp, "The ministry did not hesitate to confirm the deaths.")
    assert st.stance == "asserts"


def test_establishing_a_thing_that_is_not_a_claim_is_no_statement(nlp: Language) -> None:
    assert statements(nlp, "The court could not establish jurisdiction over the case.") == []


def test_a_colon_after_a_clause_that_says_nothing_is_no_statement(nlp: Language) -> None:
    assert statements(nlp, 'He wore a T-shirt with a slogan: "Make peace, not war."') == []


def test_we_inside_what_someone_else_says_is_not_the_author(nlp: Language) -> None:
    found = statements(nlp, "We warned months ago that the dam would fail, the engineer said.")
    assert "author" not in [s.speaker_name for s in found]


def test_a_speaker_called_the_author_is_not_the_articles_author(nlp: Language) -> None:
    st = only(nlp, "The author said the novel was based on her childhood.")
    assert st.speaker_name != "author"


@pytest.mark.parametrize(
    "sentence",
    [
        "Ostrand's claim that a patrol boat attacked the ferry is a fabrication, the envoy said.",
        "The shipping firm should show its logbooks in open court, the prosecutor said.",
    ],
)
def test_a_cue_word_inside_the_words_of_a_later_cue_is_part_of_them(
    nlp: Language, sentence: str
) -> None:
    """The outer clause's cue is read first, even when it comes last: "attacked" and "show"
    are what the speaker said, not statements of the boat or the firm."""
    st = only(nlp, sentence)
    assert st.cue.text == "said"


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("The harbour authority has not confirmed the collision.", "has not confirmed"),
        ("The analyst pointed out that the convoy had no escort.", "pointed out"),
    ],
)
def test_the_cue_keeps_its_auxiliaries_negation_and_particle(
    nlp: Language, sentence: str, cue: str
) -> None:
    assert only(nlp, sentence).cue.text == cue


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Ostrand's foreign ministry on Friday rejected as \"pure fantasy\" Corvia's claim "
            "that its frigate had fired first.",
            'as "pure fantasy" Corvia\'s claim that its frigate had fired first',
        ),
        (
            "The governor described the blast at the depot as an act of sabotage.",
            "the blast at the depot as an act of sabotage",
        ),
    ],
)
def test_what_is_said_as_is_content_and_when_is_not(
    nlp: Language, sentence: str, content: str
) -> None:
    """ "rejected as X the claim that ...", "described A as B": the as-phrase is part of what
    was said; "on Friday" says when, and is never the content."""
    assert only(nlp, sentence).content.text == content


def test_adding_that_reports_more_words_of_the_same_speaker(nlp: Language) -> None:
    found = statements(
        nlp, "The harbour master said the pier had held, adding that repairs would take a week."
    )
    assert [(s.speaker_name, s.cue.text, s.content.text) for s in found] == [
        ("harbour master", "said", "the pier had held"),
        ("harbour master", "adding", "that repairs would take a week"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            # The parser hangs "added" on "withdrawn", inside the first statement's words.
            "The minister said the troops had withdrawn and added that talks would resume on "
            "Monday.",
            [
                ("minister", "said", "the troops had withdrawn"),
                ("minister", "added", "that talks would resume on Monday"),
            ],
        ),
        (
            "The ministry said its envoy had denied the report and added that the border would "
            "stay open.",
            [
                ("ministry", "said", "its envoy had denied the report"),
                ("ministry", "added", "that the border would stay open"),
            ],
        ),
        (
            # "confirmed" shares the envoy's "had": the envoy confirmed, inside the minister's
            # words.
            "The minister said the envoy had arrived in Oslo and confirmed that talks would "
            "resume.",
            [
                (
                    "minister",
                    "said",
                    "the envoy had arrived in Oslo and confirmed that talks would resume",
                )
            ],
        ),
        (
            # A second "that" clause is more of what was said, not a second statement.
            "The report said the troops had withdrawn and that talks would resume.",
            [("report", "said", "the troops had withdrawn and that talks would resume")],
        ),
    ],
)
def test_said_and_added_is_two_statements_of_one_speaker(
    nlp: Language, text: str, expected: list[tuple[str, str, str]]
) -> None:
    found = statements(nlp, text)
    assert [(s.speaker_name, s.cue.text, s.content.text) for s in found] == expected


def test_a_second_that_clause_is_more_of_the_content(nlp: Language) -> None:
    """The parser may coordinate "and that ..." with the cue itself; its "that" shows it is
    the cue's second complement, not something else the speaker did."""
    found = only(
        nlp,
        'Rebel spokesman Omar Haddad said the witnesses were "paid actors" and that no '
        "outsiders had drilled the rebels' gunners.",
    )
    assert found.content.text == (
        'the witnesses were "paid actors" and that no outsiders had drilled the rebels\' gunners'
    )


def test_a_transcripts_speaker_label_is_a_statement(nlp: Language) -> None:
    text = (
        "Part of the interview follows.\n\n"
        '"HOLM: Will the corridor open on Monday?\n\n'
        '"MORROW: The corridor will open, and the convoys will go through under escort.'
    )
    found = statements(nlp, text)
    assert [(s.speaker_name, s.cue.text, s.stance) for s in found] == [
        ("HOLM", ":", "questions"),
        ("MORROW", ":", "asserts"),
    ]
    assert found[1].content.text.startswith("The corridor will open")


def test_a_cue_set_off_by_commas_reports_the_sentence_around_it(nlp: Language) -> None:
    st = only(
        nlp, "The shortage of fuel, the harbour master often says, is the real threat to Arvel."
    )
    assert st.speaker_name == "harbour master"
    assert st.content.text.startswith("The shortage of fuel")
    assert st.content.text.endswith("is the real threat to Arvel")


def test_two_apostrophes_are_a_quotation_mark(nlp: Language) -> None:
    """Some archives and feeds write a double quotation mark as two apostrophes."""
    st = only(nlp, "''We will not retreat,'' the colonel said. ''Our answer is unity.''")
    assert st.quote_type == "direct"
    assert st.content.text.startswith("''We will not retreat")
    assert st.content.text.endswith("''Our answer is unity.''")


def test_a_quotation_signed_with_a_dash_is_the_signers(nlp: Language) -> None:
    text = (
        "Readers wrote to the paper.\n\n"
        "“The ferry must run again before winter.” ― Sonya Herridge\n"
        "“Nobody asked the fishermen.” — Anna Berg"
    )
    found = [s for s in statements(nlp, text) if s.cue.text in ("―", "—")]
    assert [(s.speaker_name, s.content.text) for s in found] == [
        ("Sonya Herridge", "“The ferry must run again before winter.”"),
        ("Anna Berg", "“Nobody asked the fishermen.”"),
    ]


def test_i_think_after_a_transcripts_speaker_label_is_that_speaker(nlp: Language) -> None:
    found = statements(nlp, "Part of the interview follows.\n\nWALLACE: I think the war is over.")
    assert [s.speaker_name for s in found] == ["WALLACE"]


def test_we_think_outside_quotation_marks_is_the_author(nlp: Language) -> None:
    found = statements(
        nlp,
        "We think the aircraft was Tessin's, and we believe the ministry knows it. "
        '"I think it is over," the general said. Many residents think the war is over.',
    )
    assert [(s.speaker_name, s.cue.text, s.content.text) for s in found] == [
        ("author", "think", "the aircraft was Tessin's"),
        ("author", "believe", "the ministry knows it"),
        ("general", "said", '"I think it is over,"'),
    ]


def test_a_main_clause_the_parser_hung_on_the_content_is_not_part_of_it(nlp: Language) -> None:
    # The parser makes "several ... have been settled" a relative clause of "Front"; with a
    # subject of its own and no relative word after the comma it is the sentence's own clause.
    found = only(
        nlp,
        "Six weeks after Tessin accused Marrow of arming the Valley Front, several of the "
        "disputed claims in the war have been settled, and others remain open.",
    )
    assert found.content.text == "Marrow of arming the Valley Front"
    # A true relative clause stays.
    kept = only(nlp, "The ministry said it had seized the depot, which the rebels had held.")
    assert kept.content.text == "it had seized the depot, which the rebels had held"
