"""REST: /export/<format> (streamed, any filter) and /imports (organisation admins upload a file)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Response, current_app, jsonify, request, stream_with_context
from werkzeug.exceptions import UnsupportedMediaType

from coordination.errors import NotFound, ValidationError
from coordination.exports import FORMATS, export_chunks
from coordination.permissions import require_authenticated, require_org_admin
from coordination.queries import filtered
from coordination.services.file_imports import import_file
from coordination.services.organisations import get_organisation

from ..auth import current_actor
from ..extensions import db
from ..unit_of_work import unit_of_work
from . import bp
from .common import refuse_nul, text_problem
from .initiatives import filter_from_args


@bp.get("/export/<fmt>")
def export(fmt: str):
    """Stream the initiatives matching the filter as iati, hxl, geojson or csv."""
    if fmt not in FORMATS:
        raise NotFound(f"No export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    actor = current_actor()
    f = filter_from_args(request.args)
    _, mimetype, filename = FORMATS[fmt]
    filtered(db.session, actor, f)  # an unknown goal or status is a 400 now, not a broken 200 stream later
    chunks = export_chunks(db.session, actor, f, fmt)
    first = next(chunks, "")

    def body():
        yield first
        yield from chunks

    response = Response(stream_with_context(body()), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.post("/imports")
def upload():
    """An organisation admin uploads an IATI or HXL file; every record becomes theirs."""
    actor = current_actor()
    require_authenticated(actor)
    request.max_content_length = current_app.config.get("UPLOAD_MAX_BYTES", 50 * 1024 * 1024)
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType("Send the file as multipart/form-data (field 'file', and 'format': iati or hxl).")
    refuse_nul({name: why for name, values in request.form.lists()
                for why in [next((p for p in map(text_problem, values) if p), None)] if why})
    kind = request.form.get("format") or request.args.get("format")
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError("Attach the file as multipart field 'file'.", {"file": ["is required"]})
    if kind not in ("iati", "hxl"):
        raise ValidationError("Say which format the file is in.", {"format": ["must be iati or hxl"]})
    slug = request.form.get("organisation")
    if slug is None and actor.organisation_id is None:
        raise ValidationError("Say which organisation the file is for.", {"organisation": ["is required"]})
    org = get_organisation(db.session, slug) if slug else None
    org_id = org.id if org else actor.organisation_id
    require_org_admin(actor, org_id)
    # The client's file name only labels the report and provenance: never a path, never too long.
    name = Path((upload.filename or "").replace("\x00", "").replace("\\", "/")).name.strip(". ")[-120:] or "upload"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload"
        upload.save(path)
        org_slug = org.slug if org else None
        if org_slug is None:
            from coordination.models import Organisation
            org_slug = db.session.get(Organisation, org_id).slug
        with unit_of_work() as uow:  # the whole file, or nothing of it
            report = import_file(uow, kind, path, actor, organisation=org_slug, source_name=name,
                                 period=request.form.get("period"))
            uow.commit()
    return jsonify(report)
