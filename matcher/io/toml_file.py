"""Reading a TOML file (policy, scenarios) with errors that name the file and line."""

from __future__ import annotations

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
