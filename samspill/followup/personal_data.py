"""What followup stores about a person, for export and for deleting an account.

On forget, everything about the person is deleted: police-certificate records, signatures
of confidentiality declarations, training completions, follow-ups with their check-ins,
and hours. Hours are deleted, not anonymised: an organisation's totals for past years then
drop by that person's hours, which is the price of not keeping data about someone who asked
to be forgotten (their hours would still identify them in a small organisation). Their
audit history goes with them. Declarations a person wrote as coordinator stay (the text is
the organisation's); the link to the author is removed.
"""

from __future__ import annotations

from typing import Any

from samspill.followup.models import (
    CheckIn,
    ConfidentialityDeclaration,
    ConfidentialitySignature,
    EndedRole,
    FollowUp,
    HoursEntry,
    PoliceCertificate,
    TrainingCompletion,
)


def export(user: Any) -> dict[str, Any]:
    return {
        "police_certificates": [
            {
                "organisation": p.organisation.name,
                "basis": p.basis,
                "requested_on": p.requested_on,
                "seen_on": p.seen_on,
                "seen_by": p.seen_by.email if p.seen_by else None,
            }
            for p in PoliceCertificate.objects.filter(user=user).select_related("organisation", "seen_by")
        ],
        "confidentiality_signatures": [
            {
                "organisation": s.declaration.organisation.name,
                "version": s.declaration.version,
                "text": s.declaration.text,
                "signed_at": s.signed_at,
            }
            for s in ConfidentialitySignature.objects.filter(user=user).select_related("declaration__organisation")
        ],
        "training": [
            {"organisation": c.item.organisation.name, "item": c.item.title, "completed_on": c.completed_on}
            for c in TrainingCompletion.objects.filter(user=user).select_related("item__organisation")
        ],
        "hours": [
            {
                "organisation": h.organisation.name,
                "opportunity": h.opportunity.title if h.opportunity else None,
                "date": h.date,
                "hours": str(h.hours),
                "description": h.description,
                "status": h.status,
                "rejection_reason": h.rejection_reason,
            }
            for h in HoursEntry.objects.filter(user=user).select_related("organisation", "opportunity")
        ],
        "followups": [
            {
                "organisation": f.organisation.name,
                "step": f.step_name,
                "due_on": f.due_on,
                "done_at": f.done_at,
                "note": f.note,
                "checkin": (
                    {
                        "satisfaction": f.checkin.satisfaction,
                        "wish": f.checkin.wish,
                        "comment": f.checkin.comment,
                        "answered_at": f.checkin.answered_at,
                    }
                    if hasattr(f, "checkin")
                    else None
                ),
            }
            for f in FollowUp.objects.filter(user=user).select_related("organisation", "checkin")
        ],
    }


def forget(user: Any) -> None:
    PoliceCertificate.objects.filter(user=user).delete()
    ConfidentialitySignature.objects.filter(user=user).delete()
    TrainingCompletion.objects.filter(user=user).delete()
    followup_ids = list(FollowUp.objects.filter(user=user).values_list("pk", flat=True))
    CheckIn.objects.filter(followup_id__in=followup_ids).delete()
    FollowUp.objects.filter(pk__in=followup_ids).delete()
    FollowUp.history.filter(user_id=user.pk).delete()
    hours_ids = list(HoursEntry.objects.filter(user=user).values_list("pk", flat=True))
    HoursEntry.objects.filter(pk__in=hours_ids).delete()
    HoursEntry.history.filter(user_id=user.pk).delete()
    EndedRole.objects.filter(user=user).delete()
    ConfidentialityDeclaration.objects.filter(created_by=user).update(created_by=None)
