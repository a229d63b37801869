"""The README's service section, run as written (bash and curl), on a free port in a fresh folder: the
adviser's placements.csv is the command line's bytes and the school reads its own students only."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import README, REPO
from tests.support.service import free_port


def _section_script() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### The service"):]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def test_the_readme_service_section_runs_as_written(tmp_path):
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    port = str(free_port())
    script = _section_script().replace("8000", port)
    (tmp_path / "instances").symlink_to(REPO / "instances")
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    run = subprocess.run(["bash", "-c", "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null' EXIT\n" + script],
                         cwd=tmp_path, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "STAGEMATCH_DB": "", "STAGEMATCH_STORE": ""})
    assert run.returncode == 0, run.stdout + run.stderr
    school_rows = (tmp_path / "ours.csv").read_text(encoding="utf-8").splitlines()
    assert school_rows[0].startswith("student_id,school_id,reason") and len(school_rows) > 1
    assert all(row.split(",")[1] == "S-AM13-05" for row in school_rows[1:])
    cli = tmp_path / "cli"
    subprocess.run([sys.executable, "-m", "matcher.app.cli", "match", str(REPO / "instances" / "demo"), "--out",
                    str(cli), "--remedies", "-q"], check=True, capture_output=True)
    assert (tmp_path / "placements.csv").read_bytes() == (cli / "placements.csv").read_bytes()
