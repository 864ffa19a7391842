from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation, Role
from samspill.organisations.validators import normalise_org_number
from samspill.places.models import County, Municipality
from samspill.taxonomy.models import OrganisationCategory, OrganisationKind


class DirectoryFilterForm(forms.Form):
    """The directory's search and filters. Invalid values are ignored, never an error page."""

    q = forms.CharField(
        label=_("Søk etter navn"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    county = forms.ModelChoiceField(
        label=_("Fylke"),
        queryset=County.objects.alphabetical(),
        required=False,
        to_field_name="number",
        empty_label=_("Alle fylker"),
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.alphabetical(),
        required=False,
        to_field_name="number",
        empty_label=_("Alle kommuner"),
    )
    kind = forms.ModelChoiceField(
        label=_("Type"),
        queryset=OrganisationKind.objects.filter(is_active=True),
        required=False,
        to_field_name="slug",
        empty_label=_("Alle typer"),
    )
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=OrganisationCategory.objects.filter(level=1),
        required=False,
        to_field_name="code",
        empty_label=_("Alle kategorier"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "ds-input"

    def filter(self, queryset):
        # A bad value in one filter (an old link, a typo) drops only that filter.
        self.is_valid()
        data = dict.fromkeys(self.fields) | getattr(self, "cleaned_data", {})
        if data["q"]:
            queryset = queryset.search(data["q"])
        if data["municipality"]:
            queryset = queryset.in_municipality(data["municipality"])
        elif data["county"]:
            queryset = queryset.in_county(data["county"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["category"]:
            # A main group includes its subgroups.
            category = data["category"]
            queryset = queryset.filter(Q(category=category) | Q(category__parent=category))
        return queryset


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Nettside"), required=False, assume_scheme="https")
    # Longer than 9 so that "NO 974 760 673 MVA" can be typed; the model validates the result.
    org_number = forms.CharField(
        label=_("Organisasjonsnummer"), required=False, max_length=30, help_text=_("9 siffer, fra Enhetsregisteret.")
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "org_number",
            "category",
            "home_municipality",
            "municipalities_served",
            "description",
            "email",
            "phone",
            "website",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "municipalities_served": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "municipalities_served": _("Hold Ctrl (Cmd på Mac) nede for å velge flere."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("home_municipality", "municipalities_served"):
            self.fields[name].queryset = Municipality.objects.alphabetical()  # type: ignore[attr-defined]
        # Public-sector kinds carry rights (see samspill.core.permissions), so only site
        # admins may give them, and an organisation that has one cannot change it here.
        kinds = OrganisationKind.objects.filter(is_active=True).exclude(slug__in=OrganisationKind.PUBLIC_KINDS)
        self.fields["kind"].queryset = kinds  # type: ignore[attr-defined]
        if self.instance.pk and self.instance.kind.slug in OrganisationKind.PUBLIC_KINDS:
            self.fields["kind"].disabled = True
            self.fields["kind"].queryset = OrganisationKind.objects.filter(pk=self.instance.kind_id)  # type: ignore[attr-defined]
        self.fields["category"].queryset = OrganisationCategory.objects.select_related("parent")  # type: ignore[attr-defined]
        self.fields["org_number"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        for name, field in self.fields.items():
            css = "ds-textarea" if name == "description" else "ds-input"
            field.widget.attrs.setdefault("class", css)

    def clean_org_number(self) -> str | None:
        # Returned normalised, then checked by the model's validators (MOD11) and uniqueness.
        return normalise_org_number(self.cleaned_data.get("org_number") or "") or None


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-postadresse"), widget=forms.EmailInput(attrs={"class": "ds-input", "autocomplete": "off"})
    )
    role = forms.ChoiceField(
        label=_("Rolle"), choices=Role.choices, initial=Role.MEMBER, widget=forms.Select(attrs={"class": "ds-input"})
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices, widget=forms.Select(attrs={"class": "ds-input"}))
