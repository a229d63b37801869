"""`stagematch simulate` writes summary.html (and its charts) in Dutch by default and in
English with --lang en; the data files do not change with the language. An unknown language
is refused (exit 2) before any run."""

from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.io import write_instance
from tests.support.simulate_fixtures import crowded_instance

runner = CliRunner()
SCENARIO = '[[scenario]]\nname = "more in P1"\n[[scenario.places]]\nperiod = "P1"\nchange = 3\n'


def _simulate(tmp_path, name, *options):
    out = tmp_path / name
    ran = runner.invoke(app, ["simulate", str(tmp_path / "inst"), str(tmp_path / "s.toml"), "--out", str(out),
                              "-q", "--jobs", "1", *options])
    return ran, out


def test_dutch_by_default_english_on_request(tmp_path):
    write_instance(crowded_instance(), tmp_path / "inst")
    (tmp_path / "s.toml").write_text(SCENARIO, encoding="utf-8")
    ran, dutch = _simulate(tmp_path, "nl")
    assert ran.exit_code == 0, ran.output
    ran, english = _simulate(tmp_path, "en", "--lang", "en")
    assert ran.exit_code == 0, ran.output
    nl_html = (dutch / "summary.html").read_text(encoding="utf-8")
    en_html = (english / "summary.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in nl_html and "naast de uitgangssituatie" in nl_html
    assert '<html lang="en">' in en_html and "Scenarios against the baseline" in en_html
    assert "Er staan geen studentnummers op deze pagina" in nl_html
    for name in ("summary.json", "scenarios.csv", "shortages.csv", "diff.csv"):
        assert (dutch / name).read_bytes() == (english / name).read_bytes(), name
    assert (dutch / "demand_capacity.png").read_bytes() != (english / "demand_capacity.png").read_bytes()


def test_an_unknown_language_is_refused_before_any_run(tmp_path):
    write_instance(crowded_instance(), tmp_path / "inst")
    (tmp_path / "s.toml").write_text(SCENARIO, encoding="utf-8")
    ran, out = _simulate(tmp_path, "xx", "--lang", "xx")
    assert ran.exit_code == 2
    assert "unknown language 'xx'" in ran.output and "Traceback" not in ran.output
    assert not out.exists()
