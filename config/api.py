"""The JSON API under /api/v1/: one NinjaAPI, one router per app."""

from ninja import NinjaAPI

from samspill.organisations.api import router as organisations_router
from samspill.places.api import router as places_router

api = NinjaAPI(
    title="Samspill API",
    version="1",
    description="Åpne data om steder og organisasjoner i Samspill. Feil svares med JSON: {\"detail\": ...}.",
    urls_namespace="api-v1",
)
api.add_router("/", places_router)
api.add_router("/", organisations_router)
