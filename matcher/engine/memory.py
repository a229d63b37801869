"""How much memory a run may plan for, so that a model too large is refused before it is built.

The limit is the memory available now (Linux ``MemAvailable``, lowered by a
cgroup's limit when the process runs in one; else the free physical pages),
or the value of the environment variable :data:`MEMORY_LIMIT_ENV` when set:
bytes, or a number with ``K``, ``M`` or ``G`` (powers of 1024), e.g. ``8G``.
The limit only decides whether to refuse; it never changes a result.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from matcher.errors import InputError

MEMORY_LIMIT_ENV = "STAGEMATCH_MEMORY_LIMIT"
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def _meminfo_available() -> int | None:
    try:
        text = Path("/proc/meminfo").read_text(encoding="ascii")
    except OSError:
        return None
    found = re.search(r"^MemAvailable:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) * 1024 if found else None


def _cgroup_room() -> int | None:
    """What the cgroup (v2) still allows, when it sets a limit."""
    root = Path("/sys/fs/cgroup")
    try:
        limit = (root / "memory.max").read_text(encoding="ascii").strip()
        current = int((root / "memory.current").read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    return max(int(limit) - current, 0) if limit.isdigit() else None


def _physical_available() -> int | None:
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def parse_size(text: str) -> int:
    """Bytes of a size such as ``1000``, ``512K``, ``8G`` or ``1.5G``.

    Raises
    ------
    InputError
        When ``text`` is not a size.
    """
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*", text, re.IGNORECASE)
    if not found:
        raise InputError(f"{MEMORY_LIMIT_ENV}={text!r} is not a size: give bytes, or a number with K, M "
                         "or G, e.g. 8G")
    return int(float(found.group(1)) * _UNITS[found.group(2).upper()])


def memory_limit() -> tuple[int | None, str]:
    """The bytes a run may plan for, and where that number comes from.

    Returns
    -------
    limit, source
        ``None`` when it cannot be told (then nothing is refused); ``source``
        says in words where the limit comes from, for messages.
    """
    given = os.environ.get(MEMORY_LIMIT_ENV)
    if given is not None:
        return parse_size(given), f"the limit {MEMORY_LIMIT_ENV} sets"
    known = [m for m in (_meminfo_available(), _cgroup_room()) if m is not None]
    if not known:
        physical = _physical_available()
        known = [physical] if physical is not None else []
    if not known:
        return None, "unknown"
    return min(known), "the memory available now"


def format_bytes(n: float) -> str:
    """``n`` bytes for a message, in the units :func:`parse_size` reads: ``1.2 KiB``, ``26.0 GiB``."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"
    return f"{n:,.0f} bytes"
