"""Coordinators merge two records of one organisation and undo it, through REST, GraphQL and the CLI.

The two records are UNICEF as the seed writes it twice ("UNICEF" and "UNITED NATIONS CHILDREN'S
FUND"); their initiatives are the Kisumu wells and boreholes the engine finds as an overlap.
"""
from __future__ import annotations

from sqlalchemy import select

from coordination.models import Initiative, Overlap
from coordination.services.organisations import find_organisation

from ..factories import BOREHOLES, WELLS, bearer, initiative_data
from ..factories import make_initiative, make_organisation, make_token
from .test_graphql import gql

MERGE = """mutation($s: String!, $a: String!, $r: String) {
  mergeOrganisations(survivor: $s, absorbed: $a, reason: $r) {
    survivor { slug } absorbed { slug } mergedBy reason moved { initiatives } } }"""
UNMERGE = """mutation($a: String!) { unmergeOrganisation(absorbed: $a) { unmergedBy moved { initiatives } } }"""


def two_records(session):
    """UNICEF twice (created apart, as an import by another name would), each with one Kisumu water effort."""
    unicef = make_organisation(session, name="UNICEF", type="40", country=None)
    fund = make_organisation(session, name="UNITED NATIONS CHILDREN'S FUND", type="40", country=None,
                             org_identifier="41122")
    wells = make_initiative(session, unicef, **WELLS)
    boreholes = make_initiative(session, fund, **BOREHOLES)
    return unicef, fund, wells, boreholes


def overlaps_between(client, token, initiative_id, status=None):
    """The initiative's overlaps as a coordinator lists them (dismissed ones only when asked)."""
    query = f"?status={status}" if status else ""
    return client.get(f"/api/v1/initiatives/{initiative_id}/overlaps{query}", headers=bearer(token)).get_json()["items"]


def actors_working_on(client, goal):
    """The number of organisations the fragmentation figures count on a goal (all areas)."""
    cells = client.get(f"/api/v1/fragmentation?goal={goal}").get_json()
    return max(cell["n_organisations"] for cell in cells["cells"])


def network_and_groups(client):
    """The organisations the network shows, and the organisations of each convergence group."""
    nodes = sorted(n["organisation"]["slug"] for n in client.get("/api/v1/network").get_json()["nodes"])
    groups = [sorted(o["slug"] for o in g["organisations"]) for g in client.get("/api/v1/groups").get_json()["items"]]
    return nodes, groups


def test_a_merge_moves_the_work_and_leaves_no_overlap_of_the_agency_with_itself(session, client):
    unicef, fund, wells, boreholes = two_records(session)
    coordinator = make_token(session, role="coordinator")
    assert len(overlaps_between(client, coordinator, wells.id)) == 1  # two records: an "overlap"
    assert actors_working_on(client, "6.1") == 2
    both = sorted([unicef.slug, fund.slug])
    assert network_and_groups(client) == (both, [both])  # the agency "converging" with itself
    version = client.get(f"/api/v1/initiatives/{boreholes.id}").get_json()["version"]

    response = client.post(f"/api/v1/organisations/{fund.slug}/merge", headers=bearer(coordinator),
                           json={"into": unicef.slug, "reason": "One agency: XM-DAC-41122"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["moved"]["initiatives"] == 1
    moved = client.get(f"/api/v1/initiatives/{boreholes.id}").get_json()
    assert moved["organisation"]["slug"] == unicef.slug
    assert moved["version"] == version + 1  # a stale edit or cached copy sees the change
    history = client.get(f"/api/v1/initiatives/{boreholes.id}/history", headers=bearer(coordinator)).get_json()
    assert history["items"][-1]["changed"] == ["organisation"]
    assert overlaps_between(client, coordinator, wells.id) == []
    assert actors_working_on(client, "6.1") == 1  # fragmentation counts the one agency once
    assert network_and_groups(client) == ([unicef.slug], [])  # one node, no group of one organisation
    # Later imports naming the absorbed record (name or identifier) reach the survivor.
    assert find_organisation(session, {"name": "United Nations Children's Fund"}).id == unicef.id
    assert find_organisation(session, {"name": "x", "org_identifier": "41122"}).id == unicef.id
    assert client.get(f"/api/v1/organisations/{fund.slug}").get_json()["merged_into"] == unicef.slug
    redirect = gql(client, "query($s: String!) { organisation(slug: $s) { mergedInto } }", {"s": fund.slug})
    assert redirect["data"]["organisation"]["mergedInto"] == unicef.slug
    listed = [o["slug"] for o in client.get("/api/v1/organisations?first=200").get_json()["items"]]
    assert unicef.slug in listed and fund.slug not in listed
    page = client.get(f"/organisations/{fund.slug}")  # the old address leads to the one organisation
    assert page.status_code == 301 and page.headers["Location"].endswith(f"/organisations/{unicef.slug}")
    assert "UNITED NATIONS CHILDREN" not in client.get("/organisations").get_data(as_text=True)
    history = client.get(f"/api/v1/organisations/{unicef.slug}/merges", headers=bearer(coordinator)).get_json()["items"]
    assert [(h["survivor"], h["absorbed"], h["reason"]) for h in history] == [
        (unicef.slug, fund.slug, "One agency: XM-DAC-41122")]
    assert history[0]["merged_by"] and history[0]["moved"]["initiatives"] == 1  # a coordinator reads it all
    public = client.get(f"/api/v1/organisations/{unicef.slug}/merges").get_json()["items"][0]
    assert public["merged_by"] is None and public["moved"] == {}  # counts would tell private work and people


def test_an_unmerge_restores_the_records_their_work_and_the_decided_overlap(session, client):
    unicef, fund, wells, boreholes = two_records(session)
    coordinator = make_token(session, role="coordinator")
    pair = overlaps_between(client, coordinator, wells.id)[0]
    assert client.post(f"/api/v1/overlaps/{pair['id']}/decision", headers=bearer(coordinator),
                       json={"status": "dismissed"}).status_code == 200
    data = gql(client, MERGE, {"s": unicef.slug, "a": fund.slug, "r": "duplicate"}, token=coordinator)
    assert data["data"]["mergeOrganisations"]["moved"]["initiatives"] == 1
    aliases = client.get(f"/api/v1/organisations/{unicef.slug}").get_json()["aliases"]
    assert "UNITED NATIONS CHILDREN'S FUND" in aliases
    assert overlaps_between(client, coordinator, wells.id, "dismissed") == []  # merged: no pair at all

    data = gql(client, UNMERGE, {"a": fund.slug}, token=coordinator)
    assert data["data"]["unmergeOrganisation"]["unmergedBy"]
    assert client.get(f"/api/v1/initiatives/{boreholes.id}").get_json()["organisation"]["slug"] == fund.slug
    assert client.get(f"/api/v1/organisations/{unicef.slug}").get_json()["aliases"] == []
    again = overlaps_between(client, coordinator, wells.id, "dismissed")
    assert [(o["id"], o["status"]) for o in again] == [(pair["id"], "dismissed")]
    # Files naming the restored record exactly link to it again.
    assert find_organisation(session, {"name": "UNITED NATIONS CHILDREN'S FUND"}).id == fund.id


def test_only_coordinators_and_platform_admins_merge(session, client):
    unicef, fund, _wells, _boreholes = two_records(session)
    admin = make_token(session, unicef, role="admin")
    response = client.post(f"/api/v1/organisations/{fund.slug}/merge", headers=bearer(admin),
                           json={"into": unicef.slug})
    assert response.status_code == 403
    data = gql(client, MERGE, {"s": unicef.slug, "a": fund.slug}, token=admin)
    assert data["errors"][0]["extensions"]["code"] == "forbidden"
    assert session.scalar(select(Initiative.organisation_id).where(Initiative.id == _boreholes.id)) == fund.id


def test_a_merge_that_would_open_private_work_needs_saying_so(session, client):
    unicef, fund, _wells, _boreholes = two_records(session)
    secret = make_initiative(session, fund, visibility="private", title="Private child protection casework")
    member = make_token(session, unicef, role="member")
    coordinator = make_token(session, role="coordinator")
    assert client.get(f"/api/v1/initiatives/{secret.id}", headers=bearer(member)).status_code == 404

    refused = client.post(f"/api/v1/organisations/{fund.slug}/merge", headers=bearer(coordinator),
                          json={"into": unicef.slug})
    assert refused.status_code == 409
    assert "private" in refused.get_json()["error"]["message"]
    assert client.get(f"/api/v1/initiatives/{secret.id}", headers=bearer(member)).status_code == 404

    agreed = client.post(f"/api/v1/organisations/{fund.slug}/merge", headers=bearer(coordinator),
                         json={"into": unicef.slug, "share_access": True})
    assert agreed.status_code == 200
    assert client.get(f"/api/v1/initiatives/{secret.id}", headers=bearer(member)).status_code == 200
    client.post(f"/api/v1/organisations/{fund.slug}/unmerge", headers=bearer(coordinator), json={})
    assert client.get(f"/api/v1/initiatives/{secret.id}", headers=bearer(member)).status_code == 404


def test_the_absorbed_records_people_move_with_it_and_back(session, client):
    unicef, fund, _wells, boreholes = two_records(session)
    fund_member = make_token(session, fund, role="member")
    coordinator = make_token(session, role="coordinator")
    client.post(f"/api/v1/organisations/{fund.slug}/merge", headers=bearer(coordinator), json={"into": unicef.slug})
    # The fund's member now writes for the one organisation, its own effort included.
    edit = client.patch(f"/api/v1/initiatives/{boreholes.id}", headers=bearer(fund_member),
                        json={"title": "Borehole rehabilitation, Kisumu County (phase 2)"})
    assert edit.status_code == 200, edit.get_json()
    client.post(f"/api/v1/organisations/{fund.slug}/unmerge", headers=bearer(coordinator), json={})
    assert client.get("/api/v1/initiatives/" + str(boreholes.id)).get_json()["organisation"]["slug"] == fund.slug


def test_the_cli_merges_and_unmerges(session, app):
    unicef, fund, _wells, boreholes = two_records(session)
    runner = app.test_cli_runner()
    merged = runner.invoke(args=["org", "merge", unicef.slug, fund.slug, "--reason", "duplicate"])
    assert merged.exit_code == 0, merged.output
    assert f"Merged {fund.slug} into {unicef.slug}" in merged.output and "1 initiatives" in merged.output
    again = runner.invoke(args=["org", "merge", unicef.slug, fund.slug])
    assert again.exit_code == 2 and "already merged" in again.output
    unmerged = runner.invoke(args=["org", "unmerge", fund.slug])
    assert unmerged.exit_code == 0, unmerged.output
    session.expire_all()
    assert session.get(Initiative, boreholes.id).organisation_id == fund.id
    assert session.scalars(select(Overlap).where(Overlap.organisation_a_id == Overlap.organisation_b_id,
                                                 Overlap.active.is_(True))).all() == []


def test_partner_places_move_or_drop_and_come_back(session, client):
    unicef, fund, _wells, _boreholes = two_records(session)
    county = make_organisation(session, name="Kisumu County Government", type="11")
    funded = make_initiative(session, county, title="County water points", partners=[
        {"organisation": fund.slug, "role": "funding"}])
    own = make_initiative(session, unicef, title="UNICEF school latrines", partners=[
        {"organisation": fund.slug, "role": "funding"}])
    coordinator = make_token(session, role="coordinator")

    def partners(initiative):
        body = client.get(f"/api/v1/initiatives/{initiative.id}").get_json()
        return [(p["organisation"]["slug"], p["role"]) for p in body["partners"]]

    client.post(f"/api/v1/organisations/{fund.slug}/merge", headers=bearer(coordinator), json={"into": unicef.slug})
    assert partners(funded) == [(unicef.slug, "funding")]
    assert partners(own) == []  # UNICEF does not fund its own work
    client.post(f"/api/v1/organisations/{fund.slug}/unmerge", headers=bearer(coordinator), json={})
    assert partners(funded) == [(fund.slug, "funding")]
    assert partners(own) == [(fund.slug, "funding")]


def test_merges_chain_and_are_undone_last_first(session, client):
    unicef, fund, _wells, boreholes = two_records(session)
    spelled = make_organisation(session, name="United Nations Children's Fund (UNICEF)", type="70", country=None)
    coordinator = make_token(session, role="coordinator")
    post = lambda slug, what, body: client.post(f"/api/v1/organisations/{slug}/{what}",
                                                headers=bearer(coordinator), json=body)
    assert post(fund.slug, "merge", {"into": spelled.slug}).status_code == 200
    assert post(spelled.slug, "merge", {"into": unicef.slug}).status_code == 200
    assert find_organisation(session, fund.slug).id == unicef.id  # fund → spelled → unicef
    assert client.get(f"/api/v1/initiatives/{boreholes.id}").get_json()["organisation"]["slug"] == unicef.slug
    assert post(fund.slug, "merge", {"into": unicef.slug}).status_code == 409  # already merged
    refused = post(fund.slug, "unmerge", {})
    assert refused.status_code == 409 and spelled.slug in refused.get_json()["error"]["message"] + str(
        refused.get_json()["error"]["fields"])
    assert post(spelled.slug, "unmerge", {}).status_code == 200
    assert post(fund.slug, "unmerge", {}).status_code == 200
    assert client.get(f"/api/v1/initiatives/{boreholes.id}").get_json()["organisation"]["slug"] == fund.slug


def test_work_registered_for_the_merged_organisation_stays_with_it_after_an_unmerge(session, client):
    unicef, fund, _wells, _boreholes = two_records(session)
    fund_member = make_token(session, fund, role="member")
    coordinator = make_token(session, role="coordinator")
    client.post(f"/api/v1/organisations/{fund.slug}/merge", headers=bearer(coordinator), json={"into": unicef.slug})
    later = client.post("/api/v1/initiatives", headers=bearer(fund_member),
                        json=initiative_data(title="Cholera response in Kisumu"))
    assert later.status_code == 201 and later.get_json()["organisation"]["slug"] == unicef.slug
    client.post(f"/api/v1/organisations/{fund.slug}/unmerge", headers=bearer(coordinator), json={})
    assert client.get(f"/api/v1/initiatives/{later.get_json()['id']}").get_json()["organisation"]["slug"] == unicef.slug
