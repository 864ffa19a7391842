"""A person's own pages: profile, edit, devices, download their data, delete their account.

Every view acts on ``request.user`` only; the one object taken from a URL (a device to log
out) is fetched through ``get_object_for_user`` among the person's own.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from samspill.accounts import devices, services
from samspill.accounts.forms import DeleteAccountForm, ProfileForm
from samspill.accounts.models import LoginSession, Profile
from samspill.core.permissions import get_object_for_user, user_has_mfa
from samspill.core.sections import my_page_sections
from samspill.core.types import AuthenticatedHttpRequest
from samspill.organisations.models import Membership


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    profile = Profile.objects.filter(user=user).select_related("postal_code").first()
    language_names = dict(Profile.Language.choices)
    context = {
        "profile": profile,
        "languages": [language_names.get(code, code) for code in (profile.languages if profile else [])],
        "interests": list(profile.interests.all()) if profile else [],
        "memberships": Membership.objects.for_user(user)
        .select_related("organisation")
        .order_by("organisation__name_sort"),
        "invitations": services.open_invitations_for(user),
        "has_mfa": user_has_mfa(user),
        "app_sections": my_page_sections(request),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.update_profile(user=user, **form.cleaned_data)
            messages.success(request, _("Profilen din er lagret."))
            return redirect("accounts:profile")
    else:
        # Reading creates nothing; the profile row is made when the form is first saved.
        profile = Profile.objects.filter(user=user).select_related("postal_code").first()
        initial: dict[str, object] = {"name": user.name}
        if profile is not None:
            initial |= {
                "phone": profile.phone,
                "postal_code": profile.postal_code.code if profile.postal_code else "",
                "languages": profile.languages,
                "interests": list(profile.interests.all()),
            }
        form = ProfileForm(initial=initial)
    return render(request, "accounts/edit_profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def export_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET explains what the file contains; POST downloads it (JSON)."""
    if request.method == "GET":
        return render(request, "accounts/export_data.html")
    data = services.export_personal_data(user=request.user)
    filename = f"samspill-mine-data-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    sole_admin_of = services.admin_of_only(user)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and not sole_admin_of and form.is_valid():
        try:
            services.delete_account(user=user)
        except services.LastAdminError as exc:
            sole_admin_of = exc.organisations
        else:
            logout(request)
            return redirect("accounts:account_deleted")
    status = 409 if request.method == "POST" and sole_admin_of else 200
    return render(
        request, "accounts/delete_account.html", {"form": form, "sole_admin_of": sole_admin_of}, status=status
    )


@login_required
def sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Innloggede enheter": where the person is logged in, with a button to end each."""
    current = devices.key_hash(request.session.session_key or "")
    rows = list(devices.live_sessions(request.user))
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": rows,
            "current_hash": current,
            "others": [s for s in rows if s.key_hash != current],
        },
    )


@login_required
@require_http_methods(["POST"])
def end_session(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    login_session = get_object_for_user(request, LoginSession.objects.visible_to(request.user), pk=pk)
    if login_session.key_hash == devices.key_hash(request.session.session_key or ""):
        # Ending this device is logging out; the logout button does that with its own confirmation.
        return redirect("account_logout")
    devices.end_session(login_session)
    messages.success(request, _("Enheten er logget ut."))
    return redirect("accounts:sessions")


@login_required
@require_http_methods(["POST"])
def end_other_sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = devices.end_other_sessions(user=request.user, current_session_key=request.session.session_key)
    messages.success(
        request,
        ngettext("%(count)d annen enhet er logget ut.", "%(count)d andre enheter er logget ut.", count)
        % {"count": count},
    )
    return redirect("accounts:sessions")


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account_deleted.html")
