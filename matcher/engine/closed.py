"""The optimum of a prepared network with some vacancies closed, without preparing it again.

A simulation's dropout run is the scenario's instance with the vacancies of
the companies that drop out offering no places. Preparing that instance from
scratch (problem, candidate arcs, network, components) costs as much time and
memory as the solve itself, and only the places change. So the run solves the
scenario's prepared network (:func:`matcher.engine.solve.prepare`, made once
and shared by every run) with the *place arcs* of the closed vacancies at
capacity 0.

Why this is the run's optimum: every unit of flow through a vacancy-period
node leaves it by its place arc or, for a duo vacancy, by its parallel duo arc
(:mod:`matcher.engine.network`); with both at capacity 0 no student can be
placed there, through a guidance gate or not. Every other capacity and every
cost is a function of data the dropout leaves as it is. So the feasible
placements, and with them the optimum's values, are those of the network built
from the instance with those vacancies at 0 places (which has no arcs to them
at all). Ties between equally good placements may be broken otherwise than
there; each run is still an optimal match of its instance, certified as any
(the cuts and dual bounds are computed on the changed capacities).

Components the closed vacancies do not touch are solved as they are.
Confirmed placements (rounds) are not supported: a dropout can take a
confirmed student's place, and that student then seeks again, which changes
the arcs; such instances are prepared from scratch per run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from matcher.engine.flow import PartSolution, solve_parts
from matcher.engine.network import FlowNetwork
from matcher.engine.solve import Prepared


@dataclass(frozen=True, eq=False)
class ClosedOptimum:
    """The optimum with some vacancies closed.

    ``chosen`` are the candidate arcs it takes (indices into the prepared
    candidates, ascending); ``solutions[i]`` is the optimum of part ``i``
    (with its bounds); ``proven`` says whether every bound was certified and met.
    """

    chosen: np.ndarray
    solutions: list[PartSolution]
    proven: bool


def closing_arcs(network: FlowNetwork, closed: np.ndarray) -> np.ndarray:
    """The arcs to set to capacity 0 to close the vacancies ``closed``: their place and duo arcs.

    Parameters
    ----------
    network
        A placement network.
    closed
        Per vacancy of the network's problem: whether it offers no places.

    Returns
    -------
    numpy.ndarray
        Arc indices of ``network``, ascending.
    """
    ranges = network.arc_ranges()
    closed_vp = np.asarray(closed, dtype=bool)[network.vp_vacancy]
    return np.concatenate([
        ranges["place"].start + np.flatnonzero(closed_vp),
        ranges["duo"].start + np.flatnonzero(closed_vp[network.duo_vp]),
    ]).astype(np.int64)


def solve_closed(prepared: Prepared, closed: np.ndarray, *, certify: bool = True) -> ClosedOptimum:
    """The lexicographic optimum of ``prepared`` with the vacancies ``closed`` offering no places.

    Parameters
    ----------
    prepared
        The instance's problem, candidates, network and components (without confirmed placements).
    closed
        Per vacancy of ``prepared.problem``: whether it is closed.
    certify
        Certify every part's optimum (cuts and dual bounds), as :func:`matcher.engine.solve.solve` does.

    Returns
    -------
    ClosedOptimum

    Raises
    ------
    ValueError
        When ``closed`` has not one flag per vacancy, or the network holds confirmed placements.
    """
    network = prepared.network
    closed = np.asarray(closed, dtype=bool)
    if closed.shape != (prepared.problem.n_vacancies,):
        raise ValueError(f"closed needs one flag per vacancy ({prepared.problem.n_vacancies}), "
                         f"not shape {closed.shape}")
    if len(network.fixed_arcs):
        raise ValueError("a network with confirmed placements cannot be closed in place: prepare it again")
    shut = np.zeros(network.n_arcs, dtype=bool)
    shut[closing_arcs(network, closed)] = True
    parts = []
    for part in prepared.parts:
        at = np.flatnonzero(shut[part.arcs])  # positions in the part's body
        if len(at):
            capacities = part.capacities.copy()
            capacities[at] = 0
            part = replace(part, capacities=capacities)
        parts.append(part)
    solutions = solve_parts(parts, unweighted=False, certify=certify, jobs=1)
    flows = np.zeros(network.n_candidate_arcs, dtype=np.int64)
    for part, solution in zip(parts, solutions):
        body = solution.flows[: part.n_candidate_arcs]
        flows[part.arcs[: part.n_candidate_arcs]] = body
    return ClosedOptimum(np.flatnonzero(flows > 0), solutions,
                         certify and all(solution.proven for solution in solutions))
