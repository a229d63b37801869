"""A placement on a vacancy not recognised for the student's crebo is reported."""

from __future__ import annotations

from models.instance import Equivalence
from tests.support.checker_fixtures import Result, check, valid_instance


def test_vacancy_for_another_crebo(tmp_path):
    result = Result()
    result.move("st01", "X_crebo", "CX", travel=20)  # X_crebo: crebo 23200 only
    report = check(tmp_path, result)
    assert report.kinds() == {"crebo"}
    assert [v.subject for v in report.violations] == ["st01"]


def test_equivalence_is_needed_and_one_way(tmp_path):
    # st05 (crebo 23099) sits on VC (25655) thanks to 23099 -> 25655. Without
    # it, with only the reverse row, or with an equivalence to a crebo VC does
    # not have, the placement is not recognised.
    for equivalences in ((), (Equivalence(crebo="25655", equivalent_crebo="23099"),),
                         (Equivalence(crebo="23099", equivalent_crebo="23200"),)):
        instance = valid_instance().model_copy(update={"equivalences": equivalences})
        report = check(tmp_path, Result(), instance)
        assert report.kinds() == {"crebo"}
        assert [v.subject for v in report.violations] == ["st05"]
