"""A recruit remedy for k places says what an adviser can act on: k − 1 other students nearby
(of the student's class: everyone, or the priority tier) could use such a place too, so a
company of k places places all k, this one surely; not only "offering k places". Checked by
re-solving with the company recruited."""

import re

from matcher import solve
from matcher.engine.solve import solve_in_detail
from matcher.explain.remedy import find_remedies
from matcher.generator.synth import generate_instance
from tests.support.builders import instance, student, vacancy
from tests.support.remedies import remedied

MORE = re.compile(r"(\d+) other (priority-tier )?students.* places all (\d+), this one surely")


def _placed(result, priority: bool) -> int:
    return result.summary["counts"]["by_tier"]["priority" if priority else "regular"]["placed"] + (
        0 if priority else result.summary["counts"]["by_tier"]["priority"]["placed"])


def test_four_students_without_any_place_need_a_company_of_four():
    # Four regular students of one crebo near each other; the only vacancy is for another crebo.
    inst = instance([student(f"s{i}") for i in range(4)], [vacancy("v1", crebos=("25029",))])
    found = find_remedies(solve_in_detail(inst, certificate=False))
    assert set(found["remedy"]) == {"recruit"} and set(found["change_value"]) == {"4"}
    detail = found["remedy_detail"].iloc[0]
    assert "with 4 places" in detail and "places all 4, this one surely" in detail
    assert "3 other students nearby" in detail
    assert solve(remedied(inst, "s0", "recruit", found["change_target"].iloc[0], "4")).n_placed == 4


def test_one_place_says_the_student_surely_gets_it():
    inst = instance([student("s0")], [])
    detail = find_remedies(solve_in_detail(inst, certificate=False))["remedy_detail"].iloc[0]
    assert detail.endswith("with one place in period year: this student surely gets it")


def test_the_number_said_is_exactly_what_a_re_solve_gains():
    inst = generate_instance(region="AM13", students=700, seed=5)
    solved = solve_in_detail(inst, certificate=False)
    found = find_remedies(solved)
    recruits = found[(found["remedy"] == "recruit") & (found["change_value"] != "1")]
    assert len(recruits) >= 3
    for row in recruits.head(4).itertuples():
        said = MORE.search(row.remedy_detail)
        assert said, row.remedy_detail
        k, priority = int(said.group(3)), said.group(2) is not None
        assert k == int(said.group(1)) + 1 == int(row.change_value)
        again = solve(remedied(inst, row.student_id, "recruit", row.change_target, row.change_value),
                      certificate=False)
        assert row.student_id in set(again.placements["student_id"])
        assert _placed(again, priority) - _placed(solved.result, priority) == k, row.remedy_detail
