"""Pieces every API router shares: the error format, token auth, pagination and the docs page.

Every error the API gives is JSON with a human-readable ``detail`` (Norwegian by default,
English with ``Accept-Language: en``). Validation errors add ``errors``, one per bad value.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.pagination import PaginationBase
from ninja.security import HttpBearer

# --- Error format ------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(..., description="Hva som gikk galt, i klartekst.")


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(..., description='Hvor verdien står, f.eks. ["query", "page"].')
    msg: str = Field(..., description="Hvorfor verdien ble avvist.")
    type: str = Field(..., description="Feiltype fra valideringen.")


class ValidationErrorOut(Schema):
    detail: str = Field(..., description="Hva som gikk galt, i klartekst.")
    errors: list[FieldErrorOut] = Field(..., description="Én oppføring per ugyldig verdi.")


class UnknownValue(HttpError):
    """A well-formed filter value that names nothing we know (an unknown county number, say).

    A 404 like an unknown path: the request was valid by the schema, but what it names is not here.
    """

    def __init__(self, message: str) -> None:
        super().__init__(404, message)


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error JSON with a ``detail`` message.

    Unexpected exceptions still reach Django's handler500, which answers JSON under /api/
    (samspill.core.views.server_error). The handlers take ``exc: Any`` because ninja's
    typing of add_exception_handler rejects a handler typed for one exception class.
    """

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": _("Fant ikke det du spurte etter.")}, status=404)

    def denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": _("Du har ikke tilgang til dette.")}, status=403)

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        response = api.create_response(
            request,
            {"detail": _("Mangler gyldig API-nøkkel. Send den som «Authorization: Bearer <nøkkel>».")},
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="samspill"'
        return response

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message}, status=exc.status_code)

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [
            {
                "loc": [str(part) if not isinstance(part, int) else part for part in error.get("loc", [])],
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
            for error in exc.errors
        ]
        names = sorted({str(e["loc"][-1]) for e in errors if e["loc"]})
        detail = (
            _("Ugyldig verdi for: %(names)s.") % {"names": ", ".join(names)} if names else _("Ugyldig forespørsel.")
        )
        return api.create_response(request, {"detail": detail, "errors": errors}, status=422)

    def domain_invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": " ".join(exc.messages)}, status=400)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, denied)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(DjangoValidationError, domain_invalid)


# Responses every operation can give, for the OpenAPI schema.
INVALID = {422: ValidationErrorOut}
NOT_FOUND = {404: ErrorOut}
UNAUTHENTICATED = {401: ErrorOut}
# A request body that is not JSON at all.
MALFORMED = {400: ErrorOut}


# --- Token auth --------------------------------------------------------------


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer samspill_…``: an active API token of an organisation.

    ``request.auth`` becomes the ApiToken (with its organisation loaded).
    """

    openapi_description = "API-nøkkel for en organisasjon, laget av organisasjonens administrator i Samspill."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from samspill.organisations.tokens import authenticate

        return authenticate(token)


class KindTokenAuth(ApiTokenAuth):
    """A key of an organisation of one of ``kinds`` (slugs of OrganisationKind).

    Other valid keys get 403 before the request body is read, so a write by a key without
    the right is refused as such, not answered with the body's validation errors.
    """

    def __init__(self, *kinds: str) -> None:
        super().__init__()
        self.kinds = frozenset(kinds)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = super().authenticate(request, token)
        if api_token is None:
            return None
        if api_token.organisation.kind.slug not in self.kinds:
            raise PermissionDenied
        return api_token


# --- Pagination --------------------------------------------------------------

MAX_PAGE = 100_000  # far beyond any real list; keeps OFFSET inside a 64-bit integer
MAX_PAGE_SIZE = 100


class PagePagination(PaginationBase):
    """``?page=2&page_size=50`` → ``{items, count, page, pages}``. A page past the end is empty."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Sidenummer, fra 1.")
        page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"Antall per side (høyst {MAX_PAGE_SIZE}).")

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description="Antall treff i alt.")
        page: int = Field(..., description="Denne siden.")
        pages: int = Field(..., description="Antall sider i alt (minst 1).")

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any) -> Any:
        count = self._items_count(queryset)
        offset = (pagination.page - 1) * pagination.page_size
        items = list(queryset[offset : offset + pagination.page_size]) if offset < count else []
        return {
            "items": items,
            "count": count,
            "page": pagination.page,
            "pages": max(1, math.ceil(count / pagination.page_size)),
        }


# --- Documentation page ------------------------------------------------------


class HtmlDocs(DocsBase):
    """Server-rendered documentation of the OpenAPI schema.

    Swagger UI would load scripts from a CDN, which our Content-Security-Policy forbids
    (and which may not be reachable); this page needs no JavaScript at all.
    """

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        context = {
            "schema": schema,
            "operations": describe_operations(schema),
            "schemas": describe_schemas(schema),
            "openapi_url": self.get_openapi_url(api, kwargs),
        }
        return render(request, "core/api_docs.html", context)


def describe_operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            operations.append(
                {
                    "anchor": op.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "needs_token": bool(op.get("security")),
                    "parameters": [
                        {
                            "name": p["name"],
                            "location": p.get("in", ""),
                            "required": p.get("required", False),
                            "type": type_label(p.get("schema", {})),
                            "description": p.get("description") or p.get("schema", {}).get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "responses": [
                        {
                            "status": status,
                            "description": response.get("description", ""),
                            "type": type_label(
                                response.get("content", {}).get("application/json", {}).get("schema", {})
                            ),
                            "refs": schema_refs(
                                response.get("content", {}).get("application/json", {}).get("schema", {})
                            ),
                        }
                        for status, response in op.get("responses", {}).items()
                    ],
                }
            )
    return operations


def describe_schemas(schema: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, definition in schema.get("components", {}).get("schemas", {}).items():
        required = set(definition.get("required", []))
        out.append(
            {
                "name": name,
                "description": definition.get("description", ""),
                "fields": [
                    {
                        "name": field,
                        "type": type_label(spec),
                        "refs": schema_refs(spec),
                        "required": field in required,
                        "description": spec.get("description", ""),
                    }
                    for field, spec in definition.get("properties", {}).items()
                ],
            }
        )
    return out


def schema_refs(spec: Any) -> list[str]:
    """Names of the component schemas ``spec`` refers to, for links on the docs page."""
    if isinstance(spec, dict):
        own = [spec["$ref"].rsplit("/", 1)[-1]] if "$ref" in spec else []
        return own + [name for value in spec.values() for name in schema_refs(value)]
    if isinstance(spec, list):
        return [name for value in spec for name in schema_refs(value)]
    return []


def type_label(spec: dict[str, Any]) -> str:
    """A short, readable type: ``string``, ``integer | null``, ``liste av Organisation``."""
    if not spec:
        return ""
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in spec:
            return " | ".join(type_label(s) for s in spec[key])
    kind = spec.get("type", "")
    if kind == "array":
        return _("liste av %(type)s") % {"type": type_label(spec.get("items", {}))}
    extras = []
    if "pattern" in spec:
        extras.append(spec["pattern"])
    if "minimum" in spec or "maximum" in spec:
        extras.append(f"{spec.get('minimum', '')}–{spec.get('maximum', '')}")
    if "maxLength" in spec:
        extras.append(_("høyst %(n)s tegn") % {"n": spec["maxLength"]})
    if "format" in spec:
        extras.append(spec["format"])
    return f"{kind} ({', '.join(extras)})" if extras else str(kind)
