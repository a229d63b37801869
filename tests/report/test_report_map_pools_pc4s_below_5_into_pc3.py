"""The map never draws a PC4 with fewer than 5 unplaced students: such PC4s are pooled per PC3
and a pool is drawn only when it holds at least 5."""

import numpy as np
import pandas as pd

from matcher.geo.tables import pc4_table
from matcher.report.facts import MatchFacts
from matcher.report.pc4map import map_points, unplaced_and_free_map
from matcher.report.texts import Words


def _facts(unplaced_per_pc4: dict[int, int], placed_pc4: int = 3511) -> MatchFacts:
    homes = np.repeat(list(unplaced_per_pc4), list(unplaced_per_pc4.values()))
    students = pd.DataFrame({
        "home_pc4": np.r_[homes, [placed_pc4] * 3],
        "placed": np.r_[np.zeros(len(homes), bool), np.ones(3, bool)],
    })
    vacancies = pd.DataFrame({"pc4": [3584, 3584, 3431], "places_free": [2, 1, 0]})
    return MatchFacts(students, vacancies, pd.DataFrame(), pd.DataFrame(), ("year",))


def test_small_pc4s_are_pooled_per_pc3_and_small_pools_left_out():
    # PC3 351: 7 (drawn alone) + 3 + 2 (pooled: 5, drawn); PC3 358: 4 (pool of 4: not drawn).
    points = map_points(_facts({3511: 7, 3512: 3, 3513: 2, 3581: 4}))
    table = pc4_table()
    unplaced = points.unplaced.sort_values("count").reset_index(drop=True)
    assert list(unplaced["count"]) == [5, 7]
    assert list(unplaced["level"]) == ["PC3", "PC4"]
    assert (points.unplaced["count"] >= 5).all()
    # The PC4 drawn alone sits on its centre; the pool on its PC3's centre, not on a PC4's.
    assert unplaced.at[1, "lat"] == table.at["3511", "lat"]
    pc3 = table[table.index.str.startswith("351")]
    assert np.isclose(unplaced.at[0, "lat"], pc3["lat"].mean())
    assert not np.isclose(table.loc[["3512", "3513"], "lat"], unplaced.at[0, "lat"]).any()
    assert points.unplaced_not_drawn == 4


def test_free_places_are_summed_per_workplace_pc4():
    points = map_points(_facts({3511: 5}))
    assert list(points.free["count"]) == [3]          # 2 + 1 at 3584; 3431 has none free
    assert len(points.background) > 10                  # the area's PC4 centres


def test_caption_says_small_pc4s_are_pooled():
    figure = unplaced_and_free_map(_facts({3511: 7, 3512: 3, 3513: 2, 3581: 4}), Words("en"))
    assert "PC3" in figure.caption and "fewer than 5" in figure.caption
    assert "<5 unplaced students in smaller pools are not drawn" in figure.caption
    dutch = unplaced_and_free_map(_facts({3511: 7, 3512: 3, 3513: 2, 3581: 4})).caption
    assert "minder dan 5" in dutch and "<5 niet geplaatste studenten in kleinere groepen" in dutch
    assert figure.png.startswith(b"\x89PNG")
