"""Independent LP bound: the lexicographic optimum of a candidate table.

The engine solves the matching as a min-cost flow; this module solves the same
model as two linear programmes with HiGHS (``scipy.optimize.linprog``), from a
generic table of candidates (student, vacancy-period, cost). The table can be
built by brute force from the checker's scalar rules (``tests/support/reference.py``)
or taken from the engine (benchmarks); the LP itself knows nothing about
crebos, travel or periods, and shares no code with the engine.

Why two LPs give the exact integer optimum
------------------------------------------
Variables: ``x_c`` in [0, 1] per candidate, ``d_vp`` in [0, places or 0] per
vacancy-period (the duo partners there). Every constraint row is a 0/1 row
over the x's (the -1 of ``d_vp`` sits in a column with a single non-zero):

* one row per student (the students partition the candidates), and
* per vacancy-period: guidance candidates subset of all candidates (places);
  those inside one supervisor-period group, inside one company-period group
  (a supervisor belongs to one company, so groups nest).

The rows are thus two laminar families of column sets, which makes the matrix
totally unimodular (it is a network matrix); adding a column with one +-1 keeps
it so. With integral right-hand sides and bounds the polytope ``P`` has integral
vertices, so stage 1 (maximise sum weight x) has an integral optimum ``W*``.
Its optimal set ``F = {x in P : weight x >= W*}`` is a face of ``P`` and a face
of an integral polytope is integral, so stage 2 (minimise cost over ``F``) has
an integral optimum too: the LP values equal the best integer matching's
values, and rounding them is exact.

Stage 2 fixes ``weight x >= W* - slack``. Relaxing the face by ``slack`` can
lower the cost by up to ``slack`` times the marginal cost of a unit of weight
(the constraint's dual, easily 100), so the slack is tiny (1e-9, below HiGHS'
feasibility tolerance); only if HiGHS calls that infeasible is it retried with
1e-6. Either way the error is far below 0.5 and rounding stays exact. When
groups do not nest (a malformed table) the LP is still a valid bound (a
relaxation), just not necessarily tight.

Decisions between two matches (docs/model.md, "Rounds")
-------------------------------------------------------
The table expresses them; the LP needs nothing of its own. A withdrawn
student has no candidate, a declined (student, vacancy) pair none in any
period, and a confirmed student exactly one, its confirmed vacancy-period,
passed in ``forced`` (lower bound 1). A forced candidate stays in every row of
its vacancy-period, so it uses places, guidance places, its supervisor and its
company, and ``d_vp >= n_vp - places`` over *all* ``n_vp`` students there: the
duo cost is ``duo * max(0, n - places)`` of every student, confirmed or not,
and with ``c`` confirmed the others get ``max(0, places - c)`` places free of
duo cost and ``places - max(0, c - places)`` more at it, as docs/model.md
says. The weights and costs of the confirmed placements are in both stages'
values, as in the engine's objective parts. Integral bounds keep the vertices
integral, so the values stay exact; when the confirmed placements alone exceed
a capacity (an input the engine refuses) stage 1 is infeasible.

A previous round kept where it can (``keep_previous = "fewest_moves"``) is one
more stage between the two: ``kept`` lists the candidates that repeat a
previous placement, stage 1b maximises how many of them are taken on the
optimal face of stage 1, and stage 2 minimises the cost on the face of both.
A face of a face of an integral polytope is integral, so all three values are
the integer optimum's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix, hstack, vstack

# Slack on the stage-1 value when fixing it in stage 2: first try, and the
# fallback when HiGHS finds the first too tight (see the module docstring).
_STAGE_ONE_SLACKS = (1e-9, 1e-6)


@dataclass(frozen=True)
class LPResult:
    """Lexicographic LP optimum.

    Attributes
    ----------
    weighted_placed
        Maximum of sum weight over placed students (integral, see module docstring).
    secondary_cost
        Minimum secondary cost (candidate costs plus duo cost) given that maximum,
        rounded to 6 decimals.
    status
        ``"optimal"``, or the solver's message when a stage failed.
    x
        Stage-2 value of each candidate (an optimal LP solution).
    kept_previous
        Stage-1b value: the most ``kept`` candidates taken at the maximum weight (0 without ``kept``).
    """

    weighted_placed: float
    secondary_cost: float
    status: str
    x: np.ndarray
    kept_previous: float = 0.0


def _rows(row_of_cand: np.ndarray, n_rows: int, n_cols: int) -> csr_matrix:
    """A 0/1 matrix with a 1 at (row_of_cand[c], c) for every c with row >= 0."""
    keep = np.flatnonzero(row_of_cand >= 0)
    return coo_matrix(
        (np.ones(keep.size), (row_of_cand[keep], keep)), shape=(n_rows, n_cols)
    ).tocsr()


def lexicographic_lp(
    cand_student: np.ndarray,
    cand_vp: np.ndarray,
    cand_cost: np.ndarray,
    cand_needs_guidance: np.ndarray,
    weight: np.ndarray,
    vp_places: np.ndarray,
    vp_guidance_places: np.ndarray,
    vp_duo: np.ndarray,
    vp_supervisor_group: np.ndarray,
    supervisor_group_capacity: np.ndarray,
    vp_company_group: np.ndarray,
    company_group_capacity: np.ndarray,
    duo_cost: int,
    *,
    forced: np.ndarray | None = None,
    kept: np.ndarray | None = None,
) -> LPResult:
    """Solve the matching LP lexicographically: max weighted placements, then min cost.

    Parameters
    ----------
    cand_student, cand_vp
        Per candidate (an eligible student x vacancy-period pair): the student
        index (into ``weight``) and the vacancy-period index.
    cand_cost
        Per candidate: the student's secondary cost there, the duo term excluded.
    cand_needs_guidance
        Per candidate: whether the student needs extra guidance.
    weight
        Per student: the value of placing them.
    vp_places, vp_guidance_places, vp_duo
        Per vacancy-period: places, extra-guidance places, and whether each
        place may be shared by two students.
    vp_supervisor_group, supervisor_group_capacity
        Per vacancy-period: index of its (supervisor, period) group, -1 when
        the supervisor limits nothing; per group: its capacity.
    vp_company_group, company_group_capacity
        The same for (company, period) groups and ``max_students``.
    duo_cost
        Cost per student beyond ``places`` at a vacancy-period.
    forced
        Candidates fixed to 1 (the best solution that makes these placements,
        e.g. to price a suggestion, or the confirmed placements of a round);
        integral bounds keep the vertices integral. A stage-1 status other
        than optimal means no solution makes them.
    kept
        Candidates that repeat a previous round's placement: taking the most of
        them comes after the weight and before the cost (stage 1b).

    Returns
    -------
    LPResult
        Optimal values of both stages and the stage-2 solution.
    """
    cand_student = np.asarray(cand_student, dtype=np.int64)
    cand_vp = np.asarray(cand_vp, dtype=np.int64)
    cand_cost = np.asarray(cand_cost, dtype=float)
    cand_needs_guidance = np.asarray(cand_needs_guidance, dtype=bool)
    weight = np.asarray(weight, dtype=float)
    vp_places = np.asarray(vp_places, dtype=float)
    vp_guidance_places = np.asarray(vp_guidance_places, dtype=float)
    vp_duo = np.asarray(vp_duo, dtype=bool)
    vp_supervisor_group = np.asarray(vp_supervisor_group, dtype=np.int64)
    supervisor_group_capacity = np.asarray(supervisor_group_capacity, dtype=float)
    vp_company_group = np.asarray(vp_company_group, dtype=np.int64)
    company_group_capacity = np.asarray(company_group_capacity, dtype=float)

    n_cand, n_vp, n_students = cand_student.size, vp_places.size, weight.size
    for name, array, size in (
        ("cand_vp", cand_vp, n_cand), ("cand_cost", cand_cost, n_cand),
        ("cand_needs_guidance", cand_needs_guidance, n_cand),
        ("vp_guidance_places", vp_guidance_places, n_vp), ("vp_duo", vp_duo, n_vp),
        ("vp_supervisor_group", vp_supervisor_group, n_vp),
        ("vp_company_group", vp_company_group, n_vp),
    ):
        if array.size != size:
            raise ValueError(f"{name} has {array.size} entries, expected {size}")
    if n_cand == 0:
        return LPResult(0.0, 0.0, "optimal", np.zeros(0))

    n_cols = n_cand + n_vp
    vp_cols = coo_matrix(
        (-np.ones(n_vp), (np.arange(n_vp), np.arange(n_vp))), shape=(n_vp, n_vp)
    )
    cand_supervisor = vp_supervisor_group[cand_vp]
    cand_company = vp_company_group[cand_vp]
    blocks = [
        # Each student at most once.
        (_rows(cand_student, n_students, n_cand), None, np.ones(n_students)),
        # Students at a vacancy-period <= places + duo partners d_vp.
        (_rows(cand_vp, n_vp, n_cand), vp_cols, vp_places),
        # Students needing extra guidance <= extra-guidance places.
        (_rows(np.where(cand_needs_guidance, cand_vp, -1), n_vp, n_cand), None,
         vp_guidance_places),
        (_rows(cand_supervisor, supervisor_group_capacity.size, n_cand), None,
         supervisor_group_capacity),
        (_rows(cand_company, company_group_capacity.size, n_cand), None,
         company_group_capacity),
    ]
    matrices, rhs = [], []
    for x_part, d_part, bound in blocks:
        if x_part.shape[0] == 0:
            continue
        d_part = d_part if d_part is not None else csr_matrix((x_part.shape[0], n_vp))
        matrices.append(hstack([x_part, d_part], format="csr"))
        rhs.append(bound)
    a_ub = vstack(matrices, format="csr")
    b_ub = np.concatenate(rhs)
    bounds = np.zeros((n_cols, 2))
    bounds[:n_cand, 1] = 1.0
    if forced is not None:
        bounds[np.asarray(forced, dtype=np.int64), 0] = 1.0
    bounds[n_cand:, 1] = np.where(vp_duo, vp_places, 0.0)

    cand_weight = weight[cand_student]
    stage1 = linprog(
        np.concatenate([-cand_weight, np.zeros(n_vp)]),
        A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs",
    )
    if stage1.status != 0:
        return LPResult(float("nan"), float("nan"), f"stage 1: {stage1.message}", np.zeros(n_cand))
    best_weight = float(round(-stage1.fun))

    fixed = [(np.concatenate([-cand_weight, np.zeros(n_vp)]), -best_weight)]
    kept_previous = 0.0
    if kept is not None and len(kept):
        kept_row = np.zeros(n_cols)
        kept_row[np.asarray(kept, dtype=np.int64)] = -1.0
        stage1b = _holding(kept_row, a_ub, b_ub, bounds, fixed)
        if stage1b.status != 0:
            return LPResult(best_weight, float("nan"), f"stage 1b: {stage1b.message}", np.zeros(n_cand))
        kept_previous = float(round(-stage1b.fun))
        fixed.append((kept_row, -kept_previous))
    stage2 = _holding(np.concatenate([cand_cost, np.full(n_vp, float(duo_cost))]), a_ub, b_ub, bounds, fixed)
    if stage2.status != 0:
        return LPResult(best_weight, float("nan"), f"stage 2: {stage2.message}",
                        np.zeros(n_cand), kept_previous)
    return LPResult(
        weighted_placed=best_weight,
        secondary_cost=round(float(stage2.fun), 6),
        status="optimal",
        x=np.asarray(stage2.x[:n_cand]),
        kept_previous=kept_previous,
    )


def _holding(objective: np.ndarray, a_ub, b_ub: np.ndarray, bounds: np.ndarray,
             fixed: list[tuple[np.ndarray, float]]):
    """Minimise ``objective`` with each earlier stage held at its optimum: ``row · x <= best + slack``."""
    rows = vstack([a_ub, *(csr_matrix(row[None, :]) for row, _ in fixed)], format="csr")
    for slack in _STAGE_ONE_SLACKS:
        found = linprog(objective, A_ub=rows, b_ub=np.concatenate([b_ub, [best + slack for _, best in fixed]]),
                        bounds=bounds, method="highs")
        if found.status != 2:  # 2 = infeasible: retry with the looser slack
            break
    return found
