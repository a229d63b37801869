"""The qualification catalogue (crebo, name, level, sector) shipped with stagematch.

Real qualifications with their sources; see ``matcher/geo/data/CATALOGUE_SOURCES.md``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd


@lru_cache(maxsize=1)
def qualifications() -> pd.DataFrame:
    """The catalogue indexed by crebo (str): name, level, sector, source."""
    path = resources.files("matcher.geo") / "data" / "catalogue.csv"
    with path.open("rb") as fh:
        table = pd.read_csv(fh, dtype={"crebo": str})
    table = table.set_index("crebo").sort_index()
    if not table.index.is_unique:
        raise ValueError("vendored table has duplicate crebo codes")
    return table


@lru_cache(maxsize=1)
def sectors() -> tuple[str, ...]:
    """The sector names of the catalogue, sorted: the names ``companies.csv`` may use.

    They are the sector names of the statistics (``summary.json``'s
    ``by_sector``, the planner's cells), so a company's sector must be one of
    them: another spelling would split a sector in two.
    """
    return tuple(sorted(set(qualifications()["sector"])))


def sector_of(crebos) -> pd.Series:
    """Sector of each crebo, ``"unknown"`` for crebos outside the catalogue."""
    sectors = qualifications()["sector"]
    return pd.Series(list(crebos), dtype=object).map(sectors).fillna("unknown")
