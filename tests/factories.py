"""Factories for test data: `make_organisation(**overrides)` and friends, through the services.

Each factory is a door of its own: it runs the service in a unit of work and commits, so the
data is there for whatever request the test makes next.
"""
from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from coordination.models import Initiative, Organisation
from coordination.permissions import SYSTEM, Actor
from coordination.services.initiatives import register_initiative
from coordination.services.organisations import create_organisation
from coordination.services.overlaps import recompute_all
from coordination.services.tokens import authenticate, create_token
from coordination.unit_of_work import UnitOfWork

_n = itertools.count(1)


def make_organisation(session: Session, **overrides: Any) -> Organisation:
    """A verified organisation (a national NGO in Kenya unless overridden)."""
    data = {"name": f"Test Organisation {next(_n)}", "type": "22", "country": "KE", **overrides}
    with UnitOfWork(session) as uow:
        org = create_organisation(session, SYSTEM, data, verified=True)
        uow.commit()
    return org


def make_token(session: Session, organisation: Organisation | None = None, role: str = "member") -> str:
    """A plaintext bearer token for an organisation role or a platform role."""
    with UnitOfWork(session) as uow:
        plaintext = create_token(session, SYSTEM, role, organisation)[1]
        uow.commit()
    return plaintext


def actor_for(session: Session, token: str) -> Actor:
    """The actor a token stands for."""
    return authenticate(session, token)


def initiative_data(**overrides: Any) -> dict[str, Any]:
    """A valid initiative body: well repairs in Kisumu, SDG 6.1, 2025."""
    return {
        "title": "Repairing community wells in Kisumu",
        "description": "Rehabilitating hand-dug wells and training water committees.",
        "goals": ["6.1"], "tags": ["WASH"],
        "locations": [{"name": "Kisumu", "country": "KE", "lat": -0.0917, "lon": 34.768}],
        "start": "2025-01-01", "end": "2025-12-31", "status": "implementation",
        **overrides,
    }


# Two efforts of different organisations that the engine must find as one overlap: the
# example from the convergence issue (same target 6.1, Kisumu, 3 km apart).
BOREHOLES = {"title": "Borehole rehabilitation, Kisumu County",
             "description": "Rehabilitation of boreholes and hand pumps for safe drinking water in Kisumu County.",
             "goals": ["6.1"], "tags": ["Water supply"],
             "locations": [{"name": "Kisumu", "country": "KE", "lat": -0.1022, "lon": 34.7617}]}
WELLS = {"title": "Repairing community wells in Kisumu",
         "description": "Repairing community wells and training water committees so families have safe water.",
         "goals": ["6.1"], "tags": ["WASH"],
         "locations": [{"name": "Kisumu east", "country": "KE", "lat": -0.09, "lon": 34.79}]}


def make_initiative(session: Session, organisation: Organisation, **overrides: Any) -> Initiative:
    """An initiative registered for `organisation` through the service layer."""
    actor = Actor(role="member", organisation_id=organisation.id, label=f"test@{organisation.slug}")
    with UnitOfWork(session) as uow:
        initiative = register_initiative(uow, actor, initiative_data(**overrides))
        uow.commit()
    return initiative


def make_water_neighbours(session: Session, first: tuple[str, dict[str, Any]], second: tuple[str, dict[str, Any]],
                          government: str) -> tuple[Any, ...]:
    """Two NGOs whose Kisumu water work overlaps and a government organisation (type 10), made in
    this order: `first` and `second` are (organisation name, initiative fields). Returns the three
    organisations, then the two initiatives."""
    ngos = [make_organisation(session, name=name) for name, _ in (first, second)]
    gov = make_organisation(session, name=government, type="10")
    work = [make_initiative(session, org, **fields) for org, (_, fields) in zip(ngos, (first, second))]
    return (*ngos, gov, *work)


def in_unit_of_work(session: Session, service, *args: Any, **kwargs: Any) -> Any:
    """Run `service(uow, *args, **kwargs)` in a unit of work on `session` and commit, as a door does."""
    with UnitOfWork(session) as uow:
        result = service(uow, *args, **kwargs)
        uow.commit()
    return result


def recompute(session: Session) -> dict[str, int]:
    """Recompute every overlap and commit (what `coordination converge` does)."""
    return in_unit_of_work(session, recompute_all)


def bearer(token: str) -> dict[str, str]:
    """Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}
