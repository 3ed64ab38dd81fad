"""The IATI import issue's cases through every door (CLI, REST upload, upload page), on SQLite and PostgreSQL.

1. recipient countries published only on transactions; 2. platform limits (a 121-character
tag, a long title, too many tags and partners) cost a warning, never the record; 3. every
skip and warning names the record's position, line and identifier alike in every door;
4. one organisation per IATI organisation identifier across files, other names as aliases.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from api.extensions import db
from coordination.models import Initiative, Organisation

from ..api.test_pages import csrf_of, sign_up
from ..factories import bearer, make_organisation, make_token

CORPUS = Path(__file__).resolve().parents[1] / "data" / "formats" / "iati_corpus"
ISSUE_FILE = CORPUS / "fi_mfa_issue_cases_constructed.xml"
UNICEF_FILE = CORPUS / "xm-dac-41122_unicef_constructed.xml"
SKIP = ("activity 3 (line 47), no identifier", "activity has no iati-identifier")
TAG_WARNING = ("activity 1 (line 6) FI-3-X",
               "tag \"Finland's development policy priority area: quality…\" shortened to fit 120 characters (was 121)")


def cli_import(runner, *paths: Path):
    result = runner.invoke(args=["import", "iati", "--quiet", *map(str, paths)])
    assert result.exit_code == 0, result.output
    return result.output


def test_transaction_countries_and_limits_keep_every_record_with_a_warning_in_the_cli(runner, session):
    output = cli_import(runner, ISSUE_FILE)
    assert f"{ISSUE_FILE.name}: 4 read, 3 imported, 0 already present, 3 kept with warnings, 1 skipped" in output
    assert f"  skipped {SKIP[0]}: {SKIP[1]}" in output
    assert "skipped None" not in output
    assert f"  warning {TAG_WARNING[0]}: {TAG_WARNING[1]}" in output
    assert "  warning activity 2 (line 34) FI-3-LONG-TITLE: title shortened to fit 300 characters (was 392)" in output
    assert "  warning activity 4 (line 56) FI-3-MANY: 6 tags beyond the first 50 dropped" in output
    x = session.query(Initiative).filter_by(iati_identifier="FI-3-X").one()
    assert [(loc.country, loc.precision) for loc in x.locations] == [("LA", "country")]
    assert x.title == "Inclusive basic education in Lao PDR"
    assert [(p.role, p.organisation.org_identifier) for p in x.partners] == [("implementing", "XM-DAC-41122")]
    many = session.query(Initiative).filter_by(iati_identifier="FI-3-MANY").one()
    assert [loc.country for loc in many.locations] == ["LA", "KH"]
    assert (len(many.tag_links), len(many.partners)) == (50, 50)
    # a second import recognises the three records and reports the same skip and warnings
    again = cli_import(runner, ISSUE_FILE)
    assert "4 read, 0 imported, 3 already present" in again and f"  skipped {SKIP[0]}: {SKIP[1]}" in again


def test_the_rest_upload_reports_the_same_positions_skips_and_warnings(client, session):
    org = make_organisation(session, name="Finnish Partner")
    response = client.post("/api/v1/imports", headers=bearer(make_token(session, org, "admin")),
                           content_type="multipart/form-data",
                           data={"format": "iati", "file": (io.BytesIO(ISSUE_FILE.read_bytes()), ISSUE_FILE.name)})
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert {k: report[k] for k in ("records", "created", "existing", "warned", "skipped")} == {
        "records": 4, "created": 3, "existing": 0, "warned": 3, "skipped": 1}
    assert [(p["where"], p["reason"], p["position"], p["line"], p["record"]) for p in report["problems"]] == [
        (*SKIP, 3, 47, None)]
    first = report["warnings"][0]
    assert (first["where"], first["reason"], first["position"], first["line"], first["record"]) == (
        *TAG_WARNING, 1, 6, "FI-3-X")
    assert {w["record"] for w in report["warnings"]} == {"FI-3-X", "FI-3-LONG-TITLE", "FI-3-MANY"}
    assert {i.organisation_id for i in session.query(Initiative)} == {org.id}


def test_the_upload_page_shows_the_warned_count_and_the_same_wording(client, session):
    sign_up(client)
    token = csrf_of(client.get("/account/import").get_data(as_text=True))
    html = client.post("/account/import", content_type="multipart/form-data",
                       data={"csrf_token": token, "format": "auto",
                             "file": (io.BytesIO(ISSUE_FILE.read_bytes()), ISSUE_FILE.name)}).get_data(as_text=True)
    assert re.search(r'id="count-created">3<', html) and re.search(r'id="count-warned">3<', html)
    assert re.search(r'id="count-skipped">1<', html)
    problems = html[html.index('<table class="problems">'):]
    problems = problems[:problems.index("</table>")]
    assert SKIP[0] in problems and SKIP[1] in problems
    warnings = html[html.index('<table class="warnings">'):]
    warnings = warnings[:warnings.index("</table>")]
    assert TAG_WARNING[0] in warnings and "shortened to fit 120 characters (was 121)" in warnings
    assert db.session.query(Initiative).count() == 3


def test_two_files_naming_one_identifier_give_one_organisation_with_the_other_names_as_aliases(runner, session):
    cli_import(runner, ISSUE_FILE)  # names XM-DAC-41122 "UNICEF" (an implementing partner)
    cli_import(runner, UNICEF_FILE)  # XM-DAC-41122 reports as "United Nations Children's Fund"
    unicef = session.query(Organisation).filter_by(org_identifier="XM-DAC-41122").one()
    assert unicef.name == "UNICEF"
    assert unicef.aliases == ["United Nations Children's Fund"]
    assert session.query(Organisation).filter(Organisation.name.in_(
        ["UNICEF", "United Nations Children's Fund"])).count() == 1
    own = session.query(Initiative).filter_by(iati_identifier="XM-DAC-41122-LAO-2021-EDU-1").one()
    assert own.organisation_id == unicef.id
    # FI-3 was registered as "Ministry for Foreign Affairs of Finland"; the UNICEF file calls it "Finland"
    finland = session.query(Organisation).filter_by(org_identifier="FI-3").one()
    assert finland.name == "Ministry for Foreign Affairs of Finland"
    assert finland.aliases == ["Finland"]
    assert [(p.role, p.organisation_id) for p in own.partners] == [("funding", finland.id)]
    # a later file naming it only by one of those names (no identifier) finds the same organisation
    by_alias = UNICEF_FILE.read_text().replace(' ref="XM-DAC-41122" type="40">\n   <narrative>United', ' type="40">\n   <narrative>United')
    assert by_alias.count('ref="XM-DAC-41122"') == 1
    path = Path(runner.app.instance_path).parent / "by_alias.xml"
    path.write_text(by_alias.replace("XM-DAC-41122-LAO-2021-EDU-1", "XM-DAC-41122-LAO-2021-EDU-2"))
    cli_import(runner, path)
    assert session.query(Initiative).filter_by(iati_identifier="XM-DAC-41122-LAO-2021-EDU-2").one().organisation_id \
        == unicef.id


def test_an_upload_by_another_organisation_links_to_the_identifier_but_teaches_it_no_name(client, runner, session):
    cli_import(runner, UNICEF_FILE)
    unicef = session.query(Organisation).filter_by(org_identifier="XM-DAC-41122").one()
    before = (unicef.name, list(unicef.aliases))
    finland = session.query(Organisation).filter_by(org_identifier="FI-3").one()
    response = client.post("/api/v1/imports", headers=bearer(make_token(session, finland, "admin")),
                           content_type="multipart/form-data",
                           data={"format": "iati", "file": (io.BytesIO(ISSUE_FILE.read_bytes()), ISSUE_FILE.name)})
    assert response.status_code == 200, response.get_json()
    session.expire_all()
    unicef = session.query(Organisation).filter_by(org_identifier="XM-DAC-41122").one()
    assert (unicef.name, unicef.aliases) == before  # "UNICEF" is not added by Finland's upload
    x = session.query(Initiative).filter_by(iati_identifier="FI-3-X").one()
    assert x.organisation_id == finland.id
    assert [p.organisation_id for p in x.partners] == [unicef.id]
