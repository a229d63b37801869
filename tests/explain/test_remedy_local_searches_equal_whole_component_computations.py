"""The remedies' local searches give what the whole-graph computations they replace give (issue 15: national
remedies): the breadth-first search from a student within its dominator subtree meets the nodes it dominates in
the order of a search over the whole residual graph, and the recruited company's sizing flow (a max flow near
the rivals, completed by augmenting paths) equals OR-Tools' max flow over every root-reachable arc. Checked
for every unplaced student of generated and random instances, against random target sets."""

import numpy as np
import pytest
from ortools.graph.python import max_flow
from scipy.sparse.csgraph import breadth_first_order

from matcher.engine.solve import solve_in_detail
from matcher.explain.remedy import _Context
from matcher.generator.synth import generate_instance
from tests.support.random_instances import random_policy, random_varied_instance


def _whole_graph_flow(residual, targets: np.ndarray, avoid: int) -> int:
    """The max flow root → targets (one unit each) over all root-reachable arcs not touching ``avoid``."""
    keep = (residual.heads != avoid) & (residual.tails != avoid)
    targets = np.unique(targets[(targets != avoid) & (targets != residual.root)])
    sink = len(residual.pre)
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(np.concatenate([residual.tails[keep], targets]),
                                  np.concatenate([residual.heads[keep], np.full(len(targets), sink)]),
                                  np.concatenate([residual.room[keep], np.ones(len(targets), dtype=np.int64)]))
    assert solver.solve(residual.root, sink) == solver.OPTIMAL
    return int(solver.optimal_flow())


def _contexts():
    yield "AM13-700", solve_in_detail(generate_instance(region="AM13", students=700, seed=5), certificate=False)
    yield "AM13-1500", solve_in_detail(generate_instance(region="AM13", students=1500, seed=2), certificate=False)
    for seed in range(12):
        yield f"varied-{seed}", solve_in_detail(random_varied_instance(seed, n_students=40, n_vacancies=14),
                                                random_policy(seed), certificate=False)


@pytest.fixture(scope="module")
def contexts():
    return [(name, _Context(solved)) for name, solved in _contexts()]


def test_the_search_within_the_dominator_subtree_meets_what_the_whole_search_meets_in_its_order(contexts):
    checked = 0
    for name, context in contexts:
        for residual in context.residuals.values():
            for node in context.node[~context.placed].tolist():
                if node < 0:
                    continue
                whole = breadth_first_order(residual.graph, node, return_predecessors=False)
                if residual.pre[node] >= 0:
                    inside = (residual.pre[whole] >= residual.pre[node]) & (residual.pre[whole] < residual.post[node])
                    whole = whole[inside]
                assert residual.dominated_in_search_order(node).tolist() == whole.tolist(), (name, node)
                checked += 1
    assert checked > 500


def test_the_sizing_flow_equals_a_max_flow_over_every_root_reachable_arc(contexts):
    rng = np.random.default_rng(7)
    checked, short = 0, 0
    for name, context in contexts:
        student_nodes = context.node[context.node >= 0]
        for residual in context.residuals.values():
            for node in context.node[~context.placed].tolist()[:120]:
                targets = rng.choice(student_nodes, size=min(len(student_nodes), int(rng.integers(1, 15))),
                                     replace=False)
                expected = _whole_graph_flow(residual, targets, node)
                assert residual.max_flow_to(targets, avoid=node) == expected, (name, node)
                checked += 1
                short += expected < len(np.unique(targets[targets != node]))
    # Both outcomes are exercised: every target moves, and some cannot (the last search fails).
    assert checked > 500 and 0 < short < checked
