import sys
from pathlib import Path

# Tests import their helpers (builders, reference) as top-level modules.
sys.path.insert(0, str(Path(__file__).parent))
