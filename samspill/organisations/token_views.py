"""An organisation's API keys, for its administrators."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from samspill.core.permissions import get_object_for_user
from samspill.organisations import tokens
from samspill.organisations.models import ApiToken, Organisation

PERM = "organisations.manage_api_tokens"


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Navn på nøkkelen"),
        max_length=100,
        help_text=gettext_lazy("Hva nøkkelen skal brukes til, for eksempel «Nettsiden vår»."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Skriv et navn på nøkkelen."))
        return name


@never_cache  # the page may carry a raw key once; no cache may keep it
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_for_user(request, Organisation.objects.all(), perm=PERM, slug=slug)
    form = ApiTokenForm(request.POST or None)
    new_token, raw_key = None, None
    if request.method == "POST" and form.is_valid():
        new_token, raw_key = tokens.create_api_token(
            organisation=organisation, name=form.cleaned_data["name"], created_by=request.user
        )
        form = ApiTokenForm()
    context = {
        "organisation": organisation,
        "tokens": ApiToken.objects.filter(organisation=organisation).select_related("created_by"),
        "form": form,
        "new_token": new_token,
        "raw_key": raw_key,
    }
    return render(request, "organisations/api_tokens.html", context)


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_object_for_user(request, Organisation.objects.all(), perm=PERM, slug=slug)
    # Scoped to this organisation: another organisation's key is a 404 here.
    token = get_object_for_user(request, ApiToken.objects.filter(organisation=organisation), pk=pk)
    tokens.revoke_api_token(token=token, revoked_by=request.user)
    messages.success(request, _("Nøkkelen «%(name)s» er trukket tilbake og virker ikke lenger.") % {"name": token.name})
    return redirect("organisations:api_tokens", slug=organisation.slug)
