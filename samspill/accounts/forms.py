from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.accounts.models import Profile
from samspill.places.models import PostalCode
from samspill.taxonomy.models import FocusArea

# Eight digits, optionally after +47 or 0047; spaces anywhere are ignored.
_PHONE_RE = re.compile(r"^(?:\+47|0047)?(\d{8})$")


def normalise_phone(raw: str) -> str | None:
    """The eight-digit Norwegian number in ``raw``, or None if it is not one."""
    match = _PHONE_RE.match(re.sub(r"\s+", "", raw))
    return match.group(1) if match else None


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        label=_("Telefon"),
        max_length=20,
        required=False,
        help_text=_("Norsk nummer med 8 siffer, gjerne med +47 foran."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    postal_code = forms.CharField(
        label=_("Postnummer"),
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Språk du snakker"),
        choices=Profile.Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests = forms.ModelMultipleChoiceField(
        label=_("Interesser"),
        queryset=FocusArea.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Hva du gjerne vil bidra med."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("name", "phone", "postal_code"):
            self.fields[name].widget.attrs["class"] = "ds-input"

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Skriv inn navnet ditt."))
        return name

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        number = normalise_phone(raw)
        if number is None:
            raise forms.ValidationError(
                _("Skriv et norsk telefonnummer med 8 siffer, for eksempel 912 34 567 eller +47 912 34 567.")
            )
        return number

    def clean_postal_code(self) -> PostalCode | None:
        raw = self.cleaned_data["postal_code"].strip()
        if not raw:
            return None
        if not re.fullmatch(r"\d{4}", raw):
            raise forms.ValidationError(_("Postnummeret har fire siffer."))
        postal_code = PostalCode.objects.filter(code=raw).first()
        if postal_code is None:
            raise forms.ValidationError(_("Fant ikke postnummeret. Sjekk at du har skrevet fire siffer riktig."))
        return postal_code


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Passordet ditt"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "ds-input"}),
        help_text=_("Vi spør om passordet for å være sikre på at det er du som sletter kontoen."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Passordet er feil."))
        return password
