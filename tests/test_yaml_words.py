"""`reads_as_itself`: text that parse.py takes without YAML and the importer writes without quotes."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.vocab.yaml_words import reads_as_itself


@pytest.mark.parametrize("value", ["Dmitry Peskov", "Kremlin spokesman", "Fox News Digital", "O'Brien", "U.S.",
                                   "Thursday", "call-took-place"])
def test_plain_text_reads_as_itself(value: str) -> None:
    assert reads_as_itself(value)
    assert yaml.safe_load(value) == value


@pytest.mark.parametrize("value", ["yes", "No", "on", "null", "Y", "2024-11-11", "12", "a: b", "a #b", "-x",
                                   "\"q\"", "[a]", "a  b", "a ", "Note:", "x\n"])
def test_other_text_does_not(value: str) -> None:
    assert not reads_as_itself(value)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ9 .,'’()/-_:#yesnoYNtrufl"), max_size=20))
def test_what_reads_as_itself_is_what_yaml_reads(value: str) -> None:
    if reads_as_itself(value):
        assert yaml.safe_load(value) == value
