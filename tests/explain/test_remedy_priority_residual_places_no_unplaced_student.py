"""Defect guarded: the priority-tier max flow behind the remedies used to be any
max flow, which may route a unit through a student the optimum leaves out; the
residual tests then start from the wrong graph. It must place only students the
optimum places, and still reach the optimum's priority count r(P)."""

import numpy as np

from matcher.engine.solve import solve_in_detail
from matcher.explain.remedy import _Context
from matcher.generator.synth import generate_instance


def test_priority_flow_uses_no_unplaced_student_and_keeps_its_value():
    solved = solve_in_detail(generate_instance(region="AM13", students=700, seed=8), certificate=False)
    context = _Context(solved)
    network = solved.network
    flows = context._priority_flows()
    entry = network.arc_ranges()["entry"]
    through = flows[entry] > 0
    assert through.any()
    assert context.placed[network.active_students[through]].all()
    assert int(through.sum()) == sum(s.max_priority_placed for s in solved.solutions)
    assert np.array_equal(context.residuals[True].from_root[network.hub_priority:network.hub_priority + 1], [True])
