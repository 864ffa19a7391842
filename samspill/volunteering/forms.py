"""Forms of volunteering: search, opportunities, shifts, weekly series and people added by hand."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.accounts.models import Profile, User
from samspill.core.permissions import coordinated_organisation_ids
from samspill.organisations.models import Organisation
from samspill.places.models import County, Municipality, PostalCode
from samspill.taxonomy.models import FocusArea, TargetGroup
from samspill.volunteering.models import Opportunity, Shift, ShiftSeries

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
SERIES_MAX_DAYS = 366


def oslo_datetime(day: date, clock: time) -> datetime:
    """A date and a wall-clock time in Norway as an aware datetime (across daylight-saving changes)."""
    return datetime.combine(day, clock).replace(tzinfo=OSLO)


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("class", "ds-textarea")
        elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.HiddenInput)):
            continue
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "ds-input")
        else:
            widget.attrs.setdefault("class", "ds-input")


def _postal_code(value: str) -> PostalCode | None:
    value = (value or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"\d{4}", value):
        raise ValidationError(_("Skriv et postnummer med fire siffer."))
    found = PostalCode.objects.select_related("municipality").filter(code=value).first()
    if found is None:
        raise ValidationError(_("Vi finner ikke postnummeret %(code)s."), params={"code": value})
    return found


class SearchForm(forms.Form):
    """The filters of /frivillig/, all in the URL."""

    class Sort(models.TextChoices):
        START = "start", _("neste vakt først")
        DISTANCE = "avstand", _("nærmest meg")

    kommune = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.all(),
        to_field_name="number",
        required=False,
        empty_label=_("Alle kommuner"),
    )
    fylke = forms.ModelChoiceField(
        label=_("Fylke"),
        queryset=County.objects.all(),
        to_field_name="number",
        required=False,
        empty_label=_("Alle fylker"),
    )
    form = forms.ChoiceField(
        label=_("Form"), choices=[("", _("Alle former")), *Opportunity.Form.choices], required=False
    )
    fokus = forms.ModelChoiceField(
        label=_("Fokusområde"),
        queryset=FocusArea.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle fokusområder"),
    )
    malgruppe = forms.ModelChoiceField(
        label=_("Målgruppe"),
        queryset=TargetGroup.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle målgrupper"),
    )
    for_meg = forms.BooleanField(
        label=_("For meg"),
        required=False,
        help_text=_("Oppdrag som passer interessene og postnummeret på profilen din."),
    )
    sorter = forms.ChoiceField(label=_("Sorter etter"), choices=Sort.choices, required=False)
    postnummer = forms.CharField(
        label=_("Avstand fra postnummer"),
        max_length=4,
        required=False,
        help_text=_("Brukes når du sorterer etter avstand. Står tomt: postnummeret på profilen din."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["postnummer"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "postal-code"})

    def clean_postnummer(self) -> PostalCode | None:
        return _postal_code(self.cleaned_data.get("postnummer", ""))


class OpportunityForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("Organisasjon"), queryset=Organisation.objects.none())
    postal_code_text = forms.CharField(label=_("Postnummer"), max_length=4, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Språk"),
        choices=Profile.Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Språk den frivillige bør kunne. Ingen valgt: ingen krav."),
    )

    class Meta:
        model = Opportunity
        fields = [
            "organisation",
            "title",
            "description",
            "form",
            "status",
            "municipality",
            "address",
            "focus_areas",
            "target_groups",
            "requires_police_certificate",
            "police_certificate_basis",
            "requires_confidentiality",
            "minimum_age",
            "languages",
            "skills",
            "contact_person",
        ]
        labels = {
            "title": _("Tittel"),
            "description": _("Beskrivelse"),
            "form": _("Form"),
            "status": _("Status"),
            "municipality": _("Kommune"),
            "address": _("Adresse"),
            "focus_areas": _("Fokusområder"),
            "target_groups": _("Målgrupper"),
            "requires_police_certificate": _("Krever politiattest"),
            "police_certificate_basis": _("Hjemmel for politiattest"),
            "requires_confidentiality": _("Krever taushetserklæring"),
            "minimum_age": _("Minstealder"),
            "skills": _("Ferdigheter eller erfaring"),
            "contact_person": _("Kontaktperson"),
        }
        help_texts = {
            "police_certificate_basis": _(
                "Politiattest kan bare kreves for arbeid med mindreårige eller med personer med "
                "utviklingshemming (politiregisterforskriften § 34-1)."
            ),
            "status": _("Bare publiserte oppdrag vises i søket og tar imot påmeldinger."),
            "municipality": _("Tom for digitale oppdrag uten fast sted."),
        }
        widgets = {
            "focus_areas": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "police_certificate_basis": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 8}),
            "skills": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if getattr(user, "is_superuser", False):
            organisations = Organisation.objects.all()
        else:
            organisations = Organisation.objects.filter(pk__in=coordinated_organisation_ids(user))
        if self.instance.pk:
            # An opportunity stays with its organisation.
            del self.fields["organisation"]
            members_of = [self.instance.organisation_id]
            if self.instance.postal_code_id:
                self.fields["postal_code_text"].initial = self.instance.postal_code.code
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
            members_of = list(organisations.values_list("pk", flat=True))
        self.fields["contact_person"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(memberships__organisation_id__in=members_of).distinct().order_by("name", "email")
        )
        self.fields["municipality"].queryset = Municipality.objects.all()  # type: ignore[attr-defined]
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        )
        basis = self.fields["police_certificate_basis"]
        basis.choices = Opportunity.PoliceCertificateBasis.choices  # type: ignore[attr-defined]
        self.fields["minimum_age"].widget.attrs.update({"min": 0, "max": 99})
        self.order_fields(
            [*[name for name in self.Meta.fields if name != "address"][:6], "address", "postal_code_text"]
        )
        _style(self)
        self.fields["postal_code_text"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_postal_code_text(self) -> PostalCode | None:
        return _postal_code(self.cleaned_data.get("postal_code_text", ""))

    def clean_minimum_age(self) -> int | None:
        age = self.cleaned_data.get("minimum_age")
        if age is not None and age > 99:
            raise ValidationError(_("Skriv en alder mellom 0 og 99."))
        return age

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("requires_police_certificate") and not data.get("police_certificate_basis"):
            self.add_error(
                "police_certificate_basis",
                _(
                    "Politiattest kan bare kreves når oppdraget gjelder arbeid med mindreårige eller med "
                    "personer med utviklingshemming. Velg hjemmelen, eller fjern kravet om politiattest."
                ),
            )
        elif not data.get("requires_police_certificate"):
            data["police_certificate_basis"] = ""
        contact = data.get("contact_person")
        organisation = data.get("organisation") or (self.instance.organisation if self.instance.pk else None)
        if contact and organisation and not contact.memberships.filter(organisation=organisation).exists():
            self.add_error("contact_person", _("Kontaktpersonen må være med i organisasjonen."))
        return data

    def save(self, commit: bool = True) -> Opportunity:
        opportunity = super().save(commit=False)
        opportunity.postal_code = self.cleaned_data.get("postal_code_text")
        opportunity.police_certificate_basis = self.cleaned_data.get("police_certificate_basis") or ""
        if opportunity.municipality_id is None and opportunity.postal_code and opportunity.form != "remote":
            opportunity.municipality = opportunity.postal_code.municipality
        if commit:
            opportunity.save()
            self.save_m2m()
        return opportunity


class ShiftForm(forms.Form):
    day = forms.DateField(label=_("Dato"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("Starter kl."), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(
        label=_("Slutter kl."),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Norsk tid. Et klokkeslett før start betyr neste dag."),
    )
    place = forms.CharField(label=_("Sted"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Antall plasser"), min_value=1, max_value=10000)
    cancelled = forms.BooleanField(label=_("Avlyst"), required=False)

    def __init__(self, *args: Any, instance: Shift | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            start = timezone.localtime(instance.starts_at, OSLO)
            end = timezone.localtime(instance.ends_at, OSLO)
            kwargs["initial"] = {
                "day": start.date(),
                "starts": start.time().replace(second=0),
                "ends": end.time().replace(second=0),
                "place": instance.place,
                "capacity": instance.capacity,
                "cancelled": instance.cancelled,
            }
        super().__init__(*args, **kwargs)
        if instance is None:
            del self.fields["cancelled"]
        _style(self)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if day and starts and ends:
            data["starts_at"] = oslo_datetime(day, starts)
            end_day = day if ends > starts else day + timedelta(days=1)
            data["ends_at"] = oslo_datetime(end_day, ends)
            if self.instance is None and data["starts_at"] <= timezone.now():
                self.add_error("day", _("Vakten må ligge fram i tid."))
        capacity = data.get("capacity")
        if self.instance is not None and capacity is not None and capacity < self.instance.confirmed_count:
            self.add_error(
                "capacity",
                ValidationError(
                    _("%(count)s har allerede fått plass. Antall plasser kan ikke være lavere enn det."),
                    params={"count": self.instance.confirmed_count},
                ),
            )
        return data

    def apply(self, shift: Shift) -> Shift:
        shift.starts_at = self.cleaned_data["starts_at"]
        shift.ends_at = self.cleaned_data["ends_at"]
        shift.place = self.cleaned_data["place"]
        shift.capacity = self.cleaned_data["capacity"]
        if "cancelled" in self.cleaned_data:
            shift.cancelled = self.cleaned_data["cancelled"]
        return shift


def _parse_dates(text: str) -> list[date]:
    out = []
    for chunk in re.split(r"[\s,;]+", text.strip()):
        if not chunk:
            continue
        parsed = None
        for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
            try:
                parsed = datetime.strptime(chunk, pattern).date()  # noqa: DTZ007 (a date, no time)
                break
            except ValueError:
                continue
        if parsed is None:
            raise ValidationError(
                _("«%(value)s» er ikke en dato. Skriv datoer som 24.12.2026, én per linje."), params={"value": chunk}
            )
        out.append(parsed)
    return sorted(set(out))


class ShiftSeriesForm(forms.ModelForm):
    exceptions = forms.CharField(
        label=_("Unntak"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Datoer uten vakt, for eksempel helligdager. Én per linje, som 24.12.2026."),
    )

    class Meta:
        model = ShiftSeries
        fields = ["weekday", "starts_at_time", "ends_at_time", "valid_from", "valid_until", "place", "capacity"]
        labels = {
            "weekday": _("Ukedag"),
            "starts_at_time": _("Starter kl."),
            "ends_at_time": _("Slutter kl."),
            "valid_from": _("Fra dato"),
            "valid_until": _("Til og med dato"),
            "place": _("Sted"),
            "capacity": _("Antall plasser per vakt"),
        }
        widgets = {
            "starts_at_time": forms.TimeInput(attrs={"type": "time"}),
            "ends_at_time": forms.TimeInput(attrs={"type": "time"}),
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["capacity"].min_value = 1  # type: ignore[attr-defined]
        self.fields["capacity"].widget.attrs["min"] = 1
        if self.instance.pk:
            self.fields["exceptions"].initial = "\n".join(
                date.fromisoformat(d).strftime("%d.%m.%Y") for d in self.instance.exception_dates
            )
        _style(self)

    def clean_exceptions(self) -> list[str]:
        return [d.isoformat() for d in _parse_dates(self.cleaned_data.get("exceptions", ""))]

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if capacity < 1:
            raise ValidationError(_("Det må være minst én plass."))
        return capacity

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, until = data.get("valid_from"), data.get("valid_until")
        if start and until:
            if until < start:
                self.add_error("valid_until", _("Sluttdatoen kan ikke være før startdatoen."))
            elif (until - start).days > SERIES_MAX_DAYS:
                self.add_error("valid_until", _("Et vaktmønster kan vare høyst ett år om gangen."))
        if data.get("starts_at_time") and data.get("starts_at_time") == data.get("ends_at_time"):
            self.add_error("ends_at_time", _("Vakten må slutte et annet klokkeslett enn den starter."))
        return data

    def save(self, commit: bool = True) -> ShiftSeries:
        series = super().save(commit=False)
        series.exception_dates = self.cleaned_data.get("exceptions", [])
        if commit:
            series.save()
        return series


class AddPersonForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=150)
    email = forms.EmailField(label=_("E-post"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        _style(self)
