"""Accounts on the pages: sign up (confirmed by an e-mailed link, organisation created unverified),
sign in and out, members, tokens."""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from coordination import vocab
from coordination.display import country_choices, verification_label
from coordination.errors import DomainError
from coordination.reads.organisations import tokens_of
from coordination.services import accounts
from coordination.services import introductions as contacts
from coordination.services import signin as sign_in_service
from coordination.services import tokens as token_service

from .. import mail
from ..extensions import db
from ..unit_of_work import unit_of_work
from . import bp
from .common import organisation_of, signed_in_user, web_actor
from .i18n import _

LINK_SALT = "coordination.sign-up-confirm"
LINK_MAX_AGE = 24 * 3600  # seconds a sign-up link works (SIGNUP_LINK_MAX_AGE)


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


def _links() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=LINK_SALT)


def _link_max_age() -> int:
    return int(current_app.config.get("SIGNUP_LINK_MAX_AGE", LINK_MAX_AGE))


def _site() -> str:
    """The platform's public address for links in e-mails: PUBLIC_BASE_URL, else (the demo) this request's host.

    Set PUBLIC_BASE_URL wherever mail goes out, so a forged Host header cannot point a link elsewhere.
    """
    base = current_app.config.get("PUBLIC_BASE_URL") or os.environ.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/")


def _send_sign_up_mail(request_: accounts.SignUpRequest) -> None:
    """The e-mail a sign-up sends: the confirmation link, or (registered address) a notice to its owner."""
    site = _site()
    if request_.pending is not None:
        token = _links().dumps({"id": request_.pending.id, "n": request_.pending.nonce})
        link = site + url_for("pages.confirm_signup", token=token)
        hours = _link_max_age() // 3600
        mail.send_mail(request_.email, _("Confirm your sign-up"), _(
            "Someone (we hope you) signed up the organisation \"%(org)s\" on %(site)s with this e-mail "
            "address.\n\nTo finish signing up, open this link within %(hours)s hours:\n\n%(link)s\n\n"
            "If it was not you, ignore this message: nothing is created without the link.",
            org=request_.pending.organisation_name, site=site, hours=hours, link=link))
    else:
        mail.send_mail(request_.email, _("Someone tried to sign up with your e-mail address"), _(
            "Someone (perhaps you) tried to sign up an organisation on %(site)s with this e-mail address, "
            "which already has an account. Nothing was changed.\n\nTo sign in:\n\n%(link)s\n\n"
            "If you forgot your password, ask your organisation's admin to set a new one. If it was not "
            "you, you can ignore this message.",
            site=site, link=site + url_for("pages.signin")))


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Sign up an organisation: a link e-mailed to the address finishes it (nothing is created before).

    Every valid sign-up gets the same answer, whether or not the address has an account.
    """
    form, errors, message = request.form, {}, None
    if request.method == "POST":
        try:
            with unit_of_work() as uow:
                sign_up = accounts.request_sign_up(uow.session, {k: form.get(k) for k in (
                    "organisation_name", "organisation_type", "country", "email", "password")})
                uow.commit()
        except DomainError as err:
            errors, message = err.fields, err.message
        else:
            _send_sign_up_mail(sign_up)
            return render_template("signup.html", sent_to=sign_up.email, mail_configured=mail.configured(),
                                   link_hours=_link_max_age() // 3600,
                                   form={}, errors={}, message=None, types=vocab.ORGANISATION_TYPES,
                                   countries=country_choices())
    return render_template("signup.html", form=form, errors=errors, message=message,
                           types=vocab.ORGANISATION_TYPES, countries=country_choices()), 400 if errors or message else 200


@bp.get("/signup/confirm/<token>")
def confirm_signup(token: str):
    """Follow the e-mailed link: the organisation and its admin are created and signed in."""
    try:
        data = _links().loads(token, max_age=_link_max_age())
    except SignatureExpired:
        return _link_refused(_("This link has expired (links work for %(hours)s hours). Sign up again to get "
                               "a new one.", hours=_link_max_age() // 3600), 410)
    except BadSignature:
        return _link_refused(_("This link is not valid: it may be incomplete or changed. Copy the whole "
                               "link from the e-mail, or sign up again."), 400)
    try:
        with unit_of_work() as uow:
            user = accounts.confirm_sign_up(uow.session, data.get("id") if isinstance(data, dict) else None,
                                            data.get("n") if isinstance(data, dict) else None)
            uow.commit()
    except accounts.SignUpLinkRefused as err:
        return _link_refused(err.message, 400 if err.reason == "invalid" else 410,
                             used=err.reason != "invalid")
    _start_session(user)
    flash(_("Welcome! Your organisation is registered and will be verified by a coordinator. "
            "You can register initiatives now."))
    return redirect(url_for("pages.new_initiative"))


def _link_refused(message: str, status: int, used: bool = False):
    return render_template("signup_confirm.html", message=message, used=used), status


def _sign_in(email, password):
    """Check the credentials in one unit of work; a failed attempt is committed too (it counts)."""
    with unit_of_work() as uow:
        try:
            user = sign_in_service.sign_in(uow.session, email, password)
        except sign_in_service.FailedSignIn:
            uow.commit()
            raise
        uow.commit()
    return user


@bp.route("/signin", methods=["GET", "POST"])
def signin():
    """Sign in with e-mail and password."""
    message, status, headers = None, 200, {}
    if request.method == "POST":
        try:
            user = _sign_in(request.form.get("email"), request.form.get("password"))
        except sign_in_service.TooManyAttempts as err:
            message, status, headers = err.message, 429, {"Retry-After": str(err.retry_after)}
        except sign_in_service.NotConfirmed as err:
            message, status = err.message, 403
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
    if user.organisation_id is None:  # a coordinator: platform-wide, nothing of an organisation to manage
        return render_template("account_coordinator.html", user=user), status
    org = organisation_of(user)
    tokens = tokens_of(db.session, org.id)
    verification = verification_label(org.verified, True, published=bool(org.org_identifier))
    return render_template("account.html", user=user, org=org, verification=verification,
                           members=accounts.members_of(db.session, org.id),
                           tokens=tokens, errors=errors or {}, message=message, new_token=new_token,
                           form=request.form), status


def _organisation_write(work, field_prefix: str = ""):
    """Run `work(session, actor, organisation)` for the signed-in admin's organisation in one unit
    of work: (its result, None), or on a refusal (None, the account page showing why, its fields
    named with `field_prefix`)."""
    user = signed_in_user()
    try:
        with unit_of_work() as uow:
            result = work(uow.session, web_actor(), organisation_of(user))
            uow.commit()
    except DomainError as err:
        return None, _account_page({field_prefix + k: v for k, v in err.fields.items()}, err.message,
                                   status=403 if err.code == "forbidden" else 400)
    return result, None


@bp.post("/account/members")
def add_member():
    """An admin adds a person to the organisation."""
    form = {k: request.form.get(k) for k in ("email", "password", "role")}
    refused = _organisation_write(lambda session, actor, org: accounts.add_member(session, actor, org, form))[1]
    if refused:
        return refused
    flash(_("Member added. Give them their password through a safe channel."))
    return redirect(url_for("pages.account"))


@bp.post("/account/tokens")
def create_token():
    """An admin creates an API token; it is shown once."""
    role, label = request.form.get("role") or "member", (request.form.get("label") or "").strip()[:120]
    created, refused = _organisation_write(
        lambda session, actor, org: token_service.create_token(session, actor, role, org, label), "token_")
    return refused or _account_page(new_token=created[1])


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    """An admin revokes one of the organisation's tokens."""
    signed_in_user()
    with unit_of_work() as uow:
        token_service.revoke_token(uow.session, web_actor(), token_id)
        uow.commit()
    flash(_("Token revoked."))
    return redirect(url_for("pages.account"))



@bp.post("/account/contact")
def set_contact():
    """An admin publishes (or withdraws) the organisation's contact shown on its profile and to introduced parties."""
    form = {k: request.form.get(k) for k in ("public_email", "public_website")}
    refused = _organisation_write(
        lambda session, actor, org: contacts.set_public_contact(session, actor, org, form))[1]
    if refused:
        return refused
    flash(_("Your organisation's public contact is saved."))
    return redirect(url_for("pages.account") + "#contact")
