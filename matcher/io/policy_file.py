"""Read a ``policy.toml`` into a :class:`models.Policy`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from matcher.errors import InputError
from matcher.io.toml_file import read_toml
from models import Policy


def _section_model(loc: tuple) -> type[BaseModel] | None:
    """The model of the TOML table at ``loc`` (a path of keys), if it is one."""
    model: type[BaseModel] = Policy
    for key in loc:
        info = model.model_fields.get(key) if isinstance(key, str) else None
        annotation = info.annotation if info is not None else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model


def _message(error: dict[str, Any], key: str) -> str:
    loc = error["loc"]
    if error["type"] == "extra_forbidden":
        section = _section_model(loc[:-1])
        known = ", ".join(section.model_fields) if section is not None else ""
        # No square brackets: a terminal that renders markup would take "[costs]" for a tag.
        where = f"in section {'.'.join(map(str, loc[:-1]))!r}" if loc[:-1] else "at the top level"
        return f"unknown key {str(loc[-1])!r} {where}; known keys {where}: {known}"
    message = str(error["msg"]).removeprefix("Value error, ")
    if not loc:
        return message
    if error["type"] == "missing":
        section = ".".join(map(str, loc[:-1]))
        return f"missing key {str(loc[-1])!r} in section {section!r}: give it a value"
    if error["type"] in _RANGE_ERRORS or error["type"] == "finite_number":
        message = _range(loc) or message
    return f"{key} = {error.get('input')!r}: {message}"


_RANGE_ERRORS = frozenset({"greater_than_equal", "greater_than", "less_than_equal", "less_than"})


def _range(loc: tuple) -> str | None:
    """The whole allowed range of the number at ``loc``, in words ("from 1 to 200")."""
    section = _section_model(loc[:-1])
    info = section.model_fields.get(loc[-1]) if section is not None else None
    if info is None:
        return None
    bounds = {name: getattr(m, name) for m in info.metadata for name in ("ge", "gt", "le", "lt")
              if getattr(m, name, None) is not None}
    low = (f"from {bounds['ge']:g}" if "ge" in bounds
           else f"more than {bounds['gt']:g}" if "gt" in bounds else None)
    high = (f"to {bounds['le']:g}" if "le" in bounds
            else f"less than {bounds['lt']:g}" if "lt" in bounds else None)
    if low is None and high is None:
        return None
    if low is not None and low.startswith("more") and high is not None:
        high = "and at most " + high.removeprefix("to ")
    return "out of range; give a number " + " ".join(p for p in (low, high) if p)


def read_policy(path: str | os.PathLike | None) -> Policy:
    """Read a policy file; ``None`` gives the defaults of SPEC.md.

    The TOML file mirrors :class:`models.Policy`: top-level keys and tables
    ``[weights]``, ``[costs]``, ``[travel]`` (with ``[travel.bike]`` etc.) and
    ``[extra_guidance]``. Keys left out keep their defaults. Reading never
    writes anything.

    Parameters
    ----------
    path
        The ``policy.toml`` to read, or ``None``.

    Returns
    -------
    models.Policy
        The validated policy.

    Raises
    ------
    matcher.errors.InputError
        When the file is missing or not TOML (row = line), or a key is unknown
        or has a bad value (column = the dotted key, e.g. ``travel.default_mode``).
    """
    if path is None:
        return Policy()
    file = Path(path)
    data, _ = read_toml(file, "policy")
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt key also leaves its section short of a required one: name the typo.
        error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = error["loc"]
        # A rule across keys (priority below regular) is reported at weights.priority.
        key = ".".join(map(str, loc)) if loc else "weights.priority"
        raise InputError(_message(error, key), file=file.name, column=key) from None
