"""One app per fuzz module, on a fresh SQLite database with a little data and a member token."""
from __future__ import annotations

import pytest

from api import create_app
from api.extensions import db

from ..backends import sqlite_url
from ..factories import make_initiative, make_organisation, make_token


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    """The app with two organisations, three initiatives (one private) and a member token."""
    folder = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COORDINATION_INSTANCE", str(folder / "instance"))
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sqlite_url(folder),
                          "SECRET_KEY": "fuzz-secret"})
    with app.app_context():
        wells = make_organisation(db.session, name="Lake Basin Wells")
        other = make_organisation(db.session, name="Nyanza Water Trust")
        make_initiative(db.session, wells)
        make_initiative(db.session, other, title="Borehole drilling near Kisumu")
        make_initiative(db.session, wells, title="Private pilot", visibility="private")
        app.config["FUZZ_TOKEN"] = make_token(db.session, wells)
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
