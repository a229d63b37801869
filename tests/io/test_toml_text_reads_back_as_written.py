"""``toml_text`` writes what ``tomllib`` reads back as it was: the demo's scenario file, keys that need quotes, a
table inside an array of tables, and strings with every character TOML cannot hold raw."""

from __future__ import annotations

import tomllib

import pytest

from matcher.io.toml_file import toml_text
from tests.support.paths import REPO


def test_the_demo_scenario_file_reads_back_as_it_was():
    data = tomllib.loads((REPO / "instances" / "scenarios" / "demo.toml").read_text(encoding="utf-8"))
    assert len(data["scenario"]) == 4  # moves, places, duo and dropout: every kind of table it has
    assert tomllib.loads(toml_text(data)) == data


def test_quoted_keys_nested_tables_and_control_characters():
    data = {"seed": 2**63 - 1, "season": {"rounds": 3, "accept_by_sector": {"Zorg/welzijn/sport": 0.4, 'a"b': 0.1},
                                          "accept_by_tier": {"priority": 0.5}},
            "scenario": [{"name": "".join(chr(c) for c in range(0x20)) + '\x7f\x85\u2028\u2029"\\\u00e9\U0001F600 ]]',
                          "dropout": {"rate": 1e-3}, "move": [{"any": True}, {"shift": -63}]}]}
    text = toml_text(data)
    assert tomllib.loads(text) == data
    # Every line a header or one key's value: no character of the name broke a line.
    assert all(line == "" or line.startswith("[") or " = " in line for line in text.splitlines())


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "\ud800"])
def test_what_toml_cannot_hold_is_refused(value):
    with pytest.raises(ValueError):
        toml_text({"x": value})
