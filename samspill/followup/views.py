"""Pages of followup: the coordinator's desk per organisation, and the volunteer's own pages."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samspill.core.exports import neutralise
from samspill.core.pagination import paginate
from samspill.core.permissions import get_object_for_user
from samspill.core.types import AuthenticatedHttpRequest
from samspill.followup import certificate, services
from samspill.followup.forms import (
    CheckInForm,
    DayForm,
    DeclarationForm,
    FollowUpDoneForm,
    HoursForm,
    RejectForm,
    StepFormSet,
    TrainingItemForm,
)
from samspill.followup.models import (
    ConfidentialityDeclaration,
    ConfidentialitySignature,
    FollowUp,
    FollowUpStep,
    HoursEntry,
    PoliceCertificate,
    TrainingCompletion,
    TrainingItem,
)
from samspill.followup.querysets import followups_visible_to, hours_visible_to, volunteers_of
from samspill.organisations.models import Organisation


def _organisation(request: AuthenticatedHttpRequest, slug: str, perm: str = "followup.coordinate") -> Organisation:
    return get_object_for_user(request, Organisation.objects.all(), perm=perm, slug=slug)


def _volunteer(request: AuthenticatedHttpRequest, organisation: Organisation, user_pk: int) -> Any:
    return get_object_for_user(request, volunteers_of(organisation), pk=user_pk)


# --- The coordinator's desk ---------------------------------------------------------------


@login_required
def overview(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    queue = services.queue(organisation)
    context: dict[str, Any] = {
        "organisation": organisation,
        "queue": queue,
        "pending_hours": HoursEntry.objects.filter(organisation=organisation, status="pending").count(),
        "response_times": None,
    }
    if request.user.has_perm("followup.view_response_times", organisation):
        context["response_times"] = services.response_times(organisation)
    return render(request, "followup/overview.html", context)


@login_required
def volunteers(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    people = volunteers_of(organisation).order_by("name", "email")
    page = paginate(request, people)
    ids = [person.pk for person in page]
    seen = set(
        PoliceCertificate.objects.filter(organisation=organisation, user_id__in=ids, seen_on__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    declaration = services.current_declaration(organisation)
    signed = set(
        ConfidentialitySignature.objects.filter(declaration=declaration, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    hours = dict(
        HoursEntry.objects.filter(organisation=organisation, user_id__in=ids, status="approved")
        .values("user_id")
        .annotate(total=Sum("hours"))
        .values_list("user_id", "total")
    )
    rows = [{"person": p, "seen": p.pk in seen, "signed": p.pk in signed, "hours": hours.get(p.pk) or 0} for p in page]
    return render(
        request,
        "followup/volunteers.html",
        {"organisation": organisation, "page_obj": page, "rows": rows, "declaration": declaration},
    )


@login_required
def volunteer_detail(request: AuthenticatedHttpRequest, slug: str, user_pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    person = _volunteer(request, organisation, user_pk)
    police = PoliceCertificate.objects.filter(organisation=organisation, user=person).first()
    items = TrainingItem.objects.filter(organisation=organisation).prefetch_related(
        Prefetch("completions", queryset=TrainingCompletion.objects.filter(user=person), to_attr="mine")
    )
    signatures = ConfidentialitySignature.objects.filter(
        user=person, declaration__organisation=organisation
    ).select_related("declaration")
    return render(
        request,
        "followup/volunteer_detail.html",
        {
            "organisation": organisation,
            "person": person,
            "police": police,
            "police_basis": services.police_certificate_basis(organisation, person),
            "day_form": DayForm(initial={"day": timezone.localdate()}),
            "items": items,
            "declaration": services.current_declaration(organisation),
            "signatures": signatures,
            "hours": HoursEntry.objects.filter(organisation=organisation, user=person).select_related("opportunity")[
                :50
            ],
            "followups": FollowUp.objects.filter(organisation=organisation, user=person).select_related("checkin"),
            "active_signups": services.active_signups(organisation, person).select_related("opportunity", "shift"),
        },
    )


def _day_or_back(request: AuthenticatedHttpRequest, organisation: Organisation, person: Any) -> Any:
    form = DayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Velg en dato som ikke er fram i tid."))
        return None
    return form.cleaned_data["day"]


@login_required
@require_POST
def police_certificate(request: AuthenticatedHttpRequest, slug: str, user_pk: int, what: str) -> HttpResponse:
    """Record that a police certificate was asked for or seen. Never a copy, never a number."""
    if what not in ("requested", "seen"):
        raise Http404
    organisation = _organisation(request, slug)
    person = _volunteer(request, organisation, user_pk)
    day = _day_or_back(request, organisation, person)
    if day is not None:
        try:
            if what == "seen":
                services.record_police_certificate_seen(
                    organisation=organisation, user=person, by=request.user, seen_on=day
                )
                messages.success(request, _("Registrert at politiattesten er sett."))
            else:
                services.request_police_certificate(organisation=organisation, user=person, by=request.user, on=day)
                messages.success(request, _("Registrert at politiattest er bedt om."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("followup:volunteer", slug=organisation.slug, user_pk=person.pk)


@login_required
@require_POST
def training_done(request: AuthenticatedHttpRequest, slug: str, user_pk: int, item_pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    person = _volunteer(request, organisation, user_pk)
    item = get_object_for_user(request, TrainingItem.objects.filter(organisation=organisation), pk=item_pk)
    day = _day_or_back(request, organisation, person)
    if day is not None:
        services.record_training(item=item, user=person, completed_on=day, by=request.user)
        messages.success(request, _("Opplæringen er registrert som fullført."))
    return redirect("followup:volunteer", slug=organisation.slug, user_pk=person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def end_role(request: AuthenticatedHttpRequest, slug: str, user_pk: int) -> HttpResponse:
    """ "Avslutt som frivillig": cancels active sign-ups and deletes the police-certificate record."""
    organisation = _organisation(request, slug)
    person = _volunteer(request, organisation, user_pk)
    if request.method == "POST":
        services.end_role(organisation=organisation, user=person, by=request.user)
        messages.success(request, _("Rollen som frivillig er avsluttet."))
        return redirect("followup:volunteer", slug=organisation.slug, user_pk=person.pk)
    return render(
        request,
        "followup/end_role.html",
        {
            "organisation": organisation,
            "person": person,
            "active_signups": services.active_signups(organisation, person).select_related("opportunity", "shift"),
        },
    )


@login_required
def hours_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    # Attendance marked a minute ago shows up here at once, not only after the next scheduled run.
    services.sync_attended_hours(organisation)
    status = request.GET.get("status", "pending")
    if status not in HoursEntry.Status.values:
        status = "pending"
    entries = (
        HoursEntry.objects.filter(organisation=organisation, status=status)
        .select_related("user", "opportunity", "decided_by")
        .order_by("date", "pk")
    )
    return render(
        request,
        "followup/hours_list.html",
        {
            "organisation": organisation,
            "page_obj": paginate(request, entries),
            "status": status,
            "statuses": HoursEntry.Status.choices,
        },
    )


@login_required
@require_POST
def hours_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_for_user(
        request, hours_visible_to(request.user).select_related("organisation"), perm="followup.decide_hours", pk=pk
    )
    services.decide_hours(entry=entry, by=request.user, approve=True)
    messages.success(request, _("Timene er godkjent."))
    return redirect(f"{_hours_url(entry)}")


def _hours_url(entry: HoursEntry) -> str:
    from django.urls import reverse

    return reverse("followup:hours", args=[entry.organisation.slug])


@login_required
@require_http_methods(["GET", "POST"])
def hours_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_for_user(
        request,
        hours_visible_to(request.user).select_related("organisation", "user", "opportunity"),
        perm="followup.decide_hours",
        pk=pk,
    )
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.decide_hours(entry=entry, by=request.user, approve=False, reason=form.cleaned_data["reason"])
        messages.success(request, _("Timene er avvist."))
        return redirect(_hours_url(entry))
    return render(request, "followup/hours_reject.html", {"entry": entry, "form": form})


def report_rows(organisation: Organisation, year: int) -> dict[str, Any]:
    """Approved hours of one year, summed per person, opportunity, focus area and month."""
    approved = HoursEntry.objects.filter(organisation=organisation, status="approved", date__year=year)
    return {
        "total": approved.aggregate(total=Sum("hours"))["total"] or 0,
        "entries": approved.count(),
        "per_person": approved.values("user__name", "user__email")
        .annotate(total=Sum("hours"), count=Count("pk"))
        .order_by("-total", "user__name"),
        "per_opportunity": approved.values("opportunity__title")
        .annotate(total=Sum("hours"), count=Count("pk"))
        .order_by("-total", "opportunity__title"),
        "per_focus_area": approved.filter(opportunity__focus_areas__isnull=False)
        .values("opportunity__focus_areas__name")
        .annotate(total=Sum("hours"), count=Count("pk"))
        .order_by("-total", "opportunity__focus_areas__name"),
        "per_month": approved.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("hours"), count=Count("pk"))
        .order_by("month"),
    }


def _year(request: AuthenticatedHttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    return min(max(year, 2000), this_year + 1)


@login_required
def report(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    year, this_year = _year(request), timezone.localdate().year
    return render(
        request,
        "followup/report.html",
        {"organisation": organisation, "year": year, "years": range(this_year, this_year - 5, -1)}
        | report_rows(organisation, year),
    )


@login_required
def report_csv(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Each approved entry of the year, for a spreadsheet; formulas neutralised."""
    organisation = _organisation(request, slug)
    year = _year(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="timer-{organisation.slug}-{year}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Dato"), _("Navn"), _("E-post"), _("Oppdrag"), _("Timer"), _("Beskrivelse")])
    entries = (
        HoursEntry.objects.filter(organisation=organisation, status="approved", date__year=year)
        .select_related("user", "opportunity")
        .order_by("date", "pk")
    )
    for e in entries.iterator():
        writer.writerow(
            [
                neutralise(value)
                for value in (
                    e.date.isoformat(),
                    e.user.name,
                    e.user.email,
                    e.opportunity.title if e.opportunity else "",
                    str(e.hours).replace(".", ","),
                    e.description,
                )
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def declarations(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    current = services.current_declaration(organisation)
    form = DeclarationForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        declaration = services.publish_declaration(
            organisation=organisation, text=form.cleaned_data["text"], by=request.user
        )
        messages.success(request, _("Versjon %(version)s er lagret.") % {"version": declaration.version})
        return redirect("followup:declarations", slug=organisation.slug)
    versions = ConfidentialityDeclaration.objects.filter(organisation=organisation).annotate(signed=Count("signatures"))
    return render(
        request, "followup/declarations.html", {"organisation": organisation, "form": form, "versions": versions}
    )


@login_required
@require_http_methods(["GET", "POST"])
def training(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    form = TrainingItemForm(request.POST or None, instance=TrainingItem(organisation=organisation))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Opplæringen er lagt til."))
        return redirect("followup:training", slug=organisation.slug)
    items = TrainingItem.objects.filter(organisation=organisation).annotate(done=Count("completions"))
    return render(request, "followup/training.html", {"organisation": organisation, "form": form, "items": items})


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    steps = FollowUpStep.objects.filter(organisation=organisation)
    if request.method == "POST":
        formset = StepFormSet(request.POST, queryset=steps)
        if formset.is_valid():
            for form in formset.forms:
                if form.instance.pk is None:
                    form.instance.organisation = organisation
            formset.save()
            messages.success(request, _("Oppfølgingsplanen er lagret."))
            return redirect("followup:schedule", slug=organisation.slug)
    else:
        formset = StepFormSet(queryset=steps)
    return render(request, "followup/schedule.html", {"organisation": organisation, "formset": formset})


@login_required
@require_POST
def schedule_standard(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Start from the standard plan (only when the organisation has no steps yet)."""
    organisation = _organisation(request, slug)
    services.add_default_steps(organisation)
    return redirect("followup:schedule", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def followup_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    followup = get_object_for_user(
        request,
        followups_visible_to(request.user).select_related("organisation", "user", "checkin", "done_by"),
        perm="followup.handle_followup",
        pk=pk,
    )
    form = FollowUpDoneForm(request.POST or None, initial={"note": followup.note})
    if request.method == "POST" and form.is_valid():
        services.complete_followup(followup=followup, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Oppfølgingen er registrert."))
        return redirect("followup:overview", slug=followup.organisation.slug)
    return render(request, "followup/followup_detail.html", {"followup": followup, "form": form})


@login_required
def certificate_for(request: AuthenticatedHttpRequest, slug: str, user_pk: int) -> HttpResponse:
    """A coordinator issues a volunteer certificate for a volunteer of their organisation."""
    organisation = _organisation(request, slug)
    person = _volunteer(request, organisation, user_pk)
    return certificate.response(organisation, person)


# --- The volunteer's own pages -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_hours(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = HoursForm(request.POST or None, user=request.user, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.log_hours(
            user=request.user,
            organisation=data["organisation"],
            opportunity=data["opportunity"],
            day=data["date"],
            hours=data["hours"],
            description=data["description"],
        )
        messages.success(request, _("Timene er registrert og venter på godkjenning."))
        return redirect("followup:my_hours")
    entries = HoursEntry.objects.filter(user=request.user).select_related("organisation", "opportunity")
    totals = entries.aggregate(logged=Sum("hours"), approved=Sum("hours", filter=Q(status="approved")))
    organisations = Organisation.objects.filter(
        hours_entries__user=request.user, hours_entries__status="approved"
    ).distinct()
    return render(
        request,
        "followup/my_hours.html",
        {"form": form, "page_obj": paginate(request, entries), "totals": totals, "organisations": organisations},
    )


@login_required
@require_POST
def hours_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The volunteer takes back an entry nobody has decided on yet."""
    entry = get_object_for_user(
        request, HoursEntry.objects.filter(user=request.user), perm="followup.change_hours", pk=pk
    )
    entry.delete()
    messages.success(request, _("Timeføringen er slettet."))
    return redirect("followup:my_hours")


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    followup = get_object_for_user(
        request,
        FollowUp.objects.filter(user=request.user).select_related("organisation"),
        perm="followup.answer_checkin",
        pk=pk,
    )
    existing = getattr(followup, "checkin", None)
    form = CheckInForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        services.answer_checkin(
            followup=followup, **{k: form.cleaned_data[k] for k in ("satisfaction", "wish", "comment")}
        )
        messages.success(request, _("Takk for svaret!"))
        return redirect("accounts:profile")
    return render(request, "followup/checkin.html", {"followup": followup, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def sign_declaration(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_for_user(
        request, Organisation.objects.filter(confidentiality_declarations__isnull=False).distinct(), slug=slug
    )
    declaration = services.current_declaration(organisation)
    assert declaration is not None  # noqa: S101 (the queryset only has organisations with a text)
    signature = ConfidentialitySignature.objects.filter(declaration=declaration, user=request.user).first()
    if request.method == "POST" and signature is None:
        if request.POST.get("confirm") == "yes":
            services.sign_declaration(declaration=declaration, user=request.user)
            messages.success(request, _("Du har signert taushetserklæringen."))
            return redirect("accounts:profile")
        messages.error(request, _("Kryss av for at du har lest og godtar erklæringen."))
    return render(
        request,
        "followup/sign_declaration.html",
        {"organisation": organisation, "declaration": declaration, "signature": signature},
    )


@login_required
def my_certificate(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The volunteer's own certificate from one organisation (where they have approved hours)."""
    organisation = get_object_for_user(
        request,
        Organisation.objects.filter(hours_entries__user=request.user, hours_entries__status="approved").distinct(),
        slug=slug,
    )
    return certificate.response(organisation, request.user)
