"""The ``stagematch`` command line: a thin typer layer over :mod:`matcher.app.pipelines`.

Each command parses its options, runs its pipeline with a progress display,
prints what :mod:`matcher.app.views` makes of the result, and exits 0, 1 when
the independent check finds a violation, or 2 on bad input (a message, never
a traceback).
"""

from __future__ import annotations

import sys
import tempfile
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional, get_args

import typer

import models
from matcher.app import pipelines, views
from matcher.app.views import console, err_console
from matcher.errors import InputError, ModelError

app = typer.Typer(
    help="Optimal matching of mbo students to internship (BOL) and apprenticeship (BBL) places.",
    no_args_is_help=True,
    add_completion=False,
)


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


@contextmanager
def _refusing_bad_input():
    """Turn what users can get wrong (input, options, files, a model too large) into exit 2."""
    try:
        yield
    except (InputError, ModelError, OSError, ValueError, ImportError) as error:
        # OSError: FileExistsError for an output that may not be written, a full disk, ...
        # ImportError: the Dask executor without dask installed.
        views.print_error(error)
        raise typer.Exit(code=2) from None


def _overwrite(what: str):
    """The ``--overwrite`` option of a command that writes a ``what`` folder."""
    return typer.Option("--overwrite", help=f"Replace an earlier {what} in the --out folder.")


# ``--keep-previous``: the policy's values, as the Enum typer offers as choices.
KeepPrevious = Enum("KeepPrevious", {name: name for name in get_args(models.KeepPrevious)}, type=str)


def _bundled_instance(name: str) -> Path:
    """A bundled instance: in the package (wheel) or in the repository (editable install)."""
    package = Path(__file__).resolve().parents[1]  # matcher/, one level above app/
    # The wheel force-includes the repository's instances/ as matcher/_instances (pyproject.toml).
    for candidate in (package / "_instances" / name, package.parent / "instances" / name):
        if candidate.is_dir():
            return candidate
    raise InputError(f"bundled instance {name!r} not found")


def _match(instance: Path, out: Path, show_progress: bool, **options) -> None:
    with _refusing_bad_input(), views.StageProgress(show_progress) as progress:
        run = pipelines.match(instance, out, progress=progress, **options)
    views.print_summary(run.result, run.check)
    console.print(f"Result written to {out}")
    if not run.check.ok:
        views.print_check(run.check)
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
    decisions: Annotated[Optional[Path], typer.Option(
        help="decisions.csv (or .xlsx) from outside the instance folder: confirmed, declined, withdrawn.")] = None,
    previous: Annotated[Optional[Path], typer.Option(
        help="The result folder of the previous round: its placements stand unless --keep-previous says.")] = None,
    keep_previous: Annotated[Optional[KeepPrevious], typer.Option(
        help="With --previous: never_move, fewest_moves (default: the policy's, fewest_moves) or off.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    overwrite: Annotated[bool, _overwrite("result")] = False,
) -> None:
    """Match an instance's students to its vacancies and write the result folder."""
    _match(instance, out, not quiet, region=region, policy_file=policy, certify=certify, jobs=jobs,
           compare_unweighted=compare_unweighted, remedies=remedies, decisions=decisions, previous=previous,
           keep_previous=keep_previous.value if keep_previous else None, overwrite=overwrite)


@app.command()
def demo(
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Where to write the result.")] = None,
    overwrite: Annotated[bool, _overwrite("result")] = False,
) -> None:
    """Run the batch match on the bundled demo instance (region Midden-Utrecht, AM13)."""
    instance = _bundled_instance("demo")
    out = out or Path(tempfile.mkdtemp(prefix="stagematch-demo-")) / "result"
    console.print(f"Demo instance: {instance}")
    _match(instance, out, sys.stderr.isatty(), overwrite=overwrite)


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
    with _refusing_bad_input(), err_console.status("Generating instance"):
        made = pipelines.generate(out, region=region, students=students, seed=seed, preset=preset, fmt=fmt,
                                  overwrite=overwrite)
    console.print(f"Wrote {out}: {len(made.students):,} students, {len(made.vacancies):,} vacancies, "
                  f"{sum(v.places for v in made.vacancies):,} places per period.")


@app.command()
def check(
    instance: Annotated[Path, typer.Argument(help="Instance folder.")],
    result: Annotated[Path, typer.Argument(help="Result folder written by 'stagematch match'.")],
    policy: Annotated[Optional[Path], typer.Option(help="policy.toml used for the match.")] = None,
    region: Annotated[Optional[str], typer.Option(help="The --region the match used.")] = None,
    decisions: Annotated[Optional[Path], typer.Option(
        help="The --decisions file the match used (default: the one the result records).")] = None,
) -> None:
    """Verify a result against every hard constraint, independently of the solver."""
    with _refusing_bad_input():
        # No bars for a quick check, but the reader's warnings are printed.
        report = pipelines.check(instance, result, policy_file=policy, region=region, decisions=decisions,
                                 progress=views.StageProgress(False))
    views.print_check(report)
    if not report.ok:
        raise typer.Exit(code=1)


@app.command()
def advise(
    result: Annotated[Path, typer.Argument(help="Result folder written by 'stagematch match'.")],
    instance: Annotated[Optional[Path], typer.Option(
        help="The matched instance (default: the one recorded in the result).")] = None,
    verify: Annotated[int, typer.Option(
        min=0, help="Verify this many of the best capacities exactly: the optimum with each one raised.")] = 20,
    top: Annotated[int, typer.Option(min=1, help="Rows to print.")] = 15,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1,
                    help="Processes for the verifications (default and most: all cores).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace earlier advice files.")] = False,
) -> None:
    """Recruitment advice: which extra place or supervision slot would place the most students.

    Writes advice.csv (capacities) and advice_cells.csv (crebo, region, period)
    into the result folder.
    """
    with _refusing_bad_input(), console.status("Reading the match back and screening every capacity ..."):
        matched, advice = pipelines.advise(result, instance_dir=instance, verify=verify, jobs=jobs,
                                           overwrite=overwrite)
    views.print_advice(matched, advice, pipelines.advice_files(result), top)


@app.command()
def suggest(
    instance: Annotated[Optional[Path], typer.Argument(
        help="Instance folder (students.csv, vacancies.csv, ...); with --result, the matched one if not "
             "the recorded one.")] = None,
    school: Annotated[str, typer.Option("--school", help="The school asking (its school_id).")] = ...,
    student: Annotated[Optional[str], typer.Option(help="Only this student of the school.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, help="Places per student.")] = 5,
    region: Annotated[Optional[str], typer.Option(help="Only this region, e.g. AM13.")] = None,
    policy: Annotated[Optional[Path], typer.Option(help="policy.toml (default: the instance's own).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="CSV file for every shortlist.")] = None,
    show: Annotated[int, typer.Option(min=0, help="Students whose shortlists are printed.")] = 20,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1,
                    help="Processes for the independent components (default and most: all cores).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing --out file.")] = False,
    result: Annotated[Optional[Path], typer.Option(
        "--result", help="A result folder of 'stagematch match': rank against that match instead of "
                         "solving again.")] = None,
) -> None:
    """Shortlists for a school: each student's feasible places, ranked by what they cost the regional optimum.

    Only the school's own students appear; what a place does to others is said
    in words (a free place, moves N other students, ...), never who they are.
    """
    doing = "Reading the match back" if result is not None else "Solving the optimum"
    with _refusing_bad_input(), err_console.status(f"{doing} and ranking each student's places ..."):
        lists = pipelines.suggest(instance, school, student=student, k=k, region=region, policy_file=policy,
                                  out=out, overwrite=overwrite, jobs=jobs, result_dir=result)
    views.print_shortlists(lists, school, k, show, out)


@app.command()
def report(
    result: Annotated[Path, typer.Argument(help="Result folder written by 'stagematch match'.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Report folder to write.")],
    instance: Annotated[Optional[Path], typer.Option(
        help="The matched instance (default: the one recorded in the result).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the report: nl (Dutch) or en (English).")] = "nl",
    overwrite: Annotated[bool, _overwrite("report")] = False,
) -> None:
    """Shortage report: report.xlsx, a self-contained report.html and its map, map.png (small counts protected)."""
    with _refusing_bad_input(), err_console.status("Writing the report"):
        written = pipelines.report(result, out, instance_dir=instance, lang=lang, overwrite=overwrite)
    console.print("Wrote " + ", ".join(str(path) for path in written[:-1]) + f" and {written[-1]}.")


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
    overwrite: Annotated[bool, _overwrite("calendar")] = False,
) -> None:
    """Choose cohorts' internship periods to place the most students (priority weighted).

    Each cohort keeps the length and order of its period lists and shifts as a
    whole; the result is proven optimal when it reaches the relaxation bound.
    """
    with _refusing_bad_input(), views.StageProgress(not quiet) as progress:
        run = pipelines.calendar(instance, out, max_moves=max_moves, allowed_file=allowed, only_listed=only_listed,
                                 policy_file=policy, jobs=jobs, region=region, overwrite=overwrite,
                                 progress=progress)
    views.print_calendar(run, show, out)


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
    overwrite: Annotated[bool, _overwrite("simulation")] = False,
) -> None:
    """Run the baseline and each scenario: placed with 95 % intervals, shortages, who gains or loses."""
    with _refusing_bad_input(), views.StageProgress(not quiet) as progress:
        run = pipelines.simulate(instance, scenario, out, runs=runs, policy_file=policy, jobs=jobs,
                                 executor=executor, dask_address=dask_address, certify=certify, lang=lang,
                                 overwrite=overwrite, progress=progress)
    views.print_simulation(run, out)


from matcher.app.service.commands import admin, serve  # noqa: E402 - the service's commands, defined there

app.command()(serve)
app.add_typer(admin, name="admin")

if __name__ == "__main__":  # pragma: no cover
    app()
