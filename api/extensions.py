"""Flask extensions, bound to the app in `create_app` with `init_app`."""
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from coordination.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
