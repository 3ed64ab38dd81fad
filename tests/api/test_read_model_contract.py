"""The OpenAPI document describes the read models exactly: what the API writes is documented, with its type,
and nothing is documented that the API never writes.

The read models are `coordination.reads.initiative_view` (an initiative, written by
`serialise.initiative_to_dict`), `coordination.reads.overlap_view` (an overlap, written by
`insights.overlap_to_dict`), the groups and the fragmentation cells of `coordination.insights`; the
marshmallow output schemas in `api/schemas/` only describe them for the OpenAPI document. The Initiative
and Overlap components list exactly the read models' fields (`INITIATIVE_FIELDS`, `OVERLAP_FIELDS`).
Each component reached from the answers below is compared, recursively, with the objects the API
answered: every property the document lists was written at least once, every key written is a
property, and every value has the documented JSON type (null only where the property is nullable).
"""
from __future__ import annotations

from collections import defaultdict

import pytest

from api.graphql.types import Initiative, OverlapType
from coordination.reads.initiative_view import INITIATIVE_FIELDS
from coordination.reads.overlap_view import OVERLAP_FIELDS

from ..factories import BOREHOLES, WELLS, bearer, initiative_data, make_organisation, make_token

JSON_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list, "object": dict}


class Contract:
    """Walks answers against the document, collecting the keys written per component."""

    def __init__(self, document: dict):
        self.components = document["components"]["schemas"]
        self.written: dict[str, set[str]] = defaultdict(set)
        self.reached: set[str] = set()

    def resolve(self, schema: dict) -> tuple[str | None, dict]:
        if "allOf" in schema and len(schema["allOf"]) == 1:
            name, inner = self.resolve(schema["allOf"][0])
            return name, {**inner, **{k: v for k, v in schema.items() if k != "allOf"}}
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            return name, self.components[name]
        return None, schema

    def check(self, value, schema: dict, where: str) -> None:
        name, schema = self.resolve(schema)
        if value is None:
            assert schema.get("nullable"), f"{where} is null but not nullable in the document"
            return
        expected = schema.get("type")
        if expected is not None:
            assert isinstance(value, JSON_TYPES[expected]) and not (
                expected in ("integer", "number") and isinstance(value, bool)), (
                f"{where} is {type(value).__name__}, the document says {expected}")
        if isinstance(value, list):
            for i, item in enumerate(value):
                self.check(item, schema.get("items", {}), f"{where}[{i}]")
        elif isinstance(value, dict) and "properties" in schema:
            properties = schema["properties"]
            assert set(value) <= set(properties), f"{where} writes {set(value) - set(properties)} undocumented"
            assert set(schema.get("required", ())) <= set(value), f"{where} misses required keys"
            if name is not None:
                self.reached.add(name)
                self.written[name] |= set(value)
            for key, item in value.items():
                self.check(item, properties[key], f"{where}.{key}")

    def never_written(self, name: str) -> set[str]:
        return set(self.components[name]["properties"]) - self.written[name]


@pytest.fixture
def answers(client, session):
    """Two overlapping initiatives of two organisations, and what REST answers about them."""
    a, b = make_organisation(session, name="Kisumu Water Trust"), make_organisation(session, name="Lake Basin Wells")
    funder = make_organisation(session, name="Kisumu County Water Office")
    token_a, token_b = make_token(session, a), make_token(session, b)
    first = client.post("/api/v1/initiatives", headers=bearer(token_a), json=initiative_data(
        **BOREHOLES, budget=25000, currency="USD", people_targeted=1200, primary_goal="6.1",
        partners=[{"organisation": funder.slug, "role": "funding"}]))
    second = client.post("/api/v1/initiatives", json=initiative_data(**WELLS), headers=bearer(token_b)).get_json()
    overlaps = client.get(f"/api/v1/initiatives/{second['id']}/overlaps").get_json()["items"]
    assert first.status_code == 201, first.get_json()
    assert overlaps, "the two initiatives overlap"
    decided = client.post(f"/api/v1/overlaps/{overlaps[0]['id']}/decision", json={"status": "confirmed"},
                          headers=bearer(token_a))
    assert decided.status_code == 200, decided.get_json()

    def get(url: str) -> dict:
        response = client.get(f"/api/v1{url}")
        assert response.status_code == 200, (url, response.get_json())
        return response.get_json()
    return {
        "/initiatives/{initiative_id}": [first.get_json(), get(f"/initiatives/{second['id']}")],
        "/initiatives/{initiative_id}/overlaps": [get(f"/initiatives/{second['id']}/overlaps")],
        "/overlaps": [get("/overlaps?status=confirmed")],
        "/groups": [get("/groups")],
        "/fragmentation": [get("/fragmentation?year=2020"), get("/fragmentation")],
    }


def test_every_field_the_read_models_write_is_documented_with_its_type_and_every_documented_field_is_written(
        client, answers):
    document = client.get("/api/v1/openapi.json").get_json()
    contract = Contract(document)
    for path, bodies in answers.items():
        schema = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        for body in bodies:
            contract.check(body, schema, path)
    assert {"Initiative", "Overlap", "ConvergenceGroup", "FragmentationCell"} <= contract.reached
    for name in ("Initiative", "LocationOut", "PartnerOut", "Freshness", "Overlap", "OverlapSide",
                 "ConvergenceGroup", "FragmentationCell"):
        assert contract.never_written(name) == set(), f"{name} documents fields no answer writes"


@pytest.mark.parametrize("component, fields, optional", [
    ("Initiative", INITIATIVE_FIELDS, set()),
    ("Overlap", OVERLAP_FIELDS, {"other"}),  # written only when read from one side (an initiative, an inbox)
])
def test_the_document_lists_exactly_the_read_models_fields_all_required_but_the_optional(
        client, component, fields, optional):
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"][component]
    assert set(schema["properties"]) == set(fields)
    assert set(schema["required"]) == set(fields) - optional


@pytest.mark.parametrize("graphql_type, fields, links", [
    (Initiative, INITIATIVE_FIELDS, {"overlaps"}),  # a link to other objects, read by insights.overlaps_of
    (OverlapType, OVERLAP_FIELDS, set()),
])
def test_graphql_describes_no_field_the_read_model_does_not_have(graphql_type, fields, links):
    assert set(graphql_type._meta.fields) - links <= set(fields)
