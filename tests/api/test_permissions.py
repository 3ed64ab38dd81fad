"""Every write × every role: the service layer allows and refuses the same way through REST."""
from __future__ import annotations

import pytest

from ..factories import bearer, initiative_data, make_initiative, make_organisation, make_token

ROLES = ["anonymous", "member", "admin", "other_member", "other_admin", "coordinator", "platform_admin"]
# Expected status per write for each role.
MATRIX = {
    "register":        [401, 201, 201, 201, 201, 400, 400],  # for the token's own organisation; platform tokens must name one
    "register_for":    [401, 201, 201, 403, 403, 403, 201],  # names the owning organisation explicitly
    "update":          [401, 200, 200, 403, 403, 403, 200],
    "withdraw":        [401, 200, 200, 403, 403, 403, 200],
    "create_org":      [401, 403, 403, 403, 403, 201, 201],
    "create_vision":   [401, 403, 403, 403, 403, 201, 201],
    "verify_org":      [401, 403, 403, 403, 403, 200, 200],
}


@pytest.fixture
def world(session):
    org, other = make_organisation(session), make_organisation(session)
    tokens = {
        "anonymous": None,
        "member": make_token(session, org, "member"), "admin": make_token(session, org, "admin"),
        "other_member": make_token(session, other, "member"), "other_admin": make_token(session, other, "admin"),
        "coordinator": make_token(session, None, "coordinator"),
        "platform_admin": make_token(session, None, "admin"),
    }
    return org, tokens


def _write(client, session, org, write, headers):
    if write == "register":
        return client.post("/api/v1/initiatives", json=initiative_data(), headers=headers)
    if write == "register_for":
        return client.post("/api/v1/initiatives", json=initiative_data(organisation=org.slug), headers=headers)
    if write in ("update", "withdraw"):
        target = make_initiative(session, org)
        url = f"/api/v1/initiatives/{target.id}"
        return (client.patch(url, json={"title": "Changed"}, headers=headers) if write == "update"
                else client.delete(url, headers=headers))
    if write == "create_org":
        return client.post("/api/v1/organisations", json={"name": "New NGO", "type": "22"}, headers=headers)
    if write == "create_vision":
        return client.post("/api/v1/visions", headers=headers, json={
            "name": "Kisumu water coalition", "goals": [{"code": "W1", "title": "Safe wells", "sdg_code": "6.1"}]})
    if write == "verify_org":
        return client.post(f"/api/v1/organisations/{org.slug}/verify", headers=headers)
    raise AssertionError(write)


@pytest.mark.parametrize("write", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_every_write_is_allowed_or_refused_by_role(client, session, world, write, role):
    org, tokens = world
    headers = bearer(tokens[role]) if tokens[role] else {}
    response = _write(client, session, org, write, headers)
    expected = MATRIX[write][ROLES.index(role)]
    assert response.status_code == expected, (write, role, response.get_json())
    if expected >= 400:
        assert response.get_json()["error"]["code"] in (
            "unauthorized", "forbidden", "validation_error")


def test_a_refused_edit_leaves_the_initiative_unchanged(client, session, world):
    org, tokens = world
    target = make_initiative(session, org)
    client.patch(f"/api/v1/initiatives/{target.id}", json={"title": "Hijacked"},
                 headers=bearer(tokens["other_admin"]))
    assert client.get(f"/api/v1/initiatives/{target.id}").get_json()["title"] == target.title


def test_a_revoked_token_no_longer_works(client, session, world):
    from coordination.models import ApiToken
    from coordination.permissions import SYSTEM
    from coordination.services.tokens import revoke_token

    org, tokens = world
    token_row = session.query(ApiToken).filter_by(role="member", organisation_id=org.id).one()
    revoke_token(session, SYSTEM, token_row.id)
    session.commit()
    response = client.post("/api/v1/initiatives", json=initiative_data(), headers=bearer(tokens["member"]))
    assert response.status_code == 401
