"""Every suggestion respects every hard constraint.

For a sample of suggestions on a generated region, the full assignment behind
it (the best solution in which the student takes the place, from an
independent re-solve of the student's component) is written as a result folder
and checked by the independent checker; its objective must be the optimum's
minus the predicted worsening. A suggestion called "a free place" must need no
other student to move: the optimum with only that student moved passes too.
"""

import numpy as np
import pytest

from matcher.engine.solve import result_with_placements, solve_in_detail
from matcher.explain.suggest import adjusted_assignment, alternatives, describe_effect
from matcher.generator.synth import generate_instance
from matcher.verify.checker import check_result, format_report
from models import Policy

SCHOOL = "S-AM13-03"


@pytest.fixture(scope="module")
def region():
    instance = generate_instance(region="AM13", students=1500, seed=3)
    policy = Policy()
    solved = solve_in_detail(instance, policy)
    problem = solved.problem
    students = np.flatnonzero(problem.school_ids[problem.s_school] == SCHOOL)
    return instance, policy, solved, alternatives(solved, students, per_student=5)


def sample(found, rng, n):
    """Up to ``n`` suggestions, the rarer kinds (lost placements, duo, moves) included."""
    picked = []
    for mask in (found["lost_weighted_placements"] > 0, found["duo"], found["others_moved"] > 0,
                 ~found["current"]):
        rows = np.flatnonzero(mask.to_numpy() & found["feasible"].to_numpy())
        picked += rng.choice(rows, size=min(len(rows), n // 4), replace=False).tolist()
    return sorted(set(picked))


def test_adjusted_assignments_pass_the_checker_with_the_predicted_objective(region, tmp_path):
    instance, policy, solved, found = region
    best_weight, best_cost = solved.result.weighted_placed, solved.result.secondary_cost
    rows = sample(found, np.random.default_rng(0), 16)
    assert (found["lost_weighted_placements"].iloc[rows] > 0).any()  # the sample is not all free places
    problem, candidates = solved.problem, solved.candidates
    for i in rows:
        row = found.iloc[i]
        cand = int(row["candidate"])
        result = adjusted_assignment(solved, cand)
        out = result.write(tmp_path / f"suggestion-{i}")
        report = check_result(instance, out, policy)
        assert report.ok, format_report(report)
        assert report.weighted_placed == best_weight - row["lost_weighted_placements"]
        assert report.secondary_cost == best_cost + row["extra_secondary_cost"]
        student = problem.student_ids[candidates.student[cand]]
        placed = result.placements.set_index("student_id").loc[student]
        assert (placed["vacancy_id"], placed["period_id"]) == (
            problem.vacancy_ids[candidates.vacancy[cand]], problem.period_ids[candidates.period[cand]])


def test_a_free_place_needs_no_other_student_to_move(region, tmp_path):
    instance, policy, solved, found = region
    effect = [describe_effect(*r) for r in zip(found["current"], found["student_unplaced"], found["others_moved"],
                                               found["others_unplaced"], found["others_placed_anew"], found["duo"])]
    free = np.flatnonzero(np.array(effect) == "a free place")
    assert len(free) >= 5
    n_candidate_arcs = solved.network.n_candidate_arcs
    optimum = np.flatnonzero(solved.flows[:n_candidate_arcs] > 0)
    for i in free[:: max(1, len(free) // 8)]:
        row = found.iloc[i]
        cand = int(row["candidate"])
        # Only the student moves: its current place (if any) is swapped for the new one.
        chosen = np.r_[optimum[solved.candidates.student[optimum] != row["student"]], cand]
        out = result_with_placements(solved, chosen, "suggestion", {"proven_optimal": False}).write(
            tmp_path / f"free-{i}")
        report = check_result(instance, out, policy)
        assert report.ok, format_report(report)
        assert report.weighted_placed == solved.result.weighted_placed - row["lost_weighted_placements"]
        assert report.secondary_cost == solved.result.secondary_cost + row["extra_secondary_cost"]
