"""An import links to organisations it names, but never rewrites one the uploader does not administer."""
from __future__ import annotations

import io

from api.extensions import db
from coordination.models import Initiative, Organisation, User

from ..factories import bearer, make_organisation, make_token
from .test_pages import csrf_of, sign_up


def activity_file(participating: str = "", reporting: str = '<reporting-org ref="XM-BETA" type="22">'
                  "<narrative>Beta Relief</narrative></reporting-org>", identifier: str = "XM-BETA-1") -> bytes:
    """A one-activity IATI file with the given reporting-org and participating-org elements."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity>
  <iati-identifier>{identifier}</iati-identifier>
  {reporting}
  <title><narrative>Water points in Kisumu</narrative></title>
  {participating}
  <activity-date type="2" iso-date="2025-01-01"/>
  <recipient-country code="KE"/>
 </iati-activity>
</iati-activities>""".encode()


PWNED = ('<participating-org ref="XM-PWNED-1" role="1" type="22">'
         "<narrative>Alpha Aid</narrative></participating-org>")


def rest_upload(client, token: str, content: bytes):
    """POST /api/v1/imports with an IATI file; the JSON report."""
    response = client.post("/api/v1/imports", headers=bearer(token), content_type="multipart/form-data",
                           data={"format": "iati", "file": (io.BytesIO(content), "activities.xml")})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def public_view(client, slug: str) -> dict:
    """What anyone reads of an organisation."""
    response = client.get(f"/api/v1/organisations/{slug}")
    assert response.status_code == 200
    return response.get_json()


def partners_of_the_import(client, token: str, organisation: Organisation) -> list[dict]:
    """The partner organisations of the one initiative the uploader registered."""
    items = client.get(f"/api/v1/initiatives?organisation={organisation.slug}",
                       headers=bearer(token)).get_json()["items"]
    assert len(items) == 1
    return [p["organisation"] for p in items[0]["partners"]]


def test_a_rest_upload_cannot_give_another_organisation_an_identifier(client, session):
    alpha = make_organisation(session, name="Alpha Aid")
    before = public_view(client, alpha.slug)
    beta = make_organisation(session, name="Beta Relief")
    report = rest_upload(client, make_token(session, beta, "admin"), activity_file(PWNED))
    assert report["created"] == 1
    assert public_view(client, alpha.slug) == before and before["org_identifier"] is None
    partner = partners_of_the_import(client, make_token(session, beta), beta)
    assert [p["slug"] for p in partner] != [alpha.slug]
    impostor = public_view(client, partner[0]["slug"])
    assert impostor["name"] == "Alpha Aid" and impostor["org_identifier"] == "XM-PWNED-1"
    assert impostor["verified"] is False


def test_a_rest_upload_cannot_replace_another_organisations_identifier(client, session):
    alpha = make_organisation(session, name="Alpha Aid", org_identifier="XM-ALPHA")
    before = public_view(client, alpha.slug)
    beta = make_organisation(session, name="Beta Relief")
    rest_upload(client, make_token(session, beta, "admin"), activity_file(PWNED))
    assert public_view(client, alpha.slug) == before
    partner = partners_of_the_import(client, make_token(session, beta), beta)
    assert partner[0]["slug"] != alpha.slug
    assert public_view(client, partner[0]["slug"])["org_identifier"] == "XM-PWNED-1"


def test_an_upload_links_to_an_organisation_it_names_by_identifier_or_by_name(client, session):
    alpha = make_organisation(session, name="Alpha Aid", org_identifier="XM-ALPHA", aliases=["AA"])
    gamma = make_organisation(session, name="Gamma Trust")
    before = [public_view(client, alpha.slug), public_view(client, gamma.slug)]
    beta = make_organisation(session, name="Beta Relief")
    by_ref = ('<participating-org ref="XM-ALPHA" role="1" type="10">'
              "<narrative>Alpha Aid International</narrative></participating-org>")
    by_name = '<participating-org role="3" type="21"><narrative>gamma trust</narrative></participating-org>'
    rest_upload(client, make_token(session, beta, "admin"), activity_file(by_ref + by_name))
    linked = partners_of_the_import(client, make_token(session, beta), beta)
    assert sorted(p["slug"] for p in linked) == sorted([alpha.slug, gamma.slug])
    assert [public_view(client, alpha.slug), public_view(client, gamma.slug)] == before


def test_the_upload_page_cannot_give_another_organisation_an_identifier(client, session):
    alpha = make_organisation(session, name="Alpha Aid")
    before = public_view(client, alpha.slug)
    sign_up(client, org="Beta Relief")
    token = csrf_of(client.get("/account/import").get_data(as_text=True))
    response = client.post("/account/import", content_type="multipart/form-data",
                           data={"csrf_token": token, "format": "iati",
                                 "file": (io.BytesIO(activity_file(PWNED)), "activities.xml")})
    assert response.status_code == 200
    assert public_view(client, alpha.slug) == before
    user = db.session.query(User).one()
    initiative = db.session.query(Initiative).one()
    assert initiative.organisation_id == user.organisation_id
    assert [p.organisation.org_identifier for p in initiative.partners] == ["XM-PWNED-1"]
    assert initiative.partners[0].organisation_id != alpha.id


def test_an_upload_whose_reporting_org_names_another_organisation_stays_the_uploaders(client, session):
    alpha = make_organisation(session, name="Alpha Aid", org_identifier="XM-ALPHA")
    plain = make_organisation(session, name="Plain Aid")
    before = [public_view(client, alpha.slug), public_view(client, plain.slug)]
    beta = make_organisation(session, name="Beta Relief")
    token = make_token(session, beta, "admin")
    as_alpha = '<reporting-org ref="XM-ALPHA" type="22"><narrative>Alpha Aid</narrative></reporting-org>'
    as_plain = '<reporting-org ref="XM-PWNED-2" type="10"><narrative>Plain Aid</narrative></reporting-org>'
    rest_upload(client, token, activity_file(reporting=as_alpha, identifier="XM-ALPHA-1"))
    rest_upload(client, token, activity_file(reporting=as_plain, identifier="XM-PLAIN-1"))
    for slug in (alpha.slug, plain.slug):
        listed = client.get(f"/api/v1/initiatives?organisation={slug}").get_json()["items"]
        assert listed == []
    assert [public_view(client, alpha.slug), public_view(client, plain.slug)] == before
    assert {i.organisation_id for i in session.query(Initiative)} == {beta.id}


def test_the_cli_import_still_completes_an_organisation_without_an_identifier(runner, session, tmp_path):
    # The system (CLI, seed) is trusted: it links by name and fills in the missing identifier.
    alpha = make_organisation(session, name="Alpha Aid")
    path = tmp_path / "alpha.xml"
    path.write_bytes(activity_file(reporting='<reporting-org ref="XM-ALPHA" type="22">'
                                             "<narrative>Alpha Aid</narrative></reporting-org>"))
    result = runner.invoke(args=["import", "iati", "--quiet", str(path)])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.get(Organisation, alpha.id).org_identifier == "XM-ALPHA"
    assert session.query(Initiative).one().organisation_id == alpha.id


def test_a_later_import_by_name_links_to_the_verified_organisation_not_the_namesake(client, session):
    alpha = make_organisation(session, name="Alpha Aid")
    beta = make_organisation(session, name="Beta Relief")
    rest_upload(client, make_token(session, beta, "admin"), activity_file(PWNED))
    gamma = make_organisation(session, name="Gamma Trust")
    by_name = '<participating-org role="1" type="22"><narrative>Alpha Aid</narrative></participating-org>'
    gamma_file = activity_file(by_name, reporting='<reporting-org ref="XM-GAMMA" type="22">'
                                                  "<narrative>Gamma Trust</narrative></reporting-org>",
                               identifier="XM-GAMMA-1")
    rest_upload(client, make_token(session, gamma, "admin"), gamma_file)
    assert [p["slug"] for p in partners_of_the_import(client, make_token(session, gamma), gamma)] == [alpha.slug]
