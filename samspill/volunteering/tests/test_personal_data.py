import pytest

from samspill.core.personal_data import export_from_apps, forget_in_apps
from samspill.volunteering.models import SignUp
from samspill.volunteering.services import sign_up
from samspill.volunteering.tests.factories import ShiftFactory

pytestmark = pytest.mark.django_db


def test_export_lists_the_persons_signups_also_those_added_by_hand(shift, opportunity, volunteer, coordinator):
    sign_up(shift=shift, user=volunteer)
    other_shift = ShiftFactory(opportunity=opportunity)
    sign_up(shift=other_shift, name="Vilde", email=volunteer.email.upper(), added_by=coordinator)
    data = export_from_apps(volunteer)["volunteering"]
    assert [s["status"] for s in data["signups"]] == ["confirmed", "confirmed"]
    assert data["signups"][0]["opportunity"] == "Leksehjelp på biblioteket"


def test_forget_deletes_the_signups_and_moves_the_wait_list(shift, volunteer, user, django_capture_on_commit_callbacks):
    from samspill.accounts.tests.factories import UserFactory

    sign_up(shift=shift, user=volunteer)
    sign_up(shift=shift, user=UserFactory())
    waiting = sign_up(shift=shift, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        forget_in_apps(volunteer)
    assert not SignUp.objects.filter(user=volunteer).exists()
    assert not SignUp.history.filter(user_id=volunteer.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    shift.refresh_from_db()
    assert shift.confirmed_count == 2
