"""Realistic synthetic instances: students, vacancies, companies and supervisors.

Everything is drawn with numpy from one seed, vectorised per labour-market
region, and calibrated by the figures in :mod:`matcher.generator.calibration`
(each with its source). Geography comes from the vendored PC4 table
(:mod:`matcher.geo.tables`, GeoNames CC BY 4.0); qualifications from
``matcher/geo/data/catalogue.csv``. Ids are pseudonymous; company names are
``Bedrijf 000123``.

The national preset (250,000 students, 170,000 places) takes about 20 seconds
on two cores; most of that time goes into building the validated pydantic models.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import TypeAdapter
from scipy.spatial import cKDTree

from matcher.generator import calibration as cal
from matcher.geo import tables
from models.instance import Company, Instance, Period, Student, Supervisor, Vacancy

__all__ = ["generate_instance", "load_catalogue", "student_crebo_shares"]

PERIOD_IDS = tuple(p[0] for p in cal.PERIODS)
N_PERIODS = len(PERIOD_IDS)
KM_PER_DEGREE_LAT = 111.32
DEFAULT_REGION_STUDENTS = 5_000

# Stream numbers of the per-region random generators: one stream per stage
# keeps, e.g., the students unchanged when only vacancy drawing changes.
_STREAM_STUDENTS, _STREAM_VACANCIES, _STREAM_WISHES = 1, 2, 3


# --- Catalogue and student composition ----------------------------------------------


@lru_cache(maxsize=1)
def load_catalogue() -> pd.DataFrame:
    """Read the qualification catalogue shipped in ``matcher/geo/data/``.

    Returns
    -------
    pandas.DataFrame
        One row per qualification, sorted by crebo: ``crebo`` (str, 5 digits),
        ``name``, ``level`` (int 1-4), ``sector``, ``source``.

    Raises
    ------
    ValueError
        When a column is missing, a crebo is malformed or repeated, a level is
        outside 1-4, or a sector has no calibration figures.
    """
    path = resources.files("matcher.geo") / "data" / "catalogue.csv"
    with path.open("rb") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    missing = {"crebo", "name", "level", "sector"} - set(table.columns)
    if missing:
        raise ValueError(f"catalogue.csv lacks columns {sorted(missing)}")
    table["crebo"] = table["crebo"].str.strip()
    bad = table.loc[~table["crebo"].str.fullmatch(r"\d{5}"), "crebo"]
    if len(bad):
        raise ValueError(f"catalogue.csv: malformed crebo {bad.iloc[0]!r}")
    if table["crebo"].duplicated().any():
        repeated = table.loc[table["crebo"].duplicated(), "crebo"].iloc[0]
        raise ValueError(f"catalogue.csv: crebo {repeated} repeated")
    table["level"] = pd.to_numeric(table["level"], errors="raise").astype(int)
    if not table["level"].between(1, 4).all():
        raise ValueError("catalogue.csv: a level lies outside 1-4")
    unknown = set(table["sector"]) - set(cal.SUPPLY_PER_STUDENT)
    if unknown:
        raise ValueError(f"catalogue.csv: sectors without calibration figures: {sorted(unknown)}")
    return table.sort_values("crebo", kind="stable").reset_index(drop=True)


def _fit_sector_level_shares(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Joint (sector, level) shares that match both marginals where the catalogue
    has qualifications (iterative proportional fitting on the occupied cells)."""
    level_total = sum(cal.LEVEL_SHARES.values())
    level_target = pd.Series({k: v / level_total for k, v in cal.LEVEL_SHARES.items()})
    inflow = pd.Series(cal.SECTOR_INFLOW_SHARES_2022, dtype=float)
    sectors = sorted(set(catalogue["sector"]))
    sector_target = pd.Series(0.0, index=sectors)
    # Entree's share of students is the level-1 share, the other sectors split the rest.
    rest = [s for s in sectors if s != cal.ENTREE_SECTOR]
    inflow = inflow.reindex(rest).fillna(0.0)
    sector_target[rest] = inflow / inflow.sum() * (1.0 - level_target[1])
    if cal.ENTREE_SECTOR in sectors:
        sector_target[cal.ENTREE_SECTOR] = level_target[1]
    occupied = (
        catalogue.groupby(["sector", "level"]).size().unstack(fill_value=0)
        .reindex(index=sectors, columns=[1, 2, 3, 4], fill_value=0) > 0
    )
    joint = occupied.astype(float).mul(sector_target, axis=0).mul(level_target, axis=1)
    for _ in range(200):
        joint = joint.mul(sector_target / joint.sum(axis=1).replace(0, 1), axis=0)
        joint = joint.mul(level_target / joint.sum(axis=0).replace(0, 1), axis=1)
    return joint / joint.to_numpy().sum()


@lru_cache(maxsize=1)
def _composition() -> dict:
    """Per-crebo probabilities the generator draws from, computed once."""
    catalogue = load_catalogue()
    joint = _fit_sector_level_shares(catalogue)
    # Zipf popularity within each (sector, level) cell over a fixed order.
    order_rng = np.random.default_rng(cal.CREBO_POPULARITY_SEED)
    popularity = np.zeros(len(catalogue))
    for _, idx in catalogue.groupby(["sector", "level"]).indices.items():
        ranks = order_rng.permutation(len(idx)) + 1
        weights = ranks.astype(float) ** -cal.CREBO_ZIPF_EXPONENT
        popularity[idx] = weights / weights.sum()
    cell_share = joint.to_numpy()[
        joint.index.get_indexer(catalogue["sector"]),
        joint.columns.get_indexer(catalogue["level"]),
    ]
    p_crebo = cell_share * popularity
    p_crebo /= p_crebo.sum()

    sector_of = catalogue["sector"].to_numpy()
    sector_share = pd.Series(p_crebo).groupby(sector_of).sum()
    propensity = pd.Series(cal.BBL_PROPENSITY).reindex(sector_share.index).fillna(cal.BBL_SHARE)
    # Scale the propensities so that the overall BBL share is the calibrated one.
    p_bbl_sector = propensity * cal.BBL_SHARE / float((propensity * sector_share).sum())
    p_bbl = p_bbl_sector.reindex(sector_of).to_numpy()
    supply = pd.Series(cal.SUPPLY_PER_STUDENT).reindex(sector_of).to_numpy()
    return {
        "crebo": catalogue["crebo"].to_numpy(),
        "level": catalogue["level"].to_numpy(),
        "sector": sector_of,
        "p_crebo": p_crebo,
        "p_bbl": p_bbl,
        # Vacancy weights per place type: students of that pathway x supply ratio.
        "w_bol": p_crebo * (1.0 - p_bbl) * supply,
        "w_bbl": p_crebo * p_bbl * supply,
        "sector_index": {s: np.flatnonzero(sector_of == s) for s in sorted(set(sector_of))},
        "popularity": popularity,
    }


def student_crebo_shares() -> pd.DataFrame:
    """The expected share of students per qualification and their BBL share.

    Returns
    -------
    pandas.DataFrame
        The catalogue with two more columns: ``share`` (of all students, sums to
        1) and ``bbl_share`` (of the qualification's students).
    """
    comp = _composition()
    table = load_catalogue().copy()
    table["share"] = comp["p_crebo"]
    table["bbl_share"] = comp["p_bbl"]
    return table


# --- Geography --------------------------------------------------------------------


def _unit_xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere: chord distance is monotone in great-circle distance."""
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


@lru_cache(maxsize=1)
def _pc4_tree() -> tuple[cKDTree, np.ndarray]:
    table = tables.pc4_table()
    xyz = _unit_xyz(table["lat"].to_numpy(), table["lon"].to_numpy())
    return cKDTree(xyz), table.index.to_numpy()


@lru_cache(maxsize=1)
def _address_share() -> pd.Series:
    table = tables.pc4_table()
    by_region = table.groupby("amr_code_approx")["n_pc6"].sum()
    return (by_region / by_region.sum()).reindex(tables.regions().index).fillna(0.0)


@lru_cache(maxsize=None)
def _schools(region: str) -> pd.DataFrame:
    """The region's schools: in its largest towns, one per distinct PC4.

    Returns a frame with school_id, pc4, lat, lon, weight (town population).
    """
    lo, hi = cal.SCHOOLS_PER_REGION_RANGE
    wanted = int(np.clip(round(_address_share()[region] * cal.NATIONAL_SCHOOLS), lo, hi))
    towns = tables.places()
    tree, codes = _pc4_tree()
    _, nearest = tree.query(_unit_xyz(towns["lat"].to_numpy(), towns["lon"].to_numpy()))
    pc4 = tables.pc4_table()
    towns = towns.assign(pc4=codes[nearest])
    towns = towns.assign(region=pc4.loc[towns["pc4"], "amr_code_approx"].to_numpy())
    towns = towns[towns["region"] == region]
    towns = towns.sort_values(["population", "geonameid"], ascending=[False, True])
    towns = towns.drop_duplicates("pc4").head(wanted)
    if towns.empty:
        # A region without a town of 1,000 inhabitants: its densest PC4.
        dense = pc4[pc4["amr_code_approx"] == region].sort_values("n_pc6", ascending=False).head(1)
        towns = pd.DataFrame({"pc4": dense.index, "population": dense["n_pc6"].to_numpy()})
    towns = towns.reset_index(drop=True)
    return pd.DataFrame({
        "school_id": [f"S-{region}-{i + 1:02d}" for i in range(len(towns))],
        "pc4": towns["pc4"].to_numpy(),
        "lat": pc4.loc[towns["pc4"], "lat"].to_numpy(),
        "lon": pc4.loc[towns["pc4"], "lon"].to_numpy(),
        "weight": towns["population"].to_numpy(dtype=float),
    })


def _jitter(rng: np.random.Generator, home_pc4: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates within COORDINATE_JITTER_KM of each PC4 centre whose nearest
    PC4 centre is still that PC4 (so the derived home region does not change)."""
    table = tables.pc4_table()
    lat0 = table.loc[home_pc4, "lat"].to_numpy()
    lon0 = table.loc[home_pc4, "lon"].to_numpy()
    radius = cal.COORDINATE_JITTER_KM * np.sqrt(rng.random(len(home_pc4)))
    angle = rng.random(len(home_pc4)) * 2 * np.pi
    tree, codes = _pc4_tree()
    lat, lon = lat0.copy(), lon0.copy()
    pending = np.ones(len(home_pc4), dtype=bool)
    for shrink in (1.0, 0.5, 0.25, 0.1, 0.0):
        r = radius[pending] * shrink
        lat[pending] = np.round(lat0[pending] + r * np.cos(angle[pending]) / KM_PER_DEGREE_LAT, 5)
        lon[pending] = np.round(
            lon0[pending]
            + r * np.sin(angle[pending]) / (KM_PER_DEGREE_LAT * np.cos(np.radians(lat0[pending]))),
            5,
        )
        _, nearest = tree.query(_unit_xyz(lat[pending], lon[pending]))
        still = codes[nearest] != home_pc4[pending]
        pending[np.flatnonzero(pending)[~still]] = False
        if not pending.any():
            break
    return lat, lon


def _choice_by_weights(rng: np.random.Generator, weights: dict, size: int) -> np.ndarray:
    keys = np.array(list(weights.keys()))
    p = np.array(list(weights.values()), dtype=float)
    return rng.choice(keys, size=size, p=p / p.sum())


def _random_period_masks(rng: np.random.Generator, all_share: float, size: int) -> np.ndarray:
    """Bit masks of offered periods: all with ``all_share``, else 1-3 random ones."""
    masks = np.full(size, (1 << N_PERIODS) - 1, dtype=np.int64)
    partial = rng.random(size) >= all_share
    n_partial = int(partial.sum())
    if n_partial:
        count = rng.integers(1, N_PERIODS, size=n_partial)
        order = np.argsort(rng.random((n_partial, N_PERIODS)), axis=1)
        chosen = np.arange(N_PERIODS)[None, :] < count[:, None]
        bits = np.zeros((n_partial, N_PERIODS), dtype=np.int64)
        np.put_along_axis(bits, order, chosen.astype(np.int64), axis=1)
        masks[partial] = (bits << np.arange(N_PERIODS)).sum(axis=1)
    return masks


def _mask_to_ids(mask: int) -> tuple[str, ...]:
    return tuple(PERIOD_IDS[i] for i in range(N_PERIODS) if mask >> i & 1)


# --- One region ------------------------------------------------------------------


@dataclass(frozen=True)
class _RegionPlan:
    region: str
    students: int
    bol_places: int
    bbl_places: int


def _rng(seed: int, region: str, stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, int(region[2:]), stream]))


def _draw_students(plan: _RegionPlan, seed: int) -> pd.DataFrame:
    rng = _rng(seed, plan.region, _STREAM_STUDENTS)
    comp = _composition()
    table = tables.pc4_table()
    area = table[table["amr_code_approx"] == plan.region]
    n = plan.students
    weights = area["n_pc6"].to_numpy(dtype=float)
    home = area.index.to_numpy()[rng.choice(len(area), size=n, p=weights / weights.sum())]
    crebo_idx = rng.choice(len(comp["crebo"]), size=n, p=comp["p_crebo"])
    level = comp["level"][crebo_idx]
    bbl = rng.random(n) < comp["p_bbl"][crebo_idx]
    max_year = np.array([cal.MAX_YEAR_BY_LEVEL[k] for k in range(1, 5)])[level - 1]
    year = 1 + np.floor(rng.random(n) * max_year).astype(int)

    # School: nearest of the region's schools for most (flat-earth distance at
    # the country's mid latitude is enough to rank them), else drawn by town size.
    schools = _schools(plan.region)
    home_lat = table.loc[home, "lat"].to_numpy()
    home_lon = table.loc[home, "lon"].to_numpy()
    d2 = (home_lat[:, None] - schools["lat"].to_numpy()[None, :]) ** 2 + (
        (home_lon[:, None] - schools["lon"].to_numpy()[None, :]) * np.cos(np.radians(52.2))
    ) ** 2
    school = np.argmin(d2, axis=1)
    wander = rng.random(n) >= cal.NEAREST_SCHOOL_SHARE
    w = schools["weight"].to_numpy()
    school[wander] = rng.choice(len(schools), size=int(wander.sum()), p=w / w.sum())

    # A cohort (school x crebo x year) shares one period: the clustering a planner spreads.
    cohort = (school * len(comp["crebo"]) + crebo_idx) * 4 + (year - 1)
    cohorts, cohort_of = np.unique(cohort, return_inverse=True)
    first = rng.integers(0, N_PERIODS, size=len(cohorts))[cohort_of]
    second = np.where(first == N_PERIODS - 1, first - 1, first + 1)
    has_second = rng.random(n) < cal.SECOND_PERIOD_SHARE

    # Empty values are coded "" (mode), 0 (limit) and -1 (guidance) until the rows are built.
    mode = _choice_by_weights(rng, cal.MODE_SHARES, n)
    unstated = rng.random(n) < cal.MODE_EMPTY_SHARE_OF_PUBLIC_TRANSPORT
    mode[(mode == "public_transport") & unstated] = ""
    limits = {0: 1.0 - sum(cal.MAX_TRAVEL_SHARES.values()), **cal.MAX_TRAVEL_SHARES}
    max_travel = _choice_by_weights(rng, limits, n)
    needs_accessible = rng.random(n) < cal.NEEDS_ACCESSIBLE_SHARE
    explicit = rng.random(n) < cal.EXPLICIT_GUIDANCE_SHARE
    guidance_value = rng.random(n) < cal.EXPLICIT_GUIDANCE_TRUE_SHARE
    extra_guidance = np.where(explicit, guidance_value.astype(int), -1)

    by_coordinates = rng.random(n) < cal.COORDINATE_SHARE
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    lat[by_coordinates], lon[by_coordinates] = _jitter(rng, home[by_coordinates])

    return pd.DataFrame({
        "student_id": [f"st-{plan.region}-{i + 1:06d}" for i in range(n)],
        "school_id": schools["school_id"].to_numpy()[school],
        "crebo_idx": crebo_idx,
        "level": level,
        "pathway": np.where(bbl, "BBL", "BOL"),
        "year": year,
        "home_pc4": home,
        "by_coordinates": by_coordinates,
        "lat": lat,
        "lon": lon,
        "mode": mode,
        "max_travel_min": max_travel,
        "first_period": first,
        "second_period": np.where(has_second, second, -1),
        "extra_guidance": extra_guidance,
        "needs_accessible": needs_accessible,
    })


def _draw_places(rng: np.random.Generator, total: int) -> np.ndarray:
    """Places per vacancy, summing exactly to ``total`` (the last one is trimmed)."""
    if total <= 0:
        return np.zeros(0, dtype=int)
    # Every vacancy has at least one place, so ``total`` draws always suffice.
    size = total
    places = np.ones(size, dtype=int)
    is_multi = rng.random(size) < cal.MULTI_PLACE_SHARE
    places[is_multi] = _choice_by_weights(rng, cal.MULTI_PLACE_WEIGHTS, int(is_multi.sum()))
    cumulative = np.cumsum(places)
    count = int(np.searchsorted(cumulative, total)) + 1
    places = places[:count].copy()
    places[-1] -= int(cumulative[count - 1] - total)
    return places


def _draw_offers(rng: np.random.Generator, plan: _RegionPlan, comp: dict) -> pd.DataFrame:
    """One row per vacancy: BOL then BBL, its places, primary crebo (by popularity) and periods."""
    n_crebo = len(comp["crebo"])
    parts = []
    for kind, total, weights in (("BOL", plan.bol_places, comp["w_bol"]),
                                 ("BBL", plan.bbl_places, comp["w_bbl"])):
        places = _draw_places(rng, total)
        primary = rng.choice(n_crebo, size=len(places), p=weights / weights.sum())
        periods = _random_period_masks(rng, cal.ALL_PERIODS_SHARE[kind], len(places))
        parts.append(pd.DataFrame({"kind": kind, "primary": primary, "places": places,
                                   "period_mask": periods}))
    return pd.concat(parts, ignore_index=True)


def _draw_crebo_sets(rng: np.random.Generator, comp: dict, primary: np.ndarray,
                     sector: np.ndarray) -> list[list[int]]:
    """Each vacancy's crebos: its primary one and extra crebos of the same sector, by popularity."""
    n_crebos = _choice_by_weights(rng, cal.CREBOS_PER_VACANCY_WEIGHTS, len(primary))
    crebo_sets = [[int(c)] for c in primary]
    for s, members in comp["sector_index"].items():
        rows = np.flatnonzero((sector == s) & (n_crebos > 1))
        if not len(rows):
            continue
        p = comp["p_crebo"][members] / comp["p_crebo"][members].sum()
        extra = rng.choice(members, size=(len(rows), max(cal.CREBOS_PER_VACANCY_WEIGHTS) - 1), p=p)
        for row, picks in zip(rows, extra):
            crebo_sets[row].extend(int(c) for c in picks[: n_crebos[row] - 1])
    return [sorted(set(c)) for c in crebo_sets]


def _draw_terms(rng: np.random.Generator, sector: np.ndarray, level: np.ndarray,
                places: np.ndarray) -> dict[str, np.ndarray]:
    """Each vacancy's terms: both pathways, the levels it takes, extra-guidance places, duo, access."""
    m = len(sector)
    both = rng.random(m) < cal.BOTH_PATHWAYS_SHARE
    min_level = np.where(rng.random(m) < cal.MIN_LEVEL_RESTRICTED_SHARE, level, 1)
    max_level = np.where(rng.random(m) < cal.MAX_LEVEL_RESTRICTED_SHARE, level, 4)
    max_level = np.maximum(max_level, min_level)
    # Extra-guidance places: none, one, all, or half, by sector mix.
    u = rng.random(m)
    mixes = np.array([cal.EXTRA_GUIDANCE_MIX.get(s, cal.EXTRA_GUIDANCE_MIX_DEFAULT) for s in sector])
    cum = np.cumsum(mixes, axis=1)
    guidance = np.where(u < cum[:, 0], 0,
                        np.where(u < cum[:, 1], np.minimum(1, places),
                                 np.where(u < cum[:, 2], places, -(-places // 2))))
    duo = rng.random(m) < cal.DUO_SHARE
    accessible = rng.random(m) < cal.ACCESSIBLE_SHARE
    return {"both": both, "min_level": min_level, "max_level": max_level, "extra_guidance_places": guidance,
            "duo": duo, "accessible": accessible}


def _group_into_companies(rng: np.random.Generator, sector: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """The company of each vacancy and the sector of each company.

    Each sector's vacancies, shuffled, are cut into companies of drawn sizes;
    the companies are then numbered in random order, not sector by sector.
    """
    company_of = np.empty(len(sector), dtype=np.int64)
    company_sector: list[str] = []
    next_company = 0
    for s in sorted(set(sector)):
        rows = np.flatnonzero(sector == s)
        rows = rows[rng.permutation(len(rows))]
        sizes = _choice_by_weights(rng, cal.VACANCIES_PER_COMPANY_WEIGHTS, len(rows))
        ends = np.cumsum(sizes)
        local = np.searchsorted(ends, np.arange(len(rows)), side="right")
        company_of[rows] = next_company + local
        n_here = int(local.max()) + 1 if len(rows) else 0
        company_sector.extend([s] * n_here)
        next_company += n_here
    renumber = rng.permutation(next_company)
    sector_by_number = np.empty(next_company, dtype=object)
    sector_by_number[renumber] = company_sector
    return renumber[company_of], sector_by_number.tolist()


def _draw_company_sites(rng: np.random.Generator, region: str, n_companies: int) -> dict[str, np.ndarray]:
    """Each company's PC4 (weighted towards towns) and, for some, jittered coordinates."""
    table = tables.pc4_table()
    area = table[table["amr_code_approx"] == region]
    w = area["n_pc6"].to_numpy(dtype=float) ** cal.COMPANY_TOWN_BIAS_EXPONENT
    pc4 = area.index.to_numpy()[rng.choice(len(area), size=n_companies, p=w / w.sum())]
    by_coordinates = rng.random(n_companies) < cal.COORDINATE_SHARE
    lat = np.full(n_companies, np.nan)
    lon = np.full(n_companies, np.nan)
    lat[by_coordinates], lon[by_coordinates] = _jitter(rng, pc4[by_coordinates])
    return {"pc4": pc4, "by_coordinates": by_coordinates, "lat": lat, "lon": lon}


def _draw_supervisors(rng: np.random.Generator, company_of: np.ndarray, company_sector: list[str],
                      places: np.ndarray) -> dict[str, np.ndarray]:
    """1-3 supervisors per company (never more than its vacancies), shared round robin by its
    vacancies, each with a capacity for the places it covers (by sector)."""
    n_companies = len(company_sector)
    vacancies_per_company = np.bincount(company_of, minlength=n_companies)
    n_sup = np.minimum(vacancies_per_company,
                       rng.integers(1, cal.SUPERVISORS_PER_COMPANY_MAX + 1, size=n_companies))
    first_row = np.concatenate([[0], np.cumsum(vacancies_per_company)[:-1]])
    rank = np.arange(len(company_of)) - first_row[company_of]
    offset = np.concatenate([[0], np.cumsum(n_sup)[:-1]])
    of_vacancy = offset[company_of] + rank % n_sup[company_of]
    n_supervisors = int(n_sup.sum())
    covered = np.bincount(of_vacancy, weights=places, minlength=n_supervisors)
    company = np.repeat(np.arange(n_companies), n_sup)
    sector = np.asarray(company_sector, dtype=object)[company]
    factor = np.array([cal.SUPERVISOR_CAPACITY_FACTOR.get(s, cal.SUPERVISOR_CAPACITY_FACTOR_DEFAULT)
                       for s in sector])
    lo, hi = cal.SUPERVISOR_CAPACITY_RANGE
    capacity = np.clip(np.round(covered * factor * rng.uniform(0.8, 1.2, n_supervisors)), lo, hi)
    return {"of_vacancy": of_vacancy, "company": company, "rank": np.arange(n_supervisors) - offset[company],
            "sector": sector, "capacity": capacity.astype(int)}


def _draw_vacancies(
    plan: _RegionPlan, seed: int, company_offset: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Vacancies, companies and supervisors of one region.

    The steps draw from one random stream in a fixed order, so a seed gives
    the same instance every time.
    """
    rng = _rng(seed, plan.region, _STREAM_VACANCIES)
    comp = _composition()
    vac = _draw_offers(rng, plan, comp)
    primary = vac["primary"].to_numpy()
    sector, level = comp["sector"][primary], comp["level"][primary]
    crebo_sets = _draw_crebo_sets(rng, comp, primary, sector)
    terms = _draw_terms(rng, sector, level, vac["places"].to_numpy())
    company_of, company_sector = _group_into_companies(rng, sector)
    n_companies = len(company_sector)

    # Vacancies ordered by company, then as drawn.
    order = np.lexsort((np.arange(len(vac)), company_of))
    company_of = company_of[order]
    vac = vac.iloc[order].reset_index(drop=True)
    crebo_sets = [crebo_sets[i] for i in order]
    sector = sector[order]
    terms = {name: np.asarray(values)[order] for name, values in terms.items()}
    places = vac["places"].to_numpy()

    sites = _draw_company_sites(rng, plan.region, n_companies)
    sup = _draw_supervisors(rng, company_of, company_sector, places)
    company_places = np.bincount(company_of, weights=places, minlength=n_companies)
    has_max = rng.random(n_companies) < cal.COMPANY_MAX_STUDENTS_SHARE
    max_students = np.where(
        has_max, np.maximum(1, np.ceil(company_places * cal.COMPANY_MAX_STUDENTS_FRACTION)), -1
    ).astype(int)

    company_ids = np.array([f"co-{plan.region}-{i + 1:06d}" for i in range(n_companies)])
    supervisor_ids = np.array([f"sup-{plan.region}-{c + 1:06d}-{k + 1}" for c, k in zip(sup["company"], sup["rank"])])
    vacancies = pd.DataFrame({
        "vacancy_id": [f"vac-{plan.region}-{i + 1:06d}" for i in range(len(vac))],
        "company": company_of,
        "supervisor_id": supervisor_ids[sup["of_vacancy"]],
        "crebo_idx": crebo_sets,
        "kind": vac["kind"].to_numpy(),
        "both": terms["both"],
        "places": places,
        "period_mask": vac["period_mask"].to_numpy(),
        "min_level": terms["min_level"],
        "max_level": terms["max_level"],
        "extra_guidance_places": terms["extra_guidance_places"],
        "duo": terms["duo"],
        "accessible": terms["accessible"],
        "sector": sector,
    })
    vacancies["company_id"] = company_ids[company_of]
    for column in ("pc4", "by_coordinates", "lat", "lon"):
        vacancies[column] = sites[column][company_of]
    companies = pd.DataFrame({
        "company_id": company_ids,
        "name": [f"Bedrijf {company_offset + i + 1:06d}" for i in range(n_companies)],
        "sector": company_sector,
        "region": plan.region,
        "max_students": max_students,
    })
    supervisors = pd.DataFrame({
        "supervisor_id": supervisor_ids,
        "company_id": company_ids[sup["company"]],
        "capacity": sup["capacity"],
        "sector": sup["sector"],
    })
    return vacancies, companies, supervisors


def _draw_wishes(plan: _RegionPlan, seed: int, students: pd.DataFrame,
                 vacancies: pd.DataFrame) -> list[tuple[str, ...]]:
    """Ranked wishes: 1-3 of the nearest vacancies of the student's crebo and
    pathway (some named by company), for PREFERENCE_SHARE of the students."""
    rng = _rng(seed, plan.region, _STREAM_WISHES)
    n = len(students)
    wishes: list[tuple[str, ...]] = [()] * n
    wants = rng.random(n) < cal.PREFERENCE_SHARE
    count = _choice_by_weights(rng, cal.PREFERENCE_COUNT_WEIGHTS, n).tolist()
    if not wants.any() or vacancies.empty:
        return wishes
    table = tables.pc4_table()
    home_xyz = _unit_xyz(table.loc[students["home_pc4"], "lat"].to_numpy(),
                         table.loc[students["home_pc4"], "lon"].to_numpy())
    vac_xyz = _unit_xyz(table.loc[vacancies["pc4"], "lat"].to_numpy(),
                        table.loc[vacancies["pc4"], "lon"].to_numpy())
    # (crebo, pathway) -> vacancy rows recognised for it.
    lengths = vacancies["crebo_idx"].map(len).to_numpy()
    rows = np.repeat(np.arange(len(vacancies)), lengths)
    crebos = np.concatenate(vacancies["crebo_idx"].to_numpy())
    kind = vacancies["kind"].to_numpy()[rows]
    both = vacancies["both"].to_numpy()[rows]
    bol_ok = (kind == "BOL") | both
    bbl_ok = (kind == "BBL") | both
    vac_ids = vacancies["vacancy_id"].to_numpy()
    comp_ids = vacancies["company_id"].to_numpy()
    student_key = students["crebo_idx"].to_numpy() * 2 + (students["pathway"].to_numpy() == "BBL")
    k_max = cal.PREFERENCE_NEAREST_K
    for key in np.unique(student_key[wants]):
        crebo, is_bbl = divmod(int(key), 2)
        ok = bbl_ok if is_bbl else bol_ok
        candidates = rows[(crebos == crebo) & ok]
        if not len(candidates):
            continue
        who = np.flatnonzero(wants & (student_key == key))
        k = min(k_max, len(candidates))
        _, near = cKDTree(vac_xyz[candidates]).query(home_xyz[who], k=k)
        near = candidates[np.asarray(near).reshape(len(who), k)]
        shuffle = np.argsort(rng.random((len(who), k)), axis=1)
        near = np.take_along_axis(near, shuffle, axis=1)
        by_company = rng.random((len(who), k)) < cal.PREFERENCE_COMPANY_SHARE
        named = np.where(by_company, comp_ids[near], vac_ids[near]).tolist()
        for i, s in enumerate(who.tolist()):
            # Two wished vacancies of one company named by company: keep the first.
            wishes[s] = tuple(dict.fromkeys(named[i][: count[s]]))
    return wishes


# --- Instance assembly -----------------------------------------------------------


def _plans(region: str | None, students: int | None, preset: str | None) -> list[_RegionPlan]:
    known = tables.regions().index
    if preset not in (None, "region", "national"):
        raise ValueError(f"unknown preset {preset!r}: use 'region' or 'national'")
    if preset == "national" and region is not None:
        raise ValueError("preset 'national' covers every region; do not give a region")
    if preset != "national" and region is None:
        raise ValueError("give a region (e.g. 'AM13') or preset='national'")
    if region is not None and region not in known:
        raise ValueError(f"unknown region {region!r}: expected one of {', '.join(known)}")
    if students is not None and students < 1:
        raise ValueError(f"students must be at least 1, got {students}")

    def scaled(national: int, n: int) -> int:
        return int(round(national * n / cal.NATIONAL_STUDENTS))

    if preset != "national":
        n = DEFAULT_REGION_STUDENTS if students is None else students
        return [_RegionPlan(region, n, scaled(cal.NATIONAL_BOL_PLACES, n),
                            scaled(cal.NATIONAL_BBL_PLACES, n))]
    total = cal.NATIONAL_STUDENTS if students is None else students
    share = _address_share()
    share = share[share > 0]
    split = lambda amount: _apportion(amount, share.to_numpy())  # noqa: E731
    n_students = split(total)
    bol = split(scaled(cal.NATIONAL_BOL_PLACES, total))
    bbl = split(scaled(cal.NATIONAL_BBL_PLACES, total))
    return [_RegionPlan(code, int(a), int(b), int(c))
            for code, a, b, c in zip(share.index, n_students, bol, bbl) if a > 0]


def _apportion(amount: int, shares: np.ndarray) -> np.ndarray:
    """Split ``amount`` in proportion to ``shares`` (largest remainder, ties by position)."""
    exact = amount * shares / shares.sum()
    base = np.floor(exact).astype(int)
    left = amount - int(base.sum())
    order = np.lexsort((np.arange(len(shares)), -(exact - base)))
    base[order[:left]] += 1
    return base


_STUDENTS = TypeAdapter(list[Student])
_VACANCIES = TypeAdapter(list[Vacancy])
_SUPERVISORS = TypeAdapter(list[Supervisor])
_COMPANIES = TypeAdapter(list[Company])


def generate_instance(
    *,
    region: str | None = None,
    students: int | None = None,
    seed: int = 1,
    preset: Literal["region", "national"] | None = None,
    name: str | None = None,
) -> Instance:
    """Generate a realistic, seeded synthetic instance.

    Parameters
    ----------
    region
        Labour-market region code (``"AM13"``) for a region run: every student
        and vacancy lies in a PC4 whose ``amr_code_approx`` is this region.
    students
        Number of students. Default 5,000 for a region and 250,000 for the
        national preset.
    seed
        Seed of every random draw; the same arguments give an identical instance.
    preset
        ``"national"``: all 35 regions, students and places split by each
        region's share of addresses (sum of ``n_pc6``). ``"region"`` or ``None``
        with ``region``: one region.
    name
        Instance name; default ``"<region>-<students>-s<seed>"`` or
        ``"national-<students>-s<seed>"``.

    Returns
    -------
    models.Instance
        Students, vacancies, supervisors, companies and the four periods P1-P4 of
        school year 2026-27. Places total 100,000 (BOL) plus 70,000 (BBL) per
        250,000 students, scaled to the number of students.

    Raises
    ------
    ValueError
        For an unknown region or preset, a region given with the national
        preset, no region without it, or fewer than one student.
    """
    plans = _plans(region, students, preset)
    comp = _composition()
    crebo_codes = comp["crebo"]
    student_frames, vacancy_frames, company_frames, supervisor_frames = [], [], [], []
    wishes: list[tuple[str, ...]] = []
    company_offset = 0
    for plan in plans:
        st = _draw_students(plan, seed)
        vac, companies, supervisors = _draw_vacancies(plan, seed, company_offset)
        company_offset += len(companies)
        wishes.extend(_draw_wishes(plan, seed, st, vac))
        student_frames.append(st)
        vacancy_frames.append(vac)
        company_frames.append(companies)
        supervisor_frames.append(supervisors)
    st = pd.concat(student_frames, ignore_index=True)
    vac = pd.concat(vacancy_frames, ignore_index=True)
    companies = pd.concat(company_frames, ignore_index=True)
    supervisors = pd.concat(supervisor_frames, ignore_index=True)

    # Plain lists: iterating Arrow-backed pandas columns row by row is slow.
    S = {column: values.tolist() for column, values in st.items()}
    V = {column: values.tolist() for column, values in vac.items()}
    C = {column: values.tolist() for column, values in companies.items()}
    U = {column: values.tolist() for column, values in supervisors.items()}
    student_rows = [
        {
            "student_id": sid, "school_id": school, "crebo": crebo_codes[c], "level": lvl,
            "pathway": pw, "year": yr,
            "pc4": None if xy else pc4, "lat": lat if xy else None, "lon": lon if xy else None,
            "mode": mode or None, "max_travel_min": limit or None,
            "periods": (PERIOD_IDS[p1],) if p2 < 0 else (PERIOD_IDS[p1], PERIOD_IDS[p2]),
            "extra_guidance": None if guidance < 0 else bool(guidance),
            "preferences": wish, "needs_accessible": acc,
        }
        for sid, school, c, lvl, pw, yr, xy, pc4, lat, lon, mode, limit, p1, p2, guidance, wish, acc
        in zip(S["student_id"], S["school_id"], S["crebo_idx"], S["level"], S["pathway"],
               S["year"], S["by_coordinates"], S["home_pc4"], S["lat"], S["lon"], S["mode"],
               S["max_travel_min"], S["first_period"], S["second_period"], S["extra_guidance"],
               wishes, S["needs_accessible"])
    ]
    mask_ids = {m: _mask_to_ids(m) for m in range(1, 1 << N_PERIODS)}
    vacancy_rows = [
        {
            "vacancy_id": vid, "company_id": cid, "supervisor_id": sup,
            "crebos": tuple(crebo_codes[c] for c in cs),
            "pathways": ("BOL", "BBL") if both else (kind,),
            "pc4": pc4, "lat": lat if xy else None, "lon": lon if xy else None,
            "places": places, "periods": mask_ids[mask], "min_level": lo, "max_level": hi,
            "extra_guidance_places": eg, "duo": duo, "accessible": acc,
        }
        for vid, cid, sup, cs, both, kind, pc4, xy, lat, lon, places, mask, lo, hi, eg, duo, acc
        in zip(V["vacancy_id"], V["company_id"], V["supervisor_id"], V["crebo_idx"], V["both"],
               V["kind"], V["pc4"], V["by_coordinates"], V["lat"], V["lon"], V["places"],
               V["period_mask"], V["min_level"], V["max_level"], V["extra_guidance_places"],
               V["duo"], V["accessible"])
    ]
    company_rows = [
        {"company_id": cid, "name": nm, "sector": sec, "region": reg,
         "max_students": mx if mx >= 0 else None}
        for cid, nm, sec, reg, mx in zip(C["company_id"], C["name"], C["sector"], C["region"],
                                         C["max_students"])
    ]
    supervisor_rows = [
        {"supervisor_id": sid, "company_id": cid, "capacity": cap}
        for sid, cid, cap in zip(U["supervisor_id"], U["company_id"], U["capacity"])
    ]
    context = {"known_pc4": tables.known_pc4()}
    total = int(sum(p.students for p in plans))
    default_name = (f"national-{total}-s{seed}" if preset == "national"
                    else f"{plans[0].region}-{total}-s{seed}")
    return Instance(
        name=name or default_name,
        students=tuple(_STUDENTS.validate_python(student_rows, context=context)),
        vacancies=tuple(_VACANCIES.validate_python(vacancy_rows, context=context)),
        supervisors=tuple(_SUPERVISORS.validate_python(supervisor_rows)),
        companies=tuple(_COMPANIES.validate_python(company_rows)),
        periods=tuple(Period(period_id=p, start=s, end=e) for p, s, e in cal.PERIODS),
    )
