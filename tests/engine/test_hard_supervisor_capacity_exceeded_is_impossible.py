"""Hard constraint 6: students per supervisor and period <= capacity (duo partners count)."""

from matcher import solve
from tests.support.builders import Period, Supervisor, instance, student, vacancy


def test_supervisor_of_two_vacancies_guides_only_its_capacity():
    inst = instance(
        [student("s1"), student("s2"), student("s3")],
        [vacancy("v1", company_id="c", supervisor_id="sup", places=2),
         vacancy("v2", company_id="c", supervisor_id="sup", places=2)],
        supervisors=(Supervisor(supervisor_id="sup", company_id="c", capacity=2),),
    )
    result = solve(inst)
    assert result.n_placed == 2
    assert result.unplaced["reason"].tolist() == ["supervision_full"]
    assert "supervisor sup is full" in result.unplaced["detail"].iloc[0]


def test_duo_partners_count_towards_supervision():
    inst = instance(
        [student("s1"), student("s2")],
        [vacancy("v1", company_id="c", supervisor_id="sup", places=1, duo=True)],
        supervisors=(Supervisor(supervisor_id="sup", company_id="c", capacity=1),),
    )
    assert solve(inst).n_placed == 1


def test_supervisor_without_a_row_limits_nothing():
    inst = instance(
        [student("s1"), student("s2")],
        [vacancy("v1", company_id="c", supervisor_id="sup", places=2)],
    )
    assert solve(inst).n_placed == 2


def test_a_supervisor_guides_its_capacity_in_each_period_not_over_the_year():
    # Capacity 1 per period: one student in P1 and one in P2, both placed; pooled over the year it would be one.
    inst = instance(
        [student("s1", periods=("P1",)), student("s2", periods=("P2",))],
        [vacancy("v1", company_id="c", supervisor_id="sup", places=1, periods=("P1", "P2"))],
        supervisors=(Supervisor(supervisor_id="sup", company_id="c", capacity=1),),
        periods=(Period(period_id="P1"), Period(period_id="P2")),
    )
    result = solve(inst)
    assert sorted(zip(result.placements["student_id"], result.placements["period_id"])) == [("s1", "P1"),
                                                                                           ("s2", "P2")]
