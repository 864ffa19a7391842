from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Brønnøysundregistrene's weights for the MOD11 check digit of an organisation number.
_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def is_valid_org_number(value: str) -> bool:
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(value[:8], _WEIGHTS, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    # A remainder of 1 gives check digit 10: such numbers are never issued.
    return check != 10 and check == int(value[8])


def normalise_org_number(value: str) -> str:
    """Accept the forms people type: spaces and the "NO … MVA" wrapping are removed."""
    cleaned = value.upper().replace("MVA", "").replace("NO", "")
    return "".join(ch for ch in cleaned if not ch.isspace())


def validate_org_number(value: str) -> None:
    if not (len(value) == 9 and value.isascii() and value.isdigit()):
        raise ValidationError(_("Organisasjonsnummeret må bestå av 9 siffer."), code="format")
    if not is_valid_org_number(value):
        raise ValidationError(
            _("Organisasjonsnummeret er ikke gyldig. Kontroller at du har skrevet det riktig."), code="checksum"
        )
