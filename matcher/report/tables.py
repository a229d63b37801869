"""The report's tables, as display-ready frames (small counts already protected).

Each table is a :class:`ReportTable`: an id (for the HTML page), a sheet name
(for the workbook), a title, a note saying how it is counted, and a frame
whose cells are ints, floats, strings or None. Per-school and per-crebo
tables are protected by :mod:`matcher.report.privacy`; their frames hold the
strings ``"<5"`` and ``"x"`` where counts of students are hidden. Counts of
places are company data and are shown, except where they would give a hidden
count of students away (places left free beside places offered tell how many
were taken). Words, column names included, come from
:mod:`matcher.report.texts` in the report's language.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matcher.engine.reasons import reported_reasons
from matcher.geo.catalogue import qualifications, sector_of
from matcher.geo.tables import regions
from matcher.report.facts import MatchFacts
from matcher.report.privacy import WITHHELD, is_small, shown_counts, shown_values, withheld_split
from matcher.report.texts import Words

# The shortage columns, by their keys in matcher.report.texts.
SHORTAGE_COLUMNS = ("col.seeking", "col.placed", "col.unplaced", "col.rate", "col.offered", "col.free")


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


def _shortage_cells(counts: pd.DataFrame, words: Words, protect: bool, margins=(),
                    place_columns=("col.offered", "col.free")) -> dict:
    """The six shortage columns as cells, named in ``words``, students protected or not.

    Places offered are shown as they are. Places left free are withheld where
    the students' split is: offered minus free is the places taken, close to
    the students placed, and withholding exactly those rows keeps the margin
    rules the split already meets.
    """
    seeking, placed, unplaced = (counts[c].to_numpy() for c in ("seeking", "placed", "unplaced"))
    offered, free = counts["places_offered"].to_numpy(), counts["places_free"].to_numpy()
    rate = _rate(placed, seeking)
    names = [words(key) for key in SHORTAGE_COLUMNS[:4] + tuple(place_columns)]
    if not protect:
        return dict(zip(names, (seeking, placed, unplaced, shown_values(rate, False), offered, free)))
    hide_total, hide_split = withheld_split(seeking, placed, unplaced, margins)
    free_cells = free.astype(object)
    free_cells[hide_split] = WITHHELD
    return dict(zip(names, (
        shown_counts(seeking, hide_total),
        shown_counts(placed, hide_split),
        shown_counts(unplaced, hide_split),
        shown_values(rate, hide_split),
        offered.astype(object),
        free_cells,
    )))


def _frame(columns: dict) -> pd.DataFrame:
    """A frame of object columns, so that ints, strings and None keep their types."""
    return pd.DataFrame({name: pd.Series(np.asarray(values, dtype=object), dtype=object)
                         for name, values in columns.items()})


def summary_table(facts: MatchFacts, summary: dict, words: Words) -> ReportTable:
    """Headline numbers of the match."""
    students = facts.students
    proof = summary["proof"]
    rows = [
        ("summary.instance", summary["instance"]),
        ("summary.region", summary.get("region") or words("summary.region_all")),
        ("summary.seeking", len(students)),
        *((("summary.withdrawn", facts.withdrawn),) if "withdrawn" in summary["counts"] else ()),
        ("summary.placed", int(students["placed"].sum())),
        ("summary.unplaced", int((~students["placed"]).sum())),
        ("summary.rate", float(_rate(students["placed"].sum(), len(students)))),
        ("summary.vacancies", len(facts.vacancies)),
        ("summary.offered", int(facts.vacancies["places_offered"].sum())),
        ("summary.free", int(facts.vacancies["places_free"].sum())),
        ("summary.periods", ", ".join(facts.period_ids)),
        ("summary.proven", words("summary.proven_yes" if proof.get("proven_optimal") else "summary.proven_no")),
        ("summary.hash", summary["input_hash"]),
    ]
    frame = _frame({words("col.item"): [words(r[0]) for r in rows], words("col.value"): [r[1] for r in rows]})
    return ReportTable("summary", words("summary.sheet"), words("summary.title"), words("summary.note"), frame)


def _shortage_table(table_id: str, prefix: str, words: Words, frame: pd.DataFrame,
                    protected: bool = False) -> ReportTable:
    """A shortage table: sheet, title and note (with the places note) from ``prefix``."""
    note = f"{words(prefix + '.note')} {words('places.note')}"
    return ReportTable(table_id, words(prefix + ".sheet"), words(prefix + ".title"), note, frame, protected)


def shortage_by_sector(facts: MatchFacts, words: Words) -> ReportTable:
    """Students and places per sector."""
    pairs = facts.vacancy_crebos.assign(sector=sector_of(facts.vacancy_crebos["crebo"]).to_numpy())
    pairs = pairs[["vacancy", "sector"]].drop_duplicates()
    counts = _shortage_counts(facts, "sector", pairs)
    frame = _frame({words("col.sector"): counts.index.to_numpy(),
                    **_shortage_cells(counts, words, protect=False)})
    return _shortage_table("shortage-sector", "sector", words, frame)


def shortage_by_region(facts: MatchFacts, words: Words) -> ReportTable:
    """Students per approximate home region, places per vacancy region."""
    pairs = pd.DataFrame({"vacancy": facts.vacancies.index, "region": facts.vacancies["region"].to_numpy()})
    counts = _shortage_counts(facts, "region", pairs, student_key="home_region")
    names = regions()["amr_name"].reindex(counts.index).fillna("").to_numpy()
    frame = _frame({words("col.region"): counts.index.to_numpy(), words("col.region_name"): names,
                    **_shortage_cells(counts, words, protect=False)})
    return _shortage_table("shortage-region", "region", words, frame)


def shortage_by_level(facts: MatchFacts, words: Words) -> ReportTable:
    """Students per level; places per level whose students could use them
    (:attr:`MatchFacts.vacancy_levels`), not every level a vacancy accepts."""
    counts = _shortage_counts(facts, "level", facts.vacancy_levels)
    frame = _frame({words("col.level"): counts.index.to_numpy(),
                    words("col.level_name"): [words.level_name(v) for v in counts.index],
                    **_shortage_cells(counts, words, protect=False,
                                      place_columns=("col.offered_level", "col.free_level"))})
    return _shortage_table("shortage-level", "level", words, frame)


def shortage_by_crebo(facts: MatchFacts, words: Words) -> ReportTable:
    """Students and places per crebo, students protected."""
    pairs = facts.vacancy_crebos[["vacancy", "crebo"]]
    counts = _shortage_counts(facts, "crebo", pairs)
    crebos = counts.index.to_numpy()
    catalogue = qualifications()
    names = catalogue["name"].reindex(crebos).fillna("").to_numpy()
    sectors = sector_of(crebos).to_numpy()
    # The sector and level tables show sums over crebos: protect against them as margins.
    levels = catalogue["level"].reindex(crebos).fillna(0).astype(int).to_numpy()
    frame = _frame({words("col.crebo"): crebos, words("col.qualification"): names, words("col.sector"): sectors,
                    **_shortage_cells(counts, words, protect=True, margins=(sectors, levels))})
    return _shortage_table("shortage-crebo", "crebo", words, frame, protected=True)


def places_by_period(facts: MatchFacts, words: Words) -> ReportTable:
    """Places offered, students placed and places left free per period."""
    vp = facts.vacancy_periods
    grouped = vp.groupby("period", sort=False)[["places", "students", "places_free"]].sum()
    grouped = grouped.reindex(list(facts.period_ids), fill_value=0).astype(np.int64)
    frame = _frame({words("col.period"): grouped.index.to_numpy(),
                    words("col.offered"): grouped["places"].to_numpy(),
                    words("col.students_placed"): grouped["students"].to_numpy(),
                    words("col.free"): grouped["places_free"].to_numpy()})
    return _shortage_table("places-period", "period", words, frame)


def unplaced_by_reason(facts: MatchFacts, words: Words) -> ReportTable:
    """Unplaced students per reason code, in the order the reasons are tested."""
    unplaced = facts.students.loc[~facts.students["placed"], "reason"]
    shown = reported_reasons(unplaced)
    counts = unplaced.value_counts().reindex(list(shown), fill_value=0).astype(np.int64)
    frame = _frame({words("col.reason"): list(shown),
                    words("col.meaning"): [words(f"reason.{r}") for r in shown],
                    words("col.students"): counts.to_numpy(),
                    words("col.share_unplaced"): shown_values(_rate(counts.to_numpy(), len(unplaced)), False)})
    return ReportTable("unplaced-reason", words("reasons.sheet"), words("reasons.title"), words("reasons.note"),
                       frame)


def _equity_counts(students: pd.DataFrame, key: str) -> pd.DataFrame:
    grouped = students.groupby(key, sort=True).agg(
        seeking=("placed", "size"), placed=("placed", "sum"), travel=("travel_min", "mean"))
    grouped["unplaced"] = grouped["seeking"] - grouped["placed"]
    return grouped


def equity_by_level(facts: MatchFacts, words: Words) -> ReportTable:
    """Placement rate and mean travel time per level."""
    counts = _equity_counts(facts.students, "level")
    frame = _frame({
        words("col.level"): counts.index.to_numpy(),
        words("col.level_name"): [words.level_name(v) for v in counts.index],
        words("col.students"): counts["seeking"].to_numpy(),
        words("col.placed"): counts["placed"].to_numpy(),
        words("col.rate"): shown_values(_rate(counts["placed"], counts["seeking"]), False),
        words("col.travel"): shown_values(np.round(counts["travel"].to_numpy(), 1), False),
    })
    return ReportTable("equity-level", words("equity_level.sheet"), words("equity_level.title"),
                       words("equity_level.note"), frame)


def equity_by_school(facts: MatchFacts, words: Words) -> ReportTable:
    """Placement rate and mean travel time per school, protected."""
    counts = _equity_counts(facts.students, "school")
    seeking, placed, unplaced = (counts[c].to_numpy() for c in ("seeking", "placed", "unplaced"))
    hide_total, hide_split = withheld_split(seeking, placed, unplaced)
    few_placed = is_small(placed)
    frame = _frame({
        words("col.school"): counts.index.to_numpy(),
        words("col.students"): shown_counts(seeking, hide_total),
        words("col.placed"): shown_counts(placed, hide_split),
        words("col.unplaced"): shown_counts(unplaced, hide_split),
        words("col.rate"): shown_values(_rate(placed, seeking), hide_split),
        words("col.travel"): shown_values(np.round(counts["travel"].to_numpy(), 1), few_placed),
    })
    return ReportTable("equity-school", words("equity_school.sheet"), words("equity_school.title"),
                       words("equity_school.note"), frame, protected=True)


def price_of_priority(summary: dict, words: Words) -> ReportTable:
    """The price of priority as summary.json records it; unweighted fields only when computed."""
    price = summary["price_of_priority"]

    def value(key):
        return words("priority.not_run") if price.get(key) is None else price[key]

    rows = [
        ("placed", "placed_with_priority"),
        ("most", "placed_without_priority"),
        ("extra", "extra_students_without_priority"),
        ("tier_with", "priority_tier_placed_with_priority"),
        ("tier_without", "priority_tier_placed_without_priority"),
        ("cost_with", "secondary_cost_with_priority"),
        ("cost_without", "secondary_cost_without_priority"),
    ]
    frame = _frame({words("col.measure"): [words(f"priority.{r}") for r, _ in rows],
                    words("col.value"): [value(key) for _, key in rows],
                    words("col.meaning"): [words(f"priority.{r}_meaning") for r, _ in rows]})
    return ReportTable("price-priority", words("priority.sheet"), words("priority.title"),
                       words("priority.note"), frame)


def report_tables(facts: MatchFacts, summary: dict, words: Words | None = None) -> list[ReportTable]:
    """Every table of the report, in page order.

    Parameters
    ----------
    facts
        The joined match (:func:`matcher.report.facts.collect_facts`).
    summary
        The result's ``summary.json``.
    words
        The report's language (default Dutch).

    Returns
    -------
    list of ReportTable
        Summary, shortages (sector, region, level, crebo, period), unplaced by
        reason, equity (level, school) and the price of priority.
    """
    words = words or Words()
    return [
        summary_table(facts, summary, words),
        shortage_by_sector(facts, words),
        shortage_by_region(facts, words),
        shortage_by_level(facts, words),
        shortage_by_crebo(facts, words),
        places_by_period(facts, words),
        unplaced_by_reason(facts, words),
        equity_by_level(facts, words),
        equity_by_school(facts, words),
        price_of_priority(summary, words),
    ]
