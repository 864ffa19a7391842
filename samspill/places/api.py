"""Counties and municipalities (Kartverket, SSB) as open data."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from samspill.core.api import INVALID, NOT_FOUND, UnknownValue
from samspill.places.models import County, Municipality, Place

router = Router(tags=["steder"])

COUNTY_NUMBER = r"^\d{2}$"
MUNICIPALITY_NUMBER = r"^\d{4}$"


class CentreOut(Schema):
    lat: float = Field(..., description="Breddegrad (WGS 84).")
    lon: float = Field(..., description="Lengdegrad (WGS 84).")


def centre_of(place: Place) -> dict[str, float] | None:
    if place.centre_lat is None or place.centre_lon is None:
        return None
    return {"lat": float(place.centre_lat), "lon": float(place.centre_lon)}


class PlaceRef(Schema):
    number: str = Field(..., description="Kartverkets nummer.")
    name: str


class CountyOut(Schema):
    number: str = Field(..., description="Fylkesnummer (2 siffer).")
    name: str
    official_name: str = Field(..., description="Alle offisielle navneformer, også samiske og kvenske.")
    population: int | None = Field(..., description="Folketall 1.1.2024 (SSB).")
    website: str | None = Field(..., description="Fylkeskommunens nettside.")
    centre: CentreOut | None = Field(..., description="Et punkt midt i fylket.")

    @staticmethod
    def resolve_website(obj: County) -> str | None:
        return obj.website_url or None

    @staticmethod
    def resolve_centre(obj: County) -> dict[str, float] | None:
        return centre_of(obj)


class MunicipalityOut(Schema):
    number: str = Field(..., description="Kommunenummer (4 siffer).")
    name: str
    official_name: str = Field(..., description="Alle offisielle navneformer, også samiske og kvenske.")
    county: PlaceRef
    population: int | None = Field(..., description="Folketall 1.1.2024 (SSB).")
    administrative_centre: str = Field(..., description="Administrasjonssenter.")
    website: str | None = Field(..., description="Kommunens nettside.")
    centre: CentreOut | None = Field(..., description="Et punkt midt i kommunen.")

    @staticmethod
    def resolve_website(obj: Municipality) -> str | None:
        return obj.website_url or None

    @staticmethod
    def resolve_centre(obj: Municipality) -> dict[str, float] | None:
        return centre_of(obj)


def county_by_number(number: str) -> County:
    county = County.objects.filter(number=number).first()
    if county is None:
        raise UnknownValue(_("Fant ikke noe fylke med nummer %(number)s.") % {"number": number})
    return county


def municipality_by_number(number: str) -> Municipality:
    municipality = Municipality.objects.filter(number=number).first()
    if municipality is None:
        raise UnknownValue(_("Fant ikke noen kommune med nummer %(number)s.") % {"number": number})
    return municipality


@router.get(
    "/counties",
    response=list[CountyOut],
    summary="Alle fylker",
    description="Norges 15 fylker i alfabetisk rekkefølge, med folketall og sentrumspunkt.",
    operation_id="list_counties",
)
def list_counties(request: HttpRequest):
    return County.objects.alphabetical()


class MunicipalityFilters(Schema):
    county: str | None = Field(None, pattern=COUNTY_NUMBER, description="Bare kommuner i fylket med dette nummeret.")


@router.get(
    "/municipalities",
    response={200: list[MunicipalityOut], **NOT_FOUND, **INVALID},
    summary="Alle kommuner",
    description="Norges 357 kommuner i alfabetisk rekkefølge, eventuelt bare i ett fylke. "
    "Et ukjent fylkesnummer gir 404.",
    operation_id="list_municipalities",
)
def list_municipalities(request: HttpRequest, filters: Query[MunicipalityFilters]):
    municipalities = Municipality.objects.select_related("county").alphabetical()
    if filters.county:
        municipalities = municipalities.filter(county=county_by_number(filters.county))
    return municipalities
