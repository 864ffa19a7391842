"""The project's URLs plus a trivial view that measures the floor: middleware, routing, nothing else."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("config.urls")),
]

handler400 = "samspill.core.views.bad_request"
handler403 = "samspill.core.views.permission_denied"
handler404 = "samspill.core.views.page_not_found"
handler500 = "samspill.core.views.server_error"
