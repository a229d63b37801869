"""policy.toml numbers outside a plausible range (an Earth radius of -1 km, a
speed of 1e-300 km/h, NaN) are refused, naming the key and the allowed range."""

import pytest

from matcher.io import read_policy
from tests.support.policy_errors import policy_error


@pytest.mark.parametrize("value", ["-1", "0", "1e300", "6371000", "nan", "inf"])
def test_earth_radius_out_of_range(tmp_path, value):
    error = policy_error(tmp_path, f"[travel]\nearth_radius_km = {value}\n")
    assert error.column == "travel.earth_radius_km"
    assert "from 6350 to 6400" in error.message


@pytest.mark.parametrize("value", ["6356.752", "6371", "6378.137"])
def test_the_radii_in_use_are_accepted(tmp_path, value):
    path = tmp_path / "policy.toml"
    path.write_text(f"[travel]\nearth_radius_km = {value}\n", encoding="utf-8")
    assert read_policy(path).travel.earth_radius_km == float(value)


@pytest.mark.parametrize(
    ("text", "column", "says"),
    [
        ("[travel.bike]\nbase_min = 0\nkm_per_hour = 1e-300\n", "travel.bike.km_per_hour",
         "from 1 to 200"),
        ("[travel.car]\nbase_min = 5\nkm_per_hour = inf\n", "travel.car.km_per_hour",
         "from 1 to 200"),
        ("[travel.car]\nbase_min = nan\nkm_per_hour = 50\n", "travel.car.base_min",
         "from 0 to 120"),
        ("[travel]\ndetour_factor = inf\n", "travel.detour_factor", "from 1 to 5"),
        ("[travel]\ndefault_max_min = 0\n", "travel.default_max_min", "from 1 to 600"),
        ("[costs]\ntravel_minute = -1\n", "costs.travel_minute", "from 0 to 1000"),
        ("[weights]\npriority = 0\n", "weights.priority", "from 1 to 1000"),
    ],
)
def test_other_numbers_out_of_range(tmp_path, text, column, says):
    error = policy_error(tmp_path, text)
    assert error.column == column
    assert says in error.message, str(error)
