"""Shortlists for schools: each student's feasible places, ranked by what they cost the optimum.

A school asks, for each of its students, which places are open to them and how
much the regional optimum worsens if the student takes one. The places are the
engine's candidate arcs (eligible vacancy-periods within the student's travel
limit). The worsening of an alternative ``a`` of student ``s`` is the
lexicographic difference between the optimum and the best solution in which
``s`` takes ``a``: first the priority-weighted placements lost, then the extra
secondary cost (travel, wishes, periods, duo).

Why the ranking is exact
------------------------
Each component is solved, for one objective, as its *exchange graph*
(:mod:`matcher.explain.residual`, which explains it): every student supplies
one unit, which takes a candidate arc or an *unplaced* arc to the sink at cost
``M·w(s)``, so that a solution's cost orders solutions lexicographically and a
cost difference ``Δ = M·p + q`` decodes uniquely into ``p`` (weighted
placements lost) and ``q`` (extra secondary cost). The engine's optimal flow,
with the unplaced arcs added, is optimal there.

Any other solution differs from the optimum by a circulation in the residual
graph; one in which ``s`` takes ``a`` contains a cycle through ``a`` and the
rest of it are cycles of non-negative cost (the optimum leaves no negative
cycle). So the best solution with ``a`` costs the optimum plus the cheapest
residual cycle through ``a``: ``c(a)`` plus the shortest residual path from
``a``'s head back to ``s`` (``a`` carries no flow, so its reverse is not in the
residual graph). The potentials of :func:`matcher.engine.certificate.residual_potentials`
make every reduced cost non-negative, so shortest paths are label searches.
The only residual arc into ``s`` comes from where its unit goes in the optimum
(its place, or the sink when unplaced: its *return* node), so students who
share that node share one search, backwards from it.

Why the searches stay small: nearly every exchange could also go through the
sink (a free place somewhere, an unplaced student), so a shortest path to the
return node ``r`` is either the one through the sink, ``d(x → sink) + d(sink → r)``,
from one search into and one out of the sink for the whole component, or a
shorter one that avoids the sink. A search from ``r`` that avoids the sink need
not go past a node ``x`` whose distance is already no shorter than the way
through the sink: every path through ``x`` is then no shorter than the way
through the sink from where it starts (triangle inequality). On the national
preset such a search settles a few hundred of a component's 200,000 nodes.
Costs are integers below 2**53, checked, so float distances are exact.

The cycle also says, in words, what taking the place does to the others (how
many students move or lose their place, whether a duo place is needed), never
who they are: a school sees only its own students.
:func:`adjusted_assignment` re-solves the component with the alternative
forced, which gives the full assignment behind a suggestion and an
independent check of its predicted worsening.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from ortools.graph.python import min_cost_flow
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from matcher.engine.candidates import NO_WISH
from matcher.engine.csr import distinct, ranges, sort_order
from matcher.engine.result import Result
from matcher.engine.solve import Solved, result_with_placements
from matcher.errors import InputError, ModelError
from matcher.explain.residual import EXACT_FLOAT_LIMIT, ExchangeGraph, ReducedResidual, exchange_graph, reduced_residual
from models import Instance

SHORTLIST_COLUMNS = (
    "student_id", "rank", "vacancy_id", "company_id", "period_id", "travel_min", "wish_rank",
    "in_current_optimum", "lost_weighted_placements", "extra_secondary_cost", "effect",
)
# Return nodes searched together: each keeps a row of distances and next nodes over the component's nodes.
SEARCH_BATCH = 64


def _parts_of_students(solved: Solved) -> np.ndarray:
    """Per student of the problem: the index of its component, -1 without candidates."""
    network = solved.network
    entry = network.entry_arcs
    part_of_student = np.full(solved.problem.n_students, -1, dtype=np.int64)
    for index, part in enumerate(solved.parts):
        entries = part.arcs[(part.arcs >= entry.start) & (part.arcs < entry.stop)]
        part_of_student[network.active_students[network.heads[entries]]] = index
    return part_of_student


def _largest_finite(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.max()) if len(finite) else 0.0


@dataclass(frozen=True, eq=False)
class _ThroughSink:
    """The shortest residual paths into and out of a component's sink: ``to_sink[x]`` and
    ``next_to_sink[x]`` (the next node on the way from ``x``), ``from_sink[x]`` and
    ``previous_from_sink[x]`` (the node before ``x`` on the way to it)."""

    sink: int
    to_sink: np.ndarray
    next_to_sink: np.ndarray
    from_sink: np.ndarray
    previous_from_sink: np.ndarray


def _through_sink(reversed_graph: csr_matrix, sink: int) -> _ThroughSink:
    to_sink, next_to_sink = dijkstra(reversed_graph, directed=True, indices=sink, return_predecessors=True)
    forward = reversed_graph.transpose().tocsr()
    from_sink, previous = dijkstra(forward, directed=True, indices=sink, return_predecessors=True)
    return _ThroughSink(sink, to_sink, next_to_sink.astype(np.int64), from_sink, previous.astype(np.int64))


class _ReturnSearch:
    """Shortest residual paths from every node to a batch of return nodes (module docstring).

    Row ``i`` is the search back from ``targets[i]``: it labels only the nodes whose way to the target
    that avoids the sink is shorter than the way through it, by rounds of label correcting over all rows
    at once. The dense rows are kept between batches and only what a batch labelled is cleared.

    An arc is as long as ``n·(reduced cost)`` (``n`` nodes), plus 1 when it leaves a student: of equally
    cheap exchanges, the one that touches the fewest other students wins (a free place before a chain of
    moves). Where that would not stay exact in floats, arcs are as long as their reduced cost.
    """

    def __init__(self, residual: ReducedResidual, student_nodes: np.ndarray, sink: int, n_rows: int) -> None:
        self.n = n = residual.reversed.shape[0]
        leaves_student = np.zeros(n, dtype=np.float64)
        leaves_student[student_nodes] = 1.0
        self.matrix = residual.reversed.copy()
        self.matrix.data = self.matrix.data * n + leaves_student[self.matrix.indices]
        self.scale = n
        hub = _through_sink(self.matrix, sink)
        if max(_largest_finite(hub.to_sink), _largest_finite(hub.from_sink)) >= EXACT_FLOAT_LIMIT / 2:
            self.matrix, self.scale = residual.reversed, 1
            hub = _through_sink(self.matrix, sink)
        self.hub = hub
        self.distance = np.full(n_rows * self.n, np.inf)
        self.next = np.full(n_rows * self.n, -1, dtype=np.int64)
        self.on_chain = np.zeros(n_rows * self.n, dtype=bool)
        self._labelled = np.zeros(0, dtype=np.int64)
        self._chain = np.zeros(0, dtype=np.int64)

    def search(self, targets: np.ndarray) -> None:
        """Label the rows of ``targets`` (forgetting the previous batch)."""
        n, hub = self.n, self.hub
        self.distance[self._labelled] = np.inf
        self.next[self._labelled] = -1
        self.on_chain[self._chain] = False
        self.targets = targets
        self.through = hub.from_sink[targets]  # d(sink -> target) per row
        rows_ = np.arange(len(targets), dtype=np.int64)
        starts = (targets != hub.sink) & (hub.to_sink[targets] + self.through > 0)
        key = rows_[starts] * n + targets[starts]
        length = np.zeros(len(key))
        self.distance[key] = 0.0
        labelled = [key]
        matrix = self.matrix  # row x: the residual arcs into x; their tails are the columns
        indptr, tails, weights = matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64), matrix.data
        while len(key):
            row, node = np.divmod(key, n)
            lo = indptr[node]
            count = indptr[node + 1] - lo
            arc = ranges(lo, count)
            row, via = np.repeat(row, count), np.repeat(node, count)
            tail = tails[arc]
            length = np.repeat(length, count) + weights[arc]
            new_key = row * n + tail
            # Pruned where the way through the sink is no longer: nothing beyond is shorter either.
            keep = (tail != hub.sink) & (length < hub.to_sink[tail] + self.through[row])
            keep[keep] = length[keep] < self.distance[new_key[keep]]
            new_key, length, via = new_key[keep], length[keep], via[keep]
            order = np.lexsort((via, length, new_key))
            new_key, length, via = new_key[order], length[order], via[order]
            first = np.ones(len(new_key), dtype=bool)
            first[1:] = new_key[1:] != new_key[:-1]
            key, length = new_key[first], length[first]
            self.distance[key] = length
            self.next[key] = via[first]
            labelled.append(key)
            if _largest_finite(length) >= EXACT_FLOAT_LIMIT:
                raise ModelError("a path cost is too large for exact float shortest paths")
        self._labelled = distinct(np.concatenate(labelled))
        # The way out of the sink to each target, marked, for where a path through the sink may turn off.
        chain, node = [], targets.copy()
        on = rows_
        while len(on):
            chain.append(on * n + node)
            going = node != hub.sink
            on, node = on[going], hub.previous_from_sink[node[going]]
            if (node < 0).any():
                raise ModelError("a shortest path from the sink broke off")
        self._chain = np.concatenate(chain)
        self.on_chain[self._chain] = True

    def distances(self, row: np.ndarray, node: np.ndarray) -> np.ndarray:
        """The shortest residual distance (reduced cost) from ``node`` to the target of ``row``."""
        length = np.minimum(self.distance[row * self.n + node], self.hub.to_sink[node] + self.through[row])
        finite = np.isfinite(length)
        length[finite] = length[finite].astype(np.int64) // self.scale  # in integers: exact
        return length

    def path_arcs(self, row: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The residual arcs of a shortest simple path from each ``start`` to its row's target, as
        ``(path, tail, head)`` with ``path`` the index into ``start``.

        A path the search labelled follows its next nodes. Any other one goes towards the sink and turns
        off where it meets the way from the sink to the target (at the sink at the latest), so no node
        repeats; it costs no more than the way through the sink (what is cut out is a cycle, not
        negative), and no less, or the search would have labelled it.
        """
        n, hub = self.n, self.hub
        target = self.targets[row]
        paths, arc_tails, arc_heads = [], [], []
        local = np.isfinite(self.distance[row * n + start])
        # Labelled paths, and the first half of the others: from the start to the target or to the chain.
        path = np.arange(len(start))
        here = start.copy()
        walking = np.flatnonzero(np.where(local, here != target, ~self.on_chain[row * n + here]))
        for _ in range(n):
            if not len(walking):
                break
            at = here[walking]
            key = row[walking] * n + at
            after = np.where(local[walking], self.next[key], hub.next_to_sink[at])
            if (after < 0).any():
                raise ModelError("a shortest path broke off before reaching its end")
            paths.append(path[walking])
            arc_tails.append(at)
            arc_heads.append(after)
            here[walking] = after
            done = np.where(local[walking], after == target[walking], self.on_chain[row[walking] * n + after])
            walking = walking[~done]
        if len(walking):
            raise ModelError("a shortest path did not reach its end")
        # The second half: back from the target along the way from the sink to where the first half ended.
        turn = here
        walking = np.flatnonzero(~local & (target != turn))
        node = target.copy()
        for _ in range(n):
            if not len(walking):
                break
            before = hub.previous_from_sink[node[walking]]
            if (before < 0).any():
                raise ModelError("a shortest path from the sink broke off")
            paths.append(path[walking])
            arc_tails.append(before)
            arc_heads.append(node[walking])
            node[walking] = before
            walking = walking[before != turn[walking]]
        if len(walking):
            raise ModelError("a shortest path did not reach its end")
        empty = np.zeros(0, dtype=np.int64)
        return tuple(np.concatenate(part) if part else empty for part in (paths, arc_tails, arc_heads))


def _effects(graph: ExchangeGraph, residual: ReducedResidual, n_paths: int, path: np.ndarray,
             tail: np.ndarray, head: np.ndarray, alternative_vp: np.ndarray) -> dict[str, np.ndarray]:
    """What each path of residual arcs ``(path, tail, head)`` changes for the other students.

    Returns
    -------
    dict
        Per path: ``others_placed_anew`` (unplaced students who get a place),
        ``others_unplaced`` (students who lose theirs), ``others_moved``
        (placed students who change place) and ``duo`` (one more place at the
        alternative's vacancy-period ``alternative_vp`` is shared).
    """
    key = tail * graph.n_nodes + head
    step = np.minimum(np.searchsorted(residual.key, key), len(residual.key) - 1)
    if len(key) and (residual.key[step] != key).any():
        raise ModelError("a shortest path left the residual graph")
    arc, forward = residual.arc[step], residual.forward[step]
    unplaced_arc = graph.network_arc[arc] < 0

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(path[mask], minlength=n_paths).astype(np.int64)

    # A student entered through its unplaced arc had no place; one left
    # through it loses its place; one leaving by a candidate arc takes that place.
    placed_anew = count(unplaced_arc & ~forward)
    new_places = count(graph.candidate[arc] & forward)
    return {
        "others_placed_anew": placed_anew,
        "others_unplaced": count(unplaced_arc & forward),
        "others_moved": new_places - placed_anew,
        "duo": count(forward & (graph.duo_vp[arc] == alternative_vp[path])) > 0,
    }


def alternatives(solved: Solved, students: np.ndarray, per_student: int | None = None) -> pd.DataFrame:
    """Every candidate place of ``students`` with its exact worsening of the optimum.

    Parameters
    ----------
    solved
        A solved match.
    students
        Problem indices of the students.
    per_student
        Keep only the best this many feasible alternatives per student
        (``None``: every candidate, infeasible ones included).

    Returns
    -------
    pandas.DataFrame
        One row per alternative, sorted by student and rank, with columns
        ``student`` (problem index), ``candidate`` (index into
        ``solved.candidates``), ``rank`` (1-based among the student's feasible
        alternatives, 0 when infeasible), ``feasible`` (some solution places
        the student there), ``current`` (the optimum does),
        ``lost_weighted_placements``, ``extra_secondary_cost`` (both 0 when
        current; meaningless when infeasible), ``others_moved``,
        ``others_unplaced``, ``others_placed_anew``, ``duo``, ``student_unplaced``
        (the student has no place in the optimum).
    """
    students = distinct(np.asarray(students, dtype=np.int64))
    part_of_student = _parts_of_students(solved)
    frames = []
    for part_index in distinct(part_of_student[students]):
        if part_index < 0:
            continue  # students without any candidate have no alternatives
        members = students[part_of_student[students] == part_index]
        frames.append(_alternatives_in_part(solved, int(part_index), members, per_student))
    columns = ["student", "candidate", "rank", "feasible", "current", "lost_weighted_placements",
               "extra_secondary_cost", "others_moved", "others_unplaced", "others_placed_anew", "duo",
               "student_unplaced"]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=np.int64) for c in columns})
    table = pd.concat(frames, ignore_index=True)[columns]
    return table.sort_values(["student", "feasible", "rank", "candidate"], ascending=[True, False, True, True],
                             kind="stable", ignore_index=True)


def _alternatives_in_part(solved: Solved, part_index: int, members: np.ndarray,
                          per_student: int | None) -> pd.DataFrame:
    """:func:`alternatives` for ``members``, students of one component.

    The residual graph has one way into a student: back along the arc its unit
    takes in the optimum (the reverse of its place, or of its unplaced arc from
    the sink). So the shortest path from an alternative's head to the student
    is the shortest path to that arc's head (the *return* node; it cannot pass
    the student) plus that last step; students returning through the same
    node (all unplaced ones: the sink) share one search.
    """
    candidates, network = solved.candidates, solved.network
    graph = exchange_graph(solved, part_index)
    residual = reduced_residual(graph)
    potential = residual.potential

    node_of_student = np.full(solved.problem.n_students, -1, dtype=np.int64)
    node_of_student[graph.students] = graph.student_nodes
    held = np.flatnonzero((graph.flows > 0) & (graph.candidate | (graph.network_arc < 0)))
    held_tail, held_head = graph.tails[held], graph.heads[held]
    return_node = np.full(graph.n_nodes, -1, dtype=np.int64)
    return_node[held_tail] = held_head
    last_step = np.zeros(graph.n_nodes, dtype=np.int64)
    last_step[held_tail] = -graph.costs[held] + potential[held_head] - potential[held_tail]

    nodes = node_of_student[members]
    targets, target_row = np.unique(return_node[nodes], return_inverse=True)
    # Each candidate arc's position among the exchange graph's arcs.
    # Searched in the sorted copy: a searchsorted with a sorter is 20x slower.
    arc_order, sorted_arcs = sort_order(graph.network_arc)
    search = _ReturnSearch(residual, graph.student_nodes, graph.sink, min(SEARCH_BATCH, len(targets)))
    frames = []
    for batch_start in range(0, len(targets), SEARCH_BATCH):
        sources = targets[batch_start:batch_start + SEARCH_BATCH]
        search.search(sources)
        in_batch = (target_row >= batch_start) & (target_row < batch_start + len(sources))
        batch = members[in_batch]
        # The candidate arcs of the batch's students (candidates are sorted by student).
        # Searched in the array's own dtype: other integers cast all of it first, a pass each time.
        lo = np.searchsorted(candidates.student, batch.astype(candidates.student.dtype), side="left")
        hi = np.searchsorted(candidates.student, batch.astype(candidates.student.dtype), side="right")
        counts = hi - lo
        cand = ranges(lo, counts)
        student_row = np.repeat(np.arange(len(batch)), counts)
        row = np.repeat(target_row[in_batch] - batch_start, counts)
        arc = arc_order[np.searchsorted(sorted_arcs, cand.astype(sorted_arcs.dtype))]
        tail, head = graph.tails[arc], graph.heads[arc]
        current = graph.flows[arc] > 0
        back = search.distances(row, head)
        feasible = current | np.isfinite(back)
        # The cheapest cycle through the arc: its own reduced cost, the way
        # back to the return node, and the last step into the student.
        own_reduced = graph.costs[arc] + potential[tail] - potential[head]
        cycle = own_reduced + np.where(feasible, back, 0) + last_step[tail]
        if (cycle[feasible] >= EXACT_FLOAT_LIMIT).any():
            raise ModelError("a cycle cost is too large for exact float shortest paths")
        difference = np.where(current | ~feasible, 0, np.rint(cycle)).astype(np.int64)
        lost, extra = graph.decode(difference)
        table = pd.DataFrame({
            "student": batch[student_row], "candidate": cand, "row": row, "head": head,
            "feasible": feasible, "current": current,
            "lost_weighted_placements": np.where(feasible, lost, 0),
            "extra_secondary_cost": np.where(feasible, extra, 0),
        })
        table = table.sort_values(
            ["student", "feasible", "lost_weighted_placements", "extra_secondary_cost", "current", "candidate"],
            ascending=[True, False, True, True, False, True], kind="stable", ignore_index=True)
        rank = table.groupby("student", sort=False).cumcount().to_numpy() + 1
        table["rank"] = np.where(table["feasible"], rank, 0)
        if per_student is not None:
            table = table[table["feasible"] & (table["rank"] <= per_student)].reset_index(drop=True)
        effects = {name: np.zeros(len(table), dtype=np.int64) for name in
                   ("others_placed_anew", "others_unplaced", "others_moved")}
        effects["duo"] = np.zeros(len(table), dtype=bool)
        walk = table["feasible"].to_numpy() & ~table["current"].to_numpy()
        if walk.any():
            path, tail, head = search.path_arcs(table["row"].to_numpy()[walk], table["head"].to_numpy()[walk])
            walked = _effects(graph, residual, int(walk.sum()), path, tail, head,
                              network.candidate_vp[table["candidate"].to_numpy()[walk]])
            for name, values in walked.items():
                effects[name][walk] = values
        for name, values in effects.items():
            table[name] = values
        table["student_unplaced"] = return_node[node_of_student[table["student"].to_numpy()]] == graph.sink
        frames.append(table.drop(columns=["row", "head"]))
    return pd.concat(frames, ignore_index=True)


def describe_effect(current: bool, student_unplaced: bool, others_moved: int, others_unplaced: int,
                    others_placed_anew: int, duo: bool) -> str:
    """What taking an alternative does, in words that name no other student.

    Parameters
    ----------
    current
        The optimum places the student there.
    student_unplaced
        The optimum leaves the student unplaced.
    others_moved, others_unplaced, others_placed_anew
        Other students who change place, lose their place, or get one.
    duo
        One more place at the alternative is shared (duo).

    Returns
    -------
    str
    """
    if current:
        return "the student's place in the optimum"
    said = []
    if duo:
        said.append("needs a duo place")
    if others_moved == 1:
        said.append("displaces a student, who is placed elsewhere")
    elif others_moved > 1:
        said.append(f"moves {others_moved} other students")
    # The optimum places as many students as can be placed at all, so no
    # alternative places more; the student's own placement counts here.
    placed_change = others_placed_anew - others_unplaced + int(student_unplaced)
    if placed_change < 0:
        said.append("one student fewer is placed" if placed_change == -1
                    else f"{-placed_change} fewer students are placed")
    elif others_unplaced:
        said.append("another student loses their place" if others_unplaced == 1
                    else f"{others_unplaced} other students lose their places")
    return "; ".join(said) if said else "a free place"


@dataclass(frozen=True, eq=False)
class Shortlists:
    """A school's shortlists: ``table`` has :data:`SHORTLIST_COLUMNS`, rows by
    student id and rank. ``n_students`` were asked about; ``n_without_places``
    of them have no feasible place at all; ``n_unplaced`` have none in the optimum."""

    school_id: str
    table: pd.DataFrame
    n_students: int
    n_without_places: int
    n_unplaced: int


def check_request(instance: Instance, school_id: str, student_id: str | None = None) -> None:
    """Refuse a school without students in ``instance``, or a student not of that school.

    Raises
    ------
    InputError
        The message does not tell whether a refused student exists at another
        school: a school learns nothing about other schools' students.
    """
    own = {s.student_id for s in instance.students if s.school_id == school_id}
    if not own:
        raise InputError(f"school {school_id!r} has no students in this instance", column="--school")
    if student_id is not None and student_id not in own:
        raise InputError(f"student {student_id!r} is not a student of school {school_id!r}",
                         column="--student")


def shortlists(solved: Solved, school_id: str, *, student_id: str | None = None, k: int = 5) -> Shortlists:
    """Up to ``k`` feasible places per student of ``school_id``, best first.

    Parameters
    ----------
    solved
        The solved (regional) match.
    school_id
        The school asking; only its own students appear.
    student_id
        Only this student (who must belong to the school).
    k
        Places per student.

    Returns
    -------
    Shortlists
        Of the students still to be matched (with decisions, not the confirmed
        or withdrawn ones). Ranked by (weighted placements lost, extra secondary cost); ties put
        the student's current place first, then vacancy id and period order.

    Raises
    ------
    InputError
        For an unknown school or a student of another school.
    """
    if k < 1:
        raise InputError("k must be at least 1", column="-k")
    check_request(solved.instance, school_id, student_id)
    problem, candidates = solved.problem, solved.candidates
    if student_id is None:
        students = np.flatnonzero(problem.school_ids[problem.s_school] == school_id)
    else:  # student ids are sorted
        students = np.searchsorted(problem.student_ids, [student_id]).astype(np.int64)
    if problem.decided is not None:  # rounds: a confirmed or withdrawn student has nothing left to choose
        decided = problem.decided.confirmed[students] | problem.decided.withdrawn[students]
        if student_id is not None and decided.any():
            what = "confirmed" if problem.decided.confirmed[students[0]] else "withdrawn"
            raise InputError(f"student {student_id!r} is {what} (decisions.csv): there is nothing to suggest",
                             column="--student")
        students = students[~decided]
    found = alternatives(solved, students, per_student=k)
    cand = found["candidate"].to_numpy(dtype=np.int64)
    vacancy = candidates.vacancy[cand]
    wish = candidates.wish_rank[cand]
    effect = [
        describe_effect(*row) for row in zip(
            found["current"].tolist(), found["student_unplaced"].tolist(), found["others_moved"].tolist(),
            found["others_unplaced"].tolist(), found["others_placed_anew"].tolist(), found["duo"].tolist())
    ]
    table = pd.DataFrame({
        "student_id": problem.student_ids[found["student"].to_numpy(dtype=np.int64)],
        "rank": found["rank"].to_numpy(dtype=np.int64),
        "vacancy_id": problem.vacancy_ids[vacancy],
        "company_id": problem.company_ids[problem.v_company[vacancy]],
        "period_id": np.array(problem.period_ids, dtype=object)[candidates.period[cand]],
        "travel_min": candidates.travel_min[cand].astype(np.int64),
        "wish_rank": pd.array(np.where(wish == NO_WISH, -1, wish + 1), dtype="Int64"),
        "in_current_optimum": np.where(found["current"].to_numpy(dtype=bool), "true", "false"),
        "lost_weighted_placements": found["lost_weighted_placements"].to_numpy(dtype=np.int64),
        "extra_secondary_cost": found["extra_secondary_cost"].to_numpy(dtype=np.int64),
        "effect": effect,
    }, columns=list(SHORTLIST_COLUMNS))
    table.loc[table["wish_rank"] < 0, "wish_rank"] = pd.NA
    with_places = distinct(found["student"].to_numpy(dtype=np.int64))
    return Shortlists(
        school_id=school_id,
        table=table,
        n_students=len(students),
        n_without_places=len(students) - len(with_places),
        n_unplaced=int((~solved.placed[students]).sum()),
    )


def adjusted_assignment(solved: Solved, candidate: int) -> Result:
    """The best solution in which one student takes one alternative, as a full result.

    The student's component is solved again as a min-cost flow of its exchange
    graph (see the module docstring) with every other way out of the student
    closed (its other candidates and its unplaced arc), so the student must
    take ``candidate``; the other components keep the optimum. Its objective is
    the optimum's minus the alternative's worsening.

    Parameters
    ----------
    solved
        The solved match.
    candidate
        Index into ``solved.candidates``: the student and place.

    Returns
    -------
    Result
        Status ``"suggestion"``; passes every hard constraint of the checker.

    Raises
    ------
    ModelError
        When no solution places the student there.
    """
    candidates, network, problem = solved.candidates, solved.network, solved.problem
    student = int(candidates.student[candidate])
    part_index = int(_parts_of_students(solved)[student])
    graph = exchange_graph(solved, part_index)
    node = graph.student_nodes[graph.students == student][0]
    forced = np.flatnonzero(graph.network_arc == candidate)[0]
    capacities = graph.capacities.copy()
    closed = graph.tails == node
    closed[forced] = False
    capacities[closed] = 0

    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(
        graph.tails.astype(np.int32), graph.heads.astype(np.int32), capacities, graph.costs)
    solver.set_nodes_supplies(np.arange(graph.n_nodes, dtype=np.int32), graph.supplies())
    status = solver.solve()
    if status == solver.INFEASIBLE:
        raise ModelError("no solution places the student at that vacancy and period")
    if status != solver.OPTIMAL:
        raise ModelError(f"min-cost flow solver ended with status {status}")
    flows = solver.flows(arcs)

    n_candidate_arcs = network.n_candidate_arcs
    in_part = np.zeros(n_candidate_arcs, dtype=bool)
    part_arcs = solved.parts[part_index].arcs
    in_part[part_arcs[part_arcs < n_candidate_arcs]] = True
    kept = solved.chosen[~in_part[solved.chosen]]
    taken = graph.network_arc[graph.candidate & (flows > 0)]
    proof = {
        "method": (
            "the optimum with one student forced onto one alternative: the student's component "
            "re-solved as a min-cost flow with every other way out of the student closed"
        ),
        "student_id": str(problem.student_ids[student]),
        "vacancy_id": str(problem.vacancy_ids[candidates.vacancy[candidate]]),
        "period_id": problem.period_ids[int(candidates.period[candidate])],
        "proven_optimal": False,
    }
    return result_with_placements(solved, np.r_[kept, taken], "suggestion", proof)
