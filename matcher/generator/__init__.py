"""Realistic synthetic instances, beside the data flow rather than in it.

:mod:`~matcher.generator.synth` draws students, vacancies, companies and
supervisors for a region or the whole country from one seed, with the PC4
table and qualification catalogue of :mod:`matcher.geo`, calibrated by the
sourced figures of :mod:`~matcher.generator.calibration`. What it returns is a
validated instance like one read from files (``stagematch generate`` writes it
with :mod:`matcher.io`), used by the demo, the tests and the benchmarks.
"""
