"""Each finding of the attack on the demo, pinned: private work and hidden places stay hidden at every door."""
from __future__ import annotations

import pytest

from coordination.models import Overlap, WebhookDelivery
from coordination.permissions import ANONYMOUS
from coordination.services.similar import similar_to_draft
from coordination.services.webhook_delivery import _payload

from ..factories import BOREHOLES, WELLS, bearer, initiative_data, make_organisation, make_token

SECRET = {"title": "Codeword Nightjar safehouse intake", "description": "Nightjar-internal: intake office"}
KONDELE = (-0.0876543, 34.7712345)  # the exact point of sensitive work in Kisumu County


@pytest.fixture
def orgs(session):
    """An NGO with protection work, a neighbour whose water work is alike, and a stranger (self-signed-up)."""
    owner = make_organisation(session, name="Shelter Alliance")
    neighbour = make_organisation(session, name="Kisumu Water Neighbours")
    stranger = make_organisation(session, name="Stranger Org")
    return {"owner": owner, "neighbour": neighbour, "stranger": stranger,
            "owner_token": make_token(session, owner), "owner_admin": make_token(session, owner, "admin"),
            "neighbour_token": make_token(session, neighbour),
            "neighbour_admin": make_token(session, neighbour, "admin"),
            "stranger_token": make_token(session, stranger), "coordinator": make_token(session, role="coordinator")}


def _post(client, token, **overrides) -> int:
    response = client.post("/api/v1/initiatives", json=initiative_data(**overrides), headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _private_overlap(client, session, orgs) -> tuple[int, int, int]:
    """The neighbour's wells, then the owner's private copy of the same work: (public id, private id, overlap id)."""
    public = _post(client, orgs["neighbour_token"], **WELLS)
    private = _post(client, orgs["owner_token"], **{**BOREHOLES, **SECRET}, visibility="private")
    row = session.query(Overlap).filter(Overlap.initiative_b_id == private).one()
    return public, private, row.id


def test_a_party_cannot_read_the_private_side_of_an_overlap_by_deciding_it(client, session, orgs):
    _public, _private, overlap_id = _private_overlap(client, session, orgs)
    mutation = ('mutation($id: ID!) { decideOverlap(id: $id, status: "suggested") '
                '{ initiatives { title description visibility locations { name lat lon } } } }')
    answer = client.post("/graphql", json={"query": mutation, "variables": {"id": overlap_id}},
                         headers=bearer(orgs["neighbour_token"])).get_json()
    assert answer["data"] is None and answer["errors"][0]["extensions"]["code"] == "not_found"
    rest = client.post(f"/api/v1/overlaps/{overlap_id}/decision", json={"status": "confirmed"},
                       headers=bearer(orgs["neighbour_token"]))
    assert rest.status_code == 404 and "Nightjar" not in rest.get_data(as_text=True)
    # The owner, who may read both sides, still decides it.
    owner = client.post(f"/api/v1/overlaps/{overlap_id}/decision", json={"status": "confirmed"},
                        headers=bearer(orgs["owner_token"]))
    assert owner.status_code == 200 and owner.get_json()["status"] == "confirmed"


@pytest.mark.usefixtures("local_webhooks")
def test_a_private_overlap_is_never_pushed_to_the_other_organisations_webhook(client, session, orgs):
    hook = client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"},
                       headers=bearer(orgs["neighbour_admin"]))
    assert hook.status_code == 201, hook.get_json()
    owner_hook = client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/owner"},
                             headers=bearer(orgs["owner_admin"]))
    _public, _private, overlap_id = _private_overlap(client, session, orgs)
    queued = session.query(WebhookDelivery).filter(WebhookDelivery.overlap_id == overlap_id).all()
    assert [d.webhook_id for d in queued] == [owner_hook.get_json()["id"]]
    assert "Nightjar" in str(_payload(queued[0]))  # the owner hears of its own private work
    listed = client.get("/api/v1/webhooks", headers=bearer(orgs["neighbour_admin"])).get_data(as_text=True)
    assert f'"overlap_id":{overlap_id}' not in listed.replace(" ", "")


def test_notices_the_reader_may_not_see_are_not_counted_or_marked(client, session, orgs):
    _private_overlap(client, session, orgs)
    inbox = client.get("/api/v1/inbox", headers=bearer(orgs["neighbour_token"])).get_json()
    assert (inbox["unread"], inbox["items"], inbox["by_initiative"], inbox["initiatives"]) == (0, [], [], 0)
    marked = client.post("/api/v1/inbox/read", headers=bearer(orgs["neighbour_token"])).get_json()
    assert marked == {"marked": 0}


def test_a_bbox_filter_acts_on_the_shown_area_not_the_hidden_point(client, session, orgs):
    sensitive = _post(client, orgs["owner_token"], title="Shelter support Kisumu", public_precision="admin",
                      locations=[{"name": "Safehouse Kondele", "country": "KE", "lat": KONDELE[0], "lon": KONDELE[1]}])
    lat, lon = KONDELE
    tiny = f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    county = "34.0,-1.0,35.5,0.5"  # all of Kisumu County, centroid included

    def ids(bbox: str, token: str | None = None) -> set[int]:
        headers = bearer(token) if token else {}
        rest = client.get(f"/api/v1/initiatives?bbox={bbox}", headers=headers).get_json()["items"]
        query = "query($b: String) { initiatives(filter: {bbox: $b}) { edges { node { id } } } }"
        gql = client.post("/graphql", json={"query": query, "variables": {"b": bbox}}, headers=headers).get_json()
        assert {e["node"]["id"] for e in gql["data"]["initiatives"]["edges"]} == {str(i["id"]) for i in rest}
        return {i["id"] for i in rest}

    assert sensitive not in ids(tiny)  # the point is not where the public is shown the work
    assert sensitive in ids(county)
    assert sensitive in ids(tiny, orgs["owner_token"])  # its own organisation filters on the exact point
    assert sensitive in ids(tiny, orgs["coordinator"])


def test_scores_and_sentences_do_not_move_with_a_hidden_point(client, session, orgs):
    sensitive = _post(client, orgs["owner_token"], **BOREHOLES, public_precision="admin")
    _post(client, orgs["neighbour_token"], **WELLS)
    before = client.get(f"/api/v1/initiatives/{sensitive}/overlaps", headers=bearer(orgs["coordinator"])).get_json()
    etag = client.get(f"/api/v1/initiatives/{sensitive}", headers=bearer(orgs["owner_token"])).headers["ETag"]
    moved = client.patch(f"/api/v1/initiatives/{sensitive}", headers={**bearer(orgs["owner_token"]), "If-Match": etag},
                         json={"locations": [{"name": "Kisumu", "country": "KE", "lat": -0.05, "lon": 34.72}]})
    assert moved.status_code == 200, moved.get_json()
    after = client.get(f"/api/v1/initiatives/{sensitive}/overlaps", headers=bearer(orgs["coordinator"])).get_json()
    assert len(before["items"]) == 1
    for key in ("score", "components", "explanation"):
        assert before["items"][0][key] == after["items"][0][key]
    assert "km apart" not in after["items"][0]["explanation"]
    similar = similar_to_draft(session, ANONYMOUS, initiative_data(**WELLS))  # the form's live panel
    shown = {item["id"]: item for item in similar}
    assert shown[sensitive]["score"] == round(after["items"][0]["score"], 3)
    assert "km apart" not in shown[sensitive]["explanation"]
    assert "km apart" not in similar[0]["explanation"]


def test_a_country_precision_initiative_is_in_no_province(client, session, orgs):
    country = _post(client, orgs["owner_token"], **BOREHOLES, public_precision="country")
    _post(client, orgs["neighbour_token"], **WELLS)
    cells = client.get("/api/v1/fragmentation?country=KE&area_level=admin1").get_json()["cells"]
    assert sum(c["n_initiatives"] for c in cells if c["area"] not in (None, "KE")) == 1
    query = "{ convergenceGroups { initiativeIds admin1 } }"
    for token in (None, orgs["neighbour_token"]):
        groups = client.post("/graphql", json={"query": query}, headers=bearer(token) if token else {}).get_json()
        group = next(g for g in groups["data"]["convergenceGroups"] if str(country) in g["initiativeIds"])
        assert group["admin1"] in ([], ["Kisumu"])  # the neighbour's county only, by name


def test_who_changed_or_decided_is_named_only_to_the_organisation_and_coordinators(client, session, orgs):
    mine = _post(client, orgs["owner_token"], **BOREHOLES)
    _post(client, orgs["neighbour_token"], **WELLS)
    url = f"/api/v1/initiatives/{mine}/history"
    assert client.get(url, headers=bearer(orgs["stranger_token"])).get_json()["items"][0]["actor"] is None
    assert client.get(url).get_json()["items"][0]["actor"] is None
    assert client.get(url, headers=bearer(orgs["owner_token"])).get_json()["items"][0]["actor"]
    overlap = client.get(f"/api/v1/initiatives/{mine}/overlaps").get_json()["items"][0]
    decided = client.post(f"/api/v1/overlaps/{overlap['id']}/decision", json={"status": "confirmed"},
                          headers=bearer(orgs["owner_token"])).get_json()
    assert decided["decided_by"]
    for token in (None, orgs["stranger_token"]):
        seen = client.get(f"/api/v1/initiatives/{mine}/overlaps", headers=bearer(token) if token else {}).get_json()
        assert seen["items"][0]["status"] == "confirmed" and seen["items"][0]["decided_by"] is None
    gql = client.post("/graphql", json={"query": "{ overlaps { edges { node { decidedBy } } } }"}).get_json()
    assert [e["node"]["decidedBy"] for e in gql["data"]["overlaps"]["edges"]] == [None]
