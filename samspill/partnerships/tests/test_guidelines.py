from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from samspill.partnerships import services
from samspill.partnerships.models import GuidelinesComment

pytestmark = pytest.mark.django_db


def test_versions_are_numbered_adopted_and_superseded(world):
    v1 = services.propose_guidelines(world.partnership, text="A\nB", change_note="Første", by=world.lead_coordinator)
    services.adopt_guidelines(v1, adopted_on=date(2026, 1, 10))
    v2 = services.propose_guidelines(world.partnership, text="A\nC", change_note="Endret B", by=world.lead_coordinator)
    assert (v1.number, v2.number) == (1, 2)
    assert services.current_guidelines(world.partnership) == v1
    services.adopt_guidelines(v2, adopted_on=date(2026, 6, 1))
    v1.refresh_from_db()
    assert v1.status == "superseded"
    assert services.current_guidelines(world.partnership).number == 2
    assert [h.status for h in v1.history.all()] == ["superseded", "adopted", "proposed"]


def test_diff_shows_what_changed():
    diff = services.guidelines_diff(
        "Vi møtes.\nLederen skriver referat.", "Vi møtes.\nSekretæren skriver referat.\nNy linje."
    )
    assert [(d.kind, d.text) for d in diff] == [
        ("same", "Vi møtes."),
        ("removed", "Lederen skriver referat."),
        ("added", "Sekretæren skriver referat."),
        ("added", "Ny linje."),
    ]


def test_earlier_versions_stay_readable_with_the_diff(client, world):
    world.partnership.is_public = True
    world.partnership.save()
    v1 = services.propose_guidelines(world.partnership, text="Gammel regel", change_note="", by=None)
    services.adopt_guidelines(v1, adopted_on=date(2026, 1, 10))
    v2 = services.propose_guidelines(world.partnership, text="Ny regel", change_note="", by=None)
    services.adopt_guidelines(v2, adopted_on=date(2026, 2, 10))
    services.propose_guidelines(world.partnership, text="Utkast til v3", change_note="", by=None)
    slug = world.partnership.slug
    page = client.get(reverse("partnerships:guidelines_version", args=[slug, 1])).content.decode()
    assert "Gammel regel" in page
    page = client.get(reverse("partnerships:guidelines_version", args=[slug, 2])).content.decode()
    assert "<del>" in page and "Gammel regel" in page and "<ins>" in page
    # A proposal is for the members only.
    assert client.get(reverse("partnerships:guidelines_version", args=[slug, 3])).status_code == 404
    assert "Utkast til v3" not in client.get(reverse("partnerships:guidelines", args=[slug])).content.decode()
    client.force_login(world.member_user)
    assert client.get(reverse("partnerships:guidelines_version", args=[slug, 3])).status_code == 200


def test_members_comment_on_a_proposal_and_the_lead_adopts(client, world):
    v1 = services.propose_guidelines(world.partnership, text="Regel", change_note="", by=None)
    slug = world.partnership.slug
    url = reverse("partnerships:guidelines_version", args=[slug, 1])
    client.force_login(world.other_admin)
    assert client.post(url, {"organisation": world.other_org.pk, "text": "Hei"}).status_code == 404
    client.force_login(world.member_user)
    response = client.post(url, {"organisation": world.member_org.pk, "text": ""})
    assert "Skriv en kommentar." in response.content.decode()
    client.post(url, {"organisation": world.member_org.pk, "text": "Bra forslag"})
    comment = GuidelinesComment.objects.get()
    assert (comment.author, comment.organisation) == (world.member_user, world.member_org)
    adopt = reverse("partnerships:guidelines_adopt", args=[slug, 1])
    assert client.post(adopt, {"adopted_on": "2026-03-01"}).status_code == 403
    client.force_login(world.lead_coordinator)
    client.post(adopt, {"adopted_on": "2026-03-01"})
    v1.refresh_from_db()
    assert (v1.status, v1.adopted_on) == ("adopted", date(2026, 3, 1))
    # An adopted version takes no more comments.
    client.force_login(world.member_user)
    client.post(url, {"organisation": world.member_org.pk, "text": "For sent"})
    assert GuidelinesComment.objects.count() == 1


def test_lead_proposes_a_new_version_through_the_page(client, world):
    client.force_login(world.lead_coordinator)
    url = reverse("partnerships:guidelines_propose", args=[world.partnership.slug])
    response = client.post(url, {"text": "", "change_note": "x"})
    assert "Skriv retningslinjene." in response.content.decode()
    response = client.post(url, {"text": "Vi møtes", "change_note": "Første versjon"})
    assert response.url == reverse("partnerships:guidelines_version", args=[world.partnership.slug, 1])
