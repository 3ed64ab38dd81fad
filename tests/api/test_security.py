"""Security headers with a strict CSP, and rate limits per token and per address with 429 + Retry-After."""
from __future__ import annotations

import re

import pytest

from api import create_app
from api.extensions import db
from api.security import RateLimiter

from ..factories import bearer, make_organisation, make_token


def _policy(response) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
            for part in response.headers["Content-Security-Policy"].split("; ")}


def test_every_response_carries_the_security_headers_and_no_hsts_unless_configured(client):
    for path in ("/", "/api/v1/initiatives", "/graphql", "/api/v1/nowhere"):
        response = client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        policy = _policy(response)
        assert policy["default-src"] == "'self'"
        assert policy["frame-ancestors"] == "'none'"
        assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "Strict-Transport-Security" not in response.headers


def test_hsts_is_sent_when_configured(app, client):
    app.config["HSTS_SECONDS"] = 31536000
    assert client.get("/").headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_map_page_inline_scripts_and_styles_carry_this_responses_nonce(client):
    first, second = client.get("/"), client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", _policy(first)["script-src"]).group(1)
    assert nonce != re.search(r"'nonce-([^']+)'", _policy(second)["script-src"]).group(1)
    html = first.get_data(as_text=True)
    inline = re.findall(r"<(script|style)(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline, "the folium map has inline set-up code"
    assert all(f'nonce="{nonce}"' in attrs for _tag, attrs in inline)


def test_graphiql_inline_style_carries_the_nonce(client):
    response = client.get("/graphql")
    nonce = re.search(r"'nonce-([^']+)'", _policy(response)["style-src"]).group(1)
    assert f'<style nonce="{nonce}">' in response.get_data(as_text=True)


def test_the_limiter_refuses_past_the_limit_and_says_when_to_retry():
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert [limiter.hit("a", 3, 60) for _ in range(3)] == [0, 0, 0]
    wait = limiter.hit("a", 3, 60)
    assert 19 < wait <= 20  # one request comes back every 20 s
    assert limiter.hit("b", 3, 60) == 0  # another key has its own bucket
    now[0] += wait
    assert limiter.hit("a", 3, 60) == 0


def test_anonymous_callers_are_limited_per_address_with_429_and_retry_after(app, client):
    app.config.update(RATE_LIMIT_ENABLED=True, RATE_LIMIT_PER_ADDRESS="3/60")
    statuses = [client.get("/api/v1/initiatives").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/initiatives")
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 20
    other = client.get("/api/v1/initiatives", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200  # another address is not affected
    assert client.get("/healthz").status_code == 200  # health checks are never limited


def test_a_token_has_its_own_bucket_and_graphql_is_limited_in_its_shape(app, client, session):
    token = make_token(session, make_organisation(session))
    app.config.update(RATE_LIMIT_ENABLED=True, RATE_LIMIT_PER_TOKEN="2/60", RATE_LIMIT_PER_ADDRESS="100/60")
    query = {"query": "{ initiatives { totalCount } }"}
    statuses = [client.post("/graphql", json=query, headers=bearer(token)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.post("/graphql", json=query, headers=bearer(token))
    assert refused.get_json()["errors"][0]["extensions"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1
    assert client.post("/graphql", json=query).status_code == 200  # anonymous: the address bucket


def test_guessing_tokens_draws_from_the_address_bucket(app, client):
    app.config.update(RATE_LIMIT_ENABLED=True, RATE_LIMIT_PER_ADDRESS="3/60")
    for n in range(3):
        assert client.get("/api/v1/initiatives", headers=bearer(f"cp_guess{n}")).status_code == 401
    assert client.get("/api/v1/initiatives").status_code == 429


def test_rate_limits_are_off_under_testing_by_default(client):
    assert all(client.get("/api/v1/initiatives").status_code == 200 for _ in range(50))


def _twin(app, **overrides):
    """A second app on the same database: another gunicorn worker, or another machine."""
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "SECRET_KEY": "test-secret", "RATE_LIMIT_ENABLED": True, **overrides})


@pytest.mark.postgres
def test_on_postgresql_every_worker_draws_from_the_same_buckets(tmp_path, monkeypatch):
    from ..backends import postgres_url, reset_postgres

    monkeypatch.setenv("COORDINATION_INSTANCE", str(tmp_path))
    url = postgres_url()
    reset_postgres(url)
    base = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret"})
    workers = [_twin(base, RATE_LIMIT_PER_ADDRESS="4/60") for _ in range(2)]
    statuses = [workers[i % 2].test_client().get("/api/v1/goals").status_code for i in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]  # 4 in all, not 4 per worker
    alone = [_twin(base, RATE_LIMIT_PER_ADDRESS="4/60", RATE_LIMIT_STORAGE="memory") for _ in range(2)]
    statuses = [alone[i % 2].test_client().get("/api/v1/goals", environ_base={"REMOTE_ADDR": "10.1.1.1"})
                .status_code for i in range(6)]
    assert statuses == [200] * 6  # per-process buckets: each worker allows 4 (why "database" exists)
    for app in (base, *workers, *alone):
        with app.app_context():
            db.engine.dispose()


def test_a_broken_limiter_store_lets_requests_through(app, client, monkeypatch):
    from api.security import DatabaseRateLimiter

    def unreachable():
        from sqlalchemy import create_engine
        return create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none",
                             connect_args={"connect_timeout": 1})

    app.config.update(RATE_LIMIT_ENABLED=True, RATE_LIMIT_PER_ADDRESS="1/60")
    app.extensions["rate_limiter"] = DatabaseRateLimiter(unreachable)
    assert [client.get("/api/v1/goals").status_code for _ in range(2)] == [200, 200]


@pytest.mark.parametrize("hops, second_status", [(0, 429), (1, 200)])
def test_forwarded_addresses_count_only_behind_a_trusted_proxy(app, hops, second_status):
    proxied = _twin(app, TRUSTED_PROXIES=hops, RATE_LIMIT_PER_ADDRESS="1/60", RATE_LIMIT_STORAGE="memory")
    client = proxied.test_client()
    first = client.get("/api/v1/goals", headers={"X-Forwarded-For": "203.0.113.7"})
    second = client.get("/api/v1/goals", headers={"X-Forwarded-For": "203.0.113.8"})
    assert first.status_code == 200
    # Untrusted, the header is ignored: both come from the proxy's address and share a bucket.
    assert second.status_code == second_status
    with proxied.app_context():
        db.engine.dispose()


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "the sign-in page starts a session (its CSRF token)"
    return cookies[0]


def test_the_session_cookie_is_httponly_and_samesite_lax_and_secure_only_over_https(client):
    plain = _session_cookie(client.get("/signin"))
    assert "HttpOnly" in plain and "SameSite=Lax" in plain
    assert "Secure" not in plain  # a plain-HTTP development server must still work
    secure = _session_cookie(client.get("/signin", base_url="https://platform.example.org"))
    assert "Secure" in secure and "SameSite=Lax" in secure and "HttpOnly" in secure


@pytest.mark.parametrize("setting", [{"SESSION_COOKIE_SECURE": True}, {"PREFERRED_URL_SCHEME": "https"}])
def test_the_session_cookie_is_secure_when_configured_for_https(app, client, setting):
    app.config.update(setting)
    assert "Secure" in _session_cookie(client.get("/signin"))


def test_the_session_cookie_is_secure_behind_a_trusted_https_proxy(tmp_path, monkeypatch):
    monkeypatch.setenv("COORDINATION_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}",
                      "SECRET_KEY": "x", "TRUSTED_PROXIES": 1})
    with app.app_context():
        cookie = _session_cookie(app.test_client().get("/signin", headers={"X-Forwarded-Proto": "https"}))
        db.session.remove()
        db.engine.dispose()
    assert "Secure" in cookie and "SameSite=Lax" in cookie


def test_a_first_request_is_let_through_whatever_the_clock_reads():
    # 8174.326235239371 + 60 - 8174.326235239371 rounds to just above 60: the bucket once
    # refused the very first request of a one-per-minute limit at such clock values.
    now = 8174.326235239371
    assert (now + 60.0) - now > 60.0
    limiter = RateLimiter(clock=lambda: now)
    assert limiter.hit("203.0.113.7", 1, 60.0) == 0.0
    assert limiter.hit("203.0.113.7", 1, 60.0) == pytest.approx(60.0)
