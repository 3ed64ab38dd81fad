"""The OpenAPI document cannot fall behind the routes: every /api/v1 route is documented, and nothing else."""
from __future__ import annotations

import re

import pytest

UNDOCUMENTED = {"rest.openapi", "rest.docs"}  # the document and its page themselves
METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture
def spec(sqlite_app):
    return sqlite_app.test_client().get("/api/v1/openapi.json").get_json()


def _routes(app) -> set[tuple[str, str]]:
    """(METHOD, /path/{name}) of every Flask route under /api/v1, in OpenAPI's path syntax."""
    out = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint in UNDOCUMENTED:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        out |= {(method, path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return out


def test_every_api_route_is_in_the_openapi_document_and_nothing_else_is(sqlite_app, spec):
    documented = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops if method in METHODS}
    routes = _routes(sqlite_app)
    assert len(routes) >= 38
    assert sorted(routes - documented) == [], "routes missing from api/rest/openapi_paths.py"
    assert sorted(documented - routes) == [], "documented operations without a route"


def test_every_operation_declares_its_path_parameters_a_tag_and_its_errors(spec):
    tags = {t["name"] for t in spec["tags"]}
    for path, ops in spec["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        for method, op in ops.items():
            label = f"{method.upper()} {path}"
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert declared == names, label
            assert op["tags"] and set(op["tags"]) <= tags, label
            assert any(code.startswith("2") for code in op["responses"]), label
            assert {"401", "429", "503"} <= set(op["responses"]), label
            if "requestBody" in op:
                assert "413" in op["responses"], label
            for code, response in op["responses"].items():
                if code.startswith(("4", "5")):
                    assert response["$ref"].startswith("#/components/responses/"), label


def test_every_schema_reference_resolves(spec):
    text = str(spec)
    for kind, name in set(re.findall(r"#/components/(schemas|responses)/(\w+)", text)):
        assert name in spec["components"][kind], f"{kind}/{name}"


def test_the_docs_page_lists_every_operation_by_group(sqlite_app, spec):
    page = sqlite_app.test_client().get("/api/v1/docs").get_data(as_text=True)
    for path, ops in spec["paths"].items():
        for method in ops:
            assert f"{method.upper()} /api/v1{path}</code>" in page
    for tag in spec["tags"]:
        assert f'id="tag-{tag["name"]}"' in page


def test_the_docs_page_gives_an_example_per_operation_renders_markdown_and_links_back(sqlite_app, spec):
    page = sqlite_app.test_client().get("/api/v1/docs").get_data(as_text=True)
    operations = sum(len(ops) for ops in spec["paths"].values())
    assert page.count("Example request:") == operations
    assert page.count("curl -s") == operations and "Back to the goal map" in page and 'href="/"' in page
    assert "`" not in page.split("<main", 1)[1].split("<script", 1)[0]  # backticks became <code>
    assert '"title": "Repairing community wells in Kisumu"' in page.replace("&#34;", '"')
