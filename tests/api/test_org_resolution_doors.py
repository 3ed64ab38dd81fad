"""Every door links to the resolved organisation: an IATI file naming UNICEF by identifier or by
another name, and REST and GraphQL naming a merged record by its old slug."""
from __future__ import annotations

from sqlalchemy import func, select

from coordination.models import Initiative, Organisation

from ..factories import bearer, initiative_data, make_organisation, make_token
from .test_graphql import gql
from .test_import_organisations import activity_file

UNICEF_REPORTS = ('<reporting-org ref="XM-DAC-41122" type="40">'
                  "<narrative>United Nations Children's Fund (UNICEF)</narrative></reporting-org>")
FUNDED_BY = ('<participating-org ref="41122" role="1" type="40">'
             "<narrative>UNITED NATIONS CHILDREN'S FUND</narrative></participating-org>")


def test_an_iati_file_naming_unicef_another_way_links_to_the_registered_unicef(session, app, tmp_path):
    unicef = make_organisation(session, name="UNICEF", type="40", country=None)
    path = tmp_path / "unicef-activities.xml"
    path.write_bytes(activity_file(participating=FUNDED_BY, reporting=UNICEF_REPORTS, identifier="XM-DAC-41122-KE-1"))
    result = app.test_cli_runner().invoke(args=["import", "iati", str(path), "--quiet"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    initiative = session.scalar(select(Initiative))
    assert initiative.organisation_id == unicef.id
    assert [p.organisation_id for p in initiative.partners] in ([], [unicef.id])
    assert session.scalar(select(func.count(Organisation.id))) == 1


def test_rest_and_graphql_naming_a_merged_record_reach_the_survivor(session, client):
    unicef = make_organisation(session, name="UNICEF", type="40", country=None)
    fund = make_organisation(session, name="UNITED NATIONS CHILDREN'S FUND", type="40", country=None)
    coordinator, admin = make_token(session, role="coordinator"), make_token(session, role="platform_admin")
    assert client.post(f"/api/v1/organisations/{fund.slug}/merge", headers=bearer(coordinator),
                       json={"into": unicef.slug}).status_code == 200

    body = initiative_data(organisation=fund.slug, title="School WASH in Kisumu")
    created = client.post("/api/v1/initiatives", headers=bearer(admin), json=body)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["organisation"]["slug"] == unicef.slug

    mutation = """mutation($input: InitiativeInput!) { registerInitiative(input: $input) { organisation { slug } } }"""
    data = gql(client, mutation, {"input": {**initiative_data(title="Hygiene kits in Kisumu"),
                                            "organisation": fund.slug}}, token=admin)
    assert data["data"]["registerInitiative"]["organisation"]["slug"] == unicef.slug
