"""A scenario file with an unknown key, a bad value, or an entry that does not fit the
instance is refused with an error naming the file, the line and the key; nothing is written."""

import pytest
from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.errors import InputError
from matcher.io import write_instance
from matcher.io.scenario_file import read_scenario_file
from tests.support.simulate_fixtures import crowded_instance

runner = CliRunner()

MOVE = '[[scenario]]\nname = "m"\n[[scenario.move]]\nschool = "school-A"\ncrebo = "25655"\nyear = 2\n'


def _refused(tmp_path, text: str) -> str:
    write_instance(crowded_instance(), tmp_path / "inst")
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    out = tmp_path / "sim"
    ran = runner.invoke(app, ["simulate", str(tmp_path / "inst"), str(tmp_path / "bad.toml"),
                              "--out", str(out), "-q"])
    assert ran.exit_code == 2, ran.output
    assert not out.exists()
    assert "bad.toml" in ran.output
    return " ".join(ran.output.split())


def test_unknown_key_names_file_line_and_key(tmp_path):
    output = _refused(tmp_path, "seed = 1\n" + MOVE + "shfit = 1\n")
    assert "row 8" in output
    assert "scenario[1].move[1].shfit" in output
    assert "unknown key 'shfit'" in output and "shift" in output


def test_unknown_top_level_key(tmp_path):
    with pytest.raises(InputError) as error:
        (tmp_path / "s.toml").write_text('sed = 3\n[[scenario]]\nname = "x"\n', encoding="utf-8")
        read_scenario_file(tmp_path / "s.toml")
    assert error.value.row == 1 and error.value.column == "sed"


def test_bad_value_names_the_key(tmp_path):
    output = _refused(tmp_path, '[[scenario]]\nname = "d"\n[scenario.dropout]\nrate = 1.5\n')
    assert "scenario[1].dropout.rate" in output and "row 4" in output


def test_move_needs_shift_or_any(tmp_path):
    output = _refused(tmp_path, MOVE)
    assert "give either shift = N or any = true" in output


def test_unknown_cohort_is_refused(tmp_path):
    output = _refused(tmp_path, MOVE.replace("year = 2", "year = 4") + "shift = 1\n")
    assert "no students in cohort" in output and "scenario[1].move[1]" in output


def test_shift_out_of_the_year_is_refused(tmp_path):
    output = _refused(tmp_path, MOVE + "shift = 2\n")
    assert "cannot shift by 2" in output and "scenario[1].move[1].shift" in output


def test_unknown_sector_is_refused(tmp_path):
    output = _refused(tmp_path, '[[scenario]]\nname = "d"\n[[scenario.duo]]\nsector = "Zorg"\n')
    assert "no vacancy of sector 'Zorg'" in output and "Zorg/welzijn/sport" in output


def test_not_toml_names_the_line(tmp_path):
    output = _refused(tmp_path, '[[scenario]]\nname = "d"\nschool = "a"; crebo = "1"\n')
    assert "not valid TOML" in output and "row 3" in output


def test_repeated_scenario_names_are_refused(tmp_path):
    output = _refused(tmp_path, '[[scenario]]\nname = "x"\n[[scenario]]\nname = "x"\n')
    assert "repeated: x" in output
