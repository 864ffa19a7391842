"""The JSON API under /api/v1/: one NinjaAPI, one router per app.

The schema is OpenAPI 3.1 at /api/v1/openapi.json; /api/v1/docs renders it as plain HTML
(samspill.core.api.HtmlDocs), because Swagger UI's CDN scripts break our CSP.
"""

from ninja import NinjaAPI

from samspill.calls.api import router as calls_router
from samspill.core.api import HtmlDocs, install_error_handlers
from samspill.followup.api import router as followup_router
from samspill.measures.api import router as measures_router
from samspill.organisations.api import router as organisations_router
from samspill.partnerships.api import router as partnerships_router
from samspill.places.api import router as places_router
from samspill.practices.api import router as practices_router
from samspill.volunteering.api import router as volunteering_router

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
api.add_router("/", partnerships_router)
api.add_router("/", measures_router)
api.add_router("/", volunteering_router)
api.add_router("/", followup_router)
