"""``stagematch --version`` prints the installed version (it was an unknown option)."""

from importlib import metadata

from typer.testing import CliRunner

from matcher.app.cli import app


def test_version_prints_the_package_version():
    done = CliRunner().invoke(app, ["--version"])
    assert done.exit_code == 0
    assert done.output.strip() == f"stagematch {metadata.version('stagematch')}"
