"""Pages of measures: the list, a measure, its indicators with progress, editing and import."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samspill.core.exceptions import NoAccess
from samspill.core.pagination import paginate
from samspill.core.permissions import ELEVATED_ROLES, effective_grants, get_object_for_user, require_perm
from samspill.core.types import AuthenticatedHttpRequest
from samspill.measures import charts, importer, progress, services
from samspill.measures.forms import (
    AdoptForm,
    ImportForm,
    IndicatorForm,
    ListFilterForm,
    MeasureForm,
    MeasurementForm,
    PartnerForm,
    PlanItemForm,
    ResourceForm,
)
from samspill.measures.models import Indicator, Measure, Measurement, MeasurePartner, PlanItem, Resource
from samspill.organisations.models import Organisation
from samspill.practices.models import Practice

IMPORT_SESSION_KEY = "measures-import"


# --- Reading helpers ------------------------------------------------------------------


@dataclass(frozen=True)
class Latest:
    """The latest value of an indicator: all a status needs (see ``progress.status``)."""

    period_start: date
    value: Decimal


def indicators_with_values() -> Prefetch:
    """Each measure's indicators with their latest value, in one query however many values there are."""
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-period_start")
    return Prefetch(
        "indicators",
        queryset=Indicator.objects.annotate(
            latest_period=Subquery(latest.values("period_start")[:1]),
            latest_value=Subquery(latest.values("value")[:1]),
        ).order_by("kind", "pk"),
    )


def with_progress(measures: Any, today: date | None = None) -> list[Measure]:
    """Give each measure (with ``indicators_with_values`` prefetched) its indicators' statuses."""
    today = today or timezone.localdate()
    result = []
    for measure in measures:
        rows = []
        for indicator in measure.indicators.all():
            indicator.measure = measure  # already loaded; no query per indicator
            values = (
                [] if indicator.latest_period is None else [Latest(indicator.latest_period, indicator.latest_value)]
            )
            rows.append((indicator, progress.status(indicator, values, today)))  # type: ignore[arg-type]
        measure.indicator_rows = rows
        measure.progress_summary = progress.summary(status for _i, status in rows)
        result.append(measure)
    return result


def elevated_organisations(user: Any) -> QuerySet[Organisation]:
    ids = [g.organisation_id for g in effective_grants(user) if g.role in ELEVATED_ROLES]
    return Organisation.objects.filter(pk__in=ids).order_by("name_sort")


def get_measure_for_user(request: HttpRequest, pk: int, *, perm: str | None = None) -> Measure:
    queryset = (
        Measure.objects.visible_to(request.user)
        .select_related("owner", "adopted_practice", "published_as", "partnership")
        .prefetch_related("partners__organisation")
    )
    return get_object_for_user(request, queryset, perm=perm, pk=pk)


def _indicator(request: HttpRequest, measure: Measure, pk: int) -> Indicator:
    indicator = get_object_for_user(request, measure.indicators.select_related("responsible"), pk=pk)
    indicator.measure = measure
    return indicator


def chart(indicator: Indicator, measurements: list[Measurement]) -> str:
    """The indicator's SVG chart, cached until a value, the indicator or the language changes."""
    newest = max((m.updated_at for m in measurements), default=None)
    stamp = f"{indicator.updated_at.timestamp()}:{newest and newest.timestamp()}:{len(measurements)}"
    key = f"measures:chart:{indicator.pk}:{stamp}:{translation.get_language()}"
    svg = cache.get(key)
    if svg is None:
        svg = charts.indicator_svg(indicator, measurements)
        cache.set(key, svg, 60 * 60 * 24)
    return svg


def indicator_panel(indicator: Indicator, today: date) -> dict[str, Any]:
    measurements = list(indicator.measurements.all())
    return {
        "indicator": indicator,
        "status": progress.status(indicator, measurements, today),
        "measurements": measurements,
        "chart": chart(indicator, measurements),
    }


# --- List and detail ---------------------------------------------------------------------


@require_safe
def measure_list(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None, user=request.user)
    measures = Measure.objects.visible_to(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            measures = measures.filter(title__icontains=data["q"])
        if data["status"]:
            measures = measures.filter(status=data["status"])
        if data["municipality"]:
            measures = measures.filter(municipalities=data["municipality"])
        if data["partnership"]:
            measures = measures.filter(partnership=data["partnership"])
        if data["focus_area"]:
            measures = measures.filter(focus_areas=data["focus_area"])
        if data["target_group"]:
            measures = measures.filter(target_groups=data["target_group"])
        if data["mine"]:
            ids = [g.organisation_id for g in effective_grants(request.user)]
            measures = measures.involving(ids)
    measures = measures.select_related("owner").prefetch_related("municipalities", indicators_with_values())
    page = paginate(request, measures.order_by("-updated_at", "-pk"))
    with_progress(page.object_list)
    return render(
        request,
        "measures/list.html",
        {
            "form": form,
            "page_obj": page,
            "filtered": any(request.GET.get(name) for name in form.fields),
            "can_add": request.user.has_perm("measures.add_measure"),
        },
    )


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk)
    today = timezone.localdate()
    indicators = list(
        measure.indicators.select_related("responsible").prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("period_start"))
        )
    )
    panels = []
    for indicator in indicators:
        indicator.measure = measure
        panel = indicator_panel(indicator, today)
        panel["can_report"] = request.user.has_perm("measures.add_measurement", indicator)
        panels.append(panel)
    has_values = any(panel["measurements"] for panel in panels)
    partnership = None
    if measure.partnership_id:
        from samspill.partnerships.models import Partnership

        partnership = Partnership.objects.visible_to(request.user).filter(pk=measure.partnership_id).first()
    context = {
        "measure": measure,
        "partnership": partnership,
        "panels": panels,
        "summary": progress.summary(panel["status"] for panel in panels),
        "kinds": Indicator.Kind.choices,
        "can_edit": request.user.has_perm("measures.change_measure", measure),
        "can_import": any(panel["can_report"] for panel in panels),
        "can_propose": request.user.has_perm("measures.publish_as_practice", measure) and has_values,
        "plan": measure.plan_items.all(),
        "resources": measure.resources.select_related("organisation"),
        "municipalities": measure.municipalities.order_by("name"),
        "themes": measure.themes.all(),
        "focus_areas": measure.focus_areas.all(),
        "target_groups": measure.target_groups.all(),
    }
    return render(request, "measures/detail.html", context)


# --- Create and edit ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "measures.add_measure")
    owners = Organisation.objects.all() if request.user.is_superuser else elevated_organisations(request.user)
    form = MeasureForm(request.POST or None, user=request.user, owners=owners)
    if request.method == "POST" and form.is_valid():
        measure = services.create_measure(owner=form.cleaned_data["owner"], values=form.values(), by=request.user)
        messages.success(request, _("Tiltaket er lagret. Legg til indikatorer for å måle om det virker."))
        return redirect("measures:detail", pk=measure.pk)
    return render(request, "measures/measure_form.html", {"form": form, "heading": _("Nytt tiltak")})


# The edit page holds four forms whose fields share names (title, kind, organisation): each
# form's ids get their own prefix so that they stay unique (the field names stay as they are).
PARTNER_IDS = "partner_%s"
PLAN_IDS = "plan_%s"
RESOURCE_IDS = "resource_%s"


def _render_edit(request: HttpRequest, measure: Measure, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "measure": measure,
        "form": forms.get("form") or MeasureForm(instance=measure, user=request.user),
        "partner_form": forms.get("partner_form") or PartnerForm(measure=measure, auto_id=PARTNER_IDS),
        "plan_form": forms.get("plan_form") or PlanItemForm(auto_id=PLAN_IDS),
        "resource_form": forms.get("resource_form") or ResourceForm(measure=measure, auto_id=RESOURCE_IDS),
        "partners": measure.partners.select_related("organisation"),
        "plan": measure.plan_items.all(),
        "resources": measure.resources.select_related("organisation"),
        "heading": _("Rediger tiltaket"),
    }
    return render(request, "measures/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk, perm="measures.change_measure")
    if request.method == "POST":
        form = MeasureForm(request.POST, instance=measure, user=request.user)
        if form.is_valid():
            services.update_measure(measure=measure, values=form.values(), by=request.user)
            messages.success(request, _("Endringene er lagret."))
            return redirect("measures:edit", pk=measure.pk)
        measure.refresh_from_db()
        return _render_edit(request, measure, form=form)
    return _render_edit(request, measure)


@login_required
@require_POST
def change_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk, perm="measures.change_measure")
    try:
        services.change_status(measure=measure, status=request.POST.get("status", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Statusen er endret."))
    return redirect("measures:detail", pk=measure.pk)


def _add_row(request: AuthenticatedHttpRequest, measure: Measure, form: Any, form_key: str, done: str) -> HttpResponse:
    """Save a partner, plan item or resource from the edit page, or show the page with the form's errors."""
    if not form.is_valid():
        return _render_edit(request, measure, **{form_key: form})
    row = form.save(commit=False)
    row._history_user = request.user
    row.save()
    messages.success(request, done)
    return redirect("measures:edit", pk=measure.pk)


@login_required
@require_POST
def add_partner(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk, perm="measures.change_measure")
    form = PartnerForm(request.POST, measure=measure, instance=MeasurePartner(measure=measure), auto_id=PARTNER_IDS)
    return _add_row(request, measure, form, "partner_form", _("Partneren er lagt til."))


@login_required
@require_POST
def remove_partner(request: AuthenticatedHttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk, perm="measures.change_measure")
    partner = get_object_for_user(request, measure.partners.all(), pk=partner_pk)
    if measure.indicators.filter(responsible_id=partner.organisation_id).exists():
        messages.error(request, _("Partneren er ansvarlig for en indikator. Gi ansvaret til en annen først."))
    else:
        partner._history_user = request.user  # type: ignore[attr-defined]
        partner.delete()
        messages.success(request, _("Partneren er fjernet."))
    return redirect("measures:edit", pk=measure.pk)


@login_required
@require_POST
def add_plan_item(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk, perm="measures.change_measure")
    form = PlanItemForm(request.POST, instance=PlanItem(measure=measure), auto_id=PLAN_IDS)
    return _add_row(request, measure, form, "plan_form", _("Punktet er lagt til i planen."))


@login_required
@require_POST
def plan_item_done(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk, perm="measures.change_measure")
    item = get_object_for_user(request, measure.plan_items.all(), pk=item_pk)
    item.done_date = None if item.done_date else timezone.localdate()
    item._history_user = request.user  # type: ignore[attr-defined]
    item.save(update_fields=["done_date"])
    return redirect("measures:edit", pk=measure.pk)


@login_required
@require_POST
def add_resource(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk, perm="measures.change_measure")
    form = ResourceForm(request.POST, measure=measure, instance=Resource(measure=measure), auto_id=RESOURCE_IDS)
    return _add_row(request, measure, form, "resource_form", _("Ressursen er lagt til."))


@login_required
@require_POST
def remove_resource(request: AuthenticatedHttpRequest, pk: int, resource_pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk, perm="measures.change_measure")
    resource = get_object_for_user(request, measure.resources.all(), pk=resource_pk)
    resource._history_user = request.user  # type: ignore[attr-defined]
    resource.delete()
    messages.success(request, _("Ressursen er fjernet."))
    return redirect("measures:edit", pk=measure.pk)


# --- Indicators and measurements -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk, perm="measures.change_measure")
    form = IndicatorForm(request.POST or None, measure=measure, instance=Indicator(measure=measure))
    if request.method == "POST" and form.is_valid():
        indicator = services.save_indicator(indicator=form.save(commit=False), by=request.user)
        messages.success(request, _("Indikatoren er lagt til."))
        return redirect(indicator.get_absolute_url())
    return render(
        request, "measures/indicator_form.html", {"form": form, "measure": measure, "heading": _("Ny indikator")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk, perm="measures.change_measure")
    indicator = _indicator(request, measure, indicator_pk)
    form = IndicatorForm(request.POST or None, measure=measure, instance=indicator)
    if request.method == "POST" and form.is_valid():
        services.save_indicator(indicator=form.save(commit=False), by=request.user)
        messages.success(request, _("Endringene er lagret."))
        return redirect(indicator.get_absolute_url())
    return render(
        request,
        "measures/indicator_form.html",
        {"form": form, "measure": measure, "indicator": indicator, "heading": _("Rediger indikatoren")},
    )


@require_http_methods(["GET", "POST"])
def indicator(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk)
    indicator = _indicator(request, measure, indicator_pk)
    can_report = request.user.has_perm("measures.add_measurement", indicator)
    form = MeasurementForm(request.POST or None, indicator=indicator) if can_report else None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form is None:
            raise NoAccess
        if form.is_valid():
            data = form.cleaned_data
            try:
                _m, created = services.record_measurement(
                    indicator=indicator,
                    period_start=data["period"],
                    value=data.get("value"),
                    numerator=data.get("numerator"),
                    denominator=data.get("denominator"),
                    note=data.get("note", ""),
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error("period" if exc.code == "future_period" else None, exc)
            else:
                messages.success(
                    request,
                    _("Målingen er lagret.")
                    if created
                    else _("Målingen er rettet. Den gamle verdien ligger i historikken."),
                )
                return redirect(indicator.get_absolute_url())
    corrections = (
        Measurement.history.filter(indicator_id=indicator.pk, history_type="~")
        .select_related("history_user")
        .order_by("-history_date")[:20]
    )
    context = {
        "measure": measure,
        "panel": indicator_panel(indicator, timezone.localdate()),
        "form": form,
        "can_report": can_report,
        "can_edit": request.user.has_perm("measures.change_measure", measure),
        "corrections": [(h, indicator.period_label(h.period_start)) for h in corrections],
    }
    return render(request, "measures/indicator.html", context)


# --- Import ---------------------------------------------------------------------------------


def _reportable(request: HttpRequest, measure: Measure) -> None:
    if not any(request.user.has_perm("measures.add_measurement", i) for i in measure.indicators.all()):
        raise NoAccess


@login_required
@require_http_methods(["GET", "POST"])
def import_measurements(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Upload a file and see every row checked; nothing is saved until the user confirms."""
    measure = get_measure_for_user(request, pk)
    _reportable(request, measure)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = importer.read_rows(form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            checked = importer.check(measure, rows, request.user, timezone.localdate())
            token = secrets.token_urlsafe(16)
            if not checked.bad and checked.good:
                request.session[IMPORT_SESSION_KEY] = {
                    "token": token,
                    "measure": measure.pk,
                    "rows": [row.as_data() for row in checked.good],
                }
            else:
                request.session.pop(IMPORT_SESSION_KEY, None)
            return render(
                request,
                "measures/import_preview.html",
                {"measure": measure, "checked": checked, "token": token},
                status=200,
            )
    return render(
        request, "measures/import.html", {"measure": measure, "form": form, "indicators": measure.indicators.all()}
    )


@login_required
@require_POST
def import_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk)
    _reportable(request, measure)
    pending = request.session.get(IMPORT_SESSION_KEY) or {}
    if pending.get("measure") != measure.pk or pending.get("token") != request.POST.get("token"):
        messages.error(request, _("Importen er utløpt eller allerede lagret. Last opp filen på nytt."))
        return redirect("measures:import", pk=measure.pk)
    try:
        count = importer.save(measure, pending["rows"], request.user, timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("measures:import", pk=measure.pk)
    finally:
        request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(request, _("%(n)s målinger er lagret.") % {"n": count})
    return redirect("measures:detail", pk=measure.pk)


# --- From practice to measure and back -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def adopt(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Take a published practice into use: a draft measure in one of the user's organisations."""
    practice = get_object_for_user(request, Practice.objects.published(), slug=slug)
    require_perm(request, "measures.adopt_practice")
    owners = elevated_organisations(request.user)
    choices = list(owners)
    data: Any = request.POST.copy() if request.method == "POST" else None
    if data is not None and len(choices) == 1 and "owner" not in data:
        data["owner"] = str(choices[0].pk)
    form = AdoptForm(data, owners=owners)
    if data is not None and form.is_valid():
        measure = services.adopt_practice(practice=practice, owner=form.cleaned_data["owner"], by=request.user)
        messages.success(
            request, _("Eksempelet er tatt i bruk som et utkast til tiltak. Fyll ut planen og legg til indikatorer.")
        )
        return redirect("measures:edit", pk=measure.pk)
    return render(request, "measures/adopt.html", {"practice": practice, "form": form})


@login_required
@require_POST
def propose_practice(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_for_user(request, pk, perm="measures.publish_as_practice")
    try:
        services.propose_as_practice(measure=measure, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Tiltaket er sendt til redaksjonen som forslag til godt eksempel."))
    return redirect("measures:detail", pk=measure.pk)
