from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samspill.core.text import fold, sort_key
from samspill.places.querysets import PlaceQuerySet


class Place(models.Model):
    """Fields shared by counties and municipalities (Kartverket's administrative units)."""

    number = models.CharField(_("nummer"), max_length=4, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    official_name = models.CharField(
        _("offisielt navn"), max_length=200, help_text=_("Alle offisielle navneformer, også samiske og kvenske.")
    )
    population = models.PositiveIntegerField(_("folketall 1.1.2024"), null=True, blank=True)
    area_km2 = models.DecimalField(_("areal (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    website = models.CharField(_("nettside"), max_length=200, blank=True)
    centre_lat = models.DecimalField(_("sentrum, breddegrad"), max_digits=8, decimal_places=5, null=True)
    centre_lon = models.DecimalField(_("sentrum, lengdegrad"), max_digits=8, decimal_places=5, null=True)
    # Derived from name by refresh_search_fields(); see samspill.core.text for why.
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    name_sort = models.CharField(max_length=200, editable=False, db_index=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name_sort"]

    def __str__(self) -> str:
        return self.name

    def refresh_search_fields(self) -> None:
        self.name_folded = fold(f"{self.name} {self.official_name}")
        self.name_sort = sort_key(self.name)

    @property
    def website_url(self) -> str:
        if not self.website:
            return ""
        return self.website if self.website.startswith("http") else f"https://{self.website}"


class County(Place):
    class Meta(Place.Meta):
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")

    def get_absolute_url(self) -> str:
        return reverse("places:county", args=[self.number])


class Municipality(Place):
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("fylke"))
    administrative_centre = models.CharField(_("administrasjonssenter"), max_length=100, blank=True)
    language_form = models.CharField(_("målform"), max_length=20, blank=True)

    class Meta(Place.Meta):
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def get_absolute_url(self) -> str:
        return reverse("places:municipality", args=[self.number])


class PostalCode(models.Model):
    class Category(models.TextChoices):
        BOTH = "B", _("gate- og postboksadresser")
        STREET = "G", _("gateadresser")
        PO_BOX = "P", _("postbokser")
        SERVICE = "S", _("servicepostnummer")

    code = models.CharField(_("postnummer"), max_length=4, unique=True)
    place_name = models.CharField(_("poststed"), max_length=100)
    # Null for Svalbard and Jan Mayen, which have postal codes but are not municipalities.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="postal_codes"
    )
    category = models.CharField(_("kategori"), max_length=1, choices=Category.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("postnummer")
        verbose_name_plural = _("postnumre")

    def __str__(self) -> str:
        return f"{self.code} {self.place_name.title()}"
