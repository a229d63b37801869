"""The remedies' local computations give what the whole-graph computations they replace give (issue 15:
national remedies): whom each node's way in passes (entry_owners) is the dominator tree of networkx for
every unplaced student; the breadth-first search from a student within what it dominates meets those nodes in
the order of a search over the whole residual graph; and the recruited company's sizing flow (a max flow near
the rivals, completed by augmenting paths) equals OR-Tools' max flow over every root-reachable arc. Checked
for every unplaced student of generated and random instances, against random target sets."""

import networkx as nx
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
    sink = len(residual.owner)
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


def _dominator_children(residual) -> dict[int, list[int]]:
    """networkx's dominator tree of the residual graph rooted at its root, as children per node."""
    graph = nx.DiGraph()
    graph.add_node(residual.root)
    graph.add_edges_from(zip(residual.tails.tolist(), residual.heads.tolist()))
    children: dict[int, list[int]] = {}
    for child, parent in nx.immediate_dominators(graph, residual.root).items():
        if child != parent:
            children.setdefault(parent, []).append(child)
    return children


def _subtree(children: dict[int, list[int]], node: int) -> set[int]:
    below, stack = set(), [node]
    while stack:
        below.add(stack[-1])
        stack.extend(children.get(stack.pop(), []))
    return below


def test_whom_the_way_in_passes_is_the_dominator_tree_and_the_search_keeps_its_order(contexts):
    checked = 0
    for name, context in contexts:
        for residual in context.residuals.values():
            children = _dominator_children(residual)
            for node in context.node[~context.placed].tolist():
                if node < 0 or (residual.root != context.solved.network.source and
                                residual.owner[node] != node):  # the priority residual: its students only
                    continue
                dominated = _subtree(children, node)
                assert set(np.flatnonzero(residual.owner == node).tolist()) == dominated, (name, node)
                whole = breadth_first_order(residual.graph, node, return_predecessors=False)
                expected = [x for x in whole.tolist() if x in dominated]
                assert residual.dominated_in_search_order(node).tolist() == expected, (name, node)
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
