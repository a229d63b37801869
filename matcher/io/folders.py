"""Output folders and files written all at once: complete, or not at all, and never over
anything without ``overwrite`` (SPEC v2, "Outputs safe to open").

Every command checks its outputs with :func:`check_output_folder` or
:func:`check_output_file` before its work, so a refusal costs nothing, and the
writers check again when they move the finished output into place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
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


def _check_ancestor(path: Path) -> None:
    """Refuse a ``path`` whose nearest existing ancestor is a file, or a folder one may not write in."""
    ancestor = path.absolute().parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise FileExistsError(f"{ancestor} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise FileExistsError(f"cannot write in {ancestor}: no permission")


def check_output_folder(out: Path, ours: tuple[str, ...], what: str, *, overwrite: bool) -> None:
    """Refuse to write the ``what`` folder ``out`` over anything that should stay.

    A missing or empty folder is fine. A non-empty one is replaced only with
    ``overwrite``, and even then only when it holds nothing but files named in
    ``ours`` (an earlier ``what``), so an instance or someone's own files are
    never removed.

    Raises
    ------
    FileExistsError
        Saying why, and what to do instead.
    """
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            raise FileExistsError(f"{out} exists and is not a folder; choose a folder for the {what}")
        if any(out.iterdir()):
            refuse_foreign(out, ours, what)
            if not overwrite:
                raise FileExistsError(
                    f"{out} already holds a stagematch {what} and is not empty; choose another "
                    f"folder, or replace the earlier {what} with --overwrite"
                )
    else:
        _check_ancestor(out)


def check_output_file(path: Path, *, overwrite: bool, inputs: Iterable[Path] = ()) -> None:
    """Refuse to write the file ``path`` over an input, a folder, or (without ``overwrite``) a file.

    Parameters
    ----------
    path
        The file to write.
    overwrite
        Whether an existing file (not an input) may be replaced.
    inputs
        Files and folders the command reads: ``path`` may be none of them, nor
        lie inside one of the folders, whatever ``overwrite`` says.

    Raises
    ------
    FileExistsError
        Saying why.
    """
    target = path.resolve()
    for source in inputs:
        source = Path(source).resolve()
        if target == source or (source.is_dir() and source in target.parents):
            raise FileExistsError(f"{path} is one of this command's inputs ({source}); "
                                  "write the output somewhere else")
    if path.is_dir():
        raise FileExistsError(f"{path} is a folder; give a file name such as {path / 'shortlists.csv'}")
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} already exists; choose another name, or replace it with --overwrite")
    _check_ancestor(path)


def write_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then move it into place.

    A failure leaves ``path`` as it was, and no partial file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
    return path


def replace_folder(out: Path, files: dict[str, bytes], ours: tuple[str, ...], what: str, *,
                   overwrite: bool = False) -> list[Path]:
    """Write ``files`` into a temporary folder beside ``out``, then move it into place.

    A failure leaves ``out`` as it was. An existing non-empty ``out`` is
    replaced only with ``overwrite`` and when it holds nothing but files named
    in ``ours`` (an earlier ``what``); see :func:`check_output_folder`.

    Returns
    -------
    list of Path
        The files written.
    """
    check_output_folder(out, ours, what, overwrite=overwrite)
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
