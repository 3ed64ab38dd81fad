"""Cheap limits checked before a GraphQL query runs: length, tokens, depth, aliases, page size, cost.

Each limit reads `app.config` (defaults below), so a deployment can tighten them
without code. An abusive document is refused before execution: length, tokens, depth
and aliases right after parsing; page sizes and cost after validation (they need the
schema's types and the variables).

Cost: every selected field costs 1, times how many times it can be resolved. A field
with a `first` argument multiplies its sub-selection by that page size (a literal, a
variable's value or the argument's default); any other list multiplies it by
GRAPHQL_LIST_ESTIMATE. So `initiatives(first: 100) { edges { node { overlaps {
other { title } } } } }` costs about 100 x 10 x 3; nesting lists inside lists grows the
cost geometrically and is refused long before it could load the database.

Analytics: the root fields in ANALYTICS_COSTS (organisationNetwork, convergenceGroups,
allySuggestions, fragmentation, gaps). Without a filter they are answered from state kept up
to date as overlaps change (`coordination.maintained`): a few milliseconds, priced at
KEPT_COSTS (3,000 each; GRAPHQL_KEPT_ANALYTICS_COSTS overrides), so twenty aliased copies are
still refused before any SQL runs. With a filter (or an area, a goal, a period) they read
every matching initiative and compute over all of them, as before: 0.3-1.9 s each on 1,500
initiatives when not cached, against ~3 microseconds per plain resolved field (a page of 100
initiatives with their organisation, goals, places and tags: 8,100 units in 24 ms), so each
filtered occurrence is charged its computed price (ANALYTICS_COSTS, 8,000-15,000) on top of its
selection: the GRAPHQL_MAX_COST budget of 50,000 (~150 ms of plain fields) holds at most three
filtered network or group analyses, or six filtered fragmentation ones. The prices are
relative, not "ms at 3 us a unit". Each analytics field selected also draws one request from
the analytics rate limit (see api/security.py). GRAPHQL_ANALYTICS_COSTS overrides the computed
prices.
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
    "GRAPHQL_MAX_COST": 50_000,  # estimated resolved fields; a full page of 100 initiatives ~24k
    "GRAPHQL_LIST_ESTIMATE": 10,  # assumed length of a list without a `first` argument
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


