from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samspill.core.permissions import get_object_for_user
from samspill.organisations.models import Organisation


def directory(request: HttpRequest) -> HttpResponse:
    return render(request, "organisations/directory.html", {})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_for_user(request, Organisation.objects.for_listing(), slug=slug)
    return render(request, "organisations/detail.html", {"organisation": organisation})
