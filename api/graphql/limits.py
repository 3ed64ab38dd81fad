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
allySuggestions, fragmentation, gaps) read every initiative the reader may see and compute
over all of them, whatever they select: 0.3-1.9 s each on 1,500 initiatives when not cached,
against ~3 microseconds per plain resolved field (a page of 100 initiatives with their
organisation, goals, places and tags: 8,100 units in 24 ms). Each occurrence is charged its
price on top of its selection, so the GRAPHQL_MAX_COST budget of 50,000 (~150 ms of plain
fields) holds at most three network or group analyses (a dashboard: groups, fragmentation and
the network together), or six fragmentation ones, and twenty aliased copies are refused before
any SQL runs. The prices are relative (network and groups cost about twice a fragmentation), not
"ms at 3 us a unit": at that rate a single analysis would exceed the budget. Each analytics
field selected also draws one request from the analytics rate limit (see api/security.py).
GRAPHQL_ANALYTICS_COSTS in the configuration overrides any price.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    parse,
    value_from_ast,
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

# Price of each analytics root field (see the module docstring), in the same units as a field.
# Measured cold on 1,450 initiatives (security review): groups 1.4 s, fragmentation by admin1
# 0.7 s, the network 1.9 s (REST); on 1,500 synthetic ones (bench/bench_analytics.py):
# network 0.3-0.4 s, groups 0.55-0.8 s, fragmentation 0.3-0.4 s at either level.
ANALYTICS_COSTS: dict[str, int] = {
    "organisationNetwork": 15_000,  # records + overlaps, then betweenness over the organisation graph
    "convergenceGroups": 15_000,  # records + overlaps, groups, then allies over the country's records
    "allySuggestions": 15_000,  # computes every convergence group to find the one asked for
    "fragmentation": 8_000,  # records + overlaps, cells and gaps per goal and area
    "gaps": 8_000,  # the same computation as fragmentation
}
ADMIN1_SURCHARGE = 2_000  # fragmentation/gaps with areaLevel "admin1": more, smaller cells


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


def _is_list(type_) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


def analytics_costs(config: Mapping) -> dict[str, int]:
    """The price of each analytics root field: ANALYTICS_COSTS with GRAPHQL_ANALYTICS_COSTS over it."""
    return {**ANALYTICS_COSTS, **{k: int(v) for k, v in (config.get("GRAPHQL_ANALYTICS_COSTS") or {}).items()}}


def query_cost(schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any] | None,
               operation_name: str | None, config: Mapping) -> int:
    """The estimated cost of a validated document (resolved fields, analytics at their price).

    Raises ValidationError for a `first` outside 1..GRAPHQL_MAX_FIRST, wherever it appears.
    """
    operation = _operation(document, operation_name)
    if operation is None:
        return 0  # execution reports the missing or ambiguous operation itself
    root = {"query": schema.query_type, "mutation": schema.mutation_type,
            "subscription": schema.subscription_type}[operation.operation.value]
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    variables = dict(variables or {})
    max_first = limit(config, "GRAPHQL_MAX_FIRST")
    estimate = limit(config, "GRAPHQL_LIST_ESTIMATE")
    cap = limit(config, "GRAPHQL_MAX_COST") + 1  # stop counting once over the limit
    prices = analytics_costs(config)

    def analytics_price(field_node: FieldNode, field_def) -> int:
        """The price of an analytics root field (0 for any other field)."""
        name = field_node.name.value
        if name not in prices:
            return 0
        price = prices[name]
        arg = field_def.args.get("areaLevel")
        if arg is not None:
            node = next((a.value for a in field_node.arguments if a.name.value == "areaLevel"), None)
            level = value_from_ast(node, arg.type, variables) if node is not None else arg.default_value
            if level == "admin1":
                price += ADMIN1_SURCHARGE
        return price

    def page_size(field_node: FieldNode, field_def) -> int | None:
        arg = field_def.args.get("first")
        if arg is None:
            return None
        node = next((a.value for a in field_node.arguments if a.name.value == "first"), None)
        value = value_from_ast(node, arg.type, variables) if node is not None else arg.default_value
        if value is None or not isinstance(value, int):
            return None  # the resolver applies its default
        if not 1 <= value <= max_first:
            raise ValidationError("Invalid page size.", {"first": [f"must be between 1 and {max_first}"]})
        return value

    def cost(selection_set: SelectionSetNode | None, parent, seen: frozenset[str],
             page: int | None = None) -> int:
        """Cost of a selection; `page` is the page size of the connection being selected."""
        total = 0
        for sel in selection_set.selections if selection_set else ():
            if isinstance(sel, FieldNode):
                if sel.name.value.startswith("__") or not isinstance(parent, GraphQLObjectType):
                    total += 1
                    continue
                field_def = parent.fields.get(sel.name.value)
                if field_def is None:
                    continue
                if parent is root:
                    total += analytics_price(sel, field_def)
                first = page_size(sel, field_def)
                child = get_named_type(field_def.type)
                if first is not None and not _is_list(field_def.type):
                    # A connection: its lists (edges, nodes) hold `first` items.
                    total += 1 + cost(sel.selection_set, child, seen, first)
                    continue
                if first is not None:
                    times = first
                elif _is_list(field_def.type):
                    times = page if page is not None else estimate
                else:
                    times = 1
                total += 1 + times * cost(sel.selection_set, child, seen)
            elif isinstance(sel, InlineFragmentNode):
                cond = schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                total += cost(sel.selection_set, cond, seen, page)
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                if name in fragments and name not in seen:
                    frag = fragments[name]
                    total += cost(frag.selection_set, schema.get_type(frag.type_condition.name.value),
                                  seen | {name}, page)
            if total >= cap:
                return cap
        return total

    return cost(operation.selection_set, root, frozenset())


def analytics_fields(document: DocumentNode, operation_name: str | None, config: Mapping) -> Counter:
    """How many times each analytics root field is selected by the operation (through fragments too)."""
    operation = _operation(document, operation_name)
    found: Counter = Counter()
    if operation is None or operation.operation.value != "query":
        return found
    prices = analytics_costs(config)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    stack, seen = [operation.selection_set], set()
    while stack:
        for sel in stack.pop().selections:
            if isinstance(sel, FieldNode):
                if sel.name.value in prices:
                    found[sel.name.value] += 1
            elif isinstance(sel, InlineFragmentNode):
                stack.append(sel.selection_set)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value in fragments and sel.name.value not in seen:
                seen.add(sel.name.value)
                stack.append(fragments[sel.name.value].selection_set)
    return found


def check_cost(schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any] | None,
               operation_name: str | None, config: Mapping) -> Counter:
    """Refuse a validated document whose page sizes or estimated cost are over the limits.

    Returns how many times each analytics field is selected (empty for plain queries).
    """
    max_cost = limit(config, "GRAPHQL_MAX_COST")
    analytics = analytics_fields(document, operation_name, config)
    found = query_cost(schema, document, variables, operation_name, config)
    if found > max_cost and analytics:
        prices = analytics_costs(config)
        named = ", ".join(f"{name} x{count} ({prices[name]:,} each)" for name, count in sorted(analytics.items()))
        raise _refuse(f"The query asks for {sum(analytics.values())} analytics fields ({named}), each computed "
                      f"over every initiative you can see: its estimated cost is over the limit of {max_cost}. "
                      "Ask for at most three network or group analyses (six fragmentation ones) per query; "
                      "repeated answers are cached, so separate queries for the same figures are cheap.")
    if found > max_cost:
        raise _refuse(f"The query could resolve more than {max_cost} fields (estimated cost "
                      f"{found if found <= max_cost + 1 else 'over the limit'}); ask for smaller pages "
                      "or fewer nested lists.")
    return analytics
