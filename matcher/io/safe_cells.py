"""Spreadsheet-safe text cells (SPEC v2, "Outputs safe to open").

A spreadsheet program runs a CSV cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula. Every text cell the project
writes therefore goes through :func:`defuse`, which puts an apostrophe before
such a cell unless it is a number (the OWASP rule), and every reader of the
project's own outputs goes through :func:`restore`, which undoes it.

A cell that already begins with an apostrophe gets one more, so that
``restore(defuse(text)) == text`` for every text: the two are inverse.
"""

from __future__ import annotations

import re

import pandas as pd

# A leading character that makes a spreadsheet evaluate the cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MARK = "'"
_ESCAPED_STARTS = (*FORMULA_STARTS, _MARK)
# A plain decimal number, as a spreadsheet would read it: shown as the number, never run.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")


def needs_defusing(text: str) -> bool:
    """Whether ``text`` would start a formula (or an apostrophe) in a spreadsheet cell."""
    return text.startswith(_ESCAPED_STARTS) and not _NUMBER.fullmatch(text)


def defuse(text: str) -> str:
    """``text`` as a cell that a spreadsheet shows as text, never runs.

    Examples
    --------
    >>> defuse('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> defuse("-5"), defuse("S-UTR")
    ('-5', 'S-UTR')
    """
    return _MARK + text if needs_defusing(text) else text


def restore(text: str) -> str:
    """The original text of a cell written by :func:`defuse`."""
    if text.startswith(_MARK) and text[1:].startswith(_ESCAPED_STARTS):
        return text[1:]
    return text


def defuse_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and header) are defused; numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            out[column] = values.map(lambda v: defuse(v) if isinstance(v, str) else v)
    out.columns = [defuse(c) if isinstance(c, str) else c for c in out.columns]
    return out
