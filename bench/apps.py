"""The app a benchmark measures: on a fresh database, its tables made and the SDG vision stored."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from api import create_app
from api.extensions import db
from coordination.models import Base
from coordination.services.visions import ensure_sdg_vision


def fresh_app(folder: str | Path, url: str | None = None, **config: Any) -> Flask:
    """The app on `url`, or on a new SQLite file in `folder`; rate limits off, SECRET_KEY "bench"."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{Path(folder) / 'bench.sqlite'}",
                      "SECRET_KEY": "bench", "RATE_LIMIT_ENABLED": False, **config})
    with app.app_context():
        Base.metadata.create_all(db.engine)
        ensure_sdg_vision(db.session)
        db.session.commit()
    return app
