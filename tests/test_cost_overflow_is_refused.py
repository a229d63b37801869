"""Integer costs that could overflow OR-Tools' int64 cost scaling are refused, not solved wrongly."""

import numpy as np
import pytest

from builders import instance, student, vacancy
from matcher.candidates import generate_candidates
from matcher.errors import ModelError
from matcher.network import build_network
from matcher.problem import build_problem
from models import Policy


def test_huge_weights_raise_model_error():
    policy = Policy()
    problem = build_problem(instance([student("s1")], [vacancy("v1")]), policy)
    candidates = generate_candidates(problem, policy)
    absurd = np.full(problem.n_students, 10**17, dtype=np.int64)
    with pytest.raises(ModelError, match="cost range"):
        build_network(problem, candidates, policy.costs.duo_partner, absurd)


def test_ordinary_weights_pass():
    policy = Policy()
    problem = build_problem(instance([student("s1")], [vacancy("v1")]), policy)
    network = build_network(problem, generate_candidates(problem, policy), 30, problem.s_weight)
    assert network.big_m > int(network.costs[: network.n_candidate_arcs].max())
