from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

from samspill.core.permissions import get_object_for_user
from samspill.core.sections import object_sections
from samspill.practices.forms import FACET_LABELS, FILTER_ATTRS, CatalogueForm
from samspill.practices.models import Practice
from samspill.practices.search import SearchPage, search
from samspill.practices.search.base import FACETS

PER_PAGE = 20
FACET_SHOWN = 10  # values shown before "Vis alle"
RELATED = 4


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueForm(request.GET)
    parsed = form.parsed
    page = search(query=parsed.query, filters=parsed.filters, sort=parsed.sort, page=parsed.page, per_page=PER_PAGE)
    prefetch_related_objects(page.results, "themes", "municipalities")
    context = {
        "form": form,
        "page": page,
        "query": parsed.query,
        "results": [(practice, page.snippets.get(practice.pk, "")) for practice in page.results],
        "facet_groups": _facet_groups(page),
        "chips": _chips(page, request.GET, parsed.filters),
        "page_obj": Paginator(range(page.total), PER_PAGE).page(min(page.page, max(page.pages, 1))),
        "theme_feeds": [facet for facet in page.facets.get("theme", []) if facet.selected],
    }
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx and not htmx.history_restore_request)
    context["partial"] = partial
    response = render(request, "practices/_region.html" if partial else "practices/catalogue.html", context)
    # The same URL answers with a page or a partial: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def _facet_groups(page: SearchPage) -> list[dict[str, Any]]:
    groups = []
    for name, param in FACETS.items():
        values = page.facets.get(name, [])
        shown = [facet for i, facet in enumerate(values) if i < FACET_SHOWN or facet.selected]
        more = [facet for i, facet in enumerate(values) if i >= FACET_SHOWN and not facet.selected]
        groups.append({"name": name, "param": param, "label": FACET_LABELS[name], "shown": shown, "more": more})
    return groups


def _chips(page: SearchPage, params: QueryDict, filters) -> list[dict[str, str]]:
    """The selected facet values, each with a link that removes it (and goes back to page 1)."""
    chips = []
    for name, param in FACETS.items():
        labels = {facet.value: facet.label for facet in page.facets.get(name, [])}
        for value in getattr(filters, FILTER_ATTRS[name]):
            remaining = params.copy()
            remaining.setlist(param, [v for v in params.getlist(param) if v.strip() != value])
            remaining.pop("page", None)
            chips.append(
                {
                    "facet": str(FACET_LABELS[name]),
                    "label": str(labels.get(value, value)),
                    "remove_url": "?" + remaining.urlencode() if remaining else "?",
                }
            )
    return chips


def _visible(request: HttpRequest, slug: str) -> Practice:
    return get_object_for_user(
        request,
        Practice.objects.visible_to(request.user)
        .select_related("source_submission__call")
        .prefetch_related("themes", "focus_areas", "target_groups", "municipalities__county", "organisations__kind"),
        slug=slug,
    )


def _context(practice: Practice) -> dict[str, Any]:
    municipalities = sorted(practice.municipalities.all(), key=lambda m: m.name)
    counties = sorted({m.county for m in municipalities if m.county_id}, key=lambda c: c.name)
    return {
        "practice": practice,
        "texts": [(heading, text) for heading, text in practice.texts()[1:] if text.strip()],
        "municipalities": municipalities,
        "counties": counties,
        "source_call": practice.source_submission.call if practice.source_submission else None,
    }


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _visible(request, slug)
    context = _context(practice)
    context["related"] = related_practices(practice)
    context["can_edit"] = request.user.has_perm("practices.change_practice", practice)
    context["sections"] = object_sections(request, practice)
    return render(request, "practices/detail.html", context)


def pdf(request: HttpRequest, slug: str) -> HttpResponse:
    from weasyprint import HTML

    practice = _visible(request, slug)
    html = render_to_string("practices/print.html", _context(practice), request=request)
    document = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{practice.slug}.pdf"'
    return response


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict:
    # The print version needs nothing from outside; never let a text make WeasyPrint fetch a URL.
    raise ValueError(f"no external resources in the print version: {url}")


def related_practices(practice: Practice) -> list[Practice]:
    """Up to four published practices sharing the most themes, focus areas, target groups and places."""
    score: Any = Value(0, output_field=IntegerField())
    shared_any = False
    for relation, column in (
        ("themes", "theme_id"),
        ("focus_areas", "focusarea_id"),
        ("target_groups", "targetgroup_id"),
        ("municipalities", "municipality_id"),
    ):
        ids = [obj.pk for obj in getattr(practice, relation).all()]
        if not ids:
            continue
        shared_any = True
        through: QuerySet = getattr(Practice, relation).through.objects
        shared = (
            through.filter(Q(practice_id=OuterRef("pk")) & Q(**{f"{column}__in": ids}))
            .values("practice_id")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        score = score + Coalesce(Subquery(shared, output_field=IntegerField()), Value(0))
    if not shared_any:
        return []
    return list(
        Practice.objects.published()
        .exclude(pk=practice.pk)
        .annotate(score=score)
        .filter(score__gt=0)
        .order_by("-score", "-published_at")[:RELATED]
    )
