"""The private calendar feed (RFC 5545) and the reminder the day before a shift."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from samspill.volunteering import calendar
from samspill.volunteering.models import CalendarFeed, Shift
from samspill.volunteering.scheduled import jobs, send_shift_reminders
from samspill.volunteering.services import cancel, sign_up
from samspill.volunteering.tests.factories import OpportunityFactory, ShiftFactory

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def unfold(text: str) -> list[str]:
    """RFC 5545 §3.1: a CRLF followed by one space or tab continues the line."""
    assert "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def parse(text: str) -> list[dict[str, str]]:
    """A strict little parser: nested BEGIN/END, every line NAME[;params]:value, events as dicts."""
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    events, current, stack = [], None, []
    for line in lines:
        name, _, value = line.partition(":")
        assert _ == ":" and name, line
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                events.append(current)
                current = None
        elif current is not None:
            current[name.split(";")[0]] = value
    assert not stack
    return events


def test_the_feed_is_valid_icalendar_with_folding_utc_times_and_escaping(client, organisation, volunteer):
    opportunity = OpportunityFactory(
        organisation=organisation, title="Leksehjelp; matte, norsk og engelsk for ungdom – " + "æøå " * 20
    )
    shift = ShiftFactory(
        opportunity=opportunity,
        starts_at=datetime(2026, 12, 3, 17, 0, tzinfo=OSLO),
        ends_at=datetime(2026, 12, 3, 19, 0, tzinfo=OSLO),
    )
    Shift.objects.filter(pk=shift.pk).update(capacity=1)
    signup = sign_up(shift=shift, user=volunteer, now=datetime(2026, 11, 1, tzinfo=OSLO))
    body = calendar.render_ics(
        calendar.feed_signups(volunteer, now=datetime(2026, 11, 2, tzinfo=OSLO)),
        now=datetime(2026, 11, 2, 8, 0, tzinfo=OSLO),
    )
    for line in body.split("\r\n"):
        assert len(line.encode()) <= 75
    assert body.endswith("\r\n")
    [event] = parse(body)
    assert event["UID"] == f"signup-{signup.pk}@127.0.0.1"
    assert event["DTSTAMP"] == "20261102T070000Z"
    assert event["DTSTART"] == "20261203T160000Z"
    assert event["DTEND"] == "20261203T180000Z"
    assert event["SUMMARY"].startswith("Leksehjelp\\; matte\\, norsk")
    assert event["STATUS"] == "CONFIRMED"
    assert event["DESCRIPTION"].count("\\n") == 1


def test_a_person_makes_replaces_and_revokes_their_calendar_link(client, shift, volunteer):
    sign_up(shift=shift, user=volunteer)
    client.force_login(volunteer)
    response = client.post(reverse("volunteering:calendar"), {"action": "create"})
    url = response.context["url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get(user=volunteer).token_hash != token  # only a hash is stored
    client.logout()
    feed = client.get(url.replace("http://127.0.0.1:8000", ""))
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert len(parse(feed.content.decode())) == 1

    client.force_login(volunteer)
    new_url = client.post(reverse("volunteering:calendar"), {"action": "create"}).context["url"]
    client.logout()
    assert client.get(url.replace("http://127.0.0.1:8000", "")).status_code == 404
    assert client.get(new_url.replace("http://127.0.0.1:8000", "")).status_code == 200
    client.force_login(volunteer)
    client.post(reverse("volunteering:calendar"), {"action": "revoke"})
    assert client.get(new_url.replace("http://127.0.0.1:8000", "")).status_code == 404


def test_the_calendar_page_needs_a_login_and_unknown_tokens_are_404(client):
    response = client.get(reverse("volunteering:calendar"))
    assert response.status_code == 302
    assert client.get(reverse("volunteering:calendar_feed", args=["gjett"])).status_code == 404


def test_the_feed_shows_only_the_persons_own_active_shifts(client, shift, opportunity, volunteer, user):
    mine = sign_up(shift=shift, user=volunteer)
    sign_up(shift=ShiftFactory(opportunity=opportunity), user=user)
    cancelled = sign_up(shift=ShiftFactory(opportunity=opportunity), user=volunteer)
    cancel(cancelled, by=volunteer)
    events = parse(calendar.render_ics(calendar.feed_signups(volunteer)))
    assert [e["UID"].split("@")[0] for e in events] == [f"signup-{mine.pk}"]


def test_reminders_go_once_from_noon_the_day_before(opportunity, volunteer, user):
    shift = ShiftFactory(
        opportunity=opportunity,
        starts_at=datetime(2026, 12, 3, 17, 0, tzinfo=OSLO),
        ends_at=datetime(2026, 12, 3, 19, 0, tzinfo=OSLO),
        capacity=1,
    )
    sign_up(shift=shift, user=volunteer, now=datetime(2026, 11, 1, tzinfo=OSLO))
    sign_up(shift=shift, user=user, now=datetime(2026, 11, 1, tzinfo=OSLO))  # wait-listed: no reminder
    assert send_shift_reminders(datetime(2026, 12, 1, 12, 0, tzinfo=OSLO)) == 0
    assert send_shift_reminders(datetime(2026, 12, 2, 11, 59, tzinfo=OSLO)) == 0
    assert send_shift_reminders(datetime(2026, 12, 2, 12, 0, tzinfo=OSLO)) == 1
    assert [m.to for m in mail.outbox] == [[volunteer.email]]
    assert "i morgen" in mail.outbox[0].subject
    assert "17:00" in mail.outbox[0].body
    assert send_shift_reminders(datetime(2026, 12, 2, 18, 0, tzinfo=OSLO)) == 0
    assert send_shift_reminders(datetime(2026, 12, 3, 16, 0, tzinfo=OSLO)) == 0
    assert len(mail.outbox) == 1


def test_no_reminder_for_a_cancelled_shift_or_after_it_started(opportunity, volunteer):
    shift = ShiftFactory(
        opportunity=opportunity,
        starts_at=datetime(2026, 12, 3, 9, 0, tzinfo=OSLO),
        ends_at=datetime(2026, 12, 3, 11, 0, tzinfo=OSLO),
    )
    sign_up(shift=shift, user=volunteer, now=datetime(2026, 11, 1, tzinfo=OSLO))
    assert send_shift_reminders(datetime(2026, 12, 3, 9, 30, tzinfo=OSLO)) == 0
    Shift.objects.filter(pk=shift.pk).update(cancelled=True)
    assert send_shift_reminders(datetime(2026, 12, 2, 13, 0, tzinfo=OSLO)) == 0
    assert mail.outbox == []


def test_the_reminder_job_is_registered():
    assert [job.name for job in jobs()] == ["volunteering.shift_reminders"]
