"""Requests the fuzzer rarely builds, checked against the OpenAPI document like the fuzzer checks them.

Each call goes through schemathesis (the documented operation, its parameters and body) and its
response must use a documented status and content type and match the documented schema. Also pins
the bugs found while documenting the operations (see the test names), on SQLite and PostgreSQL.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from coordination.services import webhook_hosts, webhook_transport

from ..factories import BOREHOLES, WELLS, bearer, initiative_data
from ..factories import make_initiative, make_organisation, make_token
from ..isolation import in_own_context

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FILES = Path(__file__).resolve().parents[1] / "data" / "formats"


@pytest.fixture
def call(app):
    """call("GET /overlaps", token, query=..., body=...) → the response, validated against the document."""
    schema = in_own_context(schemathesis.openapi.from_wsgi, "/api/v1/openapi.json", app)

    def send(label: str, token: str | None = None, expect: int | None = None, **case):
        method, path = label.split(" ", 1)
        operation = schema[path][method]
        made = operation.Case(**case)
        response = in_own_context(made.call, headers=bearer(token) if token else {})
        made.validate_response(response, checks=CHECKS)
        if expect is not None:
            assert response.status_code == expect, response.text[:500]
        return response

    return send


@pytest.fixture
def orgs(session):
    """Two NGOs with overlapping well repairs in Kisumu, their members and admins, a coordinator, a platform admin."""
    a = make_organisation(session, name="Kisumu Water Trust")
    b = make_organisation(session, name="Lake Basin Wells")
    first = make_initiative(session, a, **BOREHOLES)
    second = make_initiative(session, b, **WELLS)
    return {"a": a, "b": b, "first": first.id, "second": second.id,
            "member_a": make_token(session, a), "member_b": make_token(session, b),
            "admin_a": make_token(session, a, "admin"), "coordinator": make_token(session, None, "coordinator"),
            "platform": make_token(session, None, "admin")}


def test_convergence_reads_and_decisions_match_the_document(call, orgs):
    overlaps = call("GET /initiatives/{initiative_id}/overlaps", orgs["member_b"], 200,
                    path_parameters={"initiative_id": orgs["second"]}).json()["items"]
    assert overlaps and overlaps[0]["other"]["id"] == orgs["first"]
    overlap_id = overlaps[0]["id"]
    inbox = call("GET /inbox", orgs["member_a"], 200, query={"unread": "1"}).json()
    assert inbox["unread"] == 1
    decided = call("POST /overlaps/{overlap_id}/decision", orgs["member_a"], 200,
                   path_parameters={"overlap_id": overlap_id}, body={"status": "coordinating"}).json()
    assert decided["status"] == "coordinating" and decided["decided_by"]
    assert call("POST /inbox/read", orgs["member_a"], 200, body={"ids": [inbox["items"][0]["notice_id"]]}
                ).json() == {"marked": 1}
    assert call("POST /inbox/read", orgs["member_b"], 200).json() == {"marked": 1}  # no body: all
    call("GET /overlaps", None, 200, query={"goal": "6", "min_score": 0.1})
    call("GET /groups", None, 200, query={"goal": "6"})
    cells = call("GET /fragmentation", None, 200, query={"year": 2025, "area_level": "admin1"}).json()["cells"]
    assert all(c["period"] == ["2025-01-01", "2025-12-31"] for c in cells)
    assert call("GET /network", None, 200).json()["edges"]
    history = call("GET /initiatives/{initiative_id}/history", orgs["member_a"], 200,
                   path_parameters={"initiative_id": orgs["first"]}).json()["items"]
    assert history[0]["action"] == "create"


def test_overlaps_filter_by_their_own_status_and_by_the_initiatives_status(call, orgs):
    # `status` used to be read twice (overlap and initiative status), so any value was refused.
    assert len(call("GET /overlaps", None, 200, query={"status": "suggested"}).json()["items"]) == 1
    assert call("GET /overlaps", None, 200, query={"status": "confirmed"}).json()["items"] == []
    both = call("GET /overlaps", None, 200, query={"status": "suggested", "initiative_status": "implementation"})
    assert len(both.json()["items"]) == 1
    assert call("GET /overlaps", None, 200, query={"initiative_status": "closed"}).json()["items"] == []
    call("GET /overlaps", None, 400, query={"initiative_status": "suggested"})


@pytest.mark.parametrize("body", [[1], {"ids": 5}, {"ids": ["a"]}, {"ids": [10 ** 20]}, {"ids": [1.5]},
                                  {"idz": [1]}, "all"])
def test_marking_notices_read_refuses_anything_but_a_list_of_notice_ids(call, orgs, body):
    # A non-list `ids` was a 500; a body that was not an object silently marked everything read.
    call("POST /inbox/read", orgs["member_a"], 400, body=body)
    assert call("GET /inbox", orgs["member_a"], 200).json()["unread"] == 1


@pytest.mark.parametrize("fmt", ["iati", "hxl", "geojson", "csv"])
def test_an_export_with_a_bad_filter_is_a_400_before_any_byte_is_streamed(call, orgs, fmt):
    # CSV writers send their header row first, so the filter error used to break a 200 stream.
    call("GET /export/{fmt}", None, 400, path_parameters={"fmt": fmt}, query={"goal": "99"})
    call("GET /export/{fmt}", None, 400, path_parameters={"fmt": fmt}, query={"status": "ongoing"})
    assert call("GET /export/{fmt}", None, 200, path_parameters={"fmt": fmt}, query={"goal": "6"}).content


def test_an_organisation_admin_uploads_a_file_and_the_report_matches_the_document(call, orgs):
    data = (FILES / "activity-standard-example-annotated.xml").read_bytes()
    report = call("POST /imports", orgs["admin_a"], 200, body={"file": data, "format": "iati"},
                  media_type="multipart/form-data").json()
    assert report["created"] == 1 and report["file"]
    call("POST /imports", orgs["member_a"], 403, body={"file": data, "format": "iati"},
         media_type="multipart/form-data")
    bomb = (FILES / "billion_laughs.xml").read_bytes()
    call("POST /imports", orgs["admin_a"], 400, body={"file": bomb, "format": "iati"},
         media_type="multipart/form-data")


def test_an_upload_that_is_not_multipart_is_a_415(app, orgs):
    response = app.test_client().post("/api/v1/imports?format=iati", data=b"<iati-activities/>",
                                      headers={**bearer(orgs["admin_a"]), "Content-Type": "application/xml"})
    assert response.status_code == 415 and response.get_json()["error"]["code"] == "unsupported_media_type"


def test_a_webhooks_life_matches_the_document(call, orgs, monkeypatch):
    monkeypatch.setattr(webhook_transport, "post", lambda url, body, headers, timeout, *pinned: 204)
    monkeypatch.setattr(webhook_hosts, "_resolve", lambda host: ["93.184.216.34"])  # no DNS in the sandbox
    created = call("POST /webhooks", orgs["admin_a"], 201, body={"url": "https://hooks.example.org/in"}).json()
    assert len(created["secret"]) >= 16
    assert [h["id"] for h in call("GET /webhooks", orgs["admin_a"], 200).json()["items"]] == [created["id"]]
    sent = call("POST /webhooks/{webhook_id}/test", orgs["admin_a"], 200,
                path_parameters={"webhook_id": created["id"]}).json()
    assert sent["status"] == "delivered"
    call("POST /webhooks", orgs["admin_a"], 400, body={"url": "https://hooks.example.org/in", "secrets": "x"})
    call("POST /webhooks", orgs["member_a"], 403, body={"url": 5})  # permission first, then the body
    call("DELETE /webhooks/{webhook_id}", orgs["admin_a"], 204, path_parameters={"webhook_id": created["id"]})


def test_the_digest_settings_have_the_same_keys_with_or_without_an_address(call, orgs):
    none = call("GET /notifications/email", orgs["admin_a"], 200).json()
    assert none == {"contact_email": None, "active": False, "last_sent_at": None, "last_error": None}
    call("PUT /notifications/email", orgs["admin_a"], 200, body={"contact_email": "alerts@kisumu.example"})
    assert call("GET /notifications/email", orgs["admin_a"], 200).json()["active"] is True
    call("PUT /notifications/email", orgs["admin_a"], 400, body={"contact_email": ["alerts@kisumu.example"]})
    call("DELETE /notifications/email", orgs["admin_a"], 204)
    call("DELETE /notifications/email", orgs["admin_a"], 404)


VISION = {"name": "Lake Basin Compact", "goals": [
    {"code": "W1", "title": "Safe water for every village", "sdg_code": "6.1", "colour": "#1f77b4",
     "targets": [{"code": "W1.1", "title": "Boreholes within 1 km", "sdg_code": "6.1"}]}]}


@pytest.mark.parametrize("body, field", [
    (["not", "an", "object"], "_body"),
    ({**VISION, "name": 5}, "name"),
    ({**VISION, "goals": ["W1"]}, "goals.0"),
    ({**VISION, "goals": [{"code": "W1", "title": "a"}, {"code": "W1", "title": "b"}]}, "goals.1.code"),
    ({**VISION, "goals": [{"code": "W" * 40, "title": "a"}]}, "goals.0.code"),
    ({**VISION, "slug": "s" * 70}, "slug"),
    ({**VISION, "goals": [{"code": "W1", "title": "a", "sdg_code": "19"}]}, "goals.0.sdg_code"),
])
def test_a_malformed_vision_is_a_400_naming_the_field(call, orgs, body, field):
    # Each of these was a 500 (the first four on any database, the lengths on PostgreSQL).
    response = call("POST /visions", orgs["coordinator"], 400, body=body)
    assert field in response.json()["error"]["fields"]


def test_a_coordinator_adds_a_vision_and_initiatives_use_its_goals(call, orgs):
    vision = call("POST /visions", orgs["coordinator"], 201, body=VISION).json()
    assert vision["slug"] == "lake-basin-compact" and vision["goals"][0]["targets"][0]["code"] == "W1.1"
    call("POST /visions", orgs["coordinator"], 409, body=VISION)
    call("POST /visions", orgs["member_a"], 403, body={"name": 5})  # permission first, then the body
    assert call("GET /goals/{code}", None, 200, path_parameters={"code": "lake-basin-compact:W1"}
                ).json()["sdg_code"] == "6.1"
    assert call("GET /goals/{code}", None, 200, path_parameters={"code": "6.A"}).json()["code"] == "6.a"
    call("GET /goals/{code}", None, 404, path_parameters={"code": "18"})


@pytest.mark.parametrize("label, path_parameters, body, field", [
    ("POST /tags/merge", {}, {"from": [5], "into": "wash"}, "from.0"),
    ("POST /tags/merge", {}, {"from": [], "into": "wash"}, "from"),
    ("POST /tags/merge", {}, {"from": ["x" * 300], "into": "wash"}, "from.0"),
    ("POST /tags/merge", {}, {"from": "wash", "into": "wash"}, "from"),
    ("POST /tags/{key}/synonyms", {"key": "wash"}, {"label": 5}, "label"),
    ("POST /tags/{key}/synonyms", {"key": "wash"}, {"label": "Long label " * 30}, "label"),
])
def test_malformed_tag_curation_is_a_400_naming_the_field(call, orgs, label, path_parameters, body, field):
    # Non-string keys and over-long labels were 500s (the lengths on PostgreSQL).
    response = call(label, orgs["coordinator"], 400, path_parameters=path_parameters, body=body)
    assert field in response.json()["error"]["fields"]
    call(label, orgs["member_a"], 403, path_parameters=path_parameters, body=body)


def test_tag_curation_round_trip_matches_the_document(call, orgs):
    merged = call("POST /tags/merge", orgs["coordinator"], 200,
                  body={"from": ["Water supply", "Water supply"], "into": "wash"}).json()
    assert merged["into"] == "wash" and merged["initiatives_moved"] == 1
    call("POST /tags/merges/{merge_id}/undo", orgs["coordinator"], 200,
         path_parameters={"merge_id": merged["merge_id"]})
    call("POST /tags/merges/{merge_id}/undo", orgs["coordinator"], 409,
         path_parameters={"merge_id": merged["merge_id"]})
    tag = call("POST /tags/{key}/synonyms", orgs["coordinator"], 200, path_parameters={"key": "wash"},
               body={"label": "Agua y saneamiento"}).json()
    assert "Agua y saneamiento" in tag["aliases"]


@pytest.mark.parametrize("body, field", [
    ({"title": "Boreholes", "country": 5}, "country"),
    ({"title": "Boreholes", "description": 1.5}, "description"),
    ({"title": "Boreholes", "description": {"text": "water"}}, "description"),
    ({"title": "Boreholes", "tags": [{}]}, "tags.0"),
    ({"title": "x" * 301}, "title"),
    ({"title": "Boreholes", "colour": "blue"}, "colour"),
])
def test_wrongly_typed_suggestion_fields_are_a_400_naming_the_field(call, body, field):
    # A non-string description or country was a 500; an over-long title was blamed on `description`.
    assert field in call("POST /suggestions", None, 400, body=body).json()["error"]["fields"]


def test_restore_verify_and_rejecting_a_suggestion_match_the_document(call, orgs, session):
    call("DELETE /initiatives/{initiative_id}", orgs["member_a"], 200, path_parameters={"initiative_id": orgs["first"]})
    call("POST /initiatives/{initiative_id}/restore", orgs["coordinator"], 403,
         path_parameters={"initiative_id": orgs["first"]})
    restored = call("POST /initiatives/{initiative_id}/restore", orgs["platform"], 200,
                    path_parameters={"initiative_id": orgs["first"]}, headers={"Idempotency-Key": "restore-1"})
    assert restored.json()["withdrawn"] is False and restored.headers["etag"]
    assert call("POST /organisations/{slug}/verify", orgs["coordinator"], 200,
                path_parameters={"slug": orgs["b"].slug}).json()["verified"] is True
    body = call("POST /initiatives", orgs["member_a"], 201, body=initiative_data(
        goals=[], title="Drinking water supply: boreholes, hand pumps and water point repairs",
        description="Rehabilitating boreholes and hand pumps so that rural households have safe drinking water.")
    ).json()
    code = body["suggested_goals"][0]["code"]
    rejected = call("DELETE /initiatives/{initiative_id}/suggested-goals/{code}", orgs["member_a"], 200,
                    path_parameters={"initiative_id": body["id"], "code": code})
    assert rejected.headers["etag"] == [f'"{rejected.json()["version"]}"']
