from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteering/search.html")


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


@require_safe
def shift(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError
