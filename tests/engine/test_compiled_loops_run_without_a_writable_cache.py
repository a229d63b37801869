"""numba's ``cache=True`` refused at import time when no cache location was writable (``RuntimeError:
cannot cache function '_label_correcting': no locator available``), so a locked-down install could not
even start. `matcher.engine.compiled` then compiles in each process instead.

Reproduced for real: numba is told to look only in ``NUMBA_CACHE_DIR``, a folder that cannot exist (its
parent is a file), so no locator can write a cache, root or not.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """
import numpy as np
import matcher.engine.augmenting, matcher.engine.certificate, matcher.engine.successive_paths  # noqa: F401
import matcher.plan.calendar  # noqa: F401
from matcher.engine.warm_flow import WarmMaxFlow

tails, heads = np.array([0, 0, 1, 2], dtype=np.int32), np.array([1, 2, 3, 3], dtype=np.int32)
capacities, flows = np.array([1, 0, 1, 1]), np.array([1, 0, 1, 0], dtype=np.int32)
warm = WarmMaxFlow(tails, heads, 4)
print(warm.update(capacities, flows, 0, 3, np.ones(4, dtype=bool), np.array([1]), np.array([1])), flows.tolist())
"""


def test_the_compiled_loops_import_and_run_where_no_cache_can_be_written(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    env = dict(os.environ, NUMBA_CACHE_LOCATOR_CLASSES="UserProvidedCacheLocator",
               NUMBA_CACHE_DIR=str(blocker / "numba"), PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[0] == "1 [1, 1, 1, 1]"
