"""Reading initiatives: one filter vocabulary for every door, cursor pagination.

REST query strings, GraphQL filter inputs, the map and the exporters all build an
`InitiativeFilter` and call `list_initiatives`, so they agree on what matches.
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping, Sequence

from sqlalchemy import Select, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from . import vocab
from .errors import NotFound, ValidationError
from .models import Goal, Initiative, InitiativeGoal, InitiativeTag, Location
from .models import Organisation, Partner, Tag, Vision
from .permissions import Actor
from .status import status_clause
from .tagging import normalise_tag
from .visibility import bbox_clause, can_read, readable_clause

DEFAULT_PAGE = 20
MAX_PAGE = 100


@dataclass(frozen=True)
class InitiativeFilter:
    """What a reader asks for; every field is optional and they combine with AND."""

    goal: str | None = None  # a goal code matches its targets and linked local goals too
    target: str | None = None
    tag: str | None = None
    organisation: str | None = None  # slug; lead or partner
    country: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # minLon, minLat, maxLon, maxLat
    status: str | None = None
    active_on: date | None = None
    year: int | None = None
    q: str | None = None
    vision: str | None = None
    ids: Sequence[int] | None = None
    include_withdrawn: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> InitiativeFilter:
        """The filter a door was asked for, checked: REST query strings (all text) and GraphQL
        filter inputs (`year` an int, `active_on` a date) alike. ValidationError names the field."""
        active_on = params.get("active_on") or None
        if isinstance(active_on, str):
            try:
                active_on = date.fromisoformat(active_on)
            except ValueError:
                raise ValidationError("Invalid active_on.", {"active_on": ["must be a date YYYY-MM-DD"]}) from None
        year = params.get("year")
        if isinstance(year, str):
            year = int(year) if year.isascii() and year.isdigit() else (-1 if year else None)
        bbox = params.get("bbox")
        text = {name: params.get(name) or None
                for name in ("goal", "target", "tag", "organisation", "country", "status", "q", "vision")}
        return cls(**text, bbox=parse_bbox(bbox) if bbox else None, active_on=active_on,
                   year=checked_year(year, "year"))


@dataclass
class Page:
    """One page of a cursor connection."""

    items: list[Initiative] = field(default_factory=list)
    has_next: bool = False
    end_cursor: str | None = None
    start_cursor: str | None = None
    has_previous: bool = False  # `after` was given and matching items come at or before it
    matching: Select | None = field(default=None, repr=False, compare=False)  # the filter's select, unpaged


def encode_cursor(initiative_id: int) -> str:
    """Opaque cursor for a position after `initiative_id`."""
    return base64.urlsafe_b64encode(f"initiative:{initiative_id}".encode()).decode().rstrip("=")


MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER columns on PostgreSQL


def decode_cursor(cursor: str) -> int:
    """The id a cursor points after; ValidationError names the bad cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = raw.partition(":")
        if kind != "initiative":
            raise ValueError
        ident = int(value)
        if not 0 <= ident <= MAX_ID:
            raise ValueError  # never issued: ids are 32-bit, and a larger value would reach the SQL
        return ident
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationError("Invalid cursor.", {"after": [f"{cursor!r} is not a cursor from this API"]}) from None


FIRST_YEAR, LAST_YEAR = 1900, 2200  # a year filter outside these is a typo, not a question


def checked_year(year: int | None, name: str = "year") -> int | None:
    """`year` when it is a plausible year (or None); ValidationError on field `name` otherwise."""
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(f"Invalid {name}.", {name: ["must be a year such as 2025"]})
    return year


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """"minLon,minLat,maxLon,maxLat" → a tuple, checked."""
    try:
        parts = [float(p) for p in text.split(",")]
        if len(parts) != 4:
            raise ValueError
    except ValueError:
        raise ValidationError("Invalid bbox.", {"bbox": ["must be minLon,minLat,maxLon,maxLat (four numbers)"]}) from None
    min_lon, min_lat, max_lon, max_lat = parts
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationError("Invalid bbox.", {"bbox": ["longitudes must lie in ±180, latitudes in ±90, minLat ≤ maxLat"]})
    return min_lon, min_lat, max_lon, max_lat


def goal_ids_for(session: Session, code: str, include_children: bool) -> list[int]:
    """Ids of the goal, its targets, and local goals linked to any of them (one statement)."""
    norm = code if ":" in code else vocab.normalise_goal_code(code)
    if norm is None:
        raise ValidationError("Invalid goal code.", {"goal": [f"{code!r} is not a goal or target code"]})
    slug, _, local = norm.rpartition(":") if ":" in norm else ("sdg", "", norm)
    named = select(Goal.id, Goal.code).join(Vision).where(Vision.slug == slug, Goal.code == local).limit(1).cte()
    parts = [select(literal(0).label("kind"), named.c.id)]
    codes = select(named.c.code)
    if include_children:
        children = select(Goal.id, Goal.code).where(Goal.parent_id.in_(select(named.c.id))).cte("children")
        parts.append(select(literal(1).label("kind"), children.c.id))
        codes = union_all(codes, select(children.c.code))
    if slug == "sdg":  # local goals that count as the SDG goal or one of its targets
        parts.append(select(literal(2).label("kind"), Goal.id).where(Goal.sdg_code.in_(codes)))
    rows = sorted(session.execute(union_all(*parts) if len(parts) > 1 else parts[0]).all())
    if not rows or rows[0][0] != 0:
        raise ValidationError("Unknown goal code.", {"goal": [f"{code!r} is not a known goal or target"]})
    return [goal_id for _, goal_id in rows]


def visible_to(actor: Actor, stmt: Select, include_withdrawn: bool = False) -> Select:
    """Restrict a select over Initiative to what the actor may read (`visibility.readable_clause`)."""
    return stmt.where(readable_clause(actor, include_withdrawn))


def filtered(session: Session, actor: Actor, f: InitiativeFilter) -> Select:
    """The select for a filter, before pagination."""
    stmt = visible_to(actor, select(Initiative), f.include_withdrawn)
    if f.goal or f.target:
        for code, children in ((f.goal, True), (f.target, False)):
            if code:
                ids = goal_ids_for(session, code, children)
                stmt = stmt.where(exists().where(InitiativeGoal.initiative_id == Initiative.id,
                                                 InitiativeGoal.goal_id.in_(ids)))
    if f.vision:
        stmt = stmt.where(exists().where(InitiativeGoal.initiative_id == Initiative.id,
                                         InitiativeGoal.goal_id == Goal.id,
                                         Goal.vision_id == Vision.id, Vision.slug == f.vision))
    if f.tag:
        keys = {f.tag, normalise_tag(f.tag) or f.tag.lower()}
        named = select(Tag.id).where(Tag.key.in_(keys))
        # The tag named, the tag it was merged into, and the tags merged into it.
        tag_ids = select(Tag.id).where(or_(
            Tag.id.in_(named), Tag.id.in_(select(Tag.merged_into_id).where(Tag.key.in_(keys))),
            Tag.merged_into_id.in_(named)))
        stmt = stmt.where(exists().where(InitiativeTag.initiative_id == Initiative.id,
                                         InitiativeTag.tag_id.in_(tag_ids)))
    if f.organisation:
        org_id = select(Organisation.id).where(Organisation.slug == f.organisation).scalar_subquery()
        stmt = stmt.where(or_(Initiative.organisation_id == org_id, exists().where(
            Partner.initiative_id == Initiative.id, Partner.organisation_id == org_id)))
    if f.country:
        stmt = stmt.where(exists().where(Location.initiative_id == Initiative.id,
                                         Location.country == f.country.upper()))
    if f.bbox:  # on the place the reader is shown, never on a point hidden from them
        stmt = stmt.where(bbox_clause(session, actor, f.bbox))
    if f.status:
        if f.status not in vocab.STATUS_CODES:
            raise ValidationError("Invalid status.", {"status": [f"must be one of {', '.join(vocab.STATUS_CODES)}"]})
        stmt = stmt.where(status_clause(f.status))  # given, else implied by the dates today
    if f.active_on:
        stmt = stmt.where(or_(Initiative.start_date.is_(None), Initiative.start_date <= f.active_on),
                          or_(Initiative.end_date.is_(None), Initiative.end_date >= f.active_on))
    if f.year:
        stmt = stmt.where(or_(Initiative.start_date.is_(None), Initiative.start_date <= date(f.year, 12, 31)),
                          or_(Initiative.end_date.is_(None), Initiative.end_date >= date(f.year, 1, 1)))
    if f.q:
        for word in f.q.split()[:8]:
            pattern = f"%{word.lower()}%"
            stmt = stmt.where(or_(func.lower(Initiative.title).like(pattern),
                                  func.lower(Initiative.description).like(pattern)))
    if f.ids is not None:
        stmt = stmt.where(Initiative.id.in_(list(f.ids)))
    return stmt


def eager(stmt: Select) -> Select:
    """The nested fields every door shows, no N+1: each row's own parts joined, collections by id."""
    return stmt.options(
        joinedload(Initiative.organisation),
        selectinload(Initiative.partners).joinedload(Partner.organisation),
        selectinload(Initiative.goal_links).joinedload(InitiativeGoal.goal).joinedload(Goal.vision),
        selectinload(Initiative.locations),
        selectinload(Initiative.tag_links).joinedload(InitiativeTag.tag),
    )


def list_initiatives(session: Session, actor: Actor, f: InitiativeFilter | None = None,
                     first: int | None = None, after: str | None = None, load=eager) -> Page:
    """One page of initiatives matching the filter, oldest first, after the cursor."""
    first = DEFAULT_PAGE if first is None else first
    if not 1 <= first <= MAX_PAGE:
        raise ValidationError("Invalid page size.", {"first": [f"must be between 1 and {MAX_PAGE}"]})
    base = filtered(session, actor, f or InitiativeFilter())
    stmt = base
    cursor = decode_cursor(after) if after else None
    if cursor is not None:
        stmt = stmt.where(Initiative.id > cursor)
    stmt = stmt.order_by(Initiative.id).limit(first + 1)
    rows = list(session.scalars(load(stmt) if load else stmt))
    page = Page(items=rows[:first], has_next=len(rows) > first, matching=base)
    if cursor is not None:
        before = base.with_only_columns(Initiative.id).where(Initiative.id <= cursor).limit(1)
        page.has_previous = session.scalar(before) is not None
    if page.items:
        page.start_cursor = encode_cursor(page.items[0].id)
        page.end_cursor = encode_cursor(page.items[-1].id)
    return page


def count_initiatives(session: Session, actor: Actor, f: InitiativeFilter | None = None,
                      page: Page | None = None) -> int:
    """How many initiatives match (totals beside a page; `page`: the one listed for this filter and reader)."""
    base = page.matching if page and page.matching is not None else filtered(session, actor, f or InitiativeFilter())
    sub = base.with_only_columns(Initiative.id).subquery()
    return session.scalar(select(func.count()).select_from(sub)) or 0


def get_initiative(session: Session, actor: Actor, initiative_id: int) -> Initiative:
    """One readable initiative (withdrawn ones too, for their own organisation and coordinators)."""
    initiative = session.scalars(eager(select(Initiative).where(Initiative.id == initiative_id))).first()
    if initiative is None or not can_read(actor, initiative):
        raise NotFound(f"No initiative {initiative_id}.")
    return initiative


@dataclass
class OrganisationPage:
    """One page of organisations by slug; `after` for the next page is the last slug."""

    items: list[Organisation]
    has_next: bool
    total: int
    has_previous: bool = False  # `after` was given and matching organisations come at or before it


def list_organisations(session: Session, q: str | None = None, first: int = 50,
                       after: str | None = None) -> OrganisationPage:
    """Organisations ordered by slug, optionally whose name contains `q`, after the slug `after`.

    A record merged into another is not listed: it is that organisation now.
    """
    stmt = select(Organisation).where(Organisation.merged_into_id.is_(None))
    if q:
        stmt = stmt.where(Organisation.name_key.contains(q.lower(), autoescape=True))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    has_previous = False
    if after:
        has_previous = session.scalar(stmt.with_only_columns(Organisation.id)
                                      .where(Organisation.slug <= after).limit(1)) is not None
        stmt = stmt.where(Organisation.slug > after)
    rows = list(session.scalars(stmt.order_by(Organisation.slug).limit(first + 1)))
    return OrganisationPage(rows[:first], len(rows) > first, total, has_previous)


def tag_usage(session: Session, actor: Actor, q: str | None = None, first: int = 100) -> list[tuple[Tag, int]]:
    """Live tags with how many public, live initiatives use them, most used first; `q` is a key prefix.

    A tag only work the reader may not read uses (another organisation's private initiative)
    is not listed: its label is that initiative's words. Tags nobody uses yet (curated) are.
    """
    usage = (select(InitiativeTag.tag_id, func.count().label("n")).join(Initiative)
             .where(Initiative.withdrawn_at.is_(None), Initiative.visibility == "public")
             .group_by(InitiativeTag.tag_id).subquery())
    n = func.coalesce(usage.c.n, 0)
    stmt = select(Tag, n).outerjoin(usage, usage.c.tag_id == Tag.id).where(Tag.merged_into_id.is_(None))
    if not actor.reads_everything:
        used = select(InitiativeTag.tag_id)
        readable = select(InitiativeTag.tag_id).join(Initiative).where(readable_clause(actor))
        stmt = stmt.where(or_(~Tag.id.in_(used), Tag.id.in_(readable)))
    if q:
        stmt = stmt.where(Tag.key.startswith(q.lower(), autoescape=True))
    return [(tag, count) for tag, count in session.execute(stmt.order_by(n.desc(), Tag.key).limit(first))]
