"""The report's charts, drawn with matplotlib's Agg canvas into PNG bytes.

Figures are built without pyplot (no global state, no display), under
matplotlib's default style whatever the user's matplotlibrc says, and saved
without the "Software" text chunk, so that the same facts give the same bytes.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib
import matplotlib.style
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from matcher.engine.reasons import reported_reasons
from matcher.report.facts import MatchFacts
from matcher.report.texts import Words

DPI = 100
PLACED_COLOUR = "#2b6cb0"
UNPLACED_COLOUR = "#c53030"
STYLE = {
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
}


@dataclass(frozen=True, eq=False)
class ReportFigure:
    """A chart: id (for the HTML page), title, caption and the PNG bytes."""

    figure_id: str
    title: str
    caption: str
    png: bytes


@contextmanager
def report_style():
    """matplotlib's defaults plus the report's few settings, independent of matplotlibrc."""
    with matplotlib.style.context("default"), matplotlib.rc_context(STYLE):
        yield


def new_figure(width_in: float, height_in: float) -> Figure:
    """A figure on an Agg canvas (no pyplot)."""
    figure = Figure(figsize=(width_in, height_in), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG bytes without metadata that would change between runs."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _rate_bars(labels: list[str], seeking: np.ndarray, placed: np.ndarray, title: str,
               words: Words) -> Figure:
    """Horizontal bars of placement rate per group, labelled with rate and group size."""
    rate = np.where(seeking > 0, 100.0 * placed / np.maximum(seeking, 1), 0.0)
    figure = new_figure(7.5, 0.9 + 0.32 * len(labels))
    axes = figure.add_subplot()
    y = np.arange(len(labels))[::-1]
    axes.barh(y, rate, color=PLACED_COLOUR, height=0.65)
    for yi, r, n in zip(y, rate, seeking):
        axes.text(min(r, 100) + 1, yi, words("chart.rate_label", rate=words.number(float(r)),
                                             n=words.number(int(n))), va="center", fontsize=8)
    axes.set_yticks(y, labels)
    axes.set_xlim(0, 125)
    axes.set_xticks(np.arange(0, 101, 20))
    axes.set_xlabel(words("chart.rate_axis"))
    axes.set_title(title, loc="left")
    return figure


def rate_by_sector(facts: MatchFacts, words: Words | None = None) -> ReportFigure:
    """Placement rate per sector (sectors are large groups: no small counts)."""
    words = words or Words()
    grouped = facts.students.groupby("sector", sort=True)["placed"].agg(["size", "sum"])
    with report_style():
        png = png_bytes(_rate_bars(list(grouped.index), grouped["size"].to_numpy(),
                                   grouped["sum"].to_numpy(), words("chart.sector_title"), words))
    return ReportFigure("plot-rate-sector", words("chart.sector_figure"), words("chart.sector_caption"), png)


def rate_by_level(facts: MatchFacts, words: Words | None = None) -> ReportFigure:
    """Placement rate per level."""
    words = words or Words()
    grouped = facts.students.groupby("level", sort=True)["placed"].agg(["size", "sum"])
    labels = [f"{int(v)} {words.level_name(v)}".strip() for v in grouped.index]
    with report_style():
        png = png_bytes(_rate_bars(labels, grouped["size"].to_numpy(), grouped["sum"].to_numpy(),
                                   words("chart.level_title"), words))
    return ReportFigure("plot-rate-level", words("chart.level_figure"), words("chart.level_caption"), png)


def unplaced_by_reason(facts: MatchFacts, words: Words | None = None) -> ReportFigure:
    """Unplaced students per reason code (the codes of unplaced.csv; the table says what they mean)."""
    words = words or Words()
    reasons = facts.students.loc[~facts.students["placed"], "reason"]
    shown = reported_reasons(reasons)
    counts = reasons.value_counts().reindex(list(shown), fill_value=0).to_numpy()
    with report_style():
        figure = new_figure(7.5, 0.9 + 0.32 * len(shown))
        axes = figure.add_subplot()
        y = np.arange(len(shown))[::-1]
        axes.barh(y, counts, color=UNPLACED_COLOUR, height=0.65)
        top = max(int(counts.max()), 1)
        for yi, n in zip(y, counts):
            axes.text(n + top * 0.01, yi, words.number(int(n)), va="center", fontsize=8)
        axes.set_yticks(y, list(shown))
        axes.set_xlim(0, top * 1.15)
        axes.set_xlabel(words("chart.reason_axis"))
        axes.set_title(words("chart.reason_title"), loc="left")
        png = png_bytes(figure)
    return ReportFigure("plot-unplaced-reason", words("chart.reason_figure"), words("chart.reason_caption"),
                        png)
