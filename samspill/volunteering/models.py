"""Models of volunteering: opportunities, shifts (single or from a weekly series) and sign-ups.

The sign-up rules (never overbook, wait list in order) live in ``services.py``; the
database backs them with the check ``confirmed_count <= capacity`` on a shift and a
conditional unique constraint against signing the same person up twice.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords

from samspill.core.models import TimeStampedModel

# Sign-ups that hold a place or a place in line; cancelled and declined ones do not.
ACTIVE_STATUSES = ("pending", "confirmed", "waitlisted")


class _BuiltOnceHistoryDescriptor(HistoryDescriptor):
    """simple_history's ``history`` descriptor, with its manager class built once.

    simple_history builds a new manager class (``Manager.from_queryset``, which inspects every
    queryset method) on each access to ``instance.history``, and it reads that attribute in
    every save to write the history row. The class it builds is the same each time.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.built_manager_class = self.manager_class.from_queryset(self.queryset_class)

    def __get__(self, instance, owner):
        return self.built_manager_class(self.model, instance)


class LeanHistoricalRecords(HistoricalRecords):
    """HistoricalRecords for models saved on hot paths (a sign-up): the same rows, less CPU."""

    def finalize(self, sender, **kwargs) -> None:
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(self.manager_name)
        if type(descriptor) is HistoryDescriptor:
            built_once = _BuiltOnceHistoryDescriptor(
                descriptor.model, manager=descriptor.manager_class, queryset=descriptor.queryset_class
            )
            setattr(sender, self.manager_name, built_once)


def _own_organisation_ids(user) -> list[int]:
    from samspill.core.permissions import effective_grants

    return [g.organisation_id for g in effective_grants(user)]


class OpportunityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Opportunity.Status.PUBLISHED)

    def visible_to(self, user):
        """Published ones for everyone; every status for the people of the organisation."""
        if getattr(user, "is_superuser", False):
            return self.all()
        public = models.Q(status__in=Opportunity.PUBLIC_STATUSES)
        if not getattr(user, "is_authenticated", False):
            return self.filter(public)
        return self.filter(public | models.Q(organisation_id__in=_own_organisation_ids(user)))


class Opportunity(TimeStampedModel):
    """Something an organisation needs volunteers for (frivillig oppdrag)."""

    class Form(models.TextChoices):
        REGULAR = "regular", _("fast oppdrag")
        EVENT = "event", _("enkeltarrangement")
        DROP_IN = "drop_in", _("drop-in")
        REMOTE = "remote", _("digitalt / på avstand")
        GROUP = "group", _("for grupper og bedrifter")

    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        PUBLISHED = "published", _("publisert")
        PAUSED = "paused", _("satt på pause")
        FILLED = "filled", _("fullt")
        CLOSED = "closed", _("avsluttet")

    class PoliceCertificateBasis(models.TextChoices):
        NONE = "", _("ingen – politiattest kan ikke kreves")
        MINORS = "minors", _("arbeid med mindreårige (politiregisterforskriften § 34-1)")
        INTELLECTUAL_DISABILITY = (
            "intellectual_disability",
            _("arbeid med personer med utviklingshemming (politiregisterforskriften § 34-1)"),
        )

    # Shown in search to everyone; drafts only to the organisation.
    PUBLIC_STATUSES = ("published", "paused", "filled")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="opportunities",
        verbose_name=_("organisasjon"),
    )
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), max_length=10000)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.REGULAR)
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("kommune"),
    )
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.ForeignKey(
        "places.PostalCode",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("postnummer"),
    )
    focus_areas = models.ManyToManyField(
        "taxonomy.FocusArea", blank=True, related_name="opportunities", verbose_name=_("fokusområder")
    )
    target_groups = models.ManyToManyField(
        "taxonomy.TargetGroup", blank=True, related_name="opportunities", verbose_name=_("målgrupper")
    )
    requires_police_certificate = models.BooleanField(_("krever politiattest"), default=False)
    police_certificate_basis = models.CharField(
        _("hjemmel for politiattest"),
        max_length=30,
        choices=PoliceCertificateBasis.choices,
        default="",
        blank=True,
    )
    requires_confidentiality = models.BooleanField(_("krever taushetserklæring"), default=False)
    minimum_age = models.PositiveSmallIntegerField(_("minstealder"), null=True, blank=True)
    languages = models.JSONField(_("språk"), default=list, blank=True)
    skills = models.TextField(_("ferdigheter"), max_length=2000, blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kontaktperson"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("frivillig oppdrag")
        verbose_name_plural = _("frivillige oppdrag")
        constraints = [
            # Politiregisterforskriften § 34-1: a police certificate only with a legal basis.
            models.CheckConstraint(
                condition=models.Q(requires_police_certificate=False) | ~models.Q(police_certificate_basis=""),
                name="police_certificate_needs_basis",
            ),
            models.CheckConstraint(
                condition=models.Q(requires_police_certificate=True) | models.Q(police_certificate_basis=""),
                name="police_certificate_basis_only_when_required",
            ),
        ]
        indexes = [models.Index(fields=["status", "municipality"], name="opportunity_search_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteering:detail", args=[self.pk])

    @property
    def is_open_for_signups(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def language_labels(self) -> list[str]:
        from samspill.accounts.models import Profile

        labels = dict(Profile.Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]

    @property
    def has_requirements(self) -> bool:
        return bool(
            self.requires_police_certificate
            or self.requires_confidentiality
            or self.minimum_age
            or self.languages
            or self.skills
        )


class ShiftSeries(TimeStampedModel):
    """A weekly pattern that generates shifts (``services.generate_shifts``), with exception dates."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("mandag")
        TUESDAY = 1, _("tirsdag")
        WEDNESDAY = 2, _("onsdag")
        THURSDAY = 3, _("torsdag")
        FRIDAY = 4, _("fredag")
        SATURDAY = 5, _("lørdag")
        SUNDAY = 6, _("søndag")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="series")
    weekday = models.PositiveSmallIntegerField(_("ukedag"), choices=Weekday.choices)
    starts_at_time = models.TimeField(_("starter kl."))
    ends_at_time = models.TimeField(_("slutter kl."))
    valid_from = models.DateField(_("fra dato"))
    valid_until = models.DateField(_("til og med dato"))
    exception_dates = models.JSONField(_("unntak (datoer uten vakt)"), default=list, blank=True)
    place = models.CharField(_("sted"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("antall plasser"))

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["weekday", "starts_at_time"]
        verbose_name = _("fast vaktmønster")
        verbose_name_plural = _("faste vaktmønstre")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="series_capacity_positive"),
            models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")), name="series_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at_time:%H:%M}–{self.ends_at_time:%H:%M}"

    def dates(self) -> list[date]:
        """The dates the pattern gives, exceptions left out."""
        skip = {str(d) for d in self.exception_dates}
        first = self.valid_from + timedelta(days=(self.weekday - self.valid_from.weekday()) % 7)
        out = []
        day = first
        while day <= self.valid_until:
            if day.isoformat() not in skip:
                out.append(day)
            day += timedelta(days=7)
        return out

    def bounds(self, day: date) -> tuple[datetime, datetime]:
        tz = timezone.get_default_timezone()
        start = timezone.make_aware(datetime.combine(day, self.starts_at_time), tz)
        end_day = day if self.ends_at_time > self.starts_at_time else day + timedelta(days=1)
        end = timezone.make_aware(datetime.combine(end_day, self.ends_at_time), tz)
        return start, end


class ShiftQuerySet(models.QuerySet):
    def upcoming(self, now: datetime | None = None):
        return self.filter(cancelled=False, ends_at__gt=now or timezone.now()).order_by("starts_at")

    def visible_to(self, user):
        return self.filter(opportunity__in=Opportunity.objects.visible_to(user))


class Shift(TimeStampedModel):
    """One stint of work with a number of places (vakt)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    place = models.CharField(_("sted"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("antall plasser"))
    # Kept by services.sign_up/cancel with conditional updates; never set by hand.
    confirmed_count = models.PositiveIntegerField(default=0, editable=False)
    series = models.ForeignKey(
        ShiftSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="shifts", editable=False
    )
    cancelled = models.BooleanField(_("avlyst"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "confirmed_count"])
    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("vakt")
        verbose_name_plural = _("vakter")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="shift_capacity_positive"),
            models.CheckConstraint(
                condition=models.Q(confirmed_count__lte=models.F("capacity")), name="shift_never_overbooked"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
            # A series makes at most one shift per start time: generating again changes nothing.
            models.UniqueConstraint(
                fields=["series", "starts_at"],
                condition=models.Q(series__isnull=False),
                name="one_shift_per_series_start",
            ),
        ]
        indexes = [models.Index(fields=["opportunity", "starts_at"], name="shift_upcoming_idx")]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.opportunity} {start:%d.%m.%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("volunteering:shift", args=[self.pk])

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def is_full(self) -> bool:
        return self.confirmed_count >= self.capacity


class SignUpQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def visible_to(self, user):
        """One's own sign-ups, and those of the opportunities one's organisations coordinate."""
        from samspill.core.permissions import coordinated_organisation_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            models.Q(user=user) | models.Q(opportunity__organisation_id__in=coordinated_organisation_ids(user))
        )


class SignUp(models.Model):
    """A person's yes to a shift, or their interest in an ongoing opportunity (shift empty)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("venter på svar")
        CONFIRMED = "confirmed", _("bekreftet")
        WAITLISTED = "waitlisted", _("på venteliste")
        DECLINED = "declined", _("avslått")
        CANCELLED = "cancelled", _("avmeldt")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="signups")
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, null=True, blank=True, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="volunteer_signups"
    )
    # For people added by hand by a coordinator (user empty).
    name = models.CharField(_("navn"), max_length=150, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(_("plass på ventelisten"), null=True, blank=True)
    attended = models.BooleanField(_("møtte opp"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("meldt på"), auto_now_add=True)
    responded_at = models.DateTimeField(_("besvart"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("avmeldt"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = LeanHistoricalRecords(excluded_fields=["reminder_sent_at"])
    objects = SignUpQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("påmelding")
        verbose_name_plural = _("påmeldinger")
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "user"],
                condition=models.Q(user__isnull=False, shift__isnull=False, status__in=ACTIVE_STATUSES),
                name="one_active_signup_per_shift",
            ),
            models.UniqueConstraint(
                fields=["opportunity", "user"],
                condition=models.Q(user__isnull=False, shift__isnull=True, status__in=ACTIVE_STATUSES),
                name="one_active_interest_per_opportunity",
            ),
            models.CheckConstraint(
                condition=models.Q(status="waitlisted", waitlist_position__isnull=False)
                | (~models.Q(status="waitlisted") & models.Q(waitlist_position__isnull=True)),
                name="position_only_when_waitlisted",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(email=""), name="signup_has_person"
            ),
        ]
        indexes = [
            models.Index(fields=["shift", "status", "waitlist_position"], name="signup_waitlist_idx"),
            models.Index(fields=["user", "status"], name="signup_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} → {self.shift or self.opportunity}"

    @property
    def person_name(self) -> str:
        if self.user is not None:
            return self.user.get_full_name() or self.user.email
        return self.name

    @property
    def person_email(self) -> str:
        return self.user.email if self.user is not None else self.email

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


def hash_feed_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class CalendarFeed(TimeStampedModel):
    """A person's private calendar link. Only the token's hash is stored; a new link revokes the old."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kalenderlenke")
        verbose_name_plural = _("kalenderlenker")

    def __str__(self) -> str:
        return str(self.user)
