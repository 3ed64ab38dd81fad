"""Names, not codes: overlap sentences and groups name their areas ("both in Kisumu, Kenya").

Places are stored with their p-codes (importers and the API match on them); what a person reads
is the area's name, and a group gives the codes in a field of their own.
"""
from __future__ import annotations

import re
from pathlib import Path

from coordination.convergence.explain import describe_places
from coordination.formats import collect, parse_hxl
from coordination.services.stored_records import record_from_initiative

from ..factories import make_initiative, make_organisation

PCODE = re.compile(r"\b[A-Z]{2}\d{2,}\b")
AFGHAN_3W = (Path(__file__).resolve().parents[1] / "data" / "real" / "hxl"
             / "afghanistan_3w_operational_presence_january_march_2024_excerpt.csv")


def test_an_area_given_by_code_and_by_name_is_one_named_area(client, session):
    by_code = make_organisation(session, name="Kisumu Water Trust")
    by_name = make_organisation(session, name="Lake Basin Wells")
    make_initiative(session, by_code, title="Borehole rehabilitation",
                    locations=[{"country": "KE", "admin1_code": "KE042", "precision": "admin1"}])
    make_initiative(session, by_name, title="Repairing community wells",
                    locations=[{"country": "KE", "admin1": "Kisumu", "precision": "admin1"}])
    [overlap] = client.get("/api/v1/overlaps?first=10").get_json()["items"]
    assert "both in Kisumu, Kenya" in overlap["explanation"]
    assert not PCODE.search(overlap["explanation"])
    [group] = client.get("/api/v1/groups").get_json()["items"]
    assert (group["admin1"], group["admin1_codes"]) == (["Kisumu"], ["KE042"])
    body = client.post("/graphql", json={"query": "{ convergenceGroups { admin1 admin1Codes } }"}).get_json()
    assert body["data"]["convergenceGroups"] == [{"admin1": ["Kisumu"], "admin1Codes": ["KE042"]}]


def test_real_3w_places_are_described_by_district_and_province_names(session):
    records = collect(parse_hxl(AFGHAN_3W)).records
    # Two organisations' rows in Paghman district, and one's in Kapisa province.
    paghman = [(r, [loc for loc in r["locations"] if loc["admin2_code"] == "AF0102"]) for r in records]
    kapisa = [(r, [loc for loc in r["locations"] if loc["admin1_code"] == "AF02"]) for r in records]
    chosen = [*[pair for pair in paghman if pair[1]][:2], next(pair for pair in kapisa if pair[1])]
    stored = {}
    for name, (record, locations) in zip(("a", "b", "far"), chosen, strict=True):
        org = make_organisation(session, name=f"{name} {record['organisation']['name']}"[:120])
        stored[name] = record_from_initiative(make_initiative(session, org, locations=locations))
    same_district = describe_places(stored["a"].places, stored["b"].places)
    assert same_district.startswith("in Paghman, Kabul"), same_district
    sentences = [describe_places(stored["a"].places, stored["far"].places), same_district]
    assert [s for s in sentences if PCODE.search(s)] == []
