"""Text that a spreadsheet would run as a formula is neutralised ("CSV injection")."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samspill.core.exports import FORMULA_STARTS, neutralise


@pytest.mark.parametrize("text", ["=1+1", "+47 912 34 567", "-2", "@SUM(A1)", "\tfane", "\rretur"])
def test_formula_starts_get_a_single_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Besøksvenner", "", "1=1", " =1", 42, None, 3.5])
def test_other_values_are_left_alone(value):
    assert neutralise(value) == value


@given(st.text())
def test_no_text_leaves_starting_like_a_formula(text):
    result = neutralise(text)
    assert not result.startswith(FORMULA_STARTS)
    assert result in (text, "'" + text)
    assert result.endswith(text)
