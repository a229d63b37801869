"""The report as one self-contained HTML page.

Everything is inline: the stylesheet in a ``<style>`` element, the charts as
``data:image/png;base64`` images. The page loads nothing (no scripts, fonts,
stylesheets or links), so it opens offline and can be mailed as one file.
"""

from __future__ import annotations

import base64
from html import escape

from matcher.report.plots import ReportFigure
from matcher.report.privacy import SMALL_CELL, WITHHELD
from matcher.report.tables import ReportTable
from matcher.report.texts import Words

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       margin: 0 auto; max-width: 1200px; padding: 1.5rem 2rem 4rem; color: #1a202c;
       line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 2px solid #2b6cb0; padding-bottom: 0.2rem; }
nav ul { columns: 2; padding-left: 1.2rem; }
p.lead { color: #4a5568; margin-top: 0; }
p.privacy { background: #fffbea; border-left: 4px solid #d69e2e; padding: 0.6rem 0.9rem; }
div.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 1.2rem 0 0.3rem; font-size: 0.88rem; }
caption { caption-side: top; text-align: left; font-weight: 600; font-size: 1rem; padding-bottom: 0.4rem; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 0.25rem 0.6rem; vertical-align: top; }
th { background: #edf2f7; text-align: left; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td.hidden { color: #975a16; font-style: italic; }
td.none { color: #a0aec0; }
tbody tr:nth-child(even) { background: #f7fafc; }
p.note, figcaption { color: #4a5568; font-size: 0.85rem; max-width: 60rem; }
figure { margin: 1.5rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e2e8f0; }
footer { margin-top: 3rem; color: #718096; font-size: 0.8rem; }
"""

# Sections of the page: heading (a key of matcher.report.texts), then the table and figure ids it
# shows, in order.
SECTIONS = (
    ("section.summary", ("summary",)),
    ("section.shortages", ("shortage-sector", "plot-rate-sector", "shortage-region", "shortage-level",
                           "shortage-crebo", "places-period")),
    ("section.unplaced", ("unplaced-reason", "plot-unplaced-reason", "map-unplaced-free")),
    ("section.equity", ("equity-level", "plot-rate-level", "equity-school")),
    ("section.priority", ("price-priority",)),
)


def _cell(value, words: Words) -> str:
    """One ``<td>``: numbers right-aligned, written as the page's language writes them; hidden
    cells marked."""
    if value is None:
        return '<td class="num none">–</td>'
    if isinstance(value, str):
        if value in (SMALL_CELL, WITHHELD):
            return f'<td class="num hidden">{escape(value)}</td>'
        return f"<td>{escape(value)}</td>"
    if isinstance(value, bool):
        return f"<td>{words('cell.yes') if value else words('cell.no')}</td>"
    if isinstance(value, int):
        return f'<td class="num">{words.number(value)}</td>'
    return f'<td class="num">{words.number(float(value))}</td>'


def _numeric_columns(table: ReportTable) -> set[str]:
    """Columns holding no free text (only numbers, hidden markers or None): right-aligned."""
    numeric = set()
    for column in table.frame.columns:
        values = table.frame[column]
        if all(v is None or v in (SMALL_CELL, WITHHELD) or (isinstance(v, (int, float))
               and not isinstance(v, bool)) for v in values):
            numeric.add(column)
    return numeric


def render_table(table: ReportTable, words: Words | None = None) -> str:
    """A table with its caption (``<caption>``), id and note, numbers in ``words``' language
    (default Dutch)."""
    words = words or Words()
    numeric = _numeric_columns(table)
    head = "".join(f'<th scope="col" class="num">{escape(str(c))}</th>' if c in numeric
                   else f'<th scope="col">{escape(str(c))}</th>' for c in table.frame.columns)
    rows = "\n".join("<tr>" + "".join(_cell(v, words) for v in row) + "</tr>"
                     for row in table.frame.itertuples(index=False, name=None))
    protected = f" <em>{escape(words('table.protected'))}</em>" if table.protected else ""
    return (f'<div class="scroll"><table id="{table.table_id}">\n<caption>{escape(table.title)}</caption>\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table></div>\n"
            f'<p class="note">{escape(table.note)}{protected}</p>')


def render_figure(figure: ReportFigure) -> str:
    """A figure with the PNG inline as a data URI."""
    data = base64.b64encode(figure.png).decode("ascii")
    return (f'<figure id="{figure.figure_id}">\n<img alt="{escape(figure.title)}" '
            f'src="data:image/png;base64,{data}">\n<figcaption>{escape(figure.caption)}</figcaption>\n'
            "</figure>")


def page(words: Words, title: str, lead: str, privacy: str, body: str, nav: str = "") -> str:
    """The page around ``body`` (sections, already HTML): head with the inline stylesheet, a
    header with title, lead and privacy note, and the footer. Shared with the simulation's
    summary."""
    return (
        f'<!DOCTYPE html>\n<html lang="{words.lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>{escape(title)}</h1>\n<p class=\"lead\">{escape(lead)}</p>\n"
        f'<p class="privacy">{escape(privacy)}</p>\n</header>\n{nav}{body}\n'
        f"<footer>{escape(words('report.footer'))}</footer>\n"
        "</body>\n</html>\n"
    )


def render_page(title: str, lead: str, tables: list[ReportTable], figures: list[ReportFigure],
                words: Words | None = None) -> str:
    """The whole page.

    Parameters
    ----------
    title
        Page heading.
    lead
        One line under the heading (what was matched).
    tables, figures
        Every table and figure; they are placed by :data:`SECTIONS`, and any
        not named there go to a last section.
    words
        The page's language (default Dutch).
    """
    words = words or Words()
    parts = {t.table_id: render_table(t, words) for t in tables}
    parts.update({f.figure_id: render_figure(f) for f in figures})
    titles = {t.table_id: t.title for t in tables} | {f.figure_id: f.title for f in figures}
    sections = [(words(h), [i for i in ids if i in parts]) for h, ids in SECTIONS]
    placed = {i for _, ids in sections for i in ids}
    rest = [i for i in parts if i not in placed]
    if rest:
        sections.append((words("section.more"), rest))
    contents = "\n".join(f'<li><a href="#{i}">{escape(titles[i])}</a></li>'
                         for _, ids in sections for i in ids)
    body = "\n".join(
        f"<section>\n<h2>{escape(heading)}</h2>\n" + "\n".join(parts[i] for i in ids) + "\n</section>"
        for heading, ids in sections
    )
    privacy = f"{words('privacy.note')} {words('report.no_ids_page')}"
    return page(words, title, lead, privacy, body, nav=f"<nav>\n<ul>\n{contents}\n</ul>\n</nav>\n")
