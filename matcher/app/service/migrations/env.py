"""Alembic's environment: migrations run on the engine :func:`upgrade_database` passes in."""

from alembic import context

from matcher.app.service.database import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
