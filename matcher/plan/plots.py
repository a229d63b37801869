"""The simulation's charts: demand against capacity, and shortage per period.

Drawn like the report's charts (:mod:`matcher.report.plots`): no pyplot,
matplotlib's default style whatever matplotlibrc says, PNG without the
varying metadata, so the same simulation gives the same bytes. Counts of 1–4
students are written as ``<5`` (:mod:`matcher.report.privacy`); counts of
places are not personal and are written in full. Words and numbers are in the
summary's language (:mod:`matcher.report.texts`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm

from matcher.plan.simulate import BASELINE, SimulationResult
from matcher.report.plots import ReportFigure, new_figure, png_bytes, report_style
from matcher.report.privacy import SMALL, SMALL_CELL
from matcher.report.texts import Words

# Scenario bars after the baseline's (which is grey: "before").
SCENARIO_COLOURS = ("#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#b7791f")
BASELINE_COLOUR = "#a0aec0"


def scenario_label(name: str, words: Words) -> str:
    """A scenario's name as the summary shows it: the baseline in the summary's language,
    the scenario file's own names as they are."""
    return words("sim.baseline") if name == BASELINE else name


def count_label(value: float, words: Words | None = None) -> str:
    """A (mean) count of students for a chart: ``<5`` when between 0 and 5, else rounded."""
    if 0 < value < SMALL:
        return SMALL_CELL
    return (words or Words()).number(float(value), 0)


def period_sector_table(result: SimulationResult, scenario: str, column: str) -> pd.DataFrame:
    """``column`` of one scenario's shortages summed over regions: sectors × periods."""
    periods, sectors, _ = result.axes
    rows = result.shortages[result.shortages["scenario"] == scenario]
    table = rows.groupby(["sector", "period"])[column].sum().unstack("period")
    return table.reindex(index=list(sectors), columns=list(periods)).fillna(0.0)


def demand_capacity_heatmap(result: SimulationResult, words: Words | None = None) -> ReportFigure:
    """Per scenario, sectors × periods coloured by places per student seeking.

    Each cell shows students seeking (first-choice period) over places
    offered; red where places are fewer than students, blue where more.
    """
    words = words or Words()
    periods, sectors, _ = result.axes
    names = result.names
    columns = 1 if len(names) == 1 else 2
    rows = math.ceil(len(names) / columns)
    height = 0.9 + 0.34 * len(sectors)
    with report_style():
        figure = new_figure(5.2 * columns + 1.2, height * rows + 0.6)
        norm = TwoSlopeNorm(vmin=0.0, vcenter=1.0, vmax=2.0)
        image = None
        for n, name in enumerate(names):
            seeking = period_sector_table(result, name, "seeking").to_numpy()
            places = period_sector_table(result, name, "places").to_numpy()
            ratio = np.where(seeking > 0, places / np.maximum(seeking, 1e-9), 2.0).clip(0.0, 2.0)
            axes = figure.add_subplot(rows, columns, n + 1)
            image = axes.imshow(ratio, cmap="RdBu", norm=norm, aspect="auto")
            for (i, j), value in np.ndenumerate(ratio):
                label = f"{count_label(seeking[i, j], words)} / {words.number(float(places[i, j]), 0)}"
                axes.text(j, i, label,
                          ha="center", va="center", fontsize=7,
                          color="white" if abs(value - 1.0) > 0.7 else "black")
            axes.set_xticks(range(len(periods)), periods)
            axes.set_yticks(range(len(sectors)), sectors if n % columns == 0 else [""] * len(sectors))
            axes.set_title(scenario_label(name, words), loc="left")
            axes.tick_params(length=0)
            for spine in axes.spines.values():
                spine.set_visible(False)
        bar = figure.colorbar(image, ax=figure.axes, shrink=0.6, ticks=[0, 0.5, 1, 1.5, 2])
        bar.set_label(words("sim.heatmap_bar"))
        png = png_bytes(figure)
    return ReportFigure("plot-demand-capacity", words("sim.heatmap_figure"), words("sim.heatmap_caption"), png)


def shortage_by_period_chart(result: SimulationResult, words: Words | None = None) -> ReportFigure:
    """Unplaced students per period (first-choice period), baseline against each scenario,
    with the 95 % interval of runs as error bars."""
    words = words or Words()
    periods = list(result.axes[0])
    names = result.names
    totals = result.by_period.set_index(["scenario", "period"])
    width = 0.8 / len(names)
    x = np.arange(len(periods))
    with report_style():
        figure = new_figure(7.5, 3.6)
        axes = figure.add_subplot()
        top = 1.0
        for n, name in enumerate(names):
            def values(column):
                return np.array([totals[column].get((name, p), 0.0) for p in periods], dtype=float)
            mean, low, high = values("unplaced_mean"), values("unplaced_low"), values("unplaced_high")
            colour = BASELINE_COLOUR if n == 0 else SCENARIO_COLOURS[(n - 1) % len(SCENARIO_COLOURS)]
            positions = x - 0.4 + width * (n + 0.5)
            axes.bar(positions, mean, width=width * 0.92, color=colour, label=scenario_label(name, words))
            if (high > low).any():
                axes.errorbar(positions, mean, yerr=[mean - np.minimum(low, mean),
                                                     np.maximum(high, mean) - mean],
                              fmt="none", ecolor="#1a202c", capsize=2, linewidth=0.8)
            top = max(top, float(np.max(high, initial=0.0)), float(np.max(mean, initial=0.0)))
        axes.set_xticks(x, periods)
        axes.set_ylim(0, top * 1.15)
        axes.set_ylabel(words("sim.shortage_axis"))
        axes.set_title(words("sim.shortage_title"), loc="left")
        axes.legend(frameon=False, fontsize=8, ncols=min(len(names), 3), loc="upper left")
        png = png_bytes(figure)
    return ReportFigure("plot-shortage-period", words("sim.shortage_figure"), words("sim.shortage_caption"),
                        png)


__all__ = ["count_label", "demand_capacity_heatmap",
           "period_sector_table", "scenario_label", "shortage_by_period_chart"]
