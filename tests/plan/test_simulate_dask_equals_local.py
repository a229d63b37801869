"""The Dask executor (a LocalCluster of two worker processes) gives byte-identical output
to the local executor. Runs in CI: ``dask[distributed]`` is in the test extra, and with
STAGEMATCH_REQUIRE_DASK=1 a missing Dask fails instead of skipping."""

import importlib.util
import os

import pytest
from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.io import read_instance
from matcher.plan.executors import DaskExecutor, LocalExecutor
from tests.support.simulate_fixtures import random_scenarios, write_generated

if importlib.util.find_spec("distributed") is None:
    if os.environ.get("STAGEMATCH_REQUIRE_DASK") == "1":
        raise ImportError("STAGEMATCH_REQUIRE_DASK=1 but dask[distributed] is not installed")
    pytest.skip("dask[distributed] is not installed", allow_module_level=True)

runner = CliRunner()


def _add(common, item):
    return common * 100 + item


def test_dask_map_returns_results_in_order():
    with DaskExecutor(jobs=2) as dask, LocalExecutor(2) as local:
        items = list(range(9))
        assert dask.map(_add, items, common=3) == local.map(_add, items, common=3) \
            == [300 + i for i in items]


def test_dask_and_local_executors_write_the_same_bytes(tmp_path):
    instance = write_generated(tmp_path / "am13", students=250, seed=4)
    scenario = tmp_path / "scenarios.toml"
    scenario.write_text(random_scenarios(read_instance(instance), seed=5), encoding="utf-8")
    outputs = {}
    for name, extra in (("local", ["--jobs", "1"]), ("dask", ["--executor", "dask", "--jobs", "2"])):
        ran = runner.invoke(app, ["simulate", str(instance), str(scenario), "--out", str(tmp_path / name),
                                  "--runs", "3", "-q", *extra])
        assert ran.exit_code == 0, ran.output
        outputs[name] = {p.name: p.read_bytes() for p in (tmp_path / name).iterdir()
                         if p.name != "timings.json"}
    assert len(outputs["local"]) == 7
    for file, data in outputs["local"].items():
        assert outputs["dask"][file] == data, file
