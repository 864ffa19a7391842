"""Innloggede enheter (a person's devices) and the session timeouts for coordinators and admins.

Time travel without sleeping: the tests move the login and last-activity stamps in the
session back, as if the time had passed.
"""

from __future__ import annotations

import datetime
import json
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samspill.accounts import devices
from samspill.accounts.models import LoginSession
from samspill.accounts.scheduled import jobs
from samspill.accounts.tests.factories import UserFactory
from samspill.accounts.tests.utils import is_logged_in, login_via_form

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _device(user, user_agent: str = FIREFOX_WINDOWS) -> Client:
    """A browser where ``user`` has logged in through the login form."""
    client = Client(HTTP_USER_AGENT=user_agent)
    response = login_via_form(client, user.email)
    assert response.status_code == 302, response.status_code
    return client


def _session_exists(session_key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(session_key)


def _travel(client: Client, *, since_login: int, since_activity: int) -> None:
    """Pretend the login was ``since_login`` seconds ago and the last request ``since_activity`` ago."""
    now = int(timezone.now().timestamp())
    session = client.session
    session[devices.LOGIN_AT] = now - since_login
    session[devices.SEEN_AT] = now - since_activity
    session.save()


# --- The device list -------------------------------------------------------------


@pytest.mark.django_db
def test_logging_in_lists_the_device_with_the_least_about_it(user):
    client = _device(user, FIREFOX_WINDOWS)

    (row,) = LoginSession.objects.filter(user=user)
    assert (row.browser, row.system) == ("Firefox", "Windows")
    assert row.key_hash == devices.key_hash(client.session.session_key)
    assert client.session.session_key not in row.sealed_key  # the key is never stored in clear
    response = client.get(reverse("accounts:sessions"))
    assert response.status_code == 200
    assert "Firefox på Windows" in response.content.decode()
    assert "Denne enheten" in response.content.decode()


@pytest.mark.django_db
def test_my_page_links_to_the_device_list(client, user):
    client.force_login(user)

    response = client.get(reverse("accounts:profile"))

    assert reverse("accounts:sessions") in response.content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("accounts:sessions"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_the_list_shows_only_the_persons_own_devices(user, outsider):
    mine = _device(user)
    _device(outsider, SAFARI_IPHONE)

    body = mine.get(reverse("accounts:sessions")).content.decode()

    assert "Safari på iOS" not in body


@pytest.mark.parametrize("engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cache"])
@pytest.mark.django_db
def test_a_person_ends_another_device_and_it_is_logged_out(settings, user, engine):
    settings.SESSION_ENGINE = engine
    laptop = _device(user, FIREFOX_WINDOWS)
    phone = _device(user, SAFARI_IPHONE)
    phone_key = phone.session.session_key
    phone_row = LoginSession.objects.get(key_hash=devices.key_hash(phone_key))

    response = laptop.post(reverse("accounts:end_session", args=[phone_row.pk]))

    assert response.status_code == 302
    assert not _session_exists(phone_key), "the session is deleted from the store"
    assert not LoginSession.objects.filter(pk=phone_row.pk).exists()
    assert phone.get(reverse("accounts:profile")).status_code == 302  # sent to log in
    assert laptop.get(reverse("accounts:profile")).status_code == 200
    assert "Enheten er logget ut." in [m.message for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_an_outsider_cannot_end_someone_elses_session(user, outsider):
    victim = _device(user)
    victim_row = LoginSession.objects.get(user=user)
    intruder = _device(outsider)

    response = intruder.post(reverse("accounts:end_session", args=[victim_row.pk]))

    assert response.status_code == 404
    assert _session_exists(victim.session.session_key)
    assert victim.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_ending_a_session_needs_a_login_and_a_post(client, user):
    _device(user)
    row = LoginSession.objects.get(user=user)

    assert client.post(reverse("accounts:end_session", args=[row.pk])).status_code == 302  # to log in
    assert LoginSession.objects.filter(pk=row.pk).exists()
    client.force_login(user)
    assert client.get(reverse("accounts:end_session", args=[row.pk])).status_code == 405


@pytest.mark.django_db
def test_log_out_other_devices_keeps_this_one(user):
    here = _device(user, FIREFOX_WINDOWS)
    others = [_device(user, SAFARI_IPHONE), _device(user, SAFARI_IPHONE)]

    response = here.post(reverse("accounts:end_other_sessions"))

    assert response.status_code == 302
    assert "2 andre enheter er logget ut." in [m.message for m in get_messages(response.wsgi_request)]
    for other in others:
        assert other.get(reverse("accounts:profile")).status_code == 302
    assert here.get(reverse("accounts:profile")).status_code == 200
    assert LoginSession.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_ending_this_device_is_the_logout_page(user):
    here = _device(user)
    row = LoginSession.objects.get(user=user)

    response = here.post(reverse("accounts:end_session", args=[row.pk]))

    assert response["Location"] == reverse("account_logout")
    assert is_logged_in(here)


@pytest.mark.django_db
def test_logging_out_removes_the_device(user):
    client = _device(user)

    client.post(reverse("account_logout"))

    assert not LoginSession.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_the_device_list_costs_the_same_for_many_devices(user, django_assert_max_num_queries):
    client = _device(user)
    for _ in range(12):
        _device(user, SAFARI_IPHONE)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:sessions"))

    assert response.content.decode().count("Safari på iOS") >= 12


@pytest.mark.django_db
def test_activity_is_recorded_at_most_once_a_minute(user):
    client = _device(user)
    row = LoginSession.objects.get(user=user)
    earlier = timezone.now() - datetime.timedelta(hours=1)
    LoginSession.objects.filter(pk=row.pk).update(last_seen_at=earlier)

    _travel(client, since_login=100, since_activity=30)
    client.get(reverse("accounts:profile"))
    row.refresh_from_db()
    assert row.last_seen_at == earlier

    _travel(client, since_login=100, since_activity=61)
    client.get(reverse("accounts:profile"))
    row.refresh_from_db()
    assert row.last_seen_at > earlier + datetime.timedelta(minutes=59)


@pytest.mark.django_db
def test_a_session_from_before_devices_were_recorded_is_listed_on_its_next_request(user):
    client = _device(user)
    LoginSession.objects.all().delete()
    session = client.session
    del session[devices.LOGIN_AT], session[devices.SEEN_AT]
    session.save()

    client.get(reverse("accounts:profile"))

    assert LoginSession.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_expired_devices_are_forgotten_by_the_scheduled_job(user):
    _device(user)
    (job,) = [j for j in jobs() if j.name == "accounts.prune_devices"]

    assert job.run(timezone.now()) == 0
    later = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    assert job.run(later) == 1
    assert job.run(later) == 0


def test_devices_are_named_from_the_user_agent_and_nothing_else():
    assert devices.describe_device(FIREFOX_WINDOWS) == ("Firefox", "Windows")
    assert devices.describe_device(SAFARI_IPHONE) == ("Safari", "iOS")
    edge = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0"
    assert devices.describe_device(edge) == ("Edge", "macOS")
    assert devices.describe_device("curl/8.0") == ("", "")


# --- Personal data ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_export_lists_devices_without_the_session_key(user):
    client = _device(user)

    response = client.post(reverse("accounts:export_data"))

    data = json.loads(response.content)
    (device,) = data["devices"]
    assert device["browser"] == "Firefox"
    assert set(device) == {"browser", "system", "created_at", "last_seen_at"}
    assert client.session.session_key not in response.content.decode()


@pytest.mark.django_db
def test_deleting_the_account_logs_out_every_device(user, django_capture_on_commit_callbacks):
    here = _device(user)
    phone = _device(user, SAFARI_IPHONE)
    phone_key = phone.session.session_key

    with django_capture_on_commit_callbacks(execute=True):
        here.post(reverse("accounts:delete_account"), {"password": "riktig-passord-123"})

    assert not LoginSession.objects.exists()
    assert not _session_exists(phone_key)


# --- Timeouts ----------------------------------------------------------------------


def _assert_logged_out_with(client: Client, response, text: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('accounts:profile')}"
    assert not is_logged_in(client)
    assert any(text in m.message for m in get_messages(response.wsgi_request))


@pytest.mark.django_db
def test_an_admin_idle_for_30_minutes_is_logged_out(owner):
    client = _device(owner)
    _travel(client, since_login=40 * 60, since_activity=30 * 60)

    response = client.get(reverse("accounts:profile"))

    _assert_logged_out_with(client, response, "ikke har vært aktiv på 30 minutter")
    assert not LoginSession.objects.filter(user=owner).exists()


@pytest.mark.django_db
def test_a_coordinator_active_within_30_minutes_stays(organisation):
    from samspill.organisations.tests.factories import MembershipFactory

    coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
    client = _device(coordinator)
    _travel(client, since_login=3 * 60 * 60, since_activity=29 * 60)

    assert client.get(reverse("accounts:profile")).status_code == 200
    assert is_logged_in(client)


@pytest.mark.django_db
def test_an_admin_is_logged_out_12_hours_after_logging_in_even_when_active(owner):
    client = _device(owner)
    _travel(client, since_login=12 * 60 * 60, since_activity=10)

    response = client.get(reverse("accounts:profile"))

    _assert_logged_out_with(client, response, "12 timer siden du logget inn")


@pytest.mark.django_db
def test_a_member_who_becomes_admin_gets_the_short_session_within_a_minute(member, organisation):
    from samspill.accounts.middleware import ROLE_CHECK_EVERY, ROLE_CHECKED
    from samspill.organisations.models import Membership

    client = _device(member)
    assert client.get(reverse("accounts:profile")).status_code == 200  # noted: an ordinary session
    Membership.objects.filter(user=member, organisation=organisation).update(role="admin")
    _travel(client, since_login=60 * 60, since_activity=31 * 60)
    session = client.session
    user_id, checked_at, elevated = session[ROLE_CHECKED]
    assert elevated is False
    session[ROLE_CHECKED] = [user_id, checked_at - ROLE_CHECK_EVERY, elevated]  # a minute has passed
    session.save()

    response = client.get(reverse("accounts:profile"))

    _assert_logged_out_with(client, response, "ikke har vært aktiv på 30 minutter")


@pytest.mark.django_db
def test_the_role_noted_in_the_session_counts_only_for_its_own_person(owner, member):
    from samspill.accounts.middleware import ROLE_CHECKED, session_has_elevated_role

    now = int(timezone.now().timestamp())
    noted_for_member = {ROLE_CHECKED: [member.pk, now, False]}

    assert session_has_elevated_role(noted_for_member, owner, now) is True
    assert noted_for_member[ROLE_CHECKED] == [owner.pk, now, True]


@pytest.mark.django_db
def test_staff_have_the_short_sessions_too():
    staff = UserFactory(is_staff=True)
    client = _device(staff)
    _travel(client, since_login=60 * 60, since_activity=31 * 60)

    assert client.get(reverse("accounts:profile")).status_code == 302
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_a_member_keeps_the_ordinary_session(member):
    client = _device(member)
    _travel(client, since_login=3 * 24 * 60 * 60, since_activity=2 * 24 * 60 * 60)

    assert client.get(reverse("accounts:profile")).status_code == 200
    assert is_logged_in(client)
