"""Security headers on every response (a strict, nonce-based CSP) and rate limits per token and address.

Nothing loads from a CDN, so the policy allows only this origin. Inline scripts and
`<style>` elements (folium's map set-up) carry the request's nonce; `style` attributes
(goal colour swatches) are allowed through `style-src-attr`, which cannot run code.
"""
from __future__ import annotations

import hashlib
import math
import secrets
import threading
import time
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, jsonify, request
from flask.sessions import SecureCookieSessionInterface
from markupsafe import Markup
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .errors import error_response

NONCE_KEY = "coordination.csp_nonce"
EXEMPT_PREFIXES = ("/static/", "/healthz", "/metrics")
# Reads that compute over every record the reader may see (seconds each on a few thousand
# initiatives when not cached): they also draw from a second, stricter bucket. A GraphQL
# query draws one from it per analytics field it selects (`charge_analytics`, from the view).
ANALYTICS_PATHS = frozenset({"/api/v1/groups", "/api/v1/fragmentation", "/api/v1/network", "/groups"})


def csp_nonce() -> str:
    """This response's CSP nonce (one per request), for inline `<script>`/`<style>` elements."""
    nonce = request.environ.get(NONCE_KEY)
    if nonce is None:
        nonce = request.environ[NONCE_KEY] = secrets.token_urlsafe(18)
    return nonce


def nonce_attr() -> Markup:
    """` nonce="..."` ready to put inside a tag in a template."""
    return Markup(f' nonce="{csp_nonce()}"')


def content_security_policy(nonce: str, config) -> str:
    """The policy: this origin only, nonce-gated inline code, no framing, no plugins."""
    images = ["'self'", "data:"]
    tiles = config.get("MAP_TILE_URL")
    if tiles:
        parts = urlsplit(tiles.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tiles else parts.netloc
        images.append(f"{parts.scheme}://{host}")
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src 'self' 'nonce-{nonce}'",
        "style-src-attr 'unsafe-inline'",
        f"img-src {' '.join(images)}",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def set_security_headers(response):
    """Add the headers every response carries (HSTS only when HSTS_SECONDS is configured)."""
    config = current_app.config
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce(), config))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
    if config.get("HSTS_SECONDS"):
        headers.setdefault("Strict-Transport-Security",
                           f"max-age={int(config['HSTS_SECONDS'])}; includeSubDomains")
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the cookie marked Secure whenever HTTPS is in use.

    Secure when configured (SESSION_COOKIE_SECURE, or PREFERRED_URL_SCHEME=https) or when this
    request came over HTTPS (directly, or through a trusted proxy's X-Forwarded-Proto).
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        if app.config.get("SESSION_COOKIE_SECURE") or app.config.get("PREFERRED_URL_SCHEME") == "https":
            return True
        return has_request_context() and request.is_secure

    def get_cookie_samesite(self, app: Flask) -> str:
        return app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"


class RateLimiter:
    """Token buckets (GCRA: one timestamp per key) allowing `limit` requests per `period` seconds."""

    def __init__(self, clock=time.monotonic):
        self._tat: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._next_prune = 0.0

    def hit(self, key: str, limit: int, period: float) -> float:
        """Count one request for `key`; 0 if allowed, else the seconds to wait before retrying."""
        interval = period / limit
        with self._lock:
            now = self._clock()
            if now >= self._next_prune:
                self._prune(now)
            tat = max(self._tat.get(key, now), now)
            # Room left as `period - interval`, not `tat + interval - now` against `period`: with a
            # large clock value that sum can round above the period and refuse a first request.
            if tat - now > period - interval:
                return tat - now - (period - interval)
            self._tat[key] = tat + interval
            return 0.0

    def _prune(self, now: float) -> None:
        """Forget keys whose bucket is full again (bounded memory under many addresses)."""
        for key in [k for k, tat in self._tat.items() if tat <= now]:
            del self._tat[key]
        self._next_prune = now + 60.0

    def reset(self) -> None:
        """Forget every key (tests)."""
        with self._lock:
            self._tat.clear()


class DatabaseRateLimiter:
    """The same GCRA buckets kept in the database, so every worker and machine shares them.

    One atomic statement per request (insert the bucket or advance it, only if the request
    fits) on a short connection of its own, outside the request's transaction. If the
    database cannot answer, the request is let through: the request itself will then get
    the clean 503, and a limiter must never be the reason the platform is down.
    """

    _ADVANCE = text("""
        INSERT INTO rate_limit_bucket (key, tat) VALUES (:key, :now + :interval)
        ON CONFLICT (key) DO UPDATE
            SET tat = CASE WHEN rate_limit_bucket.tat > :now THEN rate_limit_bucket.tat ELSE :now END
                      + :interval
            WHERE CASE WHEN rate_limit_bucket.tat > :now THEN rate_limit_bucket.tat ELSE :now END
                  - :now <= :period - :interval
        RETURNING tat""")

    def __init__(self, engine_of, clock=time.time):
        self._engine_of = engine_of  # a callable: the engine is only known inside the app context
        self._clock = clock
        self._next_prune = 0.0

    def hit(self, key: str, limit: int, period: float) -> float:
        """Count one request for `key`; 0 if allowed, else the seconds to wait before retrying."""
        interval = period / limit
        now = self._clock()
        try:
            with self._engine_of().begin() as conn:
                if now >= self._next_prune:
                    conn.execute(text("DELETE FROM rate_limit_bucket WHERE tat < :now"), {"now": now})
                    self._next_prune = now + 60.0
                advanced = conn.execute(self._ADVANCE, {"key": key, "now": now, "interval": interval,
                                                        "period": period}).first()
                if advanced is not None:
                    return 0.0
                tat = conn.execute(text("SELECT tat FROM rate_limit_bucket WHERE key = :key"),
                                   {"key": key}).scalar()
        except SQLAlchemyError as err:
            current_app.logger.warning("rate limiter unavailable, request let through: %s",
                                       err.__class__.__name__)
            return 0.0
        return max(0.0, (tat or now) - now - (period - interval)) or 0.001

    def reset(self) -> None:
        """Forget every key (tests)."""
        with self._engine_of().begin() as conn:
            conn.execute(text("DELETE FROM rate_limit_bucket"))


def make_limiter(app: Flask):
    """The limiter the configuration asks for (see RATE_LIMIT_STORAGE in api/config.py)."""
    storage = app.config.get("RATE_LIMIT_STORAGE", "auto")
    if storage == "auto":
        storage = "memory" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else "database"
    if storage == "memory":
        return RateLimiter()
    if storage == "database":
        from .extensions import db
        return DatabaseRateLimiter(lambda: db.engine)
    raise ValueError(f"RATE_LIMIT_STORAGE must be auto, memory or database, not {storage!r}")


def _parse_limit(value) -> tuple[int, float]:
    """"600/60" or (600, 60) → (600, 60.0): requests per seconds."""
    if isinstance(value, str):
        count, _, seconds = value.partition("/")
        return int(count), float(seconds or 60)
    count, seconds = value
    return int(count), float(seconds)


def _rate_key() -> tuple[str, str]:
    """The bucket this request draws from: its bearer token (hashed), else its address."""
    header = request.headers.get("Authorization", "")
    if header.strip():
        digest = hashlib.sha256(header.strip().encode("utf-8", "replace")).hexdigest()[:32]
        return f"token:{digest}", "RATE_LIMIT_PER_TOKEN"
    return f"addr:{request.remote_addr or '-'}", "RATE_LIMIT_PER_ADDRESS"


def rate_limited(retry_after: float):
    """The 429 response: the one error shape (GraphQL's under /graphql) with Retry-After."""
    seconds = max(1, math.ceil(retry_after))
    message = f"Too many requests; try again in {seconds} s."
    if request.path == "/graphql":
        response = jsonify({"errors": [{"message": message, "extensions": {
            "code": "rate_limited", "fields": {}}}]})
        response.status_code = 429
    else:
        response, _status = error_response("rate_limited", message, None, 429)
        response.status_code = 429
    response.headers["Retry-After"] = str(seconds)
    return response


def check_rate_limit():
    """before_request: refuse a request over its bucket's limit (and analytics over theirs)."""
    config = current_app.config
    if not config["RATE_LIMIT_ENABLED"] or request.path.startswith(EXEMPT_PREFIXES):
        return None
    key, setting = _rate_key()
    wait = current_app.extensions["rate_limiter"].hit(key, *_parse_limit(config[setting]))
    if not wait and request.method in ("GET", "HEAD") and request.path.rstrip("/") in ANALYTICS_PATHS:
        wait = analytics_wait()
    return rate_limited(wait) if wait else None


def analytics_wait(count: int = 1) -> float:
    """Charge `count` analyses to this caller's analytics bucket: 0 if allowed, else the seconds to wait."""
    config = current_app.config
    key, setting = _rate_key()
    limit = _parse_limit(config[setting.replace("RATE_LIMIT_", "RATE_LIMIT_ANALYTICS_")])
    for _ in range(count):
        wait = current_app.extensions["rate_limiter"].hit(f"analytics:{key}", *limit)
        if wait:
            return wait
    return 0.0


def charge_analytics(count: int):
    """For a GraphQL query selecting `count` analytics fields: the 429 response when over the bucket, else None."""
    if not current_app.config["RATE_LIMIT_ENABLED"] or count <= 0:
        return None
    wait = analytics_wait(count)
    return rate_limited(wait) if wait else None


def charge_failed_authentication(response):
    """after_request: a refused token also draws from its address, so guessing tokens is limited too."""
    config = current_app.config
    if response.status_code == 401 and config["RATE_LIMIT_ENABLED"] and request.headers.get("Authorization"):
        key = f"addr:{request.remote_addr or '-'}"
        current_app.extensions["rate_limiter"].hit(key, *_parse_limit(config["RATE_LIMIT_PER_ADDRESS"]))
    return response


def init_app(app: Flask) -> None:
    """Install the headers and the limiter (limits are on unless RATE_LIMIT_ENABLED is false)."""
    app.config.setdefault("RATE_LIMIT_ENABLED", True)
    app.config.setdefault("RATE_LIMIT_PER_TOKEN", "600/60")
    app.config.setdefault("RATE_LIMIT_PER_ADDRESS", "300/60")
    # Analytics (groups, fragmentation, network; GraphQL queries selecting them), on top of the above.
    app.config.setdefault("RATE_LIMIT_ANALYTICS_PER_TOKEN", "60/60")
    app.config.setdefault("RATE_LIMIT_ANALYTICS_PER_ADDRESS", "20/60")
    app.config.setdefault("HSTS_SECONDS", 0)
    app.session_interface = SessionInterface()
    app.extensions["rate_limiter"] = make_limiter(app)
    app.before_request(check_rate_limit)
    app.after_request(charge_failed_authentication)
    app.after_request(set_security_headers)
    app.jinja_env.globals.update(csp_nonce=csp_nonce, nonce_attr=nonce_attr)
