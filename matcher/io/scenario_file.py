"""Read a planner's scenario TOML into a :class:`models.scenario.ScenarioFile`.

Errors name the file, the line and the dotted key (``scenario[2].move[1].shift``,
counting from 1 as a planner reads the file), so a typo can be found at once.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from matcher.errors import InputError
from matcher.io.toml_file import read_toml
from models.scenario import ScenarioFile

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\- ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def key_lines(text: str) -> dict[tuple, int]:
    """Line (1-based) of each table header and ``key =`` line, by its location.

    A location is a tuple as pydantic reports it: table names, array-of-tables
    positions (0-based) and the key, e.g. ``("scenario", 0, "move", 1, "shift")``.
    Only plain headers and keys are located (no dotted keys, no inline tables):
    what a scenario file uses; anything else is simply not found.
    """
    lines: dict[tuple, int] = {}
    counts: dict[tuple, int] = {}
    current: tuple = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            names = [n.strip() for n in header.group(2).split(".")]
            # Resolve every parent to its latest array element, as TOML does.
            path: tuple = ()
            for name in names[:-1]:
                path += (name,)
                if path in counts:
                    path += (counts[path] - 1,)
            path += (names[-1],)
            if header.group(1) == "[[":
                counts[path] = counts.get(path, 0) + 1
                path += (counts[path] - 1,)
            current = path
            lines.setdefault(current, number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault(current + (key.group(1),), number)
    return lines


def _dotted(loc: tuple) -> str:
    """``("scenario", 0, "move", 1, "shift")`` as ``scenario[1].move[2].shift``."""
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (("." if text else "") + str(part))
    return text


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model of the table at ``loc``, to list its known keys."""
    from typing import get_args

    model: Any = ScenarioFile
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return None
        annotation = info.annotation
        for candidate in (annotation, *get_args(annotation), *(a for arg in get_args(annotation)
                                                              for a in get_args(arg))):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                model = candidate
                break
        else:
            return None
    return model


def _line_of(lines: dict[tuple, int], loc: tuple) -> int | None:
    """The line of ``loc``, else of the nearest enclosing table that has one."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def read_scenario_file(path: str | os.PathLike) -> ScenarioFile:
    """Read and validate a scenario file (nothing is written).

    Parameters
    ----------
    path
        The ``.toml`` file.

    Returns
    -------
    models.scenario.ScenarioFile
        The seed and the scenarios, as written.

    Raises
    ------
    matcher.errors.InputError
        When the file is missing or not TOML, or a key is unknown or has a bad
        value: the error names the file, the line (``row``) and the dotted key
        (``column``). Checks against the instance come later
        (:func:`matcher.plan.scenario.apply_scenario`).
    """
    file = Path(path)
    data, text = read_toml(file, "scenario")
    try:
        return ScenarioFile.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        loc = tuple(error["loc"])
        lines = key_lines(text)
        key = _dotted(loc) or None
        if error["type"] == "extra_forbidden":
            model = _model_at(loc[:-1])
            known = ", ".join(model.model_fields) if model is not None else ""
            where = f"[{_dotted(loc[:-1])}]" if loc[:-1] else "the top level"
            message = f"unknown key {loc[-1]!r}; known keys in {where}: {known}"
        elif error["type"] == "missing":
            message = f"{loc[-1]!r} is required"
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            shown = error.get("input")
            if loc and not isinstance(shown, (dict, list)):  # a value, not a whole table
                message = f"{loc[-1]} = {shown!r}: {message}"
        raise InputError(message, file=file.name, row=_line_of(lines, loc), column=key) from None
