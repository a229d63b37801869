"""The vendored Dutch geography tables (see ``matcher/geo/data/ATTRIBUTION.md``)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd


def _data_path(name: str):
    return resources.files("matcher.geo") / "data" / name


@lru_cache(maxsize=1)
def pc4_table() -> pd.DataFrame:
    """Every PC4 area: ``pc4`` (index, str), lat, lon, place, province, gemeente,
    n_pc6, amr_code_approx (nearest region centre: an approximation)."""
    with _data_path("nl_pc4.csv").open("rb") as fh:
        table = pd.read_csv(fh, dtype={"pc4": str, "amr_code_approx": str})
    table = table.set_index("pc4").sort_index()
    if not table.index.is_unique:
        raise ValueError("vendored table has duplicate pc4 codes")
    return table


@lru_cache(maxsize=1)
def known_pc4() -> frozenset[str]:
    """The set of existing PC4 codes."""
    return frozenset(pc4_table().index)


@lru_cache(maxsize=1)
def regions() -> pd.DataFrame:
    """The 35 labour-market regions, indexed by ``amr_code``."""
    with _data_path("arbeidsmarktregios.csv").open("rb") as fh:
        return pd.read_csv(fh, dtype=str).set_index("amr_code").sort_index()


@lru_cache(maxsize=1)
def places() -> pd.DataFrame:
    """Towns with at least 1,000 inhabitants and their CBS municipality code."""
    with _data_path("nl_places.csv").open("rb") as fh:
        return pd.read_csv(fh, dtype={"cbs_gemeentecode": str})
