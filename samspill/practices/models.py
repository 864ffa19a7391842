from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samspill.core.models import TimeStampedModel, labelled_texts
from samspill.practices.querysets import PracticeQuerySet


class Practice(TimeStampedModel):
    """A good practice (godt eksempel) in the public catalogue."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        PROPOSED = "proposed", _("foreslått")
        PUBLISHED = "published", _("publisert")
        WITHDRAWN = "withdrawn", _("trukket tilbake")

    class Evidence(models.TextChoices):
        DESCRIBED = "described", _("beskrevet")
        MEASURED = "measured", _("målt med indikatorer")
        EVALUATED = "evaluated", _("evaluert")

    class Source(models.TextChoices):
        SUBMISSION = "submission", _("innspill til en innspillsrunde")
        DIRECT = "direct", _("skrevet direkte")
        MEASURE = "measure", _("et tiltak")

    TEXT_LIMIT = 10000
    TEXT_FIELDS = ("summary", "what", "why", "for_whom", "how", "resources", "results", "lessons")

    slug = models.SlugField(_("lenkenavn"), max_length=220, unique=True)
    title = models.CharField(_("tittel"), max_length=200)
    summary = models.TextField(_("sammendrag"), max_length=1000)
    what = models.TextField(_("hva"), max_length=TEXT_LIMIT, blank=True)
    why = models.TextField(_("hvorfor"), max_length=TEXT_LIMIT, blank=True)
    for_whom = models.TextField(_("for hvem"), max_length=TEXT_LIMIT, blank=True)
    how = models.TextField(_("slik gjennomføres det"), max_length=TEXT_LIMIT, blank=True)
    resources = models.TextField(_("ressurser"), max_length=TEXT_LIMIT, blank=True)
    results = models.TextField(_("resultater"), max_length=TEXT_LIMIT, blank=True)
    lessons = models.TextField(_("erfaringer og læring"), max_length=TEXT_LIMIT, blank=True)

    themes = models.ManyToManyField(
        "taxonomy.Theme", blank=True, related_name="practices", verbose_name=_("innsatsområder")
    )
    focus_areas = models.ManyToManyField(
        "taxonomy.FocusArea", blank=True, related_name="practices", verbose_name=_("fokusområder")
    )
    target_groups = models.ManyToManyField(
        "taxonomy.TargetGroup", blank=True, related_name="practices", verbose_name=_("målgrupper")
    )
    municipalities = models.ManyToManyField(
        "places.Municipality", blank=True, related_name="practices", verbose_name=_("kommuner")
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="practices", verbose_name=_("organisasjoner som er med")
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-post"), blank=True)
    contact_phone = models.CharField(_("telefon"), max_length=20, blank=True)

    evidence_level = models.CharField(
        _("kunnskapsgrunnlag"), max_length=20, choices=Evidence.choices, default=Evidence.DESCRIBED
    )
    source = models.CharField(_("kilde"), max_length=20, choices=Source.choices, default=Source.DIRECT)
    source_submission = models.ForeignKey(
        "calls.Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("innspill det bygger på"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The area a municipality or county coordinator proposed it for; editors approve it.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_for = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("foreslått av organisasjon"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True, db_index=True)
    # Counted by the measures app when a practice is adopted (issue 6); sorts "most adopted".
    adoption_count = models.PositiveIntegerField(_("tatt i bruk"), default=0)

    history = HistoricalRecords(excluded_fields=["updated_at", "adoption_count"])
    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("godt eksempel")
        verbose_name_plural = _("gode eksempler")
        indexes = [models.Index(fields=["status", "-published_at"], name="practice_published_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", args=[self.slug])

    def texts(self) -> list[tuple[str, str]]:
        return labelled_texts(self, self.TEXT_FIELDS)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class SearchFacet(models.Model):
    """One facet value of a practice (theme, county, organisation kind …), kept by the search
    engine (samspill/practices/search/facets.py) so that filtering and counting facets reads
    one narrow table instead of joining five many-to-many tables. Derived data: current after
    every change to a practice's links, and rebuilt by ``rebuild_search_index``."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+", db_index=False)
    facet = models.CharField(max_length=20)
    value_id = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "facet", "value_id"], name="practice_searchfacet_unique")
        ]
        indexes = [models.Index(fields=["facet", "value_id", "practice"], name="practice_searchfacet_value")]

    def __str__(self) -> str:
        return f"{self.practice_id} {self.facet} {self.value_id}"
