"""The reporting reminder: once per indicator and period, to the responsible organisation's coordinators."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from samspill.core.jobs import all_jobs
from samspill.measures.models import Indicator, Measure, Measurement
from samspill.measures.scheduled import remind_missing_values

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=OSLO)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the job as cron would: the e-mails go out when its transaction commits."""

    def go(now: datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return remind_missing_values(now)

    return go


@pytest.fixture
def made_in_2025(indicator):
    Indicator.objects.filter(pk=indicator.pk).update(created_at=at(2025, 1, 1))
    return indicator


def test_a_period_without_a_value_sends_one_reminder(made_in_2025, owner, coordinator, member, run):
    # March has a value; April ends without one.
    assert run(at(2025, 4, 20)) == 0
    assert run(at(2025, 5, 2)) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([owner.email, coordinator.email])  # not the plain member
    assert "2025-04" in message.subject and made_in_2025.name in message.subject
    assert made_in_2025.get_absolute_url() in message.body
    # Running again, later the same month, sends nothing more.
    assert run(at(2025, 5, 2, 12)) == 0
    assert run(at(2025, 5, 30)) == 0
    assert len(mail.outbox) == 1


def test_no_reminder_when_the_value_came_in(made_in_2025, run):
    Measurement.objects.create(indicator=made_in_2025, period_start=date(2025, 4, 1), value=Decimal(3))
    assert run(at(2025, 5, 2)) == 0
    assert mail.outbox == []


def test_next_period_gets_its_own_reminder(made_in_2025, owner, run):
    assert run(at(2025, 5, 2)) == 1
    assert run(at(2025, 6, 2)) == 1
    assert len(mail.outbox) == 2


def test_only_active_measures_are_reminded(made_in_2025, run):
    Measure.objects.filter(pk=made_in_2025.measure_id).update(status="completed")
    assert run(at(2025, 5, 2)) == 0


def test_partner_responsible_gets_the_reminder(partner_indicator, partner_organisation, owner, run):
    from samspill.organisations.tests.factories import MembershipFactory

    boss = MembershipFactory(organisation=partner_organisation, role="admin").user
    Indicator.objects.filter(pk=partner_indicator.pk).update(created_at=at(2025, 1, 1))
    assert run(at(2025, 2, 3)) >= 1
    assert any(message.to == [boss.email] for message in mail.outbox)


def test_the_job_is_registered():
    assert "measures.reporting_reminders" in [job.name for job in all_jobs()]
