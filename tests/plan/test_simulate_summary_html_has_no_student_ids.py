"""summary.html is public: no student ids, nothing fetched, small counts shown as <5;
its charts are the PNG files beside it. diff.csv (the planner's own) has the ids."""

import base64
import csv
import re

from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.io import read_instance, write_instance
from tests.support.simulate_fixtures import crowded_instance, random_scenarios, write_generated

runner = CliRunner()


def test_html_has_no_student_ids_and_embeds_the_pngs(tmp_path):
    instance = write_generated(tmp_path / "am13", students=300, seed=3)
    scenario = tmp_path / "s.toml"
    scenario.write_text(random_scenarios(read_instance(instance)), encoding="utf-8")
    out = tmp_path / "sim"
    ran = runner.invoke(app, ["simulate", str(instance), str(scenario), "--out", str(out), "--runs", "2",
                              "-q", "--jobs", "1"])
    assert ran.exit_code == 0, ran.output
    html = (out / "summary.html").read_text(encoding="utf-8")
    ids = [s.student_id for s in read_instance(instance).students]
    assert not [i for i in ids if i in html]
    with open(out / "diff.csv", newline="") as fh:
        assert {row["student_id"] for row in csv.DictReader(fh)} <= set(ids)
    assert "<script" not in html and "http" not in re.sub(r"GeoNames \(CC BY 4.0\)", "", html)
    sources = re.findall(r'src="([^"]*)"', html)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    embedded = {base64.b64decode(s.split(",", 1)[1]) for s in sources}
    assert embedded == {(out / "demand_capacity.png").read_bytes(),
                        (out / "shortage_by_period.png").read_bytes()}


def test_small_counts_show_as_less_than_5(tmp_path):
    write_instance(crowded_instance(), tmp_path / "inst")
    (tmp_path / "s.toml").write_text(
        '[[scenario]]\nname = "fewer in P2"\n[[scenario.places]]\nperiod = "P2"\nchange = -4\n',
        encoding="utf-8")
    out = tmp_path / "sim"
    ran = runner.invoke(app, ["simulate", str(tmp_path / "inst"), str(tmp_path / "s.toml"), "--out",
                              str(out), "-q", "--jobs", "1"])
    assert ran.exit_code == 0, ran.output
    html = (out / "summary.html").read_text(encoding="utf-8")
    table = html.split('id="shortage-period-sector"')[1].split("</table>")[0]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", table)
    # P1: 7 seeking, 5 unplaced, so 2 placed (small): the split is withheld; no count 1-4 shows.
    assert "x" in cells or "&lt;5" in cells
    assert not [c for c in cells if c.strip() in {"1", "2", "3", "4"}]
