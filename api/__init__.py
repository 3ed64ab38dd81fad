"""The doors to the coordination domain: REST, GraphQL, web pages and the CLI."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from flask import Flask, g, request

from .config import build_config
from .errors import register_error_handlers
from .extensions import db, migrate

ROOT = Path(__file__).resolve().parents[1]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app; `config` overrides the environment (e.g. in tests)."""
    instance = Path(os.environ.get("COORDINATION_INSTANCE", ROOT / "instance"))
    app = Flask(__name__, instance_path=str(instance), static_folder=str(ROOT / "static"),
                static_url_path="/static")
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(build_config(instance, config))
    from coordination import freshness
    freshness.configure(int(app.config["STALE_AFTER_DAYS"]))
    if int(app.config["BLAS_THREADS"]) > 0:
        from threadpoolctl import threadpool_limits
        threadpool_limits(limits=int(app.config["BLAS_THREADS"]), user_api="blas")  # for the whole process
    if app.config["GC_THRESHOLDS"]:
        import gc
        gc.set_threshold(*(int(x) for x in str(app.config["GC_THRESHOLDS"]).split(",")))
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix
        # The client's address and scheme as the proxies saw them (rate limits, logs, HTTPS URLs).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    db.init_app(app)
    _attach_sqlite_setup(app)
    _keep_index_on_disk(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    _declare_transaction_kind(app)
    register_error_handlers(app)
    from . import health, logging_setup, security
    logging_setup.init_app(app)
    health.init_app(app)
    security.init_app(app)

    from .rest import bp as rest_bp
    app.register_blueprint(rest_bp)
    from .graphql_view import bp as graphql_bp
    app.register_blueprint(graphql_bp)
    from .pages import bp as pages_bp
    app.register_blueprint(pages_bp)
    from . import compression, idempotency
    idempotency.init_app(app)
    compression.init_app(app)
    from .cli import register_cli
    register_cli(app)
    return app


def _attach_sqlite_setup(app: Flask) -> None:
    """The app's own SQLite engines get their connection setup (see api.sqlite); nobody else's."""
    from .sqlite import attach

    with app.app_context():
        for engine in db.engines.values():
            attach(engine)


def _keep_index_on_disk(app: Flask) -> None:
    """The app's database gets its overlap index snapshots where OVERLAP_INDEX_SNAPSHOTS says."""
    from coordination.services import overlap_index
    from coordination.services.index_snapshots import SnapshotSettings, signing_key

    folder = str(app.config.get("OVERLAP_INDEX_SNAPSHOTS") or "")
    with app.app_context():
        database = db.engine.url.render_as_string(hide_password=True)
    overlap_index.configure_snapshots(database, SnapshotSettings(
        Path(folder), signing_key(app.config["SECRET_KEY"]), int(app.config["OVERLAP_INDEX_SNAPSHOT_FROM"]))
        if folder else None)


def _declare_transaction_kind(app: Flask) -> None:
    """Safe-method requests only read: on SQLite their transactions start deferred.

    Everything else takes SQLite's write lock when its transaction begins, so concurrent
    writers queue (busy timeout) instead of failing; see api.sqlite.
    """
    from .sqlite import declare_read_only, reset_read_only

    @app.before_request
    def _declare() -> None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            g.read_only_token = declare_read_only()

    @app.teardown_request
    def _undeclare(_error: BaseException | None) -> None:
        token = g.pop("read_only_token", None)
        if token is not None:
            reset_read_only(token)

