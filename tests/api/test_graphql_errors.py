"""GraphQL errors: the REST codes and fields under errors[].extensions, limits, malformed requests."""

from __future__ import annotations

import json

import pytest

from tests.factories import make_organisation, make_token

from .test_graphql import REGISTER, error_of, gql, graphql_input


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"goals": ["6.1", "99.9"]}, "goals"),
        ({"locations": [{"name": "Nowhere", "lat": 91, "lon": 34.7}]}, "locations.0.lat"),
        ({"start": "2025-06-01", "end": "2025-01-01"}, "end"),
        ({"title": "x" * 301}, "title"),
        ({"title": None}, "title"),
        ({"peopleTargeted": -5}, "peopleTargeted"),
        ({"status": "finished"}, "status"),
    ],
)
def test_bad_input_is_a_validation_error_naming_the_field(client, session, overrides, field):
    token = make_token(session, make_organisation(session))
    body = gql(client, REGISTER, {"input": graphql_input(**overrides)}, token)
    ext = error_of(body)
    assert body["data"] is None
    assert ext["code"] == "validation_error"
    assert field in ext["fields"], ext
    assert (
        gql(client, "{ initiatives { totalCount } }", token=token)["data"]["initiatives"][
            "totalCount"
        ]
        == 0
    )


def test_a_wrongly_typed_variable_is_refused_with_http_400(client):
    body = gql(client, REGISTER, {"input": {"title": 12, "goals": "6"}}, status=400)
    assert body["errors"][0]["extensions"]["code"] == "validation_error"


def test_a_bad_filter_names_the_filter_field(client):
    for filter_, field in (
        ({"bbox": "1,2,3"}, "bbox"),
        ({"goal": "99"}, "goal"),
        ({"status": "done"}, "status"),
        ({"year": 20}, "year"),
    ):
        body = gql(
            client,
            "query($f: InitiativeFilter) { initiatives(filter: $f) { totalCount } }",
            {"f": filter_},
        )
        assert error_of(body)["code"] == "validation_error" and field in error_of(body)["fields"]


def test_page_sizes_and_cursors_are_checked(client):
    for args, field, status in (
        ("first: 101", "first", 400),  # refused before execution
        ("first: 0", "first", 400),
        ('after: "nonsense!"', "after", 200),  # a cursor is only known bad when it is decoded
    ):
        body = gql(client, f"{{ initiatives({args}) {{ totalCount }} }}", status=status)
        assert error_of(body)["fields"].keys() == {field}
    body = gql(client, "{ organisations(first: 500) { totalCount } }", status=400)
    assert error_of(body)["fields"].keys() == {"first"}
    body = gql(client, "query($n: Int) { initiatives(first: $n) { totalCount } }",
               variables={"n": 1000}, status=400)
    assert error_of(body)["fields"]["first"] == ["must be between 1 and 100"]


def _statements_during(app, work) -> list[str]:
    """The SQL statements the app runs for the requests of `work`, without the bookkeeping every
    request has: SQLite's BEGIN (PostgreSQL's driver begins a transaction without a statement of
    its own) and, on PostgreSQL, the rate limiter's bucket (one statement on a connection of its own)."""
    from sqlalchemy import event

    from api.extensions import db

    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def listener(_conn, _cursor, statement: str, *_args) -> None:
        if not statement.startswith("BEGIN") and "rate_limit_bucket" not in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return seen


def test_a_query_multiplying_nested_lists_is_refused_by_cost_before_touching_the_database(client, app):
    nested = """{ initiatives(first: 100) { edges { node { overlaps { score
                  initiatives { overlaps { score initiatives { overlaps { score } } } } } } } } }"""
    holder: dict = {}
    statements = _statements_during(app, lambda: holder.update(body=gql(client, nested, status=400)))
    message = error_of(holder["body"])["fields"]["query"][0]
    assert "more than 50000 fields" in message
    assert statements == []
    modest = "{ initiatives(first: 20) { edges { node { title overlaps { score explanation } } } } }"
    assert gql(client, modest)["data"]["initiatives"]["edges"] == []


def test_cost_follows_variables_fragments_and_the_configured_limit(client, app):
    from graphql import parse

    from api.graphql.cost import query_cost
    from api.graphql.schema import get_schema

    schema = get_schema().graphql_schema
    doc = parse("""query($n: Int) { initiatives(first: $n) { edges { node { ...F } } } }
                   fragment F on Initiative { title goals { code } }""")
    small = query_cost(schema, doc, {"n": 2}, None, app.config)
    large = query_cost(schema, doc, {"n": 100}, None, app.config)
    assert large > small * 40  # pages multiply their sub-selection
    app.config["GRAPHQL_MAX_COST"] = small
    query = "query($n: Int) { initiatives(first: $n) { edges { node { title goals { code } } } } }"
    assert gql(client, query, variables={"n": 2})["data"]["initiatives"]["edges"] == []
    assert error_of(gql(client, query, variables={"n": 3}, status=400))["code"] == "validation_error"


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"data": "{not json", "content_type": "application/json"}, "_body"),
        ({"data": "query { visions { slug } }", "content_type": "text/plain"}, "_body"),
        ({"json": {"variables": {}}}, "query"),
        ({"json": [{"query": "{ visions { slug } }"}]}, "_body"),
        ({"json": {"query": "{ visions { slug }", "variables": None}}, "query"),
        ({"json": {"query": "{ visions { slug } }", "variables": [1]}}, "variables"),
    ],
)
def test_malformed_requests_get_a_clear_400_in_the_same_shape(client, kwargs, field):
    response = client.post("/graphql", **kwargs)
    assert response.status_code == 400
    ext = error_of(response.get_json())
    assert ext["code"] == "validation_error" and field in ext["fields"]


def test_unknown_fields_fail_validation_before_running(client):
    body = gql(client, "{ initiatives { edges { node { secretField } } } }", status=400)
    assert body["errors"][0]["extensions"]["code"] == "validation_error"
    assert "secretField" in body["errors"][0]["message"] and "data" not in body


def test_a_too_deep_query_is_refused_before_executing(client, app, monkeypatch):
    from api.graphql import view

    executed = []
    real_execute = view.execute
    monkeypatch.setattr(
        view, "execute", lambda *a, **kw: executed.append(1) or real_execute(*a, **kw)
    )
    app.config["GRAPHQL_MAX_DEPTH"] = 4
    deep = "{ visions { goals { targets { parent { targets { code } } } } } }"
    body = gql(client, deep, status=400)
    assert error_of(body)["code"] == "validation_error" and "data" not in body
    assert "6 levels deep" in error_of(body)["fields"]["query"][0]
    assert executed == []
    assert gql(client, "{ visions { goals { targets { code } } } }")["data"]["visions"]
    assert executed == [1]


def test_depth_is_counted_through_fragments_and_default_limits_allow_introspection(client):
    fragment = """query { visions { ...V } }
    fragment V on Vision { goals { ...G } }
    fragment G on Goal { targets { parent { targets { parent { targets { parent { targets {
      parent { targets { code } } } } } } } } } }"""
    assert "12 levels deep" in error_of(gql(client, fragment, status=400))["fields"]["query"][0]
    from graphql import get_introspection_query

    body = gql(client, get_introspection_query(descriptions=True))
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_too_many_aliases_and_too_long_queries_are_refused(client, app):
    aliases = "{ " + " ".join(f"v{i}: visions {{ slug }}" for i in range(21)) + " }"
    assert "21 aliases" in error_of(gql(client, aliases, status=400))["fields"]["query"][0]
    app.config["GRAPHQL_MAX_QUERY_LENGTH"] = 50
    long_query = "{ visions { slug name description builtin goals { code title } } }"
    assert error_of(gql(client, long_query, status=400))["fields"].keys() == {"query"}


def test_too_many_tokens_are_refused(client, app):
    app.config["GRAPHQL_MAX_TOKENS"] = 12
    query = "{ visions { slug name description builtin goals { code title level colour } } }"
    assert error_of(gql(client, query, status=400))["code"] == "validation_error"


def test_unexpected_errors_are_generic_and_roll_back(client, session, monkeypatch):
    from coordination.services import initiatives as service

    def explode(*_args, **_kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(service, "register_initiative", explode)
    token = make_token(session, make_organisation(session))
    response = client.post(
        "/graphql",
        json={"query": REGISTER, "variables": {"input": graphql_input()}},
        headers={"Authorization": f"Bearer {token}"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "hunter2" not in text and "Traceback" not in text and "RuntimeError" not in text
    assert error_of(response.get_json())["code"] == "internal_error"


def test_nul_characters_in_variables_or_literals_are_a_field_error_not_a_500(client, session):
    token = make_token(session, make_organisation(session))
    body = gql(client, REGISTER, {"input": graphql_input(title="Wells\u0000")}, token, status=400)
    assert error_of(body)["fields"] == {"input.title": ["must not contain NUL (U+0000) characters"]}
    literal = '{ initiatives(filter: {q: "wells\\u0000"}) { totalCount } }'
    assert error_of(gql(client, literal, status=400))["code"] == "validation_error"
    assert gql(client, '{ initiatives(filter: {q: "wells"}) { totalCount } }')["data"]


def _nested(depth: int, kind: str) -> str:
    return "[" * depth + "]" * depth if kind == "array" else '{"a": ' * depth + "1" + "}" * depth


@pytest.mark.parametrize("kind", ["array", "object"])
@pytest.mark.parametrize("depth", [1000, 100_000])
@pytest.mark.parametrize("as_string", [False, True])
def test_a_deeply_nested_body_is_a_400_in_the_graphql_shape(client, kind, depth, as_string):
    variables = '{"x": ' + _nested(depth, kind) + "}"
    if as_string:  # some clients send the variables as a JSON string
        variables = json.dumps(variables)
    response = client.post("/graphql", data='{"query": "{ __typename }", "variables": ' + variables + "}",
                           content_type="application/json")
    assert response.status_code == 400
    ext = error_of(response.get_json())
    assert ext["code"] == "validation_error" and "levels deep" in ext["fields"]["_body"][0]


def test_nesting_past_the_limit_is_refused_and_ordinary_nesting_is_not(client):
    body = '{"query": "{ __typename }", "variables": {"x": ' + _nested(300, "array") + "}}"
    response = client.post("/graphql", data=body, content_type="application/json")
    assert response.status_code == 400 and error_of(response.get_json())["code"] == "validation_error"
    ordinary = '{"query": "{ __typename }", "variables": {"x": ' + _nested(5, "object") + "}}"
    assert client.post("/graphql", data=ordinary, content_type="application/json").status_code == 200
