"""travel_times.csv giving one (origin, destination) twice, say 5 and 50 minutes,
was accepted: the engine used one row and the independent checker the other.
It is refused, naming the second row and the first."""

import pytest

from models import Instance, Pathway, Student, TravelTime, Vacancy
from tests.support.io_fixtures import expect_input_error, valid_tables, write_tables


def _tables(rows):
    tables = valid_tables()
    tables["travel_times"] = [{"origin": o, "destination": d, "minutes": m} for o, d, m in rows]
    return tables


def test_same_pair_twice_is_ambiguous(tmp_path):
    write_tables(tmp_path, _tables([("S1", "V1", "5"), ("3511", "V2", "20"), ("S1", "V1", "50")]))
    expect_input_error(tmp_path, file="travel_times.csv", row=4, column="origin",
                       says=("ambiguous", "'S1' to 'V1'", "5 and 50 minutes", "first on row 2"))


def test_same_minutes_twice_is_refused_too(tmp_path):
    write_tables(tmp_path, _tables([("3511", "1011", "30"), ("3511", "1011", "30")]))
    expect_input_error(tmp_path, file="travel_times.csv", row=3, column="origin",
                       says=("ambiguous", "first on row 2"))


def test_both_directions_and_other_pairs_are_fine(tmp_path):
    from matcher.io import read_instance

    write_tables(tmp_path, _tables([("3511", "1011", "30"), ("1011", "3511", "31"),
                                    ("S1", "1011", "25")]))
    assert len(read_instance(tmp_path).travel_times) == 3


def test_the_model_refuses_it_as_well():
    student = Student(student_id="S1", school_id="A", crebo="25029", level=2,
                      pathway=Pathway.BOL, pc4="3511")
    vacancy = Vacancy(vacancy_id="V1", company_id="C", crebos=("25029",),
                      pathways=(Pathway.BOL,), pc4="3511", places=1)
    with pytest.raises(ValueError, match="ambiguous"):
        Instance(students=(student,), vacancies=(vacancy,),
                 travel_times=(TravelTime(origin="S1", destination="V1", minutes=5),
                               TravelTime(origin="S1", destination="V1", minutes=50)))
