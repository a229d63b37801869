"""The application on top of everything: the ``stagematch`` command line.

The top of the data flow: :mod:`~matcher.app.cli` turns each command into a
pipeline of the layers below (read, solve, check, explain, plan, report,
write) and :mod:`~matcher.app.terminal` prints what happened, every id from a
user's file literally. Nothing below imports from here.
"""
