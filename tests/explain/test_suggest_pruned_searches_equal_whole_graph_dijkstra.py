"""The shortlist's searches back to the return nodes, pruned where the way through the sink is no longer,
give every node's exact distance, and walk paths that are simple, cost what they say and touch the fewest
other students among the cheapest.

The reference is scipy's Dijkstra over the whole reduced residual graph of each component, unpruned: once
with the reduced costs (the distances), once with the search's own lengths (cost·n plus 1 per student left,
the tie-break). Components of a generated region (many exchanges, some through the sink and some around it)
and of random instances (duo places, unplaced students).
"""

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from matcher.engine.solve import solve_in_detail
from matcher.explain import suggest
from matcher.explain.residual import exchange_graph, reduced_residual
from matcher.generator.synth import generate_instance
from models import Policy
from tests.support.random_instances import random_instance


def return_nodes(graph):
    """Every node a student's unit goes back through (its place, or the sink)."""
    held = np.flatnonzero((graph.flows > 0) & (graph.candidate | (graph.network_arc < 0)))
    return np.unique(graph.heads[held])


def balances(keys, signs):
    """The nonzero sums of ``signs`` per key, keys ascending."""
    unique, inverse = np.unique(keys, return_inverse=True)
    total = np.bincount(inverse, weights=signs, minlength=len(unique))
    return unique[total != 0], total[total != 0]


def compare_component(solved, part_index, batch):
    graph = exchange_graph(solved, part_index)
    residual = reduced_residual(graph)
    targets = return_nodes(graph)
    search = suggest._ReturnSearch(residual, graph.student_nodes, graph.sink, batch)
    n = graph.n_nodes
    leaves_student = np.zeros(n)
    leaves_student[graph.student_nodes] = 1
    tie_broken = residual.reversed.copy()  # row: head, column: tail
    tie_broken.data = tie_broken.data * n + leaves_student[tie_broken.indices]
    seen = {"labelled": 0, "through the sink": 0}
    for start in range(0, len(targets), batch):
        rows_targets = targets[start:start + batch]
        search.search(rows_targets)
        expected = dijkstra(residual.reversed, directed=True, indices=rows_targets)
        lengths = dijkstra(tie_broken, directed=True, indices=rows_targets)
        row = np.repeat(np.arange(len(rows_targets)), n)
        node = np.tile(np.arange(n), len(rows_targets))
        assert np.array_equal(search.distances(row, node), expected.ravel())
        reachable = np.isfinite(expected.ravel())
        row, node = row[reachable], node[reachable]
        path, tail, head = search.path_arcs(row, node)
        cost = np.bincount(path, weights=np.asarray(residual.reversed[head, tail]).ravel(), minlength=len(row))
        assert np.array_equal(cost, expected[row, node])
        touched = np.bincount(path, weights=leaves_student[tail], minlength=len(row))
        if search.scale > 1:
            assert np.array_equal(cost * n + touched, lengths[row, node])
        assert len(np.unique(path * n + tail)) == len(path)  # no node twice on a path
        # Out minus in is 1 at the start, -1 at the target and 0 elsewhere: a path from one to the other.
        keys, balance = balances(np.r_[path * n + tail, path * n + head],
                                 np.r_[np.ones(len(path)), -np.ones(len(path))])
        walked = np.bincount(path, minlength=len(row)) > 0
        ends = np.flatnonzero(walked)
        expected_keys, expected_balance = balances(np.r_[ends * n + node[ends], ends * n + rows_targets[row[ends]]],
                                                   np.r_[np.ones(len(ends)), -np.ones(len(ends))])
        assert np.array_equal(keys, expected_keys) and np.array_equal(balance, expected_balance)
        assert not walked[node == rows_targets[row]].any()
        local = np.isfinite(search.distance[row * n + node]) & (node != rows_targets[row])
        seen["labelled"] += int(local.sum())
        seen["through the sink"] += int((~local & walked).sum())
    return seen


@pytest.mark.parametrize("batch", [1, 7, 64])
def test_region_searches_equal_whole_graph_dijkstra(batch):
    instance = generate_instance(region="AM13", students=1500, seed=3)
    solved = solve_in_detail(instance, Policy())
    seen = {"labelled": 0, "through the sink": 0}
    for index in range(len(solved.parts)):
        for name, count in compare_component(solved, index, batch).items():
            seen[name] += count
    assert all(seen.values()), seen  # both kinds of path were walked


@pytest.mark.parametrize("seed", range(8))
def test_random_instance_searches_equal_whole_graph_dijkstra(seed):
    solved = solve_in_detail(random_instance(seed, n_students=14, n_vacancies=8), Policy())
    for index in range(len(solved.parts)):
        compare_component(solved, index, 3)
