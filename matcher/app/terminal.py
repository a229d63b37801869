"""Terminal output that prints every id literally (SPEC v2, "Outputs safe to open").

Ids, file names and messages come from users' files. Printed with rich's
defaults, ``[link=http://evil.example]S-UTR[/link]`` becomes a clickable link,
``:x:`` an emoji, and an escape character could drive the terminal itself. A
:class:`LiteralConsole` interprets no markup or emoji in any string it is given
and shows control and formatting characters (escape, bidirectional overrides,
zero-width marks) as ``\\x1b``-style codes. The project's own emphasis is
given as styled parts (:func:`styled`), never as markup in a string.
"""

from __future__ import annotations

import unicodedata

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

# Unicode categories of characters that are not printed as themselves: controls,
# formats (bidirectional overrides, zero-width joiners), surrogates, private use.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})


def visible(text: str) -> str:
    """``text`` with each control or formatting character (except newline) written as a code.

    Examples
    --------
    >>> visible("S-\\x1b[31mUTR\\u202e")
    'S-\\\\x1b[31mUTR\\\\u202e'
    """
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char != "\n" and unicodedata.category(char) in _HIDDEN_CATEGORIES:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
                       else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def styled(*parts: str | tuple[str, str]) -> Text:
    """One line of literal text, some parts styled: ``styled(("error:", "bold red"), " ", message)``."""
    return Text.assemble(*((visible(p[0]), p[1]) if isinstance(p, tuple) else visible(p) for p in parts))


class LiteralConsole(Console):
    """A rich console that prints every string literally (no markup, no emoji, no highlighting).

    Every string rich renders (a printed string, a table cell, a title) passes
    through :meth:`render_str`, so this one place makes all of them literal.
    """

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("markup", False)
        kwargs.setdefault("emoji", False)
        kwargs.setdefault("highlight", False)
        super().__init__(**kwargs)

    def render_str(self, text: str, **kwargs) -> Text:
        """Convert a string to :class:`rich.text.Text`, literally and with hidden characters shown."""
        kwargs.update(markup=False, emoji=False)
        return super().render_str(visible(text), **kwargs)


def fitted(console: Console, table: Table, *, wrap: tuple[str, ...] = ()) -> RenderableType:
    """``table`` when it fits ``console``'s width with no cell cut, else its rows as records.

    Every column but those headed in ``wrap`` is kept on one line, so ids and
    numbers are never broken; the ``wrap`` columns break between words only.
    rich squeezes a table that is too wide by cutting cells, so a table whose
    narrowest layout (each kept cell whole, each wrapped column as wide as its
    longest word) is wider than the console is printed as one block per row, a
    ``header: value`` line per cell, instead.
    """
    for column in table.columns:
        column.no_wrap = str(column.header) not in wrap
        if not column.no_wrap:  # measure it at its longest word: the narrowest it can be uncut
            column.max_width = max((cell_len(word) for cell in (column.header, *column.cells)
                                    for word in str(cell).split()), default=1)
    needed = Measurement.get(console, console.options.update_width(10**6), table).maximum
    for column in table.columns:
        column.max_width = None
    if needed <= console.width:
        return table
    headers = [str(column.header) for column in table.columns]
    blocks: list[RenderableType] = [] if table.title is None else [Text(visible(str(table.title)), style="bold")]
    for cells in zip(*(column.cells for column in table.columns)):
        lines = [Text.assemble(f"  {header}: ", cell if isinstance(cell, Text) else visible(str(cell)))
                 for header, cell in zip(headers, cells) if str(cell)]
        blocks.append(Group(*lines, Text("")))
    if table.caption is not None:
        blocks.append(Text(visible(str(table.caption))))
    return Group(*blocks)


def new_table(title: str | None = None, *, caption: str | None = None) -> Table:
    """A table in the house style: a rule under the header, no frame, title on the left.

    No frame and two spaces between columns leave the most of 80 columns to the cells.
    """
    return Table(title=title, caption=caption, title_justify="left", caption_justify="left",
                 box=box.SIMPLE_HEAD, padding=(0, 1), collapse_padding=True, pad_edge=False,
                 show_edge=False)
