import pytest
from django.core.management import call_command
from django.utils import timezone

from samspill.followup import services
from samspill.followup.models import ConfidentialityDeclaration, FollowUpStep, HoursEntry, TrainingCompletion
from samspill.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_volunteer_has_hours_onboarding_and_followups_at_voss(client):
    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)  # idempotent
    voss = Organisation.objects.get(slug="frivilligsentralen-i-voss")
    hours = HoursEntry.objects.filter(organisation=voss, user__email="frivillig@demo.samspill.no")
    assert set(hours.values_list("status", flat=True)) == {"approved", "pending"}
    assert ConfidentialityDeclaration.objects.filter(organisation=voss).count() == 1
    assert FollowUpStep.objects.filter(organisation=voss).count() == 3
    assert TrainingCompletion.objects.filter(user__email="frivillig@demo.samspill.no").exists()
    queue = services.queue(voss)
    assert len(queue.due) == 1 and len(queue.overdue) == 1

    client.force_login(voss.memberships.get(user__email="leder@demo.samspill.no").user)
    assert client.get(f"/oppfolging/organisasjon/{voss.slug}/").status_code == 200
    assert client.get(f"/oppfolging/organisasjon/{voss.slug}/timer/").status_code == 200
    assert (
        client.get(f"/oppfolging/organisasjon/{voss.slug}/rapport/?year={timezone.localdate().year}").status_code == 200
    )
    client.force_login(hours.first().user)
    page = client.get("/min-side/").content.decode()
    assert "/oppfolging/attest/frivilligsentralen-i-voss/pdf/" in page
    assert client.get("/oppfolging/attest/frivilligsentralen-i-voss/pdf/").content.startswith(b"%PDF")
