"""Generated regions written as instance folders, for tests that run commands on them."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher.generator.synth import generate_instance
from matcher.io import write_instance
from models import Instance


def written_region(tmp_path_factory: pytest.TempPathFactory, name: str, students: int,
                   seed: int) -> tuple[Path, Instance]:
    """An AM13 instance of ``students`` students (seed ``seed``) in a fresh folder, and the instance."""
    folder = tmp_path_factory.mktemp(name) / "am13"
    instance = generate_instance(region="AM13", students=students, seed=seed)
    write_instance(instance, folder)
    return folder, instance
