"""Files in and out: instance folders, the files that steer a run, output folders.

The two ends of the data flow. :mod:`~matcher.io.read` turns an instance
folder (CSV, Parquet or Excel, via :mod:`~matcher.io.xlsx`) into validated
:mod:`models` (whole columns at a time, :mod:`~matcher.io.construct`) and
:mod:`~matcher.io.write` writes one back;
:mod:`~matcher.io.policy_file`, :mod:`~matcher.io.scenario_file` and
:mod:`~matcher.io.allowed_file` read the TOML and CSV files that steer a run
(policy, planning scenarios, where cohorts may move). At the other end,
:mod:`~matcher.io.folders` puts every output folder in place all at once,
:mod:`~matcher.io.safe_cells` keeps spreadsheet formulas out of the cells,
and :mod:`~matcher.io.matched` reads a result folder back with its instance.

See SPEC "Instance: a folder of CSV files" and ``docs/model.md``.
"""

from matcher.io.policy_file import read_policy
from matcher.io.read import read_instance, read_instance_with_report
from matcher.io.write import write_instance

__all__ = ["read_instance", "read_instance_with_report", "read_policy", "write_instance"]
