"""Pages of partnerships: list, page, create and edit, members, guidelines, agreements, meetings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samspill.core.pagination import paginate
from samspill.core.permissions import (
    ELEVATED_ROLES,
    agreement_parties_to_sign,
    effective_grants,
    get_object_for_user,
    partnership_org_ids,
    require_perm,
)
from samspill.core.sections import object_sections
from samspill.organisations.models import Organisation
from samspill.partnerships import services
from samspill.partnerships.forms import (
    ActionItemForm,
    ActionItemStatusForm,
    AdoptForm,
    AgreementForm,
    CommentForm,
    ContributionForm,
    GuidelinesForm,
    InviteForm,
    JoinRequestForm,
    MeetingForm,
    MemberForm,
    PartnershipForm,
    SignForm,
)
from samspill.partnerships.models import (
    ActionItem,
    Agreement,
    Contribution,
    GuidelinesVersion,
    Meeting,
    Partnership,
    PartnershipMember,
    Topic,
)
from samspill.partnerships.scheduled import NOTICE_DAYS

PAGE_SIZE = 20


def _partnership(request: HttpRequest, slug: str, perm: str | None = None) -> Partnership:
    return get_object_for_user(
        request, Partnership.objects.visible_to(request.user).select_related("lead"), perm=perm, slug=slug
    )


def _can(request: HttpRequest, perm: str, obj: Any = None) -> bool:
    return bool(request.user.has_perm(perm, obj))


def _my_org_ids(request: HttpRequest, *, elevated: bool = False) -> list[int]:
    return [g.organisation_id for g in effective_grants(request.user) if not elevated or g.role in ELEVATED_ROLES]


def _leads_for(request: HttpRequest) -> Any:
    """The organisations this user may make lead of a new partnership: a municipality or county they coordinate."""
    if request.user.is_superuser:
        return Organisation.objects.filter(
            Q(governs_municipality__isnull=False) | Q(governs_county__isnull=False)
        ).order_by("name_sort")
    ids = [
        g.organisation_id
        for g in effective_grants(request.user)
        if g.role in ELEVATED_ROLES and (g.municipality_id or g.county_id)
    ]
    return Organisation.objects.filter(pk__in=ids).order_by("name_sort")


# --- List and page ------------------------------------------------------------------


@require_safe
def partnership_list(request: HttpRequest) -> HttpResponse:
    partnerships = (
        Partnership.objects.visible_to(request.user)
        .select_related("lead")
        .prefetch_related("focus_areas", "counties")
        .annotate(member_count=Count("members", filter=Q(members__status="active"), distinct=True))
        .order_by("name", "pk")
    )
    page_obj = paginate(request, partnerships, PAGE_SIZE)
    mine = set(Partnership.objects.member_of(request.user).values_list("pk", flat=True))
    return render(
        request,
        "partnerships/list.html",
        {"page_obj": page_obj, "mine": mine, "can_create": _can(request, "partnerships.add_partnership")},
    )


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    partnership = (
        Partnership.objects.filter(pk=partnership.pk)
        .select_related("lead", "lead__kind")
        .prefetch_related("focus_areas", "target_groups", "counties", "municipalities")
        .get()
    )
    is_member = _can(request, "partnerships.view_internals", partnership)
    sections = {s.topic_id: s for s in partnership.sections.all()}
    topics = Topic.objects.filter(is_active=True)
    questions = [(t, sections.get(t.pk)) for t in topics if t.kind == Topic.Kind.QUESTION]
    way_forward = [(t, sections.get(t.pk)) for t in topics if t.kind == Topic.Kind.WAY_FORWARD]
    members = (
        partnership.members.filter(status="active").select_related("organisation").order_by("organisation__name_sort")
    )
    today = timezone.localdate()
    expiring = []
    open_items_count = 0
    my_invitations = []
    if is_member:
        expiring = list(partnership.agreements.expiring(today, NOTICE_DAYS).select_related("member__organisation"))
        open_items_count = partnership.action_items.open().count()
    if request.user.is_authenticated:
        my_invitations = [
            m
            for m in partnership.members.filter(status="invited").select_related("organisation")
            if _can(request, "partnerships.answer_invitation", m)
        ]
    context = {
        "partnership": partnership,
        "questions": questions,
        "way_forward": way_forward,
        "members": members,
        "is_member": is_member,
        "can_edit": _can(request, "partnerships.change_partnership", partnership),
        "can_join": _can(request, "partnerships.request_to_join", partnership),
        "guidelines": services.current_guidelines(partnership),
        "expiring": expiring,
        "open_items_count": open_items_count,
        "my_invitations": my_invitations,
        "sections": object_sections(request, partnership),
    }
    return render(request, "partnerships/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "partnerships.add_partnership")
    topics = list(Topic.objects.filter(is_active=True))
    form = PartnershipForm(request.POST or None, leads=_leads_for(request), topics=topics, sections={})
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "lead"}
        partnership = services.create_partnership(lead=form.cleaned_data["lead"], user=request.user, **data)
        services.save_sections(partnership, form.section_texts())
        messages.success(request, _("Partnerskapet er opprettet."))
        return redirect(partnership)
    return render(request, "partnerships/form.html", {"form": form, "partnership": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "partnerships.change_partnership")
    topics = list(Topic.objects.filter(is_active=True))
    form = PartnershipForm(
        request.POST or None,
        instance=partnership,
        leads=Organisation.objects.none(),
        topics=topics,
        sections=services.sections_by_topic(partnership),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        services.save_sections(partnership, form.section_texts())
        messages.success(request, _("Endringene er lagret."))
        return redirect(partnership)
    return render(request, "partnerships/form.html", {"form": form, "partnership": partnership})


@require_safe
def history(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "partnerships.view_internals")
    records = partnership.history.select_related("history_user").order_by("-history_date")[:50]
    agreements = Agreement.history.filter(partnership_id=partnership.pk).order_by("-history_date")[:50]
    return render(
        request,
        "partnerships/history.html",
        {"partnership": partnership, "records": records, "agreement_records": agreements},
    )


# --- Members ---------------------------------------------------------------------------


@require_safe
def members(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    is_member = _can(request, "partnerships.view_internals", partnership)
    manage = _can(request, "partnerships.manage_members", partnership)
    queryset = partnership.members.select_related("organisation", "contact_person").order_by("organisation__name_sort")
    if not (is_member or manage):
        # Outsiders see the members; an invited or asking organisation also sees its own row.
        queryset = queryset.filter(Q(status="active") | Q(organisation_id__in=_my_org_ids(request)))
    rows: list[Any] = list(queryset)
    for row in rows:
        row.partnership = partnership  # one instance, so rights are worked out once
        row.can_answer = _can(request, "partnerships.answer_invitation", row)
        row.can_change = row.status == "active" and _can(request, "partnerships.change_member", row)
    my_orgs = Organisation.objects.filter(pk__in=_my_org_ids(request, elevated=True)).exclude(
        pk__in=[r.organisation_id for r in rows if r.status in ("active", "invited", "requested")]
    )
    context = {
        "partnership": partnership,
        "active": [r for r in rows if r.status == "active"],
        "invited": [r for r in rows if r.status == "invited"],
        "requested": [r for r in rows if r.status == "requested"],
        "former": [r for r in rows if r.status in ("left", "declined", "rejected")],
        "is_member": is_member,
        "manage": manage,
        "invite_form": InviteForm(partnership=partnership) if manage else None,
        "join_form": JoinRequestForm(organisations=my_orgs.order_by("name_sort"))
        if _can(request, "partnerships.request_to_join", partnership)
        else None,
    }
    return render(request, "partnerships/members.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "partnerships.manage_members")
    form = InviteForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(
                partnership,
                form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                by=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            form.add_error("organisation", exc)
        else:
            messages.success(
                request,
                _("%(name)s er invitert. Administratorene får e-post.")
                % {"name": form.cleaned_data["organisation"].name},
            )
            return redirect("partnerships:members", partnership.slug)
    return render(request, "partnerships/invite.html", {"partnership": partnership, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def request_to_join(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "partnerships.request_to_join")
    busy = partnership.members.filter(status__in=("active", "invited", "requested")).values("organisation_id")
    organisations = (
        Organisation.objects.filter(pk__in=_my_org_ids(request, elevated=True))
        .exclude(pk__in=busy)
        .exclude(pk=partnership.lead_id)
        .order_by("name_sort")
    )
    form = JoinRequestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_to_join(
                partnership, form.cleaned_data["organisation"], by=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            form.add_error("organisation", exc)
        else:
            messages.success(request, _("Forespørselen er sendt til lederen av partnerskapet."))
            return redirect("partnerships:members", partnership.slug)
    return render(request, "partnerships/join.html", {"partnership": partnership, "form": form})


def _member(request: HttpRequest, partnership: Partnership, pk: int, perm: str | None) -> PartnershipMember:
    return get_object_for_user(
        request,
        partnership.members.select_related("organisation", "partnership__lead"),
        perm=perm,
        pk=pk,
    )


@login_required
@require_POST
def answer_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    member = _member(request, partnership, pk, "partnerships.answer_invitation")
    accept = request.POST.get("answer") == "accept"
    try:
        services.answer_invitation(member, accept=accept, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if accept:
            messages.success(request, _("Velkommen! %(name)s er nå medlem.") % {"name": member.organisation.name})
        else:
            messages.success(request, _("Du har takket nei til invitasjonen."))
    return redirect("partnerships:members", partnership.slug)


@login_required
@require_POST
def decide_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug, "partnerships.manage_members")
    member = _member(request, partnership, pk, None)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_request(member, approve=approve, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            (_("%(name)s er nå medlem.") if approve else _("Forespørselen fra %(name)s er avslått."))
            % {"name": member.organisation.name},
        )
    return redirect("partnerships:members", partnership.slug)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    member = _member(request, partnership, pk, "partnerships.change_member")
    form = MemberForm(
        request.POST or None,
        instance=member,
        lead_may_edit=_can(request, "partnerships.manage_members", partnership),
    )
    if request.method == "POST" and form.is_valid():
        member = form.save(commit=False)
        if member.left_on and member.left_on <= timezone.localdate() and member.role != PartnershipMember.Role.LEAD:
            member.status = PartnershipMember.Status.LEFT
        member.save()
        messages.success(request, _("Endringene er lagret."))
        return redirect("partnerships:members", partnership.slug)
    return render(
        request, "partnerships/member_form.html", {"partnership": partnership, "member": member, "form": form}
    )


# --- Guidelines ----------------------------------------------------------------------------


@require_safe
def guidelines(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    is_member = _can(request, "partnerships.view_internals", partnership)
    versions = partnership.guidelines.order_by("-number")
    if not is_member:
        versions = versions.exclude(status__in=("proposed", "withdrawn"))
    return render(
        request,
        "partnerships/guidelines.html",
        {
            "partnership": partnership,
            "versions": versions,
            "current": services.current_guidelines(partnership),
            "can_propose": _can(request, "partnerships.propose_guidelines", partnership),
        },
    )


def _version(request: HttpRequest, partnership: Partnership, number: int) -> GuidelinesVersion:
    versions = partnership.guidelines.all()
    if not _can(request, "partnerships.view_internals", partnership):
        versions = versions.exclude(status__in=("proposed", "withdrawn"))
    return get_object_for_user(request, versions, number=number)


@require_http_methods(["GET", "POST"])
def guidelines_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    version = _version(request, partnership, number)
    is_member = _can(request, "partnerships.view_internals", partnership)
    can_comment = version.status == "proposed" and _can(request, "partnerships.comment_guidelines", partnership)
    can_adopt = version.status == "proposed" and _can(request, "partnerships.adopt_guidelines", partnership)
    org_ids = partnership_org_ids(partnership) if request.user.is_authenticated else set()
    comment_orgs = Organisation.objects.filter(pk__in=set(_my_org_ids(request)) & org_ids).order_by("name_sort")
    comment_form = CommentForm(request.POST or None, organisations=comment_orgs) if can_comment else None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        require_perm(request, "partnerships.comment_guidelines", partnership)
        if version.status != "proposed" or comment_form is None:
            messages.error(request, _("Bare en foreslått versjon kan kommenteres."))
            return redirect("partnerships:guidelines_version", partnership.slug, version.number)
        if comment_form.is_valid():
            comment = comment_form.save(commit=False)
            comment.version, comment.author = version, request.user
            comment.save()
            messages.success(request, _("Kommentaren er lagt til."))
            return redirect("partnerships:guidelines_version", partnership.slug, version.number)
    previous = partnership.guidelines.filter(number__lt=version.number).order_by("-number").first()
    if previous and not is_member and previous.status in ("proposed", "withdrawn"):
        previous = (
            partnership.guidelines.filter(number__lt=version.number, status__in=("adopted", "superseded"))
            .order_by("-number")
            .first()
        )
    context = {
        "partnership": partnership,
        "version": version,
        "previous": previous,
        "diff": services.guidelines_diff(previous.text if previous else "", version.text) if previous else None,
        "comments": version.comments.select_related("organisation", "author") if is_member else [],
        "comment_form": comment_form,
        "adopt_form": AdoptForm(initial={"adopted_on": timezone.localdate()}) if can_adopt else None,
    }
    return render(request, "partnerships/guidelines_version.html", context)


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


@login_required
@require_http_methods(["GET", "POST"])
def guidelines_propose(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "partnerships.propose_guidelines")
    latest = partnership.guidelines.order_by("-number").first()
    form = GuidelinesForm(request.POST or None, initial={"text": latest.text if latest else ""})
    if request.method == "POST" and form.is_valid():
        version = services.propose_guidelines(
            partnership, text=form.cleaned_data["text"], change_note=form.cleaned_data["change_note"], by=request.user
        )
        messages.success(
            request, _("Versjon %(number)s er foreslått. Medlemmene kan nå kommentere.") % {"number": version.number}
        )
        return redirect("partnerships:guidelines_version", partnership.slug, version.number)
    return render(request, "partnerships/guidelines_form.html", {"partnership": partnership, "form": form})


@login_required
@require_POST
def guidelines_adopt(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    partnership = _partnership(request, slug, "partnerships.adopt_guidelines")
    version = _version(request, partnership, number)
    form = AdoptForm(request.POST)
    if form.is_valid():
        try:
            services.adopt_guidelines(version, adopted_on=form.cleaned_data["adopted_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Versjon %(number)s er vedtatt.") % {"number": version.number})
    else:
        messages.error(request, _("Skriv datoen retningslinjene ble vedtatt."))
    return redirect("partnerships:guidelines_version", partnership.slug, version.number)


# --- Agreements ----------------------------------------------------------------------------


@login_required
@require_safe
def agreements(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "partnerships.view_internals")
    rows = (
        partnership.agreements.select_related("member__organisation")
        .annotate(signature_count=Count("signatures", distinct=True), party_count=Count("parties", distinct=True))
        .order_by("-starts_on", "-pk")
    )
    today = timezone.localdate()
    return render(
        request,
        "partnerships/agreements.html",
        {
            "partnership": partnership,
            "agreements": rows,
            "summary": services.contribution_summary(partnership),
            "expiring": partnership.agreements.expiring(today, NOTICE_DAYS).select_related("member__organisation"),
            "can_add": _can(request, "partnerships.add_agreement", partnership),
        },
    )


def _agreement(request: HttpRequest, partnership: Partnership, pk: int, perm: str | None = None) -> Agreement:
    require_perm(request, "partnerships.view_internals", partnership)
    return get_object_for_user(
        request,
        partnership.agreements.select_related("partnership__lead", "member__organisation", "replaces"),
        perm=perm,
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "partnerships.add_agreement")
    form = AgreementForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        agreement = form.save(commit=False)
        agreement.partnership, agreement.created_by = partnership, request.user
        agreement.save()
        messages.success(request, _("Avtalen er lagret som utkast. Legg til bidragene til partene."))
        return redirect(agreement)
    return render(
        request, "partnerships/agreement_form.html", {"partnership": partnership, "form": form, "agreement": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    agreement = _agreement(request, partnership, pk, "partnerships.change_agreement")
    form = AgreementForm(request.POST or None, instance=agreement, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agreement(agreement, **{n: form.cleaned_data[n] for n in form.Meta.fields})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect(agreement)
    return render(
        request, "partnerships/agreement_form.html", {"partnership": partnership, "form": form, "agreement": agreement}
    )


def _agreement_context(request: HttpRequest, partnership: Partnership, agreement: Agreement, **extra: Any) -> dict:
    parties = services.agreement_parties(agreement)
    contributions = agreement.contributions.select_related("organisation")
    signatures = agreement.signatures.select_related("organisation", "signed_by")
    can_change = _can(request, "partnerships.change_agreement", agreement)
    sign_ids = agreement_parties_to_sign(request.user, agreement)
    context = {
        "partnership": partnership,
        "agreement": agreement,
        "parties": parties,
        "signed_ids": {s.organisation_id for s in signatures},
        "contributions": contributions,
        "signatures": signatures,
        "can_change": can_change,
        "can_replace": _can(request, "partnerships.replace_agreement", agreement)
        and not Agreement.objects.filter(replaces=agreement).exists(),
        "can_withdraw": agreement.status == "proposed" and _can(request, "partnerships.add_agreement", partnership),
        "contribution_form": ContributionForm(parties=parties, initial={"year": agreement.starts_on.year})
        if can_change
        else None,
        "sign_form": SignForm(organisation_ids=sign_ids) if sign_ids else None,
        "replaced_by": Agreement.objects.filter(replaces=agreement).first(),
    }
    context.update(extra)
    return context


@login_required
@require_safe
def agreement_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    agreement = _agreement(request, partnership, pk)
    return render(request, "partnerships/agreement_detail.html", _agreement_context(request, partnership, agreement))


@login_required
@require_POST
def contribution_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    agreement = _agreement(request, partnership, pk, "partnerships.change_agreement")
    form = ContributionForm(request.POST, parties=services.agreement_parties(agreement))
    if form.is_valid():
        services.add_contribution(agreement, **form.cleaned_data)
        messages.success(request, _("Bidraget er lagt til."))
        return redirect(agreement)
    context = _agreement_context(request, partnership, agreement, contribution_form=form)
    return render(request, "partnerships/agreement_detail.html", context, status=422)


@login_required
@require_POST
def contribution_delete(request: HttpRequest, slug: str, pk: int, contribution_pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    agreement = _agreement(request, partnership, pk, "partnerships.change_agreement")
    contribution = get_object_for_user(request, Contribution.objects.filter(agreement=agreement), pk=contribution_pk)
    services.remove_contribution(contribution)
    messages.success(request, _("Bidraget er fjernet."))
    return redirect(agreement)


@login_required
@require_POST
def agreement_propose(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    agreement = _agreement(request, partnership, pk, "partnerships.change_agreement")
    try:
        services.propose_agreement(agreement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Avtalen er sendt til signering. Administratorene i hver part kan nå signere."))
    return redirect(agreement)


@login_required
@require_POST
def agreement_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug, "partnerships.add_agreement")
    agreement = _agreement(request, partnership, pk)
    try:
        services.withdraw_agreement(agreement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Avtalen er trukket tilbake til utkast. Signaturene er fjernet."))
    return redirect(agreement)


@login_required
@require_POST
def agreement_sign(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    agreement = _agreement(request, partnership, pk, "partnerships.sign_agreement")
    form = SignForm(request.POST, organisation_ids=agreement_parties_to_sign(request.user, agreement))
    if form.is_valid():
        try:
            agreement = services.sign_agreement(
                agreement,
                organisation=form.cleaned_data["organisation"],
                by=request.user,
                signer_role=form.cleaned_data["signer_role"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if agreement.status == Agreement.Status.SIGNED:
                messages.success(request, _("Alle partene har signert. Avtalen er signert og kan ikke lenger endres."))
            else:
                messages.success(request, _("Du har signert avtalen."))
            return redirect(agreement)
    context = _agreement_context(request, partnership, agreement, sign_form=form)
    return render(request, "partnerships/agreement_detail.html", context, status=422)


@login_required
@require_POST
def agreement_new_version(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    agreement = _agreement(request, partnership, pk, "partnerships.replace_agreement")
    try:
        copy = services.new_version(agreement, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(agreement)
    messages.success(request, _("En ny versjon er laget som utkast. Den erstatter den gamle når alle har signert."))
    return redirect(copy)


# --- Meetings and action items ------------------------------------------------------------


@login_required
@require_safe
def meetings(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "partnerships.view_internals")
    rows = partnership.meetings.annotate(
        open_items=Count("action_items", filter=Q(action_items__status__in=ActionItem.OPEN_STATUSES))
    ).order_by("-held_on", "-pk")
    return render(
        request,
        "partnerships/meetings.html",
        {
            "partnership": partnership,
            "page_obj": paginate(request, rows, PAGE_SIZE),
            "can_add": _can(request, "partnerships.manage_meetings", partnership),
        },
    )


def _meeting(request: HttpRequest, partnership: Partnership, pk: int) -> Meeting:
    require_perm(request, "partnerships.view_internals", partnership)
    return get_object_for_user(request, partnership.meetings.all(), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    partnership = _partnership(request, slug, "partnerships.manage_meetings")
    meeting = _meeting(request, partnership, pk) if pk else None
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.partnership = partnership
        if not meeting.pk:
            meeting.created_by = request.user
        meeting.save()
        messages.success(request, _("Møtet er lagret."))
        return redirect("partnerships:meeting", partnership.slug, meeting.pk)
    return render(
        request, "partnerships/meeting_form.html", {"partnership": partnership, "form": form, "meeting": meeting}
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    meeting = _meeting(request, partnership, pk)
    can_manage = _can(request, "partnerships.manage_meetings", partnership)
    form = ActionItemForm(request.POST or None, partnership=partnership) if can_manage else None
    if request.method == "POST":
        require_perm(request, "partnerships.manage_meetings", partnership)
        if form is not None and form.is_valid():
            item = form.save(commit=False)
            item.partnership, item.meeting = partnership, meeting
            item.save()
            messages.success(request, _("Oppfølgingspunktet er lagt til."))
            return redirect("partnerships:meeting", partnership.slug, meeting.pk)
    items = meeting.action_items.select_related("owner_organisation", "owner_person")
    return render(
        request,
        "partnerships/meeting_detail.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "items": items,
            "today": timezone.localdate(),
            "form": form,
            "can_manage": can_manage,
        },
        status=422 if form is not None and form.is_bound and form.errors else 200,
    )


@login_required
@require_safe
def action_items(request: HttpRequest, slug: str) -> HttpResponse:
    """Open action items across the partnership, overdue first."""
    partnership = _partnership(request, slug, "partnerships.view_internals")
    show_all = request.GET.get("vis") == "alle"
    rows = partnership.action_items.select_related("owner_organisation", "owner_person", "meeting")
    if not show_all:
        rows = rows.open()
    rows = rows.order_by("due_on", "pk")
    page_obj = paginate(request, rows, PAGE_SIZE)
    for item in page_obj:
        item.partnership = partnership
        item.can_change = _can(request, "partnerships.change_action_item", item)
    return render(
        request,
        "partnerships/action_items.html",
        {
            "partnership": partnership,
            "page_obj": page_obj,
            "show_all": show_all,
            "statuses": ActionItem.Status.choices,
        },
    )


@login_required
@require_POST
def action_item_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug, "partnerships.view_internals")
    item = get_object_for_user(
        request, partnership.action_items.select_related("partnership"), perm="partnerships.change_action_item", pk=pk
    )
    form = ActionItemStatusForm(request.POST)
    if form.is_valid():
        item.status = form.cleaned_data["status"]
        item.save()
        messages.success(request, _("Status er oppdatert."))
    else:
        messages.error(request, _("Velg en gyldig status."))
    return redirect("partnerships:action_items", partnership.slug)
