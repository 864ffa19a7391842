"""What volunteering stores about a person, for export and for deleting an account.

Export: every sign-up (shift or interest, with status, wait-list place and attendance),
including those a coordinator added by hand with the person's e-mail address.
Forget: active sign-ups are cancelled first, so that the wait lists move up (and the
follow-up app hears ``signup_cancelled``); then all the person's sign-ups and their
history rows are deleted. The calendar link goes with the account. Opportunities where
the person was contact person or author keep no link to them, also in history.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from samspill.volunteering.models import CalendarFeed, Opportunity, SignUp


def _own_emails(user: Any) -> list[str]:
    from allauth.account.models import EmailAddress

    return sorted(
        {
            user.email.lower(),
            *(e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)),
        }
    )


def _theirs(user: Any) -> Q:
    """Their own sign-ups, and those a coordinator added by hand with one of their e-mail addresses."""
    return Q(user=user) | (Q(user__isnull=True) & _iexact_any(_own_emails(user)))


def _iexact_any(emails: list[str]) -> Q:
    q = Q(pk__in=[])
    for email in emails:
        q |= Q(email__iexact=email)
    return q


def export(user: Any) -> dict[str, Any]:
    signups = (
        SignUp.objects.filter(_theirs(user)).select_related("opportunity__organisation", "shift").order_by("created_at")
    )
    feed = CalendarFeed.objects.filter(user=user).first()
    return {
        "signups": [
            {
                "opportunity": s.opportunity.title,
                "organisation": s.opportunity.organisation.name,
                "shift_starts_at": s.shift.starts_at if s.shift else None,
                "shift_ends_at": s.shift.ends_at if s.shift else None,
                "place": s.shift.place if s.shift else "",
                "status": s.status,
                "waitlist_position": s.waitlist_position,
                "attended": s.attended,
                "name": s.name,
                "email": s.email,
                "created_at": s.created_at,
                "responded_at": s.responded_at,
                "cancelled_at": s.cancelled_at,
                "reminder_sent_at": s.reminder_sent_at,
            }
            for s in signups
        ],
        "calendar_link_created_at": feed.created_at if feed else None,
    }


def forget(user: Any) -> None:
    from samspill.volunteering.services import cancel

    theirs = _theirs(user)
    for signup in SignUp.objects.filter(theirs).active():
        cancel(signup, by=None)
    ids = list(SignUp.objects.filter(theirs).values_list("pk", flat=True))
    SignUp.objects.filter(pk__in=ids).delete()
    SignUp.history.filter(Q(id__in=ids) | Q(user_id=user.pk)).delete()
    CalendarFeed.objects.filter(user=user).delete()
    Opportunity.history.filter(contact_person_id=user.pk).update(contact_person_id=None)
    Opportunity.history.filter(created_by_id=user.pk).update(created_by_id=None)
    SignUp.objects.filter(added_by=user).update(added_by=None)
    SignUp.history.filter(added_by_id=user.pk).update(added_by_id=None)
