"""What calls store about a person, for export and for deleting an account.

Sent submissions belong to the call's records (the strategy work), so they are kept but
anonymised: the link to the person and the contact details that are theirs are removed,
also from the audit history. Drafts are deleted with their attachments. Editors' internal
notes are kept (their authors become anonymous); free text in them is not rewritten.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from samspill.calls.models import Attachment, ReviewNote, Submission


def _own_emails(user: Any) -> list[str]:
    from allauth.account.models import EmailAddress

    return sorted(
        {
            user.email.lower(),
            *(e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)),
        }
    )


def export(user: Any) -> list[dict[str, Any]]:
    submissions = (
        Submission.objects.filter(submitter=user)
        .select_related("call", "municipality", "organisation")
        .prefetch_related("themes", "target_groups", "focus_areas", "attachments")
        .order_by("created_at")
    )
    return [
        {
            "call": s.call.title,
            "reference": s.reference,
            "status": s.status,
            "title": s.title,
            **{name: getattr(s, name) for name in Submission.TEXT_FIELDS},
            "themes": [t.name for t in s.themes.all()],
            "municipality": s.municipality.name if s.municipality else None,
            "target_groups": [t.name for t in s.target_groups.all()],
            "focus_areas": [t.name for t in s.focus_areas.all()],
            "organisation": s.organisation.name if s.organisation else None,
            "contact_name": s.contact_name,
            "contact_email": s.contact_email,
            "contact_phone": s.contact_phone,
            "consent_to_publish": s.consent_to_publish,
            "attachments": [a.original_name for a in s.attachments.all()],
            "created_at": s.created_at,
            "submitted_at": s.submitted_at,
        }
        for s in submissions
    ]


def forget(user: Any) -> None:
    emails = _own_emails(user)
    for attachment in Attachment.objects.filter(submission__submitter=user, submission__status="draft"):
        attachment.file.delete(save=False)
    drafts = Submission.objects.filter(submitter=user, status="draft")
    draft_ids = list(drafts.values_list("pk", flat=True))
    drafts.delete()
    # A draft was never sent to anyone: its history goes with it.
    Submission.history.filter(id__in=draft_ids).delete()
    own_contact = Q(contact_email__in=emails) | Q(submitter_id=user.pk, contact_email="")
    anonymous = {"contact_name": "", "contact_email": "", "contact_phone": ""}
    Submission.objects.filter(Q(submitter=user) & own_contact).update(**anonymous)
    Submission.objects.filter(submitter=user).update(submitter=None)
    Submission.history.filter(Q(submitter_id=user.pk) | Q(contact_email__in=emails)).update(
        submitter_id=None, **anonymous
    )
    ReviewNote.history.filter(author_id=user.pk).update(author_id=None)
