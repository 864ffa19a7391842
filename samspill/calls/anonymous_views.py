"""Submitting without an account, for calls open to "anyone with a verified e-mail address".

The secret link (see samspill.calls.anonymous) stands in for a login: whoever holds it may
edit, review and send that one draft; without it every page here is a 404. Logged-in people
use their account's flow instead.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django import forms
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samspill.calls import anonymous, services
from samspill.calls.forms import SubmissionForm, missing_to_send
from samspill.calls.models import Call, Submission
from samspill.core.permissions import get_object_for_user


class StartForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Navnet ditt"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("E-postadressen din"),
        help_text=gettext_lazy("Vi sender deg en lenke til skjemaet. Lenken er personlig; ikke del den."),
    )
    # Honeypot, as on the submission form: hidden from people, filled in by bots.
    website = forms.CharField(required=False, label=gettext_lazy("Ikke fyll ut dette feltet"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"class": "ds-input", "autocomplete": "name"})
        self.fields["email"].widget.attrs.update({"class": "ds-input", "autocomplete": "email"})
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(gettext_lazy("Innsendingen ble stoppet av spamfilteret."), code="honeypot")
        return ""


def _call_open_to_anyone(request: HttpRequest, slug: str) -> Call:
    calls = Call.objects.published().filter(audience=Call.Audience.ANYONE, archived_at__isnull=True)
    return get_object_for_user(request, calls.prefetch_related("themes"), slug=slug)


def _submission_for_link(request: HttpRequest, slug: str, token: str) -> Submission:
    """The draft the link opens; 404 for a wrong or expired link (the call archived or unpublished)."""
    if len(token) > 100:
        raise Http404
    submissions = Submission.objects.filter(
        submitter=None, call__is_published=True, call__archived_at__isnull=True
    ).select_related("call", "municipality__county", "organisation")
    return get_object_for_user(
        request, submissions, call__slug=slug, access_token_hash=anonymous.hash_access_token(token)
    )


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the address: keep these pages out of caches and out of Referer headers.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Name and e-mail address in, a secret link out by e-mail."""
    call = _call_open_to_anyone(request, slug)
    if request.user.is_authenticated:
        return redirect("calls:submission_new", slug=call.slug)
    if not call.is_open:
        return render(request, "calls/call_closed.html", {"call": call}, status=409)
    if request.method == "POST":
        if not anonymous.count_start_attempt(client_address=get_client_ip_address(request) or "unknown"):
            return render(request, "calls/anonymous/rate_limited.html", {"call": call}, status=429)
        form = StartForm(request.POST)
        if form.is_valid():
            try:
                anonymous.start_anonymous_submission(
                    call=call, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
                )
            except ValidationError:
                return render(request, "calls/call_closed.html", {"call": call}, status=409)
            return redirect(reverse("calls:anonymous_start", args=[call.slug]) + "?sendt=1")
    else:
        form = StartForm()
    return render(request, "calls/anonymous/start.html", {"call": call, "form": form, "sent": "sendt" in request.GET})


def _form(submission: Submission, *, data=None, files=None, complete: bool = False) -> SubmissionForm:
    form = SubmissionForm(
        data,
        files,
        instance=submission,
        initial={"form_token": submission.form_token},
        call=submission.call,
        user=AnonymousUser(),
        complete=complete,
    )
    # The address the link was sent to is the one proved; receipts go there.
    form.fields["contact_email"].disabled = True
    form.fields["contact_email"].help_text = _("Adressen vi sendte lenken til.")
    return form


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The link's page: the form while it can be edited, afterwards what was sent and its status."""
    submission = _submission_for_link(request, slug, token)
    call = submission.call
    links = {"edit_url": request.path, "review_url": reverse("calls:anonymous_review", args=[slug, token])}
    if not submission.is_editable_by_submitter:
        if not submission.is_draft:
            context = {"submission": submission, "call": call, "just_sent": "sendt" in request.GET}
            return _private(render(request, "calls/anonymous/detail.html", context))
        if request.method == "GET":
            return _private(render(request, "calls/call_closed.html", {"call": call}, status=409))
    if request.method == "POST":
        complete = request.POST.get("action") == "review"
        data = request.POST.copy()
        data["form_token"] = str(submission.form_token)  # the draft's own, whatever was posted
        form = _form(submission, data=data, files=request.FILES, complete=complete)
        if form.is_valid():
            try:
                services.save_submission(call=call, submitter=None, form=form)
            except ValidationError as exc:
                # The deadline passed while the person was typing: show what they wrote, and why.
                context = {"form": form, "call": call, "submission": submission, "closed_message": exc.messages[0]}
                return _private(render(request, "calls/submission_form.html", context, status=409))
            if complete:
                return redirect(links["review_url"])
            messages.success(request, _("Utkastet er lagret. Bruk lenken fra e-posten for å fortsette senere."))
            return redirect(links["edit_url"])
    else:
        form = _form(submission)
    context = {"form": form, "call": call, "submission": submission, **links}
    return _private(render(request, "calls/submission_form.html", context))


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Check before you send; the POST sends it and the receipt goes to the proved address."""
    submission = _submission_for_link(request, slug, token)
    edit_url = reverse("calls:anonymous_edit", args=[slug, token])
    error = None
    if request.method == "POST":
        try:
            services.submit(submission=submission)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            return redirect(edit_url + "?sendt=1")
    if not (submission.is_draft or submission.status == Submission.Status.NEEDS_INFO):
        return redirect(edit_url)
    context = {
        "submission": submission,
        "call": submission.call,
        "missing": missing_to_send(submission),
        "error": error,
        "edit_url": edit_url,
    }
    status = 409 if error and not submission.call.is_open else 200
    return _private(render(request, "calls/submission_review.html", context, status=status))
