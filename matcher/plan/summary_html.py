"""The simulation's public summary: one self-contained HTML page.

Built from the report's parts (:mod:`matcher.report.html_page`): inline
stylesheet, charts as data URIs, nothing fetched. It is meant to be shared,
so it has no student ids and no per-student rows, only counts, and small
counts are protected as in the report (:mod:`matcher.report.privacy`): in
the period × sector table a count of 1–4 students shows as ``<5``, and a cell
from which one could be worked out (seeking = placed + unplaced, the
period's total) as ``x``. Means over runs are rounded to whole students first.
Counts of places are not personal and are shown in full. The words are those
of :mod:`matcher.report.texts`, Dutch by default.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from matcher.plan.plots import demand_capacity_heatmap, period_sector_table, scenario_label, shortage_by_period_chart
from matcher.plan.simulate import SimulationResult
from matcher.report.html_page import page, render_figure, render_table
from matcher.report.privacy import SMALL_CELL, is_small, shown_counts, withheld_split
from matcher.report.tables import ReportTable
from matcher.report.texts import Words


def _small_or(value: int):
    return SMALL_CELL if is_small([value])[0] else int(value)


def _interval(low: float, high: float, words: Words) -> str:
    low_text, high_text = words.number(float(low), 0), words.number(float(high), 0)
    return f"{low_text} – {high_text}" if low != high else low_text


def scenarios_table(result: SimulationResult, words: Words) -> ReportTable:
    """Placed students per scenario with the 95 % interval of runs, the change
    against the baseline, and how many students gain or lose a place."""
    rows = []
    for row in result.scenarios.itertuples(index=False):
        rows.append({
            words("sim.col_scenario"): scenario_label(row.scenario, words),
            words("sim.col_runs"): int(row.runs),
            words("sim.col_placed"): float(row.placed_mean) if row.random else int(row.placed_mean),
            words("sim.col_placed_interval"): _interval(row.placed_low, row.placed_high, words),
            words("sim.col_unplaced"): float(row.unplaced_mean) if row.random else int(row.unplaced_mean),
            words("sim.col_change"): float(row.placed_change_mean) if row.random
            else int(row.placed_change_mean),
            words("sim.col_change_interval"): _interval(row.placed_change_low, row.placed_change_high, words),
            words("sim.col_gaining"): _small_or(row.students_gaining),
            words("sim.col_losing"): _small_or(row.students_losing),
        })
    frame = pd.DataFrame({column: pd.Series([row[column] for row in rows], dtype=object)
                          for column in rows[0]})  # object columns: ints stay ints
    return ReportTable("scenarios", words("sim.scenarios_sheet"), words("sim.scenarios_title"),
                       words("sim.scenarios_note"), frame, protected=True)


def changes_table(result: SimulationResult, words: Words) -> ReportTable:
    """What each scenario changed in the instance."""
    rows = result.scenarios.iloc[1:]
    columns = {
        words("sim.col_scenario"): [str(v) for v in rows["scenario"]],
        words("sim.col_moved"): [int(v) for v in rows["applied_students_moved"]],
        words("sim.col_added"): [int(v) for v in rows["applied_places_added"]],
        words("sim.col_removed"): [int(v) for v in rows["applied_places_removed"]],
        words("sim.col_duo"): [int(v) for v in rows["applied_vacancies_made_duo"]],
        words("sim.col_dropped"): [float(v) for v in rows["companies_dropped_mean"]],
        words("sim.col_notes"): [str(v) for v in rows["notes"].fillna("")],
    }
    frame = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in columns.items()})
    return ReportTable("changes", words("sim.changes_sheet"), words("sim.changes_title"),
                       words("sim.changes_note"), frame)


def period_sector_shortage_table(result: SimulationResult, words: Words) -> ReportTable:
    """Per period and sector: students seeking and unplaced in each scenario."""
    periods, sectors, _ = result.axes
    index = pd.MultiIndex.from_product([list(periods), list(sectors)], names=["period", "sector"])
    period_column = index.get_level_values(0).to_numpy(dtype=object)
    columns: dict[str, np.ndarray] = {words("sim.col_period"): period_column,
                                      words("sim.col_sector"): index.get_level_values(1).to_numpy(dtype=object)}
    keep = np.zeros(len(index), dtype=bool)
    for name in result.names:
        seeking = period_sector_table(result, name, "seeking").T.stack().reindex(index, fill_value=0)
        unplaced = period_sector_table(result, name, "unplaced_mean").T.stack().reindex(index, fill_value=0)
        seeking = np.rint(seeking.to_numpy()).astype(np.int64)
        unplaced = np.minimum(np.rint(unplaced.to_numpy()).astype(np.int64), seeking)
        hide_total, hide_split = withheld_split(seeking, seeking - unplaced, unplaced, [period_column])
        shown = scenario_label(name, words)
        columns[words("sim.col_cell_seeking", scenario=shown)] = shown_counts(seeking, hide_total)
        columns[words("sim.col_cell_unplaced", scenario=shown)] = shown_counts(unplaced, hide_split)
        keep |= seeking > 0
    frame = pd.DataFrame({k: pd.Series(v[keep], dtype=object) for k, v in columns.items()})
    return ReportTable("shortage-period-sector", words("sim.cells_sheet"), words("sim.cells_title"),
                       words("sim.cells_note"), frame, protected=True)


def render_summary(result: SimulationResult, instance_name: str, scenario_file: str,
                   words: Words | None = None) -> tuple[str, list]:
    """The page, and the figures it shows (to save as PNG beside it).

    Parameters
    ----------
    result
        The simulation.
    instance_name, scenario_file
        Named in the title and the lead.
    words
        The page's language (default Dutch).

    Returns
    -------
    html, figures
        The page as text and its :class:`matcher.report.plots.ReportFigure` s.
    """
    words = words or Words()
    figures = [demand_capacity_heatmap(result, words), shortage_by_period_chart(result, words)]
    tables = [scenarios_table(result, words), changes_table(result, words),
              period_sector_shortage_table(result, words)]
    title = words("sim.title", instance=instance_name)
    random_runs = result.runs if result.scenarios["random"].any() else None
    lead = (words("sim.lead", file=scenario_file, seed=result.seed)
            + (words("sim.lead_runs", runs=random_runs) if random_runs else "")
            + words("sim.lead_end"))
    parts = [render_table(tables[0], words), render_table(tables[1], words), render_figure(figures[1]),
             render_figure(figures[0]), render_table(tables[2], words)]
    body = (f"<section>\n<h2>{escape(words('section.scenarios'))}</h2>\n" + "\n".join(parts[:2])
            + "\n</section>\n"
            f"<section>\n<h2>{escape(words('section.shortages'))}</h2>\n" + "\n".join(parts[2:])
            + "\n</section>")
    return page(words, title, lead, words("sim.privacy"), body), figures
