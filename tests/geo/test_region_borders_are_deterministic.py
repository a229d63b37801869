"""The region borders are the same array on every call, in this process and another, and a box's
borders are the country's within it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from matcher.geo.outlines import region_borders

AM13 = ((51.9, 52.25), (4.8, 5.35))


def test_two_calls_and_another_process_give_the_same_bytes():
    first = region_borders(*AM13)
    first[:] = 0.0  # a caller's change to its copy must not reach the next caller
    again, third = region_borders(*AM13), region_borders(*AM13)
    assert len(again) > 50 and again.dtype == np.float64
    assert again.tobytes() == third.tobytes()
    code = ("import sys; from matcher.geo.outlines import region_borders; "
            f"sys.stdout.buffer.write(region_borders(*{AM13!r}).tobytes())")
    other = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=120).stdout
    assert other == again.tobytes()


def test_a_box_has_the_countrys_borders_within_it():
    box, country = region_borders(*AM13), region_borders((50.0, 54.0), (3.0, 8.0))
    (south, north), (west, east) = AM13
    assert (box[:, [0, 2]] >= west).all() and (box[:, [0, 2]] <= east).all()
    assert (box[:, [1, 3]] >= south).all() and (box[:, [1, 3]] <= north).all()
    # Each of the box's segments lies within one of the country's (a segment's box is the segment).
    def spans(borders):
        return (np.minimum(borders[:, 0], borders[:, 2]), np.minimum(borders[:, 1], borders[:, 3]),
                np.maximum(borders[:, 0], borders[:, 2]), np.maximum(borders[:, 1], borders[:, 3]))

    (w, s, e, n), (cw, cs, ce, cn) = spans(box), spans(country)
    within = (cw[None] <= w[:, None]) & (cs[None] <= s[:, None]) & (ce[None] >= e[:, None]) & (cn[None] >= n[:, None])
    assert within.any(axis=1).all()
