"""Calls for input: the public list and detail, submitting with an organisation's API key, and
the editors' read access to what came in.

"Editor" for the API is an organisation behind the call: its keys may read the call's sent
submissions. Everyone else gets 404 on those endpoints, so a submission's existence is not
revealed. Submissions through the API have no attachments and no submitting person
(``submitter`` is empty); the key's organisation is the submitting organisation.
"""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from samspill.calls.anonymous import IdempotencyConflict, find_api_replay, submit_from_api
from samspill.calls.exceptions import CallClosed
from samspill.calls.forms import SubmissionForm
from samspill.calls.models import Call, Submission
from samspill.calls.services import ensure_open
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
from samspill.organisations.models import Organisation
from samspill.places.models import Municipality
from samspill.taxonomy.models import FocusArea, TargetGroup, Theme

router = Router(tags=["innspillsrunder"])

SLUG = r"^[-a-zA-Z0-9_]+$"
REFERENCE = r"^INN-\d{4}-\d{4,8}$"
CONFLICT = {409: ErrorOut}

CallSlug = Annotated[str, Path(..., pattern=SLUG, max_length=120, description="Innspillsrundens lenkenavn.")]
TermSlug = Annotated[str, Field(pattern=SLUG, max_length=80)]


def _limit(name: str) -> int:
    """The model's length limit, so the API and the form refuse the same texts."""
    return int(getattr(Submission._meta.get_field(name), "max_length", 0) or 0)


# --- Output ------------------------------------------------------------------


class TermOut(Schema):
    slug: str = Field(..., description="Fast kode.")
    name: str
    description: str

    @staticmethod
    def resolve_name(obj: Theme) -> str:
        return obj.label


class TermRef(Schema):
    slug: str = Field(..., description="Fast kode.")
    name: str

    @staticmethod
    def resolve_name(obj: Theme) -> str:
        return obj.label


class OrganisationRef(Schema):
    id: int
    name: str


class CallOut(Schema):
    slug: str = Field(..., description="Lenkenavn; brukes i adressene under /calls/{slug}.")
    title: str
    status: Literal["upcoming", "open", "closed", "archived"] = Field(
        ..., description="Avledet av tidene: åpner snart, åpen, stengt eller arkivert."
    )
    opens_at: datetime = Field(..., description="Når innspillsrunden åpner.")
    closes_at: datetime = Field(..., description="Fristen, til sekundet.")
    audience: Literal["anyone", "logged_in", "members"] = Field(
        ..., description="Hvem som kan sende inn i nettskjemaet. Med API-nøkkel kan alle organisasjoner sende inn."
    )
    themes: list[TermOut] = Field(..., description="Innsatsområdene runden spør om.")
    organisations: list[OrganisationRef] = Field(..., description="Hvem som står bak.")
    url: str = Field(..., description="Innspillsrundens side i Samspill.")

    @staticmethod
    def resolve_status(obj: Call) -> str:
        return str(obj.status)

    @staticmethod
    def resolve_url(obj: Call, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class CallDetailOut(CallOut):
    introduction: str = Field(..., description="Innledningen, ren tekst.")


class SubmissionReceiptOut(Schema):
    reference: str = Field(..., description="Referansenummeret, f.eks. INN-2026-0042.")
    status: str = Field(..., description="«received» rett etter innsending.")
    submitted_at: datetime
    call: str = Field(..., description="Innspillsrundens lenkenavn.")

    @staticmethod
    def resolve_call(obj: Submission) -> str:
        return obj.call.slug


class AttachmentOut(Schema):
    original_name: str
    content_type: str
    size: int = Field(..., description="Størrelse i byte.")


class SubmissionOut(SubmissionReceiptOut):
    title: str
    summary: str
    what: str
    why: str
    for_whom: str
    how: str
    resources: str
    results: str
    lessons: str
    themes: list[TermRef]
    municipality: str | None = Field(..., description="Kommunenummer.")
    target_groups: list[TermRef]
    focus_areas: list[TermRef]
    organisation: OrganisationRef | None = Field(..., description="Innsendt på vegne av (tom for privatpersoner).")
    contact_name: str
    contact_email: str
    contact_phone: str
    consent_to_publish: bool | None
    tags: list[str]
    attachments: list[AttachmentOut] = Field(..., description="Vedleggene (filene hentes i Samspill).")

    @staticmethod
    def resolve_municipality(obj: Submission) -> str | None:
        return obj.municipality.number if obj.municipality else None

    @staticmethod
    def resolve_tags(obj: Submission) -> list[str]:
        return [str(tag) for tag in obj.tags or []]


# --- Public calls ------------------------------------------------------------


def _calls():
    return Call.objects.listed().prefetch_related("themes", "organisations")


@router.get(
    "/calls",
    response={200: list[CallOut], **INVALID},
    summary="Innspillsrunder",
    description="Publiserte innspillsrunder: åpne først, så de som åpner snart, stengte og arkiverte. Side for side.",
    operation_id="list_calls",
)
@paginate(PagePagination)
def list_calls(request: HttpRequest):
    return _calls()


@router.get(
    "/calls/{slug}",
    response={200: CallDetailOut, **NOT_FOUND, **INVALID},
    summary="Én innspillsrunde",
    description="Innspillsrunden med innledning, innsatsområder og tider. Ukjente og upubliserte gir 404.",
    operation_id="get_call",
)
def get_call(request: HttpRequest, slug: CallSlug):
    return get_object_for_user(request, _calls(), slug=slug)


# --- Submitting --------------------------------------------------------------


class SubmissionIn(Schema):
    """A complete submission; it is sent at once (there are no drafts in the API)."""

    title: str = Field(..., min_length=1, max_length=_limit("title"))
    summary: str = Field(..., min_length=1, max_length=_limit("summary"), description="Kort sammendrag.")
    what: str = Field(..., min_length=1, max_length=_limit("what"), description="Hva ble gjort?")
    why: str = Field("", max_length=_limit("why"))
    for_whom: str = Field("", max_length=_limit("for_whom"))
    how: str = Field("", max_length=_limit("how"))
    resources: str = Field("", max_length=_limit("resources"))
    results: str = Field("", max_length=_limit("results"))
    lessons: str = Field("", max_length=_limit("lessons"))
    themes: list[TermSlug] = Field(
        ..., min_length=1, max_length=20, description="Innsatsområder (slug), blant rundens."
    )
    municipality: str = Field(..., pattern=r"^\d{4}$", description="Kommunenummer (4 siffer).")
    target_groups: list[TermSlug] = Field([], max_length=50, description="Målgrupper (slug).")
    focus_areas: list[TermSlug] = Field([], max_length=50, description="Fokusområder (slug).")
    contact_name: str = Field(..., min_length=1, max_length=_limit("contact_name"))
    contact_email: str = Field(
        ..., min_length=1, max_length=_limit("contact_email"), description="Kvitteringen sendes hit."
    )
    contact_phone: str = Field("", max_length=_limit("contact_phone"))
    consent_to_publish: bool = Field(..., description="Kan eksempelet publiseres i katalogen over gode eksempler?")


# Optional, and typed without "| None" so that the schema offers no null header value.
IDEMPOTENCY_KEY = Header(
    None, alias="Idempotency-Key", description="En UUID klienten lager per innspill; gjør nye forsøk trygge."
)

# API field → form field, where they differ.
FORM_NAMES = {"consent_to_publish": "consent"}
API_NAMES = {form: api for api, form in FORM_NAMES.items()}


class _Invalid(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors


def _pks(model: Any, slugs: list[str], field: str, errors: list[dict[str, Any]], message: str) -> list[int]:
    found = dict(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    for slug in slugs:
        if slug not in found:
            errors.append({"loc": ["body", "submission", field], "msg": message % {"slug": slug}, "type": "unknown"})
    return [found[slug] for slug in slugs if slug in found]


def _form_for(call: Call, organisation: Organisation, data: SubmissionIn, key: uuid.UUID) -> SubmissionForm:
    """The web form, filled from the API body: the same rules for both. Raises _Invalid."""
    errors: list[dict[str, Any]] = []
    municipality = Municipality.objects.filter(number=data.municipality).values_list("pk", flat=True).first()
    if municipality is None:
        errors.append(
            {
                "loc": ["body", "submission", "municipality"],
                "msg": _("Fant ikke noen kommune med nummer %(number)s.") % {"number": data.municipality},
                "type": "unknown",
            }
        )
    form_data: dict[str, Any] = {
        **data.dict(exclude={"themes", "target_groups", "focus_areas", "municipality", "consent_to_publish"}),
        "form_token": str(key),
        "municipality": municipality or "",
        "consent": "yes" if data.consent_to_publish else "no",
        "themes": _pks(Theme, data.themes, "themes", errors, _("Ukjent innsatsområde: %(slug)s.")),
        "target_groups": _pks(
            TargetGroup, data.target_groups, "target_groups", errors, _("Ukjent målgruppe: %(slug)s.")
        ),
        "focus_areas": _pks(FocusArea, data.focus_areas, "focus_areas", errors, _("Ukjent fokusområde: %(slug)s.")),
    }
    form = SubmissionForm(
        form_data,
        instance=Submission(call=call, organisation=organisation),
        call=call,
        user=AnonymousUser(),
        complete=True,
    )
    del form.fields["organisation"]  # the key's organisation, never from the body
    if not form.is_valid():
        for name, problems in form.errors.get_json_data().items():
            for problem in problems:
                field = API_NAMES.get(name, name)
                errors.append(
                    {
                        "loc": ["body", "submission", field],
                        "msg": problem["message"],
                        "type": problem["code"] or "invalid",
                    }
                )
    if errors:
        raise _Invalid(errors)
    return form


def _invalid_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    names = sorted({str(error["loc"][-1]) for error in errors})
    return {"detail": _("Ugyldig verdi for: %(names)s.") % {"names": ", ".join(names)}, "errors": errors}


@router.post(
    "/calls/{slug}/submissions",
    auth=ApiTokenAuth(),
    response={
        201: SubmissionReceiptOut,
        200: SubmissionReceiptOut,
        **MALFORMED,
        **UNAUTHENTICATED,
        **NOT_FOUND,
        **CONFLICT,
        422: ValidationErrorOut,
    },
    summary="Send inn et innspill",
    description=(
        "Sender inn et komplett innspill på vegne av nøkkelens organisasjon, med de samme kravene som "
        "nettskjemaet (påkrevde felt, lengder, rundens innsatsområder) og den samme fristen: etter fristen, "
        "eller før runden åpner, svarer den 409. Innspillet får status «received» og et referansenummer, "
        "og kvitteringen sendes til contact_email. Vedlegg kan ikke sendes gjennom API-et. "
        "Send gjerne en «Idempotency-Key» (UUID): et nytt forsøk med samme nøkkel gir det samme innspillet "
        "tilbake med 200 i stedet for å lage et nytt (201)."
    ),
    operation_id="create_submission",
)
def create_submission(
    request: HttpRequest,
    slug: CallSlug,
    submission: SubmissionIn,
    idempotency_key: uuid.UUID = IDEMPOTENCY_KEY,
):
    organisation = request.auth.organisation  # type: ignore[attr-defined]
    call = get_object_for_user(request, Call.objects.published(), slug=slug)
    key = idempotency_key or uuid.uuid4()
    try:
        replay = find_api_replay(call=call, organisation=organisation, key=key)
    except IdempotencyConflict as exc:
        raise HttpError(409, _("Idempotency-Key er allerede brukt til et annet innspill.")) from exc
    if replay is not None:
        return Status(200, replay)
    now = timezone.now()
    try:
        ensure_open(call, now=now)
    except CallClosed as exc:  # also CallNotYetOpen
        raise HttpError(409, str(exc.message)) from exc
    try:
        form = _form_for(call, organisation, submission, key)
    except _Invalid as exc:
        return Status(422, _invalid_body(exc.errors))
    try:
        sent, created = submit_from_api(call=call, organisation=organisation, form=form, now=now)
    except CallClosed as exc:
        raise HttpError(409, str(exc.message)) from exc
    return Status(201 if created else 200, sent)


# --- Editors -----------------------------------------------------------------


def _edited_call(request: HttpRequest, slug: str) -> Call:
    """A call behind which the key's organisation stands; 404 for every other call."""
    organisation = request.auth.organisation  # type: ignore[attr-defined]
    return get_object_for_user(request, Call.objects.filter(organisations=organisation), slug=slug)


def _sent_submissions():
    return (
        Submission.objects.sent()
        .select_related("call", "municipality", "organisation")
        .prefetch_related("themes", "target_groups", "focus_areas", "attachments")
    )


SubmissionStatus = Literal["received", "under_review", "needs_info", "accepted", "declined"]


class SubmissionFilters(Schema):
    status: SubmissionStatus | None = Field(None, description="Bare innspill med denne statusen.")
    theme: str | None = Field(None, pattern=SLUG, max_length=80, description="Bare innspill i dette innsatsområdet.")


@router.get(
    "/calls/{slug}/submissions",
    auth=ApiTokenAuth(),
    response={200: list[SubmissionOut], **UNAUTHENTICATED, **NOT_FOUND, **INVALID},
    summary="Innspillene til en runde",
    description="Innsendte innspill (aldri utkast), nyeste først, side for side. Bare for nøkler til "
    "organisasjoner som står bak runden; for alle andre svarer den 404. Et ukjent innsatsområde gir 404.",
    operation_id="list_call_submissions",
)
@paginate(PagePagination)
def list_call_submissions(request: HttpRequest, slug: CallSlug, filters: Query[SubmissionFilters]):
    call = _edited_call(request, slug)
    submissions = _sent_submissions().filter(call=call)
    if filters.status:
        submissions = submissions.filter(status=filters.status)
    if filters.theme:
        theme = call.themes.filter(slug=filters.theme).first()
        if theme is None:
            raise UnknownValue(_("Ukjent innsatsområde: %(slug)s.") % {"slug": filters.theme})
        submissions = submissions.filter(themes=theme)
    return submissions.order_by("-submitted_at", "-pk")


@router.get(
    "/submissions/{reference}",
    auth=ApiTokenAuth(),
    response={200: SubmissionOut, **UNAUTHENTICATED, **NOT_FOUND, **INVALID},
    summary="Ett innspill",
    description="Et innsendt innspill med referansenummeret. Bare for nøkler til organisasjoner som står "
    "bak runden; for alle andre svarer den 404.",
    operation_id="get_submission",
)
def get_submission(
    request: HttpRequest,
    reference: Annotated[str, Path(..., pattern=REFERENCE, description="Referansenummer, f.eks. INN-2026-0042.")],
):
    organisation = request.auth.organisation  # type: ignore[attr-defined]
    editable = _sent_submissions().filter(call__in=Call.objects.filter(organisations=organisation))
    return get_object_for_user(request, editable, reference=reference)
