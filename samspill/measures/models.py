"""Measures (tiltak), their plans and resources, and their indicators with measurements.

Indicators follow Results-Based Accountability: *how much did we do*, *how well did we do
it*, *is anyone better off*. A ratio indicator stores its numerator and denominator (as
DHIS2 does) and the value computed from them, so both can be reported and re-checked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samspill.core.models import TimeStampedModel
from samspill.measures import periods
from samspill.measures.querysets import MeasureQuerySet


class Measure(TimeStampedModel):
    class Status(models.TextChoices):
        IDEA = "idea", _("idé")
        PLANNED = "planned", _("planlagt")
        ACTIVE = "active", _("i gang")
        COMPLETED = "completed", _("fullført")
        STOPPED = "stopped", _("stanset")

    # Where each status may go next; completed and stopped are final but may be reopened.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        "idea": ("planned", "active", "stopped"),
        "planned": ("active", "stopped", "idea"),
        "active": ("completed", "stopped"),
        "completed": ("active",),
        "stopped": ("planned", "active"),
    }

    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), max_length=10000, blank=True)
    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="measures_owned",
        verbose_name=_("eier"),
    )
    municipalities = models.ManyToManyField(
        "places.Municipality", blank=True, related_name="measures", verbose_name=_("kommuner")
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("partnerskap"),
    )
    themes = models.ManyToManyField(
        "taxonomy.Theme", blank=True, related_name="measures", verbose_name=_("innsatsområder")
    )
    focus_areas = models.ManyToManyField(
        "taxonomy.FocusArea", blank=True, related_name="measures", verbose_name=_("fokusområder")
    )
    target_groups = models.ManyToManyField(
        "taxonomy.TargetGroup", blank=True, related_name="measures", verbose_name=_("målgrupper")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IDEA, db_index=True)
    start_date = models.DateField(_("startdato"), null=True, blank=True)
    end_date = models.DateField(_("sluttdato"), null=True, blank=True)
    status_changed_on = models.DateField(_("status endret"), null=True, blank=True)
    resources_text = models.TextField(
        _("ressurser"), max_length=5000, blank=True, help_text=_("Budsjett, bidrag og annet tiltaket trenger.")
    )
    is_public = models.BooleanField(
        _("offentlig"), default=False, help_text=_("Offentlige tiltak kan alle se. Ellers ser bare de som er med.")
    )
    adopted_practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("bygger på godt eksempel"),
    )
    published_as = models.ForeignKey(
        "practices.Practice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_measures",
        verbose_name=_("publisert som godt eksempel"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")
        indexes = [models.Index(fields=["is_public", "-updated_at"], name="measure_public_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:detail", args=[self.pk])

    def next_statuses(self) -> list[tuple[str, str]]:
        labels = dict(self.Status.choices)
        return [(value, str(labels[value])) for value in self.TRANSITIONS.get(self.status, ())]


class MeasurePartner(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="measure_partnerships",
        verbose_name=_("organisasjon"),
    )
    role = models.CharField(_("rolle"), max_length=200, help_text=_("Hva organisasjonen bidrar med i tiltaket."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["measure", "organisation"], name="one_partner_row_per_org")]
        verbose_name = _("partner")
        verbose_name_plural = _("partnere")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.role})"


class PlanItem(models.Model):
    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("aktivitet")
        MILESTONE = "milestone", _("milepæl")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="plan_items")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.ACTIVITY)
    title = models.CharField(_("hva"), max_length=200)
    due_date = models.DateField(_("frist"), null=True, blank=True)
    done_date = models.DateField(_("gjort"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = [models.F("due_date").asc(nulls_last=True), "pk"]
        verbose_name = _("punkt i planen")
        verbose_name_plural = _("plan")

    def __str__(self) -> str:
        return self.title


class Resource(models.Model):
    class Kind(models.TextChoices):
        BUDGET = "budget", _("budsjett")
        CONTRIBUTION = "contribution", _("bidrag")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.BUDGET)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fra organisasjon"),
    )
    description = models.CharField(_("beskrivelse"), max_length=300)
    amount = models.DecimalField(
        _("beløp (kr)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("ressurs")
        verbose_name_plural = _("ressurser")

    def __str__(self) -> str:
        return self.description


class Indicator(TimeStampedModel):
    class Kind(models.TextChoices):
        HOW_MUCH = "how_much", _("Hvor mye gjorde vi?")
        HOW_WELL = "how_well", _("Hvor godt gjorde vi det?")
        BETTER_OFF = "better_off", _("Har noen fått det bedre?")

    class Unit(models.TextChoices):
        COUNT = "count", _("antall")
        PERCENT = "percent", _("prosent")
        NOK = "nok", _("kroner")
        HOURS = "hours", _("timer")
        SCORE = "score", _("skår")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("høyere er bedre")
        LOWER = "lower", _("lavere er bedre")

    class PeriodType(models.TextChoices):
        MONTH = "month", _("måned")
        QUARTER = "quarter", _("kvartal")
        YEAR = "year", _("år")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), max_length=2000, blank=True)
    unit = models.CharField(_("enhet"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    direction = models.CharField(_("retning"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    period_type = models.CharField(
        _("rapporteres per"), max_length=10, choices=PeriodType.choices, default=PeriodType.MONTH
    )
    is_ratio = models.BooleanField(
        _("brøk (teller og nevner)"),
        default=False,
        help_text=_("Verdien regnes ut av teller og nevner, f.eks. antall fulgt opp av antall frivillige."),
    )
    numerator_label = models.CharField(_("teller"), max_length=200, blank=True)
    denominator_label = models.CharField(_("nevner"), max_length=200, blank=True)
    baseline_value = models.DecimalField(_("utgangspunkt"), max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(_("dato for utgangspunkt"), null=True, blank=True)
    target_value = models.DecimalField(_("målverdi"), max_digits=16, decimal_places=4, null=True, blank=True)
    target_date = models.DateField(_("dato for målverdi"), null=True, blank=True)
    data_source = models.CharField(_("datakilde"), max_length=300, blank=True)
    responsible = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="reporting_indicators",
        verbose_name=_("ansvarlig for rapportering"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["measure_id", "kind", "pk"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measures:indicator", args=[self.measure_id, self.pk])

    def value_from(self, numerator: Decimal, denominator: Decimal) -> Decimal:
        """The value of a ratio: a share in percent for percent indicators, else the plain quotient."""
        quotient = numerator / denominator
        if self.unit == self.Unit.PERCENT:
            quotient *= 100
        return quotient

    def period_label(self, start: date) -> str:
        return periods.label(self.period_type, start)


class Measurement(TimeStampedModel):
    """The value of an indicator for one period. Entering a period again corrects it (history keeps the old)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    period_start = models.DateField(_("periode"))
    value = models.DecimalField(_("verdi"), max_digits=16, decimal_places=4)
    numerator = models.DecimalField(_("teller"), max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("nevner"), max_digits=16, decimal_places=4, null=True, blank=True)
    note = models.CharField(_("merknad"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_via = models.CharField(max_length=20, default="web")  # web, import, api

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["indicator_id", "period_start"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period_start"], name="one_measurement_per_period")]
        verbose_name = _("måling")
        verbose_name_plural = _("målinger")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.period_start})"

    @property
    def period_label(self) -> str:
        return self.indicator.period_label(self.period_start)


class ReportingReminder(models.Model):
    """A reminder sent because a period ended without a value; one per indicator and period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reminders")
    period_start = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "period_start"], name="one_reminder_per_period")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_start}"
