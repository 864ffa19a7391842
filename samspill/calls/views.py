from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samspill.calls import services
from samspill.calls.forms import SubmissionForm, missing_to_send
from samspill.calls.models import Attachment, Call, Submission
from samspill.core.exceptions import NoAccess
from samspill.core.pagination import paginate
from samspill.core.permissions import get_object_for_user
from samspill.core.types import AuthenticatedHttpRequest


def call_list(request: HttpRequest) -> HttpResponse:
    calls = Call.objects.listed().prefetch_related("organisations", "themes")
    return render(request, "calls/call_list.html", {"page_obj": paginate(request, calls)})


def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_for_user(
        request, Call.objects.visible_to(request.user).prefetch_related("themes", "organisations"), slug=slug
    )
    user = request.user
    return render(
        request,
        "calls/call_detail.html",
        {
            "call": call,
            "may_submit": user.has_perm("calls.submit_to_call", call),
            "can_edit": user.has_perm("calls.change_call", call),
            "my_submissions": call.submissions.filter(submitter=user) if user.is_authenticated else [],
        },
    )


def _submission_queryset(user):
    return Submission.objects.visible_to(user).select_related("call", "municipality__county", "organisation")


def _form_page(request: AuthenticatedHttpRequest, call: Call, submission: Submission | None) -> HttpResponse:
    """New and edit share one page: save a draft, or go on to check before sending."""
    instance = submission or Submission(call=call)
    if request.method == "POST":
        complete = request.POST.get("action") == "review"
        form = SubmissionForm(
            request.POST, request.FILES, instance=instance, call=call, user=request.user, complete=complete
        )
        if form.is_valid():
            try:
                saved = services.save_submission(call=call, submitter=request.user, form=form)
            except ValidationError as exc:
                # The deadline passed while the person was typing: show what they wrote, and why.
                return render(
                    request,
                    "calls/submission_form.html",
                    {"form": form, "call": call, "submission": submission, "closed_message": exc.messages[0]},
                    status=409,
                )
            if complete:
                return redirect("calls:submission_review", pk=saved.pk)
            messages.success(request, _("Utkastet er lagret. Du kan fortsette fram til fristen."))
            return redirect("calls:submission_edit", pk=saved.pk)
    else:
        initial: dict[str, object] = {"form_token": instance.form_token if submission else uuid.uuid4()}
        if submission is None:
            initial |= {"contact_name": request.user.name, "contact_email": request.user.email}
        form = SubmissionForm(instance=instance, initial=initial, call=call, user=request.user, complete=False)
    return render(request, "calls/submission_form.html", {"form": form, "call": call, "submission": submission})


@login_required
@require_http_methods(["GET", "POST"])
def submission_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = get_object_for_user(request, Call.objects.visible_to(request.user).prefetch_related("themes"), slug=slug)
    if not request.user.has_perm("calls.submit_to_call", call):
        raise NoAccess(_("Denne innspillsrunden tar bare imot innspill fra medlemmer av organisasjoner."))
    if not call.is_open and request.method == "GET":
        return render(request, "calls/call_closed.html", {"call": call}, status=409)
    return _form_page(request, call, None)


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = get_object_for_user(request, _submission_queryset(request.user), perm="calls.view_submission", pk=pk)
    if submission.submitter_id != request.user.pk:
        raise NoAccess
    if not submission.is_editable_by_submitter:
        if submission.is_draft and request.method == "GET":
            return render(
                request, "calls/call_closed.html", {"call": submission.call, "submission": submission}, status=409
            )
        if not submission.is_draft:
            return redirect("calls:submission", pk=submission.pk)
    return _form_page(request, submission.call, submission)


@login_required
@require_http_methods(["GET", "POST"])
def submission_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Check before you send; the POST sends it."""
    submission = get_object_for_user(request, _submission_queryset(request.user), perm="calls.view_submission", pk=pk)
    if submission.submitter_id != request.user.pk:
        raise NoAccess
    error = None
    if request.method == "POST":
        try:
            sent = services.submit(submission=submission)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            return redirect(reverse("calls:submission", args=[sent.pk]) + "?sendt=1")
    if not (submission.is_draft or submission.status == Submission.Status.NEEDS_INFO):
        return redirect("calls:submission", pk=submission.pk)
    return render(
        request,
        "calls/submission_review.html",
        {
            "submission": submission,
            "missing": missing_to_send(submission),
            "error": error,
            "call": submission.call,
            "edit_url": reverse("calls:submission_edit", args=[submission.pk]),
        },
        status=409 if error and not submission.call.is_open else 200,
    )


@login_required
def submission_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = get_object_for_user(request, _submission_queryset(request.user), perm="calls.view_submission", pk=pk)
    return render(
        request,
        "calls/submission_detail.html",
        {"submission": submission, "call": submission.call, "just_sent": "sendt" in request.GET},
    )


@login_required
def my_submissions(request: AuthenticatedHttpRequest) -> HttpResponse:
    submissions = Submission.objects.filter(submitter=request.user).select_related("call").order_by("-updated_at")
    return render(request, "calls/my_submissions.html", {"page_obj": paginate(request, submissions)})


@login_required
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """Only the submitter and the call's editors; anyone else gets 404, as if it did not exist."""
    attachment = get_object_for_user(
        request,
        Attachment.objects.filter(submission__in=Submission.objects.visible_to(request.user)).select_related(
            "submission"
        ),
        pk=pk,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
