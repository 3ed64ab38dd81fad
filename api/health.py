"""Operations endpoints: `/healthz` (is the database reachable) and `/metrics` (Prometheus text).

The metrics are kept per process; behind several gunicorn workers each worker answers
for itself (scrape each, or sum them), which is enough to see rates, errors and latency.
"""
from __future__ import annotations

import bisect
import threading
import time
from collections import Counter

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from coordination.models import Initiative

from .extensions import db

bp = Blueprint("health", __name__)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """Request counts by method and status, and a latency histogram, for one process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: Counter[tuple[str, int]] = Counter()
        self.buckets = [0] * (len(BUCKETS) + 1)
        self.latency_sum = 0.0
        self.latency_count = 0

    def observe(self, method: str, status: int, seconds: float) -> None:
        """Count one finished request."""
        with self.lock:
            self.requests[(method, status)] += 1
            self.buckets[bisect.bisect_left(BUCKETS, seconds)] += 1
            self.latency_sum += seconds
            self.latency_count += 1

    def render(self, initiatives: int | None) -> str:
        """The Prometheus text exposition format (version 0.0.4)."""
        lines = ["# HELP coordination_http_requests_total HTTP requests by method and status.",
                 "# TYPE coordination_http_requests_total counter"]
        with self.lock:
            for (method, status), n in sorted(self.requests.items()):
                lines.append(f'coordination_http_requests_total{{method="{method}",status="{status}"}} {n}')
            lines += ["# HELP coordination_http_request_duration_seconds Time to answer a request.",
                      "# TYPE coordination_http_request_duration_seconds histogram"]
            cumulative = 0
            for bound, n in zip((*BUCKETS, "+Inf"), self.buckets):
                cumulative += n
                lines.append(f'coordination_http_request_duration_seconds_bucket{{le="{bound}"}} {cumulative}')
            lines.append(f"coordination_http_request_duration_seconds_sum {self.latency_sum:.6f}")
            lines.append(f"coordination_http_request_duration_seconds_count {self.latency_count}")
        if initiatives is not None:
            lines += ["# HELP coordination_initiatives Initiatives registered and not withdrawn.",
                      "# TYPE coordination_initiatives gauge", f"coordination_initiatives {initiatives}"]
        return "\n".join(lines) + "\n"


def _database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        current_app.logger.warning("health check: database unreachable")
        try:
            db.session.rollback()
        except SQLAlchemyError:
            pass
        return False
    finally:
        db.session.remove()


@bp.get("/healthz")
def healthz():
    """200 when the database answers, else 503 (for load balancers and orchestrators)."""
    ok = _database_ok()
    body = {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unreachable"}
    return jsonify(body), 200 if ok else 503


@bp.get("/metrics")
def metrics():
    """Prometheus metrics of this process, plus the number of current initiatives."""
    try:
        count = db.session.scalar(select(func.count(Initiative.id)).where(Initiative.withdrawn_at.is_(None)))
    except SQLAlchemyError:
        db.session.rollback()
        count = None
    text_body = current_app.extensions["metrics"].render(count)
    return Response(text_body, mimetype="text/plain; version=0.0.4")


def _start_timer() -> None:
    request.environ["coordination.started"] = time.perf_counter()


def _observe(response):
    started = request.environ.get("coordination.started")
    if started is not None and request.endpoint not in ("health.metrics",):
        method = request.method if request.method in METHODS else "OTHER"
        current_app.extensions["metrics"].observe(method, response.status_code,
                                                  time.perf_counter() - started)
    return response


def init_app(app: Flask) -> None:
    """Register /healthz and /metrics and time every request."""
    app.extensions["metrics"] = Metrics()
    app.register_blueprint(bp)
    app.before_request(_start_timer)
    app.after_request(_observe)
