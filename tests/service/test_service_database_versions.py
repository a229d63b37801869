"""The schema is versioned: an older database is upgraded in place, a newer one refused with a clear
message (exit 2, before the server listens), and the migrations make exactly the tables the code reads."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.app.service.database import Base, make_engine
from matcher.app.service.migrations import schema_head, schema_revision, upgrade_database


def test_an_older_database_is_upgraded_and_keeps_its_rows(database_url, tmp_path):
    engine = make_engine(database_url)
    upgrade_database(engine, "0001")  # as the first release made it: no audit log yet
    assert "audit" not in inspect(engine).get_table_names()
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO organisations (name, kind, regions, school_ids, created) "
                                   "VALUES ('Adviseurs Utrecht', 'adviser', '[\"AM13\"]', '[]', CURRENT_TIMESTAMP)")
    engine.dispose()
    result = CliRunner().invoke(app, ["admin", "orgs", "--db", database_url, "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "Adviseurs Utrecht" in result.output
    engine = make_engine(database_url)
    assert schema_revision(engine) == schema_head()
    assert "audit" in inspect(engine).get_table_names()
    engine.dispose()


def test_a_newer_database_is_refused_with_a_message(database_url, tmp_path):
    engine = make_engine(database_url)
    upgrade_database(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    engine.dispose()
    result = CliRunner().invoke(app, ["serve", "--db", database_url, "--store", str(tmp_path / "store"),
                                      "--port", "1"])
    assert result.exit_code == 2
    assert "newer stagematch" in result.output and "0099" in result.output
    assert "Traceback" not in result.output


def test_the_migrations_make_the_tables_the_code_reads(database_url):
    engine = make_engine(database_url)
    upgrade_database(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []
