"""IATI identifiers are unique per organisation: another organisation's private record is never revealed.

Non-interference: what organisation B gets back for registering, importing or editing to
identifier X is the same whether or not organisation A holds a private initiative X.
Registering the caller's own identifier twice stays a clear 409.
"""
from __future__ import annotations

import io
from typing import Any

from api.extensions import db
from coordination.models import Base, Initiative

from ..backends import reset_postgres
from ..factories import bearer, initiative_data, make_initiative, make_organisation, make_token
from .test_graphql import REGISTER, gql, graphql_input
from .test_import_organisations import activity_file

DOORS = ("REST", "GQL", "IMPORT", "EDIT")
TIMESTAMPS = ("created_at", "updated_at", "confirmed_at")


def reset_database() -> None:
    """Empty every table but the SDG vision, restarting ids, on either database."""
    db.session.remove()
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        db.engine.dispose()
        reset_postgres(url.render_as_string(hide_password=False))
        return
    with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in ("vision", "goal"):
                conn.execute(table.delete())


def without_timestamps(value: Any) -> Any:
    """A JSON body with its clock readings left out (they differ between any two runs)."""
    if isinstance(value, dict):
        return {k: without_timestamps(v) for k, v in value.items() if k not in TIMESTAMPS}
    if isinstance(value, list):
        return [without_timestamps(v) for v in value]
    return value


def probe(client, held: str) -> dict[str, Any]:
    """Organisation A holds private initiatives `held`-<door>; B uses XM-PROBE-<door> at every door."""
    reset_database()
    alpha = make_organisation(db.session, name="Alpha Aid")
    for door in DOORS:
        make_initiative(db.session, alpha, title=f"Alpha confidential {door}", visibility="private",
                        iati_identifier=f"{held}-{door}")
    beta = make_organisation(db.session, name="Beta Relief")
    member, admin = make_token(db.session, beta), make_token(db.session, beta, "admin")
    seen: dict[str, Any] = {}

    rest = client.post("/api/v1/initiatives", headers=bearer(member),
                       json=initiative_data(title="Beta wells", iati_identifier="XM-PROBE-REST"))
    seen["REST"] = (rest.status_code, without_timestamps(rest.get_json()))

    body = gql(client, REGISTER, {"input": graphql_input(title="Beta kiosks", iatiIdentifier="XM-PROBE-GQL")},
               member)
    seen["GQL"] = without_timestamps(body)

    upload = client.post("/api/v1/imports", headers=bearer(admin), content_type="multipart/form-data",
                         data={"format": "iati", "file": (io.BytesIO(activity_file(
                             identifier="XM-PROBE-IMPORT")), "beta.xml")})
    seen["IMPORT"] = (upload.status_code, upload.get_json())

    plain = client.post("/api/v1/initiatives", headers=bearer(member), json=initiative_data(title="Beta latrines"))
    edit = client.patch(f"/api/v1/initiatives/{plain.get_json()['id']}", headers=bearer(member),
                        json={"iati_identifier": "XM-PROBE-EDIT"})
    seen["EDIT"] = (edit.status_code, without_timestamps(edit.get_json()))
    seen["listing"] = without_timestamps(client.get("/api/v1/initiatives", headers=bearer(member)).get_json())
    return seen


def test_what_b_gets_back_is_the_same_whether_or_not_a_privately_holds_the_identifier(client):
    unheld = probe(client, "XM-ELSEWHERE")
    held = probe(client, "XM-PROBE")
    assert held == unheld
    assert held["REST"][0] == 201 and held["REST"][1]["iati_identifier"] == "XM-PROBE-REST"
    assert "errors" not in held["GQL"]
    assert held["IMPORT"][0] == 200 and held["IMPORT"][1]["created"] == 1
    assert held["EDIT"][0] == 200 and held["EDIT"][1]["iati_identifier"] == "XM-PROBE-EDIT"
    # Nothing was lost: A keeps its private initiatives, B has its own four.
    mine = db.session.query(Initiative.organisation_id, Initiative.iati_identifier).filter(
        Initiative.iati_identifier.like("XM-PROBE-%")).all()
    assert len(mine) == 2 * len(DOORS)


def test_the_callers_own_duplicate_is_still_a_409_at_every_door(client, session):
    ngo = make_organisation(session, name="Beta Relief")
    member, admin = make_token(session, ngo), make_token(session, ngo, "admin")
    body = initiative_data(iati_identifier="XM-BETA-1")
    assert client.post("/api/v1/initiatives", headers=bearer(member), json=body).status_code == 201
    again = client.post("/api/v1/initiatives", headers=bearer(member), json=body)
    assert again.status_code == 409
    assert "'XM-BETA-1' is already registered" in again.get_json()["error"]["fields"]["iati_identifier"][0]

    twice = gql(client, REGISTER, {"input": graphql_input(iatiIdentifier="XM-BETA-1")}, member)
    assert twice["errors"][0]["extensions"]["code"] == "conflict"

    other = client.post("/api/v1/initiatives", headers=bearer(member), json=initiative_data(title="Latrines"))
    clash = client.patch(f"/api/v1/initiatives/{other.get_json()['id']}", headers=bearer(member),
                         json={"iati_identifier": "XM-BETA-1"})
    assert clash.status_code == 409 and "iati_identifier" in clash.get_json()["error"]["fields"]

    report = client.post("/api/v1/imports", headers=bearer(admin), content_type="multipart/form-data",
                         data={"format": "iati", "file": (io.BytesIO(activity_file()), "beta.xml")}).get_json()
    assert (report["created"], report["existing"]) == (0, 1)
    assert session.query(Initiative).count() == 2


def test_two_organisations_may_report_the_same_identifier_and_re_imports_stay_idempotent(client, session):
    alpha = make_organisation(session, name="Alpha Aid")
    beta = make_organisation(session, name="Beta Relief")
    make_initiative(session, alpha, title="Alpha's own record", iati_identifier="XM-BETA-1", visibility="private")
    admin = make_token(session, beta, "admin")
    reports = [client.post("/api/v1/imports", headers=bearer(admin), content_type="multipart/form-data",
                           data={"format": "iati", "file": (io.BytesIO(activity_file()), "beta.xml")}).get_json()
               for _ in range(2)]
    assert [(r["created"], r["existing"]) for r in reports] == [(1, 0), (0, 1)]
    owners = sorted(i.organisation_id for i in session.query(Initiative).filter_by(iati_identifier="XM-BETA-1"))
    assert owners == sorted([alpha.id, beta.id])
