"""JSON API of partnerships: the public ones, with members, guidelines and contribution totals.

Only public partnerships are here, and only their public fields: agreement texts, meetings,
comments and contact people are for the members, in the app.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from samspill.core.api import INVALID, NOT_FOUND, PagePagination
from samspill.partnerships import services
from samspill.partnerships.models import Partnership, PartnershipMember

router = Router(tags=["partnerskap"])

SLUG = r"^[-a-zA-Z0-9_]+$"
PartnershipSlug = Annotated[str, Path(..., pattern=SLUG, max_length=220, description="Partnerskapets lenkenavn.")]
Status = Literal["forming", "active", "ended"]


class TermRef(Schema):
    slug: str = Field(..., description="Fast kode; brukes i filteret focus_area.")
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.label


class PlaceRef(Schema):
    number: str
    name: str


class OrganisationRef(Schema):
    id: int
    name: str
    slug: str


class PartnershipSummaryOut(Schema):
    slug: str = Field(..., description="Lenkenavn; brukes i adressen /partnerships/{slug}.")
    name: str
    purpose: str
    status: Status = Field(..., description="forming (under etablering), active (aktivt) eller ended (avsluttet).")
    lead: OrganisationRef
    counties: list[PlaceRef]
    municipalities: list[PlaceRef]
    focus_areas: list[TermRef]
    member_count: int = Field(..., description="Antall aktive medlemmer, lederen medregnet.")
    starts_on: date | None
    ends_on: date | None
    url: str = Field(..., description="Siden om partnerskapet.")

    @staticmethod
    def resolve_url(obj: Any, context: dict[str, Any]) -> str:
        if isinstance(obj, dict):
            return obj["url"]
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class MemberOut(Schema):
    organisation: OrganisationRef
    role: str = Field(..., description="lead, municipality, county, voluntary eller other.")
    joined_on: date | None


class GuidelinesOut(Schema):
    number: int = Field(..., description="Versjonsnummer.")
    adopted_on: date | None
    text: str


class AgreementSummaryOut(Schema):
    title: str
    status: Literal["signed", "expired", "replaced"]
    version: int
    starts_on: date
    ends_on: date
    signed_at: datetime | None
    parties: list[OrganisationRef]


class ContributionTotalOut(Schema):
    year: int
    kind: str = Field(
        ...,
        description="money, premises, staff_hours, volunteer_hours, competence, coordination eller other.",
    )
    unit: str = Field(..., description="Enheten beløpet er i, for eksempel NOK eller timer.")
    amount: Decimal


class SectionOut(Schema):
    heading: str
    text: str


class PartnershipOut(PartnershipSummaryOut):
    target_groups: list[TermRef]
    sections: list[SectionOut] = Field(..., description="Lederens svar på spørsmålene i planen for partnerskapet.")
    members: list[MemberOut]
    guidelines: GuidelinesOut | None = Field(..., description="Gjeldende vedtatte retningslinjer.")
    agreements: list[AgreementSummaryOut] = Field(
        ..., description="Signerte avtaler (også utløpte og erstattede): tittel, periode og parter, ikke tekst."
    )
    contribution_totals: list[ContributionTotalOut] = Field(
        ..., description="Bidragene i signerte avtaler, summert per år, type og enhet."
    )


class PartnershipFilters(Schema):
    county: str | None = Field(None, pattern=r"^\d{2}$", description="Fylkesnummer, f.eks. 46.")
    municipality: str | None = Field(None, pattern=r"^\d{4}$", description="Kommunenummer, f.eks. 4601.")
    focus_area: str | None = Field(None, pattern=SLUG, max_length=80, description="Kode for fokusområdet.")
    status: Status | None = Field(None, description="forming, active eller ended.")


def _public() -> Any:
    return (
        Partnership.objects.public()
        .select_related("lead")
        .prefetch_related("counties", "municipalities", "focus_areas")
        .annotate(member_count=Count("members", filter=Q(members__status="active"), distinct=True))
        .order_by("name", "pk")
    )


@router.get(
    "/partnerships",
    response={200: list[PartnershipSummaryOut], **INVALID},
    summary="Offentlige partnerskap",
    description=(
        "Partnerskapene som er offentlige, med leder, område og fokusområder. Filtrer på fylke, kommune "
        "(partnerskap som dekker kommunen eller fylket den ligger i), fokusområde og status. "
        "Ukjente verdier gir ingen treff."
    ),
    operation_id="list_partnerships",
)
@paginate(PagePagination)
def list_partnerships(request: HttpRequest, filters: Query[PartnershipFilters]):
    partnerships = _public()
    if filters.county:
        partnerships = partnerships.filter(
            Q(counties__number=filters.county) | Q(municipalities__county__number=filters.county)
        )
    if filters.municipality:
        partnerships = partnerships.filter(
            Q(municipalities__number=filters.municipality) | Q(counties__municipalities__number=filters.municipality)
        )
    if filters.focus_area:
        partnerships = partnerships.filter(focus_areas__slug=filters.focus_area)
    if filters.status:
        partnerships = partnerships.filter(status=filters.status)
    return partnerships.distinct()


@router.get(
    "/partnerships/{slug}",
    response={200: PartnershipOut, **NOT_FOUND, **INVALID},
    summary="Ett partnerskap",
    description=(
        "Et offentlig partnerskap med medlemmer, lederens tekster, gjeldende retningslinjer, signerte avtaler "
        "(uten avtaletekst) og summen av bidragene per år og type. Partnerskap som ikke er offentlige gir 404."
    ),
    operation_id="get_partnership",
)
def get_partnership(request: HttpRequest, slug: PartnershipSlug):
    partnership = get_object_or_404(
        _public().prefetch_related(
            "target_groups",
            Prefetch(
                "members",
                queryset=PartnershipMember.objects.filter(status="active").select_related("organisation"),
                to_attr="active_members",
            ),
        ),
        slug=slug,
    )
    agreements = (
        partnership.agreements.filter(status__in=("signed", "expired", "replaced"))
        .prefetch_related("parties")
        .order_by("-starts_on", "-pk")
    )
    sections = partnership.sections.select_related("topic").filter(topic__is_active=True, topic__kind="question")
    return {
        **{
            name: getattr(partnership, name)
            for name in ("slug", "name", "purpose", "status", "lead", "starts_on", "ends_on")
        },
        "counties": list(partnership.counties.all()),
        "municipalities": list(partnership.municipalities.all()),
        "focus_areas": list(partnership.focus_areas.all()),
        "target_groups": list(partnership.target_groups.all()),
        "member_count": partnership.member_count,
        "url": request.build_absolute_uri(partnership.get_absolute_url()),
        "sections": [{"heading": s.topic.heading, "text": s.text} for s in sections if s.text],
        "members": [
            {"organisation": m.organisation, "role": m.role, "joined_on": m.joined_on}
            for m in partnership.active_members  # type: ignore[attr-defined]
        ],
        "guidelines": services.current_guidelines(partnership),
        "agreements": [
            {
                "title": a.title,
                "status": a.status,
                "version": a.version,
                "starts_on": a.starts_on,
                "ends_on": a.ends_on,
                "signed_at": a.signed_at,
                "parties": list(a.parties.all()),
            }
            for a in agreements
        ],
        "contribution_totals": services.contribution_totals(partnership),
    }
