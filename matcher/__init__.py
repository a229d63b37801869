"""stagematch: optimal matching of mbo students to internship and apprenticeship places.

The public API::

    from matcher import check_result, read_instance, read_policy, solve
    instance, policy = read_instance("instances/tiny"), read_policy(None)
    result = solve(instance, policy)
    result.write("out/")
    assert check_result(instance, "out/", policy).ok

The folders follow the data flow, files → validated models → arrays →
candidate arcs → flow network → solver → result → checker → reports, with the
application on top (``docs/architecture.md``):

- :mod:`matcher.io`: instance folders and the files that steer a run in,
  output folders out;
- :mod:`matcher.geo`: reference data (PC4 areas, regions, the qualification
  catalogue) and travel times;
- :mod:`matcher.engine`: index arrays, candidate arcs, the flow network, the
  solver with its optimality certificates, the result;
- :mod:`matcher.explain`: remedies, recruitment advice and shortlists, read
  off a solved match;
- :mod:`matcher.verify`: the independent checker and the LP reference;
- :mod:`matcher.plan`: scenarios and calendar optimisation over the school year;
- :mod:`matcher.report`: shortage reports (HTML and Excel);
- :mod:`matcher.generator`: realistic synthetic instances;
- :mod:`matcher.app`: the ``stagematch`` command line.

The validated input models are the top-level package :mod:`models`;
:mod:`matcher.errors` holds the two errors every layer raises.
"""

# Imported eagerly so that editors, type checkers and help() see the API. The engine was
# imported here before too and the command line loads the readers itself, so this adds only
# the checker (about 10 ms) to the start of every command.
from matcher.engine.result import Result
from matcher.engine.solve import Solved, solve, solve_in_detail
from matcher.errors import InputError, ModelError
from matcher.io import read_instance, read_instance_with_report, read_policy, write_instance
from matcher.verify.checker import check_result

__all__ = [
    "InputError",
    "ModelError",
    "Result",
    "Solved",
    "check_result",
    "read_instance",
    "read_instance_with_report",
    "read_policy",
    "solve",
    "solve_in_detail",
    "write_instance",
]
