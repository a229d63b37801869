"""On an 80-column terminal, text wraps between words and never cuts an id.

The defect: rich squeezed tables that were too wide by cutting cells, so a
sector name came out as ``Mobiliteit/transport/logistiek/mari…``, vacancy ids
as ``vac-AM…`` and a shortlist's effect lost words at the end of its lines.
"""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.app.terminal import LiteralConsole, fitted, new_table
from matcher.generator.synth import generate_instance
from matcher.io import write_instance

runner = CliRunner()
NARROW = {"COLUMNS": "80"}


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    root = tmp_path_factory.mktemp("narrow")
    write_instance(generate_instance(region="AM13", students=1500, seed=5), root / "am13")
    return root


def _assert_uncut(output: str, words: set[str]) -> None:
    assert "…" not in output
    assert max(len(line) for line in output.splitlines()) <= 80
    printed = set(output.split())
    missing = sorted(w for w in words if w not in printed)
    assert missing == [], missing[:5]


def test_match_summary_and_advice_keep_every_name_and_id_whole(region):
    out = region / "result"
    matched = runner.invoke(app, ["match", str(region / "am13"), "--out", str(out), "-q"], env=NARROW)
    assert matched.exit_code == 0, matched.output
    with open(region / "am13" / "companies.csv", newline="", encoding="utf-8") as fh:
        sectors = {row["sector"] for row in csv.DictReader(fh)}
    _assert_uncut(matched.output, {word for sector in sectors for word in sector.split()})
    advised = runner.invoke(app, ["advise", str(out), "--verify", "2", "--top", "10"], env=NARROW)
    assert advised.exit_code == 0, advised.output
    with open(out / "advice.csv", newline="", encoding="utf-8") as fh:
        targets = {row["target_id"] for row, _ in zip(csv.DictReader(fh), range(10))}
    _assert_uncut(advised.output, targets)


def test_shortlists_keep_ids_and_words_whole(region):
    shortlist = region / "shortlists.csv"
    with open(region / "am13" / "students.csv", newline="", encoding="utf-8") as fh:
        school = next(csv.DictReader(fh))["school_id"]
    done = runner.invoke(app, ["suggest", str(region / "am13"), "--school", school, "--show", "5",
                               "--out", str(shortlist)], env=NARROW)
    assert done.exit_code == 0, done.output
    with open(shortlist, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    shown = {r["student_id"] for r in rows[:1]}
    words = {r["vacancy_id"] for r in rows if r["student_id"] in shown}
    words |= {w for r in rows if r["student_id"] in shown for w in r["effect"].split()}
    _assert_uncut(done.output, words | shown)


def test_a_table_too_wide_for_the_terminal_is_printed_as_records():
    console = LiteralConsole(width=40, record=True)
    table = new_table("Wide")
    for header in ("vacancy", "company", "effect"):
        table.add_column(header)
    table.add_row("vac-AM13-000001-very-long", "company-with-a-long-id", "a free place")
    console.print(fitted(console, table, wrap=("effect",)))
    text = console.export_text()
    assert "vacancy: vac-AM13-000001-very-long" in text and "…" not in text
