"""Pages of volunteering: public search and opportunity pages, signing up, and the coordinators' pages."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samspill.core.permissions import coordinated_organisation_ids, get_object_for_user, require_perm
from samspill.core.sections import object_sections
from samspill.core.types import AuthenticatedHttpRequest
from samspill.organisations.models import Organisation
from samspill.volunteering import calendar, services
from samspill.volunteering import search as opportunity_search
from samspill.volunteering.forms import AddPersonForm, OpportunityForm, SearchForm, ShiftForm, ShiftSeriesForm
from samspill.volunteering.models import CalendarFeed, Opportunity, Shift, ShiftSeries, SignUp

PAGE_SIZE = 20


def _filters(form: SearchForm) -> opportunity_search.Filters:
    data = form.cleaned_data if form.is_valid() else {}
    return opportunity_search.Filters(
        municipality=data.get("kommune"),
        county=data.get("fylke"),
        form=data.get("form") or "",
        focus_area=data.get("fokus"),
        target_group=data.get("malgruppe"),
        for_me=bool(data.get("for_meg")),
        sort=data.get("sorter") or "start",
        postal_code=data.get("postnummer"),
    )


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters = _filters(form) if request.GET else opportunity_search.Filters()
    result, origin = opportunity_search.search(filters, request.user)
    if not isinstance(result, list):
        result = opportunity_search.listing(result)
    page_obj = Paginator(result, PAGE_SIZE).get_page(request.GET.get("page"))
    opportunities = opportunity_search.page_objects(result, list(page_obj.object_list))
    distances = opportunity_search.distances_from(origin, opportunities) if origin is not None else {}
    for opportunity in opportunities:
        opportunity.distance_km = distances.get(opportunity.pk)  # type: ignore[attr-defined]
    context = {
        "form": form if request.GET else SearchForm(),
        "page_obj": page_obj,
        "opportunities": opportunities,
        "origin": origin,
        "filtered": bool(request.GET),
        "for_me_needs_login": filters.for_me and not request.user.is_authenticated,
        "distance_without_origin": filters.sort == "avstand" and origin is None,
        "coordinates": bool(coordinated_organisation_ids(request.user)) or request.user.is_superuser,
    }
    return render(request, "volunteering/search.html", context)


def _upcoming_shifts(opportunity: Opportunity) -> list[Shift]:
    return list(opportunity.shifts.upcoming()[:50])


def _my_signups(request: HttpRequest, opportunity: Opportunity) -> dict[int | None, SignUp]:
    """The person's active sign-ups for this opportunity, by shift id (None: interest)."""
    if not request.user.is_authenticated:
        return {}
    return {s.shift_id: s for s in SignUp.objects.active().filter(opportunity=opportunity, user=request.user)}


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_for_user(
        request,
        Opportunity.objects.visible_to(request.user)
        .select_related("organisation", "municipality__county", "postal_code", "contact_person")
        .prefetch_related("focus_areas", "target_groups"),
        pk=pk,
    )
    mine = _my_signups(request, opportunity)
    shifts = _upcoming_shifts(opportunity)
    for shift in shifts:
        shift.my_signup = mine.get(shift.pk)  # type: ignore[attr-defined]
    context = {
        "opportunity": opportunity,
        "shifts": shifts,
        "my_interest": mine.get(None),
        "can_manage": request.user.has_perm("volunteering.change_opportunity", opportunity),
        "sections": object_sections(request, opportunity),
    }
    return render(request, "volunteering/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def shift_signup(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The confirm page: the opportunity's requirements, then the person's yes."""
    shift = get_object_for_user(
        request, Shift.objects.visible_to(request.user).select_related("opportunity__organisation"), pk=pk
    )
    opportunity = shift.opportunity
    require_perm(request, "volunteering.sign_up", opportunity)
    error = None
    if request.method == "POST":
        try:
            signup = services.sign_up(shift=shift, user=request.user)
        except services.SignUpError as exc:
            error = str(exc)
        else:
            if signup.status == SignUp.Status.CONFIRMED:
                messages.success(request, _("Du er meldt på. Vi sees!"))
            else:
                messages.info(
                    request,
                    _("Vakten er full. Du står som nummer %(position)s på ventelisten og får e-post hvis du får plass.")
                    % {"position": signup.waitlist_position},
                )
            return redirect(opportunity)
    return render(
        request,
        "volunteering/confirm.html",
        {"opportunity": opportunity, "shift": shift, "error": error},
        status=409 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def interest(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Say yes to an ongoing opportunity; the organisation answers."""
    opportunity = get_object_for_user(
        request, Opportunity.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )
    require_perm(request, "volunteering.sign_up", opportunity)
    error = None
    if request.method == "POST":
        try:
            services.sign_up(opportunity=opportunity, user=request.user)
        except services.SignUpError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Takk! Organisasjonen har fått beskjed og svarer deg."))
            return redirect(opportunity)
    return render(
        request,
        "volunteering/confirm.html",
        {"opportunity": opportunity, "shift": None, "error": error},
        status=409 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel_signup(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    signup = get_object_for_user(
        request,
        SignUp.objects.visible_to(request.user).select_related("opportunity__organisation", "shift", "user"),
        pk=pk,
        perm="volunteering.cancel_signup",
    )
    own = signup.user_id == request.user.pk
    if request.method == "POST":
        services.cancel(signup, by=request.user)
        messages.success(request, _("Du er meldt av.") if own else _("Påmeldingen er avmeldt."))
        if not own and signup.shift_id:
            return redirect("volunteering:shift", signup.shift_id)
        if not own:
            return redirect("volunteering:manage", signup.opportunity_id)
        return redirect("accounts:profile")
    if not signup.is_active:
        messages.info(request, _("Denne påmeldingen er allerede avsluttet."))
        return redirect("accounts:profile" if own else "volunteering:manage", *([] if own else [signup.opportunity_id]))
    return render(request, "volunteering/cancel.html", {"signup": signup, "own": own})


# --- Coordinators ----------------------------------------------------------------


@login_required
@require_safe
def organisation_opportunities(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_for_user(request, Organisation.objects.all(), slug=slug)
    require_perm(request, "volunteering.change_opportunity", _OrganisationScope(organisation))
    opportunities = opportunity_search.with_next_shift(
        Opportunity.objects.filter(organisation=organisation).select_related("municipality")
    ).order_by("status", "title")
    page_obj = Paginator(opportunities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "volunteering/organisation.html", {"organisation": organisation, "page_obj": page_obj})


class _OrganisationScope:
    """Lets the opportunity rights be asked about an organisation (``organisation_id``)."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation_id = organisation.pk


@login_required
@require_safe
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A coordinator's way in: the organisations whose opportunities they manage."""
    organisations = Organisation.objects.filter(pk__in=coordinated_organisation_ids(request.user)).order_by("name_sort")
    return render(request, "volunteering/mine.html", {"organisations": organisations})


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "volunteering.add_opportunity")
    initial = {}
    slug = request.GET.get("organisasjon")
    if slug:
        organisation = Organisation.objects.filter(slug=slug, pk__in=coordinated_organisation_ids(request.user)).first()
        if organisation is not None:
            initial = {"organisation": organisation, "municipality": organisation.home_municipality}
    form = OpportunityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        opportunity = form.save(commit=False)
        require_perm(request, "volunteering.change_opportunity", opportunity)
        opportunity.created_by = request.user
        opportunity.save()
        form.save_m2m()
        messages.success(request, _("Oppdraget er lagret. Legg til vakter under."))
        return redirect("volunteering:manage", opportunity.pk)
    return render(request, "volunteering/opportunity_form.html", {"form": form, "opportunity": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_for_user(
        request,
        Opportunity.objects.visible_to(request.user).select_related("organisation", "postal_code"),
        pk=pk,
        perm="volunteering.change_opportunity",
    )
    form = OpportunityForm(request.POST or None, instance=opportunity, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Endringene er lagret."))
        return redirect("volunteering:manage", opportunity.pk)
    return render(request, "volunteering/opportunity_form.html", {"form": form, "opportunity": opportunity})


def _managed_opportunity(request: HttpRequest, pk: int) -> Opportunity:
    return get_object_for_user(
        request,
        Opportunity.objects.visible_to(request.user).select_related("organisation"),
        pk=pk,
        perm="volunteering.manage_signups",
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The coordinator's page of one opportunity: shifts, series, interest to answer, add by hand."""
    opportunity = _managed_opportunity(request, pk)
    add_form = AddPersonForm(request.POST or None, prefix="add")
    if request.method == "POST" and add_form.is_valid():
        try:
            services.sign_up(
                opportunity=opportunity,
                name=add_form.cleaned_data["name"],
                email=add_form.cleaned_data["email"],
                added_by=request.user,
            )
        except services.SignUpError as exc:
            add_form.add_error("email", str(exc))
        else:
            messages.success(request, _("Personen er lagt til."))
            return redirect("volunteering:manage", opportunity.pk)
    now = timezone.now()
    shifts = opportunity.shifts.filter(ends_at__gt=now).order_by("starts_at")[:100]
    interest = (
        opportunity.signups.filter(shift__isnull=True)
        .exclude(status=SignUp.Status.CANCELLED)
        .select_related("user")
        .order_by("status", "created_at")
    )
    context = {
        "opportunity": opportunity,
        "shifts": shifts,
        "series": opportunity.series.all(),
        "interest": interest,
        "add_form": add_form,
        "sections": object_sections(request, opportunity),
    }
    return render(request, "volunteering/manage.html", context, status=400 if add_form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def shift_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = _managed_opportunity(request, pk)
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        shift = form.apply(Shift(opportunity=opportunity))
        services.save_shift(shift)
        messages.success(request, _("Vakten er lagt til."))
        return redirect("volunteering:manage", opportunity.pk)
    return render(request, "volunteering/shift_form.html", {"form": form, "opportunity": opportunity, "shift": None})


@login_required
@require_http_methods(["GET", "POST"])
def shift_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    shift = get_object_for_user(
        request,
        Shift.objects.visible_to(request.user).select_related("opportunity__organisation"),
        pk=pk,
        perm="volunteering.manage_signups",
    )
    form = ShiftForm(request.POST or None, instance=shift)
    if request.method == "POST" and form.is_valid():
        services.save_shift(form.apply(shift))
        messages.success(request, _("Endringene er lagret."))
        return redirect("volunteering:shift", shift.pk)
    return render(
        request, "volunteering/shift_form.html", {"form": form, "opportunity": shift.opportunity, "shift": shift}
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_form(request: AuthenticatedHttpRequest, pk: int, series_pk: int | None = None) -> HttpResponse:
    opportunity = _managed_opportunity(request, pk)
    series = None
    if series_pk is not None:
        series = get_object_for_user(request, ShiftSeries.objects.filter(opportunity=opportunity), pk=series_pk)
    form = ShiftSeriesForm(request.POST or None, instance=series)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.opportunity = opportunity
        saved.save()
        created = services.generate_shifts(saved)
        messages.success(request, _("Vaktmønsteret er lagret. %(count)s nye vakter er laget.") % {"count": created})
        return redirect("volunteering:manage", opportunity.pk)
    return render(
        request, "volunteering/series_form.html", {"form": form, "opportunity": opportunity, "series": series}
    )


@login_required
@require_http_methods(["GET", "POST"])
def shift(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The coordinator's shift page: who has signed up, the wait list, add by hand, attendance."""
    shift = get_object_for_user(
        request,
        Shift.objects.visible_to(request.user).select_related("opportunity__organisation"),
        pk=pk,
        perm="volunteering.manage_signups",
    )
    add_form = AddPersonForm(request.POST or None, prefix="add")
    if request.method == "POST" and add_form.is_valid():
        try:
            signup = services.sign_up(
                shift=shift,
                name=add_form.cleaned_data["name"],
                email=add_form.cleaned_data["email"],
                added_by=request.user,
            )
        except services.SignUpError as exc:
            add_form.add_error("email", str(exc))
        else:
            if signup.status == SignUp.Status.CONFIRMED:
                messages.success(request, _("Personen er lagt til på vakten."))
            else:
                messages.info(
                    request,
                    _("Vakten er full. Personen står som nummer %(position)s på ventelisten.")
                    % {"position": signup.waitlist_position},
                )
            return redirect("volunteering:shift", shift.pk)
    signups = list(
        shift.signups.exclude(status=SignUp.Status.CANCELLED)
        .select_related("user")
        .order_by("status", "waitlist_position", "created_at")
    )
    context = {
        "shift": shift,
        "opportunity": shift.opportunity,
        "confirmed": [s for s in signups if s.status == SignUp.Status.CONFIRMED],
        "waitlisted": sorted(
            (s for s in signups if s.status == SignUp.Status.WAITLISTED), key=lambda s: s.waitlist_position
        ),
        "add_form": add_form,
        "sections": object_sections(request, shift),
        "started": shift.starts_at <= timezone.now(),
    }
    return render(request, "volunteering/shift.html", context, status=400 if add_form.errors else 200)


@login_required
@require_POST
def attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    signup = get_object_for_user(
        request,
        SignUp.objects.visible_to(request.user).select_related("opportunity", "shift"),
        pk=pk,
        perm="volunteering.manage_signups",
    )
    if signup.shift_id is None or signup.status != SignUp.Status.CONFIRMED:
        raise Http404
    value = {"yes": True, "no": False}.get(request.POST.get("attended", ""))
    services.set_attendance(signup, value)
    messages.success(request, _("Oppmøtet er registrert."))
    return redirect("volunteering:shift", signup.shift_id)


@login_required
@require_POST
def answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    signup = get_object_for_user(
        request,
        SignUp.objects.visible_to(request.user).select_related("opportunity"),
        pk=pk,
        perm="volunteering.manage_signups",
    )
    decision = request.POST.get("answer")
    if signup.status != SignUp.Status.PENDING or decision not in ("confirm", "decline"):
        messages.info(request, _("Denne interessen er allerede besvart."))
    else:
        services.answer_interest(signup, accept=decision == "confirm", by=request.user)
        messages.success(request, _("Svaret er sendt på e-post."))
    return redirect(reverse("volunteering:manage", args=[signup.opportunity_id]) + "#interesse")


# --- Calendar feed -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make, replace or turn off the private calendar link. The link is shown once, when made."""
    url = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            url = calendar.feed_url(calendar.new_feed(request.user))
        elif action == "revoke":
            calendar.revoke_feed(request.user)
            messages.success(request, _("Kalenderlenken er slått av. Den gamle lenken virker ikke lenger."))
            return redirect("volunteering:calendar")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "volunteering/calendar.html", {"feed": feed, "url": url})


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = calendar.feed_for_token(token)
    if feed is None:
        raise Http404
    now = timezone.now()
    if feed.last_used_at is None or feed.last_used_at < now - timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    body = calendar.render_ics(calendar.feed_signups(feed.user, now), now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="samspill-vakter.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
