"""Result.write replaces an earlier result whole and only when told to, never a
folder with other files in it, and leaves nothing half-written when it fails."""


import pytest

from matcher import read_instance, solve
from tests.support.paths import TINY


def test_foreign_file_is_refused_and_kept(tmp_path):
    out = tmp_path / "result"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = solve(read_instance(TINY))
    with pytest.raises(FileExistsError, match="notes.txt"):
        result.write(out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_earlier_result_is_replaced_only_with_overwrite(tmp_path):
    out = tmp_path / "result"
    result = solve(read_instance(TINY))
    result.write(out)
    first = (out / "placements.csv").read_bytes()
    with pytest.raises(FileExistsError, match="not empty"):
        result.write(out)
    result.write(out, overwrite=True)
    assert (out / "placements.csv").read_bytes() == first


def test_failed_write_leaves_nothing(tmp_path):
    out = tmp_path / "result"
    result = solve(read_instance(TINY))
    result.summary["unserialisable"] = object()
    with pytest.raises(TypeError):
        result.write(out)
    assert list(tmp_path.iterdir()) == []
