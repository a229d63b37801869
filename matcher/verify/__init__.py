"""Independent checks of a result: the checker and the LP reference.

These modules sit after the result and share no eligibility, travel or
capacity code with the engine, so that two implementations of one model
(``docs/model.md``) must agree. :mod:`~matcher.verify.checker` re-derives
every rule with plain scalar Python from a result folder and its instance;
:mod:`~matcher.verify.lp` solves the same model as two HiGHS linear
programmes, the optimum the tests and benchmarks compare the engine with.
"""
