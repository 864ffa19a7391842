"""Forms of measures. They validate; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.measures import periods
from samspill.measures.models import Indicator, Measure, MeasurePartner, PlanItem, Resource
from samspill.organisations.models import Organisation
from samspill.places.models import Municipality
from samspill.taxonomy.models import FocusArea, TargetGroup, Theme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MULTI_HELP = _("Hold Ctrl (Cmd på Mac) nede for å velge flere.")


def style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("class", "ds-textarea")
        elif not isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            widget.attrs.setdefault("class", "ds-input")


class MeasureForm(forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Eier"),
        queryset=Organisation.objects.none(),
        help_text=_("Organisasjonen som har ansvaret for tiltaket."),
    )

    class Meta:
        model = Measure
        fields = [
            "title",
            "description",
            "owner",
            "municipalities",
            "partnership",
            "themes",
            "focus_areas",
            "target_groups",
            "start_date",
            "end_date",
            "resources_text",
            "is_public",
        ]
        labels = {
            "title": _("Tittel"),
            "description": _("Beskrivelse"),
            "municipalities": _("Kommuner"),
            "partnership": _("Partnerskap"),
            "themes": _("Innsatsområder"),
            "focus_areas": _("Fokusområder"),
            "target_groups": _("Målgrupper"),
            "start_date": _("Startdato"),
            "end_date": _("Sluttdato"),
            "resources_text": _("Ressurser"),
            "is_public": _("Vis tiltaket for alle"),
        }
        help_texts = {"municipalities": MULTI_HELP}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "resources_text": forms.Textarea(attrs={"rows": 3}),
            "municipalities": forms.SelectMultiple(attrs={"size": 8}),
            "themes": forms.CheckboxSelectMultiple,
            "focus_areas": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "start_date": DATE,
            "end_date": DATE,
        }

    def __init__(self, *args: Any, user: Any, owners: Any = None, **kwargs: Any) -> None:
        from samspill.partnerships.models import Partnership

        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.visible_to(user).order_by("name")  # type: ignore[attr-defined]
        self.fields["partnership"].help_text = _("Hvis tiltaket hører til et partnerskap.")
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
            self.fields["owner"].error_messages["required"] = _("Velg organisasjonen som eier tiltaket.")
        self.fields["municipalities"].queryset = Municipality.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["themes"].queryset = Theme.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["title"].error_messages["required"] = _("Skriv en tittel.")
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Sluttdatoen kan ikke være før startdatoen."))
        return data

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "owner"}


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "kind",
            "name",
            "description",
            "unit",
            "direction",
            "period_type",
            "is_ratio",
            "numerator_label",
            "denominator_label",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "data_source",
            "responsible",
        ]
        labels = {
            "kind": _("Type indikator"),
            "name": _("Navn"),
            "description": _("Beskrivelse"),
            "unit": _("Enhet"),
            "direction": _("Retning"),
            "period_type": _("Rapporteres per"),
            "is_ratio": _("Regnes ut av teller og nevner"),
            "numerator_label": _("Teller (hva telles)"),
            "denominator_label": _("Nevner (av hvor mange)"),
            "baseline_value": _("Utgangspunkt"),
            "baseline_date": _("Dato for utgangspunkt"),
            "target_value": _("Målverdi"),
            "target_date": _("Dato for målverdi"),
            "data_source": _("Datakilde"),
            "responsible": _("Ansvarlig for rapportering"),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "baseline_date": DATE,
            "target_date": DATE,
        }

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        involved = [measure.owner_id, *measure.partners.values_list("organisation_id", flat=True)]
        self.fields["responsible"].queryset = Organisation.objects.filter(pk__in=involved)  # type: ignore[attr-defined]
        self.fields["responsible"].help_text = _("Eieren eller en partner; medlemmene der fyller inn verdiene.")
        if not self.instance.pk:
            self.initial.setdefault("responsible", measure.owner_id)
        self.fields["name"].error_messages["required"] = _("Skriv et navn på indikatoren.")
        self.fields["kind"].error_messages["required"] = _("Velg hva indikatoren måler.")
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_ratio"):
            for name in ("numerator_label", "denominator_label"):
                if not data.get(name):
                    self.add_error(name, _("Skriv hva som telles for en brøk."))
        for prefix in ("baseline", "target"):
            if (data.get(f"{prefix}_value") is None) != (data.get(f"{prefix}_date") is None):
                self.add_error(f"{prefix}_date", _("Fyll inn både verdi og dato, eller ingen av dem."))
        base, target = data.get("baseline_date"), data.get("target_date")
        if base and target and target <= base:
            self.add_error("target_date", _("Datoen for målverdien må være etter utgangspunktet."))
        return data


class MeasurementForm(forms.Form):
    period = forms.CharField(label=_("Periode"), max_length=20)
    value = forms.DecimalField(label=_("Verdi"), required=False, max_digits=15, decimal_places=4, localize=True)
    numerator = forms.DecimalField(label=_("Teller"), required=False, max_digits=15, decimal_places=4, localize=True)
    denominator = forms.DecimalField(label=_("Nevner"), required=False, max_digits=15, decimal_places=4, localize=True)
    note = forms.CharField(label=_("Merknad"), required=False, max_length=500)

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["period"].help_text = _(
            "For eksempel %(example)s. Har perioden en verdi fra før, blir den rettet."
        ) % {"example": periods.example(indicator.period_type)}
        self.fields["period"].error_messages["required"] = _("Skriv perioden.")
        if indicator.is_ratio:
            del self.fields["value"]
            self.fields["numerator"].label = indicator.numerator_label or _("Teller")
            self.fields["denominator"].label = indicator.denominator_label or _("Nevner")
            self.fields["numerator"].required = True
            self.fields["denominator"].required = True
            self.fields["numerator"].error_messages["required"] = _("Fyll inn telleren.")
            self.fields["denominator"].error_messages["required"] = _("Fyll inn nevneren.")
        else:
            del self.fields["numerator"]
            del self.fields["denominator"]
            self.fields["value"].label = _("Verdi (%(unit)s)") % {"unit": indicator.get_unit_display()}
            self.fields["value"].required = True
            self.fields["value"].error_messages["required"] = _("Fyll inn en verdi.")
        for field in self.fields.values():
            field.error_messages.setdefault("invalid", _("Skriv et tall, for eksempel 12 eller 12,5."))
            if isinstance(field, forms.DecimalField):
                field.error_messages["invalid"] = _("Skriv et tall, for eksempel 12 eller 12,5.")
                field.widget.attrs["inputmode"] = "decimal"
        style(self)

    def clean_period(self) -> Any:
        start = periods.parse(self.indicator.period_type, self.cleaned_data["period"])
        if start is None:
            raise forms.ValidationError(
                _("Skriv perioden som %(example)s.") % {"example": periods.example(self.indicator.period_type)}
            )
        return start


class PartnerForm(forms.ModelForm):
    class Meta:
        model = MeasurePartner
        fields = ["organisation", "role"]
        labels = {"organisation": _("Organisasjon"), "role": _("Rolle")}

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = [measure.owner_id, *measure.partners.values_list("organisation_id", flat=True)]
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk__in=taken)  # type: ignore[attr-defined]
        self.fields["organisation"].error_messages["required"] = _("Velg en organisasjon.")
        self.fields["role"].error_messages["required"] = _("Skriv hva organisasjonen bidrar med.")
        style(self)


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["kind", "title", "due_date", "done_date"]
        labels = {"kind": _("Type"), "title": _("Hva"), "due_date": _("Frist"), "done_date": _("Gjort (dato)")}
        widgets = {"due_date": DATE, "done_date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Skriv hva som skal gjøres.")
        style(self)


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["kind", "description", "amount", "organisation"]
        labels = {
            "kind": _("Type"),
            "description": _("Beskrivelse"),
            "amount": _("Beløp (kr)"),
            "organisation": _("Fra organisasjon"),
        }

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        involved = [measure.owner_id, *measure.partners.values_list("organisation_id", flat=True)]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=involved)  # type: ignore[attr-defined]
        self.fields["amount"].localize = True
        self.fields["amount"].widget.is_localized = True
        self.fields["amount"].error_messages["invalid"] = _("Skriv et beløp, for eksempel 25000.")
        self.fields["description"].error_messages["required"] = _("Skriv hva ressursen er.")
        style(self)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller XLSX)"),
        help_text=_("Kolonner: indikator, periode, verdi (eller teller og nevner), merknad."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = _("Velg en fil.")
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"
        style(self)


class AdoptForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Ta i bruk i"), queryset=Organisation.objects.none(), empty_label=None)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["owner"].widget = forms.RadioSelect(choices=self.fields["owner"].choices)  # type: ignore[attr-defined]
        self.fields["owner"].error_messages["required"] = _("Velg organisasjonen som skal ta eksempelet i bruk.")


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Søk i tittel"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Kommune"), required=False, queryset=Municipality.objects.order_by("name"), to_field_name="number"
    )
    focus_area = forms.ModelChoiceField(
        label=_("Fokusområde"), required=False, queryset=FocusArea.objects.filter(is_active=True), to_field_name="slug"
    )
    target_group = forms.ModelChoiceField(
        label=_("Målgruppe"), required=False, queryset=TargetGroup.objects.filter(is_active=True), to_field_name="slug"
    )
    partnership: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Partnerskap"),
        required=False,
        queryset=None,
        to_field_name="slug",
    )
    mine = forms.BooleanField(label=_("Bare tiltak organisasjonene mine er med i"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from samspill.partnerships.models import Partnership

        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.visible_to(user).order_by("name")  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("Alle")), *Measure.Status.choices]  # type: ignore[attr-defined]
        for name in ("municipality", "partnership", "focus_area", "target_group"):
            self.fields[name].empty_label = _("Alle")  # type: ignore[attr-defined]
        style(self)
