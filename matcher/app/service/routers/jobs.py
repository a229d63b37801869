"""``/jobs``: start a job (``202`` and its id), follow it, read its files, cancel it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from matcher.app.service import access
from matcher.app.service.core import Refused
from matcher.app.service.dependencies import CallerDep, ServiceDep
from matcher.app.service.routers.datasets import capped_body
from matcher.app.service.schemas import (
    UNREADABLE_BODY,
    AnswerIn,
    AnswerOut,
    JobOut,
    JobRequest,
    StudentOut,
    refusals,
)

router = APIRouter(prefix="/jobs", tags=["jobs"])

_REFUSALS = refusals(401, 403, 404, 409, 422)
_MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json", "html": "text/html; charset=utf-8",
          "png": "image/png", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
_BYTES = {"schema": {"type": "string", "format": "binary"}}
_FILE = {200: {"description": "the file, as its name says (.csv, .json, .html, .png, .xlsx, or other bytes)",
               "content": {media.partition(";")[0]: {"schema": {}} if media == "application/json" else _BYTES
                           for media in [*_MEDIA.values(), "application/octet-stream"]}}}


def job_out(service, caller, job) -> JobOut:
    return JobOut(id=job.id, kind=job.kind, dataset=job.dataset_id, state=job.state, options=job.options,
                  created=job.created, started=job.started, finished=job.finished, error=job.error,
                  progress=service.progress(job), files=access.readable_files(caller, job))


@router.post("", status_code=202, response_model=JobOut, responses={**_REFUSALS, **UNREADABLE_BODY})
async def start_job(body: JobRequest, request: Request, response: Response, service: ServiceDep,
                    caller: CallerDep):
    """Queue a job; follow it at ``Location``."""
    job = await run_in_threadpool(service.submit, caller, body.kind, body.dataset, body.options)
    request.state.audit_detail = f"{job.kind} job {job.id} on dataset {job.dataset_id}"
    response.headers["Location"] = f"/jobs/{job.id}"
    return job_out(service, caller, job)


@router.get("", response_model=list[JobOut], responses=_REFUSALS)
def list_jobs(service: ServiceDep, caller: CallerDep):
    return [job_out(service, caller, job) for job in service.jobs(caller)]


@router.get("/{job_id}", response_model=JobOut, responses=_REFUSALS)
def read_job(job_id: str, service: ServiceDep, caller: CallerDep):
    """The job's state, its progress while it runs, and its files once done."""
    return job_out(service, caller, service.job(caller, job_id))


@router.delete("/{job_id}", response_model=JobOut, responses=_REFUSALS)
def cancel_job(job_id: str, service: ServiceDep, caller: CallerDep):
    """Cancel a queued or running job (a finished one stays as it is)."""
    return job_out(service, caller, service.cancel(caller, job_id))


@router.get("/{job_id}/files/{name}", responses={**_FILE, **_REFUSALS}, response_class=Response)
def read_job_file(job_id: str, name: str, service: ServiceDep, caller: CallerDep):
    """A result file: the command line's bytes for an adviser office; a school's own rows; a planner's aggregates."""
    data, name = service.job_file(caller, job_id, name)
    media = _MEDIA.get(name.rpartition(".")[2], "application/octet-stream")
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if name.endswith(".html"):  # a report is a page to read, never to run scripts from
        headers = {"Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'"}
    return Response(data, media_type=media, headers=headers)


@router.post("/{job_id}/decisions", status_code=201, responses={**_REFUSALS, **refusals(413)},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "text/csv": {"schema": {"type": "string", "format": "binary"}},
                 _MEDIA["xlsx"]: {"schema": {"type": "string", "format": "binary"}}}}})
async def post_decisions(job_id: str, request: Request, service: ServiceDep, caller: CallerDep):
    """The answers to a finished match's proposals (a ``decisions`` table: CSV or xlsx, the command line's
    columns and words), for its next round: a match with ``previous_job`` set to this job keeps what stands
    and runs with these decisions and the earlier ones. Posted once per match."""
    if caller.kind != "adviser":  # before reading a byte of the body
        raise Refused(403, "only an adviser office posts decisions")
    data = await capped_body(request, service.settings.limits.upload)
    posted = await run_in_threadpool(service.post_decisions, caller, job_id, data)
    request.state.audit_detail = f"{posted} decisions posted to match job {job_id}"
    return {"job": job_id, "decisions": posted}


@router.get("/{job_id}/students/{student_id}", response_model=StudentOut, responses=_REFUSALS)
def read_student(job_id: str, student_id: str, service: ServiceDep, caller: CallerDep):
    """One student in a finished match: the place, or the reason none was found and the remedy."""
    return service.student(caller, job_id, student_id)


def answer_out(answer) -> AnswerOut:
    return AnswerOut(student_id=answer.student_id, decision=answer.decision, vacancy_id=answer.vacancy_id,
                     period_id=answer.period_id, at=answer.at)


@router.put("/{job_id}/answers/{student_id}", response_model=AnswerOut, responses={**_REFUSALS, **UNREADABLE_BODY})
def put_answer(job_id: str, student_id: str, body: AnswerIn, request: Request, service: ServiceDep,
               caller: CallerDep):
    """A school's answer to the proposal a finished match made for one of its students: ``confirmed``,
    ``declined_by_student`` or ``declined_by_company``. It may be changed until the next round starts from
    this match (``previous_job``), which runs with it."""
    answer = service.answer(caller, job_id, student_id, body.decision)
    request.state.audit_detail = f"{body.decision} for student {student_id} in match job {job_id}"
    return answer_out(answer)


@router.get("/{job_id}/answers", response_model=list[AnswerOut], responses=_REFUSALS)
def list_answers(job_id: str, service: ServiceDep, caller: CallerDep):
    """The schools' answers to a match's proposals: all of them for the adviser office, a school's own for it."""
    return [answer_out(a) for a in service.answers(caller, job_id)]
