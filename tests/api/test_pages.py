"""The web pages through the test client: every page renders, escapes, and respects visibility."""
from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from api.extensions import db
from coordination.models import Initiative, User

from ..factories import make_initiative, make_organisation


def csrf_of(html: str) -> str:
    """The CSRF token embedded in a rendered form."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class MailLog(logging.Handler):
    """The messages the app writes to its log instead of sending them (no SMTP_HOST configured)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        if record.getMessage().startswith("E-mail not sent"):
            self.messages.append(record.getMessage())


@contextmanager
def mail_log(app):
    """Collect the e-mails the app logs while the block runs."""
    handler = MailLog()
    app.logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        app.logger.removeHandler(handler)


def confirmation_link(text: str) -> str:
    """The sign-up link in an e-mail, as a path the test client can follow."""
    return urlsplit(re.search(r"https?://\S+/signup/confirm/\S+", text).group(0)).path


def post_sign_up(client, email="amina@example.org", org="Kisumu Water Friends", password="correct horse battery",
                 host=None):
    """Post the sign-up form; returns the response and the e-mails logged meanwhile."""
    headers = {"Host": host} if host else None
    token = csrf_of(client.get("/signup", headers=headers).get_data(as_text=True))
    with mail_log(client.application) as messages:
        response = client.post("/signup", data={"csrf_token": token, "organisation_name": org,
                                                "organisation_type": "22", "country": "KE", "email": email,
                                                "password": password}, headers=headers)
    return response, messages


def sign_up(client, email="amina@example.org", org="Kisumu Water Friends"):
    """Sign up through the form and follow the link of the e-mail; returns the response of the link."""
    response, messages = post_sign_up(client, email, org)
    assert response.status_code == 200 and "Check your e-mail" in response.get_data(as_text=True)
    [message] = messages
    assert f"to {email.strip().lower()}:" in message
    return client.get(confirmation_link(message))


@pytest.fixture
def seeded(session):
    """Two organisations with public, private and sensitive initiatives."""
    a = make_organisation(session, name="Water <b>Aid</b> Kenya")
    b = make_organisation(session, name="Lake Basin Partners", type="10")
    public = make_initiative(session, a, title="Wells <script>alert(1)</script>",
                             partners=[{"organisation": b.slug, "role": "funding"}])
    private = make_initiative(session, a, title="Private plan", visibility="private")
    sensitive = make_initiative(session, b, title="Shelter work", public_precision="country",
                                locations=[{"name": "Safe house", "country": "KE", "admin1": "Kisumu",
                                            "lat": -0.05, "lon": 34.7}])
    return {"a": a, "b": b, "public": public, "private": private, "sensitive": sensitive}


def test_map_page_has_no_external_asset_and_the_filters_from_the_url(client, seeded):
    html = client.get("/?goal=6&country=KE").get_data(as_text=True)
    assert "folium-map" in html and "/static/vendor/leaflet/leaflet.js" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert 'value="6" selected' in html and 'value="KE" selected' in html


def test_map_page_adds_the_tile_layer_only_when_configured(app, client, seeded):
    assert "tileLayer" not in client.get("/").get_data(as_text=True)
    app.config["MAP_TILE_URL"] = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    assert "tileLayer" in client.get("/").get_data(as_text=True)


def test_geojson_clusters_at_world_zoom_and_splits_when_zoomed_in(client, seeded):
    world = client.get("/map/initiatives.geojson?zoom=2").get_json()
    assert world["meta"]["initiatives"] == 2  # the private one is not public
    near = make_initiative(db.session, seeded["b"], title="Latrines nearby")
    world = client.get("/map/initiatives.geojson?zoom=2").get_json()
    cluster = [f["properties"] for f in world["features"] if f["properties"].get("cluster")]
    assert [c["count"] for c in cluster] == [2] and "title" not in cluster[0]
    assert near.id
    city = client.get("/map/initiatives.geojson?zoom=17&bbox=34.76,-0.095,34.775,-0.085").get_json()
    titles = {f["properties"]["title"] for f in city["features"]}
    assert titles == {"Wells <script>alert(1)</script>", "Latrines nearby"}
    wells = next(f for f in city["features"] if f["properties"]["title"].startswith("Wells"))
    assert wells["properties"]["url"] == f"/initiatives/{seeded['public'].id}"
    assert wells["properties"]["goals"] == ["6.1"] and wells["properties"]["organisation"] == "Water <b>Aid</b> Kenya"


def test_geojson_never_sends_the_exact_point_of_sensitive_work_to_the_public(client, seeded):
    data = client.get("/map/initiatives.geojson?zoom=18&bbox=34.69,-0.06,34.71,-0.04").get_json()
    assert data["features"] == []  # a tiny box around the real place finds nothing
    everywhere = client.get("/map/initiatives.geojson?zoom=18&bbox=-180,-90,180,90").get_json()
    shelter = [f for f in everywhere["features"] if f["properties"].get("title") == "Shelter work"]
    assert shelter and shelter[0]["properties"]["approximate"] is True
    assert shelter[0]["geometry"]["coordinates"] != [34.7, -0.05]


def test_geojson_filters_and_reports_bad_filters_in_the_one_error_shape(client, seeded):
    assert client.get("/map/initiatives.geojson?organisation=lake-basin-partners").get_json()["meta"]["initiatives"] == 2
    assert client.get("/map/initiatives.geojson?goal=2").get_json()["meta"]["initiatives"] == 0
    bad = client.get("/map/initiatives.geojson?year=abc")
    assert bad.status_code == 400 and bad.get_json()["error"]["fields"]["year"]


def test_countries_layer_is_served_gzipped(client):
    response = client.get("/map/countries.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"


def test_areas_count_initiatives_and_organisations_per_country(client, seeded):
    data = client.get("/map/areas.json?goal=6").get_json()
    assert data["countries"]["KE"] == {"initiatives": 2, "organisations": 2, "effective_actors": 2.0}


def test_goal_browser_counts_and_goal_page(client, seeded):
    html = client.get("/goals").get_data(as_text=True)
    assert "Clean Water" in html or "6 ·" in html
    assert "2 initiatives" in html
    page = client.get("/goals/6").get_data(as_text=True)
    assert "Fragmentation by country" in page and "Lake Basin Partners" in page
    assert "Convergence groups" in page
    assert client.get("/goals/99").status_code == 404


def test_initiative_page_escapes_text_and_hides_private_work(client, seeded):
    html = client.get(f"/initiatives/{seeded['public'].id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "Lake Basin Partners" in html and "History" in html
    assert client.get(f"/initiatives/{seeded['private'].id}").status_code == 404


def test_initiative_page_coarsens_sensitive_places(client, seeded):
    html = client.get(f"/initiatives/{seeded['sensitive'].id}").get_data(as_text=True)
    assert "Safe house" not in html and "34.7" not in html and "country level" in html


def test_organisation_pages(client, seeded):
    assert "Lake Basin Partners" in client.get("/organisations").get_data(as_text=True)
    html = client.get(f"/organisations/{seeded['a'].slug}").get_data(as_text=True)
    assert "Water &lt;b&gt;Aid&lt;/b&gt; Kenya" in html and "<svg" in html
    assert "Private plan" not in html


def test_groups_and_inbox_show_empty_states(client, seeded):
    assert "Convergence groups" in client.get("/groups").get_data(as_text=True)
    assert client.get("/inbox").status_code == 302
    sign_up(client)
    assert "Overlap inbox" in client.get("/inbox").get_data(as_text=True)


def test_sign_up_creates_an_unverified_organisation_and_its_admin(client):
    response = sign_up(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/initiatives/new")
    user = db.session.query(User).one()
    assert user.role == "admin" and not user.organisation.verified
    assert user.password_hash.startswith("$argon2")


def test_sign_up_shows_errors_next_to_the_fields(client):
    token = csrf_of(client.get("/signup").get_data(as_text=True))
    response = client.post("/signup", data={"csrf_token": token, "organisation_name": "", "email": "nope",
                                            "password": "short"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="err-email"' in html and 'id="err-password"' in html and 'id="err-organisation_name"' in html


def test_posts_without_the_csrf_token_are_refused(client):
    response = client.post("/signup", data={"organisation_name": "X", "email": "a@b.org", "password": "x" * 12})
    assert response.status_code == 400 and db.session.query(User).count() == 0


def test_sign_in_and_out(client):
    sign_up(client)
    client.post("/signout", data={"csrf_token": csrf_of(client.get("/").get_data(as_text=True))})
    assert client.get("/initiatives/new").status_code == 302
    token = csrf_of(client.get("/signin").get_data(as_text=True))
    bad = client.post("/signin", data={"csrf_token": token, "email": "amina@example.org", "password": "wrong one!!"})
    assert bad.status_code == 401
    good = client.post("/signin?next=/inbox", data={"csrf_token": token, "email": "AMINA@example.org",
                                                    "password": "correct horse battery"})
    assert good.status_code == 302 and good.headers["Location"] == "/inbox"


def test_register_shows_similar_initiatives_before_saving(client, seeded):
    sign_up(client)
    html = client.get("/initiatives/new").get_data(as_text=True)
    form = {"csrf_token": csrf_of(html), "title": "Borehole repairs in Kisumu", "description": "Hand pumps.",
            "goals": ["6.1"], "tags": "WASH, boreholes", "loc-0-name": "Kisumu", "loc-0-country": "KE",
            "loc-0-lat": "-0.1", "loc-0-lon": "34.75", "start": "2025-02-01", "status": "implementation",
            "visibility": "public", "public_precision": "exact"}
    first = client.post("/initiatives/new", data=form)
    assert first.status_code == 200 and "Similar initiatives already registered nearby" in first.get_data(as_text=True)
    assert "Wells &lt;script&gt;" in first.get_data(as_text=True)
    assert db.session.query(Initiative).filter_by(title="Borehole repairs in Kisumu").count() == 0
    saved = client.post("/initiatives/new", data={**form, "similar_seen": "1"})
    assert saved.status_code == 302
    created = db.session.query(Initiative).filter_by(title="Borehole repairs in Kisumu").one()
    assert created.provenance == "web form" and [t.label for t in created.tag_links] == ["WASH", "boreholes"]
    assert created.locations[0].lat == -0.1


def test_register_shows_validation_errors_next_to_fields(client):
    sign_up(client)
    token = csrf_of(client.get("/initiatives/new").get_data(as_text=True))
    response = client.post("/initiatives/new", data={"csrf_token": token, "title": "", "goals": ["6.1"],
                                                     "loc-0-name": "X", "loc-0-lat": "abc", "loc-0-lon": "34",
                                                     "start": "2025-05-01", "end": "2025-01-01"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("err-title", "err-loc-0-lat", "err-end"):
        assert f'id="{field}"' in html
    assert 'value="abc"' in html  # what was typed is kept


def test_edit_refuses_a_stale_form(client, session):
    sign_up(client)
    user = db.session.query(User).one()
    initiative = make_initiative(session, user.organisation)
    html = client.get(f"/initiatives/{initiative.id}/edit").get_data(as_text=True)
    token, version = csrf_of(html), re.search(r'name="version" value="(\d+)"', html).group(1)
    form = {"csrf_token": token, "version": version, "title": "Renamed", "goals": ["6.1"],
            "loc-0-name": "Kisumu", "loc-0-country": "KE"}
    assert client.post(f"/initiatives/{initiative.id}/edit", data=form).status_code == 302
    stale = client.post(f"/initiatives/{initiative.id}/edit", data={**form, "title": "Again"})
    assert stale.status_code == 409 and "changed meanwhile" in stale.get_data(as_text=True)


def test_others_cannot_edit(client, seeded):
    sign_up(client)
    assert client.get(f"/initiatives/{seeded['public'].id}/edit").status_code == 403


def test_admin_adds_members_and_tokens(client):
    sign_up(client)
    token = csrf_of(client.get("/account").get_data(as_text=True))
    assert client.post("/account/members", data={"csrf_token": token, "email": "joe@example.org",
                                                  "password": "another long one", "role": "member"}).status_code == 302
    created = client.post("/account/tokens", data={"csrf_token": token, "label": "sync", "role": "member"})
    plaintext = re.search(r'<code id="new-token">([^<]+)</code>', created.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/initiatives", headers={"Authorization": f"Bearer {plaintext}"}).status_code == 200
    assert "joe@example.org" in client.get("/account").get_data(as_text=True)


def test_form_helpers_answer_json(client, seeded):
    assert client.get("/pages-api/suggest?title=Boreholes+for+safe+drinking+water").status_code == 200
    places = client.get("/pages-api/geocode?q=Kisumu").get_json()
    assert places["available"] is True  # the gazetteer ships with the platform and works offline
    assert places["items"][0]["country"] == "KE"
    similar = client.get("/pages-api/similar?goals=6&country=KE").get_json()["items"]
    assert {s["title"] for s in similar} == {"Wells <script>alert(1)</script>", "Shelter work"}


def test_initiative_page_says_what_kind_of_work_was_read_from_its_text(client, session):
    org = make_organisation(session, name="Nyalenda Sanitation Group")
    latrines = make_initiative(session, org, title="Latrines and handwashing for Nyalenda schools",
                               description="Building latrine blocks with handwashing stations in four schools.")
    vague = make_initiative(session, org, title="Community support in Nyalenda", description="Working with families.")
    html = client.get(f"/initiatives/{latrines.id}").get_data(as_text=True)
    work = re.search(r'<p id="work">(.*?)</p>', html, re.S).group(1)
    assert "sanitation and sewage" in work and "hygiene kits and promotion" in work and "water supply" not in work
    html = client.get(f"/initiatives/{vague.id}").get_data(as_text=True)
    assert re.search(r'id="work">No kind of work recognised', html)
