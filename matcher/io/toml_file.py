"""Reading a TOML file (policy, scenarios) with errors that name the file and line; writing one from plain data."""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path
from typing import Any

from matcher.errors import InputError


def read_toml(file: Path, kind: str) -> tuple[dict[str, Any], str]:
    """The parsed TOML of ``file`` and its text (UTF-8, a byte-order mark accepted).

    Raises
    ------
    matcher.errors.InputError
        When the file is missing, unreadable, not UTF-8 or not TOML (row = the
        line), naming ``kind`` ("policy", "scenario") in the message.
    """
    try:
        text = file.read_bytes().decode("utf-8-sig")
        return tomllib.loads(text), text
    except FileNotFoundError:
        raise InputError(f"{kind} file does not exist", file=file.name) from None
    except OSError as exc:
        raise InputError(f"cannot read the {kind} file: {exc.strerror}", file=file.name) from None
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text", file=file.name) from None
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise InputError(f"not valid TOML: {exc}", file=file.name,
                         row=int(line.group(1)) if line else None) from None


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _string(text: str) -> str:
    """``text`` as a TOML basic string: quote, backslash, every control character and line break escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or code == 0x7F or code in (0x85, 0x2028, 0x2029):
            # TOML allows no control character raw (a newline would end the value); and the other line breaks
            # of str.splitlines, so that each line of the file is one key's (as an error's line number counts)
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            raise ValueError("the text holds a lone surrogate, which is not a character (nor TOML)")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a number TOML files here accept")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    raise TypeError(f"no TOML value for {type(value).__name__}")


def toml_text(data: dict[str, Any]) -> str:
    """``data`` as TOML text: what :func:`tomllib.loads` reads back as ``data``.

    Parameters
    ----------
    data
        Keys to strings, booleans, integers, finite floats, tables (dicts of
        the same) and arrays of tables (lists of such dicts), as a scenario or
        policy file has them; ``None`` values are left out.

    Returns
    -------
    str
        The TOML text: plain keys first, then each table under its header.
        Every string is written escaped, so no text can end its value and
        start a key or a table of its own.
    """
    lines: list[str] = []
    _write(lines, (), data)
    return "\n".join(lines).lstrip("\n") + "\n"


def _write(lines: list[str], path: tuple[str, ...], table: dict[str, Any]) -> None:
    for key, value in table.items():
        if value is not None and not isinstance(value, (dict, list)):
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in table.items():
        header = ".".join(_key(k) for k in (*path, key))
        if isinstance(value, dict):
            lines += ["", f"[{header}]"]
            _write(lines, (*path, key), value)
        elif isinstance(value, list):
            for item in value:
                if not isinstance(item, dict):
                    raise TypeError("only arrays of tables are written")
                lines += ["", f"[[{header}]]"]
                _write(lines, (*path, key), item)
