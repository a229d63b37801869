"""An unplaced reason outside the vocabulary (SPEC's codes and no_places_offered, docs/model.md) is reported."""

from __future__ import annotations

import pytest

from tests.support.checker_fixtures import Result, check


@pytest.mark.parametrize("reason", ["no_room", "", "Capacity_taken"])
def test_reason_not_in_vocabulary(tmp_path, reason):
    result = Result()
    result.unplaced[0]["reason"] = reason
    report = check(tmp_path, result)
    assert report.kinds() == {"bad_reason"}
    assert [v.subject for v in report.violations] == ["st09"]


@pytest.mark.parametrize("reason", [
    "no_recognised_vacancy", "out_of_reach", "no_period",
    "level_or_guidance", "no_places_offered", "capacity_taken", "supervision_full",
])
def test_every_reason_of_the_vocabulary_is_accepted(tmp_path, reason):
    result = Result()
    result.unplaced[0]["reason"] = reason
    assert check(tmp_path, result).ok
