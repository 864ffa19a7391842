from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspill.core.exceptions import NoAccess
from samspill.core.pagination import paginate
from samspill.core.permissions import get_object_for_user
from samspill.core.sections import object_sections
from samspill.core.types import AuthenticatedHttpRequest
from samspill.organisations import services
from samspill.organisations.forms import DirectoryFilterForm, InvitationForm, OrganisationForm, RoleForm
from samspill.organisations.models import Invitation, Membership, Organisation


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    organisations = form.filter(Organisation.objects.for_listing()).order_by("name_sort")
    context = {"form": form, "page_obj": paginate(request, organisations)}
    template = "organisations/_results.html" if request.htmx else "organisations/directory.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_for_user(
        request, Organisation.objects.for_listing(), perm="organisations.view_organisation", slug=slug
    )
    user = request.user
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "municipalities_served": organisation.municipalities_served.alphabetical(),
            "can_edit": user.has_perm("organisations.change_organisation", organisation),
            "can_see_members": user.has_perm("organisations.view_members", organisation),
            "sections": object_sections(request, organisation),
            "can_manage_tokens": user.has_perm("organisations.manage_api_tokens", organisation),
        },
    )


@login_required
def create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(form=form, created_by=request.user)
        messages.success(
            request, _("%(name)s er registrert. Du er administrator for organisasjonen.") % {"name": organisation.name}
        )
        return redirect(organisation)
    return render(request, "organisations/form.html", {"form": form, "organisation": None})


@login_required
def edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_for_user(
        request, Organisation.objects.all(), perm="organisations.change_organisation", slug=slug
    )
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.update_organisation(form=form)
        messages.success(request, _("Endringene er lagret."))
        return redirect(organisation)
    return render(request, "organisations/form.html", {"form": form, "organisation": organisation})


@login_required
def members(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_for_user(
        request, Organisation.objects.all(), perm="organisations.view_members", slug=slug
    )
    can_manage = request.user.has_perm("organisations.manage_members", organisation)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise NoAccess
        if form.is_valid():
            try:
                services.invite_member(
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Invitasjonen er sendt til %(email)s.") % {"email": form.cleaned_data["email"]}
                )
                return redirect("organisations:members", slug=organisation.slug)
    memberships = organisation.memberships.select_related("user").order_by("role", "user__name", "user__email")
    invitations = [
        i
        for i in organisation.invitations.filter(accepted_at=None, revoked_at=None).order_by("-created_at")
        if i.is_open
    ]
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "invitations": invitations if can_manage else [],
            "form": form,
            "can_manage": can_manage,
            "role_form": RoleForm(),
        },
    )


def _membership_for_admin(request: HttpRequest, slug: str, pk: int) -> Membership:
    organisation = get_object_for_user(
        request, Organisation.objects.all(), perm="organisations.manage_members", slug=slug
    )
    return get_object_for_user(request, organisation.memberships.select_related("user", "organisation"), pk=pk)


@login_required
@require_POST
def change_role(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership_for_admin(request, slug, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.change_role(membership=membership, role=form.cleaned_data["role"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Rollen til %(person)s er endret.") % {"person": membership.user})
    else:
        messages.error(request, _("Velg en gyldig rolle."))
    return redirect("organisations:members", slug=slug)


@login_required
def remove_member(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership_for_admin(request, slug, pk)
    if request.method == "POST":
        try:
            services.remove_member(membership=membership)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("%(person)s er fjernet fra organisasjonen.") % {"person": membership.user})
        return redirect("organisations:members", slug=slug)
    return render(
        request, "organisations/remove_member.html", {"membership": membership, "organisation": membership.organisation}
    )


@login_required
@require_POST
def revoke_invitation(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_object_for_user(
        request, Organisation.objects.all(), perm="organisations.manage_members", slug=slug
    )
    invitation = get_object_for_user(request, organisation.invitations.all(), pk=pk)
    services.revoke_invitation(invitation=invitation)
    messages.success(request, _("Invitasjonen til %(email)s er trukket tilbake.") % {"email": invitation.email})
    return redirect("organisations:members", slug=slug)


@login_required
def accept_invitation(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    # The token itself is the right to see the invitation; it is long and random.
    invitation = get_object_for_user(request, Invitation.objects.select_related("organisation"), token=token)
    error = None
    if request.method == "POST":
        try:
            services.accept_invitation(invitation=invitation, user=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Velkommen! Du er nå med i %(name)s.") % {"name": invitation.organisation.name})
            return redirect(invitation.organisation)
    elif not invitation.is_open:
        error = _("Invitasjonen er ikke lenger gyldig. Be organisasjonen om en ny.")
    return render(request, "organisations/accept_invitation.html", {"invitation": invitation, "error": error})


@login_required
def history(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Audit history of the profile and memberships, for the organisation's admins."""
    organisation = get_object_for_user(
        request, Organisation.objects.all(), perm="organisations.manage_members", slug=slug
    )
    profile_changes = organisation.history.select_related("history_user").order_by("-history_date")[:100]
    membership_changes = (
        Membership.history.filter(organisation_id=organisation.pk)
        .select_related("history_user", "user")
        .order_by("-history_date")[:100]
    )
    return render(
        request,
        "organisations/history.html",
        {"organisation": organisation, "profile_changes": profile_changes, "membership_changes": membership_changes},
    )
