"""JSON API of volunteering: public search and opportunity pages, and signing up for shifts.

Signing up and cancelling take either the person's own login (the session cookie of the web
site, with Django's CSRF token in ``X-CSRFToken``) or an organisation's API key: then the
organisation's coordinators add a named person (name and e-mail) to one of its own shifts.
Somebody else's sign-up is a 404, as if it did not exist; another organisation's shift is a 403.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import SessionAuth
from ninja.utils import check_csrf

from samspill.core.api import (
    INVALID,
    NOT_FOUND,
    UNAUTHENTICATED,
    ApiTokenAuth,
    ErrorOut,
    PagePagination,
    UnknownValue,
)
from samspill.organisations.models import ApiToken
from samspill.places.models import County, Municipality, PostalCode
from samspill.taxonomy.models import FocusArea, TargetGroup
from samspill.volunteering import search as opportunity_search
from samspill.volunteering import services
from samspill.volunteering.models import Opportunity, Shift, SignUp

router = Router(tags=["frivillige oppdrag"])

SLUG = r"^[-a-zA-Z0-9_]+$"
FORBIDDEN = {403: ErrorOut}
CONFLICT = {409: ErrorOut}
Id = Annotated[int, Path(..., ge=1, le=2**62, description="Id-en.")]


class CsrfSessionAuth(SessionAuth):
    """The web site's login cookie; Django's CSRF check applies when the cookie is sent."""

    openapi_description = "Innlogging på nettstedet (øktcookie) med CSRF-token i «X-CSRFToken»."

    def _get_key(self, request: HttpRequest) -> str | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("CSRF-kontrollen feilet. Send CSRF-tokenet i «X-CSRFToken»."))
        return request.COOKIES[settings.SESSION_COOKIE_NAME]


PERSON_OR_TOKEN = [ApiTokenAuth(), CsrfSessionAuth()]


# --- Output ------------------------------------------------------------------------


class TermRef(Schema):
    slug: str = Field(..., description="Fast kode.")
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.label


class OrganisationRef(Schema):
    id: int
    name: str


class PlaceRef(Schema):
    number: str = Field(..., description="Kommunenummer.")
    name: str


class OpportunityOut(Schema):
    id: int
    title: str
    organisation: OrganisationRef
    form: Literal["regular", "event", "drop_in", "remote", "group"] = Field(
        ..., description="Fast/løpende, enkeltarrangement, drop-in, digitalt eller for grupper."
    )
    status: Literal["draft", "published", "paused", "filled", "closed"]
    municipality: PlaceRef | None
    focus_areas: list[TermRef]
    next_shift_at: datetime | None = Field(None, description="Når neste vakt starter; tom for løpende oppdrag.")
    requires_police_certificate: bool
    url: str = Field(..., description="Oppdragets side i Samspill.")

    @staticmethod
    def resolve_focus_areas(obj: Opportunity) -> list[Any]:
        return list(obj.focus_areas.all())

    @staticmethod
    def resolve_next_shift_at(obj: Opportunity) -> datetime | None:
        return getattr(obj, "next_shift_at", None)

    @staticmethod
    def resolve_url(obj: Opportunity, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class ShiftOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int
    free_places: int = Field(..., description="Ledige plasser nå; 0 betyr at nye havner på venteliste.")


class OpportunityDetailOut(OpportunityOut):
    description: str
    address: str
    target_groups: list[TermRef]
    police_certificate_basis: Literal["", "minors", "intellectual_disability"] = Field(
        ..., description="Hjemmel etter politiregisterforskriften § 34-1, når politiattest kreves."
    )
    requires_confidentiality: bool
    minimum_age: int | None
    languages: list[str] = Field(..., description="Språkkoder (ISO 639-1).")
    skills: str
    shifts: list[ShiftOut] = Field(..., description="Kommende vakter, tidligste først (høyst 100).")

    @staticmethod
    def resolve_target_groups(obj: Opportunity) -> list[Any]:
        return list(obj.target_groups.all())

    @staticmethod
    def resolve_shifts(obj: Opportunity) -> list[Shift]:
        return list(obj.shifts.upcoming()[:100])


class SignUpOut(Schema):
    id: int
    shift: int = Field(..., description="Vaktens id.")
    status: Literal["confirmed", "waitlisted", "cancelled", "pending", "declined"] = Field(
        ..., description="«confirmed» med plass, «waitlisted» på venteliste, «cancelled» etter avmelding."
    )
    position: int | None = Field(..., description="Plass på ventelisten (1 er først); tom ellers.")
    name: str = Field(..., description="Personens navn.")

    @staticmethod
    def resolve_shift(obj: SignUp) -> int:
        return obj.shift_id or 0

    @staticmethod
    def resolve_position(obj: SignUp) -> int | None:
        return obj.waitlist_position

    @staticmethod
    def resolve_name(obj: SignUp) -> str:
        return obj.person_name


# --- Search ------------------------------------------------------------------------


class OpportunityFilters(Schema):
    municipality: str | None = Field(None, pattern=r"^\d{4}$", description="Kommunenummer, f.eks. 4601.")
    county: str | None = Field(None, pattern=r"^\d{2}$", description="Fylkesnummer, f.eks. 46.")
    form: Literal["regular", "event", "drop_in", "remote", "group"] | None = None
    focus_area: str | None = Field(None, pattern=SLUG, max_length=80, description="Fokusområdets kode.")
    target_group: str | None = Field(None, pattern=SLUG, max_length=80, description="Målgruppens kode.")
    for_me: bool = Field(False, description="Bare oppdrag som passer interessene og postnummeret til den innloggede.")
    sort: Literal["start", "distance"] = Field("start", description="Neste vakt først, eller nærmest først.")
    postal_code: str | None = Field(
        None, pattern=r"^\d{4}$", description="Avstand måles fra dette postnummeret (ellers fra ens eget)."
    )


def _named(model: Any, field: str, value: str | None, message: str) -> Any:
    if value is None:
        return None
    found = model.objects.filter(**{field: value}).first()
    if found is None:
        raise UnknownValue(message)
    return found


class _LoadedPages(Sequence):
    """Ordered ids (distance sort) that load only the page asked for."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self, value: Any = None) -> int:  # type: ignore[override]
        return len(self.ids)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return opportunity_search.page_objects(self.ids, self.ids[index])
        return opportunity_search.page_objects(self.ids, [self.ids[index]])[0]


@router.get(
    "/opportunities",
    response={200: list[OpportunityOut], **INVALID, **NOT_FOUND},
    summary="Frivillige oppdrag",
    description=(
        "Publiserte frivillige oppdrag, med de samme filtrene som søket på /frivillig/. "
        "Ukjent kommune, fylke, fokusområde, målgruppe eller postnummer gir 404."
    ),
)
@paginate(PagePagination)
def list_opportunities(request: HttpRequest, filters: Query[OpportunityFilters]):
    found = opportunity_search.Filters(
        municipality=_named(Municipality, "number", filters.municipality, _("Ukjent kommunenummer.")),
        county=_named(County, "number", filters.county, _("Ukjent fylkesnummer.")),
        form=filters.form or "",
        focus_area=_named(FocusArea, "slug", filters.focus_area, _("Ukjent fokusområde.")),
        target_group=_named(TargetGroup, "slug", filters.target_group, _("Ukjent målgruppe.")),
        for_me=filters.for_me,
        sort="avstand" if filters.sort == "distance" else "start",
        postal_code=_named(PostalCode, "code", filters.postal_code, _("Ukjent postnummer.")),
    )
    result, _origin = opportunity_search.search(found, request.user)
    if isinstance(result, list):
        return _LoadedPages(result)
    return opportunity_search.listing(result)


@router.get(
    "/opportunities/{id}",
    response={200: OpportunityDetailOut, **NOT_FOUND, **INVALID},
    summary="Ett frivillig oppdrag",
    description="Oppdraget med krav og kommende vakter med ledige plasser. Upubliserte oppdrag gir 404.",
)
def get_opportunity(request: HttpRequest, id: Id):
    queryset = opportunity_search.with_next_shift(
        Opportunity.objects.visible_to(request.user)
        .select_related("organisation", "municipality")
        .prefetch_related("focus_areas", "target_groups")
    )
    opportunity = queryset.filter(pk=id).first()
    if opportunity is None:
        raise HttpError(404, _("Fant ikke det du spurte etter."))
    return opportunity


# --- Signing up ----------------------------------------------------------------------


class SignUpIn(Schema):
    name: str | None = Field(None, max_length=150, description="Med API-nøkkel: personens navn.")
    email: str | None = Field(None, max_length=254, description="Med API-nøkkel: personens e-postadresse.")


def _token(request: HttpRequest) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None  # type: ignore[attr-defined]


def _check_shift(request: HttpRequest, shift: Shift | None) -> None:
    """404 unless the caller may see ``shift``; 403 for another organisation's public shift with a key.

    A person sees shifts of public opportunities only (the others need not be found).
    """
    token = _token(request)
    if shift is None or (token is None and shift.opportunity.status not in Opportunity.PUBLIC_STATUSES):
        raise HttpError(404, _("Fant ikke det du spurte etter."))
    if token is not None and shift.opportunity.organisation_id != token.organisation_id:
        if shift.opportunity.status in Opportunity.PUBLIC_STATUSES:
            raise HttpError(403, _("Vakten hører til en annen organisasjon."))
        raise HttpError(404, _("Fant ikke det du spurte etter."))


@router.post(
    "/shifts/{id}/signups",
    auth=PERSON_OR_TOKEN,
    response={201: SignUpOut, **INVALID, **NOT_FOUND, **UNAUTHENTICATED, **FORBIDDEN, **CONFLICT, 400: ErrorOut},
    summary="Meld på en vakt",
    description=(
        "Innlogget person: melder seg selv på (tom kropp eller {}). Med organisasjonens API-nøkkel: "
        "legger til en navngitt person (name og email) på en av organisasjonens vakter. "
        "Svarer 201 med status «confirmed» så lenge det er plass, ellers «waitlisted» med plass på ventelisten. "
        "409 hvis personen alt er påmeldt eller vakten ikke tar imot påmeldinger."
    ),
)
def create_signup(request: HttpRequest, id: Id, data: SignUpIn | None = None):
    # One transaction reads and locks the shift (services.sign_up_for_shift); the checks of who
    # may see it run on that row, before anything is written.
    token = _token(request)
    name = email = ""
    invalid: HttpError | None = None
    if token is not None:
        name = (data.name or "").strip() if data else ""
        email = (data.email or "").strip() if data else ""
        if not name or not email:
            invalid = HttpError(400, _("Med API-nøkkel må du oppgi personens navn og e-postadresse."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                invalid = HttpError(400, _("Ugyldig e-postadresse."))

    if invalid is not None:
        # The 404 and 403 come first: a stranger's shift is not the place to say more.
        _check_shift(request, Shift.objects.select_related("opportunity").filter(pk=id).first())
        raise invalid

    def check(shift: Shift | None) -> None:
        _check_shift(request, shift)

    try:
        if token is not None:
            signup = services.sign_up_for_shift(id, name=name, email=email, check=check)
        else:
            signup = services.sign_up_for_shift(id, user=request.user, check=check)
    except services.SignUpError as exc:
        raise HttpError(409, str(exc)) from exc
    return Status(201, signup)


@router.delete(
    "/shifts/{id}/signups/{signup_id}",
    auth=PERSON_OR_TOKEN,
    response={200: SignUpOut, **INVALID, **NOT_FOUND, **UNAUTHENTICATED, **FORBIDDEN},
    summary="Meld av en vakt",
    description=(
        "Innlogget person: sin egen påmelding. Med API-nøkkel: påmeldinger på organisasjonens egne vakter. "
        "Den første på ventelisten får plassen og e-post. Andres påmeldinger gir 404. "
        "Å melde av en avmeldt påmelding igjen endrer ingenting."
    ),
)
def delete_signup(request: HttpRequest, id: Id, signup_id: Id):
    token = _token(request)
    signups = SignUp.objects.filter(shift_id=id).select_related("shift", "user")
    if token is not None:
        signups = signups.filter(opportunity__organisation_id=token.organisation_id)
    else:
        signups = signups.filter(user_id=request.user.pk or 0)
    signup = signups.filter(pk=signup_id).first()
    if signup is None:
        raise HttpError(404, _("Fant ikke det du spurte etter."))
    return services.cancel(signup, by=None if token else request.user)
