"""The level table counts, for a level, the places its students could use (recognised for the
crebo and pathway of a student of that level, the level accepted), not every place whose
level range includes it: a level-4 vacancy that accepts levels 1-4 is not an Entree place."""

from matcher.io import write_instance
from matcher.io.matched import load_match
from matcher.report import write_report
from tests.support.builders import instance, student, vacancy
from tests.support.report_fixtures import match_and_report, workbook_table

ENTREE = "25251"    # Assistent dienstverlening en zorg, level 1
NURSE = "25655"     # Mbo-Verpleegkundige, level 4


def test_entree_places_are_the_places_entree_students_can_use(tmp_path):
    students = [student(f"e{i}", crebo=ENTREE, level=1, year=1) for i in range(3)]
    students += [student(f"n{i}", crebo=NURSE) for i in range(5)]
    vacancies = [vacancy("v-entree", crebos=(ENTREE,), places=2),
                 vacancy("v-nurse", crebos=(NURSE,), places=40),          # accepts levels 1-4
                 vacancy("v-both", crebos=(ENTREE, NURSE), places=3, min_level=1, max_level=4)]
    write_instance(instance(students, vacancies), tmp_path / "instance")
    report = match_and_report(tmp_path / "instance", tmp_path)
    table = workbook_table(report.workbook_path, "By level").set_index("level")
    assert table.at[1, "places open to this level"] == 2 + 3     # not the 40 nursing places
    assert table.at[4, "places open to this level"] == 40 + 3    # v-both counts at both levels
    assert table.at[1, "students seeking"] == 3 and table.at[4, "students seeking"] == 5
    # The column says what it counts, and that a place can count at more than one level.
    assert "counts at each of them" in report.html


def test_the_dutch_label_says_what_is_counted(tmp_path):
    write_instance(instance([student("e0", crebo=ENTREE, level=1, year=1)],
                            [vacancy("v", crebos=(ENTREE,))]), tmp_path / "instance")
    report = match_and_report(tmp_path / "instance", tmp_path, lang=None)
    write_report(load_match(report.result_dir), tmp_path / "again")   # the library default too
    for folder in (report.report_dir, tmp_path / "again"):
        table = workbook_table(folder / "report.xlsx", "Per niveau").set_index("niveau")
        assert table.at[1, "plaatsen open voor dit niveau"] == 1
