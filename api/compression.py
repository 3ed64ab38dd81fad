"""Static scripts and stylesheets are sent gzip-compressed to browsers that accept it.

Leaflet, the marker plugin, map.js and the stylesheets are text; compressed they weigh about a
quarter. Each file is compressed once per version (path, size, mtime) and kept in memory.
"""
from __future__ import annotations

import gzip
from functools import lru_cache

from flask import Flask, Response, request

TYPES = {"application/javascript", "text/javascript", "text/css", "image/svg+xml", "application/json",
         "text/plain", "text/markdown"}
MIN_BYTES = 1024


@lru_cache(maxsize=256)
def _compressed(path: str, size: int, mtime: float, data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


def init_app(app: Flask) -> None:
    @app.after_request
    def _gzip_static(response: Response) -> Response:
        if (request.endpoint != "static" or response.status_code != 200 or response.mimetype not in TYPES
                or "gzip" not in request.headers.get("Accept-Encoding", "").lower()
                or "Content-Encoding" in response.headers):
            return response
        response.headers.add("Vary", "Accept-Encoding")
        body = response.response
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        response.direct_passthrough = False
        if len(data) < MIN_BYTES:
            response.set_data(data)
            return response
        file = (app.static_folder or "") + "/" + (request.view_args or {}).get("filename", "")
        stamp = response.last_modified.timestamp() if response.last_modified else 0.0
        response.set_data(_compressed(file, len(data), stamp, data))
        response.headers["Content-Encoding"] = "gzip"
        # The ETag stays the file's: a revalidation still answers 304 (the browser keeps what it unpacked).
        return response
