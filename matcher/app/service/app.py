"""The FastAPI application: routers, refusals as ``{"detail": ...}``, and the audit log of every request."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse

from matcher.app.service.core import Refused, Service, Settings
from matcher.app.service.routers import datasets, jobs, me
from matcher.app.service.web import pages, planner
from matcher.app.service.web.headers import PageHeaders

UNAUDITED = ("/health", "/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect", "/",
             *(f"{pages.router.prefix}/static/{name}" for name in pages.STATIC_FILES))


def create_app(settings: Settings) -> FastAPI:
    """The service's application; its database is upgraded and its runner started on startup."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        service = Service(settings).open()
        app.state.service = service
        try:
            yield
        finally:
            service.close()

    app = FastAPI(title="stagematch", summary="Optimal matching of mbo students to internship places, as a service",
                  version=_version(), lifespan=lifespan)
    for router in (me.router, datasets.router, jobs.router, pages.router, planner.router):
        app.include_router(router)

    @app.get("/", include_in_schema=False)
    def front() -> RedirectResponse:
        return RedirectResponse("/web", status_code=307)

    @app.get("/health", tags=["service"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.exception_handler(Refused)
    async def refused(request: Request, error: Refused):
        if request.url.path.startswith(pages.router.prefix):  # a page, not the API: the refusal as a page
            return pages.refused_page(request, error)
        body = {"detail": error.detail, **{k: v for k, v in error.where.items() if v is not None}}
        return JSONResponse(body, status_code=error.status)

    @app.exception_handler(pages.SignInFirst)
    async def sign_in_first(request: Request, error: pages.SignInFirst):
        return RedirectResponse(pages.router.prefix, status_code=303)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError):
        first = error.errors()[0] if error.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return JSONResponse({"detail": f"{where}: {first.get('msg')}"}, status_code=422)

    @app.middleware("http")
    async def audited(request: Request, call_next):
        try:
            response = await call_next(request)
        except HTTPException:  # pragma: no cover - handled by FastAPI before it reaches here
            raise
        if request.url.path not in UNAUDITED:
            await run_in_threadpool(app.state.service.audit, getattr(request.state, "caller", None),
                                    request.method, request.url.path, response.status_code,
                                    getattr(request.state, "audit_detail", ""))
        return response

    app.add_middleware(PageHeaders, prefix=pages.router.prefix)  # the pages' CSP, on refusals and redirects too
    return app


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("stagematch")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source tree without an install
        return "0"
