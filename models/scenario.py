"""A planner's scenario file: what-if changes on top of an instance.

The TOML file mirrors :class:`ScenarioFile`::

    seed = 7                      # Monte Carlo seed (dropout); default 0

    [[scenario]]
    name = "spread zorg"

    [[scenario.move]]             # a cohort (school x crebo x year) moves
    school = "S-AM13-01"
    crebo = "25498"
    year = 2
    shift = 1                     # every period one later; or: any = true

    [[scenario.places]]           # places added (or removed, negative)
    sector = "Zorg/welzijn/sport" # each filter may be left out: then all
    region = "AM13"
    period = "P2"
    change = 10

    [[scenario.duo]]              # vacancies of a sector (and region) allow duo places
    sector = "Zorg/welzijn/sport"

    [scenario.dropout]            # each company drops out with this probability
    rate = 0.05

Every model forbids unknown keys. Checks against the instance (does the
cohort exist, is the sector known) are made where the scenario is applied,
in :mod:`matcher.plan.scenario`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from models.instance import Crebo, Id, RegionCode

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class CohortMove(_Strict):
    """Move one cohort's internship periods: ``shift`` periods later (earlier
    when negative), or ``any = true`` to accept every period, its own first."""

    school: Id
    crebo: Crebo
    year: int = Field(ge=1, le=4)
    shift: int | None = Field(default=None, ge=-63, le=63)
    any: bool = False

    @model_validator(mode="after")
    def _one_way(self):
        if (self.shift is None) == (not self.any):
            raise ValueError("give either shift = N or any = true")
        return self


class PlaceChange(_Strict):
    """Add (``change`` > 0) or remove (< 0) places in the vacancies matching the
    filters; a filter left out matches everything."""

    sector: Name | None = None
    region: RegionCode | None = None
    period: Id | None = None
    change: int = Field(ge=-1_000_000, le=1_000_000)

    @field_validator("change")
    @classmethod
    def _not_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("change 0 does nothing; give a positive or negative number")
        return value


class DuoSector(_Strict):
    """Let every vacancy of a sector (and region, if given) share places as duo places."""

    sector: Name
    region: RegionCode | None = None


class Dropout(_Strict):
    """Each company (of the sector and region, when given) drops out with
    probability ``rate``, independently, all its vacancies with it."""

    rate: float = Field(gt=0.0, le=1.0)
    sector: Name | None = None
    region: RegionCode | None = None


class Scenario(_Strict):
    """One what-if: its changes are applied in the order moves, places, duo, dropout."""

    name: Name
    move: tuple[CohortMove, ...] = ()
    places: tuple[PlaceChange, ...] = ()
    duo: tuple[DuoSector, ...] = ()
    dropout: Dropout | None = None

    @property
    def random(self) -> bool:
        """Whether runs differ (only dropout draws at random)."""
        return self.dropout is not None


class ScenarioFile(_Strict):
    """A scenario file: the seed and the scenarios, run beside the baseline."""

    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    scenario: tuple[Scenario, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_unique(self):
        names = [s.name for s in self.scenario]
        for name in names:
            if name.casefold() == "baseline":
                raise ValueError("'baseline' is the name of the unchanged instance; choose another")
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"scenario names must be unique; repeated: {', '.join(repeated)}")
        return self
