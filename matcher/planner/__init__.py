"""Planner: what-if scenarios and calendar optimisation over the school year (issue 5)."""
