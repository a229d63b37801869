"""The database schema's versions (Alembic), and bringing a database up to this version.

:func:`upgrade_database` upgrades an older database in place and refuses one
that a newer stagematch made: its tables may hold what this version cannot
read, and downgrading would lose it.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from matcher.errors import InputError

HERE = Path(__file__).resolve().parent


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["engine"] = engine
    return config


def schema_head() -> str:
    """The newest schema revision this stagematch knows."""
    return ScriptDirectory(str(HERE)).get_current_head()


def schema_revision(engine: Engine) -> str | None:
    """The revision a database is at (``None`` for an empty one)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Make or upgrade the schema to ``revision``.

    Raises
    ------
    InputError
        When the database is at a revision this stagematch does not know (made by a newer one).
    """
    script = ScriptDirectory(str(HERE))
    current = schema_revision(engine)
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise InputError(f"the database has schema version {current!r}, made by a newer stagematch than this "
                         f"one (which knows up to {schema_head()!r}); upgrade stagematch, or use another --db")
    command.upgrade(_config(engine), revision)
