"""What partnerships store about a person, for export and for deleting an account.

Signatures, comments on guidelines, action items and contact-person roles belong to the
partnership's records, so deleting an account keeps them but removes the link to the person
(also in the change history). Free text written by others is not rewritten.
"""

from __future__ import annotations

from typing import Any

from samspill.partnerships.models import (
    ActionItem,
    Agreement,
    GuidelinesComment,
    GuidelinesVersion,
    Meeting,
    Partnership,
    PartnershipMember,
    Signature,
)


def export(user: Any) -> dict[str, Any]:
    return {
        "signatures": [
            {
                "agreement": s.agreement.title,
                "partnership": s.agreement.partnership.name,
                "organisation": s.organisation.name,
                "signed_as": s.signer_role,
                "signed_at": s.signed_at,
            }
            for s in Signature.objects.filter(signed_by=user).select_related("agreement__partnership", "organisation")
        ],
        "guidelines_comments": [
            {
                "partnership": c.version.partnership.name,
                "version": c.version.number,
                "organisation": c.organisation.name,
                "text": c.text,
                "created_at": c.created_at,
            }
            for c in GuidelinesComment.objects.filter(author=user).select_related(
                "version__partnership", "organisation"
            )
        ],
        "action_items": [
            {"partnership": a.partnership.name, "what": a.what, "due_on": a.due_on, "status": a.status}
            for a in ActionItem.objects.filter(owner_person=user).select_related("partnership")
        ],
        "contact_person_for": [
            {"partnership": m.partnership.name, "organisation": m.organisation.name}
            for m in PartnershipMember.objects.filter(contact_person=user).select_related("partnership", "organisation")
        ],
    }


def forget(user: Any) -> None:
    Signature.objects.filter(signed_by=user).update(signed_by=None)
    GuidelinesComment.objects.filter(author=user).update(author=None)
    ActionItem.objects.filter(owner_person=user).update(owner_person=None)
    ActionItem.history.filter(owner_person_id=user.pk).update(owner_person_id=None)
    PartnershipMember.objects.filter(contact_person=user).update(contact_person=None)
    PartnershipMember.history.filter(contact_person_id=user.pk).update(contact_person_id=None)
    for model in (PartnershipMember, GuidelinesVersion, Agreement, Meeting, Partnership):
        model.history.filter(history_user_id=user.pk).update(history_user_id=None)
    PartnershipMember.objects.filter(invited_by=user).update(invited_by=None)
    PartnershipMember.objects.filter(decided_by=user).update(decided_by=None)
    PartnershipMember.history.filter(invited_by_id=user.pk).update(invited_by_id=None)
    PartnershipMember.history.filter(decided_by_id=user.pk).update(decided_by_id=None)
    GuidelinesVersion.objects.filter(proposed_by=user).update(proposed_by=None)
    GuidelinesVersion.history.filter(proposed_by_id=user.pk).update(proposed_by_id=None)
    for model in (Agreement, Meeting, Partnership):
        model.objects.filter(created_by=user).update(created_by=None)
        model.history.filter(created_by_id=user.pk).update(created_by_id=None)
