"""Pages for the people who run a call: create and edit it, and the review desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samspill.calls import review
from samspill.calls.editor_forms import (
    DEFAULT_SORT,
    CallForm,
    DeskFilterForm,
    ExtendDeadlineForm,
    NoteForm,
    StatusForm,
    TagsForm,
)
from samspill.calls.models import Attachment, Call, ReviewNote, Submission
from samspill.core.pagination import paginate
from samspill.core.permissions import get_object_for_user, require_perm
from samspill.core.types import AuthenticatedHttpRequest

DESK_PAGE_SIZE = 25


def _require(request: AuthenticatedHttpRequest, perm: str) -> None:
    """A right that is not about one object (creating a call); refused like the gate refuses."""
    require_perm(request, perm)


def _call_for(request: AuthenticatedHttpRequest, slug: str, perm: str) -> Call:
    return get_object_for_user(request, Call.objects.visible_to(request.user), perm=perm, slug=slug)


# --- Calls -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, "calls.add_call")
    form = CallForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        call = review.save_call(form=form, by=request.user)
        messages.success(request, _("Innspillsrunden er opprettet."))
        return redirect(call)
    return render(request, "calls/editor/call_form.html", {"form": form, "call": None})


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = _call_for(request, slug, "calls.change_call")
    form = CallForm(request.POST or None, instance=call, user=request.user)
    if request.method == "POST" and form.is_valid():
        call = review.save_call(form=form, by=request.user)
        messages.success(request, _("Endringene er lagret."))
        return redirect(call)
    # A failed edit may have changed the instance's slug in memory; links use the stored one.
    return render(request, "calls/editor/call_form.html", {"form": form, "call": call, "slug": slug})


@login_required
@require_POST
def call_extend(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Forleng fristen: a later deadline, which also reopens a closed call."""
    call = _call_for(request, slug, "calls.change_call")
    form = ExtendDeadlineForm(request.POST, call=call)
    if form.is_valid():
        review.extend_deadline(call=call, closes_at=form.cleaned_data["closes_at"], by=request.user)
        messages.success(request, _("Fristen er endret."))
        return redirect("calls:desk", slug=call.slug)
    return _desk_page(request, call, extend_form=form)


@login_required
@require_POST
def call_archive(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = _call_for(request, slug, "calls.change_call")
    archive = request.POST.get("action") != "unarchive"
    review.set_archived(call=call, archived=archive, by=request.user)
    if archive:
        messages.success(request, _("Innspillsrunden er arkivert."))
    else:
        messages.success(request, _("Innspillsrunden er hentet fram fra arkivet."))
    return redirect("calls:desk", slug=call.slug)


@login_required
def call_history(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = _call_for(request, slug, "calls.change_call")
    # The newest 200 changes, compared oldest first.
    newest = call.history.select_related("history_user").order_by("-history_date", "-history_id")[:200]
    records = list(reversed(newest))
    changes = []
    previous = None
    for record in records:
        fields: list[str] = []
        if previous is not None:
            delta = record.diff_against(previous)
            fields = [
                str(getattr(Call._meta.get_field(change.field), "verbose_name", change.field))
                for change in delta.changes
            ]
        changes.append({"record": record, "fields": fields})
        previous = record
    changes.reverse()
    return render(request, "calls/editor/call_history.html", {"call": call, "changes": changes})


# --- The review desk ----------------------------------------------------------------


@dataclass
class SortColumn:
    key: str
    label: str
    next_sort: str
    aria_sort: str | None


def _sort_columns(current: str) -> list[SortColumn]:
    columns = [
        ("innsendt", _("Innsendt"), "-innsendt"),
        ("tittel", _("Tittel"), "tittel"),
        ("kommune", _("Kommune"), "kommune"),
        ("status", _("Status"), "status"),
    ]
    result = []
    for key, label, first in columns:
        if current == key:
            result.append(SortColumn(key, label, f"-{key}", "ascending"))
        elif current == f"-{key}":
            result.append(SortColumn(key, label, key, "descending"))
        else:
            result.append(SortColumn(key, label, first, None))
    return result


def desk_submissions(call: Call, form: DeskFilterForm) -> QuerySet[Submission]:
    """The desk's rows: a fixed number of queries per page, however many submissions there are."""
    rows = form.filter(call.submissions.sent())
    # The long texts are not shown on the desk, and counting attachments in a subquery
    # avoids a GROUP BY over every row before the page is cut (bench finding 8).
    attachments = (
        Attachment.objects.filter(submission=OuterRef("pk"))
        .order_by()
        .values("submission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        form.order(rows)
        .defer(*Submission.TEXT_FIELDS)
        .select_related("municipality__county", "organisation__kind")
        .prefetch_related("themes")
        .annotate(attachment_count=Coalesce(Subquery(attachments, output_field=IntegerField()), 0))
    )


def _theme_counts(call: Call, form: DeskFilterForm) -> list[dict[str, Any]]:
    """Submissions per theme under the other filters (so each count says what choosing it would give)."""
    matching = form.filter(call.submissions.sent(), skip_theme=True)
    through = Submission.themes.through
    counts = {
        row["theme_id"]: row["n"]
        for row in through.objects.filter(submission__in=matching.values("pk"))
        .values("theme_id")
        .annotate(n=Count("submission_id"))
    }
    selected = form.values()["tema"]
    return [
        {"theme": theme, "count": counts.get(theme.pk, 0), "selected": selected is not None and selected.pk == theme.pk}
        for theme in call.themes.all()
    ]


def _desk_page(
    request: AuthenticatedHttpRequest, call: Call, *, extend_form: ExtendDeadlineForm | None = None, status: int = 200
) -> HttpResponse:
    form = DeskFilterForm(request.GET or None, call=call)
    page_obj = paginate(request, desk_submissions(call, form), per_page=DESK_PAGE_SIZE)
    sort = form.sort_key()
    return render(
        request,
        "calls/editor/desk.html",
        {
            "call": call,
            "form": form,
            "page_obj": page_obj,
            "theme_counts": _theme_counts(call, form),
            "columns": _sort_columns(sort),
            "sort": sort,
            "default_sort": DEFAULT_SORT,
            "extend_form": extend_form or ExtendDeadlineForm(call=call),
        },
        status=status,
    )


@login_required
def desk(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = _call_for(request, slug, "calls.review_submissions")
    return _desk_page(request, call)


# --- One submission, as the editors see it ----------------------------------------------


@dataclass
class LogEntry:
    when: datetime
    who: Any
    what: list[str]


def _status_label(value: str) -> str:
    return str(Submission.Status(value).label) if value in Submission.Status.values else value


def change_log(submission: Submission) -> list[LogEntry]:
    """Who changed the status, the tags or the content, and who wrote notes; newest first."""
    entries: list[LogEntry] = []
    previous = None
    for record in submission.history.select_related("history_user").order_by("history_date", "history_id"):
        what: list[str] = []
        if previous is None:
            what.append(_("Opprettet"))
        else:
            if record.status != previous.status:
                what.append(
                    _("Status endret fra «%(old)s» til «%(new)s»")
                    % {"old": _status_label(previous.status), "new": _status_label(record.status)}
                )
            if (record.tags or []) != (previous.tags or []):
                what.append(
                    _("Stikkord endret fra «%(old)s» til «%(new)s»")
                    % {"old": ", ".join(previous.tags or []) or "–", "new": ", ".join(record.tags or []) or "–"}
                )
            if not what and previous.status != Submission.Status.DRAFT:
                what.append(_("Innholdet ble endret"))
        if what:
            entries.append(LogEntry(record.history_date, record.history_user, what))
        previous = record
    notes = ReviewNote.history.filter(submission_id=submission.pk, history_type="+").select_related("history_user")
    for note in notes:
        entries.append(LogEntry(note.history_date, note.history_user, [_("Skrev et internt notat")]))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _submission_for_editor(request: AuthenticatedHttpRequest, pk: int) -> Submission:
    return get_object_for_user(
        request,
        Submission.objects.visible_to(request.user)
        .select_related("call", "municipality__county", "organisation", "submitter")
        .prefetch_related("themes", "target_groups", "focus_areas", "attachments"),
        perm="calls.review_submission",
        pk=pk,
    )


def _review_page(
    request: AuthenticatedHttpRequest,
    submission: Submission,
    *,
    status_form: StatusForm | None = None,
    note_form: NoteForm | None = None,
    tags_form: TagsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "calls/editor/submission.html",
        {
            "submission": submission,
            "call": submission.call,
            "notes": submission.notes.select_related("author"),
            "status_form": status_form or StatusForm(initial={"status": submission.status}),
            "note_form": note_form or NoteForm(),
            "tags_form": tags_form or TagsForm(initial={"tags": ", ".join(submission.tags or [])}),
            "log": change_log(submission),
        },
        status=status,
    )


@login_required
def review_submission(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, _submission_for_editor(request, pk))


@login_required
@require_POST
def review_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = _submission_for_editor(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _review_page(request, submission, status_form=form)
    try:
        if form.cleaned_data["status"] == Submission.Status.NEEDS_INFO:
            review.ask_for_more_information(
                submission=submission, message=form.cleaned_data["message"], by=request.user
            )
            messages.success(request, _("Innsenderen har fått e-post og kan nå endre og sende inn på nytt."))
        else:
            review.set_status(submission=submission, status=form.cleaned_data["status"], by=request.user)
            messages.success(request, _("Statusen er endret."))
    except ValidationError as exc:
        form.add_error("status", exc.messages[0])
        return _review_page(request, submission, status_form=form)
    return redirect("calls:review_submission", pk=submission.pk)


@login_required
@require_POST
def review_note(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = _submission_for_editor(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _review_page(request, submission, note_form=form)
    review.add_note(submission=submission, author=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Notatet er lagret."))
    return redirect("calls:review_submission", pk=submission.pk)


@login_required
@require_POST
def review_tags(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = _submission_for_editor(request, pk)
    form = TagsForm(request.POST)
    if not form.is_valid():
        return _review_page(request, submission, tags_form=form)
    try:
        review.set_tags(submission=submission, tags=form.cleaned_data["tags"], by=request.user)
    except ValidationError as exc:
        form.add_error("tags", exc.messages[0])
        return _review_page(request, submission, tags_form=form)
    messages.success(request, _("Stikkordene er lagret."))
    return redirect("calls:review_submission", pk=submission.pk)
