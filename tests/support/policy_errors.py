"""The InputError a policy.toml text gets, for the policy tests."""

from __future__ import annotations

import pytest

from matcher.errors import InputError
from matcher.io import read_policy


def policy_error(tmp_path, text: str) -> InputError:
    """Write ``text`` as policy.toml, read it, and return the InputError it must raise (naming the file)."""
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_policy(path)
    assert caught.value.file == "policy.toml"
    return caught.value
