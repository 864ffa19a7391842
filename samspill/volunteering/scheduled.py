"""Jobs on the clock: e-mail reminders the day before a shift."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from samspill.core.jobs import Job
from samspill.volunteering.models import SignUp

# Reminders go out from this hour (Norwegian time) on the day before the shift.
REMINDER_FROM = time(12, 0)


def reminder_opens_at(starts_at: datetime) -> datetime:
    """When the reminder for a shift starting at ``starts_at`` may be sent: noon the day before, in Oslo."""
    tz = timezone.get_default_timezone()
    day_before = timezone.localtime(starts_at, tz).date() - timedelta(days=1)
    return datetime.combine(day_before, REMINDER_FROM).replace(tzinfo=tz)


def send_shift_reminders(now: datetime) -> int:
    """E-mail each confirmed person once, from noon the day before their shift until it starts."""
    from samspill.volunteering.tasks import send_signup_mail

    candidates = SignUp.objects.filter(
        status=SignUp.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        shift__cancelled=False,
        shift__starts_at__gt=now,
        shift__starts_at__lte=now + timedelta(days=2),
    ).select_related("shift")
    sent = 0
    for signup in candidates:
        if signup.shift is None or now < reminder_opens_at(signup.shift.starts_at):
            continue
        with transaction.atomic():
            # Claim first, so two runs at once send one e-mail; a failed send rolls the claim back.
            claimed = SignUp.objects.filter(pk=signup.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
            if not claimed:
                continue
            full = SignUp.objects.select_related("shift", "opportunity__organisation", "user").get(pk=signup.pk)
            send_signup_mail(full, "reminder")
        sent += 1
    return sent


def jobs() -> list[Job]:
    return [
        Job(
            "volunteering.shift_reminders",
            send_shift_reminders,
            "E-post til påmeldte dagen før en vakt (fra kl. 12), én gang per påmelding.",
        )
    ]
