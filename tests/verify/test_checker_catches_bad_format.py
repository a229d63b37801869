"""Missing files, missing columns and unreadable summaries are reported, not crashed on."""

from __future__ import annotations

import pytest

from matcher.verify.checker import check_result
from tests.support.checker_fixtures import POLICY, Result, valid_instance


@pytest.mark.parametrize("name", ["placements.csv", "unplaced.csv", "summary.json"])
def test_missing_file(tmp_path, name):
    folder = Result().write(tmp_path / "result")
    (folder / name).unlink()
    report = check_result(valid_instance(), folder, POLICY)
    assert "bad_format" in report.kinds()
    assert name in {v.subject for v in report.violations if v.kind == "bad_format"}


def test_missing_column(tmp_path):
    folder = Result().write(tmp_path / "result")
    path = folder / "placements.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n",
                    encoding="utf-8")  # drop the last column, cost
    report = check_result(valid_instance(), folder, POLICY)
    assert ("bad_format", "placements.csv") in {(v.kind, v.subject) for v in report.violations}


def test_summary_without_objective(tmp_path):
    result = Result()
    result.summary = {"placed": 10}
    folder = result.write(tmp_path / "result")
    report = check_result(valid_instance(), folder, POLICY)
    assert report.kinds() == {"bad_format"}
