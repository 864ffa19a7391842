"""The volunteer certificate (frivillig-attest) as PDF: who may get it, and what its text says.

The text is read from the PDF the server sends (pypdf), the way the volunteer and whoever they
show it to will read it: name, organisation, approved hours only, tasks, signature and date, with
æ, ø and å intact.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from samspill.accounts.tests.factories import UserFactory
from samspill.followup import certificate
from samspill.followup.tests.factories import HoursEntryFactory, opportunity
from samspill.followup.tests.pdf import norwegian_date, pdf_text
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1


@pytest.fixture
def organisation(municipality):
    return OrganisationFactory(home_municipality=municipality, name="Frivilligsentralen i Årdal")


@pytest.fixture
def coordinator(organisation):
    return MembershipFactory(organisation=organisation, role="coordinator").user


@pytest.fixture
def volunteer(organisation):
    """Approved hours on two tasks, plus pending and rejected hours that must not count."""
    person = UserFactory(name="Åse Kjærnes Øvrebø")
    homework = opportunity(organisation, title="Leksehjelp på biblioteket")
    visits = opportunity(organisation, title="Besøksvenn på sjukeheimen")
    cafe = opportunity(organisation, title="Kafévert på torsdager")
    for opp, day, hours, status in (
        (cafe, date(YEAR, 1, 3), "1", "rejected"),  # earlier than any approved hours
        (homework, date(YEAR, 1, 10), "2", "approved"),
        (homework, date(YEAR, 1, 17), "3.5", "approved"),
        (visits, date(YEAR, 2, 7), "1.25", "approved"),
        (homework, date(YEAR, 2, 14), "4", "pending"),  # later than any approved hours
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


@pytest.fixture
def neighbour(organisation):
    """Another volunteer of the same organisation, with approved hours on the same task."""
    person = UserFactory(name="Per Naboen")
    homework = organisation.opportunities.get(title="Leksehjelp på biblioteket")
    HoursEntryFactory(
        organisation=organisation,
        user=person,
        opportunity=homework,
        date=date(YEAR, 3, 1),
        hours=Decimal("8"),
        status="approved",
    )
    return person


def assert_certificate_of_the_volunteer(text: str, organisation, asked_on: date) -> None:
    """What the volunteer relies on, read from the PDF's text (issued on ``asked_on`` or a day later)."""
    assert text.startswith("Samspill – Frivillig-attest Frivillig-attest")
    assert f"Åse Kjærnes Øvrebø har vært frivillig hos {organisation.name}." in text
    # 2 + 3,5 + 1,25 approved; the pending 4, the rejected 1 and the neighbour's 8 are left out,
    # and so are their dates.
    assert f"Fra 10. januar {YEAR} til 7. februar {YEAR} ga hen til sammen 6,75 godkjente timer." in text
    assert f"Oppdrag Periode Timer Leksehjelp på biblioteket 10.1.{YEAR}–17.1.{YEAR} 5,5 " in text
    assert f" Besøksvenn på sjukeheimen 7.2.{YEAR}–7.2.{YEAR} 1,25 Sum 6,75 " in text
    assert "Kafévert" not in text  # only rejected hours there
    assert "Per Naboen" not in text
    for wrong in ("10,75", "7,75", "11,75", "14,75"):  # with pending, rejected, both, or the neighbour's
        assert wrong not in text
    # Signed with the organisation's name and the date of issue, at the end.
    issued = {norwegian_date(asked_on), norwegian_date(timezone.localdate())}
    signature = text.rsplit("Sum 6,75 ", 1)[1]
    assert signature in {f"{organisation.name} Utstedt {day}" for day in issued}, signature


def test_coordinator_issues_a_certificate_for_their_volunteer(client, organisation, coordinator, volunteer, neighbour):
    client.force_login(coordinator)
    asked_on = timezone.localdate()
    response = client.get(f"/oppfolging/organisasjon/{organisation.slug}/frivillige/{volunteer.pk}/attest/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="frivillig-attest-ase-kjaernes-ovrebo-frivilligsentralen-i-ardal.pdf"'
    )
    assert_certificate_of_the_volunteer(pdf_text(response.content), organisation, asked_on)


def test_volunteer_downloads_their_own_certificate(client, organisation, volunteer, neighbour):
    client.force_login(volunteer)
    asked_on = timezone.localdate()
    response = client.get(f"/oppfolging/attest/{organisation.slug}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert_certificate_of_the_volunteer(pdf_text(response.content), organisation, asked_on)


def test_the_certificate_lists_completed_training_before_the_signature(client, organisation, volunteer):
    from samspill.followup.models import TrainingCompletion, TrainingItem

    item = TrainingItem.objects.create(organisation=organisation, title="Førstehjelp for frivillige", required=True)
    TrainingCompletion.objects.create(item=item, user=volunteer, completed_on=date(YEAR, 1, 5))
    client.force_login(volunteer)
    text = pdf_text(client.get(f"/oppfolging/attest/{organisation.slug}/pdf/").content)
    assert f"Sum 6,75 Opplæring Førstehjelp for frivillige (5.1.{YEAR}) {organisation.name} Utstedt " in text


def test_nobody_else_gets_the_certificate(
    client, organisation, other_organisation, volunteer, neighbour, member, outsider
):
    issue = f"/oppfolging/organisasjon/{organisation.slug}/frivillige/{volunteer.pk}/attest/pdf/"
    mine = f"/oppfolging/attest/{organisation.slug}/pdf/"
    other_coordinator = MembershipFactory(organisation=other_organisation, role="coordinator").user
    for person in (member, outsider, other_coordinator, neighbour, UserFactory()):
        client.force_login(person)
        assert client.get(issue).status_code == 403
    for person in (member, outsider, other_coordinator, UserFactory()):
        client.force_login(person)
        # Their own certificate from an organisation where they have no approved hours does not exist.
        assert client.get(mine).status_code == 404
    # A fellow volunteer's own certificate is theirs alone: nothing of the volunteer's in it.
    client.force_login(neighbour)
    text = pdf_text(client.get(mine).content)
    assert f"Per Naboen har vært frivillig hos {organisation.name}." in text
    assert "til sammen 8 godkjente timer." in text
    assert "Åse" not in text and "Besøksvenn" not in text
    client.logout()
    assert client.get(issue).status_code == 302
    assert client.get(mine).status_code == 302


def test_the_certificate_refers_to_nothing_outside(organisation, volunteer):
    volunteer.name = '<img src="http://evil.example/x.png">'
    volunteer.save(update_fields=["name"])
    html = certificate.html(organisation, volunteer)
    assert "<img" not in html and 'src="' not in html and "<link" not in html
    # The markup is printed as text on the certificate, not followed.
    text = pdf_text(certificate.pdf(organisation, volunteer))
    assert f'<img src="http://evil.example/x.png"> har vært frivillig hos {organisation.name}.' in text
    with pytest.raises(ValueError):
        certificate._refuse_fetch("http://evil.example/x.png")
