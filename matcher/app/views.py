"""What each command prints on the terminal: summaries, tables and notes, in plain English.

Every string goes through :class:`matcher.app.terminal.LiteralConsole`, so ids
from users' files are printed literally, and every table through
:func:`matcher.app.terminal.fitted`, so none is cut on an 80-column terminal.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from matcher.app.terminal import LiteralConsole, fitted, new_table, styled
from models import InputReport

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
    "relax": "Building the relaxed network (every allowed period of every cohort)",
    "bound": "Bounding every calendar (max flows of the relaxation)",
    "search": "Searching cohort moves (exact max flows, cut-screened)",
    "today": "Solving today's calendar",
    "proposed": "Solving the proposed calendar",
    "runs": "Solving runs",
}


def print_error(error: Exception) -> None:
    """One line on standard error: ``error: what is wrong``."""
    err_console.print(styled(("error:", "bold red"), f" {error}"))


def print_input_warnings(report: InputReport, limit: int = 10) -> None:
    """Print the reader's warnings (at most ``limit`` lines; all are in summary.json)."""
    for warning in report.warnings[:limit]:
        err_console.print(styled(("warning:", "yellow"), f" {warning}"))
    if len(report.warnings) > limit:
        err_console.print(f"... and {len(report.warnings) - limit} more warnings in summary.json")


class StageProgress:
    """A :class:`matcher.app.pipelines.Progress` shown as one line per stage, ticked off as
    stages finish, with a bar for the work inside a stage; input warnings are printed at once."""

    def __init__(self, enabled: bool) -> None:
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
            console=err_console, disable=not enabled, transient=False,
        )
        self._current = None
        self._total = 1

    def __enter__(self):
        self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        self._finish()
        self._progress.__exit__(*exc)

    def _finish(self) -> None:
        if self._current is not None:
            self._progress.update(self._current, total=self._total, completed=self._total)
            self._current = None

    def stage(self, name: str) -> None:
        """Tick off the stage before and start ``name``."""
        self._finish()
        self._total = 1
        self._current = self._progress.add_task(STAGE_LABELS.get(name, name), total=1)

    def advance(self, done: int, total: int) -> None:
        """Advance the stage's bar (components finish unevenly, so the last step waits for the end)."""
        if self._current is not None and total > 0:
            self._total = total
            self._progress.update(self._current, total=total, completed=min(done, total - 1))

    def input_read(self, report: InputReport) -> None:
        """Print the reader's warnings."""
        print_input_warnings(report)


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

    seeking = counts["students"] - counts.get("withdrawn", 0)  # rounds: the withdrawn are counted apart
    row("all", {"students": seeking, "placed": counts["placed"], "unplaced": counts["unplaced"]})
    for tier, c in counts["by_tier"].items():
        row(f"{tier} tier", c)
    for level, c in counts["by_level"].items():
        row({"1": "Entree (level 1)"}.get(level, f"level {level}"), c)
    for pathway, c in counts["by_pathway"].items():
        row(pathway, c)
    for sector, c in counts["by_sector"].items():
        row(sector, c)
    console.print(fitted(console, table))

    def many(n: int, one: str, more: str) -> str:
        return f"{n:,} {one if n == 1 else more}"

    if "confirmed" in counts:
        console.print(f"Decisions: {many(counts['confirmed'], 'confirmed placement', 'confirmed placements')} "
                      f"kept, {many(counts['withdrawn'], 'student', 'students')} withdrawn (not counted above), "
                      f"{many(counts['declined_pairs'], 'declined pair', 'declined pairs')} never proposed.")
    if "changes" in counts:  # against the previous round (changes.csv)
        changed = counts["changes"]
        console.print(f"Against the previous round ({s['policy']['keep_previous']}): {changed['kept']:,} kept, "
                      f"{changed['moved']:,} moved, {changed['lost']:,} lost, {changed['new']:,} new "
                      "(changes.csv says why).")

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


def print_check(report) -> None:
    """The independent check's verdict, or its violations."""
    from matcher.verify.checker import format_report

    if report.ok:
        console.print(styled(("OK", "green"), f": {report.n_placed:,} placements and {report.n_unplaced:,} "
                             "unplaced students; every hard constraint holds and every student appears "
                             "exactly once."))
    else:
        console.print(format_report(report))


def print_advice(matched, advice, files: tuple[Path, Path], top: int) -> None:
    """The best capacities and (crebo, region, period) cells to recruit for."""
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
    console.print(f"Wrote {files[0]} ({len(advice.capacities):,} capacities) and "
                  f"{files[1]} ({len(advice.cells):,} cells).")


def print_shortlists(lists, school: str, k: int, show: int, out: Path | None) -> None:
    """A school's shortlists: the first ``show`` students' places, and what the CSV holds."""
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
        console.print(f"Wrote {out} ({len(rows):,} rows).")


def print_calendar(run, show: int, out: Path) -> None:
    """The proposed calendar's moves, today's and the proposed match, the bound and the search."""
    plan, today, proposed, timings = run.plan, run.today, run.proposed, run.timings
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


def _print_season(season) -> None:
    """Per round: students placed and confirmed, and proposals changed, with and without keeping them."""
    runs = season["run"].nunique()
    table = new_table(f"Season in rounds (mean of {runs} run{'s' if runs != 1 else ''})")
    for column in ("round", "keep_previous", "placed", "confirmed", "changed", "pending"):
        table.add_column(column, justify="left" if column == "keep_previous" else "right")
    means = season.groupby(["round", "keep_previous"], sort=False)[["placed", "confirmed", "changed",
                                                                       "pending"]].mean()
    for (round_, keep), row in means.sort_index(level=0, sort_remaining=False).iterrows():
        table.add_row(f"{round_}", keep, *(f"{row[c]:,.1f}" for c in ("placed", "confirmed", "changed", "pending")))
    console.print(fitted(console, table))
    console.print("changed: proposals that stood from the round before and were moved or dropped "
                  "(season.csv per run).")


def print_simulation(run, out: Path) -> None:
    """Each scenario against the baseline."""
    result = run.result
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
    if result.season is not None:
        _print_season(result.season)
    console.print(f"Wrote {out} (summary.html to share; diff.csv has student ids). "
                  f"{run.solves} solves in {run.timings['runs']:.1f} s.")
