"""IATI links between activities: the activity ids an activity's record names.

A funder and its implementer often both publish one effort (IATI's double counting). Their
records point at each other through `participating-org/@activity-id`, `related-activity/@ref`
and a transaction's `provider-org/@provider-activity-id` or `receiver-org/@receiver-activity-id`.
The importer keeps these ids (`related_identifiers`) so the convergence engine can show such
a pair as one effort reported twice (`coordination.convergence.kinds`). A sibling
(`related-activity` type 3, another component of the same programme) is a different effort
and is not kept; parents, children, co-funded and third-party reports (1, 2, 4, 5) are.
"""
from __future__ import annotations

from .cleaning import squash
from .xml_children import Children

MAX_RELATED = 100  # ids kept per activity (validation's limit)
MAX_LENGTH = 200  # characters of an identifier, as the initiative's own
SIBLING = "3"  # IATI RelatedActivityType


def related_identifiers(activity: Children, own: str | None) -> list[str]:
    """The distinct activity ids the activity links to, in document order, without its own."""
    found = [e.get("activity-id") for e in activity.all("participating-org")]
    found += [e.get("ref") for e in activity.all("related-activity") if (e.get("type") or "").strip() != SIBLING]
    found += [e.get("provider-activity-id") for e in activity.below("transaction", "provider-org")]
    found += [e.get("receiver-activity-id") for e in activity.below("transaction", "receiver-org")]
    own_key = (own or "").strip().upper()
    ids = (squash(v) for v in found if v)
    kept = (v for v in ids if v and len(v) <= MAX_LENGTH and v.upper() != own_key)
    return list(dict.fromkeys(kept))[:MAX_RELATED]
