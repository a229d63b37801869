"""The report's tables, as display-ready frames (small counts already protected).

Each table is a :class:`ReportTable`: an id (for the HTML page), a sheet name
(for the workbook), a title, a note saying how it is counted, and a frame
whose cells are ints, floats, strings or None. Per-school and per-crebo
tables are protected by :mod:`matcher.report.privacy`; their frames hold the
strings ``"<5"`` and ``"x"`` where counts are hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matcher.catalogue import qualifications, sector_of
from matcher.geo import regions
from matcher.reasons import REASONS
from matcher.report.facts import MatchFacts
from matcher.report.privacy import is_small, shown_counts, shown_values, withheld_split

LEVEL_NAMES = {1: "Entree", 2: "basis", 3: "vak", 4: "middenkader/specialist"}

REASON_MEANINGS = {
    "no_recognised_vacancy": "no vacancy anywhere is recognised for the student's crebo and pathway",
    "out_of_reach": "recognised vacancies exist, none within the student's travel limit",
    "no_period": "reachable recognised vacancies offer none of the student's periods",
    "level_or_guidance": "reachable vacancies exclude the student's level, extra guidance "
                         "or accessibility need",
    "no_places_offered": "the vacancies that fit the student all offer 0 places",
    "capacity_taken": "every eligible place is taken by other students",
    "supervision_full": "a place is free, but its supervisor or company is full",
}

PLACES_NOTE = (
    "Places offered: places per period, summed over the periods a vacancy offers. Places left "
    "free: offered places no student took (a duo partner shares an occupied place, it does not "
    "use a free one). A free place may still be unusable because its supervisor or company is full."
)
SHORTAGE_COLUMNS = ["students seeking", "placed", "unplaced", "placement rate (%)",
                    "places offered", "places left free"]


@dataclass(frozen=True, eq=False)
class ReportTable:
    """One table of the report.

    Attributes
    ----------
    table_id
        HTML id, ``[a-z-]`` only.
    sheet
        Workbook sheet name (at most 31 characters).
    title
        Caption.
    note
        How the table is counted (shown under it, and on the workbook's About sheet).
    frame
        Display cells: int, float, str or None.
    protected
        Whether small counts are hidden in it.
    """

    table_id: str
    sheet: str
    title: str
    note: str
    frame: pd.DataFrame
    protected: bool = False


def _rate(numerator, denominator) -> np.ndarray:
    """Percentage with one decimal; NaN where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.round(np.where(denominator > 0, 100.0 * numerator / denominator, np.nan), 1)


def _student_counts(students: pd.DataFrame, key: str) -> pd.DataFrame:
    grouped = students.groupby(key, sort=True)["placed"].agg(seeking="size", placed="sum")
    return grouped.astype(np.int64)


def _place_counts(facts: MatchFacts, pairs: pd.DataFrame, key: str) -> pd.DataFrame:
    """Places offered and left free per key; ``pairs`` maps vacancies to keys (a vacancy may
    count under several keys)."""
    places = pairs.join(facts.vacancies[["places_offered", "places_free"]], on="vacancy")
    grouped = places.groupby(key, sort=True)[["places_offered", "places_free"]].sum()
    return grouped.astype(np.int64)


def _shortage_counts(facts: MatchFacts, key: str, pairs: pd.DataFrame,
                     student_key: str | None = None) -> pd.DataFrame:
    """Students seeking and placed (by the students' ``student_key``, default ``key``) beside
    places offered and left free (by the vacancies' ``key`` in ``pairs``), outer-joined and
    sorted by key."""
    students = _student_counts(facts.students, student_key or key).rename_axis(key)
    counts = students.join(_place_counts(facts, pairs, key), how="outer")
    counts = counts.fillna(0).astype(np.int64).sort_index()
    counts["unplaced"] = counts["seeking"] - counts["placed"]
    return counts


def _shortage_cells(counts: pd.DataFrame, protect: bool, margins=()) -> dict:
    """The six shortage columns as cells, protected or not."""
    seeking, placed, unplaced = (counts[c].to_numpy() for c in ("seeking", "placed", "unplaced"))
    offered, free = counts["places_offered"].to_numpy(), counts["places_free"].to_numpy()
    rate = _rate(placed, seeking)
    if not protect:
        return dict(zip(SHORTAGE_COLUMNS, (seeking, placed, unplaced, shown_values(rate, False),
                                           offered, free)))
    hide_total, hide_split = withheld_split(seeking, placed, unplaced, margins)
    hide_offered, hide_free = withheld_split(offered, offered - free, free)
    return dict(zip(SHORTAGE_COLUMNS, (
        shown_counts(seeking, hide_total),
        shown_counts(placed, hide_split),
        shown_counts(unplaced, hide_split),
        shown_values(rate, hide_split),
        shown_counts(offered, hide_offered),
        shown_counts(free, hide_free),
    )))


def _frame(columns: dict) -> pd.DataFrame:
    """A frame of object columns, so that ints, strings and None keep their types."""
    return pd.DataFrame({name: pd.Series(np.asarray(values, dtype=object), dtype=object)
                         for name, values in columns.items()})


def summary_table(facts: MatchFacts, summary: dict) -> ReportTable:
    """Headline numbers of the match."""
    students = facts.students
    proof = summary["proof"]
    rows = [
        ("instance", summary["instance"]),
        ("region of the match", summary.get("region") or "all (no --region)"),
        ("students seeking", len(students)),
        ("placed", int(students["placed"].sum())),
        ("unplaced", int((~students["placed"]).sum())),
        ("placement rate (%)", float(_rate(students["placed"].sum(), len(students)))),
        ("vacancies", len(facts.vacancies)),
        ("places offered (summed over periods)", int(facts.vacancies["places_offered"].sum())),
        ("places left free (summed over periods)", int(facts.vacancies["places_free"].sum())),
        ("periods", ", ".join(facts.period_ids)),
        ("proven optimal", "yes" if proof.get("proven_optimal") else "not certified (--no-certify)"),
        ("input hash", summary["input_hash"]),
    ]
    frame = _frame({"item": [r[0] for r in rows], "value": [r[1] for r in rows]})
    return ReportTable("summary", "Summary", "The match at a glance",
                       "Counts over all students of the result and all vacancies of the instance.", frame)


def shortage_by_sector(facts: MatchFacts) -> ReportTable:
    """Students and places per sector."""
    pairs = facts.vacancy_crebos.assign(sector=sector_of(facts.vacancy_crebos["crebo"]).to_numpy())
    pairs = pairs[["vacancy", "sector"]].drop_duplicates()
    counts = _shortage_counts(facts, "sector", pairs)
    frame = _frame({"sector": counts.index.to_numpy(), **_shortage_cells(counts, protect=False)})
    note = ("A student counts in the sector of their crebo; a vacancy counts once in each sector of "
            "the crebos it is recognised for. " + PLACES_NOTE)
    return ReportTable("shortage-sector", "By sector", "Shortages by sector", note, frame)


def shortage_by_region(facts: MatchFacts) -> ReportTable:
    """Students per approximate home region, places per vacancy region."""
    pairs = pd.DataFrame({"vacancy": facts.vacancies.index, "region": facts.vacancies["region"].to_numpy()})
    counts = _shortage_counts(facts, "region", pairs, student_key="home_region")
    names = regions()["amr_name"].reindex(counts.index).fillna("").to_numpy()
    frame = _frame({"region": counts.index.to_numpy(), "region name": names,
                    **_shortage_cells(counts, protect=False)})
    note = ("Students count in their approximate home region (the labour-market region of the "
            "centre of their home PC4, or of the PC4 centre nearest to their coordinates); vacancies "
            "in the vacancy's region (the company's region from companies.csv, else the approximate "
            "region of the workplace). " + PLACES_NOTE)
    return ReportTable("shortage-region", "By region", "Shortages by region", note, frame)


def shortage_by_level(facts: MatchFacts) -> ReportTable:
    """Students per level, places per level a vacancy accepts."""
    levels = np.arange(1, 5)
    vacancies = facts.vacancies
    accepts = ((vacancies["min_level"].to_numpy()[:, None] <= levels)
               & (levels <= vacancies["max_level"].to_numpy()[:, None]))
    vacancy, level = np.nonzero(accepts)
    pairs = pd.DataFrame({"vacancy": vacancies.index.to_numpy()[vacancy], "level": levels[level]})
    counts = _shortage_counts(facts, "level", pairs)
    frame = _frame({"level": counts.index.to_numpy(),
                    "level name": [LEVEL_NAMES.get(int(v), "") for v in counts.index],
                    **_shortage_cells(counts, protect=False)})
    note = "A vacancy counts at every level it accepts (min_level to max_level). " + PLACES_NOTE
    return ReportTable("shortage-level", "By level", "Shortages by level", note, frame)


def shortage_by_crebo(facts: MatchFacts) -> ReportTable:
    """Students and places per crebo, protected."""
    pairs = facts.vacancy_crebos[["vacancy", "crebo"]]
    counts = _shortage_counts(facts, "crebo", pairs)
    crebos = counts.index.to_numpy()
    catalogue = qualifications()
    names = catalogue["name"].reindex(crebos).fillna("").to_numpy()
    sectors = sector_of(crebos).to_numpy()
    # The sector and level tables show sums over crebos: protect against them as margins.
    levels = catalogue["level"].reindex(crebos).fillna(0).astype(int).to_numpy()
    frame = _frame({"crebo": crebos, "qualification": names, "sector": sectors,
                    **_shortage_cells(counts, protect=True, margins=(sectors, levels))})
    note = ("Students count under their own crebo; a vacancy under each crebo it is recognised for "
            "(not under equivalent crebos whose students it may also take). " + PLACES_NOTE)
    return ReportTable("shortage-crebo", "By crebo", "Shortages by crebo", note, frame, protected=True)


def places_by_period(facts: MatchFacts) -> ReportTable:
    """Places offered, students placed and places left free per period."""
    vp = facts.vacancy_periods
    grouped = vp.groupby("period", sort=False)[["places", "students", "places_free"]].sum()
    grouped = grouped.reindex(list(facts.period_ids), fill_value=0).astype(np.int64)
    frame = _frame({"period": grouped.index.to_numpy(), "places offered": grouped["places"].to_numpy(),
                    "students placed": grouped["students"].to_numpy(),
                    "places left free": grouped["places_free"].to_numpy()})
    note = ("Per period, in the order of the school year. Students placed can exceed the places "
            "taken where duo partners share a place. " + PLACES_NOTE)
    return ReportTable("places-period", "By period", "Places by period", note, frame)


def unplaced_by_reason(facts: MatchFacts) -> ReportTable:
    """Unplaced students per reason code, in the order the reasons are tested."""
    unplaced = facts.students.loc[~facts.students["placed"], "reason"]
    counts = unplaced.value_counts().reindex(list(REASONS), fill_value=0).astype(np.int64)
    frame = _frame({"reason": list(REASONS), "meaning": [REASON_MEANINGS[r] for r in REASONS],
                    "students": counts.to_numpy(),
                    "share of unplaced (%)": shown_values(_rate(counts.to_numpy(), len(unplaced)), False)})
    note = "Each unplaced student has the first reason that applies, in this order (SPEC)."
    return ReportTable("unplaced-reason", "Unplaced by reason", "Unplaced students by reason", note, frame)


def _equity_counts(students: pd.DataFrame, key: str) -> pd.DataFrame:
    grouped = students.groupby(key, sort=True).agg(
        seeking=("placed", "size"), placed=("placed", "sum"), travel=("travel_min", "mean"))
    grouped["unplaced"] = grouped["seeking"] - grouped["placed"]
    return grouped


def equity_by_level(facts: MatchFacts) -> ReportTable:
    """Placement rate and mean travel time per level."""
    counts = _equity_counts(facts.students, "level")
    frame = _frame({
        "level": counts.index.to_numpy(),
        "level name": [LEVEL_NAMES.get(int(v), "") for v in counts.index],
        "students": counts["seeking"].to_numpy(),
        "placed": counts["placed"].to_numpy(),
        "placement rate (%)": shown_values(_rate(counts["placed"], counts["seeking"]), False),
        "mean travel of placed (min)": shown_values(np.round(counts["travel"].to_numpy(), 1), False),
    })
    note = "Mean one-way travel time of the placed students, in minutes."
    return ReportTable("equity-level", "Equity by level", "Equity by level", note, frame)


def equity_by_school(facts: MatchFacts) -> ReportTable:
    """Placement rate and mean travel time per school, protected."""
    counts = _equity_counts(facts.students, "school")
    seeking, placed, unplaced = (counts[c].to_numpy() for c in ("seeking", "placed", "unplaced"))
    hide_total, hide_split = withheld_split(seeking, placed, unplaced)
    few_placed = is_small(placed)
    frame = _frame({
        "school": counts.index.to_numpy(),
        "students": shown_counts(seeking, hide_total),
        "placed": shown_counts(placed, hide_split),
        "unplaced": shown_counts(unplaced, hide_split),
        "placement rate (%)": shown_values(_rate(placed, seeking), hide_split),
        "mean travel of placed (min)": shown_values(np.round(counts["travel"].to_numpy(), 1), few_placed),
    })
    note = "Mean one-way travel time of the school's placed students, in minutes."
    return ReportTable("equity-school", "Equity by school", "Equity by school", note, frame, protected=True)


def price_of_priority(summary: dict) -> ReportTable:
    """The price of priority as summary.json records it; unweighted fields only when computed."""
    price = summary["price_of_priority"]
    not_run = "not computed: match with --compare-unweighted"

    def value(key):
        return not_run if price.get(key) is None else price[key]

    rows = [
        ("students placed (with priority weights)", value("placed_with_priority"),
         "the match as run"),
        ("most students that can be placed together", value("placed_without_priority"),
         "what an unweighted run places (a max flow, certified by a cut)"),
        ("more students an unweighted run places", value("extra_students_without_priority"),
         "0 by the matroid property: priority never costs placements"),
        ("priority-tier students placed, with priority", value("priority_tier_placed_with_priority"),
         "Entree, level 2 and extra-guidance students"),
        ("priority-tier students placed, without priority", value("priority_tier_placed_without_priority"),
         "in one unweighted optimum (others may tie)"),
        ("secondary cost with priority", value("secondary_cost_with_priority"),
         "travel, wish, period and duo costs"),
        ("secondary cost without priority", value("secondary_cost_without_priority"),
         "the unweighted optimum's cost"),
    ]
    frame = _frame({"measure": [r[0] for r in rows], "value": [r[1] for r in rows],
                    "meaning": [r[2] for r in rows]})
    note = ("How much placing the priority tier first costs. The number placed never drops; what "
            "changes is who is placed and the travel it takes.")
    return ReportTable("price-priority", "Price of priority", "The price of priority", note, frame)


def report_tables(facts: MatchFacts, summary: dict) -> list[ReportTable]:
    """Every table of the report, in page order.

    Parameters
    ----------
    facts
        The joined match (:func:`matcher.report.facts.collect_facts`).
    summary
        The result's ``summary.json``.

    Returns
    -------
    list of ReportTable
        Summary, shortages (sector, region, level, crebo, period), unplaced by
        reason, equity (level, school) and the price of priority.
    """
    return [
        summary_table(facts, summary),
        shortage_by_sector(facts),
        shortage_by_region(facts),
        shortage_by_level(facts),
        shortage_by_crebo(facts),
        places_by_period(facts),
        unplaced_by_reason(facts),
        equity_by_level(facts),
        equity_by_school(facts),
        price_of_priority(summary),
    ]
