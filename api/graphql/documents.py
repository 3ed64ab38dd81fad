"""Checked GraphQL documents, kept per query text: parsed, limited, validated once.

A client sends the same few query texts over and over (variables change, the text does not).
Validating a document against the schema walks every node with the schema's type info: ~6 ms
of CPU for the `initiatives` page query, a third of such a request. What the checks find
depends only on the query text, the schema and the configured limits, so the outcome of a
document that passed parsing and the limits is kept (the validation problems too, if any) in
a small least-recently-used table per process; a document refused by a limit or the parser is
checked again every time (nothing is kept for it). graphql-core's execution does not change
a document, so one parsed document serves every request with that text.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from graphql import DocumentNode, GraphQLError, GraphQLSchema, Visitor, validate, visit

from ..rest.common import text_problem
from .limits import DEFAULTS, check_document, limit, parse_limited

KEPT = 256  # query texts kept per process (each at most GRAPHQL_MAX_QUERY_LENGTH characters)


@dataclass(frozen=True)
class Checked:
    """A parsed document within the limits: why its string literals cannot be stored (the
    first one found, or None), and its validation problems against the schema (run later,
    `problems_of`, so that the caller's order of checks stays as it was)."""

    document: DocumentNode
    literal_problem: str | None


def _literal_problem(document: DocumentNode) -> str | None:
    """Why the first string literal no column can store (NUL, lone surrogate) cannot, or None."""
    found: list[str] = []

    class Finder(Visitor):
        def enter_string_value(self, node, *_args):
            problem = text_problem(node.value)
            if problem and not found:
                found.append(problem)

    visit(document, Finder())
    return found[0] if found else None


_checked: OrderedDict[tuple, Checked] = OrderedDict()
_problems: OrderedDict[tuple, list[GraphQLError]] = OrderedDict()
_lock = threading.Lock()


def _keep(table: OrderedDict, key: tuple, value) -> None:
    with _lock:
        table[key] = value
        table.move_to_end(key)
        while len(table) > KEPT:
            table.popitem(last=False)


def _kept(table: OrderedDict, key: tuple):
    with _lock:
        value = table.get(key)
        if value is not None:
            table.move_to_end(key)
        return value


def _key(query: str, config: Mapping) -> tuple:
    return (query, *(limit(config, name) for name in DEFAULTS))


def checked_document(query: str, config: Mapping) -> Checked:
    """The query parsed and within the length, token, depth and alias limits (else the
    ValidationError `parse_limited` or `check_document` raises, every time)."""
    key = _key(query, config)
    kept = _kept(_checked, key)
    if kept is not None:
        return kept
    document = parse_limited(query, config)
    check_document(document, config)
    kept = Checked(document, _literal_problem(document))
    _keep(_checked, key, kept)
    return kept


def problems_of(schema: GraphQLSchema, query: str, checked: Checked, config: Mapping) -> list[GraphQLError]:
    """graphql-core's validation of the checked document against the schema (kept per text)."""
    key = (schema, *_key(query, config))
    problems = _kept(_problems, key)
    if problems is None:
        problems = validate(schema, checked.document)
        _keep(_problems, key, problems)
    return problems
