"""Duo labels that break docs/model.md's rule (by student_id, the last 2(n - places))."""

from __future__ import annotations

import pytest

from tests.support.checker_fixtures import Result, check


@pytest.mark.parametrize("labels", [
    {"st05": "false"},                   # one duo student instead of 2
    {"st04": "true"},                    # three instead of 2
    {"st04": "true", "st05": "false"},   # two, but not the last two by id
    {"st05": "yes"},                     # not a boolean as written by the engine
])
def test_wrong_duo_labels_at_vc(tmp_path, labels):
    # VC: 2 places, st04, st05, st12 -> expected duo false, true, true.
    result = Result()
    for sid, value in labels.items():
        result.placement(sid)["duo"] = value
    report = check(tmp_path, result)
    assert "duo_label" in report.kinds()
    assert report.kinds() <= {"duo_label", "bad_format"}
    assert [v.subject for v in report.violations if v.kind == "duo_label"] == ["VC@P1"]


def test_duo_label_on_a_vacancy_within_its_places(tmp_path):
    result = Result()
    result.placement("st08")["duo"] = "true"  # alone on VG's one place
    report = check(tmp_path, result)
    assert [(v.kind, v.subject) for v in report.violations] == [("duo_label", "VG@P1")]
