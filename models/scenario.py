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

    [season]                      # matching in rounds on the baseline (optional)
    rounds = 4
    accept = 0.6                  # a proposal is accepted in a round with this probability,
    decline = 0.2                 # declined with this one, and else still stands
    accept_by_tier = { priority = 0.5 }
    accept_by_sector = { "Zorg/welzijn/sport" = 0.4 }
    arriving = 0.1                # this share of vacancies arrives during the season
    runs = 5

Every model forbids unknown keys. Checks against the instance (does the
cohort exist, is the sector known) are made where the scenario is applied,
in :mod:`matcher.plan.scenario`.
"""

from __future__ import annotations

from typing import Annotated, Literal

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


Probability = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class Season(_Strict):
    """A season of matching rounds on the baseline, each with the answers to the last (SPEC v2, Rounds).

    In each round the baseline is matched with the decisions so far and the
    proposals still standing (``--previous``); then each new or standing
    proposal is accepted (confirmed) with its student's probability, declined
    with ``decline`` (by the student or by the company, as likely), and else
    stands for the next round. The probability is the student's sector's in
    ``accept_by_sector``, else its tier's in ``accept_by_tier``, else
    ``accept``. A share ``arriving`` of the vacancies (drawn at random) is
    listed from a later round on, the rounds drawn evenly. Each run's dice are
    those of (seed, run), the same with and without ``keep_previous``.
    """

    rounds: int = Field(ge=1, le=52)
    accept: Probability = 0.6
    decline: Probability = 0.2
    accept_by_tier: dict[Literal["priority", "regular"], Probability] = {}
    accept_by_sector: dict[Name, Probability] = {}
    arriving: float = Field(default=0.0, ge=0.0, lt=1.0, allow_inf_nan=False)
    runs: int = Field(default=1, ge=1, le=1_000)

    @model_validator(mode="after")
    def _probabilities_add_up(self):
        for accept in (self.accept, *self.accept_by_tier.values(), *self.accept_by_sector.values()):
            if accept + self.decline > 1:
                raise ValueError(f"accept ({accept}) and decline ({self.decline}) add up to more than 1")
        return self


class ScenarioFile(_Strict):
    """A scenario file: the seed and the scenarios, run beside the baseline; and a season of rounds."""

    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    scenario: tuple[Scenario, ...] = ()
    season: Season | None = None

    @model_validator(mode="after")
    def _something_to_run(self):
        if not self.scenario and self.season is None:
            raise ValueError("give at least one [[scenario]] or a [season]")
        return self

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
