"""Follow-up schedules, check-ins, the coordinator's queue and escalation of unanswered interest.

Time travel: the scheduled jobs are called with chosen ``now`` values.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from samspill.accounts.tests.factories import UserFactory
from samspill.followup import services
from samspill.followup.models import CheckIn, FollowUp, FollowUpStep, InterestEscalation
from samspill.followup.scheduled import jobs
from samspill.followup.tests.factories import HoursEntryFactory, opportunity, shift, signup
from samspill.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def at(day: str, hour: int = 8) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=OSLO)


@pytest.fixture
def coordinator(organisation):
    return MembershipFactory(organisation=organisation, role="coordinator").user


@pytest.fixture
def opp(organisation):
    return opportunity(organisation, title="Besøksvenn")


@pytest.fixture
def schedule(organisation):
    services.add_default_steps(organisation)
    return list(FollowUpStep.objects.filter(organisation=organisation))


def test_jobs_are_registered():
    assert {job.name for job in jobs()} == {
        "followup.hours_from_attendance",
        "followup.due_followups",
        "followup.checkin_emails",
        "followup.escalate_interest",
    }


def test_schedule_creates_each_followup_once_as_time_passes(organisation, opp, schedule):
    person = UserFactory()
    signup(opp, person, shift=shift(opp, starts_at=at("2026-01-05", 17)))

    assert services.create_due_followups(at("2026-01-05")) == 0  # before the first shift
    assert services.create_due_followups(at("2026-01-06")) == 1  # the day after
    assert services.create_due_followups(at("2026-01-06", 20)) == 0  # idempotent
    assert services.create_due_followups(at("2026-02-02")) == 1  # four weeks
    assert services.create_due_followups(at("2026-07-06")) == 1  # half a year
    assert services.create_due_followups(at("2026-12-01")) == 0
    assert services.create_due_followups(at("2027-01-06")) == 1  # and every six months after
    assert list(FollowUp.objects.order_by("due_on").values_list("step_name", "due_on")) == [
        ("Etter første vakt", at("2026-01-06").date()),
        ("Etter fire uker", at("2026-02-02").date()),
        ("Hvert halvår", at("2026-07-06").date()),
        ("Hvert halvår", at("2027-01-06").date()),
    ]


def test_a_long_standing_volunteer_gets_only_the_current_followup(organisation, opp, schedule):
    signup(opp, UserFactory(), shift=shift(opp, starts_at=at("2023-03-01", 17)))
    assert services.create_due_followups(at("2026-01-10")) == 1
    assert FollowUp.objects.get().step_name == "Hvert halvår"


def test_schedule_steps_are_editable(client, organisation, coordinator, schedule):
    client.force_login(coordinator)
    url = f"/oppfolging/organisasjon/{organisation.slug}/plan/"
    data = {"form-TOTAL_FORMS": "4", "form-INITIAL_FORMS": "3", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "12"}
    for i, step in enumerate(schedule):
        data |= {
            f"form-{i}-id": str(step.pk),
            f"form-{i}-name": step.name,
            f"form-{i}-days_after_start": str(step.days_after_start),
            f"form-{i}-repeat_months": str(step.repeat_months or ""),
        }
    data |= {"form-0-DELETE": "on", "form-3-name": "Etter tre måneder", "form-3-days_after_start": "90"}
    assert client.post(url, data).status_code == 302
    assert list(FollowUpStep.objects.filter(organisation=organisation).values_list("name", flat=True)) == [
        "Etter fire uker",
        "Etter tre måneder",
        "Hvert halvår",
    ]
    for person in (MembershipFactory(organisation=organisation).user, UserFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 403


def test_checkin_email_is_sent_once_and_answered(
    client, organisation, opp, schedule, django_capture_on_commit_callbacks
):
    person = UserFactory(email="vilde@example.no")
    signup(opp, person, shift=shift(opp, starts_at=at("2026-01-05", 17)))
    services.create_due_followups(at("2026-01-06"))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_checkins(at("2026-01-06")) == 1
        assert services.send_due_checkins(at("2026-01-07")) == 0
    [message] = mail.outbox
    assert message.to == ["vilde@example.no"]
    followup = FollowUp.objects.get()
    assert f"/oppfolging/sjekk-inn/{followup.pk}/" in message.body

    client.force_login(person)
    url = f"/oppfolging/sjekk-inn/{followup.pk}/"
    assert "Hvordan går det?" in client.get(url).content.decode()
    response = client.post(url, {"satisfaction": "9", "wish": "more", "comment": "Gøy"})
    assert response.status_code == 200 and "ds-error-summary" in response.content.decode()
    assert client.post(url, {"satisfaction": "4", "wish": "more", "comment": "Gøy"}).status_code == 302
    checkin = CheckIn.objects.get()
    assert (checkin.satisfaction, checkin.wish, checkin.comment) == (4, "more", "Gøy")


def test_others_cannot_open_someone_elses_checkin(client, organisation, opp, schedule, coordinator, outsider):
    person = UserFactory()
    signup(opp, person, shift=shift(opp, starts_at=at("2026-01-05", 17)))
    services.create_due_followups(at("2026-01-06"))
    followup = FollowUp.objects.get()
    for other in (coordinator, outsider, UserFactory()):
        client.force_login(other)
        assert client.get(f"/oppfolging/sjekk-inn/{followup.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/oppfolging/sjekk-inn/{followup.pk}/").status_code == 302


def test_coordinator_handles_followups_outsiders_cannot(
    client, organisation, opp, schedule, coordinator, outsider, member
):
    person = UserFactory()
    signup(opp, person, shift=shift(opp, starts_at=at("2026-01-05", 17)))
    services.create_due_followups(at("2026-01-06"))
    followup = FollowUp.objects.get()
    url = f"/oppfolging/oppfolging/{followup.pk}/"
    for other in (outsider, member):
        client.force_login(other)
        assert client.get(url).status_code == 404
    client.force_login(person)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    assert client.post(url, {"note": "Ringte, alt vel"}).status_code == 302
    followup.refresh_from_db()
    assert followup.done_at and followup.done_by == coordinator and followup.note == "Ringte, alt vel"


def test_queue_shows_due_overdue_and_inactive(client, organisation, opp, coordinator, django_assert_max_num_queries):
    now = timezone.now()
    today = timezone.localdate()
    due_person, late_person, quiet_person = (UserFactory(name=n) for n in ("Due Dag", "Sen Sigurd", "Stille Siri"))
    for person in (due_person, late_person):
        signup(opp, person, shift=shift(opp, starts_at=now - timedelta(days=3)))
    signup(opp, quiet_person, shift=shift(opp, starts_at=now - timedelta(days=200)))
    HoursEntryFactory(organisation=organisation, user=late_person, date=today - timedelta(days=1))
    FollowUp.objects.create(organisation=organisation, user=due_person, step_name="A", due_on=today)
    FollowUp.objects.create(
        organisation=organisation, user=late_person, step_name="B", due_on=today - timedelta(days=30)
    )
    queue = services.queue(organisation)
    assert [f.user for f in queue.due] == [due_person]
    assert [f.user for f in queue.overdue] == [late_person]
    assert [person for person, _last in queue.inactive] == [quiet_person]

    client.force_login(coordinator)
    url = f"/oppfolging/organisasjon/{organisation.slug}/"
    with django_assert_max_num_queries(20) as before:
        page = client.get(url).content.decode()
    assert "Due Dag" in page and "Sen Sigurd" in page and "Stille Siri" in page
    for i in range(10):
        person = UserFactory()
        signup(opp, person, shift=shift(opp, starts_at=now - timedelta(days=3)))
        FollowUp.objects.create(organisation=organisation, user=person, step_name="C", due_on=today - timedelta(i))
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_queue_is_for_coordinators_only(client, organisation, member, outsider):
    url = f"/oppfolging/organisasjon/{organisation.slug}/"
    for person in (member, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get("/oppfolging/organisasjon/finnes-ikke/").status_code == 302
    client.force_login(outsider)
    assert client.get("/oppfolging/organisasjon/finnes-ikke/").status_code == 404


# --- Unanswered interest ------------------------------------------------------------------


def test_unanswered_interest_is_escalated_to_admins_once(organisation, opp, owner, django_capture_on_commit_callbacks):
    created = at("2026-03-02", 10)
    interest = signup(opp, UserFactory(name="Ivrig Ida"), status="pending", created_at=created)
    answered = signup(opp, UserFactory(), status="confirmed", created_at=created, responded_at=created)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_unanswered_interest(at("2026-03-08", 10)) == 0  # six days
        assert services.escalate_unanswered_interest(at("2026-03-09", 11)) == 1  # seven days
        assert services.escalate_unanswered_interest(at("2026-03-10", 11)) == 0  # only once
        assert services.escalate_unanswered_interest(at("2026-04-10", 11)) == 0
    [message] = mail.outbox
    assert message.to == [owner.email]
    assert "Ivrig Ida" in message.body and "Besøksvenn" in message.body
    assert InterestEscalation.objects.get().signup == interest
    assert not InterestEscalation.objects.filter(signup=answered).exists()


def test_response_time_is_shown_to_admins_only(client, organisation, opp, owner, django_capture_on_commit_callbacks):
    now = timezone.now()
    signup(
        opp, UserFactory(), status="confirmed", created_at=now - timedelta(days=5), responded_at=now - timedelta(days=4)
    )
    signup(
        opp, UserFactory(), status="declined", created_at=now - timedelta(days=5), responded_at=now - timedelta(days=2)
    )
    signup(
        opp,
        UserFactory(),
        status="confirmed",
        created_at=now - timedelta(days=200),
        responded_at=now - timedelta(days=100),
    )
    signup(opp, UserFactory(), status="pending", created_at=now - timedelta(days=1))
    times = services.response_times(organisation, now)
    assert (times.median, times.answered, times.unanswered) == (timedelta(days=2), 2, 1)

    client.force_login(owner)
    page = client.get(f"/oppfolging/organisasjon/{organisation.slug}/").content.decode()
    assert "Median svartid" in page and "2 dager" in page
    coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
    client.force_login(coordinator)
    assert "Median svartid" not in client.get(f"/oppfolging/organisasjon/{organisation.slug}/").content.decode()


def test_run_scheduled_runs_the_jobs(organisation, opp, schedule):
    from django.core.management import call_command

    signup(opp, UserFactory(), shift=shift(opp, starts_at=at("2026-01-05", 17)))
    out = __import__("io").StringIO()
    call_command("run_scheduled", "--now", "2026-01-06T09:00:00+01:00", "--job", "followup.due_followups", stdout=out)
    assert "followup.due_followups: 1" in out.getvalue()


def test_coordinator_starts_from_the_standard_schedule(client, organisation, coordinator, outsider):
    url = f"/oppfolging/organisasjon/{organisation.slug}/plan/standard/"
    client.force_login(outsider)
    assert client.post(url).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).status_code == 405
    assert "Bruk standardplanen" in client.get(f"/oppfolging/organisasjon/{organisation.slug}/plan/").content.decode()
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a second time adds nothing
    assert FollowUpStep.objects.filter(organisation=organisation).count() == 3
