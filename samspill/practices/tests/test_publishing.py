"""Editors write and publish practices, coordinators propose them for their own area; nobody else can."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from samspill.accounts.tests.factories import enable_totp
from samspill.calls.tests.factories import SubmissionFactory
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory, kind
from samspill.places.models import County, Municipality
from samspill.practices import services
from samspill.practices.models import Practice
from samspill.practices.tests.factories import PracticeFactory
from samspill.taxonomy.models import FocusArea, TargetGroup, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    ministry = OrganisationFactory(name="Helse- og omsorgsdepartementet", kind=kind("nasjonal-aktor"))
    user = MembershipFactory(organisation=ministry, role="coordinator").user
    enable_totp(user)
    return user


@pytest.fixture
def bergen_coordinator(municipality):
    """Coordinator in Bergen kommune (4601), with two-step login on."""
    bergen = OrganisationFactory(name="Bergen kommune", kind=kind("kommune"), governs_municipality=municipality)
    user = MembershipFactory(organisation=bergen, role="coordinator").user
    enable_totp(user)
    return user


@pytest.fixture
def vestland_adviser(db):
    vestland = OrganisationFactory(
        name="Vestland fylkeskommune", kind=kind("fylkeskommune"), governs_county=County.objects.get(number="46")
    )
    user = MembershipFactory(organisation=vestland, role="coordinator").user
    enable_totp(user)
    return user


def accepted_submission(**overrides):
    submission = SubmissionFactory(
        title="Besøksvenner på sykehjem",
        summary="Frivillige besøker beboere.",
        what="Vi rekrutterte besøksvenner.",
        status="accepted",
        reference="INN-2026-0001",
        consent_to_publish=True,
        municipality=Municipality.objects.get(number="4601"),
        contact_phone="12345678",
        **overrides,
    )
    submission.themes.set(Theme.objects.all()[:1])
    submission.target_groups.set(TargetGroup.objects.filter(slug="eldre"))
    submission.focus_areas.set(FocusArea.objects.all()[:2])
    return submission


def form_data(**overrides):
    data = {
        "title": "Turvenner i Bergen",
        "summary": "Frivillige går tur med folk som trenger selskap.",
        "what": "Faste turer to ganger i uka.",
        "themes": [Theme.objects.first().pk],
        "municipalities": [Municipality.objects.get(number="4601").pk],
        "evidence_level": "described",
    }
    data.update(overrides)
    return data


# --- Services ------------------------------------------------------------------------


def test_a_practice_from_a_submission_is_a_draft_copy_that_keeps_its_source(editor, organisation):
    submission = accepted_submission(organisation=organisation)
    practice = services.create_from_submission(submission=submission, by=editor)
    assert practice.status == "draft"
    assert practice.source == "submission" and practice.source_submission == submission
    assert practice.title == "Besøksvenner på sykehjem" and practice.what == "Vi rekrutterte besøksvenner."
    assert list(practice.municipalities.values_list("number", flat=True)) == ["4601"]
    assert list(practice.organisations.all()) == [organisation]
    assert list(practice.target_groups.values_list("slug", flat=True)) == ["eldre"]
    assert practice.focus_areas.count() == 2 and practice.themes.count() == 1
    assert practice.contact_phone == "12345678"
    assert practice.slug == "besoksvenner-pa-sykehjem"
    # The copy is for editing: the submission stays as it was sent.
    services.update_practice(practice=practice, values={"title": "Besøksvenn for eldre"}, by=editor)
    submission.refresh_from_db()
    assert submission.title == "Besøksvenner på sykehjem"
    assert practice.history.first().history_user == editor


@pytest.mark.parametrize(("status", "consent"), [("received", True), ("declined", True), ("accepted", False)])
def test_only_accepted_submissions_with_consent_become_practices(editor, status, consent):
    submission = accepted_submission()
    submission.status, submission.consent_to_publish = status, consent
    submission.save()
    with pytest.raises(ValidationError, match="samtykket"):
        services.create_from_submission(submission=submission, by=editor)
    assert not Practice.objects.exists()


def test_publishing_sets_the_first_publication_date_once(editor):
    practice = services.create_practice(values={"title": "Leksehjelp", "summary": "Med middag."}, by=editor)
    assert practice.status == "draft" and practice.source == "direct"
    first = services.publish(practice=practice, by=editor)
    assert first.status == "published" and first.published_by == editor and first.published_at
    services.withdraw(practice=first, by=editor)
    again = services.publish(practice=first, by=editor)
    assert again.published_at == first.published_at


def test_slugs_are_unique(editor):
    one = services.create_practice(values={"title": "Turvenner", "summary": "a"}, by=editor)
    two = services.create_practice(values={"title": "Turvenner", "summary": "b"}, by=editor)
    three = services.create_practice(values={"title": "Ny", "summary": "c"}, by=editor)
    assert (one.slug, two.slug, three.slug) == ("turvenner", "turvenner-2", "ny-2")


def test_a_county_adviser_proposes_for_a_municipality_in_the_county(vestland_adviser):
    voss = Municipality.objects.get(number="4621")
    values = {"title": "Digital hjelp", "summary": "På biblioteket.", "municipalities": [voss]}
    practice = services.propose(values=values, by=vestland_adviser)
    assert practice.status == "proposed" and practice.proposed_by == vestland_adviser
    assert practice.proposed_for.name == "Vestland fylkeskommune"
    oslo = Municipality.objects.get(number="0301")
    with pytest.raises(ValidationError):
        services.propose(values={**values, "municipalities": [voss, oslo]}, by=vestland_adviser)


def test_rejecting_a_proposal_withdraws_it(editor, bergen_coordinator, municipality):
    practice = services.propose(
        values={"title": "Språkkafé", "summary": "x", "municipalities": [municipality]}, by=bergen_coordinator
    )
    assert services.reject(practice=practice, by=editor).status == "withdrawn"
    with pytest.raises(ValidationError):
        services.reject(practice=PracticeFactory(), by=editor)


# --- Pages ---------------------------------------------------------------------------


def test_an_editor_writes_a_draft_and_publishes_it(client, editor):
    client.force_login(editor)
    response = client.post(reverse("practices:create"), form_data())
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("practices:edit", args=[practice.slug])
    assert practice.status == "draft" and practice.source == "direct"
    assert practice.history.first().history_user == editor
    assert client.get(practice.get_absolute_url()).status_code == 200  # editors see drafts
    client.logout()
    assert client.get(practice.get_absolute_url()).status_code == 404
    client.force_login(editor)
    desk = client.get(reverse("practices:desk")).content.decode()
    assert "Turvenner i Bergen" in desk
    client.post(reverse("practices:publish", args=[practice.slug]))
    practice.refresh_from_db()
    assert practice.status == "published" and practice.published_by == editor
    client.logout()
    assert client.get(practice.get_absolute_url()).status_code == 200


def test_errors_are_shown_at_the_field_and_what_was_typed_is_kept(client, editor):
    client.force_login(editor)
    response = client.post(reverse("practices:create"), form_data(summary="", contact_email="ikke-epost"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skriv et kort sammendrag." in page and "Skriv en gyldig e-postadresse" in page
    assert 'value="Turvenner i Bergen"' in page
    assert not Practice.objects.exists()


def test_a_municipality_coordinator_proposes_only_for_their_own_municipality(client, bergen_coordinator):
    client.force_login(bergen_coordinator)
    page = client.get(reverse("practices:propose")).content.decode()
    assert "Bergen" in page and ">Oslo<" not in page
    oslo = Municipality.objects.get(number="0301")
    response = client.post(reverse("practices:propose"), form_data(municipalities=[oslo.pk]))
    assert response.status_code == 200
    assert "Du kan bare velge kommuner du koordinerer." in response.content.decode()
    assert not Practice.objects.exists()
    response = client.post(reverse("practices:propose"), form_data())
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert practice.status == "proposed" and practice.proposed_for.name == "Bergen kommune"
    desk = client.get(reverse("practices:desk")).content.decode()
    assert "Mine forslag" in desk and "Turvenner i Bergen" in desk
    # The proposer may edit, but not publish.
    assert client.get(reverse("practices:edit", args=[practice.slug])).status_code == 200
    assert client.post(reverse("practices:publish", args=[practice.slug])).status_code == 403
    practice.refresh_from_db()
    assert practice.status == "proposed"


def test_an_editor_approves_a_proposal(client, editor, bergen_coordinator, municipality):
    practice = services.propose(
        values={"title": "Turvenner", "summary": "x", "municipalities": [municipality]}, by=bergen_coordinator
    )
    client.force_login(editor)
    assert "Godkjenn og publiser" in client.get(reverse("practices:desk")).content.decode()
    client.post(reverse("practices:publish", args=[practice.slug]))
    practice.refresh_from_db()
    assert practice.status == "published"
    client.post(reverse("practices:withdraw", args=[practice.slug]))
    practice.refresh_from_db()
    assert practice.status == "withdrawn"


def test_outsiders_cannot_write_propose_or_publish(client, outsider, member):
    draft = PracticeFactory(status="draft")
    published = PracticeFactory()
    for user in (outsider, member):
        client.force_login(user)
        assert client.get(reverse("practices:create")).status_code == 403
        assert client.post(reverse("practices:create"), form_data()).status_code == 403
        assert client.get(reverse("practices:propose")).status_code == 403
        assert client.get(reverse("practices:desk")).status_code == 403
        assert client.get(reverse("practices:edit", args=[draft.slug])).status_code == 404
        assert client.get(reverse("practices:edit", args=[published.slug])).status_code == 403
        assert client.post(reverse("practices:publish", args=[draft.slug])).status_code == 404
        assert client.post(reverse("practices:withdraw", args=[published.slug])).status_code == 403
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == "draft" and published.status == "published"
    assert Practice.objects.count() == 2


def test_anonymous_visitors_are_sent_to_log_in(client):
    draft = PracticeFactory(status="draft")
    for url in (
        reverse("practices:create"),
        reverse("practices:propose"),
        reverse("practices:desk"),
        reverse("practices:edit", args=[draft.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(reverse("practices:publish", args=[draft.slug])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_coordinator_without_two_step_login_is_not_let_in(client, municipality):
    bergen = OrganisationFactory(kind=kind("kommune"), governs_municipality=municipality)
    user = MembershipFactory(organisation=bergen, role="coordinator").user
    client.force_login(user)
    assert client.get(reverse("practices:propose")).status_code == 403


def test_an_accepted_submission_with_consent_offers_publishing_to_editors(client, editor, organisation):
    submission = accepted_submission()
    submission.call.organisations.set([editor.memberships.first().organisation])
    client.force_login(editor)
    review = client.get(reverse("calls:review_submission", args=[submission.pk])).content.decode()
    assert "Publiser som godt eksempel" in review
    response = client.post(reverse("practices:from_submission", args=[submission.pk]))
    practice = Practice.objects.get()
    assert response["Location"] == reverse("practices:edit", args=[practice.slug])
    # A second click opens the same draft instead of making another.
    client.post(reverse("practices:from_submission", args=[submission.pk]))
    assert Practice.objects.count() == 1
    submission.consent_to_publish = False
    submission.save()
    review = client.get(reverse("calls:review_submission", args=[submission.pk])).content.decode()
    assert "Publiser som godt eksempel" not in review


def test_outsiders_cannot_publish_a_submission(client, outsider):
    submission = accepted_submission()
    client.force_login(outsider)
    assert client.post(reverse("practices:from_submission", args=[submission.pk])).status_code == 403
    assert not Practice.objects.exists()


def test_the_admin_lists_and_opens_practices(client, outsider):
    from samspill.accounts.tests.factories import UserFactory

    practice = PracticeFactory(title="Turvenner i admin")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert "Turvenner i admin" in client.get("/admin/practices/practice/").content.decode()
    assert client.get(f"/admin/practices/practice/{practice.pk}/change/").status_code == 200
    client.force_login(outsider)
    assert client.get("/admin/practices/practice/").status_code == 302


def test_the_withdraw_button_says_withdraw_in_english_not_revoke(client, editor):
    # "Trekk tilbake" is also the calls' word for revoking; practices use their own context.
    from django.conf import settings

    practice = PracticeFactory(title="Turvenner i Bergen")
    client.force_login(editor)
    url = reverse("practices:edit", args=[practice.slug])
    assert ">Trekk tilbake</button>" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("nb"):  # restores the language the request activates
        html = client.get(url).content.decode()
    assert ">Withdraw</button>" in html and "Revoke" not in html
