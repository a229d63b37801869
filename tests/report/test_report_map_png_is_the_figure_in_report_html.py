"""The report writes its map on its own as ``map.png`` (for the web pages): the very bytes of the
map figure in report.html, whose caption names the region borders approximate."""

from __future__ import annotations

import base64
import re

from matcher.report import REPORT_FILES
from matcher.report.texts import Words


def _map_figure(html: str) -> re.Match:
    found = re.search(r'<figure id="map-unplaced-free">\s*<img alt="[^"]*" src="data:image/png;base64,([^"]+)">'
                      r"\s*<figcaption>([^<]*)</figcaption>", html)
    assert found, "no map figure in report.html"
    return found


def test_map_png_is_the_map_in_report_html(am13_report):
    assert "map.png" in REPORT_FILES
    assert sorted(p.name for p in am13_report.report_dir.iterdir()) == sorted(REPORT_FILES)
    png = (am13_report.report_dir / "map.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert base64.b64decode(_map_figure(am13_report.html).group(1)) == png


def test_the_maps_caption_calls_the_borders_approximate(am13_report):
    caption = _map_figure(am13_report.html).group(2)
    assert "approximate borders of the labour-market regions" in caption
    assert "municipality borders" in caption and "1 km" in caption
    dutch = Words()
    assert "grenzen bij benadering" in dutch("map.caption", small=5, hidden="0", cell="1")
    assert "bij benadering" in dutch("map.legend_borders") and "approximate" in Words("en")("map.legend_borders")
