"""Hostile text in hours (the volunteer's description, the coordinator's reason) is shown as text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from samspill.accounts.tests.factories import UserFactory
from samspill.followup.models import HoursEntry
from samspill.followup.tests.factories import opportunity, shift, signup
from samspill.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'


def _shown_as_text(body: str) -> None:
    assert SCRIPT not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_xss_in_hours_description_and_rejection_reason_is_escaped_for_both_sides(client, organisation):
    coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
    opp = opportunity(organisation, title="Besøksvenn")
    volunteer = UserFactory(name="Vilde Frivillig")
    signup(opp, volunteer, shift=shift(opp))

    client.force_login(volunteer)
    response = client.post(
        "/oppfolging/mine-timer/",
        {
            "organisation": organisation.pk,
            "opportunity": opp.pk,
            "date": timezone.localdate() - timedelta(days=1),
            "hours": "2",
            "description": f"Tur {SCRIPT}{IMAGE}",
        },
    )
    assert response.status_code == 302
    entry = HoursEntry.objects.get()
    assert SCRIPT in entry.description  # stored as typed

    client.force_login(coordinator)
    _shown_as_text(client.get(f"/oppfolging/organisasjon/{organisation.slug}/timer/").content.decode())
    assert client.post(f"/oppfolging/timer/{entry.pk}/avvis/", {"reason": f"Nei {SCRIPT}"}).status_code == 302

    client.force_login(volunteer)
    _shown_as_text(client.get("/oppfolging/mine-timer/").content.decode())


@pytest.mark.parametrize("text", ["\u202eevil\u202c", "null\u200bbredde", "👩‍👩‍👧", "e\u0301\u0301", "x" * 10_000])
def test_unicode_edge_cases_in_hours_are_stored_or_refused_never_a_server_error(client, organisation, text):
    opp = opportunity(organisation, title="Besøksvenn")
    volunteer = UserFactory()
    signup(opp, volunteer, shift=shift(opp))
    client.force_login(volunteer)
    response = client.post(
        "/oppfolging/mine-timer/",
        {
            "organisation": organisation.pk,
            "opportunity": opp.pk,
            "date": timezone.localdate() - timedelta(days=1),
            "hours": "1",
            "description": text,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert HoursEntry.objects.get().description == text  # stored exactly as typed
        assert client.get("/oppfolging/mine-timer/").status_code == 200
        coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
        client.force_login(coordinator)
        page = client.get(f"/oppfolging/organisasjon/{organisation.slug}/timer/")
        assert page.status_code == 200 and text in page.content.decode()
    else:
        assert "ds-error-summary" in response.content.decode()
