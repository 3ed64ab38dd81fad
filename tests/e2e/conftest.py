"""Browser tests: the app served on 127.0.0.1 in a thread, driven by Debian's Chromium via playwright.

They skip when Chromium or playwright is missing — except under CI=true, where they must run.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from api.extensions import db

from ..factories import make_initiative, make_organisation
from ..resources import missing

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium."""
    if not Path(CHROMIUM).exists():
        missing(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def open_page(browser, timeout_ms: int, **context_options):
    """A fresh browser context and page (closed afterwards): a generator for fixtures to yield from."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    yield page
    context.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page, phone-and-laptop friendly viewport."""
    yield from open_page(browser, 15_000, viewport={"width": 1280, "height": 800})


@pytest.fixture
def seeded_app(sqlite_app):
    """The app on SQLite with a few organisations and initiatives around Lake Victoria and Nairobi."""
    s = db.session
    water = make_organisation(s, name="Water Aid Kenya")
    lake = make_organisation(s, name="Lake Basin Partners", type="10")
    food = make_organisation(s, name="Food For All", country="UG")
    make_initiative(s, water, title="Repairing community wells in Kisumu")
    make_initiative(s, lake, title="Borehole rehabilitation, Kisumu County",
                    locations=[{"name": "Kisumu East", "country": "KE", "lat": -0.12, "lon": 34.80}])
    make_initiative(s, water, title="Water kiosks in Nairobi", goals=["6.2"],
                    locations=[{"name": "Nairobi", "country": "KE", "lat": -1.286, "lon": 36.817}])
    make_initiative(s, food, title="School meals in Kampala", goals=["2.1"], tags=["school meals"],
                    locations=[{"name": "Kampala", "country": "UG", "lat": 0.347, "lon": 32.582}])
    make_initiative(s, food, title="Farmer cooperatives in Gulu", goals=["2.3"],
                    locations=[{"name": "Gulu", "country": "UG", "lat": 2.78, "lon": 32.3}])
    s.commit()
    return sqlite_app


@contextmanager
def serving(app):
    """The app served on 127.0.0.1 at a free port, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def live_url(seeded_app):
    """The seeded app served on 127.0.0.1 at a free port."""
    with serving(seeded_app) as url:
        yield url


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots go (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory):
    """The demo data (seed_data/, ~1,450 real initiatives) served on 127.0.0.1, built once per test session.

    Treat it as read-only: tests that write should use `live_url` instead.
    """
    from api import create_app
    from coordination.jobs.seed import load_seed

    from ..backends import sqlite_url

    folder = tmp_path_factory.mktemp("demo")
    previous = os.environ.get("COORDINATION_INSTANCE")
    os.environ["COORDINATION_INSTANCE"] = str(folder / "instance")
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": sqlite_url(folder), "SECRET_KEY": "demo-e2e"})
        with app.app_context():
            load_seed(db.session)
            db.session.remove()
        with serving(app) as url:
            yield url
    finally:
        if previous is None:
            os.environ.pop("COORDINATION_INSTANCE", None)
        else:
            os.environ["COORDINATION_INSTANCE"] = previous
