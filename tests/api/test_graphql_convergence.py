"""GraphQL door onto the convergence engine: the same overlaps, decisions and figures as REST."""
from __future__ import annotations

from ..factories import bearer, make_initiative, make_organisation, make_token
from .test_rest_overlaps import BOREHOLES, WELLS


def gql(client, query, token=None, **variables):
    headers = bearer(token) if token else {}
    return client.post("/graphql", json={"query": query, "variables": variables}, headers=headers).get_json()


def test_an_initiative_lists_its_overlaps_and_a_party_can_decide(client, session):
    a, b = make_organisation(session, name="Kisumu Water Trust"), make_organisation(session, name="Lake Wells")
    first = make_initiative(session, a, **BOREHOLES)
    second = make_initiative(session, b, **WELLS)
    body = gql(client, """query($id: ID!) { initiative(id: $id) { overlaps {
        id score explanation status components { goal place time text tags }
        initiatives { id organisation { name } } } } }""", id=str(second.id))
    overlaps = body["data"]["initiative"]["overlaps"]
    assert len(overlaps) == 1 and "6.1" in overlaps[0]["explanation"]
    assert {i["id"] for i in overlaps[0]["initiatives"]} == {str(first.id), str(second.id)}
    token = make_token(session, b)
    decided = gql(client, 'mutation($id: ID!) { decideOverlap(id: $id, status: "confirmed") { status decidedBy } }',
                  token, id=overlaps[0]["id"])
    assert decided["data"]["decideOverlap"]["status"] == "confirmed"
    inbox = gql(client, "{ inbox { id status } }", make_token(session, a))
    assert [o["id"] for o in inbox["data"]["inbox"]] == [overlaps[0]["id"]]


def test_a_decision_by_an_outsider_is_not_found_in_the_error_shape(client, session):
    a, b = make_organisation(session), make_organisation(session)
    make_initiative(session, a, **BOREHOLES)
    second = make_initiative(session, b, **WELLS)
    overlap_id = gql(client, "query($id: ID!) { initiative(id: $id) { overlaps { id } } }",
                     id=str(second.id))["data"]["initiative"]["overlaps"][0]["id"]
    outsider = make_token(session, make_organisation(session))
    body = gql(client, 'mutation($id: ID!) { decideOverlap(id: $id, status: "dismissed") { status } }',
               outsider, id=overlap_id)
    assert body["errors"][0]["extensions"]["code"] == "not_found"


def test_coordinators_get_groups_fragmentation_and_the_network(client, session):
    a, b = make_organisation(session, name="Kisumu Water Trust"), make_organisation(session, name="Lake Wells")
    make_initiative(session, a, **BOREHOLES)
    make_initiative(session, b, **WELLS)
    body = gql(client, """{ convergenceGroups(filter: {goal: "6"}) { grassrootsOnly sharedGoals organisations { name } }
        fragmentation(goal: "6", area: "KE", period: 2025) { cells { goal area nOrganisations herfindahl effectiveActors } }
        organisationNetwork { nodes { organisation { name } degree betweenness } edges { kinds } }
        overlaps(first: 10) { edges { node { score } } pageInfo { hasNextPage } } }""",
               make_token(session, None, "coordinator"))
    assert "errors" not in body, body
    data = body["data"]
    assert data["convergenceGroups"][0]["grassrootsOnly"] is True
    cell = next(c for c in data["fragmentation"]["cells"] if c["goal"] == "6")
    assert cell["nOrganisations"] == 2 and abs(cell["effectiveActors"] - 2.0) < 1e-9
    assert len(data["organisationNetwork"]["edges"]) == 1
    assert len(data["overlaps"]["edges"]) == 1


def test_gaps_agree_with_the_cells_of_the_same_area(client, session):
    """A goal worked on in an area is never a gap there, whatever goal the question filters on.

    Measured on the demo: fragmentation(goal: "2", area: "AF") listed goal 3 as a gap in Kabul
    while 27 organisations worked on goal 3 there (the gaps were computed from goal-2 work only).
    """
    food, health = make_organisation(session, name="Kisumu Food Bank"), make_organisation(session, name="Clinic Trust")
    kisumu = {"locations": [{"name": "Kisumu", "country": "KE", "lat": -0.0917, "lon": 34.768}]}
    nakuru = {"locations": [{"name": "Nakuru", "country": "KE", "lat": -0.3031, "lon": 36.08}]}
    make_initiative(session, food, title="School meals in Kisumu", description="Daily school meals.",
                    goals=["2.1"], tags=["Food"], **kisumu)
    make_initiative(session, health, title="Mobile clinics in Kisumu", description="Primary health care visits.",
                    goals=["3.8"], tags=["Health"], **kisumu)
    make_initiative(session, health, title="Mobile clinics in Nakuru", description="Primary health care visits.",
                    goals=["3.8"], tags=["Health"], **nakuru)
    query = """query($goal: String) { fragmentation(goal: $goal, area: "KE", areaLevel: "admin1") {
        cells { goal area nInitiatives } gaps { goal area relatedPresent } } }"""
    coordinator = make_token(session, None, "coordinator")
    everything = gql(client, query, coordinator)["data"]["fragmentation"]
    worked = {(c["goal"], c["area"]) for c in everything["cells"]}
    for goal in ("2", "3", None):
        data = gql(client, query, coordinator, goal=goal)["data"]["fragmentation"]
        assert not {(g["goal"], g["area"]) for g in data["gaps"]} & worked
        assert {g["goal"] for g in data["gaps"]} <= ({goal} if goal else {str(n) for n in range(1, 18)})
    food_gaps = gql(client, query, coordinator, goal="2")["data"]["fragmentation"]["gaps"]
    assert [(g["goal"], g["area"].split("/")[0], g["relatedPresent"]) for g in food_gaps] == [("2", "KE", ["3"])]
    assert "Kisumu" not in food_gaps[0]["area"]
