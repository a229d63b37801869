"""The bundled tiny instance has an optimum derived by hand (instances/tiny/README.md)."""


from matcher import read_instance, solve
from tests.support.paths import TINY


def test_engine_finds_the_hand_derived_optimum():
    result = solve(read_instance(TINY))
    assert result.weighted_placed == 10
    assert result.secondary_cost == 83
    placed = dict(zip(result.placements["student_id"], zip(result.placements["vacancy_id"],
                                                             result.placements["period_id"])))
    assert placed == {"t01": ("v-care", "P1"), "t02": ("v-hosp", "P1"),
                      "t03": ("v-hosp", "P2"), "t04": ("v-care", "P1")}
    assert result.unplaced[["student_id", "reason"]].values.tolist() == [["t05", "no_recognised_vacancy"]]
    assert result.summary["proof"]["proven_optimal"]
