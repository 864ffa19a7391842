"""Organisations' public profiles, and the token check for API clients.

Only what the public profile page shows is exposed: never members, invitations or other
personal data.
"""

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from samspill.core.api import INVALID, NOT_FOUND, UNAUTHENTICATED, ApiTokenAuth, PagePagination, UnknownValue
from samspill.core.permissions import get_object_for_user
from samspill.organisations.models import Organisation
from samspill.places.api import COUNTY_NUMBER, MUNICIPALITY_NUMBER, PlaceRef, county_by_number, municipality_by_number
from samspill.taxonomy.models import OrganisationCategory, OrganisationKind

router = Router(tags=["organisasjoner"])

NO_NUL = r"^[^\x00]*$"  # PostgreSQL refuses NUL in text; refuse it here as a 422 instead.


class KindOut(Schema):
    slug: str = Field(..., description="Fast kode, brukes i filteret «kind».")
    name: str

    @staticmethod
    def resolve_name(obj: OrganisationKind) -> str:
        return obj.label


class CategoryOut(Schema):
    code: str = Field(..., description="ICNPO-kode, brukes i filteret «category».")
    dotted_code: str
    name: str

    @staticmethod
    def resolve_name(obj: OrganisationCategory) -> str:
        return obj.label


class MunicipalityRef(PlaceRef):
    county: PlaceRef


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str
    kind: KindOut
    org_number: str | None = Field(..., description="Organisasjonsnummer i Enhetsregisteret.")
    category: CategoryOut | None = Field(..., description="Kategori (ICNPO).")
    home_municipality: MunicipalityRef | None = Field(..., description="Kommunen organisasjonen hører hjemme i.")
    url: str = Field(..., description="Organisasjonens side i Samspill.")

    @staticmethod
    def resolve_url(obj: Organisation, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class OrganisationDetailOut(OrganisationOut):
    municipalities_served: list[PlaceRef] = Field(..., description="Kommuner organisasjonen også dekker.")
    description: str
    email: str = Field(..., description="Organisasjonens e-postadresse (tom hvis ikke oppgitt).")
    phone: str = Field(..., description="Organisasjonens telefon (tom hvis ikke oppgitt).")
    website: str = Field(..., description="Organisasjonens nettside (tom hvis ikke oppgitt).")

    @staticmethod
    def resolve_municipalities_served(obj: Organisation) -> list[Any]:
        # Sorted in Python from the prefetched rows, so the detail stays at a fixed query count.
        return sorted(obj.municipalities_served.all(), key=lambda m: m.name_sort)


class OrganisationFilters(Schema):
    q: str | None = Field(
        None,
        max_length=100,
        pattern=NO_NUL,
        description="Navnet inneholder alle ordene (store/små bokstaver og æøå likt).",
    )
    municipality: str | None = Field(
        None, pattern=MUNICIPALITY_NUMBER, description="Kommunenummer: hjemmehørende i eller dekker kommunen."
    )
    county: str | None = Field(
        None, pattern=COUNTY_NUMBER, description="Fylkesnummer: hjemmehørende i eller dekker fylket."
    )
    kind: str | None = Field(None, max_length=80, pattern=r"^[-a-z0-9]+$", description="Organisasjonstype (slug).")
    category: str | None = Field(
        None, max_length=8, pattern=r"^\d+$", description="ICNPO-kode; en hovedgruppe tar med undergruppene."
    )


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **NOT_FOUND, **INVALID},
    summary="Søk i organisasjoner",
    description="Organisasjonene i Samspill i alfabetisk rekkefølge, side for side. "
    "Filtrene kan kombineres; et ukjent kommune- eller fylkesnummer, en ukjent type eller kategori gir 404.",
    operation_id="list_organisations",
)
@paginate(PagePagination)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]):
    organisations = Organisation.objects.for_listing()
    if filters.q:
        organisations = organisations.search(filters.q)
    if filters.municipality:
        organisations = organisations.in_municipality(municipality_by_number(filters.municipality))
    if filters.county:
        organisations = organisations.in_county(county_by_number(filters.county))
    if filters.kind:
        kind = OrganisationKind.objects.filter(slug=filters.kind).first()
        if kind is None:
            raise UnknownValue(_("Ukjent organisasjonstype: %(kind)s.") % {"kind": filters.kind})
        organisations = organisations.filter(kind=kind)
    if filters.category:
        category = OrganisationCategory.objects.filter(code=filters.category).first()
        if category is None:
            raise UnknownValue(_("Ukjent kategori: %(code)s.") % {"code": filters.category})
        organisations = organisations.filter(Q(category=category) | Q(category__parent=category))
    return organisations.order_by("name_sort", "pk")


@router.get(
    "/organisations/{id}",
    response={200: OrganisationDetailOut, **NOT_FOUND, **INVALID},
    summary="Én organisasjon",
    description="Organisasjonens offentlige profil. Et ukjent id gir 404.",
    operation_id="get_organisation",
)
def get_organisation(request: HttpRequest, id: int):
    queryset = Organisation.objects.for_listing().prefetch_related("municipalities_served")
    return get_object_for_user(request, queryset, perm="organisations.view_organisation", pk=id)


class TokenOrganisationOut(Schema):
    id: int
    name: str
    slug: str


class TokenOut(Schema):
    name: str = Field(..., description="Navnet organisasjonen ga nøkkelen.")
    hint: str = Field(..., description="Nøkkelens første tegn.")
    created_at: datetime
    last_used_at: datetime | None = Field(..., description="Sist brukt (oppdateres høyst én gang i minuttet).")


class TokenInfoOut(Schema):
    organisation: TokenOrganisationOut
    token: TokenOut


@router.get(
    "/token",
    auth=ApiTokenAuth(),
    response={200: TokenInfoOut, **UNAUTHENTICATED},
    summary="Hvem er jeg?",
    description="Hvilken organisasjon API-nøkkelen tilhører. Uten gyldig nøkkel, eller med en "
    "nøkkel som er trukket tilbake, svarer den 401.",
    operation_id="token_info",
    tags=["nøkler"],
)
def token_info(request: HttpRequest):
    token = request.auth  # type: ignore[attr-defined]
    return {
        "organisation": token.organisation,
        "token": {
            "name": token.name,
            "hint": token.key_hint,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
        },
    }
