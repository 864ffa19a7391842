"""Where a volunteer's role with an organisation may have ended (see services' docstring).

Two events from earlier apps: a membership is deleted (organisations) and a sign-up is
cancelled (volunteering sends ``signup_cancelled``). Both only *check*: the records go only
if the person has no role left with the organisation.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete


def membership_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    _check(instance.organisation_id, instance.user_id)


def signup_cancelled(sender: Any, signup: Any, **kwargs: Any) -> None:
    if signup.user_id is None:
        return
    organisation_id = signup.opportunity.organisation_id
    user_id = signup.user_id
    _check(organisation_id, user_id)


def _check(organisation_id: int, user_id: int) -> None:
    from samspill.accounts.models import User
    from samspill.followup import services
    from samspill.organisations.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    user = User.objects.filter(pk=user_id).first()
    if organisation is None or user is None:
        return
    services.end_role_if_over(organisation=organisation, user=user)


def connect() -> None:
    from samspill.organisations.models import Membership

    post_delete.connect(membership_deleted, sender=Membership, dispatch_uid="followup.membership_deleted")
    try:
        from samspill.volunteering.signals import signup_cancelled as cancelled
    except ModuleNotFoundError as exc:  # pragma: no cover - until volunteering sends the signal
        if exc.name != "samspill.volunteering.signals":
            raise
        return
    cancelled.connect(signup_cancelled, dispatch_uid="followup.signup_cancelled")
