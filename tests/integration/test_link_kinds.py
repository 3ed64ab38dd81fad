"""Link kinds on real files: a funder's and its implementer's IATI reports are one effort reported
twice (no notice, "also reported by"); 3W presence rows make no pairs (co-presence)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select

from coordination.convergence import find_all_overlaps
from coordination.models import Initiative, Overlap, OverlapNotice
from coordination.services.stored_records import live_records

from ..factories import recompute


DATA = Path(__file__).resolve().parents[1] / "data"
FUNDER = DATA / "links" / "fcdo_h2h_covid_input_dportal_excerpt.xml"  # GB-GOV-1-301150-117
IMPLEMENTER = DATA / "links" / "drc_h2h_dportal_15_excerpt.xml"  # names the funder's activity
PRESENCE = DATA / "real" / "hxl" / "afghanistan_3w_operational_presence_january_march_2024_excerpt.csv"


def _import(runner, kind: str, path: Path) -> None:
    result = runner.invoke(args=["import", kind, "--quiet", str(path)])
    assert result.exit_code == 0, result.output


def _stored(session) -> list[tuple]:
    rows = session.scalars(select(Overlap).order_by(Overlap.initiative_a_id, Overlap.initiative_b_id))
    return [(r.initiative_a_id, r.initiative_b_id, r.kind, r.score, r.active, r.explanation) for r in rows]


def _notices(session) -> int:
    return session.scalar(select(func.count(OverlapNotice.id)))


def test_a_funder_and_its_implementer_report_one_effort_twice_and_nobody_is_notified(runner, session, client):
    _import(runner, "iati", FUNDER)
    _import(runner, "iati", IMPLEMENTER)  # found on write, against the funder's record
    [(_, _, kind, _, active, explanation)] = incremental = _stored(session)
    assert (kind, active) == ("duplicate", True)
    assert explanation.startswith(
        "Same effort reported twice (one report names the other's IATI activity GB-GOV-1-301150-117): ")
    assert "% similar" in explanation and _notices(session) == 0
    recompute(session)
    assert _stored(session) == incremental and _notices(session) == 0

    listed = client.get("/api/v1/overlaps?kind=duplicate").get_json()["items"]
    assert [item["kind_text"] for item in listed] == [
        "The same effort reported twice: by Foreign, Commonwealth and Development Office and by Danish Refugee Council"]
    assert client.get("/api/v1/overlaps?kind=overlap").get_json()["items"] == []
    assert client.get("/api/v1/overlaps?kind=twice").status_code == 400
    funder = session.scalar(select(Initiative).where(Initiative.iati_identifier == "GB-GOV-1-301150-117"))
    page = client.get(f"/initiatives/{funder.id}").get_data(as_text=True)
    assert "Also reported by" in page and "H2H COVID-19 Response" in page
    assert "No overlapping initiative of another organisation found." in page
    assert client.get("/api/v1/groups").get_json()["items"] == [], "one effort is no convergence group"
    funder_page = client.get(f"/organisations/{funder.organisation.slug}").get_data(as_text=True)
    assert "Overlapping work" not in funder_page, "its implementer is a partner, not overlapping work"
    query = '{ overlaps(kind: "duplicate") { edges { node { kind kindText } } } }'
    [edge] = client.post("/graphql", json={"query": query}).get_json()["data"]["overlaps"]["edges"]
    assert edge["node"]["kind"] == "duplicate" and edge["node"]["kindText"].startswith("The same effort reported twice")


def test_3w_presence_rows_in_the_same_districts_make_no_pairs_and_no_notices(runner, session):
    _import(runner, "hxl", PRESENCE)
    generated = session.scalars(select(Initiative.title_generated)).all()
    assert len(generated) > 50 and all(generated), "every row of this file is '<cluster> in <province>'"
    records = list(live_records(session))
    taken_for_text = find_all_overlaps([replace(r, own_text=True) for r in records])
    assert len(taken_for_text) > 100, "read as text, the generated titles would pair these rows"
    assert _stored(session) == [] and _notices(session) == 0
    recompute(session)
    assert _stored(session) == [] and _notices(session) == 0
