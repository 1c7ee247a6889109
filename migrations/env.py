"""Alembic environment: uses the portal's models and DATABASE_URL; batch mode for SQLite."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from portal.accounts import models as _accounts  # noqa: F401  (registers tables)
from portal.alerts import models as _alerts  # noqa: F401
from portal.content import models as _content  # noqa: F401
from portal.core import audit as _audit  # noqa: F401
from portal.core import contentversion as _contentversion  # noqa: F401
from portal.core import files as _files  # noqa: F401
from portal.core import health as _health  # noqa: F401
from portal.core import outbox as _outbox  # noqa: F401
from portal.core import ratelimit as _ratelimit  # noqa: F401
from portal.dashboard import models as _dashboard  # noqa: F401
from portal.db import Base, schema_objects
from portal.eligibility import models as _eligibility  # noqa: F401
from portal.events import models as _events  # noqa: F401
from portal.operators import models as _operators  # noqa: F401
from portal.places import models as _places  # noqa: F401
from portal.policies import models as _policies  # noqa: F401
from portal.publishing import models as _publishing  # noqa: F401
from portal.regions import models as _regions  # noqa: F401
from portal.search import models as _search  # noqa: F401
from portal.service_points import models as _service_points  # noqa: F401

config = context.config
url = config.attributes.get("database_url") or os.environ.get("DATABASE_URL", "sqlite:///instance/portal.db")


def run() -> None:
    connectable = config.attributes.get("connection")
    if connectable is None:
        engine = create_engine(url)
        try:
            with engine.begin() as connection:
                _configure(connection)
        finally:
            engine.dispose()  # no pooled connection left open (a template database must have none)
    else:
        _configure(connectable)


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=schema_objects(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


run()
