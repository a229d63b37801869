"""Approximate borders of the labour-market regions, drawn from the vendored PC4 table alone.

The PC4 table has centre points, not shapes, and each PC4's region is itself an
approximation (``amr_code_approx``: the region whose centre town is nearest).
The borders here follow from that: the country is covered by a regular grid of
:data:`CELL_KM` cells in a local equirectangular projection, every cell takes
the region of its nearest PC4 centre, or none ("outside") when no centre lies
within :data:`REACH_KM`, which gives the coast and the country's edge as well.
A border is a cell edge with a different region (or outside) on either side.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from matcher.geo.tables import pc4_table

# Grid cells are this wide and high: fine enough for a region's map, coarse enough that
# the country takes about 90,000 cells.
CELL_KM = 1.0
# A cell whose nearest PC4 centre is farther than this is outside the country (sea, lakes,
# abroad). Nine PC4 centres in ten have a neighbour within 3 km and 99 in 100 within 4.7 km, so
# inland such cells are few, and those the sea cannot reach are land again (below).
REACH_KM = 4.0
# The projection's reference latitude: the middle of the Netherlands. A fixed one (rather
# than the map's) keeps the borders of a part of the country those of the whole.
REFERENCE_LAT = 52.1
KM_PER_DEGREE = 6371.0088 * np.pi / 180.0
OUTSIDE = -1


def _km_per_degree_lon() -> float:
    return KM_PER_DEGREE * float(np.cos(np.radians(REFERENCE_LAT)))


@lru_cache(maxsize=1)
def _national_borders() -> np.ndarray:
    """Every border segment of the country (lon0, lat0, lon1, lat1), read-only."""
    table = pc4_table()
    x = table["lon"].to_numpy() * _km_per_degree_lon()
    y = table["lat"].to_numpy() * KM_PER_DEGREE
    # The grid starts on a whole multiple of the cell size, with room beyond the outermost
    # centres for the outside to surround the country.
    margin = REACH_KM + 2 * CELL_KM
    x0 = np.floor((x.min() - margin) / CELL_KM) * CELL_KM
    y0 = np.floor((y.min() - margin) / CELL_KM) * CELL_KM
    nx = int(np.ceil((x.max() + margin - x0) / CELL_KM))
    ny = int(np.ceil((y.max() + margin - y0) / CELL_KM))
    cx = x0 + (np.arange(nx) + 0.5) * CELL_KM
    cy = y0 + (np.arange(ny) + 0.5) * CELL_KM
    gx, gy = np.meshgrid(cx, cy)  # rows run south to north, columns west to east
    distance, nearest = cKDTree(np.column_stack([x, y])).query(np.column_stack([gx.ravel(), gy.ravel()]))
    _, region_of_pc4 = np.unique(table["amr_code_approx"].to_numpy(), return_inverse=True)
    nearest_region = region_of_pc4[nearest].reshape(ny, nx)
    region = np.where(distance.reshape(ny, nx) <= REACH_KM, nearest_region, OUTSIDE)

    # Outside cells the sea cannot reach (a sparsely numbered heath or forest, such as the
    # Veluwe's) are land: they take their nearest centre's region instead of a hole's outline.
    holes, _ = ndimage.label(region == OUTSIDE)
    open_sea = np.unique(np.concatenate([holes[0], holes[-1], holes[:, 0], holes[:, -1]]))
    enclosed = (holes > 0) & ~np.isin(holes, open_sea)
    region[enclosed] = nearest_region[enclosed]

    x_edges = (x0 + np.arange(nx + 1) * CELL_KM) / _km_per_degree_lon()
    y_edges = (y0 + np.arange(ny + 1) * CELL_KM) / KM_PER_DEGREE
    # Vertical borders: between columns j and j + 1 of a row, merged along runs of rows.
    column, start, stop = _runs((region[:, 1:] != region[:, :-1]).T)
    vertical = np.column_stack([x_edges[column + 1], y_edges[start], x_edges[column + 1], y_edges[stop]])
    # Horizontal borders: between rows i and i + 1 of a column, merged along runs of columns.
    row, start, stop = _runs(region[1:, :] != region[:-1, :])
    horizontal = np.column_stack([x_edges[start], y_edges[row + 1], x_edges[stop], y_edges[row + 1]])
    borders = np.concatenate([vertical, horizontal])
    borders.flags.writeable = False
    return borders


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each run of True along the rows of ``mask``: its row, first index and one past its last."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    change = np.diff(padded, axis=1)
    # Row-major order pairs each row's starts with its stops.
    line, start = np.nonzero(change == 1)
    _, stop = np.nonzero(change == -1)
    return line, start, stop


def region_borders(lat_range: tuple[float, float], lon_range: tuple[float, float]) -> np.ndarray:
    """Approximate borders of the labour-market regions and the country within a box.

    The borders are approximate twice over. Each PC4 area belongs to the region
    whose centre town is nearest (``amr_code_approx`` of the vendored table),
    whereas real regions follow municipality borders; and the PC4 areas
    themselves are known by their centres only, so each point of the country
    belongs to its nearest PC4 centre, on a grid of :data:`CELL_KM` cells. A
    point with no PC4 centre within :data:`REACH_KM` is outside the country
    (sea, large lakes, abroad) unless the outside cannot reach it. The borders
    are the grid's cell edges between different regions or between a region and
    the outside, so they run in steps of :data:`CELL_KM`; collinear neighbouring
    edges are merged into one segment.

    Parameters
    ----------
    lat_range
        Southern and northern latitude of the box (degrees, WGS84).
    lon_range
        Western and eastern longitude of the box (degrees, WGS84).

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 4)``: one segment per row, ``lon0, lat0, lon1, lat1``, each
        either north-south or east-west and cut to the box. The same arguments
        give the same array; the borders of a box are those of the whole country
        within it.
    """
    south, north = lat_range
    west, east = lon_range
    borders = _national_borders()
    lon0, lat0, lon1, lat1 = borders.T
    # Every segment runs along a meridian or a parallel, so clamping its ends to the box
    # cuts it to the box once it touches the box at all.
    touches = (np.maximum(lon0, lon1) >= west) & (np.minimum(lon0, lon1) <= east) \
        & (np.maximum(lat0, lat1) >= south) & (np.minimum(lat0, lat1) <= north)
    cut = borders[touches].copy()
    cut[:, [0, 2]] = np.clip(cut[:, [0, 2]], west, east)
    cut[:, [1, 3]] = np.clip(cut[:, [1, 3]], south, north)
    # A segment that only touched the box's edge is now a point.
    return cut[(cut[:, 0] != cut[:, 2]) | (cut[:, 1] != cut[:, 3])]
