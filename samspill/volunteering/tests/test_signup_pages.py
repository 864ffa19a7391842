"""A person finds an opportunity, sees the requirements, signs up or says they are interested, and cancels."""

import pytest
from django.core import mail
from django.urls import reverse

from samspill.volunteering.models import Opportunity, SignUp
from samspill.volunteering.services import sign_up
from samspill.volunteering.tests.factories import OpportunityFactory, ShiftFactory

pytestmark = pytest.mark.django_db


def test_the_opportunity_page_lists_upcoming_shifts_with_free_places(client, opportunity, shift):
    response = client.get(opportunity.get_absolute_url())
    assert response.status_code == 200
    assert "Leksehjelp på biblioteket" in response.text
    assert "Bergen bibliotek" in response.text
    assert "2 av 2" in response.text
    assert reverse("volunteering:shift_signup", args=[shift.pk]) in response.text


def test_drafts_are_hidden_from_anonymous_visitors_and_outsiders_but_not_from_members(
    client, organisation, member, outsider
):
    draft = OpportunityFactory(organisation=organisation, status=Opportunity.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(member)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_the_confirm_page_shows_the_requirements_before_the_person_says_yes(client, organisation, volunteer):
    opportunity = OpportunityFactory(
        organisation=organisation,
        requires_police_certificate=True,
        police_certificate_basis="minors",
        requires_confidentiality=True,
        minimum_age=18,
        languages=["nb", "uk"],
    )
    shift = ShiftFactory(opportunity=opportunity)
    client.force_login(volunteer)
    response = client.get(reverse("volunteering:shift_signup", args=[shift.pk]))
    assert response.status_code == 200
    for text in ("Politiattest", "mindreårige", "taushetserklæring", "minst 18 år", "ukrainsk"):
        assert text in response.text
    assert not SignUp.objects.exists()  # nothing happens before the person confirms


def test_signing_up_confirms_while_there_is_room_then_waitlists(client, shift, volunteer, user):
    sign_up(shift=shift, user=user)
    client.force_login(volunteer)
    url = reverse("volunteering:shift_signup", args=[shift.pk])
    response = client.post(url, follow=True)
    assert "Du er meldt på" in response.text
    assert SignUp.objects.get(user=volunteer).status == "confirmed"
    from samspill.accounts.tests.factories import UserFactory

    late = UserFactory()
    client.force_login(late)
    response = client.post(url, follow=True)
    assert "nummer 1 på ventelisten" in response.text
    signup = SignUp.objects.get(user=late)
    assert (signup.status, signup.waitlist_position) == ("waitlisted", 1)


def test_signing_up_twice_gives_a_friendly_message_and_no_second_row(client, shift, volunteer):
    client.force_login(volunteer)
    url = reverse("volunteering:shift_signup", args=[shift.pk])
    client.post(url)
    response = client.post(url)
    assert response.status_code == 409
    assert "allerede meldt på" in response.text
    assert SignUp.objects.filter(user=volunteer).count() == 1


def test_the_database_refuses_a_second_active_signup_for_the_same_shift(shift, volunteer):
    from django.db import IntegrityError, transaction

    sign_up(shift=shift, user=volunteer)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.create(opportunity=shift.opportunity, shift=shift, user=volunteer, status="confirmed")


def test_anonymous_visitors_are_sent_to_log_in_before_signing_up(client, shift):
    response = client.post(reverse("volunteering:shift_signup", args=[shift.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not SignUp.objects.exists()


def test_a_paused_opportunity_takes_no_signups(client, shift, volunteer):
    Opportunity.objects.filter(pk=shift.opportunity_id).update(status="paused")
    client.force_login(volunteer)
    assert client.post(reverse("volunteering:shift_signup", args=[shift.pk])).status_code == 403
    assert not SignUp.objects.exists()


def test_interest_is_pending_until_the_organisation_answers(
    client, opportunity, volunteer, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(volunteer)
    client.post(reverse("volunteering:interest", args=[opportunity.pk]))
    signup = SignUp.objects.get(user=volunteer)
    assert (signup.status, signup.shift) == ("pending", None)
    assert client.post(reverse("volunteering:interest", args=[opportunity.pk])).status_code == 409

    # The volunteer cannot answer their own interest.
    assert client.post(reverse("volunteering:answer", args=[signup.pk]), {"answer": "confirm"}).status_code == 403

    client.force_login(coordinator)
    manage = client.get(reverse("volunteering:manage", args=[opportunity.pk]))
    assert volunteer.email in manage.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("volunteering:answer", args=[signup.pk]), {"answer": "confirm"})
    signup.refresh_from_db()
    assert signup.status == "confirmed" and signup.responded_at is not None
    assert mail.outbox[-1].to == [volunteer.email]
    assert "bekreftet" in mail.outbox[-1].body


def test_declining_interest_sets_the_answer_time(client, opportunity, volunteer, coordinator):
    signup = sign_up(opportunity=opportunity, user=volunteer)
    client.force_login(coordinator)
    client.post(reverse("volunteering:answer", args=[signup.pk]), {"answer": "decline"})
    signup.refresh_from_db()
    assert signup.status == "declined" and signup.responded_at is not None


def test_cancelling_moves_the_first_on_the_wait_list_up_and_emails_them(
    client, shift, volunteer, django_capture_on_commit_callbacks
):
    from samspill.accounts.tests.factories import UserFactory

    other, first, second = UserFactory(), UserFactory(), UserFactory()
    mine = sign_up(shift=shift, user=volunteer)
    sign_up(shift=shift, user=other)
    waiting_first = sign_up(shift=shift, user=first)
    waiting_second = sign_up(shift=shift, user=second)
    client.force_login(volunteer)
    page = client.get(reverse("volunteering:cancel", args=[mine.pk]))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("volunteering:cancel", args=[mine.pk]))
    mine.refresh_from_db()
    waiting_first.refresh_from_db()
    waiting_second.refresh_from_db()
    assert mine.status == "cancelled"
    assert (waiting_first.status, waiting_first.waitlist_position) == ("confirmed", None)
    assert (waiting_second.status, waiting_second.waitlist_position) == ("waitlisted", 1)
    assert [m.to for m in mail.outbox] == [[first.email]]
    assert "rykket opp" in mail.outbox[0].body


def test_cancelling_sends_the_signal_the_follow_up_app_listens_to(shift, volunteer):
    from samspill.volunteering.services import cancel
    from samspill.volunteering.signals import signup_cancelled

    received = []

    def listener(sender, signup, **kwargs):
        received.append(signup.pk)

    signup_cancelled.connect(listener)
    try:
        signup = sign_up(shift=shift, user=volunteer)
        cancel(signup, by=volunteer)
        cancel(signup, by=volunteer)  # twice: still one signal
    finally:
        signup_cancelled.disconnect(listener)
    assert received == [signup.pk]


def test_another_persons_signup_cannot_be_seen_or_cancelled(client, shift, volunteer, user, outsider):
    signup = sign_up(shift=shift, user=volunteer)
    for person in (user, outsider):
        client.force_login(person)
        assert client.get(reverse("volunteering:cancel", args=[signup.pk])).status_code == 404
        assert client.post(reverse("volunteering:cancel", args=[signup.pk])).status_code == 404
    signup.refresh_from_db()
    assert signup.status == "confirmed"


def test_my_page_shows_upcoming_shifts_wait_list_places_and_interest_with_cancel_buttons(
    client, shift, opportunity, volunteer
):
    from samspill.accounts.tests.factories import UserFactory

    full = ShiftFactory(opportunity=opportunity, capacity=1)
    sign_up(shift=full, user=UserFactory())
    confirmed = sign_up(shift=shift, user=volunteer)
    waiting = sign_up(shift=full, user=volunteer)
    interest = sign_up(opportunity=opportunity, user=volunteer)
    client.force_login(volunteer)
    response = client.get(reverse("accounts:profile"))
    assert "Frivillige vakter" in response.text
    assert "nummer 1 på ventelisten" in response.text
    assert "venter på svar" in response.text
    for signup in (confirmed, waiting, interest):
        assert reverse("volunteering:cancel", args=[signup.pk]) in response.text
