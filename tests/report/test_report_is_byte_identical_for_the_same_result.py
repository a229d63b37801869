"""Two reports of the same result are byte-identical, also from another process with
another hash seed (no dates, no matplotlib version stamp, no set order)."""

import os
import subprocess
import sys

from matcher.app.cli import app
from matcher.report import REPORT_FILES
from tests.support.report_fixtures import runner


def test_report_twice_gives_identical_bytes(am13_report, tmp_path):
    # The fixture's report is English; the Dutch default is made twice here.
    again, dutch = tmp_path / "again", tmp_path / "dutch"
    result = str(am13_report.result_dir)
    assert runner.invoke(app, ["report", result, "--out", str(again), "--lang", "en"]).exit_code == 0
    assert runner.invoke(app, ["report", result, "--out", str(dutch)]).exit_code == 0
    other_process = tmp_path / "other-process"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-c", "from matcher.app.cli import app; app()", "report",
                    result, "--out", str(other_process)],
                   check=True, env=env, capture_output=True, timeout=300)
    for name in REPORT_FILES:
        assert (am13_report.report_dir / name).read_bytes() == (again / name).read_bytes(), name
        assert (dutch / name).read_bytes() == (other_process / name).read_bytes(), name
