"""Imports link to the one organisation however a file writes it, and never join two different ones.

Organisation entries are copied from seed_data/organisations.json and rows from the Afghanistan
3W (tests/data/orgs/, see SOURCES.md there).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coordination.jobs.seed import load_seed
from coordination.models import Initiative, Organisation
from coordination.permissions import SYSTEM
from coordination.services.file_imports import import_file
from coordination.services.lookups import Lookups
from coordination.services.org_identity import UNSURE, OrganisationDirectory
from coordination.services.organisations import create_organisation, find_or_create_organisation, find_organisation

from ..factories import in_unit_of_work

DATA = Path(__file__).resolve().parent.parent / "data" / "orgs"


def seed_entries() -> dict[str, dict]:
    return {e["key"]: e for e in json.loads((DATA / "seed_organisations_extract.json").read_text(encoding="utf-8"))}


@pytest.fixture
def seeded(session, tmp_path):
    """The extract loaded by the demo's own loader; the seed key → the organisation it became."""
    (tmp_path / "organisations.json").write_text((DATA / "seed_organisations_extract.json").read_text("utf-8"))
    (tmp_path / "initiatives.json").write_text("[]")
    load_seed(session, tmp_path)
    return {key: find_organisation(session, {k: v for k, v in e.items() if k != "key"})
            for key, e in seed_entries().items()}


def test_the_seed_loader_counts_organisations_not_entries(session, tmp_path):
    (tmp_path / "organisations.json").write_text((DATA / "seed_organisations_extract.json").read_text("utf-8"))
    (tmp_path / "initiatives.json").write_text("[]")
    report = load_seed(session, tmp_path)
    assert report["organisation_entries"] == 20
    assert report["organisations"] == session.scalar(select(func.count(Organisation.id))) == 13


def test_unicef_written_three_ways_in_the_seed_is_one_organisation(seeded):
    unicef = {seeded[k].id for k in ("name:unicef", "name:united-nations-children-s-fund",
                                     "name:united-nations-children-s-fund-unicef")}
    assert len(unicef) == 1


@pytest.mark.parametrize("keys", [
    ("name:world-food-program", "name:world-food-programme"),  # program / programme
    ("CH-FDJP-CHE-106823242", "CH-FDJP-CHE106823242"),  # one registry number, two spellings of it
    ("XM-DAC-41121", "name:un-high-commissioner-for-refugees-unhcr",
     "name:united-nations-high-commissioner-for-refugees"),
    ("name:austrian-development-agency", "name:austrian-development-agency-ada"),
])
def test_other_organisations_written_several_ways_are_one_each(seeded, keys):
    assert len({seeded[k].id for k in keys}) == 1


def test_placeholder_identifiers_do_not_join_unrelated_organisations(seeded):
    # Benin, Togo and "N/A" all carry org_identifier "N/A" in the seed.
    assert len({seeded[k].id for k in ("name:benin", "name:togo", "name:n-a")}) == 3
    assert seeded["name:benin"].org_identifier is None


def test_care_and_care_afghanistan_stay_two(seeded):
    # "CARE" is an alias of Care International in Afghanistan; the letters alone prove nothing.
    assert seeded["name:care"].id != seeded["name:care-international-in-afghanistan"].id


def test_the_afghanistan_3w_links_each_acronym_and_name_to_the_known_organisation(session, seeded):
    report = in_unit_of_work(session, import_file, "hxl", DATA / "afghanistan_3w_2024_extract.csv", SYSTEM)
    assert report["created"] == 5, report
    owners = {i.organisation.name: i.organisation for i in session.scalars(select(Initiative))}
    # UNICEF / United Nations Children's Fund and WFP / World Food Program: the seeded agencies.
    assert seeded["name:unicef"] in owners.values()
    assert seeded["name:world-food-program"] in owners.values()
    # ADA / Afghan Development Association is not the Austrian Development Agency (ADA).
    ada = next(o for o in owners.values() if "ADA" in (o.aliases or []) or o.name == "Afghan Development Association")
    assert ada.id != seeded["name:austrian-development-agency"].id


def add(session, **ref):
    org = find_or_create_organisation(session, SYSTEM, ref)
    session.flush()
    return org


def test_a_bare_acronym_of_an_international_ngo_links_to_the_one_record_that_spells_it(session):
    # As in the seed: "International Rescue Committee" (alias IRC) and a bare "IRC", both INGOs.
    irc = add(session, name="International Rescue Committee", aliases=["IRC"], type="21")
    assert add(session, name="IRC", type="21").id == irc.id
    # Not a national NGO's letters (no country to agree on) ...
    ada = add(session, name="Afghan Development Association", aliases=["ADA"], type="22", country="AF")
    assert add(session, name="ADA", type="22").id != ada.id


def test_letters_two_international_records_carry_link_to_neither(session):
    first = add(session, name="Norwegian Refugee Council", aliases=["NRC"], type="21")
    second = add(session, name="National Relief Committee", aliases=["NRC"], type="21")
    assert second.id != first.id
    assert add(session, name="NRC", type="21").id not in (first.id, second.id)


def test_same_acronym_national_ngos_in_two_countries_stay_two(session):
    first = find_or_create_organisation(session, SYSTEM, {"name": "ADA", "type": "22", "country": "AF"})
    session.flush()
    again = find_or_create_organisation(session, SYSTEM, {"name": "Afghan Development Association",
                                                          "aliases": ["ADA"], "type": "22", "country": "AF"})
    other = find_or_create_organisation(session, SYSTEM, {"name": "Asociación de Desarrollo Agrícola",
                                                          "aliases": ["ADA"], "type": "22", "country": "HN"})
    assert again.id == first.id  # same letters, same country
    assert other.id != first.id  # same letters, another country
    bare = find_or_create_organisation(session, SYSTEM, {"name": "ADA", "type": "22", "country": "HN"})
    assert bare.id not in (first.id,)


def test_a_ministry_of_foreign_affairs_is_one_per_country(session):
    korea = find_or_create_organisation(session, SYSTEM, {"name": "Ministry of Foreign Affairs", "country": "KR",
                                                          "org_identifier": "KR-GOV-050", "type": "10"})
    session.flush()
    other = find_or_create_organisation(session, SYSTEM, {"name": "Ministry of Foreign Affairs", "country": "AF",
                                                          "type": "10"})
    assert other.id != korea.id


def test_an_identifier_the_iati_lists_know_links_a_file_naming_the_agency_another_way(session):
    unicef = find_or_create_organisation(session, SYSTEM, {"name": "UNICEF", "type": "40"})
    session.flush()
    found = find_or_create_organisation(session, SYSTEM, {"name": "Fonds des Nations Unies pour l'enfance",
                                                          "org_identifier": "XM-DAC-41122"})
    assert found.id == unicef.id
    assert session.scalar(select(func.count(Organisation.id))) == 1


def _variants(entry: dict) -> list[dict]:
    """Ways a file may describe a seed organisation, and ways it may describe another one."""
    name, identifier = entry["name"], entry.get("org_identifier")
    words = [w for w in name.replace("(", " ").replace(")", " ").split() if w[:1].isalpha()]
    letters = "".join(w[0] for w in words).upper()
    out = [{"name": name.upper()}, {"name": name.lower(), "country": entry.get("country")},
           {"name": letters, "type": entry.get("type")}, {"name": letters.lower(), "country": entry.get("country")},
           {"name": "Other " + name}, {"name": name, "country": "ZZ"}, {"name": "Someone", "aliases": [name]},
           {"name": "Nobody at all", "org_identifier": "XX-NONE-1"}, {"name": "|".join(words)}]
    if identifier:
        out += [{"name": "Renamed", "org_identifier": f"  {identifier} "},
                {"name": "Renamed", "org_identifier": identifier.replace("-", "")},
                {"name": "Renamed", "org_identifier": identifier.lower()}]
    return out


def _directory_answers(session, refs):
    """(what `OrganisationDirectory.find` answers, what the search answers) for each reference, as ids."""
    directory = OrganisationDirectory(session)
    answers = [directory.find(ref) for ref in refs]
    searched = []
    for ref in refs:
        org = find_organisation(session, ref)
        searched.append(org.id if org is not None else None)
    return answers, searched


def _all_variants(seeded) -> list[dict]:
    refs = [v for e in seed_entries().values() for v in _variants(e)]
    return refs + [{"slug": org.slug} for org in seeded.values()] + [{"slug": "no-such-slug"}]


def test_the_directory_answers_what_the_search_answers(session, seeded):
    """A bulk import finds organisations in `OrganisationDirectory` instead of searching the
    database; for every way a file may write one, it gives the organisation the search gives
    (or says only the search can tell, for a key with "|" in it)."""
    # Namesakes: the search prefers the verified one, however old.
    first = create_organisation(session, SYSTEM, {"name": "World Vision", "org_identifier": "GB-CHC-285908"})
    later = create_organisation(session, SYSTEM, {"name": "World Vision", "org_identifier": "US-EIN-951922279"},
                                verified=True)
    session.flush()
    refs = _all_variants(seeded) + [{"name": "World Vision"}, {"name": "WORLD VISION", "aliases": ["WV"]}]
    answers, searched = _directory_answers(session, refs)
    unsure = [ref for ref, answer in zip(refs, answers, strict=True) if answer is UNSURE]
    assert all("|" in ref["name"] for ref in unsure) and len(unsure) < len(refs) / 8, unsure
    differ = [(ref, a, s) for ref, a, s in zip(refs, answers, searched, strict=True) if a is not UNSURE and a != s]
    assert not differ, differ
    assert sum(s is not None for s in searched) >= 40 and sum(s is None for s in searched) >= 40
    assert searched[-1] == later.id != first.id


def test_the_directory_follows_merges_as_the_search_does(session, seeded):
    absorbed, survivor = seeded["name:care"], seeded["name:care-international-in-afghanistan"]
    absorbed.merged_into_id = survivor.id
    session.flush()
    refs = _all_variants(seeded)
    answers, searched = _directory_answers(session, refs)
    assert [a for a in answers if a is not UNSURE] == [s for a, s in zip(answers, searched, strict=True)
                                                         if a is not UNSURE]
    assert absorbed.id not in answers and survivor.id in answers


def test_an_import_s_lookups_link_each_reference_as_registrations_one_at_a_time_do(app, session):
    """References that create organisations, then name them again by an alias, an acronym, an
    identifier they were just taught, or another country's namesake: a bulk import's lookups
    (`Lookups(remember=True)`, the directory kept up as it creates and teaches) link each one
    to the organisation that one search per reference, in a transaction of its own, links it to."""
    refs = [
        {"name": "International Rescue Committee", "aliases": ["IRC"], "type": "21"},
        {"name": "IRC", "type": "21"},
        {"name": "Afghan Development Association", "aliases": ["ADA"], "type": "22", "country": "AF"},
        {"name": "ADA", "type": "22"},
        {"name": "ADA", "type": "22", "country": "AF"},
        {"name": "Asociación de Desarrollo Agrícola", "aliases": ["ADA"], "type": "22", "country": "HN"},
        {"name": "ADA", "type": "22", "country": "HN"},
        {"name": "Norwegian Refugee Council", "type": "21"},
        {"name": "Norwegian Refugee Council", "org_identifier": "NO-BRC-970227446", "type": "21"},
        {"name": "Flyktninghjelpen", "org_identifier": "NO-BRC-970227446"},
        {"name": "FLYKTNINGHJELPEN"},
        {"name": "NRC", "country": "NO"},
        {"name": "UNICEF", "type": "40"},
        {"name": "Fonds des Nations Unies pour l'enfance", "org_identifier": "XM-DAC-41122"},
        {"name": "United Nations Children's Fund"},
        {"name": "Ministry of Foreign Affairs", "country": "KR", "org_identifier": "KR-GOV-050", "type": "10"},
        {"name": "Ministry of Foreign Affairs", "country": "AF", "type": "10"},
        {"name": "Ministry of Foreign Affairs", "country": "KR"},
        {"name": "Someone else", "aliases": ["International Rescue Committee"]},
        {"name": "Norwegian Refugee Council", "org_identifier": "GB-CHC-1234"},
    ]

    def linked(one_transaction: bool) -> list[str]:
        lookups = Lookups(session, SYSTEM, remember=True)
        slugs = []
        for ref in refs:
            if one_transaction:
                org = lookups.organisation(ref, may_create=True)
            else:
                org = find_or_create_organisation(session, SYSTEM, ref)
                session.flush()
            slugs.append(org.slug)
        session.flush()
        names = {o.slug: (o.name, o.org_identifier, sorted(o.aliases or [])) for o in session.scalars(select(Organisation))}
        session.rollback()
        return slugs, names

    assert linked(True) == linked(False)
    slugs, _ = linked(True)
    assert len(set(slugs)) >= 8 and slugs[1] == slugs[0] and slugs[10] == slugs[7]
