"""Checked documents are kept per query text: asking the same text again answers the same,
whatever came before (a refused or invalid text stays refused, variables are checked anew)."""

from __future__ import annotations

from api.graphql import documents


def _post(client, query: str, variables=None):
    response = client.post("/graphql", json={"query": query, "variables": variables})
    return response.status_code, response.get_json()


def test_the_same_text_answers_the_same_every_time(client):
    query = "query Count($q: String) { initiatives(filter: {q: $q}) { totalCount } }"
    first = _post(client, query, {"q": "water"})
    assert first[0] == 200, first
    assert first[1]["data"]["initiatives"]["totalCount"] == 0
    assert _post(client, query, {"q": "water"}) == first
    # The kept document does not keep the variables' check: NUL in a variable is still refused.
    status, body = _post(client, query, {"q": "wa\x00ter"})
    assert status == 400 and "q" in body["errors"][0]["extensions"]["fields"], body
    assert _post(client, query, {"q": "water"}) == first


def test_invalid_and_refused_texts_stay_refused(client):
    invalid = "{ initiatives { noSuchField } }"
    answers = [_post(client, invalid) for _ in range(2)]
    assert answers[0][0] == 400 and answers[0] == answers[1]
    literal = '{ initiatives(filter: {q: "wa\\u0000ter"}) { totalCount } }'
    answers = [_post(client, literal) for _ in range(2)]
    assert answers[0][0] == 400 and answers[0] == answers[1]
    assert "query" in answers[0][1]["errors"][0]["extensions"]["fields"]


def test_a_tighter_limit_applies_to_a_kept_text(client, app):
    deep = "{ initiatives { edges { node { organisation { name } } } } }"
    assert _post(client, deep)[0] == 200
    app.config["GRAPHQL_MAX_DEPTH"] = 2
    status, body = _post(client, deep)
    assert status == 400, body


def test_the_table_is_bounded(monkeypatch, app):
    monkeypatch.setattr(documents, "KEPT", 3)
    for n in range(6):
        documents.checked_document(f"{{ initiatives(first: {n + 1}) {{ totalCount }} }}", app.config)
    assert len(documents._checked) <= 3
