"""Objective, second part: travel, wish rank, period rank and duo costs (SPEC defaults)."""

from matcher import solve
from tests.support.builders import Period, instance, student, vacancy


def test_nearer_place_wins_when_placements_tie():
    inst = instance([student("s1")], [vacancy("far", pc4="3581"), vacancy("near", pc4="3511")])
    placement = solve(inst).placements.iloc[0]
    assert placement["vacancy_id"] == "near" and placement["travel_min"] == 10


def test_wish_rank_costs_ten_per_step_and_sixty_when_unmet():
    inst = instance(
        [student("s1", preferences=("co-v2", "v1"))],
        # v2 (named first, via its company) has no place; v1 is the second wish.
        [vacancy("v1", pc4="3511"), vacancy("v2", places=0)],
    )
    result = solve(inst)
    row = result.placements.iloc[0]
    assert row["wish_rank"] == 2
    assert row["cost"] == row["travel_min"] + 10


def test_unmet_wishes_cost_sixty():
    inst = instance([student("s1", preferences=("co-v2",))], [vacancy("v1", pc4="3511"),
                                                               vacancy("v2", places=0)])
    row = solve(inst).placements.iloc[0]
    assert row["vacancy_id"] == "v1" and row["cost"] == row["travel_min"] + 60


def test_company_wish_counts_for_all_its_vacancies():
    inst = instance([student("s1", preferences=("acme",))],
                    [vacancy("v1", pc4="3511"), vacancy("v2", company_id="acme", pc4="3584")])
    row = solve(inst).placements.iloc[0]
    assert row["vacancy_id"] == "v2" and row["wish_rank"] == 1


def test_second_period_costs_fifteen():
    periods = (Period(period_id="P1"), Period(period_id="P2"))
    inst = instance(
        [student("s1", periods=("P1", "P2")), student("s2", periods=("P1",))],
        [vacancy("v1", periods=("P1", "P2"), places=1)],
        periods=periods,
    )
    result = solve(inst)
    rows = result.placements.set_index("student_id")
    assert rows.loc["s1", "period_id"] == "P2" and rows.loc["s2", "period_id"] == "P1"
    assert result.summary["objective"]["parts"]["period"] == 15
