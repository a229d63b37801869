"""The verifications of the advice are shared out over worker processes; the advice (both tables, every
cell, in order) is the same with one process as with two."""

from matcher.engine.solve import solve_in_detail
from matcher.explain.advice import advise
from matcher.generator.synth import generate_instance
from models import Policy


def test_advice_is_the_same_with_one_and_two_workers():
    solved = solve_in_detail(generate_instance(preset="national", students=6000, seed=4), Policy())
    alone, shared = advise(solved, verify=6, jobs=1), advise(solved, verify=6, jobs=2)
    assert alone.capacities["verified"].sum() == 6  # there is something to share out
    assert alone.capacities.equals(shared.capacities)
    assert alone.cells.equals(shared.cells)
