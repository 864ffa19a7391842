"""Hours: logged or from attended shifts, approved or rejected, summed up."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from samspill.accounts.tests.factories import UserFactory
from samspill.followup import services
from samspill.followup.models import HoursEntry
from samspill.followup.tests.factories import HoursEntryFactory, opportunity, shift, signup
from samspill.organisations.tests.factories import MembershipFactory
from samspill.taxonomy.models import FocusArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(organisation):
    return MembershipFactory(organisation=organisation, role="coordinator").user


@pytest.fixture
def opp(organisation):
    return opportunity(organisation, title="Besøksvenn")


@pytest.fixture
def volunteer(opp):
    person = UserFactory(name="Vilde Frivillig")
    signup(opp, person, shift=shift(opp))
    return person


def test_volunteer_logs_hours_for_an_opportunity_they_were_taken_on_for(client, organisation, opp, volunteer):
    client.force_login(volunteer)
    page = client.get("/oppfolging/mine-timer/").content.decode()
    assert "Besøksvenn" in page
    day = timezone.localdate() - timedelta(days=1)
    response = client.post(
        "/oppfolging/mine-timer/",
        {"organisation": organisation.pk, "opportunity": opp.pk, "date": day, "hours": "2.5", "description": "Tur"},
    )
    assert response.status_code == 302
    entry = HoursEntry.objects.get()
    assert (entry.user, entry.opportunity, entry.hours, entry.status) == (volunteer, opp, Decimal("2.5"), "pending")


def test_logging_keeps_what_was_typed_and_explains_errors(client, organisation, opp, volunteer, other_organisation):
    client.force_login(volunteer)
    response = client.post(
        "/oppfolging/mine-timer/",
        {
            "organisation": organisation.pk,
            "date": timezone.localdate() + timedelta(days=3),
            "hours": "30",
            "description": "Langtur",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "ds-error-summary" in page
    assert "Langtur" in page
    # Nobody logs hours for an organisation they have no tie to.
    response = client.post(
        "/oppfolging/mine-timer/", {"organisation": other_organisation.pk, "date": timezone.localdate(), "hours": "1"}
    )
    assert response.status_code == 200
    assert not HoursEntry.objects.exists()


def test_attended_shifts_become_hours_once(organisation, opp):
    person = UserFactory()
    past = shift(opp, starts_at=timezone.now() - timedelta(days=2), hours=1.5)
    attended = signup(opp, person, shift=past, attended=True)
    signup(opp, UserFactory(), shift=past, attended=False)
    assert services.sync_attended_hours() == 1
    assert services.sync_attended_hours() == 0
    entry = HoursEntry.objects.get()
    assert (entry.signup, entry.hours, entry.organisation, entry.user) == (
        attended,
        Decimal("1.5"),
        organisation,
        person,
    )


def test_scheduled_job_creates_hours_from_attendance(opp):
    from samspill.followup.scheduled import hours_from_attendance

    signup(opp, UserFactory(), shift=shift(opp, starts_at=timezone.now() - timedelta(days=1)), attended=True)
    assert hours_from_attendance(timezone.now()) == 1
    assert hours_from_attendance(timezone.now()) == 0


def test_coordinator_approves_and_rejects_with_a_reason(client, organisation, coordinator, volunteer):
    first = HoursEntryFactory(organisation=organisation, user=volunteer)
    second = HoursEntryFactory(organisation=organisation, user=volunteer)
    client.force_login(coordinator)
    page = client.get(f"/oppfolging/organisasjon/{organisation.slug}/timer/").content.decode()
    assert "Vilde Frivillig" in page
    assert client.post(f"/oppfolging/timer/{first.pk}/godkjenn/").status_code == 302
    first.refresh_from_db()
    assert (first.status, first.decided_by) == ("approved", coordinator)
    # A rejection needs a reason; without one the form says so and nothing changes.
    response = client.post(f"/oppfolging/timer/{second.pk}/avvis/", {"reason": ""})
    assert response.status_code == 200 and "ds-error-summary" in response.content.decode()
    assert client.post(f"/oppfolging/timer/{second.pk}/avvis/", {"reason": "Dobbeltført"}).status_code == 302
    second.refresh_from_db()
    assert (second.status, second.rejection_reason) == ("rejected", "Dobbeltført")
    # The volunteer sees the reason.
    client.force_login(volunteer)
    assert "Dobbeltført" in client.get("/oppfolging/mine-timer/").content.decode()


def test_outsiders_cannot_see_or_decide_other_peoples_hours(client, organisation, member, outsider, volunteer):
    entry = HoursEntryFactory(organisation=organisation, user=volunteer)
    other_volunteer = UserFactory()
    for person, expected in ((outsider, 404), (member, 404), (other_volunteer, 404), (volunteer, 403)):
        client.force_login(person)
        assert client.post(f"/oppfolging/timer/{entry.pk}/godkjenn/").status_code == expected
        assert client.post(f"/oppfolging/timer/{entry.pk}/avvis/", {"reason": "x"}).status_code == expected
        assert "Kaffe og prat" not in client.get("/oppfolging/mine-timer/").content.decode() or person == volunteer
    for person in (outsider, member, volunteer):
        client.force_login(person)
        assert client.get(f"/oppfolging/organisasjon/{organisation.slug}/timer/").status_code == 403
        assert client.get(f"/oppfolging/organisasjon/{organisation.slug}/rapport/").status_code == 403
    client.logout()
    assert client.post(f"/oppfolging/timer/{entry.pk}/godkjenn/").status_code == 302
    entry.refresh_from_db()
    assert entry.status == "pending"


def test_hours_list_query_count_does_not_grow(client, organisation, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    opp = opportunity(organisation)
    for _ in range(3):
        HoursEntryFactory(organisation=organisation, opportunity=opp)
    with django_assert_max_num_queries(12) as few:
        client.get(f"/oppfolging/organisasjon/{organisation.slug}/timer/")
    for _ in range(15):
        HoursEntryFactory(organisation=organisation, opportunity=opp)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/oppfolging/organisasjon/{organisation.slug}/timer/")
    assert response.content.decode().count("Godkjenn<") == 18


def _approved(organisation, user, day, hours, opp=None):
    return HoursEntryFactory(
        organisation=organisation, user=user, date=day, hours=Decimal(hours), opportunity=opp, status="approved"
    )


def test_totals_per_person_opportunity_focus_area_and_month(client, organisation, coordinator):
    year = timezone.localdate().year
    area = FocusArea.objects.order_by("position").first()
    opp = opportunity(organisation, title="Turvenn")
    opp.focus_areas.add(area)
    anna, bjorn = UserFactory(name="Anna A"), UserFactory(name="Bjørn B")
    _approved(organisation, anna, date(year, 1, 10), "2", opp)
    _approved(organisation, anna, date(year, 2, 3), "1.5", opp)
    _approved(organisation, bjorn, date(year, 2, 20), "4")
    HoursEntryFactory(organisation=organisation, user=bjorn, date=date(year, 2, 21), hours=Decimal(9))  # pending
    _approved(organisation, bjorn, date(year - 1, 12, 1), "10")  # another year

    from samspill.followup.views import report_rows

    rows = report_rows(organisation, year)
    assert rows["total"] == Decimal("7.5")
    assert [(r["user__name"], r["total"]) for r in rows["per_person"]] == [
        ("Bjørn B", Decimal("4")),
        ("Anna A", Decimal("3.5")),
    ]
    assert {r["opportunity__title"]: r["total"] for r in rows["per_opportunity"]} == {
        None: Decimal("4"),
        "Turvenn": Decimal("3.5"),
    }
    assert [(r["opportunity__focus_areas__name"], r["total"]) for r in rows["per_focus_area"]] == [
        (area.name, Decimal("3.5"))
    ]
    assert [(r["month"].month, r["total"]) for r in rows["per_month"]] == [(1, Decimal("2")), (2, Decimal("5.5"))]

    client.force_login(coordinator)
    page = client.get(f"/oppfolging/organisasjon/{organisation.slug}/rapport/?year={year}").content.decode()
    assert "Anna A" in page and "Turvenn" in page
    assert client.get(f"/oppfolging/organisasjon/{organisation.slug}/rapport/?year=abc").status_code == 200


def test_csv_export_neutralises_formulas(client, organisation, coordinator):
    year = timezone.localdate().year
    sneaky = UserFactory(name='=HYPERLINK("http://evil")')
    entry = _approved(organisation, sneaky, date(year, 3, 1), "2")
    entry.description = "+SUM(A1)"
    entry.save(update_fields=["description"])
    client.force_login(coordinator)
    response = client.get(f"/oppfolging/organisasjon/{organisation.slug}/rapport/csv/?year={year}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][5] == "'+SUM(A1)"
    assert rows[1][4] == "2,00"


def test_volunteer_deletes_own_pending_entry_only(client, organisation, volunteer, coordinator):
    pending = HoursEntryFactory(organisation=organisation, user=volunteer)
    approved = HoursEntryFactory(organisation=organisation, user=volunteer, status="approved")
    someone_elses = HoursEntryFactory(organisation=organisation)
    client.force_login(volunteer)
    assert "Slett" in client.get("/oppfolging/mine-timer/").content.decode()
    assert client.post(f"/oppfolging/timer/{approved.pk}/slett/").status_code == 403
    assert client.post(f"/oppfolging/timer/{someone_elses.pk}/slett/").status_code == 404
    assert client.post(f"/oppfolging/timer/{pending.pk}/slett/").status_code == 302
    client.force_login(coordinator)
    assert client.post(f"/oppfolging/timer/{approved.pk}/slett/").status_code == 404
    assert set(HoursEntry.objects.values_list("pk", flat=True)) == {approved.pk, someone_elses.pk}


def test_hours_page_shows_attendance_marked_a_moment_ago(client, organisation, coordinator, opp):
    person = UserFactory(name="Møtte Opp")
    signup(opp, person, shift=shift(opp, starts_at=timezone.now() - timedelta(hours=3)), attended=True)
    client.force_login(coordinator)
    assert "Møtte Opp" in client.get(f"/oppfolging/organisasjon/{organisation.slug}/timer/").content.decode()
    client.get(f"/oppfolging/organisasjon/{organisation.slug}/timer/")
    assert HoursEntry.objects.filter(user=person).count() == 1


def test_decided_hours_show_even_when_the_decider_is_gone(client, organisation, coordinator, volunteer):
    HoursEntryFactory(organisation=organisation, user=volunteer, status="approved", decided_by=None)
    client.force_login(coordinator)
    response = client.get(f"/oppfolging/organisasjon/{organisation.slug}/timer/?status=approved")
    assert response.status_code == 200 and "Kaffe og prat" in response.content.decode()
