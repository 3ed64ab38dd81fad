"""GraphQL reads: pagination, visibility, sensitive places, statement counts, reference data, GraphiQL."""

from __future__ import annotations

import re

import graphene

from api.extensions import db
from api.graphql.schema import QUERY_MIXINS, build_schema
from tests.factories import make_initiative, make_organisation, make_token

from .test_graphql import FIND, gql
from .test_graphql_errors import _statements_during

PAGE = """query($first: Int, $after: String) { initiatives(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id title description status start end budget currency peopleTargeted
    visibility version withdrawn createdAt updatedAt
    organisation { slug name type country verified isInstitutional }
    partners { role organisation { slug name } }
    goals { code ref title colour level } primaryGoal { code } suggestedGoals { score goal { code } }
    tags { key label aliases } locations { name country lat lon precision admin1 } } } } }"""


def ids_of(body: dict) -> list[str]:
    return [e["node"]["id"] for e in body["data"]["initiatives"]["edges"]]


def test_pagination_visits_every_initiative_exactly_once(client, session):
    ngo = make_organisation(session)
    created = [str(make_initiative(session, ngo, title=f"Well {i}").id) for i in range(7)]
    seen, after, pages = [], None, 0
    while True:
        body = gql(client, FIND, {"first": 3, "after": after})["data"]["initiatives"]
        assert body["totalCount"] == 7
        seen += [e["node"]["id"] for e in body["edges"]]
        assert body["edges"][-1]["cursor"] == body["pageInfo"]["endCursor"]
        pages += 1
        if not body["pageInfo"]["hasNextPage"]:
            break
        after = body["pageInfo"]["endCursor"]
    assert pages == 3 and seen == created


def test_private_initiatives_are_seen_only_by_their_organisation_and_coordinators(client, session):
    owner, other = make_organisation(session), make_organisation(session)
    public = str(make_initiative(session, owner, title="Open wells").id)
    private = str(
        make_initiative(session, owner, title="Shelter addresses", visibility="private").id
    )
    one = "query($id: ID!) { initiative(id: $id) { title visibility } }"
    assert ids_of(gql(client, FIND)) == [public]
    assert ids_of(gql(client, FIND, token=make_token(session, other))) == [public]
    assert ids_of(gql(client, FIND, token=make_token(session, owner))) == [public, private]
    assert ids_of(gql(client, FIND, token=make_token(session, role="coordinator"))) == [
        public,
        private,
    ]
    hidden = gql(client, one, {"id": private}, make_token(session, other))
    assert hidden["data"]["initiative"] is None
    assert hidden["errors"][0]["extensions"]["code"] == "not_found"
    shown = gql(client, one, {"id": private}, make_token(session, owner))["data"]["initiative"]
    assert shown == {"title": "Shelter addresses", "visibility": "private"}


def test_the_public_never_sees_exact_points_of_sensitive_work(client, session):
    owner = make_organisation(session)
    initiative = make_initiative(
        session,
        owner,
        public_precision="admin",
        locations=[
            {"name": "Safe house", "country": "KE", "admin1": "Kisumu", "lat": -0.09, "lon": 34.76}
        ],
    )
    query = "query($id: ID!) { initiative(id: $id) { publicPrecision locations { name lat lon admin1 } } }"
    public = gql(client, query, {"id": str(initiative.id)})["data"]["initiative"]
    assert public["locations"] == [{"name": None, "lat": None, "lon": None, "admin1": "Kisumu"}]
    listed = gql(client, "{ initiatives { edges { node { locations { lat lon } } } } }")
    assert listed["data"]["initiatives"]["edges"][0]["node"]["locations"] == [
        {"lat": None, "lon": None}
    ]
    own = gql(client, query, {"id": str(initiative.id)}, make_token(session, owner))["data"][
        "initiative"
    ]
    assert own["locations"][0]["lat"] == -0.09 and own["locations"][0]["name"] == "Safe house"


def _statements(client, first: int) -> tuple[int, dict]:
    holder: dict = {}
    statements = _statements_during(client.application, lambda: holder.update(
        body=gql(client, PAGE.replace("totalCount ", ""), {"first": first})))
    return len(statements), holder["body"]


def test_a_page_with_every_nested_field_costs_a_constant_number_of_statements(client, session):
    lead, partner = make_organisation(session), make_organisation(session, name="Funder", type="60")
    for i in range(50):
        make_initiative(
            session,
            lead,
            title=f"Wells {i}",
            goals=["6.1", "6.2", "3"],
            primary_goal="6.2",
            tags=["WASH", f"district {i % 4}"],
            partners=[{"organisation": partner.slug, "role": "funding"}],
            locations=[{"country": "KE", "lat": -0.1, "lon": 34.7}, {"country": "UG"}],
        )
    db.session.rollback()  # each measurement starts a fresh transaction, nothing cached
    small, _ = _statements(client, 5)
    db.session.rollback()  # each measurement starts a fresh transaction, nothing cached
    large, body = _statements(client, 50)
    edges = body["data"]["initiatives"]["edges"]
    assert len(edges) == 50 and "errors" not in body
    node = edges[0]["node"]
    assert node["partners"][0]["organisation"]["slug"] == partner.slug
    assert [g["code"] for g in node["goals"]] == ["6.1", "6.2", "3"] and node["primaryGoal"][
        "code"
    ] == "6.2"
    assert len(node["tags"]) == 2 and len(node["locations"]) == 2
    # One page query plus one per eager-loaded relationship: ~10.
    assert large == small <= 12


def test_organisations_visions_goals_and_tags(client, session):
    ngo = make_organisation(session, name="Lake Basin Water")
    make_organisation(session, name="Another Group")
    make_initiative(session, ngo, tags=["WASH", "water sanitation hygiene"])
    orgs = gql(
        client,
        '{ organisations(first: 1, q: "lake") { totalCount pageInfo { hasNextPage } '
        "edges { cursor node { slug name typeName } } } }",
    )["data"]["organisations"]
    assert orgs["totalCount"] == 1 and orgs["edges"][0]["node"]["typeName"] == "National NGO"
    everyone = gql(client, "{ organisations(first: 1) { pageInfo { hasNextPage endCursor } } }")
    after = everyone["data"]["organisations"]["pageInfo"]
    rest = gql(
        client,
        "query($a: String) { organisations(after: $a) { edges { node { slug } } } }",
        {"a": after["endCursor"]},
    )["data"]["organisations"]["edges"]
    assert after["hasNextPage"] and len(rest) == 1
    one = gql(client, "query($s: String!) { organisation(slug: $s) { name } }", {"s": ngo.slug})
    assert one["data"]["organisation"]["name"] == "Lake Basin Water"
    missing = gql(client, '{ organisation(slug: "nobody") { name } }')
    assert missing["errors"][0]["extensions"]["code"] == "not_found"

    visions = gql(client, "{ visions { slug goals { code targets { code parent { code } } } } }")
    sdg = next(v for v in visions["data"]["visions"] if v["slug"] == "sdg")
    assert len(sdg["goals"]) == 17
    six = next(g for g in sdg["goals"] if g["code"] == "6")
    assert (
        "6.1" in [t["code"] for t in six["targets"]] and six["targets"][0]["parent"]["code"] == "6"
    )
    goal = gql(client, '{ goal(code: "6.A") { code level parent { code } } }')["data"]["goal"]
    assert goal == {"code": "6.a", "level": "target", "parent": {"code": "6"}}

    tags = gql(client, "{ tags(first: 10) { key label aliases count } }")["data"]["tags"]
    assert tags[0]["count"] == 1 and "water sanitation hygiene" in tags[0]["aliases"] + [
        tags[0]["label"]
    ]
    assert gql(client, '{ tags(q: "zzz") { key } }')["data"]["tags"] == []


def test_graphiql_is_served_with_local_scripts_only(client):
    response = client.get("/graphql")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert len(sources) == 5 and all(s.startswith("/static/graphiql/") for s in sources)
    assert "<script>" not in html  # no inline script: the page works under a strict CSP
    for source in sources:
        with client.get(source) as asset:  # closes the file the static view opened
            assert asset.status_code == 200 and asset.content_length > 0


def test_another_module_can_add_query_fields_without_editing_the_schema(client):
    class ConvergenceQueries(graphene.ObjectType):
        fragmentation = graphene.Float(goal=graphene.String(required=True))

        @staticmethod
        def resolve_fragmentation(_root, _info, goal):
            return 0.25 if goal == "6" else None

    schema = build_schema(query_mixins=[*QUERY_MIXINS, ConvergenceQueries])
    result = schema.execute('{ fragmentation(goal: "6") }')
    assert result.errors is None and result.data == {"fragmentation": 0.25}
    assert "initiatives" in schema.graphql_schema.query_type.fields
