from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Norwegian bokmål unless the person chose English with the language switch.

    The browser's Accept-Language is ignored on purpose: many people in Norway use an
    English-language browser but expect a Norwegian public service to speak Norwegian.
    The switch (Django's set_language view) stores the choice in the language cookie.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PrivateResponseMiddleware:
    """``Cache-Control: no-store, private`` on every response that may hold personal data.

    The rule, kept simple so that no page is forgotten: every response to a logged-in
    person; every response that sets a cookie or carries a CSRF token (in practice every
    HTML page, because the layout has the language and logout forms); and everything under
    /min-side/ and /konto/. Left cacheable: static files (served before this runs), the
    public API's JSON, /healthz and feeds that set their own Cache-Control for anonymous
    clients. Placed near the top of MIDDLEWARE so it sees the cookies the inner
    middleware set.
    """

    PRIVATE_PREFIXES = ("/min-side/", "/konto/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or request.path.startswith(self.PRIVATE_PREFIXES)
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or response.cookies
        ):
            patch_cache_control(response, no_store=True, private=True)
        return response
