"""Planning over the school year: what-if scenarios and calendar optimisation (issue 5).

A layer on top of the engine: it changes a validated instance and solves the
changed instances with the engine, then writes its own output folders.
:mod:`~matcher.plan.cohorts` moves cohorts (school × crebo × year) to other
periods and :mod:`~matcher.plan.allowed` says where they may go;
:mod:`~matcher.plan.calendar` finds the best moves and
:mod:`~matcher.plan.calendar_files` writes the calendar folder.
:mod:`~matcher.plan.scenario` applies a scenario's actions,
:mod:`~matcher.plan.simulate` runs them Monte Carlo on an executor
(:mod:`~matcher.plan.executors`: local processes or Dask), and
:mod:`~matcher.plan.simulation_folder`, :mod:`~matcher.plan.plots` and
:mod:`~matcher.plan.summary_html` write the results, charts and summary page.
"""
