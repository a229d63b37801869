"""Running scenarios beside the baseline, and their statistics over runs.

The baseline (the instance as it is) and every scenario without randomness
are solved once: their result is exact and a second run would be the same.
A scenario with dropout is solved ``runs`` times, run ``r`` with the dice of
(seed, r) (see :mod:`matcher.plan.scenario`). Every run is an independent
optimal match, so runs can go to any executor (:mod:`matcher.plan.executors`)
in any order and give the same numbers.

Without confirmed placements, the runs of a scenario share one prepared
network (problem, candidate arcs, components): a run closes the vacancies of
the companies that drop out on it (:mod:`matcher.engine.closed`) instead of
preparing its instance again, and a scenario that only draws dropout shares
the baseline's. Prepared once in this process before the runs, it is
inherited by forked workers (one copy in memory for all); a Dask worker
prepares its own. With confirmed placements every run is solved from scratch
(:func:`matcher.engine.solve.solve`).

Statistics over runs
--------------------
``placed`` and ``unplaced`` are given as the mean over runs and a 95 %
interval: the 2.5th and 97.5th percentiles of the runs (numpy's linear
interpolation). That is where 95 % of the outcomes fall, the range a
planner should expect, *not* a confidence interval of the mean (which
narrows with more runs); with few runs it is close to the smallest and
largest. A deterministic scenario's interval is its one value.

Shortages
---------
Per period × sector × region, in each run:

- ``seeking``: students whose first acceptable period (the first of the
  year when a student lists none) is that period, of a crebo of that sector
  and living in that region (approximate home region, as ``summary.json``
  counts them);
- ``unplaced``: those of them the match leaves without a place: the shortage;
- ``places``: places offered there in that period (vacancy sector and region,
  as in :func:`matcher.plan.scenario.vacancy_cells`);
- ``free``: of those, places no student took (duo partners share an occupied
  place, they do not use a free one).

A cell can have unplaced students and free places at once: the places may be
for other crebos, out of reach or without supervision.

Per student
-----------
For each scenario, every student's share of runs in which they are placed,
beside whether the baseline places them: *gains* when the baseline does not
and the scenario does in at least half its runs, *loses* the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from matcher.engine.closed import solve_closed
from matcher.engine.solve import Prepared, prepare, solve
from matcher.plan.executors import Executor, LocalExecutor
from matcher.plan.scenario import (
    Applied,
    VacancyCells,
    apply_dropout,
    apply_scenario,
    dropped_vacancies,
    student_cells,
    vacancy_cells,
)
from matcher.plan.season import SEASON_COLUMNS, SeasonTask, check_season, run_season, season_tasks
from models import Instance, Policy
from models.scenario import ScenarioFile

BASELINE = "baseline"
INTERVAL = (2.5, 97.5)


@dataclass(frozen=True)
class RunTask:
    """One run: ``scenario`` 0 is the baseline, ``k`` the file's k-th scenario."""

    scenario: int
    run: int


@dataclass(frozen=True, eq=False)
class RunOutcome:
    """What one run gives: who is placed, and the cells of :data:`CELL_COUNTS`
    as (period, sector, region) arrays."""

    placed: np.ndarray
    cells: dict[str, np.ndarray]
    companies_dropped: int
    proven_optimal: bool


CELL_COUNTS = ("seeking", "unplaced", "places", "free")


@dataclass(eq=False)
class Simulation:
    """What every run needs: sent to each worker once.

    Prepared scenario instances are cached per process and never pickled.
    """

    instance: Instance
    policy: Policy
    scenarios: ScenarioFile
    certificate: bool = True
    file: str | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_cache"] = {}
        return state

    @property
    def names(self) -> list[str]:
        """``baseline``, then the scenarios' names."""
        return [BASELINE] + [s.name for s in self.scenarios.scenario]

    def is_random(self, k: int) -> bool:
        """Whether scenario ``k`` (0 = baseline) differs between runs."""
        return k > 0 and self.scenarios.scenario[k - 1].random

    def prepared(self, k: int) -> tuple[Instance, VacancyCells, Applied]:
        """Scenario ``k``'s instance before dropout, its vacancy cells and what changed."""
        if k not in self._cache:
            if k == 0:
                instance, applied = self.instance, Applied()
            else:
                instance, applied = apply_scenario(self.instance, self.scenarios.scenario[k - 1], k,
                                                   self.file)
            self._cache[k] = (instance, vacancy_cells(instance), applied)
        return self._cache[k]

    def closes_in_place(self) -> bool:
        """Whether runs close vacancies on a shared prepared network (no confirmed placements)."""
        return not any(d.decision == "confirmed" for d in self.instance.decisions)

    def network_key(self, k: int) -> int:
        """Whose prepared network scenario ``k`` solves: 0 (the baseline's) when the scenario changes
        nothing but dropout, else ``k``."""
        if k == 0:
            return 0
        scenario = self.scenarios.scenario[k - 1]
        return 0 if not (scenario.move or scenario.places or scenario.duo) else k

    def network(self, k: int) -> Prepared:
        """The prepared network of scenario ``k``'s instance before dropout, made once per process."""
        return self._network_and_positions(k)[0]

    def _network_and_positions(self, k: int) -> tuple[Prepared, np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`network`, and where its problem's vacancies, students and periods are in the instance."""
        key = ("network", self.network_key(k))
        if key not in self._cache:
            instance = self.instance if key[1] == 0 else self.prepared(k)[0]
            prepared = prepare(instance, self.policy)
            problem = prepared.problem
            self._cache[key] = (
                prepared,
                pd.Index([v.vacancy_id for v in instance.vacancies]).get_indexer(problem.vacancy_ids),
                pd.Index([s.student_id for s in instance.students]).get_indexer(problem.student_ids),
                pd.Index(instance.period_ids).get_indexer(problem.period_ids),
            )
        return self._cache[key]

    def shared_networks(self, runs: int) -> list[int]:
        """The scenarios whose prepared network more than one run solves (worth preparing before forking)."""
        if not self.closes_in_place():
            return []
        uses: dict[int, list[int]] = {}
        for task in plan_runs(self, runs):
            uses.setdefault(self.network_key(task.scenario), []).append(task.scenario)
        return [scenarios[0] for scenarios in uses.values() if len(scenarios) > 1]

    def axes(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Periods, sectors and regions of the shortage cells (sectors and regions sorted)."""
        if "axes" not in self._cache:
            s_sector, s_region = self.student_cells()
            cells = self.prepared(0)[1]
            sectors = tuple(sorted(set(s_sector.tolist()) | set(cells.sector.tolist())))
            regions = tuple(sorted(set(s_region.tolist()) | set(cells.region.tolist())))
            self._cache["axes"] = (self.instance.period_ids, sectors, regions)
        return self._cache["axes"]

    def student_cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Sector and home region of every student (the same in every scenario)."""
        if "students" not in self._cache:
            self._cache["students"] = student_cells(self.instance)
        return self._cache["students"]


def plan_runs(simulation: Simulation, runs: int) -> list[RunTask]:
    """The runs to make: one for the baseline and each deterministic scenario,
    ``runs`` for each scenario with dropout."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    return [RunTask(k, r) for k in range(len(simulation.names))
            for r in range(runs if simulation.is_random(k) else 1)]


def run_once(simulation: Simulation, task: RunTask) -> RunOutcome:
    """Solve one run and count its cells (a top-level function: executors pickle it)."""
    instance, cells, _ = simulation.prepared(task.scenario)
    dropout = simulation.scenarios.scenario[task.scenario - 1].dropout if simulation.is_random(task.scenario) \
        else None
    dropped, closed = 0, np.zeros(len(instance.vacancies), dtype=bool)  # closed: shut on a shared network
    if simulation.closes_in_place():
        if dropout is not None:
            closed, dropped = dropped_vacancies(instance, dropout, simulation.scenarios.seed, task.run, cells)
        student_of, vacancy_of, period_of, proven = _closed_run(
            *simulation._network_and_positions(task.scenario), closed, simulation.certificate)
    else:
        if dropout is not None:
            instance, dropped = apply_dropout(instance, dropout, simulation.scenarios.seed, task.run, cells)
        result = solve(instance, simulation.policy, certificate=simulation.certificate, jobs=1)
        student_of, vacancy_of, period_of = (
            pd.Index(ids).get_indexer(result.placements[column])
            for ids, column in (([s.student_id for s in instance.students], "student_id"),
                                ([v.vacancy_id for v in instance.vacancies], "vacancy_id"),
                                (instance.period_ids, "period_id")))
        proven = bool(result.summary["proof"]["proven_optimal"])

    periods, sectors, regions = simulation.axes()
    p_index = {p: i for i, p in enumerate(periods)}
    sector_index = {s: i for i, s in enumerate(sectors)}
    region_index = {r: i for i, r in enumerate(regions)}
    shape = (len(periods), len(sectors), len(regions))

    placed = np.zeros(len(instance.students), dtype=bool)
    placed[student_of] = True
    s_sector, s_region = simulation.student_cells()
    first = np.array([p_index[s.periods[0] if s.periods else periods[0]] for s in instance.students],
                     dtype=np.int64)
    s_cell = (first, np.array([sector_index[x] for x in s_sector], dtype=np.int64),
              np.array([region_index[x] for x in s_region], dtype=np.int64))
    seeking, unplaced = np.zeros(shape, np.int64), np.zeros(shape, np.int64)
    np.add.at(seeking, s_cell, 1)
    np.add.at(unplaced, tuple(a[~placed] for a in s_cell), 1)

    taken = np.zeros((len(instance.vacancies), len(periods)), dtype=np.int64)
    np.add.at(taken, (vacancy_of, period_of), 1)
    places, free = np.zeros(shape, np.int64), np.zeros(shape, np.int64)
    for i, v in enumerate(instance.vacancies):
        if v.places == 0 or closed[i]:
            continue
        s, r = sector_index[cells.sector[i]], region_index[cells.region[i]]
        for p in (v.periods or periods):
            places[p_index[p], s, r] += v.places
            free[p_index[p], s, r] += max(v.places - taken[i, p_index[p]], 0)
    return RunOutcome(placed, {"seeking": seeking, "unplaced": unplaced, "places": places, "free": free},
                      dropped, proven)


def _closed_run(prepared: Prepared, vacancy_at: np.ndarray, student_at: np.ndarray, period_at: np.ndarray,
                closed: np.ndarray, certify: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """(student, vacancy, period) of each placement, as indices of the instance, and whether the optimum is
    proven: ``prepared`` solved with the vacancies ``closed`` (per vacancy of the instance) offering none.
    ``*_at`` give the instance's index of each of the problem's vacancies, students and periods."""
    candidates = prepared.candidates
    optimum = solve_closed(prepared, closed[vacancy_at], certify=certify)
    chosen = optimum.chosen
    return (student_at[candidates.student[chosen]], vacancy_at[candidates.vacancy[chosen]],
            period_at[candidates.period[chosen]], optimum.proven)


def _spread(values: np.ndarray) -> dict:
    values = np.asarray(values, dtype=float)
    low, high = np.percentile(values, INTERVAL)
    return {"mean": round(float(values.mean()), 2), "low": round(float(low), 2),
            "high": round(float(high), 2)}


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """The statistics of all runs.

    Attributes
    ----------
    scenarios
        One row per scenario (baseline first): name, runs, random, placed and
        unplaced (mean, low, high), change in placed against the baseline
        (mean, low, high), students gaining and losing a place, mean companies
        dropped, and what the scenario changed.
    shortages
        One row per scenario × period × sector × region with any count:
        ``seeking``, ``unplaced`` (mean, low, high), ``places`` and ``free``
        (means over runs).
    by_period
        The same per scenario × period, summed over sectors and regions (its
        interval is that of the runs' sums).
    diff
        One row per scenario and student whose placement differs from the
        baseline in at least one run: student_id, school_id, baseline_placed,
        placed_share, change (gains, loses or same).
    seed, runs
        The scenario file's seed and the runs asked for random scenarios.
    names
        ``baseline``, then the scenarios' names, in file order.
    axes
        Periods, sectors and regions of the shortage cells.
    season
        With a ``[season]``: one row per keep_previous × run × round
        (:mod:`matcher.plan.season`); else None.
    """

    scenarios: pd.DataFrame
    shortages: pd.DataFrame
    by_period: pd.DataFrame
    diff: pd.DataFrame
    seed: int
    runs: int
    names: list[str]
    axes: tuple
    season: pd.DataFrame | None = None


def summarise(simulation: Simulation, tasks: list[RunTask], outcomes: list[RunOutcome],
              runs: int) -> SimulationResult:
    """Statistics of the runs ``outcomes`` of ``tasks`` (in any order)."""
    by_scenario: dict[int, list[RunOutcome]] = {}
    for task, outcome in sorted(zip(tasks, outcomes), key=lambda pair: (pair[0].scenario, pair[0].run)):
        by_scenario.setdefault(task.scenario, []).append(outcome)
    baseline = by_scenario[0][0].placed
    periods, sectors, regions = simulation.axes()
    students = simulation.instance.students
    ids = np.array([s.student_id for s in students], dtype=object)
    schools = np.array([s.school_id for s in students], dtype=object)
    order = np.argsort(ids, kind="stable")

    rows, shortage_frames, period_frames, diff_frames = [], [], [], []
    for k, name in enumerate(simulation.names):
        done = by_scenario[k]
        placed = np.array([o.placed for o in done])
        totals = placed.sum(axis=1)
        gained = (placed & ~baseline).sum(axis=1)
        lost = (~placed & baseline).sum(axis=1)
        share = placed.mean(axis=0)
        change = np.where(~baseline & (share >= 0.5), "gains",
                          np.where(baseline & (share <= 0.5), "loses", "same"))
        row = {"scenario": name, "runs": len(done), "random": simulation.is_random(k)}
        for label, values in (("placed", totals), ("unplaced", len(students) - totals),
                              ("placed_change", totals - baseline.sum()), ("gaining", gained),
                              ("losing", lost)):
            for stat, value in _spread(values).items():
                row[f"{label}_{stat}"] = value
        row["students_gaining"] = int((change == "gains").sum())
        row["students_losing"] = int((change == "loses").sum())
        row["companies_dropped_mean"] = round(float(np.mean([o.companies_dropped for o in done])), 2)
        row["proven_optimal"] = all(o.proven_optimal for o in done)
        row.update({f"applied_{key}": value for key, value in simulation.prepared(k)[2].as_dict().items()
                    if key != "notes"})
        row["notes"] = "; ".join(simulation.prepared(k)[2].notes)
        rows.append(row)

        stacked = {c: np.array([o.cells[c] for o in done]) for c in CELL_COUNTS}
        p, s, r = np.nonzero(sum(stacked[c].sum(axis=0) for c in CELL_COUNTS))
        unplaced = stacked["unplaced"][:, p, s, r]
        low, high = np.percentile(unplaced, INTERVAL, axis=0)
        shortage_frames.append(pd.DataFrame({
            "scenario": name,
            "period": np.array(periods, dtype=object)[p],
            "sector": np.array(sectors, dtype=object)[s],
            "region": np.array(regions, dtype=object)[r],
            "seeking": stacked["seeking"][:, p, s, r].mean(axis=0).round(2),
            "unplaced_mean": unplaced.mean(axis=0).round(2),
            "unplaced_low": np.round(low, 2),
            "unplaced_high": np.round(high, 2),
            "places": stacked["places"][:, p, s, r].mean(axis=0).round(2),
            "free": stacked["free"][:, p, s, r].mean(axis=0).round(2),
        }))
        per_period = {c: stacked[c].sum(axis=(2, 3)) for c in CELL_COUNTS}
        low, high = np.percentile(per_period["unplaced"], INTERVAL, axis=0)
        period_frames.append(pd.DataFrame({
            "scenario": name, "period": list(periods),
            "seeking": per_period["seeking"].mean(axis=0).round(2),
            "unplaced_mean": per_period["unplaced"].mean(axis=0).round(2),
            "unplaced_low": np.round(low, 2), "unplaced_high": np.round(high, 2),
            "places": per_period["places"].mean(axis=0).round(2),
            "free": per_period["free"].mean(axis=0).round(2),
        }))
        if k > 0:
            differs = order[(placed != baseline).any(axis=0)[order]]
            diff_frames.append(pd.DataFrame({
                "scenario": name, "student_id": ids[differs], "school_id": schools[differs],
                "baseline_placed": baseline[differs], "placed_share": share[differs].round(4),
                "change": change[differs],
            }))
    diff_columns = ["scenario", "student_id", "school_id", "baseline_placed", "placed_share", "change"]
    diff = pd.concat(diff_frames, ignore_index=True) if diff_frames else pd.DataFrame(columns=diff_columns)
    return SimulationResult(
        scenarios=pd.DataFrame(rows), shortages=pd.concat(shortage_frames, ignore_index=True),
        by_period=pd.concat(period_frames, ignore_index=True), diff=diff[diff_columns],
        seed=simulation.scenarios.seed, runs=runs, names=simulation.names,
        axes=(periods, sectors, regions))


def simulate(simulation: Simulation, runs: int, executor: Executor | None = None,
             on_run_done: Callable[[], None] | None = None) -> SimulationResult:
    """Run the baseline and every scenario, and summarise.

    Parameters
    ----------
    simulation
        The instance, policy and scenarios. Every scenario is applied here
        first, so one that does not fit the instance fails before any run.
    runs
        Runs of each scenario with dropout (others run once).
    executor
        Where runs execute (default: inline, :class:`LocalExecutor` of 1).
        The result does not depend on it.
    on_run_done
        Called after each run, for a progress bar.

    Returns
    -------
    SimulationResult

    Raises
    ------
    matcher.errors.InputError
        When a scenario does not fit the instance.
    """
    for k in range(len(simulation.names)):
        simulation.prepared(k)
    if simulation.scenarios.season is not None:
        check_season(simulation.instance, simulation.scenarios.season, simulation.file)
    tasks = plan_runs(simulation, runs)
    executor = executor if executor is not None else LocalExecutor(1)
    if executor.inherits_common:
        for k in simulation.shared_networks(runs):
            simulation.network(k)  # before the workers fork: one copy for all of them
    outcomes = executor.map(run_once, tasks, common=simulation, on_done=on_run_done)
    result = summarise(simulation, tasks, outcomes, runs)
    season = simulation.scenarios.season
    if season is None:
        return result
    seasons = season_tasks(season, simulation.policy)
    tables = executor.map(season_once, seasons, common=simulation, on_done=on_run_done)
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=list(SEASON_COLUMNS))
    return replace(result, season=table)


def season_once(simulation: Simulation, task: SeasonTask) -> pd.DataFrame:
    """One season of the baseline (a top-level function: executors pickle it)."""
    scenarios = simulation.scenarios
    return run_season(simulation.instance, simulation.policy, scenarios.season, scenarios.seed, task,
                      simulation.certificate)


def planned_work(simulation: Simulation, runs: int) -> tuple[int, int]:
    """(tasks, solves) of a simulation: its runs, and its seasons (a task each, a solve per round)."""
    season = simulation.scenarios.season
    seasons = 0 if season is None else len(season_tasks(season, simulation.policy))
    runs_planned = len(plan_runs(simulation, runs))
    return runs_planned + seasons, runs_planned + seasons * (season.rounds if season else 0)
