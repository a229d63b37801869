"""``/web``: the pages (sign in, each organisation's home, a job's progress and result, its tables and files).

A planner office's forms and its results are in :mod:`.planner`.
"""

from __future__ import annotations

import io
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote, urlencode, urlsplit

import pandas as pd
from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from matcher.app.service.access import Caller
from matcher.app.service.access import readable_files as access_files
from matcher.app.service.core import Refused, Service
from matcher.app.service.web.texts import LANGUAGES, words
from matcher.geo.catalogue import sectors
from matcher.io.safe_cells import restore_frame
from matcher.report.texts import DEFAULT_LANGUAGE
from models import KeepPrevious

router = APIRouter(prefix="/web", include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
STATIC = Path(__file__).parent / "static"
TOKEN_COOKIE, LANG_COOKIE = "stagematch_token", "stagematch_lang"
ROWS_PER_PAGE = 50
STATIC_FILES = ("htmx.min.js", "upload.js", "style.css")
# The tables a finished job's page shows, by kind (the service decides which of them a caller may read),
# and the columns each table can be filtered on (a choice of the values in the table).
TABLES = {"match": ("placements.csv", "unplaced.csv", "changes.csv"),
          "advise": ("advice_cells.csv", "advice.csv"),
          "suggest": ("shortlists.csv",),
          "simulate": ("scenarios.csv", "shortages.csv", "season.csv"),
          "calendar": ("calendar.csv",)}
PLANS = ("simulate", "calendar")  # their results are a fragment of their own (:mod:`.planner`)
FILTERS = {"placements.csv": ("school_id", "period_id", "duo"),
           "unplaced.csv": ("school_id", "reason", "remedy"),
           "changes.csv": ("change", "reason"),
           "advice_cells.csv": ("crebo", "region", "period_id"),
           "advice.csv": ("kind", "region", "verified"),
           "shortlists.csv": ("student_id", "in_current_optimum")}


def _lang(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _service(request: Request) -> Service:
    return request.app.state.service


def _caller(request: Request) -> Caller | None:
    """The organisation the sign-in cookie stands for (kept for the audit log), or ``None``."""
    found = _service(request).caller(request.cookies.get(TOKEN_COOKIE))
    request.state.caller = found
    return found


def _page(request: Request, template: str, status: int = 200, **context) -> Response:
    lang = _lang(request)
    return templates.TemplateResponse(request, template, {"w": words(lang), "lang": lang, **context},
                                      status_code=status)


class SignInFirst(Exception):
    """No valid sign-in cookie: the app answers with the sign-in page (see :func:`refused_page`)."""


def refused_page(request: Request, error: Refused) -> Response:
    """A refusal as a page: the app's handler of :class:`Refused` for every path under ``/web``."""
    return _page(request, "refused.html", status=error.status, error=error)


def _signed_in(request: Request, kinds: tuple[str, ...] = ("adviser",)) -> Caller:
    """The signed-in organisation, if it is of ``kinds``.

    Raises
    ------
    SignInFirst
        Without a valid sign-in.
    Refused
        403 for an organisation of another kind.
    """
    caller = _caller(request)
    if caller is None:
        raise SignInFirst
    if caller.kind not in kinds:
        raise Refused(403, words(_lang(request))["forbidden"])
    return caller


# The pages a school and a planner read too: what the service's role rules give each of them.
EVERYONE = ("adviser", "school", "planner")
STARTERS = ("adviser", "planner")  # who starts jobs from the pages, and may cancel their own


def home_page(request: Request, caller: Caller, status: int = 200, **extra) -> Response:
    """The signed-in organisation's home: an adviser office's datasets and jobs, a school's matches, or a
    planner office's datasets, runs and forms (``extra``: a form's values again, with its refusal)."""
    service = _service(request)
    jobs = sorted(service.jobs(caller), key=lambda j: j.created, reverse=True)
    if caller.kind == "school":  # the finished matches that hold its students, and its own shortlists
        matches = [j for j in jobs if (j.kind == "match" and j.state == "done") or j.kind == "suggest"]
        return _page(request, "school.html", status, caller=caller, jobs=matches)
    if caller.kind == "planner":  # the sectors, for the scenario form's choices
        extra.setdefault("sectors", sectors())
    template = "planner.html" if caller.kind == "planner" else "home.html"
    return _page(request, template, status, caller=caller, datasets=service.datasets(caller), jobs=jobs, **extra)


@router.get("")
def home(request: Request):
    """Sign in, or the signed-in organisation's home."""
    try:
        caller = _signed_in(request, EVERYONE)
    except SignInFirst:
        return _page(request, "signin.html")
    return home_page(request, caller)


@router.post("/signin")
def sign_in(request: Request, token: Annotated[str, Form(max_length=200)]):
    if _service(request).caller(token.strip()) is None:
        return _page(request, "signin.html", status=401, wrong=True)
    response = RedirectResponse("/web", status_code=303)
    response.set_cookie(TOKEN_COOKIE, token.strip(), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


@router.post("/signout")
def sign_out(request: Request):
    response = RedirectResponse("/web", status_code=303)
    response.delete_cookie(TOKEN_COOKIE)
    return response


@router.post("/language")
def language(request: Request):
    """Switch between Dutch and English (kept in a cookie), back on the page it was asked from."""
    back = urlsplit(request.headers.get("referer", ""))
    same_site = back.netloc in ("", request.url.netloc) and back.path.startswith("/web")  # never elsewhere
    target = back.path + (f"?{back.query}" if back.query else "") if same_site else "/web"
    response = RedirectResponse(target, status_code=303)
    other = LANGUAGES[(LANGUAGES.index(_lang(request)) + 1) % len(LANGUAGES)]
    response.set_cookie(LANG_COOKIE, other, samesite="strict")
    return response


@router.post("/datasets")
async def upload(request: Request, file: Annotated[UploadFile, File()], name: Annotated[str, Form()],
                 region: Annotated[str, Form()]):
    """Upload a zip or workbook; refused uploads show the file, row and column, and what to fix."""
    caller = _signed_in(request)
    service = _service(request)
    data = await _capped(service, file)
    dataset, _, _ = await run_in_threadpool(service.upload, caller, name.strip(), region.strip(), data)
    request.state.audit_detail = f"dataset {dataset.id}: {dataset.name} version {dataset.version}"
    return RedirectResponse(f"/web?uploaded={dataset.id}", status_code=303)


async def _capped(service: Service, file: UploadFile) -> bytes:
    """An uploaded file's bytes, refused (413) above the service's upload cap."""
    cap = service.settings.limits.upload
    data = await file.read(cap + 1)
    if len(data) > cap:
        raise Refused(413, f"the upload is larger than {cap // 2**20} MB")
    return data


@router.post("/jobs")
def start_match(request: Request, dataset: Annotated[int, Form(ge=1, lt=2**31)],
                remedies: Annotated[bool, Form()] = False):
    caller = _signed_in(request)
    job = _service(request).submit(caller, "match", dataset, {"remedies": remedies})
    request.state.audit_detail = f"match job {job.id} on dataset {job.dataset_id}"
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)


def _follow_ups(service: Service, caller: Caller, job) -> list:
    """The jobs started from a finished match: its advice, its report, its next round."""
    return sorted((j for j in service.jobs(caller)
                   if job.id in (j.options.get("match_job"), j.options.get("previous_job"))),
                  key=lambda j: j.created)


def _match_counts(service: Service, caller: Caller, job_id: str) -> dict:
    """A match's summary as the cards show it; ``seeking`` leaves the withdrawn students out."""
    summary = json.loads(service.job_file(caller, job_id, "summary.json")[0])
    counts = summary["counts"]
    return {"summary": summary, "seeking": counts["students"] - counts.get("withdrawn", 0)}


def _job_context(service: Service, caller: Caller, job_id: str) -> dict:
    job = service.job(caller, job_id)
    context = {"job": job, "progress": service.progress(job), "plans": PLANS}
    if job.state != "done" or job.kind in PLANS:
        return context
    files = access_files(caller, job)
    context.update(files=files, tables=[name for name in TABLES.get(job.kind, ()) if name in files],
                   images=[name for name in files if name.endswith(".png")])
    if job.kind == "match" and caller.kind == "school":
        # A school's own students only: counted from its own rows, never from the region's summary.
        placed = _table(service, caller, job, "placements.csv").frame
        unplaced = _table(service, caller, job, "unplaced.csv").frame
        seeking = unplaced[unplaced["reason"] != "withdrawn"]
        context.update(own={"seeking": len(placed) + len(seeking), "placed": len(placed),
                            "unplaced": len(seeking)},
                       shortlist_jobs=_shortlist_jobs(service, caller, job))
    elif job.kind == "match":
        context.update(_match_counts(service, caller, job_id), follow_ups=_follow_ups(service, caller, job))
        previous = job.options.get("previous_job")
        if previous is not None:  # a round: the one before, side by side, and what changed first
            context["tables"].sort(key=lambda name: name != "changes.csv")
            context.update(previous=service.job(caller, previous),
                           before=_match_counts(service, caller, previous))
    return context


def _shortlist_jobs(service: Service, caller: Caller, job) -> list:
    """The school's own shortlist jobs on the match's dataset."""
    return sorted((j for j in service.jobs(caller) if j.kind == "suggest" and j.dataset_id == job.dataset_id
                   and j.organisation_id == caller.organisation_id), key=lambda j: j.created, reverse=True)


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str):
    """A job: its progress while it runs (updated every second), then its result."""
    caller = _signed_in(request, EVERYONE)
    return _page(request, "job.html", caller=caller, **_job_context(_service(request), caller, job_id))


@router.post("/jobs/{job_id}/follow")
def follow_up(request: Request, job_id: str, kind: Annotated[Literal["advise", "report"], Form()]):
    """Start the recruitment advice or the report (workbook, page, map) of a finished match."""
    caller = _signed_in(request)
    service = _service(request)
    match = service.job(caller, job_id)
    options = {"match_job": job_id} | ({"lang": _lang(request)} if kind == "report" else {})
    job = service.submit(caller, kind, match.dataset_id, options)
    request.state.audit_detail = f"{kind} job {job.id} of match job {job_id}"
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)


@router.post("/jobs/{job_id}/round")
async def next_round(request: Request, job_id: str, keep_previous: Annotated[KeepPrevious, Form()],
                     decisions: Annotated[UploadFile | None, File()] = None):
    """The next round of a finished match: its answers (a decisions file, if given) posted, then matched again."""
    caller = _signed_in(request)
    service = _service(request)
    match = await run_in_threadpool(service.job, caller, job_id)
    if decisions is not None and decisions.filename:
        data = await _capped(service, decisions)
        await run_in_threadpool(service.post_decisions, caller, job_id, data)
    options = {"previous_job": job_id, "keep_previous": keep_previous,
               "remedies": match.options.get("remedies", False)}
    job = await run_in_threadpool(service.submit, caller, "match", match.dataset_id, options)
    request.state.audit_detail = f"match job {job.id}: the round after match job {job_id}"
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}/progress")
def job_progress(request: Request, job_id: str):
    """The progress fragment; once the job has ended, the page reloads itself to show the result."""
    caller = _signed_in(request, EVERYONE)
    job = _service(request).job(caller, job_id)
    response = _page(request, "progress.html", job=job, progress=_service(request).progress(job))
    if job.state not in ("queued", "running"):
        response.headers["HX-Refresh"] = "true"
    return response


@router.post("/jobs/{job_id}/cancel")
def cancel(request: Request, job_id: str):
    caller = _signed_in(request, STARTERS)
    _service(request).cancel(caller, job_id)
    return RedirectResponse(f"/web/jobs/{job_id}", status_code=303)


class ParsedTable:
    """A result table, parsed into Arrow-backed text columns (vectorised search and sort), and each column's
    sort key, made at its first sort."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._sort_keys: dict[str, pd.Series] = {}

    def sort_key(self, column: str) -> pd.Series:
        """The column as numbers when every cell is one, else as text."""
        if column not in self._sort_keys:
            numeric = pd.to_numeric(self.frame[column], errors="coerce")
            self._sort_keys[column] = numeric if numeric.notna().all() else self.frame[column]
        return self._sort_keys[column]


def _table(service: Service, caller: Caller, job, name: str) -> ParsedTable:
    """A finished job's table as ``caller`` may read it (a school: its own rows), parsed once.

    The service's rules are asked on every call; the parsed table is kept for the caller's next page
    (a result never changes).
    """
    if job.state != "done" or name not in access_files(caller, job):
        raise Refused(404, f"table {name!r} not found")
    return _parsed(service, caller, job.id, name)


@lru_cache(maxsize=16)
def _parsed(service: Service, caller: Caller, job_id: str, name: str) -> ParsedTable:
    data, _ = service.job_file(caller, job_id, name)
    frame = pd.read_csv(io.BytesIO(data), dtype="string[pyarrow]", keep_default_na=False, engine="pyarrow")
    return ParsedTable(restore_frame(frame))


@router.get("/jobs/{job_id}/tables/{name}")
def table(request: Request, job_id: str, name: str, q: Annotated[str, Query(max_length=100)] = "",
          page: Annotated[int, Query(ge=1, le=1_000_000)] = 1, sort: Annotated[str, Query(max_length=40)] = "",
          descending: bool = False):
    """One page of a result table: filtered (``f_<column>=value``), searched (any cell containing ``q``)
    and sorted on the server."""
    caller = _signed_in(request, EVERYONE)
    service = _service(request)
    job = service.job(caller, job_id)
    if name not in TABLES.get(job.kind, ()):
        raise Refused(404, f"table {name!r} not found")
    parsed = _table(service, caller, job, name)
    whole = parsed.frame
    choices = {c: sorted(v for v in whole[c].unique() if v) for c in FILTERS.get(name, ()) if c in whole.columns}
    chosen = {c: v for c in choices if (v := request.query_params.get(f"f_{c}", "")) in choices[c]}
    frame = whole
    for column, value in chosen.items():
        frame = frame[frame[column] == value]
    if q.strip():
        needle = q.strip().lower()
        hit = pd.Series(False, index=frame.index)
        for column in frame.columns:
            hit |= frame[column].str.lower().str.contains(needle, regex=False)
        frame = frame[hit]
    if sort in frame.columns:
        key = parsed.sort_key(sort).loc[frame.index]
        frame = frame.loc[key.sort_values(ascending=not descending, kind="stable").index]
    pages = max(1, math.ceil(len(frame) / ROWS_PER_PAGE))
    page = min(page, pages)
    rows = frame.iloc[(page - 1) * ROWS_PER_PAGE: page * ROWS_PER_PAGE]
    state = {"q": q, "sort": sort, "descending": str(descending).lower(), **{f"f_{c}": v for c, v in chosen.items()}}

    def query(**changes) -> str:  # the table's links keep its search, filters and sort
        return urlencode({**state, **changes})

    return _page(request, "table.html", job_id=job_id, name=name, columns=list(frame.columns),
                 rows=rows.itertuples(index=False), total=len(frame), page=page, pages=pages, q=q,
                 sort=sort, descending=descending, choices=choices, chosen=chosen, query=query,
                 search_help="planner.search.help" if job.kind in PLANS else "search.help",
                 answers=_answers(service, caller, job, name))


def _answers(service: Service, caller: Caller, job, name: str) -> dict[str, str] | None:
    """A school's answers so far, by student, beside its proposals (``None``: no answers on this table)."""
    if caller.kind != "school" or job.kind != "match" or name != "placements.csv":
        return None
    return {a.student_id: a.decision for a in service.answers(caller, job.id)}


@router.post("/jobs/{job_id}/answers")
def answer(request: Request, job_id: str, student_id: Annotated[str, Form(max_length=200)],
           decision: Annotated[str, Form(max_length=40)]):
    """A school confirms or declines a proposal for one of its students (for the next round)."""
    caller = _signed_in(request, ("school",))
    _service(request).answer(caller, job_id, student_id, decision)
    request.state.audit_detail = f"{decision} for student {student_id} in match job {job_id}"
    return RedirectResponse(f"/web/jobs/{job_id}?answered={quote(student_id)}#answers", status_code=303)


@router.post("/jobs/{job_id}/shortlists")
def shortlists(request: Request, job_id: str, school: Annotated[str, Form(max_length=200)],
               student: Annotated[str, Form(max_length=200)] = "", k: Annotated[int, Form(ge=1, le=50)] = 5):
    """A school asks for the shortlists (top k choices, and what each costs the others) of its students."""
    caller = _signed_in(request, ("school",))
    service = _service(request)
    match = service.job(caller, job_id)
    options = {"school": school, "k": k} | ({"student": student.strip()} if student.strip() else {})
    job = service.submit(caller, "suggest", match.dataset_id, options)
    request.state.audit_detail = f"suggest job {job.id} for school {school}"
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}/files/{name}")
def download(request: Request, job_id: str, name: str):
    caller = _signed_in(request, EVERYONE)
    data, name = _service(request).job_file(caller, job_id, name)
    return Response(data, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/jobs/{job_id}/images/{name}")
def image(request: Request, job_id: str, name: str):
    """A result's chart, to show in the page (a download is an attachment, which an ``<img>`` cannot show)."""
    caller = _signed_in(request, EVERYONE)
    if not name.endswith(".png"):  # only images: never a table or a page in the site's own origin
        raise Refused(404, f"image {name!r} not found")
    data, name = _service(request).job_file(caller, job_id, name)
    # nosniff, like every /web response's security headers, comes from headers.PageHeaders.
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/static/{name}")
def static(name: str):
    """The pages' own assets (no CDN: everything is in the package)."""
    media = {name: "text/javascript" if name.endswith(".js") else "text/css" for name in STATIC_FILES}
    if name not in media:
        return Response(status_code=404)
    return Response((STATIC / name).read_bytes(), media_type=media[name],
                    headers={"Cache-Control": "max-age=3600"})
