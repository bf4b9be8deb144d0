"""Tests for the ``sayso_entities`` component and the gazetteer (sentences written for sayso)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from sayso.components.entities import entity_at
from sayso.doc_types import EntityCluster
from sayso.entities.gazetteer import load_gazetteer
from sayso.pipeline import SPACY_MODEL

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def ent_nlp() -> Language:
    import sayso.components.entities  # noqa: F401  (registers the factory)

    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("sayso_entities")
    return nlp


def _by_name(doc: Doc) -> dict[str, EntityCluster]:
    return {c.name: c for c in doc._.sayso_entities}


def _texts(cluster: EntityCluster) -> list[str]:
    return [m.text for m in cluster.mentions]


# -- gazetteer data ------------------------------------------------------------------------


def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_gazetteer", REPO / "scripts" / "build_gazetteer.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_script_reproduces_checked_in_gazetteer() -> None:
    script = _build_script()
    built = script.render(script.build(REPO / "sayso" / "data"))
    checked_in = (REPO / "sayso" / "data" / "gazetteer.json").read_text(encoding="utf-8")
    assert built == checked_in, "run: python scripts/build_gazetteer.py"


def test_gazetteer_has_no_english_word_codes() -> None:
    gaz = load_gazetteer()
    for word in ("IN", "IT", "AM", "ME", "NO", "CAN", "AND", "us", "it", "States"):
        assert gaz.lookup(word) is None, word
    assert gaz.lookup("UAE")[0].name == "United Arab Emirates"  # type: ignore[index]
    assert gaz.lookup("ROK")[0].name == "South Korea"  # type: ignore[index]


def test_gazetteer_metonyms_record_their_country() -> None:
    gaz = load_gazetteer()
    for form, country in [
        ("the White House", "United States"),
        ("Downing Street", "United Kingdom"),
        ("Foggy Bottom", "United States"),
        ("the Elysee", "France"),
    ]:
        entry = gaz.lookup(form)[0]  # type: ignore[index]
        assert entry.type == "organization"
        assert gaz.country_of(entry).name == country  # type: ignore[union-attr]


def test_gazetteer_json_is_valid_and_complete() -> None:
    data = json.loads((REPO / "sayso" / "data" / "gazetteer.json").read_text(encoding="utf-8"))
    assert len(data["entries"]) > 300
    for form, (entry_id, _kind) in data["forms"].items():
        assert entry_id in data["entries"], form


# -- merging rules -------------------------------------------------------------------------


def test_north_korea_aliases_and_demonym(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "North Korean artillery units moved south on Tuesday. Pyongyang called the drills "
        "a provocation, and the Democratic People's Republic of Korea warned Seoul. "
        "Analysts said the DPRK would test another missile."
    )
    nk = _by_name(doc)["North Korea"]
    assert nk.type == "country"
    assert _texts(nk) == [
        "North Korean",
        "Pyongyang",
        "Democratic People's Republic of Korea",
        "DPRK",
    ]
    assert _by_name(doc)["South Korea"].type == "country"  # Seoul


def test_united_states_aliases(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "America has pledged more air defence. Officials in Washington said the U.S. would "
        "send them soon, and the United States expects the US Congress to agree. "
        "American diplomats were less sure."
    )
    us = _by_name(doc)["United States"]
    assert us.type == "country"
    texts = _texts(us)
    for alias in ("America", "Washington", "U.S.", "United States", "American"):
        assert alias in texts
    # The Congress is an organization of its own, not a mention of the country.
    assert "US Congress" not in texts


def test_other_capitals_and_codes(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "Russia said its forces shelled Kyiv overnight. Moscow denied targeting civilians, "
        "and Russian officials blamed Ukraine. The UK and Britain's allies met in London, "
        "where the United Nations envoy said the UN would investigate."
    )
    names = _by_name(doc)
    assert _texts(names["Russia"]) == ["Russia", "Moscow", "Russian"]
    assert _texts(names["Ukraine"]) == ["Kyiv", "Ukraine"]
    assert _texts(names["United Kingdom"]) == ["UK", "Britain", "London"]
    assert _texts(names["United Nations"]) == ["United Nations", "UN"]


def test_kiev_spelling_and_eu(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "The European Union promised Kiev new loans. Brussels said the EU would also "
        "tighten sanctions."
    )
    names = _by_name(doc)
    assert _texts(names["European Union"]) == ["European Union", "Brussels", "EU"]
    assert names["European Union"].type == "organization"
    assert _texts(names["Ukraine"]) == ["Kiev"]


def test_nato_long_form(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "Finland joined the North Atlantic Treaty Organization last year. NATO now shares "
        "a longer border with Russia."
    )
    nato = _by_name(doc)["NATO"]
    assert nato.type == "organization"
    assert _texts(nato) == ["North Atlantic Treaty Organization", "NATO"]


def test_government_metonym_stays_organization(ent_nlp: Language) -> None:
    doc = ent_nlp("The Kremlin rejected the proposal, while Russia's envoy stayed silent.")
    names = _by_name(doc)
    assert names["Kremlin"].type == "organization"
    assert _texts(names["Kremlin"]) == ["Kremlin"]
    assert _texts(names["Russia"]) == ["Russia"]


def test_possessive_maps_to_entity(ent_nlp: Language) -> None:
    doc = ent_nlp("Ukraine's army said Ukraine had retaken the village from Russia's troops.")
    names = _by_name(doc)
    assert _texts(names["Ukraine"]) == ["Ukraine", "Ukraine"]
    assert _texts(names["Russia"]) == ["Russia"]
    assert all("'s" not in m.text for c in doc._.sayso_entities for m in c.mentions)


def test_surname_joins_earlier_full_name_and_titles_are_stripped(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "NATO Secretary General Mark Rutte arrived in Vilnius on Monday. Rutte told "
        "reporters that President Vladimir Putin was testing the alliance. Mr. Putin has "
        "not responded."
    )
    names = _by_name(doc)
    assert _texts(names["Mark Rutte"]) == ["Mark Rutte", "Rutte"]
    assert names["Mark Rutte"].type == "person"
    assert _texts(names["Vladimir Putin"]) == ["Vladimir Putin", "Putin"]
    assert "Lithuania" in names  # Vilnius
    assert "NATO" in names


def test_full_name_later_joins_earlier_surname(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "Speaking in Warsaw, Tusk said Poland would build more shelters. Prime Minister "
        "Donald Tusk later announced the budget."
    )
    people = [c for c in doc._.sayso_entities if c.type == "person"]
    assert len(people) == 1
    assert people[0].name == "Donald Tusk"
    assert _texts(people[0]) == ["Tusk", "Donald Tusk"]


def test_same_family_name_attaches_to_most_recent(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "Kim Jong Un inspected a missile factory. Later, Kim Yo Jong issued a statement "
        "mocking Seoul. Kim said the South would regret its drills. In a separate "
        "report, Kim Jong Un was shown at a launch site."
    )
    names = _by_name(doc)
    assert "Kim Jong Un" in names and "Kim Yo Jong" in names
    assert names["Kim Jong Un"].id != names["Kim Yo Jong"].id
    # The lone "Kim" follows Kim Yo Jong's mention: it is hers.
    assert _texts(names["Kim Yo Jong"]) == ["Kim Yo Jong", "Kim"]
    assert _texts(names["Kim Jong Un"]) == ["Kim Jong Un", "Kim Jong Un"]


def test_different_people_same_surname_not_merged(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "Hunter Reyes met the delegation in Geneva. Maria Reyes, his cousin, stayed in "
        "Madrid. Reyes later said the talks had failed."
    )
    people = [c for c in doc._.sayso_entities if c.type == "person"]
    full = {c.name for c in people}
    assert {"Hunter Reyes", "Maria Reyes"} <= full
    assert _texts(_by_name(doc)["Maria Reyes"]) == ["Maria Reyes", "Reyes"]


def test_ids_in_order_of_first_mention(ent_nlp: Language) -> None:
    doc = ent_nlp("Turkey hosted talks between Ukraine and Russia. Ankara said Moscow agreed.")
    ents = doc._.sayso_entities
    assert [c.id for c in ents] == [f"e{i + 1}" for i in range(len(ents))]
    assert [c.name for c in ents] == ["Turkey", "Ukraine", "Russia"]
    starts = [c.mentions[0].start_char for c in ents]
    assert starts == sorted(starts)


def test_person_wins_inside_longer_person_name(ent_nlp: Language) -> None:
    doc = ent_nlp("George Washington led the Continental Army against Britain.")
    names = _by_name(doc)
    assert "United States" not in names
    assert names["George Washington"].type == "person"


def test_demonym_inside_organization_also_links_country(ent_nlp: Language) -> None:
    doc = ent_nlp("The Russian Defence Ministry said air defences downed twelve drones.")
    names = _by_name(doc)
    assert names["Russia"].type == "country"
    assert _texts(names["Russia"]) == ["Russian"]
    ministry = entity_at(doc, doc.char_span(0, 28, alignment_mode="expand"))  # type: ignore[arg-type]
    assert ministry is not None and ministry.type == "organization"


def test_acronym_joins_long_organization_name(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "The Organization of Baltic Naval Forces (OBNF) met in Riga. Officials from the "
        "OBNF said patrols would continue."
    )
    orgs = [c for c in doc._.sayso_entities if c.type == "organization"]
    assert len(orgs) == 1
    assert orgs[0].name == "Organization of Baltic Naval Forces"
    assert _texts(orgs[0]) == ["Organization of Baltic Naval Forces", "OBNF", "OBNF"]


def test_lowercase_phrase_is_not_a_gazetteer_hit(ent_nlp: Language) -> None:
    doc = ent_nlp("They painted a white house near the border, and it was no surprise to us.")
    names = _by_name(doc)
    assert "White House" not in names
    assert "United States" not in names


def test_entity_at_prefers_largest_overlap(ent_nlp: Language) -> None:
    doc = ent_nlp("Kremlin spokesman Dmitry Peskov said North Korea's foreign ministry was wrong.")
    speaker = doc[0:4]
    found = entity_at(doc, speaker)
    assert found is not None and found.name == "Dmitry Peskov"
    kremlin = entity_at(doc, doc[0:1])
    assert kremlin is not None and kremlin.name == "Kremlin"
    ministry_span = doc[5:10]
    assert ministry_span.text.startswith("North Korea")
    owner = entity_at(doc, ministry_span)
    assert owner is not None and owner.name == "North Korea"
    assert entity_at(doc, doc[-2:-1]) is None


def test_surname_prefers_main_subject_over_relative(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "Defence Minister Anna Kowalczyk flew to Tallinn. Anna Kowalczyk met troops there, "
        "and her brother Piotr Kowalczyk joined the visit. Kowalczyk later said the "
        "border was secure."
    )
    names = _by_name(doc)
    # Anna was mentioned twice before the lone surname, Piotr once: Anna is the subject.
    assert _texts(names["Anna Kowalczyk"])[-1] == "Kowalczyk"
    assert _texts(names["Piotr Kowalczyk"]) == ["Piotr Kowalczyk"]


def test_lone_first_name_joins_unique_full_name(ent_nlp: Language) -> None:
    doc = ent_nlp("Emmanuel Macron spoke to Olaf Scholz by phone. Emmanuel said Europe must rearm.")
    names = _by_name(doc)
    assert "Emmanuel" not in names
    assert len(names["Emmanuel Macron"].mentions) == 2


def test_first_names_that_are_countries_stay_people(ent_nlp: Language) -> None:
    doc = ent_nlp("Jordan Bardella told supporters that France must leave the command.")
    names = _by_name(doc)
    assert names["Jordan Bardella"].type == "person"
    assert "Jordan" not in names


def test_code_inside_organization_and_trailing_common_noun(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "The U.S. Army moved a brigade to Romania. E.U. nations said they would pay for "
        "fuel, and the Washington Post reported the cost."
    )
    names = _by_name(doc)
    assert _texts(names["United States"]) == ["U.S."]  # in "U.S. Army", not "Washington Post"
    assert names["U.S. Army"].type == "organization"
    assert _texts(names["European Union"]) == ["E.U."]
    assert names["Washington Post"].type == "organization"


def test_short_form_of_organization_name(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "The Kyiv Independent reported the strike. An official told the Independent that "
        "more drones were expected."
    )
    orgs = [c for c in doc._.sayso_entities if c.type == "organization"]
    assert len(orgs) == 1
    assert _texts(orgs[0]) == ["Kyiv Independent", "Independent"]
    assert "Ukraine" not in _by_name(doc)  # a capital inside a name is not a metonym


def test_title_alone_is_kept_as_surname(ent_nlp: Language) -> None:
    doc = ent_nlp("Larry General commanded the brigade. General said the line held.")
    names = _by_name(doc)
    assert _texts(names["Larry General"]) == ["Larry General", "General"]


def test_dateline_in_capitals(ent_nlp: Language) -> None:
    doc = ent_nlp("KYIV, Ukraine — Drones struck a power plant overnight, officials said.")
    assert _texts(_by_name(doc)["Ukraine"]) == ["KYIV", "Ukraine"]


# -- types from the whole article ----------------------------------------------------------


def test_a_name_the_article_uses_as_a_place_is_a_place(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "Ostrand's foreign ministry said its troops had not crossed the border. "
        "The government of Ostrand called the report a lie. "
        "Talvik Defence Systems, which builds radars in Ostrand, declined to comment."
    )
    found = _by_name(doc)
    assert found["Ostrand"].type == "place"
    assert len(found["Ostrand"].mentions) == 3
    assert found["Talvik Defence Systems"].type == "organization"


def test_a_name_beside_a_role_is_a_person_and_keeps_its_surname(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "The interior minister of Corvia, Lenka Marsh, said troops had crossed the river. "
        "Marsh told reporters the government was lying."
    )
    marsh = _by_name(doc)["Lenka Marsh"]
    assert marsh.type == "person"
    assert _texts(marsh) == ["Lenka Marsh", "Marsh"]


def test_a_name_with_a_demonym_is_a_place_and_the_demonym_its_mention(
    ent_nlp: Language,
) -> None:
    doc = ent_nlp(
        "Corvia said its patrol boats had left the strait. Two Corvian sailors were "
        "missing, the Corvian navy said."
    )
    corvia = _by_name(doc)["Corvia"]
    assert corvia.type == "place"
    assert _texts(corvia) == ["Corvia", "Corvian", "Corvian"]


def test_a_one_word_organisation_used_as_a_location_is_a_place(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "The village of Drosk, on the border between Valdmark and Ostrand, was shelled "
        "again. It is claimed by Valdmark's army that the shells came from Ostrand. "
        "Ostrand alleged that Valdmark militias had moved artillery into the village."
    )
    assert _by_name(doc)["Valdmark"].type == "place"


def test_the_place_keeps_its_name_when_it_is_the_longer_of_the_two(ent_nlp: Language) -> None:
    doc = ent_nlp(
        "Morvania's army said the border was closed. A Morvani officer said troops had "
        "moved in Morvania."
    )
    assert _by_name(doc)["Morvania"].type == "place"
