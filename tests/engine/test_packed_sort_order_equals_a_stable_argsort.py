"""sort_order packs key and index into one number to sort by value; it must stay a stable argsort, and
the reduced residual's choice among parallel arcs built on it must stay the lexicographic one."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.engine.csr import sort_order
from matcher.explain.residual import _cheapest_per_key

keys_strategy = st.lists(st.integers(min_value=0, max_value=40), max_size=200)


@given(keys_strategy, st.sampled_from([1, 1 << 20, 1 << 40, 1 << 61]))
@settings(max_examples=200, deadline=None)
def test_sort_order_is_a_stable_argsort_for_small_and_huge_keys(values, spread):
    # Huge keys leave no bits for the index: the fallback must give the same order.
    keys = np.asarray(values, dtype=np.int64) * spread
    order, sorted_keys = sort_order(keys)
    expected = np.argsort(keys, kind="stable")
    assert order.tolist() == expected.tolist()
    assert sorted_keys.tolist() == keys[expected].tolist()


@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 3)), max_size=150), st.randoms())
@settings(max_examples=200, deadline=None)
def test_cheapest_per_key_is_the_lexicographic_first_of_each_key(rows, random):
    key = np.asarray([k for k, _ in rows], dtype=np.int64)
    reduced = np.asarray([r for _, r in rows], dtype=np.int64)
    arc = np.asarray(random.sample(range(1000), len(rows)), dtype=np.int64)
    order = np.lexsort((arc, reduced, key))
    first = np.r_[True, key[order][1:] != key[order][:-1]] if len(order) else np.zeros(0, dtype=bool)
    assert _cheapest_per_key(key, reduced, arc).tolist() == order[first].tolist()
