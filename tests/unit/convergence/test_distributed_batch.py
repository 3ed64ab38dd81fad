"""The batch on a Dask cluster, partitioned by region, finds exactly what one process finds."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from distributed import Client, LocalCluster

from bench.synthetic import generate
from coordination.convergence import OverlapConfig, find_all_overlaps, fit_model
from coordination.convergence.distributed import find_all_overlaps_distributed
from coordination.convergence.partitions import members, owned, partition_masks
from coordination.convergence.words import normalise_tag
from coordination.formats.generated_titles import title_looks_generated
from coordination.records import InitiativeRecord, PlaceRecord

from .factories import make_record

SEED = Path(__file__).resolve().parents[3] / "seed_data" / "initiatives.json"


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as connected:
        yield connected


def _triples(overlaps):
    return [(o.a_id, o.b_id, o.score, o.kind, tuple(sorted(o.components.items()))) for o in overlaps]


def _seed_records() -> list[InitiativeRecord]:
    """The demo seed as engine records (organisations numbered by their seed key)."""
    entries = json.loads(SEED.read_text(encoding="utf-8"))
    orgs: dict[str, int] = {}
    return [InitiativeRecord(
        id=i, organisation_id=orgs.setdefault(e["organisation"]["key"], len(orgs) + 1),
        title=e["title"], description=e.get("description") or "",
        goals=frozenset(e.get("goals") or ()),
        tags=frozenset(normalise_tag(t) for t in e.get("tags") or ()),
        places=tuple(PlaceRecord(
            country=loc.get("country"), admin1=loc.get("admin1_code") or loc.get("admin1"),
            admin2=loc.get("admin2_code") or loc.get("admin2"), lat=loc.get("lat"),
            lon=loc.get("lon"), precision=loc.get("precision") or "point") for loc in e["locations"]),
        start=date.fromisoformat(e["start"]) if e.get("start") else None,
        end=date.fromisoformat(e["end"]) if e.get("end") else None,
        own_text=not title_looks_generated(e), iati_identifier=e.get("iati_identifier"),
        related_identifiers=frozenset(e.get("related_identifiers") or ()),
    ) for i, e in enumerate(entries, start=1)]


@pytest.mark.parametrize("partitions", [2, 5])
def test_a_synthetic_corpus_gives_the_single_process_result_on_a_local_cluster(client, partitions):
    records = generate(2500, seed=11).records
    single = find_all_overlaps(records)
    masks = partition_masks(records, OverlapConfig(), partitions)
    assert all(0 < len(members(masks, p)) < len(records) for p in range(partitions))  # really split
    assert single
    assert _triples(find_all_overlaps_distributed(records, client, partitions=partitions)) == _triples(single)


def test_the_demo_seed_gives_the_single_process_result_on_a_local_cluster(client):
    records = _seed_records()
    single = find_all_overlaps(records)
    assert len(single) > 500
    assert _triples(find_all_overlaps_distributed(records, client, partitions=4)) == _triples(single)


def test_a_fitted_model_with_hot_blocks_travels_to_the_workers(client):
    records = generate(1200, seed=3).records
    config = OverlapConfig(hot_block_cap=5)
    model = fit_model(records, config)
    assert model.hot_blocks
    single = find_all_overlaps(records, config, text_model=model)
    found = find_all_overlaps_distributed(records, client, config, model, partitions=3)
    assert single and _triples(found) == _triples(single)


def test_neighbours_across_a_border_meet_in_the_cell_they_share(client):
    # Two wells 3 km apart on either side of the Kenya-Uganda border (Busia), and a country-level
    # programme in each country: the countries land in different partitions.
    kenya = PlaceRecord(country="KE", lat=0.4600, lon=34.1100)
    uganda = PlaceRecord(country="UG", lat=0.4600, lon=34.0830)
    records = [make_record(id=1, organisation_id=1, places=(kenya,)),
               make_record(id=2, organisation_id=2, places=(uganda,)),
               make_record(id=3, organisation_id=3, places=(PlaceRecord(country="KE", precision="country"),)),
               make_record(id=4, organisation_id=4, places=(PlaceRecord(country="UG", precision="country"),))]
    masks = partition_masks(records, OverlapConfig(), 2)
    assert masks[2] != masks[3]  # the two countries went to different partitions
    assert owned(masks[:1], masks[1:2], 0).tolist() != owned(masks[:1], masks[1:2], 1).tolist()
    single = find_all_overlaps(records)
    assert (1, 2) in {o.pair for o in single}
    assert _triples(find_all_overlaps_distributed(records, client, partitions=2)) == _triples(single)


def test_initiatives_without_a_place_join_every_partition_and_pairs_are_kept_once():
    records = [make_record(id=1, places=()), make_record(id=2, places=()), *generate(300, seed=1).records[2:]]
    masks = partition_masks(records, OverlapConfig(), 4)
    assert masks[0] == masks[1] == 0b1111
    both = np.stack([owned(masks[:1], masks[1:2], p) for p in range(4)])
    assert both.sum() == 1  # the placeless pair is kept by exactly one partition
    rows = np.arange(len(records))
    a, b = np.meshgrid(rows, rows)
    keepers = sum(owned(masks[a.ravel()], masks[b.ravel()], p).astype(int) for p in range(4))
    assert keepers.max() <= 1
