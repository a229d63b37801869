"""The report's words exist in Dutch and English for the same keys, with the same
placeholders; numbers are written the way each language writes them."""

import pytest

from matcher.engine.reasons import REASONS
from matcher.errors import InputError
from matcher.report.texts import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    TEXTS,
    Words,
    checked_language,
    placeholders,
)


def test_same_keys_and_placeholders_in_every_language():
    assert set(TEXTS) == set(LANGUAGES) and DEFAULT_LANGUAGE == "nl"
    keys = set(TEXTS["en"])
    for lang in LANGUAGES:
        assert set(TEXTS[lang]) == keys, lang
        for key in keys:
            assert placeholders(TEXTS[lang][key]) == placeholders(TEXTS["en"][key]), (lang, key)
            assert TEXTS[lang][key].strip(), (lang, key)


def test_every_reason_code_is_explained():
    for lang in LANGUAGES:
        for reason in REASONS:
            assert f"reason.{reason}" in TEXTS[lang], (lang, reason)


def test_numbers_are_written_the_readers_way():
    assert Words("nl").number(12345) == "12.345" and Words("nl").number(83.45) == "83,5"
    assert Words("en").number(12345) == "12,345" and Words("en").number(83.45) == "83.5"
    assert Words("nl").number(1234.5, 0) == "1.234" or Words("nl").number(1234.5, 0) == "1.235"


def test_an_unknown_language_is_an_input_error():
    with pytest.raises(InputError, match="unknown language"):
        checked_language("de")
