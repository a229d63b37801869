"""A map of unplaced students and free places by postcode area (PC4), without map tiles.

Points are PC4 centres from the vendored table (GeoNames, CC BY 4.0); every
PC4 centre of the area is drawn faintly behind them, so the dots read as a
map, with the largest towns named, and behind those the approximate borders
of the labour-market regions and of the country (:mod:`matcher.geo.outlines`).

Privacy: a PC4 with fewer than 5 unplaced students is never drawn on its own.
Such PC4s are pooled per PC3 (the first three digits) and a pool is drawn, at
the centre of its PC3's PC4 centres, only when it holds at least 5 students.
Free places are company data and are drawn per PC4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from matcher.geo.outlines import CELL_KM, region_borders
from matcher.geo.tables import pc4_table, places
from matcher.report.facts import MatchFacts
from matcher.report.plots import PLACED_COLOUR, UNPLACED_COLOUR, ReportFigure, new_figure, png_bytes, report_style
from matcher.report.privacy import SMALL, SMALL_CELL
from matcher.report.texts import Words

MARGIN_DEG = 0.04
TOWNS_NAMED = 8
# Marker areas (points²) of each series' largest count. Free places are drawn a little larger:
# they often share a PC4 with unplaced students, whose dots are drawn on top.
LARGEST_UNPLACED_PT2 = 350.0
LARGEST_FREE_PT2 = 600.0
BORDER_COLOUR = "#a0aec0"


@dataclass(frozen=True, eq=False)
class MapPoints:
    """What the map draws.

    Attributes
    ----------
    unplaced
        lat, lon, count, level (``"PC4"`` or ``"PC3"``): unplaced students by home area,
        every count at least 5.
    free
        lat, lon, count: places left free by workplace PC4 (summed over periods).
    background
        lat, lon of every PC4 centre in the area.
    unplaced_not_drawn
        Unplaced students in PC3 pools of fewer than 5.
    """

    unplaced: pd.DataFrame
    free: pd.DataFrame
    background: pd.DataFrame
    unplaced_not_drawn: int


def _pc3_centres() -> pd.DataFrame:
    """Centre (mean of its PC4 centres) of every PC3."""
    table = pc4_table()
    return table[["lat", "lon"]].groupby(table.index.str[:3]).mean()


def map_points(facts: MatchFacts) -> MapPoints:
    """Count unplaced students and free places per area, pooling small PC4s into PC3s.

    Parameters
    ----------
    facts
        The joined match (:func:`matcher.report.facts.collect_facts`).
    """
    table = pc4_table()
    students = facts.students
    home = students.loc[~students["placed"], "home_pc4"].astype(str)
    per_pc4 = home.value_counts().sort_index()
    shown = per_pc4[per_pc4 >= SMALL]
    pooled = per_pc4[per_pc4 < SMALL]
    per_pc3 = pooled.groupby(pooled.index.str[:3]).sum().sort_index()
    pc3_shown = per_pc3[per_pc3 >= SMALL]
    pc3_centres = _pc3_centres().reindex(pc3_shown.index)
    unplaced = pd.concat([
        pd.DataFrame({"lat": table["lat"].reindex(shown.index).to_numpy(),
                      "lon": table["lon"].reindex(shown.index).to_numpy(),
                      "count": shown.to_numpy(), "level": "PC4"}),
        pd.DataFrame({"lat": pc3_centres["lat"].to_numpy(), "lon": pc3_centres["lon"].to_numpy(),
                      "count": pc3_shown.to_numpy(), "level": "PC3"}),
    ], ignore_index=True)

    vacancies = facts.vacancies
    free_pc4 = vacancies.loc[vacancies["places_free"] > 0].groupby("pc4")["places_free"].sum()
    free_codes = free_pc4.index.astype(str)
    free = pd.DataFrame({"lat": table["lat"].reindex(free_codes).to_numpy(),
                         "lon": table["lon"].reindex(free_codes).to_numpy(),
                         "count": free_pc4.to_numpy()})

    # The area: every home and workplace of the instance, with a margin.
    codes = np.union1d(students["home_pc4"].to_numpy(), vacancies["pc4"].to_numpy()).astype(str)
    area = table.reindex(codes)
    lat_range = (area["lat"].min() - MARGIN_DEG, area["lat"].max() + MARGIN_DEG)
    lon_range = (area["lon"].min() - MARGIN_DEG, area["lon"].max() + MARGIN_DEG)
    inside = table["lat"].between(*lat_range) & table["lon"].between(*lon_range)
    background = table.loc[inside, ["lat", "lon"]].reset_index(drop=True)
    return MapPoints(unplaced, free, background, int(per_pc3[per_pc3 < SMALL].sum()))


def _towns(lat_range, lon_range) -> pd.DataFrame:
    """The largest towns inside the area, for orientation."""
    towns = places()
    inside = towns["lat"].between(*lat_range) & towns["lon"].between(*lon_range)
    return towns.loc[inside].sort_values(["population", "name"], ascending=[False, True]).head(TOWNS_NAMED)


def unplaced_and_free_map(facts: MatchFacts, words: Words | None = None) -> ReportFigure:
    """The map as a figure, its words in ``words`` (default Dutch)."""
    words = words or Words()
    points = map_points(facts)
    background = points.background
    # Each series has its own size scale: free places often outnumber unplaced students
    # many times over, and one scale would shrink the students to specks.
    largest_unplaced, largest_free = _largest(points.unplaced), _largest(points.free)
    unplaced_scale = LARGEST_UNPLACED_PT2 / largest_unplaced
    free_scale = LARGEST_FREE_PT2 / largest_free
    with report_style():
        figure = new_figure(8.5, 8.0)
        axes = figure.add_subplot()
        axes.scatter(background["lon"], background["lat"], s=4, color=BORDER_COLOUR, linewidths=0)
        lat_range = (background["lat"].min(), background["lat"].max())
        lon_range = (background["lon"].min(), background["lon"].max())
        axes.scatter(points.free["lon"], points.free["lat"], s=points.free["count"] * free_scale,
                     color=PLACED_COLOUR, alpha=0.35, linewidths=0.5, edgecolors="white")
        pc4, pc3 = (points.unplaced[points.unplaced["level"] == lv] for lv in ("PC4", "PC3"))
        axes.scatter(pc4["lon"], pc4["lat"], s=pc4["count"] * unplaced_scale, color=UNPLACED_COLOUR,
                     alpha=0.65, linewidths=0.5, edgecolors="white")
        axes.scatter(pc3["lon"], pc3["lat"], s=pc3["count"] * unplaced_scale, facecolors="none",
                     edgecolors=UNPLACED_COLOUR, linewidths=1.2)
        halo = [patheffects.withStroke(linewidth=3, foreground="white")]
        for town in _towns(lat_range, lon_range).itertuples():
            axes.annotate(town.name, (town.lon, town.lat), fontsize=8, color="#1a202c", ha="center",
                          va="bottom", xytext=(0, 5), textcoords="offset points", path_effects=halo,
                          zorder=5)
        # The borders are cut to the frame the dots gave the axes, and leave that frame as it is.
        x_limits, y_limits = axes.get_xlim(), axes.get_ylim()
        borders = region_borders(y_limits, x_limits)
        axes.add_collection(LineCollection(borders.reshape(-1, 2, 2), colors=BORDER_COLOUR, linewidths=0.6,
                                           zorder=0.5), autolim=False)
        axes.set_xlim(x_limits)
        axes.set_ylim(y_limits)
        mid_lat = float(np.mean(lat_range)) if len(background) else 52.0
        # Degrees of longitude are shorter than degrees of latitude by cos(latitude).
        axes.set_aspect(1.0 / np.cos(np.radians(mid_lat)))
        axes.set_xlabel(words("map.longitude"))
        axes.set_ylabel(words("map.latitude"))
        axes.set_title(words("map.title"), loc="left")
        unplaced_ref, free_ref = _nice_reference(largest_unplaced), _nice_reference(largest_free)
        handles = [
            Line2D([], [], marker="o", linestyle="", color=UNPLACED_COLOUR, alpha=0.65,
                   markersize=float(np.sqrt(unplaced_ref * unplaced_scale)),
                   label=words("map.legend_pc4", n=words.number(unplaced_ref))),
            Line2D([], [], marker="o", linestyle="", markerfacecolor="none",
                   markeredgecolor=UNPLACED_COLOUR, markersize=float(np.sqrt(unplaced_ref * unplaced_scale)),
                   label=words("map.legend_pc3", n=words.number(unplaced_ref))),
            Line2D([], [], marker="o", linestyle="", color=PLACED_COLOUR, alpha=0.35,
                   markersize=float(np.sqrt(free_ref * free_scale)),
                   label=words("map.legend_free", n=words.number(free_ref))),
            Line2D([], [], color=BORDER_COLOUR, linewidth=0.6, label=words("map.legend_borders")),
        ]
        axes.legend(handles=handles, loc="upper left", fontsize=8, framealpha=0.9,
                    labelspacing=1.5, borderpad=0.9, handletextpad=1.2)
        png = png_bytes(figure)
    hidden = points.unplaced_not_drawn
    hidden_text = SMALL_CELL if 0 < hidden < SMALL else words.number(hidden)
    cell = words.number(CELL_KM, decimals=0 if float(CELL_KM).is_integer() else 1)
    caption = words("map.caption", small=SMALL, hidden=hidden_text, cell=cell)
    return ReportFigure("map-unplaced-free", words("map.figure"), caption, png)


def _largest(points: pd.DataFrame) -> int:
    """The largest count of a series (1 when it is empty)."""
    return max(int(points["count"].max()), 1) if len(points) else 1


def _nice_reference(largest: int) -> int:
    """A round count near half the largest, for the size legend."""
    target = max(largest / 2, 1)
    magnitude = 10 ** int(np.floor(np.log10(target)))
    return int(max(1, min((1, 2, 5, 10), key=lambda m: abs(m * magnitude - target)) * magnitude))
