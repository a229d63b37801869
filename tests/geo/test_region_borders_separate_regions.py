"""The approximate region borders lie between PC4 centres of different regions, and only there.

Distances are measured in the projection the borders are drawn in
(:mod:`matcher.geo.outlines`: kilometres east and north at a fixed reference
latitude), so that the grid's bounds hold exactly.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import Delaunay, cKDTree

from matcher.geo.outlines import CELL_KM, KM_PER_DEGREE, REACH_KM, REFERENCE_LAT, region_borders
from matcher.geo.tables import pc4_table

COUNTRY = ((50.0, 54.0), (3.0, 8.0))
# Half a cell's diagonal is 0.707 cells: no grid point is farther than that from a cell edge's
# nearest cell centre. The bounds below round it up.
HALF_DIAGONAL = 0.75 * CELL_KM
DIAGONAL = 1.5 * CELL_KM


def _km(lon, lat) -> np.ndarray:
    return np.column_stack([np.asarray(lon) * KM_PER_DEGREE * np.cos(np.radians(REFERENCE_LAT)),
                            np.asarray(lat) * KM_PER_DEGREE])


def _centres() -> tuple[np.ndarray, np.ndarray]:
    table = pc4_table()
    return _km(table["lon"], table["lat"]), table["amr_code_approx"].to_numpy()


def _crosses(a: np.ndarray, b: np.ndarray, borders: np.ndarray) -> np.ndarray:
    """Whether each straight line a[i]–b[i] meets at least one border segment (touching counts)."""
    p, q = _km(borders[:, 0], borders[:, 1]), _km(borders[:, 2], borders[:, 3])

    def side(u, v, w):
        return (v[..., 0] - u[..., 0]) * (w[..., 1] - u[..., 1]) - (v[..., 1] - u[..., 1]) * (w[..., 0] - u[..., 0])

    met = np.zeros(len(a), dtype=bool)
    for start in range(0, len(a), 200):  # 200 lines against every segment at a time
        u, v = a[start:start + 200, None], b[start:start + 200, None]
        line_between_ends = side(u, v, p[None]) * side(u, v, q[None]) <= 0
        segment_between_ends = side(p[None], q[None], u) * side(p[None], q[None], v) <= 0
        met[start:start + 200] = (line_between_ends & segment_between_ends).any(axis=1)
    return met


def test_neighbouring_centres_of_different_regions_have_a_border_between_them():
    xy, region = _centres()
    triangles = Delaunay(xy).simplices
    pairs = np.unique(np.sort(np.concatenate([triangles[:, [0, 1]], triangles[:, [1, 2]], triangles[:, [0, 2]]]),
                              axis=1), axis=0)
    pairs = pairs[region[pairs[:, 0]] != region[pairs[:, 1]]]
    # A cell holding a centre lies within half a diagonal of it, so it takes that centre's region
    # unless a centre of another region lies within a diagonal: such crowded centres are left out.
    close = cKDTree(xy).query_pairs(DIAGONAL, output_type="ndarray")
    crowded = np.zeros(len(xy), dtype=bool)
    mixed = close[region[close[:, 0]] != region[close[:, 1]]]
    crowded[mixed.ravel()] = True
    pairs = pairs[~crowded[pairs[:, 0]] & ~crowded[pairs[:, 1]]]
    assert len(pairs) > 500
    met = _crosses(xy[pairs[:, 0]], xy[pairs[:, 1]], region_borders(*COUNTRY))
    codes = pc4_table().index.to_numpy()
    assert met.all(), [tuple(codes[pair]) for pair in pairs[~met][:10]]


def test_every_border_lies_where_two_regions_or_the_outside_meet():
    xy, region = _centres()
    borders = region_borders(*COUNTRY)
    assert len(borders) > 1000
    middle = _km((borders[:, 0] + borders[:, 2]) / 2, (borders[:, 1] + borders[:, 3]) / 2)
    # A border is the edge of two cells whose nearest centres are of different regions (both
    # within a diagonal beyond the middle's own nearest centre), or of a cell with no centre
    # within reach (the middle's nearest centre is then farther than reach less half a diagonal).
    distance, nearest = cKDTree(xy).query(middle, k=100)
    own = distance[:, 0]
    around = distance <= own[:, None] + DIAGONAL
    other_region = (region[nearest] != region[nearest[:, :1]]) & around
    at_edge = own > REACH_KM - HALF_DIAGONAL
    lost = ~(other_region.any(axis=1) | at_edge)
    assert not lost.any(), borders[lost][:10]
    assert at_edge.any() and other_region.any(axis=1).any()  # both kinds of border are there


def test_a_box_inside_one_region_has_no_border_and_the_coast_has_one():
    # Utrecht's centre is AM13 for kilometres around.
    assert region_borders((52.07, 52.11), (5.08, 5.14)).shape == (0, 4)
    # From The Hague's seafront 20 km out to sea, the coast is crossed.
    table = pc4_table()
    seafront = _km([table.at["2586", "lon"]], [table.at["2586", "lat"]])
    sea = seafront - [[20.0, 0.0]]
    assert _crosses(seafront, sea, region_borders((51.9, 52.3), (3.9, 4.5))).all()
