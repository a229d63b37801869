"""No student id appears anywhere in report.html or report.xlsx."""

import csv
import re

from tests.support.report_fixtures import workbook_xml_text

DATA_URI = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")


def _student_ids(report):
    with open(report.instance_dir / "students.csv", newline="", encoding="utf-8") as fh:
        return [row["student_id"] for row in csv.DictReader(fh)]


def _assert_no_ids(report):
    ids = _student_ids(report)
    assert ids
    # The embedded PNGs are pixels; their base64 text could contain any short string by chance.
    page = DATA_URI.sub("", report.html)
    workbook = workbook_xml_text(report.workbook_path)
    assert len(page) > 1000 and len(workbook) > 1000
    for student_id in ids:
        assert student_id not in page, student_id
        assert student_id not in workbook, student_id


def test_no_student_id_in_the_am13_report(am13_report):
    _assert_no_ids(am13_report)


def test_no_student_id_in_the_small_school_report(small_school_report):
    _assert_no_ids(small_school_report)
