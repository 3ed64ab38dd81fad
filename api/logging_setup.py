"""Logs: plain text by default, one JSON object per line with LOG_FORMAT=json; never a secret.

Every request is logged once (method, path, status, duration, address), never its headers,
query string or body, so tokens, cookies and passwords cannot reach the log. A filter also
masks anything that looks like a bearer token or an API token in any message.
"""
from __future__ import annotations

import json
import logging
import os
import re
import time
from datetime import UTC, datetime

from flask import Flask, current_app, request

SECRET = re.compile(r"(?i)(bearer\s+)\S+|\bcp_[A-Za-z0-9_-]{6,}|((?:session|token|password)=)[^;&\s]+")


def redact(message: str) -> str:
    """The message with bearer tokens, API tokens and cookie/password values masked."""
    return SECRET.sub(lambda m: (m.group(1) or m.group(2) or "") + "[redacted]", message)


class RedactingFilter(logging.Filter):
    """Mask secrets in every record, whichever logger wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the request fields given."""

    def format(self, record: logging.LogRecord) -> str:
        data = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(),
                "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        for key in ("method", "path", "status", "duration_ms", "remote_addr"):
            if hasattr(record, key):
                data[key] = getattr(record, key)
        if record.exc_info:
            data["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=False)


def _start() -> None:
    request.environ["coordination.log_started"] = time.perf_counter()


def _log_request(response):
    started = request.environ.get("coordination.log_started", time.perf_counter())
    duration = round((time.perf_counter() - started) * 1000, 2)
    current_app.logger.info("%s %s %s", request.method, request.path, response.status_code, extra={
        "method": request.method, "path": request.path, "status": response.status_code,
        "duration_ms": duration, "remote_addr": request.remote_addr})
    return response


def init_app(app: Flask) -> None:
    """Configure the app's logger from LOG_FORMAT (text|json) and LOG_REQUESTS (on by default)."""
    fmt = app.config.get("LOG_FORMAT") or os.environ.get("LOG_FORMAT", "text")
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    app.logger.handlers[:] = [handler]
    app.logger.addFilter(RedactingFilter())
    app.logger.setLevel(app.config.get("LOG_LEVEL", os.environ.get("LOG_LEVEL", "INFO")))
    if fmt == "json":
        # werkzeug's access log repeats the query string; the request line below replaces it.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    if app.config.get("LOG_REQUESTS", True):
        app.before_request(_start)
        app.after_request(_log_request)
