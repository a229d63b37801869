"""The certificate's potentials are the residual graph's shortest-path distances from a virtual source joined
to every node at cost 0 (networkx's Bellman–Ford as the reference), and a negative cycle yields none."""

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.engine.certificate import residual_potentials


def reference(tails, heads, capacities, costs, flows, n_nodes):
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n_nodes + 1))
    residual = [(t, h, c) for t, h, u, c, f in zip(tails, heads, capacities, costs, flows) if f < u]
    residual += [(h, t, -c) for t, h, u, c, f in zip(tails, heads, capacities, costs, flows) if f > 0]
    residual += [(n_nodes, v, 0) for v in range(n_nodes)]
    for t, h, c in residual:  # parallel residual arcs: the cheapest counts
        if not graph.has_edge(t, h) or graph[t][h]["weight"] > c:
            graph.add_edge(int(t), int(h), weight=int(c))
    try:
        distance = nx.single_source_bellman_ford_path_length(graph, n_nodes)
    except nx.NetworkXUnbounded:
        return None
    return np.array([distance[v] for v in range(n_nodes)])


@st.composite
def flow_graphs(draw):
    n = draw(st.integers(1, 9))
    m = draw(st.integers(0, 24))
    tails = np.array(draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)), dtype=np.int64)
    heads = np.array(draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)), dtype=np.int64)
    capacities = np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)), dtype=np.int64)
    costs = np.array(draw(st.lists(st.integers(-6, 20), min_size=m, max_size=m)), dtype=np.int64)
    flows = np.array([draw(st.integers(0, int(u))) for u in capacities], dtype=np.int64)
    return tails, heads, capacities, costs, flows, n


@settings(max_examples=400, deadline=None)
@given(flow_graphs())
def test_potentials_are_the_shortest_distances_or_none_on_a_negative_cycle(graph):
    expected = reference(*graph)
    distance, passes = residual_potentials(*graph)
    if expected is None:
        assert distance is None
    else:
        assert distance is not None and passes >= 1
        np.testing.assert_array_equal(distance, expected)


def test_a_pass_limit_too_low_to_settle_the_labels_gives_none():
    # A chain 5 -> 4 -> ... -> 0 at cost -1 each, against the node order: each pass carries the labels one
    # arc further, so they settle only after 5 passes of improvements.
    tails, heads = np.arange(5, 0, -1), np.arange(4, -1, -1)
    ones = np.ones(5, dtype=np.int64)
    args = (tails, heads, ones, -ones, np.zeros(5, dtype=np.int64), 6)
    distance, passes = residual_potentials(*args)
    np.testing.assert_array_equal(distance, [-5, -4, -3, -2, -1, 0])
    assert passes > 5
    np.testing.assert_array_equal(residual_potentials(*args, max_passes=passes)[0], distance)
    assert residual_potentials(*args, max_passes=passes - 1)[0] is None
