import pytest

from samspill.organisations import demo as organisations_demo
from samspill.organisations.models import Organisation
from samspill.volunteering import demo
from samspill.volunteering.models import Opportunity, Shift, SignUp

pytestmark = pytest.mark.django_db


def test_every_demo_organisation_has_opportunities_with_shifts_wait_lists_and_the_volunteer_signed_up():
    organisations_demo.load()
    demo.load()
    counts = (Opportunity.objects.count(), Shift.objects.count(), SignUp.objects.count())
    demo.load()  # idempotent
    assert (Opportunity.objects.count(), Shift.objects.count(), SignUp.objects.count()) == counts

    assert not Organisation.objects.exclude(opportunities__isnull=False).exists()
    assert set(Opportunity.objects.values_list("form", flat=True)) == {"regular", "event", "drop_in", "remote", "group"}
    assert (
        Opportunity.objects.filter(requires_police_certificate=True).exclude(police_certificate_basis="").count() >= 2
    )
    assert Shift.objects.filter(confirmed_count=models_capacity()).exists()
    assert SignUp.objects.filter(status="waitlisted").count() >= 4
    assert Shift.objects.upcoming().count() == Shift.objects.filter(cancelled=False).count()  # all in the future

    statuses = set(SignUp.objects.filter(user__email=demo.VOLUNTEER).values_list("status", flat=True))
    assert statuses == {"confirmed", "waitlisted", "pending"}


def models_capacity():
    from django.db.models import F

    return F("capacity")
