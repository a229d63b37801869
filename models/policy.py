"""Policy: objective weights, secondary costs, travel estimate and defaults.

Every default is the one SPEC.md gives. A ``policy.toml`` mirrors the nesting::

    [weights]
    priority = 3
    regular = 2

    [costs]
    travel_minute = 1

    [travel]
    default_mode = "bike"
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.instance import TravelMode

# How much a standing proposal of the previous round is worth (docs/model.md, "The previous round").
KeepPrevious = Literal["never_move", "fewest_moves", "off"]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Weights(_Section):
    """Value of placing one student; the first objective maximises their sum."""

    priority: int = Field(default=3, ge=1, le=1_000)
    regular: int = Field(default=2, ge=1, le=1_000)


class Costs(_Section):
    """Secondary costs, minimised once the weighted number of placements is maximal."""

    travel_minute: int = Field(default=1, ge=0, le=1_000)
    wish_step: int = Field(default=10, ge=0, le=10_000)
    no_wish_met: int = Field(default=60, ge=0, le=100_000)
    period_step: int = Field(default=15, ge=0, le=10_000)
    duo_partner: int = Field(default=30, ge=0, le=100_000)


class ModeSpeed(_Section):
    """Travel time = base_min + road distance / km_per_hour.

    A speed below 1 km/h (slower than walking) or above 200 km/h is a typing
    error, not a way to travel to a workplace; so is a base time over 2 hours.
    """

    base_min: float = Field(ge=0, le=120, allow_inf_nan=False)
    km_per_hour: float = Field(ge=1, le=200, allow_inf_nan=False)


class Travel(_Section):
    """How travel times are estimated when ``travel_times.csv`` does not give them."""

    default_mode: TravelMode = TravelMode.public_transport
    default_max_min: int = Field(default=60, ge=1, le=600)
    detour_factor: float = Field(default=1.3, ge=1.0, le=5.0, allow_inf_nan=False)
    # The radii in use lie between the polar (6356.8 km) and the equatorial
    # (6378.1 km) one, the mean being 6371.0; the range leaves a margin around
    # them and refuses typing errors (metres, a sign, a missing digit).
    earth_radius_km: float = Field(default=6371.0, ge=6350.0, le=6400.0, allow_inf_nan=False)
    bike: ModeSpeed = ModeSpeed(base_min=0, km_per_hour=15)
    public_transport: ModeSpeed = ModeSpeed(base_min=10, km_per_hour=35)
    car: ModeSpeed = ModeSpeed(base_min=5, km_per_hour=50)

    def speed(self, mode: TravelMode) -> ModeSpeed:
        """Return the speed parameters of ``mode``."""
        return getattr(self, mode.value)


class ExtraGuidanceRule(_Section):
    """Who needs extra guidance when ``students.csv`` does not say."""

    max_level: int = Field(default=2, ge=0, le=4)
    first_year: bool = True


class Policy(_Section):
    """Everything the adviser may tune; the defaults are SPEC.md's."""

    weights: Weights = Weights()
    costs: Costs = Costs()
    travel: Travel = Travel()
    extra_guidance: ExtraGuidanceRule = ExtraGuidanceRule()
    compare_unweighted: bool = Field(
        default=False,
        description=(
            "also solve without priority weights, to report whom priority displaces and "
            "the secondary cost it adds (the number it costs is always reported, and is 0)"
        ),
    )

    keep_previous: KeepPrevious = Field(
        default="fewest_moves",
        description=(
            "with an earlier round's result (--previous): never_move keeps every earlier placement whose "
            "place is still there; fewest_moves moves as few as the most weighted placements allow (after "
            "them, before travel); off ignores the earlier result"
        ),
    )

    @model_validator(mode="after")
    def _priority_not_below_regular(self):
        if self.weights.priority < self.weights.regular:
            raise ValueError("weights.priority must be at least weights.regular")
        return self
