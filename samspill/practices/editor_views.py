"""Pages for the people who edit the catalogue: write, propose, edit, approve, publish, withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samspill.calls.models import Submission
from samspill.core.permissions import get_object_for_user, require_perm
from samspill.core.types import AuthenticatedHttpRequest
from samspill.practices import services
from samspill.practices.editor_forms import PracticeForm
from samspill.practices.models import Practice

FORM_TEMPLATE = "practices/editor/form.html"


def _practice_for(request: AuthenticatedHttpRequest, slug: str, perm: str) -> Practice:
    return get_object_for_user(request, Practice.objects.visible_to(request.user), perm=perm, slug=slug)


def _render_form(request: AuthenticatedHttpRequest, form: PracticeForm, **context: object) -> HttpResponse:
    return render(request, FORM_TEMPLATE, {"form": form, **context})


@login_required
@require_http_methods(["GET", "POST"])
def practice_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An editor writes a practice directly; it is a draft until published."""
    require_perm(request, "practices.add_practice")
    form = PracticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.create_practice(values=form.values(), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Eksempelet er lagret som utkast."))
            return redirect("practices:edit", slug=practice.slug)
    return _render_form(request, form, heading=_("Nytt godt eksempel"), submit=_("Lagre som utkast"))


@login_required
@require_http_methods(["GET", "POST"])
def practice_propose(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A municipality or county coordinator proposes a practice from their own area."""
    require_perm(request, "practices.propose_practice")
    form = PracticeForm(request.POST or None, user=request.user, limit_to_area=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose(values=form.values(), by=request.user)
        except ValidationError as exc:
            form.add_error("municipalities", exc)
        else:
            messages.success(request, _("Forslaget er sendt til redaksjonen."))
            return redirect("practices:desk")
    return _render_form(request, form, heading=_("Foreslå et godt eksempel"), submit=_("Send forslaget"))


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    practice = _practice_for(request, slug, "practices.change_practice")
    is_editor = request.user.has_perm("practices.publish_practice")
    form = PracticeForm(request.POST or None, instance=practice, user=request.user, limit_to_area=not is_editor)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.update_practice(practice=practice, values=form.values(), by=request.user)
        except ValidationError as exc:
            form.add_error("municipalities" if exc.code == "outside_area" else None, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("practices:edit", slug=practice.slug)
    practice.refresh_from_db()  # a failed form may have changed the instance in memory
    return _render_form(
        request,
        form,
        practice=practice,
        can_publish=is_editor,
        heading=_("Rediger eksempelet"),
        submit=_("Lagre endringene"),
    )


@login_required
def desk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Editors: drafts and proposals waiting. Proposers: their own proposals."""
    is_editor = request.user.has_perm("practices.publish_practice")
    if not is_editor:
        require_perm(request, "practices.propose_practice")
    waiting = (
        Practice.objects.filter(status__in=[Practice.Status.DRAFT, Practice.Status.PROPOSED])
        .select_related("proposed_for", "proposed_by")
        .order_by("-updated_at")
        if is_editor
        else Practice.objects.none()
    )
    mine = Practice.objects.filter(proposed_by=request.user).select_related("proposed_for").order_by("-updated_at")
    return render(
        request,
        "practices/editor/desk.html",
        {"waiting": waiting, "mine": mine, "is_editor": is_editor},
    )


def _status_action(request: AuthenticatedHttpRequest, slug: str, action: str) -> HttpResponse:
    practice = _practice_for(request, slug, "practices.publish_practice")
    try:
        if action == "publish":
            practice = services.publish(practice=practice, by=request.user)
            messages.success(request, _("Eksempelet er publisert."))
        elif action == "withdraw":
            practice = services.withdraw(practice=practice, by=request.user)
            messages.success(request, _("Eksempelet er trukket tilbake fra katalogen."))
        else:
            practice = services.reject(practice=practice, by=request.user)
            messages.success(request, _("Forslaget er avvist."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("practices:desk")


@login_required
@require_POST
def practice_publish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _status_action(request, slug, "publish")


@login_required
@require_POST
def practice_withdraw(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _status_action(request, slug, "withdraw")


@login_required
@require_POST
def practice_reject(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _status_action(request, slug, "reject")


@login_required
@require_POST
def from_submission(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """«Publiser som godt eksempel» on an accepted submission: a draft copy to edit, then publish."""
    require_perm(request, "practices.add_practice")
    submission = get_object_for_user(request, Submission.objects.sent(), pk=pk)
    existing = Practice.objects.filter(source_submission=submission).first()
    if existing is not None:
        return redirect("practices:edit", slug=existing.slug)
    try:
        practice = services.create_from_submission(submission=submission, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("practices:desk")
    messages.success(request, _("Teksten er kopiert til et utkast. Se over og publiser."))
    return redirect("practices:edit", slug=practice.slug)
