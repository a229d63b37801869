"""The level_or_guidance detail says which of level, accessibility and extra guidance
excludes the student's reachable vacancies, not all three at once."""

import pytest

from matcher import solve
from tests.support.builders import instance, student, vacancy


@pytest.mark.parametrize(("the_student", "vacancies", "said", "not_said"), [
    ({"level": 2}, [{"min_level": 3}], ["do not accept level 2"], ["accessible", "guidance"]),
    ({"needs_accessible": True}, [{"accessible": False}], ["not accessible"], ["level", "guidance"]),
    ({"level": 2}, [{"extra_guidance_places": 0}], ["no extra-guidance place"], ["level", "accessible"]),
    # Two vacancies, each excluded by another rule: both named, and only those.
    ({"level": 2, "needs_accessible": True}, [{"min_level": 3, "accessible": True}, {"accessible": False}],
     ["does not accept level 2", "is not accessible"], ["guidance"]),
])
def test_detail_names_exactly_the_rules_that_exclude(the_student, vacancies, said, not_said):
    inst = instance([student("s1", **the_student)],
                    [vacancy(f"v{i}", **fields) for i, fields in enumerate(vacancies)])
    result = solve(inst)
    assert result.unplaced["reason"].tolist() == ["level_or_guidance"]
    detail = result.unplaced["detail"].iloc[0]
    for words in said:
        assert words in detail, detail
    for words in not_said:
        assert words not in detail, detail
