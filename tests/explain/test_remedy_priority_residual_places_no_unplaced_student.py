"""Defect guarded: the priority-tier max flow behind the remedies used to be any
max flow, which may route a unit through a student the optimum leaves out; the
residual tests then start from the wrong graph. It must place only students the
optimum places, and still reach the optimum's priority count r(P)."""

import numpy as np

from matcher.engine.solve import solve_in_detail
from matcher.explain.remedy import priority_flows
from matcher.generator.synth import generate_instance


def test_priority_flow_uses_no_unplaced_student_and_keeps_its_value():
    solved = solve_in_detail(generate_instance(region="AM13", students=700, seed=8), certificate=False)
    network = solved.network
    placed = np.zeros(solved.problem.n_students, dtype=bool)
    placed[solved.candidates.student[solved.flows[: network.n_candidate_arcs] > 0]] = True
    flows = priority_flows(solved, placed)
    entry = network.arc_ranges()["entry"]
    through = flows[entry] > 0
    assert through.any()
    assert placed[network.active_students[through]].all()
    value = sum(s.max_priority_placed for s in solved.solutions)
    assert int(through.sum()) == value
    # A flow from hub_priority to the sink: within the capacities, conserved at every other node.
    assert ((0 <= flows) & (flows <= network.capacities)).all()
    out = np.bincount(network.tails, flows, minlength=network.n_nodes)
    into = np.bincount(network.heads, flows, minlength=network.n_nodes)
    expected = np.zeros(network.n_nodes)
    expected[[network.hub_priority, network.sink]] = value, -value
    assert np.array_equal(out - into, expected)
