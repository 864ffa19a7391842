from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def list(request: HttpRequest) -> HttpResponse:
    return render(request, "partnerships/list.html")


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    from samspill.core.permissions import get_object_for_user
    from samspill.partnerships.models import Partnership

    partnership = get_object_for_user(request, Partnership.objects.visible_to(request.user), slug=slug)
    return render(request, "partnerships/list.html", {"partnership": partnership})
