"""Exports for the call's editors: request one, watch its progress, download it.

Exports hold contact details, so every page is for the call's editors only: the call page
needs ``calls.review_submissions`` (403 for others), and an export is looked up among the
exports of calls the user edits (404 for everyone else, as if it did not exist).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from samspill.calls.export_tasks import request_export
from samspill.calls.exports import CONTENT_TYPES
from samspill.calls.models import Call, Export
from samspill.core.permissions import get_object_for_user
from samspill.core.types import AuthenticatedHttpRequest

EXPORTS_LISTED = 20


class ExportRequestForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=Export.Format.choices, widget=forms.RadioSelect)


@login_required
@require_http_methods(["GET", "POST"])
def export_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = get_object_for_user(
        request, Call.objects.visible_to(request.user), perm="calls.review_submissions", slug=slug
    )
    if request.method == "POST":
        form = ExportRequestForm(request.POST)
        if form.is_valid():
            export = request_export(call=call, user=request.user, format=form.cleaned_data["format"])
            return redirect("calls:export", pk=export.pk)
    else:
        form = ExportRequestForm(initial={"format": Export.Format.XLSX})
    recent = call.exports.select_related("requested_by")[:EXPORTS_LISTED]
    return render(
        request,
        "calls/exports/export_list.html",
        {"call": call, "form": form, "exports": recent},
        status=400 if form.errors else 200,
    )


def _export_for(request: AuthenticatedHttpRequest, pk: int) -> Export:
    return get_object_for_user(request, Export.objects.visible_to(request.user).select_related("call"), pk=pk)


@login_required
def export_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The whole page, or (for htmx polling) just the progress fragment."""
    export = _export_for(request, pk)
    if getattr(request, "htmx", False):
        return render(request, "calls/exports/_progress.html", {"export": export, "polled": True})
    return render(request, "calls/exports/export_status.html", {"export": export, "call": export.call})


@login_required
def export_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    export = _export_for(request, pk)
    if export.status != Export.Status.DONE or not export.file:
        raise Http404
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.download_name(),
        content_type=CONTENT_TYPES[export.format],
    )
    response["Cache-Control"] = "private, no-store"
    return response
