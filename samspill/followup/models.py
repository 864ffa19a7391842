"""What happens after someone says yes: onboarding records, hours, follow-ups.

Police certificates are recorded as *seen*, never stored: no file, no certificate number,
and no audit history (a history row would outlive the deletion the law requires when the
person's role with the organisation ends; see ``services.end_role``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samspill.core.models import TimeStampedModel


class PoliceCertificateBasis(models.TextChoices):
    """Politiregisterforskriften § 34-1: the only grounds for asking a volunteer for one."""

    MINORS = "minors", _("arbeid med mindreårige")
    INTELLECTUAL_DISABILITY = "intellectual_disability", _("arbeid med personer med utviklingshemming")


class PoliceCertificate(TimeStampedModel):
    """That an organisation asked for, and saw, a person's police certificate. Never the document."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="police_certificates"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="police_certificates")
    basis = models.CharField(_("hjemmel"), max_length=30, choices=PoliceCertificateBasis.choices)
    requested_on = models.DateField(_("bedt om"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seen_on = models.DateField(_("sett"), null=True, blank=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_police_certificate_record_per_person")
        ]
        verbose_name = _("politiattest (sett)")
        verbose_name_plural = _("politiattester (sett)")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


class ConfidentialityDeclaration(models.Model):
    """One version of an organisation's confidentiality text. A new text is a new row; old ones stay."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="confidentiality_declarations"
    )
    version = models.PositiveIntegerField(_("versjon"))
    text = models.TextField(_("tekst"), max_length=20000)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "-version"]
        constraints = [models.UniqueConstraint(fields=["organisation", "version"], name="one_declaration_per_version")]
        verbose_name = _("taushetserklæring")
        verbose_name_plural = _("taushetserklæringer")

    def __str__(self) -> str:
        return f"{self.organisation} v{self.version}"


class ConfidentialitySignature(models.Model):
    declaration = models.ForeignKey(ConfidentialityDeclaration, on_delete=models.CASCADE, related_name="signatures")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="confidentiality_signatures"
    )
    signed_at = models.DateTimeField(_("signert"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["declaration", "user"], name="sign_each_version_once")]
        verbose_name = _("signert taushetserklæring")
        verbose_name_plural = _("signerte taushetserklæringer")

    def __str__(self) -> str:
        return f"{self.user} – {self.declaration}"


class TrainingItem(TimeStampedModel):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="training_items"
    )
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True, max_length=5000)
    required = models.BooleanField(
        _("påkrevd"), default=False, help_text=_("Alle som er påmeldt en vakt hos organisasjonen, må ha fullført den.")
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["organisation", "title"]
        verbose_name = _("opplæring")
        verbose_name_plural = _("opplæringer")

    def __str__(self) -> str:
        return self.title


class TrainingCompletion(models.Model):
    item = models.ForeignKey(TrainingItem, on_delete=models.CASCADE, related_name="completions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions")
    completed_on = models.DateField(_("fullført"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="complete_training_once")]
        verbose_name = _("fullført opplæring")
        verbose_name_plural = _("fullførte opplæringer")

    def __str__(self) -> str:
        return f"{self.user} – {self.item}"


class FollowUpStep(models.Model):
    """A step of an organisation's follow-up schedule, counted from the volunteer's first shift."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="followup_steps"
    )
    name = models.CharField(_("navn"), max_length=100)
    days_after_start = models.PositiveIntegerField(_("dager etter første vakt"), validators=[MaxValueValidator(3650)])
    repeat_months = models.PositiveIntegerField(
        _("gjenta hver n. måned"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Tomt: bare én gang."),
    )

    class Meta:
        ordering = ["organisation", "days_after_start", "pk"]
        verbose_name = _("steg i oppfølgingsplanen")
        verbose_name_plural = _("steg i oppfølgingsplanen")

    def __str__(self) -> str:
        return self.name


class FollowUp(TimeStampedModel):
    """A follow-up conversation the coordinator owes a volunteer, created by the schedule."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="followups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followups")
    step = models.ForeignKey(FollowUpStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="followups")
    step_name = models.CharField(_("steg"), max_length=100)
    occurrence = models.PositiveIntegerField(default=0)
    due_on = models.DateField(_("frist"))
    done_at = models.DateTimeField(_("fulgt opp"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("notat"), blank=True, max_length=5000)
    checkin_sent_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "checkin_sent_at"])

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["step", "user", "occurrence"], name="one_followup_per_step_occurrence")
        ]
        indexes = [models.Index(fields=["organisation", "done_at", "due_on"], name="followup_queue")]
        verbose_name = _("oppfølging")
        verbose_name_plural = _("oppfølginger")

    def __str__(self) -> str:
        return f"{self.step_name}: {self.user}"


class CheckIn(models.Model):
    """The volunteer's answer to "Hvordan går det?"."""

    class Wish(models.TextChoices):
        SAME = "same", _("fortsette som nå")
        MORE = "more", _("flere oppgaver")
        LESS = "less", _("færre oppgaver")
        OTHER = "other", _("andre oppgaver")

    followup = models.OneToOneField(FollowUp, on_delete=models.CASCADE, related_name="checkin")
    satisfaction = models.PositiveSmallIntegerField(
        _("hvor fornøyd er du?"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    wish = models.CharField(_("hva ønsker du?"), max_length=10, choices=Wish.choices, default=Wish.SAME)
    comment = models.TextField(_("kommentar"), blank=True, max_length=5000)
    answered_at = models.DateTimeField(_("svart"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__gte=1, satisfaction__lte=5), name="checkin_satisfaction_1_to_5"
            )
        ]
        verbose_name = _("svar på oppfølging")
        verbose_name_plural = _("svar på oppfølging")

    def __str__(self) -> str:
        return f"{self.followup}: {self.satisfaction}"


class EndedRole(models.Model):
    """The coordinator ended a person's volunteer relationship ("avslutt som frivillig").

    Sign-ups made before ``ended_at`` no longer make the person a volunteer of the organisation
    (no new follow-ups); a new sign-up starts a new relationship.
    """

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ended_at = models.DateTimeField()
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_ended_role_per_person")]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


class HoursEntry(TimeStampedModel):
    """Hours a volunteer gave, logged by them or following from an attended shift; approved by the organisation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("venter på godkjenning")
        APPROVED = "approved", _("godkjent")
        REJECTED = "rejected", _("avvist")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hours_entries")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="hours_entries"
    )
    opportunity = models.ForeignKey(
        "volunteering.Opportunity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hours_entries",
        verbose_name=_("oppdrag"),
    )
    # Set when the entry follows from an attended shift; unique, so it is created once.
    signup = models.OneToOneField(
        "volunteering.SignUp", on_delete=models.SET_NULL, null=True, blank=True, related_name="hours_entry"
    )
    date = models.DateField(_("dato"))
    hours = models.DecimalField(
        _("timer"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    description = models.CharField(_("hva gjorde du?"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.CharField(_("begrunnelse"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["organisation", "status", "date"], name="hours_by_org_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0, hours__lte=24), name="hours_between_0_and_24"),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="rejected_hours_have_a_reason",
            ),
        ]
        verbose_name = _("timer")
        verbose_name_plural = _("timer")

    def __str__(self) -> str:
        return f"{self.user} {self.date}: {self.hours}"


class InterestEscalation(models.Model):
    """That unanswered interest was reported to the organisation's admins (once)."""

    signup = models.OneToOneField("volunteering.SignUp", on_delete=models.CASCADE, related_name="escalation")
    escalated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.signup_id} {self.escalated_at}"
