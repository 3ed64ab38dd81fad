"""Every door, walked as anonymous and as another organisation: no private title, no exact sensitive place."""
from __future__ import annotations

import re

import pytest

from ..factories import bearer, make_initiative, make_organisation, make_token, recompute

PRIVATE_TITLE = "Confidential shelter network Zeta"
PRIVATE_TEXT = "Zeta-internal description"
SECRET_NAMES = ("Safehouse Kondele", "Safehouse Kilimani")
# (lat, lon) of the private initiative and of the two public ones shown at admin / country precision.
SECRET_POINTS = ((-0.1034567, 34.7654321), (-0.0876543, 34.7712345), (-1.2876543, 36.8012345))
NUMBER = re.compile(r"-?\d+\.\d+")

OVERLAP_FIELDS = "id explanation initiatives { id title description locations { name lat lon } }"
GRAPHQL = [
    "{ initiatives(first: 100) { edges { node { id title description locations { name lat lon } "
    "overlaps { " + OVERLAP_FIELDS + " } } } } }",
    "{ overlaps(first: 100) { edges { node { " + OVERLAP_FIELDS + " } } } }",
    "{ convergenceGroups { sharedGoals countries initiatives { id title locations { name lat lon } } } }",
]


@pytest.fixture
def world(session):
    """An NGO with one private and two sensitive public initiatives, and a neighbour whose work overlaps."""
    owner = make_organisation(session, name="Shelter Alliance")
    neighbour = make_organisation(session, name="Kisumu Water Neighbours")
    private = make_initiative(session, owner, title=PRIVATE_TITLE, description=PRIVATE_TEXT, visibility="private",
                              locations=[{"name": "Kisumu", "country": "KE",
                                          "lat": SECRET_POINTS[0][0], "lon": SECRET_POINTS[0][1]}])
    admin = make_initiative(session, owner, title="Shelter support Kisumu", public_precision="admin",
                            locations=[{"name": SECRET_NAMES[0], "country": "KE",
                                        "lat": SECRET_POINTS[1][0], "lon": SECRET_POINTS[1][1]}])
    country = make_initiative(session, owner, title="Shelter support Nairobi", public_precision="country",
                              locations=[{"name": SECRET_NAMES[1], "country": "KE",
                                          "lat": SECRET_POINTS[2][0], "lon": SECRET_POINTS[2][1]}])
    make_initiative(session, neighbour)
    make_initiative(session, neighbour, title="Water kiosks in Nairobi",
                    locations=[{"name": "Nairobi", "country": "KE", "lat": -1.29, "lon": 36.82}])
    recompute(session)
    session.commit()
    return {"owner": owner, "neighbour": neighbour, "private": private.id, "admin": admin.id,
            "country": country.id, "token": make_token(session, neighbour)}


def leaks(text: str) -> list[str]:
    """What a response body gives away: the private title or text, a secret place name or point."""
    found = [s for s in (PRIVATE_TITLE, PRIVATE_TEXT, *SECRET_NAMES) if s in text]
    numbers = [float(n) for n in NUMBER.findall(text)]
    for lat, lon in SECRET_POINTS:
        found += [f"lat {n}" for n in numbers if abs(n - lat) < 5e-4]
        found += [f"lon {n}" for n in numbers if abs(n - lon) < 5e-4]
    return found


def doors(world) -> list[tuple[str, str, dict | None]]:
    """(method, url, json) of every read a stranger can try."""
    slug = world["owner"].slug
    rest = ["/api/v1/initiatives?first=100", "/api/v1/initiatives?q=Zeta", "/api/v1/overlaps",
            "/api/v1/inbox", "/api/v1/groups", "/api/v1/network", f"/api/v1/organisations/{slug}",
            *[f"/api/v1/export/{fmt}" for fmt in ("iati", "hxl", "geojson", "csv")]]
    for key in ("private", "admin", "country"):
        rest += [f"/api/v1/initiatives/{world[key]}", f"/api/v1/initiatives/{world[key]}/overlaps",
                 f"/api/v1/initiatives/{world[key]}/history", f"/initiatives/{world[key]}"]
    pages = ["/", f"/organisations/{slug}", "/goals/6", "/goals/6.1", "/groups",
             *[f"/map/initiatives.geojson?zoom={z}" for z in (2, 8, 14, 18)],
             "/map/initiatives.geojson?zoom=18&bbox=34.7,-0.2,34.9,0",
             *[f"/map/overlaps.geojson?zoom={z}&bbox=34.7,-0.2,34.9,0" for z in (9, 14, 18)],
             "/map/overlaps.geojson?zoom=14&bbox=34.7,-0.2,34.9,0&layers=overlaps,groups"]
    graphql = [("POST", "/graphql", {"query": q}) for q in GRAPHQL]
    graphql += [("POST", "/graphql", {"query": "query($id: ID!) { initiative(id: $id) { title description "
                                               "locations { name lat lon } } }", "variables": {"id": world[k]}})
                for k in ("private", "admin", "country")]
    return [("GET", url, None) for url in rest + pages] + graphql


def test_strangers_never_see_private_initiatives_or_exact_sensitive_places(client, world):
    problems = {}
    for who, headers in (("anonymous", {}), ("another organisation", bearer(world["token"]))):
        for method, url, body in doors(world):
            response = client.open(url, method=method, json=body, headers=headers)
            assert response.status_code < 500, (who, url, response.get_data(as_text=True)[:300])
            found = leaks(response.get_data(as_text=True))
            if found:
                problems[f"{who} {url} {body['query'][:40] if body else ''}"] = found
    assert problems == {}, "\n".join(f"{door}: {found}" for door, found in problems.items())


def test_the_owner_does_see_them_so_the_walk_can_find_a_leak(client, session, world):
    token = make_token(session, world["owner"])
    body = client.get(f"/api/v1/initiatives/{world['private']}", headers=bearer(token)).get_data(as_text=True)
    assert PRIVATE_TITLE in body and leaks(body)
    admin = client.get(f"/api/v1/initiatives/{world['admin']}", headers=bearer(token)).get_data(as_text=True)
    assert SECRET_NAMES[0] in admin
