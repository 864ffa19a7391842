"""The volunteer certificate (frivillig-attest) as PDF: who may get it, and what it says."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from samspill.accounts.tests.factories import UserFactory
from samspill.followup import certificate
from samspill.followup.tests.factories import HoursEntryFactory, opportunity
from samspill.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def pdf_text(html: str) -> str:
    """The text WeasyPrint lays out on the PDF's pages (the PDF's own text streams are compressed glyph ids)."""
    from weasyprint import HTML

    words: list[str] = []

    def walk(box) -> None:
        if getattr(box, "text", None):
            words.append(box.text)
        for child in getattr(box, "children", ()):
            walk(child)

    for page in HTML(string=html).render().pages:
        walk(page._page_box)
    return " ".join(" ".join(words).split())


@pytest.fixture
def coordinator(organisation):
    return MembershipFactory(organisation=organisation, role="coordinator").user


@pytest.fixture
def volunteer(organisation):
    person = UserFactory(name="Vilde Frivillig")
    opp = opportunity(organisation, title="Leksehjelp på biblioteket")
    year = timezone.localdate().year
    for day, hours, status in (
        (date(year, 1, 10), "2", "approved"),
        (date(year, 1, 17), "3.5", "approved"),
        (date(year, 1, 24), "4", "pending"),
        (date(year, 1, 31), "1", "rejected"),
    ):
        HoursEntryFactory(
            organisation=organisation,
            user=person,
            opportunity=opp,
            date=day,
            hours=Decimal(hours),
            status=status,
            rejection_reason="Feil" if status == "rejected" else "",
        )
    return person


def test_certificate_lists_approved_hours_and_tasks_signed_by_the_organisation(organisation, volunteer):
    text = pdf_text(certificate.html(organisation, volunteer))
    assert "Frivillig-attest" in text
    assert f"Vilde Frivillig har vært frivillig hos {organisation.name}" in text
    assert "Leksehjelp på biblioteket" in text
    assert "til sammen 5,5 godkjente timer" in text  # 2 + 3.5; pending and rejected hours are left out
    assert organisation.name in text.rsplit("Sum", 1)[1]  # signed with the organisation's name …
    assert f"Utstedt {timezone.localdate().day}." in text  # … and the date


def test_volunteer_downloads_their_own_certificate(client, organisation, volunteer):
    client.force_login(volunteer)
    response = client.get(f"/oppfolging/attest/{organisation.slug}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "frivillig-attest" in response["Content-Disposition"]


def test_coordinator_issues_a_certificate_for_their_volunteer(client, organisation, coordinator, volunteer):
    client.force_login(coordinator)
    response = client.get(f"/oppfolging/organisasjon/{organisation.slug}/frivillige/{volunteer.pk}/attest/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_nobody_else_gets_the_certificate(client, organisation, other_organisation, volunteer, member, outsider):
    issue = f"/oppfolging/organisasjon/{organisation.slug}/frivillige/{volunteer.pk}/attest/pdf/"
    other_coordinator = MembershipFactory(organisation=other_organisation, role="coordinator").user
    for person in (member, outsider, other_coordinator, UserFactory()):
        client.force_login(person)
        assert client.get(issue).status_code == 403
        # Their own certificate from an organisation where they have no approved hours does not exist.
        assert client.get(f"/oppfolging/attest/{organisation.slug}/pdf/").status_code == 404
    client.logout()
    assert client.get(issue).status_code == 302
    assert client.get(f"/oppfolging/attest/{organisation.slug}/pdf/").status_code == 302


def test_the_certificate_refers_to_nothing_outside(organisation, volunteer):
    volunteer.name = '<img src="http://evil.example/x.png">'
    volunteer.save(update_fields=["name"])
    html = certificate.html(organisation, volunteer)
    assert "<img" not in html and 'src="' not in html and "<link" not in html
    with pytest.raises(ValueError):
        certificate._refuse_fetch("http://evil.example/x.png")
