"""``stagematch serve --executor dask``: jobs run as tasks on a Dask cluster (here a local one) and give the
same bytes as the local process pool; a running task stops at its next progress call when cancelled."""

from __future__ import annotations

import importlib.util
import os
import time

import pytest

from tests.support.paths import DEMO, TINY
from tests.support.service import world

if importlib.util.find_spec("distributed") is None:
    if os.environ.get("STAGEMATCH_REQUIRE_DASK") == "1":
        raise ImportError("STAGEMATCH_REQUIRE_DASK=1 but dask[distributed] is not installed")
    pytest.skip("dask[distributed] is not installed", allow_module_level=True)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning")


def _files(w, job):
    return {name: w.client.get(f"/jobs/{job['id']}/files/{name}", headers=w.headers("adviser")).content
            for name in job["files"] if name != "timings.json"}


def test_a_dask_job_gives_the_local_pools_bytes_and_can_be_cancelled(tmp_path):
    database = f"sqlite:///{tmp_path / 'local.db'}"
    with world(database, tmp_path / "local") as w:
        local = _files(w, w.run("match", w.upload(TINY).json()["id"], remedies=True))
    with world(f"sqlite:///{tmp_path / 'dask.db'}", tmp_path / "dask", executor="dask", workers=1) as w:
        tiny = w.upload(TINY).json()["id"]
        assert _files(w, w.run("match", tiny, remedies=True)) == local
        long = w.start("match", w.upload(DEMO, name="demo").json()["id"], remedies=True).json()["id"]
        while w.client.get(f"/jobs/{long}", headers=w.headers("adviser")).json()["state"] == "queued":
            time.sleep(0.05)
        w.client.delete(f"/jobs/{long}", headers=w.headers("adviser"))
        assert w.wait(long)["state"] == "cancelled"
        assert w.run("match", tiny)["state"] == "done"  # the worker is free again
