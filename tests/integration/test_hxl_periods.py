"""Reporting periods of 3W files: two quarters of the Afghanistan 3W never overlap each other.

The files are four real rows (DACAAR and UNICEF, WASH, Kabul district) of each quarter's file:
see tests/data/periods/SOURCES.md.
"""
from __future__ import annotations

from pathlib import Path

from coordination.convergence.config import OverlapConfig
from coordination.convergence.scoring import score_pair
from coordination.models import Initiative, Overlap
from coordination.serialise import initiative_to_dict
from coordination.services.file_imports import import_file
from coordination.services.stored_records import record_from_initiative

from ..factories import in_unit_of_work

DATA = Path(__file__).resolve().parents[1] / "data" / "periods"
Q3_2021 = DATA / "afghanistan_who_does_what_where_july_to_september_2021_kabul_wash.csv"
Q1_2024 = DATA / "afghanistan_3w_operational_presence_january_march_2024_kabul_wash.csv"
THRESHOLD = OverlapConfig().threshold


def _scores(session):
    """{(organisation's first word, start of a), (…, start of b)}: score} of every pair of different
    organisations, scored by the overlap engine, and the pairs stored as links."""
    initiatives = session.query(Initiative).order_by(Initiative.id).all()
    records = {i.id: record_from_initiative(i) for i in initiatives}

    def side(initiative):
        return initiative.organisation.name.split()[0], initiative_to_dict(initiative)["start"]
    scores = {frozenset((side(a), side(b))): score_pair(records[a.id], records[b.id]).score
              for n, a in enumerate(initiatives) for b in initiatives[n + 1:]
              if a.organisation_id != b.organisation_id}
    stored = {frozenset((side(o.initiative_a), side(o.initiative_b)))
              for o in session.query(Overlap).filter_by(active=True)}
    return scores, stored


def test_two_quarters_of_the_afghanistan_3w_overlap_within_a_quarter_and_never_across(session):
    first = in_unit_of_work(session, import_file, "hxl", Q3_2021)
    second = in_unit_of_work(session, import_file, "hxl", Q1_2024)
    assert first["period"]["label"] == "2021-07..2021-09" and first["period"]["rows"] == 2
    assert first["period"]["source"].startswith("file name")
    assert second["period"]["start"] == "2024-01-01" and second["period"]["end"] == "2024-03-31"
    dates = {(i.organisation.name.split()[0], i.start_date.isoformat(), i.end_date.isoformat())
             for i in session.query(Initiative)}
    assert dates == {("Danish", "2021-07-01", "2021-09-30"), ("United", "2021-07-01", "2021-09-30"),
                     ("Danish", "2024-01-01", "2024-03-31"), ("United", "2024-01-01", "2024-03-31")}
    scores, stored = _scores(session)
    within = {frozenset({("Danish", "2021-07-01"), ("United", "2021-07-01")}),
              frozenset({("Danish", "2024-01-01"), ("United", "2024-01-01")})}
    assert all(scores[pair] >= THRESHOLD for pair in within)
    assert {pair: score for pair, score in scores.items() if pair not in within} == {
        frozenset({("Danish", "2021-07-01"), ("United", "2024-01-01")}): 0.0,
        frozenset({("Danish", "2024-01-01"), ("United", "2021-07-01")}): 0.0}
    assert stored <= within  # whatever kind of link a pair becomes, none spans two quarters


def test_without_a_period_the_same_files_overlap_across_quarters(session):
    # The files read as nameless uploads: no period, rows undated, time unknown to the engine.
    for path in (Q3_2021, Q1_2024):
        with open(path, "rb") as f:
            report = in_unit_of_work(session, import_file, "hxl", f, source_name=f"upload-{path.stat().st_size}.csv")
        assert report["period"] is None
    assert session.query(Initiative).filter(Initiative.start_date.isnot(None)).count() == 0
    initiatives = session.query(Initiative).all()
    scores = [score_pair(record_from_initiative(a), record_from_initiative(b)).score
              for a in initiatives for b in initiatives if a.organisation_id < b.organisation_id]
    assert len(scores) == 4 and min(scores) >= THRESHOLD  # across quarters too


def test_a_period_given_at_import_wins_over_the_file_name_and_is_reported(session):
    report = in_unit_of_work(session, import_file, "hxl", Q1_2024, period="2023-Q4")
    assert report["period"]["label"] == "2023-10..2023-12"
    assert report["period"]["source"] == "given at import"
    assert {i.start_date.isoformat() for i in session.query(Initiative)} == {"2023-10-01"}


def test_the_cli_takes_a_period_and_says_which_one_it_applied(runner, session):
    result = runner.invoke(args=["import", "hxl", "--quiet", "--period", "2021-07..2021-09", str(Q1_2024)])
    assert result.exit_code == 0, result.output
    assert "reporting period 2021-07-01 to 2021-09-30 (given at import) given to 2 rows without dates" \
        in result.output
    refused = runner.invoke(args=["import", "hxl", "--quiet", "--period", "2021-09..2021-07", str(Q1_2024)])
    assert refused.exit_code != 0 and "is not a period" in refused.output
