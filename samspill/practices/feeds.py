"""Atom feeds of newly published practices: all of them, and per theme."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from samspill.practices.models import Practice
from samspill.taxonomy.models import Theme

FEED_SIZE = 50


class NewPracticesFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj: Theme | None = None) -> str:
        if obj is not None:
            return _("Nye gode eksempler: %(theme)s – Samspill") % {"theme": obj.label}
        return _("Nye gode eksempler – Samspill")

    def subtitle(self, obj: Theme | None = None) -> str:
        return _("Gode eksempler på samarbeid mellom frivillige og det offentlige i helse og omsorg.")

    def link(self, obj: Theme | None = None) -> str:
        url = reverse("practices:catalogue")
        return f"{url}?tema={obj.slug}" if obj is not None else url

    def items(self, obj: Theme | None = None):
        practices = Practice.objects.published()
        if obj is not None:
            practices = practices.filter(themes=obj)
        return practices.order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item: Practice) -> str:
        return item.title

    def item_description(self, item: Practice) -> str:
        return item.summary

    def item_pubdate(self, item: Practice):
        return item.published_at

    def item_updateddate(self, item: Practice):
        return item.updated_at


class ThemeFeed(NewPracticesFeed):
    def get_object(self, request, slug: str) -> Theme:  # type: ignore[override]
        return get_object_or_404(Theme, slug=slug)
