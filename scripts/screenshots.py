"""Screenshots of every page on the demo data, at 1366 and 390 px wide, with axe-core's verdict on each.

    .venv/bin/python scripts/screenshots.py [--out screenshots/] [--instance /tmp/coordination-shots]

Builds the demo database in the instance folder (once; reused when present), serves it on
127.0.0.1, opens each page in Debian's Chromium and writes `<page>-<width>.png` to the output
folder (not committed). Prints, per page, the serious and critical accessibility violations,
the page weight and whether any request left 127.0.0.1.

Pages an organisation sees (inbox, account, the registration form, its own initiative) are taken
signed in as a demo admin (DEMO_EMAIL) of the organisation with the strongest overlap; the script
creates that account in the demo database when it is missing.
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WIDTHS = ((1366, 768), (390, 844))
DEMO_EMAIL, DEMO_PASSWORD = "screenshots@demo.example", "demo screenshots only"
# (name, path, what to wait for[, signed in])
PAGES = [
    ("map-world", "/", ".leaflet-container"),
    ("map-kisumu", "/?z=12&lat=-0.10&lon=34.76", ".leaflet-container"),
    ("map-kabul", "/?z=12&lat=34.53&lon=69.17", ".leaflet-container"),
    ("goals", "/goals", "main"),
    ("goal-6", "/goals/6", "main"),
    ("groups", "/groups", "main"),
    ("group", None, "main"),  # the first group's page, found on /groups
    ("overlaps", "/overlaps", "main"),
    ("fragmentation", "/fragmentation?goal=2&country=AF&level=admin1", "main"),
    ("network", "/network?country=HN", "main"),
    ("organisations", "/organisations", "main"),
    ("organisation", "/organisations/unicef", "main"),
    ("initiative", None, "main"),  # an initiative with overlaps, found through the API
    ("form", "/initiatives/new", "#initiative-form", True),
    ("inbox", "/inbox", "main", True),
    ("account", "/account", "main", True),
    ("initiative-own", None, "main", True),  # the demo admin's initiative with the strongest overlap
    ("signup", "/signup", "main"),
    ("signin", "/signin", "main"),
    ("api-docs", "/api/v1/docs", "main"),
]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def demo_app(instance: Path):
    """The app on the demo database in `instance` (built on first use)."""
    os.environ["COORDINATION_INSTANCE"] = str(instance)
    from api import create_app
    from api.cli_setup import init_database
    from api.extensions import db
    from coordination.jobs.seed import load_seed
    from coordination.models import Initiative

    app = create_app()
    with app.app_context():
        init_database()
        if db.session.query(Initiative).count() == 0:
            print("Loading the demo data (about a minute)...", file=sys.stderr)
            load_seed(db.session)
        db.session.remove()
    return app


def demo_user(app) -> str:
    """A demo admin (DEMO_EMAIL) of the organisation with the strongest overlap; its initiative's path."""
    from sqlalchemy import select

    from api.extensions import db
    from coordination.models import Initiative, Organisation, Overlap, User
    from coordination.permissions import SYSTEM
    from coordination.services.accounts import add_member

    with app.app_context():
        best = db.session.scalars(select(Overlap).where(Overlap.active.is_(True))
                                  .order_by(Overlap.score.desc(), Overlap.id).limit(1)).first()
        own = db.session.get(Initiative, best.initiative_a_id) if best else None
        user = db.session.scalar(select(User).where(User.email == DEMO_EMAIL))
        if user is None:
            org = own.organisation if own else db.session.scalars(select(Organisation).limit(1)).first()
            add_member(db.session, SYSTEM, org, {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "role": "admin"})
            db.session.commit()  # this script is its own door
        elif own is not None and user.organisation_id != own.organisation_id:
            own = db.session.scalars(select(Initiative).where(Initiative.organisation_id == user.organisation_id)
                                     .limit(1)).first()
        path = f"/initiatives/{own.id}" if own else "/"
        db.session.remove()
    return path


def sign_in(page, base: str) -> None:
    """Sign the page's browser context in as the demo admin."""
    page.goto(base + "/signin")
    page.get_by_label("E-mail").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    if "/signin" in page.url:
        raise SystemExit("could not sign in the demo admin: " + page.inner_text("main")[:300])


def serve(app) -> str:
    """Serve in a daemon thread; the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def _size(response) -> int:
    """Bytes sent for a successful GET (basemap tiles excluded: the page weight is without them)."""
    if not response.ok or response.request.method != "GET" or "/basemap/" in response.url:
        return 0
    try:
        return response.request.sizes()["responseBodySize"]  # as sent over the wire (compressed)
    except Exception:  # noqa: BLE001 - a redirect or a closed page has no body to count
        return 0


def resolve_paths(page, base: str) -> dict[str, str]:
    """Paths of the pages that depend on the data: a group and an initiative with overlaps."""
    found = {}
    page.goto(base + "/groups")
    link = page.locator("main a[href^='/groups/']").first
    found["group"] = link.get_attribute("href") if link.count() else "/groups"
    overlaps = page.request.get(base + "/api/v1/overlaps?first=1").json()["items"]
    found["initiative"] = f"/initiatives/{overlaps[0]['initiatives'][0]['id']}" if overlaps else "/"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--instance", type=Path, default=Path("/tmp/coordination-shots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = demo_app(args.instance)
    own_initiative = demo_user(app)
    base = serve(app)
    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    from axe import axe_violations
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        dynamic = resolve_paths(browser.new_page(), base)
        dynamic["initiative-own"] = own_initiative
        print(f"{'page':<15} {'width':>5}  {'KB':>6}  {'outside':>7}  axe (serious/critical)")
        for name, path, ready, *signed in PAGES:
            path = path or dynamic[name]
            for width, height in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                if signed:
                    sign_in(page, base)
                    cdp = context.new_cdp_session(page)  # weigh the page as on a first visit
                    cdp.send("Network.clearBrowserCache")
                    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                sizes, outside = [], []
                page.on("response", lambda r: sizes.append(_size(r)))
                page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base, "data:")) else None)
                page.goto(base + path, wait_until="networkidle")
                page.wait_for_selector(ready)
                page.wait_for_timeout(800)
                shot = args.out / f"{name}-{width}.png"
                page.screenshot(path=str(shot), full_page=width < 500)
                violations = axe_violations(page)
                summary = ", ".join(f"{v['id']} ({v['impact']})" for v in violations) or "none"
                print(f"{name:<15} {width:>5}  {sum(sizes) / 1024:>6.0f}  {len(outside):>7}  {summary}")
                context.close()
        browser.close()
    print(f"\nScreenshots in {args.out}/")


if __name__ == "__main__":
    main()
