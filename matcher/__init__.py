"""stagematch: optimal matching of mbo students to internship and apprenticeship places.

The public API::

    from matcher import read_instance, read_policy, solve
    result = solve(read_instance("instances/tiny"), read_policy(None))
    result.write("out/")
"""

from matcher.engine.result import Result
from matcher.engine.solve import solve
from matcher.errors import InputError, ModelError

__all__ = ["InputError", "ModelError", "Result", "solve", "read_instance", "read_instance_with_report",
           "read_policy", "write_instance"]


def __getattr__(name: str):
    # The readers live in matcher.io; imported lazily so that the engine does
    # not pay for pyarrow when it is handed an Instance directly.
    if name in ("read_instance", "read_instance_with_report", "read_policy", "write_instance"):
        from matcher import io

        return getattr(io, name)
    raise AttributeError(name)
