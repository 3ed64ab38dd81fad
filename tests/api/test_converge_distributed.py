"""`coordination converge --scheduler` runs the batch on a Dask cluster and stores the same overlaps."""
from __future__ import annotations

from distributed import LocalCluster

from ..factories import BOREHOLES, WELLS, make_initiative, make_organisation


def test_converging_on_a_dask_cluster_stores_what_the_single_process_batch_stores(app, client, session):
    ngos = [make_organisation(session, name=name) for name in ("Kisumu Water Trust", "Lake Basin Wells")]
    county = make_organisation(session, name="County Water Department", type="10")
    for org, body in ((ngos[0], BOREHOLES), (ngos[1], WELLS), (county, dict(BOREHOLES, title="County boreholes"))):
        make_initiative(session, org, **body)
    runner = app.test_cli_runner()

    def stored():
        return sorted((tuple(i["id"] for i in o["initiatives"]), o["score"])
                      for o in client.get("/api/v1/overlaps").get_json()["items"])

    assert runner.invoke(args=["converge", "--quiet"]).exit_code == 0
    single = stored()
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        result = runner.invoke(args=["converge", "--quiet", "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    assert "3 overlaps among 3 initiatives" in result.output
    assert len(single) == 3 and stored() == single
