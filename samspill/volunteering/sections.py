"""What volunteering adds to "Min side": upcoming shifts, wait-list places and interest waiting for an answer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from samspill.core.sections import Section
from samspill.volunteering.models import CalendarFeed, Opportunity, SignUp


def my_page(request: HttpRequest) -> list[Section]:
    if not request.user.is_authenticated:
        return []
    user = request.user
    now = timezone.now()
    signups = list(
        SignUp.objects.active()
        .filter(user=user)
        .exclude(shift__ends_at__lte=now)
        .exclude(shift__cancelled=True)
        .select_related("shift", "opportunity__organisation")
        .order_by("shift__starts_at", "created_at")
    )
    context = {
        "upcoming": [s for s in signups if s.shift_id and s.status == SignUp.Status.CONFIRMED],
        "waitlisted": [s for s in signups if s.status == SignUp.Status.WAITLISTED],
        "interest": [s for s in signups if s.shift_id is None],
        "has_feed": CalendarFeed.objects.filter(user=user).exists(),
    }
    return [Section("volunteering/sections/my_page.html", context)]


def for_object(request: HttpRequest, obj: Any) -> list[Section]:
    """Published opportunities on an organisation's or a municipality's page."""
    from samspill.organisations.models import Organisation
    from samspill.places.models import Municipality

    if isinstance(obj, Organisation):
        opportunities = Opportunity.objects.published().filter(organisation=obj)
        more_url = None
        manage_url = (
            reverse("volunteering:organisation", args=[obj.slug])
            if request.user.has_perm("volunteering.change_opportunity", _OrganisationScope(obj.pk))  # type: ignore[arg-type]
            else None
        )
    elif isinstance(obj, Municipality):
        opportunities = Opportunity.objects.published().filter(municipality=obj)
        more_url = reverse("volunteering:search") + f"?kommune={obj.number}"
        manage_url = None
    else:
        return []
    shown = list(opportunities.select_related("organisation").order_by("-created_at")[: LIMIT + 1])
    if not shown and manage_url is None:
        return []
    context = {
        "opportunities": shown[:LIMIT],
        "more_url": more_url if len(shown) > LIMIT or more_url else None,
        "manage_url": manage_url,
    }
    return [Section("volunteering/sections/for_object.html", context)]


LIMIT = 5


class _OrganisationScope:
    def __init__(self, organisation_id: int) -> None:
        self.organisation_id = organisation_id
