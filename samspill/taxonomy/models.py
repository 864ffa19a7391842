"""Shared classification lists, seeded from the source documents and editable in admin.

Names are stored in Norwegian (verbatim from the sources) with an optional English name
that the English interface shows when it is filled in.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Term(models.Model):
    slug = models.SlugField(_("kode"), max_length=80, unique=True, help_text=_("Fast kode som brukes i lenker og API."))
    name = models.CharField(_("navn (bokmål)"), max_length=200)
    name_en = models.CharField(_("navn (engelsk)"), max_length=200, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    is_active = models.BooleanField(_("i bruk"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language, falling back to Norwegian."""
        if self.name_en and (get_language() or "nb").startswith("en"):
            return self.name_en
        return self.name


class Theme(Term):
    """An area a call asks about (innsatsområde); the four areas of the seed-000 call."""

    class Meta(Term.Meta):
        verbose_name = _("innsatsområde")
        verbose_name_plural = _("innsatsområder")


class FocusArea(Term):
    """Fokusområde, from the seed-004 partnership plan."""

    class Meta(Term.Meta):
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområder")


class TargetGroup(Term):
    """Målgruppe, from the seed-000 call."""

    class Meta(Term.Meta):
        verbose_name = _("målgruppe")
        verbose_name_plural = _("målgrupper")


class OrganisationKind(Term):
    """What sort of body an organisation is. The slugs below carry rights (see permissions)."""

    VOLUNTARY = "frivillig-organisasjon"
    VOLUNTEER_CENTRE = "frivilligsentral"
    MUNICIPALITY = "kommune"
    COUNTY = "fylkeskommune"
    NATIONAL = "nasjonal-aktor"
    OTHER = "annet"
    PUBLIC_KINDS = (MUNICIPALITY, COUNTY, NATIONAL)

    class Meta(Term.Meta):
        verbose_name = _("organisasjonstype")
        verbose_name_plural = _("organisasjonstyper")


class OrganisationCategory(models.Model):
    """ICNPO category as used by Frivillighetsregisteret (14 main groups, 32 subgroups)."""

    code = models.CharField(_("ICNPO-kode"), max_length=8, unique=True)
    dotted_code = models.CharField(_("kode med punktum"), max_length=8)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("hovedgruppe")
    )
    level = models.PositiveSmallIntegerField(_("nivå"))
    name = models.CharField(_("navn (bokmål)"), max_length=200)
    name_en = models.CharField(_("navn (engelsk)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("ICNPO-kategori")
        verbose_name_plural = _("ICNPO-kategorier")

    def __str__(self) -> str:
        return f"{self.dotted_code} {self.label}"

    @property
    def label(self) -> str:
        if self.name_en and (get_language() or "nb").startswith("en"):
            return self.name_en
        return self.name
