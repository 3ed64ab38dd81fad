"""GraphQL PageInfo follows the Relay connection spec: hasPreviousPage and startCursor beside hasNextPage/endCursor."""
from __future__ import annotations

from tests.factories import make_initiative, make_organisation, make_token

from .test_graphql import gql
from .test_rest_overlaps import BOREHOLES, WELLS

INITIATIVES = """query($first: Int, $after: String) { initiatives(first: $first, after: $after) {
  pageInfo { hasPreviousPage hasNextPage startCursor endCursor } edges { cursor node { id } } } }"""
ORGANISATIONS = """query($first: Int, $after: String) { organisations(first: $first, after: $after) {
  pageInfo { hasPreviousPage hasNextPage startCursor endCursor } edges { cursor } } }"""
OVERLAPS = """query($after: String) { overlaps(first: 1, after: $after) {
  pageInfo { hasPreviousPage hasNextPage startCursor endCursor } edges { cursor } } }"""


def test_initiative_pages_say_whether_items_come_before_and_after(client, session):
    ngo = make_organisation(session)
    ids = [str(make_initiative(session, ngo, title=f"Well {i}").id) for i in range(5)]
    first = gql(client, INITIATIVES, {"first": 2})["data"]["initiatives"]
    edges = first["edges"]
    assert first["pageInfo"] == {"hasPreviousPage": False, "hasNextPage": True,
                                 "startCursor": edges[0]["cursor"], "endCursor": edges[-1]["cursor"]}
    second = gql(client, INITIATIVES, {"first": 2, "after": first["pageInfo"]["endCursor"]})["data"]["initiatives"]
    assert [e["node"]["id"] for e in second["edges"]] == ids[2:4]
    assert second["pageInfo"]["hasPreviousPage"] is True and second["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["startCursor"] == second["edges"][0]["cursor"]
    last = gql(client, INITIATIVES, {"first": 2, "after": second["pageInfo"]["endCursor"]})["data"]["initiatives"]
    assert last["pageInfo"]["hasPreviousPage"] is True and last["pageInfo"]["hasNextPage"] is False
    # past the end: nothing on the page, but items come before the cursor
    beyond = gql(client, INITIATIVES, {"first": 2, "after": last["pageInfo"]["endCursor"]})["data"]["initiatives"]
    assert beyond["edges"] == [] and beyond["pageInfo"] == {
        "hasPreviousPage": True, "hasNextPage": False, "startCursor": None, "endCursor": None}


def test_has_previous_page_counts_only_what_the_reader_may_read(client, session):
    owner = make_organisation(session)
    make_initiative(session, owner, title="Shelter addresses", visibility="private")
    make_initiative(session, owner, title="Open wells")
    mine = gql(client, INITIATIVES, {"first": 1}, make_token(session, owner))["data"]["initiatives"]
    after = mine["pageInfo"]["endCursor"]  # the private one, first by id
    # Anyone else resumes after it: nothing they may read comes before it.
    anyone = gql(client, INITIATIVES, {"first": 1, "after": after})["data"]["initiatives"]
    assert len(anyone["edges"]) == 1 and anyone["pageInfo"]["hasPreviousPage"] is False
    owner_view = gql(client, INITIATIVES, {"first": 1, "after": after}, make_token(session, owner))
    assert owner_view["data"]["initiatives"]["pageInfo"]["hasPreviousPage"] is True


def test_organisation_pages_have_previous_page_after_a_cursor(client, session):
    for name in ("Alpha Aid", "Beta Relief", "Gamma Trust"):
        make_organisation(session, name=name)
    first = gql(client, ORGANISATIONS, {"first": 2})["data"]["organisations"]
    assert first["pageInfo"]["hasPreviousPage"] is False and first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    rest = gql(client, ORGANISATIONS, {"first": 2, "after": first["pageInfo"]["endCursor"]})["data"]["organisations"]
    assert len(rest["edges"]) == 1
    assert rest["pageInfo"]["hasPreviousPage"] is True and rest["pageInfo"]["hasNextPage"] is False
    before_all = gql(client, ORGANISATIONS, {"first": 2, "after": "a"})["data"]["organisations"]
    assert before_all["pageInfo"]["hasPreviousPage"] is False and len(before_all["edges"]) == 2


def test_overlap_pages_have_previous_page_after_a_cursor(client, session):
    a, b = make_organisation(session, name="Kisumu Water Trust"), make_organisation(session, name="Lake Wells")
    make_initiative(session, a, **BOREHOLES)
    make_initiative(session, b, **WELLS)
    coordinator = make_token(session, None, "coordinator")
    first = gql(client, OVERLAPS, {}, coordinator)["data"]["overlaps"]
    assert len(first["edges"]) == 1
    assert first["pageInfo"]["hasPreviousPage"] is False and first["pageInfo"]["hasNextPage"] is False
    cursor = first["pageInfo"]["startCursor"]
    assert cursor == first["edges"][0]["cursor"]
    after = gql(client, OVERLAPS, {"after": cursor}, coordinator)["data"]["overlaps"]
    assert after["edges"] == [] and after["pageInfo"]["hasPreviousPage"] is True
