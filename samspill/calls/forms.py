from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samspill.calls.models import Attachment, Call, Submission
from samspill.core.uploads import validate_document
from samspill.organisations.models import Organisation
from samspill.places.models import Municipality
from samspill.taxonomy.models import FocusArea, TargetGroup


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"class": "ds-input", "accept": ".pdf,.docx,.odt,.png,.jpg,.jpeg"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


CONSENT_CHOICES = [("yes", _("Ja, eksempelet kan publiseres")), ("no", _("Nei, bare til bruk i strategiarbeidet"))]

# Required before a submission can be sent; a draft may lack any of them.
REQUIRED_TO_SEND = ("title", "summary", "what", "themes", "municipality", "contact_name", "contact_email", "consent")


class SubmissionForm(forms.ModelForm):
    """The whole submission. ``complete=False`` (saving a draft) makes every field optional."""

    form_token = forms.UUIDField(widget=forms.HiddenInput)
    consent = forms.ChoiceField(
        label=_("Kan eksempelet publiseres i katalogen over gode eksempler?"),
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    new_attachments = MultipleFileField(
        label=_("Legg til vedlegg"),
        required=False,
        help_text=_("PDF, DOCX, ODT, PNG eller JPEG, høyst 10 MB per fil og 5 filer i alt."),
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Fjern vedlegg"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Honeypot: hidden from people (and screen readers); bots fill it in.
    website = forms.CharField(required=False, label=_("Ikke fyll ut dette feltet"))

    class Meta:
        model = Submission
        fields = [
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
            "municipality",
            "target_groups",
            "focus_areas",
            "organisation",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        labels = {
            "title": _("Tittel på eksempelet"),
            "summary": _("Kort sammendrag"),
            "what": _("Hva ble gjort?"),
            "why": _("Hvorfor ble det gjort?"),
            "for_whom": _("For hvem?"),
            "how": _("Hvordan ble det gjennomført?"),
            "resources": _("Hvilke ressurser trengtes?"),
            "results": _("Hvilke resultater ga det?"),
            "lessons": _("Hva har dere lært?"),
            "themes": _("Hvilke innsatsområder gjelder eksempelet?"),
            "municipality": _("Kommune"),
            "target_groups": _("Målgrupper"),
            "focus_areas": _("Fokusområder"),
            "organisation": _("Sendes inn på vegne av"),
            "contact_name": _("Kontaktperson"),
            "contact_email": _("E-post til kontaktperson"),
            "contact_phone": _("Telefon til kontaktperson"),
        }
        help_texts = {
            "summary": _("Høyst 600 tegn. Vises øverst i oversikten."),
            "organisation": _(
                "Velg en organisasjon du er medlem av, eller la feltet stå tomt for å sende inn som privatperson."
            ),
        }
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "focus_areas": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, call: Call, user, complete: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.complete = complete
        self.fields["themes"].queryset = call.themes.all()  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = Municipality.objects.alphabetical()  # type: ignore[attr-defined]
        self.fields["municipality"].empty_label = _("Velg kommune")  # type: ignore[attr-defined]
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(memberships__user=user).order_by("name_sort")
            if user.is_authenticated
            else Organisation.objects.none()
        )
        self.fields["organisation"].empty_label = _("Ingen – jeg sender inn som privatperson")  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["remove_attachments"].queryset = self.instance.attachments.all()  # type: ignore[attr-defined]
            if self.instance.consent_to_publish is not None:
                self.initial["consent"] = "yes" if self.instance.consent_to_publish else "no"
        for name, field in self.fields.items():
            field.required = complete and name in REQUIRED_TO_SEND
            widget = field.widget
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("class", "ds-textarea")
                widget.attrs.setdefault("rows", 5)
            elif not isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.HiddenInput)):
                widget.attrs.setdefault("class", "ds-input")
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Innsendingen ble stoppet av spamfilteret."), code="honeypot")
        return ""

    def clean_new_attachments(self):
        """Each upload with the kind its content shows it is: [(upload, FileKind), …]."""
        checked, errors = [], []
        for upload in self.cleaned_data.get("new_attachments") or []:
            try:
                checked.append((upload, validate_document(upload, max_bytes=Attachment.MAX_BYTES)))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return checked

    def clean(self):
        data = super().clean()
        existing = self.instance.attachments.count() if self.instance.pk else 0
        removing = len(data.get("remove_attachments") or [])
        adding = len(data.get("new_attachments") or [])
        if existing - removing + adding > Attachment.MAX_PER_SUBMISSION:
            self.add_error(
                "new_attachments",
                _("Du kan ha høyst %(max)s vedlegg. Fjern noen før du legger til flere.")
                % {"max": Attachment.MAX_PER_SUBMISSION},
            )
        return data

    def consent_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("consent") or "")


def missing_to_send(submission: Submission) -> list[str]:
    """Labels of the fields a saved draft still lacks before it can be sent."""
    form_labels = SubmissionForm.Meta.labels
    missing = []
    for name in REQUIRED_TO_SEND:
        if name == "consent":
            if submission.consent_to_publish is None:
                missing.append(str(SubmissionForm.base_fields["consent"].label))
        elif name == "themes":
            if not submission.themes.exists():
                missing.append(str(form_labels["themes"]))
        elif not getattr(submission, name if name != "municipality" else "municipality_id"):
            missing.append(str(form_labels[name]))
    return missing
