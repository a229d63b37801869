"""policy.toml with an unknown key, a bad value or broken TOML."""

import pytest

from matcher.errors import InputError
from matcher.io import read_policy


def _error(tmp_path, text: str) -> InputError:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_policy(path)
    assert caught.value.file == "policy.toml"
    return caught.value


def test_unknown_key_is_named_with_its_section(tmp_path):
    error = _error(tmp_path, "[costs]\ntravel_minute = 2\nwish_stap = 5\n")
    assert error.column == "costs.wish_stap"
    assert "unknown key" in error.message and "wish_step" in error.message


def test_unknown_section(tmp_path):
    error = _error(tmp_path, "[weigths]\npriority = 4\n")
    assert error.column == "weigths"
    assert "unknown key" in error.message


def test_bad_value(tmp_path):
    error = _error(tmp_path, '[travel]\ndefault_mode = "boat"\n')
    assert error.column == "travel.default_mode"
    assert "'boat'" in error.message


def test_priority_below_regular(tmp_path):
    error = _error(tmp_path, "[weights]\npriority = 1\nregular = 2\n")
    assert error.column == "weights.priority"
    assert "at least weights.regular" in error.message


def test_broken_toml_names_the_line(tmp_path):
    error = _error(tmp_path, "[weights]\npriority = = 3\n")
    assert error.row == 2


def test_missing_policy_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_policy(tmp_path / "policy.toml")
