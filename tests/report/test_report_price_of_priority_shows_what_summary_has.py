"""The price of priority in the report is summary.json's: the unweighted fields are shown
when the match ran with --compare-unweighted and marked not computed otherwise."""

import json

import pytest

from tests.support.paths import TINY
from tests.support.report_fixtures import html_table, match_and_report, workbook_table


@pytest.mark.parametrize("compare", [True, False])
def test_price_of_priority_rows_follow_the_summary(tmp_path, compare):
    report = match_and_report(TINY, tmp_path, *(["--compare-unweighted"] if compare else []))
    price = json.loads((report.result_dir / "summary.json").read_text())["price_of_priority"]
    table = workbook_table(report.workbook_path, "Price of priority").set_index("measure")
    page = html_table(report.html, "price-priority").set_index("measure")
    rows = {
        "students placed (with priority)": "placed_with_priority",
        "more students a match without priority places": "extra_students_without_priority",
        "priority-tier students placed, with priority": "priority_tier_placed_with_priority",
        "priority-tier students placed, without priority": "priority_tier_placed_without_priority",
        "secondary cost with priority": "secondary_cost_with_priority",
        "secondary cost without priority": "secondary_cost_without_priority",
    }
    for measure, key in rows.items():
        if price[key] is None:
            assert not compare and key.endswith("without_priority")
            assert table.at[measure, "value"].startswith("not computed")
            assert page.at[measure, "value"].startswith("not computed")
        else:
            assert table.at[measure, "value"] == price[key]
            assert page.at[measure, "value"] == f"{price[key]:,}"
    assert (price["secondary_cost_without_priority"] is not None) == compare
