"""The catalogue of good practices: search with facet counts, one practice, and writes for editors.

Search goes through ``samspill.practices.search.search`` only, so the API finds exactly what
the catalogue page finds. Writing needs an *editor key*: an API key of an organisation of
kind «nasjonal-aktor» (the national bodies that edit the catalogue). Other keys get 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from samspill.core.api import INVALID, MALFORMED, NOT_FOUND, UNAUTHENTICATED, ErrorOut, KindTokenAuth
from samspill.core.permissions import get_object_for_user
from samspill.organisations.models import Organisation
from samspill.places.models import Municipality
from samspill.practices import services
from samspill.practices.models import Practice
from samspill.practices.search import Filters, search
from samspill.taxonomy.models import FocusArea, OrganisationKind, TargetGroup, Theme

router = Router(tags=["gode eksempler"])

SLUG = r"^[-a-zA-Z0-9_]+$"
NO_NUL = r"^[^\x00]*$"  # PostgreSQL refuses NUL in text; refuse it here as a 422 instead.
# One facet parameter value: a code, or several separated by commas.
FACET_VALUE = r"^[-a-zA-Z0-9_]+(,[-a-zA-Z0-9_]+)*$"
MAX_SEARCH_PAGE = 1000
FORBIDDEN = {403: ErrorOut}

PracticeSlug = Annotated[str, Path(..., pattern=SLUG, max_length=220, description="Eksempelets lenkenavn.")]
FacetValue = Annotated[str, Field(pattern=FACET_VALUE, max_length=500)]
TermSlug = Annotated[str, Field(pattern=SLUG, max_length=80)]
MunicipalityNumber = Annotated[str, Field(pattern=r"^\d{4}$")]

Evidence = Literal["described", "measured", "evaluated"]


def _limit(name: str) -> int:
    """The model's length limit, so the API and the form refuse the same texts."""
    return int(getattr(Practice._meta.get_field(name), "max_length", 0) or 0)


# --- Output ------------------------------------------------------------------


class TermRef(Schema):
    slug: str = Field(..., description="Fast kode; brukes i filtrene.")
    name: str

    @staticmethod
    def resolve_name(obj: Theme) -> str:
        return obj.label


class CountyRef(Schema):
    number: str = Field(..., description="Fylkesnummer.")
    name: str


class MunicipalityRef(Schema):
    number: str = Field(..., description="Kommunenummer.")
    name: str
    county: CountyRef


class OrganisationRef(Schema):
    id: int
    name: str
    slug: str


class PracticeSummaryOut(Schema):
    slug: str = Field(..., description="Lenkenavn; brukes i adressen /practices/{slug}.")
    title: str
    summary: str
    evidence_level: Evidence = Field(..., description="Kunnskapsgrunnlag: beskrevet, målt med indikatorer, evaluert.")
    themes: list[TermRef]
    target_groups: list[TermRef]
    municipalities: list[MunicipalityRef]
    published_at: datetime | None = Field(..., description="Først publisert.")
    adoption_count: int = Field(..., description="Hvor mange som har tatt eksempelet i bruk.")
    url: str = Field(..., description="Eksempelets side i Samspill.")

    @staticmethod
    def resolve_url(obj: Practice, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class SearchHitOut(PracticeSummaryOut):
    snippet: str = Field(
        ...,
        description="Utdrag med søkeordene markert: HTML der teksten er escapet og treffene står i <mark>.",
    )


class FacetValueOut(Schema):
    value: str = Field(..., description="Verdien som brukes i filteret med samme navn.")
    label: str
    count: int = Field(..., description="Antall treff med denne verdien, med søket og de andre filtrene.")
    selected: bool = Field(..., description="Om verdien er valgt i denne forespørselen.")


class PracticeSearchOut(Schema):
    items: list[SearchHitOut]
    count: int = Field(..., description="Antall treff i alt.")
    page: int = Field(..., description="Denne siden.")
    pages: int = Field(..., description="Antall sider i alt (minst 1).")
    facets: dict[str, list[FacetValueOut]] = Field(
        ...,
        description="Antall per verdi for hvert filter: theme, focus_area, target_group, county, "
        "municipality, organisation_kind og evidence.",
    )


class PracticeOut(PracticeSummaryOut):
    what: str
    why: str
    for_whom: str
    how: str
    resources: str
    results: str
    lessons: str
    focus_areas: list[TermRef]
    organisations: list[OrganisationRef] = Field(..., description="Organisasjonene som er med.")
    contact_name: str
    contact_email: str
    contact_phone: str
    source: Literal["submission", "direct", "measure"] = Field(
        ..., description="Hvor eksempelet kommer fra: et innspill, skrevet direkte, eller et tiltak."
    )
    status: Literal["draft", "proposed", "published", "withdrawn"] = Field(
        ..., description="Alltid «published» for offentlige oppslag; redaktørnøkler ser også utkast."
    )
    updated_at: datetime = Field(..., description="Sist endret.")


def _prefetch(practices: list[Practice]) -> None:
    prefetch_related_objects(practices, "themes", "target_groups", "municipalities__county")


# --- Search ------------------------------------------------------------------


def _values(raw: list[str]) -> tuple[str, ...]:
    """Repeated parameters and comma-separated lists are the same: ?theme=a&theme=b or ?theme=a,b."""
    out: list[str] = []
    for value in raw:
        out.extend(part for part in value.split(",") if part and part not in out)
    return tuple(out)


FACET_HELP = (
    "Kan gjentas (?{name}=a&{name}=b) eller skilles med komma ({name}=a,b); "
    "flere verdier gir treff på hvilken som helst av dem."
)


def _facet_field(description: str, name: str) -> Any:
    return Field([], max_length=50, description=f"{description} {FACET_HELP.format(name=name)}")


class PracticeSearchIn(Schema):
    q: str = Field(
        "",
        max_length=200,
        pattern=NO_NUL,
        description="Fritekst. Bøyningsformer og sammensatte ord finnes («frivillige» finner «frivillig»).",
    )
    theme: list[FacetValue] = _facet_field("Innsatsområde (slug).", "theme")
    focus_area: list[FacetValue] = _facet_field("Fokusområde (slug).", "focus_area")
    target_group: list[FacetValue] = _facet_field("Målgruppe (slug).", "target_group")
    county: list[FacetValue] = _facet_field("Fylkesnummer.", "county")
    municipality: list[FacetValue] = _facet_field("Kommunenummer.", "municipality")
    organisation_kind: list[FacetValue] = _facet_field("Organisasjonstype (slug).", "organisation_kind")
    evidence: list[FacetValue] = _facet_field("Kunnskapsgrunnlag: described, measured, evaluated.", "evidence")
    sort: Literal["relevance", "newest", "adopted"] = Field(
        "relevance", description="relevance (beste treff; uten søkeord: nyeste), newest eller adopted (mest brukt)."
    )
    page: int = Field(1, ge=1, le=MAX_SEARCH_PAGE, description="Sidenummer, fra 1 (20 per side).")


@router.get(
    "/practices",
    response={200: PracticeSearchOut, **INVALID},
    summary="Søk i gode eksempler",
    description=(
        "Søker i de publiserte gode eksemplene, akkurat som katalogen på /eksempler/: fritekst i q, "
        "filtre per fasett, sortering og sider med 20 treff. Svaret har treffene med markerte utdrag og, "
        "for hver fasett, antall treff per verdi med søket og de andre filtrene. Hver fasett kan gjentas "
        "eller skilles med komma; innenfor en fasett gir verdiene treff på hvilken som helst av dem, og "
        "fasettene kombineres med «og». Ukjente verdier gir ingen treff. En side etter den siste er tom."
    ),
    operation_id="search_practices",
)
def search_practices(request: HttpRequest, params: Query[PracticeSearchIn]):
    filters = Filters(
        themes=_values(params.theme),
        focus_areas=_values(params.focus_area),
        target_groups=_values(params.target_group),
        counties=_values(params.county),
        municipalities=_values(params.municipality),
        organisation_kinds=_values(params.organisation_kind),
        evidence=_values(params.evidence),
    )
    result = search(query=params.q, filters=filters, sort=params.sort, page=params.page)
    past_the_end = params.page > result.pages
    hits = [] if past_the_end else result.results
    _prefetch(hits)
    for practice in hits:
        practice.snippet = result.snippets.get(practice.pk, "")
    return {
        "items": hits,
        "count": result.total,
        "page": params.page,
        "pages": result.pages,
        "facets": {
            name: [{"value": f.value, "label": str(f.label), "count": f.count, "selected": f.selected} for f in values]
            for name, values in result.facets.items()
        },
    }


def _full(queryset):
    return queryset.prefetch_related(
        "themes", "focus_areas", "target_groups", "municipalities__county", "organisations"
    )


@router.get(
    "/practices/{slug}",
    response={200: PracticeOut, **NOT_FOUND, **INVALID},
    summary="Ett godt eksempel",
    description="Et publisert godt eksempel med alle tekstene. Utkast, forslag, tilbaketrukne og ukjente gir 404.",
    operation_id="get_practice",
)
def get_practice(request: HttpRequest, slug: PracticeSlug):
    return get_object_for_user(request, _full(Practice.objects.published()), slug=slug)


# --- Writing (editor keys) ------------------------------------------------------


def _editor_key(request: HttpRequest) -> None:
    """Only keys of national bodies («nasjonal-aktor») edit the catalogue."""
    organisation = request.auth.organisation  # type: ignore[attr-defined]
    if not OrganisationKind.objects.filter(pk=organisation.kind_id, slug=OrganisationKind.NATIONAL).exists():
        raise PermissionDenied


def _text(name: str, *, required: bool = False, description: str = "") -> Any:
    if required:
        return Field(..., min_length=1, max_length=_limit(name), pattern=NO_NUL, description=description)
    return Field("", max_length=_limit(name), pattern=NO_NUL, description=description)


class PracticeIn(Schema):
    title: str = _text("title", required=True)
    summary: str = _text("summary", required=True, description="Et par setninger som vises i søkeresultatene.")
    what: str = _text("what", description="Hva.")
    why: str = _text("why")
    for_whom: str = _text("for_whom")
    how: str = _text("how", description="Slik gjennomføres det.")
    resources: str = _text("resources")
    results: str = _text("results")
    lessons: str = _text("lessons", description="Erfaringer og læring.")
    themes: list[TermSlug] = Field([], max_length=20, description="Innsatsområder (slug).")
    focus_areas: list[TermSlug] = Field([], max_length=20, description="Fokusområder (slug).")
    target_groups: list[TermSlug] = Field([], max_length=20, description="Målgrupper (slug).")
    municipalities: list[MunicipalityNumber] = Field([], max_length=400, description="Kommunenummer.")
    organisations: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        [], max_length=50, description="Id-er til organisasjonene som er med."
    )
    evidence_level: Evidence = Field("described", description="Kunnskapsgrunnlag.")
    contact_name: str = _text("contact_name")
    contact_email: str = _text("contact_email", description="Tom, eller en gyldig e-postadresse.")
    contact_phone: str = _text("contact_phone")
    status: Literal["draft", "published"] = Field(
        "draft", description="«published» publiserer med en gang; ellers lagres eksempelet som utkast."
    )


# PATCH: every field optional; a field left out is left unchanged. Typed without "| None",
# so the schema offers no null values.
class PracticePatch(Schema):
    title: str = Field(None, min_length=1, max_length=_limit("title"), pattern=NO_NUL)  # type: ignore[assignment,arg-type]
    summary: str = Field(None, min_length=1, max_length=_limit("summary"), pattern=NO_NUL)  # type: ignore[assignment,arg-type]
    what: str = Field(None, max_length=_limit("what"), pattern=NO_NUL)  # type: ignore[assignment,arg-type]
    why: str = Field(None, max_length=_limit("why"), pattern=NO_NUL)  # type: ignore[assignment,arg-type]
    for_whom: str = Field(None, max_length=_limit("for_whom"), pattern=NO_NUL)  # type: ignore[assignment,arg-type]
    how: str = Field(None, max_length=_limit("how"), pattern=NO_NUL)  # type: ignore[assignment,arg-type]
    resources: str = Field(None, max_length=_limit("resources"), pattern=NO_NUL)  # type: ignore[assignment,arg-type]
    results: str = Field(None, max_length=_limit("results"), pattern=NO_NUL)  # type: ignore[assignment,arg-type]
    lessons: str = Field(None, max_length=_limit("lessons"), pattern=NO_NUL)  # type: ignore[assignment,arg-type]
    themes: list[TermSlug] = Field(None, max_length=20)  # type: ignore[assignment,arg-type]
    focus_areas: list[TermSlug] = Field(None, max_length=20)  # type: ignore[assignment,arg-type]
    target_groups: list[TermSlug] = Field(None, max_length=20)  # type: ignore[assignment,arg-type]
    municipalities: list[MunicipalityNumber] = Field(None, max_length=400)  # type: ignore[assignment,arg-type]
    organisations: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(None, max_length=50)  # type: ignore[assignment,arg-type]
    evidence_level: Evidence = Field(None)  # type: ignore[assignment,arg-type]
    contact_name: str = Field(None, max_length=_limit("contact_name"), pattern=NO_NUL)  # type: ignore[assignment,arg-type]
    contact_email: str = Field(None, max_length=_limit("contact_email"), pattern=NO_NUL)  # type: ignore[assignment,arg-type]
    contact_phone: str = Field(None, max_length=_limit("contact_phone"), pattern=NO_NUL)  # type: ignore[assignment,arg-type]
    status: Literal["published", "withdrawn"] = Field(
        None,  # type: ignore[arg-type]
        description="«published» publiserer, «withdrawn» trekker tilbake fra katalogen.",
    )


def _error(field: str, message: str) -> dict[str, Any]:
    return {"loc": ["body", "practice", field], "msg": message, "type": "unknown"}


def _lookup(model: Any, key: str, wanted: list[Any], field: str, message: str, errors: list[dict[str, Any]]) -> list:
    found = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": wanted})}
    for value in wanted:
        if value not in found:
            errors.append(_error(field, message % {"value": value}))
    return [found[value] for value in wanted if value in found]


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    """API values → service values (objects for codes). Unknown codes give a 422 with one error each."""
    errors: list[dict[str, Any]] = []
    values = {k: v for k, v in data.items() if k not in services.M2M_FIELDS and k != "status"}
    lookups = {
        "themes": (Theme, "slug", _("Ukjent innsatsområde: %(value)s.")),
        "focus_areas": (FocusArea, "slug", _("Ukjent fokusområde: %(value)s.")),
        "target_groups": (TargetGroup, "slug", _("Ukjent målgruppe: %(value)s.")),
        "municipalities": (Municipality, "number", _("Fant ikke noen kommune med nummer %(value)s.")),
        "organisations": (Organisation, "pk", _("Fant ikke noen organisasjon med id %(value)s.")),
    }
    for field, (model, key, message) in lookups.items():
        if field in data:
            values[field] = _lookup(model, key, list(dict.fromkeys(data[field])), field, message, errors)
    if values.get("contact_email"):
        try:
            validate_email(values["contact_email"])
        except DjangoValidationError:
            errors.append(_error("contact_email", _("Skriv en gyldig e-postadresse.")))
    for field in ("title", "summary"):
        if field in values and not values[field].strip():
            errors.append(_error(field, _("Feltet kan ikke være tomt.")))
    if errors:
        names = sorted({str(error["loc"][-1]) for error in errors})
        raise _Invalid({"detail": _("Ugyldig verdi for: %(names)s.") % {"names": ", ".join(names)}, "errors": errors})
    return values


class _Invalid(Exception):
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body


WRITE_RESPONSES = {**MALFORMED, **UNAUTHENTICATED, **FORBIDDEN, **INVALID}


@router.post(
    "/practices",
    auth=KindTokenAuth(OrganisationKind.NATIONAL),
    response={201: PracticeOut, **WRITE_RESPONSES},
    summary="Skriv et godt eksempel",
    description=(
        "Lager et godt eksempel skrevet direkte (kilde «direct»), som utkast eller publisert (status). "
        "Bare for redaktørnøkler: API-nøkler til organisasjoner av typen «nasjonal-aktor». Andre nøkler "
        "får 403. Koder for innsatsområder, fokusområder og målgrupper er slug; kommuner er kommunenummer; "
        "organisasjoner er id. Ukjente koder gir 422. Lenkenavnet lages av tittelen."
    ),
    operation_id="create_practice",
)
def create_practice(request: HttpRequest, practice: PracticeIn):
    _editor_key(request)
    data = practice.dict()
    try:
        values = _resolve(data)
    except _Invalid as exc:
        return Status(422, exc.body)
    created = services.create_practice(values=values, by=None)
    if data["status"] == "published":
        created = services.publish(practice=created, by=None)
    return Status(201, get_object_for_user(request, _full(Practice.objects.all()), pk=created.pk))


@router.patch(
    "/practices/{slug}",
    auth=KindTokenAuth(OrganisationKind.NATIONAL),
    response={200: PracticeOut, **WRITE_RESPONSES, **NOT_FOUND},
    summary="Endre et godt eksempel",
    description=(
        "Endrer feltene som sendes; de andre står som de er. Lister (innsatsområder, kommuner …) erstattes "
        "i sin helhet. status «published» publiserer, «withdrawn» trekker tilbake. Bare for redaktørnøkler "
        "(organisasjoner av typen «nasjonal-aktor»); andre nøkler får 403. Et ukjent lenkenavn gir 404."
    ),
    operation_id="update_practice",
)
def update_practice(request: HttpRequest, slug: PracticeSlug, practice: PracticePatch):
    _editor_key(request)
    existing = get_object_for_user(request, Practice.objects.all(), slug=slug)
    data = practice.dict(exclude_unset=True)
    data = {key: value for key, value in data.items() if value is not None}
    try:
        values = _resolve(data)
    except _Invalid as exc:
        return Status(422, exc.body)
    changed = services.update_practice(practice=existing, values=values, by=None)
    status = data.get("status")
    if status == "published":
        services.publish(practice=changed, by=None)
    elif status == "withdrawn":
        services.withdraw(practice=changed, by=None)
    return get_object_for_user(request, _full(Practice.objects.all()), pk=existing.pk)
