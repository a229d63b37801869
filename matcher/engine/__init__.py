"""The engine: an instance and a policy in, a proven-optimal result out.

The middle of the data flow. :mod:`~matcher.engine.problem` turns the validated
models into index arrays, :mod:`~matcher.engine.candidates` finds the eligible
(student, vacancy, period) arcs, :mod:`~matcher.engine.network` builds the flow
network, :mod:`~matcher.engine.decompose` splits it into independent parts and
:mod:`~matcher.engine.flow` solves them with OR-Tools, proving each optimal with
:mod:`~matcher.engine.certificate`; :mod:`~matcher.engine.reasons` says why a
student stays unplaced and :mod:`~matcher.engine.solve` assembles the
:mod:`~matcher.engine.result`. :mod:`~matcher.engine.parallel` and
:mod:`~matcher.engine.memory` bound the worker processes and the memory a run may use.
"""
