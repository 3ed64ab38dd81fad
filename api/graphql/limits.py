"""Cheap limits checked before a GraphQL query runs: length, tokens, depth, aliases, page size.

Each limit reads `app.config` (defaults below), so a deployment can tighten them
without code. An abusive document is refused before validation and execution.
"""

from __future__ import annotations

from collections.abc import Mapping

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)

from coordination.errors import ValidationError

DEFAULTS = {
    "GRAPHQL_MAX_QUERY_LENGTH": 20_000,  # characters of the query text
    "GRAPHQL_MAX_TOKENS": 2_000,  # lexical tokens (the parser stops counting here)
    "GRAPHQL_MAX_DEPTH": 10,  # nested selections, introspection (__schema, __type) not counted
    "GRAPHQL_MAX_ALIASES": 20,  # aliased fields in the whole document
    "GRAPHQL_MAX_FIRST": 100,  # page size of every connection
}


def limit(config: Mapping, name: str) -> int:
    """The configured value of a limit, or its default."""
    return int(config.get(name, DEFAULTS[name]))


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, {"query": [message]})


def parse_limited(query: str, config: Mapping) -> DocumentNode:
    """Parse within the length and token limits; syntax errors become ValidationError."""
    max_length = limit(config, "GRAPHQL_MAX_QUERY_LENGTH")
    if len(query) > max_length:
        raise _refuse(f"The query is {len(query)} characters long; the limit is {max_length}.")
    try:
        return parse(query, max_tokens=limit(config, "GRAPHQL_MAX_TOKENS"))
    except GraphQLError as err:
        raise ValidationError(f"Syntax error: {err.message}", {"query": [err.message]}) from None


def query_depth(document: DocumentNode) -> int:
    """The deepest field nesting of any operation, following fragments (cycles stop)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    memo: dict[str, int] = {}

    def depth(selection_set: SelectionSetNode | None) -> int:
        best = 0
        for sel in selection_set.selections if selection_set else ():
            if isinstance(sel, FieldNode):
                if sel.name.value.startswith("__"):
                    continue  # introspection is bounded by the schema itself
                best = max(best, 1 + depth(sel.selection_set))
            elif isinstance(sel, InlineFragmentNode):
                best = max(best, depth(sel.selection_set))
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                if name not in memo and name in fragments:
                    memo[name] = 0  # a cycle (invalid anyway) counts as nothing
                    memo[name] = depth(fragments[name].selection_set)
                best = max(best, memo.get(name, 0))
        return best

    return max(
        (
            depth(d.selection_set)
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
        ),
        default=0,
    )


def alias_count(document: DocumentNode) -> int:
    """How many fields in the document carry an alias."""
    count = 0
    stack = [
        d.selection_set
        for d in document.definitions
        if isinstance(d, (OperationDefinitionNode, FragmentDefinitionNode))
    ]
    while stack:
        selection_set = stack.pop()
        for sel in selection_set.selections if selection_set else ():
            if isinstance(sel, FieldNode) and sel.alias is not None:
                count += 1
            if getattr(sel, "selection_set", None) is not None:
                stack.append(sel.selection_set)
    return count


def check_document(document: DocumentNode, config: Mapping) -> None:
    """Refuse a parsed document that is too deep or has too many aliases."""
    max_depth = limit(config, "GRAPHQL_MAX_DEPTH")
    found = query_depth(document)
    if found > max_depth:
        raise _refuse(f"The query is nested {found} levels deep; the limit is {max_depth}.")
    max_aliases = limit(config, "GRAPHQL_MAX_ALIASES")
    aliases = alias_count(document)
    if aliases > max_aliases:
        raise _refuse(f"The query uses {aliases} aliases; the limit is {max_aliases}.")


def check_first(first: int | None, config: Mapping, default: int) -> int:
    """A connection's page size, defaulted and checked against GRAPHQL_MAX_FIRST."""
    max_first = limit(config, "GRAPHQL_MAX_FIRST")
    value = default if first is None else first
    if not 1 <= value <= max_first:
        raise ValidationError(
            "Invalid page size.", {"first": [f"must be between 1 and {max_first}"]}
        )
    return value
