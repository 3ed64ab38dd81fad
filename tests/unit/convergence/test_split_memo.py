"""ChangeMemo: a remembered split holds while only links leaving the part change."""
from __future__ import annotations

import random

import networkx as nx

from coordination.convergence.group_split import split_component
from coordination.convergence.split_memo import ChangeMemo
from coordination.records import InitiativeRecord, PlaceRecord


def _records(n: int) -> dict[int, InitiativeRecord]:
    return {i: InitiativeRecord(id=i, organisation_id=1 + i % 30, title=f"w{i}", goals=frozenset({"6.1"}),
                                places=(PlaceRecord(country="KE", admin1="Kisumu", admin2=f"a{i % 3}"),))
            for i in range(1, n + 1)}


def _calls(memo: ChangeMemo, members, value="v"):
    seen = []
    got = memo.remembered("split", members, (), lambda: seen.append(1) or value)
    return got, len(seen)


def test_only_changes_inside_a_part_make_it_computed_again():
    records = _records(10)
    part, outside = [records[i] for i in (1, 2, 3)], records[9]
    memo = ChangeMemo()
    for i in records:
        memo.record_changed(i)
    assert _calls(memo, part) == ("v", 1)
    assert _calls(memo, part) == ("v", 0)
    memo.link_changed(2, outside.id)  # a link leaving the part
    assert _calls(memo, part) == ("v", 0)
    memo.link_changed(1, 3)  # a link inside it
    assert _calls(memo, part, "w") == ("w", 1)
    memo.record_changed(3)
    assert _calls(memo, part, "x") == ("x", 1)
    # a summary depends on the records only: a link inside does not count for it
    assert memo.remembered("describe", part, (), lambda: "d", links=False) == "d"
    memo.link_changed(1, 2)
    assert memo.remembered("describe", part, (), lambda: "other", links=False) == "d"
    assert _calls(memo, part, "y") == ("y", 1)


def test_the_split_with_a_change_memo_follows_random_changes_as_a_fresh_split_does():
    rng = random.Random(5)
    records = _records(150)
    graph = nx.Graph()
    graph.add_weighted_edges_from((a, b, round(rng.random(), 2)) for a in records for b in records
                                  if a < b and rng.random() < 0.015)
    memo = ChangeMemo()
    for i in records:
        memo.record_changed(i)
    for _step in range(40):
        a, b = rng.sample(sorted(records), 2)
        if graph.has_edge(a, b) and rng.random() < 0.3:
            graph.remove_edge(a, b)
        else:
            graph.add_edge(a, b, weight=round(rng.random(), 2))
        memo.link_changed(a, b)
        if rng.random() < 0.2:  # a record changes its area
            i = rng.choice(sorted(records))
            r = records[i]
            records[i] = InitiativeRecord(id=i, organisation_id=r.organisation_id, title=r.title, goals=r.goals,
                                          places=(PlaceRecord(country="KE", admin1="Kisumu",
                                                              admin2=f"a{rng.randrange(3)}"),))
            memo.record_changed(i)
        for component in nx.connected_components(graph):
            members = [records[i] for i in sorted(component)]
            assert split_component(members, graph, memo=memo) == split_component(members, graph)
    assert len(memo) > 0
