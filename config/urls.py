from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from config.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("samspill.core.urls")),
    path("", include("samspill.places.urls")),
    path("organisasjoner/", include("samspill.organisations.urls")),
    path("innspill/", include("samspill.calls.urls")),
    path("eksempler/", include("samspill.practices.urls")),
    path("partnerskap/", include("samspill.partnerships.urls")),
    path("tiltak/", include("samspill.measures.urls")),
    path("frivillig/", include("samspill.volunteering.urls")),
    path("oppfolging/", include("samspill.followup.urls")),
    path("min-side/", include("samspill.accounts.urls")),
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "samspill.core.views.bad_request"
handler403 = "samspill.core.views.permission_denied"
handler404 = "samspill.core.views.page_not_found"
handler500 = "samspill.core.views.server_error"

if settings.DEBUG:
    from django.views import defaults

    # Lets developers look at the error pages with DEBUG on.
    urlpatterns += [
        path("_feil/404/", defaults.page_not_found, {"exception": Exception()}),
        path("_feil/500/", defaults.server_error),
    ]
