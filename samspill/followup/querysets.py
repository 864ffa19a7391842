"""Reads of followup that know who is asking.

A person sees their own records; a coordinator (or admin) of an organisation sees the
records of that organisation's volunteers. Nobody else sees them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from samspill.core.permissions import followup_coordinated_org_ids, is_site_admin
from samspill.followup.models import FollowUp, HoursEntry


def _scope(model: Any, user: Any) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return model.objects.none()
    if is_site_admin(user):
        return model.objects.all()
    return model.objects.filter(Q(user=user) | Q(organisation_id__in=followup_coordinated_org_ids(user)))


def hours_visible_to(user: Any) -> QuerySet[HoursEntry]:
    return _scope(HoursEntry, user)


def followups_visible_to(user: Any) -> QuerySet[FollowUp]:
    return _scope(FollowUp, user)


def volunteers_of(organisation: Any) -> QuerySet:
    """People with a tie to the organisation: a sign-up, hours, or a membership."""
    from samspill.accounts.models import User
    from samspill.volunteering.models import SignUp

    return User.objects.filter(
        Q(pk__in=SignUp.objects.filter(opportunity__organisation=organisation).values("user_id"))
        | Q(pk__in=HoursEntry.objects.filter(organisation=organisation).values("user_id"))
        | Q(memberships__organisation=organisation)
    ).distinct()


def loggable_opportunities(user: Any) -> QuerySet:
    """Opportunities a person may log hours for: those they have been taken on for."""
    from samspill.volunteering.models import Opportunity

    return Opportunity.objects.filter(signups__user=user, signups__status="confirmed").distinct().order_by("title")


def loggable_organisations(user: Any) -> QuerySet:
    from samspill.organisations.models import Organisation

    return Organisation.objects.filter(
        Q(pk__in=loggable_opportunities(user).values("organisation_id")) | Q(memberships__user=user)
    ).distinct()
