"""Forms for the people who run calls: the call itself, the review desk's filters, and review actions."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.calls.models import Attachment, Call, Submission
from samspill.core.permissions import ELEVATED_ROLES, effective_grants
from samspill.core.text import norwegian_slugify
from samspill.organisations.models import Organisation
from samspill.places.models import County, Municipality
from samspill.taxonomy.models import OrganisationKind, Theme

# Times are typed and shown as Norwegian wall-clock time, whatever the server's zone.
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")

# With more choices than this, checkboxes make a page nobody can scan; a list box is used instead.
CHECKBOX_LIMIT = 30

# First path segments under /innspill/ that are pages, not calls.
RESERVED_SLUGS = frozenset({"ny", "mine", "bidrag", "vedlegg", "behandling", "api", "eksport"})

TAG_MAX_LENGTH = 50
TAGS_MAX = 20


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
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "ds-input")
        else:
            widget.attrs.setdefault("class", "ds-input")


def organisations_for_editor(user: Any) -> models.QuerySet[Organisation]:
    """Organisations a user may put behind a call: those they coordinate; every one for site admins."""
    if getattr(user, "is_superuser", False):
        return Organisation.objects.all()
    ids = [g.organisation_id for g in effective_grants(user) if g.role in ELEVATED_ROLES]
    return Organisation.objects.filter(pk__in=ids)


class CallForm(forms.ModelForm):
    """Create or edit a call. Opening and closing are typed as a date and a time in Norway."""

    opens_date = forms.DateField(label=_("Åpner (dato)"), widget=forms.DateInput(attrs={"type": "date"}))
    opens_time = forms.TimeField(
        label=_("Åpner (klokkeslett)"), initial=time(9, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes_date = forms.DateField(label=_("Frist (dato)"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_time = forms.TimeField(
        label=_("Frist (klokkeslett)"),
        initial=time(23, 59),
        help_text=_("Norsk tid. Innspill kan sendes inn til og med dette minuttet."),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )

    class Meta:
        model = Call
        fields = ["title", "slug", "introduction", "themes", "organisations", "audience", "is_published"]
        labels = {
            "title": _("Tittel"),
            "slug": _("Lenkenavn"),
            "introduction": _("Innledning"),
            "themes": _("Innsatsområder det bes om innspill til"),
            "organisations": _("Hvem står bak"),
            "audience": _("Hvem kan sende inn"),
            "is_published": _("Publisert (synlig for alle)"),
        }
        help_texts = {
            "slug": _("Brukes i lenken til innspillsrunden. Bare små bokstaver, tall og bindestrek."),
            "organisations": _("Koordinatorer og administratorer i disse organisasjonene kan redigere og behandle."),
            "is_published": _("Et utkast er bare synlig for dem som står bak."),
        }
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 10}),
            "themes": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
        }

    field_order = [
        "title",
        "slug",
        "introduction",
        "themes",
        "organisations",
        "opens_date",
        "opens_time",
        "closes_date",
        "closes_time",
        "audience",
        "is_published",
    ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        self.fields["slug"].required = not creating
        if creating:
            self.fields["slug"].help_text = _("La feltet stå tomt for å lage det av tittelen.")
        themes = Theme.objects.filter(is_active=True)
        organisations = organisations_for_editor(user)
        if not creating:
            # What the call already has stays selectable, even if retired or coordinated by others.
            themes = Theme.objects.filter(models.Q(is_active=True) | models.Q(calls=self.instance)).distinct()
            organisations = Organisation.objects.filter(
                models.Q(pk__in=organisations.values("pk")) | models.Q(calls=self.instance)
            ).distinct()
            opens, closes = (
                timezone.localtime(self.instance.opens_at, OSLO),
                timezone.localtime(self.instance.closes_at, OSLO),
            )
            self.initial.update(
                opens_date=opens.date(),
                opens_time=opens.time().replace(second=0, microsecond=0),
                closes_date=closes.date(),
                closes_time=closes.time().replace(second=0, microsecond=0),
            )
        self.fields["themes"].queryset = themes  # type: ignore[attr-defined]
        organisation_field = self.fields["organisations"]
        organisation_field.queryset = organisations.order_by("name_sort")  # type: ignore[attr-defined]
        if organisations.count() > CHECKBOX_LIMIT:
            organisation_field.widget = forms.SelectMultiple(attrs={"size": 10})
            organisation_field.widget.choices = organisation_field.choices  # type: ignore[attr-defined]
            organisation_field.help_text = _("Hold Ctrl (Cmd på Mac) nede for å velge flere.")
        organisation_field.error_messages["required"] = _("Velg minst én organisasjon som står bak.")
        self.fields["themes"].error_messages["required"] = _("Velg minst ett innsatsområde.")
        self.fields["title"].error_messages["required"] = _("Skriv en tittel.")
        self.fields["introduction"].error_messages["required"] = _("Skriv en innledning.")
        for name in ("opens_date", "closes_date"):
            self.fields[name].error_messages.update(
                required=_("Skriv inn en dato."), invalid=_("Skriv inn en gyldig dato, for eksempel 8.5.2026.")
            )
        for name in ("opens_time", "closes_time"):
            self.fields[name].error_messages.update(
                required=_("Skriv inn et klokkeslett."),
                invalid=_("Skriv inn et gyldig klokkeslett, for eksempel 23:59."),
            )
        _style(self)

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or ""
        if not slug:
            return ""
        if slug in RESERVED_SLUGS or Call.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Lenkenavnet er allerede i bruk. Velg et annet."), code="unique")
        return slug

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("title") and not data.get("slug") and self.instance.pk is None:
            data["slug"] = self._free_slug(norwegian_slugify(data["title"])[:110] or "innspillsrunde")
        if data.get("opens_date") and data.get("opens_time") is not None:
            data["opens_at"] = oslo_datetime(data["opens_date"], data["opens_time"])
        if data.get("closes_date") and data.get("closes_time") is not None:
            # The closing minute is included: 23:59 means until 23:59:59.
            data["closes_at"] = oslo_datetime(data["closes_date"], data["closes_time"]).replace(second=59)
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_date", _("Fristen må være etter at innspillsrunden åpner."))
        return data

    def _free_slug(self, base: str) -> str:
        taken = set(Call.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug


class ExtendDeadlineForm(forms.Form):
    closes_date = forms.DateField(label=_("Ny frist (dato)"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_time = forms.TimeField(
        label=_("Ny frist (klokkeslett)"), initial=time(23, 59), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        closes = timezone.localtime(call.closes_at, OSLO)
        self.fields["closes_date"].initial = closes.date()
        self.fields["closes_time"].initial = closes.time().replace(second=0, microsecond=0)
        self.fields["closes_date"].error_messages.update(
            required=_("Skriv inn en dato."), invalid=_("Skriv inn en gyldig dato, for eksempel 8.5.2026.")
        )
        self.fields["closes_time"].error_messages.update(
            required=_("Skriv inn et klokkeslett."), invalid=_("Skriv inn et gyldig klokkeslett, for eksempel 23:59.")
        )
        _style(self)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("closes_date") and data.get("closes_time") is not None:
            closes_at = oslo_datetime(data["closes_date"], data["closes_time"]).replace(second=59)
            if closes_at <= self.call.opens_at:
                self.add_error("closes_date", _("Fristen må være etter at innspillsrunden åpner."))
            data["closes_at"] = closes_at
        return data


# --- The review desk ----------------------------------------------------------------

YES_NO = [("", _("Alle")), ("ja", _("Ja")), ("nei", _("Nei"))]

SENT_STATUSES = [(value, label) for value, label in Submission.Status.choices if value != Submission.Status.DRAFT]

# Workflow order, so that sorting by status follows the review, not the alphabet.
STATUS_RANK = models.Case(
    *(models.When(status=value, then=rank) for rank, (value, _label) in enumerate(SENT_STATUSES)),
    default=len(SENT_STATUSES),
    output_field=models.IntegerField(),
)

# Submissions without a municipality come last both ways.
SORTS: dict[str, tuple[str | models.OrderBy, ...]] = {
    "innsendt": ("submitted_at", "pk"),
    "-innsendt": ("-submitted_at", "-pk"),
    "tittel": ("title", "pk"),
    "-tittel": ("-title", "-pk"),
    "kommune": (models.F("municipality__name_sort").asc(nulls_last=True), "pk"),
    "-kommune": (models.F("municipality__name_sort").desc(nulls_last=True), "-pk"),
    "status": ("status_rank", "-submitted_at", "pk"),
    "-status": ("-status_rank", "-submitted_at", "pk"),
}
DEFAULT_SORT = "-innsendt"


class DeskFilterForm(forms.Form):
    """The desk's filters, read from the query string. A bad value drops only itself, never an error page."""

    tema = forms.ModelChoiceField(
        label=_("Innsatsområde"), queryset=Theme.objects.none(), required=False, to_field_name="slug"
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Alle")), *SENT_STATUSES], required=False)
    fylke = forms.ModelChoiceField(
        label=_("Fylke"),
        queryset=County.objects.alphabetical(),
        required=False,
        to_field_name="number",
        empty_label=_("Alle fylker"),
    )
    kommune = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.alphabetical(),
        required=False,
        to_field_name="number",
        empty_label=_("Alle kommuner"),
    )
    organisasjonstype = forms.ModelChoiceField(
        label=_("Organisasjonstype"),
        queryset=OrganisationKind.objects.filter(is_active=True),
        required=False,
        to_field_name="slug",
        empty_label=_("Alle typer"),
    )
    vedlegg = forms.ChoiceField(label=_("Har vedlegg"), choices=YES_NO, required=False)
    samtykke = forms.ChoiceField(label=_("Samtykke til publisering"), choices=YES_NO, required=False)
    sort = forms.ChoiceField(
        label=_("Sorter etter"),
        required=False,
        choices=[
            ("-innsendt", _("Sist innsendt først")),
            ("innsendt", _("Først innsendt først")),
            ("tittel", _("Tittel A–Å")),
            ("-tittel", _("Tittel Å–A")),
            ("kommune", _("Kommune A–Å")),
            ("-kommune", _("Kommune Å–A")),
            ("status", _("Status, ny først")),
            ("-status", _("Status, ferdig behandlet først")),
        ],
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme_field = self.fields["tema"]
        theme_field.queryset = call.themes.all()  # type: ignore[attr-defined]
        theme_field.empty_label = _("Alle innsatsområder")  # type: ignore[attr-defined]
        _style(self)

    def values(self) -> dict[str, Any]:
        self.is_valid()
        return dict.fromkeys(self.fields) | getattr(self, "cleaned_data", {})

    def filter(self, queryset: models.QuerySet[Submission], *, skip_theme: bool = False) -> models.QuerySet[Submission]:
        data = self.values()
        if data["tema"] and not skip_theme:
            queryset = queryset.filter(themes=data["tema"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["kommune"]:
            queryset = queryset.filter(municipality=data["kommune"])
        elif data["fylke"]:
            queryset = queryset.filter(municipality__county=data["fylke"])
        if data["organisasjonstype"]:
            queryset = queryset.filter(organisation__kind=data["organisasjonstype"])
        if data["vedlegg"]:
            has = models.Exists(Attachment.objects.filter(submission=models.OuterRef("pk")))
            queryset = queryset.filter(has if data["vedlegg"] == "ja" else ~has)
        if data["samtykke"]:
            queryset = queryset.filter(consent_to_publish=data["samtykke"] == "ja")
        return queryset

    def sort_key(self) -> str:
        return self.values()["sort"] or DEFAULT_SORT

    def order(self, queryset: models.QuerySet[Submission]) -> models.QuerySet[Submission]:
        return queryset.annotate(status_rank=STATUS_RANK).order_by(*SORTS[self.sort_key()])


# --- Review actions ------------------------------------------------------------------


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Ny status"), choices=SENT_STATUSES)
    message = forms.CharField(
        label=_("Melding til innsenderen"),
        required=False,
        max_length=5000,
        help_text=_("Må fylles ut når du ber om mer informasjon. Sendes på e-post sammen med en lenke til innspillet."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("status") == Submission.Status.NEEDS_INFO and not (data.get("message") or "").strip():
            self.add_error("message", _("Skriv hva innsenderen må utdype eller rette opp."))
        return data


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Nytt internt notat"),
        max_length=5000,
        help_text=_("Bare redaksjonen ser notatene. Innsenderen ser dem aldri."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv notatet før du lagrer.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


def parse_tags(text: str) -> list[str]:
    """Comma-separated stikkord → a list: trimmed, blanks dropped, duplicates (any case) dropped."""
    tags: list[str] = []
    seen: set[str] = set()
    for raw in text.split(","):
        tag = " ".join(raw.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Stikkord"),
        required=False,
        max_length=2000,
        help_text=_("Skill stikkordene med komma. Høyst 50 tegn per stikkord."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_tags(self) -> list[str]:
        tags = parse_tags(self.cleaned_data.get("tags") or "")
        too_long = [tag for tag in tags if len(tag) > TAG_MAX_LENGTH]
        if too_long:
            raise ValidationError(
                _("Et stikkord kan ha høyst %(max)s tegn: %(tag)s") % {"max": TAG_MAX_LENGTH, "tag": too_long[0][:60]},
                code="too_long",
            )
        if len(tags) > TAGS_MAX:
            raise ValidationError(_("Bruk høyst %(max)s stikkord.") % {"max": TAGS_MAX}, code="too_many")
        return tags
