"""The command line as an adviser uses it: generate, match, check; and its exit codes."""

import csv
import json

from typer.testing import CliRunner

from matcher.app.cli import app
from tests.support.paths import TINY

runner = CliRunner()


def test_generate_match_check_on_a_5000_student_region(tmp_path):
    inst, out = tmp_path / "am13", tmp_path / "result"
    generated = runner.invoke(app, ["generate", "--region", "AM13", "--students", "5000",
                                    "--seed", "1", str(inst)])
    assert generated.exit_code == 0, generated.output
    matched = runner.invoke(app, ["match", str(inst), "--out", str(out), "--quiet"])
    assert matched.exit_code == 0, matched.output
    assert "Independent check: passed" in matched.output
    checked = runner.invoke(app, ["check", str(inst), str(out)])
    assert checked.exit_code == 0, checked.output

    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"]["students"] == 5000
    assert summary["proof"]["proven_optimal"]
    assert summary["seed"] == 1
    with open(out / "placements.csv") as fh, open(out / "unplaced.csv") as fh2:
        ids = [r["student_id"] for r in csv.DictReader(fh)] + [r["student_id"] for r in csv.DictReader(fh2)]
    assert len(ids) == len(set(ids)) == 5000


def test_check_exits_1_and_lists_the_violation_on_a_broken_result(tmp_path):
    inst, out = tmp_path / "am13", tmp_path / "result"
    runner.invoke(app, ["generate", "--region", "AM13", "--students", "300", "--seed", "2", str(inst)])
    assert runner.invoke(app, ["match", str(inst), "--out", str(out), "-q"]).exit_code == 0
    rows = list(csv.DictReader(open(out / "placements.csv")))
    rows.append(dict(rows[0]))  # the first student placed twice
    with open(out / "placements.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    checked = runner.invoke(app, ["check", str(inst), str(out)])
    assert checked.exit_code == 1
    assert "student_twice" in checked.output


def test_bad_input_exits_2_names_the_cell_and_writes_nothing(tmp_path):
    inst, out = tmp_path / "am13", tmp_path / "result"
    runner.invoke(app, ["generate", "--region", "AM13", "--students", "50", "--seed", "3", str(inst)])
    lines = (inst / "students.csv").read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("level")] = "7"
    lines[3] = ",".join(cells)
    (inst / "students.csv").write_text("\n".join(lines) + "\n")
    matched = runner.invoke(app, ["match", str(inst), "--out", str(out), "-q"])
    assert matched.exit_code == 2
    assert "students.csv" in matched.output and "row 4" in matched.output and "level" in matched.output
    assert not out.exists()


def test_unknown_region_is_refused(tmp_path):
    matched = runner.invoke(app, ["match", str(TINY), "--out", str(tmp_path / "r"),
                                  "--region", "AM99", "-q"])
    assert matched.exit_code == 2 and "AM99" in matched.output
