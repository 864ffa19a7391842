from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation
from samspill.partnerships.models import (
    ActionItem,
    Agreement,
    Contribution,
    GuidelinesComment,
    GuidelinesVersion,
    Meeting,
    Partnership,
    PartnershipMember,
    PartnershipSection,
    Topic,
)
from samspill.places.models import County, Municipality
from samspill.taxonomy.models import FocusArea, TargetGroup


def style(form: forms.BaseForm) -> None:
    """Designsystemet classes on every widget."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("class", "ds-textarea")
            widget.attrs.setdefault("rows", 5)
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "ds-input")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class PartnershipForm(StyledModelForm):
    """The partnership's facts, and one text per topic of seed 004 (added as ``topic_<id>`` fields)."""

    lead = forms.ModelChoiceField(label=_("Leder (organisasjon)"), queryset=Organisation.objects.none())

    class Meta:
        model = Partnership
        fields = [
            "name",
            "purpose",
            "lead",
            "status",
            "starts_on",
            "ends_on",
            "counties",
            "municipalities",
            "focus_areas",
            "target_groups",
            "is_public",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "focus_areas": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "counties": forms.CheckboxSelectMultiple,
            "municipalities": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, leads: Any, topics: list[Topic], sections: dict[int, PartnershipSection], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads  # type: ignore[attr-defined]
        self.fields["lead"].error_messages["required"] = _("Velg organisasjonen som leder partnerskapet.")
        self.fields["lead"].help_text = _("Kommunen eller fylkeskommunen du er koordinator eller administrator i.")
        if len(leads) == 1:
            self.fields["lead"].empty_label = None  # type: ignore[attr-defined]
        if self.instance.pk:
            # The lead is fixed once the partnership exists.
            del self.fields["lead"]
        self.fields["name"].error_messages["required"] = _("Skriv navnet på partnerskapet.")
        self.fields["purpose"].error_messages["required"] = _("Skriv kort hvorfor partnerskapet finnes.")
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["counties"].queryset = County.objects.order_by("number")  # type: ignore[attr-defined]
        self.fields["municipalities"].queryset = Municipality.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["municipalities"].help_text = _("Hold nede Ctrl (Cmd på Mac) for å velge flere.")
        self.topics = topics
        for topic in topics:
            section = sections.get(topic.pk)
            self.fields[f"topic_{topic.pk}"] = forms.CharField(
                label=topic.heading,
                help_text=topic.help_text,
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"class": "ds-textarea", "rows": 4}),
                initial=section.text if section else "",
            )
            if topic.kind == Topic.Kind.WAY_FORWARD:
                self.fields[f"progress_{topic.pk}"] = forms.ChoiceField(
                    label=_("Framdrift: %(heading)s") % {"heading": topic.heading},
                    choices=PartnershipSection.Progress.choices,
                    initial=section.progress if section else PartnershipSection.Progress.OPEN,
                    widget=forms.Select(attrs={"class": "ds-input"}),
                )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Sluttdatoen kan ikke være før startdatoen."))
        return data

    def fact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(("topic_", "progress_"))]

    def topic_fields(self, kind: str) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        return [
            (self[f"topic_{t.pk}"], self[f"progress_{t.pk}"] if f"progress_{t.pk}" in self.fields else None)
            for t in self.topics
            if t.kind == kind
        ]

    @property
    def question_fields(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        return self.topic_fields(Topic.Kind.QUESTION)

    @property
    def way_forward_fields(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        return self.topic_fields(Topic.Kind.WAY_FORWARD)

    def section_texts(self) -> dict[int, tuple[str, str | None]]:
        return {
            t.pk: (self.cleaned_data.get(f"topic_{t.pk}", ""), self.cleaned_data.get(f"progress_{t.pk}"))
            for t in self.topics
        }


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisasjon"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Rolle i partnerskapet"), choices=PartnershipMember.Role.choices[1:])
    message = forms.CharField(label=_("Melding"), required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        busy = partnership.members.filter(status__in=("active", "invited")).values("organisation_id")
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk__in=busy).order_by(  # type: ignore[attr-defined]
            "name_sort"
        )
        self.fields["organisation"].error_messages["required"] = _("Velg organisasjonen du vil invitere.")
        style(self)


class JoinRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisasjonen som vil være med"), queryset=Organisation.objects.none()
    )
    message = forms.CharField(
        label=_("Hva vil dere bidra med?"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        style(self)


class MemberForm(StyledModelForm):
    class Meta:
        model = PartnershipMember
        fields = ["role", "contact_person", "joined_on", "left_on"]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args: Any, lead_may_edit: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from samspill.accounts.models import User

        self.fields["contact_person"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organisation=self.instance.organisation
        ).order_by("name")
        if not lead_may_edit:
            for name in ("role", "joined_on", "left_on"):
                del self.fields[name]
        elif self.instance.role == PartnershipMember.Role.LEAD:
            # The lead stays the lead: it neither changes role nor leaves.
            for name in ("role", "left_on"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("joined_on") and data.get("left_on") and data["left_on"] < data["joined_on"]:
            self.add_error("left_on", _("Datoen for å gå ut kan ikke være før datoen for å bli med."))
        return data


class GuidelinesForm(StyledModelForm):
    class Meta:
        model = GuidelinesVersion
        fields = ["text", "change_note"]
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = _("Skriv retningslinjene.")


class CommentForm(StyledModelForm):
    class Meta:
        model = GuidelinesComment
        fields = ["organisation", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if len(organisations) == 1:
            self.fields["organisation"].empty_label = None  # type: ignore[attr-defined]
        self.fields["text"].error_messages["required"] = _("Skriv en kommentar.")


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("Vedtatt dato"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adopted_on"].error_messages["required"] = _("Skriv datoen retningslinjene ble vedtatt.")
        style(self)


class AgreementForm(StyledModelForm):
    class Meta:
        model = Agreement
        fields = ["title", "member", "starts_on", "ends_on", "text"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member: Any = self.fields["member"]
        member.queryset = (
            partnership.members.filter(status="active")
            .exclude(  # type: ignore[attr-defined]
                organisation_id=partnership.lead_id
            )
            .select_related("organisation")
        )
        member.label_from_instance = lambda m: m.organisation.name  # type: ignore[attr-defined]
        member.empty_label = _("Alle medlemmene")  # type: ignore[attr-defined]
        member.help_text = _("En avtale med ett medlem, eller med alle medlemmene av partnerskapet.")
        self.fields["title"].error_messages["required"] = _("Skriv en tittel på avtalen.")
        self.fields["text"].error_messages["required"] = _("Skriv avtaleteksten.")
        self.fields["starts_on"].error_messages["required"] = _("Skriv datoen avtalen gjelder fra.")
        self.fields["ends_on"].error_messages["required"] = _("Skriv datoen avtalen gjelder til.")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Sluttdatoen kan ikke være før startdatoen."))
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        # The period check is a form error above, with a clearer message.
        pass


DEFAULT_UNITS = {
    Contribution.Kind.MONEY: "NOK",
    Contribution.Kind.STAFF_HOURS: "timer",
    Contribution.Kind.VOLUNTEER_HOURS: "timer",
}


class ContributionForm(StyledModelForm):
    class Meta:
        model = Contribution
        fields = ["organisation", "year", "kind", "description", "amount", "unit"]

    def __init__(self, *args: Any, parties: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[p.pk for p in parties]
        ).order_by("name_sort")
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "min": 2000, "max": 2100})
        self.fields["amount"].help_text = _("Tom hvis bidraget ikke har en mengde, for eksempel kompetanse.")
        self.fields["unit"].help_text = _("NOK for penger, timer for timer. Tom gir standardenheten.")
        self.fields["description"].error_messages["required"] = _("Beskriv bidraget.")
        self.fields["year"].error_messages["required"] = _("Skriv hvilket år bidraget gjelder.")

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Skriv et årstall mellom 2000 og 2100."))
        return year

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if not data.get("unit") and data.get("kind") in DEFAULT_UNITS:
            data["unit"] = DEFAULT_UNITS[data["kind"]]
        if data.get("amount") is not None and data["amount"] < 0:
            self.add_error("amount", _("Mengden kan ikke være negativ."))
        if data.get("amount") is not None and not data.get("unit"):
            self.add_error("unit", _("Skriv enheten for mengden, for eksempel m² eller dager."))
        return data


class SignForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Signer for"), queryset=Organisation.objects.none())
    signer_role = forms.CharField(
        label=_("Signert som (rolle eller stilling)"), max_length=100, help_text=_("For eksempel daglig leder.")
    )

    def __init__(self, *args: Any, organisation_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=organisation_ids)  # type: ignore[attr-defined]
        if len(organisation_ids) == 1:
            self.fields["organisation"].empty_label = None  # type: ignore[attr-defined]
        self.fields["organisation"].error_messages["required"] = _("Velg hvilken part du signerer for.")
        self.fields["signer_role"].error_messages["required"] = _("Skriv rollen du signerer i.")
        style(self)


class MeetingForm(StyledModelForm):
    class Meta:
        model = Meeting
        fields = ["held_on", "place", "agenda", "minutes", "decisions"]
        widgets = {"held_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].error_messages["required"] = _("Skriv datoen for møtet.")


class ActionItemForm(StyledModelForm):
    class Meta:
        model = ActionItem
        fields = ["what", "owner_organisation", "owner_person", "due_on", "status"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from samspill.accounts.models import User

        org_ids = list(partnership.members.filter(status="active").values_list("organisation_id", flat=True))
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(pk__in=org_ids).order_by(  # type: ignore[attr-defined]
            "name_sort"
        )
        self.fields["owner_person"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(memberships__organisation_id__in=org_ids).distinct().order_by("name")
        )
        self.fields["what"].error_messages["required"] = _("Skriv hva som skal gjøres.")


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)
