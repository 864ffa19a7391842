"""Jobs on the clock: agreements that expire soon, and agreements whose period has ended."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from samspill.core.jobs import Job
from samspill.partnerships.models import Agreement
from samspill.partnerships.services import expire_agreements

NOTICE_DAYS = 60


def notify_expiring_agreements(now: datetime) -> int:
    """E-mail the lead's admins and coordinators once per agreement that ends within 60 days."""
    from samspill.partnerships.tasks import send_expiry_notice

    today = timezone.localdate(now)
    sent = 0
    for agreement in Agreement.objects.expiring(today, NOTICE_DAYS).filter(expiry_notice_sent_at__isnull=True):
        with transaction.atomic():
            # Claim it first, so two runs at once send one e-mail.
            claimed = Agreement.objects.filter(pk=agreement.pk, expiry_notice_sent_at__isnull=True).update(
                expiry_notice_sent_at=now
            )
            if not claimed:
                continue
            agreement = Agreement.objects.select_related("partnership__lead").get(pk=agreement.pk)
            send_expiry_notice(agreement)
        sent += 1
    return sent


def mark_expired_agreements(now: datetime) -> int:
    return expire_agreements(timezone.localdate(now))


def jobs() -> list[Job]:
    return [
        Job(
            "partnerships.expiring_agreements",
            notify_expiring_agreements,
            "E-post til lederen av partnerskapet om avtaler som utløper innen 60 dager (én gang per avtale).",
        ),
        Job(
            "partnerships.expired_agreements",
            mark_expired_agreements,
            "Signerte avtaler med utløpt periode får status utløpt.",
        ),
    ]
