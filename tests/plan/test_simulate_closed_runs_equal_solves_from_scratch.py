"""A dropout run solved on the shared prepared network, with the dropped vacancies' place arcs closed, is an
optimum of the run's instance: its placements pass the independent checker on the instance with those
vacancies at 0 places, with the objective of a solve of that instance from scratch, and it is certified.

The simulation's statistics then do not depend on the path: placed counts, seeking and places per cell
are those of the from-scratch runs (ties between equally good placements may go otherwise).
"""

import numpy as np
import pandas as pd
import pytest

from matcher.engine.closed import closing_arcs, solve_closed
from matcher.engine.solve import _candidate_arcs_of, prepare, result_with_placements, solve, solve_in_detail
from matcher.generator.synth import generate_instance
from matcher.plan.scenario import apply_dropout, dropped_vacancies
from matcher.plan.simulate import Simulation, plan_runs, run_once
from matcher.verify.checker import check_result, format_report
from models import Policy
from models.scenario import Dropout, ScenarioFile

CASES = [(400, 1, 0.2), (600, 5, 0.5), (300, 8, 0.9)]


@pytest.mark.parametrize(("students", "seed", "rate"), CASES)
def test_closed_run_passes_the_checker_with_the_from_scratch_optimum(students, seed, rate, tmp_path):
    instance, policy = generate_instance(region="AM13", students=students, seed=seed), Policy()
    prepared = prepare(instance, policy)
    for run in range(3):
        closed, _ = dropped_vacancies(instance, Dropout(rate=rate), seed, run)
        assert closed.any()
        dropped, _ = apply_dropout(instance, Dropout(rate=rate), seed, run)
        optimum = solve_closed(prepared, closed)
        assert optimum.proven

        problem, candidates = prepared.problem, prepared.candidates
        assert not closed[candidates.vacancy[optimum.chosen]].any()  # nobody at a vacancy that dropped out
        placements = pd.DataFrame({
            "student_id": np.asarray(problem.student_ids, dtype=object)[candidates.student[optimum.chosen]],
            "vacancy_id": np.asarray(problem.vacancy_ids, dtype=object)[candidates.vacancy[optimum.chosen]],
            "period_id": np.asarray(problem.period_ids, dtype=object)[candidates.period[optimum.chosen]],
        })
        scratch = solve_in_detail(dropped, policy)
        # The closed optimum as a result of the dropped instance, written and read by the checker.
        chosen = _candidate_arcs_of(scratch.problem, scratch.candidates, placements)
        out = result_with_placements(scratch, chosen, "closed run", {}).write(tmp_path / f"run-{seed}-{run}")
        report = check_result(dropped, out, policy)
        assert report.ok, format_report(report)
        assert report.n_placed == len(scratch.result.placements)
        assert (report.weighted_placed, report.secondary_cost) == \
            (scratch.result.weighted_placed, scratch.result.secondary_cost)
        assert sum(s.secondary_cost for s in optimum.solutions) == scratch.result.secondary_cost


def test_closing_nothing_is_the_solve():
    instance, policy = generate_instance(region="AM13", students=500, seed=2), Policy()
    optimum = solve_closed(prepare(instance, policy), np.zeros(len(instance.vacancies), dtype=bool))
    solved = solve_in_detail(instance, policy)
    assert np.array_equal(optimum.chosen, solved.chosen)


def test_closing_arcs_are_the_place_and_duo_arcs_of_the_closed_vacancies():
    instance, policy = generate_instance(region="AM13", students=500, seed=2), Policy()
    network = prepare(instance, policy).network
    duo = network.vp_vacancy[network.duo_vp]
    assert len(duo)  # the instance has duo vacancies
    closed = np.zeros(len(instance.vacancies), dtype=bool)
    closed[duo[0]] = True
    closed[np.flatnonzero(~np.isin(np.arange(len(closed)), duo))[:3]] = True
    arcs = closing_arcs(network, closed)
    tails = network.tails[arcs]
    vp = network.vp_nodes()
    # Every arc leaving a closed vacancy's vacancy-period nodes, and no other.
    leaving = np.flatnonzero(np.isin(network.tails, vp[closed[network.vp_vacancy]]))
    assert np.array_equal(np.sort(arcs), leaving)
    assert np.isin(tails, vp).all()


def test_closed_vacancy_flags_must_match_the_vacancies():
    instance = generate_instance(region="AM13", students=200, seed=2)
    with pytest.raises(ValueError, match="one flag per vacancy"):
        solve_closed(prepare(instance, Policy()), np.zeros(3, dtype=bool))


def test_simulation_runs_count_the_same_on_either_path():
    instance = generate_instance(region="AM13", students=500, seed=6)
    scenarios = ScenarioFile.model_validate({"seed": 3, "scenario": [
        {"name": "drop out", "dropout": {"rate": 0.3}},
        {"name": "fewer places, drop out", "places": [{"sector": "Zorg/welzijn/sport", "change": -5}],
         "dropout": {"rate": 0.2}},
    ]})
    closing = Simulation(instance, Policy(), scenarios)
    scratch = Simulation(instance, Policy(), scenarios)
    scratch.closes_in_place = lambda: False  # every run from scratch, as with confirmed placements
    assert closing.shared_networks(4) == [0, 2]
    for task in plan_runs(closing, 4):
        fast, slow = run_once(closing, task), run_once(scratch, task)
        assert fast.proven_optimal and slow.proven_optimal
        assert fast.placed.sum() == slow.placed.sum()
        assert fast.companies_dropped == slow.companies_dropped
        for cell in ("seeking", "places"):
            assert np.array_equal(fast.cells[cell], slow.cells[cell]), cell
        assert fast.cells["unplaced"].sum() == slow.cells["unplaced"].sum()
    assert set(closing._cache) >= {("network", 0), ("network", 2)}


def test_baseline_run_is_the_solve():
    instance = generate_instance(region="AM13", students=400, seed=4)
    scenarios = ScenarioFile.model_validate({"seed": 1, "scenario": [{"name": "d", "dropout": {"rate": 0.1}}]})
    simulation = Simulation(instance, Policy(), scenarios)
    outcome = run_once(simulation, plan_runs(simulation, 2)[0])
    placed = set(solve(instance, Policy()).placements["student_id"])
    assert set(np.asarray([s.student_id for s in instance.students])[outcome.placed]) == placed
