"""Accounts on the pages: sign up (organisation created unverified), sign in and out, members, tokens."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from sqlalchemy import select

from coordination import vocab
from coordination.errors import DomainError
from coordination.models import ApiToken
from coordination.services import accounts
from coordination.services import introductions as contacts
from coordination.services import tokens as token_service

from ..extensions import db
from . import bp
from .common import organisation_of, signed_in_user, web_actor
from .i18n import _


def _start_session(user) -> None:
    """A fresh session for the user (new CSRF token: no fixation across sign-in)."""
    session.clear()
    session["user_id"] = user.id
    session["auth"] = user.password_hash[-16:]  # changes with the password: old cookies stop working
    session.permanent = True


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("pages.index")


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Register an organisation (unverified until a coordinator verifies it) and its first admin."""
    form, errors, message = request.form, {}, None
    if request.method == "POST":
        try:
            user = accounts.sign_up(db.session, {k: form.get(k) for k in (
                "organisation_name", "organisation_type", "country", "email", "password")})
        except DomainError as err:
            errors, message = err.fields, err.message
        else:
            _start_session(user)
            flash(_("Welcome! Your organisation is registered and will be verified by a coordinator. "
                    "You can register initiatives now."))
            return redirect(url_for("pages.new_initiative"))
    return render_template("signup.html", form=form, errors=errors, message=message,
                           types=vocab.ORGANISATION_TYPES), 400 if errors or message else 200


@bp.route("/signin", methods=["GET", "POST"])
def signin():
    """Sign in with e-mail and password."""
    message, status, headers = None, 200, {}
    if request.method == "POST":
        try:
            user = accounts.sign_in(db.session, request.form.get("email"), request.form.get("password"))
        except accounts.TooManyAttempts as err:
            message, status, headers = err.message, 429, {"Retry-After": str(err.retry_after)}
        except DomainError as err:
            message, status = err.message, 401
        else:
            _start_session(user)
            return redirect(_safe_next(request.args.get("next") or request.form.get("next")))
    return render_template("signin.html", message=message, email=request.form.get("email", ""),
                           next=request.args.get("next", "")), status, headers


@bp.post("/signout")
def signout():
    """End the session."""
    session.clear()
    flash(_("You are signed out."))
    return redirect(url_for("pages.index"))


@bp.get("/account")
def account():
    """The organisation's members and API tokens (admins manage them)."""
    if session.get("user_id") is None:
        return redirect(url_for("pages.signin", next=url_for("pages.account")))
    return _account_page()


def _account_page(errors: dict | None = None, message: str | None = None, new_token: str | None = None,
                  status: int = 200):
    user = signed_in_user()
    org = organisation_of(user)
    tokens = list(db.session.scalars(select(ApiToken).where(
        ApiToken.organisation_id == org.id).order_by(ApiToken.id.desc())))
    return render_template("account.html", user=user, org=org, members=accounts.members_of(db.session, org.id),
                           tokens=tokens, errors=errors or {}, message=message, new_token=new_token,
                           form=request.form), status


@bp.post("/account/members")
def add_member():
    """An admin adds a person to the organisation."""
    user = signed_in_user()
    try:
        accounts.add_member(db.session, web_actor(), organisation_of(user), {
            k: request.form.get(k) for k in ("email", "password", "role")})
    except DomainError as err:
        return _account_page(err.fields, err.message, status=403 if err.code == "forbidden" else 400)
    flash(_("Member added. Give them their password through a safe channel."))
    return redirect(url_for("pages.account"))


@bp.post("/account/tokens")
def create_token():
    """An admin creates an API token; it is shown once."""
    user = signed_in_user()
    try:
        _token, plaintext = token_service.create_token(
            db.session, web_actor(), request.form.get("role") or "member", organisation_of(user),
            (request.form.get("label") or "").strip()[:120])
    except DomainError as err:
        return _account_page({"token_" + k: v for k, v in err.fields.items()}, err.message,
                             status=403 if err.code == "forbidden" else 400)
    return _account_page(new_token=plaintext)


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    """An admin revokes one of the organisation's tokens."""
    signed_in_user()
    token_service.revoke_token(db.session, web_actor(), token_id)
    flash(_("Token revoked."))
    return redirect(url_for("pages.account"))



@bp.post("/account/contact")
def set_contact():
    """An admin publishes (or withdraws) the organisation's contact shown on its profile and to introduced parties."""
    user = signed_in_user()
    try:
        contacts.set_public_contact(db.session, web_actor(), organisation_of(user), {
            k: request.form.get(k) for k in ("public_email", "public_website")})
    except DomainError as err:
        db.session.rollback()
        return _account_page(err.fields, err.message, status=403 if err.code == "forbidden" else 400)
    flash(_("Your organisation's public contact is saved."))
    return redirect(url_for("pages.account") + "#contact")
