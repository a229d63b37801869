"""Bad input is refused with an InputError that names file, row and column, and
says what is wrong; the folder is left as it was.

Most cases change the valid instance of :mod:`tests.support.io_fixtures` (a
cell, a column, a whole table) before it is written: one table row per defect,
its id naming the defect. Defects of a file as a whole (no header, written
twice, a list spilling into cells, Parquet typed as numbers) and of
``policy.toml`` follow, with the inputs that look alike but are fine.
"""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from matcher.errors import InputError
from matcher.geo.tables import known_pc4
from matcher.io import read_instance, read_policy, write_instance
from tests.support.io_fixtures import (
    add_column,
    drop_column,
    drop_table,
    expect_input_error,
    set_cell,
    valid_tables,
    write_defective,
    write_tables,
)
from tests.support.policy_errors import policy_error

# A PC4 with the right shape that names no postcode area.
UNKNOWN_PC4 = next(str(code) for code in range(1000, 10_000) if str(code) not in known_pc4())


def defect(id: str, *edits, at: tuple, says: tuple[str, ...], lacks: tuple[str, ...] = ()):
    """One case: ``edits`` (each ``(helper, *arguments)``, applied to the valid
    tables in order), then the error expected ``at`` (file, row, column) with
    every fragment of ``says`` (any case) in its message and none of ``lacks``."""
    return pytest.param(edits, at, says, lacks, id=id)


DEFECTS = [
    # Files and columns.
    defect("missing_students_file", (drop_table, "students"),
           at=("students.csv", None, None), says=("students.csv", "required file missing")),
    defect("missing_vacancies_file", (drop_table, "vacancies"),
           at=("vacancies.csv", None, None), says=("vacancies.csv", "required file missing")),
    *(defect(f"missing_{column}_column", (drop_column, file, column),
             at=(f"{file}.csv", 1, column), says=("missing required column",))
      for file, column in [("students", "crebo"), ("students", "level"), ("vacancies", "places"),
                           ("supervisors", "capacity")]),
    defect("location_needs_pc4_or_lat_and_lon", (drop_column, "vacancies", "pc4"),
           (drop_column, "vacancies", "lon"),
           at=("vacancies.csv", 1, "lon"), says=("missing required column",)),
    *(defect(f"personal_data_column_{header}", (add_column, "students", header, "x"),
             at=("students.csv", 1, header.lower()), says=("personal data", "pseudonymous ids only"))
      for header in ["naam", "Geboortedatum", "E-mail", "BSN", "gender"]),
    # Ids and references.
    defect("duplicate_student_id", (set_cell, "students", 4, "student_id", "S1"),
           at=("students.csv", 4, "student_id"), says=("duplicate", "'S1'", "first on row 2")),
    defect("duplicate_vacancy_id", (set_cell, "vacancies", 3, "vacancy_id", "V1"),
           at=("vacancies.csv", 3, "vacancy_id"), says=("duplicate", "'V1'", "first on row 2")),
    defect("unknown_company_of_a_vacancy", (set_cell, "vacancies", 3, "company_id", "C99"),
           (set_cell, "vacancies", 3, "supervisor_id", ""),
           at=("vacancies.csv", 3, "company_id"), says=("unknown company_id", "'C99'", "companies.csv")),
    defect("unknown_company_of_a_supervisor", (set_cell, "supervisors", 3, "company_id", "C42"),
           at=("supervisors.csv", 3, "company_id"), says=("unknown company_id", "'C42'")),
    defect("supervisor_of_other_company", (set_cell, "vacancies", 2, "supervisor_id", "SUP2"),
           at=("vacancies.csv", 2, "supervisor_id"),
           says=("'SUP2'", "belongs to company 'C2'", "not to 'C1'")),
    defect("unknown_period_of_a_student", (set_cell, "students", 4, "periods", "P2|P9"),
           at=("students.csv", 4, "periods"), says=("unknown period", "'P9'", "periods.csv")),
    defect("vacancy_period_without_periods_file", (drop_table, "periods"),
           (set_cell, "students", 2, "periods", ""), (set_cell, "students", 4, "periods", ""),
           (set_cell, "vacancies", 2, "periods", "Q1"),
           at=("vacancies.csv", 2, "periods"), says=("unknown period", "'Q1'", "only period is 'year'")),
    # Cells.
    defect("four_digit_crebo", (set_cell, "students", 3, "crebo", "1234"),
           at=("students.csv", 3, "crebo"), says=("'1234'", "crebo has 5 digits", "leading zeros count")),
    defect("four_digit_crebo_in_a_vacancy_list", (set_cell, "vacancies", 3, "crebo", "25029|5038"),
           at=("vacancies.csv", 3, "crebo"), says=("'5038'", "crebo has 5 digits")),
    defect("level_out_of_range", (set_cell, "students", 3, "level", "7"),
           at=("students.csv", 3, "level"), says=("level 7", "1-4")),
    defect("max_level_out_of_range", (set_cell, "vacancies", 2, "max_level", "0"),
           at=("vacancies.csv", 2, "max_level"), says=("max_level 0", "1-4")),
    defect("min_level_above_max_level", (set_cell, "vacancies", 2, "min_level", "4"),
           (set_cell, "vacancies", 2, "max_level", "3"),
           at=("vacancies.csv", 2, "min_level"), says=("min_level 4 exceeds max_level 3",)),
    defect("negative_places", (set_cell, "vacancies", 3, "places", "-1"),
           at=("vacancies.csv", 3, "places"), says=("places -1", "negative")),
    *(defect(f"non_integer_places_{value}", (set_cell, "vacancies", 2, "places", value),
             at=("vacancies.csv", 2, "places"), says=(repr(value), "not a whole number"))
      for value in ["2.5", "twee", "2,0"]),
    defect("bad_boolean", (set_cell, "students", 3, "needs_accessible", "misschien"),
           at=("students.csv", 3, "needs_accessible"), says=("'misschien'", "true/false", "ja/nee")),
    defect("first_bad_cell_in_file_order", (set_cell, "vacancies", 3, "duo", "soms"),
           (set_cell, "vacancies", 2, "places", "-3"),
           at=("vacancies.csv", 2, "places"), says=("negative",)),
    # Places.
    defect("unknown_pc4", (set_cell, "students", 3, "pc4", UNKNOWN_PC4),
           at=("students.csv", 3, "pc4"), says=(UNKNOWN_PC4, "does not exist")),
    defect("malformed_pc4", (set_cell, "vacancies", 2, "pc4", "3511AB"),
           at=("vacancies.csv", 2, "pc4"), says=("'3511AB'", "4 digits")),
    defect("swapped_lat_lon", (set_cell, "vacancies", 3, "lat", "4.9041"),
           (set_cell, "vacancies", 3, "lon", "52.3676"),
           at=("vacancies.csv", 3, "lat"), says=("swapped",)),
    defect("coordinates_outside_nl", (set_cell, "students", 4, "lat", "48.8566"),
           (set_cell, "students", 4, "lon", "2.3522"),
           at=("students.csv", 4, "lat"), says=("outside the netherlands", "48.8566"), lacks=("swapped",)),
    defect("only_lat_given", (set_cell, "vacancies", 3, "lon", ""),
           at=("vacancies.csv", 3, "lon"), says=("both lat and lon",)),
]


@pytest.mark.parametrize(("edits", "at", "says", "lacks"), DEFECTS)
def test_bad_input_is_refused(tmp_path, edits, at, says, lacks):
    write_defective(tmp_path, edits)
    file, row, column = at
    error = expect_input_error(tmp_path, file=file, row=row, column=column, says=says)
    for fragment in lacks:
        assert fragment not in error.message


def test_file_without_header(tmp_path):
    write_tables(tmp_path, valid_tables())
    (tmp_path / "vacancies.csv").write_text("", encoding="utf-8")
    expect_input_error(tmp_path, file="vacancies.csv", row=1, column=None,
                       says=("no header",))


def test_csv_and_parquet_of_the_same_table(tmp_path):
    instance = read_instance(write_tables(tmp_path / "csv", valid_tables()))
    write_instance(instance, tmp_path / "pq", fmt="parquet")
    folder = write_tables(tmp_path / "both", valid_tables())
    parquet = (tmp_path / "pq" / "companies.parquet").read_bytes()
    (folder / "companies.parquet").write_bytes(parquet)
    expect_input_error(folder, file="companies.csv", row=None, column=None,
                       says=("companies.csv and companies.parquet", "keep only one"))


def test_same_table_in_two_spellings(tmp_path):
    folder = write_tables(tmp_path, valid_tables())
    (folder / "Periods.CSV").write_bytes((folder / "periods.csv").read_bytes())
    if len([p for p in folder.iterdir() if p.name.lower() == "periods.csv"]) < 2:
        pytest.skip("the file system ignores case")
    expect_input_error(folder, file="Periods.CSV", row=None, column=None,
                       says=("Periods.CSV and periods.csv",))


def test_unquoted_semicolon_list_spills_into_extra_cells(tmp_path):
    tables = valid_tables()
    write_tables(tmp_path, tables, delimiter=";")
    path = tmp_path / "students.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # Row 2 has periods "P1|P2"; write it the way a hand-edited file would.
    lines[1] = lines[1].replace("P1|P2", "P1;P2")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expect_input_error(tmp_path, file="students.csv", row=2, column=None,
                       says=("cells but the header has", "in quotes", "'|'"))


def test_integer_typed_parquet_crebo_loses_leading_zero(tmp_path):
    tables = valid_tables()
    set_cell(tables, "students", 2, "crebo", "01234")
    write_tables(tmp_path, tables)
    # A spreadsheet tool that typed the column as a number stores 1234.
    (tmp_path / "students.csv").unlink()
    rows = tables["students"]
    columns = {c: [r[c] or None for r in rows] for c in rows[0]}
    columns["crebo"] = [int(r["crebo"]) for r in rows]
    pq.write_table(pa.table(columns), tmp_path / "students.parquet")
    expect_input_error(tmp_path, file="students.parquet", row=2, column="crebo",
                       says=("'1234'", "leading zeros count"))


# Inputs that look like the defects above but are fine.


def test_quoted_list_in_semicolon_file_is_fine(tmp_path):
    tables = valid_tables()
    set_cell(tables, "students", 2, "periods", "P1;P2")
    write_tables(tmp_path, tables, delimiter=";")
    assert '"P1;P2"' in (tmp_path / "students.csv").read_text(encoding="utf-8")
    assert read_instance(tmp_path).students[0].periods == ("P1", "P2")


def test_name_column_is_fine_for_companies(tmp_path):
    tables = valid_tables()
    write_tables(tmp_path, tables)
    assert read_instance(tmp_path).companies[0].name == "Bakkerij De Korenschoof"


def test_without_companies_file_any_company_id_is_accepted(tmp_path):
    tables = valid_tables()
    del tables["companies"]
    set_cell(tables, "vacancies", 3, "company_id", "C99")
    set_cell(tables, "vacancies", 3, "supervisor_id", "")
    write_tables(tmp_path, tables)
    assert read_instance(tmp_path).vacancies[1].company_id == "C99"


# policy.toml: an unknown key, a bad value or broken TOML.




@pytest.mark.parametrize(("text", "column", "says"), [
    pytest.param("[costs]\ntravel_minute = 2\nwish_stap = 5\n", "costs.wish_stap", ("unknown key", "wish_step"),
                 id="policy_unknown_key_named_with_its_section"),
    pytest.param("[weigths]\npriority = 4\n", "weigths", ("unknown key",), id="policy_unknown_section"),
    pytest.param('[travel]\ndefault_mode = "boat"\n', "travel.default_mode", ("'boat'",), id="policy_bad_value"),
    pytest.param("[weights]\npriority = 1\nregular = 2\n", "weights.priority", ("at least weights.regular",),
                 id="policy_priority_below_regular"),
])
def test_bad_policy_is_refused(tmp_path, text, column, says):
    error = policy_error(tmp_path, text)
    assert error.column == column
    for fragment in says:
        assert fragment in error.message


def test_broken_policy_toml_names_the_line(tmp_path):
    error = policy_error(tmp_path, "[weights]\npriority = = 3\n")
    assert error.row == 2


def test_missing_policy_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_policy(tmp_path / "policy.toml")
