"""Files of the repository that tests read: the bundled instances and the README."""

from pathlib import Path

REPO = Path(__file__).parents[2]
TINY = REPO / "instances" / "tiny"
DEMO = REPO / "instances" / "demo"
README = REPO / "README.md"
