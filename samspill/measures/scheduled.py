"""Reporting reminders: when a period has ended without a value, the responsible organisation hears of it.

Runs every 15 minutes with ``manage.py run_scheduled``. For each indicator of an active
measure, the latest ended period is checked; one reminder per indicator and period is
recorded (``ReportingReminder``) and e-mailed to the coordinators and admins of the
organisation responsible for reporting, after the transaction commits.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from samspill.core.jobs import Job
from samspill.measures import periods
from samspill.measures.models import Indicator, Measure, Measurement, ReportingReminder


def remind_missing_values(now: datetime) -> int:
    today = timezone.localdate(now)
    sent = 0
    indicators = Indicator.objects.filter(measure__status=Measure.Status.ACTIVE).select_related("measure")
    for indicator in indicators.iterator(chunk_size=500):
        period = periods.last_ended(indicator.period_type, today)
        began = indicator.measure.start_date or timezone.localdate(indicator.created_at)
        # Only periods the measure was running in, and not before the indicator existed.
        if periods.end_of(indicator.period_type, period) < max(began, timezone.localdate(indicator.created_at)):
            continue
        if indicator.measure.end_date and period > indicator.measure.end_date:
            continue
        if Measurement.objects.filter(indicator=indicator, period_start=period).exists():
            continue
        try:
            with transaction.atomic():
                ReportingReminder.objects.create(indicator=indicator, period_start=period, sent_at=now)
        except IntegrityError:
            continue  # already reminded for this period
        from samspill.measures.tasks import send_reporting_reminder

        transaction.on_commit(partial(send_reporting_reminder.enqueue, indicator.pk, period.isoformat()))
        sent += 1
    return sent


def jobs() -> list[Job]:
    return [
        Job(
            "measures.reporting_reminders",
            remind_missing_values,
            "E-post til den ansvarlige organisasjonen når en periode er over uten verdi.",
        )
    ]
