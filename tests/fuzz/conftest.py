"""One app per fuzz module, on a fresh SQLite (or PostgreSQL) database with a little data and tokens for each role."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from api import create_app
from api.extensions import db
from coordination.models import Tag
from coordination.permissions import SYSTEM
from coordination.services import digest, notify, tag_curation, webhook_transport
from coordination.services.initiatives import withdraw_initiative
from coordination.tagging import normalise_tag

from ..backends import postgres_url, reset_postgres, sqlite_url
from ..factories import in_unit_of_work, make_initiative, make_organisation, make_token


def _fuzz_app(folder, url: str):
    """The app with two organisations, initiatives (one private, one withdrawn, one with suggested goals),
    an overlap, webhooks, a digest address, a tag merge, and tokens: member, organisation admin,
    coordinator and platform admin. `FUZZ_TARGETS` names things that exist, for path parameters.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COORDINATION_INSTANCE", str(folder / "instance"))
        # The fuzzers send thousands of requests a minute from one address: no rate limits here.
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "fuzz-secret",
                          "RATE_LIMIT_ENABLED": False})
    with app.app_context():
        wells = make_organisation(db.session, name="Lake Basin Wells")
        other = make_organisation(db.session, name="Nyanza Water Trust")
        public = make_initiative(db.session, wells, tags=["WASH", "Water supply", "Drinking water"])
        make_initiative(db.session, other, title="Borehole drilling near Kisumu")
        make_initiative(db.session, wells, title="Private pilot", visibility="private")
        withdrawn = make_initiative(db.session, wells, title="Withdrawn well repairs in Siaya")
        in_unit_of_work(db.session, withdraw_initiative, SYSTEM, withdrawn.id)
        suggested = make_initiative(
            db.session, wells, goals=[], title="Drinking water supply: boreholes, hand pumps and water point repairs",
            description="Rehabilitating boreholes and hand pumps so that rural households have safe drinking water.")
        hook, doomed = (notify.create_webhook(db.session, SYSTEM, wells.id, {"url": f"http://127.0.0.1:9/{name}"},
                                              allow_private=True)[0] for name in ("hook", "doomed"))
        digest.set_contact_email(db.session, SYSTEM, wells.id, "alerts@wells.example")
        keys = {label: normalise_tag(label) for label in ("WASH", "Water supply", "Drinking water")}
        assert set(keys.values()) <= set(db.session.scalars(select(Tag.key)))
        merge = in_unit_of_work(db.session, tag_curation.merge_tags, SYSTEM, [keys["Water supply"]], keys["Drinking water"])
        app.config.update(
            FUZZ_TOKEN=make_token(db.session, wells),
            FUZZ_ADMIN_TOKEN=make_token(db.session, wells, "admin"),
            FUZZ_COORDINATOR_TOKEN=make_token(db.session, None, "coordinator"),
            FUZZ_PLATFORM_TOKEN=make_token(db.session, None, "admin"),
            FUZZ_TARGETS={"initiative_id": public.id, "withdrawn_id": withdrawn.id, "suggested_id": suggested.id,
                          "suggested_code": suggested.goal_links[0].goal.code if suggested.goal_links else "6",
                          "slug": other.slug, "webhook_id": hook.id, "doomed_webhook_id": doomed.id,
                          "merge_id": merge.id, "tag_key": keys["WASH"]})
        db.session.remove()
    return app


def _serve(app):
    """Yield the app with webhook test events going nowhere (the fuzzer registers arbitrary URLs)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(webhook_transport, "post", lambda url, body, headers, timeout, *pinned: 204)
        yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    """The fuzz data set on a fresh SQLite database."""
    folder = tmp_path_factory.mktemp("fuzz")
    yield from _serve(_fuzz_app(folder, sqlite_url(folder)))


@pytest.fixture(scope="module")
def fuzz_app_pg(tmp_path_factory):
    """The fuzz data set on PostgreSQL (text limits and NUL characters only fail there)."""
    url = postgres_url()
    reset_postgres(url)
    yield from _serve(_fuzz_app(tmp_path_factory.mktemp("fuzz-pg"), url))
