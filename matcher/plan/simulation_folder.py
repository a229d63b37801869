"""Writing a simulation's output folder, all files at once.

==========================  ===========================================================
file                        what
==========================  ===========================================================
``summary.json``            seed, runs, and per scenario: placed and unplaced (mean and
                            95 % interval of runs), change against the baseline,
                            students gaining and losing a place, what it changed, the
                            unplaced per period
``scenarios.csv``           the same per scenario as one flat row
``shortages.csv``           per scenario × period × sector × region: students seeking,
                            unplaced (mean, low, high), places offered and left free
``diff.csv``                per scenario, every student whose placement differs from the
                            baseline in some run: pseudonymous id, school, placed in the
                            baseline, share of runs placed, gains / loses / same
``season.csv``              with a ``[season]``: per keep_previous × run × round, the
                            students placed, proposals, changed proposals, confirmed,
                            declined and still standing (:mod:`matcher.plan.season`)
``demand_capacity.png``     heatmap of demand against capacity per period and sector
``shortage_by_period.png``  unplaced per period, baseline against each scenario
``summary.html``            the public summary: both charts and tables, no student ids,
                            small counts protected; in Dutch, or in English with
                            ``--lang en`` (the charts too)
``timings.json``            seconds per stage: kept apart, the rest is byte-identical
                            for the same input and seed, whatever the executor or jobs
==========================  ===========================================================

``diff.csv`` and ``shortages.csv`` are for the planner: they hold
pseudonymous student ids and small counts. Share ``summary.html``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from matcher.engine.result import csv_bytes
from matcher.io.folders import replace_folder
from matcher.plan.season import season_summary
from matcher.plan.simulate import INTERVAL, Simulation, SimulationResult
from matcher.plan.summary_html import render_summary
from matcher.report.texts import DEFAULT_LANGUAGE, Words
from models import input_hash

SIMULATION_FILES = ("summary.json", "scenarios.csv", "shortages.csv", "diff.csv", "season.csv", "demand_capacity.png",
                    "shortage_by_period.png", "summary.html", "timings.json")


def _stat(row, label: str) -> dict:
    return {stat: row[f"{label}_{stat}"] for stat in ("mean", "low", "high")}


def summary_dict(simulation: Simulation, result: SimulationResult, scenario_file: str) -> dict:
    """``summary.json``'s content (no timings: byte-identical for the same input)."""
    scenarios = []
    for _, row in result.scenarios.iterrows():
        periods = result.by_period[result.by_period["scenario"] == row["scenario"]]
        scenarios.append({
            "name": row["scenario"],
            "runs": int(row["runs"]),
            "random": bool(row["random"]),
            "placed": _stat(row, "placed"),
            "unplaced": _stat(row, "unplaced"),
            "placed_change_vs_baseline": _stat(row, "placed_change"),
            "students_gaining": int(row["students_gaining"]),
            "students_losing": int(row["students_losing"]),
            "companies_dropped_mean": float(row["companies_dropped_mean"]),
            "proven_optimal": bool(row["proven_optimal"]),
            "applied": {key.removeprefix("applied_"): int(row[key]) for key in row.index
                        if key.startswith("applied_")},
            "notes": [n for n in str(row["notes"]).split("; ") if n],
            "unplaced_by_first_period": {
                p.period: {"mean": float(p.unplaced_mean), "low": float(p.unplaced_low),
                           "high": float(p.unplaced_high)}
                for p in periods.itertuples(index=False)},
        })
    return {
        "stagematch": "simulation/v1",
        "instance": simulation.instance.name,
        "input_hash": input_hash(simulation.instance),
        "scenario_file": scenario_file,
        "seed": result.seed,
        "runs_of_random_scenarios": result.runs,
        "interval": f"{INTERVAL[0]}th to {INTERVAL[1]}th percentile of runs (numpy linear)",
        "certified": simulation.certificate,
        "policy": simulation.policy.model_dump(mode="json", exclude={"keep_previous"}),  # no previous round here
        "scenarios": scenarios,
        **({} if result.season is None else {"season": {
            **simulation.scenarios.season.model_dump(mode="json"),
            "mean_over_runs": season_summary(result.season)}}),
    }


def simulation_files(simulation: Simulation, result: SimulationResult, scenario_file: str,
                     lang: str = DEFAULT_LANGUAGE) -> dict[str, bytes]:
    """Every file of the folder but ``timings.json``, as bytes; ``summary.html`` and the
    charts in ``lang`` (:mod:`matcher.report.texts`), the data files as they are."""
    html, figures = render_summary(result, simulation.instance.name, scenario_file, Words(lang))
    figure = {f.figure_id: f.png for f in figures}
    return {
        "summary.json": (json.dumps(summary_dict(simulation, result, scenario_file), indent=2,
                                    ensure_ascii=False) + "\n").encode("utf-8"),
        "scenarios.csv": csv_bytes(result.scenarios),
        "shortages.csv": csv_bytes(result.shortages),
        "diff.csv": csv_bytes(result.diff),
        **({} if result.season is None else {"season.csv": csv_bytes(result.season)}),
        "demand_capacity.png": figure["plot-demand-capacity"],
        "shortage_by_period.png": figure["plot-shortage-period"],
        "summary.html": html.encode("utf-8"),
    }


def write_simulation(out_dir: str | os.PathLike, files: dict[str, bytes], timings: dict, *,
                     overwrite: bool = False) -> list[Path]:
    """Write the folder (replacing an earlier simulation only with ``overwrite``, never a foreign folder).

    Parameters
    ----------
    out_dir
        The folder to create.
    files
        :func:`simulation_files`.
    timings
        Seconds per stage, written as ``timings.json``.
    overwrite
        Replace an earlier simulation in ``out_dir``.

    Raises
    ------
    FileExistsError
        When ``out_dir`` is not empty and ``overwrite`` is false, or holds files
        that are not a simulation's.
    """
    files = dict(files)
    files["timings.json"] = (json.dumps(timings, indent=2) + "\n").encode("utf-8")
    return replace_folder(Path(out_dir), files, SIMULATION_FILES, "simulation", overwrite=overwrite)
