"""The expiry alert on the page and the scheduled e-mail to the lead (time travel, sent once)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from samspill.core.jobs import all_jobs
from samspill.partnerships.scheduled import mark_expired_agreements, notify_expiring_agreements
from samspill.partnerships.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=OSLO)


def test_lead_is_emailed_once_per_agreement_within_60_days(world):
    agreement = AgreementFactory(
        partnership=world.partnership, status="signed", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    AgreementFactory(
        partnership=world.partnership, status="draft", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    assert notify_expiring_agreements(at(date(2026, 10, 31))) == 0  # 61 days before
    assert mail.outbox == []
    assert notify_expiring_agreements(at(date(2026, 11, 1))) == 1  # 60 days before
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert agreement.title in message.subject
    assert sorted(message.to) == sorted([world.lead_coordinator.email, world.lead_admin.email])
    assert world.member_admin.email not in message.to
    assert "31. desember 2026" in message.body
    assert agreement.get_absolute_url() in message.body
    # The next runs, and a later day, send nothing more.
    assert notify_expiring_agreements(at(date(2026, 11, 1))) == 0
    assert notify_expiring_agreements(at(date(2026, 12, 15))) == 0
    assert len(mail.outbox) == 1


def test_expired_agreements_are_marked(world):
    agreement = AgreementFactory(
        partnership=world.partnership, status="signed", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)
    )
    assert mark_expired_agreements(at(date(2025, 12, 31))) == 0
    assert mark_expired_agreements(at(date(2026, 1, 1))) == 1
    agreement.refresh_from_db()
    assert agreement.status == "expired"
    assert mark_expired_agreements(at(date(2026, 1, 2))) == 0


def test_jobs_are_registered():
    names = {job.name for job in all_jobs()}
    assert {"partnerships.expiring_agreements", "partnerships.expired_agreements"} <= names


def test_partnership_page_alerts_members_of_expiring_agreements(client, world):
    from django.utils import timezone

    today = timezone.localdate()
    AgreementFactory(
        partnership=world.partnership, title="Snart ute", status="signed", ends_on=today + timedelta(days=30)
    )
    AgreementFactory(
        partnership=world.partnership, title="Lenge igjen", status="signed", ends_on=today + timedelta(days=90)
    )
    world.partnership.is_public = True
    world.partnership.save()
    client.force_login(world.member_user)
    page = client.get(reverse("partnerships:detail", args=[world.partnership.slug])).content.decode()
    assert "Avtaler som utløper innen 60 dager" in page
    assert "Snart ute" in page and "Lenge igjen" not in page
    client.force_login(world.other_admin)
    page = client.get(reverse("partnerships:detail", args=[world.partnership.slug])).content.decode()
    assert "Snart ute" not in page
