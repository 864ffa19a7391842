from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samspill.core.permissions import get_object_for_user
from samspill.practices.models import Practice
from samspill.practices.search import Filters, search


def catalogue(request: HttpRequest) -> HttpResponse:
    """Provisional: to be replaced by the catalogue page with facets (issue 4)."""
    page = search(query=request.GET.get("q", ""), filters=Filters())
    return render(request, "practices/catalogue.html", {"page": page, "query": request.GET.get("q", "")})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_object_for_user(request, Practice.objects.visible_to(request.user), slug=slug)
    return render(request, "practices/detail.html", {"practice": practice})
