"""Each unplaced student's reason is the first SPEC stage that leaves nothing,
recomputed by brute force with the checker's scalar rules (not the engine's)."""

from collections import Counter

import pytest

from matcher import solve
from matcher.verify import checker as ref
from models import Policy
from tests.support.random_instances import random_instance


def _expected_reason(student, inst, policy, overrides, load, guided_load):
    equivalents = {e.equivalent_crebo for e in inst.equivalences if e.crebo == student.crebo}
    recognised = [
        v for v in inst.vacancies
        if (student.crebo in v.crebos or equivalents & set(v.crebos)) and student.pathway in v.pathways
    ]
    if not recognised:
        return "no_recognised_vacancy"
    limit = ref.travel_limit(student, policy)
    reachable = [v for v in recognised if ref.travel_minutes(student, v, policy, overrides) <= limit]
    if not reachable:
        return "out_of_reach"
    own = student.periods or inst.period_ids
    with_period = [(v, p) for v in reachable for p in (v.periods or inst.period_ids) if p in own]
    if not with_period:
        return "no_period"
    guided = ref.needs_extra_guidance(student, policy)
    eligible = [
        (v, p) for v, p in with_period
        if v.min_level <= student.level <= v.max_level
        and (v.accessible or not student.needs_accessible)
        and (not guided or (v.places if v.extra_guidance_places is None else v.extra_guidance_places) > 0)
    ]
    if not eligible:
        return "level_or_guidance"
    if all(v.places == 0 for v, _ in eligible):
        return "no_places_offered"
    for v, p in eligible:
        capacity = v.places * (2 if v.duo else 1)
        guidance = v.places if v.extra_guidance_places is None else v.extra_guidance_places
        if load[v.vacancy_id, p] < capacity and (not guided or guided_load[v.vacancy_id, p] < guidance):
            return "supervision_full"
    return "capacity_taken"


@pytest.mark.parametrize("seed", range(40))
def test_reason_matches_brute_force(seed):
    inst = random_instance(seed, n_students=20, n_vacancies=10)
    policy = Policy()
    result = solve(inst, policy)
    students = {s.student_id: s for s in inst.students}
    load = Counter(zip(result.placements["vacancy_id"], result.placements["period_id"]))
    guided_load = Counter(
        (v, p) for sid, v, p in result.placements[["student_id", "vacancy_id", "period_id"]].values
        if ref.needs_extra_guidance(students[sid], policy)
    )
    overrides = ref.travel_overrides(inst)
    for sid, reason in result.unplaced[["student_id", "reason"]].values:
        assert reason == _expected_reason(students[sid], inst, policy, overrides, load, guided_load), sid
