"""GraphQL: one explicit schema whatever is imported first; a page's nested fields and overlaps batched.

A page of initiatives with organisation, partners, goals, tags, places and overlaps (both
sides' ids, titles and organisations) costs the same few statements at 5, 20, 40 and 100
nodes, and the batched overlaps are exactly `insights.overlaps_of` for every reader.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from graphql import print_schema
from sqlalchemy import select, update

from api.graphql.schema import get_schema
from coordination import insights
from coordination.models import Overlap
from coordination.permissions import ANONYMOUS

from ..factories import BOREHOLES, WELLS, actor_for, make_initiative, make_organisation, make_token
from .test_graphql import error_of, gql
from .test_graphql_errors import _statements_during

ROOT = Path(__file__).resolve().parents[2]
QUERY_FIELDS = {"initiatives", "initiative", "organisations", "organisation", "visions", "goal", "tags",
                "overlaps", "convergenceGroups", "fragmentation", "gaps", "organisationNetwork",
                "allySuggestions", "inbox", "suggest"}
MUTATION_FIELDS = {"registerInitiative", "updateInitiative", "withdrawInitiative", "decideOverlap",
                   "restoreInitiative", "mergeOrganisations", "unmergeOrganisation"}
MUTATION_FIELDS |= {"confirmInitiative"}  # freshness: its organisation says it is still accurate
SCHEMA_IN_A_FRESH_INTERPRETER = """
import json, sys
{imports}
from graphql import print_schema
from api.graphql.schema import get_schema
schema = get_schema().graphql_schema
print(json.dumps({{"query": list(schema.query_type.fields), "mutation": list(schema.mutation_type.fields),
                  "sdl": print_schema(schema)}}))
"""


def _fresh_schema(imports: str = "") -> dict:
    code = SCHEMA_IN_A_FRESH_INTERPRETER.format(imports=imports)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=True)
    return json.loads(done.stdout)


def test_importing_only_the_schema_module_gives_every_root_field():
    fresh = _fresh_schema()
    assert set(fresh["query"]) == QUERY_FIELDS
    assert set(fresh["mutation"]) == MUTATION_FIELDS


@pytest.mark.parametrize("imports", [
    "import api.graphql.types",
    "import api.graphql.overlaps, api.graphql.suggestions, api.graphql.restore",
    "import api.graphql_view",
    "from api import create_app",
])
def test_the_schema_is_the_same_whatever_is_imported_first(imports):
    assert _fresh_schema(imports)["sdl"] == _fresh_schema()["sdl"] == print_schema(get_schema().graphql_schema)


def test_initiative_declares_its_overlaps_field_itself():
    code = ("from api.graphql.types import Initiative; "
            "print('overlaps' in Initiative._meta.fields and hasattr(Initiative, 'resolve_overlaps'))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=True)
    assert done.stdout.strip() == "True"


PAGE = """query($first: Int, $minScore: Float, $status: String) { initiatives(first: $first) { edges { node {
  id title organisation { slug name } partners { role organisation { slug } } goals { code ref }
  primaryGoal { code } tags { key label } locations { country lat lon }
  overlaps(minScore: $minScore, status: $status) { id score status
    initiatives { id title organisation { slug name } } } } } } }"""


def _pairs(session, n: int = 50):
    """n pairs of overlapping efforts (a borehole and a wells project 3 km apart), each pair in its own town."""
    a, b = make_organisation(session, name="Borehole Trust"), make_organisation(session, name="Wells Group")
    funder = make_organisation(session, name="Water Fund", type="60")
    for i in range(n):
        place = {"name": f"Town {i}", "country": "KE", "lat": 0.1 + (i // 9) * 0.8, "lon": 35.0 + (i % 9) * 0.6}
        make_initiative(session, a, **{**BOREHOLES, "locations": [place],
                                       "partners": [{"organisation": funder.slug, "role": "funding"}]})
        make_initiative(session, b, **{**WELLS, "locations": [{**place, "lon": place["lon"] + 0.03}]})
    return a, b, funder


def _data_statements(app, client, query: str, variables: dict) -> tuple[int, dict]:
    holder: dict = {}
    seen = _statements_during(app, lambda: holder.update(body=gql(client, query, variables)))
    body = holder["body"]
    assert "errors" not in body, body
    # SQLite's BEGIN (the app emits it itself) opens the transaction; it reads nothing.
    return len([s for s in seen if not s.lstrip().upper().startswith("BEGIN")]), body


def test_a_page_with_nested_fields_and_overlaps_costs_six_statements_at_any_size(app, client, session):
    _a, _b, funder = _pairs(session)
    app.config["GRAPHQL_MAX_COST"] = 200_000  # 100 nodes x overlaps x sides exceeds the default estimate
    counts = {}
    for first in (5, 20, 40, 100):
        session.rollback()  # a fresh transaction, nothing in the identity map
        counts[first], body = _data_statements(app, client, PAGE, {"first": first})
        nodes = [e["node"] for e in body["data"]["initiatives"]["edges"]]
        assert len(nodes) == first
        for node in nodes:
            assert node["goals"] == [{"code": "6.1", "ref": "6.1"}] and len(node["locations"]) == 1
            assert node["tags"] and node["organisation"]["slug"]
            [overlap] = node["overlaps"]
            assert node["id"] in {side["id"] for side in overlap["initiatives"]}
            assert all(side["title"] and side["organisation"]["name"] for side in overlap["initiatives"])
        assert nodes[0]["partners"] == [{"role": "funding", "organisation": {"slug": funder.slug}}]
    # the page, then one each: partners, goals, tags, places, overlaps (with both sides and organisations)
    assert counts == {5: 6, 20: 6, 40: 6, 100: 6}


def test_nested_overlaps_cost_one_statement_per_level_not_per_node(app, client, session):
    boreholes, _wells, _funder = _pairs(session, 24)
    app.config["GRAPHQL_MAX_COST"] = 10**6  # lists in lists: the estimate multiplies by 10 per level
    nested = """query($first: Int, $org: String) { initiatives(first: $first, filter: {organisation: $org}) {
      edges { node { id overlaps { id initiatives { id tags { key } overlaps { id initiatives { title } } } } } } } }"""
    counts = {}
    for first in (4, 24):
        session.rollback()
        counts[first], body = _data_statements(app, client, nested, {"first": first, "org": boreholes.slug})
    # the page (boreholes only), their overlaps, the tags of both sides, the overlaps of the other sides
    assert counts == {4: 4, 24: 4}
    nodes = [e["node"] for e in body["data"]["initiatives"]["edges"]]
    assert len(nodes) == 24
    for node in nodes:
        [overlap] = node["overlaps"]
        other = next(side for side in overlap["initiatives"] if side["id"] != node["id"])
        assert other["tags"] == [{"key": "wash"}]
        assert [o["id"] for o in other["overlaps"]] == [overlap["id"]]


@pytest.fixture
def mixed(session):
    """Pairs as above plus another organisation's private twin and a dismissed overlap."""
    a, _b, _funder = _pairs(session, 6)
    owner = make_organisation(session, name="Quiet Shelter")
    secret = make_initiative(session, owner, **{**BOREHOLES, "title": "Private borehole plan", "visibility": "private",
                                                "locations": [{"name": "Town 0", "country": "KE", "lat": 0.1,
                                                               "lon": 35.01}]})
    dismissed = session.scalars(select(Overlap).order_by(Overlap.id).offset(2).limit(1)).one()
    session.execute(update(Overlap).where(Overlap.id == dismissed.id).values(status="dismissed"))
    session.commit()
    assert session.scalars(select(Overlap).where(Overlap.initiative_b_id == secret.id)).all()
    return {"anonymous": None, "member": make_token(session, a), "owner": make_token(session, owner),
            "coordinator": make_token(session, role="coordinator"), "secret": secret.id}


@pytest.mark.parametrize("reader", ["anonymous", "member", "owner", "coordinator"])
def test_batched_overlaps_are_exactly_overlaps_of_for_every_reader(client, session, mixed, reader):
    token = mixed[reader]
    actor = actor_for(session, token) if token else ANONYMOUS
    for arguments in ({}, {"status": "dismissed"}, {"status": "suggested", "minScore": 0.6}, {"minScore": 2.0}):
        body = gql(client, PAGE, {"first": 20, **arguments}, token)
        assert "errors" not in body, body
        nodes = [e["node"] for e in body["data"]["initiatives"]["edges"]]
        assert (str(mixed["secret"]) in {n["id"] for n in nodes}) == (reader in ("owner", "coordinator"))
        if "minScore" not in arguments:
            assert any(node["overlaps"] for node in nodes)
        for node in nodes:
            expected = insights.overlaps_of(session, actor, int(node["id"]), arguments.get("minScore", 0.0),
                                            arguments.get("status"))
            assert [o["id"] for o in node["overlaps"]] == [str(o.id) for o in expected]
            assert [[s["id"] for s in o["initiatives"]] for o in node["overlaps"]] == [
                [str(o.initiative_a_id), str(o.initiative_b_id)] for o in expected]
            if reader in ("anonymous", "member"):
                assert all(side["id"] != str(mixed["secret"]) for o in node["overlaps"] for side in o["initiatives"])


def test_an_invalid_overlap_status_is_still_refused(client, session):
    _pairs(session, 1)
    body = gql(client, '{ initiatives(first: 1) { edges { node { overlaps(status: \"bogus\") { id } } } } }')
    assert error_of(body)["code"] == "validation_error" and "status" in error_of(body)["fields"]
