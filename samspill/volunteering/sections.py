"""What volunteering adds to "Min side": upcoming shifts, wait-list places and interest waiting for an answer."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from samspill.core.sections import Section
from samspill.volunteering.models import CalendarFeed, SignUp


def my_page(request: HttpRequest) -> list[Section]:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return []
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
