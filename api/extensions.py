"""Flask extensions, bound to the app in `create_app` with `init_app`."""
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from coordination.models import Base

from . import models as _web_tables  # noqa: F401  (idempotency keys, rate-limit buckets: on the same Base)

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
