"""Restricting an instance to one labour-market region (``--region AMxx``)."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from matcher.errors import InputError
from matcher.geo.tables import pc4_table, regions
from matcher.geo.travel import unit_vectors
from models import DecisionKind, Instance


def approximate_regions(records) -> list[str]:
    """Region of each located record: its PC4's ``amr_code_approx``, or that of the
    PC4 centre nearest to its coordinates. An approximation of the real borders."""
    table = pc4_table()
    tree = cKDTree(unit_vectors(table["lat"].to_numpy(), table["lon"].to_numpy()))
    approx = table["amr_code_approx"].to_numpy()
    out = []
    for r in records:
        if r.pc4 is not None and r.pc4 in table.index:
            out.append(table.at[r.pc4, "amr_code_approx"])
        else:
            _, i = tree.query(unit_vectors(np.array([r.lat]), np.array([r.lon]))[0])
            out.append(approx[int(i)])
    return out


def approximate_regions_of(pc4: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Region code per located point, vectorised: the region of its PC4 (``pc4``
    as integers, negative where the point is given by ``lat``/``lon``), else of
    the nearest PC4 centre."""
    table = pc4_table()
    codes = table.index.to_numpy().astype(int)
    region_of_pc4 = np.full(10_000, "unknown", dtype=object)
    region_of_pc4[codes] = table["amr_code_approx"].to_numpy()
    pc4 = np.asarray(pc4).astype(np.int64)
    located = pc4 < 0
    if located.any():
        tree = cKDTree(unit_vectors(table["lat"].to_numpy(), table["lon"].to_numpy()))
        _, nearest = tree.query(unit_vectors(np.asarray(lat)[located], np.asarray(lon)[located]))
        pc4[located] = codes[nearest]
    return region_of_pc4[pc4]


def restrict_to_region(instance: Instance, region: str) -> Instance:
    """Keep the students living in ``region`` and the vacancies located in it.

    A vacancy's region is its company's ``region`` when ``companies.csv`` gives
    one, else the approximate region of its workplace. Wishes, travel times,
    supervisors and companies that refer only to what was dropped are dropped.

    Raises
    ------
    InputError
        When ``region`` is not one of the 35 region codes.
    """
    if region not in regions().index:
        raise InputError(f"unknown region {region!r}; expected one of AM01..AM38", column="--region")
    students = tuple(s for s, r in zip(instance.students, approximate_regions(instance.students)) if r == region)
    company_region = {c.company_id: c.region for c in instance.companies if c.region}
    vacancy_regions = approximate_regions(instance.vacancies)
    vacancies = tuple(
        v for v, r in zip(instance.vacancies, vacancy_regions)
        if company_region.get(v.company_id, r) == region
    )
    vacancy_ids = {v.vacancy_id for v in vacancies}
    company_ids = {v.company_id for v in vacancies}
    wishable = vacancy_ids | company_ids
    students = tuple(
        s if all(w in wishable for w in s.preferences)
        else s.model_copy(update={"preferences": tuple(w for w in s.preferences if w in wishable)})
        for s in students
    )
    # Rounds: a student confirmed at a vacancy outside the region has its place (elsewhere), so it is not
    # matched here; of the other decisions, those within the region apply.
    confirmed_elsewhere = {d.student_id for d in instance.decisions
                           if d.decision == DecisionKind.CONFIRMED and d.vacancy_id not in vacancy_ids}
    students = tuple(s for s in students if s.student_id not in confirmed_elsewhere)
    student_ids = {s.student_id for s in students}
    decisions = tuple(
        d for d in instance.decisions
        if d.student_id in student_ids and (d.vacancy_id is None or d.vacancy_id in vacancy_ids)
        and (d.company_id is None or d.company_id in company_ids)
    )
    return Instance(
        name=f"{instance.name}[{region}]",
        students=students,
        vacancies=vacancies,
        supervisors=tuple(s for s in instance.supervisors if s.company_id in company_ids),
        companies=tuple(c for c in instance.companies if c.company_id in company_ids),
        periods=instance.periods,
        equivalences=instance.equivalences,
        travel_times=tuple(
            t for t in instance.travel_times
            if (t.origin in student_ids or t.origin.isdigit())
            and (t.destination in vacancy_ids or t.destination.isdigit())
        ),
        decisions=decisions,
        previous=tuple(p for p in instance.previous if p.student_id in student_ids),
    )
