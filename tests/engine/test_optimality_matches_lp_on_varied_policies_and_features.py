"""The LP comparison, widened: non-default policies (weights, costs, travel speeds and detour, the
extra-guidance rule), explicit ``extra_guidance``, coordinates with and without a PC4, several equivalence
pairs and travel_times rows of every kind. On each instance the engine's objective equals the optimum of
the two-stage LP whose candidate arcs come from the checker's scalar code; and each feature binds (taking it
away changes the optimum) in at least ten of the instances, so that a bug in any of them would show.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from matcher import solve
from models import Policy
from tests.support.random_instances import OVERRIDE_KINDS, override_kind, random_policy, random_varied_instance
from tests.support.reference import reference_optimum

SEEDS = range(120)
DEFAULT = Policy()


def _without_rows(kind):
    def remove(instance, policy):
        rows = tuple(r for r in instance.travel_times if override_kind(r, instance) != kind)
        return instance.model_copy(update={"travel_times": rows}), policy
    return remove


def _default(section):
    return lambda instance, policy: (instance, policy.model_copy(update={section: getattr(DEFAULT, section)}))


def _no_explicit_guidance(instance, policy):
    students = tuple(s.model_copy(update={"extra_guidance": None}) for s in instance.students)
    return instance.model_copy(update={"students": students}), policy


def _no_coordinates(instance, policy):
    def strip(place):  # back to the PC4 centre where a PC4 is given
        return place.model_copy(update={"lat": None, "lon": None}) if place.pc4 is not None else place
    return instance.model_copy(update={"students": tuple(map(strip, instance.students)),
                                       "vacancies": tuple(map(strip, instance.vacancies))}), policy


def _no_equivalences(instance, policy):
    return instance.model_copy(update={"equivalences": ()}), policy


# Each feature, and the instance and policy without it.
FEATURES = {
    "weights": _default("weights"), "costs": _default("costs"), "travel speeds": _default("travel"),
    "guidance rule": _default("extra_guidance"), "explicit extra_guidance": _no_explicit_guidance,
    "coordinates": _no_coordinates, "equivalences": _no_equivalences,
    **{f"travel_times {kind}": _without_rows(kind) for kind in OVERRIDE_KINDS},
}


@lru_cache(maxsize=None)
def _case(seed: int):
    return random_varied_instance(seed), random_policy(seed)


def _objective(instance, policy) -> tuple[int, int]:
    result = solve(instance, policy)
    return result.weighted_placed, result.secondary_cost


@pytest.mark.parametrize("seed", SEEDS)
def test_objective_equals_lp_optimum_with_varied_policies_and_features(seed):
    instance, policy = _case(seed)
    assert _objective(instance, policy) == reference_optimum(instance, policy)


def test_each_feature_binds_in_the_optimum_of_at_least_ten_instances():
    binding = dict.fromkeys(FEATURES, 0)
    for seed in SEEDS:
        instance, policy = _case(seed)
        optimum = _objective(instance, policy)
        for name, remove in FEATURES.items():
            binding[name] += _objective(*remove(instance, policy)) != optimum
    assert all(count >= 10 for count in binding.values()), binding
