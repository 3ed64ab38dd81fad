"""What a GraphQL query costs before it runs: resolved fields times page sizes, analytics fields at their price (see `limits` for the budget and the prices' origin)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    value_from_ast,
)

from coordination.errors import ValidationError

from .limits import _refuse, limit

# Price of each analytics root field (see the docstring of `limits`), in the same units as a field.
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
# Without a filter the answer comes from the kept state (`coordination.maintained`): ~12 ms at 50k
# initiatives when nothing changed (the data version statement), tens to a few hundred ms for
# the first request after a write (bench/bench_kept.py), against 12-21 s computed. The prices
# above are what a filter (or a period, or an area) brings back: a filtered answer is still
# computed over every matching record.
KEPT_COSTS: dict[str, int] = {name: 3_000 for name in ANALYTICS_COSTS}
NOT_FILTERS = frozenset({"areaLevel", "group"})  # arguments that do not make an answer computed


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
    """The price of each analytics root field when computed (filtered): ANALYTICS_COSTS with
    GRAPHQL_ANALYTICS_COSTS over it."""
    return {**ANALYTICS_COSTS, **{k: int(v) for k, v in (config.get("GRAPHQL_ANALYTICS_COSTS") or {}).items()}}


def kept_costs(config: Mapping) -> dict[str, int]:
    """The price of each analytics root field answered from the kept state (no filter), never
    above its computed price: KEPT_COSTS with GRAPHQL_KEPT_ANALYTICS_COSTS over it."""
    computed = analytics_costs(config)
    kept = {**KEPT_COSTS, **{k: int(v) for k, v in (config.get("GRAPHQL_KEPT_ANALYTICS_COSTS") or {}).items()}}
    return {name: min(price, kept.get(name, price)) for name, price in computed.items()}


def _given(value: Any) -> bool:
    """Whether an argument value asks for anything (an input object: any of its fields)."""
    if isinstance(value, Mapping):
        return any(_given(v) for v in value.values())
    return value not in (None, "", [], ())


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
    prices, kept = analytics_costs(config), kept_costs(config)

    def analytics_price(field_node: FieldNode, field_def) -> int:
        """The price of an analytics root field (0 for any other field): its kept price without a
        filter, its computed price (and the admin-1 surcharge) with one."""
        name = field_node.name.value
        if name not in prices:
            return 0
        filtered = any(_given(value_from_ast(a.value, field_def.args[a.name.value].type, variables))
                       for a in field_node.arguments
                       if a.name.value in field_def.args and a.name.value not in NOT_FILTERS)
        if not filtered:
            return kept[name]
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
        prices, kept = analytics_costs(config), kept_costs(config)
        named = ", ".join(f"{name} x{count} ({kept[name]:,} each, {prices[name]:,} with a filter)"
                          for name, count in sorted(analytics.items()))
        raise _refuse(f"The query asks for {sum(analytics.values())} analytics fields ({named}), each computed "
                      f"over every initiative you can see: its estimated cost is over the limit of {max_cost}. "
                      "Ask for fewer analyses per query (at most three filtered network or group analyses, "
                      "six filtered fragmentation ones); answers without a filter are kept up to date, "
                      "so separate queries for them are cheap.")
    if found > max_cost:
        raise _refuse(f"The query could resolve more than {max_cost} fields (estimated cost "
                      f"{found if found <= max_cost + 1 else 'over the limit'}); ask for smaller pages "
                      "or fewer nested lists.")
    return analytics
