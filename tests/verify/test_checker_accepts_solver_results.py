"""The independent checker accepts what the engine writes (and so the two agree on the model)."""

import pytest

from matcher import solve
from matcher.verify.checker import check_result, format_report
from models import Policy
from tests.support.random_instances import random_instance


@pytest.mark.parametrize("seed", range(25))
def test_solver_result_passes_the_checker(tmp_path, seed):
    inst = random_instance(seed, n_students=30, n_vacancies=15)
    policy = Policy()
    solve(inst, policy).write(tmp_path / "result")
    report = check_result(inst, tmp_path / "result", policy)
    assert report.ok, format_report(report)
    assert report.n_placed + report.n_unplaced == len(inst.students)
