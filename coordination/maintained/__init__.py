"""Analytics kept up to date as initiatives and overlaps change (issue #16).

Groups, fragmentation cells and gaps, the organisation network and ally suggestions are
answered, for requests without a filter, from a state each process keeps per reader class
(`analytics_cache.reader_class`: coordinators, one organisation, the public): a class's state
is built only from what that class may read, and only ever answers that class, so a private
initiative never moves what another class sees.

- `source`: what changed since the state last looked (by `updated_at` with a window, the
  change log, and row counts for deletions);
- `state`: the records and links, and which initiatives a change touched;
- `cells`, `components`, `orgnet`: fragmentation and gaps per (goal, area) and per area,
  groups per connected component (split as `group_split` splits them, with a memo of parts),
  the network per organisation pair and per component (betweenness per component, within
  the budget of `convergence.brokers`): each recomputes only what a change touched, with the
  functions the full computation (`insights`) uses, so the answers are identical to it;
- `kept`: the per-process registry that catches a state up and answers from it.

Filtered requests (a country, a goal, a period...) are still computed in full by `insights`
and cached per data version (`analytics_cache`); GraphQL prices them accordingly.
"""
from .kept import ANSWERS, KeptAnalytics

__all__ = ["ANSWERS", "KeptAnalytics"]
