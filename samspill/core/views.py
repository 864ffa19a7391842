from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from samspill.core.exceptions import MfaRequired
from samspill.organisations.models import Organisation
from samspill.places.models import County


def home(request: HttpRequest) -> HttpResponse:
    # A COUNT over every organisation on each front-page view is measurable at national
    # scale (docs/benchmarks.md); a minute-old figure is good enough here.
    counts = cache.get_or_set(
        "core:home-counts",
        lambda: {"organisations": Organisation.objects.count(), "counties": County.objects.count()},
        timeout=60,
    )
    return render(request, "core/home.html", {"counts": counts})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def about_data(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about_data.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": _("Fant ikke det du spurte etter.")}, status=404)
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": _("Du har ikke tilgang til dette.")}, status=403)
    return render(request, "errors/403.html", {"mfa_required": isinstance(exception, MfaRequired)}, status=403)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": _("Ugyldig forespørsel.")}, status=400)
    return render(request, "errors/400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors or database work here: the error may be the database itself.
    if _wants_json(request):
        return JsonResponse({"detail": _("Noe gikk galt hos oss. Prøv igjen om litt.")}, status=500)
    template = loader.get_template("errors/500.html")
    return HttpResponse(template.render({"request": request}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)
