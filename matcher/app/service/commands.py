"""``stagematch serve`` and ``stagematch admin ...``: starting the service and managing who may use it.

Only typer at import time: the service's own modules (FastAPI, SQLAlchemy)
are imported when one of these commands runs, so other commands start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from matcher.app.views import console

_DB_HELP = ("Database URL: sqlite:///FILE (default: stagematch-service/stagematch.db) or "
            "postgresql://user:password@host/name.")
Database = Annotated[Optional[str], typer.Option("--db", envvar="STAGEMATCH_DB", help=_DB_HELP)]
StoreDir = Annotated[Optional[Path], typer.Option(
    "--store", envvar="STAGEMATCH_STORE",
    help="Folder for datasets and results (default: 'store' beside the SQLite file, else ./stagematch-store).")]

admin = typer.Typer(help="Organisations, tokens and the audit log of a stagematch service.", no_args_is_help=True)


def _list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _service(db: str | None, store: Path | None):
    from matcher.app.service.core import Service, Settings

    return Service(Settings(database=db, store=store))


def serve(
    db: Database = None,
    store: StoreDir = None,
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[Optional[int], typer.Option(
        "--workers", min=1, help="Jobs that run at once (default: the cores less one, at least one).")] = None,
    executor: Annotated[str, typer.Option(help="Where jobs run: local (processes) or dask.")] = "local",
    dask_address: Annotated[Optional[str], typer.Option(
        help="Dask scheduler address (tcp://host:8786); default: a local Dask cluster.")] = None,
    max_upload_mb: Annotated[int, typer.Option(min=1, help="Largest dataset upload, in MB.")] = 200,
) -> None:
    """Serve stagematch over HTTP for advisers, schools and planners (API docs at /docs)."""
    from matcher.app.cli import _refusing_bad_input

    with _refusing_bad_input():
        import uvicorn

        from matcher.app.service.app import create_app
        from matcher.app.service.core import Settings
        from matcher.app.service.uploads import UploadLimits
        from matcher.engine.parallel import usable_cores

        if executor not in ("local", "dask"):
            raise ValueError(f"unknown executor {executor!r}; use local or dask")
        if dask_address is not None and executor != "dask":
            raise ValueError("--dask-address needs --executor dask")
        settings = Settings(database=db, store=store, executor=executor,
                            workers=workers or max(1, usable_cores() - 1), dask_address=dask_address,
                            limits=UploadLimits(upload=max_upload_mb * 2**20))
        _service(db, store).engine.dispose()  # upgrades the schema, or refuses a newer one, before listening
    console.print(f"stagematch serving on http://{host}:{port} (API docs: /docs); {settings.workers} job(s) at once")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@admin.command("create-org")
def create_org(
    name: Annotated[str, typer.Argument(help="The organisation's name.")],
    kind: Annotated[str, typer.Option(help="adviser, school or planner.")],
    regions: Annotated[Optional[str], typer.Option(help="An adviser office's regions: AM13,AM14.")] = None,
    schools: Annotated[Optional[str], typer.Option(help="A school's school ids: S01,S02.")] = None,
    db: Database = None,
    store: StoreDir = None,
) -> None:
    """Add an adviser office, a school or a planner office."""
    from matcher.app.cli import _refusing_bad_input

    with _refusing_bad_input():
        made = _service(db, store).create_organisation(name, kind, _list(regions), _list(schools))
    console.print(f"Created {made.kind} {made.name!r}.")


@admin.command("create-token")
def create_token(
    organisation: Annotated[str, typer.Argument(help="The organisation's name.")],
    label: Annotated[str, typer.Option(help="What the token is for (shown in lists).")] = "",
    db: Database = None,
    store: StoreDir = None,
) -> None:
    """Make a token for an organisation; it is shown once (only its hash is stored)."""
    from matcher.app.cli import _refusing_bad_input

    with _refusing_bad_input():
        token_id, token = _service(db, store).create_token(organisation, label)
    console.print(f"Token {token_id} of {organisation!r} (shown once; keep it safe):")
    print(token)


@admin.command("revoke-token")
def revoke_token(
    token_id: Annotated[int, typer.Argument(help="The token's id (from create-token or tokens).")],
    db: Database = None,
    store: StoreDir = None,
) -> None:
    """Revoke a token: every later request with it is refused."""
    from matcher.app.cli import _refusing_bad_input

    with _refusing_bad_input():
        _service(db, store).revoke_token(token_id)
    console.print(f"Token {token_id} revoked.")


@admin.command("orgs")
def organisations(db: Database = None, store: StoreDir = None) -> None:
    """List the organisations."""
    from matcher.app.terminal import new_table

    table = new_table()
    for column in ("name", "kind", "regions / school ids"):
        table.add_column(column)
    for org in _service(db, store).organisations():
        table.add_row(org.name, org.kind, ", ".join(org.regions or org.school_ids))
    console.print(table)


@admin.command("tokens")
def tokens(db: Database = None, store: StoreDir = None) -> None:
    """List the tokens (never the tokens themselves)."""
    from matcher.app.terminal import new_table

    table = new_table()
    for column in ("id", "organisation", "label", "created", "revoked"):
        table.add_column(column)
    for token, organisation in _service(db, store).tokens():
        table.add_row(str(token.id), organisation, token.label, f"{token.created:%Y-%m-%d %H:%M}",
                      f"{token.revoked:%Y-%m-%d %H:%M}" if token.revoked else "")
    console.print(table)


@admin.command("audit")
def audit(
    limit: Annotated[int, typer.Option(min=1, help="The last this many entries.")] = 50,
    db: Database = None,
    store: StoreDir = None,
) -> None:
    """The audit log: who read or changed what, when, with what outcome (one line per request, fields between " | ":
    time in UTC, organisation, token id, request, HTTP status, what)."""
    for entry, organisation in _service(db, store).audit_entries(limit):
        fields = (f"{entry.at:%Y-%m-%d %H:%M:%S}", organisation or "(no valid token)", str(entry.token_id or "-"),
                  f"{entry.method} {entry.path}", str(entry.status), entry.detail)
        console.print(" | ".join(fields), soft_wrap=True)
