"""Every service test runs on SQLite and on PostgreSQL (see :mod:`tests.support.service`)."""

import pytest

from tests.support.service import DATABASES, fresh_database


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        yield url
