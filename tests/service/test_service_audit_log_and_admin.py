"""Every request that reads or changes data is in the audit log (who, what, when, outcome), which an admin
reads with ``stagematch admin audit``; the admin commands refuse bad input with exit 2 and a message, and a
token is printed once and stored only as its hash."""

from __future__ import annotations

from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.app.service.core import Service
from tests.support.paths import TINY
from tests.support.service import world


def test_every_request_is_in_the_audit_log_with_who_what_and_outcome(database_url, tmp_path):
    with world(database_url, tmp_path) as w:
        dataset = w.upload(TINY).json()["id"]
        w.client.get(f"/datasets/{dataset}", headers=w.headers("school"))
        w.client.get(f"/datasets/{dataset}", headers=w.headers("adviser_elsewhere"))
        w.client.get("/datasets")  # no token
        w.client.get("/health")  # not data: not logged
        service = Service(w.settings)
        entries = [(organisation, entry.method, entry.path, entry.status, entry.detail)
                   for entry, organisation in service.audit_entries()]
        service.engine.dispose()
    assert entries == [("Adviseurs Utrecht", "POST", "/datasets", 201, f"dataset {dataset}: tiny version 1"),
                       ("ROC Utrecht", "GET", f"/datasets/{dataset}", 200, ""),
                       ("Adviseurs Groningen", "GET", f"/datasets/{dataset}", 404, ""),
                       (None, "GET", "/datasets", 401, "")]
    shown = CliRunner().invoke(app, ["admin", "audit", "--db", w.settings.database, "--store", str(w.store)])
    assert shown.exit_code == 0, shown.output
    assert "ROC Utrecht" in shown.output and "(no valid token)" in shown.output and "401" in shown.output


def test_admin_commands_make_organisations_and_tokens_and_refuse_bad_input(database_url, tmp_path):
    where = ["--db", database_url, "--store", str(tmp_path / "store")]
    runner = CliRunner()
    made = runner.invoke(app, ["admin", "create-org", "ROC Zuid", "--kind", "school", "--schools", "S1,S2", *where])
    assert made.exit_code == 0, made.output
    for bad, says in ((["ROC Zuid", "--kind", "school", "--schools", "S3"], "exists already"),
                      (["X", "--kind", "ministry"], "unknown kind"),
                      (["Y", "--kind", "adviser"], "--regions"),
                      (["Z", "--kind", "adviser", "--regions", "Utrecht"], "not a labour-market region")):
        refused = runner.invoke(app, ["admin", "create-org", *bad, *where])
        assert refused.exit_code == 2 and says in refused.output and "Traceback" not in refused.output
    token = runner.invoke(app, ["admin", "create-token", "ROC Zuid", "--label", "laptop", *where])
    assert token.exit_code == 0
    secret = token.output.strip().splitlines()[-1]
    assert secret.startswith("sm_") and len(secret) > 40
    listed = runner.invoke(app, ["admin", "tokens", *where])
    assert "laptop" in listed.output and secret not in listed.output
    assert runner.invoke(app, ["admin", "create-token", "Nobody", *where]).exit_code == 2
    assert runner.invoke(app, ["admin", "revoke-token", "1", *where]).exit_code == 0
    assert runner.invoke(app, ["admin", "revoke-token", "99", *where]).exit_code == 2
