"""Output folders written all at once: complete, or not at all."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def refuse_foreign(out: Path, ours: tuple[str, ...], what: str) -> None:
    """Refuse an existing ``out`` that is not a folder or holds files not named in ``ours``.

    Raises
    ------
    FileExistsError
        Naming up to three of the foreign files.
    """
    if not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder")
    foreign = sorted(p.name for p in out.iterdir() if p.name not in ours)
    if foreign:
        raise FileExistsError(
            f"{out} holds files that are not a stagematch {what} ({', '.join(foreign[:3])}); "
            "choose an empty folder"
        )


def replace_folder(out: Path, files: dict[str, bytes], ours: tuple[str, ...], what: str) -> list[Path]:
    """Write ``files`` into a temporary folder beside ``out``, then move it into place.

    A failure leaves ``out`` as it was. An existing ``out`` is replaced only
    when it holds nothing but files named in ``ours`` (an earlier ``what``).

    Returns
    -------
    list of Path
        The files written.
    """
    if out.exists():
        refuse_foreign(out, ours, what)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / name for name in files]
