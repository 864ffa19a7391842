from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samspill.core.models import TimeStampedModel
from samspill.core.text import fold, sort_key
from samspill.organisations.querysets import MembershipQuerySet, OrganisationQuerySet
from samspill.organisations.validators import validate_org_number


class Organisation(TimeStampedModel):
    name = models.CharField(_("navn"), max_length=200)
    slug = models.SlugField(_("lenkenavn"), max_length=220, unique=True)
    kind = models.ForeignKey(
        "taxonomy.OrganisationKind", on_delete=models.PROTECT, related_name="organisations", verbose_name=_("type")
    )
    org_number = models.CharField(
        _("organisasjonsnummer"),
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_org_number],
        help_text=_("9 siffer, fra Enhetsregisteret."),
    )
    category = models.ForeignKey(
        "taxonomy.OrganisationCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("kategori (ICNPO)"),
    )
    home_municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_organisations",
        verbose_name=_("hjemkommune"),
    )
    municipalities_served = models.ManyToManyField(
        "places.Municipality", blank=True, related_name="served_by", verbose_name=_("kommuner organisasjonen dekker")
    )
    # The municipality's or county's own organisation is linked to its place.
    governs_municipality = models.OneToOneField(
        "places.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_organisation",
        verbose_name=_("kommunens egen organisasjon for"),
    )
    governs_county = models.OneToOneField(
        "places.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_organisation",
        verbose_name=_("fylkeskommunens egen organisasjon for"),
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    website = models.URLField(_("nettside"), blank=True)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    name_sort = models.CharField(max_length=200, editable=False, db_index=True)

    history = HistoricalRecords(excluded_fields=["name_folded", "name_sort", "updated_at"])
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name_sort"]
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.slug])

    def refresh_search_fields(self) -> None:
        self.name_folded = fold(self.name)
        self.name_sort = sort_key(self.name)


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    COORDINATOR = "coordinator", _("koordinator")
    MEMBER = "member", _("medlem")


class Membership(TimeStampedModel):
    """A person's role in an organisation; every right in Samspill is held through one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_person")]
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(TimeStampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-postadresse"))
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    VALID_DAYS = 14

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]
        verbose_name = _("invitasjon")
        verbose_name_plural = _("invitasjoner")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        expired = self.created_at < timezone.now() - timedelta(days=self.VALID_DAYS)
        return self.accepted_at is None and self.revoked_at is None and not expired


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(TimeStampedModel):
    """A per-organisation API key. Only its SHA-256 hash is stored; the key is shown once."""

    PREFIX = "samspill_"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("navn"), max_length=100, help_text=_("Hva nøkkelen brukes til."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so that people can tell their keys apart.
    key_hint = models.CharField(max_length=16, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_used_at", "updated_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
