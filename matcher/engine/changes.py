"""``changes.csv``: what a round changed for each student against the previous round's placements.

Per student of the match or of the previous result: ``kept`` (same vacancy
and period), ``moved`` (placed elsewhere), ``lost`` (placed before, not now),
``new`` (placed now, not before) or ``unplaced`` (neither). A change gets a
reason code and a detail in words; the first reason that applies is given
(docs/model.md, "Rounds": the list and its order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.engine.csr import distinct
from models import DecisionKind, Instance

CHANGES = ("kept", "moved", "lost", "new", "unplaced")
CHANGE_COLUMNS = ("student_id", "school_id", "change", "previous_vacancy_id", "previous_period_id",
                  "vacancy_id", "period_id", "reason", "detail")


def changes_frame(instance: Instance, problem, candidates, chosen: np.ndarray, keep_previous: str) -> pd.DataFrame:
    """One row per student of ``problem`` or of ``instance.previous``, sorted by ``student_id``.

    Parameters
    ----------
    instance
        The instance matched, with the previous round's placements.
    problem, candidates
        The match's problem (with the placements ``never_move`` held) and its arcs.
    chosen
        The candidate arcs the match takes.
    keep_previous
        The policy's ``keep_previous``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CHANGE_COLUMNS`; ids of no placement are empty.
    """
    s = candidates.student[chosen]
    now = pd.DataFrame({"student_id": problem.student_ids[s],
                        "vacancy_id": problem.vacancy_ids[candidates.vacancy[chosen]],
                        "period_id": np.array(problem.period_ids, dtype=object)[candidates.period[chosen]]})
    before = pd.DataFrame([p.model_dump() for p in instance.previous],
                          columns=["student_id", "vacancy_id", "period_id"]).rename(
        columns={"vacancy_id": "previous_vacancy_id", "period_id": "previous_period_id"})
    students = pd.DataFrame({"student_id": problem.student_ids,
                             "school_id": problem.school_ids[problem.s_school]})
    frame = (students.merge(before, on="student_id", how="outer")
             .merge(now, on="student_id", how="left")
             .sort_values("student_id", kind="stable", ignore_index=True))
    frame = frame.astype(object).where(frame.notna(), "")
    placed_before, placed_now = frame["previous_vacancy_id"] != "", frame["vacancy_id"] != ""
    same = (placed_before & placed_now & (frame["previous_vacancy_id"] == frame["vacancy_id"])
            & (frame["previous_period_id"] == frame["period_id"]))
    change = np.select([same, placed_before & placed_now, placed_before, placed_now], CHANGES[:4], CHANGES[4])
    frame["change"] = change
    reasons = _Reasons(instance, problem, candidates, keep_previous)
    frame["reason"], frame["detail"] = "", ""
    confirmed = (frame["change"] == "kept") & (frame["student_id"].map(reasons.confirmed) == frame["vacancy_id"])
    frame.loc[confirmed, ["reason", "detail"]] = ["confirmed", "confirmed there"]
    left = np.flatnonzero(frame["change"].isin(["moved", "lost"]).to_numpy())  # the few rows that need words
    columns = [frame[c].to_numpy()[left] for c in ("student_id", "previous_vacancy_id", "previous_period_id",
                                                    "change")]
    found = [reasons.not_kept(*row) for row in zip(*columns)]
    if found:
        frame.loc[left, "reason"] = [code for code, _ in found]
        frame.loc[left, "detail"] = [detail for _, detail in found]
    reasons.explain_new(frame)
    return frame[list(CHANGE_COLUMNS)]


def change_counts(changes: pd.DataFrame) -> dict[str, int]:
    """summary.json's ``changes``: students per change, in :data:`CHANGES` order."""
    counts = changes["change"].value_counts()
    return {name: int(counts.get(name, 0)) for name in CHANGES}


class _Reasons:
    """The facts a change's reason needs, gathered once: decisions by kind, ids present, candidate arcs."""

    def __init__(self, instance: Instance, problem, candidates, keep_previous: str) -> None:
        self.keep_previous = keep_previous
        self.student = {sid: i for i, sid in enumerate(problem.student_ids)}
        self.vacancy = {vid: i for i, vid in enumerate(problem.vacancy_ids)}
        self.period = {pid: i for i, pid in enumerate(problem.period_ids)}
        self.company_of = {v.vacancy_id: v.company_id for v in instance.vacancies}
        self.withdrawn, self.confirmed, self.declined = set(), {}, {}
        for d in instance.decisions:
            if d.decision == DecisionKind.WITHDRAWN:
                self.withdrawn.add(d.student_id)
            elif d.decision == DecisionKind.CONFIRMED:
                self.confirmed[d.student_id] = d.vacancy_id
            else:
                self.declined[(d.student_id, d.vacancy_id or d.company_id)] = d.decision
        self.n_v, self.n_p = max(problem.n_vacancies, 1), max(problem.n_periods, 1)
        self.arcs = distinct(self._key(candidates.student, candidates.vacancy, candidates.period))

    def _key(self, s, v, p) -> np.ndarray:
        return (np.asarray(s, np.int64) * self.n_v + np.asarray(v, np.int64)) * self.n_p + np.asarray(p, np.int64)

    def not_kept(self, sid: str, vid: str, pid: str, change: str) -> tuple[str, str]:
        """(reason, detail) of a previous placement that was not kept (``change`` is moved or lost)."""
        if sid not in self.student:
            return "left_input", "the student is no longer in students.csv"
        if sid in self.withdrawn:
            return "withdrawn", "the student left the search"
        if sid in self.confirmed:
            return "confirmed", f"confirmed at {self.confirmed[sid]}"
        company = self.company_of.get(vid)
        for key, who in (((sid, vid), None), ((sid, company), "company")):
            kind = self.declined.get(key)
            if kind is not None:
                by = "the student" if kind == DecisionKind.DECLINED_BY_STUDENT else "the company"
                return kind.value, f"{by} declined {vid}" if who is None else f"{by} declined (company {company})"
        if vid not in self.vacancy:
            return "vacancy_gone", f"vacancy {vid} is no longer listed"
        if pid not in self.period:
            return "period_gone", f"period {pid} is no longer in periods.csv"
        key = self._key(self.student[sid], self.vacancy[vid], self.period[pid])
        at = int(np.searchsorted(self.arcs, key))  # self.arcs is sorted (np.unique)
        if at == len(self.arcs) or self.arcs[at] != key:
            return "no_longer_eligible", (f"{vid} no longer fits the student (recognition, travel, period, "
                                          "level, extra guidance or places changed)")
        if self.keep_previous == "off":
            return "not_kept", "keep_previous is off: the match placed every student anew"
        if self.keep_previous == "never_move":
            return "fewer_places", f"fewer places are left at {vid} than students were placed there before"
        if change == "lost":
            return "room_for_others", "its place went to a student who has no other (more students placed)"
        return "room_for_others", f"moved from {vid} so that more students have a place"

    def explain_new(self, frame: pd.DataFrame) -> None:
        """Fill in the reasons of the ``new`` rows: the place came free (and why), or was not taken before."""
        new = np.flatnonzero(frame["change"].to_numpy() == "new")
        if not len(new):
            return
        left = frame[frame["change"].isin(["moved", "lost"])]
        freed = dict(zip(zip(left["previous_vacancy_id"], left["previous_period_id"]), left["reason"]))
        taken_before = set(zip(frame["previous_vacancy_id"], frame["previous_period_id"]))
        words = {"declined_by_student": "a decline", "declined_by_company": "a decline",
                 "withdrawn": "a withdrawal", "left_input": "a student leaving the input",
                 "confirmed": "a confirmation elsewhere"}
        reason, detail = frame["reason"].to_numpy(copy=True), frame["detail"].to_numpy(copy=True)
        vacancy, period = frame["vacancy_id"].to_numpy(), frame["period_id"].to_numpy()
        for i in new:
            place = (vacancy[i], period[i])
            if place in freed:
                reason[i] = "freed"
                detail[i] = f"freed by {words.get(freed[place], 'a move')} at {place[0]}"
            elif place not in taken_before:
                reason[i] = "open_place"
                detail[i] = f"a place at {place[0]} that no one had before"
            else:
                reason[i] = "more_room"
                detail[i] = f"one more student fits at {place[0]} than before"
        frame["reason"], frame["detail"] = reason, detail
