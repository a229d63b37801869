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


def _map_marked(values: pd.Series, function) -> pd.Series:
    """``function`` applied to the text cells that start with a marked character only.

    Most cells start with a letter or digit: one vectorised test finds the few
    that need looking at, so a national result is written without a loop per cell.
    """
    marked = values.astype(str).str.startswith(_ESCAPED_STARTS)
    if not marked.any():
        return values
    out = values.copy()
    out[marked] = [function(v) if isinstance(v, str) else v for v in values[marked]]
    return out


def _text_columns(frame: pd.DataFrame) -> list:
    return [c for c in frame.columns
            if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype)]


def defuse_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text cells (and header) defused; numbers stay numbers.

    Returns ``frame`` itself when nothing needs defusing, else a copy.
    """
    changed = {c: _map_marked(frame[c], defuse) for c in _text_columns(frame)}
    changed = {c: v for c, v in changed.items() if v is not frame[c]}
    headers = [defuse(c) if isinstance(c, str) else c for c in frame.columns]
    if not changed and headers == list(frame.columns):
        return frame
    out = frame.assign(**changed) if changed else frame.copy()
    out.columns = headers
    return out


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` read as text (``dtype=str``) with every cell and header restored, in place."""
    for column in _text_columns(frame):
        frame[column] = _map_marked(frame[column], restore)
    frame.columns = [restore(c) if isinstance(c, str) else c for c in frame.columns]
    return frame
