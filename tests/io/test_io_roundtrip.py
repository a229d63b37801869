"""Reading the CSV dialects SPEC allows, and exact write → read round trips."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.io import read_instance, read_policy, write_instance
from models import (
    Company,
    Equivalence,
    Instance,
    Pathway,
    Period,
    Policy,
    Student,
    Supervisor,
    TravelMode,
    TravelTime,
    Vacancy,
)
from tests.support.io_fixtures import add_column, valid_tables, write_tables

DUTCH_STUDENTS = (
    "\ufeff Student_ID ;school_id;CREBO;level;pathway;pc4;lat;lon;periods;extra_guidance;"
    "needs_accessible;preferences\r\n"
    'S1;SCH1;01234;2;bbl;;52,0907;5,1214;"P2;P1";ja;nee;V1|C2\r\n'
    "S2;SCH1;25029;3;BOL;3511;;;P1|P2;Nee;JA;\r\n"
)
DUTCH_VACANCIES = (
    "\ufeffvacancy_id;company_id;crebo;pathway;pc4;places;duo;periods\r\n"
    'V1;C1;"25029;01234";"BOL;BBL";3511;2;ja;P1\r\n'
    "V2;C2;25029|01234;both;1011;0;0;\r\n"
)
DUTCH_PERIODS = "period_id;start;end\r\nP1;01-09-2025;31-01-2026\r\nP2;2026-02-01;2026-06-30\r\n"


def _write_dutch(folder):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("students", DUTCH_STUDENTS), ("vacancies", DUTCH_VACANCIES),
                       ("periods", DUTCH_PERIODS)):
        (folder / f"{name}.csv").write_bytes(text.encode("utf-8"))


def test_dutch_excel_file_parses(tmp_path):
    _write_dutch(tmp_path)
    instance = read_instance(tmp_path)
    s1, s2 = instance.students
    assert s1.student_id == "S1"
    assert s1.crebo == "01234"
    assert s1.pathway is Pathway.BBL
    assert (s1.lat, s1.lon) == (52.0907, 5.1214)
    assert s1.periods == ("P2", "P1")  # quoted ';' list keeps its order of preference
    assert s1.preferences == ("V1", "C2")
    assert (s1.extra_guidance, s1.needs_accessible) == (True, False)
    assert (s2.extra_guidance, s2.needs_accessible, s2.pc4) == (False, True, "3511")
    v1, v2 = instance.vacancies
    assert v1.crebos == ("01234", "25029")
    assert set(v1.pathways) == set(v2.pathways) == {Pathway.BOL, Pathway.BBL}
    assert (v1.duo, v2.duo, v2.places) == (True, False, 0)
    assert instance.periods[0].start == date(2025, 9, 1)


def test_leading_zero_crebo_survives_writing(tmp_path):
    _write_dutch(tmp_path / "in")
    instance = read_instance(tmp_path / "in")
    write_instance(instance, tmp_path / "out")
    text = (tmp_path / "out" / "students.csv").read_text(encoding="utf-8")
    assert ",01234," in text
    assert read_instance(tmp_path / "out").students[0].crebo == "01234"


def test_unknown_extra_column_is_ignored(tmp_path):
    plain = read_instance(write_tables(tmp_path / "plain", valid_tables()), name="x")
    tables = valid_tables()
    add_column(tables, "students", "opmerking", "belt terug")
    add_column(tables, "vacancies", "contact_person", "afdeling HR")
    extended = read_instance(write_tables(tmp_path / "extended", tables), name="x")
    assert extended == plain


def test_header_only_files_give_an_empty_instance(tmp_path):
    (tmp_path / "students.csv").write_text("student_id,school_id,crebo,level,pathway,pc4\n")
    (tmp_path / "vacancies.csv").write_text("vacancy_id;company_id;crebo;pathway;pc4;places\n")
    instance = read_instance(tmp_path)
    assert instance.students == () and instance.vacancies == ()


def test_name_defaults_to_folder_name(tmp_path):
    folder = write_tables(tmp_path / "regio_utrecht", valid_tables())
    assert read_instance(folder).name == "regio_utrecht"
    assert read_instance(folder, name="other").name == "other"


def _rich_instance() -> Instance:
    students = (
        Student(student_id="S-001", school_id="ROC A", crebo="01234", level=1,
                pathway=Pathway.BOL, year=1, pc4="3511", mode=TravelMode.bike,
                max_travel_min=45, periods=("P2", "P1"), extra_guidance=False,
                preferences=("V2", "C1"), needs_accessible=True),
        Student(student_id="S-002", school_id="ROC A", crebo="25029", level=4,
                pathway=Pathway.BBL, year=3, lat=52.123456789012345, lon=4.98765432101234),
        Student(student_id="S-003", school_id="ROC B", crebo="25038", level=2,
                pathway=Pathway.BOL, pc4="1011", lat=52.371, lon=4.9042,
                mode=TravelMode.public_transport),
    )
    vacancies = (
        Vacancy(vacancy_id="V2", company_id="C1", supervisor_id="SUP1",
                crebos=("25029", "01234"), pathways=(Pathway.BOL, Pathway.BBL), pc4="3511",
                places=3, periods=("P1",), min_level=1, max_level=3,
                extra_guidance_places=0, duo=True, accessible=True),
        Vacancy(vacancy_id="V1", company_id="C2", crebos=("25038",), pathways=(Pathway.BBL,),
                lat=51.9183, lon=4.476, places=0),
    )
    return Instance(
        name="rich",
        students=students,
        vacancies=vacancies,
        supervisors=(Supervisor(supervisor_id="SUP1", company_id="C1", capacity=2),),
        companies=(
            Company(company_id="C1", name='Bakkerij "De Zoete Inval", Utrecht; sinds 1921',
                    sector="Voedsel/groen/gastvrijheid", region="AM13", max_students=4),
            Company(company_id="C2", name="Café Zoë"),
        ),
        periods=(Period(period_id="P1", start=date(2025, 9, 1), end=date(2026, 1, 31)),
                 Period(period_id="P2")),
        equivalences=(Equivalence(crebo="25038", equivalent_crebo="01234"),),
        travel_times=(TravelTime(origin="S-001", destination="V2", minutes=17),
                      TravelTime(origin="3511", destination="1011", minutes=0)),
    )


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_round_trip_is_exact(tmp_path, fmt):
    instance = _rich_instance()
    write_instance(instance, tmp_path / "out", fmt=fmt)
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(f"{stem}.{fmt}" for stem in (
        "students", "vacancies", "supervisors", "companies", "periods", "equivalences",
        "travel_times"))
    assert read_instance(tmp_path / "out", name="rich") == instance


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_writing_is_byte_identical(tmp_path, fmt):
    instance = _rich_instance()
    write_instance(instance, tmp_path / "a", fmt=fmt)
    write_instance(instance, tmp_path / "b", fmt=fmt)
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_only_tables_with_rows_are_written(tmp_path):
    tables = valid_tables()
    for stem in ("supervisors", "companies", "periods"):
        del tables[stem]
    for row in tables["students"]:
        row["periods"] = ""
    for row in tables["vacancies"]:
        row["periods"] = ""
    bare = read_instance(write_tables(tmp_path / "in", tables), name="x")
    write_instance(bare, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == \
        ["students.csv", "vacancies.csv"]
    assert read_instance(tmp_path / "out", name="x") == bare


_ids = st.text(alphabet="abcXYZ019-_. ", min_size=1, max_size=12).map(str.strip).filter(bool)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lat=st.floats(min_value=50.75, max_value=53.55),
    lon=st.floats(min_value=3.35, max_value=7.25),
    student_id=_ids,
    crebo=st.from_regex(r"\A[0-9]{5}\Z"),
    places=st.integers(min_value=0, max_value=10_000),
    fmt=st.sampled_from(["csv", "parquet"]),
)
def test_round_trip_of_arbitrary_values(tmp_path_factory, lat, lon, student_id, crebo, places,
                                        fmt):
    instance = Instance(
        name="h",
        students=(Student(student_id=student_id, school_id=student_id, crebo=crebo, level=2,
                          pathway=Pathway.BBL, lat=lat, lon=lon),),
        vacancies=(Vacancy(vacancy_id=student_id, company_id="c", crebos=(crebo,),
                           pathways=(Pathway.BBL,), lat=lat, lon=lon,
                           places=places),),
    )
    folder = tmp_path_factory.mktemp("rt") / "i"
    write_instance(instance, folder, fmt=fmt)
    assert read_instance(folder, name="h") == instance


def test_pandas_parquet_with_gaps_reads_like_csv(tmp_path):
    tables = valid_tables()
    csv_instance = read_instance(write_tables(tmp_path / "csv", tables), name="x")
    folder = write_tables(tmp_path / "pq", tables)
    (folder / "vacancies.csv").unlink()
    frame = pd.DataFrame(tables["vacancies"]).replace("", None)
    # What pandas makes of numeric columns with gaps: float64 with NaN.
    for column in ("places", "min_level", "max_level", "extra_guidance_places", "lat", "lon"):
        frame[column] = pd.to_numeric(frame[column])
    frame["duo"] = frame["duo"] == "true"
    frame.to_parquet(folder / "vacancies.parquet", index=False)
    assert read_instance(folder, name="x") == csv_instance


def test_write_refuses_to_overwrite(tmp_path):
    instance = _rich_instance()
    target = tmp_path / "out"
    target.mkdir()  # an existing empty folder may be filled
    write_instance(instance, target)
    (target / "policy.toml").write_text("[weights]\npriority = 5\n")
    with pytest.raises(FileExistsError):
        write_instance(instance, target)
    assert (target / "policy.toml").exists()
    smaller = instance.model_copy(update={"travel_times": ()})
    write_instance(smaller, target, overwrite=True)
    assert read_instance(target, name="rich") == smaller
    assert not (target / "policy.toml").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging left behind


def test_failed_write_leaves_nothing(tmp_path):
    instance = _rich_instance()
    bad = instance.model_copy(update={"students": (
        instance.students[0].model_copy(update={"periods": ("P|1",)}),)})
    with pytest.raises(ValueError, match=re.escape("cannot write 'P|1' in list column 'periods'")):
        write_instance(bad, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_read_policy(tmp_path):
    assert read_policy(None) == Policy()
    path = tmp_path / "policy.toml"
    path.write_text(
        "compare_unweighted = true\n[weights]\npriority = 5\n"
        '[travel]\ndefault_mode = "bike"\n[travel.car]\nbase_min = 2\nkm_per_hour = 60\n'
    )
    policy = read_policy(path)
    assert (policy.weights.priority, policy.weights.regular) == (5, 2)
    assert policy.travel.default_mode is TravelMode.bike
    assert (policy.travel.car.base_min, policy.travel.car.km_per_hour) == (2, 60)
    assert policy.compare_unweighted is True
    assert policy.costs.duo_partner == 30
