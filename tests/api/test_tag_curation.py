"""Coordinators merge tags (initiatives follow, old labels become aliases), add synonyms, undo."""
from __future__ import annotations

import copy

from ..factories import bearer, make_initiative, make_organisation, make_token, recompute


def _tags(client, initiative_id):
    return client.get(f"/api/v1/initiatives/{initiative_id}").get_json()["tags"]


def test_merging_tags_moves_initiatives_keeps_aliases_and_can_be_undone(client, session):
    org = make_organisation(session)
    first = make_initiative(session, org, tags=["Water supply"])
    both = make_initiative(session, org, tags=["Water supply", "Drinking water"])
    coordinator = make_token(session, None, "coordinator")
    keys = {t["label"]: t["key"] for t in client.get("/api/v1/tags").get_json()["items"]}
    merged = client.post("/api/v1/tags/merge", headers=bearer(coordinator),
                         json={"from": [keys["Water supply"]], "into": keys["Drinking water"]})
    assert merged.status_code == 200, merged.get_json()
    tags = {t["key"]: t for t in client.get("/api/v1/tags").get_json()["items"]}
    assert keys["Water supply"] not in tags
    target = tags[keys["Drinking water"]]
    assert target["count"] == 2 and "Water supply" in target["aliases"]
    assert client.get(f"/api/v1/initiatives?tag={keys['Water supply']}").get_json()["total"] == 2
    undo = client.post(f"/api/v1/tags/merges/{merged.get_json()['merge_id']}/undo", headers=bearer(coordinator))
    assert undo.status_code == 200
    assert _tags(client, first.id) == ["Water supply"]
    assert sorted(_tags(client, both.id)) == ["Drinking water", "Water supply"]
    again = client.post(f"/api/v1/tags/merges/{merged.get_json()['merge_id']}/undo", headers=bearer(coordinator))
    assert again.status_code == 409


def test_a_synonym_sends_new_labels_to_the_tag(client, session):
    org = make_organisation(session)
    make_initiative(session, org, tags=["Cash transfers"])
    coordinator = make_token(session, None, "coordinator")
    key = client.get("/api/v1/tags").get_json()["items"][0]["key"]
    response = client.post(f"/api/v1/tags/{key}/synonyms", json={"label": "Bons d'achat"}, headers=bearer(coordinator))
    assert response.status_code == 200 and "Bons d'achat" in response.get_json()["aliases"]
    later = make_initiative(session, org, title="Vouchers", tags=["Bons d'achat"])
    assert client.get(f"/api/v1/initiatives?tag={key}").get_json()["total"] == 2
    assert later.tag_links[0].tag.key == key


def test_only_coordinators_curate_tags(client, session):
    org = make_organisation(session)
    make_initiative(session, org, tags=["A tag", "Another tag"])
    member = make_token(session, org)
    response = client.post("/api/v1/tags/merge", headers=bearer(member), json={"from": ["a-tag"], "into": "another-tag"})
    assert response.status_code == 403
    assert client.post("/api/v1/tags/merge", json={"from": ["x"], "into": "y"}).status_code == 401


def test_tags_naming_the_same_kind_of_work_in_any_language_are_suggested_for_a_merge(client, session):
    org = make_organisation(session)
    make_initiative(session, org, title="Wells", tags=["Boreholes", "Latrines"])
    make_initiative(session, org, title="Pozos", tags=["Pozos"])
    make_initiative(session, org, title="Puits", tags=["Forages", "Boreholes"])
    make_initiative(session, org, title="Advocacy", tags=["Advocacy"])
    coordinator = make_token(session, None, "coordinator")
    assert client.get("/api/v1/tags/merge-suggestions", headers=bearer(make_token(session, org))).status_code == 403
    response = client.get("/api/v1/tags/merge-suggestions", headers=bearer(coordinator))
    assert response.status_code == 200
    groups = response.get_json()["items"]
    water = [g for g in groups if g["work"] == "water_supply"]
    assert len(water) == 1, groups
    labels = [t["label"] for t in water[0]["tags"]]
    assert labels[0].startswith("Borehole") and water[0]["tags"][0]["count"] == 2  # most used first
    assert sorted(label[:4] for label in labels[1:]) == ["Fora", "Pozo"]
    assert water[0]["into"] == water[0]["tags"][0]["key"] and water[0]["work_label"] == "water supply"
    # a kind named by one tag only, or no kind at all, is no suggestion
    assert not any(t["label"] in ("Latrines", "Advocacy") for g in groups for t in g["tags"])
    merged = client.post("/api/v1/tags/merge", headers=bearer(coordinator),
                         json={"from": [t["key"] for t in water[0]["tags"][1:]], "into": water[0]["into"]})
    assert merged.status_code == 200
    after = client.get("/api/v1/tags/merge-suggestions", headers=bearer(coordinator)).get_json()["items"]
    assert not [g for g in after if g["work"] == "water_supply"]


def test_a_tag_merge_and_its_undo_are_edits_of_each_initiative_they_move(client, session):
    """A merge changes what the engine reads of each moved initiative (its tag keys): the
    initiative gets a new version and a history line, and an overlap index held by another
    process (here: a copy of this one's, taken before the merge) replays it as an edit."""
    from sqlalchemy import select

    from coordination.models import Change
    from coordination.services import overlap_index
    from coordination.services.stored_records import live_records

    first, second = make_organisation(session, name="Lake Wells"), make_organisation(session, name="Hill Pumps")
    moved = make_initiative(session, first, tags=["Water supply", "Hygiene promotion"])
    other = make_initiative(session, second, tags=["Drinking water"])
    coordinator = make_token(session, None, "coordinator")
    keys = {t["label"]: t["key"] for t in client.get("/api/v1/tags").get_json()["items"]}
    elsewhere = copy.deepcopy(overlap_index._states[overlap_index._key(session)])  # another process's index
    version = client.get(f"/api/v1/initiatives/{moved.id}").headers["ETag"]

    def overlaps_of(initiative_id: int) -> list:
        items = client.get(f"/api/v1/initiatives/{initiative_id}/overlaps").get_json()["items"]
        return sorted((item["other"]["id"], item["components"], item["score"]) for item in items)

    def engine_tags(state=None) -> tuple:
        if state is not None:
            overlap_index._states[overlap_index._key(session)] = state
        record = overlap_index.current_index(session)._records[moved.id]
        session.commit()
        assert record == next(live_records(session, ids=[moved.id]))  # what is stored
        return record.tags

    unmerged = overlaps_of(moved.id)
    merged = client.post("/api/v1/tags/merge", headers=bearer(coordinator),
                         json={"from": [keys["Water supply"]], "into": keys["Drinking water"]})
    assert merged.status_code == 200
    after = sorted([keys["Drinking water"], keys["Hygiene promotion"]])
    assert sorted(engine_tags()) == after
    assert sorted(engine_tags(elsewhere)) == after  # replayed from the change log
    assert client.get(f"/api/v1/initiatives/{moved.id}").headers["ETag"] != version
    lines = client.get(f"/api/v1/initiatives/{moved.id}/history").get_json()["items"]
    assert lines[-1]["action"] == "update" and lines[-1]["changed"] == ["tags"]
    assert len(client.get(f"/api/v1/initiatives/{other.id}/history").get_json()["items"]) == 1  # not moved
    # The engine looked again: the pair's stored scores are those a recomputation of everything gives.
    found = overlaps_of(moved.id)
    assert [components["tags"] for _, components, _ in unmerged] == [0.0]
    assert [components["tags"] for _, components, _ in found] == [0.5]  # one of two tags now shared
    recompute(session)
    assert overlaps_of(moved.id) == found

    elsewhere = copy.deepcopy(overlap_index._states[overlap_index._key(session)])
    undone = client.post(f"/api/v1/tags/merges/{merged.get_json()['merge_id']}/undo", headers=bearer(coordinator))
    assert undone.status_code == 200
    before = sorted([keys["Water supply"], keys["Hygiene promotion"]])
    assert sorted(engine_tags()) == before
    assert sorted(engine_tags(elsewhere)) == before
    assert [c.after for c in session.scalars(select(Change).where(
        Change.entity_type == "initiative", Change.entity_id == moved.id).order_by(Change.id))][-2:] == [
        {"tags": after}, {"tags": before}]
