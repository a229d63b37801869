"""An unknown policy key is reported with the name of its section, also on the
terminal (where a "[costs]" in the message was taken for markup and vanished)."""


from typer.testing import CliRunner

from matcher.app.cli import app
from tests.support.paths import TINY


def _match_with_policy(tmp_path, text: str) -> str:
    policy = tmp_path / "policy.toml"
    policy.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["match", str(TINY), "--out", str(out), "--policy",
                                      str(policy), "--quiet"])
    assert result.exit_code == 2, result.output
    assert not out.exists()
    return " ".join(result.output.split())  # the console wraps long lines


def test_unknown_key_in_a_section(tmp_path):
    output = _match_with_policy(tmp_path, "[costs]\nwish_stap = 5\n")
    assert "unknown key 'wish_stap' in section 'costs'" in output
    assert "known keys in section 'costs': travel_minute, wish_step" in output


def test_unknown_key_in_a_nested_section(tmp_path):
    output = _match_with_policy(tmp_path, "[travel.bike]\nkmh = 5\n")
    assert "known keys in section 'travel.bike': base_min, km_per_hour" in output


def test_unknown_key_at_the_top_level(tmp_path):
    output = _match_with_policy(tmp_path, "weigths = 5\n")
    assert "known keys at the top level: weights, costs" in output
