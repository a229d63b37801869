"""A fast count of an instance's candidate arcs, to size generated instances.

A candidate arc is an eligible (student, vacancy, period) triple as
``docs/model.md`` defines eligibility (crebo or one-step equivalence, pathway,
level, accessibility, extra guidance, common period, estimated travel time
within the student's limit). The count uses k-d trees on the unit sphere, so a
national instance takes seconds. It is a sizing tool, not part of the engine:
``travel_times.csv`` overrides are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import sin

import numpy as np
from scipy.spatial import cKDTree

from matcher import geo
from models.instance import Instance
from models.policy import Policy

__all__ = ["ArcCount", "count_candidate_arcs"]


@dataclass(frozen=True)
class ArcCount:
    """Candidate arcs of an instance.

    Attributes
    ----------
    arcs
        Eligible (student, vacancy, period) triples.
    pairs
        Eligible (student, vacancy) pairs with at least one common period.
    per_student
        Arcs per student, in the instance's student order.
    """

    arcs: int
    pairs: int
    per_student: np.ndarray

    @property
    def mean_per_student(self) -> float:
        """Average number of arcs per student (0 without students)."""
        return float(self.per_student.mean()) if len(self.per_student) else 0.0


def _unit_xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def _locations(items) -> np.ndarray:
    table = geo.pc4_table()
    lat = np.array([x.lat if x.lat is not None else np.nan for x in items], dtype=float)
    lon = np.array([x.lon if x.lon is not None else np.nan for x in items], dtype=float)
    by_pc4 = np.isnan(lat)
    if by_pc4.any():
        codes = [x.pc4 for x, use in zip(items, by_pc4) if use]
        lat[by_pc4] = table.loc[codes, "lat"].to_numpy()
        lon[by_pc4] = table.loc[codes, "lon"].to_numpy()
    return _unit_xyz(lat, lon)


def count_candidate_arcs(instance: Instance, policy: Policy | None = None) -> ArcCount:
    """Count the candidate arcs of ``instance`` under ``policy``.

    Parameters
    ----------
    instance
        The instance; its ``travel_times`` are ignored (estimates only).
    policy
        Travel speeds, default mode and limit, and the extra-guidance rule;
        default :class:`models.policy.Policy()`.

    Returns
    -------
    ArcCount
        Total arcs, (student, vacancy) pairs and arcs per student.
    """
    policy = policy or Policy()
    travel = policy.travel
    period_bit = {p: 1 << i for i, p in enumerate(instance.period_ids)}
    all_periods = (1 << len(period_bit)) - 1

    students = instance.students
    n = len(students)
    s_xyz = _locations(students) if n else np.zeros((0, 3))
    s_level = np.array([s.level for s in students], dtype=int)
    s_access = np.array([s.needs_accessible for s in students], dtype=bool)
    rule = policy.extra_guidance
    s_guidance = np.array([
        s.extra_guidance if s.extra_guidance is not None
        else (s.level <= rule.max_level or (rule.first_year and s.year == 1))
        for s in students
    ], dtype=bool)
    s_mask = np.array([sum(period_bit[p] for p in s.periods) or all_periods for s in students],
                      dtype=np.int64)
    radius_km = []
    for s in students:
        speed = travel.speed(s.mode or travel.default_mode)
        limit = s.max_travel_min or travel.default_max_min
        # minutes = ceil(t - 1e-9) <= limit  <=>  t <= limit + 1e-9; negative: unreachable.
        radius_km.append((limit + 1e-9 - speed.base_min) * speed.km_per_hour
                         / 60.0 / travel.detour_factor)
    s_radius = np.array(radius_km)

    vacancies = instance.vacancies
    v_xyz = _locations(vacancies) if vacancies else np.zeros((0, 3))
    v_min = np.array([v.min_level for v in vacancies], dtype=int)
    v_max = np.array([v.max_level for v in vacancies], dtype=int)
    v_access = np.array([v.accessible for v in vacancies], dtype=bool)
    v_guides = np.array([
        (v.extra_guidance_places if v.extra_guidance_places is not None else v.places) > 0
        for v in vacancies
    ], dtype=bool)
    v_mask = np.array([sum(period_bit[p] for p in v.periods) or all_periods for v in vacancies],
                      dtype=np.int64)

    # Vacancies recognised per (crebo, pathway).
    by_key: dict[tuple[str, str], list[int]] = {}
    for j, v in enumerate(vacancies):
        for c in v.crebos:
            for pw in v.pathways:
                by_key.setdefault((c, str(pw)), []).append(j)
    equivalent: dict[str, set[str]] = {}
    for e in instance.equivalences:
        equivalent.setdefault(e.crebo, set()).add(e.equivalent_crebo)

    groups: dict[tuple[str, str, float], list[int]] = {}
    for i, s in enumerate(students):
        groups.setdefault((s.crebo, str(s.pathway), s_radius[i]), []).append(i)

    found_s: list[np.ndarray] = []
    found_v: list[np.ndarray] = []
    trees: dict[tuple[str, str], tuple[cKDTree, np.ndarray]] = {}
    for (crebo, pathway, radius), members in groups.items():
        if radius < 0:
            continue
        who = np.asarray(members)
        chord = 2.0 * sin(min(radius / travel.earth_radius_km, np.pi) / 2.0)
        student_tree = cKDTree(s_xyz[who])
        for target in {crebo} | equivalent.get(crebo, set()):
            key = (target, pathway)
            if key not in by_key:
                continue
            if key not in trees:
                rows = np.asarray(by_key[key])
                trees[key] = (cKDTree(v_xyz[rows]), rows)
            tree, rows = trees[key]
            hits = student_tree.sparse_distance_matrix(tree, chord, output_type="ndarray")
            if len(hits):
                found_s.append(who[hits["i"]])
                found_v.append(rows[hits["j"]])
    if not found_s:
        return ArcCount(0, 0, np.zeros(n, dtype=np.int64))
    si = np.concatenate(found_s)
    vj = np.concatenate(found_v)
    if equivalent:
        # A vacancy recognised for a crebo and its equivalent counts once.
        code = np.unique(si.astype(np.int64) * max(1, len(vacancies)) + vj)
        si, vj = code // max(1, len(vacancies)), code % max(1, len(vacancies))
    ok = (v_min[vj] <= s_level[si]) & (s_level[si] <= v_max[vj])
    ok &= v_access[vj] | ~s_access[si]
    ok &= v_guides[vj] | ~s_guidance[si]
    common = s_mask[si] & v_mask[vj]
    periods = np.zeros(len(common), dtype=np.int64)
    for bit in range(len(period_bit)):
        periods += (common >> bit) & 1
    periods *= ok
    per_student = np.bincount(si, weights=periods, minlength=n).astype(np.int64)
    return ArcCount(int(periods.sum()), int((periods > 0).sum()), per_student)

