"""Visibility: the one rule deciding what a reader may see, for every door and every derived output.

Two things are hidden from some readers:

- a **private** (or withdrawn) initiative of another organisation: it does not exist for them —
  not as a record, not as one side of an overlap, not in a count, a group, a cell or a notice;
- the **exact place** of sensitive work (public precision "admin" or "country"): for a reader
  without exact access the initiative lies only at its admin-1 area or country, and every
  filter, score, distance word or area figure is computed from that public place.

Coordinators and platform admins read everything; an organisation reads its own work.

Derived outputs follow from two choices made here rather than at each door:

1. The overlap engine only ever sees an initiative at its *public* precision
   (`public_places`, used by `services.stored_records.record_from_initiative`). An overlap is shown
   to both organisations, pushed to their webhooks and e-mails and previewed to anonymous
   drafters, so its score, components and explanation must be a function of what every one
   of those readers may see. Sensitive work is therefore matched at its admin area, for
   everybody: moving its exact point inside that area changes no score and no sentence.
2. An overlap exists for a reader only when the reader may read both of its initiatives
   (`overlap_visible`, `overlap_visible_clause`). Being a party to the pair is not enough:
   the other side may be private.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.orm import Session, aliased

from .mapping.cluster import in_bbox
from .models import Initiative, Location, Overlap
from .permissions import Actor, can_read_initiative

EXACT = "exact"


def can_read(actor: Actor, initiative: Initiative) -> bool:
    """Public live initiatives to all; private and withdrawn ones to their organisation and coordinators."""
    return can_read_initiative(actor, initiative.visibility, initiative.organisation_id,
                               initiative.withdrawn_at is not None)


def sees_exact(actor: Actor, initiative: Initiative) -> bool:
    """Coordinators and the initiative's own organisation see exact places; others only exact-precision ones."""
    return (initiative.public_precision == EXACT or actor.reads_everything
            or (actor.organisation_id is not None and actor.organisation_id == initiative.organisation_id))


def readable_clause(actor: Actor, include_withdrawn: bool = False, table=Initiative):
    """SQL over `table` (Initiative or an alias of it): the rows the actor may read."""
    live = table.withdrawn_at.is_(None)
    if actor.reads_everything:
        return true() if include_withdrawn else live
    public = and_(table.visibility == "public", live)
    if actor.organisation_id is not None:
        own = table.organisation_id == actor.organisation_id
        return or_(public, own) if include_withdrawn else and_(live, or_(public, own))
    return public


def exact_clause(actor: Actor, table=Initiative):
    """SQL over `table`: the actor may see this initiative's exact points (as `sees_exact`)."""
    if actor.reads_everything:
        return true()
    if actor.organisation_id is not None:
        return or_(table.public_precision == EXACT, table.organisation_id == actor.organisation_id)
    return table.public_precision == EXACT


def overlap_visible(actor: Actor, row: Overlap) -> bool:
    """An overlap exists for a reader only if the reader may read both initiatives."""
    return can_read(actor, row.initiative_a) and can_read(actor, row.initiative_b)


def overlap_visible_clause(actor: Actor):
    """SQL over Overlap: both initiatives readable by the actor (live ones)."""
    if actor.reads_everything:
        return true()
    a, b = aliased(Initiative), aliased(Initiative)
    ids_a = select(a.id).where(readable_clause(actor, table=a))
    ids_b = select(b.id).where(readable_clause(actor, table=b))
    return and_(Overlap.initiative_a_id.in_(ids_a), Overlap.initiative_b_id.in_(ids_b))


def organisation_reader(organisation_id: int) -> Actor:
    """An organisation as the reader of what is pushed to it (webhooks, e-mails): one of its members."""
    return Actor(role="member", organisation_id=organisation_id, label=f"organisation:{organisation_id}")


def shown_actor(actor: Actor, organisation_id: int | None, label: str | None) -> str | None:
    """Who made a change or a decision, named only to that organisation and coordinators."""
    if label is None:
        return None
    if actor.reads_everything or (actor.organisation_id is not None and actor.organisation_id == organisation_id):
        return label
    return None


# -- places at the precision a reader may see -------------------------------------------------

LOCATION_KEYS = ("name", "country", "admin1", "admin2", "admin1_code", "admin2_code", "lat", "lon", "precision")


def coarsen(place: dict[str, Any], public_precision: str) -> dict[str, Any]:
    """A location dict as the public sees it: admin area or country only, no point, no place name."""
    out = {k: place.get(k) for k in LOCATION_KEYS}
    if public_precision == EXACT:
        return out
    if public_precision == "country":
        return {**{k: None for k in out}, "country": place.get("country"), "precision": "country"}
    return {**out, "name": None, "lat": None, "lon": None, "admin2": None, "admin2_code": None,
            "precision": "admin1" if place.get("admin1") else "country"}


def location_dict(loc: Location) -> dict[str, Any]:
    """A stored location as a plain dict, exact."""
    return {k: getattr(loc, k) for k in LOCATION_KEYS}


def location_for(actor: Actor, initiative: Initiative, loc: Location) -> dict[str, Any]:
    """One location of an initiative at the precision the actor may see."""
    place = location_dict(loc)
    return place if sees_exact(actor, initiative) else coarsen(place, initiative.public_precision)


def public_places(initiative: Initiative) -> list[dict[str, Any]]:
    """The initiative's locations at its public precision: what the overlap engine is given."""
    return [coarsen(location_dict(loc), initiative.public_precision or EXACT) for loc in initiative.locations]


@lru_cache(maxsize=4096)
def area_centroid(country: str | None, admin1: str | None) -> tuple[float, float] | None:
    """Representative point of an admin-1 area (when known) or else of a country: where coarse work is shown."""
    if not country:
        return None
    from .geo.gazetteer import default_gazetteer, geocode

    if admin1:
        for place in geocode(admin1, country):
            if place.precision == "admin1" and place.lat is not None and place.lon is not None:
                return place.lat, place.lon
    place = default_gazetteer().countries.get(country)
    if place is not None and place.lat is not None and place.lon is not None:
        return place.lat, place.lon
    return None


def bbox_clause(session: Session, actor: Actor, bbox: tuple[float, float, float, float]):
    """SQL over Initiative: one of its locations is *shown* inside the box to this reader.

    Exact places are tested on their point; coarse ones on their area's centroid — the point
    the map shows — so a box, however small, tells nothing more than the shown place does.
    """
    min_lon, min_lat, max_lon, max_lat = bbox
    lon_ok = (Location.lon.between(min_lon, max_lon) if min_lon <= max_lon
              else or_(Location.lon >= min_lon, Location.lon <= max_lon))  # crosses 180°
    exact = exact_clause(actor)
    point_hit = and_(exact, Location.lat.between(min_lat, max_lat), lon_ok)
    # Coarse (or point-less) locations: the areas whose centroid lies in the box.
    coarse = or_(~exact, Location.lat.is_(None), Location.lon.is_(None))
    areas = session.execute(select(Location.country, Location.admin1, Initiative.public_precision, Location.lat)
                            .join(Initiative, Initiative.id == Location.initiative_id).where(coarse)
                            .distinct()).all()
    hits = []
    for country, admin1, precision, _lat in areas:
        level_admin1 = admin1 if precision != "country" else None
        spot = area_centroid(country, level_admin1)
        if spot is None or not in_bbox(spot[0], spot[1], bbox):
            continue
        if level_admin1 is None:
            hits.append(and_(Location.country == country, or_(Initiative.public_precision == "country",
                                                                Location.admin1.is_(None))))
        else:
            hits.append(and_(Location.country == country, Location.admin1 == admin1,
                             Initiative.public_precision != "country"))
    area_hit = and_(coarse, or_(*hits)) if hits else false()
    return Initiative.locations.any(or_(point_hit, area_hit))


def admin1_clause(actor: Actor, admin1_code: str):
    """SQL over Initiative: one of its locations is *shown* to this reader in this first-level area.

    An area-precision initiative shows its admin-1 area to everybody; a country-precision one
    shows none (it is in no province for the reader), so it never matches unless the reader sees
    its exact places.
    """
    shown = or_(exact_clause(actor), Initiative.public_precision != "country")
    return Initiative.locations.any(and_(Location.admin1_code == admin1_code.strip().upper(), shown))


__all__ = ["EXACT", "admin1_clause", "area_centroid", "bbox_clause", "can_read", "coarsen", "exact_clause",
           "location_dict", "location_for", "organisation_reader", "overlap_visible", "overlap_visible_clause", "public_places",
           "readable_clause", "sees_exact", "shown_actor"]
