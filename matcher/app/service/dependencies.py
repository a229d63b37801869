"""What every route needs: the service, and the caller its bearer token stands for."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from matcher.app.service.access import Caller
from matcher.app.service.core import Service

_bearer = HTTPBearer(auto_error=False, description="a token from `stagematch admin create-token`")


def service(request: Request) -> Service:
    return request.app.state.service


def caller(request: Request,
           credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Caller:
    """The calling organisation; ``401`` without a valid, unrevoked token."""
    found = request.app.state.service.caller(credentials.credentials if credentials else None)
    if found is None:
        raise HTTPException(401, "give a valid token: Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})
    request.state.caller = found
    return found


ServiceDep = Annotated[Service, Depends(service)]
CallerDep = Annotated[Caller, Depends(caller)]
