"""The planner's scenario form: its fields as a scenario file (TOML) of one scenario, checked by its models.

The fields mirror :mod:`models.scenario` (one move, one change of places, one duo sector, a dropout rate): what
the form leaves empty, the scenario leaves as it is. The file is written by :func:`matcher.io.toml_file.toml_text`,
which escapes every string, so no text typed into a field can end its value and add keys or tables of its own.
A bad value is refused with the field's label and what is wrong, before anything is queued.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from matcher.app.service.core import Refused
from matcher.io.toml_file import toml_text
from models.scenario import ScenarioFile

# Each part of the scenario, and its fields (form field = part + "_" + the scenario file's key).
PARTS = {"move": ("school", "crebo", "year", "shift", "any"), "places": ("sector", "region", "period", "change"),
         "duo": ("sector", "region"), "dropout": ("percent",)}
WHOLE_NUMBERS = ("seed", "move_year", "move_shift", "places_change")


def _refused(field: str, message: str, w: Mapping[str, str]) -> Refused:
    part = field.partition("_")[0]
    label = f"{w['planner.' + part]} · {w['planner.' + field]}" if part in PARTS and part != field \
        else w.get("planner." + field, field)
    return Refused(422, f"{label}: {message}", column=field)


def whole_number(text: str, field: str, w: Mapping[str, str]) -> int:
    """``text`` as a whole number, or a 422 naming the form's ``field`` by its label."""
    try:
        return int(text)
    except ValueError:
        raise _refused(field, w["planner.whole"], w) from None


def scenario_data(form: Mapping[str, str], w: Mapping[str, str]) -> dict[str, Any]:
    """The scenario file the form's fields describe, as :func:`tomllib.loads` would read it.

    Parameters
    ----------
    form
        The posted fields: ``name``, ``seed``, and ``move_school`` … ``dropout_percent`` (see :data:`PARTS`);
        a missing or blank field is left out.
    w
        The page's words (:mod:`.texts`), for the labels in a refusal.

    Returns
    -------
    dict
        ``{"seed": ..., "scenario": [{"name": ..., "move": [...], ...}]}``, valid for
        :class:`models.scenario.ScenarioFile`.

    Raises
    ------
    Refused
        422 naming the field (its label, and ``column``) and what is wrong with its value.
    """
    given = {key: value.strip() for key, value in form.items() if isinstance(value, str) and value.strip()}
    values: dict[str, Any] = {}
    for field, text in given.items():
        values[field] = whole_number(text, field, w) if field in WHOLE_NUMBERS else text
    scenario: dict[str, Any] = {"name": values["name"]} if "name" in values else {}
    for part, keys in PARTS.items():
        entry = {key: values[f"{part}_{key}"] for key in keys if f"{part}_{key}" in values}
        if not entry:
            continue
        if part == "move" and "any" in entry:
            entry["any"] = entry["any"] in ("true", "on", "1")
        if part == "dropout":
            scenario["dropout"] = {"rate": _rate(entry["percent"], w)}
        else:
            scenario[part] = [entry]
    data = {"seed": values.get("seed", 0), "scenario": [scenario]}
    try:
        ScenarioFile.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        names = [part for part in first["loc"] if isinstance(part, str) and part != "scenario"]
        field = "_".join(names).replace("dropout_rate", "dropout_percent") or "name"
        message = "is required" if first["type"] == "missing" else str(first["msg"]).removeprefix("Value error, ")
        raise _refused(field, message, w) from None
    return data


def _rate(text: str, w: Mapping[str, str]) -> float:
    """A percentage (a comma or a point before the decimals) as the probability the scenario file takes."""
    try:
        percent = float(text.replace(",", "."))
    except ValueError:
        raise _refused("dropout_percent", w["planner.number"], w) from None
    if not (math.isfinite(percent) and 0 < percent <= 100):
        raise _refused("dropout_percent", w["planner.percent"], w)
    return round(percent / 100, 10)  # 33.3 % written as 0.333, not 0.33299999999999996


def scenario_toml(form: Mapping[str, str], w: Mapping[str, str]) -> str:
    """The scenario file of :func:`scenario_data` as TOML text (every string escaped)."""
    return toml_text(scenario_data(form, w))
