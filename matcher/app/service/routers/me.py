"""``/me``: which organisation a token belongs to, and what it may do."""

from __future__ import annotations

from fastapi import APIRouter

from matcher.app.service.dependencies import CallerDep
from matcher.app.service.schemas import Me, refusals

router = APIRouter(tags=["organisation"])


@router.get("/me", response_model=Me, responses=refusals(401))
def read_me(caller: CallerDep):
    return Me(organisation=caller.name, kind=caller.kind, regions=sorted(caller.regions),
              school_ids=sorted(caller.school_ids))
