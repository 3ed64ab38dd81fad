"""The bulk upload page: an organisation admin uploads real IATI and HXL files and reads the report."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from api.extensions import db
from coordination.models import Initiative, User

from .test_pages import csrf_of, sign_up

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"


def upload(client, name: str, fmt: str = "auto", content: bytes | None = None, token: str | None = None):
    """Post a file from tests/data/formats (or `content` under `name`) through the page's form."""
    token = token or csrf_of(client.get("/account/import").get_data(as_text=True))
    body = content if content is not None else (DATA / name).read_bytes()
    return client.post("/account/import", content_type="multipart/form-data",
                       data={"csrf_token": token, "format": fmt, "file": (io.BytesIO(body), name)})


@pytest.fixture
def admin(client):
    """A signed-up organisation whose first person (an admin) is signed in."""
    sign_up(client)
    return db.session.query(User).one()


def test_the_page_asks_to_sign_in_and_is_linked_from_the_account(client):
    assert client.get("/account/import").status_code == 302
    sign_up(client)
    assert 'href="/account/import"' in client.get("/account").get_data(as_text=True)
    html = client.get("/account/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html
    assert '<label for="in-file">' in html and "#adm1" in html and "iati-identifier" in html


def test_an_iati_file_is_imported_for_the_admins_organisation(client, admin):
    response = upload(client, "activity-standard-example-annotated.xml")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="count-created">1<', html) and re.search(r'id="count-skipped">0<', html)
    initiative = db.session.query(Initiative).one()
    assert initiative.organisation_id == admin.organisation_id
    again = upload(client, "activity-standard-example-annotated.xml").get_data(as_text=True)
    assert re.search(r'id="count-created">0<', again) and re.search(r'id="count-existing">1<', again)
    assert db.session.query(Initiative).count() == 1


def test_bad_records_are_listed_with_record_line_and_reason_and_good_ones_kept(client, admin):
    html = upload(client, "problems.xml").get_data(as_text=True)
    assert re.search(r'id="count-created">1<', html) and re.search(r'id="count-skipped">2<', html)
    table = html[html.index('<table class="problems">'):html.index("</table>")]
    assert "GB-CHC-000001-NOTITLE" in table and "(line 8)" in table and "no title" in table
    assert db.session.query(Initiative).one().iati_identifier == "GB-CHC-000001-GOOD"


BAD_DATES = b"""<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity>
  <iati-identifier>XM-TEST-BACKWARDS</iati-identifier>
  <reporting-org ref="XM-TEST" type="22"><narrative>Test</narrative></reporting-org>
  <title><narrative>Ends before it starts</narrative></title>
  <activity-date type="2" iso-date="2025-06-01"/>
  <activity-date type="4" iso-date="2020-01-01"/>
  <recipient-country code="KE"/>
 </iati-activity>
</iati-activities>"""


def test_a_record_the_services_refuse_names_its_field(client, admin):
    html = upload(client, "backwards.xml", content=BAD_DATES).get_data(as_text=True)
    assert re.search(r'id="count-skipped">1<', html)
    table = html[html.index('<table class="problems">'):html.index("</table>")]
    assert "XM-TEST-BACKWARDS" in table and "<code>end</code>" in table and "2025-06-01" in table


def test_an_hxl_3w_file_is_recognised_from_its_name(client, admin):
    html = upload(client, "afghanistan_3w_2024_excerpt.csv").get_data(as_text=True)
    created = int(re.search(r'id="count-created">(\d+)<', html).group(1))
    assert created > 0 and db.session.query(Initiative).count() == created
    assert all(i.organisation_id == admin.organisation_id for i in db.session.query(Initiative))


def test_the_sample_shown_on_the_page_imports(client, admin):
    page = client.get("/account/import").get_data(as_text=True)
    sample = re.search(r'<pre class="sample">(.*?)</pre>', page, re.DOTALL).group(1)
    html = upload(client, "sample.csv", content=sample.encode()).get_data(as_text=True)
    assert re.search(r'id="count-created">1<', html), html[html.find("import-report"):][:2000]


@pytest.mark.parametrize("name", ["billion_laughs.xml", "truncated_dportal_15.xml"])
def test_a_hostile_or_truncated_file_imports_nothing_and_says_why(client, admin, name):
    response = upload(client, name)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Nothing was imported from this file" in html
    assert 'id="err-file"' in html and db.session.query(Initiative).count() == 0


def test_missing_and_empty_files_are_named(client, admin):
    token = csrf_of(client.get("/account/import").get_data(as_text=True))
    missing = client.post("/account/import", data={"csrf_token": token, "format": "auto"})
    assert missing.status_code == 400 and 'id="err-file"' in missing.get_data(as_text=True)
    empty = upload(client, "empty.csv", content=b"", token=token)
    assert empty.status_code == 400 and "is empty" in empty.get_data(as_text=True)
    wrong = upload(client, "x.csv", fmt="pdf", content=b"a", token=token)
    assert wrong.status_code == 400 and 'id="err-format"' in wrong.get_data(as_text=True)


def test_members_who_are_not_admins_cannot_upload(client, admin):
    token = csrf_of(client.get("/account").get_data(as_text=True))
    client.post("/account/members", data={"csrf_token": token, "email": "joe@example.org",
                                          "password": "another long one", "role": "member"})
    client.post("/signout", data={"csrf_token": token})
    token = csrf_of(client.get("/signin").get_data(as_text=True))
    client.post("/signin", data={"csrf_token": token, "email": "joe@example.org", "password": "another long one"})
    page = client.get("/account/import")
    assert page.status_code == 403 and "amina@example.org" in page.get_data(as_text=True)
    refused = upload(client, "activity-standard-example-annotated.xml",
                     token=csrf_of(client.get("/account").get_data(as_text=True)))
    assert refused.status_code == 403 and db.session.query(Initiative).count() == 0


def test_uploads_need_the_csrf_token(client, admin):
    response = client.post("/account/import", content_type="multipart/form-data", data={
        "format": "iati", "file": (io.BytesIO((DATA / "problems.xml").read_bytes()), "problems.xml")})
    assert response.status_code == 400 and db.session.query(Initiative).count() == 0


def test_a_file_over_the_limit_is_refused_before_it_is_read(app, client, admin):
    app.config["UPLOAD_MAX_BYTES"] = 20 * 1024  # small: the test client spools big bodies to files it leaves open
    response = upload(client, "big.csv", content=b"x" * (20 * 1024 + 1))
    assert response.status_code == 413 and "larger than 20 KB" in response.get_data(as_text=True)
    assert db.session.query(Initiative).count() == 0


@pytest.mark.parametrize("name", ["..", ".", "../../escape.xml", "..\\..\\escape.xml", "a" * 296 + ".xml",
                                  "activity\x00.xml", "x" * 5000])
def test_any_file_name_is_stored_inside_the_upload_folder_and_the_file_imported(client, admin, monkeypatch, name):
    from werkzeug.datastructures import FileStorage

    saved, real_save = [], FileStorage.save
    monkeypatch.setattr(FileStorage, "save", lambda self, dst, *a, **kw: saved.append(Path(dst)) or
                        real_save(self, dst, *a, **kw))
    response = upload(client, name, fmt="iati",
                      content=(DATA / "activity-standard-example-annotated.xml").read_bytes())
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:500]
    assert re.search(r'id="count-created">1<', html)
    assert len(saved) == 1 and saved[0].name.startswith("upload") and ".." not in saved[0].parts
    assert saved[0].resolve().parent == saved[0].parent.resolve()  # directly inside the upload folder
    provenance = db.session.query(Initiative).one().provenance
    assert "\x00" not in provenance and "/" not in provenance.split("#")[0] and len(provenance) <= 300


def test_a_long_file_name_is_shortened_with_its_suffix_kept(client, admin):
    response = upload(client, "b" * 300 + ".csv", content=(DATA / "afghanistan_3w_2024_excerpt.csv").read_bytes())
    assert response.status_code == 200
    provenance = db.session.query(Initiative).first().provenance
    assert provenance.startswith("hxl:bbb") and "….csv#" in provenance  # recognised as HXL by its suffix
