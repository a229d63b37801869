"""A planner reads a simulation's aggregates only: not ``diff.csv`` (it lists students: the same 404 as a file that
does not exist), and in the tables it may read every count below 5 shown as ``<5`` (SPEC, "Who sees what")."""

from __future__ import annotations

import csv
import io
import json

from tests.service.test_service_jobs_give_the_command_lines_bytes import SCENARIOS
from tests.support.paths import TINY
from tests.support.service import world


def test_a_planner_reads_no_student_and_no_small_count_of_a_simulation(database_url, tmp_path):
    with world(database_url, tmp_path) as w:
        dataset = w.upload(TINY).json()["id"]
        assert w.client.post(f"/datasets/{dataset}/grants", json={"organisation": "Planbureau"},
                             headers=w.headers("adviser")).status_code == 204
        job = w.run("simulate", dataset, role="planner", scenarios=SCENARIOS, runs=2)
        assert "diff.csv" not in job["files"]
        hidden = w.client.get(f"/jobs/{job['id']}/files/diff.csv", headers=w.headers("planner"))
        nowhere = w.client.get(f"/jobs/{job['id']}/files/nothing.csv", headers=w.headers("planner"))
        assert hidden.status_code == nowhere.status_code == 404
        assert hidden.json()["detail"].replace("diff.csv", "nothing.csv") == nowhere.json()["detail"]
        for name in ("shortages.csv", "scenarios.csv"):
            response = w.client.get(f"/jobs/{job['id']}/files/{name}", headers=w.headers("planner"))
            assert response.status_code == 200, response.text
            rows = list(csv.DictReader(io.StringIO(response.text)))
            counted = ("seeking", "unplaced", "places", "free", "placed_", "gaining", "losing", "students_")
            counts = [v for row in rows for k, v in row.items() if k.startswith(counted)]
            assert "<5" in counts, name  # tiny has small groups: the test would pass vacuously otherwise
            assert not [v for v in counts if v != "<5" and 0 < abs(float(v)) < 5], name
        adviser = json.loads(w.client.get(f"/jobs/{job['id']}/files/summary.json", headers=w.headers("adviser")).text)
        summary = json.loads(w.client.get(f"/jobs/{job['id']}/files/summary.json", headers=w.headers("planner")).text)
        counted = ("placed", "unplaced", "placed_change_vs_baseline", "students_gaining", "students_losing",
                   "unplaced_by_first_period")

        def numbers(scenarios):  # every count (or mean, bound, change of one) of students, as it is written
            def walk(value):
                return [x for v in value.values() for x in walk(v)] if isinstance(value, dict) else [value]
            return [x for scenario in scenarios for key in counted for x in walk(scenario[key])]

        assert [v for v in numbers(adviser["scenarios"]) if 0 < abs(v) < 5]  # small ones exist: not vacuous
        shown = numbers(summary["scenarios"])
        assert "<5" in shown and not [v for v in shown if v != "<5" and 0 < abs(v) < 5]
