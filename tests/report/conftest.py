"""Session fixtures of the report tests: instances matched and reported once.

``am13_report``: a generated AM13 instance of 1,500 students, matched and
reported through the command line. ``small_school_report``: the hand-made
instance of :func:`tests.support.report_fixtures.small_school_instance`, in
which one school has 3 students and some crebos have 1–4. Both report in
English (``--lang en``), whose headers the tests read; the Dutch default has
tests of its own.
"""

from __future__ import annotations

import pytest

from matcher.generator.synth import generate_instance
from matcher.io import write_instance
from tests.support.report_fixtures import MatchedReport, match_and_report, small_school_instance


@pytest.fixture(scope="session")
def am13_report(tmp_path_factory) -> MatchedReport:
    root = tmp_path_factory.mktemp("am13-report")
    instance_dir = root / "instance"
    write_instance(generate_instance(region="AM13", students=1500, seed=11), instance_dir)
    return match_and_report(instance_dir, root)


@pytest.fixture(scope="session")
def small_school_report(tmp_path_factory) -> MatchedReport:
    root = tmp_path_factory.mktemp("small-school-report")
    instance_dir = root / "instance"
    write_instance(small_school_instance(), instance_dir)
    return match_and_report(instance_dir, root)
