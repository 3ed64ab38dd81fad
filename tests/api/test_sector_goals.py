"""Initiatives registered with sectors but no goals (3W records) get suggested goals and count per goal."""
from __future__ import annotations

from coordination.models import InitiativeGoal

from ..factories import make_initiative, make_organisation


def _links(initiative) -> list[tuple[str, str]]:
    return sorted((link.goal.code, link.source) for link in initiative.goal_links)


def test_a_3w_record_with_a_cluster_and_no_goals_gets_the_clusters_goal_as_a_suggestion(session):
    org = make_organisation(session)
    wash = make_initiative(session, org, title="Operational presence", description="", goals=[],
                           tags=["Agua, Saneamiento e Higiene"])
    assert _links(wash) == [("6", "suggested")]
    assert wash.goal_links[0].score is not None
    own = make_initiative(session, org, title="Operational presence", description="", goals=["3"],
                          tags=["WASH"])
    assert _links(own) == [("3", "own")]  # an organisation's own goals are never added to
    nothing = make_initiative(session, org, title="Operational presence", description="", goals=[],
                              tags=["Logistics"])
    assert session.query(InitiativeGoal).filter_by(initiative_id=nothing.id).count() == 0


def test_fragmentation_counts_sector_only_records_under_their_goal(client, session):
    for name in ("Relief One", "Relief Two"):
        make_initiative(session, make_organisation(session, name=name), title="Operational presence",
                        description="", goals=[], tags=["Protection"])
    cells = client.get("/api/v1/fragmentation?goal=16").get_json()["cells"]
    kenya = [c for c in cells if c["area"] == "KE"]
    assert kenya and kenya[0]["n_organisations"] == 2 and kenya[0]["n_initiatives"] == 2
