import contextlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from samspill.organisations.validators import is_valid_org_number, normalise_org_number, validate_org_number

# Real organisation numbers from Enhetsregisteret.
REAL = ["974760673", "983887406", "971032146", "889640782", "923609016"]


@pytest.mark.parametrize("number", REAL)
def test_it_accepts_real_organisation_numbers(number):
    assert is_valid_org_number(number)
    validate_org_number(number)


@pytest.mark.parametrize("number", REAL)
def test_it_rejects_any_single_altered_digit(number):
    for position in range(9):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            altered = number[:position] + digit + number[position + 1 :]
            assert not is_valid_org_number(altered), altered


@pytest.mark.parametrize("value", ["12345678", "1234567890", "97476067a", "", "９７４７６０６７３"])
def test_it_rejects_wrong_formats_with_a_norwegian_message(value):
    with pytest.raises(ValidationError) as exc:
        validate_org_number(value)
    assert "9 siffer" in exc.value.messages[0]


def test_it_normalises_what_people_type():
    assert normalise_org_number("NO 974 760 673 MVA") == "974760673"
    assert normalise_org_number(" 974760673 ") == "974760673"


@given(st.text(max_size=12))
def test_validation_never_crashes(value):
    with contextlib.suppress(ValidationError):
        validate_org_number(value)
