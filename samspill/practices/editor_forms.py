"""The form editors and proposers write a practice in. It only validates; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation
from samspill.places.models import Municipality
from samspill.practices.models import Practice
from samspill.practices.services import proposable_municipalities
from samspill.taxonomy.models import FocusArea, TargetGroup, Theme

FIELDS = [
    "title",
    "summary",
    "what",
    "why",
    "for_whom",
    "how",
    "resources",
    "results",
    "lessons",
    "themes",
    "focus_areas",
    "target_groups",
    "municipalities",
    "organisations",
    "evidence_level",
    "contact_name",
    "contact_email",
    "contact_phone",
]


class PracticeForm(forms.ModelForm):
    """Write or edit a practice. ``limit_to_area`` narrows municipalities to the user's own area (proposers)."""

    class Meta:
        model = Practice
        fields = FIELDS
        labels = {
            "title": _("Tittel"),
            "summary": _("Sammendrag"),
            "what": _("Hva"),
            "why": _("Hvorfor"),
            "for_whom": _("For hvem"),
            "how": _("Slik gjennomføres det"),
            "resources": _("Ressurser"),
            "results": _("Resultater"),
            "lessons": _("Erfaringer og læring"),
            "themes": _("Innsatsområder"),
            "focus_areas": _("Fokusområder"),
            "target_groups": _("Målgrupper"),
            "municipalities": _("Kommuner"),
            "organisations": _("Organisasjoner som er med"),
            "evidence_level": _("Kunnskapsgrunnlag"),
            "contact_name": _("Kontaktperson"),
            "contact_email": _("E-post til kontaktpersonen"),
            "contact_phone": _("Telefon til kontaktpersonen"),
        }
        help_texts = {
            "summary": _("Et par setninger som vises i søkeresultatene."),
            "evidence_level": _("Beskrevet, målt med indikatorer, eller evaluert."),
            "municipalities": _("Hold Ctrl (Cmd på Mac) nede for å velge flere."),
            "organisations": _("Hold Ctrl (Cmd på Mac) nede for å velge flere."),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "themes": forms.CheckboxSelectMultiple,
            "focus_areas": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "municipalities": forms.SelectMultiple(attrs={"size": 8}),
            "organisations": forms.SelectMultiple(attrs={"size": 8}),
            "evidence_level": forms.RadioSelect,
        }

    def __init__(self, *args: Any, user: Any, limit_to_area: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(is_active=True)  # type: ignore[attr-defined]
        municipalities = proposable_municipalities(user) if limit_to_area else Municipality.objects.all()
        self.fields["municipalities"].queryset = municipalities.order_by("name_sort")  # type: ignore[attr-defined]
        self.fields["organisations"].queryset = Organisation.objects.order_by("name_sort")  # type: ignore[attr-defined]
        if limit_to_area:
            self.fields["municipalities"].required = True
            self.fields["municipalities"].help_text = _("Du kan foreslå eksempler fra kommunene du koordinerer.")
        self.fields["title"].error_messages["required"] = _("Skriv en tittel.")
        self.fields["summary"].error_messages["required"] = _("Skriv et kort sammendrag.")
        self.fields["municipalities"].error_messages.update(
            required=_("Velg minst én kommune."),
            invalid_choice=_("Du kan bare velge kommuner du koordinerer."),
        )
        self.fields["contact_email"].error_messages["invalid"] = _(
            "Skriv en gyldig e-postadresse, for eksempel navn@kommune.no."
        )
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("class", "ds-textarea")
            elif not isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                widget.attrs.setdefault("class", "ds-input")

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FIELDS if name in self.cleaned_data}
