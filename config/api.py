"""The JSON API under /api/v1/: one NinjaAPI, one router per app.

The schema is OpenAPI 3.1 at /api/v1/openapi.json; /api/v1/docs renders it as plain HTML
(samspill.core.api.HtmlDocs), because Swagger UI's CDN scripts break our CSP.
"""

from ninja import NinjaAPI

from samspill.calls.api import router as calls_router
from samspill.core.api import HtmlDocs, install_error_handlers
from samspill.organisations.api import router as organisations_router
from samspill.places.api import router as places_router
from samspill.practices.api import router as practices_router

api = NinjaAPI(
    title="Samspill API",
    version="1",
    description=(
        "Åpne data om fylker, kommuner og organisasjoner i Samspill. "
        'Alle feil svares med JSON: {"detail": "..."}. '
        "Endepunkter som krever nøkkel tar «Authorization: Bearer samspill_…»."
    ),
    urls_namespace="api-v1",
    docs=HtmlDocs(),
)
install_error_handlers(api)
api.add_router("/", places_router)
api.add_router("/", organisations_router)
api.add_router("/", calls_router)
api.add_router("/", practices_router)
