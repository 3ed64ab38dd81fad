"""Non-interference: change what a reader may not see, and nothing that reader can obtain changes.

Two worlds are built on fresh databases, identical in everything public and different in
what is hidden: the private initiative's title, text, place, goals and tags, and the exact
points (and place names) of sensitive work inside their public area. Every door is then
read as anonymous, as another organisation's member and admin, and the answers of the two
worlds must be byte-for-byte equal once timestamps are masked: REST, every root field of
the GraphQL schema walked to depth 3, pages, map GeoJSON, exports, the similar-initiatives
preview, decisions tried on every overlap id, webhook payloads and e-mail digests.
"""
from __future__ import annotations

import difflib
import re
from datetime import timedelta

import pytest
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, get_named_type

from api.extensions import db
from api.graphql.schema import get_schema
from coordination.models import DigestSubscription, Organisation, WebhookDelivery, utcnow
from coordination.permissions import SYSTEM, Actor
from coordination.services.digest import SmtpSettings, compose_digest, pending_notices
from coordination.services.similar import similar_to_draft
from coordination.services.webhook_delivery import _payload

from ..conftest import _make_app
from ..factories import BOREHOLES, WELLS, bearer, initiative_data, make_initiative, make_organisation, make_token

# What differs between the two worlds, all of it hidden from the readers below.
SECRETS = [
    {"private": {**BOREHOLES, "title": "Codeword Nightjar intake", "description": "Nightjar-internal borehole plan",
                 "tags": ["Nightjar tag"], "goals": ["6.1"],
                 "partners": [{"organisation": "kisumu-water-neighbours", "role": "funding"}]},
     "admin_point": ("Safehouse Kondele", -0.0876543, 34.7712345),
     "country_point": ("Safehouse Kilimani", "Nairobi", -1.2876543, 36.8012345)},
    {"private": {"title": "Clinic Omega", "description": "Omega-internal mobile clinic for survivors",
                 "tags": ["Omega tag"], "goals": ["3.8"], "start": "2024-03-01", "end": "2024-09-30",
                 "partners": [{"organisation": "stranger-org", "role": "implementing"}],
                 "locations": [{"name": "Mombasa", "country": "KE", "lat": -4.0435, "lon": 39.6682}]},
     "admin_point": ("Safehouse Nyalenda", -0.1160000, 34.7500000),
     "country_point": ("Safehouse Nyali", "Mombasa", -4.0300000, 39.7100000)},
]
KISUMU_BOX = "34.6,-0.3,35.0,0.1"
NAIROBI_BOX = "36.6,-1.5,37.0,-1.1"


def tiny(lat: float, lon: float) -> str:
    return f"{lon - 0.002},{lat - 0.002},{lon + 0.002},{lat + 0.002}"


def build_world(session, secret: dict) -> dict:
    """Public work of three organisations, sensitive work at the secret points, the private initiative last."""
    owner = make_organisation(session, name="Shelter Alliance")
    neighbour = make_organisation(session, name="Kisumu Water Neighbours")
    stranger = make_organisation(session, name="Stranger Org", type="10")
    world = {"owner": owner.slug, "neighbour": neighbour.slug,
             "member": make_token(session, neighbour), "admin": make_token(session, neighbour, "admin"),
             "stranger": make_token(session, stranger)}
    session.add(DigestSubscription(organisation_id=neighbour.id, contact_email="desk@neighbours.example"))
    from coordination.services.notify import create_webhook
    create_webhook(session, SYSTEM, neighbour.id, {"url": "http://127.0.0.1:9/hook", "secret": "s" * 32},
                   allow_private=True)
    make_initiative(session, neighbour, **WELLS)
    make_initiative(session, neighbour, title="Water kiosks in Nairobi", description="Kiosks selling safe water.",
                    locations=[{"name": "Nairobi", "country": "KE", "lat": -1.29, "lon": 36.82}])
    make_initiative(session, stranger, **BOREHOLES)
    name, lat, lon = secret["admin_point"]
    make_initiative(session, owner, title="Shelter water support", public_precision="admin",
                    description=WELLS["description"],
                    locations=[{"name": name, "country": "KE", "lat": lat, "lon": lon}])
    name, _area, lat, lon = secret["country_point"]
    make_initiative(session, owner, title="Shelter support, national", public_precision="country",
                    description="Water points in shelters across the country.",
                    locations=[{"name": name, "country": "KE", "lat": lat, "lon": lon}])
    make_initiative(session, owner, visibility="private", **secret["private"])
    session.commit()
    return world


def graphql_walk(depth: int = 3) -> list[str]:
    """One query per root field, selecting every field reachable within `depth` levels."""
    schema = get_schema().graphql_schema
    args = {"first": "100", "id": '"1"', "slug": '"shelter-alliance"', "code": '"6"', "goal": '"6"',
            "area": '"KE"', "areaLevel": '"admin1"', "title": '"Repairing wells in Kisumu"', "group": "[]"}

    def selection(type_, level: int) -> str:
        named = get_named_type(type_)
        if not isinstance(named, GraphQLObjectType):
            return ""
        parts = []
        for name, field in named.fields.items():
            inner = get_named_type(field.type)
            if isinstance(inner, GraphQLObjectType):
                if level < depth:
                    sub = selection(field.type, level + 1)
                    if sub:
                        parts.append(f"{name} {sub}")
            else:
                parts.append(name)
        return "{ " + " ".join(parts) + " }" if parts else ""

    queries = []
    for name, field in schema.query_type.fields.items():
        given = [f"{a}: {args[a]}" for a in field.args if a in args
                 and (isinstance(field.args[a].type, GraphQLNonNull) or a in ("first", "goal", "area", "areaLevel"))]
        call = f"{name}({', '.join(given)})" if given else name
        inner = get_named_type(field.type)
        sub = selection(field.type, 1) if isinstance(inner, GraphQLObjectType) else ""
        if isinstance(field.type, GraphQLList) or sub or not isinstance(inner, GraphQLObjectType):
            queries.append(f"{{ {call} {sub} }}")
    return queries


def observe(client, session, world: dict) -> dict[str, str]:
    """Everything the readers can obtain, by door."""
    out: dict[str, str] = {}
    readers = {"anonymous": {}, "member": bearer(world["member"]), "stranger": bearer(world["stranger"]),
               "admin": bearer(world["admin"])}
    boxes = [KISUMU_BOX, NAIROBI_BOX] + [tiny(*s["admin_point"][1:]) for s in SECRETS] + \
        [tiny(*s["country_point"][2:]) for s in SECRETS]
    rest = ["/api/v1/initiatives?first=100", "/api/v1/initiatives?organisation=stranger-org",
            "/api/v1/initiatives?organisation=kisumu-water-neighbours", "/api/v1/organisations/stranger-org",
            "/api/v1/network?organisation=stranger-org", "/api/v1/initiatives?q=Nightjar", "/api/v1/initiatives?q=Omega",
            "/api/v1/overlaps", "/api/v1/inbox", "/api/v1/groups", "/api/v1/network", "/api/v1/tags",
            "/api/v1/organisations", f"/api/v1/organisations/{world['owner']}",
            "/api/v1/fragmentation?country=KE&area_level=admin1", "/api/v1/fragmentation?goal=6&area_level=admin1",
            "/api/v1/fragmentation?goal=3", "/api/v1/webhooks", "/api/v1/notifications/email",
            *[f"/api/v1/initiatives?bbox={b}" for b in boxes], *[f"/api/v1/export/{f}" for f in ("iati", "hxl",
                                                                                                 "geojson", "csv")]]
    for i in range(1, 9):
        rest += [f"/api/v1/initiatives/{i}", f"/api/v1/initiatives/{i}/overlaps", f"/api/v1/initiatives/{i}/history"]
    pages = ["/", "/organisations", "/organisations/stranger-org", "/organisations/kisumu-water-neighbours", f"/organisations/{world['owner']}", "/goals", "/goals/6", "/goals/6.1", "/goals/3",
             "/groups", "/inbox", *[f"/initiatives/{i}" for i in range(1, 9)],
             *[f"/groups/{i}" for i in range(1, 9)], "/groups?goal=6", "/overlaps", "/overlaps?status=all&mine=1",
             "/overlaps?goal=6&country=KE", "/fragmentation?goal=6", "/fragmentation?goal=6&country=KE&level=admin1",
             "/fragmentation?goal=3", "/network", "/network?goal=6&country=KE",
             *[f"/map/initiatives.geojson?zoom={z}" for z in (2, 8, 14)],
             *[f"/map/initiatives.geojson?zoom=18&bbox={b}" for b in boxes],
             *[f"/map/overlaps.geojson?zoom={z}&bbox={b}&layers=overlaps,groups" for z in (12, 18) for b in boxes],
             "/map/areas.json"]
    for who, headers in readers.items():
        for url in rest + pages:
            response = client.get(url, headers=headers)
            assert response.status_code < 500, (who, url)
            out[f"{who} GET {url}"] = f"{response.status_code} {response.get_data(as_text=True)}"
        for query in graphql_walk():
            response = client.post("/graphql", json={"query": query}, headers=headers)
            out[f"{who} {query[:60]}"] = response.get_data(as_text=True)
        for i in range(1, 9):
            query = 'mutation { decideOverlap(id: "%d", status: "suggested") { id initiatives { title } } }' % i
            out[f"{who} decide {i}"] = client.post("/graphql", json={"query": query},
                                                   headers=headers).get_data(as_text=True)
            decision = client.post(f"/api/v1/overlaps/{i}/decision", json={"status": "suggested"}, headers=headers)
            out[f"{who} REST decide {i}"] = f"{decision.status_code} {decision.get_data(as_text=True)}"
    member = Actor(role="member", organisation_id=session.scalar(
        db.select(Organisation.id).where(Organisation.slug == world["neighbour"])), label="member")
    for name, actor in (("anonymous", Actor()), ("member", member)):
        for draft in (initiative_data(**WELLS), initiative_data(**BOREHOLES),
                      initiative_data(title="Shelter water", locations=[{"country": "KE", "admin1": "Nairobi"}])):
            out[f"{name} similar {draft['title']}"] = repr(similar_to_draft(session, actor, draft))
    deliveries = session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
    out["webhooks"] = repr([_payload(d) for d in deliveries])
    sub = session.scalars(db.select(DigestSubscription)).one()
    notices = pending_notices(session, sub, utcnow() + timedelta(minutes=1))
    org = session.get(Organisation, sub.organisation_id)
    digest = compose_digest(org, notices, SmtpSettings(host="localhost"), sub.contact_email, "http://x")
    out["digest"] = digest.get_body(("plain",)).get_content() if notices else "nothing"
    out["inbox read"] = client.post("/api/v1/inbox/read", headers=readers["member"]).get_data(as_text=True)
    return out


_MASKS = [
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(\+00:00|Z)?"), "<time>"),
    (re.compile(r'name="csrf_token" value="[^"]+"'), "<csrf>"),
    (re.compile(r"Date: .*"), "<date>"),
    (re.compile(r'nonce="[^"]+"'), "<nonce>"),
    (re.compile(r"token:cp_[\w-]+@"), "token:<reader's own token>@"),
    (re.compile(r"_[0-9a-f]{32}\b"), "_<folium-id>"),  # folium names each element with a uuid
]


def masked(text: str) -> str:
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_worlds(request, tmp_path, monkeypatch):
    """What the readers obtain in each of the two worlds (each on a fresh database of the backend)."""
    seen = []
    for n, secret in enumerate(SECRETS):
        (tmp_path / f"world{n}").mkdir()
        app = _make_app(request.param, tmp_path / f"world{n}", monkeypatch)
        with app.app_context():
            world = build_world(db.session, secret)
            seen.append({k: masked(v) for k, v in observe(app.test_client(), db.session, world).items()})
            db.session.remove()
            db.engine.dispose()
    return seen


def test_nothing_a_reader_may_not_see_changes_what_the_reader_obtains(two_worlds):
    first, second = two_worlds
    assert first.keys() == second.keys()
    differ = [k for k in first if first[k] != second[k]]
    assert differ == [], "\n\n".join(f"{k}:\n" + "\n".join(list(difflib.unified_diff(
        first[k].splitlines(), second[k].splitlines(), lineterm="", n=0))[2:12]) for k in differ[:12]) + \
        f"\n\n{len(differ)} doors differ: {differ}"


def test_the_worlds_do_differ_for_the_owner_so_the_comparison_can_fail(tmp_path, monkeypatch):
    """The owner's own view of each world shows the secret: the test above compares something real."""
    bodies = []
    for n, secret in enumerate(SECRETS):
        (tmp_path / f"owner{n}").mkdir()
        app = _make_app("sqlite", tmp_path / f"owner{n}", monkeypatch)
        with app.app_context():
            build_world(db.session, secret)
            owner = db.session.scalar(db.select(Organisation).where(Organisation.slug == "shelter-alliance"))
            token = make_token(db.session, owner)
            client = app.test_client()
            bodies.append(client.get("/api/v1/initiatives?first=100", headers=bearer(token)).get_data(as_text=True)
                          + client.get("/api/v1/overlaps", headers=bearer(token)).get_data(as_text=True))
            db.session.remove()
            db.engine.dispose()
    assert "Nightjar" in bodies[0] and "Omega" in bodies[1] and SECRETS[0]["admin_point"][0] in bodies[0]
