"""report.html renders in headless Chromium: the screenshot is not blank and the rendered DOM
has every table (by id and caption) and every chart.

Chromium is the Debian package (``apt-get install chromium``). Without it the test skips,
unless STAGEMATCH_REQUIRE_BROWSER=1 (as in CI), where it fails.
"""

import os
import subprocess

import numpy as np
import pytest
from matplotlib import image

from tests.support.browser import require_chromium

TABLES = {
    "summary": "The match at a glance",
    "shortage-sector": "Shortages by sector",
    "shortage-region": "Shortages by region",
    "shortage-level": "Shortages by level",
    "shortage-crebo": "Shortages by crebo",
    "places-period": "Places by period",
    "unplaced-reason": "Unplaced students by reason",
    "equity-level": "Equity by level",
    "equity-school": "Equity by school",
    "price-priority": "The price of priority",
}
FIGURES = ("plot-rate-sector", "plot-rate-level", "plot-unplaced-reason", "map-unplaced-free")


@pytest.fixture
def chromium():
    return require_chromium("to render the report")


def _run_chromium(chromium, tmp_path, *args):
    command = [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180,
                          env=dict(os.environ, HOME=str(tmp_path)))


def test_screenshot_is_not_blank(chromium, am13_report, tmp_path):
    screenshot = tmp_path / "report.png"
    url = (am13_report.report_dir / "report.html").resolve().as_uri()
    done = _run_chromium(chromium, tmp_path, f"--screenshot={screenshot}", "--window-size=1280,4000", url)
    assert screenshot.is_file(), done.stderr[-2000:]
    pixels = image.imread(screenshot)
    assert pixels.shape[:2] == (4000, 1280)
    colours = np.unique((pixels[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 50       # text, table stripes, the charts' colours
    # Not one colour with specks: a good part of the page differs from the background.
    background = np.median(pixels[..., :3].reshape(-1, 3), axis=0)
    assert (np.abs(pixels[..., :3] - background).sum(axis=-1) > 0.1).mean() > 0.02


def test_rendered_dom_has_every_table_and_chart(chromium, am13_report, tmp_path):
    url = (am13_report.report_dir / "report.html").resolve().as_uri()
    done = _run_chromium(chromium, tmp_path, "--dump-dom", url)
    dom = done.stdout
    assert "<body" in dom, done.stderr[-2000:]
    for table_id, caption in TABLES.items():
        assert f'<table id="{table_id}">' in dom, table_id
        assert f"<caption>{caption}</caption>" in dom, caption
    for figure_id in FIGURES:
        assert f'<figure id="{figure_id}">' in dom, figure_id
    assert dom.count('src="data:image/png;base64,') == len(FIGURES)
