"""The jobs stagematch does, one function each: generate, match, check, advise, suggest,
report, calendar and simulate.

Each takes plain options and a :class:`Progress` (or none), refuses its outputs
before any work (:mod:`matcher.io.folders`), writes each output once when it is
complete, and returns what it found. The command line (:mod:`matcher.app.cli`)
is a thin layer that parses options and prints these results; a service calls
the same functions, so the same inputs give the same files, ``summary.json``
included, from Python, from the command line and from the service.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from matcher.errors import InputError, ModelError
from matcher.io.folders import check_output_file, check_output_folder, write_file
from models import InputReport, Instance, Policy


class Progress(Protocol):
    """What a job tells while it runs. Every method may be a no-op."""

    def stage(self, name: str) -> None:
        """A stage begins: ``read``, ``problem``, ``candidates``, ``build``, ``split``, ``solve``,
        ``remedies``, ``result``, ``write``, ``check``, ``runs``, or a calendar stage."""

    def advance(self, done: int, total: int) -> None:
        """Within the stage, ``done`` of ``total`` units (arcs solved, students, runs) are done."""

    def input_read(self, report: InputReport) -> None:
        """The instance was read: which files, and the warnings (for a person to see at once)."""


class Silent:
    """A :class:`Progress` that tells nothing."""

    def stage(self, name: str) -> None:  # noqa: D102
        pass

    def advance(self, done: int, total: int) -> None:  # noqa: D102
        pass

    def input_read(self, report: InputReport) -> None:  # noqa: D102
        pass


def _seconds(since: float) -> float:
    return round(time.perf_counter() - since, 4)


def policy_for(instance_dir: Path, policy_file: Path | None) -> Policy:
    """The policy of a run: ``policy_file``, else the instance's own ``policy.toml``, else SPEC's defaults."""
    from matcher.io import read_policy

    if policy_file is None and (instance_dir / "policy.toml").is_file():
        policy_file = instance_dir / "policy.toml"
    return read_policy(policy_file)


def _read(instance_dir: Path, policy_file: Path | None, region: str | None,
          progress: Progress, decisions: Path | None = None,
          previous: Path | None = None) -> tuple[Instance, Policy, InputReport]:
    from matcher.geo.region import restrict_to_region
    from matcher.io import read_instance_with_report
    from matcher.io.matched import read_previous

    instance, report = read_instance_with_report(instance_dir, decisions=decisions)
    policy = policy_for(instance_dir, policy_file)
    progress.input_read(report)
    if previous is not None:
        instance = instance.model_copy(update={"previous": read_previous(previous)})
    if region:
        instance = restrict_to_region(instance, region)
    return instance, policy, report


# --------------------------------------------------------------------------- generate


def instance_files() -> tuple[str, ...]:
    """Names of the files a generated instance folder holds (what ``--overwrite`` may replace)."""
    from matcher.io.read import TABLES

    return (*(f"{t.stem}.{ext}" for t in TABLES for ext in ("csv", "parquet")), "generator.json")


def generate(out: Path, *, region: str | None = None, students: int | None = None, seed: int = 1,
             preset: str | None = None, fmt: str = "csv", overwrite: bool = False) -> Instance:
    """Generate a realistic instance and write it to ``out`` with ``generator.json`` (its recipe).

    Raises
    ------
    InputError
        Without a region or preset, with an unknown format, or options the generator refuses.
    FileExistsError
        When ``out`` may not be written (:func:`matcher.io.folders.check_output_folder`).
    """
    from matcher.generator.synth import generate_instance
    from matcher.io import write_instance

    if region is None and preset is None:
        raise InputError("give --region AMxx or --preset national")
    if fmt not in ("csv", "parquet"):
        raise InputError(f"unknown format {fmt!r}; use csv or parquet", column="--format")
    # Refuse before generating; an instance folder is replaced only whole, never one with other files.
    check_output_folder(out, instance_files(), "instance", overwrite=overwrite)
    options = {"seed": seed, "region": region, "preset": preset}
    if students is not None:
        options["students"] = students
    try:
        instance = generate_instance(**options)
    except ValueError as error:
        raise InputError(str(error)) from None
    recipe = {"region": region, "preset": preset, "students": students, "seed": seed}
    write_instance(instance, out, fmt=fmt, overwrite=overwrite,
                   also={"generator.json": (json.dumps(recipe, indent=2) + "\n").encode("utf-8")})
    return instance


# --------------------------------------------------------------------------- match and check


@dataclass(frozen=True)
class MatchRun:
    """A finished match: what was matched, the result as written, and its independent check."""

    instance: Instance
    policy: Policy
    input_report: InputReport
    result: Any  # matcher.engine.result.Result
    check: Any  # matcher.verify.checker.CheckReport
    out: Path


def match(instance_dir: Path, out: Path, *, region: str | None = None, policy_file: Path | None = None,
          certify: bool | None = None, jobs: int | None = None, compare_unweighted: bool = False,
          remedies: bool = False, decisions: Path | None = None, previous: Path | None = None,
          keep_previous: str | None = None, overwrite: bool = False,
          progress: Progress | None = None) -> MatchRun:
    """Read, solve (and find remedies), write the result folder once, and check it independently.

    ``summary.json`` gets, after the engine's own parts, the remedies counted
    by kind (with ``remedies``), the ``region`` matched and the generator's
    ``seed`` when the instance folder has a ``generator.json``.
    """
    from matcher.engine.result import RESULT_FILES
    from matcher.engine.solve import solve_in_detail
    from matcher.explain.remedy import find_remedies
    from matcher.io.matched import PREVIOUS_FILE, SOURCE_FILE, previous_bytes, source_bytes
    from matcher.verify.checker import check_result

    progress = progress or Silent()
    check_output_folder(out, RESULT_FILES, "result", overwrite=overwrite)  # before the work
    if previous is not None and Path(previous).resolve() == Path(out).resolve():
        raise InputError("--previous is the --out folder: write the new round to a folder of its own",
                         column="--previous")
    progress.stage("read")
    start = time.perf_counter()
    instance, policy, input_report = _read(instance_dir, policy_file, region, progress, decisions, previous)
    if compare_unweighted:
        policy = policy.model_copy(update={"compare_unweighted": True})
    if keep_previous is not None:
        if previous is None:
            raise InputError("--keep-previous needs --previous (the earlier round's result)",
                             column="--keep-previous")
        policy = Policy.model_validate({**policy.model_dump(), "keep_previous": keep_previous})
    read_seconds = _seconds(start)
    solved = solve_in_detail(instance, policy, certificate=certify, jobs=jobs, progress=progress.stage,
                             on_part_done=progress.advance, input_report=input_report)
    result = solved.result
    timings = {"read": read_seconds, **result.timings}
    if remedies:
        progress.stage("remedies")
        start = time.perf_counter()
        found = find_remedies(solved, jobs=jobs, progress=progress.advance)
        result = replace(result, unplaced=result.unplaced.merge(
            found[["student_id", "remedy", "remedy_detail"]], on="student_id", how="left", validate="1:1"))
        result.summary["remedies"] = {k: int(n) for k, n in sorted(found["remedy"].value_counts().items())}
        timings["remedies"] = _seconds(start)
    result.timings.clear()
    result.timings.update(timings)
    result.summary["region"] = region
    recipe = instance_dir / "generator.json"
    if recipe.is_file():
        result.summary["seed"] = json.loads(recipe.read_text(encoding="utf-8")).get("seed")
    progress.stage("write")
    also = {SOURCE_FILE: source_bytes(instance_dir, decisions)}
    if instance.previous:
        also[PREVIOUS_FILE] = previous_bytes(instance.previous)
    result.write(out, overwrite=overwrite, also=also)
    progress.stage("check")
    return MatchRun(instance, policy, input_report, result, check_result(instance, out, policy), out)


def check(instance_dir: Path, result_dir: Path, *, policy_file: Path | None = None, region: str | None = None,
          decisions: Path | None = None, progress: Progress | None = None):
    """Verify a result folder against every hard constraint, independently of the solver.

    Without ``region``, the region the result's ``summary.json`` records is used;
    without ``decisions``, the ``--decisions`` file its ``instance.json`` records.

    Returns
    -------
    matcher.verify.checker.CheckReport
    """
    from matcher.io.matched import PREVIOUS_FILE, SOURCE_FILE
    from matcher.verify.checker import check_result

    summary = result_dir / "summary.json"
    if region is None and summary.is_file():
        region = json.loads(summary.read_text(encoding="utf-8")).get("region")
    source = result_dir / SOURCE_FILE
    if decisions is None and source.is_file():
        recorded = json.loads(source.read_text(encoding="utf-8")).get("decisions")
        decisions = Path(recorded) if recorded else None
    previous = result_dir / PREVIOUS_FILE  # a round's result holds the previous placements it kept to
    instance, policy, _ = _read(instance_dir, policy_file, region, progress or Silent(), decisions,
                                previous if previous.is_file() else None)
    return check_result(instance, result_dir, policy)


# --------------------------------------------------------------------------- advise, suggest, report


def advice_files(result_dir: Path) -> tuple[Path, Path]:
    """Where :func:`advise` writes: the capacities and the (crebo, region, period) cells."""
    return result_dir / "advice.csv", result_dir / "advice_cells.csv"


def advise(result_dir: Path, *, instance_dir: Path | None = None, verify: int = 20, jobs: int | None = None,
           overwrite: bool = False):
    """Rank every capacity by the students one more unit would place; write the advice files.

    Returns
    -------
    (matcher.io.matched.Matched, matcher.explain.advice.Advice)
    """
    from matcher.engine.result import csv_bytes
    from matcher.engine.solve import solved_from_placements
    from matcher.explain.advice import advise as rank_capacities
    from matcher.io.matched import load_match

    files = advice_files(result_dir)
    for path in files:
        check_output_file(path, overwrite=overwrite)
    matched = load_match(result_dir, instance_dir)
    # The match's own placements, not a solve again; the advice proves what it relies on (see
    # matcher.engine.solve.solved_from_placements).
    solved = solved_from_placements(matched.instance, matched.policy, matched.result)
    advice = rank_capacities(solved, verify=verify, jobs=jobs)
    for path, frame in zip(files, (advice.capacities, advice.cells)):
        write_file(path, csv_bytes(frame))
    return matched, advice


def suggest(instance_dir: Path | None, school: str, *, student: str | None = None, k: int = 5,
            region: str | None = None, policy_file: Path | None = None, out: Path | None = None,
            overwrite: bool = False, jobs: int | None = None, progress: Progress | None = None,
            result_dir: Path | None = None):
    """A school's shortlists: each student's feasible places ranked by what they cost the optimum.

    With ``result_dir`` (a folder ``stagematch match`` wrote) the shortlists are of that match, read back
    instead of solved again; its instance is the recorded one unless ``instance_dir`` names it, and its
    region and policy are the match's.

    Returns
    -------
    matcher.explain.suggest.Shortlists
        Only the school's own students; written to ``out`` as CSV when given.
    """
    from matcher.engine.result import csv_bytes
    from matcher.engine.solve import solve_in_detail, solved_from_placements
    from matcher.explain.suggest import check_request, shortlists
    from matcher.io.matched import load_match

    if result_dir is not None and (region is not None or policy_file is not None):
        raise InputError("a match read back keeps its own region and policy: leave out --region and --policy",
                         column="--result")
    if result_dir is None and instance_dir is None:
        raise InputError("name the instance folder, or a match's result folder with --result", column="instance")
    if out is not None:  # before the work; never over the input files
        inputs = [p for p in (instance_dir, policy_file, result_dir) if p is not None]
        check_output_file(out, overwrite=overwrite, inputs=inputs)
    if result_dir is not None:
        matched = load_match(result_dir, instance_dir)
        check_request(matched.instance, school, student)
        # The match's own placements; ranking finds shortest-path potentials of the school's components,
        # which exist only where that match is optimal, so they prove it there.
        solved = solved_from_placements(matched.instance, matched.policy, matched.result)
    else:
        instance, policy, _ = _read(instance_dir, policy_file, region, progress or Silent())
        check_request(instance, school, student)  # before the solve, so a typo fails fast
        # No separate certificate: ranking finds shortest-path potentials of the
        # school's components, which exist only if their optimum has no negative cycle.
        solved = solve_in_detail(instance, policy, certificate=False, jobs=jobs)
    lists = shortlists(solved, school, student_id=student, k=k)
    if out is not None:
        write_file(out, csv_bytes(lists.table))
    return lists


def report(result_dir: Path, out: Path, *, instance_dir: Path | None = None, lang: str = "nl",
           overwrite: bool = False) -> list[Path]:
    """Write the shortage report (``report.html``, ``report.xlsx``, ``map.png``) of a result; return the files."""
    from matcher.io.matched import load_match
    from matcher.report import REPORT_FILES, write_report
    from matcher.report.texts import checked_language

    checked_language(lang)
    check_output_folder(out, REPORT_FILES, "report", overwrite=overwrite)
    return write_report(load_match(result_dir, instance_dir), out, lang, overwrite=overwrite)


# --------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class CalendarRun:
    """A finished calendar: the plan, today's and the proposed match, the files and the seconds."""

    plan: Any  # matcher.plan.calendar.CalendarPlan
    today: Any  # matcher.engine.result.Result
    proposed: Any
    written: list[Path]
    timings: dict[str, float]


def calendar(instance_dir: Path, out: Path, *, max_moves: int | None = 10, allowed_file: Path | None = None,
             only_listed: bool = False, policy_file: Path | None = None, jobs: int = 1,
             region: str | None = None, overwrite: bool = False, progress: Progress | None = None) -> CalendarRun:
    """Choose cohorts' periods to place the most students; solve today's and the proposed calendar; write."""
    from matcher.engine.solve import solve
    from matcher.io.allowed_file import read_allowed
    from matcher.plan.allowed import allowed_offsets
    from matcher.plan.calendar import optimise_calendar
    from matcher.plan.calendar_files import CALENDAR_FILES, write_calendar
    from matcher.plan.cohorts import shift_cohorts

    progress = progress or Silent()
    check_output_folder(out, CALENDAR_FILES, "calendar", overwrite=overwrite)  # before the work
    if only_listed and allowed_file is None:
        raise InputError("--only-listed needs --allowed FILE")

    def stage(name: str) -> None:
        if not name.startswith("step"):  # search steps take a fraction of a second each
            progress.stage(name)

    timings: dict[str, float] = {}
    stage("read")
    start = time.perf_counter()
    instance, policy, _ = _read(instance_dir, policy_file, region, progress)
    allowed = None
    if allowed_file is not None:
        allowed = allowed_offsets(instance, read_allowed(allowed_file, instance), only_listed=only_listed,
                                  file=allowed_file.name)
    timings["read"] = _seconds(start)
    plan = optimise_calendar(instance, policy, allowed=allowed, max_moves=max_moves, jobs=jobs, progress=stage)
    timings.update(plan.seconds)
    moved = shift_cohorts(instance, plan.shifts)
    results = {}
    for name, which in (("today", instance), ("proposed", moved)):
        stage(name)
        start = time.perf_counter()
        results[name] = solve(which, policy, jobs=jobs)
        timings[name] = _seconds(start)
    for name, value in (("today", plan.weighted_today), ("proposed", plan.weighted_proposed)):
        if results[name].weighted_placed != value:
            raise ModelError(f"the full solve of {name}'s calendar places {results[name].weighted_placed} "
                             f"weighted, the max flows {value}; please report this")
    stage("write")
    limits = {"region": region, "allowed_file": allowed_file.name if allowed_file else None,
              "only_listed": only_listed}
    written = write_calendar(out, instance, moved, plan, results["today"], results["proposed"], limits,
                             timings, overwrite=overwrite)
    return CalendarRun(plan, results["today"], results["proposed"], written, timings)


# --------------------------------------------------------------------------- simulate


@dataclass(frozen=True)
class SimulationRun:
    """A finished simulation: its result, the solves it took and the files written."""

    result: Any  # matcher.plan.simulate.SimulationResult
    solves: int
    written: list[Path]
    timings: dict[str, Any]


def simulate(instance_dir: Path, scenario_file: Path, out: Path, *, runs: int = 50,
             policy_file: Path | None = None, jobs: int | None = None, executor: str = "local",
             dask_address: str | None = None, certify: bool = True, lang: str = "nl", overwrite: bool = False,
             progress: Progress | None = None) -> SimulationRun:
    """Run the baseline and each scenario of ``scenario_file``; write the simulation folder."""
    from matcher.engine.parallel import worker_count
    from matcher.io import read_instance
    from matcher.io.scenario_file import read_scenario_file
    from matcher.plan.executors import make_executor
    from matcher.plan.season import check_season
    from matcher.plan.simulate import Simulation, planned_work
    from matcher.plan.simulate import simulate as run_simulation
    from matcher.plan.simulation_folder import SIMULATION_FILES, simulation_files, write_simulation
    from matcher.report.texts import checked_language

    progress = progress or Silent()
    checked_language(lang)
    if executor not in ("local", "dask"):
        raise InputError(f"unknown executor {executor!r}; use local or dask", column="--executor")
    if dask_address is not None and executor != "dask":
        raise InputError("--dask-address needs --executor dask", column="--dask-address")
    # Refuse before the work; checked again when moving into place.
    check_output_folder(out, SIMULATION_FILES, "simulation", overwrite=overwrite)
    timings: dict[str, Any] = {}
    start = time.perf_counter()
    scenarios = read_scenario_file(scenario_file)
    progress.stage("read")
    simulation = Simulation(read_instance(instance_dir), policy_for(instance_dir, policy_file), scenarios,
                            certificate=certify, file=scenario_file.name)
    for k in range(len(simulation.names)):
        simulation.prepared(k)  # a scenario that does not fit fails here, before any run
    if simulation.scenarios.season is not None:
        check_season(simulation.instance, simulation.scenarios.season, scenario_file.name)
    timings["read_and_apply"] = _seconds(start)
    tasks, solves = planned_work(simulation, runs)
    progress.stage("runs")
    start = time.perf_counter()
    done = _Counter(progress, tasks)  # progress in tasks: a run, or a whole season of rounds
    with make_executor(executor, worker_count(jobs), dask_address) as pool:
        result = run_simulation(simulation, runs, pool, on_run_done=done)
    timings["runs"] = _seconds(start)
    start = time.perf_counter()
    files = simulation_files(simulation, result, scenario_file.name, lang)
    timings["charts_and_tables"] = _seconds(start)
    timings |= {"solves": solves, "executor": executor, "jobs": worker_count(jobs)}
    written = write_simulation(out, files, timings, overwrite=overwrite)
    return SimulationRun(result, solves, written, timings)


class _Counter:
    """Counts finished runs into :meth:`Progress.advance`."""

    def __init__(self, progress: Progress, total: int) -> None:
        self._progress, self._total, self._done = progress, total, 0

    def __call__(self) -> None:
        self._done += 1
        self._progress.advance(self._done, self._total)


__all__ = ["CalendarRun", "MatchRun", "Progress", "Silent", "SimulationRun", "advice_files", "advise",
           "calendar", "check", "generate", "instance_files", "match", "policy_for", "report", "simulate",
           "suggest"]
