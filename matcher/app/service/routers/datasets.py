"""``/datasets``: upload an instance (a zip, or an Excel workbook), list, read, give to a planner."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse

from matcher.app.service.core import Refused
from matcher.app.service.dependencies import CallerDep, ServiceDep
from matcher.app.service.schemas import UNREADABLE_BODY, DatasetOut, GrantRequest, Name, Region, refusals
from matcher.app.service.uploads import describe_size

router = APIRouter(prefix="/datasets", tags=["datasets"])

# A dataset's id as the database keeps it (a 32-bit integer): a larger number is refused, not sent to the database.
DatasetId = Annotated[int, Path(ge=1, lt=2**31)]

_REFUSALS = refusals(401, 403, 404, 422)
_SAME_AGAIN = {200: {"model": DatasetOut, "description": "the same bytes under the same name again: that version"}}
_FILE = {200: {"description": "the file as uploaded",
               "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


def dataset_out(service, caller, dataset, ignored=None) -> DatasetOut:
    """A dataset as ``caller`` may see it: a school sees no file names, hashes or counts but its own."""
    out = DatasetOut(id=dataset.id, name=dataset.name, version=dataset.version, region=dataset.region,
                     created=dataset.created)
    if caller.kind == "school":
        out.students = service.own_students(caller, dataset)
        return out
    out.content_hash, out.input_hash, out.vacancies = dataset.content_hash, dataset.input_hash, dataset.vacancies
    if caller.kind == "adviser":
        out.files, out.warnings, out.students, out.ignored = dataset.files, dataset.warnings, dataset.students, ignored
    return out


async def capped_body(request: Request, cap: int) -> bytes:
    """The request body, refused as soon as it passes ``cap`` bytes (nothing more is read)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise Refused(413, f"the upload is larger than {describe_size(cap)}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise Refused(413, f"the upload is larger than {describe_size(cap)}")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("", status_code=201, response_model=DatasetOut,
             responses={**_SAME_AGAIN, **_REFUSALS, **refusals(413)},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/zip": {"schema": {"type": "string", "format": "binary"}}}}})
async def upload_dataset(request: Request, service: ServiceDep, caller: CallerDep, name: Annotated[Name, Query()],
                         region: Annotated[Region, Query()]):
    """Upload an instance: a zip of its CSV, Parquet or Excel files (or one workbook), checked as the command
    line checks it. The same bytes again under the same name give the same version (``200``)."""
    if caller.kind != "adviser":  # before reading a byte of the body
        raise Refused(403, "only an adviser office uploads datasets")
    data = await capped_body(request, service.settings.limits.upload)
    dataset, new, ignored = await run_in_threadpool(service.upload, caller, name, region, data)
    request.state.audit_detail = f"dataset {dataset.id}: {dataset.name} version {dataset.version}"
    body = dataset_out(service, caller, dataset, ignored).model_dump(mode="json")
    return JSONResponse(body, status_code=201 if new else 200)


@router.get("", response_model=list[DatasetOut], responses=_REFUSALS)
def list_datasets(service: ServiceDep, caller: CallerDep):
    """The datasets the caller may see."""
    return [dataset_out(service, caller, d) for d in service.datasets(caller)]


@router.get("/{dataset_id}", response_model=DatasetOut, responses=_REFUSALS)
def read_dataset(dataset_id: DatasetId, service: ServiceDep, caller: CallerDep):
    return dataset_out(service, caller, service.dataset(caller, dataset_id))


@router.get("/{dataset_id}/files/{name}", responses={**_FILE, **_REFUSALS}, response_class=FileResponse)
def read_dataset_file(dataset_id: DatasetId, name: str, service: ServiceDep, caller: CallerDep):
    """A file of the dataset as uploaded (an adviser office only)."""
    path = service.dataset_file(caller, dataset_id, name)
    return FileResponse(path, filename=name, media_type="application/octet-stream")


@router.post("/{dataset_id}/grants", status_code=204, responses={**_REFUSALS, **UNREADABLE_BODY})
def grant_dataset(dataset_id: DatasetId, grant: GrantRequest, service: ServiceDep, caller: CallerDep):
    """Give a planner office this dataset, to run calendars and scenarios on."""
    service.grant(caller, dataset_id, grant.organisation)
