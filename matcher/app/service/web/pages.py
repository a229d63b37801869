"""``/web``: the pages (sign in, each organisation's home, a job's progress and result, its tables and files).

A planner office's forms and its results are in :mod:`.planner`.
"""

from __future__ import annotations

import io
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

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

router = APIRouter(prefix="/web", include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
STATIC = Path(__file__).parent / "static"
TOKEN_COOKIE, LANG_COOKIE = "stagematch_token", "stagematch_lang"
ROWS_PER_PAGE = 50
# The result tables a page shows (each caller reads of them what service.job_file gives it).
TABLES = ("placements.csv", "unplaced.csv", "scenarios.csv", "shortages.csv", "season.csv", "calendar.csv")


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
    if caller.kind == "school":  # the finished matches that hold its students
        matches = [j for j in jobs if j.kind == "match" and j.state == "done"]
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
    cap = service.settings.limits.upload
    data = await file.read(cap + 1)
    if len(data) > cap:
        raise Refused(413, f"the upload is larger than {cap // 2**20} MB")
    dataset, _, _ = await run_in_threadpool(service.upload, caller, name.strip(), region.strip(), data)
    request.state.audit_detail = f"dataset {dataset.id}: {dataset.name} version {dataset.version}"
    return RedirectResponse(f"/web?uploaded={dataset.id}", status_code=303)


@router.post("/jobs")
def start_match(request: Request, dataset: Annotated[int, Form(ge=1, lt=2**31)],
                remedies: Annotated[bool, Form()] = False):
    caller = _signed_in(request)
    job = _service(request).submit(caller, "match", dataset, {"remedies": remedies})
    request.state.audit_detail = f"match job {job.id} on dataset {job.dataset_id}"
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)


def _job_context(service: Service, caller: Caller, job_id: str) -> dict:
    job = service.job(caller, job_id)
    context = {"job": job, "progress": service.progress(job)}
    if job.state == "done" and job.kind == "match" and caller.kind == "school":
        # A school's own students only: counted from its own rows, never from the region's summary.
        placed = _frame(service.job_file(caller, job_id, "placements.csv")[0])
        unplaced = _frame(service.job_file(caller, job_id, "unplaced.csv")[0])
        seeking = unplaced[unplaced["reason"] != "withdrawn"]
        context.update(own={"seeking": len(placed) + len(seeking), "placed": len(placed),
                            "unplaced": len(seeking)}, files=access_files(caller, job))
    elif job.state == "done" and job.kind == "match":
        summary = json.loads(service.job_file(caller, job_id, "summary.json")[0])
        counts = summary["counts"]
        context.update(summary=summary, seeking=counts["students"] - counts.get("withdrawn", 0),
                       files=access_files(caller, job))
    return context


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str):
    """A job: its progress while it runs (updated every second), then its result (a plan's: :mod:`.planner`)."""
    caller = _signed_in(request, EVERYONE)
    return _page(request, "job.html", caller=caller, **_job_context(_service(request), caller, job_id))


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


@lru_cache(maxsize=8)
def _frame(data: bytes) -> pd.DataFrame:
    # A result never changes: the same bytes parse to the same table, kept for the next page.
    return restore_frame(pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False))


@router.get("/jobs/{job_id}/tables/{name}")
def table(request: Request, job_id: str, name: str, q: Annotated[str, Query(max_length=100)] = "",
          page: Annotated[int, Query(ge=1, le=1_000_000)] = 1, sort: Annotated[str, Query(max_length=40)] = "",
          descending: bool = False):
    """One page of a result table, searched (any cell containing ``q``) and sorted on the server."""
    caller = _signed_in(request, EVERYONE)
    if name not in TABLES:
        raise Refused(404, f"table {name!r} not found")
    data, _ = _service(request).job_file(caller, job_id, name)
    frame = _frame(data)
    if q.strip():
        needle = q.strip().casefold()
        hit = pd.Series(False, index=frame.index)
        for column in frame.columns:
            hit |= frame[column].str.casefold().str.contains(needle, regex=False)
        frame = frame[hit]
    if sort in frame.columns:
        numeric = pd.to_numeric(frame[sort], errors="coerce")
        key = numeric if numeric.notna().all() else frame[sort]
        frame = frame.iloc[key.reset_index(drop=True).sort_values(ascending=not descending, kind="stable").index]
    pages = max(1, math.ceil(len(frame) / ROWS_PER_PAGE))
    page = min(page, pages)
    rows = frame.iloc[(page - 1) * ROWS_PER_PAGE: page * ROWS_PER_PAGE]
    return _page(request, "table.html", job_id=job_id, name=name, columns=list(frame.columns),
                 rows=rows.itertuples(index=False), total=len(frame), page=page, pages=pages, q=q,
                 sort=sort, descending=descending)


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
    return Response(data, media_type="image/png", headers={"X-Content-Type-Options": "nosniff",
                                                           "Cache-Control": "private, max-age=3600"})


@router.get("/static/{name}")
def static(name: str):
    """The pages' own assets (no CDN: everything is in the package)."""
    media = {"htmx.min.js": "text/javascript", "style.css": "text/css"}
    if name not in media:
        return Response(status_code=404)
    return Response((STATIC / name).read_bytes(), media_type=media[name],
                    headers={"Cache-Control": "max-age=3600"})
