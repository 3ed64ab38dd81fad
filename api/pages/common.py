"""Helpers shared by the page modules: who is signed in, the goal tree."""
from __future__ import annotations

from flask import g, redirect, request, url_for
from coordination.errors import AuthenticationRequired, PermissionDenied
from coordination.reads import goals as reads
from coordination.models import Goal, Organisation, User, Vision
from coordination.permissions import Actor

from ..auth import current_actor
from ..extensions import db


def web_actor() -> Actor:
    """The actor of this request: the signed-in person, a bearer token, or anonymous."""
    return current_actor()


def signed_in_user() -> User:
    """The signed-in user, or AuthenticationRequired (rendered as "please sign in")."""
    user = g.get("user")
    if user is None:
        raise AuthenticationRequired("Sign in to continue.")
    return user


def signin_redirect():
    """Send an anonymous visitor to sign in and come back here afterwards."""
    return redirect(url_for("pages.signin", next=request.full_path.rstrip("?")))


def visions_with_goals() -> list[Vision]:
    """Every vision with its goals and targets loaded (SDGs first)."""
    return reads.visions_with_goals(db.session)


def goal_code(goal: Goal) -> str:
    """The code a goal is written with in URLs and forms: "6.1" or "vision:code"."""
    return goal.ref


def organisation_of(user: User) -> Organisation:
    """The user's organisation; PermissionDenied for a coordinator, who belongs to none."""
    if user.organisation_id is None:
        raise PermissionDenied("A coordinator's account belongs to no organisation, so it registers, uploads and "
                               "introduces nothing. Coordinators decide on any overlap on the Overlaps page.")
    return db.session.get(Organisation, user.organisation_id)
