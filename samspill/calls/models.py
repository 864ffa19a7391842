from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samspill.calls.querysets import CallQuerySet, SubmissionQuerySet
from samspill.core.models import TimeStampedModel, labelled_texts


class Call(TimeStampedModel):
    """An invitation to send in good examples (innspillsrunde), open between two times."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        UPCOMING = "upcoming", _("åpner snart")
        OPEN = "open", _("åpen")
        CLOSED = "closed", _("stengt")
        ARCHIVED = "archived", _("arkivert")

    class Audience(models.TextChoices):
        ANYONE = "anyone", _("alle med en bekreftet e-postadresse")
        LOGGED_IN = "logged_in", _("innloggede brukere")
        MEMBERS = "members", _("medlemmer av organisasjoner")

    slug = models.SlugField(_("lenkenavn"), max_length=120, unique=True)
    title = models.CharField(_("tittel"), max_length=200)
    introduction = models.TextField(_("innledning"), max_length=10000)
    themes = models.ManyToManyField("taxonomy.Theme", related_name="calls", verbose_name=_("innsatsområder"))
    organisations = models.ManyToManyField(
        "organisations.Organisation", related_name="calls", verbose_name=_("hvem står bak")
    )
    opens_at = models.DateTimeField(_("åpner"))
    closes_at = models.DateTimeField(_("frist"))
    audience = models.CharField(
        _("hvem kan sende inn"), max_length=20, choices=Audience.choices, default=Audience.LOGGED_IN
    )
    is_published = models.BooleanField(_("publisert"), default=False)
    archived_at = models.DateTimeField(_("arkivert"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-closes_at"]
        verbose_name = _("innspillsrunde")
        verbose_name_plural = _("innspillsrunder")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_it_opens"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:detail", args=[self.slug])

    def status_at(self, now: datetime) -> Call.Status:
        if self.archived_at is not None:
            return self.Status.ARCHIVED
        if not self.is_published:
            return self.Status.DRAFT
        if now < self.opens_at:
            return self.Status.UPCOMING
        if now < self.closes_at:
            return self.Status.OPEN
        return self.Status.CLOSED

    @property
    def status(self) -> Call.Status:
        return self.status_at(timezone.now())

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Submission(TimeStampedModel):
    """A good example sent in to a call (innspill). A draft until it is submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        RECEIVED = "received", _("mottatt")
        UNDER_REVIEW = "under_review", _("under vurdering")
        NEEDS_INFO = "needs_info", _("trenger mer informasjon")
        ACCEPTED = "accepted", _("godtatt")
        DECLINED = "declined", _("avslått")

    # Texts are plain text, length-limited here and in the form, shown with paragraphs.
    TEXT_LIMIT = 5000

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="submissions")
    reference = models.CharField(_("referansenummer"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="submissions"
    )
    # One per form the browser loaded: a double click on "save" or "send" cannot make two.
    form_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    # Without an account: the SHA-256 of the secret link e-mailed to the contact (calls.anonymous).
    access_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    title = models.CharField(_("tittel"), max_length=200, blank=True)
    summary = models.TextField(_("kort sammendrag"), max_length=600, blank=True)
    what = models.TextField(_("hva ble gjort"), max_length=TEXT_LIMIT, blank=True)
    why = models.TextField(_("hvorfor"), max_length=TEXT_LIMIT, blank=True)
    for_whom = models.TextField(_("for hvem"), max_length=TEXT_LIMIT, blank=True)
    how = models.TextField(_("hvordan"), max_length=TEXT_LIMIT, blank=True)
    resources = models.TextField(_("ressurser"), max_length=TEXT_LIMIT, blank=True)
    results = models.TextField(_("resultater"), max_length=TEXT_LIMIT, blank=True)
    lessons = models.TextField(_("erfaringer og læring"), max_length=TEXT_LIMIT, blank=True)
    themes = models.ManyToManyField("taxonomy.Theme", blank=True, related_name="+", verbose_name=_("innsatsområder"))
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommune"),
    )
    target_groups = models.ManyToManyField(
        "taxonomy.TargetGroup", blank=True, related_name="+", verbose_name=_("målgrupper")
    )
    focus_areas = models.ManyToManyField(
        "taxonomy.FocusArea", blank=True, related_name="+", verbose_name=_("fokusområder")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("innsendt på vegne av"),
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-post"), blank=True)
    contact_phone = models.CharField(_("telefon"), max_length=20, blank=True)
    consent_to_publish = models.BooleanField(_("samtykke til publisering"), null=True, blank=True)
    tags = models.JSONField(_("stikkord"), default=list, blank=True)

    submitted_at = models.DateTimeField(_("sendt inn"), null=True, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "receipt_sent_at", "form_token", "access_token_hash"])
    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        verbose_name = _("innspill")
        verbose_name_plural = _("innspill")
        indexes = [
            # Serves the review desk: one call's submissions by status, newest first.
            models.Index(fields=["call", "status", "-submitted_at"], name="submission_desk_idx"),
        ]

    def __str__(self) -> str:
        return self.reference or self.title or str(_("utkast"))

    TEXT_FIELDS = ("summary", "what", "why", "for_whom", "how", "resources", "results", "lessons")

    def texts(self) -> list[tuple[str, str]]:
        """The free-text answers with their labels, in the order of the form."""
        return labelled_texts(self, self.TEXT_FIELDS)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_editable_by_submitter(self) -> bool:
        """Drafts while the call is open; sent ones only when the editors ask for more information."""
        if self.status == self.Status.NEEDS_INFO:
            return True
        return self.status == self.Status.DRAFT and self.call.is_open


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name, never the uploaded one; files live under var/media, outside static files.
    return f"attachments/{uuid.uuid4().hex}"


class Attachment(TimeStampedModel):
    MAX_PER_SUBMISSION = 5
    MAX_BYTES = 10 * 1024 * 1024

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("filnavn"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")

    def __str__(self) -> str:
        return self.original_name


class ReviewNote(TimeStampedModel):
    """An editor's internal note on a submission; never shown to the submitter."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("notat"), max_length=5000)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("internt notat")
        verbose_name_plural = _("interne notater")


class ReferenceCounter(models.Model):
    """The last reference number handed out per year (INN-2026-0042)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def export_path(instance: Export, filename: str) -> str:
    # A random name under var/media/exports; downloads go through a view that checks the editor.
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"exports/{uuid.uuid4().hex}.{suffix}"


class ExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Exports of the calls the user edits; they hold contact details, so nobody else sees them."""
        from samspill.core.permissions import editable_call_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(call_id__in=editable_call_ids(user))


class Export(TimeStampedModel):
    """A file of a call's submissions for the strategy writers, built by a background task."""

    class Format(models.TextChoices):
        CSV = "csv", _("CSV (regneark, alle innsendte)")
        XLSX = "xlsx", _("Excel (ett ark per innsatsområde og en oppsummering)")
        PDF = "pdf", _("PDF-hefte med godtatte innspill")

    class Status(models.TextChoices):
        QUEUED = "queued", _("i kø")
        RUNNING = "running", _("lages")
        DONE = "done", _("ferdig")
        FAILED = "failed", _("feilet")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("fremdrift (prosent)"), default=0)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    error = models.TextField(_("feilmelding"), blank=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("eksport")
        verbose_name_plural = _("eksporter")

    def __str__(self) -> str:
        return f"{self.call} ({self.get_format_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def download_name(self) -> str:
        when = timezone.localtime(self.finished_at or self.created_at)
        return f"{self.call.slug}-innspill-{when:%Y-%m-%d-%H%M}.{self.format}"
