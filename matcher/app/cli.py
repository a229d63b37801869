"""The ``stagematch`` command line: demo, generate, match, check, advise, suggest, report, calendar, simulate."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from matcher.app.terminal import LiteralConsole, fitted, new_table, styled
from matcher.engine.parallel import worker_count
from matcher.errors import InputError, ModelError
from matcher.io.folders import check_output_file, check_output_folder, write_file

app = typer.Typer(
    help="Optimal matching of mbo students to internship (BOL) and apprenticeship (BBL) places.",
    no_args_is_help=True,
    add_completion=False,
)
# Ids come from users' files: every string is printed literally (no markup, links or emoji).
console = LiteralConsole()
err_console = LiteralConsole(stderr=True)

STAGE_LABELS = {
    "read": "Reading and validating the instance",
    "problem": "Indexing students and vacancies",
    "candidates": "Finding eligible places within reach",
    "build": "Building the flow network",
    "split": "Splitting into independent components",
    "solve": "Solving and certifying (OR-Tools max and min-cost flows)",
    "remedies": "Finding a verified remedy for each unplaced student",
    "result": "Assembling placements and reasons",
    "write": "Writing the result",
    "check": "Checking the result independently",
}


def _print_version(asked: bool) -> None:
    if asked:
        from importlib import metadata

        console.print(f"stagematch {metadata.version('stagematch')}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print the version and stop.")] = False,
) -> None:
    """Optimal matching of mbo students to internship (BOL) and apprenticeship (BBL) places."""


def _fail(error: Exception) -> None:
    err_console.print(styled(("error:", "bold red"), f" {error}"))
    raise typer.Exit(code=2)


def _bundled_instance(name: str) -> Path:
    """A bundled instance: in the package (wheel) or in the repository (editable install)."""
    package = Path(__file__).resolve().parents[1]  # matcher/, one level above app/
    # The wheel force-includes the repository's instances/ as matcher/_instances (pyproject.toml).
    for candidate in (package / "_instances" / name, package.parent / "instances" / name):
        if candidate.is_dir():
            return candidate
    raise InputError(f"bundled instance {name!r} not found")


def _instance_files() -> tuple[str, ...]:
    """Names of the files a generated instance folder holds."""
    from matcher.io.read import TABLES

    return (*(f"{t.stem}.{ext}" for t in TABLES for ext in ("csv", "parquet")), "generator.json")


def print_input_warnings(report, limit: int = 10) -> None:
    """Print the reader's warnings (at most ``limit`` lines; all are in summary.json)."""
    for warning in report.warnings[:limit]:
        err_console.print(styled(("warning:", "yellow"), f" {warning}"))
    if len(report.warnings) > limit:
        err_console.print(f"... and {len(report.warnings) - limit} more warnings in summary.json")


def _policy_for(instance_dir: Path, policy_file: Path | None):
    from matcher.io import read_policy

    if policy_file is None and (instance_dir / "policy.toml").is_file():
        policy_file = instance_dir / "policy.toml"
    return read_policy(policy_file)


class _StageProgress:
    """A rich progress display with one line per stage, ticked off as stages finish."""

    def __init__(self, enabled: bool) -> None:
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
            console=err_console, disable=not enabled, transient=False,
        )
        self._current = None

    def __enter__(self):
        self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        self._finish()
        self._progress.__exit__(*exc)

    def _finish(self) -> None:
        if self._current is not None:
            self._progress.update(self._current, completed=1)
            self._current = None

    def __call__(self, stage: str) -> None:
        self._finish()
        self._current = self._progress.add_task(STAGE_LABELS.get(stage, stage), total=1)

    def arcs_solved(self, done: int, total: int) -> None:
        """Advance the solve stage's bar by arcs solved (components finish unevenly)."""
        if self._current is not None:
            self._progress.update(self._current, total=total, completed=min(done, total - 1))


def default_jobs() -> int:
    """The cores this process may use (every pool caps ``--jobs`` at this)."""
    from matcher.engine.parallel import usable_cores

    return usable_cores()


def run_match(instance_dir: Path, out: Path, region: str | None, policy_file: Path | None,
              certify: bool | None, show_progress: bool, jobs: int | None = None,
              compare_unweighted: bool = False, remedies: bool = False, overwrite: bool = False):
    """Read, solve, (find remedies,) write and check; return (result, check report)."""
    import dataclasses
    import time

    from matcher.engine.result import RESULT_FILES
    from matcher.engine.solve import solve_in_detail
    from matcher.explain.remedy import find_remedies
    from matcher.geo.region import restrict_to_region
    from matcher.io import read_instance_with_report
    from matcher.io.matched import write_source
    from matcher.verify.checker import check_result

    check_output_folder(out, RESULT_FILES, "result", overwrite=overwrite)  # before the work
    with _StageProgress(show_progress) as progress:
        progress("read")
        start = time.perf_counter()
        instance, input_report = read_instance_with_report(instance_dir)
        policy = _policy_for(instance_dir, policy_file)
        print_input_warnings(input_report)
        if compare_unweighted:
            policy = policy.model_copy(update={"compare_unweighted": True})
        if region:
            instance = restrict_to_region(instance, region)
        read_seconds = time.perf_counter() - start
        solved = solve_in_detail(instance, policy, certificate=certify, jobs=jobs or default_jobs(),
                                 progress=progress, on_part_done=progress.arcs_solved,
                                 input_report=input_report)
        result = solved.result
        timings = {"read": round(read_seconds, 4), **result.timings}
        if remedies:
            progress("remedies")
            start = time.perf_counter()
            found = find_remedies(solved, jobs=jobs or default_jobs(), progress=progress.arcs_solved)
            result = dataclasses.replace(result, unplaced=result.unplaced.merge(
                found[["student_id", "remedy", "remedy_detail"]], on="student_id", how="left", validate="1:1"))
            result.summary["remedies"] = {k: int(n) for k, n in sorted(found["remedy"].value_counts().items())}
            timings["remedies"] = round(time.perf_counter() - start, 4)
        result.timings.clear()
        result.timings.update(timings)
        result.summary["region"] = region
        seed_file = instance_dir / "generator.json"
        if seed_file.is_file():
            result.summary["seed"] = json.loads(seed_file.read_text(encoding="utf-8")).get("seed")
        progress("write")
        start = time.perf_counter()
        result.write(out, overwrite=overwrite)
        result.timings["write"] = round(time.perf_counter() - start, 4)
        (out / "timings.json").write_text(json.dumps(result.timings, indent=2) + "\n", encoding="utf-8")
        write_source(out, instance_dir)
        progress("check")
        report = check_result(instance, out, policy)
    return result, report


def print_summary(result, report=None) -> None:
    """Print the summary tables of a result."""
    s = result.summary
    counts = s["counts"]
    if not counts["students"]:
        scope = f"region {s['region']}" if s.get("region") else "this instance"
        console.print(f"No students in {scope}: there is nothing to place (no placement rate).")
    table = new_table(f"stagematch — {s['instance']}")
    table.add_column("students", justify="left")
    table.add_column("total", justify="right")
    table.add_column("placed", justify="right")
    table.add_column("unplaced", justify="right")
    table.add_column("%", justify="right")  # placed; narrow, so that sector names fit 80 columns

    def row(label, c):
        rate = f"{100.0 * c['placed'] / c['students']:.1f}" if c["students"] else "–"
        table.add_row(label, f"{c['students']:,}", f"{c['placed']:,}", f"{c['unplaced']:,}", rate)

    row("all", {"students": counts["students"], "placed": counts["placed"], "unplaced": counts["unplaced"]})
    for tier, c in counts["by_tier"].items():
        row(f"{tier} tier", c)
    for level, c in counts["by_level"].items():
        row({"1": "Entree (level 1)"}.get(level, f"level {level}"), c)
    for pathway, c in counts["by_pathway"].items():
        row(pathway, c)
    for sector, c in counts["by_sector"].items():
        row(sector, c)
    console.print(fitted(console, table))

    reasons = new_table("Unplaced by reason")
    reasons.add_column("reason")
    reasons.add_column("students", justify="right")
    for reason, n in counts["unplaced_by_reason"].items():
        reasons.add_row(reason, f"{n:,}")
    console.print(fitted(console, reasons))

    obj = s["objective"]
    console.print(
        f"Objective: weighted placed {obj['weighted_placed']:,}, secondary cost "
        f"{obj['secondary_cost']:,} (travel {obj['parts']['travel']:,}, wish "
        f"{obj['parts']['wish']:,}, period {obj['parts']['period']:,}, duo {obj['parts']['duo']:,})"
    )
    proof = s["proof"]
    if proof["proven_optimal"]:
        console.print(
            f"Proven optimal: at most {proof['max_placed_bound']:,} students can be placed "
            f"(a cut certifies it) and {proof['max_placed']:,} are; no placement of that weight "
            f"costs less than {proof['secondary_cost_bound']:,} (a dual bound certifies it)."
        )
    else:
        console.print("Optimal (certificates not computed: --no-certify).")
    price = s["price_of_priority"]
    line = (f"Price of priority: an unweighted run places {price['extra_students_without_priority']:,} "
            "more students")
    if price["compared_unweighted_optimum"]:
        shift = price["priority_tier_placed_with_priority"] - price["priority_tier_placed_without_priority"]
        extra = price["secondary_cost_with_priority"] - price["secondary_cost_without_priority"]
        line += (f" and {shift:,} fewer from the priority tier; priority costs {extra:,} in "
                 "secondary cost (travel, wishes, periods, duo).")
    else:
        line += "; --compare-unweighted shows whom priority displaces and at what cost."
    console.print(line)
    if report is not None:
        verdict = ("passed", "green") if report.ok else (f"{len(report.violations)} violations", "red")
        console.print(styled("Independent check: ", verdict, "."))
    console.print("Timings (s): " + ", ".join(f"{k} {v:.2f}" for k, v in result.timings.items()))


def _match_and_report(instance_dir: Path, out: Path, region, policy_file, certify, show_progress,
                      jobs: int | None = None, compare_unweighted: bool = False, remedies: bool = False,
                      overwrite: bool = False) -> None:
    """Run a match, print its summary, and exit 1 if the independent check fails."""
    from matcher.verify.checker import format_report

    try:
        result, report = run_match(instance_dir, out, region, policy_file, certify, show_progress, jobs,
                                   compare_unweighted, remedies, overwrite)
    except (InputError, ModelError, OSError) as error:  # OSError: FileExistsError, a full disk, ...
        _fail(error)
    print_summary(result, report)
    console.print(f"Result written to {out}")
    if not report.ok:
        console.print(format_report(report))
        raise typer.Exit(code=1)


@app.command()
def match(
    instance: Annotated[Path, typer.Argument(help="Instance folder (students.csv, vacancies.csv, ...).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Result folder to write.")],
    region: Annotated[Optional[str], typer.Option(help="Only this region, e.g. AM13.")] = None,
    policy: Annotated[Optional[Path], typer.Option(help="policy.toml (default: the instance's own).")] = None,
    certify: Annotated[bool, typer.Option("--certify/--no-certify",
                       help="Certify optimality (cuts and dual bounds).")] = True,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1,
                    help="Processes for the independent components (default and most: all cores).")] = None,
    compare_unweighted: Annotated[bool, typer.Option(
        "--compare-unweighted",
        help="Also solve without priority weights: whom priority displaces, at what cost.")] = False,
    remedies: Annotated[bool, typer.Option(
        "--remedies",
        help="Add to unplaced.csv the cheapest verified single change that places each student.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an earlier result in the --out folder.")] = False,
) -> None:
    """Match an instance's students to its vacancies and write the result folder."""
    _match_and_report(instance, out, region, policy, certify, not quiet, jobs, compare_unweighted, remedies,
                      overwrite)


@app.command()
def demo(
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Where to write the result.")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an earlier result in the --out folder.")] = False,
) -> None:
    """Run the batch match on the bundled demo instance (region Midden-Utrecht, AM13)."""
    instance = _bundled_instance("demo")
    out = out or Path(tempfile.mkdtemp(prefix="stagematch-demo-")) / "result"
    console.print(f"Demo instance: {instance}")
    _match_and_report(instance, out, None, None, None, sys.stderr.isatty(), overwrite=overwrite)


@app.command()
def generate(
    out: Annotated[Path, typer.Argument(help="Instance folder to create.")],
    region: Annotated[Optional[str], typer.Option(help="Region code, e.g. AM13.")] = None,
    students: Annotated[Optional[int], typer.Option(help="Number of students.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    preset: Annotated[Optional[str], typer.Option(help="'national' for all 35 regions.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
    overwrite: Annotated[bool, typer.Option(help="Replace an existing instance folder.")] = False,
) -> None:
    """Generate a realistic synthetic instance from real Dutch geography."""
    from matcher.generator.synth import generate_instance
    from matcher.io import write_instance

    if region is None and preset is None:
        _fail(InputError("give --region AMxx or --preset national"))
    if fmt not in ("csv", "parquet"):
        _fail(InputError(f"unknown format {fmt!r}; use csv or parquet", column="--format"))
    try:  # refuse before generating; an instance folder is replaced only whole, never one with other files
        check_output_folder(out, _instance_files(), "instance", overwrite=overwrite)
    except FileExistsError as error:
        _fail(error)
    kwargs = {"seed": seed, "region": region, "preset": preset}
    if students is not None:
        kwargs["students"] = students
    with err_console.status("Generating instance"):
        try:
            instance = generate_instance(**kwargs)
        except (ValueError, InputError) as error:
            _fail(error)
    try:
        write_instance(instance, out, fmt=fmt, overwrite=overwrite)
    except (FileExistsError, InputError) as error:
        _fail(error)
    (out / "generator.json").write_text(
        json.dumps({"region": region, "preset": preset, "students": students, "seed": seed}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    console.print(
        f"Wrote {out}: {len(instance.students):,} students, {len(instance.vacancies):,} vacancies, "
        f"{sum(v.places for v in instance.vacancies):,} places per period."
    )


@app.command()
def check(
    instance: Annotated[Path, typer.Argument(help="Instance folder.")],
    result: Annotated[Path, typer.Argument(help="Result folder written by 'stagematch match'.")],
    policy: Annotated[Optional[Path], typer.Option(help="policy.toml used for the match.")] = None,
    region: Annotated[Optional[str], typer.Option(help="The --region the match used.")] = None,
) -> None:
    """Verify a result against every hard constraint, independently of the solver."""
    from matcher.geo.region import restrict_to_region
    from matcher.io import read_instance_with_report
    from matcher.verify.checker import check_result, format_report

    try:
        inst, input_report = read_instance_with_report(instance)
        pol = _policy_for(instance, policy)
        print_input_warnings(input_report)
        summary_file = result / "summary.json"
        if region is None and summary_file.is_file():
            region = json.loads(summary_file.read_text(encoding="utf-8")).get("region")
        if region:
            inst = restrict_to_region(inst, region)
        report = check_result(inst, result, pol)
    except (InputError, FileNotFoundError) as error:
        _fail(error)
    if report.ok:
        console.print(
            styled(("OK", "green"), f": {report.n_placed:,} placements and {report.n_unplaced:,} unplaced students; "
                   "every hard constraint holds and every student appears exactly once.")
        )
        return
    console.print(format_report(report))
    raise typer.Exit(code=1)


@app.command()
def advise(
    result: Annotated[Path, typer.Argument(help="Result folder written by 'stagematch match'.")],
    instance: Annotated[Optional[Path], typer.Option(
        help="The matched instance (default: the one recorded in the result).")] = None,
    verify: Annotated[int, typer.Option(min=0, help="Re-solve this many of the best capacities to verify them.")] = 20,
    top: Annotated[int, typer.Option(min=1, help="Rows to print.")] = 15,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace earlier advice files.")] = False,
) -> None:
    """Recruitment advice: which extra place or supervision slot would place the most students.

    Writes advice.csv (capacities) and advice_cells.csv (crebo, region, period)
    into the result folder.
    """
    from matcher.engine.result import csv_bytes
    from matcher.engine.solve import solve_in_detail
    from matcher.explain.advice import advise as rank_capacities
    from matcher.io.matched import load_match

    advice_files = (result / "advice.csv", result / "advice_cells.csv")
    try:
        for path in advice_files:
            check_output_file(path, overwrite=overwrite)
        matched = load_match(result, instance)
    except (InputError, FileExistsError) as error:
        _fail(error)
    with console.status("Solving the match again and screening every capacity ..."):
        try:
            solved = solve_in_detail(matched.instance, matched.policy, certificate=False, jobs=default_jobs())
        except ModelError as error:  # e.g. too large for the memory available now
            _fail(error)
        if (solved.result.weighted_placed, solved.result.secondary_cost) != (
                matched.result.weighted_placed, matched.result.secondary_cost):
            _fail(ModelError("solving the instance again does not reproduce the result; match it again"))
        advice = rank_capacities(solved, verify=verify)
    for path, frame in zip(advice_files, (advice.capacities, advice.cells)):
        write_file(path, csv_bytes(frame))
    weights = matched.policy.weights
    table = new_table("One more unit of capacity: students it would place",
                      caption=f"weighted: priority tier {weights.priority}, others {weights.regular}; "
                              "~ an estimate, the others re-solved")
    for column in ("rank", "one more", "at", "crebos", "periods", "students", "weighted"):
        table.add_column(column, justify="right" if column in ("rank", "students", "weighted") else "left")
    for row in advice.capacities.head(top).itertuples():
        students = row.extra_students if row.verified else row.predicted_students
        weighted = row.extra_weighted if row.verified else row.predicted_weighted
        mark = "" if row.verified else "~"  # an estimate; re-solved figures stand as they are
        table.add_row(str(row.rank), row.kind, row.target_id, row.crebos, row.periods,
                      f"{mark}{students:,}", f"{mark}{weighted:,}")
    console.print(fitted(console, table, wrap=("crebos", "periods")))
    cells = new_table("Where to recruit: one more place per (crebo, region, period)")
    for column in ("rank", "crebo", "region", "period", "weighted gain", "capacities", "unplaced"):
        cells.add_column(column, justify="left" if column in ("crebo", "region", "period") else "right")
    for row in advice.cells.head(top).itertuples():
        cells.add_row(str(row.rank), row.crebo, row.region, row.period_id, f"{row.best_extra_weighted:,}",
                      f"{row.capacities:,}", f"{row.unplaced_students:,}")
    console.print(fitted(console, cells))
    console.print(f"Wrote {result / 'advice.csv'} ({len(advice.capacities):,} capacities) and "
                  f"{result / 'advice_cells.csv'} ({len(advice.cells):,} cells).")


@app.command()
def suggest(
    instance: Annotated[Path, typer.Argument(help="Instance folder (students.csv, vacancies.csv, ...).")],
    school: Annotated[str, typer.Option("--school", help="The school asking (its school_id).")],
    student: Annotated[Optional[str], typer.Option(help="Only this student of the school.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, help="Places per student.")] = 5,
    region: Annotated[Optional[str], typer.Option(help="Only this region, e.g. AM13.")] = None,
    policy: Annotated[Optional[Path], typer.Option(help="policy.toml (default: the instance's own).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="CSV file for every shortlist.")] = None,
    show: Annotated[int, typer.Option(min=0, help="Students whose shortlists are printed.")] = 20,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1,
                    help="Processes for the independent components (default and most: all cores).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing --out file.")] = False,
) -> None:
    """Shortlists for a school: each student's feasible places, ranked by what they cost the regional optimum.

    Only the school's own students appear; what a place does to others is said
    in words (a free place, moves N other students, ...), never who they are.
    """
    import pandas as pd

    from matcher.engine.result import csv_bytes
    from matcher.engine.solve import solve_in_detail
    from matcher.explain.suggest import check_request, shortlists
    from matcher.geo.region import restrict_to_region
    from matcher.io import read_instance

    try:
        if out is not None:  # before the work; never over the instance's own files
            check_output_file(out, overwrite=overwrite, inputs=[instance] + ([policy] if policy else []))
        inst = read_instance(instance)
        pol = _policy_for(instance, policy)
        if region:
            inst = restrict_to_region(inst, region)
        check_request(inst, school, student)  # before the solve, so a typo fails fast
        with err_console.status("Solving the optimum and ranking each student's places ..."):
            # No separate certificate: ranking finds shortest-path potentials of the
            # school's components, which exist only if their optimum has no negative cycle.
            solved = solve_in_detail(inst, pol, certificate=False, jobs=jobs or default_jobs())
            lists = shortlists(solved, school, student_id=student, k=k)
    except (InputError, ModelError, FileExistsError) as error:
        _fail(error)
    rows = lists.table
    shown_students = rows["student_id"].drop_duplicates().head(show)
    table = new_table(f"Shortlists for {school}: up to {k} places per student")
    for column in ("#", "vacancy", "period", "min", "wish", "lost", "extra", "effect"):
        # Ids never wrap; the effect text takes what width is left (the CSV has the company too).
        table.add_column(column, justify="right" if column in ("#", "min", "wish", "lost", "extra") else "left")
    previous = None
    for row in rows[rows["student_id"].isin(shown_students)].itertuples():
        if row.student_id != previous:  # each student's block opens with its id
            table.add_row("", styled((row.student_id, "bold")))
            previous = row.student_id
        table.add_row(str(row.rank), row.vacancy_id, row.period_id, str(row.travel_min),
                      "" if pd.isna(row.wish_rank) else str(row.wish_rank),
                      f"{row.lost_weighted_placements:,}", f"{row.extra_secondary_cost:,}", row.effect)
    console.print(fitted(console, table, wrap=("effect",)))
    console.print("min = travel minutes; lost = priority-weighted placements the optimum loses; "
                  "extra = added travel, wish, period and duo cost.")
    hidden = rows["student_id"].nunique() - len(shown_students)
    if hidden:
        console.print(f"{hidden:,} more students' shortlists are not shown" +
                      ("; they are in the CSV." if out else "; write them all with --out FILE.csv."))
    asked = f"{lists.n_students:,} student" + ("s" if lists.n_students != 1 else "")
    console.print(f"{asked} asked about, {lists.n_unplaced:,} unplaced in the optimum, "
                  f"{lists.n_without_places:,} without any feasible place (see 'stagematch match' "
                  "for the reason).")
    if out is not None:
        try:
            write_file(out, csv_bytes(rows))
        except OSError as error:
            _fail(error)
        console.print(f"Wrote {out} ({len(rows):,} rows).")


@app.command()
def report(
    result: Annotated[Path, typer.Argument(help="Result folder written by 'stagematch match'.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Report folder to write.")],
    instance: Annotated[Optional[Path], typer.Option(
        help="The matched instance (default: the one recorded in the result).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the report: nl (Dutch) or en (English).")] = "nl",
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an earlier report in the --out folder.")] = False,
) -> None:
    """Shortage report: report.xlsx and a self-contained report.html (small counts protected)."""
    from matcher.io.matched import load_match
    from matcher.report import REPORT_FILES, write_report
    from matcher.report.texts import checked_language

    try:
        checked_language(lang)
        check_output_folder(out, REPORT_FILES, "report", overwrite=overwrite)
        matched = load_match(result, instance)
        with err_console.status("Writing the report"):
            written = write_report(matched, out, lang, overwrite=overwrite)
    except (InputError, OSError) as error:
        _fail(error)
    console.print("Wrote " + " and ".join(str(path) for path in written) + ".")


CALENDAR_STAGES = {
    "read": "Reading and validating the instance",
    "relax": "Building the relaxed network (every allowed period of every cohort)",
    "bound": "Bounding every calendar (max flows of the relaxation)",
    "search": "Searching cohort moves (exact max flows, cut-screened)",
    "today": "Solving today's calendar",
    "proposed": "Solving the proposed calendar",
    "write": "Writing the calendar",
}


def run_calendar(instance_dir: Path, out: Path, max_moves: int | None, allowed_file: Path | None,
                 only_listed: bool, policy_file: Path | None, jobs: int, show_progress: bool,
                 region: str | None = None, overwrite: bool = False):
    """Read, optimise the calendar, solve today's and the proposed calendar, write; return the plan,
    both results and the files written."""
    import time

    from matcher.engine.solve import solve
    from matcher.geo.region import restrict_to_region
    from matcher.io import read_instance
    from matcher.io.allowed_file import read_allowed
    from matcher.plan.allowed import allowed_offsets
    from matcher.plan.calendar import optimise_calendar
    from matcher.plan.calendar_files import CALENDAR_FILES, write_calendar
    from matcher.plan.cohorts import shift_cohorts

    check_output_folder(out, CALENDAR_FILES, "calendar", overwrite=overwrite)  # before the work
    timings: dict[str, float] = {}
    with _StageProgress(show_progress) as progress:
        def stage(name: str) -> None:
            if not name.startswith("step"):  # search steps take a fraction of a second each
                progress(CALENDAR_STAGES.get(name, name))

        stage("read")
        start = time.perf_counter()
        instance = read_instance(instance_dir)
        policy = _policy_for(instance_dir, policy_file)
        if region:
            instance = restrict_to_region(instance, region)
        allowed = None
        if allowed_file is not None:
            allowed = allowed_offsets(instance, read_allowed(allowed_file, instance), only_listed=only_listed,
                                      file=allowed_file.name)
        elif only_listed:
            raise InputError("--only-listed needs --allowed FILE")
        timings["read"] = round(time.perf_counter() - start, 4)
        plan = optimise_calendar(instance, policy, allowed=allowed, max_moves=max_moves, jobs=jobs,
                                 progress=stage)
        timings.update(plan.seconds)
        moved = shift_cohorts(instance, plan.shifts)
        results = {}
        for name, which in (("today", instance), ("proposed", moved)):
            stage(name)
            start = time.perf_counter()
            results[name] = solve(which, policy, jobs=jobs)
            timings[name] = round(time.perf_counter() - start, 4)
        for name, value in (("today", plan.weighted_today), ("proposed", plan.weighted_proposed)):
            if results[name].weighted_placed != value:
                raise ModelError(f"the full solve of {name}'s calendar places {results[name].weighted_placed} "
                                 f"weighted, the max flows {value}; please report this")
        stage("write")
        start = time.perf_counter()
        limits = {"region": region, "allowed_file": allowed_file.name if allowed_file else None,
                  "only_listed": only_listed}
        timings["write"] = 0.0
        written = write_calendar(out, instance, moved, plan, results["today"], results["proposed"], limits,
                                 timings, overwrite=overwrite)
        timings["write"] = round(time.perf_counter() - start, 4)
        (out / "timings.json").write_text(json.dumps(timings, indent=2) + "\n", encoding="utf-8")
    return plan, results["today"], results["proposed"], written, timings


@app.command()
def calendar(
    instance: Annotated[Path, typer.Argument(help="Instance folder (students.csv, vacancies.csv, ...).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Calendar folder to write.")],
    max_moves: Annotated[int, typer.Option("--max-moves", min=0,
                         help="Move at most this many cohorts (school × crebo × year).")] = 10,
    allowed: Annotated[Optional[Path], typer.Option(
        "--allowed", help="CSV of school_id, crebo, year, periods: where cohorts may move "
                          "(default: anywhere within the school year).")] = None,
    only_listed: Annotated[bool, typer.Option(
        "--only-listed", help="Cohorts no row of --allowed matches stay as today.")] = False,
    region: Annotated[Optional[str], typer.Option(help="Only this region, e.g. AM13.")] = None,
    policy: Annotated[Optional[Path], typer.Option(help="policy.toml (default: the instance's own).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1,
                    help="Threads that evaluate moves, processes for the two full solves; the "
                         "calendar does not depend on it.")] = 1,
    show: Annotated[int, typer.Option(min=0, help="Moved cohorts to print.")] = 20,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an earlier calendar in the --out folder.")] = False,
) -> None:
    """Choose cohorts' internship periods to place the most students (priority weighted).

    Each cohort keeps the length and order of its period lists and shifts as a
    whole; the result is proven optimal when it reaches the relaxation bound.
    """
    try:
        plan, today, proposed, _, timings = run_calendar(instance, out, max_moves, allowed, only_listed, policy,
                                                         jobs, not quiet, region, overwrite)
    except (InputError, ModelError, OSError, ValueError) as error:
        _fail(error)
    table = new_table(f"Proposed calendar: {len(plan.shifts):,} of {len(plan.allowed):,} cohorts moved")
    for column in ("#", "school", "crebo", "year", "students", "shift", "gain"):
        table.add_column(column, justify="left" if column in ("school", "crebo") else "right")
    for i, move in enumerate(plan.moves[:show], start=1):
        table.add_row(str(i), move.cohort.school_id, move.cohort.crebo, str(move.cohort.year),
                      f"{plan.students[move.cohort]:,}", f"{move.offset:+d}", f"{move.gain:,}")
    console.print(fitted(console, table))
    if len(plan.moves) > show:
        console.print(f"{len(plan.moves) - show:,} more moves in calendar.csv.")

    def line(label: str, r) -> str:
        c = r.summary["counts"]
        return f"{label}: weighted placed {r.weighted_placed:,} ({c['placed']:,} placed, {c['unplaced']:,} unplaced)"

    console.print(line("Today   ", today))
    console.print(line("Proposed", proposed) + f", gain {plan.gain:,}")
    if plan.proven:
        console.print(f"Proven optimal: no calendar within the limits places more than {plan.weighted_bound:,} "
                      "weighted (relaxation bound).")
    else:
        console.print(f"Bound: no calendar within the limits places more than {plan.weighted_bound:,} weighted "
                      f"(gap {plan.gap:,}; {plan.components_at_bound} of {plan.components} components at "
                      "their bound).")
    console.print(f"Search: {plan.steps} steps, {plan.evaluations:,} exact evaluations, "
                  f"{plan.screened_out:,} moves screened out by cuts.")
    console.print("Timings (s): " + ", ".join(f"{k} {v:.2f}" for k, v in timings.items()))
    console.print(f"Calendar written to {out}")


@app.command()
def simulate(
    instance: Annotated[Path, typer.Argument(help="Instance folder (the baseline).")],
    scenario: Annotated[Path, typer.Argument(help="Scenario file (.toml): moves, places, duo, dropout.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Simulation folder to write.")],
    runs: Annotated[int, typer.Option(min=1, help="Runs of each scenario with dropout (others run once).")] = 50,
    policy: Annotated[Optional[Path], typer.Option(help="policy.toml (default: the instance's own).")] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1,
                    help="Runs in parallel: processes, or local Dask workers (default: all cores).")] = None,
    executor: Annotated[str, typer.Option(help="Where runs execute: local (process pool) or dask.")] = "local",
    dask_address: Annotated[Optional[str], typer.Option(
        help="Dask scheduler address (tcp://host:8786); default: a local Dask cluster.")] = None,
    certify: Annotated[bool, typer.Option("--certify/--no-certify",
                       help="Certify every run's optimality (cuts and dual bounds).")] = True,
    lang: Annotated[str, typer.Option("--lang", help="Language of summary.html and the charts: nl (Dutch) "
                                                      "or en (English).")] = "nl",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an earlier simulation in the --out folder.")] = False,
) -> None:
    """Run the baseline and each scenario: placed with 95 % intervals, shortages, who gains or loses."""
    import time

    from matcher.io import read_instance
    from matcher.io.scenario_file import read_scenario_file
    from matcher.plan.executors import make_executor
    from matcher.plan.simulate import Simulation, plan_runs
    from matcher.plan.simulate import simulate as run_simulation
    from matcher.plan.simulation_folder import SIMULATION_FILES, simulation_files, write_simulation
    from matcher.report.texts import checked_language

    try:
        checked_language(lang)
    except InputError as error:
        _fail(error)
    if executor not in ("local", "dask"):
        _fail(InputError(f"unknown executor {executor!r}; use local or dask", column="--executor"))
    if dask_address is not None and executor != "dask":
        _fail(InputError("--dask-address needs --executor dask", column="--dask-address"))
    timings: dict[str, float] = {}
    start = time.perf_counter()
    try:
        # Refuse before the work; checked again when moving into place.
        check_output_folder(out, SIMULATION_FILES, "simulation", overwrite=overwrite)
        scenarios = read_scenario_file(scenario)
        with err_console.status("Reading the instance and applying the scenarios"):
            simulation = Simulation(read_instance(instance), _policy_for(instance, policy), scenarios,
                                    certificate=certify, file=scenario.name)
            for k in range(len(simulation.names)):
                simulation.prepared(k)  # a scenario that does not fit fails here, before any run
        timings["read_and_apply"] = round(time.perf_counter() - start, 4)
        n_runs = len(plan_runs(simulation, runs))
        start = time.perf_counter()
        with make_executor(executor, jobs or default_jobs(), dask_address) as pool, Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                console=err_console, disable=quiet) as progress:
            bar = progress.add_task("Solving runs", total=n_runs)
            result = run_simulation(simulation, runs, pool, on_run_done=lambda: progress.advance(bar))
        timings["runs"] = round(time.perf_counter() - start, 4)
        start = time.perf_counter()
        files = simulation_files(simulation, result, scenario.name, lang)
        timings["charts_and_tables"] = round(time.perf_counter() - start, 4)
        write_simulation(out, files, timings | {"solves": n_runs, "executor": executor,
                                                "jobs": worker_count(jobs)}, overwrite=overwrite)
    except (InputError, ModelError, FileExistsError, ValueError, ImportError, OSError) as error:
        _fail(error)

    table = new_table(f"Scenarios against the baseline (seed {result.seed})")
    for column in ("scenario", "runs", "placed", "95 % of runs", "change", "gaining", "losing"):
        table.add_column(column, justify="left" if column == "scenario" else "right")
    for row in result.scenarios.itertuples(index=False):
        spread = (f"{row.placed_low:,.0f}–{row.placed_high:,.0f}" if row.random else "exact")
        table.add_row(row.scenario, f"{row.runs}", f"{row.placed_mean:,.1f}" if row.random
                      else f"{row.placed_mean:,.0f}", spread, f"{row.placed_change_mean:+,.1f}"
                      if row.random else f"{row.placed_change_mean:+,.0f}",
                      f"{row.students_gaining:,}", f"{row.students_losing:,}")
    console.print(fitted(console, table, wrap=("scenario",)))
    for row in result.scenarios.itertuples(index=False):
        if row.notes:
            console.print(styled(("note", "yellow"), f" {row.scenario}: {row.notes}"))
    if not result.scenarios["random"].all():
        console.print("Scenarios without dropout are exact: they run once.")
    console.print(f"Wrote {out} (summary.html to share; diff.csv has student ids). "
                  f"{n_runs} solves in {timings['runs']:.1f} s.")


if __name__ == "__main__":  # pragma: no cover
    app()
