"""A season of matching rounds, simulated: how many students have a place after each round, with and
without keeping the standing proposals (``keep_previous``), and how many proposals change per round.

The scenario file's ``[season]`` (:class:`models.scenario.Season`) gives the
rounds and the answer probabilities. Each round is an optimal match of the
baseline (:func:`matcher.engine.solve.solve`) with the decisions so far and
the previous round's placements, exactly as ``stagematch match --previous
--decisions`` makes it; then the dice answer its proposals. A season with
``keep_previous`` (the policy's, or ``fewest_moves`` when the policy's is
``off``) and one with ``off`` throw the same dice per (run, round, student),
so their difference is the policy's, not chance's.

Per round the season counts:

- ``vacancies_listed``: vacancies listed by then (the others arrive later);
- ``placed``: students the round's match places (confirmed ones included);
- ``proposals``: of those, the ones not confirmed before the round;
- ``changed``: proposals that stood from the round before and that the match
  moved or dropped;
- ``confirmed``, ``declined``, ``pending``: after the answers, students
  confirmed so far, pairs declined so far, proposals left standing;
- ``unplaced``: students the round's match leaves without a place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matcher.engine.problem import build_problem
from matcher.engine.rounds import DECLINES
from matcher.engine.solve import solve
from matcher.errors import InputError
from matcher.geo.catalogue import sector_of
from models import Decision, DecisionKind, Instance, Policy, PreviousPlacement
from models.scenario import Season

SEASON_COLUMNS = ("keep_previous", "run", "round", "vacancies_listed", "placed", "proposals", "changed",
                  "confirmed", "declined", "pending", "unplaced")
# Salts of the season's random streams (seed, salt, run): which vacancies arrive when, and the answers.
_ARRIVAL, _ANSWERS = 101, 102


@dataclass(frozen=True)
class SeasonTask:
    """One season: with ``keep_previous`` (``fewest_moves``, ``never_move`` or ``off``), dice of run ``run``."""

    keep_previous: str
    run: int


def season_tasks(season: Season, policy: Policy) -> list[SeasonTask]:
    """The seasons to run: each run with the policy's ``keep_previous`` (``fewest_moves`` for ``off``) and with
    ``off``."""
    keeping = policy.keep_previous if policy.keep_previous != "off" else "fewest_moves"
    return [SeasonTask(keep, run) for keep in (keeping, "off") for run in range(season.runs)]


def check_season(instance: Instance, season: Season, file: str | None = None) -> None:
    """Refuse a season whose ``accept_by_sector`` names a sector no student of the instance is in.

    Raises
    ------
    matcher.errors.InputError
        Naming the sector and the instance's sectors.
    """
    known = set(sector_of([s.crebo for s in instance.students]).tolist())
    for name in season.accept_by_sector:
        if name not in known:
            raise InputError(f"no student of sector {name!r}; sectors of the instance's students: "
                             f"{', '.join(sorted(known))}", file=file, column="season.accept_by_sector")


def acceptance(instance: Instance, policy: Policy, season: Season) -> np.ndarray:
    """Per student of ``instance`` (in its order): the probability that it accepts a proposal."""
    problem = build_problem(instance.model_copy(update={"decisions": (), "previous": ()}), policy)
    order = {sid: i for i, sid in enumerate(problem.student_ids)}
    index = np.array([order[s.student_id] for s in instance.students], dtype=np.int64)
    tier = np.where(problem.s_priority[index], "priority", "regular")
    sector = sector_of([s.crebo for s in instance.students]).to_numpy()
    p = np.full(len(instance.students), season.accept, dtype=float)
    for name, value in season.accept_by_tier.items():
        p[tier == name] = value
    for name, value in season.accept_by_sector.items():
        p[sector == name] = value
    return p


def arrival_rounds(instance: Instance, season: Season, seed: int, run: int) -> np.ndarray:
    """Per vacancy: the round (0-based) from which it is listed."""
    rng = np.random.default_rng([seed, _ARRIVAL, run])
    n = len(instance.vacancies)
    late = rng.random(n) < season.arriving if season.rounds > 1 else np.zeros(n, dtype=bool)
    rounds = np.zeros(n, dtype=np.int64)
    rounds[late] = rng.integers(1, max(season.rounds, 2), size=int(late.sum()))
    return rounds


def run_season(instance: Instance, policy: Policy, season: Season, seed: int, task: SeasonTask,
               certificate: bool = True) -> pd.DataFrame:
    """Simulate one season; one row per round (columns :data:`SEASON_COLUMNS`).

    Parameters
    ----------
    instance, policy
        The baseline and its policy (``keep_previous`` replaced by the task's).
    season
        Rounds and answer probabilities.
    seed, task
        The dice: of (seed, task.run); the same for every ``keep_previous``.
    certificate
        Certify each round's optimum.
    """
    policy = policy.model_copy(update={"keep_previous": task.keep_previous})
    accept = acceptance(instance, policy, season)
    arrives = arrival_rounds(instance, season, seed, task.run)
    dice = np.random.default_rng([seed, _ANSWERS, task.run]).random((season.rounds, 2, len(instance.students)))
    student_index = {s.student_id: i for i, s in enumerate(instance.students)}
    decisions: list[Decision] = list(instance.decisions)
    confirmed = {d.student_id for d in decisions if d.decision == DecisionKind.CONFIRMED}
    declined = sum(d.decision in DECLINES for d in decisions)
    standing: dict[str, tuple[str, str]] = {}
    rows = []
    for round_ in range(season.rounds):
        vacancies = tuple(v if arrives[i] <= round_ or not v.places else v.model_copy(update={"places": 0})
                          for i, v in enumerate(instance.vacancies))
        previous = tuple(PreviousPlacement(student_id=s, vacancy_id=v, period_id=p)
                         for s, (v, p) in sorted(standing.items()))
        matched = instance.model_copy(update={"vacancies": vacancies, "decisions": tuple(decisions),
                                              "previous": previous})
        result = solve(matched, policy, certificate=certificate, jobs=1)
        placed = result.placements
        now = dict(zip(placed["student_id"], zip(placed["vacancy_id"], placed["period_id"])))
        changed = sum(now.get(s) != place for s, place in standing.items())
        proposals = {s: place for s, place in now.items() if s not in confirmed}
        standing = {}
        for sid, (vacancy_id, period_id) in sorted(proposals.items()):
            k = student_index[sid]
            answer = dice[round_, 0, k]
            if answer < accept[k]:
                decisions.append(Decision(student_id=sid, vacancy_id=vacancy_id, period_id=period_id,
                                          decision=DecisionKind.CONFIRMED))
                confirmed.add(sid)
            elif answer < accept[k] + season.decline:
                by = DecisionKind.DECLINED_BY_STUDENT if dice[round_, 1, k] < 0.5 else DecisionKind.DECLINED_BY_COMPANY
                decisions.append(Decision(student_id=sid, vacancy_id=vacancy_id, decision=by))
                declined += 1  # pairs declined so far
            else:
                standing[sid] = (vacancy_id, period_id)
        rows.append({
            "keep_previous": task.keep_previous, "run": task.run, "round": round_ + 1,
            "vacancies_listed": int((arrives <= round_).sum()), "placed": len(now), "proposals": len(proposals),
            "changed": int(changed), "confirmed": len(confirmed), "declined": declined,
            "pending": len(standing), "unplaced": int(result.summary["counts"]["unplaced"]),
        })
    return pd.DataFrame(rows, columns=list(SEASON_COLUMNS))


def season_summary(table: pd.DataFrame) -> dict:
    """summary.json's ``season``: per ``keep_previous`` and round, the mean over runs of each count."""
    counts = [c for c in SEASON_COLUMNS if c not in ("keep_previous", "run", "round")]
    means = table.groupby(["keep_previous", "round"], sort=False)[counts].mean().round(2)
    out: dict[str, list] = {}
    for (keep, round_), row in means.iterrows():
        out.setdefault(keep, []).append({"round": int(round_), **{c: float(row[c]) for c in counts}})
    return out
