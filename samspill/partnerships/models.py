"""Models of partnerships (seed 004).

A partnership is led by a county or a municipality and has member organisations. Its page
has one section per question of the source document and a "way forward" checklist; the
headings of both are seed data (``Topic``) that admins may edit. Members keep versioned
guidelines, agreements with contributions and signatures, and meetings with action items.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samspill.core.models import TimeStampedModel
from samspill.partnerships.querysets import (
    ActionItemQuerySet,
    AgreementQuerySet,
    PartnershipMemberQuerySet,
    PartnershipQuerySet,
)

TEXT_LIMIT = 20000


class Topic(models.Model):
    """A section heading of a partnership page, copied verbatim from seed 004; admins may edit it."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("spørsmål (Partnerskap for?)")
        WAY_FORWARD = "way_forward", _("veien videre")

    class Feature(models.TextChoices):
        NONE = "", _("ingen")
        MEMBERS = "members", _("medlemmer")
        GUIDELINES = "guidelines", _("retningslinjer")
        AGREEMENTS = "agreements", _("avtaler")
        MEETINGS = "meetings", _("møter")
        MEASURES = "measures", _("tiltak og målgrupper")

    key = models.SlugField(_("nøkkel"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    heading = models.CharField(_("overskrift"), max_length=200)
    help_text = models.TextField(_("veiledning til den som skriver"), blank=True)
    # Where in Samspill this part of the partnership is kept up to date (a link on the page).
    feature = models.CharField(_("del av Samspill"), max_length=20, choices=Feature.choices, blank=True, default="")
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    is_active = models.BooleanField(_("i bruk"), default=True)

    class Meta:
        ordering = ["kind", "position", "pk"]
        verbose_name = _("overskrift for partnerskap")
        verbose_name_plural = _("overskrifter for partnerskap")

    def __str__(self) -> str:
        return self.heading


class Partnership(TimeStampedModel):
    class Status(models.TextChoices):
        FORMING = "forming", _("under etablering")
        ACTIVE = "active", _("aktivt")
        ENDED = "ended", _("avsluttet")

    slug = models.SlugField(_("lenkenavn"), max_length=220, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    purpose = models.TextField(_("formål"), max_length=2000, help_text=_("Hvorfor partnerskapet finnes, kort."))
    lead = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        verbose_name=_("leder (organisasjon)"),
    )
    counties = models.ManyToManyField(
        "places.County", blank=True, related_name="partnerships", verbose_name=_("fylker")
    )
    municipalities = models.ManyToManyField(
        "places.Municipality", blank=True, related_name="partnerships", verbose_name=_("kommuner")
    )
    focus_areas = models.ManyToManyField(
        "taxonomy.FocusArea", blank=True, related_name="partnerships", verbose_name=_("fokusområder")
    )
    target_groups = models.ManyToManyField(
        "taxonomy.TargetGroup", blank=True, related_name="partnerships", verbose_name=_("målgrupper")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.FORMING)
    starts_on = models.DateField(_("startdato"), null=True, blank=True)
    ends_on = models.DateField(_("sluttdato"), null=True, blank=True)
    is_public = models.BooleanField(
        _("offentlig"), default=False, help_text=_("Alle kan lese formålet, medlemmene og sidene om partnerskapet.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[focus_areas])
    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnerskap")
        verbose_name_plural = _("partnerskap")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", args=[self.slug])


class PartnershipSection(TimeStampedModel):
    """The lead's text for one topic of one partnership (and, for "way forward", how far it has come)."""

    class Progress(models.TextChoices):
        OPEN = "open", _("ikke startet")
        IN_PROGRESS = "in_progress", _("under avklaring")
        CLARIFIED = "clarified", _("avklart")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="sections")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="sections", verbose_name=_("overskrift"))
    text = models.TextField(_("tekst"), max_length=TEXT_LIMIT, blank=True)
    progress = models.CharField(_("framdrift"), max_length=20, choices=Progress.choices, default=Progress.OPEN)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["topic__kind", "topic__position", "topic_id"]
        constraints = [models.UniqueConstraint(fields=["partnership", "topic"], name="one_section_per_topic")]
        verbose_name = _("del av partnerskap")
        verbose_name_plural = _("deler av partnerskap")

    def __str__(self) -> str:
        return f"{self.partnership} – {self.topic}"


class PartnershipMember(TimeStampedModel):
    """An organisation's place in a partnership, from invitation or request to leaving."""

    class Role(models.TextChoices):
        LEAD = "lead", _("leder")
        MUNICIPALITY = "municipality", _("kommune")
        COUNTY = "county", _("fylkeskommune")
        VOLUNTARY = "voluntary", _("frivillig organisasjon")
        OTHER = "other", _("annet")

    class Status(models.TextChoices):
        INVITED = "invited", _("invitert")
        REQUESTED = "requested", _("ber om å bli med")
        ACTIVE = "active", _("medlem")
        DECLINED = "declined", _("takket nei")
        REJECTED = "rejected", _("forespørsel avslått")
        LEFT = "left", _("har gått ut")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="partnership_memberships",
        verbose_name=_("organisasjon"),
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, default=Role.OTHER)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INVITED)
    message = models.TextField(_("melding"), max_length=2000, blank=True)
    joined_on = models.DateField(_("med fra"), null=True, blank=True)
    left_on = models.DateField(_("gikk ut"), null=True, blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnership_contacts",
        verbose_name=_("kontaktperson"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PartnershipMemberQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "organisation__name_sort"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation"], name="one_member_row_per_organisation")
        ]
        verbose_name = _("medlem i partnerskap")
        verbose_name_plural = _("medlemmer i partnerskap")

    def __str__(self) -> str:
        return f"{self.organisation} i {self.partnership}"


class GuidelinesVersion(TimeStampedModel):
    """One version of the guidelines for cooperation and participation (retningslinjer)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("foreslått")
        ADOPTED = "adopted", _("vedtatt")
        SUPERSEDED = "superseded", _("erstattet")
        WITHDRAWN = "withdrawn", _("trukket")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="guidelines")
    number = models.PositiveIntegerField(_("versjon"))
    text = models.TextField(_("tekst"), max_length=TEXT_LIMIT)
    change_note = models.TextField(_("hva er endret og hvorfor"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    adopted_on = models.DateField(_("vedtatt dato"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["partnership", "-number"]
        constraints = [models.UniqueConstraint(fields=["partnership", "number"], name="one_guidelines_version_number")]
        verbose_name = _("retningslinjer (versjon)")
        verbose_name_plural = _("retningslinjer (versjoner)")

    def __str__(self) -> str:
        return f"{self.partnership} – v{self.number}"


class GuidelinesComment(TimeStampedModel):
    version = models.ForeignKey(GuidelinesVersion, on_delete=models.CASCADE, related_name="comments")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("på vegne av")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnership_guidelines_comments",
    )
    text = models.TextField(_("kommentar"), max_length=5000)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("kommentar til retningslinjer")
        verbose_name_plural = _("kommentarer til retningslinjer")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.text[:40]}"


class Agreement(TimeStampedModel):
    """A partnership agreement with one member (or with all members) on who contributes what."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        PROPOSED = "proposed", _("til signering")
        SIGNED = "signed", _("signert")
        EXPIRED = "expired", _("utløpt")
        REPLACED = "replaced", _("erstattet")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agreements")
    # Empty: an agreement with all members of the partnership.
    member = models.ForeignKey(
        PartnershipMember,
        # A member row with agreements cannot be deleted on its own, only with its partnership.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("avtalepart"),
    )
    title = models.CharField(_("tittel"), max_length=200)
    text = models.TextField(_("avtaletekst"), max_length=TEXT_LIMIT)
    starts_on = models.DateField(_("gjelder fra"))
    ends_on = models.DateField(_("gjelder til"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("versjon"), default=1)
    replaces = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )
    # The organisations that must sign, fixed when the agreement is sent for signing.
    parties = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="partnership_agreements", verbose_name=_("parter")
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    expiry_notice_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "expiry_notice_sent_at"])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="agreement_period"),
        ]
        verbose_name = _("partnerskapsavtale")
        verbose_name_plural = _("partnerskapsavtaler")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:agreement", args=[self.partnership.slug, self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Contribution(models.Model):
    """What one party contributes in one year under an agreement."""

    class Kind(models.TextChoices):
        MONEY = "money", _("penger")
        PREMISES = "premises", _("lokaler")
        STAFF_HOURS = "staff_hours", _("ansattimer")
        VOLUNTEER_HOURS = "volunteer_hours", _("frivillige timer")
        COMPETENCE = "competence", _("kompetanse")
        COORDINATION = "coordination", _("koordinering")
        OTHER = "other", _("annet")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="contributions")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("type bidrag"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("beskrivelse"), max_length=500)
    amount = models.DecimalField(_("mengde"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("enhet"), max_length=30, blank=True, help_text=_("For eksempel NOK, timer, m²."))

    class Meta:
        ordering = ["year", "organisation__name_sort", "kind", "pk"]
        verbose_name = _("bidrag")
        verbose_name_plural = _("bidrag")

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.get_kind_display()}"


class Signature(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnership_signatures",
    )
    signer_role = models.CharField(_("signert som"), max_length=100, help_text=_("For eksempel daglig leder."))
    signed_at = models.DateTimeField(_("signert"))

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["agreement", "organisation"], name="one_signature_per_party")]
        verbose_name = _("signatur")
        verbose_name_plural = _("signaturer")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.agreement}"


class Meeting(TimeStampedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("dato"))
    place = models.CharField(_("sted"), max_length=200, blank=True)
    agenda = models.TextField(_("saksliste"), max_length=TEXT_LIMIT, blank=True)
    minutes = models.TextField(_("referat"), max_length=TEXT_LIMIT, blank=True)
    decisions = models.TextField(_("vedtak"), max_length=TEXT_LIMIT, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["partnership", "-held_on", "-pk"]
        verbose_name = _("møte")
        verbose_name_plural = _("møter")

    def __str__(self) -> str:
        return f"{self.partnership} {self.held_on:%d.%m.%Y}"


class ActionItem(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("åpen")
        IN_PROGRESS = "in_progress", _("pågår")
        DONE = "done", _("ferdig")
        CANCELLED = "cancelled", _("avlyst")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="action_items", verbose_name=_("møte")
    )
    what = models.CharField(_("hva"), max_length=500)
    owner_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarlig organisasjon"),
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnership_action_items",
        verbose_name=_("ansvarlig person"),
    )
    due_on = models.DateField(_("frist"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("oppfølgingspunkt")
        verbose_name_plural = _("oppfølgingspunkter")

    def __str__(self) -> str:
        return self.what

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.due_on is not None and self.status in self.OPEN_STATUSES and self.due_on < timezone.localdate()
