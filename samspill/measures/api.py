"""JSON API of measures: public measures with their indicators and values, and reporting values
with an organisation's API key (only the organisation responsible for the indicator).
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from samspill.core.api import (
    INVALID,
    MALFORMED,
    NOT_FOUND,
    UNAUTHENTICATED,
    ApiTokenAuth,
    ErrorOut,
    PagePagination,
    UnknownValue,
    ValidationErrorOut,
)
from samspill.core.permissions import get_object_for_user
from samspill.measures import periods, progress, services
from samspill.measures.models import Indicator, Measure, Measurement, MeasurePartner
from samspill.places.models import Municipality
from samspill.taxonomy.models import FocusArea, TargetGroup

router = Router(tags=["tiltak"])

SLUG = r"^[-a-zA-Z0-9_]+$"
FORBIDDEN = {403: ErrorOut}
MAX_VALUE = 10**11

MeasureId = Annotated[int, Path(..., ge=1, le=2**31 - 1, description="Tiltakets nummer.")]
IndicatorId = Annotated[int, Path(..., ge=1, le=2**31 - 1, description="Indikatorens nummer.")]


# --- Output ------------------------------------------------------------------


class OrganisationRef(Schema):
    id: int
    name: str


class PartnerOut(Schema):
    organisation: OrganisationRef
    role: str


class MeasurementOut(Schema):
    period: str = Field(..., description="Perioden, f.eks. 2026-03, 2026-K1 eller 2026.")
    period_start: date = Field(..., description="Periodens første dag.")
    value: float
    numerator: float | None = Field(None, description="Telleren, for brøkindikatorer.")
    denominator: float | None = Field(None, description="Nevneren, for brøkindikatorer.")

    @staticmethod
    def resolve_period(obj: Measurement) -> str:
        return obj.period_label


class StatusOut(Schema):
    code: Literal["on_track", "behind", "no_data", "no_target"]
    text: str = Field(..., description="I klartekst, f.eks. «i rute» eller «ingen data for 2 perioder».")


class IndicatorOut(Schema):
    id: int
    kind: Literal["how_much", "how_well", "better_off"] = Field(
        ..., description="Hvor mye gjorde vi, hvor godt gjorde vi det, har noen fått det bedre."
    )
    name: str
    unit: Literal["count", "percent", "nok", "hours", "score"]
    direction: Literal["higher", "lower"] = Field(..., description="Om høyere eller lavere verdier er bedre.")
    period_type: Literal["month", "quarter", "year"]
    is_ratio: bool
    numerator_label: str
    denominator_label: str
    baseline_value: float | None
    baseline_date: date | None
    target_value: float | None
    target_date: date | None
    data_source: str
    responsible: OrganisationRef = Field(..., description="Organisasjonen som rapporterer verdiene.")
    status: StatusOut
    latest: MeasurementOut | None = Field(..., description="Siste måling.")
    measurements: list[MeasurementOut]


class MeasureOut(Schema):
    id: int
    title: str
    status: Literal["idea", "planned", "active", "completed", "stopped"]
    owner: OrganisationRef
    municipalities: list[str] = Field(..., description="Kommunenumre.")
    partnership: str | None = Field(
        ..., description="Partnerskapets lenkenavn, hvis tiltaket hører til et offentlig partnerskap."
    )
    focus_areas: list[str] = Field(..., description="Fokusområder (koder).")
    target_groups: list[str] = Field(..., description="Målgrupper (koder).")
    start_date: date | None
    end_date: date | None
    url: str = Field(..., description="Tiltakets side i Samspill.")

    @staticmethod
    def resolve_municipalities(obj: Measure) -> list[str]:
        return [m.number for m in obj.municipalities.all()]

    @staticmethod
    def resolve_partnership(obj: Measure) -> str | None:
        partnership = obj.partnership
        return partnership.slug if partnership is not None and partnership.is_public else None

    @staticmethod
    def resolve_focus_areas(obj: Measure) -> list[str]:
        return [t.slug for t in obj.focus_areas.all()]

    @staticmethod
    def resolve_target_groups(obj: Measure) -> list[str]:
        return [t.slug for t in obj.target_groups.all()]

    @staticmethod
    def resolve_url(obj: Measure, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class MeasureDetailOut(MeasureOut):
    description: str
    resources_text: str
    partners: list[PartnerOut]
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_partners(obj: Measure) -> list[MeasurePartner]:
        return list(obj.partners.all())

    @staticmethod
    def resolve_indicators(obj: Measure) -> list[dict[str, Any]]:
        today = timezone.localdate()
        out = []
        for indicator in obj.indicators.all():
            values = list(indicator.measurements.all())
            state = progress.status(indicator, values, today)
            out.append(
                {
                    **{f: getattr(indicator, f) for f in IndicatorOut.model_fields if hasattr(indicator, f)},
                    "responsible": indicator.responsible,
                    "status": {"code": state.code, "text": state.text},
                    "latest": values[-1] if values else None,
                    "measurements": values,
                }
            )
        return out


# --- Reading -----------------------------------------------------------------


class MeasureFilters(Schema):
    municipality: str | None = Field(None, pattern=r"^\d{4}$", description="Kommunenummer, f.eks. 4601.")
    partnership: str | None = Field(None, pattern=SLUG, max_length=220, description="Partnerskapets lenkenavn.")
    focus_area: str | None = Field(None, pattern=SLUG, max_length=80, description="Fokusområde (kode).")
    target_group: str | None = Field(None, pattern=SLUG, max_length=80, description="Målgruppe (kode).")
    status: Literal["idea", "planned", "active", "completed", "stopped"] | None = None


def _public_measures():
    return (
        Measure.objects.public()
        .select_related("owner", "partnership")
        .prefetch_related("municipalities", "focus_areas", "target_groups")
    )


@router.get(
    "/measures",
    response={200: list[MeasureOut], **NOT_FOUND, **INVALID},
    summary="Tiltak",
    description="Offentlige tiltak, sist endret først, side for side. Filtre: kommune, fokusområde, målgruppe, status. "
    "Filtre: partnerskap. Et ukjent kommunenummer, partnerskap eller en ukjent kode gir 404.",
    operation_id="list_measures",
)
@paginate(PagePagination)
def list_measures(request: HttpRequest, filters: Query[MeasureFilters]):
    measures = _public_measures()
    if filters.municipality:
        if not Municipality.objects.filter(number=filters.municipality).exists():
            raise UnknownValue(_("Ukjent kommunenummer: %(number)s.") % {"number": filters.municipality})
        measures = measures.filter(municipalities__number=filters.municipality)
    if filters.partnership:
        from samspill.partnerships.models import Partnership

        if not Partnership.objects.public().filter(slug=filters.partnership).exists():
            raise UnknownValue(_("Ukjent partnerskap: %(slug)s.") % {"slug": filters.partnership})
        measures = measures.filter(partnership__slug=filters.partnership)
    if filters.focus_area:
        if not FocusArea.objects.filter(slug=filters.focus_area).exists():
            raise UnknownValue(_("Ukjent fokusområde: %(slug)s.") % {"slug": filters.focus_area})
        measures = measures.filter(focus_areas__slug=filters.focus_area)
    if filters.target_group:
        if not TargetGroup.objects.filter(slug=filters.target_group).exists():
            raise UnknownValue(_("Ukjent målgruppe: %(slug)s.") % {"slug": filters.target_group})
        measures = measures.filter(target_groups__slug=filters.target_group)
    if filters.status:
        measures = measures.filter(status=filters.status)
    return measures.distinct().order_by("-updated_at", "-pk")


@router.get(
    "/measures/{measure_id}",
    response={200: MeasureDetailOut, **NOT_FOUND, **INVALID},
    summary="Ett tiltak",
    description="Et offentlig tiltak med partnere, indikatorer, status og alle målinger. Andre tiltak gir 404.",
    operation_id="get_measure",
)
def get_measure(request: HttpRequest, measure_id: MeasureId):
    queryset = _public_measures().prefetch_related(
        "partners__organisation",
        Prefetch(
            "indicators",
            queryset=Indicator.objects.select_related("responsible", "measure").prefetch_related(
                Prefetch("measurements", queryset=Measurement.objects.order_by("period_start"))
            ),
        ),
    )
    return get_object_for_user(request, queryset, pk=measure_id)


# --- Reporting ---------------------------------------------------------------


class MeasurementIn(Schema):
    period: str = Field(
        ..., min_length=4, max_length=20, description="F.eks. 2026-03 (måned), 2026-K1 (kvartal) eller 2026 (år)."
    )
    value: float | None = Field(None, ge=-MAX_VALUE, le=MAX_VALUE, description="Verdien (ikke for brøkindikatorer).")
    numerator: float | None = Field(None, ge=0, le=MAX_VALUE, description="Telleren (bare for brøkindikatorer).")
    denominator: float | None = Field(None, ge=0, le=MAX_VALUE, description="Nevneren (bare for brøkindikatorer).")
    note: str = Field("", max_length=500)


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value))


def _invalid(name: str, message: str) -> Status:
    return Status(
        422,
        {
            "detail": _("Ugyldig verdi for: %(names)s.") % {"names": name},
            "errors": [{"loc": ["body", "measurement", name], "msg": message, "type": "value_error"}],
        },
    )


@router.post(
    "/indicators/{indicator_id}/measurements",
    auth=ApiTokenAuth(),
    response={
        201: MeasurementOut,
        200: MeasurementOut,
        **MALFORMED,
        **UNAUTHENTICATED,
        **FORBIDDEN,
        **NOT_FOUND,
        422: ValidationErrorOut,
    },
    summary="Rapporter en verdi",
    description=(
        "Legger inn verdien for én periode på vegne av nøkkelens organisasjon, som må være ansvarlig for "
        "indikatoren (ellers 403). Har perioden en verdi fra før, blir den rettet (200; historikken beholder "
        "den gamle), ellers 201. Brøkindikatorer tar teller og nevner, de andre verdi. Perioder som ikke "
        "har begynt, gir 422. Tiltak nøkkelens organisasjon ikke kan se, gir 404."
    ),
    operation_id="create_measurement",
)
def create_measurement(request: HttpRequest, indicator_id: IndicatorId, measurement: MeasurementIn):
    organisation = request.auth.organisation  # type: ignore[attr-defined]
    partnered = MeasurePartner.objects.filter(organisation=organisation).values("measure_id")
    visible = (
        Indicator.objects.select_related("measure").filter(measure__is_public=True)
        | Indicator.objects.select_related("measure").filter(measure__owner=organisation)
        | Indicator.objects.select_related("measure").filter(measure_id__in=partnered)
    )
    indicator = get_object_for_user(request, visible.distinct(), pk=indicator_id)
    if indicator.responsible_id != organisation.pk:
        return Status(
            403, {"detail": _("Bare organisasjonen som er ansvarlig for indikatoren, kan rapportere på den.")}
        )
    start = periods.parse(indicator.period_type, measurement.period)
    if start is None:
        return _invalid(
            "period", _("Skriv perioden som %(example)s.") % {"example": periods.example(indicator.period_type)}
        )
    try:
        saved, created = services.record_measurement(
            indicator=indicator,
            period_start=start,
            value=_decimal(measurement.value),
            numerator=_decimal(measurement.numerator),
            denominator=_decimal(measurement.denominator),
            note=measurement.note,
            via="api",
        )
    except ValidationError as exc:
        name = {"future_period": "period", "value": "value", "negative": "value"}.get(str(exc.code), "denominator")
        return _invalid(name, " ".join(exc.messages))
    return Status(201 if created else 200, saved)
