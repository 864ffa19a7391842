"""Coordinators post opportunities, shifts and weekly series, handle sign-ups and mark attendance."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from samspill.accounts.tests.factories import UserFactory, enable_totp
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory, kind
from samspill.taxonomy.models import FocusArea
from samspill.volunteering.models import Opportunity, Shift, ShiftSeries, SignUp
from samspill.volunteering.services import generate_shifts, sign_up
from samspill.volunteering.tests.factories import OpportunityFactory, ShiftFactory, ShiftSeriesFactory

pytestmark = pytest.mark.django_db


def opportunity_data(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "title": "Besøksvenn",
        "description": "Besøk eldre som bor alene.",
        "form": "regular",
        "status": "published",
        "municipality": organisation.home_municipality.pk,
        "address": "Torget 1",
        "postal_code_text": "5014",
        "focus_areas": [FocusArea.objects.first().pk],
        "minimum_age": "18",
        "languages": ["nb"],
        "skills": "",
    }
    data.update(overrides)
    return data


def test_a_coordinator_posts_an_opportunity(client, coordinator, organisation):
    client.force_login(coordinator)
    url = reverse("volunteering:create") + f"?organisasjon={organisation.slug}"
    assert client.get(url).status_code == 200
    response = client.post(url, opportunity_data(organisation))
    opportunity = Opportunity.objects.get()
    assert response["Location"] == reverse("volunteering:manage", args=[opportunity.pk])
    assert (opportunity.organisation, opportunity.created_by, opportunity.postal_code.code) == (
        organisation,
        coordinator,
        "5014",
    )
    assert opportunity.languages == ["nb"]


def test_a_police_certificate_needs_a_legal_basis(client, coordinator, organisation):
    client.force_login(coordinator)
    response = client.post(
        reverse("volunteering:create"), opportunity_data(organisation, requires_police_certificate="on")
    )
    assert response.status_code == 200
    assert "politiregisterforskriften § 34-1" in response.text
    assert "Velg hjemmelen" in response.text
    assert 'value="Besøksvenn"' in response.text  # what was typed is kept
    assert not Opportunity.objects.exists()
    client.post(
        reverse("volunteering:create"),
        opportunity_data(organisation, requires_police_certificate="on", police_certificate_basis="minors"),
    )
    assert Opportunity.objects.get().police_certificate_basis == "minors"


def test_a_basis_without_the_requirement_is_dropped(client, coordinator, organisation):
    client.force_login(coordinator)
    client.post(reverse("volunteering:create"), opportunity_data(organisation, police_certificate_basis="minors"))
    assert Opportunity.objects.get().police_certificate_basis == ""


def test_the_database_refuses_a_police_certificate_without_basis(organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        OpportunityFactory(organisation=organisation, requires_police_certificate=True, police_certificate_basis="")


def test_members_and_outsiders_cannot_post_or_edit(client, member, outsider, organisation, opportunity):
    client.force_login(member)
    assert client.get(reverse("volunteering:create")).status_code == 403
    for person in (member, outsider):
        client.force_login(person)
        edit_url = reverse("volunteering:edit", args=[opportunity.pk])
        assert client.post(edit_url, opportunity_data(organisation)).status_code == 403
        assert client.get(reverse("volunteering:manage", args=[opportunity.pk])).status_code == 403
        assert client.get(reverse("volunteering:organisation", args=[organisation.slug])).status_code == 403
    # The outsider coordinates elsewhere, but cannot put an opportunity on this organisation.
    client.force_login(outsider)
    response = client.post(reverse("volunteering:create"), opportunity_data(organisation))
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert Opportunity.objects.filter(title="Besøksvenn").count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, opportunity, shift):
    for url in (
        reverse("volunteering:create"),
        reverse("volunteering:manage", args=[opportunity.pk]),
        reverse("volunteering:shift", args=[shift.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_public_body_coordinators_need_two_step_login(client, municipality):
    kommune = OrganisationFactory(kind=kind("kommune"), home_municipality=municipality)
    person = MembershipFactory(organisation=kommune, role="coordinator").user
    opportunity = OpportunityFactory(organisation=kommune)
    client.force_login(person)
    assert client.get(reverse("volunteering:manage", args=[opportunity.pk])).status_code == 403
    enable_totp(person)
    assert client.get(reverse("volunteering:manage", args=[opportunity.pk])).status_code == 200


def test_editing_keeps_the_organisation_and_changes_the_status(client, coordinator, organisation, opportunity):
    client.force_login(coordinator)
    data = opportunity_data(organisation, status="paused", title="Nytt navn")
    del data["organisation"]
    client.post(reverse("volunteering:edit", args=[opportunity.pk]), data)
    opportunity.refresh_from_db()
    assert (opportunity.title, opportunity.status) == ("Nytt navn", "paused")
    assert opportunity.history.count() == 2


def test_the_organisations_list_shows_every_status(client, coordinator, organisation):
    OpportunityFactory(organisation=organisation, title="Utkastet", status="draft")
    client.force_login(coordinator)
    response = client.get(reverse("volunteering:organisation", args=[organisation.slug]))
    assert "Utkastet" in response.text


def test_a_coordinator_adds_a_shift_in_norwegian_time(client, coordinator, opportunity):
    client.force_login(coordinator)
    day = timezone.localdate() + timedelta(days=10)
    client.post(
        reverse("volunteering:shift_create", args=[opportunity.pk]),
        {"day": day.isoformat(), "starts": "18:00", "ends": "20:30", "place": "Kafeen", "capacity": "3"},
    )
    shift = Shift.objects.get()
    assert timezone.localtime(shift.starts_at).hour == 18
    assert (shift.ends_at - shift.starts_at) == timedelta(hours=2, minutes=30)


def test_capacity_cannot_go_below_the_confirmed_and_a_larger_one_moves_people_up(
    client, coordinator, shift, django_capture_on_commit_callbacks
):
    people = [UserFactory() for _ in range(3)]
    for person in people:
        sign_up(shift=shift, user=person)
    client.force_login(coordinator)
    start = timezone.localtime(shift.starts_at)
    data = {"day": start.date().isoformat(), "starts": start.strftime("%H:%M"), "ends": "23:59", "place": ""}
    response = client.post(reverse("volunteering:shift_edit", args=[shift.pk]), {**data, "capacity": "1"})
    assert "2 har allerede fått plass" in response.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("volunteering:shift_edit", args=[shift.pk]), {**data, "capacity": "3"})
    shift.refresh_from_db()
    assert (shift.capacity, shift.confirmed_count) == (3, 3)
    assert SignUp.objects.get(user=people[2]).status == "confirmed"


def test_the_shift_page_lists_people_with_email_only_for_the_organisations_coordinators(
    client, coordinator, shift, volunteer, member, outsider
):
    sign_up(shift=shift, user=volunteer)
    other = UserFactory()
    sign_up(shift=shift, user=other)
    client.force_login(coordinator)
    response = client.get(reverse("volunteering:shift", args=[shift.pk]))
    assert volunteer.email in response.text and "Vilde Frivillig" in response.text
    for person in (volunteer, member, outsider):
        client.force_login(person)
        response = client.get(reverse("volunteering:shift", args=[shift.pk]))
        assert response.status_code == 403
        assert other.email not in response.text


def test_a_coordinator_adds_a_walk_in_by_hand_and_the_same_email_twice_is_refused(client, coordinator, shift):
    client.force_login(coordinator)
    url = reverse("volunteering:shift", args=[shift.pk])
    client.post(url, {"add-name": "Kari Innom", "add-email": "kari@example.no"})
    signup = SignUp.objects.get()
    assert (signup.name, signup.email, signup.user, signup.status, signup.added_by) == (
        "Kari Innom",
        "kari@example.no",
        None,
        "confirmed",
        coordinator,
    )
    response = client.post(url, {"add-name": "Kari", "add-email": "KARI@example.no"})
    assert response.status_code == 400 and "allerede meldt på" in response.text
    assert 'value="Kari"' in response.text
    response = client.post(url, {"add-name": "", "add-email": "ikke-epost"})
    assert response.status_code == 400 and "ds-error-summary" in response.text


def test_a_coordinator_marks_attendance_after_the_shift_started(client, coordinator, opportunity, volunteer, outsider):
    shift = ShiftFactory(opportunity=opportunity)
    signup = sign_up(shift=shift, user=volunteer)
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(outsider)
    assert client.post(reverse("volunteering:attendance", args=[signup.pk]), {"attended": "yes"}).status_code == 404
    client.force_login(volunteer)
    assert client.post(reverse("volunteering:attendance", args=[signup.pk]), {"attended": "yes"}).status_code == 403
    client.force_login(coordinator)
    assert "Møtte ikke" in client.get(reverse("volunteering:shift", args=[shift.pk])).text
    client.post(reverse("volunteering:attendance", args=[signup.pk]), {"attended": "yes"})
    signup.refresh_from_db()
    assert signup.attended is True
    client.post(reverse("volunteering:attendance", args=[signup.pk]), {"attended": "no"})
    signup.refresh_from_db()
    assert signup.attended is False


def test_a_coordinator_cancels_someones_signup_and_the_wait_list_moves(client, coordinator, shift):
    first, second, waiting = (UserFactory() for _ in range(3))
    signup = sign_up(shift=shift, user=first)
    sign_up(shift=shift, user=second)
    sign_up(shift=shift, user=waiting)
    client.force_login(coordinator)
    client.post(reverse("volunteering:cancel", args=[signup.pk]))
    assert SignUp.objects.get(user=waiting).status == "confirmed"


def test_a_weekly_series_makes_shifts_once_and_leaves_out_exceptions(client, coordinator, opportunity):
    client.force_login(coordinator)
    today = timezone.localdate()
    start = today + timedelta(days=1)
    wednesdays = [start + timedelta(days=i) for i in range(28) if (start + timedelta(days=i)).weekday() == 2]
    data = {
        "weekday": "2",
        "starts_at_time": "17:00",
        "ends_at_time": "19:00",
        "valid_from": start.isoformat(),
        "valid_until": (start + timedelta(days=27)).isoformat(),
        "place": "Huset",
        "capacity": "4",
        "exceptions": wednesdays[1].strftime("%d.%m.%Y"),
    }
    client.post(reverse("volunteering:series_create", args=[opportunity.pk]), data)
    series = ShiftSeries.objects.get()
    shifts = list(Shift.objects.filter(series=series))
    assert len(shifts) == len(wednesdays) - 1
    assert all(timezone.localtime(s.starts_at).weekday() == 2 for s in shifts)
    assert all(timezone.localtime(s.starts_at).hour == 17 for s in shifts)
    assert wednesdays[1] not in {timezone.localtime(s.starts_at).date() for s in shifts}
    assert generate_shifts(series) == 0  # idempotent
    assert Shift.objects.filter(series=series).count() == len(wednesdays) - 1


def test_a_new_exception_removes_an_empty_shift_and_cancels_one_with_people(opportunity, volunteer):
    start = timezone.localdate() + timedelta(days=1)
    series = ShiftSeriesFactory(
        opportunity=opportunity, weekday=start.weekday(), valid_from=start, valid_until=start + timedelta(days=14)
    )
    generate_shifts(series)
    first, second, _third = Shift.objects.filter(series=series).order_by("starts_at")
    sign_up(shift=second, user=volunteer)
    series.exception_dates = [
        timezone.localtime(first.starts_at).date().isoformat(),
        timezone.localtime(second.starts_at).date().isoformat(),
    ]
    series.save()
    generate_shifts(series)
    assert not Shift.objects.filter(pk=first.pk).exists()
    second.refresh_from_db()
    assert second.cancelled
    assert Shift.objects.filter(series=series, cancelled=False).count() == 1


def test_the_series_form_checks_dates(client, coordinator, opportunity):
    client.force_login(coordinator)
    today = timezone.localdate()
    response = client.post(
        reverse("volunteering:series_create", args=[opportunity.pk]),
        {
            "weekday": "2",
            "starts_at_time": "17:00",
            "ends_at_time": "19:00",
            "valid_from": today.isoformat(),
            "valid_until": (today - timedelta(days=1)).isoformat(),
            "capacity": "4",
            "exceptions": "1. mai",
        },
    )
    assert "Sluttdatoen kan ikke være før startdatoen" in response.text
    assert "er ikke en dato" in response.text
    assert not ShiftSeries.objects.exists()


def test_the_coordinators_list_uses_the_same_queries_for_3_and_30(client, coordinator, organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)
    url = reverse("volunteering:organisation", args=[organisation.slug])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries.captured_queries)

    for _ in range(3):
        ShiftFactory(opportunity=OpportunityFactory(organisation=organisation))
    few = count()
    for _ in range(27):
        ShiftFactory(opportunity=OpportunityFactory(organisation=organisation))
    assert count() == few
