"""The reporting period of a 3W file through the doors: the upload page and the REST upload."""
from __future__ import annotations

import io
import re
from pathlib import Path

from api.extensions import db
from coordination.models import Initiative

from ..factories import bearer, make_organisation, make_token
from .test_pages import csrf_of
from .test_pages_upload import admin  # noqa: F401 (fixture)

Q1_2024 = (Path(__file__).resolve().parents[1] / "data" / "periods"
           / "afghanistan_3w_operational_presence_january_march_2024_kabul_wash.csv")


def _upload_page(client, name: str, period: str):
    token = csrf_of(client.get("/account/import").get_data(as_text=True))
    return client.post("/account/import", content_type="multipart/form-data",
                       data={"csrf_token": token, "format": "auto", "period": period,
                             "file": (io.BytesIO(Q1_2024.read_bytes()), name)})


def test_the_upload_page_offers_a_period_and_reports_the_one_it_applied(client, admin):  # noqa: F811
    page = client.get("/account/import").get_data(as_text=True)
    assert '<label for="in-period">' in page and 'name="period"' in page
    html = _upload_page(client, Q1_2024.name, "").get_data(as_text=True)
    period = re.search(r'<p id="report-period">(.*?)</p>', html, re.DOTALL)[1]
    assert "2024-01-01 to 2024-03-31" in period and "file name" in period and "2 rows without dates" in period
    again = _upload_page(client, "kabul.csv", "2023-Q4").get_data(as_text=True)
    assert "2023-10-01 to 2023-12-31 (given at import)" in again
    dates = {(i.start_date.isoformat(), i.end_date.isoformat()) for i in db.session.query(Initiative)}
    assert dates == {("2024-01-01", "2024-03-31"), ("2023-10-01", "2023-12-31")}


def test_the_upload_page_says_when_no_period_was_found_and_refuses_a_bad_one(client, admin):  # noqa: F811
    html = _upload_page(client, "kabul.csv", "").get_data(as_text=True)
    assert "No reporting period" in re.search(r'<p id="report-period">(.*?)</p>', html, re.DOTALL)[1]
    bad = _upload_page(client, "other.csv", "2024-03..2024-01")
    assert bad.status_code == 400
    assert 'id="err-period"' in bad.get_data(as_text=True)
    assert db.session.query(Initiative).count() == 2  # the first upload's, nothing from the refused one


def test_the_rest_upload_takes_a_period_and_reports_it(client):
    org = make_organisation(db.session)
    admin_token = make_token(db.session, org, "admin")
    response = client.post("/api/v1/imports", headers=bearer(admin_token), content_type="multipart/form-data",
                           data={"format": "hxl", "period": "2024-01..2024-03",
                                 "file": (io.BytesIO(Q1_2024.read_bytes()), "kabul.csv")})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["period"] == {"start": "2024-01-01", "end": "2024-03-31", "label": "2024-01..2024-03",
                                             "source": "given at import", "rows": 2}
    bad = client.post("/api/v1/imports", headers=bearer(admin_token), content_type="multipart/form-data",
                      data={"format": "iati", "period": "2024-01..2024-03",
                            "file": (io.BytesIO(b"<iati-activities/>"), "a.xml")})
    assert bad.status_code == 400 and "period" in bad.get_json()["error"]["fields"]
