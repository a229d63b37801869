"""Per-school and per-crebo cells with a true count of 1–4 show "<5", in the workbook and on
the page; cells from which such a count could be worked out are withheld ("x")."""

import pandas as pd
import pytest

from tests.support.report_fixtures import SMALL_SCHOOL, html_table, small_school_instance, workbook_table


def _true_counts(report):
    """Per-school and per-crebo counts made here from the instance and the result CSVs."""
    students = pd.DataFrame([{"student_id": s.student_id, "school": s.school_id, "crebo": s.crebo}
                             for s in small_school_instance().students])
    placed_ids = set(pd.read_csv(report.result_dir / "placements.csv", dtype=str)["student_id"])
    students["placed"] = students["student_id"].isin(placed_ids)

    def by(key):
        counts = students.groupby(key)["placed"].agg(seeking="size", placed="sum")
        counts["unplaced"] = counts["seeking"] - counts["placed"]
        return counts

    return by("school"), by("crebo")


# (sheet, html id, key column, {report column: true-count column})
PROTECTED = [
    ("Equity by school", "equity-school", "school",
     {"students": "seeking", "placed": "placed", "unplaced": "unplaced"}),
    ("By crebo", "shortage-crebo", "crebo",
     {"students seeking": "seeking", "placed": "placed", "unplaced": "unplaced"}),
]


def _as_number(cell):
    return int(cell.replace(",", "")) if isinstance(cell, str) and cell.replace(",", "").isdigit() else cell


@pytest.mark.parametrize("source", ["workbook", "html"])
def test_every_count_of_1_to_4_shows_less_than_5(small_school_report, source):
    by_school, by_crebo = _true_counts(small_school_report)
    truth = {"school": by_school, "crebo": by_crebo}
    small_cells = 0
    for sheet, table_id, key, columns in PROTECTED:
        if source == "workbook":
            table = workbook_table(small_school_report.workbook_path, sheet)
        else:
            table = html_table(small_school_report.html, table_id)
        table = table.set_index(key)
        for group, counts in truth[key].iterrows():
            for shown, true in columns.items():
                cell, n = _as_number(table.at[group, shown]), int(counts[true])
                if 1 <= n <= 4:
                    assert cell == "<5", (sheet, group, shown, n, cell)
                    small_cells += 1
                else:
                    assert cell in (n, "x"), (sheet, group, shown, n, cell)
    # The instance was built to have small cells: the test must have checked some.
    assert small_cells >= 4


def test_the_small_school_hides_its_rate_and_travel(small_school_report):
    table = workbook_table(small_school_report.workbook_path, "Equity by school").set_index("school")
    assert table.at[SMALL_SCHOOL, "students"] == "<5"
    assert table.at[SMALL_SCHOOL, "placement rate (%)"] == "x"
    assert table.at[SMALL_SCHOOL, "mean travel of placed (min)"] in ("x", None)


def test_the_other_school_is_withheld_so_the_total_does_not_give_the_small_one_away(small_school_report):
    # Two schools: the total (shown in the summary) minus the big school would be the small one.
    table = workbook_table(small_school_report.workbook_path, "Equity by school").set_index("school")
    for column in ("students", "placed", "unplaced", "placement rate (%)"):
        hidden = table[column].isin(["<5", "x"])
        assert hidden.sum() != 1, column
    assert table.at["school-big", "students"] == "x"


def test_no_protected_column_has_a_single_hidden_cell(small_school_report):
    for sheet, _, key, columns in PROTECTED:
        table = workbook_table(small_school_report.workbook_path, sheet)
        for column in columns:
            assert table[column].isin(["<5", "x"]).sum() != 1, (sheet, column)


def test_places_are_not_personal_and_show_in_full(small_school_report):
    table = workbook_table(small_school_report.workbook_path, "By crebo").set_index("crebo")
    assert table.at["25047", "places offered"] == 3       # vac-047: 3 places, not "<5"
    assert table.at["25029", "places offered"] == 2       # vac-far: 2 places
    assert table.at["25655", "places offered"] == 6
    assert not table["places offered"].isin(["<5", "x"]).any()
    # Places left free beside places offered would tell the places taken, close to the students
    # placed: they are withheld exactly where the placed students are, never shown as "<5".
    assert (table["places left free"] == "x").tolist() == table["placed"].isin(["<5", "x"]).tolist()
    assert not (table["places left free"] == "<5").any()
