"""The tests of stagematch, in folders that mirror ``matcher/``.

A test sits in the folder of the module it is mainly about (``tests/io/`` for
``matcher/io/``, ...); tests that drive the ``stagematch`` command end to end
sit in ``tests/app/``. Helpers (instance builders, reference optima, fixture
data) are in :mod:`tests.support` and imported from there; pytest fixtures that
a folder's tests share are in that folder's ``conftest.py``.
"""
