"""Bulk upload on the pages: an organisation's admin uploads an IATI XML or HXL CSV file.

The page is a door to `coordination.services.file_imports.import_file`, the same service
the REST upload (`POST /api/v1/imports`) and the CLI use: all or nothing per file (a file
that cannot be read to its end leaves the database as it was), bad records inside a good
file skipped with their reasons, records already registered recognised and left alone.
Every record becomes an initiative of the uploader's organisation.

The body is limited to UPLOAD_MAX_BYTES (50 MB unless configured) before the form is read
(see `request_limit`, called by the blueprint's before_request); other page posts to
`FORM_MAX_BYTES`.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from flask import current_app, g, render_template, request
from werkzeug.datastructures import FileStorage

from coordination.errors import DomainError, ValidationError
from coordination.permissions import Actor, require_org_admin
from coordination.services.accounts import members_of
from coordination.services.file_imports import import_file

from ..extensions import db
from ..unit_of_work import unit_of_work
from . import bp
from .common import organisation_of, signed_in_user, signin_redirect, web_actor
from .i18n import _

UPLOAD_ENDPOINT = "pages.upload_file"
DEFAULT_UPLOAD_MAX = 50 * 1024 * 1024
FORM_MAX_BYTES = 2 * 1024 * 1024  # every other page form: text fields only
SHOWN_PROBLEMS = 500  # per-record problems listed on the page (all are counted)
FORMATS = ("auto", "iati", "hxl")


def upload_limit() -> int:
    """The largest file the upload accepts, in bytes."""
    return int(current_app.config.get("UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX))


def limit_text() -> str:
    """The upload limit in words: "50 MB", or "20 KB" for small test limits."""
    limit = upload_limit()
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{max(1, limit // 1024)} KB"


def request_limit() -> None:
    """Cap the body of a page post before its form is parsed (413 beyond it)."""
    request.max_content_length = upload_limit() if request.endpoint == UPLOAD_ENDPOINT else FORM_MAX_BYTES


def is_org_admin(actor: Actor, organisation_id: int) -> bool:
    """Whether the actor may upload for the organisation (its admins, platform admins)."""
    return actor.is_platform_admin or (actor.role == "admin" and actor.organisation_id == organisation_id)


def detect_format(chosen: str, filename: str, head: bytes) -> str:
    """"iati" or "hxl": as chosen, else from the file name, else from the first bytes (XML starts with "<")."""
    if chosen in ("iati", "hxl"):
        return chosen
    suffix = Path(filename).suffix.lower()
    if suffix == ".xml":
        return "iati"
    if suffix in (".csv", ".txt"):
        return "hxl"
    return "iati" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "hxl"


def problem_rows(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (record, field) for the report table: which record, which field, why."""
    rows = []
    for p in problems:
        fields = p.get("fields") or {}
        where = {"record": p.get("record"), "line": p.get("line"), "where": p.get("where")}
        if not fields:
            rows.append({**where, "field": None, "reason": p.get("reason")})
        for name, messages in fields.items():
            rows.append({**where, "field": name, "reason": "; ".join(str(m) for m in messages) or p.get("reason")})
    return rows


def _page(org, *, report: dict | None = None, message: str | None = None, errors: dict | None = None,
          can_upload: bool = True, status: int = 200):
    rows = problem_rows(report["problems"]) if report else []
    admins = [] if can_upload else [m for m in members_of(db.session, org.id) if m.role == "admin"]
    return render_template(
        "upload.html", org=org, report=report, problems=rows[:SHOWN_PROBLEMS], more=max(0, len(rows) - SHOWN_PROBLEMS),
        message=message, errors=errors or {}, can_upload=can_upload, admins=admins,
        limit=limit_text(), chosen=request.form.get("format", "auto"), period=request.form.get("period", "")), status


MAX_NAME = 120  # characters of the uploaded file's name kept for the report and provenance
STORED_SUFFIXES = (".xml", ".csv", ".txt")


def display_name(filename: str | None) -> str:
    """The uploaded file's name as shown and recorded: its last path part, without control
    characters (NUL included), at most MAX_NAME characters with its suffix kept; "upload" if
    nothing usable is left (an empty name, "." or "..")."""
    name = re.split(r"[/\\]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if not name.strip("."):
        return "upload"
    if len(name) > MAX_NAME:
        suffix = Path(name).suffix
        suffix = suffix if len(suffix) <= 10 else ""
        name = name[:MAX_NAME - len(suffix) - 1] + "…" + suffix
    return name


def _save(upload: FileStorage, folder: str, name: str) -> Path:
    """The uploaded file on disk in `folder` under a name of our own (never the client's).

    Only a known suffix of the client's name is kept, so nothing the client sends ("..",
    separators, NUL, a name longer than the file system allows) can reach the path.
    """
    suffix = Path(name).suffix.lower()
    path = Path(folder) / ("upload" + (suffix if suffix in STORED_SUFFIXES else ""))
    upload.save(path)
    return path


@bp.route("/account/import", methods=["GET", "POST"])
def upload_file():
    """Upload an IATI or HXL file for the signed-in admin's organisation and show the import report."""
    if g.get("user") is None:
        return signin_redirect()
    org = organisation_of(signed_in_user())
    actor = web_actor()
    if not is_org_admin(actor, org.id):
        return _page(org, can_upload=False, status=403)
    if request.method == "GET":
        return _page(org)
    require_org_admin(actor, org.id)
    upload = request.files.get("file")
    chosen = request.form.get("format", "auto")
    if chosen not in FORMATS:
        return _page(org, message=_("Choose the file's format."), errors={"format": [_("must be IATI or HXL")]},
                     status=400)
    if upload is None or not upload.filename:
        return _page(org, message=_("Choose a file to upload."), errors={"file": [_("no file was chosen")]},
                     status=400)
    name = display_name(upload.filename)
    with tempfile.TemporaryDirectory() as tmp:
        path = _save(upload, tmp, name)
        with open(path, "rb") as f:
            head = f.read(512)
        if not head:
            return _page(org, message=_("The file %(name)s is empty.", name=name),
                         errors={"file": [_("the file is empty")]}, status=400)
        kind = detect_format(chosen, name, head)
        try:
            with unit_of_work() as uow:  # the whole file, or nothing of it
                report = import_file(uow, kind, path, actor, organisation=org.slug, source_name=name,
                                     period=request.form.get("period"))
                uow.commit()
        except ValidationError as err:
            return _page(org, message=err.message, errors=err.fields, status=400)
        except DomainError as err:
            return _page(org, message=err.message, errors=err.fields, status=403 if err.code == "forbidden" else 400)
    report["format"] = kind
    return _page(org, report=report)
