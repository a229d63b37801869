"""Which tests catch which deliberate bug: one small mutation of the engine at a time (run by hand, not by CI).

    python -m tests.mutation_check [--only NAME] [--keep]

Each mutation of :data:`MUTATIONS` is applied to a copy of the repository (the source files as they are on
disk, the ``.git`` and ``.venv`` folders left out), then three groups of tests run on that copy: the
mutation's own targeted test file, the LP comparison (random instances against scipy's HiGHS) and the
checker's tests. A group *catches* the bug when at least one of its tests fails; the table counts the failing
tests of each group. A mutation whose text is not found is reported, not silently skipped: the engine moved
and the mutation must follow it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LP_COMPARISON = ("tests/engine/test_optimality_matches_lp_bound.py",
                 "tests/engine/test_optimality_matches_lp_on_varied_policies_and_features.py")
CHECKER_TESTS = ("tests/verify/test_checker_catches.py", "tests/verify/test_checker_accepts_solver_results.py",
                 "tests/verify/test_checker_accepts_valid_result.py", "tests/verify/test_checker_travel_minutes.py")


@dataclass(frozen=True)
class Mutation:
    """A deliberate bug: ``old`` replaced by ``new`` in ``path``, and the test file named after that rule."""

    name: str
    path: str
    old: str
    new: str
    own_tests: str


MUTATIONS = (
    Mutation("company capacity +1", "matcher/engine/network.py",
             "comp_capacity = problem.company_max_students[comp[comp_vp]].astype(np.int64)",
             "comp_capacity = problem.company_max_students[comp[comp_vp]].astype(np.int64) + 1",
             "tests/engine/test_hard_company_room_exceeded_is_impossible.py"),
    Mutation("duo arc cost 0", "matcher/engine/solve.py",
             "build_network(problem, candidates, policy.costs.duo_partner,",
             "build_network(problem, candidates, 0,",
             "tests/engine/test_hard_duo_used_only_when_needed.py"),
    Mutation("equivalences ignored", "matcher/engine/candidates.py",
             "for crebo, equivalent in zip(problem.eq_crebo, problem.eq_equivalent):",
             "for crebo, equivalent in zip(problem.eq_crebo[:0], problem.eq_equivalent[:0]):",
             "tests/engine/test_hard_crebo_not_recognised_is_never_placed.py"),
    Mutation("travel minutes rounded to nearest", "matcher/geo/travel.py",
             "np.ceil(t - ROUNDING_SLACK)", "np.round(t)",
             "tests/engine/test_hard_travel_beyond_limit_is_never_placed.py"),
    Mutation("guidance ignores duo doubling", "matcher/engine/network.py",
             "(guidance_places < place_capacity + np.where(duo, duo_capacity, 0))",
             "(guidance_places < place_capacity)",
             "tests/engine/test_hard_extra_guidance_places_exceeded_is_impossible.py"),
    Mutation("(student, vacancy-PC4) override beats (student, vacancy)", "matcher/engine/candidates.py",
             "(o_student, d_pc4, s, problem.v_pc4[v]),\n        (o_student, d_vacancy, s, v),",
             "(o_student, d_vacancy, s, v),\n        (o_student, d_pc4, s, problem.v_pc4[v]),",
             "tests/engine/test_hard_travel_beyond_limit_is_never_placed.py"),
    Mutation("supervisor capacity pooled over periods", "matcher/engine/network.py",
             "_next_level(sup * n_periods + vp_p, sup_limited)", "_next_level(sup * n_periods, sup_limited)",
             "tests/engine/test_hard_supervisor_capacity_exceeded_is_impossible.py"),
    Mutation("priority tier = extra guidance only", "matcher/engine/problem.py",
             "s_priority = (s_level <= 2) | s_guidance", "s_priority = s_guidance",
             "tests/engine/test_objective_priority_before_cost.py"),
)


def _copy(target: Path) -> None:
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache",
                                    ".hypothesis", "test-artefacts", "results")
    shutil.copytree(REPO, target, ignore=ignore, dirs_exist_ok=True)


def _failures(copy: Path, tests: tuple[str, ...]) -> int | str:
    """How many of ``tests`` fail on the mutated copy (``"error"`` when pytest could not run them)."""
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          *tests], cwd=copy, capture_output=True, text=True,
                         env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin", "HOME": str(copy)})
    last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    failed = re.search(r"(\d+) failed", last)
    errors = re.search(r"(\d+) error", last)
    if failed or errors:
        return int(failed.group(1) if failed else 0) + int(errors.group(1) if errors else 0)
    return 0 if run.returncode == 0 else "error"


def check(mutation: Mutation, keep: bool = False) -> dict:
    """Apply ``mutation`` to a fresh copy and count the failing tests of each group."""
    folder = Path(tempfile.mkdtemp(prefix="stagematch-mutation-"))
    try:
        _copy(folder)
        source = folder / mutation.path
        text = source.read_text(encoding="utf-8")
        if text.count(mutation.old) != 1:
            return {"name": mutation.name, "applied": False}
        source.write_text(text.replace(mutation.old, mutation.new), encoding="utf-8")
        return {"name": mutation.name, "applied": True, "own_file": mutation.own_tests.rsplit("/", 1)[1],
                "own": _failures(folder, (mutation.own_tests,)), "lp": _failures(folder, LP_COMPARISON),
                "checker": _failures(folder, CHECKER_TESTS)}
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def table(rows: list[dict]) -> str:
    """The rows as a Markdown table: failing tests per group (0: the bug survives that group)."""
    lines = ["| deliberate bug | its own test file | failing there | LP comparison | checker tests |",
             "|---|---|---:|---:|---:|"]
    for row in rows:
        if not row["applied"]:
            lines.append(f"| {row['name']} | (mutation text not found: update tests/mutation_check.py) | | | |")
        else:
            lines.append(f"| {row['name']} | `{row['own_file']}` | {row['own']} | {row['lp']} | {row['checker']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the mutations whose name contains this text")
    parser.add_argument("--keep", action="store_true", help="keep each mutated copy (its path is printed)")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if args.only is None or args.only in m.name]
    rows = []
    for mutation in chosen:
        print(f"  {mutation.name} ...", file=sys.stderr, flush=True)
        rows.append(check(mutation, args.keep))
    print(table(rows))
    return 0 if all(r["applied"] and r["own"] not in (0, "error") for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
