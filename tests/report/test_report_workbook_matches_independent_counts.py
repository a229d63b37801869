"""`stagematch report` on a matched AM13 instance: the workbook opens with openpyxl, has
every sheet, and its numbers equal counts made here from the instance and result CSVs."""

import csv

import numpy as np
import openpyxl
import pandas as pd

from matcher.geo.catalogue import qualifications
from tests.support.report_fixtures import workbook_table

SHEETS = ["About", "Summary", "By sector", "By region", "By level", "By crebo", "By period",
          "Unplaced by reason", "Equity by level", "Equity by school", "Price of priority"]


def _csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return pd.DataFrame(list(csv.DictReader(fh)))


def _expected(am13_report):
    """Students with sector, placed flag and travel; vacancies with places per period."""
    students = _csv(am13_report.instance_dir / "students.csv")
    placements = _csv(am13_report.result_dir / "placements.csv")
    unplaced = _csv(am13_report.result_dir / "unplaced.csv")
    students["sector"] = students["crebo"].map(qualifications()["sector"]).fillna("unknown")
    travel = placements.set_index("student_id")["travel_min"].astype(int)
    students["placed"] = students["student_id"].isin(placements["student_id"])
    students["travel"] = students["student_id"].map(travel)
    return students, placements, unplaced


def test_workbook_has_every_sheet_and_fixed_properties(am13_report):
    workbook = openpyxl.load_workbook(am13_report.workbook_path)
    assert workbook.sheetnames == SHEETS
    assert workbook.properties.created.year == 2000 and workbook.properties.modified.year == 2000


def test_sector_counts_equal_counts_from_the_csvs(am13_report):
    students, _, _ = _expected(am13_report)
    table = workbook_table(am13_report.workbook_path, "By sector").set_index("sector")
    expected = students.groupby("sector")["placed"].agg(["size", "sum"])
    for sector, row in expected.iterrows():
        assert table.at[sector, "students seeking"] == row["size"]
        assert table.at[sector, "placed"] == row["sum"]
        assert table.at[sector, "unplaced"] == row["size"] - row["sum"]
        assert table.at[sector, "placement rate (%)"] == round(100 * row["sum"] / row["size"], 1)
    assert table["students seeking"].sum() == len(students) == 1500


def test_unplaced_by_reason_equals_unplaced_csv(am13_report):
    _, _, unplaced = _expected(am13_report)
    table = workbook_table(am13_report.workbook_path, "Unplaced by reason").set_index("reason")
    counts = unplaced["reason"].value_counts()
    assert table["students"].sum() == len(unplaced) > 0
    for reason, n in table["students"].items():
        assert n == counts.get(reason, 0)


def test_places_by_period_equal_vacancies_and_placements(am13_report):
    vacancies = _csv(am13_report.instance_dir / "vacancies.csv")
    _, placements, _ = _expected(am13_report)
    periods = [r["period_id"] for r in csv.DictReader(open(am13_report.instance_dir / "periods.csv"))]
    table = workbook_table(am13_report.workbook_path, "By period").set_index("period")
    taken = placements.groupby(["vacancy_id", "period_id"]).size()
    for period in periods:
        offers = vacancies[vacancies["periods"].apply(lambda p: p == "" or period in p.split("|"))]
        places = offers.set_index("vacancy_id")["places"].astype(int)
        students = taken.xs(period, level="period_id").reindex(places.index, fill_value=0)
        assert table.at[period, "places offered"] == places.sum()
        assert table.at[period, "students placed"] == students.sum()
        # Duo partners share a place: a vacancy-period never has negative free places.
        assert table.at[period, "places left free"] == np.maximum(places - students, 0).sum()


def test_equity_by_level_equals_counts_from_the_csvs(am13_report):
    students, _, _ = _expected(am13_report)
    table = workbook_table(am13_report.workbook_path, "Equity by level").set_index("level")
    for level, group in students.groupby(students["level"].astype(int)):
        assert table.at[level, "students"] == len(group)
        assert table.at[level, "placed"] == group["placed"].sum()
        assert table.at[level, "mean travel of placed (min)"] == round(group["travel"].mean(), 1)


def test_school_rows_are_exact_where_shown(am13_report):
    students, _, _ = _expected(am13_report)
    table = workbook_table(am13_report.workbook_path, "Equity by school").set_index("school")
    expected = students.groupby("school_id")["placed"].agg(["size", "sum"])
    assert sorted(table.index) == sorted(expected.index)
    for school, row in expected.iterrows():
        assert table.at[school, "students"] in (row["size"], "<5", "x")
        assert table.at[school, "placed"] in (row["sum"], "<5", "x")
    assert (table["students"] != "x").any()


def test_crebo_rows_are_exact_where_shown_and_small_ones_hidden(am13_report):
    students, _, _ = _expected(am13_report)
    table = workbook_table(am13_report.workbook_path, "By crebo").set_index("crebo")
    expected = students.groupby("crebo")["placed"].agg(["size", "sum"])
    for crebo, row in expected.iterrows():
        seeking, placed = table.at[crebo, "students seeking"], table.at[crebo, "placed"]
        # "x": withheld so that a small count elsewhere cannot be worked out.
        assert seeking == "<5" if 0 < row["size"] < 5 else seeking in (row["size"], "x")
        assert placed == "<5" if 0 < row["sum"] < 5 else placed in (row["sum"], "x")
    assert (table["placed"] == "<5").any()
    assert table["students seeking"].map(lambda v: isinstance(v, int)).sum() > len(table) / 2


def test_region_table_counts_students_by_home_region(am13_report):
    table = workbook_table(am13_report.workbook_path, "By region").set_index("region")
    # The generator puts every home and workplace of a region run inside the region.
    assert list(table.index) == ["AM13"]
    assert table.at["AM13", "students seeking"] == 1500
    vacancies = _csv(am13_report.instance_dir / "vacancies.csv")
    periods = len(list(csv.DictReader(open(am13_report.instance_dir / "periods.csv"))))
    offered = sum(int(v["places"]) * (len(v["periods"].split("|")) if v["periods"] else periods)
                  for _, v in vacancies.iterrows())
    assert table.at["AM13", "places offered"] == offered


def test_price_of_priority_says_not_computed_without_compare_unweighted(am13_report):
    table = workbook_table(am13_report.workbook_path, "Price of priority").set_index("measure")
    assert table.at["more students a match without priority places", "value"] == 0
    assert str(table.at["secondary cost without priority", "value"]).startswith("not computed")
