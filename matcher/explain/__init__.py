"""Explanations of a solved match: what would change it, and at what price.

These modules sit after the engine: they take a solved match (the engine's
network and flows, :class:`~matcher.engine.solve.Solved`) and reason on its
residual graph, re-solving only the parts a change touches. :mod:`~matcher.explain.remedy`
finds the cheapest verified single change that places each unplaced student,
:mod:`~matcher.explain.advice` ranks the capacities whose increase would place
the most students, and :mod:`~matcher.explain.suggest` gives a school each
student's feasible places ranked by their exact cost to the optimum.
"""
