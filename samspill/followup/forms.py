from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.followup.models import CheckIn, FollowUpStep, HoursEntry, TrainingItem


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", attrs={"class": "ds-input"}, **kwargs)


def _not_in_future(value: date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(_("Datoen kan ikke være fram i tid."))


class DayForm(forms.Form):
    """One date, for "asked for", "seen" and "completed"."""

    day = forms.DateField(label=_("Dato"), widget=DateInput(), validators=[_not_in_future])


class HoursForm(forms.ModelForm):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("Organisasjon"), widget=forms.Select(attrs={"class": "ds-input"})
    )
    opportunity: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Oppdrag"),
        widget=forms.Select(attrs={"class": "ds-input"}),
    )

    class Meta:
        model = HoursEntry
        fields = ["organisation", "opportunity", "date", "hours", "description"]
        widgets = {
            "date": DateInput(),
            "hours": forms.NumberInput(attrs={"class": "ds-input", "step": "0.25", "min": "0.25", "max": "24"}),
            "description": forms.TextInput(attrs={"class": "ds-input"}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from samspill.followup.querysets import loggable_opportunities, loggable_organisations

        organisation_field: Any = self.fields["organisation"]
        organisation_field.queryset = loggable_organisations(user)
        opportunity_field: Any = self.fields["opportunity"]
        opportunity_field.queryset = loggable_opportunities(user).select_related("organisation")
        opportunity_field.label_from_instance = lambda o: f"{o.title} ({o.organisation.name})"
        self.fields["date"].validators.append(_not_in_future)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opportunity, organisation = data.get("opportunity"), data.get("organisation")
        if opportunity and organisation and opportunity.organisation_id != organisation.pk:
            self.add_error("opportunity", _("Oppdraget hører til en annen organisasjon."))
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=500,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
        help_text=_("Den frivillige ser begrunnelsen."),
    )


class DeclarationForm(forms.Form):
    text = forms.CharField(
        label=_("Tekst"),
        max_length=20000,
        widget=forms.Textarea(attrs={"class": "ds-textarea", "rows": 10}),
        help_text=_("Lagres som en ny versjon. Tidligere versjoner og signaturer blir stående."),
    )


class TrainingItemForm(forms.ModelForm):
    class Meta:
        model = TrainingItem
        fields = ["title", "description", "required"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "ds-input"}),
            "description": forms.Textarea(attrs={"class": "ds-textarea", "rows": 3}),
            "required": forms.CheckboxInput(attrs={"class": "ds-input"}),
        }


class StepForm(forms.ModelForm):
    class Meta:
        model = FollowUpStep
        fields = ["name", "days_after_start", "repeat_months"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "ds-input"}),
            "days_after_start": forms.NumberInput(attrs={"class": "ds-input", "min": "0"}),
            "repeat_months": forms.NumberInput(attrs={"class": "ds-input", "min": "1"}),
        }


StepFormSet = forms.modelformset_factory(FollowUpStep, form=StepForm, extra=1, can_delete=True, max_num=12)


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(
        label=_("Notat fra samtalen"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "ds-textarea", "rows": 3}),
    )


class CheckInForm(forms.ModelForm):
    satisfaction = forms.TypedChoiceField(
        label=_("Hvor fornøyd er du med å være frivillig hos oss?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 er svært misfornøyd, 5 er svært fornøyd."),
    )

    class Meta:
        model = CheckIn
        fields = ["satisfaction", "wish", "comment"]
        widgets = {
            "wish": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"class": "ds-textarea", "rows": 4}),
        }
        labels = {"wish": _("Hva ønsker du framover?"), "comment": _("Noe du vil si til oss?")}
