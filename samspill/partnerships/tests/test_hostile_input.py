"""Hostile text in the partnership's own forms is stored and shown as text, never as markup.

The browser check (tests/browser/test_hostile_input.py) finds edit forms by following links;
these forms sit behind the lead's pages, so they are checked here at the HTTP level: every
free-text field of the partnership, a meeting, an action item and an agreement gets an XSS
payload, and every page that shows it carries it escaped.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from samspill.partnerships.models import Agreement, Topic

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _assert_shown_as_text(body: str) -> None:
    assert SCRIPT not in body
    assert "<img src=x" not in body
    assert ESCAPED_SCRIPT in body


def test_xss_in_every_free_text_field_of_a_partnership_is_escaped(client, world):
    client.force_login(world.lead_coordinator)
    slug = world.partnership.slug
    topic = Topic.objects.filter(kind="question").order_by("position").first()
    data = {
        "name": f"Navn {SCRIPT}",
        "purpose": f"Formål {SCRIPT}{IMAGE}",
        "status": "active",
        "is_public": "on",
        f"topic_{topic.pk}": f"Seksjon {SCRIPT}{IMAGE}",
        **{f"progress_{t.pk}": "open" for t in Topic.objects.filter(kind="way_forward")},
    }
    assert client.post(reverse("partnerships:edit", args=[slug]), data).status_code == 302

    client.post(
        reverse("partnerships:meeting_create", args=[slug]),
        {
            "held_on": "2026-04-01",
            "place": f"Sted {SCRIPT}",
            "agenda": f"Agenda {SCRIPT}",
            "minutes": f"Referat {IMAGE}{SCRIPT}",
            "decisions": f"Vedtak {SCRIPT}",
        },
    )
    meeting = world.partnership.meetings.get()
    meeting_url = reverse("partnerships:meeting", args=[slug, meeting.pk])
    client.post(
        meeting_url,
        {
            "what": f"Oppgave {SCRIPT}",
            "owner_organisation": world.member_org.pk,
            "due_on": "2026-05-01",
            "status": "open",
        },
    )
    client.post(
        reverse("partnerships:agreement_create", args=[slug]),
        {
            "title": f"Avtale {SCRIPT}",
            "member": world.member_row.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "text": f"Tekst {SCRIPT}{IMAGE}",
        },
    )
    agreement = Agreement.objects.get(partnership=world.partnership)
    assert SCRIPT in agreement.text  # stored as typed

    for url in (
        world.partnership.get_absolute_url(),
        reverse("partnerships:list"),
        reverse("partnerships:meetings", args=[slug]),
        meeting_url,
        reverse("partnerships:action_items", args=[slug]) + "?vis=alle",
        reverse("partnerships:agreements", args=[slug]),
        agreement.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_shown_as_text(response.content.decode())


@pytest.mark.parametrize(
    "text",
    ["\u202eevil\u202c", "null\u200bbredde\u200d", "👩‍👩‍👧 familie", "e\u0301\u0301\u0301", "x" * 10_000],
)
def test_unicode_edge_cases_are_stored_or_refused_never_a_server_error(client, world, text):
    client.force_login(world.lead_coordinator)
    slug = world.partnership.slug
    response = client.post(
        reverse("partnerships:meeting_create", args=[slug]),
        {"held_on": "2026-04-01", "place": "Voss", "agenda": text, "minutes": text, "decisions": text},
    )
    assert response.status_code in (200, 302, 422)
    if response.status_code == 302:
        page = client.get(response.url)
        assert page.status_code == 200
        assert text in page.content.decode()
    else:
        assert "ds-error-summary" in response.content.decode()
