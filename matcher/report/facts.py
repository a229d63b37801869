"""The facts a report is made of: one row per student, one per vacancy.

A result names students and vacancies by id only; their crebo, level, school,
home and places come from the instance. Both are joined here once, through
the engine's index arrays (:func:`matcher.engine.problem.build_problem`), so that
every table of the report counts the same students the same way as
``summary.json`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from matcher.engine.candidates import student_keys, vacancy_keys
from matcher.engine.problem import Problem, build_problem
from matcher.errors import InputError
from matcher.geo.catalogue import sector_of
from matcher.geo.region import approximate_regions_of
from matcher.geo.tables import pc4_table
from matcher.geo.travel import unit_vectors
from matcher.io.matched import Matched


@dataclass(frozen=True, eq=False)
class MatchFacts:
    """Students, vacancies and vacancy-periods of a match, as flat frames.

    Attributes
    ----------
    students
        One row per student seeking a place (a withdrawn student is not: docs/model.md,
        "Rounds"), sorted by student id but without it: ``school``,
        ``crebo``, ``level``, ``sector``, ``home_region`` (approximate),
        ``home_pc4`` (int; the nearest PC4 centre for students given by
        coordinates), ``placed`` (bool), ``travel_min`` (float, NaN when
        unplaced), ``reason`` (unplaced reason or ``""``).
    vacancies
        One row per vacancy, indexed by its problem index: ``region`` (the
        company's region, else the approximate region of the workplace),
        ``pc4`` (int, nearest centre when given by coordinates),
        ``min_level``, ``max_level``, ``places_offered`` (places × offered
        periods) and ``places_free`` (summed over offered periods).
    vacancy_periods
        One row per offered (vacancy, period): ``vacancy``, ``period``,
        ``places``, ``students`` placed there and ``places_free``
        (``max(places − students, 0)``: duo partners share an occupied place,
        they do not make a place free or negative).
    vacancy_crebos
        Pairs (``vacancy``, ``crebo``): the crebos each vacancy is recognised for.
    period_ids
        The periods in canonical order.
    vacancy_levels
        Pairs (``vacancy``, ``level``): the levels whose students could use the
        vacancy, travel and periods aside: it is recognised for the crebo (or
        an equivalent crebo) and pathway of a student of that level, and
        accepts the level.
    """

    students: pd.DataFrame
    vacancies: pd.DataFrame
    vacancy_periods: pd.DataFrame
    vacancy_crebos: pd.DataFrame
    period_ids: tuple[str, ...]
    vacancy_levels: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"vacancy": [], "level": []}, dtype=np.int64))
    withdrawn: int = 0  # students who left the search (rounds), counted apart from the students


def nearest_pc4(pc4: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """PC4 code (int) per point: its own where given (``pc4 >= 0``), else the nearest centre."""
    pc4 = np.asarray(pc4).astype(np.int64).copy()
    located = pc4 < 0
    if located.any():
        table = pc4_table()
        tree = cKDTree(unit_vectors(table["lat"].to_numpy(), table["lon"].to_numpy()))
        _, nearest = tree.query(unit_vectors(np.asarray(lat)[located], np.asarray(lon)[located]))
        pc4[located] = table.index.to_numpy().astype(np.int64)[nearest]
    return pc4


def _positions(ids: np.ndarray, wanted: pd.Series, what: str) -> np.ndarray:
    """Index of each wanted id in ``ids``; refuse ids the instance does not know."""
    found = pd.Index(ids).get_indexer(wanted.to_numpy())
    if (found < 0).any():
        bad = wanted.to_numpy()[found < 0][0]
        # Do not echo a student id: the message may end up in a log.
        shown = "a student" if what == "student" else f"{what} {bad!r}"
        raise InputError(f"the result names {shown} that the instance does not have: match it again")
    return found


def collect_facts(matched: Matched) -> MatchFacts:
    """Join a result with its instance into :class:`MatchFacts`.

    Parameters
    ----------
    matched
        A result and the instance and policy it was matched with
        (:func:`matcher.io.matched.load_match`).

    Raises
    ------
    InputError
        When the result does not cover the instance's students exactly once,
        or names a vacancy or period the instance does not have.
    """
    problem = build_problem(matched.instance, matched.policy)
    placements, unplaced = matched.result.placements, matched.result.unplaced
    s_placed = _positions(problem.student_ids, placements["student_id"], "student")
    s_unplaced = _positions(problem.student_ids, unplaced["student_id"], "student")
    seen = np.bincount(np.r_[s_placed, s_unplaced], minlength=problem.n_students)
    if (seen != 1).any():
        raise InputError("the result does not list every student of the instance exactly once: "
                         "match it again")
    v_placed = _positions(problem.vacancy_ids, placements["vacancy_id"], "vacancy")
    p_placed = _positions(np.array(problem.period_ids, dtype=object), placements["period_id"], "period")
    students = _students(problem, s_placed, placements, s_unplaced, unplaced)
    seeking = students["reason"] != "withdrawn"
    return MatchFacts(
        students=students[seeking].reset_index(drop=True),
        withdrawn=int((~seeking).sum()),
        **_vacancies(problem, matched, v_placed, p_placed),
        period_ids=problem.period_ids,
        vacancy_levels=_vacancy_levels(problem),
    )


def _vacancy_levels(problem: Problem) -> pd.DataFrame:
    """The (vacancy, level) pairs of :attr:`MatchFacts.vacancy_levels`, sorted."""
    s_of, s_key = student_keys(problem)
    v_of, v_key = vacancy_keys(problem)
    levels = pd.DataFrame({"key": s_key, "level": problem.s_level[s_of].astype(np.int64)}).drop_duplicates()
    pairs = pd.DataFrame({"vacancy": v_of, "key": v_key}).merge(levels, on="key")[["vacancy", "level"]]
    v, level = pairs["vacancy"].to_numpy(), pairs["level"].to_numpy()
    accepts = (problem.v_min_level[v] <= level) & (level <= problem.v_max_level[v])
    pairs = pairs[accepts].drop_duplicates().sort_values(["vacancy", "level"], kind="stable")
    return pairs.reset_index(drop=True).astype(np.int64)


def _students(problem: Problem, s_placed, placements, s_unplaced, unplaced) -> pd.DataFrame:
    n = problem.n_students
    crebo = problem.crebos[problem.s_crebo]
    placed = np.zeros(n, dtype=bool)
    placed[s_placed] = True
    travel = np.full(n, np.nan)
    travel[s_placed] = placements["travel_min"].to_numpy(dtype=float)
    reason = np.full(n, "", dtype=object)
    reason[s_unplaced] = unplaced["reason"].to_numpy()
    return pd.DataFrame({
        "school": problem.school_ids[problem.s_school],
        "crebo": crebo,
        "level": problem.s_level.astype(np.int64),
        "sector": sector_of(crebo).to_numpy(),
        "home_region": approximate_regions_of(problem.s_pc4, problem.s_lat, problem.s_lon),
        "home_pc4": nearest_pc4(problem.s_pc4, problem.s_lat, problem.s_lon),
        "placed": placed,
        "travel_min": travel,
        "reason": reason,
    })


def _vacancies(problem: Problem, matched: Matched, v_placed, p_placed) -> dict:
    n_v, n_p = problem.n_vacancies, problem.n_periods
    students = np.zeros((n_v, n_p), dtype=np.int64)
    np.add.at(students, (v_placed, p_placed), 1)
    places = problem.v_places.astype(np.int64)[:, None] * problem.v_period_offered
    free = np.where(problem.v_period_offered, np.maximum(places - students, 0), 0)

    company_region = pd.Series(
        {c.company_id: c.region for c in matched.instance.companies if c.region}, dtype=object)
    region = pd.Series(problem.company_ids[problem.v_company]).map(company_region)
    approx = approximate_regions_of(problem.v_pc4, problem.v_lat, problem.v_lon)
    region = region.where(region.notna(), pd.Series(approx)).to_numpy()

    vacancies = pd.DataFrame({
        "region": region,
        "pc4": nearest_pc4(problem.v_pc4, problem.v_lat, problem.v_lon),
        "min_level": problem.v_min_level.astype(np.int64),
        "max_level": problem.v_max_level.astype(np.int64),
        "places_offered": places.sum(axis=1),
        "places_free": free.sum(axis=1),
    })
    v, p = np.nonzero(problem.v_period_offered)
    vacancy_periods = pd.DataFrame({
        "vacancy": v,
        "period": np.array(problem.period_ids, dtype=object)[p],
        "places": places[v, p],
        "students": students[v, p],
        "places_free": free[v, p],
    })
    vacancy_crebos = pd.DataFrame({
        "vacancy": problem.vc_vacancy.astype(np.int64),
        "crebo": problem.crebos[problem.vc_crebo],
    })
    return {"vacancies": vacancies, "vacancy_periods": vacancy_periods, "vacancy_crebos": vacancy_crebos}
