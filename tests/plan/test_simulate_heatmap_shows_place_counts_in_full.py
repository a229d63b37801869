"""The simulation's demand/capacity heatmap writes counts of places in full: places are not
personal data. Only counts of 1-4 students show as <5."""

import matplotlib.axes

from matcher.io.scenario_file import read_scenario_file
from matcher.plan.executors import LocalExecutor
from matcher.plan.plots import demand_capacity_heatmap
from matcher.plan.simulate import Simulation, simulate
from models import Policy
from tests.support.simulate_fixtures import crowded_instance


def test_two_places_show_as_2_and_seven_students_as_7(monkeypatch, tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text('[[scenario]]\nname = "one more in P2"\n[[scenario.places]]\nperiod = "P2"\n'
                        'change = 1\n', encoding="utf-8")
    simulation = Simulation(crowded_instance(), Policy(), read_scenario_file(scenario), certificate=False)
    with LocalExecutor(1) as pool:
        result = simulate(simulation, 1, pool)
    labels = []
    original = matplotlib.axes.Axes.text

    def record(self, x, y, s, *args, **kwargs):
        labels.append(s)
        return original(self, x, y, s, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "text", record)
    demand_capacity_heatmap(result)
    # P1: 7 students seeking, 2 places (was "7 / <5"); P2: 0 seeking, 6 places.
    assert "7 / 2" in labels and "0 / 6" in labels
