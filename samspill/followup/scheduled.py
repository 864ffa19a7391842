"""Follow-up on the clock: hours from attended shifts, due follow-ups, check-in e-mails, escalations.

Each job is idempotent: hours entries are unique per sign-up, follow-ups per step and
occurrence, a check-in records ``checkin_sent_at`` and an escalation its own row.
"""

from __future__ import annotations

from datetime import datetime

from samspill.core.jobs import Job
from samspill.followup import services


def hours_from_attendance(now: datetime) -> int:
    return services.sync_attended_hours()


def jobs() -> list[Job]:
    return [
        Job("followup.hours_from_attendance", hours_from_attendance, "Hours entries for attended shifts"),
        Job("followup.due_followups", services.create_due_followups, "Follow-ups the schedules say are due"),
        Job("followup.checkin_emails", services.send_due_checkins, "Check-in e-mails to volunteers"),
        Job(
            "followup.escalate_interest",
            services.escalate_unanswered_interest,
            "Interest unanswered for 7 days, to the organisation's admins",
        ),
    ]
