"""Helpers the tests share: instance builders, reference optima, fixture data, paths.

Imported by name (``from tests.support.builders import instance``); none of
them is a pytest fixture.
"""
