"""A max flow updated from the last one (engine/warm_flow.py) equals OR-Tools' max flow from scratch.

Random layered networks (acyclic, as the placement network is), random capacity changes: the change in
value, the flow's feasibility and the residual cut sides after the update are those of a solve from
scratch, and an update with ``undo`` leaves capacities and flow as they were. With two components sharing
only the root and the sink, a search confined to the changed one finds the same change.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.graph.python import max_flow

from matcher.engine.warm_flow import WarmMaxFlow
from matcher.explain.residual import cut_sides


def layered_network(rng: np.random.Generator, layers: list[int], density: float):
    """Root 0, the layers' nodes, sink last; arcs only from one layer to the next."""
    starts = np.cumsum([0, 1, *layers])
    n_nodes = int(starts[-1]) + 1
    bounds = [(0, 1)] + [(int(starts[i + 1]), int(starts[i + 2])) for i in range(len(layers))] + \
        [(n_nodes - 1, n_nodes)]
    tails, heads = [], []
    for (a0, a1), (b0, b1) in zip(bounds[:-1], bounds[1:]):
        for t in range(a0, a1):
            for h in range(b0, b1):
                if rng.random() < density:
                    tails.append(t)
                    heads.append(h)
    # Root and sink always have an arc (OR-Tools knows only the nodes its arcs name).
    tails, heads = np.array(tails + [0, n_nodes - 2], dtype=np.int32), np.array(heads + [1, n_nodes - 1],
                                                                                 dtype=np.int32)
    capacities = rng.integers(0, 4, len(tails)).astype(np.int64)
    return tails, heads, capacities, n_nodes


def from_scratch(tails, heads, capacities, n_nodes, root, sink):
    solver = max_flow.SimpleMaxFlow()
    handles = solver.add_arcs_with_capacity(tails, heads, capacities)
    assert solver.solve(root, sink) == solver.OPTIMAL
    flows = np.asarray(solver.flows(handles), dtype=np.int32)
    return int(solver.optimal_flow()), flows, cut_sides(solver, n_nodes)


def assert_max_flow(tails, heads, capacities, flows, n_nodes, root, sink, value):
    assert (flows >= 0).all() and (flows <= capacities).all()
    balance = np.bincount(heads, weights=flows, minlength=n_nodes) - np.bincount(tails, weights=flows,
                                                                                 minlength=n_nodes)
    inner = np.ones(n_nodes, dtype=bool)
    inner[[root, sink]] = False
    assert (balance[inner] == 0).all()
    assert balance[sink] == value


@settings(max_examples=120, deadline=None)
@given(seed=st.integers(0, 10**6), layers=st.lists(st.integers(1, 6), min_size=1, max_size=4),
       density=st.floats(0.2, 0.9), n_changes=st.integers(1, 12), from_sink=st.booleans())
def test_updated_flow_equals_a_max_flow_from_scratch(seed, layers, density, n_changes, from_sink):
    rng = np.random.default_rng(seed)
    tails, heads, capacities, n_nodes = layered_network(rng, layers, density)
    root, sink = 0, n_nodes - 1
    value, flows, _ = from_scratch(tails, heads, capacities, n_nodes, root, sink)
    warm = WarmMaxFlow(tails, heads, n_nodes)
    active = np.ones(n_nodes, dtype=bool)
    changed = rng.choice(len(tails), size=min(n_changes, len(tails)), replace=False).astype(np.int64)
    new_capacities = rng.integers(0, 4, len(changed)).astype(np.int64)

    kept_capacities, kept_flows = capacities.copy(), flows.copy()
    delta = warm.update(capacities, flows, root, sink, active, changed, new_capacities, undo=True,
                        from_sink=from_sink)
    assert np.array_equal(capacities, kept_capacities) and np.array_equal(flows, kept_flows)

    assert warm.update(capacities, flows, root, sink, active, changed, new_capacities, from_sink=from_sink) == delta
    expected_capacities = kept_capacities.copy()
    expected_capacities[changed] = new_capacities
    assert np.array_equal(capacities, expected_capacities)
    new_value, _, (reach, reaches_sink) = from_scratch(tails, heads, capacities, n_nodes, root, sink)
    assert value + delta == new_value
    assert_max_flow(tails, heads, capacities, flows, n_nodes, root, sink, new_value)
    found_reach, found_reaches_sink = warm.residual_sides(capacities, flows, root, sink, active)
    assert np.array_equal(found_reach, reach) and np.array_equal(found_reaches_sink, reaches_sink)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), n_changes=st.integers(1, 10), from_sink=st.booleans())
def test_a_search_confined_to_the_changed_component_finds_the_same_change(seed, n_changes, from_sink):
    rng = np.random.default_rng(seed)
    # Two copies of a layered network that share the root and the sink.
    tails, heads, capacities, n = layered_network(rng, [4, 5, 3], 0.5)
    inner = n - 2
    shift = lambda nodes: np.where(nodes == 0, 0, np.where(nodes == n - 1, 2 * inner + 1, nodes + inner))  # noqa: E731
    first = lambda nodes: np.where(nodes == n - 1, 2 * inner + 1, nodes)  # noqa: E731
    n_nodes = 2 * inner + 2
    all_tails = np.r_[first(tails), shift(tails)].astype(np.int32)
    all_heads = np.r_[first(heads), shift(heads)].astype(np.int32)
    all_capacities = np.r_[capacities, capacities]
    root, sink = 0, n_nodes - 1
    _, flows, _ = from_scratch(all_tails, all_heads, all_capacities, n_nodes, root, sink)
    changed = rng.choice(len(tails), size=min(n_changes, len(tails)), replace=False).astype(np.int64)
    new_capacities = rng.integers(0, 4, len(changed)).astype(np.int64)

    active = np.zeros(n_nodes, dtype=bool)
    active[[root, sink]] = True
    active[1:inner + 1] = True  # the first copy only
    warm = WarmMaxFlow(all_tails, all_heads, n_nodes)
    confined = warm.update(all_capacities.copy(), flows.copy(), root, sink, active, changed, new_capacities,
                           from_sink=from_sink)
    everywhere = warm.update(all_capacities.copy(), flows.copy(), root, sink, np.ones(n_nodes, dtype=bool),
                             changed, new_capacities)
    assert confined == everywhere


@pytest.mark.parametrize("from_sink", [False, True])
def test_an_update_undoes_flow_on_an_arc_when_the_new_path_needs_it(from_sink):
    # root 0, a 1, b 2, c 3, d 4, sink 5. The flow root-a-c-sink is maximum while root-b is closed; once
    # it opens, the only second unit runs root-b-c, back along a-c, then a-d-sink.
    tails = np.array([0, 0, 1, 1, 2, 3, 4], dtype=np.int32)
    heads = np.array([1, 2, 3, 4, 3, 5, 5], dtype=np.int32)
    capacities = np.array([1, 0, 1, 1, 1, 1, 1], dtype=np.int64)
    flows = np.array([1, 0, 1, 0, 0, 1, 0], dtype=np.int32)
    warm = WarmMaxFlow(tails, heads, 6)
    delta = warm.update(capacities, flows, 0, 5, np.ones(6, dtype=bool), np.array([1]), np.array([1]),
                        from_sink=from_sink)
    assert delta == 1
    assert flows.tolist() == [1, 1, 0, 1, 1, 1, 1]
    assert_max_flow(tails, heads, capacities, flows, 6, 0, 5, 2)
