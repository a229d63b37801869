"""A planner office's pages: the scenario and calendar forms that start its runs, and what a run shows.

A planner reads aggregates only (:data:`matcher.app.service.access.PLANNER_FILES`, through
:meth:`~matcher.app.service.core.Service.job_file`, which hides the small counts): the charts, the tables and
the summary of a simulation or a calendar, never a student. Its home is :func:`.pages.home_page`; a plan's
result is the fragment ``/web/jobs/{id}/plan``, which the job page loads once the job is done.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from matcher.app.service.access import readable_files
from matcher.app.service.core import Refused
from matcher.app.service.public import hidden_count
from matcher.app.service.web.pages import (
    PLANS,
    STARTERS,
    TABLES,
    _lang,
    _page,
    _service,
    _signed_in,
    _table,
    home_page,
)
from matcher.app.service.web.scenario_form import scenario_toml, whole_number
from matcher.app.service.web.texts import words
from matcher.plan.plots import scenario_label
from matcher.plan.simulate import BASELINE
from matcher.report.privacy import SMALL, SMALL_CELL
from matcher.report.texts import Words

router = APIRouter(prefix="/web", include_in_schema=False)
PLANNER = ("planner",)
# The charts of a simulation, with their alt text and caption (the report's words for them).
SIMULATION_CHARTS = (("demand_capacity.png", "sim.heatmap_figure", "sim.heatmap_caption"),
                     ("shortage_by_period.png", "sim.shortage_figure", "sim.shortage_caption"))
# The words naming each of a plan's tables (pages.TABLES says which a plan's page shows).
TABLE_TITLES = {"scenarios.csv": "planner.scenarios", "shortages.csv": "planner.shortages",
                "season.csv": "planner.season", "calendar.csv": "planner.cohorts"}
BAR_WIDTH, LABEL_WIDTH, ROW_HEIGHT = 320, 400, 36


async def _fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _whole(form: dict[str, str], field: str, w: dict[str, str]) -> int:
    return whole_number(form.get(field, "").strip(), field, w)


@router.post("/simulate")
async def simulate(request: Request):
    """Start a simulation of the form's scenario (or of the scenario file pasted); refused, the form again.

    With ``show`` set, the form comes back with its scenario file written out in the advanced field.
    """
    caller = _signed_in(request, PLANNER)
    form = await _fields(request)
    w = words(_lang(request))
    pasted = "scenarios" in form and "show" not in form  # the advanced form: the file as typed
    try:
        scenarios = form["scenarios"] if pasted else scenario_toml(form, w)
        if "show" in form:
            return home_page(request, caller, form={**form, "scenarios": scenarios})
        options = {"scenarios": scenarios, "runs": _whole(form, "runs", w), "lang": _lang(request)}
        job = _service(request).submit(caller, "simulate", _whole(form, "dataset", w), options)
    except Refused as error:  # the planner's text is kept: the same form again, with what to fix
        return home_page(request, caller, status=error.status, form=form, error=error,
                         error_in="toml" if pasted else "scenario")
    request.state.audit_detail = f"simulate job {job.id} on dataset {job.dataset_id}"
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)


@router.post("/calendar")
async def calendar(request: Request):
    """Start a calendar (at most ``max_moves`` cohorts moved); refused, the form again."""
    caller = _signed_in(request, PLANNER)
    form = await _fields(request)
    w = words(_lang(request))
    try:
        options = {"max_moves": _whole(form, "max_moves", w)}
        job = _service(request).submit(caller, "calendar", _whole(form, "dataset", w), options)
    except Refused as error:
        return home_page(request, caller, status=error.status, form=form, error=error, error_in="calendar")
    request.state.audit_detail = f"calendar job {job.id} on dataset {job.dataset_id}"
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)


@router.get("/simulate")
@router.get("/calendar")
def back_home():
    """A refused form's page asked again (the language switch goes back to it): the home, with the forms."""
    return RedirectResponse(router.prefix, status_code=303)


@router.get("/jobs/{job_id}/plan")
def plan(request: Request, job_id: str) -> Response:
    """A finished simulation's or calendar's result: summary in words, charts and tables."""
    caller = _signed_in(request, STARTERS)
    service = _service(request)
    job = service.job(caller, job_id)
    if job.state != "done" or job.kind not in PLANS:
        raise Refused(404, f"no plan result of job {job_id!r}")
    lang = _lang(request)
    files = readable_files(caller, job)
    report = Words(lang)
    summary = json.loads(service.job_file(caller, job_id, "summary.json")[0])
    if job.kind == "simulate":
        context = {"lines": _simulation_lines(summary, words(lang), report),
                   "charts": [(name, report(alt), report(caption)) for name, alt, caption in SIMULATION_CHARTS
                              if name in files]}
    else:
        bars = calendar_bars(_table(service, caller, job, "calendar.csv").frame, words(lang))
        context = {"lines": _calendar_lines(summary, len(bars["bars"]), words(lang), report), "bars": bars}
    tables = [(name, words(lang)[TABLE_TITLES[name]]) for name in TABLES[job.kind] if name in files]
    return _page(request, "plan.html", job=job, files=files, tables=tables, **context)


def _count(value: Any, report: Words) -> str:
    """A count (or a mean of counts) as the page writes it: ``<5`` when between 0 and 5 away from 0."""
    shown = hidden_count(value)
    if isinstance(shown, str):  # hidden already, or hidden here by the service's rule
        return shown
    return report.number(int(value)) if float(value).is_integer() else report.number(float(value), 0)


def _signed(value: Any, report: Words) -> str:
    text = _count(value, report)
    return "+" + text if isinstance(value, (int, float)) and value > 0 else text.replace("-", "−")


def _simulation_lines(summary: dict, w: dict[str, str], report: Words) -> list[str]:
    """Each scenario against the baseline, in a sentence (or two, for the runs of one with dropout)."""
    lines = []
    for scenario in summary["scenarios"]:
        name = scenario_label(scenario["name"], report)
        placed = scenario["placed"]
        if scenario["name"] == BASELINE:
            lines.append(w["planner.sim.baseline"].format(name=name, placed=_count(placed["mean"], report),
                                                         unplaced=_count(scenario["unplaced"]["mean"], report)))
            continue
        line = w["planner.sim.scenario"].format(
            name=name, placed=_count(placed["mean"], report),
            change=_signed(scenario["placed_change_vs_baseline"]["mean"], report),
            gaining=_count(scenario["students_gaining"], report), losing=_count(scenario["students_losing"], report))
        if scenario["runs"] > 1:
            line += " " + w["planner.sim.runs"].format(runs=scenario["runs"], low=_count(placed["low"], report),
                                                       high=_count(placed["high"], report))
        lines.append(line)
    return lines


def _calendar_lines(summary: dict, moved: int, w: dict[str, str], report: Words) -> list[str]:
    """The calendar in two sentences; ``moved`` cohorts, as the (public) table lists them, where the summary
    hides a number of cohorts below 5 as it hides a number of students."""
    today, proposed, limit = summary["today"], summary["proposed"], summary["limits"]["max_moves"]
    lines = [w["planner.cal.summary"].format(
        moved=moved, max_moves="∞" if limit is None else limit,
        proposed=_count(proposed["placed"], report), today=_count(today["placed"], report),
        gain=_signed(summary["gain"]["placed"], report))]
    bound = summary["bound"]
    lines.append(w["planner.cal.proven"] if bound.get("proven_optimal")
                 else w["planner.cal.gap"].format(gap=report.number(int(bound["gap"]))))
    return lines


def calendar_bars(cohorts: pd.DataFrame, w: dict[str, str]) -> dict[str, Any]:
    """The moved cohorts of a (public) ``calendar.csv`` as the bars of a chart of their gains, largest first.

    A gain shown as ``<5`` is drawn as 5, lighter, and labelled ``<5``: the page knows no more of it.
    """
    moved = cohorts[cohorts["shift"] != "0"]
    rows = []
    for row in moved.itertuples(index=False):
        hidden = row.gain == SMALL_CELL
        rows.append((-(SMALL if hidden else int(row.gain)), row.school_id, row.crebo, int(row.year), row, hidden))
    rows.sort(key=lambda r: r[:4])
    top = max([-r[0] for r in rows] + [1])
    bars = [{"label": w["planner.cal.cohort"].format(school=row.school_id, crebo=row.crebo, year=row.year),
             "change": f"{row.periods_today} → {row.periods_proposed}", "value": row.gain, "hidden": hidden,
             "y": n * ROW_HEIGHT, "width": max(1, round(BAR_WIDTH * -gain / top))}
            for n, (gain, _, _, _, row, hidden) in enumerate(rows)]
    return {"bars": bars, "label_width": LABEL_WIDTH, "width": LABEL_WIDTH + BAR_WIDTH + 60,
            "height": max(1, len(bars)) * ROW_HEIGHT, "row": ROW_HEIGHT}


__all__ = ["calendar_bars", "router"]
