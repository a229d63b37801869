"""Reading and writing instance folders and policy files.

See SPEC "Instance: a folder of CSV files" and ``docs/model.md``.
"""

from matcher.io.policy_file import read_policy
from matcher.io.read import read_instance, read_instance_with_report
from matcher.io.write import write_instance

__all__ = ["read_instance", "read_instance_with_report", "read_policy", "write_instance"]
