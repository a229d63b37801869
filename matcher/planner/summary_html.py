"""The simulation's public summary: one self-contained HTML page.

Built from the report's parts (:mod:`matcher.report.html_page`): inline
stylesheet, charts as data URIs, nothing fetched. It is meant to be shared,
so it has no student ids and no per-student rows, only counts, and small
counts are protected as in the report (:mod:`matcher.report.privacy`): in
the period × sector table a count of 1–4 students shows as ``<5``, and a cell
from which one could be worked out (seeking = placed + unplaced, the
period's total) as ``x``. Means over runs are rounded to whole students first.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from matcher.planner.plots import demand_capacity_heatmap, period_sector_table, shortage_by_period_chart
from matcher.planner.simulate import SimulationResult
from matcher.report.html_page import STYLE, render_figure, render_table
from matcher.report.privacy import SMALL_CELL, WITHHELD, is_small, shown_counts, withheld_split
from matcher.report.tables import ReportTable


def _small_or(value: int):
    return SMALL_CELL if is_small([value])[0] else int(value)


def _interval(low: float, high: float) -> str:
    return f"{low:,.0f} – {high:,.0f}" if low != high else f"{low:,.0f}"


def scenarios_table(result: SimulationResult) -> ReportTable:
    """Placed students per scenario with the 95 % interval of runs, the change
    against the baseline, and how many students gain or lose a place."""
    rows = []
    for row in result.scenarios.itertuples(index=False):
        rows.append({
            "scenario": row.scenario,
            "runs": int(row.runs),
            "placed (mean)": float(row.placed_mean) if row.random else int(row.placed_mean),
            "placed, 95 % of runs": _interval(row.placed_low, row.placed_high),
            "unplaced (mean)": float(row.unplaced_mean) if row.random else int(row.unplaced_mean),
            "change in placed (mean)": float(row.placed_change_mean) if row.random
            else int(row.placed_change_mean),
            "change, 95 % of runs": _interval(row.placed_change_low, row.placed_change_high),
            "students gaining a place": _small_or(row.students_gaining),
            "students losing a place": _small_or(row.students_losing),
        })
    frame = pd.DataFrame({column: pd.Series([row[column] for row in rows], dtype=object)
                          for column in rows[0]})  # object columns: ints stay ints
    note = ("The baseline is the instance as it is. Scenarios without dropout are exact and run "
            "once; scenarios with dropout run many times, with the interval where 95 % of the "
            "runs fall (2.5th to 97.5th percentile, not a confidence interval of the mean). A "
            "student gains (loses) a place when the baseline leaves them unplaced (places them) "
            "and the scenario places them (does not) in at least half of its runs. Among students "
            "of equal priority the optimum is not unique, so a scenario can also swap who is "
            "placed: read gains beside losses.")
    return ReportTable("scenarios", "Scenarios", "Scenarios against the baseline", note, frame,
                       protected=True)


def changes_table(result: SimulationResult) -> ReportTable:
    """What each scenario changed in the instance."""
    rows = result.scenarios.iloc[1:]
    columns = {
        "scenario": [str(v) for v in rows["scenario"]],
        "students moved": [int(v) for v in rows["applied_students_moved"]],
        "places added": [int(v) for v in rows["applied_places_added"]],
        "places removed": [int(v) for v in rows["applied_places_removed"]],
        "vacancies made duo": [int(v) for v in rows["applied_vacancies_made_duo"]],
        "companies dropped (mean)": [float(v) for v in rows["companies_dropped_mean"]],
        "notes": [str(v) for v in rows["notes"].fillna("")],
    }
    frame = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in columns.items()})
    note = ("Places are per period (students at once in one period), summed over the periods "
            "a change applies to.")
    return ReportTable("changes", "Changes", "What each scenario changes", note, frame)


def period_sector_shortage_table(result: SimulationResult) -> ReportTable:
    """Per period and sector: students seeking and unplaced in each scenario."""
    periods, sectors, _ = result.axes
    index = pd.MultiIndex.from_product([list(periods), list(sectors)], names=["period", "sector"])
    columns: dict[str, np.ndarray] = {"period": index.get_level_values(0).to_numpy(dtype=object),
                                      "sector": index.get_level_values(1).to_numpy(dtype=object)}
    keep = np.zeros(len(index), dtype=bool)
    for name in result.names:
        seeking = period_sector_table(result, name, "seeking").T.stack().reindex(index, fill_value=0)
        unplaced = period_sector_table(result, name, "unplaced_mean").T.stack().reindex(index, fill_value=0)
        seeking = np.rint(seeking.to_numpy()).astype(np.int64)
        unplaced = np.minimum(np.rint(unplaced.to_numpy()).astype(np.int64), seeking)
        hide_total, hide_split = withheld_split(seeking, seeking - unplaced, unplaced,
                                                [columns["period"]])
        columns[f"{name}: seeking"] = shown_counts(seeking, hide_total)
        columns[f"{name}: unplaced"] = shown_counts(unplaced, hide_split)
        keep |= seeking > 0
    frame = pd.DataFrame({k: pd.Series(v[keep], dtype=object) for k, v in columns.items()})
    note = ("Students seeking: by their first-choice period and their qualification's sector; "
            "unplaced: those of them left without a place (means over runs, rounded). The CSV "
            "files of the simulation folder split this by region and add places offered and "
            "left free.")
    return ReportTable("shortage-period-sector", "By period and sector",
                       "Shortage per period and sector", note, frame, protected=True)


def render_summary(result: SimulationResult, instance_name: str, scenario_file: str) -> tuple[str, list]:
    """The page, and the figures it shows (to save as PNG beside it).

    Returns
    -------
    html, figures
        The page as text and its :class:`matcher.report.plots.ReportFigure` s.
    """
    figures = [demand_capacity_heatmap(result), shortage_by_period_chart(result)]
    tables = [scenarios_table(result), changes_table(result), period_sector_shortage_table(result)]
    title = f"stagematch simulation — {instance_name}"
    random_runs = result.runs if result.scenarios["random"].any() else None
    lead = (f"Scenarios of {scenario_file} against the baseline, seed {result.seed}"
            + (f", {random_runs} runs of each scenario with dropout" if random_runs else "")
            + "; scenarios without dropout are exact and run once.")
    parts = [render_table(tables[0]), render_table(tables[1]), render_figure(figures[1]),
             render_figure(figures[0]), render_table(tables[2])]
    privacy = (f'No student ids appear on this page. A count of 1 to 4 students is shown as '
               f'"{SMALL_CELL}", and "{WITHHELD}" marks a cell withheld because such a count '
               "could be worked out from it.")
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>{escape(title)}</h1>\n<p class=\"lead\">{escape(lead)}</p>\n"
        f'<p class="privacy">{escape(privacy)}</p>\n</header>\n'
        "<section>\n<h2>Scenarios</h2>\n" + "\n".join(parts[:2]) + "\n</section>\n"
        "<section>\n<h2>Shortages</h2>\n" + "\n".join(parts[2:]) + "\n</section>\n"
        "<footer>Made by stagematch. Geography: GeoNames (CC BY 4.0).</footer>\n"
        "</body>\n</html>\n"
    )
    return page, figures
