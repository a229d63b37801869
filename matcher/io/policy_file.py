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
        where = f"[{'.'.join(map(str, loc[:-1]))}]" if loc[:-1] else "the top level"
        return f"unknown key {key!r}; known keys in {where}: {known}"
    message = str(error["msg"]).removeprefix("Value error, ")
    if not loc:
        return message
    return f"{key} = {error.get('input')!r}: {message}"


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
        error = exc.errors(include_url=False)[0]
        loc = error["loc"]
        # A rule across keys (priority below regular) is reported at weights.priority.
        key = ".".join(map(str, loc)) if loc else "weights.priority"
        raise InputError(_message(error, key), file=file.name, column=key) from None
